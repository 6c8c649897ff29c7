/* watch/doc.c: a story's parts tokenized once into hash sets of words and stems, so that many watches are matched cheaply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "common/common.h"
#include "text/text.h"
#include "watch/doc.h"

/*
 * A document is built once per story and then asked by every watch: "is
 * this word here", "is this stem here in Russian", "do these words follow
 * each other in one part". So building does the work once:
 *
 *   - all parts are tokenized into one struct text_tokens (parts are
 *     consecutive ranges of it);
 *   - every distinct folded word becomes an entry in an open-addressing
 *     hash table, and each entry chains the positions where it occurs,
 *     in order, for phrases;
 *   - every distinct word of a part whose language has a Snowball stemmer
 *     is stemmed once per language and its stem put in a second table
 *     keyed by (language, stem).
 *
 * Snowball's stemmers for languages written with accents expect them
 * (Spanish takes "-ación" off, not "-acion"), but the words text/ gives are
 * folded, accents gone. So a word written with accents is stemmed twice:
 * as folded, and as written (NFKC and case folding only) with the stem
 * folded after; negociaciones and negociación then share "negoci". The
 * query does the same with its terms, and either stem may match.
 *
 * Prefix words scan the distinct words (a few hundred in a news item),
 * which is cheaper than keeping a sorted copy for every document.
 *
 * Reuse is the common case (one document for every story in turn), so the
 * tables are emptied by bumping a generation number instead of clearing
 * them, and no array is freed until watch_doc_free.
 */

/* Parts beyond this many are ignored: a story has a title and a text,
 * twice over once translated. */
#define DOC_MAX_PARTS	16
#define DOC_NONE	UINT32_MAX
/* Words longer than this (in bytes) are stemmed only as folded. */
#define DOC_STEM_MAX	128

/* One distinct folded word of the document. */
struct doc_entry {
	uint64_t	 hash;
	uint32_t	 off;		/* of the word in toks.buf */
	uint32_t	 len;
	uint32_t	 first;		/* first position, DOC_NONE for none */
	uint32_t	 last;		/* last position, to append in order */
	uint32_t	 stemmed;	/* languages (bits) it is stemmed in */
};

/* One token position. */
struct doc_pos {
	uint32_t	 entry;
	uint32_t	 next;		/* next position of the same entry */
	uint32_t	 part;
};

/* One distinct (language, stem). */
struct doc_stem {
	uint64_t	 hash;
	uint32_t	 lang;
	uint32_t	 off;		/* of the stem in stembuf */
	uint32_t	 len;
};

/* A hash table slot: idx is valid when gen is the document's. */
struct doc_slot {
	uint32_t	 gen;
	uint32_t	 idx;
};

/* A language some part is written in and Snowball can stem. */
struct doc_lang {
	char		 code[WATCH_LANG_SIZE];
};

struct watch_doc {
	struct text_stemmer	*stemmer;
	struct watch_stemcache	*cache;
	struct text_tokens	 toks;
	uint32_t		 gen;

	struct doc_pos		*pos;
	size_t			 pos_cap;

	struct doc_entry	*entries;
	size_t			 nentries;
	size_t			 entries_cap;
	struct doc_slot		*slots;
	size_t			 slots_cap;	/* a power of two */

	struct doc_stem		*stems;
	size_t			 nstems;
	size_t			 stems_cap;
	struct doc_slot		*stem_slots;
	size_t			 stem_slots_cap;
	char			*stembuf;
	size_t			 stembuf_len;
	size_t			 stembuf_cap;

	size_t			 nparts;
	struct doc_lang		 langs[DOC_MAX_PARTS];
	size_t			 nlangs;
};

/* FNV-1a from common/, so query and document hash alike. */
uint64_t
watch_hash(const char *s, size_t len)
{
	return util_hash(s, len, UTIL_HASH_SEED);
}

/* Language codes come from configuration and language identification in
 * several spellings; the stemmers know them by their ISO 639-1 letters. */
