/* output.c: text fit for a terminal, aligned columns, times, and JSON lines. */

/*
 * Titles, errors and names shown here come from feeds, that is from
 * strangers: a title may carry an escape sequence that would retitle or
 * clear the user's terminal, or bidirectional overrides that reorder the
 * line. Everything printed as text goes through cli_text_line.
 */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "common/common.h"
#include "cli/cli_internal.h"

#define CLI_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Characters that must not reach a terminal as themselves: C0 and C1
 * controls, DEL, and the bidirectional embeddings, overrides and isolates. */
static int
cli_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Cleans s into a new string; with max (not 0), keeps max characters. */
static char *
cli_text_clean(const char *s, size_t max, int *cut)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0, chars = 0, len;
	char *out;
	uint32_t cp;

	/* Each input byte yields at most three output bytes (U+FFFD). */
	out = xmalloc(n * 3 + 1);
	*cut = 0;
	while (n > 0) {
		if (max != 0 && chars == max) {
			*cut = 1;
			break;
		}
		if ((len = util_utf8_decode(p, n, &cp)) == 0) {
			memcpy(out + used, CLI_REPLACEMENT, 3);
			used += 3;
			len = 1;
		} else if (cli_is_unsafe(cp))
			out[used++] = ' ';
		else {
			memcpy(out + used, p, len);
			used += len;
		}
		p += len;
		n -= len;
		chars++;
	}
	out[used] = '\0';
	return out;
}

char *
cli_text_line(const char *s, size_t max)
{
	char *out, *shorter;
	int cut;

	if (s == NULL)
		return xstrdup("");
	out = cli_text_clean(s, max, &cut);
	if (!cut)
		return out;
	free(out);
	if (max <= 3)
		return xstrdup("...");
	shorter = cli_text_clean(s, max - 3, &cut);
	xasprintf(&out, "%s...", shorter);
	free(shorter);
	return out;
}

size_t
cli_text_width(const char *s)
{
	size_t n = 0;

	/* Counting the bytes that do not continue a sequence. */
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

void
cli_print_padded(FILE *f, const char *s, size_t width)
{
	size_t n;

	fputs(s, f);
	for (n = cli_text_width(s); n < width; n++)
		fputc(' ', f);
}

size_t
cli_terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return 80;
	return ws.ws_col;
}

char *
cli_format_span(int64_t seconds, char *buf, size_t len)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 60)
		snprintf(buf, len, "%llds", (long long)seconds);
	else if (seconds < 3600)
		snprintf(buf, len, "%lldm", (long long)(seconds / 60));
	else if (seconds < 86400)
		snprintf(buf, len, "%lldh", (long long)(seconds / 3600));
	else
		snprintf(buf, len, "%lldd", (long long)(seconds / 86400));
	return buf;
}

json_t *
cli_json_text(const char *s)
{
	return alert_json_text(s);
}

json_t *
cli_json_time(int64_t t)
{
	char buf[UTIL_TIME_LEN];

	if (t < 0)
		return json_null();
	return json_string(util_format_time(t, buf));
}

void
cli_json_print(json_t *obj)
{
	json_dumpf(obj, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(obj);
}

json_t *
cli_json_split(const char *list, char sep)
{
	json_t *array = json_array();
	const char *p = list;
	char seps[2] = { sep, '\0' };
	size_t n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, seps);
		if (n > 0)
			json_array_append_new(array, json_stringn(p, n));
		p += n + (p[n] == sep);
	}
	return array;
}
