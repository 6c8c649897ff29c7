/* extract.c: the extractor — one text through the people pass, then the claims pass that uses its names. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"

struct extractor {
	struct extract_people	*people;
	struct extract_names	*names;
	struct extract_claims	*claims;
	struct text_stemmer	*stemmer;
};

struct extractor *
extractor_new(char **cause)
{
	struct extractor *x;

	x = xcalloc(1, sizeof *x);
	x->stemmer = text_stemmer_new();
	if ((x->names = extract_names_new(cause)) == NULL ||
	    (x->people = extract_people_new(x->names, x->stemmer,
	    cause)) == NULL ||
	    (x->claims = extract_claims_new(cause)) == NULL) {
		extractor_free(x);
		return NULL;
	}
	return x;
}

void
extractor_free(struct extractor *x)
{
	if (x == NULL)
		return;
	extract_claims_free(x->claims);
	extract_people_free(x->people);
	extract_names_free(x->names);
	text_stemmer_free(x->stemmer);
	free(x);
}

int
extractor_has_language(const struct extractor *x, const char *lang)
{
	return lang != NULL && extract_people_has_language(x->people, lang);
}

struct extract_names *
extractor_names(struct extractor *x)
{
	return x->names;
}

char *
extract_name_key(struct extractor *x, const char *name, const char *lang)
{
	return extract_names_key(x->names, name, lang);
}

/* Joins title and text as one text, the title its own paragraph, within
 * TEXT_MAX_BYTES. Caller frees. */
static char *
extract_join(const char *title, const char *text, size_t *len)
{
	size_t tl = title != NULL ? strlen(title) : 0;
	size_t bl = text != NULL ? strlen(text) : 0;
	char *s;

	if (tl > TEXT_MAX_BYTES)
		tl = TEXT_MAX_BYTES;
	if (bl > TEXT_MAX_BYTES - tl)
		bl = TEXT_MAX_BYTES - tl;
	s = xmalloc(tl + bl + 3);
	memcpy(s, title != NULL ? title : "", tl);
	*len = tl;
	if (tl > 0 && bl > 0) {
		memcpy(s + *len, "\n\n", 2);
		*len += 2;
	}
	memcpy(s + *len, text != NULL ? text : "", bl);
	*len += bl;
	s[*len] = '\0';
	return s;
}

void
extract_story(struct extractor *x, const char *lang, const char *title,
    const char *text, int year, struct extract_result *out)
{
	struct extract_text t;
	char *joined;

	memset(out, 0, sizeof *out);
	if (!extractor_has_language(x, lang))
		return;
	memset(&t, 0, sizeof t);
	joined = extract_join(title, text, &t.len);
	t.lang = lang;
	t.text = joined;
	t.year = year;
	text_sentences(t.text, t.len, &t.sentences, &t.nsentences);
	text_tokenize(t.text, t.len, &t.tokens);
	extract_people_find(x->people, x, &t, out);
	extract_claims_find(x->claims, x->stemmer, &t, out);
	free(t.mentions);
	free(t.sentences);
	text_tokens_clear(&t.tokens);
	free(joined);
}

/* Frees a list of count strings. */
static void
extract_strings_free(char **v, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(v[i]);
	free(v);
}

void
extract_result_clear(struct extract_result *r)
{
	struct extract_person *p;
	struct extract_claim *c;
	size_t i;

	for (i = 0; i < r->npeople; i++) {
		p = &r->people[i];
		free(p->name);
		extract_strings_free(p->variants, p->nvariants);
		free(p->key);
		free(p->evidence);
	}
	for (i = 0; i < r->nclaims; i++) {
		c = &r->claims[i];
		free(c->text);
		free(c->speaker);
		free(c->speaker_key);
		free(c->source);
		extract_strings_free(c->figures, c->nfigures);
		free(c->terms);
	}
	free(r->people);
	free(r->claims);
	memset(r, 0, sizeof *r);
}
