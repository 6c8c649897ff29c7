/* schedule.c: when each feed is polled next — intervals, hints, learning, backoff, jitter. */
#include <sys/time.h>

#include <stdlib.h>

#include <event2/event.h>

#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "parse/parse.h"

/* The feed's poll interval in seconds, before jitter. An interval set on
 * the feed is honoured as written (tests poll every second). Otherwise the
 * daemon's default, or with "auto" what the feed's dates taught us, and in
 * both cases raised by the feed's own ttl / max-age hint, up to
 * SCHED_HINT_CAP. A hint only ever lengthens the interval, so no hint can
 * make us poll more often than configured. */
int64_t
schedule_interval(const struct feed *f)
{
	int64_t base, hint;

	if (f->interval > 0)
		return f->interval;
	base = f->interval == CONFIG_INTERVAL_AUTO ? CONFIG_INTERVAL_AUTO :
	    f->daemon->conf->interval;
	if (base == CONFIG_INTERVAL_AUTO) {
		base = f->state.learned_interval > 0 ?
		    f->state.learned_interval : SCHED_AUTO_DEFAULT;
		if (base < SCHED_AUTO_MIN)
			base = SCHED_AUTO_MIN;
		if (base > SCHED_AUTO_MAX)
			base = SCHED_AUTO_MAX;
	}
	hint = f->hint_ttl > f->hint_max_age ? f->hint_ttl : f->hint_max_age;
	if (hint > SCHED_HINT_CAP)
		hint = SCHED_HINT_CAP;
	if (hint > base)
		base = hint;
	return base;
}

/* A uniformly random delay in [0, max_ms]. random() is good enough: the
 * point is that feeds do not fire together, not secrecy. */
int64_t
schedule_jitter_ms(int64_t max_ms)
{
	if (max_ms <= 0)
		return 0;
	return (int64_t)((double)random() / ((double)RAND_MAX + 1) *
	    (double)(max_ms + 1));
}

/* Delay after a failure: the interval doubled per consecutive failure,
 * +-20% so that feeds failing together (a network outage) spread out on
 * recovery, capped at six hours (or the interval, when that is longer). */
int64_t
schedule_backoff_ms(const struct feed *f)
{
	int64_t interval = schedule_interval(f), cap, ms;
	int i;

	cap = SCHED_BACKOFF_CAP > interval ? SCHED_BACKOFF_CAP : interval;
	ms = interval * 1000;
	for (i = 1; i < f->state.failures && ms < cap * 1000; i++)
		ms *= 2;
	if (ms > cap * 1000)
		ms = cap * 1000;
	ms = ms * 8 / 10 + schedule_jitter_ms(ms * 4 / 10);
	if (ms > cap * 1000)
		ms = cap * 1000;
	return ms;
}

/* Delay until the next poll after a success: the interval plus up to 5%. */
int64_t
schedule_next_ms(const struct feed *f)
{
	int64_t ms = schedule_interval(f) * 1000;

	return ms + schedule_jitter_ms(ms / 20);
}

static int
schedule_compare(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Learns an interval for "auto" from the median gap between the newest
 * (up to 20) publish dates: a feed that publishes every ten minutes is
 * polled every ten minutes, one that publishes daily once a day. The median
 * ignores a burst or a long silence in the sample; of an even number of
 * gaps the shorter middle one is taken, erring towards freshness. Returns
 * previous when fewer than three items carry dates. */
int64_t
schedule_learn_interval(const struct parsed_item *items, size_t n,
    int64_t previous)
{
	int64_t dates[20 + 1], gaps[20], t, median;
	size_t count = 0, i, j;

	/* Keep the 20 newest dates by insertion: n is bounded by the parser. */
	for (i = 0; i < n; i++) {
		if ((t = items[i].published) <= 0)
			continue;
		for (j = count; j > 0 && dates[j - 1] < t; j--)
			dates[j] = dates[j - 1];
		dates[j] = t;
		if (count < 20)
			count++;
	}
	if (count < 3)
		return previous;
	for (i = 0; i + 1 < count; i++)
		gaps[i] = dates[i] - dates[i + 1];
	qsort(gaps, count - 1, sizeof gaps[0], schedule_compare);
	median = gaps[(count - 2) / 2];
	if (median < SCHED_AUTO_MIN)
		median = SCHED_AUTO_MIN;
	if (median > SCHED_AUTO_MAX)
		median = SCHED_AUTO_MAX;
	return median;
}

/* Arms the feed's timer delay_ms from now and records when, for the store
 * and `wirewatch feeds`. */
void
schedule_at_ms(struct feed *f, int64_t delay_ms)
{
	struct timeval tv;

	if (delay_ms < 0)
		delay_ms = 0;
	tv.tv_sec = (time_t)(delay_ms / 1000);
	tv.tv_usec = (suseconds_t)((delay_ms % 1000) * 1000);
	evtimer_add(f->timer, &tv);
	f->state.next_poll = util_now() + (delay_ms + 999) / 1000;
}
