/* extract/name.c: name keys — one person's spellings in any script made one "given|surname" key, and how two keys relate. */

/*
 * A key is built in four steps. Case endings are undone first, in the
 * name's own script, by the [inflection] rules of the language's cue file
 * (Russian: "Марии Захаровой" → "Мария Захарова"), because only there can
 * the ending be read. Each word is then written in Latin letters: ASCII
 * as it is, Cyrillic through ICU's Russian-Latin/BGN (the romanisation
 * news agencies mostly follow), anything else through Any-Latin and
 * Latin-ASCII. The Latin word is folded (names_fold_ascii) so that the
 * usual spellings of one sound meet: kh/h, ks/x, ou/oo/u, q/k, w/v, y/i,
 * zh/dzh/j, Mc/Mac, doubled letters, -v/-ff. Last, the words are split
 * into given name and surname: Arabic articles (al-, el-) drop, Abu and
 * bin stay with the surname, a generational suffix is written after it
 * ("trump-jr"), ch in it is folded as kh (Dekel-Chen, Декель-Хен), and the
 * given name is replaced by its canonical form from
 * data/given-name-equivalents.txt (Maxim/Maksim/Максим, Mohammed/Muhammad,
 * Sean/Шон).
 *
 * Comparing two keys (extract_name_compare) allows what folding cannot
 * settle: vowels written differently (Trump/Трамп → trump/tramp) when the
 * consonants agree and the name is long enough, one more letter in long
 * names, a silent -e (Fincke/Финк), a fleeting vowel (Лубинец/Лубинца),
 * and a Russian case ending on a surname written alone (Харкина, Путине:
 * no given name tells the case, and -a could be a woman's surname). Given
 * names are equal, an initial and its name, or one writes two vowels for
 * the other's one (Mike/Майк); a vowel for another is another name
 * (Maria/Mario).
 *
 * The transliterators are opened once, by extract_names_new, for the
 * whole extractor; a word runs through them only when it has letters
 * outside ASCII.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "extract/names.h"

const char *const extract_languages[] = { "en", "ru", NULL };

/* UTF-16 units of one word being transliterated: a word longer than
 * EXTRACT_MAX_NAME is cut, and BGN writes at most four letters for one. */
#define NAMES_U16_MAX	(EXTRACT_MAX_NAME * 4 + 16)
/* Words of one name that are read; the rest are ignored. */
#define NAMES_MAX_WORDS	12

/* One ending rule of a language: in case kase, for gender, a word ending
 * in suffix has the nominative ending repl. */
struct names_rule {
	int	 given;		/* a rule for given names, else for surnames */
	char	 kase[4];	/* "gen", "dat", "acc", "ins", "pre"; "any" */
	char	 gender;	/* 'm', 'f'; '*' for either */
	char	*suffix;
	size_t	 slen;
	char	*repl;		/* "" to cut the suffix */
	size_t	 rlen;
};

/* The inflection tables of one language. */
struct names_lang {
	const char		*code;
	struct names_rule	*rules;		/* longest suffix first */
	size_t			 nrules;
	struct extract_list	 masculine;	/* given names ending like feminine ones */
	struct extract_list	 fixed;		/* surnames whose ending is no case's */
};

/* A given-name spelling and its canonical key form. */
struct names_canon {
	char	*from;
	char	*to;
};

/* Key forms of words outside ASCII, by the hash of the word as written:
 * the same names come back in every story, and transliterating costs
 * microseconds a word. */
#define NAMES_CACHE	1024

struct names_cached {
	uint64_t	hash;		/* 0: empty */
	uint32_t	len;
	char		key[NAMES_WORD_MAX];
};

struct extract_names {
	struct names_cached	 cache[NAMES_CACHE];
	UTransliterator		*bgn;		/* Russian-Latin/BGN */
	UTransliterator		*latin;		/* Any-Latin; Latin-ASCII */
	struct names_canon	*canon;		/* sorted by from */
	size_t			 ncanon;
	char			**given;	/* key forms of given names, sorted */
	size_t			 ngiven;
	struct extract_list	 given_forms;	/* given names as written, folded */
	struct extract_list	 particles;
	struct names_lang	 langs[8];
	size_t			 nlangs;
	UChar			 u16[NAMES_U16_MAX];
	UChar			 u16b[NAMES_U16_MAX];
};

/* Key forms of honorifics, dropped from a name. */
static const char *const names_honorifics[] = {
	"dr", "mr", "mrs", "ms", "prof", "sheih", "shaih", "sir", NULL
};
/* Articles joined to a name ("al-Kanua", "ash-Sharaa"): dropped. */
static const char *const names_articles[] = {
	"ad", "al", "an", "ar", "as", "ash", "at", "az", "ed", "el", "er", "es",
	"et", "ul", "ez", NULL
};
/* Particles that begin a surname and stay in it, with their one spelling. */
static const struct {
	const char	*from;
	const char	*to;
} names_surname_particles[] = {
	{ "abu", "abu" }, { "abo", "abu" }, { "bin", "bin" }, { "ibn", "bin" },
	{ "ben", "bin" }, { "bint", "bin" }, { "van", "van" }, { "von", "fon" },
	{ "fon", "fon" }, { "de", "de" }, { "da", "da" }, { "di", "di" },
	{ "du", "du" }, { "del", "del" }, { "dela", "del" }, { "dos", "dos" },
	{ "das", "das" }, { "der", "der" }, { "den", "den" }, { "ter", "ter" },
	{ "la", "la" }, { "le", "le" }, { NULL, NULL }
};
/* Generational suffixes after a name, as the key writes them: Jr. and a
 * number tell a son from his father ("Donald Trump Jr."), Sr. is the
 * name itself. */
static const struct {
	const char	*word;
	const char	*key;
} names_suffixes[] = {
	{ "jr", "-jr" }, { "jnr", "-jr" }, { "sr", "" }, { "snr", "" },
	{ "ii", "-2" }, { "iii", "-3" }, { "iv", "-4" }, { NULL, NULL }
};
/* Key forms that begin a compound given name ("Abdel Latif", "Abdul"). */
static const char *const names_abd[] = {
	"abd", "abdal", "abdel", "abdil", "abdol", "abdul", NULL
};

/* Returns 1 when s is one of the NULL-terminated list. */
static int
names_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Orders strings for qsort and bsearch. */
static int
names_strcmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Orders given-name spellings. */
static int
names_canon_cmp(const void *a, const void *b)
{
	return strcmp(((const struct names_canon *)a)->from,
	    ((const struct names_canon *)b)->from);
}

