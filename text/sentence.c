/* text/sentence.c: sentences of any script with ICU's sentence break iterator, as byte spans of the UTF-8 source. */

/*
 * The text is decoded to UTF-16 beside a table giving, for each UTF-16
 * unit, the byte offset of the character it came from, so ICU's boundaries
 * (indexes into UTF-16) map back to exact byte offsets of the source. An
 * invalid UTF-8 byte becomes U+FFFD, one unit for one byte; ICU counts it as
 * an ordinary character, so garbage neither ends a sentence nor is lost.
 *
 * The iterator is opened for "en@ss=standard": ICU's filtered sentence
 * break iterator with the English abbreviation list ("Mr.", "Mrs.",
 * "Prof.", "U.S.A.", "Ph.D.", ...), so "Mr. Blinken" is not cut after
 * "Mr.". The list is applied in every script; the rules themselves are
 * ICU's language-independent ones (UAX #29), which know the full stops,
 * question and exclamation marks of Arabic, Devanagari, CJK and others.
 * Texts translated here end up in English, and the later stages read
 * them in English, which is why that list is the one chosen. ICU still
 * ends a sentence after "U.S." when a capitalised word follows ("the U.S.
 * Senate"), whatever the list says; a lower-case word never starts one.
 *
 * Opening an iterator costs far more than segmenting a paragraph, so the
 * iterator and the UTF-16 buffers live in one context per thread, created
 * on first use and kept (reachable) until exit, like the tokenizer's.
 */

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include "common/common.h"
#include "text/text.h"

/* The reusable state of segmenting on one thread. */
struct sentence_context {
	UBreakIterator		*bi;
	UChar			*u16;
	uint32_t		*u16_off;	/* byte offset of each unit, and the end */
	size_t			 u16_cap;
	struct text_span	*found;		/* this call's spans, before copying */
	size_t			 found_cap;
};

static _Thread_local struct sentence_context *sentence_ctx;

/* Returns this thread's context, creating it on first use. */
static struct sentence_context *
sentence_context_get(void)
{
	struct sentence_context	*ctx;
	UErrorCode		 err = U_ZERO_ERROR;

	if (sentence_ctx != NULL)
		return sentence_ctx;
	ctx = xcalloc(1, sizeof *ctx);
	ctx->bi = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &err);
	if (U_FAILURE(err))
		fatalx("ubrk_open: %s", u_errorName(err));
	sentence_ctx = ctx;
	return ctx;
}

/* Grows the UTF-16 buffers for len bytes of UTF-8, which never make more
 * than len units (a unit per byte at most), plus the end offset. */
static void
sentence_context_reserve(struct sentence_context *ctx, size_t len)
{
	if (len + 1 <= ctx->u16_cap)
		return;
	ctx->u16_cap = len + 1 < 1024 ? 1024 : len + 1;
	ctx->u16 = xreallocarray(ctx->u16, ctx->u16_cap, sizeof *ctx->u16);
	ctx->u16_off = xreallocarray(ctx->u16_off, ctx->u16_cap,
	    sizeof *ctx->u16_off);
}

/* Decodes len bytes of UTF-8 into the context; returns the units made. */
static int32_t
sentence_decode(struct sentence_context *ctx, const char *utf8, size_t len)
{
	const unsigned char	*s = (const unsigned char *)utf8;
	size_t			 i = 0, k;
	int32_t			 n = 0;
	uint32_t		 cp;

	sentence_context_reserve(ctx, len);
	while (i < len) {
		if ((k = util_utf8_decode(s + i, len - i, &cp)) == 0) {
			cp = 0xfffd;
			k = 1;
		}
		if (cp > 0xffff) {
			ctx->u16_off[n] = (uint32_t)i;
			ctx->u16[n++] = U16_LEAD(cp);
			ctx->u16_off[n] = (uint32_t)i;
			ctx->u16[n++] = U16_TRAIL(cp);
		} else {
			ctx->u16_off[n] = (uint32_t)i;
			ctx->u16[n++] = (UChar)cp;
		}
		i += k;
	}
	ctx->u16_off[n] = (uint32_t)len;
	return n;
}

/* Adds a span to this call's list. */
static void
sentence_found(struct sentence_context *ctx, size_t *count, uint32_t offset,
    uint32_t len)
{
	if (*count == ctx->found_cap) {
		ctx->found_cap = ctx->found_cap == 0 ? 64 : ctx->found_cap * 2;
		ctx->found = xreallocarray(ctx->found, ctx->found_cap,
		    sizeof *ctx->found);
	}
	ctx->found[*count].offset = offset;
	ctx->found[*count].len = len;
	(*count)++;
}

/* Segments the text and appends each sentence, white space trimmed at both
 * ends (ICU keeps the spaces after a sentence in it, and the first one
 * starts with whatever leads the text); white space alone is no sentence. */
size_t
text_sentences(const char *utf8, size_t len, struct text_span **spans,
    size_t *n)
{
	struct sentence_context	*ctx;
	UErrorCode		 err = U_ZERO_ERROR;
	int32_t			 units, start, end, a, b;
	size_t			 count = 0;

	if (utf8 == NULL || len == 0)
		return 0;
	if (len > TEXT_MAX_BYTES)
		len = TEXT_MAX_BYTES;
	ctx = sentence_context_get();
	units = sentence_decode(ctx, utf8, len);
	ubrk_setText(ctx->bi, ctx->u16, units, &err);
	if (U_FAILURE(err)) {
		log_warnx("ubrk_setText: %s", u_errorName(err));
		return 0;
	}
	start = ubrk_first(ctx->bi);
	while (count < TEXT_MAX_SENTENCES &&
	    (end = ubrk_next(ctx->bi)) != UBRK_DONE) {
		a = start;
		b = end;
		start = end;
		/* Surrogates are never white space, so unit tests suffice. */
		while (a < b && u_isUWhiteSpace(ctx->u16[a]))
			a++;
		while (b > a && u_isUWhiteSpace(ctx->u16[b - 1]))
			b--;
		if (a < b)
			sentence_found(ctx, &count, ctx->u16_off[a],
			    ctx->u16_off[b] - ctx->u16_off[a]);
	}
	if (count == 0)
		return 0;
	*spans = xreallocarray(*spans, *n + count, sizeof **spans);
	memcpy(*spans + *n, ctx->found, count * sizeof **spans);
	*n += count;
	return count;
}
