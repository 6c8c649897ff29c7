/* schema.c: the database schema as a list of forward migrations, tracked by PRAGMA user_version. */

/*
 * The schema is never edited in place. Each entry of store_migrations takes
 * the database from version N to N + 1 and is appended, never changed, once
 * released: a database written by any earlier wirewatch is upgraded by
 * running the entries it has not seen, all in one transaction, so an
 * interrupted upgrade leaves the old version intact. PRAGMA user_version
 * holds the version (0 for a database that has none yet); a database with
 * a version beyond the list comes from a newer wirewatch and is refused
 * rather than guessed at.
 *
 * Later stages add their tables as new entries.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/common.h"
#include "store/store_internal.h"

/* "Newest" orders by the publication date, else the time we first stored
 * the item; a publication date later than that (a feed's typo, a wrong
 * clock) is not trusted, or such an item would head every listing for
 * years. store_item_list uses the same expression, so SQLite walks the
 * index instead of sorting. */
static const char *const store_migrations[] = {
	/* 1: feeds with their polling state, and their items. */
	"CREATE TABLE feeds ("
	"  id               INTEGER PRIMARY KEY,"
	"  name             TEXT NOT NULL UNIQUE,"
	"  config_url       TEXT NOT NULL,"
	"  url              TEXT NOT NULL,"
	"  etag             TEXT,"
	"  last_modified    TEXT,"
	"  last_status      INTEGER NOT NULL DEFAULT 0,"
	"  last_error       TEXT,"
	"  failures         INTEGER NOT NULL DEFAULT 0,"
	"  last_fetch       INTEGER NOT NULL DEFAULT 0,"
	"  last_success     INTEGER NOT NULL DEFAULT 0,"
	"  next_poll        INTEGER NOT NULL DEFAULT 0,"
	"  learned_interval INTEGER NOT NULL DEFAULT 0,"
	"  disabled         INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE items ("
	"  id           INTEGER PRIMARY KEY,"
	"  feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,"
	"  identity     TEXT NOT NULL,"
	"  title        TEXT NOT NULL DEFAULT '',"
	"  text         TEXT NOT NULL DEFAULT '',"
	"  url          TEXT,"
	"  author       TEXT,"
	"  published    INTEGER NOT NULL DEFAULT -1,"
	"  fetched      INTEGER NOT NULL,"
	"  updated      INTEGER NOT NULL,"
	"  content_hash INTEGER NOT NULL,"
	"  UNIQUE (feed_id, identity)"
	");"
	"CREATE INDEX items_newest ON items"
	"  ((CASE WHEN published BETWEEN 0 AND fetched"
	"    THEN published ELSE fetched END));"
	"CREATE INDEX items_feed_newest ON items (feed_id,"
	"  (CASE WHEN published BETWEEN 0 AND fetched"
	"    THEN published ELSE fetched END));",

	/* 2: stories and their sources, the watches they matched, the alert
	 * outbox and the sinks' cursors. */
	"CREATE TABLE stories ("
	"  id          INTEGER PRIMARY KEY,"
	"  item_id     INTEGER REFERENCES items (id) ON DELETE SET NULL,"
	"  title       TEXT NOT NULL DEFAULT '',"
	"  text        TEXT NOT NULL DEFAULT '',"
	"  url         TEXT,"
	"  lang        TEXT NOT NULL DEFAULT 'und',"
	"  published   INTEGER NOT NULL DEFAULT -1,"
	"  first_seen  INTEGER NOT NULL,"
	"  last_seen   INTEGER NOT NULL,"
	"  sources     INTEGER NOT NULL DEFAULT 1,"
	"  exact_hash  INTEGER NOT NULL,"
	"  signature   BLOB NOT NULL"
	");"
	"CREATE INDEX stories_last_seen ON stories (last_seen);"
	"ALTER TABLE items ADD COLUMN story_id INTEGER"
	"  REFERENCES stories (id) ON DELETE SET NULL;"
	"ALTER TABLE items ADD COLUMN lang TEXT;"
	"CREATE INDEX items_story ON items (story_id);"
	"CREATE TABLE story_watches ("
	"  story_id    INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
	"  watch       TEXT NOT NULL,"
	"  matched     INTEGER NOT NULL,"
	"  PRIMARY KEY (story_id, watch)"
	") WITHOUT ROWID;"
	"CREATE INDEX story_watches_watch ON story_watches (watch, matched);"
	"CREATE TABLE alerts ("
	"  seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time        INTEGER NOT NULL,"
	"  type        TEXT NOT NULL,"
	"  watch       TEXT NOT NULL,"
	"  story_id    INTEGER,"
	"  body        TEXT NOT NULL"
	");"
	"CREATE INDEX alerts_time ON alerts (time);"
	"CREATE TABLE sinks ("
	"  name        TEXT PRIMARY KEY,"
	"  cursor      INTEGER NOT NULL DEFAULT 0"
	");",

	/* 3: translation in place. A story's title and text become the
	 * translation, the originals stay beside them; a story waiting for
	 * its translation holds its alerts (story_watches.alerted = 0);
	 * translations are cached by backend, pair and text, and what each
	 * backend cost is counted. */
	"ALTER TABLE stories ADD COLUMN title_original TEXT;"
	"ALTER TABLE stories ADD COLUMN text_original TEXT;"
	"ALTER TABLE stories ADD COLUMN translated_by TEXT;"
	"ALTER TABLE stories ADD COLUMN translated_from TEXT;"
	"ALTER TABLE stories ADD COLUMN translation TEXT NOT NULL"
	"  DEFAULT 'none';"
	"ALTER TABLE stories ADD COLUMN translate_since INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN translate_due INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN translate_attempts INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE stories ADD COLUMN translate_error TEXT;"
	"CREATE INDEX stories_translate_due ON stories (translate_due)"
	"  WHERE translation IN ('title', 'text');"
	"ALTER TABLE story_watches ADD COLUMN alerted INTEGER NOT NULL"
	"  DEFAULT 1;"
	"CREATE TABLE translations ("
	"  backend     TEXT NOT NULL,"
	"  source      TEXT NOT NULL,"
	"  target      TEXT NOT NULL,"
	"  hash        INTEGER NOT NULL,"
	"  text        TEXT NOT NULL,"
	"  translation TEXT NOT NULL,"
	"  created     INTEGER NOT NULL,"
	"  PRIMARY KEY (backend, source, target, hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE translate_stats ("
	"  backend      TEXT PRIMARY KEY,"
	"  requests     INTEGER NOT NULL DEFAULT 0,"
	"  chars        INTEGER NOT NULL DEFAULT 0,"
	"  cache_hits   INTEGER NOT NULL DEFAULT 0,"
	"  cache_misses INTEGER NOT NULL DEFAULT 0,"
	"  failures     INTEGER NOT NULL DEFAULT 0,"
	"  untranslated INTEGER NOT NULL DEFAULT 0"
	");",

	/* 4: the registries of the extract stage, one per watch: the people
	 * named in its stories (variants is a JSON array of the spellings
	 * seen; surname is the key's surname, so that a lookup reads one
	 * slice of the watch's people) and the claims made in them (figures
	 * separated by tabs; revises is the claim whose figure this one
	 * changed). alert_seq is the alert each raised, NULL when the watch
	 * did not ask for that kind of alert. */
	"CREATE TABLE people ("
	"  id          INTEGER PRIMARY KEY,"
	"  watch       TEXT NOT NULL,"
	"  name        TEXT NOT NULL,"
	"  key         TEXT NOT NULL,"
	"  surname     TEXT NOT NULL,"
	"  variants    TEXT NOT NULL,"
	"  mentions    INTEGER NOT NULL DEFAULT 1,"
	"  first_story INTEGER,"
	"  last_story  INTEGER,"
	"  first_seen  INTEGER NOT NULL,"
	"  last_seen   INTEGER NOT NULL,"
	"  evidence    TEXT,"
	"  alert_seq   INTEGER"
	");"
	"CREATE INDEX people_surname ON people (watch, surname);"
	"CREATE INDEX people_last_seen ON people (watch, last_seen);"
	"CREATE TABLE claims ("
	"  id          INTEGER PRIMARY KEY,"
	"  watch       TEXT NOT NULL,"
	"  story_id    INTEGER,"
	"  text        TEXT NOT NULL,"
	"  speaker     TEXT,"
	"  speaker_key TEXT,"
	"  source      TEXT,"
	"  figures     TEXT NOT NULL DEFAULT '',"
	"  terms       TEXT NOT NULL DEFAULT '',"
	"  lang        TEXT NOT NULL DEFAULT 'und',"
	"  revises     INTEGER,"
	"  alert_seq   INTEGER,"
	"  repeats     INTEGER NOT NULL DEFAULT 0,"
	"  first_seen  INTEGER NOT NULL,"
	"  last_seen   INTEGER NOT NULL"
	");"
	"CREATE INDEX claims_watch ON claims (watch, id);",
};