/* Returns 1 for the ASCII vowels of a key form (y is already i there). */
static int
names_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/*
 * Folds a lower-case ASCII word (letters only) into out (cap bytes). The
 * rules are the spellings news writes for one sound, in the order that
 * lets digraphs go first (see the comment at the top of the file).
 */
static size_t
names_fold_ascii(const char *s, size_t n, char *out, size_t cap)
{
	char	 tmp[NAMES_WORD_MAX * 2];
	size_t	 i = 0, t = 0, o = 0;
	char	 c, next, next2;

	if (n >= 3 && s[0] == 'y' && s[1] == 'e')
		i = 1;		/* Yevgeny, Yelena: Evgeny, Elena */
	else if (n >= 4 && s[0] == 'm' && s[1] == 'c') {
		tmp[t++] = 'm';	/* McClain: Макклейн, as MacLean */
		tmp[t++] = 'a';
		tmp[t++] = 'k';
		i = 2;
	}
	else if (n >= 3 && s[0] == 'u' && strchr("aeio", s[1]) != NULL) {
		tmp[t++] = 'v';	/* Уиткофф (Uitkoff): Witkoff */
		i = 1;
	}
	while (i < n && t + 3 < sizeof tmp) {
		c = s[i];
		next = i + 1 < n ? s[i + 1] : '\0';
		next2 = i + 2 < n ? s[i + 2] : '\0';
		if (c == 'd' && next == 'z' && next2 == 'h') {
			tmp[t++] = 'j';
			i += 3;
		} else if ((c == 'z' || c == 'd') && (next == 'h' || next == 'j') &&
		    !(c == 'd' && next == 'h')) {
			tmp[t++] = 'j';
			i += 2;
		} else if ((c == 's' || c == 't') && next == 'c' && next2 == 'h') {
			tmp[t++] = c == 's' ? 's' : 'c';
			tmp[t++] = 'h';
			i += 3;
		} else if (c == 'k' && next == 'h' && t > 0 &&
		    names_vowel(tmp[t - 1])) {
			i += 2;		/* as h after a vowel, below */
		} else if (next == 'h' && (c == 'k' || c == 'g' || c == 'p' ||
		    c == 't')) {
			tmp[t++] = c == 'k' ? 'h' : c == 'p' ? 'f' : c;
			i += 2;
		} else if (c == 'c' && next == 'h') {
			tmp[t++] = 'c';
			tmp[t++] = 'h';
			i += 2;
		} else if (c == 'c' && next == 'k') {
			tmp[t++] = 'k';
			i += 2;
		} else if (c == 'c') {
			tmp[t++] = next == 'e' || next == 'i' || next == 'y' ?
			    's' : 'k';
			i++;
		} else if (c == 'x') {
			tmp[t++] = 'k';
			tmp[t++] = 's';
			i++;
		} else if (c == 'o' && (next == 'u' || next == 'o')) {
			tmp[t++] = 'u';
			i += 2;
		} else if (c == 'o' && next == 'e' && next2 == 'h' && i > 0) {
			tmp[t++] = 'e';	/* Boehler: Белер */
			i += 2;
		} else if (c == 'g' && next == 'u' && (next2 == 'e' ||
		    next2 == 'i')) {
			tmp[t++] = 'g';	/* Sagui: Саги */
			i += 2;
		} else if (c == 'h' && t > 0 && names_vowel(tmp[t - 1])) {
			i++;		/* Cohen: Коэн; Ahmed: Ахмед */
		} else if (c == 't' && next == 'z') {
			tmp[t++] = 't';
			tmp[t++] = 's';
			i += 2;
		} else {
			tmp[t++] = c == 'q' ? 'k' : c == 'w' ? 'v' :
			    c == 'y' ? 'i' : c;
			i++;
		}
	}
	/* Doubled letters are one (Qassem, Witkoff, Haniyyah). */
	for (i = 0; i < t && o + 1 < cap; i++) {
		if (o > 0 && out[o - 1] == tmp[i])
			continue;
		out[o++] = tmp[i];
	}
	/* Final -v and -ff are one sound in Russian names (Witkoff, Lavrov). */
	if (o > 2 && out[o - 1] == 'v')
		out[o - 1] = 'f';
	out[o] = '\0';
	return o;
}

/* Lower-cases ASCII and basic Cyrillic in place, ё as е (the fold of the
 * cue tables does the same), so ending rules can be matched without ICU. */
static void
names_lower(char *s, size_t n)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (u[i] >= 'A' && u[i] <= 'Z')
			u[i] |= 0x20;
		else if (u[i] == 0xd0 && i + 1 < n) {
			if (u[i + 1] >= 0x90 && u[i + 1] <= 0x9f)
				u[i + 1] += 0x20;		/* А-П */
			else if (u[i + 1] >= 0xa0 && u[i + 1] <= 0xaf) {
				u[i] = 0xd1;			/* Р-Я */
				u[i + 1] -= 0x20;
			} else if (u[i + 1] == 0x81)
				u[i + 1] = 0xb5;		/* Ё */
			i++;
		} else if (u[i] == 0xd1 && i + 1 < n) {
			if (u[i + 1] == 0x91) {
				u[i] = 0xd0;			/* ё */
				u[i + 1] = 0xb5;
			}
			i++;
		}
	}
}

/* Returns 1 when s has a Cyrillic letter. */
static int
names_has_cyrillic(const UChar *s, int32_t n)
{
	int32_t	i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x400 && s[i] <= 0x52f)
			return 1;
	return 0;
}

/* Runs a transliterator over the scratch u16 of *n units. */
static void
names_translit(struct extract_names *nm, UTransliterator *tr, int32_t *n)
{
	UErrorCode	err = U_ZERO_ERROR;
	int32_t		limit = *n;

	utrans_transUChars(tr, nm->u16, n, NAMES_U16_MAX - 1, 0, &limit, &err);
	if (U_FAILURE(err))
		*n = 0;
}

