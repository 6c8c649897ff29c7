/* test_extract_figure.c: figures written one way — thousands, number words, units, money, dates, ratios — and what is no figure, in English and Russian. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/test_extract_claim_fixture.h"

/* Checks the figures of one sentence, '\t' separated ("" for none). */
static void
check_figures(const char *lang, const char *sentence, const char *want)
{
	char *got = cfx_figures(lang, 2025, sentence);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": figures \"%s\", want \"%s\"", sentence, got,
		    want);
	free(got);
}

static void
test_comma_thousands_is_one_figure(void **state)
{
	check_figures("en", "In response, 1,800 Palestinian prisoners were "
	    "released.", "1800");
	check_figures("en", "Some 1,250,000 people fled.", "1250000");
	check_figures("en", "Output rose 3.5 times.", "3.5");
}

static void
test_russian_thousands_apart_and_decimal_comma(void **state)
{
	check_figures("ru", "Освобождены 1 800 палестинских заключенных.",
	    "1800");
	check_figures("ru", "Ущерб оценили в 1,5 млн долларов.",
	    "1500000 USD");
	check_figures("ru", "Поставки выросли на 2,5%.", "2.5%");
}

static void
test_number_words_that_count_become_digits(void **state)
{
	check_figures("en", "The first phase allowed the return of 33 hostages, "
	    "including the bodies of eight dead prisoners.", "33\t8");
	check_figures("en", "Twenty five trucks entered the strip.", "25");
	check_figures("en", "The eight countries will meet again.", "8");
	check_figures("en", "Edan Alexander, a 21-year-old soldier, was freed.",
	    "21");
	check_figures("en", "Two hundred thousand people marched.", "200000");
	check_figures("ru", "Среди них тела восьми погибших заложников.", "8");
}

static void
test_durations_keep_their_unit(void **state)
{
	check_figures("en", "His plan calls for an extension of the truce by "
	    "about two months.", "2 months");
	check_figures("en", "He had been held captive for 498 days.",
	    "498 days");
	check_figures("en", "The pause would last one month.", "1 month");
	check_figures("en", "Talks will take 50 more days.", "50 days");
	check_figures("ru", "Перемирие продлят примерно на два месяца.",
	    "2 months");
	check_figures("ru", "Он провел в плену 498 дней.", "498 days");
}

static void
test_a_range_shares_its_unit(void **state)
{
	check_figures("en", "The pause could last 50-60 days.",
	    "50 days\t60 days");
	check_figures("en", "It may take two or three weeks.",
	    "2 weeks\t3 weeks");
	/* Number words joined by a dash are a range, not a sum. */
	check_figures("ru", "Россия предложила перемирие на два-три дня.",
	    "2 days\t3 days");
	check_figures("en", "The talks lasted twenty-five days.", "25 days");
	check_figures("ru", "Осталось двадцать пять заложников.", "25");
}

static void
test_money_percentages_and_rates(void **state)
{
	check_figures("en", "The fund pledged $1.2 billion to rebuild it.",
	    "1200000000 USD");
	check_figures("en", "Aid fell by 12% this year.", "12%");
	check_figures("en", "Aid fell by 12 per cent.", "12%");
	check_figures("en", "The field pumps 3.5 million barrels a day.",
	    "3500000 bpd");
	check_figures("en", "The plant makes 500 tonnes a day.",
	    "500 tonnes per day");
	check_figures("ru", "Добыча вырастет на 411 тысяч баррелей в сутки.",
	    "411000 bpd");
	check_figures("en", "Donors gave 40 million euros.", "40000000 EUR");
	check_figures("en", "The grant was $5m.", "5000000 USD");
}

static void
test_dates_take_the_story_year(void **state)
{
	check_figures("en", "The new phase of negotiations began on March 12.",
	    "2025-03-12");
	check_figures("en", "On February 15, he was released.", "2025-02-15");
	check_figures("en", "Talks resumed on 3 April 2024.", "2024-04-03");
	check_figures("en", "They met on May 9, 2023 in Doha.", "2023-05-09");
	check_figures("ru", "Переговоры начались 12 марта.", "2025-03-12");
	/* A month alone after "in": of the story's year. */
	check_figures("en", "Output will rise in May.", "2025-05");
	check_figures("ru", "Добыча вырастет в августе.", "2025-08");
	check_figures("en", "They may agree.", "");
	/* The first day of a range takes the month of the second. */
	check_figures("ru", "Встреча пройдет в период с 20 по 30 июня.",
	    "2025-06-20\t2025-06-30");
	check_figures("en", "The talks will be held from 20 to 30 June.",
	    "2025-06-20\t2025-06-30");
	check_figures("en", "The fair runs 20-30 June.",
	    "2025-06-20\t2025-06-30");
}

static void
test_month_and_year_is_a_month_and_a_year_alone_a_date(void **state)
{
	check_figures("en", "He has been held captive since September 2023.",
	    "2023-09");
	check_figures("en", "The crossing has been shut since 2014.", "2014");
	check_figures("ru", "Он находится в плену с сентября 2023 года.",
	    "2023-09");
	check_figures("ru", "Переход закрыт с 2014 года.", "2014");
}

static void
test_for_every_is_a_ratio(void **state)
{
	check_figures("en", "Hamas demanded that Israel release 200 Palestinian "
	    "prisoners serving life sentences for every American released.",
	    "200 per 1");
	check_figures("en", "It wants 30 prisoners for every two soldiers.",
	    "30 per 2");
	check_figures("ru", "Движение требует 200 заключенных за каждого "
	    "американца.", "200 per 1");
}

static void
test_ordinals_names_and_times_are_no_figures(void **state)
{
	check_figures("en", "The second stage of the deal was discussed.", "");
	check_figures("en", "The F-16 and the COVID-19 rules were discussed.",
	    "");
	check_figures("en", "Under Resolution 2334 the talks went on.", "");
	check_figures("en", "The 15th round opened at 10:30.", "");
	check_figures("en", "One of the hostages was freed.", "");
	check_figures("en", "Hundreds of people and dozens of trucks waited.",
	    "");
}

static void
test_unknown_year_leaves_the_year_out(void **state)
{
	char *got = cfx_figures("en", 0, "Talks began on March 12.");

	assert_string_equal(got, "--03-12");
	free(got);
}

static void
test_hostile_numbers_are_bounded(void **state)
{
	check_figures("en", "They counted 99999999999999999999999999 stones.",
	    "");
	check_figures("en", "It cost $9,999,999,999,999,999,999,999 trillion.",
	    "");
	/* A token of many marks is no number; the figure after it is. */
	check_figures("en", "1.2.3.4.5.6 and 1,2,3,4 and ,,, and ... 0.0001%",
	    "0.0001%");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comma_thousands_is_one_figure),
		cmocka_unit_test(
		    test_russian_thousands_apart_and_decimal_comma),
		cmocka_unit_test(test_number_words_that_count_become_digits),
		cmocka_unit_test(test_durations_keep_their_unit),
		cmocka_unit_test(test_a_range_shares_its_unit),
		cmocka_unit_test(test_money_percentages_and_rates),
		cmocka_unit_test(test_dates_take_the_story_year),
		cmocka_unit_test(
		    test_month_and_year_is_a_month_and_a_year_alone_a_date),
		cmocka_unit_test(test_for_every_is_a_ratio),
		cmocka_unit_test(test_ordinals_names_and_times_are_no_figures),
		cmocka_unit_test(test_unknown_year_leaves_the_year_out),
		cmocka_unit_test(test_hostile_numbers_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
