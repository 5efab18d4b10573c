/* test_yamlcfg.c - unit tests of lib/yamlcfg */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "yamlcfg.h"

/* Load a NUL-terminated string; return the code, tree in *root. */
static int
load(struct yamlcfg_node **root, const char *s, struct err *e)
{
	err_clear(e);
	return yamlcfg_load_string(root, s, strlen(s), "t.yaml", e);
}

/* Expect s to be refused with ERR_DATA at line, message containing msg. */
static void
refused(const char *s, long line, const char *msg)
{
	struct yamlcfg_node *root = (struct yamlcfg_node *)1;
	struct err e;
	long live = mem_live();

	assert_int_equal(load(&root, s, &e), ERR_DATA);
	assert_null(root);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.file, "t.yaml");
	assert_int_equal(e.line, line);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", e.msg, msg);
	assert_int_equal(mem_live(), live);
}

static void
test_tree(void **state)
{
	static const char doc[] =
	    "# comment\n"
	    "a: 1\n"
	    "b: [x, 'y', \"z\"]\n"
	    "c:\n"
	    "  - d: e\n"
	    "    f:\n"
	    "  - |\n"
	    "    block\n"
	    "g: {h: i}\n";
	struct yamlcfg_node *root;
	const struct yamlcfg_node *n, *m;
	struct err e;
	long live = mem_live();

	(void)state;
	assert_int_equal(load(&root, doc, &e), 0);
	assert_non_null(root);
	assert_int_equal(root->type, YAMLCFG_MAP);
	assert_int_equal(root->n, 4);
	assert_int_equal(root->line, 2);
	assert_int_equal(root->col, 1);
	assert_null(root->str);

	/* keys in file order, key then value */
	assert_string_equal(root->items[0]->str, "a");
	assert_string_equal(root->items[2]->str, "b");
	assert_string_equal(root->items[4]->str, "c");
	assert_string_equal(root->items[6]->str, "g");

	n = yamlcfg_get(root, "a");
	assert_non_null(n);
	assert_int_equal(n->type, YAMLCFG_SCALAR);
	assert_string_equal(n->str, "1");
	assert_int_equal(n->len, 1);
	assert_false(n->quoted);
	assert_int_equal(n->line, 2);
	assert_int_equal(n->col, 4);

	n = yamlcfg_get(root, "b");
	assert_int_equal(n->type, YAMLCFG_SEQ);
	assert_int_equal(n->n, 3);
	assert_int_equal(n->line, 3);
	assert_false(n->items[0]->quoted);
	assert_true(n->items[1]->quoted);
	assert_true(n->items[2]->quoted);
	assert_string_equal(n->items[2]->str, "z");
	assert_int_equal(n->items[2]->col, 13);

	n = yamlcfg_get(root, "c");
	assert_int_equal(n->type, YAMLCFG_SEQ);
	assert_int_equal(n->n, 2);
	m = n->items[0];
	assert_int_equal(m->type, YAMLCFG_MAP);
	assert_int_equal(m->line, 5);
	assert_string_equal(yamlcfg_get(m, "d")->str, "e");
	/* an empty plain value is an empty unquoted scalar */
	assert_int_equal(yamlcfg_get(m, "f")->type, YAMLCFG_SCALAR);
	assert_int_equal(yamlcfg_get(m, "f")->len, 0);
	assert_false(yamlcfg_get(m, "f")->quoted);
	/* block scalars count as quoted: never typed */
	assert_string_equal(n->items[1]->str, "block\n");
	assert_true(n->items[1]->quoted);
	assert_int_equal(n->items[1]->line, 7);

	n = yamlcfg_get(root, "g");
	assert_int_equal(n->type, YAMLCFG_MAP);
	assert_string_equal(yamlcfg_get(n, "h")->str, "i");

	assert_null(yamlcfg_get(root, "zz"));
	assert_null(yamlcfg_get(NULL, "a"));
	assert_null(yamlcfg_get(yamlcfg_get(root, "a"), "a"));
	assert_null(yamlcfg_get(yamlcfg_get(root, "b"), "x"));
	yamlcfg_free(root);
	yamlcfg_free(NULL);
	assert_int_equal(mem_live(), live);
}

