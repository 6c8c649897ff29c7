/* test_text_stem.c: Snowball stems of folded words by language, and words left whole where there is no stemmer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "text/text.h"

/* Returns the stem of word in lang, as a string the caller frees. */
static char *
stem(struct text_stemmer *st, const char *lang, const char *word)
{
	const char	*s;
	size_t		 len;

	s = text_stem(st, lang, word, strlen(word), &len);
	return xstrndup(s, len);
}

/* Checks that two words of lang share a stem. */
static void
check_same_stem(struct text_stemmer *st, const char *lang, const char *a,
    const char *b)
{
	char	*sa = stem(st, lang, a), *sb = stem(st, lang, b);

	assert_string_equal(sa, sb);
	assert_true(strlen(sa) < strlen(a) || strlen(sb) < strlen(b));
	free(sa);
	free(sb);
}

static void
test_english_inflections_share_a_stem(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();

	check_same_stem(st, "en", "negotiations", "negotiating");
	check_same_stem(st, "en", "talks", "talk");
	check_same_stem(st, "en-GB", "elections", "election");
	text_stemmer_free(st);
}

static void
test_russian_cases_share_a_stem(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();

	check_same_stem(st, "ru", "переговоры", "переговоров");
	check_same_stem(st, "ru", "москве", "москва");
	text_stemmer_free(st);
}

static void
test_other_languages_stem_folded_words(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();

	/* Folded: the diacritics are gone before stemming. */
	check_same_stem(st, "fr", "negociations", "negociation");
	check_same_stem(st, "de", "verhandlungen", "verhandlung");
	/* Spanish and Portuguese suffixes get their certain accent back. */
	check_same_stem(st, "es", "negociaciones", "negociacion");
	check_same_stem(st, "pt", "negociacoes", "negociacao");
	check_same_stem(st, "ar", "الحكومة", "حكومة");
	text_stemmer_free(st);
}

static void
test_stems_are_folded(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();
	char			*s, *f;

	/* Turkish Snowball turns a final c into ç; the stem is folded again. */
	s = stem(st, "tr", "secim");
	f = text_fold(s, strlen(s));
	assert_string_equal(s, f);
	free(s);
	free(f);
	text_stemmer_free(st);
}

static void
test_languages_without_stemmer_keep_the_word(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();
	const char		*word = "переговорів", *s;
	size_t			 len;

	assert_true(text_stemmer_has(st, "en"));
	assert_true(text_stemmer_has(st, "ru"));
	assert_true(text_stemmer_has(st, "EN-us"));
	assert_false(text_stemmer_has(st, "uk"));
	assert_false(text_stemmer_has(st, "he"));
	assert_false(text_stemmer_has(st, "und"));
	assert_false(text_stemmer_has(st, NULL));
	assert_false(text_stemmer_has(st, ""));
	s = text_stem(st, "uk", word, strlen(word), &len);
	assert_ptr_equal(s, word);
	assert_int_equal(len, strlen(word));
	s = text_stem(st, NULL, word, strlen(word), &len);
	assert_ptr_equal(s, word);
	text_stemmer_free(st);
	text_stemmer_free(NULL);
}

static void
test_long_words_are_not_stemmed(void **state)
{
	struct text_stemmer	*st = text_stemmer_new();
	char			*word;
	const char		*s;
	size_t			 len;

	word = xmalloc(4001);
	memset(word, 'a', 4000);
	memcpy(word + 3990, "ations", 6);
	word[4000] = '\0';
	s = text_stem(st, "en", word, 4000, &len);
	assert_ptr_equal(s, word);
	assert_int_equal(len, 4000);
	free(word);
	/* The stem needs no NUL: len says where it ends. */
	s = text_stem(st, "en", "negotiationsXYZ", 12, &len);
	assert_int_equal(len, strlen("negoti"));
	assert_memory_equal(s, "negoti", len);
	text_stemmer_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_inflections_share_a_stem),
		cmocka_unit_test(test_russian_cases_share_a_stem),
		cmocka_unit_test(test_other_languages_stem_folded_words),
		cmocka_unit_test(test_stems_are_folded),
		cmocka_unit_test(test_languages_without_stemmer_keep_the_word),
		cmocka_unit_test(test_long_words_are_not_stemmed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
