/* test_schema.c - unit tests of lib/schema */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "schema.h"
#include "yamlcfg.h"

#define DATA "tests/unit/data/schema/"

static const char *
schema_dir(void)
{
	const char *d = getenv("SCHEMA_DIR");

	return d != NULL && *d != '\0' ? d : "schemas";
}

/* schema_from_tree on a YAML string. */
static int
from_string(struct schema **sp, const char *text, struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	err_clear(e);
	*sp = NULL;
	if ((rc = yamlcfg_load_string(&root, text, strlen(text), "s.yaml",
	    e)) != 0)
		return rc;
	rc = schema_from_tree(sp, root, "s.yaml", e);
	yamlcfg_free(root);
	return rc;
}

static void
test_good(void **state)
{
	struct schema *s;
	struct schema_field *f;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	assert_int_equal(schema_load(&s, DATA "good.yaml", &e), 0);
	assert_string_equal(s->kind, "sample");
	assert_string_equal(s->path, DATA "good.yaml");
	assert_string_equal(s->pii_alg, "hmac-sha256");
	assert_int_equal(s->nfields, 15);

	f = &s->fields[0];
	assert_string_equal(f->name, "sample_id");
	assert_string_equal(f->label, "编号");
	/* name first, trimmed, repeats (and the name itself) dropped */
	assert_int_equal(f->naliases, 4);
	assert_string_equal(f->aliases[0], "sample_id");
	assert_string_equal(f->aliases[1], "编号");
	assert_string_equal(f->aliases[2], "样本编号");
	assert_string_equal(f->aliases[3], "id");
	assert_int_equal(f->type, SCHEMA_CODE);
	assert_true(f->required);
	assert_string_equal(f->pattern, "[A-Z]{2}[0-9]{1,4}");
	assert_int_equal(regexec(&f->re, "AB12", 0, NULL, 0), 0);
	assert_int_not_equal(regexec(&f->re, "xAB12", 0, NULL, 0), 0);
	assert_int_not_equal(regexec(&f->re, "AB12345", 0, NULL, 0), 0);
	assert_int_equal(f->min_len, 3);
	assert_int_equal(f->max_len, 6);
	assert_int_equal(f->pii, SCHEMA_PII_KEEP);
	assert_int_equal(f->nvalues, 0);
	assert_int_equal(f->line, 6);

	f = &s->fields[1];
	assert_string_equal(f->name, "sex");
	assert_int_equal(f->type, SCHEMA_ENUM);
	assert_false(f->required);
	assert_int_equal(f->nvalues, 4);
	assert_string_equal(f->values[0].from, "男");
	assert_string_equal(f->values[0].to, "m");
	assert_string_equal(f->values[3].from, "f");
	assert_string_equal(f->values[3].to, "f");
	assert_null(f->pattern);
	assert_int_equal(f->line, 14);

	f = &s->fields[2];
	assert_string_equal(f->name, "ok");
	assert_null(f->label);
	assert_int_equal(f->naliases, 1);
	assert_int_equal(f->type, SCHEMA_BOOL);
	/* the eight built-ins, then the file's own ("Y: 1" is a built-in) */
	assert_int_equal(f->nvalues, 10);
	assert_string_equal(f->values[0].from, "1");
	assert_string_equal(f->values[4].from, "是");
	assert_string_equal(f->values[4].to, "1");
	assert_string_equal(f->values[7].from, "N");
	assert_string_equal(f->values[7].to, "0");
	assert_string_equal(f->values[8].from, "可以");
	assert_string_equal(f->values[8].to, "1");
	assert_string_equal(f->values[9].from, "不行");
	assert_string_equal(f->values[9].to, "0");

	assert_int_equal(s->fields[3].type, SCHEMA_LON);
	assert_int_equal(s->fields[3].crs, SCHEMA_CRS_GCJ02);
	assert_int_equal(s->fields[4].type, SCHEMA_LAT);
	assert_int_equal(s->fields[4].crs, SCHEMA_CRS_GCJ02);
	assert_int_equal(s->fields[5].crs, SCHEMA_CRS_WGS84);	/* default */
	assert_int_equal(s->fields[6].crs, SCHEMA_CRS_WGS84);

	f = &s->fields[7];
	assert_int_equal(f->type, SCHEMA_TEXT);
	assert_int_equal(f->pii, SCHEMA_PII_MASK);
	assert_int_equal(f->min_len, 0);
	assert_int_equal(f->max_len, 10);
	assert_int_equal(s->fields[8].type, SCHEMA_CITIZEN_ID);
	assert_int_equal(s->fields[8].pii, SCHEMA_PII_PSEUDO);
	assert_int_equal(s->fields[9].type, SCHEMA_PHONE);
	assert_int_equal(s->fields[9].pii, SCHEMA_PII_DROP);
	assert_false(s->fields[9].required);
	assert_int_equal(s->fields[10].type, SCHEMA_INT);
	assert_int_equal(s->fields[11].type, SCHEMA_DECIMAL);
	assert_int_equal(s->fields[12].type, SCHEMA_DATE);
	assert_int_equal(s->fields[13].type, SCHEMA_DATETIME);
	assert_int_equal(s->fields[14].type, SCHEMA_WKT);
	assert_int_equal(s->fields[14].line, 49);

	assert_int_equal(schema_field_index(s, "sample_id"), 0);
	assert_int_equal(schema_field_index(s, "shape"), 14);
	assert_int_equal(schema_field_index(s, "nope"), -1);
	assert_int_equal(schema_field_index(s, "编号"), -1);	/* not a name */
	schema_free(s);
	schema_free(NULL);
	assert_int_equal(mem_live(), live);
}

