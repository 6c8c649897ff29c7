/* test_text_token.c: words of every script, folded for matching; offsets, bounds and hostile bytes. */
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

/* Tokenizes s and checks the folded words are exactly the space separated
 * list want. */
static void
check_words(const char *s, const char *want)
{
	struct text_tokens	 t;
	char			*got = xstrdup(""), *next;
	size_t			 i;

	memset(&t, 0, sizeof t);
	text_tokenize(s, strlen(s), &t);
	for (i = 0; i < t.count; i++) {
		assert_int_equal(strlen(t.tokens[i].word), t.tokens[i].len);
		xasprintf(&next, "%s%s%s", got, i > 0 ? " " : "",
		    t.tokens[i].word);
		free(got);
		got = next;
	}
	assert_string_equal(got, want);
	free(got);
	text_tokens_clear(&t);
}

static void
test_latin_words_are_lowercased_and_punctuation_dropped(void **state)
{
	check_words("Gaza ceasefire talks: Hamas, Israel agree!",
	    "gaza ceasefire talks hamas israel agree");
	check_words("  \t\n", "");
	check_words("", "");
	check_words("--- *** ...", "");
}

static void
test_diacritics_fold_away(void **state)
{
	check_words("Café RÉSUMÉ naïve São Paulo Zürich Ærø",
	    "cafe resume naive sao paulo zurich ærø");
	check_words("Straße", "strasse");
	check_words("Ελλάδα ΑΘΉΝΑ", "ελλαδα αθηνα");
}

static void
test_cyrillic_keeps_short_i_and_folds_yo(void **state)
{
	check_words("Ёлка ЗА́МОК Київ Йошкар-Ола",
	    "елка замок київ йошкар ола");
	check_words("Переговоры в Москве", "переговоры в москве");
}

static void
test_arabic_harakat_and_hebrew_niqqud_drop(void **state)
{
	/* Harakat, hamza and tatweel go; so do niqqud. */
	check_words("مُحَمَّد أحمد الـعربية", "محمد احمد العربية");
	check_words("שָׁלוֹם עולם", "שלום עולם");
	check_words("غزة: وقف إطلاق النار", "غزة وقف اطلاق النار");
}

static void
test_nfkc_folds_ligatures_and_fullwidth(void **state)
{
	check_words("ﬁnance ＡＢＣ１２３ ｶﾀｶﾅ", "finance abc123 カ タ カ ナ");
}

static void
test_ideographs_are_tokens_one_by_one(void **state)
{
	check_words("北京是中国的首都。", "北 京 是 中 国 的 首 都");
	/* The same word alone and in a sentence gives the same tokens. */
	check_words("テレビ", "テ レ ビ");
	check_words("テレビを見る", "テ レ ビ を 見 る");
	check_words("한국어 문장", "한국어 문장");
}

static void
test_numbers_are_one_token(void **state)
{
	check_words("1,800 people, 3.5% and 2024", "1,800 people 3.5 and 2024");
}

static void
test_possessive_and_elision_are_cut(void **state)
{
	check_words("Israel's army, Israel’s army", "israel army israel army");
	check_words("l'Ukraine qu'il d'Ivoire", "ukraine il ivoire");
	check_words("don't O'Brien it's", "don't o'brien it");
	/* A hyphen splits: "al-Kanua" is two words. */
	check_words("al-Kanua", "al kanua");
}

static void
test_connectors_alone_are_not_words(void **state)
{
	check_words("foo_bar __ @ @reuters", "foo_bar @reuters");
}

/* Tokenizes s and checks each token's offset and length select want[i] in
 * the source. */
static void
check_offsets(const char *s, const char **want, size_t n)
{
	struct text_tokens	t;
	size_t			i;

	memset(&t, 0, sizeof t);
	assert_int_equal(text_tokenize(s, strlen(s), &t), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(t.tokens[i].source_len, strlen(want[i]));
		assert_memory_equal(s + t.tokens[i].offset, want[i],
		    strlen(want[i]));
	}
	text_tokens_clear(&t);
}

