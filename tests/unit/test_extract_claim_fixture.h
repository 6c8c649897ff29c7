/* test_extract_claim_fixture.h: what the claim tests share — a text read by the claims pass with the names given by hand, and a watch's novelty run. */
#ifndef WW_TEST_EXTRACT_CLAIM_FIXTURE_H
#define WW_TEST_EXTRACT_CLAIM_FIXTURE_H

/*
 * Include after <cmocka.h>. The claims pass reads the names the people
 * pass found (t->mentions); here they are given by hand, so the claim
 * tests pin what claim.c decides whatever people.c finds. Every helper is
 * static inline so that a test file uses what it needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "tests/unit/support/test_support.h"

/* A name of the text: kind 'P' (person), 'O' (organisation), 'L'
 * (place); variants "Maxim Kharkin|Harkin", fullest first; a person's key. */
struct cfx_name {
	char		 kind;
	const char	*variants;
	const char	*key;
};

struct cfx {
	struct extract_claims	*claims;
	struct text_stemmer	*stemmer;
	struct extract_text	 t;
	struct extract_result	 out;
	char			*text;
	unsigned char		*taken;
};

static inline int
cfx_mention_cmp(const void *a, const void *b)
{
	const struct extract_mention *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Adds a mention of every place each variant is written, longest names
 * first as listed (no mention overlaps another). */
static inline void
cfx_mentions(struct cfx *f, const struct cfx_name *names)
{
	struct extract_person *p;
	struct extract_mention *m;
	const struct cfx_name *n;
	char *variants, *v, *save;
	const char *at;
	size_t person = 0, len, k;
	int clash;

	for (n = names; n != NULL && n->kind != '\0'; n++) {
		variants = xstrdup(n->variants);
		if (n->kind == 'P') {
			f->out.people = xreallocarray(f->out.people,
			    f->out.npeople + 1, sizeof *f->out.people);
			p = &f->out.people[f->out.npeople];
			memset(p, 0, sizeof *p);
			len = strcspn(variants, "|");
			p->name = xstrndup(variants, len);
			p->key = xstrdup(n->key);
			person = f->out.npeople++;
		}
		for (v = strtok_r(variants, "|", &save); v != NULL;
		    v = strtok_r(NULL, "|", &save)) {
			len = strlen(v);
			for (at = strstr(f->text, v); at != NULL;
			    at = strstr(at + 1, v)) {
				clash = 0;
				for (k = 0; k < len; k++)
					clash |= f->taken[at - f->text + k];
				if (clash)
					continue;
				memset(f->taken + (at - f->text), 1, len);
				f->t.mentions = xreallocarray(f->t.mentions,
				    f->t.nmentions + 1, sizeof *f->t.mentions);
				m = &f->t.mentions[f->t.nmentions++];
				m->offset = (uint32_t)(at - f->text);
				m->len = (uint32_t)len;
				m->kind = n->kind == 'P' ? EXTRACT_SPAN_PERSON :
				    n->kind == 'O' ? EXTRACT_SPAN_ORGANISATION :
				    EXTRACT_SPAN_PLACE;
				m->person = person;
			}
		}
		free(variants);
	}
	if (f->t.nmentions > 0)
		qsort(f->t.mentions, f->t.nmentions, sizeof *f->t.mentions,
		    cfx_mention_cmp);
}

/* Reads title and body as extract_story joins them, with names, through
 * the claims pass. */
static inline void
cfx_read(struct cfx *f, const char *lang, int year, const char *title,
    const char *body, const struct cfx_name *names)
{
	char *cause = NULL;

	memset(f, 0, sizeof *f);
	f->claims = extract_claims_new(&cause);
	assert_non_null(f->claims);
	f->stemmer = text_stemmer_new();
	if (title != NULL)
		xasprintf(&f->text, "%s\n\n%s", title, body);
	else
		f->text = xstrdup(body);
	f->t.lang = lang;
	f->t.text = f->text;
	f->t.len = strlen(f->text);
	f->t.year = year;
	f->taken = xcalloc(f->t.len + 1, 1);
	text_sentences(f->t.text, f->t.len, &f->t.sentences,
	    &f->t.nsentences);
	text_tokenize(f->t.text, f->t.len, &f->t.tokens);
	cfx_mentions(f, names);
	extract_claims_find(f->claims, f->stemmer, &f->t, &f->out);
}

/* Reads a file whose first line is the title and the rest the body (the
 * seed's and the fixtures' shape). */
static inline void
cfx_read_file(struct cfx *f, const char *lang, int year, char *buf,
    const struct cfx_name *names)
{
	char *nl, *body;

	if ((nl = strchr(buf, '\n')) == NULL) {
		cfx_read(f, lang, year, NULL, buf, names);
		return;
	}
	*nl = '\0';
	for (body = nl + 1; *body == '\n' || *body == '\r'; body++)
		;
	cfx_read(f, lang, year, buf, body, names);
}

static inline void
cfx_clear(struct cfx *f)
{
	extract_result_clear(&f->out);
	extract_claims_free(f->claims);
	text_stemmer_free(f->stemmer);
	text_tokens_clear(&f->t.tokens);
	free(f->t.sentences);
	free(f->t.mentions);
	free(f->taken);
	free(f->text);
}

/* The claim whose sentence holds s, or NULL. */
static inline const struct extract_claim *
cfx_claim(const struct extract_result *out, const char *s)
{
	size_t i;

	for (i = 0; i < out->nclaims; i++) {
		if (strstr(out->claims[i].text, s) != NULL)
			return &out->claims[i];
	}
	return NULL;
}

/* Fails unless the claim holding s exists (and returns it). */
static inline const struct extract_claim *
cfx_must_claim(const struct extract_result *out, const char *s)
{
	const struct extract_claim *c = cfx_claim(out, s);

	if (c == NULL)
		fail_msg("no claim holds \"%s\"", s);
	return c;
}

/* Returns 1 when claim c has figure fig. */
static inline int
cfx_has_figure(const struct extract_claim *c, const char *fig)
{
	size_t i;

	for (i = 0; i < c->nfigures; i++) {
		if (strcmp(c->figures[i], fig) == 0)
			return 1;
	}
	return 0;
}

/* Returns 1 when some claim has figure fig. */
static inline int
cfx_any_figure(const struct extract_result *out, const char *fig)
{
	size_t i;

	for (i = 0; i < out->nclaims; i++) {
		if (cfx_has_figure(&out->claims[i], fig))
			return 1;
	}
	return 0;
}

/* The figures of the only claim of one sentence, joined with '\t' (""
 * when it is no claim). Caller frees. */
static inline char *
cfx_figures(const char *lang, int year, const char *sentence)
{
	struct cfx f;
	char *s;

	cfx_read(&f, lang, year, NULL, sentence, NULL);
	s = f.out.nclaims > 0 ? extract_claim_figures_join(&f.out.claims[0]) :
	    xstrdup("");
	cfx_clear(&f);
	return s;
}

/*
 * Runs the claims of out through extract_claim_compare in order, as a
 * watch would: each against every earlier one, a repeat of any is a
 * repeat, else a revision of any is a revision. Fills verdicts[i] and,
 * when against is not NULL, the claim each repeats or revises.
 */
static inline void
cfx_watch(const struct extract_result *out, const char *lang,
    enum extract_novelty *verdicts, size_t *against)
{
	struct extract_claim_key ka, kb;
	enum extract_novelty v;
	char *fa, *fb;
	size_t i, k;

	for (i = 0; i < out->nclaims; i++) {
		fa = extract_claim_figures_join(&out->claims[i]);
		ka.figures = fa;
		ka.terms = out->claims[i].terms;
		ka.speaker_key = out->claims[i].speaker_key;
		ka.lang = lang;
		verdicts[i] = EXTRACT_CLAIM_NEW;
		for (k = 0; k < i; k++) {
			fb = extract_claim_figures_join(&out->claims[k]);
			kb.figures = fb;
			kb.terms = out->claims[k].terms;
			kb.speaker_key = out->claims[k].speaker_key;
			kb.lang = lang;
			v = extract_claim_compare(&ka, &kb);
			free(fb);
			if (v == EXTRACT_CLAIM_NEW ||
			    (v == EXTRACT_CLAIM_REVISES &&
			    verdicts[i] == EXTRACT_CLAIM_REVISES))
				continue;
			verdicts[i] = v;
			if (against != NULL)
				against[i] = k;
			if (v == EXTRACT_CLAIM_REPEAT)
				break;
		}
		free(fa);
	}
}

/* The seed's names (../shared/seed), as the people pass should find them. */
static const struct cfx_name cfx_seed_names[] = {
	{ 'P', "Maxim Kharkin|Harkin|Maxim", "maksim|harkin" },
	{ 'P', "Alexander Trufanov", "aleksandr|trufanov" },
	{ 'P', "Maria Zakharova", "mariya|zaharova" },
	{ 'P', "Benjamin Netanyahu|Netanyahu", "benyamin|netanyahu" },
	{ 'P', "Musa Abu Marzouk", "musa|abu marzuk" },
	{ 'P', "Hazem Qassem", "hazem|qasem" },
	{ 'P', "Abdel Latif al-Kanua", "abdel latif|kanua" },
	{ 'P', "Steve Witkoff|Witkoff", "stiv|vitkov" },
	{ 'P', "Adam Boiler", "adam|boiler" },
	{ 'P', "Mohammed Al\xe2\x80\x94Masri", "muhammad|masri" },
	{ 'P', "Trump", "|tramp" },
	{ 'O', "Hamas", NULL },
	{ 'O', "Izvestia", NULL },
	{ 'O', "the Times of Israel", NULL },
	{ 'O', "Asharq Al-Awsat", NULL },
	{ 'O', "The Wall Street Journal", NULL },
	{ 'O', "The New York Times", NULL },
	{ 'O', "I24", NULL },
	{ 'O', "Russian Foreign Ministry", NULL },
	{ 'L', "Donbass", NULL },
	{ 'L', "Doha", NULL },
	{ 'L', "Qatar", NULL },
	{ 'L', "Washington", NULL },
	{ 'L', "Gaza Strip", NULL },
	{ 'L', "Gaza", NULL },
	{ 'L', "Russia", NULL },
	{ 'L', "Israel", NULL },
	{ 'L', "United States", NULL },
	{ 'L', "Moscow", NULL },
	{ '\0', NULL, NULL },
};

/* The names of tests/data/extract/claims-en.txt. */
static const struct cfx_name cfx_fixture_names[] = {
	{ 'P', "Oleg Petrenko|Petrenko", "oleg|petrenko" },
	{ 'P', "Ivan Sokolenko", "ivan|sokolenko" },
	{ 'P', "Olena Kovalchuk", "olena|kovalchuk" },
	{ 'P', "Taras Bondar|Bondar", "taras|bondar" },
	{ 'P', "Andriy Hrytsenko", "andrei|hritsenko" },
	{ 'P', "Pavlo Savchuk", "pavel|savchuk" },
	{ 'P', "Kemal Aydin", "kemal|aidin" },
	{ 'P', "Serhiy Marchenko", "sergei|marchenko" },
	{ 'O', "Reuters", NULL },
	{ 'O', "the Kyiv Independent", NULL },
	{ 'O', "Hurriyet", NULL },
	{ 'O', "The Financial Times", NULL },
	{ 'O', "The Economist", NULL },
	{ 'O', "United Nations", NULL },
	{ 'O', "Ukrainian Foreign Ministry", NULL },
	{ 'L', "Turkey", NULL },
	{ 'L', "Kyiv", NULL },
	{ 'L', "Odesa", NULL },
	{ 'L', "Ukraine", NULL },
	{ 'L', "Moscow", NULL },
	{ 'L', "Black Sea", NULL },
	{ '\0', NULL, NULL },
};

#endif
