/* test_parse_hostile.c: entity bombs, XXE, deep nesting, huge fields, item floods, truncation and junk stay bounded and quiet. */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"
#include "parse/parse.h"
#include "tests/unit/support/test_support.h"

#define FEED_URL	"https://hostile.example/rss.xml"

/* A growing string for building hostile documents. */
struct text {
	char	*s;
	size_t	 len;
	size_t	 size;
};

static void
text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->size) {
		t->size = (t->len + n + 1) * 2;
		t->s = xrealloc(t->s, t->size);
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* True when every string of the feed is free of needle. */
static int
feed_lacks(const struct parsed_feed *feed, const char *needle)
{
	size_t i;

	if ((feed->title != NULL && strstr(feed->title, needle) != NULL) ||
	    (feed->warning != NULL && strstr(feed->warning, needle) != NULL))
		return 0;
	for (i = 0; i < feed->nitems; i++) {
		if (strstr(feed->items[i].title, needle) != NULL ||
		    strstr(feed->items[i].text, needle) != NULL ||
		    strstr(feed->items[i].id, needle) != NULL)
			return 0;
	}
	return 1;
}

/* Total bytes of item text, to show nothing was blown up. */
static size_t
feed_text_bytes(const struct parsed_feed *feed)
{
	size_t i, n = 0;

	for (i = 0; i < feed->nitems; i++)
		n += strlen(feed->items[i].title) + strlen(feed->items[i].text);
	return n;
}

/* True when s is valid UTF-8. */
static int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	while (*p != '\0') {
		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xe0) == 0xc0)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0)
			n = 3;
		else
			return 0;
		for (p++; n > 0; n--, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
		}
	}
	return 1;
}

static void
test_billion_laughs_is_not_expanded(void **state)
{
	struct parsed_feed *feed = NULL;
	char *buf, *cause = NULL;
	size_t len;

	buf = test_fixture("parse/billion-laughs.xml", &len);
	assert_int_equal(parse_feed(buf, len, FEED_URL, NULL, NULL, &feed,
	    &cause), 0);
	assert_int_equal(feed->nitems, 2);
	assert_string_equal(feed->items[0].title, "Safe item");
	assert_true(feed_lacks(feed, "lollol"));
	assert_true(feed_text_bytes(feed) < 200);
	assert_non_null(feed->warning);
	parse_feed_free(feed);
	free(buf);
}

static void
test_xxe_never_reads_a_file(void **state)
{
	struct parsed_feed *feed = NULL;
	char *buf, *cause = NULL;
	size_t len;

	buf = test_fixture("parse/xxe.xml", &len);
	assert_int_equal(parse_feed(buf, len, FEED_URL, NULL, NULL, &feed,
	    &cause), 0);
	assert_int_equal(feed->nitems, 1);
	assert_true(feed_lacks(feed, "root:"));
	assert_string_equal(feed->items[0].url, "https://xxe.example/1");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
	free(buf);
}

static void
test_external_dtd_is_not_loaded(void **state)
{
	const char *xml = "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss SYSTEM \"file:///etc/passwd\">\n"
	    "<rss><channel><title>t</title><item><title>i &xxe;</title>"
	    "</item></channel></rss>";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(xml, strlen(xml), FEED_URL, NULL, NULL,
	    &feed, &cause), 0);
	assert_true(feed_lacks(feed, "root:"));
	parse_feed_free(feed);
}

static void
test_deep_nesting_is_bounded(void **state)
{
	struct parsed_feed *feed = NULL;
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct text t = { NULL, 0, 0 };
	char *cause = NULL;
	int i;

	limits.max_depth = 16;
	text_add(&t, "<rss><channel><item><title>first</title></item><item>"
	    "<title>deep</title><description>");
	for (i = 0; i < 100; i++)
		text_add(&t, "<div>");
	text_add(&t, "bottom");
	for (i = 0; i < 100; i++)
		text_add(&t, "</div>");
	text_add(&t, "</description></item><item><title>after</title></item>"
	    "</channel></rss>");
	assert_int_equal(parse_feed(t.s, t.len, FEED_URL, NULL, &limits,
	    &feed, &cause), 0);
	assert_int_equal(feed->nitems, 3);
	assert_string_equal(feed->items[2].title, "after");
	assert_non_null(strstr(feed->warning, "deeper than 16"));
	parse_feed_free(feed);
	free(t.s);
}

static void
test_runaway_nesting_keeps_earlier_items(void **state)
{
	struct parsed_feed *feed = NULL;
	struct text t = { NULL, 0, 0 };
	char *cause = NULL;
	int i;

	text_add(&t, "<rss><channel><item><title>first</title></item><item>");
	for (i = 0; i < 100000; i++)
		text_add(&t, "<a>");
	assert_int_equal(parse_feed(t.s, t.len, FEED_URL, NULL, NULL, &feed,
	    &cause), 0);
	assert_true(feed->nitems >= 1);
	assert_string_equal(feed->items[0].title, "first");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
	free(t.s);
}

