/* config.c: reads wirewatch.conf (INI with git-style subsections) into a fresh struct config. */

/*
 * The file is small, read whole, and parsed line by line here rather than
 * with a library. Debian's libinih is built with a 200-byte line buffer and
 * silently splits longer lines (a long watch query becomes two keys), passes
 * no line numbers to its handlers, and cannot tell a continuation line from
 * a repeated key; every error here must name the file and the line.
 *
 * Grammar, in short:
 *   [daemon]  [translate]  [feed "name"]  [watch "name"]  [sink "name"]
 *   key = value            # inline comment after white space
 *       continued value    (indented deeper than its key: joined with a space)
 *   # or ; at the start of a line is a comment
 * Continuation follows Python's configparser: a line belongs to the value
 * above when it is indented more than that value's key, so keys indented
 * alike under a section (as git writes them) stay separate keys.
 *
 * Bounds: the file 1 MB, a line 4096 bytes, a value 16 KB.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "daemon/config.h"
#include "text/text.h"
#include "watch/watch.h"

#define CONFIG_MAX_FILE		(1024 * 1024)
#define CONFIG_MAX_LINE		4096
#define CONFIG_MAX_VALUE	(16 * 1024)
#define CONFIG_MAX_NAME		64
#define CONFIG_MAX_KEYS		16
#define CONFIG_MAX_INTERVAL	(7 * 86400)
#define CONFIG_MAX_PIECES	256	/* lines one value may continue over */
#define CONFIG_MAX_LIST		64	/* words in a list value, argv included */

enum config_section {
	CONFIG_SECTION_NONE,
	CONFIG_SECTION_DAEMON,
	CONFIG_SECTION_TRANSLATE,
	CONFIG_SECTION_FEED,
	CONFIG_SECTION_WATCH,
	CONFIG_SECTION_SINK,
};

/* Where a piece of a gathered value came from, so that a position in a
 * long query joined from continuation lines is reported at its own line
 * and column. */
struct config_piece {
	size_t	offset;		/* bytes into the value */
	int	line;
	size_t	column;		/* characters into the line, 1-based */
};

/* The state of one load: the config being filled, where we are in the
 * file, and the value being gathered across continuation lines. */
struct config_parser {
	const char		*path;
	char			*dir;		/* absolute directory of path */
	struct config		*conf;
	char			*cause;		/* the first error, "file:line: msg" */

	enum config_section	 section;
	char			*section_label;	/* "[daemon]", "[feed \"x\"]" */
	int			 section_line;
	int			*seen;		/* line each key was set in this section, 0 if not */
	int			 seen_daemon[CONFIG_MAX_KEYS];
	int			 seen_translate[CONFIG_MAX_KEYS];
	int			 translate_line;	/* the first [translate] */
	int			 seen_item[CONFIG_MAX_KEYS];

	char			*key;		/* the value being gathered, or NULL */
	int			 key_line;
	size_t			 key_indent;
	char			*value;
	size_t			 value_len;
	struct config_piece	 pieces[CONFIG_MAX_PIECES];
	size_t			 npieces;

	struct config_piece	 query_pieces[CONFIG_MAX_PIECES];
	size_t			 nquery_pieces;	/* of the current watch's query */

	size_t			*feed_slots;	/* see config_feed_seen */
	size_t			 feed_nslots;
};

struct config_key {
	const char	*name;
	/* Sets the key from value; returns 0, or -1 with *why (no file:line). */
	int		(*set)(struct config_parser *, const char *value, char **why);
};

/* Records the first error of a load as "file:line: message". */
static void WW_PRINTF(3, 4)
config_error(struct config_parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(&p->cause, "%s:%d: %s", p->path, line, msg);
	free(msg);
}

/* Frees a NULL-terminated array of strings. */
static void
config_words_free(char **words)
{
	size_t i;

	if (words == NULL)
		return;
	for (i = 0; words[i] != NULL; i++)
		free(words[i]);
	free(words);
}

/* Characters (UTF-8 code points) in the first len bytes of s. */
static size_t
config_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* Makes path absolute against dir; the result belongs to the caller. */
static char *
config_path_resolve(const char *dir, const char *path)
{
	char *out;

	if (path[0] == '/')
		return xstrdup(path);
	xasprintf(&out, "%s/%s", dir, path);
	return out;
}

/* Reads a decimal integer in [min, max]; no sign, no unit, no spaces. */
static int
config_parse_int(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parses a delay in milliseconds: "0", "250ms", "1s", "2m". util_parse_duration
 * counts whole seconds and refuses zero, and pacing needs both. */
static int
config_parse_ms(const char *text, int64_t *ms)
{
	unsigned long long v;
	char *end;
	int64_t scale;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || v > 3600000ULL)
		return -1;
	if (strcmp(end, "ms") == 0)
		scale = 1;
	else if (strcmp(end, "s") == 0 || (*end == '\0' && v == 0))
		scale = 1000;
	else if (strcmp(end, "m") == 0)
		scale = 60000;
	else
		return -1;
	if ((int64_t)v * scale > 3600000)
		return -1;
	*ms = (int64_t)v * scale;
	return 0;
}

/* Parses a poll interval: a duration up to a week, or "auto". */
static int
config_parse_interval(const char *text, int64_t *out, char **why)
{
	int64_t s;

	if (strcmp(text, "auto") == 0) {
		*out = CONFIG_INTERVAL_AUTO;
		return 0;
	}
	if (util_parse_duration(text, &s) != 0 || s > CONFIG_MAX_INTERVAL) {
		xasprintf(why, "bad interval \"%s\": expected a duration from "
		    "1s to 7d (90s, 15m, 2h, 1d) or auto", text);
		return -1;
	}
	*out = s;
	return 0;
}

/* Checks that a URL is http(s) with a host and no white space. The fetcher
 * refuses other schemes too; refusing them here gives the line number. */
