/* test_child_run.c: real programs run on a real event loop — stdin and stdout, exit status, stderr, limits, timeouts, cancel, descriptors, signals. */

/*
 * The programs are /bin/cat, /bin/sh -c with a script of the test's own,
 * /usr/bin/yes and /bin/sleep, and this test binary itself started as
 * "test_child_run --child MODE" where the child must report on itself.
 * SIGPIPE keeps its default action here, unlike in the daemon, so that a
 * write to a child that stopped reading would kill the test.
 *
 * The tests run twice: as the kernel is, and then with pidfd_open made to
 * fail with ENOSYS by a seccomp filter, as on kernels before 5.3, where
 * the child's exit is found by polling.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "common/common.h"
#include "child/child.h"

/* A test that waits longer than this for the loop is stuck, not slow. */
#define GUARD_SECONDS	60
#define MEGABYTE	((size_t)1 << 20)

static char self[PATH_MAX];

/* One run: the loop, and a copy of the result the callback saw. */
struct run {
	struct event_base	*base;
	char			 dir[64];	/* a temporary directory */
	int			 calls;
	int			 starting;	/* inside child_start */
	int			 called_while_starting;
	enum child_outcome	 outcome;
	int			 status;
	char			*output;
	size_t			 output_len;
	char			*error;
	int			 timer_fired;	/* by the test's own timer */
	int			 timer_before_callback;
	struct child		*next;		/* started from the callback */
};

/* The helper: what a child is given — its descriptors, its process group,
 * its signal mask and ignored signals — one per line on stdout (or on
 * stderr with "stdout" when stdout is not ours to read). */
static int
child_main(const char *mode)
{
	char line[256], list[256] = "", target[PATH_MAX];
	FILE *status;
	DIR *d;
	struct dirent *de;
	ssize_t n;

	if (strcmp(mode, "stdout") == 0) {
		if ((n = readlink("/proc/self/fd/1", target,
		    sizeof target - 1)) <= 0)
			return 1;
		target[n] = '\0';
		fprintf(stderr, "%s\n", target);
		return 0;
	}
	if (strcmp(mode, "self") != 0)
		return 2;
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		if (strlen(list) + strlen(de->d_name) + 2 < sizeof list) {
			strcat(list, *list != '\0' ? " " : "");
			strcat(list, de->d_name);
		}
	}
	closedir(d);
	printf("fds %s\n", list);
	printf("pgid %s\n", getpgrp() == getpid() ? "own" : "shared");
	if ((status = fopen("/proc/self/status", "r")) == NULL)
		return 1;
	while (fgets(line, sizeof line, status) != NULL) {
		if (strncmp(line, "SigBlk:", 7) == 0 ||
		    strncmp(line, "SigIgn:", 7) == 0)
			fputs(line, stdout);
	}
	fclose(status);
	return 0;
}

/* The callback: copies the result and stops the loop. */
static void
run_cb(const struct child_result *r, void *arg)
{
	struct run *run = arg;

	run->calls++;
	if (run->starting)
		run->called_while_starting = 1;
	run->outcome = r->outcome;
	run->status = r->status;
	free(run->output);
	run->output = xmalloc(r->output_len + 1);
	memcpy(run->output, r->output, r->output_len + 1);
	run->output_len = r->output_len;
	free(run->error);
	run->error = xstrdup(r->error);
	run->timer_before_callback = run->timer_fired;
	event_base_loopbreak(run->base);
}

/* libevent: the loop ran too long; the test is stuck. */
static void
guard_cb(evutil_socket_t fd, short what, void *arg)
{
	fail_msg("the loop ran for %d seconds", GUARD_SECONDS);
}

static int
setup(void **state)
{
	struct run *run = xcalloc(1, sizeof *run);

	run->base = event_base_new();
	assert_non_null(run->base);
	strcpy(run->dir, "/tmp/ww-test-child-XXXXXX");
	assert_non_null(mkdtemp(run->dir));
	*state = run;
	return 0;
}

