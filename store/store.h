/* store/store.h: the SQLite state — feeds, their polling state, and items. */
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

/* Counts for the service's status line. */
int	 store_count(struct store *, int64_t *feeds, int64_t *items);

#endif
