/* story/fingerprint.c: an item's signature — an exact hash of its words and MinHash sketches of its word shingles. */

/*
 * Which fingerprint, and why (bench/STORY.md has the numbers and how to
 * reproduce them: 148 labelled pairs in tests/data/story, 1,000,000
 * synthetic stories):
 *
 * SimHash (64 bits over the same shingles, Hamming distance) cannot tell
 * an edited copy from a different story on the same topic: at its best
 * Hamming threshold, for any shingle size, it reaches 0.93 precision with
 * 0.94 recall on the labelled pairs, and that threshold (about 20 bits of
 * 64) is far outside what a permuted-block index can serve. At the
 * distances such an index serves (3 to 6 bits) it finds 3 to 10 % of the
 * labelled copies and 1 to 8 % of the synthetic ones. SimHash is made for
 * near-identical pages; a copy with a new headline, an appended "Related:"
 * line and a trimmed paragraph is not near-identical.
 *
 * MinHash estimates the Jaccard similarity of the shingle sets, and with
 * the shingle counts stored beside it, containment (the share of the
 * smaller item found in the larger), which is what survives trimming and
 * appending. Jaccard alone fails on RSS teasers (the first paragraph of an
 * article as its description): theirs with the full article is 0.2-0.35,
 * below that of two different days' live-blog items written to one
 * template; alone it reaches 0.94 precision and recall. The signature
 * therefore also sketches the lede, the first 32 shingles of the text, where
 * a teaser and its article agree and two template stories start to differ.
 *
 * 128 minima of 16 bits rather than 64 of 32: a chance 16-bit agreement (1
 * in 65,536) is far below the estimate's own noise, and twice the minima
 * halve its variance. That matters less for one pair than for a lookup,
 * which takes the best of up to hundreds of candidates: with 64 minima,
 * 28 % of synthetic template stories (a weather warning, a monthly
 * figure: fixed wording with their own facts) were merged into another;
 * with 128, and the lede used as below, 0.24 %. Both halves of one
 * multiply-shift product, (a * x + b) mod 2^64 with fixed random a (odd)
 * and b over a 64-bit shingle hash, serve as two hash functions (measured
 * unbiased and independent), so 128 minima cost 64 multiplies a shingle,
 * about 6 microseconds for a 600-byte item, twice what ICU tokenizing
 * costs. One-permutation hashing would be cheaper but leaves most bins
 * empty on a two-sentence RSS item.
 *
 * The score (story_fingerprint_score) is the largest of Jaccard,
 * containment, and lede Jaccard; where containment can be estimated, the
 * lede counts only up to 0.1 above it, since a teaser agrees with its
 * article on both while a template story agrees on its opening only.
 * Threshold 0.60: over 100 random draws of the hash constants it missed
 * 0.07 % of labelled copies and merged 0.09 % of labelled different
 * stories (0.55 and 0.65 do worse in total).
 *
 * Word 3-grams: over the same 100 draws bigrams merged ten times as many
 * different stories at this threshold (they share "the truce", "hostages
 * released") and four times as many errors at their best one; 4-grams lose
 * more to each changed word. The title's shingles are tagged, so a
 * headline's words do not match the same words in a text.
 *
 * Known limit: items whose text is a feed's fixed description ("Listen to
 * the full episode...") and whose titles differ share most shingles; a
 * fixed description much longer than the title reads as one story.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "story/fingerprint.h"
#include "story/story.h"
#include "text/text.h"

/* splitmix64 from the seed 0x5749524557415443 ("WIREWATC"): multipliers
 * (made odd) and addends of the 64 hash functions. Fixed forever: they are
 * in every stored signature. */
