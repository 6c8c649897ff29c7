/* util.c: durations, sizes, times, hashing and file reading shared by every stage. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

/* Reads an unsigned decimal number and a one-letter unit, shared by the
 * duration and size parsers. Returns the unit (0 for none) or -1. */
static int
util_parse_number_unit(const char *text, unsigned long long *value)
{
	char *end;

	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	*value = strtoull(text, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '\0')
		return 0;
	if (end[1] != '\0')
		return -1;
	return (unsigned char)*end;
}

int
util_parse_duration(const char *text, int64_t *seconds)
{
	unsigned long long value, scale;

	switch (util_parse_number_unit(text, &value)) {
	case 0:
	case 's':
		scale = 1;
		break;
	case 'm':
		scale = 60;
		break;
	case 'h':
		scale = 3600;
		break;
	case 'd':
		scale = 86400;
		break;
	default:
		return -1;
	}
	/* Ten years is far beyond any sensible interval; refusing more keeps
	 * every later addition to a time stamp from overflowing. */
	if (value == 0 || value > 315360000ULL / scale)
		return -1;
	*seconds = (int64_t)(value * scale);
	return 0;
}

int
util_parse_size(const char *text, size_t *bytes)
{
	unsigned long long value, scale;

	switch (util_parse_number_unit(text, &value)) {
	case 0:
	case 'B':
		scale = 1;
		break;
	case 'K':
	case 'k':
		scale = 1024;
		break;
	case 'M':
		scale = 1024 * 1024;
		break;
	case 'G':
		scale = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (value == 0 || value > (unsigned long long)(SIZE_MAX / 2) / scale)
		return -1;
	*bytes = (size_t)(value * scale);
	return 0;
}

char *
util_format_time(int64_t t, char *buf)
{
	struct tm tm;
	time_t tt = (time_t)t;

	buf[0] = '\0';
	if (t < 0 || gmtime_r(&tt, &tm) == NULL)
		return buf;
	strftime(buf, UTIL_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

int64_t
util_now(void)
{
	return (int64_t)time(NULL);
}

int64_t
util_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a, written here because it is ten lines and needs no library; it
 * identifies content for change detection, it is not a security boundary. */
uint64_t
util_hash(const void *buf, size_t len, uint64_t seed)
{
	const unsigned char *p = buf;
	uint64_t h = seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
util_read_file(const char *path, size_t max, size_t *len, char **cause)
{
	struct stat st;
	char *buf = NULL;
	size_t size = 0, used = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		xasprintf(cause, "%s: is a directory", path);
		goto fail;
	}
	/* A regular file's size is known: one allocation of exactly that
	 * (plus one byte, so the end-of-file read needs no growth) avoids
	 * copying a large feed several times. Pipes and files that grow
	 * meanwhile fall back to doubling. */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (size_t)st.st_size <= max) {
		size = (size_t)st.st_size + 1;
		buf = xmalloc(size + 1);
	}
	for (;;) {
		if (used == size) {
			if (size > max) {
				xasprintf(cause, "%s: larger than %zu bytes",
				    path, max);
				goto fail;
			}
			size = size ? size * 2 : 65536;
			buf = xrealloc(buf, size + 1);
		}
		n = read(fd, buf + used, size - used);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max) {
		xasprintf(cause, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	close(fd);
	if (buf == NULL)
		buf = xmalloc(1);
	buf[used] = '\0';
	*len = used;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

int
util_mkdir_p(const char *path)
{
	char *copy, *p;
	int rc = 0;

	copy = xstrdup(path);
	for (p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0750) == -1 && errno != EEXIST)
			rc = -1;
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return rc;
}

int
util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

size_t
util_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}
