/* batch.c: commits the store writes of polls that finish close together in one transaction. */

/*
 * Each finished poll writes its items and its feed's state. One transaction
 * a poll made the first poll of 2,000 feeds spend half its time writing
 * the same index pages to the WAL again and again (store.h says why), so
 * the first poll to finish opens a store batch and the polls finishing
 * after it join it. The batch is committed as soon as no transfer is left
 * in flight (nothing more is coming to share the commit), BATCH_MAX_MS
 * after it opened, when it holds BATCH_MAX_POLLS polls or BATCH_MAX_ITEMS
 * items, when a write in it fails, when a reload begins and when the loop
 * ends (--once done, SIGTERM, SIGINT). Each poll stays atomic inside it.
 * A quiet daemon thus commits each poll at once, as before; batches form
 * only while many polls finish together (the first poll of many feeds,
 * --once, a burst of timers).
 *
 * What that trades: a poll is visible to wirewatch, and durable, up to
 * BATCH_MAX_MS after it finished, and a kill -9 or a power cut loses the
 * polls of the batch not yet committed. Nothing is lost for good: a feed's
 * validators (ETag, Last-Modified) are saved in the same batch as its
 * items, so the next poll of those feeds fetches and stores them again.
 *
 * The bounds keep a batch's transaction short for wirewatch's other
 * writers (it holds the write lock) and its dirty pages few. Measured on
 * the first poll: with 2,000 feeds 100 ms did as well as 1 s; with 10,000,
 * 250 ms as well as 1 s, and 50 ms took a fifth longer.
 */
#include <stdlib.h>

#include <event2/event.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/daemon.h"
#include "fetch/fetch.h"
#include "store/store.h"

#define BATCH_MAX_MS		250
#define BATCH_MAX_POLLS		1000
#define BATCH_MAX_ITEMS		20000

/* BATCH_MAX_MS have passed since the batch opened. */
static void
batch_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	batch_commit(arg);
}

/* Opens a batch when none is open. Where the store cannot, the poll's
 * writes go unbatched, each a transaction of its own as before, and report
 * their own errors. */
static void
batch_open(struct daemon *d)
{
	struct timeval tv = { 0, BATCH_MAX_MS * 1000 };
	char *cause = NULL;

	if (d->batch_open)
		return;
	if (store_batch_begin(d->store, &cause) != 0) {
		log_debug("writing unbatched: %s", cause);
		free(cause);
		return;
	}
	if (d->batch_timer == NULL &&
	    (d->batch_timer = evtimer_new(d->base, batch_timer_cb, d)) == NULL)
		fatalx("evtimer_new failed");
	evtimer_add(d->batch_timer, &tv);
	d->batch_open = 1;
	d->batch_polls = 0;
	d->batch_items = 0;
}

/* A poll has finished and is about to write: it joins the open batch. */
void
batch_join(struct daemon *d, struct feed *f)
{
	batch_open(d);
	if (!d->batch_open)
		return;
	d->batch_errors = d->store_errors;
	if (f->in_batch)
		return;
	f->in_batch = 1;
	TAILQ_INSERT_TAIL(&d->batch_feeds, f, batch_entry);
}

/* The poll that joined last has written nitems items. A failed write
 * commits at once: whatever broke it (a full disk, an I/O error) may have
 * rolled back the batch's transaction, and the polls before it should not
 * wait for the timer to learn that. */
void
batch_done(struct daemon *d, size_t nitems)
{
	if (!d->batch_open)
		return;
	d->batch_polls++;
	d->batch_items += nitems;
	if (fetcher_pending(d->fetcher) == 0 ||
	    d->store_errors != d->batch_errors ||
	    d->batch_polls >= BATCH_MAX_POLLS ||
	    d->batch_items >= BATCH_MAX_ITEMS)
		batch_commit(d);
}

/* A feed being freed leaves the batch; its writes stay in it. */
void
batch_forget(struct daemon *d, struct feed *f)
{
	if (!f->in_batch)
		return;
	TAILQ_REMOVE(&d->batch_feeds, f, batch_entry);
	f->in_batch = 0;
}

/* The batch is lost: its feeds' validators in memory now name versions
 * whose items are not stored, and sending them would earn a 304 for
 * items we never kept. Dropping them makes the next poll fetch in full. */
static void
batch_lost(struct daemon *d, const char *cause)
{
	struct feed *f;
	int64_t nfeeds;
	size_t n = 0;

	TAILQ_FOREACH(f, &d->batch_feeds, batch_entry) {
		free(f->state.etag);
		free(f->state.last_modified);
		f->state.etag = f->state.last_modified = NULL;
		n++;
	}
	log_warnx("cannot store the last %zu poll%s: %s; they will be fetched "
	    "again", n, n == 1 ? "" : "s", cause);
	d->store_errors++;
	if (store_count(d->store, &nfeeds, &d->nitems) != 0)
		log_debug("cannot count the stored items again");
	pipeline_rebuild(d);
}

/* Commits the open batch, if any. */
void
batch_commit(struct daemon *d)
{
	struct feed *f;
	char *cause = NULL;

	if (!d->batch_open)
		return;
	d->batch_open = 0;
	evtimer_del(d->batch_timer);
	if (store_batch_commit(d->store, &cause) != 0) {
		batch_lost(d, cause);
		free(cause);
	} else {
		if (d->outbox != NULL)
			alert_outbox_flush(d->outbox);
		translation_kick(d);
	}
	while ((f = TAILQ_FIRST(&d->batch_feeds)) != NULL)
		batch_forget(d, f);
}
