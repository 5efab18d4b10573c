/* test_filter.c - unit tests for lib/filter */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "filter.h"
#include "mem.h"
#include "rec.h"

#define MAXF 16

static char *hnames[] = { "kind", "state", "light", "minutes", "reported",
    "a", "b", "c", "name" };
static const struct rec_header header = { 9, hnames };

/* A row from TAB-separated values (no escapes), for the header above. */
struct trow {
	char buf[512];
	char *v[MAXF];
	size_t len[MAXF];
	struct rec_row row;
};

static void
mkrow(struct trow *t, const char *tsv)
{
	char *p;
	size_t n = 0;

	assert_true(strlen(tsv) < sizeof t->buf);
	strcpy(t->buf, tsv);
	p = t->buf;
	for (;;) {
		char *tab = strchr(p, '\t');

		assert_true(n < MAXF);
		t->v[n] = p;
		if (tab != NULL)
			*tab = '\0';
		t->len[n] = strlen(p);
		n++;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	t->row.n = n;
	t->row.v = t->v;
	t->row.len = t->len;
	t->row.line = 2;
	t->row.raw = NULL;
	t->row.rawlen = 0;
}

/* run: parse, bind to header, evaluate on row; fails the test on errors. */
static bool
run(const char *expr, const char *tsv)
{
	struct filter *f = NULL;
	struct trow t;
	struct err e;
	bool r;

	err_clear(&e);
	if (filter_parse(&f, expr, strlen(expr), &e) != 0)
		fail_msg("parse \"%s\": %s", expr, e.msg);
	if (filter_bind(f, &header, &e) != 0)
		fail_msg("bind \"%s\": %s", expr, e.msg);
	mkrow(&t, tsv);
	r = filter_eval(f, &t.row);
	filter_free(f);
	return r;
}

struct eval_case {
	const char *expr;
	const char *row;	/* kind state light minutes reported a b c name */
	bool want;
};

#define R(state, light, minutes, reported, a, b, c) \
	"event\t" state "\t" light "\t" minutes "\t" reported "\t" a "\t" \
	b "\t" c "\t" "x"
#define T1 "2017-03-14T09:30:00+08:00"

static const struct eval_case eval_cases[] = {
	/* == and != on strings, both quotes */
	{ "state == 'closed'", R("closed", "", "", "", "", "", ""), true },
	{ "state == \"closed\"", R("closed", "", "", "", "", "", ""), true },
	{ "state == 'closed'", R("open", "", "", "", "", "", ""), false },
	{ "state == 'closed'", R("closed2", "", "", "", "", "", ""), false },
	{ "state == 'closed'", R("close", "", "", "", "", "", ""), false },
	{ "state != 'closed'", R("open", "", "", "", "", "", ""), true },
	{ "state != 'closed'", R("closed", "", "", "", "", "", ""), false },
	{ "'closed' == state", R("closed", "", "", "", "", "", ""), true },
	{ "state=='closed'", R("closed", "", "", "", "", "", ""), true },
	{ "\tstate\n==\r\n'closed'  ", R("closed", "", "", "", "", "", ""),
	    true },
	{ "name == \"it's\"", "event\t\t\t\t\t\t\t\tit's", true },
	{ "name == 'say \"hi\"'", "event\t\t\t\t\t\t\t\tsay \"hi\"", true },
	/* ordering on strings: bytes */
	{ "light < 'yellow'", R("", "green", "", "", "", "", ""), true },
	{ "light < 'green'", R("", "green", "", "", "", "", ""), false },
	{ "light <= 'green'", R("", "green", "", "", "", "", ""), true },
	{ "light > 'gree'", R("", "green", "", "", "", "", ""), true },
	{ "light >= 'greeo'", R("", "green", "", "", "", "", ""), false },
	{ "light < 'Green'", R("", "green", "", "", "", "", ""), false },
	{ "a < '2017-10'", R("", "", "", "", "2017-03", "", ""), true },
	{ "a < '街道'", R("", "", "", "", "社区", "", ""), true },	/* U+793E */
	{ "a > '街道'", R("", "", "", "", "社区", "", ""), false },
	{ "a == '社区'", R("", "", "", "", "社区", "", ""), true },
	/* numbers: numerically, exactly */
	{ "minutes >= 60", R("", "", "120", "", "", "", ""), true },
	{ "minutes >= 60", R("", "", "60", "", "", "", ""), true },
	{ "minutes >= 60", R("", "", "59.999", "", "", "", ""), false },
	{ "minutes > 60", R("", "", "60", "", "", "", ""), false },
	{ "minutes < 60", R("", "", "9", "", "", "", ""), true },
	{ "minutes <= 60", R("", "", "60.0", "", "", "", ""), true },
	{ "minutes == 60", R("", "", "60.000", "", "", "", ""), true },
	{ "minutes == 60", R("", "", "060", "", "", "", ""), true },
	{ "minutes == 60", R("", "", "+60", "", "", "", ""), true },
	{ "minutes == 60", R("", "", "60.", "", "", "", ""), true },
	{ "minutes == 0.5", R("", "", ".5", "", "", "", ""), true },
	{ "minutes != 60", R("", "", "60.0", "", "", "", ""), false },
	{ "minutes == '60'", R("", "", "60.0", "", "", "", ""), true },
	{ "minutes == 0", R("", "", "-0", "", "", "", ""), true },
	{ "minutes == -0.0", R("", "", "0", "", "", "", ""), true },
	{ "minutes < 0", R("", "", "-0.0", "", "", "", ""), false },
	{ "minutes < 0", R("", "", "-0.001", "", "", "", ""), true },
	{ "minutes < -1.25", R("", "", "-1.5", "", "", "", ""), true },
	{ "minutes > -1.25", R("", "", "-1.2", "", "", "", ""), true },
	{ "minutes < -10", R("", "", "-9", "", "", "", ""), false },
	{ "minutes > -10", R("", "", "1", "", "", "", ""), true },
	{ "minutes < 0.3", R("", "", "0.29999999999999999999", "", "", "",
	    ""), true },
	{ "minutes != 0.3", R("", "", "0.30000000000000001", "", "", "",
	    ""), true },
	{ "minutes > 12345678901234567890",
	    R("", "", "12345678901234567890.000001", "", "", "", ""), true },
	{ "minutes < 99999999999999999999",
	    R("", "", "100000000000000000000", "", "", "", ""), false },
	{ "minutes == 1.0", R("", "", "1e0", "", "", "", ""), false },
	{ "minutes > 60", R("", "", "1e9", "", "", "", ""), false },	/* bytes */
	{ "minutes < 60", R("", "", "5 ", "", "", "", ""), true },	/* bytes */
	{ "minutes > 60", R("", "", "abc", "", "", "", ""), true },	/* bytes */
	{ "a < b", R("", "", "", "", "9", "10", ""), true },
	{ "a == b", R("", "", "", "", "1.50", "1.5", ""), true },
	{ "a < b", R("", "", "", "", "x9", "x10", ""), false },
	{ "'1.0' == 1", R("", "", "", "", "", "", ""), true },
	{ "1 < 2", R("", "", "", "", "", "", ""), true },
	{ "'b' > 'a'", R("", "", "", "", "", "", ""), true },
	/* date-times: instants, offsets count */
	{ "reported == '2017-03-14T01:30:00+00:00'",
	    R("", "", "", T1, "", "", ""), true },
	{ "reported != '2017-03-14T01:30:00+00:00'",
	    R("", "", "", T1, "", "", ""), false },
	{ "reported < '2017-03-14T02:00:00+00:00'",
	    R("", "", "", T1, "", "", ""), true },
	{ "reported > '2017-03-14T01:00:00-00:30'",
	    R("", "", "", T1, "", "", ""), false },
	{ "reported >= '2017-03-14T01:00:00-00:30'",
	    R("", "", "", T1, "", "", ""), true },
	{ "reported < '2017-03-14T09:29:59+08:00'",
	    R("", "", "", T1, "", "", ""), false },
	{ "reported >= '2017-03-14'", R("", "", "", T1, "", "", ""), true },
	{ "reported < '2017-03-15'", R("", "", "", T1, "", "", ""), true },
	{ "reported >= '2017-01-01' and reported < '2018-01-01'",
	    R("", "", "", T1, "", "", ""), true },
	{ "a < b", R("", "", "", "", "2017-03-14T09:00:00+08:00",
	    "2017-03-14T02:00:00+00:00", ""), true },
	{ "a == b", R("", "", "", "", "2017-03-14T08:00:00+08:00",
	    "2017-03-14T00:00:00+00:00", ""), true },
	{ "reported > '2017-03-14T09:29:59+08:00'",
	    R("", "", "", T1, "", "", ""), true },
	{ "reported <= '2017-03-14T09:29:59+08:00'",
	    R("", "", "", T1, "", "", ""), false },
	{ "reported > '2017-03-14T09:30:00+08:00'",
	    R("", "", "", "2017-13-14T09:30:00+08:00", "", "", ""), true },
	{ "reported == '2017-03-14T09:30:00+08:00'",
	    R("", "", "", "2017-03-14T09:30:00+08:00", "", "", ""), true },
	/* not canonical (a space, not T): bytes */
	{ "reported == '2017-03-14 01:30:00+00:00'",
	    R("", "", "", T1, "", "", ""), false },
	/* empty values */
	{ "state == ''", R("", "", "", "", "", "", ""), true },
	{ "state == \"\"", R("", "", "", "", "", "", ""), true },
	{ "state != ''", R("", "", "", "", "", "", ""), false },
	{ "state == ''", R("x", "", "", "", "", "", ""), false },
	{ "state != ''", R("x", "", "", "", "", "", ""), true },
	{ "state == 'x'", R("", "", "", "", "", "", ""), false },
	{ "state != 'x'", R("", "", "", "", "", "", ""), true },
	{ "minutes < 60", R("", "", "", "", "", "", ""), false },
	{ "minutes <= 60", R("", "", "", "", "", "", ""), false },
	{ "minutes > 60", R("", "", "", "", "", "", ""), false },
	{ "minutes >= 60", R("", "", "", "", "", "", ""), false },
	{ "minutes >= ''", R("", "", "", "", "", "", ""), false },
	{ "minutes <= ''", R("", "", "5", "", "", "", ""), false },
	{ "not minutes < 60", R("", "", "", "", "", "", ""), true },
	{ "a == b", R("", "", "", "", "", "", ""), true },
	{ "a == b", R("", "", "", "", "", "0", ""), false },
	{ "a != b", R("", "", "", "", "", "0", ""), true },
	{ "a < b", R("", "", "", "", "", "0", ""), false },
	{ "a >= b", R("", "", "", "", "", "0", ""), false },
	{ "state is empty", R("", "", "", "", "", "", ""), true },
	{ "state is empty", R("x", "", "", "", "", "", ""), false },
	{ "state is not empty", R("", "", "", "", "", "", ""), false },
	{ "state is not empty", R("x", "", "", "", "", "", ""), true },
	{ "'' is empty", R("x", "", "", "", "", "", ""), true },
	{ "'x' is empty", R("", "", "", "", "", "", ""), false },
	{ "0 is not empty", R("", "", "", "", "", "", ""), true },
	/* in, not in */
	{ "light in ('green', 'yellow')", R("", "green", "", "", "", "", ""),
	    true },
	{ "light in ('green', 'yellow')", R("", "yellow", "", "", "", "", ""),
	    true },
	{ "light in ('green', 'yellow')", R("", "red", "", "", "", "", ""),
	    false },
	{ "light in ('green')", R("", "", "", "", "", "", ""), false },
	{ "light in ('green', '')", R("", "", "", "", "", "", ""), true },
	{ "light not in ('green', 'yellow')", R("", "red", "", "", "", "", ""),
	    true },
	{ "light not in ('green', 'yellow')",
	    R("", "green", "", "", "", "", ""), false },
	{ "light not in ('green')", R("", "", "", "", "", "", ""), true },
	{ "minutes in (1, 2, 60)", R("", "", "60.0", "", "", "", ""), true },
	{ "minutes in (1,2,'3')", R("", "", "3", "", "", "", ""), true },
	{ "minutes not in (1, 2)", R("", "", "2.00", "", "", "", ""), false },
	{ "a in (b, c)", R("", "", "", "", "7", "1", "7"), true },
	{ "a in (b, c)", R("", "", "", "", "7", "1", "8"), false },
	{ "reported in ('2017-03-14T01:30:00Z', '2017-03-14T01:30:00+00:00')",
	    R("", "", "", T1, "", "", ""), true },
	/* and, or, not, precedence: not > and > or */
	{ "a == 1 and b == 1", R("", "", "", "", "1", "1", ""), true },
	{ "a == 1 and b == 1", R("", "", "", "", "1", "0", ""), false },
	{ "a == 1 and b == 1", R("", "", "", "", "0", "1", ""), false },
	{ "a == 1 or b == 1", R("", "", "", "", "0", "1", ""), true },
	{ "a == 1 or b == 1", R("", "", "", "", "1", "0", ""), true },
	{ "a == 1 or b == 1", R("", "", "", "", "0", "0", ""), false },
	{ "a == 1 or b == 1 and c == 1", R("", "", "", "", "1", "0", "0"),
	    true },
	{ "(a == 1 or b == 1) and c == 1", R("", "", "", "", "1", "0", "0"),
	    false },
	{ "b == 1 and c == 1 or a == 1", R("", "", "", "", "1", "0", "0"),
	    true },
	{ "b == 1 and (c == 1 or a == 1)", R("", "", "", "", "1", "0", "0"),
	    false },
	{ "not a == 1 and b == 1", R("", "", "", "", "1", "0", ""), false },
	{ "not (a == 1 and b == 1)", R("", "", "", "", "1", "0", ""), true },
	{ "not a == 1 or b == 1", R("", "", "", "", "1", "1", ""), true },
	{ "not (a == 1 or b == 1)", R("", "", "", "", "1", "1", ""), false },
	{ "not not a == 1", R("", "", "", "", "1", "", ""), true },
	{ "not not not a == 1", R("", "", "", "", "1", "", ""), false },
	{ "((((a == 1))))", R("", "", "", "", "1", "", ""), true },
	{ "a == 1 and b == 1 and c == 1", R("", "", "", "", "1", "1", "1"),
	    true },
	{ "a == 1 and b == 1 and c == 1", R("", "", "", "", "1", "1", "0"),
	    false },
	{ "a == 1 or b == 1 or c == 1", R("", "", "", "", "0", "0", "1"),
	    true },
	{ "a == 1 or b == 1 or c == 1", R("", "", "", "", "0", "0", "0"),
	    false },
	{ "state == 'closed' and light in ('green', 'yellow')",
	    R("closed", "yellow", "", "", "", "", ""), true },
	{ "minutes >= 60 and not (a == 1)", R("", "", "61", "", "0", "", ""),
	    true },
	{ "minutes >= 60 and not (a == 1)", R("", "", "61", "", "1", "", ""),
	    false },
	{ "state is not empty and reported >= '2017-01-01'",
	    R("x", "", "", T1, "", "", ""), true },
	/* keywords are whole words: fields may start with one */
	{ "name == 'x' or name is empty", R("", "", "", "", "", "", ""), true },
};

static void
test_eval(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof eval_cases / sizeof eval_cases[0]; k++)
		if (run(eval_cases[k].expr, eval_cases[k].row) !=
		    eval_cases[k].want)
			fail_msg("case %zu: \"%s\" should be %s", k,
			    eval_cases[k].expr,
			    eval_cases[k].want ? "true" : "false");
}

