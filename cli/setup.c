/* setup.c: what every subcommand does first — options, the configuration, the state — and last. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "daemon/config.h"
#include "store/store.h"
#include "cli/cli_internal.h"

int
cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	xvasprintf(&message, fmt, ap);
	va_end(ap);
	log_warnx("%s: %s (see wirewatch %s -h)", command, message, command);
	free(message);
	return CLI_EXIT_USAGE;
}

int
cli_option_error(const char *command, int c, char **argv)
{
	/* getopt leaves the offending word at argv[optind - 1]. */
	const char *word = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		return cli_usage_error(command, "option %s needs a value",
		    word);
	if (optopt != 0 && strncmp(word, "--", 2) != 0)
		return cli_usage_error(command, "unknown option -%c", optopt);
	return cli_usage_error(command, "unknown option %s", word);
}

int
cli_parse_count(const char *text, size_t max, size_t *out)
{
	unsigned long long n;
	char *end;

	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*out = (size_t)n;
	return 0;
}

struct config *
cli_config_load(const char *path)
{
	struct config *conf;
	char *cause = NULL;

	if ((conf = config_load(path, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
	}
	return conf;
}

struct store *
cli_store_open(const struct config *conf, int *missing)
{
	struct store *store;
	char *cause = NULL, *path;

	*missing = 0;
	if ((store = store_open(conf->state_dir, STORE_READ_ONLY, &cause)) != NULL)
		return store;
	/* store.h documents the file name; no file means no poll yet. */
	xasprintf(&path, "%s/wirewatch.db", conf->state_dir);
	if (access(path, F_OK) == -1 && errno == ENOENT)
		*missing = 1;
	log_warnx("%s", cause);
	free(path);
	free(cause);
	return NULL;
}

int
cli_finish_output(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("writing the output");
		return CLI_EXIT_FAIL;
	}
	return code;
}
