/* translate/backend.h: what the backends of translate/ share with its core (private to the folder). */
#ifndef WW_TRANSLATE_BACKEND_H
#define WW_TRANSLATE_BACKEND_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "translate/translate.h"

struct child;
struct event;
struct fetch_response;
struct fetch_request;
struct transfer;
struct translate_job;
struct translate_request;

/*
 * One backend. The core (translate.c) cuts a job's texts into requests
 * within the limits below, runs at most the translator's concurrency of
 * them at once, times them, and turns their outcomes into the job's one
 * result; a backend only builds a request and reads its answer.
 */
struct translate_backend {
	const char	*name;
	size_t		 max_chars;	/* one text */
	size_t		 max_texts;	/* texts a request */
	size_t		 max_batch_chars; /* characters of a request's texts; 0: any */
	size_t		 max_batch_bytes; /* their JSON-escaped bytes; 0: any */
	int		 own_timeout;	/* the request times itself (a child) */
	/* Checks and completes the options; 0, or -1 and *cause. */
	int		(*init)(struct translator *, char **cause);
	/* The pair's key as the probe lists pairs ("spa|eng"), or NULL and
	 * *why (may be NULL) when the backend cannot name the pair. */
	char		*(*pair_key)(const struct translator *, const char *source,
			    const char *target, char **why);
	/* GET {url}{probe_path} lists the pairs; NULL: every pair counts. */
	const char	*probe_path;
	/* Adds the pairs of the probe's answer; 0, or -1 and *error. */
	int		(*probe_parse)(struct translator *, json_t *, char **error);
	/* Starts a request (translate_http_start or a child); 0, or -1 and
	 * *cause, reported as a RETRY from the loop. */
	int		(*start)(struct translate_request *, char **cause);
	/* HTTP: reads a response that is not a transport failure and ends
	 * the request with translate_request_done or _fail. */
	void		(*answer)(struct translate_request *,
			    const struct fetch_response *);
};

extern const struct translate_backend translate_apertium;
extern const struct translate_backend translate_libretranslate;
extern const struct translate_backend translate_deepl;
extern const struct translate_backend translate_command;

struct translator {
	struct event_base		*base;
	struct fetcher			*fetcher;
	const struct translate_backend	*backend;
	char				*url;		/* no trailing slash */
	char				*key;
	char				**argv;
	int64_t				 timeout;	/* seconds */
	int				 concurrency;

	TAILQ_HEAD(, translate_request)	 queue;		/* waiting for a slot */
	TAILQ_HEAD(, translate_request)	 running;
	int				 nrunning;
	TAILQ_HEAD(, translate_job)	 jobs;

	/* What the probe found: sorted pair keys; probed says it answered. */
	char				**pairs;
	size_t				 npairs;
	int				 probed;
	struct transfer			*probe_transfer;
	struct event			*probe_timer;
	int				 probe_pending;
	void				(*probe_cb)(const char *, void *);
	void				*probe_arg;
};

/* One request to the backend: some of a job's texts. */
struct translate_request {
	struct translator		*tr;
	struct translate_job		*job;
	const char			*source;	/* the job's ISO 639-1 codes */
	const char			*target;
	const char			**texts;	/* the job's, borrowed */
	size_t				*index;		/* each one's place in the job */
	size_t				 count;
	size_t				 chars;
	size_t				 bytes;		/* JSON-escaped */
	int				 running;
	struct transfer			*transfer;
	struct child			*child;
	struct event			*timer;
	char				*start_error;	/* start failed: said from the loop */
	TAILQ_ENTRY(translate_request)	 entry;		/* tr->queue or tr->running */
	TAILQ_ENTRY(translate_request)	 job_entry;
};

/* Ends a request with its translations (count of them, taken with the
 * array); checks them first (an empty translation of a text is garbage). */
void	 translate_request_done(struct translate_request *, char **texts);
/* Ends a request, and so its job, with a failure. */
void	 translate_request_fail(struct translate_request *,
	    enum translate_outcome, int64_t retry_after, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* Fails a request with what a non-2xx response says: its status decides
 * RETRY or REFUSED, and the message of its JSON body is the error. */
void	 translate_request_http_fail(struct translate_request *,
	    const struct fetch_response *);
/* Fails a request whose answer is not what the API documents. */
void	 translate_request_garbage(struct translate_request *, const char *);
/* Starts an HTTP request through the translator's fetcher. */
void	 translate_http_start(struct translate_request *,
	    const struct fetch_request *);
/* Which outcome an HTTP status means: REFUSED when the request will
 * never succeed as it is (400, 401, 403, 413, 414, 422), else RETRY. */
enum translate_outcome translate_status_outcome(long);
/* Checks an HTTP backend's options (a fetcher, an http(s) url); 0, or -1
 * and *cause. */
int	 translate_http_init(struct translator *, char **cause);
/* A response's body parsed as JSON, or NULL. */
json_t	*translate_json_body(const struct fetch_response *);
/* Ends r with the translations in array (of the answer json, which is
 * released): r->count of them, each a string, or, when member is not NULL,
 * an object whose member is the string; anything else is garbage named
 * by what ("no translations"). */
void	 translate_request_texts(struct translate_request *, json_t *json,
	    json_t *array, const char *member, const char *what);
/* Adds a pair key to what the probe found (sorted once it is over). */
void	 translate_pair_add(struct translator *, const char *key);
/* {url}{path}; caller frees. */
char	*translate_url(const struct translator *, const char *path);

/* lang.c */
/* The ISO 639-3 code of an ISO 639-1 code ("es" → "spa", "pt-BR" →
 * "por"); a three-letter code is returned as it is; NULL when unknown. */
const char	*translate_lang3(const char *code);

/* utf8.c */
/* Code points of len bytes of UTF-8 (an invalid byte counts as one). */
size_t	 translate_utf8_chars(const char *, size_t);
/* Bytes of the character at s (n > 0 bytes left), an invalid byte one. */
size_t	 translate_utf8_next(const char *s, size_t n);
/* A copy of len bytes with each invalid byte replaced by U+FFFD. */
char	*translate_utf8_repair(const char *, size_t);
/* Bytes of Unicode white space at s (n bytes left); 0 when none. */
size_t	 translate_space_len(const char *s, size_t n);
/* Whether len bytes hold nothing but white space. */
int	 translate_blank(const char *, size_t);
/* [*start, *end) narrowed past white space at both ends. */
void	 translate_trim(const char *, size_t *start, size_t *end);
/* Bytes the string takes inside a JSON string literal. */
size_t	 translate_json_len(const char *);

#endif
