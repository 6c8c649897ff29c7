/* registry.c: the extract stage's registries — the people each watch's stories named, and the claims they made. */

/*
 * Both tables are written in the transaction of the story change that
 * found them, like the alerts they raise: a crash loses a person and the
 * alert about them together, and the next poll finds both again.
 *
 * A person is looked up by the first byte of their surname key, not the
 * whole key: extract_name_compare forgives an edit or two in a long
 * surname, and such variants nearly always share their first letter once
 * the key has folded kh/h and dropped al-. Reading the slice is one index
 * range; the comparing is the caller's.
 */
#include <stdint.h>
#include <string.h>

#include "common/common.h"
#include "store/store_internal.h"

#define STORE_PERSON_COLUMNS \
	"id, watch, name, key, variants, evidence, mentions, first_story," \
	" first_seen, last_seen, alert_seq"

#define STORE_CLAIM_COLUMNS \
	"c.id, c.watch, c.story_id, c.text, c.speaker, c.speaker_key," \
	" c.source, c.figures, c.terms, c.lang, c.revises, c.alert_seq," \
	" c.repeats, c.first_seen, c.last_seen"

/* A text column, "" for NULL. */
static const char *
store_registry_text(sqlite3_stmt *stmt, int n)
{
	const unsigned char *text = sqlite3_column_text(stmt, n);

	return text != NULL ? (const char *)text : "";
}

/* A text column that may be NULL. */
static const char *
store_registry_text_or_null(sqlite3_stmt *stmt, int n)
{
	return (const char *)sqlite3_column_text(stmt, n);
}

/* Binds an id, NULL for 0. */
static void
store_registry_bind_id(sqlite3_stmt *stmt, int n, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(stmt, n, id);
	else
		sqlite3_bind_null(stmt, n);
}

