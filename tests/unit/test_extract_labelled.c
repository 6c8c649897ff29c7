/* test_extract_labelled.c: people and claims measured on the labelled articles of tests/data/extract — precision, recall, merging, novelty. */

/*
 * Every article of tests/data/extract/articles goes through extract_story
 * as the daemon sends a watched story, and is compared with its labels
 * (the format is tests/data/extract/README.md):
 *
 *  - people: a person found matches a labelled one when one of its
 *    spellings is one of theirs; precision, recall and F1 over persons;
 *  - merging: every two persons found for one labelled id, in any articles
 *    and languages, must compare as one person; two of different ids with
 *    given names on both sides must not;
 *  - claims: a claim found matches a labelled one when the label's text
 *    lies inside its sentence; precision and recall;
 *  - novelty: each topic's articles are run in their order through the
 *    registries as one watch keeps them (extract_claim_novelty for claims,
 *    the daemon's best-match rule for people); a labelled claim or person
 *    seen before in the topic must raise nothing, a revision must be found
 *    as one.
 *
 * The articles numbered en-13 and above and ru-11 and above were held out
 * while the extractor's cues and thresholds were tuned; their numbers are
 * printed on their own as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/common.h"
#include "extract/extract.h"
#include "support/test_support.h"

#define MAX_ARTICLES	128

struct article {
	char			*name;		/* "en-01" */
	const char		*lang;
	const char		*topic;
	int			 order;
	int			 held_out;
	json_t			*labels;
	char			*title;
	char			*body;
	struct extract_result	 result;
};

struct labelled {
	struct extractor	*x;
	struct article		 a[MAX_ARTICLES];
	size_t			 n;
};

/* Counts for one part of the set. */
struct score {
	int	tp, fp, fn;
};

static double
score_precision(const struct score *s)
{
	return s->tp + s->fp > 0 ? (double)s->tp / (s->tp + s->fp) : 1.0;
}

static double
score_recall(const struct score *s)
{
	return s->tp + s->fn > 0 ? (double)s->tp / (s->tp + s->fn) : 1.0;
}

static double
score_f1(const struct score *s)
{
	double p = score_precision(s), r = score_recall(s);

	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* Whether a file name is of the held-out part. */
static int
held_out(const char *name)
{
	int n = atoi(name + 3);

	return (strncmp(name, "en-", 3) == 0 && n >= 13) ||
	    (strncmp(name, "ru-", 3) == 0 && n >= 11);
}

/* Reads one article and its labels. */
static void
article_load(const char *json_path, void *arg)
{
	struct labelled *l = arg;
	struct article *a;
	const char *base;
	char *txt_path, *text, *nl;
	size_t len, n;

	n = strlen(json_path);
	if (n < 5 || strcmp(json_path + n - 5, ".json") != 0)
		return;
	assert_true(l->n < MAX_ARTICLES);
	a = &l->a[l->n++];
	base = strrchr(json_path, '/') + 1;
	a->name = xstrndup(base, strlen(base) - 5);
	a->labels = json_load_file(json_path, 0, NULL);
	assert_non_null(a->labels);
	a->lang = json_string_value(json_object_get(a->labels, "lang"));
	a->topic = json_string_value(json_object_get(a->labels, "topic"));
	a->order = (int)json_integer_value(json_object_get(a->labels, "order"));
	assert_non_null(a->lang);
	assert_non_null(a->topic);
	a->held_out = held_out(a->name);
	xasprintf(&txt_path, "%.*s.txt", (int)(n - 5), json_path);
	text = util_read_file(txt_path, 1 << 20, &len, NULL);
	assert_non_null(text);
	free(txt_path);
	/* The title, an empty line, the body. */
	if ((nl = strchr(text, '\n')) != NULL) {
		a->title = xstrndup(text, (size_t)(nl - text));
		a->body = xstrdup(nl + strspn(nl, "\n"));
	} else {
		a->title = xstrdup(text);
		a->body = xstrdup("");
	}
	free(text);
}

static int
labelled_setup(void **state)
{
	struct labelled *l;
	char *dir, *cause = NULL;
	size_t i;

	l = xcalloc(1, sizeof *l);
	*state = l;
	if ((l->x = extractor_new(&cause)) == NULL) {
		fprintf(stderr, "extractor_new: %s\n", cause);
		return -1;
	}
	dir = test_data_path("extract/articles");
	if (test_walk_files(dir, article_load, l) != 0)
		return -1;
	free(dir);
	for (i = 0; i < l->n; i++) {
		extract_story(l->x, l->a[i].lang, l->a[i].title, l->a[i].body,
		    (int)json_integer_value(json_object_get(l->a[i].labels,
		    "year")), &l->a[i].result);
	}
	*state = l;
	return 0;
}

static int
labelled_teardown(void **state)
{
	struct labelled *l = *state;
	size_t i;

	if (l == NULL)
		return 0;
	for (i = 0; i < l->n; i++) {
		extract_result_clear(&l->a[i].result);
		json_decref(l->a[i].labels);
		free(l->a[i].name);
		free(l->a[i].title);
		free(l->a[i].body);
	}
	extractor_free(l->x);
	free(l);
	return 0;
}

/* Whether two spellings are one, a possessive 's aside. */
static int
spelling_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > 2 && (strcmp(a + na - 2, "'s") == 0))
		na -= 2;
	else if (na > 4 && strcmp(a + na - 4, "\xe2\x80\x99s") == 0)
		na -= 4;
	if (nb > 2 && (strcmp(b + nb - 2, "'s") == 0))
		nb -= 2;
	else if (nb > 4 && strcmp(b + nb - 4, "\xe2\x80\x99s") == 0)
		nb -= 4;
	return na == nb && memcmp(a, b, na) == 0;
}

