/* translation.c: the translation stage — stories waiting in the store go to the backend, come back in place, and release their alerts. */

/*
 * A story not in the target language is put in a waiting state by the
 * pipeline, in the transaction that opens it (store.h: "title" or
 * "text"), and the alerts of the watches it matches are held. Here the
 * waiting stories are taken from the store as they fall due, at most
 * TRANSLATION_FLIGHTS at once; each is cut into chunks (its title, its
 * text's paragraphs), chunks found in the cache are not sent again, and
 * the rest go to the backend in one job. When the job ends, one
 * transaction writes the cache, the costs, the translation in place (the
 * originals kept beside it), the watches the translation matches, the
 * story's next state and, once it is done, its held alerts.
 *
 * Nothing is lost on the way: a story leaves its waiting state only in
 * that transaction, so a crash, a restart or a backend that is down leaves
 * it waiting, due again after a backoff ([translate] retry, doubling up to
 * TRANSLATION_RETRY_MAX, or the server's Retry-After), until max_wait has
 * passed since it began to wait: then it is used untranslated, and its
 * alerts go out with "translated": false.
 *
 * With translate = watched a story's title is translated first (short and
 * cheap); its text follows only when a watch matched the story, on its
 * original or on its translated title. translate = all asks for both at
 * once.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "translate/translate.h"
#include "watch/watch.h"

#define TRANSLATION_FLIGHTS	16	/* stories in flight at once */
#define TRANSLATION_RETRY_MAX	1800	/* seconds; the first is [translate] retry */
#define TRANSLATION_SCAN_MAX	60	/* the longest sleep between scans */
#define TRANSLATION_KEY_MAX	4096	/* bytes of a key file */

/* One story on its way through the backend. */
struct translation_flight {
	struct daemon			*daemon;
	int64_t				 story_id;
	char				*state;		/* "title" or "text" */
	char				*lang;
	char				*title;		/* the original title */
	char				*text;		/* the original text */
	char				*title_done;	/* its translation, when done before */
	int64_t				 since;
	int				 attempts;
	int				 with_title;	/* the title is translated now */
	int				 with_text;
	struct translate_chunk		*chunks;	/* title's, then text's */
	size_t				 ntitle;
	size_t				 nchunks;
	char				**results;	/* one a chunk */
	size_t				*misses;	/* chunks sent */
	size_t				 nmisses;
	size_t				 hits;
	struct translate_job		*job;
	TAILQ_ENTRY(translation_flight)	 entry;
};

static void	translation_schedule(struct daemon *, int64_t delay);

static void
translation_flight_free(struct translation_flight *tf)
{
	size_t i;

	if (tf == NULL)
		return;
	if (tf->job != NULL)
		translate_cancel(tf->job);
	for (i = 0; i < tf->nchunks && tf->results != NULL; i++)
		free(tf->results[i]);
	free(tf->results);
	translate_chunks_free(tf->chunks, tf->nchunks);
	free(tf->misses);
	free(tf->state);
	free(tf->lang);
	free(tf->title);
	free(tf->text);
	free(tf->title_done);
	free(tf);
}

/* Cuts what this step translates into chunks, after the title's. */
static void
translation_flight_chunks(struct translation_flight *tf)
{
	struct translator *t = tf->daemon->translator;
	struct translate_chunk *title = NULL, *text = NULL;
	size_t ntext = 0, max = translator_max_chars(t);

	if (tf->with_title)
		tf->ntitle = translate_split(tf->title, max, &title);
	if (tf->with_text)
		ntext = translate_split(tf->text, max, &text);
	tf->nchunks = tf->ntitle + ntext;
	tf->chunks = xreallocarray(title, tf->nchunks ? tf->nchunks : 1,
	    sizeof *tf->chunks);
	if (ntext > 0)
		memcpy(tf->chunks + tf->ntitle, text, ntext * sizeof *text);
	free(text);
	tf->results = xcalloc(tf->nchunks ? tf->nchunks : 1,
	    sizeof *tf->results);
	tf->misses = xcalloc(tf->nchunks ? tf->nchunks : 1,
	    sizeof *tf->misses);
}

