/* alerts.c: wirewatch alerts — the alert outbox as an aligned list or as the alert log's JSON Lines, optionally followed. */

/*
 * The command reads the outbox that the daemon writes, read-only and
 * without stopping it. Alerts are shown oldest first, as a log reads:
 * the newest N of them (20 unless -n or --since says otherwise), or all
 * of them since a time.
 *
 * The newest N are collected (N is bounded) and their columns fitted to
 * them. Listings without a count (--since alone, and --follow after its
 * first screen) are printed as they are read, in columns as wide as the
 * configured watch and feed names (up to a cap): --follow prints for as
 * long as it runs and must not keep what it printed.
 *
 * --follow polls the store every ALERTS_POLL_MS. Each poll first reads the
 * last seq handed out, L, then prints the alerts after the previous L up
 * to L: once L is visible every alert up to it is committed (a seq is
 * taken inside the transaction that stores it), so none is skipped, and
 * alerts a filter leaves out are not read again at the next poll.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "alert/alert.h"
#include "cli/cli_internal.h"

#define ALERTS_DEFAULT		20
#define ALERTS_MAX		1000000
#define ALERTS_POLL_MS		500
/* Caps of the watch and feed columns; longer names are cut. */
#define ALERTS_WATCH_MAX	20
#define ALERTS_FEED_MAX		16
#define ALERTS_TYPE_WIDTH	6	/* "person" */
#define ALERTS_WHEN_WIDTH	16	/* "2026-11-25 10:00" */
/* Without a terminal, what an alert says is cut here. */
#define ALERTS_WHAT_MAX		200

#define ALERTS_RESET		"\033[0m"
#define ALERTS_DIM		"\033[2m"
#define ALERTS_BOLD		"\033[1m"

/* One alert of the list, its cells cleaned for a terminal. */
struct alerts_row {
	char		*type;		/* as stored */
	char		*when;
	char		*watch;
	char		*feed;
	char		*what;
	char		*json;		/* --json: the alert log's line */
};

/* How alerts are shown, and where the listing stands. */
struct alerts_view {
	int			 json;
	int			 colour;
	size_t			 watch_width;
	size_t			 feed_width;
	size_t			 room;		/* characters for what an alert says */
	int64_t			 until;		/* show no seq beyond it */
	struct alerts_row	*rows;		/* newest first, when collecting */
	size_t			 nrows;
	size_t			 size;
};

static volatile sig_atomic_t alerts_stop;

/* SIGINT, SIGTERM: --follow ends after the poll in progress. */
static void
alerts_signal(int sig)
{
	alerts_stop = 1;
}

/* The alert types, and the short names the list and --type use. */
static const char *const alerts_types[][2] = {
	{ "new_story", "story" },
	{ "new_person", "person" },
	{ "new_claim", "claim" },
};
#define ALERTS_NTYPES (sizeof alerts_types / sizeof alerts_types[0])

/* The stored type for a --type word, either name; NULL when unknown. */
static const char *
alerts_type_find(const char *word)
{
	size_t i;

	for (i = 0; i < ALERTS_NTYPES; i++) {
		if (strcmp(word, alerts_types[i][0]) == 0 ||
		    strcmp(word, alerts_types[i][1]) == 0)
			return alerts_types[i][0];
	}
	return NULL;
}

/* The short name of a stored type; unknown types (from a newer wirewatch)
 * are shown as they are. */
static const char *
alerts_type_short(const char *type)
{
	size_t i;

	for (i = 0; i < ALERTS_NTYPES; i++) {
		if (strcmp(type, alerts_types[i][0]) == 0)
			return alerts_types[i][1];
	}
	return type;
}

/* A colour for each type: stories cyan, people green, claims yellow. */
static const char *
alerts_type_colour(const char *type)
{
	if (strcmp(type, "new_person") == 0)
		return "\033[32m";
	if (strcmp(type, "new_claim") == 0)
		return "\033[33m";
	return "\033[36m";
}

