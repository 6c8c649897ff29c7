/* daemon/config.h: the configuration file, loaded into a fresh struct that a reload can swap. */
#ifndef WW_CONFIG_H
#define WW_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_DEFAULT_PATH "/etc/wirewatch/wirewatch.conf"

/* interval value meaning "learn from how often the feed publishes". */
#define CONFIG_INTERVAL_AUTO (-1)

struct config_feed {
	char	*name;
	char	*url;
	char	*language;	/* hint, may be NULL */
	int64_t	 interval;	/* seconds; 0 = the daemon default; CONFIG_INTERVAL_AUTO */
	int	 line;		/* where its section starts, for messages */
};

struct text_stemmer;
struct watch_query;

struct config_watch {
	char	*name;
	char	*query;
	char	*alerts;	/* e.g. "person claim story" */
	char	**languages;	/* NULL-terminated ISO 639-1 codes for Latin-script terms */
	struct watch_query *compiled;	/* owned */
	int	 line;
	int	 query_line;
};

enum config_sink_type {
	CONFIG_SINK_FILE,	/* JSON Lines appended to path */
	CONFIG_SINK_EXEC,	/* argv run with the alert JSON on stdin */
	CONFIG_SINK_WEBHOOK,	/* the alert JSON POSTed to url */
};

/* Where alerts go besides the alert log: a [sink "name"] section. */
struct config_sink {
	char			*name;
	enum config_sink_type	 type;
	char			*path;		/* file */
	char			**argv;		/* exec: NULL-terminated, no shell */
	char			*url;		/* webhook */
	int64_t			 digest;	/* seconds; 0 sends each alert alone */
	int64_t			 timeout;	/* seconds for one delivery */
	char			**types;	/* NULL-terminated alert types, NULL all */
	char			**watches;	/* NULL-terminated watch names, NULL all */
	int			 line;
};

struct config {
	char	*path;		/* the file it came from */
	char	*state_dir;	/* absolute */
	char	*alert_log;	/* absolute */
	int64_t	 interval;	/* default poll interval, seconds; may be CONFIG_INTERVAL_AUTO */
	int	 concurrency;
	int	 per_host;	/* transfers at once to one host */
	int64_t	 host_delay_ms;	/* pause between two requests to one host */
	int64_t	 timeout;	/* seconds */
	size_t	 max_body;
	char	*user_agent;

	char	*translate_backend;	/* "none", "apertium", "libretranslate", "deepl", "command" */
	char	*translate_url;
	char	*translate_target;
	char	*translate_key_file;
	char	**translate_argv;	/* command: NULL-terminated, {source} etc. unsubstituted */
	int	 translate_all;		/* translate = all: title and text at once */
	int64_t	 translate_max_wait;	/* seconds a story waits before going untranslated */
	int64_t	 translate_timeout;	/* seconds, one request */
	int64_t	 translate_retry;	/* seconds to the first retry (then doubling) */
	int	 translate_concurrency;	/* requests at once */
	char	**translate_languages;	/* NULL-terminated source languages; NULL: all */

	struct config_feed	*feeds;
	size_t			 nfeeds;
	struct config_watch	*watches;
	size_t			 nwatches;
	struct config_sink	*sinks;		/* the alert log is not among them */
	size_t			 nsinks;
	int64_t			 story_window;	/* seconds a story stays open to copies */
	struct text_stemmer	*stemmer;	/* owned; the compiled queries use it */
};

/* Reads and checks path. Relative paths inside it are taken from the
 * file's directory; state_dir and alert_log default to $STATE_DIRECTORY and
 * $LOGS_DIRECTORY (set by systemd), else /var/lib/wirewatch and
 * /var/log/wirewatch/alerts.jsonl. Returns the config (free with
 * config_free) or NULL and *cause as "file:line: message". */
struct config	*config_load(const char *path, char **cause);
void		 config_free(struct config *);
const struct config_feed *config_feed_find(const struct config *, const char *name);
/* Returns 1 when the watch's alerts name kind ("person", "claim", "story"). */
int		 config_watch_alerts(const struct config_watch *, const char *kind);

#endif
