/* notify.c: tells systemd how the service is doing (sd_notify) and feeds its watchdog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"

/* Outside systemd (no $NOTIFY_SOCKET) every sd_notify is a cheap no-op, so
 * these are called unconditionally. */
void
notify_ready(struct daemon *d)
{
	sd_notify(0, "READY=1");
}

/* RELOADING=1 carries the monotonic time, as systemd 253's notify-reload
 * protocol asks; older systemd ignores the extra field. */
void
notify_reloading(struct daemon *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
}

void
notify_stopping(struct daemon *d)
{
	sd_notify(0, "STOPPING=1");
}

/* The current backend's counts, for the status line. */
static int
notify_stats_cb(const struct store_translate_stats *st, void *arg)
{
	struct store_translate_stats *out = arg;

	if (strcmp(st->backend, out->backend) == 0) {
		out->chars = st->chars;
		out->cache_hits = st->cache_hits;
		out->cache_misses = st->cache_misses;
		out->failures = st->failures;
	}
	return 0;
}

/* ", N translations waiting (apertium: C characters sent, H % from the
 * cache, F failed)" for the status line; a static buffer, as the line is
 * built at once. */
static const char *
notify_translations(struct daemon *d)
{
	static char buf[160];
	struct store_translate_stats st;
	int64_t looked;

	memset(&st, 0, sizeof st);
	st.backend = d->conf->translate_backend;
	if (store_translate_stats_list(d->store, notify_stats_cb, &st,
	    NULL) != 0)
		memset(&st, 0, sizeof st);
	looked = st.cache_hits + st.cache_misses;
	snprintf(buf, sizeof buf, ", %lld translation%s waiting (%s: %lld "
	    "characters sent, %lld %% from the cache, %lld failed)",
	    (long long)d->translate_pending, d->translate_pending == 1 ? "" :
	    "s", d->conf->translate_backend, (long long)st.chars,
	    looked > 0 ? (long long)(100 * st.cache_hits / looked) : 0LL,
	    (long long)st.failures);
	return buf;
}

/* Sends "STATUS=N feeds, M items, S stories, K failing, A alerts
 * undelivered" (and the translation's waiting and costs) when it differs
 * from the last one sent. */
static void
notify_status_cb(evutil_socket_t fd, short events, void *arg)
{
	struct daemon *d = arg;
	struct feed *f;
	size_t nfeeds = 0, failing = 0;
	int64_t pending;
	char *status;

	TAILQ_FOREACH(f, &d->feeds, entry) {
		nfeeds++;
		if (feed_failing(f))
			failing++;
	}
	pending = d->outbox != NULL ? alert_outbox_pending(d->outbox) : 0;
	xasprintf(&status, "%zu feed%s, %lld item%s, %lld stor%s, %zu failing, "
	    "%lld alert%s undelivered%s", nfeeds, nfeeds == 1 ? "" : "s",
	    (long long)d->nitems, d->nitems == 1 ? "" : "s",
	    (long long)d->nstories, d->nstories == 1 ? "y" : "ies", failing,
	    (long long)pending, pending == 1 ? "" : "s",
	    d->translator != NULL ? notify_translations(d) : "");
	if (d->status != NULL && strcmp(d->status, status) == 0) {
		free(status);
		return;
	}
	sd_notifyf(0, "STATUS=%s", status);
	free(d->status);
	d->status = status;
}

/* Notes that the status changed. Counting the failing feeds walks them
 * all, so it happens at most once a second, not after each of ten
 * thousand polls; the first call (at start) sends at once. */
void
notify_status(struct daemon *d)
{
	struct timeval tv = { 1, 0 };

	if (d->status_timer == NULL) {
		d->status_timer = evtimer_new(d->base, notify_status_cb, d);
		if (d->status_timer == NULL)
			fatalx("evtimer_new failed");
		notify_status_cb(-1, 0, d);
		return;
	}
	if (!evtimer_pending(d->status_timer, NULL))
		evtimer_add(d->status_timer, &tv);
}

static void
notify_watchdog_cb(evutil_socket_t fd, short events, void *arg)
{
	sd_notify(0, "WATCHDOG=1");
}

/* With WatchdogSec= in the unit, pets the watchdog at half its interval
 * from the event loop itself: a wedged loop stops the petting and systemd
 * restarts us, which is the point. */
void
notify_watchdog_start(struct daemon *d)
{
	struct timeval tv;
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	d->watchdog = event_new(d->base, -1, EV_PERSIST, notify_watchdog_cb, d);
	if (d->watchdog == NULL || event_add(d->watchdog, &tv) != 0) {
		log_warnx("cannot start the watchdog timer");
		return;
	}
	d->watchdog_usec = (int64_t)usec;
	sd_notify(0, "WATCHDOG=1");
	log_debug("watchdog every %llu ms", (unsigned long long)usec / 1000);
}