static void
test_defaults(void **state)
{
	struct schema *s;
	struct err e;

	(void)state;
	assert_int_equal(from_string(&s,
	    "kind: k\nfields:\n  - {name: a, type: text}\n", &e), 0);
	assert_string_equal(s->pii_alg, "hmac-sm3");
	assert_string_equal(s->path, "s.yaml");
	assert_int_equal(s->fields[0].pii, SCHEMA_PII_KEEP);
	assert_false(s->fields[0].required);
	assert_null(s->fields[0].label);
	assert_null(s->fields[0].pattern);
	assert_int_equal(s->fields[0].naliases, 1);
	schema_free(s);

	/* a bool without values gets the built-ins */
	assert_int_equal(from_string(&s,
	    "kind: k\npii: hmac-sm3\nfields:\n  - {name: a, type: bool}\n",
	    &e), 0);
	assert_int_equal(s->fields[0].nvalues, 8);
	schema_free(s);
}

static void
test_type_names(void **state)
{
	static const char *const names[] = {
		"text", "int", "decimal", "date", "datetime", "bool", "enum",
		"code", "lon", "lat", "citizen_id", "phone", "wkt"
	};
	char doc[256];
	struct schema *s;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_string_equal(schema_type_name((enum schema_type)i),
		    names[i]);
		if (i == SCHEMA_ENUM || i == SCHEMA_LON || i == SCHEMA_LAT)
			continue;
		snprintf(doc, sizeof doc,
		    "kind: k\nfields:\n  - {name: a, type: %s}\n", names[i]);
		assert_int_equal(from_string(&s, doc, &e), 0);
		assert_int_equal(s->fields[0].type, (enum schema_type)i);
		schema_free(s);
	}
	assert_string_equal(schema_type_name((enum schema_type)99), "unknown");
}

/* One refused schema: its text, and where and why it is refused. */
struct bad_case {
	const char *text;
	long line;
	const char *field;	/* err.field */
	const char *msg;	/* a part of err.msg */
};