/* Fills the results the cache has; the rest are the misses to send. */
static void
translation_flight_cache(struct translation_flight *tf)
{
	struct daemon *d = tf->daemon;
	char *cause = NULL;
	size_t i;
	int rc;

	for (i = 0; i < tf->nchunks; i++) {
		rc = store_translation_get(d->store, d->conf->translate_backend,
		    tf->lang, d->conf->translate_target, tf->chunks[i].text,
		    &tf->results[i], &cause);
		if (rc == -1) {
			log_warnx("translation cache: %s", cause);
			free(cause);
			cause = NULL;
		}
		if (rc == 1)
			tf->hits++;
		else
			tf->misses[tf->nmisses++] = i;
	}
}

/* The story object of the alerts a translated story releases. */
static int
translation_story_cb(const struct store_story *st, void *arg)
{
	struct alert_story *as = arg;

	as->title = xstrdup(st->title != NULL ? st->title : "");
	as->url = st->url != NULL ? xstrdup(st->url) : NULL;
	as->feed = xstrdup(st->feed != NULL ? st->feed : "");
	as->lang = xstrdup(st->translated_from != NULL ? st->translated_from :
	    st->lang);
	as->translated = st->translated_by != NULL;
	as->published = st->published;
	return 1;
}

struct translation_release {
	struct daemon		*daemon;
	struct alert_story	 story;
	char			*title;		/* the story as it now reads */
	char			*text;
	char			*lang;		/* of title and text */
	struct extraction_text	 extraction;
	int64_t			 now;
	char			**cause;
};

/* A released story as its alerts speak of it, and its text for the
 * extract stage: the translation when there is one, else the original in
 * its own language. */
static int
translation_release_text_cb(const struct store_story *st, void *arg)
{
	struct translation_release *r = arg;

	translation_story_cb(st, &r->story);

	r->title = xstrdup(st->title != NULL ? st->title : "");
	r->text = xstrdup(st->text != NULL ? st->text : "");
	r->lang = xstrdup(st->translated_by != NULL ?
	    r->daemon->conf->translate_target : st->lang);
	return 1;
}

/* Queues the held alert of one watch, if the watch still exists, and the
 * alerts of the people and claims new to it. */
static int
translation_release_cb(const char *watch, void *arg)
{
	struct translation_release *r = arg;
	struct config *conf = r->daemon->conf;
	size_t i;

	for (i = 0; i < conf->nwatches; i++) {
		if (strcmp(conf->watches[i].name, watch) != 0)
			continue;
		if (pipeline_alert_story(r->daemon, &conf->watches[i],
		    &r->story, r->now, r->cause) != 0)
			return -1;
		return extraction_watch(r->daemon, &conf->watches[i],
		    &r->story, &r->extraction, r->now, r->cause);
	}
	return 0;
}

/* Loads the story object of story_id's alerts as the store has it (the
 * translated title of a translated story). Returns 1, 0 when the story
 * is gone, -1; release with translation_story_clear. */
int
translation_story_load(struct daemon *d, int64_t story_id,
    struct alert_story *as, char **cause)
{
	memset(as, 0, sizeof *as);
	as->id = story_id;
	return store_story_get(d->store, story_id, translation_story_cb, as,
	    cause);
}

void
translation_story_clear(struct alert_story *as)
{
	free((char *)as->title);
	free((char *)as->url);
	free((char *)as->feed);
	free((char *)as->lang);
	memset(as, 0, sizeof *as);
}

/* The story is done waiting: its held alerts go out, about the story as
 * the store now has it (its translated title). */
