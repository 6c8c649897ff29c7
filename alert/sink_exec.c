/* sink_exec.c: the exec sink — a configured program run with the message on its stdin, on the event loop. */

/*
 * The program is started with posix_spawnp from the argv of the
 * configuration: no shell ever sees an alert, whose text comes from feeds.
 * The child gets the message on stdin (then end of file), stdout on
 * /dev/null, and stderr on a pipe of which the first line is kept for the
 * failure message; no other descriptor of the daemon (its database, its
 * sockets) leaks into it. It starts with default signal dispositions and
 * an empty mask, whatever the daemon ignores or blocks, in a process group
 * of its own, so that a timeout kills whatever it started too.
 *
 * Nothing here blocks the loop: the stdin and stderr pipes are
 * non-blocking and driven by events, and the child's exit is an event on
 * its pidfd (Linux 5.3), or, where there is none, a waitpid poll every
 * EXEC_POLL_MS. Exit status 0 is delivery; anything else, or the timeout
 * (then the group is killed with SIGKILL), is a failure the outbox retries.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/common.h"
#include "alert/alert_internal.h"

#define EXEC_ERROR_MAX		200	/* bytes of stderr kept for the message */
#define EXEC_POLL_MS		100
#define EXEC_TIMEOUT_DEFAULT	30

extern char **environ;

/* The child of the delivery in flight, when there is one. */
struct sink_exec {
	struct alert_sink	*sink;
	pid_t			 pid;
	int			 pidfd;		/* -1: polled instead */
	int			 in;		/* our end of its stdin */
	int			 err;		/* our end of its stderr */
	struct event		*ev_exit;	/* pidfd readable, or the poll */
	struct event		*ev_in;
	struct event		*ev_err;
	struct event		*ev_timeout;
	const char		*msg;		/* the outbox's message */
	size_t			 msg_len;
	size_t			 written;
	char			 error[EXEC_ERROR_MAX + 1];
	size_t			 error_len;
	int			 error_done;	/* first line complete */
	int			 timed_out;
};

static void
sink_exec_event_free(struct event **ev)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
}

static void
sink_exec_close_fd(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Releases the pipes, events and pidfd of a finished (reaped) child. */
static void
sink_exec_clear(struct sink_exec *x)
{
	sink_exec_event_free(&x->ev_exit);
	sink_exec_event_free(&x->ev_in);
	sink_exec_event_free(&x->ev_err);
	sink_exec_event_free(&x->ev_timeout);
	sink_exec_close_fd(&x->in);
	sink_exec_close_fd(&x->err);
	sink_exec_close_fd(&x->pidfd);
	x->pid = -1;
	x->msg = NULL;
}

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
	x->pid = -1;
	x->pidfd = x->in = x->err = -1;
	s->state = x;
	return 0;
}

/* Keeps the first line of the child's stderr, up to EXEC_ERROR_MAX
 * bytes; the rest is read and dropped so the child never blocks on it. */
static void
sink_exec_keep_error(struct sink_exec *x, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && !x->error_done; i++) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			if (x->error_len > 0)
				x->error_done = 1;
			continue;
		}
		if (x->error_len == EXEC_ERROR_MAX) {
			x->error_done = 1;
			break;
		}
		/* A control character would break the log line. */
		x->error[x->error_len++] =
		    (unsigned char)buf[i] < 0x20 ? ' ' : buf[i];
	}
	x->error[x->error_len] = '\0';
}

/* Reads what stderr holds now. Returns 1 at end of file or error. */
static int
sink_exec_read_error(struct sink_exec *x)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(x->err, buf, sizeof buf);
		if (n > 0) {
			sink_exec_keep_error(x, buf, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		return !(n == -1 && errno == EAGAIN);
	}
}

/* libevent: the child wrote to stderr. */
static void
sink_exec_err_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink_exec *x = arg;

	if (sink_exec_read_error(x)) {
		sink_exec_event_free(&x->ev_err);
		sink_exec_close_fd(&x->err);
	}
}

