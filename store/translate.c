/* translate.c: stories waiting for their translation, the translation cache, and what each backend cost. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store_internal.h"

/* Runs a write statement to its end; what names it for the message. */
static int
store_translate_step(struct store *s, sqlite3_stmt *stmt, const char *what,
    char **cause)
{
	int rc;

	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, what);
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The checks every write here starts with; returns the statement or NULL. */
static sqlite3_stmt *
store_translate_write(struct store *s, enum store_stmt_id id,
    const char *sql, char **cause)
{
	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return NULL;
	return store_stmt(s, id, sql, cause);
}

int
store_story_watches_release(struct store *s, int64_t story_id,
    int (*cb)(const char *, void *), void *arg, char **cause)
{
	sqlite3_stmt *stmt;
	char **names = NULL;
	size_t n = 0, i;
	int rc, failed = 0;

	stmt = store_translate_write(s, STORE_STMT_STORY_WATCH_RELEASE,
	    "UPDATE story_watches SET alerted = 1"
	    " WHERE story_id = ?1 AND alerted = 0 RETURNING watch", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	/* RETURNING rows come once the update is done; the callback may
	 * write (an alert) only after the statement is reset, so the names
	 * are copied first. */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "releasing held alerts");
		failed = 1;
	}
	store_stmt_done(stmt);
	for (i = 0; i < n; i++) {
		if (!failed && cb(names[i], arg) != 0)
			failed = 1;
		free(names[i]);
	}
	free(names);
	return failed ? -1 : 0;
}

