/* text/langid.c: the language of a text from its script and libexttextcat's n-gram models. */

/*
 * The script of the letters narrows the question first: kana means
 * Japanese, Hangul Korean, Han alone Chinese, and a script one language
 * writes (Armenian, Georgian, Thai ...) answers it. Otherwise the n-gram
 * fingerprint of the text is compared only with the models of the
 * languages written in that script (Cyrillic: Russian, Ukrainian,
 * Bulgarian ...), which is faster than comparing it with all of them and
 * keeps a Ukrainian headline from being called Rusyn or Latin.
 *
 * The models are libexttextcat's and so is the score, its out-of-place
 * distance between n-gram fingerprints, but not its code, which took
 * ~100 us a news item: langid_fingerprint.c rebuilds fp_Create's
 * fingerprint, and langid_index.c scores every model of a script in one
 * pass over an inverted index where fp_Compare merged the text with each
 * model in turn; ~18 us for the same scores and decisions (the files say
 * how). Scores come back whole, which the hint prior needs;
 * textcat_Classify keeps only the names within 3% of the best.
 *
 * Only the first LANGID_MAX_BYTES of a text are read: a few hundred
 * letters decide, and building a fingerprint costs time in the length.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "common/common.h"
#include "text/langid_ngram.h"
#include "text/text.h"

/* How much of a text is read (see the top of the file). */
#define LANGID_MAX_BYTES	512
_Static_assert(LANGID_MAX_BYTES <= LANGID_FP_MAX_BYTES,
    "a fingerprint reads less than langid reads");
/* Fewer letters than this and the hint (when it fits the script) decides. */
#define LANGID_MIN_LETTERS	12
/* The hint wins when its score is within this factor of the best. */
#define LANGID_HINT_MARGIN	1.03
/* Without a hint, a best score within this factor of the runner-up is
 * too close to call. */
#define LANGID_UNSURE_MARGIN	1.005
/* The scores of languages few news feeds are written in are raised by this
 * factor, so that a short Turkish headline is not called Lithuanian. */
#define LANGID_RARE_FACTOR	1.02

/* The scripts whose languages the models tell apart. */
enum langid_group {
	LANGID_NONE,
	LANGID_LATIN,
	LANGID_CYRILLIC,
	LANGID_ARABIC,
	LANGID_HEBREW,
	LANGID_GREEK,
	LANGID_DEVANAGARI,
	LANGID_ETHIOPIC,
	LANGID_NGROUPS
};

/* A model: its file in the data directory, the code it stands for, and
 * for Cyrillic the lowercase letters of the language's alphabet. */
struct langid_model_def {
	const char		*file;
	const char		*code;
	enum langid_group	 group;
	const char		*alphabet;
};

#define LANGID_RU_LETTERS "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

/*
 * The languages a news feed is likely to be in; libexttextcat has more
 * (Fijian, Aymara, ...), and every extra model is one more way for a short
 * headline to be misread. Within a group, the more common languages come
 * first, which decides ties.
 */
