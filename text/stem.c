/* text/stem.c: Snowball stems of folded words, one libstemmer stemmer per language. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libstemmer.h>

#include "common/common.h"
#include "text/text.h"

/* Words longer than this are returned whole: no language has a word that
 * long, and Snowball's time grows with the length. */
#define STEM_MAX_WORD	128

/* ISO 639-1 codes and the Snowball algorithms for them. libstemmer also
 * takes some codes itself, but not all ("nb", "sr"), so the table is ours. */
static const struct {
	const char	*code;
	const char	*algorithm;
} stem_algorithms[] = {
	{ "ar", "arabic" },
	{ "ca", "catalan" },
	{ "da", "danish" },
	{ "de", "german" },
	{ "el", "greek" },
	{ "en", "english" },
	{ "es", "spanish" },
	{ "eu", "basque" },
	{ "fi", "finnish" },
	{ "fr", "french" },
	{ "ga", "irish" },
	{ "hi", "hindi" },
	{ "hu", "hungarian" },
	{ "hy", "armenian" },
	{ "id", "indonesian" },
	{ "it", "italian" },
	{ "lt", "lithuanian" },
	{ "nb", "norwegian" },
	{ "ne", "nepali" },
	{ "nl", "dutch" },
	{ "nn", "norwegian" },
	{ "no", "norwegian" },
	{ "pt", "portuguese" },
	{ "ro", "romanian" },
	{ "ru", "russian" },
	{ "sr", "serbian" },
	{ "sv", "swedish" },
	{ "ta", "tamil" },
	{ "tr", "turkish" },
	{ "yi", "yiddish" },
};
#define STEM_NLANGS (sizeof stem_algorithms / sizeof stem_algorithms[0])

/* Indexed like stem_algorithms; a stemmer is created when first asked for,
 * and one that libstemmer cannot make is not asked for again. */
struct text_stemmer {
	struct sb_stemmer	*sb[STEM_NLANGS];
	unsigned char		 failed[STEM_NLANGS];
	char			 word[STEM_MAX_WORD + 8];
	char			*folded;	/* the last stem, folded again */
};

struct text_stemmer *
text_stemmer_new(void)
{
	return xcalloc(1, sizeof(struct text_stemmer));
}

void
text_stemmer_free(struct text_stemmer *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < STEM_NLANGS; i++)
		sb_stemmer_delete(st->sb[i]);
	free(st->folded);
	free(st);
}

/* Suffixes whose accent the spelling makes certain, by language: Spanish
 * writes every -ión with the accent and no plural -iones with it,
 * Portuguese every -ção, -ões, -ão. Snowball's suffix rules are written
 * with the accents, so a folded word gets them back before stemming
 * (else "negociacion" keeps its suffix and "negociaciones" loses it). */
static const struct {
	const char	*lang;
	const char	*folded;
	const char	*accented;
} stem_accents[] = {
	{ "es", "ion", "ión" },
	{ "pt", "cao", "ção" },
	{ "pt", "coes", "ções" },
	{ "pt", "ao", "ão" },
	{ "pt", "oes", "ões" },
	{ "pt", "aes", "ães" },
};

/* Copies word into st->word with its suffix re-accented for lang, when one
 * of stem_accents applies. Returns the length, or 0 when none applies. */
static size_t
stem_reaccent(struct text_stemmer *st, const char *lang, const char *word,
    size_t len)
{
	size_t	i, fl, al;

	for (i = 0; i < sizeof stem_accents / sizeof stem_accents[0]; i++) {
		if (strncmp(stem_accents[i].lang, lang, 2) != 0)
			continue;
		fl = strlen(stem_accents[i].folded);
		al = strlen(stem_accents[i].accented);
		if (len <= fl + 1 || memcmp(word + len - fl,
		    stem_accents[i].folded, fl) != 0)
			continue;
		memcpy(st->word, word, len - fl);
		memcpy(st->word + len - fl, stem_accents[i].accented, al);
		return len - fl + al;
	}
	return 0;
}

/* Returns whether s holds a letter of Latin-1 or Latin Extended-A/B (the
 * only ones a Snowball stemmer adds to a folded word, as Turkish turns a
 * final c into ç). */
static int
stem_has_latin_accent(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)s[i] >= 0xc3 && (unsigned char)s[i] <= 0xc9)
			return 1;
	return 0;
}

/* Returns the stemmer for lang ("en-GB" reads as "en"), creating it on
 * first use, or NULL when Snowball has none. */
static struct sb_stemmer *
stem_get(struct text_stemmer *st, const char *lang)
{
	size_t	i, n;

	if (lang == NULL)
		return NULL;
	n = strcspn(lang, "-_");
	for (i = 0; i < STEM_NLANGS; i++) {
		if (strncasecmp(stem_algorithms[i].code, lang, n) != 0 ||
		    stem_algorithms[i].code[n] != '\0')
			continue;
		if (st->sb[i] == NULL && !st->failed[i]) {
			st->sb[i] = sb_stemmer_new(stem_algorithms[i].algorithm,
			    "UTF_8");
			st->failed[i] = st->sb[i] == NULL;
		}
		return st->sb[i];
	}
	return NULL;
}

int
text_stemmer_has(struct text_stemmer *st, const char *lang)
{
	return stem_get(st, lang) != NULL;
}

const char *
text_stem(struct text_stemmer *st, const char *lang, const char *word,
    size_t len, size_t *stem_len)
{
	struct sb_stemmer	*sb;
	const sb_symbol		*stem;
	const char		*in = word;
	size_t			 n;

	*stem_len = len;
	if (len == 0 || len > STEM_MAX_WORD || (sb = stem_get(st, lang)) == NULL)
		return word;
	if ((n = stem_reaccent(st, lang, word, len)) != 0) {
		in = st->word;
		len = n;
	}
	stem = sb_stemmer_stem(sb, (const sb_symbol *)in, (int)len);
	if (stem == NULL)
		return word;
	n = (size_t)sb_stemmer_length(sb);
	if (!stem_has_latin_accent((const char *)stem, n)) {
		*stem_len = n;
		return (const char *)stem;
	}
	free(st->folded);
	st->folded = text_fold((const char *)stem, n);
	*stem_len = strlen(st->folded);
	return st->folded;
}