static const uint64_t fp_mul[64] = {
	0x98bc17ff07d7072bULL, 0xfff9cee3a888cc3dULL,
	0x5078beeeff7d76bdULL, 0x4dd29e8d8a622a2fULL,
	0xa60b65599be9e90bULL, 0x6fb9282d81f41231ULL,
	0xe2442d154f3872b5ULL, 0x179ff4d1a436db35ULL,
	0xef86a606a76b2cefULL, 0x9ed7c6c5542b3d43ULL,
	0x36b12020eb7b3d39ULL, 0xf737c7d69e59391bULL,
	0x2e4cd3941a87abc9ULL, 0x60dd19aec7af3d37ULL,
	0x7766d36edf153915ULL, 0x4ea05526c438e8c5ULL,
	0xd9f9b8d39d360d0bULL, 0xc8001ac43559be13ULL,
	0x892f414f0065bfbdULL, 0xdae4f1657888a9fdULL,
	0xaa5443efe7be7dedULL, 0xa57466b3a16642f5ULL,
	0xfd06b46cbfd3c3edULL, 0x8f72d0d05977451dULL,
	0xee7e3cd618820dfdULL, 0xa6af15de4f6db8d7ULL,
	0x7aa715e74ce0d0cdULL, 0x6c4a10adeea56b9bULL,
	0xfac2038a702e3899ULL, 0xfe4aefabd0421f33ULL,
	0x8d545b7109be3421ULL, 0x528f319808873e87ULL,
	0x64d625162c03e83dULL, 0xaa94dec3c8515435ULL,
	0xcd704e3aeed94437ULL, 0x62767e153dc46171ULL,
	0x383783b74f1b11a5ULL, 0xda8533786efb4f35ULL,
	0x639843d45ab62ccdULL, 0x9c3601a359df0467ULL,
	0xea3114a1f39eed21ULL, 0x061499734dbe4a93ULL,
	0xaa6d26da1521af17ULL, 0x1e2b8eefeda12905ULL,
	0x581eeb324d362a55ULL, 0x2343356a922c6f25ULL,
	0xb73f0b79f3914eb1ULL, 0xfee9bdad0567fd3fULL,
	0xe56490b2b0089c71ULL, 0xc4495d1fc25b6355ULL,
	0x699d35c12b782ce1ULL, 0x4e0ae82b92419efbULL,
	0xa20203846670d27dULL, 0x8fbfb59fb1ceab35ULL,
	0x2619727675c20387ULL, 0xe111bc7a2c5d5b79ULL,
	0x064be2b4625711fbULL, 0xc96a369a7e133cbdULL,
	0xab775874ed11aa8fULL, 0xff2733ad421511efULL,
	0x923af6036fab25efULL, 0x3a72ad7797a50841ULL,
	0xef53c2397724ccc5ULL, 0xc0f98db04c155927ULL,
};
static const uint64_t fp_add[64] = {
	0x791fc5dae8a73b37ULL, 0x546ab5ba6c0a4a36ULL,
	0xb30370605089b133ULL, 0x40ffeca357e6a4ffULL,
	0xbedfc165f46ef396ULL, 0x8658552a0dc689ceULL,
	0x94a38fbdf47985daULL, 0x0d5b23a85d38d0afULL,
	0xcc58fd688183b9d7ULL, 0x01ffcd38fdc3d18aULL,
	0x44046c2323c67d15ULL, 0x173ab6532c1f5070ULL,
	0x459857a23a51c801ULL, 0xb1761acbb690d12fULL,
	0x8d6217d31883cd38ULL, 0x1c2a7967584ff24fULL,
	0xcc1ed0dd12b8cff6ULL, 0xce157bca579cbdebULL,
	0x282951e1169936bfULL, 0x3a68c823b6aa5d08ULL,
	0x530da1159af4a7ceULL, 0xf0855a7c1b665d0eULL,
	0x53ce5f1afec1f3bcULL, 0x4783bf1729e03255ULL,
	0xf7e6d424014c085fULL, 0xae5cd830fa4c18bfULL,
	0xfa9b364a3b434d9dULL, 0xdabbd5662dcb0ecaULL,
	0x972bb77d1b63a904ULL, 0x34d50a7547f62a92ULL,
	0xa835d2ed676fedbfULL, 0x50dd5c08a5aca4f0ULL,
	0xd8e2fc1bcd8202faULL, 0xc7b09596c0e7976fULL,
	0xf755f60744c45377ULL, 0x265c28b2165afa98ULL,
	0x34bfd68843695f2dULL, 0xdd775f6f09679f97ULL,
	0x5de9107fdb5a02b0ULL, 0x7ac71be2aeb0d6c6ULL,
	0xcd828f92a8ea0009ULL, 0x7796b1b11f929797ULL,
	0xf0de843305b7effaULL, 0x40e72f7d7453f617ULL,
	0x2fac540fe9c01127ULL, 0xcdee1fdfe25eb01cULL,
	0xc2382f7b43e80dfaULL, 0xd34abc167b74d10dULL,
	0x61e0424bbb14aa20ULL, 0x12f7c8c2a04f5459ULL,
	0x9651ed638683e031ULL, 0xc588a409beacbe16ULL,
	0x8f8d96257ccd160dULL, 0xfa4acbf7f25887e4ULL,
	0x9de9badbf9bfc643ULL, 0x7db345c144a74595ULL,
	0x9cc0bf217e6b422cULL, 0x60fedc8447bd67b4ULL,
	0x2e2a58e55b07ea5fULL, 0x4939766c12e9cbdbULL,
	0x6df2793dc25365f2ULL, 0x320fb74f74770327ULL,
	0xfe33962f33ed45ccULL, 0x759846335229ffd0ULL,
};

