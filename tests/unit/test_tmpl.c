/* test_tmpl.c - unit tests of lib/tmpl */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "mem.h"
#include "tmpl.h"

/* The data every test renders against:
 *   name: "三里屯 <script>", bold: "**x**", rate: "0.8765", n: "1234.5",
 *   neg: "-2.5", na: "n/a", empty: "", word: "abc", yes: true, no: false,
 *   grids: [{code: "G1", v: "1"}, {code: "G2", v: "2"}], none: [],
 *   tags: ["a", "b"], p: {q: {r: "deep"}, name: "inner"} */
static struct tmpl_val *
data(void)
{
	struct tmpl_val *m, *l, *g, *p, *q;

	if ((m = tmpl_val_map()) == NULL)
		return NULL;
	if (tmpl_map_set(m, "name", tmpl_val_str("三里屯 <script>")) ||
	    tmpl_map_set(m, "bold", tmpl_val_str("**x**")) ||
	    tmpl_map_set(m, "rate", tmpl_val_str("0.8765")) ||
	    tmpl_map_set(m, "n", tmpl_val_str("1234.5")) ||
	    tmpl_map_set(m, "neg", tmpl_val_num(-2.5, 2)) ||
	    tmpl_map_set(m, "na", tmpl_val_num(NAN, 2)) ||
	    tmpl_map_set(m, "empty", tmpl_val_str("")) ||
	    tmpl_map_set(m, "word", tmpl_val_strn("abcdef", 3)) ||
	    tmpl_map_set(m, "yes", tmpl_val_bool(true)) ||
	    tmpl_map_set(m, "no", tmpl_val_bool(false)) ||
	    tmpl_map_set(m, "none", tmpl_val_list()))
		goto fail;
	if (tmpl_map_set(m, "grids", l = tmpl_val_list()) != 0)
		goto fail;
	if (tmpl_list_push(l, g = tmpl_val_map()) != 0 ||
	    tmpl_map_set(g, "code", tmpl_val_str("G1")) ||
	    tmpl_map_set(g, "v", tmpl_val_str("1")) ||
	    tmpl_list_push(l, g = tmpl_val_map()) != 0 ||
	    tmpl_map_set(g, "code", tmpl_val_str("G2")) ||
	    tmpl_map_set(g, "v", tmpl_val_str("2")))
		goto fail;
	if (tmpl_map_set(m, "tags", l = tmpl_val_list()) != 0 ||
	    tmpl_list_push(l, tmpl_val_str("a")) ||
	    tmpl_list_push(l, tmpl_val_str("b")))
		goto fail;
	if (tmpl_map_set(m, "p", p = tmpl_val_map()) != 0 ||
	    tmpl_map_set(p, "name", tmpl_val_str("inner")) ||
	    tmpl_map_set(p, "q", q = tmpl_val_map()) ||
	    tmpl_map_set(q, "r", tmpl_val_str("deep")))
		goto fail;
	return m;
fail:
	tmpl_val_free(m);
	return NULL;
}

/* Render src with esc against data(); expect want (NULL: expect failure
 * with code, line and message part msg). */
static void
check(const char *src, enum tmpl_esc esc, const char *want, int code,
    long line, const char *msg)
{
	struct tmpl *t = NULL;
	struct tmpl_val *d;
	struct buf out = BUF_INIT;
	struct err e;
	long live = mem_live();
	int r;

	err_clear(&e);
	d = data();
	assert_non_null(d);
	r = tmpl_compile(&t, src, strlen(src), "t.md", NULL, &e);
	if (r == 0) {
		assert_non_null(t);
		assert_int_equal(buf_add(&out, "", 0), 0);
		r = tmpl_render(t, d, esc, &out, &e);
	} else
		assert_null(t);
	if (want != NULL) {
		if (r != 0)
			fail_msg("'%s': %s (line %ld)", src, e.msg, e.line);
		assert_string_equal(out.p, want);
	} else {
		assert_int_equal(r, code);
		assert_int_equal(e.code, code);
		assert_string_equal(e.file, "t.md");
		assert_int_equal(e.line, line);
		if (strstr(e.msg, msg) == NULL)
			fail_msg("message '%s' lacks '%s'", e.msg, msg);
		/* nothing of a failed render is left in out */
		assert_int_equal(out.len, 0);
	}
	buf_free(&out);
	tmpl_free(t);
	tmpl_val_free(d);
	assert_int_equal(mem_live(), live);
}

