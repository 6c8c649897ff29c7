/* claim.c: claims — sentences that attribute a statement or state a figure — with their speaker, source, figures and content terms. */

/*
 * A sentence is a claim when it attributes a statement (a reporting verb
 * that is not a noun, an "according to" phrase, a quotation with a person
 * named beside it, a headline's "Name: ...") or states a figure
 * (figure.c). Its speaker is found around the attribution cue:
 *	"according to X": X when a person, else the source cited, which
 *	then is the speaker too ("according to the Times of Israel");
 *	"according to him", "he said", "the diplomat said": the speaker of a
 *	claim one or two sentences before;
 *	"stated by X": the passive's agent;
 *	the words of the verb's own clause before it: a person named there
 *	(not one that only qualifies another noun: "the office of ...
 *	Netanyahu", "Netanyahu's office"), else the phrase as written ("a
 *	source in the movement", "The Wall Street Journal and The New York
 *	Times", "His family");
 *	when nothing precedes the verb in its clause (a quotation or an
 *	apposition ends before it, "Об этом заявил"): the person set off by
 *	commas before it ("Mohammed Al-Masri, a security expert, told"), else
 *	the subject after it ("— заявила Мария Захарова", "сообщило
 *	посольство");
 *	for a participle ("citing", "заявив") or when all that finds nothing:
 *	the name that opens the sentence or its first clause.
 * The source is what "according to" names when it is no person, the
 * object of "told", "in an interview with", "сообщил «Известиям»", or the
 * speaker of an outlet's verb ("write", "пишет"). Names come from the
 * people pass (t->mentions). No parser runs here: these rules cover how
 * news reports attribute, and every word they use is a cue table of the
 * language (cues/claims-XX.txt).
 *
 * The content terms are the claim's words without the words that name
 * its speaker and source (their titles, their appositions), its figures,
 * stop words and the attribution itself: what was said, for novelty.c to
 * compare. A word is written as its concept where the language's
 * [concepts] know one, an id every language shares in capitals
 * ("RELEASE" for released, freed, освобождены; the attribution's own
 * word too when it has one: "warned", "пригрозил" THREAT), else as its
 * stem; a person named as "@" and their surname key, a place or an
 * organisation as its concept ("ХАМАС", "Hamas": HAMAS). Three kinds of
 * terms say more than content and novelty.c reads them apart: the words
 * around each figure, "#figure=word,word" (what it counts: "#1800=
 * PALESTINE,PRISONER,RELEASE"), and the speaker, "$" and its surname key
 * or the concepts and Latin words of its name ("$HAMAS", "$axios").
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "common/common.h"
#include "extract/extract_internal.h"

/* A sentence longer than this (bytes) is no claim: news sentences are
 * far shorter, and a run of text without a stop is not one sentence. */
#define CLAIM_MAX_SENTENCE	2048
/* Languages with claim cues looked up at once. */
#define CLAIM_MAX_LANGS		32
/* How far back from a verb its speaker's name may be, in tokens. */
#define CLAIM_SPEAKER_REACH	25
/* The longest speaker or source phrase, in tokens. */
#define CLAIM_MAX_PHRASE	12
/* Content terms kept of one claim. */
#define CLAIM_MAX_TERMS		64
/* The words of a title before a name ("Israeli Prime Minister"), and
 * of a speaker's title set off before it ("the official representative
 * of the Russian Foreign Ministry, Maria Zakharova"). */
#define CLAIM_TITLE_WORDS	6
#define CLAIM_TITLE_REACH	10
/* The longest speaker term, and the bytes of all terms of a claim. */
#define CLAIM_SPEAKER_WORD	64
#define CLAIM_TERMS_BYTES	8192
/* What used[] holds of a token besides figure.c's marks: an attribution
 * cue, or a word naming the speaker or the source. */
#define CLAIM_MARK_CUE		1
#define CLAIM_MARK_NAMED	254
_Static_assert(EXTRACT_FIGURE_MARK_DATE + EXTRACT_MAX_FIGURES <
    CLAIM_MARK_NAMED, "claim marks differ from figure marks");
/* The words around a figure kept (each side), how far they are looked
 * for (tokens), and the longest term they make. */
#define CLAIM_CONTEXT_WORDS	3
#define CLAIM_CONTEXT_REACH	6
#define CLAIM_CONTEXT_TERM	160
/* "According to him" reaches the speaker this many sentences back. */
#define CLAIM_SELF_REACH	2

/* The cue sections, by enum extract_cue. */
static const char *claim_sections[EXTRACT_CUE_COUNT] = {
	[EXTRACT_CUE_REPORTING] = "reporting",
	[EXTRACT_CUE_ACCORDING] = "according",
	[EXTRACT_CUE_ACCORDING_SELF] = "according-self",
	[EXTRACT_CUE_TO_SOURCE] = "to-source",
	[EXTRACT_CUE_MEDIA] = "media",
	[EXTRACT_CUE_PARTICIPLE] = "participle",
	[EXTRACT_CUE_BY] = "by",
	[EXTRACT_CUE_OF] = "of",
	[EXTRACT_CUE_SPEAKER] = "speaker",
	[EXTRACT_CUE_ANAPHOR] = "anaphor",
	[EXTRACT_CUE_SKIP] = "skip",
	[EXTRACT_CUE_BOUNDARY] = "boundary",
	[EXTRACT_CUE_NOUN_BEFORE] = "noun-before",
	[EXTRACT_CUE_STOP] = "stop",
	[EXTRACT_CUE_QUOTE] = "quotes",
	[EXTRACT_CUE_NUMBER] = "number",
	[EXTRACT_CUE_NUMBER_UNIT] = "number-unit",
	[EXTRACT_CUE_NOT_COUNT] = "not-count",
	[EXTRACT_CUE_SCALE] = "scale",
	[EXTRACT_CUE_UNIT] = "unit",
	[EXTRACT_CUE_UNIT_SKIP] = "unit-skip",
	[EXTRACT_CUE_CURRENCY] = "currency",
	[EXTRACT_CUE_MONTH] = "month",
	[EXTRACT_CUE_YEAR_BEFORE] = "year-before",
	[EXTRACT_CUE_YEAR_AFTER] = "year-after",
	[EXTRACT_CUE_RATIO] = "ratio",
	[EXTRACT_CUE_RATE] = "rate",
	[EXTRACT_CUE_RANGE] = "range",
	[EXTRACT_CUE_AGE] = "age",
	[EXTRACT_CUE_NAME_NUMBER] = "name-number",
	[EXTRACT_CUE_DECIMAL] = "decimal",
};

/* Each section is a bit of a uint32_t. */
_Static_assert(EXTRACT_CUE_COUNT <= 32, "cue sections are bits of 32");

/* The concept sections of a cue file, as bits of their own table. */
enum claim_concept_section {
	CLAIM_CONCEPT_PREFIX,	/* [concepts]: a word starting with it */
	CLAIM_CONCEPT_NAMES,	/* [concept-names]: a name's words only,
				   before [concept-words] (the lower bit's
				   value wins) */
	CLAIM_CONCEPT_WORDS,	/* [concept-words]: whole words */
};

