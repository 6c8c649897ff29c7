/* tests/feedserver/feedserver.c: a loopback HTTP server of fixture feeds and scripted misbehaviour, for tests, the demo and benchmarks. */

/*
 * usage: feedserver --root DIR [--port N] [--port-file FILE] [--log FILE]
 *
 * Listens on 127.0.0.1:N (N = 0, the default, picks a free port). Once it
 * listens it writes the port to FILE (atomically, by rename), so a script
 * can wait for the file to appear. SIGTERM and SIGINT stop it cleanly.
 * With --log, one line per request: "UNIXTIME METHOD URI STATUS".
 *
 * Files under DIR are served with ETag (from size and mtime) and
 * Last-Modified, and If-None-Match / If-Modified-Since are answered with
 * 304. A path with a ".." segment is refused (400). Content-Type comes from
 * the extension (.xml .rss → application/rss+xml, .rdf → application/rdf+xml,
 * .atom → application/atom+xml, .json → application/feed+json,
 * .opml → text/x-opml, .html → text/html, .txt → text/plain). A sidecar
 * "FILE.headers" adds or replaces response headers, one "Name: value" a
 * line (e.g. "Content-Type: application/rss+xml; charset=windows-1251",
 * "Cache-Control: max-age=600", a fixed "Date:"); the pseudo-header
 * "Status: NNN" makes the file's response that status instead.
 *
 * Scripted paths:
 *   /status/NNN/...              answers NNN (410, 500, 503, ...)
 *   /retry-after/SECS/NNN/...    NNN (e.g. 429, 503) with Retry-After: SECS
 *   /retry-after-date/T/NNN/...  NNN with Retry-After: the HTTP date of unix time T
 *   /redirect/CODE/PATH          CODE (301, 302, 303, 307, 308), Location: /PATH
 *   /redirect-relative/CODE/PATH CODE with a relative Location: ../../PATH
 *   /redirect-loop/N             302 to /redirect-loop/N+1, for ever
 *   /redirect-scheme[/file]      302 to file:///etc/passwd
 *   /redirect-scheme/ftp         302 to ftp://127.0.0.1/etc/passwd
 *   /slow/BPS/PATH               PATH dripped chunked at BPS bytes a second
 *   /hang...                     accepted and never answered (the connection
 *                                is held until the client or the server goes)
 *   /big/BYTES                   a generated body of BYTES, chunked
 *   /big-length/BYTES            the same with Content-Length
 *   /gzip-bomb                   about 1 MB of gzip (Content-Encoding: gzip)
 *                                that inflates to 1 GiB of zeros
 *   /gzip/PATH                   PATH gzip-encoded
 *   /flaky/N/PATH                500 for the first N requests of this path, then PATH
 *   /count/PATH                  PATH (every path is counted; this names the intent)
 *   /echo                        200: the method, the request headers, a
 *                                blank line, then the request body
 *   /post/NAME                   POST: recorded under NAME (see /_posts), 200
 *   /post-fail/N/CODE/NAME       CODE for the first N requests of this path,
 *                                then as /post/NAME
 *   /libretranslate/[MODE/]translate, /libretranslate/[MODE/]languages
 *   /deepl/[MODE/]v2/translate   the translation APIs: requests checked for
 *                                their documented shape (recorded under
 *                                /_posts/libretranslate and /_posts/deepl),
 *                                each text answered as "[TARGET] text";
 *                                MODEs (any, in order): key/KEY (only that
 *                                key), fail/CODE/N (CODE for the first N
 *                                requests of the path, 0: always; 429 and
 *                                503 with Retry-After: 30), garbage/KIND
 *                                (html, shape, count, empty), slow/MS
 * Control paths (not counted):
 *   /_stats                      "PATH COUNT" lines, requests per path, sorted
 *   /_bytes                      "PATH BYTES" lines, body bytes sent per path
 *   /_posts/NAME                 the POSTs recorded under NAME, oldest
 *                                first, one a line: each Content-Type and
 *                                X-* request header as "Name: value", then
 *                                the body with \ \n \r \t escaped, all
 *                                separated by tabs (the body is the last)
 *   /_reset                      zeroes the counts (and so the flaky paths)
 *                                and forgets the recorded POSTs
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <zlib.h>

#include "common/common.h"

#define SERVER_MAX_FILE		((size_t)256 << 20)	/* served from memory */
#define SERVER_MAX_SIDECAR	65536
#define SERVER_BIG_CHUNK	65536
#define SERVER_DRIP_MS		100
#define SERVER_HANG_CHECK_MS	200
#define SERVER_BOMB_BLOCK	((size_t)1 << 20)	/* zeros per deflate block */
#define SERVER_BOMB_BLOCKS	1024			/* 1 GiB inflated */
#define SERVER_MAX_POSTS	10000			/* recorded at once */

/* Requests and body bytes for one path. */
struct stat_entry {
	char			*path;
	unsigned long		 count;
	unsigned long long	 bytes;
};

/* A POST recorded for /_posts: the name it was sent to, and its line. */
struct post_record {
	char	*name;
	char	*line;
};

/* A reply sent over time (drip, big body) or never (hang). */
struct deferred {
	struct server			*server;
	struct evhttp_request		*req;
	struct evhttp_connection	*evcon;
	struct stat_entry		*stat;
	struct event			*timer;
	char				*data;		/* drip: the file */
	size_t				 len;
	size_t				 off;
	size_t				 per_tick;
	unsigned long long		 remaining;	/* big: bytes still to send */
	int				 status;	/* slow API reply: its status */
	LIST_ENTRY(deferred)		 entry;
};

struct server {
	struct event_base	*base;
	struct evhttp		*http;
	char			*root;
	FILE			*log;
	void			*stat_tree;
	struct stat_entry	**stats;
	size_t			 nstats;
	unsigned char		*bomb;
	size_t			 bomb_len;
	char			 big_pattern[SERVER_BIG_CHUNK];
	LIST_HEAD(, deferred)	 deferred;
	struct post_record	*posts;
	size_t			 nposts;
};

/* Orders stat entries by path. */
static int
stat_cmp(const void *a, const void *b)
{
	const struct stat_entry *sa = a, *sb = b;

	return strcmp(sa->path, sb->path);
}

/* Orders pointers to stat entries by path, for qsort. */
static int
stat_ptr_cmp(const void *a, const void *b)
{
	return stat_cmp(*(struct stat_entry * const *)a,
	    *(struct stat_entry * const *)b);
}

/* Finds or creates the counters for a path. */
static struct stat_entry *
stat_get(struct server *s, const char *path)
{
	struct stat_entry find, *e, **node;

	find.path = (char *)path;
	node = tfind(&find, &s->stat_tree, stat_cmp);
	if (node != NULL)
		return *node;
	e = xcalloc(1, sizeof *e);
	e->path = xstrdup(path);
	if (tsearch(e, &s->stat_tree, stat_cmp) == NULL)
		fatalx("tsearch: out of memory");
	s->stats = xreallocarray(s->stats, s->nstats + 1, sizeof *s->stats);
	s->stats[s->nstats++] = e;
	return e;
}

/* Formats a unix time as an HTTP date (RFC 9110 IMF-fixdate). */
static void
http_date(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Parses an IMF-fixdate; returns -1 when it is not one. */
static time_t
http_date_parse(const char *text)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return timegm(&tm);
}

/* Writes the request log line. */
static void
server_log(struct server *s, struct evhttp_request *req, int status)
{
	const char *method;

	if (s->log == NULL)
		return;
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		method = "GET";
		break;
	case EVHTTP_REQ_HEAD:
		method = "HEAD";
		break;
	case EVHTTP_REQ_POST:
		method = "POST";
		break;
	default:
		method = "OTHER";
		break;
	}
	fprintf(s->log, "%lld %s %s %d\n", (long long)time(NULL), method,
	    evhttp_request_get_uri(req), status);
	fflush(s->log);
}

