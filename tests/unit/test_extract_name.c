/* test_extract_name.c: name keys — spellings and scripts of one person merge, distinct people with look-alike names do not, Russian case endings are undone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "extract/names.h"
#include "tests/unit/support/test_support.h"

static struct extractor *x;

static int
setup(void **state)
{
	char	*cause = NULL;

	x = extractor_new(&cause);
	if (x == NULL)
		fprintf(stderr, "extractor_new: %s\n", cause);
	return x == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	extractor_free(x);
	return 0;
}

/* The language a name of the test files is written in. */
static const char *
name_lang(const char *name)
{
	for (; *name != '\0'; name++)
		if ((unsigned char)*name == 0xd0 || (unsigned char)*name == 0xd1)
			return "ru";
	return "en";
}

/* How two names relate through their keys. */
static enum extract_name_match
relate(const char *a, const char *b)
{
	enum extract_name_match	 m;
	char			*ka, *kb;

	ka = extract_name_key(x, a, name_lang(a));
	kb = extract_name_key(x, b, name_lang(b));
	m = extract_name_compare(ka, kb);
	if (m != extract_name_compare(kb, ka))
		fail_msg("%s / %s: compare is not symmetric", a, b);
	free(ka);
	free(kb);
	return m;
}

static void
assert_merge(const char *a, const char *b)
{
	if (relate(a, b) == EXTRACT_NAME_DIFFERENT)
		fail_msg("%s / %s should be one person", a, b);
}

static void
assert_distinct(const char *a, const char *b)
{
	if (relate(a, b) != EXTRACT_NAME_DIFFERENT)
		fail_msg("%s / %s should be two people", a, b);
}

static void
assert_key(const char *name, const char *lang, const char *want)
{
	char	*key = extract_name_key(x, name, lang);

	assert_string_equal(key, want);
	free(key);
}

static void
test_key_is_given_name_and_surname(void **state)
{
	assert_key("Maxim Kharkin", "en", "maksim|harkin");
	assert_key("Harkin", "en", "|harkin");
	assert_key("Harkin's", "en", "|harkin");
	assert_key("Musa Abu Marzouk", "en", "musa|abumarzuk");
	assert_key("Abdel Latif al-Kanua", "en", "abdlatif|kanua");
	assert_key("Mohammed Al—Masri", "en", "moamed|masri");
}

static void
test_kharkin_variants_merge(void **state)
{
	assert_merge("Kharkin", "Harkin");
	assert_merge("Maxim Kharkin", "Harkin");
	assert_merge("Maxim Kharkin", "Максим Харкин");
	assert_merge("Maxim Kharkin", "Maksim Kharkin");
	assert_merge("Maksim Kharkin", "Максима Харкина");
	assert_int_equal(relate("Maxim Kharkin", "Максима Харкина"),
	    EXTRACT_NAME_SAME);
	assert_int_equal(relate("Maxim Kharkin", "Harkin"),
	    EXTRACT_NAME_SURNAME);
}

static void
test_brief_variants_merge(void **state)
{
	assert_merge("Witkoff", "Уиткофф");
	assert_merge("Witkoff", "Уиткоффом");
	assert_merge("Abu Marzouk", "Abu Marzuk");
	assert_merge("Abu Marzouk", "Абу Марзук");
	assert_merge("Zakharova", "Захарова");
	assert_merge("Zakharova", "Марии Захаровой");
	assert_merge("Netanyahu", "Нетаньяху");
	assert_merge("Trump", "Трамп");
	assert_merge("Trump", "Трампа");
	assert_merge("Al-Masri", "al Masri");
	assert_merge("Al-Masri", "Al—Masri");
	assert_merge("Abdel Latif al-Kanua", "Abdul Latif Al-Qanou");
	assert_merge("Sinwar", "Al-Sinwar");
	assert_merge("Haniyeh", "Haniya");
	assert_merge("Haniyeh", "Haniyah");
	assert_merge("Haniya", "Haniyah");
}

static void
test_clintons_stay_distinct(void **state)
{
	assert_distinct("Bill Clinton", "Hillary Clinton");
	assert_distinct("Ali Khamenei", "Mojtaba Khamenei");
	assert_distinct("Donald Trump", "Eric Trump");
	/* The surname alone could be either: it is no different person. */
	assert_int_equal(relate("Clinton", "Hillary Clinton"),
	    EXTRACT_NAME_SURNAME);
}

