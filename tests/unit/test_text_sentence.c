/* test_text_sentence.c: sentences of English, Russian and Arabic as ICU finds them; byte offsets, abbreviations, bounds and hostile bytes. */
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

/* Segments s and checks the sentences are exactly the "|"-separated list
 * want (each span's bytes, copied out of s). */
static void
check_sentences(const char *s, const char *want)
{
	struct text_span	*spans = NULL;
	size_t			 n = 0, i, added;
	char			*got = xstrdup(""), *next;

	added = text_sentences(s, strlen(s), &spans, &n);
	assert_int_equal(added, n);
	for (i = 0; i < n; i++) {
		assert_true(spans[i].offset + spans[i].len <= strlen(s));
		xasprintf(&next, "%s%s%.*s", got, i > 0 ? "|" : "",
		    (int)spans[i].len, s + spans[i].offset);
		free(got);
		got = next;
	}
	assert_string_equal(got, want);
	free(got);
	free(spans);
}

static void
test_english_sentences_end_at_full_stops_and_marks(void **state)
{
	check_sentences("Talks resumed in Cairo. Will Hamas agree? Nobody "
	    "knows!  The delegation left.",
	    "Talks resumed in Cairo.|Will Hamas agree?|Nobody knows!|"
	    "The delegation left.");
	check_sentences("No final stop", "No final stop");
}

static void
test_mr_and_other_listed_abbreviations_do_not_end_a_sentence(void **state)
{
	check_sentences("Mr. Blinken met Mrs. Smith and Prof. Lee. They spoke.",
	    "Mr. Blinken met Mrs. Smith and Prof. Lee.|They spoke.");
}

static void
test_us_before_a_lowercase_word_does_not_end_a_sentence(void **state)
{
	check_sentences("The U.S. and Qatar mediated. Talks went on.",
	    "The U.S. and Qatar mediated.|Talks went on.");
	check_sentences("Prices rose 3.5 per cent. Then fell.",
	    "Prices rose 3.5 per cent.|Then fell.");
}

/* ICU's decision, pinned so a change of ICU is noticed: its filter for
 * "U.S." does not hold before a capitalised word. */
static void
test_us_before_a_capitalised_word_ends_a_sentence_as_icu_decides(void **state)
{
	check_sentences("He flew to the U.S. Senate hearing.",
	    "He flew to the U.S.|Senate hearing.");
}

static void
test_russian_sentences_and_quotes(void **state)
{
	check_sentences("Переговоры о перемирии продолжились в Каире. "
	    "Он сказал: «Нет». Делегация уехала?",
	    "Переговоры о перемирии продолжились в Каире.|"
	    "Он сказал: «Нет».|Делегация уехала?");
	/* A lower-case word after a stop continues the sentence. */
	check_sentences("Это т.е. одно предложение.",
	    "Это т.е. одно предложение.");
}

static void
test_arabic_question_mark_ends_a_sentence(void **state)
{
	check_sentences("قال المتحدث إن المفاوضات مستمرة. وأضاف أن الوفد "
	    "سيعود غداً؟ نعم",
	    "قال المتحدث إن المفاوضات مستمرة.|وأضاف أن الوفد سيعود غداً؟|"
	    "نعم");
}

static void
test_line_breaks_end_sentences_and_white_space_is_trimmed(void **state)
{
	check_sentences("  First line\nSecond line\n\n\n  Third.  \n",
	    "First line|Second line|Third.");
	check_sentences(" \t\n\u00a0\u2003 ", "");
	check_sentences("", "");
}

static void
test_offsets_are_bytes_of_the_source(void **state)
{
	const char		*s = "Ёлка. 😀 Émoji! Да.";
	struct text_span	*spans = NULL;
	size_t			 n = 0;

	assert_int_equal(text_sentences(s, strlen(s), &spans, &n), 3);
	assert_int_equal(spans[0].offset, 0);
	assert_int_equal(spans[0].len, strlen("Ёлка."));
	assert_int_equal(spans[1].offset, strlen("Ёлка. "));
	assert_int_equal(spans[1].len, strlen("😀 Émoji!"));
	assert_int_equal(spans[2].offset, strlen("Ёлка. 😀 Émoji! "));
	assert_int_equal(spans[2].len, strlen("Да."));
	free(spans);
}