static int
translation_release(struct daemon *d, int64_t story_id, int64_t now,
    char **cause)
{
	struct translation_release r;
	int rc;

	memset(&r, 0, sizeof r);
	r.daemon = d;
	r.now = now;
	r.cause = cause;
	r.story.id = story_id;
	rc = store_story_get(d->store, story_id, translation_release_text_cb,
	    &r, cause);
	if (rc == 1) {
		extraction_text_init(&r.extraction, r.lang, r.title, r.text);
		rc = store_story_watches_release(d->store, story_id,
		    translation_release_cb, &r, cause);
		extraction_text_clear(&r.extraction);
	}
	translation_story_clear(&r.story);
	free(r.title);
	free(r.text);
	free(r.lang);
	return rc == -1 ? -1 : 0;
}

/* Records the watches the story matches with its translation beside its
 * original; their alerts are held until the story is done. */
static int
translation_match(struct translation_flight *tf, const char *title,
    const char *text, int64_t now, char **cause)
{
	struct daemon *d = tf->daemon;
	const char *target = d->conf->translate_target;
	struct alert_story as;

	if (d->conf->nwatches == 0)
		return 0;
	watch_doc_reset(d->doc);
	watch_doc_add(d->doc, tf->lang, tf->title, strlen(tf->title));
	watch_doc_add(d->doc, tf->lang, tf->text, strlen(tf->text));
	if (title == NULL)
		title = tf->title_done;
	if (title != NULL)
		watch_doc_add(d->doc, target, title, strlen(title));
	if (text != NULL)
		watch_doc_add(d->doc, target, text, strlen(text));
	memset(&as, 0, sizeof as);
	as.id = tf->story_id;
	return pipeline_match(d, &as, 1, NULL, now, cause);
}

/* Writes a finished step: the translation in place, the watches it
 * matches, the next state, and the alerts when the story is done. */
static int
translation_apply(struct translation_flight *tf, int64_t now, char **cause)
{
	struct daemon *d = tf->daemon;
	char *title = NULL, *text = NULL;
	const char *next = STORE_TRANSLATION_DONE;
	size_t i;
	int rc = -1, count;

	for (i = 0; i < tf->nmisses; i++) {
		if (store_translation_put(d->store, d->conf->translate_backend,
		    tf->lang, d->conf->translate_target,
		    tf->chunks[tf->misses[i]].text, tf->results[tf->misses[i]],
		    now, cause) != 0)
			goto out;
	}
	if (tf->with_title)
		title = translate_join(tf->chunks, tf->results, tf->ntitle);
	if (tf->with_text)
		text = translate_join(tf->chunks + tf->ntitle,
		    tf->results + tf->ntitle, tf->nchunks - tf->ntitle);
	if (translation_match(tf, title, text, now, cause) != 0)
		goto out;
	if (!tf->with_text) {
		if ((count = store_story_watch_count(d->store, tf->story_id,
		    cause)) == -1)
			goto out;
		if (count > 0)
			next = STORE_TRANSLATION_TEXT;
	}
	if (store_story_translated(d->store, tf->story_id, title, text,
	    d->conf->translate_backend, tf->lang, next, cause) != 0)
		goto out;
	if (strcmp(next, STORE_TRANSLATION_DONE) == 0 &&
	    translation_release(d, tf->story_id, now, cause) != 0)
		goto out;
	rc = 0;
out:
	free(title);
	free(text);
	return rc;
}

/* A failed attempt: due again after the backoff, or, past max_wait or
 * refused, used untranslated. */
static int
translation_fail(struct translation_flight *tf, const struct translate_result
    *r, int64_t now, struct store_translate_stats *st, char **cause)
{
	struct daemon *d = tf->daemon;
	int64_t delay, due;
	int shift;

	if (r->outcome != TRANSLATE_REFUSED &&
	    now - tf->since < d->conf->translate_max_wait) {
		shift = tf->attempts < 10 ? tf->attempts : 10;
		delay = d->conf->translate_retry << shift;
		if (delay > TRANSLATION_RETRY_MAX)
			delay = TRANSLATION_RETRY_MAX;
		due = r->retry_after > now ? r->retry_after : now + delay;
		return store_story_translate_retry(d->store, tf->story_id, due,
		    r->error, cause);
	}
	st->untranslated++;
	log_warnx("story %lld: used untranslated: %s", (long long)tf->story_id,
	    r->error != NULL ? r->error : "gave up");
	if (store_story_translate_give_up(d->store, tf->story_id, r->error,
	    cause) != 0)
		return -1;
	return translation_release(d, tf->story_id, now, cause);
}

