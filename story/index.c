/* story/index.c: the in-memory near-duplicate index — exact hashes and LSH bands over recent stories' signatures. */

/*
 * Each story has a slot; per slot the index keeps the id, last-seen time,
 * exact hash, shingle count and the signature's 64 words of minima, so a
 * candidate is scored exactly as story_signature_similarity scores it.
 * Three multimaps from 32-bit tags to slots find slots: by id, by exact
 * hash, and by LSH band. A band is STORY_FP_FULL_ROWS minima of the full
 * sketch or STORY_FP_LEDE_ROWS of the lede (story/fingerprint.h); two
 * stories are candidates when any band agrees.
 *
 * The multimaps are open addressing with linear probing over one uint64
 * per cell (tag << 32 | slot, 0 empty), filled to at most 80 % and grown
 * by half, and deleted from by backward shifting, so neither tombstones
 * nor per-bucket allocations exist: about 13 bytes per entry. A general
 * hash table library would cost a pointer and an allocation per entry.
 *
 * Bounded buckets: many near-identical stories (the same boilerplate
 * warning a thousand times) share their band tags. No band keeps more than
 * INDEX_BUCKET_MAX slots under one tag; a newer story takes the cell of
 * the least recently seen one, which stays findable through its other
 * bands and its exact hash. A lookup therefore verifies at most
 * STORY_FP_BANDS * INDEX_BUCKET_MAX candidates however the index grows.
 */

#include <sys/types.h>

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "story/fingerprint.h"
#include "story/story.h"

#define INDEX_BUCKET_MAX	32
#define INDEX_WORDS		(STORY_FP_MINIMA / 2)

/* A multimap from nonzero 32-bit tags to slots. */
struct index_map {
	uint64_t	*cells;
	size_t		 size;
	size_t		 count;
};

struct story_index {
	int64_t		*ids;		/* 0: a free slot */
	int64_t		*times;
	uint64_t	*exacts;
	uint32_t	*shingles;
	uint32_t	*sigs;		/* INDEX_WORDS a slot */
	size_t		 used;		/* slots handed out so far */
	size_t		 cap;
	uint32_t	*free;		/* freed slots below used */
	size_t		 nfree;
	size_t		 free_cap;
	size_t		 count;
	struct index_map by_id;
	struct index_map by_exact;
	struct index_map by_band;
};

/* The splitmix64 finalizer, to turn ids and band values into tags. */
static inline uint64_t
index_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* A nonzero 32-bit tag of a 64-bit key. */
static inline uint32_t
index_tag(uint64_t key)
{
	uint32_t tag = (uint32_t)(index_mix(key) >> 32);

	return tag != 0 ? tag : 1;
}

/* The tag of band b of the minima in the words h. */
static uint32_t
index_band_tag(const uint32_t *h, unsigned b)
{
	uint64_t key = (uint64_t)(b + 1) << 48;
	unsigned first, rows, i;

	if (b < STORY_FP_FULL_BANDS) {
		first = b * STORY_FP_FULL_ROWS;
		rows = STORY_FP_FULL_ROWS;
	} else {
		first = STORY_FP_FULL + (b - STORY_FP_FULL_BANDS) *
		    STORY_FP_LEDE_ROWS;
		rows = STORY_FP_LEDE_ROWS;
	}
	for (i = 0; i < rows; i++)
		key ^= (uint64_t)story_fingerprint_minimum(h, first + i) <<
		    (16 * i);
	return index_tag(key);
}

/* The cell where tag's probe run starts: the tag scrambled, then scaled to
 * size (a multiply instead of a modulo, so any size works). */
static inline size_t
index_map_home(const struct index_map *m, uint32_t tag)
{
	uint32_t h = tag * 0x9e3779b1U;

	return (size_t)(((uint64_t)h * m->size) >> 32);
}

static inline uint32_t
index_cell_tag(uint64_t cell)
{
	return (uint32_t)(cell >> 32);
}

