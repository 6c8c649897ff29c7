/* test_alert_file.c: the file sink — appends, exactly once across a crash, torn lines, reopening, failures. */
#include <sys/stat.h>

#include <fcntl.h>
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

/* Asserts that the file at path holds exactly the seqs first..last, one
 * line each, in order. */
static void
assert_seqs(const char *path, int64_t first, int64_t last)
{
	int64_t seqs[4096];
	size_t n, i;
	char *text;

	text = afx_read(path);
	n = afx_seqs(text, seqs, 4096);
	if (n != (size_t)(last - first + 1))
		fail_msg("%s: %zu lines, expected %lld:\n%s", path, n,
		    (long long)(last - first + 1), text);
	for (i = 0; i < n && i < 4096; i++)
		assert_int_equal(seqs[i], first + (int64_t)i);
	free(text);
}

/* Appends raw bytes to a file, creating it if need be. */
static void
append_raw(const char *path, const char *bytes)
{
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
	close(fd);
}

static void
test_alert_log_is_created_with_its_directory_and_gets_each_alert_once(
    void **state)
{
	struct afx *fx = *state;
	struct stat st;

	afx_outbox(fx);
	assert_int_equal(stat(fx->log_path, &st), 0);
	assert_int_equal(st.st_size, 0);

	afx_insert(fx, "a");
	afx_insert(fx, "b");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	/* Written and synced inside flush: nothing waits for the loop. */
	assert_seqs(fx->log_path, 1, 3);
	assert_int_equal(afx_cursor(fx, "log"), 3);

	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_seqs(fx->log_path, 1, 3);

	afx_insert(fx, "c");
	alert_outbox_flush(fx->outbox);
	assert_seqs(fx->log_path, 1, 4);
	assert_int_equal(alert_outbox_pending(fx->outbox), 0);
}

static void
test_crash_between_write_and_cursor_writes_no_alert_twice(void **state)
{
	struct afx *fx = *state;

	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	assert_seqs(fx->log_path, 1, 3);
	afx_outbox_free(fx);

	/* The crash: lines written and synced, the cursor never saved. */
	assert_int_equal(store_sink_cursor_save(fx->store, "log", 1, NULL), 0);
	afx_insert(fx, "a");

	afx_outbox(fx);
	assert_int_equal(afx_cursor(fx, "log"), 3);
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_seqs(fx->log_path, 1, 4);
}

static void
test_torn_last_line_is_cut_and_its_alert_written_whole(void **state)
{
	struct afx *fx = *state;
	char *text;

	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_outbox_free(fx);

	/* The crash: seq 3 stored, its line cut short mid-write. */
	afx_insert(fx, "a");
	append_raw(fx->log_path, "{\"seq\":3,\"time\":\"2026-");

	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	assert_seqs(fx->log_path, 1, 3);
	text = afx_read(fx->log_path);
	assert_null(strstr(text, "\"2026-{"));
	assert_int_equal(text[strlen(text) - 1], '\n');
	free(text);
}

static void
test_torn_line_alone_in_the_file_is_cut(void **state)
{
	struct afx *fx = *state;
	int fd;

	assert_int_equal(util_mkdir_p(fx->root), 0);
	xasprintf(&fx->conf.alert_log, "%s/torn.jsonl", fx->root);
	fd = open(fx->conf.alert_log, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "{\"seq\":1,", 9), 9);
	close(fd);
	afx_insert(fx, "a");
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	assert_seqs(fx->conf.alert_log, 1, 1);
	free(fx->conf.alert_log);
	fx->conf.alert_log = fx->log_path;
}

static void
test_reload_reopens_the_log_after_logrotate_renamed_it(void **state)
{
	struct afx *fx = *state;
	char *rotated, *cause = NULL;

	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	xasprintf(&rotated, "%s.1", fx->log_path);
	assert_int_equal(rename(fx->log_path, rotated), 0);

	if (alert_outbox_reconfigure(fx->outbox, &fx->conf, &cause) != 0)
		fail_msg("reconfigure: %s", cause);
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_seqs(rotated, 1, 2);
	assert_seqs(fx->log_path, 3, 3);
	free(rotated);
}

