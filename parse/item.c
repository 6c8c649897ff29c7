/* parse/item.c: building items the same way for every feed format — identity, URLs, UTF-8 clipping, warnings. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>
#include <libxml/xmlmemory.h>

#include "common/common.h"
#include "parse/parse_internal.h"

/* Longest URL we keep; far beyond any real link, short of a memory problem. */
#define PARSE_URL_MAX 8192

/* The item returned is valid until the next call: the array may move. */
struct parsed_item *
parse_item_add(struct parsed_feed *feed, const struct parse_limits *limits)
{
	struct parsed_item *item;
	size_t cap;

	if (feed->nitems >= limits->max_items) {
		parse_feed_warn(feed, "more than %zu items, the rest ignored",
		    limits->max_items);
		return NULL;
	}
	/* The array grows by doubling from 16; the capacity is not stored,
	 * it is the next power of two at or above nitems. */
	cap = 16;
	while (cap < feed->nitems)
		cap *= 2;
	if (feed->nitems == 0 || feed->nitems == cap)
		feed->items = xreallocarray(feed->items,
		    feed->nitems == 0 ? 16 : cap * 2, sizeof *feed->items);
	item = &feed->items[feed->nitems++];
	memset(item, 0, sizeof *item);
	item->published = -1;
	item->updated = -1;
	return item;
}

/* True when s is NULL or holds only white space. */
static int
parse_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	}
	return 1;
}

void
parse_item_finish(struct parsed_item *item, const char *feed_url)
{
	uint64_t h;
	char date[32];

	if (item->title == NULL)
		item->title = xstrdup("");
	if (item->text == NULL)
		item->text = xstrdup("");
	if (!parse_blank(item->id))
		return;
	free(item->id);
	item->id = NULL;
	if (!parse_blank(item->url)) {
		item->id = xstrdup(item->url);
		return;
	}
	/* The fetch time must stay out of the hash, or the same item would
	 * get a new identity on every poll. Each field is followed by a NUL
	 * so that ("ab", "c") and ("a", "bc") differ. */
	snprintf(date, sizeof date, "%" PRId64, item->published);
	h = util_hash(item->title, strlen(item->title) + 1, UTIL_HASH_SEED);
	h = util_hash(date, strlen(date) + 1, h);
	if (feed_url != NULL)
		h = util_hash(feed_url, strlen(feed_url) + 1, h);
	xasprintf(&item->id, "hash:%016" PRIx64, h);
}

/* True when uri has a scheme we fetch or show (http, https) and a host. */
static int
parse_url_usable(const char *uri)
{
	xmlURIPtr parsed;
	int ok;

	if ((parsed = xmlParseURI(uri)) == NULL)
		return 0;
	ok = parsed->scheme != NULL &&
	    (strcasecmp(parsed->scheme, "http") == 0 ||
	    strcasecmp(parsed->scheme, "https") == 0) &&
	    parsed->server != NULL && parsed->server[0] != '\0';
	xmlFreeURI(parsed);
	return ok;
}

/* Copies s without its leading and trailing white space. */
static char *
parse_trim_dup(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return xstrndup(s, (size_t)(end - s));
}

/* Escapes the bytes xmlBuildURI refuses but browsers accept in links
 * (spaces, non-ASCII, a stray '"' or '<'), so that such a link still
 * resolves; '%' and reserved characters are kept as they are. */
static char *
parse_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	out = o = xmalloc(strlen(s) * 3 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '^' || *p == '`' ||
		    *p == '{' || *p == '|' || *p == '}') {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		} else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

char *
parse_resolve_url(const char *base, const char *ref)
{
	char *r, *escaped, *result = NULL;
	xmlChar *built;

	if (ref == NULL)
		return NULL;
	r = parse_trim_dup(ref);
	/* An empty reference would resolve to the base itself: that is the
	 * feed's address, not the item's, and would merge every item. */
	if (r[0] == '\0' || strlen(r) > PARSE_URL_MAX) {
		free(r);
		return NULL;
	}
	escaped = parse_url_escape(r);
	free(r);
	built = xmlBuildURI((const xmlChar *)escaped,
	    (const xmlChar *)(base != NULL ? base : ""));
	free(escaped);
	if (built == NULL)
		return NULL;
	if (parse_url_usable((const char *)built))
		result = xstrdup((const char *)built);
	xmlFree(built);
	return result;
}

/* The checks are those of RFC 3629's grammar, with the second byte's range
 * depending on the first. */
size_t
parse_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < need || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	return need;
}

/* Hand-written rather than through iconv or ICU: it runs on every field of
 * every item, and a validating copy loop with an ASCII fast path is a few
 * nanoseconds per field where a converter costs a set-up each call. NUL
 * bytes are dropped, as they would end the C string early. */
char *
parse_utf8_clip(const char *text, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	char *out;
	size_t o = 0, n, cap, skip;

	/* Each input byte gives at most three output bytes (U+FFFD). */
	cap = len > max / 3 ? max : len * 3;
	out = xmalloc(cap + 1);
	while (p < end) {
		if (*p < 0x80) {
			if (o == cap)
				break;
			if (*p != '\0')
				out[o++] = (char)*p;
			p++;
			continue;
		}
		if ((n = parse_utf8_len(p, (size_t)(end - p))) != 0) {
			if (o + n > cap)
				break;
			memcpy(out + o, p, n);
			o += n;
			p += n;
			continue;
		}
		if (o + 3 > cap)
			break;
		memcpy(out + o, "\xef\xbf\xbd", 3);
		o += 3;
		/* A lead byte followed by too few continuation bytes is one
		 * broken character: one U+FFFD for all of it. */
		skip = *p >= 0xf5 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 :
		    *p >= 0xc0 ? 1 : 0;
		for (p++; skip > 0 && p < end && (*p & 0xc0) == 0x80; skip--)
			p++;
	}
	out[o] = '\0';
	return out;
}

void
parse_feed_warn(struct parsed_feed *feed, const char *fmt, ...)
{
	va_list ap;

	if (feed->warning != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&feed->warning, fmt, ap);
	va_end(ap);
}

void
parse_feed_free(struct parsed_feed *feed)
{
	struct parsed_item *item;
	size_t i;

	if (feed == NULL)
		return;
	for (i = 0; i < feed->nitems; i++) {
		item = &feed->items[i];
		free(item->id);
		free(item->title);
		free(item->text);
		free(item->url);
		free(item->author);
	}
	free(feed->items);
	free(feed->title);
	free(feed->link);
	free(feed->language);
	free(feed->warning);
	free(feed);
}
