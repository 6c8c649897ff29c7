/* text/langid_index.c: libexttextcat's language models as one inverted index, scoring all of them in one pass over a fingerprint. */

/*
 * fp_Compare merges the text's 400 n-grams with one model's by strcmp;
 * scoring the 45 Latin models so took ~42 us of the ~100 us a news item
 * cost (perf on the bench corpus). The out-of-place distance it sums is,
 * for each n-gram of the text, |rank in the model - rank in the text|
 * when the model has it and LANGID_OUT_OF_PLACE when not; that is
 * 400 * n - the sum of (400 - |difference|) over the models that have it,
 * so one lookup per n-gram of the text and a walk down its short list of
 * (model, rank) gives every model's score at once, in ~3 us.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "text/langid_ngram.h"

#ifndef TEXT_TEXTCAT_DIR
#define TEXT_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

/* The most models an index holds. */
#define LANGID_MAX_MODELS	256
/* The ranks of an n-gram one model in LANGID_DENSE_SHARE or more has are
 * also kept in a row of all the models, added in a loop the compiler
 * vectorizes: the n-grams every Latin model has are most of the work.
 * Not for fewer than LANGID_DENSE_MODELS models. */
#define LANGID_DENSE_SHARE	4
#define LANGID_DENSE_MODELS	8
/* A dense row's rank for a model that does not have the n-gram: too far
 * from any rank to add anything. */
#define LANGID_DENSE_NONE	INT16_MAX
#define LANGID_NO_ROW		UINT32_MAX

/* An n-gram of some model and where its postings are. */
struct langid_gram {
	char		str[LANGID_GRAM_READ];	/* NUL padded */
	uint8_t		len;
	uint16_t	nposts;
	uint32_t	hash;
	uint32_t	post;
	uint32_t	row;		/* dense, or LANGID_NO_ROW */
};

/* One model has the n-gram at rank. */
struct langid_post {
	uint16_t	model;
	uint16_t	rank;
};

struct langid_index {
	size_t			 nmodels;
	/* Open addressing, linear probing: hash << 32 | gram + 1, 0 empty. */
	uint64_t		*slots;
	uint32_t		 mask;
	struct langid_gram	*grams;
	size_t			 ngrams;
	struct langid_post	*posts;
	size_t			 nposts;
	/* A bit for each n-gram's hash: a text's n-grams that no model has
	 * (about half) are told without a probe that misses the cache. */
	uint64_t		*filter;
	unsigned		 filter_shift;
	int16_t			*rows;		/* nrows rows of stride ranks */
	size_t			 nrows;
	size_t			 stride;
};

/* A model's n-grams in rank order, as read. */
struct langid_model_file {
	char	gram[LANGID_NGRAMS][LANGID_GRAM_READ];
	size_t	count;
};

const char *
langid_model_dir(void)
{
	return TEXT_TEXTCAT_DIR;
}

/* Returns the slot an n-gram's hash starts its probe at. */
static uint32_t
langid_index_start(const struct langid_index *ix, uint32_t hash)
{
	/* The n-gram hash is a polynomial, weak in its low bits: mix. */
	return (uint32_t)((hash * 0x9e3779b1u) >> 8) & ix->mask;
}

/* Returns the bit of the filter for a hash. */
static uint32_t
langid_index_bit(const struct langid_index *ix, uint32_t hash)
{
	return (hash * 0x85ebca6bu) >> ix->filter_shift;
}

/* Returns the index's n-gram s[0, len), NULL when no model has it. */
static const struct langid_gram *
langid_index_probe(const struct langid_index *ix, const char *s, size_t len,
    uint32_t hash)
{
	const struct langid_gram	*g;
	uint32_t			 i;
	uint64_t			 slot;

	for (i = langid_index_start(ix, hash); (slot = ix->slots[i]) != 0;
	    i = (i + 1) & ix->mask) {
		if ((uint32_t)(slot >> 32) != hash)
			continue;
		g = &ix->grams[(uint32_t)slot - 1];
		if (g->len == len && langid_ngram_same(g->str, s, len))
			return g;
	}
	return NULL;
}

/* langid_index_probe, asking the filter first. */
static const struct langid_gram *
langid_index_find(const struct langid_index *ix, const char *s, size_t len,
    uint32_t hash)
{
	uint32_t	bit = langid_index_bit(ix, hash);

	if ((ix->filter[bit / 64] & (uint64_t)1 << (bit % 64)) == 0)
		return NULL;
	return langid_index_probe(ix, s, len, hash);
}

