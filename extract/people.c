/* extract/people.c: the people of a text — capitalised name runs told from organisations and places by cue tables and gazetteers, their mentions joined into persons. */

/*
 * No tagger runs here, so a person is what news writing marks as one. The
 * text's tokens are read once (people_scan): capitalised or not, in the
 * language's script or not, joined to the next by a space, a hyphen or a
 * dash, or cut from it by punctuation. Gazetteers go first
 * (people_gazetteer): organisations, outlets and places of the cue tables,
 * of data/regions.txt (states, provinces, federal subjects, regions) and
 * of ICU's locale data (places.c), longest match first and through the
 * language's case endings ("Белоруссией"), so "the Times of Israel" or
 * "Asharq Al-Awsat" are never read as people; but a one-word place that
 * is a given name before a known surname starts a name ("Israel Katz").
 * What is left of each capitalised run (people_runs), or two initials and
 * a name ("JD Vance"), loses its titles, demonyms and function words
 * ("Saudi Energy Minister Prince Abdulaziz bin Salman"), is cut in two
 * where a given name starts a second name, and names no person when it has
 * an organisation word ("Foreign Ministry", "Affordable Care Act"), a
 * place word ("Gaza Strip"), or a place word or preposition before it
 * ("kibbutz Nir Oz", "in Doha"). A run that starts a sentence with a word
 * that is no given name and comes out as nothing is read again without
 * that word ("Встреча Путина"). A generational suffix stays in the name
 * with its full stop ("Donald Trump Jr.").
 *
 * A run of two or more words is a person when the evidence adds up
 * (people_score): a given name of the lists first, a title or role before
 * it (past organisations, places and acronyms: "секретарь СНБО X"), a
 * reporting verb after it or "according to" before it, an apposition
 * after it (", a Palestinian security expert", ", 36,"), a known surname
 * or a given name last, a place of origin after it ("Rand Paul of
 * Kentucky"). A single word needs a title or an apposition, or must be a
 * known surname (of the list, or by a surname's ending: "Medinsky")
 * mid-sentence ("the Trump team"), or at a sentence's start one that is no
 * common word or has a reporting verb after it. A given name alone
 * ("Maxim's") joins a person of the text, and is a person itself only
 * with a title or apposition ("his brother Iair"), or beside a kinsman
 * whose surname its key then takes ("Eitan Horn, whose brother Iair",
 * "Gali and Ziv Berman"). A word capitalised at a sentence's start that is
 * written in lower case elsewhere in the text is a common word, whatever
 * the lists say.
 *
 * Mentions are joined within the text by their name keys (name.c): full
 * names first, then surnames alone (each to the person named last before
 * it, or first after it), then given names alone; last, a word alone
 * joined by "and" to a person is one too ("Путина и Зеленского").
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "extract/names.h"
#include "extract/places.h"

/* Words of a name, particles not counted; a longer run is a title of a
 * work or an organisation, not a name. */
#define PEOPLE_MAX_WORDS	4
/* Bytes of an evidence sentence kept. */
#define PEOPLE_MAX_EVIDENCE	1024
/* Tokens looked at around a name for its cues. */
#define PEOPLE_CUE_WINDOW	4

/* What a gazetteer entry is. */
enum people_gaz_kind {
	PEOPLE_GAZ_ORG = 1,
	PEOPLE_GAZ_PLACE,
};

struct people_gaz {
	char			*s;		/* folded words (stemmed: see lang) */
	enum people_gaz_kind	 kind;
};

/* The cue tables of one language. */
struct people_lang {
	const char		*code;
	int			 cyrillic;	/* names are in Cyrillic, else Latin */
	int			 stem;		/* cues compared by stems */
	struct extract_list	 particles;
	struct extract_list	 titles;
	struct extract_list	 title_ends;	/* last words of the titles */
	struct extract_list	 reporting;
	struct extract_list	 before;
	struct extract_list	 not_person;
	struct extract_list	 demonyms;
	struct extract_list	 org_words;
	struct extract_list	 place_words;
	struct extract_list	 place_before;
	struct extract_list	 place_preps;	/* "in Doha" */
	struct extract_list	 title_links;	/* "Secretary of State" */
	struct extract_list	 and;		/* words that join two names */
	struct extract_list	 name_endings;	/* case endings of proper names */
	struct extract_list	 adjective_endings;
	struct extract_list	 surname_endings;	/* -sky, -enko */
	struct extract_list	 origin;	/* "of": a place follows */
	struct extract_list	 kin;		/* brother, son, wife */
	struct extract_list	 kin_whose;	/* "X, whose brother Y" */
	struct people_gaz	*gaz;		/* sorted by s */
	size_t			 ngaz;
	size_t			 gaz_words;
};

/* How a token is joined to the next. */
enum people_join {
	PEOPLE_BREAK = 0,	/* punctuation, a new line, another sentence */
	PEOPLE_SPACE,		/* spaces only */
	PEOPLE_DASH,		/* a hyphen or dash, no space */
};

/* Token flags. */
#define PT_CAP		0x01	/* starts with a capital letter */
#define PT_ALLCAPS	0x02	/* two letters or more, all capitals */
#define PT_SCRIPT	0x04	/* letters of the language's script */
#define PT_DIGIT	0x08	/* has a digit */
#define PT_START	0x10	/* first word of its sentence */
#define PT_ORG		0x20	/* in an organisation's name */
#define PT_PLACE	0x40	/* in a place's name */
#define PT_WEAK		0x80	/* in a title written in Title Case */

/* What the people pass knows of one token. */
struct people_tok {
	uint32_t	flags;
	uint32_t	sentence;
	enum people_join join;
	int32_t		stem;		/* offset in the stem buffer, -1 unknown */
	uint32_t	stem_len;
};

/* A name run found in the text. */
struct people_cand {
	size_t	 s, e;		/* tokens [s, e) */
	uint32_t offset, len;	/* bytes in the text */
	int	 words;		/* words, particles not counted */
	int	 given;		/* the first word is a given name */
	int	 given_only;	/* one word, a given name and no surname */
	int	 strong;	/* evidence enough to be a person alone */
	int	 common;	/* a surname that is also a common word */
	char	*key;
	size_t	 person;
	int	 linked;
};

/* A person being built. */
struct people_person {
	size_t	 first;		/* candidate of the first mention */
	size_t	 best;		/* candidate with the most words */
	char	*key;		/* that candidate's key */
	int	 kin;		/* a given name alone with a kinsman's
				   surname in key (people_kin) */
};

struct extract_people {
	struct extract_names	*names;		/* the extractor's */
	struct text_stemmer	*stemmer;	/* the extractor's */
	struct people_lang	 langs[8];
	size_t			 nlangs;
	char			**surnames;	/* key forms, sorted */
	size_t			 nsurnames;
	char			**skeletons;	/* their consonant skeletons */
	size_t			 nskeletons;
	struct extract_list	 common;	/* surnames that are common words */
	/* Scratch kept between texts. */
	struct people_tok	*tok;
	size_t			 tok_cap;
	char			*stems;
	size_t			 stems_len, stems_cap;
	uint64_t		*lower;		/* hashes of lower-case words */
	size_t			 lower_cap;
};

/* Orders gazetteer entries. */
static int
people_gaz_cmp(const void *a, const void *b)
{
	return strcmp(((const struct people_gaz *)a)->s,
	    ((const struct people_gaz *)b)->s);
}

/* Orders strings for qsort and bsearch. */
static int
people_strcmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* The consonant skeleton of a key form (vowel runs as one '.'). */
static void
people_skeleton(const char *s, char *out, size_t cap)
{
	size_t	o = 0;

	for (; *s != '\0' && o + 1 < cap; s++) {
		if (strchr("aeiou", *s) != NULL) {
			if (o == 0 || out[o - 1] != '.')
				out[o++] = '.';
		} else
			out[o++] = *s;
	}
	out[o] = '\0';
}

/*
 * The length of a folded proper name without its case ending, by the
 * [name-endings] of the language: the longest ending listed of two
 * letters or more, then any one-letter endings ("китая", "китай" and
 * "китаю" are all "кит"). Why not Snowball: it stems common words well but
 * names badly (it makes "китай" "кита" and "китая" "кит"). At least four
 * bytes stay.
 */
static size_t
people_name_len(const struct extract_list *endings, const char *w, size_t len)
{
	size_t	k, best = 0;

	if (endings->count == 0)
		return len;
	for (k = 3; k <= 8 && k + 4 <= len; k++)
		if ((w[len - k] & 0xc0) != 0x80 &&
		    extract_list_has(endings, w + len - k, k))
			best = k;
	len -= best;
	for (;;) {
		k = len >= 2 && (w[len - 2] & 0xc0) != 0x80 &&
		    (w[len - 1] & 0xc0) == 0x80 ? 2 : 1;
		if (len < k + 4 || !extract_list_has(endings, w + len - k, k))
			break;
		len -= k;
	}
	return len;
}

/*
 * Rewrites the entries of a loaded list as the tokenizer and, in a
 * stemming language, the stemmer see them, so a cue matches the words of a
 * text exactly ("Asharq Al-Awsat" is three tokens).
 */
