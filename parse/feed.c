/* parse/feed.c: RSS 0.9x/1.0/2.0 and Atom to items through libxml2's SAX2 push parser. */

/*
 * The shape is sfeed's: bytes go in, items come out, and nothing is kept
 * of the document but the fields being read. Each start tag is looked up
 * in a sorted table of (namespace, name) once per distinct pair (libxml2
 * interns names, so later occurrences hit a small pointer-keyed cache);
 * the table says which field the element feeds in which context and with
 * what rank, so that content:encoded beats description and Atom's content
 * beats its summary whichever comes first. Field text accumulates in
 * buffers that live for the whole parse, so an item costs no allocation
 * until its finished strings are made.
 *
 * Safety: the parser never loads anything (XML_PARSE_NONET, no DTD
 * loading, no entity substitution option). Entity references other than
 * the five predefined ones go through feed_entity_cb, which answers with
 * the HTML character of that name (feeds write &nbsp; and &mdash; without
 * declaring them) or with the reference as literal text: entities a
 * document declares are never expanded, so neither "billion laughs" nor
 * an external entity (XXE) can do anything. Depth, item count and field
 * length are bounded by struct parse_limits.
 *
 * libxml2 runs in recovery mode so that the items before a well-formedness
 * error survive; the first error becomes the feed's warning. Input is
 * always UTF-8 here (charset.c converts) and the declared encoding is
 * ignored; invalid UTF-8 found on the way makes us parse again from a
 * repaired copy.
 */

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "common/common.h"
#include "parse/charset.h"
#include "parse/parse_internal.h"

/* Bytes handed to libxml2 at a time. One call with the whole body would
 * trip its 10 MB look-ahead limit; chunks of this size measured fastest. */
#define FEED_CHUNK		(64 * 1024)
/* Distinct entity names answered per document; beyond, references read
 * as nothing. */
#define FEED_ENTITIES		32
/* Longest entity name kept as literal text "&name;". */
#define FEED_ENTITY_NAME	24
/* Slots of the (name, namespace) -> tag cache; a power of two. */
#define FEED_TAG_CACHE		64

/* Separators written into a field's text for the markup of inline
 * (XHTML) content, turned into line breaks when the text is cleaned.
 * Neither byte is allowed in XML text, so none can come from the feed. */
#define FEED_MARK_BLOCK		'\001'
#define FEED_MARK_LINE		'\002'

/* Namespaces we read, folded into groups that mean the same to us. */
enum feed_ns {
	FEED_NS_OTHER,
	FEED_NS_RSS,		/* none in RSS 2.0; RSS 0.90's and 1.0's */
	FEED_NS_ATOM,		/* Atom 1.0 and 0.3 */
	FEED_NS_CONTENT,
	FEED_NS_DC,
	FEED_NS_DCTERMS,
	FEED_NS_ITUNES,
	FEED_NS_MEDIA,
	FEED_NS_RDF,
	FEED_NS_XHTML,
};

/* What we collect. Item fields first: they are reset per item. */
enum feed_field {
	FIELD_NONE,
	FIELD_TITLE,
	FIELD_LINK,
	FIELD_ID,
	FIELD_CONTENT,
	FIELD_SUMMARY,
	FIELD_AUTHOR,
	FIELD_PUBLISHED,
	FIELD_UPDATED,
	FIELD_FEED_TITLE,
	FIELD_FEED_LINK,
	FIELD_FEED_LANGUAGE,
	FIELD_FEED_TTL,
	FIELD_MAX
};
#define FIELD_ITEM_END	FIELD_FEED_TITLE

/* How an element's text becomes a value. */
enum feed_kind {
	KIND_RAW,		/* as written, trimmed: ids, dates, numbers */
	KIND_URL,		/* resolved against xml:base or the feed URL */
	KIND_TEXT,		/* plain text, white space collapsed */
	KIND_HTML,		/* HTML, escaped or in CDATA */
	KIND_XHTML,		/* inline markup: the text of its elements */
	KIND_ATOM,		/* an Atom text construct: type decides */
	KIND_HREF,		/* an Atom link: its href attribute */
	KIND_BASE64_TEXT,	/* Atom base64 content holding text */
	KIND_BASE64_HTML,	/* ... holding HTML */
	KIND_SKIP,		/* content we do not read (src=, images) */
};

/* What an element is, besides a field. */
enum feed_role {
	ROLE_FIELD,
	ROLE_ITEM,		/* <item>, <entry> */
	ROLE_CHANNEL,		/* RSS <channel> */
	ROLE_AUTHOR,		/* Atom <author>, holding <name> and <email> */
};

/* One known element: the field it feeds directly under an item, directly
 * under the channel, and directly under an Atom author, with a rank (0:
 * not there; higher wins over lower, the first of equals stays). */
struct feed_tag {
	unsigned char	 ns;
	const char	*name;
	unsigned char	 role;
	unsigned char	 kind;
	unsigned char	 item_field, item_rank;
	unsigned char	 feed_field, feed_rank;
	unsigned char	 author_rank;
};

