/* child/child.c: a program run without a shell on the event loop — its stdin written from a buffer, its stdout and stderr read, its exit awaited. */

/*
 * The program is started with posix_spawn (never posix_spawnp: argv[0] is
 * an absolute path and nothing is searched), so no shell ever sees an
 * argument, whose text may come from feeds. It gets default signal
 * dispositions and an empty mask, whatever the daemon ignores or blocks; a
 * process group of its own, so that killing it kills whatever it started;
 * and descriptors 0, 1 and 2 only, so that the daemon's database and
 * sockets never leak into it.
 *
 * Nothing here blocks the loop. Our ends of the pipes are non-blocking
 * and driven by events (the child's ends stay blocking, as programs expect
 * of their stdin); the child's exit is an event on its pidfd (Linux 5.3),
 * or, where there is none, a waitpid poll every CHILD_POLL_MS. Once the
 * child has exited, what its pipes still hold is read and the callback
 * runs; a grandchild that keeps a pipe open does not hold the result back.
 *
 * The callback runs once, from the loop: a child that cannot be started
 * fails through an event made active in child_start, so the caller never
 * sees its callback inside its own call.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/common.h"
#include "child/child.h"

#define CHILD_ERROR_MAX		200	/* bytes of stderr kept */
#define CHILD_POLL_MS		100	/* waitpid poll without a pidfd */
#define CHILD_TIMEOUT_DEFAULT	30000	/* ms, for a request that sets none */
#define CHILD_READ_FIRST	16384	/* first size of the output buffer */

extern char **environ;

struct child {
	struct event_base	*base;
	char			**argv;
	child_cb		 cb;
	void			*arg;

	pid_t			 pid;		/* -1: not started, or reaped */
	int			 pidfd;		/* -1: polled instead */
	int			 in;		/* our ends of its pipes; -1 */
	int			 out;
	int			 err;
	struct event		*ev_exit;	/* pidfd readable, or a poll */
	struct event		*ev_in;
	struct event		*ev_out;
	struct event		*ev_err;
	struct event		*ev_timeout;
	struct event		*ev_fail;	/* reports a failed start */

	char			*input;
	size_t			 input_len;
	size_t			 written;

	char			*output;
	size_t			 output_len;
	size_t			 output_size;
	size_t			 max_output;

	char			 error[CHILD_ERROR_MAX + 1];
	size_t			 error_len;
	int			 error_done;	/* first line complete */
	char			*failure;	/* why it could not run */

	enum child_outcome	 killed;	/* why we killed it, if so */
	int64_t			 timeout_ms;
	int64_t			 started;
};

/* Frees an event if there is one, and forgets it. */
static void
child_event_free(struct event **ev)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
}

/* Closes a descriptor if it is open, and forgets it. */
static void
child_close_fd(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Releases the events, pipes and pidfd; the process is reaped already. */
static void
child_clear(struct child *x)
{
	child_event_free(&x->ev_exit);
	child_event_free(&x->ev_in);
	child_event_free(&x->ev_out);
	child_event_free(&x->ev_err);
	child_event_free(&x->ev_timeout);
	child_event_free(&x->ev_fail);
	child_close_fd(&x->in);
	child_close_fd(&x->out);
	child_close_fd(&x->err);
	child_close_fd(&x->pidfd);
	x->pid = -1;
}

/* Frees a cleared child's memory. */
static void
child_free(struct child *x)
{
	size_t i;

	for (i = 0; x->argv[i] != NULL; i++)
		free(x->argv[i]);
	free(x->argv);
	free(x->input);
	free(x->output);
	free(x->failure);
	free(x);
}

/* Kills the child's process group, and the child itself should it have
 * left the group. */
static void
child_kill(struct child *x)
{
	if (x->pid <= 0)
		return;
	kill(-x->pid, SIGKILL);
	kill(x->pid, SIGKILL);
}

/* Reaps the child if it has exited: 1 with its wait status, 0 while it
 * runs, -1 when someone else reaped it (its status is lost). */
static int
child_wait(struct child *x, int *status)
{
	pid_t pid;

	do
		pid = waitpid(x->pid, status, WNOHANG);
	while (pid == -1 && errno == EINTR);
	if (pid == 0)
		return 0;
	return pid == -1 ? -1 : 1;
}

/* Keeps the first line of stderr, up to CHILD_ERROR_MAX bytes; the rest
 * is read and dropped so that the child never blocks on it. */
static void
child_keep_error(struct child *x, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && !x->error_done; i++) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			if (x->error_len > 0)
				x->error_done = 1;
			continue;
		}
		if (x->error_len == CHILD_ERROR_MAX) {
			x->error_done = 1;
			break;
		}
		/* A control character would break a log line. */
		x->error[x->error_len++] =
		    (unsigned char)buf[i] < 0x20 ? ' ' : buf[i];
	}
	x->error[x->error_len] = '\0';
}

