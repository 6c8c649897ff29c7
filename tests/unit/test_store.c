/* test_store.c: the SQLite state — schema, feeds' polling state, items saved once, read-only readers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/common.h"
#include "parse/parse.h"
#include "store/store.h"
#include "store/store_internal.h"

/* Each test gets its own directory; the state directory inside it does not
 * exist yet, so store_open has to create it. */
struct fixture {
	char	 root[64];
	char	*state_dir;
	char	*db_path;
};

static int
fixture_setup(void **state)
{
	struct fixture *f;

	f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/ww-test-store-XXXXXX");
	if (mkdtemp(f->root) == NULL)
		return -1;
	xasprintf(&f->state_dir, "%s/state/sub", f->root);
	xasprintf(&f->db_path, "%s/wirewatch.db", f->state_dir);
	*state = f;
	return 0;
}

/* Removes what SQLite may have left: the database, its WAL and index. */
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
	rmdir(f->state_dir);
	xasprintf(&path, "%s/state", f->root);
	rmdir(path);
	free(path);
	rmdir(f->root);
	free(f->state_dir);
	free(f->db_path);
	free(f);
	return 0;
}

static struct store *
open_store(struct fixture *f, enum store_mode mode)
{
	struct store *s;
	char *cause = NULL;

	s = store_open(f->state_dir, mode, &cause);
	if (s == NULL)
		fail_msg("store_open: %s", cause);
	return s;
}

/* Loads (creating) a feed and returns its id. */
static int64_t
load_feed(struct store *s, const char *name, const char *url)
{
	struct store_feed feed;
	char *cause = NULL;
	int64_t id;

	if (store_feed_load(s, name, url, &feed, &cause) != 0)
		fail_msg("store_feed_load: %s", cause);
	id = feed.id;
	store_feed_clear(&feed);
	return id;
}

static struct parsed_item
make_item(const char *id, const char *title, int64_t published)
{
	struct parsed_item item;

	memset(&item, 0, sizeof item);
	item.id = (char *)id;
	item.title = (char *)title;
	item.text = (char *)"Body text.";
	item.url = (char *)"https://example.org/a";
	item.author = NULL;
	item.published = published;
	item.updated = -1;
	return item;
}

static struct store_save_result
save_items(struct store *s, int64_t feed_id, const struct parsed_item *items,
    size_t count, int64_t now)
{
	struct store_save_result r;
	char *cause = NULL;

	if (store_items_save(s, feed_id, items, count, now, &r, &cause) != 0)
		fail_msg("store_items_save: %s", cause);
	return r;
}

/* Runs a one-value query on a separate plain SQLite connection. */
static char *
query_text(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *value = NULL;

	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	assert_non_null(value);
	return value;
}

static void
exec_sql(const char *db_path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Collects what store_item_list returns. */
struct listed {
	size_t	 n;
	char	*ids[16];
	char	*titles[16];
	char	*feeds[16];
	int64_t	 fetched[16];
	int64_t	 updated[16];
};

static int
collect_cb(const struct store_item *item, void *arg)
{
	struct listed *l = arg;

	assert_true(l->n < 16);
	l->ids[l->n] = xstrdup(item->identity);
	l->titles[l->n] = xstrdup(item->title);
	l->feeds[l->n] = xstrdup(item->feed);
	l->fetched[l->n] = item->fetched;
	l->updated[l->n] = item->updated;
	l->n++;
	return 0;
}

static void
listed_free(struct listed *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->ids[i]);
		free(l->titles[i]);
		free(l->feeds[i]);
	}
	memset(l, 0, sizeof *l);
}

static int64_t
count_items(struct store *s)
{
	int64_t feeds, items;

	assert_int_equal(store_count(s, &feeds, &items), 0);
	return items;
}

static void
test_store_fresh_db_has_current_schema_and_wal(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	char *v;

	s = open_store(f, STORE_READ_WRITE);
	assert_int_equal(access(f->db_path, F_OK), 0);
	v = query_text(f->db_path, "PRAGMA user_version");
	assert_int_equal(atoi(v), store_schema_version());
	assert_int_equal(store_schema_version(), 4);
	free(v);
	v = query_text(f->db_path, "PRAGMA journal_mode");
	assert_string_equal(v, "wal");
	free(v);
	store_close(s);
}

