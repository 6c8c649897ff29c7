/* stories.c: wirewatch stories — the stories most recently seen, with their sources, as a list or JSON Lines. */
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
	char	*sources;	/* "3 en,ru" */
	char	*title;
	char	*original;	/* --original: the title as written, or NULL */
	char	*url;
};

struct stories_list {
	struct stories_line	*lines;
	size_t			 n;
	size_t			 size;
	int			 original;	/* --original */
};

/* What the JSON callbacks share: the store, for each story's sources. */
struct stories_json {
	struct store	*store;
	json_t		*sources;
};

/* The time a story is listed under: its publication, unless it has none
 * or claims one after we first saw it. */
static int64_t
stories_time(const struct store_story *story)
{
	if (story->published >= 0 && story->published <= story->first_seen)
		return story->published;
	return story->first_seen;
}

/* Adds one source of a story to the JSON array being built. */
static int
stories_source_cb(const struct store_item *item, void *arg)
{
	struct stories_json *sj = arg;
	json_t *obj = json_object();

	json_object_set_new(obj, "feed", cli_json_text(item->feed));
	json_object_set_new(obj, "identity", cli_json_text(item->identity));
	json_object_set_new(obj, "title", cli_json_text(item->title));
	json_object_set_new(obj, "url", cli_json_text(item->url));
	json_object_set_new(obj, "published", cli_json_time(item->published));
	json_object_set_new(obj, "first_seen", cli_json_time(item->fetched));
	json_object_set_new(obj, "last_seen", cli_json_time(item->updated));
	json_array_append_new(sj->sources, obj);
	return 0;
}

/* Prints one story as a JSON object, with its sources. */
static int
stories_json_cb(const struct store_story *story, void *arg)
{
	struct stories_json *sj = arg;
	char id[32], *cause = NULL;
	json_t *obj;

	snprintf(id, sizeof id, "%lld", (long long)story->id);
	obj = json_object();
	json_object_set_new(obj, "id", json_string(id));
	json_object_set_new(obj, "title", cli_json_text(story->title));
	json_object_set_new(obj, "text", cli_json_text(story->text));
	json_object_set_new(obj, "url", cli_json_text(story->url));
	json_object_set_new(obj, "feed", cli_json_text(story->feed));
	json_object_set_new(obj, "lang", cli_json_text(story->lang));
	json_object_set_new(obj, "languages",
	    cli_json_split(story->languages, ','));
	json_object_set_new(obj, "watches", cli_json_split(story->watches, ','));
	json_object_set_new(obj, "translated",
	    json_boolean(story->translated_by != NULL));
	json_object_set_new(obj, "translation",
	    cli_json_text(story->translation));
	json_object_set_new(obj, "translated_by",
	    cli_json_text(story->translated_by));
	json_object_set_new(obj, "translated_from",
	    cli_json_text(story->translated_from));
	json_object_set_new(obj, "title_original",
	    cli_json_text(story->title_original));
	json_object_set_new(obj, "text_original",
	    cli_json_text(story->text_original));
	json_object_set_new(obj, "translate_error",
	    cli_json_text(story->translate_error));
	json_object_set_new(obj, "published", cli_json_time(story->published));
	json_object_set_new(obj, "first_seen",
	    cli_json_time(story->first_seen));
	json_object_set_new(obj, "last_seen", cli_json_time(story->last_seen));
	sj->sources = json_array();
	if (store_story_sources(sj->store, story->id, stories_source_cb, sj,
	    &cause) != 0) {
		log_warnx("story %s: %s", id, cause);
		free(cause);
	}
	json_object_set_new(obj, "sources", sj->sources);
	cli_json_print(obj);
	return 0;
}

/* Copies one story for the list, which is printed once the feed column's
 * width is known. */