static void
test_offsets_point_into_the_source(void **state)
{
	const char	*latin[] = { "Zürich", "Israel", "café", "ﬁn" };
	const char	*mixed[] = { "Москва", "2024", "Kyiv", "北", "京",
	    "שָׁלוֹם" };

	check_offsets("«Zürich» Israel's café, ﬁn.", latin, 4);
	check_offsets("Москва — 2024: Kyiv 北京 שָׁלוֹם", mixed, 6);
}

/* Replaces the spaces of an ASCII string by NBSP (U+00A0), which is no
 * ASCII white space but splits words just the same, so that the whole
 * string goes through ICU rather than the ASCII path. */
static char *
nbsp_copy(const char *s, size_t n, size_t *out_len)
{
	char	*u = xmalloc(n * 2 + 3);
	size_t	 i, m = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			u[m++] = (char)0xc2;
			u[m++] = (char)0xa0;
		} else
			u[m++] = s[i];
	}
	u[m++] = (char)0xc2;
	u[m++] = (char)0xa0;
	*out_len = m;
	return u;
}

static void
test_ascii_path_agrees_with_icu(void **state)
{
	const char		 alphabet[] = "aB9_.,;:'-\" x1Z!#$%&()*+/<=>?@[]"
	    "^`{|}~sS\\";
	struct text_tokens	 a, b;
	char			 s[32], *u;
	size_t			 i, n, m;
	int			 round;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	srand(7);
	for (round = 0; round < 100000; round++) {
		n = 1 + rand() % 24;
		for (i = 0; i < n; i++)
			s[i] = alphabet[rand() % (sizeof alphabet - 1)];
		u = nbsp_copy(s, n, &m);
		text_tokenize(s, n, &a);
		text_tokenize(u, m, &b);
		assert_int_equal(a.count, b.count);
		for (i = 0; i < a.count; i++)
			assert_string_equal(a.tokens[i].word, b.tokens[i].word);
		free(u);
		text_tokens_clear(&a);
		text_tokens_clear(&b);
	}
}

static void
test_appending_keeps_earlier_words_valid(void **state)
{
	struct text_tokens	 t;
	const char		*first = "Первое слово";
	char			*big;
	size_t			 i;

	memset(&t, 0, sizeof t);
	assert_int_equal(text_tokenize(first, strlen(first), &t), 2);
	big = xmalloc(200000);
	for (i = 0; i + 6 <= 200000; i += 6)
		memcpy(big + i, "word ", 6);
	big[199999] = ' ';
	/* The buffer grows many times; the first words must follow it. */
	assert_true(text_tokenize(big, 200000, &t) > 30000);
	assert_string_equal(t.tokens[0].word, "первое");
	assert_string_equal(t.tokens[1].word, "слово");
	assert_string_equal(t.tokens[t.count - 1].word, "word");
	free(big);
	text_tokens_clear(&t);
	assert_null(t.tokens);
	assert_int_equal(t.count, 0);
}

static void
test_token_and_byte_bounds_hold(void **state)
{
	struct text_tokens	 t;
	char			*s;
	size_t			 n = 2 * TEXT_MAX_TOKENS + 1000, i;

	/* More words than TEXT_MAX_TOKENS, in both paths. */
	s = xmalloc(2 * n);
	for (i = 0; i < n; i += 2)
		memcpy(s + i, "a ", 2);
	memset(&t, 0, sizeof t);
	assert_int_equal(text_tokenize(s, n, &t), TEXT_MAX_TOKENS);
	text_tokens_clear(&t);
	for (i = 0; i + 3 <= 2 * n; i += 3)
		memcpy(s + i, "я ", 3);
	assert_int_equal(text_tokenize(s, i, &t), TEXT_MAX_TOKENS);
	text_tokens_clear(&t);
	free(s);

	/* Nothing past TEXT_MAX_BYTES is read. */
	n = TEXT_MAX_BYTES + 100000;
	s = xmalloc(n);
	for (i = 0; i + 16 <= n; i += 16)
		memcpy(s + i, "abcdefghijklmno ", 16);
	assert_int_equal(text_tokenize(s, n, &t), TEXT_MAX_BYTES / 16);
	assert_true(t.tokens[t.count - 1].offset +
	    t.tokens[t.count - 1].source_len <= TEXT_MAX_BYTES);
	text_tokens_clear(&t);
	free(s);
}

