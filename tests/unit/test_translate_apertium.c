/* test_translate_apertium.c: the apertium backend against a real Apertium APY server on loopback, and its faults against the feed server. */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "common/common.h"
#include "tests/unit/support/test_server.h"
#include "tests/unit/support/test_support.h"
#include "tests/unit/test_translate_fixture.h"

#define APY_BINARY	"/usr/bin/apertium-apy"
#define APY_MODES	"/usr/share/apertium/modes"
/* APY needs a few seconds to start; far more means it never will. */
#define APY_START_SECONDS 60

/* The APY server of the group ($WW_APY_URL, or one started here), and the
 * feed server serving tests/data/translate for the faults. */
static pid_t		 apy_pid = -1;
static char		*apy_url;
static struct test_server server;

/* Asks the kernel for a free loopback port: bind port 0, read, close. */
static int
apy_free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, port;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* curl write callback that keeps nothing. */
static size_t
apy_discard_cb(char *data, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* Whether GET /listPairs answers 200. */
static int
apy_answers(const char *url)
{
	CURL *easy;
	char *full;
	long status = 0;
	CURLcode rc;

	xasprintf(&full, "%s/listPairs", url);
	easy = curl_easy_init();
	curl_easy_setopt(easy, CURLOPT_URL, full);
	curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(easy, CURLOPT_TIMEOUT, 2L);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, apy_discard_cb);
	rc = curl_easy_perform(easy);
	if (rc == CURLE_OK)
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(easy);
	free(full);
	return rc == CURLE_OK && status == 200;
}

/* Starts apertium-apy in its own process group and waits until it lists
 * its pairs. */
