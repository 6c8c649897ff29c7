/* bench/story_bench.c: near-duplicate detection measured — the labelled pairs (MinHash against SimHash) and 1,000,000 synthetic stories (index against brute force). */

/*
 * story_bench                both of the below, DIR tests/data/story.
 * story_bench labelled DIR   DIR is tests/data/story: precision and recall
 *                            of "same story" for both fingerprints at word
 *                            2-, 3- and 4-grams, with the thresholds that
 *                            would serve each best.
 * story_bench scale [N]      synthetic items looked up and inserted as the
 *                            daemon does until the index holds N stories
 *                            (default 1,000,000), then
 *                            lookups against the full index; a brute-force
 *                            scan of every signature on a sample of the
 *                            same lookups; a SimHash permuted-block index
 *                            over the same stories.
 *
 * Synthetic stories are token streams drawn from a Zipf vocabulary of
 * 50,000 words: 85 % fresh, 10 % edited copies of a story of the last
 * 10,000 (new headline, trimmed or extended, words changed, a dateline),
 * 5 % written to one template (100 fixed words with every fifth word their
 * own, then text of their own: different stories that share many of their
 * bands, which fills LSH buckets to their cap). Nothing here is a test; no threshold is
 * asserted on time.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"
#include "story/fingerprint.h"
#include "story/story.h"
#include "text/text.h"

#define BENCH_VOCAB		50000
#define BENCH_ZIPF_TABLE	(1 << 20)
#define BENCH_MAX_TOKENS	512
#define BENCH_RECENT		10000
#define BENCH_QUERIES		100000
#define BENCH_BRUTE_SAMPLE	100
#define BENCH_MAX_ITEMS		1024
#define BENCH_MAX_SHINGLES	4096
#define BENCH_LABELLED_DIR	"tests/data/story"

/* Seconds from a monotonic clock, with nanoseconds. */
static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: a seedable generator, so a story can be regenerated. */
static uint64_t
bench_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
bench_below(uint64_t *s, unsigned n)
{
	return (unsigned)(bench_rand(s) % n);
}

/* ---- SimHash, for comparison ---- */

static int
bench_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The 64-bit SimHash of a set of shingle hashes (repeats removed). */
static uint64_t
bench_simhash(uint64_t *sh, size_t n)
{
	int	 v[64] = { 0 };
	size_t	 i, j;
	uint64_t out = 0;

	qsort(sh, n, sizeof *sh, bench_u64_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && sh[i] == sh[i - 1])
			continue;
		for (j = 0; j < 64; j++)
			v[j] += (sh[i] >> j & 1) ? 1 : -1;
	}
	for (j = 0; j < 64; j++) {
		if (v[j] > 0)
			out |= 1ULL << j;
	}
	return out;
}

static uint64_t
bench_simhash_tokens(const struct text_tokens *title,
    const struct text_tokens *text, unsigned words)
{
	static uint64_t	sh[BENCH_MAX_SHINGLES];
	size_t		n;

	size_t		nt;

	n = story_fingerprint_shingles(title, text, words, sh,
	    BENCH_MAX_SHINGLES, &nt);
	return bench_simhash(sh, n);
}

/* ---- the labelled set ---- */

struct bench_item {
	char			*id;
	struct text_tokens	 title;
	struct text_tokens	 text;
};

struct bench_pair {
	size_t	a, b;
	bool	same;
};

struct bench_labelled {
	struct bench_item	 items[BENCH_MAX_ITEMS];
	size_t			 nitems;
	struct bench_pair	*pairs;
	size_t			 npairs;
};

/* Reads one items file ("=== id", a title line, the text). */
static void
bench_read_items(struct bench_labelled *set, const char *path)
{
	struct bench_item	*item;
	char			*buf, *cause, *p, *rec, *end, *nl;
	size_t			 len, rlen;

	if ((buf = util_read_file(path, 1 << 20, &len, &cause)) == NULL)
		fatalx("%s", cause);
	for (p = strstr(buf, "=== "); p != NULL; p = end != NULL ? end + 1 :
	    NULL) {
		if (set->nitems == BENCH_MAX_ITEMS)
			fatalx("%s: too many items", path);
		item = &set->items[set->nitems++];
		memset(item, 0, sizeof *item);
		nl = strchr(p, '\n');
		if (nl == NULL)
			fatalx("%s: truncated", path);
		item->id = xstrndup(p + 4, (size_t)(nl - p - 4));
		rec = nl + 1;
		end = strstr(rec, "\n=== ");
		rlen = end != NULL ? (size_t)(end - rec) : strlen(rec);
		nl = memchr(rec, '\n', rlen);
		if (nl == NULL)
			nl = rec + rlen;
		text_tokenize(rec, (size_t)(nl - rec), &item->title);
		if (nl < rec + rlen)
			text_tokenize(nl + 1, (size_t)(rec + rlen - nl - 1),
			    &item->text);
	}
	free(buf);
}

static size_t
bench_item_find(const struct bench_labelled *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->nitems; i++) {
		if (strcmp(set->items[i].id, id) == 0)
			return i;
	}
	fatalx("pairs.tsv: unknown item %s", id);
}