static const struct bad_case bad_cases[] = {
	/* the file as a whole */
	{ "", 0, "", "empty schema" },
	{ "- a\n", 1, "", "expected a mapping" },
	{ "kind: k\nfeilds: []\n", 2, "", "unknown key 'feilds'" },
	{ "fields:\n  - {name: a, type: text}\n", 1, "kind", "missing" },
	{ "kind: Event\nfields:\n  - {name: a, type: text}\n", 1, "kind",
	  "must match" },
	{ "kind: [k]\nfields:\n  - {name: a, type: text}\n", 1, "kind",
	  "expected a string" },
	{ "kind: k\npii: md5\nfields:\n  - {name: a, type: text}\n", 2,
	  "pii", "unknown algorithm" },
	{ "kind: k\n", 1, "fields", "missing" },
	{ "kind: k\nfields: {a: 1}\n", 2, "fields", "expected a list" },
	{ "kind: k\nfields: []\n", 2, "fields", "no fields" },
	{ "kind: k\nfields:\n  - a\n", 3, "fields", "expected a mapping" },
	/* field keys */
	{ "kind: k\nfields:\n  - {name: a, type: text, unique: yes}\n", 3,
	  "unique", "" },
	{ "kind: k\nfields:\n  - name: a\n    typ: text\n", 4, "",
	  "unknown key 'typ'" },
	{ "kind: k\nfields:\n  - {type: text}\n", 3, "name", "missing" },
	{ "kind: k\nfields:\n  - {name: Bad-Name, type: text}\n", 3, "name",
	  "must match" },
	{ "kind: k\nfields:\n  - {name: 1a, type: text}\n", 3, "name",
	  "must match" },
	{ "kind: k\nfields:\n  - {name: '', type: text}\n", 3, "name",
	  "must match" },
	{ "kind: k\nfields:\n  - {name: "
	  "a123456789012345678901234567890123456789012345678901234567890123,"
	  " type: text}\n", 3, "name", "at most 63 bytes" },
	{ "kind: k\nfields:\n  - {name: kind, type: text}\n", 3, "name",
	  "reserved" },
	{ "kind: k\nfields:\n  - {name: a, type: text}\n"
	  "  - {name: b, type: text}\n  - {name: a, type: int}\n", 5, "name",
	  "field a defined twice" },
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: [x, y]}\n"
	  "  - name: b\n    type: text\n    aliases:\n      - z\n      - y\n",
	  8, "aliases", "alias 'y' already belongs to field a" },
	{ "kind: k\nfields:\n  - {name: a, type: text}\n"
	  "  - {name: b, type: text, aliases: [a]}\n", 4, "aliases",
	  "alias 'a' already belongs to field a" },
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: [b]}\n"
	  "  - {name: b, type: text}\n", 4, "name",
	  "alias 'b' already belongs to field a" },
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: ['  ']}\n",
	  3, "aliases", "empty alias" },
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: x}\n", 3,
	  "aliases", "expected a list" },
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: [[x]]}\n", 3,
	  "aliases", "expected a string" },
	{ "kind: k\nfields:\n  - {name: a, type: text, label: ''}\n", 3,
	  "label", "empty label" },
	{ "kind: k\nfields:\n  - {name: a, type: text, label: [x]}\n", 3,
	  "label", "expected a string" },
	{ "kind: k\nfields:\n  - {name: a}\n", 3, "type", "missing" },
	{ "kind: k\nfields:\n  - name: a\n    type: string\n", 4, "type",
	  "unknown type" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    required: yes\n",
	  5, "required", "expected true or false" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    pii: hash\n", 5,
	  "pii", "unknown policy" },
	/* value maps */
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n", 3, "values",
	  "needs values" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n    values: {}\n", 5,
	  "values", "needs values" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n    values: [m, f]\n",
	  5, "values", "expected a mapping" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values: {男: m, 女: 'f f'}\n", 5, "values", "canonical value" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values: {男: m, 女: _f}\n", 5, "values", "canonical value" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values: {男: m, '': f}\n", 5, "values", "empty spelling" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values:\n      男: m\n      女: [f]\n", 7, "values",
	  "expected a string" },
	{ "kind: k\nfields:\n  - name: a\n    type: bool\n"
	  "    values: {是的: 2}\n", 5, "values", "must map to 1 or 0" },
	{ "kind: k\nfields:\n  - name: a\n    type: bool\n"
	  "    values: {Y: 0}\n", 5, "values", "contradicts a built-in" },
	/* keys that do not fit the type */
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    values: {x: y}\n",
	  5, "values", "not allowed for type text" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    pattern: x\n", 5,
	  "pattern", "not allowed for type text" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    crs: wgs84\n", 5,
	  "crs", "not allowed for type text" },
	{ "kind: k\nfields:\n  - name: a\n    type: int\n    min_len: 1\n", 5,
	  "min_len", "not allowed for type int" },
	{ "kind: k\nfields:\n  - name: a\n    type: date\n    max_len: 1\n", 5,
	  "max_len", "not allowed for type date" },
	/* patterns */
	{ "kind: k\nfields:\n  - name: a\n    type: code\n    pattern: '[a'\n",
	  5, "pattern", "does not compile" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n    pattern: 'a{2,1}'\n",
	  5, "pattern", "does not compile" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n    pattern: [a]\n",
	  5, "pattern", "expected a string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '((a{100}){100}){100}'\n", 5, "pattern",
	  "too complex" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '[0-9]{5000}'\n", 5, "pattern", "too complex" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '()++++++++++++'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(a?){1,1000}'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(((a*)*)*){16}'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: 'x(a|)+'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(|a)+'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(^a{0,2}$)+'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: 'a*{2}'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '((a{00}{10}'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(a)\\1+'\n", 5, "pattern", "empty string" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: 'a{4000}b{97}'\n", 5, "pattern", "too complex" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(a{64}){64}b'\n", 5, "pattern", "too complex" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(a{100000000000}){2}'\n", 5, "pattern", "too complex" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n    pattern: '"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "a'\n", 5, "pattern", "longer than 256 bytes" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n"
	  "    pattern: '(((((((((((((((((((((((((((((((((a)))))))))))))))))"
	  ")))))))))))))))))'\n", 5, "pattern", "deeper than 32" },
	/* coordinates */
	{ "kind: k\nfields:\n  - name: a\n    type: lon\n    crs: gps\n", 5,
	  "crs", "unknown coordinate system" },
	{ "kind: k\nfields:\n  - {name: x, type: text}\n"
	  "  - {name: a, type: lon}\n", 4, "a",
	  "lon field has no lat field to pair with" },
	{ "kind: k\nfields:\n  - {name: a, type: lon}\n"
	  "  - {name: b, type: lat, crs: gcj02}\n", 4, "b",
	  "lat field and the lon field it pairs with (a) differ in crs" },
	{ "kind: k\nfields:\n  - {name: a, type: lon, crs: bd09}\n"
	  "  - {name: b, type: lat, crs: bd09}\n"
	  "  - {name: c, type: lat, crs: gcj02}\n", 5, "c",
	  "lat field has no lon field to pair with" },
	/* pairs go by order: the second lon pairs with the second lat */
	{ "kind: k\nfields:\n  - {name: a, type: lon, crs: bd09}\n"
	  "  - {name: b, type: lon}\n"
	  "  - {name: c, type: lat}\n  - {name: d, type: lat, crs: bd09}\n",
	  5, "c", "lat field and the lon field it pairs with (a) differ" },
	/* spellings and aliases are matched without regard to ASCII case */
	{ "kind: k\nfields:\n  - {name: a, type: text, aliases: [Name]}\n"
	  "  - {name: b, type: text, aliases: [NAME]}\n", 4, "aliases",
	  "alias 'NAME' already belongs to field a" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values: {M: m, m: f}\n", 5, "values",
	  "differs only in case maps to another value" },
	{ "kind: k\nfields:\n  - name: a\n    type: bool\n"
	  "    values: {TRUE: 0}\n", 5, "values", "contradicts a built-in" },
	{ "kind: k\nfields:\n  - name: a\n    type: enum\n"
	  "    values: {' ': m}\n", 5, "values", "empty spelling" },
	/* lengths */
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    min_len: -1\n", 5,
	  "min_len", "out of range" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n"
	  "    max_len: 10000000000\n", 5, "max_len", "out of range" },
	{ "kind: k\nfields:\n  - name: a\n    type: text\n    max_len: ten\n",
	  5, "max_len", "expected an integer" },
	{ "kind: k\nfields:\n  - name: a\n    type: code\n    min_len: 5\n"
	  "    max_len: 4\n", 5, "min_len", "greater than max_len" },
};