/* Steps a statement that yields people through cb. */
static int
store_person_rows(struct store *s, sqlite3_stmt *stmt,
    int (*cb)(const struct store_person *, void *), void *arg, char **cause)
{
	struct store_person p;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(stmt, 0);
		p.watch = store_registry_text(stmt, 1);
		p.name = store_registry_text(stmt, 2);
		p.key = store_registry_text(stmt, 3);
		p.variants = store_registry_text(stmt, 4);
		p.evidence = store_registry_text_or_null(stmt, 5);
		p.mentions = sqlite3_column_int64(stmt, 6);
		p.first_story = sqlite3_column_int64(stmt, 7);
		p.first_seen = sqlite3_column_int64(stmt, 8);
		p.last_seen = sqlite3_column_int64(stmt, 9);
		p.alert_seq = sqlite3_column_int64(stmt, 10);
		if (cb(&p, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		store_fail(s, cause, "reading people");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_person_candidates(struct store *s, const char *watch,
    const char *surname, int (*cb)(const struct store_person *, void *),
    void *arg, char **cause)
{
	sqlite3_stmt *stmt;
	unsigned char first = (unsigned char)surname[0];

	stmt = store_stmt(s, STORE_STMT_PERSON_CANDIDATES, "SELECT "
	    STORE_PERSON_COLUMNS " FROM people WHERE watch = ?1"
	    " AND surname >= ?2 AND surname < ?3 ORDER BY id", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, watch);
	/* The slice [first, first + 1) of the index; an empty surname (no
	 * key) or a 0xff first byte reads from there to the end. */
	sqlite3_bind_text(stmt, 2, (const char *)&first, first != 0,
	    SQLITE_TRANSIENT);
	if (first == 0 || first == 0xff)
		sqlite3_bind_text(stmt, 3, "\xff\xff", 2, SQLITE_STATIC);
	else {
		first++;
		sqlite3_bind_text(stmt, 3, (const char *)&first, 1,
		    SQLITE_TRANSIENT);
	}
	return store_person_rows(s, stmt, cb, arg, cause);
}

/* The surname part of a "given|surname" key. */
static const char *
store_person_surname(const char *key)
{
	const char *bar = strchr(key, '|');

	return bar != NULL ? bar + 1 : key;
}

int
store_person_insert(struct store *s, const struct store_person *p,
    int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_PERSON_INSERT, "INSERT INTO people"
	    " (watch, name, key, surname, variants, evidence, first_story,"
	    " last_story, first_seen, last_seen, alert_seq)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8, ?9)", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, p->watch);
	store_bind_text(stmt, 2, p->name);
	store_bind_text(stmt, 3, p->key);
	store_bind_text(stmt, 4, store_person_surname(p->key));
	store_bind_text(stmt, 5, p->variants);
	store_bind_text(stmt, 6, p->evidence);
	store_registry_bind_id(stmt, 7, p->first_story);
	sqlite3_bind_int64(stmt, 8, p->first_seen);
	store_registry_bind_id(stmt, 9, p->alert_seq);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE)
		*id = sqlite3_last_insert_rowid(s->db);
	else
		store_fail(s, cause, "adding a person");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_person_seen(struct store *s, int64_t id, const char *name,
    const char *key, const char *variants, int64_t story_id, int64_t now,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_PERSON_UPDATE, "UPDATE people SET"
	    " name = ?2, key = ?3, surname = ?4, variants = ?5,"
	    " mentions = mentions + 1, last_story = ?6, last_seen = ?7"
	    " WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, name);
	store_bind_text(stmt, 3, key);
	store_bind_text(stmt, 4, store_person_surname(key));
	store_bind_text(stmt, 5, variants);
	store_registry_bind_id(stmt, 6, story_id);
	sqlite3_bind_int64(stmt, 7, now);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "updating a person");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_person_list(struct store *s, const char *watch, size_t limit,
    int (*cb)(const struct store_person *, void *), void *arg, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_stmt(s, STORE_STMT_PERSON_LIST, "SELECT "
	    STORE_PERSON_COLUMNS " FROM people WHERE ?1 IS NULL OR watch = ?1"
	    " ORDER BY last_seen DESC, id DESC LIMIT ?2", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, watch);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : -1);
	return store_person_rows(s, stmt, cb, arg, cause);
}

/* Steps a statement that yields claims through cb. */
static int
store_claim_rows(struct store *s, sqlite3_stmt *stmt, int with_revises,
    int (*cb)(const struct store_claim *, void *), void *arg, char **cause)
{
	struct store_claim c;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		c.id = sqlite3_column_int64(stmt, 0);
		c.watch = store_registry_text(stmt, 1);
		c.story_id = sqlite3_column_int64(stmt, 2);
		c.text = store_registry_text(stmt, 3);
		c.speaker = store_registry_text_or_null(stmt, 4);
		c.speaker_key = store_registry_text_or_null(stmt, 5);
		c.source = store_registry_text_or_null(stmt, 6);
		c.figures = store_registry_text(stmt, 7);
		c.terms = store_registry_text(stmt, 8);
		c.lang = store_registry_text(stmt, 9);
		c.revises = sqlite3_column_int64(stmt, 10);
		c.alert_seq = sqlite3_column_int64(stmt, 11);
		c.repeats = sqlite3_column_int64(stmt, 12);
		c.first_seen = sqlite3_column_int64(stmt, 13);
		c.last_seen = sqlite3_column_int64(stmt, 14);
		if (with_revises)
			c.revises_seq = sqlite3_column_int64(stmt, 15);
		if (cb(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		store_fail(s, cause, "reading claims");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_claim_recent(struct store *s, const char *watch, size_t limit,
    int (*cb)(const struct store_claim *, void *), void *arg, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_stmt(s, STORE_STMT_CLAIM_RECENT, "SELECT "
	    STORE_CLAIM_COLUMNS " FROM claims c WHERE c.watch = ?1"
	    " ORDER BY c.id DESC LIMIT ?2", cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, watch);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : -1);
	return store_claim_rows(s, stmt, 0, cb, arg, cause);
}

int
store_claim_insert(struct store *s, const struct store_claim *c, int64_t *id,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_CLAIM_INSERT, "INSERT INTO claims"
	    " (watch, story_id, text, speaker, speaker_key, source, figures,"
	    " terms, lang, revises, alert_seq, first_seen, last_seen)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, c->watch);
	store_registry_bind_id(stmt, 2, c->story_id);
	store_bind_text(stmt, 3, c->text);
	store_bind_text(stmt, 4, c->speaker);
	store_bind_text(stmt, 5, c->speaker_key);
	store_bind_text(stmt, 6, c->source);
	store_bind_text(stmt, 7, c->figures != NULL ? c->figures : "");
	store_bind_text(stmt, 8, c->terms != NULL ? c->terms : "");
	store_bind_text(stmt, 9, c->lang != NULL ? c->lang : "und");
	store_registry_bind_id(stmt, 10, c->revises);
	store_registry_bind_id(stmt, 11, c->alert_seq);
	sqlite3_bind_int64(stmt, 12, c->first_seen);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE)
		*id = sqlite3_last_insert_rowid(s->db);
	else
		store_fail(s, cause, "adding a claim");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_claim_repeat(struct store *s, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_check_writable(s, cause) != 0 ||
	    store_check_batch(s, cause) != 0)
		return -1;
	stmt = store_stmt(s, STORE_STMT_CLAIM_REPEAT, "UPDATE claims SET"
	    " repeats = repeats + 1, last_seen = ?2 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
		store_fail(s, cause, "counting a repeated claim");
	store_stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_claim_list(struct store *s, const char *watch, size_t limit,
    int (*cb)(const struct store_claim *, void *), void *arg, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = store_stmt(s, STORE_STMT_CLAIM_LIST, "SELECT "
	    STORE_CLAIM_COLUMNS ", r.alert_seq FROM claims c"
	    " LEFT JOIN claims r ON r.id = c.revises"
	    " WHERE ?1 IS NULL OR c.watch = ?1 ORDER BY c.id DESC LIMIT ?2",
	    cause);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, watch);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (int64_t)limit : -1);
	return store_claim_rows(s, stmt, 1, cb, arg, cause);
}
