/* test_store_registry.c: the extract stage's registries in a real SQLite database — people by surname slice, claims newest first, revisions. */
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
#include "store/store.h"

struct fixture {
	char		 root[64];
	struct store	*store;
};

static int
fixture_setup(void **state)
{
	struct fixture *f;
	char *cause = NULL;

	f = xcalloc(1, sizeof *f);
	strcpy(f->root, "/tmp/ww-test-store-registry-XXXXXX");
	if (mkdtemp(f->root) == NULL)
		return -1;
	f->store = store_open(f->root, STORE_READ_WRITE, &cause);
	if (f->store == NULL) {
		fprintf(stderr, "%s\n", cause);
		return -1;
	}
	*state = f;
	return 0;
}

static int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	char *path;
	size_t i;

	store_close(f->store);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&path, "%s/wirewatch.db%s", f->root, suffix[i]);
		unlink(path);
		free(path);
	}
	rmdir(f->root);
	free(f);
	return 0;
}

/* Names of the people a callback saw, space separated. */
struct seen {
	char	 names[512];
	int64_t	 last_mentions;
	char	 last_variants[256];
};

static int
seen_person_cb(const struct store_person *p, void *arg)
{
	struct seen *s = arg;

	if (*s->names != '\0')
		strcat(s->names, ";");
	strcat(s->names, p->name);
	s->last_mentions = p->mentions;
	snprintf(s->last_variants, sizeof s->last_variants, "%s",
	    p->variants);
	return 0;
}

static int64_t
add_person(struct store *st, const char *watch, const char *name,
    const char *key, int64_t now)
{
	struct store_person p;
	char *cause = NULL;
	int64_t id;

	memset(&p, 0, sizeof p);
	p.watch = watch;
	p.name = name;
	p.key = key;
	p.variants = "[]";
	p.first_story = 1;
	p.first_seen = now;
	assert_int_equal(store_person_insert(st, &p, &id, &cause), 0);
	return id;
}

static void
test_person_candidates_are_the_watch_slice_of_the_surname_letter(void **state)
{
	struct fixture *f = *state;
	struct seen s;
	char *cause = NULL;

	add_person(f->store, "gaza", "Maxim Kharkin", "maksim|harkin", 10);
	add_person(f->store, "gaza", "Harris", "|haris", 11);
	add_person(f->store, "gaza", "Steve Witkoff", "stiv|vitkof", 12);
	add_person(f->store, "other", "Ivan Harkov", "ivan|harkov", 13);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_candidates(f->store, "gaza", "harkin",
	    seen_person_cb, &s, &cause), 0);
	assert_string_equal(s.names, "Maxim Kharkin;Harris");
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_candidates(f->store, "gaza", "vitkov",
	    seen_person_cb, &s, &cause), 0);
	assert_string_equal(s.names, "Steve Witkoff");
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_candidates(f->store, "gaza", "zzz",
	    seen_person_cb, &s, &cause), 0);
	assert_string_equal(s.names, "");
}

static void
test_person_seen_again_takes_the_new_name_and_counts(void **state)
{
	struct fixture *f = *state;
	struct seen s;
	char *cause = NULL;
	int64_t id;

	id = add_person(f->store, "gaza", "Harkin", "|harkin", 10);
	assert_int_equal(store_person_seen(f->store, id, "Maxim Kharkin",
	    "maksim|harkin", "[\"Harkin\",\"Maxim Kharkin\"]", 2, 20,
	    &cause), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_candidates(f->store, "gaza", "harkin",
	    seen_person_cb, &s, &cause), 0);
	assert_string_equal(s.names, "Maxim Kharkin");
	assert_int_equal(s.last_mentions, 2);
	assert_string_equal(s.last_variants, "[\"Harkin\",\"Maxim Kharkin\"]");
}

static void
test_person_list_is_most_recently_seen_first_and_filters_by_watch(
    void **state)
{
	struct fixture *f = *state;
	struct seen s;
	char *cause = NULL;

	add_person(f->store, "gaza", "A One", "a|one", 10);
	add_person(f->store, "gaza", "B Two", "b|two", 30);
	add_person(f->store, "ukraine", "C Three", "c|three", 20);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_list(f->store, NULL, 0, seen_person_cb,
	    &s, &cause), 0);
	assert_string_equal(s.names, "B Two;C Three;A One");
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_list(f->store, "gaza", 1, seen_person_cb,
	    &s, &cause), 0);
	assert_string_equal(s.names, "B Two");
}

