/* story.c: stories — created by an item, joined by its copies, matched by watches — and their listing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store_internal.h"

/* Points item_id at its story and records its language. */
static int
store_story_item_set(struct store *s, int64_t item_id, int64_t story_id,
    const char *lang, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_STORY_ITEM_SET, "UPDATE items"
	    " SET story_id = ?2, lang = ?3 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	sqlite3_bind_int64(stmt, 2, story_id);
	store_bind_text(stmt, 3, lang);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "linking an item to its story");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Binds ?2..?9 of a story's content, shared by insert and update. */
static void
store_story_bind(sqlite3_stmt *stmt, const struct store_story_new *n)
{
	store_bind_text(stmt, 2, n->title != NULL ? n->title : "");
	store_bind_text(stmt, 3, n->text != NULL ? n->text : "");
	store_bind_text(stmt, 4, n->url);
	store_bind_text(stmt, 5, n->lang != NULL ? n->lang : "und");
	sqlite3_bind_int64(stmt, 6, n->published >= 0 ? n->published : -1);
	sqlite3_bind_int64(stmt, 7, n->now);
	/* SQLite integers are signed; keep the same 64 bits. */
	sqlite3_bind_int64(stmt, 8, (int64_t)n->exact_hash);
	sqlite3_bind_blob(stmt, 9, n->signature, (int)n->signature_len,
	    SQLITE_STATIC);
}

int
store_story_insert(struct store *s, const struct store_story_new *n,
    int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_STORY_INSERT, "INSERT INTO stories"
	    " (item_id, title, text, url, lang, published, first_seen,"
	    " last_seen, exact_hash, signature)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, n->item_id);
	store_story_bind(stmt, n);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "inserting a story");
	else
		*id = sqlite3_last_insert_rowid(s->db);
	store_stmt_done(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	return store_story_item_set(s, n->item_id, *id, n->lang, cause);
}

