/* test_alert_outbox.c: what every sink shares — digests, filters, reloads, committed alerts only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tests/unit/test_alert_fixture.h"

static int
setup(void **state)
{
	*state = afx_new();
	return 0;
}

static int
teardown(void **state)
{
	afx_free(*state);
	return 0;
}

/* A file sink called name writing to root/name.jsonl; *path is freed by
 * the caller. */
static struct config_sink *
file_sink(struct afx *fx, const char *name, char **path)
{
	struct config_sink *k = afx_sink(fx, name, CONFIG_SINK_FILE);

	xasprintf(path, "%s/%s.jsonl", fx->root, name);
	k->path = *path;
	return k;
}

/* The digest lines of a file: their counts into counts, how many lines. */
static size_t
digest_counts(const char *path, json_int_t *counts, size_t max)
{
	char *text = afx_read(path), *line, *save = NULL;
	json_t *msg;
	size_t n = 0;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		msg = json_loads(line, 0, NULL);
		assert_non_null(msg);
		assert_int_equal(json_array_size(json_object_get(msg, "alerts")),
		    json_integer_value(json_object_get(json_object_get(msg,
		    "digest"), "count")));
		if (n < max)
			counts[n] = json_integer_value(json_object_get(
			    json_object_get(msg, "digest"), "count"));
		n++;
		json_decref(msg);
	}
	free(text);
	return n;
}

/* The alert log gets every alert; a sink configured after alerts exist
 * gets only the alerts made after it, also across a restart before its
 * first delivery. */
static void
test_sink_added_later_starts_after_the_newest_alert(void **state)
{
	struct afx *fx = *state;
	struct alert_outbox *o;
	char *path, *cause = NULL, *text;
	int64_t seqs[8];

	afx_insert(fx, "a");
	afx_insert(fx, "b");
	file_sink(fx, "late", &path);
	o = alert_outbox_new(fx->base, fx->store, NULL, &fx->conf, &cause);
	assert_non_null(o);
	assert_int_equal(afx_cursor(fx, "late"), 2);
	alert_outbox_free(o);
	afx_insert(fx, "a");
	fx->outbox = alert_outbox_new(fx->base, fx->store, NULL, &fx->conf,
	    &cause);
	assert_non_null(fx->outbox);
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	text = afx_read(fx->log_path);
	assert_int_equal(afx_seqs(text, seqs, 8), 3);
	free(text);
	text = afx_read(path);
	assert_int_equal(afx_seqs(text, seqs, 8), 1);
	assert_int_equal(seqs[0], 3);
	free(text);
	free(path);
}