static void
test_store_reopen_keeps_data(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[2];
	struct store *s;
	int64_t id;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	items[0] = make_item("a", "First", 1000);
	items[1] = make_item("b", "Second", 2000);
	save_items(s, id, items, 2, 3000);
	store_close(s);

	s = open_store(f, STORE_READ_WRITE);
	assert_int_equal(load_feed(s, "wire", "https://example.org/feed"), id);
	assert_int_equal(count_items(s), 2);
	store_close(s);
}

static void
test_store_feed_state_round_trips(void **state)
{
	struct fixture *f = *state;
	struct store_feed feed, again;
	struct store *s;
	char *cause = NULL;

	s = open_store(f, STORE_READ_WRITE);
	assert_int_equal(store_feed_load(s, "izvestia",
	    "https://iz.ru/xml/rss/all.xml", &feed, &cause), 0);
	assert_true(feed.id > 0);
	assert_string_equal(feed.name, "izvestia");
	assert_string_equal(feed.url, "https://iz.ru/xml/rss/all.xml");
	assert_null(feed.etag);
	assert_int_equal(feed.last_fetch, 0);
	assert_int_equal(feed.disabled, 0);

	free(feed.url);
	feed.url = xstrdup("https://iz.ru/rss/moved.xml");
	feed.etag = xstrdup("\"abc\"");
	feed.last_modified = xstrdup("Tue, 25 Nov 2025 10:00:00 GMT");
	feed.last_status = 503;
	feed.last_error = xstrdup("HTTP 503 Service Unavailable");
	feed.failures = 3;
	feed.last_fetch = 1700000000;
	feed.last_success = 1690000000;
	feed.next_poll = 1700000900;
	feed.learned_interval = 1800;
	assert_int_equal(store_feed_save(s, &feed, &cause), 0);

	assert_int_equal(store_feed_load(s, "izvestia",
	    "https://iz.ru/xml/rss/all.xml", &again, &cause), 0);
	assert_int_equal(again.id, feed.id);
	assert_string_equal(again.config_url, "https://iz.ru/xml/rss/all.xml");
	assert_string_equal(again.url, "https://iz.ru/rss/moved.xml");
	assert_string_equal(again.etag, "\"abc\"");
	assert_string_equal(again.last_modified,
	    "Tue, 25 Nov 2025 10:00:00 GMT");
	assert_int_equal(again.last_status, 503);
	assert_string_equal(again.last_error, "HTTP 503 Service Unavailable");
	assert_int_equal(again.failures, 3);
	assert_int_equal(again.last_fetch, 1700000000);
	assert_int_equal(again.last_success, 1690000000);
	assert_int_equal(again.next_poll, 1700000900);
	assert_int_equal(again.learned_interval, 1800);
	assert_int_equal(again.disabled, 0);
	store_feed_clear(&feed);
	store_feed_clear(&again);
	store_close(s);
}

static void
test_store_feed_config_url_change_resets_state(void **state)
{
	struct fixture *f = *state;
	struct store_feed feed, again;
	struct parsed_item item;
	struct store *s;
	char *cause = NULL;

	s = open_store(f, STORE_READ_WRITE);
	assert_int_equal(store_feed_load(s, "gone", "https://old.example/rss",
	    &feed, &cause), 0);
	item = make_item("kept", "Kept", 100);
	save_items(s, feed.id, &item, 1, 200);
	free(feed.url);
	feed.url = xstrdup("https://old.example/moved");
	feed.etag = xstrdup("\"e\"");
	feed.last_modified = xstrdup("yesterday");
	feed.last_status = 410;
	feed.failures = 2;
	feed.disabled = 1;
	assert_int_equal(store_feed_save(s, &feed, &cause), 0);

	/* The same config URL keeps everything. */
	assert_int_equal(store_feed_load(s, "gone", "https://old.example/rss",
	    &again, &cause), 0);
	assert_int_equal(again.disabled, 1);
	assert_string_equal(again.url, "https://old.example/moved");
	store_feed_clear(&again);

	assert_int_equal(store_feed_load(s, "gone", "https://new.example/rss",
	    &again, &cause), 0);
	assert_int_equal(again.id, feed.id);
	assert_string_equal(again.config_url, "https://new.example/rss");
	assert_string_equal(again.url, "https://new.example/rss");
	assert_null(again.etag);
	assert_null(again.last_modified);
	assert_int_equal(again.failures, 0);
	assert_int_equal(again.disabled, 0);
	assert_int_equal(again.last_status, 0);
	assert_int_equal(again.next_poll, 0);
	assert_int_equal(count_items(s), 1);
	store_feed_clear(&feed);
	store_feed_clear(&again);
	store_close(s);
}