static inline uint32_t
index_cell_slot(uint64_t cell)
{
	return (uint32_t)cell;
}

/* Places a cell at the end of its probe run, without bounds. */
static void
index_map_place(struct index_map *m, uint64_t cell)
{
	size_t i = index_map_home(m, index_cell_tag(cell));

	while (m->cells[i] != 0)
		i = i + 1 < m->size ? i + 1 : 0;
	m->cells[i] = cell;
	m->count++;
}

/* Makes room for one more cell, keeping the map at most 80 % full. */
static void
index_map_reserve(struct index_map *m)
{
	uint64_t	*old = m->cells;
	size_t		 old_size = m->size, i;

	if ((m->count + 1) * 5 <= m->size * 4)
		return;
	m->size = old_size < 64 ? 64 : old_size + old_size / 2;
	if (m->size > UINT32_MAX)
		fatalx("story index: map of %zu cells", m->size);
	m->cells = xcalloc(m->size, sizeof *m->cells);
	m->count = 0;
	for (i = 0; i < old_size; i++) {
		if (old[i] != 0)
			index_map_place(m, old[i]);
	}
	free(old);
}

static void
index_map_insert(struct index_map *m, uint32_t tag, uint32_t slot)
{
	index_map_reserve(m);
	index_map_place(m, (uint64_t)tag << 32 | slot);
}

/* Inserts into a band: when INDEX_BUCKET_MAX cells already carry tag, the
 * one of the least recently seen story is given to slot instead. */
static void
index_map_insert_capped(struct index_map *m, uint32_t tag, uint32_t slot,
    const int64_t *times)
{
	size_t	 i, oldest = 0, same = 0;
	uint64_t cell = (uint64_t)tag << 32 | slot;

	index_map_reserve(m);
	for (i = index_map_home(m, tag); m->cells[i] != 0;
	    i = i + 1 < m->size ? i + 1 : 0) {
		if (index_cell_tag(m->cells[i]) != tag)
			continue;
		if (same == 0 || times[index_cell_slot(m->cells[i])] <
		    times[index_cell_slot(m->cells[oldest])])
			oldest = i;
		same++;
	}
	if (same < INDEX_BUCKET_MAX) {
		m->cells[i] = cell;
		m->count++;
	} else
		m->cells[oldest] = cell;
}

/* Empties cell i and shifts later cells of the run back so that every
 * cell stays reachable from its home. */
static void
index_map_delete_at(struct index_map *m, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = j + 1 < m->size ? j + 1 : 0;
		if (m->cells[j] == 0)
			break;
		home = index_map_home(m, index_cell_tag(m->cells[j]));
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->cells[i] = m->cells[j];
		i = j;
	}
	m->cells[i] = 0;
	m->count--;
}

/* Removes the cell (tag, slot) if present (a band may have given it to a
 * newer story). */
static void
index_map_remove(struct index_map *m, uint32_t tag, uint32_t slot)
{
	uint64_t cell = (uint64_t)tag << 32 | slot;
	size_t	 i;

	if (m->size == 0)
		return;
	for (i = index_map_home(m, tag); m->cells[i] != 0;
	    i = i + 1 < m->size ? i + 1 : 0) {
		if (m->cells[i] == cell) {
			index_map_delete_at(m, i);
			return;
		}
	}
}

/* Returns the slot of id, or -1. */
static ssize_t
index_slot_of(const struct story_index *idx, int64_t id)
{
	const struct index_map	*m = &idx->by_id;
	uint32_t		 tag = index_tag((uint64_t)id), slot;
	size_t			 i;

	if (m->size == 0)
		return -1;
	for (i = index_map_home(m, tag); m->cells[i] != 0;
	    i = i + 1 < m->size ? i + 1 : 0) {
		slot = index_cell_slot(m->cells[i]);
		if (index_cell_tag(m->cells[i]) == tag && idx->ids[slot] == id)
			return (ssize_t)slot;
	}
	return -1;
}

