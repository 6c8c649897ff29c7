/* extract_eval.c: the extractor measured on public gold sets in ../shared/corpus — UNER person names in English and Russian news, OFAC alias groups, Wikidata English–Russian name pairs. */

/*
 * A benchmark, not a test: these sets were labelled by others for their
 * own purposes (UNER marks every PER span, including names in passing
 * with no cue at all; an OFAC alias can be a nickname with nothing in
 * common with the name), so the numbers say how the extractor fares on
 * text it was not tuned on, not whether it is right.
 *
 *  - UNER (English and Russian PUD): the sentences of each document are
 *    read as one text; the PER spans (as written) are compared with the
 *    spellings of the people found, strictly (the same string) and
 *    leniently (one inside the other: "Obama" for "Barack Obama").
 *  - OFAC SDN: every individual with aliases is a group that should merge:
 *    all pairs of its names are compared with extract_name_compare; pairs
 *    of names of different individuals sharing a surname key should not.
 *  - Wikidata: each English surname token against its Russian spelling
 *    (netanyahu / нетаньяху): compared as surname-only keys; and each
 *    against the next pair's Russian token, which should not merge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract.h"

#define EVAL_MAX_SPANS	4096
#define EVAL_TEXT_MAX	(512 * 1024)

struct eval_score {
	size_t	tp, fp, fn;
	size_t	lenient_tp, lenient_fp, lenient_fn;
};

/* A document of UNER being read: its text and gold PER strings. */
struct eval_doc {
	char	*text;
	size_t	 len;
	char	*gold[EVAL_MAX_SPANS];
	size_t	 ngold;
};

static void
eval_doc_clear(struct eval_doc *d)
{
	size_t i;

	for (i = 0; i < d->ngold; i++)
		free(d->gold[i]);
	free(d->text);
	memset(d, 0, sizeof *d);
}

/* Whether list holds s. */
static int
eval_has(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], s) == 0)
			return 1;
	}
	return 0;
}

/* Whether one string lies inside the other. */
static int
eval_overlaps(const char *a, const char *b)
{
	return strstr(a, b) != NULL || strstr(b, a) != NULL;
}

/* Scores one document: gold strings against the spellings found. */
static void
eval_doc_score(struct extractor *x, const char *lang, struct eval_doc *d,
    struct eval_score *s)
{
	struct extract_result r;
	char *found[EVAL_MAX_SPANS];
	size_t nfound = 0, i, k, j;
	int hit;

	if (d->text == NULL)
		return;
	extract_story(x, lang, NULL, d->text, 2017, &r);
	for (i = 0; i < r.npeople; i++) {
		for (k = 0; k < r.people[i].nvariants; k++) {
			if (nfound < EVAL_MAX_SPANS && !eval_has(found, nfound,
			    r.people[i].variants[k]))
				found[nfound++] = r.people[i].variants[k];
		}
	}
	for (i = 0; i < d->ngold; i++) {
		if (eval_has(found, nfound, d->gold[i]))
			s->tp++;
		else
			s->fn++;
		for (hit = 0, j = 0; j < nfound && !hit; j++)
			hit = eval_overlaps(found[j], d->gold[i]);
		if (hit)
			s->lenient_tp++;
		else
			s->lenient_fn++;
	}
	for (j = 0; j < nfound; j++) {
		if (!eval_has(d->gold, d->ngold, found[j]))
			s->fp++;
		for (hit = 0, i = 0; i < d->ngold && !hit; i++)
			hit = eval_overlaps(found[j], d->gold[i]);
		if (!hit)
			s->lenient_fp++;
	}
	extract_result_clear(&r);
}

/* Appends a sentence to the document's text. */
static void
eval_doc_append(struct eval_doc *d, const char *sentence)
{
	size_t n = strlen(sentence);

	if (d->len + n + 2 > EVAL_TEXT_MAX)
		return;
	d->text = realloc(d->text, d->len + n + 2);
	if (d->text == NULL)
		fatal("realloc");
	if (d->len > 0)
		d->text[d->len++] = ' ';
	memcpy(d->text + d->len, sentence, n + 1);
	d->len += n;
}

/* Adds the PER span of tokens [first, last] of the sentence, cut out of
 * the sentence's text where its tokens are found in order. */
static void
eval_doc_span(struct eval_doc *d, const char *sentence, char **tokens,
    size_t ntokens, size_t first, size_t last)
{
	const char *p = sentence, *start = NULL, *end = NULL, *at;
	size_t i;
	char *span;

	for (i = 0; i < ntokens; i++) {
		if ((at = strstr(p, tokens[i])) == NULL)
			return;
		if (i == first)
			start = at;
		p = at + strlen(tokens[i]);
		if (i == last) {
			end = p;
			break;
		}
	}
	if (start == NULL || end == NULL || d->ngold == EVAL_MAX_SPANS)
		return;
	span = xstrndup(start, (size_t)(end - start));
	if (eval_has(d->gold, d->ngold, span))
		free(span);
	else
		d->gold[d->ngold++] = span;
}

