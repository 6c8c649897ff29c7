/* test_store_story.c: stories in the store — created by an item, joined by copies, watches matched once, listed with sources. */
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
#include "parse/parse.h"
#include "store/store.h"

struct fixture {
	char		 root[64];
	struct store	*store;
	int64_t		 ids[8];	/* item ids the save callback saw */
	int		 changes[8];
	size_t		 n;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char *cause = NULL;

	strcpy(f->root, "/tmp/ww-test-story-XXXXXX");
	if (mkdtemp(f->root) == NULL)
		return -1;
	if ((f->store = store_open(f->root, STORE_READ_WRITE, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	const char *suffix[] = { "", "-wal", "-shm" };
	char *path;
	size_t i;

	store_close(f->store);
	for (i = 0; i < 3; i++) {
		xasprintf(&path, "%s/wirewatch.db%s", f->root, suffix[i]);
		unlink(path);
		free(path);
	}
	rmdir(f->root);
	free(f);
	return 0;
}

static int64_t
feed(struct fixture *f, const char *name)
{
	struct store_feed sf;
	char *cause = NULL, *url;
	int64_t id;

	xasprintf(&url, "http://%s.example/rss", name);
	if (store_feed_load(f->store, name, url, &sf, &cause) != 0)
		fail_msg("store_feed_load: %s", cause);
	id = sf.id;
	store_feed_clear(&sf);
	free(url);
	return id;
}

static int
record_cb(int64_t item_id, enum store_item_change change,
    const struct parsed_item *item, void *arg, char **cause)
{
	struct fixture *f = arg;

	assert_true(f->n < 8);
	f->ids[f->n] = item_id;
	f->changes[f->n] = change;
	f->n++;
	return 0;
}

static int
refuse_cb(int64_t item_id, enum store_item_change change,
    const struct parsed_item *item, void *arg, char **cause)
{
	*cause = xstrdup("refused");
	return -1;
}

/* Saves one item with title and text under feed_id through record_cb. */
static void
save(struct fixture *f, int64_t feed_id, const char *id, const char *title,
    const char *lang)
{
	struct parsed_item item;
	char *cause = NULL;

	memset(&item, 0, sizeof item);
	item.id = (char *)id;
	item.title = (char *)title;
	item.text = (char *)"Body.";
	item.published = item.updated = -1;
	if (store_items_save_with(f->store, feed_id, &item, 1, 1000, NULL,
	    record_cb, f, &cause) != 0)
		fail_msg("save: %s", cause);
}

static int64_t
story(struct fixture *f, int64_t item_id, const char *title, const char *lang)
{
	struct store_story_new n;
	uint8_t sig[16] = { 1, 2, 3 };
	char *cause = NULL;
	int64_t id;

	memset(&n, 0, sizeof n);
	n.item_id = item_id;
	n.title = title;
	n.text = "Body.";
	n.lang = lang;
	n.published = -1;
	n.now = 1000;
	n.exact_hash = 0xfedcba9876543210ULL;
	n.signature = sig;
	n.signature_len = sizeof sig;
	if (store_story_insert(f->store, &n, &id, &cause) != 0)
		fail_msg("store_story_insert: %s", cause);
	return id;
}

static void
test_save_callback_sees_inserts_and_edits_only(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "wire");

	save(f, wire, "a", "Truce talks", "en");
	assert_int_equal(f->n, 1);
	assert_int_equal(f->changes[0], STORE_ITEM_INSERTED);
	save(f, wire, "a", "Truce talks", "en");
	assert_int_equal(f->n, 1);
	save(f, wire, "a", "Truce talks resume", "en");
	assert_int_equal(f->n, 2);
	assert_int_equal(f->changes[1], STORE_ITEM_UPDATED);
	assert_int_equal(f->ids[1], f->ids[0]);
	save(f, wire, "b", "Another", "en");
	assert_int_equal(f->n, 3);
	assert_int_equal(f->changes[2], STORE_ITEM_INSERTED);
	assert_true(f->ids[2] != f->ids[0]);
}

static void
test_failing_callback_takes_back_the_poll(void **state)
{
	struct fixture *f = *state;
	struct parsed_item item;
	int64_t wire = feed(f, "wire"), nfeeds, nitems;
	char *cause = NULL;

	memset(&item, 0, sizeof item);
	item.id = (char *)"x";
	item.title = (char *)"T";
	item.published = item.updated = -1;
	assert_int_equal(store_items_save_with(f->store, wire, &item, 1, 1000,
	    NULL, refuse_cb, f, &cause), -1);
	assert_string_equal(cause, "refused");
	free(cause);
	assert_int_equal(store_count(f->store, &nfeeds, &nitems), 0);
	assert_int_equal(nitems, 0);
}

static void
test_copy_joins_story_and_stale_story_is_reported(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "wire"), izv = feed(f, "izvestia"), sid, got;
	char *cause = NULL;
	int leads;

	save(f, wire, "a", "Truce talks", "en");
	save(f, izv, "b", "Переговоры", "ru");
	sid = story(f, f->ids[0], "Truce talks", "en");
	assert_int_equal(store_story_add_item(f->store, sid, f->ids[1], "ru",
	    2000, &cause), 0);
	assert_int_equal(store_item_story(f->store, f->ids[0], &got, &leads,
	    &cause), 0);
	assert_int_equal(got, sid);
	assert_int_equal(leads, 1);
	assert_int_equal(store_item_story(f->store, f->ids[1], &got, &leads,
	    &cause), 0);
	assert_int_equal(got, sid);
	assert_int_equal(leads, 0);
	/* An id the store does not have: nothing written, 1 returned. */
	assert_int_equal(store_story_add_item(f->store, sid + 100, f->ids[1],
	    "ru", 2000, &cause), 1);
	assert_int_equal(store_item_story(f->store, f->ids[1], &got, &leads,
	    &cause), 0);
	assert_int_equal(got, sid);
}

static void
test_watch_match_is_recorded_once(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "wire"), sid;
	char *cause = NULL;

