/* test_parse_feed.c: RSS 0.91/2.0, RSS 1.0 (RDF), Atom 1.0/0.3 and JSON to items, field by field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/common.h"
#include "parse/parse.h"
#include "tests/unit/support/test_support_parse.h"

#define FEED_URL	"https://example.org/feeds/main.xml"

/* Parses a string that must give a feed. */
static struct parsed_feed *
parse_string(const char *xml)
{
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	if (parse_feed(xml, strlen(xml), FEED_URL, NULL, NULL, &feed,
	    &cause) != 0)
		fail_msg("%s", cause);
	return feed;
}

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

static void
test_rss20_channel_fields(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rss20.xml", FEED_URL, NULL);

	assert_int_equal(feed->format, FEED_FORMAT_RSS);
	assert_string_equal(feed->title, "Wire & World");
	assert_string_equal(feed->link, "https://wire.example/");
	assert_string_equal(feed->language, "en-us");
	assert_int_equal(feed->ttl, 15 * 60);
	assert_null(feed->warning);
	assert_int_equal(feed->nitems, 4);
	parse_feed_free(feed);
}

static void
test_rss20_content_encoded_wins_over_description(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rss20.xml", FEED_URL, NULL);
	struct parsed_item *item = &feed->items[0];

	assert_string_equal(item->title, "Talks resume in Cairo");
	assert_string_equal(item->id, "wire-1");
	assert_string_equal(item->url, "https://wire.example/news/1?ref=rss&lang=en");
	/* dc:creator is a name; RSS <author> is an address. */
	assert_string_equal(item->author, "Rachel Levi");
	assert_string_equal(item->text,
	    "Full article text.\n\nSecond\xc2\xa0paragraph.");
	assert_int_equal(item->published, utc(2024, 11, 25, 12, 0, 0));
	assert_int_equal(item->updated, -1);
	parse_feed_free(feed);
}

static void
test_rss20_html_entities_and_cdata_become_text(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rss20.xml", FEED_URL, NULL);
	struct parsed_item *item = &feed->items[1];

	assert_string_equal(item->title, "Prices rise & fall");
	/* &nbsp; and &mdash; are not XML entities; they still read. */
	assert_string_equal(item->text,
	    "Bread\xc2\xa0" "and fuel up \xe2\x80\x94 again & again.");
	assert_string_equal(item->id, "https://wire.example/news/2");
	/* A guid is a permalink unless it says otherwise. */
	assert_string_equal(item->url, "https://wire.example/news/2");
	assert_int_equal(item->published, utc(2024, 11, 24, 8, 30, 0));
	parse_feed_free(feed);
}

static void
test_rss20_identity_falls_back_to_link_then_hash(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rss20.xml", FEED_URL, NULL);

	/* A relative link resolves against the feed's address. */
	assert_string_equal(feed->items[2].url, "https://example.org/news/3");
	assert_string_equal(feed->items[2].id, "https://example.org/news/3");
	assert_null(feed->items[3].url);
	assert_memory_equal(feed->items[3].id, "hash:", 5);
	assert_string_equal(feed->items[3].text, "");
	parse_feed_free(feed);
}

static void
test_identity_is_stable_across_parses(void **state)
{
	struct parsed_feed *a = test_parse_fixture("rss20.xml", FEED_URL, NULL);
	struct parsed_feed *b = test_parse_fixture("rss20.xml", FEED_URL, NULL);
	size_t i;

	assert_int_equal(a->nitems, b->nitems);
	for (i = 0; i < a->nitems; i++)
		assert_string_equal(a->items[i].id, b->items[i].id);
	assert_string_not_equal(a->items[3].id, a->items[2].id);
	parse_feed_free(a);
	parse_feed_free(b);
}