size_t
extract_names_fold(struct extract_names *nm, const char *word, size_t len,
    char *out)
{
	char			 ascii[NAMES_WORD_MAX * 2];
	struct names_cached	*slot;
	UErrorCode		 err = U_ZERO_ERROR;
	uint64_t		 hash;
	size_t			 i, a = 0;
	int32_t			 n, k;
	int			 plain = 1;

	out[0] = '\0';
	if (len > EXTRACT_MAX_NAME)
		len = EXTRACT_MAX_NAME;
	for (i = 0; i < len; i++)
		if ((unsigned char)word[i] >= 0x80)
			plain = 0;
	if (plain) {
		for (i = 0; i < len && a + 1 < sizeof ascii; i++) {
			char c = word[i] | 0x20;

			if (c >= 'a' && c <= 'z')
				ascii[a++] = c;
		}
		return names_fold_ascii(ascii, a, out, NAMES_WORD_MAX);
	}
	hash = util_hash(word, len, UTIL_HASH_SEED) | 1;
	slot = &nm->cache[hash % NAMES_CACHE];
	if (slot->hash == hash && slot->len == len) {
		memcpy(out, slot->key, NAMES_WORD_MAX);
		return strlen(out);
	}
	slot->hash = 0;
	u_strFromUTF8Lenient(nm->u16b, NAMES_U16_MAX / 4, &n, word,
	    (int32_t)len, &err);
	if (U_FAILURE(err))
		return 0;
	n = u_strToLower(nm->u16, NAMES_U16_MAX / 4, nm->u16b, n, "", &err);
	if (U_FAILURE(err))
		return 0;
	if (names_has_cyrillic(nm->u16, n))
		names_translit(nm, nm->bgn, &n);
	for (k = 0; k < n; k++)
		if (nm->u16[k] >= 0x80)
			break;
	if (k < n)
		names_translit(nm, nm->latin, &n);
	for (k = 0; k < n && a + 1 < sizeof ascii; k++) {
		UChar c = nm->u16[k];

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c >= 'a' && c <= 'z')
			ascii[a++] = (char)c;
	}
	a = names_fold_ascii(ascii, a, out, NAMES_WORD_MAX);
	slot->hash = hash;
	slot->len = (uint32_t)len;
	memcpy(slot->key, out, NAMES_WORD_MAX);
	return a;
}

/* Returns 1 when the key form is a given name of the lists. */
static int
names_given_key(const struct extract_names *nm, const char *key)
{
	return key[0] != '\0' && bsearch(&key, nm->given, nm->ngiven,
	    sizeof *nm->given, names_strcmp) != NULL;
}

/* The canonical key form of a given name's key form. */
static const char *
names_canon(const struct extract_names *nm, const char *key)
{
	struct names_canon	 want, *found;

	want.from = (char *)key;
	found = bsearch(&want, nm->canon, nm->ncanon, sizeof *nm->canon,
	    names_canon_cmp);
	return found != NULL ? found->to : key;
}

/* The inflection tables of lang, or NULL. */
static const struct names_lang *
names_lang(const struct extract_names *nm, const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return NULL;
	for (i = 0; i < nm->nlangs; i++)
		if (strcmp(nm->langs[i].code, lang) == 0)
			return &nm->langs[i];
	return NULL;
}

/* Returns 1 when the lower-case word (folded as the cue tables are) is a
 * given name: as written, or through its key form. */
static int
names_given_lower(struct extract_names *nm, const char *w, size_t len)
{
	char	key[NAMES_WORD_MAX];

	if (extract_list_has(&nm->given_forms, w, len))
		return 1;
	extract_names_fold(nm, w, len, key);
	return names_given_key(nm, key);
}

/* The gender of a given name in the nominative: Russian feminine names
 * end in -а or -я, but for the masculine ones the cue file lists. */
static char
names_gender(const struct names_lang *l, const char *w, size_t len)
{
	if (len >= 2 && ((unsigned char)w[len - 2] == 0xd0 &&
	    (unsigned char)w[len - 1] == 0xb0) && !extract_list_has(
	    &l->masculine, w, len))
		return 'f';
	if (len >= 2 && ((unsigned char)w[len - 2] == 0xd1 &&
	    (unsigned char)w[len - 1] == 0x8f) && !extract_list_has(
	    &l->masculine, w, len))
		return 'f';
	return 'm';
}

/* Returns 1 when the last letter before byte off of w is a consonant
 * (Cyrillic or Latin), which a cut ending needs ("Трампа" → "Трамп", never
 * "Нетаньяху" → "Нетаньях" by -у of a vowel stem). */
static int
names_consonant_before(const char *w, size_t off)
{
	static const char *const vowels[] = {
		"а", "е", "и", "о", "у", "ы", "э", "ю", "я", "ь", "ъ", "й", NULL
	};
	size_t	i;

	if (off < 2)
		return 0;
	if ((unsigned char)w[off - 1] < 0x80)
		return !names_vowel(w[off - 1]) && w[off - 1] != 'y';
	for (i = 0; vowels[i] != NULL; i++)
		if (memcmp(w + off - 2, vowels[i], 2) == 0)
			return 0;
	return 1;
}

/* A word's nominative: the rule that applies, or NULL. */
static const struct names_rule *
names_rule_find(const struct names_lang *l, int given, const char *kase,
    char gender, const char *w, size_t len)
{
	const struct names_rule	*r;
	size_t			 i;

	for (i = 0; i < l->nrules; i++) {
		r = &l->rules[i];
		if (r->given != given || r->slen >= len ||
		    memcmp(w + len - r->slen, r->suffix, r->slen) != 0)
			continue;
		/* A known case takes its own rules; an unknown one the
		 * rules that hold in any case. */
		if (strcmp(r->kase, kase != NULL ? kase : "any") != 0)
			continue;
		if (gender != '*' && r->gender != '*' && r->gender != gender)
			continue;
		if (r->rlen == 0 && !names_consonant_before(w, len - r->slen))
			continue;
		return r;
	}
	return NULL;
}

/* How the given name w (lower case) is inflected: its rule, or NULL when
 * w is a nominative given name; *found is 0 when w is no given name. The
 * lists as written go first (w, then w with each ending undone), then the
 * Latin keys, which are looser ("Максима" is Maxima's key, but Максим's
 * genitive first). */
static const struct names_rule *
names_given_case(struct extract_names *nm, const struct names_lang *l,
    const char *w, size_t len, int *found, int passes)
{
	const struct names_rule	*r;
	char			 cand[EXTRACT_MAX_NAME + 8];
	char			 key[NAMES_WORD_MAX];
	size_t			 i, clen;
	int			 pass;

	*found = 1;
	if (extract_list_has(&nm->given_forms, w, len))
		return NULL;
	for (pass = 0; pass < passes; pass++) {
		/* A foreign name known only by its Latin spelling
		 * ("Хиллари") is read as it stands before any ending is. */
		if (pass == 1) {
			extract_names_fold(nm, w, len, key);
			if (names_given_key(nm, key))
				return NULL;
		}
		for (i = 0; i < l->nrules; i++) {
			r = &l->rules[i];
			if (!r->given || r->slen >= len ||
			    memcmp(w + len - r->slen, r->suffix, r->slen) != 0)
				continue;
			clen = len - r->slen;
			if (clen + r->rlen >= sizeof cand)
				continue;
			memcpy(cand, w, clen);
			memcpy(cand + clen, r->repl, r->rlen);
			clen += r->rlen;
			if (r->gender != '*' &&
			    names_gender(l, cand, clen) != r->gender)
				continue;
			if (pass == 0 ? extract_list_has(&nm->given_forms, cand,
			    clen) : names_given_lower(nm, cand, clen))
				return r;
		}
	}
	*found = 0;
	return NULL;
}

