/* sink_file.c: the file sink — alerts appended as JSON Lines, each write fsync'd before the cursor moves. */

/*
 * Exactly once across crashes. A delivery appends its lines with one
 * write, makes them durable with fdatasync, and only then saves the
 * cursor. A crash can therefore leave the file ahead of the cursor, never
 * behind it; at open the sink reads the seq of the file's last complete
 * line and takes it as its cursor when it is further, so those alerts are
 * not written twice. A crash inside the write leaves a torn last line (no
 * newline): open cuts it off first, and its alerts, whose cursor was never
 * saved, are written again whole.
 *
 * A failed write or sync is undone by truncating the file back to where
 * the write began, so that a retry does not append after half a line;
 * when even that fails, the next delivery repairs the file first, as open
 * does.
 *
 * The file is opened with O_APPEND and reopened at every reload: once
 * logrotate has renamed it, the next lines go to a new file at the
 * configured path.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "alert/alert_internal.h"

/* Bytes read at a time when looking backwards for a line's start. */
#define FILE_CHUNK		65536
/* The longest last line whose seq is read back: a digest line of
 * ALERT_MESSAGE_MAX alerts fits many times over. */
#define FILE_LINE_MAX		((off_t)64 << 20)
#define FILE_MODE		0640

struct sink_file {
	int	 fd;
	int	 dirty;		/* an undo failed: repair before writing */
};

/* Finds the last '\n' before end, looking back at most limit bytes.
 * Returns 1 and *pos, 0 when there is none (the line starts the file),
 * -1 when none lies within limit or the file cannot be read. */
static int
sink_file_newline_before(int fd, off_t end, off_t limit, off_t *pos)
{
	char buf[FILE_CHUNK];
	off_t start, floor = end > limit ? end - limit : 0;
	ssize_t n, i;

	while (end > floor) {
		start = end - FILE_CHUNK > floor ? end - FILE_CHUNK : floor;
		n = pread(fd, buf, (size_t)(end - start), start);
		if (n != end - start)
			return -1;
		for (i = n - 1; i >= 0; i--) {
			if (buf[i] == '\n') {
				*pos = start + i;
				return 1;
			}
		}
		end = start;
	}
	return floor == 0 ? 0 : -1;
}

/* Cuts a torn last line off the file (everything after its last newline).
 * Returns 0 and the file's size in *size, or -1 and *cause. */
static int
sink_file_cut_torn(struct alert_sink *s, int fd, off_t *size, char **cause)
{
	struct stat st;
	char last;
	off_t pos = -1;
	int rc;

	if (fstat(fd, &st) == -1)
		goto fail;
	*size = st.st_size;
	if (*size == 0)
		return 0;
	if (pread(fd, &last, 1, *size - 1) != 1)
		goto fail;
	if (last == '\n')
		return 0;
	/* However long the torn piece, only what follows the last newline
	 * goes: look back without a limit. */
	if ((rc = sink_file_newline_before(fd, *size, *size, &pos)) == -1)
		goto fail;
	pos = rc == 1 ? pos + 1 : 0;
	if (ftruncate(fd, pos) == -1 || fdatasync(fd) == -1)
		goto fail;
	log_warnx("sink \"%s\": %s: cut off a torn last line (%lld bytes)",
	    s->conf.name, s->conf.path, (long long)(*size - pos));
	*size = pos;
	return 0;
fail:
	xasprintf(cause, "%s: %s", s->conf.path, strerror(errno));
	return -1;
}

/* Reads the seq of the file's last line (0 when the file is empty or its
 * last line holds none). Returns 0, or -1 and *cause. */
static int
sink_file_last_seq(struct alert_sink *s, int fd, off_t size, int64_t *seq,
    char **cause)
{
	off_t pos = -1, start;
	char *line;
	ssize_t n;
	int rc;

	*seq = 0;
	if (size == 0)
		return 0;
	/* size - 1 is the last line's newline. */
	rc = sink_file_newline_before(fd, size - 1, FILE_LINE_MAX, &pos);
	if (rc == -1) {
		log_warnx("sink \"%s\": %s: the last line is unreadable or "
		    "longer than %lld bytes; trusting the stored cursor",
		    s->conf.name, s->conf.path, (long long)FILE_LINE_MAX);
		return 0;
	}
	start = rc == 1 ? pos + 1 : 0;
	line = xmalloc((size_t)(size - 1 - start) + 1);
	n = pread(fd, line, (size_t)(size - 1 - start), start);
	if (n != size - 1 - start) {
		xasprintf(cause, "%s: %s", s->conf.path, n == -1 ?
		    strerror(errno) : "short read");
		free(line);
		return -1;
	}
	*seq = alert_line_seq(line, (size_t)n);
	free(line);
	return 0;
}