static void
people_list_normalise(struct extract_people *p, struct extract_list *l,
    const char *lang, int stem, const struct extract_list *endings)
{
	struct text_tokens	 tt;
	char			 buf[512];
	size_t			 i, k, o, n = 0, sl;
	const char		*st;

	memset(&tt, 0, sizeof tt);
	for (i = 0; i < l->count; i++) {
		tt.count = tt.buf_len = 0;
		text_tokenize(l->entries[i], strlen(l->entries[i]), &tt);
		o = 0;
		for (k = 0; k < tt.count; k++) {
			st = tt.tokens[k].word;
			sl = tt.tokens[k].len;
			if (endings != NULL && endings->count > 0)
				sl = people_name_len(endings, st, sl);
			else if (stem)
				st = text_stem(p->stemmer, lang, st, sl, &sl);
			if (o + sl + 2 >= sizeof buf)
				break;
			if (o > 0)
				buf[o++] = ' ';
			memcpy(buf + o, st, sl);
			o += sl;
		}
		buf[o] = '\0';
		free(l->entries[i]);
		l->entries[i] = xstrdup(buf);
		if (tt.count > l->max_words)
			l->max_words = tt.count;
	}
	text_tokens_clear(&tt);
	if (l->count == 0)
		return;
	qsort(l->entries, l->count, sizeof *l->entries, people_strcmp);
	for (i = 0; i < l->count; i++) {
		if (l->entries[i][0] == '\0' || (n > 0 &&
		    strcmp(l->entries[n - 1], l->entries[i]) == 0)) {
			free(l->entries[i]);
			continue;
		}
		l->entries[n++] = l->entries[i];
	}
	l->count = n;
}

/* Fills ends with the last word of every entry of list, sorted. */
static void
people_list_ends(const struct extract_list *list, struct extract_list *ends)
{
	const char	*sp;
	size_t		 i, n = 0;

	ends->entries = xreallocarray(NULL, list->count + 1,
	    sizeof *ends->entries);
	for (i = 0; i < list->count; i++) {
		sp = strrchr(list->entries[i], ' ');
		ends->entries[i] = xstrdup(sp != NULL ? sp + 1 :
		    list->entries[i]);
	}
	if (list->count > 0)
		qsort(ends->entries, list->count, sizeof *ends->entries,
		    people_strcmp);
	for (i = 0; i < list->count; i++) {
		if (n > 0 && strcmp(ends->entries[n - 1], ends->entries[i]) ==
		    0) {
			free(ends->entries[i]);
			continue;
		}
		ends->entries[n++] = ends->entries[i];
	}
	ends->count = n;
	ends->max_words = 1;
}

/* Adds the entries of a list to the language's gazetteer as kind. */
static void
people_gaz_add(struct people_lang *l, struct extract_list *list,
    enum people_gaz_kind kind)
{
	size_t	i;

	l->gaz = xreallocarray(l->gaz, l->ngaz + list->count, sizeof *l->gaz);
	for (i = 0; i < list->count; i++) {
		l->gaz[l->ngaz].s = list->entries[i];
		l->gaz[l->ngaz].kind = kind;
		l->ngaz++;
		list->entries[i] = NULL;
	}
	if (list->max_words > l->gaz_words)
		l->gaz_words = list->max_words;
	free(list->entries);
	memset(list, 0, sizeof *list);
}

/* Loads one section of a cue file into list, normalised. */
static int
people_load(struct extract_people *p, struct people_lang *l,
    struct extract_list *list, const char *file, const char *section,
    char **cause)
{
	if (extract_list_load(list, file, section, cause) != 0)
		return -1;
	people_list_normalise(p, list, l->code, l->stem, NULL);
	return 0;
}

/* Loads the cue tables of one language. */
static int
people_lang_load(struct extract_people *p, struct people_lang *l,
    const char *code, char **cause)
{
	struct extract_list	 opt, org, out, place;
	char			 file[64];

	l->code = code;
	snprintf(file, sizeof file, "cues/people-%s.txt", code);
	memset(&opt, 0, sizeof opt);
	if (extract_list_load(&opt, file, "script", cause) != 0)
		return -1;
	l->cyrillic = extract_list_has(&opt, "cyrillic", 8);
	extract_list_clear(&opt);
	extract_list_load(&opt, file, "options", NULL);
	l->stem = extract_list_has(&opt, "stem", 4) &&
	    text_stemmer_has(p->stemmer, code);
	extract_list_clear(&opt);
	memset(&org, 0, sizeof org);
	memset(&out, 0, sizeof out);
	memset(&place, 0, sizeof place);
	if (extract_list_load(&l->name_endings, file, "name-endings",
	    cause) != 0 || extract_list_load(&l->adjective_endings, file,
	    "adjective-endings", cause) != 0 ||
	    extract_list_load(&l->surname_endings, file, "surname-endings",
	    cause) != 0 ||
	    people_load(p, l, &l->origin, file, "origin", cause) != 0 ||
	    people_load(p, l, &l->kin, file, "kin", cause) != 0 ||
	    people_load(p, l, &l->kin_whose, file, "kin-whose", cause) != 0 ||
	    extract_list_load(&l->particles, file, "particles", cause) != 0 ||
	    people_load(p, l, &l->titles, file, "titles", cause) != 0 ||
	    people_load(p, l, &l->reporting, file, "reporting", cause) != 0 ||
	    people_load(p, l, &l->before, file, "reporting-before", cause) != 0 ||
	    people_load(p, l, &l->not_person, file, "not-person", cause) != 0 ||
	    people_load(p, l, &l->demonyms, file, "demonyms", cause) != 0 ||
	    people_load(p, l, &l->org_words, file, "org-words", cause) != 0 ||
	    people_load(p, l, &l->place_words, file, "place-words", cause) != 0 ||
	    people_load(p, l, &l->place_before, file, "place-before",
	    cause) != 0 || people_load(p, l, &l->and, file, "and", cause) != 0 ||
	    people_load(p, l, &l->place_preps, file, "place-prepositions",
	    cause) != 0 || people_load(p, l, &l->title_links, file,
	    "title-links", cause) != 0 ||
	    extract_list_load(&org, file, "organisations", cause) != 0 ||
	    extract_list_load(&out, file, "outlets", cause) != 0 ||
	    extract_list_load(&place, file, "places", cause) != 0 ||
	    extract_list_load(&place, "data/regions.txt", code, cause) != 0) {
		extract_list_clear(&org);
		extract_list_clear(&out);
		extract_list_clear(&place);
		return -1;
	}
	people_list_ends(&l->titles, &l->title_ends);
	extract_places_load(&place, code);
	people_list_normalise(p, &org, code, l->stem, &l->name_endings);
	people_list_normalise(p, &out, code, l->stem, &l->name_endings);
	people_list_normalise(p, &place, code, l->stem, &l->name_endings);
	people_gaz_add(l, &org, PEOPLE_GAZ_ORG);
	people_gaz_add(l, &out, PEOPLE_GAZ_ORG);
	people_gaz_add(l, &place, PEOPLE_GAZ_PLACE);
	/* An organisation and a place of one name ("Kremlin"): organisation. */
	qsort(l->gaz, l->ngaz, sizeof *l->gaz, people_gaz_cmp);
	return 0;
}

/* Loads the surname list as key forms and their skeletons. */
static int
people_load_surnames(struct extract_people *p, char **cause)
{
	struct extract_list	 list;
	char			 key[NAMES_WORD_MAX], skel[NAMES_WORD_MAX];
	size_t			 i, n = 0;

	memset(&list, 0, sizeof list);
	if (extract_list_load(&list, "data/surnames.txt", "surnames",
	    cause) != 0)
		return -1;
	p->surnames = xreallocarray(NULL, list.count + 1, sizeof *p->surnames);
	p->skeletons = xreallocarray(NULL, list.count + 1,
	    sizeof *p->skeletons);
	for (i = 0; i < list.count; i++) {
		if (extract_names_fold(p->names, list.entries[i],
		    strlen(list.entries[i]), key) < 4)
			continue;
		people_skeleton(key, skel, sizeof skel);
		p->surnames[p->nsurnames++] = xstrdup(key);
		p->skeletons[p->nskeletons++] = xstrdup(skel);
	}
	extract_list_clear(&list);
	if (extract_list_load(&p->common, "data/surnames.txt", "common-words",
	    cause) != 0)
		return -1;
	qsort(p->surnames, p->nsurnames, sizeof *p->surnames, people_strcmp);
	qsort(p->skeletons, p->nskeletons, sizeof *p->skeletons,
	    people_strcmp);
	for (i = 0; i < p->nskeletons; i++) {
		if (n > 0 && strcmp(p->skeletons[n - 1], p->skeletons[i]) == 0) {
			free(p->skeletons[i]);
			continue;
		}
		p->skeletons[n++] = p->skeletons[i];
	}
	p->nskeletons = n;
	return 0;
}

struct extract_people *
extract_people_new(struct extract_names *names, struct text_stemmer *stemmer,
    char **cause)
{
	struct extract_people	*p;
	size_t			 i;

	p = xcalloc(1, sizeof *p);
	p->names = names;
	p->stemmer = stemmer;
	for (i = 0; extract_languages[i] != NULL && i < 8; i++) {
		if (people_lang_load(p, &p->langs[i], extract_languages[i],
		    cause) != 0)
			goto fail;
		p->nlangs++;
	}
	if (people_load_surnames(p, cause) != 0)
		goto fail;
	return p;
fail:
	extract_people_free(p);
	return NULL;
}

