/* feed.c: one feed's life in the daemon — its timer fires, it is fetched, parsed and stored, and rescheduled. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "fetch/fetch.h"
#include "parse/parse.h"
#include "store/store.h"

static void feed_timer_cb(evutil_socket_t, short, void *);

/* Replaces a string field with a copy of value (NULL allowed). */
static void
feed_set(char **field, const char *value)
{
	char *copy = value != NULL ? xstrdup(value) : NULL;

	free(*field);
	*field = copy;
}

/* Formats a delay for people: "1.2s", "45s", "12m30s", "2h5m". */
static const char *
feed_format_delay(int64_t ms, char *buf, size_t len)
{
	long long s = (long long)((ms + 999) / 1000);

	if (ms < 10000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000);
	else if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600 && s % 60 != 0)
		snprintf(buf, len, "%lldm%llds", s / 60, s % 60);
	else if (s < 3600)
		snprintf(buf, len, "%lldm", s / 60);
	else
		snprintf(buf, len, "%lldh%lldm", s / 3600, s % 3600 / 60);
	return buf;
}

/* Creates a feed from its configuration and loads (or creates) its stored
 * state. Returns NULL and *cause when the store cannot. */
struct feed *
feed_new(struct daemon *d, const struct config_feed *cf, char **cause)
{
	struct feed *f = xcalloc(1, sizeof *f);

	f->daemon = d;
	f->name = xstrdup(cf->name);
	f->config_url = xstrdup(cf->url);
	feed_set(&f->language, cf->language);
	f->interval = cf->interval;
	if (store_feed_load(d->store, f->name, f->config_url, &f->state,
	    cause) != 0) {
		free(f->name);
		free(f->config_url);
		free(f->language);
		free(f);
		return NULL;
	}
	f->host = host_get(d, f->state.url);
	if ((f->timer = evtimer_new(d->base, feed_timer_cb, f)) == NULL)
		fatalx("evtimer_new failed");
	return f;
}

/* Stops and frees a feed; its stored state stays. */
void
feed_free(struct feed *f)
{
	if (f == NULL)
		return;
	feed_stop(f);
	batch_forget(f->daemon, f);
	event_free(f->timer);
	host_put(f->daemon, f->host);
	store_feed_clear(&f->state);
	free(f->name);
	free(f->config_url);
	free(f->language);
	free(f->logged_error);
	free(f->logged_warning);
	free(f);
}

/* Schedules the first poll, soon, with a little jitter so that feeds
 * configured together do not all fire in the same millisecond. */
void
feed_start(struct feed *f)
{
	int64_t spread;

	if (f->state.disabled) {
		log_warnx("feed %s is disabled: %s answered 410 Gone; change "
		    "its url in the configuration to poll it again", f->name,
		    f->state.url);
		if (f->daemon->once)
			daemon_once_finish(f->daemon, f);
		return;
	}
	if (f->daemon->once) {
		schedule_at_ms(f, 0);
		return;
	}
	spread = schedule_interval(f) * 1000 / 10;
	if (spread > SCHED_START_JITTER_MS)
		spread = SCHED_START_JITTER_MS;
	schedule_at_ms(f, schedule_jitter_ms(spread));
}

/* Cancels the feed's transfer in flight (its callback will not run) and
 * its timer. */
void
feed_stop(struct feed *f)
{
	if (f->transfer != NULL) {
		fetch_cancel(f->transfer);
		f->transfer = NULL;
	}
	evtimer_del(f->timer);
	f->slot_ms = 0;
}

/* A feed counts as failing for the status line while its last poll failed. */
int
feed_failing(const struct feed *f)
{
	return f->state.failures > 0 && !f->state.disabled;
}

/* After its interval changed: the next poll is the last one plus the new
 * interval (now, if that is past). A feed in backoff or in flight keeps
 * what it has. */
void
feed_reschedule(struct feed *f)
{
	int64_t delay_ms;

	if (f->state.disabled || f->transfer != NULL ||
	    f->state.failures > 0 || f->daemon->once)
		return;
	delay_ms = (f->state.last_fetch + schedule_interval(f) - util_now()) *
	    1000;
	evtimer_del(f->timer);
	f->slot_ms = 0;
	schedule_at_ms(f, delay_ms + schedule_jitter_ms(1000));
}

/* Applies a changed configuration to a running feed. A new url is a new
 * subscription (the store resets its state, a 410 included). Returns 1
 * when something changed, 0 when nothing did, -1 and *cause on a store
 * error (the feed then keeps its old url). */
int
feed_reconfigure(struct feed *f, const struct config_feed *cf, char **cause)
{
	struct store_feed state;
	int changed = 0;

	if ((f->language == NULL) != (cf->language == NULL) ||
	    (f->language != NULL && strcmp(f->language, cf->language) != 0)) {
		feed_set(&f->language, cf->language);
		changed = 1;
	}
	if (strcmp(f->config_url, cf->url) != 0) {
		memset(&state, 0, sizeof state);
		if (store_feed_load(f->daemon->store, f->name, cf->url, &state,
		    cause) != 0)
			return -1;
		feed_stop(f);
		store_feed_clear(&f->state);
		f->state = state;
		feed_set(&f->config_url, cf->url);
		host_put(f->daemon, f->host);
		f->host = host_get(f->daemon, f->state.url);
		f->interval = cf->interval;
		f->hint_ttl = f->hint_max_age = 0;
		feed_set(&f->logged_error, NULL);
		feed_set(&f->logged_warning, NULL);
		feed_start(f);
		return 1;
	}
	if (f->interval != cf->interval) {
		f->interval = cf->interval;
		feed_reschedule(f);
		changed = 1;
	}
	return changed;
}

