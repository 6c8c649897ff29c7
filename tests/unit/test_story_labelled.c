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

static const struct story_signature *
labelled_find(const struct labelled *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		if (strcmp(set->items[i].id, id) == 0)
			return &set->items[i].sig;
	}
	fail_msg("pairs.tsv names an unknown item %s", id);
	return NULL;
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

static void
test_labelled_pairs_precision_and_recall_at_least_95(void **state)
{
	struct labelled		*set = xcalloc(1, sizeof *set);
	struct labelled_score	 s = { 0 };
	char			*dir, *pairs, *line, *save, *a, *b, *same;
	char			*kind;
	size_t			 len;
	double			 sim, precision, recall;
	int			 judged;

	dir = test_data_path("story/items");
	assert_int_equal(test_walk_files(dir, labelled_read_cb, set), 0);
	free(dir);
	pairs = test_fixture("story/pairs.tsv", &len);
	for (line = strtok_r(pairs, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		a = strtok(line, "\t");
		b = strtok(NULL, "\t");
		same = strtok(NULL, "\t");
		kind = strtok(NULL, "\t");
		assert_non_null(same);
		judged = labelled_judge(labelled_find(set, a),
		    labelled_find(set, b), &sim);
		if (judged && same[0] == '1')
			s.tp++;
		else if (judged) {
			s.fp++;
			printf("false same  %.3f %s %s (%s)\n", sim, a, b, kind);
		} else if (same[0] == '1') {
			s.fn++;
			printf("missed copy %.3f %s %s (%s)\n", sim, a, b, kind);
		} else
			s.tn++;
	}
	free(pairs);
	labelled_free(set);

	precision = (double)s.tp / (double)(s.tp + s.fp);
	recall = (double)s.tp / (double)(s.tp + s.fn);
	printf("labelled pairs: %zu same, %zu different; precision %.3f "
	    "recall %.3f\n", s.tp + s.fn, s.fp + s.tn, precision, recall);
	assert_true(s.tp + s.fn + s.fp + s.tn >= 100);
	assert_true(precision >= 0.95);
	assert_true(recall >= 0.95);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_labelled_pairs_precision_and_recall_at_least_95),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
