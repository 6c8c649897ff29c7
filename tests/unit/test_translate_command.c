/* test_translate_command.c: the command backend running apertium, and programs that fail, hang, say too much or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"
#include "tests/unit/support/test_support.h"
#include "tests/unit/test_translate_fixture.h"

#define APERTIUM	"/usr/bin/apertium"

/* A translator running argv; fails the test when it is refused. */
static struct tfx *
command_fixture(const char * const *argv, int64_t timeout, int concurrency)
{
	struct tfx *fx;
	char *cause = NULL;

	fx = tfx_new();
	fx->options.backend = "command";
	fx->options.argv = argv;
	fx->options.timeout = timeout;
	fx->options.concurrency = concurrency;
	if (tfx_translator(fx, &cause) == NULL)
		fail_msg("%s", cause);
	return fx;
}

static void
test_apertium_translates_spanish_news_to_english(void **state)
{
	static const char * const argv[] = {
		APERTIUM, "-u", "{source3}-{target3}", NULL,
	};
	static const char *texts[] = {
		"Israel y Hamás negocian una tregua en El Cairo.",
		"El alto el fuego entrará en vigor el domingo.",
		"Hola",
	};
	struct tfx_result res;
	struct tfx *fx;

	if (access(APERTIUM, X_OK) != 0)
		skip();
	fx = command_fixture(argv, 60, 2);
	tfx_translate(fx, "es", "en", texts, 3, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 3);
	assert_non_null(strstr(res.texts[0], "truce"));
	assert_non_null(strstr(res.texts[0], "Hamás"));
	assert_non_null(strstr(res.texts[1], "cease-fire"));
	/* The line break apertium adds is not part of the translation. */
	assert_string_equal(res.texts[2], "Hello");
	tfx_result_clear(&res);

	/* apertium has no spa-rus mode: it says so and exits 1. */
	tfx_translate(fx, "es", "ru", texts + 2, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error, "command: /usr/bin/apertium exited 1: "
	    "Error: Mode spa-rus does not exist. Try one of:");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_placeholders_are_substituted_in_every_argument(void **state)
{
	static const char * const argv[] = {
		"/bin/sh", "-c", "printf '%s %s %s|' \"$0\" \"$1\" \"$2\"; cat",
		"{source}", "{target3}", "x{source3}-{target}y", NULL,
	};
	static const char *texts[] = { "el texto\n" };
	struct tfx_result res;
	struct tfx *fx = command_fixture(argv, 30, 2);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	/* The text ended with a line break, so the output keeps its own. */
	assert_string_equal(res.texts[0], "es eng xspa-eny|el texto\n");
	tfx_result_clear(&res);

	/* A code with no ISO 639-3 code is refused when one is needed. */
	tfx_translate(fx, "qq", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error,
	    "command: no ISO 639-3 code for \"qq\"");
	tfx_result_clear(&res);
	/* And a code that is not one never reaches the program. */
	tfx_translate(fx, "es;rm", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error, "command: not a language code");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_failing_program_is_retried_with_its_stderr(void **state)
{
	static const char * const argv[] = {
		"/bin/sh", "-c", "cat >/dev/null; echo 'model not loaded' >&2; "
		"echo second line >&2; exit 3", NULL,
	};
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = command_fixture(argv, 30, 2);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "command: /bin/sh exited 3: model not loaded");
	assert_int_equal(res.chars_sent, 4);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_slow_program_is_killed_and_retried(void **state)
{
	static const char * const argv[] = { "/bin/sleep", "30", NULL };
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = command_fixture(argv, 1, 2);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "command: /bin/sleep: no answer in 1 s");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_too_much_or_no_output_is_retried(void **state)
{
	static const char * const yes[] = { "/usr/bin/yes", NULL };
	static const char * const nothing[] = { "/bin/true", NULL };
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;

	fx = command_fixture(yes, 30, 2);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "command: /usr/bin/yes: more output than 65552 bytes");
	tfx_result_clear(&res);
	tfx_free(fx);

	fx = command_fixture(nothing, 30, 2);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "command: a malformed answer (an empty translation)");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_each_text_is_one_child_and_order_is_kept(void **state)
{
	static const char * const argv[] = { "/bin/cat", NULL };
	struct tfx_result res;
	struct tfx *fx = command_fixture(argv, 30, 3);
	const char *texts[20];
	char *owned[20];
	size_t i;

	for (i = 0; i < 20; i++) {
		xasprintf(&owned[i], "texto número %zu", i);
		texts[i] = owned[i];
	}
	tfx_translate(fx, "es", "en", texts, 20, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	for (i = 0; i < 20; i++) {
		assert_string_equal(res.texts[i], owned[i]);
		free(owned[i]);
	}
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_program_that_cannot_run_is_refused_at_the_start(void **state)
{
	static const char * const relative[] = { "apertium", NULL };
	static const char * const missing[] = { "/nonexistent/translate", NULL };
	static const char * const empty[] = { NULL };
	struct tfx *fx = tfx_new();
	char *cause = NULL;

	fx->options.backend = "command";
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause, "command: no command");
	free(cause);
	fx->options.argv = empty;
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause, "command: no command");
	free(cause);
	fx->options.argv = relative;
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause, "command: apertium: not an absolute path");
	free(cause);
	fx->options.argv = missing;
	assert_null(tfx_translator(fx, &cause));
	assert_string_equal(cause,
	    "command: /nonexistent/translate: No such file or directory");
	free(cause);
	tfx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apertium_translates_spanish_news_to_english),
		cmocka_unit_test(test_placeholders_are_substituted_in_every_argument),
		cmocka_unit_test(test_a_failing_program_is_retried_with_its_stderr),
		cmocka_unit_test(test_a_slow_program_is_killed_and_retried),
		cmocka_unit_test(test_too_much_or_no_output_is_retried),
		cmocka_unit_test(test_each_text_is_one_child_and_order_is_kept),
		cmocka_unit_test(test_a_program_that_cannot_run_is_refused_at_the_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
