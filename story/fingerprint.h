/* story/fingerprint.h: the fingerprint's layout and tuning, shared by story/ and bench/story_bench.c (not a public interface). */
#ifndef WW_STORY_FINGERPRINT_H
#define WW_STORY_FINGERPRINT_H

#include <stdint.h>

#include "story/story.h"

/*
 * story_signature.hashes[] holds 128 MinHash minima of 16 bits, two a word
 * (minimum 2i in the low half of hashes[i], 2i + 1 in the high half;
 * fingerprint.c says why): STORY_FP_FULL minima over every shingle of
 * title and text, then STORY_FP_LEDE over the lede, the first
 * STORY_FP_LEDE_SHINGLES shingles of the text (with the title's when the
 * text has fewer).
 */
#define STORY_FP_MINIMA		128
#define STORY_FP_FULL		96
#define STORY_FP_LEDE		32
#define STORY_FP_LEDE_SHINGLES	32
#define STORY_FP_WORDS		3	/* words in a shingle */
/* Shingles past this many (an article of ~8,000 words) are not hashed. */
#define STORY_FP_MAX_SHINGLES	8192

/* Similarity at or above which two signatures are one story. */
#define STORY_FP_THRESHOLD	0.60
/* Containment is estimated only when the smaller item has this many
 * shingles and the larger has at most STORY_FP_CONTAIN_RATIO times more:
 * beyond that a few chance matches among 96 minima read as containment. */
#define STORY_FP_CONTAIN_MIN	24
#define STORY_FP_CONTAIN_RATIO	4
/* Where containment is estimated, the lede may lift the score at most this
 * far above it. */
#define STORY_FP_LEDE_LIFT	0.10

/* LSH bands: STORY_FP_FULL_BANDS bands of STORY_FP_FULL_ROWS minima of the
 * full sketch, STORY_FP_LEDE_BANDS bands of STORY_FP_LEDE_ROWS of the lede
 * (16 bits a minimum: keys of 48 and 32 bits). */
#define STORY_FP_FULL_BANDS	8
#define STORY_FP_FULL_ROWS	3
#define STORY_FP_LEDE_BANDS	8
#define STORY_FP_LEDE_ROWS	2
#define STORY_FP_BANDS		(STORY_FP_FULL_BANDS + STORY_FP_LEDE_BANDS)

/* story_signature_compute with a shingle size other than STORY_FP_WORDS,
 * for measuring. */
void	 story_fingerprint_compute(const struct text_tokens *title,
	    const struct text_tokens *text, unsigned words,
	    struct story_signature *out);
/* The similarity of two items from how many minima of each sketch agree
 * and their shingle counts; what story_signature_similarity returns. */
double	 story_fingerprint_score(unsigned full_matches, unsigned lede_matches,
	    uint32_t shingles_a, uint32_t shingles_b);
/* Counts the minima of two hashes[] arrays that agree, in the full sketch
 * and in the lede. */
void	 story_fingerprint_matches(const uint32_t *a, const uint32_t *b,
	    unsigned *full, unsigned *lede);
/* Minimum i of a hashes[] array. */
static inline uint16_t
story_fingerprint_minimum(const uint32_t *hashes, unsigned i)
{
	return (uint16_t)(hashes[i / 2] >> (16 * (i % 2)));
}
/* The shingle hashes of title and text as story_signature_compute sees
 * them: at most max of them into out, the title's first (how many in
 * *title_shingles), repeats kept. Returns how many; for measurements of
 * other sketches in the benchmark. */
size_t	 story_fingerprint_shingles(const struct text_tokens *title,
	    const struct text_tokens *text, unsigned words, uint64_t *out,
	    size_t max, size_t *title_shingles);

#endif
