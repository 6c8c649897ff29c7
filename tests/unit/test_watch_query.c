/* test_watch_query.c: the watch query language's syntax — what compiles, and every error with its column. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "text/text.h"
#include "watch/watch.h"

/* Compiles q, expecting success. */
static void
compiles(const char *q)
{
	struct watch_query	*wq;
	size_t			 column = 0;
	char			*cause = NULL;

	wq = watch_query_compile(q, NULL, NULL, &column, &cause);
	if (wq == NULL)
		fail_msg("\"%s\": column %zu: %s", q, column, cause);
	watch_query_free(wq);
}

/* Compiles q, expecting cause at column. */
static void
fails(const char *q, size_t want_column, const char *want_cause)
{
	struct watch_query	*wq;
	size_t			 column = 0;
	char			*cause = NULL;

	wq = watch_query_compile(q, NULL, NULL, &column, &cause);
	if (wq != NULL) {
		watch_query_free(wq);
		fail_msg("\"%s\" compiled; wanted \"%s\"", q, want_cause);
	}
	if (strcmp(cause, want_cause) != 0 || column != want_column)
		fail_msg("\"%s\": got column %zu: %s; wanted column %zu: %s",
		    q, column, cause, want_column, want_cause);
	free(cause);
}

static void
test_valid_queries_compile(void **state)
{
	compiles("hamas");
	compiles("hamas gaza");
	compiles("hamas AND gaza OR truce");
	compiles("NOT sport");
	compiles("NOT NOT sport");
	compiles("(hamas OR gaza OR хамас) AND (ceasefire OR truce OR deal "
	    "OR hostage* OR negotiat* OR перемирие)");
	compiles("(hamas OR gaza OR хамас OR газа OR حماس OR غزة)\n\tAND "
	    "(ceasefire OR truce OR deal OR hostage* OR negotiat* OR "
	    "перемири* OR заложник*)");
	compiles("\"cease fire\" OR \"hostage releas*\"");
	compiles("al-Kanua U.S. 1,800");
	compiles("and or not");
	compiles("-hamas");
	compiles("((a))");
	compiles("a(b)c\"d e\"f");
	compiles("hamas\xc2\xa0OR\xe3\x80\x80gaza");
}

static void
test_empty_queries_are_errors(void **state)
{
	fails("", 1, "empty query");
	fails("   \t ", 1, "empty query");
}

static void
test_parentheses_must_balance(void **state)
{
	fails("(hamas", 1, "unbalanced parenthesis");
	fails("gaza (hamas OR (truce)", 6, "unbalanced parenthesis");
	fails("(", 1, "unbalanced parenthesis");
	fails("hamas)", 6, "unexpected )");
	fails(")", 1, "unexpected )");
	fails("(a) b) c", 6, "unexpected )");
	fails("()", 1, "empty parentheses");
	fails("gaza ( )", 6, "empty parentheses");
}

static void
test_phrases_must_close_and_hold_words(void **state)
{
	fails("\"cease fire", 1, "unterminated phrase");
	fails("hamas \"cease", 7, "unterminated phrase");
	fails("\"\"", 1, "empty phrase");
	fails("gaza \" - \"", 6, "empty phrase");
}

static void
test_operators_need_operands(void **state)
{
	fails("NOT", 1, "NOT needs a term");
	fails("gaza NOT", 6, "NOT needs a term");
	fails("gaza AND NOT", 10, "NOT needs a term");
	fails("(NOT) gaza", 2, "NOT needs a term");
	fails("NOT OR gaza", 1, "NOT needs a term");
	fails("OR gaza", 1, "OR needs a term on both sides");
	fails("gaza OR", 6, "OR needs a term on both sides");
	fails("gaza OR OR hamas", 6, "OR needs a term on both sides");
	fails("(gaza OR) hamas", 7, "OR needs a term on both sides");
	fails("(OR gaza)", 2, "OR needs a term on both sides");
	fails("AND gaza", 1, "AND needs a term on both sides");
	fails("gaza AND", 6, "AND needs a term on both sides");
	fails("gaza AND OR hamas", 6, "AND needs a term on both sides");
	fails("gaza OR AND hamas", 6, "OR needs a term on both sides");
}

static void
test_star_may_only_end_a_term(void **state)
{
	fails("hos*tage", 4, "a * may only end a term");
	fails("gaza *hostage", 6, "a * may only end a term");
	fails("**", 1, "a * may only end a term");
	fails("hostage**", 8, "a * may only end a term");
	fails("\"ce*ase fire\"", 4, "a * may only end a term");
	fails("\"* fire\"", 2, "a * may only end a term");
	fails("\"fire *\"", 7, "a * may only end a term");
	fails("\"fire**\"", 6, "a * may only end a term");
	compiles("\"cease* fire*\"");
}

static void
test_prefix_needs_two_letters(void **state)
{
	fails("*", 1, "a prefix needs at least 2 letters before *");
	fails("h*", 1, "a prefix needs at least 2 letters before *");
	fails("gaza OR -*", 9, "a prefix needs at least 2 letters before *");
	fails("хамас OR ж*", 10, "a prefix needs at least 2 letters before *");
	fails("\"fire h*\"", 7, "a prefix needs at least 2 letters before *");
	compiles("ho*");
	compiles("жу*");
}