/* Frees a language's tables. */
static void
people_lang_clear(struct people_lang *l)
{
	size_t	i;

	extract_list_clear(&l->particles);
	extract_list_clear(&l->titles);
	extract_list_clear(&l->title_ends);
	extract_list_clear(&l->reporting);
	extract_list_clear(&l->before);
	extract_list_clear(&l->not_person);
	extract_list_clear(&l->demonyms);
	extract_list_clear(&l->org_words);
	extract_list_clear(&l->place_words);
	extract_list_clear(&l->place_before);
	extract_list_clear(&l->and);
	extract_list_clear(&l->place_preps);
	extract_list_clear(&l->title_links);
	extract_list_clear(&l->name_endings);
	extract_list_clear(&l->adjective_endings);
	extract_list_clear(&l->surname_endings);
	extract_list_clear(&l->origin);
	extract_list_clear(&l->kin);
	extract_list_clear(&l->kin_whose);
	for (i = 0; i < l->ngaz; i++)
		free(l->gaz[i].s);
	free(l->gaz);
}

void
extract_people_free(struct extract_people *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < 8; i++)
		people_lang_clear(&p->langs[i]);
	for (i = 0; i < p->nsurnames; i++)
		free(p->surnames[i]);
	free(p->surnames);
	for (i = 0; i < p->nskeletons; i++)
		free(p->skeletons[i]);
	free(p->skeletons);
	extract_list_clear(&p->common);
	free(p->tok);
	free(p->stems);
	free(p->lower);
	free(p);
}

/* The tables of lang, or NULL. */
static struct people_lang *
people_lang(struct extract_people *p, const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return NULL;
	for (i = 0; i < p->nlangs; i++)
		if (strcmp(p->langs[i].code, lang) == 0)
			return &p->langs[i];
	return NULL;
}

int
extract_people_has_language(const struct extract_people *p, const char *lang)
{
	size_t	i;

	for (i = 0; lang != NULL && i < p->nlangs; i++)
		if (strcmp(p->langs[i].code, lang) == 0)
			return 1;
	return 0;
}

/* The working state of one text. */
struct people_run {
	struct extract_people	*p;
	struct people_lang	*l;
	struct extractor	*x;
	struct extract_text	*t;
	struct people_cand	*cand;
	size_t			 ncand, cand_cap;
	struct people_person	*person;
	size_t			 nperson;
};

/* The folded word of token i. */
static const char *
people_word(const struct people_run *r, size_t i, size_t *len)
{
	*len = r->t->tokens.tokens[i].len;
	return r->t->tokens.tokens[i].word;
}

/* The word of token i as the cue tables of the language hold it: folded,
 * and stemmed where the language stems (computed once per token). */
static const char *
people_cue_word(struct people_run *r, size_t i, size_t *len)
{
	struct extract_people	*p = r->p;
	struct people_tok	*pt = &p->tok[i];
	const char		*w, *st;
	size_t			 wl, sl;

	w = people_word(r, i, &wl);
	if (!r->l->stem) {
		*len = wl;
		return w;
	}
	if (pt->stem < 0) {
		st = text_stem(p->stemmer, r->l->code, w, wl, &sl);
		if (p->stems_len + sl + 1 > p->stems_cap) {
			p->stems_cap = (p->stems_len + sl + 1) * 2;
			p->stems = xrealloc(p->stems, p->stems_cap);
		}
		memcpy(p->stems + p->stems_len, st, sl);
		pt->stem = (int32_t)p->stems_len;
		pt->stem_len = (uint32_t)sl;
		p->stems_len += sl + 1;
	}
	*len = pt->stem_len;
	return p->stems + pt->stem;
}

/* Builds the words of tokens [i, i + n) joined by spaces into buf: cue
 * words, or for a gazetteer (names) the words without case endings.
 * Returns the length, or 0 when they do not fit or cross a break. */
static size_t
people_phrase(struct people_run *r, size_t i, size_t n, char *buf,
    size_t cap, int names)
{
	const char	*w;
	size_t		 k, wl, o = 0;

	for (k = 0; k < n; k++) {
		if (k > 0 && r->p->tok[i + k - 1].join == PEOPLE_BREAK)
			return 0;
		if (names && r->l->name_endings.count > 0) {
			w = people_word(r, i + k, &wl);
			wl = people_name_len(&r->l->name_endings, w, wl);
		} else
			w = people_cue_word(r, i + k, &wl);
		if (o + wl + 2 > cap)
			return 0;
		if (k > 0)
			buf[o++] = ' ';
		memcpy(buf + o, w, wl);
		o += wl;
	}
	buf[o] = '\0';
	return o;
}

/* The word of token i as the gazetteer holds it. */
static const char *
people_gaz_word(struct people_run *r, size_t i, size_t *len)
{
	const char	*w;

	if (r->l->name_endings.count == 0)
		return people_cue_word(r, i, len);
	w = people_word(r, i, len);
	*len = people_name_len(&r->l->name_endings, w, *len);
	return w;
}

/* Returns 1 when token i's cue word is in list. */
static int
people_in(struct people_run *r, const struct extract_list *list, size_t i)
{
	const char	*w;
	size_t		 wl;

	w = people_cue_word(r, i, &wl);
	return extract_list_has(list, w, wl);
}

/* Returns 1 when some entry of the sorted strings begins with the word w
 * (wl bytes) as a whole word: the entries that do follow w's place. */
static int
people_begins(char *const *v, size_t count, size_t stride, const char *w,
    size_t wl)
{
	size_t		 lo = 0, hi = count, mid;
	const char	*e;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = *(char *const *)((const char *)v + mid * stride);
		if (strncmp(e, w, wl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == count)
		return 0;
	e = *(char *const *)((const char *)v + lo * stride);
	return strncmp(e, w, wl) == 0 && (e[wl] == '\0' || e[wl] == ' ');
}

/* The longest entry of list that starts at token i: its words, or 0. */
static size_t
people_match(struct people_run *r, const struct extract_list *list, size_t i)
{
	const char	*w;
	char		 buf[512];
	size_t		 n, len;

	w = people_cue_word(r, i, &len);
	if (!people_begins(list->entries, list->count, sizeof *list->entries,
	    w, len))
		return 0;
	for (n = list->max_words; n > 0; n--) {
		if (i + n > r->t->tokens.count)
			continue;
		if ((len = people_phrase(r, i, n, buf, sizeof buf, 0)) > 0 &&
		    extract_list_has(list, buf, len))
			return n;
	}
	return 0;
}

/* Decodes the code point at s (n bytes left); U+FFFD when invalid. */
static uint32_t
people_cp(const char *s, size_t n, size_t *k)
{
	uint32_t	cp;

	if ((*k = util_utf8_decode((const unsigned char *)s, n, &cp)) == 0) {
		*k = 1;
		return 0xfffd;
	}
	return cp;
}

/* Sets a token's case and script flags from its source bytes. */
static uint32_t
people_tok_flags(const struct people_lang *l, const char *s, size_t n)
{
	uint32_t	f = 0, cp;
	size_t		 i, k;
	int		 letters = 0, upper = 0, script = 0, other = 0;

	for (i = 0; i < n; i += k) {
		if ((unsigned char)s[i] < 0x80) {
			/* ASCII, most of most texts: no decoding, no ICU. */
			k = 1;
			cp = (unsigned char)s[i];
			if (cp >= '0' && cp <= '9')
				f |= PT_DIGIT;
			else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
				if (letters == 0 && cp <= 'Z')
					f |= PT_CAP;
				letters++;
				upper += cp <= 'Z';
				if (l->cyrillic)
					other++;
				else
					script++;
			}
			continue;
		}
		cp = people_cp(s + i, n - i, &k);
		if (cp >= '0' && cp <= '9') {
			f |= PT_DIGIT;
			continue;
		}
		if (!u_isalpha(cp))
			continue;
		if (letters == 0 && u_isupper(cp))
			f |= PT_CAP;
		letters++;
		upper += u_isupper(cp) != 0;
		if (l->cyrillic ? (cp >= 0x400 && cp <= 0x52f) :
		    (cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff)))
			script++;
		else
			other++;
	}
	if (letters >= 2 && upper == letters)
		f |= PT_ALLCAPS;
	if (script > 0 && other == 0)
		f |= PT_SCRIPT;
	return f;
}

/* How the bytes between two tokens join them. */
static enum people_join
people_gap(const char *s, size_t n)
{
	size_t		 i, k;
	uint32_t	 cp;
	int		 dash = 0, space = 0;

	if (n == 0)
		return PEOPLE_SPACE;
	for (i = 0; i < n; i += k) {
		cp = people_cp(s + i, n - i, &k);
		if (cp == ' ' || cp == 0xa0)
			space++;
		else if (cp == '-' || (cp >= 0x2010 && cp <= 0x2015) ||
		    cp == 0x2212)
			dash++;
		else
			return PEOPLE_BREAK;
	}
	if (dash == 0)
		return space <= 2 ? PEOPLE_SPACE : PEOPLE_BREAK;
	return dash == 1 && space == 0 ? PEOPLE_DASH : PEOPLE_BREAK;
}

/* Adds the hash of a lower-case word to the open-addressed set. */
static void
people_lower_add(struct extract_people *p, uint64_t h)
{
	size_t	i;

	if (h == 0)
		h = 1;
	for (i = h & (p->lower_cap - 1); p->lower[i] != 0;
	    i = (i + 1) & (p->lower_cap - 1))
		if (p->lower[i] == h)
			return;
	p->lower[i] = h;
}

/* Returns 1 when the folded word is written in lower case in the text. */
static int
people_is_lower(const struct extract_people *p, const char *w, size_t len)
{
	uint64_t	h = util_hash(w, len, UTIL_HASH_SEED);
	size_t		i;

	if (h == 0)
		h = 1;
	for (i = h & (p->lower_cap - 1); p->lower[i] != 0;
	    i = (i + 1) & (p->lower_cap - 1))
		if (p->lower[i] == h)
			return 1;
	return 0;
}