static void
ok(const char *src, const char *want)
{
	check(src, TMPL_TXT, want, 0, 0, NULL);
}

static void
bad(const char *src, long line, const char *msg)
{
	check(src, TMPL_TXT, NULL, ERR_DATA, line, msg);
}

static void
test_variables(void **state)
{
	(void)state;
	ok("", "");
	ok("plain text } { }}", "plain text } { }}");
	ok("a {{word}} b", "a abc b");
	ok("{{ word }}|{{{word}}}|{{& word}}|{{&word}}", "abc|abc|abc|abc");
	ok("{{p.name}} {{p.q.r}}", "inner deep");
	ok("{{yes}} {{no}}", "true false");
	ok("[{{empty}}]", "[]");
	ok("{{neg}} {{na}}", "-2.5 n/a");
	ok("中文{{name}}", "中文三里屯 <script>");
}

static void
test_sections(void **state)
{
	(void)state;
	ok("{{#grids}}{{code}}={{v}};{{/grids}}", "G1=1;G2=2;");
	ok("{{#tags}}<{{.}}>{{/tags}}", "<a><b>");
	/* outer names are seen from inside */
	ok("{{#grids}}{{code}}:{{word}} {{/grids}}", "G1:abc G2:abc ");
	ok("{{#p}}{{name}}/{{q.r}}{{/p}}", "inner/deep");
	ok("{{#p.q}}{{r}}{{/p.q}}", "deep");
	ok("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", "Y");
	ok("{{#word}}[{{.}}]{{/word}}{{#empty}}E{{/empty}}", "[abc]");
	ok("{{#none}}x{{/none}}-", "-");
	ok("{{^none}}empty{{/none}}", "empty");
	ok("{{^grids}}empty{{/grids}}", "");
	ok("{{^missing}}no such{{/missing}}", "no such");
	ok("{{^no}}F{{/no}}{{^yes}}T{{/yes}}{{^empty}}E{{/empty}}", "FE");
	ok("{{#grids}}{{#tags}}{{code}}{{.}} {{/tags}}{{/grids}}",
	    "G1a G1b G2a G2b ");
	ok("a{{! a comment\n over lines }}b", "ab");
}

static void
test_standalone(void **state)
{
	(void)state;
	ok("| a |\n|---|\n{{#grids}}\n| {{code}} |\n{{/grids}}\nend\n",
	    "| a |\n|---|\n| G1 |\n| G2 |\nend\n");
	ok("  {{#yes}}  \r\nx\n\t{{/yes}}\n", "x\n");
	ok("{{! c }}\nx", "x");
	ok("a {{#yes}}\nx{{/yes}} b", "a \nx b");
	ok("{{#yes}}{{/yes}}\n", "\n");
	ok("x\n{{^no}}\n{{/no}}", "x\n");
}

static void
test_filters(void **state)
{
	(void)state;
	ok("{{rate | pct:1}}", "87.7%");
	ok("{{rate|pct:0}} {{rate | pct}}", "88% 87.65%");
	ok("{{rate | num:2}} {{n | num:3}} {{n|num}}", "0.88 1234.500 1234.5");
	ok("{{n | int}} {{neg | int}} {{neg|num:0}}", "1234 -2 -2");
	ok("{{n | num:0}}", "1234");
	ok("{{{rate | pct:2}}}", "87.65%");
	ok("{{na | pct:1}}|{{empty | num:2}}|", "n/a||");
	check("{{neg | num:1}}", TMPL_MD, "-2.5", 0, 0, NULL);
	check("{{rate | pct:1}}", TMPL_HTML, "87.7%", 0, 0, NULL);
}