/* Distinguishes a title's shingles from the same words in a text, and the
 * parts of the exact hash. */
#define FP_TAG_TITLE	0x7469746c65000000ULL
#define FP_TAG_TEXT	0x7465787400000000ULL
#define FP_MAX_WORDS	8

/* The splitmix64 finalizer: FNV-1a alone mixes its last bytes poorly. */
static inline uint64_t
fp_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* The words of one field, hashed: every word feeds the exact hash, the
 * first max are kept for shingles. */
struct fp_field {
	uint64_t	*hashes;
	size_t		 count;		/* kept in hashes */
};

/* Hashes the words of toks into f and the running exact hash *exact. */
static void
fp_field_hash(const struct text_tokens *toks, size_t max, uint64_t tag,
    struct fp_field *f, uint64_t *exact)
{
	size_t	 i, n;
	uint64_t h;

	f->count = 0;
	f->hashes = NULL;
	n = toks != NULL ? toks->count : 0;
	*exact = fp_mix(*exact ^ tag);
	if (n == 0)
		return;
	f->hashes = xreallocarray(NULL, n < max ? n : max, sizeof *f->hashes);
	for (i = 0; i < n; i++) {
		h = util_hash(toks->tokens[i].word, toks->tokens[i].len,
		    UTIL_HASH_SEED);
		*exact = fp_mix(*exact ^ h);
		if (i < max)
			f->hashes[f->count++] = h;
	}
}

/* How many shingles of words words a field of n words has: one short
 * shingle when it has fewer words than that. */
static size_t
fp_shingle_count(size_t n, unsigned words)
{
	if (n == 0)
		return 0;
	return n < words ? 1 : n - words + 1;
}

/* The hash of the shingle starting at word i of f. */
static inline uint64_t
fp_shingle(const struct fp_field *f, size_t i, unsigned words, uint64_t tag)
{
	static const uint64_t position[FP_MAX_WORDS] = {
		0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
		0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL,
		0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL,
		0x87c37b91114253d5ULL, 0x4cf5ad432745937fULL,
	};
	uint64_t s = tag;
	size_t	 j, n;

	n = f->count - i < words ? f->count - i : words;
	for (j = 0; j < n; j++)
		s += f->hashes[i + j] * position[j];
	return fp_mix(s);
}

/* A set of 64-bit shingle hashes, to count distinct shingles and hash each
 * only once. Open addressing; 0 marks an empty cell. */
struct fp_set {
	uint64_t	*cells;
	size_t		 mask;
};

/* Adds x; returns whether it was new. */
static bool
fp_set_add(struct fp_set *set, uint64_t x)
{
	size_t i;

	if (x == 0)
		x = 1;
	for (i = (size_t)x & set->mask; set->cells[i] != 0;
	    i = (i + 1) & set->mask) {
		if (set->cells[i] == x)
			return false;
	}
	set->cells[i] = x;
	return true;
}

/* Lowers minima 2i and 2i + 1 with shingle x for hash functions i in
 * [from, to): the high and the low half of one multiply-shift product are
 * two hash values (independent and unbiased as minima: measured, see
 * bench/STORY.md). Written without a branch: which minima fall is
 * unpredictable, and a select is cheaper than a mispredicted jump (a third
 * less time on the labelled items). */
static inline void
fp_minhash(uint32_t *restrict mins, uint64_t x, unsigned from, unsigned to)
{
	unsigned i;
	uint64_t p;
	uint32_t hi, lo;

	for (i = from; i < to; i++) {
		p = fp_mul[i] * x + fp_add[i];
		hi = (uint32_t)(p >> 32);
		lo = (uint32_t)p;
		mins[2 * i] = hi < mins[2 * i] ? hi : mins[2 * i];
		mins[2 * i + 1] = lo < mins[2 * i + 1] ? lo : mins[2 * i + 1];
	}
}