static void
bench_read_pairs(struct bench_labelled *set, const char *path)
{
	char	*buf, *cause, *line, *save, *a, *b, *same;
	size_t	 len;

	if ((buf = util_read_file(path, 1 << 20, &len, &cause)) == NULL)
		fatalx("%s", cause);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		a = strtok(line, "\t");
		b = strtok(NULL, "\t");
		same = strtok(NULL, "\t");
		if (same == NULL)
			fatalx("%s: short line", path);
		set->pairs = xreallocarray(set->pairs, set->npairs + 1,
		    sizeof *set->pairs);
		set->pairs[set->npairs].a = bench_item_find(set, a);
		set->pairs[set->npairs].b = bench_item_find(set, b);
		set->pairs[set->npairs].same = same[0] == '1';
		set->npairs++;
	}
	free(buf);
}

/* The best threshold for a score where higher means "same": the one with
 * the largest min(precision, recall); scores of pairs in score[]. */
static void
bench_sweep(const struct bench_labelled *set, const double *score,
    bool lower_is_same, const char *name)
{
	double	 th, best_th = 0, bp = 0, br = 0, p, r;
	double	 pos_worst = lower_is_same ? -1e9 : 1e9;
	double	 neg_worst = lower_is_same ? 1e9 : -1e9;
	size_t	 i, j, tp, fp, fn;
	bool	 judged;

	for (i = 0; i < set->npairs; i++) {
		if (set->pairs[i].same)
			pos_worst = lower_is_same ?
			    (score[i] > pos_worst ? score[i] : pos_worst) :
			    (score[i] < pos_worst ? score[i] : pos_worst);
		else
			neg_worst = lower_is_same ?
			    (score[i] < neg_worst ? score[i] : neg_worst) :
			    (score[i] > neg_worst ? score[i] : neg_worst);
	}
	for (j = 0; j < set->npairs; j++) {
		th = score[j];
		tp = fp = fn = 0;
		for (i = 0; i < set->npairs; i++) {
			judged = lower_is_same ? score[i] <= th :
			    score[i] >= th;
			if (judged && set->pairs[i].same)
				tp++;
			else if (judged)
				fp++;
			else if (set->pairs[i].same)
				fn++;
		}
		p = tp + fp ? (double)tp / (double)(tp + fp) : 1.0;
		r = (double)tp / (double)(tp + fn);
		if ((p < r ? p : r) > (bp < br ? bp : br)) {
			bp = p;
			br = r;
			best_th = th;
		}
	}
	printf("  %-28s best at %s %6.3f: precision %.3f recall %.3f; "
	    "worst copy %.3f, worst different %.3f\n", name,
	    lower_is_same ? "<=" : ">=", best_th, bp, br, pos_worst,
	    neg_worst);
}

/* Prints the three copies that score lowest and the three different
 * stories that score highest. */
static void
bench_closest(const struct bench_labelled *set, const double *score)
{
	size_t	 order[3], i, j, k, n;
	bool	 same;

	for (k = 0; k < 2; k++) {
		same = k == 0;
		n = 0;
		for (i = 0; i < set->npairs; i++) {
			if (set->pairs[i].same != same)
				continue;
			for (j = n < 3 ? n++ : 3; j > 0 &&
			    (same ? score[i] < score[order[j - 1]] :
			    score[i] > score[order[j - 1]]); j--) {
				if (j < 3)
					order[j] = order[j - 1];
			}
			if (j < 3)
				order[j] = i;
		}
		for (j = 0; j < n; j++)
			printf("    %s %.3f %s / %s\n", same ?
			    "lowest copy     " : "highest different",
			    score[order[j]], set->items[set->pairs[order[j]].a].id,
			    set->items[set->pairs[order[j]].b].id);
	}
}

/* Tokenizing and signing real items: the per-item cost in the pipeline. */
static void
bench_labelled_speed(const char *dir, const char **files, size_t nfiles)
{
	struct text_tokens	 title = { 0 }, text = { 0 };
	struct story_signature	 sig;
	char			*path, *buf[16], *cause, *p, *rec, *end, *nl;
	size_t			 len, i, round, items = 0, bytes = 0;
	double			 t_tok = 0, t_sig = 0, t0, t1;

	for (i = 0; i < nfiles; i++) {
		xasprintf(&path, "%s/items/%s.txt", dir, files[i]);
		if ((buf[i] = util_read_file(path, 1 << 20, &len, &cause)) ==
		    NULL)
			fatalx("%s", cause);
		free(path);
	}
	for (round = 0; round < 200; round++) {
		for (i = 0; i < nfiles; i++) {
			for (p = strstr(buf[i], "=== "); p != NULL;
			    p = end != NULL ? end + 1 : NULL) {
				rec = strchr(p, '\n') + 1;
				end = strstr(rec, "\n=== ");
				len = end != NULL ? (size_t)(end - rec) :
				    strlen(rec);
				nl = memchr(rec, '\n', len);
				t0 = bench_now();
				text_tokenize(rec, (size_t)(nl - rec), &title);
				text_tokenize(nl + 1, len - (size_t)(nl - rec) - 1,
				    &text);
				t1 = bench_now();
				story_signature_compute(&title, &text, &sig);
				t_sig += bench_now() - t1;
				t_tok += t1 - t0;
				text_tokens_clear(&title);
				text_tokens_clear(&text);
				items++;
				bytes += len;
			}
		}
	}
	for (i = 0; i < nfiles; i++)
		free(buf[i]);
	printf("real items (%zu bytes on average): text_tokenize %.1f us, "
	    "story_signature_compute %.1f us an item (%zu items)\n",
	    bytes / items, t_tok / items * 1e6, t_sig / items * 1e6, items);
}

