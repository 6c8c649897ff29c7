/* extract/places.c: place names from ICU's locale data — countries, regions and time-zone cities, in the language of the text. */
#include <stdio.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/udata.h>
#include <unicode/uenum.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "extract/places.h"

/* Appends a UTF-16 name to a list (the list is sorted later). */
static void
places_add_u16(struct extract_list *list, const UChar *s, int32_t n)
{
	char		 buf[256], *f;
	UErrorCode	 err = U_ZERO_ERROR;
	int32_t		 len;

	u_strToUTF8(buf, sizeof buf, &len, s, n, &err);
	if (U_FAILURE(err) || len <= 0 || (size_t)len >= sizeof buf)
		return;
	f = text_fold(buf, len);
	extract_list_append(list, f);
}

/* Adds every string of a resource table (a name per key) to list; for a
 * zone table, each zone's exemplar city. */
static void
places_add_table(struct extract_list *list, const char *tree,
    const char *lang, const char *table, int zones)
{
	UResourceBundle	*b, *t, *r = NULL;
	UErrorCode	 err = U_ZERO_ERROR, e2;
	const UChar	*s;
	int32_t		 n;

	b = ures_open(tree, lang, &err);
	t = ures_getByKey(b, table, NULL, &err);
	while (U_SUCCESS(err) && ures_hasNext(t)) {
		r = ures_getNextResource(t, r, &err);
		e2 = U_ZERO_ERROR;
		if (zones && ures_getType(r) == URES_TABLE)
			s = ures_getStringByKey(r, "ec", &n, &e2);
		else if (!zones && ures_getType(r) == URES_STRING)
			s = ures_getString(r, &n, &e2);
		else
			continue;
		if (U_SUCCESS(e2))
			places_add_u16(list, s, n);
	}
	ures_close(r);
	ures_close(t);
	ures_close(b);
}

/*
 * Places from ICU's locale data in lang: the names of countries and
 * regions ("Qatar", "Катар"; "Middle East" is none of ICU's, so the cue
 * tables add it), the cities of the time zones ("Gaza", "Moscow") from
 * the zone identifiers, and their localised exemplar cities ("Москва").
 * Why ICU: it is already linked, is kept current, and names places in
 * every language it knows.
 */
void
extract_places_load(struct extract_list *list, const char *lang)
{
	UEnumeration	*zones;
	UErrorCode	 err = U_ZERO_ERROR;
	const char	*id, *city;
	char		 buf[128];
	size_t		 i;
	int32_t		 len;

	places_add_table(list, U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "region",
	    lang, "Countries", 0);
	places_add_table(list, U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "region",
	    lang, "Countries%short", 0);
	places_add_table(list, U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "zone",
	    lang, "zoneStrings", 1);
	if (strcmp(lang, "en") != 0)
		return;
	zones = ucal_openTimeZones(&err);
	while (U_SUCCESS(err) && (id = uenum_next(zones, &len, &err)) != NULL) {
		if ((city = strrchr(id, '/')) == NULL || strncmp(id, "Etc/", 4) == 0)
			continue;
		snprintf(buf, sizeof buf, "%s", city + 1);
		for (i = 0; buf[i] != '\0'; i++)
			if (buf[i] == '_')
				buf[i] = ' ';
		extract_list_append(list, text_fold(buf, strlen(buf)));
	}
	uenum_close(zones);
}
