/* tests/unit/support/test_server.h: the loopback feed server for unit tests — started once per group, asked over HTTP. */
#ifndef WW_TEST_SERVER_H
#define WW_TEST_SERVER_H

#include <sys/types.h>

struct test_server {
	pid_t	 pid;
	int	 port;
	char	 tmp[64];	/* port file and log */
	char	*root;		/* what it serves */
};

/* Starts tests/feedserver ($WW_FEEDSERVER, else beside the test) on an
 * ephemeral port serving root (NULL: an empty temporary directory), with
 * the proxy variables cleared and curl initialised. Returns 0 or -1. */
int	 test_server_start(struct test_server *, const char *root);
/* SIGTERM; returns 0 when the server stopped cleanly. */
int	 test_server_stop(struct test_server *);
/* http://127.0.0.1:PORT/path on host (NULL: 127.0.0.1); caller frees. */
char	*test_server_url(const struct test_server *, const char *host,
	    const char *path);
/* The body of a blocking GET of path (a control path such as /_stats):
 * the test looking at the server from outside. Caller frees. */
char	*test_server_get(const struct test_server *, const char *path);

#endif