struct bad_case {
	const char *expr;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "", "at column 1: expected an operand" },
	{ "   ", "at column 4: expected an operand" },
	{ "state ==", "at column 9: expected an operand" },
	{ "state == ==", "at column 10: expected an operand" },
	{ "state = 'x'", "at column 7: unexpected character" },
	{ "state ! 'x'", "at column 7: unexpected character" },
	{ "state =", "at column 7: unexpected character" },
	{ "state == 'closed", "at column 10: unterminated string" },
	{ "state == \"closed'", "at column 10: unterminated string" },
	{ "State == 1", "at column 1: unexpected character" },
	{ "_a == 1", "at column 1: unexpected character" },
	{ "a == @", "at column 6: unexpected character" },
	{ "a == 1.", "at column 6: bad number" },
	{ "a == 1.x", "at column 6: bad number" },
	{ "a == -", "at column 6: bad number" },
	{ "a == - 1", "at column 6: bad number" },
	{ "a == -x", "at column 6: bad number" },
	{ "a == 1x", "at column 6: bad number" },
	{ "a == 1X", "at column 6: bad number" },
	{ "a == 1_", "at column 6: bad number" },
	{ "a == 1.2.3", "at column 6: bad number" },
	{ "a == .5", "at column 6: unexpected character" },
	{ "a == +5", "at column 6: unexpected character" },
	{ "a", "at column 2: expected a comparison, 'in' or 'is'" },
	{ "a 1", "at column 3: expected a comparison, 'in' or 'is'" },
	{ "a and b", "at column 3: expected a comparison, 'in' or 'is'" },
	{ "a not x", "at column 7: expected 'in'" },
	{ "a not", "at column 6: expected 'in'" },
	{ "a in 'x'", "at column 6: expected '('" },
	{ "a in", "at column 5: expected '('" },
	{ "a in ()", "at column 7: expected an operand" },
	{ "a in ('x' 'y')", "at column 11: expected ',' or ')'" },
	{ "a in ('x',", "at column 11: expected an operand" },
	{ "a in ('x', )", "at column 12: expected an operand" },
	{ "a in ('x'", "at column 10: expected ',' or ')'" },
	{ "a is full", "at column 6: expected 'empty'" },
	{ "a is not", "at column 9: expected 'empty'" },
	{ "a is not not empty", "at column 10: expected 'empty'" },
	{ "(a == 1", "at column 8: expected ')'" },
	{ "((a == 1)", "at column 10: expected ')'" },
	{ "()", "at column 2: expected an operand" },
	{ "a == 1 b == 2", "at column 8: expected 'and', 'or' or the end" },
	{ "a == 1)", "at column 7: expected 'and', 'or' or the end" },
	{ "a == 1 not", "at column 8: expected 'and', 'or' or the end" },
	{ "and == 1", "at column 1: expected an operand" },
	{ "empty is empty", "at column 1: expected an operand" },
	{ "a == 1 and", "at column 11: expected an operand" },
	{ "a == 1 or or b == 1", "at column 11: expected an operand" },
	{ "not", "at column 4: expected an operand" },
	{ "a == not", "at column 6: expected an operand" },
	{ "a == (1)", "at column 6: expected an operand" },
	{ "网格 == 1", "at column 1: unexpected character" },
	{ "a == '网格' and @", "at column 15: unexpected character" },
	{ "a == '网格' b", "at column 11: expected 'and', 'or' or the end" },
	{ "a == '\xff'", "at column 7: invalid UTF-8" },
	{ "a == '网\xe6\xa0'", "at column 8: invalid UTF-8" },
	{ "a == '\xc0\x80'", "at column 7: invalid UTF-8" },
	{ "a == '\xed\xa0\x80'", "at column 7: invalid UTF-8" },
};

