/* test_translate_fixture.h: what the translation backend tests share — a real loop and fetcher, a translator, a job run to its one callback. */
#ifndef WW_TEST_TRANSLATE_FIXTURE_H
#define WW_TEST_TRANSLATE_FIXTURE_H

/*
 * Include after <cmocka.h>. Every helper is static inline so that a test
 * file uses what it needs without unused-function warnings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "tests/unit/support/test_server.h"
#include "translate/translate.h"

/* A test that waits longer than this for the loop is stuck, not slow. */
#define TFX_GUARD_SECONDS	120

struct tfx;

/* What one job's callback saw, copied out of the result. */
struct tfx_result {
	struct tfx		*fx;
	int			 calls;
	enum translate_outcome	 outcome;
	char			**texts;
	size_t			 ntexts;
	int64_t			 retry_after;
	char			*error;
	size_t			 chars_sent;
};

struct tfx {
	struct event_base	*base;
	struct fetcher		*fetcher;
	struct translator	*tr;
	struct translate_options options;
	struct event		*guard;
	int			 pending;	/* callbacks still awaited */
	int			 in_start;	/* translate_start is on the stack */
	int			 free_in_cb;	/* free the translator from the callback */
	char			*probe_error;
	int			 probe_calls;
};

/* The loop ran for TFX_GUARD_SECONDS: give up on it. */
static inline void
tfx_guard_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tfx *fx = arg;

	fprintf(stderr, "the loop ran %d s without an answer\n",
	    TFX_GUARD_SECONDS);
	event_base_loopbreak(fx->base);
}

/* A loop and a fetcher; the translator is made by tfx_translator. */
static inline struct tfx *
tfx_new(void)
{
	struct fetch_options fo;
	struct tfx *fx;

	fx = xcalloc(1, sizeof *fx);
	fx->base = event_base_new();
	assert_non_null(fx->base);
	memset(&fo, 0, sizeof fo);
	fo.concurrency = 16;
	fo.per_host = 16;
	fo.connect_timeout = 5;
	fo.timeout = 60;
	fo.low_speed_time = 60;
	fo.max_body = 4 << 20;
	fo.user_agent = "wirewatch-test";
	fx->fetcher = fetcher_new(fx->base, &fo);
	assert_non_null(fx->fetcher);
	fx->options.timeout = 30;
	fx->options.concurrency = 2;
	fx->guard = evtimer_new(fx->base, tfx_guard_cb, fx);
	return fx;
}

/* Makes the translator from fx->options; returns NULL and *cause when
 * translator_new refuses them. */
static inline struct translator *
tfx_translator(struct tfx *fx, char **cause)
{
	fx->tr = translator_new(fx->base, fx->fetcher, &fx->options, cause);
	return fx->tr;
}

/* Frees a result's copies. */
static inline void
tfx_result_clear(struct tfx_result *res)
{
	size_t i;

	for (i = 0; i < res->ntexts; i++)
		free(res->texts[i]);
	free(res->texts);
	free(res->error);
	memset(res, 0, sizeof *res);
}

static inline void
tfx_free(struct tfx *fx)
{
	translator_free(fx->tr);
	fetcher_free(fx->fetcher);
	event_free(fx->guard);
	event_base_free(fx->base);
	free(fx->probe_error);
	free(fx);
}

/* Runs the loop until every awaited callback came (or the guard fired). */
static inline void
tfx_loop(struct tfx *fx)
{
	struct timeval tv = { TFX_GUARD_SECONDS, 0 };

	evtimer_add(fx->guard, &tv);
	while (fx->pending > 0) {
		if (event_base_loop(fx->base, EVLOOP_ONCE) != 0)
			break;
		if (!evtimer_pending(fx->guard, NULL))
			break;
	}
	evtimer_del(fx->guard);
	assert_int_equal(fx->pending, 0);
}

