/* test_config.c: the configuration loader — every error as file:line, continuations, defaults, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"
#include "daemon/config.h"

/* Each test writes its file into a fresh directory, removed afterwards. */
struct fixture {
	char	dir[64];
	char	path[128];
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/ww-test-config-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/wirewatch.conf", f->dir);
	unsetenv("STATE_DIRECTORY");
	unsetenv("LOGS_DIRECTORY");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
write_file(struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Loads text and expects success. */
static struct config *
load_ok(struct fixture *f, const char *text)
{
	struct config *c;
	char *cause = NULL;

	write_file(f, text);
	c = config_load(f->path, &cause);
	if (c == NULL)
		fail_msg("unexpected error: %s", cause);
	return c;
}

/* Loads text and expects the error "path:line: message". */
static void
load_fails(struct fixture *f, const char *text, int line, const char *message)
{
	char *cause = NULL, *want;
	struct config *c;

	write_file(f, text);
	c = config_load(f->path, &cause);
	assert_null(c);
	assert_non_null(cause);
	xasprintf(&want, "%s:%d: %s", f->path, line, message);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void
test_defaults_when_file_is_empty(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f, "# nothing\n");

	assert_string_equal(c->state_dir, "/var/lib/wirewatch");
	assert_string_equal(c->alert_log, "/var/log/wirewatch/alerts.jsonl");
	assert_int_equal(c->interval, 900);
	assert_int_equal(c->concurrency, 16);
	assert_int_equal(c->per_host, 2);
	assert_int_equal(c->host_delay_ms, 500);
	assert_int_equal(c->timeout, 30);
	assert_int_equal(c->max_body, 16 * 1024 * 1024);
	assert_non_null(c->user_agent);
	assert_string_equal(c->translate_backend, "none");
	assert_string_equal(c->translate_target, "en");
	assert_null(c->translate_url);
	assert_null(c->translate_key_file);
	assert_int_equal(c->nfeeds, 0);
	assert_int_equal(c->nwatches, 0);
	assert_string_equal(c->path, f->path);
	config_free(c);
}

static void
test_full_file_loads_every_key(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "; a sample\n"
	    "[daemon]\n"
	    "state_dir = /srv/ww\n"
	    "alert_log = /srv/log/alerts.jsonl   # inline comment\n"
	    "interval = 5m\n"
	    "concurrency = 256\n"
	    "per_host = 16\n"
	    "host_delay = 1s\n"
	    "timeout = 2m\n"
	    "max_body = 512K\n"
	    "user_agent = test-agent/1.0 (X11; Linux)\n"
	    "\n"
	    "[translate]\n"
	    "backend = apertium\n"
	    "url = http://127.0.0.1:2737\n"
	    "target = es\n"
	    "key_file = /etc/wirewatch/key\n"
	    "\n"
	    "[feed \"izvestia\"]\n"
	    "url = https://iz.ru/xml/rss/all.xml\n"
	    "language = ru\n"
	    "interval = 1s\n"
	    "\n"
	    "[watch \"gaza-talks\"]\n"
	    "query = hamas AND ceasefire\n"
	    "alerts = person story\n");

	assert_string_equal(c->state_dir, "/srv/ww");
	assert_string_equal(c->alert_log, "/srv/log/alerts.jsonl");
	assert_int_equal(c->interval, 300);
	assert_int_equal(c->concurrency, 256);
	assert_int_equal(c->per_host, 16);
	assert_int_equal(c->host_delay_ms, 1000);
	assert_int_equal(c->timeout, 120);
	assert_int_equal(c->max_body, 512 * 1024);
	assert_string_equal(c->user_agent, "test-agent/1.0 (X11; Linux)");
	assert_string_equal(c->translate_backend, "apertium");
	assert_string_equal(c->translate_url, "http://127.0.0.1:2737");
	assert_string_equal(c->translate_target, "es");
	assert_string_equal(c->translate_key_file, "/etc/wirewatch/key");
	assert_int_equal(c->nfeeds, 1);
	assert_string_equal(c->feeds[0].name, "izvestia");
	assert_string_equal(c->feeds[0].url, "https://iz.ru/xml/rss/all.xml");
	assert_string_equal(c->feeds[0].language, "ru");
	assert_int_equal(c->feeds[0].interval, 1);
	assert_int_equal(c->feeds[0].line, 19);
	assert_int_equal(c->nwatches, 1);
	assert_string_equal(c->watches[0].name, "gaza-talks");
	assert_string_equal(c->watches[0].query, "hamas AND ceasefire");
	assert_string_equal(c->watches[0].alerts, "person story");
	assert_int_equal(c->watches[0].line, 24);
	assert_int_equal(c->watches[0].query_line, 25);
	config_free(c);
}

static void
test_feed_without_interval_uses_default_and_auto_is_kept(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[daemon]\ninterval = auto\n"
	    "[feed \"a\"]\nurl = http://a.example/\n"
	    "[feed \"b\"]\nurl = http://b.example/\ninterval = auto\n");

