/* test_text_langid.c: language identification of short news texts, with and without the feed's language as a prior; our fingerprints and scores are libexttextcat's. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fingerprint.h>

#include "common/common.h"
#include "tests/unit/support/test_support.h"
#include "text/langid_ngram.h"
#include "text/text.h"

/*
 * The NTREX sample: the same news sentences in eight languages, 40 lines
 * of each (every 49th from line 4), so 320 texts. Measured when written:
 * 0.975 right without a hint and 0.991 with the right one. The floors
 * leave a little room for a libexttextcat update.
 */
#define NTREX_PER_LANG		40
#define NTREX_STRIDE		49
#define NTREX_FLOOR_NO_HINT	0.95
#define NTREX_FLOOR_HINT	0.98
#define NTREX_FLOOR_LANG	0.85

static const struct {
	const char	*file;
	const char	*code;
} ntrex_langs[] = {
	{ "newstest2019-src.eng.txt", "en" },
	{ "newstest2019-ref.rus.txt", "ru" },
	{ "newstest2019-ref.arb.txt", "ar" },
	{ "newstest2019-ref.heb.txt", "he" },
	{ "newstest2019-ref.ukr.txt", "uk" },
	{ "newstest2019-ref.fas.txt", "fa" },
	{ "newstest2019-ref.deu.txt", "de" },
	{ "newstest2019-ref.fra.txt", "fr" },
};

static int
setup(void **state)
{
	char	*cause = NULL;

	*state = text_langid_new(&cause);
	if (*state == NULL) {
		fprintf(stderr, "text_langid_new: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	text_langid_free(*state);
	return 0;
}

static void
test_own_short_texts_get_their_language(void **state)
{
	struct text_langid	*li = *state;
	char			*buf, *line, *next, *hint, *text;
	const char		*got;
	size_t			 len;
	int			 n = 0;

	buf = test_fixture("text/langid.tsv", &len);
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#')
			continue;
		hint = strchr(line, '\t');
		assert_non_null(hint);
		*hint++ = '\0';
		text = strchr(hint, '\t');
		assert_non_null(text);
		*text++ = '\0';
		got = text_langid_detect(li, text, strlen(text),
		    strcmp(hint, "-") == 0 ? NULL : hint);
		if (strcmp(got, line) != 0)
			fail_msg("\"%s\" (hint %s): %s, expected %s", text, hint,
			    got, line);
		n++;
	}
	assert_true(n >= 30);
	free(buf);
}

static void
test_bytes_past_len_are_not_read(void **state)
{
	struct text_langid	*li = *state;
	char			*s;
	size_t			 i;

	/* No NUL, no valid end: len is the only bound. */
	s = xmalloc(3000);
	for (i = 0; i < 3000; i++)
		s[i] = (i % 7 == 6) ? ' ' : (char)(0xd0 + i % 2);
	(void)text_langid_detect(li, s, 3000, "ru");
	(void)text_langid_detect(li, s, 1, NULL);
	assert_string_equal(text_langid_detect(li, s, 0, NULL), "und");
	free(s);
}

/* Reads the first NTREX_PER_LANG sample lines of one NTREX file into
 * lines; returns their number, or -1 when ../shared is not there. */
static int
ntrex_sample(const char *file, char **buf, char **lines)
{
	char	*rel, *path, *cause = NULL, *p, *next;
	size_t	 len;
	int	 n = 0, at = 0;

	xasprintf(&rel, "corpus/ntrex/NTREX-128/%s", file);
	path = test_shared_path(rel);
	free(rel);
	if (path == NULL)
		return -1;
	*buf = util_read_file(path, (size_t)4 << 20, &len, &cause);
	if (*buf == NULL)
		fail_msg("%s", cause);
	free(path);
	for (p = *buf; p != NULL && n < NTREX_PER_LANG; p = next, at++) {
		if ((next = strchr(p, '\n')) != NULL)
			*next++ = '\0';
		if (at % NTREX_STRIDE == 3)
			lines[n++] = p;
	}
	return n;
}

static void
test_ntrex_sample_accuracy_is_above_the_floor(void **state)
{
	struct text_langid	*li = *state;
	char			*buf, *lines[NTREX_PER_LANG];
	size_t			 l;
	int			 n, i, ok, ok_hint, total = 0, total_ok = 0;
	int			 total_hint = 0;
	int64_t			 start, ms;

	start = util_monotonic_ms();
	for (l = 0; l < sizeof ntrex_langs / sizeof ntrex_langs[0]; l++) {
		n = ntrex_sample(ntrex_langs[l].file, &buf, lines);
		if (n < 0)
			return;
		assert_int_equal(n, NTREX_PER_LANG);
		ok = ok_hint = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(text_langid_detect(li, lines[i],
			    strlen(lines[i]), NULL), ntrex_langs[l].code) == 0)
				ok++;
			if (strcmp(text_langid_detect(li, lines[i],
			    strlen(lines[i]), ntrex_langs[l].code),
			    ntrex_langs[l].code) == 0)
				ok_hint++;
		}
		printf("langid %s: %d texts, %.3f right without hint, %.3f "
		    "with\n", ntrex_langs[l].code, n, (double)ok / n,
		    (double)ok_hint / n);
		assert_true((double)ok / n >= NTREX_FLOOR_LANG);
		total += n;
		total_ok += ok;
		total_hint += ok_hint;
		free(buf);
	}
	ms = util_monotonic_ms() - start;
	printf("langid all: %d texts, %.3f right without hint, %.3f with, "
	    "%.0f texts/s\n", total, (double)total_ok / total,
	    (double)total_hint / total, ms > 0 ? 2e3 * total / ms : 0.0);
	assert_true((double)total_ok / total >= NTREX_FLOOR_NO_HINT);
	assert_true((double)total_hint / total >= NTREX_FLOOR_HINT);
}