int
store_story_add_item(struct store *s, int64_t story_id, int64_t item_id,
    const char *lang, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, changed = 0;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_STORY_TOUCH, "UPDATE stories"
	    " SET sources = sources + 1, last_seen = max(last_seen, ?2)"
	    " WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	sqlite3_bind_int64(stmt, 2, now);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "adding a source to a story");
	else
		changed = sqlite3_changes(s->db);
	store_stmt_done(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	if (!changed)
		return 1;
	return store_story_item_set(s, item_id, story_id, lang, cause);
}

int
store_item_story(struct store *s, int64_t item_id, int64_t *story_id,
    int *leads, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_STORY_OF_ITEM, "SELECT"
	    " coalesce(i.story_id, 0), coalesce(s.item_id = i.id, 0)"
	    " FROM items AS i LEFT JOIN stories AS s ON s.id = i.story_id"
	    " WHERE i.id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	*story_id = 0;
	*leads = 0;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*story_id = sqlite3_column_int64(stmt, 0);
		*leads = sqlite3_column_int(stmt, 1);
	} else if (rc != SQLITE_DONE)
		store_fail(s, cause, "finding an item's story");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_story_update(struct store *s, int64_t story_id,
    const struct store_story_new *n, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_STORY_UPDATE, "UPDATE stories SET"
	    " title = ?2, text = ?3, url = ?4, lang = ?5, published = ?6,"
	    " last_seen = max(last_seen, ?7), exact_hash = ?8,"
	    " signature = ?9, title_original = NULL, text_original = NULL,"
	    " translated_by = NULL, translated_from = NULL,"
	    " translation = 'none', translate_error = NULL WHERE id = ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	store_story_bind(stmt, n);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "updating a story");
	store_stmt_done(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	return store_story_item_set(s, n->item_id, story_id, n->lang, cause);
}

int
store_story_watch_add(struct store *s, int64_t story_id, const char *watch,
    int held, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, added = 0;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_STORY_WATCH_ADD, "INSERT INTO"
	    " story_watches (story_id, watch, matched, alerted)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	store_bind_text(stmt, 2, watch);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int(stmt, 4, !held);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "recording a watch's match");
	else
		added = sqlite3_changes(s->db) > 0;
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? added : -1;
}

int
store_story_signatures(struct store *s, int64_t since,
    int (*cb)(const struct store_story_signature *, void *), void *arg,
    char **cause)
{
	struct store_story_signature sig;
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	stmt = store_stmt(s, STORE_STMT_STORY_SIGNATURES, "SELECT id,"
	    " last_seen, signature FROM stories WHERE last_seen >= ?1",
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, since);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		sig.id = sqlite3_column_int64(stmt, 0);
		sig.last_seen = sqlite3_column_int64(stmt, 1);
		sig.signature = sqlite3_column_blob(stmt, 2);
		sig.signature_len = (size_t)sqlite3_column_bytes(stmt, 2);
		stop = cb(&sig, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		store_fail(s, cause, "reading story signatures");
	store_stmt_done(stmt);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

/* The columns of a listed story, read by store_story_read. The languages
 * and watches come from small correlated subqueries: a story has a
 * handful of sources and watches, and both are indexed by story. */
#define STORE_STORY_COLUMNS						\
	"s.id, s.title, s.text, s.url, f.name, s.lang,"			\
	" (SELECT group_concat(l, ',') FROM (SELECT DISTINCT"		\
	"   coalesce(i.lang, 'und') AS l FROM items AS i"		\
	"   WHERE i.story_id = s.id ORDER BY 1)),"			\
	" (SELECT group_concat(watch, ',') FROM (SELECT w.watch"	\
	"   FROM story_watches AS w WHERE w.story_id = s.id ORDER BY 1)),"\
	" s.published, s.first_seen, s.last_seen, s.sources,"		\
	" s.title_original, s.text_original, s.translated_by,"		\
	" s.translated_from, s.translation, s.translate_error"		\
	" FROM stories AS s"						\
	" LEFT JOIN items AS fi ON fi.id = s.item_id"			\
	" LEFT JOIN feeds AS f ON f.id = fi.feed_id"

/* Fills story from a row of STORE_STORY_COLUMNS; strings stay SQLite's. */
static void
store_story_read(sqlite3_stmt *stmt, struct store_story *story)
{
	story->id = sqlite3_column_int64(stmt, 0);
	story->title = (const char *)sqlite3_column_text(stmt, 1);
	story->text = (const char *)sqlite3_column_text(stmt, 2);
	story->url = (const char *)sqlite3_column_text(stmt, 3);
	story->feed = (const char *)sqlite3_column_text(stmt, 4);
	story->lang = (const char *)sqlite3_column_text(stmt, 5);
	story->languages = (const char *)sqlite3_column_text(stmt, 6);
	story->watches = (const char *)sqlite3_column_text(stmt, 7);
	story->published = sqlite3_column_int64(stmt, 8);
	story->first_seen = sqlite3_column_int64(stmt, 9);
	story->last_seen = sqlite3_column_int64(stmt, 10);
	story->sources = sqlite3_column_int64(stmt, 11);
	story->title_original = (const char *)sqlite3_column_text(stmt, 12);
	story->text_original = (const char *)sqlite3_column_text(stmt, 13);
	story->translated_by = (const char *)sqlite3_column_text(stmt, 14);
	story->translated_from = (const char *)sqlite3_column_text(stmt, 15);
	story->translation = (const char *)sqlite3_column_text(stmt, 16);
	story->translate_error = (const char *)sqlite3_column_text(stmt, 17);
}

/* Steps stmt, calling cb for each story until it returns non-zero. */
static int
store_story_each(struct store *s, sqlite3_stmt *stmt,
    int (*cb)(const struct store_story *, void *), void *arg, int *found,
    char **cause)
{
	struct store_story story;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_story_read(stmt, &story);
		if (found != NULL)
			*found = 1;
		stop = cb(&story, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		store_fail(s, cause, "listing stories");
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int
store_story_list(struct store *s, const char *feed, const char *watch,
    size_t limit, int (*cb)(const struct store_story *, void *), void *arg,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	/* Prepared each time: the command lists once and exits. */
	if (sqlite3_prepare_v2(s->db, "SELECT " STORE_STORY_COLUMNS
	    " WHERE (?2 IS NULL OR EXISTS (SELECT 1 FROM items AS i"
	    "   JOIN feeds AS g ON g.id = i.feed_id"
	    "   WHERE i.story_id = s.id AND g.name = ?2))"
	    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM story_watches AS w"
	    "   WHERE w.story_id = s.id AND w.watch = ?3))"
	    " ORDER BY s.last_seen DESC, s.id DESC LIMIT ?1", -1, &stmt,
	    NULL) != SQLITE_OK)
		return store_fail(s, cause, "listing stories");
	/* LIMIT -1 is SQLite's "no limit". */
	sqlite3_bind_int64(stmt, 1, limit == 0 || limit > INT64_MAX ? -1 :
	    (int64_t)limit);
	store_bind_text(stmt, 2, feed);
	store_bind_text(stmt, 3, watch);
	rc = store_story_each(s, stmt, cb, arg, NULL, cause);
	sqlite3_finalize(stmt);
	return rc;
}

int
store_story_get(struct store *s, int64_t id,
    int (*cb)(const struct store_story *, void *), void *arg, char **cause)
{
	sqlite3_stmt *stmt;
	int found = 0;

	stmt = store_stmt(s, STORE_STMT_STORY_GET, "SELECT "
	    STORE_STORY_COLUMNS " WHERE s.id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (store_story_each(s, stmt, cb, arg, &found, cause) != 0)
		found = -1;
	store_stmt_done(stmt);
	return found;
}

int
store_story_sources(struct store *s, int64_t story_id,
    int (*cb)(const struct store_item *, void *), void *arg, char **cause)
{
	struct store_item item;
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	stmt = store_stmt(s, STORE_STMT_STORY_SOURCES, "SELECT i.id, f.name,"
	    " i.identity, i.title, i.text, i.url, i.author, i.published,"
	    " i.fetched, i.updated FROM items AS i"
	    " JOIN feeds AS f ON f.id = i.feed_id"
	    " WHERE i.story_id = ?1 ORDER BY i.fetched, i.id", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, story_id);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		item.id = sqlite3_column_int64(stmt, 0);
		item.feed = (const char *)sqlite3_column_text(stmt, 1);
		item.identity = (const char *)sqlite3_column_text(stmt, 2);
		item.title = (const char *)sqlite3_column_text(stmt, 3);
		item.text = (const char *)sqlite3_column_text(stmt, 4);
		item.url = (const char *)sqlite3_column_text(stmt, 5);
		item.author = (const char *)sqlite3_column_text(stmt, 6);
		item.published = sqlite3_column_int64(stmt, 7);
		item.fetched = sqlite3_column_int64(stmt, 8);
		item.updated = sqlite3_column_int64(stmt, 9);
		stop = cb(&item, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		store_fail(s, cause, "listing a story's sources");
	store_stmt_done(stmt);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int
store_count_stories(struct store *s, int64_t *stories, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_STORY_COUNT, "SELECT count(*)"
	    " FROM stories", cause);
	if (stmt == NULL)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*stories = sqlite3_column_int64(stmt, 0);
	else
		store_fail(s, cause, "counting stories");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}
