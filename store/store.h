/* store/store.h: the SQLite state — feeds and their polling state, items, stories, and the alert outbox. */
#ifndef WW_STORE_H
#define WW_STORE_H

#include <stddef.h>
#include <stdint.h>

struct parsed_item;
struct store;

enum store_mode {
	STORE_READ_WRITE,	/* the daemon: creates and migrates the schema */
	STORE_READ_ONLY,	/* the wirewatch command, while the daemon runs */
};

/* Opens state_dir/wirewatch.db (creating the directory and the database in
 * read-write mode), WAL mode, migrating the schema forward. Returns NULL and
 * *cause when it cannot; a database from a newer wirewatch is refused. */
struct store	*store_open(const char *state_dir, enum store_mode, char **cause);
/* Closes the store; a batch still open is discarded, not committed. */
void		 store_close(struct store *);

/*
 * Batches. Every write below is atomic by itself, and outside a batch each
 * store_feed_load, store_feed_save and store_items_save is a transaction
 * of its own. Between store_batch_begin and store_batch_commit they all
 * share one transaction instead; each store_feed_load and store_items_save
 * runs in a savepoint of it, so one that fails takes back its own writes
 * and nothing else, and the rest of the batch still commits. Some errors
 * (a full disk, an I/O error) make SQLite roll back the whole transaction
 * instead: then every write fails until store_batch_commit, which reports
 * the batch lost, rather than being written outside it.
 *
 * Why: a commit writes every page it changed to the WAL, and the polls
 * that finish in the same moment change the same index and interior pages
 * of the items B-tree; one commit for many polls writes those pages once
 * instead of once a poll (the first poll of 2,000 feeds took almost twice
 * as long without batches). The price is latency: until the commit,
 * readers do not see the batch, the write lock stays taken, and a crash
 * (kill -9, power cut) loses the whole batch. Keep batches short, and save
 * a feed's validators (store_feed_save) in the same batch as its items:
 * then whatever a crash loses is fetched and stored again at the next
 * poll, since the validators that would have answered 304 were lost too.
 */
/* Opens a batch. Returns 0, or -1 and *cause (also when one is open). */
int	 store_batch_begin(struct store *, char **cause);
/* Commits the batch. Returns 0, or -1 and *cause when it could not be
 * committed, or SQLite already rolled it back after an error inside it: then
 * nothing of the batch was written. Either way the batch is over. */
int	 store_batch_commit(struct store *, char **cause);
/* Discards the open batch, if any. */
void	 store_batch_rollback(struct store *);

/* A feed's persistent state. Strings are owned by the struct; release them
 * with store_feed_clear. */
struct store_feed {
	int64_t	 id;
	char	*name;
	char	*config_url;	/* the URL the configuration gave */
	char	*url;		/* the URL polled: config_url, or where a 301/308 moved it */
	char	*etag;
	char	*last_modified;
	int	 last_status;	/* HTTP status of the last poll; 0 for none or a network error */
	char	*last_error;	/* NULL after a success */
	int	 failures;	/* consecutive failed polls */
	int64_t	 last_fetch;	/* unix time of the last poll, 0 never */
	int64_t	 last_success;	/* unix time of the last good poll, 0 never */
	int64_t	 next_poll;	/* unix time the scheduler will poll next */
	int64_t	 learned_interval; /* seconds, for interval = auto; 0 unknown */
	int	 disabled;	/* 410 Gone: not polled until its config URL changes */
	int64_t	 items;		/* items stored (filled by store_feed_list) */
};

/* Loads the feed called name, creating it when new. When config_url differs
 * from the stored config URL the feed is a new subscription: its URL,
 * validators, failures and disabled flag are reset. Returns 0 or -1 and
 * *cause. In a batch, the id of a new feed holds only once it commits. */
int	 store_feed_load(struct store *, const char *name, const char *config_url,
	    struct store_feed *out, char **cause);
/* Writes url, validators, status, error, failures, times, learned
 * interval and disabled flag of feed->id. Returns 0 or -1 and *cause. */
