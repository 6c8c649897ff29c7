/* watch/query.c: the watch query language — compiled once into a tree of folded words and stems, matched against prepared documents. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "common/common.h"
#include "text/text.h"
#include "watch/doc.h"
#include "watch/watch.h"

/*
 * Grammar (wirewatch.conf(5)):
 *
 *   query  = or
 *   or     = and { "OR" and }
 *   and    = unary { ["AND"] unary }     two terms side by side mean AND
 *   unary  = "NOT" unary | "(" or ")" | term | phrase
 *   term   = word ["*"]
 *   phrase = '"' word ["*"] { word ["*"] } '"'
 *
 * NOT binds tighter than AND, AND tighter than OR:
 *   a OR b c     is  a OR (b AND c)
 *   NOT a b      is  (NOT a) AND b
 *   NOT a OR b   is  (NOT a) OR b
 *
 * A word is a run of characters up to white space, a parenthesis or a
 * double quote: hamas, Hamás, хамас, حماس, al-Kanua, U.S., 1,800. AND, OR
 * and NOT are operators only when written in capitals and standing alone;
 * "and", "Or" and "-not" are words like any other ("-" is not NOT). There
 * is no escape: a phrase cannot hold a double quote.
 *
 * Semantics. Words are folded as text/ folds story text (NFKC, case
 * folding, accents and diacritics dropped), so HAMAS, Hamas and Hamás are
 * one word, and are split as text/ splits story text (ICU word breaks):
 *
 *   - A term matches a story when a token of its title or text is the
 *     term's folded word. A term that splits into several words
 *     (al-Kanua → al kanua) is matched as a phrase.
 *   - A term is also matched on its Snowball stem when its language is
 *     known: Cyrillic terms are Russian, Greek terms Greek, Arabic-script
 *     terms Arabic, Latin-script terms are in each of the watch's
 *     languages (English unless configured). The story's tokens are stemmed
 *     in the story's language, and compared when it is the term's:
 *     ceasefire matches "ceasefires", перемирие matches "перемирия" in a
 *     Russian story. A word in another script (Hebrew, CJK) is matched as
 *     written (folded). Words with accents are stemmed both folded and as
 *     written, because Snowball needs the accents (Spanish negociación and
 *     negociaciones share "negoci" only when stemmed with them). Stems can
 *     join names: hamas and Hama (a Syrian city) share the English stem
 *     "hama"; a quoted "hamas" is not stemmed.
 *   - term* matches any token that begins with term (hostage* matches
 *     hostage, hostages, hostage-taking's "hostage"); the prefix needs at
 *     least 2 letters. Prefixes are not stemmed.
 *   - "a b c" matches the words a, b, c one after the other in one part of
 *     the story (never from the title into the text). Words of a phrase are
 *     not stemmed, and a word in a phrase may end in *. A one-word phrase
 *     ("deal") is the way to match a word exactly, without its stem.
 *   - AND, OR and NOT are evaluated over the whole story (title, text and,
 *     once translated, the translation): "hamas AND truce" matches when
 *     Hamas is in the title and the truce in the text, and NOT x holds when
 *     x is in no part of it.
 *
 * Bounds: a query has at most 8192 bytes, 256 terms (a phrase counts one),
 * 64 words in a phrase, and nests parentheses and NOTs at most 32 deep.
 *
 * Errors give the 1-based column (in characters) and what is wrong:
 *   empty query; unbalanced parenthesis (at the unclosed "("); unexpected )
 *   (a ")" with no "("); empty parentheses; unterminated phrase (at its
 *   opening quote); empty phrase; NOT needs a term; AND needs a term on
 *   both sides; OR needs a term on both sides; a * may only end a term;
 *   a prefix needs at least 2 letters before *; a term needs a letter or
 *   digit (a lone "-"); too many words in a phrase; more than 256 terms;
 *   nested more than 32 deep; query longer than 8192 bytes; invalid UTF-8.
 *
 * Hand-written as a recursive descent parser: no library in Debian parses
 * this little language, and a generated parser (yacc, as OpenSMTPD's
 * parse.y) would need a lexer for UTF-8 words anyway and would report
 * errors in tokens where users want columns in characters. Every
 * recursion is bounded by the nesting depth.
 */

#define QUERY_MAX_BYTES		8192
#define QUERY_MAX_DEPTH		32
#define QUERY_MAX_TERMS		256
#define QUERY_MIN_PREFIX	2