/* Reads every token of the text once: flags, joins, sentences. */
static void
people_scan(struct people_run *r)
{
	struct extract_people	*p = r->p;
	const struct text_token	*tk = r->t->tokens.tokens;
	size_t			 n = r->t->tokens.count, i, s = 0, end;
	size_t			 caps = 0, words = 0;

	if (n > p->tok_cap) {
		p->tok_cap = n;
		p->tok = xreallocarray(p->tok, n, sizeof *p->tok);
	}
	p->stems_len = 0;
	for (p->lower_cap = 64; p->lower_cap < n * 2; p->lower_cap *= 2)
		;
	p->lower = xreallocarray(p->lower, p->lower_cap, sizeof *p->lower);
	memset(p->lower, 0, p->lower_cap * sizeof *p->lower);
	for (i = 0; i < n; i++) {
		struct people_tok *pt = &p->tok[i];

		pt->flags = people_tok_flags(r->l, r->t->text + tk[i].offset,
		    tk[i].source_len);
		pt->stem = -1;
		while (s < r->t->nsentences && tk[i].offset >=
		    r->t->sentences[s].offset + r->t->sentences[s].len)
			s++;
		pt->sentence = (uint32_t)s;
		if (i == 0 || p->tok[i - 1].sentence != s)
			pt->flags |= PT_START;
		if (i + 1 < n) {
			end = tk[i].offset + tk[i].source_len;
			pt->join = tk[i + 1].offset < end ? PEOPLE_BREAK :
			    people_gap(r->t->text + end, tk[i + 1].offset - end);
		} else
			pt->join = PEOPLE_BREAK;
		if (!(pt->flags & PT_CAP) && !(pt->flags & PT_DIGIT))
			people_lower_add(p, util_hash(tk[i].word, tk[i].len,
			    UTIL_HASH_SEED));
		if (s == 0 && tk[i].len >= 4) {
			words++;
			caps += (pt->flags & PT_CAP) != 0;
		}
	}
	for (i = 1; i < n; i++)
		if (p->tok[i].sentence != p->tok[i - 1].sentence)
			p->tok[i - 1].join = PEOPLE_BREAK;
	/* A title in Title Case capitalises every word: weak evidence. */
	if (words >= 3 && caps * 10 >= words * 7 && r->t->nsentences > 1)
		for (i = 0; i < n && p->tok[i].sentence == 0; i++)
			p->tok[i].flags |= PT_WEAK;
}

/* Adds a name that is not a person's to the mentions. */
static void
people_mention(struct people_run *r, uint32_t offset, uint32_t len,
    enum extract_span_kind kind, size_t person)
{
	struct extract_text	*t = r->t;
	struct extract_mention	*m;

	t->mentions = xreallocarray(t->mentions, t->nmentions + 1,
	    sizeof *t->mentions);
	m = &t->mentions[t->nmentions++];
	m->offset = offset;
	m->len = len;
	m->kind = kind;
	m->person = person;
}

/* The byte span of tokens [s, e). */
static void
people_span(const struct people_run *r, size_t s, size_t e, uint32_t *off,
    uint32_t *len)
{
	const struct text_token	*tk = r->t->tokens.tokens;

	*off = tk[s].offset;
	*len = tk[e - 1].offset + tk[e - 1].source_len - tk[s].offset;
}

/* Returns 1 when token i may begin a gazetteer name: capitalised, or a
 * lower-case word right before a capitalised one ("сектор Газа"). */
static int
people_gaz_start(const struct people_run *r, size_t i)
{
	const struct people_tok	*pt = r->p->tok;

	if (pt[i].flags & (PT_CAP | PT_ALLCAPS))
		return 1;
	return i + 1 < r->t->tokens.count && pt[i].join != PEOPLE_BREAK &&
	    (pt[i + 1].flags & PT_CAP);
}

/* The gazetteer entry of tokens [i, i + n), or NULL. */
static const struct people_gaz *
people_gaz_find(struct people_run *r, size_t i, size_t n)
{
	struct people_gaz	 want;
	char			 buf[512];
	size_t			 k;
	int			 cap = 0;

	for (k = 0; k < n; k++)
		cap |= (r->p->tok[i + k].flags & (PT_CAP | PT_ALLCAPS)) != 0;
	if (!cap || people_phrase(r, i, n, buf, sizeof buf, 1) == 0)
		return NULL;
	/* "Who", "Un", "Ap": short names count only written in capitals. */
	if (n == 1 && r->t->tokens.tokens[i].len <= 3 &&
	    !(r->p->tok[i].flags & PT_ALLCAPS))
		return NULL;
	want.s = buf;
	return bsearch(&want, r->l->gaz, r->l->ngaz, sizeof *r->l->gaz,
	    people_gaz_cmp);
}

static int	people_surname(struct people_run *, size_t, int *);

/*
 * Returns 1 when the one-word place at token i is a given name that starts
 * a person's name instead ("Israel Katz", "Кит Келлог", which the endings
 * make Китай): a given name of the lists, followed by a known surname that
 * is no gazetteer name, title, organisation or place word (not "Paris
 * Agreement").
 */
static int
people_gaz_given(struct people_run *r, size_t i)
{
	const struct text_token	*tk = r->t->tokens.tokens;
	size_t			 n = r->t->tokens.count;
	uint32_t		 f;

	if (i + 1 >= n || r->p->tok[i].join != PEOPLE_SPACE ||
	    (r->p->tok[i].flags & PT_ALLCAPS))
		return 0;
	f = r->p->tok[i + 1].flags;
	if (!(f & PT_CAP) || !(f & PT_SCRIPT) || (f & (PT_ALLCAPS | PT_DIGIT)))
		return 0;
	if (people_gaz_find(r, i + 1, 1) != NULL ||
	    people_match(r, &r->l->titles, i + 1) > 0 ||
	    people_in(r, &r->l->org_words, i + 1) ||
	    people_in(r, &r->l->place_words, i + 1) ||
	    people_in(r, &r->l->not_person, i + 1) ||
	    people_in(r, &r->l->demonyms, i + 1) ||
	    !people_surname(r, i + 1, NULL))
		return 0;
	return extract_names_given_listed(r->p->names, r->t->text +
	    tk[i].offset, tk[i].source_len, r->l->code);
}

/* Marks organisations, outlets and places, longest match first; "the"
 * before one is part of its name ("the Times of Israel"). */
static void
people_gazetteer(struct people_run *r)
{
	const struct people_gaz	*g;
	const char		*first;
	size_t			 n = r->t->tokens.count, i, k, w, s, flen;
	uint32_t		 off, len, flag;

	for (i = 0; i < n;) {
		g = NULL;
		w = 0;
		if (r->l->ngaz > 0 && people_gaz_start(r, i) &&
		    (first = people_gaz_word(r, i, &flen)) != NULL &&
		    people_begins(&r->l->gaz[0].s, r->l->ngaz,
		    sizeof *r->l->gaz, first, flen))
			for (w = r->l->gaz_words; w > 0; w--)
				if (i + w <= n &&
				    (g = people_gaz_find(r, i, w)) != NULL)
					break;
		if (g == NULL || (w == 1 && g->kind == PEOPLE_GAZ_PLACE &&
		    people_gaz_given(r, i))) {
			i++;
			continue;
		}
		flag = g->kind == PEOPLE_GAZ_ORG ? PT_ORG : PT_PLACE;
		for (k = i; k < i + w; k++)
			r->p->tok[k].flags |= flag;
		s = i;
		if (i > 0 && r->p->tok[i - 1].join == PEOPLE_SPACE &&
		    r->t->tokens.tokens[i - 1].len == 3 &&
		    memcmp(r->t->tokens.tokens[i - 1].word, "the", 3) == 0)
			s = i - 1;
		people_span(r, s, i + w, &off, &len);
		people_mention(r, off, len, g->kind == PEOPLE_GAZ_ORG ?
		    EXTRACT_SPAN_ORGANISATION : EXTRACT_SPAN_PLACE, 0);
		i += w;
	}
}

/* Returns 1 when token i can be a word of a name. */
static int
people_name_word(const struct people_run *r, size_t i)
{
	uint32_t	f = r->p->tok[i].flags;

	return (f & PT_CAP) && (f & PT_SCRIPT) && !(f & PT_DIGIT) &&
	    !(f & (PT_ORG | PT_PLACE)) && (!(f & PT_ALLCAPS) ||
	    r->t->tokens.tokens[i].len <= 1);
}

/* Returns 1 when token i is two initials in capitals that begin a name
 * ("JD Vance"): the next word a name's, the two no title ("PM") and no
 * gazetteer name ("US", "EU"). */
static int
people_initials(struct people_run *r, size_t i)
{
	uint32_t	f = r->p->tok[i].flags;

	if (!(f & PT_ALLCAPS) || !(f & PT_SCRIPT) || (f & (PT_DIGIT |
	    PT_ORG | PT_PLACE)) || r->t->tokens.tokens[i].len != 2 ||
	    r->t->tokens.tokens[i].source_len != 2)
		return 0;
	if (i + 1 >= r->t->tokens.count || r->p->tok[i].join != PEOPLE_SPACE ||
	    !people_name_word(r, i + 1) || (r->p->tok[i + 1].flags &
	    PT_ALLCAPS))
		return 0;
	return people_match(r, &r->l->titles, i) == 0;
}