int	 store_feed_save(struct store *, const struct store_feed *, char **cause);
void	 store_feed_clear(struct store_feed *);
/* Calls cb for every stored feed (with its item count), by name; stops
 * when cb returns non-zero. Returns 0 or -1. */
int	 store_feed_list(struct store *,
	    int (*cb)(const struct store_feed *, void *), void *arg);

struct store_save_result {
	int	inserted;	/* items never seen before */
	int	updated;	/* known items whose content changed */
	int	unchanged;
};

/* Stores a poll's items for feed_id atomically (a transaction, or a
 * savepoint of the open batch): new identities are inserted, known ones
 * whose title/text/url/author changed are updated (once: the content hash
 * then matches), the rest left alone. Returns 0 or -1 and *cause, in which
 * case nothing of this poll was written. */
int	 store_items_save(struct store *, int64_t feed_id,
	    const struct parsed_item *items, size_t count, int64_t now,
	    struct store_save_result *result, char **cause);

/* An item as stored. Strings may be NULL; owned by the store during cb. */
struct store_item {
	int64_t		 id;
	const char	*feed;		/* feed name */
	const char	*identity;
	const char	*title;
	const char	*text;
	const char	*url;
	const char	*author;
	int64_t		 published;	/* -1 unknown */
	int64_t		 fetched;	/* first stored */
	int64_t		 updated;	/* last changed; equals fetched until edited */
};

/* Calls cb for the newest items (by published, else fetched), at most
 * limit of them, optionally only those of one feed (NULL for all). */
int	 store_item_list(struct store *, const char *feed, size_t limit,
	    int (*cb)(const struct store_item *, void *), void *arg);

/*
 * Items' stories. Every item belongs to one story; a story holds the text
 * of the item that opened it (updated when that item is edited), its
 * signature for the near-duplicate index, and its sources: the items of
 * any feed assigned to it.
 */

/* What store_items_save did with one item, for the caller's pipeline. */
enum store_item_change {
	STORE_ITEM_INSERTED,
	STORE_ITEM_UPDATED,
};

/* Called by store_items_save inside its transaction (or savepoint) for each
 * item inserted or updated: the caller's writes there are atomic with the
 * poll. Returning -1 with *cause takes back the whole poll. */
typedef int (*store_item_cb)(int64_t item_id, enum store_item_change,
    const struct parsed_item *, void *arg, char **cause);

/* store_items_save with a callback per inserted or updated item (cb may be
 * NULL: then it is store_items_save). */
int	 store_items_save_with(struct store *, int64_t feed_id,
	    const struct parsed_item *items, size_t count, int64_t now,
	    struct store_save_result *result, store_item_cb cb, void *arg,
	    char **cause);

/* A story to create for item_id (its first source). */
struct store_story_new {
	int64_t		 item_id;
	const char	*title;
	const char	*text;
	const char	*url;
	const char	*lang;		/* ISO 639-1 or "und" */
	int64_t		 published;	/* -1 unknown */
	int64_t		 now;
	uint64_t	 exact_hash;
	const uint8_t	*signature;
	size_t		 signature_len;
};

/* Creates a story with item_id as its first source and sets the item's
 * language. Returns 0 and *id, or -1 and *cause. */
int	 store_story_insert(struct store *, const struct store_story_new *,
	    int64_t *id, char **cause);
/* Makes item_id (written in lang) a source of story_id, which is seen
 * again at now. Returns 0, 1 when story_id does not exist (a stale index
 * entry: nothing written), or -1 and *cause. */
int	 store_story_add_item(struct store *, int64_t story_id,
	    int64_t item_id, const char *lang, int64_t now, char **cause);
/* Finds the story of an item: 0 and *story_id (0 when it has none yet)
 * with *leads set when the item is the one that opened the story, or -1
 * and *cause. */
int	 store_item_story(struct store *, int64_t item_id, int64_t *story_id,
	    int *leads, char **cause);
/* An edit of the item that opened story_id: its text and signature
 * replace the story's, and a translation of the old text is dropped.
 * Returns 0 or -1 and *cause. */