static void
test_spans_are_appended_after_existing_ones(void **state)
{
	struct text_span	*spans = NULL;
	size_t			 n = 0;

	assert_int_equal(text_sentences("One. Two.", 9, &spans, &n), 2);
	assert_int_equal(text_sentences("Three.", 6, &spans, &n), 1);
	assert_int_equal(n, 3);
	assert_int_equal(spans[0].offset, 0);
	assert_int_equal(spans[1].offset, 5);
	assert_int_equal(spans[2].offset, 0);
	assert_int_equal(spans[2].len, 6);
	free(spans);
}

static void
test_invalid_utf8_never_reads_past_len_nor_ends_a_sentence(void **state)
{
	/* Lone continuation bytes, an overlong form, a surrogate and a
	 * sequence cut short by the end: each byte is one character. */
	static const char	 s[] = "Bad \xc3 byte\x80\x80 here. "
	    "\xc0\xafNext \xed\xa0\x80 one \xe2\x82";
	struct text_span	*spans = NULL;
	size_t			 n = 0;
	char			*copy;

	/* The copy has no NUL after it, so ASan sees any read past len. */
	copy = xmalloc(sizeof s - 1);
	memcpy(copy, s, sizeof s - 1);
	assert_int_equal(text_sentences(copy, sizeof s - 1, &spans, &n), 2);
	assert_int_equal(spans[0].offset, 0);
	assert_memory_equal(copy + spans[0].offset, "Bad \xc3 byte\x80\x80 here.",
	    spans[0].len);
	assert_int_equal(spans[1].offset + spans[1].len, sizeof s - 1);
	free(copy);
	free(spans);
}

static void
test_sentence_and_byte_bounds_hold(void **state)
{
	struct text_span	*spans = NULL;
	size_t			 n = 0, len, i;
	char			*s;

	/* "A. " repeated: one sentence each, far more than the bound. */
	len = 3 * (TEXT_MAX_SENTENCES + 100);
	s = xmalloc(len);
	for (i = 0; i < len; i += 3)
		memcpy(s + i, "A. ", 3);
	assert_int_equal(text_sentences(s, len, &spans, &n),
	    TEXT_MAX_SENTENCES);
	free(s);
	free(spans);

	/* One sentence longer than TEXT_MAX_BYTES ends at the bound. */
	spans = NULL;
	n = 0;
	len = TEXT_MAX_BYTES + 1000;
	s = xmalloc(len);
	memset(s, 'x', len);
	assert_int_equal(text_sentences(s, len, &spans, &n), 1);
	assert_int_equal(spans[0].offset, 0);
	assert_int_equal(spans[0].len, TEXT_MAX_BYTES);
	free(s);
	free(spans);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_sentences_end_at_full_stops_and_marks),
		cmocka_unit_test(test_mr_and_other_listed_abbreviations_do_not_end_a_sentence),
		cmocka_unit_test(test_us_before_a_lowercase_word_does_not_end_a_sentence),
		cmocka_unit_test(test_us_before_a_capitalised_word_ends_a_sentence_as_icu_decides),
		cmocka_unit_test(test_russian_sentences_and_quotes),
		cmocka_unit_test(test_arabic_question_mark_ends_a_sentence),
		cmocka_unit_test(test_line_breaks_end_sentences_and_white_space_is_trimmed),
		cmocka_unit_test(test_offsets_are_bytes_of_the_source),
		cmocka_unit_test(test_spans_are_appended_after_existing_ones),
		cmocka_unit_test(test_invalid_utf8_never_reads_past_len_nor_ends_a_sentence),
		cmocka_unit_test(test_sentence_and_byte_bounds_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
