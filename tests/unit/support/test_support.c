/* tests/unit/support/test_support.c: fixture files, directory walks and the ../shared corpus, for the unit tests. */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"
#include "tests/unit/support/test_support.h"

/* The deepest a walk goes below its top directory; the corpora are a few
 * levels deep, and a bound keeps a looping tree from running away. */
#define TEST_WALK_DEPTH	16

/* $WW_TEST_DATA/relative; ctest sets it, and tests/data (from the source
 * tree) serves a test run by hand. */
char *
test_data_path(const char *relative)
{
	const char *dir = getenv("WW_TEST_DATA");
	char *path;

	if (dir == NULL)
		dir = "tests/data";
	xasprintf(&path, "%s/%s", dir, relative);
	return path;
}

/* Reads $WW_TEST_DATA/relative, failing the test when it cannot. */
char *
test_fixture(const char *relative, size_t *len)
{
	char *path, *buf, *cause = NULL;

	path = test_data_path(relative);
	buf = util_read_file(path, TEST_FIXTURE_MAX, len, &cause);
	if (buf == NULL)
		fail_msg("%s", cause);
	free(path);
	return buf;
}

/* $WW_SHARED/relative, or NULL after the skip line when it is not there:
 * ../shared is optional, and a test without it must say so and pass. */
char *
test_shared_path(const char *relative)
{
	const char *shared = getenv("WW_SHARED");
	char *path;

	if (shared == NULL) {
		print_message("skipped: ../shared not found (WW_SHARED unset)\n");
		return NULL;
	}
	xasprintf(&path, "%s/%s", shared, relative);
	if (access(path, R_OK) != 0) {
		print_message("skipped: ../shared not found (%s)\n", path);
		free(path);
		return NULL;
	}
	return path;
}

/* Walks one level of test_walk_files; returns -1 when dir cannot be read. */
static int
test_walk_dir(const char *dir, int depth,
    void (*cb)(const char *, void *), void *arg)
{
	struct dirent **names;
	struct stat sb;
	char *path;
	int i, n;

	/* Sorted, so that what a test prints comes in the same order. */
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		xasprintf(&path, "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (depth < TEST_WALK_DEPTH)
				test_walk_dir(path, depth + 1, cb, arg);
		} else
			cb(path, arg);
		free(path);
	}
	free(names);
	return 0;
}

/* Calls cb with the path of every file below dir, hidden ones (".name")
 * aside; returns -1 when dir cannot be read. */
int
test_walk_files(const char *dir, void (*cb)(const char *, void *), void *arg)
{
	return test_walk_dir(dir, 0, cb, arg);
}