int
watch_lang_norm(const char *lang, char out[WATCH_LANG_SIZE])
{
	size_t	i;

	out[0] = '\0';
	if (lang == NULL)
		return 0;
	for (i = 0; lang[i] != '\0' && lang[i] != '-' && lang[i] != '_'; i++) {
		if (i == WATCH_LANG_SIZE - 1)
			return 0;
		if (lang[i] >= 'A' && lang[i] <= 'Z')
			out[i] = lang[i] - 'A' + 'a';
		else if (lang[i] >= 'a' && lang[i] <= 'z')
			out[i] = lang[i];
		else
			return 0;
	}
	out[i] = '\0';
	if (i == 0 || strcmp(out, "und") == 0) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

/* Creates an empty document using stemmer (borrowed, may be NULL: no
 * stems). */
struct watch_doc *
watch_doc_new(struct text_stemmer *stemmer)
{
	struct watch_doc	*doc;

	doc = xcalloc(1, sizeof *doc);
	doc->stemmer = stemmer;
	if (stemmer != NULL)
		doc->cache = watch_stemcache_new(stemmer);
	doc->gen = 1;
	doc->slots_cap = 512;
	doc->slots = xcalloc(doc->slots_cap, sizeof *doc->slots);
	doc->stem_slots_cap = 512;
	doc->stem_slots = xcalloc(doc->stem_slots_cap,
	    sizeof *doc->stem_slots);
	return doc;
}

/* Frees the document and everything it holds. */
void
watch_doc_free(struct watch_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->stembuf);
	free(doc->stem_slots);
	free(doc->stems);
	free(doc->slots);
	free(doc->entries);
	free(doc->pos);
	text_tokens_clear(&doc->toks);
	watch_stemcache_free(doc->cache);
	free(doc);
}

/* Empties the document; a new generation makes every slot empty at once. */
void
watch_doc_reset(struct watch_doc *doc)
{
	doc->toks.count = 0;
	doc->toks.buf_len = 0;
	doc->nentries = 0;
	doc->nstems = 0;
	doc->stembuf_len = 0;
	doc->nparts = 0;
	doc->nlangs = 0;
	if (++doc->gen == 0) {
		memset(doc->slots, 0, doc->slots_cap * sizeof *doc->slots);
		memset(doc->stem_slots, 0,
		    doc->stem_slots_cap * sizeof *doc->stem_slots);
		doc->gen = 1;
	}
}

/* Doubles a table whose load passed one half, re-inserting the current
 * generation's items by their hashes. */
static void
doc_slots_grow(struct doc_slot **slots, size_t *cap, uint32_t gen,
    size_t n, const void *items, size_t item_size)
{
	struct doc_slot	*new;
	size_t		 newcap = *cap * 2, i, j;
	uint64_t	 hash;

	new = xcalloc(newcap, sizeof *new);
	for (i = 0; i < n; i++) {
		/* Both item kinds start with their hash. */
		memcpy(&hash, (const char *)items + i * item_size,
		    sizeof hash);
		j = hash & (newcap - 1);
		while (new[j].gen == gen)
			j = (j + 1) & (newcap - 1);
		new[j].gen = gen;
		new[j].idx = i;
	}
	free(*slots);
	*slots = new;
	*cap = newcap;
}

/* Returns the entry of word, DOC_NONE when the document lacks it. */
static uint32_t
doc_entry_find(const struct watch_doc *doc, const char *word, size_t len,
    uint64_t hash)
{
	const struct doc_entry	*e;
	size_t			 j, mask = doc->slots_cap - 1;

	for (j = hash & mask; doc->slots[j].gen == doc->gen;
	    j = (j + 1) & mask) {
		e = &doc->entries[doc->slots[j].idx];
		if (e->hash == hash && e->len == len &&
		    memcmp(doc->toks.buf + e->off, word, len) == 0)
			return doc->slots[j].idx;
	}
	return DOC_NONE;
}

