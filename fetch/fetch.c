/* fetch/fetch.c: HTTP(S) transfers through one curl multi handle driven by the daemon's libevent loop. */

/*
 * This is curl's hiperfifo pattern. libcurl tells us through
 * fetch_multi_socket_cb which sockets to watch and through
 * fetch_multi_timer_cb when to wake it; libevent calls fetch_event_cb and
 * fetch_timeout_cb, which hand control back with curl_multi_socket_action
 * and then reap finished transfers with curl_multi_info_read.
 *
 * In front of the multi handle sits our own queue. A transfer waits on its
 * host (scheme, host and port of its URL) until both a global slot
 * (options.concurrency) and a slot on that host (options.per_host) are
 * free; hosts with work and room take turns, so one outlet with a thousand
 * feeds cannot starve the others. An easy handle exists only while a
 * transfer runs, which keeps ten thousand queued polls cheap.
 *
 * Callbacks run only from the loop: a URL rejected by fetch_start fails
 * through a zero timer. User code may call fetch_start, fetch_cancel and
 * even fetcher_free from inside a callback; fetcher_free then tears
 * everything down at once but leaves the struct itself to the outermost
 * frame of ours that is still running (busy/dying).
 */

#include <sys/queue.h>

#include <ctype.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "common/common.h"
#include "fetch/fetch.h"

#define FETCH_MAX_REDIRS	5
#define FETCH_LOW_SPEED_LIMIT	1024L		/* bytes per second */
#define FETCH_MAX_URL		8192
#define FETCH_MAX_HEADER	8192		/* longest header value we keep */
#define FETCH_MAX_HOPS		(FETCH_MAX_REDIRS + 1)
#define FETCH_MAX_SECONDS	(10LL * 366 * 86400)	/* cap on hints */
#define FETCH_USER_AGENT	"wirewatch/0.1 (+https://github.com/wirewatch)"

/* Defaults for options left at zero, so that no limit is ever off. */
#define FETCH_DEFAULT_CONCURRENCY	16
#define FETCH_DEFAULT_PER_HOST		2
#define FETCH_DEFAULT_CONNECT_TIMEOUT	10L
#define FETCH_DEFAULT_TIMEOUT		30L
#define FETCH_DEFAULT_LOW_SPEED_TIME	20L
#define FETCH_DEFAULT_MAX_BODY		((size_t)16 << 20)

enum transfer_state {
	TRANSFER_QUEUED,	/* on its host's queue */
	TRANSFER_RUNNING,	/* easy handle in the multi handle */
	TRANSFER_FAILING,	/* rejected up-front, failure on the next loop pass */
	TRANSFER_DONE,		/* its callback is running */
};

/* One socket libcurl asked us to watch. */
struct fetch_socket {
	struct fetcher	*fetcher;
	struct event	*ev;
};

/* Transfers to one scheme://host:port, queued and running. */
struct host {
	char			*key;
	int			 running;
	int			 ready;		/* on fetcher.ready */
	TAILQ_HEAD(, transfer)	 queue;
	TAILQ_ENTRY(host)	 ready_entry;
	TAILQ_ENTRY(host)	 entry;
};

/* Headers of the response being received; reset at each status line so
 * that what remains at the end belongs to the final response. */
struct fetch_headers {
	long	 status;
	char	*location;	/* resolved against the request's URL */
	char	*etag;
	char	*last_modified;
	char	*content_type;
	char	*retry_after;
	char	*expires;
	char	*date;
	int64_t	 max_age;	/* Cache-Control max-age, -1 when absent */
	int	 no_cache;	/* Cache-Control no-cache or no-store */
};

struct transfer {
	struct fetcher		*fetcher;
	enum transfer_state	 state;
	struct host		*host;
	TAILQ_ENTRY(transfer)	 entry;

	/* The request, copied: it may wait in the queue for a long time. */
	char			*url;
	char			*etag;
	char			*last_modified;
	int			 method_post;
	char			*post_body;
	size_t			 post_len;
	char			*content_type;
	char			**headers;

	fetch_cb		 cb;
	void			*arg;

	CURL			*easy;
	struct curl_slist	*header_list;
	char			 errbuf[CURL_ERROR_SIZE];

	size_t			 max_body;
	char			*body;
	size_t			 body_len;
	size_t			 body_size;
	int			 body_too_big;

	struct fetch_headers	 hdr;
	long			 hop_status[FETCH_MAX_HOPS];
	char			*hop_url[FETCH_MAX_HOPS];
	int			 nhops;

	char			*effective_url;
	char			*error;
};

struct fetcher {
	struct event_base	*base;		/* borrowed */
	CURLM			*multi;
	struct event		*timer;
	struct event		*fail_ev;	/* delivers fetcher.failing */
	struct fetch_options	 options;
	char			*user_agent;

