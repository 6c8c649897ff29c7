/* parse/jsonfeed.c: JSON Feed 1.0 and 1.1 (jsonfeed.org) into items, with jansson. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/common.h"
#include "parse/parse_internal.h"

/* jansson keeps a whole document in memory, a few times its size for a
 * real feed and up to twenty times for a hostile one made of tiny values;
 * a JSON Feed beyond this (real ones are well under a megabyte) is refused
 * rather than allowed to cost that. */
#define JSONFEED_MAX_INPUT	(4 * 1024 * 1024)

/* A string member of obj, or NULL when absent, empty or not a string. */
static const char *
jsonfeed_string(json_t *obj, const char *key, size_t *len)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/* A string member clipped to the field limit, or NULL. */
static char *
jsonfeed_clip(json_t *obj, const char *key, const struct parse_limits *lim)
{
	const char *s;
	size_t len;

	if ((s = jsonfeed_string(obj, key, &len)) == NULL)
		return NULL;
	return parse_utf8_clip(s, len, lim->max_field);
}

/* An HTML member as clean text within the field limit, or NULL. */
static char *
jsonfeed_html(json_t *obj, const char *key, const struct parse_limits *lim)
{
	const char *s;
	char *text, *clipped;
	size_t len;

	if ((s = jsonfeed_string(obj, key, &len)) == NULL)
		return NULL;
	if (len > lim->max_field)
		len = lim->max_field;
	text = parse_html_to_text(s, len);
	if (strlen(text) <= lim->max_field)
		return text;
	clipped = parse_utf8_clip(text, strlen(text), lim->max_field);
	free(text);
	return clipped;
}

/* Plain text (content_text, summary) in the shape of our clean text:
 * blank lines become the paragraph break "\n\n", other runs of white
 * space one space, no white space at either end. Hand-written because
 * parse_html_to_text would read '&' and '<' as markup, which in plain
 * text they are not. */
static char *
jsonfeed_plain(json_t *obj, const char *key, const struct parse_limits *lim)
{
	char *s, *o, *p;
	int newlines = 0, space = 0;

	if ((s = jsonfeed_clip(obj, key, lim)) == NULL)
		return NULL;
	for (p = o = s; *p != '\0'; p++) {
		if (*p == '\n')
			newlines++;
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v') {
			space = 1;
			continue;
		}
		if (space && o != s) {
			if (newlines >= 2) {
				*o++ = '\n';
				*o++ = '\n';
			} else
				*o++ = ' ';
		}
		space = newlines = 0;
		*o++ = *p;
	}
	*o = '\0';
	return s;
}

/* The name of the first author of obj: "authors" (1.1) or "author" (1.0). */
static char *
jsonfeed_author(json_t *obj, const struct parse_limits *lim)
{
	json_t *authors, *a;
	size_t i;
	char *name;

	authors = json_object_get(obj, "authors");
	if (json_is_array(authors)) {
		json_array_foreach(authors, i, a) {
			if ((name = jsonfeed_clip(a, "name", lim)) != NULL)
				return name;
		}
	}
	return jsonfeed_clip(json_object_get(obj, "author"), "name", lim);
}

/* The item id: a string, or a number written as one (the spec asks for a
 * string; feeds do send numbers). */
static char *
jsonfeed_id(json_t *item, const struct parse_limits *lim)
{
	json_t *v = json_object_get(item, "id");
	char *id;

	if (json_is_integer(v)) {
		xasprintf(&id, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return id;
	}
	if (json_is_real(v)) {
		xasprintf(&id, "%.17g", json_real_value(v));
		return id;
	}
	return jsonfeed_clip(item, "id", lim);
}

/* A date member as unix seconds, -1 when absent or unreadable. */
static int64_t
jsonfeed_date(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? parse_date(json_string_value(v)) : -1;
}

/* Fills one item from its object; base resolves relative URLs. */
static void
jsonfeed_item(json_t *obj, struct parsed_item *item, const char *base,
    const char *feed_author, const struct parse_limits *lim)
{
	const char *s;
	size_t len;
	char *ref;

	item->id = jsonfeed_id(obj, lim);
	item->title = jsonfeed_html(obj, "title", lim);
	if ((item->text = jsonfeed_html(obj, "content_html", lim)) == NULL &&
	    (item->text = jsonfeed_plain(obj, "content_text", lim)) == NULL)
		item->text = jsonfeed_plain(obj, "summary", lim);
	if ((s = jsonfeed_string(obj, "url", &len)) == NULL)
		s = jsonfeed_string(obj, "external_url", &len);
	if (s != NULL && len <= lim->max_field) {
		ref = xstrndup(s, len);
		item->url = parse_resolve_url(base, ref);
		free(ref);
	}
	if ((item->author = jsonfeed_author(obj, lim)) == NULL &&
	    feed_author != NULL)
		item->author = xstrdup(feed_author);
	item->published = jsonfeed_date(obj, "date_published");
	item->updated = jsonfeed_date(obj, "date_modified");
}

int
parse_jsonfeed(const char *buf, size_t len, const char *url,
    const struct parse_limits *limits, struct parsed_feed *feed, char **cause)
{
	static const struct parse_limits defaults = PARSE_LIMITS_DEFAULT;
	struct parsed_item *item;
	json_error_t error;
	json_t *root, *items, *obj;
	const char *base;
	char *feed_author, *home;
	size_t i;

	if (limits == NULL)
		limits = &defaults;
	if (len > JSONFEED_MAX_INPUT) {
		xasprintf(cause, "JSON Feed larger than %d MB",
		    JSONFEED_MAX_INPUT / (1024 * 1024));
		return -1;
	}
	if ((root = json_loadb(buf, len, 0, &error)) == NULL) {
		xasprintf(cause, "line %d: %s", error.line, error.text);
		return -1;
	}
	items = json_object_get(root, "items");
	if (!json_is_object(root) || !json_is_array(items)) {
		xasprintf(cause, "not a JSON Feed (no \"items\" array)");
		json_decref(root);
		return -1;
	}
	feed->title = jsonfeed_html(root, "title", limits);
	feed->language = jsonfeed_clip(root, "language", limits);
	if ((home = jsonfeed_clip(root, "home_page_url", limits)) != NULL) {
		feed->link = parse_resolve_url(url, home);
		free(home);
	}
	/* Relative item URLs are read against the feed's own address, as a
	 * browser would; home_page_url when the address is not known. */
	base = url != NULL ? url : feed->link;
	feed_author = jsonfeed_author(root, limits);
	json_array_foreach(items, i, obj) {
		if (!json_is_object(obj))
			continue;
		if ((item = parse_item_add(feed, limits)) == NULL)
			break;
		jsonfeed_item(obj, item, base, feed_author, limits);
		parse_item_finish(item, url);
	}
	free(feed_author);
	json_decref(root);
	return 0;
}