/* Whether a person found has one of the labelled spellings. */
static int
person_matches(const struct extract_person *p, json_t *spellings)
{
	json_t *v;
	size_t i, k;

	json_array_foreach(spellings, i, v) {
		if (spelling_equal(p->name, json_string_value(v)))
			return 1;
		for (k = 0; k < p->nvariants; k++) {
			if (spelling_equal(p->variants[k], json_string_value(v)))
				return 1;
		}
	}
	return 0;
}

/* The labelled id of each person found in a (NULL: none), written to ids
 * (a->result.npeople of them); counts into s. */
static void
article_people(const struct article *a, const char **ids, struct score *s,
    int verbose)
{
	json_t *people = json_object_get(a->labels, "people"), *spellings;
	const char *id;
	size_t i;
	int found;

	for (i = 0; i < a->result.npeople; i++)
		ids[i] = NULL;
	json_object_foreach(people, id, spellings) {
		found = 0;
		for (i = 0; i < a->result.npeople; i++) {
			if (ids[i] == NULL &&
			    person_matches(&a->result.people[i], spellings)) {
				ids[i] = id;
				found = 1;
				break;
			}
		}
		if (found)
			s->tp++;
		else {
			s->fn++;
			if (verbose)
				printf("  %s: missed person %s (%s)\n", a->name,
				    id, json_string_value(json_array_get(
				    spellings, 0)));
		}
	}
	for (i = 0; i < a->result.npeople; i++) {
		if (ids[i] != NULL)
			continue;
		s->fp++;
		if (verbose)
			printf("  %s: not a labelled person: %s\n", a->name,
			    a->result.people[i].name);
	}
}

static void
test_people_precision_and_recall_reach_090(void **state)
{
	struct labelled *l = *state;
	struct score all = { 0 }, tune = { 0 }, held = { 0 };
	const char *ids[EXTRACT_MAX_PEOPLE];
	struct score one;
	size_t i;

	assert_true(l->n >= 40);
	for (i = 0; i < l->n; i++) {
		memset(&one, 0, sizeof one);
		article_people(&l->a[i], ids, &one, 1);
		all.tp += one.tp, all.fp += one.fp, all.fn += one.fn;
		if (l->a[i].held_out)
			held.tp += one.tp, held.fp += one.fp, held.fn += one.fn;
		else
			tune.tp += one.tp, tune.fp += one.fp, tune.fn += one.fn;
	}
	printf("people, %zu articles: precision %.3f recall %.3f F1 %.3f "
	    "(tp %d fp %d fn %d)\n", l->n, score_precision(&all),
	    score_recall(&all), score_f1(&all), all.tp, all.fp, all.fn);
	printf("  tuning part: P %.3f R %.3f F1 %.3f; held out: P %.3f "
	    "R %.3f F1 %.3f\n", score_precision(&tune), score_recall(&tune),
	    score_f1(&tune), score_precision(&held), score_recall(&held),
	    score_f1(&held));
	assert_true(score_precision(&all) >= 0.90);
	assert_true(score_recall(&all) >= 0.90);
	assert_true(score_f1(&all) >= 0.90);
}

