/* stories.c: wirewatch stories — the newest stored stories, as a list or JSON Lines. */

/*
 * Until the story stage exists, each stored item stands for a story; the
 * command's output keeps the shape stories will have (a title, a feed, a
 * time and a link; JSON with the text) so scripts need not change.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "cli/cli_internal.h"

#define STORIES_DEFAULT		20
#define STORIES_MAX		1000000
/* Characters of text shown for a story that has no title. */
#define STORIES_UNTITLED	80

/* One story as the list shows it, copied out of the store's row. */
struct stories_line {
	char	*when;
	char	*feed;
	char	*title;
	char	*url;
};

struct stories_list {
	struct stories_line	*lines;
	size_t			 n;
	size_t			 size;
};

/* The time a story is listed under: its publication, unless it has none
 * or claims one after we first saw it (the store orders the same way). */
static int64_t
stories_time(const struct store_item *item)
{
	if (item->published >= 0 && item->published <= item->fetched)
		return item->published;
	return item->fetched;
}

/* Prints one story as a JSON object. */
static int
stories_json_cb(const struct store_item *item, void *arg)
{
	json_t *obj;

	obj = json_object();
	json_object_set_new(obj, "id", json_integer(item->id));
	json_object_set_new(obj, "feed", cli_json_text(item->feed));
	json_object_set_new(obj, "identity", cli_json_text(item->identity));
	json_object_set_new(obj, "title", cli_json_text(item->title));
	json_object_set_new(obj, "text", cli_json_text(item->text));
	json_object_set_new(obj, "url", cli_json_text(item->url));
	json_object_set_new(obj, "author", cli_json_text(item->author));
	json_object_set_new(obj, "published", cli_json_time(item->published));
	json_object_set_new(obj, "fetched", cli_json_time(item->fetched));
	json_object_set_new(obj, "updated", cli_json_time(item->updated));
	cli_json_print(obj);
	return 0;
}

/* Copies one story for the list, which is printed once the feed column's
 * width is known. */
static int
stories_collect_cb(const struct store_item *item, void *arg)
{
	struct stories_list *l = arg;
	struct stories_line *line;
	struct tm tm;
	time_t t = (time_t)stories_time(item);
	char when[32] = "";
	const char *title = item->title;
	size_t max = 0;

	if (l->n == l->size) {
		l->size = l->size ? l->size * 2 : 64;
		l->lines = xreallocarray(l->lines, l->size, sizeof *l->lines);
	}
	line = &l->lines[l->n++];
	/* People read their own time zone; --json gives UTC. */
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	line->when = xstrdup(when);
	line->feed = cli_text_line(item->feed, 0);
	if (title == NULL || *title == '\0') {
		title = item->text;
		max = STORIES_UNTITLED;
	}
	line->title = cli_text_line(title, max);
	line->url = cli_text_line(item->url, 0);
	return 0;
}

/* Prints the list: time, feed, title, and the link under the title; on a
 * terminal the title is cut to the room left on the line. */
static void
stories_print_list(struct stories_list *l)
{
	size_t feed_width = 0, indent, term, room = 0, i, k;
	struct stories_line *line;
	char *title;

	for (i = 0; i < l->n; i++) {
		if (cli_text_width(l->lines[i].feed) > feed_width)
			feed_width = cli_text_width(l->lines[i].feed);
	}
	indent = 16 + 2 + feed_width + 2;
	if ((term = cli_terminal_width()) != 0)
		room = term > indent + 20 ? term - indent : 20;
	for (i = 0; i < l->n; i++) {
		line = &l->lines[i];
		cli_print_padded(stdout, line->when, 16);
		fputs("  ", stdout);
		cli_print_padded(stdout, line->feed, feed_width);
		title = cli_text_line(line->title, room);
		printf("  %s\n", title);
		free(title);
		if (*line->url == '\0')
			continue;
		for (k = 0; k < indent; k++)
			fputc(' ', stdout);
		printf("%s\n", line->url);
	}
}

/* Releases the copied stories. */
static void
stories_list_free(struct stories_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->lines[i].when);
		free(l->lines[i].feed);
		free(l->lines[i].title);
		free(l->lines[i].url);
	}
	free(l->lines);
}

/* Lists the stories from an open store. */
static int
stories_show(struct store *store, const char *feed, size_t limit, int json)
{
	struct stories_list l;
	int rc;

	if (json)
		return store_item_list(store, feed, limit, stories_json_cb, NULL);
	memset(&l, 0, sizeof l);
	rc = store_item_list(store, feed, limit, stories_collect_cb, &l);
	if (rc == 0)
		stories_print_list(&l);
	stories_list_free(&l);
	return rc;
}

int
cli_stories(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "feed", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config *conf;
	struct store *store;
	const char *feed = NULL;
	size_t limit = STORIES_DEFAULT;
	int c, json = 0, missing, code = CLI_EXIT_OK;

	while ((c = getopt_long(argc, argv, ":hn:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'f':
			feed = optarg;
			break;
		case 'n':
			if (cli_parse_count(optarg, STORIES_MAX, &limit) != 0)
				return cli_usage_error(argv[0], "-n wants a "
				    "number from 0 to %d, not \"%s\"",
				    STORIES_MAX, optarg);
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
	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;
	if (feed != NULL && config_feed_find(conf, feed) == NULL)
		log_warnx("%s: no feed \"%s\" in the configuration; showing "
		    "what is stored", argv[0], feed);

	if ((store = cli_store_open(conf, &missing)) != NULL) {
		if (stories_show(store, feed, limit, json) != 0)
			code = CLI_EXIT_FAIL;
		store_close(store);
	} else if (!missing)
		code = CLI_EXIT_FAIL;
	config_free(conf);
	return cli_finish_output(code);
}
