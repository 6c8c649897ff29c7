/* novelty.c: whether a claim repeats, revises or is new against an earlier one — figures as sets, content terms by overlap, speakers by name key. */

/*
 * A later claim a REPEATS an earlier claim b when their figures are the
 * same set and they say substantially the same: two or more figures the
 * same are enough; one figure the same needs some shared content unless
 * it is a small count; without figures, content terms must overlap
 * (overlap coefficient |A∩B| / min(|A|,|B|), at least two terms shared),
 * less when the same person speaks. a REVISES b when a figure of a
 * replaces one of b of its kind and near its value (a truce of "about two
 * months", later "50 days"; 58 hostages after 59) and they share a
 * subject: overlapping terms, or the same speaker. Otherwise a is NEW.
 *
 * Terms are stems of one language, so claims of two languages compare by
 * figures and speakers alone: a repeat when the figures are the same set
 * (more than a small count) and the speakers agree or are not named; a
 * revision only from the same person. Two claims of two languages without
 * figures are new to each other: nothing here can tell what they say.
 *
 * Figures compare by kind (count, percentage, money per currency,
 * duration, date, ratio, other unit): durations as days, equal within
 * CLAIM_DURATION_SLACK, so "about two months" is "about 60 days" (and "8
 * weeks") but not "50 days"; dates only as written.
 *
 * Measured on tests/data/extract/articles en-01..12 and ru-01..10 (214
 * claims, 72 pairs of one claim told twice within a topic) through
 * extract_story, the overlap of each pair of extracted claims of one
 * topic and language, same gold id against different ids:
 *	figure sets differ:		same 0 pairs, different 4678
 *	the same 2+ figures:		same 16 (0.00 .. 1.00), different 0
 *	the same one strong figure:	same 11 (0.17 .. 1.00), different 0
 *	the same small count:		same 1 (0.40), different 2 (0.00, 0.20)
 *	no figures:			same 7 (0.40 .. 1.00), different 74
 *					(largest 0.75, then 0.50 .. 0.42)
 *	no figures, same speaker:	same 3 (0.40, 0.50, 0.80), different 4
 *					(0.22 .. 0.40)
 * and across languages: the same strong figures, speakers agreeing, same
 * 20 different 0; no figures and the same speaker, same 8 different 41
 * (so that is no repeat). The thresholds sit in those gaps.
 */

#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"

/* Overlap of terms for a repeat: without figures (gap 0.50 .. 0.60),
 * without figures from the same speaker (gap 0.40 .. 0.50), with one
 * strong figure the same (no different pair had one). */
#define CLAIM_REPEAT_OVERLAP		0.55
#define CLAIM_REPEAT_SPEAKER_OVERLAP	0.45
#define CLAIM_REPEAT_FIGURE_OVERLAP	0.15
/* Overlap of terms that makes one subject for a revision: the revisions
 * of one language overlapped 0.20 .. 1.00, nine of twelve at 0.33 or
 * more; false revisions at 0.30 and more were as many as true ones. */
#define CLAIM_SUBJECT_OVERLAP		0.30
/* A count up to this is a small count: no evidence alone. */
#define CLAIM_SMALL_COUNT		12
/* A revised figure is within this factor of the one it revises. */
#define CLAIM_REVISE_FACTOR		1.5
/* Durations within this share of each other are one duration. */
#define CLAIM_DURATION_SLACK		0.10

/* The kinds of figures. */
enum figure_kind {
	FIGURE_COUNT,
	FIGURE_PERCENT,
	FIGURE_MONEY,
	FIGURE_DURATION,
	FIGURE_DATE,
	FIGURE_RATIO,
	FIGURE_UNIT,
};

/* A figure as compared: its kind, value, and what else tells two of one
 * kind apart (the currency, the unit). */
struct novelty_figure {
	enum figure_kind	 kind;
	double			 value;
	const char		*text;		/* the whole normal form */
	size_t			 len;
	const char		*unit;		/* after the number, or "" */
	size_t			 unit_len;
};

