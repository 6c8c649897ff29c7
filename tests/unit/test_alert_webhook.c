/* test_alert_webhook.c: the webhook sink against the real feedserver on loopback — POSTs, retries, timeouts, digests. */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "fetch/fetch.h"
#include "tests/unit/support/test_server.h"
#include "tests/unit/test_alert_fixture.h"

/* The feedserver, shared by every test of the group. */
static struct test_server server;

/* One POST the server recorded. */
struct post {
	char	*content_type;
	char	*seq;		/* the X-Wirewatch-Seq header */
	json_t	*body;
};

/* How often the server saw path. */
static unsigned long
server_count(const char *path)
{
	char *text, *line, *save = NULL, *sp;
	unsigned long n = 0;

	text = test_server_get(&server, "/_stats");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((sp = strrchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		if (strcmp(line, path) == 0)
			n = strtoul(sp + 1, NULL, 10);
	}
	free(text);
	return n;
}

/* Undoes /_posts' escapes in place. */
static void
unescape(char *s)
{
	char *out = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*out++ = *s;
			continue;
		}
		s++;
		*out++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ?
		    '\t' : *s;
	}
	*out = '\0';
}

/* The POSTs recorded under name, at most max, into posts. */
static size_t
server_posts(const char *name, struct post *posts, size_t max)
{
	char *path, *text, *line, *save = NULL, *field, *fsave, *last;
	size_t n = 0;

	xasprintf(&path, "/_posts/%s", name);
	text = test_server_get(&server, path);
	free(path);
	for (line = strtok_r(text, "\n", &save); line != NULL && n < max;
	    line = strtok_r(NULL, "\n", &save)) {
		memset(&posts[n], 0, sizeof posts[n]);
		last = strrchr(line, '\t');
		assert_non_null(last);
		*last++ = '\0';
		for (field = strtok_r(line, "\t", &fsave); field != NULL;
		    field = strtok_r(NULL, "\t", &fsave)) {
			if (strncasecmp(field, "Content-Type: ", 14) == 0)
				posts[n].content_type = xstrdup(field + 14);
			else if (strncasecmp(field, "X-Wirewatch-Seq: ", 17) == 0)
				posts[n].seq = xstrdup(field + 17);
		}
		unescape(last);
		posts[n].body = json_loads(last, 0, NULL);
		if (posts[n].body == NULL)
			fail_msg("POST body is not JSON: %s", last);
		n++;
	}
	free(text);
	return n;
}

static void
posts_free(struct post *posts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(posts[i].content_type);
		free(posts[i].seq);
		json_decref(posts[i].body);
	}
}

/* Group set-up and tear-down: the feedserver on an ephemeral port. */
static int
server_start(void **state)
{
	return test_server_start(&server, NULL);
}

static int
server_stop(void **state)
{
	return test_server_stop(&server);
}

/* Per test: a fixture with a fetcher, and a server that forgot the last
 * test's requests. */
static int
setup(void **state)
{
	struct fetch_options opts;
	struct afx *fx;

	fx = afx_new();
	memset(&opts, 0, sizeof opts);
	opts.concurrency = 4;
	opts.per_host = 2;
	opts.connect_timeout = 10;
	opts.timeout = 30;
	opts.low_speed_time = 20;
	opts.max_body = 1 << 20;
	opts.user_agent = "wirewatch-test";
	fx->fetcher = fetcher_new(fx->base, &opts);
	assert_non_null(fx->fetcher);
	free(test_server_get(&server, "/_reset"));
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct afx *fx = *state;

	/* The outbox cancels its transfers before the fetcher goes. */
	afx_outbox_free(fx);
	fetcher_free(fx->fetcher);
	afx_free(fx);
	return 0;
}

static struct config_sink *
webhook_sink(struct afx *fx, const char *name, const char *path, char **url)
{
	struct config_sink *k = afx_sink(fx, name, CONFIG_SINK_WEBHOOK);

	*url = test_server_url(&server, NULL, path);
	k->url = *url;
	return k;
}