/* Reads what stderr holds now. Returns 1 at end of file or error. */
static int
child_read_error(struct child *x)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(x->err, buf, sizeof buf);
		if (n > 0) {
			child_keep_error(x, buf, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		return !(n == -1 && errno == EAGAIN);
	}
}

/* Stops a child that wrote past max_output; its exit is awaited as usual. */
static void
child_overflow(struct child *x)
{
	x->output_len = x->max_output;
	x->output[x->output_len] = '\0';
	if (x->killed == CHILD_EXITED)
		x->killed = CHILD_TOO_MUCH_OUTPUT;
	child_kill(x);
}

/*
 * Reads what stdout holds now into the output buffer, which grows up to
 * max_output + 2 bytes: one byte past the limit tells too much from just
 * enough, and one holds the NUL. Returns 1 at end of file, error or too
 * much output (then the child is killed), 0 when the pipe is empty.
 */
static int
child_read_output(struct child *x)
{
	size_t limit = x->max_output + 2, want;
	ssize_t n;

	for (;;) {
		if (x->output_len + 1 == x->output_size) {
			x->output_size = x->output_size > limit / 2 ?
			    limit : x->output_size * 2;
			x->output = xrealloc(x->output, x->output_size);
		}
		want = x->output_size - 1 - x->output_len;
		n = read(x->out, x->output + x->output_len, want);
		if (n > 0) {
			x->output_len += (size_t)n;
			x->output[x->output_len] = '\0';
			if (x->output_len > x->max_output) {
				child_overflow(x);
				return 1;
			}
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		return !(n == -1 && errno == EAGAIN);
	}
}

/*
 * Writes to the child's stdin without the risk of SIGPIPE, which would
 * kill the daemon when a child exits without reading all of it: the
 * daemon ignores SIGPIPE, but this file should not depend on its caller
 * for that, and a pipe (unlike a socket) has no MSG_NOSIGNAL. So SIGPIPE
 * is blocked around the write and, after EPIPE, the one it raised is
 * taken back.
 */
static ssize_t
child_write_nosigpipe(int fd, const void *buf, size_t len)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t sigpipe, old, pending;
	int was_pending, saved;
	ssize_t n;

	sigemptyset(&sigpipe);
	sigaddset(&sigpipe, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigpipe, &old);
	n = write(fd, buf, len);
	saved = errno;
	if (n == -1 && saved == EPIPE && !was_pending) {
		while (sigtimedwait(&sigpipe, NULL, &zero) == -1 &&
		    errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return n;
}

/* Builds the result of a child that has ended and calls back; x is freed.
 * how is child_wait's answer. */
static void
child_finish(struct child *x, int how, int status)
{
	struct child_result r;
	child_cb cb = x->cb;
	void *arg = x->arg;

	/* Reaped: its pid may name another process from now on, so nothing
	 * more is killed. Everything it wrote before it exited is in the
	 * pipes now. */
	x->pid = -1;
	if (x->out != -1)
		child_read_output(x);
	if (x->err != -1)
		child_read_error(x);
	memset(&r, 0, sizeof r);
	r.output = x->output != NULL ? x->output : "";
	r.output_len = x->output_len;
	r.error = x->error;
	r.elapsed_ms = util_monotonic_ms() - x->started;
	if (how == -1) {
		free(x->failure);
		xasprintf(&x->failure, "%s: its exit status was lost (reaped "
		    "elsewhere)", x->argv[0]);
		r.outcome = CHILD_FAILED;
		r.error = x->failure;
	} else if (WIFSIGNALED(status)) {
		r.outcome = x->killed != CHILD_EXITED ? x->killed :
		    CHILD_SIGNALLED;
		r.status = WTERMSIG(status);
	} else {
		r.outcome = x->killed != CHILD_EXITED ? x->killed :
		    CHILD_EXITED;
		r.status = WEXITSTATUS(status);
	}
	child_clear(x);
	cb(&r, arg);
	child_free(x);
}

/* libevent: the child could not be started; reports why. */
static void
child_fail_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;
	struct child_result r;
	child_cb cb = x->cb;

	memset(&r, 0, sizeof r);
	r.outcome = CHILD_FAILED;
	r.output = "";
	r.error = x->failure;
	r.elapsed_ms = util_monotonic_ms() - x->started;
	child_clear(x);
	cb(&r, x->arg);
	child_free(x);
}

/* libevent: the pidfd is readable (the child exited), or the poll. */
static void
child_exit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;
	int status = 0, how;

	if ((how = child_wait(x, &status)) != 0)
		child_finish(x, how, status);
}