/* Jaccard or containment of the full sketch alone, as the shipped score
 * estimates them but without the lede. */
static double
bench_score_jc(unsigned full_matches, uint32_t na, uint32_t nb)
{
	double	 j = (double)full_matches / STORY_FP_FULL, c;
	uint32_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;

	if (lo < STORY_FP_CONTAIN_MIN ||
	    hi > (uint64_t)lo * STORY_FP_CONTAIN_RATIO)
		return j;
	c = j * ((double)lo + hi) / (1.0 + j) / lo;
	c = c > 1.0 ? 1.0 : c;
	return c > j ? c : j;
}

/* Precision and recall of the shipped decision (index and threshold). */
static void
bench_labelled_index(const struct bench_labelled *set,
    const struct story_signature *sigs)
{
	struct story_index	*idx;
	size_t			 i, tp = 0, fp = 0, fn = 0;
	bool			 judged;

	for (i = 0; i < set->npairs; i++) {
		idx = story_index_new();
		story_index_add(idx, 1, &sigs[set->pairs[i].a], 1);
		judged = story_index_find(idx, &sigs[set->pairs[i].b],
		    NULL) == 1;
		story_index_free(idx);
		if (judged && set->pairs[i].same)
			tp++;
		else if (judged)
			fp++;
		else if (set->pairs[i].same)
			fn++;
	}
	printf("  %-28s at %.2f through the index: precision %.3f "
	    "recall %.3f\n", "MinHash as shipped", STORY_FP_THRESHOLD,
	    (double)tp / (double)(tp + fp), (double)tp / (double)(tp + fn));
}

/* One item's shingles, for sketches other than the shipped one. */
struct bench_shingled {
	uint64_t	*sh;
	size_t		 n;		/* in sh, the title's first */
	size_t		 title;		/* how many are the title's */
	uint32_t	 distinct;
};

/* The shipped layout (story/fingerprint.h) under other multiply-shift
 * constants: 32-bit minima into mins, then packed into words as the
 * signature packs them. */
static void
bench_seed_sketch(const struct bench_shingled *it, const uint64_t *mul,
    const uint64_t *add, uint32_t *words)
{
	uint32_t mins[STORY_FP_MINIMA], hi, lo;
	uint64_t p;
	size_t	 i, lede_end;
	unsigned j;

	memset(mins, 0xff, sizeof mins);
	lede_end = it->title + STORY_FP_LEDE_SHINGLES;
	for (i = 0; i < it->n; i++) {
		for (j = 0; j < STORY_FP_MINIMA / 2; j++) {
			if (j >= STORY_FP_FULL / 2 && (i >= lede_end ||
			    (i < it->title && it->n - it->title >=
			    STORY_FP_LEDE_SHINGLES)))
				break;
			p = mul[j] * it->sh[i] + add[j];
			hi = (uint32_t)(p >> 32);
			lo = (uint32_t)p;
			mins[2 * j] = hi < mins[2 * j] ? hi : mins[2 * j];
			mins[2 * j + 1] = lo < mins[2 * j + 1] ? lo :
			    mins[2 * j + 1];
		}
	}
	for (j = 0; j < STORY_FP_MINIMA / 2; j++)
		words[j] = (mins[2 * j] & 0xffff) |
		    (mins[2 * j + 1] & 0xffff) << 16;
}

/*
 * How much the labelled result owes to the fixed hash constants: the same
 * sketch layout and score under nseeds random draws of the 64
 * multiply-shift functions. Reports precision and recall over the draws
 * and how often one pair's decision was wrong.
 */
