/* parse/opml.c: OPML subscription lists in (import-opml) and out (export-opml), with libxml2. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/entities.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "common/common.h"
#include "parse/parse_internal.h"

/* An OPML file is a person's list of feeds: a few hundred outlines, a few
 * hundred kilobytes. These bounds are far above that and far below harm. */
#define OPML_MAX_INPUT		(4 * 1024 * 1024)
#define OPML_MAX_OUTLINES	10000
#define OPML_MAX_FIELD		4096

/* State of one parse, the SAX user data. */
struct opml_parse {
	xmlParserCtxtPtr	 ctxt;
	struct opml_outline	*outlines;
	size_t			 count;
	size_t			 size;
	int			 depth;
	int			 root_seen;
	char			*error;	/* first fatal problem */
};

/* Records the first problem and stops the parser. */
static void
opml_fail(struct opml_parse *op, const char *msg)
{
	if (op->error == NULL)
		op->error = xstrdup(msg);
	xmlStopParser(op->ctxt);
}

/* Copies an attribute value (libxml2 gives a start and an end pointer). */
static char *
opml_value(const xmlChar **attr)
{
	const char *v = (const char *)attr[3];
	size_t len = (size_t)(attr[4] - attr[3]);

	return parse_utf8_clip(v, len, OPML_MAX_FIELD);
}

/* Turns an xmlUrl into an absolute http(s) URL, or NULL. Some readers
 * write "feed://host/path" or "feed:https://host/path" (RFC-less but
 * common); they mean the http(s) URL. */
static char *
opml_feed_url(const char *raw)
{
	char *url;

	while (*raw == ' ' || *raw == '\t' || *raw == '\n' || *raw == '\r')
		raw++;
	if (strncasecmp(raw, "feed:", 5) == 0) {
		if (strncmp(raw + 5, "//", 2) == 0) {
			xasprintf(&url, "http:%s", raw + 5);
			raw = url;
			url = parse_resolve_url(NULL, raw);
			free((char *)raw);
			return url;
		}
		raw += 5;
	}
	return parse_resolve_url(NULL, raw);
}

/* Adds the feed an <outline> describes, if it describes one. */
static void
opml_outline(struct opml_parse *op, const xmlChar **attrs, int nattrs)
{
	struct opml_outline o = { 0 };
	char *text = NULL, *xml_url = NULL, *type = NULL;
	const char *name;
	int i;

	for (i = 0; i < nattrs; i++) {
		name = (const char *)attrs[i * 5];
		/* OPML says xmlUrl; files from some tools say xmlurl. */
		if (strcasecmp(name, "xmlUrl") == 0 && xml_url == NULL)
			xml_url = opml_value(attrs + i * 5);
		else if (strcasecmp(name, "htmlUrl") == 0 && o.html_url == NULL)
			o.html_url = opml_value(attrs + i * 5);
		else if (strcmp(name, "text") == 0 && text == NULL)
			text = opml_value(attrs + i * 5);
		else if (strcmp(name, "title") == 0 && o.title == NULL)
			o.title = opml_value(attrs + i * 5);
		else if (strcmp(name, "language") == 0 && o.language == NULL)
			o.language = opml_value(attrs + i * 5);
		else if (strcmp(name, "type") == 0 && type == NULL)
			type = opml_value(attrs + i * 5);
	}
	if (xml_url != NULL && (type == NULL || type[0] == '\0' ||
	    strcasecmp(type, "rss") == 0 || strcasecmp(type, "atom") == 0))
		o.url = opml_feed_url(xml_url);
	if (text != NULL && text[0] != '\0') {
		free(o.title);
		o.title = text;
		text = NULL;
	}
	free(text);
	free(xml_url);
	free(type);
	if (o.url == NULL) {
		free(o.title);
		free(o.html_url);
		free(o.language);
		return;
	}
	if (op->count == OPML_MAX_OUTLINES) {
		free(o.title);
		free(o.url);
		free(o.html_url);
		free(o.language);
		opml_fail(op, "more than 10000 feeds");
		return;
	}
	if (op->count == op->size) {
		op->size = op->size == 0 ? 64 : op->size * 2;
		op->outlines = xreallocarray(op->outlines, op->size,
		    sizeof *op->outlines);
	}
	op->outlines[op->count++] = o;
}

/* SAX: an element opens. Outlines nest as folders at any depth; only
 * those below <body> are read. */
static void
opml_start_cb(void *arg, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	struct opml_parse *op = arg;

	if (op->depth++ == 0) {
		if (strcasecmp((const char *)name, "opml") != 0)
			opml_fail(op, "not an OPML document");
		op->root_seen = 1;
		return;
	}
	if (strcmp((const char *)name, "outline") == 0)
		opml_outline(op, attrs, nattrs);
}

/* SAX: an element closes. */
static void
opml_end_cb(void *arg, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct opml_parse *op = arg;

	op->depth--;
}

/* SAX: resolves an entity reference. Only XML's five predefined entities
 * exist here: a DTD's own (billion laughs, an external file) stay
 * undefined, which makes the document ill-formed and refused. */
static xmlEntityPtr
opml_entity_cb(void *arg, const xmlChar *name)
{
	return xmlGetPredefinedEntity(name);
}

/* SAX: keeps the first fatal error as the cause; warnings and recoverable
 * errors would otherwise go to stderr. */
