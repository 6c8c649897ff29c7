/* test_alert_exec.c: the exec sink with real child processes — stdin, exit status, retries, timeouts, descriptors. */

/*
 * The program the sink runs is this test binary itself, started as
 * "test_alert_exec --child MODE ARGS...": a helper whose behaviour each
 * test picks, with no shell involved.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

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

#include "tests/unit/test_alert_fixture.h"

static char self[PATH_MAX];

/* The helper: reads all of stdin. */
static char *
child_read_stdin(size_t *len)
{
	char *buf = NULL;
	size_t size = 0, used = 0;
	ssize_t n;

	for (;;) {
		if (used == size) {
			size = size ? size * 2 : 4096;
			buf = xrealloc(buf, size);
		}
		n = read(STDIN_FILENO, buf + used, size - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	*len = used;
	return buf;
}

/* The helper: appends stdin to path in one write. */
static int
child_append(const char *path)
{
	size_t len;
	char *buf = child_read_stdin(&len);
	int fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600)) == -1 ||
	    write(fd, buf, len) != (ssize_t)len)
		return 1;
	close(fd);
	free(buf);
	return 0;
}

/* The helper: adds one to the count in path and returns it. */
static int
child_count(const char *path)
{
	char buf[32] = "";
	int fd, n = 0;

	if ((fd = open(path, O_RDWR | O_CREAT, 0600)) == -1)
		return -1;
	if (read(fd, buf, sizeof buf - 1) > 0)
		n = atoi(buf);
	n++;
	snprintf(buf, sizeof buf, "%d\n", n);
	if (pwrite(fd, buf, strlen(buf), 0) == -1)
		n = -1;
	close(fd);
	return n;
}

/* The helper: writes text to path by rename, so a reader sees all or none. */
static void
child_write(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		_exit(1);
	fputs(text, f);
	fclose(f);
	rename(tmp, path);
}

/* The helper's modes:
 *   append OUT                     stdin appended to OUT, exit 0
 *   fail-first N COUNTER OUT       exit 3 (with two lines on stderr) the
 *                                  first N times, then as append
 *   hang-first COUNTER PIDS OUT    the first time: starts a grandchild,
 *                                  writes "PID GRANDCHILD" to PIDS and
 *                                  sleeps; then as append
 *   fds OUT                        the open descriptors, "0 1 2", to OUT
 *   noread                         exit 0 without reading stdin */
static int
child_main(int argc, char **argv)
{
	char text[64];
	size_t len;
	pid_t grandchild;

	if (argc == 4 && strcmp(argv[2], "append") == 0)
		return child_append(argv[3]);
	if (argc == 6 && strcmp(argv[2], "fail-first") == 0) {
		if (child_count(argv[4]) <= atoi(argv[3])) {
			free(child_read_stdin(&len));
			fprintf(stderr, "boom\tno route\nsecond line\n");
			return 3;
		}
		return child_append(argv[5]);
	}
	if (argc == 6 && strcmp(argv[2], "hang-first") == 0) {
		if (child_count(argv[3]) > 1)
			return child_append(argv[5]);
		if ((grandchild = fork()) == 0) {
			pause();
			_exit(0);
		}
		snprintf(text, sizeof text, "%ld %ld\n", (long)getpid(),
		    (long)grandchild);
		child_write(argv[4], text);
		pause();
		return 0;
	}
	if (argc == 4 && strcmp(argv[2], "fds") == 0) {
		DIR *d = opendir("/proc/self/fd");
		struct dirent *de;
		char list[256] = "";

		while (d != NULL && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
				continue;
			if (strlen(list) + strlen(de->d_name) + 2 < sizeof list) {
				strcat(list, *list != '\0' ? " " : "");
				strcat(list, de->d_name);
			}
		}
		if (d != NULL)
			closedir(d);
		free(child_read_stdin(&len));
		child_write(argv[3], list);
		return 0;
	}
	if (argc == 3 && strcmp(argv[2], "noread") == 0)
		return 0;
	fprintf(stderr, "unknown child mode\n");
	return 2;
}

static int
setup(void **state)
{
	*state = afx_new();
	return 0;
}

static int
teardown(void **state)
{
	afx_free(*state);
	return 0;
}

/* A path in the test's directory; the caller frees. */
static char *
tmp_path(struct afx *fx, const char *name)
{
	char *path;

	xasprintf(&path, "%s/%s", fx->root, name);
	return path;
}

