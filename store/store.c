/* store.c: opening the SQLite state database, its statement cache and transactions. */

/*
 * One database, state_dir/wirewatch.db, written by the daemon and read by
 * the wirewatch command at the same time. That is what WAL mode is for:
 * readers see the last committed state and never block the writer, nor it
 * them. The daemon's connection sets
 *
 *   synchronous = NORMAL: in WAL mode a commit is then not fsync'ed, only
 *     each checkpoint is. The database cannot be corrupted by a crash; a
 *     power cut may lose the last transactions, which for us means polling
 *     those feeds once more. FULL would fsync every poll's commit.
 *   busy_timeout: waits up to STORE_BUSY_MS for a lock (another writer, a
 *     checkpoint) instead of failing at once.
 *   foreign_keys: items must belong to a feed.
 *   persistent WAL: the -wal and -shm files stay when the daemon exits, so
 *     the command can still open the database read-only as a user who may
 *     not create files in the state directory (SQLite needs them to read a
 *     WAL database); journal_size_limit truncates the WAL when it resets.
 *   temp_store = MEMORY: each poll in a batch is a savepoint, and SQLite
 *     keeps the pages a savepoint changed in a sub-journal that otherwise
 *     spills to a temporary file beyond 64 KiB: in the first poll of 2,000
 *     feeds that was 120,000 writes to /var/tmp. A poll's savepoint holds
 *     at most the pages its items touch (up to parse's 5,000 items).
 *
 * Left at SQLite's defaults after measuring the first poll of 2,000 and
 * 10,000 feeds in batches: cache_size (8 MiB instead of 2 saved nothing
 * measurable, for 7 MiB more memory), page_size (16 KiB saved about 5%,
 * only for new databases, and makes every edited item rewrite four times
 * the bytes), wal_autocheckpoint (4,000 pages instead of 1,000 saved
 * nothing: a batch's pages reach the WAL about once each already).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "store/store_internal.h"

#define STORE_FILE		"wirewatch.db"
#define STORE_BUSY_MS		5000
#define STORE_WAL_LIMIT		(16 * 1024 * 1024)

sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt_id id, const char *sql,
    char **cause)
{
	if (s->stmts[id] != NULL)
		return s->stmts[id];
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->stmts[id], NULL) != SQLITE_OK) {
		store_fail(s, cause, "preparing a statement");
		s->stmts[id] = NULL;
	}
	return s->stmts[id];
}

void
store_stmt_done(sqlite3_stmt *stmt)
{
	if (stmt == NULL)
		return;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

int
store_bind_text(sqlite3_stmt *stmt, int n, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(stmt, n);
	return sqlite3_bind_text(stmt, n, text, -1, SQLITE_STATIC);
}

char *
store_column_strdup(sqlite3_stmt *stmt, int n)
{
	const unsigned char *text;

	if ((text = sqlite3_column_text(stmt, n)) == NULL)
		return NULL;
	return xstrdup((const char *)text);
}

int
store_fail(struct store *s, char **cause, const char *what)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s: %s", s->path, what,
		    sqlite3_errmsg(s->db));
	return -1;
}

int
store_check_writable(struct store *s, char **cause)
{
	if (s->mode == STORE_READ_WRITE)
		return 0;
	if (cause != NULL)
		xasprintf(cause, "%s: opened read-only", s->path);
	return -1;
}

/* Runs one of the transaction statements. */
static int
store_exec_cached(struct store *s, enum store_stmt_id id, const char *sql,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, id, sql, cause)) == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE)
		store_fail(s, cause, sql);
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_check_batch(struct store *s, char **cause)
{
	if (!s->batch || !sqlite3_get_autocommit(s->db))
		return 0;
	if (cause != NULL)
		xasprintf(cause, "%s: the batch in progress was rolled back "
		    "by an earlier error", s->path);
	return -1;
}

int
store_begin(struct store *s, char **cause)
{
	if (!s->batch)
		return store_exec_cached(s, STORE_STMT_BEGIN,
		    "BEGIN IMMEDIATE", cause);
	if (store_check_batch(s, cause) != 0)
		return -1;
	return store_exec_cached(s, STORE_STMT_SAVEPOINT, "SAVEPOINT unit",
	    cause);
}

