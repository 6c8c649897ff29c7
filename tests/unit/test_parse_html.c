/* test_parse_html.c: HTML fragments of titles and descriptions become clean text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/common.h"
#include "parse/parse.h"
#include "parse/parse_internal.h"
#include "tests/unit/support/test_support.h"

/* Converts a NUL terminated fragment and checks the text. */
static void
check_text(const char *html, const char *want)
{
	char *got = parse_html_to_text(html, strlen(html));

	if (strcmp(got, want) != 0)
		print_error("input: [%s]\nwant:  [%s]\ngot:   [%s]\n", html,
		    want, got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_html_script_and_style_content_dropped(void **state)
{
	check_text("<script>alert('x'); var a = 1 < 2;</script>Visible"
	    "<style>p { color: red }</style> text", "Visible text");
	check_text("<p>Before</p><script type=\"text/javascript\">"
	    "document.write('<p>injected</p>')</script><p>After</p>",
	    "Before\n\nAfter");
	check_text("<noscript>Enable JavaScript</noscript>Story", "Story");
	check_text("<iframe src=\"https://v.example/1\">fallback</iframe>"
	    "Caption", "Caption");
}

static void
test_html_named_numeric_and_hex_entities_decoded(void **state)
{
	check_text("<p>AT&amp;T &lt;b&gt; &quot;q&quot; &apos;a&apos;</p>",
	    "AT&T <b> \"q\" 'a'");
	check_text("<b>Caf&eacute; &mdash; &laquo;&#1052;&#x418;&#x440;&raquo;"
	    "</b>", "Café — «МИр»");
	check_text("AT&amp;T &copy; 2024 &hellip; &euro;5", "AT&T © 2024 … €5");
	check_text("&#8220;Quoted&#8221; &#x2014; &#X2014;",
	    "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 \xe2\x80\x94");
}

static void
test_html_unknown_or_unterminated_entities_kept_as_written(void **state)
{
	check_text("R&D &foo; Q&A &amp", "R&D &foo; Q&A &amp");
	check_text("<i>R&D &foo; Q&A &amp</i>", "R&D &foo; Q&A &amp");
}

static void
test_html_windows1252_char_refs_become_their_characters(void **state)
{
	/* Feeds in windows-1252 write &#150; for an en dash. */
	check_text("1990&#150;2000 &#147;q&#148;",
	    "1990\xe2\x80\x93" "2000 \xe2\x80\x9cq\xe2\x80\x9d");
	check_text("<p>1990&#150;2000</p>", "1990\xe2\x80\x93" "2000");
}

static void
test_html_block_elements_become_paragraphs(void **state)
{
	check_text("<p>One</p><p>Two</p>", "One\n\nTwo");
	check_text("<div>One<div>Two</div></div>Three", "One\n\nTwo\n\nThree");
	check_text("<ul><li>a</li><li>b</li></ul>", "a\n\nb");
	check_text("<h2>Head</h2>Body<blockquote>Quote</blockquote>",
	    "Head\n\nBody\n\nQuote");
	check_text("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr>"
	    "</table>", "1 2\n\n3");
}

static void
test_html_br_is_a_line_and_two_br_a_paragraph(void **state)
{
	check_text("one<br>two<br/>three", "one\ntwo\nthree");
	check_text("one<br><br>two", "one\n\ntwo");
	check_text("one<br> <br />two", "one\n\ntwo");
}

static void
test_html_no_leading_trailing_or_repeated_breaks(void **state)
{
	check_text("<p></p><p> </p><div><p>x</p></div><p></p><br>", "x");
	check_text("<br><br>a<br><br><br><br>b<br>", "a\n\nb");
	check_text("<p>", "");
}

static void
test_html_whitespace_collapsed_and_trimmed(void **state)
{
	check_text("  a \t\n b  ", "a b");
	check_text("<p>\n  a \t\n <b> b </b> c\n</p>", "a b c");
	check_text("<b>bold</b> <i>italic</i>", "bold italic");
	check_text("<b>joined</b><i>word</i>", "joinedword");
}

static void
test_html_inline_elements_do_not_split_text(void **state)
{
	check_text("<b>bold</b> text", "bold text");
	check_text("<a href=\"https://x.example/\">link</a> tail", "link tail");
	check_text("<img src=\"x.jpg\" alt=\"photo\">Caption", "Caption");
	check_text("x<!-- comment -->y", "xy");
}

static void
test_html_malformed_markup_keeps_its_text(void **state)
{
	check_text("broken <b>bold <i>both</b> rest", "broken bold both rest");
	check_text("<p>unclosed <div>block", "unclosed\n\nblock");
	check_text("a < b and c > d", "a < b and c > d");
	check_text("<", "<");
	check_text("</p></div>text", "text");
	check_text("<p attr=\"unterminated>text</p>", "");
}

static void
test_html_cyrillic_and_arabic_text_intact(void **state)
{
	check_text("<p>Москва намерена продолжать работу</p>"
	    "<p>مرحبا بالعالم</p>",
	    "Москва намерена продолжать работу\n\nمرحبا بالعالم");
	check_text("Максим  Харкин", "Максим Харкин");
	check_text("<p>שלום &amp; עולם</p>", "שלום & עולם");
}

static void
test_html_meta_charset_in_a_fragment_is_ignored(void **state)
{
	check_text("<meta charset=\"iso-8859-1\"><p>Ünïcödé</p>", "Ünïcödé");
}

static void
test_html_invalid_utf8_repaired(void **state)
{
	check_text("a\xff" "b", "a\xef\xbf\xbd" "b");
	check_text("a\xe2\x82", "a\xef\xbf\xbd");
	check_text("<p>a\xff" "b</p>", "a\xef\xbf\xbd" "b");
	/* U+FFFF is well-formed UTF-8 but no XML character. */
	check_text("<p>a\xef\xbf\xbf" "b</p>", "ab");
}

static void
test_html_nul_byte_reads_as_a_space(void **state)
{
	char *got;

	got = parse_html_to_text("a\0b", 3);
	assert_string_equal(got, "a b");
	free(got);
	got = parse_html_to_text("<b>a\0b</b>", 11);
	assert_string_equal(got, "a b");
	free(got);
	got = parse_html_to_text("<b>a\0\xff" "b</b>", 12);
	assert_string_equal(got, "a \xef\xbf\xbd" "b");
	free(got);
}

/* Text without tags, read by our own decoder, must give what libxml2's
 * parser gives for the same text inside a <span>. */
static void
test_html_fast_path_matches_parser_on_plain_text(void **state)
{
	static const char *texts[] = {
		"Israel approves Gaza ceasefire deal",
		"  spaced \t out\n\ntext  ",
		"Максим Харкин: «переговоры продолжаются»",
		"AT&amp;T &lt;tag&gt; &quot;q&quot; &apos;s &nbsp;x",
		"&mdash;&ndash;&hellip;&laquo;&raquo;&lsquo;&rsquo;&ldquo;"
		    "&rdquo;&bull;&middot;&copy;&reg;&trade;&euro;&shy;",
		"&eacute;&Agrave;&alpha;&Omega;&frac12;&sup2;&thinsp;&zwj;",
		"&#65;&#x42;&#X43;&#150;&#0;&#1;&#x7f;&#xD800;&#x110000;&#;&#x;",
		"&#9&#10&#13 &#32x &#65",
		"R&D &foo; Q&A &amp &AMP; &Amp; &amp;amp; & &",
		"a\xff" "b \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 end",
		"\xc2\x85 \xc2\x96 \xc2\x81 \xc2\xa0 nbsp",
		"a\xef\xbf\xbf" "b\xef\xbf\xbe \xef\xbb\xbf \xef\xbf\xbd nonchars",
		"\x01\x02 ctl \x7f del",
		"",
		"   ",
	};
	char *fast, *slow, *wrapped;
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		fast = parse_html_to_text(texts[i], strlen(texts[i]));
		xasprintf(&wrapped, "<span>%s</span>", texts[i]);
		slow = parse_html_to_text_libxml2(wrapped, strlen(wrapped));
		if (strcmp(fast, slow) != 0)
			print_error("input: [%s]\nfast: [%s]\nslow: [%s]\n",
			    texts[i], fast, slow);
		assert_string_equal(fast, slow);
		free(fast);
		free(slow);
		free(wrapped);
	}
}

static void
test_html_length_not_nul_terminates_input(void **state)
{
	char *got;

	got = parse_html_to_text("<p>abc</p>tail", 10);
	assert_string_equal(got, "abc");
	free(got);
	got = parse_html_to_text("plain tail", 5);
	assert_string_equal(got, "plain");
	free(got);
	got = parse_html_to_text(NULL, 0);
	assert_string_equal(got, "");
	free(got);
}

static void
test_html_parser_prints_nothing_on_stderr(void **state)
{
	static const char *bad[] = {
		"<p>unclosed <b><i>mis</b>nested</i> &bogus; <//p> <p a=>",
		("<!DOCTYPE html><html><head><title>t</title></head><body>"
		    "<p>x</p></body></html></html></body>"),
		"<\xff\xfe><p>\xc0\xaf</p><![CDATA[x]]><?pi x?>",
	};
	char path[] = "/tmp/test_parse_html.XXXXXX", *got;
	int fd, saved;
	off_t size;
	size_t i;

	fflush(stderr);
	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		got = parse_html_to_text(bad[i], strlen(bad[i]));
		free(got);
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	assert_int_equal(size, 0);
}

static void
test_html_large_deeply_nested_input_is_handled(void **state)
{
	size_t n = 100000, i;
	char *html = xmalloc(n * 3 + 16), *got;

	for (i = 0; i < n; i++)
		memcpy(html + i * 3, "<b>", 3);
	strcpy(html + n * 3, "deep");
	got = parse_html_to_text(html, strlen(html));
	assert_string_equal(got, "deep");
	free(got);
	free(html);
}

/* Many distinct element names (hostile markup) must not grow the reused
 * parser's dictionary without bound; the text stays right throughout. */
static void
test_html_many_distinct_tags_still_parse(void **state)
{
	char html[64], *got;
	int i;

	for (i = 0; i < 20000; i++) {
		snprintf(html, sizeof html, "<x%d>word%d</x%d>", i, i, i);
		got = parse_html_to_text(html, strlen(html));
		snprintf(html, sizeof html, "word%d", i);
		assert_string_equal(got, html);
		free(got);
	}
}

/* Converts with the shortcut and with libxml2 alone; both must agree.
 * Returns 1 when they do (and prints the case when they do not). */
static int
same_as_libxml2(const char *html, size_t len)
{
	char *fast = parse_html_to_text(html, len);
	char *slow = parse_html_to_text_libxml2(html, len);
	int same = strcmp(fast, slow) == 0;

	if (!same)
		print_error("input: [%.*s]\nshortcut: [%s]\nlibxml2:  [%s]\n",
		    (int)len, html, fast, slow);
	free(fast);
	free(slow);
	return same;
}

/* Markup whose reading depends on how libxml2 closes elements itself. */
static void
test_html_shortcut_follows_libxml2_on_implied_and_misplaced_tags(void **state)
{
	static const struct {
		const char	*html;
		const char	*want;
	} cases[] = {
		{ "text</p>more", "text\n\nmore" },	/* implied <p> */
		{ "<b>x</b></p>y", "xy" },		/* stray </p> ignored */
		{ "<i>a<p>b</i>c", "a\n\nbc" },		/* <p> closes <i> */
		{ "<p>x<b>y</p>z", "xy\n\nz" },
		{ "<div><b>x</div>y", "x\n\ny" },
		{ "<ul><li>a<li>b</ul>c", "a\n\nb\n\nc" },
		{ "<table><tr><td>a<td>b<tr><td>c</table>d", "a b\n\nc\n\nd" },
		{ "<p>a<script>x</script>b</p>c", "ab\n\nc" },
		{ "<p>a<script>x</b>y</script>b</p>", "ab" },
		{ "<p>a<!-- c -->b</p>", "ab" },
		{ "<p/>x", "x" },
		{ "<P CLASS=x>Upper</P>case", "Upper\n\ncase" },
		{ "<a href=\"x>y\" title='a<b'>t</a>", "t" },
		{ "<wbr>a<li>b", "a\n\nb" },
		{ "<3 love", "<\n\n3 love" },	/* libxml2's reading, kept */
	};
	static const char nul_in_tag[] = "<p>a <a hrmf=\0\0\"x>y\xd8</a>";
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_text(cases[i].html, cases[i].want);
		assert_true(same_as_libxml2(cases[i].html,
		    strlen(cases[i].html)));
	}
	assert_true(same_as_libxml2(nul_in_tag, sizeof nul_in_tag - 1));
}

