/* alert/alert_internal.h: what the outbox and its sinks share; nothing outside alert/ includes it. */
#ifndef WW_ALERT_INTERNAL_H
#define WW_ALERT_INTERNAL_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "alert/alert.h"
#include "daemon/config.h"

struct event;

/* Alerts in one message: a digest's, or the lines one write of a file
 * sink appends. exec and webhook messages without digest hold one. */
#define ALERT_MESSAGE_MAX	1000
/* A sink's first retry waits this long; each failure doubles it. */
#define ALERT_RETRY_MIN		5
#define ALERT_RETRY_MAX		600

/* One delivery: the bytes to send and the alerts they hold. */
struct alert_message {
	char		*text;		/* one JSON object a line, each ending in \n */
	size_t		 len;
	size_t		 count;		/* alerts listed */
	int64_t		 first_seq;
	int64_t		 last_seq;
	int		 digest;	/* one digest object rather than alert lines */
};

enum alert_deliver {
	ALERT_DELIVERED,	/* done already (file) */
	ALERT_STARTED,		/* alert_sink_done follows, from the loop */
	ALERT_FAILED,		/* not delivered; *cause says why */
};

struct alert_sink;

/* What each kind of sink does; the outbox does the rest (cursor, filters,
 * digests, retries). */
struct alert_sink_ops {
	/* Sets the sink up from its settings (a file sink opens its file and
	 * may raise sink->cursor from it). Returns 0 or -1 and *cause. */
	int		 (*open)(struct alert_sink *, char **cause);
	/* Starts delivering msg, which stays valid until alert_sink_done. */
	enum alert_deliver (*deliver)(struct alert_sink *,
			    const struct alert_message *, char **cause);
	/* Stops the delivery in flight; alert_sink_done is then not called. */
	void		 (*cancel)(struct alert_sink *);
	/* Frees what open set up. */
	void		 (*close)(struct alert_sink *);
};

enum alert_sink_wait {
	ALERT_WAIT_NONE,
	ALERT_WAIT_RETRY,	/* the timer ends a backoff */
	ALERT_WAIT_DIGEST,	/* the timer ends a digest period */
};

struct alert_sink {
	struct alert_outbox		*outbox;
	struct config_sink		 conf;		/* a deep copy */
	const struct alert_sink_ops	*ops;
	void				*state;		/* the kind's own */

	int64_t				 cursor;	/* last seq delivered or skipped */
	int				 in_flight;
	struct alert_message		 msg;		/* the one in flight */
	int64_t				 msg_end;	/* the cursor once it is delivered */

	struct event			*kick;		/* runs the sink from the loop */
	int				 kicked;
	struct event			*timer;		/* retry or digest */
	enum alert_sink_wait		 wait;
	int64_t				 backoff;	/* ms before the next retry */
	int				 failures;	/* consecutive */
	char				*last_error;	/* logged already */

	TAILQ_ENTRY(alert_sink)		 entry;
};

/* outbox.c */

/* Sets the backoff's first and longest wait (ALERT_RETRY_MIN and _MAX
 * seconds unless set), so that tests need not wait for real retries. */
void			 alert_outbox_set_retry(struct alert_outbox *,
			    int64_t min_ms, int64_t max_ms);
/* The loop and the fetcher the outbox was given. */
struct event_base	*alert_outbox_base(const struct alert_outbox *);
struct fetcher		*alert_outbox_fetcher(const struct alert_outbox *);
/* The highest seq the outbox knows of, for file sinks' sanity checks. */
int64_t			 alert_outbox_last_seq(const struct alert_outbox *);
/* An asynchronous delivery ended: ok, or not with error (one line) and,
 * when the receiver asked for one (Retry-After), the seconds to wait. */
void			 alert_sink_done(struct alert_sink *, int ok,
			    const char *error, int64_t retry_after);
/* Saves the sink's cursor, logging a failure (the next save repairs it). */
void			 alert_sink_cursor_save(struct alert_sink *);

/* json.c */

/* One alert as a JSON object, members in the alert log's order. */
json_t		*alert_render_json(const struct store_alert *);
/* The seq a line of the alert log carries: its "seq", or the last seq of
 * a digest line's "alerts"; 0 when the line holds neither. */
int64_t		 alert_line_seq(const char *line, size_t len);
/* A digest message listing alerts (an array of alert objects, taken),
 * those of times from to to. Caller frees. */
char		*alert_digest_render(json_t *alerts, int64_t from, int64_t to);

/* The kinds of sink, one file each. */
extern const struct alert_sink_ops alert_sink_file_ops;
extern const struct alert_sink_ops alert_sink_exec_ops;
extern const struct alert_sink_ops alert_sink_webhook_ops;

#endif
