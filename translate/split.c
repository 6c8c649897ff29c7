/* translate/split.c: texts cut into chunks a backend takes — paragraphs, then sentences, then words — and translations joined back. */

/*
 * A paragraph is a run of lines between blank lines (lines of white space
 * only). Each paragraph is one chunk when it has at most max_chars
 * characters (code points; 0 means no limit). A longer one is cut between
 * sentences (text_sentences), as many whole sentences to a chunk as fit;
 * a sentence longer than max_chars is cut at the last white space that
 * fits, else (scripts written without spaces) before the last word ICU's
 * word iterator finds (text_tokenize), else after max_chars characters.
 * A cut never falls inside a UTF-8 character (an invalid byte counts as
 * one character, as everywhere in translate/).
 *
 * White space, which is what split and join do not give back: with each
 * chunk "translated" to itself, join(split(text)) is the text with
 *   - white space at both ends of each paragraph removed,
 *   - paragraphs separated by exactly "\n\n" (blank lines in any number,
 *     with spaces or "\r" on them, count as one break),
 *   - the white space at each cut inside a paragraph replaced by one " "
 *     (and a " " inserted where a word had to be cut);
 * everything inside a chunk, single line breaks included, is kept as it is.
 */

#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "text/text.h"
#include "translate/backend.h"

/* The chunks being made of one text. */
struct split {
	const char		*text;
	size_t			 max;
	struct translate_chunk	*chunks;
	size_t			 n;
	size_t			 cap;
	int			 paragraph;	/* the next chunk starts one */
};

/* Adds text[start, end), trimmed, as a chunk; white space alone is none. */
static void
split_add(struct split *s, size_t start, size_t end)
{
	struct translate_chunk *c;

	translate_trim(s->text, &start, &end);
	if (start == end)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 8 : s->cap * 2;
		s->chunks = xreallocarray(s->chunks, s->cap, sizeof *s->chunks);
	}
	c = &s->chunks[s->n];
	c->text = xstrndup(s->text + start, end - start);
	if (s->n == 0)
		c->joiner = "";
	else
		c->joiner = s->paragraph ? "\n\n" : " ";
	s->paragraph = 0;
	s->n++;
}

/* Returns the offset after max characters from start (or end, if sooner). */
static size_t
split_advance(const char *text, size_t start, size_t end, size_t max)
{
	size_t i = start, n = 0;

	while (i < end && n < max) {
		i += translate_utf8_next(text + i, end - i);
		n++;
	}
	return i;
}

/* Where to cut text[start, limit) so that it ends on a word: after the
 * last white space that fits (the character at limit included), else
 * before the last word but the first, else 0. */
static size_t
split_word_cut(const char *text, size_t start, size_t limit, size_t end)
{
	struct text_tokens	 tokens;
	size_t			 i, k, cut = 0;

	for (i = start; i <= limit && i < end; i += k) {
		if ((k = translate_space_len(text + i, end - i)) > 0) {
			if (i > start)
				cut = i;
		} else
			k = translate_utf8_next(text + i, end - i);
	}
	if (cut != 0)
		return cut;
	memset(&tokens, 0, sizeof tokens);
	text_tokenize(text + start, limit - start, &tokens);
	for (i = tokens.count; i > 0; i--) {
		if (tokens.tokens[i - 1].offset > 0) {
			cut = start + tokens.tokens[i - 1].offset;
			break;
		}
	}
	text_tokens_clear(&tokens);
	return cut;
}

/* Cuts text[start, end), a sentence too long for one chunk, at words. */
static void
split_words(struct split *s, size_t start, size_t end)
{
	size_t limit, cut;

	for (;;) {
		translate_trim(s->text, &start, &end);
		if (start == end)
			return;
		limit = split_advance(s->text, start, end, s->max);
		if (limit == end) {
			split_add(s, start, end);
			return;
		}
		if ((cut = split_word_cut(s->text, start, limit, end)) == 0)
			cut = limit;
		split_add(s, start, cut);
		start = cut;
	}
}

