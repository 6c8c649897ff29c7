/* extract/extract.h: the people and claims of a story's text, the name keys that make spellings of one person one, and whether a claim is new. */
#ifndef WW_EXTRACT_H
#define WW_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

/*
 * No neural model runs here, so extraction is what works in news text:
 * capitalised name sequences with their particles, given-name lists,
 * role and title cues, reporting verbs, apposition; organisations, outlets
 * and places ruled out by gazetteers (ICU's locale data for countries and
 * cities, cue tables for the rest). A language is a table of cues
 * (extract/cues/), not code: English and Russian have tables.
 */
struct extractor;

/* Bounds of one text's result. */
#define EXTRACT_MAX_PEOPLE	256
#define EXTRACT_MAX_CLAIMS	256
#define EXTRACT_MAX_VARIANTS	16
#define EXTRACT_MAX_FIGURES	16
/* A name longer than this (bytes) is not a name. */
#define EXTRACT_MAX_NAME	160

/* Loads the built-in cue tables and given-name lists and opens the ICU
 * transliterators. Returns NULL and *cause when ICU cannot. One per
 * process; not thread-safe (the daemon has one thread). */
struct extractor	*extractor_new(char **cause);
void			 extractor_free(struct extractor *);
/* Returns 1 when lang (ISO 639-1) has cue tables. */
int			 extractor_has_language(const struct extractor *,
			    const char *lang);

/* A person named in a text: its mentions joined ("Maxim Kharkin" ...
 * "Harkin" ... "Harkin's"). Strings are owned by the result. */
struct extract_person {
	char	 *name;		/* the fullest form written, e.g. "Maxim Kharkin";
				   Russian inflected forms brought to the
				   nominative where the rules can tell */
	char	**variants;	/* each distinct spelling as written (name
				   first), possessive 's cut */
	size_t	  nvariants;	/* at most EXTRACT_MAX_VARIANTS */
	char	 *key;		/* extract_name_key of name; a given name
				   alone named beside a kinsman ("Eitan Horn,
				   whose brother Iair") has the kinsman's
				   surname: "iair|horn" */
	char	 *evidence;	/* the sentence of the first mention */
	int	  mentions;
};

/* A claim: one sentence that attributes a statement to a source or states
 * a figure about the topic. */
struct extract_claim {
	char	 *text;		/* the sentence as written */
	char	 *speaker;	/* a person's fullest name or an organisation,
				   as written; NULL for a bare figure */
	char	 *speaker_key;	/* the name key when the speaker is a person */
	char	 *source;	/* the source cited: "the Times of Israel",
				   "sources in the Asharq Al-Awsat newspaper";
				   NULL for none */
	char	**figures;	/* normalised: "1800", "2 months", "50 days",
				   "2025-03-12", "2023-09", "200 per 1", "12%" */
	size_t	  nfigures;	/* at most EXTRACT_MAX_FIGURES */
	char	 *terms;	/* content terms, sorted, unique, space
				   separated: concept ids shared by every
				   language ("RELEASE"), folded stems of other
				   content words, name keys of the people named
				   ("@harkin"), the speaker's ("$HAMAS",
				   "$zaharova") and the words around each figure
				   ("#1800=PALESTINE,PRISONER,RELEASE", the
				   figure's spaces as '_') */
};

struct extract_result {
	struct extract_person	*people;
	size_t			 npeople;
	struct extract_claim	*claims;
	size_t			 nclaims;
};

/* Extracts the people and claims of a story written in lang: title (may be
 * NULL) and text are read as one text, the title its first sentence. year
 * completes dates written without one ("March 12"). A language without
 * cue tables gives an empty result. Text past TEXT_MAX_BYTES is not read.
 * Fills *out (zeroed first; release with extract_result_clear). */
void	 extract_story(struct extractor *, const char *lang, const char *title,
	    const char *text, int year, struct extract_result *out);
void	 extract_result_clear(struct extract_result *);

/*
 * Name keys. A key is "given|surname" in a Latin skeleton: Cyrillic (and
 * other scripts) transliterated by ICU (Russian-Latin/BGN, Any-Latin),
 * Russian case endings undone, the usual variant spellings folded (kh/h,
 * ks/x, ou/u, doubled letters, -ff/-v, al-/el- particles dropped, Abu and
 * bin kept as part of the surname), the given name replaced by its
 * canonical form (Maxim/Maksim/Максим, Mohammed/Muhammad). given is empty
 * when only a surname was written: "|harkin". A generational suffix
 * follows the surname: "donald|trump-jr" (Sr. is dropped).
 */
/* The key of a person's name as written in lang. Caller frees. */
char	*extract_name_key(struct extractor *, const char *name,
	    const char *lang);

/* How two keys relate. */
enum extract_name_match {
	EXTRACT_NAME_DIFFERENT = 0,
	EXTRACT_NAME_SURNAME,	/* same surname, one key has no given name */
	EXTRACT_NAME_SAME,	/* same given name and surname */
};
/* Compares two keys: surnames equal, or within a small edit distance for
 * long ones (and a silent -e, a fleeting vowel, a Russian case ending on
 * a surname alone); given names equal, one an initial of the other, a
 * vowel pair for one vowel (Mike, Майк), or one missing. Distinct people
 * sharing a surname (Bill and Hillary Clinton) are DIFFERENT. */
enum extract_name_match	 extract_name_compare(const char *key_a,
			    const char *key_b);
/* Returns 1 when name a is the better display form of a person than b:
 * more of the name written (given name and surname over a surname), then
 * Latin script over others. */
int	 extract_name_better(const char *a, const char *b);

/*
 * Novelty of claims. A claim already seen under a watch — the same figures
 * and substantially the same content, however reworded or translated — is
 * a repeat. A claim about the same subject with a different figure of the
 * same kind revises the earlier one.
 */
enum extract_novelty {
	EXTRACT_CLAIM_NEW = 0,
	EXTRACT_CLAIM_REPEAT,
	EXTRACT_CLAIM_REVISES,
};

/* A claim as the registry stores it: figures and terms are the space
 * separated forms (figures joined with '\t', since a figure holds spaces). */
struct extract_claim_key {
	const char	*figures;	/* "" for none */
	const char	*terms;
	const char	*speaker_key;	/* NULL for none */
	const char	*lang;
};

/* The figures of c joined with '\t' as extract_claim_key wants them.
 * Caller frees. */
char	*extract_claim_figures_join(const struct extract_claim *);
/* How claim a relates to an earlier claim b. */
enum extract_novelty	 extract_claim_compare(const struct extract_claim_key *a,
			    const struct extract_claim_key *b);
/* How claim a relates to the n known claims, oldest first: a repeat of
 * any of them, else a revision of the newest it revises, else new. *which
 * is the index of the claim repeated or revised. */
enum extract_novelty	 extract_claim_novelty(const struct extract_claim_key *a,
			    const struct extract_claim_key *known, size_t n,
			    size_t *which);

#endif