static void
test_backlog_beyond_one_write_goes_out_whole_and_in_order(void **state)
{
	struct afx *fx = *state;
	int i;

	assert_int_equal(store_batch_begin(fx->store, NULL), 0);
	for (i = 0; i < 2500; i++)
		afx_insert(fx, "a");
	assert_int_equal(store_batch_commit(fx->store, NULL), 0);
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	/* One write of ALERT_MESSAGE_MAX lines per loop turn. */
	assert_seqs(fx->log_path, 1, ALERT_MESSAGE_MAX);
	afx_run_until(fx, afx_idle, NULL);
	assert_seqs(fx->log_path, 1, 2500);
	assert_int_equal(afx_cursor(fx, "log"), 2500);
}

static void
test_failing_file_keeps_its_alerts_until_it_can_write(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	char *good, *cause = NULL;

	k = afx_sink(fx, "archive", CONFIG_SINK_FILE);
	k->path = "/dev/full";
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_for(fx, 100);
	/* The log took them; the archive failed, retried, kept them. */
	assert_seqs(fx->log_path, 1, 2);
	assert_int_equal(afx_cursor(fx, "archive"), 0);
	assert_int_equal(alert_outbox_pending(fx->outbox), 2);
	assert_int_equal(alert_outbox_busy(fx->outbox), 1);

	xasprintf(&good, "%s/archive.jsonl", fx->root);
	k->path = good;
	if (alert_outbox_reconfigure(fx->outbox, &fx->conf, &cause) != 0)
		fail_msg("reconfigure: %s", cause);
	afx_run_until(fx, afx_idle, NULL);
	assert_seqs(good, 1, 2);
	assert_int_equal(afx_cursor(fx, "archive"), 2);
	free(good);
}

static void
test_log_from_another_database_does_not_skip_alerts(void **state)
{
	struct afx *fx = *state;

	assert_int_equal(util_mkdir_p(fx->root), 0);
	xasprintf(&fx->conf.alert_log, "%s/old.jsonl", fx->root);
	afx_outbox(fx);
	afx_outbox_free(fx);
	append_raw(fx->conf.alert_log, "{\"seq\":50}\n");
	afx_insert(fx, "a");
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	assert_int_equal(afx_cursor(fx, "log"), 1);
	free(fx->conf.alert_log);
	fx->conf.alert_log = fx->log_path;
}

static void
test_log_directory_that_cannot_be_created_is_an_error(void **state)
{
	struct afx *fx = *state;
	struct alert_outbox *o;
	char *blocker, *cause = NULL;

	assert_int_equal(util_mkdir_p(fx->root), 0);
	xasprintf(&blocker, "%s/file", fx->root);
	append_raw(blocker, "");
	xasprintf(&fx->conf.alert_log, "%s/file/sub/alerts.jsonl", fx->root);
	o = alert_outbox_new(fx->base, fx->store, NULL, &fx->conf, &cause);
	assert_null(o);
	assert_non_null(strstr(cause, "sink \"log\": cannot create directory"));
	free(cause);
	free(blocker);
	free(fx->conf.alert_log);
	fx->conf.alert_log = fx->log_path;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_alert_log_is_created_with_its_directory_and_gets_each_alert_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_crash_between_write_and_cursor_writes_no_alert_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_torn_last_line_is_cut_and_its_alert_written_whole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_torn_line_alone_in_the_file_is_cut,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_reopens_the_log_after_logrotate_renamed_it,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backlog_beyond_one_write_goes_out_whole_and_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_failing_file_keeps_its_alerts_until_it_can_write,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_log_from_another_database_does_not_skip_alerts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_log_directory_that_cannot_be_created_is_an_error,
		    setup, teardown),
	};

	log_init(LOG_STYLE_TOOL, "test_alert_file", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
