/* registry.c: wirewatch people and wirewatch claims — what each watch's stories named and claimed, as a list or JSON Lines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "cli/cli_internal.h"

#define REGISTRY_DEFAULT	50
#define REGISTRY_MAX		1000000

/* What both commands were asked. */
struct registry_options {
	const char	*watch;
	size_t		 limit;
	int		 json;
};

/* A time as people read it, in their own zone ("" for none). */
static void
registry_when(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	*buf = '\0';
	if (t > 0 && localtime_r(&tt, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* An id or seq as JSON: null for 0 (none). */
static json_t *
registry_json_id(int64_t id)
{
	return id > 0 ? json_integer(id) : json_null();
}

/* A stored JSON array of spellings, or an empty array when it is not one. */
static json_t *
registry_json_variants(const char *variants)
{
	json_t *a = json_loads(variants != NULL ? variants : "[]", 0, NULL);

	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

static int
registry_person_json_cb(const struct store_person *p, void *arg)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "watch", cli_json_text(p->watch));
	json_object_set_new(obj, "name", cli_json_text(p->name));
	json_object_set_new(obj, "variants",
	    registry_json_variants(p->variants));
	json_object_set_new(obj, "mentions", json_integer(p->mentions));
	json_object_set_new(obj, "first_seen", cli_json_time(p->first_seen));
	json_object_set_new(obj, "last_seen", cli_json_time(p->last_seen));
	json_object_set_new(obj, "first_story", registry_json_id(p->first_story));
	json_object_set_new(obj, "alert", registry_json_id(p->alert_seq));
	json_object_set_new(obj, "evidence", cli_json_text(p->evidence));
	cli_json_print(obj);
	return 0;
}

/* The spellings other than the name, comma separated, for the list. */
static char *
registry_other_variants(const struct store_person *p)
{
	json_t *a = registry_json_variants(p->variants), *v;
	char *out = xstrdup(""), *next;
	size_t i;

	json_array_foreach(a, i, v) {
		if (!json_is_string(v) ||
		    strcmp(json_string_value(v), p->name) == 0)
			continue;
		xasprintf(&next, "%s%s%s", out, *out != '\0' ? ", " : "",
		    json_string_value(v));
		free(out);
		out = next;
	}
	json_decref(a);
	return out;
}

/* One person a line: last seen, watch, mentions, name, other spellings. */
static int
registry_person_line_cb(const struct store_person *p, void *arg)
{
	char when[32], *watch, *name, *variants, *others;

	registry_when(p->last_seen, when, sizeof when);
	watch = cli_text_line(p->watch, 0);
	name = cli_text_line(p->name, 0);
	others = registry_other_variants(p);
	variants = cli_text_line(others, 0);
	printf("%-16s  %s  %4lld  %s%s%s%s\n", when, watch,
	    (long long)p->mentions, name, *variants != '\0' ? "  (" : "",
	    variants, *variants != '\0' ? ")" : "");
	free(others);
	free(variants);
	free(name);
	free(watch);
	return 0;
}

static int
registry_claim_json_cb(const struct store_claim *c, void *arg)
{
	json_t *obj = json_object();
	char id[32];

	snprintf(id, sizeof id, "%lld", (long long)c->story_id);
	json_object_set_new(obj, "watch", cli_json_text(c->watch));
	json_object_set_new(obj, "text", cli_json_text(c->text));
	json_object_set_new(obj, "speaker", cli_json_text(c->speaker));
	json_object_set_new(obj, "source", cli_json_text(c->source));
	json_object_set_new(obj, "figures", cli_json_split(c->figures, '\t'));
	json_object_set_new(obj, "lang", cli_json_text(c->lang));
	json_object_set_new(obj, "story", c->story_id > 0 ? json_string(id) :
	    json_null());
	json_object_set_new(obj, "alert", registry_json_id(c->alert_seq));
	json_object_set_new(obj, "revises", registry_json_id(c->revises_seq));
	json_object_set_new(obj, "repeats", json_integer(c->repeats));
	json_object_set_new(obj, "first_seen", cli_json_time(c->first_seen));
	json_object_set_new(obj, "last_seen", cli_json_time(c->last_seen));
	cli_json_print(obj);
	return 0;
}

/* One claim: when, watch, speaker, figures and what it revises on one
 * line, the sentence under it. */
static int
registry_claim_line_cb(const struct store_claim *c, void *arg)
{
	char when[32], revises[48] = "", *watch, *speaker, *figures, *text;
	char *f;

	registry_when(c->first_seen, when, sizeof when);
	watch = cli_text_line(c->watch, 0);
	speaker = cli_text_line(c->speaker != NULL ? c->speaker : "-", 0);
	f = xstrdup(c->figures);
	for (text = f; *text != '\0'; text++) {
		if (*text == '\t')
			*text = ',';
	}
	figures = cli_text_line(f, 0);
	free(f);
	if (c->revises_seq > 0)
		snprintf(revises, sizeof revises, "  revises alert %lld",
		    (long long)c->revises_seq);
	else if (c->revises > 0)
		snprintf(revises, sizeof revises, "  revises an earlier claim");
	text = cli_text_line(c->text, 0);
	printf("%-16s  %s  %s%s%s%s%s\n%18s%s\n", when, watch, speaker,
	    *figures != '\0' ? "  [" : "", figures,
	    *figures != '\0' ? "]" : "", revises, "", text);
	free(text);
	free(figures);
	free(speaker);
	free(watch);
	return 0;
}

/* Parses the options both commands take. Returns -1 to go on, else the
 * exit code. */
static int
registry_options_parse(int argc, char **argv, struct registry_options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "watch", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->limit = REGISTRY_DEFAULT;
	while ((c = getopt_long(argc, argv, ":hn:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = 1;
			break;
		case 'w':
			o->watch = optarg;
			break;
		case 'n':
			if (cli_parse_count(optarg, REGISTRY_MAX,
			    &o->limit) != 0)
				return cli_usage_error(argv[0], "-n wants a "
				    "number from 0 to %d, not \"%s\"",
				    REGISTRY_MAX, optarg);
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
	return -1;
}

/* Runs one of the commands: options, configuration, store, then show. */
static int
registry_run(const char *config_path, int argc, char **argv,
    int (*show)(struct store *, const struct registry_options *, char **))
{
	struct registry_options o;
	struct config *conf;
	struct store *store;
	char *cause = NULL;
	int code, missing;

	if ((code = registry_options_parse(argc, argv, &o)) != -1)
		return code;
	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;
	code = CLI_EXIT_OK;
	if ((store = cli_store_open(conf, &missing)) != NULL) {
		if (show(store, &o, &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			code = CLI_EXIT_FAIL;
		}
		store_close(store);
	} else if (!missing)
		code = CLI_EXIT_FAIL;
	config_free(conf);
	return cli_finish_output(code);
}

static int
registry_people_show(struct store *store, const struct registry_options *o,
    char **cause)
{
	return store_person_list(store, o->watch, o->limit, o->json ?
	    registry_person_json_cb : registry_person_line_cb, NULL, cause);
}

static int
registry_claims_show(struct store *store, const struct registry_options *o,
    char **cause)
{
	return store_claim_list(store, o->watch, o->limit, o->json ?
	    registry_claim_json_cb : registry_claim_line_cb, NULL, cause);
}

int
cli_people(const char *config_path, int argc, char **argv)
{
	return registry_run(config_path, argc, argv, registry_people_show);
}

int
cli_claims(const char *config_path, int argc, char **argv)
{
	return registry_run(config_path, argc, argv, registry_claims_show);
}
