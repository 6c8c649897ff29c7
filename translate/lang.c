/* translate/lang.c: ISO 639-1 language codes to the ISO 639-3 codes Apertium names its pairs with. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "translate/backend.h"

/* Every ISO 639-1 code with its ISO 639-3 (639-2/T) code, sorted by the
 * first for bsearch. Apertium uses these ("nob", "hbs", "fra", "deu"). */
static const struct lang_code {
	char	two[3];
	char	three[4];
} lang_codes[] = {
	{ "aa", "aar" }, { "ab", "abk" }, { "ae", "ave" }, { "af", "afr" },
	{ "ak", "aka" }, { "am", "amh" }, { "an", "arg" }, { "ar", "ara" },
	{ "as", "asm" }, { "av", "ava" }, { "ay", "aym" }, { "az", "aze" },
	{ "ba", "bak" }, { "be", "bel" }, { "bg", "bul" }, { "bi", "bis" },
	{ "bm", "bam" }, { "bn", "ben" }, { "bo", "bod" }, { "br", "bre" },
	{ "bs", "bos" }, { "ca", "cat" }, { "ce", "che" }, { "ch", "cha" },
	{ "co", "cos" }, { "cr", "cre" }, { "cs", "ces" }, { "cu", "chu" },
	{ "cv", "chv" }, { "cy", "cym" }, { "da", "dan" }, { "de", "deu" },
	{ "dv", "div" }, { "dz", "dzo" }, { "ee", "ewe" }, { "el", "ell" },
	{ "en", "eng" }, { "eo", "epo" }, { "es", "spa" }, { "et", "est" },
	{ "eu", "eus" }, { "fa", "fas" }, { "ff", "ful" }, { "fi", "fin" },
	{ "fj", "fij" }, { "fo", "fao" }, { "fr", "fra" }, { "fy", "fry" },
	{ "ga", "gle" }, { "gd", "gla" }, { "gl", "glg" }, { "gn", "grn" },
	{ "gu", "guj" }, { "gv", "glv" }, { "ha", "hau" }, { "he", "heb" },
	{ "hi", "hin" }, { "ho", "hmo" }, { "hr", "hrv" }, { "ht", "hat" },
	{ "hu", "hun" }, { "hy", "hye" }, { "hz", "her" }, { "ia", "ina" },
	{ "id", "ind" }, { "ie", "ile" }, { "ig", "ibo" }, { "ii", "iii" },
	{ "ik", "ipk" }, { "io", "ido" }, { "is", "isl" }, { "it", "ita" },
	{ "iu", "iku" }, { "ja", "jpn" }, { "jv", "jav" }, { "ka", "kat" },
	{ "kg", "kon" }, { "ki", "kik" }, { "kj", "kua" }, { "kk", "kaz" },
	{ "kl", "kal" }, { "km", "khm" }, { "kn", "kan" }, { "ko", "kor" },
	{ "kr", "kau" }, { "ks", "kas" }, { "ku", "kur" }, { "kv", "kom" },
	{ "kw", "cor" }, { "ky", "kir" }, { "la", "lat" }, { "lb", "ltz" },
	{ "lg", "lug" }, { "li", "lim" }, { "ln", "lin" }, { "lo", "lao" },
	{ "lt", "lit" }, { "lu", "lub" }, { "lv", "lav" }, { "mg", "mlg" },
	{ "mh", "mah" }, { "mi", "mri" }, { "mk", "mkd" }, { "ml", "mal" },
	{ "mn", "mon" }, { "mr", "mar" }, { "ms", "msa" }, { "mt", "mlt" },
	{ "my", "mya" }, { "na", "nau" }, { "nb", "nob" }, { "nd", "nde" },
	{ "ne", "nep" }, { "ng", "ndo" }, { "nl", "nld" }, { "nn", "nno" },
	{ "no", "nor" }, { "nr", "nbl" }, { "nv", "nav" }, { "ny", "nya" },
	{ "oc", "oci" }, { "oj", "oji" }, { "om", "orm" }, { "or", "ori" },
	{ "os", "oss" }, { "pa", "pan" }, { "pi", "pli" }, { "pl", "pol" },
	{ "ps", "pus" }, { "pt", "por" }, { "qu", "que" }, { "rm", "roh" },
	{ "rn", "run" }, { "ro", "ron" }, { "ru", "rus" }, { "rw", "kin" },
	{ "sa", "san" }, { "sc", "srd" }, { "sd", "snd" }, { "se", "sme" },
	{ "sg", "sag" }, { "sh", "hbs" }, { "si", "sin" }, { "sk", "slk" },
	{ "sl", "slv" }, { "sm", "smo" }, { "sn", "sna" }, { "so", "som" },
	{ "sq", "sqi" }, { "sr", "srp" }, { "ss", "ssw" }, { "st", "sot" },
	{ "su", "sun" }, { "sv", "swe" }, { "sw", "swa" }, { "ta", "tam" },
	{ "te", "tel" }, { "tg", "tgk" }, { "th", "tha" }, { "ti", "tir" },
	{ "tk", "tuk" }, { "tl", "tgl" }, { "tn", "tsn" }, { "to", "ton" },
	{ "tr", "tur" }, { "ts", "tso" }, { "tt", "tat" }, { "tw", "twi" },
	{ "ty", "tah" }, { "ug", "uig" }, { "uk", "ukr" }, { "ur", "urd" },
	{ "uz", "uzb" }, { "ve", "ven" }, { "vi", "vie" }, { "vo", "vol" },
	{ "wa", "wln" }, { "wo", "wol" }, { "xh", "xho" }, { "yi", "yid" },
	{ "yo", "yor" }, { "za", "zha" }, { "zh", "zho" }, { "zu", "zul" },
};

/* Orders a two-letter key against a table entry. */
static int
lang_cmp(const void *key, const void *entry)
{
	const struct lang_code *l = entry;

	return strcmp(key, l->two);
}

/* Looks the code's language (before any "-" or "_" region) up. */
const char *
translate_lang3(const char *code)
{
	const struct lang_code *l;
	char key[3];
	size_t n;

	if (code == NULL)
		return NULL;
	n = strcspn(code, "-_");
	if (n == 3 && islower((unsigned char)code[0]) &&
	    islower((unsigned char)code[1]) && islower((unsigned char)code[2]))
		return code[3] == '\0' ? code : NULL;
	if (n != 2)
		return NULL;
	key[0] = tolower((unsigned char)code[0]);
	key[1] = tolower((unsigned char)code[1]);
	key[2] = '\0';
	l = bsearch(key, lang_codes, sizeof lang_codes / sizeof lang_codes[0],
	    sizeof lang_codes[0], lang_cmp);
	return l != NULL ? l->three : NULL;
}
