/* parse/date.c: feed dates (RFC 822 and its real-world variants, RFC 3339 / ISO 8601) to unix seconds UTC. */
#include <stdint.h>
#include <string.h>

#include "parse/parse.h"

/*
 * Written by hand: strptime depends on the locale (a feed's "Mon" is not a
 * Russian locale's day name), knows no zone names and parses one fixed
 * layout per call, so the variants would cost a call each; curl_getdate
 * does the job but would pull libcurl into parse/, which stays free of
 * I/O libraries so it can be fuzzed. This is one pass over the text with
 * no allocation.
 *
 * A date we cannot read entirely (an impossible day, an hour of 25, a
 * stray word before the date) gives -1: an item without a date is kept
 * undated, never given an invented one. An unknown zone name after a
 * complete date and time is taken as UTC, as feedparser does.
 */

/* Fields of a date as read, before the zone is applied. */
struct date_fields {
	int	year, month, day;
	int	hour, minute, second;
	int	offset;		/* seconds east of UTC */
	int	zone;		/* a zone was given */
};

static const char *date_months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *date_weekdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday",
};

/* Zone names feeds use, in minutes east of UTC. The RFC 822 set first;
 * the others are common in European, Russian and Asian outlets' feeds.
 * Ambiguous abbreviations (IST, BST-as-Bangladesh, CST-as-China) are
 * taken in their RFC 822 or most common feed meaning. */
static const struct date_zone {
	const char	*name;
	int		 minutes;
} date_zones[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
	{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
	{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
	{ "ast", -240 }, { "adt", -180 }, { "akst", -540 }, { "akdt", -480 },
	{ "hst", -600 }, { "wet", 0 }, { "west", 60 }, { "bst", 60 },
	{ "cet", 60 }, { "cest", 120 }, { "met", 60 }, { "mest", 120 },
	{ "eet", 120 }, { "eest", 180 }, { "msk", 180 }, { "msd", 240 },
	{ "idt", 180 }, { "jst", 540 }, { "kst", 540 }, { "hkt", 480 },
	{ "sgt", 480 }, { "awst", 480 }, { "acst", 570 }, { "aest", 600 },
	{ "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
};

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian), by
 * Howard Hinnant's days_from_civil: exact for any year, where timegm
 * would go through struct tm and normalise fields we have validated. */
static int64_t
date_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Days in month m of year y. */
static int
date_month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Checks the ranges and converts; -1 for anything impossible or before
 * the epoch (-1 is our "no date"). */
static int64_t
date_finish(const struct date_fields *f)
{
	int64_t t;

	if (f->year < 1900 || f->year > 9999 || f->month < 1 ||
	    f->month > 12 || f->day < 1 ||
	    f->day > date_month_days(f->year, f->month) || f->hour < 0 ||
	    f->hour > 23 || f->minute < 0 || f->minute > 59 ||
	    f->second < 0 || f->second > 60)
		return -1;
	t = date_days(f->year, f->month, f->day) * 86400 + f->hour * 3600 +
	    f->minute * 60 + f->second - f->offset;
	return t < 0 ? -1 : t;
}

/* Reads exactly n digits at *p; returns the number or -1. */
static int
date_digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + (*p)[i] - '0';
	}
	*p += n;
	return v;
}

/* Reads a numeric offset "+hhmm", "+hh:mm", "+hh" or "+h" at *p into
 * seconds; returns 0 or -1. */
static int
date_offset(const char **p, int *offset)
{
	const char *s = *p + 1;
	int sign = **p == '-' ? -1 : 1, h, m = 0;

	if (s[0] >= '0' && s[0] <= '9' && !(s[1] >= '0' && s[1] <= '9'))
		h = date_digits(&s, 1);
	else if ((h = date_digits(&s, 2)) == -1)
		return -1;
	if (*s == ':')
		s++;
	if (*s >= '0' && *s <= '9') {
		if ((m = date_digits(&s, 2)) == -1)
			return -1;
	}
	if (h > 23 || m > 59 || (*s >= '0' && *s <= '9'))
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	*p = s;
	return 0;
}

/* True when word (lower case, len bytes) starts full and is at least
 * three letters: "nov", "sept", "june", "thurs". The first letters are
 * compared inline: most words are rejected there. */
static int
date_prefix(const char *word, size_t len, const char *full)
{
	return len >= 3 && word[0] == full[0] && word[1] == full[1] &&
	    word[2] == full[2] && len <= strlen(full) &&
	    memcmp(word, full, len) == 0;
}