/* Returns the number of the n-gram s, adding it when new. */
static size_t
langid_index_intern(struct langid_index *ix, const char *s, size_t len)
{
	const struct langid_gram	*found;
	struct langid_gram		*g;
	uint32_t			 hash, i;

	hash = langid_ngram_hash(s, len);
	if ((found = langid_index_probe(ix, s, len, hash)) != NULL)
		return (size_t)(found - ix->grams);
	for (i = langid_index_start(ix, hash); ix->slots[i] != 0;
	    i = (i + 1) & ix->mask)
		;
	ix->slots[i] = (uint64_t)hash << 32 | (uint64_t)(ix->ngrams + 1);
	g = &ix->grams[ix->ngrams];
	memcpy(g->str, s, len);
	g->len = (uint8_t)len;
	g->hash = hash;
	return ix->ngrams++;
}

/* Reads a model as fp_Read does: a line is cut at the first space or tab
 * after its surrounding space is trimmed, lines longer than
 * LANGID_GRAM_BYTES are skipped, and the first LANGID_NGRAMS are kept in
 * order. */
static int
langid_model_read(const char *path, struct langid_model_file *m,
    char **cause)
{
	FILE	*f;
	char	 line[1024], *p, *end;
	size_t	 len;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	m->count = 0;
	while (m->count < LANGID_NGRAMS && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line; *p == ' ' || (*p >= '\t' && *p <= '\r'); p++)
			;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' ||
		    (end[-1] >= '\t' && end[-1] <= '\r')))
			end--;
		*end = '\0';
		len = strcspn(p, " \t");
		if (len > LANGID_GRAM_BYTES)
			continue;
		memcpy(m->gram[m->count], p, len);
		m->gram[m->count++][len] = '\0';
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: read error", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Sizes the slots for n n-grams, at most half full, and puts in those
 * the index has. */
static void
langid_index_size(struct langid_index *ix, size_t n)
{
	size_t		size = 64, g;
	uint32_t	i;

	while (size < 2 * n)
		size *= 2;
	free(ix->slots);
	ix->slots = xcalloc(size, sizeof *ix->slots);
	ix->mask = (uint32_t)(size - 1);
	for (g = 0; g < ix->ngrams; g++) {
		for (i = langid_index_start(ix, ix->grams[g].hash);
		    ix->slots[i] != 0; i = (i + 1) & ix->mask)
			;
		ix->slots[i] = (uint64_t)ix->grams[g].hash << 32 |
		    (uint64_t)(g + 1);
	}
}

/* Sets the filter's bits: 8 bits an n-gram, about one in twelve set. */
static void
langid_index_build_filter(struct langid_index *ix)
{
	size_t		bits = 512, g;
	uint32_t	i;

	ix->filter_shift = 32 - 9;
	while (bits < 8 * ix->ngrams) {
		bits *= 2;
		ix->filter_shift--;
	}
	ix->filter = xcalloc(bits / 64, sizeof *ix->filter);
	for (g = 0; g < ix->ngrams; g++) {
		i = langid_index_bit(ix, ix->grams[g].hash);
		ix->filter[i / 64] |= (uint64_t)1 << (i % 64);
	}
}

/* Copies the postings of the n-grams most models have into dense rows. */
static void
langid_index_build_rows(struct langid_index *ix)
{
	struct langid_gram	*g;
	int16_t			*row;
	size_t			 i, k;

	ix->stride = (ix->nmodels + 7) / 8 * 8;
	for (i = 0; i < ix->ngrams; i++) {
		g = &ix->grams[i];
		g->row = LANGID_NO_ROW;
		if (ix->nmodels >= LANGID_DENSE_MODELS &&
		    g->nposts * LANGID_DENSE_SHARE >= ix->nmodels)
			g->row = (uint32_t)ix->nrows++;
	}
	ix->rows = xcalloc(ix->nrows > 0 ? ix->nrows * ix->stride : 1,
	    sizeof *ix->rows);
	for (i = 0; i < ix->ngrams; i++) {
		g = &ix->grams[i];
		if (g->row == LANGID_NO_ROW)
			continue;
		row = ix->rows + g->row * ix->stride;
		for (k = 0; k < ix->stride; k++)
			row[k] = LANGID_DENSE_NONE;
		for (k = 0; k < g->nposts; k++)
			row[ix->posts[g->post + k].model] =
			    (int16_t)ix->posts[g->post + k].rank;
	}
}

