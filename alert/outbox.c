/* outbox.c: delivering the alert outbox to each sink — cursors, filters, digests and retries. */

/*
 * Every sink walks the outbox in seq order from its own cursor, the last
 * seq it delivered or filtered out, kept in the store. One message at a
 * time is in flight per sink, so the cursor only ever moves past alerts
 * that were delivered; a failure leaves it where it was and retries the
 * same alerts after a backoff (5 s doubling to 10 min), however long the
 * receiver stays down.
 *
 * Sinks read only up to the last seq the outbox saw at alert_outbox_flush,
 * which the daemon calls after a commit: an alert still inside an open
 * transaction could be rolled back and its seq handed out again, so it
 * must not reach a sink before it is committed.
 *
 * A digest sink waits until the oldest alert it has not delivered is
 * digest seconds old, then sends one message listing the alerts since
 * (up to ALERT_MESSAGE_MAX; more make another message at once). The age
 * comes from the alert's time in the store, so a restart neither loses
 * nor restarts a period.
 *
 * Rows are read a page at a time and at most ALERT_SCAN_MAX per run, so a
 * sink that filters out a long backlog yields the loop between pages of
 * it instead of walking it in one go.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/common.h"
#include "store/store.h"
#include "alert/alert_internal.h"

#define ALERT_LOG_SINK	"log"
#define ALERT_PAGE	256
#define ALERT_SCAN_MAX	10000

TAILQ_HEAD(alert_sinks, alert_sink);

struct alert_outbox {
	struct event_base	*base;
	struct store		*store;
	struct fetcher		*fetcher;
	struct alert_sinks	 sinks;
	int64_t			 last_seq;	/* committed, as of the last flush */
	int			 finishing;	/* --once: digests go now */
	int64_t			 retry_min_ms;
	int64_t			 retry_max_ms;
};

/* What one run of a sink collects from the outbox. */
struct alert_gather {
	struct alert_sink	*sink;
	size_t			 max;		/* alerts wanted */
	int			 render;	/* build the message too */
	json_t			*digest;	/* the digest's alerts */
	char			*text;		/* or the alert lines */
	size_t			 len;
	size_t			 size;
	size_t			 count;
	int64_t			 first_seq;
	int64_t			 last_seq;
	int64_t			 first_time;
	int64_t			 last_time;
	int64_t			 end;		/* all up to it gathered or filtered */
	size_t			 rows;		/* of the page being read */
	size_t			 scanned;
	int			 full;		/* max reached */
	int			 done;		/* reached the outbox's end */
};

static void	alert_sink_run(struct alert_sink *);

struct event_base *
alert_outbox_base(const struct alert_outbox *o)
{
	return o->base;
}

struct fetcher *
alert_outbox_fetcher(const struct alert_outbox *o)
{
	return o->fetcher;
}

int64_t
alert_outbox_last_seq(const struct alert_outbox *o)
{
	return o->last_seq;
}

/* Copies a NULL-terminated word list. */
static char **
alert_words_copy(char *const *words)
{
	char **copy;
	size_t n = 0, i;

	if (words == NULL)
		return NULL;
	while (words[n] != NULL)
		n++;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(words[i]);
	return copy;
}

static void
alert_words_free(char **words)
{
	size_t i;

	for (i = 0; words != NULL && words[i] != NULL; i++)
		free(words[i]);
	free(words);
}

/* Whether two word lists are the same (NULL only equals NULL). */
static int
alert_words_equal(char *const *a, char *const *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	for (i = 0; a[i] != NULL && b[i] != NULL; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	}
	return a[i] == NULL && b[i] == NULL;
}

/* Whether word is in a list; a NULL list holds every word. */
static int
alert_words_have(char *const *words, const char *word)
{
	size_t i;

	if (words == NULL)
		return 1;
	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(words[i], word) == 0)
			return 1;
	}
	return 0;
}

