/* figure.c: the figures of a sentence — counts, amounts, durations, dates, ratios — written one way whatever the language wrote. */

/*
 * Normal forms, which novelty.c compares as strings and by kind:
 *	count	"1800", "8", "1.5"	digits, no separators, "." as the
 *					decimal mark, scale words multiplied out;
 *					an age too ("a 21-year-old soldier": 21)
 *	unit	"2 months", "498 days", "1 day", "12%", "3 pp", "5 km",
 *		"411000 bpd" (the cue files name some rates as one unit),
 *		"500 tonnes per day" (a rate: the unit, "per", its unit)
 *	money	"1200000000 USD"	amount, then the ISO code
 *	date	"2025-03-12", "2023-09", "2023" (a year in a date phrase: "in
 *		2023", "в 2023 году"), "2025-05" (a month alone after "in",
 *		"в": the story's year); "--03-12" when that year is unknown
 *	ratio	"200 per 1"		"200 ... for every American"
 * Not figures: ordinals ("second stage", "15th"), numbers inside names
 * ("F-16", "COVID-19", "Resolution 2334": [name-number]), times of day
 * ("10:30"), a month with nothing ("they may"), number words that count
 * nothing ("one of them", "these two"), and vague quantities ("hundreds",
 * "dozens", "half").
 * Numbers are kept as an integer mantissa and a power of ten, so "1.2
 * billion" is exactly 1200000000 without floating point.
 *
 * Every word this reads comes from the [number], [scale], [unit],
 * [currency], [month], [year-before], [ratio] ... sections of the
 * language's cue file; the code knows only digits and separators.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"

/* A number: mant × 10^exp. */
struct figure_num {
	uint64_t	mant;
	int		exp;
};

/* What one figure read, before it is written. */
struct figure {
	struct figure_num	 num;
	const char		*unit;		/* canonical, or NULL */
	const char		*rate;		/* "days" of "per day", or NULL */
	const char		*currency;	/* folded code, or NULL */
	int			 per;		/* ratio's second term, 0 none */
};

/* The largest mantissa kept: past 18 digits a number is no figure. */
#define FIGURE_MANT_MAX	100000000000000000ULL
/* How far a ratio's "for every" may follow its number, in tokens. */
#define FIGURE_RATIO_REACH	12
/* The longest figure written. */
#define FIGURE_MAX_TEXT	96
/* used[] marks (extract_internal.h): claim.c reads which tokens are
 * which figure's to find the words around each (what it counts), so that
 * novelty.c can tell a changed figure of one subject from a figure of
 * another. */
_Static_assert(EXTRACT_FIGURE_MARK_DATE + EXTRACT_MAX_FIGURES <
    EXTRACT_FIGURE_MARK_NONE, "figure marks fit a byte");

/* Token i of t. */
#define TOK(t, i)	(&(t)->tokens.tokens[(i)])

/* Multiplies n by ten and adds digit d; -1 when it would grow too long. */
static int
figure_push_digit(struct figure_num *n, unsigned d)
{
	if (n->mant >= FIGURE_MANT_MAX)
		return -1;
	n->mant = n->mant * 10 + d;
	return 0;
}

/*
 * Reads a number written with digits at s (len bytes) into n: groups of
 * three after a mark that is not the language's decimal mark are
 * thousands ("1,800"; Russian "1.500"), any other mark is the decimal
 * point ("3.5", Russian "1,5"). Returns the bytes read (0 when s starts
 * with no digit).
 */
static size_t
figure_read_digits(const char *s, size_t len, char decimal,
    struct figure_num *n)
{
	size_t i = 0, run;
	int frac = 0;