struct langid_index *
langid_index_new(const char *const *names, size_t n, char **cause)
{
	struct langid_index	*ix;
	struct langid_model_file *m;
	uint32_t		*id, *last;
	size_t			 i, r, g, total = 0;
	char			*path;

	if (n == 0 || n > LANGID_MAX_MODELS) {
		xasprintf(cause, "%zu language models (1 to %d)", n,
		    LANGID_MAX_MODELS);
		return NULL;
	}
	ix = xcalloc(1, sizeof *ix);
	ix->nmodels = n;
	m = xcalloc(n, sizeof *m);
	for (i = 0; i < n; i++) {
		path = NULL;
		xasprintf(&path, "%s/%s.lm", TEXT_TEXTCAT_DIR, names[i]);
		if (langid_model_read(path, &m[i], cause) != 0) {
			free(path);
			free(m);
			langid_index_free(ix);
			return NULL;
		}
		free(path);
		total += m[i].count;
	}

	/* Intern every n-gram and count its models; a model listing one
	 * twice is matched at its first rank, as fp_Compare's merge does. */
	langid_index_size(ix, total);
	ix->grams = xcalloc(total > 0 ? total : 1, sizeof *ix->grams);
	id = xcalloc(total > 0 ? total : 1, sizeof *id);
	last = xcalloc(total > 0 ? total : 1, sizeof *last);
	for (i = 0, total = 0; i < n; i++) {
		for (r = 0; r < m[i].count; r++, total++) {
			g = langid_index_intern(ix, m[i].gram[r],
			    strlen(m[i].gram[r]));
			id[total] = UINT32_MAX;
			if (ix->grams[g].nposts > 0 && last[g] == i)
				continue;
			last[g] = (uint32_t)i;
			ix->grams[g].nposts++;
			id[total] = (uint32_t)g;
		}
	}
	ix->grams = xreallocarray(ix->grams, ix->ngrams > 0 ? ix->ngrams : 1,
	    sizeof *ix->grams);
	langid_index_size(ix, ix->ngrams);
	for (g = 0; g < ix->ngrams; g++) {
		ix->grams[g].post = (uint32_t)ix->nposts;
		ix->nposts += ix->grams[g].nposts;
		ix->grams[g].nposts = 0;
	}
	ix->posts = xcalloc(ix->nposts > 0 ? ix->nposts : 1, sizeof *ix->posts);
	for (i = 0, total = 0; i < n; i++) {
		for (r = 0; r < m[i].count; r++, total++) {
			if ((g = id[total]) == UINT32_MAX)
				continue;
			ix->posts[ix->grams[g].post + ix->grams[g].nposts].model =
			    (uint16_t)i;
			ix->posts[ix->grams[g].post + ix->grams[g].nposts++].rank =
			    (uint16_t)r;
		}
	}
	langid_index_build_filter(ix);
	langid_index_build_rows(ix);
	free(last);
	free(id);
	free(m);
	return ix;
}

void
langid_index_free(struct langid_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->rows);
	free(ix->filter);
	free(ix->posts);
	free(ix->grams);
	free(ix->slots);
	free(ix);
}

size_t
langid_index_bytes(const struct langid_index *ix)
{
	return sizeof *ix + ((size_t)ix->mask + 1) * sizeof *ix->slots +
	    ix->ngrams * sizeof *ix->grams + ix->nposts * sizeof *ix->posts +
	    ((size_t)1 << (32 - ix->filter_shift)) / 8 +
	    ix->nrows * ix->stride * sizeof *ix->rows;
}

/* Adds a dense row's contributions for text rank r to acc[0, stride). */
static void
langid_index_add_row(int32_t *restrict acc, const int16_t *restrict row,
    size_t stride, int32_t r)
{
	size_t	m;
	int32_t	d;

	for (m = 0; m < stride; m++) {
		d = row[m] - r;
		d = LANGID_OUT_OF_PLACE - (d < 0 ? -d : d);
		acc[m] += d > 0 ? d : 0;
	}
}

void
langid_index_score(const struct langid_index *ix,
    const struct langid_fingerprint *fp, int32_t *scores)
{
	const struct langid_gram	*g;
	const struct langid_post	*p, *end;
	int32_t				 acc[LANGID_MAX_MODELS], d;
	size_t				 r, i;

	memset(acc, 0, ix->stride * sizeof *acc);
	for (r = 0; r < fp->count; r++) {
		g = langid_index_find(ix, fp->text + fp->off[r], fp->len[r],
		    fp->hash[r]);
		if (g == NULL)
			continue;
		if (g->row != LANGID_NO_ROW) {
			langid_index_add_row(acc, ix->rows + g->row * ix->stride,
			    ix->stride, (int32_t)r);
			continue;
		}
		end = ix->posts + g->post + g->nposts;
		for (p = ix->posts + g->post; p < end; p++) {
			d = (int32_t)p->rank - (int32_t)r;
			acc[p->model] += LANGID_OUT_OF_PLACE - (d < 0 ? -d : d);
		}
	}
	for (i = 0; i < ix->nmodels; i++)
		scores[i] = LANGID_OUT_OF_PLACE * (int32_t)fp->count - acc[i];
}