/* Returns the standard reason phrase for the statuses we send. */
static const char *
status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 456: return "Quota Exceeded";	/* DeepL's */
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Status";
	}
}

/* Sends a complete reply with a body and logs it. */
static void
reply(struct server *s, struct evhttp_request *req, int status,
    struct evbuffer *body, struct stat_entry *stat)
{
	if (stat != NULL && body != NULL)
		stat->bytes += evbuffer_get_length(body);
	evhttp_send_reply(req, status, status_reason(status), body);
	server_log(s, req, status);
}

/* Sends a short text/plain reply. */
static void
reply_text(struct server *s, struct evhttp_request *req, int status,
    const char *text, struct stat_entry *stat)
{
	struct evbuffer *body = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add(body, text, strlen(text));
	reply(s, req, status, body, stat);
	evbuffer_free(body);
}

/* Returns the Content-Type for a file name. */
static const char *
content_type_for(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".xml", "application/rss+xml" },
		{ ".rss", "application/rss+xml" },
		{ ".rdf", "application/rdf+xml" },
		{ ".atom", "application/atom+xml" },
		{ ".json", "application/feed+json" },
		{ ".opml", "text/x-opml" },
		{ ".html", "text/html; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot != NULL && strchr(dot, '/') == NULL) {
		for (i = 0; i < sizeof types / sizeof types[0]; i++) {
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
		}
	}
	return "application/octet-stream";
}

/* Returns whether a decoded path stays under the root: no ".." segment. */
static int
path_is_safe(const char *path)
{
	const char *p = path, *end;

	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			return 1;
		end = p + strcspn(p, "/");
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p = end;
	}
}

/* Applies a sidecar FILE.headers; returns the status it asks for, or 0. */
static int
apply_sidecar(const char *file, struct evkeyvalq *out)
{
	char *path, *text, *line, *next, *colon, *v, *end, *cause = NULL;
	size_t len;
	int status = 0;

	xasprintf(&path, "%s.headers", file);
	text = util_read_file(path, SERVER_MAX_SIDECAR, &len, &cause);
	free(path);
	free(cause);
	if (text == NULL)
		return 0;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*line == '#' || (colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (strcasecmp(line, "Status") == 0) {
			status = atoi(v);
			continue;
		}
		evhttp_remove_header(out, line);
		evhttp_add_header(out, line, v);
	}
	free(text);
	return status;
}

/* Returns whether If-None-Match lists our entity tag (weak or strong). */
static int
etag_matches(const char *header, const char *etag)
{
	char *copy, *tok, *save = NULL;
	int match = 0;

	copy = xstrdup(header);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && !match;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		if (strncmp(tok, "W/", 2) == 0)
			tok += 2;
		tok[strcspn(tok, " \t")] = '\0';
		if (strcmp(tok, "*") == 0 || strcmp(tok, etag) == 0)
			match = 1;
	}
	free(copy);
	return match;
}

/* Compresses a buffer into a gzip member; returns the caller's buffer. */
static unsigned char *
gzip_buffer(const void *data, size_t len, size_t *outlen)
{
	z_stream z;
	unsigned char *out;
	size_t bound;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		fatalx("deflateInit2 failed");
	bound = deflateBound(&z, len);
	out = xmalloc(bound);
	z.next_in = (unsigned char *)data;
	z.avail_in = len;
	z.next_out = out;
	z.avail_out = bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		fatalx("deflate failed");
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/* Builds the gzip bomb: 1 GiB of zeros in about 1 MB. Deflating a whole
 * GiB takes seconds, so one MiB is deflated with a full flush (a run of
 * complete, byte-aligned blocks that refer to nothing before them) and
 * repeated; an empty final block and the trailer (CRC via crc32_combine)
 * close the member. */
static void
bomb_build(struct server *s)
{
	static const unsigned char header[10] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3
	};
	static const unsigned char last_block[2] = { 0x03, 0x00 };
	unsigned char *zeros, *block, *p;
	uLong crc, block_crc;
	size_t block_len, i;
	uint32_t isize;
	z_stream z;

	zeros = xcalloc(1, SERVER_BOMB_BLOCK);
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		fatalx("deflateInit2 failed");
	block = xmalloc(deflateBound(&z, SERVER_BOMB_BLOCK) + 64);
	z.next_in = zeros;
	z.avail_in = SERVER_BOMB_BLOCK;
	z.next_out = block;
	z.avail_out = deflateBound(&z, SERVER_BOMB_BLOCK) + 64;
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0)
		fatalx("deflate failed");
	block_len = z.total_out;
	deflateEnd(&z);

	block_crc = crc32(0, zeros, SERVER_BOMB_BLOCK);
	crc = crc32(0, Z_NULL, 0);
	for (i = 0; i < SERVER_BOMB_BLOCKS; i++)
		crc = crc32_combine(crc, block_crc, SERVER_BOMB_BLOCK);
	isize = (uint32_t)((uint64_t)SERVER_BOMB_BLOCK * SERVER_BOMB_BLOCKS);

	s->bomb_len = sizeof header + block_len * SERVER_BOMB_BLOCKS +
	    sizeof last_block + 8;
	s->bomb = p = xmalloc(s->bomb_len);
	memcpy(p, header, sizeof header);
	p += sizeof header;
	for (i = 0; i < SERVER_BOMB_BLOCKS; i++, p += block_len)
		memcpy(p, block, block_len);
	memcpy(p, last_block, sizeof last_block);
	p += sizeof last_block;
	for (i = 0; i < 4; i++)
		*p++ = (crc >> (8 * i)) & 0xff;
	for (i = 0; i < 4; i++)
		*p++ = (isize >> (8 * i)) & 0xff;
	free(block);
	free(zeros);
}

/* Frees a deferred reply's own state (not the request). */
static void
deferred_free(struct deferred *d)
{
	LIST_REMOVE(d, entry);
	if (d->timer != NULL)
		event_free(d->timer);
	free(d->data);
	free(d);
}

/* The client went away (or the server is stopping) during a deferred reply.
 * If libevent let go of the request, it is ours to free. */
static void
deferred_close_cb(struct evhttp_connection *evcon, void *arg)
{
	struct deferred *d = arg;

	if (evhttp_request_get_connection(d->req) == NULL)
		evhttp_send_reply_end(d->req);
	deferred_free(d);
}

/* Starts a reply that will be completed later. */
static struct deferred *
deferred_new(struct server *s, struct evhttp_request *req,
    struct stat_entry *stat)
{
	struct deferred *d;

	d = xcalloc(1, sizeof *d);
	d->server = s;
	d->req = req;
	d->stat = stat;
	d->evcon = evhttp_request_get_connection(req);
	evhttp_connection_set_closecb(d->evcon, deferred_close_cb, d);
	LIST_INSERT_HEAD(&s->deferred, d, entry);
	return d;
}

/* Completes a deferred reply normally. */
static void
deferred_finish(struct deferred *d)
{
	evhttp_connection_set_closecb(d->evcon, NULL, NULL);
	evhttp_send_reply_end(d->req);
	deferred_free(d);
}

/* Timer: sends the next few bytes of a drip. */
static void
drip_cb(evutil_socket_t fd, short what, void *arg)
{
	struct deferred *d = arg;
	struct evbuffer *chunk;
	size_t n;

	n = d->len - d->off;
	if (n > d->per_tick)
		n = d->per_tick;
	if (n > 0) {
		chunk = evbuffer_new();
		evbuffer_add(chunk, d->data + d->off, n);
		evhttp_send_reply_chunk(d->req, chunk);
		evbuffer_free(chunk);
		d->off += n;
		d->stat->bytes += n;
	}
	if (d->off == d->len)
		deferred_finish(d);
}