struct claims_seen {
	char	 texts[512];
	int64_t	 revises_seq[8];
	int64_t	 repeats[8];
	size_t	 n;
};

static int
seen_claim_cb(const struct store_claim *c, void *arg)
{
	struct claims_seen *s = arg;

	if (*s->texts != '\0')
		strcat(s->texts, ";");
	strcat(s->texts, c->text);
	if (s->n < 8) {
		s->revises_seq[s->n] = c->revises_seq;
		s->repeats[s->n] = c->repeats;
	}
	s->n++;
	return 0;
}

static int64_t
add_claim(struct store *st, const char *watch, const char *text,
    const char *figures, int64_t revises, int64_t alert_seq)
{
	struct store_claim c;
	char *cause = NULL;
	int64_t id;

	memset(&c, 0, sizeof c);
	c.watch = watch;
	c.story_id = 7;
	c.text = text;
	c.figures = figures;
	c.terms = "truce extens";
	c.lang = "en";
	c.revises = revises;
	c.alert_seq = alert_seq;
	c.first_seen = 100;
	assert_int_equal(store_claim_insert(st, &c, &id, &cause), 0);
	return id;
}

static void
test_claims_come_newest_first_with_the_seq_they_revise(void **state)
{
	struct fixture *f = *state;
	struct claims_seen s;
	char *cause = NULL;
	int64_t first;

	first = add_claim(f->store, "gaza", "two months", "2 months", 0, 41);
	add_claim(f->store, "ukraine", "84 for 84", "84\t84", 0, 42);
	add_claim(f->store, "gaza", "50 days", "50 days", first, 43);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_claim_list(f->store, "gaza", 0, seen_claim_cb,
	    &s, &cause), 0);
	assert_string_equal(s.texts, "50 days;two months");
	assert_int_equal(s.revises_seq[0], 41);
	assert_int_equal(s.revises_seq[1], 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_claim_recent(f->store, "gaza", 1, seen_claim_cb,
	    &s, &cause), 0);
	assert_string_equal(s.texts, "50 days");
}

static void
test_claim_repeat_counts_without_a_new_row(void **state)
{
	struct fixture *f = *state;
	struct claims_seen s;
	char *cause = NULL;
	int64_t id;

	id = add_claim(f->store, "gaza", "33 hostages", "33", 0, 0);
	assert_int_equal(store_claim_repeat(f->store, id, 200, &cause), 0);
	assert_int_equal(store_claim_repeat(f->store, id, 300, &cause), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_claim_list(f->store, NULL, 0, seen_claim_cb,
	    &s, &cause), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.repeats[0], 2);
}

static void
test_registries_are_written_with_the_batch_or_not_at_all(void **state)
{
	struct fixture *f = *state;
	struct claims_seen cs;
	struct seen s;
	char *cause = NULL;

	assert_int_equal(store_batch_begin(f->store, &cause), 0);
	add_person(f->store, "gaza", "Lost Person", "lost|person", 10);
	add_claim(f->store, "gaza", "lost claim", "", 0, 0);
	store_batch_rollback(f->store);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_person_list(f->store, NULL, 0, seen_person_cb,
	    &s, &cause), 0);
	assert_string_equal(s.names, "");
	memset(&cs, 0, sizeof cs);
	assert_int_equal(store_claim_list(f->store, NULL, 0, seen_claim_cb,
	    &cs, &cause), 0);
	assert_int_equal(cs.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup,	\
	fixture_teardown)
		T(test_person_candidates_are_the_watch_slice_of_the_surname_letter),
		T(test_person_seen_again_takes_the_new_name_and_counts),
		T(test_person_list_is_most_recently_seen_first_and_filters_by_watch),
		T(test_claims_come_newest_first_with_the_seq_they_revise),
		T(test_claim_repeat_counts_without_a_new_row),
		T(test_registries_are_written_with_the_batch_or_not_at_all),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
