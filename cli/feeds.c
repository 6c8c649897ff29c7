/* feeds.c: wirewatch feeds — each configured feed with its stored polling state. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "cli/cli_internal.h"

/* Without a terminal to fit, errors are cut here. */
#define FEEDS_ERROR_WIDTH	60
/* On a terminal, the error column never shrinks below this. */
#define FEEDS_ERROR_MIN		20

enum feeds_column { COL_NAME, COL_STATUS, COL_FETCH, COL_ITEMS, COL_NEXT,
	COL_ERROR, NCOLUMNS };

static const char *const feeds_headers[NCOLUMNS] = {
	"NAME", "STATUS", "LAST FETCH", "ITEMS", "NEXT POLL", "ERROR",
};

/* A configured feed and, when the daemon has seen it, its state. */
struct feeds_row {
	const struct config_feed	*conf;
	struct store_feed		 state;
	int				 known;
	char				*cells[NCOLUMNS];
};

struct feeds_table {
	const struct config	*conf;
	struct feeds_row	*rows;		/* one per configured feed, in order */
	int64_t			 now;
};

/* Attaches a stored feed to its configured row; feeds no longer
 * configured are history and not listed. */
static int
feeds_attach_cb(const struct store_feed *feed, void *arg)
{
	struct feeds_table *t = arg;
	struct feeds_row *row;
	size_t i;

	for (i = 0; i < t->conf->nfeeds; i++) {
		row = &t->rows[i];
		if (strcmp(row->conf->name, feed->name) != 0)
			continue;
		row->known = 1;
		row->state = *feed;
		row->state.name = xstrdup(feed->name);
		row->state.config_url = xstrdup(feed->config_url);
		row->state.url = xstrdup(feed->url);
		row->state.etag = NULL;
		row->state.last_modified = NULL;
		row->state.last_error = feed->last_error != NULL ?
		    xstrdup(feed->last_error) : NULL;
		break;
	}
	return 0;
}

/* Whether the feed counts as new: never polled, or its stored state is
 * about another URL (the file was edited and the daemon not yet reloaded). */
static int
feeds_is_new(const struct feeds_row *row)
{
	return !row->known || row->state.last_fetch == 0 ||
	    strcmp(row->state.config_url, row->conf->url) != 0;
}

/* The STATUS word; json picks the machine spelling ("http" alone). */
static char *
feeds_status(const struct feeds_row *row, int json)
{
	const struct store_feed *f = &row->state;
	char *status;

	if (feeds_is_new(row))
		return xstrdup("new");
	if (f->disabled) {
		if (json || f->last_status == 0)
			return xstrdup("disabled");
		xasprintf(&status, "disabled (%d)", f->last_status);
		return status;
	}
	if (f->last_error == NULL)
		return xstrdup("ok");
	if (f->last_status >= 300 && f->last_status != 304) {
		if (json)
			return xstrdup("http");
		xasprintf(&status, "http %d", f->last_status);
		return status;
	}
	return xstrdup("error");
}

/* Fills the cells of a row, except the error, which is cut to fit later. */
static void
feeds_fill_row(struct feeds_row *row, int64_t now)
{
	const struct store_feed *f = &row->state;
	char span[32];
	int fresh = feeds_is_new(row);

	row->cells[COL_NAME] = cli_text_line(row->conf->name, 0);
	row->cells[COL_STATUS] = feeds_status(row, 0);
	if (fresh)
		row->cells[COL_FETCH] = xstrdup("never");
	else
		xasprintf(&row->cells[COL_FETCH], "%s ago",
		    cli_format_span(now - f->last_fetch, span, sizeof span));
	xasprintf(&row->cells[COL_ITEMS], "%lld",
	    (long long)(row->known ? f->items : 0));
	if (fresh || f->disabled || f->next_poll == 0)
		row->cells[COL_NEXT] = xstrdup("-");
	else if (f->next_poll <= now)
		row->cells[COL_NEXT] = xstrdup("due");
	else
		xasprintf(&row->cells[COL_NEXT], "in %s",
		    cli_format_span(f->next_poll - now, span, sizeof span));
	row->cells[COL_ERROR] = NULL;
}