static void
test_refused(void **state)
{
	const struct bad_case *c;
	struct schema *s;
	struct err e;
	size_t i;
	long live = mem_live();
	int rc;

	(void)state;
	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		c = &bad_cases[i];
		rc = from_string(&s, c->text, &e);
		if (rc != ERR_DATA || e.line != c->line ||
		    strcmp(e.field, c->field) != 0 ||
		    strstr(e.msg, c->msg) == NULL ||
		    strcmp(e.file, "s.yaml") != 0)
			fail_msg("case %zu: rc %d s.yaml:%ld: field '%s': %s "
			    "(file '%s')", i, rc, e.line, e.field, e.msg,
			    e.file);
		assert_null(s);
		assert_int_equal(mem_live(), live);
	}
}

static void
test_accepted_edges(void **state)
{
	struct schema *s;
	struct err e;

	(void)state;
	/* brackets, classes and escapes do not count as repetitions */
	assert_int_equal(from_string(&s,
	    "kind: k\nfields:\n  - name: a\n    type: code\n"
	    "    pattern: '[]{}]{2}[[:digit:]{]{3}\\{9999\\}(x|y){1,}[^]]?'\n",
	    &e), 0);
	assert_int_equal(regexec(&s->fields[0].re, "}]12{{9999}xyq", 0, NULL,
	    0), 0);
	schema_free(s);
	/* repetitions of what cannot be empty, and empty alternatives */
	assert_int_equal(from_string(&s,
	    "kind: k\nfields:\n  - name: a\n    type: code\n"
	    "    pattern: '(a|b)*(a|)(c+)+((d?e)+)?[0-9]{2}([0-9]{2,3}([0-9]{2})?)?'"
	    "\n", &e), 0);
	assert_int_equal(regexec(&s->fields[0].re, "bccde12345", 0, NULL, 0),
	    0);
	schema_free(s);
	/* at the limits: 4096 atoms, 256 bytes */
	assert_int_equal(from_string(&s,
	    "kind: k\nfields:\n  - name: a\n    type: code\n"
	    "    pattern: '(a{4000}b{95}c?)*'\n", &e), 0);
	schema_free(s);
	assert_int_equal(from_string(&s,
	    "kind: k\nfields:\n  - name: a\n    type: code\n    pattern: '"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "'\n", &e), 0);
	schema_free(s);
	/* a name of exactly 63 bytes */
	assert_int_equal(from_string(&s, "kind: k\nfields:\n  - {name: "
	    "a12345678901234567890123456789012345678901234567890123456789012,"
	    " type: text}\n", &e), 0);
	schema_free(s);
	/* several lon/lat pairs in different systems, paired in order */
	assert_int_equal(from_string(&s, "kind: k\nfields:\n"
	    "  - {name: a, type: lon, crs: bd09}\n"
	    "  - {name: b, type: lat, crs: bd09}\n"
	    "  - {name: c, type: lat}\n  - {name: d, type: lon}\n", &e), 0);
	assert_int_equal(s->fields[0].crs, SCHEMA_CRS_BD09);
	schema_free(s);
	/* case variants: an alias kept once, a spelling that agrees skipped */
	assert_int_equal(from_string(&s, "kind: k\nfields:\n"
	    "  - {name: a, type: enum, aliases: [ID, id, Id, x],"
	    " values: {M: m, m: m, ' 女 ': f}}\n"
	    "  - {name: b, type: bool, values: {y: 1, TRUE: 1, Ja: 1}}\n",
	    &e), 0);
	assert_int_equal(s->fields[0].naliases, 3);
	assert_string_equal(s->fields[0].aliases[1], "ID");
	assert_string_equal(s->fields[0].aliases[2], "x");
	assert_int_equal(s->fields[0].nvalues, 2);
	assert_string_equal(s->fields[0].values[1].from, "女");
	assert_int_equal(s->fields[1].nvalues, 9);
	assert_string_equal(s->fields[1].values[8].from, "Ja");
	schema_free(s);
}