static void
test_not_people_never_come_out_as_people(void **state)
{
	struct labelled *l = *state;
	json_t *not_people, *v;
	size_t i, k, j, bad = 0, total = 0;

	for (i = 0; i < l->n; i++) {
		not_people = json_object_get(l->a[i].labels, "not_people");
		json_array_foreach(not_people, k, v) {
			total++;
			for (j = 0; j < l->a[i].result.npeople; j++) {
				if (!spelling_equal(l->a[i].result.people[j].name,
				    json_string_value(v)))
					continue;
				printf("  %s: \"%s\" came out as a person\n",
				    l->a[i].name, json_string_value(v));
				bad++;
			}
		}
	}
	printf("not-people: %zu of %zu labelled names came out as people\n",
	    bad, total);
	assert_int_equal(bad, 0);
}

/* A person found, with the labelled id it matched. */
struct found_person {
	const char	*id;
	const char	*key;
	const char	*name;
	const char	*article;
};

static void
test_every_labelled_person_merges_across_articles_and_languages(void **state)
{
	struct labelled *l = *state;
	const char *ids[EXTRACT_MAX_PEOPLE];
	struct found_person *f = NULL;
	struct score dummy = { 0 };
	size_t nf = 0, i, k, same = 0, merged = 0, different = 0, false_merges = 0;
	enum extract_name_match m;

	for (i = 0; i < l->n; i++) {
		article_people(&l->a[i], ids, &dummy, 0);
		for (k = 0; k < l->a[i].result.npeople; k++) {
			if (ids[k] == NULL)
				continue;
			f = xreallocarray(f, nf + 1, sizeof *f);
			f[nf].id = ids[k];
			f[nf].key = l->a[i].result.people[k].key;
			f[nf].name = l->a[i].result.people[k].name;
			f[nf].article = l->a[i].name;
			nf++;
		}
	}
	for (i = 0; i < nf; i++) {
		for (k = i + 1; k < nf; k++) {
			m = extract_name_compare(f[i].key, f[k].key);
			if (strcmp(f[i].id, f[k].id) == 0) {
				same++;
				if (m != EXTRACT_NAME_DIFFERENT)
					merged++;
				else
					printf("  not merged: %s \"%s\" [%s] / %s "
					    "\"%s\" [%s]\n", f[i].article,
					    f[i].name, f[i].key, f[k].article,
					    f[k].name, f[k].key);
				continue;
			}
			different++;
			if (m == EXTRACT_NAME_SAME) {
				false_merges++;
				printf("  merged but distinct: %s \"%s\" / %s "
				    "\"%s\"\n", f[i].article, f[i].name,
				    f[k].article, f[k].name);
			}
		}
	}
	printf("merging: %zu of %zu pairs of one person merged; %zu of %zu "
	    "pairs of distinct people merged\n", merged, same, false_merges,
	    different);
	free(f);
	assert_true(same > 100);
	assert_int_equal(merged, same);
	assert_int_equal(false_merges, 0);
}

/* The labelled claim whose text lies in sentence, or NULL. */
static json_t *
claim_label(const struct article *a, const char *sentence)
{
	json_t *claims = json_object_get(a->labels, "claims"), *c;
	size_t i;

	json_array_foreach(claims, i, c) {
		if (strstr(sentence, json_string_value(json_object_get(c,
		    "text"))) != NULL)
			return c;
	}
	return NULL;
}

