/* test_extract_claim.c: which sentences are claims, and their speakers, sources, figures and terms — on the seed, an own fixture with its traps, and Russian. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/test_extract_claim_fixture.h"

#define SEED	"seed/000_0bcda3ea3e606858.txt"

/* Reads the seed with its names; 0 (after the skip line) without
 * ../shared. */
static int
read_seed(struct cfx *f)
{
	char *path, *buf, *cause = NULL;
	size_t len;

	if ((path = test_shared_path(SEED)) == NULL)
		return 0;
	buf = util_read_file(path, TEST_FIXTURE_MAX, &len, &cause);
	if (buf == NULL) {
		print_message("skipped: %s\n", cause);
		free(cause);
		free(path);
		return 0;
	}
	cfx_read_file(f, "en", 2025, buf, cfx_seed_names);
	free(buf);
	free(path);
	return 1;
}

/* Reads tests/data/extract/claims-en.txt with its names. */
static void
read_fixture(struct cfx *f)
{
	size_t len;
	char *buf = test_fixture("extract/claims-en.txt", &len);

	cfx_read_file(f, "en", 2025, buf, cfx_fixture_names);
	free(buf);
}

/* Checks the claim holding s: its speaker and source (NULL for none). */
static void
check_who(const struct extract_result *out, const char *s,
    const char *speaker, const char *source)
{
	const struct extract_claim *c = cfx_must_claim(out, s);

	if (speaker == NULL)
		assert_null(c->speaker);
	else if (c->speaker == NULL || strcmp(c->speaker, speaker) != 0)
		fail_msg("\"%s\": speaker %s, want %s", s,
		    c->speaker != NULL ? c->speaker : "none", speaker);
	if (source == NULL)
		assert_null(c->source);
	else if (c->source == NULL || strstr(c->source, source) == NULL)
		fail_msg("\"%s\": source %s, want %s", s,
		    c->source != NULL ? c->source : "none", source);
}

static void
test_seed_claims_have_figures(void **state)
{
	const struct extract_claim *c;
	struct cfx f;

	if (!read_seed(&f))
		return;
	c = cfx_must_claim(&f.out, "33 hostages");
	assert_true(cfx_has_figure(c, "33"));
	assert_true(cfx_has_figure(c, "8"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "1,800"), "1800"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "two months"),
	    "2 months"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "for every American"),
	    "200 per 1"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "began on March 12"),
	    "2025-03-12"));
	c = cfx_must_claim(&f.out, "On February 15");
	assert_true(cfx_has_figure(c, "2025-02-15"));
	assert_true(cfx_has_figure(c, "498 days"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "since September 2023"),
	    "2023-09"));
	/* "the second stage", "the first phase": ordinals. */
	assert_null(cfx_claim(&f.out, "Hamas contacts Russia on second phase"));
	cfx_clear(&f);
}

static void
test_seed_attributions_name_speakers_and_sources(void **state)
{
	struct cfx f;

	if (!read_seed(&f))
		return;
	check_who(&f.out, "Gas deal, a source in the movement told Izvestia",
	    "a source in the movement", "Izvestia");
	check_who(&f.out, "This was previously stated by", "Maria Zakharova",
	    NULL);
	check_who(&f.out, "Hazem Qassem, confirmed", "Hazem Qassem", NULL);
	check_who(&f.out, "According to him, Hamas", "Hazem Qassem", NULL);
	check_who(&f.out, "al-Kanua said", "Abdel Latif al-Kanua", NULL);
	check_who(&f.out, "a Palestinian security expert, told Izvestia",
	    "Mohammed Al\xe2\x80\x94Masri", "Izvestia");
	check_who(&f.out, "noted in an interview with Izvestia",
	    "Musa Abu Marzouk", "Izvestia");
	check_who(&f.out, "according to the Times of Israel",
	    "the Times of Israel newspaper", "the Times of Israel");
	check_who(&f.out, "According to sources in the Asharq Al-Awsat",
	    "sources in the Asharq Al-Awsat newspaper",
	    "sources in the Asharq Al-Awsat newspaper");
	check_who(&f.out, "The Wall Street Journal and The New York Times write",
	    "The Wall Street Journal and The New York Times",
	    "The Wall Street Journal and The New York Times");
	/* The office speaks, not the Prime Minister it belongs to. */
	check_who(&f.out, "had previously informed Izvestia",
	    "The office of Israeli Prime Minister Benjamin Netanyahu",
	    "Izvestia");
	assert_string_equal(cfx_must_claim(&f.out,
	    "al-Kanua said")->speaker_key, "abdel latif|kanua");
	cfx_clear(&f);
}

