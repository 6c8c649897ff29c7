/* watch/doc.h: what query.c asks of a prepared document (private to watch/). */
#ifndef WW_WATCH_DOC_H
#define WW_WATCH_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "watch/watch.h"

/* Language codes are kept as at most 7 lowercase letters and a NUL. */
#define WATCH_LANG_SIZE 8
/* The most words a phrase (or a term that folds to several) may have. */
#define WATCH_PHRASE_MAX 64

/* A folded word of a query, hashed once at compile time. */
struct watch_word {
	char		*word;
	uint32_t	 len;
	int		 prefix;	/* matches any token it begins */
	uint64_t	 hash;
};

/* A query term's Snowball stem in one language. */
struct watch_stem {
	char		 lang[WATCH_LANG_SIZE];
	char		*stem;
	uint32_t	 len;
	uint64_t	 hash;
};

/* Reduces "en-US", "EN" or "en_GB" to "en" in out; returns 0 for NULL,
 * "", "und" or a code that is not letters (no language), else 1. */
int		 watch_lang_norm(const char *, char out[WATCH_LANG_SIZE]);
/* The hash both sides use for words and stems. */
uint64_t	 watch_hash(const char *, size_t);

/* The folded stem of a word as written (accents kept), when the word has
 * accents; NULL otherwise. Caller frees. */
char		*watch_stem_accented(struct text_stemmer *, const char *lang,
		    const char *src, size_t src_len, const char *folded,
		    size_t folded_len, size_t *stem_len);

/* Whether src may hold a Latin letter with an accent. */
int		 watch_latin_accents(const char *src, size_t len);

/* stemcache.c: stems kept across documents. */
struct watch_stemcache;
struct watch_stemcache *watch_stemcache_new(struct text_stemmer *);
void		 watch_stemcache_free(struct watch_stemcache *);
const char	*watch_stemcache_stem(struct watch_stemcache *,
		    const char *lang, const char *word, size_t len,
		    uint64_t hash, size_t *stem_len);
const char	*watch_stemcache_accented(struct watch_stemcache *,
		    const char *lang, const char *src, size_t src_len,
		    const char *folded, size_t folded_len, size_t *stem_len);

/* Whether some token of the document is word (or begins with it, for a
 * prefix word). */
int		 watch_doc_has_word(const struct watch_doc *,
		    const struct watch_word *);
/* Whether some token of a part written in stem->lang has that stem. */
int		 watch_doc_has_stem(const struct watch_doc *,
		    const struct watch_stem *);
/* Whether the n words occur consecutively, in order, within one part. */
int		 watch_doc_has_phrase(const struct watch_doc *,
		    const struct watch_word *, size_t n);

#endif