/* Whether the figures found are the labelled ones, as sets. */
static int
figures_equal(const struct extract_claim *c, json_t *label)
{
	json_t *figures = json_object_get(label, "figures"), *v;
	size_t i, k;
	int found;

	if (json_array_size(figures) != c->nfigures)
		return 0;
	json_array_foreach(figures, i, v) {
		found = 0;
		for (k = 0; k < c->nfigures; k++)
			found |= strcmp(c->figures[k], json_string_value(v)) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

static void
test_claims_precision_and_recall_reach_085(void **state)
{
	struct labelled *l = *state;
	struct score all = { 0 }, tune = { 0 }, held = { 0 }, one;
	json_t *claims, *c;
	size_t i, k, j, figures_right = 0, matched = 0;
	const struct article *a;
	int found;

	for (i = 0; i < l->n; i++) {
		a = &l->a[i];
		memset(&one, 0, sizeof one);
		for (k = 0; k < a->result.nclaims; k++) {
			if ((c = claim_label(a, a->result.claims[k].text)) ==
			    NULL) {
				one.fp++;
				printf("  %s: not a labelled claim: %s\n",
				    a->name, a->result.claims[k].text);
				continue;
			}
			matched++;
			if (figures_equal(&a->result.claims[k], c))
				figures_right++;
		}
		claims = json_object_get(a->labels, "claims");
		json_array_foreach(claims, k, c) {
			found = 0;
			for (j = 0; j < a->result.nclaims && !found; j++)
				found = strstr(a->result.claims[j].text,
				    json_string_value(json_object_get(c,
				    "text"))) != NULL;
			if (found)
				one.tp++;
			else {
				one.fn++;
				printf("  %s: missed claim: %s\n", a->name,
				    json_string_value(json_object_get(c,
				    "text")));
			}
		}
		all.tp += one.tp, all.fp += one.fp, all.fn += one.fn;
		if (a->held_out)
			held.tp += one.tp, held.fp += one.fp, held.fn += one.fn;
		else
			tune.tp += one.tp, tune.fp += one.fp, tune.fn += one.fn;
	}
	/* Precision counts sentences found, recall labels found. */
	printf("claims: precision %.3f recall %.3f (labelled %d, found "
	    "%zu, not labelled %d); figures exactly right in %zu of %zu\n",
	    score_precision(&(struct score){ (int)matched, all.fp, 0 }),
	    score_recall(&all), all.tp + all.fn, matched + (size_t)all.fp,
	    all.fp, figures_right, matched);
	printf("  tuning part: P %.3f R %.3f; held out: P %.3f R %.3f\n",
	    score_precision(&tune), score_recall(&tune),
	    score_precision(&held), score_recall(&held));
	assert_true((double)matched / (double)(matched + (size_t)all.fp) >= 0.85);
	assert_true(score_recall(&all) >= 0.85);
}

/* The articles of one topic in their order. */
static size_t
topic_articles(struct labelled *l, const char *topic, struct article **out)
{
	size_t i, k, n = 0;
	struct article *t;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->a[i].topic, topic) == 0)
			out[n++] = &l->a[i];
	}
	for (i = 1; i < n; i++) {
		for (k = i; k > 0 && out[k - 1]->order > out[k]->order; k--) {
			t = out[k];
			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	}
	return n;
}

/* What the novelty run of the topics counted. */
struct novelty {
	int	claims_new;		/* first sightings of a labelled claim */
	int	claims_new_missed;	/* ... judged a repeat */
	int	repeats;		/* later sightings */
	int	repeats_alerted;	/* ... judged new: a second alert */
	int	repeats_across;		/* ... only ever seen in the other
					   language before (neither translated) */
	int	repeats_across_alerted;
	int	revisions;		/* labelled revisions */
	int	revisions_found;	/* ... judged a revision */
	int	people_new;
	int	people_swallowed;	/* a new person taken for a known one */
	int	people_again;
	int	people_alerted_again;
};

/* Whether id is in the list. */
static int
seen_id(char **ids, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], id) == 0)
			return 1;
	}
	return 0;
}

/* Whether id was seen in lang. */
static int
seen_in(char **ids, const char **langs, size_t n, const char *id,
    const char *lang)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], id) == 0 && strcmp(langs[i], lang) == 0)
			return 1;
	}
	return 0;
}

