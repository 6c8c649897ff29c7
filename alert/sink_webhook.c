/* sink_webhook.c: the webhook sink — the message POSTed as JSON through the daemon's fetcher. */

/*
 * One POST per message, Content-Type: application/json, with the header
 * "X-Wirewatch-Seq: N", N the seq of the message's last alert: a receiver
 * that keeps the highest N it accepted drops a repeat (a delivery is
 * repeated when the daemon stopped between the receiver's answer and the
 * cursor's save). A 2xx answer is delivery; any other answer, or none, is
 * a failure retried with backoff, no sooner than a Retry-After asks.
 *
 * The fetcher has one timeout for all its transfers; the sink's own is
 * kept with a timer of its own, which cancels the transfer.
 *
 * Messages name the sink, never its URL: a webhook URL often carries its
 * secret (Slack's do, in the path), and logs are read by more people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "alert/alert_internal.h"

#define WEBHOOK_TIMEOUT_DEFAULT	30

struct sink_webhook {
	struct alert_sink	*sink;
	struct transfer		*transfer;	/* the POST in flight */
	struct event		*ev_timeout;
};

static int64_t
sink_webhook_timeout(const struct alert_sink *s)
{
	return s->conf.timeout > 0 ? s->conf.timeout : WEBHOOK_TIMEOUT_DEFAULT;
}

/* fetch: the receiver answered, or the transfer failed. */
static void
sink_webhook_done_cb(const struct fetch_response *r, void *arg)
{
	struct sink_webhook *w = arg;
	int64_t wait = 0;
	char *error = NULL;

	w->transfer = NULL;
	evtimer_del(w->ev_timeout);
	if (r->outcome == FETCH_OK) {
		alert_sink_done(w->sink, 1, NULL, 0);
		return;
	}
	if (r->retry_after > 0)
		wait = r->retry_after - util_now();
	if (r->error != NULL)
		error = xstrdup(r->error);
	else
		xasprintf(&error, "HTTP %ld", r->status);
	alert_sink_done(w->sink, 0, error, wait);
	free(error);
}

/* libevent: the receiver took too long. */
static void
sink_webhook_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink_webhook *w = arg;
	char *error;

	fetch_cancel(w->transfer);
	w->transfer = NULL;
	xasprintf(&error, "no answer within %llds",
	    (long long)sink_webhook_timeout(w->sink));
	alert_sink_done(w->sink, 0, error, 0);
	free(error);
}

static int
sink_webhook_open(struct alert_sink *s, char **cause)
{
	struct sink_webhook *w;
	struct fetcher *fetcher = alert_outbox_fetcher(s->outbox);

	if (s->conf.url == NULL || *s->conf.url == '\0') {
		*cause = xstrdup("no url");
		return -1;
	}
	if (fetcher == NULL) {
		*cause = xstrdup("webhooks need the daemon's HTTP client");
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->sink = s;
	w->ev_timeout = evtimer_new(alert_outbox_base(s->outbox),
	    sink_webhook_timeout_cb, w);
	if (w->ev_timeout == NULL) {
		free(w);
		*cause = xstrdup("cannot create its timer");
		return -1;
	}
	s->state = w;
	return 0;
}

/* Starts the POST; the fetcher copies the body and headers. */
static enum alert_deliver
sink_webhook_deliver(struct alert_sink *s, const struct alert_message *m,
    char **cause)
{
	struct sink_webhook *w = s->state;
	struct fetch_request req;
	struct timeval tv = { (time_t)sink_webhook_timeout(s), 0 };
	const char *headers[2];
	char seq[64];

	snprintf(seq, sizeof seq, "X-Wirewatch-Seq: %lld",
	    (long long)m->last_seq);
	headers[0] = seq;
	headers[1] = NULL;
	memset(&req, 0, sizeof req);
	req.url = s->conf.url;
	req.method_post = 1;
	req.body = m->text;
	/* The body is one JSON value: the line without its newline. */
	req.body_len = m->len > 0 && m->text[m->len - 1] == '\n' ?
	    m->len - 1 : m->len;
	req.content_type = "application/json";
	req.headers = headers;
	w->transfer = fetch_start(alert_outbox_fetcher(s->outbox), &req,
	    sink_webhook_done_cb, w);
	if (w->transfer == NULL) {
		*cause = xstrdup("cannot start the request");
		return ALERT_FAILED;
	}
	evtimer_add(w->ev_timeout, &tv);
	return ALERT_STARTED;
}

static void
sink_webhook_cancel(struct alert_sink *s)
{
	struct sink_webhook *w = s->state;

	fetch_cancel(w->transfer);
	w->transfer = NULL;
	evtimer_del(w->ev_timeout);
}

static void
sink_webhook_close(struct alert_sink *s)
{
	struct sink_webhook *w = s->state;

	if (w == NULL)
		return;
	sink_webhook_cancel(s);
	event_free(w->ev_timeout);
	free(w);
	s->state = NULL;
}

const struct alert_sink_ops alert_sink_webhook_ops = {
	sink_webhook_open,
	sink_webhook_deliver,
	sink_webhook_cancel,
	sink_webhook_close,
};
