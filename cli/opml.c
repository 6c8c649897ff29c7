/* opml.c: wirewatch import-opml and export-opml — subscription lists in and out of the configuration. */

/*
 * Importing appends a [feed "name"] section per new feed to the file the
 * user edits, so the configuration stays the one source of truth and the
 * user's comments and layout survive. The new file is written beside the
 * old one, checked by loading it exactly as the daemon will, and only then
 * renamed over it: a failed import leaves the configuration untouched.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/common.h"
#include "daemon/config.h"
#include "parse/parse.h"
#include "cli/cli_internal.h"

/* An OPML file beyond this is not a subscription list. */
#define OPML_MAX_FILE		(16 * 1024 * 1024)
/* The configuration loader's own limit on the whole file. */
#define OPML_MAX_CONFIG		(1024 * 1024)
/* Names leave room for a "-NNN" suffix within the loader's 64. */
#define OPML_NAME_MAX		48
#define OPML_SUFFIX_MAX		999

/* A feed chosen for import. */
struct opml_import {
	char		*name;
	const char	*url;		/* borrowed from the outline */
	const char	*language;	/* borrowed, NULL when unusable */
	char		*comment;	/* the outline's title, cleaned; may be NULL */
};

struct opml_plan {
	const struct config	*conf;
	struct opml_import	*feeds;
	size_t			 n;
	size_t			 present;	/* already configured or repeated */
	size_t			 unusable;	/* not http(s) */
};

/* Whether the configuration loader will take url: http(s), a host, no
 * white space or control characters (which would also break the line). */
static int
opml_url_usable(const char *url)
{
	const char *host;
	size_t i;

	if (url == NULL)
		return 0;
	for (i = 0; url[i] != '\0'; i++) {
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
			return 0;
	}
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return 0;
	return *host != '\0' && *host != '/' && *host != '?' && *host != '#';
}

/* The loader's rule for a language tag: 2-35 of [A-Za-z0-9_-]. */
static int
opml_language_usable(const char *language)
{
	size_t i;

	if (language == NULL)
		return 0;
	for (i = 0; language[i] != '\0'; i++) {
		if (!isalnum((unsigned char)language[i]) &&
		    language[i] != '-' && language[i] != '_')
			return 0;
	}
	return i >= 2 && i <= 35;
}

/* Latin letters with diacritics (U+00C0-U+017F) as their base letter, so
 * "El País" and "Süddeutsche" make readable names; "." for none. Names
 * from other scripts fall back to the feed's host. */
static const char opml_latin[] =
	"AAAAAAACEEEEIIII" "DNOOOOO.OUUUUYTs" "aaaaaaaceeeeiiii" "dnooooo.ouuuuyty"
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "IiJjJjKkkLlLlLlL"
	"lLlNnNnNnnNnOoOo" "OoOoRrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";
_Static_assert(sizeof opml_latin == 0x180 - 0xc0 + 1, "one letter a character");

/* The ASCII letter or digit the character at text stands for, or 0; *len
 * is set to the bytes it takes. */
static char
opml_slug_char(const unsigned char *text, size_t left, size_t *len)
{
	unsigned int cp;

	*len = 1;
	if (text[0] < 0x80)
		return isalnum(text[0]) ? (char)tolower(text[0]) : 0;
	/* Skip a whole sequence: its continuation bytes are no letters. */
	while (*len < left && (text[*len] & 0xc0) == 0x80)
		(*len)++;
	if (*len != 2 || (text[0] & 0xe0) != 0xc0)
		return 0;
	cp = ((text[0] & 0x1fu) << 6) | (text[1] & 0x3fu);
	if (cp < 0xc0 || cp > 0x17f || opml_latin[cp - 0xc0] == '.')
		return 0;
	return (char)tolower((unsigned char)opml_latin[cp - 0xc0]);
}

/* Lowercase letters and digits of text, every other run of characters one
 * hyphen, at most OPML_NAME_MAX long; may be "". */
static char *
opml_slug(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	char *name = xmalloc(OPML_NAME_MAX + 1), ch;
	size_t i, n = 0, step;
	int gap = 0;

	for (i = 0; i < len && n < OPML_NAME_MAX; i += step) {
		if ((ch = opml_slug_char(p + i, len - i, &step)) == 0) {
			gap = 1;
			continue;
		}
		if (gap && n > 0) {
			if (n + 2 > OPML_NAME_MAX)
				break;
			name[n++] = '-';
		}
		name[n++] = ch;
		gap = 0;
	}
	name[n] = '\0';
	return name;
}

/* The host of an http(s) URL, without "www.", for naming a feed whose
 * title has no Latin letters. */
static char *
opml_slug_host(const char *url)
{
	const char *host = strstr(url, "://") + 3, *end, *at;

	end = host + strcspn(host, "/?#");
	if ((at = memchr(host, '@', (size_t)(end - host))) != NULL)
		host = at + 1;
	end = host + strcspn(host, ":/?#");
	if ((size_t)(end - host) > 4 && strncasecmp(host, "www.", 4) == 0)
		host += 4;
	return opml_slug(host, (size_t)(end - host));
}