/* Writes one cell and the gap before it; ITEMS is right-aligned, the last
 * cell of a line is not padded, so lines carry no trailing blanks. */
static void
feeds_print_cell(enum feeds_column col, const char *s, size_t width, int last)
{
	size_t pad;

	if (col != COL_NAME)
		fputs("  ", stdout);
	if (col == COL_ITEMS)
		for (pad = cli_text_width(s); pad < width; pad++)
			fputc(' ', stdout);
	if (col == COL_ITEMS || last)
		fputs(s, stdout);
	else
		cli_print_padded(stdout, s, width);
	if (last)
		fputc('\n', stdout);
}

/* Prints the table, the error column cut to what the terminal has left. */
static void
feeds_print_table(struct feeds_table *t)
{
	size_t width[NCOLUMNS], used = 0, room, term, i, j, last;
	struct feeds_row *row;
	const char *error;

	for (j = 0; j < NCOLUMNS; j++)
		width[j] = strlen(feeds_headers[j]);
	for (i = 0; i < t->conf->nfeeds; i++) {
		feeds_fill_row(&t->rows[i], t->now);
		for (j = 0; j < COL_ERROR; j++) {
			if (cli_text_width(t->rows[i].cells[j]) > width[j])
				width[j] = cli_text_width(t->rows[i].cells[j]);
		}
	}
	for (j = 0; j < COL_ERROR; j++)
		used += width[j] + 2;
	room = FEEDS_ERROR_WIDTH;
	if ((term = cli_terminal_width()) != 0)
		room = term > used + FEEDS_ERROR_MIN ? term - used :
		    FEEDS_ERROR_MIN;

	for (j = 0; j < NCOLUMNS; j++)
		feeds_print_cell(j, feeds_headers[j], width[j], j == COL_ERROR);
	for (i = 0; i < t->conf->nfeeds; i++) {
		row = &t->rows[i];
		error = feeds_is_new(row) ? NULL : row->state.last_error;
		row->cells[COL_ERROR] = cli_text_line(error, room);
		last = *row->cells[COL_ERROR] != '\0' ? COL_ERROR : COL_NEXT;
		for (j = 0; j <= last; j++)
			feeds_print_cell(j, row->cells[j], width[j], j == last);
	}
}

/* Prints one JSON object per feed. */
static void
feeds_print_json(struct feeds_table *t)
{
	const struct store_feed *f;
	struct feeds_row *row;
	json_t *obj;
	char *status;
	size_t i;
	int fresh;

	for (i = 0; i < t->conf->nfeeds; i++) {
		row = &t->rows[i];
		f = &row->state;
		fresh = feeds_is_new(row);
		status = feeds_status(row, 1);
		obj = json_object();
		json_object_set_new(obj, "name", cli_json_text(row->conf->name));
		json_object_set_new(obj, "url", cli_json_text(row->conf->url));
		json_object_set_new(obj, "polled_url",
		    cli_json_text(fresh ? NULL : f->url));
		json_object_set_new(obj, "status", json_string(status));
		json_object_set_new(obj, "http_status", fresh ||
		    f->last_status == 0 ? json_null() :
		    json_integer(f->last_status));
		json_object_set_new(obj, "error",
		    cli_json_text(fresh ? NULL : f->last_error));
		json_object_set_new(obj, "failures",
		    json_integer(fresh ? 0 : f->failures));
		json_object_set_new(obj, "last_fetch",
		    cli_json_time(fresh || f->last_fetch == 0 ? -1 :
		    f->last_fetch));
		json_object_set_new(obj, "last_success",
		    cli_json_time(fresh || f->last_success == 0 ? -1 :
		    f->last_success));
		json_object_set_new(obj, "next_poll",
		    cli_json_time(fresh || f->disabled || f->next_poll == 0 ?
		    -1 : f->next_poll));
		json_object_set_new(obj, "items",
		    json_integer(row->known ? f->items : 0));
		json_object_set_new(obj, "disabled",
		    json_boolean(!fresh && f->disabled));
		cli_json_print(obj);
		free(status);
	}
}

