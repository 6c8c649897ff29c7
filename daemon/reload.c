/* reload.c: SIGHUP — load the configuration into a fresh struct, keep the old one if it is broken, else swap. */
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "fetch/fetch.h"

static int
reload_compare_feed(const void *a, const void *b)
{
	const struct feed *x = *(struct feed * const *)a;
	const struct feed *y = *(struct feed * const *)b;

	return strcmp(x->name, y->name);
}

static int
reload_compare_name(const void *key, const void *elem)
{
	const struct feed *f = *(struct feed * const *)elem;

	return strcmp(key, f->name);
}

/* The running feeds sorted by name, so that matching them against the new
 * configuration costs n log n, not n squared, with ten thousand feeds. */
static struct feed **
reload_sorted_feeds(struct daemon *d, size_t *count)
{
	struct feed **v, *f;
	size_t n = 0;

	TAILQ_FOREACH(f, &d->feeds, entry)
		n++;
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	n = 0;
	TAILQ_FOREACH(f, &d->feeds, entry)
		v[n++] = f;
	qsort(v, n, sizeof *v, reload_compare_feed);
	*count = n;
	return v;
}

/* Marks in keep[] which running feeds the new configuration still has,
 * then stops and frees the others. */
static int
reload_remove(struct daemon *d, const struct config *conf, struct feed **v,
    size_t n)
{
	struct feed **hit;
	char *keep = xcalloc(n ? n : 1, 1);
	size_t i;
	int removed = 0;

	for (i = 0; i < conf->nfeeds; i++) {
		hit = bsearch(conf->feeds[i].name, v, n, sizeof *v,
		    reload_compare_name);
		if (hit != NULL)
			keep[hit - v] = 1;
	}
	for (i = 0; i < n; i++) {
		if (keep[i])
			continue;
		log_info("feed %s removed from the configuration", v[i]->name);
		TAILQ_REMOVE(&d->feeds, v[i], entry);
		feed_free(v[i]);
		v[i] = NULL;
		removed++;
	}
	free(keep);
	return removed;
}

/* Reloads the configuration file the daemon started with. On error the old
 * configuration stays in force; on success feeds added start, removed ones
 * stop, changed ones update in place, and daemon-wide limits apply to the
 * transfers that start from now on. */
void
reload_config(struct daemon *d)
{
	struct config *conf, *old = d->conf;
	struct fetch_options opts;
	struct feed **v, **hit, *f;
	char *cause = NULL;
	size_t n, i, live;
	int added = 0, removed, changed = 0, rc, default_changed;

	notify_reloading(d);
	/* Feeds may be freed or reset below: the batch holding their last
	 * polls is committed first, and the store writes of the reload are
	 * transactions of their own, as a new feed's id must be durable
	 * before it is polled. */
	batch_commit(d);
	if ((conf = config_load(old->path, &cause)) == NULL) {
		log_warnx("reload failed: %s; keeping the old configuration",
		    cause);
		free(cause);
		notify_ready(d);
		return;
	}
	if (strcmp(conf->state_dir, old->state_dir) != 0) {
		log_warnx("reload: state_dir changed to %s, which needs a "
		    "restart; still using %s", conf->state_dir, old->state_dir);
		free(conf->state_dir);
		conf->state_dir = xstrdup(old->state_dir);
	}
	daemon_fetch_options(conf, &opts);
	fetcher_set_options(d->fetcher, &opts);
	default_changed = conf->interval != old->interval;
	d->conf = conf;

	v = reload_sorted_feeds(d, &n);
	removed = reload_remove(d, conf, v, n);
	for (i = 0, live = 0; i < n; i++) {
		if (v[i] != NULL)
			v[live++] = v[i];
	}
	n = live;
	for (i = 0; i < conf->nfeeds; i++) {
		hit = bsearch(conf->feeds[i].name, v, n, sizeof *v,
		    reload_compare_name);
		if (hit == NULL) {
			if ((f = feed_new(d, &conf->feeds[i], &cause)) == NULL) {
				log_warnx("feed %s: %s", conf->feeds[i].name,
				    cause);
				free(cause);
				cause = NULL;
				continue;
			}
			TAILQ_INSERT_TAIL(&d->feeds, f, entry);
			log_info("feed %s added", f->name);
			feed_start(f);
			added++;
			continue;
		}
		f = *hit;
		rc = feed_reconfigure(f, &conf->feeds[i], &cause);
		if (rc == -1) {
			log_warnx("feed %s: %s", f->name, cause);
			free(cause);
			cause = NULL;
		} else if (rc == 1)
			changed++;
		else if (default_changed && f->interval == 0)
			feed_reschedule(f);
	}
	free(v);
	if (translation_reconfigure(d, conf, &cause) != 0) {
		log_warnx("reload: %s; translation stays as it was", cause);
		free(cause);
		cause = NULL;
	}
	if (alert_outbox_reconfigure(d->outbox, conf, &cause) != 0) {
		log_warnx("reload: %s; the alert sinks stay as they were",
		    cause);
		free(cause);
		cause = NULL;
	}
	config_free(old);
	log_info("reloaded %s: %zu feed%s (%d added, %d removed, %d changed)",
	    conf->path, conf->nfeeds, conf->nfeeds == 1 ? "" : "s", added,
	    removed, changed);
	notify_ready(d);
	notify_status(d);
}
