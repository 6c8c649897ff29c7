/* watch/stemcache.c: Snowball stems remembered across documents, since news repeats its words. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "text/text.h"
#include "watch/doc.h"

/*
 * Stemming every distinct word of every story costs more than tokenizing
 * it (Snowball runs its suffix rules on each), while the vocabulary of news
 * is small and repetitive: the same few thousand words make up most of
 * every story. So stems are kept, keyed by (language, kind, bytes), where
 * the kind says which stem: of the folded word, or of the word as written
 * (see watch_stem_accented; keyed by the source bytes, so a result never
 * depends on which stories came before).
 *
 * Bounded: when the cache holds STEMCACHE_MAX entries or STEMCACHE_BYTES
 * of text it is emptied at once (a generation number, as in doc.c) and
 * fills again with the words in use. An LRU would keep a little more of
 * the vocabulary for a lot more bookkeeping per word.
 */

#define STEMCACHE_MAX		32768
#define STEMCACHE_BYTES		(1024 * 1024)
#define STEMCACHE_LANGS		32
#define STEMCACHE_NONE		UINT32_MAX

enum stemcache_kind {
	STEMCACHE_FOLDED,
	STEMCACHE_WRITTEN,
};

/* One remembered stem. */
struct stemcache_entry {
	uint64_t	 hash;		/* of key, language and kind */
	uint32_t	 key_off;
	uint32_t	 key_len;
	uint32_t	 val_off;
	uint32_t	 val_len;
	uint32_t	 none;		/* a written word with no other stem */
	uint8_t		 lang;
	uint8_t		 kind;
};

/* A hash table slot: idx is valid when gen is the cache's. */
struct stemcache_slot {
	uint32_t	 gen;
	uint32_t	 idx;
};

struct watch_stemcache {
	struct text_stemmer	*stemmer;
	char			 langs[STEMCACHE_LANGS][WATCH_LANG_SIZE];
	size_t			 nlangs;
	uint32_t		 gen;
	struct stemcache_entry	*entries;
	size_t			 nentries;
	struct stemcache_slot	*slots;		/* 2 * STEMCACHE_MAX */
	char			*buf;		/* STEMCACHE_BYTES */
	size_t			 buf_len;
};

/* Creates an empty cache over stemmer (borrowed). The tables are made
 * when first needed: many documents never meet a stemmable language. */
struct watch_stemcache *
watch_stemcache_new(struct text_stemmer *stemmer)
{
	struct watch_stemcache	*sc;

	sc = xcalloc(1, sizeof *sc);
	sc->stemmer = stemmer;
	sc->gen = 1;
	return sc;
}

void
watch_stemcache_free(struct watch_stemcache *sc)
{
	if (sc == NULL)
		return;
	free(sc->buf);
	free(sc->slots);
	free(sc->entries);
	free(sc);
}

/* Empties the cache. */
static void
stemcache_flush(struct watch_stemcache *sc)
{
	sc->nentries = 0;
	sc->buf_len = 0;
	if (++sc->gen == 0) {
		memset(sc->slots, 0, 2 * STEMCACHE_MAX * sizeof *sc->slots);
		sc->gen = 1;
	}
}

/* The number of lang in the cache, STEMCACHE_NONE when there is no room
 * (then stems in it are not kept). */
static uint32_t
stemcache_lang(struct watch_stemcache *sc, const char *lang)
{
	size_t	i;

	for (i = 0; i < sc->nlangs; i++) {
		if (strcmp(sc->langs[i], lang) == 0)
			return i;
	}
	if (sc->nlangs == STEMCACHE_LANGS)
		return STEMCACHE_NONE;
	snprintf(sc->langs[sc->nlangs], WATCH_LANG_SIZE, "%s", lang);
	return sc->nlangs++;
}

/* Looks up a key; returns the entry or NULL. */
static struct stemcache_entry *
stemcache_find(struct watch_stemcache *sc, uint32_t lang,
    enum stemcache_kind kind, const char *key, size_t len, uint64_t hash)
{
	struct stemcache_entry	*e;
	size_t			 j, mask = 2 * STEMCACHE_MAX - 1;

	if (sc->slots == NULL)
		return NULL;
	for (j = hash & mask; sc->slots[j].gen == sc->gen;
	    j = (j + 1) & mask) {
		e = &sc->entries[sc->slots[j].idx];
		if (e->hash == hash && e->lang == lang && e->kind == kind &&
		    e->key_len == len &&
		    memcmp(sc->buf + e->key_off, key, len) == 0)
			return e;
	}
	return NULL;
}

