/* test_alert_json.c: alerts as JSON — the new_story body, alert log lines, digests, reading a line's seq. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/common.h"
#include "store/store.h"
#include "alert/alert.h"
#include "alert/alert_internal.h"

/* 2026-11-25T10:00:02Z */
#define T_ALERT		1795600802
/* 2026-11-25T09:30:00Z */
#define T_PUBLISHED	1795599000

static struct alert_story
story_fixture(void)
{
	struct alert_story st;

	memset(&st, 0, sizeof st);
	st.id = 42;
	st.title = "Talks resume in Cairo";
	st.url = "https://example.org/a";
	st.feed = "izvestia";
	st.lang = "ru";
	st.translated = 1;
	st.published = T_PUBLISHED;
	return st;
}

static void
test_new_story_body_lists_the_story_members_in_order(void **state)
{
	struct alert_story st = story_fixture();
	char *body;

	body = alert_body_new_story(&st);
	assert_string_equal(body, "{\"story\":{\"id\":\"42\","
	    "\"title\":\"Talks resume in Cairo\","
	    "\"url\":\"https://example.org/a\",\"feed\":\"izvestia\","
	    "\"lang\":\"ru\",\"translated\":true,"
	    "\"published\":\"2026-11-25T09:30:00Z\"}}");
	free(body);
}

static void
test_new_story_body_has_null_for_unknown_published_and_url(void **state)
{
	struct alert_story st = story_fixture();
	char *body;

	st.url = NULL;
	st.published = -1;
	st.translated = 0;
	body = alert_body_new_story(&st);
	assert_non_null(strstr(body, "\"url\":null"));
	assert_non_null(strstr(body, "\"translated\":false"));
	assert_non_null(strstr(body, "\"published\":null"));
	free(body);
}

static void
test_new_story_body_keeps_utf8_and_repairs_invalid_bytes(void **state)
{
	struct alert_story st = story_fixture();
	json_t *v;
	char *body;

	st.title = "Переговоры \xff в Каире";
	body = alert_body_new_story(&st);
	/* UTF-8 as itself, not \u escapes; the stray byte as U+FFFD. */
	assert_non_null(strstr(body, "Переговоры \xef\xbf\xbd в Каире"));
	v = json_loads(body, 0, NULL);
	assert_non_null(v);
	json_decref(v);
	free(body);
}

static void
test_render_puts_seq_time_type_watch_first_then_the_body(void **state)
{
	struct alert_story st = story_fixture();
	struct store_alert a;
	char *body, *line;

	body = alert_body_new_story(&st);
	memset(&a, 0, sizeof a);
	a.seq = 17;
	a.time = T_ALERT;
	a.type = "new_story";
	a.watch = "gaza-talks";
	a.story_id = 42;
	a.body = body;
	line = alert_render(&a);
	assert_string_equal(line, "{\"seq\":17,\"time\":\"2026-11-25T10:00:02Z\","
	    "\"type\":\"new_story\",\"watch\":\"gaza-talks\","
	    "\"story\":{\"id\":\"42\",\"title\":\"Talks resume in Cairo\","
	    "\"url\":\"https://example.org/a\",\"feed\":\"izvestia\","
	    "\"lang\":\"ru\",\"translated\":true,"
	    "\"published\":\"2026-11-25T09:30:00Z\"}}");
	assert_null(strchr(line, '\n'));
	free(line);
	free(body);
}

static void
test_render_keeps_body_member_order_and_header_wins(void **state)
{
	struct store_alert a;
	char *line;

	memset(&a, 0, sizeof a);
	a.seq = 3;
	a.time = T_ALERT;
	a.type = "new_claim";
	a.watch = "w";
	a.body = "{\"seq\":99,\"zeta\":1,\"claim\":{\"text\":\"x\"},\"alpha\":2}";
	line = alert_render(&a);
	assert_string_equal(line, "{\"seq\":3,\"time\":\"2026-11-25T10:00:02Z\","
	    "\"type\":\"new_claim\",\"watch\":\"w\",\"zeta\":1,"
	    "\"claim\":{\"text\":\"x\"},\"alpha\":2}");
	free(line);
}

static void
test_render_of_an_unreadable_body_still_carries_the_seq(void **state)
{
	struct store_alert a;
	char *line;

	memset(&a, 0, sizeof a);
	a.seq = 5;
	a.time = T_ALERT;
	a.type = "new_story";
	a.watch = "w";
	a.body = "{not json";
	line = alert_render(&a);
	assert_string_equal(line, "{\"seq\":5,\"time\":\"2026-11-25T10:00:02Z\","
	    "\"type\":\"new_story\",\"watch\":\"w\"}");
	assert_int_equal(alert_line_seq(line, strlen(line)), 5);
	free(line);
}

static void
test_digest_lists_alerts_with_period_and_count(void **state)
{
	struct store_alert a;
	json_t *alerts;
	char *msg;

	memset(&a, 0, sizeof a);
	a.type = "new_story";
	a.watch = "w";
	a.body = "{}";
	alerts = json_array();
	a.seq = 8;
	a.time = T_PUBLISHED;
	json_array_append_new(alerts, alert_render_json(&a));
	a.seq = 9;
	a.time = T_ALERT;
	json_array_append_new(alerts, alert_render_json(&a));
	msg = alert_digest_render(alerts, T_PUBLISHED, T_ALERT);
	assert_string_equal(msg, "{\"digest\":{\"from\":\"2026-11-25T09:30:00Z\","
	    "\"to\":\"2026-11-25T10:00:02Z\",\"count\":2},\"alerts\":["
	    "{\"seq\":8,\"time\":\"2026-11-25T09:30:00Z\",\"type\":\"new_story\","
	    "\"watch\":\"w\"},"
	    "{\"seq\":9,\"time\":\"2026-11-25T10:00:02Z\",\"type\":\"new_story\","
	    "\"watch\":\"w\"}]}");
	/* A file sink with a digest recovers from the last alert listed. */
	assert_int_equal(alert_line_seq(msg, strlen(msg)), 9);
	free(msg);
}

