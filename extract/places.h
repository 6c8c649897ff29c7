/* extract/places.h: the gazetteer of places that ICU's locale data gives (places.c). */
#ifndef WW_EXTRACT_PLACES_H
#define WW_EXTRACT_PLACES_H

#include "extract/extract_internal.h"

/* Appends to list, folded and unsorted, the places ICU names in lang:
 * countries and regions, and the cities of the time zones. */
void	 extract_places_load(struct extract_list *list, const char *lang);

#endif
