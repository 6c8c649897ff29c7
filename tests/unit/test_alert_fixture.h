/* test_alert_fixture.h: what the alert tests share — a temporary state directory, a real store and loop, a configuration. */
#ifndef WW_TEST_ALERT_FIXTURE_H
#define WW_TEST_ALERT_FIXTURE_H

/*
 * Include after <cmocka.h>. Every helper is static inline so that a test
 * file uses what it needs without unused-function warnings.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "alert/alert.h"
#include "alert/alert_internal.h"

#define AFX_MAX_SINKS	4
/* A test that waits longer than this for the loop is stuck, not slow. */
#define AFX_GUARD_SECONDS 60

struct afx {
	char			 root[64];
	char			*state_dir;
	char			*log_path;	/* the alert log: dir not created */
	struct event_base	*base;
	struct store		*store;
	struct fetcher		*fetcher;	/* set by webhook tests */
	struct config		 conf;
	struct config_sink	 sinks[AFX_MAX_SINKS];
	struct alert_outbox	*outbox;
};

/* nftw: removes one entry of the temporary tree. */
static inline int
afx_remove_cb(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

static inline struct afx *
afx_new(void)
{
	struct afx *fx;
	char *cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	strcpy(fx->root, "/tmp/ww-test-alert-XXXXXX");
	assert_non_null(mkdtemp(fx->root));
	xasprintf(&fx->state_dir, "%s/state", fx->root);
	xasprintf(&fx->log_path, "%s/logs/wirewatch/alerts.jsonl", fx->root);
	fx->base = event_base_new();
	assert_non_null(fx->base);
	if ((fx->store = store_open(fx->state_dir, STORE_READ_WRITE,
	    &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	fx->conf.state_dir = fx->state_dir;
	fx->conf.alert_log = fx->log_path;
	fx->conf.sinks = fx->sinks;
	return fx;
}

/* Adds a [sink "name"] of type to the configuration; the caller fills in
 * the rest (path, argv, url, digest, filters). */
static inline struct config_sink *
afx_sink(struct afx *fx, const char *name, enum config_sink_type type)
{
	struct config_sink *k;

	assert_true(fx->conf.nsinks < AFX_MAX_SINKS);
	k = &fx->sinks[fx->conf.nsinks++];
	memset(k, 0, sizeof *k);
	k->name = (char *)name;
	k->type = type;
	k->timeout = 30;
	return k;
}

/* The outbox of fx->conf, with retries after 20 ms instead of 5 s. Its
 * sinks count as configured before any alert the test inserts: a sink the
 * store has never seen would start after the newest alert
 * (test_sink_added_later_starts_after_the_newest_alert). */
static inline void
afx_outbox(struct afx *fx)
{
	char *cause = NULL;
	int64_t cursor;
	size_t i;

	for (i = 0; i < fx->conf.nsinks; i++) {
		assert_int_equal(store_sink_cursor_load(fx->store,
		    fx->sinks[i].name, &cursor, NULL), 0);
		if (cursor == -1)
			assert_int_equal(store_sink_cursor_save(fx->store,
			    fx->sinks[i].name, 0, NULL), 0);
	}
	fx->outbox = alert_outbox_new(fx->base, fx->store, fx->fetcher,
	    &fx->conf, &cause);
	if (fx->outbox == NULL)
		fail_msg("alert_outbox_new: %s", cause);
	alert_outbox_set_retry(fx->outbox, 20, 80);
}

/* Frees the outbox, as the daemon does when it stops. */
static inline void
afx_outbox_free(struct afx *fx)
{
	alert_outbox_free(fx->outbox);
	fx->outbox = NULL;
}

static inline void
afx_free(struct afx *fx)
{
	if (fx == NULL)
		return;
	alert_outbox_free(fx->outbox);
	store_close(fx->store);
	event_base_free(fx->base);
	nftw(fx->root, afx_remove_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(fx->state_dir);
	free(fx->log_path);
	free(fx);
}

/* Stores a new_story alert of watch at time t and returns its seq. */
static inline int64_t
afx_insert_at(struct afx *fx, const char *type, const char *watch, int64_t t)
{
	struct alert_story st;
	char *body, *cause = NULL, title[64];
	int64_t seq = 0;

	memset(&st, 0, sizeof st);
	snprintf(title, sizeof title, "Story for %s", watch);
	st.id = 1000 + t % 1000;
	st.title = title;
	st.url = "https://example.org/story";
	st.feed = "wire";
	st.lang = "en";
	st.published = -1;
	body = alert_body_new_story(&st);
	if (store_alert_insert(fx->store, type, watch, st.id, body, t, &seq,
	    &cause) != 0)
		fail_msg("store_alert_insert: %s", cause);
	free(body);
	return seq;
}

static inline int64_t
afx_insert(struct afx *fx, const char *watch)
{
	return afx_insert_at(fx, "new_story", watch, util_now());
}

/* libevent: the guard against a test that would wait for ever. */
static inline void
afx_guard_cb(evutil_socket_t fd, short what, void *arg)
{
	fail_msg("the loop waited %d s for a condition that never came",
	    AFX_GUARD_SECONDS);
}

/* libevent: wakes the loop so that a condition on the outside world (a
 * file a child writes) is looked at again. */
static inline void
afx_tick_cb(evutil_socket_t fd, short what, void *arg)
{
}

/* Runs the loop until cond(fx, arg) holds. */
static inline void
afx_run_until(struct afx *fx, int (*cond)(struct afx *, void *), void *arg)
{
	struct timeval tv = { AFX_GUARD_SECONDS, 0 }, tick = { 0, 10000 };
	struct event *guard, *ticker;

	guard = evtimer_new(fx->base, afx_guard_cb, fx);
	evtimer_add(guard, &tv);
	ticker = event_new(fx->base, -1, EV_PERSIST, afx_tick_cb, NULL);
	evtimer_add(ticker, &tick);
	while (!cond(fx, arg))
		event_base_loop(fx->base, EVLOOP_ONCE);
	event_free(ticker);
	event_free(guard);
}

/* afx_run_until's condition: the file arg names is not empty. */
static inline int
afx_file_filled(struct afx *fx, void *arg)
{
	struct stat st;

	return stat(arg, &st) == 0 && st.st_size > 0;
}

/* afx_run_until's condition: the outbox has nothing left to do. */
static inline int
afx_idle(struct afx *fx, void *arg)
{
	return alert_outbox_busy(fx->outbox) == 0;
}

/* Runs the loop for ms milliseconds, whatever happens. */
static inline void
afx_run_for(struct afx *fx, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(fx->base, &tv);
	event_base_dispatch(fx->base);
}

/* A file's contents ("" when it does not exist). */
static inline char *
afx_read(const char *path)
{
	char *text, *cause = NULL;
	size_t len;

	if ((text = util_read_file(path, 64 << 20, &len, &cause)) == NULL) {
		free(cause);
		return xstrdup("");
	}
	return text;
}

/* Lines in a text. */
static inline size_t
afx_lines(const char *text)
{
	size_t n = 0;

	for (; *text != '\0'; text++) {
		if (*text == '\n')
			n++;
	}
	return n;
}

/* The seqs of a JSON Lines text, in order, into seqs (at most max);
 * returns how many lines there were. */
static inline size_t
afx_seqs(const char *text, int64_t *seqs, size_t max)
{
	const char *line = text, *nl;
	size_t n = 0;

	while ((nl = strchr(line, '\n')) != NULL) {
		if (n < max)
			seqs[n] = alert_line_seq(line, (size_t)(nl - line));
		n++;
		line = nl + 1;
	}
	return n;
}

/* A sink's cursor as the store holds it. */
static inline int64_t
afx_cursor(struct afx *fx, const char *sink)
{
	int64_t cursor = -1;

	assert_int_equal(store_sink_cursor_load(fx->store, sink, &cursor,
	    NULL), 0);
	return cursor;
}

#endif