/* Returns 1 when token i is a regnal number after a name ("Charles
 * III", "Elizabeth II"): I to XX in capitals. */
static int
people_roman(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];
	const char		*s = r->t->text + tk->offset;
	size_t			 k;

	if (tk->source_len == 0 || tk->source_len > 5)
		return 0;
	for (k = 0; k < tk->source_len; k++)
		if (s[k] != 'I' && s[k] != 'V' && s[k] != 'X')
			return 0;
	return 1;
}

/* Returns 1 when token i is a particle that may stand inside a name. */
static int
people_particle(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];

	return !(r->p->tok[i].flags & PT_CAP) &&
	    extract_list_has(&r->l->particles, tk->word, tk->len);
}

/* Returns 1 when a title of the language ends at token e - 1. */
static int
people_title_before(struct people_run *r, size_t e)
{
	const char	*w;
	char		 buf[512];
	size_t		 n, len;

	w = people_cue_word(r, e - 1, &len);
	if (!extract_list_has(&r->l->title_ends, w, len))
		return 0;
	for (n = 1; n <= r->l->titles.max_words && n <= e; n++) {
		if ((len = people_phrase(r, e - n, n, buf, sizeof buf, 0)) > 0 &&
		    extract_list_has(&r->l->titles, buf, len))
			return 1;
	}
	return 0;
}

/* Returns 1 when a title or role is written before token s, past any
 * organisation, acronym, place, demonym, function word and at most two
 * other words between them ("Hamas spokesman X", "official representative
 * of the movement, X"), but never past another name. */
static int
people_cue_before(struct people_run *r, size_t s)
{
	size_t	i, seen = 0;

	for (i = s; i > 0; i--) {
		uint32_t f = r->p->tok[i - 1].flags;

		if (r->p->tok[i - 1].sentence != r->p->tok[s].sentence)
			return 0;
		if (people_title_before(r, i))
			return 1;
		/* An acronym is an organisation's ("секретарь СНБО X"). */
		if (f & (PT_ORG | PT_PLACE | PT_ALLCAPS) || people_in(r,
		    &r->l->demonyms, i - 1))
			continue;
		if (people_in(r, &r->l->and, i - 1)) {
			/* "sons Ariel and Kfir": past one name before "and". */
			while (i > 1 && (r->p->tok[i - 2].flags & PT_CAP) &&
			    r->p->tok[i - 2].sentence == r->p->tok[s].sentence)
				i--;
			continue;
		}
		if (people_in(r, &r->l->not_person, i - 1)) {
			/* "Secretary of State", "Minister of the Interior":
			 * the word is the title's, not a name. */
			if (seen == 0 && people_in(r, &r->l->title_links, i - 1))
				return 0;
			continue;
		}
		/* "Officials said Maxim's ...": a verb ends the cue. */
		if ((f & PT_CAP) || ++seen > 2 ||
		    people_in(r, &r->l->reporting, i - 1))
			return 0;
	}
	return 0;
}

/* Returns 1 when a reporting verb follows token e - 1 ("X said", "X
 * also told"). */
static int
people_cue_reporting(struct people_run *r, size_t e)
{
	size_t	n = r->t->tokens.count, i, k;

	for (i = e, k = 0; i < n && k < 3; i++, k++) {
		if (r->p->tok[i].sentence != r->p->tok[e - 1].sentence)
			break;
		if (people_match(r, &r->l->reporting, i) > 0)
			return 1;
		if (!people_in(r, &r->l->not_person, i))
			break;
	}
	return 0;
}

/* Returns 1 when a reporting phrase ends right before token s ("according
 * to X", "по словам X"). */
static int
people_cue_source(struct people_run *r, size_t s)
{
	char	buf[512];
	size_t	m, len;

	for (m = 1; m <= r->l->before.max_words && m <= s; m++) {
		if (r->p->tok[s - m].sentence != r->p->tok[s].sentence)
			break;
		if ((len = people_phrase(r, s - m, m, buf, sizeof buf, 0)) > 0 &&
		    extract_list_has(&r->l->before, buf, len))
			return 1;
	}
	return 0;
}

/* Returns 1 when the token is a number an age can be (1 to 120). */
static int
people_age(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];
	size_t			 k;
	int			 v = 0;

	if (tk->len == 0 || tk->len > 3)
		return 0;
	for (k = 0; k < tk->len; k++) {
		if (tk->word[k] < '0' || tk->word[k] > '9')
			return 0;
		v = v * 10 + tk->word[k] - '0';
	}
	return v >= 1 && v <= 120;
}

/* Returns 1 when the bytes between tokens i and i + 1 hold a comma. */
static int
people_comma_after(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = r->t->tokens.tokens;
	size_t			 end = tk[i].offset + tk[i].source_len;

	return i + 1 < r->t->tokens.count && tk[i + 1].offset > end &&
	    memchr(r->t->text + end, ',', tk[i + 1].offset - end) != NULL;
}

/* Returns 1 when an apposition follows the name: a title in lower-case
 * words (", a Palestinian security expert", ", официальный представитель")
 * or an age (", 36,"). */
static int
people_cue_apposition(struct people_run *r, size_t e)
{
	size_t	n = r->t->tokens.count, i;

	if (e >= n || !people_comma_after(r, e - 1) ||
	    r->p->tok[e].sentence != r->p->tok[e - 1].sentence)
		return 0;
	if (people_age(r, e) && people_comma_after(r, e))
		return 1;
	for (i = e; i < n && i < e + PEOPLE_CUE_WINDOW + 2; i++) {
		if (r->p->tok[i].sentence != r->p->tok[e - 1].sentence)
			return 0;
		if (people_match(r, &r->l->titles, i) > 0)
			return 1;
		if (i > e && r->p->tok[i - 1].join == PEOPLE_BREAK)
			return 0;
		/* Another name, not an apposition ("Separately, European
		 * Commission President ..."); demonyms are adjectives. */
		if ((r->p->tok[i].flags & PT_CAP) && !people_in(r,
		    &r->l->demonyms, i) && !(r->p->tok[i].flags &
		    (PT_ORG | PT_PLACE)))
			return 0;
	}
	return 0;
}

/* Returns 1 when the run is between quotation marks (a work, a brand). */
static int
people_quoted(const struct people_run *r, uint32_t off, uint32_t len)
{
	static const char *const open[] = { "\"", "\xc2\xab", "\xe2\x80\x9c",
	    "\xe2\x80\x9e", NULL };
	const char	*text = r->t->text;
	size_t		 i, end = off + len;
	int		 before = 0;

	for (i = 0; open[i] != NULL; i++) {
		size_t ol = strlen(open[i]);

		if (off >= ol && memcmp(text + off - ol, open[i], ol) == 0)
			before = 1;
	}
	if (!before || end >= r->t->len)
		return 0;
	return text[end] == '"' || (end + 2 <= r->t->len &&
	    memcmp(text + end, "\xc2\xbb", 2) == 0) || (end + 3 <= r->t->len &&
	    (memcmp(text + end, "\xe2\x80\x9d", 3) == 0 ||
	    memcmp(text + end, "\xe2\x80\x9c", 3) == 0));
}

/* Returns 1 when the folded word ends in an entry of the list. */
static int
people_ends(const struct extract_list *endings, const char *w, size_t len)
{
	size_t	k;

	for (k = 1; k <= 8 && k < len; k++)
		if ((w[len - k] & 0xc0) != 0x80 &&
		    extract_list_has(endings, w + len - k, k))
			return 1;
	return 0;
}

/* Returns 1 when a single word of the text is a known surname: by its key
 * in Latin script, or by an ending surnames have and words of six letters
 * seldom do ([surname-endings]: the list cannot hold every Medinsky); by
 * its consonant skeleton in other scripts (Трамп, Trump). *common (when
 * not NULL) tells whether it is also a common word. */
static int
people_surname(struct people_run *r, size_t i, int *common)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];
	char			 key[NAMES_WORD_MAX], skel[NAMES_WORD_MAX];
	const char		*k = key, *sk = skel;
	char			*nom;

	if (common != NULL)
		*common = extract_list_has(&r->p->common, tk->word, tk->len);
	if (extract_names_fold(r->p->names, r->t->text + tk->offset,
	    tk->source_len, key) < 4)
		return 0;
	if (!r->l->cyrillic)
		return bsearch(&k, r->p->surnames, r->p->nsurnames,
		    sizeof *r->p->surnames, people_strcmp) != NULL ||
		    (tk->len >= 6 && people_ends(&r->l->surname_endings,
		    tk->word, tk->len));
	/* A skeleton is looser than a key: long words only, no adjective
	 * ("Лондонской"), read in the nominative ("Хичкока"), and never
	 * enough alone at a sentence's start. */
	if (common != NULL)
		*common = 1;
	if (strlen(key) < 5 || people_ends(&r->l->adjective_endings,
	    tk->word, tk->len))
		return 0;
	nom = extract_names_nominative(r->p->names, r->t->text + tk->offset,
	    tk->source_len, r->l->code);
	extract_names_fold(r->p->names, nom, strlen(nom), key);
	free(nom);
	people_skeleton(key, skel, sizeof skel);
	return bsearch(&sk, r->p->skeletons, r->p->nskeletons,
	    sizeof *r->p->skeletons, people_strcmp) != NULL;
}

/* Returns 1 when the run [s, e) names an organisation or a place by one
 * of its words ("Foreign Ministry", "Gaza Strip"); sets *kind. */