/* Timer: a hung request ends when its client goes. evhttp does not read
 * while a reply is pending, so we peek at the socket ourselves. */
static void
hang_cb(evutil_socket_t unused, short what, void *arg)
{
	struct deferred *d = arg;
	struct bufferevent *bev;
	evutil_socket_t fd;
	ssize_t n;
	char c;

	bev = evhttp_connection_get_bufferevent(d->evcon);
	if ((fd = bufferevent_getfd(bev)) == -1)
		return;
	n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR))
		evhttp_connection_free(d->evcon);	/* calls deferred_close_cb */
}

/* Written: sends the next chunk of a generated big body. */
static void
big_cb(struct evhttp_connection *evcon, void *arg)
{
	struct deferred *d = arg;
	struct server *s = d->server;
	struct evbuffer *chunk;
	size_t n;

	if (d->remaining == 0) {
		deferred_finish(d);
		return;
	}
	n = d->remaining < SERVER_BIG_CHUNK ? d->remaining : SERVER_BIG_CHUNK;
	chunk = evbuffer_new();
	evbuffer_add_reference(chunk, s->big_pattern, n, NULL, NULL);
	d->remaining -= n;
	d->stat->bytes += n;
	evhttp_send_reply_chunk_with_cb(d->req, chunk, big_cb, d);
	evbuffer_free(chunk);
}

/* /big/BYTES and /big-length/BYTES: a generated body sent as the socket drains. */
static void
serve_big(struct server *s, struct evhttp_request *req, const char *arg,
    int with_length, struct stat_entry *stat)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct deferred *d;
	unsigned long long bytes;
	char *end, len[32];

	bytes = strtoull(arg, &end, 10);
	if (end == arg || (*end != '\0' && *end != '/')) {
		reply_text(s, req, 400, "bad size\n", stat);
		return;
	}
	evhttp_add_header(out, "Content-Type", "application/octet-stream");
	if (with_length) {
		snprintf(len, sizeof len, "%llu", bytes);
		evhttp_add_header(out, "Content-Length", len);
	}
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		reply(s, req, 200, NULL, stat);
		return;
	}
	d = deferred_new(s, req, stat);
	d->remaining = bytes;
	evhttp_send_reply_start(req, 200, "OK");
	server_log(s, req, 200);
	big_cb(d->evcon, d);
}

/* Opens a regular file under the root. Returns its descriptor, or -1 with
 * the status to answer in *status. */
static int
open_root_file(struct server *s, const char *rel, struct stat *st,
    char **full, int *status)
{
	int fd;

	*status = 404;
	xasprintf(full, "%s/%s", s->root, rel);
	if ((fd = open(*full, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode) ||
	    (size_t)st->st_size > SERVER_MAX_FILE) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads all of an open file (for gzip and drips); NULL on error. */
static char *
read_fd(int fd, size_t size)
{
	char *text = xmalloc(size + 1);
	size_t off = 0;
	ssize_t n;

	while (off < size) {
		n = read(fd, text + off, size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(text);
			return NULL;
		}
		off += n;
	}
	return text;
}

/* Starts dripping text (taken) at bps bytes a second. */
static void
serve_drip(struct server *s, struct evhttp_request *req, int status,
    char *text, size_t len, long bps, struct stat_entry *stat)
{
	struct deferred *d;

	d = deferred_new(s, req, stat);
	d->data = text;
	d->len = len;
	d->per_tick = bps * SERVER_DRIP_MS / 1000;
	if (d->per_tick == 0)
		d->per_tick = 1;
	d->timer = event_new(s->base, -1, EV_PERSIST, drip_cb, d);
	evhttp_send_reply_start(req, status, status_reason(status));
	server_log(s, req, status);
	event_add(d->timer, &(struct timeval){ 0, SERVER_DRIP_MS * 1000 });
}

/* Serves a file under the root with validators and conditional GET;
 * optionally gzip-encoded or dripped at bps bytes a second. */
static void
serve_file(struct server *s, struct evhttp_request *req, const char *rel,
    int gzip, long bps, struct stat_entry *stat)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct stat st;
	struct evbuffer *body;
	const char *inm, *ims;
	char *full = NULL, *text = NULL, etag[96], date[64];
	unsigned char *packed;
	size_t packed_len;
	int fd, status, forced;
	time_t since;

	while (*rel == '/')
		rel++;
	if (*rel == '\0' || (fd = open_root_file(s, rel, &st, &full,
	    &status)) == -1) {
		free(full);
		reply_text(s, req, 404, "not found\n", stat);
		return;
	}
	snprintf(etag, sizeof etag, "\"%jx-%jx%jx%s\"", (uintmax_t)st.st_size,
	    (uintmax_t)st.st_mtim.tv_sec, (uintmax_t)st.st_mtim.tv_nsec,
	    gzip ? "-gz" : "");
	http_date(st.st_mtim.tv_sec, date, sizeof date);
	evhttp_add_header(out, "Content-Type", content_type_for(rel));
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", date);
	forced = apply_sidecar(full, out);
	free(full);

	if (forced == 0) {
		inm = evhttp_find_header(in, "If-None-Match");
		ims = evhttp_find_header(in, "If-Modified-Since");
		if ((inm != NULL && etag_matches(inm, etag)) || (inm == NULL &&
		    ims != NULL && (since = http_date_parse(ims)) != -1 &&
		    st.st_mtim.tv_sec <= since)) {
			close(fd);
			evhttp_remove_header(out, "Content-Type");
			reply(s, req, 304, NULL, stat);
			return;
		}
	}
	status = forced != 0 ? forced : 200;

	if ((gzip || bps > 0) &&
	    (text = read_fd(fd, st.st_size)) == NULL) {
		close(fd);
		reply_text(s, req, 500, "read error\n", stat);
		return;
	}
	if (bps > 0 && evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		close(fd);
		serve_drip(s, req, status, text, st.st_size, bps, stat);
		return;
	}
	body = evbuffer_new();
	if (gzip) {
		close(fd);
		packed = gzip_buffer(text, st.st_size, &packed_len);
		evhttp_add_header(out, "Content-Encoding", "gzip");
		evbuffer_add(body, packed, packed_len);
		free(packed);
	} else if (text != NULL) {
		close(fd);
		evbuffer_add(body, text, st.st_size);
	} else if (st.st_size > 0) {
		/* Sent with sendfile; the buffer takes the descriptor. */
		evbuffer_add_file(body, fd, 0, st.st_size);
	} else
		close(fd);
	free(text);
	reply(s, req, status, body, stat);
	evbuffer_free(body);
}

/* /echo: the request back, so API clients can see what they sent. */
static void
serve_echo(struct server *s, struct evhttp_request *req, struct stat_entry *stat)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyval *h;
	struct evbuffer *body = evbuffer_new();

	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_POST:
		evbuffer_add_printf(body, "POST\n");
		break;
	case EVHTTP_REQ_HEAD:
		evbuffer_add_printf(body, "HEAD\n");
		break;
	default:
		evbuffer_add_printf(body, "GET\n");
		break;
	}
	TAILQ_FOREACH(h, in, next)
		evbuffer_add_printf(body, "%s: %s\n", h->key, h->value);
	evbuffer_add_printf(body, "\n");
	evbuffer_add_buffer(body, evhttp_request_get_input_buffer(req));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	reply(s, req, 200, body, stat);
	evbuffer_free(body);
}

/* Records a POST under name as one line: its Content-Type and X-* headers,
 * then its body escaped so that the line stays one line. */
