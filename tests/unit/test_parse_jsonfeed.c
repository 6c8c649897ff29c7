/* test_parse_jsonfeed.c: JSON Feed 1.0 and 1.1 documents become items, through parse_feed. */
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

#define FEED_URL "https://example.org/feed.json"

/* Parses JSON text that must be a feed. */
static struct parsed_feed *
parse_ok(const char *json, const struct parse_limits *limits)
{
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	if (parse_feed(json, strlen(json), FEED_URL, "application/feed+json",
	    limits, &feed, &cause) != 0)
		print_error("parse_feed: %s\n", cause);
	assert_non_null(feed);
	assert_null(cause);
	assert_int_equal(feed->format, FEED_FORMAT_JSON);
	return feed;
}

static void
test_jsonfeed_1_1_feed_and_item_fields_are_read(void **state)
{
	struct parsed_feed *feed = parse_ok(
	    "{\"version\": \"https://jsonfeed.org/version/1.1\","
	    " \"title\": \"Wire &amp; Co\", \"home_page_url\": \"https://example.org/\","
	    " \"language\": \"ru\","
	    " \"items\": [{\"id\": \"item-1\", \"url\": \"https://example.org/1\","
	    "  \"title\": \"Перемирие  в Газе\","
	    "  \"content_html\": \"<p>First <b>para</b>.</p><script>x()</script><p>Second.</p>\","
	    "  \"date_published\": \"2024-11-25T10:00:00+03:00\","
	    "  \"date_modified\": \"2024-11-25T12:00:00Z\","
	    "  \"authors\": [{\"url\": \"https://a.example/\"}, {\"name\": \"Максим Харкин\"}]}]}",
	    NULL);
	struct parsed_item *it;

	assert_string_equal(feed->title, "Wire & Co");
	assert_string_equal(feed->link, "https://example.org/");
	assert_string_equal(feed->language, "ru");
	assert_int_equal(feed->nitems, 1);
	it = &feed->items[0];
	assert_string_equal(it->id, "item-1");
	assert_string_equal(it->url, "https://example.org/1");
	assert_string_equal(it->title, "Перемирие в Газе");
	assert_string_equal(it->text, "First para.\n\nSecond.");
	assert_int_equal(it->published, 1732518000);
	assert_int_equal(it->updated, 1732536000);
	assert_string_equal(it->author, "Максим Харкин");
	assert_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_jsonfeed_1_0_author_object_and_feed_author_used(void **state)
{
	struct parsed_feed *feed = parse_ok(
	    "{\"version\": \"https://jsonfeed.org/version/1\","
	    " \"author\": {\"name\": \"Desk\"},"
	    " \"items\": [{\"id\": \"a\", \"author\": {\"name\": \"Reporter\"}},"
	    "  {\"id\": \"b\"}]}", NULL);

	assert_int_equal(feed->nitems, 2);
	assert_string_equal(feed->items[0].author, "Reporter");
	assert_string_equal(feed->items[1].author, "Desk");
	parse_feed_free(feed);
}

static void
test_jsonfeed_numeric_id_becomes_a_string(void **state)
{
	struct parsed_feed *feed = parse_ok(
	    "{\"items\": [{\"id\": 1234567890123, \"title\": \"n\"},"
	    " {\"id\": 2.5, \"title\": \"r\"}]}", NULL);

	assert_string_equal(feed->items[0].id, "1234567890123");
	assert_string_equal(feed->items[1].id, "2.5");
	parse_feed_free(feed);
}

static void
test_jsonfeed_text_falls_back_to_content_text_then_summary(void **state)
{
	struct parsed_feed *feed = parse_ok(
	    "{\"items\": ["
	    " {\"id\": \"1\", \"content_text\": \"  One  line\\nsame para.\\n\\n\\nNext & <last>.  \","
	    "  \"summary\": \"unused\"},"
	    " {\"id\": \"2\", \"summary\": \"Only\\ta summary\"},"
	    " {\"id\": \"3\"}]}", NULL);

	assert_string_equal(feed->items[0].text,
	    "One line same para.\n\nNext & <last>.");
	assert_string_equal(feed->items[1].text, "Only a summary");
	assert_string_equal(feed->items[2].text, "");
	assert_string_equal(feed->items[2].title, "");
	parse_feed_free(feed);
}

static void
test_jsonfeed_urls_resolved_and_external_url_used(void **state)
{
	struct parsed_feed *feed = parse_ok(
	    "{\"items\": ["
	    " {\"id\": \"1\", \"url\": \"/news/1\"},"
	    " {\"id\": \"2\", \"external_url\": \"https://other.example/x\"},"
	    " {\"id\": \"3\", \"url\": \"javascript:alert(1)\"}]}", NULL);

	assert_string_equal(feed->items[0].url, "https://example.org/news/1");
	assert_string_equal(feed->items[1].url, "https://other.example/x");
	assert_null(feed->items[2].url);
	parse_feed_free(feed);
}

static void
test_jsonfeed_missing_id_falls_back_to_url_then_stable_hash(void **state)
{
	const char *json = "{\"items\": ["
	    " {\"url\": \"https://example.org/a\", \"title\": \"A\"},"
	    " {\"title\": \"B\", \"date_published\": \"2024-11-25T10:00:00Z\"},"
	    " {\"title\": \"C\", \"date_published\": \"2024-11-25T10:00:00Z\"}]}";
	struct parsed_feed *feed = parse_ok(json, NULL), *again;

	assert_string_equal(feed->items[0].id, "https://example.org/a");
	assert_memory_equal(feed->items[1].id, "hash:", 5);
	assert_int_equal(strlen(feed->items[1].id), 5 + 16);
	assert_string_not_equal(feed->items[1].id, feed->items[2].id);
	again = parse_ok(json, NULL);
	assert_string_equal(feed->items[1].id, again->items[1].id);
	parse_feed_free(again);
	parse_feed_free(feed);
}

static void
test_jsonfeed_item_limit_keeps_first_items_and_warns(void **state)
{
	struct parse_limits limits = { 2, 1024, 64 };
	struct parsed_feed *feed = parse_ok(
	    "{\"items\": [{\"id\": \"1\"}, {\"id\": \"2\"}, {\"id\": \"3\"}]}",
	    &limits);

	assert_int_equal(feed->nitems, 2);
	assert_string_equal(feed->items[1].id, "2");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_jsonfeed_long_field_clipped_at_utf8_boundary(void **state)
{
	struct parse_limits limits = { 10, 5, 64 };
	struct parsed_feed *feed = parse_ok(
	    "{\"items\": [{\"id\": \"1\", \"content_text\": \"абвгд\"}]}",
	    &limits);

	/* Five bytes hold two two-byte letters, not two and a half. */
	assert_string_equal(feed->items[0].text, "аб");
	parse_feed_free(feed);
}

static void
test_jsonfeed_broken_json_is_an_error_naming_the_line(void **state)
{
	struct parsed_feed *feed = NULL;
	char *cause = NULL;
	const char *json = "{\"items\": [\n{\"id\": 1,,}]}";

	assert_int_equal(parse_feed(json, strlen(json), FEED_URL, NULL, NULL,
	    &feed, &cause), -1);
	assert_null(feed);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "line 2"));
	free(cause);
}