static void
test_rss091_html_entities_in_latin1(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rss091.xml", FEED_URL, NULL);

	assert_int_equal(feed->format, FEED_FORMAT_RSS);
	assert_string_equal(feed->title, "Caf\xc3\xa9 News");
	assert_string_equal(feed->language, "fr");
	assert_int_equal(feed->nitems, 1);
	assert_string_equal(feed->items[0].title,
	    "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xe2\x80\x94 the recipe");
	assert_string_equal(feed->items[0].url, "http://cafe.example/creme");
	assert_string_equal(feed->items[0].text, "Sugar, cream & eggs.");
	/* The DTD named at the top is never fetched, and no warning. */
	assert_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_rdf_items_outside_channel(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("rdf.xml", FEED_URL, NULL);
	struct parsed_item *item;

	assert_int_equal(feed->format, FEED_FORMAT_RDF);
	assert_string_equal(feed->title, "Heise Example");
	assert_string_equal(feed->link, "https://heise.example/newsticker/");
	assert_string_equal(feed->language, "de");
	assert_int_equal(feed->nitems, 2);
	item = &feed->items[0];
	assert_string_equal(item->title, "IBM \xc3\xbc" "bernimmt Red Hat");
	assert_string_equal(item->url, "https://heise.example/a?wt=rdf");
	assert_string_equal(item->id, "https://heise.example/a");
	assert_int_equal(item->published, utc(2018, 10, 28, 20, 0, 0));
	/* rdf:about names an item that has no link. */
	assert_string_equal(feed->items[1].id, "https://heise.example/b");
	parse_feed_free(feed);
}

static void
test_atom_feed_fields_and_xml_lang(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("atom.xml", FEED_URL, NULL);

	assert_int_equal(feed->format, FEED_FORMAT_ATOM);
	assert_string_equal(feed->title, "Times Example");
	/* rel="self" is not the site; the alternate link, under xml:base, is. */
	assert_string_equal(feed->link, "https://times.example/");
	assert_string_equal(feed->language, "he");
	assert_int_equal(feed->nitems, 2);
	parse_feed_free(feed);
}

static void
test_atom_xhtml_content_wins_and_keeps_paragraphs(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("atom.xml", FEED_URL, NULL);
	struct parsed_item *item = &feed->items[0];

	assert_string_equal(item->text, "First para.\n\nSecond & last.");
	/* type="text" is not HTML: the brackets are the title's own. */
	assert_string_equal(item->title, "Plain <b> stays literal");
	assert_string_equal(item->id, "tag:times.example,2024:1");
	assert_string_equal(item->author, "Noam Shapira");
	assert_int_equal(item->published, utc(2024, 11, 25, 8, 0, 0));
	assert_int_equal(item->updated, utc(2024, 11, 25, 10, 5, 0));
	parse_feed_free(feed);
}

static void
test_atom_nested_xml_base_resolves_links(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("atom.xml", FEED_URL, NULL);

	/* feed xml:base, then the entry's relative one, then the link. */
	assert_string_equal(feed->items[0].url,
	    "https://times.example/news/2024/11/25/one");
	/* xml:base on the link element itself applies to its href. */
	assert_string_equal(feed->items[1].url,
	    "https://other.example/base/two");
	parse_feed_free(feed);
}

static void
test_atom_html_title_and_summary_only(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("atom.xml", FEED_URL, NULL);
	struct parsed_item *item = &feed->items[1];

	assert_string_equal(item->title, "Bold & brave");
	assert_string_equal(item->text, "Only a summary");
	assert_int_equal(item->published, -1);
	assert_int_equal(item->updated, utc(2024, 11, 24, 9, 0, 0));
	parse_feed_free(feed);
}

static void
test_atom03_escaped_content_and_issued(void **state)
{
	struct parsed_feed *feed =
	    test_parse_fixture("atom03.xml", FEED_URL, NULL);
	struct parsed_item *item;

	assert_int_equal(feed->format, FEED_FORMAT_ATOM);
	assert_string_equal(feed->link, "http://old.example/");
	assert_int_equal(feed->nitems, 1);
	item = &feed->items[0];
	assert_string_equal(item->text, "Escaped HTML");
	assert_string_equal(item->url, "http://old.example/1");
	assert_int_equal(item->published, utc(2004, 1, 1, 19, 48, 21));
	assert_int_equal(item->updated, utc(2004, 1, 2, 19, 48, 21));
	parse_feed_free(feed);
}

static void
test_rank_does_not_depend_on_order(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<rss xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
	    "<item><description>summary first</description>"
	    "<content:encoded>content second</content:encoded>"
	    "<dc:date>2020-01-01T00:00:00Z</dc:date>"
	    "<pubDate>Wed, 01 Jan 2020 10:00:00 GMT</pubDate></item>"
	    "<item><content:encoded>content first</content:encoded>"
	    "<description>summary second</description></item>"
	    "<item><content:encoded></content:encoded>"
	    "<description>empty content falls back</description></item>"
	    "</channel></rss>");

	assert_int_equal(feed->nitems, 3);
	assert_string_equal(feed->items[0].text, "content second");
	/* pubDate outranks dc:date whichever comes first. */
	assert_int_equal(feed->items[0].published, utc(2020, 1, 1, 10, 0, 0));
	assert_string_equal(feed->items[1].text, "content first");
	assert_string_equal(feed->items[2].text, "empty content falls back");
	parse_feed_free(feed);
}

static void
test_undeclared_prefix_is_understood(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<rss><channel><item><title>t</title>"
	    "<content:encoded>&lt;p&gt;body&lt;/p&gt;</content:encoded>"
	    "</item></channel></rss>");

	assert_string_equal(feed->items[0].text, "body");
	/* The namespace error is still reported. */
	assert_non_null(feed->warning);
	parse_feed_free(feed);
}