/* Remembers a stem (val NULL: none) and returns its entry. */
static struct stemcache_entry *
stemcache_put(struct watch_stemcache *sc, uint32_t lang,
    enum stemcache_kind kind, const char *key, size_t len, uint64_t hash,
    const char *val, size_t val_len)
{
	struct stemcache_entry	*e;
	size_t			 j, mask = 2 * STEMCACHE_MAX - 1;

	if (sc->slots == NULL) {
		sc->slots = xcalloc(2 * STEMCACHE_MAX, sizeof *sc->slots);
		sc->entries = xreallocarray(NULL, STEMCACHE_MAX,
		    sizeof *sc->entries);
		sc->buf = xmalloc(STEMCACHE_BYTES);
	}
	if (sc->nentries == STEMCACHE_MAX ||
	    sc->buf_len + len + val_len > STEMCACHE_BYTES)
		stemcache_flush(sc);
	e = &sc->entries[sc->nentries];
	e->hash = hash;
	e->lang = lang;
	e->kind = kind;
	e->key_off = sc->buf_len;
	e->key_len = len;
	memcpy(sc->buf + sc->buf_len, key, len);
	sc->buf_len += len;
	e->val_off = sc->buf_len;
	e->val_len = val_len;
	e->none = val == NULL;
	if (val != NULL)
		memcpy(sc->buf + sc->buf_len, val, val_len);
	sc->buf_len += val_len;
	for (j = hash & mask; sc->slots[j].gen == sc->gen; j = (j + 1) & mask)
		;
	sc->slots[j].gen = sc->gen;
	sc->slots[j].idx = sc->nentries++;
	return e;
}

/* The key's hash with its language and kind mixed in. */
static uint64_t
stemcache_hash(uint64_t hash, uint32_t lang, enum stemcache_kind kind)
{
	return hash ^ ((uint64_t)(lang * 2 + kind + 1) * 0x9e3779b97f4a7c15ULL);
}

/* Returns the stem of the folded word (hashed as hash) in lang, valid
 * until the next call. */
const char *
watch_stemcache_stem(struct watch_stemcache *sc, const char *lang,
    const char *word, size_t len, uint64_t hash, size_t *stem_len)
{
	struct stemcache_entry	*e;
	const char		*stem;
	uint32_t		 id;

	if ((id = stemcache_lang(sc, lang)) == STEMCACHE_NONE || len > 255)
		return text_stem(sc->stemmer, lang, word, len, stem_len);
	hash = stemcache_hash(hash, id, STEMCACHE_FOLDED);
	if ((e = stemcache_find(sc, id, STEMCACHE_FOLDED, word, len, hash)) ==
	    NULL) {
		stem = text_stem(sc->stemmer, lang, word, len, stem_len);
		e = stemcache_put(sc, id, STEMCACHE_FOLDED, word, len, hash,
		    stem, *stem_len);
	}
	*stem_len = e->val_len;
	return sc->buf + e->val_off;
}

/* Returns watch_stem_accented's stem of the word written src (folded as
 * folded) in lang, or NULL; valid until the next call. */
const char *
watch_stemcache_accented(struct watch_stemcache *sc, const char *lang,
    const char *src, size_t src_len, const char *folded, size_t folded_len,
    size_t *stem_len)
{
	struct stemcache_entry	*e;
	uint64_t		 hash;
	uint32_t		 id;
	char			*stem;

	if (!watch_latin_accents(src, src_len))
		return NULL;
	if ((id = stemcache_lang(sc, lang)) == STEMCACHE_NONE ||
	    src_len > 255)
		return NULL;
	hash = stemcache_hash(watch_hash(src, src_len), id, STEMCACHE_WRITTEN);
	if ((e = stemcache_find(sc, id, STEMCACHE_WRITTEN, src, src_len,
	    hash)) == NULL) {
		stem = watch_stem_accented(sc->stemmer, lang, src, src_len,
		    folded, folded_len, stem_len);
		e = stemcache_put(sc, id, STEMCACHE_WRITTEN, src, src_len,
		    hash, stem, stem != NULL ? *stem_len : 0);
		free(stem);
	}
	if (e->none)
		return NULL;
	*stem_len = e->val_len;
	return sc->buf + e->val_off;
}