	save(f, wire, "a", "Truce talks", "en");
	sid = story(f, f->ids[0], "Truce talks", "en");
	assert_int_equal(store_story_watch_add(f->store, sid, "gaza", 0, 1000,
	    &cause), 1);
	assert_int_equal(store_story_watch_add(f->store, sid, "gaza", 0, 1001,
	    &cause), 0);
	assert_int_equal(store_story_watch_add(f->store, sid, "ukraine", 0, 1001,
	    &cause), 1);
}

struct listed {
	int	n;
	int64_t	sources;
	char	languages[32];
	char	watches[32];
	char	feed[32];
};

static int
listed_cb(const struct store_story *s, void *arg)
{
	struct listed *l = arg;

	l->n++;
	l->sources = s->sources;
	snprintf(l->languages, sizeof l->languages, "%s", s->languages);
	snprintf(l->watches, sizeof l->watches, "%s",
	    s->watches != NULL ? s->watches : "");
	snprintf(l->feed, sizeof l->feed, "%s", s->feed);
	return 0;
}

static int
count_sources_cb(const struct store_item *item, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_list_shows_sources_languages_and_watches(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "wire"), izv = feed(f, "izvestia"), sid;
	struct listed l;
	char *cause = NULL;
	int n = 0;

	save(f, wire, "a", "Truce talks", "en");
	save(f, izv, "b", "Переговоры", "ru");
	sid = story(f, f->ids[0], "Truce talks", "en");
	assert_int_equal(store_story_add_item(f->store, sid, f->ids[1], "ru",
	    2000, &cause), 0);
	assert_int_equal(store_story_watch_add(f->store, sid, "gaza", 0, 1000,
	    &cause), 1);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_story_list(f->store, NULL, NULL, 0, listed_cb,
	    &l, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.sources, 2);
	assert_string_equal(l.languages, "en,ru");
	assert_string_equal(l.watches, "gaza");
	assert_string_equal(l.feed, "wire");
	memset(&l, 0, sizeof l);
	assert_int_equal(store_story_list(f->store, "izvestia", "gaza", 0,
	    listed_cb, &l, &cause), 0);
	assert_int_equal(l.n, 1);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_story_list(f->store, NULL, "ukraine", 0,
	    listed_cb, &l, &cause), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_story_sources(f->store, sid, count_sources_cb,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_story_get(f->store, sid, listed_cb, &l, &cause),
	    1);
	assert_int_equal(store_story_get(f->store, sid + 1, listed_cb, &l,
	    &cause), 0);
}

struct sigs {
	int	n;
	uint8_t	first;
	size_t	len;
};

static int
sigs_cb(const struct store_story_signature *sig, void *arg)
{
	struct sigs *s = arg;

	s->n++;
	s->first = sig->signature[0];
	s->len = sig->signature_len;
	return 0;
}

