/* test_fetch.c: fetch/ against a real feedserver on loopback, driven by a real libevent loop. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "tests/unit/support/test_server.h"
#include "tests/unit/support/test_support.h"

#define MAX_BODY	((size_t)1 << 20)
/* Far above what socket buffers can hold past MAX_BODY, far below the
 * 256 MiB the server would send if the client did not stop. */
#define SENT_BOUND	(64ULL << 20)

/* The feedserver child, shared by every test of the group. */
/* The feed server of the whole group, serving tests/data/fetch. */
static struct test_server server;

/* One test's loop and fetcher. */
struct fx {
	struct event_base	*base;
	struct fetcher		*fetcher;
	struct fetch_options	 options;
};

/* What one callback saw, copied out of the response. */
struct result {
	int			 calls;
	enum fetch_outcome	 outcome;
	long			 status;
	char			*body;
	size_t			 body_len;
	char			*content_type;
	char			*etag;
	char			*last_modified;
	char			*permanent_url;
	char			*effective_url;
	char			*error;
	int64_t			 retry_after;
	int64_t			 max_age;

	int			*done;		/* shared completion counter */
	int			 order;		/* position among completions */
	struct transfer		*cancel;	/* cancelled from the callback */
	struct fx		*free_fx;	/* fetcher freed from the callback */
};

/* Copies a string that may be NULL. */
static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* fetch_cb for every test: records the response and runs the test's
 * in-callback action. */
static void
result_cb(const struct fetch_response *r, void *arg)
{
	struct result *res = arg;

	res->calls++;
	res->outcome = r->outcome;
	res->status = r->status;
	assert_non_null(r->body);
	assert_int_equal(r->body[r->body_len], '\0');
	res->body = xstrndup(r->body, r->body_len);
	res->body_len = r->body_len;
	res->content_type = dup_or_null(r->content_type);
	res->etag = dup_or_null(r->etag);
	res->last_modified = dup_or_null(r->last_modified);
	res->permanent_url = dup_or_null(r->permanent_url);
	res->effective_url = dup_or_null(r->effective_url);
	res->error = dup_or_null(r->error);
	res->retry_after = r->retry_after;
	res->max_age = r->max_age;
	if (res->done != NULL)
		res->order = ++*res->done;
	if (res->cancel != NULL)
		fetch_cancel(res->cancel);
	if (res->free_fx != NULL) {
		fetcher_free(res->free_fx->fetcher);
		res->free_fx->fetcher = NULL;
	}
}

/* Frees what result_cb copied. */
static void
result_clear(struct result *res)
{
	free(res->body);
	free(res->content_type);
	free(res->etag);
	free(res->last_modified);
	free(res->permanent_url);
	free(res->effective_url);
	free(res->error);
	memset(res, 0, sizeof *res);
}

/* Timer callback that raises a flag. */
static void
flag_cb(evutil_socket_t fd, short what, void *arg)
{
	*(int *)arg = 1;
}

/* Runs the loop until *counter reaches want; a deadline keeps a broken
 * fetcher from hanging the suite (it is a safety net, not a measurement). */