static void
bench_seeds(const struct bench_labelled *set, unsigned words, double th,
    unsigned nseeds)
{
	struct bench_shingled	*it;
	struct story_signature	 sig;
	uint64_t		 mul[64], add[64], s;
	uint32_t		(*mins)[64];
	double			 p, r, pmin = 1, rmin = 1, psum = 0, rsum = 0;
	size_t			 i, j, tp, fp, fn, fp_all = 0, fn_all = 0, pos = 0;
	unsigned		 seed, fm, lm;
	bool			 judged;

	it = xcalloc(set->nitems, sizeof *it);
	mins = xcalloc(set->nitems, sizeof *mins);
	for (i = 0; i < set->nitems; i++) {
		it[i].sh = xcalloc(BENCH_MAX_SHINGLES, sizeof *it[i].sh);
		it[i].n = story_fingerprint_shingles(&set->items[i].title,
		    &set->items[i].text, words, it[i].sh,
		    BENCH_MAX_SHINGLES, &it[i].title);
		story_fingerprint_compute(&set->items[i].title,
		    &set->items[i].text, words, &sig);
		it[i].distinct = sig.shingles;
	}
	for (i = 0; i < set->npairs; i++)
		pos += set->pairs[i].same;
	for (seed = 1; seed <= nseeds; seed++) {
		s = seed;
		for (j = 0; j < 64; j++) {
			mul[j] = bench_rand(&s) | 1;
			add[j] = bench_rand(&s);
		}
		for (i = 0; i < set->nitems; i++)
			bench_seed_sketch(&it[i], mul, add, mins[i]);
		tp = fp = fn = 0;
		for (i = 0; i < set->npairs; i++) {
			story_fingerprint_matches(mins[set->pairs[i].a],
			    mins[set->pairs[i].b], &fm, &lm);
			judged = story_fingerprint_score(fm, lm,
			    it[set->pairs[i].a].distinct,
			    it[set->pairs[i].b].distinct) >= th;
			if (judged && set->pairs[i].same)
				tp++;
			else if (judged)
				fp++;
			else if (set->pairs[i].same)
				fn++;
		}
		p = (double)tp / (double)(tp + fp);
		r = (double)tp / (double)(tp + fn);
		psum += p;
		rsum += r;
		pmin = p < pmin ? p : pmin;
		rmin = r < rmin ? r : rmin;
		fp_all += fp;
		fn_all += fn;
	}
	printf("  %u random draws of the hash constants, word %u-grams at "
	    "%.2f: precision mean %.4f min %.3f; recall mean %.4f min %.3f; "
	    "a copy missed in %.4f of pair draws, two stories merged in "
	    "%.4f\n", nseeds, words, th,
	    psum / nseeds, pmin, rsum / nseeds, rmin,
	    (double)fn_all / (double)(pos * nseeds),
	    (double)fp_all / (double)((set->npairs - pos) * nseeds));
	for (i = 0; i < set->nitems; i++)
		free(it[i].sh);
	free(mins);
	free(it);
}

static void
bench_labelled(const char *dir)
{
	struct bench_labelled	*set = xcalloc(1, sizeof *set);
	struct story_signature	*sigs;
	const struct story_signature *a, *b;
	const char		*files[] = { "economy", "elections", "gaza",
	    "science", "sport", "ukraine", "weather", "feeds",
	    "holdout" };
	char			*path;
	double			*jac, *jc, *all, *ham;
	uint64_t		*sim;
	unsigned		 words, fm, lm, k;
	size_t			 i, pos = 0, r3, r6;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		xasprintf(&path, "%s/items/%s.txt", dir, files[i]);
		bench_read_items(set, path);
		free(path);
	}
	xasprintf(&path, "%s/pairs.tsv", dir);
	bench_read_pairs(set, path);
	free(path);
	for (i = 0; i < set->npairs; i++)
		pos += set->pairs[i].same;
	printf("labelled set: %zu items, %zu pairs (%zu same story, %zu "
	    "different)\n", set->nitems, set->npairs, pos, set->npairs - pos);

	sigs = xcalloc(set->nitems, sizeof *sigs);
	sim = xcalloc(set->nitems, sizeof *sim);
	jac = xcalloc(set->npairs, sizeof *jac);
	jc = xcalloc(set->npairs, sizeof *jc);
	all = xcalloc(set->npairs, sizeof *all);
	ham = xcalloc(set->npairs, sizeof *ham);
	for (words = 2; words <= 4; words++) {
		printf("word %u-grams\n", words);
		for (i = 0; i < set->nitems; i++) {
			story_fingerprint_compute(&set->items[i].title,
			    &set->items[i].text, words, &sigs[i]);
			sim[i] = bench_simhash_tokens(&set->items[i].title,
			    &set->items[i].text, words);
		}
		r3 = r6 = 0;
		for (i = 0; i < set->npairs; i++) {
			a = &sigs[set->pairs[i].a];
			b = &sigs[set->pairs[i].b];
			story_fingerprint_matches(a->hashes, b->hashes, &fm,
			    &lm);
			jac[i] = (double)fm / STORY_FP_FULL;
			jc[i] = bench_score_jc(fm, a->shingles, b->shingles);
			all[i] = story_signature_similarity(a, b);
			k = (unsigned)__builtin_popcountll(
			    sim[set->pairs[i].a] ^ sim[set->pairs[i].b]);
			ham[i] = k;
			if (set->pairs[i].same) {
				r3 += k <= 3;
				r6 += k <= 6;
			}
		}
		bench_sweep(set, jac, false, "MinHash Jaccard");
		bench_sweep(set, jc, false, "MinHash Jaccard|containment");
		bench_sweep(set, all, false, "MinHash + lede (shipped)");
		if (words == STORY_FP_WORDS)
			bench_closest(set, all);
		bench_labelled_index(set, sigs);
		bench_sweep(set, ham, true, "SimHash-64 Hamming");
		printf("  %-28s copies within 3 bits %.3f, within 6 bits "
		    "%.3f (what a block index serves)\n", "SimHash-64 recall",
		    (double)r3 / (double)pos, (double)r6 / (double)pos);
	}
	printf("the shipped sketch under other hash functions:\n");
	for (words = 2; words <= 4; words++) {
		bench_seeds(set, words, STORY_FP_THRESHOLD, 100);
		if (words != STORY_FP_WORDS)
			bench_seeds(set, words, words < STORY_FP_WORDS ?
			    0.70 : 0.55, 100);
		else {
			bench_seeds(set, words, STORY_FP_THRESHOLD - 0.05, 100);
			bench_seeds(set, words, STORY_FP_THRESHOLD + 0.05, 100);
		}
	}
	bench_labelled_speed(dir, files, sizeof files / sizeof files[0]);
	free(ham);
	free(all);
	free(jc);
	free(jac);
	free(sim);
	free(sigs);
	for (i = 0; i < set->nitems; i++) {
		free(set->items[i].id);
		text_tokens_clear(&set->items[i].title);
		text_tokens_clear(&set->items[i].text);
	}
	free(set->pairs);
	free(set);
}