/* Sorted by namespace, then name (strcmp order) for bsearch. */
static const struct feed_tag feed_tags[] = {
	{ FEED_NS_RSS, "author", ROLE_FIELD, KIND_TEXT, FIELD_AUTHOR, 1, 0, 0, 0 },
	{ FEED_NS_RSS, "body", ROLE_FIELD, KIND_XHTML, FIELD_CONTENT, 2, 0, 0, 0 },
	{ FEED_NS_RSS, "channel", ROLE_CHANNEL, KIND_RAW, 0, 0, 0, 0, 0 },
	{ FEED_NS_RSS, "description", ROLE_FIELD, KIND_HTML, FIELD_SUMMARY, 2, 0, 0, 0 },
	{ FEED_NS_RSS, "fullitem", ROLE_FIELD, KIND_HTML, FIELD_CONTENT, 1, 0, 0, 0 },
	{ FEED_NS_RSS, "guid", ROLE_FIELD, KIND_RAW, FIELD_ID, 3, 0, 0, 0 },
	{ FEED_NS_RSS, "item", ROLE_ITEM, KIND_RAW, 0, 0, 0, 0, 0 },
	{ FEED_NS_RSS, "language", ROLE_FIELD, KIND_RAW, 0, 0, FIELD_FEED_LANGUAGE, 2, 0 },
	{ FEED_NS_RSS, "link", ROLE_FIELD, KIND_URL, FIELD_LINK, 4, FIELD_FEED_LINK, 4, 0 },
	{ FEED_NS_RSS, "pubDate", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 3, 0, 0, 0 },
	{ FEED_NS_RSS, "title", ROLE_FIELD, KIND_HTML, FIELD_TITLE, 2, FIELD_FEED_TITLE, 2, 0 },
	{ FEED_NS_RSS, "ttl", ROLE_FIELD, KIND_RAW, 0, 0, FIELD_FEED_TTL, 1, 0 },
	{ FEED_NS_ATOM, "author", ROLE_AUTHOR, KIND_RAW, 0, 0, 0, 0, 0 },
	{ FEED_NS_ATOM, "content", ROLE_FIELD, KIND_ATOM, FIELD_CONTENT, 3, 0, 0, 0 },
	{ FEED_NS_ATOM, "created", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 1, 0, 0, 0 },
	{ FEED_NS_ATOM, "email", ROLE_FIELD, KIND_TEXT, 0, 0, 0, 0, 1 },
	{ FEED_NS_ATOM, "entry", ROLE_ITEM, KIND_RAW, 0, 0, 0, 0, 0 },
	{ FEED_NS_ATOM, "id", ROLE_FIELD, KIND_RAW, FIELD_ID, 3, 0, 0, 0 },
	{ FEED_NS_ATOM, "issued", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 2, 0, 0, 0 },
	{ FEED_NS_ATOM, "link", ROLE_FIELD, KIND_HREF, FIELD_LINK, 3, FIELD_FEED_LINK, 3, 0 },
	{ FEED_NS_ATOM, "modified", ROLE_FIELD, KIND_RAW, FIELD_UPDATED, 2, 0, 0, 0 },
	{ FEED_NS_ATOM, "name", ROLE_FIELD, KIND_TEXT, 0, 0, 0, 0, 3 },
	{ FEED_NS_ATOM, "published", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 3, 0, 0, 0 },
	{ FEED_NS_ATOM, "summary", ROLE_FIELD, KIND_ATOM, FIELD_SUMMARY, 3, 0, 0, 0 },
	{ FEED_NS_ATOM, "title", ROLE_FIELD, KIND_ATOM, FIELD_TITLE, 3, FIELD_FEED_TITLE, 3, 0 },
	{ FEED_NS_ATOM, "updated", ROLE_FIELD, KIND_RAW, FIELD_UPDATED, 3, 0, 0, 0 },
	{ FEED_NS_CONTENT, "encoded", ROLE_FIELD, KIND_HTML, FIELD_CONTENT, 3, 0, 0, 0 },
	{ FEED_NS_DC, "author", ROLE_FIELD, KIND_TEXT, FIELD_AUTHOR, 2, 0, 0, 0 },
	{ FEED_NS_DC, "creator", ROLE_FIELD, KIND_TEXT, FIELD_AUTHOR, 2, 0, 0, 0 },
	{ FEED_NS_DC, "date", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 2, 0, 0, 0 },
	{ FEED_NS_DC, "description", ROLE_FIELD, KIND_HTML, FIELD_SUMMARY, 1, 0, 0, 0 },
	{ FEED_NS_DC, "language", ROLE_FIELD, KIND_RAW, 0, 0, FIELD_FEED_LANGUAGE, 1, 0 },
	{ FEED_NS_DC, "title", ROLE_FIELD, KIND_HTML, FIELD_TITLE, 1, FIELD_FEED_TITLE, 1, 0 },
	{ FEED_NS_DCTERMS, "created", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 1, 0, 0, 0 },
	{ FEED_NS_DCTERMS, "issued", ROLE_FIELD, KIND_RAW, FIELD_PUBLISHED, 1, 0, 0, 0 },
	{ FEED_NS_DCTERMS, "modified", ROLE_FIELD, KIND_RAW, FIELD_UPDATED, 1, 0, 0, 0 },
	{ FEED_NS_ITUNES, "author", ROLE_FIELD, KIND_TEXT, FIELD_AUTHOR, 1, 0, 0, 0 },
	{ FEED_NS_ITUNES, "summary", ROLE_FIELD, KIND_TEXT, FIELD_SUMMARY, 1, 0, 0, 0 },
	{ FEED_NS_MEDIA, "description", ROLE_FIELD, KIND_TEXT, FIELD_SUMMARY, 1, 0, 0, 0 },
	{ FEED_NS_MEDIA, "title", ROLE_FIELD, KIND_TEXT, FIELD_TITLE, 1, 0, 0, 0 },
	{ FEED_NS_XHTML, "body", ROLE_FIELD, KIND_XHTML, FIELD_CONTENT, 2, 0, 0, 0 },
	{ FEED_NS_XHTML, "div", ROLE_FIELD, KIND_XHTML, FIELD_CONTENT, 1, 0, 0, 0 },
};

/* Namespace URIs we know; several spellings meet in one group. */
static const struct feed_ns_uri {
	const char	*uri;
	enum feed_ns	 ns;
} feed_ns_uris[] = {
	{ "http://purl.org/rss/1.0/", FEED_NS_RSS },
	{ "http://www.w3.org/2005/Atom", FEED_NS_ATOM },
	{ "http://purl.org/rss/1.0/modules/content/", FEED_NS_CONTENT },
	{ "http://purl.org/dc/elements/1.1/", FEED_NS_DC },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", FEED_NS_RDF },
	{ "http://purl.org/atom/ns#", FEED_NS_ATOM },
	{ "http://purl.org/dc/terms/", FEED_NS_DCTERMS },
	{ "http://www.w3.org/1999/xhtml", FEED_NS_XHTML },
	{ "http://my.netscape.com/rdf/simple/0.9/", FEED_NS_RSS },
	{ "http://backend.userland.com/rss2", FEED_NS_RSS },
	{ "http://blogs.law.harvard.edu/tech/rss", FEED_NS_RSS },
	{ "http://backend.userland.com/rss", FEED_NS_RSS },
	{ "http://purl.org/net/rss1.1#", FEED_NS_RSS },
	{ "http://purl.org/atom/ns", FEED_NS_ATOM },
	{ "http://purl.org/dc/elements/1.0/", FEED_NS_DC },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", FEED_NS_ITUNES },
	{ "http://search.yahoo.com/mrss/", FEED_NS_MEDIA },
	{ "http://search.yahoo.com/mrss", FEED_NS_MEDIA },
};

/* Prefixes feeds use without declaring them (libxml2 then reports no
 * namespace); the conventional meaning is the one intended. */
static const struct feed_ns_prefix {
	const char	*prefix;
	enum feed_ns	 ns;
} feed_ns_prefixes[] = {
	{ "atom", FEED_NS_ATOM },
	{ "content", FEED_NS_CONTENT },
	{ "dc", FEED_NS_DC },
	{ "dcterms", FEED_NS_DCTERMS },
	{ "itunes", FEED_NS_ITUNES },
	{ "media", FEED_NS_MEDIA },
	{ "rdf", FEED_NS_RDF },
	{ "xhtml", FEED_NS_XHTML },
};

/* How an element inside inline (XHTML) content shapes its text. */
enum feed_inline {
	INLINE_TEXT,
	INLINE_BLOCK,
	INLINE_LINE,
	INLINE_SKIP,
};

/* Sorted for bsearch; names not here are inline text. */
static const struct feed_inline_tag {
	const char		*name;
	enum feed_inline	 kind;
} feed_inline_tags[] = {
	{ "address", INLINE_BLOCK }, { "article", INLINE_BLOCK },
	{ "aside", INLINE_BLOCK }, { "blockquote", INLINE_BLOCK },
	{ "br", INLINE_LINE }, { "caption", INLINE_BLOCK },
	{ "dd", INLINE_BLOCK }, { "div", INLINE_BLOCK },
	{ "dl", INLINE_BLOCK }, { "dt", INLINE_BLOCK },
	{ "figcaption", INLINE_BLOCK }, { "figure", INLINE_BLOCK },
	{ "footer", INLINE_BLOCK }, { "h1", INLINE_BLOCK },
	{ "h2", INLINE_BLOCK }, { "h3", INLINE_BLOCK },
	{ "h4", INLINE_BLOCK }, { "h5", INLINE_BLOCK },
	{ "h6", INLINE_BLOCK }, { "head", INLINE_SKIP },
	{ "header", INLINE_BLOCK }, { "hr", INLINE_BLOCK },
	{ "iframe", INLINE_SKIP }, { "li", INLINE_BLOCK },
	{ "math", INLINE_SKIP }, { "noscript", INLINE_SKIP },
	{ "object", INLINE_SKIP }, { "ol", INLINE_BLOCK },
	{ "p", INLINE_BLOCK }, { "pre", INLINE_BLOCK },
	{ "script", INLINE_SKIP }, { "section", INLINE_BLOCK },
	{ "style", INLINE_SKIP }, { "svg", INLINE_SKIP },
	{ "table", INLINE_BLOCK }, { "template", INLINE_SKIP },
	{ "tr", INLINE_BLOCK }, { "ul", INLINE_BLOCK },
};

