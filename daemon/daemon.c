/* daemon.c: builds the daemon (event loop, store, fetcher, feeds), runs it, and tears it down. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "fetch/fetch.h"
#include "store/store.h"

/* The fetcher's limits from the configuration. The connect timeout and the
 * low-speed window are shares of the whole timeout: a server that accepts
 * nothing, or drips a byte a second, is given up on long before it. */
void
daemon_fetch_options(const struct config *conf, struct fetch_options *o)
{
	memset(o, 0, sizeof *o);
	o->concurrency = conf->concurrency;
	o->per_host = conf->per_host;
	o->timeout = (long)conf->timeout;
	o->connect_timeout = o->timeout < 10 ? o->timeout : 10;
	o->low_speed_time = o->timeout < 20 ? o->timeout : 20;
	o->max_body = conf->max_body;
	o->user_agent = conf->user_agent;
}

/* --once: one more feed is finished; the last one ends the loop. */
void
daemon_once_finish(struct daemon *d, struct feed *f)
{
	if (f->once_done)
		return;
	f->once_done = 1;
	if (d->once_pending > 0 && --d->once_pending == 0)
		event_base_loopexit(d->base, NULL);
}

/* SIGTERM and SIGINT: stop now. Transfers in flight are abandoned (each
 * feed's state was saved with its last poll, so nothing is half written);
 * daemon_run then commits the polls waiting in the open batch. */
