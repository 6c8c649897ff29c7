/* fuzz_extract.c: libFuzzer target for the extract stage — people, name keys, claims and novelty on hostile text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Made once: the cue tables and transliterators are the slow part. */
static struct extractor	*fuzz_extractor;

/* What must hold of any result, whatever the text. */
static void
fuzz_check(const struct extract_result *r)
{
	struct extract_claim_key k;
	char *figures;
	size_t i, which;

	if (r->npeople > EXTRACT_MAX_PEOPLE || r->nclaims > EXTRACT_MAX_CLAIMS)
		abort();
	for (i = 0; i < r->npeople; i++) {
		if (r->people[i].name == NULL || *r->people[i].name == '\0' ||
		    strlen(r->people[i].name) > EXTRACT_MAX_NAME ||
		    r->people[i].nvariants > EXTRACT_MAX_VARIANTS ||
		    r->people[i].key == NULL ||
		    strchr(r->people[i].key, '|') == NULL)
			abort();
		if (extract_name_compare(r->people[i].key,
		    r->people[i].key) == EXTRACT_NAME_DIFFERENT)
			abort();
	}
	for (i = 0; i < r->nclaims; i++) {
		if (r->claims[i].text == NULL ||
		    r->claims[i].nfigures > EXTRACT_MAX_FIGURES)
			abort();
		figures = extract_claim_figures_join(&r->claims[i]);
		k.figures = figures;
		k.terms = r->claims[i].terms != NULL ? r->claims[i].terms : "";
		k.speaker_key = r->claims[i].speaker_key;
		k.lang = "en";
		/* A claim is a repeat of itself. */
		if (extract_claim_novelty(&k, &k, 1, &which) !=
		    EXTRACT_CLAIM_REPEAT)
			abort();
		free(figures);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct extract_result r;
	char *text, *key, *cause = NULL;
	const char *lang, *body;
	size_t nl;

	if (fuzz_extractor == NULL &&
	    (fuzz_extractor = extractor_new(&cause)) == NULL)
		abort();
	if (size == 0)
		return 0;
	lang = data[0] & 1 ? "ru" : "en";
	/* The first line is the title, the rest the text. */
	text = xstrndup((const char *)data + 1, size - 1);
	nl = strcspn(text, "\n");
	body = "";
	if (text[nl] == '\n') {
		text[nl] = '\0';
		body = text + nl + 1;
	}
	extract_story(fuzz_extractor, lang, text, body, 2025, &r);
	fuzz_check(&r);
	extract_result_clear(&r);
	if (nl <= EXTRACT_MAX_NAME) {
		key = extract_name_key(fuzz_extractor, text, lang);
		if (key != NULL && extract_name_compare(key, key) ==
		    EXTRACT_NAME_DIFFERENT && strchr(key, '|')[1] != '\0')
			abort();
		free(key);
	}
	free(text);
	return 0;
}
