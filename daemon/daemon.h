/* daemon/daemon.h: the daemon's private state — one struct daemon built in main and passed down. */
#ifndef WW_DAEMON_H
#define WW_DAEMON_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"
#include "store/store.h"
#include "text/text.h"

struct alert_outbox;
struct alert_story;
struct config;
struct config_watch;
struct config_feed;
struct event;
struct event_base;
struct fetcher;
struct fetch_options;
struct story_index;
struct transfer;
struct translation_flight;
struct translator;
struct watch_doc;

/* Scheduling bounds (seconds unless named _ms). */
#define SCHED_HINT_CAP		86400		/* a ttl / max-age hint lengthens the interval up to a day */
#define SCHED_AUTO_MIN		300		/* interval = auto stays within 5 min */
#define SCHED_AUTO_MAX		86400		/* and 24 h */
#define SCHED_AUTO_DEFAULT	900		/* until a feed's dates tell */
#define SCHED_BACKOFF_CAP	(6 * 3600)	/* consecutive failures back off up to this */
#define SCHED_START_JITTER_MS	5000		/* first polls spread over at most this */
#define SCHED_ONCE_MAX_PAUSE	60		/* --once waits for a host's Retry-After up to this */
#define DAEMON_ONCE_DELIVER_SECONDS 30		/* --once waits for its sinks up to this */
#define DAEMON_ONCE_TRANSLATE_SECONDS 60	/* and for translations up to this */

/* A server we poll, keyed by "host:port": rate limits belong to it, not to
 * its feeds. Shared by its feeds through a reference count. */
struct host {
	char			*key;
	int64_t			 paused_until;	/* unix time, from Retry-After; 0 none */
	int64_t			 next_start_ms;	/* monotonic: the next free request slot */
	int			 refs;
	TAILQ_ENTRY(host)	 entry;
};

/* A configured feed while the daemon runs: its configuration (copied, so a
 * reload may free the old config), its stored state, its timer and its
 * transfer in flight. */
struct feed {
	struct daemon		*daemon;
	char			*name;
	char			*config_url;
	char			*language;
	int64_t			 interval;	/* as configured: seconds, 0 default, or auto */
	struct store_feed	 state;
	struct host		*host;
	struct event		*timer;
	struct transfer		*transfer;	/* in flight, or NULL */
	int64_t			 slot_ms;	/* reserved start under host pacing; 0 none */
	int64_t			 hint_ttl;	/* seconds, the feed's RSS <ttl>; 0 none */
	int64_t			 hint_max_age;	/* seconds, Cache-Control / Expires; 0 none */
	char			*logged_error;	/* the failure text last logged at warning */
	int			 logged_status;	/* and its HTTP status */
	char			*logged_warning; /* the parse warning last logged */
	int			 once_done;	/* --once: this feed is finished */
	int			 in_batch;	/* its last poll waits in the open batch */
	TAILQ_ENTRY(feed)	 entry;
	TAILQ_ENTRY(feed)	 batch_entry;
};
TAILQ_HEAD(feed_list, feed);
TAILQ_HEAD(host_list, host);

struct daemon {
	struct event_base	*base;
	struct config		*conf;
	struct fetcher		*fetcher;
	struct store		*store;
	struct feed_list	 feeds;
	struct host_list	 hosts;

	struct event		*sig_hup;
	struct event		*sig_term;
	struct event		*sig_int;
	struct event		*watchdog;
	struct event		*status_timer;	/* sends STATUS= at most once a second */
	int64_t			 watchdog_usec;

	int			 once;		/* --once: poll each feed, then exit */
	size_t			 once_pending;	/* --once: feeds not finished yet */
	int			 store_errors;	/* writes that failed; --once exits 1 */

	struct event		*batch_timer;	/* commits the open batch */
	struct feed_list	 batch_feeds;	/* feeds whose polls it holds */
	int			 batch_open;
	int			 batch_polls;
	size_t			 batch_items;
	int			 batch_errors;	/* store_errors when the last poll joined */

	/* The story stage (pipeline.c): what each new or edited item goes
	 * through inside its poll's transaction. */
	struct text_langid	*langid;
	struct text_stemmer	*stemmer;
	struct story_index	*stories;	/* recent stories, built when first needed */
	int			 stories_stale;	/* stories must be rebuilt from the store */
	struct watch_doc	*doc;		/* reused for every item */
	struct text_tokens	 title_tokens;	/* reused for every item */
	struct text_tokens	 text_tokens;
	struct event		*expire_timer;	/* drops old stories from the index */
	struct alert_outbox	*outbox;

