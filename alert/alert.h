/* alert/alert.h: the alerts — their JSON, and the sinks that deliver the outbox after each commit. */
#ifndef WW_ALERT_H
#define WW_ALERT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct event_base;
struct json_t;
struct fetcher;
struct store;
struct store_alert;

/* The story object of an alert (DESIGN.md's alert log). */
struct alert_story {
	int64_t		 id;
	const char	*title;
	const char	*url;		/* may be NULL */
	const char	*feed;
	const char	*lang;
	int		 translated;
	int64_t		 published;	/* -1 unknown */
};

/* The body of a new_story alert: {"story":{...}} as compact JSON, with the
 * members the outbox stores after seq, time, type and watch. Caller frees. */
char	*alert_body_new_story(const struct alert_story *);
/* The person of a new_person alert. */
struct alert_person {
	const char		*name;		/* the fullest form seen */
	const char *const	*variants;	/* every spelling seen */
	size_t			 nvariants;
};
/* {"person":{"name","variants"},"story":{...},"evidence":...}. Caller
 * frees. */
char	*alert_body_new_person(const struct alert_person *,
	    const struct alert_story *, const char *evidence);

/* The claim of a new_claim alert. */
struct alert_claim {
	const char		*text;
	const char		*speaker;	/* NULL: null */
	const char		*source;	/* the source it cites, NULL none */
	const char *const	*figures;
	size_t			 nfigures;
	int64_t			 revises;	/* seq of the alert of the claim it
						   revises; 0: null */
};
/* {"claim":{"text","speaker","source","figures","revises"},"story":{...},
 * "evidence":...}. Caller frees. */
char	*alert_body_new_claim(const struct alert_claim *,
	    const struct alert_story *, const char *evidence);

/* A JSON string of s (null for NULL) that is always valid UTF-8: bytes
 * that start no valid sequence become U+FFFD rather than making jansson
 * refuse the whole string. Shared by everything that writes JSON from
 * stored text (alerts, the wirewatch command). */
struct json_t	*alert_json_text(const char *s);
/* One alert as its JSON Lines line (no newline):
 * {"seq":N,"time":"...","type":"...","watch":"...", ...body}. Caller frees. */
char	*alert_render(const struct store_alert *);

/*
 * The sinks: the alert log (a file sink named "log", the [daemon]
 * alert_log) and the [sink "name"] sections. Each keeps a cursor in the
 * store, the last seq it delivered, and delivers what lies beyond it:
 *
 *  - file: appends lines, flushes and fsyncs, then saves its cursor. At
 *    start it reads the last line of its file, so that a crash between the
 *    fsync and the cursor write does not write an alert twice; a torn last
 *    line (a crash mid-write) is cut off first. Reopened on reload, so
 *    logrotate's rename works; its directory is created if missing.
 *  - exec: runs argv (no shell) with the alert JSON on stdin, through
 *    non-blocking pipes on the loop, killed after its timeout; exit 0 is
 *    delivery.
 *  - webhook: POSTs the alert JSON through the daemon's fetcher; a 2xx is
 *    delivery.
 *
 * exec and webhook are at-least-once: a crash after delivery and before
 * the cursor is saved delivers again, so each message carries its seq for
 * the receiver to drop repeats. A sink that fails keeps its alerts and
 * retries with backoff (5 s doubling to 10 min). A sink with digest sends
 * one message listing the alerts of the period instead of one each.
 */
struct alert_outbox;

/* Creates the sinks of conf. The outbox keeps base, store and fetcher
 * (not owned). Returns NULL and *cause when a sink cannot be set up (the
 * alert log's directory cannot be created, say). */
struct alert_outbox	*alert_outbox_new(struct event_base *, struct store *,
			    struct fetcher *, const struct config *, char **cause);
/* Stops deliveries in flight (exec children are killed; their alerts stay
 * undelivered for next time) and frees. */
void			 alert_outbox_free(struct alert_outbox *);
/* On reload: reopens the alert log, adds, changes and drops sinks (a
 * dropped sink's cursor stays in the store). Returns 0, or -1 and *cause
 * with the old sinks kept. */
int			 alert_outbox_reconfigure(struct alert_outbox *,
			    const struct config *, char **cause);
/* Delivers what the store holds beyond each sink's cursor; call after each
 * commit that may have added alerts. Never blocks on exec or webhook. */
void			 alert_outbox_flush(struct alert_outbox *);
/* Sinks with a delivery in flight or alerts waiting for a retry or a
 * digest; --once waits for this to reach 0 (within its bound). */
size_t			 alert_outbox_busy(const struct alert_outbox *);
/* Alerts waiting in the sink furthest behind, for the status line. */
int64_t			 alert_outbox_pending(const struct alert_outbox *);
/* --once: flushes digests now instead of at the end of their period. */
void			 alert_outbox_finish(struct alert_outbox *);

#endif
