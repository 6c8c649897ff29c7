/* translate/translate.h: translation backends (Apertium APY, LibreTranslate, DeepL, a command) on the daemon's loop, and the splitting of texts for them. */
#ifndef WW_TRANSLATE_H
#define WW_TRANSLATE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetcher;

/*
 * Language codes are ISO 639-1 ("es", "ru", "en") everywhere outside this
 * folder; each backend maps them to its own (APY: ISO 639-3 "spa", DeepL:
 * "ES" and target "EN-US").
 */
struct translate_options {
	const char		*backend;	/* "apertium", "libretranslate", "deepl", "command" */
	const char		*url;		/* HTTP backends: the server's base URL */
	const char		*key;		/* API key (NULL: none); never logged */
	const char * const	*argv;		/* command: {source} {target} (639-1) and
						 * {source3} {target3} (639-3) substituted */
	int64_t			 timeout;	/* seconds, one request */
	int			 concurrency;	/* requests at once */
};

struct translator;

/* Creates the backend. fetcher (not owned) carries all its HTTP. Returns
 * NULL and *cause when the options are unusable (no url, no argv). */
struct translator	*translator_new(struct event_base *, struct fetcher *,
			    const struct translate_options *, char **cause);
/* Cancels what is in flight (no callbacks) and frees. */
void			 translator_free(struct translator *);

/* Asks the backend which pairs it translates (APY: GET /listPairs;
 * LibreTranslate: GET /languages; DeepL and a command: any). cb is called
 * once from the loop with NULL, or the error (then every pair counts as
 * supported and a failing request will say so). */
void			 translator_probe(struct translator *,
			    void (*cb)(const char *error, void *arg), void *arg);
/* Whether source → target is supported, as far as the probe knows. */
int			 translator_supports(const struct translator *,
			    const char *source, const char *target);
/* The most characters one text of a request may have for this backend. */
size_t			 translator_max_chars(const struct translator *);

enum translate_outcome {
	TRANSLATE_OK,
	TRANSLATE_RETRY,	/* down, slow, 429, 5xx, a malformed answer: later */
	TRANSLATE_REFUSED,	/* never: an unsupported pair, a rejected key */
};

/* What a request produced. Pointers are valid only during the callback. */
struct translate_result {
	enum translate_outcome	 outcome;
	char * const		*texts;		/* OK: ntexts, in request order */
	size_t			 ntexts;
	int64_t			 retry_after;	/* RETRY: unix time from Retry-After, 0 none */
	const char		*error;		/* RETRY, REFUSED: one line */
	size_t			 chars_sent;	/* characters of text sent */
};

struct translate_job;
typedef void (*translate_cb)(const struct translate_result *, void *arg);

/* Translates ntexts texts (each within translator_max_chars) from source
 * to target, in as few requests as the backend allows. cb is called
 * exactly once, from the loop, never from within translate_start, unless
 * translate_cancel is called first. */
struct translate_job	*translate_start(struct translator *, const char *source,
			    const char *target, const char * const *texts,
			    size_t ntexts, translate_cb cb, void *arg);
void			 translate_cancel(struct translate_job *);

/*
 * Splitting. A text is cut into chunks a backend takes — each paragraph
 * ("\n\n" apart) a chunk, a paragraph longer than max_chars cut at
 * sentence boundaries (ICU), a sentence longer than that at word
 * boundaries — and the translations are joined back with the same
 * paragraph breaks.
 */
struct translate_chunk {
	char		*text;
	const char	*joiner;	/* put before its translation: "", " " or "\n\n" */
};
size_t	 translate_split(const char *text, size_t max_chars,
	    struct translate_chunk **chunks);
/* Joins the translations of chunks (n of them). Caller frees. */
char	*translate_join(const struct translate_chunk *, char * const *translations,
	    size_t n);
void	 translate_chunks_free(struct translate_chunk *, size_t n);

#endif
