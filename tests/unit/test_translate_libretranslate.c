/* test_translate_libretranslate.c: the libretranslate backend against the feed server replaying LibreTranslate's documented API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "tests/unit/support/test_server.h"
#include "tests/unit/support/test_support.h"
#include "tests/unit/test_translate_fixture.h"

/* The feed server of the group; its /libretranslate paths are the API. */
static struct test_server server;

static int
group_setup(void **state)
{
	return test_server_start(&server, NULL);
}

static int
group_teardown(void **state)
{
	return test_server_stop(&server);
}

/* A libretranslate translator at path of the group's feed server. */
static struct tfx *
lt_fixture(const char *path, const char *key, int64_t timeout)
{
	return tfx_server_backend(&server, "libretranslate", path, key, timeout);
}

/* Requests the group's feed server counted for path. */
static unsigned long
lt_requests(const char *path)
{
	return tfx_server_requests(&server, path);
}

static void
test_texts_go_in_one_request_and_come_back_in_order(void **state)
{
	static const char *texts[] = {
		"Hamás acepta la tregua.", "", "Israel estudia la propuesta.",
		"Los \"mediadores\"\n\tinsisten.",
	};
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/", NULL, 30);
	char *posts;

	tfx_translate(fx, "es", "en", texts, 4, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 4);
	assert_string_equal(res.texts[0], "[en] Hamás acepta la tregua.");
	assert_string_equal(res.texts[1], "");
	assert_string_equal(res.texts[2], "[en] Israel estudia la propuesta.");
	assert_string_equal(res.texts[3],
	    "[en] Los \"mediadores\"\n\tinsisten.");
	assert_int_equal(lt_requests("/libretranslate/translate"), 1);
	/* The request as the API documents it; no api_key without a key. */
	posts = test_server_get(&server, "/_posts/libretranslate");
	assert_string_equal(posts, "Content-Type: application/json\t"
	    "{\"q\":[\"Hamás acepta la tregua.\",\"Israel estudia la "
	    "propuesta.\",\"Los \\\\\"mediadores\\\\\"\\\\n\\\\tinsisten.\"],"
	    "\"source\":\"es\",\"target\":\"en\",\"format\":\"text\"}\n");
	free(posts);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_the_key_is_sent_and_a_refused_key_never_shows(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;
	char *posts;

	fx = lt_fixture("/libretranslate/key/s3cret-Key/", "s3cret-Key", 30);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_string_equal(res.texts[0], "[en] Hola");
	posts = test_server_get(&server, "/_posts/libretranslate");
	assert_non_null(strstr(posts, "\"api_key\":\"s3cret-Key\""));
	free(posts);
	tfx_result_clear(&res);
	tfx_free(fx);

	fx = lt_fixture("/libretranslate/key/s3cret-Key/", "wrong-Key", 30);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	/* The server echoed the key; the error does not. */
	assert_string_equal(res.error, "libretranslate: HTTP 403 Forbidden: "
	    "Invalid API key: [key]");
	assert_null(strstr(res.error, "wrong-Key"));
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_429_is_retried_after_retry_after_then_succeeds(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/fail/429/1/", NULL, 30);
	int64_t now = util_now();

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_true(res.retry_after >= now + 30);
	assert_string_equal(res.error, "libretranslate: HTTP 429 Too Many "
	    "Requests: Too Many Requests");
	tfx_result_clear(&res);
	/* The next try goes through. */
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_string_equal(res.texts[0], "[en] Hola");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_500_is_retried(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/fail/500/0/", NULL, 30);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_int_equal(res.retry_after, 0);
	assert_string_equal(res.error, "libretranslate: HTTP 500 Internal "
	    "Server Error: Internal Server Error");
	assert_int_equal(res.chars_sent, 4);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_garbage_answers_are_retried(void **state)
{
	static const struct {
		const char *path, *error;
	} cases[] = {
		{ "/libretranslate/garbage/html/",
		    "libretranslate: a malformed answer (no translatedText)" },
		{ "/libretranslate/garbage/shape/",
		    "libretranslate: a malformed answer (no translatedText)" },
		{ "/libretranslate/garbage/count/", "libretranslate: a malformed "
		    "answer (the wrong number of translations)" },
		{ "/libretranslate/garbage/empty/",
		    "libretranslate: a malformed answer (an empty translation)" },
	};
	static const char *texts[] = { "Hola", "Adiós" };
	struct tfx_result res;
	struct tfx *fx;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx = lt_fixture(cases[i].path, NULL, 30);
		tfx_translate(fx, "es", "en", texts, 2, &res);
		assert_int_equal(res.outcome, TRANSLATE_RETRY);
		assert_string_equal(res.error, cases[i].error);
		tfx_result_clear(&res);
		tfx_free(fx);
	}
}

static void
test_a_language_the_server_lacks_is_refused(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/", NULL, 30);

	tfx_translate(fx, "es", "ja", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error, "libretranslate: HTTP 400 Bad Request: "
	    "ja is not supported");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_probe_reads_languages_and_their_targets(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/", NULL, 30);

	assert_null(tfx_probe(fx));
	assert_true(translator_supports(fx->tr, "es", "en"));
	assert_true(translator_supports(fx->tr, "ar", "he"));
	assert_false(translator_supports(fx->tr, "es", "es"));
	assert_false(translator_supports(fx->tr, "es", "ja"));
	tfx_translate(fx, "es", "ja", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_int_equal(lt_requests("/libretranslate/translate"), 0);
	tfx_result_clear(&res);
	tfx_free(fx);

	/* A probe that gets garbage says so; every pair then counts. */
	fx = lt_fixture("/libretranslate/garbage/html/", NULL, 30);
	assert_string_equal(tfx_probe(fx),
	    "libretranslate: the list of pairs is not JSON");
	assert_true(translator_supports(fx->tr, "es", "ja"));
	tfx_free(fx);
}

static void
test_batches_stay_within_the_characters_of_a_request(void **state)
{
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/", NULL, 30);
	const char *texts[5];
	char *text;
	size_t i;

	/* 5 texts of 1,500 characters: 3 fit in 5,000, then 2. */
	text = xmalloc(1501);
	memset(text, 'a', 1500);
	text[1500] = '\0';
	for (i = 0; i < 5; i++)
		texts[i] = text;
	assert_true(translator_max_chars(fx->tr) >= 1500);
	tfx_translate(fx, "es", "en", texts, 5, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(res.texts[i] + 5, text);
	assert_int_equal(res.chars_sent, 7500);
	assert_int_equal(lt_requests("/libretranslate/translate"), 2);
	tfx_result_clear(&res);
	free(text);
	tfx_free(fx);
}

static void
test_a_slow_server_answers_within_the_timeout_or_is_retried(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;

	fx = lt_fixture("/libretranslate/slow/300/", NULL, 30);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	tfx_result_clear(&res);
	tfx_free(fx);

	fx = lt_fixture("/libretranslate/slow/5000/", NULL, 1);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error, "libretranslate: no answer in 1 s");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_invalid_utf8_is_repaired_before_it_is_sent(void **state)
{
	static const char *texts[] = { "Hol\xe1 se\xf1or" };
	struct tfx_result res;
	struct tfx *fx = lt_fixture("/libretranslate/", NULL, 30);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_string_equal(res.texts[0], "[en] Hol\xef\xbf\xbd se\xef\xbf\xbdor");
	tfx_result_clear(&res);
	tfx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_go_in_one_request_and_come_back_in_order),
		cmocka_unit_test(test_the_key_is_sent_and_a_refused_key_never_shows),
		cmocka_unit_test(test_429_is_retried_after_retry_after_then_succeeds),
		cmocka_unit_test(test_500_is_retried),
		cmocka_unit_test(test_garbage_answers_are_retried),
		cmocka_unit_test(test_a_language_the_server_lacks_is_refused),
		cmocka_unit_test(test_probe_reads_languages_and_their_targets),
		cmocka_unit_test(test_batches_stay_within_the_characters_of_a_request),
		cmocka_unit_test(test_a_slow_server_answers_within_the_timeout_or_is_retried),
		cmocka_unit_test(test_invalid_utf8_is_repaired_before_it_is_sent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
