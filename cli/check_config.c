/* check_config.c: wirewatch check-config — does the configuration load, and what does it hold. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/common.h"
#include "daemon/config.h"
#include "cli/cli_internal.h"

/* The cause goes out bare, "file:line: message" as compilers print it, so
 * editors and scripts can jump to the line. */
int
cli_check_config(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config *conf;
	char *cause = NULL;
	int c;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			return cli_command_usage(argv[0]);
		return cli_option_error(argv[0], c, argv);
	}
	if (optind != argc)
		return cli_usage_error(argv[0], "unexpected argument \"%s\"",
		    argv[optind]);

	if ((conf = config_load(config_path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return CLI_EXIT_USAGE;
	}
	printf("%s: ok, %zu feed%s, %zu watch%s\n", config_path, conf->nfeeds,
	    conf->nfeeds == 1 ? "" : "s", conf->nwatches,
	    conf->nwatches == 1 ? "" : "es");
	config_free(conf);
	return cli_finish_output(CLI_EXIT_OK);
}