static void
test_jsonfeed_json_without_items_is_not_a_feed(void **state)
{
	struct parsed_feed *feed = NULL;
	char *cause = NULL;
	const char *json = "{\"title\": \"x\", \"items\": 3}";

	assert_int_equal(parse_feed(json, strlen(json), FEED_URL, NULL, NULL,
	    &feed, &cause), -1);
	assert_null(feed);
	assert_non_null(cause);
	free(cause);
}

static void
test_jsonfeed_oversized_document_is_refused(void **state)
{
	struct parsed_feed *feed = NULL;
	size_t len = 5 * 1024 * 1024;
	char *json = xmalloc(len), *cause = NULL;

	memset(json, ' ', len);
	memcpy(json, "{\"items\": [", 11);
	memcpy(json + len - 2, "]}", 2);
	assert_int_equal(parse_feed(json, len, FEED_URL, NULL, NULL, &feed,
	    &cause), -1);
	assert_null(feed);
	assert_non_null(strstr(cause, "MB"));
	free(cause);
	free(json);
}

/* The JSON Feed fixtures of feed-rs (with its expected parse beside each)
 * and feedparser: every item is read, with the title feed-rs read. */
static void
test_jsonfeed_corpus_fixtures_give_expected_items(void **state)
{
	static const char *names[] = { "jsonfeed_elastic_1.1",
	    "jsonfeed_example_1", "jsonfeed_spec_1" };
	struct parsed_feed *feed;
	json_t *want, *entries, *title;
	json_error_t error;
	char *dir, *path, *buf, *cause;
	size_t len, i, k;

	if ((dir = test_shared_path("corpus/feed-rs/fixture/jsonfeed")) == NULL)
		return;
	for (k = 0; k < sizeof names / sizeof names[0]; k++) {
		xasprintf(&path, "%s/%s.json", dir, names[k]);
		buf = util_read_file(path, 1024 * 1024, &len, &cause);
		if (buf == NULL) {
			print_message("skipped: %s\n", cause);
			free(cause);
			free(path);
			free(dir);
			return;
		}
		feed = NULL;
		assert_int_equal(parse_feed(buf, len, NULL, NULL, NULL, &feed,
		    &cause), 0);
		free(buf);
		free(path);
		xasprintf(&path, "%s/%s.serde.json", dir, names[k]);
		want = json_load_file(path, 0, &error);
		assert_non_null(want);
		entries = json_object_get(want, "entries");
		assert_int_equal(feed->nitems, json_array_size(entries));
		for (i = 0; i < feed->nitems; i++) {
			title = json_object_get(json_object_get(
			    json_array_get(entries, i), "title"), "content");
			if (json_is_string(title))
				assert_string_equal(feed->items[i].title,
				    json_string_value(title));
			assert_non_null(feed->items[i].id);
		}
		print_message("%s: %zu items as feed-rs reads them\n",
		    names[k], feed->nitems);
		json_decref(want);
		parse_feed_free(feed);
		free(path);
	}
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonfeed_1_1_feed_and_item_fields_are_read),
		cmocka_unit_test(test_jsonfeed_1_0_author_object_and_feed_author_used),
		cmocka_unit_test(test_jsonfeed_numeric_id_becomes_a_string),
		cmocka_unit_test(test_jsonfeed_text_falls_back_to_content_text_then_summary),
		cmocka_unit_test(test_jsonfeed_urls_resolved_and_external_url_used),
		cmocka_unit_test(test_jsonfeed_missing_id_falls_back_to_url_then_stable_hash),
		cmocka_unit_test(test_jsonfeed_item_limit_keeps_first_items_and_warns),
		cmocka_unit_test(test_jsonfeed_long_field_clipped_at_utf8_boundary),
		cmocka_unit_test(test_jsonfeed_broken_json_is_an_error_naming_the_line),
		cmocka_unit_test(test_jsonfeed_json_without_items_is_not_a_feed),
		cmocka_unit_test(test_jsonfeed_oversized_document_is_refused),
		cmocka_unit_test(test_jsonfeed_corpus_fixtures_give_expected_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