/* Hands out a free slot, growing the per-slot arrays when none is left. */
static uint32_t
index_slot_new(struct story_index *idx)
{
	size_t cap;

	if (idx->nfree > 0)
		return idx->free[--idx->nfree];
	if (idx->used == idx->cap) {
		cap = idx->cap < 1024 ? 1024 : idx->cap + idx->cap / 2;
		if (cap > UINT32_MAX)
			fatalx("story index: %zu stories", idx->cap);
		idx->ids = xreallocarray(idx->ids, cap, sizeof *idx->ids);
		idx->times = xreallocarray(idx->times, cap,
		    sizeof *idx->times);
		idx->exacts = xreallocarray(idx->exacts, cap,
		    sizeof *idx->exacts);
		idx->shingles = xreallocarray(idx->shingles, cap,
		    sizeof *idx->shingles);
		idx->sigs = xreallocarray(idx->sigs, cap,
		    INDEX_WORDS * sizeof *idx->sigs);
		idx->cap = cap;
	}
	return (uint32_t)idx->used++;
}

/* Takes a slot out of every map and onto the free list. */
static void
index_slot_remove(struct story_index *idx, uint32_t slot)
{
	const uint32_t	*h = idx->sigs + (size_t)slot * INDEX_WORDS;
	unsigned	 b;

	index_map_remove(&idx->by_id, index_tag((uint64_t)idx->ids[slot]),
	    slot);
	index_map_remove(&idx->by_exact, index_tag(idx->exacts[slot]), slot);
	for (b = 0; b < STORY_FP_BANDS; b++)
		index_map_remove(&idx->by_band, index_band_tag(h, b), slot);
	idx->ids[slot] = 0;
	if (idx->nfree == idx->free_cap) {
		idx->free_cap = idx->free_cap < 256 ? 256 : idx->free_cap * 2;
		idx->free = xreallocarray(idx->free, idx->free_cap,
		    sizeof *idx->free);
	}
	idx->free[idx->nfree++] = slot;
	idx->count--;
}

struct story_index *
story_index_new(void)
{
	return xcalloc(1, sizeof (struct story_index));
}

void
story_index_free(struct story_index *idx)
{
	if (idx == NULL)
		return;
	free(idx->by_band.cells);
	free(idx->by_exact.cells);
	free(idx->by_id.cells);
	free(idx->free);
	free(idx->sigs);
	free(idx->shingles);
	free(idx->exacts);
	free(idx->times);
	free(idx->ids);
	free(idx);
}

void
story_index_add(struct story_index *idx, int64_t id,
    const struct story_signature *sig, int64_t time)
{
	const uint32_t	*h = sig->hashes;
	ssize_t		 old;
	uint32_t	 slot;
	unsigned	 b;

	assert(id > 0);
	old = index_slot_of(idx, id);
	if (old >= 0) {
		slot = (uint32_t)old;
		if (idx->exacts[slot] == sig->exact &&
		    idx->shingles[slot] == sig->shingles &&
		    memcmp(idx->sigs + (size_t)slot * INDEX_WORDS, h,
		    sizeof sig->hashes) == 0) {
			idx->times[slot] = time;
			return;
		}
		index_slot_remove(idx, slot);
	}

	slot = index_slot_new(idx);
	idx->ids[slot] = id;
	idx->times[slot] = time;
	idx->exacts[slot] = sig->exact;
	idx->shingles[slot] = sig->shingles;
	memcpy(idx->sigs + (size_t)slot * INDEX_WORDS, h, sizeof sig->hashes);
	idx->count++;

	index_map_insert(&idx->by_id, index_tag((uint64_t)id), slot);
	index_map_insert(&idx->by_exact, index_tag(sig->exact), slot);
	for (b = 0; b < STORY_FP_BANDS; b++)
		index_map_insert_capped(&idx->by_band, index_band_tag(h, b),
		    slot, idx->times);
}

void
story_index_remove(struct story_index *idx, int64_t id)
{
	ssize_t slot = index_slot_of(idx, id);

	if (slot >= 0)
		index_slot_remove(idx, (uint32_t)slot);
}