/* nftw-free clean-up: the tests leave at most a couple of plain files. */
static int
teardown(void **state)
{
	struct run *run = *state;
	DIR *d;
	struct dirent *de;
	char *path;

	if ((d = opendir(run->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			xasprintf(&path, "%s/%s", run->dir, de->d_name);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(run->dir);
	event_base_free(run->base);
	free(run->output);
	free(run->error);
	free(run);
	return 0;
}

/* A path in the test's directory; the caller frees. */
static char *
run_path(struct run *run, const char *name)
{
	char *path;

	xasprintf(&path, "%s/%s", run->dir, name);
	return path;
}

/* Starts a child, checking that the callback did not run inside. */
static struct child *
run_start(struct run *run, const char * const *argv, const char *input,
    size_t input_len, size_t max_output, int64_t timeout_ms)
{
	struct child_request req = { argv, input, input_len, max_output,
	    timeout_ms };
	struct child *x;

	run->starting = 1;
	x = child_start(run->base, &req, run_cb, run);
	run->starting = 0;
	assert_non_null(x);
	assert_int_equal(run->calls, 0);
	return x;
}

/* Runs the loop until the callback has run (or the guard fires). */
static void
run_loop(struct run *run)
{
	struct timeval tv = { GUARD_SECONDS, 0 };
	struct event *guard;

	guard = evtimer_new(run->base, guard_cb, run);
	evtimer_add(guard, &tv);
	while (run->calls == 0)
		event_base_loop(run->base, EVLOOP_ONCE);
	event_free(guard);
	assert_int_equal(run->calls, 1);
	assert_false(run->called_while_starting);
}

/* Starts a child and runs the loop until it has ended. */
static void
run_child(struct run *run, const char * const *argv, const char *input,
    size_t input_len, size_t max_output, int64_t timeout_ms)
{
	run_start(run, argv, input, input_len, max_output, timeout_ms);
	run_loop(run);
}

/* libevent: the test's own timer, which creates the file arg names. */
static void
touch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run *run = arg;
	char *path = run_path(run, "go");
	int f;

	if ((f = open(path, O_WRONLY | O_CREAT, 0600)) != -1)
		close(f);
	run->timer_fired = 1;
	free(path);
}

/* Runs the loop until path exists and is not empty. */
static void
run_until_file(struct run *run, const char *path)
{
	struct timeval tv = { GUARD_SECONDS, 0 };
	struct event *guard;
	struct stat st;

	guard = evtimer_new(run->base, guard_cb, run);
	evtimer_add(guard, &tv);
	while (stat(path, &st) != 0 || st.st_size == 0) {
		struct timeval tick = { 0, 10000 };

		event_base_loopexit(run->base, &tick);
		event_base_dispatch(run->base);
	}
	event_free(guard);
}

/* A megabyte of text that a lost or repeated block would change. */
static char *
megabyte(void)
{
	char *buf = xmalloc(MEGABYTE);
	size_t i;

	for (i = 0; i < MEGABYTE; i++)
		buf[i] = (char)('a' + (i * 7 + i / 4096) % 26);
	return buf;
}

/* Whether a process is gone (reaped); a zombie still counts as there. */
static int
process_gone(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

static void
test_cat_returns_its_stdin_on_stdout(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };

	run_child(run, argv, "hello\nworld\n", 12, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_string_equal(run->output, "hello\nworld\n");
	assert_int_equal(run->output_len, 12);
	assert_string_equal(run->error, "");
}

static void
test_a_megabyte_through_cat_comes_back_whole(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };
	char *in = megabyte();

	run_child(run, argv, in, MEGABYTE, MEGABYTE, 60000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_int_equal(run->output_len, MEGABYTE);
	assert_memory_equal(run->output, in, MEGABYTE);
	free(in);
}

static void
test_no_input_is_end_of_file_at_once(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };

	run_child(run, argv, NULL, 0, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_int_equal(run->output_len, 0);
	assert_string_equal(run->output, "");
}

static void
test_output_exactly_at_max_output_is_kept(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };

	run_child(run, argv, "0123456789", 10, 10, 10000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_string_equal(run->output, "0123456789");
}

static void
test_output_past_max_output_kills_the_child(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/usr/bin/yes", NULL };
	size_t i;

	run_child(run, argv, NULL, 0, 1001, 60000);
	assert_int_equal(run->outcome, CHILD_TOO_MUCH_OUTPUT);
	assert_int_equal(run->status, SIGKILL);
	/* What was kept is the first max_output bytes. */
	assert_int_equal(run->output_len, 1001);
	assert_int_equal(strlen(run->output), 1001);
	for (i = 0; i < 1001; i++)
		assert_int_equal(run->output[i], i % 2 == 0 ? 'y' : '\n');
}

static void
test_output_past_max_output_before_exit_is_too_much(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };

	/* The child exits on its own, but wrote more than we keep. */
	run_child(run, argv, "0123456789", 10, 9, 10000);
	assert_int_equal(run->outcome, CHILD_TOO_MUCH_OUTPUT);
	assert_string_equal(run->output, "012345678");
}

static void
test_max_output_zero_sends_stdout_to_dev_null(void **state)
{
	struct run *run = *state;
	const char *argv[] = { self, "--child", "stdout", NULL };

	run_child(run, argv, NULL, 0, 0, 10000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_string_equal(run->error, "/dev/null");
	assert_int_equal(run->output_len, 0);
	assert_string_equal(run->output, "");
}

static void
test_exit_status_and_first_stderr_line_are_reported(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/sh", "-c",
	    "printf 'boom:\\tno route\\nsecond line\\n' >&2; echo out; exit 3",
	    NULL };

	run_child(run, argv, NULL, 0, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 3);
	/* The tab would break a log line. */
	assert_string_equal(run->error, "boom: no route");
	assert_string_equal(run->output, "out\n");
}

static void
test_stderr_line_is_cut_at_200_bytes(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/sh", "-c",
	    "i=0; while [ $i -lt 300 ]; do printf x >&2; i=$((i+1)); done; "
	    "echo >&2; exit 1", NULL };

	run_child(run, argv, NULL, 0, 1024, 30000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 1);
	assert_int_equal(strlen(run->error), 200);
	assert_int_equal(strspn(run->error, "x"), 200);
}

static void
test_missing_program_fails_from_the_loop(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/nonexistent/wirewatch-translator", NULL };

	run_child(run, argv, "text", 4, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_FAILED);
	assert_non_null(strstr(run->error,
	    "/nonexistent/wirewatch-translator"));
	assert_non_null(strstr(run->error, strerror(ENOENT)));
	assert_string_equal(run->output, "");
}

static void
test_relative_program_is_not_searched_in_path(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "cat", NULL };

	run_child(run, argv, "text", 4, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_FAILED);
	assert_non_null(strstr(run->error, "absolute"));
}