static void
test_load_errors(void **state)
{
	struct schema *s = (struct schema *)1;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(schema_load(&s, DATA "no-such-file.yaml", &e),
	    ERR_NOINPUT);
	assert_null(s);
	assert_string_equal(e.file, DATA "no-such-file.yaml");
	/* a YAML error comes through with its file and line */
	err_clear(&e);
	assert_int_equal(schema_load(&s, DATA "columns-syntax.yaml", &e),
	    ERR_DATA);
	assert_null(s);
	assert_string_equal(e.file, DATA "columns-syntax.yaml");
	assert_int_equal(e.line, 4);
	/* a well-formed file that is not a schema */
	err_clear(&e);
	assert_int_equal(schema_load(&s, DATA "columns.yaml", &e), ERR_DATA);
	assert_int_equal(e.line, 2);
	assert_string_equal(e.msg, "unknown key 'columns'");
}

static void
test_add_aliases(void **state)
{
	struct schema *s;
	struct schema_field *f;
	struct err e;
	long live = mem_live();

	(void)state;
	assert_int_equal(schema_load(&s, DATA "good.yaml", &e), 0);
	assert_int_equal(schema_add_aliases(s, DATA "columns.yaml", &e), 0);
	f = &s->fields[0];
	assert_int_equal(f->naliases, 5);
	assert_string_equal(f->aliases[4], "样品号");
	f = &s->fields[1];
	assert_int_equal(f->naliases, 4);
	assert_string_equal(f->aliases[3], "性 别");
	f = &s->fields[3];
	assert_int_equal(f->naliases, 2);
	assert_string_equal(f->aliases[1], "经度");
	/* again: every name is now an alias of its field already */
	assert_int_equal(schema_add_aliases(s, DATA "columns.yaml", &e), 0);
	assert_int_equal(s->fields[0].naliases, 5);
	assert_int_equal(s->fields[3].naliases, 2);
	/* nothing to add */
	assert_int_equal(schema_add_aliases(s, DATA "columns-none.yaml", &e),
	    0);
	schema_free(s);
	assert_int_equal(mem_live(), live);
}