/*
 * langid_fingerprint.c and langid_index.c rebuild what libexttextcat's
 * fp_Create and fp_Compare do, for speed; these tests hold them to it on
 * texts at the edges of its rules (spaces and digits, '_', the end of the
 * text, four-byte characters, the longest text read, more distinct
 * n-grams than a fingerprint keeps), our own short texts and, when
 * ../shared is there, the NTREX sample. Every model libexttextcat ships
 * is scored.
 */
static const char *edge_texts[] = {
	"a", "ab", " a", "a ", "ab cd", "ab  cd", "42", " 1 2 3 ", "x_y__z _",
	"_", "__init__", "\tTabs\nand\r\nnewlines\v\f between 9 words 10",
	"F1: 2024 results, 3-2 win", "la la la la la la la la la la la",
	"Ёлки-палки, ёжик!", "Ελλάδα και Κύπρος", "مرحبا بالعالم",
	"שלום עולם", "नमस्ते दुनिया", "ሰላም ለዓለም", "東京の天気は晴れ",
	"🙂 smile 😀😀 emoji🙂", "Ünïcödé dïäcrïtïcs ñ ç ß ŉ ǅ",
};

/* Calls check on s, cut at a character boundary to the bytes a
 * fingerprint reads, NUL terminated as fp_Create needs; an empty line
 * (NTREX has some) is left out: both refuse it. */
static void
check_cut(const char *s, void (*check)(const char *, size_t, void *),
    void *arg)
{
	char	buf[LANGID_FP_MAX_BYTES + 1];
	size_t	len = strlen(s);

	if (len == 0)
		return;
	if (len > LANGID_FP_MAX_BYTES) {
		len = LANGID_FP_MAX_BYTES;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	check(buf, len, arg);
}

/* Calls check on every text the comparisons with libexttextcat use. */
static void
check_texts(void (*check)(const char *, size_t, void *), void *arg)
{
	char	*buf, *line, *next, *text, *lines[NTREX_PER_LANG];
	char	 longest[2 * LANGID_FP_MAX_BYTES];
	size_t	 i, l, len;
	uint32_t seed;
	int	 n;

	for (i = 0; i < sizeof edge_texts / sizeof edge_texts[0]; i++)
		check_cut(edge_texts[i], check, arg);
	/* Longer than a fingerprint reads, cut inside a word and inside
	 * a run of spaces; then more n-grams than one keeps. */
	for (l = 0; l < 2; l++) {
		longest[0] = '\0';
		while (strlen(longest) + 40 < sizeof longest)
			strcat(longest, l == 0 ? "Съезд партии перенесён.   " :
			    "Quick brown foxes jump over lazy dogs ");
		check_cut(longest, check, arg);
	}
	for (i = 0, seed = 1; i < LANGID_FP_MAX_BYTES + 8; i++) {
		seed = seed * 1103515245 + 12345;
		longest[i] = (char)("etaoinshrdlu  "[(seed >> 16) % 14]);
	}
	longest[i] = '\0';
	check_cut(longest, check, arg);

	buf = test_fixture("text/langid.tsv", &len);
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '#' && (text = strrchr(line, '\t')) != NULL)
			check_cut(text + 1, check, arg);
	}
	free(buf);

	for (l = 0; l < sizeof ntrex_langs / sizeof ntrex_langs[0]; l++) {
		if ((n = ntrex_sample(ntrex_langs[l].file, &buf, lines)) < 0)
			return;
		for (i = 0; i < (size_t)n; i++)
			check_cut(lines[i], check, arg);
		free(buf);
	}
}

/* Returns libexttextcat's fingerprint of s[0, len) (s NUL terminated). */
static void *
reference_fingerprint(const char *s, size_t len)
{
	void	*ref;

	ref = fp_Init(NULL);
	assert_non_null(ref);
	fp_SetProperty(ref, TCPROP_UTF8AWARE, TC_TRUE);
	if (fp_Create(ref, s, (uint4)len, LANGID_NGRAMS) != 1)
		fail_msg("fp_Create refused \"%s\" (%zu bytes)", s, len);
	return ref;
}