enum query_kind {
	QUERY_TERM,	/* one word: words[first], stems[stem_first..] */
	QUERY_PHRASE,	/* words[first..first+count) in a row */
	QUERY_AND,	/* all of kids[first..first+count) */
	QUERY_OR,	/* any of kids[first..first+count) */
	QUERY_NOT,	/* not kids[first] */
};

struct query_node {
	enum query_kind	 kind;
	uint32_t	 first;
	uint32_t	 count;
	uint32_t	 stem_first;
	uint32_t	 stem_count;
};

struct watch_query {
	struct query_node	*nodes;
	size_t			 nnodes;
	uint32_t		*kids;
	size_t			 nkids;
	struct watch_word	*words;
	size_t			 nwords;
	struct watch_stem	*stems;
	size_t			 nstems;
	uint32_t		 root;
};

enum query_lex_kind {
	LEX_END,
	LEX_LPAREN,
	LEX_RPAREN,
	LEX_AND,
	LEX_OR,
	LEX_NOT,
	LEX_WORD,
	LEX_PHRASE,
};

/* A lexical token: its bytes in the query (a phrase with its quotes). */
struct query_lex {
	enum query_lex_kind	 kind;
	size_t			 start;
	size_t			 end;
};

/* A growing list of node indices, for the operands of one AND or OR. */
struct query_list {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

struct query_parser {
	const char		*s;
	size_t			 len;
	size_t			 pos;		/* where the lexer goes on */
	struct query_lex	 tok;		/* the token looked at */
	int			 depth;
	int			 terms;
	char			 (*latin)[WATCH_LANG_SIZE];
	size_t			 nlatin;
	struct text_stemmer	*stemmer;
	struct text_tokens	 scratch;
	struct watch_query	*q;
	const char		*cause;
	size_t			 err_pos;
};

static int	query_or(struct query_parser *, uint32_t *);

/* Records the first error, at byte pos; returns -1 for the caller to
 * pass up. */
static int
query_error(struct query_parser *p, size_t pos, const char *cause)
{
	if (p->cause == NULL) {
		p->cause = cause;
		p->err_pos = pos;
	}
	return -1;
}

/* The 1-based column, in characters, of byte pos of s. */
static size_t
query_column(const char *s, size_t pos)
{
	size_t	i, column = 1;

	for (i = 0; i < pos; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			column++;
	}
	return column;
}

/* The number of characters of a UTF-8 word. */
static size_t
query_chars(const char *s, size_t len)
{
	return query_column(s, len) - 1;
}

/* The byte length of the white space character at pos, 0 for none. */
static size_t
query_space(const struct query_parser *p, size_t pos)
{
	int32_t	i = pos;
	UChar32	c;

	switch (p->s[pos]) {
	case ' ':
	case '\t':
	case '\n':
	case '\r':
	case '\v':
	case '\f':
		return 1;
	}
	if ((unsigned char)p->s[pos] < 0x80)
		return 0;
	U8_NEXT(p->s, i, (int32_t)p->len, c);
	if (c >= 0 && u_isUWhiteSpace(c))
		return i - pos;
	return 0;
}

/* Whether the byte at pos ends a word. */
static int
query_delimiter(const struct query_parser *p, size_t pos)
{
	return p->s[pos] == '(' || p->s[pos] == ')' || p->s[pos] == '"' ||
	    query_space(p, pos) != 0;
}

/* Reads the next token into p->tok. */
static int
query_lex_next(struct query_parser *p)
{
	struct query_lex	*t = &p->tok;
	const char		*quote, *w;
	size_t			 n;

	while (p->pos < p->len && (n = query_space(p, p->pos)) != 0)
		p->pos += n;
	t->start = p->pos;
	if (p->pos == p->len) {
		t->kind = LEX_END;
		t->end = p->pos;
		return 0;
	}
	switch (p->s[p->pos]) {
	case '(':
		t->kind = LEX_LPAREN;
		t->end = ++p->pos;
		return 0;
	case ')':
		t->kind = LEX_RPAREN;
		t->end = ++p->pos;
		return 0;
	case '"':
		quote = memchr(p->s + p->pos + 1, '"', p->len - p->pos - 1);
		if (quote == NULL)
			return query_error(p, p->pos, "unterminated phrase");
		t->kind = LEX_PHRASE;
		t->end = p->pos = quote - p->s + 1;
		return 0;
	}
	while (p->pos < p->len && !query_delimiter(p, p->pos))
		p->pos++;
	t->end = p->pos;
	w = p->s + t->start;
	n = t->end - t->start;
	if (n == 3 && memcmp(w, "AND", 3) == 0)
		t->kind = LEX_AND;
	else if (n == 2 && memcmp(w, "OR", 2) == 0)
		t->kind = LEX_OR;
	else if (n == 3 && memcmp(w, "NOT", 3) == 0)
		t->kind = LEX_NOT;
	else
		t->kind = LEX_WORD;
	return 0;
}

/* Whether the token can begin an operand. */
static int
query_starts_unary(const struct query_parser *p)
{
	switch (p->tok.kind) {
	case LEX_NOT:
	case LEX_LPAREN:
	case LEX_WORD:
	case LEX_PHRASE:
		return 1;
	default:
		return 0;
	}
}

/* Appends a node; returns its index. */
static uint32_t
query_node_add(struct watch_query *q, enum query_kind kind, uint32_t first,
    uint32_t count)
{
	struct query_node	*n;

	q->nodes = xreallocarray(q->nodes, q->nnodes + 1, sizeof *q->nodes);
	n = &q->nodes[q->nnodes];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->first = first;
	n->count = count;
	return q->nnodes++;
}

/* Appends node index i to list l. */
static void
query_list_add(struct query_list *l, uint32_t i)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = i;
}

