/* json.c: alerts as JSON — the story body the outbox stores, alert log lines, digest messages. */

/*
 * An alert is stored as its header columns (seq, time, type, watch) and a
 * body: the JSON members that follow them in the alert log, written once
 * when the alert is created. Rendering puts the header first and the
 * body's members after it in their stored order (jansson keeps insertion
 * order), so every line of the log reads the same way:
 *
 *   {"seq":17,"time":"2026-11-25T10:00:02Z","type":"new_story",
 *    "watch":"gaza-talks","story":{"id":"42","title":"...","url":"...",
 *    "feed":"izvestia","lang":"ru","translated":false,"published":null}}
 *
 * new_person and new_claim bodies put their person or claim first, then
 * the story, then the evidence: the sentence that named the person or
 * made the claim, as the story has it (in the translation when the story
 * was translated).
 *
 * A story id is a string: JSON numbers beyond 2^53 lose precision in
 * JavaScript receivers, and ids are names, not quantities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store.h"
#include "alert/alert_internal.h"

#define ALERT_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* Parsed feed text is UTF-8 already; this guards against whatever else
 * reaches an alert, since jansson refuses a whole string over one bad
 * byte and the log must stay UTF-8. */
json_t *
alert_json_text(const char *s)
{
	const unsigned char *p;
	json_t *v;
	char *clean;
	size_t n, used = 0, len;
	uint32_t cp;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	n = strlen(s);
	clean = xmalloc(n * 3 + 1);
	for (p = (const unsigned char *)s; n > 0; p += len, n -= len) {
		if ((len = util_utf8_decode(p, n, &cp)) == 0) {
			memcpy(clean + used, ALERT_REPLACEMENT, 3);
			used += 3;
			len = 1;
		} else {
			memcpy(clean + used, p, len);
			used += len;
		}
	}
	clean[used] = '\0';
	v = json_string(clean);
	free(clean);
	return v != NULL ? v : json_null();
}

/* An RFC 3339 time, null when unknown (negative). */
static json_t *
alert_json_time(int64_t t)
{
	char buf[UTIL_TIME_LEN];

	if (t < 0)
		return json_null();
	return json_string(util_format_time(t, buf));
}

/* Dumps a value as compact UTF-8 and releases it; only running out of
 * memory makes jansson fail here, which xmalloc treats as fatal too. */
static char *
alert_json_dump(json_t *v)
{
	char *text;

	if ((text = json_dumps(v, JSON_COMPACT)) == NULL)
		fatalx("json_dumps: out of memory");
	json_decref(v);
	return text;
}

/* The story object every alert carries. */
static json_t *
alert_json_story(const struct alert_story *st)
{
	json_t *story;
	char id[32];

	snprintf(id, sizeof id, "%lld", (long long)st->id);
	story = json_object();
	json_object_set_new(story, "id", json_string(id));
	json_object_set_new(story, "title",
	    alert_json_text(st->title != NULL ? st->title : ""));
	json_object_set_new(story, "url", alert_json_text(st->url));
	json_object_set_new(story, "feed",
	    alert_json_text(st->feed != NULL ? st->feed : ""));
	json_object_set_new(story, "lang",
	    alert_json_text(st->lang != NULL ? st->lang : "und"));
	json_object_set_new(story, "translated",
	    json_boolean(st->translated));
	json_object_set_new(story, "published", alert_json_time(st->published));
	return story;
}

char *
alert_body_new_story(const struct alert_story *st)
{
	json_t *body;

	body = json_object();
	json_object_set_new(body, "story", alert_json_story(st));
	return alert_json_dump(body);
}

/* A JSON array of n strings. */
static json_t *
alert_json_strings(const char *const *v, size_t n)
{
	json_t *a;
	size_t i;

	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, alert_json_text(v[i]));
	return a;
}

char *
alert_body_new_person(const struct alert_person *p,
    const struct alert_story *st, const char *evidence)
{
	json_t *person, *body;

	person = json_object();
	json_object_set_new(person, "name", alert_json_text(p->name));
	json_object_set_new(person, "variants",
	    alert_json_strings(p->variants, p->nvariants));
	body = json_object();
	json_object_set_new(body, "person", person);
	json_object_set_new(body, "story", alert_json_story(st));
	json_object_set_new(body, "evidence", alert_json_text(evidence));
	return alert_json_dump(body);
}

char *
alert_body_new_claim(const struct alert_claim *c,
    const struct alert_story *st, const char *evidence)
{
	json_t *claim, *body;

	claim = json_object();
	json_object_set_new(claim, "text", alert_json_text(c->text));
	json_object_set_new(claim, "speaker", alert_json_text(c->speaker));
	json_object_set_new(claim, "source", alert_json_text(c->source));
	json_object_set_new(claim, "figures",
	    alert_json_strings(c->figures, c->nfigures));
	json_object_set_new(claim, "revises", c->revises > 0 ?
	    json_integer(c->revises) : json_null());
	body = json_object();
	json_object_set_new(body, "claim", claim);
	json_object_set_new(body, "story", alert_json_story(st));
	json_object_set_new(body, "evidence", alert_json_text(evidence));
	return alert_json_dump(body);
}

/* Whether a body member would shadow one of the header's. */
static int
alert_is_header(const char *key)
{
	return strcmp(key, "seq") == 0 || strcmp(key, "time") == 0 ||
	    strcmp(key, "type") == 0 || strcmp(key, "watch") == 0;
}

/* A body that does not parse (a row edited by hand) still leaves a line
 * with its seq, which is what sinks and receivers need to count. */
json_t *
alert_render_json(const struct store_alert *a)
{
	json_t *obj, *body, *value;
	const char *key;

	obj = json_object();
	json_object_set_new(obj, "seq", json_integer(a->seq));
	json_object_set_new(obj, "time", alert_json_time(a->time));
	json_object_set_new(obj, "type", alert_json_text(a->type));
	json_object_set_new(obj, "watch", alert_json_text(a->watch));
	body = a->body != NULL ? json_loads(a->body, 0, NULL) : NULL;
	if (json_is_object(body)) {
		json_object_foreach(body, key, value) {
			if (!alert_is_header(key))
				json_object_set(obj, key, value);
		}
	}
	json_decref(body);
	return obj;
}

char *
alert_render(const struct store_alert *a)
{
	return alert_json_dump(alert_render_json(a));
}

char *
alert_digest_render(json_t *alerts, int64_t from, int64_t to)
{
	json_t *msg, *digest;

	digest = json_object();
	json_object_set_new(digest, "from", alert_json_time(from));
	json_object_set_new(digest, "to", alert_json_time(to));
	json_object_set_new(digest, "count",
	    json_integer((json_int_t)json_array_size(alerts)));
	msg = json_object();
	json_object_set_new(msg, "digest", digest);
	json_object_set_new(msg, "alerts", alerts);
	return alert_json_dump(msg);
}

int64_t
alert_line_seq(const char *line, size_t len)
{
	json_t *obj, *seq, *alerts;
	int64_t n = 0;

	if ((obj = json_loadb(line, len, 0, NULL)) == NULL)
		return 0;
	seq = json_object_get(obj, "seq");
	alerts = json_object_get(obj, "alerts");
	if (!json_is_integer(seq) && json_is_array(alerts) &&
	    json_array_size(alerts) > 0)
		seq = json_object_get(json_array_get(alerts,
		    json_array_size(alerts) - 1), "seq");
	if (json_is_integer(seq) && json_integer_value(seq) > 0)
		n = json_integer_value(seq);
	json_decref(obj);
	return n;
}