	void			*host_tree;	/* tsearch(3) by key */
	TAILQ_HEAD(, host)	 hosts;
	TAILQ_HEAD(, host)	 ready;		/* hosts with queued work and room */
	TAILQ_HEAD(, transfer)	 running;
	TAILQ_HEAD(, transfer)	 failing;	/* in order of fetch_start */
	int			 nrunning;
	size_t			 ntransfers;

	int			 busy;		/* depth of our frames on the stack */
	int			 dying;		/* fetcher_free ran inside one */
};

static void	fetcher_queue_run(struct fetcher *);

/* Reasons for the statuses we report. Written out because HTTP/2 carries
 * no reason phrase and a server's own phrase is untrusted text; sorted by
 * code for bsearch. */
static const struct fetch_reason {
	long		 code;
	const char	*text;
} fetch_reasons[] = {
	{ 300, "Multiple Choices" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 305, "Use Proxy" },
	{ 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 402, "Payment Required" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },
	{ 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" },
	{ 409, "Conflict" },
	{ 410, "Gone" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 416, "Range Not Satisfiable" },
	{ 417, "Expectation Failed" },
	{ 418, "I'm a teapot" },
	{ 421, "Misdirected Request" },
	{ 422, "Unprocessable Content" },
	{ 423, "Locked" },
	{ 424, "Failed Dependency" },
	{ 425, "Too Early" },
	{ 426, "Upgrade Required" },
	{ 428, "Precondition Required" },
	{ 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 451, "Unavailable For Legal Reasons" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
	{ 505, "HTTP Version Not Supported" },
	{ 506, "Variant Also Negotiates" },
	{ 507, "Insufficient Storage" },
	{ 508, "Loop Detected" },
	{ 510, "Not Extended" },
	{ 511, "Network Authentication Required" },
};

/* Orders fetch_reasons for bsearch. */
static int
fetch_reason_cmp(const void *a, const void *b)
{
	const struct fetch_reason *ra = a, *rb = b;

	return (ra->code > rb->code) - (ra->code < rb->code);
}

/* Returns "HTTP 503 Service Unavailable" for a status, for the caller to free. */
static char *
fetch_status_text(long status)
{
	struct fetch_reason key = { status, NULL };
	const struct fetch_reason *r;
	char *text;

	r = bsearch(&key, fetch_reasons, sizeof fetch_reasons /
	    sizeof fetch_reasons[0], sizeof fetch_reasons[0], fetch_reason_cmp);
	if (r != NULL)
		xasprintf(&text, "HTTP %ld %s", status, r->text);
	else
		xasprintf(&text, "HTTP %ld", status);
	return text;
}

/* Fills in zeros with defaults, so that every limit is a real bound. */
static void
fetcher_apply_options(struct fetcher *f, const struct fetch_options *o)
{
	f->options = *o;
	if (f->options.concurrency <= 0)
		f->options.concurrency = FETCH_DEFAULT_CONCURRENCY;
	if (f->options.per_host <= 0)
		f->options.per_host = FETCH_DEFAULT_PER_HOST;
	if (f->options.connect_timeout <= 0)
		f->options.connect_timeout = FETCH_DEFAULT_CONNECT_TIMEOUT;
	if (f->options.timeout <= 0)
		f->options.timeout = FETCH_DEFAULT_TIMEOUT;
	if (f->options.low_speed_time <= 0)
		f->options.low_speed_time = FETCH_DEFAULT_LOW_SPEED_TIME;
	if (f->options.max_body == 0)
		f->options.max_body = FETCH_DEFAULT_MAX_BODY;

	free(f->user_agent);
	f->user_agent = xstrdup(o->user_agent != NULL && *o->user_agent != '\0' ?
	    o->user_agent : FETCH_USER_AGENT);
	f->options.user_agent = f->user_agent;

	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)f->options.per_host);
	/* Room to keep every running transfer's connection for the next one. */
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS,
	    (long)f->options.concurrency * 2);
}

/* Orders hosts in the tsearch tree by key. */
static int
host_cmp(const void *a, const void *b)
{
	const struct host *ha = a, *hb = b;

	return strcmp(ha->key, hb->key);
}

/* Finds or creates the host for a key; takes the key. */
static struct host *
host_get(struct fetcher *f, char *key)
{
	struct host find, *h, **node;

	find.key = key;
	node = tfind(&find, &f->host_tree, host_cmp);
	if (node != NULL) {
		free(key);
		return *node;
	}
	h = xcalloc(1, sizeof *h);
	h->key = key;
	TAILQ_INIT(&h->queue);
	if (tsearch(h, &f->host_tree, host_cmp) == NULL)
		fatalx("tsearch: out of memory");
	TAILQ_INSERT_TAIL(&f->hosts, h, entry);
	return h;
}