int
store_commit(struct store *s, char **cause)
{
	if (!s->batch)
		return store_exec_cached(s, STORE_STMT_COMMIT, "COMMIT", cause);
	return store_exec_cached(s, STORE_STMT_RELEASE, "RELEASE unit", cause);
}

void
store_rollback(struct store *s)
{
	/* Nothing to undo when an error already ended the transaction (in
	 * a batch, store_check_batch reports that from now on). */
	if (sqlite3_get_autocommit(s->db))
		return;
	if (!s->batch) {
		if (store_exec_cached(s, STORE_STMT_ROLLBACK, "ROLLBACK",
		    NULL) != 0)
			log_warnx("%s: rollback failed: %s", s->path,
			    sqlite3_errmsg(s->db));
		return;
	}
	/* ROLLBACK TO undoes the savepoint's writes but keeps it open. */
	if (store_exec_cached(s, STORE_STMT_ROLLBACK_TO, "ROLLBACK TO unit",
	    NULL) != 0 || store_exec_cached(s, STORE_STMT_RELEASE,
	    "RELEASE unit", NULL) != 0)
		log_warnx("%s: rollback to savepoint failed: %s", s->path,
		    sqlite3_errmsg(s->db));
}

/*
 * A batch is one transaction around many units (see store.h for why). It
 * takes the write lock at once, like any unit would. Committing it is
 * where a full disk or an I/O error shows; the batch is then rolled back
 * whole, so the caller knows exactly what is lost: all of it.
 */
int
store_batch_begin(struct store *s, char **cause)
{
	if (store_check_writable(s, cause) != 0)
		return -1;
	if (s->batch) {
		xasprintf(cause, "%s: a batch is already open", s->path);
		return -1;
	}
	if (store_begin(s, cause) != 0)
		return -1;
	s->batch = 1;
	return 0;
}

int
store_batch_commit(struct store *s, char **cause)
{
	if (!s->batch) {
		xasprintf(cause, "%s: no batch is open", s->path);
		return -1;
	}
	if (store_check_batch(s, cause) != 0) {
		s->batch = 0;
		return -1;
	}
	s->batch = 0;
	if (store_commit(s, cause) == 0)
		return 0;
	store_rollback(s);
	return -1;
}

void
store_batch_rollback(struct store *s)
{
	if (!s->batch)
		return;
	s->batch = 0;
	store_rollback(s);
}

/* Runs a pragma whose result, if any, does not matter. */
static int
store_pragma(struct store *s, const char *sql, char **cause)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, cause, sql);
	return 0;
}

/* Switches the database to WAL mode; SQLite answers with the mode it is in,
 * which stays "delete" where WAL is impossible (some network file systems). */
static int
store_set_wal(struct store *s, char **cause)
{
	sqlite3_stmt *stmt;
	const char *mode;
	int ok;

	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &stmt,
	    NULL) != SQLITE_OK)
		return store_fail(s, cause, "journal_mode");
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_fail(s, cause, "journal_mode");
		sqlite3_finalize(stmt);
		return -1;
	}
	mode = (const char *)sqlite3_column_text(stmt, 0);
	ok = mode != NULL && strcmp(mode, "wal") == 0;
	if (!ok && cause != NULL)
		xasprintf(cause, "%s: cannot use WAL mode (journal mode "
		    "stays \"%s\")", s->path, mode != NULL ? mode : "");
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* Sets up the daemon's connection and brings the schema up to date. */
static int
store_setup_read_write(struct store *s, char **cause)
{
	char sql[64];
	int on = 1;

	if (store_set_wal(s, cause) != 0)
		return -1;
	if (store_pragma(s, "PRAGMA synchronous = NORMAL", cause) != 0 ||
	    store_pragma(s, "PRAGMA foreign_keys = ON", cause) != 0 ||
	    store_pragma(s, "PRAGMA temp_store = MEMORY", cause) != 0)
		return -1;
	snprintf(sql, sizeof sql, "PRAGMA journal_size_limit = %d",
	    STORE_WAL_LIMIT);
	if (store_pragma(s, sql, cause) != 0)
		return -1;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	return store_schema_migrate(s->db, s->path, cause);
}

/* Checks that a database opened read-only has exactly our schema: the
 * command cannot migrate, and must not guess at another version's tables. */
