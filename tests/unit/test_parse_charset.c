/* test_parse_charset.c: feeds in windows-1251, KOI8-R, Latin-1, UTF-16, GB2312 and broken UTF-8 all come out as UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "parse/parse.h"
#include "tests/unit/support/test_support_parse.h"

#define FEED_URL	"https://ru.example/rss.xml"

/* The Russian fixture's strings, as UTF-8. */
#define RU_FEED_TITLE	"\xd0\x9d\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8 " \
			"\xd0\xb4\xd0\xbd\xd1\x8f"
#define RU_ITEM_TITLE	"\xd0\x9f\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb3\xd0\xbe\xd0\xb2" \
			"\xd0\xbe\xd1\x80\xd1\x8b \xd0\xbe \xd0\xbf\xd1\x80\xd0\xb5" \
			"\xd0\xba\xd1\x80\xd0\xb0\xd1\x89\xd0\xb5\xd0\xbd\xd0\xb8" \
			"\xd0\xb8 \xd0\xbe\xd0\xb3\xd0\xbd\xd1\x8f \xd0\xb2\xd0\xbe" \
			"\xd0\xb7\xd0\xbe\xd0\xb1\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xb8" \
			"\xd0\xbb\xd0\xb8\xd1\x81\xd1\x8c"
/* "Ёжик, чай, Москва" */
#define RU_TEXT_START	"\xd0\x81\xd0\xb6\xd0\xb8\xd0\xba, \xd1\x87\xd0\xb0\xd0\xb9, " \
			"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"

/* Checks the Russian fixture's fields. */
static void
assert_russian(const struct parsed_feed *feed)
{
	assert_string_equal(feed->title, RU_FEED_TITLE);
	assert_int_equal(feed->nitems, 1);
	assert_string_equal(feed->items[0].title, RU_ITEM_TITLE);
	assert_memory_equal(feed->items[0].text, RU_TEXT_START,
	    strlen(RU_TEXT_START));
	assert_string_equal(feed->items[0].id, "ru-1");
}

