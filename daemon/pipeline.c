/* pipeline.c: what each new or edited item goes through — language, story, watches, alerts — inside its poll's transaction. */

/*
 * store_items_save_with calls pipeline_item_cb for every item it inserts
 * or changes, inside the poll's savepoint: the item, its story, the
 * watches the story matched and the alerts that causes are written
 * together or not at all. That is what makes alerts exactly-once across
 * crashes: an alert exists only in the transaction that made its story
 * change, and a crash that loses the transaction loses the feed's
 * validators with it, so the next poll brings the items back and the same
 * alerts are made again, with the same next seq.
 *
 * The near-duplicate index lives in memory (story/), built from the store
 * when the first new item needs it: a restart whose polls bring nothing
 * new (every feed answers 304) never reads the stories at all. A
 * rolled-back transaction can leave it naming a story the store does not
 * have; store_story_add_item says so, and the entry is dropped and the
 * item looked up again.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alert/alert.h"
#include "common/common.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "parse/parse.h"
#include "story/story.h"
#include "watch/watch.h"

/* Bytes of an item given to language identification: a title and the
 * start of the text tell the language as well as the whole. */
#define PIPELINE_LANGID_BYTES	1024
/* Stale index entries dropped for one item before it opens a story. */
#define PIPELINE_STALE_MAX	8
/* How often old stories leave the index. */
#define PIPELINE_EXPIRE_SECONDS	3600

static void	 pipeline_index_build(struct daemon *);

/* The item a callback is about, with what the pipeline worked out. */
struct pipeline_item {
	struct daemon			*daemon;
	struct feed			*feed;
	int64_t				 item_id;
	const struct parsed_item	*item;
	const char			*lang;
	struct story_signature		 signature;
	uint8_t				 blob[STORY_SIGNATURE_BYTES];
	int64_t				 now;
};

/* Identifies the item's language from its title and the start of its text,
 * with the feed's configured language as the prior. */
static const char *
pipeline_language(struct daemon *d, struct feed *f,
    const struct parsed_item *item)
{
	char buf[PIPELINE_LANGID_BYTES];
	size_t n;

	n = (size_t)snprintf(buf, sizeof buf, "%s\n\n%s",
	    item->title != NULL ? item->title : "",
	    item->text != NULL ? item->text : "");
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	return text_langid_detect(d->langid, buf, n, f->language);
}

/* Tokenizes title and text into the daemon's reused token lists and
 * computes the item's signature. */
static void
pipeline_signature(struct pipeline_item *pi)
{
	struct daemon *d = pi->daemon;
	const char *title = pi->item->title, *text = pi->item->text;

	d->title_tokens.count = d->title_tokens.buf_len = 0;
	d->text_tokens.count = d->text_tokens.buf_len = 0;
	if (title != NULL)
		text_tokenize(title, strlen(title), &d->title_tokens);
	if (text != NULL)
		text_tokenize(text, strlen(text), &d->text_tokens);
	story_signature_compute(&d->title_tokens, &d->text_tokens,
	    &pi->signature);
	story_signature_encode(&pi->signature, pi->blob);
}

/* The story fields the store writes for pi. */
static void
pipeline_story_new(const struct pipeline_item *pi, struct store_story_new *n)
{
	memset(n, 0, sizeof *n);
	n->item_id = pi->item_id;
	n->title = pi->item->title;
	n->text = pi->item->text;
	n->url = pi->item->url;
	n->lang = pi->lang;
	n->published = pi->item->published;
	n->now = pi->now;
	n->exact_hash = pi->signature.exact;
	n->signature = pi->blob;
	n->signature_len = sizeof pi->blob;
}

/* A story just opened or rewritten by pi waits for its translation when
 * its language wants one: its title only (translate = watched; the text
 * follows once a watch matches) or all of it. */
static int
pipeline_request_translation(struct pipeline_item *pi, int64_t story_id,
    char **cause)
{
	struct daemon *d = pi->daemon;

	if (!pipeline_wants_translation(d, pi->lang))
		return 0;
	d->translate_requested++;
	return store_story_translate_request(d->store, story_id,
	    d->conf->translate_all ? STORE_TRANSLATION_TEXT :
	    STORE_TRANSLATION_TITLE, pi->now, cause);
}

/* Puts a new item into the story it copies, or a new story. Returns 0
 * and *story_id, or -1 and *cause. */