static int
store_setup_read_only(struct store *s, char **cause)
{
	int version;

	if (store_pragma(s, "PRAGMA query_only = ON", cause) != 0)
		return -1;
	if (store_schema_read(s->db, s->path, &version, cause) != 0)
		return -1;
	if (version == 0) {
		xasprintf(cause, "no state yet at %s (has wirewatchd run?)",
		    s->path);
		return -1;
	}
	if (version > store_schema_version()) {
		xasprintf(cause, "%s: schema version %d is newer than this "
		    "wirewatch understands (%d); upgrade wirewatch", s->path,
		    version, store_schema_version());
		return -1;
	}
	if (version < store_schema_version()) {
		xasprintf(cause, "%s: schema version %d is older than this "
		    "wirewatch's (%d); start wirewatchd to upgrade it",
		    s->path, version, store_schema_version());
		return -1;
	}
	return 0;
}

/* Opens the file; read-only opening of a missing database gets its own
 * message, since that is the normal state before the first poll. */
static int
store_open_file(struct store *s, const char *state_dir, char **cause)
{
	struct stat st;
	int flags;

	if (s->mode == STORE_READ_WRITE) {
		if (util_mkdir_p(state_dir) != 0) {
			xasprintf(cause, "cannot create state directory %s: %s",
			    state_dir, strerror(errno));
			return -1;
		}
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else {
		if (stat(s->path, &st) == -1) {
			if (errno == ENOENT)
				xasprintf(cause, "no state yet at %s (has "
				    "wirewatchd run?)", s->path);
			else
				xasprintf(cause, "%s: %s", s->path,
				    strerror(errno));
			return -1;
		}
		flags = SQLITE_OPEN_READONLY;
	}
	/* One connection is used by one thread: no mutexes needed. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK) {
		if (s->db == NULL)
			xasprintf(cause, "%s: out of memory", s->path);
		else
			xasprintf(cause, "%s: %s", s->path,
			    sqlite3_errmsg(s->db));
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	return 0;
}

/* SQLite reads a WAL database only with its -shm file, and creates it if
 * missing; a user who may not create files in the state directory then
 * gets "attempt to write a readonly database". Say what is really wrong. */
static void
store_explain_read_only(struct store *s, char **cause)
{
	char *shm;
	int code;

	code = sqlite3_errcode(s->db) & 0xff;
	if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN)
		return;
	xasprintf(&shm, "%s-shm", s->path);
	if (access(shm, F_OK) == -1 && errno == ENOENT) {
		free(*cause);
		xasprintf(cause, "%s: cannot be read without its -wal and -shm "
		    "files, which this user may not create (start wirewatchd, "
		    "or run as its user)", s->path);
	}
	free(shm);
}

struct store *
store_open(const char *state_dir, enum store_mode mode, char **cause)
{
	struct store *s;
	int rc;

	s = xcalloc(1, sizeof *s);
	s->mode = mode;
	xasprintf(&s->path, "%s/%s", state_dir, STORE_FILE);
	if (store_open_file(s, state_dir, cause) != 0) {
		store_close(s);
		return NULL;
	}
	if (mode == STORE_READ_WRITE)
		rc = store_setup_read_write(s, cause);
	else if ((rc = store_setup_read_only(s, cause)) != 0)
		store_explain_read_only(s, cause);
	if (rc != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_close(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	/* A batch is durable only when committed. */
	store_batch_rollback(s);
	for (i = 0; i < STORE_STMT_MAX; i++)
		sqlite3_finalize(s->stmts[i]);
	if (s->db != NULL) {
		/* SQLite's advice for long-lived connections: let it
		 * refresh the planner's statistics where they went stale. */
		if (s->mode == STORE_READ_WRITE)
			sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL,
			    NULL);
		if (sqlite3_close(s->db) != SQLITE_OK)
			log_warnx("%s: close: %s", s->path,
			    sqlite3_errmsg(s->db));
	}
	free(s->path);
	free(s);
}

int
store_count(struct store *s, int64_t *feeds, int64_t *items)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_COUNT, "SELECT"
	    " (SELECT count(*) FROM feeds), (SELECT count(*) FROM items)",
	    NULL);
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*feeds = sqlite3_column_int64(stmt, 0);
		*items = sqlite3_column_int64(stmt, 1);
	}
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}