static void
test_novak_and_nowak_are_one_key(void **state)
{
	/* w folds to v so that Witkoff meets Уиткофф; Новак is both. */
	assert_int_equal(relate("Alexander Novak", "Alexander Nowak"),
	    EXTRACT_NAME_SAME);
	assert_merge("Alexander Novak", "Александра Новака");
}

static void
test_surname_alone_keeps_a_case_ending_yet_merges(void **state)
{
	/* "Путине" alone: no given name tells the case, the ending stays
	 * in the key, and the comparison forgives it. */
	assert_key("Путине", "ru", "|putine");
	assert_int_equal(relate("Vladimir Putin", "Путине"),
	    EXTRACT_NAME_SURNAME);
	assert_merge("Putin", "Путину");
	assert_merge("Lavrov", "Лавровым");
	/* Two full names never meet through an ending. */
	assert_distinct("Vladimir Putin", "Vladimir Putina");
}

static void
test_fleeting_vowel_merges(void **state)
{
	/* Лубинец, Лубинца: the oblique cases drop the e. */
	assert_int_equal(relate("Дмитрий Лубинец", "Дмитрием Лубинцом"),
	    EXTRACT_NAME_SAME);
	assert_merge("Dmytro Lubinets", "Лубинца");
	assert_distinct("Dmytro Lubinets", "Dmytro Lubin");
}

static void
test_silent_e_and_vowel_pairs_merge(void **state)
{
	assert_int_equal(relate("Mike Fincke", "Майк Финк"),
	    EXTRACT_NAME_SAME);
	assert_int_equal(relate("Nicole Ayers", "Николь Айерс"),
	    EXTRACT_NAME_SAME);
	assert_int_equal(relate("Anne McClain", "Энн Макклейн"),
	    EXTRACT_NAME_SAME);
	/* A vowel written for another is another name. */
	assert_distinct("Maria Conte", "Mario Conte");
	assert_distinct("Dana Weiss", "Dina Weiss");
	assert_distinct("Tamar Zandberg", "Tamir Zandberg");
}

static void
test_given_name_equivalents_join_transcriptions(void **state)
{
	assert_int_equal(relate("Sean Duffy", "Шоном Даффи"),
	    EXTRACT_NAME_SAME);
	assert_int_equal(relate("Keith Kellogg", "Кит Келлог"),
	    EXTRACT_NAME_SAME);
	assert_int_equal(relate("Rustem Umerov", "Рустема Умерова"),
	    EXTRACT_NAME_SAME);
}

static void
test_ch_of_a_surname_is_kh(void **state)
{
	assert_key("Sagui Dekel-Chen", "en", "sagi|hen");
	assert_int_equal(relate("Sagui Dekel-Chen", "Саги Декель-Хен"),
	    EXTRACT_NAME_SAME);
	/* English ch is Russian ч, which BGN writes ch: they still meet. */
	assert_merge("Churchill", "Черчилль");
	/* Given names keep their ch (Charley is no Harley). */
	assert_key("Chuck Schumer", "en", "chuk|shumer");
	assert_distinct("Jackie Chan", "Imran Khan");
}

static void
test_generational_suffix_tells_son_from_father(void **state)
{
	assert_key("Donald Trump Jr.", "en", "donald|trump-jr");
	assert_distinct("Donald Trump", "Donald Trump Jr.");
	assert_int_equal(relate("Donald Trump Jr", "Donald Trump Jr."),
	    EXTRACT_NAME_SAME);
	/* Sr. is the name itself; a regnal number is part of it. */
	assert_int_equal(relate("Donald Trump Sr.", "Donald Trump"),
	    EXTRACT_NAME_SAME);
	assert_distinct("Charles II", "Charles III");
}

/* Reads a tab-separated test file; calls cb for each line's fields. */
static size_t
read_tsv(const char *file, void (*cb)(char **, size_t))
{
	char	*data, *line, *next, *fields[32];
	size_t	 len, n, lines = 0;

	data = test_fixture(file, &len);
	for (line = data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		for (n = 0; line != NULL && n < 32; n++) {
			fields[n] = line;
			if ((line = strchr(line, '\t')) != NULL)
				*line++ = '\0';
		}
		cb(fields, n);
		lines++;
	}
	free(data);
	return lines;
}

static void
variants_line(char **f, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_merge(f[i], f[j]);
}

static void
lookalikes_line(char **f, size_t n)
{
	assert_int_equal(n, 2);
	assert_distinct(f[0], f[1]);
}