	n->mant = 0;
	n->exp = 0;
	if (len == 0 || s[0] < '0' || s[0] > '9')
		return 0;
	while (i < len) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (figure_push_digit(n, (unsigned)(s[i] - '0')) != 0)
				return 0;
			if (frac)
				n->exp--;
			i++;
			continue;
		}
		if ((s[i] != ',' && s[i] != '.') || i + 1 >= len ||
		    s[i + 1] < '0' || s[i + 1] > '9' || frac)
			break;
		for (run = 0; i + 1 + run < len && s[i + 1 + run] >= '0' &&
		    s[i + 1 + run] <= '9'; run++)
			;
		if (s[i] == decimal || run != 3)
			frac = 1;
		i++;
	}
	return i;
}

/* Reads a cue's value ("8", "1.5", "1000000") as a number. */
static int
figure_read_value(const char *v, struct figure_num *n)
{
	size_t len = strlen(v);

	return figure_read_digits(v, len, '.', n) == len ? 0 : -1;
}

/* Multiplies n by the number m; -1 when it overflows. */
static int
figure_mul(struct figure_num *n, const struct figure_num *m)
{
	uint64_t a = n->mant, b = m->mant;
	int exp = n->exp + m->exp;

	while (b > 1 && b % 10 == 0) {
		b /= 10;
		exp++;
	}
	if (b != 0 && a > FIGURE_MANT_MAX / b)
		return -1;
	n->mant = a * b;
	n->exp = exp;
	return exp > 18 ? -1 : 0;
}

/* Adds m to n (both integers, as number words are). */
static void
figure_add(struct figure_num *n, const struct figure_num *m)
{
	uint64_t a = n->mant, b = m->mant;
	int e;

	for (e = n->exp; e > 0 && a < FIGURE_MANT_MAX; e--)
		a *= 10;
	for (e = m->exp; e > 0 && b < FIGURE_MANT_MAX; e--)
		b *= 10;
	n->mant = a + b;
	n->exp = 0;
}

/* Writes n as digits, "." before decimals, no trailing zeros. */
static void
figure_num_write(const struct figure_num *n, char *buf, size_t size)
{
	uint64_t m = n->mant, scale = 1;
	int exp = n->exp, i;
	char frac[24];

	while (exp < 0 && m % 10 == 0 && m != 0) {
		m /= 10;
		exp++;
	}
	if (m == 0) {
		snprintf(buf, size, "0");
		return;
	}
	if (exp >= 0) {
		snprintf(buf, size, "%llu%.*s", (unsigned long long)m, exp,
		    "000000000000000000000");
		return;
	}
	for (i = 0; i < -exp && i < 19; i++)
		scale *= 10;
	snprintf(frac, sizeof frac, "%0*llu", i,
	    (unsigned long long)(m % scale));
	snprintf(buf, size, "%llu.%s", (unsigned long long)(m / scale), frac);
}

/* Returns 1 when n is exactly one (for "1 day", not "1 days"). */
static int
figure_is_one(const struct figure_num *n)
{
	uint64_t m = n->mant;
	int e = n->exp;

	while (e < 0 && m % 10 == 0 && m != 0) {
		m /= 10;
		e++;
	}
	return m == 1 && e == 0;
}

/* Returns the integer value of n when it is a whole number up to max,
 * else -1. */
static long
figure_int(const struct figure_num *n, long max)
{
	uint64_t m = n->mant;
	int e = n->exp;

	for (; e < 0; e++) {
		if (m % 10 != 0)
			return -1;
		m /= 10;
	}
	for (; e > 0; e--) {
		if (m > (uint64_t)max)
			return -1;
		m *= 10;
	}
	return m <= (uint64_t)max ? (long)m : -1;
}

/* Writes a unit in its form for the number: canonical units are plural,
 * and one of them is singular ("1 day"). */
static void
figure_unit_write(const char *unit, int one, char *buf, size_t size)
{
	size_t len = strlen(unit);
	size_t i;

	for (i = 0; i < len; i++) {
		if (unit[i] < 'a' || unit[i] > 'z')
			break;
	}
	if (one && i == len && len > 2 && unit[len - 1] == 's')
		len--;
	snprintf(buf, size, "%.*s", (int)len, unit);
}