static void
test_root_kinds(void **state)
{
	struct yamlcfg_node *root;
	struct err e;

	(void)state;
	assert_int_equal(load(&root, "- 1\n- 2\n", &e), 0);
	assert_int_equal(root->type, YAMLCFG_SEQ);
	assert_int_equal(root->n, 2);
	yamlcfg_free(root);

	assert_int_equal(load(&root, "hello\n", &e), 0);
	assert_int_equal(root->type, YAMLCFG_SCALAR);
	assert_string_equal(root->str, "hello");
	yamlcfg_free(root);

	/* a quoted empty root is a value, not an empty document */
	assert_int_equal(load(&root, "''\n", &e), 0);
	assert_non_null(root);
	assert_true(root->quoted);
	assert_int_equal(root->len, 0);
	yamlcfg_free(root);

	/* one explicit document, with its end marker, is fine */
	assert_int_equal(load(&root, "---\na: 1\n...\n", &e), 0);
	assert_int_equal(root->type, YAMLCFG_MAP);
	yamlcfg_free(root);

	/* UTF-8 keys and values, and a BOM */
	assert_int_equal(load(&root, "\xef\xbb\xbf性别: 男\n", &e), 0);
	assert_string_equal(yamlcfg_get(root, "性别")->str, "男");
	yamlcfg_free(root);
}

static void
test_empty(void **state)
{
	static const char *const docs[] = {
		"", "\n\n", "# only a comment\n", "---\n", "--- \n...\n",
		"---\n# nothing\n"
	};
	struct yamlcfg_node *root;
	struct err e;
	size_t i;
	long live = mem_live();

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		root = (struct yamlcfg_node *)1;
		assert_int_equal(load(&root, docs[i], &e), 0);
		assert_null(root);
	}
	root = (struct yamlcfg_node *)1;
	assert_int_equal(yamlcfg_load_string(&root, NULL, 0, "t.yaml", &e), 0);
	assert_null(root);
	assert_int_equal(mem_live(), live);
}

static void
test_syntax_line(void **state)
{
	(void)state;
	/* libyaml's 0-based marks become 1-based lines */
	refused("a: 1\nb: 2\n  c: 3\n", 3, "yaml syntax error");
	refused("a: 1\nb:\n  - x\n y: 2\n", 4, "did not find expected key");
	refused("a: [1, 2\n", 2, "yaml syntax error");
	refused("\ta: 1\n", 1, "cannot start any token");
	refused("a: \"x\\qy\"\n", 1, "unknown escape");
	/* a reader error: invalid UTF-8 on line 2 */
	refused("a: 1\nb: \xff\n", 2, "yaml syntax error");
	/* a NUL byte in the input */
	{
		struct yamlcfg_node *root;
		struct err e;

		err_clear(&e);
		assert_int_equal(yamlcfg_load_string(&root, "a: 1\nb\0: 2\n",
		    11, "t.yaml", &e), ERR_DATA);
		assert_null(root);
		assert_int_equal(e.line, 2);
	}
}

static void
test_refusals(void **state)
{
	(void)state;
	refused("a: &x 1\nb: *x\n", 1, "anchors are not supported");
	refused("a: 1\nb: *x\n", 2, "aliases are not supported");
	refused("a: 1\nb:\n  - *x\n", 3, "aliases are not supported");
	refused("a: 1\nb: &y [1]\n", 2, "anchors are not supported");
	refused("a: 1\nb: &y {c: 1}\n", 2, "anchors are not supported");
	refused("a: !!str 1\n", 1, "tags are not supported");
	refused("a: 1\nb: !foo x\n", 2, "tags are not supported");
	refused("a: 1\nb: ! x\n", 2, "tags are not supported");
	refused("a: !!seq [1]\n", 1, "tags are not supported");
	refused("--- !!map\na: 1\n", 1, "tags are not supported");
	refused("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'");
	refused("x:\n  k: 1\n  j: 2\n  k: 3\n", 4, "duplicate key 'k'");
	refused("{a: 1, b: 2, a: 3}\n", 1, "duplicate key 'a'");
	/* "1" and 1 are the same key: keys are text */
	refused("1: a\n'1': b\n", 2, "duplicate key '1'");
	/* the first repeat in file order is the one named */
	refused("b: 1\na: 1\nb: 2\na: 2\n", 3, "duplicate key 'b'");
	refused("? [a, b]\n: c\n", 1, "keys must be scalars");
	refused("a: 1\n? {b: c}\n: d\n", 2, "keys must be scalars");
	refused("{[a]: b}\n", 1, "keys must be scalars");
	refused("a: 1\n---\nb: 2\n", 2, "more than one document");
	refused("---\na: 1\n---\n", 3, "more than one document");
}

