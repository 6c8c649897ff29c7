/* test_watch_match.c: what a compiled watch query matches — operators, phrases, prefixes, folding, scripts and stems. */
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
#include "watch/watch.h"

/* The sample query of DESIGN.md, and that of etc/wirewatch.conf. */
#define DESIGN_QUERY "(hamas OR gaza OR хамас) AND (ceasefire OR truce OR " \
	"deal OR hostage* OR negotiat* OR перемирие)"
#define CONF_QUERY "(hamas OR gaza OR хамас OR газа OR حماس OR غزة)\n\t" \
	"AND (ceasefire OR truce OR deal OR hostage* OR negotiat* OR " \
	"перемири* OR заложник*)"

static struct text_stemmer	*stemmer;

static int
setup(void **state)
{
	stemmer = text_stemmer_new();
	return 0;
}

static int
teardown(void **state)
{
	text_stemmer_free(stemmer);
	return 0;
}

/* Compiles q for the Latin-script languages langs (NULL: English). */
static struct watch_query *
compile(const char *q, const char *const *langs)
{
	struct watch_query	*wq;
	size_t			 column = 0;
	char			*cause = NULL;

	wq = watch_query_compile(q, langs, stemmer, &column, &cause);
	if (wq == NULL)
		fail_msg("\"%s\": column %zu: %s", q, column, cause);
	return wq;
}

/* Whether q matches a story of one or two parts (text may be NULL) in
 * language lang. */
static int
matches_in(const char *q, const char *const *langs, const char *lang,
    const char *title, const char *text)
{
	struct watch_query	*wq = compile(q, langs);
	struct watch_doc	*doc = watch_doc_new(stemmer);
	int			 r;

	watch_doc_add(doc, lang, title, strlen(title));
	if (text != NULL)
		watch_doc_add(doc, lang, text, strlen(text));
	r = watch_query_match(wq, doc);
	watch_doc_free(doc);
	watch_query_free(wq);
	return r;
}

/* Whether q matches an English title. */
static int
matches(const char *q, const char *title)
{
	return matches_in(q, NULL, "en", title, NULL);
}

static void
test_adjacent_terms_mean_and(void **state)
{
	assert_true(matches("hamas ceasefire", "Hamas accepts ceasefire"));
	assert_false(matches("hamas ceasefire", "Hamas rejects the plan"));
	assert_false(matches("hamas ceasefire", "Ceasefire in Lebanon"));
	assert_true(matches("hamas AND ceasefire", "Hamas accepts ceasefire"));
	assert_false(matches("hamas AND ceasefire", "Hamas rejects plan"));
}

static void
test_or_needs_either_side(void **state)
{
	assert_true(matches("hamas OR gaza", "Gaza hospitals out of fuel"));
	assert_true(matches("hamas OR gaza", "Hamas leader speaks"));
	assert_false(matches("hamas OR gaza", "Ukraine talks stall"));
}

static void
test_not_binds_tighter_than_and_and_and_than_or(void **state)
{
	/* a OR b c is a OR (b AND c). */
	assert_true(matches("alpha OR beta gamma", "alpha"));
	assert_false(matches("alpha OR beta gamma", "beta"));
	assert_true(matches("alpha OR beta gamma", "beta gamma"));
	/* NOT a b is (NOT a) AND b. */
	assert_true(matches("NOT alpha beta", "beta"));
	assert_false(matches("NOT alpha beta", "alpha beta"));
	assert_false(matches("NOT alpha beta", "gamma"));
	/* NOT a OR b is (NOT a) OR b. */
	assert_true(matches("NOT alpha OR beta", "gamma"));
	assert_false(matches("NOT alpha OR beta", "alpha"));
	assert_true(matches("NOT alpha OR beta", "alpha beta"));
	/* a b OR c d is (a AND b) OR (c AND d). */
	assert_true(matches("alpha beta OR gamma delta", "gamma delta"));
	assert_false(matches("alpha beta OR gamma delta", "alpha gamma"));
	assert_true(matches("NOT NOT alpha", "alpha"));
	assert_false(matches("NOT NOT alpha", "beta"));
}

static void
test_parentheses_group(void **state)
{
	assert_false(matches("(alpha OR beta) gamma", "alpha"));
	assert_true(matches("(alpha OR beta) gamma", "beta gamma"));
	assert_true(matches("NOT (alpha OR beta)", "gamma"));
	assert_false(matches("NOT (alpha OR beta)", "beta"));
	assert_true(matches("((alpha))", "alpha"));
}