void
story_index_touch(struct story_index *idx, int64_t id, int64_t time)
{
	ssize_t slot = index_slot_of(idx, id);

	if (slot >= 0 && time > idx->times[slot])
		idx->times[slot] = time;
}

/* The score of slot against the query sig, as story_signature_similarity
 * gives it (the exact hashes differ, or the exact table had found it). */
static double
index_score(const struct story_index *idx, uint32_t slot,
    const struct story_signature *sig)
{
	unsigned full, lede;

	story_fingerprint_matches(idx->sigs + (size_t)slot * INDEX_WORDS,
	    sig->hashes, &full, &lede);
	return story_fingerprint_score(full, lede, idx->shingles[slot],
	    sig->shingles);
}

/* Returns the slot of the most recently seen story whose exact hash is
 * exact, or -1. */
static ssize_t
index_find_exact(const struct story_index *idx, uint64_t exact)
{
	const struct index_map	*m = &idx->by_exact;
	uint32_t		 tag = index_tag(exact), slot;
	ssize_t			 best = -1;
	size_t			 i;

	if (m->size == 0)
		return -1;
	for (i = index_map_home(m, tag); m->cells[i] != 0;
	    i = i + 1 < m->size ? i + 1 : 0) {
		slot = index_cell_slot(m->cells[i]);
		if (index_cell_tag(m->cells[i]) != tag ||
		    idx->exacts[slot] != exact)
			continue;
		if (best < 0 || idx->times[slot] > idx->times[best])
			best = (ssize_t)slot;
	}
	return best;
}

int64_t
story_index_find(struct story_index *idx, const struct story_signature *sig,
    double *similarity)
{
	const struct index_map	*m = &idx->by_band;
	uint32_t		 tag, slot;
	ssize_t			 best;
	double			 score, best_score = 0.0;
	unsigned		 b;
	size_t			 i;

	if (similarity != NULL)
		*similarity = 0.0;
	if ((best = index_find_exact(idx, sig->exact)) >= 0) {
		if (similarity != NULL)
			*similarity = 1.0;
		return idx->ids[best];
	}
	if (m->size == 0)
		return 0;

	for (b = 0; b < STORY_FP_BANDS; b++) {
		tag = index_band_tag(sig->hashes, b);
		for (i = index_map_home(m, tag); m->cells[i] != 0;
		    i = i + 1 < m->size ? i + 1 : 0) {
			if (index_cell_tag(m->cells[i]) != tag)
				continue;
			slot = index_cell_slot(m->cells[i]);
			score = index_score(idx, slot, sig);
			if (score < STORY_FP_THRESHOLD || score < best_score ||
			    (score == best_score &&
			    idx->times[slot] <= idx->times[best]))
				continue;
			best = (ssize_t)slot;
			best_score = score;
		}
	}
	if (best < 0)
		return 0;
	if (similarity != NULL)
		*similarity = best_score;
	return idx->ids[best];
}

size_t
story_index_expire(struct story_index *idx, int64_t before)
{
	size_t slot, n = 0;

	for (slot = 0; slot < idx->used; slot++) {
		if (idx->ids[slot] != 0 && idx->times[slot] < before) {
			index_slot_remove(idx, (uint32_t)slot);
			n++;
		}
	}
	return n;
}

size_t
story_index_count(const struct story_index *idx)
{
	return idx->count;
}

size_t
story_index_bytes(const struct story_index *idx)
{
	size_t per_slot;

	per_slot = sizeof *idx->ids + sizeof *idx->times +
	    sizeof *idx->exacts + sizeof *idx->shingles +
	    INDEX_WORDS * sizeof *idx->sigs;
	return sizeof *idx + idx->cap * per_slot +
	    idx->free_cap * sizeof *idx->free +
	    (idx->by_id.size + idx->by_exact.size + idx->by_band.size) *
	    sizeof (uint64_t);
}
