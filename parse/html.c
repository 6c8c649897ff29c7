/* parse/html.c: HTML of titles and descriptions to clean text: our shortcut for plain markup, libxml2's HTML parser for the rest. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/dict.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>

#include "common/common.h"
#include "parse/parse_internal.h"

/* Longest fragment we read; feed.c and jsonfeed.c have clipped fields to
 * the feed's max_field before, this only keeps libxml2's int sizes safe. */
#define HTML_MAX_INPUT	(16 * 1024 * 1024)
/* The reused parser context keeps every element name it has seen in its
 * dictionary; past this many (hostile markup) it is replaced. */
#define HTML_MAX_NAMES	4096
/* Output buffer kept between calls, at most. */
#define HTML_KEEP_BUFFER	(1024 * 1024)

/* What must separate the next text from the text before it. */
enum html_gap {
	HTML_GAP_NONE,
	HTML_GAP_SPACE,
	HTML_GAP_LINE,		/* <br> */
	HTML_GAP_PARAGRAPH,	/* a block element, or <br><br> */
};

/* How an element affects the text. */
enum html_kind {
	HTML_INLINE,
	HTML_BLOCK,
	HTML_BREAK,
	HTML_CELL,
	HTML_SKIP,		/* its content is not text a reader sees */
};

/* Output being built and the state of white space around it. */
struct html_text {
	char		*buf;
	size_t		 len;
	size_t		 size;
	enum html_gap	 gap;
	int		 skip;	/* depth inside HTML_SKIP elements */
};

/* One parser context per thread, reused between calls: creating one costs
 * more than parsing a typical description. */
struct html_parser {
	htmlParserCtxtPtr	 ctxt;
	struct html_text	 text;
};

static _Thread_local struct html_parser *html_parser;

/* Flags of an element. */
#define HTML_SIMPLE	0x01	/* html_scan knows how libxml2 treats it */
#define HTML_VOID	0x02	/* never has content or an end tag */
#define HTML_RAW	0x04	/* content is not markup, up to its end tag */

/*
 * Which open element a start tag closes, as libxml2 2.9's HTML parser does
 * it (its htmlStartClose table, restricted to the elements html_scan
 * handles, read off the parser by feeding it every pair): an open element
 * is closed by a start tag whose HTML_CLOSES_ bit is in its closed_by.
 * The differential tests in test_parse_html.c check that html_scan and the
 * parser still agree.
 */
#define HTML_CLOSES_A	(1u << 0)
#define HTML_CLOSES_ADDRESS	(1u << 1)
#define HTML_CLOSES_BLOCKQUOTE	(1u << 2)
#define HTML_CLOSES_CAPTION	(1u << 3)
#define HTML_CLOSES_CENTER	(1u << 4)
#define HTML_CLOSES_DD	(1u << 5)
#define HTML_CLOSES_DIV	(1u << 6)
#define HTML_CLOSES_DL	(1u << 7)
#define HTML_CLOSES_DT	(1u << 8)
#define HTML_CLOSES_H1	(1u << 9)
#define HTML_CLOSES_H2	(1u << 10)
#define HTML_CLOSES_H3	(1u << 11)
#define HTML_CLOSES_H4	(1u << 12)
#define HTML_CLOSES_H5	(1u << 13)
#define HTML_CLOSES_H6	(1u << 14)
#define HTML_CLOSES_HR	(1u << 15)
#define HTML_CLOSES_LI	(1u << 16)
#define HTML_CLOSES_OL	(1u << 17)
#define HTML_CLOSES_P	(1u << 18)
#define HTML_CLOSES_PRE	(1u << 19)
#define HTML_CLOSES_TABLE	(1u << 20)
#define HTML_CLOSES_TBODY	(1u << 21)
#define HTML_CLOSES_TD	(1u << 22)
#define HTML_CLOSES_TFOOT	(1u << 23)
#define HTML_CLOSES_TH	(1u << 24)
#define HTML_CLOSES_THEAD	(1u << 25)
#define HTML_CLOSES_TR	(1u << 26)
#define HTML_CLOSES_UL	(1u << 27)

#define C(x) HTML_CLOSES_##x
/* Sorted for bsearch; elements not listed are inline and not simple.
 * priority is libxml2's end tag priority: a misplaced end tag does not
 * close an element of higher priority. */
