/* host.c: the servers feeds live on — Retry-After pauses and request pacing are per host. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "common/common.h"
#include "daemon/daemon.h"

/* Returns "host:port" of url, lowercased, default port filled in; two feeds
 * share a host when their keys match. curl's URL parser is the one the
 * fetcher uses, so both agree on what the host of a URL is. A URL it cannot
 * parse keys by itself (it will fail to fetch anyway). */
char *
host_key(const char *url)
{
	CURLU *u;
	char *host = NULL, *port = NULL, *key, *p;

	if ((u = curl_url()) == NULL)
		fatalx("curl_url: out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		key = xstrdup(url);
	else
		xasprintf(&key, "%s:%s", host, port);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	for (p = key; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* Returns the host of url, creating it on first use; release with host_put. */
struct host *
host_get(struct daemon *d, const char *url)
{
	struct host *h;
	char *key = host_key(url);

	TAILQ_FOREACH(h, &d->hosts, entry) {
		if (strcmp(h->key, key) == 0) {
			free(key);
			h->refs++;
			return h;
		}
	}
	h = xcalloc(1, sizeof *h);
	h->key = key;
	h->refs = 1;
	TAILQ_INSERT_TAIL(&d->hosts, h, entry);
	return h;
}

/* Drops a reference; the last one frees the host (and forgets its pause,
 * which is right: no feed of ours is left on it). */
void
host_put(struct daemon *d, struct host *h)
{
	if (h == NULL || --h->refs > 0)
		return;
	TAILQ_REMOVE(&d->hosts, h, entry);
	free(h->key);
	free(h);
}

/* Pauses every feed of the host until the unix time until; a later pause
 * never shortens an earlier one. */
void
host_pause(struct host *h, int64_t until)
{
	char when[UTIL_TIME_LEN];

	if (until <= h->paused_until)
		return;
	h->paused_until = until;
	log_info("host %s asked us to wait: paused until %s", h->key,
	    util_format_time(until, when));
}

/* Reserves the host's next request slot at or after now_ms and returns its
 * start; slots are delay_ms apart so one outlet with many feeds sees a
 * steady trickle, not a burst. Each waiting feed owns one slot, so a
 * thousand feeds of one host cost a thousand timer events, not a million. */
int64_t
host_reserve_ms(struct host *h, int64_t now_ms, int64_t delay_ms)
{
	int64_t start = h->next_start_ms > now_ms ? h->next_start_ms : now_ms;

	h->next_start_ms = start + delay_ms;
	return start;
}
