/* translate/libretranslate.c: a LibreTranslate server — batches of texts POSTed as JSON to /translate, the pairs read from /languages. */

/*
 * LibreTranslate names languages with ISO 639-1 codes, as we do.
 *
 *   POST {url}/translate   Content-Type: application/json
 *        {"q":["...",...],"source":"es","target":"en","format":"text",
 *         "api_key":"KEY"}            (api_key only when there is a key)
 *   200  {"translatedText":["...",...]}   (a string for a string q)
 *   400, 403, 429, 500  {"error":"..."}
 *   GET  {url}/languages
 *   200  [{"code":"en","name":"English","targets":["es",...]},...]
 *
 * A server may limit the characters of one request (its char_limit counts
 * every text of the batch); public instances set it to a few thousand, so
 * batches stay within LIBRETRANSLATE_BATCH_CHARS.
 */

#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "translate/backend.h"

#define LIBRETRANSLATE_MAX_CHARS	2000	/* one text */
#define LIBRETRANSLATE_MAX_TEXTS	50	/* a request */
#define LIBRETRANSLATE_BATCH_CHARS	5000	/* a request */

/* Checks the options: an http(s) url. */
static int
libretranslate_init(struct translator *tr, char **cause)
{
	return translate_http_init(tr, cause);
}

/* The pair as /languages lists it: "es|en". */
static char *
libretranslate_pair_key(const struct translator *tr, const char *source,
    const char *target, char **why)
{
	char *key;

	xasprintf(&key, "%s|%s", source, target);
	return key;
}

/* POSTs the request's texts as one JSON array. */
static int
libretranslate_start(struct translate_request *r, char **cause)
{
	struct fetch_request req;
	json_t *body, *q;
	char *text, *url;
	size_t k;

	q = json_array();
	for (k = 0; k < r->count; k++)
		json_array_append_new(q, json_string(r->texts[k]));
	body = json_pack("{s:o, s:s, s:s, s:s}", "q", q, "source", r->source,
	    "target", r->target, "format", "text");
	if (body != NULL && r->tr->key != NULL)
		json_object_set_new(body, "api_key", json_string(r->tr->key));
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		*cause = xstrdup("cannot make the JSON request");
		return -1;
	}
	json_decref(body);
	url = translate_url(r->tr, "/translate");
	memset(&req, 0, sizeof req);
	req.url = url;
	req.method_post = 1;
	req.body = text;
	req.body_len = strlen(text);
	req.content_type = "application/json";
	translate_http_start(r, &req);
	free(url);
	free(text);
	return 0;
}

/* Reads translatedText: an array as long as q, or one string. */
static void
libretranslate_answer(struct translate_request *r,
    const struct fetch_response *resp)
{
	json_t *json, *out;
	char **texts;

	if (resp->status < 200 || resp->status > 299) {
		translate_request_http_fail(r, resp);
		return;
	}
	json = translate_json_body(resp);
	out = json_object_get(json, "translatedText");
	if (json_is_string(out) && r->count == 1) {
		texts = xcalloc(1, sizeof *texts);
		texts[0] = xstrdup(json_string_value(out));
		json_decref(json);
		translate_request_done(r, texts);
		return;
	}
	translate_request_texts(r, json, out, NULL, "no translatedText");
}

/* Reads the pairs of /languages: each code to its targets, or, from a
 * server too old to list targets, every code to every other. */
static int
libretranslate_probe_parse(struct translator *tr, json_t *json, char **error)
{
	json_t *lang, *code, *targets, *t, *other;
	size_t i, j;
	char *key;

	if (!json_is_array(json)) {
		*error = xstrdup("the list of languages is not an array");
		return -1;
	}
	json_array_foreach(json, i, lang) {
		code = json_object_get(lang, "code");
		targets = json_object_get(lang, "targets");
		if (!json_is_string(code))
			continue;
		if (!json_is_array(targets))
			targets = NULL;
		json_array_foreach(targets != NULL ? targets : json, j, t) {
			other = targets != NULL ? t : json_object_get(t, "code");
			if (!json_is_string(other) || strcmp(json_string_value(
			    other), json_string_value(code)) == 0)
				continue;
			xasprintf(&key, "%s|%s", json_string_value(code),
			    json_string_value(other));
			translate_pair_add(tr, key);
			free(key);
		}
	}
	return 0;
}

const struct translate_backend translate_libretranslate = {
	.name = "libretranslate",
	.max_chars = LIBRETRANSLATE_MAX_CHARS,
	.max_texts = LIBRETRANSLATE_MAX_TEXTS,
	.max_batch_chars = LIBRETRANSLATE_BATCH_CHARS,
	.init = libretranslate_init,
	.pair_key = libretranslate_pair_key,
	.probe_path = "/languages",
	.probe_parse = libretranslate_probe_parse,
	.start = libretranslate_start,
	.answer = libretranslate_answer,
};