static void
test_dup_key_quoted(void **state)
{
	struct yamlcfg_node *root;
	struct err e;

	(void)state;
	/* a key with a quote and a control byte is printed safely */
	assert_int_equal(load(&root, "\"a'\\tb\": 1\n\"a'\\tb\": 2\n", &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "duplicate key 'a??b'");
	/* keys differing only after a NUL are different */
	assert_int_equal(load(&root, "\"a\\0b\": 1\n\"a\\0c\": 2\n", &e), 0);
	assert_int_equal(root->n, 2);
	assert_null(yamlcfg_get(root, "a"));
	yamlcfg_free(root);
}

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);
	int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		s[i] = '[';
	for (i = 0; i < depth; i++)
		s[depth + i] = ']';
	s[2 * depth] = '\n';
	s[2 * depth + 1] = '\0';
	return s;
}

static void
test_depth(void **state)
{
	struct yamlcfg_node *root;
	struct err e;
	char *s;

	(void)state;
	s = nested(YAMLCFG_MAX_DEPTH);
	assert_int_equal(load(&root, s, &e), 0);
	assert_non_null(root);
	yamlcfg_free(root);
	free(s);

	s = nested(YAMLCFG_MAX_DEPTH + 1);
	refused(s, 1, "nesting deeper than 64 levels");
	free(s);

	/* block mappings nest too */
	{
		char doc[16384];
		size_t o = 0;
		int i;

		for (i = 0; i <= YAMLCFG_MAX_DEPTH; i++)
			o += (size_t)snprintf(doc + o, sizeof doc - o,
			    "%*sk:\n", 2 * i, "");
		snprintf(doc + o, sizeof doc - o, "%*sv\n",
		    2 * (YAMLCFG_MAX_DEPTH + 1), "");
		refused(doc, YAMLCFG_MAX_DEPTH + 1, "nesting deeper");
	}
}

static void
test_node_limit(void **state)
{
	struct yamlcfg_node *root;
	struct err e;
	size_t items = YAMLCFG_MAX_NODES - 1, i, o = 0;
	char *s = malloc(items * 2 + 8);

	(void)state;
	assert_non_null(s);
	/* the sequence and its items: exactly the limit */
	s[o++] = '[';
	for (i = 0; i < items; i++) {
		s[o++] = '0';
		s[o++] = ',';
	}
	s[o - 1] = ']';
	s[o] = '\0';
	assert_int_equal(load(&root, s, &e), 0);
	assert_int_equal(root->n, items);
	yamlcfg_free(root);
	/* one more */
	s[o - 1] = ',';
	s[o++] = '0';
	s[o++] = ']';
	s[o] = '\0';
	refused(s, 1, "more than 1000000 nodes");
	free(s);
}

static void
test_str(void **state)
{
	struct yamlcfg_node *root;
	const char *s = NULL;
	struct err e;

	(void)state;
	assert_int_equal(load(&root,
	    "a: NO\nb: yes\nc: 'q'\nd: [1]\ne: \"x\\0y\"\nf:\n", &e), 0);
	/* NO and yes are strings, not booleans */
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "a"), "t.yaml", "a", &s,
	    &e), 0);
	assert_string_equal(s, "NO");
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "b"), "t.yaml", "b", &s,
	    &e), 0);
	assert_string_equal(s, "yes");
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "c"), "t.yaml", "c", &s,
	    &e), 0);
	assert_string_equal(s, "q");
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "f"), "t.yaml", "f", &s,
	    &e), 0);
	assert_string_equal(s, "");

	err_clear(&e);
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "d"), "t.yaml", "d", &s,
	    &e), ERR_DATA);
	assert_string_equal(e.msg, "expected a string");
	assert_string_equal(e.field, "d");
	assert_string_equal(e.file, "t.yaml");
	assert_int_equal(e.line, 4);

	err_clear(&e);
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "e"), "t.yaml", "e", &s,
	    &e), ERR_DATA);
	assert_string_equal(e.msg, "contains a NUL byte");
	assert_int_equal(e.line, 5);

	err_clear(&e);
	assert_int_equal(yamlcfg_str(yamlcfg_get(root, "zz"), "t.yaml", "zz",
	    &s, &e), ERR_DATA);
	assert_string_equal(e.msg, "missing");
	assert_string_equal(e.field, "zz");
	assert_int_equal(e.line, 0);
	yamlcfg_free(root);
}