static void
test_signatures_of_recent_stories_and_edit_of_lead(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "wire"), sid, count;
	struct store_story_new n;
	uint8_t sig[16] = { 9 };
	struct sigs s = { 0, 0, 0 };
	char *cause = NULL;

	save(f, wire, "a", "Truce talks", "en");
	sid = story(f, f->ids[0], "Truce talks", "en");
	assert_int_equal(store_story_signatures(f->store, 1000, sigs_cb, &s,
	    &cause), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.first, 1);
	assert_int_equal(s.len, 16);
	memset(&n, 0, sizeof n);
	n.item_id = f->ids[0];
	n.title = "Truce talks resume";
	n.lang = "en";
	n.published = -1;
	n.now = 5000;
	n.signature = sig;
	n.signature_len = sizeof sig;
	assert_int_equal(store_story_update(f->store, sid, &n, &cause), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_story_signatures(f->store, 4000, sigs_cb, &s,
	    &cause), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.first, 9);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_story_signatures(f->store, 6000, sigs_cb, &s,
	    &cause), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_count_stories(f->store, &count, &cause), 0);
	assert_int_equal(count, 1);
}

struct due {
	int	n;
	int64_t	id;
	char	state[16];
	char	title[64];
	int	has_original;
	int	attempts;
};

static int
due_cb(const struct store_translate_job *job, void *arg)
{
	struct due *d = arg;

	d->n++;
	d->id = job->id;
	snprintf(d->state, sizeof d->state, "%s", job->state);
	snprintf(d->title, sizeof d->title, "%s", job->title);
	d->has_original = job->title_original != NULL;
	d->attempts = job->attempts;
	return 0;
}

static int
released_cb(const char *watch, void *arg)
{
	char *out = arg;

	strcat(out, watch);
	strcat(out, ";");
	return 0;
}

