/* parse/parse.h: feed bytes in, items out — RSS, RDF, Atom, JSON Feed and OPML, with no I/O. */
#ifndef WW_PARSE_H
#define WW_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Bounds on what one feed may cost. A feed beyond them keeps the items
 * parsed within them and gets a warning. */
struct parse_limits {
	size_t	max_items;	/* items kept per feed */
	size_t	max_field;	/* bytes kept of one field (text is cut at a UTF-8 boundary) */
	int	max_depth;	/* element nesting */
};
#define PARSE_LIMITS_DEFAULT { 5000, 256 * 1024, 64 }

enum feed_format {
	FEED_FORMAT_UNKNOWN,
	FEED_FORMAT_RSS,	/* RSS 0.9x and 2.0 */
	FEED_FORMAT_RDF,	/* RSS 1.0 and 0.90 */
	FEED_FORMAT_ATOM,
	FEED_FORMAT_JSON,	/* JSON Feed 1.0/1.1 */
};

/* One entry of a feed. Every string is UTF-8, NUL terminated, owned by the
 * parsed_feed it belongs to. id is never NULL; title and text are "" when
 * the feed has none; url and author may be NULL. */
struct parsed_item {
	char	*id;		/* guid/id, else link, else "hash:" + hex of title+date+feed URL */
	char	*title;		/* clean text */
	char	*text;		/* clean text of content, else description/summary; paragraphs split by "\n\n" */
	char	*url;		/* absolute, resolved against xml:base or the feed URL */
	char	*author;
	int64_t	 published;	/* unix seconds UTC; -1 when absent or unparseable */
	int64_t	 updated;	/* unix seconds UTC; -1 when absent */
};

struct parsed_feed {
	enum feed_format	 format;
	char			*title;		/* may be NULL */
	char			*link;		/* may be NULL */
	char			*language;	/* as declared (e.g. "ru", "en-us"); may be NULL */
	int64_t			 ttl;		/* seconds, from RSS <ttl>; 0 when absent */
	struct parsed_item	*items;
	size_t			 nitems;
	/* First recoverable problem ("line 12: ..." or "more than 5000
	 * items, the rest ignored"); NULL when the feed was clean. */
	char			*warning;
};

/* Parses a feed. url is the feed's address (for relative links and for
 * item identity); content_type is the HTTP Content-Type or NULL (its
 * charset wins over the XML declaration, as RFC 7303 says). limits may be
 * NULL for PARSE_LIMITS_DEFAULT.
 *
 * Returns 0 and *out (free with parse_feed_free) when the bytes are a feed,
 * possibly with some items and a warning; -1 and *cause (one line, caller
 * frees) when nothing usable could be read. */
int	 parse_feed(const char *buf, size_t len, const char *url,
	    const char *content_type, const struct parse_limits *limits,
	    struct parsed_feed **out, char **cause);
void	 parse_feed_free(struct parsed_feed *);

/* HTML (a fragment, escaped or not) to clean text: scripts and styles
 * dropped, entities decoded, block elements become "\n\n", runs of white
 * space one space. Returns a string the caller frees. */
char	*parse_html_to_text(const char *html, size_t len);

/* RFC 822 and its real-world variants, RFC 3339 / ISO 8601; zones applied.
 * Returns unix seconds UTC or -1 when the text is not a date we trust. */
int64_t	 parse_date(const char *text);

/* One feed of an OPML subscription list. */
struct opml_outline {
	char	*title;		/* text or title attribute; may be NULL */
	char	*url;		/* xmlUrl */
	char	*html_url;	/* htmlUrl; may be NULL */
	char	*language;	/* language attribute; may be NULL */
};

/* Parses OPML 1.0/2.0 (nested outlines flattened). Returns 0 and an array
 * the caller frees with parse_opml_free, or -1 and *cause. */
int	 parse_opml(const char *buf, size_t len, struct opml_outline **out,
	    size_t *count, char **cause);
void	 parse_opml_free(struct opml_outline *, size_t count);

/* Writes outlines as an OPML 2.0 document (UTF-8, attributes escaped),
 * for export-opml; title names the list (NULL for a default). Returns a
 * string the caller frees. */
char	*parse_opml_write(const struct opml_outline *, size_t count,
	    const char *title);

#endif
