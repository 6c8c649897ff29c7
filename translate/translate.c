/* translate/translate.c: translators, jobs and requests — the batching, concurrency, timing and outcomes every backend shares. */

/*
 * A job's texts are put into requests within the backend's limits (one
 * text a request for APY and a command; many texts, within a size, for
 * LibreTranslate and DeepL). Requests wait in the translator's queue and
 * run at most `concurrency` at once across all jobs, first come first
 * served, each within `timeout`. A job ends with its first failure (its
 * requests still queued or running are dropped: a job's result is all or
 * nothing, so the daemon can cache and retry it whole) or when its last
 * request is done. A text that is empty or white space is not sent: it is
 * its own translation. chars_sent counts what reached a backend.
 *
 * A job's callback never runs from translate_start: what is decided there
 * (nothing to send, a pair the backend lacks) is reported from an event
 * made active for it, and so is a request that could not even start. The
 * callback runs after the job has left the translator, so it may start
 * jobs, cancel others or free the translator.
 *
 * Errors are one line of at most TRANSLATE_ERROR_MAX bytes, and the key,
 * should a server echo it, is cut out of them: keys are never logged.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "child/child.h"
#include "common/common.h"
#include "fetch/fetch.h"
#include "translate/backend.h"

#define TRANSLATE_DEFAULT_TIMEOUT	60	/* seconds */
#define TRANSLATE_DEFAULT_CONCURRENCY	2
#define TRANSLATE_MAX_CONCURRENCY	64
#define TRANSLATE_ERROR_MAX		300	/* bytes of an error line */
#define TRANSLATE_MAX_CODE		12	/* bytes of a language code */

struct translate_job {
	struct translator		*tr;
	char				*source;
	char				*target;
	char				**texts;	/* repaired copies */
	char				**out;		/* their translations */
	size_t				 ntexts;
	size_t				 left;		/* requests not done */
	size_t				 chars_sent;
	TAILQ_HEAD(, translate_request)	 requests;
	struct event			*later;		/* an outcome decided at start */
	enum translate_outcome		 later_outcome;
	char				*later_error;
	translate_cb			 cb;
	void				*arg;
	TAILQ_ENTRY(translate_job)	 entry;
};

static const struct translate_backend *translate_backends[] = {
	&translate_apertium,
	&translate_libretranslate,
	&translate_deepl,
	&translate_command,
};

/* Returns the backend of that name, or NULL. */
static const struct translate_backend *
translate_backend_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof translate_backends /
	    sizeof translate_backends[0]; i++) {
		if (strcmp(translate_backends[i]->name, name) == 0)
			return translate_backends[i];
	}
	return NULL;
}

/* Makes text one line a person can read: valid UTF-8, no control
 * characters, bounded, and without the key. Caller frees. */