static void
test_webhook_posts_each_alert_as_json_with_its_seq(void **state)
{
	struct afx *fx = *state;
	struct post posts[8];
	char *url, seq[32];
	size_t n, i;

	webhook_sink(fx, "hook", "/post/hook", &url);
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "b");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);

	n = server_posts("hook", posts, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		snprintf(seq, sizeof seq, "%zu", i + 1);
		assert_string_equal(posts[i].content_type, "application/json");
		assert_string_equal(posts[i].seq, seq);
		assert_int_equal(json_integer_value(json_object_get(
		    posts[i].body, "seq")), (json_int_t)i + 1);
		assert_string_equal(json_string_value(json_object_get(
		    posts[i].body, "type")), "new_story");
		assert_true(json_is_object(json_object_get(posts[i].body,
		    "story")));
	}
	assert_int_equal(afx_cursor(fx, "hook"), 3);
	posts_free(posts, n);
	free(url);
}

static void
test_webhook_5xx_keeps_the_alert_and_retries_until_2xx(void **state)
{
	struct afx *fx = *state;
	struct post posts[8];
	char *url;
	size_t n;

	webhook_sink(fx, "hook", "/post-fail/3/503/flaky", &url);
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);

	n = server_posts("flaky", posts, 8);
	assert_int_equal(n, 2);
	assert_string_equal(posts[0].seq, "1");
	assert_string_equal(posts[1].seq, "2");
	/* Three refusals of seq 1, then one POST each. */
	assert_int_equal(server_count("/post-fail/3/503/flaky"), 5);
	posts_free(posts, n);
	free(url);
}

/* afx_run_until's condition: /hang was asked twice. */
static int
hang_retried(struct afx *fx, void *arg)
{
	return server_count("/hang") >= 2;
}

static void
test_webhook_without_answer_times_out_and_is_retried(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	struct post posts[8];
	char *url, *good, *cause = NULL;
	size_t n;

	k = webhook_sink(fx, "hook", "/hang", &url);
	k->timeout = 1;
	afx_outbox(fx);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	/* A second POST comes only after the first timed out. */
	afx_run_until(fx, hang_retried, NULL);
	assert_int_equal(afx_cursor(fx, "hook"), 0);
	assert_int_equal(alert_outbox_pending(fx->outbox), 1);

	/* The receiver is fixed: the kept alert goes out. */
	good = test_server_url(&server, NULL, "/post/late");
	k->url = good;
	if (alert_outbox_reconfigure(fx->outbox, &fx->conf, &cause) != 0)
		fail_msg("reconfigure: %s", cause);
	afx_run_until(fx, afx_idle, NULL);
	n = server_posts("late", posts, 8);
	assert_int_equal(n, 1);
	assert_string_equal(posts[0].seq, "1");
	posts_free(posts, n);
	free(url);
	free(good);
}

static void
test_webhook_digest_is_one_post_listing_the_alerts(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	struct post posts[8];
	json_t *digest, *alerts;
	char *url;
	size_t n;
	int64_t old = util_now() - 7200;

	k = webhook_sink(fx, "hook", "/post/digest", &url);
	k->digest = 3600;
	afx_insert_at(fx, "new_story", "a", old);
	afx_insert_at(fx, "new_story", "b", old + 1);
	afx_insert_at(fx, "new_story", "a", old + 2);
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);

	n = server_posts("digest", posts, 8);
	assert_int_equal(n, 1);
	assert_string_equal(posts[0].seq, "3");
	digest = json_object_get(posts[0].body, "digest");
	assert_int_equal(json_integer_value(json_object_get(digest, "count")),
	    3);
	alerts = json_object_get(posts[0].body, "alerts");
	assert_int_equal(json_array_size(alerts), 3);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(alerts, 2), "seq")), 3);
	posts_free(posts, n);
	free(url);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_webhook_posts_each_alert_as_json_with_its_seq,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_webhook_5xx_keeps_the_alert_and_retries_until_2xx,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_webhook_without_answer_times_out_and_is_retried,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_webhook_digest_is_one_post_listing_the_alerts,
		    setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	log_init(LOG_STYLE_TOOL, "test_alert_webhook", 0);
	return cmocka_run_group_tests(tests, server_start, server_stop);
}