/* One topic's claims through a watch's registry. */
static void
novelty_claims(struct article **t, size_t n, struct novelty *nv)
{
	struct extract_claim_key *known = NULL;
	char **figures = NULL, **seen = NULL;
	const char **seen_lang = NULL;
	size_t nknown = 0, nseen = 0, i, k, which;
	int across;
	const struct extract_claim *c;
	enum extract_novelty r;
	json_t *label;
	const char *id, *revises;

	for (i = 0; i < n; i++) {
		for (k = 0; k < t[i]->result.nclaims; k++) {
			c = &t[i]->result.claims[k];
			figures = xreallocarray(figures, nknown + 1,
			    sizeof *figures);
			known = xreallocarray(known, nknown + 1, sizeof *known);
			figures[nknown] = extract_claim_figures_join(c);
			known[nknown].figures = figures[nknown];
			known[nknown].terms = c->terms != NULL ? c->terms : "";
			known[nknown].speaker_key = c->speaker_key;
			known[nknown].lang = t[i]->lang;
			r = extract_claim_novelty(&known[nknown], known, nknown,
			    &which);
			label = claim_label(t[i], c->text);
			id = label != NULL ? json_string_value(json_object_get(
			    label, "id")) : NULL;
			revises = label != NULL ? json_string_value(
			    json_object_get(label, "revises")) : NULL;
			if (id != NULL && seen_id(seen, nseen, id)) {
				across = !seen_in(seen, seen_lang, nseen, id,
				    t[i]->lang);
				nv->repeats++;
				nv->repeats_across += across;
				if (r != EXTRACT_CLAIM_REPEAT) {
					nv->repeats_alerted++;
					nv->repeats_across_alerted += across;
					printf("  %s: alerted again%s: %s\n",
					    t[i]->name, across ? " (across "
					    "languages)" : "", c->text);
				}
			} else if (id != NULL) {
				nv->claims_new++;
				if (r == EXTRACT_CLAIM_REPEAT) {
					nv->claims_new_missed++;
					printf("  %s: new claim taken for a "
					    "repeat: %s\n", t[i]->name, c->text);
				}
				if (revises != NULL) {
					nv->revisions++;
					if (r == EXTRACT_CLAIM_REVISES)
						nv->revisions_found++;
					else
						printf("  %s: revision not seen "
						    "as one: %s\n", t[i]->name,
						    c->text);
				}
			}
			if (id != NULL && !seen_in(seen, seen_lang, nseen, id,
			    t[i]->lang)) {
				seen = xreallocarray(seen, nseen + 1,
				    sizeof *seen);
				seen_lang = xreallocarray(seen_lang, nseen + 1,
				    sizeof *seen_lang);
				seen_lang[nseen] = t[i]->lang;
				seen[nseen++] = xstrdup(id);
			}
			/* As the daemon: a repeat is counted, not kept. */
			if (r == EXTRACT_CLAIM_REPEAT)
				free(figures[nknown]);
			else
				nknown++;
		}
	}
	for (i = 0; i < nknown; i++)
		free(figures[i]);
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(figures);
	free(known);
	free(seen);
	free(seen_lang);
}

/* A person of a watch's registry, as the test keeps it. */
struct registry_person {
	const char	*key;
	const char	*id;		/* the labelled id of the first, or "" */
	int		 mentions;
};

/* The daemon's rule: the best match, a full one over a surname-only one,
 * then the one named most often. */
static struct registry_person *
registry_find(struct registry_person *r, size_t n, const char *key)
{
	struct registry_person *best = NULL;
	enum extract_name_match m, best_m = EXTRACT_NAME_DIFFERENT;
	size_t i;

	for (i = 0; i < n; i++) {
		m = extract_name_compare(key, r[i].key);
		if (m == EXTRACT_NAME_DIFFERENT || m < best_m ||
		    (m == best_m && best != NULL &&
		    r[i].mentions <= best->mentions))
			continue;
		best = &r[i];
		best_m = m;
	}
	return best;
}