static void
test_variants_file_merges(void **state)
{
	assert_true(read_tsv("extract/variants.tsv", variants_line) >= 40);
}

static void
test_lookalikes_file_stays_distinct(void **state)
{
	assert_true(read_tsv("extract/lookalikes.tsv", lookalikes_line) >= 40);
}

static void
test_russian_case_endings_undone(void **state)
{
	struct extract_names	*nm;
	char			*cause = NULL, *s;
	static const char *const cases[][2] = {
		{ "Марии Захаровой", "Мария Захарова" },
		{ "Максима Харкина", "Максим Харкин" },
		{ "Дмитрия Пескова", "Дмитрий Песков" },
		{ "Сергее Лаврове", "Сергей Лавров" },
		{ "Владимиру Зеленскому", "Владимир Зеленский" },
		{ "Мусы Абу Марзука", "Муса Абу Марзук" },
		{ "Биньямина Нетаньяху", "Биньямин Нетаньяху" },
		{ "Биньямину Нетаньяху", "Биньямин Нетаньяху" },
		{ "Стива Уиткоффа", "Стив Уиткофф" },
		{ "Уиткоффом", "Уиткофф" },
		{ "Трампа", "Трамп" },
		{ "Хиллари Клинтон", "Хиллари Клинтон" },
		{ "Мария Захарова", "Мария Захарова" },
		{ "Александра Новака", "Александр Новак" },
	};
	size_t	i;

	nm = extract_names_new(&cause);
	assert_non_null(nm);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = extract_names_nominative(nm, cases[i][0],
		    strlen(cases[i][0]), "ru");
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	/* English has no case endings to undo. */
	s = extract_names_nominative(nm, "Harkin", 6, "en");
	assert_string_equal(s, "Harkin");
	free(s);
	extract_names_free(nm);
}

static void
test_better_name_is_fuller_then_latin(void **state)
{
	assert_true(extract_name_better("Maxim Kharkin", "Harkin"));
	assert_false(extract_name_better("Harkin", "Maxim Kharkin"));
	assert_true(extract_name_better("Maxim Kharkin", "Максим Харкин"));
	assert_false(extract_name_better("Максим Харкин", "Maxim Kharkin"));
	assert_true(extract_name_better("Harkin", NULL));
}

static void
test_hostile_names_have_keys(void **state)
{
	char	 big[4096], *key;
	size_t	 i;

	key = extract_name_key(x, NULL, "en");
	assert_string_equal(key, "|");
	free(key);
	key = extract_name_key(x, "", "en");
	assert_string_equal(key, "|");
	free(key);
	key = extract_name_key(x, "\xff\xfe\xd0 \xe2\x80", "ru");
	assert_non_null(key);
	free(key);
	for (i = 0; i + 1 < sizeof big; i++)
		big[i] = i % 7 == 6 ? ' ' : (i % 3 == 0 ? 'X' : 'a');
	big[sizeof big - 1] = '\0';
	key = extract_name_key(x, big, "en");
	assert_non_null(key);
	assert_true(strlen(key) < 1024);
	free(key);
	assert_int_equal(extract_name_compare("nobar", "|x"),
	    EXTRACT_NAME_DIFFERENT);
	assert_int_equal(extract_name_compare(NULL, "|x"),
	    EXTRACT_NAME_DIFFERENT);
	assert_int_equal(extract_name_compare("a|", "a|"),
	    EXTRACT_NAME_DIFFERENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_is_given_name_and_surname),
		cmocka_unit_test(test_kharkin_variants_merge),
		cmocka_unit_test(test_brief_variants_merge),
		cmocka_unit_test(test_clintons_stay_distinct),
		cmocka_unit_test(test_novak_and_nowak_are_one_key),
		cmocka_unit_test(
		    test_surname_alone_keeps_a_case_ending_yet_merges),
		cmocka_unit_test(test_fleeting_vowel_merges),
		cmocka_unit_test(test_silent_e_and_vowel_pairs_merge),
		cmocka_unit_test(
		    test_given_name_equivalents_join_transcriptions),
		cmocka_unit_test(test_ch_of_a_surname_is_kh),
		cmocka_unit_test(
		    test_generational_suffix_tells_son_from_father),
		cmocka_unit_test(test_variants_file_merges),
		cmocka_unit_test(test_lookalikes_file_stays_distinct),
		cmocka_unit_test(test_russian_case_endings_undone),
		cmocka_unit_test(test_better_name_is_fuller_then_latin),
		cmocka_unit_test(test_hostile_names_have_keys),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