static char *
translate_error_clean(const struct translator *tr, const char *text)
{
	char *repaired, *line, *p, *hit;
	const char *from;
	size_t keylen, hits = 0, len, cut, k;

	repaired = translate_utf8_repair(text, strlen(text));
	keylen = tr->key != NULL ? strlen(tr->key) : 0;
	for (from = repaired; keylen > 0 &&
	    (hit = strstr(from, tr->key)) != NULL; from = hit + keylen)
		hits++;
	line = p = xmalloc(strlen(repaired) + hits * 5 + 1);
	for (from = repaired; hits > 0 &&
	    (hit = strstr(from, tr->key)) != NULL; from = hit + keylen) {
		memcpy(p, from, hit - from);
		p = stpcpy(p + (hit - from), "[key]");
	}
	strcpy(p, from);
	free(repaired);
	for (p = line; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	if ((len = strlen(line)) > TRANSLATE_ERROR_MAX) {
		/* Cut on a character boundary. */
		for (cut = 0; cut < len; cut += k) {
			k = translate_utf8_next(line + cut, len - cut);
			if (cut + k > TRANSLATE_ERROR_MAX - 3)
				break;
		}
		memcpy(line + cut, "...", 4);
	}
	return line;
}

/* Whether a language code is one to put in a URL, a body or an argv. */
static int
translate_code_ok(const char *code)
{
	size_t i;

	if (code == NULL || *code == '\0' || strlen(code) > TRANSLATE_MAX_CODE)
		return 0;
	for (i = 0; code[i] != '\0'; i++) {
		if (!isalnum((unsigned char)code[i]) && code[i] != '-' &&
		    code[i] != '_')
			return 0;
	}
	return 1;
}

static void	translate_request_timer_cb(evutil_socket_t, short, void *);
static void	translate_timer_add(struct event *, int64_t);
static void	translate_probe_timer_cb(evutil_socket_t, short, void *);

/* Copies the options and lets the backend check them. */
struct translator *
translator_new(struct event_base *base, struct fetcher *fetcher,
    const struct translate_options *o, char **cause)
{
	const struct translate_backend *b;
	struct translator *tr;
	size_t n, i;
	const char *p;

	if ((b = translate_backend_find(o->backend)) == NULL) {
		xasprintf(cause, "unknown translation backend \"%s\"",
		    o->backend != NULL ? o->backend : "");
		return NULL;
	}
	tr = xcalloc(1, sizeof *tr);
	tr->base = base;
	tr->fetcher = fetcher;
	tr->backend = b;
	TAILQ_INIT(&tr->queue);
	TAILQ_INIT(&tr->running);
	TAILQ_INIT(&tr->jobs);
	if (o->url != NULL && *o->url != '\0') {
		tr->url = xstrdup(o->url);
		for (n = strlen(tr->url); n > 0 && tr->url[n - 1] == '/'; n--)
			tr->url[n - 1] = '\0';
	}
	if (o->key != NULL && *o->key != '\0')
		tr->key = xstrdup(o->key);
	if (o->argv != NULL) {
		for (n = 0; o->argv[n] != NULL; n++)
			;
		tr->argv = xcalloc(n + 1, sizeof *tr->argv);
		for (i = 0; i < n; i++)
			tr->argv[i] = xstrdup(o->argv[i]);
	}
	tr->timeout = o->timeout > 0 ? o->timeout : TRANSLATE_DEFAULT_TIMEOUT;
	tr->concurrency = o->concurrency > 0 ? o->concurrency :
	    TRANSLATE_DEFAULT_CONCURRENCY;
	if (tr->concurrency > TRANSLATE_MAX_CONCURRENCY)
		tr->concurrency = TRANSLATE_MAX_CONCURRENCY;
	tr->probe_timer = evtimer_new(base, translate_probe_timer_cb, tr);
	if (tr->probe_timer == NULL)
		fatalx("evtimer_new failed");

	for (p = tr->key; p != NULL && *p != '\0'; p++) {
		/* It goes into a header line: nothing may break it. */
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			xasprintf(cause, "%s: the key has control characters",
			    b->name);
			translator_free(tr);
			return NULL;
		}
	}
	if (b->init(tr, cause) != 0) {
		translator_free(tr);
		return NULL;
	}
	return tr;
}

/* Arms a timer for seconds. */
static void
translate_timer_add(struct event *ev, int64_t seconds)
{
	struct timeval tv = { (time_t)seconds, 0 };

	evtimer_add(ev, &tv);
}

/* Drops the probe in flight, if any, without its callback. */
static void
translate_probe_stop(struct translator *tr)
{
	if (tr->probe_transfer != NULL) {
		fetch_cancel(tr->probe_transfer);
		tr->probe_transfer = NULL;
	}
	evtimer_del(tr->probe_timer);
	tr->probe_pending = 0;
}

/* Forgets the pairs the probe found. */
static void
translate_pairs_clear(struct translator *tr)
{
	size_t i;

	for (i = 0; i < tr->npairs; i++)
		free(tr->pairs[i]);
	free(tr->pairs);
	tr->pairs = NULL;
	tr->npairs = 0;
	tr->probed = 0;
}

