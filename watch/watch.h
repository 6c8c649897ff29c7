/* watch/watch.h: the watch query language — compiled once, matched against every story. */
#ifndef WW_WATCH_H
#define WW_WATCH_H

#include <stddef.h>

struct text_stemmer;

/*
 * The query language (wirewatch.conf(5)):
 *
 *   query  = or
 *   or     = and { "OR" and }
 *   and    = unary { ["AND"] unary }      adjacent terms mean AND
 *   unary  = "NOT" unary | "(" or ")" | term | phrase
 *   term   = a word, in any script, optionally ending in "*" (a prefix)
 *   phrase = '"' words '"'                consecutive words, in order
 *
 * AND, OR and NOT are operators only in capitals; "-word" is not NOT.
 * Matching is case- and accent-insensitive (text/ folding). A term is also
 * matched on its Snowball stem when its language is known: from its script
 * (Cyrillic → ru, Greek → el, Arabic → ar) or, for Latin script, the
 * watch's languages (English unless configured); a story's token is then
 * stemmed in the story's language and compared when that language is the
 * term's. Prefix terms and words of phrases are not stemmed.
 */
struct watch_query;

/* Compiles query. Returns NULL with *column (1-based, in characters) and
 * *cause (one line, no position: "unbalanced parenthesis") on a syntax
 * error. latin_langs is a NULL-terminated list of ISO 639-1 codes for
 * Latin-script terms, or NULL for { "en", NULL }. stemmer is kept (not
 * owned) for compiling and matching and must outlive the query. */
struct watch_query	*watch_query_compile(const char *query,
			    const char *const *latin_langs,
			    struct text_stemmer *stemmer, size_t *column,
			    char **cause);
void			 watch_query_free(struct watch_query *);

/*
 * A document prepared for matching: the title and text of a story, and
 * (once translation exists) its translation too, each added as a part.
 * AND, OR and NOT are evaluated over the whole document (a term is there
 * when some part has it), but a phrase does not run from one part into
 * another.
 */
struct watch_doc;

struct watch_doc	*watch_doc_new(struct text_stemmer *);
void			 watch_doc_free(struct watch_doc *);
/* Empties the document for reuse (keeps its memory). */
void			 watch_doc_reset(struct watch_doc *);
/* Adds a part written in lang (ISO 639-1, or NULL/"und" when unknown). */
void			 watch_doc_add(struct watch_doc *, const char *lang,
			    const char *utf8, size_t len);
/* Returns 1 when the query matches the document, else 0. */
int			 watch_query_match(const struct watch_query *,
			    const struct watch_doc *);

#endif