/* Chunks one paragraph, text[start, end) (trimmed). */
static void
split_paragraph(struct split *s, size_t start, size_t end)
{
	struct text_span	*spans = NULL;
	size_t			 nspans = 0, i, a, b, chars;
	size_t			 cur_start = 0, cur_end = 0, cur_chars = 0;
	int			 cur = 0;

	s->paragraph = 1;
	if (s->max == 0 || translate_utf8_chars(s->text + start, end - start) <=
	    s->max) {
		split_add(s, start, end);
		return;
	}
	/* Each piece runs from a sentence's start to the next one's, so
	 * nothing is lost past the sentences text_sentences reports. */
	text_sentences(s->text + start, end - start, &spans, &nspans);
	for (i = 0; i <= nspans; i++) {
		a = i == 0 ? start : start + spans[i - 1].offset;
		b = i < nspans ? start + spans[i].offset : end;
		translate_trim(s->text, &a, &b);
		if (a == b)
			continue;
		chars = translate_utf8_chars(s->text + a, b - a);
		if (cur) {
			/* The piece with the white space before it. */
			chars += translate_utf8_chars(s->text + cur_end,
			    a - cur_end);
			if (cur_chars + chars <= s->max) {
				cur_chars += chars;
				cur_end = b;
				continue;
			}
			chars = translate_utf8_chars(s->text + a, b - a);
		}
		if (cur)
			split_add(s, cur_start, cur_end);
		cur = 0;
		if (chars > s->max) {
			split_words(s, a, b);
			continue;
		}
		cur = 1;
		cur_start = a;
		cur_end = b;
		cur_chars = chars;
	}
	if (cur)
		split_add(s, cur_start, cur_end);
	free(spans);
}

/* Finds the paragraphs: runs of lines that are not blank. */
size_t
translate_split(const char *text, size_t max_chars,
    struct translate_chunk **chunks)
{
	struct split	 s;
	size_t		 len, line, next, para = 0;
	int		 in_para = 0, blank;
	const char	*nl;

	memset(&s, 0, sizeof s);
	s.text = text != NULL ? text : "";
	s.max = max_chars;
	len = strlen(s.text);
	for (line = 0; line <= len; line = next) {
		nl = memchr(s.text + line, '\n', len - line);
		next = nl != NULL ? (size_t)(nl - s.text) + 1 : len + 1;
		blank = translate_blank(s.text + line, next - 1 - line);
		if (!blank && !in_para) {
			para = line;
			in_para = 1;
		}
		/* A paragraph ends before a blank line, or with the text. */
		if (in_para && (blank || next > len)) {
			split_paragraph(&s, para, blank ? line : len);
			in_para = 0;
		}
	}
	*chunks = s.chunks;
	return s.n;
}

/* Returns the joiner of the two that breaks more: "\n\n", " ", then "". */
static const char *
join_stronger(const char *a, const char *b)
{
	if (a == NULL)
		return b;
	return strlen(a) >= strlen(b) ? a : b;
}

/* Joins the trimmed translations; a translation that is empty (or white
 * space) is left out and its joiner carried to the next, so that neither
 * paragraph breaks nor doubled spaces appear from nothing. */
char *
translate_join(const struct translate_chunk *chunks,
    char * const *translations, size_t n)
{
	const char	*t, *joiner = NULL;
	char		*out;
	size_t		 i, len = 0, cap = 1, start, end;

	for (i = 0; i < n; i++) {
		t = translations != NULL && translations[i] != NULL ?
		    translations[i] : chunks[i].text;
		cap += strlen(t) + strlen(chunks[i].joiner);
	}
	out = xmalloc(cap);
	for (i = 0; i < n; i++) {
		t = translations != NULL && translations[i] != NULL ?
		    translations[i] : chunks[i].text;
		start = 0;
		end = strlen(t);
		translate_trim(t, &start, &end);
		joiner = join_stronger(joiner, chunks[i].joiner);
		if (start == end)
			continue;
		if (len > 0) {
			memcpy(out + len, joiner, strlen(joiner));
			len += strlen(joiner);
		}
		memcpy(out + len, t + start, end - start);
		len += end - start;
		joiner = NULL;
	}
	out[len] = '\0';
	return out;
}

/* Frees the chunks' texts and the array. */
void
translate_chunks_free(struct translate_chunk *chunks, size_t n)
{
	size_t i;

	if (chunks == NULL)
		return;
	for (i = 0; i < n; i++)
		free(chunks[i].text);
	free(chunks);
}
