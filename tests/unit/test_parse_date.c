/* test_parse_date.c: feed dates in every form we meet become unix seconds UTC, and nothing else does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/common.h"
#include "parse/parse.h"
#include "tests/unit/support/test_support.h"

/* Expected values were computed with Python's calendar.timegm, not with
 * the parser under test. */
static const struct date_case {
	const char	*text;
	int64_t		 want;
} date_cases[] = {
	/* RFC 822 / 1123 with the zones RFC 822 names */
	{ "Tue, 25 Nov 2024 10:00:00 GMT", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 +0000", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 -0000", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 +0300", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 +03:00", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 -0530", 1732548600 },
	{ "Tue, 25 Nov 2024 10:00:00 UT", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 UTC", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 Z", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 EST", 1732546800 },
	{ "Tue, 25 Nov 2024 10:00:00 EDT", 1732543200 },
	{ "Tue, 25 Nov 2024 10:00:00 CST", 1732550400 },
	{ "Tue, 25 Nov 2024 10:00:00 CDT", 1732546800 },
	{ "Tue, 25 Nov 2024 10:00:00 MST", 1732554000 },
	{ "Tue, 25 Nov 2024 10:00:00 MDT", 1732550400 },
	{ "Tue, 25 Nov 2024 10:00:00 PST", 1732557600 },
	{ "Tue, 25 Nov 2024 10:00:00 PDT", 1732554000 },
	/* military letters are UTC, as RFC 5322 advises */
	{ "Tue, 25 Nov 2024 10:00:00 A", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 Y", 1732528800 },
	/* zones feeds use beyond RFC 822, and forms around them */
	{ "Tue, 25 Nov 2024 10:00:00 MSK", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 CET", 1732525200 },
	{ "Tue, 25 Nov 2024 10:00:00 +0300 (MSK)", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 GMT+3", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 GMT+03:00", 1732518000 },
	{ "Tue, 25 Nov 2024 10:00:00 +0000 GMT", 1732528800 },
	{ "Tue, 25 Nov 2024 10:00:00 XYZ", 1732528800 },
	/* real-world variants */
	{ "25 Nov 2024 10:00:00 GMT", 1732528800 },
	{ "Tue, 5 Nov 2024 10:00:00 GMT", 1730800800 },
	{ "Tue, 05 Nov 24 10:00:00 GMT", 1730800800 },
	{ "Fri, 05 Nov 99 10:00:00 GMT", 941796000 },
	{ "Tue, 25 Nov 2024 10:00 GMT", 1732528800 },
	{ "Tue, 25 Nov 2024 9:05:07 GMT", 1732525507 },
	{ "tue, 25 nov 2024 10:00:00 gmt", 1732528800 },
	{ "TUE, 25 NOV 2024 10:00:00 GMT", 1732528800 },
	{ "Tuesday, 25 November 2024 10:00:00 GMT", 1732528800 },
	{ "Mon, 24 June 2024 10:00:00 GMT", 1719223200 },
	{ "Tues, 3 Sept 2024 10:00:00 GMT", 1725357600 },
	{ "  Tue,  25   Nov  2024\t10:00:00   GMT  ", 1732528800 },
	{ "Tue,25 Nov 2024 10:00:00 GMT", 1732528800 },
	{ "Tuesday, 25-Nov-24 10:00:00 GMT", 1732528800 },
	{ "Пн, 25 Nov 2024 10:00:00 GMT", 1732528800 },
	{ "mer, 16 nov 2022 00:38:15 +0100", 1668555495 },
	{ "Sun Nov  6 08:49:37 1994", 784111777 },
	{ "Nov 25, 2024 9:00 PM", 1732568400 },
	{ "Nov 25, 2024 12:30 AM", 1732494600 },
	{ "Tue, 25 Nov 2024", 1732492800 },
	{ "Thu, 29 Feb 2024 10:00:00 GMT", 1709200800 },
	{ "Tue, 25 Nov 2024 23:59:60 GMT", 1732579200 },
	/* RFC 3339 / ISO 8601 */
	{ "2024-11-25", 1732492800 },
	{ "2024-11-25T10:00:00Z", 1732528800 },
	{ "2024-11-25T10:00:00z", 1732528800 },
	{ "2024-11-25t10:00:00Z", 1732528800 },
	{ "2024-11-25T10:00:00.123Z", 1732528800 },
	{ "2024-11-25T10:00:00,5Z", 1732528800 },
	{ "2024-11-25T10:00:00+03:00", 1732518000 },
	{ "2024-11-25T10:00:00-05:00", 1732546800 },
	{ "2024-11-25T10:00:00+0300", 1732518000 },
	{ "2024-11-25T10:00:00+03", 1732518000 },
	{ "2024-11-25T10:00Z", 1732528800 },
	{ "2024-11-25T10:00+01:00", 1732525200 },
	{ "2024-11-25T10:00:00", 1732528800 },
	{ "2024-11-25 10:00:00", 1732528800 },
	{ "2024-11-25 10:00:00 +0300", 1732518000 },
	{ "2024-11-25 10:00:00 UTC", 1732528800 },
	{ "20241125T100000Z", 1732528800 },
	{ "20241125", 1732492800 },
	{ " 2024-11-25T10:00:00Z \n", 1732528800 },
	{ "2024-11-25T10:00:00+03:00 (MSK)", 1732518000 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2038-01-19T03:14:08Z", 2147483648LL },
	{ "2100-03-01T00:00:00Z", 4107542400LL },
};

/* Text that is not a date we trust. */
static const char *date_invalid[] = {
	"", "   ", "yesterday", "now", "0", "1732528800", "Tue",
	"Tue, 32 Nov 2024 10:00:00 GMT",
	"Tue, 0 Nov 2024 10:00:00 GMT",
	"Wed, 29 Feb 2023 10:00:00 GMT",
	"Tue, 31 Apr 2024 10:00:00 GMT",
	"Tue, 25 Nov 2024 24:00:00 GMT",
	"Tue, 25 Nov 2024 10:60:00 GMT",
	"Tue, 25 Nov 2024 10:00:61 GMT",
	"Tue, 25 Foo 2024 10:00:00 GMT",
	"Tue, 25 2024 10:00:00 GMT",
	"Tue, Nov 2024 10:00:00 GMT",
	"Tue, 25 Nov 10:00:00 GMT",
	"Tue, 25 Nov 2024 10:00:00 +2400",
	"Tue, 25 Nov 2024 10:00:00 +0360",
	"Tue, 25 Nov 2024 10:00:00 +030000",
	"Tue, 25 Nov 2024 13:00 PM",
	"25 ноя 2024 10:00:00 GMT",
	"25.11.2024",
	"11/25/2024",
	"2024",
	"2024-11",
	"2024-13-01",
	"2024-00-10",
	"2024-11-31",
	"2024-11-25T",
	"2024-11-25T25:00:00Z",
	"2024-11-25T10:00:00+00:0",
	"2024-11-25T10:00:00 junk",
	"2024-11-25 junk",
	"2024-11-25T10:00:00.Z",
	"1969-12-31T23:59:59Z",
	"1899-12-31",
};

static void
test_date_every_form_gives_its_utc_seconds(void **state)
{
	size_t i;
	int64_t got;

	for (i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
		got = parse_date(date_cases[i].text);
		if (got != date_cases[i].want)
			print_error("[%s]: want %lld, got %lld\n",
			    date_cases[i].text, (long long)date_cases[i].want,
			    (long long)got);
		assert_int_equal(got, date_cases[i].want);
	}
}

static void
test_date_impossible_or_foreign_text_is_minus_one(void **state)
{
	size_t i;
	int64_t got;

	for (i = 0; i < sizeof date_invalid / sizeof date_invalid[0]; i++) {
		got = parse_date(date_invalid[i]);
		if (got != -1)
			print_error("[%s]: want -1, got %lld\n",
			    date_invalid[i], (long long)got);
		assert_int_equal(got, -1);
	}
	assert_int_equal(parse_date(NULL), -1);
}

static void
test_date_trailing_junk_after_a_full_date_is_ignored(void **state)
{
	assert_int_equal(parse_date("Tue, 25 Nov 2024 10:00:00 GMT"
	    " (Moscow Standard Time)"), 1732528800);
	assert_int_equal(parse_date("Tue, 25 Nov 2024 10:00:00 +0000 "
	    "Europe/London"), 1732528800);
}

/* Dates in the feedparser suite whose "Expect:" gives a parsed 9-tuple
 * (UTC): every date-like string of the file is a candidate, and the
 * expectation is met when one of them parses to the tuple's time. */

/* Reads "(Y, M, D, h, m, s" at p into seconds; -1 when not a tuple. The
 * ISO form it builds is covered by the table above, so the parser can
 * convert it without this test needing a calendar of its own. */
static int64_t
corpus_tuple(const char *p)
{
	int y, mo, d, h, mi, s;
	char text[64];

	if (sscanf(p, "(%d, %d, %d, %d, %d, %d", &y, &mo, &d, &h, &mi,
	    &s) != 6)
		return -1;
	snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo,
	    d, h, mi, s);
	return parse_date(text);
}

/* True when some candidate string in doc parses to want. Candidates are
 * element texts, attribute values, and the parts of "k=v;k=v" lists. */
static int
corpus_has_date(const char *doc, int64_t want)
{
	const char *p, *end;
	char cand[128];
	size_t n;

	for (p = doc; *p != '\0'; p++) {
		if (*p != '>' && *p != '"' && *p != '=' && *p != '\'')
			continue;
		for (end = p + 1; *end != '\0' && *end != '<' &&
		    *end != '"' && *end != '\'' && *end != ';'; end++)
			;
		n = (size_t)(end - p - 1);
		if (n == 0 || n >= sizeof cand)
			continue;
		memcpy(cand, p + 1, n);
		cand[n] = '\0';
		if (parse_date(cand) == want)
			return 1;
	}
	return 0;
}

/* Counts expectations met (ok) out of those seen (total) over a corpus. */
struct date_count {
	int	ok;
	int	total;
};

/* Checks the expected dates of one feedparser file. */
static void
corpus_check_cb(const char *path, void *arg)
{
	struct date_count *count = arg;
	char *doc, *cause, *expect, *p;
	size_t len;
	int64_t want;

	doc = util_read_file(path, 1024 * 1024, &len, &cause);
	if (doc == NULL) {
		free(cause);
		return;
	}
	if ((expect = strstr(doc, "Expect:")) != NULL) {
		for (p = expect; (p = strstr(p, "_parsed'] == (")) != NULL;
		    p++) {
			want = corpus_tuple(strchr(p, '('));
			if (want == -1)
				continue;
			count->total++;
			if (corpus_has_date(expect, want))
				count->ok++;
			else
				print_message("  not as expected: %s\n", path);
		}
	}
	free(doc);
}

static void
test_date_feedparser_corpus_dates_parse_as_expected(void **state)
{
	struct date_count count = { 0, 0 };
	char *dir;

	dir = test_shared_path("corpus/feedparser/tests/wellformed");
	if (dir == NULL)
		return;
	test_walk_files(dir, corpus_check_cb, &count);
	free(dir);
	print_message("%d of %d dates parsed as feedparser expects\n",
	    count.ok, count.total);
	assert_true(count.total > 0);
	assert_int_equal(count.ok, count.total);
}

/* feed-rs fixtures: every date feed-rs found in NAME.xml (its
 * NAME.serde.json) must be what one of the file's date elements parses
 * to. (The other direction does not hold: feed-rs leaves some dates it
 * does not map, or cannot read, empty.) */

/* Adds every non-null "published"/"updated" value under v to dates. */
static void
feedrs_collect(json_t *v, int64_t *dates, size_t *n, size_t max)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			feedrs_collect(x, dates, n, max);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, x) {
		if ((strcmp(key, "published") == 0 ||
		    strcmp(key, "updated") == 0) && json_is_string(x)) {
			if (*n < max)
				dates[(*n)++] = parse_date(json_string_value(x));
		} else
			feedrs_collect(x, dates, n, max);
	}
}

/* True when one of the date elements of doc parses to want. */
static int
feedrs_has_date(const char *doc, int64_t want)
{
	static const char *tags[] = { "<pubDate>", "<lastBuildDate>",
	    "<published>", "<updated>", "<dc:date>", "<dcterms:modified>",
	    "<dcterms:issued>", "<dcterms:created>", "<modified>",
	    "<issued>", "<created>" };
	const char *p, *end;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		for (p = doc; (p = strstr(p, tags[i])) != NULL; p = end) {
			p += strlen(tags[i]);
			if ((end = strchr(p, '<')) == NULL)
				break;
			if ((size_t)(end - p) >= sizeof text)
				continue;
			memcpy(text, p, (size_t)(end - p));
			text[end - p] = '\0';
			if (parse_date(text) == want)
				return 1;
		}
	}
	return 0;
}

/* Checks one fixture's expected dates against its date elements. */
static void
feedrs_check(const char *xml_path, const char *json_path,
    struct date_count *count)
{
	int64_t dates[4096];
	size_t ndates = 0, len, i;
	char *doc, *cause;
	json_error_t error;
	json_t *root;

	if ((root = json_load_file(json_path, 0, &error)) == NULL)
		return;
	feedrs_collect(root, dates, &ndates, sizeof dates / sizeof dates[0]);
	json_decref(root);
	if ((doc = util_read_file(xml_path, 4 * 1024 * 1024, &len,
	    &cause)) == NULL) {
		free(cause);
		return;
	}
	for (i = 0; i < ndates; i++) {
		count->total++;
		if (dates[i] != -1 && feedrs_has_date(doc, dates[i]))
			count->ok++;
		else
			print_message("  not as expected: date %zu of %s\n",
			    i, json_path);
	}
	free(doc);
}

/* Checks a NAME.xml file that has a NAME.serde.json beside it. */
static void
feedrs_check_cb(const char *path, void *arg)
{
	size_t n = strlen(path);
	char *json;

	if (n <= 4 || strcmp(path + n - 4, ".xml") != 0)
		return;
	xasprintf(&json, "%.*s.serde.json", (int)(n - 4), path);
	feedrs_check(path, json, arg);
	free(json);
}

static void
test_date_feed_rs_fixture_dates_parse_as_expected(void **state)
{
	struct date_count count = { 0, 0 };
	char *dir;

	if ((dir = test_shared_path("corpus/feed-rs/fixture")) == NULL)
		return;
	test_walk_files(dir, feedrs_check_cb, &count);
	free(dir);
	print_message("%d of %d dates parsed as feed-rs expects\n", count.ok,
	    count.total);
	assert_true(count.total > 0);
	assert_int_equal(count.ok, count.total);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_every_form_gives_its_utc_seconds),
		cmocka_unit_test(test_date_impossible_or_foreign_text_is_minus_one),
		cmocka_unit_test(test_date_trailing_junk_after_a_full_date_is_ignored),
		cmocka_unit_test(test_date_feedparser_corpus_dates_parse_as_expected),
		cmocka_unit_test(test_date_feed_rs_fixture_dates_parse_as_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
