/* text/langid_fingerprint.c: libexttextcat's n-gram fingerprint of a text, rebuilt so its n-grams can be looked up in the index. */

/*
 * We hand-write what fp_Create does because its fingerprint cannot be
 * looked up in an index (it is opaque, sorted by string for fp_Compare's
 * merge, and only fp_Print reads it back) and because of what it costs:
 * per call it clears a 64 KB table, sets up a memory pool, moves 40-byte
 * entries through its heap by memcpy and qsorts the result, ~52 us of the
 * ~100 us a news item took (perf on the bench corpus); this takes ~11.
 * Here the table's heads are read only where a bitmap says a bucket is in
 * use, the n-grams from one character are unrolled by length so that each
 * length's branches are predicted apart, and the heap moves 8-byte slots.
 *
 * Everything that decides the result is libexttextcat 3.4's, so the
 * fingerprint is the same to the order of n-grams of equal count (most of
 * them in a short text), which fp_Compare's score depends on: the
 * preparation of the text, the n-grams (a '_' ends one; the scan stops
 * where an n-gram reaches the end of the text, so the last few
 * characters start none), the hash that picks a bucket among 8192, new
 * entries put first in their bucket, the walk over the buckets in order
 * into a 400-entry min-heap that takes an entry as large as its least, and
 * the extraction that ranks the least last. test_text_langid compares
 * fingerprints and scores with libexttextcat's own.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "text/langid_ngram.h"

/* libexttextcat's hash table size (TABLEPOW 13). */
#define LANGID_FP_BUCKETS	8192
/* Characters of the longest n-gram (MAXNGRAMSYMBOL). */
#define LANGID_FP_MAX_CHARS	5
/* The longest prepared text. */
#define LANGID_FP_MAX_TEXT	(LANGID_FP_MAX_BYTES + 2)
/* Distinct n-grams of a text: at most one per start and length. */
#define LANGID_FP_MAX_ENTRIES	(LANGID_FP_MAX_CHARS * LANGID_FP_MAX_TEXT)

/* An n-gram of the text and how often it occurs. */
struct langid_fp_entry {
	uint32_t	hash;		/* langid_ngram_hash */
	uint32_t	count;
	uint16_t	off;		/* in the prepared text */
	uint8_t		len;
	int16_t		next;		/* in the bucket, -1 at the end */
};

/* A heap slot: the count is copied so the heap stays in one place. */
struct langid_fp_slot {
	uint32_t	count;
	uint16_t	entry;
};

/* The working memory of one fingerprint (on the stack: ~60 KB, so that
 * text_langid_detect needs nothing of its caller's). */
struct langid_fp_work {
	uint64_t		used[LANGID_FP_BUCKETS / 64];
	int16_t			head[LANGID_FP_BUCKETS];
	struct langid_fp_entry	entry[LANGID_FP_MAX_ENTRIES];
	size_t			nentries;
	struct langid_fp_slot	heap[LANGID_NGRAMS + 1];
	size_t			heapsize;
};

/* Returns whether libexttextcat's INVALID() holds for byte c: isspace or
 * isdigit in the C locale, which is the daemon's. */
static bool
langid_fp_invalid(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '0' && c <= '9');
}

/* Copies s[0, len) (up to a NUL) to out as libexttextcat's prepbuffer
 * does: a run of invalid bytes becomes one '_', a '_' goes before the
 * first word and after a trailing run, and at len + 1 bytes the text is
 * cut and closed with a '_'. out has len + 3 bytes; returns its length. */
static size_t
langid_fp_prepare(const char *s, size_t len, char *out)
{
	size_t	i = 0, w = 0, limit = len + 1;

#define AT(i) ((i) < len ? (unsigned char)s[i] : 0)
	for (;;) {
		while (langid_fp_invalid(AT(i)))
			i++;
		if (AT(i) == 0) {
			out[w++] = '_';
			break;
		}
		out[w++] = '_';
		if (w == limit)
			break;
		do {
			out[w++] = (char)AT(i);
			i++;
			if (w == limit) {
				out[w++] = '_';
				goto done;
			}
		} while (AT(i) != 0 && !langid_fp_invalid(AT(i)));
		if (AT(i) == 0)
			break;
	}
#undef AT
done:
	out[w] = '\0';
	return w;
}

