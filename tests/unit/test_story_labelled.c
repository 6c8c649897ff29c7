/* test_story_labelled.c: precision and recall of "same story" on the labelled pairs of tests/data/story. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "story/story.h"
#include "support/test_support.h"
#include "text/text.h"

#define LABELLED_MAX_ITEMS	512

/* One labelled item: its id and its signature. */
struct labelled_item {
	char			*id;
	struct story_signature	 sig;
};

struct labelled {
	struct labelled_item	 items[LABELLED_MAX_ITEMS];
	size_t			 count;
};

/* Signs one record: the first line is the title, the rest the text. */
static void
labelled_sign(struct labelled *set, const char *id, const char *rec,
    size_t len)
{
	struct text_tokens	 title = { 0 }, text = { 0 };
	struct labelled_item	*item;
	const char		*nl;

	assert_true(set->count < LABELLED_MAX_ITEMS);
	item = &set->items[set->count++];
	item->id = xstrdup(id);
	nl = memchr(rec, '\n', len);
	if (nl == NULL)
		nl = rec + len;
	text_tokenize(rec, (size_t)(nl - rec), &title);
	if (nl < rec + len)
		text_tokenize(nl + 1, (size_t)(rec + len - nl - 1), &text);
	story_signature_compute(&title, &text, &item->sig);
	text_tokens_clear(&title);
	text_tokens_clear(&text);
}

/* Reads one items file: lines "=== id" start records; lines before the
 * first are comments. */
static void
labelled_read_cb(const char *path, void *arg)
{
	struct labelled	*set = arg;
	char		*buf, *cause, *p, *rec, *end, *nl;
	char		 id[128];
	size_t		 len;

	if ((buf = util_read_file(path, 1 << 20, &len, &cause)) == NULL)
		fail_msg("%s", cause);
	p = strstr(buf, "=== ");
	while (p != NULL) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true((size_t)(nl - p - 4) < sizeof id);
		memcpy(id, p + 4, (size_t)(nl - p - 4));
		id[nl - p - 4] = '\0';
		rec = nl + 1;
		end = strstr(rec, "\n=== ");
		p = end != NULL ? end + 1 : NULL;
		labelled_sign(set, id, rec, end != NULL ?
		    (size_t)(end - rec) : strlen(rec));
	}
	free(buf);
}

static void
labelled_free(struct labelled *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		free(set->items[i].id);
	free(set);
}

/* Counts of the decisions against the labels. */
struct labelled_score {
	size_t tp, fp, fn, tn;
};

/* Judges one pair as the daemon would: a in an index, b looked up. */
static int
labelled_judge(const struct story_signature *a,
    const struct story_signature *b, double *sim)
{
	struct story_index	*idx = story_index_new();
	int64_t			 found;

	story_index_add(idx, 1, a, 100);
	found = story_index_find(idx, b, sim);
	story_index_free(idx);
	return found == 1;
}

/* One labelled pair: indexes into the items, and the label. */
struct labelled_pair {
	size_t	 a, b;
	int	 same;
	char	*kind;
};

static size_t
labelled_index(const struct labelled *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		if (strcmp(set->items[i].id, id) == 0)
			return i;
	}
	fail_msg("pairs.tsv names an unknown item %s", id);
	return 0;
}

/* Reads the items and pairs.tsv; returns the pairs, their count in *n. */
static struct labelled_pair *
labelled_load(struct labelled *set, size_t *n)
{
	struct labelled_pair	*pairs = NULL;
	char			*dir, *buf, *line, *save, *a, *b, *same, *kind;
	size_t			 len;

	dir = test_data_path("story/items");
	assert_int_equal(test_walk_files(dir, labelled_read_cb, set), 0);
	free(dir);
	buf = test_fixture("story/pairs.tsv", &len);
	*n = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		a = strtok(line, "\t");
		b = strtok(NULL, "\t");
		same = strtok(NULL, "\t");
		kind = strtok(NULL, "\t");
		assert_non_null(kind);
		pairs = xreallocarray(pairs, *n + 1, sizeof *pairs);
		pairs[*n].a = labelled_index(set, a);
		pairs[*n].b = labelled_index(set, b);
		pairs[*n].same = same[0] == '1';
		pairs[*n].kind = xstrdup(kind);
		(*n)++;
	}
	free(buf);
	return pairs;
}