/* Durations in days, by unit (singular and plural). */
static const struct {
	const char	*unit;
	double		 days;
} novelty_durations[] = {
	{ "second", 1.0 / 86400 }, { "seconds", 1.0 / 86400 },
	{ "minute", 1.0 / 1440 }, { "minutes", 1.0 / 1440 },
	{ "hour", 1.0 / 24 }, { "hours", 1.0 / 24 },
	{ "day", 1 }, { "days", 1 },
	{ "week", 7 }, { "weeks", 7 },
	{ "month", 30.4 }, { "months", 30.4 },
	{ "year", 365.25 }, { "years", 365.25 },
	{ "decade", 3652.5 }, { "decades", 3652.5 },
};

char *
extract_claim_figures_join(const struct extract_claim *c)
{
	size_t i, len = 0, n;
	char *s;

	for (i = 0; i < c->nfigures; i++)
		len += strlen(c->figures[i]) + 1;
	s = xmalloc(len + 1);
	len = 0;
	for (i = 0; i < c->nfigures; i++) {
		if (i > 0)
			s[len++] = '\t';
		n = strlen(c->figures[i]);
		memcpy(s + len, c->figures[i], n);
		len += n;
	}
	s[len] = '\0';
	return s;
}

/* Returns 1 when s (len bytes) is a date: "2025", "2025-03",
 * "2025-03-12", "--03-12". */
static int
novelty_is_date(const char *s, size_t len)
{
	static const char *shapes[] = { "dddd", "dddd-dd", "dddd-dd-dd",
	    "--dd-dd" };
	size_t i, k;

	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		if (strlen(shapes[i]) != len)
			continue;
		for (k = 0; k < len; k++) {
			if (shapes[i][k] == 'd' ? (s[k] < '0' || s[k] > '9') :
			    s[k] != shapes[i][k])
				break;
		}
		if (k == len)
			return 1;
	}
	return 0;
}

/* Reads one normal form (figure.c) of len bytes into f. */
static void
novelty_figure_read(const char *s, size_t len, struct novelty_figure *f)
{
	char num[48], *end;
	size_t n, i;

	memset(f, 0, sizeof *f);
	f->text = s;
	f->len = len;
	f->unit = "";
	if (novelty_is_date(s, len)) {
		f->kind = FIGURE_DATE;
		return;
	}
	for (n = 0; n < len && n < sizeof num - 1 && ((s[n] >= '0' &&
	    s[n] <= '9') || s[n] == '.'); n++)
		num[n] = s[n];
	num[n] = '\0';
	f->value = strtod(num, &end);
	if (n == len) {
		f->kind = FIGURE_COUNT;
		return;
	}
	if (s[n] == '%') {
		f->kind = FIGURE_PERCENT;
		return;
	}
	f->unit = s + n + (s[n] == ' ');
	f->unit_len = len - (size_t)(f->unit - s);
	if (f->unit_len > 4 && strncmp(f->unit, "per ", 4) == 0) {
		f->kind = FIGURE_RATIO;
		return;
	}
	if (f->unit_len == 3 && f->unit[0] >= 'A' && f->unit[0] <= 'Z') {
		f->kind = FIGURE_MONEY;
		return;
	}
	for (i = 0; i < sizeof novelty_durations / sizeof novelty_durations[0];
	    i++) {
		if (strlen(novelty_durations[i].unit) == f->unit_len &&
		    strncmp(novelty_durations[i].unit, f->unit,
		    f->unit_len) == 0) {
			f->kind = FIGURE_DURATION;
			f->value *= novelty_durations[i].days;
			return;
		}
	}
	f->kind = FIGURE_UNIT;
}

/* Reads the '\t' separated figures of s into v (at most max). */
static size_t
novelty_figures(const char *s, struct novelty_figure *v, size_t max)
{
	const char *tab;
	size_t n = 0, len;

	if (s == NULL)
		return 0;
	while (*s != '\0' && n < max) {
		tab = strchr(s, '\t');
		len = tab != NULL ? (size_t)(tab - s) : strlen(s);
		if (len > 0)
			novelty_figure_read(s, len, &v[n++]);
		if (tab == NULL)
			break;
		s = tab + 1;
	}
	return n;
}