static void
record_post(struct server *s, struct evhttp_request *req, const char *name)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	struct evbuffer *line = evbuffer_new();
	struct post_record *r;
	struct evkeyval *h;
	const unsigned char *p;
	size_t len, i;

	TAILQ_FOREACH(h, in, next) {
		if (strcasecmp(h->key, "Content-Type") == 0 ||
		    strncasecmp(h->key, "X-", 2) == 0)
			evbuffer_add_printf(line, "%s: %s\t", h->key, h->value);
	}
	len = evbuffer_get_length(body);
	p = evbuffer_pullup(body, -1);
	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\':
			evbuffer_add(line, "\\\\", 2);
			break;
		case '\n':
			evbuffer_add(line, "\\n", 2);
			break;
		case '\r':
			evbuffer_add(line, "\\r", 2);
			break;
		case '\t':
			evbuffer_add(line, "\\t", 2);
			break;
		default:
			evbuffer_add(line, &p[i], 1);
			break;
		}
	}
	s->posts = xreallocarray(s->posts, s->nposts + 1, sizeof *s->posts);
	r = &s->posts[s->nposts++];
	r->name = xstrdup(name);
	len = evbuffer_get_length(line);
	r->line = xmalloc(len + 1);
	evbuffer_remove(line, r->line, len);
	r->line[len] = '\0';
	evbuffer_free(line);
}

/* /post/NAME: records the POST and answers 200. */
static void
serve_post(struct server *s, struct evhttp_request *req, const char *name,
    struct stat_entry *stat)
{
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST || *name == '\0')
		reply_text(s, req, 400, "POST /post/NAME only\n", stat);
	else if (s->nposts == SERVER_MAX_POSTS)
		reply_text(s, req, 503, "too many posts recorded\n", stat);
	else {
		record_post(s, req, name);
		reply_text(s, req, 200, "ok\n", stat);
	}
}

/* /_posts/NAME: the POSTs recorded under NAME, one a line. */
static void
serve_posts(struct server *s, struct evhttp_request *req, const char *name)
{
	struct evbuffer *body = evbuffer_new();
	size_t i;

	for (i = 0; i < s->nposts; i++) {
		if (strcmp(s->posts[i].name, name) == 0)
			evbuffer_add_printf(body, "%s\n", s->posts[i].line);
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	reply(s, req, 200, body, NULL);
	evbuffer_free(body);
}

/* Forgets every recorded POST. */
static void
posts_clear(struct server *s)
{
	size_t i;

	for (i = 0; i < s->nposts; i++) {
		free(s->posts[i].name);
		free(s->posts[i].line);
	}
	free(s->posts);
	s->posts = NULL;
	s->nposts = 0;
}

/* Sends a redirect to location. */
static void
serve_redirect(struct server *s, struct evhttp_request *req, int code,
    const char *location, struct stat_entry *stat)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
	    location);
	reply_text(s, req, code, "moved\n", stat);
}

/* Parses "NUMBER/" at the start of p; returns the rest after the slash (or
 * at the end), or NULL. */
static const char *
parse_number(const char *p, long long *n)
{
	char *end;

	if (!isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	*n = strtoll(p, &end, 10);
	if (errno != 0)
		return NULL;
	if (*end == '/')
		return end + 1;
	return *end == '\0' ? end : NULL;
}

/*
 * The translation APIs, LibreTranslate and DeepL, as their documentation
 * describes them, for translate/'s tests: requests are checked for the
 * documented shape and answered with a deterministic "translation", the
 * target code in brackets before the text ("[en] Hola").
 *
 * The server links no JSON library, so the request bodies are read by the
 * small strict reader below (RFC 8259; bounded depth; strings decoded to
 * UTF-8 with \u escapes and surrogate pairs).
 */

#define JSON_MAX_DEPTH		16
#define DEEPL_MAX_TEXTS		50
#define DEEPL_MAX_BODY		(128 * 1024)

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
    JSON_OBJECT };

/* A JSON value: a string's decoded bytes, an array's items, an object's
 * keys and values. */
struct json_value {
	enum json_type		 type;
	char			*str;
	size_t			 len;
	struct json_value	*items;
	char			**keys;
	size_t			 n;
};

/* Frees what a value holds. */
static void
json_value_clear(struct json_value *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_value_clear(&v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof *v);
}

/* Skips JSON white space. */
static void
json_skip(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n' ||
	    **p == '\r'))
		(*p)++;
}

/* Appends a code point as UTF-8. */
static void
json_put_utf8(struct evbuffer *b, uint32_t c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = 0xc0 | (c >> 6);
		u[1] = 0x80 | (c & 0x3f);
		n = 2;
	} else if (c < 0x10000) {
		u[0] = 0xe0 | (c >> 12);
		u[1] = 0x80 | ((c >> 6) & 0x3f);
		u[2] = 0x80 | (c & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (c >> 18);
		u[1] = 0x80 | ((c >> 12) & 0x3f);
		u[2] = 0x80 | ((c >> 6) & 0x3f);
		u[3] = 0x80 | (c & 0x3f);
		n = 4;
	}
	evbuffer_add(b, u, n);
}

/* Reads four hex digits. Returns -1 when they are not. */
static long
json_hex4(const char *p, const char *end)
{
	long v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		v = v * 16 + (isdigit((unsigned char)p[i]) ? p[i] - '0' :
		    tolower((unsigned char)p[i]) - 'a' + 10);
	}
	return v;
}

/* Reads a string (at the opening quote) into a NUL-terminated copy. */
static int
json_parse_string(const char **p, const char *end, char **out, size_t *len)
{
	struct evbuffer *b = evbuffer_new();
	long c, lo;
	char ch;

	(*p)++;
	while (*p < end && **p != '"') {
		ch = *(*p)++;
		if ((unsigned char)ch < 0x20)
			goto fail;
		if (ch != '\\') {
			evbuffer_add(b, &ch, 1);
			continue;
		}
		if (*p == end)
			goto fail;
		switch (ch = *(*p)++) {
		case '"': case '\\': case '/':
			evbuffer_add(b, &ch, 1);
			break;
		case 'b': evbuffer_add(b, "\b", 1); break;
		case 'f': evbuffer_add(b, "\f", 1); break;
		case 'n': evbuffer_add(b, "\n", 1); break;
		case 'r': evbuffer_add(b, "\r", 1); break;
		case 't': evbuffer_add(b, "\t", 1); break;
		case 'u':
			if ((c = json_hex4(*p, end)) == -1)
				goto fail;
			*p += 4;
			if (c >= 0xd800 && c <= 0xdbff) {
				if (end - *p < 6 || (*p)[0] != '\\' ||
				    (*p)[1] != 'u' || (lo = json_hex4(*p + 2,
				    end)) < 0xdc00 || lo > 0xdfff)
					goto fail;
				*p += 6;
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			} else if (c >= 0xdc00 && c <= 0xdfff)
				goto fail;
			json_put_utf8(b, (uint32_t)c);
			break;
		default:
			goto fail;
		}
	}
	if (*p == end)
		goto fail;
	(*p)++;
	*len = evbuffer_get_length(b);
	*out = xmalloc(*len + 1);
	evbuffer_remove(b, *out, *len);
	(*out)[*len] = '\0';
	evbuffer_free(b);
	return 0;
fail:
	evbuffer_free(b);
	return -1;
}

static int	json_parse_value(const char **, const char *, struct json_value *,
		    int);

/* Reads the items (or members) of an array (or object) after its opening
 * bracket. */