static void
test_add_aliases_bad(void **state)
{
	static const struct {
		const char *file;
		int rc;
		long line;
		const char *msg;
	} cases[] = {
		{ "columns-unknown-field.yaml", ERR_DATA, 3,
		  "unknown field nowhere" },
		{ "columns-conflict.yaml", ERR_DATA, 3,
		  "column 'gender' is already an alias of field sex" },
		{ "columns-conflict-case.yaml", ERR_DATA, 3,
		  "column 'Gender' is already an alias of field sex" },
		{ "columns-conflict-pending.yaml", ERR_DATA, 3,
		  "column '甲' is already an alias of field lon" },
		{ "columns-unknown-key.yaml", ERR_DATA, 3,
		  "unknown key 'column'" },
		{ "columns-not-map.yaml", ERR_DATA, 1, "expected a mapping" },
		{ "columns-null.yaml", ERR_DATA, 1, "expected a mapping" },
		{ "columns-empty.yaml", ERR_DATA, 0, "empty column mapping" },
		{ "columns-blank.yaml", ERR_DATA, 2, "empty column name" },
		{ "columns-missing.yaml", ERR_DATA, 1, "unknown key 'other'" },
		{ "columns-seq.yaml", ERR_DATA, 2, "expected a string" },
		{ "columns-syntax.yaml", ERR_DATA, 4, "yaml syntax error" },
		{ "no-such-file.yaml", ERR_NOINPUT, 0, "cannot open" },
	};
	struct schema *s;
	struct err e;
	size_t i, k, before[15];
	char path[256];
	long live = mem_live();

	(void)state;
	assert_int_equal(schema_load(&s, DATA "good.yaml", &e), 0);
	for (k = 0; k < s->nfields; k++)
		before[k] = s->fields[k].naliases;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, DATA "%s", cases[i].file);
		err_clear(&e);
		if (schema_add_aliases(s, path, &e) != cases[i].rc ||
		    e.line != cases[i].line ||
		    strstr(e.msg, cases[i].msg) == NULL ||
		    strcmp(e.file, path) != 0)
			fail_msg("%s: %s:%ld: %s", cases[i].file, e.file,
			    e.line, e.msg);
		/* all or nothing: no alias was added */
		for (k = 0; k < s->nfields; k++)
			assert_int_equal(s->fields[k].naliases, before[k]);
	}
	schema_free(s);
	assert_int_equal(mem_live(), live);

}