static void
test_lowercase_operators_are_plain_words(void **state)
{
	assert_true(matches("gaza and hamas", "Gaza and Hamas"));
	assert_false(matches("gaza and hamas", "Gaza, Hamas"));
	assert_true(matches("gaza or hamas", "Gaza or Hamas?"));
	assert_false(matches("gaza or hamas", "Gaza"));
	assert_false(matches("war not peace", "War"));
	assert_true(matches("war not peace", "War, not peace"));
}

static void
test_minus_is_not_negation(void **state)
{
	assert_true(matches("gaza -hamas", "Gaza and Hamas"));
	assert_false(matches("gaza -hamas", "Gaza"));
}

static void
test_phrase_needs_consecutive_words_in_order(void **state)
{
	assert_true(matches("\"cease fire\"", "Talks on a cease-fire resume"));
	assert_true(matches("\"cease fire\"", "Cease fire!"));
	assert_false(matches("\"cease fire\"", "Fire, cease"));
	assert_false(matches("\"cease fire\"", "cease the fire"));
	assert_true(matches("\"the hostage deal\"",
	    "Israel approves the hostage deal"));
	assert_false(matches("\"the hostage deal\"",
	    "the deal on the hostage"));
}

static void
test_phrase_does_not_run_from_title_into_text(void **state)
{
	assert_false(matches_in("\"cease fire\"", NULL, "en",
	    "Calls to cease", "Fire broke out in the port"));
	assert_true(matches_in("\"cease fire\"", NULL, "en",
	    "Calls to cease", "Calls to cease fire grow"));
}

static void
test_and_holds_across_title_and_text(void **state)
{
	assert_true(matches_in("hamas truce", NULL, "en",
	    "Hamas delegation in Cairo", "A truce is expected soon."));
	assert_false(matches_in("hamas NOT football", NULL, "en",
	    "Hamas delegation in Cairo", "The football match went on."));
}

static void
test_prefix_matches_the_beginning_of_a_word(void **state)
{
	assert_true(matches("hostage*", "Hostages freed"));
	assert_true(matches("hostage*", "A hostage is freed"));
	assert_false(matches("hostage*", "The host speaks"));
	assert_true(matches("negotiat*", "Negotiators meet in Doha"));
	assert_true(matches_in("негоциац*", NULL, "ru",
	    "Негоциации продолжаются", NULL));
	assert_true(matches_in("перемири*", NULL, "ru",
	    "ХАМАС согласился на перемирие", NULL));
	assert_true(matches("\"hostage releas*\"", "Hostage release talks"));
	assert_false(matches("\"hostage releas*\"", "Release the hostage"));
	assert_true(matches("\"hostag* releas*\"", "Hostages released"));
}

static void
test_matching_ignores_case_and_accents(void **state)
{
	assert_true(matches("hamas", "HAMAS says"));
	assert_true(matches("HAMAS", "hamas says"));
	assert_true(matches("Hamás", "Hamas says"));
	assert_true(matches("hamas", "Hamás dice"));
	assert_true(matches("café", "CAFE"));
	assert_true(matches("\"ÉLYSÉE palace\"", "the Elysee Palace"));
}

static void
test_cyrillic_terms_match_folded(void **state)
{
	assert_true(matches_in("хамас", NULL, "ru", "ХАМАС заявил", NULL));
	assert_true(matches_in("ХАМАС", NULL, "ru", "хамас заявил", NULL));
	/* ё folds to е. */
	assert_true(matches_in("ещё", NULL, "ru", "Еще один раунд", NULL));
	/* A Russian word in an English story is matched as written. */
	assert_true(matches_in("хамас", NULL, "en", "Хамас", NULL));
}

static void
test_arabic_and_hebrew_terms_match(void **state)
{
	assert_true(matches_in("حماس AND غزة", NULL, "ar",
	    "حماس توافق على وقف إطلاق النار في غزة", NULL));
	assert_false(matches_in("حماس AND غزة", NULL, "ar",
	    "حماس توافق على وقف إطلاق النار", NULL));
	/* Harakat are folded away on both sides. */
	assert_true(matches_in("حَمَاس", NULL, "ar", "قالت حماس", NULL));
	/* Snowball's Arabic stemmer takes off the conjunction wa-. */
	assert_true(matches_in("حماس", NULL, "ar", "إسرائيل وحماس", NULL));
	assert_true(matches_in("עזה", NULL, "he", "הפסקת אש: עזה שקטה", NULL));
	assert_false(matches_in("עזה", NULL, "he", "הפסקת אש", NULL));
}