static int
people_run_kind(struct people_run *r, size_t s, size_t e,
    enum extract_span_kind *kind)
{
	size_t	i;

	if (people_in(r, &r->l->place_words, e - 1)) {
		*kind = EXTRACT_SPAN_PLACE;
		return 1;
	}
	for (i = s; i < e; i++) {
		if (people_in(r, &r->l->org_words, i)) {
			*kind = EXTRACT_SPAN_ORGANISATION;
			return 1;
		}
	}
	return 0;
}

/* Returns 1 when token i is a generational suffix written with its
 * full stop ("Donald Trump Jr."), which is then part of the name. */
static int
people_suffix_dot(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];
	size_t			 end = tk->offset + tk->source_len;

	if (end >= r->t->len || r->t->text[end] != '.' || tk->len > 3 ||
	    !(r->p->tok[i].flags & PT_CAP))
		return 0;
	return (tk->len == 2 && (memcmp(tk->word, "jr", 2) == 0 ||
	    memcmp(tk->word, "sr", 2) == 0)) || (tk->len == 3 &&
	    (memcmp(tk->word, "jnr", 3) == 0 || memcmp(tk->word, "snr",
	    3) == 0));
}

/* Adds a candidate mention. */
static struct people_cand *
people_cand_add(struct people_run *r, size_t s, size_t e)
{
	struct people_cand	*c;

	if (r->ncand == r->cand_cap) {
		r->cand_cap = r->cand_cap == 0 ? 32 : r->cand_cap * 2;
		r->cand = xreallocarray(r->cand, r->cand_cap, sizeof *r->cand);
	}
	c = &r->cand[r->ncand++];
	memset(c, 0, sizeof *c);
	c->s = s;
	c->e = e;
	people_span(r, s, e, &c->offset, &c->len);
	if (people_suffix_dot(r, e - 1))
		c->len++;
	return c;
}

/* Returns 1 when a lower-case word before token s makes the run a place
 * ("kibbutz Nir Oz", "кибуца Нир-Оз"). */
static int
people_place_before(struct people_run *r, size_t s)
{
	return s > 0 && r->p->tok[s - 1].join != PEOPLE_BREAK &&
	    !(r->p->tok[s - 1].flags & PT_CAP) && people_in(r,
	    &r->l->place_before, s - 1);
}

/* Returns 1 when the single word at s follows a locative preposition and
 * no possessive follows it ("in Doha", not "in Trump's team"). */
static int
people_after_preposition(struct people_run *r, size_t s)
{
	const struct text_token	*tk = &r->t->tokens.tokens[s];
	const char		*end = r->t->text + tk->offset + tk->source_len;
	size_t			 left = r->t->len - (tk->offset + tk->source_len);

	if (s == 0 || r->p->tok[s - 1].join == PEOPLE_BREAK ||
	    (r->p->tok[s - 1].flags & PT_CAP) || !people_in(r,
	    &r->l->place_preps, s - 1))
		return 0;
	return !((left >= 1 && end[0] == '\'') ||
	    (left >= 3 && memcmp(end, "\xe2\x80\x99", 3) == 0));
}

/* Returns 1 when a word of origin and a place follow the name ("Rand
 * Paul of Kentucky"), as news writes of lawmakers and envoys. */
static int
people_cue_origin(struct people_run *r, size_t e)
{
	if (e + 1 >= r->t->tokens.count || r->p->tok[e - 1].join !=
	    PEOPLE_SPACE || r->p->tok[e].join != PEOPLE_SPACE ||
	    !people_in(r, &r->l->origin, e))
		return 0;
	return (r->p->tok[e + 1].flags & PT_PLACE) != 0;
}

/* Returns 1 when the last word of a run of two or more is a surname: a
 * known one, or a given name of the lists, which many surnames are
 * ("Rand Paul", "LeBron James"). */
static int
people_last_surname(struct people_run *r, size_t s, size_t e)
{
	const struct text_token	*tk = &r->t->tokens.tokens[e - 1];

	return people_surname(r, e - 1, NULL) || (e - 1 > s &&
	    extract_names_given(r->p->names, r->t->text + tk->offset,
	    tk->source_len, r->l->code));
}

/*
 * Weighs a run [s, e) of name words and keeps it as a candidate, or as an
 * organisation or place, or drops it (see the comment at the top).
 */
static void
people_score(struct people_run *r, size_t s, size_t e)
{
	struct people_cand	*c;
	const struct text_token	*tk = r->t->tokens.tokens;
	enum extract_span_kind	 kind;
	uint32_t		 off, len, f = r->p->tok[s].flags;
	size_t			 i, words = 0;
	int			 given, title, report, source, appos, score;
	int			 surname, lower, start = (f & PT_START) != 0;

	people_span(r, s, e, &off, &len);
	if (len > EXTRACT_MAX_NAME)
		return;
	if (people_place_before(r, s) || (e == s + 1 &&
	    people_after_preposition(r, s))) {
		people_mention(r, off, len, EXTRACT_SPAN_PLACE, 0);
		return;
	}
	if (people_run_kind(r, s, e, &kind)) {
		people_mention(r, off, len, kind, 0);
		return;
	}
	for (i = s; i < e; i++)
		words += !people_particle(r, i);
	if (words > PEOPLE_MAX_WORDS)
		return;
	given = extract_names_given(r->p->names, r->t->text + tk[s].offset,
	    tk[s].source_len, r->l->code);
	lower = people_is_lower(r->p, tk[s].word, tk[s].len);
	/* A capitalised word written in lower case elsewhere is a common
	 * word at the start of a sentence ("Negotiations", "Special"). */
	if (start && !given && lower)
		return;
	title = people_cue_before(r, s);
	report = people_cue_reporting(r, e);
	source = people_cue_source(r, s);
	appos = people_cue_apposition(r, e);
	if (people_quoted(r, off, len) && !given && !title)
		return;
	c = people_cand_add(r, s, e);
	c->words = (int)words;
	c->given = given;
	if (words == 1) {
		surname = people_surname(r, s, &c->common);
		c->given_only = given;
		if (f & PT_WEAK)
			return;
		if (c->given_only) {
			/* "Maxim's health": a given name; "Abbas said": a
			 * surname too, with a reporting verb. */
			c->strong = title || appos || (surname && report &&
			    !lower);
			return;
		}
		/* A surname alone: a title or apposition says it is one;
		 * the list does mid-sentence, or at a sentence's start when
		 * it is no common word or a reporting verb follows. */
		c->strong = title || appos || (surname && !lower && (!start ||
		    !c->common || report));
		return;
	}
	score = 2 * given + 2 * title + report + source + 2 * appos +
	    people_last_surname(r, s, e) + people_cue_origin(r, e);
	if (f & PT_WEAK)
		score -= 2;
	c->strong = score >= 2;
}

/* Cuts the run [s, e) after the last title inside it ("Saudi Energy
 * Minister Prince Abdulaziz bin Salman" from "Abdulaziz"); the last word
 * stays, whatever it is ("John Major"). Returns the new start. */
static size_t
people_after_titles(struct people_run *r, size_t s, size_t e)
{
	size_t	i, m, cut = s;

	for (i = s; i + 1 < e; i++) {
		if ((m = people_match(r, &r->l->titles, i)) > 0 && i + m < e)
			cut = i + m;
	}
	while (cut < e && (people_in(r, &r->l->demonyms, cut) ||
	    people_in(r, &r->l->not_person, cut)))
		cut++;
	return cut;
}

/*
 * Scores a run; when it starts a sentence with a word that is no given
 * name and comes out as nothing ("Встреча Путина и Зеленского"), the
 * capital is the sentence's, and the rest is scored alone.
 */
static void
people_score_start(struct people_run *r, size_t s, size_t e)
{
	const struct text_token	*tk = r->t->tokens.tokens;
	size_t			 ncand = r->ncand, nmentions = r->t->nmentions;

	people_score(r, s, e);
	if (e - s < 2 || !(r->p->tok[s].flags & PT_START) ||
	    r->t->nmentions != nmentions || (r->ncand > ncand &&
	    r->cand[r->ncand - 1].strong) || people_particle(r, s + 1) ||
	    r->p->tok[s].join != PEOPLE_SPACE ||
	    extract_names_given(r->p->names, r->t->text + tk[s].offset,
	    tk[s].source_len, r->l->code))
		return;
	while (r->ncand > ncand)
		free(r->cand[--r->ncand].key);
	people_score(r, s + 1, e);
}

/* Scores a run, or its two halves when a given name starts a second name
 * inside it ("Мать Труфанова Елена Труфанова" after its title). */
static void
people_split(struct people_run *r, size_t s, size_t e)
{
	const struct text_token	*tk = r->t->tokens.tokens;
	enum extract_span_kind	 kind;
	uint32_t		 off, len;
	size_t			 k;

	/* An organisation's word anywhere names the whole run ("Affordable
	 * Care Act"), before a given name inside it could cut it. */
	if (e - s >= 3 && people_run_kind(r, s, e, &kind)) {
		people_span(r, s, e, &off, &len);
		people_mention(r, off, len, kind, 0);
		return;
	}
	if (e - s >= 3 && !extract_names_given(r->p->names, r->t->text +
	    tk[s].offset, tk[s].source_len, r->l->code)) {
		for (k = s + 1; k + 1 < e; k++) {
			if (r->p->tok[k - 1].join != PEOPLE_SPACE ||
			    r->p->tok[k].join != PEOPLE_SPACE)
				continue;
			if (!people_particle(r, k) && extract_names_given(
			    r->p->names, r->t->text + tk[k].offset,
			    tk[k].source_len, r->l->code)) {
				people_score(r, s, k);
				people_score(r, k, e);
				return;
			}
		}
	}
	people_score_start(r, s, e);
}