#define STORE_NMIGRATIONS \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

int
store_schema_version(void)
{
	return STORE_NMIGRATIONS;
}

int
store_schema_read(sqlite3 *db, const char *path, int *version, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	else
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The refusal for a database written by a newer wirewatch. */
static int
store_schema_too_new(const char *path, int version, char **cause)
{
	xasprintf(cause, "%s: schema version %d is newer than this wirewatch "
	    "understands (%d); upgrade wirewatch", path, version,
	    STORE_NMIGRATIONS);
	return -1;
}

/* Runs the migrations from version on, and records the new version, inside
 * the caller's transaction. */
static int
store_schema_apply(sqlite3 *db, const char *path, int version, char **cause)
{
	char sql[64];

	for (; version < STORE_NMIGRATIONS; version++) {
		if (sqlite3_exec(db, store_migrations[version], NULL, NULL,
		    NULL) != SQLITE_OK) {
			xasprintf(cause, "%s: migrating to schema version %d: "
			    "%s", path, version + 1, sqlite3_errmsg(db));
			return -1;
		}
	}
	/* A pragma takes no bound parameters; the value is our own integer. */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int
store_schema_migrate(sqlite3 *db, const char *path, char **cause)
{
	int version;

	if (store_schema_read(db, path, &version, cause) != 0)
		return -1;
	if (version > STORE_NMIGRATIONS)
		return store_schema_too_new(path, version, cause);
	if (version == STORE_NMIGRATIONS)
		return 0;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	/* Read again under the write lock: another process may have migrated
	 * between the first look and the lock. */
	if (store_schema_read(db, path, &version, cause) != 0)
		goto fail;
	if (version > STORE_NMIGRATIONS) {
		store_schema_too_new(path, version, cause);
		goto fail;
	}
	if (store_schema_apply(db, path, version, cause) != 0)
		goto fail;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (version == 0)
		log_info("%s: created (schema version %d)", path,
		    STORE_NMIGRATIONS);
	else
		log_info("%s: schema upgraded from version %d to %d", path,
		    version, STORE_NMIGRATIONS);
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
