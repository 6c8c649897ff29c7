/* alert.c: the alert outbox — alerts in seq order, and each sink's cursor into them. */

/*
 * An alert's seq is the row id of an AUTOINCREMENT table: SQLite keeps the
 * largest id it ever handed out in sqlite_sequence and never goes below
 * it, so a seq is not reused even when the newest rows are deleted (a
 * plain INTEGER PRIMARY KEY would hand out max(rowid) + 1 again). The
 * insert joins whatever transaction is open, which is how an alert becomes
 * atomic with the story change that causes it.
 *
 * The listings walk the row id (seq) range, never the time index: sinks
 * read the few rows beyond their cursor, and the command reads the newest.
 */
#include <stdint.h>
#include <string.h>

#include "common/common.h"
#include "store/store_internal.h"

#define STORE_ALERT_COLUMNS \
	"seq, time, type, watch, story_id, body"

/* The filters, shared by both orders; ?5 is the limit, -1 for none. */
#define STORE_ALERT_WHERE						\
	" WHERE seq > ?1 AND time >= ?2"				\
	" AND (?3 IS NULL OR watch = ?3) AND (?4 IS NULL OR type = ?4)"

int
store_alert_insert(struct store *s, const char *type, const char *watch,
    int64_t story_id, const char *body, int64_t now, int64_t *seq,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_ALERT_INSERT, "INSERT INTO alerts"
	    " (time, type, watch, story_id, body)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	store_bind_text(stmt, 2, type);
	store_bind_text(stmt, 3, watch);
	if (story_id > 0)
		sqlite3_bind_int64(stmt, 4, story_id);
	else
		sqlite3_bind_null(stmt, 4);
	store_bind_text(stmt, 5, body);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE)
		*seq = sqlite3_last_insert_rowid(s->db);
	else
		store_fail(s, cause, "inserting an alert");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Fills an alert from the current row; its strings stay the statement's. */
static void
store_alert_row(sqlite3_stmt *stmt, struct store_alert *a)
{
	const unsigned char *text;

	memset(a, 0, sizeof *a);
	a->seq = sqlite3_column_int64(stmt, 0);
	a->time = sqlite3_column_int64(stmt, 1);
	text = sqlite3_column_text(stmt, 2);
	a->type = text != NULL ? (const char *)text : "";
	text = sqlite3_column_text(stmt, 3);
	a->watch = text != NULL ? (const char *)text : "";
	a->story_id = sqlite3_column_int64(stmt, 4);
	text = sqlite3_column_text(stmt, 5);
	a->body = text != NULL ? (const char *)text : "{}";
}

int
store_alert_list(struct store *s, const struct store_alert_query *q,
    int (*cb)(const struct store_alert *, void *), void *arg, char **cause)
{
	struct store_alert a;
	sqlite3_stmt *stmt;
	int rc;

	if (q->newest)
		stmt = store_stmt(s, STORE_STMT_ALERT_LIST_NEWEST, "SELECT "
		    STORE_ALERT_COLUMNS " FROM alerts" STORE_ALERT_WHERE
		    " ORDER BY seq DESC LIMIT ?5", cause);
	else
		stmt = store_stmt(s, STORE_STMT_ALERT_LIST_OLDEST, "SELECT "
		    STORE_ALERT_COLUMNS " FROM alerts" STORE_ALERT_WHERE
		    " ORDER BY seq LIMIT ?5", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, q->after_seq);
	sqlite3_bind_int64(stmt, 2, q->since);
	store_bind_text(stmt, 3, q->watch);
	store_bind_text(stmt, 4, q->type);
	sqlite3_bind_int64(stmt, 5, q->limit > 0 && q->limit <= INT64_MAX ?
	    (int64_t)q->limit : -1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_alert_row(stmt, &a);
		if (cb(&a, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		store_fail(s, cause, "listing alerts");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* sqlite_sequence holds the largest seq handed out, deleted rows included;
 * max(seq) covers a table whose sequence row was lost (a copy of the rows
 * into a fresh database, say), so the answer is never below a stored seq. */
int
store_alert_last_seq(struct store *s, int64_t *seq, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_ALERT_LAST_SEQ, "SELECT max("
	    " coalesce((SELECT seq FROM sqlite_sequence"
	    "  WHERE name = 'alerts'), 0),"
	    " coalesce((SELECT max(seq) FROM alerts), 0))", cause);
	if (stmt == NULL)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*seq = sqlite3_column_int64(stmt, 0);
	else
		store_fail(s, cause, "reading the last alert");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_sink_cursor_load(struct store *s, const char *sink, int64_t *cursor,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_SINK_CURSOR_LOAD, "SELECT cursor"
	    " FROM sinks WHERE name = ?1", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, sink);
	*cursor = -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*cursor = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_fail(s, cause, "reading a sink's cursor");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_sink_cursor_save(struct store *s, const char *sink, int64_t cursor,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_SINK_CURSOR_SAVE, "INSERT INTO sinks"
	    " (name, cursor) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, sink);
	sqlite3_bind_int64(stmt, 2, cursor);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "saving a sink's cursor");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}
