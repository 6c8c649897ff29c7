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
void		 store_close(struct store *);

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
 * *cause. */
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

/* Stores a poll's items for feed_id in one transaction: new identities are
 * inserted, known ones whose title/text/url/author changed are updated
 * (once: the content hash then matches), the rest left alone. Returns 0 or
 * -1 and *cause, in which case nothing of this poll was written. */
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