/* Checks that every token lies inside the len bytes of its source and its
 * word is well formed. */
static void
check_tokens_sane(const struct text_tokens *t, size_t len)
{
	size_t	i;

	for (i = 0; i < t->count; i++) {
		assert_true(t->tokens[i].offset + t->tokens[i].source_len <=
		    len);
		assert_true(t->tokens[i].len > 0);
		assert_int_equal(strlen(t->tokens[i].word), t->tokens[i].len);
	}
}

static void
test_invalid_utf8_never_reads_past_len(void **state)
{
	/* Fragments to splice: valid text, truncated and overlong forms,
	 * surrogates, stray continuation bytes. */
	static const char	*frags[] = { "abc", "Москва", "\xd0", "\xe2\x80",
	    "\xf0\x9f\x98", "\xc0\xaf", "\xed\xa0\x80", "\x80\x80", "\xff",
	    " ", "'s", "北", "\xf4\x90\x80\x80", "é", "\x00" };
	struct text_tokens	 t;
	unsigned char		*buf;
	char			*f;
	size_t			 len, i, k;
	int			 round;

	memset(&t, 0, sizeof t);
	srand(11);
	for (round = 0; round < 3000; round++) {
		len = (size_t)(rand() % 64);
		/* Exactly len bytes, so that a read past them is caught. */
		buf = xmalloc(len == 0 ? 1 : len);
		for (i = 0; i < len;) {
			if (rand() % 2 == 0) {
				buf[i++] = (unsigned char)rand();
				continue;
			}
			f = (char *)frags[rand() % (sizeof frags /
			    sizeof frags[0])];
			for (k = 0; (f[k] != '\0' || k == 0) && i < len; k++)
				buf[i++] = (unsigned char)f[k];
		}
		text_tokenize((char *)buf, len, &t);
		check_tokens_sane(&t, len);
		text_tokens_clear(&t);
		free(text_fold((char *)buf, len));
		free(buf);
	}
}

static void
test_fold_keeps_spacing_and_punctuation(void **state)
{
	char	*f;

	f = text_fold("Ｉｓｒａｅｌ’s CAFÉ — ﬁnal, Ёж!", strlen("Ｉｓｒａｅｌ’s CAFÉ"
	    " — ﬁnal, Ёж!"));
	assert_string_equal(f, "israel’s cafe — final, еж!");
	free(f);
	f = text_fold("", 0);
	assert_string_equal(f, "");
	free(f);
	/* Invalid bytes are skipped. */
	f = text_fold("a\xff" "b\xe2\x80", 5);
	assert_string_equal(f, "ab");
	free(f);
}

static void
test_fold_agrees_with_token_words(void **state)
{
	const char		*s = "Zürich ЗА́МОК مُحَمَّد שָׁלוֹם ﬁn ＡＢＣ";
	struct text_tokens	 t;
	char			*f;
	size_t			 i;

	memset(&t, 0, sizeof t);
	text_tokenize(s, strlen(s), &t);
	for (i = 0; i < t.count; i++) {
		f = text_fold(s + t.tokens[i].offset, t.tokens[i].source_len);
		assert_string_equal(f, t.tokens[i].word);
		free(f);
	}
	text_tokens_clear(&t);
}