static void
test_translation_waits_holds_alerts_and_keeps_the_original(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "ep"), sid, due, pending;
	struct due d;
	struct listed l;
	char *cause = NULL, released[64] = "";

	save(f, wire, "a", "Hamás acepta la tregua", "es");
	sid = story(f, f->ids[0], "Hamás acepta la tregua", "es");
	assert_int_equal(store_story_pending(f->store, sid, &cause), 0);
	assert_int_equal(store_story_translate_request(f->store, sid,
	    STORE_TRANSLATION_TITLE, 1000, &cause), 0);
	assert_int_equal(store_story_pending(f->store, sid, &cause), 1);
	assert_int_equal(store_story_watch_add(f->store, sid, "gaza", 1, 1000,
	    &cause), 1);
	assert_int_equal(store_story_watch_add(f->store, sid, "all", 0, 1000,
	    &cause), 1);
	assert_int_equal(store_story_watch_count(f->store, sid, &cause), 2);

	memset(&d, 0, sizeof d);
	assert_int_equal(store_story_translate_due(f->store, 999, 8, NULL,
	    due_cb, &d, &cause), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(store_story_translate_due(f->store, 1000, 8, NULL,
	    due_cb, &d, &cause), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.state, "title");
	assert_int_equal(d.has_original, 0);

	/* A failed attempt pushes it back. */
	assert_int_equal(store_story_translate_retry(f->store, sid, 1100,
	    "HTTP 503", &cause), 0);
	memset(&d, 0, sizeof d);
	assert_int_equal(store_story_translate_due(f->store, 1050, 8, NULL,
	    due_cb, &d, &cause), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(store_story_translate_next(f->store, 1050, &due,
	    &pending, &cause), 0);
	assert_int_equal(due, 1100);
	assert_int_equal(pending, 1);

	/* The title, then the text. */
	assert_int_equal(store_story_translated(f->store, sid,
	    "Hamas accepts the truce", NULL, "apertium", "es",
	    STORE_TRANSLATION_TEXT, &cause), 0);
	memset(&d, 0, sizeof d);
	assert_int_equal(store_story_translate_due(f->store, 2000, 8, NULL,
	    due_cb, &d, &cause), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.state, "text");
	assert_string_equal(d.title, "Hamas accepts the truce");
	assert_int_equal(d.has_original, 1);
	assert_int_equal(d.attempts, 0);
	assert_int_equal(store_story_translated(f->store, sid, NULL,
	    "Body in English.", "apertium", "es", STORE_TRANSLATION_DONE,
	    &cause), 0);
	assert_int_equal(store_story_pending(f->store, sid, &cause), 0);
	assert_int_equal(store_story_watches_release(f->store, sid,
	    released_cb, released, &cause), 0);
	assert_string_equal(released, "gaza;");
	released[0] = '\0';
	assert_int_equal(store_story_watches_release(f->store, sid,
	    released_cb, released, &cause), 0);
	assert_string_equal(released, "");

	memset(&l, 0, sizeof l);
	assert_int_equal(store_story_get(f->store, sid, listed_cb, &l, &cause),
	    1);
	assert_int_equal(l.n, 1);
}

struct original {
	char	title[64];
	char	title_original[64];
	char	text_original[64];
	char	by[16];
};

static int
original_cb(const struct store_story *st, void *arg)
{
	struct original *o = arg;

	snprintf(o->title, sizeof o->title, "%s", st->title);
	snprintf(o->title_original, sizeof o->title_original, "%s",
	    st->title_original != NULL ? st->title_original : "(null)");
	snprintf(o->text_original, sizeof o->text_original, "%s",
	    st->text_original != NULL ? st->text_original : "(null)");
	snprintf(o->by, sizeof o->by, "%s", st->translated_by != NULL ?
	    st->translated_by : "(null)");
	return 0;
}

static int
stats_cb(const struct store_translate_stats *st, void *arg)
{
	struct store_translate_stats *out = arg;

	out->requests = st->requests;
	out->chars = st->chars;
	out->untranslated = st->untranslated;
	return 0;
}

static void
test_translation_in_place_cache_and_costs(void **state)
{
	struct fixture *f = *state;
	int64_t wire = feed(f, "ep"), sid;
	struct store_translate_stats st;
	struct original o;
	char *cause = NULL, *t = NULL;

	save(f, wire, "a", "Hamás acepta la tregua", "es");
	sid = story(f, f->ids[0], "Hamás acepta la tregua", "es");
	assert_int_equal(store_story_translate_request(f->store, sid,
	    STORE_TRANSLATION_TEXT, 1000, &cause), 0);
	assert_int_equal(store_story_translated(f->store, sid,
	    "Hamas accepts the truce", "Body.", "apertium", "es",
	    STORE_TRANSLATION_DONE, &cause), 0);
	assert_int_equal(store_story_get(f->store, sid, original_cb, &o,
	    &cause), 1);
	assert_string_equal(o.title, "Hamas accepts the truce");
	assert_string_equal(o.title_original, "Hamás acepta la tregua");
	assert_string_equal(o.text_original, "Body.");
	assert_string_equal(o.by, "apertium");

	assert_int_equal(store_translation_get(f->store, "apertium", "es", "en",
	    "Hola.", &t, &cause), 0);
	assert_int_equal(store_translation_put(f->store, "apertium", "es", "en",
	    "Hola.", "Hello.", 1000, &cause), 0);
	assert_int_equal(store_translation_get(f->store, "apertium", "es", "en",
	    "Hola.", &t, &cause), 1);
	assert_string_equal(t, "Hello.");
	free(t);
	assert_int_equal(store_translation_get(f->store, "deepl", "es", "en",
	    "Hola.", &t, &cause), 0);
	assert_int_equal(store_translation_get(f->store, "apertium", "es", "fr",
	    "Hola.", &t, &cause), 0);

	assert_int_equal(store_translate_stats_add(f->store,
	    &(struct store_translate_stats){ "apertium", 2, 40, 1, 2, 1, 0 },
	    &cause), 0);
	assert_int_equal(store_translate_stats_add(f->store,
	    &(struct store_translate_stats){ "apertium", 1, 10, 0, 1, 0, 1 },
	    &cause), 0);
	memset(&st, 0, sizeof st);
	assert_int_equal(store_translate_stats_list(f->store, stats_cb, &st,
	    &cause), 0);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.chars, 50);
	assert_int_equal(st.untranslated, 1);

	/* An edit of the story's item drops the stale translation. */
	assert_int_equal(store_story_translate_give_up(f->store, sid, "x",
	    &cause), 0);
	assert_int_equal(store_story_pending(f->store, sid, &cause), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_save_callback_sees_inserts_and_edits_only),
		T(test_failing_callback_takes_back_the_poll),
		T(test_copy_joins_story_and_stale_story_is_reported),
		T(test_watch_match_is_recorded_once),
		T(test_list_shows_sources_languages_and_watches),
		T(test_signatures_of_recent_stories_and_edit_of_lead),
		T(test_translation_waits_holds_alerts_and_keeps_the_original),
		T(test_translation_in_place_cache_and_costs),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