/* Ends a flight in one transaction, of its own: the polls waiting in the
 * open batch are committed first. */
static void
translation_finish(struct translation_flight *tf, const struct translate_result
    *r)
{
	struct daemon *d = tf->daemon;
	struct store_translate_stats st;
	int64_t now = util_now();
	char *cause = NULL;
	int rc;

	memset(&st, 0, sizeof st);
	st.backend = d->conf->translate_backend;
	st.cache_hits = (int64_t)tf->hits;
	st.cache_misses = (int64_t)tf->nmisses;
	if (r != NULL) {
		st.requests = 1;
		st.chars = (int64_t)r->chars_sent;
		if (r->outcome != TRANSLATE_OK)
			st.failures = 1;
	}
	batch_commit(d);
	if ((rc = store_batch_begin(d->store, &cause)) == 0) {
		if (r == NULL || r->outcome == TRANSLATE_OK)
			rc = translation_apply(tf, now, &cause);
		else
			rc = translation_fail(tf, r, now, &st, &cause);
		if (rc == 0)
			rc = store_translate_stats_add(d->store, &st, &cause);
		if (rc == 0)
			rc = store_batch_commit(d->store, &cause);
		else
			store_batch_rollback(d->store);
	}
	if (rc != 0) {
		log_warnx("story %lld: cannot store its translation: %s",
		    (long long)tf->story_id, cause);
		free(cause);
		d->store_errors++;
	} else
		alert_outbox_flush(d->outbox);
	TAILQ_REMOVE(&d->translate_flights, tf, entry);
	d->translate_inflight--;
	translation_flight_free(tf);
	translation_schedule(d, 0);
}

/* The backend answered a flight's job. */
static void
translation_done_cb(const struct translate_result *r, void *arg)
{
	struct translation_flight *tf = arg;
	size_t i;

	tf->job = NULL;
	if (r->outcome == TRANSLATE_OK && r->ntexts == tf->nmisses) {
		for (i = 0; i < tf->nmisses; i++)
			tf->results[tf->misses[i]] = xstrdup(r->texts[i]);
	} else if (r->outcome == TRANSLATE_OK) {
		struct translate_result bad = *r;

		bad.outcome = TRANSLATE_RETRY;
		bad.error = "the backend answered the wrong number of texts";
		translation_finish(tf, &bad);
		return;
	} else
		log_debug("story %lld: translation failed: %s",
		    (long long)tf->story_id, r->error);
	translation_finish(tf, r);
}

/* Whether story id is in flight (store_story_translate_due's skip). */
static int
translation_in_flight(int64_t id, void *arg)
{
	struct daemon *d = arg;
	struct translation_flight *tf;

	TAILQ_FOREACH(tf, &d->translate_flights, entry) {
		if (tf->story_id == id)
			return 1;
	}
	return 0;
}

/* Copies a due story into a new flight (started after the listing). */
static int
translation_due_cb(const struct store_translate_job *job, void *arg)
{
	struct daemon *d = arg;
	struct translation_flight *tf;

	tf = xcalloc(1, sizeof *tf);
	tf->daemon = d;
	tf->story_id = job->id;
	tf->state = xstrdup(job->state);
	tf->lang = xstrdup(job->lang);
	/* Once translated, the story's title is the translation and the
	 * original is beside it. */
	tf->title = xstrdup(job->title_original != NULL ?
	    job->title_original : job->title != NULL ? job->title : "");
	tf->text = xstrdup(job->text != NULL ? job->text : "");
	tf->since = job->since;
	tf->attempts = job->attempts;
	tf->with_title = job->title_original == NULL;
	if (!tf->with_title && job->title != NULL)
		tf->title_done = xstrdup(job->title);
	tf->with_text = strcmp(job->state, STORE_TRANSLATION_TEXT) == 0;
	TAILQ_INSERT_TAIL(&d->translate_flights, tf, entry);
	d->translate_inflight++;
	return 0;
}

