/* cues.c: the cue tables — sections of the built-in cue files, folded and sorted for binary search. */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"

static int
extract_list_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Words of a folded entry. */
static size_t
extract_list_words(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			n++;
	}
	return n;
}

/* Adds one line of a section, folded, with runs of spaces made one. */
static void
extract_list_add(struct extract_list *l, const char *line, size_t len)
{
	char *folded, *in, *out;

	folded = text_fold(line, len);
	for (in = out = folded; *in != '\0'; in++) {
		if ((*in == ' ' || *in == '\t') &&
		    (out == folded || out[-1] == ' '))
			continue;
		*out++ = *in == '\t' ? ' ' : *in;
	}
	while (out > folded && out[-1] == ' ')
		out--;
	*out = '\0';
	if (*folded == '\0') {
		free(folded);
		return;
	}
	extract_list_append(l, folded);
}

void
extract_list_append(struct extract_list *l, char *folded)
{
	size_t words;

	/* Doubling: the surname list has tens of thousands of entries, and
	 * growing one by one copies it over and over (seconds under ASan). */
	if (l->count == l->cap) {
		l->cap = l->cap > 0 ? l->cap * 2 : 64;
		l->entries = xreallocarray(l->entries, l->cap,
		    sizeof *l->entries);
	}
	l->entries[l->count++] = folded;
	if ((words = extract_list_words(folded)) > l->max_words)
		l->max_words = words;
}

void
extract_list_sort(struct extract_list *l)
{
	size_t i, n = 0;

	if (l->count == 0)
		return;
	qsort(l->entries, l->count, sizeof *l->entries, extract_list_cmp);
	for (i = 0; i < l->count; i++) {
		if (n > 0 && strcmp(l->entries[n - 1], l->entries[i]) == 0) {
			free(l->entries[i]);
			continue;
		}
		l->entries[n++] = l->entries[i];
	}
	l->count = n;
}

int
extract_list_load(struct extract_list *l, const char *file,
    const char *section, char **cause)
{
	const struct extract_file *f;
	const char *p, *end, *eol;
	size_t slen = strlen(section);
	int in = 0;

	if ((f = extract_file_find(file)) == NULL) {
		xasprintf(cause, "no built-in cue file %s", file);
		return -1;
	}
	end = (const char *)f->data + f->len;
	for (p = (const char *)f->data; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p == eol || *p == '#')
			continue;
		if (*p == '[') {
			in = (size_t)(eol - p) >= slen + 2 &&
			    strncmp(p + 1, section, slen) == 0 &&
			    p[slen + 1] == ']';
			continue;
		}
		if (in)
			extract_list_add(l, p, (size_t)(eol - p));
	}
	extract_list_sort(l);
	return 0;
}

int
extract_list_has(const struct extract_list *l, const char *folded, size_t len)
{
	size_t lo = 0, hi = l->count, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(l->entries[mid], folded, len);
		if (c == 0 && l->entries[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void
extract_list_clear(struct extract_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->entries[i]);
	free(l->entries);
	memset(l, 0, sizeof *l);
}