static void
test_digest_waits_for_its_period_then_sends_one_message(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	json_int_t counts[4];
	char *path;

	k = file_sink(fx, "daily", &path);
	k->digest = 3600;
	afx_outbox(fx);
	afx_insert(fx, "a");
	afx_insert(fx, "b");
	afx_insert(fx, "a");
	alert_outbox_flush(fx->outbox);
	afx_run_for(fx, 50);
	assert_int_equal(digest_counts(path, counts, 4), 0);
	assert_int_equal(alert_outbox_busy(fx->outbox), 1);
	assert_int_equal(afx_cursor(fx, "daily"), 0);

	/* --once does not wait for the period. */
	alert_outbox_finish(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_int_equal(digest_counts(path, counts, 4), 1);
	assert_int_equal(counts[0], 3);
	assert_int_equal(afx_cursor(fx, "daily"), 3);
	free(path);
}

static void
test_digest_period_runs_from_the_stored_alert_time_across_restarts(
    void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	json_int_t counts[4];
	char *path;
	int64_t now = util_now();

	k = file_sink(fx, "daily", &path);
	k->digest = 3600;
	/* Stored by an earlier run, an hour and more ago. */
	afx_insert_at(fx, "new_story", "a", now - 3700);
	afx_insert_at(fx, "new_story", "a", now - 10);
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_int_equal(digest_counts(path, counts, 4), 1);
	assert_int_equal(counts[0], 2);

	/* The next period starts with the next alert, not at start-up. */
	afx_insert_at(fx, "new_story", "a", now - 10);
	afx_outbox_free(fx);
	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	afx_run_for(fx, 50);
	assert_int_equal(digest_counts(path, counts, 4), 1);
	assert_int_equal(alert_outbox_busy(fx->outbox), 1);
	free(path);
}

static void
test_digest_of_a_backlog_is_split_at_the_message_bound(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	json_int_t counts[4];
	char *path;
	int i;

	k = file_sink(fx, "daily", &path);
	k->digest = 900;
	assert_int_equal(store_batch_begin(fx->store, NULL), 0);
	for (i = 0; i < 2 * ALERT_MESSAGE_MAX + 500; i++)
		afx_insert(fx, "a");
	assert_int_equal(store_batch_commit(fx->store, NULL), 0);
	afx_outbox(fx);
	alert_outbox_finish(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_int_equal(digest_counts(path, counts, 4), 3);
	assert_int_equal(counts[0], ALERT_MESSAGE_MAX);
	assert_int_equal(counts[1], ALERT_MESSAGE_MAX);
	assert_int_equal(counts[2], 500);
	free(path);
}

static void
test_filters_pass_only_their_types_and_watches_and_skip_the_rest(
    void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	char *types[] = { (char *)"new_claim", (char *)"new_story", NULL };
	char *watches[] = { (char *)"gaza", NULL };
	int64_t seqs[8];
	char *path, *text;

	k = file_sink(fx, "gaza", &path);
	k->types = types;
	k->watches = watches;
	afx_outbox(fx);
	afx_insert_at(fx, "new_story", "gaza", util_now());	/* 1 */
	afx_insert_at(fx, "new_person", "gaza", util_now());	/* 2 */
	afx_insert_at(fx, "new_story", "sudan", util_now());	/* 3 */
	afx_insert_at(fx, "new_claim", "gaza", util_now());	/* 4 */
	afx_insert_at(fx, "new_story", "sudan", util_now());	/* 5 */
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	text = afx_read(path);
	assert_int_equal(afx_seqs(text, seqs, 8), 2);
	assert_int_equal(seqs[0], 1);
	assert_int_equal(seqs[1], 4);
	/* The filtered-out tail is behind the sink too. */
	assert_int_equal(afx_cursor(fx, "gaza"), 5);
	assert_int_equal(alert_outbox_pending(fx->outbox), 0);
	free(text);
	free(path);
}

static void
test_sink_never_sees_an_alert_before_its_commit(void **state)
{
	struct afx *fx = *state;
	char *cause = NULL, *text;

	afx_outbox(fx);
	alert_outbox_flush(fx->outbox);
	assert_int_equal(store_batch_begin(fx->store, NULL), 0);
	afx_insert(fx, "a");
	/* A reload runs every sink while the batch is still open. */
	if (alert_outbox_reconfigure(fx->outbox, &fx->conf, &cause) != 0)
		fail_msg("reconfigure: %s", cause);
	afx_run_for(fx, 50);
	text = afx_read(fx->log_path);
	assert_string_equal(text, "");
	free(text);

	assert_int_equal(store_batch_commit(fx->store, NULL), 0);
	alert_outbox_flush(fx->outbox);
	text = afx_read(fx->log_path);
	assert_int_equal(afx_lines(text), 1);
	free(text);
}

static void
test_reload_adds_and_drops_sinks_and_a_dropped_cursor_stays(void **state)
{
	struct afx *fx = *state;
	char *a, *b, *cause = NULL, *text;

	file_sink(fx, "one", &a);
	afx_outbox(fx);
	afx_insert(fx, "w");
	alert_outbox_flush(fx->outbox);

	/* "one" goes, "two" comes: it starts after the newest alert. */
	fx->conf.nsinks = 0;
	file_sink(fx, "two", &b);
	if (alert_outbox_reconfigure(fx->outbox, &fx->conf, &cause) != 0)
		fail_msg("reconfigure: %s", cause);
	afx_insert(fx, "w");
	alert_outbox_flush(fx->outbox);
	afx_run_until(fx, afx_idle, NULL);
	assert_int_equal(afx_cursor(fx, "one"), 1);
	assert_int_equal(afx_cursor(fx, "two"), 2);
	text = afx_read(a);
	assert_int_equal(afx_lines(text), 1);
	free(text);
	text = afx_read(b);
	assert_int_equal(afx_lines(text), 1);
	free(text);
	free(a);
	free(b);
}

static void
test_reload_that_fails_keeps_the_old_sinks(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	char *cause = NULL, *text;

	afx_outbox(fx);
	k = afx_sink(fx, "broken", CONFIG_SINK_FILE);
	k->path = "/proc/wirewatch/cannot/alerts.jsonl";
	assert_int_equal(alert_outbox_reconfigure(fx->outbox, &fx->conf,
	    &cause), -1);
	assert_non_null(strstr(cause, "sink \"broken\""));
	free(cause);

	afx_insert(fx, "w");
	alert_outbox_flush(fx->outbox);
	/* The old log still takes alerts. */
	text = afx_read(fx->log_path);
	assert_int_equal(afx_lines(text), 1);
	free(text);
}

static void
test_webhook_without_a_fetcher_is_refused_at_setup(void **state)
{
	struct afx *fx = *state;
	struct config_sink *k;
	struct alert_outbox *o;
	char *cause = NULL;

	k = afx_sink(fx, "hook", CONFIG_SINK_WEBHOOK);
	k->url = "http://127.0.0.1:9/";
	o = alert_outbox_new(fx->base, fx->store, NULL, &fx->conf, &cause);
	assert_null(o);
	assert_non_null(strstr(cause, "sink \"hook\""));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_sink_added_later_starts_after_the_newest_alert,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_digest_waits_for_its_period_then_sends_one_message,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_digest_period_runs_from_the_stored_alert_time_across_restarts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_digest_of_a_backlog_is_split_at_the_message_bound,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_filters_pass_only_their_types_and_watches_and_skip_the_rest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sink_never_sees_an_alert_before_its_commit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_adds_and_drops_sinks_and_a_dropped_cursor_stays,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_that_fails_keeps_the_old_sinks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_webhook_without_a_fetcher_is_refused_at_setup,
		    setup, teardown),
	};

	log_init(LOG_STYLE_TOOL, "test_alert_outbox", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