static const struct langid_model_def langid_models[] = {
	{ "en", "en", LANGID_LATIN, NULL },
	{ "es", "es", LANGID_LATIN, NULL },
	{ "fr", "fr", LANGID_LATIN, NULL },
	{ "de", "de", LANGID_LATIN, NULL },
	{ "pt", "pt", LANGID_LATIN, NULL },
	{ "it", "it", LANGID_LATIN, NULL },
	{ "nl", "nl", LANGID_LATIN, NULL },
	{ "pl", "pl", LANGID_LATIN, NULL },
	{ "tr", "tr", LANGID_LATIN, NULL },
	{ "id", "id", LANGID_LATIN, NULL },
	{ "vi", "vi", LANGID_LATIN, NULL },
	{ "ro", "ro", LANGID_LATIN, NULL },
	{ "cs", "cs", LANGID_LATIN, NULL },
	{ "sk", "sk", LANGID_LATIN, NULL },
	{ "hu", "hu", LANGID_LATIN, NULL },
	{ "sv", "sv", LANGID_LATIN, NULL },
	{ "da", "da", LANGID_LATIN, NULL },
	{ "nb", "nb", LANGID_LATIN, NULL },
	{ "fi", "fi", LANGID_LATIN, NULL },
	{ "hr", "hr", LANGID_LATIN, NULL },
	{ "bs", "bs", LANGID_LATIN, NULL },
	{ "sr-Latn", "sr", LANGID_LATIN, NULL },
	{ "sl", "sl", LANGID_LATIN, NULL },
	{ "et", "et", LANGID_LATIN, NULL },
	{ "lv", "lv", LANGID_LATIN, NULL },
	{ "lt", "lt", LANGID_LATIN, NULL },
	{ "ca", "ca", LANGID_LATIN, NULL },
	{ "gl", "gl", LANGID_LATIN, NULL },
	{ "eu", "eu", LANGID_LATIN, NULL },
	{ "sq", "sq", LANGID_LATIN, NULL },
	{ "ms", "ms", LANGID_LATIN, NULL },
	{ "tl", "tl", LANGID_LATIN, NULL },
	{ "sw", "sw", LANGID_LATIN, NULL },
	{ "az", "az", LANGID_LATIN, NULL },
	{ "uz", "uz", LANGID_LATIN, NULL },
	{ "af", "af", LANGID_LATIN, NULL },
	{ "is", "is", LANGID_LATIN, NULL },
	{ "ga", "ga", LANGID_LATIN, NULL },
	{ "cy", "cy", LANGID_LATIN, NULL },
	{ "mt", "mt", LANGID_LATIN, NULL },
	{ "lb", "lb", LANGID_LATIN, NULL },
	{ "so", "so", LANGID_LATIN, NULL },
	{ "ha-NG", "ha", LANGID_LATIN, NULL },
	{ "yo", "yo", LANGID_LATIN, NULL },
	{ "zu", "zu", LANGID_LATIN, NULL },
	{ "ru", "ru", LANGID_CYRILLIC,
	    LANGID_RU_LETTERS },
	{ "uk", "uk", LANGID_CYRILLIC,
	    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя" },
	{ "bg", "bg", LANGID_CYRILLIC,
	    "абвгдежзийклмнопрстуфхцчшщъьюя" },
	{ "sr-Cyrl", "sr", LANGID_CYRILLIC,
	    "абвгдђежзијклљмнњопрстћуфхцчџш" },
	{ "be", "be", LANGID_CYRILLIC,
	    "абвгдеёжзійклмнопрстуўфхцчшыьэюя" },
	{ "mk", "mk", LANGID_CYRILLIC,
	    "абвгдѓежзѕијклљмнњопрстќуфхцчџш" },
	{ "kk", "kk", LANGID_CYRILLIC,
	    LANGID_RU_LETTERS "әғқңөұүһі" },
	{ "ky", "ky", LANGID_CYRILLIC,
	    LANGID_RU_LETTERS "ңөү" },
	{ "mn", "mn", LANGID_CYRILLIC,
	    LANGID_RU_LETTERS "өү" },
	{ "tg", "tg", LANGID_CYRILLIC,
	    "абвгдеёжзийклмнопрстуфхчшъэюяғӣқӯҳҷ" },
	{ "tt", "tt", LANGID_CYRILLIC,
	    LANGID_RU_LETTERS "әөүҗңһ" },
	{ "ar", "ar", LANGID_ARABIC, NULL },
	{ "fa", "fa", LANGID_ARABIC, NULL },
	{ "ur", "ur", LANGID_ARABIC, NULL },
	{ "ckb", "ckb", LANGID_ARABIC, NULL },
	{ "sd", "sd", LANGID_ARABIC, NULL },
	{ "ug", "ug", LANGID_ARABIC, NULL },
	{ "he", "he", LANGID_HEBREW, NULL },
	{ "yi", "yi", LANGID_HEBREW, NULL },
	{ "el", "el", LANGID_GREEK, NULL },
	{ "hi", "hi", LANGID_DEVANAGARI, NULL },
	{ "mr", "mr", LANGID_DEVANAGARI, NULL },
	{ "ne", "ne", LANGID_DEVANAGARI, NULL },
	{ "am", "am", LANGID_ETHIOPIC, NULL },
	{ "ti", "ti", LANGID_ETHIOPIC, NULL },
};
#define LANGID_NMODELS (sizeof langid_models / sizeof langid_models[0])

/* Scripts one language (of those a feed is likely to be in) writes. */
static const struct {
	UScriptCode	 script;
	const char	*code;
} langid_scripts[] = {
	{ USCRIPT_ARMENIAN, "hy" },
	{ USCRIPT_GEORGIAN, "ka" },
	{ USCRIPT_THAI, "th" },
	{ USCRIPT_LAO, "lo" },
	{ USCRIPT_KHMER, "km" },
	{ USCRIPT_MYANMAR, "my" },
	{ USCRIPT_SINHALA, "si" },
	{ USCRIPT_TAMIL, "ta" },
	{ USCRIPT_TELUGU, "te" },
	{ USCRIPT_KANNADA, "kn" },
	{ USCRIPT_MALAYALAM, "ml" },
	{ USCRIPT_GUJARATI, "gu" },
	{ USCRIPT_GURMUKHI, "pa" },
	{ USCRIPT_BENGALI, "bn" },
	{ USCRIPT_ORIYA, "or" },
	{ USCRIPT_TIBETAN, "bo" },
	{ USCRIPT_THAANA, "dv" },
	{ USCRIPT_HANGUL, "ko" },
};

/* One index per group, its models in the table's order. */
struct text_langid {
	struct langid_index	*index[LANGID_NGROUPS];
	double			 factor[LANGID_NMODELS];	/* 1 or rare */
	uint64_t		 alphabet[LANGID_NMODELS][4];	/* as cyrillic */
};

/* Letters of a text counted by script. */
#define LANGID_NSCRIPTS 256
#define LANGID_MAX_CYRILLIC 64
struct langid_counts {
	size_t		letters;
	size_t		group[LANGID_NGROUPS];
	size_t		han;
	size_t		kana;
	size_t		other;		/* letters of the most frequent other script */
	UScriptCode	other_script;
	size_t		script[LANGID_NSCRIPTS];
	/* The distinct lowercase Cyrillic letters, at most
	 * LANGID_MAX_CYRILLIC: those of U+0400..U+04FF (where every letter of
	 * the alphabets above is) as bits, the others listed. */
	uint64_t	cyrillic[4];
	UChar32		outside[LANGID_MAX_CYRILLIC];
	size_t		noutside;
	size_t		ncyrillic;
};

/* Returns whether code is one of the languages most news is written in. */
static bool
langid_is_common(const char *code)
{
	static const char	*common[] = { "en", "es", "fr", "de", "pt", "it",
	    "ru", "ar", "tr", "nl", "pl", "uk", "fa", "he", "el" };
	size_t			 i;

	for (i = 0; i < sizeof common / sizeof common[0]; i++)
		if (strcmp(common[i], code) == 0)
			return true;
	return false;
}

/* Sets the bits of an alphabet's letters (all in U+0400..U+04FF). */
static void
langid_alphabet_bits(const char *alphabet, uint64_t *bits)
{
	int32_t	i = 0, n;
	UChar32	cp;

	if (alphabet == NULL)
		return;
	n = (int32_t)strlen(alphabet);
	while (i < n) {
		U8_NEXT(alphabet, i, n, cp);
		if (cp >= 0x400 && cp < 0x500)
			bits[(cp - 0x400) / 64] |= (uint64_t)1 << (cp % 64);
	}
}

struct text_langid *
text_langid_new(char **cause)
{
	struct text_langid	*li;
	const char		*names[LANGID_NMODELS];
	enum langid_group	 g;
	size_t			 i, n;

	li = xcalloc(1, sizeof *li);
	for (g = LANGID_LATIN; g < LANGID_NGROUPS; g++) {
		for (i = n = 0; i < LANGID_NMODELS; i++)
			if (langid_models[i].group == g)
				names[n++] = langid_models[i].file;
		li->index[g] = langid_index_new(names, n, cause);
		if (li->index[g] == NULL) {
			text_langid_free(li);
			return NULL;
		}
	}
	for (i = 0; i < LANGID_NMODELS; i++) {
		li->factor[i] = langid_is_common(langid_models[i].code) ? 1.0 :
		    LANGID_RARE_FACTOR;
		langid_alphabet_bits(langid_models[i].alphabet, li->alphabet[i]);
	}
	return li;
}

void
text_langid_free(struct text_langid *li)
{
	enum langid_group	g;

	if (li == NULL)
		return;
	for (g = LANGID_NONE; g < LANGID_NGROUPS; g++)
		langid_index_free(li->index[g]);
	free(li);
}

/* Returns the group of models for a script, LANGID_NONE for others. */
static enum langid_group
langid_script_group(UScriptCode script)
{
	switch (script) {
	case USCRIPT_LATIN:
		return LANGID_LATIN;
	case USCRIPT_CYRILLIC:
		return LANGID_CYRILLIC;
	case USCRIPT_ARABIC:
		return LANGID_ARABIC;
	case USCRIPT_HEBREW:
		return LANGID_HEBREW;
	case USCRIPT_GREEK:
		return LANGID_GREEK;
	case USCRIPT_DEVANAGARI:
		return LANGID_DEVANAGARI;
	case USCRIPT_ETHIOPIC:
		return LANGID_ETHIOPIC;
	default:
		return LANGID_NONE;
	}
}

/* Notes the lowercase form of a Cyrillic letter among those seen; one
 * that takes four bytes in UTF-8 is not. */
static void
langid_count_cyrillic(struct langid_counts *c, UChar32 cp)
{
	uint64_t	bit;
	size_t		i;

	cp = u_tolower(cp);
	if (cp >= 0x10000 || U_IS_SURROGATE(cp))
		return;
	if (cp >= 0x400 && cp < 0x500) {
		bit = (uint64_t)1 << (cp % 64);
		if ((c->cyrillic[(cp - 0x400) / 64] & bit) != 0 ||
		    c->ncyrillic == LANGID_MAX_CYRILLIC)
			return;
		c->cyrillic[(cp - 0x400) / 64] |= bit;
		c->ncyrillic++;
		return;
	}
	for (i = 0; i < c->noutside; i++)
		if (c->outside[i] == cp)
			return;
	if (c->ncyrillic == LANGID_MAX_CYRILLIC)
		return;
	c->outside[c->noutside++] = cp;
	c->ncyrillic++;
}

/* Returns whether the language of model i writes every Cyrillic letter of
 * the text: names are transliterated into the language's own alphabet, so
 * a letter outside it (і in Russian, ы in Ukrainian) rules it out. */
static bool
langid_alphabet_fits(const struct text_langid *li, size_t i,
    const struct langid_counts *c)
{
	size_t	k;

	if (langid_models[i].alphabet == NULL)
		return true;
	if (c->noutside > 0)
		return false;
	for (k = 0; k < 4; k++)
		if ((c->cyrillic[k] & ~li->alphabet[i][k]) != 0)
			return false;
	return true;
}

/* Counts the letters of s[0, len) by script. */
static void
langid_count(const char *s, size_t len, struct langid_counts *c)
{
	UErrorCode		err;
	UScriptCode		script;
	int32_t			i = 0, n = (int32_t)len, k;
	UChar32			cp;
	enum langid_group	g;

	memset(c, 0, sizeof *c);
	while (i < n) {
		/* ASCII, most of the text in Latin script, spares ICU. */
		if ((unsigned char)s[i] < 0x80) {
			cp = (unsigned char)s[i++] | 0x20;
			if (cp >= 'a' && cp <= 'z') {
				c->letters++;
				c->script[USCRIPT_LATIN]++;
			}
			continue;
		}
		U8_NEXT(s, i, n, cp);
		if (cp < 0 || !u_isalpha(cp))
			continue;
		err = U_ZERO_ERROR;
		script = uscript_getScript(cp, &err);
		if (U_FAILURE(err) || script < 0 || script >= LANGID_NSCRIPTS)
			continue;
		c->letters++;
		c->script[script]++;
		if (script == USCRIPT_CYRILLIC)
			langid_count_cyrillic(c, cp);
	}
	for (k = 0; k < LANGID_NSCRIPTS; k++) {
		if (c->script[k] == 0)
			continue;
		if ((g = langid_script_group(k)) != LANGID_NONE)
			c->group[g] += c->script[k];
		else if (k == USCRIPT_HAN)
			c->han += c->script[k];
		else if (k == USCRIPT_HIRAGANA || k == USCRIPT_KATAKANA)
			c->kana += c->script[k];
		else if (c->script[k] > c->other) {
			c->other = c->script[k];
			c->other_script = k;
		}
	}
}

/* Returns the table's static code for a hint ("en-US" reads as "en"), or
 * NULL when it names none of the languages known here. */
static const char *
langid_hint_code(const char *hint)
{
	char	code[8];
	size_t	i;

	if (hint == NULL)
		return NULL;
	for (i = 0; i < sizeof code - 1 && hint[i] != '\0' &&
	    hint[i] != '-' && hint[i] != '_'; i++)
		code[i] = (char)(hint[i] | 0x20);
	code[i] = '\0';
	if (hint[i] != '\0' && hint[i] != '-' && hint[i] != '_')
		return NULL;
	/* Comparing the first letter first spares most calls to strcmp. */
	for (i = 0; i < LANGID_NMODELS; i++)
		if (langid_models[i].code[0] == code[0] &&
		    strcmp(langid_models[i].code, code) == 0)
			return langid_models[i].code;
	for (i = 0; i < sizeof langid_scripts / sizeof langid_scripts[0]; i++)
		if (strcmp(langid_scripts[i].code, code) == 0)
			return langid_scripts[i].code;
	if (strcmp(code, "zh") == 0)
		return "zh";
	if (strcmp(code, "ja") == 0)
		return "ja";
	return NULL;
}

/* Returns whether code names a language of group g. */
static bool
langid_in_group(const char *code, enum langid_group g)
{
	size_t	i;

	for (i = 0; i < LANGID_NMODELS; i++)
		if (langid_models[i].group == g &&
		    langid_models[i].code[0] == code[0] &&
		    strcmp(langid_models[i].code, code) == 0)
			return true;
	return false;
}

/* Picks among the models of group g by n-gram fingerprint. */
static const char *
langid_classify(struct text_langid *li, enum langid_group g,
    const struct langid_counts *c, const char *s, size_t len,
    const char *hint)
{
	struct langid_fingerprint	 fp;
	int32_t				 scores[LANGID_NMODELS];
	bool				 fits[LANGID_NMODELS];
	const char			*best = NULL;
	int32_t				 score, best_score = 0;
	int32_t				 second = INT32_MAX, hint_score = -1;
	size_t				 i, k, fit = 0;
	bool				 all;
	double				 factor;
	int32_t				 cutoff;

	if (langid_fingerprint_make(&fp, s, len) == 0)
		return hint != NULL ? hint : "und";
	langid_index_score(li->index[g], &fp, scores);
	for (i = 0; i < LANGID_NMODELS; i++) {
		fits[i] = langid_models[i].group == g &&
		    langid_alphabet_fits(li, i, c);
		if (fits[i])
			fit++;
	}
	all = fit == 0;
	/* k counts the group's models: the index numbers them in order. */
	for (i = 0, k = 0; i < LANGID_NMODELS; i++) {
		if (langid_models[i].group != g)
			continue;
		score = scores[k++];
		if (!all && !fits[i])
			continue;
		/* A model scoring past the margins of the best so far can
		 * change nothing; fp_Compare stopped there, and so do we, so
		 * that the decisions (down to the rounding) stay its. */
		factor = li->factor[i];
		cutoff = best == NULL ? INT32_MAX :
		    (int32_t)(best_score * LANGID_HINT_MARGIN / factor) + 1;
		if (score > cutoff)
			continue;
		score = (int32_t)(score * factor);
		if (hint != NULL && langid_models[i].code[0] == hint[0] &&
		    strcmp(langid_models[i].code, hint) == 0)
			hint_score = score;
		if (best == NULL || score < best_score) {
			second = best == NULL ? INT32_MAX : best_score;
			best_score = score;
			best = langid_models[i].code;
		} else if (score < second)
			second = score;
	}
	if (hint_score >= 0 &&
	    (double)hint_score <= (double)best_score * LANGID_HINT_MARGIN)
		return hint;
	if (hint == NULL &&
	    (double)second < (double)best_score * LANGID_UNSURE_MARGIN)
		return "und";
	return best;
}

/* Copies the valid UTF-8 of s[0, len) into out (LANGID_MAX_BYTES + 1
 * bytes), at most LANGID_MAX_BYTES of it from at most four times as many
 * bytes: the fingerprint, like libexttextcat's, trusts a lead byte to
 * tell how many bytes follow, so it must only see whole characters. */
static size_t
langid_clean(const char *s, size_t len, char *out)
{
	int32_t	i = 0, start, n;
	size_t	m = 0;
	UChar32	cp;

	n = len > 4 * LANGID_MAX_BYTES ? 4 * LANGID_MAX_BYTES : (int32_t)len;
	while (i < n) {
		/* ASCII, most of it, is copied without ICU. */
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0') {
				i++;
				continue;
			}
			if (m == LANGID_MAX_BYTES)
				break;
			out[m++] = s[i++];
			continue;
		}
		start = i;
		U8_NEXT(s, i, n, cp);
		if (cp < 0 || cp == 0)
			continue;
		if (m + (size_t)(i - start) > LANGID_MAX_BYTES)
			break;
		memcpy(out + m, s + start, i - start);
		m += i - start;
	}
	out[m] = '\0';
	return m;
}