static void
labelled_pairs_free(struct labelled_pair *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(pairs[i].kind);
	free(pairs);
}

/* Counts one decision against its label, printing the wrong ones. */
static void
labelled_count(struct labelled_score *s, const struct labelled *set,
    const struct labelled_pair *p, int judged, double sim)
{
	if (judged && p->same)
		s->tp++;
	else if (judged) {
		s->fp++;
		printf("false same  %.3f %s %s (%s)\n", sim,
		    set->items[p->a].id, set->items[p->b].id, p->kind);
	} else if (p->same) {
		s->fn++;
		printf("missed copy %.3f %s %s (%s)\n", sim,
		    set->items[p->a].id, set->items[p->b].id, p->kind);
	} else
		s->tn++;
}

/* Prints precision and recall and asserts both reach 0.95. */
static void
labelled_assert(const struct labelled_score *s, const char *what)
{
	double precision, recall;

	precision = (double)s->tp / (double)(s->tp + s->fp);
	recall = (double)s->tp / (double)(s->tp + s->fn);
	printf("%s: %zu same, %zu different; precision %.3f recall %.3f\n",
	    what, s->tp + s->fn, s->fp + s->tn, precision, recall);
	assert_true(s->tp + s->fn + s->fp + s->tn >= 100);
	assert_true(precision >= 0.95);
	assert_true(recall >= 0.95);
}

static void
test_labelled_pairs_precision_and_recall_at_least_95(void **state)
{
	struct labelled		*set = xcalloc(1, sizeof *set);
	struct labelled_score	 s = { 0 };
	struct labelled_pair	*pairs;
	double			 sim;
	size_t			 i, n;
	int			 judged;

	pairs = labelled_load(set, &n);
	for (i = 0; i < n; i++) {
		judged = labelled_judge(&set->items[pairs[i].a].sig,
		    &set->items[pairs[i].b].sig, &sim);
		labelled_count(&s, set, &pairs[i], judged, sim);
	}
	labelled_pairs_free(pairs, n);
	labelled_free(set);
	labelled_assert(&s, "labelled pairs, each in its own index");
}

/*
 * Every item through one index in file order, as the daemon assigns them:
 * an item found joins that story, any other opens one. Two items of a
 * pair are then one story when they were assigned the same.
 */
static void
test_labelled_items_in_one_index_precision_and_recall_at_least_95(
    void **state)
{
	struct labelled		*set = xcalloc(1, sizeof *set);
	struct labelled_score	 s = { 0 };
	struct labelled_pair	*pairs;
	struct story_index	*idx = story_index_new();
	int64_t			*story, found;
	double			 sim;
	size_t			 i, n;

	pairs = labelled_load(set, &n);
	story = xcalloc(set->count, sizeof *story);
	for (i = 0; i < set->count; i++) {
		found = story_index_find(idx, &set->items[i].sig, &sim);
		if (found == 0) {
			found = (int64_t)i + 1;
			story_index_add(idx, found, &set->items[i].sig,
			    (int64_t)i);
		}
		story[i] = found;
	}
	for (i = 0; i < n; i++)
		labelled_count(&s, set, &pairs[i],
		    story[pairs[i].a] == story[pairs[i].b], -1.0);
	printf("%zu items became %zu stories\n", set->count,
	    story_index_count(idx));
	free(story);
	story_index_free(idx);
	labelled_pairs_free(pairs, n);
	labelled_free(set);
	labelled_assert(&s, "labelled items, all in one index");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_labelled_pairs_precision_and_recall_at_least_95),
		cmocka_unit_test(
		    test_labelled_items_in_one_index_precision_and_recall_at_least_95),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