static void
test_term_without_letters_is_an_error(void **state)
{
	fails("-", 1, "a term needs a letter or digit");
	fails("gaza AND —", 10, "a term needs a letter or digit");
}

static void
test_columns_count_characters_not_bytes(void **state)
{
	/* Five Cyrillic letters are ten bytes. */
	fails("хамас )", 7, "unexpected )");
	fails("حماس OR", 6, "OR needs a term on both sides");
	fails("שלום (עזה", 6, "unbalanced parenthesis");
	fails("перемирие \"перемирия", 11, "unterminated phrase");
}

static void
test_invalid_utf8_is_an_error(void **state)
{
	fails("gaza \xff", 6, "invalid UTF-8");
	fails("хамас \xd0", 7, "invalid UTF-8");
	fails("\xc0\xaf", 1, "invalid UTF-8");
}

/* A query of n nested parentheses around one word. */
static char *
nested(int n)
{
	char	*q = xmalloc(2 * n + 2);
	int	 i;

	for (i = 0; i < n; i++)
		q[i] = '(';
	q[n] = 'a';
	for (i = 0; i < n; i++)
		q[n + 1 + i] = ')';
	q[2 * n + 1] = '\0';
	return q;
}

static void
test_nesting_is_bounded_at_32(void **state)
{
	char	*q, *s;
	int	 i;

	q = nested(32);
	compiles(q);
	free(q);
	q = nested(33);
	fails(q, 33, "nested more than 32 deep");
	free(q);

	s = xstrdup("a");
	for (i = 0; i < 33; i++) {
		xasprintf(&q, "NOT %s", s);
		free(s);
		s = q;
	}
	fails(s, 129, "nested more than 32 deep");
	free(s);
	/* NOTs and parentheses count together. */
	q = nested(31);
	xasprintf(&s, "NOT NOT %s", q);
	fails(s, 39, "nested more than 32 deep");
	free(s);
	xasprintf(&s, "NOT %s", q);
	compiles(s);
	free(s);
	free(q);
}

static void
test_length_is_bounded_at_8192_bytes(void **state)
{
	char	*q;

	q = xmalloc(8194);
	memset(q, 'a', 8192);
	q[8192] = '\0';
	compiles(q);
	q[8192] = 'b';
	q[8193] = '\0';
	fails(q, 8193, "query longer than 8192 bytes");
	free(q);
}

/* A query of n terms t0 t1 ... */
static char *
terms(int n)
{
	char	*q = xstrdup(""), *t;
	int	 i;

	for (i = 0; i < n; i++) {
		xasprintf(&t, "%s%st%d", q, i ? " OR " : "", i);
		free(q);
		q = t;
	}
	return q;
}

static void
test_terms_are_bounded_at_256(void **state)
{
	char	*q;
	size_t	 col;

	q = terms(256);
	compiles(q);
	free(q);
	q = terms(257);
	col = strstr(q, " t256") - q + 2;
	fails(q, col, "more than 256 terms");
	free(q);
}

static void
test_phrase_words_are_bounded_at_64(void **state)
{
	char	*q = xstrdup("\""), *t;
	int	 i;

	for (i = 0; i < 64; i++) {
		xasprintf(&t, "%sw%d ", q, i);
		free(q);
		q = t;
	}
	xasprintf(&t, "%s\"", q);
	compiles(t);
	free(t);
	xasprintf(&t, "%sw64\"", q);
	fails(t, 1, "too many words in a phrase");
	free(t);
	free(q);
}

static void
test_lowercase_operators_are_words(void **state)
{
	compiles("and");
	compiles("or");
	compiles("not");
	compiles("Not And Or");
	fails("And OR", 5, "OR needs a term on both sides");
}

static void
test_null_cause_and_column_are_allowed(void **state)
{
	assert_null(watch_query_compile("(", NULL, NULL, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_queries_compile),
		cmocka_unit_test(test_empty_queries_are_errors),
		cmocka_unit_test(test_parentheses_must_balance),
		cmocka_unit_test(test_phrases_must_close_and_hold_words),
		cmocka_unit_test(test_operators_need_operands),
		cmocka_unit_test(test_star_may_only_end_a_term),
		cmocka_unit_test(test_prefix_needs_two_letters),
		cmocka_unit_test(test_term_without_letters_is_an_error),
		cmocka_unit_test(test_columns_count_characters_not_bytes),
		cmocka_unit_test(test_invalid_utf8_is_an_error),
		cmocka_unit_test(test_nesting_is_bounded_at_32),
		cmocka_unit_test(test_length_is_bounded_at_8192_bytes),
		cmocka_unit_test(test_terms_are_bounded_at_256),
		cmocka_unit_test(test_phrase_words_are_bounded_at_64),
		cmocka_unit_test(test_lowercase_operators_are_words),
		cmocka_unit_test(test_null_cause_and_column_are_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