/* Sends a new flight's misses, or finishes it at once when the cache had
 * everything (or there is nothing to translate). */
static void
translation_start(struct translation_flight *tf)
{
	struct daemon *d = tf->daemon;
	const char **texts;
	size_t i;

	translation_flight_chunks(tf);
	translation_flight_cache(tf);
	if (tf->nmisses == 0) {
		translation_finish(tf, NULL);
		return;
	}
	texts = xcalloc(tf->nmisses, sizeof *texts);
	for (i = 0; i < tf->nmisses; i++)
		texts[i] = tf->chunks[tf->misses[i]].text;
	tf->job = translate_start(d->translator, tf->lang,
	    d->conf->translate_target, texts, tf->nmisses, translation_done_cb,
	    tf);
	free(texts);
}

/* Takes the stories due now into flights, as room allows, then sleeps
 * until the next one is due. */
static void
translation_scan_cb(evutil_socket_t fd, short events, void *arg)
{
	struct daemon *d = arg;
	struct translation_flight *tf, *started;
	int64_t now = util_now(), due = 0;
	size_t room = TRANSLATION_FLIGHTS - d->translate_inflight, listed;
	char *cause = NULL;

	if (d->translator == NULL)
		return;
	started = TAILQ_LAST(&d->translate_flights, translation_flight_list);
	if (room > 0 &&
	    store_story_translate_due(d->store, now,
	    TRANSLATION_FLIGHTS - d->translate_inflight, translation_in_flight,
	    translation_due_cb, d, &cause) != 0) {
		log_warnx("cannot list the stories to translate: %s", cause);
		free(cause);
		cause = NULL;
	}
	/* Start the flights the listing added; one the cache answers whole
	 * ends here at once. */
	tf = started != NULL ? TAILQ_NEXT(started, entry) :
	    TAILQ_FIRST(&d->translate_flights);
	for (listed = 0; tf != NULL; listed++) {
		struct translation_flight *next = TAILQ_NEXT(tf, entry);

		if (tf->chunks == NULL && tf->job == NULL)
			translation_start(tf);
		tf = next;
	}
	if (store_story_translate_next(d->store, now, &due,
	    &d->translate_pending, &cause) != 0) {
		log_warnx("cannot count the stories to translate: %s", cause);
		free(cause);
		translation_schedule(d, TRANSLATION_SCAN_MAX);
		return;
	}
	/* A full listing may have left stories due now: scan again at once
	 * (flights that end schedule a scan too). Otherwise nothing is due
	 * before the next retry. */
	if (room > 0 && listed == room)
		translation_schedule(d, 0);
	else if (due > 0)
		translation_schedule(d, due - now);
}

/* Scans again after delay seconds (0: on the next loop turn). */
static void
translation_schedule(struct daemon *d, int64_t delay)
{
	struct timeval tv;

	if (d->translator == NULL || d->translate_timer == NULL)
		return;
	if (delay > TRANSLATION_SCAN_MAX)
		delay = TRANSLATION_SCAN_MAX;
	tv.tv_sec = (time_t)delay;
	tv.tv_usec = 0;
	evtimer_add(d->translate_timer, &tv);
}

void
translation_kick(struct daemon *d)
{
	if (d->translate_requested == 0)
		return;
	d->translate_requested = 0;
	translation_schedule(d, 0);
}

size_t
translation_busy(struct daemon *d)
{
	int64_t due;
	char *cause = NULL;

	if (d->translator == NULL)
		return 0;
	/* The store knows every waiting story, also those asked for since
	 * the last scan. */
	if (store_story_translate_next(d->store, util_now(), &due,
	    &d->translate_pending, &cause) != 0) {
		log_warnx("cannot count the stories to translate: %s", cause);
		free(cause);
	}
	return (size_t)d->translate_pending;
}