/* Returns 1 when a figure alone tells a claim: anything but a small
 * count ("four bodies" is said of many things, "584 days" is not). */
static int
novelty_figure_strong(const struct novelty_figure *f)
{
	return f->kind != FIGURE_COUNT || f->value > CLAIM_SMALL_COUNT;
}

/* Returns 1 when two figures of one kind are the same figure. */
static int
novelty_figure_same(const struct novelty_figure *a,
    const struct novelty_figure *b)
{
	double lo, hi;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case FIGURE_DURATION:
		lo = a->value < b->value ? a->value : b->value;
		hi = a->value < b->value ? b->value : a->value;
		return hi <= lo * (1 + CLAIM_DURATION_SLACK);
	case FIGURE_MONEY:
	case FIGURE_RATIO:
	case FIGURE_UNIT:
		if (a->unit_len != b->unit_len ||
		    strncmp(a->unit, b->unit, a->unit_len) != 0)
			return 0;
		return a->value == b->value;
	case FIGURE_DATE:
		return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	default:
		return a->value == b->value;
	}
}

/*
 * Returns 1 when figure a could be a new value of figure b: of one kind
 * (for money and other units the same currency or unit) and near it,
 * within a factor of CLAIM_REVISE_FACTOR. Dates and small counts are not
 * revised: two dates in a story are two events, and "four" is said of
 * many things.
 */
static int
novelty_figure_revises(const struct novelty_figure *a,
    const struct novelty_figure *b)
{
	double lo, hi;

	if (a->kind != b->kind || a->kind == FIGURE_DATE ||
	    !novelty_figure_strong(a) || !novelty_figure_strong(b))
		return 0;
	if ((a->kind == FIGURE_MONEY || a->kind == FIGURE_UNIT) &&
	    (a->unit_len != b->unit_len ||
	    strncmp(a->unit, b->unit, a->unit_len) != 0))
		return 0;
	lo = a->value < b->value ? a->value : b->value;
	hi = a->value < b->value ? b->value : a->value;
	return lo > 0 && hi <= lo * CLAIM_REVISE_FACTOR;
}

/* Returns 1 when figure f is among v (n of them). */
static int
novelty_figure_in(const struct novelty_figure *f,
    const struct novelty_figure *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (novelty_figure_same(f, &v[i]))
			return 1;
	}
	return 0;
}

/* Returns 1 when the figures of a and b are the same set. */
static int
novelty_figures_same(const struct novelty_figure *a, size_t na,
    const struct novelty_figure *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na; i++) {
		if (!novelty_figure_in(&a[i], b, nb))
			return 0;
	}
	for (i = 0; i < nb; i++) {
		if (!novelty_figure_in(&b[i], a, na))
			return 0;
	}
	return 1;
}

/* Returns 1 when a figure of a replaces one of b: a has a figure b lacks
 * and b one of the same kind that a lacks ("50 days" for "2 months"). A
 * figure only added is no revision. */
static int
novelty_figure_changed(const struct novelty_figure *a, size_t na,
    const struct novelty_figure *b, size_t nb)
{
	size_t i, k;

	for (i = 0; i < na; i++) {
		if (novelty_figure_in(&a[i], b, nb))
			continue;
		for (k = 0; k < nb; k++) {
			if (novelty_figure_revises(&a[i], &b[k]) &&
			    !novelty_figure_in(&b[k], a, na))
				return 1;
		}
	}
	return 0;
}

/* The terms compared of one claim. */
#define NOVELTY_MAX_TERMS	128

/* Cuts a space separated list into words (at most NOVELTY_MAX_TERMS). */
static size_t
novelty_words(const char *s, const char **w, size_t *len)
{
	const char *sp;
	size_t n = 0;

	while (s != NULL && *s != '\0' && n < NOVELTY_MAX_TERMS) {
		sp = strchr(s, ' ');
		len[n] = sp != NULL ? (size_t)(sp - s) : strlen(s);
		if (len[n] > 0)
			w[n++] = s;
		if (sp == NULL)
			break;
		s = sp + 1;
	}
	return n;
}