static void
test_empty_argv_fails_from_the_loop(void **state)
{
	struct run *run = *state;
	const char *argv[] = { NULL };

	run_child(run, argv, NULL, 0, 0, 10000);
	assert_int_equal(run->outcome, CHILD_FAILED);
	assert_string_not_equal(run->error, "");
}

static void
test_signal_not_from_us_is_reported_as_signalled(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };

	run_child(run, argv, NULL, 0, 1024, 10000);
	assert_int_equal(run->outcome, CHILD_SIGNALLED);
	assert_int_equal(run->status, SIGTERM);
}

static void
test_timeout_kills_the_child(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/sleep", "60", NULL };

	run_child(run, argv, NULL, 0, 1024, 50);
	assert_int_equal(run->outcome, CHILD_TIMED_OUT);
	assert_int_equal(run->status, SIGKILL);
	assert_true(run->output_len == 0);
}

/*
 * A child that starts a grandchild, writes "PID GRANDCHILD" and becomes a
 * sleep itself (a shell's "wait" could reap the grandchild if the group's
 * SIGKILL reached it first, leaving nothing to wait for here). The
 * timeout must leave time for the grandchild to be started, which on a
 * loaded machine can take long: the test tries again with twice the time
 * until the line was written, rather than assume any one is enough.
 */