/* An exec sink running the helper with args (at most 5). */
static struct config_sink *
helper_sink(struct afx *fx, const char *name, char **argv, const char *a1,
    const char *a2, const char *a3, const char *a4)
{
	struct config_sink *k = afx_sink(fx, name, CONFIG_SINK_EXEC);
	const char *args[] = { a1, a2, a3, a4 };
	size_t n = 0, i;

	argv[n++] = self;
	argv[n++] = (char *)"--child";
	for (i = 0; i < 4 && args[i] != NULL; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	k->argv = argv;
	return k;
}

static void
assert_out_seqs(const char *path, int64_t first, int64_t last)
{
	int64_t seqs[64];
	size_t n, i;
	char *text = afx_read(path);

	n = afx_seqs(text, seqs, 64);
	if (n != (size_t)(last - first + 1))
		fail_msg("%s: %zu lines:\n%s", path, n, text);
	for (i = 0; i < n; i++)
		assert_int_equal(seqs[i], first + (int64_t)i);
	free(text);
}

static void
test_exec_gets_each_alert_on_stdin_once_in_order(void **state)
{
	struct afx *fx = *state;
	char *argv[8], *out = tmp_path(fx, "out");

	helper_sink(fx, "pager", argv, "append", out, NULL, NULL);
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "b");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	/* flush only started the child: the loop does the rest. */
	assert_true(alert_outbox_busy(fx->outbox) >= 1);
	afx_run_until(fx, afx_idle, NULL);
	assert_out_seqs(out, 1, 3);
	assert_int_equal(afx_cursor(fx, "pager"), 3);
	/* Same lines as the alert log. */
	{
		char *log = afx_read(fx->log_path), *got = afx_read(out);

		assert_string_equal(log, got);
		free(log);
		free(got);
	}
	free(out);
}

static void
test_exec_failure_keeps_alerts_and_retries_until_exit_zero(void **state)
{
	struct afx *fx = *state;
	char *argv[8], *out = tmp_path(fx, "out"), *count = tmp_path(fx, "n");
	char *n;

	helper_sink(fx, "pager", argv, "fail-first", "3", count, out);
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_out_seqs(out, 1, 2);
	n = afx_read(count);
	/* Three failures of seq 1, then one run each. */
	assert_string_equal(n, "5\n");
	free(n);
	free(out);
	free(count);
}

/* Whether a process is gone (reaped); a zombie still counts as there. */
static int
process_gone(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

static void
test_exec_timeout_kills_the_child_and_its_group_and_retries(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	char *argv[8], *out = tmp_path(fx, "out"), *count = tmp_path(fx, "n");
	char *pids = tmp_path(fx, "pids"), *text;
	long pid, grandchild;
	int status;

	/* Orphans of the helper come back to us, so their end is visible. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	k = helper_sink(fx, "pager", argv, "hang-first", count, pids, out);
	k->timeout = 1;
	afx_outbox(fx);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_out_seqs(out, 1, 1);

	text = afx_read(pids);
	assert_int_equal(sscanf(text, "%ld %ld", &pid, &grandchild), 2);
	free(text);
	assert_true(process_gone((pid_t)pid));
	assert_int_equal(waitpid((pid_t)grandchild, &status, 0), grandchild);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	free(out);
	free(count);
	free(pids);
}

static void
test_exec_child_gets_only_stdin_stdout_stderr(void **state)
{
	struct afx *fx = *state;
	char *argv[8], *out = tmp_path(fx, "fds"), *text;

	helper_sink(fx, "pager", argv, "fds", out, NULL, NULL);
	afx_outbox(fx);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	text = afx_read(out);
	assert_string_equal(text, "0 1 2");
	free(text);
	free(out);
}

static void
test_exec_exit_zero_without_reading_stdin_is_delivery(void **state)
{
	struct afx *fx = *state;
	char *argv[8];

	helper_sink(fx, "pager", argv, "noread", NULL, NULL, NULL);
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_int_equal(afx_cursor(fx, "pager"), 2);
}

static void
test_exec_of_a_missing_program_keeps_the_alerts(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	char *argv[] = { (char *)"/nonexistent/wirewatch-pager", NULL };

	k = afx_sink(fx, "pager", CONFIG_SINK_EXEC);
	k->argv = argv;
	afx_outbox(fx);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_for(fx, 100);
	assert_int_equal(afx_cursor(fx, "pager"), 0);
	assert_int_equal(alert_outbox_pending(fx->outbox), 1);
	assert_int_equal(alert_outbox_busy(fx->outbox), 1);
}

static void
test_outbox_free_kills_the_child_in_flight_and_keeps_its_alert(void **state)
{
	struct afx *fx = *state;
	char *argv[8], *out = tmp_path(fx, "out"), *count = tmp_path(fx, "n");
	char *pids = tmp_path(fx, "pids"), *text;
	long pid, grandchild;

	helper_sink(fx, "pager", argv, "hang-first", count, pids, out);
	afx_outbox(fx);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_file_filled, pids);
	afx_outbox_free(fx);

	text = afx_read(pids);
	assert_int_equal(sscanf(text, "%ld %ld", &pid, &grandchild), 2);
	free(text);
	assert_true(process_gone((pid_t)pid));
	assert_int_equal(afx_cursor(fx, "pager"), 0);

	/* The next start delivers it. */
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_out_seqs(out, 1, 1);
	free(out);
	free(count);
	free(pids);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_exec_gets_each_alert_on_stdin_once_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exec_failure_keeps_alerts_and_retries_until_exit_zero,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exec_timeout_kills_the_child_and_its_group_and_retries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exec_child_gets_only_stdin_stdout_stderr,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exec_exit_zero_without_reading_stdin_is_delivery,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_exec_of_a_missing_program_keeps_the_alerts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_outbox_free_kills_the_child_in_flight_and_keeps_its_alert,
		    setup, teardown),
	};
	ssize_t n;

	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argc, argv);
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return 1;
	self[n] = '\0';
	/* As the daemon does: a child that does not read its stdin must
	 * not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	log_init(LOG_STYLE_TOOL, "test_alert_exec", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
