/* translate/command.c: a program that reads a text on stdin and writes its translation on stdout, one child per text, run without a shell. */

/*
 * The argv comes from the configuration, its first word an absolute path.
 * In every argument {source} and {target} become the ISO 639-1 codes of
 * the pair and {source3} and {target3} the ISO 639-3 ones, so that
 *
 *   /usr/bin/apertium -u {source3}-{target3}
 *
 * runs "apertium -u spa-eng". No shell sees anything; the codes are
 * checked to be letters, digits, "-" and "_" before they are put in; the
 * text only ever reaches the program's stdin.
 *
 * A child has `timeout` seconds and may write four times its input plus
 * 64 KiB. One that exits with a status other than 0, is killed, takes too
 * long or writes too much is worth another try: RETRY, with the first line
 * of its stderr. Its output is repaired to UTF-8 and, when the text did
 * not end with a line break, the line breaks at its end (which filters
 * like apertium add) are dropped.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child/child.h"
#include "common/common.h"
#include "translate/backend.h"

#define COMMAND_MAX_CHARS	4000
#define COMMAND_OUTPUT_SLACK	(64 * 1024)

/* Checks there is a program to run: an absolute path we may execute. */
static int
command_init(struct translator *tr, char **cause)
{
	if (tr->argv == NULL || tr->argv[0] == NULL || *tr->argv[0] == '\0') {
		*cause = xstrdup("command: no command");
		return -1;
	}
	if (tr->argv[0][0] != '/') {
		xasprintf(cause, "command: %s: not an absolute path",
		    tr->argv[0]);
		return -1;
	}
	if (access(tr->argv[0], X_OK) != 0) {
		xasprintf(cause, "command: %s: %s", tr->argv[0],
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether any argument asks for a placeholder. */
static int
command_uses(const struct translator *tr, const char *placeholder)
{
	size_t i;

	for (i = 0; tr->argv[i] != NULL; i++) {
		if (strstr(tr->argv[i], placeholder) != NULL)
			return 1;
	}
	return 0;
}

/* Any pair goes, as long as the ISO 639-3 codes the argv asks for exist. */
static char *
command_pair_key(const struct translator *tr, const char *source,
    const char *target, char **why)
{
	const char *missing = NULL;

	if (command_uses(tr, "{source3}") && translate_lang3(source) == NULL)
		missing = source;
	else if (command_uses(tr, "{target3}") &&
	    translate_lang3(target) == NULL)
		missing = target;
	if (missing != NULL) {
		if (why != NULL)
			xasprintf(why, "no ISO 639-3 code for \"%s\"", missing);
		return NULL;
	}
	return xstrdup("");
}

/* An argument with its placeholders replaced. Caller frees. */
static char *
command_substitute(const char *arg, const char * const names[4],
    const char * const values[4])
{
	char *out, *p;
	size_t i, cap, n;

	/* Codes are at most a few bytes longer than their placeholders. */
	cap = strlen(arg) * 4 + 64;
	out = p = xmalloc(cap);
	while (*arg != '\0') {
		for (i = 0; i < 4; i++) {
			n = strlen(names[i]);
			if (strncmp(arg, names[i], n) == 0 &&
			    strlen(values[i]) <= n + 12)
				break;
		}
		if (i == 4) {
			*p++ = *arg++;
			continue;
		}
		p = stpcpy(p, values[i]);
		arg += n;
	}
	*p = '\0';
	return out;
}

/* The child ended: its stdout is the translation, or the reason to retry. */
static void
command_cb(const struct child_result *res, void *arg)
{
	struct translate_request *r = arg;
	const char *prog = r->tr->argv[0], *err = res->error;
	const char *sep = err != NULL && *err != '\0' ? ": " : "";
	char **texts;
	size_t len, in;

	r->child = NULL;
	if (err == NULL)
		err = "";
	switch (res->outcome) {
	case CHILD_EXITED:
		if (res->status == 0)
			break;
		translate_request_fail(r, TRANSLATE_RETRY, 0,
		    "command: %s exited %d%s%s", prog, res->status, sep, err);
		return;
	case CHILD_SIGNALLED:
		translate_request_fail(r, TRANSLATE_RETRY, 0,
		    "command: %s killed by signal %d%s%s", prog, res->status,
		    sep, err);
		return;
	case CHILD_TIMED_OUT:
		translate_request_fail(r, TRANSLATE_RETRY, 0,
		    "command: %s: no answer in %lld s%s%s", prog,
		    (long long)r->tr->timeout, sep, err);
		return;
	case CHILD_TOO_MUCH_OUTPUT:
		translate_request_fail(r, TRANSLATE_RETRY, 0,
		    "command: %s: more output than %zu bytes", prog,
		    strlen(r->texts[0]) * 4 + COMMAND_OUTPUT_SLACK);
		return;
	default:
		translate_request_fail(r, TRANSLATE_RETRY, 0, "command: %s",
		    *err != '\0' ? err : "cannot run");
		return;
	}
	len = res->output_len;
	in = strlen(r->texts[0]);
	if (in == 0 || r->texts[0][in - 1] != '\n') {
		while (len > 0 && (res->output[len - 1] == '\n' ||
		    res->output[len - 1] == '\r'))
			len--;
	}
	texts = xcalloc(1, sizeof *texts);
	texts[0] = translate_utf8_repair(res->output, len);
	translate_request_done(r, texts);
}

/* Runs the program on the request's one text. */
static int
command_start(struct translate_request *r, char **cause)
{
	static const char * const names[4] = {
		"{source3}", "{target3}", "{source}", "{target}",
	};
	const char *values[4];
	struct child_request req;
	char **argv;
	size_t n, i;

	values[0] = translate_lang3(r->source);
	values[1] = translate_lang3(r->target);
	values[2] = r->source;
	values[3] = r->target;
	if (values[0] == NULL)
		values[0] = r->source;
	if (values[1] == NULL)
		values[1] = r->target;
	for (n = 0; r->tr->argv[n] != NULL; n++)
		;
	argv = xcalloc(n + 1, sizeof *argv);
	for (i = 0; i < n; i++)
		argv[i] = command_substitute(r->tr->argv[i], names, values);
	memset(&req, 0, sizeof req);
	req.argv = (const char * const *)argv;
	req.input = r->texts[0];
	req.input_len = strlen(r->texts[0]);
	req.max_output = req.input_len * 4 + COMMAND_OUTPUT_SLACK;
	req.timeout_ms = r->tr->timeout * 1000;
	r->child = child_start(r->tr->base, &req, command_cb, r);
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	if (r->child == NULL) {
		xasprintf(cause, "cannot start %s", r->tr->argv[0]);
		return -1;
	}
	return 0;
}

const struct translate_backend translate_command = {
	.name = "command",
	.max_chars = COMMAND_MAX_CHARS,
	.max_texts = 1,
	.own_timeout = 1,
	.init = command_init,
	.pair_key = command_pair_key,
	.start = command_start,
	.answer = NULL,
};