int	 store_story_update(struct store *, int64_t story_id,
	    const struct store_story_new *, char **cause);
/* Records that watch matched story_id; held says its alert waits for the
 * story's translation (see store_story_watches_held). Returns 1 when it
 * had not matched before, 0 when it had, -1 and *cause on error. */
int	 store_story_watch_add(struct store *, int64_t story_id,
	    const char *watch, int held, int64_t now, char **cause);
/* Calls cb for each watch whose alert for story_id is held, and marks it
 * no longer held. */
int	 store_story_watches_release(struct store *, int64_t story_id,
	    int (*cb)(const char *watch, void *), void *arg, char **cause);
/* How many watches matched story_id (0 or more), or -1. */
int	 store_story_watch_count(struct store *, int64_t story_id,
	    char **cause);

/* A story's signature as stored, for rebuilding the index. */
struct store_story_signature {
	int64_t		 id;
	int64_t		 last_seen;
	const uint8_t	*signature;	/* owned by the store during cb */
	size_t		 signature_len;
};
/* Calls cb for every story last seen at or after since. */
int	 store_story_signatures(struct store *, int64_t since,
	    int (*cb)(const struct store_story_signature *, void *), void *arg,
	    char **cause);

/* A story as listed. Strings are owned by the store during cb. */
struct store_story {
	int64_t		 id;
	const char	*title;
	const char	*text;
	const char	*url;
	const char	*feed;		/* the feed of its first source */
	const char	*lang;
	const char	*languages;	/* its sources' languages, "en,ru" */
	const char	*watches;	/* watches it matched, "a,b"; NULL none */
	int64_t		 published;
	int64_t		 first_seen;
	int64_t		 last_seen;
	int64_t		 sources;
	/* Translation in place: title and text above are the translation when
	 * these are set. */
	const char	*title_original;	/* NULL: the title is the original */
	const char	*text_original;
	const char	*translated_by;		/* the backend, NULL untranslated */
	const char	*translated_from;
	const char	*translation;		/* STORE_TRANSLATION_* */
	const char	*translate_error;	/* why it is untranslated, or the
						 * last failed attempt */
};
/* Calls cb for the stories last seen most recently, at most limit (0: no
 * limit), only those with a source in feed / matched by watch when not
 * NULL; stops when cb returns non-zero. */
int	 store_story_list(struct store *, const char *feed, const char *watch,
	    size_t limit, int (*cb)(const struct store_story *, void *),
	    void *arg, char **cause);
/* Loads one story by id for cb; returns 1 when found, 0 when not, -1. */
int	 store_story_get(struct store *, int64_t id,
	    int (*cb)(const struct store_story *, void *), void *arg,
	    char **cause);
/* Calls cb for the sources of a story, first seen first (store_item's
 * fetched is the source's first seen, updated its last change). */
int	 store_story_sources(struct store *, int64_t story_id,
	    int (*cb)(const struct store_item *, void *), void *arg,
	    char **cause);

/*
 * Translation. A story not in the target language waits in a state kept
 * in the store, so that a restart goes on where it was:
 *   "none"          nothing to translate (the target language, unknown)
 *   "title"         its title is to be translated (translate = watched)
 *   "text"          its text (and its title, if not yet) is to be translated
 *   "done"          translated as far as it will be
 *   "untranslated"  given up (refused, or max_wait passed): used as it is
 * A waiting story holds the alerts of the watches it matches until it
 * leaves "title" or "text" for good.
 */
#define STORE_TRANSLATION_NONE		"none"
#define STORE_TRANSLATION_TITLE		"title"
#define STORE_TRANSLATION_TEXT		"text"
#define STORE_TRANSLATION_DONE		"done"
#define STORE_TRANSLATION_UNTRANSLATED	"untranslated"

/* Puts story_id in state (title or text) from now, due at once. */
int	 store_story_translate_request(struct store *, int64_t story_id,
	    const char *state, int64_t now, char **cause);
/* Returns 1 when story_id waits for a translation, 0 when not, -1. */
int	 store_story_pending(struct store *, int64_t story_id, char **cause);