static int
json_parse_items(const char **p, const char *end, struct json_value *v,
    int depth)
{
	char close = v->type == JSON_ARRAY ? ']' : '}';
	struct json_value item;
	char *key = NULL;
	size_t keylen;

	json_skip(p, end);
	if (*p < end && **p == close) {
		(*p)++;
		return 0;
	}
	for (;;) {
		if (v->type == JSON_OBJECT) {
			json_skip(p, end);
			if (*p == end || **p != '"' ||
			    json_parse_string(p, end, &key, &keylen) != 0)
				return -1;
			json_skip(p, end);
			if (*p == end || **p != ':') {
				free(key);
				return -1;
			}
			(*p)++;
		}
		memset(&item, 0, sizeof item);
		if (json_parse_value(p, end, &item, depth + 1) != 0) {
			json_value_clear(&item);
			free(key);
			return -1;
		}
		v->items = xreallocarray(v->items, v->n + 1, sizeof *v->items);
		if (v->type == JSON_OBJECT) {
			v->keys = xreallocarray(v->keys, v->n + 1,
			    sizeof *v->keys);
			v->keys[v->n] = key;
			key = NULL;
		}
		v->items[v->n++] = item;
		json_skip(p, end);
		if (*p < end && **p == ',') {
			(*p)++;
			continue;
		}
		if (*p < end && **p == close) {
			(*p)++;
			return 0;
		}
		return -1;
	}
}

/* Reads one value; 0, or -1 when the text is not JSON. */
static int
json_parse_value(const char **p, const char *end, struct json_value *v,
    int depth)
{
	const char *start;

	if (depth > JSON_MAX_DEPTH)
		return -1;
	json_skip(p, end);
	if (*p == end)
		return -1;
	switch (**p) {
	case '"':
		v->type = JSON_STRING;
		return json_parse_string(p, end, &v->str, &v->len);
	case '[':
	case '{':
		v->type = **p == '[' ? JSON_ARRAY : JSON_OBJECT;
		(*p)++;
		return json_parse_items(p, end, v, depth);
	case 't':
	case 'f':
	case 'n':
		start = *p;
		while (*p < end && islower((unsigned char)**p))
			(*p)++;
		v->type = *start == 'n' ? JSON_NULL : JSON_BOOL;
		if ((size_t)(*p - start) == 4 && strncmp(start, "true", 4) == 0)
			return 0;
		if ((size_t)(*p - start) == 5 && strncmp(start, "false", 5) == 0)
			return 0;
		return (size_t)(*p - start) == 4 &&
		    strncmp(start, "null", 4) == 0 ? 0 : -1;
	default:
		start = *p;
		while (*p < end && strchr("+-.0123456789eE", **p) != NULL)
			(*p)++;
		v->type = JSON_NUMBER;
		return *p > start ? 0 : -1;
	}
}

/* Parses a whole document. Returns 0, or -1 when it is not JSON. */
static int
json_parse(const char *text, size_t len, struct json_value *v)
{
	const char *p = text, *end = text + len;

	memset(v, 0, sizeof *v);
	if (json_parse_value(&p, end, v, 0) != 0) {
		json_value_clear(v);
		return -1;
	}
	json_skip(&p, end);
	if (p != end) {
		json_value_clear(v);
		return -1;
	}
	return 0;
}

/* An object's member, or NULL. */
static const struct json_value *
json_get(const struct json_value *v, const char *key)
{
	size_t i;

	if (v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++) {
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	}
	return NULL;
}

/* An object's string member, or NULL. */
static const char *
json_get_string(const struct json_value *v, const char *key)
{
	const struct json_value *m = json_get(v, key);

	return m != NULL && m->type == JSON_STRING ? m->str : NULL;
}

/* Appends a string as a JSON literal. */
static void
json_put_string(struct evbuffer *b, const char *s)
{
	const unsigned char *p;

	evbuffer_add(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			evbuffer_add_printf(b, "\\%c", *p);
		else if (*p == '\n')
			evbuffer_add(b, "\\n", 2);
		else if (*p < 0x20)
			evbuffer_add_printf(b, "\\u%04x", *p);
		else
			evbuffer_add(b, p, 1);
	}
	evbuffer_add(b, "\"", 1);
}

enum api_kind { API_LIBRETRANSLATE, API_DEEPL };

/* The misbehaviour asked for in the path before the endpoint. */
struct api_mode {
	char		*key;		/* key/KEY: only this key is accepted */
	long long	 fail_code;	/* fail/CODE/N: CODE for the first N */
	long long	 fail_n;
	char		*garbage;	/* garbage/KIND */
	long long	 slow_ms;	/* slow/MS */
};

/* Sends a JSON reply, now or (slow mode) after a while. */
static void
api_reply(struct server *s, struct evhttp_request *req, int status,
    struct evbuffer *body, const struct api_mode *mode,
    struct stat_entry *stat);

/* Parses the mode segments in front of the endpoint; returns the endpoint
 * ("/translate", "/languages", "/v2/translate"), or NULL when the path is
 * not one. */
static const char *
api_parse_mode(const char *rest, struct api_mode *mode)
{
	const char *p = rest, *next;
	size_t n;

	memset(mode, 0, sizeof *mode);
	for (;;) {
		if (strcmp(p, "translate") == 0 || strcmp(p, "languages") == 0 ||
		    strcmp(p, "v2/translate") == 0)
			return p;
		if (strncmp(p, "key/", 4) == 0) {
			p += 4;
			n = strcspn(p, "/");
			if (n == 0 || p[n] != '/')
				return NULL;
			free(mode->key);
			mode->key = xstrndup(p, n);
			p += n + 1;
		} else if (strncmp(p, "fail/", 5) == 0) {
			if ((next = parse_number(p + 5, &mode->fail_code)) ==
			    NULL || (p = parse_number(next, &mode->fail_n)) ==
			    NULL || mode->fail_code < 100 ||
			    mode->fail_code > 999)
				return NULL;
		} else if (strncmp(p, "garbage/", 8) == 0) {
			p += 8;
			n = strcspn(p, "/");
			if (n == 0 || p[n] != '/')
				return NULL;
			free(mode->garbage);
			mode->garbage = xstrndup(p, n);
			p += n + 1;
		} else if (strncmp(p, "slow/", 5) == 0) {
			if ((p = parse_number(p + 5, &mode->slow_ms)) == NULL)
				return NULL;
		} else
			return NULL;
	}
}

/* An error answer in the API's own shape: {"error":...} for
 * LibreTranslate, {"message":...} for DeepL. */
static void
api_error(struct server *s, struct evhttp_request *req, enum api_kind kind,
    int status, const char *message, struct stat_entry *stat)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *body = evbuffer_new();

	if (status == 429 || status == 503)
		evhttp_add_header(out, "Retry-After", "30");
	evbuffer_add_printf(body, "{\"%s\":",
	    kind == API_DEEPL ? "message" : "error");
	json_put_string(body, message);
	evbuffer_add(body, "}", 1);
	evhttp_add_header(out, "Content-Type", "application/json");
	reply(s, req, status, body, stat);
	evbuffer_free(body);
}

/* Timer: the slow mode's reply is due. */
static void
api_later_cb(evutil_socket_t fd, short what, void *arg)
{
	struct deferred *d = arg;
	struct evbuffer *chunk = evbuffer_new();

	evhttp_send_reply_start(d->req, d->status, status_reason(d->status));
	server_log(d->server, d->req, d->status);
	evbuffer_add(chunk, d->data, d->len);
	d->stat->bytes += d->len;
	evhttp_send_reply_chunk(d->req, chunk);
	evbuffer_free(chunk);
	deferred_finish(d);
}

static void
api_reply(struct server *s, struct evhttp_request *req, int status,
    struct evbuffer *body, const struct api_mode *mode,
    struct stat_entry *stat)
{
	struct deferred *d;
	struct timeval tv;

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", mode->garbage != NULL &&
	    strcmp(mode->garbage, "html") == 0 ? "text/html; charset=utf-8" :
	    "application/json");
	if (mode->slow_ms <= 0) {
		reply(s, req, status, body, stat);
		return;
	}
	d = deferred_new(s, req, stat);
	d->len = evbuffer_get_length(body);
	d->data = xmalloc(d->len + 1);
	evbuffer_remove(body, d->data, d->len);
	d->status = status;
	d->timer = evtimer_new(s->base, api_later_cb, d);
	tv.tv_sec = mode->slow_ms / 1000;
	tv.tv_usec = (mode->slow_ms % 1000) * 1000;
	evtimer_add(d->timer, &tv);
}

