/* test_common_util.c: durations, sizes, times and file reading shared by every stage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"

static void
test_duration_units_become_seconds(void **state)
{
	int64_t s;

	assert_int_equal(util_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(util_parse_duration("1s", &s), 0);
	assert_int_equal(s, 1);
	assert_int_equal(util_parse_duration("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(util_parse_duration("6h", &s), 0);
	assert_int_equal(s, 21600);
	assert_int_equal(util_parse_duration("2d", &s), 0);
	assert_int_equal(s, 172800);
}

static void
test_duration_rejects_zero_junk_and_overflow(void **state)
{
	int64_t s;

	assert_int_equal(util_parse_duration("0", &s), -1);
	assert_int_equal(util_parse_duration("", &s), -1);
	assert_int_equal(util_parse_duration("m", &s), -1);
	assert_int_equal(util_parse_duration("-5m", &s), -1);
	assert_int_equal(util_parse_duration("5 m", &s), -1);
	assert_int_equal(util_parse_duration("5mm", &s), -1);
	assert_int_equal(util_parse_duration("5w", &s), -1);
	assert_int_equal(util_parse_duration("99999999999999999999", &s), -1);
	assert_int_equal(util_parse_duration("100000d", &s), -1);
	assert_int_equal(util_parse_duration(NULL, &s), -1);
}

static void
test_size_units_become_bytes(void **state)
{
	size_t n;

	assert_int_equal(util_parse_size("512", &n), 0);
	assert_int_equal(n, 512);
	assert_int_equal(util_parse_size("64K", &n), 0);
	assert_int_equal(n, 65536);
	assert_int_equal(util_parse_size("16M", &n), 0);
	assert_int_equal(n, 16 * 1024 * 1024);
	assert_int_equal(util_parse_size("1G", &n), 0);
	assert_int_equal(n, 1024 * 1024 * 1024);
	assert_int_equal(util_parse_size("0", &n), -1);
	assert_int_equal(util_parse_size("16MB", &n), -1);
	assert_int_equal(util_parse_size("999999999999G", &n), -1);
}

static void
test_time_formats_as_rfc3339_utc(void **state)
{
	char buf[UTIL_TIME_LEN];

	assert_string_equal(util_format_time(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(util_format_time(1764064802, buf),
	    "2025-11-25T10:00:02Z");
	assert_string_equal(util_format_time(-1, buf), "");
}

static void
test_hash_differs_for_different_content(void **state)
{
	uint64_t a = util_hash("title", 5, UTIL_HASH_SEED);
	uint64_t b = util_hash("titlf", 5, UTIL_HASH_SEED);

	assert_true(a != b);
	assert_true(a == util_hash("title", 5, UTIL_HASH_SEED));
	/* Continuing from a seed is the same as hashing the concatenation. */
	assert_true(util_hash("le", 2, util_hash("tit", 3, UTIL_HASH_SEED)) == a);
}

static void
test_read_file_is_bounded(void **state)
{
	char path[] = "/tmp/ww-test-read.XXXXXX";
	char *buf, *cause = NULL;
	size_t len;
	int fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);

	buf = util_read_file(path, 100, &len, &cause);
	assert_non_null(buf);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	free(buf);

	buf = util_read_file(path, 5, &len, &cause);
	assert_null(buf);
	assert_non_null(strstr(cause, "larger than 5 bytes"));
	assert_non_null(strstr(cause, path));
	free(cause);
	unlink(path);

	cause = NULL;
	assert_null(util_read_file("/nonexistent/x", 5, &len, &cause));
	assert_string_equal(cause, "/nonexistent/x: No such file or directory");
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_units_become_seconds),
		cmocka_unit_test(test_duration_rejects_zero_junk_and_overflow),
		cmocka_unit_test(test_size_units_become_bytes),
		cmocka_unit_test(test_time_formats_as_rfc3339_utc),
		cmocka_unit_test(test_hash_differs_for_different_content),
		cmocka_unit_test(test_read_file_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