/* Makes the AND or OR of the operands in l (the operand itself when it is
 * alone) and empties l. */
static uint32_t
query_list_node(struct watch_query *q, enum query_kind kind,
    struct query_list *l)
{
	uint32_t	i;

	if (l->n == 1)
		i = l->v[0];
	else {
		q->kids = xreallocarray(q->kids, q->nkids + l->n,
		    sizeof *q->kids);
		memcpy(q->kids + q->nkids, l->v, l->n * sizeof *l->v);
		i = query_node_add(q, kind, q->nkids, l->n);
		q->nkids += l->n;
	}
	free(l->v);
	memset(l, 0, sizeof *l);
	return i;
}

/* Appends a folded word to the query. */
static void
query_word_add(struct watch_query *q, const char *word, size_t len,
    int prefix)
{
	struct watch_word	*w;

	q->words = xreallocarray(q->words, q->nwords + 1, sizeof *q->words);
	w = &q->words[q->nwords++];
	w->word = xstrndup(word, len);
	w->len = len;
	w->prefix = prefix;
	w->hash = watch_hash(word, len);
}

/* Appends a stem in lang unless the term has it already. */
static void
query_stem_append(struct watch_query *q, uint32_t first, const char *lang,
    const char *stem, size_t len)
{
	struct watch_stem	*s;
	size_t			 i;

	for (i = first; i < q->nstems; i++) {
		s = &q->stems[i];
		if (strcmp(s->lang, lang) == 0 && s->len == len &&
		    memcmp(s->stem, stem, len) == 0)
			return;
	}
	q->stems = xreallocarray(q->stems, q->nstems + 1, sizeof *q->stems);
	s = &q->stems[q->nstems++];
	memset(s->lang, 0, sizeof s->lang);
	snprintf(s->lang, sizeof s->lang, "%s", lang);
	s->stem = xstrndup(stem, len);
	s->len = len;
	s->hash = watch_hash(stem, len);
}

/* Appends the Snowball stems of a term in lang, when Snowball knows lang:
 * of the folded word t, and of the word as written at src (see doc.c). */
static void
query_stem_add(struct query_parser *p, uint32_t first, const char *lang,
    const struct text_token *t, const char *src)
{
	const char	*stem;
	char		*accented;
	size_t		 len;

	if (!text_stemmer_has(p->stemmer, lang))
		return;
	stem = text_stem(p->stemmer, lang, t->word, t->len, &len);
	query_stem_append(p->q, first, lang, stem, len);
	accented = watch_stem_accented(p->stemmer, lang, src + t->offset,
	    t->source_len, t->word, t->len, &len);
	if (accented != NULL) {
		query_stem_append(p->q, first, lang, accented, len);
		free(accented);
	}
}

/* The script of a word: that of its first character which belongs to
 * one (digits and marks belong to all). */