static const struct html_element {
	const char	*name;
	enum html_kind	 kind;
	unsigned char	 flags;
	unsigned short	 priority;
	unsigned int	 closer;	/* its HTML_CLOSES_ bit, or 0 */
	unsigned int	 closed_by;	/* HTML_CLOSES_ bits that close it */
} html_elements[] = {
	{ "a", HTML_INLINE, HTML_SIMPLE, 100, C(A),
	    C(A) | C(TABLE) | C(TD) | C(TH) },
	{ "abbr", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "address", HTML_BLOCK, HTML_SIMPLE, 100, C(ADDRESS),
	    C(UL) | C(LI) | C(DL) | C(DT) | C(DD) },
	{ "article", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "aside", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "audio", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "b", HTML_INLINE, HTML_SIMPLE, 100, 0,
	    C(P) | C(CENTER) | C(TD) | C(TH) },
	{ "bdi", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "bdo", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "big", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) },
	{ "blockquote", HTML_BLOCK, HTML_SIMPLE, 100, C(BLOCKQUOTE), 0 },
	{ "br", HTML_BREAK, HTML_SIMPLE | HTML_VOID, 100, 0, 0 },
	{ "canvas", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "caption", HTML_BLOCK, HTML_SIMPLE, 100, C(CAPTION),
	    C(THEAD) | C(TBODY) | C(TFOOT) | C(TR) },
	{ "center", HTML_BLOCK, HTML_SIMPLE, 100, C(CENTER), 0 },
	{ "cite", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "code", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "dd", HTML_BLOCK, HTML_SIMPLE, 100, C(DD), C(DT) },
	{ "details", HTML_BLOCK, 0, 100, 0, 0 },
	{ "dfn", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "dialog", HTML_BLOCK, 0, 100, 0, 0 },
	{ "dir", HTML_BLOCK, 0, 100, 0, 0 },
	{ "div", HTML_BLOCK, HTML_SIMPLE, 150, C(DIV), 0 },
	{ "dl", HTML_BLOCK, HTML_SIMPLE, 100, C(DL), C(LI) },
	{ "dt", HTML_BLOCK, HTML_SIMPLE, 100, C(DT), C(DL) | C(DD) },
	{ "em", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "embed", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "fieldset", HTML_BLOCK, 0, 100, 0, 0 },
	{ "figcaption", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "figure", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "font", HTML_INLINE, HTML_SIMPLE, 100, 0, C(CENTER) | C(TD) | C(TH) },
	{ "footer", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "form", HTML_BLOCK, 0, 100, 0, 0 },
	{ "h1", HTML_BLOCK, HTML_SIMPLE, 100, C(H1), C(P) | C(LI) | C(TABLE) },
	{ "h2", HTML_BLOCK, HTML_SIMPLE, 100, C(H2), C(P) | C(LI) | C(TABLE) },
	{ "h3", HTML_BLOCK, HTML_SIMPLE, 100, C(H3), C(P) | C(LI) | C(TABLE) },
	{ "h4", HTML_BLOCK, HTML_SIMPLE, 100, C(H4), C(P) | C(LI) | C(TABLE) },
	{ "h5", HTML_BLOCK, HTML_SIMPLE, 100, C(H5), C(P) | C(LI) | C(TABLE) },
	{ "h6", HTML_BLOCK, HTML_SIMPLE, 100, C(H6), C(P) | C(LI) | C(TABLE) },
	{ "head", HTML_SKIP, 0, 100, 0, 0 },
	{ "header", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "hgroup", HTML_BLOCK, 0, 100, 0, 0 },
	{ "hr", HTML_BLOCK, HTML_SIMPLE | HTML_VOID, 100, C(HR), 0 },
	{ "i", HTML_INLINE, HTML_SIMPLE, 100, 0,
	    C(P) | C(CENTER) | C(TD) | C(TH) },
	{ "iframe", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "img", HTML_INLINE, HTML_SIMPLE | HTML_VOID, 100, 0, 0 },
	{ "kbd", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "legend", HTML_BLOCK, 0, 100, 0, 0 },
	{ "li", HTML_BLOCK, HTML_SIMPLE, 100, C(LI), C(LI) },
	{ "main", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "mark", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "math", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "menu", HTML_BLOCK, 0, 100, 0, 0 },
	{ "nav", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "noscript", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "object", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "ol", HTML_BLOCK, HTML_SIMPLE, 100, C(OL), C(UL) },
	{ "p", HTML_BLOCK, HTML_SIMPLE, 100, C(P),
	    C(P) | C(DIV) | C(H1) | C(H2) | C(H3) | C(H4) | C(H5) | C(H6) |
	    C(UL) | C(OL) | C(LI) | C(BLOCKQUOTE) | C(PRE) | C(ADDRESS) |
	    C(CENTER) | C(DL) | C(DT) | C(DD) | C(TABLE) | C(TBODY) | C(TFOOT) |
	    C(TR) | C(TD) | C(TH) | C(CAPTION) | C(HR) },
	{ "pre", HTML_BLOCK, HTML_SIMPLE, 100, C(PRE),
	    C(UL) | C(LI) | C(DL) | C(DT) | C(DD) | C(TABLE) },
	{ "q", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "s", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) },
	{ "samp", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "script", HTML_SKIP, HTML_SIMPLE | HTML_RAW, 100, 0, 0 },
	{ "section", HTML_BLOCK, HTML_SIMPLE, 100, 0, 0 },
	{ "select", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "small", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) },
	{ "span", HTML_INLINE, HTML_SIMPLE, 100, 0, C(TD) | C(TH) },
	{ "strike", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) },
	{ "strong", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "style", HTML_SKIP, HTML_SIMPLE | HTML_RAW, 100, 0, 0 },
	{ "sub", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "summary", HTML_BLOCK, 0, 100, 0, 0 },
	{ "sup", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "svg", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "table", HTML_BLOCK, HTML_SIMPLE, 190, C(TABLE), 0 },
	{ "tbody", HTML_BLOCK, HTML_SIMPLE, 180, C(TBODY),
	    C(TBODY) | C(TFOOT) },
	{ "td", HTML_CELL, HTML_SIMPLE, 160, C(TD),
	    C(TBODY) | C(TFOOT) | C(TR) | C(TD) | C(TH) },
	{ "template", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "textarea", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	{ "tfoot", HTML_BLOCK, HTML_SIMPLE, 180, C(TFOOT), C(TBODY) },
	{ "th", HTML_CELL, HTML_SIMPLE, 160, C(TH),
	    C(TBODY) | C(TFOOT) | C(TR) | C(TD) | C(TH) },
	{ "thead", HTML_BLOCK, HTML_SIMPLE, 180, C(THEAD),
	    C(TBODY) | C(TFOOT) },
	{ "time", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "title", HTML_SKIP, 0, 100, 0, 0 },
	{ "tr", HTML_BLOCK, HTML_SIMPLE, 170, C(TR),
	    C(TBODY) | C(TFOOT) | C(TR) },
	{ "tt", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) },
	{ "u", HTML_INLINE, HTML_SIMPLE, 100, 0, C(P) | C(TD) | C(TH) },
	{ "ul", HTML_BLOCK, HTML_SIMPLE, 100, C(UL),
	    C(OL) | C(PRE) | C(ADDRESS) },
	{ "var", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
	{ "video", HTML_SKIP, HTML_SIMPLE, 100, 0, 0 },
	/* libxml2 2.9 does not know <wbr>: it stays open, like any
	 * unknown element. */
	{ "wbr", HTML_INLINE, HTML_SIMPLE, 100, 0, 0 },
};
#undef C