/* A small xorshift generator, so the random markup is the same on every
 * run. */
static uint64_t
fuzz_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random markup from pieces that exercise what the shortcut must read
 * the way libxml2 does: tags that close others, misplaced end tags, void
 * and unknown elements, attributes with '<' and '>', comments, script,
 * references, stray '<', control characters. */
static void
test_html_shortcut_matches_libxml2_on_random_markup(void **state)
{
	static const char *names[] = { "a", "b", "i", "em", "span", "p",
	    "div", "h1", "ul", "ol", "li", "blockquote", "pre", "table",
	    "tr", "td", "th", "tbody", "caption", "dl", "dt", "dd", "br",
	    "img", "hr", "wbr", "center", "address", "font", "u", "small",
	    "script", "style", "iframe", "noscript", "video", "embed", "svg",
	    "select", "section", "figure", "x-custom", "foo", "html", "body",
	    "head", "title", "option", "P", "DIV", "Br", "LI" };
	static const char *texts[] = { "word", "two words", " ", "\n",
	    "\t", "Москва", "مرحبا", "&amp;", "&lt;", "&nbsp;", "&mdash;",
	    "&#8212;", "&#x41;", "&#150;", "&foo;", "&amp", "& ", "<", "< ",
	    "<3", ">", "R&D", "&#;", "&#0;", "\xe2\x80\x99", "\r\n",
	    "&#32;", "\xc2\x96", "\xff", "&AMP;", "  &#0;", "\f", "<!",
	    "</", "<?", "<<", "\xef\xbf\xbf", "\xe2\x82" };
	static const char *values[] = { "\"x>y\"", "'a<b'", "plain", "\"\"",
	    "x/", "\"u&amp;v\"", " = \"sp\"", "a&b", "\"x", "''" };
	static const char *others[] = { "<!-- c -->", "<!-- a -- b -->",
	    "<!---->", "<!-->x-->", "<!--x", "</scriptx>", "</SCRIPT>",
	    "</style >", "<?pi?>", "<!DOCTYPE html>", "<![CDATA[x]]>", "</>",
	    "< /p>", "<p", "<a href=\"x" };
	uint64_t seed = 20241125;
	char doc[2048];
	size_t o, k, ntok, na, a;
	int i, differ = 0;

#define PICK(list) list[fuzz_next(&seed) % (sizeof list / sizeof list[0])]
	for (i = 0; i < 20000; i++) {
		o = 0;
		ntok = 1 + fuzz_next(&seed) % 14;
		for (k = 0; k < ntok && o < 1500; k++) {
			switch (fuzz_next(&seed) % 10) {
			case 0: case 1: case 2:
				o += (size_t)sprintf(doc + o, "%s", PICK(texts));
				break;
			case 3: case 4: case 5:
				o += (size_t)sprintf(doc + o, "<%s", PICK(names));
				na = fuzz_next(&seed) % 3;
				for (a = 0; a < na; a++)
					o += (size_t)sprintf(doc + o, "%shref=%s",
					    fuzz_next(&seed) % 2 ? " " : "\n",
					    PICK(values));
				o += (size_t)sprintf(doc + o, "%s>",
				    fuzz_next(&seed) % 8 == 0 ? "/" : "");
				break;
			case 6: case 7: case 8:
				o += (size_t)sprintf(doc + o, "</%s>",
				    PICK(names));
				break;
			default:
				o += (size_t)sprintf(doc + o, "%s",
				    PICK(others));
				break;
			}
		}
		if (!same_as_libxml2(doc, o))
			differ++;
	}
#undef PICK
	assert_int_equal(differ, 0);
}