/* One topic's people through a watch's registry. */
static void
novelty_people(struct article **t, size_t n, struct novelty *nv)
{
	const char *ids[EXTRACT_MAX_PEOPLE];
	struct registry_person *r = NULL, *hit;
	struct score dummy = { 0 };
	char **alerted = NULL;
	size_t nr = 0, nalerted = 0, i, k;
	const struct extract_person *p;

	for (i = 0; i < n; i++) {
		article_people(t[i], ids, &dummy, 0);
		for (k = 0; k < t[i]->result.npeople; k++) {
			p = &t[i]->result.people[k];
			hit = registry_find(r, nr, p->key);
			if (ids[k] != NULL && seen_id(alerted, nalerted,
			    ids[k])) {
				nv->people_again++;
				if (hit == NULL) {
					nv->people_alerted_again++;
					printf("  %s: person alerted again: %s "
					    "[%s]\n", t[i]->name, p->name,
					    p->key);
				}
			} else if (ids[k] != NULL) {
				nv->people_new++;
				if (hit != NULL) {
					nv->people_swallowed++;
					printf("  %s: new person %s taken for "
					    "%s\n", t[i]->name, p->name,
					    hit->id);
				}
			}
			if (hit != NULL) {
				hit->mentions++;
				continue;
			}
			r = xreallocarray(r, nr + 1, sizeof *r);
			r[nr].key = p->key;
			r[nr].id = ids[k] != NULL ? ids[k] : "";
			r[nr].mentions = 1;
			nr++;
			if (ids[k] != NULL) {
				alerted = xreallocarray(alerted, nalerted + 1,
				    sizeof *alerted);
				alerted[nalerted++] = xstrdup(ids[k]);
			}
		}
	}
	for (i = 0; i < nalerted; i++)
		free(alerted[i]);
	free(alerted);
	free(r);
}

static void
test_repeats_raise_nothing_and_revisions_are_found(void **state)
{
	struct labelled *l = *state;
	struct article *t[MAX_ARTICLES];
	const char *topics[MAX_ARTICLES];
	struct novelty nv;
	size_t ntopics = 0, i, k, n;

	memset(&nv, 0, sizeof nv);
	for (i = 0; i < l->n; i++) {
		for (k = 0; k < ntopics; k++) {
			if (strcmp(topics[k], l->a[i].topic) == 0)
				break;
		}
		if (k == ntopics)
			topics[ntopics++] = l->a[i].topic;
	}
	for (k = 0; k < ntopics; k++) {
		struct novelty one;

		memset(&one, 0, sizeof one);
		n = topic_articles(l, topics[k], t);
		novelty_claims(t, n, &one);
		novelty_people(t, n, &one);
		printf("  topic %s%s: claims %d new (%d taken for repeats), %d "
		    "repeats (%d alerted again), %d revisions (%d found); "
		    "people %d new (%d taken for another), %d again (%d "
		    "alerted again)\n", topics[k], t[0]->held_out ?
		    " (held out)" : "", one.claims_new, one.claims_new_missed,
		    one.repeats, one.repeats_alerted, one.revisions,
		    one.revisions_found, one.people_new, one.people_swallowed,
		    one.people_again, one.people_alerted_again);
		nv.claims_new += one.claims_new;
		nv.claims_new_missed += one.claims_new_missed;
		nv.repeats += one.repeats;
		nv.repeats_alerted += one.repeats_alerted;
		nv.repeats_across += one.repeats_across;
		nv.repeats_across_alerted += one.repeats_across_alerted;
		nv.revisions += one.revisions;
		nv.revisions_found += one.revisions_found;
		nv.people_new += one.people_new;
		nv.people_swallowed += one.people_swallowed;
		nv.people_again += one.people_again;
		nv.people_alerted_again += one.people_alerted_again;
	}
	printf("novelty over %zu topics: claims %d new (%d taken for "
	    "repeats), %d repeats (%d alerted again; of them %d seen before "
	    "only in the other language, %d of those alerted again), %d "
	    "revisions (%d found); people %d new (%d taken for another), %d "
	    "named again (%d alerted again)\n", ntopics, nv.claims_new,
	    nv.claims_new_missed, nv.repeats, nv.repeats_alerted,
	    nv.repeats_across, nv.repeats_across_alerted, nv.revisions,
	    nv.revisions_found, nv.people_new, nv.people_swallowed,
	    nv.people_again, nv.people_alerted_again);
	assert_true(nv.repeats > 20);
	/* A repeat in the language it was first made in, or in a
	 * translation, alerts no more: the goal, met. */
	assert_int_equal(nv.repeats_alerted - nv.repeats_across_alerted, 0);
	/* Across untranslated languages only names, figures, speakers and
	 * the shared concept ids can be compared: 11 of 63 such repeats
	 * alert again as measured; a fifth would be a regression. */
	assert_true(nv.repeats_across_alerted * 5 <= nv.repeats_across);
	assert_int_equal(nv.people_alerted_again, 0);
	assert_true(nv.claims_new_missed * 100 <= nv.claims_new);
	/* Revisions found: 13 of 17 as measured (the four missed need the
	 * event's identity, see extract/novelty.c). */
	assert_true(nv.revisions > 0);
	assert_true(nv.revisions_found * 4 >= nv.revisions * 3);
}

