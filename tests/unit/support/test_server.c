/* tests/unit/support/test_server.c: runs the loopback feed server for the fetch and webhook tests. */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "common/common.h"
#include "tests/unit/support/test_server.h"

/* $WW_FEEDSERVER (set by ctest), else the feedserver beside this test. */
static char *
test_server_binary(void)
{
	char self[PATH_MAX], *path;
	ssize_t n;

	if (getenv("WW_FEEDSERVER") != NULL)
		return xstrdup(getenv("WW_FEEDSERVER"));
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return xstrdup("feedserver");
	self[n] = '\0';
	xasprintf(&path, "%s/feedserver", dirname(self));
	return path;
}

/* Waits for the port file the server writes once it listens. */
static int
test_server_wait(struct test_server *ts, const char *port_file)
{
	char *text = NULL, *cause = NULL;
	size_t len;
	int i, status;

	for (i = 0; i < 1000; i++) {
		if ((text = util_read_file(port_file, 64, &len, &cause)) != NULL)
			break;
		free(cause);
		cause = NULL;
		if (waitpid(ts->pid, &status, WNOHANG) == ts->pid) {
			ts->pid = -1;
			return -1;
		}
		usleep(10000);
	}
	if (text == NULL)
		return -1;
	ts->port = atoi(text);
	free(text);
	return ts->port > 0 ? 0 : -1;
}

int
test_server_start(struct test_server *ts, const char *root)
{
	char *bin, *port_file, *log_file;
	int rc;

	memset(ts, 0, sizeof *ts);
	ts->pid = -1;
	/* A proxy from the environment would take loopback traffic away. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	strcpy(ts->tmp, "/tmp/ww-test-server-XXXXXX");
	if (mkdtemp(ts->tmp) == NULL)
		return -1;
	ts->root = xstrdup(root != NULL ? root : ts->tmp);
	xasprintf(&port_file, "%s/port", ts->tmp);
	xasprintf(&log_file, "%s/log", ts->tmp);
	bin = test_server_binary();
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "%s: %s (build the feedserver target)\n", bin,
		    strerror(errno));
		rc = -1;
	} else if ((ts->pid = fork()) == 0) {
		/* Never outlive a crashed test (ctest would wait on its pipe). */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(bin, "feedserver", "--root", ts->root, "--port-file",
		    port_file, "--log", log_file, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	} else
		rc = ts->pid == -1 ? -1 : test_server_wait(ts, port_file);
	free(bin);
	free(port_file);
	free(log_file);
	return rc;
}

int
test_server_stop(struct test_server *ts)
{
	char *path;
	int status, ok;

	if (ts->pid <= 0)
		return -1;
	kill(ts->pid, SIGTERM);
	if (waitpid(ts->pid, &status, 0) != ts->pid)
		return -1;
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	xasprintf(&path, "%s/port", ts->tmp);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/log", ts->tmp);
	unlink(path);
	free(path);
	rmdir(ts->tmp);
	free(ts->root);
	curl_global_cleanup();
	return ok ? 0 : -1;
}

char *
test_server_url(const struct test_server *ts, const char *host,
    const char *path)
{
	char *url;

	xasprintf(&url, "http://%s:%d%s", host != NULL ? host : "127.0.0.1",
	    ts->port, path);
	return url;
}

/* curl write callback appending to a malloc'd string. */
static size_t
test_server_collect_cb(char *data, size_t size, size_t n, void *arg)
{
	char **text = arg;
	size_t have = *text != NULL ? strlen(*text) : 0;

	*text = xrealloc(*text, have + size * n + 1);
	memcpy(*text + have, data, size * n);
	(*text)[have + size * n] = '\0';
	return size * n;
}

char *
test_server_get(const struct test_server *ts, const char *path)
{
	CURL *easy;
	char *url, *text = NULL;

	url = test_server_url(ts, NULL, path);
	easy = curl_easy_init();
	assert_non_null(easy);
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, test_server_collect_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &text);
	curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
	assert_int_equal(curl_easy_perform(easy), CURLE_OK);
	curl_easy_cleanup(easy);
	free(url);
	return text != NULL ? text : xstrdup("");
}