/* A story waiting, as the translation stage needs it; owned by the store
 * during the callback. */
struct store_translate_job {
	int64_t		 id;
	const char	*state;		/* "title" or "text" */
	const char	*lang;
	const char	*title;		/* the translation once title_original is set */
	const char	*text;
	const char	*title_original;
	int64_t		 since;		/* waiting since */
	int		 attempts;
};
/* Calls cb for the waiting stories due at now, soonest first, at most
 * limit, skipping ids for which skip returns non-zero (those in flight). */
int	 store_story_translate_due(struct store *, int64_t now, size_t limit,
	    int (*skip)(int64_t id, void *), int (*cb)(const struct
	    store_translate_job *, void *), void *arg, char **cause);
/* The soonest due time after now of a waiting story (0: none is due
 * later) and how many wait in all. */
int	 store_story_translate_next(struct store *, int64_t now, int64_t *due,
	    int64_t *pending, char **cause);
/* A translation step done: a non-NULL title or text replaces the story's
 * (the first replacement keeps the original), by backend from source, and
 * the story moves to state. */
int	 store_story_translated(struct store *, int64_t story_id,
	    const char *title, const char *text, const char *backend,
	    const char *source, const char *state, char **cause);
/* A failed attempt: the story is due again at due, with error kept. */
int	 store_story_translate_retry(struct store *, int64_t story_id,
	    int64_t due, const char *error, char **cause);
/* Gives up: the story is used untranslated, error says why. */
int	 store_story_translate_give_up(struct store *, int64_t story_id,
	    const char *error, char **cause);

/* The translation cache, by backend, pair and text (hashed, and compared
 * whole, so a hash collision is a miss). get returns 1 and *translation
 * (caller frees), 0 for a miss, -1. */
int	 store_translation_get(struct store *, const char *backend,
	    const char *source, const char *target, const char *text,
	    char **translation, char **cause);
int	 store_translation_put(struct store *, const char *backend,
	    const char *source, const char *target, const char *text,
	    const char *translation, int64_t now, char **cause);

/* What a backend cost, counted since the state was created. */
struct store_translate_stats {
	const char	*backend;
	int64_t		 requests;
	int64_t		 chars;		/* characters of text sent */
	int64_t		 cache_hits;	/* texts found in the cache */
	int64_t		 cache_misses;
	int64_t		 failures;	/* failed requests */
	int64_t		 untranslated;	/* stories given up on */
};
/* Adds the counts of delta to its backend's. */
int	 store_translate_stats_add(struct store *,
	    const struct store_translate_stats *delta, char **cause);
/* Calls cb for every backend's counts. */
int	 store_translate_stats_list(struct store *,
	    int (*cb)(const struct store_translate_stats *, void *), void *arg,
	    char **cause);

/*
 * The extract stage's registries, one per watch: the people its stories
 * named and the claims they made. A person's key is extract_name_key's
 * "given|surname"; variants is a JSON array of every spelling seen.
 */
struct store_person {
	int64_t		 id;
	const char	*watch;
	const char	*name;		/* the fullest form seen */
	const char	*key;
	const char	*variants;	/* JSON array */
	const char	*evidence;	/* the sentence that first named them */
	int64_t		 mentions;	/* stories (and copies) naming them */
	int64_t		 first_story;
	int64_t		 first_seen;
	int64_t		 last_seen;
	int64_t		 alert_seq;	/* 0: no alert was raised */
};
/* Calls cb for the people of watch whose surname key starts with the
 * first byte of surname: the slice extract_name_compare can match. */
int	 store_person_candidates(struct store *, const char *watch,
	    const char *surname, int (*cb)(const struct store_person *, void *),
	    void *arg, char **cause);
/* Adds a person (p->id, mentions and last_seen are ignored: 1 and
 * first_seen). Returns 0 and *id, or -1 and *cause. */
int	 store_person_insert(struct store *, const struct store_person *,
	    int64_t *id, char **cause);
/* A known person named again in story_id at now: name, key and variants
 * replace the stored ones, mentions grows by one. */
