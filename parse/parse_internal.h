/* parse/parse_internal.h: helpers shared by the files of parse/; nothing outside parse/ includes it. */
#ifndef WW_PARSE_INTERNAL_H
#define WW_PARSE_INTERNAL_H

#include <stddef.h>

#include "parse/parse.h"

/* item.c — building items the same way whatever the format. */

/* Appends a zeroed item to feed (published/updated set to -1) and returns
 * it, or NULL when the feed already holds limits->max_items (then the
 * feed's warning says so). */
struct parsed_item *parse_item_add(struct parsed_feed *, const struct parse_limits *);
/* Completes an item once its element/object is closed: the identity
 * fallback (link, else "hash:" of title+date+feed_url), "" for a missing
 * title or text. */
void	 parse_item_finish(struct parsed_item *, const char *feed_url);
/* Resolves ref against base (either may be NULL); returns a new string or
 * NULL when there is no usable URL. */
char	*parse_resolve_url(const char *base, const char *ref);
/* Copies at most max bytes of UTF-8 text, cut at a character boundary,
 * with invalid sequences replaced by U+FFFD. Returns a new string. */
char	*parse_utf8_clip(const char *text, size_t len, size_t max);
/* Sets feed->warning to the formatted message unless one is set already. */
void	 parse_feed_warn(struct parsed_feed *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Length of the valid UTF-8 character at p (n bytes available), or 0 when
 * the bytes there are not one (overlong, surrogate, above U+10FFFF, cut). */
size_t	 parse_utf8_len(const unsigned char *p, size_t n);

/* html.c — parse_html_to_text sending every fragment with markup through
 * libxml2's HTML parser, never its shortcut: the reference the tests hold
 * the shortcut to. */
char	*parse_html_to_text_libxml2(const char *html, size_t len);

/* jsonfeed.c — JSON Feed 1.0/1.1 into feed (already allocated, format
 * set). Returns 0 or -1 and *cause. */
int	 parse_jsonfeed(const char *buf, size_t len, const char *url,
	    const struct parse_limits *, struct parsed_feed *feed, char **cause);

#endif