/* Returns the entry of the word at off in toks.buf, adding it when new. */
static uint32_t
doc_entry_add(struct watch_doc *doc, uint32_t off, uint32_t len)
{
	struct doc_entry	*e;
	const char		*word = doc->toks.buf + off;
	uint64_t		 hash = watch_hash(word, len);
	uint32_t		 idx;
	size_t			 j, mask;

	idx = doc_entry_find(doc, word, len, hash);
	if (idx != DOC_NONE)
		return idx;
	if ((doc->nentries + 1) * 2 > doc->slots_cap)
		doc_slots_grow(&doc->slots, &doc->slots_cap, doc->gen,
		    doc->nentries, doc->entries, sizeof *doc->entries);
	if (doc->nentries == doc->entries_cap) {
		doc->entries_cap = doc->entries_cap ?
		    doc->entries_cap * 2 : 256;
		doc->entries = xreallocarray(doc->entries, doc->entries_cap,
		    sizeof *doc->entries);
	}
	idx = doc->nentries++;
	e = &doc->entries[idx];
	e->hash = hash;
	e->off = off;
	e->len = len;
	e->first = e->last = DOC_NONE;
	e->stemmed = 0;
	mask = doc->slots_cap - 1;
	for (j = hash & mask; doc->slots[j].gen == doc->gen;
	    j = (j + 1) & mask)
		;
	doc->slots[j].gen = doc->gen;
	doc->slots[j].idx = idx;
	return idx;
}

/* The hash of a stem in the stem table: the stem's, mixed with its
 * language so that "die" in German and English are apart. */
static uint64_t
doc_stem_hash(uint64_t hash, uint32_t lang)
{
	return hash ^ ((uint64_t)(lang + 1) * 0x9e3779b97f4a7c15ULL);
}

/* Whether the stem table holds stem in language lang. */
static int
doc_stem_find(const struct watch_doc *doc, uint32_t lang, const char *stem,
    size_t len, uint64_t hash)
{
	const struct doc_stem	*s;
	size_t			 j, mask = doc->stem_slots_cap - 1;

	hash = doc_stem_hash(hash, lang);
	for (j = hash & mask; doc->stem_slots[j].gen == doc->gen;
	    j = (j + 1) & mask) {
		s = &doc->stems[doc->stem_slots[j].idx];
		if (s->hash == hash && s->lang == lang && s->len == len &&
		    memcmp(doc->stembuf + s->off, stem, len) == 0)
			return 1;
	}
	return 0;
}

/* Records stem in language lang unless it is there. */
static void
doc_stem_insert(struct watch_doc *doc, uint32_t lang, const char *stem,
    size_t len)
{
	struct doc_stem		*s;
	size_t			 j, mask;
	uint64_t		 hash;

	hash = watch_hash(stem, len);
	if (doc_stem_find(doc, lang, stem, len, hash))
		return;
	if ((doc->nstems + 1) * 2 > doc->stem_slots_cap)
		doc_slots_grow(&doc->stem_slots, &doc->stem_slots_cap,
		    doc->gen, doc->nstems, doc->stems, sizeof *doc->stems);
	if (doc->nstems == doc->stems_cap) {
		doc->stems_cap = doc->stems_cap ? doc->stems_cap * 2 : 256;
		doc->stems = xreallocarray(doc->stems, doc->stems_cap,
		    sizeof *doc->stems);
	}
	if (doc->stembuf_len + len > doc->stembuf_cap) {
		while (doc->stembuf_len + len > doc->stembuf_cap)
			doc->stembuf_cap = doc->stembuf_cap ?
			    doc->stembuf_cap * 2 : 4096;
		doc->stembuf = xrealloc(doc->stembuf, doc->stembuf_cap);
	}
	memcpy(doc->stembuf + doc->stembuf_len, stem, len);
	s = &doc->stems[doc->nstems];
	s->hash = doc_stem_hash(hash, lang);
	s->lang = lang;
	s->off = doc->stembuf_len;
	s->len = len;
	doc->stembuf_len += len;
	mask = doc->stem_slots_cap - 1;
	for (j = s->hash & mask; doc->stem_slots[j].gen == doc->gen;
	    j = (j + 1) & mask)
		;
	doc->stem_slots[j].gen = doc->gen;
	doc->stem_slots[j].idx = doc->nstems++;
}

/* Stems entry idx in language lang, once, as folded and as written at
 * src. */
