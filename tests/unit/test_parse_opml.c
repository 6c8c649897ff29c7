/* test_parse_opml.c: OPML subscription lists are read flat and written back as OPML 2.0. */
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

/* Parses text that must be OPML. */
static struct opml_outline *
opml_ok(const char *text, size_t *count)
{
	struct opml_outline *o = NULL;
	char *cause = NULL;

	if (parse_opml(text, strlen(text), &o, count, &cause) != 0)
		print_error("parse_opml: %s\n", cause);
	assert_null(cause);
	return o;
}

/* Parses text that must be refused; returns the cause. */
static char *
opml_fails(const char *text)
{
	struct opml_outline *o = NULL;
	size_t count = 99;
	char *cause = NULL;

	assert_int_equal(parse_opml(text, strlen(text), &o, &count, &cause),
	    -1);
	assert_null(o);
	assert_int_equal(count, 0);
	assert_non_null(cause);
	return cause;
}

static void
test_opml_nested_folders_are_flattened(void **state)
{
	size_t n;
	struct opml_outline *o = opml_ok(
	    "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>t</title></head><body>"
	    "<outline text=\"World\">"
	    "  <outline text=\"Wire\" type=\"rss\" xmlUrl=\"https://wire.example/rss\""
	    "   htmlUrl=\"https://wire.example/\" language=\"en\"/>"
	    "  <outline text=\"Deeper\"><outline text=\"Известия\" type=\"rss\""
	    "   xmlUrl=\"https://iz.ru/xml/rss/all.xml\"/></outline>"
	    "</outline>"
	    "<outline title=\"Atom one\" type=\"atom\" xmlUrl=\"https://a.example/atom\"/>"
	    "<outline text=\"No type\" xmlUrl=\"http://b.example/feed\"/>"
	    "</body></opml>", &n);

	assert_int_equal(n, 4);
	assert_string_equal(o[0].title, "Wire");
	assert_string_equal(o[0].url, "https://wire.example/rss");
	assert_string_equal(o[0].html_url, "https://wire.example/");
	assert_string_equal(o[0].language, "en");
	assert_string_equal(o[1].title, "Известия");
	assert_string_equal(o[1].url, "https://iz.ru/xml/rss/all.xml");
	assert_null(o[1].html_url);
	assert_string_equal(o[2].title, "Atom one");
	assert_string_equal(o[3].url, "http://b.example/feed");
	parse_opml_free(o, n);
}

static void
test_opml_outlines_that_are_not_feeds_are_skipped(void **state)
{
	size_t n;
	struct opml_outline *o = opml_ok(
	    "<opml version=\"2.0\"><body>"
	    "<outline text=\"folder\"/>"
	    "<outline text=\"link\" type=\"link\" url=\"https://x.example/\"/>"
	    "<outline text=\"include\" type=\"include\" xmlUrl=\"https://x.example/a.opml\"/>"
	    "<outline text=\"script\" xmlUrl=\"javascript:alert(1)\"/>"
	    "<outline text=\"file\" xmlUrl=\"file:///etc/passwd\"/>"
	    "<outline text=\"ok\" type=\"RSS\" xmlUrl=\" https://ok.example/rss \"/>"
	    "<outline text=\"feed scheme\" xmlUrl=\"feed://f.example/rss\"/>"
	    "<outline text=\"feed https\" xmlUrl=\"feed:https://g.example/rss\"/>"
	    "</body></opml>", &n);

	assert_int_equal(n, 3);
	assert_string_equal(o[0].url, "https://ok.example/rss");
	assert_string_equal(o[1].url, "http://f.example/rss");
	assert_string_equal(o[2].url, "https://g.example/rss");
	parse_opml_free(o, n);
}

static void
test_opml_written_list_reads_back_the_same(void **state)
{
	struct opml_outline in[] = {
		{ "Quotes \" & <angles> 'and' ampersands",
		    "https://a.example/rss?x=1&y=2", "https://a.example/", "en" },
		{ "Известия\nline", "https://iz.ru/xml/rss/all.xml", NULL, "ru" },
		{ NULL, "https://untitled.example/feed", NULL, NULL },
	};
	struct opml_outline *out;
	size_t n, i;
	char *doc;

	doc = parse_opml_write(in, 3, "My \"feeds\" & more");
	assert_non_null(strstr(doc, "<opml version=\"2.0\">"));
	assert_non_null(strstr(doc, "encoding=\"UTF-8\""));
	assert_non_null(strstr(doc, "&amp; more</title>"));
	out = opml_ok(doc, &n);
	assert_int_equal(n, 3);
	for (i = 0; i < 2; i++) {
		assert_string_equal(out[i].title, in[i].title);
		assert_string_equal(out[i].url, in[i].url);
		assert_string_equal(out[i].language, in[i].language);
	}
	assert_string_equal(out[0].html_url, in[0].html_url);
	assert_null(out[1].html_url);
	/* OPML 2.0 requires text; an untitled feed shows its URL. */
	assert_string_equal(out[2].title, in[2].url);
	parse_opml_free(out, n);
	free(doc);
}