/* The probe of what the backend translates ended. */
static void
translation_probe_cb(const char *error, void *arg)
{
	struct daemon *d = arg;

	if (error != NULL)
		log_warnx("translation backend %s: %s; every language pair is "
		    "tried", d->conf->translate_backend, error);
	else
		log_info("translation backend %s ready",
		    d->conf->translate_backend);
}

/* Reads the API key: the file's first line, without white space around. */
static char *
translation_read_key(const char *path, char **cause)
{
	struct stat st;
	char *buf, *start, *end;
	size_t len;

	if ((buf = util_read_file(path, TRANSLATION_KEY_MAX, &len, cause)) ==
	    NULL)
		return NULL;
	if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
		log_warnx("%s: the translation key is readable by every user; "
		    "chmod o-r it", path);
	start = buf + strspn(buf, " \t\r\n");
	end = start + strcspn(start, "\r\n");
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	if (*start == '\0') {
		xasprintf(cause, "%s: no key in the file", path);
		free(buf);
		return NULL;
	}
	memmove(buf, start, (size_t)(end - start) + 1);
	return buf;
}

/* Makes the translator of conf (none for backend none). */
static int
translation_make(struct daemon *d, struct config *conf,
    struct translator **out, char **key, char **cause)
{
	struct translate_options o;

	*out = NULL;
	*key = NULL;
	if (strcmp(conf->translate_backend, "none") == 0)
		return 0;
	if (conf->translate_key_file != NULL &&
	    (*key = translation_read_key(conf->translate_key_file,
	    cause)) == NULL)
		return -1;
	memset(&o, 0, sizeof o);
	o.backend = conf->translate_backend;
	o.url = conf->translate_url;
	o.key = *key;
	o.argv = (const char * const *)conf->translate_argv;
	o.timeout = conf->translate_timeout;
	o.concurrency = conf->translate_concurrency;
	if ((*out = translator_new(d->base, d->fetcher, &o, cause)) == NULL) {
		free(*key);
		*key = NULL;
		return -1;
	}
	return 0;
}

/* Drops the translator and its flights; their stories stay waiting. */
static void
translation_stop(struct daemon *d)
{
	struct translation_flight *tf;

	while ((tf = TAILQ_FIRST(&d->translate_flights)) != NULL) {
		TAILQ_REMOVE(&d->translate_flights, tf, entry);
		translation_flight_free(tf);
	}
	d->translate_inflight = 0;
	translator_free(d->translator);
	d->translator = NULL;
	if (d->translate_key != NULL)
		explicit_bzero(d->translate_key, strlen(d->translate_key));
	free(d->translate_key);
	d->translate_key = NULL;
}

int
translation_init(struct daemon *d, char **cause)
{
	TAILQ_INIT(&d->translate_flights);
	if (translation_make(d, d->conf, &d->translator, &d->translate_key,
	    cause) != 0)
		return -1;
	d->translate_timer = evtimer_new(d->base, translation_scan_cb, d);
	if (d->translate_timer == NULL) {
		*cause = xstrdup("cannot create the translation timer");
		return -1;
	}
	if (d->translator != NULL) {
		translator_probe(d->translator, translation_probe_cb, d);
		/* Stories left waiting by an earlier run go first. */
		translation_schedule(d, 0);
	}
	return 0;
}

int
translation_reconfigure(struct daemon *d, struct config *conf, char **cause)
{
	struct translator *t;
	char *key;

	if (translation_make(d, conf, &t, &key, cause) != 0)
		return -1;
	translation_stop(d);
	d->translator = t;
	d->translate_key = key;
	if (t != NULL) {
		translator_probe(t, translation_probe_cb, d);
		translation_schedule(d, 0);
	}
	return 0;
}

void
translation_free(struct daemon *d)
{
	translation_stop(d);
	if (d->translate_timer != NULL)
		event_free(d->translate_timer);
	d->translate_timer = NULL;
}