/* The entities news text uses most, looked up here first because
 * htmlEntityLookup walks libxml2's table of 253 in code point order, so
 * &rsquo; or &mdash; cost two hundred string compares. Every value here
 * is the one libxml2 gives (a test checks). Sorted for bsearch. */
static const struct html_entity {
	const char	*name;
	unsigned int	 value;
} html_entities[] = {
	{ "amp", '&' }, { "apos", '\'' }, { "bull", 0x2022 },
	{ "copy", 0xa9 }, { "euro", 0x20ac }, { "gt", '>' },
	{ "hellip", 0x2026 }, { "laquo", 0xab }, { "ldquo", 0x201c },
	{ "lsquo", 0x2018 }, { "lt", '<' }, { "mdash", 0x2014 },
	{ "middot", 0xb7 }, { "nbsp", 0xa0 }, { "ndash", 0x2013 },
	{ "quot", '"' }, { "raquo", 0xbb }, { "rdquo", 0x201d },
	{ "reg", 0xae }, { "rsquo", 0x2019 }, { "shy", 0xad },
	{ "trade", 0x2122 },
};

/* Windows-1252's meaning of 0x80-0x9f: feeds written in it often say
 * &#150; or carry U+0096 when they mean an en dash, as browsers assume.
 * 0 marks the five code points windows-1252 leaves undefined. */
static const unsigned short html_cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Makes room for n more bytes of output. */
static void
html_reserve(struct html_text *t, size_t n)
{
	if (t->len + n <= t->size)
		return;
	while (t->len + n > t->size)
		t->size = t->size == 0 ? 1024 : t->size * 2;
	t->buf = xrealloc(t->buf, t->size);
}

/* Writes the separator owed before new text; none at the start. */
static void
html_flush_gap(struct html_text *t)
{
	if (t->len != 0) {
		switch (t->gap) {
		case HTML_GAP_NONE:
			break;
		case HTML_GAP_SPACE:
			t->buf[t->len++] = ' ';
			break;
		case HTML_GAP_LINE:
			t->buf[t->len++] = '\n';
			break;
		case HTML_GAP_PARAGRAPH:
			t->buf[t->len++] = '\n';
			t->buf[t->len++] = '\n';
			break;
		}
	}
	t->gap = HTML_GAP_NONE;
}

/* Raises the separator owed before the next text to at least gap. */
static void
html_gap(struct html_text *t, enum html_gap gap)
{
	if (t->gap < gap)
		t->gap = gap;
}

