/* test_translate_split.c: texts cut into chunks at paragraphs, sentences and words within a character limit, and joined back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "tests/unit/support/test_support.h"
#include "text/text.h"
#include "translate/translate.h"

/* Code points of a string; an invalid byte counts as one. */
static size_t
chars(const char *s)
{
	size_t i = 0, n = 0, k, len = strlen(s);
	uint32_t cp;

	while (i < len) {
		k = util_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		i += k == 0 ? 1 : k;
		n++;
	}
	return n;
}

/* Whether s is valid UTF-8 throughout. */
static int
valid_utf8(const char *s)
{
	size_t i = 0, k, len = strlen(s);
	uint32_t cp;

	while (i < len) {
		if ((k = util_utf8_decode((const unsigned char *)s + i, len - i,
		    &cp)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* The documented normal form: blank lines (any number, with any white
 * space) become "\n\n", every other run of white space one " ", and none
 * at either end. */
static char *
normalise(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *p = out;
	size_t newlines;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (*s != '\0') {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
			*p++ = *s++;
			continue;
		}
		for (newlines = 0; *s == ' ' || *s == '\t' || *s == '\n' ||
		    *s == '\r'; s++)
			newlines += *s == '\n';
		if (*s == '\0')
			break;
		p = stpcpy(p, newlines >= 2 ? "\n\n" : " ");
	}
	*p = '\0';
	return out;
}

/* s without any ASCII white space. */
static char *
squeeze(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *p = out;

	for (; *s != '\0'; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			*p++ = *s;
	}
	*p = '\0';
	return out;
}

/* Splits text, checks every chunk is within max and valid where the text
 * was, and returns join(split(text)) with each chunk its own translation. */
static char *
round_trip(const char *text, size_t max, size_t *nchunks)
{
	struct translate_chunk *chunks = NULL;
	char *joined;
	size_t n, i;

	n = translate_split(text, max, &chunks);
	for (i = 0; i < n; i++) {
		assert_true(*chunks[i].text != '\0');
		if (max > 0)
			assert_true(chars(chunks[i].text) <= max);
		if (valid_utf8(text))
			assert_true(valid_utf8(chunks[i].text));
		assert_non_null(chunks[i].joiner);
		if (i == 0)
			assert_string_equal(chunks[i].joiner, "");
		else
			assert_true(strcmp(chunks[i].joiner, " ") == 0 ||
			    strcmp(chunks[i].joiner, "\n\n") == 0);
	}
	joined = translate_join(chunks, NULL, n);
	translate_chunks_free(chunks, n);
	if (nchunks != NULL)
		*nchunks = n;
	return joined;
}

/* Checks the round trip gives the normal form of text back. */
static void
check_round_trip(const char *text, size_t max)
{
	char *joined, *want, *got;

	joined = round_trip(text, max, NULL);
	want = normalise(text);
	got = normalise(joined);
	assert_string_equal(got, want);
	free(want);
	free(got);
	free(joined);
}

static const char news_es[] =
    "Las negociaciones para un alto el fuego en Gaza se reanudaron el lunes "
    "en El Cairo. El Sr. García, portavoz de la delegación, dijo que Hamás "
    "estudia la propuesta. ¿Habrá tregua antes del viernes? Nadie lo sabe.\n"
    "Los mediadores de Egipto y Catar insisten.\n\n"
    "  Israel pidió la liberación de todos los rehenes.  \r\n \r\n\n"
    "Hamás exige 200 prisioneros por cada rehén estadounidense liberado.";

static void
test_short_paragraphs_are_one_chunk_each(void **state)
{
	struct translate_chunk	*chunks = NULL;
	size_t			 n;

	n = translate_split(news_es, 2000, &chunks);
	assert_int_equal(n, 3);
	assert_string_equal(chunks[0].joiner, "");
	assert_true(strncmp(chunks[0].text, "Las negociaciones", 17) == 0);
	/* A single line break stays inside its paragraph. */
	assert_non_null(strstr(chunks[0].text, "sabe.\nLos mediadores"));
	assert_string_equal(chunks[1].joiner, "\n\n");
	assert_string_equal(chunks[1].text,
	    "Israel pidió la liberación de todos los rehenes.");
	assert_string_equal(chunks[2].joiner, "\n\n");
	translate_chunks_free(chunks, n);
}

static void
test_long_paragraph_is_cut_between_sentences_as_full_as_fits(void **state)
{
	struct translate_chunk	*chunks = NULL;
	size_t			 n, i;

	n = translate_split(news_es, 120, &chunks);
	assert_true(n > 3);
	for (i = 0; i < n; i++) {
		assert_true(chars(chunks[i].text) <= 120);
		/* Sentences are whole: each chunk ends like a sentence. */
		assert_non_null(strchr(".?", chunks[i].text[strlen(
		    chunks[i].text) - 1]));
	}
	/* Sentences share a chunk as long as they fit. */
	assert_string_equal(chunks[1].text, "García, portavoz de la "
	    "delegación, dijo que Hamás estudia la propuesta. ¿Habrá tregua "
	    "antes del viernes? Nadie lo sabe.");
	assert_string_equal(chunks[1].joiner, " ");
	assert_string_equal(chunks[2].text,
	    "Los mediadores de Egipto y Catar insisten.");
	assert_string_equal(chunks[3].joiner, "\n\n");
	translate_chunks_free(chunks, n);
}

/* Sentences are ICU's with the English abbreviations: "Mr." holds, the
 * Spanish "Sr." does not (see text/sentence.c). */
static void
test_cuts_follow_the_sentences_icu_finds(void **state)
{
	struct translate_chunk	*chunks = NULL;
	size_t			 n;

	n = translate_split("Talks resumed. Mr. Blinken arrived in Cairo. "
	    "Nobody knows more.", 40, &chunks);
	assert_int_equal(n, 3);
	assert_string_equal(chunks[0].text, "Talks resumed.");
	assert_string_equal(chunks[1].text, "Mr. Blinken arrived in Cairo.");
	assert_string_equal(chunks[2].text, "Nobody knows more.");
	translate_chunks_free(chunks, n);

	n = translate_split("Hablaron ayer. El Sr. García llegó a El Cairo.",
	    40, &chunks);
	assert_int_equal(n, 2);
	assert_string_equal(chunks[0].text, "Hablaron ayer. El Sr.");
	assert_string_equal(chunks[1].text, "García llegó a El Cairo.");
	translate_chunks_free(chunks, n);
}

static void
test_max_chars_counts_characters_not_bytes(void **state)
{
	struct translate_chunk	*chunks = NULL;
	char			 text[512];
	size_t			 n;

	/* 100 Cyrillic letters are 200 bytes. */
	text[0] = '\0';
	for (n = 0; n < 100; n++)
		strcat(text, "ж");
	n = translate_split(text, 100, &chunks);
	assert_int_equal(n, 1);
	translate_chunks_free(chunks, n);
	n = translate_split(text, 99, &chunks);
	assert_int_equal(n, 2);
	assert_int_equal(chars(chunks[0].text), 99);
	assert_string_equal(chunks[1].text, "ж");
	translate_chunks_free(chunks, n);
}

static void
test_long_sentence_is_cut_at_white_space(void **state)
{
	const char		*text = "uno dos tres cuatro cinco seis siete "
	    "ocho nueve diez once doce trece catorce quince";
	struct translate_chunk	*chunks = NULL;
	size_t			 n, i;

	n = translate_split(text, 20, &chunks);
	for (i = 0; i < n; i++) {
		assert_true(chars(chunks[i].text) <= 20);
		assert_true(chunks[i].text[0] != ' ');
		assert_true(chunks[i].text[strlen(chunks[i].text) - 1] != ' ');
	}
	assert_string_equal(chunks[0].text, "uno dos tres cuatro");
	assert_string_equal(chunks[1].text, "cinco seis siete");
	assert_string_equal(chunks[1].joiner, " ");
	translate_chunks_free(chunks, n);
	check_round_trip(text, 20);
}

static void
test_text_without_spaces_is_cut_at_icu_words(void **state)
{
	/* Chinese: no spaces, so ICU's words (ideographs one by one). */
	const char		*text = "以色列和哈马斯同意在开罗举行停火谈判"
	    "埃及和卡塔尔的调解人表示谈判仍在继续";
	struct translate_chunk	*chunks = NULL;
	char			*joined, *a, *b;
	size_t			 n, i;

	n = translate_split(text, 7, &chunks);
	assert_true(n >= 5);
	for (i = 0; i < n; i++) {
		assert_true(chars(chunks[i].text) <= 7);
		assert_true(valid_utf8(chunks[i].text));
	}
	translate_chunks_free(chunks, n);
	joined = round_trip(text, 7, NULL);
	a = squeeze(joined);
	b = squeeze(text);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(joined);
}

static void
test_a_word_longer_than_the_limit_is_cut_between_characters(void **state)
{
	char			 text[1024];
	struct translate_chunk	*chunks = NULL;
	size_t			 n, i;

	/* One Cyrillic "word" of 150 two-byte letters and an emoji. */
	text[0] = '\0';
	for (i = 0; i < 150; i++)
		strcat(text, i % 2 ? "я" : "щ");
	strcat(text, "😀");
	n = translate_split(text, 40, &chunks);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_true(valid_utf8(chunks[i].text));
		assert_true(chars(chunks[i].text) <= 40);
	}
	assert_string_equal(chunks[3].text + strlen(chunks[3].text) - 4, "😀");
	translate_chunks_free(chunks, n);
}

static void
test_round_trip_gives_the_normal_form_back(void **state)
{
	static const char *texts[] = {
		news_es,
		"Переговоры о перемирии продолжились в Каире. Г-н Иванов "
		"сказал: «Нет». Делегация уехала?\n\nХамас изучает "
		"предложение.",
		"قال المتحدث إن المفاوضات مستمرة. وأضاف أن الوفد سيعود "
		"غداً؟\n\n\nنعم",
		"\n\n  leading and trailing  \n\n",
		"Mr. Blinken met the U.S. Senate. It went\twell.\r\nVery "
		"well.",
	};
	size_t i, max;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		/* From the longest word up: no word is cut. */
		for (max = 16; max <= 400; max += 13)
			check_round_trip(texts[i], max);
		check_round_trip(texts[i], 0);
	}
}

static void
test_without_cuts_the_paragraphs_come_back_byte_for_byte(void **state)
{
	char *joined;

	joined = round_trip("  Uno.\n dos \n\n\n \n  Tres.\r\n", 0, NULL);
	assert_string_equal(joined, "Uno.\n dos\n\nTres.");
	free(joined);
}

static void
test_join_puts_translations_where_their_chunks_were(void **state)
{
	struct translate_chunk	*chunks = NULL;
	char			**tr, *joined;
	size_t			 n, i;

	n = translate_split("Uno. Dos.\n\nTres.", 5, &chunks);
	assert_int_equal(n, 3);
	tr = xcalloc(n, sizeof *tr);
	for (i = 0; i < n; i++)
		xasprintf(&tr[i], " [en] %s\n", chunks[i].text);
	joined = translate_join(chunks, tr, n);
	assert_string_equal(joined, "[en] Uno. [en] Dos.\n\n[en] Tres.");
	free(joined);

	/* A missing translation is the chunk itself; an empty one is left
	 * out with no doubled break. */
	free(tr[0]);
	tr[0] = NULL;
	free(tr[1]);
	tr[1] = xstrdup("  ");
	joined = translate_join(chunks, tr, n);
	assert_string_equal(joined, "Uno.\n\n[en] Tres.");
	free(joined);
	for (i = 0; i < n; i++)
		free(tr[i]);
	free(tr);
	translate_chunks_free(chunks, n);
}

static void
test_empty_and_blank_texts_have_no_chunks(void **state)
{
	struct translate_chunk	*chunks = NULL;
	char			*joined;

	assert_int_equal(translate_split("", 100, &chunks), 0);
	assert_int_equal(translate_split(" \n\n\t\r\n \u00a0", 100, &chunks),
	    0);
	assert_int_equal(translate_split(NULL, 100, &chunks), 0);
	joined = translate_join(NULL, NULL, 0);
	assert_string_equal(joined, "");
	free(joined);
	translate_chunks_free(NULL, 0);
}

static void
test_invalid_utf8_is_cut_between_bytes_it_counts_as_characters(void **state)
{
	const char		*text = "ab\xc3 \x80\x80\x80\x80\x80\x80 cd "
	    "\xe2\x82\xe2\x82\xe2\x82.";
	struct translate_chunk	*chunks = NULL;
	size_t			 n, i, total = 0;
	char			*joined, *a, *b;

	n = translate_split(text, 3, &chunks);
	for (i = 0; i < n; i++) {
		assert_true(chars(chunks[i].text) <= 3);
		total += strlen(chunks[i].text);
	}
	/* Every byte but the spaces is in some chunk. */
	assert_int_equal(total, strlen(text) - 3);
	translate_chunks_free(chunks, n);
	joined = round_trip(text, 3, NULL);
	a = squeeze(joined);
	b = squeeze(text);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(joined);
}

static void
test_a_paragraph_past_the_sentence_bounds_is_covered_whole(void **state)
{
	char	*text, *joined, *a, *b;
	size_t	 len, i, n;

	/* More sentences than text_sentences reports, and more bytes. */
	len = 3 * (TEXT_MAX_SENTENCES + 500);
	text = xmalloc(len + 1);
	for (i = 0; i < len; i += 3)
		memcpy(text + i, "A. ", 3);
	text[len] = '\0';
	joined = round_trip(text, 1000, &n);
	assert_true(n >= len / 1000);
	a = squeeze(joined);
	b = squeeze(text);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(joined);
	free(text);

	len = TEXT_MAX_BYTES + 50000;
	text = xmalloc(len + 1);
	for (i = 0; i + 20 <= len; i += 20)
		memcpy(text + i, "Alto el fuego, hoy. ", 20);
	text[i] = '\0';
	joined = round_trip(text, 2000, &n);
	a = normalise(joined);
	b = normalise(text);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(joined);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_paragraphs_are_one_chunk_each),
		cmocka_unit_test(test_long_paragraph_is_cut_between_sentences_as_full_as_fits),
		cmocka_unit_test(test_cuts_follow_the_sentences_icu_finds),
		cmocka_unit_test(test_max_chars_counts_characters_not_bytes),
		cmocka_unit_test(test_long_sentence_is_cut_at_white_space),
		cmocka_unit_test(test_text_without_spaces_is_cut_at_icu_words),
		cmocka_unit_test(test_a_word_longer_than_the_limit_is_cut_between_characters),
		cmocka_unit_test(test_round_trip_gives_the_normal_form_back),
		cmocka_unit_test(test_without_cuts_the_paragraphs_come_back_byte_for_byte),
		cmocka_unit_test(test_join_puts_translations_where_their_chunks_were),
		cmocka_unit_test(test_empty_and_blank_texts_have_no_chunks),
		cmocka_unit_test(test_invalid_utf8_is_cut_between_bytes_it_counts_as_characters),
		cmocka_unit_test(test_a_paragraph_past_the_sentence_bounds_is_covered_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
