/* test_store_alert.c: the alert outbox in a real SQLite database — seqs, listings, sink cursors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/common.h"
#include "store/store.h"

struct fixture {
	char	 root[64];
	char	*db_path;
};

static int
fixture_setup(void **state)
{
	struct fixture *f;

	f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/ww-test-store-alert-XXXXXX");
	if (mkdtemp(f->root) == NULL)
		return -1;
	xasprintf(&f->db_path, "%s/wirewatch.db", f->root);
	*state = f;
	return 0;
}

static int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	char *path;
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&path, "%s%s", f->db_path, suffix[i]);
		unlink(path);
		free(path);
	}
	rmdir(f->root);
	free(f->db_path);
	free(f);
	return 0;
}

static struct store *
open_store(struct fixture *f, enum store_mode mode)
{
	struct store *s;
	char *cause = NULL;

	if ((s = store_open(f->root, mode, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	return s;
}

/* Inserts an alert and returns its seq. */
static int64_t
insert(struct store *s, const char *type, const char *watch, int64_t now)
{
	char *cause = NULL;
	int64_t seq = 0;

	if (store_alert_insert(s, type, watch, 7, "{\"story\":{\"id\":\"7\"}}",
	    now, &seq, &cause) != 0)
		fail_msg("store_alert_insert: %s", cause);
	return seq;
}

/* Runs SQL on the database from a second connection, as a person might. */
static void
exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* What a listing saw, in order. */
struct seen {
	int64_t	 seq[64];
	size_t	 n;
	size_t	 stop_after;	/* cb asks to stop after this many; 0 never */
};

static int
seen_cb(const struct store_alert *a, void *arg)
{
	struct seen *sn = arg;

	assert_true(sn->n < 64);
	assert_non_null(a->type);
	assert_non_null(a->watch);
	assert_non_null(a->body);
	sn->seq[sn->n++] = a->seq;
	return sn->stop_after != 0 && sn->n == sn->stop_after;
}

static void
list(struct store *s, const struct store_alert_query *q, struct seen *sn)
{
	char *cause = NULL;

	sn->n = 0;
	if (store_alert_list(s, q, seen_cb, sn, &cause) != 0)
		fail_msg("store_alert_list: %s", cause);
}

static void
test_seq_rises_by_one_from_one(void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	int64_t last = -1;
	int i;

	assert_int_equal(store_alert_last_seq(s, &last, NULL), 0);
	assert_int_equal(last, 0);
	for (i = 1; i <= 5; i++)
		assert_int_equal(insert(s, "new_story", "w", 1000 + i), i);
	assert_int_equal(store_alert_last_seq(s, &last, NULL), 0);
	assert_int_equal(last, 5);
	store_close(s);
}

static void
test_seq_is_never_reused_after_the_newest_rows_are_deleted(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_store(f, STORE_READ_WRITE);
	int64_t last;

	insert(s, "new_story", "w", 1000);
	insert(s, "new_story", "w", 1001);
	insert(s, "new_story", "w", 1002);
	store_close(s);
	exec_sql(f, "DELETE FROM alerts WHERE seq >= 2");

	s = open_store(f, STORE_READ_WRITE);
	assert_int_equal(store_alert_last_seq(s, &last, NULL), 0);
	assert_int_equal(last, 3);
	assert_int_equal(insert(s, "new_story", "w", 1003), 4);
	store_close(s);
}

static void
test_seq_is_not_taken_by_a_rolled_back_batch_that_committed_nothing(
    void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	int64_t last;

	insert(s, "new_story", "w", 1000);
	assert_int_equal(store_batch_begin(s, NULL), 0);
	insert(s, "new_story", "w", 1001);
	store_batch_rollback(s);
	assert_int_equal(store_alert_last_seq(s, &last, NULL), 0);
	assert_int_equal(last, 1);
	/* Nobody saw seq 2: handing it out again is right. */
	assert_int_equal(insert(s, "new_story", "w", 1002), 2);
	store_close(s);
}

/* Checks each column of the one alert stored. */
static int
columns_cb(const struct store_alert *a, void *arg)
{
	int *calls = arg;

	(*calls)++;
	assert_int_equal(a->seq, 1);
	assert_int_equal(a->time, 1234);
	assert_string_equal(a->type, "new_story");
	assert_string_equal(a->watch, "gaza-talks");
	assert_int_equal(a->story_id, 42);
	assert_string_equal(a->body, "{\"story\":{\"id\":\"42\"}}");
	return 0;
}

static void
test_alert_columns_come_back_as_stored(void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	struct store_alert_query q = { 0 };
	int64_t seq;
	int calls = 0;

	assert_int_equal(store_alert_insert(s, "new_story", "gaza-talks", 42,
	    "{\"story\":{\"id\":\"42\"}}", 1234, &seq, NULL), 0);
	assert_int_equal(store_alert_list(s, &q, columns_cb, &calls, NULL), 0);
	assert_int_equal(calls, 1);
	store_close(s);
}