static UScriptCode
query_script(const char *word, size_t len)
{
	UErrorCode	 err;
	UScriptCode	 sc;
	UChar32		 c;
	int32_t		 i = 0;

	while ((size_t)i < len) {
		U8_NEXT(word, i, (int32_t)len, c);
		if (c < 0)
			continue;
		err = U_ZERO_ERROR;
		sc = uscript_getScript(c, &err);
		if (U_SUCCESS(err) && sc != USCRIPT_COMMON &&
		    sc != USCRIPT_INHERITED)
			return sc;
	}
	return USCRIPT_COMMON;
}

/* Adds the stems of the term node n, the token t of the word at src, in
 * the languages its script says. */
static void
query_term_stems(struct query_parser *p, uint32_t n,
    const struct text_token *t, const char *src)
{
	struct query_node	*node;
	uint32_t		 first = p->q->nstems;
	size_t			 i;

	if (p->stemmer == NULL)
		return;
	switch (query_script(t->word, t->len)) {
	case USCRIPT_LATIN:
		for (i = 0; i < p->nlatin; i++)
			query_stem_add(p, first, p->latin[i], t, src);
		break;
	case USCRIPT_CYRILLIC:
		query_stem_add(p, first, "ru", t, src);
		break;
	case USCRIPT_GREEK:
		query_stem_add(p, first, "el", t, src);
		break;
	case USCRIPT_ARABIC:
		query_stem_add(p, first, "ar", t, src);
		break;
	default:
		break;
	}
	node = &p->q->nodes[n];
	node->stem_first = first;
	node->stem_count = p->q->nstems - first;
}

/* Tokenizes len bytes at s into p->scratch, as story text is. */
static size_t
query_tokenize(struct query_parser *p, const char *s, size_t len)
{
	p->scratch.count = 0;
	p->scratch.buf_len = 0;
	return text_tokenize(s, len, &p->scratch);
}

/* Counts a term against the bound. */
static int
query_term_count(struct query_parser *p)
{
	if (++p->terms > QUERY_MAX_TERMS)
		return query_error(p, p->tok.start, "more than 256 terms");
	return 0;
}

/* Compiles the word token at p->tok: a term, or a phrase when it folds
 * to several words. */
static int
query_term(struct query_parser *p, uint32_t *out)
{
	struct watch_query	*q = p->q;
	const struct text_token	*last;
	const char		*star;
	size_t			 start = p->tok.start, end = p->tok.end, n, i;
	int			 prefix = 0;

	if (query_term_count(p) == -1)
		return -1;
	star = memchr(p->s + start, '*', end - start);
	if (star != NULL) {
		if ((size_t)(star - p->s) != end - 1)
			return query_error(p, star - p->s,
			    "a * may only end a term");
		prefix = 1;
		end--;
	}
	n = query_tokenize(p, p->s + start, end - start);
	if (n == 0 && prefix)
		return query_error(p, start,
		    "a prefix needs at least 2 letters before *");
	if (n == 0)
		return query_error(p, start, "a term needs a letter or digit");
	if (n > WATCH_PHRASE_MAX)
		return query_error(p, start, "too many words in a phrase");
	last = &p->scratch.tokens[n - 1];
	if (prefix && query_chars(last->word, last->len) < QUERY_MIN_PREFIX)
		return query_error(p, start,
		    "a prefix needs at least 2 letters before *");
	*out = query_node_add(q, n == 1 ? QUERY_TERM : QUERY_PHRASE,
	    q->nwords, n);
	for (i = 0; i < n; i++)
		query_word_add(q, p->scratch.tokens[i].word,
		    p->scratch.tokens[i].len, prefix && i == n - 1);
	if (n == 1 && !prefix)
		query_term_stems(p, *out, last, p->s + start);
	return 0;
}

/*
 * Compiles the phrase token at p->tok. A * in a phrase must end a word:
 * the word before it ends right at the *, and white space or the closing
 * quote follows it.
 */