/* Reads one IOB2 file of UNER and scores it document by document. */
static void
eval_uner(struct extractor *x, const char *path, const char *lang)
{
	struct eval_score s;
	struct eval_doc d;
	char line[8192], sentence[8192] = "", *tokens[512], *tags[512], *f;
	size_t ntokens = 0, i, first = 0, docs = 0;
	int in_span = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		printf("UNER %s: %s not found, skipped\n", lang, path);
		return;
	}
	memset(&s, 0, sizeof s);
	memset(&d, 0, sizeof d);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "# newdoc id", 11) == 0) {
			eval_doc_score(x, lang, &d, &s);
			eval_doc_clear(&d);
			docs++;
		} else if (strncmp(line, "# text = ", 9) == 0) {
			snprintf(sentence, sizeof sentence, "%s", line + 9);
		} else if (*line == '\0' && ntokens > 0) {
			/* The sentence is complete: its spans, then its text. */
			for (i = 0; i <= ntokens; i++) {
				if (in_span && (i == ntokens ||
				    strcmp(tags[i], "I-PER") != 0)) {
					eval_doc_span(&d, sentence, tokens,
					    ntokens, first, i - 1);
					in_span = 0;
				}
				if (i < ntokens && strcmp(tags[i], "B-PER") == 0) {
					in_span = 1;
					first = i;
				}
			}
			eval_doc_append(&d, sentence);
			for (i = 0; i < ntokens; i++) {
				free(tokens[i]);
				free(tags[i]);
			}
			ntokens = 0;
		} else if (*line != '#' && *line != '\0' && ntokens < 512) {
			strtok(line, "\t");
			f = strtok(NULL, "\t");
			tokens[ntokens] = xstrdup(f != NULL ? f : "");
			f = strtok(NULL, "\t");
			tags[ntokens++] = xstrdup(f != NULL ? f : "O");
		}
	}
	eval_doc_score(x, lang, &d, &s);
	eval_doc_clear(&d);
	for (i = 0; i < ntokens; i++) {
		free(tokens[i]);
		free(tags[i]);
	}
	fclose(fp);
#define P(tp, fp) ((tp) + (fp) > 0 ? (double)(tp) / (double)((tp) + (fp)) : 0)
	printf("UNER %s (%zu documents, %zu gold PER strings): strict P %.3f "
	    "R %.3f; lenient P %.3f R %.3f\n", lang, docs, s.tp + s.fn,
	    P(s.tp, s.fp), P(s.tp, s.fn), P(s.lenient_tp, s.lenient_fp),
	    P(s.lenient_tp, s.lenient_fn));
}

/* The next CSV field of OFAC's files (quoted or not); NULL at the end. */
static char *
eval_csv_field(char **p)
{
	char *start = *p, *end;

	if (start == NULL || *start == '\0' || *start == '\n')
		return NULL;
	if (*start == '"') {
		start++;
		if ((end = strchr(start, '"')) == NULL)
			return NULL;
		*end = '\0';
		*p = end + 1;
		if (**p == ',')
			(*p)++;
		return start;
	}
	end = start + strcspn(start, ",\n");
	*p = *end != '\0' ? end + 1 : end;
	*end = '\0';
	return start;
}

/* "HANIYEH, Ismail" as it is written in text: "Ismail HANIYEH". */
static char *
eval_ofac_name(const char *sdn)
{
	const char *comma = strchr(sdn, ',');
	char *name;

	if (comma == NULL)
		return xstrdup(sdn);
	xasprintf(&name, "%s %.*s", comma + 1 + strspn(comma + 1, " "),
	    (int)(comma - sdn), sdn);
	return name;
}

struct eval_person {
	long	 ent;
	char	*keys[32];
	size_t	 nkeys;
};

/* Reads the individuals of sdn.csv and their aliases from alt.csv, then
 * compares the names within and across groups. */
