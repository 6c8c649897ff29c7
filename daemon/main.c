/* main.c: wirewatchd's command line — load the configuration, build the daemon, run it. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"

#ifndef WW_VERSION
#define WW_VERSION "unknown"
#endif

static void WW_NORETURN
usage(void)
{
	fprintf(stderr, "usage: wirewatchd [-v] [--once] [-c file]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = CONFIG_DEFAULT_PATH;
	struct config *conf;
	struct daemon *d;
	char *cause = NULL;
	int ch, once = 0, verbose = 0, rc;

	while ((ch = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'o':
			once = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("wirewatchd %s\n", WW_VERSION);
			return 0;
		case 'h':
			fprintf(stdout, "usage: wirewatchd [-v] [--once] "
			    "[-c file]\n");
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(LOG_STYLE_DAEMON, "wirewatchd", verbose);
	/* A peer closing its socket must be an error return, not a death. */
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned int)(getpid() ^ time(NULL)));

	if ((conf = config_load(path, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		return 2;
	}
	log_info("wirewatchd %s: %zu feed%s from %s, state in %s%s",
	    WW_VERSION, conf->nfeeds, conf->nfeeds == 1 ? "" : "s", conf->path,
	    conf->state_dir, once ? ", polling once" : "");
	if ((d = daemon_new(conf, once, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		return 1;
	}
	rc = daemon_run(d);
	daemon_free(d);
	return rc;
}