static int
query_phrase(struct query_parser *p, uint32_t *out)
{
	struct watch_query	*q = p->q;
	const struct text_token	*t;
	size_t			 start = p->tok.start + 1, end = p->tok.end - 1;
	size_t			 n, i, k, j = 0, first;

	if (query_term_count(p) == -1)
		return -1;
	n = query_tokenize(p, p->s + start, end - start);
	if (n == 0)
		return query_error(p, p->tok.start, "empty phrase");
	if (n > WATCH_PHRASE_MAX)
		return query_error(p, p->tok.start,
		    "too many words in a phrase");
	first = q->nwords;
	for (i = 0; i < n; i++) {
		t = &p->scratch.tokens[i];
		query_word_add(q, t->word, t->len, 0);
	}
	for (k = start; k < end; k++) {
		if (p->s[k] != '*')
			continue;
		while (j < n && start + p->scratch.tokens[j].offset +
		    p->scratch.tokens[j].source_len < k)
			j++;
		if (j == n || start + p->scratch.tokens[j].offset +
		    p->scratch.tokens[j].source_len != k ||
		    (k + 1 < end && query_space(p, k + 1) == 0))
			return query_error(p, k, "a * may only end a term");
		t = &p->scratch.tokens[j];
		if (query_chars(t->word, t->len) < QUERY_MIN_PREFIX)
			return query_error(p, start + t->offset,
			    "a prefix needs at least 2 letters before *");
		q->words[first + j].prefix = 1;
	}
	*out = query_node_add(q, QUERY_PHRASE, first, n);
	return 0;
}

/* unary = "NOT" unary | "(" or ")" | term | phrase */
static int
query_unary(struct query_parser *p, uint32_t *out)
{
	uint32_t	child;
	size_t		at = p->tok.start;

	switch (p->tok.kind) {
	case LEX_NOT:
		if (++p->depth > QUERY_MAX_DEPTH)
			return query_error(p, at, "nested more than 32 deep");
		if (query_lex_next(p) == -1)
			return -1;
		if (!query_starts_unary(p))
			return query_error(p, at, "NOT needs a term");
		if (query_unary(p, &child) == -1)
			return -1;
		p->depth--;
		p->q->kids = xreallocarray(p->q->kids, p->q->nkids + 1,
		    sizeof *p->q->kids);
		p->q->kids[p->q->nkids] = child;
		*out = query_node_add(p->q, QUERY_NOT, p->q->nkids++, 1);
		return 0;
	case LEX_LPAREN:
		if (++p->depth > QUERY_MAX_DEPTH)
			return query_error(p, at, "nested more than 32 deep");
		if (query_lex_next(p) == -1)
			return -1;
		if (p->tok.kind == LEX_END)
			return query_error(p, at, "unbalanced parenthesis");
		if (p->tok.kind == LEX_RPAREN)
			return query_error(p, at, "empty parentheses");
		if (query_or(p, out) == -1)
			return -1;
		if (p->tok.kind != LEX_RPAREN)
			return query_error(p, at, "unbalanced parenthesis");
		p->depth--;
		return query_lex_next(p);
	case LEX_WORD:
		if (query_term(p, out) == -1)
			return -1;
		return query_lex_next(p);
	case LEX_PHRASE:
		if (query_phrase(p, out) == -1)
			return -1;
		return query_lex_next(p);
	case LEX_RPAREN:
		return query_error(p, at, "unexpected )");
	case LEX_AND:
		return query_error(p, at, "AND needs a term on both sides");
	case LEX_OR:
		return query_error(p, at, "OR needs a term on both sides");
	case LEX_END:
		break;
	}
	/* Every operator has made sure an operand follows it. */
	return query_error(p, 0, "empty query");
}

/* and = unary { ["AND"] unary } */
static int
query_and(struct query_parser *p, uint32_t *out)
{
	struct query_list	l = { 0 };
	uint32_t		i;
	size_t			at;

	for (;;) {
		if (query_unary(p, &i) == -1)
			goto fail;
		query_list_add(&l, i);
		if (p->tok.kind == LEX_AND) {
			at = p->tok.start;
			if (query_lex_next(p) == -1)
				goto fail;
			if (!query_starts_unary(p)) {
				query_error(p, at,
				    "AND needs a term on both sides");
				goto fail;
			}
		} else if (!query_starts_unary(p))
			break;
	}
	*out = query_list_node(p->q, QUERY_AND, &l);
	return 0;
fail:
	free(l.v);
	return -1;
}