/* The cues of one language; cues is NULL when it has no cue file. */
struct claim_lang {
	char			 lang[8];
	struct extract_phrases	*cues;
	struct extract_phrases	*concepts;
	size_t			 prefix_min;	/* bytes of the shortest and */
	size_t			 prefix_max;	/* longest [concepts] entry */
};

struct extract_claims {
	struct claim_lang	langs[CLAIM_MAX_LANGS];
	size_t			nlangs;
};

/* The attribution cues: a claim is attributed when one starts a token. */
#define CLAIM_ATTRIBUTION	(EXTRACT_CUE(REPORTING) | \
    EXTRACT_CUE(ACCORDING) | EXTRACT_CUE(ACCORDING_SELF))

/* What a speaker or source was found to be. */
struct claim_who {
	const char	*text;		/* into t->text, or a name */
	size_t		 len;
	const char	*key;		/* a person's name key, or NULL */
	int		 person;
	size_t		 ta, tb;	/* the tokens naming it and its title
					   (none when ta == tb): not terms */
};

/* The sentence being read and the state of the text around it. */
struct claim_scan {
	const struct extract_phrases	*cues;
	const struct claim_lang		*lang;
	struct extract_text		*t;
	struct extract_result		*out;
	size_t				 first, end;	/* tokens */
	int				*mention;	/* per token, or -1 */
	unsigned char			*used;		/* per token */
	const char			**term;		/* per token: the term
							   it gave the claim
							   being written */
	struct claim_who		 last;		/* the last speaker */
	size_t				 last_sentence;
	int				 has_last;
};

/* Token i of the text being read. */
#define TOK(s, i)	(&(s)->t->tokens.tokens[(i)])

struct extract_claims *
extract_claims_new(char **cause)
{
	(void)cause;
	return xcalloc(1, sizeof(struct extract_claims));
}

void
extract_claims_free(struct extract_claims *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nlangs; i++) {
		extract_phrases_free(c->langs[i].cues);
		extract_phrases_free(c->langs[i].concepts);
	}
	free(c);
}

/* Loads the cue file of lang, cues/claims-LANG.txt; NULL when there is
 * none. */
