/* test_extract_novelty.c: a claim seen again is a repeat, a changed figure on one subject a revision, anything else new — by hand and through the claims pass. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/test_extract_claim_fixture.h"

/* Compares claim a (figures '\t' separated, terms, speaker key, lang)
 * with an earlier claim b. */
static enum extract_novelty
compare(const char *fa, const char *ta, const char *sa, const char *la,
    const char *fb, const char *tb, const char *sb, const char *lb)
{
	struct extract_claim_key a = { fa, ta, sa, la };
	struct extract_claim_key b = { fb, tb, sb, lb };

	return extract_claim_compare(&a, &b);
}

/* Fails when a claim of out holding one of the sentences of from (up to
 * the first claim holding until, NULL for the end) is new or revises. */
static void
check_repeats(const struct extract_result *out, const char *from,
    const char *until)
{
	enum extract_novelty verdicts[EXTRACT_MAX_CLAIMS];
	size_t i, first = out->nclaims;

	cfx_watch(out, "en", verdicts, NULL);
	for (i = 0; i < out->nclaims; i++) {
		if (first == out->nclaims && strstr(out->claims[i].text,
		    from) != NULL)
			first = i;
		if (first == out->nclaims)
			continue;
		if (until != NULL && i > first &&
		    strstr(out->claims[i].text, until) != NULL)
			break;
		if (verdicts[i] != EXTRACT_CLAIM_REPEAT)
			fail_msg("claim \"%s\" of the repeated lead is %s",
			    out->claims[i].text,
			    verdicts[i] == EXTRACT_CLAIM_NEW ? "new" :
			    "a revision");
	}
	assert_true(first < out->nclaims);
}

static void
test_repeated_lead_is_a_repeat(void **state)
{
	char *path, *buf, *cause = NULL;
	size_t len;
	struct cfx f;

	buf = test_fixture("extract/claims-en.txt", &len);
	cfx_read_file(&f, "en", 2025, buf, cfx_fixture_names);
	free(buf);
	check_repeats(&f.out, "keeps a line of communication",
	    "Sokolenko");
	cfx_clear(&f);

	if ((path = test_shared_path("seed/000_0bcda3ea3e606858.txt")) == NULL)
		return;
	if ((buf = util_read_file(path, TEST_FIXTURE_MAX, &len, &cause)) ==
	    NULL) {
		print_message("skipped: %s\n", cause);
		free(cause);
		free(path);
		return;
	}
	cfx_read_file(&f, "en", 2025, buf, cfx_seed_names);
	free(buf);
	free(path);
	check_repeats(&f.out, "maintains a channel of communication",
	    "On February 15");
	cfx_clear(&f);
}

static void
test_extension_fifty_days_revises_two_months(void **state)
{
	enum extract_novelty verdicts[EXTRACT_MAX_CLAIMS];
	size_t against[EXTRACT_MAX_CLAIMS];
	static const struct cfx_name names[] = {
		{ 'P', "Steve Witkoff|Witkoff", "stiv|vitkov" },
		{ '\0', NULL, NULL },
	};
	struct cfx f;

	assert_int_equal(compare("50 days", "extens plan truce", NULL, "en",
	    "2 months", "call extens plan truce", NULL, "en"),
	    EXTRACT_CLAIM_REVISES);
	cfx_read(&f, "en", 2025, NULL, "His plan calls for an extension of "
	    "the truce by about two months. The talks went on. Witkoff's "
	    "new plan calls for an extension of the truce by 50 days.",
	    names);
	assert_int_equal(f.out.nclaims, 2);
	cfx_watch(&f.out, "en", verdicts, against);
	assert_int_equal(verdicts[0], EXTRACT_CLAIM_NEW);
	assert_int_equal(verdicts[1], EXTRACT_CLAIM_REVISES);
	assert_int_equal(against[1], 0);
	cfx_clear(&f);
}

static void
test_about_sixty_days_repeats_two_months(void **state)
{
	assert_int_equal(compare("60 days", "extens plan truce", NULL, "en",
	    "2 months", "call extens plan truce", NULL, "en"),
	    EXTRACT_CLAIM_REPEAT);
	assert_int_equal(compare("8 weeks", "extens plan truce", NULL, "en",
	    "2 months", "call extens plan truce", NULL, "en"),
	    EXTRACT_CLAIM_REPEAT);
}