/* ---- synthetic stories ---- */

struct bench_vocab {
	char		*buf;
	uint32_t	*off;
	uint32_t	*len;
	uint32_t	*zipf;		/* BENCH_ZIPF_TABLE draws, Zipf s=1 */
	uint32_t	 template[100];
};

static void
bench_vocab_init(struct bench_vocab *v)
{
	double	 h = 0, c = 0;
	size_t	 i, w = 0, used = 0;
	uint64_t s = 42;

	v->buf = xmalloc(BENCH_VOCAB * 8);
	v->off = xcalloc(BENCH_VOCAB, sizeof *v->off);
	v->len = xcalloc(BENCH_VOCAB, sizeof *v->len);
	for (i = 0; i < BENCH_VOCAB; i++) {
		v->off[i] = (uint32_t)used;
		v->len[i] = (uint32_t)snprintf(v->buf + used, 8, "w%zu", i);
		used += v->len[i] + 1;
	}
	for (i = 0; i < BENCH_VOCAB; i++)
		h += 1.0 / (double)(i + 1);
	v->zipf = xcalloc(BENCH_ZIPF_TABLE, sizeof *v->zipf);
	for (i = 0; i < BENCH_ZIPF_TABLE; i++) {
		while (w < BENCH_VOCAB - 1 &&
		    c + 1.0 / (double)(w + 1) / h <
		    (double)i / BENCH_ZIPF_TABLE) {
			c += 1.0 / (double)(w + 1) / h;
			w++;
		}
		v->zipf[i] = (uint32_t)w;
	}
	for (i = 0; i < 100; i++)
		v->template[i] = v->zipf[bench_below(&s, BENCH_ZIPF_TABLE)];
}

static void
bench_vocab_free(struct bench_vocab *v)
{
	free(v->zipf);
	free(v->len);
	free(v->off);
	free(v->buf);
}

/* Token streams built in place (no ICU: the words are already folded). */
struct bench_story {
	struct text_tokens	title;
	struct text_tokens	text;
};

static void
bench_tokens_init(struct text_tokens *t)
{
	memset(t, 0, sizeof *t);
	t->cap = BENCH_MAX_TOKENS;
	t->tokens = xcalloc(t->cap, sizeof *t->tokens);
}

static void
bench_push(const struct bench_vocab *v, struct text_tokens *t, uint32_t w)
{
	if (t->count == t->cap)
		return;
	t->tokens[t->count].word = v->buf + v->off[w];
	t->tokens[t->count].len = v->len[w];
	t->count++;
}

static uint32_t
bench_word(const struct bench_vocab *v, uint64_t *s)
{
	return v->zipf[bench_below(s, BENCH_ZIPF_TABLE)];
}

/* A fresh story from seed: a headline of 6-12 words, a text of 20-300
 * (two in five are one- or two-sentence RSS descriptions). */
static void
bench_story_fresh(const struct bench_vocab *v, uint64_t seed,
    struct bench_story *st)
{
	uint64_t s = seed * 0x2545f4914f6cdd1dULL + 1;
	unsigned n, i, kind;

	st->title.count = st->text.count = 0;
	n = 6 + bench_below(&s, 7);
	for (i = 0; i < n; i++)
		bench_push(v, &st->title, bench_word(v, &s));
	kind = bench_below(&s, 5);
	n = kind < 2 ? 20 + bench_below(&s, 40) : kind < 4 ?
	    60 + bench_below(&s, 90) : 150 + bench_below(&s, 150);
	for (i = 0; i < n; i++)
		bench_push(v, &st->text, bench_word(v, &s));
}

/* An edited copy of the fresh story base: a new headline, maybe a
 * dateline, the last paragraph trimmed or a "Related:" line added, one to
 * a word in fifty changed (at least one). */
static void
bench_story_copy(const struct bench_vocab *v, uint64_t base, uint64_t seed,
    struct bench_story *st)
{
	struct text_tokens	*t = &st->text;
	uint64_t		 s = seed * 0x9e3779b97f4a7c15ULL + 7;
	unsigned		 i, n, edits;