	/* The translation stage (translation.c): stories waiting for their
	 * translation are in the store; these are the ones in flight. */
	struct translator	*translator;	/* NULL: backend none */
	char			*translate_key;	/* from key_file; never logged */
	struct event		*translate_timer;
	TAILQ_HEAD(translation_flight_list, translation_flight) translate_flights;
	size_t			 translate_inflight;
	int64_t			 translate_pending;	/* waiting, for the status line */
	int64_t			 translate_requested;	/* asked since the last kick */

	/* The extract stage (extraction.c): people and claims of watched
	 * stories against each watch's registries. */
	struct extractor	*extractor;

	int64_t			 nitems;	/* items stored, for the status line */
	int64_t			 nstories;	/* stories stored, likewise */
	char			*status;	/* the STATUS= text last sent */
};

/* batch.c */
void		 batch_join(struct daemon *, struct feed *);
void		 batch_done(struct daemon *, size_t nitems);
void		 batch_forget(struct daemon *, struct feed *);
void		 batch_commit(struct daemon *);

/* daemon.c */
struct daemon	*daemon_new(struct config *, int once, char **cause);
void		 daemon_free(struct daemon *);
int		 daemon_run(struct daemon *);
void		 daemon_fetch_options(const struct config *, struct fetch_options *);
void		 daemon_once_finish(struct daemon *, struct feed *);

/* feed.c */
struct feed	*feed_new(struct daemon *, const struct config_feed *, char **cause);
void		 feed_free(struct feed *);
void		 feed_start(struct feed *);
void		 feed_stop(struct feed *);
int		 feed_reconfigure(struct feed *, const struct config_feed *, char **cause);
int		 feed_failing(const struct feed *);
void		 feed_reschedule(struct feed *);

/* schedule.c */
int64_t		 schedule_interval(const struct feed *);
int64_t		 schedule_backoff_ms(const struct feed *);
int64_t		 schedule_next_ms(const struct feed *);
int64_t		 schedule_jitter_ms(int64_t max_ms);
int64_t		 schedule_learn_interval(const struct parsed_item *, size_t, int64_t previous);
void		 schedule_at_ms(struct feed *, int64_t delay_ms);

/* host.c */
struct host	*host_get(struct daemon *, const char *url);
void		 host_put(struct daemon *, struct host *);
char		*host_key(const char *url);
void		 host_pause(struct host *, int64_t until);
int64_t		 host_reserve_ms(struct host *, int64_t now_ms, int64_t delay_ms);

/* extraction.c: a story's text, read by the extractor once for all the
 * watches that match it. */
struct extraction_text {
	const char		*lang;		/* of title and text */
	const char		*title;
	const char		*text;
	int			 done;		/* result is filled */
	struct extract_result	 result;
};
void		 extraction_text_init(struct extraction_text *, const char *lang,
		    const char *title, const char *text);
void		 extraction_text_clear(struct extraction_text *);
int		 extraction_watch(struct daemon *, const struct config_watch *,
		    const struct alert_story *, struct extraction_text *,
		    int64_t now, char **cause);
int		 extraction_init(struct daemon *, char **cause);
void		 extraction_free(struct daemon *);

/* pipeline.c */
int		 pipeline_alert_story(struct daemon *, const struct config_watch *,
		    const struct alert_story *, int64_t now, char **cause);
int		 pipeline_match(struct daemon *, const struct alert_story *,
		    int held, struct extraction_text *, int64_t now, char **cause);
int		 pipeline_wants_translation(struct daemon *, const char *lang);
int		 pipeline_init(struct daemon *, char **cause);
void		 pipeline_free(struct daemon *);
int		 pipeline_item_cb(int64_t item_id, enum store_item_change,
		    const struct parsed_item *, void *feed, char **cause);
void		 pipeline_rebuild(struct daemon *);

/* translation.c */
int		 translation_init(struct daemon *, char **cause);
void		 translation_free(struct daemon *);
int		 translation_reconfigure(struct daemon *, struct config *,
		    char **cause);
void		 translation_kick(struct daemon *);
int		 translation_story_load(struct daemon *, int64_t story_id,
		    struct alert_story *, char **cause);
void		 translation_story_clear(struct alert_story *);
size_t		 translation_busy(struct daemon *);

/* reload.c */
void		 reload_config(struct daemon *);

/* notify.c */
void		 notify_ready(struct daemon *);
void		 notify_reloading(struct daemon *);
void		 notify_stopping(struct daemon *);
void		 notify_status(struct daemon *);
void		 notify_watchdog_start(struct daemon *);

#endif