static void
test_reworded_claim_with_the_same_figures_is_a_repeat(void **state)
{
	enum extract_novelty verdicts[EXTRACT_MAX_CLAIMS];
	struct cfx f;

	cfx_read(&f, "en", 2025, NULL, "The first phase allowed the return "
	    "of 33 hostages, including the bodies of eight dead prisoners. "
	    "Under the first phase, 33 hostages returned, among them the "
	    "bodies of eight prisoners.", NULL);
	assert_int_equal(f.out.nclaims, 2);
	cfx_watch(&f.out, "en", verdicts, NULL);
	assert_int_equal(verdicts[1], EXTRACT_CLAIM_REPEAT);
	cfx_clear(&f);
	/* Figures must be the same set: in the labelled articles every pair
	 * where one claim had a figure more was two claims. */
	assert_int_equal(compare("33", "bodi first hostag phase return",
	    NULL, "en", "33\t8", "bodi dead first hostag phase prison return",
	    NULL, "en"), EXTRACT_CLAIM_NEW);
	assert_int_equal(compare("33\t8", "bodi first hostag phase return",
	    NULL, "en", "33", "bodi first hostag phase return", NULL, "en"),
	    EXTRACT_CLAIM_NEW);
	/* Two figures the same are a repeat whatever the wording. */
	assert_int_equal(compare("411000 bpd\t2025-05", "hike market output",
	    NULL, "en", "411000 bpd\t2025-05", "agre oil product rais", NULL,
	    "en"), EXTRACT_CLAIM_REPEAT);
}

static void
test_other_subject_is_new(void **state)
{
	assert_int_equal(compare("1800", "palestinian prison releas", NULL,
	    "en", "2 months", "call extens plan truce", NULL, "en"),
	    EXTRACT_CLAIM_NEW);
	assert_int_equal(compare("", "aid border cross close", NULL, "en",
	    "", "call extens plan truce", NULL, "en"), EXTRACT_CLAIM_NEW);
}

static void
test_translated_claim_compares_figures_and_speaker(void **state)
{
	/* The same figures from the same person, in Russian. */
	assert_int_equal(compare("2025-03-12", "начал переговор фаз",
	    "hazem|qasem", "ru", "2025-03-12", "began negoti phase",
	    "hazem|qasem", "en"), EXTRACT_CLAIM_REPEAT);
	/* Bare figures, no speaker on either side. */
	assert_int_equal(compare("33\t8", "заложник тел", NULL, "ru",
	    "33\t8", "bodi hostag", NULL, "en"), EXTRACT_CLAIM_REPEAT);
	/* Another speaker's figure. */
	assert_int_equal(compare("2025-03-12", "начал переговор фаз",
	    "mariya|zaharova", "ru", "2025-03-12", "began negoti phase",
	    "hazem|qasem", "en"), EXTRACT_CLAIM_NEW);
	/* No figure to compare: terms of two languages say nothing. */
	assert_int_equal(compare("", "движен гибкост", "hazem|qasem", "ru",
	    "", "flexibl movement", "hazem|qasem", "en"), EXTRACT_CLAIM_NEW);
	/* The same person with a changed duration. */
	assert_int_equal(compare("50 days", "продлен перемир", "stiv|vitkov",
	    "ru", "2 months", "extens truce", "stiv|vitkov", "en"),
	    EXTRACT_CLAIM_REVISES);
}

static void
test_dates_repeat_as_written_and_revise_nothing(void **state)
{
	assert_int_equal(compare("2025-03-12", "began negoti phase", NULL,
	    "en", "2025-03-12", "began negoti new phase", NULL, "en"),
	    EXTRACT_CLAIM_REPEAT);
	assert_int_equal(compare("2025-03", "began negoti phase", NULL, "en",
	    "2025-03-12", "began negoti phase", NULL, "en"),
	    EXTRACT_CLAIM_NEW);
	/* Two dates are two events: the next meeting is no revision. */
	assert_int_equal(compare("2025-06-06", "meet next rate", NULL, "en",
	    "2025-03-21", "meet next rate", NULL, "en"), EXTRACT_CLAIM_NEW);
}