/* Looks a zone name up; returns 0 and the offset in seconds, or -1. The
 * single military letters other than Z are taken as UTC, as RFC 5322
 * advises (RFC 822 gave their signs backwards and writers disagree). */
static int
date_zone_name(const char *word, size_t len, int *offset)
{
	size_t i;

	if (len == 1 && word[0] >= 'a' && word[0] <= 'z' && word[0] != 'j') {
		*offset = 0;
		return 0;
	}
	for (i = 0; i < sizeof date_zones / sizeof date_zones[0]; i++) {
		if (date_zones[i].name[0] == word[0] &&
		    strlen(date_zones[i].name) == len &&
		    memcmp(date_zones[i].name, word, len) == 0) {
			*offset = date_zones[i].minutes * 60;
			return 0;
		}
	}
	return -1;
}

/* Skips white space and a parenthesised comment ("(MSK)") at *p. */
static void
date_skip_space(const char **p)
{
	const char *s = *p;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (*s != '(')
			break;
		while (*s != '\0' && *s != ')')
			s++;
		if (*s == ')')
			s++;
	}
	*p = s;
}

/* Reads "hh:mm[:ss[.frac]]" at *p; returns 0 or -1. */
static int
date_time(const char **p, struct date_fields *f)
{
	const char *s = *p;

	if (s[0] >= '0' && s[0] <= '9' && s[1] == ':') {
		/* A one-digit hour, as in "9:05:00". */
		f->hour = date_digits(&s, 1);
	} else
		f->hour = date_digits(&s, 2);
	if (f->hour == -1 || *s++ != ':' ||
	    (f->minute = date_digits(&s, 2)) == -1)
		return -1;
	f->second = 0;
	if (*s == ':' && (s++, (f->second = date_digits(&s, 2)) == -1))
		return -1;
	if (*s == '.' || *s == ',') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	*p = s;
	return 0;
}

/* Reads a zone (numeric offset or name) and the end of the text, shared
 * by both forms; returns 0 or -1. unknown_ok accepts an unknown name. */
static int
date_zone_end(const char *s, struct date_fields *f, int unknown_ok)
{
	char word[8];
	size_t len;

	date_skip_space(&s);
	if (*s == '+' || *s == '-') {
		if (date_offset(&s, &f->offset) == -1)
			return -1;
		f->zone = 1;
	} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
		for (len = 0; ((s[len] >= 'a' && s[len] <= 'z') ||
		    (s[len] >= 'A' && s[len] <= 'Z')); len++) {
			if (len < sizeof word)
				word[len] = (char)(s[len] | 0x20);
		}
		if (len <= sizeof word && date_zone_name(word, len,
		    &f->offset) == 0)
			f->zone = 1;
		else if (!unknown_ok)
			return -1;
		s += len;
		/* "GMT+03:00" */
		if ((*s == '+' || *s == '-') &&
		    date_offset(&s, &f->offset) == -1)
			return -1;
	}
	date_skip_space(&s);
	return *s == '\0' || unknown_ok ? 0 : -1;
}

/* RFC 3339 / ISO 8601: "2024-11-25", "2024-11-25T10:00:00Z",
 * "2024-11-25 10:00:00.123+03:00", "20241125T100000Z"; no zone is UTC. */
static int64_t
date_parse_iso(const char *s)
{
	struct date_fields f = { 0 };
	int basic;

	f.year = date_digits(&s, 4);
	basic = *s != '-';
	if (!basic)
		s++;
	if ((f.month = date_digits(&s, 2)) == -1 || (!basic && *s++ != '-') ||
	    (f.day = date_digits(&s, 2)) == -1)
		return -1;
	if (*s == 'T' || *s == 't' ||
	    (*s == ' ' && s[1] >= '0' && s[1] <= '9')) {
		s++;
		if (basic && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' &&
		    s[1] <= '9' && s[2] != ':') {
			if ((f.hour = date_digits(&s, 2)) == -1 ||
			    (f.minute = date_digits(&s, 2)) == -1 ||
			    (f.second = date_digits(&s, 2)) == -1)
				return -1;
		} else if (date_time(&s, &f) == -1)
			return -1;
		if (date_zone_end(s, &f, 0) == -1)
			return -1;
	} else {
		date_skip_space(&s);
		if (*s != '\0')
			return -1;
	}
	return date_finish(&f);
}

