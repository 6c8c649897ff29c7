/* cli/cli.h: the subcommands of the wirewatch command; each returns the process exit code. */
#ifndef WW_CLI_H
#define WW_CLI_H

/* Exit codes of DESIGN.md: 0 ok, 1 runtime failure, 2 usage or configuration. */
#define CLI_EXIT_OK	0
#define CLI_EXIT_FAIL	1
#define CLI_EXIT_USAGE	2

/* config_path is the -c argument (or the default); argv[0] is the subcommand. */
int	cli_check_config(const char *config_path, int argc, char **argv);
int	cli_feeds(const char *config_path, int argc, char **argv);
int	cli_stories(const char *config_path, int argc, char **argv);
int	cli_alerts(const char *config_path, int argc, char **argv);
int	cli_people(const char *config_path, int argc, char **argv);
int	cli_claims(const char *config_path, int argc, char **argv);
int	cli_import_opml(const char *config_path, int argc, char **argv);
int	cli_export_opml(const char *config_path, int argc, char **argv);
int	cli_parse(const char *config_path, int argc, char **argv);

#endif