static void
test_small_counts_and_far_figures_revise_nothing(void **state)
{
	/* "four bodies" after "three hostages": no evidence of one subject. */
	assert_int_equal(compare("4", "bodi free hostag offer", NULL, "en",
	    "3", "free hostag", NULL, "en"), EXTRACT_CLAIM_NEW);
	/* 8.1% inflation is no new value of a 20% key rate. */
	assert_int_equal(compare("8.1%", "inflat rate slow", NULL, "en",
	    "20%", "cut key rate", NULL, "en"), EXTRACT_CLAIM_NEW);
	/* 58 hostages after 59: the same count, revised. */
	assert_int_equal(compare("58\t23", "aliv believ hostag remain", NULL,
	    "en", "59\t24", "aliv believ held hostag remain", NULL, "en"),
	    EXTRACT_CLAIM_REVISES);
}

/* The key of claim c of out, written in lang; *figures is the caller's
 * to free. */
static struct extract_claim_key
key_of(const struct extract_claim *c, const char *lang, char **figures)
{
	struct extract_claim_key k;

	*figures = extract_claim_figures_join(c);
	k.figures = *figures;
	k.terms = c->terms;
	k.speaker_key = c->speaker_key;
	k.lang = lang;
	return k;
}

/* How the claim holding sentence b of text b (lang lb) relates to an
 * earlier claim holding sentence a of text a (lang la), each read with
 * its names. */
static enum extract_novelty
compare_texts(const char *la, const char *ta, const struct cfx_name *na,
    const char *a, const char *lb, const char *tb,
    const struct cfx_name *nb, const char *b)
{
	struct extract_claim_key ka, kb;
	enum extract_novelty r;
	struct cfx fa, fb;
	char *xa, *xb;

	cfx_read(&fa, la, 2025, NULL, ta, na);
	cfx_read(&fb, lb, 2025, NULL, tb, nb);
	ka = key_of(cfx_must_claim(&fa.out, a), la, &xa);
	kb = key_of(cfx_must_claim(&fb.out, b), lb, &xb);
	r = extract_claim_compare(&kb, &ka);
	free(xa);
	free(xb);
	cfx_clear(&fa);
	cfx_clear(&fb);
	return r;
}

static void
test_identical_claim_is_always_a_repeat(void **state)
{
	static const struct cfx_name names[] = {
		{ 'P', "Maria Zakharova", "mariya|zaharova" },
		{ 'O', "Russian Foreign Ministry", NULL },
		{ '\0', NULL, NULL },
	};
	struct extract_claim_key k;
	enum extract_novelty r;
	size_t i, which;
	struct cfx f;
	char *figures;

	/* Nothing but the attribution and its title: no terms, no
	 * figures, and still the same claim when a copy repeats it. */
	cfx_read(&f, "en", 2025, NULL, "This was previously stated by the "
	    "official representative of the Russian Foreign Ministry, Maria "
	    "Zakharova.", names);
	assert_int_equal(f.out.nclaims, 1);
	k = key_of(&f.out.claims[0], "en", &figures);
	assert_int_equal(extract_claim_novelty(&k, &k, 1, &which),
	    EXTRACT_CLAIM_REPEAT);
	free(figures);
	cfx_clear(&f);
	/* By hand: empty, with figures, in Russian, without a speaker. */
	assert_int_equal(compare("", "", "mariya|zaharova", "en", "", "",
	    "mariya|zaharova", "en"), EXTRACT_CLAIM_REPEAT);
	assert_int_equal(compare("", "", NULL, "ru", "", "", NULL, "ru"),
	    EXTRACT_CLAIM_REPEAT);
	assert_int_equal(compare("4", "BODY HOSTAGE", NULL, "en", "4",
	    "BODY HOSTAGE", NULL, "en"), EXTRACT_CLAIM_REPEAT);
	assert_int_equal(compare("", "$HAMAS", NULL, "ru", "", "$HAMAS",
	    NULL, "ru"), EXTRACT_CLAIM_REPEAT);
	/* The same words from a speaker named on one side only. */
	assert_int_equal(compare("", "GLAD RELEASE", "mariya|zaharova", "en",
	    "", "GLAD RELEASE", NULL, "en"), EXTRACT_CLAIM_REPEAT);
	/* Nothing said by two people is not one claim. */
	assert_int_equal(compare("", "", "mariya|zaharova", "en", "", "",
	    "dmitrii|peskov", "en"), EXTRACT_CLAIM_NEW);
	assert_int_equal(compare("", "", "mariya|zaharova", "en", "", "",
	    NULL, "en"), EXTRACT_CLAIM_NEW);
	/* Every claim of a text compared with itself. */
	cfx_read(&f, "ru", 2025, NULL, "Об этом ранее заявила официальный "
	    "представитель МИД России Мария Захарова. По ее словам, 12 "
	    "марта начались переговоры. «Мы рады», — сказала она.", NULL);
	for (i = 0; i < f.out.nclaims; i++) {
		k = key_of(&f.out.claims[i], "ru", &figures);
		r = extract_claim_novelty(&k, &k, 1, &which);
		free(figures);
		assert_int_equal(r, EXTRACT_CLAIM_REPEAT);
	}
	cfx_clear(&f);
}

