/* text/langid_ngram.h: n-gram fingerprints of texts and the inverted index of the language models, shared by langid.c and its test (not a public interface). */
#ifndef WW_TEXT_LANGID_NGRAM_H
#define WW_TEXT_LANGID_NGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A fingerprint is libexttextcat's: the LANGID_NGRAMS most frequent
 * n-grams of 1 to 5 characters of the text, words padded with '_', in
 * rank order, exactly as fp_Create ranks them (ties included), so that a
 * score here is the score fp_Compare gives.
 */
#define LANGID_NGRAMS		400
/* The most bytes of text a fingerprint reads. */
#define LANGID_FP_MAX_BYTES	512
/* libexttextcat's penalty for an n-gram a model does not have. */
#define LANGID_OUT_OF_PLACE	400
/* Bytes of the longest n-gram (MAXNGRAMSIZE: 5 characters of 4 bytes). */
#define LANGID_GRAM_BYTES	20
/* Bytes read from where an n-gram starts to compare it: see
 * langid_ngram_same. */
#define LANGID_GRAM_READ	24

struct langid_fingerprint {
	/* The text as libexttextcat prepares it: each run of spaces and
	 * digits one '_', one before the first word. */
	char		text[LANGID_FP_MAX_BYTES + 3 + LANGID_GRAM_READ];
	size_t		count;				/* n-grams */
	uint32_t	hash[LANGID_NGRAMS];		/* by rank */
	uint16_t	off[LANGID_NGRAMS];		/* in text[] */
	uint8_t		len[LANGID_NGRAMS];		/* bytes */
};

/* Returns the mask of the bytes of word k (8 bytes) of an n-gram of len
 * bytes that are the n-gram's. */
static inline uint64_t
langid_ngram_mask(size_t len, size_t k)
{
	size_t	n = len > 8 * k ? len - 8 * k : 0;

	if (n >= 8)
		return ~(uint64_t)0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return ((uint64_t)1 << (8 * n)) - 1;
#else
	return n == 0 ? 0 : ~(uint64_t)0 << (64 - 8 * n);
#endif
}

/* Returns whether the n-grams a[0, len) and b[0, len) are the same, len
 * at most LANGID_GRAM_BYTES and LANGID_GRAM_READ bytes readable at each.
 * Three words, masked, without a branch: the compare is in the innermost
 * loop, and whether n-grams match is what a branch cannot predict. */
static inline bool
langid_ngram_same(const char *a, const char *b, size_t len)
{
	uint64_t	x[3], y[3];

	memcpy(x, a, sizeof x);
	memcpy(y, b, sizeof y);
	return (((x[0] ^ y[0]) & langid_ngram_mask(len, 0)) |
	    ((x[1] ^ y[1]) & langid_ngram_mask(len, 1)) |
	    ((x[2] ^ y[2]) & langid_ngram_mask(len, 2))) == 0;
}

/* The hash of an n-gram's bytes that fingerprints and the index share. */
uint32_t	 langid_ngram_hash(const char *s, size_t len);

/* Makes the fingerprint of the first LANGID_FP_MAX_BYTES of s[0, len)
 * (stopping at a NUL) as fp_Create with TCPROP_UTF8AWARE does. Returns
 * the number of n-grams, 0 when len is 0 (fp_Create refuses it too). */
size_t		 langid_fingerprint_make(struct langid_fingerprint *,
		    const char *s, size_t len);

/*
 * The index of a set of models: every n-gram of any of them, with the
 * models that have it and its rank in each, so one pass over a
 * fingerprint scores them all.
 */
struct langid_index;

/* The directory of libexttextcat's models. */
const char	*langid_model_dir(void);
/* Reads the models names[0, n) ("en" is <dir>/en.lm, its first
 * LANGID_NGRAMS n-grams, as fp_Read reads them); model i of the index is
 * names[i]. Returns NULL and *cause when one cannot be read. */
struct langid_index *langid_index_new(const char *const *names, size_t n,
		    char **cause);
void		 langid_index_free(struct langid_index *);
/* Bytes the index holds. */
size_t		 langid_index_bytes(const struct langid_index *);
/* Sets scores[i] to model i's out-of-place distance from fp, what
 * fp_Compare returns without a cutoff. */
void		 langid_index_score(const struct langid_index *,
		    const struct langid_fingerprint *fp, int32_t *scores);

#endif