/* A word of a name: its bytes in the name. */
struct names_word {
	size_t	off;
	size_t	len;
	int	joined;		/* joined to the next word by a hyphen or dash */
};

/* Returns 1 when the code point is a hyphen or dash that joins name parts. */
static int
names_dash(uint32_t cp)
{
	return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* Cuts a name into words: runs of letters, marks and inner apostrophes.
 * A possessive 's ends the last word. Returns the number of words. */
static size_t
names_split(const char *name, size_t len, struct names_word *w, size_t max)
{
	const unsigned char	*s = (const unsigned char *)name;
	size_t			 i = 0, k, n = 0, start = 0;
	uint32_t		 cp;
	int			 in = 0;

	while (i <= len) {
		k = 1;
		cp = ' ';
		if (i < len && (k = util_utf8_decode(s + i, len - i, &cp)) == 0) {
			k = 1;
			cp = ' ';
		}
		if (i < len && (u_isalpha(cp) || u_charType(cp) ==
		    U_NON_SPACING_MARK || ((cp == '\'' || cp == 0x2019) && in &&
		    i + k < len && u_isalpha(s[i + k])))) {
			if (!in)
				start = i;
			in = 1;
			i += k;
			continue;
		}
		if (in && n < max) {
			w[n].off = start;
			w[n].len = i - start;
			w[n].joined = i < len && names_dash(cp);
			n++;
		}
		in = 0;
		i += k;
	}
	/* "Harkin's": the apostrophe was kept inside, so cut it here. */
	if (n > 0 && w[n - 1].len > 3) {
		const char *e = name + w[n - 1].off + w[n - 1].len;

		if (e[-1] == 's' && e[-2] == '\'')
			w[n - 1].len -= 2;
		else if (e[-1] == 's' && w[n - 1].len > 5 &&
		    memcmp(e - 4, "\xe2\x80\x99", 3) == 0)
			w[n - 1].len -= 4;
	}
	return n;
}

/* Returns 1 when the word ends in one of four (two-byte) letters. */
static int
names_ends_any(const char *w, size_t len, const char *a, const char *b,
    const char *c, const char *d)
{
	const char	*e = w + len - 2;

	if (len < 2)
		return 0;
	return memcmp(e, a, 2) == 0 || memcmp(e, b, 2) == 0 ||
	    memcmp(e, c, 2) == 0 || memcmp(e, d, 2) == 0;
}

/*
 * A given name read as a nominative that is also another given name's
 * inflected form ("Александра": Alexandra, or Alexander's genitive): the
 * surname decides. A woman's surname in the nominative never ends in a
 * consonant and -а unless it is -ова, -ева, -ина, -ына or an adjective
 * (-ая), so "Александра Новака" is Alexander Novak's genitive. Returns
 * the rule of that reading, or NULL to keep the nominative.
 */
static const struct names_rule *
names_given_other(struct extract_names *nm, const struct names_lang *l,
    const char *w, size_t len, const char *surname)
{
	static const char *const fem[] = { "ова", "ева", "ина", "ына", "ая",
	    NULL };
	const struct names_rule	*r;
	char			 cand[EXTRACT_MAX_NAME + 8];
	size_t			 i, k, sl = strlen(surname), clen;

	if (sl < 4 || memcmp(surname + sl - 2, "а", 2) != 0 ||
	    !names_consonant_before(surname, sl - 2))
		return NULL;
	for (k = 0; fem[k] != NULL; k++)
		if (sl >= strlen(fem[k]) && strcmp(surname + sl -
		    strlen(fem[k]), fem[k]) == 0)
			return NULL;
	for (i = 0; i < l->nrules; i++) {
		r = &l->rules[i];
		if (!r->given || r->gender != 'm' || r->slen >= len ||
		    memcmp(w + len - r->slen, r->suffix, r->slen) != 0)
			continue;
		clen = len - r->slen;
		memcpy(cand, w, clen);
		memcpy(cand + clen, r->repl, r->rlen);
		clen += r->rlen;
		if (extract_list_has(&nm->given_forms, cand, clen))
			return r;
	}
	return NULL;
}

/* Reads the given name of a name in lang (lower case, words w): sets
 * *kase ("nom" when nominative, NULL when no given name is known) and
 * *gender; returns the rule that brings it to the nominative, or NULL. */
static const struct names_rule *
names_given_read(struct extract_names *nm, const struct names_lang *l,
    const char *low, const struct names_word *w, const char *surname,
    const char **kase, char *gender)
{
	const struct names_rule	*r;
	char			 g[EXTRACT_MAX_NAME + 8];
	size_t			 gl;
	int			 found;

	*kase = NULL;
	*gender = '*';
	r = names_given_case(nm, l, low + w->off, w->len, &found, 2);
	if (!found)
		return NULL;
	if (r == NULL && surname != NULL)
		r = names_given_other(nm, l, low + w->off, w->len, surname);
	if (r == NULL) {
		/* A foreign name that ends in -и, -о, -у, -е ("Энтони",
		 * "Хиллари") has no case of its own to tell the surname's. */
		if (names_consonant_before(low + w->off, w->len) ||
		    names_ends_any(low + w->off, w->len, "а", "я", "й", "ь"))
			*kase = "nom";
		*gender = names_gender(l, low + w->off, w->len);
		return NULL;
	}
	*kase = r->kase;
	gl = w->len - r->slen;
	memcpy(g, low + w->off, gl);
	memcpy(g + gl, r->repl, r->rlen);
	*gender = r->gender != '*' ? r->gender : names_gender(l, g,
	    gl + r->rlen);
	return r;
}

char *
extract_names_nominative(struct extract_names *nm, const char *name,
    size_t len, const char *lang)
{
	const struct names_lang	*l = names_lang(nm, lang);
	const struct names_rule	*r, *gr = NULL;
	struct names_word	 w[NAMES_MAX_WORDS];
	const char		*kase = NULL;
	char			*out, *low, gender = '*';
	size_t			 nw, i, o = 0, at = 0, first = 0;

	if (len > EXTRACT_MAX_NAME)
		len = EXTRACT_MAX_NAME;
	if (l == NULL || l->nrules == 0)
		return xstrndup(name, len);
	low = xstrndup(name, len);
	names_lower(low, len);
	nw = names_split(low, len, w, NAMES_MAX_WORDS);
	while (first < nw && extract_names_particle(nm, low + w[first].off,
	    w[first].len))
		first++;
	if (nw - first >= 2) {
		char *last = xstrndup(low + w[nw - 1].off, w[nw - 1].len);

		gr = names_given_read(nm, l, low, &w[first], last, &kase,
		    &gender);
		free(last);
	}
	out = xmalloc(len * 2 + 1);
	for (i = 0; i < nw; i++) {
		memcpy(out + o, name + at, w[i].off - at);
		o += w[i].off - at;
		r = NULL;
		if (i == first && kase != NULL)
			r = gr;
		else if (i >= first && (kase == NULL ||
		    strcmp(kase, "nom") != 0) && !extract_names_particle(nm,
		    low + w[i].off, w[i].len) && !extract_list_has(&l->fixed,
		    low + w[i].off, w[i].len))
			r = names_rule_find(l, 0, kase, gender, low + w[i].off,
			    w[i].len);
		if (r != NULL) {
			memcpy(out + o, name + w[i].off, w[i].len - r->slen);
			o += w[i].len - r->slen;
			memcpy(out + o, r->repl, r->rlen);
			o += r->rlen;
		} else {
			memcpy(out + o, name + w[i].off, w[i].len);
			o += w[i].len;
		}
		at = w[i].off + w[i].len;
	}
	out[o] = '\0';
	free(low);
	return out;
}

int
extract_names_particle(struct extract_names *nm, const char *folded,
    size_t len)
{
	return extract_list_has(&nm->particles, folded, len);
}

int
extract_names_given(struct extract_names *nm, const char *word, size_t len,
    const char *lang)
{
	const struct names_lang	*l = names_lang(nm, lang);
	char			 low[EXTRACT_MAX_NAME + 1];
	int			 found = 0;

	if (len == 0 || len > EXTRACT_MAX_NAME)
		return 0;
	memcpy(low, word, len);
	low[len] = '\0';
	names_lower(low, len);
	if (l == NULL || l->nrules == 0)
		return names_given_lower(nm, low, len);
	names_given_case(nm, l, low, len, &found, 2);
	return found;
}

int
extract_names_given_listed(struct extract_names *nm, const char *word,
    size_t len, const char *lang)
{
	const struct names_lang	*l = names_lang(nm, lang);
	char			 low[EXTRACT_MAX_NAME + 1];
	int			 found = 0;

	if (len == 0 || len > EXTRACT_MAX_NAME)
		return 0;
	memcpy(low, word, len);
	low[len] = '\0';
	names_lower(low, len);
	if (l == NULL || l->nrules == 0)
		return extract_list_has(&nm->given_forms, low, len);
	names_given_case(nm, l, low, len, &found, 1);
	return found;
}

/*
 * Folds ch in a surname's key form as kh is folded (h; nothing after a
 * vowel), in place, and returns the new length: a Hebrew or German ch is
 * Russian х (Dekel-Chen, Декель-Хен), and an English ch is Russian ч,
 * which BGN writes ch, so both sides of a Churchill, Черчилль still meet. Only
 * in surnames: given names and the name lists are looked up by the fold
 * of extract_names_fold, where ch as h would make Charley a Harley.
 */
static size_t
names_surname_ch(char *s, size_t n)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == 'c' && i + 1 < n && s[i + 1] == 'h') {
			i++;
			if (o > 0 && names_vowel(s[o - 1]))
				continue;
		}
		if (o > 0 && s[o - 1] == s[i])
			continue;
		s[o++] = s[i];
	}
	s[o] = '\0';
	return o;
}