static void
test_bool(void **state)
{
	static const char *const not_bools[] = {
		"NO", "no", "yes", "Yes", "on", "off", "y", "n", "True",
		"FALSE", "1", "0", "qt", "qf", "seq", "empty"
	};
	struct yamlcfg_node *root;
	struct err e;
	bool b = false;
	size_t i;

	(void)state;
	assert_int_equal(load(&root,
	    "t: true\nf: false\nNO: NO\nno: no\nyes: yes\nYes: Yes\n"
	    "on: on\noff: off\ny: y\nn: n\nTrue: True\nFALSE: FALSE\n"
	    "1: 1\n0: 0\nqt: 'true'\nqf: \"false\"\nseq: [true]\nempty:\n",
	    &e), 0);
	assert_int_equal(yamlcfg_bool(yamlcfg_get(root, "t"), "t.yaml", "t",
	    &b, &e), 0);
	assert_true(b);
	assert_int_equal(yamlcfg_bool(yamlcfg_get(root, "f"), "t.yaml", "f",
	    &b, &e), 0);
	assert_false(b);
	for (i = 0; i < sizeof not_bools / sizeof not_bools[0]; i++) {
		b = true;
		err_clear(&e);
		assert_int_equal(yamlcfg_bool(yamlcfg_get(root, not_bools[i]),
		    "t.yaml", not_bools[i], &b, &e), ERR_DATA);
		assert_true(b);		/* untouched */
		assert_string_equal(e.msg, "expected true or false");
		assert_string_equal(e.field, not_bools[i]);
		assert_int_equal(e.line, (long)i + 3);
	}
	assert_int_equal(yamlcfg_bool(NULL, "t.yaml", "x", &b, &e), ERR_DATA);
	assert_string_equal(e.msg, "missing");
	yamlcfg_free(root);
}

static void
test_int(void **state)
{
	static const struct { const char *key; long long v; } good[] = {
		{ "a", 42 }, { "b", -7 }, { "c", 0 }, { "d", 7 },
		{ "e", 999999999999999999LL }, { "f", 12 }
	};
	static const char *const bad[] = {
		"g", "h", "i", "j", "k", "l", "m", "n", "o"
	};
	struct yamlcfg_node *root;
	struct err e;
	long long v;
	size_t i;

	(void)state;
	assert_int_equal(load(&root,
	    "a: 42\nb: -7\nc: 0\nd: +7\ne: 999999999999999999\nf: 012\n"
	    "g: 1000000000000000000\nh: 1.5\ni: 0x10\nj: '3'\nk: [1]\n"
	    "l: 1e3\nm: 1_000\nn:\no: 1-2\n", &e), 0);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(yamlcfg_int(yamlcfg_get(root, good[i].key),
		    "t.yaml", good[i].key, &v, &e), 0);
		assert_true(v == good[i].v);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 5;
		err_clear(&e);
		assert_int_equal(yamlcfg_int(yamlcfg_get(root, bad[i]),
		    "t.yaml", bad[i], &v, &e), ERR_DATA);
		assert_true(v == 5);
		assert_string_equal(e.msg, "expected an integer");
		assert_string_equal(e.field, bad[i]);
		assert_int_equal(e.line, (long)i + 7);
	}
	assert_int_equal(yamlcfg_int(NULL, "t.yaml", "x", &v, &e), ERR_DATA);
	yamlcfg_free(root);
}