static void
test_fixture_has_the_seed_traps(void **state)
{
	const struct extract_claim *c;
	struct cfx f;

	read_fixture(&f);
	c = cfx_must_claim(&f.out, "33 prisoners");
	assert_true(cfx_has_figure(c, "33"));
	assert_true(cfx_has_figure(c, "8"));
	assert_true(cfx_has_figure(cfx_must_claim(&f.out, "1,800"), "1800"));
	assert_true(cfx_any_figure(&f.out, "2 months"));
	assert_true(cfx_any_figure(&f.out, "200 per 1"));
	assert_true(cfx_any_figure(&f.out, "2025-03-12"));
	assert_true(cfx_any_figure(&f.out, "2025-02-15"));
	assert_true(cfx_any_figure(&f.out, "498 days"));
	assert_true(cfx_any_figure(&f.out, "2023-09"));
	check_who(&f.out, "prisoner exchange, a source in the delegation told",
	    "a source in the delegation", "Reuters");
	check_who(&f.out, "This was previously stated by", "Olena Kovalchuk",
	    NULL);
	check_who(&f.out, "According to him", "Pavlo Savchuk", NULL);
	check_who(&f.out, "Serhiy Marchenko, a Ukrainian", "Serhiy Marchenko",
	    "Reuters");
	check_who(&f.out, "noted in an interview with Reuters",
	    "Andriy Hrytsenko", "Reuters");
	check_who(&f.out, "according to the Kyiv Independent",
	    "the Kyiv Independent newspaper", "the Kyiv Independent");
	check_who(&f.out, "The Financial Times and The Economist write",
	    "The Financial Times and The Economist",
	    "The Financial Times and The Economist");
	check_who(&f.out, "had previously informed Reuters",
	    "The office of Ukrainian Prime Minister Taras Bondar", "Reuters");
	/* A possessive names the office, not its owner. */
	check_who(&f.out, "Bondar's office said", "Bondar's office", NULL);
	assert_null(cfx_must_claim(&f.out, "Bondar's office")->speaker_key);
	/* "The report was published": a noun, no attribution. */
	assert_null(cfx_claim(&f.out, "The report was published"));
	assert_null(cfx_claim(&f.out, "F-16"));
	assert_null(cfx_claim(&f.out, "Bringing detained sailors"));
	cfx_clear(&f);
}

/* Runs title and body (a file's first line and the rest) through
 * extract_story, the people pass finding the names. */
static void
story_read(struct extractor *x, char *buf, struct extract_result *out)
{
	char *nl, *body;

	assert_non_null(nl = strchr(buf, '\n'));
	*nl = '\0';
	for (body = nl + 1; *body == '\n'; body++)
		;
	extract_story(x, "en", buf, body, 2025, out);
}

static void
test_seed_through_extract_story(void **state)
{
	enum extract_novelty verdicts[EXTRACT_MAX_CLAIMS];
	struct extract_result out;
	struct extractor *x;
	char *path, *buf, *cause = NULL;
	size_t len, i;

	if ((path = test_shared_path(SEED)) == NULL)
		return;
	if ((buf = util_read_file(path, TEST_FIXTURE_MAX, &len, &cause)) ==
	    NULL) {
		print_message("skipped: %s\n", cause);
		free(cause);
		free(path);
		return;
	}
	x = extractor_new(&cause);
	assert_non_null(x);
	story_read(x, buf, &out);
	assert_true(cfx_has_figure(cfx_must_claim(&out, "33 hostages"), "8"));
	assert_true(cfx_any_figure(&out, "1800"));
	assert_true(cfx_any_figure(&out, "200 per 1"));
	assert_true(cfx_any_figure(&out, "2025-03-12"));
	check_who(&out, "This was previously stated by", "Maria Zakharova",
	    NULL);
	check_who(&out, "Gas deal, a source in the movement told Izvestia",
	    "a source in the movement", "Izvestia");
	check_who(&out, "According to sources in the Asharq Al-Awsat",
	    "sources in the Asharq Al-Awsat newspaper",
	    "sources in the Asharq Al-Awsat newspaper");
	assert_non_null(cfx_must_claim(&out,
	    "Hazem Qassem, confirmed")->speaker_key);
	/* The repeated lead raises nothing. */
	cfx_watch(&out, "en", verdicts, NULL);
	for (i = 0; i < out.nclaims; i++) {
		if (strstr(out.claims[i].text, "maintains a channel") != NULL)
			assert_int_equal(verdicts[i], EXTRACT_CLAIM_REPEAT);
	}
	extract_result_clear(&out);
	extractor_free(x);
	free(buf);
	free(path);
}