/* The key form of a generational suffix written as word ("Jr", "III"),
 * or NULL when the word is none. */
static const char *
names_suffix(const char *word, size_t len)
{
	size_t	i, k;

	for (i = 0; names_suffixes[i].word != NULL; i++) {
		if (strlen(names_suffixes[i].word) != len)
			continue;
		for (k = 0; k < len; k++)
			if ((word[k] | 0x20) != names_suffixes[i].word[k])
				break;
		if (k == len)
			return names_suffixes[i].key;
	}
	return NULL;
}

/* Appends a key part to buf (cap bytes) at *o. */
static void
names_put(char *buf, size_t cap, size_t *o, const char *s)
{
	size_t	n = strlen(s);

	if (*o + n + 1 > cap)
		n = cap - *o - 1;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

char *
extract_names_key(struct extract_names *nm, const char *name,
    const char *lang)
{
	struct names_word	 w[NAMES_MAX_WORDS];
	char			 f[NAMES_MAX_WORDS][NAMES_WORD_MAX];
	char			 given[NAMES_WORD_MAX * 2] = "";
	char			 surname[NAMES_WORD_MAX * 4] = "";
	char			*nom, *key;
	const char		*suffix = NULL;
	size_t			 nw, n = 0, i, j, o = 0, len, sstart;
	int			 joined[NAMES_MAX_WORDS];

	if (name == NULL)
		return xstrdup("|");
	len = strnlen(name, EXTRACT_MAX_NAME);
	nom = extract_names_nominative(nm, name, len, lang);
	nw = names_split(nom, strlen(nom), w, NAMES_MAX_WORDS);
	if (nw >= 2 && (suffix = names_suffix(nom + w[nw - 1].off,
	    w[nw - 1].len)) != NULL)
		nw--;
	for (i = 0; i < nw; i++) {
		if (extract_names_fold(nm, nom + w[i].off, w[i].len, f[n]) == 0)
			continue;
		if (names_in(names_honorifics, f[n]) && nw > 1)
			continue;
		joined[n] = w[i].joined;
		n++;
	}
	free(nom);
	/* "Abdel Latif", "Abd al-Aziz": one given name. */
	if (n >= 2 && names_in(names_abd, f[0])) {
		char	tmp[NAMES_WORD_MAX + 4];

		i = n >= 3 && names_in(names_articles, f[1]) ? 2 : 1;
		snprintf(tmp, sizeof tmp, "abd%s", f[i]);
		tmp[NAMES_WORD_MAX - 1] = '\0';
		memcpy(f[0], tmp, NAMES_WORD_MAX);
		for (j = i + 1; j < n; j++) {
			memcpy(f[j - i], f[j], NAMES_WORD_MAX);
			joined[j - i] = joined[j];
		}
		n -= i;
	} else if (n >= 1 && strlen(f[0]) > 6) {
		/* "Abdelaziz", "Abdullah" written as one word. */
		for (i = 0; names_abd[i] != NULL; i++) {
			size_t pl = strlen(names_abd[i]);

			if (pl > 3 && strncmp(f[0], names_abd[i], pl) == 0) {
				memmove(f[0] + 3, f[0] + pl,
				    strlen(f[0] + pl) + 1);
				break;
			}
		}
	}
	/* The surname starts at the first particle after the given name, or
	 * is the last word. */
	sstart = n > 0 ? n - 1 : 0;
	for (i = 0; i + 1 < n; i++) {
		int article = names_in(names_articles, f[i]) &&
		    (joined[i] || strcmp(f[i], "al") == 0 ||
		    strcmp(f[i], "el") == 0);
		int particle = 0;

		for (j = 0; names_surname_particles[j].from != NULL; j++)
			if (strcmp(f[i], names_surname_particles[j].from) == 0)
				particle = 1;
		if (article || particle) {
			sstart = i;
			break;
		}
	}
	if (sstart > 0)
		names_put(given, sizeof given, &o, names_canon(nm, f[0]));
	o = 0;
	for (i = sstart; i < n; i++) {
		const char *part = f[i];

		if (i + 1 < n && names_in(names_articles, f[i]) &&
		    (joined[i] || strcmp(f[i], "al") == 0 ||
		    strcmp(f[i], "el") == 0))
			continue;
		for (j = 0; names_surname_particles[j].from != NULL; j++)
			if (i + 1 < n &&
			    strcmp(f[i], names_surname_particles[j].from) == 0)
				part = names_surname_particles[j].to;
		names_put(surname, sizeof surname, &o, part);
	}
	o = names_surname_ch(surname, o);
	if (suffix != NULL && o > 0)
		names_put(surname, sizeof surname, &o, suffix);
	xasprintf(&key, "%s|%s", given, surname);
	return key;
}

/*
 * The consonant skeleton of a key form: consonants as they are, each run
 * of vowels one '.', so "trump" and "tramp" are both "tr.mp".
 */
static void
names_skeleton(const char *s, size_t n, char *out, size_t cap)
{
	size_t	i, o = 0;

	for (i = 0; i < n && o + 1 < cap; i++) {
		if (names_vowel(s[i])) {
			if (o == 0 || out[o - 1] != '.')
				out[o++] = '.';
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
}

/* Levenshtein distance of two short strings, or max + 1 once past max. */
static size_t
names_distance(const char *a, size_t la, const char *b, size_t lb, size_t max)
{
	size_t	row[NAMES_WORD_MAX * 4 + 1], i, j, prev, cur, best;

	if (la > NAMES_WORD_MAX * 4 || lb > NAMES_WORD_MAX * 4)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

/* Returns 1 when the key form ends in a silent -e after a consonant
 * (Fincke: Финк; Mike: Майк), which Latin spellings write and
 * transcriptions do not. */
static int
names_silent_e(const char *s, size_t n)
{
	return n >= 4 && s[n - 1] == 'e' && !names_vowel(s[n - 2]);
}

/* Returns 1 when b is a with one more letter at k, b[k]. */
static int
names_one_more(const char *a, size_t la, const char *b, size_t lb, size_t k)
{
	return lb == la + 1 && k < lb && memcmp(a, b, k) == 0 &&
	    memcmp(a + k, b + k + 1, la - k) == 0;
}

/* The first byte where a and b differ (n bytes compared). */
static size_t
names_common(const char *a, const char *b, size_t n)
{
	size_t	k;

	for (k = 0; k < n && a[k] == b[k]; k++)
		;
	return k;
}

/*
 * Returns 1 when surname b is a with a fleeting vowel: an e or o before
 * the last one or two consonants that the oblique cases drop (Лубинец,
 * Лубинца: lubinets, lubints; Горелок, Горелка). Five letters at least.
 */
static int
names_fleeting(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	k, j;

	if (la < 5 || lb != la + 1)
		return 0;
	k = names_common(a, b, la);
	if (k == 0 || (b[k] != 'e' && b[k] != 'o') ||
	    !names_one_more(a, la, b, lb, k) || names_vowel(b[k - 1]))
		return 0;
	if (lb - k - 1 < 1 || lb - k - 1 > 2)
		return 0;
	for (j = k + 1; j < lb; j++)
		if (names_vowel(b[j]))
			return 0;
	return 1;
}

/*
 * Returns 1 when two surname (or given name) key forms are one name:
 * equal; vowels apart only, by one letter (two from seven letters on), in
 * names of four letters or more; one letter apart in names of nine; a
 * silent -e apart (Fincke, Финк); or a fleeting vowel apart.
 */
static int
names_part_match(const char *a, size_t la, const char *b, size_t lb)
{
	char	sa[NAMES_WORD_MAX * 4], sb[NAMES_WORD_MAX * 4];
	size_t	shortest = la < lb ? la : lb;

	if (la == lb && memcmp(a, b, la) == 0)
		return 1;
	/* The first letter always agrees: the registry finds a person by
	 * it (store/registry.c). */
	if (shortest < 4 || a[0] != b[0])
		return 0;
	if ((lb == la + 1 && names_silent_e(b, lb) && memcmp(a, b, la) == 0) ||
	    (la == lb + 1 && names_silent_e(a, la) && memcmp(a, b, lb) == 0))
		return 1;
	if (names_fleeting(a, la, b, lb) || names_fleeting(b, lb, a, la))
		return 1;
	names_skeleton(a, la, sa, sizeof sa);
	names_skeleton(b, lb, sb, sizeof sb);
	if (strcmp(sa, sb) == 0 &&
	    names_distance(a, la, b, lb, shortest >= 7 ? 2 : 1) <=
	    (shortest >= 7 ? 2u : 1u))
		return 1;
	return shortest >= 9 && names_distance(a, la, b, lb, 1) <= 1;
}

/*
 * Returns 1 when surname a is b with a Russian case ending the rules
 * could not undo, as a surname written alone keeps it: "harkina",
 * "harkin"; "putine", "putin"; "trufanovoi", "trufanof" (whose -v the
 * fold made -f).
 */
static int
names_plus_case(const char *a, size_t la, const char *b, size_t lb)
{
	static const char *const tails[] = {
		"a", "u", "e", "om", "em", "im", "oi", "ei", NULL
	};
	size_t	i, tl;

	for (i = 0; tails[i] != NULL; i++) {
		tl = strlen(tails[i]);
		if (la != lb + tl || memcmp(a + lb, tails[i], tl) != 0 ||
		    memcmp(a, b, lb - 1) != 0)
			continue;
		if (a[lb - 1] == b[lb - 1] || (a[lb - 1] == 'v' &&
		    b[lb - 1] == 'f'))
			return 1;
	}
	return 0;
}

/*
 * Returns 1 when two given-name key forms are one name (canonical forms
 * already): equal; one an initial of the other; long names as surnames
 * are; or a vowel apart where one writes two vowels for the other's one
 * (Mike, Майк: mik(e), maik; Keith, Кит), first and last letters equal,
 * four letters at least. A vowel written for another (Dana, Dina; Maria,
 * Mario; Tamar, Tamir) is a different name.
 */
static int
names_given_match(const char *a, size_t la, const char *b, size_t lb)
{
	char	sa[NAMES_WORD_MAX * 2], sb[NAMES_WORD_MAX * 2];
	size_t	k;

	if (la == lb && memcmp(a, b, la) == 0)
		return 1;
	if ((la == 1 || lb == 1) && a[0] == b[0])
		return 1;
	if (la >= 6 && lb >= 6 && names_part_match(a, la, b, lb))
		return 1;
	if (la < 4 || lb < 4)
		return 0;
	if (names_silent_e(a, la))
		la--;
	if (names_silent_e(b, lb))
		lb--;
	if (la == lb && memcmp(a, b, la) == 0)
		return 1;
	if (la > lb) {
		const char *t = a;

		a = b;
		b = t;
		k = la;
		la = lb;
		lb = k;
	}
	if (la < 3 || lb != la + 1 || a[0] != b[0] || a[la - 1] != b[lb - 1])
		return 0;
	k = names_common(a, b, la);
	if (!names_vowel(b[k]) || !names_one_more(a, la, b, lb, k))
		return 0;
	names_skeleton(a, la, sa, sizeof sa);
	names_skeleton(b, lb, sb, sizeof sb);
	return strcmp(sa, sb) == 0;
}

enum extract_name_match
extract_name_compare(const char *key_a, const char *key_b)
{
	const char	*ba, *bb, *sa, *sb;
	size_t		 ga, gb, la, lb;

	if (key_a == NULL || key_b == NULL ||
	    (ba = strchr(key_a, '|')) == NULL ||
	    (bb = strchr(key_b, '|')) == NULL)
		return EXTRACT_NAME_DIFFERENT;
	ga = ba - key_a;
	gb = bb - key_b;
	sa = ba + 1;
	sb = bb + 1;
	la = strlen(sa);
	lb = strlen(sb);
	if (la == 0 || lb == 0)
		return EXTRACT_NAME_DIFFERENT;
	if (!names_part_match(sa, la, sb, lb)) {
		/* Харкина, Путине alone: a case ending, or a woman's name;
		 * let it meet the man's when one side has no given name. */
		if (ga != 0 && gb != 0)
			return EXTRACT_NAME_DIFFERENT;
		if (la < 5 || lb < 5 || !(names_plus_case(sa, la, sb, lb) ||
		    names_plus_case(sb, lb, sa, la)))
			return EXTRACT_NAME_DIFFERENT;
	}
	if (ga == 0 || gb == 0)
		return EXTRACT_NAME_SURNAME;
	if (names_given_match(key_a, ga, key_b, gb))
		return EXTRACT_NAME_SAME;
	return EXTRACT_NAME_DIFFERENT;
}

/* Words of a name as names_split cuts it. */
static size_t
names_count_words(const char *s)
{
	struct names_word	w[NAMES_MAX_WORDS];

	return names_split(s, strnlen(s, EXTRACT_MAX_NAME), w,
	    NAMES_MAX_WORDS);
}

/* Returns 1 when s is written in Latin letters: no lead byte beyond the
 * two-byte Latin and IPA blocks, but for punctuation (U+2000-U+206F). */
static int
names_is_latin(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	for (; *u != '\0'; u++) {
		if (*u >= 0xca && *u < 0xe2)
			return 0;
		if (*u == 0xe2 && u[1] != 0x80 && u[1] != 0x81)
			return 0;
		if (*u > 0xe2)
			return 0;
	}
	return 1;
}

int
extract_name_better(const char *a, const char *b)
{
	size_t	wa, wb;
	int	la, lb;

	if (a == NULL)
		return 0;
	if (b == NULL)
		return 1;
	wa = names_count_words(a);
	wb = names_count_words(b);
	if (wa != wb)
		return wa > wb;
	la = names_is_latin(a);
	lb = names_is_latin(b);
	return la && !lb;
}

/* Loads the [inflection] rules of a cue file: lines
 * "given|surname case gender suffix ending" ("-" for no ending). */
static void
names_load_rules(struct names_lang *l, const char *file)
{
	struct extract_list	 lines;
	struct names_rule	*r;
	char			*p, *word[5];
	size_t			 i, k;

	memset(&lines, 0, sizeof lines);
	if (extract_list_load(&lines, file, "inflection", NULL) != 0)
		return;
	l->rules = xreallocarray(NULL, lines.count + 1, sizeof *l->rules);
	for (i = 0; i < lines.count; i++) {
		p = lines.entries[i];
		for (k = 0; k < 5 && p != NULL; k++) {
			word[k] = p;
			if ((p = strchr(p, ' ')) != NULL)
				*p++ = '\0';
		}
		if (k < 5 || strlen(word[1]) != 3)
			continue;
		r = &l->rules[l->nrules++];
		r->given = strcmp(word[0], "given") == 0;
		memcpy(r->kase, word[1], 4);
		r->gender = word[2][0] == 'm' || word[2][0] == 'f' ?
		    word[2][0] : '*';
		r->suffix = xstrdup(word[3]);
		r->slen = strlen(r->suffix);
		r->repl = xstrdup(strcmp(word[4], "-") == 0 ? "" : word[4]);
		r->rlen = strlen(r->repl);
	}
	extract_list_clear(&lines);
}

/* Orders ending rules: longest suffix first, so the most telling wins. */
static int
names_rule_cmp(const void *a, const void *b)
{
	const struct names_rule	*ra = a, *rb = b;

	if (ra->slen != rb->slen)
		return ra->slen > rb->slen ? -1 : 1;
	/* Of two readings of one ending ("Александру": Alexander's dative
	 * or Alexandra's accusative), the man's is tried first. */
	if (ra->gender != rb->gender)
		return ra->gender == 'm' ? -1 : rb->gender == 'm' ? 1 :
		    ra->gender == '*' ? -1 : 1;
	return strcmp(ra->suffix, rb->suffix);
}

/* Adds the key form of every entry of list to the given-name keys. */
static void
names_add_given(struct extract_names *nm, const struct extract_list *list)
{
	char	key[NAMES_WORD_MAX];
	size_t	i;

	nm->given = xreallocarray(nm->given, nm->ngiven + list->count,
	    sizeof *nm->given);
	for (i = 0; i < list->count; i++) {
		if (extract_names_fold(nm, list->entries[i],
		    strlen(list->entries[i]), key) > 1)
			nm->given[nm->ngiven++] = xstrdup(key);
	}
}

/* Loads data/given-name-equivalents.txt: each line's spellings map to the
 * key form of its first. */
static int
names_load_canon(struct extract_names *nm, char **cause)
{
	const struct extract_file	*f;
	const char			*p, *end, *eol, *q, *sp;
	char				 key[NAMES_WORD_MAX], first[NAMES_WORD_MAX];
	struct extract_list		 words;
	size_t				 i;

	if ((f = extract_file_find("data/given-name-equivalents.txt")) ==
	    NULL) {
		xasprintf(cause, "no built-in data/given-name-equivalents.txt");
		return -1;
	}
	memset(&words, 0, sizeof words);
	end = (const char *)f->data + f->len;
	for (p = (const char *)f->data; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			eol = end;
		if (p == eol || *p == '#')
			continue;
		first[0] = '\0';
		for (q = p; q < eol; q = sp + 1) {
			if ((sp = memchr(q, ' ', eol - q)) == NULL)
				sp = eol;
			if (sp == q ||
			    extract_names_fold(nm, q, sp - q, key) == 0)
				continue;
			if (first[0] == '\0')
				memcpy(first, key, sizeof first);
			nm->canon = xreallocarray(nm->canon, nm->ncanon + 1,
			    sizeof *nm->canon);
			nm->canon[nm->ncanon].from = xstrdup(key);
			nm->canon[nm->ncanon].to = xstrdup(first);
			nm->ncanon++;
			nm->given = xreallocarray(nm->given, nm->ngiven + 1,
			    sizeof *nm->given);
			nm->given[nm->ngiven++] = xstrdup(key);
		}
	}
	if (nm->ncanon > 0)
		qsort(nm->canon, nm->ncanon, sizeof *nm->canon,
		    names_canon_cmp);
	/* A spelling in two groups is a mistake of the file. */
	for (i = 0; i + 1 < nm->ncanon; i++) {
		if (strcmp(nm->canon[i].from, nm->canon[i + 1].from) == 0 &&
		    strcmp(nm->canon[i].to, nm->canon[i + 1].to) != 0)
			log_debug("given name %s in two groups",
			    nm->canon[i].from);
	}
	return 0;
}

/* Opens one transliterator by its ICU id. */
static UTransliterator *
names_open(const char *id, char **cause)
{
	UChar			 u[64];
	UErrorCode		 err = U_ZERO_ERROR;
	UTransliterator		*tr;

	u_uastrcpy(u, id);
	tr = utrans_openU(u, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
	if (U_FAILURE(err)) {
		xasprintf(cause, "ICU transliterator %s: %s", id,
		    u_errorName(err));
		return NULL;
	}
	return tr;
}

struct extract_names *
extract_names_new(char **cause)
{
	struct extract_names	*nm;
	struct names_lang	*l;
	char			 file[64];
	size_t			 i, n;

	nm = xcalloc(1, sizeof *nm);
	if ((nm->bgn = names_open("Russian-Latin/BGN", cause)) == NULL ||
	    (nm->latin = names_open("Any-Latin; Latin-ASCII", cause)) == NULL ||
	    names_load_canon(nm, cause) != 0 ||
	    extract_list_load(&nm->given_forms, "data/given-names.txt",
	    "given", cause) != 0)
		goto fail;
	for (i = 0; extract_languages[i] != NULL && i < 8; i++) {
		snprintf(file, sizeof file, "cues/people-%s.txt",
		    extract_languages[i]);
		if (extract_list_load(&nm->given_forms, file, "given-names",
		    cause) != 0 || extract_list_load(&nm->particles, file,
		    "particles", cause) != 0)
			goto fail;
		l = &nm->langs[nm->nlangs++];
		l->code = extract_languages[i];
		extract_list_load(&l->masculine, file, "masculine-given", NULL);
		extract_list_load(&l->fixed, file, "nominative-surnames", NULL);
		names_load_rules(l, file);
		if (l->nrules > 0)
			qsort(l->rules, l->nrules, sizeof *l->rules,
			    names_rule_cmp);
	}
	names_add_given(nm, &nm->given_forms);
	qsort(nm->given, nm->ngiven, sizeof *nm->given, names_strcmp);
	for (i = 0, n = 0; i < nm->ngiven; i++) {
		if (n > 0 && strcmp(nm->given[n - 1], nm->given[i]) == 0) {
			free(nm->given[i]);
			continue;
		}
		nm->given[n++] = nm->given[i];
	}
	nm->ngiven = n;
	return nm;
fail:
	extract_names_free(nm);
	return NULL;
}

void
extract_names_free(struct extract_names *nm)
{
	size_t	i, j;

	if (nm == NULL)
		return;
	for (i = 0; i < nm->nlangs; i++) {
		for (j = 0; j < nm->langs[i].nrules; j++) {
			free(nm->langs[i].rules[j].suffix);
			free(nm->langs[i].rules[j].repl);
		}
		free(nm->langs[i].rules);
		extract_list_clear(&nm->langs[i].masculine);
		extract_list_clear(&nm->langs[i].fixed);
	}
	for (i = 0; i < nm->ncanon; i++) {
		free(nm->canon[i].from);
		free(nm->canon[i].to);
	}
	free(nm->canon);
	for (i = 0; i < nm->ngiven; i++)
		free(nm->given[i]);
	free(nm->given);
	extract_list_clear(&nm->given_forms);
	extract_list_clear(&nm->particles);
	if (nm->bgn != NULL)
		utrans_close(nm->bgn);
	if (nm->latin != NULL)
		utrans_close(nm->latin);
	free(nm);
}
