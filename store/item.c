/* item.c: storing a poll's items once each, and listing the newest. */
#include <stdint.h>
#include <string.h>

#include "common/common.h"
#include "parse/parse.h"
#include "store/store_internal.h"

/* The listing order of schema.c's items_newest index, which must be
 * spelt the same for SQLite to use the index. */
#define STORE_ITEM_NEWEST						\
	"(CASE WHEN i.published BETWEEN 0 AND i.fetched"		\
	" THEN i.published ELSE i.fetched END) DESC, i.id DESC"

#define STORE_ITEM_COLUMNS						\
	"i.id, f.name, i.identity, i.title, i.text, i.url, i.author,"	\
	" i.published, i.fetched, i.updated"

/* Hashes one field with its length first, so that no two different
 * (title, text, url, author) tuples feed the hash the same bytes, and a
 * missing field differs from an empty one. */
static uint64_t
store_item_hash_field(uint64_t h, const char *field)
{
	uint64_t len = field != NULL ? strlen(field) : UINT64_MAX;

	h = util_hash(&len, sizeof len, h);
	if (field != NULL)
		h = util_hash(field, (size_t)len, h);
	return h;
}

/* What an edit changes: a feed re-serving an item with the same content
 * (whatever its dates) leaves its row alone. */
static int64_t
store_item_hash(const struct parsed_item *item)
{
	uint64_t h = UTIL_HASH_SEED;

	h = store_item_hash_field(h, item->title);
	h = store_item_hash_field(h, item->text);
	h = store_item_hash_field(h, item->url);
	h = store_item_hash_field(h, item->author);
	/* SQLite integers are signed; keep the same 64 bits. */
	return (int64_t)h;
}

/* Looks up an item by identity. Returns 1 and its row id and hash, 0 when
 * it is new, -1 on error. */