static void
test_quotation_needs_a_person_beside_it(void **state)
{
	static const struct cfx_name names[] = {
		{ 'P', "Serhiy Marchenko", "sergei|marchenko" },
		{ '\0', NULL, NULL },
	};
	struct cfx f;

	cfx_read(&f, "en", 2025, NULL, "Serhiy Marchenko: \xe2\x80\x9cWe will "
	    "not give in.\xe2\x80\x9d The idea of \"exchanging everyone for "
	    "everyone\" was discussed. Hamas' rejection was expected.", names);
	check_who(&f.out, "We will not give in", "Serhiy Marchenko", NULL);
	assert_null(cfx_claim(&f.out, "exchanging everyone"));
	assert_null(cfx_claim(&f.out, "rejection"));
	assert_int_equal(f.out.nclaims, 1);
	cfx_clear(&f);
}

static void
test_russian_attributions(void **state)
{
	static const struct cfx_name names[] = {
		{ 'P', "Мария Захарова|Захаровой", "mariya|zaharova" },
		{ 'O', "Известиям", NULL },
		{ 'O', "The Times of Israel", NULL },
		{ 'O', "МИД России", NULL },
		{ 'L', "Россией", NULL },
		{ 'L', "Москва", NULL },
		{ '\0', NULL, NULL },
	};
	struct cfx f;

	cfx_read(&f, "ru", 2025, "Движение в контакте с Россией",
	    "Об этом заявила официальный представитель МИД России Мария "
	    "Захарова. По словам Захаровой, Москва продолжит работу. "
	    "Движение поддерживает контакт с Россией, сообщил «Известиям» "
	    "источник в движении. Как пишет The Times of Israel, Израиль "
	    "рассматривает предложения. Переговоры идут трудно.", names);
	check_who(&f.out, "Об этом заявила", "Мария Захарова", NULL);
	assert_string_equal(cfx_must_claim(&f.out, "Об этом")->speaker_key,
	    "mariya|zaharova");
	check_who(&f.out, "По словам Захаровой", "Мария Захарова", NULL);
	check_who(&f.out, "сообщил «Известиям»", "источник в движении",
	    "Известиям");
	check_who(&f.out, "Как пишет", "The Times of Israel",
	    "The Times of Israel");
	assert_null(cfx_claim(&f.out, "Переговоры идут трудно"));
	cfx_clear(&f);
}

static void
test_terms_are_sorted_unique_concepts_and_stems_without_figures(void **state)
{
	static const struct cfx_name names[] = {
		{ 'O', "Hamas", NULL },
		{ 'L', "Israel", NULL },
		{ '\0', NULL, NULL },
	};
	const struct extract_claim *c;
	struct cfx f;

	/* "released", "released" and "prisoners" are concepts (capitals),
	 * Israel a name with one; the figure is no term but the words
	 * around it are ("#1800=..."); the speaker is a term of its own
	 * ("$HAMAS"), not content. */
	cfx_read(&f, "en", 2025, NULL, "Hamas said Israel released 1,800 "
	    "prisoners and the prisoners were released on March 12.", names);
	c = cfx_must_claim(&f.out, "Hamas said");
	assert_string_equal(c->terms, "#1800=RELEASE,ISRAEL,PRISONER $HAMAS "
	    "ISRAEL PRISONER RELEASE");
	assert_string_equal(c->speaker, "Hamas");
	cfx_clear(&f);
	/* A word no concept knows stays its stem. */
	cfx_read(&f, "en", 2025, NULL, "Hamas said the ceremonies were "
	    "humiliating.", names);
	c = cfx_must_claim(&f.out, "Hamas said");
	assert_string_equal(c->terms, "$HAMAS ceremoni humili");
	cfx_clear(&f);
}

static void
test_terms_of_two_languages_meet_in_concepts(void **state)
{
	static const struct cfx_name en[] = {
		{ 'P', "Maria Zakharova|Zakharova", "mariya|zaharova" },
		{ 'P', "Maxim Kharkin|Kharkin", "maksim|harkin" },
		{ '\0', NULL, NULL },
	};
	static const struct cfx_name ru[] = {
		{ 'P', "Мария Захарова|Захарова", "mariya|zaharova" },
		{ 'P', "Максима Харкина", "maksim|harkin" },
		{ '\0', NULL, NULL },
	};
	const struct extract_claim *c;
	struct cfx f;

	cfx_read(&f, "en", 2025, NULL, "Zakharova said Moscow welcomed the "
	    "release of Maxim Kharkin.", en);
	c = cfx_must_claim(&f.out, "Zakharova said");
	assert_string_equal(c->terms, "$zaharova @harkin RELEASE RUSSIA "
	    "WELCOME");
	cfx_clear(&f);
	cfx_read(&f, "ru", 2025, NULL, "Захарова заявила, что Москва "
	    "приветствует освобождение Максима Харкина.", ru);
	c = cfx_must_claim(&f.out, "Захарова заявила");
	assert_string_equal(c->terms, "$zaharova @harkin RELEASE RUSSIA "
	    "WELCOME");
	cfx_clear(&f);
}