static int
apy_start(void)
{
	char port[16];
	int p, i, status, fd;

	if ((p = apy_free_port()) == -1)
		return -1;
	snprintf(port, sizeof port, "%d", p);
	xasprintf(&apy_url, "http://127.0.0.1:%d", p);
	if ((apy_pid = fork()) == -1)
		return -1;
	if (apy_pid == 0) {
		/* Its own group, so that its pipelines stop with it; and
		 * never outliving a crashed test. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(APY_BINARY, "apertium-apy", "-p", port, "-j1", APY_MODES,
		    (char *)NULL);
		_exit(127);
	}
	setpgid(apy_pid, apy_pid);
	for (i = 0; i < APY_START_SECONDS * 4; i++) {
		if (apy_answers(apy_url))
			return 0;
		if (waitpid(apy_pid, &status, WNOHANG) == apy_pid) {
			apy_pid = -1;
			return -1;
		}
		usleep(250000);
	}
	return -1;
}

static int
group_setup(void **state)
{
	char *root;

	root = test_data_path("translate");
	if (test_server_start(&server, root) != 0) {
		free(root);
		return -1;
	}
	free(root);
	if (getenv("WW_APY_URL") != NULL) {
		apy_url = xstrdup(getenv("WW_APY_URL"));
		return 0;
	}
	if (access(APY_BINARY, X_OK) != 0) {
		printf("skipped: %s not installed\n", APY_BINARY);
		return 0;
	}
	if (apy_start() != 0) {
		fprintf(stderr, "apertium-apy did not answer on %s\n", apy_url);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	int status;

	if (apy_pid > 0) {
		kill(-apy_pid, SIGTERM);
		waitpid(apy_pid, &status, 0);
		apy_pid = -1;
	}
	free(apy_url);
	apy_url = NULL;
	return test_server_stop(&server);
}

/* A fixture for the real APY; skips the test when there is none. */
static struct tfx *
apy_fixture(int concurrency)
{
	struct tfx *fx;
	char *cause = NULL;

	if (apy_pid <= 0 && getenv("WW_APY_URL") == NULL)
		skip();
	fx = tfx_new();
	fx->options.backend = "apertium";
	fx->options.url = apy_url;
	fx->options.concurrency = concurrency;
	assert_non_null(tfx_translator(fx, &cause));
	return fx;
}

/* A fixture for the feed server at path (an APY that misbehaves). */
static struct tfx *
fault_fixture(const char *path, int64_t timeout, int concurrency)
{
	struct tfx *fx;
	char *cause = NULL, *url;

	fx = tfx_new();
	url = test_server_url(&server, NULL, path);
	fx->options.backend = "apertium";
	fx->options.url = url;
	fx->options.timeout = timeout;
	fx->options.concurrency = concurrency;
	assert_non_null(tfx_translator(fx, &cause));
	free(url);
	return fx;
}

static void
test_spanish_news_about_the_ceasefire_comes_back_in_english(void **state)
{
	static const char *texts[] = {
		"Israel y Hamás negocian una tregua en El Cairo.",
		"Los mediadores de Egipto y Catar anunciaron un acuerdo de "
		"alto el fuego en Gaza.",
		"Hamás liberará a los rehenes a cambio de prisioneros "
		"palestinos.",
	};
	struct tfx_result res;
	struct tfx *fx = apy_fixture(2);
	size_t i, chars = 0;
	const char *p;

	tfx_translate(fx, "es", "en", texts, 3, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 3);
	assert_non_null(strstr(res.texts[0], "truce"));
	assert_non_null(strstr(res.texts[0], "Hamás"));
	assert_non_null(strstr(res.texts[0], "Cairo"));
	assert_non_null(strstr(res.texts[1], "cease-fire"));
	assert_non_null(strstr(res.texts[1], "Gaza"));
	assert_non_null(strstr(res.texts[2], "hostages"));
	/* markUnknown=no: no starred unknown words. */
	for (i = 0; i < 3; i++) {
		assert_null(strchr(res.texts[i], '*'));
		/* Characters: the bytes that start one. */
		for (p = texts[i]; *p != '\0'; p++)
			chars += ((unsigned char)*p & 0xc0) != 0x80;
	}
	assert_int_equal(res.chars_sent, chars);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_an_article_split_translated_and_joined_keeps_its_paragraphs(void **state)
{
	static const char article[] =
	    "Las negociaciones para un alto el fuego en Gaza se reanudaron "
	    "el lunes en El Cairo. Los mediadores de Egipto y Catar "
	    "presentaron una nueva propuesta. Israel estudia el texto.\n\n"
	    "Hamás exige la retirada de las tropas israelíes. El grupo "
	    "dijo que liberará a los rehenes por fases.\n\n"
	    "La tregua podría empezar el domingo.";
	struct translate_chunk *chunks = NULL;
	struct tfx_result res;
	struct tfx *fx = apy_fixture(3);
	const char **texts;
	char *english;
	size_t n, i;

	/* A small limit, so that the first paragraph is cut in two. */
	n = translate_split(article, 120, &chunks);
	assert_true(n > 3);
	texts = xcalloc(n, sizeof *texts);
	for (i = 0; i < n; i++)
		texts[i] = chunks[i].text;
	tfx_translate(fx, "es", "en", texts, n, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	english = translate_join(chunks, res.texts, n);
	assert_non_null(strstr(english, "cease-fire"));
	assert_non_null(strstr(english, "truce"));
	/* Three paragraphs, as in the original. */
	assert_non_null(strstr(english, "\n\n"));
	assert_non_null(strstr(strstr(english, "\n\n") + 2, "\n\n"));
	assert_null(strstr(strstr(strstr(english, "\n\n") + 2, "\n\n") + 2,
	    "\n\n"));
	free(english);
	free(texts);
	tfx_result_clear(&res);
	translate_chunks_free(chunks, n);
	tfx_free(fx);
}

static void
test_probe_lists_spanish_to_english(void **state)
{
	struct tfx *fx = apy_fixture(2);

	/* Before the probe answers, every nameable pair counts. */
	assert_true(translator_supports(fx->tr, "es", "ru"));
	assert_null(tfx_probe(fx));
	assert_true(translator_supports(fx->tr, "es", "en"));
	assert_true(translator_supports(fx->tr, "en", "es"));
	assert_false(translator_supports(fx->tr, "es", "ru"));
	assert_false(translator_supports(fx->tr, "xx", "en"));
	assert_false(translator_supports(fx->tr, "e s", "en"));
	assert_int_equal(translator_max_chars(fx->tr), 4000);
	tfx_free(fx);
}

static void
test_a_pair_the_server_lacks_is_refused_by_it(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = apy_fixture(2);

	tfx_translate(fx, "es", "ru", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error, "apertium: HTTP 400 Bad Request: "
	    "That pair is not installed");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_pair_the_probe_did_not_list_is_refused_without_a_request(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = apy_fixture(2);

	assert_null(tfx_probe(fx));
	tfx_translate(fx, "es", "ru", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error,
	    "apertium: the server does not translate es to ru");
	assert_int_equal(res.chars_sent, 0);
	tfx_result_clear(&res);

	tfx_translate(fx, "xx", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error,
	    "apertium: no ISO 639-3 code for \"xx\"");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_empty_and_blank_texts_are_their_own_translation_unsent(void **state)
{
	static const char *texts[] = { "", " \n ", "Hola", "" };
	struct tfx_result res;
	struct tfx *fx = apy_fixture(2);

	tfx_translate(fx, "es", "en", texts, 4, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 4);
	assert_string_equal(res.texts[0], "");
	assert_string_equal(res.texts[1], " \n ");
	assert_string_equal(res.texts[2], "Hello");
	assert_string_equal(res.texts[3], "");
	assert_int_equal(res.chars_sent, 4);
	tfx_result_clear(&res);

	/* Nothing to send at all: the answer still comes from the loop. */
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 1);
	assert_int_equal(res.chars_sent, 0);
	tfx_result_clear(&res);
	tfx_translate(fx, "es", "en", NULL, 0, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	assert_int_equal(res.ntexts, 0);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_many_texts_at_a_small_concurrency_come_back_in_order(void **state)
{
	static const char *words[] = {
		"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete",
		"ocho", "nueve", "diez",
	};
	static const char *want[] = {
		"one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten",
	};
	struct tfx_result res;
	struct tfx *fx = apy_fixture(3);
	size_t i;

	tfx_translate(fx, "es", "en", words, 10, &res);
	assert_int_equal(res.outcome, TRANSLATE_OK);
	for (i = 0; i < 10; i++)
		assert_non_null(strcasestr(res.texts[i], want[i]));
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_server_that_is_down_is_retried(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;
	char *url, *cause = NULL;

	fx = tfx_new();
	xasprintf(&url, "http://127.0.0.1:%d", apy_free_port());
	fx->options.backend = "apertium";
	fx->options.url = url;
	assert_non_null(tfx_translator(fx, &cause));
	free(url);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_true(strncmp(res.error, "apertium: ", 10) == 0);
	tfx_result_clear(&res);

	/* The probe fails too, and then every pair counts. */
	assert_non_null(tfx_probe(fx));
	assert_true(translator_supports(fx->tr, "es", "en"));
	tfx_free(fx);
}

static void
test_500_is_retried_and_ends_the_job_at_its_first_failure(void **state)
{
	static const char *texts[] = { "uno", "dos", "tres" };
	struct tfx_result res;
	struct tfx *fx;
	char *stats;

	free(test_server_get(&server, "/_reset"));
	fx = fault_fixture("/status/500", 30, 1);
	tfx_translate(fx, "es", "en", texts, 3, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "apertium: HTTP 500 Internal Server Error");
	assert_int_equal(res.chars_sent, 3);
	tfx_result_clear(&res);
	/* One at a time: the two others were never sent. */
	stats = test_server_get(&server, "/_stats");
	assert_int_equal(tfx_stat(stats, "/status/500/translate"), 1);
	free(stats);
	tfx_free(fx);
}

static void
test_429_is_retried_after_what_retry_after_says(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = fault_fixture("/retry-after/120/429", 30, 2);
	int64_t now = util_now();

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_true(res.retry_after >= now + 120);
	assert_true(res.retry_after <= util_now() + 120);
	assert_non_null(strstr(res.error, "429"));
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_a_server_that_never_answers_is_retried_after_the_timeout(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = fault_fixture("/hang", 1, 2);

	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error, "apertium: no answer in 1 s");
	tfx_result_clear(&res);

	assert_string_equal(tfx_probe(fx),
	    "apertium: no list of pairs in 1 s");
	tfx_free(fx);
}

static void
test_an_answer_that_is_not_apys_json_is_retried(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx;

	/* "status 200" in text/plain. */
	fx = fault_fixture("/status/200", 30, 2);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "apertium: a malformed answer (not a JSON object)");
	tfx_result_clear(&res);
	tfx_free(fx);

	/* An empty translation of a text. */
	fx = fault_fixture("/apy/empty", 30, 2);
	tfx_translate(fx, "es", "en", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_string_equal(res.error,
	    "apertium: a malformed answer (an empty translation)");
	tfx_result_clear(&res);
	assert_non_null(tfx_probe(fx));
	tfx_free(fx);

	/* A list of pairs of another shape. */
	fx = fault_fixture("/apy/no-pairs", 30, 2);
	assert_string_equal(tfx_probe(fx),
	    "apertium: the list of pairs has no responseData array");
	tfx_free(fx);
}

static void
test_an_older_apys_error_in_a_200_is_read(void **state)
{
	static const char *texts[] = { "Hola" };
	struct tfx_result res;
	struct tfx *fx = fault_fixture("/apy/old-error", 30, 2);

	tfx_translate(fx, "es", "ru", texts, 1, &res);
	assert_int_equal(res.outcome, TRANSLATE_REFUSED);
	assert_string_equal(res.error,
	    "apertium: status 400: That pair is not installed");
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_cancelled_jobs_and_a_freed_translator_call_nothing(void **state)
{
	static const char *texts[] = { "uno", "dos", "tres" };
	struct tfx_result res, res2;
	struct translate_job *job;
	struct tfx *fx = fault_fixture("/hang", 30, 1);

	/* Cancelled before the loop ran, and while running. */
	job = tfx_start(fx, "es", "en", texts, 3, &res);
	translate_cancel(job);
	fx->pending--;
	job = tfx_start(fx, "es", "en", texts, 3, &res);
	event_base_loop(fx->base, EVLOOP_NONBLOCK);
	translate_cancel(job);
	fx->pending--;
	/* Freed with a job running and one queued. */
	tfx_start(fx, "es", "en", texts, 1, &res);
	tfx_start(fx, "es", "en", texts, 1, &res2);
	event_base_loop(fx->base, EVLOOP_NONBLOCK);
	translator_free(fx->tr);
	fx->tr = NULL;
	event_base_loop(fx->base, EVLOOP_NONBLOCK);
	assert_int_equal(res.calls, 0);
	assert_int_equal(res2.calls, 0);
	fx->pending = 0;
	tfx_free(fx);
}

static void
test_the_translator_may_be_freed_from_a_jobs_callback(void **state)
{
	static const char *texts[] = { "uno", "dos", "tres" };
	struct tfx_result res, res2;
	struct tfx *fx = fault_fixture("/status/503", 30, 1);

	fx->free_in_cb = 1;
	tfx_start(fx, "es", "en", texts, 3, &res);
	tfx_start(fx, "es", "en", texts, 3, &res2);
	fx->pending = 1;
	tfx_loop(fx);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.outcome, TRANSLATE_RETRY);
	assert_int_equal(res2.calls, 0);
	assert_null(fx->tr);
	tfx_result_clear(&res);
	tfx_free(fx);
}

static void
test_options_without_a_url_are_refused(void **state)
{
	struct translate_options o;
	struct event_base *base = event_base_new();
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.backend = "apertium";
	assert_null(translator_new(base, NULL, &o, &cause));
	assert_string_equal(cause, "apertium: no fetcher");
	free(cause);
	o.backend = "babelfish";
	assert_null(translator_new(base, NULL, &o, &cause));
	assert_string_equal(cause, "unknown translation backend \"babelfish\"");
	free(cause);
	event_base_free(base);

	{
		struct tfx *fx = tfx_new();

		fx->options.backend = "apertium";
		assert_null(tfx_translator(fx, &cause));
		assert_string_equal(cause, "apertium: no url");
		free(cause);
		fx->options.url = "ftp://127.0.0.1/";
		assert_null(tfx_translator(fx, &cause));
		assert_string_equal(cause,
		    "apertium: url is not http:// or https://");
		free(cause);
		tfx_free(fx);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spanish_news_about_the_ceasefire_comes_back_in_english),
		cmocka_unit_test(test_an_article_split_translated_and_joined_keeps_its_paragraphs),
		cmocka_unit_test(test_probe_lists_spanish_to_english),
		cmocka_unit_test(test_a_pair_the_server_lacks_is_refused_by_it),
		cmocka_unit_test(test_a_pair_the_probe_did_not_list_is_refused_without_a_request),
		cmocka_unit_test(test_empty_and_blank_texts_are_their_own_translation_unsent),
		cmocka_unit_test(test_many_texts_at_a_small_concurrency_come_back_in_order),
		cmocka_unit_test(test_a_server_that_is_down_is_retried),
		cmocka_unit_test(test_500_is_retried_and_ends_the_job_at_its_first_failure),
		cmocka_unit_test(test_429_is_retried_after_what_retry_after_says),
		cmocka_unit_test(test_a_server_that_never_answers_is_retried_after_the_timeout),
		cmocka_unit_test(test_an_answer_that_is_not_apys_json_is_retried),
		cmocka_unit_test(test_an_older_apys_error_in_a_200_is_read),
		cmocka_unit_test(test_cancelled_jobs_and_a_freed_translator_call_nothing),
		cmocka_unit_test(test_the_translator_may_be_freed_from_a_jobs_callback),
		cmocka_unit_test(test_options_without_a_url_are_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