/* Releases the rows; the configuration stays the caller's. */
static void
feeds_table_free(struct feeds_table *t)
{
	size_t i, j;

	for (i = 0; i < t->conf->nfeeds; i++) {
		store_feed_clear(&t->rows[i].state);
		for (j = 0; j < NCOLUMNS; j++)
			free(t->rows[i].cells[j]);
	}
	free(t->rows);
}

/* One line of translation costs, appended to the footer. */
static int
feeds_translation_cb(const struct store_translate_stats *st, void *arg)
{
	char **footer = arg, *line, *old = *footer;
	int64_t looked = st->cache_hits + st->cache_misses;

	xasprintf(&line, "translation (%s): %lld characters sent in %lld "
	    "request%s, cache %lld of %lld texts (%.0f %%), %lld failed "
	    "request%s, %lld stor%s untranslated\n", st->backend,
	    (long long)st->chars, (long long)st->requests,
	    st->requests == 1 ? "" : "s", (long long)st->cache_hits,
	    (long long)looked, looked > 0 ? 100.0 * (double)st->cache_hits /
	    (double)looked : 0.0, (long long)st->failures,
	    st->failures == 1 ? "" : "s", (long long)st->untranslated,
	    st->untranslated == 1 ? "y" : "ies");
	xasprintf(footer, "%s%s", old != NULL ? old : "", line);
	free(old);
	free(line);
	return 0;
}

/* The translation costs and the stories waiting, for the table's footer;
 * NULL when nothing was ever translated and no backend is configured. */
static char *
feeds_translation_footer(struct store *store, const struct config *conf)
{
	char *footer = NULL, *cause = NULL, *old;
	int64_t due, pending = 0;

	if (store_translate_stats_list(store, feeds_translation_cb, &footer,
	    &cause) != 0 || store_story_translate_next(store, util_now(), &due,
	    &pending, &cause) != 0) {
		free(cause);
		return footer;
	}
	if (footer == NULL && strcmp(conf->translate_backend, "none") == 0)
		return NULL;
	old = footer;
	xasprintf(&footer, "%s%lld stor%s waiting for a translation\n",
	    old != NULL ? old : "", (long long)pending,
	    pending == 1 ? "y" : "ies");
	free(old);
	return footer;
}

int
cli_feeds(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct feeds_table t;
	struct config *conf;
	struct store *store;
	char *footer = NULL;
	int c, json = 0, missing, code = CLI_EXIT_OK;
	size_t i;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'h')
			return cli_command_usage(argv[0]);
		else
			return cli_option_error(argv[0], c, argv);
	}
	if (optind != argc)
		return cli_usage_error(argv[0], "unexpected argument \"%s\"",
		    argv[optind]);
	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;

	memset(&t, 0, sizeof t);
	t.conf = conf;
	t.now = util_now();
	t.rows = xcalloc(conf->nfeeds + 1, sizeof *t.rows);
	for (i = 0; i < conf->nfeeds; i++)
		t.rows[i].conf = &conf->feeds[i];

	/* Without a database every feed is simply new. */
	if ((store = cli_store_open(conf, &missing)) != NULL) {
		if (store_feed_list(store, feeds_attach_cb, &t) != 0)
			code = CLI_EXIT_FAIL;
		else if (!json)
			footer = feeds_translation_footer(store, conf);
		store_close(store);
	} else if (!missing)
		code = CLI_EXIT_FAIL;

	if (code == CLI_EXIT_OK) {
		if (json)
			feeds_print_json(&t);
		else
			feeds_print_table(&t);
		if (footer != NULL)
			printf("\n%s", footer);
	}
	free(footer);
	feeds_table_free(&t);
	config_free(conf);
	return cli_finish_output(code);
}