/* Appends code point c (known valid) as UTF-8. */
static void
html_put_code(struct html_text *t, unsigned int c)
{
	char *o;

	html_reserve(t, 6);
	html_flush_gap(t);
	o = t->buf + t->len;
	if (c < 0x80)
		*o++ = (char)c;
	else if (c < 0x800) {
		*o++ = (char)(0xc0 | c >> 6);
		*o++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (char)(0xe0 | c >> 12);
		*o++ = (char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (char)(0xf0 | c >> 18);
		*o++ = (char)(0x80 | (c >> 12 & 0x3f));
		*o++ = (char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	}
	t->len = (size_t)(o - t->buf);
}

/* Decodes the character reference at p ("&#...", n bytes available) the
 * way libxml2's htmlParseCharRef does, so that both paths agree: digits up
 * to the first non-digit, an optional ';', and nothing at all for a value
 * that is not an XML character. Returns the bytes consumed. */
static size_t
html_char_ref(struct html_text *t, const char *p, size_t n)
{
	unsigned int v = 0, d;
	size_t i = 2;
	int hex = n > 2 && (p[2] == 'x' || p[2] == 'X');

	if (hex)
		i = 3;
	for (; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = (unsigned int)(p[i] - '0');
		else if (hex && p[i] >= 'a' && p[i] <= 'f')
			d = (unsigned int)(p[i] - 'a' + 10);
		else if (hex && p[i] >= 'A' && p[i] <= 'F')
			d = (unsigned int)(p[i] - 'A' + 10);
		else
			break;
		if (v < 0x110000)
			v = v * (hex ? 16 : 10) + d;
	}
	if (i < n && p[i] == ';')
		i++;
	if (v == 0x9 || v == 0xa || v == 0xd || v == 0x20)
		html_gap(t, HTML_GAP_SPACE);
	else if ((v > 0x20 && v < 0x7f) || (v >= 0x80 && v <= 0xd7ff) ||
	    (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff)) {
		if (v >= 0x80 && v <= 0x9f)
			v = html_cp1252[v - 0x80];
		if (v != 0)
			html_put_code(t, v);
	}
	return i;
}

/* Orders html_entities for bsearch. */
static int
html_entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct html_entity *)elem)->name);
}

/* Decodes the named reference at p ("&name;", n bytes available) as
 * libxml2's htmlParseEntityRef does: a known name followed by ';' is
 * replaced; anything else stays as written. Returns the bytes consumed. */
static size_t
html_entity_ref(struct html_text *t, const char *p, size_t n)
{
	const struct html_entity *e;
	const htmlEntityDesc *d;
	char name[16];
	size_t i;

	for (i = 1; i < n && i <= sizeof name; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' &&
		    p[i] <= 'Z') || (i > 1 && p[i] >= '0' && p[i] <= '9')))
			break;
	}
	if (i == 1 || i >= n || p[i] != ';' || i > sizeof name)
		return 0;
	memcpy(name, p + 1, i - 1);
	name[i - 1] = '\0';
	e = bsearch(name, html_entities, sizeof html_entities /
	    sizeof html_entities[0], sizeof html_entities[0], html_entity_cmp);
	if (e != NULL) {
		html_put_code(t, e->value);
		return i + 1;
	}
	if ((d = htmlEntityLookup((const xmlChar *)name)) == NULL)
		return 0;
	html_put_code(t, d->value);
	return i + 1;
}

/*
 * How html_put_text treats each byte value: HTML_BYTE_PLAIN is visible
 * ASCII copied as it is; HTML_BYTE_LEAD2/3 lead a two- or three-byte UTF-8
 * character copied as it is when its continuation bytes are there (0xc2
 * is left out: U+0080-U+009F are mapped, see html_cp1252; so are 0xe0 and
 * 0xed, whose second byte has a narrower range, and 0xef, which leads
 * U+FFFE and U+FFFF); 0 is everything that needs a closer look: white
 * space, controls, '&', other UTF-8.
 */
#define HTML_BYTE_PLAIN	1
#define HTML_BYTE_LEAD2	2
#define HTML_BYTE_LEAD3	3
#define HTML_BYTES_16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char html_bytes[256] = {
	HTML_BYTES_16(0), HTML_BYTES_16(0),
	/* ' ' '!' '"' '#' '$' '%' '&' ... */
	0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	HTML_BYTES_16(1), HTML_BYTES_16(1), HTML_BYTES_16(1),
	HTML_BYTES_16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x7f */
	HTML_BYTES_16(0), HTML_BYTES_16(0), HTML_BYTES_16(0),
	HTML_BYTES_16(0),
	0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xc0 */
	HTML_BYTES_16(2),
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 0,	/* 0xe0 */
	HTML_BYTES_16(0),
};

/* Appends text, collapsing white space, repairing invalid UTF-8 and, when
 * entities is set, decoding character and entity references. Runs of
 * plain units, with single spaces between them, are copied at once:
 * that is nearly all of any real text. A space joins a run only when
 * what follows it is sure to give output (so no other space can follow). */