/* How much two lists of terms share. */
struct novelty_overlap {
	size_t	shared;
	double	coefficient;	/* shared over the terms of the shorter */
};

/* The overlap of two sorted space separated term lists. */
static void
novelty_overlap(const char *a, const char *b, struct novelty_overlap *o)
{
	const char *wa[NOVELTY_MAX_TERMS], *wb[NOVELTY_MAX_TERMS];
	size_t la[NOVELTY_MAX_TERMS], lb[NOVELTY_MAX_TERMS];
	size_t na, nb, i = 0, k = 0, both = 0;
	int c;

	o->shared = 0;
	o->coefficient = 0;
	na = novelty_words(a, wa, la);
	nb = novelty_words(b, wb, lb);
	if (na == 0 || nb == 0)
		return;
	while (i < na && k < nb) {
		c = strncmp(wa[i], wb[k], la[i] < lb[k] ? la[i] : lb[k]);
		if (c == 0)
			c = (la[i] > lb[k]) - (la[i] < lb[k]);
		if (c == 0)
			both++;
		i += c <= 0;
		k += c >= 0;
	}
	o->shared = both;
	o->coefficient = (double)both / (double)(na < nb ? na : nb);
}

/* Returns 1 when both claims name a speaker and it is one person. */
static int
novelty_same_speaker(const struct extract_claim_key *a,
    const struct extract_claim_key *b)
{
	return a->speaker_key != NULL && b->speaker_key != NULL &&
	    extract_name_compare(a->speaker_key, b->speaker_key) !=
	    EXTRACT_NAME_DIFFERENT;
}

/* Returns 1 when the claims are of one language (unknown is one). */
static int
novelty_same_language(const struct extract_claim_key *a,
    const struct extract_claim_key *b)
{
	return a->lang == NULL || b->lang == NULL ||
	    strcmp(a->lang, b->lang) == 0;
}

enum extract_novelty
extract_claim_compare(const struct extract_claim_key *a,
    const struct extract_claim_key *b)
{
	struct novelty_figure fa[EXTRACT_MAX_FIGURES], fb[EXTRACT_MAX_FIGURES];
	struct novelty_overlap o;
	size_t na, nb;
	int same, speaker, changed, strong;

	na = novelty_figures(a->figures, fa, EXTRACT_MAX_FIGURES);
	nb = novelty_figures(b->figures, fb, EXTRACT_MAX_FIGURES);
	same = novelty_figures_same(fa, na, fb, nb);
	speaker = novelty_same_speaker(a, b);
	changed = !same && novelty_figure_changed(fa, na, fb, nb);
	strong = na >= 2 || (na == 1 && novelty_figure_strong(&fa[0]));
	if (!novelty_same_language(a, b)) {
		if (same && strong && (speaker || a->speaker_key == NULL ||
		    b->speaker_key == NULL))
			return EXTRACT_CLAIM_REPEAT;
		if (changed && speaker)
			return EXTRACT_CLAIM_REVISES;
		return EXTRACT_CLAIM_NEW;
	}
	novelty_overlap(a->terms, b->terms, &o);
	if (same && (na >= 2 ||
	    (strong && o.coefficient >= CLAIM_REPEAT_FIGURE_OVERLAP) ||
	    (o.shared >= 2 && speaker &&
	    o.coefficient >= CLAIM_REPEAT_SPEAKER_OVERLAP) ||
	    (o.shared >= 2 && o.coefficient >= CLAIM_REPEAT_OVERLAP)))
		return EXTRACT_CLAIM_REPEAT;
	if (changed && ((o.shared >= 2 &&
	    o.coefficient >= CLAIM_SUBJECT_OVERLAP) || speaker))
		return EXTRACT_CLAIM_REVISES;
	return EXTRACT_CLAIM_NEW;
}