static void
test_timeout_kills_the_grandchild_too(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/sh", "-c",
	    "/bin/sleep 60 & echo $$ $!; exec /bin/sleep 61", NULL };
	int64_t timeout;
	long pid = 0, grandchild = 0;
	int status;

	/* Orphans of the child come back to us, so their end is visible. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	for (timeout = 100; timeout <= 12800; timeout *= 2) {
		run->calls = 0;
		run_child(run, argv, NULL, 0, 1024, timeout);
		assert_int_equal(run->outcome, CHILD_TIMED_OUT);
		if (sscanf(run->output, "%ld %ld", &pid, &grandchild) == 2)
			break;
	}
	assert_true(grandchild > 0);
	assert_true(process_gone((pid_t)pid));
	assert_int_equal(waitpid((pid_t)grandchild, &status, 0), grandchild);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void
test_child_that_never_reads_stdin_does_not_block_the_loop(void **state)
{
	struct run *run = *state;
	char *go = run_path(run, "go"), *script, *in = megabyte();
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct timeval soon = { 0, 20000 };
	struct event *timer;

	/* It ends only once the loop has run our timer. */
	xasprintf(&script, "while [ ! -e %s ]; do sleep 0.01; done", go);
	argv[2] = script;
	timer = evtimer_new(run->base, touch_cb, run);
	evtimer_add(timer, &soon);
	run_child(run, argv, in, MEGABYTE, 1024, 60000);
	assert_true(run->timer_before_callback);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	event_free(timer);
	free(script);
	free(go);
	free(in);
}

static void
test_child_that_closes_stdin_does_not_raise_sigpipe(void **state)
{
	struct run *run = *state;
	char *go = run_path(run, "go"), *script, *in = megabyte();
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct timeval later = { 0, 200000 };
	struct event *timer;

	/* Our writes meet a closed pipe while the child still runs. */
	xasprintf(&script, "exec 0<&-; while [ ! -e %s ]; do sleep 0.01; "
	    "done; echo done", go);
	argv[2] = script;
	timer = evtimer_new(run->base, touch_cb, run);
	evtimer_add(timer, &later);
	run_child(run, argv, in, MEGABYTE, 1024, 60000);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_string_equal(run->output, "done\n");
	event_free(timer);
	free(script);
	free(go);
	free(in);
}

