/* fuzz_html.c: libFuzzer target holding parse_html_to_text's shortcut to libxml2's reading of the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "parse/parse.h"
#include "parse/parse_internal.h"

/*
 * Built like fuzz_parse.c (see README.md), with this file in its place.
 * Any difference between the two readings aborts with both texts shown.
 */
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fast, *slow;

	fast = parse_html_to_text((const char *)data, size);
	slow = parse_html_to_text_libxml2((const char *)data, size);
	if (strcmp(fast, slow) != 0) {
		fprintf(stderr, "shortcut: [%s]\nlibxml2:  [%s]\n", fast, slow);
		abort();
	}
	free(fast);
	free(slow);
	return 0;
}