static void
test_huge_field_is_cut_at_a_character(void **state)
{
	struct parsed_feed *feed = NULL;
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct text t = { NULL, 0, 0 };
	char *cause = NULL;
	int i;

	limits.max_field = 1001;
	text_add(&t, "<rss><channel><item><title>");
	/* Two-byte characters: an odd limit falls inside one. */
	for (i = 0; i < 100000; i++)
		text_add(&t, "\xd0\x96");
	text_add(&t, "</title><description>");
	for (i = 0; i < 100000; i++)
		text_add(&t, "&lt;p&gt;para&lt;/p&gt;");
	text_add(&t, "</description></item></channel></rss>");
	assert_int_equal(parse_feed(t.s, t.len, FEED_URL, NULL, &limits,
	    &feed, &cause), 0);
	assert_int_equal(feed->nitems, 1);
	assert_true(strlen(feed->items[0].title) <= 1001);
	assert_true(strlen(feed->items[0].title) >= 900);
	assert_true(utf8_valid(feed->items[0].title));
	assert_true(strlen(feed->items[0].text) <= 1001);
	assert_true(utf8_valid(feed->items[0].text));
	parse_feed_free(feed);
	free(t.s);
}

static void
test_too_many_items_keeps_the_first(void **state)
{
	struct parsed_feed *feed = NULL;
	struct parse_limits limits = PARSE_LIMITS_DEFAULT;
	struct text t = { NULL, 0, 0 };
	char *cause = NULL, item[64];
	int i;

	limits.max_items = 3;
	text_add(&t, "<rss><channel>");
	for (i = 0; i < 1000; i++) {
		snprintf(item, sizeof item, "<item><title>n%d</title></item>", i);
		text_add(&t, item);
	}
	text_add(&t, "</channel></rss>");
	assert_int_equal(parse_feed(t.s, t.len, FEED_URL, NULL, &limits,
	    &feed, &cause), 0);
	assert_int_equal(feed->nitems, 3);
	assert_string_equal(feed->items[2].title, "n2");
	assert_non_null(strstr(feed->warning, "more than 3"));
	parse_feed_free(feed);
	free(t.s);
}

static void
test_truncated_feed_keeps_complete_items(void **state)
{
	struct parsed_feed *feed = NULL;
	char *buf, *cut, *cause = NULL;
	size_t len;

	buf = test_fixture("parse/rss20.xml", &len);
	/* Cut inside the third item. */
	cut = strstr(buf, "No identity");
	assert_non_null(cut);
	assert_int_equal(parse_feed(buf, (size_t)(cut - buf), FEED_URL, NULL,
	    NULL, &feed, &cause), 0);
	assert_int_equal(feed->nitems, 2);
	assert_string_equal(feed->items[1].title, "Prices rise & fall");
	assert_non_null(feed->warning);
	parse_feed_free(feed);
	free(buf);
}

static void
test_empty_input_is_an_error(void **state)
{
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed("", 0, FEED_URL, NULL, NULL, &feed,
	    &cause), -1);
	assert_null(feed);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(parse_feed(" \n\t ", 4, FEED_URL, NULL, NULL, &feed,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
test_garbage_text_is_an_error(void **state)
{
	const char *junk = "this is not XML at all, just words";
	struct parsed_feed *feed = NULL;
	char *cause = NULL;

	assert_int_equal(parse_feed(junk, strlen(junk), FEED_URL, NULL, NULL,
	    &feed, &cause), -1);
	assert_null(feed);
	assert_non_null(strstr(cause, "not a feed"));
	free(cause);
}

static void
test_binary_junk_is_an_error(void **state)
{
	struct parsed_feed *feed = NULL;
	unsigned char junk[4096];
	uint32_t x = 2463534242u;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof junk; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	junk[0] = 0x89;		/* PNG-like, never '<' or '{' */
	assert_int_equal(parse_feed((char *)junk, sizeof junk, FEED_URL, NULL,
	    NULL, &feed, &cause), -1);
	assert_null(feed);
	assert_non_null(cause);
	free(cause);
}

static void
test_libxml2_prints_nothing(void **state)
{
	const char *docs[] = {
		"<rss><channel><item><title>a & b &nosuch; </item></rss>",
		"<?xml version=\"1.0\" encoding=\"bogus-charset\"?><rss><x",
		"\xff\xfe\x00\x00garbage",
		"<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><x/>",
	};
	struct parsed_feed *feed;
	char path[] = "/tmp/ww-test-stderr-XXXXXX", *cause, buf[64];
	int fd, saved;
	size_t i;
	ssize_t n;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		feed = NULL;
		cause = NULL;
		if (parse_feed(docs[i], strlen(docs[i]) + (i == 2 ? 4 : 0),
		    FEED_URL, NULL, NULL, &feed, &cause) == 0)
			parse_feed_free(feed);
		free(cause);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof buf, 0);
	close(fd);
	unlink(path);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_billion_laughs_is_not_expanded),
		cmocka_unit_test(test_xxe_never_reads_a_file),
		cmocka_unit_test(test_external_dtd_is_not_loaded),
		cmocka_unit_test(test_deep_nesting_is_bounded),
		cmocka_unit_test(test_runaway_nesting_keeps_earlier_items),
		cmocka_unit_test(test_huge_field_is_cut_at_a_character),
		cmocka_unit_test(test_too_many_items_keeps_the_first),
		cmocka_unit_test(test_truncated_feed_keeps_complete_items),
		cmocka_unit_test(test_empty_input_is_an_error),
		cmocka_unit_test(test_garbage_text_is_an_error),
		cmocka_unit_test(test_binary_junk_is_an_error),
		cmocka_unit_test(test_libxml2_prints_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
