/* extraction.c: the extract stage in the daemon — a watched story's people and claims against the watch's registries, and the alerts for what is new. */

/*
 * A story is read by the extractor once, whatever number of watches match
 * it (struct extraction_text keeps the result); each watch then compares
 * what was found with its own registries in the store, so a person first
 * named in an off-topic story is still new to the watch that meets them
 * later. Everything here runs inside the transaction of the story change
 * (a poll's savepoint, or a finished translation): a person, a claim and
 * their alerts are written together or not at all, and so are exactly
 * once like every other alert.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "extract/extract.h"
#include "store/store.h"

/* Claims of a watch a new claim is compared with: the newest ones. A
 * repeat of something older than that is news again, which after
 * thousands of claims it usually is. */
#define EXTRACTION_CLAIMS_MAX	5000
/* Spellings kept of one person. */
#define EXTRACTION_VARIANTS_MAX	32

/* The best registry entry for a person found in a story. */
struct extraction_candidate {
	const char			*key;
	enum extract_name_match		 match;
	int64_t				 id;
	int64_t				 mentions;
	char				*name;
	char				*stored_key;
	char				*variants;
};

/* Keeps the registry entry that matches the key best (a full match over
 * a surname-only one, then the one named most often). */
static int
extraction_candidate_cb(const struct store_person *p, void *arg)
{
	struct extraction_candidate *c = arg;
	enum extract_name_match m;

	m = extract_name_compare(c->key, p->key);
	if (m == EXTRACT_NAME_DIFFERENT || m < c->match ||
	    (m == c->match && p->mentions <= c->mentions))
		return 0;
	free(c->name);
	free(c->stored_key);
	free(c->variants);
	c->match = m;
	c->id = p->id;
	c->mentions = p->mentions;
	c->name = xstrdup(p->name);
	c->stored_key = xstrdup(p->key);
	c->variants = xstrdup(p->variants);
	return 0;
}

/* Whether the JSON array holds s. */
static int
extraction_has_string(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	}
	return 0;
}

/* The stored variants with the person's new spellings added. Caller
 * frees. */