	bench_story_fresh(v, base, st);
	st->title.count = 0;
	n = 6 + bench_below(&s, 7);
	for (i = 0; i < n; i++)
		bench_push(v, &st->title, bench_word(v, &s));
	if (bench_below(&s, 10) < 3 && t->count + 5 < t->cap) {
		memmove(t->tokens + 5, t->tokens, t->count * sizeof *t->tokens);
		t->count += 5;
		for (i = 0; i < 5; i++) {
			t->tokens[i].word = v->buf + v->off[i];
			t->tokens[i].len = v->len[i];
		}
	}
	if (bench_below(&s, 2) == 0 && t->count > 100)
		t->count -= bench_below(&s, (unsigned)t->count / 4);
	else if (bench_below(&s, 2) == 0)
		for (i = 0; i < 8; i++)
			bench_push(v, t, bench_word(v, &s));
	edits = 1 + bench_below(&s, 1 + (unsigned)t->count / 50);
	for (i = 0; i < edits; i++) {
		n = bench_below(&s, (unsigned)t->count);
		t->tokens[n].word = v->buf + v->off[bench_word(v, &s)];
		t->tokens[n].len = (uint32_t)strlen(t->tokens[n].word);
	}
}

/* A story written to the template, as a weather warning or a monthly
 * figure is: the template's 100 words with every fifth one the story's
 * own (a place, a day, a figure), then text of its own. */
static void
bench_story_template(const struct bench_vocab *v, uint64_t seed,
    struct bench_story *st)
{
	struct text_token	own[BENCH_MAX_TOKENS];
	size_t			n, i, j = 0;

	bench_story_fresh(v, seed, st);
	n = st->text.count;
	memcpy(own, st->text.tokens, n * sizeof *own);
	st->text.count = 0;
	for (i = 0; i < 100; i++) {
		if (i % 5 == 4 && j < n)
			st->text.tokens[st->text.count++] = own[j++];
		else
			bench_push(v, &st->text, v->template[i]);
	}
	while (j < n && st->text.count < st->text.cap)
		st->text.tokens[st->text.count++] = own[j++];
}

/* What story i of the run is: its kind and, for a copy, the story it
 * copies, one of the BENCH_RECENT before horizon (i itself during the run,
 * the end of the run for the lookups after it). */
enum bench_kind { BENCH_FRESH, BENCH_COPY, BENCH_TEMPLATE };

static enum bench_kind
bench_story_kind(uint64_t i, uint64_t horizon, uint64_t *base)
{
	uint64_t s = i * 0xd6e8feb86659fd93ULL + 3;
	unsigned r = bench_below(&s, 100);

	*base = i;
	if (r < 10 && horizon >= BENCH_RECENT) {
		*base = horizon - 1 - bench_below(&s, BENCH_RECENT);
		return BENCH_COPY;
	}
	if (r >= 10 && r < 15)
		return BENCH_TEMPLATE;
	return BENCH_FRESH;
}

static void
bench_story_make(const struct bench_vocab *v, uint64_t i, uint64_t horizon,
    struct bench_story *st, enum bench_kind *kind, uint64_t *base)
{
	uint64_t b;

	*kind = bench_story_kind(i, horizon, &b);
	if (*kind == BENCH_COPY) {
		/* A copy of a copy is a copy of its base. */
		while (bench_story_kind(b, b, &b) == BENCH_COPY)
			;
		bench_story_copy(v, b, i, st);
	} else if (*kind == BENCH_TEMPLATE)
		bench_story_template(v, i, st);
	else
		bench_story_fresh(v, i, st);
	*base = b;
}

/* The brute-force baseline: every signature scored. */
static int64_t
bench_brute_find(const struct story_signature *sigs, const int64_t *live,
    size_t n, const struct story_signature *q)
{
	double	 s, best = 0;
	int64_t	 id = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!live[i])
			continue;
		if (sigs[i].exact == q->exact)
			return (int64_t)i + 1;
		s = story_signature_similarity(&sigs[i], q);
		if (s >= STORY_FP_THRESHOLD && s > best) {
			best = s;
			id = (int64_t)i + 1;
		}
	}
	return id;
}

/* A SimHash permuted-block index (Manku et al.): k+1 tables, each sorted
 * on another block of 64/(k+1) bits, so a SimHash within k bits agrees
 * with the query on all of some table's block. */
struct bench_simindex {
	unsigned	 k;
	unsigned	 width;
	size_t		 n;
	uint64_t	*keys[8];	/* rotated SimHash << 0, sorted */
	uint32_t	*ids[8];
};

struct bench_simpair {
	uint64_t	key;
	uint32_t	id;
};

