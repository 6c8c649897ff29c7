/* fetch/fetch.h: HTTP(S) transfers on the daemon's event loop through one curl multi handle. */
#ifndef WW_FETCH_H
#define WW_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetcher;
struct transfer;

struct fetch_options {
	int	 concurrency;		/* transfers at once (others queue) */
	int	 per_host;		/* transfers at once to one host */
	long	 connect_timeout;	/* seconds */
	long	 timeout;		/* seconds, whole transfer */
	long	 low_speed_time;	/* seconds below 1 KB/s before giving up */
	size_t	 max_body;		/* bytes after decompression; abort beyond */
	const char *user_agent;
};

struct fetch_request {
	const char	*url;
	const char	*etag;		/* sent as If-None-Match; may be NULL */
	const char	*last_modified;	/* sent as If-Modified-Since; may be NULL */
	/* Extra request for APIs (translation, webhooks): when method_post is
	 * set, body is POSTed with content_type. headers is NULL-terminated. */
	int		 method_post;
	const char	*body;
	size_t		 body_len;
	const char	*content_type;
	const char * const *headers;
};

enum fetch_outcome {
	FETCH_OK,		/* 2xx with a body */
	FETCH_NOT_MODIFIED,	/* 304 */
	FETCH_HTTP_ERROR,	/* a final status that is not 2xx/304 */
	FETCH_FAILED,		/* no usable response: network, TLS, timeout, limits, scheme */
};

/* What a transfer produced. Pointers are valid only during the callback. */
struct fetch_response {
	enum fetch_outcome	 outcome;
	long			 status;	/* final HTTP status; 0 when none */
	const char		*body;		/* NUL terminated */
	size_t			 body_len;
	const char		*content_type;	/* may be NULL */
	const char		*etag;		/* may be NULL */
	const char		*last_modified;	/* may be NULL */
	/* Set when the request was answered by one or more leading permanent
	 * redirects (301/308): the URL the chain of them led to. */
	const char		*permanent_url;
	const char		*effective_url;	/* where the final response came from */
	int64_t			 retry_after;	/* absolute unix time from Retry-After; 0 when absent */
	int64_t			 max_age;	/* seconds, from Cache-Control max-age or Expires; -1 when absent */
	const char		*error;		/* one line, for FETCH_HTTP_ERROR and FETCH_FAILED */
	double			 seconds;	/* total transfer time */
};

typedef void (*fetch_cb)(const struct fetch_response *, void *arg);

struct fetcher	*fetcher_new(struct event_base *, const struct fetch_options *);
/* Applies new limits (on reload); transfers in flight keep theirs. */
void		 fetcher_set_options(struct fetcher *, const struct fetch_options *);
/* Cancels every transfer (their callbacks are not called) and frees. */
void		 fetcher_free(struct fetcher *);

/* Queues a transfer. cb is called exactly once, from the event loop and
 * never from within fetch_start, unless fetch_cancel is called first.
 * Only http:// and https:// URLs are fetched (others fail with an error),
 * redirects included. */
struct transfer	*fetch_start(struct fetcher *, const struct fetch_request *,
		    fetch_cb cb, void *arg);
/* Stops a queued or running transfer; its callback will not be called. */
void		 fetch_cancel(struct transfer *);
/* Transfers queued or running. */
size_t		 fetcher_pending(struct fetcher *);

#endif