static void
test_cancel_in_flight_kills_the_group_and_never_calls_back(void **state)
{
	struct run *run = *state;
	char *pids = run_path(run, "pids"), *script, *text, *cause = NULL;
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct child *x;
	size_t len;
	long pid, grandchild;
	int status, i;

	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	/* The shell becomes a sleep of its own (exec keeps its pid), which
	 * never reaps: with "wait" the group's SIGKILL could reach the
	 * grandchild first and the shell reap it before dying, leaving this
	 * test nothing to wait for. */
	xasprintf(&script, "/bin/sleep 60 & echo $$ $! > %s.tmp; "
	    "mv %s.tmp %s; exec /bin/sleep 61", pids, pids, pids);
	argv[2] = script;
	x = run_start(run, argv, "unread", 6, 1024, 60000);
	run_until_file(run, pids);
	child_cancel(x);

	text = util_read_file(pids, 1024, &len, &cause);
	assert_non_null(text);
	assert_int_equal(sscanf(text, "%ld %ld", &pid, &grandchild), 2);
	/* Reaped by child_cancel, not left a zombie. */
	assert_true(process_gone((pid_t)pid));
	assert_int_equal(waitpid((pid_t)grandchild, &status, 0), grandchild);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	for (i = 0; i < 10; i++)
		event_base_loop(run->base, EVLOOP_NONBLOCK);
	assert_int_equal(run->calls, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	free(text);
	free(script);
	free(pids);
}

static void
test_cancel_of_a_failed_start_never_calls_back(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/nonexistent/wirewatch-translator", NULL };
	struct child *x;
	int i;

	x = run_start(run, argv, NULL, 0, 1024, 10000);
	child_cancel(x);
	for (i = 0; i < 10; i++)
		event_base_loop(run->base, EVLOOP_NONBLOCK);
	assert_int_equal(run->calls, 0);
}

/* The callback of the first child starts the second. */
static void
chain_cb(const struct child_result *r, void *arg)
{
	struct run *run = arg;
	const char *argv[] = { "/bin/cat", NULL };
	struct child_request req = { argv, r->output, r->output_len, 1024,
	    10000 };

	run->next = child_start(run->base, &req, run_cb, run);
	assert_non_null(run->next);
}

static void
test_callback_may_start_the_next_child(void **state)
{
	struct run *run = *state;
	const char *argv[] = { "/bin/cat", NULL };
	struct child_request req = { argv, "relay", 5, 1024, 10000 };
	char input[] = "relay";

	/* The request's buffers are copied: the caller may reuse them. */
	req.input = input;
	assert_non_null(child_start(run->base, &req, chain_cb, run));
	memset(input, 'x', 5);
	run_loop(run);
	assert_non_null(run->next);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_string_equal(run->output, "relay");
}

static void
test_child_gets_only_0_1_2_default_signals_and_its_own_group(void **state)
{
	struct run *run = *state;
	const char *argv[] = { self, "--child", "self", NULL };
	sigset_t usr1, old;
	struct sigaction ign, old_hup;
	unsigned long long blocked, ignored;
	char group[16];
	int leak, leaks[2], fd0, fd1, fd2, end = 0;

	/* What a daemon holds that its children must not get. */
	leak = open("/dev/null", O_RDONLY);
	assert_true(leak >= 0);
	assert_int_equal(pipe(leaks), 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	assert_int_equal(sigprocmask(SIG_BLOCK, &usr1, &old), 0);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	assert_int_equal(sigaction(SIGHUP, &ign, &old_hup), 0);

	run_child(run, argv, "input", 5, 4096, 10000);

	sigaction(SIGHUP, &old_hup, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(leak);
	close(leaks[0]);
	close(leaks[1]);
	assert_int_equal(run->outcome, CHILD_EXITED);
	assert_int_equal(run->status, 0);
	assert_int_equal(sscanf(run->output, "fds %d %d %d\npgid %15s\n"
	    "SigBlk: %llx\nSigIgn: %llx\n%n", &fd0, &fd1, &fd2, group, &blocked,
	    &ignored, &end), 6);
	assert_int_equal(end, strlen(run->output));
	/* Nothing after 2: "pgid" follows at once. */
	assert_int_equal(fd0, 0);
	assert_int_equal(fd1, 1);
	assert_int_equal(fd2, 2);
	assert_string_equal(group, "own");
	assert_int_equal(blocked, 0);
	/* Of the standard signals none is ignored. glibc's posix_spawn
	 * ignores its own two internal real-time signals (32 and 33) in the
	 * child, which nothing can ask it not to; glibc programs set them
	 * up again at start. */
	assert_int_equal(ignored & 0x7fffffffULL, 0);
}

/* Makes pidfd_open fail with ENOSYS for the rest of the process, as it
 * does on kernels before 5.3. */
static int
setup_no_pidfd(void **state)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pidfd_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		print_error("cannot install the seccomp filter: %s\n",
		    strerror(errno));
		return -1;
	}
	if (syscall(SYS_pidfd_open, getpid(), 0) != -1 || errno != ENOSYS) {
		print_error("pidfd_open still works under the filter\n");
		return -1;
	}
	return 0;
}

#define CHILD_TESTS(setup, teardown) \
	cmocka_unit_test_setup_teardown( \
	    test_cat_returns_its_stdin_on_stdout, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_a_megabyte_through_cat_comes_back_whole, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_no_input_is_end_of_file_at_once, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_output_exactly_at_max_output_is_kept, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_output_past_max_output_kills_the_child, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_output_past_max_output_before_exit_is_too_much, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_max_output_zero_sends_stdout_to_dev_null, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_exit_status_and_first_stderr_line_are_reported, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_stderr_line_is_cut_at_200_bytes, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_missing_program_fails_from_the_loop, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_relative_program_is_not_searched_in_path, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_empty_argv_fails_from_the_loop, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_signal_not_from_us_is_reported_as_signalled, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_timeout_kills_the_child, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_timeout_kills_the_grandchild_too, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_child_that_never_reads_stdin_does_not_block_the_loop, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_child_that_closes_stdin_does_not_raise_sigpipe, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_cancel_in_flight_kills_the_group_and_never_calls_back, \
	    setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_cancel_of_a_failed_start_never_calls_back, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_callback_may_start_the_next_child, setup, teardown), \
	cmocka_unit_test_setup_teardown( \
	    test_child_gets_only_0_1_2_default_signals_and_its_own_group, \
	    setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = { CHILD_TESTS(setup, teardown) };
	ssize_t n;
	int failed;

	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2]);
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return 1;
	self[n] = '\0';
	log_init(LOG_STYLE_TOOL, "test_child_run", 0);
	failed = cmocka_run_group_tests_name("child (pidfd)", tests,
	    NULL, NULL);
	/* The same again with the exit found by polling; this group must
	 * run last, as the filter cannot be taken off. */
	failed += cmocka_run_group_tests_name("child (waitpid poll)", tests,
	    setup_no_pidfd, NULL);
	return failed;
}
