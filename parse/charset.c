/* parse/charset.c: which charset a feed's bytes are in, and those bytes as UTF-8. */

/*
 * libxml2 could convert by itself, but it gives up at the first byte that
 * is not valid in the declared charset and lets the XML declaration
 * override what HTTP said. Deciding here and converting with iconv, one
 * U+FFFD per bad sequence, keeps both rules ours: the byte order mark,
 * then the HTTP charset (RFC 7303), then the declaration. The parser then
 * always reads UTF-8 with the declaration ignored. UTF-8 input, the common
 * case, is not copied at all.
 */

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "parse/charset.h"
#include "parse/parse_internal.h"

/* Labels seen in feeds that iconv reads differently from browsers, or not
 * at all. Latin-1 labels mean windows-1252 as they do on the web (real
 * "ISO-8859-1" feeds use its curly quotes), GB2312 is read as its
 * superset GB18030, and so on. Sorted for bsearch. */
static const struct charset_alias {
	const char	*label;
	const char	*name;	/* NULL: UTF-8, no conversion */
} charset_aliases[] = {
	{ "ansi_x3.4-1968", NULL },
	{ "ascii", NULL },
	{ "cn-gb", "GB18030" },
	{ "cp819", "WINDOWS-1252" },
	{ "csgb2312", "GB18030" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "ibm819", "WINDOWS-1252" },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "iso-8859-9", "WINDOWS-1254" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "ks_c_5601-1987", "CP949" },
	{ "l1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "shift_jis", "CP932" },
	{ "sjis", "CP932" },
	{ "tis-620", "CP874" },
	{ "unicode-1-1-utf-8", NULL },
	{ "us-ascii", NULL },
	{ "utf-8", NULL },
	{ "utf8", NULL },
	{ "windows-31j", "CP932" },
	{ "x-gbk", "GB18030" },
	{ "x-mac-cyrillic", "MAC-CYRILLIC" },
	{ "x-sjis", "CP932" },
};

/* Orders charset_aliases for bsearch. */
static int
charset_alias_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct charset_alias *)elem)->label);
}

/* Sets g->name from a label of n bytes (quotes and case as found). */
static void
charset_set(struct charset_guess *g, const char *label, size_t n)
{
	const struct charset_alias *a;
	char lower[CHARSET_NAME_MAX];
	size_t i;

	if (n == 0 || n >= sizeof lower)
		return;
	for (i = 0; i < n; i++) {
		lower[i] = label[i];
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] += 'a' - 'A';
	}
	lower[n] = '\0';
	a = bsearch(lower, charset_aliases, sizeof charset_aliases /
	    sizeof charset_aliases[0], sizeof charset_aliases[0],
	    charset_alias_cmp);
	if (a != NULL && a->name == NULL) {
		strcpy(g->name, "UTF-8");
		g->utf8 = 1;
		return;
	}
	strcpy(g->name, a != NULL ? a->name : lower);
	g->utf8 = 0;
}

/* Copies the charset parameter of a Content-Type into g; returns 1 when
 * there is one. */
static int
charset_from_type(const char *type, struct charset_guess *g)
{
	const char *p, *v;
	size_t n;

	for (p = type; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		p += 7;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"' || *p == '\'')
			p++;
		v = p;
		while (*p != '\0' && *p != '"' && *p != '\'' && *p != ';' &&
		    *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - v);
		if (n == 0 || n >= CHARSET_NAME_MAX)
			return 0;
		charset_set(g, v, n);
		return 1;
	}
	return 0;
}

/* Reads encoding="..." from an XML declaration at the start of buf;
 * returns 1 when there is one. */
static int
charset_from_declaration(const char *buf, size_t len, struct charset_guess *g)
{
	const char *p = buf, *end, *v;
	char quote;

	if (len > 1024)
		len = 1024;
	end = buf + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (end - p < 6 || memcmp(p, "<?xml", 5) != 0)
		return 0;
	for (p += 5; p + 8 < end && !(p[0] == '?' && p[1] == '>'); p++) {
		if (memcmp(p, "encoding", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p == end || *p != '=')
			return 0;
		p++;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p == end || (*p != '"' && *p != '\''))
			return 0;
		quote = *p++;
		for (v = p; p < end && *p != quote; p++)
			;
		if (p == end)
			return 0;
		charset_set(g, v, (size_t)(p - v));
		return 1;
	}
	return 0;
}

/* Gives "UTF-16"/"UTF-32" without a byte order the order the bytes show:
 * '<' as the first code unit tells which end its zero bytes are on. */
static void
charset_fix_order(struct charset_guess *g, const unsigned char *b, size_t len)
{
	int le = len >= 2 && b[0] != 0 && b[1] == 0;

	if (strcasecmp(g->name, "utf-16") == 0 || strcasecmp(g->name, "utf16") == 0)
		strcpy(g->name, le ? "UTF-16LE" : "UTF-16BE");
	else if (strcasecmp(g->name, "utf-32") == 0 || strcasecmp(g->name, "utf32") == 0)
		strcpy(g->name, le ? "UTF-32LE" : "UTF-32BE");
}

int
charset_is_wide(const char *name)
{
	return strncasecmp(name, "utf-16", 6) == 0 ||
	    strncasecmp(name, "utf-32", 6) == 0 ||
	    strncasecmp(name, "utf16", 5) == 0 ||
	    strncasecmp(name, "utf32", 5) == 0 ||
	    strncasecmp(name, "ucs-", 4) == 0;
}

