/* cli/cli_internal.h: helpers the subcommands of the wirewatch command share. */
#ifndef WW_CLI_INTERNAL_H
#define WW_CLI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/cli.h"

struct config;
struct store;

/* main.c */

/* Prints the usage of one subcommand (for its -h); returns the exit code. */
int		 cli_command_usage(const char *name);

/* setup.c */

/* Reports a usage error of command ("wirewatch: feeds: message") and
 * returns CLI_EXIT_USAGE. */
int		 cli_usage_error(const char *command, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Turns getopt's '?' or ':' (optstring starts with ':') into a usage
 * error; returns CLI_EXIT_USAGE. */
int		 cli_option_error(const char *command, int c, char **argv);
/* Parses a count for an option such as -n: 0 to max. Returns 0 or -1. */
int		 cli_parse_count(const char *text, size_t max, size_t *out);
/* Loads the configuration, reporting why it cannot be; NULL then. */
struct config	*cli_config_load(const char *path);
/* Opens the state read-only. NULL when it cannot, with the reason reported
 * and *missing set when there is simply no database yet. */
struct store	*cli_store_open(const struct config *, int *missing);
/* Flushes stdout; reports a write error (a full disk, a closed pipe) and
 * returns CLI_EXIT_FAIL then, else code. */
int		 cli_finish_output(int code);

/* output.c */

/* A copy of s fit for one line of a terminal: invalid UTF-8 becomes
 * U+FFFD, control and bidirectional-override characters become spaces,
 * and when max is not 0 it is cut to max characters ending in "...". */
char		*cli_text_line(const char *s, size_t max);
/* Characters (code points) in a UTF-8 string. */
size_t		 cli_text_width(const char *s);
/* Writes s and pads it with spaces to width characters. */
void		 cli_print_padded(FILE *, const char *s, size_t width);
/* Columns of the terminal on stdout, 0 when stdout is not a terminal. */
size_t		 cli_terminal_width(void);
/* A span of time as people say it: "45s", "12m", "3h", "5d". */
char		*cli_format_span(int64_t seconds, char *buf, size_t len);
/* A JSON string, null for NULL; invalid UTF-8 is repaired, not dropped. */
json_t		*cli_json_text(const char *s);
/* A list of strings separated by sep (empty ones dropped) as a JSON
 * array: the store keeps languages and watches comma separated, a claim's
 * figures tab separated. */
json_t		*cli_json_split(const char *list, char sep);
/* An RFC 3339 time, null for an unknown (negative) one. */
json_t		*cli_json_time(int64_t t);
/* Prints obj as one compact line and releases it. */
void		 cli_json_print(json_t *obj);

#endif