static int
alert_text_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The sink keeps its settings: a reload frees the configuration. */
static void
alert_sink_conf_copy(struct config_sink *dst, const struct config_sink *src)
{
	memset(dst, 0, sizeof *dst);
	dst->name = xstrdup(src->name);
	dst->type = src->type;
	dst->path = src->path != NULL ? xstrdup(src->path) : NULL;
	dst->argv = alert_words_copy(src->argv);
	dst->url = src->url != NULL ? xstrdup(src->url) : NULL;
	dst->digest = src->digest;
	dst->timeout = src->timeout;
	dst->types = alert_words_copy(src->types);
	dst->watches = alert_words_copy(src->watches);
	dst->line = src->line;
}

static void
alert_sink_conf_clear(struct config_sink *c)
{
	free(c->name);
	free(c->path);
	alert_words_free(c->argv);
	free(c->url);
	alert_words_free(c->types);
	alert_words_free(c->watches);
	memset(c, 0, sizeof *c);
}

/* Whether a reload changed nothing a delivery depends on. */
static int
alert_sink_conf_equal(const struct config_sink *a, const struct config_sink *b)
{
	return a->type == b->type && alert_text_equal(a->path, b->path) &&
	    alert_words_equal(a->argv, b->argv) &&
	    alert_text_equal(a->url, b->url) && a->digest == b->digest &&
	    a->timeout == b->timeout && alert_words_equal(a->types, b->types) &&
	    alert_words_equal(a->watches, b->watches);
}

static void
alert_message_clear(struct alert_message *m)
{
	free(m->text);
	memset(m, 0, sizeof *m);
}

/* Schedules a run of the sink from the loop, so a backlog goes out one
 * message per loop turn instead of all within one callback. */
static void
alert_sink_kick(struct alert_sink *s)
{
	if (s->kicked)
		return;
	s->kicked = 1;
	event_active(s->kick, EV_TIMEOUT, 1);
}

/* libevent: the kick. */
static void
alert_sink_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct alert_sink *s = arg;

	s->kicked = 0;
	alert_sink_run(s);
}

/* libevent: a backoff or a digest period is over. */
static void
alert_sink_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct alert_sink *s = arg;

	s->wait = ALERT_WAIT_NONE;
	alert_sink_run(s);
}

/* Arms the sink's timer for ms milliseconds. */
static void
alert_sink_wait(struct alert_sink *s, enum alert_sink_wait wait, int64_t ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000 * 1000);
	s->wait = wait;
	evtimer_add(s->timer, &tv);
}

void
alert_sink_cursor_save(struct alert_sink *s)
{
	char *cause = NULL;

	if (store_sink_cursor_save(s->outbox->store, s->conf.name, s->cursor,
	    &cause) == 0)
		return;
	log_warnx("sink \"%s\": %s", s->conf.name, cause);
	free(cause);
}

/* Moves the cursor past alerts that need no delivery (filtered out). */
static void
alert_sink_skip(struct alert_sink *s, int64_t end)
{
	if (end <= s->cursor)
		return;
	s->cursor = end;
	alert_sink_cursor_save(s);
}

/* The message in flight is delivered: move on to what follows it. */
static void
alert_sink_delivered(struct alert_sink *s)
{
	s->in_flight = 0;
	alert_message_clear(&s->msg);
	if (s->msg_end > s->cursor) {
		s->cursor = s->msg_end;
		alert_sink_cursor_save(s);
	}
	if (s->failures > 0)
		log_info("sink \"%s\": delivering again after %d failed "
		    "attempt%s", s->conf.name, s->failures,
		    s->failures == 1 ? "" : "s");
	s->failures = 0;
	s->backoff = s->outbox->retry_min_ms;
	free(s->last_error);
	s->last_error = NULL;
	alert_sink_kick(s);
}

/* The delivery failed: keep its alerts and retry after the backoff. The
 * same error again is not logged again: a receiver down for a day would
 * otherwise fill the journal with one line per retry. */