/* Calls fn for every shingle of title and text in order: the title's, then
 * the text's; lede says whether it belongs to the lede. */
static size_t
fp_shingles_walk(const struct fp_field *title, const struct fp_field *text,
    unsigned words, void (*fn)(uint64_t, bool, void *), void *arg)
{
	size_t	 nt, nx, i, total = 0;
	bool	 title_in_lede;

	nt = fp_shingle_count(title->count, words);
	nx = fp_shingle_count(text->count, words);
	if (nt + nx > STORY_FP_MAX_SHINGLES)
		nx = nt < STORY_FP_MAX_SHINGLES ? STORY_FP_MAX_SHINGLES - nt : 0;
	if (nt > STORY_FP_MAX_SHINGLES)
		nt = STORY_FP_MAX_SHINGLES;
	title_in_lede = nx < STORY_FP_LEDE_SHINGLES;
	for (i = 0; i < nt; i++, total++)
		fn(fp_shingle(title, i, words, FP_TAG_TITLE), title_in_lede,
		    arg);
	for (i = 0; i < nx; i++, total++)
		fn(fp_shingle(text, i, words, FP_TAG_TEXT),
		    i < STORY_FP_LEDE_SHINGLES, arg);
	return total;
}

/* What fp_compute_cb accumulates: 32-bit minima, of which the signature
 * keeps the low 16 bits (a minimum's high bits are mostly zero). */
struct fp_state {
	struct fp_set		 set;
	uint32_t		 mins[STORY_FP_MINIMA];
	uint32_t		 shingles;
};

/* Feeds one shingle into the sketches. */
static void
fp_compute_cb(uint64_t x, bool lede, void *arg)
{
	struct fp_state *st = arg;

	if (lede)
		fp_minhash(st->mins, x, STORY_FP_FULL / 2, STORY_FP_MINIMA / 2);
	if (!fp_set_add(&st->set, x))
		return;
	st->shingles++;
	fp_minhash(st->mins, x, 0, STORY_FP_FULL / 2);
}

/* Hashes the words of title and text into two fields and the exact hash. */
static uint64_t
fp_fields(const struct text_tokens *title, const struct text_tokens *text,
    unsigned words, struct fp_field *ft, struct fp_field *fx)
{
	uint64_t exact = UTIL_HASH_SEED;
	size_t	 max = STORY_FP_MAX_SHINGLES + words;

	fp_field_hash(title, max, FP_TAG_TITLE, ft, &exact);
	fp_field_hash(text, max, FP_TAG_TEXT, fx, &exact);
	return exact;
}

void
story_fingerprint_compute(const struct text_tokens *title,
    const struct text_tokens *text, unsigned words,
    struct story_signature *out)
{
	struct fp_field	 ft, fx;
	struct fp_state	 st;
	size_t		 n, size, i;

	if (words < 1)
		words = 1;
	if (words > FP_MAX_WORDS)
		words = FP_MAX_WORDS;
	memset(out, 0, sizeof *out);
	memset(st.mins, 0xff, sizeof st.mins);
	st.shingles = 0;
	out->exact = fp_fields(title, text, words, &ft, &fx);

	n = fp_shingle_count(ft.count, words) + fp_shingle_count(fx.count,
	    words);
	if (n > STORY_FP_MAX_SHINGLES)
		n = STORY_FP_MAX_SHINGLES;
	for (size = 16; size < 2 * n; size <<= 1)
		;
	st.set.cells = xcalloc(size, sizeof *st.set.cells);
	st.set.mask = size - 1;
	fp_shingles_walk(&ft, &fx, words, fp_compute_cb, &st);
	out->shingles = st.shingles;
	for (i = 0; i < STORY_FP_MINIMA / 2; i++)
		out->hashes[i] = (st.mins[2 * i] & 0xffff) |
		    (st.mins[2 * i + 1] & 0xffff) << 16;

	free(st.set.cells);
	free(ft.hashes);
	free(fx.hashes);
}

void
story_signature_compute(const struct text_tokens *title,
    const struct text_tokens *text, struct story_signature *out)
{
	story_fingerprint_compute(title, text, STORY_FP_WORDS, out);
}

