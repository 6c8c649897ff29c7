/* tests/unit/support/test_support.h: what the unit tests share — fixture files, directory walks, the ../shared corpus. */
#ifndef WW_TEST_SUPPORT_H
#define WW_TEST_SUPPORT_H

#include <stddef.h>

/* The largest fixture test_fixture reads. */
#define TEST_FIXTURE_MAX ((size_t)1 << 20)

/* $WW_TEST_DATA/relative (tests/data when unset); the caller frees. */
char *test_data_path(const char *);
/* The contents of $WW_TEST_DATA/relative, NUL terminated; fails the test
 * when the file cannot be read. */
char *test_fixture(const char *, size_t *);
/* $WW_SHARED/relative, or NULL after printing "skipped: ../shared not
 * found (...)" when it is not there. */
char *test_shared_path(const char *);
/* Calls cb(path, arg) for every file below dir, in name order; returns -1
 * when dir cannot be read. */
int test_walk_files(const char *, void (*)(const char *, void *), void *);

#endif