	assert_int_equal(c->interval, CONFIG_INTERVAL_AUTO);
	assert_int_equal(c->feeds[0].interval, 0);
	assert_int_equal(c->feeds[1].interval, CONFIG_INTERVAL_AUTO);
	assert_null(c->feeds[0].language);
	config_free(c);
}

static void
test_host_delay_accepts_zero_and_milliseconds(void **state)
{
	struct fixture *f = *state;
	struct config *c;

	c = load_ok(f, "[daemon]\nhost_delay = 0\n");
	assert_int_equal(c->host_delay_ms, 0);
	config_free(c);
	c = load_ok(f, "[daemon]\nhost_delay = 250ms\n");
	assert_int_equal(c->host_delay_ms, 250);
	config_free(c);
	c = load_ok(f, "[daemon]\nhost_delay = 2m\n");
	assert_int_equal(c->host_delay_ms, 120000);
	config_free(c);
}

static void
test_continuation_lines_join_with_one_space(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[watch \"w\"]\n"
	    "query = (hamas OR gaza)\n"
	    "    AND   (ceasefire OR truce)   # trailing comment\n"
	    "# a comment inside the value is skipped\n"
	    "\tAND NOT sport\n"
	    "alerts = claim\n");

	assert_string_equal(c->watches[0].query,
	    "(hamas OR gaza) AND   (ceasefire OR truce) AND NOT sport");
	assert_int_equal(c->watches[0].query_line, 2);
	assert_string_equal(c->watches[0].alerts, "claim");
	config_free(c);
}

static void
test_value_may_start_on_the_next_line(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[watch \"w\"]\n"
	    "query =\n"
	    "  hamas\n"
	    "  ceasefire\n");

	assert_string_equal(c->watches[0].query, "hamas ceasefire");
	config_free(c);
}

static void
test_indented_keys_under_a_section_are_separate_keys(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[feed \"a\"]\n"
	    "\turl = http://a.example/rss\n"
	    "\tlanguage = he\n");

	assert_string_equal(c->feeds[0].url, "http://a.example/rss");
	assert_string_equal(c->feeds[0].language, "he");
	config_free(c);
}

static void
test_long_query_over_200_bytes_loads_intact(void **state)
{
	struct fixture *f = *state;
	char query[3000], *text;
	struct config *c;
	size_t i;

	/* One physical line of 2,999 bytes: libinih would have split it. */
	for (i = 0; i < sizeof query - 1; i++)
		query[i] = "abcdefgh OR "[i % 12];
	query[sizeof query - 1] = '\0';
	query[sizeof query - 2] = 'z';
	xasprintf(&text, "[watch \"long\"]\nquery = %s\n", query);
	c = load_ok(f, text);
	assert_string_equal(c->watches[0].query, query);
	assert_int_equal(strlen(c->watches[0].query), 2999);
	config_free(c);
	free(text);
}