static int
bench_simpair_cmp(const void *a, const void *b)
{
	const struct bench_simpair *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static uint64_t
bench_rotl(uint64_t x, unsigned r)
{
	return r == 0 ? x : (x << r) | (x >> (64 - r));
}

static void
bench_simindex_build(struct bench_simindex *si, unsigned k,
    const uint64_t *sims, const int64_t *live, size_t n)
{
	struct bench_simpair	*p = xcalloc(n, sizeof *p);
	size_t			 i, m;
	unsigned		 t;

	si->k = k;
	si->width = 64 / (k + 1);
	for (t = 0; t <= k; t++) {
		for (i = m = 0; i < n; i++) {
			if (!live[i])
				continue;
			p[m].key = bench_rotl(sims[i], t * si->width);
			p[m++].id = (uint32_t)i;
		}
		qsort(p, m, sizeof *p, bench_simpair_cmp);
		si->keys[t] = xcalloc(m, sizeof *si->keys[t]);
		si->ids[t] = xcalloc(m, sizeof *si->ids[t]);
		for (i = 0; i < m; i++) {
			si->keys[t][i] = p[i].key;
			si->ids[t][i] = p[i].id;
		}
		si->n = m;
	}
	free(p);
}

/* Returns 1 + the id of the nearest SimHash within k bits, or 0; adds the
 * candidates looked at to *cands. */
static int64_t
bench_simindex_find(const struct bench_simindex *si, uint64_t q,
    uint64_t *cands)
{
	uint64_t	 rq, lo, top = ~0ULL << (64 - si->width);
	size_t		 a, b, mid, i;
	unsigned	 t, d, best_d = 65;
	int64_t		 best = 0;

	for (t = 0; t <= si->k; t++) {
		rq = bench_rotl(q, t * si->width);
		lo = rq & top;
		a = 0;
		b = si->n;
		while (a < b) {
			mid = (a + b) / 2;
			if (si->keys[t][mid] < lo)
				a = mid + 1;
			else
				b = mid;
		}
		for (i = a; i < si->n && (si->keys[t][i] & top) == lo; i++) {
			(*cands)++;
			d = (unsigned)__builtin_popcountll(si->keys[t][i] ^ rq);
			if (d <= si->k && d < best_d) {
				best_d = d;
				best = (int64_t)si->ids[t][i] + 1;
			}
		}
	}
	return best;
}

static void
bench_simindex_free(struct bench_simindex *si)
{
	unsigned t;

	for (t = 0; t <= si->k; t++) {
		free(si->keys[t]);
		free(si->ids[t]);
	}
}

/* Whether a found story is the right one for story q: a copy should be
 * found as (a story holding) its base, anything else as nothing new. */
struct bench_truth {
	size_t	copies, copies_found, fresh, fresh_matched;
	size_t	templates, templates_matched;
};

static void
bench_truth_add(struct bench_truth *t, enum bench_kind kind, uint64_t base,
    int64_t found, const int64_t *owner)
{
	if (kind == BENCH_COPY) {
		t->copies++;
		t->copies_found += found != 0 && found == owner[base];
	} else if (kind == BENCH_FRESH) {
		t->fresh++;
		t->fresh_matched += found != 0;
	} else {
		t->templates++;
		t->templates_matched += found != 0;
	}
}

/* "copies found 0.93, fresh wrongly matched 0, template wrongly matched
 * 0.01" */
static void
bench_truth_print(const struct bench_truth *t)
{
	printf("copies found %.4f, fresh items wrongly matched %.5f, template "
	    "items wrongly matched %.4f\n",
	    t->copies ? (double)t->copies_found / (double)t->copies : 0,
	    t->fresh ? (double)t->fresh_matched / (double)t->fresh : 0,
	    t->templates ? (double)t->templates_matched /
	    (double)t->templates : 0);
}

static void
bench_scale(size_t n)
{
	struct bench_vocab	 v;
	struct bench_story	 st;
	struct story_signature	*sigs, *qsigs;
	struct story_index	*idx;
	struct bench_simindex	 si;
	struct bench_truth	 during = { 0 }, full = { 0 }, brute = { 0 };
	struct bench_truth	 simt;
	enum bench_kind		 kind, *qkind;
	int64_t			*owner, *live, found, bf;
	uint64_t		*sims, *qsims, *qbase, base, cands;
	double			 t0, t_sig = 0, t_find = 0, t_add = 0, t;
	double			 t_full, t_brute;
	size_t			 i, stories = 0, nq, agree = 0, cap, items;
	unsigned		 k;

	bench_vocab_init(&v);
	bench_tokens_init(&st.title);
	bench_tokens_init(&st.text);
	cap = n + n / 4;
	sigs = xcalloc(cap, sizeof *sigs);
	sims = xcalloc(cap, sizeof *sims);
	owner = xcalloc(cap, sizeof *owner);
	live = xcalloc(cap, sizeof *live);
	idx = story_index_new();

	/* As the daemon goes: look up, then add a new story or refresh the
	 * one found; until the index holds n stories. */
	for (i = 0; stories < n; i++) {
		if (i == cap) {
			sigs = xreallocarray(sigs, cap * 2, sizeof *sigs);
			sims = xreallocarray(sims, cap * 2, sizeof *sims);
			owner = xreallocarray(owner, cap * 2, sizeof *owner);
			live = xreallocarray(live, cap * 2, sizeof *live);
			memset(live + cap, 0, cap * sizeof *live);
			cap *= 2;
		}
		bench_story_make(&v, i, i, &st, &kind, &base);
		t0 = bench_now();
		story_signature_compute(&st.title, &st.text, &sigs[i]);
		t = bench_now();
		t_sig += t - t0;
		found = story_index_find(idx, &sigs[i], NULL);
		t0 = bench_now();
		t_find += t0 - t;
		if (found == 0) {
			story_index_add(idx, (int64_t)i + 1, &sigs[i],
			    (int64_t)i);
			live[i] = 1;
			owner[i] = (int64_t)i + 1;
			stories++;
		} else {
			story_index_add(idx, found, &sigs[found - 1],
			    (int64_t)i);
			owner[i] = found;
		}
		t_add += bench_now() - t0;
		bench_truth_add(&during, kind, base, found, owner);
		sims[i] = bench_simhash_tokens(&st.title, &st.text,
		    STORY_FP_WORDS);
	}
	items = i;
	printf("%zu items -> %zu stories in the index (%zu copies, %zu "
	    "template items)\n", items, story_index_count(idx), during.copies,
	    during.templates);
	printf("signatures: %.0f items/s (%.2f us each)\n", items / t_sig,
	    t_sig / items * 1e6);
	printf("while growing 0 -> %zu: %.0f lookups/s, %.0f adds/s; ",
	    stories, items / t_find, items / t_add);
	bench_truth_print(&during);
	printf("index: %zu bytes, %.1f bytes a story\n", story_index_bytes(idx),
	    (double)story_index_bytes(idx) / (double)story_index_count(idx));

	/* Lookups against the full index: new items, a tenth of them copies of
	 * indexed stories, the rest fresh or template. */
	nq = BENCH_QUERIES;
	qsigs = xcalloc(nq, sizeof *qsigs);
	qsims = xcalloc(nq, sizeof *qsims);
	qkind = xcalloc(nq, sizeof *qkind);
	qbase = xcalloc(nq, sizeof *qbase);
	for (i = 0; i < nq; i++) {
		bench_story_make(&v, items + i, items, &st, &qkind[i],
		    &qbase[i]);
		story_signature_compute(&st.title, &st.text, &qsigs[i]);
		qsims[i] = bench_simhash_tokens(&st.title, &st.text,
		    STORY_FP_WORDS);
	}
	t0 = bench_now();
	for (i = 0; i < nq; i++) {
		found = story_index_find(idx, &qsigs[i], NULL);
		bench_truth_add(&full, qkind[i], qbase[i], found, owner);
	}
	t_full = bench_now() - t0;
	printf("at %zu stories: %.0f lookups/s (%zu lookups); ", stories,
	    nq / t_full, nq);
	bench_truth_print(&full);

	/* Brute force on a sample of the same lookups. */
	t0 = bench_now();
	for (i = 0; i < BENCH_BRUTE_SAMPLE; i++) {
		bf = bench_brute_find(sigs, live, items, &qsigs[i]);
		bench_truth_add(&brute, qkind[i], qbase[i], bf, owner);
		found = story_index_find(idx, &qsigs[i], NULL);
		agree += (found != 0) == (bf != 0);
	}
	t_brute = bench_now() - t0;
	printf("brute force over %zu signatures: %.1f lookups/s (the first "
	    "%d of the lookups above, extrapolated), %zu bytes a story; the "
	    "index is %.0fx faster; index and brute force agree on %zu of "
	    "%d; brute force on them: ", stories,
	    BENCH_BRUTE_SAMPLE / t_brute, BENCH_BRUTE_SAMPLE,
	    sizeof (struct story_signature),
	    (nq / t_full) / (BENCH_BRUTE_SAMPLE / t_brute), agree,
	    BENCH_BRUTE_SAMPLE);
	bench_truth_print(&brute);

	/* SimHash block indexes over the same stories and lookups. */
	for (k = 3; k <= 6; k += 3) {
		bench_simindex_build(&si, k, sims, live, items);
		memset(&simt, 0, sizeof simt);
		cands = 0;
		t0 = bench_now();
		for (i = 0; i < nq; i++) {
			found = bench_simindex_find(&si, qsims[i], &cands);
			if (found != 0)
				found = owner[found - 1];
			bench_truth_add(&simt, qkind[i], qbase[i], found,
			    owner);
		}
		t = bench_now() - t0;
		printf("SimHash-64 block index, k=%u (%u tables): %.0f "
		    "lookups/s, %.0f candidates a lookup, %zu bytes a story; ",
		    k, k + 1, nq / t, (double)cands / nq,
		    (size_t)(k + 1) * (sizeof (uint64_t) + sizeof (uint32_t)));
		bench_truth_print(&simt);
		bench_simindex_free(&si);
	}

	story_index_free(idx);
	free(qbase);
	free(qkind);
	free(qsims);
	free(qsigs);
	free(live);
	free(owner);
	free(sims);
	free(sigs);
	free(st.title.tokens);
	free(st.text.tokens);
	bench_vocab_free(&v);
}

int
main(int argc, char **argv)
{
	log_init(LOG_STYLE_TOOL, "story_bench", 0);
	if (argc >= 3 && strcmp(argv[1], "labelled") == 0) {
		bench_labelled(argv[2]);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "scale") == 0) {
		bench_scale(argc >= 3 ? strtoul(argv[2], NULL, 10) : 1000000);
		return 0;
	}
	if (argc == 1) {
		/* Both, as `make bench-story` runs it from the source tree. */
		if (access(BENCH_LABELLED_DIR "/pairs.tsv", R_OK) == 0) {
			printf("== labelled pairs (%s)\n", BENCH_LABELLED_DIR);
			bench_labelled(BENCH_LABELLED_DIR);
		} else
			printf("== labelled pairs: %s not found (run from the "
			    "source tree)\n", BENCH_LABELLED_DIR);
		printf("== 1,000,000 stories\n");
		fflush(stdout);
		bench_scale(1000000);
		return 0;
	}
	fprintf(stderr, "usage: story_bench [labelled DIR | scale [N]]\n");
	return 1;
}