static int
pipeline_assign(struct pipeline_item *pi, int64_t *story_id, char **cause)
{
	struct daemon *d = pi->daemon;
	struct store_story_new n;
	int64_t id;
	int i, rc;

	if (d->stories_stale)
		pipeline_index_build(d);
	for (i = 0; i < PIPELINE_STALE_MAX; i++) {
		if ((id = story_index_find(d->stories, &pi->signature,
		    NULL)) == 0)
			break;
		rc = store_story_add_item(d->store, id, pi->item_id, pi->lang,
		    pi->now, cause);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			/* A story with a fresh copy stays open to more. */
			story_index_touch(d->stories, id, pi->now);
			*story_id = id;
			return 0;
		}
		story_index_remove(d->stories, id);
	}
	pipeline_story_new(pi, &n);
	if (store_story_insert(d->store, &n, &id, cause) != 0)
		return -1;
	story_index_add(d->stories, id, &pi->signature, pi->now);
	d->nstories++;
	*story_id = id;
	return pipeline_request_translation(pi, id, cause);
}

/* An edited item: the story it opened takes its new text; a copy's edit
 * changes only the copy. Returns 0 and *story_id (0 for an item stored
 * before stories existed), or -1 and *cause. */
static int
pipeline_edit(struct pipeline_item *pi, int64_t *story_id, char **cause)
{
	struct daemon *d = pi->daemon;
	struct store_story_new n;
	int leads;

	if (store_item_story(d->store, pi->item_id, story_id, &leads,
	    cause) != 0)
		return -1;
	if (*story_id == 0 || !leads)
		return 0;
	pipeline_story_new(pi, &n);
	if (store_story_update(d->store, *story_id, &n, cause) != 0)
		return -1;
	if (d->stories_stale)
		pipeline_index_build(d);
	story_index_add(d->stories, *story_id, &pi->signature, pi->now);
	/* The edit replaced the translation with a new original. */
	return pipeline_request_translation(pi, *story_id, cause);
}

/* Queues a new_story alert of watch w about the story as describes. */
int
pipeline_alert_story(struct daemon *d, const struct config_watch *w,
    const struct alert_story *as, int64_t now, char **cause)
{
	int64_t seq;
	char *body;
	int rc;

	if (!config_watch_alerts(w, "story"))
		return 0;
	body = alert_body_new_story(as);
	rc = store_alert_insert(d->store, "new_story", w->name, as->id, body,
	    now, &seq, cause);
	free(body);
	if (rc == 0)
		log_info("alert %lld: new story %lld for watch %s (feed %s)",
		    (long long)seq, (long long)as->id, w->name, as->feed);
	return rc;
}

/*
 * Matches d->doc against every watch. The first match of a story by a
 * watch is recorded; when held (the story waits for its translation) its
 * alert waits with it, else the alert about as is queued now. Unless held,
 * every match also reads xt (when not NULL) for the people and claims new
 * to the watch: a copy or an edit of a story can bring new ones.
 */
int
pipeline_match(struct daemon *d, const struct alert_story *as, int held,
    struct extraction_text *xt, int64_t now, char **cause)
{
	const struct config_watch *w;
	size_t i;
	int rc;

	for (i = 0; i < d->conf->nwatches; i++) {
		w = &d->conf->watches[i];
		if (!watch_query_match(w->compiled, d->doc))
			continue;
		rc = store_story_watch_add(d->store, as->id, w->name, held, now,
		    cause);
		if (rc == -1)
			return -1;
		if (held)
			continue;
		if (rc == 1 && pipeline_alert_story(d, w, as, now, cause) != 0)
			return -1;
		if (xt != NULL &&
		    extraction_watch(d, w, as, xt, now, cause) != 0)
			return -1;
	}
	return 0;
}

/* Whether a story in lang is to be translated: a backend is configured,
 * the language is known, not the target's, and among [translate]
 * languages when they are given. */
int
pipeline_wants_translation(struct daemon *d, const char *lang)
{
	const char *target = d->conf->translate_target;
	size_t n = strcspn(target, "-_");

	char **l;

	if (d->translator == NULL || lang == NULL || strcmp(lang, "und") == 0)
		return 0;
	if (strncmp(lang, target, n) == 0 && lang[n] == '\0')
		return 0;
	if ((l = d->conf->translate_languages) == NULL)
		return 1;
	for (; *l != NULL; l++) {
		if (strcmp(*l, lang) == 0)
			return 1;
	}
	return 0;
}

/* Whether any watch matches d->doc. */
static int
pipeline_any_match(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->conf->nwatches; i++) {
		if (watch_query_match(d->conf->watches[i].compiled, d->doc))
			return 1;
	}
	return 0;
}

