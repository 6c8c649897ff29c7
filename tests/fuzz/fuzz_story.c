/* fuzz_story.c: libFuzzer target for the story stage on hostile text — tokens, folding, language, signatures, query compile and match. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "story/story.h"
#include "text/text.h"
#include "translate/translate.h"
#include "watch/watch.h"

/*
 * Built with the text/, story/ and watch/ sources compiled in (see
 * CMakeLists.txt). The input up to its first NUL is a watch query, the
 * rest a story's text (also its title, cut at the first newline); bytes
 * are arbitrary, so invalid UTF-8, huge words and deep nesting all come.
 * A query that compiles is matched; a signature must compare equal to
 * itself and survive its encoding. The text is also cut into sentences
 * and into translation chunks (at a limit taken from the input), which,
 * "translated" as themselves, must join back.
 */
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Made once: loading the language models for every input would make the
 * target too slow to find anything. */
static struct text_langid	*fuzz_langid;
static struct text_stemmer	*fuzz_stemmer;

/* Sentences must lie inside the text, in order; chunks within max_chars
 * must join back into a string. */
static void
fuzz_split(const char *body, size_t blen, size_t max_chars)
{
	struct translate_chunk *chunks;
	struct text_span *spans = NULL;
	char **texts, *text, *joined;
	size_t n = 0, i, nchunks, end = 0;

	text_sentences(body, blen, &spans, &n);
	for (i = 0; i < n; i++) {
		if (spans[i].offset < end ||
		    (size_t)spans[i].offset + spans[i].len > blen)
			abort();
		end = (size_t)spans[i].offset + spans[i].len;
	}
	free(spans);
	text = xstrndup(body, blen);
	nchunks = translate_split(text, max_chars, &chunks);
	texts = xcalloc(nchunks + 1, sizeof *texts);
	for (i = 0; i < nchunks; i++)
		texts[i] = chunks[i].text;
	if ((joined = translate_join(chunks, texts, nchunks)) == NULL)
		abort();
	free(joined);
	free(texts);
	translate_chunks_free(chunks, nchunks);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct text_tokens title = { 0 }, text = { 0 };
	struct story_signature sig, back;
	uint8_t blob[STORY_SIGNATURE_BYTES];
	struct watch_query *q;
	struct watch_doc *doc;
	const uint8_t *nul;
	char *query, *cause = NULL, *folded;
	const char *body, *lang;
	size_t qlen, blen, tlen, column;

	if (fuzz_langid == NULL) {
		if ((fuzz_langid = text_langid_new(&cause)) == NULL)
			abort();
		fuzz_stemmer = text_stemmer_new();
	}
	nul = memchr(data, '\0', size);
	qlen = nul != NULL ? (size_t)(nul - data) : size;
	query = xstrndup((const char *)data, qlen);
	body = nul != NULL ? (const char *)nul + 1 : "";
	blen = nul != NULL ? size - qlen - 1 : 0;
	tlen = blen;
	if (memchr(body, '\n', blen) != NULL)
		tlen = (size_t)((const char *)memchr(body, '\n', blen) - body);

	lang = text_langid_detect(fuzz_langid, body, blen, "en");
	text_tokenize(body, tlen, &title);
	text_tokenize(body, blen, &text);
	folded = text_fold(body, blen);
	story_signature_compute(&title, &text, &sig);
	if (story_signature_similarity(&sig, &sig) < 0.999)
		abort();
	story_signature_encode(&sig, blob);
	/* Field by field: the struct's tail padding is not encoded. */
	if (story_signature_decode(blob, sizeof blob, &back) != 0 ||
	    back.exact != sig.exact || back.shingles != sig.shingles ||
	    memcmp(back.hashes, sig.hashes, sizeof sig.hashes) != 0)
		abort();

	fuzz_split(body, blen, 1 + (size > 0 ? data[0] : 0) * 8);

	q = watch_query_compile(query, NULL, fuzz_stemmer, &column, &cause);
	if (q != NULL) {
		doc = watch_doc_new(fuzz_stemmer);
		watch_doc_add(doc, lang, body, tlen);
		watch_doc_add(doc, lang, body, blen);
		(void)watch_query_match(q, doc);
		watch_doc_free(doc);
		watch_query_free(q);
	} else if (column == 0 || cause == NULL)
		abort();
	free(cause);
	free(folded);
	free(query);
	text_tokens_clear(&title);
	text_tokens_clear(&text);
	return 0;
}
