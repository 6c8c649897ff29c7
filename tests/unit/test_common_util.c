/* test_common_util.c: durations, sizes, times and file reading shared by every stage. */
#include <sys/wait.h>

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

static void
test_utf8_decode_takes_valid_sequences_and_refuses_the_rest(void **state)
{
	uint32_t cp = 0;

	assert_int_equal(util_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xd0\xa5", 2,
	    &cp), 2);
	assert_int_equal(cp, 0x425);			/* Х */
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xe2\x80\xae",
	    3, &cp), 3);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(util_utf8_decode((const unsigned char *)
	    "\xf0\x9f\x93\xb0", 4, &cp), 4);
	assert_int_equal(cp, 0x1f4f0);
	/* Overlong, surrogate, past U+10FFFF, cut short, lone continuation. */
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xc0\xaf", 2,
	    &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xe0\x80\xaf",
	    3, &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xed\xa0\x80",
	    3, &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)
	    "\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xd0\xa5", 1,
	    &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)"\x80", 1, &cp),
	    0);
}

static void
test_write_all_writes_everything_to_a_pipe(void **state)
{
	char buf[200000], back[200000];
	size_t got = 0;
	ssize_t n;
	int fds[2];
	pid_t pid;

	memset(buf, 'x', sizeof buf);
	buf[sizeof buf - 1] = 'y';
	assert_int_equal(pipe(fds), 0);
	/* A pipe holds 64 KiB: the writer must loop over short writes while
	 * a child drains it. */
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		close(fds[0]);
		_exit(util_write_all(fds[1], buf, sizeof buf) == 0 ? 0 : 1);
	}
	close(fds[1]);
	while ((n = read(fds[0], back + got, sizeof back - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	assert_int_equal(got, sizeof buf);
	assert_int_equal(back[sizeof back - 1], 'y');
	assert_int_equal(waitpid(pid, NULL, 0), pid);
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
		cmocka_unit_test(test_utf8_decode_takes_valid_sequences_and_refuses_the_rest),
		cmocka_unit_test(test_write_all_writes_everything_to_a_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