static void
loop_until(struct event_base *base, const int *counter, int want)
{
	struct timeval tv = { 60, 0 };
	struct event *deadline;
	int expired = 0;

	deadline = evtimer_new(base, flag_cb, &expired);
	evtimer_add(deadline, &tv);
	while (*counter < want && !expired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(deadline);
	assert_false(expired);
}

/* Runs the loop for a while, to give a transfer that should not happen
 * every chance to happen. */
static void
loop_for(struct event_base *base, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event *timer;
	int fired = 0;

	timer = evtimer_new(base, flag_cb, &fired);
	evtimer_add(timer, &tv);
	while (!fired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(timer);
}

/* Sums a column of /_stats or /_bytes over the paths starting with prefix
 * (exact when exact is set). */
static unsigned long long
server_stat(const char *which, const char *prefix, int exact)
{
	char *text, *line, *save = NULL, *sp;
	unsigned long long sum = 0;

	text = test_server_get(&server, which);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((sp = strrchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		if (exact ? strcmp(line, prefix) == 0 :
		    strncmp(line, prefix, strlen(prefix)) == 0)
			sum += strtoull(sp + 1, NULL, 10);
	}
	free(text);
	return sum;
}

static unsigned long long
server_count(const char *path)
{
	return server_stat("/_stats", path, 1);
}

static unsigned long long
server_count_prefix(const char *prefix)
{
	return server_stat("/_stats", prefix, 0);
}

static unsigned long long
server_bytes(const char *path)
{
	return server_stat("/_bytes", path, 1);
}

/* Fetches a path with an optional request template and waits for the one
 * callback. */
static void
fetch_path(struct fx *fx, const char *path, const struct fetch_request *tmpl,
    struct result *res)
{
	struct fetch_request req;
	struct transfer *t;
	char *url;

	memset(&req, 0, sizeof req);
	if (tmpl != NULL)
		req = *tmpl;
	url = test_server_url(&server, NULL, path);
	req.url = url;
	t = fetch_start(fx->fetcher, &req, result_cb, res);
	assert_non_null(t);
	free(url);
	loop_until(fx->base, &res->calls, 1);
	assert_int_equal(res->calls, 1);
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
}

/* Group set-up and tear-down: the feed server, stopped cleanly. */
static int
server_start(void **state)
{
	char *root = test_data_path("fetch");
	int rc;

	rc = test_server_start(&server, root);
	free(root);
	return rc;
}

static int
server_stop(void **state)
{
	return test_server_stop(&server);
}

/* Per test: a fresh loop and fetcher, and fresh server counts. */
static int
fx_setup(void **state)
{
	struct fx *fx;

	fx = xcalloc(1, sizeof *fx);
	fx->base = event_base_new();
	fx->options.concurrency = 8;
	fx->options.per_host = 2;
	fx->options.connect_timeout = 10;
	fx->options.timeout = 30;
	fx->options.low_speed_time = 20;
	fx->options.max_body = MAX_BODY;
	fx->fetcher = fetcher_new(fx->base, &fx->options);
	free(test_server_get(&server, "/_reset"));
	*state = fx;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *fx = *state;

	fetcher_free(fx->fetcher);
	event_base_free(fx->base);
	free(fx);
	return 0;
}

/* Applies changed options to the test's fetcher. */
static void
fx_options(struct fx *fx)
{
	fetcher_set_options(fx->fetcher, &fx->options);
}

static void
test_fetch_ok_returns_body_and_validators(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	char *want, *url;
	size_t len;

	want = test_fixture("fetch/feed.xml", &len);
	fetch_path(fx, "/feed.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, len);
	assert_memory_equal(res.body, want, len);
	assert_string_equal(res.content_type, "application/rss+xml");
	assert_non_null(res.etag);
	assert_int_equal(res.etag[0], '"');
	assert_non_null(res.last_modified);
	assert_null(res.permanent_url);
	assert_null(res.error);
	assert_int_equal(res.retry_after, 0);
	assert_int_equal(res.max_age, -1);
	url = test_server_url(&server, NULL, "/feed.xml");
	assert_string_equal(res.effective_url, url);
	free(url);
	free(want);
	result_clear(&res);
}

static void
test_fetch_content_type_keeps_charset(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/cp1251.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_string_equal(res.content_type,
	    "application/rss+xml; charset=windows-1251");
	result_clear(&res);
}

static void
test_fetch_stored_etag_gives_not_modified(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result first = { 0 }, again = { 0 }, by_date = { 0 },
	    changed = { 0 };

	fetch_path(fx, "/feed.xml", NULL, &first);
	assert_int_equal(first.outcome, FETCH_OK);

	req.etag = first.etag;
	fetch_path(fx, "/feed.xml", &req, &again);
	assert_int_equal(again.outcome, FETCH_NOT_MODIFIED);
	assert_int_equal(again.status, 304);
	assert_int_equal(again.body_len, 0);
	assert_null(again.error);

	req.etag = NULL;
	req.last_modified = first.last_modified;
	fetch_path(fx, "/feed.xml", &req, &by_date);
	assert_int_equal(by_date.outcome, FETCH_NOT_MODIFIED);

	req.etag = "\"some-other-version\"";
	req.last_modified = NULL;
	fetch_path(fx, "/feed.xml", &req, &changed);
	assert_int_equal(changed.outcome, FETCH_OK);
	assert_int_equal(server_count("/feed.xml"), 4);

	result_clear(&first);
	result_clear(&again);
	result_clear(&by_date);
	result_clear(&changed);
}

/* Fetches path and checks where its leading permanent redirects led. */
static void
check_permanent(struct fx *fx, const char *path, const char *want_path)
{
	struct result res = { 0 };
	char *want, *final;

	fetch_path(fx, path, NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.status, 200);
	final = test_server_url(&server, NULL, "/feed.xml");
	assert_string_equal(res.effective_url, final);
	free(final);
	if (want_path == NULL)
		assert_null(res.permanent_url);
	else {
		want = test_server_url(&server, NULL, want_path);
		assert_non_null(res.permanent_url);
		assert_string_equal(res.permanent_url, want);
		free(want);
	}
	result_clear(&res);
}

static void
test_fetch_301_and_308_set_permanent_url(void **state)
{
	struct fx *fx = *state;

	check_permanent(fx, "/redirect/301/feed.xml", "/feed.xml");
	check_permanent(fx, "/redirect/308/feed.xml", "/feed.xml");
	check_permanent(fx, "/redirect/301/redirect/308/feed.xml", "/feed.xml");
	check_permanent(fx, "/redirect-relative/301/feed.xml", "/feed.xml");
}

static void
test_fetch_302_leaves_permanent_url_unset(void **state)
{
	struct fx *fx = *state;

	check_permanent(fx, "/redirect/302/feed.xml", NULL);
	check_permanent(fx, "/redirect/307/feed.xml", NULL);
	/* A temporary hop first: nothing after it is permanent for us. */
	check_permanent(fx, "/redirect/302/redirect/301/feed.xml", NULL);
	/* Permanent hops up to the first temporary one count. */
	check_permanent(fx, "/redirect/301/redirect/302/feed.xml",
	    "/redirect/302/feed.xml");
}

static void
test_fetch_redirect_loop_fails_after_five_hops(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/redirect-loop/0", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	assert_non_null(res.error);
	assert_non_null(strstr(res.error, "redirects"));
	assert_null(res.permanent_url);
	assert_int_equal(server_count_prefix("/redirect-loop/"), 1 + 5);
	result_clear(&res);
}

static void
test_fetch_redirect_to_file_or_ftp_fails_unread(void **state)
{
	struct fx *fx = *state;
	struct result file = { 0 }, ftp = { 0 };

	fetch_path(fx, "/redirect-scheme/file", NULL, &file);
	assert_int_equal(file.outcome, FETCH_FAILED);
	assert_non_null(file.error);
	assert_int_equal(file.body_len, 0);
	assert_null(strstr(file.body, "root:"));
	assert_null(file.permanent_url);

	fetch_path(fx, "/redirect-scheme/ftp", NULL, &ftp);
	assert_int_equal(ftp.outcome, FETCH_FAILED);
	assert_non_null(ftp.error);
	assert_int_equal(ftp.body_len, 0);
	result_clear(&file);
	result_clear(&ftp);
}

static void
test_fetch_410_and_500_are_http_errors(void **state)
{
	struct fx *fx = *state;
	struct result gone = { 0 }, broken = { 0 }, missing = { 0 };

	fetch_path(fx, "/status/410/feed.xml", NULL, &gone);
	assert_int_equal(gone.outcome, FETCH_HTTP_ERROR);
	assert_int_equal(gone.status, 410);
	assert_string_equal(gone.error, "HTTP 410 Gone");

	fetch_path(fx, "/status/500/feed.xml", NULL, &broken);
	assert_int_equal(broken.outcome, FETCH_HTTP_ERROR);
	assert_int_equal(broken.status, 500);
	assert_string_equal(broken.error, "HTTP 500 Internal Server Error");

	fetch_path(fx, "/no-such-feed.xml", NULL, &missing);
	assert_int_equal(missing.outcome, FETCH_HTTP_ERROR);
	assert_int_equal(missing.status, 404);
	assert_string_equal(missing.error, "HTTP 404 Not Found");
	result_clear(&gone);
	result_clear(&broken);
	result_clear(&missing);
}

static void
test_fetch_429_retry_after_seconds_is_absolute(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	int64_t before, after;

	before = util_now();
	fetch_path(fx, "/retry-after/120/429/feed.xml", NULL, &res);
	after = util_now();
	assert_int_equal(res.outcome, FETCH_HTTP_ERROR);
	assert_int_equal(res.status, 429);
	assert_string_equal(res.error, "HTTP 429 Too Many Requests");
	assert_in_range(res.retry_after, before + 120, after + 120);
	result_clear(&res);
}

static void
test_fetch_503_retry_after_http_date(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/retry-after-date/2000000000/503/feed.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_HTTP_ERROR);
	assert_int_equal(res.status, 503);
	assert_string_equal(res.error, "HTTP 503 Service Unavailable");
	assert_int_equal(res.retry_after, 2000000000);
	result_clear(&res);
}

static void
test_fetch_max_age_from_cache_control_ignores_s_maxage(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/cached.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.max_age, 600);
	result_clear(&res);
}

static void
test_fetch_max_age_from_expires_minus_date(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/expires.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.max_age, 3600);
	result_clear(&res);
}

static void
test_fetch_no_cache_means_no_max_age(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fetch_path(fx, "/nocache.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.max_age, -1);
	result_clear(&res);
}

static void
test_fetch_max_body_aborts_chunked_body_early(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	char want[64];

	fetch_path(fx, "/big/268435456", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	snprintf(want, sizeof want, "body larger than %zu bytes", MAX_BODY);
	assert_string_equal(res.error, want);
	assert_int_equal(res.body_len, 0);
	assert_true(server_bytes("/big/268435456") < SENT_BOUND);
	result_clear(&res);
}

static void
test_fetch_content_length_over_max_body_is_refused(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	char want[64];

	fetch_path(fx, "/big-length/268435456", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	snprintf(want, sizeof want, "body larger than %zu bytes", MAX_BODY);
	assert_string_equal(res.error, want);
	assert_true(server_bytes("/big-length/268435456") < SENT_BOUND);
	result_clear(&res);
}

static void
test_fetch_gzip_bomb_stops_at_max_body(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	char want[64];

	fetch_path(fx, "/gzip-bomb", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	snprintf(want, sizeof want, "body larger than %zu bytes", MAX_BODY);
	assert_string_equal(res.error, want);
	result_clear(&res);
}

static void
test_fetch_gzip_body_is_decoded(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };
	char *want;
	size_t len;

	want = test_fixture("fetch/feed.xml", &len);
	fetch_path(fx, "/gzip/feed.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_int_equal(res.body_len, len);
	assert_memory_equal(res.body, want, len);
	free(want);
	result_clear(&res);
}

static void
test_fetch_slow_drip_hits_low_speed_limit(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fx->options.low_speed_time = 2;
	fx_options(fx);
	/* 422 bytes at 100 bytes a second, under 1 KB/s for over 2 s. */
	fetch_path(fx, "/slow/100/feed.xml", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	assert_non_null(res.error);
	assert_non_null(strstr(res.error, "too slow"));
	result_clear(&res);
}

static void
test_fetch_hang_hits_total_timeout(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fx->options.timeout = 2;
	fx->options.low_speed_time = 30;
	fx_options(fx);
	fetch_path(fx, "/hang/timeout", NULL, &res);
	assert_int_equal(res.outcome, FETCH_FAILED);
	assert_non_null(res.error);
	assert_non_null(strstr(res.error, "timed out"));
	result_clear(&res);
}

static void
test_fetch_concurrency_and_per_host_limits_hold(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res[8];
	struct transfer *t[8];
	char path[32];
	int i, tries;

	memset(res, 0, sizeof res);
	fx->options.concurrency = 3;
	fx->options.per_host = 2;
	fx_options(fx);
	/* Two host names for one server: two hosts to the fetcher. */
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "/hang/%c%d", i < 4 ? 'a' : 'b', i);
		req.url = test_server_url(&server, i < 4 ? "127.0.0.1" : "localhost",
		    path);
		t[i] = fetch_start(fx->fetcher, &req, result_cb, &res[i]);
		free((char *)req.url);
	}
	assert_int_equal(fetcher_pending(fx->fetcher), 8);
	for (tries = 0; tries < 600; tries++) {
		loop_for(fx->base, 50);
		if (server_count_prefix("/hang/") >= 3)
			break;
	}
	/* Let any transfer that broke the limits arrive too. */
	loop_for(fx->base, 500);
	assert_int_equal(server_count_prefix("/hang/"), 3);
	assert_true(server_count_prefix("/hang/a") <= 2);
	assert_true(server_count_prefix("/hang/b") <= 2);
	assert_int_equal(fetcher_pending(fx->fetcher), 8);

	/* Cancelling host a's transfers frees slots for host b's queued
	 * ones, up to b's own limit. */
	for (i = 0; i < 4; i++)
		fetch_cancel(t[i]);
	for (tries = 0; tries < 600; tries++) {
		loop_for(fx->base, 50);
		if (server_count_prefix("/hang/b") >= 2)
			break;
	}
	loop_for(fx->base, 300);
	assert_int_equal(server_count_prefix("/hang/b"), 2);
	assert_int_equal(server_count_prefix("/hang/a"), 2);
	assert_int_equal(fetcher_pending(fx->fetcher), 4);
	for (i = 4; i < 8; i++)
		fetch_cancel(t[i]);
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
	loop_for(fx->base, 50);
	for (i = 0; i < 8; i++)
		assert_int_equal(res[i].calls, 0);
}

static void
test_fetch_busy_host_does_not_block_others(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result hang1 = { 0 }, hang2 = { 0 }, other = { 0 };
	struct transfer *t1, *t2;

	fx->options.per_host = 1;
	fx_options(fx);
	req.url = test_server_url(&server, NULL, "/hang/first");
	t1 = fetch_start(fx->fetcher, &req, result_cb, &hang1);
	free((char *)req.url);
	req.url = test_server_url(&server, NULL, "/hang/second");
	t2 = fetch_start(fx->fetcher, &req, result_cb, &hang2);
	free((char *)req.url);
	req.url = test_server_url(&server, "localhost", "/feed.xml");
	fetch_start(fx->fetcher, &req, result_cb, &other);
	free((char *)req.url);

	loop_until(fx->base, &other.calls, 1);
	assert_int_equal(other.outcome, FETCH_OK);
	loop_for(fx->base, 300);
	assert_int_equal(server_count("/hang/first"), 1);
	assert_int_equal(server_count("/hang/second"), 0);
	assert_int_equal(fetcher_pending(fx->fetcher), 2);
	fetch_cancel(t1);
	fetch_cancel(t2);
	assert_int_equal(hang1.calls + hang2.calls, 0);
	result_clear(&other);
}

static void
test_fetch_queued_transfers_run_in_order_as_slots_free(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res[5];
	int i, done = 0;

	memset(res, 0, sizeof res);
	fx->options.concurrency = 1;
	fx_options(fx);
	req.url = test_server_url(&server, NULL, "/count/feed.xml");
	for (i = 0; i < 5; i++) {
		res[i].done = &done;
		fetch_start(fx->fetcher, &req, result_cb, &res[i]);
	}
	free((char *)req.url);
	loop_until(fx->base, &done, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(res[i].outcome, FETCH_OK);
		assert_int_equal(res[i].order, i + 1);
		result_clear(&res[i]);
	}
	assert_int_equal(server_count("/count/feed.xml"), 5);
}

static void
test_fetch_cancel_inside_callback_stops_other_transfers(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result running = { 0 }, queued = { 0 }, quick = { 0 };
	struct transfer *t_running, *t_queued;

	fx->options.concurrency = 2;
	fx_options(fx);
	req.url = test_server_url(&server, NULL, "/hang/cancelled");
	t_running = fetch_start(fx->fetcher, &req, result_cb, &running);
	free((char *)req.url);
	req.url = test_server_url(&server, NULL, "/feed.xml");
	fetch_start(fx->fetcher, &req, result_cb, &quick);
	free((char *)req.url);
	req.url = test_server_url(&server, NULL, "/count/never.xml");
	t_queued = fetch_start(fx->fetcher, &req, result_cb, &queued);
	free((char *)req.url);
	assert_int_equal(fetcher_pending(fx->fetcher), 3);

	/* quick's callback cancels the hanging transfer; the queued one has
	 * taken quick's slot by then and is cancelled afterwards. */
	quick.cancel = t_running;
	loop_until(fx->base, &quick.calls, 1);
	assert_int_equal(quick.outcome, FETCH_OK);
	fetch_cancel(t_queued);
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
	loop_for(fx->base, 200);
	assert_int_equal(running.calls, 0);
	assert_int_equal(queued.calls, 0);
	result_clear(&quick);
}

static void
test_fetch_cancel_of_queued_transfer_from_callback(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result first = { 0 }, second = { 0 }, third = { 0 };
	struct transfer *t3;
	int done = 0;

	fx->options.concurrency = 1;
	fx_options(fx);
	req.url = test_server_url(&server, NULL, "/feed.xml");
	first.done = second.done = &done;
	fetch_start(fx->fetcher, &req, result_cb, &first);
	fetch_start(fx->fetcher, &req, result_cb, &second);
	t3 = fetch_start(fx->fetcher, &req, result_cb, &third);
	free((char *)req.url);
	/* When first ends, third is still queued behind second. */
	first.cancel = t3;
	loop_until(fx->base, &done, 2);
	loop_for(fx->base, 200);
	assert_int_equal(first.calls, 1);
	assert_int_equal(second.calls, 1);
	assert_int_equal(third.calls, 0);
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
	result_clear(&first);
	result_clear(&second);
}

static void
test_fetch_fetcher_free_inside_callback(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res[3];
	int i, done = 0;

	memset(res, 0, sizeof res);
	req.url = test_server_url(&server, NULL, "/feed.xml");
	for (i = 0; i < 3; i++) {
		res[i].done = &done;
		res[i].free_fx = fx;
		fetch_start(fx->fetcher, &req, result_cb, &res[i]);
	}
	free((char *)req.url);
	loop_until(fx->base, &done, 1);
	assert_null(fx->fetcher);
	loop_for(fx->base, 300);
	assert_int_equal(done, 1);
	assert_int_equal(res[0].calls + res[1].calls + res[2].calls, 1);
	for (i = 0; i < 3; i++)
		result_clear(&res[i]);
}

static void
test_fetch_fetcher_free_inside_failure_callback(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res[3];
	int i, done = 0;

	memset(res, 0, sizeof res);
	req.url = test_server_url(&server, NULL, "/hang/freed");
	fetch_start(fx->fetcher, &req, result_cb, &res[0]);
	free((char *)req.url);
	req.url = "gopher://127.0.0.1/";
	for (i = 1; i < 3; i++) {
		res[i].done = &done;
		res[i].free_fx = fx;
		fetch_start(fx->fetcher, &req, result_cb, &res[i]);
	}
	loop_until(fx->base, &done, 1);
	assert_null(fx->fetcher);
	loop_for(fx->base, 300);
	assert_int_equal(res[0].calls, 0);
	assert_int_equal(res[1].calls, 1);
	assert_int_equal(res[2].calls, 0);
	for (i = 0; i < 3; i++)
		result_clear(&res[i]);
}

static void
test_fetch_non_http_url_fails_through_the_loop(void **state)
{
	static const char *urls[] = {
		"ftp://127.0.0.1/feed.xml",
		"file:///etc/passwd",
		"gopher://127.0.0.1/",
		"not a url",
		"",
	};
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res[5];
	size_t i;
	int done = 0;

	memset(res, 0, sizeof res);
	for (i = 0; i < 5; i++) {
		req.url = urls[i];
		res[i].done = &done;
		assert_non_null(fetch_start(fx->fetcher, &req, result_cb,
		    &res[i]));
		assert_int_equal(res[i].calls, 0);
	}
	assert_int_equal(fetcher_pending(fx->fetcher), 5);
	loop_until(fx->base, &done, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(res[i].calls, 1);
		assert_int_equal(res[i].outcome, FETCH_FAILED);
		assert_int_equal(res[i].status, 0);
		assert_non_null(res[i].error);
		assert_null(strstr(res[i].body, "root:"));
		result_clear(&res[i]);
	}
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
}

static void
test_fetch_cancel_before_rejection_is_delivered(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res = { 0 };
	struct transfer *t;

	req.url = "ftp://127.0.0.1/feed.xml";
	t = fetch_start(fx->fetcher, &req, result_cb, &res);
	fetch_cancel(t);
	assert_int_equal(fetcher_pending(fx->fetcher), 0);
	loop_for(fx->base, 100);
	assert_int_equal(res.calls, 0);
}

static void
test_fetch_post_sends_body_type_and_headers(void **state)
{
	static const char *headers[] = { "X-Wirewatch-Test: 1", NULL };
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res = { 0 };

	req.method_post = 1;
	req.body = "q=hello&target=en";
	req.body_len = strlen(req.body);
	req.content_type = "application/x-www-form-urlencoded";
	req.headers = headers;
	fetch_path(fx, "/echo", &req, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_true(strncmp(res.body, "POST\n", 5) == 0);
	assert_non_null(strstr(res.body,
	    "\nContent-Type: application/x-www-form-urlencoded\n"));
	assert_non_null(strstr(res.body, "\nX-Wirewatch-Test: 1\n"));
	assert_non_null(strstr(res.body, "\nUser-Agent: wirewatch/0.1"));
	assert_non_null(strstr(res.body, "\n\nq=hello&target=en"));
	result_clear(&res);
}

static void
test_fetch_validator_with_newline_is_not_sent(void **state)
{
	struct fx *fx = *state;
	struct fetch_request req = { 0 };
	struct result res = { 0 };

	req.etag = "\"x\"\r\nX-Injected: 1";
	req.last_modified = "Sun, 06 Nov 1994 08:49:37 GMT";
	fetch_path(fx, "/echo", &req, &res);
	assert_int_equal(res.outcome, FETCH_OK);
	assert_null(strstr(res.body, "X-Injected"));
	assert_null(strstr(res.body, "If-None-Match"));
	assert_non_null(strstr(res.body,
	    "\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\n"));
	result_clear(&res);
}

static void
test_fetch_user_agent_from_options(void **state)
{
	struct fx *fx = *state;
	struct result res = { 0 };

	fx->options.user_agent = "wirewatch-test/9";
	fx_options(fx);
	fetch_path(fx, "/echo", NULL, &res);
	assert_non_null(strstr(res.body, "\nUser-Agent: wirewatch-test/9\n"));
	assert_non_null(strstr(res.body, "\nAccept-Encoding: "));
	result_clear(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
		T(test_fetch_ok_returns_body_and_validators),
		T(test_fetch_content_type_keeps_charset),
		T(test_fetch_stored_etag_gives_not_modified),
		T(test_fetch_301_and_308_set_permanent_url),
		T(test_fetch_302_leaves_permanent_url_unset),
		T(test_fetch_redirect_loop_fails_after_five_hops),
		T(test_fetch_redirect_to_file_or_ftp_fails_unread),
		T(test_fetch_410_and_500_are_http_errors),
		T(test_fetch_429_retry_after_seconds_is_absolute),
		T(test_fetch_503_retry_after_http_date),
		T(test_fetch_max_age_from_cache_control_ignores_s_maxage),
		T(test_fetch_max_age_from_expires_minus_date),
		T(test_fetch_no_cache_means_no_max_age),
		T(test_fetch_max_body_aborts_chunked_body_early),
		T(test_fetch_content_length_over_max_body_is_refused),
		T(test_fetch_gzip_bomb_stops_at_max_body),
		T(test_fetch_gzip_body_is_decoded),
		T(test_fetch_slow_drip_hits_low_speed_limit),
		T(test_fetch_hang_hits_total_timeout),
		T(test_fetch_concurrency_and_per_host_limits_hold),
		T(test_fetch_busy_host_does_not_block_others),
		T(test_fetch_queued_transfers_run_in_order_as_slots_free),
		T(test_fetch_cancel_inside_callback_stops_other_transfers),
		T(test_fetch_cancel_of_queued_transfer_from_callback),
		T(test_fetch_fetcher_free_inside_callback),
		T(test_fetch_fetcher_free_inside_failure_callback),
		T(test_fetch_non_http_url_fails_through_the_loop),
		T(test_fetch_cancel_before_rejection_is_delivered),
		T(test_fetch_post_sends_body_type_and_headers),
		T(test_fetch_validator_with_newline_is_not_sent),
		T(test_fetch_user_agent_from_options),
#undef T
	};

	return cmocka_run_group_tests(tests, server_start, server_stop);
}