static void
test_store_items_resaved_unchanged_write_nothing(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[3];
	struct store_save_result r;
	struct store *s;
	int64_t id;
	char *changes;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	items[0] = make_item("a", "One", 1000);
	items[1] = make_item("b", "Two", 2000);
	items[2] = make_item("c", "Three", -1);
	r = save_items(s, id, items, 3, 5000);
	assert_int_equal(r.inserted, 3);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 0);

	r = save_items(s, id, items, 3, 6000);
	assert_int_equal(r.inserted, 0);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 3);
	store_close(s);

	/* Nothing was rewritten: every row still says it changed at 5000. */
	changes = query_text(f->db_path,
	    "SELECT count(*) FROM items WHERE updated != 5000");
	assert_string_equal(changes, "0");
	free(changes);
}

static void
test_store_items_edited_item_updates_once(void **state)
{
	struct fixture *f = *state;
	struct parsed_item item;
	struct store_save_result r;
	struct listed l = { 0 };
	struct store *s;
	int64_t id;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	item = make_item("story-1", "Talks begin", 1000);
	save_items(s, id, &item, 1, 5000);

	item.title = (char *)"Talks begin in Cairo";
	r = save_items(s, id, &item, 1, 6000);
	assert_int_equal(r.inserted, 0);
	assert_int_equal(r.updated, 1);
	r = save_items(s, id, &item, 1, 7000);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 1);

	/* An author appearing is an edit too. */
	item.author = (char *)"A. Reporter";
	r = save_items(s, id, &item, 1, 8000);
	assert_int_equal(r.updated, 1);

	assert_int_equal(store_item_list(s, NULL, 10, collect_cb, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.titles[0], "Talks begin in Cairo");
	assert_int_equal(l.fetched[0], 5000);
	assert_int_equal(l.updated[0], 8000);
	listed_free(&l);
	store_close(s);
}

static void
test_store_items_same_identity_in_two_feeds_are_distinct(void **state)
{
	struct fixture *f = *state;
	struct parsed_item item;
	struct store_save_result r;
	struct store *s;
	int64_t a, b;

	s = open_store(f, STORE_READ_WRITE);
	a = load_feed(s, "alpha", "https://a.example/rss");
	b = load_feed(s, "beta", "https://b.example/rss");
	assert_true(a != b);
	item = make_item("https://shared.example/story", "Shared", 1000);
	r = save_items(s, a, &item, 1, 2000);
	assert_int_equal(r.inserted, 1);
	r = save_items(s, b, &item, 1, 2000);
	assert_int_equal(r.inserted, 1);
	assert_int_equal(count_items(s), 2);
	store_close(s);
}