int	 store_person_seen(struct store *, int64_t id, const char *name,
	    const char *key, const char *variants, int64_t story_id,
	    int64_t now, char **cause);
/* Calls cb for the people of watch (NULL: every watch), most recently
 * seen first, at most limit (0: all). */
int	 store_person_list(struct store *, const char *watch, size_t limit,
	    int (*cb)(const struct store_person *, void *), void *arg,
	    char **cause);

struct store_claim {
	int64_t		 id;
	const char	*watch;
	int64_t		 story_id;
	const char	*text;
	const char	*speaker;	/* NULL none */
	const char	*speaker_key;	/* NULL unless a person */
	const char	*source;	/* NULL none */
	const char	*figures;	/* tab separated, "" none */
	const char	*terms;
	const char	*lang;
	int64_t		 revises;	/* the claim it revises, 0 none */
	int64_t		 revises_seq;	/* that claim's alert, 0 none (lists) */
	int64_t		 alert_seq;	/* 0: no alert was raised */
	int64_t		 repeats;	/* times seen again */
	int64_t		 first_seen;
	int64_t		 last_seen;
};
/* Calls cb for the newest claims of watch first, at most limit: what a
 * new claim is compared with. */
int	 store_claim_recent(struct store *, const char *watch, size_t limit,
	    int (*cb)(const struct store_claim *, void *), void *arg,
	    char **cause);
/* Adds a claim (c->id, repeats, revises_seq and last_seen are ignored).
 * Returns 0 and *id, or -1 and *cause. */
int	 store_claim_insert(struct store *, const struct store_claim *,
	    int64_t *id, char **cause);
/* A known claim made again at now. */
int	 store_claim_repeat(struct store *, int64_t id, int64_t now,
	    char **cause);
/* Calls cb for the claims of watch (NULL: every watch), newest first, at
 * most limit (0: all), with revises_seq filled. */
int	 store_claim_list(struct store *, const char *watch, size_t limit,
	    int (*cb)(const struct store_claim *, void *), void *arg,
	    char **cause);

/*
 * The alert outbox. An alert is inserted in the transaction of the story
 * change that causes it and gets the next seq, which SQLite's AUTOINCREMENT
 * never hands out twice even after rows are deleted. Sinks deliver after
 * the commit and keep their own cursor: the last seq they delivered.
 */
struct store_alert {
	int64_t		 seq;
	int64_t		 time;
	const char	*type;		/* "new_story", "new_person", "new_claim" */
	const char	*watch;
	int64_t		 story_id;	/* 0 none */
	const char	*body;		/* JSON object: the members after seq,
					 * time, type and watch */
};
/* Inserts an alert. Returns 0 and *seq, or -1 and *cause. */
int	 store_alert_insert(struct store *, const char *type, const char *watch,
	    int64_t story_id, const char *body, int64_t now, int64_t *seq,
	    char **cause);
/* A selection of alerts: seq after after_seq, time at or after since, of
 * watch and type when not NULL; at most limit (0: no limit), oldest first
 * unless newest (then the newest limit, still printed oldest first by the
 * caller if it wants). */
struct store_alert_query {
	int64_t		 after_seq;
	int64_t		 since;
	const char	*watch;
	const char	*type;
	size_t		 limit;
	int		 newest;
};
int	 store_alert_list(struct store *, const struct store_alert_query *,
	    int (*cb)(const struct store_alert *, void *), void *arg,
	    char **cause);
/* The highest seq ever handed out (0 for none). */
int	 store_alert_last_seq(struct store *, int64_t *seq, char **cause);
/* A sink's cursor: the last seq it delivered; -1 for a sink the store has
 * never seen. */
int	 store_sink_cursor_load(struct store *, const char *sink,
	    int64_t *cursor, char **cause);
int	 store_sink_cursor_save(struct store *, const char *sink,
	    int64_t cursor, char **cause);

/* Counts for the service's status line. */
int	 store_count(struct store *, int64_t *feeds, int64_t *items);
/* Stories stored. */
int	 store_count_stories(struct store *, int64_t *stories, char **cause);

#endif