/* Cancels the jobs (no callbacks) and the probe, then frees. */
void
translator_free(struct translator *tr)
{
	struct translate_job *job;
	size_t i;

	if (tr == NULL)
		return;
	/* Cancelling frees slots; nothing queued may start meanwhile. */
	tr->concurrency = 0;
	while ((job = TAILQ_FIRST(&tr->jobs)) != NULL)
		translate_cancel(job);
	translate_probe_stop(tr);
	event_free(tr->probe_timer);
	translate_pairs_clear(tr);
	for (i = 0; tr->argv != NULL && tr->argv[i] != NULL; i++)
		free(tr->argv[i]);
	free(tr->argv);
	free(tr->url);
	free(tr->key);
	free(tr);
}

/* Sorts pair keys for bsearch. */
static int
translate_pair_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Adds a pair key the probe found. */
void
translate_pair_add(struct translator *tr, const char *key)
{
	tr->pairs = xreallocarray(tr->pairs, tr->npairs + 1, sizeof *tr->pairs);
	tr->pairs[tr->npairs++] = xstrdup(key);
}

/* Ends the probe: the pairs it found count, or none do (every pair is
 * then supported as far as we know), and the callback hears of it. */
static void
translate_probe_end(struct translator *tr, const char *error)
{
	char *clean = NULL;

	tr->probe_pending = 0;
	if (error != NULL) {
		translate_pairs_clear(tr);
		clean = translate_error_clean(tr, error);
	} else if (tr->npairs > 0) {
		qsort(tr->pairs, tr->npairs, sizeof *tr->pairs,
		    translate_pair_cmp);
	}
	if (tr->probe_cb != NULL)
		tr->probe_cb(clean, tr->probe_arg);
	free(clean);
}

/* The probe's answer: the backend reads the pairs out of it. */
static void
translate_probe_cb(const struct fetch_response *resp, void *arg)
{
	struct translator *tr = arg;
	const char *name = tr->backend->name;
	char *error = NULL, *why = NULL;
	json_t *json;

	tr->probe_transfer = NULL;
	evtimer_del(tr->probe_timer);
	translate_pairs_clear(tr);
	if (resp->outcome != FETCH_OK)
		xasprintf(&error, "%s: %s", name, resp->error != NULL ?
		    resp->error : "no answer");
	else if ((json = translate_json_body(resp)) == NULL)
		xasprintf(&error, "%s: the list of pairs is not JSON", name);
	else {
		if (tr->backend->probe_parse(tr, json, &why) == 0)
			tr->probed = 1;
		else {
			xasprintf(&error, "%s: %s", name, why);
			free(why);
		}
		json_decref(json);
	}
	translate_probe_end(tr, error);
	free(error);
}

/* The probe timed out, or there is none and every pair counts. */
static void
translate_probe_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct translator *tr = arg;
	char *error = NULL;

	if (!tr->probe_pending)
		return;
	if (tr->probe_transfer != NULL) {
		fetch_cancel(tr->probe_transfer);
		tr->probe_transfer = NULL;
		translate_pairs_clear(tr);
		xasprintf(&error, "%s: no list of pairs in %lld s",
		    tr->backend->name, (long long)tr->timeout);
	}
	translate_probe_end(tr, error);
	free(error);
}

/* Asks the backend for its pairs; one probe at a time (a new one drops
 * the one in flight, whose callback is then not called). */
void
translator_probe(struct translator *tr, void (*cb)(const char *, void *),
    void *arg)
{
	struct fetch_request req;
	char *url;

	translate_probe_stop(tr);
	tr->probe_cb = cb;
	tr->probe_arg = arg;
	tr->probe_pending = 1;
	if (tr->backend->probe_path == NULL) {
		event_active(tr->probe_timer, EV_TIMEOUT, 1);
		return;
	}
	url = translate_url(tr, tr->backend->probe_path);
	memset(&req, 0, sizeof req);
	req.url = url;
	tr->probe_transfer = fetch_start(tr->fetcher, &req, translate_probe_cb,
	    tr);
	free(url);
	translate_timer_add(tr->probe_timer, tr->timeout);
}

