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
 * the names of the people pass, stop words and the attribution itself:
 * what was said, for novelty.c to compare.
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
/* The words of a title before a name ("Israeli Prime Minister"). */
#define CLAIM_TITLE_WORDS	6
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

/* The cues of one language; cues is NULL when it has no cue file. */
struct claim_lang {
	char			 lang[8];
	struct extract_phrases	*cues;
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
	struct extract_text		*t;
	struct extract_result		*out;
	size_t				 first, end;	/* tokens */
	int				*mention;	/* per token, or -1 */
	unsigned char			*used;		/* per token */
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
	for (i = 0; i < c->nlangs; i++)
		extract_phrases_free(c->langs[i].cues);
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

/* The cues of lang, loaded on first use: a language is a cue file, so
 * adding one needs no code. */
static const struct extract_phrases *
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
			return c->langs[i].cues;
	}
	if (c->nlangs == CLAIM_MAX_LANGS)
		return NULL;
	l = &c->langs[c->nlangs++];
	snprintf(l->lang, sizeof l->lang, "%s", lang);
	l->cues = claim_cues_load(lang);
	return l->cues;
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

/* The end of the clause that starts at token a: punctuation, a new
 * clause's word, an attribution, or CLAIM_MAX_PHRASE tokens. */
static size_t
claim_clause_end(const struct claim_scan *s, size_t a)
{
	size_t b;

	for (b = a; b < s->end && b < a + CLAIM_MAX_PHRASE; b++) {
		if (b > a && claim_is(s, b, EXTRACT_CUE(BOUNDARY) |
		    CLAIM_ATTRIBUTION))
			break;
		if (claim_gap_breaks(s, b))
			return b + 1;
	}
	return b;
}

/* The end of the phrase that starts at token a, appositions included
 * ("by the official representative of the ministry, Maria Zakharova"):
 * a new clause's word, an attribution or a quotation ends it. */
static size_t
claim_region_end(const struct claim_scan *s, size_t a)
{
	size_t b;

	for (b = a; b < s->end && b < a + CLAIM_SPEAKER_REACH; b++) {
		if (b > a && claim_is(s, b, EXTRACT_CUE(BOUNDARY) |
		    CLAIM_ATTRIBUTION))
			break;
		if (claim_gap_quotes(s, b))
			return b + 1;
	}
	return b;
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

/* The content terms of the sentence: stems, sorted, unique, joined by
 * spaces. Caller frees. */
static char *
claim_terms(const struct claim_scan *s, struct text_stemmer *stemmer)
{
	char *terms[CLAIM_MAX_TERMS], *out;
	const char *stem;
	size_t n = 0, i, len = 0, stem_len, k;

	for (i = s->first; i < s->end && n < CLAIM_MAX_TERMS; i++) {
		if (!claim_is_term(s, i))
			continue;
		stem = text_stem(stemmer, s->t->lang, TOK(s, i)->word,
		    TOK(s, i)->len, &stem_len);
		terms[n++] = xstrndup(stem, stem_len);
	}
	qsort(terms, n, sizeof *terms, claim_term_cmp);
	for (i = 0; i < n; i++)
		len += strlen(terms[i]) + 1;
	out = xmalloc(len + 1);
	len = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(terms[i], terms[i - 1]) == 0)
			continue;
		if (len > 0)
			out[len++] = ' ';
		k = strlen(terms[i]);
		memcpy(out + len, terms[i], k);
		len += k;
	}
	out[len] = '\0';
	for (i = 0; i < n; i++)
		free(terms[i]);
	return out;
}

/* Marks the tokens naming who (in this sentence) as no content terms:
 * the terms are what was said, not who said it. */
static void
claim_not_terms(struct claim_scan *s, const struct claim_who *who)
{
	if (who->text != NULL && who->ta < who->tb && who->ta >= s->first &&
	    who->tb <= s->end)
		memset(s->used + who->ta, 1, who->tb - who->ta);
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
		memset(s->used + k, 1, w);
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
	c->terms = claim_terms(s, stemmer);
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
	if ((s.cues = claim_cues(c, t->lang)) == NULL || ntok == 0)
		return;
	s.t = t;
	s.out = out;
	s.mention = xreallocarray(NULL, ntok, sizeof *s.mention);
	s.used = xcalloc(ntok, 1);
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
	free(s.used);
	free(s.mention);
}