static void
test_unescaped_html_in_description_becomes_text(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<rss><channel><item><title>t</title><description>"
	    "<p>One <b>bold</b></p><p>Two</p><script>x()</script>"
	    "</description></item></channel></rss>");

	assert_string_equal(feed->items[0].text, "One bold\n\nTwo");
	parse_feed_free(feed);
}

static void
test_malformed_xml_keeps_items_and_warns_with_line(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<rss><channel>\n"
	    "<item><title>before</title></item>\n"
	    "<item><title>bad & ampersand &amp; after</title></item>\n"
	    "<item><title>still &amp;amp; &lt;b&gt;here&lt;/b&gt;</title></item>\n"
	    "</channel></rss>\n<junk/>");

	assert_int_equal(feed->nitems, 3);
	assert_string_equal(feed->items[0].title, "before");
	/* Entities after the error are still decoded. */
	assert_string_equal(feed->items[2].title, "still & here");
	assert_non_null(feed->warning);
	assert_memory_equal(feed->warning, "line 3: ", 8);
	parse_feed_free(feed);
}

static void
test_unclosed_tags_keep_earlier_items(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<rss><channel><item><title>one</title></item>"
	    "<item><title>two</title><description>open <b>never closed"
	    "</description></item></channel></rss>");

	assert_true(feed->nitems >= 1);
	assert_string_equal(feed->items[0].title, "one");
	parse_feed_free(feed);
}

static void
test_not_a_feed_is_an_error(void **state)
{
	const char *html = "<html><head><title>x</title></head></html>";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(html, strlen(html), FEED_URL, NULL, NULL,
	    &feed, &cause), -1);
	assert_null(feed);
	assert_non_null(strstr(cause, "<html>"));
	free(cause);
}

static void
test_json_feed_is_dispatched(void **state)
{
	const char *json = "\xef\xbb\xbf  {\"version\":"
	    "\"https://jsonfeed.org/version/1.1\",\"title\":\"J\","
	    "\"items\":[{\"id\":\"1\",\"title\":\"Json item\","
	    "\"content_text\":\"Hello\"}]}";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(json, strlen(json), FEED_URL, NULL, NULL,
	    &feed, &cause), 0);
	assert_int_equal(feed->format, FEED_FORMAT_JSON);
	assert_int_equal(feed->nitems, 1);
	assert_string_equal(feed->items[0].title, "Json item");
	parse_feed_free(feed);
}

static void
test_atom_link_without_rel_and_source_ignored(void **state)
{
	struct parsed_feed *feed = parse_string(
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<source><title>not me</title><link href=\"https://s.example/\"/>"
	    "<author><name>not me either</name></author></source>"
	    "<title>me</title><link href=\"https://e.example/1\"/>"
	    "<author><name>Author</name></author>"
	    "</entry></feed>");

	assert_string_equal(feed->items[0].title, "me");
	assert_string_equal(feed->items[0].url, "https://e.example/1");
	assert_string_equal(feed->items[0].author, "Author");
	parse_feed_free(feed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss20_channel_fields),
		cmocka_unit_test(test_rss20_content_encoded_wins_over_description),
		cmocka_unit_test(test_rss20_html_entities_and_cdata_become_text),
		cmocka_unit_test(test_rss20_identity_falls_back_to_link_then_hash),
		cmocka_unit_test(test_identity_is_stable_across_parses),
		cmocka_unit_test(test_rss091_html_entities_in_latin1),
		cmocka_unit_test(test_rdf_items_outside_channel),
		cmocka_unit_test(test_atom_feed_fields_and_xml_lang),
		cmocka_unit_test(test_atom_xhtml_content_wins_and_keeps_paragraphs),
		cmocka_unit_test(test_atom_nested_xml_base_resolves_links),
		cmocka_unit_test(test_atom_html_title_and_summary_only),
		cmocka_unit_test(test_atom03_escaped_content_and_issued),
		cmocka_unit_test(test_rank_does_not_depend_on_order),
		cmocka_unit_test(test_undeclared_prefix_is_understood),
		cmocka_unit_test(test_unescaped_html_in_description_becomes_text),
		cmocka_unit_test(test_malformed_xml_keeps_items_and_warns_with_line),
		cmocka_unit_test(test_unclosed_tags_keep_earlier_items),
		cmocka_unit_test(test_not_a_feed_is_an_error),
		cmocka_unit_test(test_json_feed_is_dispatched),
		cmocka_unit_test(test_atom_link_without_rel_and_source_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