/* Whether the backend can name the pair and, once probed, lists it. */
int
translator_supports(const struct translator *tr, const char *source,
    const char *target)
{
	char *key, *why = NULL;
	int found;

	if (!translate_code_ok(source) || !translate_code_ok(target))
		return 0;
	if ((key = tr->backend->pair_key(tr, source, target, &why)) == NULL) {
		free(why);
		return 0;
	}
	found = !tr->probed || bsearch(&key, tr->pairs, tr->npairs,
	    sizeof *tr->pairs, translate_pair_cmp) != NULL;
	free(key);
	return found;
}

/* The backend's limit for one text. */
size_t
translator_max_chars(const struct translator *tr)
{
	return tr->backend->max_chars;
}

/* The server's base URL with path after it. */
char *
translate_url(const struct translator *tr, const char *path)
{
	char *url;

	xasprintf(&url, "%s%s", tr->url, path);
	return url;
}

/* Makes an empty request of a job (not yet queued). */
static struct translate_request *
translate_request_new(struct translate_job *job)
{
	struct translator *tr = job->tr;
	struct translate_request *r;
	size_t max = tr->backend->max_texts;

	r = xcalloc(1, sizeof *r);
	r->tr = tr;
	r->job = job;
	r->source = job->source;
	r->target = job->target;
	r->texts = xcalloc(max, sizeof *r->texts);
	r->index = xcalloc(max, sizeof *r->index);
	if ((r->timer = evtimer_new(tr->base, translate_request_timer_cb,
	    r)) == NULL)
		fatalx("evtimer_new failed");
	TAILQ_INSERT_TAIL(&job->requests, r, job_entry);
	TAILQ_INSERT_TAIL(&tr->queue, r, entry);
	job->left++;
	return r;
}

/* Stops a request wherever it is and frees it. */
static void
translate_request_free(struct translate_request *r)
{
	struct translator *tr = r->tr;

	if (r->running) {
		TAILQ_REMOVE(&tr->running, r, entry);
		tr->nrunning--;
	} else
		TAILQ_REMOVE(&tr->queue, r, entry);
	if (r->transfer != NULL)
		fetch_cancel(r->transfer);
	if (r->child != NULL)
		child_cancel(r->child);
	event_free(r->timer);
	TAILQ_REMOVE(&r->job->requests, r, job_entry);
	free(r->start_error);
	free(r->texts);
	free(r->index);
	free(r);
}

/* Starts queued requests while there are free slots. Never calls a job's
 * callback: a request that cannot start says so from its timer. */
static void
translate_pump(struct translator *tr)
{
	struct translate_request *r;
	char *cause;

	while (tr->nrunning < tr->concurrency &&
	    (r = TAILQ_FIRST(&tr->queue)) != NULL) {
		TAILQ_REMOVE(&tr->queue, r, entry);
		TAILQ_INSERT_TAIL(&tr->running, r, entry);
		r->running = 1;
		tr->nrunning++;
		cause = NULL;
		if (tr->backend->start(r, &cause) != 0) {
			r->start_error = cause;
			event_active(r->timer, EV_TIMEOUT, 1);
			continue;
		}
		r->job->chars_sent += r->chars;
		if (!tr->backend->own_timeout)
			translate_timer_add(r->timer, tr->timeout);
	}
}

/* Frees a job that has left its translator. */
static void
translate_job_free(struct translate_job *job)
{
	size_t i;

	for (i = 0; i < job->ntexts; i++) {
		free(job->texts[i]);
		free(job->out[i]);
	}
	free(job->texts);
	free(job->out);
	if (job->later != NULL)
		event_free(job->later);
	free(job->later_error);
	free(job->source);
	free(job->target);
	free(job);
}

/* Ends a job: it leaves the translator, what it still has queued or
 * running is dropped, its callback hears the outcome. */
static void
translate_job_end(struct translate_job *job, enum translate_outcome outcome,
    int64_t retry_after, const char *error)
{
	struct translator *tr = job->tr;
	struct translate_request *r;
	struct translate_result res;

	TAILQ_REMOVE(&tr->jobs, job, entry);
	while ((r = TAILQ_FIRST(&job->requests)) != NULL)
		translate_request_free(r);
	translate_pump(tr);

	memset(&res, 0, sizeof res);
	res.outcome = outcome;
	if (outcome == TRANSLATE_OK) {
		res.texts = job->out;
		res.ntexts = job->ntexts;
	} else {
		res.retry_after = retry_after;
		res.error = error != NULL ? error : "failed";
	}
	res.chars_sent = job->chars_sent;
	job->cb(&res, job->arg);
	translate_job_free(job);
}