static void
html_put_text(struct html_text *t, const char *s, size_t n, int entities)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, run;
	unsigned int c;

	while (i < n) {
		for (run = i; run < n;) {
			switch (html_bytes[p[run]]) {
			case HTML_BYTE_PLAIN:
				run++;
				continue;
			case HTML_BYTE_LEAD2:
				if (run + 1 >= n || (p[run + 1] & 0xc0) != 0x80)
					break;
				run += 2;
				continue;
			case HTML_BYTE_LEAD3:
				if (run + 2 >= n ||
				    (p[run + 1] & 0xc0) != 0x80 ||
				    (p[run + 2] & 0xc0) != 0x80)
					break;
				run += 3;
				continue;
			default:
				if (p[run] == ' ' && run > i && run + 1 < n &&
				    html_bytes[p[run + 1]] != 0) {
					run++;
					continue;
				}
				if (p[run] == '&' && !entities) {
					run++;
					continue;
				}
				break;
			}
			break;
		}
		if (run > i) {
			html_reserve(t, run - i + 2);
			html_flush_gap(t);
			memcpy(t->buf + t->len, s + i, run - i);
			t->len += run - i;
			i = run;
			continue;
		}
		c = p[i];
		if (c <= ' ') {
			/* Other control characters are not characters of a
			 * document; libxml2 drops them (and reads a NUL as a
			 * space), and so do we. */
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == '\0')
				html_gap(t, HTML_GAP_SPACE);
			i++;
			continue;
		}
		if (c == '&') {
			if (i + 1 < n && p[i + 1] == '#')
				k = html_char_ref(t, s + i, n - i);
			else
				k = html_entity_ref(t, s + i, n - i);
			if (k == 0) {
				html_put_code(t, '&');
				k = 1;
			}
			i += k;
			continue;
		}
		if (c == 0x7f) {
			i++;
			continue;
		}
		if ((k = parse_utf8_len(p + i, n - i)) == 0) {
			/* One U+FFFD for a lead byte and the continuation
			 * bytes it has, as parse_utf8_clip does. */
			html_put_code(t, 0xfffd);
			k = c >= 0xf5 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 :
			    c >= 0xc0 ? 1 : 0;
			for (i++; k > 0 && i < n && (p[i] & 0xc0) == 0x80; k--)
				i++;
			continue;
		}
		if (c == 0xc2 && p[i + 1] <= 0x9f) {
			/* U+0080-U+009F: see html_cp1252. */
			if ((c = html_cp1252[p[i + 1] - 0x80]) != 0)
				html_put_code(t, c);
		} else if (c == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe) {
			/* U+FFFE and U+FFFF are not XML characters: libxml2
			 * drops them. */
		} else {
			html_reserve(t, k + 2);
			html_flush_gap(t);
			memcpy(t->buf + t->len, s + i, k);
			t->len += k;
		}
		i += k;
	}
}

/* Orders html_elements for bsearch. Names are a few bytes: a loop here
 * beats a call to strcmp, which showed in profiles. */
static int
html_element_cmp(const void *key, const void *elem)
{
	const unsigned char *a = key;
	const unsigned char *b = (const unsigned char *)
	    ((const struct html_element *)elem)->name;

	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a - *b;
}

/* Finds an element by its lower case name; NULL when not listed. */
static const struct html_element *
html_element_find(const char *name)
{
	return bsearch(name, html_elements, sizeof html_elements /
	    sizeof html_elements[0], sizeof html_elements[0],
	    html_element_cmp);
}

/* An element opens (e may be NULL: an unlisted, inline element). */
static void
html_start(struct html_text *t, const struct html_element *e)
{
	switch (e == NULL ? HTML_INLINE : e->kind) {
	case HTML_INLINE:
		break;
	case HTML_SKIP:
		t->skip++;
		break;
	case HTML_BLOCK:
		html_gap(t, HTML_GAP_PARAGRAPH);
		break;
	case HTML_BREAK:
		/* Two breaks in a row are how many feeds mark paragraphs. */
		html_gap(t, t->gap >= HTML_GAP_LINE ? HTML_GAP_PARAGRAPH :
		    HTML_GAP_LINE);
		break;
	case HTML_CELL:
		html_gap(t, HTML_GAP_SPACE);
		break;
	}
}

/* An element closes. */
static void
html_end(struct html_text *t, const struct html_element *e)
{
	switch (e == NULL ? HTML_INLINE : e->kind) {
	case HTML_SKIP:
		if (t->skip > 0)
			t->skip--;
		break;
	case HTML_BLOCK:
		html_gap(t, HTML_GAP_PARAGRAPH);
		break;
	case HTML_CELL:
		html_gap(t, HTML_GAP_SPACE);
		break;
	default:
		break;
	}
}

/* SAX: an element opens. */
static void
html_start_cb(void *arg, const xmlChar *name, const xmlChar **atts)
{
	html_start(arg, html_element_find((const char *)name));
}

/* SAX: an element closes (libxml2 also reports the ones it closes itself). */
static void
html_end_cb(void *arg, const xmlChar *name)
{
	html_end(arg, html_element_find((const char *)name));
}

/* SAX: text, with references already decoded by libxml2. */
static void
html_characters_cb(void *arg, const xmlChar *s, int len)
{
	struct html_text *t = arg;

	if (t->skip == 0 && len > 0)
		html_put_text(t, (const char *)s, (size_t)len, 0);
}

/* SAX: the content of script and style, which is never text. */
static void
html_cdata_cb(void *arg, const xmlChar *s, int len)
{
}

/* SAX: errors are expected (descriptions are fragments, often broken);
 * libxml2 would print them on stderr without a handler. */
static void
html_error_cb(void *arg, xmlErrorPtr error)
{
}

/* Creates the thread's parser context with our SAX handler. */
static htmlParserCtxtPtr
html_ctxt_new(void)
{
	htmlParserCtxtPtr ctxt;
	htmlSAXHandler *sax;

	if ((ctxt = htmlNewParserCtxt()) == NULL)
		fatalx("htmlNewParserCtxt failed");
	sax = ctxt->sax;
	memset(sax, 0, sizeof *sax);
	sax->startElement = html_start_cb;
	sax->endElement = html_end_cb;
	sax->characters = html_characters_cb;
	sax->ignorableWhitespace = html_characters_cb;
	sax->cdataBlock = html_cdata_cb;
	sax->serror = html_error_cb;
	sax->initialized = XML_SAX2_MAGIC;
	return ctxt;
}