static void
test_terms_match_on_their_english_stem(void **state)
{
	/* Snowball English: negotiations, negotiation, negotiate and
	 * negotiators all stem to "negoti". */
	assert_true(matches("negotiations", "Hamas ready to negotiate"));
	assert_true(matches("negotiation", "Negotiators arrive"));
	assert_true(matches("ceasefire", "Ceasefires collapse"));
	assert_true(matches("hostages", "A hostage is freed"));
	assert_true(matches("deal", "Deals struck"));
	/* "dealt" stems to itself. */
	assert_false(matches("deal", "Israel dealt a blow"));
}

static void
test_quoted_word_is_not_stemmed(void **state)
{
	assert_false(matches("\"deal\"", "Deals struck"));
	assert_true(matches("\"deal\"", "A deal struck"));
	/* A name stemmed meets another name: hamas and Hama (the Syrian
	 * city) share the English stem "hama"; quoting prevents it. */
	assert_true(matches("hamas", "Shelling in Hama"));
	assert_false(matches("\"hamas\"", "Shelling in Hama"));
}

static void
test_prefix_terms_are_not_stemmed(void **state)
{
	/* negotiations* would match negotiate through its stem "negoti". */
	assert_false(matches("negotiations*", "Ready to negotiate"));
	assert_true(matches("negotiations*", "Negotiationsrunde"));
}

static void
test_russian_inflection_matches_through_the_stem(void **state)
{
	assert_true(matches_in("перемирие", NULL, "ru",
	    "Стороны обсуждают условия перемирия", NULL));
	assert_true(matches_in("перемирие", NULL, "ru",
	    "ХАМАС готов к перемирию", NULL));
	assert_true(matches_in("заложники", NULL, "ru",
	    "Освобождение заложников отложено", NULL));
	/* Only in a Russian story: an unknown language is not stemmed. */
	assert_false(matches_in("перемирие", NULL, "und",
	    "Стороны обсуждают условия перемирия", NULL));
	assert_false(matches_in("перемирие", NULL, NULL,
	    "Стороны обсуждают условия перемирия", NULL));
	assert_true(matches_in("перемирие", NULL, "ru-RU",
	    "Стороны обсуждают условия перемирия", NULL));
}

static void
test_stems_compare_only_in_the_terms_language(void **state)
{
	static const char *const es[] = { "es", NULL };
	static const char *const en_es[] = { "en", "es", NULL };

	/* English stems do not apply to a Spanish story ... */
	assert_false(matches_in("negociación", NULL, "es",
	    "Nuevas negociaciones en El Cairo", NULL));
	/* ... Spanish ones do when the watch says Spanish. */
	assert_true(matches_in("negociación", es, "es",
	    "Nuevas negociaciones en El Cairo", NULL));
	assert_true(matches_in("negociación", en_es, "es",
	    "Nuevas negociaciones en El Cairo", NULL));
	assert_false(matches_in("negotiations", es, "en",
	    "Ready to negotiate", NULL));
	assert_true(matches_in("negotiations", en_es, "en",
	    "Ready to negotiate", NULL));
	/* A Cyrillic term is Russian whatever the watch's languages. */
	assert_true(matches_in("перемирие", es, "ru",
	    "Условия перемирия", NULL));
}

static void
test_accented_words_stem_as_written(void **state)
{
	static const char *const es[] = { "es", NULL };
	static const char *const fr[] = { "fr", NULL };

	/* Snowball's Spanish stemmer takes off "-ación" but not "-acion":
	 * both are stemmed as written, accents and all. */
	assert_true(matches_in("negociaciones", es, "es",
	    "Negociación en El Cairo", NULL));
	assert_true(matches_in("NEGOCIACIÓN", es, "es",
	    "Las negociaciones siguen", NULL));
	assert_true(matches_in("négociations", fr, "fr",
	    "La négociation reprend", NULL));
	/* A term typed without its accents still matches the word. */
	assert_true(matches_in("negociacion", es, "es",
	    "Negociación en El Cairo", NULL));
}

static void
test_term_of_several_words_is_a_phrase(void **state)
{
	assert_true(matches("al-Kanua", "Strike near al-Kanua"));
	assert_true(matches("al-Kanua", "Strike near Al Kanua"));
	assert_false(matches("al-Kanua", "Kanua al-Said"));
	assert_true(matches("U.S.", "The U.S. envoy"));
	assert_true(matches("al-kan*", "Strike near al-Kanua"));
}

