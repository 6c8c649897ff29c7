/* test_story_signature.c: what an item's signature keeps and what tells two items apart; its encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "story/fingerprint.h"
#include "story/story.h"
#include "text/text.h"

#define P1 "Qatar said on Monday that negotiations to extend the four-day " \
	"truce between Israel and Hamas were making progress, as mediators " \
	"tried to secure the release of more hostages held in Gaza in " \
	"exchange for Palestinian prisoners.\n\n"
#define P2 "Foreign ministry spokesman Majed al-Ansari told reporters in " \
	"Doha that the two sides were discussing a two-day extension on the " \
	"same terms, under which Hamas would free ten hostages for each " \
	"additional day of calm.\n\n"
#define P3 "Israel has said it would add one day to the pause for every " \
	"ten hostages released. An Israeli official said the government had " \
	"received a list of names from the mediators late on Sunday.\n\n"
#define P4 "The truce, which began on Friday, has brought the first " \
	"sustained halt to fighting in seven weeks of war and allowed more " \
	"aid trucks to enter the enclave from Egypt.\n"

/* A different story on the same topic, the next day. */
#define OTHER "Israel and Hamas have agreed to extend their truce in Gaza " \
	"by two days, Qatar announced on Monday evening, hours before the " \
	"pause in fighting was due to end. The extension will run on the " \
	"same terms as the original agreement, the Qatari foreign ministry " \
	"spokesman said, meaning Hamas is expected to release 20 more women " \
	"and children held hostage in return for 60 Palestinian prisoners. " \
	"Hamas confirmed the deal in a statement. US President Joe Biden " \
	"welcomed the announcement and said he hoped the pause could be " \
	"extended further."

/* Signs a title and a text. */
static void
sign(const char *title, const char *text, struct story_signature *sig)
{
	struct text_tokens t = { 0 }, x = { 0 };

	text_tokenize(title, strlen(title), &t);
	text_tokenize(text, strlen(text), &x);
	story_signature_compute(&t, &x, sig);
	text_tokens_clear(&t);
	text_tokens_clear(&x);
}

static void
test_markup_spacing_and_punctuation_keep_the_exact_hash(void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks to extend Gaza truce are making progress",
	    P1 P2 P3 P4, &a);
	sign("Qatar says talks to extend  Gaza truce are making progress!",
	    "Qatar said on Monday that negotiations to extend the four-day\n"
	    "truce between Israel and Hamas were making progress — as "
	    "mediators tried to secure the release of more hostages held in "
	    "Gaza in exchange for Palestinian prisoners. Foreign ministry "
	    "spokesman Majed al-Ansari told reporters in Doha that the two "
	    "sides were discussing a two-day extension on the same terms, "
	    "under which Hamas would free ten hostages for each additional "
	    "day of calm.\r\n  Israel has said it would add one day to the "
	    "pause for every ten hostages released; an Israeli official said "
	    "the government had received a list of names from the mediators "
	    "late on Sunday.\n\n\"The truce, which began on Friday, has "
	    "brought the first sustained halt to fighting in seven weeks of "
	    "war and allowed more aid trucks to enter the enclave from "
	    "Egypt.\"", &b);
	assert_true(a.exact == b.exact);
	assert_true(story_signature_similarity(&a, &b) == 1.0);
}

static void
test_case_and_accents_keep_the_exact_hash(void **state)
{
	struct story_signature a, b;

	sign("Café owners protest", "Protesters in Besançon gathered on "
	    "Monday.", &a);
	sign("CAFE OWNERS PROTEST", "protesters in besancon gathered on "
	    "monday", &b);
	assert_true(a.exact == b.exact);
}

static void
test_a_word_moved_between_title_and_text_changes_the_exact_hash(void **state)
{
	struct story_signature a, b;

	sign("Truce extended", "Qatar said on Monday.", &a);
	sign("Truce", "extended Qatar said on Monday.", &b);
	assert_true(a.exact != b.exact);
}