/* Returns the bytes of the character at s as utf8_charcopy counts them:
 * the lead byte's high bits say how many follow, and a NUL stops it. */
static size_t
langid_fp_charlen(const unsigned char *s)
{
	unsigned char	esc;
	size_t		n = 0;

	if (s[0] & 0x80) {
		esc = (unsigned char)((s[0] & 0xf0) << 1);
		while ((esc & 0x80) && s[n] != '\0') {
			esc = (unsigned char)(esc << 1);
			n++;
		}
	}
	if (s[n] != '\0')
		n++;
	return n;
}

uint32_t
langid_ngram_hash(const char *s, size_t len)
{
	uint32_t	h = 0;
	size_t		i;

	/* libexttextcat's simplehash without its seed: h * 31 + signed byte. */
	for (i = 0; i < len; i++)
		h = h * 31 + (uint32_t)(int32_t)(signed char)s[i];
	return h;
}

/* Counts one occurrence of the n-gram text[off, off + len); bucket is
 * libexttextcat's for it. Always inlined: see langid_fp_scan. */
static inline __attribute__((always_inline)) void
langid_fp_count(struct langid_fp_work *w, const char *text, size_t off,
    size_t len, uint32_t hash, uint32_t bucket)
{
	struct langid_fp_entry	*e;
	uint64_t		 bit = (uint64_t)1 << (bucket % 64);
	int			 i;

	if (w->used[bucket / 64] & bit) {
		for (i = w->head[bucket]; i != -1; i = e->next) {
			e = &w->entry[i];
			if (e->hash == hash && e->len == len &&
			    langid_ngram_same(text + e->off, text + off, len)) {
				e->count++;
				return;
			}
		}
	} else {
		w->used[bucket / 64] |= bit;
		w->head[bucket] = -1;
	}
	e = &w->entry[w->nentries];
	e->hash = hash;
	e->count = 1;
	e->off = (uint16_t)off;
	e->len = (uint8_t)len;
	e->next = w->head[bucket];
	w->head[bucket] = (int16_t)w->nentries++;
}

/* Counts every n-gram of the prepared text, as createngramtable does:
 * from each character, the n-grams of 1 to LANGID_FP_MAX_CHARS characters
 * up to one ending in '_', and none past the first that reaches the end. */
static void
langid_fp_scan(struct langid_fp_work *w, const char *text, size_t len)
{
	const unsigned char	*t = (const unsigned char *)text;
	uint16_t		 at[LANGID_FP_MAX_TEXT + LANGID_FP_MAX_CHARS + 1];
	uint32_t		 part[LANGID_FP_MAX_TEXT + LANGID_FP_MAX_CHARS];
	uint32_t		 power[LANGID_FP_MAX_TEXT + LANGID_FP_MAX_CHARS];
	uint8_t			 blank[LANGID_FP_MAX_TEXT + LANGID_FP_MAX_CHARS];
	size_t			 nchars = 0, c, i, q, n, k;
	uint32_t		 hash, pw;

	/* Each character: where it starts, its part of the hash, 31 to the
	 * power of its bytes, whether it is '_'. */
	for (q = 0; q < len; q += n, nchars++) {
		n = langid_fp_charlen(t + q);
		for (hash = 0, pw = 1, k = 0; k < n; k++) {
			hash = hash * 31 + (uint32_t)(int32_t)(signed char)t[q + k];
			pw *= 31;
		}
		at[nchars] = (uint16_t)q;
		part[nchars] = hash;
		power[nchars] = pw;
		blank[nchars] = t[q] == '_';
	}
	for (k = 0; k < LANGID_FP_MAX_CHARS; k++) {
		at[nchars + k] = (uint16_t)len;
		part[nchars + k] = 0;
		power[nchars + k] = 1;
		blank[nchars + k] = 0;
	}
	at[nchars + k] = (uint16_t)len;

	for (c = 0;; c++) {
		hash = 0;
		pw = 1;
		/* Unrolled, each length has its own branches to predict: a
		 * character is most often seen before, five of them not. */
#pragma GCC unroll 5
		for (i = 1; i <= LANGID_FP_MAX_CHARS; i++) {
			hash = hash * power[c + i - 1] + part[c + i - 1];
			pw *= power[c + i - 1];
			/* simplehash seeds with 13 times the characters. */
			langid_fp_count(w, text, at[c], at[c + i] - at[c], hash,
			    ((uint32_t)i * 13 * pw + hash) % LANGID_FP_BUCKETS);
			if (i > 1 && blank[c + i - 1])
				break;
			if (c + i == nchars)
				return;
		}
	}
}