/* Puts a host on the ready list (at the tail: round robin) when it has
 * queued transfers and room, and takes it off when not. */
static void
host_update(struct fetcher *f, struct host *h)
{
	int want;

	want = !TAILQ_EMPTY(&h->queue) && h->running < f->options.per_host;
	if (want && !h->ready)
		TAILQ_INSERT_TAIL(&f->ready, h, ready_entry);
	else if (!want && h->ready)
		TAILQ_REMOVE(&f->ready, h, ready_entry);
	h->ready = want;
}

/* Frees a host that has nothing queued or running. */
static void
host_release(struct fetcher *f, struct host *h)
{
	if (h->running > 0 || !TAILQ_EMPTY(&h->queue))
		return;
	if (h->ready)
		TAILQ_REMOVE(&f->ready, h, ready_entry);
	tdelete(h, &f->host_tree, host_cmp);
	TAILQ_REMOVE(&f->hosts, h, entry);
	free(h->key);
	free(h);
}

/* Frees the headers kept for one response and marks them absent. */
static void
fetch_headers_clear(struct fetch_headers *hdr)
{
	free(hdr->location);
	free(hdr->etag);
	free(hdr->last_modified);
	free(hdr->content_type);
	free(hdr->retry_after);
	free(hdr->expires);
	free(hdr->date);
	memset(hdr, 0, sizeof *hdr);
	hdr->max_age = -1;
}

/* Frees a transfer that is on no list and in no multi handle. */
static void
transfer_free(struct transfer *t)
{
	char **hp;
	int i;

	if (t->easy != NULL)
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->header_list);
	fetch_headers_clear(&t->hdr);
	for (i = 0; i < t->nhops; i++)
		free(t->hop_url[i]);
	if (t->headers != NULL) {
		for (hp = t->headers; *hp != NULL; hp++)
			free(*hp);
		free(t->headers);
	}
	free(t->url);
	free(t->etag);
	free(t->last_modified);
	free(t->post_body);
	free(t->content_type);
	free(t->body);
	free(t->effective_url);
	free(t->error);
	free(t);
}

/* Returns whether a header value may be kept or sent: bounded and with no
 * control characters, so a server cannot smuggle lines into our requests. */
static int
fetch_header_value_ok(const char *v, size_t len)
{
	size_t i;

	if (len > FETCH_MAX_HEADER)
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return 0;
		if (v[i] == 0x7f)
			return 0;
	}
	return 1;
}

/* Resolves a URL reference against a base with curl's own parser, so that
 * we agree with where curl goes. Returns NULL when either does not parse. */
static char *
fetch_url_resolve(const char *base, const char *ref)
{
	CURLU *u;
	char *out = NULL, *copy = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, CURLU_NON_SUPPORT_SCHEME) ==
	    CURLUE_OK && curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		copy = xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	return copy;
}

/* Works out the queueing key ("https://example.org:443") of a URL that we
 * will fetch. Returns 0, or -1 with *cause when the URL is not http(s). */
static int
fetch_url_key(const char *url, char **key, char **cause)
{
	CURLU *u;
	CURLUcode rc;
	char *scheme = NULL, *host = NULL, *port = NULL, *p;
	int ret = -1;

	*key = NULL;
	if (strlen(url) > FETCH_MAX_URL) {
		xasprintf(cause, "URL longer than %d bytes", FETCH_MAX_URL);
		return -1;
	}
	if ((u = curl_url()) == NULL) {
		*cause = xstrdup("curl_url: out of memory");
		return -1;
	}
	rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		xasprintf(cause, "invalid URL: %s", curl_url_strerror(rc));
		goto out;
	}
	if ((rc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0)) != CURLUE_OK ||
	    (rc = curl_url_get(u, CURLUPART_HOST, &host, 0)) != CURLUE_OK) {
		xasprintf(cause, "invalid URL: %s", curl_url_strerror(rc));
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
		xasprintf(cause, "unsupported URL scheme \"%.32s\": only http "
		    "and https are fetched", scheme);
		goto out;
	}
	rc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	if (rc != CURLUE_OK) {
		xasprintf(cause, "invalid URL: %s", curl_url_strerror(rc));
		goto out;
	}
	xasprintf(key, "%s://%s:%s", scheme, host, port);
	for (p = *key; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

/* Parses one Cache-Control header line into max-age and no-cache/no-store;
 * s-maxage is for shared caches and is ignored. */
static void
fetch_parse_cache_control(struct fetch_headers *hdr, const char *v)
{
	const char *p = v, *end;
	size_t len;
	long long n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		len = end - p;
		if (len >= 7 && strncasecmp(p, "max-age", 7) == 0) {
			const char *q = p + 7;

			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '=') {
				q++;
				while (*q == ' ' || *q == '\t' || *q == '"')
					q++;
				if (isdigit((unsigned char)*q)) {
					n = strtoll(q, NULL, 10);
					if (n > FETCH_MAX_SECONDS)
						n = FETCH_MAX_SECONDS;
					hdr->max_age = n;
				}
			}
		} else if ((len >= 8 && strncasecmp(p, "no-cache", 8) == 0 &&
		    (len == 8 || p[8] == '=' || p[8] == ' ')) ||
		    (len >= 8 && strncasecmp(p, "no-store", 8) == 0 &&
		    (len == 8 || p[8] == ' ')))
			hdr->no_cache = 1;
		p = end;
	}
}