static void
test_opml_empty_list_writes_a_valid_document(void **state)
{
	struct opml_outline *out;
	size_t n;
	char *doc;

	doc = parse_opml_write(NULL, 0, NULL);
	out = opml_ok(doc, &n);
	assert_int_equal(n, 0);
	parse_opml_free(out, n);
	free(doc);
}

static void
test_opml_hostile_entities_are_not_expanded(void **state)
{
	static const char *laughs =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE opml [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n"
	    "<opml version=\"2.0\"><body>"
	    "<outline text=\"&lol9;\" xmlUrl=\"https://x.example/rss\"/>"
	    "</body></opml>";
	static const char *xxe =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE opml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
	    "<opml version=\"2.0\"><body>"
	    "<outline text=\"a\" xmlUrl=\"https://x.example/rss\">&xxe;</outline>"
	    "<outline text=\"b&xxe;\" xmlUrl=\"https://y.example/rss\"/>"
	    "</body></opml>";
	struct opml_outline *o = NULL;
	size_t n = 0;
	char *cause = NULL;

	/* A DTD's entities are undefined to us: the documents are refused,
	 * quickly, and the cause shows no expansion or file content. */
	assert_int_equal(parse_opml(laughs, strlen(laughs), &o, &n, &cause),
	    -1);
	assert_true(strlen(cause) < 200);
	assert_non_null(strstr(cause, "lol9"));
	free(cause);
	cause = NULL;
	assert_int_equal(parse_opml(xxe, strlen(xxe), &o, &n, &cause), -1);
	assert_null(strstr(cause, "root:"));
	assert_non_null(strstr(cause, "xxe"));
	free(cause);
}

static void
test_opml_other_documents_are_refused_with_a_reason(void **state)
{
	char *cause;

	cause = opml_fails("<rss version=\"2.0\"><channel/></rss>");
	assert_non_null(strstr(cause, "not an OPML"));
	free(cause);
	cause = opml_fails("<opml>\n<body>\n<outline text=\"x\">\n</body></opml>");
	assert_non_null(strstr(cause, "line"));
	free(cause);
	free(opml_fails(""));
	free(opml_fails("not xml at all"));
}

static void
test_opml_too_many_feeds_are_refused(void **state)
{
	char *doc, *p, *cause;
	size_t i, n = 10001;

	doc = p = xmalloc(n * 64 + 64);
	p += sprintf(p, "<opml><body>");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<outline xmlUrl=\"https://x.example/%zu\"/>", i);
	sprintf(p, "</body></opml>");
	cause = opml_fails(doc);
	assert_non_null(strstr(cause, "10000"));
	free(cause);
	free(doc);
}

static void
test_opml_oversized_file_is_refused(void **state)
{
	struct opml_outline *o = NULL;
	size_t n, len = 5 * 1024 * 1024;
	char *doc = xcalloc(1, len), *cause = NULL;

	assert_int_equal(parse_opml(doc, len, &o, &n, &cause), -1);
	assert_non_null(strstr(cause, "MB"));
	free(cause);
	free(doc);
}

static void
test_opml_parser_prints_nothing_on_stderr(void **state)
{
	char path[] = "/tmp/test_parse_opml.XXXXXX";
	int fd, saved;
	off_t size;

	fflush(stderr);
	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	free(opml_fails("<opml><body><outline text=\"&undefined;\"></opml>"));
	free(opml_fails("<opml \xff\xfe"));
	free(opml_fails("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>"
	    "<opml><body><outline text=\"\xff\xfe\x80\"/></body></opml>"));
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	assert_int_equal(size, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opml_nested_folders_are_flattened),
		cmocka_unit_test(test_opml_outlines_that_are_not_feeds_are_skipped),
		cmocka_unit_test(test_opml_written_list_reads_back_the_same),
		cmocka_unit_test(test_opml_empty_list_writes_a_valid_document),
		cmocka_unit_test(test_opml_hostile_entities_are_not_expanded),
		cmocka_unit_test(test_opml_other_documents_are_refused_with_a_reason),
		cmocka_unit_test(test_opml_too_many_feeds_are_refused),
		cmocka_unit_test(test_opml_oversized_file_is_refused),
		cmocka_unit_test(test_opml_parser_prints_nothing_on_stderr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