static int
store_item_find(struct store *s, int64_t feed_id, const char *identity,
    int64_t *id, int64_t *hash, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(s, STORE_STMT_ITEM_FIND, "SELECT id, content_hash"
	    " FROM items WHERE feed_id = ?1 AND identity = ?2", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, feed_id);
	store_bind_text(stmt, 2, identity);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		*hash = sqlite3_column_int64(stmt, 1);
	} else if (rc != SQLITE_DONE)
		store_fail(s, cause, "finding an item");
	store_stmt_done(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Binds ?3..?8, the content and its hash, for both insert and update. */
static void
store_item_bind_content(sqlite3_stmt *stmt, const struct parsed_item *item,
    int64_t hash)
{
	store_bind_text(stmt, 3, item->title != NULL ? item->title : "");
	store_bind_text(stmt, 4, item->text != NULL ? item->text : "");
	store_bind_text(stmt, 5, item->url);
	store_bind_text(stmt, 6, item->author);
	sqlite3_bind_int64(stmt, 7, item->published >= 0 ? item->published : -1);
	sqlite3_bind_int64(stmt, 8, hash);
}

/* Inserts a new item (row is NULL) or rewrites a changed one. */
static int
store_item_write(struct store *s, int64_t feed_id, const int64_t *row,
    const struct parsed_item *item, int64_t hash, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (row == NULL)
		stmt = store_stmt(s, STORE_STMT_ITEM_INSERT, "INSERT INTO items"
		    " (feed_id, identity, title, text, url, author, published,"
		    " content_hash, fetched, updated)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", cause);
	else
		stmt = store_stmt(s, STORE_STMT_ITEM_UPDATE, "UPDATE items SET"
		    " title = ?3, text = ?4, url = ?5, author = ?6,"
		    " published = ?7, content_hash = ?8, updated = ?9"
		    " WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	if (row == NULL) {
		sqlite3_bind_int64(stmt, 1, feed_id);
		store_bind_text(stmt, 2, item->id);
	} else
		sqlite3_bind_int64(stmt, 1, *row);
	store_item_bind_content(stmt, item, hash);
	sqlite3_bind_int64(stmt, 9, now);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, row == NULL ? "inserting an item" :
		    "updating an item");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Stores an item of a feed with no items yet (its first poll: all of them
 * are new) with one statement, counting what happened in r. The UPSERT
 * probes the (feed_id, identity) index once, where the SELECT first of
 * store_item_save walks it twice for a new item: a tenth less time for the
 * first poll of many feeds. Later polls see mostly items already stored,
 * which that SELECT tells apart in a third less time than an UPSERT, so
 * they keep it. The UPSERT still handles an identity repeated within the
 * poll the same way: the second copy updates the first when it differs.
 * RETURNING gives the row of an insert or an update, none when the item
 * was unchanged; an update leaves sqlite3_last_insert_rowid alone, here 0,
 * which no row id we insert can be.
 */
static int
store_item_add(struct store *s, int64_t feed_id,
    const struct parsed_item *item, int64_t now,
    struct store_save_result *r, int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, change = 0;

	stmt = store_stmt(s, STORE_STMT_ITEM_UPSERT, "INSERT INTO items"
	    " (feed_id, identity, title, text, url, author, published,"
	    " content_hash, fetched, updated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
	    " ON CONFLICT (feed_id, identity) DO UPDATE SET"
	    " title = excluded.title, text = excluded.text,"
	    " url = excluded.url, author = excluded.author,"
	    " published = excluded.published,"
	    " content_hash = excluded.content_hash, updated = excluded.updated"
	    " WHERE content_hash IS NOT excluded.content_hash"
	    " RETURNING id", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, feed_id);
	store_bind_text(stmt, 2, item->id);
	store_item_bind_content(stmt, item, store_item_hash(item));
	sqlite3_bind_int64(stmt, 9, now);
	sqlite3_set_last_insert_rowid(s->db, 0);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		rc = sqlite3_step(stmt);
		change = sqlite3_last_insert_rowid(s->db) == *id ? 1 : 2;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "inserting an item");
		change = -1;
	} else if (change == 0)
		r->unchanged++;
	else if (change == 1)
		r->inserted++;
	else
		r->updated++;
	store_stmt_done(stmt);
	return change;
}

