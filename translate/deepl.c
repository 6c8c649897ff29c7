/* translate/deepl.c: DeepL's v2 API — batches of texts POSTed as JSON to /v2/translate with the key in a header. */

/*
 *   POST {url}/v2/translate   Authorization: DeepL-Auth-Key KEY
 *        Content-Type: application/json
 *        {"text":["...",...],"source_lang":"ES","target_lang":"EN-US"}
 *   200  {"translations":[{"detected_source_language":"ES","text":"..."},
 *         ...]}
 *   400 a bad request, 403 the key refused, 413 too large, 429 too many
 *   requests, 456 the quota used up, 5xx: with {"message":"..."}, or none.
 *
 * The url defaults to https://api-free.deepl.com for a key of the free
 * plan (it ends in ":fx") and https://api.deepl.com otherwise. A request
 * takes at most 50 texts and 128 KiB. Source languages are plain codes
 * ("ES"); English and Portuguese targets need a variant (EN-US, PT-PT;
 * a configured "en-GB" or "pt-BR" is passed on as such) and Chinese is
 * asked for in simplified characters (ZH-HANS). There is no probe: DeepL
 * answers 400 for a pair it lacks.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "translate/backend.h"

#define DEEPL_MAX_CHARS		5000
#define DEEPL_MAX_TEXTS		50
/* Of JSON-escaped text, leaving room under the 128 KiB of a request for
 * the rest of the body and the JSON around each text. */
#define DEEPL_MAX_BYTES		(120 * 1024)
#define DEEPL_FREE_URL		"https://api-free.deepl.com"
#define DEEPL_PRO_URL		"https://api.deepl.com"

/* Needs a key; picks the url from it when none is given. */
static int
deepl_init(struct translator *tr, char **cause)
{
	size_t n;

	if (tr->key == NULL) {
		*cause = xstrdup("deepl: no key (key_file)");
		return -1;
	}
	if (tr->url == NULL) {
		n = strlen(tr->key);
		tr->url = xstrdup(n > 3 && strcmp(tr->key + n - 3, ":fx") == 0 ?
		    DEEPL_FREE_URL : DEEPL_PRO_URL);
	}
	return translate_http_init(tr, cause);
}

/* Every pair is worth asking DeepL for. */
static char *
deepl_pair_key(const struct translator *tr, const char *source,
    const char *target, char **why)
{
	return xstrdup("");
}

/* A code upper-cased, the region (if any) kept: "pt-br" → "PT-BR". */
static char *
deepl_upper(const char *code, size_t n)
{
	char *s = xstrndup(code, n), *p;

	for (p = s; *p != '\0'; p++)
		*p = *p == '_' ? '-' : toupper((unsigned char)*p);
	return s;
}

/* DeepL's source code: the language alone. */
static char *
deepl_source(const char *code)
{
	return deepl_upper(code, strcspn(code, "-_"));
}

/* DeepL's target code, with the variant it needs for en, pt and zh. */
static char *
deepl_target(const char *code)
{
	if (strcasecmp(code, "en") == 0)
		return xstrdup("EN-US");
	if (strcasecmp(code, "pt") == 0)
		return xstrdup("PT-PT");
	if (strcasecmp(code, "zh") == 0)
		return xstrdup("ZH-HANS");
	return deepl_upper(code, strlen(code));
}

/* POSTs the request's texts with the key in the Authorization header. */
static int
deepl_start(struct translate_request *r, char **cause)
{
	struct fetch_request req;
	const char *headers[2];
	json_t *body, *text;
	char *json, *url, *auth, *source, *target;
	size_t k;

	text = json_array();
	for (k = 0; k < r->count; k++)
		json_array_append_new(text, json_string(r->texts[k]));
	source = deepl_source(r->source);
	target = deepl_target(r->target);
	body = json_pack("{s:o, s:s, s:s}", "text", text, "source_lang",
	    source, "target_lang", target);
	free(source);
	free(target);
	if (body == NULL || (json = json_dumps(body, JSON_COMPACT)) == NULL) {
		json_decref(body);
		*cause = xstrdup("cannot make the JSON request");
		return -1;
	}
	json_decref(body);
	xasprintf(&auth, "Authorization: DeepL-Auth-Key %s", r->tr->key);
	headers[0] = auth;
	headers[1] = NULL;
	url = translate_url(r->tr, "/v2/translate");
	memset(&req, 0, sizeof req);
	req.url = url;
	req.method_post = 1;
	req.body = json;
	req.body_len = strlen(json);
	req.content_type = "application/json";
	req.headers = headers;
	translate_http_start(r, &req);
	free(auth);
	free(url);
	free(json);
	return 0;
}

/* Reads translations[].text, one for each text sent. */
static void
deepl_answer(struct translate_request *r, const struct fetch_response *resp)
{
	json_t *json;

	if (resp->status < 200 || resp->status > 299) {
		translate_request_http_fail(r, resp);
		return;
	}
	json = translate_json_body(resp);
	translate_request_texts(r, json, json_object_get(json, "translations"),
	    "text", "no translations");
}

const struct translate_backend translate_deepl = {
	.name = "deepl",
	.max_chars = DEEPL_MAX_CHARS,
	.max_texts = DEEPL_MAX_TEXTS,
	.max_batch_bytes = DEEPL_MAX_BYTES,
	.init = deepl_init,
	.pair_key = deepl_pair_key,
	.start = deepl_start,
	.answer = deepl_answer,
};