static void
test_escape(void **state)
{
	(void)state;
	check("<b>{{name}}</b>", TMPL_HTML,
	    "<b>三里屯 &lt;script&gt;</b>", 0, 0, NULL);
	check("{{{name}}}", TMPL_HTML, "三里屯 <script>", 0, 0, NULL);
	check("{{bold}} {{name}}", TMPL_MD,
	    "\\*\\*x\\*\\* 三里屯 \\<script\\>", 0, 0, NULL);
	check("{{bold}} {{name}}", TMPL_TXT, "**x** 三里屯 <script>", 0, 0,
	    NULL);
	check("{{bold}} {{name}}", TMPL_NONE, "**x** 三里屯 <script>", 0, 0,
	    NULL);
	check("{{&bold}}", TMPL_MD, "**x**", 0, 0, NULL);
}

static void
esc(const char *prefix, const char *s, enum tmpl_esc mode, const char *want)
{
	struct buf out = BUF_INIT;
	long live = mem_live();

	assert_int_equal(buf_adds(&out, prefix), 0);
	assert_int_equal(tmpl_escape(&out, s, strlen(s), mode), 0);
	assert_string_equal(out.p, want);
	buf_free(&out);
	assert_int_equal(mem_live(), live);
}

static void
test_escape_rules(void **state)
{
	(void)state;
	esc("", "a&b<c>d\"e'f", TMPL_HTML, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	esc("", "\\`*_{}[]<>()|~&", TMPL_MD,
	    "\\\\\\`\\*\\_\\{\\}\\[\\]\\<\\>\\(\\)\\|\\~\\&");
	/* line-start characters: only at the start of a line */
	esc("", "# h", TMPL_MD, "\\# h");
	esc("", "- x", TMPL_MD, "\\- x");
	esc("text ", "- x + y = z # 1.", TMPL_MD, "text - x + y = z # 1.");
	esc("  ", "+", TMPL_MD, "  \\+");
	esc("a\n", "===", TMPL_MD, "a\n\\===");
	esc("x", "\n-a", TMPL_MD, "x\n\\-a");
	/* ordered list markers */
	esc("", "1. x 2.5", TMPL_MD, "1\\. x 2.5");
	esc("12", ". x", TMPL_MD, "12\\. x");
	esc("a 12", ". x", TMPL_MD, "a 12. x");
	esc("", "2017-03-14 3.5", TMPL_MD, "2017-03-14 3.5");
	esc("", "1) x", TMPL_MD, "1\\) x");
	esc("", "![i](u)", TMPL_MD, "!\\[i\\]\\(u\\)");
	esc("", "<&>", TMPL_TXT, "<&>");
	esc("", "", TMPL_HTML, "");
}

static int
lookup(void *ctx, const char *name, const char **src, size_t *n)
{
	(void)ctx;
	if (strcmp(name, "cb") == 0) {
		*src = "cb:{{word}}";
		*n = strlen(*src);
		return 0;
	}
	if (strcmp(name, "loop") == 0) {
		*src = "L{{> loop}}";
		*n = strlen(*src);
		return 0;
	}
	if (strcmp(name, "badpart") == 0) {
		*src = "x\n{{#a}}";
		*n = strlen(*src);
		return 0;
	}
	if (strcmp(name, "unk") == 0) {
		*src = "x\ny\n{{nosuch}}";
		*n = strlen(*src);
		return 0;
	}
	return -1;
}

/* Compile src with the partials; render against root; check. */
static int
prender(const char *src, const struct tmpl_val *root, struct buf *out,
    struct err *e)
{
	static const char *const names[] = { "row", "tree", "empty" };
	static const char *const srcs[] = {
		"<{{code}}>",
		"{{name}}{{#kids}}({{> tree}}){{/kids}}",
		""
	};
	struct tmpl_partials p = { names, srcs, NULL, 3, lookup, NULL };
	struct tmpl *t;
	int r;

	err_clear(e);
	if ((r = tmpl_compile(&t, src, strlen(src), "main", &p, e)) != 0) {
		assert_null(t);
		return r;
	}
	r = tmpl_render(t, root, TMPL_TXT, out, e);
	tmpl_free(t);
	return r;
}

static void
test_partials(void **state)
{
	struct tmpl_val *d, *tree, *kids, *k;
	struct buf out = BUF_INIT;
	struct err e;
	long live = mem_live();
	int i;

	(void)state;
	d = data();
	assert_int_equal(prender("{{#grids}}{{> row}}{{/grids}}|{{> cb}}|"
	    "{{>empty}}", d, &out, &e), 0);
	assert_string_equal(out.p, "<G1><G2>|cb:abc|");
	buf_reset(&out);

	/* standalone partial line */
	assert_int_equal(prender("a\n  {{> cb}}\nb", d, &out, &e), 0);
	assert_string_equal(out.p, "a\ncb:abcb");
	buf_reset(&out);

	/* recursion ending on the data: 3 levels */
	assert_non_null(tree = tmpl_val_map());
	assert_int_equal(tmpl_map_set(tree, "name", tmpl_val_str("r")), 0);
	k = tree;
	for (i = 0; i < 3; i++) {
		assert_int_equal(tmpl_map_set(k, "kids",
		    kids = tmpl_val_list()), 0);
		assert_int_equal(tmpl_list_push(kids, k = tmpl_val_map()), 0);
		assert_int_equal(tmpl_map_set(k, "name", tmpl_val_num(i, 0)),
		    0);
		assert_int_equal(tmpl_map_set(k, "kids", tmpl_val_list()), 0);
	}
	assert_int_equal(prender("{{> tree}}", tree, &out, &e), 0);
	assert_string_equal(out.p, "r(0(1(2)))");
	buf_reset(&out);

	/* 16 levels pass, 17 fail */
	for (i = 3; i < 17; i++) {
		kids = tmpl_map_get_mut(k, "kids");
		assert_int_equal(tmpl_list_push(kids, k = tmpl_val_map()), 0);
		assert_int_equal(tmpl_map_set(k, "name", tmpl_val_str("x")),
		    0);
		assert_int_equal(tmpl_map_set(k, "kids", tmpl_val_list()), 0);
		buf_reset(&out);
		if (i < 15)
			assert_int_equal(prender("{{> tree}}", tree, &out, &e),
			    0);
	}
	assert_int_equal(prender("{{#kids}}{{> tree}}{{/kids}}", tree, &out,
	    &e), ERR_DATA);
	assert_string_equal(e.file, "tree");
	assert_int_equal(e.line, 1);
	assert_non_null(strstr(e.msg, "partials nested deeper than 16"));
	assert_int_equal(out.len, 0);
	tmpl_val_free(tree);

	/* endless recursion stops */
	assert_int_equal(prender("x{{> loop}}", d, &out, &e), ERR_DATA);
	assert_string_equal(e.file, "loop");
	assert_int_equal(out.len, 0);

	/* unknown and broken partials */
	assert_int_equal(prender("a\n{{> nope}}", d, &out, &e), ERR_DATA);
	assert_string_equal(e.file, "main");
	assert_int_equal(e.line, 2);
	assert_string_equal(e.msg, "unknown partial 'nope'");
	assert_int_equal(prender("{{> badpart}}", d, &out, &e), ERR_DATA);
	assert_string_equal(e.file, "badpart");
	assert_int_equal(e.line, 2);
	assert_string_equal(e.msg, "unclosed section 'a'");
	assert_int_equal(prender("{{> unk}}", d, &out, &e), ERR_DATA);
	assert_string_equal(e.file, "unk");
	assert_int_equal(e.line, 3);
	assert_string_equal(e.msg, "unknown placeholder 'nosuch'");

	/* no partials given */
	err_clear(&e);
	{
		struct tmpl *t;

		assert_int_equal(tmpl_compile(&t, "{{> row}}", 9, NULL, NULL,
		    &e), ERR_DATA);
		assert_string_equal(e.file, "template");
	}
	buf_free(&out);
	tmpl_val_free(d);
	assert_int_equal(mem_live(), live);
}

static void
test_errors(void **state)
{
	(void)state;
	bad("a\n{{word", 2, "unclosed tag");
	bad("a\n\n{{{word}}", 3, "unclosed tag");
	bad("{{#grids}}\nx\n", 1, "unclosed section 'grids'");
	bad("{{#a}}\n{{#b}}\n{{/a}}", 3,
	    "closing tag 'a' does not match section 'b'");
	bad("x\n{{/a}}", 2, "closing tag without section 'a'");
	bad("\n{{rate | money}}", 2, "unknown filter 'money'");
	bad("{{rate | %}}", 1, "unknown filter");
	bad("{{rate | pct:x}}", 1, "bad filter argument");
	bad("{{rate | pct:12}}", 1, "bad filter argument");
	bad("{{rate | int:1}}", 1, "bad filter argument");
	bad("{{rate | pct:}}", 1, "bad filter argument");
	bad("{{}}", 1, "empty tag");
	bad("{{ | pct}}", 1, "empty tag");
	bad("{{a..b}}", 1, "bad placeholder name");
	bad("{{a b}}", 1, "bad placeholder name");
	bad("{{.a}}", 1, "bad placeholder name");
	bad("{{=<% %>=}}", 1, "set delimiters not supported");
	/* render errors */
	bad("line 1\n{{x}}", 2, "unknown placeholder 'x'");
	bad("{{p.nope}}", 1, "unknown placeholder 'p.nope'");
	bad("{{word.x}}", 1, "unknown placeholder 'word.x'");
	bad("\n\n{{#missing}}x{{/missing}}", 3, "unknown placeholder 'missing'");
	bad("{{#grids}}\n{{nope}}{{/grids}}", 2, "unknown placeholder 'nope'");
	bad("{{grids}}", 1, "placeholder 'grids' is a list");
	bad("{{p}}", 1, "placeholder 'p' is a map");
	bad("{{word | num:1}}", 1, "placeholder 'word' is not a number");
	bad("{{name | pct}}", 1, "placeholder 'name' is not a number");
}

static void
test_errors_hold_no_values(void **state)
{
	struct tmpl *t;
	struct tmpl_val *d;
	struct buf out = BUF_INIT;
	struct err e;

	(void)state;
	d = data();
	err_clear(&e);
	assert_int_equal(tmpl_compile(&t, "{{name|int}}", 12, "n", NULL, &e),
	    0);
	assert_int_equal(tmpl_render(t, d, TMPL_HTML, &out, &e), ERR_DATA);
	assert_null(strstr(e.msg, "三里屯"));
	tmpl_free(t);
	buf_free(&out);
	tmpl_val_free(d);
}

static void
test_deep_nesting(void **state)
{
	struct buf src = BUF_INIT;
	struct tmpl *t;
	struct err e;
	int i;

	(void)state;
	for (i = 0; i < TMPL_MAX_NEST; i++)
		assert_int_equal(buf_adds(&src, "{{#a}}"), 0);
	for (i = 0; i < TMPL_MAX_NEST; i++)
		assert_int_equal(buf_adds(&src, "{{/a}}"), 0);
	err_clear(&e);
	assert_int_equal(tmpl_compile(&t, src.p, src.len, "d", NULL, &e), 0);
	tmpl_free(t);
	buf_reset(&src);
	for (i = 0; i <= TMPL_MAX_NEST; i++)
		assert_int_equal(buf_adds(&src, "{{#a}}"), 0);
	assert_int_equal(tmpl_compile(&t, src.p, src.len, "d", NULL, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "sections nested too deep");
	buf_free(&src);
}

static void
test_values(void **state)
{
	struct tmpl_val *m, *l, *v;
	size_t n;
	long live = mem_live();

	(void)state;
	m = tmpl_val_map();
	assert_int_equal(tmpl_val_type(m), TMPL_MAP);
	assert_int_equal(tmpl_map_set(m, "a", tmpl_val_str("1")), 0);
	assert_int_equal(tmpl_map_set(m, "b", tmpl_val_str("2")), 0);
	/* replacing keeps one key */
	assert_int_equal(tmpl_map_set(m, "a", tmpl_val_str("3")), 0);
	assert_int_equal(tmpl_map_len(m), 2);
	assert_string_equal(tmpl_val_cstr(tmpl_map_get(m, "a"), &n), "3");
	assert_int_equal(n, 1);
	assert_null(tmpl_map_get(m, "zz"));
	assert_null(tmpl_map_get(NULL, "a"));
	assert_null(tmpl_val_cstr(m, &n));
	assert_int_equal(n, 0);
	/* wrong use frees what was given */
	assert_int_equal(tmpl_map_set(NULL, "a", tmpl_val_str("x")), -1);
	assert_int_equal(tmpl_map_set(m, "a", NULL), -1);
	assert_int_equal(tmpl_list_push(m, tmpl_val_str("x")), -1);
	assert_int_equal(tmpl_list_push(NULL, tmpl_val_bool(true)), -1);
	l = tmpl_val_list();
	assert_int_equal(tmpl_map_set(l, "a", tmpl_val_str("x")), -1);
	for (n = 0; n < 100; n++)
		assert_int_equal(tmpl_list_push(l, tmpl_val_num((double)n,
		    0)), 0);
	assert_int_equal(tmpl_list_len(l), 100);
	assert_string_equal(tmpl_val_cstr(tmpl_list_get(l, 42), NULL), "42");
	assert_null(tmpl_list_get(l, 100));
	assert_null(tmpl_list_get(m, 0));
	assert_int_equal(tmpl_list_len(m), 0);
	assert_int_equal(tmpl_map_len(l), 0);
	assert_false(tmpl_val_truth(NULL));
	assert_true(tmpl_val_truth(l));
	assert_true(tmpl_val_truth(m));
	assert_int_equal(tmpl_map_set(m, "l", l), 0);
	v = tmpl_val_num(0.125, 2);
	assert_string_equal(tmpl_val_cstr(v, NULL), "0.12");
	tmpl_val_free(v);
	v = tmpl_val_num(1.0 / 3, -1);
	assert_string_equal(tmpl_val_cstr(v, NULL), "0.3333333333333333");
	tmpl_val_free(v);
	v = tmpl_val_num(INFINITY, 1);
	assert_string_equal(tmpl_val_cstr(v, NULL), "n/a");
	tmpl_val_free(v);
	v = tmpl_val_str(NULL);
	assert_string_equal(tmpl_val_cstr(v, NULL), "");
	assert_false(tmpl_val_truth(v));
	tmpl_val_free(v);
	tmpl_val_free(m);
	tmpl_val_free(NULL);
	tmpl_free(NULL);
	assert_int_equal(mem_live(), live);
}

/* Null root: a template without names renders; one with names fails. */
static void
test_null_root(void **state)
{
	struct tmpl *t;
	struct buf out = BUF_INIT;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(tmpl_compile(&t, "x{{^a}}y{{/a}}{{! c}}", 21, "n",
	    NULL, &e), 0);
	assert_int_equal(tmpl_render(t, NULL, TMPL_MD, &out, &e), 0);
	assert_string_equal(out.p, "xy");
	tmpl_free(t);
	assert_int_equal(tmpl_compile(&t, "{{.}}", 5, "n", NULL, &e), 0);
	assert_int_equal(tmpl_render(t, NULL, TMPL_MD, &out, &e), ERR_DATA);
	assert_string_equal(out.p, "xy");
	tmpl_free(t);
	buf_free(&out);
}

/* Fail every allocation in turn: a clean error or success, no leak. */
static void
test_oom(void **state)
{
	static const char src[] =
	    "# {{name}}\n{{#grids}}\n| {{code}} | {{v|num:1}} |\n{{/grids}}\n"
	    "{{> row}}{{^none}}{{bold}}{{/none}}{{#p}}{{q.r}}{{/p}}\n";
	static const char *const names[] = { "row" };
	static const char *const srcs[] = { "{{#tags}}{{.}}{{/tags}}" };
	struct tmpl_partials p = { names, srcs, NULL, 1, NULL, NULL };
	struct tmpl_val *d;
	struct tmpl *t;
	struct buf out;
	struct err e;
	long live = mem_live(), n;
	int r, done = 0;

	(void)state;
	for (n = 0; !done; n++) {
		memset(&out, 0, sizeof(out));
		err_clear(&e);
		mem_fail_after(n);
		t = NULL;
		d = data();
		r = d == NULL ? ERR_INTERNAL :
		    tmpl_compile(&t, src, strlen(src), "oom", &p, &e);
		if (r == 0)
			r = tmpl_render(t, d, TMPL_MD, &out, &e);
		mem_fail_after(-1);
		if (r == 0) {
			assert_string_equal(out.p, "# 三里屯 \\<script\\>\n"
			    "| G1 | 1.0 |\n| G2 | 2.0 |\nab\\*\\*x\\*\\*deep\n");
			done = 1;
		} else if (d != NULL) {
			assert_int_equal(r, ERR_INTERNAL);
			assert_int_equal(out.len, 0);
		}
		buf_free(&out);
		tmpl_free(t);
		tmpl_val_free(d);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 10);
}

/* 5,000 rows render quickly enough (the report's grid table). */
static void
test_many_rows(void **state)
{
	static const char src[] = "{{#rows}}| {{code}} | {{name}} | "
	    "{{rate|pct:1}} |\n{{/rows}}";
	struct tmpl_val *root, *rows, *r;
	struct buf out = BUF_INIT;
	struct tmpl *t;
	struct err e;
	char code[32];
	int i;

	(void)state;
	root = tmpl_val_map();
	assert_int_equal(tmpl_map_set(root, "rows", rows = tmpl_val_list()),
	    0);
	for (i = 0; i < 5000; i++) {
		snprintf(code, sizeof(code), "G%05d", i);
		assert_int_equal(tmpl_list_push(rows, r = tmpl_val_map()), 0);
		assert_int_equal(tmpl_map_set(r, "code", tmpl_val_str(code)),
		    0);
		assert_int_equal(tmpl_map_set(r, "name",
		    tmpl_val_str("网格_1")), 0);
		assert_int_equal(tmpl_map_set(r, "rate",
		    tmpl_val_num(i / 5000.0, 4)), 0);
	}
	err_clear(&e);
	assert_int_equal(tmpl_compile(&t, src, strlen(src), "rows", NULL, &e),
	    0);
	assert_int_equal(tmpl_render(t, root, TMPL_MD, &out, &e), 0);
	assert_non_null(strstr(out.p, "| G04999 | 网格\\_1 | 100.0% |\n"));
	assert_non_null(strstr(out.p, "| G00001 | 网格\\_1 | 0.0% |\n"));
	tmpl_free(t);
	tmpl_val_free(root);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_standalone),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_rules),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_hold_no_values),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_null_root),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_many_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