static void
test_double(void **state)
{
	static const struct { const char *key; double v; } good[] = {
		{ "a", 1.5 }, { "b", -0.25 }, { "c", 3 }, { "d", 0.5 },
		{ "e", 12 }
	};
	static const char *const bad[] = {
		"f", "g", "h", "i", "j", "k", "l", "m"
	};
	struct yamlcfg_node *root;
	struct err e;
	double v;
	size_t i;

	(void)state;
	assert_int_equal(load(&root,
	    "a: 1.5\nb: -0.25\nc: 3\nd: .5\ne: 12.\n"
	    "f: 1e3\ng: 1,5\nh: .inf\ni: .nan\nj: '1.5'\nk: {x: 1}\nl:\n"
	    "m: 1 000\n", &e), 0);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(yamlcfg_double(yamlcfg_get(root, good[i].key),
		    "t.yaml", good[i].key, &v, &e), 0);
		assert_true(v == good[i].v);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 5;
		err_clear(&e);
		assert_int_equal(yamlcfg_double(yamlcfg_get(root, bad[i]),
		    "t.yaml", bad[i], &v, &e), ERR_DATA);
		assert_true(v == 5);
		assert_string_equal(e.msg, "expected a decimal number");
		assert_int_equal(e.line, (long)i + 6);
	}
	assert_int_equal(yamlcfg_double(NULL, "t.yaml", "x", &v, &e), ERR_DATA);
	yamlcfg_free(root);
}

static void
test_check_keys(void **state)
{
	static const char *const allowed[] = { "kind", "fields", NULL };
	static const char *const none[] = { NULL };
	struct yamlcfg_node *root;
	struct err e;

	(void)state;
	assert_int_equal(load(&root, "kind: x\nfields: []\n", &e), 0);
	assert_int_equal(yamlcfg_check_keys(root, "t.yaml", allowed, &e), 0);
	yamlcfg_free(root);

	assert_int_equal(load(&root, "{}", &e), 0);
	assert_int_equal(yamlcfg_check_keys(root, "t.yaml", none, &e), 0);
	yamlcfg_free(root);

	assert_int_equal(load(&root, "kind: x\nfeilds: []\nzz: 1\n", &e), 0);
	err_clear(&e);
	assert_int_equal(yamlcfg_check_keys(root, "t.yaml", allowed, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "unknown key 'feilds'");
	assert_int_equal(e.line, 2);
	assert_string_equal(e.file, "t.yaml");

	/* not a mapping */
	err_clear(&e);
	assert_int_equal(yamlcfg_check_keys(yamlcfg_get(root, "feilds"),
	    "t.yaml", allowed, &e), ERR_DATA);
	assert_string_equal(e.msg, "expected a mapping");
	assert_int_equal(e.line, 2);
	err_clear(&e);
	assert_int_equal(yamlcfg_check_keys(NULL, "t.yaml", allowed, &e),
	    ERR_DATA);
	assert_int_equal(e.line, 0);
	yamlcfg_free(root);

	/* a key with a NUL never matches an allowed key */
	assert_int_equal(load(&root, "\"kind\\0x\": 1\n", &e), 0);
	assert_int_equal(yamlcfg_check_keys(root, "t.yaml", allowed, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "unknown key 'kind?x'");
	yamlcfg_free(root);
}

static void
test_key_name(void **state)
{
	char out[YAMLCFG_KEY_MAX];
	char longkey[200];

	(void)state;
	yamlcfg_key_name(out, "plain", 5);
	assert_string_equal(out, "plain");
	yamlcfg_key_name(out, "a\nb'c\x7f", 6);
	assert_string_equal(out, "a?b?c?");
	memset(longkey, 'k', sizeof longkey);
	yamlcfg_key_name(out, longkey, sizeof longkey);
	assert_int_equal(strlen(out), YAMLCFG_KEY_MAX - 1);
	assert_string_equal(out + YAMLCFG_KEY_MAX - 4, "...");
	/* cut at a character boundary: 21 three-byte characters = 63 bytes */
	{
		char cjk[64];
		int i;

		for (i = 0; i < 21; i++)
			memcpy(cjk + 3 * i, "网", 3);
		yamlcfg_key_name(out, cjk, 63);
		/* 60 bytes allowed: 20 characters, then "..." */
		assert_int_equal(strlen(out), 63);
		assert_int_equal(memcmp(out + 57, "网...", 6), 0);
	}
	/* invalid UTF-8 is cut where it starts */
	yamlcfg_key_name(out, "ab\xff" "cd", 5);
	assert_string_equal(out, "ab");
}

static void
test_no_values_in_messages(void **state)
{
	static const char *const docs[] = {
		"a: SECRET\nb: [SECRET\n",
		"a: SECRET\nSECRET: 1\n  c: SECRET\n",
		"a: &SECRET SECRET\n",
		"a: !SECRET SECRET\n",
		"a: \"SECRET\\q\"\n",
	};
	struct yamlcfg_node *root;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		assert_int_equal(load(&root, docs[i], &e), ERR_DATA);
		assert_null(strstr(e.msg, "SECRET"));
		assert_null(strstr(e.field, "SECRET"));
	}
}

static void
test_file(void **state)
{
	char dir[] = "/tmp/test_yamlcfg.XXXXXX", path[64];
	struct yamlcfg_node *root = (struct yamlcfg_node *)1;
	struct err e;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.yaml", dir);

	err_clear(&e);
	assert_int_equal(yamlcfg_load_file(&root, path, &e), ERR_NOINPUT);
	assert_null(root);
	assert_string_equal(e.file, path);
	assert_non_null(strstr(e.msg, "cannot open"));

	err_clear(&e);
	assert_int_equal(yamlcfg_load_file(&root, dir, &e), ERR_NOINPUT);
	assert_string_equal(e.file, dir);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("a: 1\nb:\n  - c\n", fp);
	fclose(fp);
	assert_int_equal(yamlcfg_load_file(&root, path, &e), 0);
	assert_string_equal(yamlcfg_get(root, "b")->items[0]->str, "c");
	assert_int_equal(yamlcfg_get(root, "b")->items[0]->line, 3);
	yamlcfg_free(root);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("a: 1\nb: 2\nb: 3\n", fp);
	fclose(fp);
	err_clear(&e);
	assert_int_equal(yamlcfg_load_file(&root, path, &e), ERR_DATA);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 3);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	root = (struct yamlcfg_node *)1;
	assert_int_equal(yamlcfg_load_file(&root, path, &e), 0);
	assert_null(root);

	unlink(path);
	rmdir(dir);
}

