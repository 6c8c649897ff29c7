/* store/store_internal.h: what the files of store/ share; nothing outside store/ includes it. */
#ifndef WW_STORE_INTERNAL_H
#define WW_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* Every statement the store runs more than once, prepared on first use and
 * kept for the life of the connection: preparing costs more than running
 * most of them. */
enum store_stmt_id {
	STORE_STMT_BEGIN,
	STORE_STMT_COMMIT,
	STORE_STMT_ROLLBACK,
	STORE_STMT_SAVEPOINT,
	STORE_STMT_RELEASE,
	STORE_STMT_ROLLBACK_TO,
	STORE_STMT_FEED_INSERT,
	STORE_STMT_FEED_RESET,
	STORE_STMT_FEED_SELECT,
	STORE_STMT_FEED_UPDATE,
	STORE_STMT_FEED_LIST,
	STORE_STMT_ITEM_NONE,
	STORE_STMT_ITEM_UPSERT,
	STORE_STMT_ITEM_FIND,
	STORE_STMT_ITEM_INSERT,
	STORE_STMT_ITEM_UPDATE,
	STORE_STMT_ITEM_LIST_ALL,
	STORE_STMT_ITEM_LIST_FEED,
	STORE_STMT_COUNT,
	/* stories */
	STORE_STMT_STORY_INSERT,
	STORE_STMT_STORY_ITEM_SET,
	STORE_STMT_STORY_TOUCH,
	STORE_STMT_STORY_OF_ITEM,
	STORE_STMT_STORY_UPDATE,
	STORE_STMT_STORY_WATCH_ADD,
	STORE_STMT_STORY_SIGNATURES,
	STORE_STMT_STORY_GET,
	STORE_STMT_STORY_SOURCES,
	STORE_STMT_STORY_COUNT,
	/* translation */
	STORE_STMT_STORY_WATCH_HELD,
	STORE_STMT_STORY_WATCH_RELEASE,
	STORE_STMT_STORY_WATCH_COUNT,
	STORE_STMT_TRANSLATE_REQUEST,
	STORE_STMT_TRANSLATE_PENDING,
	STORE_STMT_TRANSLATE_DUE,
	STORE_STMT_TRANSLATE_NEXT,
	STORE_STMT_TRANSLATED,
	STORE_STMT_TRANSLATE_RETRY,
	STORE_STMT_TRANSLATE_GIVE_UP,
	STORE_STMT_TRANSLATION_GET,
	STORE_STMT_TRANSLATION_PUT,
	STORE_STMT_TRANSLATE_STATS_ADD,
	STORE_STMT_TRANSLATE_STATS_LIST,
	/* the extract stage's registries */
	STORE_STMT_PERSON_CANDIDATES,
	STORE_STMT_PERSON_INSERT,
	STORE_STMT_PERSON_UPDATE,
	STORE_STMT_PERSON_LIST,
	STORE_STMT_CLAIM_RECENT,
	STORE_STMT_CLAIM_INSERT,
	STORE_STMT_CLAIM_REPEAT,
	STORE_STMT_CLAIM_LIST,
	/* alerts */
	STORE_STMT_ALERT_INSERT,
	STORE_STMT_ALERT_LIST_OLDEST,
	STORE_STMT_ALERT_LIST_NEWEST,
	STORE_STMT_ALERT_LAST_SEQ,
	STORE_STMT_SINK_CURSOR_LOAD,
	STORE_STMT_SINK_CURSOR_SAVE,
	STORE_STMT_MAX
};

struct store {
	sqlite3		*db;
	char		*path;		/* state_dir/wirewatch.db, for messages */
	enum store_mode	 mode;
	sqlite3_stmt	*stmts[STORE_STMT_MAX];
	int		 batch;		/* store_batch_begin's transaction is open */
};

/* store.c */

/* Returns the cached statement id, preparing sql the first time; NULL and
 * *cause when sql does not prepare. */
sqlite3_stmt	*store_stmt(struct store *, enum store_stmt_id, const char *sql,
		    char **cause);
/* Resets a statement after use and drops its bindings, so it holds no read
 * snapshot (which would stall WAL checkpoints) and no borrowed pointers. */
void		 store_stmt_done(sqlite3_stmt *);
/* Binds a string, or NULL when s is NULL; the string must outlive the step. */
int		 store_bind_text(sqlite3_stmt *, int, const char *s);
/* Copies a text column, NULL for SQL NULL. */
char		*store_column_strdup(sqlite3_stmt *, int);
/* Sets *cause to "what: <SQLite's message>" and returns -1. */
int		 store_fail(struct store *, char **cause, const char *what);
/* Returns 0 when the store may be written, else -1 and *cause. */
int		 store_check_writable(struct store *, char **cause);
/* Returns 0 unless a batch is open whose transaction SQLite has already
 * rolled back (after an I/O error, a full disk): then -1 and *cause, so
 * that nothing is written outside the batch as if it were still open. */
int		 store_check_batch(struct store *, char **cause);
/* Starts one atomic unit of writes (a poll's items, a feed's load). Alone
 * it is a transaction of its own, BEGIN IMMEDIATE: the write lock is taken
 * up front, so it never fails half-way because another writer got there
 * first. Inside a batch it is a savepoint, so that rolling it back leaves
 * the rest of the batch alone. */
int		 store_begin(struct store *, char **cause);
/* Ends the unit: COMMIT, or RELEASE of its savepoint inside a batch (its
 * writes then become durable with the batch). */
int		 store_commit(struct store *, char **cause);
/* Undoes the unit, and only it. */
void		 store_rollback(struct store *);

/* schema.c */

/* The schema version this build writes and understands. */
int		 store_schema_version(void);
/* Reads PRAGMA user_version into *version. Returns 0 or -1 and *cause. */
int		 store_schema_read(sqlite3 *, const char *path, int *version,
		    char **cause);
/* Brings the schema to store_schema_version(), each migration in order in
 * one transaction. Refuses a newer schema. Returns 0 or -1 and *cause. */
int		 store_schema_migrate(sqlite3 *, const char *path, char **cause);

#endif
