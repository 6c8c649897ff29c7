/* sink_exec.c: the exec sink — a configured program run with the message on its stdin, on the event loop. */

/*
 * The program is run through child/ from the argv of the configuration
 * (its path absolute, as config.c requires): no shell ever sees an alert,
 * whose text comes from feeds. The child gets the message on stdin (then
 * end of file), stdout on /dev/null, and stderr on a pipe of which the
 * first line is kept for the failure message; child/ gives it nothing
 * else of ours, default signals, and a process group of its own, so that
 * a timeout kills whatever it started too.
 *
 * Exit status 0 is delivery; anything else, or the timeout (then the group
 * is killed with SIGKILL), is a failure the outbox retries.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/common.h"
#include "child/child.h"
#include "alert/alert_internal.h"

#define EXEC_TIMEOUT_DEFAULT	30	/* seconds */

/* The sink, and the child of the delivery in flight when there is one. */
struct sink_exec {
	struct alert_sink	*sink;
	struct child		*child;
};

/* Checks the command and sets up the sink's state. */
static int
sink_exec_open(struct alert_sink *s, char **cause)
{
	struct sink_exec *x;

	if (s->conf.argv == NULL || s->conf.argv[0] == NULL) {
		*cause = xstrdup("no command");
		return -1;
	}
	x = xcalloc(1, sizeof *x);
	x->sink = s;
	s->state = x;
	return 0;
}

/* The delivery's time limit in seconds. */
static int64_t
sink_exec_timeout(const struct alert_sink *s)
{
	return s->conf.timeout > 0 ? s->conf.timeout : EXEC_TIMEOUT_DEFAULT;
}

/* child/: the program ended; reports its outcome to the outbox. */
static void
sink_exec_done_cb(const struct child_result *r, void *arg)
{
	struct sink_exec *x = arg;
	struct alert_sink *s = x->sink;
	const char *path = s->conf.argv[0];
	const char *sep = *r->error != '\0' ? ": " : "";
	char *error = NULL;

	x->child = NULL;
	switch (r->outcome) {
	case CHILD_EXITED:
		if (r->status != 0)
			xasprintf(&error, "%s: exit status %d%s%s", path,
			    r->status, sep, r->error);
		break;
	case CHILD_SIGNALLED:
		xasprintf(&error, "%s: killed by signal %d%s%s", path,
		    r->status, sep, r->error);
		break;
	case CHILD_TIMED_OUT:
		xasprintf(&error, "%s: timed out after %llds and was killed",
		    path, (long long)sink_exec_timeout(s));
		break;
	case CHILD_TOO_MUCH_OUTPUT:
		/* Not with stdout on /dev/null; a failure all the same. */
		xasprintf(&error, "%s: too much output", path);
		break;
	case CHILD_FAILED:
		/* child/ names the program and the reason. */
		error = xstrdup(r->error);
		break;
	}
	alert_sink_done(s, error == NULL, error, 0);
	free(error);
}

/* Starts the program with the message on its stdin. */
static enum alert_deliver
sink_exec_deliver(struct alert_sink *s, const struct alert_message *m,
    char **cause)
{
	struct sink_exec *x = s->state;
	struct child_request req;

	req.argv = (const char * const *)s->conf.argv;
	req.input = m->text;
	req.input_len = m->len;
	req.max_output = 0;
	req.timeout_ms = sink_exec_timeout(s) * 1000;
	x->child = child_start(alert_outbox_base(s->outbox), &req,
	    sink_exec_done_cb, x);
	if (x->child == NULL) {
		xasprintf(cause, "%s: cannot watch the child process",
		    s->conf.argv[0]);
		return ALERT_FAILED;
	}
	return ALERT_STARTED;
}

/* Kills the child and reaps it at once; the outbox keeps its alerts for
 * next time. */
static void
sink_exec_cancel(struct alert_sink *s)
{
	struct sink_exec *x = s->state;

	child_cancel(x->child);
	x->child = NULL;
}

/* Stops the delivery in flight, if any, and frees the state. */
static void
sink_exec_close(struct alert_sink *s)
{
	struct sink_exec *x = s->state;

	if (x == NULL)
		return;
	sink_exec_cancel(s);
	free(x);
	s->state = NULL;
}

const struct alert_sink_ops alert_sink_exec_ops = {
	sink_exec_open,
	sink_exec_deliver,
	sink_exec_cancel,
	sink_exec_close,
};