/* Fails unless our fingerprint of s lists fp_Create's n-grams in its
 * order, which fp_Print prints (the only way to read one back). */
static void
check_fingerprint(const char *s, size_t len, void *arg)
{
	struct langid_fingerprint	 fp;
	void				*ref;
	char				*printed = NULL, *line, *next;
	size_t				 size = 0, r = 0;
	FILE				*f;

	(void)arg;
	ref = reference_fingerprint(s, len);
	assert_non_null(f = open_memstream(&printed, &size));
	fp_Print(ref, f);
	assert_int_equal(fclose(f), 0);
	fp_Done(ref);

	assert_int_not_equal(langid_fingerprint_make(&fp, s, len), 0);
	for (line = printed; *line != '\0'; line = next, r++) {
		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';
		if (r >= fp.count || fp.len[r] != strlen(line) ||
		    memcmp(fp.text + fp.off[r], line, fp.len[r]) != 0)
			fail_msg("\"%s\": rank %zu is \"%.*s\", fp_Create's \"%s\"",
			    s, r, r < fp.count ? (int)fp.len[r] : 0,
			    r < fp.count ? fp.text + fp.off[r] : "", line);
	}
	assert_int_equal(r, fp.count);
	free(printed);
}

static void
test_fingerprints_rank_ngrams_as_fp_create(void **state)
{
	struct langid_fingerprint	fp;

	(void)state;
	assert_int_equal(langid_fingerprint_make(&fp, "", 0), 0);
	check_texts(check_fingerprint, NULL);
}

/* libexttextcat's models, read by fp_Read, and an index of them. */
struct model_set {
	char			*name[256];
	void			*fp[256];
	size_t			 n;
	struct langid_index	*index;
	struct langid_index	*few;		/* of the first three */
};

/* Reads the model at path when it is one (name.lm). */
static void
model_read_cb(const char *path, void *arg)
{
	struct model_set	*set = arg;
	const char		*base = strrchr(path, '/') + 1;
	size_t			 len = strlen(base);

	if (len < 4 || strcmp(base + len - 3, ".lm") != 0)
		return;
	assert_true(set->n < sizeof set->name / sizeof set->name[0]);
	set->name[set->n] = xstrdup(base);
	set->name[set->n][len - 3] = '\0';
	set->fp[set->n] = fp_Init(set->name[set->n]);
	assert_int_equal(fp_Read(set->fp[set->n], path, LANGID_NGRAMS), 1);
	set->n++;
}

/* Fails unless the indexes score s as fp_Compare does each model. */
static void
check_scores(const char *s, size_t len, void *arg)
{
	struct model_set		*set = arg;
	struct langid_fingerprint	 fp;
	int32_t				 scores[256], few[3];
	void				*ref;
	size_t				 i;
	sint4				 want;

	ref = reference_fingerprint(s, len);
	assert_int_not_equal(langid_fingerprint_make(&fp, s, len), 0);
	langid_index_score(set->index, &fp, scores);
	langid_index_score(set->few, &fp, few);
	for (i = 0; i < set->n; i++) {
		want = fp_Compare(set->fp[i], ref, INT_MAX);
		if (scores[i] != want || (i < 3 && few[i] != want))
			fail_msg("\"%s\": %s scores %d, fp_Compare %d", s,
			    set->name[i], (int)scores[i], (int)want);
	}
	fp_Done(ref);
}

static void
test_index_scores_every_model_as_fp_compare(void **state)
{
	struct model_set	 set;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	memset(&set, 0, sizeof set);
	assert_int_equal(test_walk_files(langid_model_dir(), model_read_cb,
	    &set), 0);
	assert_true(set.n >= 3);
	set.index = langid_index_new((const char *const *)set.name, set.n,
	    &cause);
	set.few = langid_index_new((const char *const *)set.name, 3, &cause);
	if (set.index == NULL || set.few == NULL)
		fail_msg("langid_index_new: %s", cause);
	printf("langid index: %zu models, %zu bytes\n", set.n,
	    langid_index_bytes(set.index));
	check_texts(check_scores, &set);
	langid_index_free(set.few);
	langid_index_free(set.index);
	for (i = 0; i < set.n; i++) {
		fp_Done(set.fp[i]);
		free(set.name[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_short_texts_get_their_language),
		cmocka_unit_test(test_bytes_past_len_are_not_read),
		cmocka_unit_test(test_ntrex_sample_accuracy_is_above_the_floor),
		cmocka_unit_test(test_fingerprints_rank_ngrams_as_fp_create),
		cmocka_unit_test(test_index_scores_every_model_as_fp_compare),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