static int
stories_collect_cb(const struct store_story *story, void *arg)
{
	struct stories_list *l = arg;
	struct stories_line *line;
	struct tm tm;
	time_t t = (time_t)stories_time(story);
	char when[32] = "", *languages;
	const char *title = story->title;
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
	line->feed = cli_text_line(story->feed, 0);
	languages = cli_text_line(story->languages, 0);
	xasprintf(&line->sources, "%3lld %s", (long long)story->sources,
	    languages);
	free(languages);
	if (title == NULL || *title == '\0') {
		title = story->text;
		max = STORIES_UNTITLED;
	}
	line->title = cli_text_line(title, max);
	line->original = NULL;
	if (l->original && story->title_original != NULL)
		line->original = cli_text_line(story->title_original, 0);
	line->url = cli_text_line(story->url, 0);
	return 0;
}

/* Prints the list: time, sources and their languages, the first feed,
 * the title, and the link under the title; on a terminal the title is
 * cut to the room left on the line. */
static void
stories_print_list(struct stories_list *l)
{
	size_t feed_width = 0, src_width = 0, indent, term, room = 0, i, k;
	struct stories_line *line;
	char *title;

	for (i = 0; i < l->n; i++) {
		if (cli_text_width(l->lines[i].feed) > feed_width)
			feed_width = cli_text_width(l->lines[i].feed);
		if (cli_text_width(l->lines[i].sources) > src_width)
			src_width = cli_text_width(l->lines[i].sources);
	}
	indent = 16 + 2 + src_width + 2 + feed_width + 2;
	if ((term = cli_terminal_width()) != 0)
		room = term > indent + 20 ? term - indent : 20;
	for (i = 0; i < l->n; i++) {
		line = &l->lines[i];
		cli_print_padded(stdout, line->when, 16);
		fputs("  ", stdout);
		cli_print_padded(stdout, line->sources, src_width);
		fputs("  ", stdout);
		cli_print_padded(stdout, line->feed, feed_width);
		title = cli_text_line(line->title, room);
		printf("  %s\n", title);
		free(title);
		if (line->original != NULL) {
			for (k = 0; k < indent; k++)
				fputc(' ', stdout);
			title = cli_text_line(line->original, room);
			printf("%s\n", title);
			free(title);
		}
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
		free(l->lines[i].sources);
		free(l->lines[i].title);
		free(l->lines[i].original);
		free(l->lines[i].url);
	}
	free(l->lines);
}

/* Lists the stories from an open store. */
static int
stories_show(struct store *store, const char *feed, const char *watch,
    size_t limit, int json, int original)
{
	struct stories_json sj = { store, NULL };
	struct stories_list l;
	char *cause = NULL;
	int rc;

	memset(&l, 0, sizeof l);
	l.original = original;
	if (json)
		rc = store_story_list(store, feed, watch, limit,
		    stories_json_cb, &sj, &cause);
	else
		rc = store_story_list(store, feed, watch, limit,
		    stories_collect_cb, &l, &cause);
	if (rc == 0 && !json)
		stories_print_list(&l);
	stories_list_free(&l);
	if (rc != 0) {
		log_warnx("%s", cause);
		free(cause);
	}
	return rc;
}

int
cli_stories(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "feed", required_argument, NULL, 'f' },
		{ "watch", required_argument, NULL, 'w' },
		{ "original", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config *conf;
	struct store *store;
	const char *feed = NULL, *watch = NULL;
	size_t limit = STORIES_DEFAULT;
	int c, json = 0, original = 0, missing, code = CLI_EXIT_OK;

	while ((c = getopt_long(argc, argv, ":hn:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'f':
			feed = optarg;
			break;
		case 'w':
			watch = optarg;
			break;
		case 'o':
			original = 1;
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
		if (stories_show(store, feed, watch, limit, json, original) != 0)
			code = CLI_EXIT_FAIL;
		store_close(store);
	} else if (!missing)
		code = CLI_EXIT_FAIL;
	config_free(conf);
	return cli_finish_output(code);
}