/* libexttextcat's siftup: a child less than its parent moves up. Each
 * parent moves down into the hole and the slot goes in once, where the
 * swaps would have left it. */
static void
langid_fp_siftup(struct langid_fp_slot *heap, size_t child)
{
	struct langid_fp_slot	slot = heap[child];
	size_t			parent;

	while (child > 0) {
		parent = (child - 1) / 2;
		if (heap[parent].count <= slot.count)
			break;
		heap[child] = heap[parent];
		child = parent;
	}
	heap[child] = slot;
}

/* libexttextcat's siftdown over the first size slots, with a hole as in
 * langid_fp_siftup; heap[size] is a sentinel no count exceeds, so the
 * less of two children is picked without a branch. */
static void
langid_fp_siftdown(struct langid_fp_slot *heap, size_t size, size_t parent)
{
	struct langid_fp_slot	slot = heap[parent];
	size_t			child;

	for (;;) {
		child = parent * 2 + 1;
		if (child >= size)
			break;
		child += heap[child + 1].count < heap[child].count;
		if (slot.count <= heap[child].count)
			break;
		heap[parent] = heap[child];
		parent = child;
	}
	heap[parent] = slot;
}

/* Offers entry i to the heap as heapinsert does: once it is full, an
 * entry at least as frequent as the least replaces it. */
static void
langid_fp_offer(struct langid_fp_work *w, size_t i)
{
	struct langid_fp_slot	slot;

	slot.count = w->entry[i].count;
	slot.entry = (uint16_t)i;
	if (w->heapsize < LANGID_NGRAMS) {
		w->heap[w->heapsize] = slot;
		langid_fp_siftup(w->heap, w->heapsize++);
		return;
	}
	if (slot.count < w->heap[0].count)
		return;
	w->heap[0] = slot;
	w->heap[w->heapsize].count = UINT32_MAX;
	langid_fp_siftdown(w->heap, w->heapsize, 0);
}

/* Feeds the entries to the heap in table2heap's order: bucket by bucket,
 * each bucket from its newest entry. */
static void
langid_fp_select(struct langid_fp_work *w)
{
	uint64_t	bits;
	size_t		word, bucket;
	int		i;

	for (word = 0; word < LANGID_FP_BUCKETS / 64; word++) {
		for (bits = w->used[word]; bits != 0; bits &= bits - 1) {
			bucket = word * 64 + (size_t)__builtin_ctzll(bits);
			for (i = w->head[bucket]; i != -1; i = w->entry[i].next)
				langid_fp_offer(w, (size_t)i);
		}
	}
}

size_t
langid_fingerprint_make(struct langid_fingerprint *fp, const char *s,
    size_t len)
{
	struct langid_fp_work	 w;
	struct langid_fp_entry	*e;
	size_t			 r, size;

	fp->count = 0;
	if (len == 0)
		return 0;
	if (len > LANGID_FP_MAX_BYTES)
		len = LANGID_FP_MAX_BYTES;
	size = langid_fp_prepare(s, len, fp->text);
	memset(fp->text + size, 0, LANGID_GRAM_READ);
	memset(w.used, 0, sizeof w.used);
	w.nentries = w.heapsize = 0;
	langid_fp_scan(&w, fp->text, size);
	langid_fp_select(&w);

	/* heapextract, the least first, ranked from the last; it sifts over
	 * the old size, the moved slot still in its old place. */
	fp->count = w.heapsize;
	for (r = fp->count; r-- > 0;) {
		e = &w.entry[w.heap[0].entry];
		fp->hash[r] = e->hash;
		fp->off[r] = e->off;
		fp->len[r] = e->len;
		size = w.heapsize--;
		w.heap[0] = w.heap[size - 1];
		w.heap[size].count = UINT32_MAX;
		langid_fp_siftdown(w.heap, size, 0);
	}
	return fp->count;
}