/* Finds the name runs of the text: capitalised words of the script with
 * the particles between them, joined by spaces or dashes, less their
 * leading titles, demonyms and function words. */
static void
people_runs(struct people_run *r)
{
	size_t	n = r->t->tokens.count, i = 0, s, e, m;

	while (i < n) {
		if (!people_name_word(r, i) && !people_initials(r, i)) {
			i++;
			continue;
		}
		s = i;
		for (e = i + 1; e < n && r->p->tok[e - 1].join != PEOPLE_BREAK;
		    e++) {
			if (people_name_word(r, e) || people_roman(r, e))
				continue;
			/* A particle must lead to another word of the name. */
			if (people_particle(r, e) && e + 1 < n &&
			    r->p->tok[e].join != PEOPLE_BREAK &&
			    (people_name_word(r, e + 1) ||
			    (people_particle(r, e + 1) && e + 2 < n &&
			    people_name_word(r, e + 2))))
				continue;
			break;
		}
		i = e;
		/* A title that goes on past the run ("Пресс-секретарь"). */
		if ((m = people_match(r, &r->l->titles, s)) > 0 && s + m >= e) {
			i = s + m > e ? s + m : e;
			continue;
		}
		s = people_after_titles(r, s, e);
		while (e > s && (people_in(r, &r->l->not_person, e - 1) ||
		    people_in(r, &r->l->demonyms, e - 1) ||
		    people_particle(r, e - 1)))
			e--;
		while (s < e && people_particle(r, s) && !(s + 1 < e &&
		    r->p->tok[s].join == PEOPLE_DASH))
			s++;
		if (s < e)
			people_split(r, s, e);
	}
}

/* The key of candidate c (computed once). */
static const char *
people_cand_key(struct people_run *r, struct people_cand *c)
{
	char	*name;

	if (c->key == NULL) {
		name = xstrndup(r->t->text + c->offset, c->len);
		c->key = extract_name_key(r->x, name, r->l->code);
		free(name);
	}
	return c->key;
}

/* Adds a person for candidate ci. Returns its index, or -1 past the bound. */
static ssize_t
people_person_add(struct people_run *r, size_t ci)
{
	struct people_person	*pp;

	if (r->nperson >= EXTRACT_MAX_PEOPLE)
		return -1;
	r->person = xreallocarray(r->person, r->nperson + 1, sizeof *r->person);
	pp = &r->person[r->nperson];
	memset(pp, 0, sizeof *pp);
	pp->first = ci;
	pp->best = ci;
	pp->key = xstrdup(people_cand_key(r, &r->cand[ci]));
	r->cand[ci].person = r->nperson;
	r->cand[ci].linked = 1;
	return (ssize_t)r->nperson++;
}

/* Links candidate ci to person pi. */
static void
people_link(struct people_run *r, size_t ci, size_t pi)
{
	struct people_person	*pp = &r->person[pi];
	struct people_cand	*c = &r->cand[ci];

	c->person = pi;
	c->linked = 1;
	if (c->offset < r->cand[pp->first].offset)
		pp->first = ci;
	if (c->words > r->cand[pp->best].words) {
		pp->best = ci;
		free(pp->key);
		pp->key = xstrdup(people_cand_key(r, c));
	}
}

/* Returns 1 when two surname key forms differ only by an inflection the
 * nominative rules could not undo ("trampu", "tramp"): one is the other
 * and at most two letters more, four letters at least. */
static int
people_key_inflected(const char *a, const char *b)
{
	const char	*sa = strchr(a, '|'), *sb = strchr(b, '|');
	size_t		 la, lb;

	if (sa == NULL || sb == NULL)
		return 0;
	sa++;
	sb++;
	la = strlen(sa);
	lb = strlen(sb);
	if (la > lb) {
		const char *t = sa;

		sa = sb;
		sb = t;
		la = lb;
		lb = strlen(sb);
	}
	return la >= 4 && lb - la <= 2 && strncmp(sa, sb, la) == 0;
}

/* The person a lone surname or given name belongs to: the one named last
 * before it, or the first after it. Returns -1 for none. */
static ssize_t
people_find_for(struct people_run *r, size_t ci, int by_given)
{
	struct people_cand	*c = &r->cand[ci];
	const char		*key = people_cand_key(r, c), *pk, *bar;
	ssize_t			 best = -1, after = -1;
	size_t			 pi, k, gl;
	uint32_t		 best_off = 0;

	for (pi = 0; pi < r->nperson; pi++) {
		pk = r->person[pi].key;
		if (by_given) {
			/* "|maksim" against "maksim|harkin". */
			bar = strchr(pk, '|');
			gl = bar != NULL ? (size_t)(bar - pk) : 0;
			if (gl == 0 || strlen(key + 1) != gl ||
			    memcmp(pk, key + 1, gl) != 0)
				continue;
		} else if (extract_name_compare(key, pk) ==
		    EXTRACT_NAME_DIFFERENT && !(r->l->stem &&
		    people_key_inflected(key, pk)))
			continue;
		for (k = 0; k < r->ncand; k++) {
			if (!r->cand[k].linked || r->cand[k].person != pi ||
			    k == ci)
				continue;
			if (r->cand[k].offset < c->offset &&
			    r->cand[k].offset >= best_off) {
				best = (ssize_t)pi;
				best_off = r->cand[k].offset;
			} else if (r->cand[k].offset > c->offset && after < 0)
				after = (ssize_t)pi;
		}
	}
	return best >= 0 ? best : after;
}

/* Returns 1 when candidate ci, a word alone and no common word in a
 * title, is joined by a word of [and] to a candidate that is a person's
 * mention, right before or right after it. */
static int
people_coordinated(struct people_run *r, size_t ci)
{
	const struct people_cand	*c = &r->cand[ci];
	const struct people_tok		*pt = r->p->tok;
	size_t				 n = r->t->tokens.count, k, other;

	if (pt[c->s].flags & PT_WEAK)
		return 0;
	for (k = 0; k < r->ncand; k++) {
		if (!r->cand[k].linked)
			continue;
		other = r->cand[k].e;
		if (c->s >= 2 && other + 1 == c->s &&
		    pt[other - 1].join == PEOPLE_SPACE &&
		    pt[other].join == PEOPLE_SPACE &&
		    people_in(r, &r->l->and, other))
			return 1;
		other = r->cand[k].s;
		if (c->e + 1 == other && other < n &&
		    pt[c->e - 1].join == PEOPLE_SPACE &&
		    pt[c->e].join == PEOPLE_SPACE &&
		    people_in(r, &r->l->and, c->e))
			return 1;
	}
	return 0;
}

/* The person of the linked candidate that starts at token s or ends
 * before token e (SIZE_MAX: either), not a given name alone; or -1. */
static ssize_t
people_linked_at(const struct people_run *r, size_t s, size_t e)
{
	size_t	k;

	for (k = 0; k < r->ncand; k++)
		if (r->cand[k].linked && !r->cand[k].given_only &&
		    (r->cand[k].s == s || s == SIZE_MAX) &&
		    (r->cand[k].e == e || e == SIZE_MAX))
			return (ssize_t)r->cand[k].person;
	return -1;
}

/* Returns 1 when the bytes after token i begin with a possessive 's. */
static int
people_possessive(const struct people_run *r, size_t i)
{
	const struct text_token	*tk = &r->t->tokens.tokens[i];
	size_t			 at = tk->offset + tk->source_len;
	const char		*end = r->t->text + at;
	size_t			 left = r->t->len - at;

	return (left >= 2 && memcmp(end, "'s", 2) == 0) || (left >= 4 &&
	    memcmp(end, "\xe2\x80\x99s", 4) == 0);
}

/*
 * The person whose surname the given name alone at ci shares, or -1: a
 * kinsman named right before it ("Eitan Horn, whose brother Iair", "Horn's
 * brother Iair"; [kin], [kin-whose]), or a full name it is joined to by
 * "and" ("Gali and Ziv Berman", "Bill and Hillary Clinton"). Siblings,
 * children and spouses mostly share a surname in the news, and the name
 * key is how the registry meets them again.
 */
static ssize_t
people_kin(struct people_run *r, size_t ci)
{
	const struct people_cand	*c = &r->cand[ci];
	const struct people_tok		*pt = r->p->tok;
	size_t				 s = c->s, n = r->t->tokens.count;

	if (s >= 2 && pt[s - 1].join == PEOPLE_SPACE && people_in(r,
	    &r->l->kin, s - 1)) {
		if (people_possessive(r, s - 2))
			return people_linked_at(r, SIZE_MAX, s - 1);
		if (s >= 3 && pt[s - 2].join == PEOPLE_SPACE && people_in(r,
		    &r->l->kin_whose, s - 2) && people_comma_after(r, s - 3))
			return people_linked_at(r, SIZE_MAX, s - 2);
	}
	if (c->e + 2 < n && pt[c->s].join == PEOPLE_SPACE &&
	    pt[c->e].join == PEOPLE_SPACE && people_in(r, &r->l->and, c->e))
		return people_linked_at(r, c->e + 1, SIZE_MAX);
	return -1;
}

/* The key of the given name alone at ci with its kinsman's surname (see
 * people_kin), or NULL when it has no kinsman. Caller frees. */