static void
test_list_filters_by_seq_time_watch_and_type(void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	struct store_alert_query q;
	struct seen sn = { .n = 0 };

	insert(s, "new_story", "a", 100);	/* 1 */
	insert(s, "new_person", "a", 200);	/* 2 */
	insert(s, "new_story", "b", 300);	/* 3 */
	insert(s, "new_claim", "b", 400);	/* 4 */
	insert(s, "new_story", "a", 500);	/* 5 */

	memset(&q, 0, sizeof q);
	q.after_seq = 2;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 3);
	assert_int_equal(sn.seq[0], 3);
	assert_int_equal(sn.seq[2], 5);

	memset(&q, 0, sizeof q);
	q.since = 300;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 3);
	assert_int_equal(sn.seq[0], 3);

	memset(&q, 0, sizeof q);
	q.watch = "a";
	list(s, &q, &sn);
	assert_int_equal(sn.n, 3);
	assert_int_equal(sn.seq[1], 2);

	memset(&q, 0, sizeof q);
	q.type = "new_story";
	q.watch = "a";
	list(s, &q, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(sn.seq[0], 1);
	assert_int_equal(sn.seq[1], 5);

	memset(&q, 0, sizeof q);
	q.type = "new_nothing";
	list(s, &q, &sn);
	assert_int_equal(sn.n, 0);
	store_close(s);
}

static void
test_list_limit_takes_the_oldest_or_the_newest(void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	struct store_alert_query q;
	struct seen sn = { .n = 0 };
	int i;

	for (i = 0; i < 6; i++)
		insert(s, "new_story", "w", 100 + i);
	memset(&q, 0, sizeof q);
	q.limit = 2;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(sn.seq[0], 1);
	assert_int_equal(sn.seq[1], 2);

	q.newest = 1;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(sn.seq[0], 6);
	assert_int_equal(sn.seq[1], 5);
	store_close(s);
}

static void
test_list_stops_when_the_callback_asks(void **state)
{
	struct store *s = open_store(*state, STORE_READ_WRITE);
	struct store_alert_query q = { 0 };
	struct seen sn = { .n = 0 };
	int i;

	for (i = 0; i < 5; i++)
		insert(s, "new_story", "w", 100 + i);
	sn.stop_after = 2;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 2);
	/* The statement is reset: the next listing starts afresh. */
	sn.stop_after = 0;
	list(s, &q, &sn);
	assert_int_equal(sn.n, 5);
	store_close(s);
}

static void
test_cursor_of_an_unknown_sink_is_minus_one_and_a_saved_one_persists(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_store(f, STORE_READ_WRITE);
	int64_t cursor = -1;

	assert_int_equal(store_sink_cursor_load(s, "log", &cursor, NULL), 0);
	assert_int_equal(cursor, -1);
	assert_int_equal(store_sink_cursor_save(s, "log", 17, NULL), 0);
	assert_int_equal(store_sink_cursor_save(s, "pager", 3, NULL), 0);
	assert_int_equal(store_sink_cursor_save(s, "log", 18, NULL), 0);
	store_close(s);

	s = open_store(f, STORE_READ_ONLY);
	assert_int_equal(store_sink_cursor_load(s, "log", &cursor, NULL), 0);
	assert_int_equal(cursor, 18);
	assert_int_equal(store_sink_cursor_load(s, "pager", &cursor, NULL), 0);
	assert_int_equal(cursor, 3);
	store_close(s);
}

static void
test_read_only_store_lists_but_refuses_writes(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_store(f, STORE_READ_WRITE);
	struct store_alert_query q = { 0 };
	struct seen sn = { .n = 0 };
	char *cause = NULL;
	int64_t seq, last;

	insert(s, "new_story", "w", 100);
	store_close(s);

	s = open_store(f, STORE_READ_ONLY);
	list(s, &q, &sn);
	assert_int_equal(sn.n, 1);
	assert_int_equal(store_alert_last_seq(s, &last, NULL), 0);
	assert_int_equal(last, 1);
	assert_int_equal(store_alert_insert(s, "new_story", "w", 0, "{}", 1,
	    &seq, &cause), -1);
	assert_non_null(strstr(cause, "read-only"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_sink_cursor_save(s, "log", 1, &cause), -1);
	free(cause);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_seq_rises_by_one_from_one,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_seq_is_never_reused_after_the_newest_rows_are_deleted,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_seq_is_not_taken_by_a_rolled_back_batch_that_committed_nothing,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_alert_columns_come_back_as_stored,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_list_filters_by_seq_time_watch_and_type,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_list_limit_takes_the_oldest_or_the_newest,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_list_stops_when_the_callback_asks,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cursor_of_an_unknown_sink_is_minus_one_and_a_saved_one_persists,
		    fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
		    test_read_only_store_lists_but_refuses_writes,
		    fixture_setup, fixture_teardown),
	};

	log_init(LOG_STYLE_TOOL, "test_store_alert", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