static void
opml_error_cb(void *arg, xmlErrorPtr error)
{
	struct opml_parse *op = arg;
	char *msg;
	size_t len;

	if (error == NULL || error->level < XML_ERR_FATAL ||
	    op->error != NULL)
		return;
	xasprintf(&msg, "line %d: %s", error->line,
	    error->message != NULL ? error->message : "XML error");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	op->error = msg;
}

/* libxml2 2.9 reports encoding and I/O errors through its generic error
 * function, which prints on stderr whatever the parser options say. */
static void
opml_silent_cb(void *arg, const char *fmt, ...)
{
}

int
parse_opml(const char *buf, size_t len, struct opml_outline **out,
    size_t *count, char **cause)
{
	xmlGenericErrorFunc saved_func = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;
	struct opml_parse op = { 0 };
	xmlSAXHandler sax;

	*out = NULL;
	*count = 0;
	if (len > OPML_MAX_INPUT) {
		xasprintf(cause, "OPML file larger than %d MB",
		    OPML_MAX_INPUT / (1024 * 1024));
		return -1;
	}
	/* Only our SAX callbacks, so no tree; entities are substituted so
	 * that "&amp;" in a title is "&", and opml_entity_cb knows no
	 * entity but the predefined ones. XML_PARSE_NONET keeps any DTD
	 * reference off the net (none is loaded anyway). */
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = opml_start_cb;
	sax.endElementNs = opml_end_cb;
	sax.serror = opml_error_cb;
	sax.getEntity = opml_entity_cb;
	op.ctxt = xmlCreatePushParserCtxt(&sax, &op, NULL, 0, NULL);
	if (op.ctxt == NULL)
		fatalx("xmlCreatePushParserCtxt failed");
	xmlCtxtUseOptions(op.ctxt, XML_PARSE_NONET | XML_PARSE_NOENT |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetGenericErrorFunc(NULL, opml_silent_cb);
	xmlParseChunk(op.ctxt, buf, (int)len, 1);
	xmlSetGenericErrorFunc(saved_ctx, saved_func);
	/* libxml2 keeps a DTD's entity declarations in a stand-in document
	 * even in SAX mode ("expat compatibility"); it is ours to free. */
	xmlFreeDoc(op.ctxt->myDoc);
	op.ctxt->myDoc = NULL;
	xmlFreeParserCtxt(op.ctxt);
	if (op.error == NULL && !op.root_seen)
		op.error = xstrdup("empty document");
	if (op.error != NULL) {
		*cause = op.error;
		parse_opml_free(op.outlines, op.count);
		return -1;
	}
	*out = op.outlines;
	*count = op.count;
	return 0;
}

void
parse_opml_free(struct opml_outline *outlines, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(outlines[i].title);
		free(outlines[i].url);
		free(outlines[i].html_url);
		free(outlines[i].language);
	}
	free(outlines);
}

/* Writes one attribute when value is set, repairing invalid UTF-8 (a
 * configuration file may hold anything) so the document stays valid. */
static void
opml_write_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *clean;

	if (value == NULL)
		return;
	clean = parse_utf8_clip(value, strlen(value), OPML_MAX_FIELD);
	if (xmlTextWriterWriteAttribute(w, (const xmlChar *)name,
	    (const xmlChar *)clean) < 0)
		fatalx("xmlTextWriterWriteAttribute failed");
	free(clean);
}

char *
parse_opml_write(const struct opml_outline *outlines, size_t count,
    const char *title)
{
	xmlTextWriterPtr w;
	xmlBufferPtr buf;
	char *doc, *clean;
	size_t i;
	int rc = 0;

	if ((buf = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(buf, 0)) == NULL)
		fatalx("xmlNewTextWriterMemory failed");
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
	clean = parse_utf8_clip(title != NULL ? title : "wirewatch feeds",
	    title != NULL ? strlen(title) : 15, OPML_MAX_FIELD);
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"opml");
	rc |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"version",
	    (const xmlChar *)"2.0");
	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"head");
	rc |= xmlTextWriterWriteElement(w, (const xmlChar *)"title",
	    (const xmlChar *)clean);
	rc |= xmlTextWriterEndElement(w);
	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"body");
	free(clean);
	if (rc < 0)
		fatalx("xmlTextWriter failed");
	for (i = 0; i < count; i++) {
		if (xmlTextWriterStartElement(w,
		    (const xmlChar *)"outline") < 0)
			fatalx("xmlTextWriterStartElement failed");
		/* OPML 2.0 requires text: a feed with no name shows its URL. */
		opml_write_attr(w, "type", "rss");
		opml_write_attr(w, "text", outlines[i].title != NULL ?
		    outlines[i].title : outlines[i].url);
		opml_write_attr(w, "title", outlines[i].title);
		opml_write_attr(w, "xmlUrl", outlines[i].url);
		opml_write_attr(w, "htmlUrl", outlines[i].html_url);
		opml_write_attr(w, "language", outlines[i].language);
		if (xmlTextWriterEndElement(w) < 0)
			fatalx("xmlTextWriterEndElement failed");
	}
	if (xmlTextWriterEndDocument(w) < 0)
		fatalx("xmlTextWriterEndDocument failed");
	xmlFreeTextWriter(w);
	doc = xstrndup((const char *)xmlBufferContent(buf),
	    (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return doc;
}