static void
test_claim_repeated_in_another_language_is_a_repeat(void **state)
{
	static const struct cfx_name en[] = {
		{ 'P', "Maria Zakharova|Zakharova", "mariya|zaharova" },
		{ 'P', "Maxim Kharkin|Kharkin", "maksim|harkin" },
		{ 'L', "Moscow", NULL },
		{ '\0', NULL, NULL },
	};
	static const struct cfx_name ru[] = {
		{ 'P', "Мария Захарова|Захарова", "mariya|zaharova" },
		{ 'P', "Максима Харкина|Харкина", "maksim|harkin" },
		{ 'L', "Москва", NULL },
		{ '\0', NULL, NULL },
	};
	static const struct cfx_name en_org[] = {
		{ 'O', "Hamas", NULL },
		{ '\0', NULL, NULL },
	};
	static const struct cfx_name ru_org[] = {
		{ 'O', "ХАМАС", NULL },
		{ '\0', NULL, NULL },
	};

	/* No figure, one speaker: the concepts of the words and the names
	 * said are what two languages share. */
	assert_int_equal(compare_texts("en", "Zakharova said Moscow welcomed "
	    "the return of Maxim Kharkin and thanked everyone who helped "
	    "secure his release.", en, "Zakharova said", "ru", "Захарова "
	    "заявила, что Москва приветствует возвращение Максима Харкина и "
	    "благодарит всех, кто помог его освобождению.", ru,
	    "Захарова заявила"), EXTRACT_CLAIM_REPEAT);
	/* The same speaker saying something else. */
	assert_int_equal(compare_texts("en", "Zakharova said Moscow welcomed "
	    "the return of Maxim Kharkin and thanked everyone who helped "
	    "secure his release.", en, "Zakharova said", "ru", "Захарова "
	    "заявила, что возобновление ударов ставит под угрозу жизнь "
	    "заложников.", ru, "Захарова заявила"), EXTRACT_CLAIM_NEW);
	/* An organisation speaking in both: its concept is its name. */
	assert_int_equal(compare_texts("en", "Hamas said talks on the second "
	    "stage of the ceasefire agreement began on Monday.", en_org,
	    "Hamas said", "ru", "ХАМАС заявил, что переговоры о втором "
	    "этапе соглашения о прекращении огня начались в понедельник.",
	    ru_org, "ХАМАС заявил"), EXTRACT_CLAIM_REPEAT);
	/* Stems of two languages alone say nothing. */
	assert_int_equal(compare("", "движен гибкост", "hazem|qasem", "ru",
	    "", "flexibl movement", "hazem|qasem", "en"), EXTRACT_CLAIM_NEW);
}