static void
test_line_seq_is_zero_for_lines_that_are_no_alert(void **state)
{
	assert_int_equal(alert_line_seq("", 0), 0);
	assert_int_equal(alert_line_seq("hello", 5), 0);
	assert_int_equal(alert_line_seq("{\"seq\":\"7\"}", 11), 0);
	assert_int_equal(alert_line_seq("{\"seq\":-2}", 10), 0);
	assert_int_equal(alert_line_seq("{\"alerts\":[]}", 13), 0);
	/* Only len bytes count: a torn line is no line. */
	assert_int_equal(alert_line_seq("{\"seq\":12}", 8), 0);
	assert_int_equal(alert_line_seq("{\"seq\":12}", 10), 12);
}

static void
test_new_person_body_is_person_story_evidence_as_design_md_shows(void **state)
{
	struct alert_story st = story_fixture();
	const char *variants[] = { "Maxim Kharkin", "Harkin" };
	struct alert_person p = { "Maxim Kharkin", variants, 2 };
	char *body;

	body = alert_body_new_person(&p, &st, "Moscow intends to continue "
	    "working on the speedy return home of another compatriot, Maxim "
	    "Kharkin.");
	assert_string_equal(body, "{\"person\":{\"name\":\"Maxim Kharkin\","
	    "\"variants\":[\"Maxim Kharkin\",\"Harkin\"]},"
	    "\"story\":{\"id\":\"42\",\"title\":\"Talks resume in Cairo\","
	    "\"url\":\"https://example.org/a\",\"feed\":\"izvestia\","
	    "\"lang\":\"ru\",\"translated\":true,"
	    "\"published\":\"2026-11-25T09:30:00Z\"},"
	    "\"evidence\":\"Moscow intends to continue working on the speedy "
	    "return home of another compatriot, Maxim Kharkin.\"}");
	free(body);
}

static void
test_new_claim_body_carries_figures_source_and_the_seq_it_revises(
    void **state)
{
	struct alert_story st = story_fixture();
	const char *figures[] = { "50 days" };
	struct alert_claim c;
	json_t *obj, *claim;
	char *body;

	memset(&c, 0, sizeof c);
	c.text = "The plan now calls for a 50-day extension.";
	c.speaker = "Steve Witkoff";
	c.source = "the Times of Israel";
	c.figures = figures;
	c.nfigures = 1;
	c.revises = 17;
	body = alert_body_new_claim(&c, &st, c.text);
	assert_non_null(obj = json_loads(body, 0, NULL));
	claim = json_object_get(obj, "claim");
	assert_string_equal(json_string_value(json_object_get(claim, "speaker")),
	    "Steve Witkoff");
	assert_string_equal(json_string_value(json_object_get(claim, "source")),
	    "the Times of Israel");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(claim, "figures"), 0)), "50 days");
	assert_int_equal(json_integer_value(json_object_get(claim, "revises")),
	    17);
	assert_string_equal(json_string_value(json_object_get(obj, "evidence")),
	    c.text);
	assert_non_null(json_object_get(obj, "story"));
	/* The claim comes first, as the person does in a new_person body. */
	assert_true(strncmp(body, "{\"claim\":", 9) == 0);
	json_decref(obj);
	free(body);
}

static void
test_new_claim_body_has_null_revises_and_speaker_when_none(void **state)
{
	struct alert_story st = story_fixture();
	struct alert_claim c;
	char *body;

	memset(&c, 0, sizeof c);
	c.text = "33 hostages were returned.";
	body = alert_body_new_claim(&c, &st, c.text);
	assert_non_null(strstr(body, "\"speaker\":null"));
	assert_non_null(strstr(body, "\"revises\":null"));
	assert_non_null(strstr(body, "\"figures\":[]"));
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_new_story_body_lists_the_story_members_in_order),
		cmocka_unit_test(
		    test_new_story_body_has_null_for_unknown_published_and_url),
		cmocka_unit_test(
		    test_new_story_body_keeps_utf8_and_repairs_invalid_bytes),
		cmocka_unit_test(
		    test_render_puts_seq_time_type_watch_first_then_the_body),
		cmocka_unit_test(
		    test_render_keeps_body_member_order_and_header_wins),
		cmocka_unit_test(
		    test_render_of_an_unreadable_body_still_carries_the_seq),
		cmocka_unit_test(
		    test_digest_lists_alerts_with_period_and_count),
		cmocka_unit_test(
		    test_line_seq_is_zero_for_lines_that_are_no_alert),
		cmocka_unit_test(
		    test_new_person_body_is_person_story_evidence_as_design_md_shows),
		cmocka_unit_test(
		    test_new_claim_body_carries_figures_source_and_the_seq_it_revises),
		cmocka_unit_test(
		    test_new_claim_body_has_null_revises_and_speaker_when_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