static void
test_oom(void **state)
{
	static const char doc[] =
	    "kind: event\n"
	    "fields:\n"
	    "  - {name: a, type: text, aliases: [x, y, z, w, v]}\n"
	    "  - name: b\n"
	    "    type: enum\n"
	    "    values: {男: m, 女: f}\n"
	    "list: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, [a, [b, {c: d}]]]\n";
	struct yamlcfg_node *root;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		root = NULL;
		err_clear(&e);
		rc = yamlcfg_load_string(&root, doc, sizeof doc - 1, "t.yaml",
		    &e);
		mem_fail_after(-1);
		if (rc == 0) {
			assert_non_null(root);
			yamlcfg_free(root);
			assert_int_equal(mem_live(), live);
			break;
		}
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		assert_null(root);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 10);

	/* the same through a file */
	{
		char path[] = "/tmp/test_yamlcfg_oom.XXXXXX";
		int fd = mkstemp(path);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, doc, sizeof doc - 1),
		    (ssize_t)(sizeof doc - 1));
		close(fd);
		for (n = 0;; n++) {
			mem_fail_after(n);
			rc = yamlcfg_load_file(&root, path, &e);
			mem_fail_after(-1);
			if (rc == 0) {
				yamlcfg_free(root);
				assert_int_equal(mem_live(), live);
				break;
			}
			assert_int_equal(rc, ERR_INTERNAL);
			assert_int_equal(mem_live(), live);
		}
		unlink(path);
	}
}

/* Failing while a mapping is open with a key waiting for its value. */
static void
test_oom_error_midway(void **state)
{
	struct yamlcfg_node *root;
	struct err e;
	long live = mem_live();

	(void)state;
	refused("a:\n  b:\n    c: [1, 2, &x 3]\n", 3, "anchors");
	refused("a:\n  b:\n    c: 1\n    c: 2\nd: 1\n", 4, "duplicate");
	assert_int_equal(load(&root, "a: {b: [1, {c: 2}]}\nd: 1\n---\n", &e),
	    ERR_DATA);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_root_kinds),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_syntax_line),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_dup_key_quoted),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_node_limit),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_check_keys),
		cmocka_unit_test(test_key_name),
		cmocka_unit_test(test_no_values_in_messages),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_oom_error_midway),
	};

	return cmocka_run_group_tests_name("yamlcfg", tests, NULL, NULL);
}