/* Returns 1 when feed_id has no items stored, 0 when it has, -1 on error. */
static int
store_items_none(struct store *s, int64_t feed_id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, none = 0;

	stmt = store_stmt(s, STORE_STMT_ITEM_NONE, "SELECT NOT EXISTS"
	    " (SELECT 1 FROM items WHERE feed_id = ?1)", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, feed_id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		none = sqlite3_column_int(stmt, 0);
	else
		store_fail(s, cause, "counting a feed's items");
	store_stmt_done(stmt);
	return rc == SQLITE_ROW ? none : -1;
}

/* Stores one item of a feed that has items already, counting what
 * happened in r. Returns 0 when it was unchanged, 1 inserted, 2 updated
 * (with its row in *id), -1 on error. */
static int
store_item_save(struct store *s, int64_t feed_id,
    const struct parsed_item *item, int64_t now,
    struct store_save_result *r, int64_t *id, char **cause)
{
	int64_t row, stored, hash;
	int found;

	hash = store_item_hash(item);
	found = store_item_find(s, feed_id, item->id, &row, &stored, cause);
	if (found == -1)
		return -1;
	if (found && stored == hash) {
		r->unchanged++;
		return 0;
	}
	if (store_item_write(s, feed_id, found ? &row : NULL, item, hash, now,
	    cause) != 0)
		return -1;
	if (found) {
		r->updated++;
		*id = row;
		return 2;
	}
	r->inserted++;
	*id = sqlite3_last_insert_rowid(s->db);
	return 1;
}

int
store_items_save(struct store *s, int64_t feed_id,
    const struct parsed_item *items, size_t count, int64_t now,
    struct store_save_result *result, char **cause)
{
	return store_items_save_with(s, feed_id, items, count, now, result,
	    NULL, NULL, cause);
}

int
store_items_save_with(struct store *s, int64_t feed_id,
    const struct parsed_item *items, size_t count, int64_t now,
    struct store_save_result *result, store_item_cb cb, void *arg,
    char **cause)
{
	struct store_save_result r = { 0, 0, 0 };
	int64_t id = 0;
	size_t i;
	int first = 0, rc;

	if (result != NULL)
		memset(result, 0, sizeof *result);
	if (store_check_writable(s, cause) != 0)
		return -1;
	if (store_begin(s, cause) != 0)
		return -1;
	if (count > 0 && (first = store_items_none(s, feed_id, cause)) == -1)
		goto fail;
	for (i = 0; i < count; i++) {
		if (items[i].id == NULL) {
			xasprintf(cause, "%s: feed %lld: item %zu has no "
			    "identity", s->path, (long long)feed_id, i);
			goto fail;
		}
		if (first)
			rc = store_item_add(s, feed_id, &items[i], now, &r,
			    &id, cause);
		else
			rc = store_item_save(s, feed_id, &items[i], now, &r,
			    &id, cause);
		if (rc == -1)
			goto fail;
		if (rc > 0 && cb != NULL && cb(id, rc == 1 ?
		    STORE_ITEM_INSERTED : STORE_ITEM_UPDATED, &items[i], arg,
		    cause) != 0)
			goto fail;
	}
	if (store_commit(s, cause) != 0)
		goto fail;
	if (result != NULL)
		*result = r;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* Fills item from a row of STORE_ITEM_COLUMNS; its strings stay SQLite's. */
static void
store_item_read(sqlite3_stmt *stmt, struct store_item *item)
{
	item->id = sqlite3_column_int64(stmt, 0);
	item->feed = (const char *)sqlite3_column_text(stmt, 1);
	item->identity = (const char *)sqlite3_column_text(stmt, 2);
	item->title = (const char *)sqlite3_column_text(stmt, 3);
	item->text = (const char *)sqlite3_column_text(stmt, 4);
	item->url = (const char *)sqlite3_column_text(stmt, 5);
	item->author = (const char *)sqlite3_column_text(stmt, 6);
	item->published = sqlite3_column_int64(stmt, 7);
	item->fetched = sqlite3_column_int64(stmt, 8);
	item->updated = sqlite3_column_int64(stmt, 9);
}

int
store_item_list(struct store *s, const char *feed, size_t limit,
    int (*cb)(const struct store_item *, void *), void *arg)
{
	struct store_item item;
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	if (feed == NULL)
		stmt = store_stmt(s, STORE_STMT_ITEM_LIST_ALL, "SELECT "
		    STORE_ITEM_COLUMNS " FROM items AS i"
		    " JOIN feeds AS f ON f.id = i.feed_id"
		    " ORDER BY " STORE_ITEM_NEWEST " LIMIT ?1", NULL);
	else
		stmt = store_stmt(s, STORE_STMT_ITEM_LIST_FEED, "SELECT "
		    STORE_ITEM_COLUMNS " FROM items AS i"
		    " JOIN feeds AS f ON f.id = i.feed_id"
		    " WHERE i.feed_id = (SELECT id FROM feeds WHERE name = ?2)"
		    " ORDER BY " STORE_ITEM_NEWEST " LIMIT ?1", NULL);
	if (stmt == NULL)
		return -1;
	/* LIMIT -1 is SQLite's "no limit". */
	sqlite3_bind_int64(stmt, 1, limit > INT64_MAX ? -1 : (int64_t)limit);
	if (feed != NULL)
		store_bind_text(stmt, 2, feed);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_item_read(stmt, &item);
		stop = cb(&item, arg);
	}
	if (!stop && rc != SQLITE_DONE)
		log_warnx("%s: listing items: %s", s->path,
		    sqlite3_errmsg(s->db));
	store_stmt_done(stmt);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}