static void
alert_sink_failed(struct alert_sink *s, const char *error,
    int64_t retry_after)
{
	struct alert_outbox *o = s->outbox;
	int64_t delay;

	s->in_flight = 0;
	alert_message_clear(&s->msg);
	s->failures++;
	if (s->last_error == NULL || strcmp(s->last_error, error) != 0) {
		log_warnx("sink \"%s\": %s; its alerts are kept and retried",
		    s->conf.name, error);
		free(s->last_error);
		s->last_error = xstrdup(error);
	}
	delay = s->backoff;
	if (retry_after > 0 && retry_after * 1000 > delay)
		delay = retry_after * 1000 < o->retry_max_ms ?
		    retry_after * 1000 : o->retry_max_ms;
	s->backoff = s->backoff * 2 < o->retry_max_ms ? s->backoff * 2 :
	    o->retry_max_ms;
	alert_sink_wait(s, ALERT_WAIT_RETRY, delay);
}

void
alert_sink_done(struct alert_sink *s, int ok, const char *error,
    int64_t retry_after)
{
	if (ok)
		alert_sink_delivered(s);
	else
		alert_sink_failed(s, error != NULL ? error : "failed",
		    retry_after);
}

/* Adds one alert line to the gathered text. */
static void
alert_gather_line(struct alert_gather *g, const struct store_alert *a)
{
	char *line;
	size_t n;

	line = alert_render(a);
	n = strlen(line);
	if (g->len + n + 2 > g->size) {
		g->size = (g->len + n + 2) * 2;
		g->text = xrealloc(g->text, g->size);
	}
	memcpy(g->text + g->len, line, n);
	g->len += n;
	g->text[g->len++] = '\n';
	g->text[g->len] = '\0';
	free(line);
}

/* store_alert_list: takes alerts for the sink until max, skipping those
 * its filters leave out, stopping at the last committed seq. */
static int
alert_gather_cb(const struct store_alert *a, void *arg)
{
	struct alert_gather *g = arg;
	struct alert_sink *s = g->sink;

	if (a->seq > s->outbox->last_seq) {
		g->done = 1;
		return 1;
	}
	g->rows++;
	g->scanned++;
	g->end = a->seq;
	if (!alert_words_have(s->conf.types, a->type) ||
	    !alert_words_have(s->conf.watches, a->watch))
		return 0;
	if (g->count == 0) {
		g->first_seq = a->seq;
		g->first_time = a->time;
	}
	g->last_seq = a->seq;
	g->last_time = a->time;
	g->count++;
	if (g->render && g->digest != NULL)
		json_array_append_new(g->digest, alert_render_json(a));
	else if (g->render)
		alert_gather_line(g, a);
	if (g->count == g->max) {
		g->full = 1;
		return 1;
	}
	return 0;
}

/* Reads the outbox beyond the sink's cursor into g. Returns 0, or -1 and
 * *cause when the store cannot be read. */
static int
alert_gather(struct alert_sink *s, struct alert_gather *g, size_t max,
    int render, char **cause)
{
	struct store_alert_query q;

	memset(g, 0, sizeof *g);
	g->sink = s;
	g->max = max;
	g->render = render;
	if (render && s->conf.digest > 0)
		g->digest = json_array();
	g->end = s->cursor;
	for (;;) {
		memset(&q, 0, sizeof q);
		q.after_seq = g->end;
		q.limit = ALERT_PAGE;
		g->rows = 0;
		if (store_alert_list(s->outbox->store, &q, alert_gather_cb, g,
		    cause) != 0)
			return -1;
		if (g->full || g->done)
			break;
		if (g->rows < ALERT_PAGE) {
			g->done = 1;
			break;
		}
		if (g->scanned >= ALERT_SCAN_MAX)
			break;
	}
	/* Everything up to the last committed seq was seen: seqs that no
	 * row holds any more (deleted) are behind the sink too. */
	if (g->done && !g->full && g->end < s->outbox->last_seq)
		g->end = s->outbox->last_seq;
	return 0;
}

static void
alert_gather_clear(struct alert_gather *g)
{
	json_decref(g->digest);
	free(g->text);
	g->digest = NULL;
	g->text = NULL;
}

/* Turns what was gathered into the sink's next message. */
static void
alert_gather_message(struct alert_gather *g, struct alert_message *m)
{
	char *text;

	memset(m, 0, sizeof *m);
	m->count = g->count;
	m->first_seq = g->first_seq;
	m->last_seq = g->last_seq;
	if (g->digest != NULL) {
		text = alert_digest_render(g->digest, g->first_time,
		    g->last_time);
		g->digest = NULL;
		xasprintf(&m->text, "%s\n", text);
		free(text);
		m->len = strlen(m->text);
		m->digest = 1;
	} else {
		m->text = g->text;
		m->len = g->len;
		g->text = NULL;
	}
}