/* Writes the feed's state; a failure is the daemon's (disk, database), not
 * the feed's, and makes --once exit 1. */
static void
feed_save(struct feed *f)
{
	char *cause = NULL;

	if (store_feed_save(f->daemon->store, &f->state, &cause) != 0) {
		log_warnx("feed %s: cannot save its state: %s", f->name, cause);
		f->daemon->store_errors++;
		free(cause);
	}
}

/* Logs a parse warning once per distinct text: a feed that is always a
 * little broken should not fill the journal. */
static void
feed_log_warning(struct feed *f, const char *warning)
{
	if (warning == NULL)
		return;
	if (f->logged_warning != NULL && strcmp(f->logged_warning, warning) == 0)
		return;
	log_warnx("feed %s: %s", f->name, warning);
	feed_set(&f->logged_warning, warning);
}

/* Records a permanent redirect: polls go to the new URL from now on, and
 * across restarts, until the configured URL changes. */
static void
feed_moved(struct feed *f, const char *url)
{
	log_info("feed %s moved permanently to %s", f->name, url);
	feed_set(&f->state.url, url);
	host_put(f->daemon, f->host);
	f->host = host_get(f->daemon, url);
}

/* Parses and stores a 2xx body, setting *nitems to the items read. Returns
 * 0, or -1 and *error (the poll then counts as failed and the old
 * validators stay, so the next poll fetches the body again instead of
 * hearing 304 about a version we never stored). */
static int
feed_process(struct feed *f, const struct fetch_response *resp, int64_t now,
    size_t *nitems, char **error)
{
	struct daemon *d = f->daemon;
	struct store_save_result result;
	struct parsed_feed *pf = NULL;
	char *cause = NULL;

	if (parse_feed(resp->body, resp->body_len, f->state.url,
	    resp->content_type, NULL, &pf, &cause) != 0) {
		xasprintf(error, "cannot parse: %s", cause);
		free(cause);
		return -1;
	}
	feed_log_warning(f, pf->warning);
	*nitems = pf->nitems;
	memset(&result, 0, sizeof result);
	if (store_items_save_with(d->store, f->state.id, pf->items, pf->nitems,
	    now, &result, pipeline_item_cb, f, &cause) != 0) {
		xasprintf(error, "cannot store items: %s", cause);
		d->store_errors++;
		free(cause);
		parse_feed_free(pf);
		return -1;
	}
	d->nitems += result.inserted;
	f->hint_ttl = pf->ttl;
	f->state.learned_interval = schedule_learn_interval(pf->items,
	    pf->nitems, f->state.learned_interval);
	feed_set(&f->state.etag, resp->etag);
	feed_set(&f->state.last_modified, resp->last_modified);
	if (result.inserted > 0 || result.updated > 0)
		log_info("feed %s: %d new, %d updated", f->name,
		    result.inserted, result.updated);
	else
		log_debug("feed %s: nothing new in %zu items", f->name,
		    pf->nitems);
	parse_feed_free(pf);
	return 0;
}

/* A good poll: clears the failure state and returns the delay to the next. */
static int64_t
feed_succeeded(struct feed *f, int64_t now)
{
	if (f->state.failures > 0)
		log_info("feed %s recovered after %d failure%s", f->name,
		    f->state.failures, f->state.failures == 1 ? "" : "s");
	f->state.failures = 0;
	feed_set(&f->state.last_error, NULL);
	feed_set(&f->logged_error, NULL);
	f->state.last_success = now;
	return schedule_next_ms(f);
}

/* Whether two error texts say the same thing. Runs of digits count as
 * equal: curl's "timed out after 30001 milliseconds" is the same failure
 * as "after 30002", and logging each would defeat logging once. HTTP
 * statuses are told apart by the caller. */
static int
feed_error_same(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (isdigit((unsigned char)*a))
				a++;
			while (isdigit((unsigned char)*b))
				b++;
			continue;
		}
		if (*a++ != *b++)
			return 0;
	}
	return *a == *b;
}

/* A failed poll: counts it, logs it (at warning when the feed starts
 * failing or the error changes, at debug when it repeats) and returns the
 * backoff delay, no earlier than retry_at (a Retry-After) when given. */