/* Writes the figure f into buf. Returns -1 when it does not fit (such a
 * figure is dropped, not cut). */
static int
figure_write(const struct figure *f, char *buf, size_t size)
{
	char num[48], unit[32], rate[32], code[8];
	size_t i;
	int n;

	figure_num_write(&f->num, num, sizeof num);
	if (f->currency != NULL) {
		for (i = 0; i < sizeof code - 1 && f->currency[i] != '\0'; i++)
			code[i] = (char)(f->currency[i] >= 'a' &&
			    f->currency[i] <= 'z' ? f->currency[i] - 32 :
			    f->currency[i]);
		code[i] = '\0';
		n = snprintf(buf, size, "%s %s", num, code);
	} else if (f->unit != NULL && strcmp(f->unit, "%") == 0)
		n = snprintf(buf, size, "%s%%", num);
	else if (f->unit != NULL) {
		figure_unit_write(f->unit, figure_is_one(&f->num), unit,
		    sizeof unit);
		if (f->rate != NULL) {
			figure_unit_write(f->rate, 1, rate, sizeof rate);
			n = snprintf(buf, size, "%s %s per %s", num, unit,
			    rate);
		} else
			n = snprintf(buf, size, "%s %s", num, unit);
	} else if (f->per > 0)
		n = snprintf(buf, size, "%s per %d", num, f->per);
	else
		n = snprintf(buf, size, "%s", num);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The bytes between token i and the next (to end of text for the last). */
static const char *
figure_gap(const struct extract_text *t, size_t i, size_t *len)
{
	const struct text_token *a = TOK(t, i);
	size_t from = a->offset + a->source_len;
	size_t to = i + 1 < t->tokens.count ? TOK(t, i + 1)->offset : t->len;

	*len = to > from ? to - from : 0;
	return t->text + from;
}

/* Returns 1 when the gap after token i is white space only, at most max
 * bytes: spaces, no-break and thin spaces, as numbers are grouped. */
static int
figure_gap_space(const struct extract_text *t, size_t i, size_t max)
{
	const unsigned char *g;
	size_t len, k, n;
	uint32_t cp;

	g = (const unsigned char *)figure_gap(t, i, &len);
	if (len == 0 || len > max)
		return 0;
	for (k = 0; k < len; k += n) {
		if ((n = util_utf8_decode(g + k, len - k, &cp)) == 0 ||
		    (cp != ' ' && cp != 0xa0 && cp != 0x202f && cp != 0x2009))
			return 0;
	}
	return 1;
}

/* Returns 1 when the gap after token i is a dash between numbers ("50-60",
 * "50–60"). */
static int
figure_gap_dash(const struct extract_text *t, size_t i)
{
	const char *g;
	size_t len;

	g = figure_gap(t, i, &len);
	return (len == 1 && g[0] == '-') || (len == 3 &&
	    memcmp(g, "\xe2\x80\x93", 3) == 0);
}

/* Returns 1 when the short gap after token i holds c. */
static int
figure_gap_has(const struct extract_text *t, size_t i, char c)
{
	const char *g;
	size_t len;

	g = figure_gap(t, i, &len);
	return len > 0 && len <= 8 && memchr(g, c, len) != NULL;
}

/* Returns 1 when token i is digits only (len of them, if len > 0). */
static int
figure_is_digits(const struct extract_text *t, size_t i, size_t len)
{
	const struct text_token *tk = TOK(t, i);
	size_t k;

	if (len > 0 && tk->len != len)
		return 0;
	for (k = 0; k < tk->len; k++) {
		if (tk->word[k] < '0' || tk->word[k] > '9')
			return 0;
	}
	return tk->len > 0;
}

/* Returns 1 when token i is one of the sections in mask (one word). */
static int
figure_is(const struct extract_phrases *p, const struct extract_text *t,
    size_t i, uint32_t mask, const char **value)
{
	return extract_phrases_lookup(p, TOK(t, i)->word, TOK(t, i)->len,
	    mask, value) != 0;
}

/* The language's decimal mark. */
static char
figure_decimal(const struct extract_phrases *p)
{
	if (extract_phrases_lookup(p, ",", 1, EXTRACT_CUE(DECIMAL), NULL))
		return ',';
	return '.';
}

/* Marks tokens a..b-1 as used. */
static void
figure_use(unsigned char *used, size_t first, size_t a, size_t b)
{
	for (; a < b; a++)
		used[a - first] = 1;
}

/* Returns 1 when the day at token i opens a range of days of one month
 * ("20-30 June", "from 20 to 30 June", "с 20 по 30 июня"), and sets
 * *month to that month. */
static int
figure_date_range(const struct extract_phrases *p,
    const struct extract_text *t, size_t i, size_t end, const char **month)
{
	size_t k = i + 1;

	if (k < end && figure_is(p, t, k, EXTRACT_CUE(RANGE), NULL))
		k++;
	else if (!figure_gap_dash(t, i))
		return 0;
	return k + 1 < end && figure_is_digits(t, k, 0) &&
	    TOK(t, k)->len <= 2 && figure_is(p, t, k + 1, EXTRACT_CUE(MONTH),
	    month);
}

/*
 * Reads a date at token i (a month name with a day, a year or both, in
 * either order, or ISO "2025-03-12"). Returns the tokens after it, or i
 * when there is none there.
 */
static size_t
figure_date(const struct extract_phrases *p, const struct extract_text *t,
    size_t i, size_t end, char *buf, size_t size)
{
	const char *month = NULL;
	long day = -1, year = -1;
	size_t j = i, k;

	if (figure_is_digits(t, i, 4) && i + 2 < end &&
	    figure_gap_has(t, i, '-') && figure_is_digits(t, i + 1, 2) &&
	    figure_gap_has(t, i + 1, '-') && figure_is_digits(t, i + 2, 2)) {
		snprintf(buf, size, "%s-%s-%s", TOK(t, i)->word,
		    TOK(t, i + 1)->word, TOK(t, i + 2)->word);
		return i + 3;
	}
	if (figure_is_digits(t, i, 0) && TOK(t, i)->len <= 2 && j + 1 < end &&
	    figure_is(p, t, j + 1, EXTRACT_CUE(MONTH), &month)) {
		day = atol(TOK(t, i)->word);
		j += 2;
	} else if (figure_is_digits(t, i, 0) && TOK(t, i)->len <= 2 &&
	    figure_date_range(p, t, i, end, &month)) {
		day = atol(TOK(t, i)->word);
		j++;
	} else if (figure_is(p, t, i, EXTRACT_CUE(MONTH), &month)) {
		j++;
		if (j < end && figure_is_digits(t, j, 0) &&
		    TOK(t, j)->len <= 2 && !figure_gap_has(t, j, ':')) {
			day = atol(TOK(t, j)->word);
			j++;
		}
	} else
		return i;
	if (month == NULL || day > 31 || day == 0)
		return i;
	if (j < end && figure_is_digits(t, j, 4) && figure_gap_space(t, j - 1,
	    3) + figure_gap_has(t, j - 1, ',') > 0) {
		year = atol(TOK(t, j)->word);
		j++;
		if (j < end && figure_is(p, t, j, EXTRACT_CUE(YEAR_AFTER),
		    NULL))
			j++;
	}
	/* A month alone, after "in", "в": of the story's year. */
	if (day < 0 && year < 0 && (i == 0 || !figure_is(p, t, i - 1,
	    EXTRACT_CUE(YEAR_BEFORE), NULL)))
		return i;
	if (year < 0)
		year = t->year;
	k = (size_t)day;
	if (day < 0 && year <= 0)
		snprintf(buf, size, "--%s", month);
	else if (day < 0)
		snprintf(buf, size, "%04ld-%s", year, month);
	else if (year > 0)
		snprintf(buf, size, "%04ld-%s-%02zu", year, month, k);
	else
		snprintf(buf, size, "--%s-%02zu", month, k);
	return j;
}

/* Returns 1 when the number at token i is part of a name or a time:
 * "F-16", "COVID-19", "Resolution 2334", "10:30". */
static int
figure_not_number(const struct extract_phrases *p,
    const struct extract_text *t, size_t first, size_t i)
{
	const char *g;
	size_t len;

	if (i + 1 < t->tokens.count && figure_gap_has(t, i, ':') &&
	    figure_is_digits(t, i + 1, 0))
		return 1;
	if (i == first)
		return 0;
	g = figure_gap(t, i - 1, &len);
	if (len == 1 && g[0] == '-' && !figure_is_digits(t, i - 1, 0))
		return 1;
	if (figure_is_digits(t, i - 1, 0) && figure_gap_has(t, i - 1, ':'))
		return 1;
	return figure_gap_space(t, i - 1, 1) && figure_is(p, t, i - 1,
	    EXTRACT_CUE(NAME_NUMBER), NULL);
}

/*
 * Reads a number written in digits at token i, with Russian thousands
 * written apart ("1 800") and a scale suffix ("1.2bn"). Returns the
 * tokens after it, or i when token i holds none.
 */
static size_t
figure_number_digits(const struct extract_phrases *p,
    const struct extract_text *t, size_t i, size_t end, struct figure_num *n)
{
	const struct text_token *tk = TOK(t, i);
	const char *scale;
	struct figure_num m;
	size_t used, j = i + 1;

	used = figure_read_digits(tk->word, tk->len, figure_decimal(p), n);
	if (used == 0)
		return i;
	if (used < tk->len) {
		if (extract_phrases_lookup(p, tk->word + used, tk->len - used,
		    EXTRACT_CUE(SCALE), &scale) == 0)
			return i;
		if (figure_read_value(scale, &m) != 0 || figure_mul(n, &m) != 0)
			return i;
		return j;
	}
	/* Russian thousands apart: "1 800", "1 500 000". */
	while (n->exp == 0 && tk->len <= 3 && j < end &&
	    figure_gap_space(t, j - 1, 3) && figure_is_digits(t, j, 3) &&
	    n->mant < FIGURE_MANT_MAX / 1000) {
		n->mant = n->mant * 1000 + (uint64_t)atol(TOK(t, j)->word);
		j++;
	}
	return j;
}

/* Returns 1 when number word v continues the number so far, group:
 * below its lowest place ("twenty" then "five", "сто" then "двадцать"),
 * not a second number ("два-три", "two three"). */
static int
figure_words_add(const struct figure_num *group, const struct figure_num *v)
{
	uint64_t m = group->mant, place = 1;

	if (m == 0 || group->exp != 0 || v->exp != 0)
		return 1;
	while (m % 10 == 0) {
		m /= 10;
		place *= 10;
	}
	return v->mant < place;
}

/*
 * Reads number words at token i ("eight", "twenty five", "two hundred",
 * "двух"): a word of [number-unit] ("one") only when a unit follows.
 * Returns the tokens after them, or i.
 */
static size_t
figure_number_words(const struct extract_phrases *p,
    const struct extract_text *t, size_t first, size_t i, size_t end,
    struct figure_num *n)
{
	struct figure_num acc = { 0, 0 }, group = { 0, 0 }, v;
	const char *value;
	uint32_t sec;
	size_t j = i, w;
	int words = 0, unit_only = 0;

	if (i > first && figure_is(p, t, i - 1, EXTRACT_CUE(NOT_COUNT), NULL))
		return i;
	while (j < end) {
		w = extract_phrases_match(p, &t->tokens, j, end,
		    EXTRACT_CUE(NUMBER) | EXTRACT_CUE(NUMBER_UNIT) |
		    (words > 0 ? EXTRACT_CUE(SCALE) : 0), &sec, &value);
		if (w == 0 || value == NULL || figure_read_value(value, &v) != 0)
			break;
		if (sec & EXTRACT_CUE(SCALE)) {
			if (group.mant == 0)
				group.mant = 1;
			if (figure_int(&v, 999) > 0) {
				if (figure_mul(&group, &v) != 0)
					return i;
			} else {
				if (figure_mul(&group, &v) != 0)
					return i;
				figure_add(&acc, &group);
				group.mant = 0;
				group.exp = 0;
			}
		} else {
			/* "twenty five" adds, "два-три" is a range. */
			if (!figure_words_add(&group, &v))
				break;
			if (sec & EXTRACT_CUE(NUMBER_UNIT))
				unit_only = words == 0;
			if (v.exp < 0)
				group = v;
			else
				figure_add(&group, &v);
		}
		words++;
		j += w;
	}
	if (words == 0)
		return i;
	if (acc.mant != 0)
		figure_add(&acc, &group);
	else
		acc = group;
	*n = acc;
	if (unit_only && (j >= end || !figure_is(p, t, j, EXTRACT_CUE(UNIT),
	    NULL)))
		return i;
	return j;
}

/* Returns the token after the words of [unit-skip] from j (at most two). */
static size_t
figure_skip_unit_words(const struct extract_phrases *p,
    const struct extract_text *t, size_t j, size_t end)
{
	size_t k;

	for (k = 0; k < 2 && j < end && figure_is(p, t, j,
	    EXTRACT_CUE(UNIT_SKIP), NULL); k++)
		j++;
	return j;
}

/* Reads a unit or a currency after a number, from token j: fills f and
 * returns the tokens after it, or j. */
static size_t
figure_unit(const struct extract_phrases *p, const struct extract_text *t,
    size_t j, size_t end, struct figure *f)
{
	const char *value;
	uint32_t sec;
	size_t k, w;

	k = figure_skip_unit_words(p, t, j, end);
	if (k >= end)
		return j;
	w = extract_phrases_match(p, &t->tokens, k, end, EXTRACT_CUE(UNIT) |
	    EXTRACT_CUE(CURRENCY), &sec, &value);
	if (w == 0 || value == NULL)
		return j;
	if (sec & EXTRACT_CUE(UNIT))
		f->unit = value;
	else
		f->currency = value;
	k += w;
	/* A rate: "barrels a day", "per day", "в сутки". */
	if (f->unit != NULL && k + 1 < end && figure_is(p, t, k,
	    EXTRACT_CUE(RATE), NULL) && figure_is(p, t, k + 1,
	    EXTRACT_CUE(UNIT), &value)) {
		f->rate = value;
		k += 2;
	}
	return k;
}

/* The currency whose symbol is written just before token i ("$1.2"). */
static const char *
figure_currency_before(const struct extract_phrases *p,
    const struct extract_text *t, size_t first, size_t i)
{
	const char *g, *value, *c;
	size_t len, n;
	uint32_t cp;

	if (i == 0 || i < first)
		return NULL;
	g = figure_gap(t, i - 1, &len);
	if (len == 0 || len > 8)
		return NULL;
	/* The last character of the gap that is not a space. */
	while (len > 0 && g[len - 1] == ' ')
		len--;
	for (c = g + len - 1; c > g && ((unsigned char)*c & 0xc0) == 0x80; c--)
		;
	if (len == 0)
		return NULL;
	n = (size_t)(g + len - c);
	if (util_utf8_decode((const unsigned char *)c, n, &cp) == 0)
		return NULL;
	if (extract_phrases_lookup(p, c, n, EXTRACT_CUE(CURRENCY), &value))
		return value;
	return NULL;
}

/* Returns 1 when a range joins the number ending before token j to a
 * number with a unit ("50-60 days", "two or three months"), and fills
 * f's unit from it. */
static int
figure_range_unit(const struct extract_phrases *p,
    const struct extract_text *t, size_t j, size_t end, struct figure *f)
{
	struct figure g;
	struct figure_num n;
	size_t k = j, after;

	if (j >= end)
		return 0;
	if (figure_is(p, t, j, EXTRACT_CUE(RANGE), NULL))
		k = j + 1;
	else if (!figure_gap_dash(t, j - 1))
		return 0;
	if (k >= end)
		return 0;
	after = figure_number_digits(p, t, k, end, &n);
	if (after == k)
		after = figure_number_words(p, t, k, k, end, &n);
	if (after == k)
		return 0;
	memset(&g, 0, sizeof g);
	if (figure_gap_has(t, after - 1, '%'))
		return extract_phrases_lookup(p, "%", 1, EXTRACT_CUE(UNIT),
		    &f->unit) != 0;
	if (figure_unit(p, t, after, end, &g) == after || g.unit == NULL)
		return 0;
	f->unit = g.unit;
	return 1;
}

/* Returns 1 when a number (digits or words) starts at token k. */
static int
figure_is_number(const struct extract_phrases *p, const struct extract_text *t,
    size_t k, size_t end)
{
	struct figure_num n;

	return figure_number_digits(p, t, k, end, &n) > k ||
	    figure_is(p, t, k, EXTRACT_CUE(NUMBER), NULL);
}

/*
 * Looks for "for every" near a count, within its clause and with no other
 * number between: after it ("200 prisoners ... for every American"), or
 * before it ("за каждого американца ... 200"). Fills f->per (the number
 * after "for every", else 1) and marks the words of the ratio used.
 */
static void
figure_ratio(const struct extract_phrases *p, const struct extract_text *t,
    size_t first, size_t i, size_t j, size_t end, unsigned char *used,
    struct figure *f)
{
	struct figure_num n;
	size_t k, w, after;
	long v;

	for (k = j; k < end && k < j + FIGURE_RATIO_REACH; k++) {
		if (k > j && (figure_gap_has(t, k - 1, ',') ||
		    figure_gap_has(t, k - 1, ';')))
			break;
		if ((w = extract_phrases_match(p, &t->tokens, k, end,
		    EXTRACT_CUE(RATIO), NULL, NULL)) == 0) {
			if (figure_is_number(p, t, k, end))
				break;
			continue;
		}
		figure_use(used, first, k, k + w);
		f->per = 1;
		k += w;
		after = k < end ? figure_number_digits(p, t, k, end, &n) : k;
		if (after == k && k < end)
			after = figure_number_words(p, t, k, k, end, &n);
		if (after > k && (v = figure_int(&n, 1000000)) > 0) {
			f->per = (int)v;
			figure_use(used, first, k, after);
		}
		return;
	}
	for (k = i; k > first && k + FIGURE_RATIO_REACH > i; k--) {
		if (figure_gap_has(t, k - 1, ',') ||
		    figure_gap_has(t, k - 1, ';'))
			return;
		if (k - 1 < i - 1 && figure_is_number(p, t, k - 1, end))
			return;
		if ((w = extract_phrases_match(p, &t->tokens, k - 1, end,
		    EXTRACT_CUE(RATIO), NULL, NULL)) > 0 && k - 1 + w <= i) {
			figure_use(used, first, k - 1, k - 1 + w);
			f->per = 1;
			return;
		}
	}
}

/*
 * Reads the figure starting at token i into buf ("" when it is too long
 * to write); *date is 1 when it is a date. Returns the token after what
 * it took, or i when no figure starts there; the words it took (a
 * ratio's too) are marked used.
 */
static size_t
figure_at(const struct extract_phrases *p, const struct extract_text *t,
    size_t first, size_t i, size_t end, unsigned char *used, char *buf,
    size_t size, int *date)
{
	struct figure f;
	size_t j, k;
	long year;

	*date = 0;
	if ((j = figure_date(p, t, i, end, buf, size)) > i) {
		figure_use(used, first, i, j);
		*date = 1;
		return j;
	}
	memset(&f, 0, sizeof f);
	if ((j = figure_number_digits(p, t, i, end, &f.num)) > i) {
		if (figure_not_number(p, t, first, i)) {
			figure_use(used, first, i, j);
			return i;
		}
	} else if ((j = figure_number_words(p, t, first, i, end, &f.num)) == i)
		return i;
	/* A separate scale word: "1.5 million", "2 тыс". */
	if (j < end && TOK(t, j)->len > 1) {
		const char *value;
		struct figure_num m;

		if (figure_is(p, t, j, EXTRACT_CUE(SCALE), &value) &&
		    figure_read_value(value, &m) == 0 &&
		    figure_mul(&f.num, &m) == 0)
			j++;
	}
	/* A year alone in a date phrase: "since 2023", "в 2023 году". */
	year = figure_int(&f.num, 2100);
	if (figure_is_digits(t, i, 4) && j == i + 1 && year >= 1900 &&
	    ((i > first && figure_is(p, t, i - 1, EXTRACT_CUE(YEAR_BEFORE),
	    NULL)) || (j < end && figure_is(p, t, j, EXTRACT_CUE(YEAR_AFTER),
	    NULL)))) {
		if (j < end && figure_is(p, t, j, EXTRACT_CUE(YEAR_AFTER),
		    NULL))
			j++;
		snprintf(buf, size, "%ld", year);
		figure_use(used, first, i, j);
		*date = 1;
		return j;
	}
	/* An age: "a 21-year-old soldier", "21-летний" count years. */
	if ((k = extract_phrases_match(p, &t->tokens, j, end,
	    EXTRACT_CUE(AGE), NULL, NULL)) > 0) {
		figure_use(used, first, i, j + k);
		if (figure_write(&f, buf, size) != 0)
			buf[0] = '\0';
		return j + k;
	}
	f.currency = figure_currency_before(p, t, first, i);
	if (figure_gap_has(t, j - 1, '%') &&
	    extract_phrases_lookup(p, "%", 1, EXTRACT_CUE(UNIT), &f.unit))
		k = j;
	else
		k = figure_unit(p, t, j, end, &f);
	if (f.unit == NULL && f.currency == NULL &&
	    !figure_range_unit(p, t, j, end, &f))
		figure_ratio(p, t, first, i, j, end, used, &f);
	figure_use(used, first, i, k);
	if (figure_write(&f, buf, size) != 0)
		buf[0] = '\0';
	return k;
}

/* Gives the tokens (n of the sentence) the last read marked 1 their
 * mark: EXTRACT_FIGURE_MARK (EXTRACT_FIGURE_MARK_DATE for a date) + the
 * index of its figure, or EXTRACT_FIGURE_MARK_NONE when the read gave
 * none. */
static void
figure_mark(unsigned char *used, size_t n, unsigned char mark)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (used[k] == 1)
			used[k] = mark;
	}
}

size_t
extract_figures_find(const struct extract_phrases *p,
    const struct extract_text *t, size_t first, size_t end, char **figures,
    size_t max, unsigned char *used)
{
	char buf[FIGURE_MAX_TEXT];
	size_t i, j, n = 0, k;
	int date;

	for (i = first; i < end && n < max; i = j > i ? j : i + 1) {
		j = i;
		if (used[i - first])
			continue;
		if ((j = figure_at(p, t, first, i, end, used, buf,
		    sizeof buf, &date)) == i || buf[0] == '\0') {
			figure_mark(used, end - first, EXTRACT_FIGURE_MARK_NONE);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (strcmp(figures[k], buf) == 0)
				break;
		}
		if (k == n)
			figures[n++] = xstrdup(buf);
		figure_mark(used, end - first, (unsigned char)((date ?
		    EXTRACT_FIGURE_MARK_DATE : EXTRACT_FIGURE_MARK) + k));
	}
	return n;
}
