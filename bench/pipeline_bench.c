/* pipeline_bench.c: items per second through the story stage — language, tokens, signature, duplicate index, watch matching — and stories per second through extraction, on the bench corpus. */

/*
 * The corpus (bench/corpus.sh) is parsed first, untimed; then every item
 * goes through what wirewatchd does to a new item, timed stage by stage
 * on one core: language identification with the feed's language as the
 * prior, tokens of title and text, the signature, the duplicate index
 * (find, then add when new), and a watch document matched against the
 * queries. SQLite is not in the loop: the store's cost per item is the
 * poll benchmark's business.
 *
 * Then extraction (people and claims) runs over every story the index
 * opened in a language with cue tables — every one, not only the watched
 * ones the daemon reads, so that the rate is of the extractor alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/common.h"
#include "extract/extract.h"
#include "parse/parse.h"
#include "story/story.h"
#include "text/text.h"
#include "watch/watch.h"

#define BENCH_MAX_FEEDS	5000
#define BENCH_LANGID_BYTES 2048

/* Queries like the ones a newsroom runs: the sample configuration's and
 * others of the same shape, in several scripts. */
static const char *bench_queries[] = {
	"(hamas OR gaza OR хамас) AND (ceasefire OR truce OR deal OR hostage* "
	    "OR negotiat* OR перемирие)",
	"ukrain* AND (drone* OR missile* OR \"power grid\")",
	"\"central bank\" AND (rate* OR inflation)",
	"election* AND NOT (football OR league)",
	"(earthquake OR flood* OR wildfire*) AND (dead OR killed OR missing)",
	"putin OR путин OR kremlin OR кремль",
	"(\"climate summit\" OR cop30) AND (pledge* OR finance)",
	"strike* AND (union* OR workers) AND NOT sport*",
	"vaccine* OR outbreak OR epidemic* OR эпидеми*",
	"(oil OR opec) AND (price* OR output OR barrel*)",
};
#define BENCH_NQUERIES (sizeof bench_queries / sizeof bench_queries[0])

struct bench_item {
	const struct parsed_item	*item;
	const char			*hint;
};

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses the feeds the manifest lists; returns the items, in order. */
static struct bench_item *
bench_load(const char *dir, struct parsed_feed **feeds, size_t *nfeeds,
    size_t *nitems, size_t *bytes)
{
	struct bench_item *items = NULL;
	char line[4096], *path, *buf, *cause = NULL, *f[6];
	size_t len, n = 0, cap = 0, i;
	FILE *fp;

	xasprintf(&path, "%s/manifest.tsv", dir);
	if ((fp = fopen(path, "r")) == NULL)
		fatal("%s", path);
	free(path);
	*nfeeds = *bytes = 0;
	while (fgets(line, sizeof line, fp) != NULL && *nfeeds < BENCH_MAX_FEEDS) {
		line[strcspn(line, "\n")] = '\0';
		f[0] = strtok(line, "\t");
		for (i = 1; i < 6; i++)
			f[i] = strtok(NULL, "\t");
		if (f[4] == NULL || strcmp(f[0], "feeds") != 0)
			continue;
		xasprintf(&path, "%s/%s", dir, f[1]);
		if ((buf = util_read_file(path, 64 << 20, &len, &cause)) == NULL)
			fatalx("%s", cause);
		if (parse_feed(buf, len, path, NULL, NULL, &feeds[*nfeeds],
		    &cause) != 0)
			fatalx("%s: %s", path, cause);
		for (i = 0; i < feeds[*nfeeds]->nitems; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				items = xreallocarray(items, cap, sizeof *items);
			}
			items[n].item = &feeds[*nfeeds]->items[i];
			items[n].hint = strcmp(f[3], "-") != 0 ?
			    xstrdup(f[3]) : NULL;
			*bytes += strlen(items[n].item->title) +
			    strlen(items[n].item->text);
			n++;
		}
		(*nfeeds)++;
		free(buf);
		free(path);
	}
	fclose(fp);
	*nitems = n;
	return items;
}