/* or = and { "OR" and } */
static int
query_or(struct query_parser *p, uint32_t *out)
{
	struct query_list	l = { 0 };
	uint32_t		i;
	size_t			at;

	for (;;) {
		if (query_and(p, &i) == -1)
			goto fail;
		query_list_add(&l, i);
		if (p->tok.kind != LEX_OR)
			break;
		at = p->tok.start;
		if (query_lex_next(p) == -1)
			goto fail;
		if (!query_starts_unary(p)) {
			query_error(p, at, "OR needs a term on both sides");
			goto fail;
		}
	}
	*out = query_list_node(p->q, QUERY_OR, &l);
	return 0;
fail:
	free(l.v);
	return -1;
}

/* Checks the query's size and encoding before any parsing. */
static int
query_check(struct query_parser *p)
{
	int32_t	i = 0, at;
	UChar32	c;

	if (p->len > QUERY_MAX_BYTES)
		return query_error(p, QUERY_MAX_BYTES,
		    "query longer than 8192 bytes");
	while ((size_t)i < p->len) {
		at = i;
		U8_NEXT(p->s, i, (int32_t)p->len, c);
		if (c < 0)
			return query_error(p, at, "invalid UTF-8");
	}
	return 0;
}

/* Keeps the Latin-script languages in the stemmers' spelling. */
static void
query_latin_langs(struct query_parser *p, const char *const *langs)
{
	static const char *const english[] = { "en", NULL };
	char			 code[WATCH_LANG_SIZE];
	size_t			 i, n = 0;

	if (langs == NULL)
		langs = english;
	for (i = 0; langs[i] != NULL; i++)
		;
	p->latin = xcalloc(i + 1, sizeof *p->latin);
	for (i = 0; langs[i] != NULL; i++) {
		if (watch_lang_norm(langs[i], code))
			memcpy(p->latin[n++], code, sizeof code);
	}
	p->nlatin = n;
}

struct watch_query *
watch_query_compile(const char *query, const char *const *latin_langs,
    struct text_stemmer *stemmer, size_t *column, char **cause)
{
	struct query_parser	 p;
	struct watch_query	*q;

	memset(&p, 0, sizeof p);
	p.s = query;
	p.len = strnlen(query, QUERY_MAX_BYTES + 1);
	p.stemmer = stemmer;
	p.q = q = xcalloc(1, sizeof *q);
	query_latin_langs(&p, latin_langs);
	if (query_check(&p) == 0 && query_lex_next(&p) == 0 &&
	    query_or(&p, &q->root) == 0 && p.tok.kind != LEX_END)
		query_error(&p, p.tok.start, "unexpected )");
	text_tokens_clear(&p.scratch);
	free(p.latin);
	if (p.cause != NULL) {
		if (column != NULL)
			*column = query_column(query, p.err_pos);
		if (cause != NULL)
			*cause = xstrdup(p.cause);
		watch_query_free(q);
		return NULL;
	}
	return q;
}

void
watch_query_free(struct watch_query *q)
{
	size_t	i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nwords; i++)
		free(q->words[i].word);
	for (i = 0; i < q->nstems; i++)
		free(q->stems[i].stem);
	free(q->stems);
	free(q->words);
	free(q->kids);
	free(q->nodes);
	free(q);
}

/* Evaluates node i; AND and OR stop at the first operand that decides. */
static int
query_eval(const struct watch_query *q, uint32_t i,
    const struct watch_doc *doc)
{
	const struct query_node	*n = &q->nodes[i];
	uint32_t		 k;

	switch (n->kind) {
	case QUERY_TERM:
		if (watch_doc_has_word(doc, &q->words[n->first]))
			return 1;
		for (k = n->stem_first; k < n->stem_first + n->stem_count;
		    k++) {
			if (watch_doc_has_stem(doc, &q->stems[k]))
				return 1;
		}
		return 0;
	case QUERY_PHRASE:
		return watch_doc_has_phrase(doc, &q->words[n->first], n->count);
	case QUERY_AND:
		for (k = 0; k < n->count; k++) {
			if (!query_eval(q, q->kids[n->first + k], doc))
				return 0;
		}
		return 1;
	case QUERY_OR:
		for (k = 0; k < n->count; k++) {
			if (query_eval(q, q->kids[n->first + k], doc))
				return 1;
		}
		return 0;
	case QUERY_NOT:
		return !query_eval(q, q->kids[n->first], doc);
	}
	return 0;
}

int
watch_query_match(const struct watch_query *q, const struct watch_doc *doc)
{
	return query_eval(q, q->root, doc);
}