/* Replaces a kept header value. */
static void
fetch_header_set(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

/* Starts a new response at a status line. If the previous response was a
 * redirect that curl is following, it becomes a hop of the chain. */
static void
fetch_header_status(struct transfer *t, const char *line)
{
	const char *p;
	long status = 0;

	if (t->hdr.status >= 300 && t->hdr.status < 400 &&
	    t->hdr.status != 304 && t->hdr.location != NULL &&
	    t->nhops < FETCH_MAX_HOPS) {
		t->hop_status[t->nhops] = t->hdr.status;
		t->hop_url[t->nhops] = t->hdr.location;
		t->hdr.location = NULL;
		t->nhops++;
	}
	fetch_headers_clear(&t->hdr);
	if ((p = strchr(line, ' ')) != NULL) {
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p))
			status = strtol(p, NULL, 10);
	}
	t->hdr.status = status;
}

/* Keeps one "Name: value" header of the response being received. */
static void
fetch_header_field(struct transfer *t, char *line)
{
	char *colon, *v, *end;
	const char *effective = NULL;

	if ((colon = strchr(line, ':')) == NULL)
		return;
	*colon = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (!fetch_header_value_ok(v, end - v))
		return;

	if (strcasecmp(line, "Location") == 0) {
		/* Relative to the URL this response answered. */
		curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &effective);
		free(t->hdr.location);
		t->hdr.location = effective != NULL ?
		    fetch_url_resolve(effective, v) : NULL;
	} else if (strcasecmp(line, "ETag") == 0)
		fetch_header_set(&t->hdr.etag, v);
	else if (strcasecmp(line, "Last-Modified") == 0)
		fetch_header_set(&t->hdr.last_modified, v);
	else if (strcasecmp(line, "Content-Type") == 0)
		fetch_header_set(&t->hdr.content_type, v);
	else if (strcasecmp(line, "Retry-After") == 0)
		fetch_header_set(&t->hdr.retry_after, v);
	else if (strcasecmp(line, "Expires") == 0)
		fetch_header_set(&t->hdr.expires, v);
	else if (strcasecmp(line, "Date") == 0)
		fetch_header_set(&t->hdr.date, v);
	else if (strcasecmp(line, "Cache-Control") == 0)
		fetch_parse_cache_control(&t->hdr, v);
}

/* libcurl's header callback: one header line of any response in the chain
 * (1xx, redirects, the final one). */
static size_t
fetch_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	char *line;

	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len == 0 || len > FETCH_MAX_HEADER + 256)
		return size * n;
	line = xstrndup(data, len);
	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0)
		fetch_header_status(t, line);
	else
		fetch_header_field(t, line);
	free(line);
	return size * n;
}

/* libcurl's write callback: decompressed body bytes. Aborts the transfer
 * (by returning short) as soon as the body would pass max_body. */
static size_t
fetch_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n, want;

	if (len > t->max_body - t->body_len) {
		t->body_too_big = 1;
		return 0;
	}
	if (t->body_len + len + 1 > t->body_size) {
		want = t->body_size != 0 ? t->body_size : 16384;
		while (want < t->body_len + len + 1)
			want *= 2;
		if (want > t->max_body + 1)
			want = t->max_body + 1;
		t->body = xrealloc(t->body, want);
		t->body_size = want;
	}
	memcpy(t->body + t->body_len, data, len);
	t->body_len += len;
	return len;
}

/* Adds "Name: value" to the request headers unless the value could break
 * the request. */
static void
fetch_add_header(struct transfer *t, const char *name, const char *value)
{
	char *line;

	if (value == NULL || !fetch_header_value_ok(value, strlen(value)))
		return;
	xasprintf(&line, "%s: %s", name, value);
	t->header_list = curl_slist_append(t->header_list, line);
	free(line);
}