/* A string member of a JSON object, or NULL. */
static const char *
alerts_json_get(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* What an alert says, for a person: the story's title; the person's name
 * and the story; the claim, with its speaker. Caller frees. */
static char *
alerts_what(const char *type, json_t *body)
{
	json_t *story = json_object_get(body, "story");
	json_t *person = json_object_get(body, "person");
	json_t *claim = json_object_get(body, "claim");
	const char *title = alerts_json_get(story, "title");
	const char *name = alerts_json_get(person, "name");
	const char *text = alerts_json_get(claim, "text");
	const char *speaker = alerts_json_get(claim, "speaker");
	char *what;

	if (strcmp(type, "new_person") == 0 && name != NULL) {
		if (title != NULL && *title != '\0')
			xasprintf(&what, "%s - %s", name, title);
		else
			what = xstrdup(name);
	} else if (strcmp(type, "new_claim") == 0 && text != NULL) {
		if (speaker != NULL && *speaker != '\0')
			xasprintf(&what, "%s: %s", speaker, text);
		else
			what = xstrdup(text);
	} else
		what = xstrdup(title != NULL ? title : "");
	return what;
}

/* Reads an alert into a row. */
static void
alerts_row_fill(const struct alerts_view *v, struct alerts_row *r,
    const struct store_alert *a)
{
	json_t *body;
	struct tm tm;
	time_t t = (time_t)a->time;
	char when[32] = "", *what;

	memset(r, 0, sizeof *r);
	if (v->json) {
		r->json = alert_render(a);
		return;
	}
	body = json_loads(a->body, 0, NULL);
	/* People read their own time zone; --json gives UTC. */
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	r->type = xstrdup(a->type);
	r->when = xstrdup(when);
	r->watch = cli_text_line(a->watch, 0);
	r->feed = cli_text_line(alerts_json_get(json_object_get(body, "story"),
	    "feed"), 0);
	what = alerts_what(a->type, body);
	r->what = cli_text_line(what, ALERTS_WHAT_MAX);
	free(what);
	json_decref(body);
}

static void
alerts_row_clear(struct alerts_row *r)
{
	free(r->type);
	free(r->when);
	free(r->watch);
	free(r->feed);
	free(r->what);
	free(r->json);
}

/* Prints s padded to width characters (cut when longer), in colour when
 * the view has colour and colour is not NULL. */
static void
alerts_cell(const struct alerts_view *v, const char *s, size_t width,
    const char *colour)
{
	char *cut;

	cut = cli_text_line(s, width);
	if (v->colour && colour != NULL)
		fputs(colour, stdout);
	cli_print_padded(stdout, cut, width);
	if (v->colour && colour != NULL)
		fputs(ALERTS_RESET, stdout);
	free(cut);
}

/* Prints one row: time, type, watch, feed, and what the alert says cut
 * to the room left; or the JSON line. */
static void
alerts_row_print(const struct alerts_view *v, const struct alerts_row *r)
{
	char *what;

	if (r->json != NULL) {
		printf("%s\n", r->json);
		return;
	}
	alerts_cell(v, r->when, ALERTS_WHEN_WIDTH, ALERTS_DIM);
	fputs("  ", stdout);
	alerts_cell(v, alerts_type_short(r->type), ALERTS_TYPE_WIDTH,
	    alerts_type_colour(r->type));
	fputs("  ", stdout);
	alerts_cell(v, r->watch, v->watch_width, ALERTS_BOLD);
	fputs("  ", stdout);
	alerts_cell(v, r->feed, v->feed_width, NULL);
	what = cli_text_line(r->what, v->room);
	printf("  %s\n", what);
	free(what);
}

/* store_alert_list: prints an alert at once (oldest first). */
static int
alerts_print_cb(const struct store_alert *a, void *arg)
{
	struct alerts_view *v = arg;
	struct alerts_row r;

	if (a->seq > v->until)
		return 1;
	alerts_row_fill(v, &r, a);
	alerts_row_print(v, &r);
	alerts_row_clear(&r);
	return ferror(stdout) ? 1 : 0;
}

/* store_alert_list: keeps an alert of the newest N (newest first). */
static int
alerts_collect_cb(const struct store_alert *a, void *arg)
{
	struct alerts_view *v = arg;

	if (a->seq > v->until)
		return 0;
	if (v->nrows == v->size) {
		v->size = v->size ? v->size * 2 : 64;
		v->rows = xreallocarray(v->rows, v->size, sizeof *v->rows);
	}
	alerts_row_fill(v, &v->rows[v->nrows++], a);
	return 0;
}

/* Sets the room left for what an alert says once the other columns'
 * widths are known: the terminal's rest, at least 20 characters. */
static void
alerts_view_room(struct alerts_view *v)
{
	size_t term, used;

	used = ALERTS_WHEN_WIDTH + 2 + ALERTS_TYPE_WIDTH + 2 +
	    v->watch_width + 2 + v->feed_width + 2;
	v->room = 0;
	if ((term = cli_terminal_width()) != 0)
		v->room = term > used + 20 ? term - used : 20;
}

/* Widens a column to fit s, up to max. */
static void
alerts_widen(size_t *width, const char *s, size_t max)
{
	size_t n = cli_text_width(s);

	if (n > *width)
		*width = n < max ? n : max;
}

/* Prints the collected rows oldest first, in columns wide enough for them
 * (and for the configured names), and forgets them. */
static void
alerts_print_collected(struct alerts_view *v)
{
	size_t i;

	for (i = 0; i < v->nrows && !v->json; i++) {
		alerts_widen(&v->watch_width, v->rows[i].watch,
		    ALERTS_WATCH_MAX);
		alerts_widen(&v->feed_width, v->rows[i].feed, ALERTS_FEED_MAX);
	}
	alerts_view_room(v);
	for (i = v->nrows; i > 0; i--) {
		alerts_row_print(v, &v->rows[i - 1]);
		alerts_row_clear(&v->rows[i - 1]);
	}
	free(v->rows);
	v->rows = NULL;
	v->nrows = v->size = 0;
}

/* Sets the columns' widths from the configured names, and colour. */
static void
alerts_view_setup(struct alerts_view *v, const struct config *conf)
{
	const char *no_colour = getenv("NO_COLOR");
	size_t i;

	v->watch_width = 5;
	for (i = 0; i < conf->nwatches; i++)
		alerts_widen(&v->watch_width, conf->watches[i].name,
		    ALERTS_WATCH_MAX);
	v->feed_width = 8;
	for (i = 0; i < conf->nfeeds; i++)
		alerts_widen(&v->feed_width, conf->feeds[i].name,
		    ALERTS_FEED_MAX);
	alerts_view_room(v);
	/* https://no-color.org: set and not empty turns colour off. */
	v->colour = isatty(STDOUT_FILENO) &&
	    (no_colour == NULL || *no_colour == '\0');
}

/* Lists the alerts q selects up to seq until: the newest q->limit of
 * them, or with no limit all of them as they are read. */
static int
alerts_show(struct store *store, struct alerts_view *v,
    struct store_alert_query *q, char **cause)
{
	int rc;

	if (q->limit == 0) {
		q->newest = 0;
		return store_alert_list(store, q, alerts_print_cb, v, cause);
	}
	q->newest = 1;
	rc = store_alert_list(store, q, alerts_collect_cb, v, cause);
	alerts_print_collected(v);
	return rc;
}

/* Sleeps ms, or less when a signal comes. */
static void
alerts_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* --follow: prints alerts beyond after as they are stored, until a
 * signal or a write error. */
static int
alerts_follow(struct store *store, struct alerts_view *v,
    struct store_alert_query *q, int64_t after, char **cause)
{
	struct sigaction sa;
	int64_t last;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = alerts_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal cuts the sleep short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	q->limit = 0;
	q->newest = 0;
	while (!alerts_stop) {
		if (fflush(stdout) == EOF || ferror(stdout))
			return 0;
		alerts_sleep(ALERTS_POLL_MS);
		if (alerts_stop)
			break;
		if (store_alert_last_seq(store, &last, cause) != 0)
			return -1;
		if (last <= after)
			continue;
		q->after_seq = after;
		v->until = last;
		if (store_alert_list(store, q, alerts_print_cb, v, cause) != 0)
			return -1;
		after = last;
	}
	return 0;
}

/* Shows the alerts, then follows them when asked. */
static int
alerts_run(struct store *store, struct alerts_view *v,
    struct store_alert_query *q, int follow)
{
	char *cause = NULL;
	int64_t last;
	int rc;

	if ((rc = store_alert_last_seq(store, &last, &cause)) == 0) {
		v->until = last;
		rc = alerts_show(store, v, q, &cause);
	}
	if (rc == 0 && follow)
		rc = alerts_follow(store, v, q, last, &cause);
	if (rc != 0) {
		log_warnx("%s", cause);
		free(cause);
	}
	return rc;
}

int
cli_alerts(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "since", required_argument, NULL, 's' },
		{ "watch", required_argument, NULL, 'w' },
		{ "type", required_argument, NULL, 't' },
		{ "follow", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_alert_query q;
	struct alerts_view v;
	struct config *conf;
	struct store *store;
	int64_t span = 0;
	size_t i, limit = ALERTS_DEFAULT;
	int c, follow = 0, counted = 0, missing, known = 0;
	int code = CLI_EXIT_OK;

	memset(&q, 0, sizeof q);
	memset(&v, 0, sizeof v);
	while ((c = getopt_long(argc, argv, ":fhn:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			v.json = 1;
			break;
		case 's':
			if (util_parse_duration(optarg, &span) != 0)
				return cli_usage_error(argv[0], "--since wants a "
				    "duration such as 90s, 15m, 2h or 7d, not "
				    "\"%s\"", optarg);
			break;
		case 'w':
			q.watch = optarg;
			break;
		case 't':
			if ((q.type = alerts_type_find(optarg)) == NULL)
				return cli_usage_error(argv[0], "unknown alert "
				    "type \"%s\" (story, person or claim)",
				    optarg);
			break;
		case 'f':
			follow = 1;
			break;
		case 'n':
			if (cli_parse_count(optarg, ALERTS_MAX, &limit) != 0)
				return cli_usage_error(argv[0], "-n wants a "
				    "number from 0 to %d, not \"%s\"",
				    ALERTS_MAX, optarg);
			counted = 1;
			break;
		case 'h':
			return cli_command_usage(argv[0]);
		default:
			return cli_option_error(argv[0], c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(argv[0], "unexpected argument \"%s\"",
		    argv[optind]);
	/* --since alone means all of that time. */
	if (span > 0) {
		q.since = util_now() - span;
		if (!counted)
			limit = 0;
	}
	q.limit = limit;
	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;
	for (i = 0; q.watch != NULL && i < conf->nwatches; i++) {
		if (strcmp(conf->watches[i].name, q.watch) == 0)
			known = 1;
	}
	if (q.watch != NULL && !known)
		log_warnx("%s: no watch \"%s\" in the configuration; showing "
		    "what is stored", argv[0], q.watch);
	alerts_view_setup(&v, conf);

	if ((store = cli_store_open(conf, &missing)) != NULL) {
		if (alerts_run(store, &v, &q, follow) != 0)
			code = CLI_EXIT_FAIL;
		store_close(store);
	} else if (!missing)
		code = CLI_EXIT_FAIL;
	config_free(conf);
	return cli_finish_output(code);
}