static int
config_check_url(const char *url, char **why)
{
	const char *host;
	size_t i;

	for (i = 0; url[i] != '\0'; i++) {
		if (isspace((unsigned char)url[i]) || iscntrl((unsigned char)url[i])) {
			xasprintf(why, "url contains white space: \"%s\"", url);
			return -1;
		}
	}
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else {
		xasprintf(why, "url is not http:// or https://: \"%s\"", url);
		return -1;
	}
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#') {
		xasprintf(why, "url has no host: \"%s\"", url);
		return -1;
	}
	return 0;
}

/* A feed or watch name: 1-64 of [A-Za-z0-9._-], safe in logs, file names
 * and the OPML export without quoting. */
static int
config_name_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-')
			return 0;
	}
	return i >= 1 && i <= CONFIG_MAX_NAME;
}

static struct config_feed *
config_current_feed(struct config_parser *p)
{
	return &p->conf->feeds[p->conf->nfeeds - 1];
}

static struct config_watch *
config_current_watch(struct config_parser *p)
{
	return &p->conf->watches[p->conf->nwatches - 1];
}

static int
config_set_state_dir(struct config_parser *p, const char *v, char **why)
{
	free(p->conf->state_dir);
	p->conf->state_dir = config_path_resolve(p->dir, v);
	return 0;
}

static int
config_set_alert_log(struct config_parser *p, const char *v, char **why)
{
	free(p->conf->alert_log);
	p->conf->alert_log = config_path_resolve(p->dir, v);
	return 0;
}

static int
config_set_interval(struct config_parser *p, const char *v, char **why)
{
	return config_parse_interval(v, &p->conf->interval, why);
}

