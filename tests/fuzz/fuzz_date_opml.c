/* fuzz_date_opml.c: libFuzzer target for parse_date and parse_opml (and the OPML writer on what was read). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "parse/parse.h"

/*
 * Built like fuzz_parse.c (see README.md), with this file instead. The
 * first byte picks the parser: even for parse_date (on the bytes up to the
 * first NUL), odd for parse_opml, whose result is written back as OPML and
 * must parse again to as many feeds.
 */
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml_outline *o, *again;
	size_t n, n2;
	char *text, *cause = NULL, *doc;
	int64_t t;

	if (size == 0)
		return 0;
	if (data[0] % 2 == 0) {
		text = xstrndup((const char *)data + 1, size - 1);
		t = parse_date(text);
		if (t < -1)
			abort();
		free(text);
		return 0;
	}
	if (parse_opml((const char *)data + 1, size - 1, &o, &n, &cause) != 0) {
		free(cause);
		return 0;
	}
	doc = parse_opml_write(o, n, "fuzz");
	if (parse_opml(doc, strlen(doc), &again, &n2, &cause) != 0 || n2 != n)
		abort();
	parse_opml_free(again, n2);
	parse_opml_free(o, n);
	free(doc);
	return 0;
}