static void
test_fold_cache_agrees_with_whole_word_folding(void **state)
{
	/* Letters that fold alone, next to marks, jamo, ligatures and
	 * letters that compose or expand, so that both ways are taken. */
	static const char	*pool[] = { "a", "E", "Z", "é", "e\xcc\x81",
	    "ё", "е", "Ё", "\xcc\x88", "\xcc\x81", "\xcc\x86", "и", "й", "ї",
	    "і", "Ω", "ά", "ς", "ß", "ẞ", "ﬁ", "ﬃ", "ŉ", "ǅ", "İ", "ı", "ｶ", "ﾞ",
	    "\xe1\x84\x80", "\xe1\x85\xa1", "가", "ا", "أ", "ـ", "\xd9\x8e",
	    "\xd9\x91", "\xd9\x94", "ש", "\xd6\xb8", "\xd7\x81", "क", "्",
	    "ष", "़", "ک", "ی", "\xc2\xad", "1", "٣", "ａ", "Ⅻ", "µ" };
	struct text_tokens	 t;
	char			 s[256], *f;
	size_t			 n, i, k;
	int			 round;

	memset(&t, 0, sizeof t);
	srand(5);
	for (round = 0; round < 20000; round++) {
		n = 0;
		k = 1 + rand() % 8;
		for (i = 0; i < k; i++) {
			const char	*p = pool[rand() % (sizeof pool /
			    sizeof pool[0])];

			memcpy(s + n, p, strlen(p));
			n += strlen(p);
		}
		text_tokenize(s, n, &t);
		for (i = 0; i < t.count; i++) {
			f = text_fold(s + t.tokens[i].offset,
			    t.tokens[i].source_len);
			if (strcmp(f, t.tokens[i].word) != 0)
				fail_msg("\"%.*s\": token \"%s\", fold \"%s\"",
				    (int)n, s, t.tokens[i].word, f);
			free(f);
		}
		text_tokens_clear(&t);
	}
}

/* Reads one NTREX file of ../shared, or NULL when it is not there. */
static char *
read_ntrex(const char *name, size_t *len)
{
	char	*rel, *path, *buf, *cause = NULL;

	xasprintf(&rel, "corpus/ntrex/NTREX-128/%s", name);
	path = test_shared_path(rel);
	free(rel);
	if (path == NULL)
		return NULL;
	buf = util_read_file(path, (size_t)16 << 20, len, &cause);
	free(cause);
	free(path);
	return buf;
}

static void
test_throughput_is_reported(void **state)
{
	static const char	*names[] = { "newstest2019-src.eng.txt",
	    "newstest2019-ref.rus.txt", "newstest2019-ref.arb.txt",
	    "newstest2019-ref.heb.txt" };
	struct text_tokens	 t;
	char			*buf, *p, *end, *nl;
	size_t			 len, i, tokens;
	int64_t			 start, ms;

	memset(&t, 0, sizeof t);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((buf = read_ntrex(names[i], &len)) == NULL)
			return;
		tokens = 0;
		start = util_monotonic_ms();
		for (p = buf, end = buf + len; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', end - p)) == NULL)
				nl = end;
			t.count = 0;
			t.buf_len = 0;
			tokens += text_tokenize(p, nl - p, &t);
			check_tokens_sane(&t, nl - p);
		}
		ms = util_monotonic_ms() - start;
		printf("tokenize %s: %zu bytes, %zu tokens, %.1f MB/s\n",
		    names[i], len, tokens, ms > 0 ? len / 1e3 / ms : 0.0);
		assert_true(tokens > len / 20);
		free(buf);
	}
	text_tokens_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin_words_are_lowercased_and_punctuation_dropped),
		cmocka_unit_test(test_diacritics_fold_away),
		cmocka_unit_test(test_cyrillic_keeps_short_i_and_folds_yo),
		cmocka_unit_test(test_arabic_harakat_and_hebrew_niqqud_drop),
		cmocka_unit_test(test_nfkc_folds_ligatures_and_fullwidth),
		cmocka_unit_test(test_ideographs_are_tokens_one_by_one),
		cmocka_unit_test(test_numbers_are_one_token),
		cmocka_unit_test(test_possessive_and_elision_are_cut),
		cmocka_unit_test(test_connectors_alone_are_not_words),
		cmocka_unit_test(test_offsets_point_into_the_source),
		cmocka_unit_test(test_ascii_path_agrees_with_icu),
		cmocka_unit_test(test_appending_keeps_earlier_words_valid),
		cmocka_unit_test(test_token_and_byte_bounds_hold),
		cmocka_unit_test(test_invalid_utf8_never_reads_past_len),
		cmocka_unit_test(test_fold_keeps_spacing_and_punctuation),
		cmocka_unit_test(test_fold_agrees_with_token_words),
		cmocka_unit_test(test_fold_cache_agrees_with_whole_word_folding),
		cmocka_unit_test(test_throughput_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