/* Reports what translate_start decided, from the loop. */
static void
translate_job_later_cb(evutil_socket_t fd, short what, void *arg)
{
	struct translate_job *job = arg;

	translate_job_end(job, job->later_outcome, 0, job->later_error);
}

/* Arranges for the job to end from the loop with outcome. */
static void WW_PRINTF(3, 4)
translate_job_later(struct translate_job *job, enum translate_outcome outcome,
    const char *fmt, ...)
{
	va_list ap;
	char *error;

	job->later_outcome = outcome;
	if (fmt != NULL) {
		va_start(ap, fmt);
		xvasprintf(&error, fmt, ap);
		va_end(ap);
		job->later_error = translate_error_clean(job->tr, error);
		free(error);
	}
	if ((job->later = event_new(job->tr->base, -1, 0,
	    translate_job_later_cb, job)) == NULL)
		fatalx("event_new failed");
	event_active(job->later, EV_TIMEOUT, 1);
}

/* Checks the pair; returns 0, or -1 with the job set to be refused. */
static int
translate_job_pair(struct translate_job *job)
{
	struct translator *tr = job->tr;
	const char *name = tr->backend->name;
	char *key, *why = NULL;
	int found;

	if (!translate_code_ok(job->source) || !translate_code_ok(job->target)) {
		translate_job_later(job, TRANSLATE_REFUSED,
		    "%s: not a language code", name);
		return -1;
	}
	key = tr->backend->pair_key(tr, job->source, job->target, &why);
	if (key == NULL) {
		translate_job_later(job, TRANSLATE_REFUSED, "%s: %s", name,
		    why != NULL ? why : "no such language pair");
		free(why);
		return -1;
	}
	found = !tr->probed || bsearch(&key, tr->pairs, tr->npairs,
	    sizeof *tr->pairs, translate_pair_cmp) != NULL;
	free(key);
	if (!found) {
		translate_job_later(job, TRANSLATE_REFUSED,
		    "%s: the server does not translate %s to %s", name,
		    job->source, job->target);
		return -1;
	}
	return 0;
}

/* Puts the job's texts into requests within the backend's limits. */
static void
translate_job_batch(struct translate_job *job)
{
	const struct translate_backend *b = job->tr->backend;
	struct translate_request *r = NULL;
	size_t i, len, chars, bytes;

	for (i = 0; i < job->ntexts; i++) {
		len = strlen(job->texts[i]);
		if (translate_blank(job->texts[i], len)) {
			job->out[i] = xstrdup(job->texts[i]);
			continue;
		}
		chars = translate_utf8_chars(job->texts[i], len);
		bytes = translate_json_len(job->texts[i]);
		if (r != NULL && (r->count == b->max_texts ||
		    (b->max_batch_chars > 0 &&
		    r->chars + chars > b->max_batch_chars) ||
		    (b->max_batch_bytes > 0 &&
		    r->bytes + bytes > b->max_batch_bytes)))
			r = NULL;
		if (r == NULL)
			r = translate_request_new(job);
		r->texts[r->count] = job->texts[i];
		r->index[r->count] = i;
		r->count++;
		r->chars += chars;
		r->bytes += bytes;
	}
}