/* Whether name is taken, in the configuration or by this import. */
static int
opml_name_taken(const struct opml_plan *p, const char *name)
{
	size_t i;

	if (config_feed_find(p->conf, name) != NULL)
		return 1;
	for (i = 0; i < p->n; i++) {
		if (strcmp(p->feeds[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/* A name for the outline: its title as a slug, else its host, else
 * "feed"; "-2", "-3"... when taken. NULL when all of those are taken. */
static char *
opml_name(const struct opml_plan *p, const struct opml_outline *o)
{
	char *base, *name;
	int i;

	base = opml_slug(o->title != NULL ? o->title : "",
	    o->title != NULL ? strlen(o->title) : 0);
	if (*base == '\0') {
		free(base);
		base = opml_slug_host(o->url);
	}
	if (*base == '\0') {
		free(base);
		base = xstrdup("feed");
	}
	if (!opml_name_taken(p, base))
		return base;
	for (i = 2; i <= OPML_SUFFIX_MAX; i++) {
		xasprintf(&name, "%s-%d", base, i);
		if (!opml_name_taken(p, name)) {
			free(base);
			return name;
		}
		free(name);
	}
	free(base);
	return NULL;
}

/* Whether url is configured already or earlier in this import. */
static int
opml_url_present(const struct opml_plan *p, const char *url)
{
	size_t i;

	for (i = 0; i < p->conf->nfeeds; i++) {
		if (strcmp(p->conf->feeds[i].url, url) == 0)
			return 1;
	}
	for (i = 0; i < p->n; i++) {
		if (strcmp(p->feeds[i].url, url) == 0)
			return 1;
	}
	return 0;
}

/* Decides, outline by outline, what to import; reports what is skipped. */
static void
opml_plan_make(struct opml_plan *p, const char *file,
    const struct opml_outline *outlines, size_t count)
{
	const struct opml_outline *o;
	struct opml_import *f;
	char *label, *name;
	size_t i;

	p->feeds = xcalloc(count + 1, sizeof *p->feeds);
	for (i = 0; i < count; i++) {
		o = &outlines[i];
		if (!opml_url_usable(o->url)) {
			label = cli_text_line(o->url != NULL ? o->url :
			    o->title, 200);
			log_warnx("%s: skipping \"%s\": not an http or https "
			    "URL", file, label);
			free(label);
			p->unusable++;
			continue;
		}
		if (opml_url_present(p, o->url)) {
			p->present++;
			continue;
		}
		if ((name = opml_name(p, o)) == NULL) {
			log_warnx("%s: skipping %s: no free name", file,
			    o->url);
			p->unusable++;
			continue;
		}
		f = &p->feeds[p->n++];
		f->name = name;
		f->url = o->url;
		f->language = opml_language_usable(o->language) ?
		    o->language : NULL;
		if (o->title != NULL && *o->title != '\0')
			f->comment = cli_text_line(o->title, 200);
	}
}

/* Releases the plan; the outlines it borrowed from stay the caller's. */
static void
opml_plan_free(struct opml_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->feeds[i].name);
		free(p->feeds[i].comment);
	}
	free(p->feeds);
}

/* The sections to append, one per planned feed. */
static char *
opml_sections(const struct opml_plan *p, const char *file)
{
	const struct opml_import *f;
	char *out, *next, *source;
	size_t i;

	source = cli_text_line(file, 200);
	xasprintf(&out, "# Imported from %s by wirewatch import-opml.\n",
	    source);
	free(source);
	for (i = 0; i < p->n; i++) {
		f = &p->feeds[i];
		xasprintf(&next, "%s\n%s%s%s[feed \"%s\"]\nurl = %s\n%s%s%s",
		    out, f->comment ? "# " : "", f->comment ? f->comment : "",
		    f->comment ? "\n" : "", f->name, f->url,
		    f->language ? "language = " : "",
		    f->language ? f->language : "", f->language ? "\n" : "");
		free(out);
		out = next;
	}
	return out;
}

/* Checks that the written file loads and holds each imported feed with
 * its URL as written. */
static int
opml_check_result(const struct opml_plan *p, const char *tmp, char **cause)
{
	const struct config_feed *cf;
	struct config *conf;
	char *why = NULL;
	size_t i;

	if ((conf = config_load(tmp, &why)) == NULL) {
		xasprintf(cause, "the result would not load: %s", why);
		free(why);
		return -1;
	}
	for (i = 0; i < p->n; i++) {
		cf = config_feed_find(conf, p->feeds[i].name);
		if (cf == NULL || strcmp(cf->url, p->feeds[i].url) != 0) {
			xasprintf(cause, "feed \"%s\" does not read back as "
			    "written", p->feeds[i].name);
			config_free(conf);
			return -1;
		}
	}
	config_free(conf);
	return 0;
}

/* Makes the rename durable: the directory entry lives in the directory. */
static void
opml_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Writes old + sections to a temporary file beside path (with path's
 * mode), checks it, and renames it over path. */
static int
opml_replace(const struct opml_plan *p, const char *path, const char *old,
    size_t oldlen, const char *sections, char **cause)
{
	struct stat st;
	char *tmp;
	int fd, rc = -1;

	if (stat(path, &st) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	xasprintf(&tmp, "%s.import-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	/* Keep the owner too when we may (root editing a file it does not
	 * own); otherwise the file becomes ours, as with any editor. */
	if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(fd, st.st_uid, st.st_gid) == -1)
		log_debug("%s: keeping the owner: %s", path, strerror(errno));
	if (fchmod(fd, st.st_mode & 07777) == -1 ||
	    util_write_all(fd, old, oldlen) == -1 ||
	    (oldlen > 0 && old[oldlen - 1] != '\n' &&
	    util_write_all(fd, "\n", 1) == -1) ||
	    util_write_all(fd, "\n", 1) == -1 ||
	    util_write_all(fd, sections, strlen(sections)) == -1 ||
	    fsync(fd) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (opml_check_result(p, tmp, cause) != 0)
		goto out;
	if (rename(tmp, path) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	opml_sync_dir(path);
	rc = 0;
out:
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Appends the planned sections to the configuration file. A symbolic link
 * is followed, so the link stays and its target changes. */
static int
opml_append(const struct opml_plan *p, const char *config_path,
    const char *sections, char **cause)
{
	char real[PATH_MAX], *old;
	size_t oldlen;
	int rc;

	if (realpath(config_path, real) == NULL) {
		xasprintf(cause, "%s: %s", config_path, strerror(errno));
		return -1;
	}
	if ((old = util_read_file(real, OPML_MAX_CONFIG, &oldlen, cause)) == NULL)
		return -1;
	rc = opml_replace(p, real, old, oldlen, sections, cause);
	free(old);
	return rc;
}

/* Prints what the import did; to stderr when stdout carries the sections. */
static void
opml_summary(FILE *f, const struct opml_plan *p)
{
	fprintf(f, "imported %zu feed%s, skipped %zu already present",
	    p->n, p->n == 1 ? "" : "s", p->present);
	if (p->unusable > 0)
		fprintf(f, ", %zu unusable", p->unusable);
	fputc('\n', f);
}

int
cli_import_opml(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "print", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opml_outline *outlines = NULL;
	struct opml_plan plan;
	struct config *conf;
	const char *file;
	char *buf, *cause = NULL, *sections = NULL;
	size_t len, count = 0;
	int c, print = 0, code = CLI_EXIT_OK;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'p')
			print = 1;
		else if (c == 'h')
			return cli_command_usage(argv[0]);
		else
			return cli_option_error(argv[0], c, argv);
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0], "expected one OPML file");
	file = argv[optind];

	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;
	if ((buf = util_read_file(file, OPML_MAX_FILE, &len, &cause)) == NULL ||
	    parse_opml(buf, len, &outlines, &count, &cause) != 0) {
		if (buf != NULL)
			log_warnx("%s: %s", file, cause);
		else
			log_warnx("%s", cause);
		free(cause);
		free(buf);
		config_free(conf);
		return CLI_EXIT_FAIL;
	}

	memset(&plan, 0, sizeof plan);
	plan.conf = conf;
	opml_plan_make(&plan, file, outlines, count);
	if (plan.n > 0)
		sections = opml_sections(&plan, file);
	if (print) {
		if (sections != NULL)
			fputs(sections, stdout);
		opml_summary(stderr, &plan);
	} else if (plan.n > 0 &&
	    opml_append(&plan, config_path, sections, &cause) != 0) {
		log_warnx("%s: %s unchanged: %s", argv[0], config_path, cause);
		free(cause);
		code = CLI_EXIT_FAIL;
	} else
		opml_summary(stdout, &plan);

	free(sections);
	opml_plan_free(&plan);
	parse_opml_free(outlines, count);
	free(buf);
	config_free(conf);
	return cli_finish_output(code);
}

int
cli_export_opml(const char *config_path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opml_outline *outlines;
	struct config *conf;
	char *opml;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			return cli_command_usage(argv[0]);
		return cli_option_error(argv[0], c, argv);
	}
	if (optind != argc)
		return cli_usage_error(argv[0], "unexpected argument \"%s\"",
		    argv[optind]);
	if ((conf = cli_config_load(config_path)) == NULL)
		return CLI_EXIT_USAGE;

	/* Borrowed strings: the outlines live only for the call. */
	outlines = xcalloc(conf->nfeeds + 1, sizeof *outlines);
	for (i = 0; i < conf->nfeeds; i++) {
		outlines[i].title = conf->feeds[i].name;
		outlines[i].url = conf->feeds[i].url;
		outlines[i].language = conf->feeds[i].language;
	}
	opml = parse_opml_write(outlines, conf->nfeeds, "wirewatch feeds");
	fputs(opml, stdout);
	free(opml);
	free(outlines);
	config_free(conf);
	return cli_finish_output(CLI_EXIT_OK);
}