/* Keeps libxml2's encoding complaints about corpus files (read here with
 * xmlReadFile) off the test output. */
static void
quiet_cb(void *arg, const char *fmt, ...)
{
}

/* Text nodes compared (n) and those read differently (differ). */
struct corpus_count {
	int	n;
	int	differ;
};

/* Compares both readings of every text node of one XML file. */
static void
corpus_compare_cb(const char *path, void *arg)
{
	struct corpus_count *count = arg;
	xmlDocPtr doc;
	xmlNodePtr node, next;
	xmlChar *text;

	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_RECOVER |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return;
	/* A walk in document order without recursion. */
	for (node = xmlDocGetRootElement(doc); node != NULL; node = next) {
		if ((node->type == XML_TEXT_NODE ||
		    node->type == XML_CDATA_SECTION_NODE) &&
		    node->content != NULL) {
			text = node->content;
			count->n++;
			if (!same_as_libxml2((const char *)text,
			    strlen((const char *)text)))
				count->differ++;
		}
		if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
			next = node->children;
			continue;
		}
		while ((next = node->next) == NULL &&
		    (node = node->parent) != NULL &&
		    node->type != XML_DOCUMENT_NODE)
			;
		if (node == NULL || node->type == XML_DOCUMENT_NODE)
			break;
	}
	xmlFreeDoc(doc);
}

