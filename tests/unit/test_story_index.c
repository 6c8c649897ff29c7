/* test_story_index.c: the near-duplicate index — finding, replacing, removing and expiring stories, and bounded buckets. */
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

/* Signs a text made of words w<first> ... w<first + n - 1> in a shuffled
 * order fixed by seed, with the first edits of them replaced. */
static void
sign_words(unsigned seed, unsigned n, unsigned edits,
    struct story_signature *sig)
{
	struct text_tokens	 t = { 0 }, x = { 0 };
	char			*text;
	size_t			 len = 0, cap = (size_t)n * 16 + 1;
	unsigned		 i;

	text = xmalloc(cap);
	text[0] = '\0';
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(text + len, cap - len, "%s%u ",
		    i < edits ? "edit" : "w",
		    (seed * 2654435761U + i * 40503U) % 1000003U);
	}
	text_tokenize("Headline", 8, &t);
	text_tokenize(text, len, &x);
	story_signature_compute(&t, &x, sig);
	text_tokens_clear(&t);
	text_tokens_clear(&x);
	free(text);
}

/* A near-duplicate of sig: the same minima but one of each sketch, under
 * another exact hash, so it is found through the bands rather than the
 * exact table. */
static void
near_copy(const struct story_signature *sig, struct story_signature *out)
{
	*out = *sig;
	out->exact ^= 0x5555555555555555ULL;
	out->hashes[0] ^= 1;
	out->hashes[STORY_FP_FULL / 2] ^= 1;
}

static void
test_empty_index_finds_nothing(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a;
	double			 sim = -1;

	sign_words(1, 80, 0, &a);
	assert_int_equal(story_index_find(idx, &a, &sim), 0);
	assert_true(sim == 0.0);
	assert_int_equal(story_index_count(idx), 0);
	story_index_free(idx);
}

static void
test_exact_copy_is_found_with_similarity_one(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b;
	double			 sim;

	sign_words(1, 80, 0, &a);
	sign_words(1, 80, 0, &b);
	story_index_add(idx, 7, &a, 100);
	assert_int_equal(story_index_find(idx, &b, &sim), 7);
	assert_true(sim == 1.0);
	story_index_free(idx);
}

static void
test_edited_copy_is_found_below_one(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b;
	double			 sim;

	sign_words(1, 120, 0, &a);
	sign_words(1, 120, 2, &b);
	story_index_add(idx, 7, &a, 100);
	assert_int_equal(story_index_find(idx, &b, &sim), 7);
	assert_true(sim >= STORY_FP_THRESHOLD && sim < 1.0);
	assert_true(sim == story_signature_similarity(&a, &b));
	story_index_free(idx);
}

static void
test_different_story_is_not_found(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b;
	double			 sim = -1;

	sign_words(1, 80, 0, &a);
	sign_words(2, 80, 0, &b);
	story_index_add(idx, 7, &a, 100);
	assert_int_equal(story_index_find(idx, &b, &sim), 0);
	assert_true(sim == 0.0);
	assert_int_equal(story_index_find(idx, &b, NULL), 0);
	story_index_free(idx);
}

static void
test_most_similar_candidate_wins(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, far, near, q;

	sign_words(1, 120, 0, &a);
	sign_words(1, 120, 30, &far);
	sign_words(1, 120, 4, &near);
	sign_words(1, 120, 2, &q);
	story_index_add(idx, 1, &far, 100);
	story_index_add(idx, 2, &near, 100);
	story_index_add(idx, 3, &a, 50);
	assert_int_equal(story_index_find(idx, &q, NULL), 3);
	story_index_remove(idx, 3);
	assert_int_equal(story_index_find(idx, &q, NULL), 2);
	story_index_free(idx);
}

static void
test_adding_an_id_again_replaces_its_signature(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b;

	sign_words(1, 80, 0, &a);
	sign_words(2, 80, 0, &b);
	story_index_add(idx, 7, &a, 100);
	story_index_add(idx, 7, &b, 200);
	assert_int_equal(story_index_count(idx), 1);
	assert_int_equal(story_index_find(idx, &a, NULL), 0);
	assert_int_equal(story_index_find(idx, &b, NULL), 7);
	story_index_free(idx);
}

static void
test_adding_the_same_signature_again_refreshes_its_time(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a;

	sign_words(1, 80, 0, &a);
	story_index_add(idx, 7, &a, 100);
	story_index_add(idx, 7, &a, 300);
	assert_int_equal(story_index_count(idx), 1);
	assert_int_equal(story_index_expire(idx, 200), 0);
	assert_int_equal(story_index_find(idx, &a, NULL), 7);
	story_index_free(idx);
}

static void
test_touched_story_outlives_expiry_with_its_signature(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b;

	sign_words(1, 80, 0, &a);
	sign_words(2, 80, 0, &b);
	story_index_add(idx, 7, &a, 100);
	story_index_touch(idx, 7, 300);
	story_index_touch(idx, 7, 200);
	story_index_touch(idx, 8, 300);
	assert_int_equal(story_index_expire(idx, 250), 0);
	assert_int_equal(story_index_count(idx), 1);
	assert_int_equal(story_index_find(idx, &a, NULL), 7);
	assert_int_equal(story_index_find(idx, &b, NULL), 0);
	assert_int_equal(story_index_expire(idx, 301), 1);
	story_index_free(idx);
}

static void
test_removed_story_is_forgotten(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, c;

	sign_words(1, 80, 0, &a);
	near_copy(&a, &c);
	story_index_add(idx, 7, &a, 100);
	story_index_remove(idx, 7);
	story_index_remove(idx, 7);
	story_index_remove(idx, 12345);
	assert_int_equal(story_index_count(idx), 0);
	assert_int_equal(story_index_find(idx, &a, NULL), 0);
	assert_int_equal(story_index_find(idx, &c, NULL), 0);
	story_index_add(idx, 8, &a, 100);
	assert_int_equal(story_index_find(idx, &c, NULL), 8);
	story_index_free(idx);
}

