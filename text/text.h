/* text/text.h: Unicode text for matching — folded tokens, language identification, stems. */
#ifndef WW_TEXT_H
#define WW_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Tokens. A token is one word as ICU's word break iterator finds it in any
 * script (Latin, Cyrillic, Greek, Arabic, Hebrew, CJK ideographs one by
 * one), folded for matching: NFKC, full case folding, diacritics removed
 * (é → e, ё → е, Arabic harakat and Hebrew niqqud dropped). Punctuation,
 * spaces and symbols are not tokens; numbers are, as ICU delimits them
 * ("1,800" is one token; reading its value is the extractor's job).
 * The stored text is never changed; folding is for comparing only.
 */
struct text_token {
	const char	*word;		/* folded, NUL terminated, in tokens->buf */
	uint32_t	 len;		/* bytes of word */
	uint32_t	 offset;	/* byte offset of the word in the source */
	uint32_t	 source_len;	/* its bytes in the source */
};

/* The tokens of one text. Fill with text_tokenize, release with
 * text_tokens_clear; a cleared (or zeroed) struct can be reused. */
struct text_tokens {
	struct text_token	*tokens;
	size_t			 count;
	size_t			 cap;
	char			*buf;		/* the folded words, back to back */
	size_t			 buf_len;
	size_t			 buf_cap;
};

/* Bounds: text beyond TEXT_MAX_BYTES is not tokenized, and no more than
 * TEXT_MAX_TOKENS tokens are kept of one text. */
#define TEXT_MAX_BYTES	(256 * 1024)
#define TEXT_MAX_TOKENS	65536

/* Appends the tokens of len bytes of UTF-8 (invalid sequences are skipped,
 * never read past len) to tokens. Returns the number of tokens added. */
size_t	 text_tokenize(const char *utf8, size_t len, struct text_tokens *tokens);
void	 text_tokens_clear(struct text_tokens *);

/* The folded form of a whole string, as text_tokenize would fold each of its
 * words (spacing and punctuation kept). Caller frees. */
char	*text_fold(const char *utf8, size_t len);

/* A byte range of a text. */
struct text_span {
	uint32_t	offset;
	uint32_t	len;
};

/* Sentences as ICU's sentence break rules find them, in any script, with
 * ICU's English abbreviations ("Mr. Blinken" is one sentence; "the U.S.
 * Senate" is cut before "Senate", as ICU decides). Appends their byte
 * spans, white space around them excluded, to *spans (grown with
 * xreallocarray; *n counts them) and returns how many were added; at most
 * TEXT_MAX_SENTENCES of one text, and nothing past TEXT_MAX_BYTES. */
#define TEXT_MAX_SENTENCES	4096
size_t	 text_sentences(const char *utf8, size_t len, struct text_span **spans,
	    size_t *n);

/*
 * Language identification with libexttextcat's n-gram models, restricted
 * to the scripts the text is written in. Codes are ISO 639-1 where one
 * exists ("en", "ru", "ar", "he", "uk", "fa", "de", "fr", "es", ...).
 */
struct text_langid;

/* Loads the models (from libexttextcat's data directory). Returns NULL and
 * *cause when they cannot be read. */
struct text_langid	*text_langid_new(char **cause);
void			 text_langid_free(struct text_langid *);
/* Returns the language of the text: a static string, "und" when it cannot
 * tell. hint (the feed's configured language, NULL for none; "en-US" is
 * read as "en") is a prior: it wins when the text is too short to tell or
 * when it is among the languages the models find nearly as likely. */
const char		*text_langid_detect(struct text_langid *, const char *utf8,
			    size_t len, const char *hint);

/*
 * Stemming with Snowball (libstemmer). One text_stemmer holds a stemmer per
 * language, created when first asked for; not thread-safe (the daemon has
 * one thread).
 */
struct text_stemmer;

struct text_stemmer	*text_stemmer_new(void);
void			 text_stemmer_free(struct text_stemmer *);
/* Returns 1 when Snowball has a stemmer for the ISO 639-1 code lang. */
int			 text_stemmer_has(struct text_stemmer *, const char *lang);
/* Stems a folded word in language lang. Returns the stem (valid until the
 * next call on this stemmer) and its length in *stem_len; when lang has no
 * stemmer, returns word itself. */
const char		*text_stem(struct text_stemmer *, const char *lang,
			    const char *word, size_t len, size_t *stem_len);

#endif