/* libevent: the child took too long. Its exit event reaps it. */
static void
child_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;
	int status = 0, how;

	/* It may have exited with its exit event not yet run. */
	if ((how = child_wait(x, &status)) != 0) {
		child_finish(x, how, status);
		return;
	}
	if (x->killed == CHILD_EXITED)
		x->killed = CHILD_TIMED_OUT;
	child_kill(x);
}

/* libevent: the child's stdin has room. A child that exits without
 * reading all of it gives EPIPE here; then only its exit counts. */
static void
child_in_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;
	ssize_t n;

	while (x->written < x->input_len) {
		n = child_write_nosigpipe(x->in, x->input + x->written,
		    x->input_len - x->written);
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
	child_event_free(&x->ev_in);
	child_close_fd(&x->in);
}

/* libevent: the child wrote to stdout. */
static void
child_out_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;

	if (child_read_output(x)) {
		child_event_free(&x->ev_out);
		child_close_fd(&x->out);
	}
}

/* libevent: the child wrote to stderr. */
static void
child_err_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *x = arg;

	if (child_read_error(x)) {
		child_event_free(&x->ev_err);
		child_close_fd(&x->err);
	}
}

/* Makes a pipe whose both ends close on exec, ours non-blocking. mine is
 * 0 when we read (the child writes), 1 when we write. */
static int
child_pipe(int fds[2], int mine)
{
	int flags;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	if ((flags = fcntl(fds[mine], F_GETFL)) == -1 ||
	    fcntl(fds[mine], F_SETFL, flags | O_NONBLOCK) == -1) {
		close(fds[0]);
		close(fds[1]);
		fds[0] = fds[1] = -1;
		return -1;
	}
	return 0;
}

/* Gives the child fd as descriptor to, or /dev/null when fd is -1. */
static int
child_spawn_fd(posix_spawn_file_actions_t *fa, int fd, int to, int mode)
{
	if (fd == -1)
		return posix_spawn_file_actions_addopen(fa, to, "/dev/null",
		    mode, 0);
	return posix_spawn_file_actions_adddup2(fa, fd, to);
}

/* Spawns the child on the descriptors given (-1: /dev/null). Returns 0
 * with x->pid, or an errno. */
static int
child_spawn(struct child *x, int in, int out, int err)
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
	if ((rc = child_spawn_fd(&fa, in, STDIN_FILENO, O_RDONLY)) ||
	    (rc = child_spawn_fd(&fa, out, STDOUT_FILENO, O_WRONLY)) ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO)) ||
	    (rc = posix_spawn_file_actions_addclosefrom_np(&fa,
	    STDERR_FILENO + 1)) ||
	    (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)) ||
	    (rc = posix_spawnattr_setsigmask(&attr, &none)) ||
	    (rc = posix_spawnattr_setsigdefault(&attr, &all)) ||
	    (rc = posix_spawnattr_setpgroup(&attr, 0)))
		goto out;
	rc = posix_spawn(&x->pid, x->argv[0], &fa, &attr, x->argv, environ);
out:
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Makes the pipes and starts the child. Returns 0, or -1 with x->failure. */
static int
child_run(struct child *x)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int rc = 0;

	if ((x->input_len > 0 && child_pipe(in, 1) == -1) ||
	    (x->max_output > 0 && child_pipe(out, 0) == -1) ||
	    child_pipe(err, 0) == -1)
		rc = errno;
	else
		rc = child_spawn(x, in[0], out[1], err[1]);
	/* The child's ends are its own now (or nobody's). */
	child_close_fd(&in[0]);
	child_close_fd(&out[1]);
	child_close_fd(&err[1]);
	if (rc == 0) {
		x->in = in[1];
		x->out = out[0];
		x->err = err[0];
		return 0;
	}
	child_close_fd(&in[1]);
	child_close_fd(&out[0]);
	child_close_fd(&err[0]);
	x->pid = -1;
	xasprintf(&x->failure, "cannot run %s: %s", x->argv[0], strerror(rc));
	return -1;
}