static char *
extraction_variants_merge(const char *stored, const struct extract_person *p)
{
	json_t *a;
	char *out;
	size_t i;

	if ((a = json_loads(stored != NULL ? stored : "[]", 0, NULL)) == NULL ||
	    !json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	for (i = 0; i < p->nvariants; i++) {
		if (json_array_size(a) >= EXTRACTION_VARIANTS_MAX)
			break;
		if (!extraction_has_string(a, p->variants[i]))
			json_array_append_new(a, alert_json_text(p->variants[i]));
	}
	if ((out = json_dumps(a, JSON_COMPACT)) == NULL)
		fatalx("json_dumps: out of memory");
	json_decref(a);
	return out;
}

/* A known person named again: their spellings and fullest name grow. */
static int
extraction_person_again(struct daemon *d, const struct alert_story *as,
    const struct extract_person *p, struct extraction_candidate *c,
    int64_t now, char **cause)
{
	const char *name = c->name, *key = c->stored_key;
	char *variants;
	int rc;

	if (extract_name_better(p->name, c->name)) {
		name = p->name;
		key = p->key;
	}
	variants = extraction_variants_merge(c->variants, p);
	rc = store_person_seen(d->store, c->id, name, key, variants, as->id,
	    now, cause);
	free(variants);
	return rc;
}

/* A person new to the watch: their alert, then their registry entry. */
static int
extraction_person_new(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, const struct extract_person *p,
    int64_t now, char **cause)
{
	struct alert_person ap;
	struct store_person sp;
	int64_t seq = 0, id;
	char *body;
	int rc = 0;

	if (config_watch_alerts(w, "person")) {
		ap.name = p->name;
		ap.variants = (const char *const *)p->variants;
		ap.nvariants = p->nvariants;
		body = alert_body_new_person(&ap, as, p->evidence);
		rc = store_alert_insert(d->store, "new_person", w->name, as->id,
		    body, now, &seq, cause);
		free(body);
		if (rc != 0)
			return -1;
		log_info("alert %lld: new person \"%s\" for watch %s (story "
		    "%lld)", (long long)seq, p->name, w->name,
		    (long long)as->id);
	}
	memset(&sp, 0, sizeof sp);
	sp.watch = w->name;
	sp.name = p->name;
	sp.key = p->key;
	sp.variants = body = extraction_variants_merge(NULL, p);
	sp.evidence = p->evidence;
	sp.first_story = as->id;
	sp.first_seen = now;
	sp.alert_seq = seq;
	rc = store_person_insert(d->store, &sp, &id, cause);
	free(body);
	return rc;
}

/* One person found in a story against the watch's registry. */
static int
extraction_person(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, const struct extract_person *p,
    int64_t now, char **cause)
{
	struct extraction_candidate c;
	const char *surname;
	int rc;

	if (p->key == NULL || (surname = strchr(p->key, '|')) == NULL ||
	    surname[1] == '\0')
		return 0;
	memset(&c, 0, sizeof c);
	c.key = p->key;
	rc = store_person_candidates(d->store, w->name, surname + 1,
	    extraction_candidate_cb, &c, cause);
	if (rc == 0 && c.id != 0)
		rc = extraction_person_again(d, as, p, &c, now, cause);
	else if (rc == 0)
		rc = extraction_person_new(d, w, as, p, now, cause);
	free(c.name);
	free(c.stored_key);
	free(c.variants);
	return rc;
}

/* A claim of the watch's registry, as the comparing needs it. */
struct extraction_claim {
	int64_t	 id;
	int64_t	 alert_seq;
	char	*figures;
	char	*terms;
	char	*speaker_key;
	char	*lang;
};

/* The claims compared with, oldest first, and their keys (pointing into
 * them) as extract_claim_novelty takes them. */
struct extraction_claims {
	struct extraction_claim		*v;
	struct extract_claim_key	*keys;
	size_t				 n;
	size_t				 cap;
};

/* Appends a claim to the list compared with. */
static void
extraction_claims_add(struct extraction_claims *l, int64_t id,
    int64_t alert_seq, const char *figures, const char *terms,
    const char *speaker_key, const char *lang)
{
	struct extraction_claim *c;

	if (l->n == l->cap) {
		l->cap = l->cap > 0 ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
		l->keys = xreallocarray(l->keys, l->cap, sizeof *l->keys);
	}
	c = &l->v[l->n];
	c->id = id;
	c->alert_seq = alert_seq;
	c->figures = xstrdup(figures != NULL ? figures : "");
	c->terms = xstrdup(terms != NULL ? terms : "");
	c->speaker_key = speaker_key != NULL ? xstrdup(speaker_key) : NULL;
	c->lang = xstrdup(lang != NULL ? lang : "und");
	l->keys[l->n].figures = c->figures;
	l->keys[l->n].terms = c->terms;
	l->keys[l->n].speaker_key = c->speaker_key;
	l->keys[l->n].lang = c->lang;
	l->n++;
}

static int
extraction_claims_cb(const struct store_claim *c, void *arg)
{
	extraction_claims_add(arg, c->id, c->alert_seq, c->figures, c->terms,
	    c->speaker_key, c->lang);
	return 0;
}

static void
extraction_claims_clear(struct extraction_claims *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].figures);
		free(l->v[i].terms);
		free(l->v[i].speaker_key);
		free(l->v[i].lang);
	}
	free(l->v);
	free(l->keys);
	memset(l, 0, sizeof *l);
}

/* A claim new to the watch: its alert, then its registry entry. */
static int
extraction_claim_new(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, const struct extract_claim *c,
    const struct extract_claim_key *k, const struct extraction_claim *rev,
    struct extraction_claims *known, int64_t now, char **cause)
{
	struct alert_claim ac;
	struct store_claim sc;
	int64_t seq = 0, id;
	char *body;