/* libevent: the child's stdin has room. A child that exits without
 * reading it all gives EPIPE here (SIGPIPE is ignored by the daemon);
 * then only its exit status counts. */
static void
sink_exec_in_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink_exec *x = arg;
	ssize_t n;

	while (x->written < x->msg_len) {
		n = write(x->in, x->msg + x->written, x->msg_len - x->written);
		if (n > 0) {
			x->written += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		break;
	}
	/* All written, or the child will not read: end of file for it. */
	sink_exec_event_free(&x->ev_in);
	sink_exec_close_fd(&x->in);
}

/* Reports the reaped child's outcome (its wait status, -1 when lost) to
 * the outbox. */
static void
sink_exec_finish(struct sink_exec *x, int status)
{
	struct alert_sink *s = x->sink;
	char *error = NULL;
	int timed_out = x->timed_out;

	if (x->err != -1)
		sink_exec_read_error(x);
	if (status == -1)
		xasprintf(&error, "%s: its exit status was lost (reaped "
		    "elsewhere)", s->conf.argv[0]);
	else if (timed_out)
		xasprintf(&error, "%s: timed out after %llds and was killed",
		    s->conf.argv[0], (long long)(s->conf.timeout > 0 ?
		    s->conf.timeout : EXEC_TIMEOUT_DEFAULT));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		xasprintf(&error, "%s: exit status %d%s%s", s->conf.argv[0],
		    WEXITSTATUS(status), x->error_len > 0 ? ": " : "",
		    x->error);
	else if (WIFSIGNALED(status))
		xasprintf(&error, "%s: killed by signal %d%s%s",
		    s->conf.argv[0], WTERMSIG(status),
		    x->error_len > 0 ? ": " : "", x->error);
	sink_exec_clear(x);
	x->error_len = 0;
	x->error[0] = '\0';
	alert_sink_done(s, error == NULL, error, 0);
	free(error);
}

/* Reaps the child if it has exited; returns whether it had. */
static int
sink_exec_reap(struct sink_exec *x)
{
	int status;
	pid_t pid;

	do
		pid = waitpid(x->pid, &status, WNOHANG);
	while (pid == -1 && errno == EINTR);
	if (pid == 0)
		return 0;
	if (pid == -1) {
		/* Someone else reaped it: its status is lost. */
		sink_exec_finish(x, -1);
		return 1;
	}
	sink_exec_finish(x, status);
	return 1;
}

/* libevent: the pidfd is readable (the child exited), or the poll. */
static void
sink_exec_exit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink_exec *x = arg;

	sink_exec_reap(x);
}

/* Kills the child's process group and the child itself. */
static void
sink_exec_kill(struct sink_exec *x)
{
	if (x->pid <= 0)
		return;
	kill(-x->pid, SIGKILL);
	kill(x->pid, SIGKILL);
}

/* libevent: the delivery took too long. The exit event reaps the child. */
static void
sink_exec_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink_exec *x = arg;

	x->timed_out = 1;
	sink_exec_kill(x);
}

/* Sets O_NONBLOCK on our end of a pipe (the child's end stays blocking,
 * as programs expect of stdin). */
static int
sink_exec_nonblock(int fd)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Spawns the child with its stdin and stderr on the pipes given. Returns
 * 0 with x->pid, or an errno. */
static int
sink_exec_spawn(struct sink_exec *x, int in, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if ((rc = posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO)) ||
	    (rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
	    "/dev/null", O_WRONLY, 0)) ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO)) ||
	    (rc = posix_spawn_file_actions_addclosefrom_np(&fa,
	    STDERR_FILENO + 1)) ||
	    (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)) ||
	    (rc = posix_spawnattr_setsigmask(&attr, &none)) ||
	    (rc = posix_spawnattr_setsigdefault(&attr, &all)) ||
	    (rc = posix_spawnattr_setpgroup(&attr, 0)))
		goto out;
	rc = posix_spawnp(&x->pid, x->sink->conf.argv[0], &fa, &attr,
	    x->sink->conf.argv, environ);
