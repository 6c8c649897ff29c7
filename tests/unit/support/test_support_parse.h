/* tests/unit/support/test_support_parse.h: fixtures read through parse_feed, for the parse/ unit tests. */
#ifndef WW_TEST_SUPPORT_PARSE_H
#define WW_TEST_SUPPORT_PARSE_H

struct parsed_feed;

/* $WW_TEST_DATA/parse/name parsed as fetched from url with content_type
 * (may be NULL); fails the test unless it gives a feed. */
struct parsed_feed *test_parse_fixture(const char *, const char *,
    const char *);

#endif