/* Copies the texts, checks the pair, and queues the requests. */
struct translate_job *
translate_start(struct translator *tr, const char *source, const char *target,
    const char * const *texts, size_t ntexts, translate_cb cb, void *arg)
{
	struct translate_job *job;
	size_t i;

	job = xcalloc(1, sizeof *job);
	job->tr = tr;
	job->source = xstrdup(source != NULL ? source : "");
	job->target = xstrdup(target != NULL ? target : "");
	job->ntexts = ntexts;
	job->texts = xcalloc(ntexts + 1, sizeof *job->texts);
	job->out = xcalloc(ntexts + 1, sizeof *job->out);
	for (i = 0; i < ntexts; i++) {
		job->texts[i] = translate_utf8_repair(texts[i] != NULL ?
		    texts[i] : "", texts[i] != NULL ? strlen(texts[i]) : 0);
	}
	job->cb = cb;
	job->arg = arg;
	TAILQ_INIT(&job->requests);
	TAILQ_INSERT_TAIL(&tr->jobs, job, entry);

	if (translate_job_pair(job) != 0)
		return job;
	translate_job_batch(job);
	if (job->left == 0)
		translate_job_later(job, TRANSLATE_OK, NULL);
	else
		translate_pump(tr);
	return job;
}

/* Drops a job and its requests; its callback is not called. */
void
translate_cancel(struct translate_job *job)
{
	struct translator *tr;
	struct translate_request *r;

	if (job == NULL)
		return;
	tr = job->tr;
	TAILQ_REMOVE(&tr->jobs, job, entry);
	while ((r = TAILQ_FIRST(&job->requests)) != NULL)
		translate_request_free(r);
	translate_pump(tr);
	translate_job_free(job);
}

/* Ends a request with its translations, after checking them. */
void
translate_request_done(struct translate_request *r, char **texts)
{
	struct translate_job *job = r->job;
	struct translator *tr = r->tr;
	size_t k;

	for (k = 0; k < r->count; k++) {
		if (!translate_blank(texts[k], strlen(texts[k])))
			continue;
		for (k = 0; k < r->count; k++)
			free(texts[k]);
		free(texts);
		translate_request_garbage(r, "an empty translation");
		return;
	}
	for (k = 0; k < r->count; k++)
		job->out[r->index[k]] = texts[k];
	free(texts);
	translate_request_free(r);
	job->left--;
	translate_pump(tr);
	if (job->left == 0)
		translate_job_end(job, TRANSLATE_OK, 0, NULL);
}

/* Ends a request, and so its job, with a failure. */
void
translate_request_fail(struct translate_request *r,
    enum translate_outcome outcome, int64_t retry_after, const char *fmt, ...)
{
	struct translate_job *job = r->job;
	va_list ap;
	char *raw, *error;

	va_start(ap, fmt);
	xvasprintf(&raw, fmt, ap);
	va_end(ap);
	error = translate_error_clean(r->tr, raw);
	free(raw);
	translate_request_free(r);
	translate_job_end(job, outcome, retry_after, error);
	free(error);
}

/* An answer that is not what the API documents: another try may do. */
void
translate_request_garbage(struct translate_request *r, const char *what)
{
	translate_request_fail(r, TRANSLATE_RETRY, 0,
	    "%s: a malformed answer (%s)", r->tr->backend->name, what);
}

/* A request that could not start, or that took too long. */
static void
translate_request_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct translate_request *r = arg;
	const char *name = r->tr->backend->name;

	if (r->start_error != NULL)
		translate_request_fail(r, TRANSLATE_RETRY, 0, "%s: %s", name,
		    r->start_error);
	else
		translate_request_fail(r, TRANSLATE_RETRY, 0,
		    "%s: no answer in %lld s", name, (long long)r->tr->timeout);
}

/* Which statuses mean the request will never succeed as it is. */
enum translate_outcome
translate_status_outcome(long status)
{
	switch (status) {
	case 400:	/* bad request: an unknown pair, a text over the limit */
	case 401:
	case 403:	/* a key refused */
	case 413:
	case 414:
	case 422:
		return TRANSLATE_REFUSED;
	default:	/* 429, DeepL's 456 (quota), 5xx, a proxy's 404 ... */
		return TRANSLATE_RETRY;
	}
}

/* Parses a response's body; NULL when it is empty or not JSON. */
json_t *
translate_json_body(const struct fetch_response *resp)
{
	json_error_t err;

	if (resp->body == NULL || resp->body_len == 0)
		return NULL;
	return json_loadb(resp->body, resp->body_len, 0, &err);
}