int
store_story_watch_count(struct store *s, int64_t story_id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, count = 0;

	stmt = store_stmt(s, STORE_STMT_STORY_WATCH_COUNT, "SELECT count(*)"
	    " FROM story_watches WHERE story_id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		count = sqlite3_column_int(stmt, 0);
	else
		store_fail(s, cause, "counting a story's watches");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? count : -1;
}

int
store_story_translate_request(struct store *s, int64_t story_id,
    const char *state, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATE_REQUEST,
	    "UPDATE stories SET translation = ?2, translate_since = ?3,"
	    " translate_due = ?3, translate_attempts = 0,"
	    " translate_error = NULL WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	store_bind_text(stmt, 2, state);
	sqlite3_bind_int64(stmt, 3, now);
	return store_translate_step(s, stmt, "asking for a translation", cause);
}

int
store_story_pending(struct store *s, int64_t story_id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, pending = 0;

	stmt = store_stmt(s, STORE_STMT_TRANSLATE_PENDING, "SELECT"
	    " translation IN ('title', 'text') FROM stories WHERE id = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		pending = sqlite3_column_int(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_fail(s, cause, "reading a story's translation");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? pending : -1;
}

int
store_story_translate_due(struct store *s, int64_t now, size_t limit,
    int (*skip)(int64_t, void *), int (*cb)(const struct store_translate_job *,
    void *), void *arg, char **cause)
{
	struct store_translate_job job;
	sqlite3_stmt *stmt;
	size_t n = 0;
	int rc, stop = 0;

	stmt = store_stmt(s, STORE_STMT_TRANSLATE_DUE, "SELECT id, translation,"
	    " lang, title, text, title_original, translate_since,"
	    " translate_attempts FROM stories"
	    " WHERE translation IN ('title', 'text') AND translate_due <= ?1"
	    " ORDER BY translate_due, id", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	while (!stop && n < limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		job.id = sqlite3_column_int64(stmt, 0);
		if (skip != NULL && skip(job.id, arg))
			continue;
		job.state = (const char *)sqlite3_column_text(stmt, 1);
		job.lang = (const char *)sqlite3_column_text(stmt, 2);
		job.title = (const char *)sqlite3_column_text(stmt, 3);
		job.text = (const char *)sqlite3_column_text(stmt, 4);
		job.title_original = (const char *)sqlite3_column_text(stmt, 5);
		job.since = sqlite3_column_int64(stmt, 6);
		job.attempts = sqlite3_column_int(stmt, 7);
		stop = cb(&job, arg);
		n++;
	}
	if (!stop && n < limit && rc != SQLITE_DONE)
		store_fail(s, cause, "listing stories to translate");
	store_stmt_done(stmt);
	return stop || n == limit || rc == SQLITE_DONE ? 0 : -1;
}

int
store_story_translate_next(struct store *s, int64_t now, int64_t *due,
    int64_t *pending, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_TRANSLATE_NEXT, "SELECT"
	    " coalesce(min(CASE WHEN translate_due > ?1 THEN translate_due END),"
	    " 0), count(*) FROM stories WHERE translation IN ('title', 'text')",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*due = sqlite3_column_int64(stmt, 0);
		*pending = sqlite3_column_int64(stmt, 1);
	} else
		store_fail(s, cause, "counting stories to translate");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_story_translated(struct store *s, int64_t story_id, const char *title,
    const char *text, const char *backend, const char *source,
    const char *state, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATED, "UPDATE stories"
	    " SET title_original = CASE WHEN ?2 IS NULL THEN title_original"
	    "   ELSE coalesce(title_original, title) END,"
	    " title = coalesce(?2, title),"
	    " text_original = CASE WHEN ?3 IS NULL THEN text_original"
	    "   ELSE coalesce(text_original, text) END,"
	    " text = coalesce(?3, text),"
	    " translated_by = ?4, translated_from = ?5, translation = ?6,"
	    " translate_attempts = 0, translate_error = NULL WHERE id = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	store_bind_text(stmt, 2, title);
	store_bind_text(stmt, 3, text);
	store_bind_text(stmt, 4, backend);
	store_bind_text(stmt, 5, source);
	store_bind_text(stmt, 6, state);
	return store_translate_step(s, stmt, "storing a translation", cause);
}

int
store_story_translate_retry(struct store *s, int64_t story_id, int64_t due,
    const char *error, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATE_RETRY,
	    "UPDATE stories SET translate_due = ?2, translate_error = ?3,"
	    " translate_attempts = translate_attempts + 1 WHERE id = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	sqlite3_bind_int64(stmt, 2, due);
	store_bind_text(stmt, 3, error);
	return store_translate_step(s, stmt, "delaying a translation", cause);
}

int
store_story_translate_give_up(struct store *s, int64_t story_id,
    const char *error, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATE_GIVE_UP,
	    "UPDATE stories SET translation = 'untranslated',"
	    " translate_error = ?2 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	store_bind_text(stmt, 2, error);
	return store_translate_step(s, stmt, "giving up a translation", cause);
}

/* The cache's key hash: the pair is in the key already. */
static int64_t
store_translation_hash(const char *text)
{
	/* SQLite integers are signed; keep the same 64 bits. */
	return (int64_t)util_hash(text, strlen(text), UTIL_HASH_SEED);
}

int
store_translation_get(struct store *s, const char *backend,
    const char *source, const char *target, const char *text,
    char **translation, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, found = 0;

	stmt = store_stmt(s, STORE_STMT_TRANSLATION_GET, "SELECT text,"
	    " translation FROM translations WHERE backend = ?1 AND"
	    " source = ?2 AND target = ?3 AND hash = ?4", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, backend);
	store_bind_text(stmt, 2, source);
	store_bind_text(stmt, 3, target);
	sqlite3_bind_int64(stmt, 4, store_translation_hash(text));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(stmt,
	    0), text) == 0) {
		*translation = store_column_strdup(stmt, 1);
		found = 1;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_fail(s, cause, "reading the translation cache");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : -1;
}

int
store_translation_put(struct store *s, const char *backend,
    const char *source, const char *target, const char *text,
    const char *translation, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATION_PUT,
	    "INSERT OR REPLACE INTO translations (backend, source, target,"
	    " hash, text, translation, created)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, backend);
	store_bind_text(stmt, 2, source);
	store_bind_text(stmt, 3, target);
	sqlite3_bind_int64(stmt, 4, store_translation_hash(text));
	store_bind_text(stmt, 5, text);
	store_bind_text(stmt, 6, translation);
	sqlite3_bind_int64(stmt, 7, now);
	return store_translate_step(s, stmt, "writing the translation cache",
	    cause);
}

int
store_translate_stats_add(struct store *s,
    const struct store_translate_stats *d, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_translate_write(s, STORE_STMT_TRANSLATE_STATS_ADD,
	    "INSERT INTO translate_stats (backend, requests, chars,"
	    " cache_hits, cache_misses, failures, untranslated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (backend) DO"
	    " UPDATE SET requests = requests + excluded.requests,"
	    " chars = chars + excluded.chars,"
	    " cache_hits = cache_hits + excluded.cache_hits,"
	    " cache_misses = cache_misses + excluded.cache_misses,"
	    " failures = failures + excluded.failures,"
	    " untranslated = untranslated + excluded.untranslated", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, d->backend);
	sqlite3_bind_int64(stmt, 2, d->requests);
	sqlite3_bind_int64(stmt, 3, d->chars);
	sqlite3_bind_int64(stmt, 4, d->cache_hits);
	sqlite3_bind_int64(stmt, 5, d->cache_misses);
	sqlite3_bind_int64(stmt, 6, d->failures);
	sqlite3_bind_int64(stmt, 7, d->untranslated);
	return store_translate_step(s, stmt, "counting translation costs",
	    cause);
}

int
store_translate_stats_list(struct store *s,
    int (*cb)(const struct store_translate_stats *, void *), void *arg,
    char **cause)
{
	struct store_translate_stats st;
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	stmt = store_stmt(s, STORE_STMT_TRANSLATE_STATS_LIST, "SELECT backend,"
	    " requests, chars, cache_hits, cache_misses, failures,"
	    " untranslated FROM translate_stats ORDER BY backend", cause);
	if (stmt == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		st.backend = (const char *)sqlite3_column_text(stmt, 0);
		st.requests = sqlite3_column_int64(stmt, 1);
		st.chars = sqlite3_column_int64(stmt, 2);
		st.cache_hits = sqlite3_column_int64(stmt, 3);
		st.cache_misses = sqlite3_column_int64(stmt, 4);
		st.failures = sqlite3_column_int64(stmt, 5);
		st.untranslated = sqlite3_column_int64(stmt, 6);
		stop = cb(&st, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		store_fail(s, cause, "reading translation costs");
	store_stmt_done(stmt);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}