static void
test_relative_paths_resolve_against_the_file_directory(void **state)
{
	struct fixture *f = *state;
	struct config *c;
	char *real, *want;

	c = load_ok(f, "[daemon]\nstate_dir = state\nalert_log = logs/a.jsonl\n"
	    "[translate]\nkey_file = ../key\n");
	real = realpath(f->dir, NULL);
	assert_non_null(real);
	xasprintf(&want, "%s/state", real);
	assert_string_equal(c->state_dir, want);
	free(want);
	xasprintf(&want, "%s/logs/a.jsonl", real);
	assert_string_equal(c->alert_log, want);
	free(want);
	xasprintf(&want, "%s/../key", real);
	assert_string_equal(c->translate_key_file, want);
	free(want);
	free(real);
	config_free(c);
}

static void
test_systemd_directories_are_the_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *c;

	setenv("STATE_DIRECTORY", "/var/lib/wirewatch:/var/lib/other", 1);
	setenv("LOGS_DIRECTORY", "/var/log/wirewatch", 1);
	c = load_ok(f, "[feed \"a\"]\nurl = http://a.example/\n");
	assert_string_equal(c->state_dir, "/var/lib/wirewatch");
	assert_string_equal(c->alert_log, "/var/log/wirewatch/alerts.jsonl");
	config_free(c);

	/* The file still wins over the environment. */
	c = load_ok(f, "[daemon]\nstate_dir = /srv/s\n");
	assert_string_equal(c->state_dir, "/srv/s");
	config_free(c);
	unsetenv("STATE_DIRECTORY");
	unsetenv("LOGS_DIRECTORY");
}

static void
test_url_scheme_is_case_insensitive(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f, "[feed \"a\"]\nurl = HTTPS://A.example/x\n");

	assert_string_equal(c->feeds[0].url, "HTTPS://A.example/x");
	config_free(c);
}

static void
test_crlf_line_endings_are_accepted(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[feed \"a\"]\r\nurl = http://a.example/\r\n\r\ninterval = 10m\r\n");

	assert_string_equal(c->feeds[0].url, "http://a.example/");
	assert_int_equal(c->feeds[0].interval, 600);
	config_free(c);
}

static void
test_config_feed_find_by_name(void **state)
{
	struct fixture *f = *state;
	struct config *c = load_ok(f,
	    "[feed \"one\"]\nurl = http://one.example/\n"
	    "[feed \"two\"]\nurl = http://two.example/\n");

	assert_non_null(config_feed_find(c, "two"));
	assert_string_equal(config_feed_find(c, "two")->url,
	    "http://two.example/");
	assert_null(config_feed_find(c, "three"));
	assert_null(config_feed_find(c, "TWO"));
	config_free(c);
}