/* Where fp_collect_cb writes. */
struct fp_collect {
	uint64_t	*out;
	size_t		 count;
	size_t		 max;
};

/* Keeps one shingle hash. */
static void
fp_collect_cb(uint64_t x, bool lede, void *arg)
{
	struct fp_collect *c = arg;

	if (c->count < c->max)
		c->out[c->count++] = x;
}

size_t
story_fingerprint_shingles(const struct text_tokens *title,
    const struct text_tokens *text, unsigned words, uint64_t *out,
    size_t max, size_t *title_shingles)
{
	struct fp_field		 ft, fx;
	struct fp_collect	 c = { out, 0, max };

	if (words < 1)
		words = 1;
	if (words > FP_MAX_WORDS)
		words = FP_MAX_WORDS;
	fp_fields(title, text, words, &ft, &fx);
	*title_shingles = fp_shingle_count(ft.count, words);
	if (*title_shingles > max)
		*title_shingles = max;
	fp_shingles_walk(&ft, &fx, words, fp_collect_cb, &c);
	free(ft.hashes);
	free(fx.hashes);
	return c.count;
}

/*
 * The score is the largest of three estimates, each of which a copy keeps
 * and a different story does not: Jaccard of the full sketches; the
 * containment of the smaller item in the larger, |A∩B| = J(|A|+|B|)/(1+J)
 * divided by the smaller count (only when both counts are large enough
 * and near enough for chance matches not to read as containment); and
 * Jaccard of the ledes, at most STORY_FP_LEDE_LIFT above containment where
 * that is estimated (a teaser agrees with its article on both; a story
 * written to a template agrees with another on its opening only). When
 * both items are no longer than a lede, each lede is its whole item and
 * the two sketches are 128 minima of the same sets: they are pooled into
 * one Jaccard, as the lede's 32 alone would let two different short items
 * sharing a fixed description (a feed's "Watch the video report") through
 * by chance.
 */
double
story_fingerprint_score(unsigned full_matches, unsigned lede_matches,
    uint32_t shingles_a, uint32_t shingles_b)
{
	double	 j, c, l, score;
	uint32_t lo, hi;
	bool	 pooled;

	if (shingles_a == 0 || shingles_b == 0)
		return 0.0;
	lo = shingles_a < shingles_b ? shingles_a : shingles_b;
	hi = shingles_a < shingles_b ? shingles_b : shingles_a;
	pooled = hi <= STORY_FP_LEDE_SHINGLES;
	if (pooled)
		j = (double)(full_matches + lede_matches) /
		    (STORY_FP_FULL + STORY_FP_LEDE);
	else
		j = (double)full_matches / STORY_FP_FULL;
	score = j;
	l = (double)lede_matches / STORY_FP_LEDE;
	if (lo >= STORY_FP_CONTAIN_MIN &&
	    hi <= (uint64_t)lo * STORY_FP_CONTAIN_RATIO) {
		c = j * ((double)lo + hi) / (1.0 + j) / lo;
		if (c > 1.0)
			c = 1.0;
		if (c > score)
			score = c;
		if (!pooled && l > c + STORY_FP_LEDE_LIFT)
			l = c + STORY_FP_LEDE_LIFT;
	}
	if (!pooled && l > score)
		score = l;
	return score;
}

void
story_fingerprint_matches(const uint32_t *a, const uint32_t *b,
    unsigned *full, unsigned *lede)
{
	unsigned i, f = 0, l = 0;
	uint32_t d;

	for (i = 0; i < STORY_FP_FULL / 2; i++) {
		d = a[i] ^ b[i];
		f += ((d & 0xffff) == 0) + ((d >> 16) == 0);
	}
	for (; i < STORY_FP_MINIMA / 2; i++) {
		d = a[i] ^ b[i];
		l += ((d & 0xffff) == 0) + ((d >> 16) == 0);
	}
	*full = f;
	*lede = l;
}

double
story_signature_similarity(const struct story_signature *a,
    const struct story_signature *b)
{
	unsigned full, lede;

	if (a->exact == b->exact && a->shingles == b->shingles)
		return 1.0;
	story_fingerprint_matches(a->hashes, b->hashes, &full, &lede);
	return story_fingerprint_score(full, lede, a->shingles, b->shingles);
}
