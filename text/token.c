/* text/token.c: words of any script with ICU's word break iterator, folded for matching. */

/*
 * A text is cut into chunks at ASCII white space. A chunk of pure ASCII is
 * split and lowercased here (token_ascii_chunk), following the same UAX #29
 * rules ICU applies to ASCII, because most news text is mostly ASCII and
 * going through UTF-16 and ICU for it costs several times more; a unit test
 * checks both paths agree. Runs of chunks holding other bytes are decoded
 * to UTF-16 (invalid UTF-8 becomes U+FFFD, which never joins a word) and
 * handed to one ICU word break iterator.
 *
 * Folding is NFKC with full case folding, then diacritics are removed: the
 * text is decomposed (NFD), the marks listed in token_mark_drops are
 * dropped and the rest is composed again (NFC). Only the diacritics of
 * Latin, Greek, Cyrillic, Arabic (harakat, hamza, tatweel) and Hebrew
 * (niqqud, cantillation) drop: marks of Indic or Thai scripts or the kana
 * voicing marks spell different words and are kept. In Cyrillic the breve
 * and diaeresis are letters (й, ў, ї) and stay, except on е: Russian writes
 * ё as е most of the time, so ё folds to е.
 *
 * Two tokenizing decisions beyond ICU: the English possessive ('s, ’s) and
 * the French elisions (l', d', qu' ...) are cut off, so "Israel's" and
 * "l'Ukraine" match "israel" and "ukraine"; and ideographs are tokens one
 * by one (ICU's dictionary words are split), so that a query needs no
 * dictionary to match Chinese or Japanese text.
 *
 * The break iterator, the scratch buffers and a cache of how each BMP
 * character folds (token_fold_entry) live in one context per thread,
 * created on first use: opening an iterator costs far more than
 * tokenizing a headline, and the daemon tokenizes on one thread. The
 * context (128 KiB of cache, plus 6 bytes per byte of the longest text
 * seen, at most TEXT_MAX_BYTES) is never freed; it is reachable until exit.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "common/common.h"
#include "text/text.h"

/* The reusable state of tokenizing on one thread. */
struct token_context {
	UBreakIterator		*bi;
	const UNormalizer2	*nfkc_cf;
	const UNormalizer2	*nfd;
	const UNormalizer2	*nfc;
	UChar			*u16;		/* the span being segmented */
	uint32_t		*u16_off;	/* source offset of each unit */
	size_t			 u16_cap;
	UChar			*fold[2];	/* folding scratch */
	size_t			 fold_cap;
	uint16_t		*fold1;		/* see token_fold_entry */
};

static _Thread_local struct token_context *token_ctx;

/* Returns this thread's context, creating it on first use. */
static struct token_context *
token_context_get(void)
{
	struct token_context	*ctx;
	UErrorCode		 err = U_ZERO_ERROR;

	if (token_ctx != NULL)
		return token_ctx;
	ctx = xcalloc(1, sizeof *ctx);
	ctx->bi = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
	if (U_FAILURE(err))
		fatalx("ubrk_open: %s", u_errorName(err));
	ctx->nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
	ctx->nfd = unorm2_getNFDInstance(&err);
	ctx->nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		fatalx("unorm2: %s", u_errorName(err));
	ctx->fold1 = xcalloc(0x10000, sizeof *ctx->fold1);
	token_ctx = ctx;
	return ctx;
}

/* Grows the span buffers to hold n UTF-16 units and one more (n bytes of
 * UTF-8, or of invalid bytes each becoming U+FFFD, never make more). */
static void
token_context_reserve(struct token_context *ctx, size_t n)
{
	if (n + 1 <= ctx->u16_cap)
		return;
	ctx->u16_cap = n + 1 < 4096 ? 4096 : n + 1;
	ctx->u16 = xreallocarray(ctx->u16, ctx->u16_cap, sizeof *ctx->u16);
	ctx->u16_off = xreallocarray(ctx->u16_off, ctx->u16_cap,
	    sizeof *ctx->u16_off);
}