const char *
text_langid_detect(struct text_langid *li, const char *utf8, size_t len,
    const char *hint)
{
	struct langid_counts	 c;
	enum langid_group	 g, top = LANGID_NONE;
	const char		*h = langid_hint_code(hint);
	char			 text[LANGID_MAX_BYTES + 1];
	size_t			 i, cjk;

	len = langid_clean(utf8, len, text);
	langid_count(text, len, &c);
	if (c.letters == 0)
		return h != NULL ? h : "und";
	for (g = LANGID_LATIN; g < LANGID_NGROUPS; g++)
		if (top == LANGID_NONE || c.group[g] > c.group[top])
			top = g;
	cjk = c.han + c.kana;
	if (cjk > c.group[top] && cjk >= c.other) {
		/* Japanese writes kana between its kanji; Chinese never. */
		if (c.kana * 10 >= cjk)
			return "ja";
		return h != NULL && strcmp(h, "ja") == 0 ? "ja" : "zh";
	}
	if (c.other > c.group[top]) {
		for (i = 0; i < sizeof langid_scripts / sizeof langid_scripts[0];
		    i++)
			if (langid_scripts[i].script == c.other_script)
				return langid_scripts[i].code;
		return "und";
	}
	if (h != NULL && !langid_in_group(h, top))
		h = NULL;
	if (c.group[top] < LANGID_MIN_LETTERS && h != NULL)
		return h;
	return langid_classify(li, top, &c, text, len, h);
}