static void
test_rss_windows1251_title_is_utf8(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("windows-1251.xml", FEED_URL, NULL);

	assert_russian(feed);
	assert_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_rss_koi8r_title_is_utf8(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("koi8-r.xml", FEED_URL, NULL);

	assert_russian(feed);
	parse_feed_free(feed);
}

static void
test_http_charset_overrides_the_prolog(void **state)
{
	struct parsed_feed *feed;

	/* The prolog says windows-1251, the bytes and HTTP say KOI8-R. */
	feed = test_parse_fixture("http-koi8r-prolog-1251.xml", FEED_URL,
	    "application/rss+xml; charset=\"KOI8-R\"");
	assert_russian(feed);
	parse_feed_free(feed);
	/* Without the header the prolog is believed: the text differs. */
	feed = test_parse_fixture("http-koi8r-prolog-1251.xml", FEED_URL, NULL);
	assert_string_not_equal(feed->title, RU_FEED_TITLE);
	parse_feed_free(feed);
}

static void
test_utf16le_with_bom(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("utf16le-bom.xml", FEED_URL, NULL);

	assert_russian(feed);
	parse_feed_free(feed);
}

static void
test_utf16be_without_bom_is_detected(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("utf16be.xml", FEED_URL, NULL);

	assert_russian(feed);
	parse_feed_free(feed);
}

static void
test_iso8859_1_is_read_as_windows1252(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("iso-8859-1.xml", FEED_URL, NULL);

	assert_string_equal(feed->title, "Caf\xc3\xa9 cr\xc3\xa8me");
	assert_string_equal(feed->items[0].title,
	    "D\xc3\xa9j\xc3\xa0 vu \xc3\xa0 Gen\xc3\xa8ve");
	/* Euro sign, en dash and curly quotes: windows-1252's, as browsers
	 * read "ISO-8859-1". */
	assert_string_equal(feed->items[0].text,
	    "Prix: 5 \xe2\x82\xac \xe2\x80\x93 \xe2\x80\x9c" "cher\xe2\x80\x9d");
	parse_feed_free(feed);
}

static void
test_undeclared_latin1_is_recovered(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("latin1-undeclared.xml", FEED_URL, NULL);

	assert_string_equal(feed->title, "Caf\xc3\xa9 cr\xc3\xa8me");
	assert_string_equal(feed->items[0].title,
	    "D\xc3\xa9j\xc3\xa0 vu \xc3\xa0 Gen\xc3\xa8ve");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_invalid_utf8_is_repaired_not_fatal(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("invalid-utf8.xml", FEED_URL, NULL);

	assert_int_equal(feed->nitems, 2);
	assert_string_equal(feed->items[0].title, "Caf\xef\xbf\xbd au lait");
	/* The valid UTF-8 around it is untouched. */
	assert_string_equal(feed->items[0].text,
	    "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 stays");
	assert_string_equal(feed->items[1].title, "Next item survives");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_gb2312_is_utf8(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("gb2312.xml", FEED_URL, NULL);

	/* 腾讯新闻, 国务院常务会议 */
	assert_string_equal(feed->title,
	    "\xe8\x85\xbe\xe8\xae\xaf\xe6\x96\xb0\xe9\x97\xbb");
	assert_string_equal(feed->items[0].title,
	    "\xe5\x9b\xbd\xe5\x8a\xa1\xe9\x99\xa2\xe5\xb8\xb8\xe5\x8a\xa1"
	    "\xe4\xbc\x9a\xe8\xae\xae");
	parse_feed_free(feed);
}

static void
test_unknown_charset_is_read_not_lost(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("unknown-charset.xml", FEED_URL, NULL);

	assert_string_equal(feed->title, "Plain ASCII title");
	assert_string_equal(feed->items[0].title, "Caf\xc3\xa9");
	assert_non_null(strstr(feed->warning, "x-no-such-charset"));
	parse_feed_free(feed);
}

static void
test_utf8_labelled_latin1_by_server_stays_utf8(void **state)
{
	const char *xml = "<rss><channel><title>Caf\xc3\xa9</title>"
	    "</channel></rss>";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	/* Servers send charset=ISO-8859-1 by default; these bytes are UTF-8. */
	assert_int_equal(parse_feed(xml, strlen(xml), FEED_URL,
	    "text/xml; charset=ISO-8859-1", NULL, &feed, &cause), 0);
	assert_string_equal(feed->title, "Caf\xc3\xa9");
	parse_feed_free(feed);
}

static void
test_prolog_charset_contradicted_by_utf8_bytes(void **state)
{
	/* A template's declaration left in place over UTF-8 text. */
	const char *xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>"
	    "<rss><channel><title>" RU_FEED_TITLE "</title></channel></rss>";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(xml, strlen(xml), FEED_URL, NULL, NULL,
	    &feed, &cause), 0);
	assert_string_equal(feed->title, RU_FEED_TITLE);
	parse_feed_free(feed);
}

static void
test_bytes_invalid_in_declared_charset_are_replaced(void **state)
{
	/* 0x98 is the one byte windows-1251 leaves undefined. */
	const char *xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>"
	    "<rss><channel><title>\xcc\xee\x98\xf1\xea\xe2\xe0</title>"
	    "</channel></rss>";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(xml, strlen(xml), FEED_URL, NULL, NULL,
	    &feed, &cause), 0);
	assert_string_equal(feed->title, "\xd0\x9c\xd0\xbe\xef\xbf\xbd\xd1\x81"
	    "\xd0\xba\xd0\xb2\xd0\xb0");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss_windows1251_title_is_utf8),
		cmocka_unit_test(test_rss_koi8r_title_is_utf8),
		cmocka_unit_test(test_http_charset_overrides_the_prolog),
		cmocka_unit_test(test_utf16le_with_bom),
		cmocka_unit_test(test_utf16be_without_bom_is_detected),
		cmocka_unit_test(test_iso8859_1_is_read_as_windows1252),
		cmocka_unit_test(test_undeclared_latin1_is_recovered),
		cmocka_unit_test(test_invalid_utf8_is_repaired_not_fatal),
		cmocka_unit_test(test_gb2312_is_utf8),
		cmocka_unit_test(test_unknown_charset_is_read_not_lost),
		cmocka_unit_test(test_utf8_labelled_latin1_by_server_stays_utf8),
		cmocka_unit_test(test_prolog_charset_contradicted_by_utf8_bytes),
		cmocka_unit_test(test_bytes_invalid_in_declared_charset_are_replaced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