/* A digest sink's check: 1 when its oldest undelivered alert is old enough
 * for the digest to go (or --once is finishing), 0 when it waits (timer
 * armed, or nothing to send), -1 when the store could not be read. */
static int
alert_sink_digest_due(struct alert_sink *s, char **cause)
{
	struct alert_gather g;
	int64_t age;

	if (s->outbox->finishing)
		return 1;
	if (alert_gather(s, &g, 1, 0, cause) != 0)
		return -1;
	if (g.count == 0) {
		alert_sink_skip(s, g.end);
		if (!g.done)
			alert_sink_kick(s);
		return 0;
	}
	age = util_now() - g.first_time;
	if (age >= s->conf.digest)
		return 1;
	/* A clock set back makes the age negative: wait one period, not
	 * until the clock catches up. */
	alert_sink_wait(s, ALERT_WAIT_DIGEST, 1000 * (age < 0 ?
	    s->conf.digest : s->conf.digest - age));
	return 0;
}

/* Sends the sink's next message if it has one and is free to. */
static void
alert_sink_run(struct alert_sink *s)
{
	struct alert_gather g;
	enum alert_deliver rc;
	char *cause = NULL;
	size_t max;
	int due;

	if (s->in_flight || s->wait == ALERT_WAIT_RETRY)
		return;
	if (s->wait == ALERT_WAIT_DIGEST) {
		if (!s->outbox->finishing)
			return;
		evtimer_del(s->timer);
		s->wait = ALERT_WAIT_NONE;
	}
	if (s->cursor >= s->outbox->last_seq)
		return;
	if (s->conf.digest > 0 &&
	    (due = alert_sink_digest_due(s, &cause)) != 1) {
		if (due == -1)
			goto fail;
		return;
	}

	max = ALERT_MESSAGE_MAX;
	if (s->conf.digest == 0 && s->conf.type != CONFIG_SINK_FILE)
		max = 1;
	if (alert_gather(s, &g, max, 1, &cause) != 0) {
		alert_gather_clear(&g);
		goto fail;
	}
	if (g.count == 0) {
		alert_gather_clear(&g);
		alert_sink_skip(s, g.end);
		if (!g.done)
			alert_sink_kick(s);
		return;
	}
	alert_gather_message(&g, &s->msg);
	s->msg_end = g.end;
	alert_gather_clear(&g);

	rc = s->ops->deliver(s, &s->msg, &cause);
	if (rc == ALERT_STARTED)
		s->in_flight = 1;
	else if (rc == ALERT_DELIVERED)
		alert_sink_delivered(s);
	else
		goto fail;
	return;
fail:
	alert_sink_failed(s, cause != NULL ? cause : "failed", 0);
	free(cause);
}

/* Stops and frees a sink; its undelivered alerts stay in the outbox. */
static void
alert_sink_free(struct alert_sink *s)
{
	if (s == NULL)
		return;
	if (s->ops != NULL && s->in_flight)
		s->ops->cancel(s);
	s->in_flight = 0;
	if (s->ops != NULL)
		s->ops->close(s);
	if (s->kick != NULL)
		event_free(s->kick);
	if (s->timer != NULL)
		event_free(s->timer);
	alert_message_clear(&s->msg);
	alert_sink_conf_clear(&s->conf);
	free(s->last_error);
	free(s);
}

/*
 * Where a sink the store has never seen starts. The alert log starts at
 * the beginning, so that it holds every alert; a sink added later starts
 * after the newest alert, as a user adding a webhook to a daemon that has
 * run for a month expects, rather than being sent a month of alerts. The
 * start is saved at once: were it only saved with the first delivery, a
 * restart before that would move it past alerts made in between.
 */