/*
 * The seed article (../shared/seed): one story as a watch meets it. Its
 * eleven people alert once each, however often and however spelled they
 * are named, and nothing of its repeated lead paragraph alerts again.
 */
static void
test_seed_alerts_each_person_once_and_nothing_of_its_repeated_lead(
    void **state)
{
	struct labelled *l = *state;
	struct extract_claim_key *known = NULL;
	struct registry_person *r = NULL;
	struct extract_result res;
	const struct extract_claim *c;
	enum extract_novelty nov;
	char *path, *text, *nl, **figures = NULL;
	size_t len, i, n = 0, nr = 0, which, lead_alerts = 0;
	const char *expected[] = { "Kharkin", "Trufanov", "Zakharova",
	    "Netanyahu", "Abu Marzouk", "Qassem", "al-Kanua", "Witkoff",
	    "Boiler", "Masri", "Trump" };
	size_t k, found;

	if ((path = test_shared_path("seed/000_0bcda3ea3e606858.txt")) == NULL)
		return;
	text = util_read_file(path, 1 << 20, &len, NULL);
	assert_non_null(text);
	free(path);
	nl = strchr(text, '\n');
	*nl = '\0';
	extract_story(l->x, "en", text, nl + 1, 2025, &res);
	for (i = 0; i < res.npeople; i++) {
		if (registry_find(r, nr, res.people[i].key) != NULL)
			continue;
		r = xreallocarray(r, nr + 1, sizeof *r);
		r[nr].key = res.people[i].key;
		r[nr].id = res.people[i].name;
		r[nr].mentions = 1;
		nr++;
	}
	for (k = 0, found = 0; k < sizeof expected / sizeof expected[0]; k++) {
		for (i = 0; i < nr; i++) {
			if (strstr(r[i].id, expected[k]) != NULL) {
				found++;
				break;
			}
		}
	}
	printf("seed: %zu people alert (", nr);
	for (i = 0; i < nr; i++)
		printf("%s%s", i > 0 ? ", " : "", r[i].id);
	printf(")\n");
	assert_int_equal(found, sizeof expected / sizeof expected[0]);
	assert_int_equal(nr, sizeof expected / sizeof expected[0]);
	for (i = 0; i < res.nclaims; i++) {
		c = &res.claims[i];
		figures = xreallocarray(figures, n + 1, sizeof *figures);
		known = xreallocarray(known, n + 1, sizeof *known);
		figures[n] = extract_claim_figures_join(c);
		known[n].figures = figures[n];
		known[n].terms = c->terms != NULL ? c->terms : "";
		known[n].speaker_key = c->speaker_key;
		known[n].lang = "en";
		nov = extract_claim_novelty(&known[n], known, n, &which);
		/* The lead, again after the first subheading. */
		if (strstr(c->text, "maintains a channel of communication") !=
		    NULL && nov != EXTRACT_CLAIM_REPEAT)
			lead_alerts++;
		if (nov == EXTRACT_CLAIM_REPEAT)
			free(figures[n]);
		else
			n++;
	}
	printf("seed: %zu claims, %zu alert; the repeated lead alerts %zu "
	    "times\n", res.nclaims, n, lead_alerts);
	assert_int_equal(lead_alerts, 0);
	for (i = 0; i < n; i++)
		free(figures[i]);
	free(figures);
	free(known);
	free(r);
	extract_result_clear(&res);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_people_precision_and_recall_reach_090),
		cmocka_unit_test(test_not_people_never_come_out_as_people),
		cmocka_unit_test(
		    test_every_labelled_person_merges_across_articles_and_languages),
		cmocka_unit_test(test_claims_precision_and_recall_reach_085),
		cmocka_unit_test(
		    test_repeats_raise_nothing_and_revisions_are_found),
		cmocka_unit_test(
		    test_seed_alerts_each_person_once_and_nothing_of_its_repeated_lead),
	};

	return cmocka_run_group_tests(tests, labelled_setup,
	    labelled_teardown);
}