/* Matches the item's title and text against every watch. */
static int
pipeline_watches(struct pipeline_item *pi, int64_t story_id, char **cause)
{
	struct daemon *d = pi->daemon;
	const char *title = pi->item->title, *text = pi->item->text;
	struct extraction_text xt;
	struct alert_story as;
	int held, rc;

	if (d->conf->nwatches == 0)
		return 0;
	watch_doc_reset(d->doc);
	if (title != NULL)
		watch_doc_add(d->doc, pi->lang, title, strlen(title));
	if (text != NULL)
		watch_doc_add(d->doc, pi->lang, text, strlen(text));
	/* Most items match no watch: they need not ask the store about
	 * their story at all. */
	if (!pipeline_any_match(d))
		return 0;
	if ((held = store_story_pending(d->store, story_id, cause)) == -1)
		return -1;
	extraction_text_init(&xt, pi->lang, title, text);
	/* A copy matching a story translated before it speaks of the story
	 * in the translation, like the story's own alerts; its people and
	 * claims are read in its own language, where there are cues for it
	 * (the translation's were read when it was made). */
	if (!held && d->translator != NULL) {
		if ((rc = translation_story_load(d, story_id, &as, cause)) == -1)
			return -1;
		if (rc == 1 && as.translated) {
			rc = pipeline_match(d, &as, 0, &xt, pi->now, cause);
			translation_story_clear(&as);
			extraction_text_clear(&xt);
			return rc;
		}
		translation_story_clear(&as);
	}
	memset(&as, 0, sizeof as);
	as.id = story_id;
	as.title = title != NULL ? title : "";
	as.url = pi->item->url;
	as.feed = pi->feed->name;
	as.lang = pi->lang;
	as.published = pi->item->published;
	rc = pipeline_match(d, &as, held, &xt, pi->now, cause);
	extraction_text_clear(&xt);
	return rc;
}

int
pipeline_item_cb(int64_t item_id, enum store_item_change change,
    const struct parsed_item *item, void *arg, char **cause)
{
	struct feed *f = arg;
	struct pipeline_item pi;
	int64_t story_id = 0;

	memset(&pi, 0, sizeof pi);
	pi.daemon = f->daemon;
	pi.feed = f;
	pi.item_id = item_id;
	pi.item = item;
	pi.now = util_now();
	pi.lang = pipeline_language(f->daemon, f, item);
	pipeline_signature(&pi);
	if (change == STORE_ITEM_UPDATED &&
	    pipeline_edit(&pi, &story_id, cause) != 0)
		return -1;
	if (story_id == 0 && pipeline_assign(&pi, &story_id, cause) != 0)
		return -1;
	return pipeline_watches(&pi, story_id, cause);
}

/* Adds a stored story to the index. */
static int
pipeline_index_cb(const struct store_story_signature *sig, void *arg)
{
	struct daemon *d = arg;
	struct story_signature decoded;

	if (story_signature_decode(sig->signature, sig->signature_len,
	    &decoded) == 0)
		story_index_add(d->stories, sig->id, &decoded, sig->last_seen);
	return 0;
}

/* Builds the index from the stories of the window in the store. */
static void
pipeline_index_build(struct daemon *d)
{
	char *cause = NULL;

	story_index_free(d->stories);
	d->stories = story_index_new();
	d->stories_stale = 0;
	if (store_story_signatures(d->store, util_now() - d->conf->story_window,
	    pipeline_index_cb, d, &cause) != 0) {
		log_warnx("cannot read the stories for the duplicate index: %s",
		    cause);
		free(cause);
	}
	log_debug("duplicate index: %zu recent stories, %zu bytes",
	    story_index_count(d->stories), story_index_bytes(d->stories));
}

/* Marks the index for a rebuild: at start, and after a batch was lost
 * (its stories are gone; the index would only waste lookups). */
void
pipeline_rebuild(struct daemon *d)
{
	d->stories_stale = 1;
	if (store_count_stories(d->store, &d->nstories, NULL) != 0)
		d->nstories = 0;
}

/* Hourly: stories not seen for story_window no longer take copies. */
static void
pipeline_expire_cb(evutil_socket_t fd, short events, void *arg)
{
	struct daemon *d = arg;
	size_t n;

	if (d->stories_stale)
		return;
	n = story_index_expire(d->stories, util_now() - d->conf->story_window);
	if (n > 0)
		log_debug("duplicate index: %zu stories expired", n);
}

int
pipeline_init(struct daemon *d, char **cause)
{
	struct timeval tv = { PIPELINE_EXPIRE_SECONDS, 0 };

	if ((d->langid = text_langid_new(cause)) == NULL)
		return -1;
	d->stemmer = text_stemmer_new();
	d->doc = watch_doc_new(d->stemmer);
	pipeline_rebuild(d);
	d->expire_timer = event_new(d->base, -1, EV_PERSIST,
	    pipeline_expire_cb, d);
	if (d->expire_timer == NULL || evtimer_add(d->expire_timer, &tv) != 0) {
		*cause = xstrdup("cannot start the story expiry timer");
		return -1;
	}
	return 0;
}

void
pipeline_free(struct daemon *d)
{
	if (d->expire_timer != NULL)
		event_free(d->expire_timer);
	watch_doc_free(d->doc);
	text_stemmer_free(d->stemmer);
	text_langid_free(d->langid);
	story_index_free(d->stories);
	text_tokens_clear(&d->title_tokens);
	text_tokens_clear(&d->text_tokens);
}