static char *
people_kin_key(struct people_run *r, size_t ci)
{
	const struct people_cand *c = &r->cand[ci], *k;
	const char		*sp;
	char			*name, *key;
	ssize_t			 kp;

	if ((kp = people_kin(r, ci)) < 0)
		return NULL;
	k = &r->cand[r->person[kp].best];
	/* The given name written with the kinsman's fullest name less his
	 * own given name: "Iair" and "Eitan Horn" make "Iair Horn",
	 * "Yair" and "Netanyahu" "Yair Netanyahu". */
	name = xstrndup(r->t->text + k->offset, k->len);
	if ((sp = strchr(name, ' ')) == NULL)
		sp = name;
	xasprintf(&key, "%.*s %s", (int)c->len, r->t->text + c->offset,
	    sp + (*sp == ' '));
	free(name);
	name = key;
	key = extract_name_key(r->x, name, r->l->code);
	free(name);
	return key;
}

/* Joins a given name alone that has a kinsman to the person of its key,
 * or makes it that person. Returns 0 when it has no kinsman. */
static int
people_kin_link(struct people_run *r, size_t ci)
{
	char	*key;
	size_t	 pi;
	ssize_t	 found;

	if ((key = people_kin_key(r, ci)) == NULL)
		return 0;
	for (pi = 0; pi < r->nperson; pi++) {
		if (extract_name_compare(key, r->person[pi].key) ==
		    EXTRACT_NAME_SAME) {
			people_link(r, ci, pi);
			free(key);
			return 1;
		}
	}
	if ((found = people_person_add(r, ci)) >= 0) {
		free(r->person[found].key);
		r->person[found].key = key;
		r->person[found].kin = 1;
	} else
		free(key);
	return 1;
}

/* Joins the candidates into persons (see the comment at the top). */
static void
people_cluster(struct people_run *r)
{
	struct people_cand	*c;
	size_t			 ci, pi;
	ssize_t			 found;
	enum extract_name_match	 m;

	/* Full names: one person per key. */
	for (ci = 0; ci < r->ncand; ci++) {
		c = &r->cand[ci];
		if (c->words < 2 || !c->strong ||
		    people_cand_key(r, c)[0] == '|')
			continue;
		found = -1;
		for (pi = 0; pi < r->nperson && found < 0; pi++) {
			m = extract_name_compare(people_cand_key(r, c),
			    r->person[pi].key);
			if (m == EXTRACT_NAME_SAME)
				found = (ssize_t)pi;
		}
		if (found >= 0)
			people_link(r, ci, (size_t)found);
		else
			people_person_add(r, ci);
	}
	/* Surnames alone, and weaker full names that match a person. */
	for (ci = 0; ci < r->ncand; ci++) {
		c = &r->cand[ci];
		if (c->linked || c->given_only)
			continue;
		if ((found = people_find_for(r, ci, 0)) >= 0 ||
		    (c->words == 1 && (found = people_find_for(r, ci, 1)) >= 0))
			people_link(r, ci, (size_t)found);
		else if (c->strong)
			people_person_add(r, ci);
	}
	/* Given names alone join a person; without one, only a title or an
	 * apposition makes them a person ("his brother Iair"), or a kinsman
	 * named beside them, whose surname their key takes. */
	for (ci = 0; ci < r->ncand; ci++) {
		c = &r->cand[ci];
		if (c->linked || !c->given_only)
			continue;
		if (people_kin_link(r, ci))
			continue;
		if ((found = people_find_for(r, ci, 1)) >= 0 ||
		    (found = people_find_for(r, ci, 0)) >= 0)
			people_link(r, ci, (size_t)found);
		else if (c->strong)
			people_person_add(r, ci);
	}
	/* A surname joined by "and" to a person is one too ("встреча
	 * Путина и Зеленского", "between Zelenskyy and Putin"). */
	for (ci = 0; ci < r->ncand; ci++) {
		c = &r->cand[ci];
		if (!c->linked && c->words == 1 && !c->given_only &&
		    people_coordinated(r, ci))
			people_person_add(r, ci);
	}
}

/* The sentence of the text holding byte off, as written (bounded). */
static char *
people_evidence(const struct people_run *r, uint32_t off)
{
	const struct text_span	*sp = r->t->sentences;
	size_t			 lo = 0, hi = r->t->nsentences, mid, len;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sp[mid].offset + sp[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= r->t->nsentences || sp[lo].offset > off)
		return xstrdup("");
	len = sp[lo].len;
	if (len > PEOPLE_MAX_EVIDENCE) {
		len = PEOPLE_MAX_EVIDENCE;
		/* Never cut inside a UTF-8 sequence. */
		while (len > 0 && ((unsigned char)r->t->text[sp[lo].offset +
		    len] & 0xc0) == 0x80)
			len--;
	}
	return xstrndup(r->t->text + sp[lo].offset, len);
}

/* Orders candidates by their place in the text. */
static int
people_cand_order(const void *a, const void *b)
{
	const struct people_cand	*ca = a, *cb = b;

	return ca->offset < cb->offset ? -1 : ca->offset > cb->offset;
}

/* Orders mentions by offset, the shorter first. */
static int
people_mention_cmp(const void *a, const void *b)
{
	const struct extract_mention	*ma = a, *mb = b;

	if (ma->offset != mb->offset)
		return ma->offset < mb->offset ? -1 : 1;
	return ma->len < mb->len ? -1 : ma->len > mb->len;
}

/* Adds a spelling to a person's variants unless it is there. */
static void
people_variant(struct extract_person *ep, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < ep->nvariants; i++)
		if (strlen(ep->variants[i]) == len &&
		    memcmp(ep->variants[i], s, len) == 0)
			return;
	if (ep->nvariants >= EXTRACT_MAX_VARIANTS)
		return;
	ep->variants[ep->nvariants++] = xstrndup(s, len);
}

/* Writes the persons into the result, in the order of their first
 * mention, and their mentions into the text's. */
static void
people_output(struct people_run *r, struct extract_result *out)
{
	struct extract_person	*ep;
	struct people_person	*pp;
	struct people_cand	*c;
	size_t			*order, *rank, i, k, pi, v;
	char			*nom, *best;

	if (r->nperson == 0)
		return;
	order = xreallocarray(NULL, r->nperson, sizeof *order);
	rank = xreallocarray(NULL, r->nperson, sizeof *rank);
	/* Persons by first mention: candidates are in text order. */
	for (i = 0, k = 0; i < r->ncand && k < r->nperson; i++) {
		c = &r->cand[i];
		if (!c->linked || r->cand[r->person[c->person].first].offset !=
		    c->offset)
			continue;
		for (v = 0; v < k; v++)
			if (order[v] == c->person)
				break;
		if (v == k)
			order[k++] = c->person;
	}
	for (i = 0; i < k; i++)
		rank[order[i]] = i;
	out->people = xcalloc(k, sizeof *out->people);
	out->npeople = k;
	for (i = 0; i < k; i++) {
		pp = &r->person[order[i]];
		ep = &out->people[i];
		ep->variants = xcalloc(EXTRACT_MAX_VARIANTS,
		    sizeof *ep->variants);
		best = NULL;
		for (pi = 0; pi < r->ncand; pi++) {
			c = &r->cand[pi];
			if (!c->linked || c->person != order[i])
				continue;
			ep->mentions++;
			nom = extract_names_nominative(r->p->names,
			    r->t->text + c->offset, c->len, r->l->code);
			if (best == NULL || extract_name_better(nom, best)) {
				free(best);
				best = nom;
			} else
				free(nom);
		}
		ep->name = best;
		ep->key = pp->kin ? xstrdup(pp->key) :
		    extract_name_key(r->x, ep->name, r->l->code);
		ep->evidence = people_evidence(r, r->cand[pp->first].offset);
		/* The name first when it was written so, then the others. */
		for (pi = 0; pi < r->ncand; pi++) {
			c = &r->cand[pi];
			if (c->linked && c->person == order[i] &&
			    c->len == strlen(ep->name) && memcmp(r->t->text +
			    c->offset, ep->name, c->len) == 0)
				people_variant(ep, ep->name, c->len);
		}
		for (pi = 0; pi < r->ncand; pi++) {
			c = &r->cand[pi];
			if (c->linked && c->person == order[i])
				people_variant(ep, r->t->text + c->offset,
				    c->len);
		}
	}
	for (i = 0; i < r->ncand; i++) {
		c = &r->cand[i];
		if (c->linked)
			people_mention(r, c->offset, c->len,
			    EXTRACT_SPAN_PERSON, rank[c->person]);
	}
	free(order);
	free(rank);
}

void
extract_people_find(struct extract_people *p, struct extractor *x,
    struct extract_text *t, struct extract_result *out)
{
	struct people_run	r;
	size_t			i;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.x = x;
	r.t = t;
	if ((r.l = people_lang(p, t->lang)) == NULL || t->tokens.count == 0)
		return;
	people_scan(&r);
	people_gazetteer(&r);
	people_runs(&r);
	if (r.ncand > 0)
		qsort(r.cand, r.ncand, sizeof *r.cand, people_cand_order);
	people_cluster(&r);
	people_output(&r, out);
	if (t->nmentions > 0)
		qsort(t->mentions, t->nmentions, sizeof *t->mentions,
		    people_mention_cmp);
	for (i = 0; i < r.ncand; i++)
		free(r.cand[i].key);
	free(r.cand);
	for (i = 0; i < r.nperson; i++) {
		free(r.person[i].key);
	}
	free(r.person);
}
