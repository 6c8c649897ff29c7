/* feed.c: each configured feed's persistent polling state. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store_internal.h"

/* The columns store_feed_read expects, in its order. */
#define STORE_FEED_COLUMNS						\
	"id, name, config_url, url, etag, last_modified, last_status,"	\
	" last_error, failures, last_fetch, last_success, next_poll,"	\
	" learned_interval, disabled"

/* Fills out from a row of STORE_FEED_COLUMNS. */
static void
store_feed_read(sqlite3_stmt *stmt, struct store_feed *out)
{
	out->id = sqlite3_column_int64(stmt, 0);
	out->name = store_column_strdup(stmt, 1);
	out->config_url = store_column_strdup(stmt, 2);
	out->url = store_column_strdup(stmt, 3);
	out->etag = store_column_strdup(stmt, 4);
	out->last_modified = store_column_strdup(stmt, 5);
	out->last_status = sqlite3_column_int(stmt, 6);
	out->last_error = store_column_strdup(stmt, 7);
	out->failures = sqlite3_column_int(stmt, 8);
	out->last_fetch = sqlite3_column_int64(stmt, 9);
	out->last_success = sqlite3_column_int64(stmt, 10);
	out->next_poll = sqlite3_column_int64(stmt, 11);
	out->learned_interval = sqlite3_column_int64(stmt, 12);
	out->disabled = sqlite3_column_int(stmt, 13);
	out->items = 0;
}

/* Runs a statement that returns no rows, with name and config_url bound
 * as ?1 and ?2. */
static int
store_feed_exec(struct store *s, enum store_stmt_id id, const char *sql,
    const char *name, const char *config_url, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(s, id, sql, cause)) == NULL)
		return -1;
	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, config_url);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, name);
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Reads the feed called name into out. */
static int
store_feed_select(struct store *s, const char *name, struct store_feed *out,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_FEED_SELECT, "SELECT "
	    STORE_FEED_COLUMNS " FROM feeds WHERE name = ?1", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, name);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		store_feed_read(stmt, out);
	else
		store_fail(s, cause, name);
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * A changed config URL is a new subscription that happens to keep its name:
 * nothing learned about the old address (where it moved, its validators,
 * its errors, its rhythm, that it is gone) says anything about the new one,
 * so all of the polling state is reset and the feed is polled at once. Its
 * stored items stay; they are still that feed's history.
 */
int
store_feed_load(struct store *s, const char *name, const char *config_url,
    struct store_feed *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (store_check_writable(s, cause) != 0)
		return -1;
	if (name == NULL || config_url == NULL) {
		xasprintf(cause, "%s: feed without a name or URL", s->path);
		return -1;
	}
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_feed_exec(s, STORE_STMT_FEED_INSERT,
	    "INSERT INTO feeds (name, config_url, url) VALUES (?1, ?2, ?2)"
	    " ON CONFLICT (name) DO NOTHING", name, config_url, cause) != 0)
		goto fail;
	if (store_feed_exec(s, STORE_STMT_FEED_RESET,
	    "UPDATE feeds SET config_url = ?2, url = ?2, etag = NULL,"
	    " last_modified = NULL, last_status = 0, last_error = NULL,"
	    " failures = 0, last_fetch = 0, last_success = 0, next_poll = 0,"
	    " learned_interval = 0, disabled = 0"
	    " WHERE name = ?1 AND config_url IS NOT ?2",
	    name, config_url, cause) != 0)
		goto fail;
	if (store_feed_select(s, name, out, cause) != 0)
		goto fail;
	if (store_commit(s, cause) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	store_feed_clear(out);
	return -1;
}

int
store_feed_save(struct store *s, const struct store_feed *feed, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	/* A NULL url keeps polling the config URL. */
	stmt = store_stmt(s, STORE_STMT_FEED_UPDATE, "UPDATE feeds SET"
	    " url = coalesce(?2, config_url), etag = ?3, last_modified = ?4,"
	    " last_status = ?5, last_error = ?6, failures = ?7,"
	    " last_fetch = ?8, last_success = ?9, next_poll = ?10,"
	    " learned_interval = ?11, disabled = ?12 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, feed->id);
	store_bind_text(stmt, 2, feed->url);
	store_bind_text(stmt, 3, feed->etag);
	store_bind_text(stmt, 4, feed->last_modified);
	sqlite3_bind_int(stmt, 5, feed->last_status);
	store_bind_text(stmt, 6, feed->last_error);
	sqlite3_bind_int(stmt, 7, feed->failures);
	sqlite3_bind_int64(stmt, 8, feed->last_fetch);
	sqlite3_bind_int64(stmt, 9, feed->last_success);
	sqlite3_bind_int64(stmt, 10, feed->next_poll);
	sqlite3_bind_int64(stmt, 11, feed->learned_interval);
	sqlite3_bind_int(stmt, 12, feed->disabled != 0);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, feed->name ? feed->name : "saving a feed");
	else if (sqlite3_changes(s->db) != 1) {
		xasprintf(cause, "%s: no feed with id %lld", s->path,
		    (long long)feed->id);
		rc = SQLITE_NOTFOUND;
	}
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
store_feed_clear(struct store_feed *feed)
{
	if (feed == NULL)
		return;
	free(feed->name);
	free(feed->config_url);
	free(feed->url);
	free(feed->etag);
	free(feed->last_modified);
	free(feed->last_error);
	memset(feed, 0, sizeof *feed);
}

int
store_feed_list(struct store *s, int (*cb)(const struct store_feed *, void *),
    void *arg)
{
	struct store_feed feed;
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	/* The count walks items' (feed_id, identity) index, not the table. */
	stmt = store_stmt(s, STORE_STMT_FEED_LIST, "SELECT " STORE_FEED_COLUMNS
	    ", (SELECT count(*) FROM items WHERE items.feed_id = feeds.id)"
	    " FROM feeds ORDER BY name", NULL);
	if (stmt == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_feed_read(stmt, &feed);
		feed.items = sqlite3_column_int64(stmt, 14);
		stop = cb(&feed, arg);
		store_feed_clear(&feed);
	}
	if (!stop && rc != SQLITE_DONE)
		log_warnx("%s: listing feeds: %s", s->path,
		    sqlite3_errmsg(s->db));
	store_stmt_done(stmt);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}