/* The message of an error answer: the first string of the fields the
 * APIs put it in (LibreTranslate "error", APY "explanation" or, older,
 * "responseDetails", DeepL "message"), or NULL. APY's own "message" only
 * repeats the status, so its "explanation" goes first. */
static char *
translate_body_message(const struct fetch_response *resp)
{
	static const char *fields[] = {
		"error", "explanation", "responseDetails", "message", "detail",
	};
	json_t *json, *v;
	char *msg = NULL;
	size_t i;

	if ((json = translate_json_body(resp)) == NULL)
		return NULL;
	for (i = 0; msg == NULL && json_is_object(json) &&
	    i < sizeof fields / sizeof fields[0]; i++) {
		v = json_object_get(json, fields[i]);
		if (json_is_object(v))
			v = json_object_get(v, "message");
		if (json_is_string(v) && json_string_length(v) > 0)
			msg = xstrdup(json_string_value(v));
	}
	json_decref(json);
	return msg;
}

/* Fails a request with a non-2xx status and the message its body has. */
void
translate_request_http_fail(struct translate_request *r,
    const struct fetch_response *resp)
{
	char *msg = translate_body_message(resp);

	translate_request_fail(r, translate_status_outcome(resp->status),
	    resp->retry_after, "%s: %s%s%s", r->tr->backend->name,
	    resp->error != NULL ? resp->error : "HTTP error",
	    msg != NULL ? ": " : "", msg != NULL ? msg : "");
	free(msg);
}

/* A request's transfer ended: the backend reads an answer; a failure to
 * get one is worth another try. */
static void
translate_http_cb(const struct fetch_response *resp, void *arg)
{
	struct translate_request *r = arg;

	r->transfer = NULL;
	evtimer_del(r->timer);
	if (resp->outcome == FETCH_FAILED)
		translate_request_fail(r, TRANSLATE_RETRY, 0, "%s: %s",
		    r->tr->backend->name, resp->error != NULL ? resp->error :
		    "no answer");
	else if (resp->outcome == FETCH_NOT_MODIFIED)
		translate_request_garbage(r, "304 Not Modified");
	else
		r->tr->backend->answer(r, resp);
}

/* Starts a request's transfer; its answer comes to translate_http_cb. */
void
translate_http_start(struct translate_request *r,
    const struct fetch_request *req)
{
	r->transfer = fetch_start(r->tr->fetcher, req, translate_http_cb, r);
}

/* Checks what every HTTP backend needs: a fetcher and an http(s) URL. */
int
translate_http_init(struct translator *tr, char **cause)
{
	const char *name = tr->backend->name;

	if (tr->fetcher == NULL) {
		xasprintf(cause, "%s: no fetcher", name);
		return -1;
	}
	if (tr->url == NULL) {
		xasprintf(cause, "%s: no url", name);
		return -1;
	}
	if (strncasecmp(tr->url, "http://", 7) != 0 &&
	    strncasecmp(tr->url, "https://", 8) != 0) {
		xasprintf(cause, "%s: url is not http:// or https://", name);
		return -1;
	}
	return 0;
}

void
translate_request_texts(struct translate_request *r, json_t *json,
    json_t *array, const char *member, const char *what)
{
	char **texts;
	json_t *v;
	size_t k;

	if (!json_is_array(array) || json_array_size(array) != r->count) {
		/* array belongs to json: judge it before releasing json. */
		if (json_is_array(array))
			what = "the wrong number of translations";
		json_decref(json);
		translate_request_garbage(r, what);
		return;
	}
	texts = xcalloc(r->count, sizeof *texts);
	for (k = 0; k < r->count; k++) {
		v = json_array_get(array, k);
		if (member != NULL)
			v = json_object_get(v, member);
		if (!json_is_string(v)) {
			while (k > 0)
				free(texts[--k]);
			free(texts);
			json_decref(json);
			translate_request_garbage(r, "a translation that is not "
			    "text");
			return;
		}
		texts[k] = xstrdup(json_string_value(v));
	}
	json_decref(json);
	translate_request_done(r, texts);
}