/* The texts of a request: a string or an array of strings (LibreTranslate
 * "q", DeepL "text"). Returns their number, or -1 when it is neither. */
static long
api_texts(const struct json_value *v, const char ***texts, int *is_array)
{
	size_t i;

	*is_array = 0;
	if (v == NULL)
		return -1;
	if (v->type == JSON_STRING) {
		*texts = xcalloc(1, sizeof **texts);
		(*texts)[0] = v->str;
		return 1;
	}
	if (v->type != JSON_ARRAY)
		return -1;
	*texts = xcalloc(v->n + 1, sizeof **texts);
	for (i = 0; i < v->n; i++) {
		if (v->items[i].type != JSON_STRING) {
			free(*texts);
			return -1;
		}
		(*texts)[i] = v->items[i].str;
	}
	*is_array = 1;
	return (long)v->n;
}

/* Whether code is in the NULL-terminated list. */
static int
api_code_in(const char *code, const char * const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(code, *list) == 0)
			return 1;
	}
	return 0;
}

static const char * const libretranslate_codes[] = {
	"ar", "de", "en", "es", "fr", "he", "ru", "uk", NULL,
};

/* GET /languages: every code translates to every other. */
static void
serve_libretranslate_languages(struct server *s, struct evhttp_request *req,
    const struct api_mode *mode, struct stat_entry *stat)
{
	struct evbuffer *body = evbuffer_new();
	size_t i, j;
	int first;

	if (mode->garbage != NULL)
		evbuffer_add_printf(body, "<html><body>Bad Gateway</body></html>");
	else {
		evbuffer_add(body, "[", 1);
		for (i = 0; libretranslate_codes[i] != NULL; i++) {
			evbuffer_add_printf(body, "%s{\"code\":\"%s\",\"name\":"
			    "\"%s\",\"targets\":[", i > 0 ? "," : "",
			    libretranslate_codes[i], libretranslate_codes[i]);
			for (j = 0, first = 1; libretranslate_codes[j] != NULL;
			    j++) {
				if (j == i)
					continue;
				evbuffer_add_printf(body, "%s\"%s\"",
				    first ? "" : ",", libretranslate_codes[j]);
				first = 0;
			}
			evbuffer_add(body, "]}", 2);
		}
		evbuffer_add(body, "]", 1);
	}
	api_reply(s, req, 200, body, mode, stat);
	evbuffer_free(body);
}

/* Writes the translations of texts: "[target] text" each, as the garbage
 * mode asks: "count" drops the last, "empty" gives empty strings,
 * "shape" an object of another API, "html" a proxy's error page. */
static void
api_put_translations(struct evbuffer *body, enum api_kind kind,
    const char *target, const char *source, const char **texts, long n,
    int is_array, const char *garbage)
{
	char *t;
	long i;

	if (garbage != NULL && strcmp(garbage, "html") == 0) {
		evbuffer_add_printf(body, "<html><body><h1>502 Bad Gateway"
		    "</h1></body></html>\n");
		return;
	}
	if (garbage != NULL && strcmp(garbage, "shape") == 0) {
		evbuffer_add_printf(body, "{\"result\":\"ok\"}");
		return;
	}
	if (garbage != NULL && strcmp(garbage, "count") == 0 && n > 0)
		n--;
	evbuffer_add_printf(body, kind == API_DEEPL ? "{\"translations\":[" :
	    is_array ? "{\"translatedText\":[" : "{\"translatedText\":");
	for (i = 0; i < n; i++) {
		if (garbage != NULL && strcmp(garbage, "empty") == 0)
			t = xstrdup("");
		else
			xasprintf(&t, "[%s] %s", target, texts[i]);
		if (i > 0)
			evbuffer_add(body, ",", 1);
		if (kind == API_DEEPL) {
			evbuffer_add_printf(body,
			    "{\"detected_source_language\":\"%s\",\"text\":",
			    source != NULL ? source : "ES");
			json_put_string(body, t);
			evbuffer_add(body, "}", 1);
		} else
			json_put_string(body, t);
		free(t);
	}
	evbuffer_add_printf(body, kind == API_DEEPL || is_array ? "]}" : "}");
}

/* POST /translate of LibreTranslate. */
static void
serve_libretranslate_translate(struct server *s, struct evhttp_request *req,
    const struct api_mode *mode, struct json_value *json,
    struct stat_entry *stat)
{
	const char *source, *target, *format, *key, **texts = NULL;
	struct evbuffer *body;
	int is_array;
	long n;
	char msg[128];

	source = json_get_string(json, "source");
	target = json_get_string(json, "target");
	format = json_get_string(json, "format");
	key = json_get_string(json, "api_key");
	if ((n = api_texts(json_get(json, "q"), &texts, &is_array)) == -1 ||
	    source == NULL || target == NULL) {
		api_error(s, req, API_LIBRETRANSLATE, 400,
		    "Invalid request: missing q, source or target", stat);
		return;
	}
	if (format != NULL && strcmp(format, "text") != 0 &&
	    strcmp(format, "html") != 0) {
		free(texts);
		api_error(s, req, API_LIBRETRANSLATE, 400,
		    "Invalid request: format", stat);
		return;
	}
	if (mode->key != NULL && (key == NULL || strcmp(key, mode->key) != 0)) {
		/* The key is echoed, so that clients can be seen to keep
		 * keys out of their logs. */
		free(texts);
		snprintf(msg, sizeof msg, "Invalid API key: %.64s",
		    key != NULL ? key : "none");
		api_error(s, req, API_LIBRETRANSLATE, 403, msg, stat);
		return;
	}
	if (!api_code_in(source, libretranslate_codes) ||
	    !api_code_in(target, libretranslate_codes)) {
		free(texts);
		snprintf(msg, sizeof msg, "%.16s is not supported",
		    api_code_in(source, libretranslate_codes) ? target : source);
		api_error(s, req, API_LIBRETRANSLATE, 400, msg, stat);
		return;
	}
	body = evbuffer_new();
	api_put_translations(body, API_LIBRETRANSLATE, target, NULL, texts, n,
	    is_array, mode->garbage);
	api_reply(s, req, 200, body, mode, stat);
	evbuffer_free(body);
	free(texts);
}

static const char * const deepl_sources[] = {
	"AR", "BG", "CS", "DA", "DE", "EL", "EN", "ES", "ET", "FI", "FR", "HE",
	"HU", "ID", "IT", "JA", "KO", "LT", "LV", "NB", "NL", "PL", "PT", "RO",
	"RU", "SK", "SL", "SV", "TR", "UK", "ZH", NULL,
};
static const char * const deepl_targets[] = {
	"AR", "BG", "CS", "DA", "DE", "EL", "EN-GB", "EN-US", "ES", "ET", "FI",
	"FR", "HE", "HU", "ID", "IT", "JA", "KO", "LT", "LV", "NB", "NL", "PL",
	"PT-BR", "PT-PT", "RO", "RU", "SK", "SL", "SV", "TR", "UK", "ZH-HANS",
	"ZH-HANT", NULL,
};

/* POST /v2/translate of DeepL. */
static void
serve_deepl_translate(struct server *s, struct evhttp_request *req,
    const struct api_mode *mode, struct json_value *json,
    struct stat_entry *stat)
{
	const char *source, *target, **texts = NULL;
	struct evbuffer *body;
	int is_array;
	long n;