void
charset_guess(const char *buf, size_t len, const char *content_type,
    struct charset_guess *g)
{
	const unsigned char *b = (const unsigned char *)buf;
	static const struct {
		unsigned char	 bytes[4];
		size_t		 len;
		const char	*name;
	} boms[] = {
		{ { 0xef, 0xbb, 0xbf }, 3, "UTF-8" },
		{ { 0xff, 0xfe, 0, 0 }, 4, "UTF-32LE" },
		{ { 0, 0, 0xfe, 0xff }, 4, "UTF-32BE" },
		{ { 0xff, 0xfe }, 2, "UTF-16LE" },
		{ { 0xfe, 0xff }, 2, "UTF-16BE" },
	}, patterns[] = {
		{ { '<', 0, 0, 0 }, 4, "UTF-32LE" },
		{ { 0, 0, 0, '<' }, 4, "UTF-32BE" },
		{ { '<', 0, '?', 0 }, 4, "UTF-16LE" },
		{ { 0, '<', 0, '?' }, 4, "UTF-16BE" },
	};
	size_t i;

	memset(g, 0, sizeof *g);
	strcpy(g->name, "UTF-8");
	g->utf8 = 1;
	for (i = 0; i < sizeof boms / sizeof boms[0]; i++) {
		if (len >= boms[i].len && memcmp(b, boms[i].bytes, boms[i].len) == 0) {
			strcpy(g->name, boms[i].name);
			g->utf8 = i == 0;
			g->skip = boms[i].len;
			return;
		}
	}
	if (content_type != NULL && charset_from_type(content_type, g)) {
		charset_fix_order(g, b, len);
		return;
	}
	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		if (len >= 4 && memcmp(b, patterns[i].bytes, 4) == 0) {
			strcpy(g->name, patterns[i].name);
			g->utf8 = 0;
			return;
		}
	}
	/* A declaration we could read is in an ASCII-compatible charset,
	 * whatever it claims: "UTF-16" there is a mistake. */
	if (charset_from_declaration(buf, len, g) && charset_is_wide(g->name)) {
		strcpy(g->name, "UTF-8");
		g->utf8 = 1;
	}
}

/* Bytes one character takes at least in charset, so that a bad one is
 * skipped whole in UTF-16 and UTF-32. */
static size_t
charset_unit(const char *charset)
{
	if (strncasecmp(charset, "utf-16", 6) == 0)
		return 2;
	if (strncasecmp(charset, "utf-32", 6) == 0)
		return 4;
	return 1;
}

/* Opens a converter from charset (or charset without an "x-" prefix). */
static iconv_t
charset_open(const char *charset)
{
	iconv_t cd;

	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1 &&
	    strncasecmp(charset, "x-", 2) == 0)
		cd = iconv_open("UTF-8", charset + 2);
	return cd;
}

int
charset_known(const char *charset)
{
	iconv_t cd;

	if ((cd = charset_open(charset)) == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

char *
charset_to_utf8(const char *buf, size_t len, const char *charset,
    size_t *outlen, size_t *nbad)
{
	iconv_t cd;
	char *in = (char *)buf, *out, *o;
	size_t inleft = len, size, used, unit = charset_unit(charset);
	int grow = 0;

	*nbad = 0;
	if ((cd = charset_open(charset)) == (iconv_t)-1)
		return NULL;
	size = len + len / 2 + 64;
	out = o = xmalloc(size);
	for (;;) {
		size_t left;

		/* Keep room for a U+FFFD after whatever iconv writes. */
		used = (size_t)(o - out);
		if (size - used < 16 || grow) {
			grow = 0;
			size *= 2;
			out = xrealloc(out, size);
			o = out + used;
		}
		left = size - used - 4;
		if (iconv(cd, &in, &inleft, &o, &left) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			grow = 1;
			continue;
		}
		/* EILSEQ (a sequence the charset does not have) or EINVAL
		 * (one cut by the end of the body): U+FFFD, and go on. */
		memcpy(o, "\xef\xbf\xbd", 3);
		o += 3;
		(*nbad)++;
		if (errno != EILSEQ || inleft <= unit)
			break;
		in += unit;
		inleft -= unit;
	}
	iconv_close(cd);
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

/* Counts valid multi-byte characters and invalid bytes, to tell a feed
 * in another charset from UTF-8 with a few broken characters. */
static void
charset_count_utf8(const char *buf, size_t len, size_t *good, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	size_t n;

	*good = *bad = 0;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = parse_utf8_len(p, (size_t)(end - p))) == 0) {
			(*bad)++;
			p++;
		} else {
			(*good)++;
			p += n;
		}
	}
}

char *
charset_repair_utf8(const char *buf, size_t len, size_t *outlen,
    int *as_1252)
{
	size_t good, bad, nbad;
	char *out;

	charset_count_utf8(buf, len, &good, &bad);
	/* Latin-1 text forms a valid UTF-8 sequence now and then ("\xe9\xa0\xbb"
	 * is "é »" and also U+983B), so the majority decides. */
	*as_1252 = bad > good;
	if (*as_1252 && (out = charset_to_utf8(buf, len, "WINDOWS-1252",
	    outlen, &nbad)) != NULL)
		return out;
	*as_1252 = 0;
	out = parse_utf8_clip(buf, len, SIZE_MAX);
	*outlen = strlen(out);
	return out;
}

int
charset_is_utf8_text(const char *buf, size_t len)
{
	size_t good, bad;

	charset_count_utf8(buf, len, &good, &bad);
	return good > 0 && bad == 0;
}

int
charset_utf8_valid(const char *buf, size_t len)
{
	size_t good, bad;

	charset_count_utf8(buf, len, &good, &bad);
	return bad == 0;
}
