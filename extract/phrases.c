/* phrases.c: the claim cues of one language in one hash table, so that a token costs one lookup whatever the number of cue sections. */

/*
 * The claims pass asks, at every token of a story, whether a cue of any
 * of some twenty sections (reporting verbs, attribution phrases, number
 * words, units, months ...) starts there, and the longest one. A binary
 * search per section and per length (extract_list_has) costs twenty
 * searches a token; here every entry, and every proper word prefix of a
 * multi-word entry, is one node of an open-addressing table keyed by its
 * folded words, holding the sections it is an entry of, the sections it
 * is a prefix in, and the value an entry "phrase = value" gives it in
 * each section. Matching walks word by word and stops as soon as no entry
 * continues, so a word that starts no cue costs one probe.
 */

#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "extract/extract_internal.h"

/* A value of one node in one section. */
struct phrase_value {
	unsigned	 section;
	char		*value;
};

struct phrase_node {
	char			*key;		/* folded words, one space */
	uint64_t		 hash;
	uint32_t		 sections;	/* of which key is an entry */
	uint32_t		 prefix;	/* of which key starts an entry */
	struct phrase_value	*values;
	size_t			 nvalues;
};

struct extract_phrases {
	struct phrase_node	*nodes;		/* open addressing */
	size_t			 cap;		/* a power of two */
	size_t			 count;
	size_t			 max_words;
};

/* The longest phrase key; longer entries are not loaded. */
#define PHRASE_MAX_KEY	128

struct extract_phrases *
extract_phrases_new(void)
{
	struct extract_phrases *p;

	p = xcalloc(1, sizeof *p);
	p->cap = 256;
	p->nodes = xcalloc(p->cap, sizeof *p->nodes);
	return p;
}

void
extract_phrases_free(struct extract_phrases *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->cap; i++) {
		free(p->nodes[i].key);
		for (j = 0; j < p->nodes[i].nvalues; j++)
			free(p->nodes[i].values[j].value);
		free(p->nodes[i].values);
	}
	free(p->nodes);
	free(p);
}

/* The slot of key (len bytes, hash h): its node, or the empty slot where
 * it would go. */
static struct phrase_node *
phrases_slot(const struct extract_phrases *p, const char *key, size_t len,
    uint64_t h)
{
	struct phrase_node *n;
	size_t i = (size_t)h & (p->cap - 1);

	for (;;) {
		n = &p->nodes[i];
		if (n->key == NULL)
			return n;
		if (n->hash == h && strncmp(n->key, key, len) == 0 &&
		    n->key[len] == '\0')
			return n;
		i = (i + 1) & (p->cap - 1);
	}
}

/* Doubles the table when it is half full, so probes stay short. */
static void
phrases_grow(struct extract_phrases *p)
{
	struct phrase_node *old = p->nodes, *n;
	size_t oldcap = p->cap, i;

	if ((p->count + 1) * 2 <= p->cap)
		return;
	p->cap *= 2;
	p->nodes = xcalloc(p->cap, sizeof *p->nodes);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		n = phrases_slot(p, old[i].key, strlen(old[i].key),
		    old[i].hash);
		*n = old[i];
	}
	free(old);
}

/* The node of key, created when missing. */
static struct phrase_node *
phrases_node(struct extract_phrases *p, const char *key, size_t len)
{
	struct phrase_node *n;
	uint64_t h = util_hash(key, len, UTIL_HASH_SEED);

	phrases_grow(p);
	n = phrases_slot(p, key, len, h);
	if (n->key == NULL) {
		n->key = xstrndup(key, len);
		n->hash = h;
		p->count++;
	}
	return n;
}

/* Adds one folded entry "words" or "words = value" under section. */
static void
phrases_add(struct extract_phrases *p, const char *entry, unsigned section)
{
	const char *eq, *value = NULL, *sp;
	struct phrase_node *n;
	size_t len, words = 1, i;

	if ((eq = strstr(entry, " = ")) != NULL) {
		len = (size_t)(eq - entry);
		value = eq + 3;
	} else
		len = strlen(entry);
	if (len == 0 || len > PHRASE_MAX_KEY)
		return;
	for (sp = entry; (sp = memchr(sp, ' ', len - (size_t)(sp - entry))) !=
	    NULL; sp++) {
		phrases_node(p, entry, (size_t)(sp - entry))->prefix |=
		    1u << section;
		words++;
	}
	n = phrases_node(p, entry, len);
	n->sections |= 1u << section;
	if (words > p->max_words)
		p->max_words = words;
	if (value == NULL)
		return;
	for (i = 0; i < n->nvalues; i++) {
		if (n->values[i].section == section)
			return;
	}
	n->values = xreallocarray(n->values, n->nvalues + 1,
	    sizeof *n->values);
	n->values[n->nvalues].section = section;
	n->values[n->nvalues++].value = xstrdup(value);
}

int
extract_phrases_load(struct extract_phrases *p, const char *file,
    const char *section, unsigned bit, char **cause)
{
	struct extract_list l;
	size_t i;

	memset(&l, 0, sizeof l);
	if (extract_list_load(&l, file, section, cause) != 0)
		return -1;
	for (i = 0; i < l.count; i++)
		phrases_add(p, l.entries[i], bit);
	extract_list_clear(&l);
	return 0;
}

/* The node of key (len bytes), or NULL. */
static const struct phrase_node *
phrases_find(const struct extract_phrases *p, const char *key, size_t len)
{
	const struct phrase_node *n;

	n = phrases_slot(p, key, len, util_hash(key, len, UTIL_HASH_SEED));
	return n->key != NULL ? n : NULL;
}

/* The value of node n in the lowest section of mask it has one in. */
static const char *
phrases_value(const struct phrase_node *n, uint32_t mask)
{
	size_t i;

	for (i = 0; i < n->nvalues; i++) {
		if (mask & (1u << n->values[i].section))
			return n->values[i].value;
	}
	return NULL;
}

uint32_t
extract_phrases_lookup(const struct extract_phrases *p, const char *key,
    size_t len, uint32_t mask, const char **value)
{
	const struct phrase_node *n;

	if (value != NULL)
		*value = NULL;
	if (len == 0 || len > PHRASE_MAX_KEY ||
	    (n = phrases_find(p, key, len)) == NULL ||
	    (n->sections & mask) == 0)
		return 0;
	if (value != NULL)
		*value = phrases_value(n, n->sections & mask);
	return n->sections & mask;
}

size_t
extract_phrases_match(const struct extract_phrases *p,
    const struct text_tokens *tokens, size_t i, size_t end, uint32_t mask,
    uint32_t *sections, const char **value)
{
	const struct phrase_node *n, *best = NULL;
	const struct text_token *tk;
	char key[PHRASE_MAX_KEY + 1];
	size_t len = 0, words, found = 0;

	for (words = 1; words <= p->max_words && i + words <= end; words++) {
		tk = &tokens->tokens[i + words - 1];
		if (len + (words > 1) + tk->len > PHRASE_MAX_KEY)
			break;
		if (words > 1)
			key[len++] = ' ';
		memcpy(key + len, tk->word, tk->len);
		len += tk->len;
		if ((n = phrases_find(p, key, len)) == NULL)
			break;
		if (n->sections & mask) {
			best = n;
			found = words;
		}
		if ((n->prefix & mask) == 0)
			break;
	}
	if (sections != NULL)
		*sections = best != NULL ? best->sections & mask : 0;
	if (value != NULL)
		*value = best != NULL ? phrases_value(best, best->sections &
		    mask) : NULL;
	return found;
}