static int
alert_sink_start(struct alert_outbox *o, struct alert_sink *s, char **cause)
{
	int64_t last = 0;

	if (s->cursor >= 0)
		return 0;
	if (strcmp(s->conf.name, ALERT_LOG_SINK) != 0 &&
	    store_alert_last_seq(o->store, &last, cause) != 0)
		return -1;
	if (store_sink_cursor_save(o->store, s->conf.name, last, cause) != 0)
		return -1;
	s->cursor = last;
	return 0;
}

/* Creates a sink from its settings, at the cursor the store holds (or
 * carry, the cursor of the sink it replaces, when that is further). */
static struct alert_sink *
alert_sink_new(struct alert_outbox *o, const struct config_sink *conf,
    int64_t carry, char **cause)
{
	const struct alert_sink_ops *ops = NULL;
	struct alert_sink *s;
	char *why = NULL;

	switch (conf->type) {
	case CONFIG_SINK_FILE:
		ops = &alert_sink_file_ops;
		break;
	case CONFIG_SINK_EXEC:
		ops = &alert_sink_exec_ops;
		break;
	case CONFIG_SINK_WEBHOOK:
		ops = &alert_sink_webhook_ops;
		break;
	}
	if (ops == NULL) {
		xasprintf(cause, "sink \"%s\": unknown type", conf->name);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->outbox = o;
	alert_sink_conf_copy(&s->conf, conf);
	s->backoff = o->retry_min_ms;
	s->kick = event_new(o->base, -1, 0, alert_sink_kick_cb, s);
	s->timer = evtimer_new(o->base, alert_sink_timer_cb, s);
	if (s->kick == NULL || s->timer == NULL)
		why = xstrdup("cannot create its events");
	else if (store_sink_cursor_load(o->store, conf->name, &s->cursor,
	    &why) == 0 && alert_sink_start(o, s, &why) == 0) {
		if (carry > s->cursor)
			s->cursor = carry;
		if (ops->open(s, &why) == 0) {
			s->ops = ops;
			return s;
		}
	}
	/* s->ops stays NULL: open cleaned up after itself. */
	xasprintf(cause, "sink \"%s\": %s", conf->name, why);
	free(why);
	alert_sink_free(s);
	return NULL;
}

/* The sink called name, or NULL. */
static struct alert_sink *
alert_outbox_find(struct alert_outbox *o, const char *name)
{
	struct alert_sink *s;

	TAILQ_FOREACH(s, &o->sinks, entry) {
		if (strcmp(s->conf.name, name) == 0)
			return s;
	}
	return NULL;
}

/* The alert log as a file sink called "log". */
static void
alert_outbox_log_conf(const struct config *conf, struct config_sink *out)
{
	memset(out, 0, sizeof *out);
	out->name = (char *)ALERT_LOG_SINK;
	out->type = CONFIG_SINK_FILE;
	out->path = conf->alert_log;
}

/*
 * Builds the sinks conf asks for into list: a sink whose settings did not
 * change is taken over from the outbox as it is (an exec child or a POST
 * in flight goes on), except file sinks, which are always opened anew so
 * that a rotated log is followed. Nothing of the outbox changes until all
 * of them could be set up. Returns 0, or -1 and *cause with list empty.
 */
static int
alert_outbox_build(struct alert_outbox *o, const struct config *conf,
    struct alert_sinks *list, char **cause)
{
	struct config_sink log;
	const struct config_sink *want;
	struct alert_sink *s, *old, **kept;
	size_t i, n;

	alert_outbox_log_conf(conf, &log);
	n = conf->nsinks + 1;
	kept = xcalloc(n, sizeof *kept);
	for (i = 0; i < n; i++) {
		want = i == 0 ? &log : &conf->sinks[i - 1];
		if (i == 0 && (log.path == NULL || *log.path == '\0'))
			continue;
		old = alert_outbox_find(o, want->name);
		if (old != NULL && old->conf.type != CONFIG_SINK_FILE &&
		    alert_sink_conf_equal(&old->conf, want)) {
			kept[i] = old;
			continue;
		}
		s = alert_sink_new(o, want, old != NULL ? old->cursor : 0,
		    cause);
		if (s == NULL)
			goto fail;
		TAILQ_INSERT_TAIL(list, s, entry);
	}
	/* All set up: move the kept sinks over, in the configuration's order
	 * (the new ones went to the list's end, which order does not matter
	 * to). */
	for (i = 0; i < n; i++) {
		if (kept[i] == NULL)
			continue;
		TAILQ_REMOVE(&o->sinks, kept[i], entry);
		TAILQ_INSERT_TAIL(list, kept[i], entry);
	}
	free(kept);
	return 0;
fail:
	while ((s = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, s, entry);
		alert_sink_free(s);
	}
	free(kept);
	return -1;
}

/* Replaces the outbox's sinks with list, freeing those left behind. */
static void
alert_outbox_install(struct alert_outbox *o, struct alert_sinks *list)
{
	struct alert_sink *s;

	while ((s = TAILQ_FIRST(&o->sinks)) != NULL) {
		TAILQ_REMOVE(&o->sinks, s, entry);
		alert_sink_free(s);
	}
	while ((s = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, s, entry);
		TAILQ_INSERT_TAIL(&o->sinks, s, entry);
		alert_sink_kick(s);
	}
}

struct alert_outbox *
alert_outbox_new(struct event_base *base, struct store *store,
    struct fetcher *fetcher, const struct config *conf, char **cause)
{
	struct alert_outbox *o;
	struct alert_sinks list;

	o = xcalloc(1, sizeof *o);
	o->base = base;
	o->store = store;
	o->fetcher = fetcher;
	o->retry_min_ms = ALERT_RETRY_MIN * 1000;
	o->retry_max_ms = ALERT_RETRY_MAX * 1000;
	TAILQ_INIT(&o->sinks);
	TAILQ_INIT(&list);
	if (store_alert_last_seq(store, &o->last_seq, cause) != 0 ||
	    alert_outbox_build(o, conf, &list, cause) != 0) {
		free(o);
		return NULL;
	}
	alert_outbox_install(o, &list);
	return o;
}

void
alert_outbox_free(struct alert_outbox *o)
{
	struct alert_sink *s;

	if (o == NULL)
		return;
	while ((s = TAILQ_FIRST(&o->sinks)) != NULL) {
		TAILQ_REMOVE(&o->sinks, s, entry);
		alert_sink_free(s);
	}
	free(o);
}

int
alert_outbox_reconfigure(struct alert_outbox *o, const struct config *conf,
    char **cause)
{
	struct alert_sinks list;

	TAILQ_INIT(&list);
	if (alert_outbox_build(o, conf, &list, cause) != 0)
		return -1;
	alert_outbox_install(o, &list);
	return 0;
}

void
alert_outbox_set_retry(struct alert_outbox *o, int64_t min_ms, int64_t max_ms)
{
	struct alert_sink *s;

	o->retry_min_ms = min_ms;
	o->retry_max_ms = max_ms;
	TAILQ_FOREACH(s, &o->sinks, entry)
		s->backoff = min_ms;
}

void
alert_outbox_flush(struct alert_outbox *o)
{
	struct alert_sink *s;
	char *cause = NULL;
	int64_t seq;

	if (store_alert_last_seq(o->store, &seq, &cause) == 0)
		o->last_seq = seq;
	else {
		log_warnx("alert outbox: %s", cause);
		free(cause);
	}
	TAILQ_FOREACH(s, &o->sinks, entry)
		alert_sink_run(s);
}

size_t
alert_outbox_busy(const struct alert_outbox *o)
{
	const struct alert_sink *s;
	size_t n = 0;

	TAILQ_FOREACH(s, &o->sinks, entry) {
		if (s->in_flight || s->wait != ALERT_WAIT_NONE || s->kicked ||
		    s->cursor < o->last_seq)
			n++;
	}
	return n;
}

int64_t
alert_outbox_pending(const struct alert_outbox *o)
{
	const struct alert_sink *s;
	int64_t most = 0;

	TAILQ_FOREACH(s, &o->sinks, entry) {
		if (o->last_seq - s->cursor > most)
			most = o->last_seq - s->cursor;
	}
	return most;
}

void
alert_outbox_finish(struct alert_outbox *o)
{
	struct alert_sink *s;

	o->finishing = 1;
	TAILQ_FOREACH(s, &o->sinks, entry)
		alert_sink_run(s);
}
