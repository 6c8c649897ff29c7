/* extract/names.h: what people.c takes from name.c beyond the contract — one word's key form, given names, Russian case endings undone. */
#ifndef WW_EXTRACT_NAMES_H
#define WW_EXTRACT_NAMES_H

#include <stddef.h>

#include "extract/extract_internal.h"

/* Bytes of one word's key form, NUL included; a longer form is cut. */
#define NAMES_WORD_MAX	64

/* The languages that have cue tables (cues/people-<code>.txt); NULL ends
 * the list. A new language is a new pair of cue files and a line here. */
extern const char *const extract_languages[];

/* The key form of one word of any script (see extract.h: transliterated,
 * variant spellings folded) into out (NAMES_WORD_MAX bytes). Returns its
 * length, 0 when the word has no letter. */
size_t	 extract_names_fold(struct extract_names *, const char *word,
	    size_t len, char *out);
/* Returns 1 when the word as written (any case, any script) is a given
 * name of the lists, or, in lang, an inflected form of one ("Максима"). */
int	 extract_names_given(struct extract_names *, const char *word,
	    size_t len, const char *lang);
/* The same, from the lists as written only, without the looser lookup by
 * Latin key form ("России" would meet some Rosia there). */
int	 extract_names_given_listed(struct extract_names *, const char *word,
	    size_t len, const char *lang);
/* The name with the case endings of lang undone where the rules can tell
 * ("Марии Захаровой" → "Мария Захарова"); other words as written. Caller
 * frees. */
char	*extract_names_nominative(struct extract_names *, const char *name,
	    size_t len, const char *lang);
/* Returns 1 when the word (folded, lower case) is a name particle of some
 * language ("al", "bin", "abu", "van", "аль"). */
int	 extract_names_particle(struct extract_names *, const char *folded,
	    size_t len);

#endif