static void
test_store_items_failed_save_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[2];
	struct store_save_result r = { 7, 7, 7 };
	struct store *s;
	char *cause = NULL;
	int64_t id;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	/* The first item is written before the second fails: the rollback
	 * must take it back. */
	items[0] = make_item("fine", "Fine", 1000);
	items[1] = make_item("broken", "Broken", 1000);
	items[1].id = NULL;
	assert_int_equal(store_items_save(s, id, items, 2, 2000, &r, &cause),
	    -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no identity"));
	free(cause);
	cause = NULL;
	assert_int_equal(r.inserted, 0);
	assert_int_equal(count_items(s), 0);

	/* A feed that does not exist breaks the foreign key. */
	assert_int_equal(store_items_save(s, id + 100, items, 1, 2000, &r,
	    &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(count_items(s), 0);

	/* The store is still usable afterwards. */
	r = save_items(s, id, items, 1, 3000);
	assert_int_equal(r.inserted, 1);
	store_close(s);
}

static void
test_store_read_only_sees_data_while_writer_is_open(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[2];
	struct store_feed feed;
	struct listed l = { 0 };
	struct store *rw, *ro;
	char *cause = NULL;
	int64_t id;

	rw = open_store(f, STORE_READ_WRITE);
	id = load_feed(rw, "wire", "https://example.org/feed");
	items[0] = make_item("a", "First", 1000);
	items[1] = make_item("b", "Second", 2000);
	save_items(rw, id, items, 1, 3000);

	ro = open_store(f, STORE_READ_ONLY);
	assert_int_equal(store_item_list(ro, NULL, 10, collect_cb, &l), 0);
	assert_int_equal(l.n, 1);
	listed_free(&l);

	/* The writer goes on; the reader sees each commit. */
	save_items(rw, id, items, 2, 4000);
	assert_int_equal(store_item_list(ro, "wire", 10, collect_cb, &l), 0);
	assert_int_equal(l.n, 2);
	listed_free(&l);

	/* And it cannot write. */
	assert_int_equal(store_feed_load(ro, "other", "https://x.example/",
	    &feed, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(store_items_save(ro, id, items, 1, 5000, NULL,
	    &cause), -1);
	free(cause);

	store_close(ro);
	store_close(rw);

	/* With the writer gone, read-only opening still works. */
	ro = open_store(f, STORE_READ_ONLY);
	assert_int_equal(count_items(ro), 2);
	store_close(ro);
}

static void
test_store_read_only_without_database_says_no_state(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	char *cause = NULL;

	s = store_open(f->state_dir, STORE_READ_ONLY, &cause);
	assert_null(s);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no state yet at "));
	assert_non_null(strstr(cause, "has wirewatchd run?"));
	free(cause);
	/* Reading must not create anything. */
	assert_int_equal(access(f->state_dir, F_OK), -1);
}

static void
test_store_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	char *cause = NULL;

	s = open_store(f, STORE_READ_WRITE);
	store_close(s);
	exec_sql(f->db_path, "PRAGMA user_version = 999");

	assert_null(store_open(f->state_dir, STORE_READ_WRITE, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "schema version 999 is newer"));
	free(cause);
	cause = NULL;
	assert_null(store_open(f->state_dir, STORE_READ_ONLY, &cause));
	assert_non_null(strstr(cause, "schema version 999 is newer"));
	free(cause);
}

static void
test_store_empty_database_is_migrated_in_place(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	sqlite3 *db;
	char *cause = NULL, *v;

	/* A database file without our schema: version 0. */
	assert_int_equal(util_mkdir_p(f->state_dir), 0);
	assert_int_equal(sqlite3_open(f->db_path, &db), SQLITE_OK);
	sqlite3_close(db);

	assert_null(store_open(f->state_dir, STORE_READ_ONLY, &cause));
	assert_non_null(strstr(cause, "no state yet"));
	free(cause);

	s = open_store(f, STORE_READ_WRITE);
	store_close(s);
	v = query_text(f->db_path, "PRAGMA user_version");
	assert_int_equal(atoi(v), store_schema_version());
	free(v);
}

static void
test_store_item_list_newest_first_with_limit_and_feed(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[4], other;
	struct listed l = { 0 };
	struct store *s;
	int64_t a, b;

	s = open_store(f, STORE_READ_WRITE);
	a = load_feed(s, "alpha", "https://a.example/rss");
	b = load_feed(s, "beta", "https://b.example/rss");
	items[0] = make_item("old", "Old", 1000);
	items[1] = make_item("new", "New", 3000);
	/* No date: ranked by when it was stored (4000). */
	items[2] = make_item("undated", "Undated", -1);
	/* A date in the future is not believed: also ranked at 4000, and
	 * stored after "undated". */
	items[3] = make_item("future", "Future", 4000000000LL);
	save_items(s, a, items, 4, 4000);
	other = make_item("beta-1", "Beta", 3500);
	save_items(s, b, &other, 1, 4000);

	assert_int_equal(store_item_list(s, NULL, 10, collect_cb, &l), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.ids[0], "future");
	assert_string_equal(l.ids[1], "undated");
	assert_string_equal(l.ids[2], "beta-1");
	assert_string_equal(l.feeds[2], "beta");
	assert_string_equal(l.ids[3], "new");
	assert_string_equal(l.ids[4], "old");
	listed_free(&l);

	assert_int_equal(store_item_list(s, NULL, 2, collect_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[1], "undated");
	listed_free(&l);

	assert_int_equal(store_item_list(s, "alpha", 3, collect_cb, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.ids[2], "new");
	assert_string_equal(l.feeds[2], "alpha");
	listed_free(&l);

	assert_int_equal(store_item_list(s, "nosuchfeed", 3, collect_cb, &l),
	    0);
	assert_int_equal(l.n, 0);
	store_close(s);
}

/* Records the feeds store_feed_list passes. */
struct feed_counts {
	size_t	 n;
	char	*names[4];
	int64_t	 items[4];
};

static int
feed_count_cb(const struct store_feed *feed, void *arg)
{
	struct feed_counts *c = arg;

	assert_true(c->n < 4);
	c->names[c->n] = xstrdup(feed->name);
	c->items[c->n] = feed->items;
	c->n++;
	return 0;
}

static void
test_store_feed_list_is_by_name_with_item_counts(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[2];
	struct feed_counts c = { 0 };
	struct store *s;
	int64_t feeds, nitems;
	size_t i;

	s = open_store(f, STORE_READ_WRITE);
	load_feed(s, "zulu", "https://z.example/rss");
	items[0] = make_item("a", "A", 1);
	items[1] = make_item("b", "B", 2);
	save_items(s, load_feed(s, "alpha", "https://a.example/rss"), items, 2,
	    10);
	assert_int_equal(store_feed_list(s, feed_count_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.names[0], "alpha");
	assert_int_equal(c.items[0], 2);
	assert_string_equal(c.names[1], "zulu");
	assert_int_equal(c.items[1], 0);
	for (i = 0; i < c.n; i++)
		free(c.names[i]);

	assert_int_equal(store_count(s, &feeds, &nitems), 0);
	assert_int_equal(feeds, 2);
	assert_int_equal(nitems, 2);
	store_close(s);
}

static void
test_store_items_repeated_identity_in_one_poll_keeps_the_last(void **state)
{
	struct fixture *f = *state;
	struct parsed_item items[3];
	struct store_save_result r;
	struct listed l = { 0 };
	struct store *s;
	int64_t id;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	/* The feed's first poll, when every item is new. */
	items[0] = make_item("twice", "First copy", 1000);
	items[1] = make_item("twice", "Second copy", 1000);
	items[2] = make_item("twice", "Second copy", 1000);
	r = save_items(s, id, items, 3, 5000);
	assert_int_equal(r.inserted, 1);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(count_items(s), 1);

	/* A later poll, when the feed has items already. */
	items[0] = make_item("again", "First copy", 1000);
	items[1] = make_item("again", "Second copy", 1000);
	items[2] = make_item("twice", "Third copy", 1000);
	r = save_items(s, id, items, 3, 6000);
	assert_int_equal(r.inserted, 1);
	assert_int_equal(r.updated, 2);
	assert_int_equal(r.unchanged, 0);

	assert_int_equal(store_item_list(s, NULL, 10, collect_cb, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ids[0], "again");
	assert_string_equal(l.titles[0], "Second copy");
	assert_string_equal(l.ids[1], "twice");
	assert_string_equal(l.titles[1], "Third copy");
	assert_int_equal(l.fetched[1], 5000);
	assert_int_equal(l.updated[1], 6000);
	listed_free(&l);
	store_close(s);
}

/* Counts one feed's items on a connection of its own. */
static int
count_feed_items(struct fixture *f, const char *feed)
{
	char *sql, *v;
	int n;

	xasprintf(&sql, "SELECT count(*) FROM items JOIN feeds"
	    " ON feeds.id = items.feed_id WHERE feeds.name = '%s'", feed);
	v = query_text(f->db_path, sql);
	n = atoi(v);
	free(v);
	free(sql);
	return n;
}

static void
test_store_batch_failed_poll_leaves_the_others_stored(void **state)
{
	struct fixture *f = *state;
	struct parsed_item a[2], b[2], c[2];
	struct store_save_result r = { 7, 7, 7 };
	struct store_feed feed;
	struct store *s;
	char *cause = NULL, *v;
	int64_t ida, idb, idc;

	s = open_store(f, STORE_READ_WRITE);
	ida = load_feed(s, "alpha", "https://a.example/rss");
	idb = load_feed(s, "beta", "https://b.example/rss");
	idc = load_feed(s, "gamma", "https://c.example/rss");
	a[0] = make_item("a1", "A one", 1000);
	a[1] = make_item("a2", "A two", 1000);
	/* beta's first item is written before its second fails. */
	b[0] = make_item("b1", "B one", 1000);
	b[1] = make_item("b2", "B two", 1000);
	b[1].id = NULL;
	c[0] = make_item("c1", "C one", 1000);
	c[1] = make_item("c2", "C two", 1000);

	assert_int_equal(store_batch_begin(s, &cause), 0);
	assert_int_equal(store_batch_begin(s, &cause), -1);
	assert_non_null(strstr(cause, "already open"));
	free(cause);
	cause = NULL;
	save_items(s, ida, a, 2, 2000);
	assert_int_equal(store_items_save(s, idb, b, 2, 2000, &r, &cause), -1);
	assert_non_null(strstr(cause, "no identity"));
	free(cause);
	cause = NULL;
	assert_int_equal(r.inserted, 0);
	r = save_items(s, idc, c, 2, 2000);
	assert_int_equal(r.inserted, 2);
	/* The validators go in the same batch as the items. */
	assert_int_equal(store_feed_load(s, "alpha", "https://a.example/rss",
	    &feed, &cause), 0);
	feed.etag = xstrdup("\"v2\"");
	assert_int_equal(store_feed_save(s, &feed, &cause), 0);
	store_feed_clear(&feed);

	/* Nothing is visible to other connections before the commit. */
	assert_int_equal(count_feed_items(f, "alpha"), 0);
	assert_int_equal(store_batch_commit(s, &cause), 0);
	assert_int_equal(store_batch_commit(s, &cause), -1);
	free(cause);

	assert_int_equal(count_feed_items(f, "alpha"), 2);
	assert_int_equal(count_feed_items(f, "beta"), 0);
	assert_int_equal(count_feed_items(f, "gamma"), 2);
	v = query_text(f->db_path, "SELECT etag FROM feeds WHERE name = 'alpha'");
	assert_string_equal(v, "\"v2\"");
	free(v);
	store_close(s);
}

static void
test_store_batch_not_committed_loses_items_and_validators(void **state)
{
	struct fixture *f = *state;
	struct parsed_item item;
	struct store_feed feed;
	struct store *s;
	char *cause = NULL;

	/* What a kill -9 before the commit leaves: neither the items nor
	 * the validators, so the next poll fetches them again. */
	s = open_store(f, STORE_READ_WRITE);
	load_feed(s, "wire", "https://example.org/feed");
	assert_int_equal(store_batch_begin(s, &cause), 0);
	assert_int_equal(store_feed_load(s, "wire", "https://example.org/feed",
	    &feed, &cause), 0);
	item = make_item("lost", "Lost", 1000);
	save_items(s, feed.id, &item, 1, 2000);
	feed.etag = xstrdup("\"lost\"");
	assert_int_equal(store_feed_save(s, &feed, &cause), 0);
	store_close(s);

	s = open_store(f, STORE_READ_WRITE);
	store_feed_clear(&feed);
	assert_int_equal(store_feed_load(s, "wire", "https://example.org/feed",
	    &feed, &cause), 0);
	assert_null(feed.etag);
	assert_int_equal(count_items(s), 0);
	store_feed_clear(&feed);
	store_close(s);
}

static void
test_store_batch_rolled_back_by_sqlite_refuses_writes(void **state)
{
	struct fixture *f = *state;
	struct parsed_item item;
	struct store_feed feed;
	struct store *s;
	char *cause = NULL;
	int64_t id;

	s = open_store(f, STORE_READ_WRITE);
	id = load_feed(s, "wire", "https://example.org/feed");
	assert_int_equal(store_batch_begin(s, &cause), 0);
	item = make_item("first", "First", 1000);
	save_items(s, id, &item, 1, 2000);
	/* What SQLite does by itself after some I/O errors or a full disk. */
	assert_int_equal(sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);

	/* Later writes must not slip out as transactions of their own. */
	item = make_item("second", "Second", 1000);
	assert_int_equal(store_items_save(s, id, &item, 1, 2000, NULL, &cause),
	    -1);
	assert_non_null(strstr(cause, "rolled back"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_feed_load(s, "wire", "https://example.org/feed",
	    &feed, &cause), -1);
	free(cause);
	cause = NULL;
	memset(&feed, 0, sizeof feed);
	feed.id = id;
	feed.etag = (char *)"\"e\"";
	assert_int_equal(store_feed_save(s, &feed, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(store_batch_commit(s, &cause), -1);
	assert_non_null(strstr(cause, "rolled back"));
	free(cause);
	cause = NULL;
	assert_int_equal(count_items(s), 0);

	/* The batch is over; the store works as before. */
	save_items(s, id, &item, 1, 3000);
	assert_int_equal(count_items(s), 1);
	store_close(s);
}

/* A database written by the first release (schema 1: feeds and items)
 * is upgraded in place: its items stay, without a story until they are
 * edited, and the new tables are there. */
static void
test_store_version_1_database_is_upgraded_keeping_items(void **state)
{
	struct fixture *f = *state;
	struct store *s;
	sqlite3 *db;
	int64_t story_id;
	int leads;
	char *v, *cause = NULL, *dir;

	xasprintf(&dir, "%s/state", f->root);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(f->state_dir, 0700), 0);
	free(dir);
	assert_int_equal(sqlite3_open(f->db_path, &db), SQLITE_OK);
	sqlite3_close(db);
	exec_sql(f->db_path,
	    "CREATE TABLE feeds (id INTEGER PRIMARY KEY, name TEXT NOT NULL"
	    " UNIQUE, config_url TEXT NOT NULL, url TEXT NOT NULL, etag TEXT,"
	    " last_modified TEXT, last_status INTEGER NOT NULL DEFAULT 0,"
	    " last_error TEXT, failures INTEGER NOT NULL DEFAULT 0,"
	    " last_fetch INTEGER NOT NULL DEFAULT 0,"
	    " last_success INTEGER NOT NULL DEFAULT 0,"
	    " next_poll INTEGER NOT NULL DEFAULT 0,"
	    " learned_interval INTEGER NOT NULL DEFAULT 0,"
	    " disabled INTEGER NOT NULL DEFAULT 0);"
	    "CREATE TABLE items (id INTEGER PRIMARY KEY, feed_id INTEGER NOT"
	    " NULL REFERENCES feeds (id) ON DELETE CASCADE, identity TEXT NOT"
	    " NULL, title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT"
	    " '', url TEXT, author TEXT, published INTEGER NOT NULL DEFAULT -1,"
	    " fetched INTEGER NOT NULL, updated INTEGER NOT NULL, content_hash"
	    " INTEGER NOT NULL, UNIQUE (feed_id, identity));"
	    "INSERT INTO feeds (name, config_url, url) VALUES ('wire',"
	    " 'http://w/', 'http://w/');"
	    "INSERT INTO items (feed_id, identity, title, fetched, updated,"
	    " content_hash) VALUES (1, 'a', 'Old story', 5, 5, 1);"
	    "PRAGMA user_version = 1;");
	s = open_store(f, STORE_READ_WRITE);
	v = query_text(f->db_path, "PRAGMA user_version");
	assert_int_equal(atoi(v), store_schema_version());
	free(v);
	v = query_text(f->db_path, "SELECT title || '/' ||"
	    " coalesce(story_id, 'none') FROM items");
	assert_string_equal(v, "Old story/none");
	free(v);
	assert_int_equal(store_item_story(s, 1, &story_id, &leads, &cause), 0);
	assert_int_equal(story_id, 0);
	v = query_text(f->db_path, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name IN ('stories', 'story_watches', 'alerts', 'sinks')");
	assert_string_equal(v, "4");
	free(v);
	v = query_text(f->db_path, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name IN ('people', 'claims', 'translations')");
	assert_string_equal(v, "3");
	free(v);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup,	\
	fixture_teardown)
		T(test_store_fresh_db_has_current_schema_and_wal),
		T(test_store_reopen_keeps_data),
		T(test_store_feed_state_round_trips),
		T(test_store_feed_config_url_change_resets_state),
		T(test_store_items_resaved_unchanged_write_nothing),
		T(test_store_items_edited_item_updates_once),
		T(test_store_items_same_identity_in_two_feeds_are_distinct),
		T(test_store_items_failed_save_writes_nothing),
		T(test_store_read_only_sees_data_while_writer_is_open),
		T(test_store_read_only_without_database_says_no_state),
		T(test_store_newer_schema_is_refused),
		T(test_store_empty_database_is_migrated_in_place),
		T(test_store_item_list_newest_first_with_limit_and_feed),
		T(test_store_feed_list_is_by_name_with_item_counts),
		T(test_store_items_repeated_identity_in_one_poll_keeps_the_last),
		T(test_store_batch_failed_poll_leaves_the_others_stored),
		T(test_store_batch_not_committed_loses_items_and_validators),
		T(test_store_batch_rolled_back_by_sqlite_refuses_writes),
		T(test_store_version_1_database_is_upgraded_keeping_items),
#undef T
	};

	log_init(LOG_STYLE_TOOL, "test_store", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