/* The ten kinds of DESIGN.md, each with its id field required. */
static void
test_shipped(void **state)
{
	static const struct { const char *kind, *id; } kinds[] = {
		{ "person", "person_id" }, { "household", "household_id" },
		{ "building", "building_id" }, { "house", "house_id" },
		{ "org", "org_id" }, { "worker", "worker_id" },
		{ "patrol", "patrol_id" }, { "activity", "activity_id" },
		{ "event", "event_id" }, { "grid", "code" }
	};
	char path[1024];
	struct schema *s;
	struct err e;
	size_t i, k;
	long fi;

	(void)state;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(path, sizeof path, "%s/%s.yaml", schema_dir(),
		    kinds[i].kind);
		err_clear(&e);
		if (schema_load(&s, path, &e) != 0)
			fail_msg("%s:%ld: field '%s': %s", e.file, e.line,
			    e.field, e.msg);
		assert_string_equal(s->kind, kinds[i].kind);
		fi = schema_field_index(s, kinds[i].id);
		assert_true(fi >= 0);
		assert_true(s->fields[fi].required);
		/* every field is labelled in Chinese and has more aliases */
		for (k = 0; k < s->nfields; k++) {
			assert_non_null(s->fields[k].label);
			assert_true(s->fields[k].naliases >= 2);
		}
		schema_free(s);
	}
}

/* Every file of the schema folder that looks like a schema loads. */
static void
test_shipped_all(void **state)
{
	struct yamlcfg_node *root;
	struct dirent *de;
	struct schema *s;
	struct err e;
	char path[1024];
	size_t len, nschemas = 0;
	DIR *d;

	(void)state;
	d = opendir(schema_dir());
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", schema_dir(), de->d_name);
		err_clear(&e);
		if (yamlcfg_load_file(&root, path, &e) != 0)
			fail_msg("%s:%ld: %s", e.file, e.line, e.msg);
		if (yamlcfg_get(root, "kind") == NULL ||
		    yamlcfg_get(root, "fields") == NULL) {
			yamlcfg_free(root);	/* another kind of file */
			continue;
		}
		yamlcfg_free(root);
		if (schema_load(&s, path, &e) != 0)
			fail_msg("%s:%ld: field '%s': %s", e.file, e.line,
			    e.field, e.msg);
		schema_free(s);
		nschemas++;
	}
	closedir(d);
	assert_true(nschemas >= 10);
}

static void
test_event_details(void **state)
{
	char path[1024];
	struct schema *s;
	struct err e;
	long fi;

	(void)state;
	snprintf(path, sizeof path, "%s/event.yaml", schema_dir());
	assert_int_equal(schema_load(&s, path, &e), 0);
	fi = schema_field_index(s, "event_id");
	assert_true(s->fields[fi].unique);
	fi = schema_field_index(s, "reported");
	assert_true(fi >= 0);
	assert_true(s->fields[fi].required);
	assert_false(s->fields[fi].unique);
	assert_int_equal(s->fields[fi].type, SCHEMA_DATETIME);
	fi = schema_field_index(s, "lon");
	assert_int_equal(s->fields[fi].crs, SCHEMA_CRS_GCJ02);
	fi = schema_field_index(s, "reporter_phone");
	assert_int_equal(s->fields[fi].pii, SCHEMA_PII_PSEUDO);
	fi = schema_field_index(s, "category");
	assert_int_equal(regexec(&s->fields[fi].re, "0101", 0, NULL, 0), 0);
	assert_int_equal(regexec(&s->fields[fi].re, "010203", 0, NULL, 0), 0);
	assert_int_not_equal(regexec(&s->fields[fi].re, "1", 0, NULL, 0), 0);
	schema_free(s);

	snprintf(path, sizeof path, "%s/grid.yaml", schema_dir());
	assert_int_equal(schema_load(&s, path, &e), 0);
	assert_true(s->fields[schema_field_index(s, "level")].required);
	assert_true(s->fields[schema_field_index(s, "wkt")].required);
	schema_free(s);

	snprintf(path, sizeof path, "%s/org.yaml", schema_dir());
	assert_int_equal(schema_load(&s, path, &e), 0);
	fi = schema_field_index(s, "credit_code");
	assert_int_equal(regexec(&s->fields[fi].re, "91430300MA4L0XXX1C", 0,
	    NULL, 0), 0);
	assert_int_not_equal(regexec(&s->fields[fi].re, "91430300MA4L0XXX1", 0,
	    NULL, 0), 0);
	schema_free(s);
}