/* A field's text so far; the buffer is kept from item to item. */
struct feed_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	int	 full;		/* max_field reached: the rest is dropped */
};

/* An answer to an entity reference (see feed_entity_cb). */
struct feed_entity {
	char		 name[FEED_ENTITY_NAME + 1];
	char		 content[FEED_ENTITY_NAME + 3];
	xmlEntity	 ent;
};

/* An xml:base in effect from the element at depth down. */
struct feed_base {
	int	 depth;
	char	*url;
};

/* A remembered lookup: libxml2's interned name and namespace pointers
 * and the table entry they gave (NULL: not an element we read). */
struct feed_cache_slot {
	const xmlChar		*name;
	const xmlChar		*uri;
	const struct feed_tag	*tag;
};

/* Everything one parse needs; it lives on parse_feed's stack. */
struct feed_parser {
	xmlParserCtxtPtr	 ctxt;
	struct parsed_feed	*feed;
	const struct parse_limits *limits;
	const char		*url;

	int			 depth;
	int			 channel_depth;	/* RSS channel, Atom feed; 0 outside */
	int			 item_depth;	/* 0 outside an item */
	int			 author_depth;	/* Atom author inside an item */
	int			 capture_depth;	/* element whose text we read */
	int			 skip_depth;	/* script/style inside inline content */
	enum feed_field		 capture;	/* field being read, or FIELD_NONE */
	int			 guid_url;	/* the id came from an RSS guid that may be a link */

	unsigned char		 rank[FIELD_MAX];
	unsigned char		 kind[FIELD_MAX];
	struct feed_buf		 buf[FIELD_MAX];

	struct feed_base	*bases;
	int			 nbases;
	const char		*base;		/* the base URL in effect */

	struct feed_cache_slot	 cache[FEED_TAG_CACHE];
	struct feed_entity	 entities[FEED_ENTITIES];
	int			 nentities;
	xmlEntity		 entity_none;

	const xmlChar		*root_uri;	/* an unknown namespace on a feed's root */
	enum feed_ns		 root_ns;	/* ... taken to mean this */
	char			*error;		/* first error, "line N: message" */
	char			 root[48];	/* an unknown root element's name */
	int			 stopped;	/* item limit reached */
	int			 bad_utf8;	/* libxml2 found invalid UTF-8 */
	int			 too_deep;
};

/* Orders feed_tags for bsearch by (namespace, name). */
static int
feed_tag_cmp(const void *key, const void *elem)
{
	const struct feed_tag *a = key, *b = elem;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	return strcmp(a->name, b->name);
}

#ifndef NDEBUG
/* True when feed_tags is in the order bsearch needs (checked by assert
 * in debug builds, which the tests run). */
static int
feed_tags_sorted(void)
{
	size_t i;

	for (i = 1; i < sizeof feed_tags / sizeof feed_tags[0]; i++) {
		if (feed_tag_cmp(&feed_tags[i - 1], &feed_tags[i]) >= 0)
			return 0;
	}
	return 1;
}
#endif

/* Names the namespace group of an element. */
static enum feed_ns
feed_ns_of(const struct feed_parser *p, const xmlChar *uri,
    const xmlChar *prefix)
{
	size_t i;

	if (uri == NULL && prefix != NULL) {
		for (i = 0; i < sizeof feed_ns_prefixes /
		    sizeof feed_ns_prefixes[0]; i++) {
			if (strcmp((const char *)prefix,
			    feed_ns_prefixes[i].prefix) == 0)
				return feed_ns_prefixes[i].ns;
		}
		return FEED_NS_OTHER;
	}
	if (uri == NULL)
		return p->feed->format == FEED_FORMAT_ATOM ? FEED_NS_ATOM :
		    FEED_NS_RSS;
	if (uri == p->root_uri)
		return p->root_ns;
	/* Case-blind, as feedparser: "http://www.itunes.com/DTDs/..." is
	 * seen in the wild. */
	for (i = 0; i < sizeof feed_ns_uris / sizeof feed_ns_uris[0]; i++) {
		if (strcasecmp((const char *)uri, feed_ns_uris[i].uri) == 0)
			return feed_ns_uris[i].ns;
	}
	return FEED_NS_OTHER;
}

/* Finds the table entry of an element, or NULL. libxml2 hands out the
 * same pointers for the same names, so the cache makes this a compare. */
static const struct feed_tag *
feed_tag_find(struct feed_parser *p, const xmlChar *name, const xmlChar *uri,
    const xmlChar *prefix)
{
	struct feed_cache_slot *slot;
	struct feed_tag key;
	uintptr_t h;

	if (uri == NULL && prefix != NULL)
		goto lookup;
	h = ((uintptr_t)name >> 4) ^ ((uintptr_t)uri >> 6);
	slot = &p->cache[(h ^ (h >> 7)) & (FEED_TAG_CACHE - 1)];
	if (slot->name == name && slot->uri == uri)
		return slot->tag;
	key.ns = feed_ns_of(p, uri, prefix);
	key.name = (const char *)name;
	slot->name = name;
	slot->uri = uri;
	slot->tag = bsearch(&key, feed_tags, sizeof feed_tags /
	    sizeof feed_tags[0], sizeof feed_tags[0], feed_tag_cmp);
	return slot->tag;

lookup:
	key.ns = feed_ns_of(p, uri, prefix);
	key.name = (const char *)name;
	return bsearch(&key, feed_tags, sizeof feed_tags /
	    sizeof feed_tags[0], sizeof feed_tags[0], feed_tag_cmp);
}

/* Orders feed_inline_tags for bsearch. */
static int
feed_inline_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct feed_inline_tag *)elem)->name);
}

/* Classifies an element inside inline content. */
static enum feed_inline
feed_inline_kind(const xmlChar *name)
{
	const struct feed_inline_tag *t;

	t = bsearch(name, feed_inline_tags, sizeof feed_inline_tags /
	    sizeof feed_inline_tags[0], sizeof feed_inline_tags[0],
	    feed_inline_cmp);
	return t == NULL ? INLINE_TEXT : t->kind;
}

