/* test_parse_item.c: item identity, link resolution and UTF-8 clipping shared by every feed format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "parse/parse_internal.h"

/* Resolves and compares (want NULL: no usable URL). */
static void
check_url(const char *base, const char *ref, const char *want)
{
	char *got = parse_resolve_url(base, ref);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_item_links_resolve_against_base(void **state)
{
	check_url("https://a.example/feed/rss.xml", "/x/y?a=1&b=2",
	    "https://a.example/x/y?a=1&b=2");
	check_url("https://a.example/feed/", "story.html",
	    "https://a.example/feed/story.html");
	check_url("https://a.example/a/b", "../c#frag", "https://a.example/c#frag");
	check_url("http://a.example/", "//cdn.b.example/x", "http://cdn.b.example/x");
	check_url("https://a.example/", "  https://b.example/\n ",
	    "https://b.example/");
	check_url(NULL, "https://b.example/x", "https://b.example/x");
}

static void
test_item_links_with_spaces_or_non_ascii_are_escaped(void **state)
{
	check_url("https://a.example/f/", "b c", "https://a.example/f/b%20c");
	check_url(NULL, "https://ru.example/новости",
	    "https://ru.example/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8");
}

static void
test_item_links_other_than_http_are_dropped(void **state)
{
	check_url("https://a.example/", "javascript:alert(1)", NULL);
	check_url("https://a.example/", "JavaScript:alert(1)", NULL);
	check_url("https://a.example/", "data:text/html,x", NULL);
	check_url("https://a.example/", "mailto:x@a.example", NULL);
	check_url("https://a.example/", "file:///etc/passwd", NULL);
	check_url("https://a.example/", "http://", NULL);
	check_url(NULL, "relative/only", NULL);
	check_url("https://a.example/", "", NULL);
	check_url("https://a.example/", "   ", NULL);
	check_url("https://a.example/", NULL, NULL);
}

/* Clips and compares. */
static void
check_clip(const char *in, size_t max, const char *want)
{
	char *got = parse_utf8_clip(in, strlen(in), max);

	assert_string_equal(got, want);
	assert_true(strlen(got) <= max);
	free(got);
}

static void
test_item_clip_cuts_at_a_character_boundary(void **state)
{
	check_clip("abcdef", 4, "abcd");
	check_clip("héllo", 2, "h");
	check_clip("héllo", 3, "hé");
	check_clip("€€", 5, "€");
	check_clip("€€", 6, "€€");
	check_clip("\xf0\x9f\x93\xb9x", 3, "");
	check_clip("", 10, "");
}

static void
test_item_clip_repairs_invalid_utf8(void **state)
{
	check_clip("a\xff" "b", 100, "a\xef\xbf\xbd" "b");
	check_clip("a\xe2\x82", 100, "a\xef\xbf\xbd");
	check_clip("\xc0\xaf", 100, "\xef\xbf\xbd");
	check_clip("\xed\xa0\x80", 100, "\xef\xbf\xbd");
	check_clip("\xf4\x90\x80\x80z", 100, "\xef\xbf\xbdz");
	check_clip("\xff\xff", 5, "\xef\xbf\xbd");
}

static void
test_item_clip_drops_nul_bytes(void **state)
{
	char *got = parse_utf8_clip("a\0b", 3, 10);

	assert_string_equal(got, "ab");
	free(got);
}

static void
test_item_identity_prefers_id_then_link_then_hash(void **state)
{
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct parsed_feed *feed = xcalloc(1, sizeof *feed);
	struct parsed_item *it;
	char first[64];

	it = parse_item_add(feed, &limits);
	it->id = xstrdup("guid-1");
	it->url = xstrdup("https://a.example/1");
	parse_item_finish(it, "https://a.example/rss");
	assert_string_equal(feed->items[0].id, "guid-1");

	it = parse_item_add(feed, &limits);
	it->id = xstrdup("  ");
	it->url = xstrdup("https://a.example/2");
	parse_item_finish(it, "https://a.example/rss");
	assert_string_equal(feed->items[1].id, "https://a.example/2");

	it = parse_item_add(feed, &limits);
	it->title = xstrdup("Headline");
	it->published = 1732528800;
	parse_item_finish(it, "https://a.example/rss");
	assert_memory_equal(feed->items[2].id, "hash:", 5);
	assert_int_equal(strlen(feed->items[2].id), 21);
	assert_string_equal(feed->items[2].text, "");
	snprintf(first, sizeof first, "%s", feed->items[2].id);

	/* The same title and date elsewhere, or another date, differ. */
	it = parse_item_add(feed, &limits);
	it->title = xstrdup("Headline");
	it->published = 1732528800;
	parse_item_finish(it, "https://b.example/rss");
	assert_string_not_equal(feed->items[3].id, first);
	it = parse_item_add(feed, &limits);
	it->title = xstrdup("Headline");
	it->published = 1732528801;
	parse_item_finish(it, "https://a.example/rss");
	assert_string_not_equal(feed->items[4].id, first);
	/* And the same again is the same: stable across polls. */
	it = parse_item_add(feed, &limits);
	it->title = xstrdup("Headline");
	it->published = 1732528800;
	parse_item_finish(it, "https://a.example/rss");
	assert_string_equal(feed->items[5].id, first);
	assert_string_equal(feed->items[5].title, "Headline");
	parse_feed_free(feed);
}

static void
test_item_limit_stops_adding_and_warns_once(void **state)
{
	struct parse_limits limits = { 40, 100, 10 };
	struct parsed_feed *feed = xcalloc(1, sizeof *feed);
	struct parsed_item *it;
	int i;

	for (i = 0; i < 40; i++) {
		it = parse_item_add(feed, &limits);
		assert_non_null(it);
		assert_int_equal(it->published, -1);
		assert_int_equal(it->updated, -1);
		parse_item_finish(it, NULL);
	}
	assert_null(feed->warning);
	assert_null(parse_item_add(feed, &limits));
	assert_null(parse_item_add(feed, &limits));
	assert_int_equal(feed->nitems, 40);
	assert_string_equal(feed->warning, "more than 40 items, the rest ignored");
	parse_feed_warn(feed, "later %d", 2);
	assert_string_equal(feed->warning, "more than 40 items, the rest ignored");
	parse_feed_free(feed);
	parse_feed_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_links_resolve_against_base),
		cmocka_unit_test(test_item_links_with_spaces_or_non_ascii_are_escaped),
		cmocka_unit_test(test_item_links_other_than_http_are_dropped),
		cmocka_unit_test(test_item_clip_cuts_at_a_character_boundary),
		cmocka_unit_test(test_item_clip_repairs_invalid_utf8),
		cmocka_unit_test(test_item_clip_drops_nul_bytes),
		cmocka_unit_test(test_item_identity_prefers_id_then_link_then_hash),
		cmocka_unit_test(test_item_limit_stops_adding_and_warns_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
