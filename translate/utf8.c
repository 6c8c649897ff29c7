/* translate/utf8.c: counting, repairing and trimming the UTF-8 that goes to and comes from translators. */

/*
 * Backends count characters (code points), not bytes, and JSON libraries
 * refuse invalid UTF-8, so texts are repaired before they are sent. An
 * invalid byte is one character everywhere here, as util_utf8_decode
 * leaves it, so counts and cuts agree with the repair.
 */

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "common/common.h"
#include "translate/backend.h"

#define UTF8_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Bytes of the character at s; an invalid byte is one. */
size_t
translate_utf8_next(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	k = util_utf8_decode((const unsigned char *)s, n, &cp);
	return k == 0 ? 1 : k;
}

/* Characters of len bytes, counted as they are cut. */
size_t
translate_utf8_chars(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		/* ASCII, most of what is sent, needs no decoding. */
		if ((unsigned char)s[i] < 0x80)
			i++;
		else
			i += translate_utf8_next(s + i, len - i);
		n++;
	}
	return n;
}

/* Copies len bytes with each invalid byte as U+FFFD. */
char *
translate_utf8_repair(const char *s, size_t len)
{
	char *out, *p;
	uint32_t cp;
	size_t i = 0, k;

	/* An invalid byte becomes three. */
	out = p = xmalloc(len * 3 + 1);
	while (i < len) {
		k = util_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0) {
			memcpy(p, UTF8_REPLACEMENT, 3);
			p += 3;
			i++;
		} else {
			memcpy(p, s + i, k);
			p += k;
			i += k;
		}
	}
	*p = '\0';
	return out;
}

/* Bytes of the white space character at s, or 0. */
size_t
translate_space_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	if (n == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80)
		return u_isUWhiteSpace((unsigned char)s[0]) ? 1 : 0;
	k = util_utf8_decode((const unsigned char *)s, n, &cp);
	return k > 0 && u_isUWhiteSpace((UChar32)cp) ? k : 0;
}

/* Whether len bytes are white space alone (or nothing). */
int
translate_blank(const char *s, size_t len)
{
	size_t start = 0, end = len;

	translate_trim(s, &start, &end);
	return start == end;
}

/* Narrows [*start, *end) past the white space at its ends. */
void
translate_trim(const char *s, size_t *start, size_t *end)
{
	size_t i = *start, last = *start, k;

	while (i < *end && (k = translate_space_len(s + i, *end - i)) > 0)
		i += k;
	*start = i;
	/* Forward, because UTF-8 read backwards is ambiguous at invalid bytes. */
	for (last = i; i < *end; ) {
		if ((k = translate_space_len(s + i, *end - i)) > 0) {
			i += k;
			continue;
		}
		i += translate_utf8_next(s + i, *end - i);
		last = i;
	}
	*end = last;
}

/* Bytes a string takes in a JSON literal, as jansson escapes it. */
size_t
translate_json_len(const char *s)
{
	const unsigned char *p;
	size_t n = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\' || *p == '\n' || *p == '\r' ||
		    *p == '\t' || *p == '\b' || *p == '\f')
			n += 2;
		else if (*p < 0x20)
			n += 6;
		else
			n++;
	}
	return n;
}