/* Records the first problem as "line N: message". */
static void
feed_note(struct feed_parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
feed_note(struct feed_parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->error != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(&p->error, "line %d: %s", line, msg);
	free(msg);
}

/* Appends n bytes to a field, at most max_field in all, cutting at a
 * character boundary. */
static void
feed_buf_add(struct feed_buf *b, const char *s, size_t n, size_t max)
{
	size_t room;

	if (b->full)
		return;
	room = max > b->len ? max - b->len : 0;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		b->full = 1;
	}
	if (b->len + n + 1 > b->size) {
		size_t size = b->size == 0 ? 256 : b->size;

		while (b->len + n + 1 > size)
			size *= 2;
		b->data = xrealloc(b->data, size);
		b->size = size;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* Replaces a field's text with s. */
static void
feed_buf_set(struct feed_buf *b, const char *s, size_t max)
{
	b->len = 0;
	b->full = 0;
	feed_buf_add(b, s, strlen(s), max);
}

/* The field's text as a C string (valid until the buffer changes). */
static char *
feed_buf_str(struct feed_buf *b)
{
	if (b->size == 0) {
		b->data = xmalloc(256);
		b->size = 256;
	}
	b->data[b->len] = '\0';
	return b->data;
}

/* True for the white space of XML. */
static int
feed_space(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Copies s (n bytes) without leading and trailing white space; NULL when
 * nothing is left. */
static char *
feed_trim_dup(const char *s, size_t n)
{
	while (n > 0 && feed_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && feed_space((unsigned char)s[n - 1]))
		n--;
	return n == 0 ? NULL : xstrndup(s, n);
}

/* Plain text: runs of white space become one space, the marks of inline
 * markup line or paragraph breaks, both ends trimmed. Returns NULL when
 * nothing is left. Written out here rather than sent through the HTML
 * parser because plain text must keep a literal '<' or "&amp;". */
static char *
feed_collapse(const char *s, size_t n)
{
	enum { GAP_NONE, GAP_SPACE, GAP_LINE, GAP_PARAGRAPH } gap = GAP_NONE;
	char *out;
	size_t i, o = 0;
	unsigned char c;

	out = xmalloc(n * 2 + 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (feed_space(c)) {
			if (gap < GAP_SPACE)
				gap = GAP_SPACE;
		} else if (c == FEED_MARK_BLOCK)
			gap = GAP_PARAGRAPH;
		else if (c == FEED_MARK_LINE)
			gap = gap >= GAP_LINE ? GAP_PARAGRAPH : GAP_LINE;
		else {
			if (o > 0 && gap == GAP_SPACE)
				out[o++] = ' ';
			else if (o > 0 && gap >= GAP_LINE) {
				out[o++] = '\n';
				if (gap == GAP_PARAGRAPH)
					out[o++] = '\n';
			}
			gap = GAP_NONE;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Cuts a string to at most max bytes at a character boundary. */
static void
feed_clip(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Decodes base64 (white space ignored, stopping at '=' or any other
 * byte outside the alphabet). Returns the bytes, NUL terminated, or
 * NULL when they are not UTF-8 text: an image is no item text. */
static char *
feed_base64_text(const char *s, size_t n, size_t *outlen)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *c;
	char *out;
	size_t i, o = 0;
	unsigned int acc = 0, bits = 0;

	out = xmalloc(n / 4 * 3 + 4);
	for (i = 0; i < n; i++) {
		if (feed_space((unsigned char)s[i]))
			continue;
		if (s[i] == '\0' || (c = strchr(alphabet, s[i])) == NULL)
			break;
		acc = acc << 6 | (unsigned int)(c - alphabet);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	if (memchr(out, '\0', o) != NULL || !charset_utf8_valid(out, o)) {
		free(out);
		return NULL;
	}
	*outlen = o;
	return out;
}

/* The clean text of a field, or NULL when it has none. */
static char *
feed_field_text(struct feed_parser *p, enum feed_field f)
{
	struct feed_buf *b = &p->buf[f];
	char *s, *raw;
	size_t n;

	if (p->rank[f] == 0 || b->len == 0)
		return NULL;
	switch (p->kind[f]) {
	case KIND_BASE64_TEXT:
	case KIND_BASE64_HTML:
		if ((raw = feed_base64_text(b->data, b->len, &n)) == NULL)
			return NULL;
		if (p->kind[f] == KIND_BASE64_HTML)
			s = parse_html_to_text(raw, n);
		else
			s = feed_collapse(raw, n);
		free(raw);
		if (s != NULL && *s == '\0') {
			free(s);
			return NULL;
		}
		return s;
	case KIND_HTML:
		s = parse_html_to_text(b->data, b->len);
		/* Decoding can lengthen a few characters (C1 controls become
		 * windows-1252's), so a field read up to its limit is cut. */
		if (b->full)
			feed_clip(s, p->limits->max_field);
		if (*s == '\0') {
			free(s);
			return NULL;
		}
		return s;
	case KIND_TEXT:
	case KIND_XHTML:
		return feed_collapse(b->data, b->len);
	default:
		return feed_trim_dup(b->data, b->len);
	}
}

/* A language tag as written, white space trimmed and "en_US" spelt
 * "en-US" as BCP 47 wants; NULL when empty. */
static char *
feed_language(const char *s, size_t n)
{
	char *lang, *c;

	if ((lang = feed_trim_dup(s, n)) == NULL)
		return NULL;
	for (c = lang; *c != '\0'; c++) {
		if (*c == '_')
			*c = '-';
	}
	return lang;
}

/* Decodes an attribute value: libxml2 leaves '&' as "&#38;" in the
 * values it hands to SAX when it does not substitute entities. */
static char *
feed_attr_value(const xmlChar *value, const xmlChar *end)
{
	char *s, *o;
	const char *v = (const char *)value, *e = (const char *)end;

	s = o = xmalloc((size_t)(e - v) + 1);
	while (v < e) {
		if (*v == '&' && e - v >= 5 && memcmp(v, "&#38;", 5) == 0) {
			*o++ = '&';
			v += 5;
		} else
			*o++ = *v++;
	}
	*o = '\0';
	return s;
}

/* Finds an attribute without namespace among the SAX2 attributes (five
 * pointers each: name, prefix, URI, value, end); returns its value. */
static char *
feed_attr(int nattrs, const xmlChar **attrs, const char *name)
{
	int i;

	for (i = 0; i < nattrs; i++) {
		if (attrs[i * 5 + 2] == NULL &&
		    strcmp((const char *)attrs[i * 5], name) == 0)
			return feed_attr_value(attrs[i * 5 + 3], attrs[i * 5 + 4]);
	}
	return NULL;
}

/* True for the bytes RFC 3986 allows in a path, query or fragment
 * besides '%' escapes: unreserved, sub-delims, ':', '@', '/' and '?'. */
static int
feed_url_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/?", c) != NULL;
}

/* True for a hex digit. */
static int
feed_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* True when ref (n bytes) is an absolute http(s) URL in the plainest
 * form: scheme, a host of letters, digits, dots and dashes, an optional
 * port, then only the characters RFC 3986 allows. Such a URL is what
 * parse_resolve_url would return unchanged, so feed_resolve can skip
 * its two URI parses, a third of our own time per item in a big feed. */
static int
feed_url_plain(const char *ref, size_t n)
{
	const unsigned char *p = (const unsigned char *)ref, *end = p + n;
	int fragment = 0;

	if (n > 2048)
		return 0;
	if (n > 7 && memcmp(p, "http://", 7) == 0)
		p += 7;
	else if (n > 8 && memcmp(p, "https://", 8) == 0)
		p += 8;
	else
		return 0;
	if (p == end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9')))
		return 0;
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
		p++;
	if (p < end && *p == ':') {
		/* libxml2 wants digits after the colon. */
		if (++p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && *p != '/' && *p != '?' && *p != '#')
		return 0;
	for (; p < end; p++) {
		if (*p == '%') {
			if (end - p < 3 || !feed_hex(p[1]) || !feed_hex(p[2]))
				return 0;
			p += 2;
		} else if (*p == '#' && !fragment)
			fragment = 1;
		else if (!feed_url_char(*p))
			return 0;
	}
	return 1;
}

/* Resolves a link against the base in effect; NULL when unusable. */
static char *
feed_resolve(struct feed_parser *p, const char *ref)
{
	size_t n;

	while (feed_space((unsigned char)*ref))
		ref++;
	n = strlen(ref);
	while (n > 0 && feed_space((unsigned char)ref[n - 1]))
		n--;
	if (feed_url_plain(ref, n))
		return xstrndup(ref, n);
	return parse_resolve_url(p->base, ref);
}

/* Pushes an xml:base for the current element. */
static void
feed_base_push(struct feed_parser *p, const char *value)
{
	xmlChar *built;
	char *url;

	built = xmlBuildURI((const xmlChar *)value,
	    (const xmlChar *)(p->base != NULL ? p->base : ""));
	url = xstrdup(built != NULL ? (const char *)built : value);
	xmlFree(built);
	p->bases = xreallocarray(p->bases, (size_t)p->nbases + 1,
	    sizeof *p->bases);
	p->bases[p->nbases].depth = p->depth;
	p->bases[p->nbases].url = url;
	p->nbases++;
	p->base = url;
}

/* Pops the xml:base of the element closing at the current depth. */
static void
feed_base_pop(struct feed_parser *p)
{
	p->nbases--;
	free(p->bases[p->nbases].url);
	p->base = p->nbases > 0 ? p->bases[p->nbases - 1].url : p->url;
}

/* Applies xml:base and, on the feed's own elements, xml:lang. */
static void
feed_xml_attrs(struct feed_parser *p, int nattrs, const xmlChar **attrs)
{
	const xmlChar *xml = p->ctxt->str_xml;
	char *value;
	int i;

	for (i = 0; i < nattrs; i++) {
		if (attrs[i * 5 + 1] != xml)
			continue;
		if (strcmp((const char *)attrs[i * 5], "base") == 0) {
			value = feed_attr_value(attrs[i * 5 + 3], attrs[i * 5 + 4]);
			feed_base_push(p, value);
			free(value);
		} else if (strcmp((const char *)attrs[i * 5], "lang") == 0 &&
		    p->item_depth == 0 && p->rank[FIELD_FEED_LANGUAGE] == 0 &&
		    (p->depth == 1 || p->depth <= p->channel_depth)) {
			value = feed_attr_value(attrs[i * 5 + 3], attrs[i * 5 + 4]);
			free(p->feed->language);
			p->feed->language = feed_language(value, strlen(value));
			free(value);
		}
	}
}

/* Starts reading the text of the current element into field f. */
static void
feed_capture_start(struct feed_parser *p, enum feed_field f, int rank,
    enum feed_kind kind)
{
	p->capture = f;
	p->capture_depth = p->depth;
	p->skip_depth = 0;
	p->rank[f] = (unsigned char)rank;
	p->kind[f] = (unsigned char)kind;
	p->buf[f].len = 0;
	p->buf[f].full = 0;
}

/* Decides how an Atom text construct (or Atom 0.3 content) is read. */
static enum feed_kind
feed_atom_kind(int nattrs, const xmlChar **attrs)
{
	char *type, *mode, *src;
	enum feed_kind kind;
	size_t n;

	src = feed_attr(nattrs, attrs, "src");
	mode = feed_attr(nattrs, attrs, "mode");
	type = feed_attr(nattrs, attrs, "type");
	if (src != NULL)
		kind = KIND_SKIP;
	else if (mode != NULL && strcasecmp(mode, "base64") == 0)
		kind = type != NULL && strcasestr(type, "html") != NULL ?
		    KIND_BASE64_HTML : KIND_BASE64_TEXT;
	else if (mode != NULL && strcasecmp(mode, "escaped") == 0)
		kind = KIND_HTML;
	else if (type == NULL || type[0] == '\0' || strcasecmp(type, "text") == 0 ||
	    strcasecmp(type, "text/plain") == 0)
		kind = mode != NULL && strcasecmp(mode, "xml") == 0 ?
		    KIND_XHTML : KIND_TEXT;
	else if (strcasecmp(type, "html") == 0 ||
	    strcasecmp(type, "text/html") == 0)
		kind = KIND_HTML;
	else if (strcasecmp(type, "xhtml") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0)
		kind = KIND_XHTML;
	else if (strncasecmp(type, "text/", 5) == 0)
		kind = KIND_TEXT;
	else if ((n = strlen(type)) >= 4 &&
	    (strcasecmp(type + n - 4, "+xml") == 0 ||
	    strcasecmp(type + n - 4, "/xml") == 0))
		kind = KIND_XHTML;
	else {
		/* RFC 4287 4.1.3.3: any other type is base64; only text is
		 * kept of it (see feed_base64_text). */
		kind = KIND_BASE64_TEXT;
	}
	free(src);
	free(mode);
	free(type);
	return kind;
}

/* Sets feed->link or the item's link from an Atom <link>: the alternate
 * one, an HTML page rather than another type if there are several. */
static void
feed_atom_link(struct feed_parser *p, enum feed_field f, int nattrs,
    const xmlChar **attrs)
{
	char *rel, *type, *href, *url = NULL;
	int rank;

	rel = feed_attr(nattrs, attrs, "rel");
	type = feed_attr(nattrs, attrs, "type");
	href = feed_attr(nattrs, attrs, "href");
	if (rel != NULL && strcasecmp(rel, "alternate") != 0)
		goto out;
	rank = type == NULL || strcasecmp(type, "text/html") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0 ? 3 : 2;
	if (rank <= p->rank[f])
		goto out;
	if (href == NULL) {
		/* Atom 0.2 and some generators put the address in the text. */
		feed_capture_start(p, f, rank, KIND_URL);
		goto out;
	}
	if ((url = feed_resolve(p, href)) == NULL)
		goto out;
	p->rank[f] = (unsigned char)rank;
	if (f == FIELD_FEED_LINK) {
		free(p->feed->link);
		p->feed->link = url;
		url = NULL;
	} else {
		p->kind[f] = KIND_RAW;
		feed_buf_set(&p->buf[f], url, p->limits->max_field);
	}
out:
	free(url);
	free(href);
	free(type);
	free(rel);
}

/* Parses RSS <ttl> (minutes) into seconds; 0 when it is not a number of
 * minutes below a year. */
static int64_t
feed_ttl(const char *s)
{
	int64_t minutes = 0;

	while (feed_space((unsigned char)*s))
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		minutes = minutes * 10 + (*s - '0');
		if (minutes > 366 * 24 * 60)
			return 0;
	}
	while (feed_space((unsigned char)*s))
		s++;
	return *s == '\0' ? minutes * 60 : 0;
}

/* Ends the capture of the current element: links are resolved against
 * the base in effect here, feed-level values stored at once. */
static void
feed_capture_end(struct feed_parser *p)
{
	enum feed_field f = p->capture;
	struct feed_buf *b = &p->buf[f];
	char *s;

	p->capture = FIELD_NONE;
	switch (f) {
	case FIELD_LINK:
		s = feed_resolve(p, feed_buf_str(b));
		if (s == NULL)
			b->len = 0;
		else {
			feed_buf_set(b, s, p->limits->max_field);
			p->kind[f] = KIND_RAW;
			free(s);
		}
		break;
	case FIELD_FEED_LINK:
		if ((s = feed_resolve(p, feed_buf_str(b))) != NULL) {
			free(p->feed->link);
			p->feed->link = s;
		}
		b->len = s == NULL ? 0 : 1;
		break;
	case FIELD_FEED_TITLE:
		if ((s = feed_field_text(p, f)) != NULL) {
			free(p->feed->title);
			p->feed->title = s;
		}
		b->len = s == NULL ? 0 : 1;
		break;
	case FIELD_FEED_LANGUAGE:
		if ((s = feed_language(b->data, b->len)) != NULL) {
			free(p->feed->language);
			p->feed->language = s;
		}
		b->len = s == NULL ? 0 : 1;
		break;
	case FIELD_FEED_TTL:
		p->feed->ttl = feed_ttl(feed_buf_str(b));
		b->len = p->feed->ttl == 0 ? 0 : 1;
		break;
	default:
		break;
	}
	/* An empty element must not shut out a later one of lower rank. */
	if (b->len == 0)
		p->rank[f] = 0;
}

/* Starts an item: its fields are emptied. */
static void
feed_item_start(struct feed_parser *p, int nattrs, const xmlChar **attrs)
{
	int i;

	p->item_depth = p->depth;
	p->author_depth = 0;
	p->guid_url = 0;
	for (i = FIELD_NONE + 1; i < FIELD_ITEM_END; i++) {
		p->rank[i] = 0;
		p->buf[i].len = 0;
		p->buf[i].full = 0;
	}
	/* RSS 1.0 names each item by its rdf:about, a fallback identity. */
	for (i = 0; i < nattrs; i++) {
		if (strcmp((const char *)attrs[i * 5], "about") == 0 &&
		    attrs[i * 5 + 2] != NULL &&
		    feed_ns_of(p, attrs[i * 5 + 2], NULL) == FEED_NS_RDF) {
			char *v = feed_attr_value(attrs[i * 5 + 3], attrs[i * 5 + 4]);

			p->rank[FIELD_ID] = 1;
			p->kind[FIELD_ID] = KIND_RAW;
			feed_buf_set(&p->buf[FIELD_ID], v, p->limits->max_field);
			free(v);
		}
	}
}

/* True when s starts with http:// or https:// (after white space). */
static int
feed_is_http(const char *s)
{
	while (feed_space((unsigned char)*s))
		s++;
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

/* Completes an item from its fields and adds it to the feed. */
static void
feed_item_end(struct feed_parser *p)
{
	struct parsed_item *item;

	p->item_depth = 0;
	p->author_depth = 0;
	if ((item = parse_item_add(p->feed, p->limits)) == NULL) {
		/* The limit is reached: the rest of the document is not
		 * worth reading. */
		p->stopped = 1;
		xmlStopParser(p->ctxt);
		return;
	}
	item->title = feed_field_text(p, FIELD_TITLE);
	if ((item->text = feed_field_text(p, FIELD_CONTENT)) == NULL)
		item->text = feed_field_text(p, FIELD_SUMMARY);
	item->author = feed_field_text(p, FIELD_AUTHOR);
	item->id = feed_field_text(p, FIELD_ID);
	if (p->rank[FIELD_LINK] != 0)
		item->url = xstrndup(p->buf[FIELD_LINK].data,
		    p->buf[FIELD_LINK].len);
	else if (item->id != NULL && p->guid_url && feed_is_http(item->id))
		item->url = feed_resolve(p, item->id);
	if (p->rank[FIELD_PUBLISHED] != 0)
		item->published = parse_date(feed_buf_str(&p->buf[FIELD_PUBLISHED]));
	if (p->rank[FIELD_UPDATED] != 0)
		item->updated = parse_date(feed_buf_str(&p->buf[FIELD_UPDATED]));
	parse_item_finish(item, p->url);
}

/* Classifies the document element: it decides the format, or that this
 * is not a feed at all. */
static void
feed_root(struct feed_parser *p, const xmlChar *name, const xmlChar *uri,
    const xmlChar *prefix)
{
	enum feed_ns ns = uri == NULL && prefix == NULL ? FEED_NS_OTHER :
	    feed_ns_of(p, uri, prefix);
	const char *n = (const char *)name;

	/* <feed> or <rss> in a namespace we do not know (a draft's, a
	 * typo) is still that format, and so are its children there. */
	if (ns == FEED_NS_OTHER && uri != NULL) {
		p->root_uri = uri;
		p->root_ns = strcmp(n, "feed") == 0 ? FEED_NS_ATOM : FEED_NS_RSS;
	}

	if (strcmp(n, "rss") == 0 && (ns == FEED_NS_OTHER || ns == FEED_NS_RSS))
		p->feed->format = FEED_FORMAT_RSS;
	else if (strcmp(n, "channel") == 0 &&
	    (ns == FEED_NS_OTHER || ns == FEED_NS_RSS)) {
		p->feed->format = FEED_FORMAT_RSS;
		p->channel_depth = 1;
	} else if (strcmp(n, "RDF") == 0 && ns == FEED_NS_RDF)
		p->feed->format = FEED_FORMAT_RDF;
	else if (strcmp(n, "feed") == 0 &&
	    (ns == FEED_NS_OTHER || ns == FEED_NS_ATOM)) {
		p->feed->format = FEED_FORMAT_ATOM;
		p->channel_depth = 1;
	} else {
		snprintf(p->root, sizeof p->root, "%s", n);
		p->stopped = 1;
		xmlStopParser(p->ctxt);
	}
}

/* Appends an element's tag to an HTML field that holds markup a feed
 * forgot to escape, so that the HTML parser sees the whole fragment;
 * attributes are not needed for text. */
static void
feed_html_tag(struct feed_parser *p, const xmlChar *name, int end)
{
	struct feed_buf *b = &p->buf[p->capture];
	size_t max = p->limits->max_field;

	feed_buf_add(b, end ? "</" : "<", end ? 2 : 1, max);
	feed_buf_add(b, (const char *)name, strlen((const char *)name), max);
	feed_buf_add(b, ">", 1, max);
}

/* True for the HTML elements that have no end tag. */
static int
feed_html_void(const xmlChar *name)
{
	return strcmp((const char *)name, "br") == 0 ||
	    strcmp((const char *)name, "hr") == 0 ||
	    strcmp((const char *)name, "img") == 0;
}

/* An element inside a field being read: in HTML it is markup for the
 * HTML parser; in inline XHTML or text its text joins the field's and
 * blocks make breaks; in an id, date or link only its text counts. */
static void
feed_inline_start(struct feed_parser *p, const xmlChar *name)
{
	struct feed_buf *b = &p->buf[p->capture];

	if (p->skip_depth != 0)
		return;
	if (p->kind[p->capture] == KIND_HTML) {
		feed_html_tag(p, name, 0);
		return;
	}
	if (p->kind[p->capture] != KIND_XHTML &&
	    p->kind[p->capture] != KIND_TEXT)
		return;
	switch (feed_inline_kind(name)) {
	case INLINE_BLOCK:
		feed_buf_add(b, "\001", 1, p->limits->max_field);
		break;
	case INLINE_LINE:
		feed_buf_add(b, "\002", 1, p->limits->max_field);
		break;
	case INLINE_SKIP:
		p->skip_depth = p->depth;
		break;
	case INLINE_TEXT:
		break;
	}
}

/* The end of an element inside a field being read. */
static void
feed_inline_end(struct feed_parser *p, const xmlChar *name)
{
	if (p->skip_depth != 0) {
		if (p->skip_depth == p->depth)
			p->skip_depth = 0;
		return;
	}
	if (p->kind[p->capture] == KIND_HTML) {
		if (!feed_html_void(name))
			feed_html_tag(p, name, 1);
		return;
	}
	if ((p->kind[p->capture] == KIND_XHTML ||
	    p->kind[p->capture] == KIND_TEXT) &&
	    feed_inline_kind(name) == INLINE_BLOCK)
		feed_buf_add(&p->buf[p->capture], "\001", 1,
		    p->limits->max_field);
}

/* Acts on a known element in its context. */
static void
feed_tag_start(struct feed_parser *p, const struct feed_tag *tag,
    int nattrs, const xmlChar **attrs)
{
	enum feed_field f = FIELD_NONE;
	enum feed_kind kind = tag->kind;
	int rank = 0;

	if (tag->role == ROLE_ITEM) {
		if (p->item_depth == 0)
			feed_item_start(p, nattrs, attrs);
		return;
	}
	if (p->item_depth != 0) {
		if (p->depth == p->item_depth + 1) {
			if (tag->role == ROLE_AUTHOR) {
				p->author_depth = p->depth;
				return;
			}
			f = tag->item_field;
			rank = tag->item_rank;
		} else if (p->author_depth != 0 &&
		    p->depth == p->author_depth + 1) {
			f = FIELD_AUTHOR;
			rank = tag->author_rank;
		}
	} else if (tag->role == ROLE_CHANNEL) {
		if (p->channel_depth == 0)
			p->channel_depth = p->depth;
		return;
	} else if (p->channel_depth != 0 && p->depth == p->channel_depth + 1) {
		f = tag->feed_field;
		rank = tag->feed_rank;
	}
	if (rank == 0 || f == FIELD_NONE)
		return;
	if (kind == KIND_HREF) {
		feed_atom_link(p, f, nattrs, attrs);
		return;
	}
	if (rank <= p->rank[f])
		return;
	if (kind == KIND_ATOM && (kind = feed_atom_kind(nattrs, attrs)) ==
	    KIND_SKIP)
		return;
	if (f == FIELD_ID) {
		char *permalink = feed_attr(nattrs, attrs, "isPermaLink");

		p->guid_url = tag->ns == FEED_NS_RSS && (permalink == NULL ||
		    strcasecmp(permalink, "false") != 0);
		free(permalink);
	}
	feed_capture_start(p, f, rank, kind);
}

/* SAX: an element opens. */
static void
feed_start_cb(void *arg, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	struct feed_parser *p = arg;
	const struct feed_tag *tag;

	/* libxml2 drops every later entity reference, even &amp;, once the
	 * document is known not to be well-formed; we have noted the error
	 * and want the text, so the flag is reset at each event. */
	p->ctxt->wellFormed = 1;
	if (++p->depth > p->limits->max_depth) {
		if (!p->too_deep) {
			p->too_deep = 1;
			feed_note(p, xmlSAX2GetLineNumber(p->ctxt),
			    "elements nested deeper than %d ignored",
			    p->limits->max_depth);
		}
		return;
	}
	if (p->depth == 1) {
		feed_root(p, name, uri, prefix);
		if (p->stopped)
			return;
	}
	if (nattrs > 0)
		feed_xml_attrs(p, nattrs, attrs);
	if (p->capture != FIELD_NONE) {
		feed_inline_start(p, name);
		return;
	}
	if ((tag = feed_tag_find(p, name, uri, prefix)) != NULL)
		feed_tag_start(p, tag, nattrs, attrs);
}

/* SAX: an element closes. */
static void
feed_end_cb(void *arg, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct feed_parser *p = arg;

	p->ctxt->wellFormed = 1;
	if (p->depth > p->limits->max_depth) {
		p->depth--;
		return;
	}
	if (p->capture != FIELD_NONE) {
		if (p->depth == p->capture_depth)
			feed_capture_end(p);
		else
			feed_inline_end(p, name);
	}
	if (p->depth == p->author_depth)
		p->author_depth = 0;
	else if (p->depth == p->item_depth)
		feed_item_end(p);
	else if (p->depth == p->channel_depth)
		p->channel_depth = 0;
	if (p->nbases > 0 && p->bases[p->nbases - 1].depth == p->depth)
		feed_base_pop(p);
	p->depth--;
}

/* SAX: text and CDATA sections. */
static void
feed_characters_cb(void *arg, const xmlChar *s, int len)
{
	struct feed_parser *p = arg;

	p->ctxt->wellFormed = 1;
	if (p->capture == FIELD_NONE || p->skip_depth != 0 ||
	    p->depth > p->limits->max_depth)
		return;
	feed_buf_add(&p->buf[p->capture], (const char *)s, (size_t)len,
	    p->limits->max_field);
}

/* Writes code point c as UTF-8 into out (5 bytes); returns the length. */
static size_t
feed_utf8_put(char *out, unsigned int c)
{
	size_t n = 0;

	if (c < 0x80)
		out[n++] = (char)c;
	else if (c < 0x800) {
		out[n++] = (char)(0xc0 | c >> 6);
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[n++] = (char)(0xe0 | c >> 12);
		out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[n++] = (char)(0xf0 | c >> 18);
		out[n++] = (char)(0x80 | (c >> 12 & 0x3f));
		out[n++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	}
	out[n] = '\0';
	return n;
}

/* SAX: an entity reference other than the predefined five. libxml2 is
 * told it is a predefined one too, so it inserts our text and expands
 * nothing: an HTML entity gives its character, anything else (including
 * entities the document declares) reads as the reference itself. */
static xmlEntityPtr
feed_entity_cb(void *arg, const xmlChar *name)
{
	struct feed_parser *p = arg;
	struct feed_entity *e;
	const htmlEntityDesc *d;
	size_t n = strlen((const char *)name);
	int i;

	p->ctxt->wellFormed = 1;
	for (i = 0; i < p->nentities; i++) {
		if (strcmp(p->entities[i].name, (const char *)name) == 0)
			return &p->entities[i].ent;
	}
	if (p->nentities == FEED_ENTITIES || n > FEED_ENTITY_NAME)
		return &p->entity_none;
	e = &p->entities[p->nentities++];
	memcpy(e->name, name, n + 1);
	if ((d = htmlEntityLookup(name)) != NULL)
		feed_utf8_put(e->content, d->value);
	else {
		e->content[0] = '&';
		memcpy(e->content + 1, name, n);
		memcpy(e->content + 1 + n, ";", 2);
		feed_note(p, xmlSAX2GetLineNumber(p->ctxt),
		    "entity '%s' not expanded", e->name);
	}
	memset(&e->ent, 0, sizeof e->ent);
	e->ent.type = XML_ENTITY_DECL;
	e->ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	e->ent.name = (const xmlChar *)e->name;
	e->ent.content = (xmlChar *)e->content;
	e->ent.length = (int)strlen(e->content);
	return &e->ent;
}

/* SAX: parameter entities are never looked up. */
static xmlEntityPtr
feed_param_entity_cb(void *arg, const xmlChar *name)
{
	return NULL;
}

/* SAX: nothing external is ever read. */
static xmlParserInputPtr
feed_resolve_entity_cb(void *arg, const xmlChar *public_id,
    const xmlChar *system_id)
{
	return NULL;
}

/* SAX: libxml2's errors. The first becomes the warning; invalid UTF-8
 * makes parse_feed start again from a repaired copy. */
static void
feed_error_cb(void *arg, xmlErrorPtr e)
{
	struct feed_parser *p = arg;
	const char *msg;
	size_t n;

	if (e->level < XML_ERR_ERROR)
		return;
	msg = e->message != NULL ? e->message : "malformed XML";
	/* A DTD's parameter entities (the XHTML entity sets, say) are never
	 * loaded; HTML entities are answered by feed_entity_cb anyway. */
	if (strncmp(msg, "PEReference:", 12) == 0)
		return;
	if (e->code == XML_ERR_INVALID_CHAR && strstr(msg, "UTF-8") != NULL)
		p->bad_utf8 = 1;
	if (p->error != NULL)
		return;
	n = strlen(msg);
	while (n > 0 && feed_space((unsigned char)msg[n - 1]))
		n--;
	xasprintf(&p->error, "line %d: %.*s", e->line, (int)n, msg);
}

/* libxml2's generic error channel, silenced while we parse. */
static void
feed_silent_cb(void *arg, const char *fmt, ...)
{
}

/* Runs the SAX2 push parser over len bytes of UTF-8. */
static void
feed_parse_xml(struct feed_parser *p, const char *data, size_t len)
{
	xmlSAXHandler sax;
	xmlGenericErrorFunc saved_func = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;
	const char *cut;
	size_t off = 0, n;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = feed_start_cb;
	sax.endElementNs = feed_end_cb;
	sax.characters = feed_characters_cb;
	sax.ignorableWhitespace = feed_characters_cb;
	sax.cdataBlock = feed_characters_cb;
	sax.getEntity = feed_entity_cb;
	sax.getParameterEntity = feed_param_entity_cb;
	sax.resolveEntity = feed_resolve_entity_cb;
	sax.serror = feed_error_cb;

	xmlSetGenericErrorFunc(NULL, feed_silent_cb);
	p->ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL);
	if (p->ctxt == NULL)
		fatalx("xmlCreatePushParserCtxt failed");
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
	xmlSwitchEncoding(p->ctxt, XML_CHAR_ENCODING_UTF8);
	while (off < len && !p->stopped && !p->bad_utf8) {
		n = len - off;
		if (n > FEED_CHUNK) {
			/* Ending a chunk after a '>' never splits a
			 * character or a name between two calls. */
			n = FEED_CHUNK;
			if ((cut = memrchr(data + off, '>', n)) != NULL)
				n = (size_t)(cut - (data + off)) + 1;
		}
		xmlParseChunk(p->ctxt, data + off, (int)n, 0);
		off += n;
	}
	if (!p->stopped && !p->bad_utf8)
		xmlParseChunk(p->ctxt, NULL, 0, 1);
	/* libxml2 keeps declared entities in a document of its own
	 * ("SAX compatibility mode") that the context does not free. */
	if (p->ctxt->myDoc != NULL)
		xmlFreeDoc(p->ctxt->myDoc);
	xmlFreeParserCtxt(p->ctxt);
	p->ctxt = NULL;
	xmlSetGenericErrorFunc(saved_ctx, saved_func);
	while (p->nbases > 0)
		feed_base_pop(p);
}

/* Frees what a parse left in p, keeping nothing but the limits. */
static void
feed_parser_clear(struct feed_parser *p)
{
	int i;

	for (i = 0; i < FIELD_MAX; i++)
		free(p->buf[i].data);
	/* libxml2 hangs a declared entity's raw text on the entity that
	 * getEntity returns for its name ("orig"); ours are not its own. */
	for (i = 0; i < p->nentities; i++)
		xmlFree(p->entities[i].ent.orig);
	xmlFree(p->entity_none.orig);
	free(p->bases);
	free(p->error);
}

/* Sets up p for a parse into a new feed. */
static void
feed_parser_init(struct feed_parser *p, const char *url,
    const struct parse_limits *limits)
{
	memset(p, 0, sizeof *p);
	p->url = url;
	p->base = url;
	p->limits = limits;
	p->feed = xcalloc(1, sizeof *p->feed);
	p->entity_none.type = XML_ENTITY_DECL;
	p->entity_none.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	p->entity_none.name = (const xmlChar *)"";
	p->entity_none.content = (xmlChar *)"";
}

/* True when the body (after a byte order mark and white space) is JSON. */
static int
feed_is_json(const char *buf, size_t len, size_t *skip)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	*skip = i;
	while (i < len && feed_space((unsigned char)buf[i]))
		i++;
	return i < len && buf[i] == '{';
}

/* Parses a JSON Feed through jsonfeed.c, repairing invalid UTF-8 first
 * when the strict JSON reader refused it. */
static int
feed_parse_json(const char *buf, size_t len, const char *url,
    const struct parse_limits *limits, struct parsed_feed **out, char **cause)
{
	struct parsed_feed *feed;
	char *fixed = NULL;
	size_t n;
	int as_1252;

	feed = xcalloc(1, sizeof *feed);
	feed->format = FEED_FORMAT_JSON;
	if (parse_jsonfeed(buf, len, url, limits, feed, cause) == 0) {
		*out = feed;
		return 0;
	}
	parse_feed_free(feed);
	if (charset_utf8_valid(buf, len))
		return -1;
	free(*cause);
	*cause = NULL;
	fixed = charset_repair_utf8(buf, len, &n, &as_1252);
	feed = xcalloc(1, sizeof *feed);
	feed->format = FEED_FORMAT_JSON;
	if (parse_jsonfeed(fixed, n, url, limits, feed, cause) != 0) {
		free(fixed);
		parse_feed_free(feed);
		return -1;
	}
	parse_feed_warn(feed, "invalid UTF-8 %s", as_1252 ?
	    "read as windows-1252" : "replaced");
	free(fixed);
	*out = feed;
	return 0;
}

/* Gives the body as UTF-8 (n bytes): a pointer into buf, or *converted,
 * which the caller frees; *note says what was guessed or replaced. */
static const char *
feed_to_utf8(const char *buf, size_t len, const char *content_type,
    size_t *n, char **converted, char **note)
{
	struct charset_guess g;
	const char *data;
	size_t nbad;

	charset_guess(buf, len, content_type, &g);
	data = buf + g.skip;
	*n = len - g.skip;
	if (g.utf8)
		return data;
	if (!charset_known(g.name)) {
		/* Read as UTF-8: invalid bytes then make it windows-1252. */
		xasprintf(note, "unknown charset \"%s\", read as UTF-8", g.name);
		return data;
	}
	/* Servers label everything ISO-8859-1 by default and CMSes copy
	 * declarations from templates; bytes that are valid UTF-8 with
	 * non-ASCII characters in them say otherwise (text in a legacy
	 * charset almost never is). */
	if (!charset_is_wide(g.name) && charset_is_utf8_text(data, *n))
		return data;
	if ((*converted = charset_to_utf8(data, *n, g.name, n, &nbad)) == NULL)
		return data;
	if (nbad > 0)
		xasprintf(note, "%zu byte sequences not valid in %s replaced",
		    nbad, g.name);
	return *converted;
}

/* Builds the one-line reason a document gave no feed. */
static void
feed_cause(const struct feed_parser *p, char **cause)
{
	if (p->root[0] != '\0')
		xasprintf(cause, "not a feed: the document element is <%s>",
		    p->root);
	else if (p->error != NULL)
		xasprintf(cause, "not a feed: %s", p->error);
	else
		xasprintf(cause, "not a feed: no document element");
}

int
parse_feed(const char *buf, size_t len, const char *url,
    const char *content_type, const struct parse_limits *limits,
    struct parsed_feed **out, char **cause)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct feed_parser p;
	char *converted = NULL, *repaired = NULL, *note = NULL;
	const char *data;
	size_t n, skip;
	int as_1252, rc = -1;

	assert(feed_tags_sorted());
	*out = NULL;
	*cause = NULL;
	if (limits == NULL)
		limits = &defaults;
	if (buf == NULL || len == 0) {
		*cause = xstrdup("empty document");
		return -1;
	}
	if (feed_is_json(buf, len, &skip))
		return feed_parse_json(buf + skip, len - skip, url, limits, out,
		    cause);
	xmlInitParser();

	data = feed_to_utf8(buf, len, content_type, &n, &converted, &note);
	feed_parser_init(&p, url, limits);
	if (note != NULL)
		parse_feed_warn(p.feed, "%s", note);
	feed_parse_xml(&p, data, n);
	if (p.bad_utf8) {
		/* Start again from a copy libxml2 can read to the end. */
		parse_feed_free(p.feed);
		feed_parser_clear(&p);
		repaired = charset_repair_utf8(data, n, &n, &as_1252);
		feed_parser_init(&p, url, limits);
		if (note != NULL)
			parse_feed_warn(p.feed, "%s", note);
		parse_feed_warn(p.feed, as_1252 ? "not UTF-8, read as "
		    "windows-1252" : "invalid UTF-8 replaced");
		feed_parse_xml(&p, repaired, n);
	}

	if (p.feed->format == FEED_FORMAT_UNKNOWN) {
		feed_cause(&p, cause);
		parse_feed_free(p.feed);
	} else {
		if (p.error != NULL)
			parse_feed_warn(p.feed, "%s", p.error);
		*out = p.feed;
		rc = 0;
	}
	feed_parser_clear(&p);
	free(repaired);
	free(converted);
	free(note);
	return rc;
}