static void
test_new_headline_stays_a_near_duplicate(void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks to extend Gaza truce are making progress",
	    P1 P2 P3 P4, &a);
	sign("Gaza truce could be extended by two days, mediator says",
	    P1 P2 P3 P4, &b);
	assert_true(a.exact != b.exact);
	assert_true(story_signature_similarity(&a, &b) >= STORY_FP_THRESHOLD);
}

static void
test_related_line_trimmed_paragraph_and_dateline_stay_a_near_duplicate(
    void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks to extend Gaza truce are making progress",
	    P1 P2 P3 P4, &a);
	sign("Qatar sees progress in talks to extend Gaza truce",
	    "DOHA, Nov 27 (Reuters) - " P1 P2 P3
	    "Related: Families of hostages wait for news as third group is "
	    "freed", &b);
	assert_true(story_signature_similarity(&a, &b) >= STORY_FP_THRESHOLD);
	assert_true(story_signature_similarity(&b, &a) ==
	    story_signature_similarity(&a, &b));
}

static void
test_teaser_of_the_first_paragraph_is_a_near_duplicate(void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks to extend Gaza truce are making progress",
	    P1 P2 P3 P4, &a);
	sign("Gaza truce talks progressing, Qatar says", P1, &b);
	assert_true(story_signature_similarity(&a, &b) >= STORY_FP_THRESHOLD);
}

static void
test_figure_updated_stays_a_near_duplicate(void **state)
{
	struct story_signature a, b;

	sign("Storm kills 12 in western Europe", "Storm Ciaran killed at "
	    "least 12 people as it swept across western Europe on Thursday, "
	    "bringing winds of up to 200 km/h to the Atlantic coast, "
	    "uprooting trees and cutting power to more than a million homes. "
	    "Meteo-France said winds would ease by the evening.", &a);
	sign("Storm kills 14 in western Europe", "Storm Ciaran killed at "
	    "least 14 people as it swept across western Europe on Thursday, "
	    "bringing winds of up to 200 km/h to the Atlantic coast, "
	    "uprooting trees and cutting power to more than a million homes. "
	    "Meteo-France said winds would ease by the evening.", &b);
	assert_true(story_signature_similarity(&a, &b) >= STORY_FP_THRESHOLD);
}

static void
test_different_story_on_the_same_topic_is_not_a_near_duplicate(void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks to extend Gaza truce are making progress",
	    P1 P2 P3 P4, &a);
	sign("Israel and Hamas agree to extend truce by two days", OTHER, &b);
	assert_true(story_signature_similarity(&a, &b) < STORY_FP_THRESHOLD);
}

static void
test_different_headline_alone_is_a_different_story(void **state)
{
	struct story_signature a, b;

	sign("Hamas frees third group of hostages as truce holds", "", &a);
	sign("Netanyahu says Israel will resume war after truce ends", "",
	    &b);
	assert_true(story_signature_similarity(&a, &b) < STORY_FP_THRESHOLD);
}

static void
test_empty_item_is_similar_to_nothing(void **state)
{
	struct story_signature a, b;

	sign("", "", &a);
	sign("Truce", P1, &b);
	assert_int_equal(a.shingles, 0);
	assert_true(story_signature_similarity(&a, &b) == 0.0);
}

static void
test_shingles_count_distinct_word_triples(void **state)
{
	struct story_signature a;

	/* Title: one short shingle; text: "a b c", "b c a", "c a b" and
	 * "a b c" again. */
	sign("Hello", "a b c a b c", &a);
	assert_int_equal(a.shingles, 1 + 3);
}

static void
test_signature_is_the_same_every_time(void **state)
{
	struct story_signature a, b;

	sign("Qatar says talks", P1 P2, &a);
	sign("Qatar says talks", P1 P2, &b);
	assert_memory_equal(&a, &b, sizeof a);
}