static void
doc_stem_add(struct watch_doc *doc, uint32_t idx, uint32_t lang,
    const char *src, size_t src_len)
{
	struct doc_entry	*e = &doc->entries[idx];
	const char		*stem;
	size_t			 len;

	if (e->stemmed & (1U << lang))
		return;
	e->stemmed |= 1U << lang;
	stem = watch_stemcache_stem(doc->cache, doc->langs[lang].code,
	    doc->toks.buf + e->off, e->len, e->hash, &len);
	doc_stem_insert(doc, lang, stem, len);
	stem = watch_stemcache_accented(doc->cache, doc->langs[lang].code,
	    src, src_len, doc->toks.buf + e->off, e->len, &len);
	if (stem != NULL)
		doc_stem_insert(doc, lang, stem, len);
}

/*
 * Whether src may hold a Latin letter with an accent: a character of
 * U+00C0-U+024F (Latin-1 Supplement, Extended-A and -B), U+0300-U+036F
 * (combining marks) or U+1E00-U+1EFF (Latin Extended Additional), read off
 * the UTF-8 lead bytes. Only Latin-script stemmers need the accents: the
 * Snowball stemmers for Russian, Greek and Arabic fold ё, tonos and hamza
 * themselves, and most words of a story have no accent, so this skips the
 * ICU round trip for nearly all of them.
 */
int
watch_latin_accents(const char *src, size_t len)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if (s[i] >= 0xc3 && s[i] <= 0xcd)
			return 1;
		if (s[i] == 0xe1 && i + 1 < len && s[i + 1] >= 0xb8 &&
		    s[i + 1] <= 0xbb)
			return 1;
	}
	return 0;
}

/* Stems src as written: NFKC and case folded but with its accents, which
 * Snowball needs; then folds the stem as text/ folds words. */
char *
watch_stem_accented(struct text_stemmer *st, const char *lang,
    const char *src, size_t src_len, const char *folded, size_t folded_len,
    size_t *stem_len)
{
	const UNormalizer2	*nfkc_cf;
	UErrorCode		 err = U_ZERO_ERROR;
	UChar			 u16[DOC_STEM_MAX], cf[2 * DOC_STEM_MAX];
	char			 u8[6 * DOC_STEM_MAX], *res;
	const char		*stem;
	int32_t			 n, m, k;
	size_t			 len;

	if (src_len > DOC_STEM_MAX || !watch_latin_accents(src, src_len))
		return NULL;
	nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
	u_strFromUTF8(u16, DOC_STEM_MAX, &n, src, src_len, &err);
	m = unorm2_normalize(nfkc_cf, u16, n, cf, 2 * DOC_STEM_MAX, &err);
	u_strToUTF8(u8, sizeof u8, &k, cf, m, &err);
	if (U_FAILURE(err) ||
	    ((size_t)k == folded_len && memcmp(u8, folded, k) == 0))
		return NULL;
	stem = text_stem(st, lang, u8, k, &len);
	res = text_fold(stem, len);
	*stem_len = strlen(res);
	return res;
}

/* Returns the index of the stemmable language lang among the document's
 * languages, adding it; DOC_NONE when it has no stemmer. */
static uint32_t
doc_lang_index(struct watch_doc *doc, const char *lang)
{
	char	code[WATCH_LANG_SIZE];
	size_t	i;

	if (doc->stemmer == NULL || !watch_lang_norm(lang, code))
		return DOC_NONE;
	for (i = 0; i < doc->nlangs; i++) {
		if (strcmp(doc->langs[i].code, code) == 0)
			return i;
	}
	if (!text_stemmer_has(doc->stemmer, code))
		return DOC_NONE;
	memcpy(doc->langs[doc->nlangs].code, code, sizeof code);
	return doc->nlangs++;
}

/* Tokenizes one part, indexes its words and, when its language has a
 * stemmer, their stems. Parts past DOC_MAX_PARTS are ignored. */