static void
test_expire_drops_stories_last_seen_before(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 s[3];
	unsigned		 i;

	for (i = 0; i < 3; i++) {
		sign_words(i + 1, 80, 0, &s[i]);
		story_index_add(idx, i + 1, &s[i], 10 * (i + 1));
	}
	assert_int_equal(story_index_expire(idx, 25), 2);
	assert_int_equal(story_index_count(idx), 1);
	assert_int_equal(story_index_find(idx, &s[0], NULL), 0);
	assert_int_equal(story_index_find(idx, &s[1], NULL), 0);
	assert_int_equal(story_index_find(idx, &s[2], NULL), 3);
	assert_int_equal(story_index_expire(idx, 30), 0);
	assert_int_equal(story_index_expire(idx, 31), 1);
	assert_int_equal(story_index_count(idx), 0);
	story_index_free(idx);
}

static void
test_many_stories_survive_growth_removal_and_slot_reuse(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	*s, c;
	size_t			 bytes;
	unsigned		 i, n = 3000;

	s = xcalloc(n, sizeof *s);
	for (i = 0; i < n; i++) {
		sign_words(i + 1, 40, 0, &s[i]);
		story_index_add(idx, i + 1, &s[i], i);
	}
	assert_int_equal(story_index_count(idx), n);
	bytes = story_index_bytes(idx);
	assert_true(bytes > n * sizeof (struct story_signature) / 4);
	for (i = 0; i < n; i += 3)
		story_index_remove(idx, i + 1);
	for (i = 0; i < n; i += 3)
		story_index_add(idx, n + i + 1, &s[i], n + i);
	assert_int_equal(story_index_count(idx), n);
	/* The freed slots were reused: less than the signatures of the
	 * re-added stories alone would take in new slots. */
	assert_true(story_index_bytes(idx) < bytes + n / 3 * 128);
	for (i = 0; i < n; i++) {
		near_copy(&s[i], &c);
		assert_int_equal(story_index_find(idx, &s[i], NULL),
		    i % 3 == 0 ? n + i + 1 : i + 1);
		assert_int_equal(story_index_find(idx, &c, NULL),
		    i % 3 == 0 ? n + i + 1 : i + 1);
	}
	free(s);
	story_index_free(idx);
}

static void
test_crowded_bucket_keeps_every_story_findable(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	*s, c;
	unsigned		 i, j, n = 2000;
	uint64_t		 r = 1;

	/* Different stories that agree on the first full band and the first
	 * lede band (their minima, two a word): far more than a bucket holds
	 * under those tags. */
	s = xcalloc(n, sizeof *s);
	for (i = 0; i < n; i++) {
		s[i].exact = i + 1;
		s[i].shingles = 200;
		for (j = 0; j < 64; j++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			s[i].hashes[j] = (uint32_t)(r >> 32);
		}
		for (j = 0; j < (STORY_FP_FULL_ROWS + 1) / 2; j++)
			s[i].hashes[j] = 1000 + j;
		for (j = 0; j < (STORY_FP_LEDE_ROWS + 1) / 2; j++)
			s[i].hashes[STORY_FP_FULL / 2 + j] = 2000 + j;
		story_index_add(idx, i + 1, &s[i], i);
	}
	assert_true(story_signature_similarity(&s[0], &s[1]) <
	    STORY_FP_THRESHOLD);
	for (i = 0; i < n; i++) {
		near_copy(&s[i], &c);
		assert_int_equal(story_index_find(idx, &c, NULL), i + 1);
	}
	for (i = 0; i < n; i++)
		story_index_remove(idx, i + 1);
	assert_int_equal(story_index_count(idx), 0);
	near_copy(&s[0], &c);
	assert_int_equal(story_index_find(idx, &c, NULL), 0);
	free(s);
	story_index_free(idx);
}

static void
test_index_of_decoded_signatures_finds_the_same(void **state)
{
	struct story_index	*idx = story_index_new();
	struct story_signature	 a, b, q;
	uint8_t			 buf[STORY_SIGNATURE_BYTES];

	sign_words(1, 120, 0, &a);
	sign_words(1, 120, 2, &q);
	story_signature_encode(&a, buf);
	assert_int_equal(story_signature_decode(buf, sizeof buf, &b), 0);
	story_index_add(idx, 9, &b, 1);
	assert_int_equal(story_index_find(idx, &q, NULL), 9);
	story_index_free(idx);
}

static void
test_free_accepts_null(void **state)
{
	story_index_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_index_finds_nothing),
		cmocka_unit_test(test_exact_copy_is_found_with_similarity_one),
		cmocka_unit_test(test_edited_copy_is_found_below_one),
		cmocka_unit_test(test_different_story_is_not_found),
		cmocka_unit_test(test_most_similar_candidate_wins),
		cmocka_unit_test(
		    test_adding_an_id_again_replaces_its_signature),
		cmocka_unit_test(
		    test_adding_the_same_signature_again_refreshes_its_time),
		cmocka_unit_test(
		    test_touched_story_outlives_expiry_with_its_signature),
		cmocka_unit_test(test_removed_story_is_forgotten),
		cmocka_unit_test(test_expire_drops_stories_last_seen_before),
		cmocka_unit_test(
		    test_many_stories_survive_growth_removal_and_slot_reuse),
		cmocka_unit_test(test_crowded_bucket_keeps_every_story_findable),
		cmocka_unit_test(
		    test_index_of_decoded_signatures_finds_the_same),
		cmocka_unit_test(test_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