/* Classifies a word of an RFC 822 date: a month (1-12), a weekday (0),
 * AM/PM (-2/-3), or -1 for anything else. */
static int
date_word(const char *word, size_t len)
{
	int i;

	for (i = 0; i < 12; i++) {
		if (date_prefix(word, len, date_months[i]))
			return i + 1;
	}
	for (i = 0; i < 7; i++) {
		if (date_prefix(word, len, date_weekdays[i]))
			return 0;
	}
	if (len == 2 && memcmp(word, "am", 2) == 0)
		return -2;
	if (len == 2 && memcmp(word, "pm", 2) == 0)
		return -3;
	return -1;
}

/* Applies a number from an RFC 822 date as the day or year it must be. */
static int
date_number(struct date_fields *f, int v, int ndigits)
{
	if (ndigits >= 3 && ndigits <= 4 && f->year == -1)
		f->year = ndigits == 3 ? v + 1900 : v;
	else if (ndigits <= 2 && f->day == -1 && f->year == -1)
		f->day = v;
	else if (ndigits <= 2 && f->day == -1 && f->month != -1)
		f->day = v;
	else if (ndigits == 2 && f->year == -1)
		f->year = v < 50 ? 2000 + v : 1900 + v;
	else
		return -1;
	return 0;
}

/* RFC 822 / 1123 / 850 / asctime and what feeds make of them:
 * "Tue, 25 Nov 2024 10:00:00 GMT", "25 Nov 24 10:00 +0300",
 * "Tuesday, 25-Nov-2024 10:00:00 EST", "Nov 25 2024 9:00 PM",
 * "Sun Nov  6 08:49:37 1994", "Mon, 25 June 2024 10:00:00 +03:00 (MSK)". */
static int64_t
date_parse_rfc822(const char *s)
{
	struct date_fields f = { 0 };
	char word[16];
	size_t len;
	int v, n, ampm = 0;

	f.year = f.month = f.day = f.hour = -1;
	/* A weekday in the feed's own language ("mer,", "Пн,", "Mi.,")
	 * tells nothing we need; the month must still be one we know. */
	for (n = 0; s[n] != '\0' && s[n] != ',' && s[n] != ' ' &&
	    !(s[n] >= '0' && s[n] <= '9'); n++)
		;
	if (n > 0 && n <= 24 && s[n] == ',')
		s += n + 1;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == ',' || (*s == '-' && f.hour == -1) || *s == '.')
			s++;
		if (*s == '\0' || *s == '(')
			break;
		if (*s >= '0' && *s <= '9') {
			if (s[1] == ':' || (s[1] >= '0' && s[1] <= '9' &&
			    s[2] == ':')) {
				if (f.hour != -1 || date_time(&s, &f) == -1)
					return -1;
				continue;
			}
			for (v = 0, n = 0; *s >= '0' && *s <= '9'; s++, n++) {
				if (n < 5)
					v = v * 10 + *s - '0';
			}
			if (n > 4 || date_number(&f, v, n) == -1)
				return -1;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			break;
		for (len = 0; (s[len] >= 'a' && s[len] <= 'z') ||
		    (s[len] >= 'A' && s[len] <= 'Z'); len++) {
			if (len < sizeof word)
				word[len] = (char)(s[len] | 0x20);
		}
		v = len <= sizeof word ? date_word(word, len) : -1;
		if (v > 0 && f.month == -1)
			f.month = v;
		else if (v == 0 && f.month == -1 && f.day == -1)
			;	/* a weekday, never checked against the date */
		else if (v < -1 && f.hour != -1 && ampm == 0)
			ampm = v;
		else if (f.hour != -1 || (f.day != -1 && f.month != -1 &&
		    f.year != -1))
			break;	/* the zone, read below */
		else
			return -1;
		s += len;
	}
	if (f.year == -1 || f.month == -1 || f.day == -1)
		return -1;
	if (f.hour == -1)
		f.hour = f.minute = f.second = 0;
	if (ampm != 0) {
		if (f.hour < 1 || f.hour > 12)
			return -1;
		f.hour = f.hour % 12 + (ampm == -3 ? 12 : 0);
	}
	if (date_zone_end(s, &f, 1) == -1)
		return -1;
	return date_finish(&f);
}

int64_t
parse_date(const char *text)
{
	const char *s = text;
	int i;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (i = 0; i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == 4 && (s[4] == '-' || (s[4] >= '0' && s[4] <= '9')))
		return date_parse_iso(s);
	return date_parse_rfc822(s);
}
