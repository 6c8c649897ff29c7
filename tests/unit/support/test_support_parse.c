/* tests/unit/support/test_support_parse.c: fixtures read through parse_feed, for the parse/ unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common/common.h"
#include "parse/parse.h"
#include "tests/unit/support/test_support.h"
#include "tests/unit/support/test_support_parse.h"

/* Parses $WW_TEST_DATA/parse/name as fetched from url, failing the test
 * unless it gives a feed. */
struct parsed_feed *
test_parse_fixture(const char *name, const char *url,
    const char *content_type)
{
	struct parsed_feed *feed = NULL;
	char *relative, *buf, *cause = NULL;
	size_t len;

	xasprintf(&relative, "parse/%s", name);
	buf = test_fixture(relative, &len);
	free(relative);
	if (parse_feed(buf, len, url, content_type, NULL, &feed, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(buf);
	return feed;
}