/* Brings the file to a whole last line and the cursor past what it holds.
 * A file whose last seq lies beyond every stored alert was written for
 * another state database: taking its seq would drop alerts, so the stored
 * cursor stands. */
static int
sink_file_recover(struct alert_sink *s, int fd, char **cause)
{
	struct sink_file *sf = s->state;
	int64_t seq, last = alert_outbox_last_seq(s->outbox);
	off_t size;

	if (sink_file_cut_torn(s, fd, &size, cause) != 0 ||
	    sink_file_last_seq(s, fd, size, &seq, cause) != 0)
		return -1;
	if (sf != NULL)
		sf->dirty = 0;
	if (seq > last) {
		log_warnx("sink \"%s\": %s ends at seq %lld, beyond the last "
		    "stored alert (%lld): written from another state "
		    "database?", s->conf.name, s->conf.path, (long long)seq,
		    (long long)last);
		return 0;
	}
	if (seq > s->cursor) {
		log_info("sink \"%s\": %s already holds alerts up to seq %lld",
		    s->conf.name, s->conf.path, (long long)seq);
		s->cursor = seq;
		alert_sink_cursor_save(s);
	}
	return 0;
}

/* Makes a new file's directory entry durable, as its lines will be. */
static void
sink_file_sync_dir(const char *path)
{
	char *copy;
	int fd;

	copy = xstrdup(path);
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Opens (creating) the file and its directory, and recovers from a crash. */
static int
sink_file_open(struct alert_sink *s, char **cause)
{
	struct sink_file *sf;
	char *copy, *dir;
	int fd, created = 0;

	if (s->conf.path == NULL || *s->conf.path == '\0') {
		*cause = xstrdup("no path");
		return -1;
	}
	copy = xstrdup(s->conf.path);
	dir = dirname(copy);
	if (util_mkdir_p(dir) != 0) {
		xasprintf(cause, "cannot create directory %s: %s", dir,
		    strerror(errno));
		free(copy);
		return -1;
	}
	free(copy);
	/* Read access too: recovery reads the last line back. */
	fd = open(s->conf.path, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
	    O_CLOEXEC | O_NOCTTY, FILE_MODE);
	if (fd != -1)
		created = 1;
	else if (errno == EEXIST)
		fd = open(s->conf.path, O_RDWR | O_APPEND | O_CLOEXEC |
		    O_NOCTTY);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", s->conf.path, strerror(errno));
		return -1;
	}
	if (created)
		sink_file_sync_dir(s->conf.path);
	else if (sink_file_recover(s, fd, cause) != 0) {
		close(fd);
		return -1;
	}
	sf = xcalloc(1, sizeof *sf);
	sf->fd = fd;
	s->state = sf;
	return 0;
}

/* Appends the message's lines and makes them durable before returning:
 * only then may the outbox move the cursor. */
static enum alert_deliver
sink_file_deliver(struct alert_sink *s, const struct alert_message *m,
    char **cause)
{
	struct sink_file *sf = s->state;
	struct stat st;
	int saved;

	if (sf->dirty) {
		if (sink_file_recover(s, sf->fd, cause) != 0)
			return ALERT_FAILED;
		/* The repaired file may hold some of this message already:
		 * the outbox gathers it again from the new cursor. */
		if (s->cursor >= m->first_seq) {
			xasprintf(cause, "%s: repaired after a failed write",
			    s->conf.path);
			return ALERT_FAILED;
		}
	}
	if (fstat(sf->fd, &st) == -1) {
		xasprintf(cause, "%s: %s", s->conf.path, strerror(errno));
		return ALERT_FAILED;
	}
	if (util_write_all(sf->fd, m->text, m->len) == 0 &&
	    fdatasync(sf->fd) == 0)
		return ALERT_DELIVERED;
	saved = errno;
	if (ftruncate(sf->fd, st.st_size) == -1 || fdatasync(sf->fd) == -1)
		sf->dirty = 1;
	xasprintf(cause, "%s: %s", s->conf.path, strerror(saved));
	return ALERT_FAILED;
}

/* Never called: a file delivery is over when deliver returns. */
static void
sink_file_cancel(struct alert_sink *s)
{
}

static void
sink_file_close(struct alert_sink *s)
{
	struct sink_file *sf = s->state;

	if (sf == NULL)
		return;
	if (close(sf->fd) == -1)
		log_warn("sink \"%s\": %s: close", s->conf.name, s->conf.path);
	free(sf);
	s->state = NULL;
}

const struct alert_sink_ops alert_sink_file_ops = {
	sink_file_open,
	sink_file_deliver,
	sink_file_cancel,
	sink_file_close,
};