/* Titles and descriptions of real feeds (feedparser's sanitizer cases,
 * feed-rs, rss-parser and miniflux fixtures): the shortcut gives what
 * libxml2 gives on every one. */
static void
test_html_shortcut_matches_libxml2_on_corpus_feeds(void **state)
{
	static const char *dirs[] = { "feedparser/tests", "feed-rs/fixture",
	    "rss-parser/test/input", "miniflux/internal" };
	struct corpus_count count = { 0, 0 };
	char *corpus, *dir;
	size_t i;

	if ((corpus = test_shared_path("corpus")) == NULL)
		return;
	xmlSetGenericErrorFunc(NULL, quiet_cb);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		xasprintf(&dir, "%s/%s", corpus, dirs[i]);
		test_walk_files(dir, corpus_compare_cb, &count);
		free(dir);
	}
	xmlSetGenericErrorFunc(NULL, NULL);
	free(corpus);
	print_message("%d text nodes of corpus feeds, %d read differently\n",
	    count.n, count.differ);
	assert_int_equal(count.differ, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_script_and_style_content_dropped),
		cmocka_unit_test(test_html_named_numeric_and_hex_entities_decoded),
		cmocka_unit_test(test_html_unknown_or_unterminated_entities_kept_as_written),
		cmocka_unit_test(test_html_windows1252_char_refs_become_their_characters),
		cmocka_unit_test(test_html_block_elements_become_paragraphs),
		cmocka_unit_test(test_html_br_is_a_line_and_two_br_a_paragraph),
		cmocka_unit_test(test_html_no_leading_trailing_or_repeated_breaks),
		cmocka_unit_test(test_html_whitespace_collapsed_and_trimmed),
		cmocka_unit_test(test_html_inline_elements_do_not_split_text),
		cmocka_unit_test(test_html_malformed_markup_keeps_its_text),
		cmocka_unit_test(test_html_cyrillic_and_arabic_text_intact),
		cmocka_unit_test(test_html_meta_charset_in_a_fragment_is_ignored),
		cmocka_unit_test(test_html_invalid_utf8_repaired),
		cmocka_unit_test(test_html_nul_byte_reads_as_a_space),
		cmocka_unit_test(test_html_fast_path_matches_parser_on_plain_text),
		cmocka_unit_test(test_html_length_not_nul_terminates_input),
		cmocka_unit_test(test_html_parser_prints_nothing_on_stderr),
		cmocka_unit_test(test_html_large_deeply_nested_input_is_handled),
		cmocka_unit_test(test_html_many_distinct_tags_still_parse),
		cmocka_unit_test(test_html_shortcut_follows_libxml2_on_implied_and_misplaced_tags),
		cmocka_unit_test(test_html_shortcut_matches_libxml2_on_random_markup),
		cmocka_unit_test(test_html_shortcut_matches_libxml2_on_corpus_feeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
