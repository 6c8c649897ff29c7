/* test_text_langid.c: language identification of short news texts, with and without the feed's language as a prior. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "tests/unit/support/test_support.h"
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_short_texts_get_their_language),
		cmocka_unit_test(test_bytes_past_len_are_not_read),
		cmocka_unit_test(test_ntrex_sample_accuracy_is_above_the_floor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
