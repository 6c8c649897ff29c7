/* main.c: the wirewatch command — global options, then one subcommand. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "daemon/config.h"
#include "cli/cli_internal.h"

#ifndef WW_VERSION
#define WW_VERSION "unknown"
#endif

struct cli_command {
	const char	*name;
	int		(*run)(const char *, int, char **);
	const char	*args;
	const char	*help;
};

static const struct cli_command cli_commands[] = {
	{ "check-config", cli_check_config, "",
	    "check the configuration file" },
	{ "feeds", cli_feeds, "[--json]",
	    "configured feeds and how their polling goes" },
	{ "stories", cli_stories,
	    "[--json] [-n N] [--feed NAME] [--watch NAME] [--original]",
	    "the stories seen most recently, with their sources" },
	{ "alerts", cli_alerts,
	    "[--json] [--since DURATION] [--watch NAME] [--type TYPE] [-n N] "
	    "[--follow]",
	    "the alerts, oldest first (the newest 20 unless -n or --since); "
	    "--follow waits for more" },
	{ "people", cli_people, "[--json] [-n N] [--watch NAME]",
	    "the people each watch's stories named, most recently seen "
	    "first, with their spellings" },
	{ "claims", cli_claims, "[--json] [-n N] [--watch NAME]",
	    "the claims each watch's stories made, newest first, with "
	    "speaker, figures and what they revise" },
	{ "import-opml", cli_import_opml, "[--print] FILE",
	    "add an OPML subscription list's feeds to the configuration" },
	{ "export-opml", cli_export_opml, "",
	    "write the configured feeds as OPML 2.0" },
	{ "parse", cli_parse,
	    "[--count] [--feed] [--url URL] [--content-type TYPE] "
	    "[--max-items N] FILE...",
	    "parse feed files offline and print their items as JSON Lines" },
};
#define CLI_NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

/* Prints the summary of options and commands that -h gives. */
static void
cli_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wirewatch [-v] [-c FILE] COMMAND [ARGS]\n"
	    "       wirewatch -h | --version\n\n"
	    "  -c FILE    configuration (default $WIREWATCH_CONFIG, else "
	    CONFIG_DEFAULT_PATH ")\n"
	    "  -v         verbose\n\ncommands:\n");
	for (i = 0; i < CLI_NCOMMANDS; i++)
		fprintf(f, "  %s%s%s\n      %s\n", cli_commands[i].name,
		    *cli_commands[i].args != '\0' ? " " : "",
		    cli_commands[i].args, cli_commands[i].help);
	fprintf(f, "\nSee wirewatch(1).\n");
}

/* Returns the subcommand called name, or NULL. */
static const struct cli_command *
cli_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < CLI_NCOMMANDS; i++) {
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	}
	return NULL;
}

int
cli_command_usage(const char *name)
{
	const struct cli_command *command;

	if ((command = cli_command_find(name)) != NULL)
		printf("usage: wirewatch [-v] [-c FILE] %s%s%s\n  %s\n",
		    command->name, *command->args != '\0' ? " " : "",
		    command->args, command->help);
	return cli_finish_output(CLI_EXIT_OK);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *command;
	const char *config_path;
	int c, verbose = 0;

	log_init(LOG_STYLE_TOOL, "wirewatch", 0);
	config_path = getenv("WIREWATCH_CONFIG");
	if (config_path == NULL || *config_path == '\0')
		config_path = CONFIG_DEFAULT_PATH;

	/* "+": stop at the subcommand, whose options are its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'h':
			cli_usage(stdout);
			return cli_finish_output(CLI_EXIT_OK);
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("wirewatch %s\n", WW_VERSION);
			return cli_finish_output(CLI_EXIT_OK);
		case ':':
			log_warnx("option %s needs a value (see wirewatch -h)",
			    argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			if (optopt != 0)
				log_warnx("unknown option -%c (see wirewatch "
				    "-h)", optopt);
			else
				log_warnx("unknown option %s (see wirewatch "
				    "-h)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	log_init(LOG_STYLE_TOOL, "wirewatch", verbose);
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		log_warnx("no command given (see wirewatch -h)");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		cli_usage(stdout);
		return cli_finish_output(CLI_EXIT_OK);
	}
	if ((command = cli_command_find(argv[0])) == NULL) {
		log_warnx("unknown command \"%s\" (see wirewatch -h)", argv[0]);
		return CLI_EXIT_USAGE;
	}
	/* Each subcommand parses argv from argv[1]; 0 makes glibc's getopt
	 * start over. */
	optind = 0;
	return command->run(config_path, argc, argv);
}