/* Arms the events that drive the running child. Returns 0 or -1. */
static int
child_watch(struct child *x)
{
	struct timeval poll = { 0, CHILD_POLL_MS * 1000 };
	struct timeval limit = { (time_t)(x->timeout_ms / 1000),
	    (suseconds_t)(x->timeout_ms % 1000) * 1000 };

	x->pidfd = (int)syscall(SYS_pidfd_open, x->pid, 0);
	x->ev_exit = event_new(x->base, x->pidfd, x->pidfd != -1 ?
	    EV_READ | EV_PERSIST : EV_PERSIST, child_exit_cb, x);
	x->ev_timeout = evtimer_new(x->base, child_timeout_cb, x);
	x->ev_err = event_new(x->base, x->err, EV_READ | EV_PERSIST,
	    child_err_cb, x);
	if (x->ev_exit == NULL || x->ev_timeout == NULL || x->ev_err == NULL ||
	    event_add(x->ev_exit, x->pidfd != -1 ? NULL : &poll) != 0 ||
	    evtimer_add(x->ev_timeout, &limit) != 0 ||
	    event_add(x->ev_err, NULL) != 0)
		return -1;
	if (x->in != -1 && ((x->ev_in = event_new(x->base, x->in,
	    EV_WRITE | EV_PERSIST, child_in_cb, x)) == NULL ||
	    event_add(x->ev_in, NULL) != 0))
		return -1;
	if (x->out != -1 && ((x->ev_out = event_new(x->base, x->out,
	    EV_READ | EV_PERSIST, child_out_cb, x)) == NULL ||
	    event_add(x->ev_out, NULL) != 0))
		return -1;
	return 0;
}

/* Copies the request into a new child, not yet started. */
static struct child *
child_new(struct event_base *base, const struct child_request *req,
    child_cb cb, void *arg)
{
	struct child *x;
	size_t n = 0, i;

	x = xcalloc(1, sizeof *x);
	x->base = base;
	x->cb = cb;
	x->arg = arg;
	x->pid = -1;
	x->pidfd = x->in = x->out = x->err = -1;
	x->killed = CHILD_EXITED;
	x->started = util_monotonic_ms();
	x->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms :
	    CHILD_TIMEOUT_DEFAULT;
	/* The buffer holds max_output + 2 bytes, which must not wrap. */
	x->max_output = req->max_output < SIZE_MAX / 2 ? req->max_output :
	    SIZE_MAX / 2;
	if (x->max_output > 0) {
		x->output_size = x->max_output + 2 < CHILD_READ_FIRST ?
		    x->max_output + 2 : CHILD_READ_FIRST;
		x->output = xmalloc(x->output_size);
		x->output[0] = '\0';
	}
	if (req->input != NULL && req->input_len > 0) {
		x->input = xmalloc(req->input_len);
		memcpy(x->input, req->input, req->input_len);
		x->input_len = req->input_len;
	}
	while (req->argv != NULL && req->argv[n] != NULL)
		n++;
	x->argv = xcalloc(n + 1, sizeof *x->argv);
	for (i = 0; i < n; i++)
		x->argv[i] = xstrdup(req->argv[i]);
	return x;
}

struct child *
child_start(struct event_base *base, const struct child_request *req,
    child_cb cb, void *arg)
{
	struct child *x;
	pid_t pid;

	x = child_new(base, req, cb, arg);
	if ((x->ev_fail = event_new(base, -1, 0, child_fail_cb, x)) == NULL) {
		child_free(x);
		return NULL;
	}
	if (x->argv[0] == NULL)
		x->failure = xstrdup("no program to run");
	else if (x->argv[0][0] != '/')
		xasprintf(&x->failure, "cannot run %s: not an absolute path "
		    "(no PATH search is done)", x->argv[0]);
	if (x->failure != NULL || child_run(x) != 0) {
		event_active(x->ev_fail, EV_TIMEOUT, 0);
		return x;
	}
	child_event_free(&x->ev_fail);
	if (child_watch(x) != 0) {
		/* Without its events the child cannot be driven: stop it. */
		child_kill(x);
		do
			pid = waitpid(x->pid, NULL, 0);
		while (pid == -1 && errno == EINTR);
		child_clear(x);
		child_free(x);
		return NULL;
	}
	return x;
}

void
child_cancel(struct child *x)
{
	pid_t pid;

	if (x == NULL)
		return;
	/* SIGKILL cannot be ignored, so this wait is short. */
	if (x->pid > 0) {
		child_kill(x);
		do
			pid = waitpid(x->pid, NULL, 0);
		while (pid == -1 && errno == EINTR);
	}
	child_clear(x);
	child_free(x);
}