static struct extract_phrases *
claim_cues_load(const char *lang)
{
	struct extract_phrases *p;
	char file[64], *cause = NULL;
	unsigned i;

	snprintf(file, sizeof file, "cues/claims-%s.txt", lang);
	if (extract_file_find(file) == NULL)
		return NULL;
	p = extract_phrases_new();
	for (i = 0; i < EXTRACT_CUE_COUNT; i++) {
		if (extract_phrases_load(p, file, claim_sections[i], i,
		    &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			extract_phrases_free(p);
			return NULL;
		}
	}
	return p;
}

/*
 * Loads the concept sections of lang's cue file into l->concepts and
 * notes how long its [concepts] entries are, so that looking a word up
 * tries only the prefixes an entry could be. A file without them gives
 * an empty table: every word is its own term.
 */
static void
claim_concepts_load(struct claim_lang *l)
{
	static const char *sections[] = {
		[CLAIM_CONCEPT_PREFIX] = "concepts",
		[CLAIM_CONCEPT_NAMES] = "concept-names",
		[CLAIM_CONCEPT_WORDS] = "concept-words",
	};
	struct extract_list list;
	char file[64], *cause = NULL;
	size_t i, len;
	unsigned k;

	snprintf(file, sizeof file, "cues/claims-%s.txt", l->lang);
	l->concepts = extract_phrases_new();
	for (k = 0; k < sizeof sections / sizeof sections[0]; k++) {
		if (extract_phrases_load(l->concepts, file, sections[k], k,
		    &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			return;
		}
	}
	memset(&list, 0, sizeof list);
	if (extract_list_load(&list, file, sections[CLAIM_CONCEPT_PREFIX],
	    &cause) != 0) {
		free(cause);
		return;
	}
	l->prefix_min = SIZE_MAX;
	for (i = 0; i < list.count; i++) {
		len = strcspn(list.entries[i], " ");
		if (len < l->prefix_min)
			l->prefix_min = len;
		if (len > l->prefix_max)
			l->prefix_max = len;
	}
	extract_list_clear(&list);
}

/* The cues of lang, loaded on first use: a language is a cue file, so
 * adding one needs no code. */
static const struct claim_lang *
claim_cues(struct extract_claims *c, const char *lang)
{
	struct claim_lang *l;
	size_t i, len;

	if (lang == NULL || (len = strlen(lang)) < 2 || len > 3)
		return NULL;
	for (i = 0; i < len; i++) {
		if (lang[i] < 'a' || lang[i] > 'z')
			return NULL;
	}
	for (i = 0; i < c->nlangs; i++) {
		if (strcmp(c->langs[i].lang, lang) == 0)
			return c->langs[i].cues != NULL ? &c->langs[i] : NULL;
	}
	if (c->nlangs == CLAIM_MAX_LANGS)
		return NULL;
	l = &c->langs[c->nlangs++];
	snprintf(l->lang, sizeof l->lang, "%s", lang);
	if ((l->cues = claim_cues_load(lang)) == NULL)
		return NULL;
	claim_concepts_load(l);
	return l;
}

/* Returns 1 when token i is a one-word entry of a section of mask. */
static int
claim_is(const struct claim_scan *s, size_t i, uint32_t mask)
{
	return extract_phrases_lookup(s->cues, TOK(s, i)->word,
	    TOK(s, i)->len, mask, NULL) != 0;
}

/* The bytes between token i and the next, within the sentence. */
static const char *
claim_gap(const struct claim_scan *s, size_t i, size_t *len)
{
	const struct text_token *a = TOK(s, i);
	size_t from = a->offset + a->source_len, to;

	to = i + 1 < s->end ? TOK(s, i + 1)->offset : from;
	*len = to > from ? to - from : 0;
	return s->t->text + from;
}

/* Returns 1 when the character at g[k] (n bytes) is a quotation mark.
 * The apostrophes ' and ’ are marks only beside a space or punctuation
 * on their outer side ("Hamas' rejection" holds none; ",' he said"
 * does). */
static int
claim_quote_at(const struct extract_phrases *cues, const char *text,
    size_t k, size_t n, size_t end)
{
	unsigned char before, after;

	if (!extract_phrases_lookup(cues, text + k, n, EXTRACT_CUE(QUOTE),
	    NULL))
		return 0;
	if (!(n == 1 && text[k] == '\'') &&
	    !(n == 3 && memcmp(text + k, "\xe2\x80\x99", 3) == 0))
		return 1;
	before = k > 0 ? (unsigned char)text[k - 1] : ' ';
	after = k + n < end ? (unsigned char)text[k + n] : ' ';
	return before == ' ' || (before != 0 && strchr(",.!?;:", before) !=
	    NULL) || (after != 0 && strchr(",.!?;:", after) != NULL);
}

/* Returns 1 when the gap after token i ends a clause: punctuation, a
 * quotation mark, a dash between spaces. */
static int
claim_gap_breaks(const struct claim_scan *s, size_t i)
{
	const char *g;
	size_t len, k, n, start;
	uint32_t cp;

	g = claim_gap(s, i, &len);
	start = (size_t)(g - s->t->text);
	for (k = 0; k < len; k += n) {
		if ((n = util_utf8_decode((const unsigned char *)g + k,
		    len - k, &cp)) == 0)
			return 1;
		if (cp < 0x80 && cp != 0 && strchr(",;:()[].!?", (int)cp) !=
		    NULL)
			return 1;
		if ((cp == 0x2014 || cp == 0x2013 || cp == '-') && len > n)
			return 1;
		if (claim_quote_at(s->cues, s->t->text, start + k, n,
		    s->t->len))
			return 1;
	}
	return 0;
}

/* Returns 1 when the gap after token i holds a closing quotation mark:
 * what precedes is the quoted statement, not its speaker. */
static int
claim_gap_quotes(const struct claim_scan *s, size_t i)
{
	const char *g;
	size_t len, k, n, start;
	uint32_t cp;

	g = claim_gap(s, i, &len);
	start = (size_t)(g - s->t->text);
	for (k = 0; k < len; k += n) {
		if ((n = util_utf8_decode((const unsigned char *)g + k,
		    len - k, &cp)) == 0)
			return 0;
		if (claim_quote_at(s->cues, s->t->text, start + k, n,
		    s->t->len))
			return 1;
	}
	return 0;
}

/* Returns 1 when the sentence (bytes off..off+len) holds a quotation. */
static int
claim_has_quote(const struct claim_scan *s, size_t off, size_t len)
{
	const char *text = s->t->text;
	size_t k, n;
	uint32_t cp;

	for (k = off; k < off + len; k += n) {
		if ((unsigned char)text[k] < 0x80 && text[k] != '"' &&
		    text[k] != '\'') {
			n = 1;
			continue;
		}
		if ((n = util_utf8_decode((const unsigned char *)text + k,
		    off + len - k, &cp)) == 0) {
			n = 1;
			continue;
		}
		if (claim_quote_at(s->cues, text, k, n, s->t->len))
			return 1;
	}
	return 0;
}

/* The mention that holds token i, or NULL. */
static const struct extract_mention *
claim_mention(const struct claim_scan *s, size_t i)
{
	return s->mention[i] >= 0 ? &s->t->mentions[s->mention[i]] : NULL;
}

/* Returns 1 when token i is in a person's mention. */
static int
claim_is_person(const struct claim_scan *s, size_t i)
{
	const struct extract_mention *m = claim_mention(s, i);

	return m != NULL && m->kind == EXTRACT_SPAN_PERSON &&
	    m->person < s->out->npeople;
}

/* Returns 1 when token i is in an organisation's mention. */
static int
claim_is_organisation(const struct claim_scan *s, size_t i)
{
	const struct extract_mention *m = claim_mention(s, i);

	return m != NULL && m->kind == EXTRACT_SPAN_ORGANISATION;
}

/* The first and last tokens of the mention of token i, within bounds. */
static void
claim_mention_tokens(const struct claim_scan *s, size_t i, size_t lo,
    size_t hi, size_t *a, size_t *b)
{
	*a = *b = i;
	while (*a > lo && s->mention[*a - 1] == s->mention[i])
		(*a)--;
	while (*b + 1 < hi && s->mention[*b + 1] == s->mention[i])
		(*b)++;
}

/* Returns 1 when token i starts with a capital letter in the source. */
static int
claim_is_capitalised(const struct claim_scan *s, size_t i)
{
	uint32_t cp;

	if (util_utf8_decode((const unsigned char *)s->t->text +
	    TOK(s, i)->offset, TOK(s, i)->source_len, &cp) == 0)
		return 0;
	return u_isupper((UChar32)cp);
}

/*
 * Returns 1 when the person named at tokens a..b only qualifies another
 * noun: "Netanyahu's office", "the Witkoff plan", "the office of Israeli
 * Prime Minister Benjamin Netanyahu", "канцелярии премьер-министра
 * Израиля Биньямина Нетаньяху" (the titles before the name, up to
 * CLAIM_TITLE_WORDS, are passed over to find the "of").
 */
static int
claim_is_possessor(const struct claim_scan *s, size_t a, size_t b)
{
	const char *g;
	size_t len, k;

	g = claim_gap(s, b, &len);
	if (b + 1 < s->end && len >= 2 && (g[0] == '\'' ||
	    (len >= 4 && memcmp(g, "\xe2\x80\x99", 3) == 0)) &&
	    !claim_is(s, b + 1, CLAIM_ATTRIBUTION | EXTRACT_CUE(SKIP)))
		return 1;
	if (a > s->first && !claim_gap_breaks(s, a - 1) &&
	    claim_is(s, a - 1, EXTRACT_CUE(NOUN_BEFORE)))
		return 1;
	for (k = a; k > s->first && k + CLAIM_TITLE_WORDS > a; k--) {
		if (claim_gap_breaks(s, k - 1))
			return 0;
		if (claim_is(s, k - 1, EXTRACT_CUE(OF)))
			return 1;
		if (claim_is(s, k - 1, EXTRACT_CUE(STOP)) &&
		    !claim_is_capitalised(s, k - 1))
			return 0;
	}
	return 0;
}

/* Fills who with the person named at token i. */
static void
claim_who_person(const struct claim_scan *s, size_t i, struct claim_who *who)
{
	const struct extract_person *p;

	p = &s->out->people[claim_mention(s, i)->person];
	who->text = p->name;
	who->len = strlen(p->name);
	who->key = p->key;
	who->person = 1;
	claim_mention_tokens(s, i, s->first, s->end, &who->ta, &who->tb);
	who->tb++;
}

/* Widens the tokens that name who to a..b-1 (its title, its apposition). */
static void
claim_who_span(struct claim_who *who, size_t a, size_t b)
{
	/* A speaker named in another sentence has no tokens here yet. */
	if (who->ta == who->tb) {
		who->ta = a;
		who->tb = b;
		return;
	}
	if (a < who->ta)
		who->ta = a;
	if (b > who->tb)
		who->tb = b;
}

/* Takes the last speaker, named in another sentence. */
static void
claim_who_last(const struct claim_scan *s, struct claim_who *who)
{
	*who = s->last;
	who->ta = who->tb = 0;
}

/* Fills who with the text of tokens a..b-1, the words of [skip] at either
 * end left off. Returns 0, or -1 when nothing is left. */
static int
claim_who_phrase(const struct claim_scan *s, size_t a, size_t b,
    struct claim_who *who)
{
	while (a < b && claim_is(s, a, EXTRACT_CUE(SKIP)))
		a++;
	while (b > a && claim_is(s, b - 1, EXTRACT_CUE(SKIP) |
	    EXTRACT_CUE(BY) | EXTRACT_CUE(STOP)))
		b--;
	if (a == b || b - a > CLAIM_MAX_PHRASE)
		return -1;
	who->text = s->t->text + TOK(s, a)->offset;
	who->len = TOK(s, b - 1)->offset + TOK(s, b - 1)->source_len -
	    TOK(s, a)->offset;
	who->key = NULL;
	who->person = 0;
	who->ta = a;
	who->tb = b;
	return 0;
}

/* The end of the run that starts at token a: a new clause's word or an
 * attribution, the token after a gap for which ends says so, or reach
 * tokens. */
static size_t
claim_run_end(const struct claim_scan *s, size_t a, size_t reach,
    int (*ends)(const struct claim_scan *, size_t))
{
	size_t b;

	for (b = a; b < s->end && b < a + reach; b++) {
		if (b > a && claim_is(s, b, EXTRACT_CUE(BOUNDARY) |
		    CLAIM_ATTRIBUTION))
			break;
		if (ends(s, b))
			return b + 1;
	}
	return b;
}

/* The end of the clause that starts at token a: punctuation, a new
 * clause's word, an attribution, or CLAIM_MAX_PHRASE tokens. */
static size_t
claim_clause_end(const struct claim_scan *s, size_t a)
{
	return claim_run_end(s, a, CLAIM_MAX_PHRASE, claim_gap_breaks);
}

/* The end of the phrase that starts at token a, appositions included
 * ("by the official representative of the ministry, Maria Zakharova"):
 * a new clause's word, an attribution or a quotation ends it. */
static size_t
claim_region_end(const struct claim_scan *s, size_t a)
{
	return claim_run_end(s, a, CLAIM_SPEAKER_REACH, claim_gap_quotes);
}

/* Returns 1 when tokens a..b-1 name a speaker: a person (taken first),
 * a speaker noun's phrase or an organisation; fills who. */
static int
claim_who_in(const struct claim_scan *s, size_t a, size_t b,
    struct claim_who *who)
{
	size_t k, ma, mb;
	int speaker = 0, org = 0;

	for (k = a; k < b; k++) {
		if (claim_is_person(s, k)) {
			claim_mention_tokens(s, k, a, b, &ma, &mb);
			if (!claim_is_possessor(s, ma, mb)) {
				/* Its title: "Hamas spokesman ...". */
				claim_who_person(s, k, who);
				claim_who_span(who, a, mb + 1);
				return 1;
			}
		}
		speaker |= claim_is(s, k, EXTRACT_CUE(SPEAKER));
		org |= claim_is_organisation(s, k);
	}
	if (!speaker && !org)
		return 0;
	if (!speaker) {
		while (!claim_is_organisation(s, a))
			a++;
		while (!claim_is_organisation(s, b - 1))
			b--;
	}
	return claim_who_phrase(s, a, b, who) == 0;
}

/* Returns 1 when the person named at tokens a..b opens a clause and a
 * comma follows: an apposition's subject ("Mohammed Al-Masri, a security
 * expert, told"; "The official representative, Hazem Qassem,
 * confirmed"), not a name inside the statement ("... Максима Харкина,
 * заявила Захарова"). Titles and determiners before it are passed over. */
static int
claim_is_apposition(const struct claim_scan *s, size_t a, size_t b)
{
	const char *g;
	size_t len, k;

	g = claim_gap(s, b, &len);
	if (len == 0 || memchr(g, ',', len) == NULL)
		return 0;
	for (k = a; k > s->first && k + CLAIM_TITLE_WORDS > a; k--) {
		if (claim_gap_breaks(s, k - 1))
			return 1;
		if (!claim_is_capitalised(s, k - 1) && !claim_is(s, k - 1,
		    EXTRACT_CUE(SPEAKER) | EXTRACT_CUE(NOUN_BEFORE) |
		    EXTRACT_CUE(SKIP)))
			return 0;
	}
	return k == s->first;
}

/* The first person named in the sentence's first clause: "Her husband
 * Yarden Bibas, who was freed ..., said". */
static int
claim_who_first_clause(const struct claim_scan *s, struct claim_who *who)
{
	size_t k;

	for (k = s->first; k < s->end; k++) {
		if (claim_is_person(s, k)) {
			claim_who_person(s, k, who);
			return 1;
		}
		if (claim_gap_breaks(s, k))
			return 0;
	}
	return 0;
}

/* The person named nearest before the verb at token v as the subject of
 * an apposition, up to a closing quotation mark, a new clause (not one
 * set off by commas) or another attribution. */
static int
claim_person_before(const struct claim_scan *s, size_t v,
    struct claim_who *who)
{
	size_t k, ma, mb;

	for (k = v; k > s->first && k + CLAIM_SPEAKER_REACH > v; k--) {
		if (claim_gap_quotes(s, k - 1) ||
		    claim_is(s, k - 1, CLAIM_ATTRIBUTION))
			return 0;
		/* ", who was freed ...," is passed over; "that" is not. */
		if (claim_is(s, k - 1, EXTRACT_CUE(BOUNDARY)) &&
		    (k - 1 == s->first || !claim_gap_breaks(s, k - 2)))
			return 0;
		if (!claim_is_person(s, k - 1))
			continue;
		claim_mention_tokens(s, k - 1, s->first, v, &ma, &mb);
		if (!claim_is_possessor(s, ma, mb) &&
		    claim_is_apposition(s, ma, mb)) {
			claim_who_person(s, k - 1, who);
			claim_who_span(who, ma, v);
			return 1;
		}
		k = ma + 1;
	}
	return 0;
}

/* The first token of the clause that ends before token v. */
static size_t
claim_clause_start(const struct claim_scan *s, size_t v)
{
	size_t k;

	for (k = v; k > s->first && v - k < CLAIM_SPEAKER_REACH; k--) {
		if (claim_gap_breaks(s, k - 1) || claim_is(s, k - 1,
		    EXTRACT_CUE(BOUNDARY) | CLAIM_ATTRIBUTION))
			break;
	}
	return k;
}

/*
 * The source a verb at token v (w words) gives its statement to: the
 * object of "told", of "in an interview with" after it, or Russian's
 * dative outlet beside it ("сообщил «Известиям»"). Returns the token
 * after the source, or 0 when there is none.
 */
static size_t
claim_source_after(const struct claim_scan *s, size_t v, size_t w,
    struct claim_who *who)
{
	size_t k, n, b, a;

	for (k = v; k < s->end && k < v + w + 4; k++) {
		if (k > v + w && claim_gap_breaks(s, k - 1))
			return 0;
		if ((n = extract_phrases_match(s->cues, &s->t->tokens, k,
		    s->end, EXTRACT_CUE(TO_SOURCE), NULL, NULL)) == 0)
			continue;
		a = k + n;
		if (a >= s->end || claim_is_person(s, a) ||
		    (k + n - 1 < s->end && claim_gap_breaks(s, k + n - 1) &&
		    !claim_gap_quotes(s, k + n - 1)))
			return 0;
		b = claim_clause_end(s, a);
		if (claim_is_organisation(s, a)) {
			claim_mention_tokens(s, a, a, b, &a, &b);
			b++;
		}
		while (b > a + 1 && !claim_is_organisation(s, b - 1) &&
		    claim_is(s, b - 1, EXTRACT_CUE(STOP)))
			b--;
		if (claim_who_phrase(s, a, b, who) != 0)
			return 0;
		/* "told Izvestia", "told the newspaper"; not "сообщил
		 * регулятор", where the noun is the subject. */
		if (!claim_is_organisation(s, a) && !claim_is_capitalised(s, a) &&
		    !(claim_is(s, b - 1, EXTRACT_CUE(SPEAKER)) &&
		    claim_is(s, a, EXTRACT_CUE(NOUN_BEFORE))))
			return 0;
		return b;
	}
	return 0;
}

/* Returns 1 when tokens a..b-1 hold only words of [skip] and [stop]. */
static int
claim_is_empty(const struct claim_scan *s, size_t a, size_t b)
{
	for (; a < b; a++) {
		if (!claim_is(s, a, EXTRACT_CUE(SKIP) | EXTRACT_CUE(STOP)))
			return 0;
	}
	return 1;
}

/* Returns 1 when tokens a..b-1 are one phrase of [anaphor] ("the
 * diplomat"), which names the speaker of the claim before. */
static int
claim_is_anaphor(const struct claim_scan *s, size_t a, size_t b)
{
	while (a < b && claim_is(s, a, EXTRACT_CUE(SKIP)))
		a++;
	while (b > a && claim_is(s, b - 1, EXTRACT_CUE(SKIP)))
		b--;
	return a < b && extract_phrases_match(s->cues, &s->t->tokens, a, b,
	    EXTRACT_CUE(ANAPHOR), NULL, NULL) == b - a;
}

/* The name that opens the sentence (words of [skip] before it passed
 * over): the subject of a verb whose clause has none ("X did not rule
 * it out, but stressed ..."). */
static int
claim_who_first(const struct claim_scan *s, struct claim_who *who)
{
	size_t a = s->first, ma, mb;

	while (a < s->end && claim_is(s, a, EXTRACT_CUE(SKIP)))
		a++;
	if (a == s->end || claim_mention(s, a) == NULL)
		return 0;
	claim_mention_tokens(s, a, s->first, s->end, &ma, &mb);
	if (claim_is_person(s, a)) {
		if (claim_is_possessor(s, ma, mb))
			return 0;
		claim_who_person(s, a, who);
		return 1;
	}
	return claim_who_phrase(s, ma, mb + 1, who) == 0;
}

/*
 * The speaker of a reporting verb at token v (w words; its source's
 * object ends before token after, 0 for none): the words of its own
 * clause before it; when there are none (a quotation or an apposition
 * ends before it, "Об этом заявил"), the person set off before it, else
 * the subject after it; last, the name opening the sentence or its
 * first clause. A participle ("citing", "заявив") has the subject of
 * the sentence.
 */
static void
claim_speaker(struct claim_scan *s, size_t sentence, size_t v, size_t w,
    size_t after, struct claim_who *speaker)
{
	size_t start, a;

	start = claim_clause_start(s, v);
	if (!claim_is_empty(s, start, v)) {
		if (claim_is_anaphor(s, start, v) && s->has_last &&
		    sentence - s->last_sentence <= CLAIM_SELF_REACH) {
			claim_who_last(s, speaker);
			claim_who_span(speaker, start, v);
			return;
		}
		if (claim_who_in(s, start, v, speaker) ||
		    claim_who_phrase(s, start, v, speaker) == 0)
			return;
	}
	if (claim_is(s, v, EXTRACT_CUE(PARTICIPLE))) {
		if (!claim_person_before(s, v, speaker) &&
		    !claim_who_first_clause(s, speaker))
			claim_who_first(s, speaker);
		return;
	}
	if (claim_person_before(s, v, speaker))
		return;
	/* The subject after the verb, in its clause: past the source
	 * ("сообщил «Известиям» источник"), not past a comma. */
	a = after > 0 ? after : v + w;
	if (a < s->end && (!claim_gap_breaks(s, a - 1) ||
	    (after > 0 && claim_gap_quotes(s, a - 1))) &&
	    !claim_is(s, a, EXTRACT_CUE(BOUNDARY)) &&
	    claim_who_in(s, a, claim_clause_end(s, a), speaker))
		return;
	if (!claim_who_first(s, speaker))
		claim_who_first_clause(s, speaker);
}

/*
 * Finds the speaker and the source of the attribution cue at token v (w
 * words, of sections sec), as the comment at the top of this file orders
 * it. Either may stay empty (text NULL).
 */
static void
claim_attribute(struct claim_scan *s, size_t sentence, size_t v, size_t w,
    uint32_t sec, struct claim_who *speaker, struct claim_who *source)
{
	struct claim_who who;
	size_t a, b, after;

	if (sec & EXTRACT_CUE(ACCORDING_SELF)) {
		if (speaker->text == NULL && s->has_last &&
		    sentence - s->last_sentence <= CLAIM_SELF_REACH)
			claim_who_last(s, speaker);
		return;
	}
	if (sec & EXTRACT_CUE(ACCORDING)) {
		a = v + w;
		if (a >= s->end || claim_is(s, a, EXTRACT_CUE(BOUNDARY)))
			return;
		b = claim_clause_end(s, a);
		for (; a < b; a++) {
			if (!claim_is_person(s, a))
				continue;
			if (speaker->text == NULL) {
				claim_who_person(s, a, speaker);
				claim_who_span(speaker, v + w, b);
			}
			return;
		}
		if (claim_who_phrase(s, v + w, b, &who) != 0)
			return;
		if (source->text == NULL)
			*source = who;
		if (speaker->text == NULL)
			*speaker = who;
		return;
	}
	/* A passive: "stated by ...". */
	for (a = v + w; a < s->end && claim_is(s, a, EXTRACT_CUE(SKIP)); a++)
		;
	if (a < s->end && claim_is(s, a, EXTRACT_CUE(BY))) {
		if (speaker->text == NULL)
			claim_who_in(s, a + 1, claim_region_end(s, a + 1),
			    speaker);
		return;
	}
	after = claim_source_after(s, v, w, &who);
	if (after > 0 && source->text == NULL)
		*source = who;
	if (speaker->text == NULL)
		claim_speaker(s, sentence, v, w, after, speaker);
	if (speaker->text != NULL && !speaker->person &&
	    source->text == NULL && claim_is(s, v, EXTRACT_CUE(MEDIA)))
		*source = *speaker;
}

/* The first person named in the sentence who is no possessor: the
 * speaker of a quotation without a reporting verb. */
static int
claim_person_any(const struct claim_scan *s, struct claim_who *who)
{
	size_t k, ma, mb;

	for (k = s->first; k < s->end; k++) {
		if (!claim_is_person(s, k))
			continue;
		claim_mention_tokens(s, k, s->first, s->end, &ma, &mb);
		if (!claim_is_possessor(s, ma, mb)) {
			claim_who_person(s, k, who);
			return 1;
		}
		k = mb;
	}
	return 0;
}

/* Returns 1 when the sentence opens with a name and a colon, as
 * headlines attribute ("Набиуллина: ставка ..."); fills who. */
static int
claim_is_headline_speaker(const struct claim_scan *s, struct claim_who *who)
{
	size_t ma, mb;
	const char *g;
	size_t len;

	if (claim_mention(s, s->first) == NULL)
		return 0;
	claim_mention_tokens(s, s->first, s->first, s->end, &ma, &mb);
	if (mb + 1 >= s->end)
		return 0;
	g = claim_gap(s, mb, &len);
	if (len == 0 || g[0] != ':')
		return 0;
	if (claim_is_person(s, ma))
		claim_who_person(s, ma, who);
	else if (claim_who_phrase(s, ma, mb + 1, who) != 0)
		return 0;
	return 1;
}

static int
claim_term_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Returns 1 when token i may be a content term: no figure, name, stop
 * word or attribution, no digit, more than one character. */
static int
claim_is_term(const struct claim_scan *s, size_t i)
{
	const struct text_token *tk = TOK(s, i);
	uint32_t cp;
	size_t k;

	if (s->used[i] || s->mention[i] >= 0 ||
	    util_utf8_decode((const unsigned char *)tk->word, tk->len, &cp) ==
	    tk->len)
		return 0;
	for (k = 0; k < tk->len; k++) {
		if (tk->word[k] >= '0' && tk->word[k] <= '9')
			return 0;
	}
	return !claim_is(s, i, EXTRACT_CUE(STOP) | EXTRACT_CUE(REPORTING) |
	    EXTRACT_CUE(BY));
}

/*
 * The concept of the word (len bytes, folded) in the [concepts] of the
 * language: the longest entry the word starts with, cut only between
 * characters. NULL for none.
 */
static const char *
claim_concept_prefix(const struct claim_lang *l, const char *word,
    size_t len)
{
	const char *value;
	size_t k;

	for (k = len < l->prefix_max ? len : l->prefix_max;
	    k >= l->prefix_min && k > 0; k--) {
		if (k < len && ((unsigned char)word[k] & 0xc0) == 0x80)
			continue;
		if (extract_phrases_lookup(l->concepts, word, k,
		    1u << CLAIM_CONCEPT_PREFIX, &value) != 0)
			return value;
	}
	return NULL;
}

/*
 * The concept of the words starting at token i (before end), for a name
 * (names) or other words: the longest entry of [concept-words] (and of
 * [concept-names] for a name) that starts there, else the word's
 * [concepts] prefix. *words is how many tokens it took (1 for a prefix
 * or none). NULL for none.
 */
static const char *
claim_concept(const struct claim_scan *s, size_t i, size_t end, int names,
    size_t *words)
{
	const char *value = NULL;
	uint32_t mask = 1u << CLAIM_CONCEPT_WORDS;

	if (names)
		mask |= 1u << CLAIM_CONCEPT_NAMES;
	*words = extract_phrases_match(s->lang->concepts, &s->t->tokens, i,
	    end, mask, NULL, &value);
	if (*words > 0 && value != NULL)
		return value;
	*words = 1;
	return claim_concept_prefix(s->lang, TOK(s, i)->word, TOK(s, i)->len);
}

/* The terms of a claim as they are gathered, written into buf. */
struct claim_terms {
	char	*v[CLAIM_MAX_TERMS];
	size_t	 n;
	char	 buf[CLAIM_TERMS_BYTES];
	size_t	 used;
};

/* Adds a term: prefix (may be "") then len bytes of word. Returns it,
 * or NULL when there is no room. */
static const char *
claim_terms_add(struct claim_terms *terms, const char *prefix,
    const char *word, size_t len)
{
	size_t plen = strlen(prefix);
	char *t;

	if (terms->n == CLAIM_MAX_TERMS || len == 0 ||
	    plen + len + 1 > sizeof terms->buf - terms->used)
		return NULL;
	t = terms->buf + terms->used;
	memcpy(t, prefix, plen);
	memcpy(t + plen, word, len);
	t[plen + len] = '\0';
	terms->used += plen + len + 1;
	return terms->v[terms->n++] = t;
}

/* Adds a concept id as its term, in capitals: no stem is written so, so
 * a concept never meets a word. Returns it, or NULL. */
static const char *
claim_terms_add_concept(struct claim_terms *terms, const char *concept)
{
	char *t;
	size_t k;

	if (claim_terms_add(terms, "", concept, strlen(concept)) == NULL)
		return NULL;
	t = terms->v[terms->n - 1];
	for (k = 0; t[k] != '\0'; k++) {
		if (t[k] >= 'a' && t[k] <= 'z')
			t[k] -= 'a' - 'A';
		else if (t[k] == ' ')
			t[k] = '-';
	}
	return t;
}

/*
 * Adds the terms of the name at tokens a..b-1 (a mention): a person's
 * surname key ("@harkin"), which every language's spelling of them
 * shares; for an organisation or a place, the concepts of its words
 * ("Hamas", "ХАМАС": HAMAS). Other names are no terms.
 */
static void
claim_terms_name(const struct claim_scan *s, struct claim_terms *terms,
    size_t a, size_t b)
{
	const char *key, *bar, *concept, *term;
	size_t k, w, n;

	if (claim_is_person(s, a)) {
		key = s->out->people[claim_mention(s, a)->person].key;
		if (key == NULL)
			return;
		bar = strchr(key, '|');
		key = bar != NULL ? bar + 1 : key;
		term = claim_terms_add(terms, "@", key, strcspn(key, " \t,="));
		for (k = a; k < b; k++)
			s->term[k] = term;
		return;
	}
	for (k = a; k < b; k += w) {
		if ((concept = claim_concept(s, k, b, 1, &w)) == NULL)
			continue;
		term = claim_terms_add_concept(terms, concept);
		for (n = k; n < k + w; n++)
			s->term[n] = term;
	}
}

/*
 * The term token i gave the claim, as a word around a figure: its
 * concept id (a phrase's for each of its words), its stem, a name's
 * concept or a person's surname key (claim_terms keeps them in
 * s->term). NULL when it gave none (a stop word, a figure, the
 * attribution) or is a unit or a currency ("$60 a barrel"), which says
 * how, not what; and for a word that would break the term.
 */
static const char *
claim_context_word(const struct claim_scan *s, size_t i)
{
	const char *w = s->term[i];

	if (w == NULL || strpbrk(w, ",=") != NULL ||
	    claim_is(s, i, EXTRACT_CUE(UNIT) | EXTRACT_CUE(CURRENCY)))
		return NULL;
	return w;
}

/* Returns 1 when word is among the words after '=' of the context term
 * being written (len bytes): a name of two words counts once. */
static int
claim_context_has(const char *term, size_t len, const char *word)
{
	const char *w = memchr(term, '=', len), *end = term + len, *comma;
	size_t n = strlen(word);

	for (w = w != NULL ? w + 1 : end; w < end; w = comma + 1) {
		if ((comma = memchr(w, ',', (size_t)(end - w))) == NULL)
			comma = end;
		if ((size_t)(comma - w) == n && memcmp(w, word, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Adds the words around figure number f (written normal) as one term
 * "#normal=word,word,...": up to CLAIM_CONTEXT_WORDS content words on
 * either side within CLAIM_CONTEXT_REACH tokens, other figures passed
 * over ("33 hostages", "key rate to 20% from 21%", "погибших ... выросло
 * до 413"). novelty.c asks whether a changed figure counts what the
 * figure it would revise counted. Spaces of the figure become '_'.
 */
static void
claim_figure_context(const struct claim_scan *s, size_t f,
    const char *normal, struct claim_terms *terms)
{
	char term[CLAIM_CONTEXT_TERM];
	const char *word;
	unsigned char mark = (unsigned char)(EXTRACT_FIGURE_MARK + f);
	size_t a = s->end, b = s->first, k, len, n;
	int side;

	for (k = s->first; k < s->end; k++) {
		if (s->used[k] != mark)
			continue;
		if (k < a)
			a = k;
		b = k;
	}
	if (a == s->end)
		return;
	len = (size_t)snprintf(term, sizeof term, "#%s=", normal);
	if (len >= sizeof term)
		return;
	for (k = 1; k < len; k++) {
		if (term[k] == ' ')
			term[k] = '_';
	}
	for (side = 0; side < 2; side++) {
		n = 0;
		for (k = 1; k <= CLAIM_CONTEXT_REACH && n < CLAIM_CONTEXT_WORDS;
		    k++) {
			if (side == 0 ? k > a - s->first : b + k >= s->end)
				break;
			/* A phrase gives each word its concept: once. */
			if ((word = claim_context_word(s, side == 0 ? a - k :
			    b + k)) == NULL || claim_context_has(term, len, word))
				continue;
			if (len + strlen(word) + 2 >= sizeof term)
				break;
			len += (size_t)snprintf(term + len, sizeof term - len,
			    "%s%s", term[len - 1] == '=' ? "" : ",", word);
			n++;
		}
	}
	if (term[len - 1] != '=')
		claim_terms_add(terms, "", term, len);
}

/* Adds "$" and the surname of a person's name key as a speaker term. */
static void
claim_speaker_key(struct claim_terms *terms, const char *key)
{
	const char *bar;

	if (key == NULL)
		return;
	bar = strchr(key, '|');
	key = bar != NULL ? bar + 1 : key;
	claim_terms_add(terms, "$", key, strcspn(key, " \t"));
}

/*
 * Adds the terms that tell who speaks, "$" and: a person's surname key;
 * for an organisation or a phrase ("the Israeli Prime Minister's
 * office", "издания Axios"), the concepts of its words, the surname of a
 * person it names, and its capitalised Latin words as written folded
 * ("axios"), which two languages share. novelty.c takes claims sharing
 * them as of one speaker.
 */
static void
claim_speaker_terms(const struct claim_scan *s, const struct claim_who *who,
    struct claim_terms *terms)
{
	const char *concept;
	size_t k, w, n;
	char word[CLAIM_SPEAKER_WORD];

	if (who->text == NULL)
		return;
	if (who->person) {
		claim_speaker_key(terms, who->key);
		return;
	}
	if (who->ta >= who->tb || who->ta < s->first || who->tb > s->end)
		return;
	for (k = who->ta; k < who->tb; k += w) {
		w = 1;
		if (claim_is_person(s, k)) {
			claim_speaker_key(terms, s->out->people[
			    claim_mention(s, k)->person].key);
			continue;
		}
		if ((concept = claim_concept(s, k, who->tb,
		    claim_mention(s, k) != NULL || claim_is_capitalised(s, k),
		    &w)) != NULL) {
			n = (size_t)snprintf(word, sizeof word, "$%s", concept);
			if (n < sizeof word)
				claim_terms_add_concept(terms, word);
			continue;
		}
		if (claim_is_capitalised(s, k) && TOK(s, k)->len > 1 &&
		    (unsigned char)TOK(s, k)->word[0] < 0x80 &&
		    !claim_is(s, k, EXTRACT_CUE(STOP)))
			claim_terms_add(terms, "$", TOK(s, k)->word,
			    TOK(s, k)->len);
	}
}

/*
 * The content terms of the sentence, sorted, unique, joined by spaces:
 * each word's concept id where the language's [concepts] know it, else
 * its stem; the names said (not the speaker's) as name terms. Caller
 * frees.
 */
static char *
claim_terms(const struct claim_scan *s, struct text_stemmer *stemmer,
    char **figures, size_t nfigures, const struct claim_who *speaker)
{
	struct claim_terms *terms;
	const char *stem, *concept, *term;
	char *out;
	size_t i, k, w, a, b, len = 0, stem_len;

	terms = xmalloc(sizeof *terms);
	terms->n = terms->used = 0;
	for (i = s->first; i < s->end; i++)
		s->term[i] = NULL;
	for (i = s->first; i < s->end && terms->n < CLAIM_MAX_TERMS; i++) {
		if (s->mention[i] >= 0 && !s->used[i]) {
			claim_mention_tokens(s, i, s->first, s->end, &a, &b);
			claim_terms_name(s, terms, a, b + 1);
			i = b;
			continue;
		}
		/* The attribution's own word says something when it has a
		 * concept ("warned", "пригрозил": THREAT). */
		if (s->used[i] == CLAIM_MARK_CUE && s->mention[i] < 0) {
			if ((concept = claim_concept(s, i, i + 1, 0, &w)) !=
			    NULL)
				claim_terms_add_concept(terms, concept);
			continue;
		}
		if (!claim_is_term(s, i))
			continue;
		/* A phrase's words must all be content ("cease fire"). */
		for (b = i + 1; b < s->end && b < i + 4 && claim_is_term(s, b);
		    b++)
			;
		/* A capitalised word may be a name the people pass left
		 * ("в секторе Газа"). */
		if ((concept = claim_concept(s, i, b, claim_is_capitalised(s, i),
		    &w)) != NULL) {
			term = claim_terms_add_concept(terms, concept);
			for (k = i; k < i + w; k++)
				s->term[k] = term;
			i += w - 1;
			continue;
		}
		stem = text_stem(stemmer, s->t->lang, TOK(s, i)->word,
		    TOK(s, i)->len, &stem_len);
		s->term[i] = claim_terms_add(terms, "", stem, stem_len);
	}
	for (i = 0; i < nfigures && terms->n < CLAIM_MAX_TERMS; i++)
		claim_figure_context(s, i, figures[i], terms);
	claim_speaker_terms(s, speaker, terms);
	qsort(terms->v, terms->n, sizeof *terms->v, claim_term_cmp);
	out = xmalloc(terms->used + 1);
	for (i = 0; i < terms->n; i++) {
		if (i > 0 && strcmp(terms->v[i], terms->v[i - 1]) == 0)
			continue;
		if (len > 0)
			out[len++] = ' ';
		k = strlen(terms->v[i]);
		memcpy(out + len, terms->v[i], k);
		len += k;
	}
	out[len] = '\0';
	free(terms);
	return out;
}

/* Returns 1 when token i may be a word of a speaker's title: a capital
 * ("Prime Minister", "White House"), a word of [speaker] ("spokesman",
 * "official representative"), or a joining word ("of the"). *head is 1
 * for the first two. A person's name is no title. */
static int
claim_is_title(const struct claim_scan *s, size_t i, int *head)
{
	*head = 0;
	if (claim_is_person(s, i) || s->used[i] == CLAIM_MARK_CUE)
		return 0;
	if (claim_is_capitalised(s, i) || claim_is(s, i, EXTRACT_CUE(SPEAKER)))
		return *head = 1;
	return claim_is(s, i, EXTRACT_CUE(OF) | EXTRACT_CUE(NOUN_BEFORE) |
	    EXTRACT_CUE(STOP));
}

/* The first token of the title that ends before token b (none: b),
 * whatever parts it from b: title words back to a clause break, at most
 * CLAIM_TITLE_REACH, opening with a head word. *whole is 1 when they
 * make all their clause. */
static size_t
claim_title_start(const struct claim_scan *s, size_t b, int *whole)
{
	size_t k, a = b;
	int head;

	*whole = 0;
	for (k = b; k > s->first && b - k < CLAIM_TITLE_REACH; k--) {
		if (k < b && claim_gap_breaks(s, k - 1))
			break;
		if (!claim_is_title(s, k - 1, &head))
			return a;
		if (head)
			a = k - 1;
	}
	*whole = k == s->first || (k < b && claim_gap_breaks(s, k - 1));
	return a;
}

/*
 * Widens a person speaker's tokens over their title, which says who
 * speaks, not what: the title before the name ("Israeli Prime Minister
 * Benjamin Netanyahu", "White House press secretary"), a title set off
 * before it ("the official representative of the ministry, Maria
 * Zakharova, said"), and an apposition after it up to the verb ("Adam
 * Boehler, the envoy whose meetings ... opened the channel, said").
 */
static void
claim_who_title(const struct claim_scan *s, struct claim_who *who)
{
	size_t a, k;
	int whole;

	if (who->ta >= who->tb || who->ta < s->first || who->tb > s->end)
		return;
	a = claim_title_start(s, who->ta, &whole);
	if (who->ta > s->first && claim_gap_breaks(s, who->ta - 1) &&
	    (!whole || claim_gap_quotes(s, who->ta - 1)))
		a = who->ta;
	who->ta = a;
	/* After the name, a comma, and the verb after the next break. */
	if (who->tb >= s->end || !claim_gap_breaks(s, who->tb - 1) ||
	    claim_gap_quotes(s, who->tb - 1))
		return;
	for (k = who->tb; k < s->end && k < who->tb + CLAIM_SPEAKER_REACH;
	    k++) {
		if (s->used[k] == CLAIM_MARK_CUE) {
			if (claim_gap_breaks(s, k - 1) &&
			    !claim_gap_quotes(s, k - 1))
				who->tb = k;
			return;
		}
		if (claim_gap_quotes(s, k))
			return;
	}
}

/* Marks the tokens naming who (in this sentence) as no content terms:
 * the terms are what was said, not who said it. */
static void
claim_not_terms(struct claim_scan *s, const struct claim_who *who)
{
	if (who->text != NULL && who->ta < who->tb && who->ta >= s->first &&
	    who->tb <= s->end)
		memset(s->used + who->ta, CLAIM_MARK_NAMED, who->tb - who->ta);
}

/* A copy of who's text, or NULL. */
static char *
claim_who_copy(const struct claim_who *who)
{
	return who->text != NULL ? xstrndup(who->text, who->len) : NULL;
}

/* Reads sentence number sentence (span sp, tokens s->first..s->end): adds
 * it to out->claims when it is one. */
static void
claim_sentence(struct claim_scan *s, struct text_stemmer *stemmer,
    size_t sentence, const struct text_span *sp)
{
	struct claim_who speaker, source;
	struct extract_claim *c;
	struct extract_result *out = s->out;
	char *figures[EXTRACT_MAX_FIGURES];
	size_t nfigures, k, w;
	uint32_t sec;
	int attributed = 0;

	memset(&speaker, 0, sizeof speaker);
	memset(&source, 0, sizeof source);
	nfigures = extract_figures_find(s->cues, s->t, s->first, s->end,
	    figures, EXTRACT_MAX_FIGURES, s->used + s->first);
	for (k = s->first; k < s->end; k += w > 0 ? w : 1) {
		w = extract_phrases_match(s->cues, &s->t->tokens, k, s->end,
		    CLAIM_ATTRIBUTION, &sec, NULL);
		if (w == 0 || s->mention[k] >= 0)
			continue;
		/* "the report", "its claims": a noun. */
		if (sec == EXTRACT_CUE(REPORTING) && w == 1 && k > s->first &&
		    claim_is(s, k - 1, EXTRACT_CUE(NOUN_BEFORE)))
			continue;
		attributed = 1;
		memset(s->used + k, CLAIM_MARK_CUE, w);
		claim_attribute(s, sentence, k, w, sec, &speaker, &source);
	}
	if (!attributed && claim_has_quote(s, sp->offset, sp->len) &&
	    claim_person_any(s, &speaker))
		attributed = 1;
	if (!attributed && claim_is_headline_speaker(s, &speaker))
		attributed = 1;
	if (!attributed && nfigures == 0)
		return;
	if (speaker.text == NULL && source.text != NULL)
		speaker = source;
	if (speaker.person)
		claim_who_title(s, &speaker);
	claim_not_terms(s, &speaker);
	claim_not_terms(s, &source);
	if (speaker.text != NULL) {
		s->last = speaker;
		s->last_sentence = sentence;
		s->has_last = 1;
	}
	out->claims = xreallocarray(out->claims, out->nclaims + 1,
	    sizeof *out->claims);
	c = &out->claims[out->nclaims++];
	memset(c, 0, sizeof *c);
	c->text = xstrndup(s->t->text + sp->offset, sp->len);
	c->speaker = claim_who_copy(&speaker);
	c->speaker_key = speaker.key != NULL ? xstrdup(speaker.key) : NULL;
	c->source = claim_who_copy(&source);
	if (nfigures > 0) {
		c->figures = xreallocarray(NULL, nfigures, sizeof *c->figures);
		memcpy(c->figures, figures, nfigures * sizeof *figures);
	}
	c->nfigures = nfigures;
	c->terms = claim_terms(s, stemmer, figures, nfigures, &speaker);
}

/* Points s->mention[k] at the mention holding each token of the
 * sentence; *next is the first mention not ended before it. */
static void
claim_map_mentions(struct claim_scan *s, size_t *next)
{
	const struct extract_mention *m;
	size_t k, i = *next;
	uint32_t off;

	for (k = s->first; k < s->end; k++) {
		off = TOK(s, k)->offset;
		while (i < s->t->nmentions && s->t->mentions[i].offset +
		    s->t->mentions[i].len <= off)
			i++;
		m = i < s->t->nmentions ? &s->t->mentions[i] : NULL;
		s->mention[k] = m != NULL && m->offset <= off ? (int)i : -1;
	}
	*next = i;
}

/* The first token at or after byte offset off. */
static size_t
claim_token_at(const struct text_tokens *tokens, uint32_t off)
{
	size_t lo = 0, hi = tokens->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tokens->tokens[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
extract_claims_find(struct extract_claims *c, struct text_stemmer *stemmer,
    struct extract_text *t, struct extract_result *out)
{
	struct claim_scan s;
	const struct text_span *sp;
	size_t i, next = 0, ntok = t->tokens.count;

	memset(&s, 0, sizeof s);
	if ((s.lang = claim_cues(c, t->lang)) == NULL || ntok == 0)
		return;
	s.cues = s.lang->cues;
	s.t = t;
	s.out = out;
	s.mention = xreallocarray(NULL, ntok, sizeof *s.mention);
	s.used = xcalloc(ntok, 1);
	s.term = xcalloc(ntok, sizeof *s.term);
	for (i = 0; i < t->nsentences; i++) {
		if (out->nclaims == EXTRACT_MAX_CLAIMS)
			break;
		sp = &t->sentences[i];
		if (sp->len > CLAIM_MAX_SENTENCE || (size_t)sp->offset +
		    sp->len > t->len)
			continue;
		s.first = claim_token_at(&t->tokens, sp->offset);
		for (s.end = s.first; s.end < ntok &&
		    t->tokens.tokens[s.end].offset < sp->offset + sp->len;
		    s.end++)
			;
		if (s.end == s.first)
			continue;
		claim_map_mentions(&s, &next);
		claim_sentence(&s, stemmer, i, sp);
	}
	free(s.term);
	free(s.used);
	free(s.mention);
}