out:
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Arms the events that drive the child: its stdin, stderr, exit and
 * timeout. Returns 0 or -1. */
static int
sink_exec_watch(struct sink_exec *x)
{
	struct event_base *base = alert_outbox_base(x->sink->outbox);
	struct timeval poll = { 0, EXEC_POLL_MS * 1000 };
	struct timeval limit = { x->sink->conf.timeout > 0 ?
	    (time_t)x->sink->conf.timeout : EXEC_TIMEOUT_DEFAULT, 0 };

	x->pidfd = (int)syscall(SYS_pidfd_open, x->pid, 0);
	if (x->pidfd != -1)
		x->ev_exit = event_new(base, x->pidfd, EV_READ | EV_PERSIST,
		    sink_exec_exit_cb, x);
	else
		x->ev_exit = event_new(base, -1, EV_PERSIST,
		    sink_exec_exit_cb, x);
	x->ev_in = event_new(base, x->in, EV_WRITE | EV_PERSIST,
	    sink_exec_in_cb, x);
	x->ev_err = event_new(base, x->err, EV_READ | EV_PERSIST,
	    sink_exec_err_cb, x);
	x->ev_timeout = evtimer_new(base, sink_exec_timeout_cb, x);
	if (x->ev_exit == NULL || x->ev_in == NULL || x->ev_err == NULL ||
	    x->ev_timeout == NULL)
		return -1;
	if (event_add(x->ev_exit, x->pidfd != -1 ? NULL : &poll) != 0 ||
	    event_add(x->ev_in, NULL) != 0 || event_add(x->ev_err, NULL) != 0 ||
	    evtimer_add(x->ev_timeout, &limit) != 0)
		return -1;
	return 0;
}

/* Starts the program with the message on its stdin. */
static enum alert_deliver
sink_exec_deliver(struct alert_sink *s, const struct alert_message *m,
    char **cause)
{
	struct sink_exec *x = s->state;
	int in[2] = { -1, -1 }, err[2] = { -1, -1 }, rc;

	x->msg = m->text;
	x->msg_len = m->len;
	x->written = 0;
	x->timed_out = 0;
	x->error_len = 0;
	x->error_done = 0;
	x->error[0] = '\0';
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1 ||
	    sink_exec_nonblock(in[1]) == -1 || sink_exec_nonblock(err[0]) == -1) {
		rc = errno;
		goto fail;
	}
	rc = sink_exec_spawn(x, in[0], err[1]);
	close(in[0]);
	close(err[1]);
	in[0] = err[1] = -1;
	if (rc != 0)
		goto fail;
	x->in = in[1];
	x->err = err[0];
	if (sink_exec_watch(x) != 0) {
		/* Without its events the child cannot be driven: stop it. */
		sink_exec_kill(x);
		waitpid(x->pid, NULL, 0);
		sink_exec_clear(x);
		xasprintf(cause, "%s: cannot watch the child process",
		    s->conf.argv[0]);
		return ALERT_FAILED;
	}
	return ALERT_STARTED;
fail:
	sink_exec_close_fd(&in[0]);
	sink_exec_close_fd(&in[1]);
	sink_exec_close_fd(&err[0]);
	sink_exec_close_fd(&err[1]);
	x->msg = NULL;
	xasprintf(cause, "cannot run %s: %s", s->conf.argv[0], strerror(rc));
	return ALERT_FAILED;
}

/* Kills the child and reaps it at once (SIGKILL cannot be ignored, so
 * the wait is short); the outbox keeps its alerts for next time. */
static void
sink_exec_cancel(struct alert_sink *s)
{
	struct sink_exec *x = s->state;
	pid_t pid;

	if (x->pid <= 0)
		return;
	sink_exec_kill(x);
	do
		pid = waitpid(x->pid, NULL, 0);
	while (pid == -1 && errno == EINTR);
	sink_exec_clear(x);
}

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