/* Returns the thread's parser state, creating or renewing its context. */
static struct html_parser *
html_parser_get(void)
{
	struct html_parser *hp = html_parser;

	if (hp == NULL) {
		hp = html_parser = xcalloc(1, sizeof *hp);
		hp->ctxt = html_ctxt_new();
	} else if (xmlDictSize(hp->ctxt->dict) > HTML_MAX_NAMES) {
		htmlFreeParserCtxt(hp->ctxt);
		hp->ctxt = html_ctxt_new();
	}
	return hp;
}

/* True when the fragment is valid UTF-8 without a NUL. */
static int
html_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < len) {
		if (p[i] < 0x80) {
			if (p[i] == '\0')
				return 0;
			i++;
			continue;
		}
		if ((k = parse_utf8_len(p + i, len - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Runs libxml2's HTML parser over the fragment into t. This is
 * htmlCtxtReadMemory taken apart to set the charset to UTF-8 after the
 * reset (what feed.c and jsonfeed.c hand us), where htmlCtxtReadMemory
 * would either guess ISO-8859-1 or, given "UTF-8", run a conversion pass
 * that costs a third of the parse. The input is copied (libxml2 needs it
 * NUL terminated) and the context reset afterwards, so it holds nothing
 * of this fragment between calls. */
static void
html_parse_markup(struct html_parser *hp, const char *html, size_t len)
{
	htmlParserCtxtPtr ctxt = hp->ctxt;
	xmlParserInputBufferPtr buf;
	xmlParserInputPtr input;

	buf = xmlParserInputBufferCreateMem(html, (int)len,
	    XML_CHAR_ENCODING_NONE);
	if (buf == NULL)
		fatalx("xmlParserInputBufferCreateMem failed");
	if ((input = xmlNewIOInputStream(ctxt, buf,
	    XML_CHAR_ENCODING_NONE)) == NULL)
		fatalx("xmlNewIOInputStream failed");
	inputPush(ctxt, input);
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
	ctxt->html = 1;
	ctxt->charset = XML_CHAR_ENCODING_UTF8;
	ctxt->userData = &hp->text;
	htmlParseDocument(ctxt);
	/* With no SAX startDocument libxml2 builds no tree; free whatever
	 * a future version would build. */
	xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	htmlCtxtReset(ctxt);
}

/*
 * html_scan: the shortcut for the markup feeds actually send. Running
 * libxml2's HTML parser costs about 10 us for a 1 KB description (its
 * per-character input layer), ten times the budget of a whole item; most
 * descriptions are a few well-formed <p>, <a>, <b>, <br>, <li>. html_scan
 * reads those itself and reproduces the events libxml2 would report for
 * them - including its implied <p> before leading text, the elements a
 * start tag closes and how a misplaced end tag is ignored - into the same
 * html_start/html_end/html_put_text. Anything else (an element it does
 * not list as simple, a script before any text, a comment with "--"
 * inside, a doctype, CDATA, a tag it cannot read) makes it give up, and
 * the whole fragment goes to libxml2. test_parse_html.c runs both on real
 * feeds and on random markup and requires the same text; so does the
 * fuzz target tests/fuzz/fuzz_html.c.
 */
#define HTML_SCAN_DEPTH	64

/* The open elements, as libxml2's name stack would hold them (its implied
 * <html> and <body> left out: they never close or get closed here). */
struct html_scan {
	const struct html_element	*open[HTML_SCAN_DEPTH];
	int				 nopen;
	int				 started;	/* <body> implied */
};

/* An ASCII letter, the start of a tag name. */
static int
html_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* White space as libxml2 reads it in markup (no form feed). */
static int
html_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a tag name at s[*i] (letters then letters or digits) in lower
 * case and finds its element; NULL when it is not one html_scan knows. */
static const struct html_element *
html_scan_name(const char *s, size_t len, size_t *i)
{
	const struct html_element *e;
	char name[12];
	size_t n = 0;

	while (*i < len && (html_alpha(s[*i]) || (n > 0 && s[*i] >= '0' &&
	    s[*i] <= '9'))) {
		if (n == sizeof name - 1)
			return NULL;
		name[n++] = (char)(s[(*i)++] | 0x20);
	}
	name[n] = '\0';
	if (n == 0 || (e = html_element_find(name)) == NULL ||
	    !(e->flags & HTML_SIMPLE))
		return NULL;
	return e;
}

/* Skips the attributes of a start tag up to and past its '>'; sets
 * *empty for "/>". Returns -1 for anything not plainly an attribute. */
static int
html_scan_attributes(const char *s, size_t len, size_t *i, int *empty)
{
	const char *q;
	size_t j = *i, n;
	char c;

	for (;;) {
		while (j < len && html_space(s[j]))
			j++;
		if (j >= len)
			return -1;
		if (s[j] == '>' || (s[j] == '/' && j + 1 < len &&
		    s[j + 1] == '>')) {
			*empty = s[j] == '/';
			*i = j + (*empty ? 2 : 1);
			return 0;
		}
		if (!html_alpha(s[j]) && s[j] != '_' && s[j] != ':')
			return -1;
		/* libxml2 cuts names at 100 bytes and reads on oddly. */
		for (n = 0; j < len && (html_alpha(s[j]) || (s[j] >= '0' &&
		    s[j] <= '9') || s[j] == '_' || s[j] == ':' ||
		    s[j] == '.' || s[j] == '-'); n++)
			j++;
		if (n > 90)
			return -1;
		while (j < len && html_space(s[j]))
			j++;
		if (j >= len || s[j] != '=')
			continue;
		for (j++; j < len && html_space(s[j]); j++)
			;
		if (j >= len)
			return -1;
		if ((c = s[j]) == '"' || c == '\'') {
			if ((q = memchr(s + j + 1, c, len - j - 1)) == NULL)
				return -1;
			j = (size_t)(q - s) + 1;
			continue;
		}
		if (c == '>')
			return -1;
		while (j < len && !html_space(s[j]) && s[j] != '>')
			j++;
		/* "<a href=x/>": libxml2 reads "x/" as the value. */
		if (s[j - 1] == '/' || s[j - 1] == '"' || s[j - 1] == '\'')
			return -1;
	}
}

/* A start tag: libxml2 closes what it closes, then opens e. */
static int
html_scan_start(struct html_scan *sc, struct html_text *t,
    const struct html_element *e, int empty)
{
	sc->started = 1;
	while (sc->nopen > 0 && (sc->open[sc->nopen - 1]->closed_by &
	    e->closer) != 0)
		html_end(t, sc->open[--sc->nopen]);
	html_start(t, e);
	if ((e->flags & HTML_VOID) || empty) {
		html_end(t, e);
		return 0;
	}
	if (sc->nopen == HTML_SCAN_DEPTH)
		return -1;
	sc->open[sc->nopen++] = e;
	return 0;
}

/* An end tag: ignored when e is not open or an element of higher
 * priority is open above it; else it closes e and all above it. */
static void
html_scan_end(struct html_scan *sc, struct html_text *t,
    const struct html_element *e)
{
	int k;

	for (k = sc->nopen - 1; k >= 0 && sc->open[k] != e; k--) {
		if (sc->open[k]->priority > e->priority)
			return;
	}
	if (k < 0)
		return;
	while (sc->nopen > k)
		html_end(t, sc->open[--sc->nopen]);
}

/* True when s holds "&#". */
static int
html_has_char_ref(const char *s, size_t n)
{
	const char *p = s;

	while ((p = memchr(p, '&', n - (size_t)(p - s))) != NULL) {
		if (++p < s + n && *p == '#')
			return 1;
	}
	return 0;
}

/* Text up to the next '<': before anything else libxml2 opens an implied
 * <p> for it, unless it is only white space. */
static int
html_scan_text(struct html_scan *sc, struct html_text *t, const char *s,
    size_t n)
{
	size_t k;

	if (!sc->started) {
		/* Characters libxml2 drops before it looks at the text
		 * (controls, U+FFFE, U+FFFF) are left to it here. */
		for (k = 0; k < n; k++) {
			if (((unsigned char)s[k] < ' ' && !html_space(s[k])) ||
			    s[k] == 0x7f || (k + 2 < n &&
			    (unsigned char)s[k] == 0xef &&
			    (unsigned char)s[k + 1] == 0xbf &&
			    (unsigned char)s[k + 2] >= 0xbe))
				return -1;
		}
		for (k = 0; k < n && html_space(s[k]); k++)
			;
		/* A character reference libxml2 finds invalid gives no
		 * text and implies nothing; leave such starts to it. */
		if (k < n && html_has_char_ref(s, n))
			return -1;
		if (k < n) {
			sc->started = 1;
			if (html_scan_start(sc, t, html_element_find("p"),
			    0) == -1)
				return -1;
		}
	}
	if (t->skip == 0)
		html_put_text(t, s, n, 1);
	return 0;
}

/* Skips the content of a script or style up to its end tag, which
 * libxml2 (recovering) finds as "</" and the element's name in any case.
 * Before anything else libxml2 would put the element in an implied
 * <head>, hence the caller's check of started. */
static int
html_scan_raw(const char *s, size_t len, size_t *i,
    const struct html_element *e)
{
	size_t n = strlen(e->name), j = *i, k;
	const char *p;

	while ((p = memchr(s + j, '<', len - j)) != NULL) {
		/* Content that starts with a tag is read as markup by
		 * libxml2 before it turns to the raw text. */
		if (p == s + *i && !(len - j > n + 2 && p[1] == '/' &&
		    strncasecmp(p + 2, e->name, n) == 0))
			return -1;
		j = (size_t)(p - s);
		if (j + 2 + n < len && s[j + 1] == '/') {
			for (k = 0; k < n && (s[j + 2 + k] | 0x20) ==
			    e->name[k]; k++)
				;
			if (k == n) {
				if (!html_space(s[j + 2 + n]) &&
				    s[j + 2 + n] != '>')
					return -1;
				*i = j;
				return 0;
			}
		}
		j++;
	}
	return -1;
}

/* Reads the fragment into t as libxml2 would; -1 when it must be left to
 * libxml2 (t then holds partial output). */
static int
html_scan(struct html_text *t, const char *s, size_t len)
{
	struct html_scan sc;
	const struct html_element *e;
	const char *p;
	size_t i = 0, j;
	int empty;

	sc.nopen = sc.started = 0;
	while (i < len) {
		if (s[i] != '<') {
			p = memchr(s + i, '<', len - i);
			j = p == NULL ? len : (size_t)(p - s);
			if (html_scan_text(&sc, t, s + i, j - i) == -1)
				return -1;
			i = j;
			continue;
		}
		if (i + 1 < len && html_alpha(s[i + 1])) {
			i++;
			if ((e = html_scan_name(s, len, &i)) == NULL ||
			    (i < len && !html_space(s[i]) && s[i] != '>' &&
			    s[i] != '/') ||
			    html_scan_attributes(s, len, &i, &empty) == -1 ||
			    ((e->flags & HTML_RAW) && (!sc.started || empty)) ||
			    html_scan_start(&sc, t, e, empty) == -1)
				return -1;
			if ((e->flags & HTML_RAW) &&
			    html_scan_raw(s, len, &i, e) == -1)
				return -1;
			continue;
		}
		if (i + 2 < len && s[i + 1] == '/' && html_alpha(s[i + 2])) {
			i += 2;
			if ((e = html_scan_name(s, len, &i)) == NULL)
				return -1;
			while (i < len && html_space(s[i]))
				i++;
			if (i >= len || s[i] != '>')
				return -1;
			i++;
			html_scan_end(&sc, t, e);
			continue;
		}
		if (len - i >= 7 && memcmp(s + i, "<!--", 4) == 0 &&
		    s[i + 4] != '>' && s[i + 4] != '-') {
			/* A comment; libxml2 also ends one at "--!>", so
			 * any "--" before the end is left to it. */
			for (p = s + i + 4; (p = memchr(p, '-', len -
			    (size_t)(p - s))) != NULL && (size_t)(p - s) + 1 <
			    len && p[1] != '-'; p++)
				;
			if (p == NULL || (size_t)(p - s) + 3 > len ||
			    p[1] != '-' || p[2] != '>')
				return -1;
			i = (size_t)(p - s) + 3;
			continue;
		}
		/* A '<' that starts nothing is text, once libxml2 has
		 * implied its <body>; before, it is one of its oddities. */
		if (!sc.started || (i + 1 < len && (s[i + 1] == '/' ||
		    s[i + 1] == '!' || s[i + 1] == '?')))
			return -1;
		if (t->skip == 0)
			html_put_text(t, "<", 1, 0);
		i++;
	}
	return 0;
}

/* parse_html_to_text, with html_scan tried first when shortcut is set. */
static char *
html_to_text(const char *html, size_t len, int shortcut)
{
	struct html_parser *hp;
	struct html_text *t;
	char *out, *repaired, *spaced;
	size_t i;

	if (html == NULL)
		return xstrdup("");
	if (len > HTML_MAX_INPUT)
		len = HTML_MAX_INPUT;
	hp = html_parser_get();
	t = &hp->text;
	t->len = 0;
	t->gap = HTML_GAP_NONE;
	t->skip = 0;
	if (memchr(html, '<', len) != NULL) {
		/* A NUL (only ever in hostile input) is left to libxml2,
		 * which reads it differently inside a tag. */
		if (shortcut && memchr(html, '\0', len) == NULL &&
		    html_scan(t, html, len) == 0)
			goto done;
		t->len = 0;
		t->gap = HTML_GAP_NONE;
		t->skip = 0;
		/* libxml2 would read the rest of a fragment with a broken
		 * UTF-8 sequence as ISO-8859-1; mend it first instead. A
		 * NUL, which parse_utf8_clip drops, is read as the space
		 * libxml2 and html_put_text make of it. */
		if (!html_utf8_valid(html, len)) {
			spaced = xmalloc(len);
			for (i = 0; i < len; i++)
				spaced[i] = html[i] == '\0' ? ' ' : html[i];
			repaired = parse_utf8_clip(spaced, len, len * 3);
			free(spaced);
			html_parse_markup(hp, repaired, strlen(repaired));
			free(repaired);
		} else
			html_parse_markup(hp, html, len);
	} else {
		/* Text without tags: our own decoder gives the same result
		 * as libxml2 (a test compares them) at a fraction of the
		 * cost of a parse, and none at all without '&'. */
		html_put_text(t, html, len, memchr(html, '&', len) != NULL);
	}
done:
	out = xmalloc(t->len + 1);
	if (t->len != 0)
		memcpy(out, t->buf, t->len);
	out[t->len] = '\0';
	/* The buffer is kept for the next call, unless an outsized field
	 * made it large. */
	if (t->size > HTML_KEEP_BUFFER) {
		free(t->buf);
		t->buf = NULL;
		t->size = 0;
	}
	return out;
}

char *
parse_html_to_text(const char *html, size_t len)
{
	return html_to_text(html, len, 1);
}

char *
parse_html_to_text_libxml2(const char *html, size_t len)
{
	return html_to_text(html, len, 0);
}