/* Builds the request headers: validators, POST type, caller's extras. */
static void
fetch_build_headers(struct transfer *t)
{
	char **hp;

	fetch_add_header(t, "If-None-Match", t->etag);
	fetch_add_header(t, "If-Modified-Since", t->last_modified);
	if (t->method_post) {
		fetch_add_header(t, "Content-Type", t->content_type);
		/* No 100-continue round trip for our small bodies. */
		t->header_list = curl_slist_append(t->header_list, "Expect:");
	}
	for (hp = t->headers; hp != NULL && *hp != NULL; hp++) {
		if (fetch_header_value_ok(*hp, strlen(*hp)))
			t->header_list = curl_slist_append(t->header_list, *hp);
	}
}

#define FETCH_SETOPT(opt, val) do {					\
	if (rc == CURLE_OK)						\
		rc = curl_easy_setopt(t->easy, opt, val);		\
} while (0)

/* Creates the easy handle with our limits and adds it to the multi handle.
 * Returns 0, or -1 with *cause. */
static int
fetch_transfer_begin(struct fetcher *f, struct transfer *t, char **cause)
{
	const struct fetch_options *o = &f->options;
	CURLcode rc = CURLE_OK;
	CURLMcode mrc;

	if ((t->easy = curl_easy_init()) == NULL) {
		*cause = xstrdup("curl_easy_init failed");
		return -1;
	}
	t->max_body = o->max_body;
	t->errbuf[0] = '\0';
	fetch_build_headers(t);

	FETCH_SETOPT(CURLOPT_URL, t->url);
	FETCH_SETOPT(CURLOPT_PRIVATE, t);
	FETCH_SETOPT(CURLOPT_ERRORBUFFER, t->errbuf);
	FETCH_SETOPT(CURLOPT_NOSIGNAL, 1L);
	FETCH_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	FETCH_SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	FETCH_SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
	FETCH_SETOPT(CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	FETCH_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	FETCH_SETOPT(CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	FETCH_SETOPT(CURLOPT_TIMEOUT, o->timeout);
	FETCH_SETOPT(CURLOPT_LOW_SPEED_LIMIT, FETCH_LOW_SPEED_LIMIT);
	FETCH_SETOPT(CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	FETCH_SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	FETCH_SETOPT(CURLOPT_USERAGENT, f->user_agent);
	FETCH_SETOPT(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	FETCH_SETOPT(CURLOPT_WRITEFUNCTION, fetch_write_cb);
	FETCH_SETOPT(CURLOPT_WRITEDATA, t);
	FETCH_SETOPT(CURLOPT_HEADERFUNCTION, fetch_header_cb);
	FETCH_SETOPT(CURLOPT_HEADERDATA, t);
	if (t->header_list != NULL)
		FETCH_SETOPT(CURLOPT_HTTPHEADER, t->header_list);
	if (t->method_post) {
		FETCH_SETOPT(CURLOPT_POST, 1L);
		FETCH_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->post_len);
		FETCH_SETOPT(CURLOPT_POSTFIELDS, t->post_body);
	}
	if (rc != CURLE_OK) {
		xasprintf(cause, "curl: %s", curl_easy_strerror(rc));
		return -1;
	}
	if ((mrc = curl_multi_add_handle(f->multi, t->easy)) != CURLM_OK) {
		xasprintf(cause, "curl: %s", curl_multi_strerror(mrc));
		return -1;
	}
	return 0;
}

static void	fetch_fail_later(struct fetcher *, struct transfer *, char *);

/* Starts queued transfers while there are free slots, taking hosts in turn. */
static void
fetcher_queue_run(struct fetcher *f)
{
	struct host *h;
	struct transfer *t;
	char *cause;

	while (!f->dying && f->nrunning < f->options.concurrency &&
	    (h = TAILQ_FIRST(&f->ready)) != NULL) {
		t = TAILQ_FIRST(&h->queue);
		TAILQ_REMOVE(&h->queue, t, entry);
		/* Off and back on: to the tail of the ready list. */
		TAILQ_REMOVE(&f->ready, h, ready_entry);
		h->ready = 0;
		if (fetch_transfer_begin(f, t, &cause) == 0) {
			t->state = TRANSFER_RUNNING;
			h->running++;
			f->nrunning++;
			TAILQ_INSERT_TAIL(&f->running, t, entry);
		} else {
			if (t->easy != NULL) {
				curl_easy_cleanup(t->easy);
				t->easy = NULL;
			}
			t->host = NULL;
			fetch_fail_later(f, t, cause);
		}
		host_update(f, h);
		host_release(f, h);
	}
}

/* Turns a curl error buffer into one line. */
static char *
fetch_error_line(const char *errbuf, CURLcode result)
{
	char *line, *p;
	size_t len;

	line = xstrdup(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(result));
	for (p = line; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	len = strlen(line);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	return line;
}

/* Converts Retry-After (delay-seconds or an HTTP date) to a unix time. */
static int64_t
fetch_retry_after(const char *v)
{
	long long n;
	time_t when;
	const char *p;

	if (v == NULL || *v == '\0')
		return 0;
	for (p = v; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0' && p - v <= 12) {
		n = strtoll(v, NULL, 10);
		if (n > FETCH_MAX_SECONDS)
			n = FETCH_MAX_SECONDS;
		return util_now() + n;
	}
	when = curl_getdate(v, NULL);
	return when > 0 ? (int64_t)when : 0;
}

/* Works out the freshness lifetime of the final response in seconds:
 * Cache-Control max-age, else Expires minus Date (or now); -1 when absent
 * or when the server said not to cache. */
static int64_t
fetch_max_age(const struct fetch_headers *hdr)
{
	time_t expires, date;
	int64_t age;

	if (hdr->no_cache)
		return -1;
	if (hdr->max_age >= 0)
		return hdr->max_age;
	if (hdr->expires == NULL)
		return -1;
	/* An invalid Expires ("0", "-1") means already expired (RFC 9111). */
	if ((expires = curl_getdate(hdr->expires, NULL)) == -1)
		return 0;
	date = hdr->date != NULL ? curl_getdate(hdr->date, NULL) : -1;
	if (date == -1)
		date = (time_t)util_now();
	age = (int64_t)expires - (int64_t)date;
	if (age < 0)
		age = 0;
	if (age > FETCH_MAX_SECONDS)
		age = FETCH_MAX_SECONDS;
	return age;
}

/* Returns where the leading 301/308 hops of the chain led, or NULL. */
static const char *
fetch_permanent_url(const struct transfer *t)
{
	const char *url = NULL;
	int i;

	for (i = 0; i < t->nhops; i++) {
		if (t->hop_status[i] != 301 && t->hop_status[i] != 308)
			break;
		url = t->hop_url[i];
	}
	return url;
}

/* Classifies a finished transfer and fills the response from it. */
static void
fetch_response_fill(struct transfer *t, CURLcode result,
    struct fetch_response *r)
{
	long status = 0;
	double seconds = 0;
	const char *effective = NULL;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &seconds);
	curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &effective);
	t->effective_url = xstrdup(effective != NULL ? effective : t->url);

	memset(r, 0, sizeof *r);
	r->status = status;
	r->seconds = seconds;
	r->effective_url = t->effective_url;
	r->max_age = -1;
	r->body = "";

	if (result == CURLE_OK) {
		if (status >= 200 && status < 300)
			r->outcome = FETCH_OK;
		else if (status == 304)
			r->outcome = FETCH_NOT_MODIFIED;
		else
			r->outcome = FETCH_HTTP_ERROR;
	} else if ((t->body_too_big || result == CURLE_FILESIZE_EXCEEDED) &&
	    status >= 400) {
		/* A refusal with an oversized page is still a refusal. */
		r->outcome = FETCH_HTTP_ERROR;
	} else
		r->outcome = FETCH_FAILED;

	if (r->outcome == FETCH_FAILED) {
		if (t->body_too_big || result == CURLE_FILESIZE_EXCEEDED)
			xasprintf(&t->error, "body larger than %zu bytes",
			    t->max_body);
		else
			t->error = fetch_error_line(t->errbuf, result);
		r->error = t->error;
		return;
	}
	if (r->outcome == FETCH_HTTP_ERROR)
		r->error = t->error = fetch_status_text(status);
	if (t->body != NULL && r->outcome != FETCH_NOT_MODIFIED) {
		t->body[t->body_len] = '\0';
		r->body = t->body;
		r->body_len = t->body_len;
	}
	r->content_type = t->hdr.content_type;
	r->etag = t->hdr.etag;
	r->last_modified = t->hdr.last_modified;
	r->permanent_url = fetch_permanent_url(t);
	r->retry_after = fetch_retry_after(t->hdr.retry_after);
	r->max_age = fetch_max_age(&t->hdr);
}

/* Marks that one of our frames is on the stack. */
static void
fetcher_enter(struct fetcher *f)
{
	f->busy++;
}

/* Leaves a frame; the last one out frees a fetcher freed meanwhile. */
static void
fetcher_leave(struct fetcher *f)
{
	if (--f->busy == 0 && f->dying)
		free(f);
}

/* Takes a running transfer out of the multi handle and gives its slot back. */
static void
fetch_transfer_detach(struct fetcher *f, struct transfer *t)
{
	struct host *h = t->host;

	curl_multi_remove_handle(f->multi, t->easy);
	TAILQ_REMOVE(&f->running, t, entry);
	f->nrunning--;
	h->running--;
	t->host = NULL;
	host_update(f, h);
	host_release(f, h);
}

/* Completes a transfer curl reported done: frees its slot (and refills
 * it), then calls back and frees the transfer. */
static void
fetch_transfer_done(struct fetcher *f, struct transfer *t, CURLcode result)
{
	struct fetch_response r;

	fetch_transfer_detach(f, t);
	fetch_response_fill(t, result, &r);
	curl_easy_cleanup(t->easy);
	t->easy = NULL;
	f->ntransfers--;
	fetcher_queue_run(f);

	t->state = TRANSFER_DONE;
	t->cb(&r, t->arg);
	/* The fetcher may be gone now; only the transfer is ours. */
	transfer_free(t);
}

/* Reaps every transfer curl has finished, then refills free slots. */
static void
fetcher_reap(struct fetcher *f)
{
	struct transfer *t;
	CURLMsg *msg;
	CURLcode result;
	int left;

	while (!f->dying &&
	    (msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		result = msg->data.result;
		t = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
		fetch_transfer_done(f, t, result);
	}
	if (!f->dying)
		fetcher_queue_run(f);
}

/* libevent: a socket curl watches is ready. */
static void
fetch_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch_socket *fs = arg;
	struct fetcher *f = fs->fetcher;
	int flags = 0, running;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	fetcher_enter(f);
	/* fs may be freed inside: do not touch it after this call. */
	curl_multi_socket_action(f->multi, fd, flags, &running);
	fetcher_reap(f);
	fetcher_leave(f);
}

/* libevent: curl's timeout expired. */
static void
fetch_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetcher *f = arg;
	int running;

	fetcher_enter(f);
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	fetcher_reap(f);
	fetcher_leave(f);
}

/* libcurl: watch a socket for what it wants, or stop watching it. */
static int
fetch_multi_socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct fetcher *f = arg;
	struct fetch_socket *fs = sockp;
	short kind = EV_PERSIST;

	if (what == CURL_POLL_REMOVE) {
		if (fs != NULL) {
			event_free(fs->ev);
			free(fs);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (fs == NULL) {
		fs = xcalloc(1, sizeof *fs);
		fs->fetcher = f;
		fs->ev = event_new(f->base, fd, kind, fetch_event_cb, fs);
		if (fs->ev == NULL)
			fatalx("event_new failed");
		curl_multi_assign(f->multi, fd, fs);
	} else {
		event_del(fs->ev);
		event_assign(fs->ev, f->base, fd, kind, fetch_event_cb, fs);
	}
	if (kind & (EV_READ | EV_WRITE))
		event_add(fs->ev, NULL);
	return 0;
}

/* libcurl: arm (or with -1 disarm) the one timer; never calls libcurl. */
static int
fetch_multi_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct fetcher *f = arg;
	struct timeval tv;

	if (ms < 0) {
		evtimer_del(f->timer);
		return 0;
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
	return 0;
}

/* libevent: delivers the oldest failure decided before its transfer could
 * run; one per loop pass, so a flood of them cannot starve the loop. */
static void
fetch_fail_cb(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct fetcher *f = arg;
	struct fetch_response r;
	struct transfer *t;

	if ((t = TAILQ_FIRST(&f->failing)) == NULL)
		return;
	TAILQ_REMOVE(&f->failing, t, entry);
	if (!TAILQ_EMPTY(&f->failing))
		evtimer_add(f->fail_ev, &now);
	f->ntransfers--;
	memset(&r, 0, sizeof r);
	r.outcome = FETCH_FAILED;
	r.body = "";
	r.effective_url = t->url;
	r.max_age = -1;
	r.error = t->error;

	fetcher_enter(f);
	t->state = TRANSFER_DONE;
	t->cb(&r, t->arg);
	transfer_free(t);
	fetcher_leave(f);
}

/* Arranges for a transfer to fail with error (taken) on the next loop
 * pass, so its callback never runs inside the caller's call. */
static void
fetch_fail_later(struct fetcher *f, struct transfer *t, char *error)
{
	static const struct timeval now = { 0, 0 };

	t->state = TRANSFER_FAILING;
	t->error = error;
	TAILQ_INSERT_TAIL(&f->failing, t, entry);
	evtimer_add(f->fail_ev, &now);
}

/* Creates a fetcher on a loop the caller keeps; fatal if libcurl cannot start. */
struct fetcher *
fetcher_new(struct event_base *base, const struct fetch_options *options)
{
	struct fetcher *f;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	f = xcalloc(1, sizeof *f);
	f->base = base;
	TAILQ_INIT(&f->hosts);
	TAILQ_INIT(&f->ready);
	TAILQ_INIT(&f->running);
	TAILQ_INIT(&f->failing);
	if ((f->multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	if ((f->timer = evtimer_new(base, fetch_timeout_cb, f)) == NULL ||
	    (f->fail_ev = evtimer_new(base, fetch_fail_cb, f)) == NULL)
		fatalx("evtimer_new failed");
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, fetch_multi_socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, fetch_multi_timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	fetcher_apply_options(f, options);
	return f;
}

/* Applies new limits; a raised limit starts queued transfers at once. */
void
fetcher_set_options(struct fetcher *f, const struct fetch_options *options)
{
	struct host *h;

	fetcher_apply_options(f, options);
	TAILQ_FOREACH(h, &f->hosts, entry)
		host_update(f, h);
	fetcher_queue_run(f);
}

/* Drops every transfer without calling back, then frees in the order
 * STYLE.md gives; from inside a callback the struct itself outlives this
 * call until our frame unwinds. */
void
fetcher_free(struct fetcher *f)
{
	struct transfer *t;
	struct host *h;

	if (f == NULL || f->dying)
		return;
	f->dying = 1;
	while ((t = TAILQ_FIRST(&f->running)) != NULL) {
		curl_multi_remove_handle(f->multi, t->easy);
		TAILQ_REMOVE(&f->running, t, entry);
		transfer_free(t);
	}
	while ((t = TAILQ_FIRST(&f->failing)) != NULL) {
		TAILQ_REMOVE(&f->failing, t, entry);
		transfer_free(t);
	}
	while ((h = TAILQ_FIRST(&f->hosts)) != NULL) {
		while ((t = TAILQ_FIRST(&h->queue)) != NULL) {
			TAILQ_REMOVE(&h->queue, t, entry);
			transfer_free(t);
		}
		tdelete(h, &f->host_tree, host_cmp);
		TAILQ_REMOVE(&f->hosts, h, entry);
		free(h->key);
		free(h);
	}
	/* Clean-up may still call fetch_multi_socket_cb and the timer one. */
	curl_multi_cleanup(f->multi);
	event_free(f->timer);
	event_free(f->fail_ev);
	free(f->user_agent);
	curl_global_cleanup();
	if (f->busy == 0)
		free(f);
}

/* Copies the NULL-terminated extra header list of a request. */
static char **
fetch_copy_headers(const char * const *headers)
{
	char **copy;
	size_t n = 0, i;

	if (headers == NULL)
		return NULL;
	while (headers[n] != NULL)
		n++;
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(headers[i]);
	return copy;
}

/* Copies the request, queues it on its host and starts what fits. */
struct transfer *
fetch_start(struct fetcher *f, const struct fetch_request *req, fetch_cb cb,
    void *arg)
{
	struct transfer *t;
	struct host *h;
	char *key, *cause;

	t = xcalloc(1, sizeof *t);
	t->fetcher = f;
	t->cb = cb;
	t->arg = arg;
	t->hdr.max_age = -1;
	t->url = xstrdup(req->url != NULL ? req->url : "");
	if (req->etag != NULL && *req->etag != '\0')
		t->etag = xstrdup(req->etag);
	if (req->last_modified != NULL && *req->last_modified != '\0')
		t->last_modified = xstrdup(req->last_modified);
	if (req->method_post) {
		t->method_post = 1;
		t->post_len = req->body != NULL ? req->body_len : 0;
		t->post_body = xmalloc(t->post_len + 1);
		if (t->post_len > 0)
			memcpy(t->post_body, req->body, t->post_len);
		t->post_body[t->post_len] = '\0';
		if (req->content_type != NULL)
			t->content_type = xstrdup(req->content_type);
	}
	t->headers = fetch_copy_headers(req->headers);
	f->ntransfers++;

	if (fetch_url_key(t->url, &key, &cause) != 0) {
		fetch_fail_later(f, t, cause);
		return t;
	}
	h = host_get(f, key);
	t->host = h;
	t->state = TRANSFER_QUEUED;
	TAILQ_INSERT_TAIL(&h->queue, t, entry);
	host_update(f, h);
	fetcher_queue_run(f);
	return t;
}

/* Takes a transfer out of whatever stage it is in and frees it. */
void
fetch_cancel(struct transfer *t)
{
	struct fetcher *f;
	struct host *h;

	if (t == NULL)
		return;
	f = t->fetcher;
	switch (t->state) {
	case TRANSFER_QUEUED:
		h = t->host;
		TAILQ_REMOVE(&h->queue, t, entry);
		t->host = NULL;
		host_update(f, h);
		host_release(f, h);
		break;
	case TRANSFER_RUNNING:
		fetch_transfer_detach(f, t);
		break;
	case TRANSFER_FAILING:
		TAILQ_REMOVE(&f->failing, t, entry);
		break;
	case TRANSFER_DONE:
		/* Inside its own callback: it is freed when that returns. */
		return;
	}
	f->ntransfers--;
	transfer_free(t);
	fetcher_queue_run(f);
}

/* Counts transfers whose callback has not yet run. */
size_t
fetcher_pending(struct fetcher *f)
{
	return f->ntransfers;
}
