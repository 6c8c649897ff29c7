/* test_translate_deepl.c: the deepl backend against the feed server replaying DeepL's documented v2 API. */
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
#include "translate/backend.h"

#define KEY	"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0:fx"

/* The feed server of the group; its /deepl paths are the API. */
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

/* A deepl translator at path of the group's feed server. */
static struct tfx *
deepl_fixture(const char *path, const char *key, int64_t timeout)
{
	return tfx_server_backend(&server, "deepl", path, key, timeout);
}

/* Requests the group's feed server counted for path. */
static unsigned long
deepl_requests(const char *path)
{
	return tfx_server_requests(&server, path);
}

static void
test_texts_are_translated_with_the_key_in_the_header(void **state)
{
	static const char *texts[] = { "Hamás acepta la tregua.", "Hola" };
	struct tfx_result res;
	struct tfx *fx = deepl_fixture("/deepl/key/" KEY "/", KEY, 30);
	char *posts;

	tfx_translate(fx, "es", "en", texts, 2, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	/* Target en is asked for as EN-US. */
	assert_string_equal(res.texts[0], "[EN-US] Hamás acepta la tregua.");
	assert_string_equal(res.texts[1], "[EN-US] Hola");
	posts = test_server_get(&server, "/_posts/deepl");
	assert_string_equal(posts, "Content-Type: application/json\t"
	    "{\"text\":[\"Hamás acepta la tregua.\",\"Hola\"],"
	    "\"source_lang\":\"ES\",\"target_lang\":\"EN-US\"}\n");
	free(posts);
	tfx_result_clear(&res);

	tfx_translate(fx, "ru", "pt", texts + 1, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_string_equal(res.texts[0], "[PT-PT] Hola");
	tfx_result_clear(&res);
	tfx_translate(fx, "ar", "en-GB", texts + 1, 1, &res);
	assert_string_equal(res.texts[0], "[EN-GB] Hola");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_refused_key_is_refused_and_never_shows(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = deepl_fixture("/deepl/key/" KEY "/", "bad-key:fx", 30);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error, "deepl: HTTP 403 Forbidden: "
	    "Wrong or missing authentication key");
	assert_null(strstr(res.error, "bad-key"));
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_more_than_50_texts_go_in_several_requests_in_order(void **state)
{
	struct tfx_result res;
	struct tfx *fx = deepl_fixture("/deepl/", KEY, 30);
	const char *texts[120];
	char *owned[120], *want;
	size_t i;

	for (i = 0; i < 120; i++) {
		xasprintf(&owned[i], "texto %zu", i);
		texts[i] = owned[i];
	}
	tfx_translate(fx, "es", "en", texts, 120, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 120);
	for (i = 0; i < 120; i++) {
		xasprintf(&want, "[EN-US] texto %zu", i);
		assert_string_equal(res.texts[i], want);
		free(want);
		free(owned[i]);
	}
	assert_int_equal(deepl_requests("/deepl/v2/translate"), 3);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_requests_stay_under_128_kib(void **state)
{
	struct tfx_result res;
	struct tfx *fx = deepl_fixture("/deepl/", KEY, 30);
	const char *texts[40];
	char *text;
	size_t i;

	/* 40 texts of 5,000 characters and 10,000 bytes (Cyrillic): 400 KB;
	 * the server answers 413 to a body over 128 KiB. */
	text = xmalloc(10001);
	for (i = 0; i < 5000; i++)
		memcpy(text + 2 * i, "ж", 2);
	text[10000] = '\0';
	for (i = 0; i < 40; i++)
		texts[i] = text;
	tfx_translate(fx, "es", "en", texts, 40, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 40);
	assert_int_equal(res.chars_sent, 40 * 5000);
	/* 12 texts of 10,000 bytes fit in 120 KiB: 4 requests. */
	assert_int_equal(deepl_requests("/deepl/v2/translate"), 4);
	tfx_result_clear(&res);
	free(text);
	tfx_free(fx);
}

static void
test_429_456_and_5xx_are_retried(void **state)
{
	static const struct {
		const char *path, *error;
		int retry_after;
	} cases[] = {
		{ "/deepl/fail/429/1/", "deepl: HTTP 429 Too Many Requests: "
		    "Too Many Requests", 1 },
		{ "/deepl/fail/456/1/", "deepl: HTTP 456: Quota Exceeded", 0 },
		{ "/deepl/fail/503/1/", "deepl: HTTP 503 Service Unavailable: "
		    "Service Unavailable", 1 },
		{ "/deepl/fail/500/1/", "deepl: HTTP 500 Internal Server Error: "
		    "Internal Server Error", 0 },
	};
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx = deepl_fixture(cases[i].path, KEY, 30);
		tfx_translate(fx, "es", "en", texts, 1, &res);
		assert_int_equal(res.outcome, TRANSLATE_RETRY);
		assert_string_equal(res.error, cases[i].error);
		assert_int_equal(res.retry_after != 0, cases[i].retry_after);
		tfx_result_clear(&res);
		/* The failure was the first request's only. */
		tfx_translate(fx, "es", "en", texts, 1, &res);
		assert_int_equal(res.outcome, TRANSLATE_OK);
		tfx_result_clear(&res);
		tfx_free(fx);
	}
}

static void
test_garbage_is_retried_and_a_bad_target_refused(void **state)
{
	static const char *texts[] = { "Hola", "Adiós" };
	struct tfx_result res;
	struct tfx *fx;

	fx = deepl_fixture("/deepl/garbage/count/", KEY, 30);
	tfx_translate(fx, "es", "en", texts, 2, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error, "deepl: a malformed answer (the wrong "
	    "number of translations)");
	tfx_result_clear(&res);
	tfx_free(fx);

	fx = deepl_fixture("/deepl/garbage/html/", KEY, 30);
	tfx_translate(fx, "es", "en", texts, 2, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "deepl: a malformed answer (no translations)");
	tfx_result_clear(&res);
	tfx_free(fx);

	fx = deepl_fixture("/deepl/", KEY, 30);
	tfx_translate(fx, "es", "xx", texts, 2, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error, "deepl: HTTP 400 Bad Request: "
	    "Value for 'target_lang' not supported.");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_the_url_follows_the_plan_of_the_key(void **state)
{
	struct tfx *fx;
	char *cause = NULL;

	fx = tfx_new();
	fx->options.backend = "deepl";
	fx->options.key = KEY;
	assert_non_null(tfx_translator(fx, &cause));
	assert_string_equal(fx->tr->url, "https://api-free.deepl.com");
	translator_free(fx->tr);
	fx->options.key = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
	assert_non_null(tfx_translator(fx, &cause));
	assert_string_equal(fx->tr->url, "https://api.deepl.com");
	/* No probe: every pair counts, and the probe says so at once. */
	assert_null(tfx_probe(fx));
	assert_true(translator_supports(fx->tr, "he", "en"));
	translator_free(fx->tr);

	fx->options.key = NULL;
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause, "deepl: no key (key_file)");
	free(cause);
	fx->options.key = "abc\ndef";
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause, "deepl: the key has control characters");
	free(cause);
	tfx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_are_translated_with_the_key_in_the_header),
		cmocka_unit_test(test_a_refused_key_is_refused_and_never_shows),
		cmocka_unit_test(test_more_than_50_texts_go_in_several_requests_in_order),
		cmocka_unit_test(test_requests_stay_under_128_kib),
		cmocka_unit_test(test_429_456_and_5xx_are_retried),
		cmocka_unit_test(test_garbage_is_retried_and_a_bad_target_refused),
		cmocka_unit_test(test_the_url_follows_the_plan_of_the_key),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