static void
test_oom(void **state)
{
	char path[1024];
	struct schema *s;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	snprintf(path, sizeof path, "%s/event.yaml", schema_dir());
	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = schema_load(&s, path, &e);
		mem_fail_after(-1);
		if (rc == 0) {
			schema_free(s);
			assert_int_equal(mem_live(), live);
			break;
		}
		if (rc != ERR_INTERNAL)
			fail_msg("n=%ld: rc %d %s", n, rc, e.msg);
		assert_null(s);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 100);
}

static void
test_oom_add_aliases(void **state)
{
	struct schema *s;
	struct err e;
	long n, live;
	size_t k, before[15];
	int rc;

	(void)state;
	assert_int_equal(schema_load(&s, DATA "good.yaml", &e), 0);
	for (k = 0; k < s->nfields; k++)
		before[k] = s->fields[k].naliases;
	live = mem_live();
	for (n = 0;; n++) {
		mem_fail_after(n);
		rc = schema_add_aliases(s, DATA "columns.yaml", &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		for (k = 0; k < s->nfields; k++)
			assert_int_equal(s->fields[k].naliases, before[k]);
		/* the alias arrays may have grown; nothing else is kept */
		assert_int_equal(mem_live(), live);
	}
	assert_int_equal(s->fields[0].naliases, before[0] + 1);
	schema_free(s);
}

/* schema_set_crs: every lon and lat field, all or nothing. */
static void
test_set_crs(void **state)
{
	char path[1024];
	struct schema *s;
	struct err e;
	long lon, lat;

	(void)state;
	snprintf(path, sizeof path, "%s/event.yaml", schema_dir());
	assert_int_equal(schema_load(&s, path, &e), 0);
	lon = schema_field_index(s, "lon");
	lat = schema_field_index(s, "lat");
	assert_int_equal(schema_set_crs(s, "bd09", &e), 0);
	assert_int_equal(s->fields[lon].crs, SCHEMA_CRS_BD09);
	assert_int_equal(s->fields[lat].crs, SCHEMA_CRS_BD09);
	assert_int_equal(schema_set_crs(s, "WGS-84", &e), 0);
	assert_int_equal(s->fields[lon].crs, SCHEMA_CRS_WGS84);
	assert_int_equal(schema_set_crs(s, "mars", &e), ERR_USAGE);
	assert_string_equal(e.msg, "unknown coordinate system");
	assert_int_equal(s->fields[lon].crs, SCHEMA_CRS_WGS84);
	schema_free(s);
	snprintf(path, sizeof path, "%s/person.yaml", schema_dir());
	assert_int_equal(schema_load(&s, path, &e), 0);
	assert_int_equal(schema_set_crs(s, "gcj02", &e), ERR_USAGE);
	assert_string_equal(e.msg, "the schema has no lon and lat fields");
	schema_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_accepted_edges),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_add_aliases),
		cmocka_unit_test(test_add_aliases_bad),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_shipped_all),
		cmocka_unit_test(test_event_details),
		cmocka_unit_test(test_set_crs),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_oom_add_aliases),
	};

	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
