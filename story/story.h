/* story/story.h: one story per event — fingerprints of items and the near-duplicate index over recent stories. */
#ifndef WW_STORY_H
#define WW_STORY_H

#include <stddef.h>
#include <stdint.h>

struct text_tokens;

/*
 * A story's signature: what the index compares. exact is a hash of the
 * folded title and text tokens (markup, spacing and punctuation do not
 * change it); the rest is the near-duplicate fingerprint over word
 * shingles of title and text, which survives a new headline, an appended
 * "Related:" line, a trimmed last paragraph and light edits, while two
 * different stories on the same topic (shared vocabulary, different
 * sentences) stay apart. story/fingerprint.c says which fingerprint and why.
 */
#define STORY_SIGNATURE_BYTES	268	/* the encoded size; fixed */

struct story_signature {
	uint64_t	exact;
	uint32_t	shingles;	/* distinct shingles seen (for containment) */
	uint32_t	hashes[64];	/* fingerprint words, meaning per fingerprint.c */
};

/* Computes the signature of an item from its folded tokens. */
void	 story_signature_compute(const struct text_tokens *title,
	    const struct text_tokens *text, struct story_signature *out);
/* Similarity of two signatures in [0, 1], as the index judges it. */
double	 story_signature_similarity(const struct story_signature *,
	    const struct story_signature *);
/* Encodes into exactly STORY_SIGNATURE_BYTES bytes (little-endian, for the
 * store) and back. decode returns -1 when len is wrong. */
void	 story_signature_encode(const struct story_signature *, uint8_t *out);
int	 story_signature_decode(const uint8_t *buf, size_t len,
	    struct story_signature *out);

/*
 * The index of recent stories, in memory. The store is the truth; the
 * index is rebuilt from it at start and may hold ids the store no longer
 * has (after a rolled-back transaction): callers verify a hit against the
 * store and story_index_remove an id that is gone.
 */
struct story_index;

struct story_index	*story_index_new(void);
void			 story_index_free(struct story_index *);
/* Adds (or replaces) story id with its signature, seen at time. */
void			 story_index_add(struct story_index *, int64_t id,
			    const struct story_signature *, int64_t time);
void			 story_index_remove(struct story_index *, int64_t id);
/* Marks story id as seen at time (a new source joined it), keeping its
 * signature, so that expiry counts from its last source; does nothing for
 * an id the index does not hold. */
void			 story_index_touch(struct story_index *, int64_t id,
			    int64_t time);
/* Returns the id of the story the signature belongs to — an exact match,
 * else the most similar near-duplicate above the threshold — or 0 for a
 * new story; *similarity (may be NULL) gets 1.0 for exact. */
int64_t			 story_index_find(struct story_index *,
			    const struct story_signature *, double *similarity);
/* Drops stories last seen before time; returns how many. */
size_t			 story_index_expire(struct story_index *, int64_t before);
size_t			 story_index_count(const struct story_index *);
/* Bytes the index allocates (for the status line and the benchmark). */
size_t			 story_index_bytes(const struct story_index *);

#endif