/* Titles the sample queries must match, in English and Russian. */
static const char *const sample_en_match[] = {
	"Hamas says ceasefire talks with Israel to resume in Cairo",
	"Gaza truce holds as more hostages are freed",
	"Israel and Hamas negotiators meet in Doha",
	"Hamas hands over four hostages' bodies",
	"Gaza deal: what we know about phase two",
	"HAMAS accepts Egyptian truce proposal",
};
static const char *const sample_en_miss[] = {
	"Gaza hospitals run out of fuel",
	"Hamas leader killed in Tehran",
	"Ukraine and Russia discuss a ceasefire",
	"Hostage situation at a Paris bank ends",
	"Negotiations on the EU budget drag on",
};
static const char *const sample_ru_match[] = {
	"ХАМАС заявил о готовности к перемирию",
	"Израиль и ХАМАС договорились о перемирии",
	"Хамас отверг условия перемирия",
};
static const char *const sample_ru_miss[] = {
	"В Москве прошли переговоры о перемирии на Украине",
	"ХАМАС назвал новых лидеров движения",
};

static void
test_design_sample_query_on_real_titles(void **state)
{
	size_t	i;

	for (i = 0; i < sizeof sample_en_match / sizeof *sample_en_match; i++)
		if (!matches(DESIGN_QUERY, sample_en_match[i]))
			fail_msg("missed \"%s\"", sample_en_match[i]);
	for (i = 0; i < sizeof sample_en_miss / sizeof *sample_en_miss; i++)
		if (matches(DESIGN_QUERY, sample_en_miss[i]))
			fail_msg("matched \"%s\"", sample_en_miss[i]);
	for (i = 0; i < sizeof sample_ru_match / sizeof *sample_ru_match; i++)
		if (!matches_in(DESIGN_QUERY, NULL, "ru", sample_ru_match[i],
		    NULL))
			fail_msg("missed \"%s\"", sample_ru_match[i]);
	for (i = 0; i < sizeof sample_ru_miss / sizeof *sample_ru_miss; i++)
		if (matches_in(DESIGN_QUERY, NULL, "ru", sample_ru_miss[i],
		    NULL))
			fail_msg("matched \"%s\"", sample_ru_miss[i]);
	/* The sample has no Russian word for Gaza: this one needs the
	 * configuration file's query. */
	assert_false(matches_in(DESIGN_QUERY, NULL, "ru",
	    "В секторе Газа вступило в силу перемирие", NULL));
	assert_true(matches_in(CONF_QUERY, NULL, "ru",
	    "В секторе Газа вступило в силу перемирие", NULL));
	assert_true(matches_in(CONF_QUERY, NULL, "ru",
	    "ХАМАС освободил трех заложников", NULL));
}

static void
test_sample_query_on_the_seed_article(void **state)
{
	char	*path, *text, *title;
	size_t	 len;
	int	 r;

	if ((path = test_shared_path("seed/000_0bcda3ea3e606858.txt")) ==
	    NULL)
		skip();
	text = util_read_file(path, 1 << 20, &len, NULL);
	assert_non_null(text);
	title = xstrndup(text, strcspn(text, "\n"));
	r = matches_in(DESIGN_QUERY, NULL, "en", title, text);
	assert_true(r);
	assert_false(matches_in("ukraine OR kyiv", NULL, "en", title, text));
	free(title);
	free(text);
	free(path);
}

static void
test_document_is_reusable_after_reset(void **state)
{
	struct watch_query	*q = compile("hamas OR перемирие", NULL);
	struct watch_doc	*doc = watch_doc_new(stemmer);
	char			 word[32];
	int			 round, i;

	for (round = 0; round < 3; round++) {
		watch_doc_reset(doc);
		watch_doc_add(doc, "ru", "Перемирия нет",
		    strlen("Перемирия нет"));
		assert_true(watch_query_match(q, doc));
		watch_doc_reset(doc);
		watch_doc_add(doc, "en", "Hamas", 5);
		assert_true(watch_query_match(q, doc));
		watch_doc_reset(doc);
		/* Enough distinct words to grow the tables. */
		for (i = 0; i < 3000; i++) {
			snprintf(word, sizeof word, "word%d", i);
			watch_doc_add(doc, "en", word, strlen(word));
		}
		watch_doc_add(doc, "en", "Gaza", 4);
		assert_false(watch_query_match(q, doc));
	}
	watch_doc_free(doc);
	watch_query_free(q);
}