/* translate_cb: copies the result. */
static inline void
tfx_job_cb(const struct translate_result *r, void *arg)
{
	struct tfx_result *res = arg;
	struct tfx *fx = res->fx;
	size_t i;

	assert_false(fx->in_start);
	res->calls++;
	res->outcome = r->outcome;
	res->retry_after = r->retry_after;
	res->chars_sent = r->chars_sent;
	res->error = r->error != NULL ? xstrdup(r->error) : NULL;
	if (r->outcome == TRANSLATE_OK) {
		assert_null(r->error);
		res->ntexts = r->ntexts;
		res->texts = xcalloc(r->ntexts + 1, sizeof *res->texts);
		for (i = 0; i < r->ntexts; i++) {
			assert_non_null(r->texts[i]);
			res->texts[i] = xstrdup(r->texts[i]);
		}
	} else
		assert_non_null(r->error);
	fx->pending--;
	if (fx->free_in_cb) {
		translator_free(fx->tr);
		fx->tr = NULL;
	}
}

/* Starts a job whose result lands in res. */
static inline struct translate_job *
tfx_start(struct tfx *fx, const char *source, const char *target,
    const char * const *texts, size_t n, struct tfx_result *res)
{
	struct translate_job *job;

	memset(res, 0, sizeof *res);
	res->fx = fx;
	fx->pending++;
	fx->in_start = 1;
	job = translate_start(fx->tr, source, target, texts, n, tfx_job_cb,
	    res);
	fx->in_start = 0;
	assert_non_null(job);
	return job;
}

/* Translates texts and waits for the one callback. */
static inline void
tfx_translate(struct tfx *fx, const char *source, const char *target,
    const char * const *texts, size_t n, struct tfx_result *res)
{
	tfx_start(fx, source, target, texts, n, res);
	tfx_loop(fx);
	assert_int_equal(res->calls, 1);
}

/* translator_probe's callback. */
static inline void
tfx_probe_cb(const char *error, void *arg)
{
	struct tfx *fx = arg;

	assert_false(fx->in_start);
	fx->probe_calls++;
	free(fx->probe_error);
	fx->probe_error = error != NULL ? xstrdup(error) : NULL;
	fx->pending--;
}

/* Probes and waits; returns the error (owned by fx) or NULL. */
static inline const char *
tfx_probe(struct tfx *fx)
{
	fx->probe_calls = 0;
	fx->pending++;
	fx->in_start = 1;
	translator_probe(fx->tr, tfx_probe_cb, fx);
	fx->in_start = 0;
	tfx_loop(fx);
	assert_int_equal(fx->probe_calls, 1);
	return fx->probe_error;
}

/* The number in "PATH COUNT" of a /_stats body; 0 when absent. */
static inline unsigned long
tfx_stat(const char *stats, const char *path)
{
	const char *p = stats;
	size_t n = strlen(path);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, path, n) == 0 && p[n] == ' ')
			return strtoul(p + n + 1, NULL, 10);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}

/* A translator of backend at path of the feed server ts (its counts
 * reset), sending key, with timeout seconds. */
static inline struct tfx *
tfx_server_backend(struct test_server *ts, const char *backend,
    const char *path, const char *key, int64_t timeout)
{
	struct tfx *fx;
	char *cause = NULL, *url;

	free(test_server_get(ts, "/_reset"));
	fx = tfx_new();
	url = test_server_url(ts, NULL, path);
	fx->options.backend = backend;
	fx->options.url = url;
	fx->options.key = key;
	fx->options.timeout = timeout;
	assert_non_null(tfx_translator(fx, &cause));
	free(url);
	return fx;
}

/* Requests the feed server ts counted for path. */
static inline unsigned long
tfx_server_requests(struct test_server *ts, const char *path)
{
	char *stats = test_server_get(ts, "/_stats");
	unsigned long n = tfx_stat(stats, path);

	free(stats);
	return n;
}

#endif
