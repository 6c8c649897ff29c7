/* translate/apertium.c: Apertium's APY server — one text a request, POSTed to /translate, the pairs read from /listPairs. */

/*
 * APY names languages with ISO 639-3 codes ("spa|eng"). It takes one text
 * a request, by GET or by a form POST; POST is used, so that no text runs
 * into a URL length limit. markUnknown=no keeps APY from starring the
 * words it does not know ("*Hamás"): they pass through as they are.
 *
 *   POST {url}/translate   langpair=spa|eng&q=TEXT&markUnknown=no
 *   200  {"responseData":{"translatedText":"..."},"responseDetails":null,
 *         "responseStatus":200}
 *   400  {"status":"error","code":400,"message":"Bad Request",
 *         "explanation":"That pair is not installed"}
 *   GET  {url}/listPairs
 *   200  {"responseData":[{"sourceLanguage":"spa","targetLanguage":"eng"},
 *         ...],"responseDetails":null,"responseStatus":200}
 *
 * Older APYs answer errors as {"responseStatus":400,"responseDetails":...},
 * with HTTP 400 or even 200; both shapes are read.
 */

#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "fetch/fetch.h"
#include "translate/backend.h"

/* APY has no limit of its own; this keeps one request to a few seconds of
 * its pipeline, well inside APY's default 10 s request timeout. */
#define APERTIUM_MAX_CHARS	4000

/* Checks the options: an http(s) url. */
static int
apertium_init(struct translator *tr, char **cause)
{
	return translate_http_init(tr, cause);
}

/* The pair as APY lists it: "spa|eng". */
static char *
apertium_pair_key(const struct translator *tr, const char *source,
    const char *target, char **why)
{
	const char *s3 = translate_lang3(source), *t3 = translate_lang3(target);
	char *key;

	if (s3 == NULL || t3 == NULL) {
		if (why != NULL)
			xasprintf(why, "no ISO 639-3 code for \"%s\"",
			    s3 == NULL ? source : target);
		return NULL;
	}
	xasprintf(&key, "%s|%s", s3, t3);
	return key;
}

/* Appends s to buf (which has room) as a form value: every byte but the
 * unreserved ASCII ones as %XX. By hand because it writes into the body
 * being built; curl_easy_escape would allocate each value apart. */
static char *
apertium_form_encode(char *buf, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			*buf++ = *p;
		else {
			*buf++ = '%';
			*buf++ = hex[*p >> 4];
			*buf++ = hex[*p & 15];
		}
	}
	*buf = '\0';
	return buf;
}

/* POSTs the one text of the request. */
static int
apertium_start(struct translate_request *r, char **cause)
{
	struct fetch_request req;
	char *pair, *body, *p, *url;

	if ((pair = apertium_pair_key(r->tr, r->source, r->target,
	    cause)) == NULL)
		return -1;
	body = p = xmalloc(3 * (strlen(pair) + strlen(r->texts[0])) + 64);
	p = stpcpy(p, "langpair=");
	p = apertium_form_encode(p, pair);
	p = stpcpy(p, "&q=");
	p = apertium_form_encode(p, r->texts[0]);
	p = stpcpy(p, "&markUnknown=no");
	url = translate_url(r->tr, "/translate");
	memset(&req, 0, sizeof req);
	req.url = url;
	req.method_post = 1;
	req.body = body;
	req.body_len = p - body;
	req.content_type = "application/x-www-form-urlencoded";
	translate_http_start(r, &req);
	free(url);
	free(body);
	free(pair);
	return 0;
}

/* Reads responseData.translatedText, or the error APY put in a 200. */
static void
apertium_answer(struct translate_request *r, const struct fetch_response *resp)
{
	json_t *json, *status, *details, *text;
	char **texts;
	long long code;

	if (resp->status < 200 || resp->status > 299) {
		translate_request_http_fail(r, resp);
		return;
	}
	if ((json = translate_json_body(resp)) == NULL ||
	    !json_is_object(json)) {
		json_decref(json);
		translate_request_garbage(r, "not a JSON object");
		return;
	}
	status = json_object_get(json, "responseStatus");
	if (json_is_integer(status) && json_integer_value(status) != 200) {
		code = json_integer_value(status);
		details = json_object_get(json, "responseDetails");
		translate_request_fail(r, translate_status_outcome(code), 0,
		    "apertium: status %lld: %s", code, json_is_string(details) ?
		    json_string_value(details) : "no details");
		json_decref(json);
		return;
	}
	text = json_object_get(json_object_get(json, "responseData"),
	    "translatedText");
	if (!json_is_string(text)) {
		json_decref(json);
		translate_request_garbage(r, "no responseData.translatedText");
		return;
	}
	texts = xcalloc(1, sizeof *texts);
	texts[0] = xstrdup(json_string_value(text));
	json_decref(json);
	translate_request_done(r, texts);
}

/* Reads the pairs of /listPairs. */
static int
apertium_probe_parse(struct translator *tr, json_t *json, char **error)
{
	json_t *pairs, *pair, *source, *target;
	char *key;
	size_t i;

	pairs = json_object_get(json, "responseData");
	if (!json_is_array(pairs)) {
		*error = xstrdup("the list of pairs has no responseData array");
		return -1;
	}
	json_array_foreach(pairs, i, pair) {
		source = json_object_get(pair, "sourceLanguage");
		target = json_object_get(pair, "targetLanguage");
		if (!json_is_string(source) || !json_is_string(target))
			continue;
		xasprintf(&key, "%s|%s", json_string_value(source),
		    json_string_value(target));
		translate_pair_add(tr, key);
		free(key);
	}
	return 0;
}

const struct translate_backend translate_apertium = {
	.name = "apertium",
	.max_chars = APERTIUM_MAX_CHARS,
	.max_texts = 1,
	.init = apertium_init,
	.pair_key = apertium_pair_key,
	.probe_path = "/listPairs",
	.probe_parse = apertium_probe_parse,
	.start = apertium_start,
	.answer = apertium_answer,
};