static void
daemon_stop_cb(evutil_socket_t sig, short events, void *arg)
{
	struct daemon *d = arg;

	log_info("stopping on %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	notify_stopping(d);
	event_base_loopbreak(d->base);
}

/* SIGHUP: reload the configuration (not in --once, which is a single run). */
static void
daemon_hup_cb(evutil_socket_t sig, short events, void *arg)
{
	struct daemon *d = arg;

	if (d->once) {
		log_info("SIGHUP ignored with --once");
		return;
	}
	reload_config(d);
}

/* Loads every configured feed's state, in one store batch: thousands of
 * feeds are created on the first start, and a transaction each would
 * rewrite the feeds table's pages as many times. Any failure fails the
 * start, so the batch is committed whole or not at all. */
static int
daemon_load_feeds(struct daemon *d, char **cause)
{
	struct feed *f;
	size_t i;

	if (store_batch_begin(d->store, cause) != 0)
		return -1;
	for (i = 0; i < d->conf->nfeeds; i++) {
		if ((f = feed_new(d, &d->conf->feeds[i], cause)) == NULL) {
			store_batch_rollback(d->store);
			return -1;
		}
		TAILQ_INSERT_TAIL(&d->feeds, f, entry);
	}
	return store_batch_commit(d->store, cause);
}

/* Builds the daemon around conf, which it owns from now on (freed by
 * daemon_free, also on failure). Returns NULL and *cause when the store or
 * the fetcher cannot be set up. */
struct daemon *
daemon_new(struct config *conf, int once, char **cause)
{
	struct daemon *d = xcalloc(1, sizeof *d);
	struct fetch_options opts;
	int64_t nfeeds;

	d->conf = conf;
	d->once = once;
	TAILQ_INIT(&d->feeds);
	TAILQ_INIT(&d->hosts);
	TAILQ_INIT(&d->batch_feeds);
	if ((d->base = event_base_new()) == NULL) {
		*cause = xstrdup("cannot create the event loop");
		goto fail;
	}
	if ((d->store = store_open(conf->state_dir, STORE_READ_WRITE,
	    cause)) == NULL)
		goto fail;
	daemon_fetch_options(conf, &opts);
	if ((d->fetcher = fetcher_new(d->base, &opts)) == NULL) {
		*cause = xstrdup("cannot set up libcurl");
		goto fail;
	}
	if (store_count(d->store, &nfeeds, &d->nitems) != 0)
		d->nitems = 0;
	if (pipeline_init(d, cause) != 0 || extraction_init(d, cause) != 0)
		goto fail;
	if ((d->outbox = alert_outbox_new(d->base, d->store, d->fetcher, conf,
	    cause)) == NULL)
		goto fail;
	if (translation_init(d, cause) != 0)
		goto fail;
	if (daemon_load_feeds(d, cause) != 0)
		goto fail;
	d->sig_hup = evsignal_new(d->base, SIGHUP, daemon_hup_cb, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, daemon_stop_cb, d);
	d->sig_int = evsignal_new(d->base, SIGINT, daemon_stop_cb, d);
	if (d->sig_hup == NULL || d->sig_term == NULL || d->sig_int == NULL ||
	    evsignal_add(d->sig_hup, NULL) != 0 ||
	    evsignal_add(d->sig_term, NULL) != 0 ||
	    evsignal_add(d->sig_int, NULL) != 0) {
		*cause = xstrdup("cannot install signal handlers");
		goto fail;
	}
	return d;
fail:
	daemon_free(d);
	return NULL;
}

/* --once: checks whether the translations, then the sinks, are done,
 * ending the loop when so. */
static void
daemon_once_check_cb(evutil_socket_t fd, short events, void *arg)
{
	struct daemon *d = arg;

	if (translation_busy(d) == 0 && alert_outbox_busy(d->outbox) == 0)
		event_base_loopexit(d->base, NULL);
}

/* Runs the loop until the once check ends it, at most seconds. */
static void
daemon_once_wait(struct daemon *d, int seconds)
{
	struct timeval tick = { 0, 100 * 1000 };
	struct timeval bound = { seconds, 0 };
	struct event *check;

	check = event_new(d->base, -1, EV_PERSIST, daemon_once_check_cb, d);
	if (check == NULL || evtimer_add(check, &tick) != 0) {
		if (check != NULL)
			event_free(check);
		return;
	}
	event_base_loopexit(d->base, &bound);
	event_base_dispatch(d->base);
	event_free(check);
}

/* --once: gives the sinks up to DAEMON_ONCE_DELIVER_SECONDS to deliver
 * what this run stored (digests are sent now, not at the end of their
 * period); what they cannot deliver stays for the next run. */
static void
daemon_once_deliver(struct daemon *d)
{
	if (translation_busy(d) != 0) {
		daemon_once_wait(d, DAEMON_ONCE_TRANSLATE_SECONDS);
		if (translation_busy(d) != 0)
			log_warnx("--once: %zu stor%s still waiting for a "
			    "translation; the next run goes on with them",
			    translation_busy(d), translation_busy(d) == 1 ?
			    "y" : "ies");
	}
	alert_outbox_finish(d->outbox);
	if (alert_outbox_busy(d->outbox) == 0)
		return;
	daemon_once_wait(d, DAEMON_ONCE_DELIVER_SECONDS);
	if (alert_outbox_busy(d->outbox) != 0)
		log_warnx("--once: %lld alert%s not delivered yet; they will be "
		    "at the next run", (long long)alert_outbox_pending(d->outbox),
		    alert_outbox_pending(d->outbox) == 1 ? "" : "s");
}

/* Starts every feed and runs the loop until a signal stops it or, with
 * --once, until every feed has been polled. Returns the exit code. */
int
daemon_run(struct daemon *d)
{
	struct feed *f;

	TAILQ_FOREACH(f, &d->feeds, entry)
		d->once_pending++;
	if (!d->once)
		d->once_pending = 0;
	TAILQ_FOREACH(f, &d->feeds, entry)
		feed_start(f);
	/* Alerts a previous run stored but did not deliver go out first. */
	alert_outbox_flush(d->outbox);
	notify_ready(d);
	notify_status(d);
	if (d->once && d->once_pending == 0) {
		daemon_once_deliver(d);
		return d->store_errors ? 1 : 0;
	}
	notify_watchdog_start(d);
	if (event_base_dispatch(d->base) == -1) {
		log_error("the event loop failed");
		batch_commit(d);
		return 1;
	}
	/* The polls that finished last are still in the open batch. */
	batch_commit(d);
	if (d->once)
		daemon_once_deliver(d);
	if (d->once && d->store_errors > 0) {
		log_error("%d writes to the state failed", d->store_errors);
		return 1;
	}
	return 0;
}

/* Tears down in the order libcurl and libevent need: transfers first
 * (curl may still call back into the loop while cleaning up), then the
 * open batch is committed, then the feeds' timers, the store, and the loop
 * last. */
void
daemon_free(struct daemon *d)
{
	struct feed *f;

	if (d == NULL)
		return;
	/* The outbox cancels its own webhook transfers before the fetcher
	 * goes; the polls' last batch is then committed without a flush, and
	 * delivered at the next start. */
	alert_outbox_free(d->outbox);
	d->outbox = NULL;
	translation_free(d);
	if (d->fetcher != NULL) {
		fetcher_free(d->fetcher);
		TAILQ_FOREACH(f, &d->feeds, entry)
			f->transfer = NULL;
	}
	batch_commit(d);
	while ((f = TAILQ_FIRST(&d->feeds)) != NULL) {
		TAILQ_REMOVE(&d->feeds, f, entry);
		feed_free(f);
	}
	if (d->sig_hup != NULL)
		event_free(d->sig_hup);
	if (d->sig_term != NULL)
		event_free(d->sig_term);
	if (d->sig_int != NULL)
		event_free(d->sig_int);
	if (d->watchdog != NULL)
		event_free(d->watchdog);
	if (d->status_timer != NULL)
		event_free(d->status_timer);
	if (d->batch_timer != NULL)
		event_free(d->batch_timer);
	extraction_free(d);
	pipeline_free(d);
	store_close(d->store);
	config_free(d->conf);
	free(d->status);
	if (d->base != NULL)
		event_base_free(d->base);
	free(d);
}