	source = json_get_string(json, "source_lang");
	target = json_get_string(json, "target_lang");
	if ((n = api_texts(json_get(json, "text"), &texts, &is_array)) == -1 ||
	    !is_array || n == 0 || target == NULL) {
		free(texts);
		api_error(s, req, API_DEEPL, 400, "Bad request. Reason: "
		    "text must be a non-empty array, target_lang is required",
		    stat);
		return;
	}
	if (n > DEEPL_MAX_TEXTS) {
		free(texts);
		api_error(s, req, API_DEEPL, 400,
		    "Bad request. Reason: Too many texts", stat);
		return;
	}
	if (!api_code_in(target, deepl_targets) ||
	    (source != NULL && !api_code_in(source, deepl_sources))) {
		free(texts);
		api_error(s, req, API_DEEPL, 400, api_code_in(target,
		    deepl_targets) ? "Value for 'source_lang' not supported." :
		    "Value for 'target_lang' not supported.", stat);
		return;
	}
	body = evbuffer_new();
	api_put_translations(body, API_DEEPL, target, source, texts, n, 1,
	    mode->garbage);
	api_reply(s, req, 200, body, mode, stat);
	evbuffer_free(body);
	free(texts);
}

/* Checks DeepL's Authorization header; returns 0, or -1 after answering 403. */
static int
api_deepl_auth(struct server *s, struct evhttp_request *req,
    const struct api_mode *mode, struct stat_entry *stat)
{
	const char *auth = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	static const char prefix[] = "DeepL-Auth-Key ";

	if (auth == NULL || strncmp(auth, prefix, sizeof prefix - 1) != 0 ||
	    auth[sizeof prefix - 1] == '\0' || (mode->key != NULL &&
	    strcmp(auth + sizeof prefix - 1, mode->key) != 0)) {
		api_error(s, req, API_DEEPL, 403,
		    "Wrong or missing authentication key", stat);
		return -1;
	}
	return 0;
}

/* /libretranslate/[MODE/]{translate,languages} and
 * /deepl/[MODE/]v2/translate: see the comment above json_value. */
static void
serve_translate_api(struct server *s, struct evhttp_request *req,
    enum api_kind kind, const char *rest, struct stat_entry *stat)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *endpoint, *type;
	struct api_mode mode;
	struct json_value json;
	size_t len;

	endpoint = api_parse_mode(rest, &mode);
	if (endpoint == NULL || (kind == API_DEEPL &&
	    strcmp(endpoint, "v2/translate") != 0) ||
	    (kind == API_LIBRETRANSLATE && strcmp(endpoint, "v2/translate") ==
	    0)) {
		reply_text(s, req, 404, "no such endpoint\n", stat);
		goto out;
	}
	if (mode.fail_code != 0 && (mode.fail_n == 0 ||
	    (long long)stat->count <= mode.fail_n)) {
		api_error(s, req, kind, (int)mode.fail_code,
		    status_reason((int)mode.fail_code), stat);
		goto out;
	}
	if (strcmp(endpoint, "languages") == 0) {
		serve_libretranslate_languages(s, req, &mode, stat);
		goto out;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		api_error(s, req, kind, 400, "POST only", stat);
		goto out;
	}
	record_post(s, req, kind == API_DEEPL ? "deepl" : "libretranslate");
	if (kind == API_DEEPL && api_deepl_auth(s, req, &mode, stat) != 0)
		goto out;
	len = evbuffer_get_length(in);
	if (kind == API_DEEPL && len > DEEPL_MAX_BODY) {
		api_error(s, req, kind, 413, "Request Entity Too Large", stat);
		goto out;
	}
	type = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	memset(&json, 0, sizeof json);
	if (type == NULL || strncmp(type, "application/json", 16) != 0 ||
	    json_parse((const char *)evbuffer_pullup(in, -1), len, &json) != 0 ||
	    json.type != JSON_OBJECT) {
		json_value_clear(&json);
		api_error(s, req, kind, 400, "Invalid request: not a JSON object",
		    stat);
		goto out;
	}
	if (kind == API_DEEPL)
		serve_deepl_translate(s, req, &mode, &json, stat);
	else
		serve_libretranslate_translate(s, req, &mode, &json, stat);
	json_value_clear(&json);
out:
	free(mode.key);
	free(mode.garbage);
}

/* /_stats and /_bytes: the counters as text, sorted by path. */
static void
serve_stats(struct server *s, struct evhttp_request *req, int bytes)
{
	struct stat_entry **sorted;
	struct evbuffer *body = evbuffer_new();
	size_t i;

	sorted = xreallocarray(NULL, s->nstats + 1, sizeof *sorted);
	/* Before the first counted request the table is still NULL. */
	if (s->nstats > 0) {
		memcpy(sorted, s->stats, s->nstats * sizeof *sorted);
		qsort(sorted, s->nstats, sizeof *sorted, stat_ptr_cmp);
	}
	for (i = 0; i < s->nstats; i++) {
		if (sorted[i]->count == 0)
			continue;
		if (bytes)
			evbuffer_add_printf(body, "%s %llu\n", sorted[i]->path,
			    sorted[i]->bytes);
		else
			evbuffer_add_printf(body, "%s %lu\n", sorted[i]->path,
			    sorted[i]->count);
	}
	free(sorted);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	reply(s, req, 200, body, NULL);
	evbuffer_free(body);
}

/* /_reset: forgets every count. */
static void
serve_reset(struct server *s, struct evhttp_request *req)
{
	size_t i;

	for (i = 0; i < s->nstats; i++) {
		s->stats[i]->count = 0;
		s->stats[i]->bytes = 0;
	}
	posts_clear(s);
	reply_text(s, req, 200, "ok\n", NULL);
}

/* Returns whether path starts with prefix followed by '/' or its end;
 * *rest is what follows the slash. */
static int
has_prefix(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) != 0)
		return 0;
	if (path[n] == '\0') {
		*rest = path + n;
		return 1;
	}
	if (path[n] != '/')
		return 0;
	*rest = path + n + 1;
	return 1;
}

