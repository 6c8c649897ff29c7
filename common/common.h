/* common/common.h: logging, allocation that cannot fail, and small parsers every stage shares. */
#ifndef WW_COMMON_H
#define WW_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define WW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define WW_NORETURN __attribute__((noreturn))

/* log.c — messages go to stderr. In daemon style each line starts with a
 * syslog priority "<N>" that journald understands; in tool style it starts
 * with "progname: ". log_warn appends strerror(errno), log_warnx does not. */
enum log_style { LOG_STYLE_DAEMON, LOG_STYLE_TOOL };
void log_init(enum log_style style, const char *progname, int verbose);
int log_verbose(void);
void log_warn(const char *, ...) WW_PRINTF(1, 2);
void log_warnx(const char *, ...) WW_PRINTF(1, 2);
void log_error(const char *, ...) WW_PRINTF(1, 2);
void log_info(const char *, ...) WW_PRINTF(1, 2);
void log_debug(const char *, ...) WW_PRINTF(1, 2);
void fatal(const char *, ...) WW_PRINTF(1, 2) WW_NORETURN;
void fatalx(const char *, ...) WW_PRINTF(1, 2) WW_NORETURN;

/* xmalloc.c — allocation failure is a broken invariant for a daemon whose
 * memory is bounded by configuration, so these abort instead of returning NULL. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) WW_PRINTF(2, 3);
int xvasprintf(char **, const char *, va_list) WW_PRINTF(2, 0);

/* util.c */

/* Parses "90", "90s", "15m", "2h", "1d" into seconds. Returns 0, or -1 when
 * the text is not a positive duration. */
int util_parse_duration(const char *text, int64_t *seconds);
/* Parses "65536", "512K", "16M", "1G" into bytes. Returns 0 or -1. */
int util_parse_size(const char *text, size_t *bytes);
/* Formats a unix time as RFC 3339 UTC ("2026-11-25T10:00:02Z") into buf,
 * which must hold 21 bytes; returns buf. t < 0 gives "". */
#define UTIL_TIME_LEN 21
char *util_format_time(int64_t t, char *buf);
/* Seconds since the epoch, from the wall clock. */
int64_t util_now(void);
/* Milliseconds from a monotonic clock, for measuring and pacing. */
int64_t util_monotonic_ms(void);
/* 64-bit FNV-1a over a buffer, continuing from seed (use UTIL_HASH_SEED). */
#define UTIL_HASH_SEED 0xcbf29ce484222325ULL
uint64_t util_hash(const void *buf, size_t len, uint64_t seed);
/* Reads a whole file, at most max bytes (fails beyond). Returns a NUL
 * terminated buffer the caller frees, its length in *len; NULL and *cause
 * ("path: reason") on error. */
char *util_read_file(const char *path, size_t max, size_t *len, char **cause);
/* Creates a directory and its parents (mode 0750); 0 on success or if it exists. */
int util_mkdir_p(const char *path);
/* Writes all of len bytes to fd, through interruptions and short writes.
 * Returns 0, or -1 with errno. */
int util_write_all(int fd, const void *buf, size_t len);
/* Decodes the UTF-8 sequence at s (n > 0 bytes left): returns its length
 * and the code point in *cp, or 0 when s starts no valid sequence
 * (overlong forms, surrogates and values past U+10FFFF included). */
size_t util_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