static void
test_very_long_text_is_bounded(void **state)
{
	struct story_signature	 a;
	char			*text;
	size_t			 i, len = 0, cap = 12 * 20000;

	text = xmalloc(cap);
	for (i = 0; i < 20000; i++)
		len += (size_t)snprintf(text + len, cap - len, "w%zu ", i);
	sign("Long", text, &a);
	free(text);
	assert_true(a.shingles <= STORY_FP_MAX_SHINGLES);
	assert_true(a.shingles > STORY_FP_MAX_SHINGLES / 2);
}

static void
test_encoding_round_trips_in_the_fixed_size(void **state)
{
	struct story_signature	a, b;
	uint8_t			buf[STORY_SIGNATURE_BYTES];

	sign("Qatar says talks", P1 P2 P3, &a);
	story_signature_encode(&a, buf);
	memset(&b, 0, sizeof b);
	assert_int_equal(story_signature_decode(buf, sizeof buf, &b), 0);
	assert_true(a.exact == b.exact);
	assert_int_equal(a.shingles, b.shingles);
	assert_memory_equal(a.hashes, b.hashes, sizeof a.hashes);
	assert_true(story_signature_similarity(&a, &b) == 1.0);
}

static void
test_encoding_is_little_endian(void **state)
{
	struct story_signature	a;
	uint8_t			buf[STORY_SIGNATURE_BYTES];

	memset(&a, 0, sizeof a);
	a.exact = 0x0102030405060708ULL;
	a.shingles = 0x0a0b0c0d;
	a.hashes[0] = 0x11223344;
	a.hashes[63] = 0x55667788;
	story_signature_encode(&a, buf);
	assert_int_equal(buf[0], 0x08);
	assert_int_equal(buf[7], 0x01);
	assert_int_equal(buf[8], 0x0d);
	assert_int_equal(buf[11], 0x0a);
	assert_int_equal(buf[12], 0x44);
	assert_int_equal(buf[15], 0x11);
	assert_int_equal(buf[STORY_SIGNATURE_BYTES - 4], 0x88);
	assert_int_equal(buf[STORY_SIGNATURE_BYTES - 1], 0x55);
}

static void
test_decoding_refuses_a_wrong_length(void **state)
{
	struct story_signature	a;
	uint8_t			buf[STORY_SIGNATURE_BYTES + 1] = { 0 };

	assert_int_equal(story_signature_decode(buf, sizeof buf, &a), -1);
	assert_int_equal(story_signature_decode(buf, sizeof buf - 2, &a), -1);
	assert_int_equal(story_signature_decode(buf, 0, &a), -1);
	assert_int_equal(story_signature_decode(NULL, STORY_SIGNATURE_BYTES,
	    &a), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_markup_spacing_and_punctuation_keep_the_exact_hash),
		cmocka_unit_test(test_case_and_accents_keep_the_exact_hash),
		cmocka_unit_test(
		    test_a_word_moved_between_title_and_text_changes_the_exact_hash),
		cmocka_unit_test(test_new_headline_stays_a_near_duplicate),
		cmocka_unit_test(
		    test_related_line_trimmed_paragraph_and_dateline_stay_a_near_duplicate),
		cmocka_unit_test(
		    test_teaser_of_the_first_paragraph_is_a_near_duplicate),
		cmocka_unit_test(test_figure_updated_stays_a_near_duplicate),
		cmocka_unit_test(
		    test_different_story_on_the_same_topic_is_not_a_near_duplicate),
		cmocka_unit_test(
		    test_different_headline_alone_is_a_different_story),
		cmocka_unit_test(test_empty_item_is_similar_to_nothing),
		cmocka_unit_test(test_shingles_count_distinct_word_triples),
		cmocka_unit_test(test_signature_is_the_same_every_time),
		cmocka_unit_test(test_very_long_text_is_bounded),
		cmocka_unit_test(test_encoding_round_trips_in_the_fixed_size),
		cmocka_unit_test(test_encoding_is_little_endian),
		cmocka_unit_test(test_decoding_refuses_a_wrong_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