static int64_t
feed_failed(struct feed *f, const char *error, int64_t now, int64_t retry_at)
{
	char delay[32];
	int64_t ms;

	f->state.failures++;
	feed_set(&f->state.last_error, error);
	ms = schedule_backoff_ms(f);
	if (retry_at > now && (retry_at - now) * 1000 > ms)
		ms = (retry_at - now) * 1000 + schedule_jitter_ms(1000);
	feed_format_delay(ms, delay, sizeof delay);
	if (f->logged_error == NULL || f->logged_status != f->state.last_status ||
	    !feed_error_same(f->logged_error, error)) {
		log_warnx("feed %s: %s (failure %d, next try in %s)", f->name,
		    error, f->state.failures, delay);
		feed_set(&f->logged_error, error);
		f->logged_status = f->state.last_status;
	} else
		log_debug("feed %s: %s (failure %d, next try in %s)", f->name,
		    error, f->state.failures, delay);
	return ms;
}

/* 410 Gone: the publisher retired the feed. It is not polled again until
 * its configured URL changes. */
static void
feed_gone(struct feed *f)
{
	log_warnx("feed %s: %s answered 410 Gone; not polling it until its "
	    "url changes in the configuration", f->name, f->state.url);
	f->state.disabled = 1;
	feed_set(&f->state.last_error, "HTTP 410 Gone");
	f->state.next_poll = 0;
}

/* The transfer finished: account for it, save its items and the feed's
 * state in the open batch, schedule the next poll (or, with --once, report
 * this feed done). */
static void
feed_fetch_cb(const struct fetch_response *resp, void *arg)
{
	struct feed *f = arg;
	struct daemon *d = f->daemon;
	int64_t now = util_now(), delay_ms, retry_at = 0;
	size_t nitems = 0;
	char *error = NULL;

	f->transfer = NULL;
	batch_join(d, f);
	f->state.last_fetch = now;
	f->state.last_status = (int)resp->status;
	if (resp->outcome == FETCH_OK || resp->outcome == FETCH_NOT_MODIFIED) {
		if (resp->permanent_url != NULL &&
		    strcmp(resp->permanent_url, f->state.url) != 0)
			feed_moved(f, resp->permanent_url);
		f->hint_max_age = resp->max_age > 0 ? resp->max_age : 0;
	}
	switch (resp->outcome) {
	case FETCH_OK:
		feed_process(f, resp, now, &nitems, &error);
		break;
	case FETCH_NOT_MODIFIED:
		log_debug("feed %s: not modified", f->name);
		break;
	case FETCH_HTTP_ERROR:
		if (resp->status == 410) {
			feed_gone(f);
			feed_save(f);
			batch_done(d, 0);
			if (d->once)
				daemon_once_finish(d, f);
			notify_status(d);
			return;
		}
		if ((resp->status == 429 || resp->status == 503) &&
		    resp->retry_after > now) {
			retry_at = resp->retry_after;
			host_pause(f->host, retry_at);
		}
		/* FALLTHROUGH */
	case FETCH_FAILED:
		if (resp->error != NULL)
			error = xstrdup(resp->error);
		else if (resp->status != 0)
			xasprintf(&error, "HTTP %ld", resp->status);
		else
			error = xstrdup("transfer failed");
		break;
	}
	if (error != NULL)
		delay_ms = feed_failed(f, error, now, retry_at);
	else
		delay_ms = feed_succeeded(f, now);
	free(error);

	if (d->once)
		f->state.next_poll = now + delay_ms / 1000;
	else
		schedule_at_ms(f, delay_ms);
	feed_save(f);
	batch_done(d, nitems);
	if (d->once)
		daemon_once_finish(d, f);
	notify_status(d);
}

/* Starts the transfer, with the validators of the last version stored. */
static void
feed_poll(struct feed *f)
{
	struct fetch_request req;

	memset(&req, 0, sizeof req);
	req.url = f->state.url;
	req.etag = f->state.etag;
	req.last_modified = f->state.last_modified;
	log_debug("feed %s: fetching %s", f->name, f->state.url);
	f->transfer = fetch_start(f->daemon->fetcher, &req, feed_fetch_cb, f);
}

/* The feed's time has come. Its host may be paused by a Retry-After (wait
 * for the pause to end, plus jitter so the host's feeds do not return at
 * once) or paced (wait for the host's next request slot). */
static void
feed_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct feed *f = arg;
	struct daemon *d = f->daemon;
	int64_t now = util_now(), now_ms = util_monotonic_ms(), wait;

	if (f->transfer != NULL || f->state.disabled)
		return;
	if (f->host->paused_until > now) {
		f->slot_ms = 0;
		wait = f->host->paused_until - now;
		if (d->once && wait > SCHED_ONCE_MAX_PAUSE) {
			log_warnx("feed %s: skipped: host %s asked us to wait "
			    "%llds", f->name, f->host->key, (long long)wait);
			daemon_once_finish(d, f);
			return;
		}
		schedule_at_ms(f, wait * 1000 + schedule_jitter_ms(1000));
		return;
	}
	if (f->slot_ms == 0 && d->conf->host_delay_ms > 0) {
		f->slot_ms = host_reserve_ms(f->host, now_ms,
		    d->conf->host_delay_ms);
		if (f->slot_ms > now_ms) {
			schedule_at_ms(f, f->slot_ms - now_ms);
			return;
		}
	}
	f->slot_ms = 0;
	feed_poll(f);
}