int
main(int argc, char **argv)
{
	static struct parsed_feed *feeds[BENCH_MAX_FEEDS];
	struct watch_query *queries[BENCH_NQUERIES];
	struct text_tokens title = { 0 }, text = { 0 };
	struct story_signature *sigs;
	struct bench_item *items;
	struct text_langid *langid;
	struct text_stemmer *stemmer;
	struct story_index *index;
	struct watch_doc *doc;
	struct extractor *extractor;
	struct extract_result result;
	const char **langs;
	uint8_t *opened;
	char buf[BENCH_LANGID_BYTES], *cause = NULL;
	size_t nfeeds, nitems, bytes, i, q, column, matched = 0, dups = 0, tokens = 0;
	size_t nextracted = 0, people = 0, claims = 0, extracted_bytes = 0;
	double t0, t_lang, t_tok, t_sig, t_index, t_watch, t_extract;
	int64_t id;

	log_init(LOG_STYLE_TOOL, "pipeline_bench", 0);
	if (argc != 2) {
		fprintf(stderr, "usage: pipeline_bench CORPUS_DIR\n");
		return 2;
	}
	items = bench_load(argv[1], feeds, &nfeeds, &nitems, &bytes);
	if ((langid = text_langid_new(&cause)) == NULL)
		fatalx("%s", cause);
	stemmer = text_stemmer_new();
	for (q = 0; q < BENCH_NQUERIES; q++) {
		if ((queries[q] = watch_query_compile(bench_queries[q], NULL,
		    stemmer, &column, &cause)) == NULL)
			fatalx("query %zu: column %zu: %s", q, column, cause);
	}
	langs = xcalloc(nitems, sizeof *langs);
	sigs = xcalloc(nitems, sizeof *sigs);
	opened = xcalloc(nitems, sizeof *opened);
	if ((extractor = extractor_new(&cause)) == NULL)
		fatalx("%s", cause);
	index = story_index_new();
	doc = watch_doc_new(stemmer);

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		size_t n = (size_t)snprintf(buf, sizeof buf, "%s\n\n%s",
		    items[i].item->title, items[i].item->text);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
		langs[i] = text_langid_detect(langid, buf, n, items[i].hint);
	}
	t_lang = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		title.count = title.buf_len = text.count = text.buf_len = 0;
		text_tokenize(items[i].item->title,
		    strlen(items[i].item->title), &title);
		text_tokenize(items[i].item->text,
		    strlen(items[i].item->text), &text);
		tokens += title.count + text.count;
	}
	t_tok = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		title.count = title.buf_len = text.count = text.buf_len = 0;
		text_tokenize(items[i].item->title,
		    strlen(items[i].item->title), &title);
		text_tokenize(items[i].item->text,
		    strlen(items[i].item->text), &text);
		story_signature_compute(&title, &text, &sigs[i]);
	}
	t_sig = bench_now() - t0 - t_tok;

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		if ((id = story_index_find(index, &sigs[i], NULL)) != 0)
			dups++;
		else {
			story_index_add(index, (int64_t)i + 1, &sigs[i], 0);
			opened[i] = 1;
		}
	}
	t_index = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		watch_doc_reset(doc);
		watch_doc_add(doc, langs[i], items[i].item->title,
		    strlen(items[i].item->title));
		watch_doc_add(doc, langs[i], items[i].item->text,
		    strlen(items[i].item->text));
		for (q = 0; q < BENCH_NQUERIES; q++)
			matched += watch_query_match(queries[q], doc);
	}
	t_watch = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < nitems; i++) {
		if (!opened[i] || !extractor_has_language(extractor, langs[i]))
			continue;
		extract_story(extractor, langs[i], items[i].item->title,
		    items[i].item->text, 2025, &result);
		nextracted++;
		extracted_bytes += strlen(items[i].item->title) +
		    strlen(items[i].item->text);
		people += result.npeople;
		claims += result.nclaims;
		extract_result_clear(&result);
	}
	t_extract = bench_now() - t0;

	printf("corpus: %zu feeds, %zu items, %.1f MB of title and text, "
	    "%zu tokens\n", nfeeds, nitems, (double)bytes / 1e6, tokens);
	printf("%-34s %9s %12s\n", "stage (one core)", "us/item", "items/s");
#define ROW(name, t) printf("%-34s %9.1f %12.0f\n", name, \
	    (t) * 1e6 / (double)nitems, (double)nitems / (t))
	ROW("language identification", t_lang);
	ROW("tokens (ICU, folded)", t_tok);
	ROW("signature (on the tokens)", t_sig);
	ROW("duplicate index find + add", t_index);
	ROW("watch doc + 10 queries", t_watch);
	ROW("all stages", t_lang + t_tok + t_sig + t_index + t_watch);
#undef ROW
	printf("duplicates found: %zu; stories in the index: %zu (%zu bytes); "
	    "query matches: %zu\n", dups, story_index_count(index),
	    story_index_bytes(index), matched);
	printf("extraction (people and claims): %zu stories in languages with "
	    "cues (%.0f bytes each), %.1f us/story, %.0f stories/s; %zu "
	    "people, %zu claims\n", nextracted, nextracted > 0 ?
	    (double)extracted_bytes / (double)nextracted : 0.0,
	    nextracted > 0 ? t_extract * 1e6 / (double)nextracted : 0.0,
	    t_extract > 0 ? (double)nextracted / t_extract : 0.0, people,
	    claims);

	for (q = 0; q < BENCH_NQUERIES; q++)
		watch_query_free(queries[q]);
	watch_doc_free(doc);
	extractor_free(extractor);
	free(opened);
	story_index_free(index);
	text_stemmer_free(stemmer);
	text_langid_free(langid);
	text_tokens_clear(&title);
	text_tokens_clear(&text);
	for (i = 0; i < nitems; i++)
		free((char *)items[i].hint);
	for (i = 0; i < nfeeds; i++)
		parse_feed_free(feeds[i]);
	free(items);
	free(langs);
	free(sigs);
	return 0;
}