static void
eval_ofac(struct extractor *x, const char *dir)
{
	struct eval_person *people = NULL, *p;
	size_t n = 0, i, k, j, pairs = 0, merged = 0, across = 0, false_merges = 0;
	char line[4096], *path, *cur, *ent, *name, *type, *full;
	FILE *fp;
	long e;

	xasprintf(&path, "%s/sdn.csv", dir);
	if ((fp = fopen(path, "r")) == NULL) {
		printf("OFAC: %s not found, skipped\n", path);
		free(path);
		return;
	}
	free(path);
	while (fgets(line, sizeof line, fp) != NULL) {
		cur = line;
		ent = eval_csv_field(&cur);
		name = eval_csv_field(&cur);
		type = eval_csv_field(&cur);
		if (ent == NULL || name == NULL || type == NULL ||
		    strcmp(type, "individual") != 0)
			continue;
		people = xreallocarray(people, n + 1, sizeof *people);
		p = &people[n++];
		memset(p, 0, sizeof *p);
		p->ent = atol(ent);
		full = eval_ofac_name(name);
		p->keys[p->nkeys++] = extract_name_key(x, full, "en");
		free(full);
	}
	fclose(fp);
	xasprintf(&path, "%s/alt.csv", dir);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL) {
			cur = line;
			ent = eval_csv_field(&cur);
			(void)eval_csv_field(&cur);
			type = eval_csv_field(&cur);
			name = eval_csv_field(&cur);
			if (ent == NULL || type == NULL || name == NULL ||
			    strcmp(type, "aka") != 0)
				continue;
			e = atol(ent);
			for (i = 0; i < n && people[i].ent != e; i++)
				;
			if (i == n || people[i].nkeys == 32)
				continue;
			full = eval_ofac_name(name);
			people[i].keys[people[i].nkeys++] =
			    extract_name_key(x, full, "en");
			free(full);
		}
		fclose(fp);
	}
	free(path);
	for (i = 0; i < n; i++) {
		for (k = 0; k < people[i].nkeys; k++) {
			for (j = k + 1; j < people[i].nkeys; j++) {
				pairs++;
				merged += extract_name_compare(people[i].keys[k],
				    people[i].keys[j]) != EXTRACT_NAME_DIFFERENT;
			}
		}
	}
	/* Across individuals: the first names of the ones whose surname
	 * keys are equal, where a false merge can happen at all. */
	for (i = 0; i < n; i++) {
		const char *si = strchr(people[i].keys[0], '|');

		for (k = i + 1; k < n; k++) {
			const char *sk = strchr(people[k].keys[0], '|');

			if (si == NULL || sk == NULL || strcmp(si, sk) != 0)
				continue;
			across++;
			false_merges += extract_name_compare(people[i].keys[0],
			    people[k].keys[0]) == EXTRACT_NAME_SAME;
		}
	}
	printf("OFAC SDN: %zu individuals; %zu of %zu alias pairs of one "
	    "person merged (%.3f); %zu of %zu pairs of distinct people "
	    "with one surname merged (%.4f)\n", n, merged, pairs,
	    pairs > 0 ? (double)merged / (double)pairs : 0, false_merges,
	    across, across > 0 ? (double)false_merges / (double)across : 0);
	for (i = 0; i < n; i++) {
		for (k = 0; k < people[i].nkeys; k++)
			free(people[i].keys[k]);
	}
	free(people);
}

/* English and Russian spellings of Wikidata name tokens. */
static void
eval_wikidata(struct extractor *x, const char *path)
{
	char line[1024], *en, *ru, *out, *key_en, *key_ru, *prev_ru = NULL;
	size_t pairs = 0, merged = 0, long_pairs = 0, long_merged = 0;
	size_t wrong = 0, wrong_merged = 0, i, o;
	enum extract_name_match m;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		printf("Wikidata: %s not found, skipped\n", path);
		return;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		en = strtok(line, "\t");
		ru = strtok(NULL, "\t");
		if (en == NULL || ru == NULL)
			continue;
		/* The Russian side is spelled one letter a space. */
		out = xmalloc(strlen(ru) + 1);
		for (i = o = 0; ru[i] != '\0'; i++) {
			if (ru[i] != ' ')
				out[o++] = ru[i];
		}
		out[o] = '\0';
		key_en = extract_name_key(x, en, "en");
		key_ru = extract_name_key(x, out, "ru");
		m = extract_name_compare(key_en, key_ru);
		pairs++;
		merged += m != EXTRACT_NAME_DIFFERENT;
		if (strlen(en) >= 6) {
			long_pairs++;
			long_merged += m != EXTRACT_NAME_DIFFERENT;
		}
		if (prev_ru != NULL) {
			wrong++;
			wrong_merged += extract_name_compare(key_en, prev_ru) !=
			    EXTRACT_NAME_DIFFERENT;
		}
		free(prev_ru);
		prev_ru = key_ru;
		free(key_en);
		free(out);
	}
	free(prev_ru);
	fclose(fp);
	printf("Wikidata en-ru name tokens: %zu of %zu merged (%.3f); of 6 "
	    "letters or more %.3f; %zu of %zu mismatched pairs merged "
	    "(%.4f)\n", merged, pairs, pairs > 0 ? (double)merged /
	    (double)pairs : 0, long_pairs > 0 ? (double)long_merged /
	    (double)long_pairs : 0, wrong_merged, wrong, wrong > 0 ?
	    (double)wrong_merged / (double)wrong : 0);
}

int
main(int argc, char **argv)
{
	struct extractor *x;
	char *cause = NULL, *path;

	log_init(LOG_STYLE_TOOL, "extract_eval", 0);
	if (argc != 2) {
		fprintf(stderr, "usage: extract_eval SHARED_CORPUS_DIR\n");
		return 2;
	}
	if ((x = extractor_new(&cause)) == NULL)
		fatalx("%s", cause);
	xasprintf(&path, "%s/uner-pud-english/en_pud-ud-test.iob2", argv[1]);
	eval_uner(x, path, "en");
	free(path);
	xasprintf(&path, "%s/uner-pud-russian/ru_pud-ud-test.iob2", argv[1]);
	eval_uner(x, path, "ru");
	free(path);
	xasprintf(&path, "%s/ofac-sdn-watchman", argv[1]);
	eval_ofac(x, path);
	free(path);
	xasprintf(&path, "%s/wikidata-name-translit/wd_russian_20", argv[1]);
	eval_wikidata(x, path);
	free(path);
	extractor_free(x);
	return 0;
}
