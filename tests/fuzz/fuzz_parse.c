/* fuzz_parse.c: libFuzzer target feeding arbitrary bytes to parse_feed (RSS, Atom, RDF, JSON Feed). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The first byte picks a Content-Type, so that the HTTP charset path is
 * fuzzed as well as the declaration and byte order mark paths; small
 * limits make the bounds reachable with small inputs. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *types[] = {
		NULL,
		"application/rss+xml; charset=windows-1251",
		"text/xml; charset=\"utf-16\"",
		"application/atom+xml; charset=iso-8859-1",
		"text/xml; charset=bogus",
		"application/json",
	};
	struct parse_limits limits = { 50, 4096, 32 };
	struct parsed_feed *feed = NULL;
	const char *type;
	char *cause = NULL;
	size_t i;

	if (size == 0)
		return 0;
	type = types[data[0] % (sizeof types / sizeof types[0])];
	if (parse_feed((const char *)data + 1, size - 1,
	    "https://fuzz.example/feed.xml", type, &limits, &feed,
	    &cause) == 0) {
		/* Touch every string: each must be NUL terminated. */
		for (i = 0; i < feed->nitems; i++) {
			if (strlen(feed->items[i].id) == 0 ||
			    strlen(feed->items[i].title) > limits.max_field * 2)
				abort();
		}
		parse_feed_free(feed);
	} else
		free(cause);
	return 0;
}