/* Grows the folding scratch to n UTF-16 units. */
static void
token_context_reserve_fold(struct token_context *ctx, size_t n)
{
	if (n <= ctx->fold_cap)
		return;
	ctx->fold_cap = n < 256 ? 256 : n * 2;
	ctx->fold[0] = xreallocarray(ctx->fold[0], ctx->fold_cap,
	    sizeof **ctx->fold);
	ctx->fold[1] = xreallocarray(ctx->fold[1], ctx->fold_cap,
	    sizeof **ctx->fold);
}

/*
 * Decodes one UTF-8 character at s (n > 0 bytes left). Returns its length
 * and the code point in *cp; an invalid or truncated sequence returns 1 and
 * U+FFFD (overlong forms, surrogates and values past U+10FFFF are invalid).
 */
static size_t
token_utf8_decode(const unsigned char *s, size_t n, UChar32 *cp)
{
	UChar32	c = s[0];
	size_t	need, i;

	*cp = 0xfffd;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		c &= 0x07;
	} else
		return 1;
	if (need >= n)
		return 1;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((need == 2 && c < 0x800) || (need == 3 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	*cp = c;
	return need + 1;
}

/* Makes room for extra more bytes in the token buffer. */
static void
token_buf_reserve(struct text_tokens *t, size_t extra)
{
	size_t	 cap, k;
	char	*old = t->buf;

	if (t->buf_len + extra <= t->buf_cap)
		return;
	cap = t->buf_cap < 4096 ? 4096 : t->buf_cap;
	while (cap < t->buf_len + extra)
		cap *= 2;
	t->buf = xrealloc(t->buf, cap);
	t->buf_cap = cap;
	/* The words already written point into the old buffer. */
	for (k = 0; k < t->count && old != NULL; k++)
		t->tokens[k].word = t->buf + (t->tokens[k].word - old);
}

/* Appends UTF-16 units as UTF-8 to the token buffer (lone surrogates, which
 * ICU never produces from valid input, are dropped). */
static void
token_buf_append_u16(struct text_tokens *t, const UChar *u, int32_t n)
{
	int32_t	i = 0;
	UChar32	c;
	char	*p;

	token_buf_reserve(t, (size_t)n * 3 + 1);
	p = t->buf + t->buf_len;
	while (i < n) {
		U16_NEXT(u, i, n, c);
		if (c < 0x80)
			*p++ = (char)c;
		else if (c < 0x800) {
			*p++ = (char)(0xc0 | (c >> 6));
			*p++ = (char)(0x80 | (c & 0x3f));
		} else if (U_IS_SURROGATE(c))
			continue;
		else if (c < 0x10000) {
			*p++ = (char)(0xe0 | (c >> 12));
			*p++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*p++ = (char)(0x80 | (c & 0x3f));
		} else {
			*p++ = (char)(0xf0 | (c >> 18));
			*p++ = (char)(0x80 | ((c >> 12) & 0x3f));
			*p++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*p++ = (char)(0x80 | (c & 0x3f));
		}
	}
	t->buf_len = p - t->buf;
}

/* Makes room for one more token. */
static struct text_token *
token_push(struct text_tokens *t)
{
	if (t->count == t->cap) {
		t->cap = t->cap < 64 ? 64 : t->cap * 2;
		t->tokens = xreallocarray(t->tokens, t->cap, sizeof *t->tokens);
	}
	return &t->tokens[t->count++];
}

/* Returns whether the combining mark c, following base, is a diacritic the
 * fold drops (see the comment at the top of the file). */
static bool
token_mark_drops(UChar32 base, UChar32 c)
{
	if (c == 0x0640)	/* Arabic tatweel: stretches, spells nothing */
		return true;
	if (u_charType(c) != U_NON_SPACING_MARK)
		return false;
	if (base >= 0x0400 && base <= 0x04ff &&
	    (c == 0x0306 || (c == 0x0308 && base != 0x0435)))
		return false;
	return (c >= 0x0300 && c <= 0x036f) || (c >= 0x0483 && c <= 0x0489) ||
	    (c >= 0x0591 && c <= 0x05c7) || (c >= 0x0610 && c <= 0x061a) ||
	    (c >= 0x064b && c <= 0x065f) || c == 0x0670 ||
	    (c >= 0x06d6 && c <= 0x06ed) || (c >= 0x08d3 && c <= 0x08ff) ||
	    (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f);
}

/* Runs one normalizer from src into the scratch dst, growing it as needed.
 * Returns the length written. */
static int32_t
token_normalize(struct token_context *ctx, const UNormalizer2 *norm,
    const UChar *src, int32_t n, int dst)
{
	UErrorCode	err = U_ZERO_ERROR;
	int32_t		out;

	out = unorm2_normalize(norm, src, n, ctx->fold[dst],
	    (int32_t)ctx->fold_cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		UChar	*keep = NULL;

		/* src may be the other scratch buffer, which the reserve moves. */
		if (src == ctx->fold[!dst]) {
			keep = xreallocarray(NULL, n, sizeof *keep);
			memcpy(keep, src, n * sizeof *keep);
			src = keep;
		}
		token_context_reserve_fold(ctx, out + 1);
		err = U_ZERO_ERROR;
		out = unorm2_normalize(norm, src, n, ctx->fold[dst],
		    (int32_t)ctx->fold_cap, &err);
		free(keep);
	}
	if (U_FAILURE(err))
		return 0;
	return out;
}

/*
 * Folds n UTF-16 units: NFKC_Casefold, NFD, diacritics dropped, NFC.
 * Returns the folded text (in the context's scratch) and its length.
 */
static const UChar *
token_fold_u16(struct token_context *ctx, const UChar *src, int32_t n,
    int32_t *out_len)
{
	int32_t	len, i, j;
	UChar32	c, base = 0;

	token_context_reserve_fold(ctx, (size_t)n * 2 + 16);
	len = token_normalize(ctx, ctx->nfkc_cf, src, n, 0);
	len = token_normalize(ctx, ctx->nfd, ctx->fold[0], len, 1);
	for (i = 0, j = 0; i < len;) {
		int32_t	start = i;

		U16_NEXT(ctx->fold[1], i, len, c);
		if (u_getCombiningClass(c) == 0 && c != 0x0640)
			base = c;
		if (token_mark_drops(base, c))
			continue;
		while (start < i)
			ctx->fold[1][j++] = ctx->fold[1][start++];
	}
	*out_len = token_normalize(ctx, ctx->nfc, ctx->fold[1], j, 0);
	return ctx->fold[0];
}

/* Returns whether u is an apostrophe that ICU keeps inside words. */
static bool
token_is_apostrophe(UChar u)
{
	return u == 0x27 || u == 0x2019;
}

/*
 * Narrows the word u[*start, *end) by the English possessive at its end and
 * a French elision at its start, when a word remains.
 */
static void
token_trim_u16(const UChar *u, int32_t *start, int32_t *end)
{
	int32_t	s = *start, e = *end;
	UChar	c;

	if (e - s >= 3 && token_is_apostrophe(u[e - 2]) &&
	    (u[e - 1] == 's' || u[e - 1] == 'S'))
		e -= 2;
	if (e - s >= 3 && token_is_apostrophe(u[s + 1])) {
		c = u[s] | 0x20;
		if (c == 'c' || c == 'd' || c == 'j' || c == 'l' || c == 'm' ||
		    c == 'n' || c == 's' || c == 't')
			s += 2;
	} else if (e - s >= 4 && token_is_apostrophe(u[s + 2]) &&
	    (u[s] | 0x20) == 'q' && (u[s + 1] | 0x20) == 'u')
		s += 3;
	*start = s;
	*end = e;
}

/* The entries of the fold cache besides a folded UTF-16 unit. */
#define FOLD_UNKNOWN	0
#define FOLD_COMPLEX	1	/* needs the whole word: token_fold_u16 */
#define FOLD_EMPTY	2	/* folds to nothing (tatweel, soft hyphen) */

/*
 * Returns how the BMP unit c folds, from a cache filled on first sight.
 * Three normalizations per word cost most of the time of non-Latin text,
 * while almost every letter folds alone to one letter. A unit is cached
 * when normalization cannot join it to what comes before it (it starts a
 * segment of NFKC_Casefold, and its result one of NFC): normalizers work
 * segment by segment, so a word made only of such units folds unit by
 * unit as it does whole. Anything else (combining marks, jamo, ß,
 * ligatures) makes its word take the whole way.
 */
static uint16_t
token_fold_entry(struct token_context *ctx, UChar c)
{
	const UChar	*f;
	int32_t		 n;
	uint16_t	 v = ctx->fold1[c];

	if (v != FOLD_UNKNOWN)
		return v;
	v = FOLD_COMPLEX;
	if (!U16_IS_SURROGATE(c) && unorm2_hasBoundaryBefore(ctx->nfkc_cf, c)) {
		f = token_fold_u16(ctx, &c, 1, &n);
		if (n == 0)
			v = FOLD_EMPTY;
		else if (n == 1 && f[0] > FOLD_EMPTY && !U16_IS_SURROGATE(f[0]) &&
		    unorm2_hasBoundaryBefore(ctx->nfc, f[0]))
			v = f[0];
	}
	ctx->fold1[c] = v;
	return v;
}

/* Appends the fold of u[0, n) to the token buffer through the cache.
 * Returns false, having appended nothing, when a unit needs the whole word. */
static bool
token_fold_fast(struct token_context *ctx, struct text_tokens *t,
    const UChar *u, int32_t n)
{
	int32_t		i;
	uint16_t	v;
	char		*p;

	token_buf_reserve(t, (size_t)n * 3 + 1);
	p = t->buf + t->buf_len;
	for (i = 0; i < n; i++) {
		if ((v = token_fold_entry(ctx, u[i])) == FOLD_COMPLEX)
			return false;
		if (v == FOLD_EMPTY)
			continue;
		if (v < 0x80)
			*p++ = (char)v;
		else if (v < 0x800) {
			*p++ = (char)(0xc0 | (v >> 6));
			*p++ = (char)(0x80 | (v & 0x3f));
		} else {
			*p++ = (char)(0xe0 | (v >> 12));
			*p++ = (char)(0x80 | ((v >> 6) & 0x3f));
			*p++ = (char)(0x80 | (v & 0x3f));
		}
	}
	t->buf_len = p - t->buf;
	return true;
}

/* Adds the token u[start, end) of the span, folded. Returns false when the
 * token bound is reached. */
static bool
token_add_u16(struct token_context *ctx, struct text_tokens *t,
    int32_t start, int32_t end, size_t *added)
{
	struct text_token	*tok;
	const UChar		*f;
	int32_t			 flen;
	size_t			 at = t->buf_len;

	if (*added >= TEXT_MAX_TOKENS)
		return false;
	if (!token_fold_fast(ctx, t, ctx->u16 + start, end - start)) {
		f = token_fold_u16(ctx, ctx->u16 + start, end - start, &flen);
		token_buf_append_u16(t, f, flen);
	}
	if (t->buf_len == at)
		return true;
	t->buf[t->buf_len++] = '\0';
	tok = token_push(t);
	tok->word = t->buf + at;
	tok->len = (uint32_t)(t->buf_len - at - 1);
	tok->offset = ctx->u16_off[start];
	tok->source_len = ctx->u16_off[end] - ctx->u16_off[start];
	(*added)++;
	return true;
}

/* Adds the tokens of one ICU word segment [start, end) of the span with
 * rule status status. Returns false when the token bound is reached. */
static bool
token_segment(struct token_context *ctx, struct text_tokens *t,
    int32_t start, int32_t end, int32_t status, size_t *added)
{
	int32_t	i, next;
	UChar32	c;

	if (status >= UBRK_WORD_KANA && status < UBRK_WORD_IDEO_LIMIT) {
		/*
		 * One token per character: no dictionary needed to match,
		 * and a word reads the same alone (a query) as in a sentence
		 * the dictionary cuts differently.
		 */
		for (i = start; i < end; i = next) {
			next = i;
			U16_NEXT(ctx->u16, next, end, c);
			if (u_getCombiningClass(c) != 0)
				continue;
			while (next < end && u_getCombiningClass(
			    ctx->u16[next]) != 0)
				next++;
			if (!u_isalnum(c))
				continue;
			if (!token_add_u16(ctx, t, i, next, added))
				return false;
		}
		return true;
	}
	token_trim_u16(ctx->u16, &start, &end);
	/* ICU gives connectors alone ("__", "@") a word status; not words. */
	for (i = start; i < end; i++)
		if (U16_IS_SURROGATE(ctx->u16[i]) || u_isalnum(ctx->u16[i]))
			break;
	if (i == end)
		return true;
	return token_add_u16(ctx, t, start, end, added);
}

/* Tokenizes src[0, n) (a run of chunks with non-ASCII bytes) with ICU;
 * base is its offset in the whole text. Returns false at the token bound. */
static bool
token_icu_span(struct text_tokens *t, const char *src, size_t n,
    size_t base, size_t *added)
{
	struct token_context	*ctx = token_context_get();
	const unsigned char	*s = (const unsigned char *)src;
	UErrorCode		 err = U_ZERO_ERROR;
	size_t			 i, k;
	int32_t			 m = 0, start, end;
	UChar32			 c;

	token_context_reserve(ctx, n);
	for (i = 0; i < n; i += k) {
		k = token_utf8_decode(s + i, n - i, &c);
		if (c > 0xffff) {
			ctx->u16_off[m] = (uint32_t)(base + i);
			ctx->u16[m++] = U16_LEAD(c);
			ctx->u16_off[m] = (uint32_t)(base + i);
			ctx->u16[m++] = U16_TRAIL(c);
		} else {
			ctx->u16_off[m] = (uint32_t)(base + i);
			ctx->u16[m++] = (UChar)c;
		}
	}
	ctx->u16_off[m] = (uint32_t)(base + n);
	ubrk_setText(ctx->bi, ctx->u16, m, &err);
	if (U_FAILURE(err))
		return true;
	start = ubrk_first(ctx->bi);
	while ((end = ubrk_next(ctx->bi)) != UBRK_DONE) {
		int32_t	status = ubrk_getRuleStatus(ctx->bi);

		if (status >= UBRK_WORD_NONE_LIMIT &&
		    !token_segment(ctx, t, start, end, status, added))
			return false;
		start = end;
	}
	return true;
}

/* The UAX #29 word break classes of ASCII (WB= ALetter, Numeric, MidNum,
 * MidNumLet, Single_Quote, ExtendNumLet); ICU's rules take the colon out of
 * MidLetter, which leaves ASCII none. */
enum token_class { TC_OTHER, TC_LETTER, TC_DIGIT, TC_MIDNUM, TC_MIDNUMLET,
    TC_QUOTE, TC_EXTEND };

/* Returns the class of an ASCII byte as ICU's rules see it. */
static enum token_class
token_ascii_class(unsigned char c)
{
	if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@')
		return TC_LETTER;
	if (c >= '0' && c <= '9')
		return TC_DIGIT;
	switch (c) {
	case '.':
		return TC_MIDNUMLET;
	case '\'':
		return TC_QUOTE;
	case ',':
	case ';':
		return TC_MIDNUM;
	case '_':
		return TC_EXTEND;
	}
	return TC_OTHER;
}

/* Adds the ASCII token src[start, end) lowercased; base is the chunk's
 * offset in the whole text. Returns false at the token bound. */
static bool
token_ascii_add(struct text_tokens *t, const char *src, size_t start,
    size_t end, size_t base, size_t *added)
{
	struct text_token	*tok;
	size_t			 i, n;
	char			*p;
	unsigned char		 c;

	/* The same trimming token_trim_u16 does. */
	if (end - start >= 3 && src[end - 2] == '\'' &&
	    (src[end - 1] | 0x20) == 's')
		end -= 2;
	if (end - start >= 3 && src[start + 1] == '\'') {
		c = src[start] | 0x20;
		if (c == 'c' || c == 'd' || c == 'j' || c == 'l' || c == 'm' ||
		    c == 'n' || c == 's' || c == 't')
			start += 2;
	} else if (end - start >= 4 && src[start + 2] == '\'' &&
	    (src[start] | 0x20) == 'q' && (src[start + 1] | 0x20) == 'u')
		start += 3;
	for (i = start; i < end; i++)
		if (token_ascii_class(src[i]) == TC_DIGIT ||
		    (token_ascii_class(src[i]) == TC_LETTER && src[i] != '@'))
			break;
	if (i == end)
		return true;
	if (*added >= TEXT_MAX_TOKENS)
		return false;
	n = end - start;
	token_buf_reserve(t, n + 1);
	p = t->buf + t->buf_len;
	for (i = 0; i < n; i++) {
		c = src[start + i];
		p[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	p[n] = '\0';
	tok = token_push(t);
	tok->word = p;
	tok->len = (uint32_t)n;
	tok->offset = (uint32_t)(base + start);
	tok->source_len = (uint32_t)n;
	t->buf_len += n + 1;
	(*added)++;
	return true;
}

/*
 * Tokenizes an ASCII chunk src[0, n) by the UAX #29 word rules that concern
 * ASCII: letters and digits join (WB5, WB8-WB10), '_' joins them (WB13a/b),
 * a letter.letter or letter'letter stays one word (WB6/WB7), and so does
 * digit,digit, digit.digit, digit;digit, digit'digit (WB11/WB12). ICU
 * (CLDR) counts '@' as a letter, so handles and addresses stay one word.
 * A word without a letter or digit ("__", "@") is not a token.
 */
static bool
token_ascii_chunk(struct text_tokens *t, const char *src, size_t n,
    size_t base, size_t *added)
{
	size_t			 i = 0, start;
	enum token_class	 c, prev, mid, next;

	while (i < n) {
		c = token_ascii_class(src[i]);
		if (c != TC_LETTER && c != TC_DIGIT && c != TC_EXTEND) {
			i++;
			continue;
		}
		start = i;
		prev = c;
		for (i++; i < n; i++) {
			c = token_ascii_class(src[i]);
			if (c == TC_LETTER || c == TC_DIGIT || c == TC_EXTEND) {
				prev = c;
				continue;
			}
			if (i + 1 >= n || (c != TC_MIDNUMLET && c != TC_QUOTE &&
			    c != TC_MIDNUM))
				break;
			mid = c;
			next = token_ascii_class(src[i + 1]);
			if (prev == TC_LETTER && next == TC_LETTER &&
			    mid != TC_MIDNUM) {
				i++;
				continue;
			}
			if (prev == TC_DIGIT && next == TC_DIGIT) {
				i++;
				continue;
			}
			break;
		}
		if (!token_ascii_add(t, src, start, i, base, added))
			return false;
	}
	return true;
}

/* Returns whether c is ASCII white space, where every word ends. */
static inline bool
token_is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

size_t
text_tokenize(const char *utf8, size_t len, struct text_tokens *tokens)
{
	const unsigned char	*s = (const unsigned char *)utf8;
	size_t			 added = 0, i = 0, start, span = 0;
	bool			 ascii, in_span = false;

	if (len > TEXT_MAX_BYTES)
		len = TEXT_MAX_BYTES;
	while (i < len) {
		while (i < len && token_is_space(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		ascii = true;
		while (i < len && !token_is_space(s[i])) {
			ascii &= s[i] < 0x80;
			i++;
		}
		if (!ascii) {
			if (!in_span)
				span = start;
			in_span = true;
			continue;
		}
		if (in_span && !token_icu_span(tokens, utf8 + span,
		    start - span, span, &added))
			return added;
		in_span = false;
		if (!token_ascii_chunk(tokens, utf8 + start, i - start, start,
		    &added))
			return added;
	}
	if (in_span)
		token_icu_span(tokens, utf8 + span, len - span, span, &added);
	return added;
}

void
text_tokens_clear(struct text_tokens *tokens)
{
	free(tokens->tokens);
	free(tokens->buf);
	memset(tokens, 0, sizeof *tokens);
}

char *
text_fold(const char *utf8, size_t len)
{
	struct token_context	*ctx = token_context_get();
	const unsigned char	*s = (const unsigned char *)utf8;
	struct text_tokens	 out;
	const UChar		*f;
	int32_t			 m = 0, flen;
	size_t			 i, k;
	UChar32			 c;
	char			*res;

	if (len > TEXT_MAX_BYTES)
		len = TEXT_MAX_BYTES;
	token_context_reserve(ctx, len);
	for (i = 0; i < len; i += k) {
		k = token_utf8_decode(s + i, len - i, &c);
		if (c == 0xfffd && k == 1 && s[i] >= 0x80)
			continue;	/* invalid UTF-8 is skipped */
		U16_APPEND_UNSAFE(ctx->u16, m, c);
	}
	f = token_fold_u16(ctx, ctx->u16, m, &flen);
	memset(&out, 0, sizeof out);
	token_buf_append_u16(&out, f, flen);
	res = xstrndup(out.buf != NULL ? out.buf : "", out.buf_len);
	free(out.buf);
	return res;
}