	if (config_watch_alerts(w, "claim")) {
		memset(&ac, 0, sizeof ac);
		ac.text = c->text;
		ac.speaker = c->speaker;
		ac.source = c->source;
		ac.figures = (const char *const *)c->figures;
		ac.nfigures = c->nfigures;
		ac.revises = rev != NULL ? rev->alert_seq : 0;
		body = alert_body_new_claim(&ac, as, c->text);
		if (store_alert_insert(d->store, "new_claim", w->name, as->id,
		    body, now, &seq, cause) != 0) {
			free(body);
			return -1;
		}
		free(body);
		log_info("alert %lld: new claim for watch %s (story %lld%s)",
		    (long long)seq, w->name, (long long)as->id,
		    rev != NULL ? ", a revision" : "");
	}
	memset(&sc, 0, sizeof sc);
	sc.watch = w->name;
	sc.story_id = as->id;
	sc.text = c->text;
	sc.speaker = c->speaker;
	sc.speaker_key = c->speaker_key;
	sc.source = c->source;
	sc.figures = k->figures;
	sc.terms = k->terms;
	sc.lang = k->lang;
	sc.revises = rev != NULL ? rev->id : 0;
	sc.alert_seq = seq;
	sc.first_seen = now;
	if (store_claim_insert(d->store, &sc, &id, cause) != 0)
		return -1;
	extraction_claims_add(known, id, seq, k->figures, k->terms,
	    k->speaker_key, k->lang);
	return 0;
}

/* The claims found in a story against the watch's registry. */
static int
extraction_claims(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, struct extraction_text *xt, int64_t now,
    char **cause)
{
	struct extraction_claims known;
	struct extract_claim_key k;
	const struct extract_claim *c;
	enum extract_novelty r;
	char *figures;
	size_t i, which;
	int rc = 0;

	if (xt->result.nclaims == 0)
		return 0;
	memset(&known, 0, sizeof known);
	if (store_claim_recent(d->store, w->name, EXTRACTION_CLAIMS_MAX,
	    extraction_claims_cb, &known, cause) != 0)
		return -1;
	/* The store gives the newest first; the comparing wants them oldest
	 * first, with this story's own claims after them as they come. */
	for (i = 0; i < known.n / 2; i++) {
		struct extraction_claim t = known.v[i];
		struct extract_claim_key tk = known.keys[i];

		known.v[i] = known.v[known.n - 1 - i];
		known.keys[i] = known.keys[known.n - 1 - i];
		known.v[known.n - 1 - i] = t;
		known.keys[known.n - 1 - i] = tk;
	}
	for (i = 0; i < xt->result.nclaims && rc == 0; i++) {
		c = &xt->result.claims[i];
		figures = extract_claim_figures_join(c);
		k.figures = figures;
		k.terms = c->terms != NULL ? c->terms : "";
		k.speaker_key = c->speaker_key;
		k.lang = xt->lang;
		r = extract_claim_novelty(&k, known.keys, known.n, &which);
		if (r == EXTRACT_CLAIM_REPEAT)
			rc = store_claim_repeat(d->store, known.v[which].id, now,
			    cause);
		else
			rc = extraction_claim_new(d, w, as, c, &k,
			    r == EXTRACT_CLAIM_REVISES ? &known.v[which] : NULL,
			    &known, now, cause);
		free(figures);
	}
	extraction_claims_clear(&known);
	return rc;
}

/* The year dates without one are read in: the story's, else now's. */
static int
extraction_year(const struct alert_story *as, int64_t now)
{
	time_t t = as->published > 0 ? (time_t)as->published : (time_t)now;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

void
extraction_text_init(struct extraction_text *xt, const char *lang,
    const char *title, const char *text)
{
	memset(xt, 0, sizeof *xt);
	xt->lang = lang;
	xt->title = title;
	xt->text = text;
}

void
extraction_text_clear(struct extraction_text *xt)
{
	if (xt->done)
		extract_result_clear(&xt->result);
	xt->done = 0;
}

int
extraction_watch(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, struct extraction_text *xt, int64_t now,
    char **cause)
{
	size_t i;

	if (d->extractor == NULL || !extractor_has_language(d->extractor,
	    xt->lang))
		return 0;
	if (!xt->done) {
		extract_story(d->extractor, xt->lang, xt->title, xt->text,
		    extraction_year(as, now), &xt->result);
		xt->done = 1;
	}
	for (i = 0; i < xt->result.npeople; i++) {
		if (extraction_person(d, w, as, &xt->result.people[i], now,
		    cause) != 0)
			return -1;
	}
	return extraction_claims(d, w, as, xt, now, cause);
}

int
extraction_init(struct daemon *d, char **cause)
{
	if ((d->extractor = extractor_new(cause)) == NULL)
		return -1;
	return 0;
}

void
extraction_free(struct daemon *d)
{
	extractor_free(d->extractor);
	d->extractor = NULL;
}