static void
test_changed_figure_of_the_same_thing_revises_across_languages(void **state)
{
	/* "key rate ... 20%" then "ключевую ставку ... 18%": the words
	 * around the figures are one subject. */
	assert_int_equal(compare_texts("en", "The Bank of Russia cut its key "
	    "rate to 20% on Friday.", NULL, "key rate", "ru", "Банк России "
	    "снизил ключевую ставку до 18% в пятницу.", NULL, "ставку"),
	    EXTRACT_CLAIM_REVISES);
	/* 18% of inflation is no new value of a 20% key rate. */
	assert_int_equal(compare_texts("en", "The Bank of Russia cut its key "
	    "rate to 20% on Friday.", NULL, "key rate", "ru", "Годовая "
	    "инфляция в России замедлилась до 18%.", NULL, "инфляция"),
	    EXTRACT_CLAIM_NEW);
	/* "to 20% from 21%" keeps the figure it revises beside the new. */
	assert_int_equal(compare_texts("ru", "Банк России сохранил ключевую "
	    "ставку на уровне 21%.", NULL, "ставку", "en", "The Bank of "
	    "Russia cut its key rate to 20% from 21% on Friday.", NULL,
	    "key rate"), EXTRACT_CLAIM_REVISES);
}

static void
test_changed_count_revises_only_what_it_counted(void **state)
{
	/* 1,800 prisoners after about 1,900: a count, though four digits
	 * could be a year. */
	assert_int_equal(compare_texts("en", "The deal provides for the "
	    "release of 33 hostages in exchange for about 1,900 Palestinian "
	    "prisoners.", NULL, "1,900", "en", "Israel in turn released "
	    "about 1,800 Palestinian prisoners.", NULL, "1,800"),
	    EXTRACT_CLAIM_REVISES);
	/* Without the words around them (a claim stored before they were
	 * written), four digits stay a year. */
	assert_int_equal(compare("1800", "PALESTINE PRISONER RELEASE", NULL,
	    "en", "33\t1900", "EXCHANGE HOSTAGE PALESTINE PRISONER RELEASE",
	    NULL, "en"), EXTRACT_CLAIM_NEW);
	assert_int_equal(compare("1800", "#1800=PALESTINE,PRISONER "
	    "PALESTINE PRISONER RELEASE", NULL, "en", "33\t1900",
	    "#1900=PALESTINE,PRISONER #33=HOSTAGE EXCHANGE HOSTAGE "
	    "PALESTINE PRISONER RELEASE", NULL, "en"), EXTRACT_CLAIM_REVISES);
	/* 33 hostages is no new value of 36 prisoners serving life. */
	assert_int_equal(compare_texts("en", "Israel began releasing 369 "
	    "Palestinian prisoners, including 36 serving life sentences.",
	    NULL, "369", "en", "The deal provides for the release of 33 "
	    "hostages in exchange for Palestinian prisoners.", NULL, "33"),
	    EXTRACT_CLAIM_NEW);
}

static void
test_count_updated_by_a_little_revises_it(void **state)
{
	/* 6,057 bodies after 6,000 bodies: the same count updated, though
	 * the claims share little else. */
	assert_int_equal(compare("6057\t78", "#6057=BODY,RECEIVE,UKRAINE "
	    "#78=BODY,RUSSIA BODY RECEIVE RUSSIA UKRAINE servicemen", NULL,
	    "en", "6000", "#6000=PRISONER,INJURED,AGREEMENT,BODY AGREEMENT "
	    "BODY INJURED PRISONER talks", NULL, "en"), EXTRACT_CLAIM_REVISES);
	/* A near figure counting something else is new. */
	assert_int_equal(compare("6057", "#6057=grain,tonn,EXPORT EXPORT "
	    "grain tonn", NULL, "en", "6000", "#6000=PRISONER,INJURED,"
	    "AGREEMENT,BODY AGREEMENT BODY INJURED PRISONER talks", NULL,
	    "en"), EXTRACT_CLAIM_NEW);
}