void
watch_doc_add(struct watch_doc *doc, const char *lang, const char *utf8,
    size_t len)
{
	struct text_tokens	*toks = &doc->toks;
	struct doc_entry	*e;
	struct doc_pos		*p;
	size_t			 before = toks->count, i;
	uint32_t		 part, langidx, idx, off;

	if (doc->nparts == DOC_MAX_PARTS)
		return;
	part = doc->nparts++;
	langidx = doc_lang_index(doc, lang);
	text_tokenize(utf8, len, toks);
	if (toks->count > doc->pos_cap) {
		doc->pos_cap = toks->count < 1024 ? 1024 : toks->count * 2;
		doc->pos = xreallocarray(doc->pos, doc->pos_cap,
		    sizeof *doc->pos);
	}
	for (i = before; i < toks->count; i++) {
		off = toks->tokens[i].word - toks->buf;
		idx = doc_entry_add(doc, off, toks->tokens[i].len);
		p = &doc->pos[i];
		p->entry = idx;
		p->next = DOC_NONE;
		p->part = part;
		e = &doc->entries[idx];
		if (e->last == DOC_NONE)
			e->first = i;
		else
			doc->pos[e->last].next = i;
		e->last = i;
		if (langidx != DOC_NONE)
			doc_stem_add(doc, idx, langidx,
			    utf8 + toks->tokens[i].offset,
			    toks->tokens[i].source_len);
	}
}

/* Whether entry e begins with w. */
static int
doc_entry_begins(const struct watch_doc *doc, const struct doc_entry *e,
    const struct watch_word *w)
{
	return e->len >= w->len &&
	    memcmp(doc->toks.buf + e->off, w->word, w->len) == 0;
}

/* A hash lookup for a word; a scan of the distinct words for a prefix. */
int
watch_doc_has_word(const struct watch_doc *doc, const struct watch_word *w)
{
	size_t	i;

	if (!w->prefix)
		return doc_entry_find(doc, w->word, w->len, w->hash) !=
		    DOC_NONE;
	for (i = 0; i < doc->nentries; i++) {
		if (doc_entry_begins(doc, &doc->entries[i], w))
			return 1;
	}
	return 0;
}

/* A hash lookup in the stems of the parts written in the stem's language. */
int
watch_doc_has_stem(const struct watch_doc *doc, const struct watch_stem *s)
{
	size_t	i;

	for (i = 0; i < doc->nlangs; i++) {
		if (strcmp(doc->langs[i].code, s->lang) == 0)
			return doc_stem_find(doc, i, s->stem, s->len, s->hash);
	}
	return 0;
}

/* Whether the n words are at positions start.. of one part; ids holds the
 * entries of the exact words. */
static int
doc_phrase_at(const struct watch_doc *doc, const struct watch_word *w,
    const uint32_t *ids, size_t n, size_t start)
{
	const struct doc_pos	*p = &doc->pos[start];
	size_t			 j;

	if (start + n > doc->toks.count || p[n - 1].part != p[0].part)
		return 0;
	for (j = 0; j < n; j++) {
		if (w[j].prefix) {
			if (!doc_entry_begins(doc, &doc->entries[p[j].entry],
			    &w[j]))
				return 0;
		} else if (p[j].entry != ids[j])
			return 0;
	}
	return 1;
}

/*
 * Anchors the phrase on its first exact word and walks that word's
 * positions; a phrase made only of prefix words walks every position.
 * Parts are consecutive ranges of positions, so a phrase lies in one part
 * when its first and last positions do.
 */
int
watch_doc_has_phrase(const struct watch_doc *doc,
    const struct watch_word *w, size_t n)
{
	uint32_t	ids[WATCH_PHRASE_MAX];
	uint32_t	p;
	size_t		j, anchor = n;

	if (n == 0 || n > WATCH_PHRASE_MAX)
		return 0;
	for (j = 0; j < n; j++) {
		ids[j] = DOC_NONE;
		if (w[j].prefix)
			continue;
		ids[j] = doc_entry_find(doc, w[j].word, w[j].len, w[j].hash);
		if (ids[j] == DOC_NONE)
			return 0;
		if (anchor == n)
			anchor = j;
	}
	if (anchor == n) {
		for (p = 0; p < doc->toks.count; p++) {
			if (doc_phrase_at(doc, w, ids, n, p))
				return 1;
		}
		return 0;
	}
	for (p = doc->entries[ids[anchor]].first; p != DOC_NONE;
	    p = doc->pos[p].next) {
		if (p >= anchor && doc_phrase_at(doc, w, ids, n, p - anchor))
			return 1;
	}
	return 0;
}