static void
test_stems_are_the_same_from_a_full_cache(void **state)
{
	static const char *const es[] = { "es", NULL };
	struct watch_query	*q = compile("ceasefire", NULL);
	struct watch_query	*p = compile("negociaciones", es);
	struct watch_doc	*doc = watch_doc_new(stemmer);
	char			*text, *t;
	int			 round, i;

	/* The stems the document remembers across stories are emptied when
	 * 32768 are kept; matching must not change on either side. */
	for (round = 0; round < 50; round++) {
		watch_doc_reset(doc);
		watch_doc_add(doc, "en", "Ceasefires", 10);
		watch_doc_add(doc, "es", "Negociación", strlen("Negociación"));
		assert_true(watch_query_match(q, doc));
		assert_true(watch_query_match(p, doc));
		watch_doc_reset(doc);
		text = xstrdup("");
		for (i = 0; i < 1000; i++) {
			xasprintf(&t, "%s walking%dx", text, round * 1000 + i);
			free(text);
			text = t;
		}
		watch_doc_add(doc, "en", text, strlen(text));
		free(text);
		assert_false(watch_query_match(q, doc));
	}
	watch_doc_free(doc);
	watch_query_free(p);
	watch_query_free(q);
}

static void
test_growing_document_keeps_every_word(void **state)
{
	struct watch_query	*q, *p;
	struct watch_doc	*doc = watch_doc_new(stemmer);
	char			*text, *t;
	int			 i;

	text = xstrdup("");
	for (i = 0; i < 5000; i++) {
		xasprintf(&t, "%s w%d", text, i);
		free(text);
		text = t;
	}
	watch_doc_add(doc, "en", text, strlen(text));
	q = compile("w0 w2500 w4999 \"w17 w18 w19\"", NULL);
	p = compile("w5000 OR \"w18 w17\"", NULL);
	assert_true(watch_query_match(q, doc));
	assert_false(watch_query_match(p, doc));
	watch_query_free(p);
	watch_query_free(q);
	watch_doc_free(doc);
	free(text);
}

static void
test_empty_document_matches_only_negations(void **state)
{
	struct watch_query	*q = compile("NOT sport", NULL);
	struct watch_query	*p = compile("sport*", NULL);
	struct watch_doc	*doc = watch_doc_new(stemmer);

	assert_true(watch_query_match(q, doc));
	assert_false(watch_query_match(p, doc));
	watch_doc_free(doc);
	watch_query_free(p);
	watch_query_free(q);
}

static void
test_without_a_stemmer_words_match_as_written(void **state)
{
	struct watch_query	*q;
	struct watch_doc	*doc = watch_doc_new(NULL);

	q = watch_query_compile("ceasefire", NULL, NULL, NULL, NULL);
	assert_non_null(q);
	watch_doc_add(doc, "en", "Ceasefires", 10);
	assert_false(watch_query_match(q, doc));
	watch_doc_add(doc, "en", "Ceasefire", 9);
	assert_true(watch_query_match(q, doc));
	watch_doc_free(doc);
	watch_query_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjacent_terms_mean_and),
		cmocka_unit_test(test_or_needs_either_side),
		cmocka_unit_test(test_not_binds_tighter_than_and_and_and_than_or),
		cmocka_unit_test(test_parentheses_group),
		cmocka_unit_test(test_lowercase_operators_are_plain_words),
		cmocka_unit_test(test_minus_is_not_negation),
		cmocka_unit_test(test_phrase_needs_consecutive_words_in_order),
		cmocka_unit_test(test_phrase_does_not_run_from_title_into_text),
		cmocka_unit_test(test_and_holds_across_title_and_text),
		cmocka_unit_test(test_prefix_matches_the_beginning_of_a_word),
		cmocka_unit_test(test_matching_ignores_case_and_accents),
		cmocka_unit_test(test_cyrillic_terms_match_folded),
		cmocka_unit_test(test_arabic_and_hebrew_terms_match),
		cmocka_unit_test(test_terms_match_on_their_english_stem),
		cmocka_unit_test(test_quoted_word_is_not_stemmed),
		cmocka_unit_test(test_prefix_terms_are_not_stemmed),
		cmocka_unit_test(test_russian_inflection_matches_through_the_stem),
		cmocka_unit_test(test_stems_compare_only_in_the_terms_language),
		cmocka_unit_test(test_accented_words_stem_as_written),
		cmocka_unit_test(test_term_of_several_words_is_a_phrase),
		cmocka_unit_test(test_design_sample_query_on_real_titles),
		cmocka_unit_test(test_sample_query_on_the_seed_article),
		cmocka_unit_test(test_document_is_reusable_after_reset),
		cmocka_unit_test(test_stems_are_the_same_from_a_full_cache),
		cmocka_unit_test(test_growing_document_keeps_every_word),
		cmocka_unit_test(test_empty_document_matches_only_negations),
		cmocka_unit_test(test_without_a_stemmer_words_match_as_written),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