static void
test_speaker_title_and_apposition_are_no_terms(void **state)
{
	static const struct cfx_name names[] = {
		{ 'P', "Benjamin Netanyahu", "benyamin|netanyahu" },
		{ 'P', "Adam Boehler", "adam|boler" },
		{ 'P', "Maria Zakharova", "mariya|zaharova" },
		{ 'O', "Russian Foreign Ministry", NULL },
		{ '\0', NULL, NULL },
	};
	const struct extract_claim *c;
	struct cfx f;

	cfx_read(&f, "en", 2025, NULL, "Israeli Prime Minister Benjamin "
	    "Netanyahu said the strikes would go on. Adam Boehler, the envoy "
	    "whose meetings opened the channel, said talking works. \"We are "
	    "glad,\" the official representative of the Russian Foreign "
	    "Ministry, Maria Zakharova, said.", names);
	c = cfx_must_claim(&f.out, "strikes would go on");
	assert_string_equal(c->terms, "$netanyahu ATTACK go");
	c = cfx_must_claim(&f.out, "talking works");
	assert_string_equal(c->terms, "$boler TALKS WORK");
	c = cfx_must_claim(&f.out, "We are glad");
	assert_string_equal(c->terms, "$zaharova GLAD");
	cfx_clear(&f);
}

static void
test_language_without_cues_gives_no_claims(void **state)
{
	struct cfx f;

	cfx_read(&f, "xx", 2025, NULL, "Hamas said 33 hostages were freed.",
	    NULL);
	assert_int_equal(f.out.nclaims, 0);
	cfx_clear(&f);
	cfx_read(&f, "../../etc", 2025, NULL, "Hamas said so.", NULL);
	assert_int_equal(f.out.nclaims, 0);
	cfx_clear(&f);
}

static void
test_claims_are_bounded_and_hostile_bytes_never_crash(void **state)
{
	struct cfx f;
	char *text;
	size_t i, len = 300 * 40;

	/* More claims than EXTRACT_MAX_CLAIMS: the first are kept. */
	text = xmalloc(len + 1);
	for (i = 0; i < 300; i++)
		memcpy(text + i * 40, "He said 33 hostages were freed today.   ",
		    40);
	text[len] = '\0';
	cfx_read(&f, "en", 2025, NULL, text, NULL);
	assert_int_equal(f.out.nclaims, EXTRACT_MAX_CLAIMS);
	cfx_clear(&f);
	free(text);
	/* One sentence of 8 KiB is no claim. */
	len = 8192;
	text = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		text[i] = "said 12 "[i % 8];
	text[len] = '\0';
	cfx_read(&f, "en", 2025, NULL, text, NULL);
	assert_int_equal(f.out.nclaims, 0);
	cfx_clear(&f);
	free(text);
	/* Bytes of every value, quotation marks without ends. */
	len = 4096;
	text = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		text[i] = (char)((i * 7919 + 13) % 255 + 1);
	text[len] = '\0';
	cfx_read(&f, "en", 2025, NULL, text, NULL);
	cfx_clear(&f);
	cfx_read(&f, "ru", 2025, NULL, "\xc2\xab\xe2\x80\x9e' said \" 1,"
	    " $ % \xe2\x80\x99 for every \xd0", NULL);
	cfx_clear(&f);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_claims_have_figures),
		cmocka_unit_test(
		    test_seed_attributions_name_speakers_and_sources),
		cmocka_unit_test(test_fixture_has_the_seed_traps),
		cmocka_unit_test(test_seed_through_extract_story),
		cmocka_unit_test(test_quotation_needs_a_person_beside_it),
		cmocka_unit_test(test_russian_attributions),
		cmocka_unit_test(
		    test_terms_are_sorted_unique_concepts_and_stems_without_figures),
		cmocka_unit_test(test_terms_of_two_languages_meet_in_concepts),
		cmocka_unit_test(test_speaker_title_and_apposition_are_no_terms),
		cmocka_unit_test(test_language_without_cues_gives_no_claims),
		cmocka_unit_test(
		    test_claims_are_bounded_and_hostile_bytes_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