static void
test_missing_file_names_the_path(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL, *want;

	assert_null(config_load(f->path, &cause));
	xasprintf(&want, "%s: No such file or directory", f->path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void
test_file_over_one_megabyte_is_rejected(void **state)
{
	struct fixture *f = *state;
	char *text, *cause = NULL;
	size_t n = 1024 * 1024 + 10, i;

	text = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		text[i] = i % 64 == 63 ? '\n' : '#';
	text[n] = '\0';
	write_file(f, text);
	free(text);
	assert_null(config_load(f->path, &cause));
	assert_non_null(strstr(cause, f->path));
	assert_non_null(strstr(cause, "larger than"));
	free(cause);
}

static void
test_unknown_section_is_an_error(void **state)
{
	load_fails(*state, "[daemon]\n\n[deamon]\n", 3,
	    "unknown section [deamon]");
}

static void
test_unknown_key_is_an_error(void **state)
{
	load_fails(*state, "[daemon]\ninterval = 5m\nintreval = 5m\n", 3,
	    "unknown key \"intreval\" in [daemon]");
	load_fails(*state, "[feed \"x\"]\nurl = http://x/\nlang = ru\n", 3,
	    "unknown key \"lang\" in [feed \"x\"]");
}

static void
test_duplicate_key_is_an_error(void **state)
{
	load_fails(*state,
	    "[feed \"x\"]\nurl = http://x/\nurl = http://y/\n", 3,
	    "duplicate key \"url\" in [feed \"x\"] (first at line 2)");
	load_fails(*state,
	    "[daemon]\ntimeout = 5s\n[translate]\n[daemon]\ntimeout = 6s\n", 5,
	    "duplicate key \"timeout\" in [daemon] (first at line 2)");
}

static void
test_duplicate_feed_and_watch_names_are_errors(void **state)
{
	load_fails(*state,
	    "[feed \"x\"]\nurl = http://x/\n\n[feed \"x\"]\nurl = http://y/\n",
	    4, "duplicate feed \"x\" (first at line 1)");
	load_fails(*state,
	    "[watch \"w\"]\nquery = a\n[watch \"w\"]\nquery = b\n",
	    3, "duplicate watch \"w\" (first at line 1)");
}

/* Past the first growth of the name set, a duplicate is still found and
 * still points at the first definition. */
static void
test_duplicate_among_thousands_of_feeds_is_found(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int i;

	assert_non_null(fp);
	for (i = 0; i < 5000; i++)
		fprintf(fp, "[feed \"f%d\"]\nurl = http://x/%d\n", i, i);
	fprintf(fp, "[feed \"f1234\"]\nurl = http://y/\n");
	assert_int_equal(fclose(fp), 0);
	load_fails(*state, text, 10001,
	    "duplicate feed \"f1234\" (first at line 2469)");
	free(text);
}

static void
test_feed_without_url_is_an_error(void **state)
{
	load_fails(*state,
	    "[feed \"x\"]\nlanguage = ru\n\n[feed \"y\"]\nurl = http://y/\n",
	    1, "feed \"x\" has no url");
	load_fails(*state, "[daemon]\n[feed \"last\"]\n", 2,
	    "feed \"last\" has no url");
}

static void
test_url_must_be_http_or_https(void **state)
{
	load_fails(*state, "[feed \"x\"]\nurl = ftp://x.example/feed\n", 2,
	    "url is not http:// or https://: \"ftp://x.example/feed\"");
	load_fails(*state, "[feed \"x\"]\nurl = file:///etc/passwd\n", 2,
	    "url is not http:// or https://: \"file:///etc/passwd\"");
	load_fails(*state, "[feed \"x\"]\nurl = x.example/feed\n", 2,
	    "url is not http:// or https://: \"x.example/feed\"");
	load_fails(*state, "[feed \"x\"]\nurl = http:///feed\n", 2,
	    "url has no host: \"http:///feed\"");
}

static void
test_url_with_white_space_is_an_error(void **state)
{
	load_fails(*state, "[feed \"x\"]\nurl = http://x.example/a b\n", 2,
	    "url contains white space: \"http://x.example/a b\"");
	/* A continuation line would join the pieces with a space. */
	load_fails(*state, "[feed \"x\"]\nurl = http://x.example/a\n  b\n", 2,
	    "url contains white space: \"http://x.example/a b\"");
}

static void
test_bad_durations_are_errors(void **state)
{
	load_fails(*state, "[daemon]\ninterval = soon\n", 2,
	    "bad interval \"soon\": expected a duration from 1s to 7d "
	    "(90s, 15m, 2h, 1d) or auto");
	load_fails(*state, "[feed \"x\"]\nurl = http://x/\ninterval = 0\n", 3,
	    "bad interval \"0\": expected a duration from 1s to 7d "
	    "(90s, 15m, 2h, 1d) or auto");
	load_fails(*state, "[feed \"x\"]\nurl = http://x/\ninterval = 8d\n", 3,
	    "bad interval \"8d\": expected a duration from 1s to 7d "
	    "(90s, 15m, 2h, 1d) or auto");
	load_fails(*state, "[daemon]\ntimeout = -5s\n", 2,
	    "bad timeout \"-5s\": expected a duration from 1s to 1h "
	    "such as 30s or 2m");
	load_fails(*state, "[daemon]\nhost_delay = 500\n", 2,
	    "bad host_delay \"500\": expected 0 or a delay up to 1h such as "
	    "500ms, 2s or 1m");
	load_fails(*state, "[daemon]\nhost_delay = 2h\n", 2,
	    "bad host_delay \"2h\": expected 0 or a delay up to 1h such as "
	    "500ms, 2s or 1m");
}

static void
test_bad_sizes_and_numbers_are_errors(void **state)
{
	load_fails(*state, "[daemon]\nmax_body = 16Q\n", 2,
	    "bad max_body \"16Q\": expected a size from 1K to 1G such as "
	    "512K or 16M");
	load_fails(*state, "[daemon]\nmax_body = 2G\n", 2,
	    "bad max_body \"2G\": expected a size from 1K to 1G such as "
	    "512K or 16M");
	load_fails(*state, "[daemon]\nconcurrency = 0\n", 2,
	    "bad concurrency \"0\": expected a number from 1 to 256");
	load_fails(*state, "[daemon]\nconcurrency = 257\n", 2,
	    "bad concurrency \"257\": expected a number from 1 to 256");
	load_fails(*state, "[daemon]\nconcurrency = 8 threads\n", 2,
	    "bad concurrency \"8 threads\": expected a number from 1 to 256");
	load_fails(*state, "[daemon]\nper_host = 17\n", 2,
	    "bad per_host \"17\": expected a number from 1 to 16");
}

static void
test_empty_query_is_an_error(void **state)
{
	load_fails(*state, "[watch \"w\"]\nquery =\nalerts = claim\n", 2,
	    "empty query in [watch \"w\"]");
	load_fails(*state, "[watch \"w\"]\nquery =    # nothing\n", 2,
	    "empty query in [watch \"w\"]");
	load_fails(*state, "[watch \"w\"]\nalerts = claim\n", 1,
	    "watch \"w\" has no query");
}

static void
test_bad_alerts_word_is_an_error(void **state)
{
	load_fails(*state, "[watch \"w\"]\nquery = a\nalerts = person people\n",
	    3, "bad alerts \"people\": expected words from person, claim, story");
}

static void
test_bad_section_headers_are_errors(void **state)
{
	load_fails(*state, "[feed]\nurl = http://x/\n", 1,
	    "[feed] needs a name, as in [feed \"name\"]");
	load_fails(*state, "[daemon \"x\"]\n", 1, "[daemon] takes no name");
	load_fails(*state, "[feed \"bad name\"]\nurl = http://x/\n", 1,
	    "bad feed name \"bad name\": expected 1 to 64 characters of "
	    "A-Z a-z 0-9 . _ -");
	load_fails(*state, "[feed \"\"]\nurl = http://x/\n", 1,
	    "bad feed name \"\": expected 1 to 64 characters of "
	    "A-Z a-z 0-9 . _ -");
	load_fails(*state, "[feed \"x\"\nurl = http://x/\n", 1,
	    "malformed section header: expected [name] or "
	    "[name \"subsection\"]");
	load_fails(*state, "[feed \"x]\n", 1,
	    "unterminated name in section header");
}

static void
test_feed_name_of_64_characters_is_the_limit(void **state)
{
	struct fixture *f = *state;
	char name[66], *text;
	struct config *c;

	memset(name, 'n', 64);
	name[64] = '\0';
	xasprintf(&text, "[feed \"%s\"]\nurl = http://x/\n", name);
	c = load_ok(f, text);
	assert_string_equal(c->feeds[0].name, name);
	config_free(c);
	free(text);
	name[64] = 'n';
	name[65] = '\0';
	xasprintf(&text, "[feed \"%s\"]\nurl = http://x/\n", name);
	write_file(f, text);
	free(text);
	{
		char *cause = NULL;

		assert_null(config_load(f->path, &cause));
		assert_non_null(strstr(cause, ":1: bad feed name"));
		free(cause);
	}
}

static void
test_key_outside_section_and_garbage_are_errors(void **state)
{
	load_fails(*state, "# top\ninterval = 5m\n", 2,
	    "\"interval\" is outside any section");
	load_fails(*state, "[daemon]\njust some words\n", 2,
	    "expected \"key = value\" or a [section]");
	load_fails(*state, "[daemon]\n = 5\n", 2, "missing key before \"=\"");
	load_fails(*state, "[daemon]\ntimeout =\n", 2, "timeout has no value");
}

static void
test_line_longer_than_4096_bytes_is_rejected(void **state)
{
	char *text, *pad;

	pad = xmalloc(4100);
	memset(pad, 'a', 4099);
	pad[4099] = '\0';
	xasprintf(&text, "[watch \"w\"]\nquery = x\n# %s\n", pad);
	load_fails(*state, text, 3, "line longer than 4096 bytes");
	free(text);
	free(pad);
}

static void
test_value_longer_than_16k_is_rejected(void **state)
{
	char *text, *line, *tmp;
	int i;

	/* Five continuation lines of 4,000 bytes: each line is fine, the
	 * value they make is not. */
	line = xmalloc(4001);
	memset(line, 'q', 4000);
	line[4000] = '\0';
	text = xstrdup("[watch \"w\"]\nquery = start\n");
	for (i = 0; i < 5; i++) {
		xasprintf(&tmp, "%s  %s\n", text, line);
		free(text);
		text = tmp;
	}
	load_fails(*state, text, 7, "value of \"query\" longer than 16384 bytes");
	free(text);
	free(line);
}

static void
test_bad_translate_values_are_errors(void **state)
{
	load_fails(*state, "[translate]\nbackend = google\n", 2,
	    "bad backend \"google\": expected none, apertium, libretranslate, "
	    "deepl or command");
	load_fails(*state, "[translate]\nurl = localhost:2737\n", 2,
	    "url is not http:// or https://: \"localhost:2737\"");
	load_fails(*state, "[feed \"x\"]\nurl = http://x/\nlanguage = r u\n", 3,
	    "bad language \"r u\": expected a language code such as ru or pt-BR");
}

static void
test_query_syntax_error_names_line_and_column(void **state)
{
	load_fails(*state, "[watch \"w\"]\nquery = (hamas OR gaza\n", 2,
	    "column 9: unbalanced parenthesis");
}

static void
test_query_error_on_a_continuation_line_is_reported_there(void **state)
{
	/* The ")" at column 13 of line 4 has no "(": the position is in the
	 * file, not in the joined query. */
	load_fails(*state, "[watch \"w\"]\nquery = hamas AND\n"
	    "    (ceasefire OR truce)\n    OR deal  )\n", 4,
	    "column 14: unexpected )");
}

static void
test_compiled_query_and_languages_are_kept(void **state)
{
	struct config *c;

	c = load_ok(*state, "[watch \"w\"]\nlanguages = en, es\n"
	    "query = tregua OR truce\n");
	assert_int_equal(c->nwatches, 1);
	assert_non_null(c->watches[0].compiled);
	assert_string_equal(c->watches[0].languages[0], "en");
	assert_string_equal(c->watches[0].languages[1], "es");
	assert_null(c->watches[0].languages[2]);
	config_free(c);
	load_fails(*state, "[watch \"w\"]\nquery = a\nlanguages = english\n", 3,
	    "bad language \"english\" in languages: expected two-letter "
	    "codes such as en es fr");
}

static void
test_sinks_load_with_argv_split_without_a_shell(void **state)
{
	struct config *c;

	c = load_ok(*state, "[watch \"w\"]\nquery = a\n"
	    "[sink \"pager\"]\ntype = exec\n"
	    "command = /usr/bin/notify-send \"two words\" 'it''s' a\\ b $HOME\n"
	    "timeout = 5s\ntypes = new_story new_claim\nwatches = w\n"
	    "[sink \"hook\"]\ntype = webhook\nurl = https://hooks.example/x\n"
	    "digest = 15m\n"
	    "[sink \"copy\"]\ntype = file\npath = copy.jsonl\n");
	assert_int_equal(c->nsinks, 3);
	assert_int_equal(c->sinks[0].type, CONFIG_SINK_EXEC);
	assert_string_equal(c->sinks[0].argv[0], "/usr/bin/notify-send");
	assert_string_equal(c->sinks[0].argv[1], "two words");
	assert_string_equal(c->sinks[0].argv[2], "its");
	assert_string_equal(c->sinks[0].argv[3], "a b");
	assert_string_equal(c->sinks[0].argv[4], "$HOME");
	assert_null(c->sinks[0].argv[5]);
	assert_int_equal(c->sinks[0].timeout, 5);
	assert_string_equal(c->sinks[0].types[1], "new_claim");
	assert_string_equal(c->sinks[0].watches[0], "w");
	assert_int_equal(c->sinks[1].type, CONFIG_SINK_WEBHOOK);
	assert_int_equal(c->sinks[1].digest, 900);
	assert_int_equal(c->sinks[1].timeout, 30);
	assert_int_equal(c->sinks[2].type, CONFIG_SINK_FILE);
	assert_non_null(strstr(c->sinks[2].path, "/copy.jsonl"));
	assert_true(c->sinks[2].path[0] == '/');
	config_free(c);
}

static void
test_bad_sinks_are_errors(void **state)
{
	load_fails(*state, "[sink \"s\"]\npath = x\n", 1,
	    "sink \"s\" has no type (file, exec or webhook)");
	load_fails(*state, "[sink \"s\"]\ntype = mail\n", 2,
	    "bad type \"mail\": expected file, exec or webhook");
	load_fails(*state, "[sink \"s\"]\ntype = exec\n", 1,
	    "sink \"s\" has no command");
	load_fails(*state, "[sink \"s\"]\ntype = exec\ncommand = notify-send\n",
	    3, "command must start with an absolute path, not \"notify-send\" "
	    "(no shell or PATH search is involved)");
	load_fails(*state, "[sink \"s\"]\ntype = exec\ncommand = /bin/x \"a\n",
	    3, "unterminated \" quote in command");
	load_fails(*state, "[sink \"s\"]\ntype = file\npath = x\ndigest = 1h\n",
	    1, "sink \"s\": digest does not apply to a sink of this type");
	load_fails(*state, "[sink \"s\"]\ntype = webhook\nurl = ftp://x/\n", 3,
	    "url is not http:// or https://: \"ftp://x/\"");
	load_fails(*state, "[sink \"s\"]\ntype = webhook\nurl = http://x/\n"
	    "types = new_story old_story\n", 4, "bad type \"old_story\" in "
	    "types: expected new_story, new_person or new_claim");
	load_fails(*state, "[sink \"s\"]\ntype = webhook\nurl = http://x/\n"
	    "watches = nowhere\n", 1, "sink \"s\" names watch \"nowhere\", "
	    "which is not configured");
	load_fails(*state, "[sink \"log\"]\ntype = file\npath = x\n", 1,
	    "sink name \"log\" is the alert_log's own");
	load_fails(*state, "[sink \"s\"]\ntype = file\npath = x\n"
	    "[sink \"s\"]\ntype = file\npath = y\n", 4,
	    "duplicate sink \"s\" (first at line 1)");
}

static void
test_translate_section_loads_and_checks_its_backend(void **state)
{
	struct config *c;

	c = load_ok(*state, "[translate]\nbackend = command\n"
	    "command = /usr/bin/apertium -u {source3}-{target3}\n"
	    "languages = es, ca\ntranslate = all\nmax_wait = 2h\n"
	    "retry = 5s\ntimeout = 10s\nconcurrency = 8\n");
	assert_string_equal(c->translate_backend, "command");
	assert_string_equal(c->translate_argv[2], "{source3}-{target3}");
	assert_string_equal(c->translate_languages[1], "ca");
	assert_null(c->translate_languages[2]);
	assert_int_equal(c->translate_all, 1);
	assert_int_equal(c->translate_max_wait, 7200);
	assert_int_equal(c->translate_retry, 5);
	assert_int_equal(c->translate_timeout, 10);
	assert_int_equal(c->translate_concurrency, 8);
	config_free(c);
	c = load_ok(*state, "");
	assert_int_equal(c->translate_all, 0);
	assert_int_equal(c->translate_max_wait, 6 * 3600);
	assert_null(c->translate_languages);
	config_free(c);
	load_fails(*state, "[translate]\nbackend = command\n", 1,
	    "backend command needs a command");
	load_fails(*state, "[translate]\nbackend = apertium\n", 1,
	    "backend apertium needs a url");
	load_fails(*state, "[translate]\nbackend = deepl\n", 1,
	    "backend deepl needs a key_file");
	load_fails(*state, "[translate]\ntranslate = some\n", 2,
	    "bad translate \"some\": expected watched or all");
	load_fails(*state, "[translate]\nmax_wait = 8d\n", 2,
	    "bad max_wait \"8d\": expected a duration from 1s to 7d such as "
	    "6h");
	load_fails(*state, "[translate]\nlanguages = spanish\n", 2,
	    "bad language \"spanish\" in languages: expected two-letter codes "
	    "such as es ru ar");
}

static void
test_story_window_bounds(void **state)
{
	struct config *c;

	c = load_ok(*state, "");
	assert_int_equal(c->story_window, 7 * 86400);
	config_free(c);
	c = load_ok(*state, "[daemon]\nstory_window = 2d\n");
	assert_int_equal(c->story_window, 2 * 86400);
	config_free(c);
	load_fails(*state, "[daemon]\nstory_window = 10m\n", 2,
	    "bad story_window \"10m\": expected a duration from 1h to 90d "
	    "such as 7d");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults_when_file_is_empty),
		T(test_full_file_loads_every_key),
		T(test_feed_without_interval_uses_default_and_auto_is_kept),
		T(test_host_delay_accepts_zero_and_milliseconds),
		T(test_continuation_lines_join_with_one_space),
		T(test_value_may_start_on_the_next_line),
		T(test_indented_keys_under_a_section_are_separate_keys),
		T(test_long_query_over_200_bytes_loads_intact),
		T(test_relative_paths_resolve_against_the_file_directory),
		T(test_systemd_directories_are_the_defaults),
		T(test_url_scheme_is_case_insensitive),
		T(test_crlf_line_endings_are_accepted),
		T(test_config_feed_find_by_name),
		T(test_missing_file_names_the_path),
		T(test_file_over_one_megabyte_is_rejected),
		T(test_unknown_section_is_an_error),
		T(test_unknown_key_is_an_error),
		T(test_duplicate_key_is_an_error),
		T(test_duplicate_feed_and_watch_names_are_errors),
		T(test_duplicate_among_thousands_of_feeds_is_found),
		T(test_feed_without_url_is_an_error),
		T(test_url_must_be_http_or_https),
		T(test_url_with_white_space_is_an_error),
		T(test_bad_durations_are_errors),
		T(test_bad_sizes_and_numbers_are_errors),
		T(test_empty_query_is_an_error),
		T(test_bad_alerts_word_is_an_error),
		T(test_bad_section_headers_are_errors),
		T(test_feed_name_of_64_characters_is_the_limit),
		T(test_key_outside_section_and_garbage_are_errors),
		T(test_line_longer_than_4096_bytes_is_rejected),
		T(test_value_longer_than_16k_is_rejected),
		T(test_bad_translate_values_are_errors),
		T(test_query_syntax_error_names_line_and_column),
		T(test_query_error_on_a_continuation_line_is_reported_there),
		T(test_compiled_query_and_languages_are_kept),
		T(test_sinks_load_with_argv_split_without_a_shell),
		T(test_bad_sinks_are_errors),
		T(test_story_window_bounds),
		T(test_translate_section_loads_and_checks_its_backend),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