/* Reads a count of key in [min, max] into *out. */
static int
config_count(const char *key, const char *v, long min, long max, int *out,
    char **why)
{
	long n;

	if (config_parse_int(v, min, max, &n) != 0) {
		xasprintf(why, "bad %s \"%s\": expected a number from %ld to "
		    "%ld", key, v, min, max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* Reads a duration of key from 1 second to max seconds (max_text, as
 * people write it) into *out; example shows the form. */
static int
config_duration(const char *key, const char *v, int64_t max,
    const char *max_text, const char *example, int64_t *out, char **why)
{
	int64_t s;

	if (util_parse_duration(v, &s) != 0 || s > max) {
		xasprintf(why, "bad %s \"%s\": expected a duration from 1s to "
		    "%s such as %s", key, v, max_text, example);
		return -1;
	}
	*out = s;
	return 0;
}

static int
config_set_concurrency(struct config_parser *p, const char *v, char **why)
{
	return config_count("concurrency", v, 1, 256, &p->conf->concurrency,
	    why);
}

static int
config_set_per_host(struct config_parser *p, const char *v, char **why)
{
	return config_count("per_host", v, 1, 16, &p->conf->per_host, why);
}

static int
config_set_host_delay(struct config_parser *p, const char *v, char **why)
{
	if (config_parse_ms(v, &p->conf->host_delay_ms) != 0) {
		xasprintf(why, "bad host_delay \"%s\": expected 0 or a delay "
		    "up to 1h such as 500ms, 2s or 1m", v);
		return -1;
	}
	return 0;
}

static int
config_set_timeout(struct config_parser *p, const char *v, char **why)
{
	return config_duration("timeout", v, 3600, "1h", "30s or 2m",
	    &p->conf->timeout, why);
}

static int
config_set_max_body(struct config_parser *p, const char *v, char **why)
{
	size_t n;

	if (util_parse_size(v, &n) != 0 || n < 1024 ||
	    n > 1024UL * 1024 * 1024) {
		xasprintf(why, "bad max_body \"%s\": expected a size from 1K "
		    "to 1G such as 512K or 16M", v);
		return -1;
	}
	p->conf->max_body = n;
	return 0;
}

static int
config_set_user_agent(struct config_parser *p, const char *v, char **why)
{
	free(p->conf->user_agent);
	p->conf->user_agent = xstrdup(v);
	return 0;
}

static int
config_set_backend(struct config_parser *p, const char *v, char **why)
{
	static const char *backends[] = {
		"none", "apertium", "libretranslate", "deepl", "command"
	};
	size_t i;

	for (i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		if (strcmp(v, backends[i]) == 0) {
			free(p->conf->translate_backend);
			p->conf->translate_backend = xstrdup(v);
			return 0;
		}
	}
	xasprintf(why, "bad backend \"%s\": expected none, apertium, "
	    "libretranslate, deepl or command", v);
	return -1;
}

static int
config_set_translate_url(struct config_parser *p, const char *v, char **why)
{
	if (config_check_url(v, why) != 0)
		return -1;
	free(p->conf->translate_url);
	p->conf->translate_url = xstrdup(v);
	return 0;
}

/* A language tag as BCP 47 spells it: letters, digits and hyphens. */
static int
config_language_valid(const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		if (!isalnum((unsigned char)v[i]) && v[i] != '-' && v[i] != '_')
			return 0;
	}
	return i >= 2 && i <= 35;
}

static int
config_set_target(struct config_parser *p, const char *v, char **why)
{
	if (!config_language_valid(v)) {
		xasprintf(why, "bad target \"%s\": expected a language code "
		    "such as en", v);
		return -1;
	}
	free(p->conf->translate_target);
	p->conf->translate_target = xstrdup(v);
	return 0;
}

static int
config_set_key_file(struct config_parser *p, const char *v, char **why)
{
	free(p->conf->translate_key_file);
	p->conf->translate_key_file = config_path_resolve(p->dir, v);
	return 0;
}

static int
config_set_feed_url(struct config_parser *p, const char *v, char **why)
{
	if (config_check_url(v, why) != 0)
		return -1;
	config_current_feed(p)->url = xstrdup(v);
	return 0;
}

static int
config_set_feed_language(struct config_parser *p, const char *v, char **why)
{
	if (!config_language_valid(v)) {
		xasprintf(why, "bad language \"%s\": expected a language "
		    "code such as ru or pt-BR", v);
		return -1;
	}
	config_current_feed(p)->language = xstrdup(v);
	return 0;
}

static int
config_set_feed_interval(struct config_parser *p, const char *v, char **why)
{
	return config_parse_interval(v, &config_current_feed(p)->interval, why);
}

static int
config_set_watch_query(struct config_parser *p, const char *v, char **why)
{
	struct config_watch *w = config_current_watch(p);

	w->query = xstrdup(v);
	w->query_line = p->key_line;
	memcpy(p->query_pieces, p->pieces, p->npieces * sizeof *p->pieces);
	p->nquery_pieces = p->npieces;
	return 0;
}

/* Splits a list value into words at white space and commas. Returns a
 * NULL-terminated array, or NULL with *why beyond CONFIG_MAX_LIST. */
static char **
config_split_words(const char *v, const char *key, char **why)
{
	char **words, *copy, *word, *last;
	size_t n = 0;

	words = xcalloc(CONFIG_MAX_LIST + 1, sizeof *words);
	copy = xstrdup(v);
	for (word = strtok_r(copy, " \t,", &last); word != NULL;
	    word = strtok_r(NULL, " \t,", &last)) {
		if (n == CONFIG_MAX_LIST) {
			xasprintf(why, "%s has more than %d words", key,
			    CONFIG_MAX_LIST);
			config_words_free(words);
			words = NULL;
			break;
		}
		words[n++] = xstrdup(word);
	}
	free(copy);
	return words;
}

/* Reads a list of two-letter language codes for key; example shows the
 * form. Returns the NULL-terminated list or NULL with *why. */
static char **
config_languages(const char *key, const char *v, const char *example,
    char **why)
{
	char **langs;
	size_t i;

	if ((langs = config_split_words(v, key, why)) == NULL)
		return NULL;
	for (i = 0; langs[i] != NULL; i++) {
		if (strlen(langs[i]) != 2 || !islower((unsigned char)langs[i][0]) ||
		    !islower((unsigned char)langs[i][1])) {
			xasprintf(why, "bad language \"%s\" in %s: expected "
			    "two-letter codes such as %s", langs[i], key,
			    example);
			config_words_free(langs);
			return NULL;
		}
	}
	return langs;
}

static int
config_set_watch_languages(struct config_parser *p, const char *v,
    char **why)
{
	struct config_watch *w = config_current_watch(p);
	char **langs;

	if ((langs = config_languages("languages", v, "en es fr", why)) == NULL)
		return -1;
	config_words_free(w->languages);
	w->languages = langs;
	return 0;
}

/* Where character column (1-based) of a value gathered from pieces lies
 * in the file: its line and its column there. */
static void
config_value_position(const struct config_piece *pieces, size_t npieces,
    const char *value, size_t column, int *line, size_t *line_column)
{
	size_t byte = 0, chars = 0, i;

	while (value[byte] != '\0' && chars + 1 < column) {
		byte++;
		while (((unsigned char)value[byte] & 0xc0) == 0x80)
			byte++;
		chars++;
	}
	for (i = 0; i + 1 < npieces && pieces[i + 1].offset <= byte; i++)
		;
	*line = pieces[i].line;
	*line_column = pieces[i].column +
	    config_chars(value + pieces[i].offset, byte - pieces[i].offset);
}

/* Compiles the current watch's query once its section is complete (its
 * languages may follow the query), reporting a syntax error where it is. */
static void
config_watch_compile(struct config_parser *p)
{
	struct config_watch *w = config_current_watch(p);
	size_t column = 0, line_column;
	char *why = NULL;
	int line;

	w->compiled = watch_query_compile(w->query,
	    (const char *const *)w->languages, p->conf->stemmer, &column, &why);
	if (w->compiled != NULL)
		return;
	if (p->nquery_pieces == 0) {
		config_error(p, w->query_line, "column %zu: %s", column, why);
	} else {
		config_value_position(p->query_pieces, p->nquery_pieces,
		    w->query, column, &line, &line_column);
		config_error(p, line, "column %zu: %s", line_column, why);
	}
	free(why);
}

/* alerts is a set of words; kept as written (normalised spacing) for the
 * alert stage, but checked here so a typo is reported with its line. */
static int
config_set_watch_alerts(struct config_parser *p, const char *v, char **why)
{
	char *copy, *word, *last, *out = NULL, *tmp;

	copy = xstrdup(v);
	for (word = strtok_r(copy, " \t,", &last); word != NULL;
	    word = strtok_r(NULL, " \t,", &last)) {
		if (strcmp(word, "person") != 0 && strcmp(word, "claim") != 0 &&
		    strcmp(word, "story") != 0) {
			xasprintf(why, "bad alerts \"%s\": expected words from "
			    "person, claim, story", word);
			free(copy);
			free(out);
			return -1;
		}
		if (out == NULL)
			out = xstrdup(word);
		else {
			xasprintf(&tmp, "%s %s", out, word);
			free(out);
			out = tmp;
		}
	}
	free(copy);
	if (out == NULL) {
		xasprintf(why, "alerts has no value");
		return -1;
	}
	free(config_current_watch(p)->alerts);
	config_current_watch(p)->alerts = out;
	return 0;
}


static struct config_sink *
config_current_sink(struct config_parser *p)
{
	return &p->conf->sinks[p->conf->nsinks - 1];
}

static int
config_set_sink_type(struct config_parser *p, const char *v, char **why)
{
	struct config_sink *k = config_current_sink(p);

	if (strcmp(v, "file") == 0)
		k->type = CONFIG_SINK_FILE;
	else if (strcmp(v, "exec") == 0)
		k->type = CONFIG_SINK_EXEC;
	else if (strcmp(v, "webhook") == 0)
		k->type = CONFIG_SINK_WEBHOOK;
	else {
		xasprintf(why, "bad type \"%s\": expected file, exec or "
		    "webhook", v);
		return -1;
	}
	return 0;
}

static int
config_set_sink_path(struct config_parser *p, const char *v, char **why)
{
	config_current_sink(p)->path = config_path_resolve(p->dir, v);
	return 0;
}

/*
 * Splits a command into argv the way a reader of the file expects, but
 * with no shell: words separated by white space, "double" or 'single'
 * quotes group words, a backslash escapes the next character outside
 * single quotes. Nothing else is special: no variables, globs, pipes or
 * redirections, since the alerts it is given come from feeds.
 */
static char **
config_split_argv(const char *v, char **why)
{
	char **argv, *word;
	size_t n = 0, len = 0;
	char quote = 0;
	int in_word = 0;

	argv = xcalloc(CONFIG_MAX_LIST + 1, sizeof *argv);
	word = xmalloc(strlen(v) + 1);
	for (;; v++) {
		if (*v == '\0' || (quote == 0 && (*v == ' ' || *v == '\t'))) {
			if (in_word) {
				if (n == CONFIG_MAX_LIST)
					break;
				argv[n++] = xstrndup(word, len);
			}
			in_word = 0;
			len = 0;
			if (*v == '\0')
				break;
			continue;
		}
		in_word = 1;
		if (quote == 0 && (*v == '"' || *v == '\'')) {
			quote = *v;
		} else if (quote != 0 && *v == quote) {
			quote = 0;
		} else if (*v == '\\' && quote != '\'' && v[1] != '\0') {
			word[len++] = *++v;
		} else
			word[len++] = *v;
	}
	free(word);
	if (quote != 0 || n == 0 || *v != '\0') {
		if (quote != 0)
			xasprintf(why, "unterminated %c quote in command", quote);
		else if (n == 0)
			xasprintf(why, "command has no program");
		else
			xasprintf(why, "command has more than %d words",
			    CONFIG_MAX_LIST);
		config_words_free(argv);
		return NULL;
	}
	return argv;
}

/* Reads a command: a program by absolute path and its arguments, split
 * by config_split_argv (no shell). */
static int
config_command(const char *v, char ***out, char **why)
{
	char **argv;

	if ((argv = config_split_argv(v, why)) == NULL)
		return -1;
	if (argv[0][0] != '/') {
		xasprintf(why, "command must start with an absolute path, "
		    "not \"%s\" (no shell or PATH search is involved)",
		    argv[0]);
		config_words_free(argv);
		return -1;
	}
	config_words_free(*out);
	*out = argv;
	return 0;
}

static int
config_set_sink_command(struct config_parser *p, const char *v, char **why)
{
	return config_command(v, &config_current_sink(p)->argv, why);
}

static int
config_set_sink_url(struct config_parser *p, const char *v, char **why)
{
	if (config_check_url(v, why) != 0)
		return -1;
	config_current_sink(p)->url = xstrdup(v);
	return 0;
}

static int
config_set_sink_digest(struct config_parser *p, const char *v, char **why)
{
	return config_duration("digest", v, 86400, "1d", "15m",
	    &config_current_sink(p)->digest, why);
}

static int
config_set_sink_timeout(struct config_parser *p, const char *v, char **why)
{
	return config_duration("timeout", v, 3600, "1h", "30s",
	    &config_current_sink(p)->timeout, why);
}

static int
config_set_sink_types(struct config_parser *p, const char *v, char **why)
{
	char **types;
	size_t i;

	if ((types = config_split_words(v, "types", why)) == NULL)
		return -1;
	for (i = 0; types[i] != NULL; i++) {
		if (strcmp(types[i], "new_story") != 0 &&
		    strcmp(types[i], "new_person") != 0 &&
		    strcmp(types[i], "new_claim") != 0) {
			xasprintf(why, "bad type \"%s\" in types: expected "
			    "new_story, new_person or new_claim", types[i]);
			config_words_free(types);
			return -1;
		}
	}
	config_current_sink(p)->types = types;
	return 0;
}

static int
config_set_sink_watches(struct config_parser *p, const char *v, char **why)
{
	char **watches;

	if ((watches = config_split_words(v, "watches", why)) == NULL)
		return -1;
	config_current_sink(p)->watches = watches;
	return 0;
}

static int
config_set_story_window(struct config_parser *p, const char *v, char **why)
{
	int64_t s;

	if (util_parse_duration(v, &s) != 0 || s < 3600 || s > 90 * 86400) {
		xasprintf(why, "bad story_window \"%s\": expected a duration "
		    "from 1h to 90d such as 7d", v);
		return -1;
	}
	p->conf->story_window = s;
	return 0;
}

static const struct config_key config_keys_daemon[] = {
	{ "state_dir", config_set_state_dir },
	{ "alert_log", config_set_alert_log },
	{ "interval", config_set_interval },
	{ "concurrency", config_set_concurrency },
	{ "per_host", config_set_per_host },
	{ "host_delay", config_set_host_delay },
	{ "timeout", config_set_timeout },
	{ "max_body", config_set_max_body },
	{ "user_agent", config_set_user_agent },
	{ "story_window", config_set_story_window },
	{ NULL, NULL }
};

/* The command of the command backend: as a sink's command, with the
 * placeholders {source} {target} {source3} {target3} left for the
 * translation stage. */
static int
config_set_translate_command(struct config_parser *p, const char *v,
    char **why)
{
	return config_command(v, &p->conf->translate_argv, why);
}

static int
config_set_translate_what(struct config_parser *p, const char *v, char **why)
{
	if (strcmp(v, "watched") == 0)
		p->conf->translate_all = 0;
	else if (strcmp(v, "all") == 0)
		p->conf->translate_all = 1;
	else {
		xasprintf(why, "bad translate \"%s\": expected watched or all",
		    v);
		return -1;
	}
	return 0;
}

static int
config_set_max_wait(struct config_parser *p, const char *v, char **why)
{
	return config_duration("max_wait", v, 7 * 86400, "7d", "6h",
	    &p->conf->translate_max_wait, why);
}

static int
config_set_translate_timeout(struct config_parser *p, const char *v,
    char **why)
{
	return config_duration("timeout", v, 3600, "1h", "30s",
	    &p->conf->translate_timeout, why);
}

static int
config_set_translate_concurrency(struct config_parser *p, const char *v,
    char **why)
{
	return config_count("concurrency", v, 1, 64,
	    &p->conf->translate_concurrency, why);
}

static int
config_set_translate_retry(struct config_parser *p, const char *v, char **why)
{
	return config_duration("retry", v, 3600, "1h", "30s",
	    &p->conf->translate_retry, why);
}

/* The languages stories are translated from: two-letter codes. */
static int
config_set_translate_languages(struct config_parser *p, const char *v,
    char **why)
{
	char **langs;

	if ((langs = config_languages("languages", v, "es ru ar", why)) == NULL)
		return -1;
	config_words_free(p->conf->translate_languages);
	p->conf->translate_languages = langs;
	return 0;
}

static const struct config_key config_keys_translate[] = {
	{ "languages", config_set_translate_languages },
	{ "retry", config_set_translate_retry },
	{ "command", config_set_translate_command },
	{ "translate", config_set_translate_what },
	{ "max_wait", config_set_max_wait },
	{ "timeout", config_set_translate_timeout },
	{ "concurrency", config_set_translate_concurrency },
	{ "backend", config_set_backend },
	{ "url", config_set_translate_url },
	{ "target", config_set_target },
	{ "key_file", config_set_key_file },
	{ NULL, NULL }
};

static const struct config_key config_keys_feed[] = {
	{ "url", config_set_feed_url },
	{ "language", config_set_feed_language },
	{ "interval", config_set_feed_interval },
	{ NULL, NULL }
};

static const struct config_key config_keys_watch[] = {
	{ "query", config_set_watch_query },
	{ "alerts", config_set_watch_alerts },
	{ "languages", config_set_watch_languages },
	{ NULL, NULL }
};

static const struct config_key config_keys_sink[] = {
	{ "type", config_set_sink_type },
	{ "path", config_set_sink_path },
	{ "command", config_set_sink_command },
	{ "url", config_set_sink_url },
	{ "digest", config_set_sink_digest },
	{ "timeout", config_set_sink_timeout },
	{ "types", config_set_sink_types },
	{ "watches", config_set_sink_watches },
	{ NULL, NULL }
};

static const struct config_key *
config_section_keys(enum config_section section)
{
	switch (section) {
	case CONFIG_SECTION_DAEMON:
		return config_keys_daemon;
	case CONFIG_SECTION_TRANSLATE:
		return config_keys_translate;
	case CONFIG_SECTION_FEED:
		return config_keys_feed;
	case CONFIG_SECTION_WATCH:
		return config_keys_watch;
	case CONFIG_SECTION_SINK:
		return config_keys_sink;
	default:
		return NULL;
	}
}

/* Applies the gathered key = value to the current section. */
static void
config_value_finish(struct config_parser *p)
{
	const struct config_key *keys;
	char *why = NULL;
	size_t i;

	if (p->key == NULL)
		return;
	keys = config_section_keys(p->section);
	for (i = 0; keys[i].name != NULL; i++) {
		if (strcmp(keys[i].name, p->key) == 0)
			break;
	}
	if (keys[i].name == NULL)
		config_error(p, p->key_line, "unknown key \"%s\" in %s",
		    p->key, p->section_label);
	else if (p->seen[i] != 0)
		config_error(p, p->key_line, "duplicate key \"%s\" in %s "
		    "(first at line %d)", p->key, p->section_label, p->seen[i]);
	else if (p->value_len == 0 && p->section == CONFIG_SECTION_WATCH &&
	    strcmp(p->key, "query") == 0)
		config_error(p, p->key_line, "empty query in %s",
		    p->section_label);
	else if (p->value_len == 0)
		config_error(p, p->key_line, "%s has no value", p->key);
	else if (keys[i].set(p, p->value, &why) != 0) {
		config_error(p, p->key_line, "%s", why);
		free(why);
	} else
		p->seen[i] = p->key_line;
	free(p->key);
	p->key = NULL;
	free(p->value);
	p->value = NULL;
	p->value_len = 0;
}

/* Appends text, found at column of line, to the value being gathered, one
 * space between pieces. */
static void
config_value_append(struct config_parser *p, const char *text, size_t len,
    int line, size_t column)
{
	size_t need;

	if (len == 0)
		return;
	need = p->value_len + (p->value_len != 0) + len;
	if (need > CONFIG_MAX_VALUE) {
		config_error(p, line, "value of \"%s\" longer than %d bytes",
		    p->key, CONFIG_MAX_VALUE);
		return;
	}
	if (p->npieces == CONFIG_MAX_PIECES) {
		config_error(p, line, "value of \"%s\" continued over more "
		    "than %d lines", p->key, CONFIG_MAX_PIECES);
		return;
	}
	p->value = xrealloc(p->value, need + 1);
	if (p->value_len != 0)
		p->value[p->value_len++] = ' ';
	p->pieces[p->npieces].offset = p->value_len;
	p->pieces[p->npieces].line = line;
	p->pieces[p->npieces].column = column;
	p->npieces++;
	memcpy(p->value + p->value_len, text, len);
	p->value_len += len;
	p->value[p->value_len] = '\0';
}

/* Checks that a sink has its type and the keys of that type, and no
 * keys of another. */
static void
config_sink_check(struct config_parser *p)
{
	struct config_sink *k = config_current_sink(p);
	const char *need = NULL, *extra = NULL;

	/* seen[0] is config_keys_sink's "type". */
	if (p->seen[0] == 0) {
		config_error(p, p->section_line, "sink \"%s\" has no type "
		    "(file, exec or webhook)", k->name);
		return;
	}
	if (k->type == CONFIG_SINK_FILE && k->path == NULL)
		need = "path";
	else if (k->type == CONFIG_SINK_EXEC && k->argv == NULL)
		need = "command";
	else if (k->type == CONFIG_SINK_WEBHOOK && k->url == NULL)
		need = "url";
	if (k->type != CONFIG_SINK_FILE && k->path != NULL)
		extra = "path";
	else if (k->type != CONFIG_SINK_EXEC && k->argv != NULL)
		extra = "command";
	else if (k->type != CONFIG_SINK_WEBHOOK && k->url != NULL)
		extra = "url";
	else if (k->type == CONFIG_SINK_FILE && k->digest != 0)
		extra = "digest";
	if (need != NULL)
		config_error(p, p->section_line, "sink \"%s\" has no %s",
		    k->name, need);
	else if (extra != NULL)
		config_error(p, p->section_line, "sink \"%s\": %s does not "
		    "apply to a sink of this type", k->name, extra);
}

/* Checks what a section needs once it ends (a feed's url, a watch's query). */
static void
config_section_finish(struct config_parser *p)
{
	config_value_finish(p);
	if (p->section == CONFIG_SECTION_FEED &&
	    config_current_feed(p)->url == NULL)
		config_error(p, p->section_line, "feed \"%s\" has no url",
		    config_current_feed(p)->name);
	if (p->section == CONFIG_SECTION_WATCH &&
	    config_current_watch(p)->query == NULL)
		config_error(p, p->section_line, "watch \"%s\" has no query",
		    config_current_watch(p)->name);
	if (p->section == CONFIG_SECTION_WATCH && p->cause == NULL)
		config_watch_compile(p);
	if (p->section == CONFIG_SECTION_SINK)
		config_sink_check(p);
}

/*
 * The duplicate check for [feed] names. A scan of the feeds so far for
 * every new one made loading 10,000 feeds take a fifth of a second, so the
 * names go into a hash set: open addressing over feed_slots, each slot 0
 * when free, else one more than the feed's index in conf->feeds; at most
 * half full. Returns the slot where name is, or would go (set it to
 * nfeeds once the feed is added).
 */
static size_t *
config_feed_slot(struct config_parser *p, const char *name)
{
	struct config *c = p->conf;
	size_t mask = p->feed_nslots - 1, i;

	i = (size_t)util_hash(name, strlen(name), UTIL_HASH_SEED) & mask;
	while (p->feed_slots[i] != 0 &&
	    strcmp(c->feeds[p->feed_slots[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &p->feed_slots[i];
}

/* Returns name's slot, first growing the set when it is half full. */
static size_t *
config_feed_seen(struct config_parser *p, const char *name)
{
	struct config *c = p->conf;
	size_t *old = p->feed_slots, nold = p->feed_nslots, i;

	if (2 * (c->nfeeds + 1) > p->feed_nslots) {
		p->feed_nslots = nold != 0 ? 2 * nold : 64;
		p->feed_slots = xcalloc(p->feed_nslots, sizeof *p->feed_slots);
		for (i = 0; i < nold; i++) {
			if (old[i] != 0)
				*config_feed_slot(p, c->feeds[old[i] - 1].name) =
				    old[i];
		}
		free(old);
	}
	return config_feed_slot(p, name);
}

/* Starts a [feed "name"] or [watch "name"] section after checking the name. */
static void
config_section_named(struct config_parser *p, enum config_section section,
    const char *kind, const char *name, int line)
{
	struct config *c = p->conf;
	size_t i, *slot;

	if (!config_name_valid(name)) {
		config_error(p, line, "bad %s name \"%s\": expected 1 to %d "
		    "characters of A-Z a-z 0-9 . _ -", kind, name,
		    CONFIG_MAX_NAME);
		return;
	}
	if (section == CONFIG_SECTION_FEED) {
		if (*(slot = config_feed_seen(p, name)) != 0) {
			config_error(p, line, "duplicate feed \"%s\" "
			    "(first at line %d)", name,
			    c->feeds[*slot - 1].line);
			return;
		}
		c->feeds = xreallocarray(c->feeds, c->nfeeds + 1,
		    sizeof *c->feeds);
		memset(&c->feeds[c->nfeeds], 0, sizeof *c->feeds);
		c->feeds[c->nfeeds].name = xstrdup(name);
		c->feeds[c->nfeeds].line = line;
		c->nfeeds++;
		*slot = c->nfeeds;
	} else if (section == CONFIG_SECTION_SINK) {
		for (i = 0; i < c->nsinks; i++) {
			if (strcmp(c->sinks[i].name, name) == 0) {
				config_error(p, line, "duplicate sink \"%s\" "
				    "(first at line %d)", name,
				    c->sinks[i].line);
				return;
			}
		}
		if (strcmp(name, "log") == 0) {
			config_error(p, line, "sink name \"log\" is the "
			    "alert_log's own");
			return;
		}
		c->sinks = xreallocarray(c->sinks, c->nsinks + 1,
		    sizeof *c->sinks);
		memset(&c->sinks[c->nsinks], 0, sizeof *c->sinks);
		c->sinks[c->nsinks].name = xstrdup(name);
		c->sinks[c->nsinks].timeout = 30;
		c->sinks[c->nsinks].line = line;
		c->nsinks++;
	} else {
		for (i = 0; i < c->nwatches; i++) {
			if (strcmp(c->watches[i].name, name) == 0) {
				config_error(p, line, "duplicate watch \"%s\" "
				    "(first at line %d)", name,
				    c->watches[i].line);
				return;
			}
		}
		c->watches = xreallocarray(c->watches, c->nwatches + 1,
		    sizeof *c->watches);
		memset(&c->watches[c->nwatches], 0, sizeof *c->watches);
		c->watches[c->nwatches].name = xstrdup(name);
		c->watches[c->nwatches].alerts = xstrdup("person claim story");
		c->watches[c->nwatches].line = line;
		c->nwatches++;
	}
	memset(p->seen_item, 0, sizeof p->seen_item);
	p->seen = p->seen_item;
	p->section = section;
	xasprintf(&p->section_label, "[%s \"%s\"]", kind, name);
}

/* Parses a section header: [daemon], [translate], [feed "x"], [watch "x"].
 * s is the line without leading white space and without a comment. */
static void
config_section_start(struct config_parser *p, char *s, int line)
{
	char *kind, *name = NULL, *end;

	config_section_finish(p);
	free(p->section_label);
	p->section_label = NULL;
	p->section = CONFIG_SECTION_NONE;
	p->section_line = line;

	kind = s + 1;
	end = kind + strcspn(kind, " \t\"]");
	if (*end == ' ' || *end == '\t') {
		*end++ = '\0';
		end += strspn(end, " \t");
	}
	if (*end == '"') {
		*end++ = '\0';
		name = end;
		if ((end = strchr(name, '"')) == NULL) {
			config_error(p, line, "unterminated name in section "
			    "header");
			return;
		}
		*end++ = '\0';
		end += strspn(end, " \t");
	}
	if (*end != ']' || end[1 + strspn(end + 1, " \t")] != '\0') {
		config_error(p, line, "malformed section header: expected "
		    "[name] or [name \"subsection\"]");
		return;
	}
	*end = '\0';

	if (strcmp(kind, "daemon") == 0 || strcmp(kind, "translate") == 0) {
		if (name != NULL) {
			config_error(p, line, "[%s] takes no name", kind);
			return;
		}
		p->section = kind[0] == 'd' ? CONFIG_SECTION_DAEMON :
		    CONFIG_SECTION_TRANSLATE;
		if (kind[0] == 't' && p->translate_line == 0)
			p->translate_line = line;
		p->seen = kind[0] == 'd' ? p->seen_daemon : p->seen_translate;
		xasprintf(&p->section_label, "[%s]", kind);
	} else if (strcmp(kind, "feed") == 0 || strcmp(kind, "watch") == 0 ||
	    strcmp(kind, "sink") == 0) {
		if (name == NULL) {
			config_error(p, line, "[%s] needs a name, as in "
			    "[%s \"name\"]", kind, kind);
			return;
		}
		config_section_named(p, kind[0] == 'f' ? CONFIG_SECTION_FEED :
		    kind[0] == 'w' ? CONFIG_SECTION_WATCH : CONFIG_SECTION_SINK,
		    kind, name, line);
	} else
		config_error(p, line, "unknown section [%s]", kind);
}

/* Cuts an inline comment: a # that follows white space. */
static size_t
config_strip_comment(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++) {
		if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t'))
			return i;
	}
	return len;
}

/* Returns len without trailing white space (and a CR from CRLF files). */
static size_t
config_rstrip(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	return len;
}

/* Handles one physical line (without its newline). */
static void
config_line(struct config_parser *p, char *line, size_t len, int lineno)
{
	size_t indent, eq, klen;
	char *s;

	indent = strspn(line, " \t");
	s = line + indent;
	len -= indent;
	if (len == 0 || *s == '\r') {
		config_value_finish(p);		/* a blank line ends a value */
		return;
	}
	if (*s == '#' || *s == ';')
		return;
	len = config_rstrip(s, config_strip_comment(s, len));
	s[len] = '\0';

	if (p->key != NULL && indent > p->key_indent) {
		config_value_append(p, s, len, lineno,
		    config_chars(line, (size_t)(s - line)) + 1);
		return;
	}
	config_value_finish(p);
	if (*s == '[') {
		config_section_start(p, s, lineno);
		return;
	}
	if ((eq = strcspn(s, "=")) == len) {
		config_error(p, lineno, "expected \"key = value\" or a "
		    "[section]");
		return;
	}
	klen = config_rstrip(s, eq);
	if (klen == 0) {
		config_error(p, lineno, "missing key before \"=\"");
		return;
	}
	if (p->section == CONFIG_SECTION_NONE) {
		/* After a broken header the error is already recorded. */
		config_error(p, lineno, "\"%.*s\" is outside any section",
		    (int)klen, s);
		return;
	}
	p->key = xstrndup(s, klen);
	p->key_line = lineno;
	p->key_indent = indent;
	s += eq + 1;
	s += strspn(s, " \t");
	p->npieces = 0;
	config_value_append(p, s, strlen(s), lineno,
	    config_chars(line, (size_t)(s - line)) + 1);
}

/* Checks that the watches a sink names exist, once all are read. */
static void
config_sinks_check_watches(struct config_parser *p)
{
	struct config *c = p->conf;
	size_t i, j, k;

	for (i = 0; i < c->nsinks; i++) {
		for (j = 0; c->sinks[i].watches != NULL &&
		    c->sinks[i].watches[j] != NULL; j++) {
			for (k = 0; k < c->nwatches; k++) {
				if (strcmp(c->watches[k].name,
				    c->sinks[i].watches[j]) == 0)
					break;
			}
			if (k == c->nwatches) {
				config_error(p, c->sinks[i].line, "sink \"%s\" "
				    "names watch \"%s\", which is not "
				    "configured", c->sinks[i].name,
				    c->sinks[i].watches[j]);
				return;
			}
		}
	}
}

/* Checks that the translation backend has what it needs, once all is
 * read ([translate] may come in pieces). */
static void
config_translate_check(struct config_parser *p)
{
	struct config *c = p->conf;
	const char *b = c->translate_backend;

	if (strcmp(b, "none") == 0)
		return;
	if (strcmp(b, "command") == 0 && c->translate_argv == NULL)
		config_error(p, p->translate_line, "backend command needs a "
		    "command");
	else if ((strcmp(b, "apertium") == 0 ||
	    strcmp(b, "libretranslate") == 0) && c->translate_url == NULL)
		config_error(p, p->translate_line, "backend %s needs a url", b);
	else if (strcmp(b, "deepl") == 0 && c->translate_key_file == NULL)
		config_error(p, p->translate_line, "backend deepl needs a "
		    "key_file");
}

/* Splits the buffer into lines and feeds them to config_line, stopping at
 * the first error. */
static void
config_parse(struct config_parser *p, char *buf, size_t len)
{
	char *line = buf, *nl;
	size_t n;
	int lineno = 0;

	while (p->cause == NULL && line < buf + len) {
		lineno++;
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		n = nl != NULL ? (size_t)(nl - line) : (size_t)(buf + len - line);
		if (n > CONFIG_MAX_LINE) {
			config_error(p, lineno, "line longer than %d bytes",
			    CONFIG_MAX_LINE);
			break;
		}
		if (memchr(line, '\0', n) != NULL) {
			config_error(p, lineno, "NUL byte in line");
			break;
		}
		line[n] = '\0';
		config_line(p, line, n, lineno);
		line += n + 1;
	}
	if (p->cause == NULL)
		config_section_finish(p);
	if (p->cause == NULL)
		config_sinks_check_watches(p);
	if (p->cause == NULL)
		config_translate_check(p);
}

/* Returns the first of a colon-separated list of directories from the
 * environment (systemd may pass several), or NULL when unset or empty. */
static char *
config_env_dir(const char *name)
{
	const char *v = getenv(name);
	char cwd[PATH_MAX], *out;
	size_t n;

	if (v == NULL || *v == '\0')
		return NULL;
	n = strcspn(v, ":");
	if (n == 0)
		return NULL;
	if (v[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrndup(v, n);
	xasprintf(&out, "%s/%.*s", cwd, (int)n, v);
	return out;
}

/* Fills the defaults a file may override. */
static void
config_defaults(struct config *c)
{
	char *dir;

	if ((dir = config_env_dir("STATE_DIRECTORY")) != NULL)
		c->state_dir = dir;
	else
		c->state_dir = xstrdup("/var/lib/wirewatch");
	if ((dir = config_env_dir("LOGS_DIRECTORY")) != NULL) {
		xasprintf(&c->alert_log, "%s/alerts.jsonl", dir);
		free(dir);
	} else
		c->alert_log = xstrdup("/var/log/wirewatch/alerts.jsonl");
	c->interval = 15 * 60;
	c->concurrency = 16;
	c->per_host = 2;
	c->host_delay_ms = 500;
	c->timeout = 30;
	c->max_body = 16 * 1024 * 1024;
	c->user_agent = xstrdup("wirewatch/0.1");
	c->translate_backend = xstrdup("none");
	c->translate_target = xstrdup("en");
	c->story_window = 7 * 86400;
	c->translate_max_wait = 6 * 3600;
	c->translate_timeout = 30;
	c->translate_retry = 30;
	c->translate_concurrency = 4;
	c->stemmer = text_stemmer_new();
}

/* Returns the absolute directory that holds path, for relative paths. */
static char *
config_dir_of(const char *path)
{
	char *real, *slash, *dir;

	if ((real = realpath(path, NULL)) == NULL)
		return NULL;
	slash = strrchr(real, '/');
	if (slash == real)
		dir = xstrdup("/");
	else
		dir = xstrndup(real, (size_t)(slash - real));
	free(real);
	return dir;
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_parser p;
	struct config *c;
	char *buf;
	size_t len;

	if ((buf = util_read_file(path, CONFIG_MAX_FILE, &len, cause)) == NULL)
		return NULL;
	memset(&p, 0, sizeof p);
	p.path = path;
	if ((p.dir = config_dir_of(path)) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	c = p.conf = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	config_defaults(c);

	config_parse(&p, buf, len);

	free(p.key);
	free(p.value);
	free(p.feed_slots);
	free(p.section_label);
	free(p.dir);
	free(buf);
	if (p.cause != NULL) {
		config_free(c);
		*cause = p.cause;
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfeeds; i++) {
		free(c->feeds[i].name);
		free(c->feeds[i].url);
		free(c->feeds[i].language);
	}
	free(c->feeds);
	for (i = 0; i < c->nwatches; i++) {
		free(c->watches[i].name);
		free(c->watches[i].query);
		free(c->watches[i].alerts);
		config_words_free(c->watches[i].languages);
		watch_query_free(c->watches[i].compiled);
	}
	free(c->watches);
	for (i = 0; i < c->nsinks; i++) {
		free(c->sinks[i].name);
		free(c->sinks[i].path);
		config_words_free(c->sinks[i].argv);
		free(c->sinks[i].url);
		config_words_free(c->sinks[i].types);
		config_words_free(c->sinks[i].watches);
	}
	free(c->sinks);
	text_stemmer_free(c->stemmer);
	free(c->path);
	free(c->state_dir);
	free(c->alert_log);
	free(c->user_agent);
	free(c->translate_backend);
	free(c->translate_url);
	free(c->translate_target);
	free(c->translate_key_file);
	config_words_free(c->translate_argv);
	config_words_free(c->translate_languages);
	free(c);
}

int
config_watch_alerts(const struct config_watch *w, const char *kind)
{
	size_t n = strlen(kind);
	const char *p;

	for (p = w->alerts; p != NULL && *p != '\0'; p += strcspn(p, " ")) {
		p += strspn(p, " ");
		if (strncmp(p, kind, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

const struct config_feed *
config_feed_find(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfeeds; i++) {
		if (strcmp(c->feeds[i].name, name) == 0)
			return &c->feeds[i];
	}
	return NULL;
}