/* Answers a scripted path; returns 0 when path is not one. */
static int
serve_scripted(struct server *s, struct evhttp_request *req, const char *path,
    struct stat_entry *stat)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *rest, *next;
	long long a, b;
	char buf[512], date[64];

	if (has_prefix(path, "/status", &rest)) {
		if (parse_number(rest, &a) == NULL || a < 100 || a > 999)
			reply_text(s, req, 400, "bad status\n", stat);
		else {
			snprintf(buf, sizeof buf, "status %lld\n", a);
			reply_text(s, req, (int)a, buf, stat);
		}
	} else if (has_prefix(path, "/retry-after", &rest) ||
	    has_prefix(path, "/retry-after-date", &rest)) {
		if ((next = parse_number(rest, &a)) == NULL ||
		    parse_number(next, &b) == NULL || b < 100 || b > 999) {
			reply_text(s, req, 400, "bad retry-after\n", stat);
			return 1;
		}
		if (strncmp(path, "/retry-after-date", 17) == 0) {
			http_date((time_t)a, date, sizeof date);
			evhttp_add_header(out, "Retry-After", date);
		} else {
			snprintf(buf, sizeof buf, "%lld", a);
			evhttp_add_header(out, "Retry-After", buf);
		}
		reply_text(s, req, (int)b, "slow down\n", stat);
	} else if (has_prefix(path, "/redirect", &rest) ||
	    has_prefix(path, "/redirect-relative", &rest)) {
		if ((next = parse_number(rest, &a)) == NULL || a < 300 ||
		    a > 399) {
			reply_text(s, req, 400, "bad redirect\n", stat);
			return 1;
		}
		snprintf(buf, sizeof buf, "%s%s",
		    path[9] == '-' ? "../../" : "/", next);
		serve_redirect(s, req, (int)a, buf, stat);
	} else if (has_prefix(path, "/redirect-loop", &rest)) {
		a = 0;
		parse_number(rest, &a);
		snprintf(buf, sizeof buf, "/redirect-loop/%lld", a + 1);
		serve_redirect(s, req, 302, buf, stat);
	} else if (has_prefix(path, "/redirect-scheme", &rest)) {
		serve_redirect(s, req, 302, strcmp(rest, "ftp") == 0 ?
		    "ftp://127.0.0.1/etc/passwd" : "file:///etc/passwd", stat);
	} else if (has_prefix(path, "/slow", &rest)) {
		if ((next = parse_number(rest, &a)) == NULL || a <= 0)
			reply_text(s, req, 400, "bad rate\n", stat);
		else
			serve_file(s, req, next, 0, (long)a, stat);
	} else if (strncmp(path, "/hang", 5) == 0) {
		struct deferred *d = deferred_new(s, req, stat);

		d->timer = event_new(s->base, -1, EV_PERSIST, hang_cb, d);
		event_add(d->timer, &(struct timeval){ 0, SERVER_HANG_CHECK_MS * 1000 });
		server_log(s, req, 0);
	} else if (has_prefix(path, "/big", &rest))
		serve_big(s, req, rest, 0, stat);
	else if (has_prefix(path, "/big-length", &rest))
		serve_big(s, req, rest, 1, stat);
	else if (has_prefix(path, "/gzip-bomb", &rest)) {
		struct evbuffer *body = evbuffer_new();

		evhttp_add_header(out, "Content-Type", "application/rss+xml");
		evhttp_add_header(out, "Content-Encoding", "gzip");
		evbuffer_add_reference(body, s->bomb, s->bomb_len, NULL, NULL);
		reply(s, req, 200, body, stat);
		evbuffer_free(body);
	} else if (has_prefix(path, "/gzip", &rest))
		serve_file(s, req, rest, 1, 0, stat);
	else if (has_prefix(path, "/flaky", &rest)) {
		if ((next = parse_number(rest, &a)) == NULL)
			reply_text(s, req, 400, "bad count\n", stat);
		else if ((long long)stat->count <= a)
			reply_text(s, req, 500, "flaky\n", stat);
		else
			serve_file(s, req, next, 0, 0, stat);
	} else if (has_prefix(path, "/count", &rest))
		serve_file(s, req, rest, 0, 0, stat);
	else if (has_prefix(path, "/echo", &rest))
		serve_echo(s, req, stat);
	else if (has_prefix(path, "/post", &rest))
		serve_post(s, req, rest, stat);
	else if (has_prefix(path, "/libretranslate", &rest))
		serve_translate_api(s, req, API_LIBRETRANSLATE, rest, stat);
	else if (has_prefix(path, "/deepl", &rest))
		serve_translate_api(s, req, API_DEEPL, rest, stat);
	else if (has_prefix(path, "/post-fail", &rest)) {
		if ((next = parse_number(rest, &a)) == NULL ||
		    (next = parse_number(next, &b)) == NULL || b < 100 ||
		    b > 999)
			reply_text(s, req, 400, "bad post-fail\n", stat);
		else if ((long long)stat->count <= a)
			reply_text(s, req, (int)b, "failing\n", stat);
		else
			serve_post(s, req, next, stat);
	} else
		return 0;
	return 1;
}

/* evhttp: every request. */
static void
server_request_cb(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *raw;
	struct stat_entry *stat;
	char *path;
	size_t len;

	raw = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (raw == NULL || *raw == '\0')
		raw = "/";
	path = evhttp_uridecode(raw, 0, &len);
	if (path == NULL || strlen(path) != len || *path != '/' ||
	    !path_is_safe(path)) {
		reply_text(s, req, 400, "bad path\n", NULL);
		free(path);
		return;
	}
	if (strcmp(path, "/_stats") == 0)
		serve_stats(s, req, 0);
	else if (strcmp(path, "/_bytes") == 0)
		serve_stats(s, req, 1);
	else if (strcmp(path, "/_reset") == 0)
		serve_reset(s, req);
	else if (strncmp(path, "/_posts/", 8) == 0)
		serve_posts(s, req, path + 8);
	else {
		stat = stat_get(s, path);
		stat->count++;
		if (!serve_scripted(s, req, path, stat))
			serve_file(s, req, path, 0, 0, stat);
	}
	free(path);
}

/* SIGTERM, SIGINT: leave the loop; main cleans up. */
static void
server_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;

	event_base_loopexit(s->base, NULL);
}

/* Writes the port to a file by rename, so a reader never sees half of it. */
static void
write_port_file(const char *file, int port)
{
	char *tmp;
	FILE *f;

	xasprintf(&tmp, "%s.tmp", file);
	if ((f = fopen(tmp, "w")) == NULL)
		fatal("%s", tmp);
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, file) != 0)
		fatal("%s", file);
	free(tmp);
}

/* Prints the usage line and exits 2. */
static void WW_NORETURN
usage(void)
{
	fprintf(stderr, "usage: feedserver --root DIR [--port N] "
	    "[--port-file FILE] [--log FILE]\n");
	exit(2);
}

/* Parses options, binds, serves until SIGTERM, then frees everything. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "log", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	struct server s;
	struct evhttp_bound_socket *bound;
	struct event *sigterm, *sigint;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	const char *port_file = NULL, *log_file = NULL;
	struct deferred *d;
	long port = 0;
	size_t i;
	int ch, fd, one = 1;

	log_init(LOG_STYLE_TOOL, "feedserver", 0);
	memset(&s, 0, sizeof s);
	LIST_INIT(&s.deferred);
	while ((ch = getopt_long(argc, argv, "r:p:f:l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			s.root = xstrdup(optarg);
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			if (port < 0 || port > 65535)
				usage();
			break;
		case 'f':
			port_file = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		default:
			usage();
		}
	}
	if (s.root == NULL || optind != argc)
		usage();
	if (log_file != NULL && (s.log = fopen(log_file, "a")) == NULL)
		fatal("%s", log_file);
	if (port_file != NULL)
		unlink(port_file);
	signal(SIGPIPE, SIG_IGN);

	memset(s.big_pattern, 'x', sizeof s.big_pattern);
	bomb_build(&s);
	if ((s.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if ((s.http = evhttp_new(s.base)) == NULL)
		fatalx("evhttp_new failed");
	evhttp_set_allowed_methods(s.http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST);
	evhttp_set_max_body_size(s.http, 4 << 20);
	evhttp_set_timeout(s.http, 120);
	evhttp_set_gencb(s.http, server_request_cb, &s);
	bound = evhttp_bind_socket_with_handle(s.http, "127.0.0.1", (int)port);
	if (bound == NULL)
		fatal("bind 127.0.0.1:%ld", port);
	fd = evhttp_bound_socket_get_fd(bound);
	if (getsockname(fd, (struct sockaddr *)&sin, &slen) == -1)
		fatal("getsockname");
	/* Accepted sockets inherit it: without it Nagle holds each reply's
	 * tail for the client's delayed ACK, 20-40 ms a request. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == -1)
		fatal("setsockopt TCP_NODELAY");
	if (port_file != NULL)
		write_port_file(port_file, ntohs(sin.sin_port));

	sigterm = evsignal_new(s.base, SIGTERM, server_signal_cb, &s);
	sigint = evsignal_new(s.base, SIGINT, server_signal_cb, &s);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	event_base_dispatch(s.base);

	/* Freeing the server closes every connection; their close callbacks
	 * free the deferred replies. Anything left was never attached. */
	evhttp_free(s.http);
	while ((d = LIST_FIRST(&s.deferred)) != NULL)
		deferred_free(d);
	event_free(sigterm);
	event_free(sigint);
	event_base_free(s.base);
	for (i = 0; i < s.nstats; i++) {
		tdelete(s.stats[i], &s.stat_tree, stat_cmp);
		free(s.stats[i]->path);
		free(s.stats[i]);
	}
	free(s.stats);
	posts_clear(&s);
	free(s.bomb);
	free(s.root);
	if (s.log != NULL)
		fclose(s.log);
	return 0;
}
