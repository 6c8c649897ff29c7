/* log.c: one-line messages to stderr, with syslog priority prefixes when run as a service. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

/* The log's settings are process-wide by nature: every module logs, and
 * threading a logger through each call would add noise, not clarity. */
static enum log_style log_style = LOG_STYLE_TOOL;
static const char *log_progname = "wirewatch";
static int log_verbosity;

void
log_init(enum log_style style, const char *progname, int verbose)
{
	log_style = style;
	log_progname = progname;
	log_verbosity = verbose;
}

int
log_verbose(void)
{
	return log_verbosity;
}

/* Writes one line; priority is the syslog level (3 err, 4 warning, 6 info,
 * 7 debug). The whole line goes out in one write so lines never interleave. */
static void WW_PRINTF(3, 0)
log_vwrite(int priority, const char *error, const char *fmt, va_list ap)
{
	char message[2048], line[2304];

	vsnprintf(message, sizeof message, fmt, ap);
	if (log_style == LOG_STYLE_DAEMON)
		snprintf(line, sizeof line, "<%d>%s%s%s\n", priority, message,
		    error ? ": " : "", error ? error : "");
	else
		snprintf(line, sizeof line, "%s: %s%s%s\n", log_progname,
		    message, error ? ": " : "", error ? error : "");
	fputs(line, stderr);
	fflush(stderr);
}

#define LOG_BODY(priority, error) do {					\
	va_list ap;							\
	va_start(ap, fmt);						\
	log_vwrite(priority, error, fmt, ap);				\
	va_end(ap);							\
} while (0)

void
log_warn(const char *fmt, ...)
{
	const char *error = strerror(errno);

	LOG_BODY(4, error);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(4, NULL);
}

void
log_error(const char *fmt, ...)
{
	LOG_BODY(3, NULL);
}

void
log_info(const char *fmt, ...)
{
	if (log_style == LOG_STYLE_TOOL && !log_verbosity)
		return;
	LOG_BODY(6, NULL);
}

void
log_debug(const char *fmt, ...)
{
	if (!log_verbosity)
		return;
	LOG_BODY(7, NULL);
}

void
fatal(const char *fmt, ...)
{
	const char *error = strerror(errno);

	LOG_BODY(2, error);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(2, NULL);
	exit(1);
}