static void
test_syntax(void **state)
{
	struct filter *f;
	struct err e;
	size_t k;
	long live = mem_live();

	(void)state;
	for (k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; k++) {
		err_clear(&e);
		f = (struct filter *)&e;
		if (filter_parse(&f, bad_cases[k].expr,
		    strlen(bad_cases[k].expr), &e) != ERR_DATA)
			fail_msg("\"%s\" parsed", bad_cases[k].expr);
		assert_null(f);
		assert_int_equal(e.code, ERR_DATA);
		if (strcmp(e.msg, bad_cases[k].msg) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"",
			    bad_cases[k].expr, e.msg, bad_cases[k].msg);
	}
	/* NUL bytes, counted by n */
	err_clear(&e);
	assert_int_equal(filter_parse(&f, "a == 'x\0y'", 10, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 8: NUL byte");
	assert_int_equal(filter_parse(&f, "a == 1\0", 7, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 7: NUL byte");
	/* n bounds the input */
	assert_int_equal(filter_parse(&f, "a == 1 and junk", 6, &e), 0);
	filter_free(f);
	assert_int_equal(filter_parse(&f, NULL, 0, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 1: expected an operand");
	assert_int_equal(mem_live(), live);
}

/* No error message holds a byte from a string literal. */
static void
test_no_values_in_errors(void **state)
{
	static const char *const exprs[] = {
		"name == '张三' and",
		"name == '13800138000' or (",
		"name in ('110101199003070012', 'x' 'y')",
		"name == \"张三\" 1",
		"name == '张三' and name = '李四'",
		"name == '张三",
		"'secret' secret",
	};
	struct filter *f;
	struct err e;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof exprs / sizeof exprs[0]; k++) {
		err_clear(&e);
		assert_int_equal(filter_parse(&f, exprs[k], strlen(exprs[k]),
		    &e), ERR_DATA);
		assert_null(strstr(e.msg, "张三"));
		assert_null(strstr(e.msg, "李四"));
		assert_null(strstr(e.msg, "138"));
		assert_null(strstr(e.msg, "1101"));
		assert_null(strstr(e.msg, "secret"));
		assert_non_null(strstr(e.msg, "at column "));
	}
}

static void
test_limits(void **state)
{
	char *buf;
	struct filter *f;
	struct err e;
	struct trow t;
	size_t k, n;
	long live = mem_live();

	(void)state;
	buf = malloc(FILTER_MAX_LEN + 64);
	assert_non_null(buf);

	/* length: 4096 bytes parse, 4097 do not */
	memset(buf, 'z', FILTER_MAX_LEN + 1);
	memcpy(buf, "a == '", 6);
	buf[FILTER_MAX_LEN - 1] = '\'';
	assert_int_equal(filter_parse(&f, buf, FILTER_MAX_LEN, &e), 0);
	filter_free(f);
	buf[FILTER_MAX_LEN - 1] = 'z';
	buf[FILTER_MAX_LEN] = '\'';
	assert_int_equal(filter_parse(&f, buf, FILTER_MAX_LEN + 1, &e),
	    ERR_DATA);
	assert_null(f);
	assert_string_equal(e.msg, "expression longer than 4096 bytes");

	/* depth: 32 parentheses parse, 33 do not */
	n = 0;
	for (k = 0; k < 32; k++)
		buf[n++] = '(';
	memcpy(buf + n, "a == 1", 6);
	n += 6;
	for (k = 0; k < 32; k++)
		buf[n++] = ')';
	assert_int_equal(filter_parse(&f, buf, n, &e), 0);
	assert_int_equal(filter_bind(f, &header, &e), 0);
	mkrow(&t, R("", "", "", "", "1", "", ""));
	assert_true(filter_eval(f, &t.row));
	filter_free(f);
	n = 0;
	for (k = 0; k < 33; k++)
		buf[n++] = '(';
	memcpy(buf + n, "a == 1", 6);
	n += 6;
	for (k = 0; k < 33; k++)
		buf[n++] = ')';
	assert_int_equal(filter_parse(&f, buf, n, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 33: nested more than 32 deep");

	/* not counts as a level too, and mixes with parentheses */
	n = 0;
	for (k = 0; k < 32; k++) {
		memcpy(buf + n, "not ", 4);
		n += 4;
	}
	memcpy(buf + n, "a == 1", 6);
	n += 6;
	assert_int_equal(filter_parse(&f, buf, n, &e), 0);
	assert_int_equal(filter_bind(f, &header, &e), 0);
	assert_true(filter_eval(f, &t.row));	/* an even number of nots */
	filter_free(f);
	memmove(buf + 1, buf, n);
	buf[0] = '(';
	buf[n + 1] = ')';
	assert_int_equal(filter_parse(&f, buf, n + 2, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 126: nested more than 32 deep");

	/* nodes: 170 tests or-ed are 3 * 170 + 1 = 511, 171 are too many */
	n = 0;
	for (k = 0; k < 171; k++) {
		if (k > 0) {
			memcpy(buf + n, " or ", 4);
			n += 4;
		}
		memcpy(buf + n, k == 169 ? "c == 1" : "a == 2", 6);
		n += 6;
		if (k == 169)
			assert_int_equal(filter_parse(&f, buf, n, &e), 0);
	}
	assert_int_equal(filter_bind(f, &header, &e), 0);
	mkrow(&t, R("", "", "", "", "1", "", "1"));
	assert_true(filter_eval(f, &t.row));
	mkrow(&t, R("", "", "", "", "1", "", "0"));
	assert_false(filter_eval(f, &t.row));
	filter_free(f);
	assert_int_equal(filter_parse(&f, buf, n, &e), ERR_DATA);
	assert_null(f);
	/* the 512th slot went to the 171st test's second operand */
	assert_string_equal(e.msg, "at column 1701: more than 512 nodes");

	/* a long in list: a and 510 items and the test are 512 nodes */
	n = 0;
	memcpy(buf + n, "a in (", 6);
	n += 6;
	for (k = 0; k < 510; k++) {
		memcpy(buf + n, k == 0 ? "1" : ",1", k == 0 ? 1 : 2);
		n += k == 0 ? 1 : 2;
	}
	buf[n++] = ')';
	assert_int_equal(filter_parse(&f, buf, n, &e), 0);
	filter_free(f);
	memcpy(buf + n - 1, ",1)", 3);
	n += 2;
	assert_int_equal(filter_parse(&f, buf, n, &e), ERR_DATA);
	assert_string_equal(e.msg, "at column 1: more than 512 nodes");

	free(buf);
	assert_int_equal(mem_live(), live);
}

static void
test_bind(void **state)
{
	static char *other_names[] = { "kind", "b", "zz", "a" };
	static const struct rec_header other = { 4, other_names };
	static char *lacking_names[] = { "kind", "a" };
	static const struct rec_header lacking = { 2, lacking_names };
	const char *expr = "a == 1 and b is empty";
	struct filter *f;
	struct err e;
	struct trow t;

	(void)state;
	err_clear(&e);
	assert_int_equal(filter_parse(&f, expr, strlen(expr), &e), 0);
	/* before any bind, fields read as empty */
	mkrow(&t, R("", "", "", "", "1", "", ""));
	assert_false(filter_eval(f, &t.row));
	assert_int_equal(filter_bind(f, &header, &e), 0);
	assert_true(filter_eval(f, &t.row));
	/* rebinding to another header moves the indexes */
	assert_int_equal(filter_bind(f, &other, &e), 0);
	mkrow(&t, "event\t\t9\t1");
	assert_true(filter_eval(f, &t.row));
	mkrow(&t, "event\tx\t9\t1");
	assert_false(filter_eval(f, &t.row));
	/* a header without a field: error, and the binding stays */
	err_clear(&e);
	assert_int_equal(filter_bind(f, &lacking, &e), ERR_DATA);
	assert_string_equal(e.msg, "no field 'b'");
	mkrow(&t, "event\t\t9\t1");
	assert_true(filter_eval(f, &t.row));
	/* a row shorter than the header: the missing field reads as empty */
	mkrow(&t, "event\t");
	assert_false(filter_eval(f, &t.row));
	filter_free(f);
	filter_free(NULL);

	/* literals only: binds to anything */
	assert_int_equal(filter_parse(&f, "1 == 1", 6, &e), 0);
	assert_int_equal(filter_bind(f, &lacking, &e), 0);
	assert_true(filter_eval(f, &t.row));
	filter_free(f);
}

static void
test_fields(void **state)
{
	const char *expr = "b == 1 and a == b or c in (a, 'x', b) or "
	    "minutes is empty and 'b' == 1";
	const char *const *names;
	struct filter *f;
	struct err e;
	size_t n;

	(void)state;
	assert_int_equal(filter_parse(&f, expr, strlen(expr), &e), 0);
	n = filter_fields(f, &names);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "b");
	assert_string_equal(names[1], "a");
	assert_string_equal(names[2], "c");
	assert_string_equal(names[3], "minutes");
	filter_free(f);
	assert_int_equal(filter_parse(&f, "'a' == 1", 8, &e), 0);
	assert_int_equal(filter_fields(f, &names), 0);
	filter_free(f);
}

static void
test_oom(void **state)
{
	const char *expr = "state == 'closed' and light in ('green', 'yellow') "
	    "or not (minutes >= 60.5) and reported is not empty or a < b";
	struct filter *f;
	struct err e;
	struct trow t;
	long live = mem_live(), n;
	int rc = -1;

	(void)state;
	mkrow(&t, R("closed", "yellow", "", "", "", "", ""));
	for (n = 0; rc != 0; n++) {
		assert_true(n < 100);
		err_clear(&e);
		mem_fail_after(n);
		rc = filter_parse(&f, expr, strlen(expr), &e);
		if (rc == 0)
			rc = filter_bind(f, &header, &e);
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			if (f != NULL)
				filter_free(f);
			assert_int_equal(mem_live(), live);
			continue;
		}
		assert_true(filter_eval(f, &t.row));
		filter_free(f);
	}
	assert_true(n > 3);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_no_values_in_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