static void
test_counts_of_two_dated_events_revise_nothing(void **state)
{
	/* 303 servicemen after 307: an update of one swap's count... */
	assert_int_equal(compare("303", "#303=EXCHANGE,SIDE,servicemen "
	    "EXCHANGE SIDE servicemen", NULL, "en", "307", "#307=EXCHANGE,"
	    "SIDE,servicemen EXCHANGE SIDE servicemen", NULL, "en"),
	    EXTRACT_CLAIM_REVISES);
	/* ... but not when each is dated, one on May 25, one on May 24. */
	assert_int_equal(compare("303\t2025-05-25", "#303=EXCHANGE,SIDE,"
	    "servicemen EXCHANGE SIDE servicemen", NULL, "en",
	    "307\t2025-05-24", "#307=EXCHANGE,SIDE,servicemen EXCHANGE SIDE "
	    "servicemen", NULL, "en"), EXTRACT_CLAIM_NEW);
	/* One date in common is one event: "in August", 548 after 411. */
	assert_int_equal(compare("548000 bpd\t2025-08", "#548000_bpd="
	    "OUTPUT,INCREASE,OPEC OPEC OUTPUT INCREASE", NULL, "en",
	    "411000 bpd\t2025-08", "#411000_bpd=OUTPUT,INCREASE,OPEC OPEC "
	    "OUTPUT INCREASE", NULL, "en"), EXTRACT_CLAIM_REVISES);
}

static void
test_words_every_claim_holds_weigh_less(void **state)
{
	/* Each sorts before the shared words, as terms are sorted. */
	static const char *others[] = { "AID", "ARMY", "BORDER", "CITY",
	    "COURT", "DRONE", "ECONOMY", "FAMILY", "FOOD", "GAS", "GRAIN" };
	struct extract_claim_key known[12], a;
	char terms[11][64];
	size_t i, which;

	/* Three words of four the same are one claim ... */
	a.figures = "";
	a.terms = "HAMAS HOSTAGE RELEASE TALKS";
	a.speaker_key = NULL;
	a.lang = "en";
	known[0] = a;
	known[0].terms = "HAMAS HOSTAGE RELEASE TRUCE";
	assert_int_equal(extract_claim_novelty(&a, known, 1, &which),
	    EXTRACT_CLAIM_REPEAT);
	/* ... until the watch's other claims show that those three say
	 * little: every claim under it holds them. */
	for (i = 1; i < 12; i++) {
		snprintf(terms[i - 1], sizeof terms[i - 1],
		    "%s HAMAS HOSTAGE RELEASE", others[i - 1]);
		known[i] = known[0];
		known[i].terms = terms[i - 1];
	}
	assert_int_equal(extract_claim_novelty(&a, known, 12, &which),
	    EXTRACT_CLAIM_NEW);
}

static void
test_figures_join_with_tabs(void **state)
{
	char *figures[] = { "33", "2 months", "2025-03-12" };
	struct extract_claim c;
	char *s;

	memset(&c, 0, sizeof c);
	c.figures = figures;
	c.nfigures = 3;
	s = extract_claim_figures_join(&c);
	assert_string_equal(s, "33\t2 months\t2025-03-12");
	free(s);
	c.nfigures = 0;
	s = extract_claim_figures_join(&c);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeated_lead_is_a_repeat),
		cmocka_unit_test(test_count_updated_by_a_little_revises_it),
		cmocka_unit_test(test_counts_of_two_dated_events_revise_nothing),
		cmocka_unit_test(test_extension_fifty_days_revises_two_months),
		cmocka_unit_test(test_about_sixty_days_repeats_two_months),
		cmocka_unit_test(
		    test_reworded_claim_with_the_same_figures_is_a_repeat),
		cmocka_unit_test(test_other_subject_is_new),
		cmocka_unit_test(
		    test_translated_claim_compares_figures_and_speaker),
		cmocka_unit_test(
		    test_dates_repeat_as_written_and_revise_nothing),
		cmocka_unit_test(
		    test_small_counts_and_far_figures_revise_nothing),
		cmocka_unit_test(test_identical_claim_is_always_a_repeat),
		cmocka_unit_test(
		    test_claim_repeated_in_another_language_is_a_repeat),
		cmocka_unit_test(
		    test_changed_figure_of_the_same_thing_revises_across_languages),
		cmocka_unit_test(
		    test_changed_count_revises_only_what_it_counted),
		cmocka_unit_test(test_words_every_claim_holds_weigh_less),
		cmocka_unit_test(test_figures_join_with_tabs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
