/* test_import.c - CSV rows to records per a schema */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvin.h"
#include "geo.h"
#include "import.h"
#include "mem.h"
#include "pii.h"
#include "schema.h"
#include "str.h"
#include "yamlcfg.h"

static const char schema_text[] =
"kind: resident\n"
"fields:\n"
"  - {name: rid, aliases: [编号, ID], type: code, pattern: 'R[0-9]{3}', required: true}\n"
"  - {name: name, aliases: [姓名], type: text, pii: pseudonymise}\n"
"  - {name: shown, aliases: [显示名], type: text, pii: mask}\n"
"  - {name: citizen_id, aliases: [身份证号], type: citizen_id, pii: keep}\n"
"  - {name: phone, aliases: [电话], type: phone, pii: mask}\n"
"  - {name: secret, aliases: [备注], type: text, pii: drop}\n"
"  - {name: sex, aliases: [性别], type: enum, values: {男: m, 女: f}}\n"
"  - {name: born, aliases: [出生日期], type: date}\n"
"  - {name: seen, aliases: [时间], type: datetime}\n"
"  - {name: members, aliases: [人数], type: int}\n"
"  - {name: area, aliases: [面积], type: decimal}\n"
"  - {name: owner, aliases: [户主], type: bool, values: {有: 1}}\n"
"  - {name: lon, aliases: [经度], type: lon, crs: gcj02}\n"
"  - {name: lat, aliases: [纬度], type: lat, crs: gcj02}\n"
"  - {name: note, aliases: [说明], type: text, max_len: 6}\n"
"  - {name: tag, aliases: [标签], type: code, unique: true}\n";

static struct schema *schema;
static struct pii_key *key;
static char keypath[64];

static int
setup(void **state)
{
	struct yamlcfg_node *root;
	struct err e;
	FILE *fp;
	int fd;

	(void)state;
	if (yamlcfg_load_string(&root, schema_text, strlen(schema_text), "t.yaml",
	    &e) != 0 || schema_from_tree(&schema, root, "t.yaml", &e) != 0) {
		fprintf(stderr, "schema: %ld: %s: %s\n", e.line, e.field, e.msg);
		return -1;
	}
	yamlcfg_free(root);
	strcpy(keypath, "/tmp/test_importXXXXXX");
	if ((fd = mkstemp(keypath)) < 0 || (fp = fdopen(fd, "w")) == NULL)
		return -1;
	fputs("unit-test-key-0123456789\n", fp);
	fclose(fp);
	return pii_key_load(&key, keypath, &e) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	schema_free(schema);
	pii_key_free(key);
	unlink(keypath);
	return 0;
}

/* Split a comma-separated test row (no quoting) into fields. */
struct row {
	const char *f[32];
	size_t len[32];
	size_t n;
	char buf[1024];
};

static void
split(struct row *r, const char *s)
{
	char *p;

	snprintf(r->buf, sizeof r->buf, "%s", s);
	r->n = 0;
	for (p = r->buf;; p++) {
		char *c = strchr(p, ',');

		r->f[r->n] = p;
		r->len[r->n] = c ? (size_t)(c - p) : strlen(p);
		r->n++;
		if (c == NULL)
			break;
		*c = '\0';
		p = c;
	}
}

static struct import *
importer(const char *header)
{
	struct import_opts o = { 8 * 60, key };
	struct import *im;
	struct row h;
	struct err e;

	assert_int_equal(import_new(&im, schema, &o, &e), 0);
	split(&h, header);
	assert_int_equal(import_header(im, "t.csv", h.n, h.f, h.len, &e), 0);
	return im;
}

/* Import one row; return the value of output field name, or the reason. */
static const char *
one(struct import *im, const char *row, const char *field, char *out,
    size_t size)
{
	const struct rec_header *h = import_out_header(im);
	const char *const *v;
	const size_t *len;
	struct row r;
	struct err e;
	size_t i;

	split(&r, row);
	err_clear(&e);
	if (import_row(im, "t.csv", 2, r.n, r.f, r.len, &v, &len, &e) != 0) {
		snprintf(out, size, "!%s: %s", e.field, e.msg);
		return out;
	}
	for (i = 0; i < h->n; i++)
		if (strcmp(h->names[i], field) == 0) {
			snprintf(out, size, "%.*s", (int)len[i], v[i]);
			return out;
		}
	return "no such output field";
}

#define CHECK(hdr, row, field, want) do { \
	char got_[512]; \
	struct import *im_ = importer(hdr); \
	assert_string_equal(one(im_, row, field, got_, sizeof got_), want); \
	import_free(im_); \
} while (0)

static void
test_out_header(void **state)
{
	struct import *im = importer("编号");
	const struct rec_header *h = import_out_header(im);

	(void)state;
	assert_string_equal(h->names[0], "kind");
	assert_string_equal(h->names[1], "rid");
	/* secret is dropped; pii_key last, for the pseudonymised name */
	assert_int_equal(h->n, 1 + schema->nfields - 1 + 1);
	assert_string_equal(h->names[h->n - 1], "pii_key");
	import_free(im);
}

static void
test_header_mapping(void **state)
{
	struct import_opts o = { 480, key };
	const char *const *un;
	struct import *im;
	struct row h;
	struct err e;

	(void)state;
	CHECK(" id ,人数", "R001,3", "members", "3");	/* case, spaces */
	assert_int_equal(import_new(&im, schema, &o, &e), 0);
	split(&h, "编号,颜色,身高");
	assert_int_equal(import_header(im, "t.csv", h.n, h.f, h.len, &e), 0);
	assert_int_equal(import_unmapped(im, &un), 2);
	assert_string_equal(un[1], "身高");
	split(&h, "编号,ID");
	assert_int_equal(import_header(im, "t.csv", h.n, h.f, h.len, &e),
	    ERR_DATA);
	assert_string_equal(e.field, "rid");
	assert_string_equal(e.msg, "columns 1 and 2 both map to this field");
	split(&h, "姓名");
	assert_int_equal(import_header(im, "t.csv", h.n, h.f, h.len, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "no column for this required field");
	import_free(im);
}

static void
test_types(void **state)
{
	(void)state;
	CHECK("编号", "R001", "kind", "resident");
	CHECK("编号", "X001", "rid", "!rid: does not match the code pattern");
	CHECK("编号", " R001 ", "rid", "R001");
	CHECK("编号,人数", "R001,1.0", "members", "1");
	CHECK("编号,人数", "R001,-12", "members", "-12");
	CHECK("编号,人数", "R001,1.5", "members", "!members: not an integer");
	CHECK("编号,人数", "R001,三", "members", "!members: not an integer");
	CHECK("编号,面积", "R001,085.50", "area", "85.5");
	CHECK("编号,面积", "R001,1e3", "area", "!area: not a decimal number");
	/* decimals are written exactly, in their canonical spelling */
	CHECK("编号,面积", "R001,+007.250", "area", "7.25");
	CHECK("编号,面积", "R001,.5", "area", "0.5");
	CHECK("编号,面积", "R001,-.5", "area", "-0.5");
	CHECK("编号,面积", "R001,5.", "area", "5");
	CHECK("编号,面积", "R001,-0.0", "area", "0");
	CHECK("编号,面积", "R001,100.0", "area", "100");
	CHECK("编号,面积", "R001,12345678.90123456789", "area",
	    "12345678.90123456789");
	CHECK("编号,面积", "R001,0.1000000000000000055511151231257827", "area",
	    "0.1000000000000000055511151231257827");
	CHECK("编号,面积", "R001,1.2.3", "area", "!area: not a decimal number");
	CHECK("编号,面积", "R001,.", "area", "!area: not a decimal number");
	{
		/* beyond any double: refused as before, not written */
		char row[400];

		memcpy(row, "R001,", 5);
		memset(row + 5, '9', 320);
		row[325] = '\0';
		CHECK("编号,面积", row, "area", "!area: not a decimal number");
	}
	CHECK("编号,出生日期", "R001,1980/1/2", "born", "1980-01-02");
	CHECK("编号,出生日期", "R001,1980年1月2日", "born", "1980-01-02");
	CHECK("编号,出生日期", "R001,29222", "born", "1980-01-02");
	CHECK("编号,出生日期", "R001,1980-02-30", "born",
	    "!born: not a valid date");
	CHECK("编号,时间", "R001,2017-03-14 09:30", "seen",
	    "2017-03-14T09:30:00+08:00");
	CHECK("编号,时间", "R001,2017-03-14T01:30:00Z", "seen",
	    "2017-03-14T01:30:00+00:00");
	CHECK("编号,户主", "R001,是", "owner", "1");
	CHECK("编号,户主", "R001,N", "owner", "0");
	CHECK("编号,户主", "R001,有", "owner", "1");
	CHECK("编号,户主", "R001,也许", "owner", "!owner: not a yes/no value");
	CHECK("编号,性别", "R001,女", "sex", "f");
	CHECK("编号,性别", "R001,f", "sex", "f");
	CHECK("编号,性别", "R001,x", "sex",
	    "!sex: not one of the allowed values");
	CHECK("编号,身份证号", "R001,11010519491231002x", "citizen_id",
	    "11010519491231002X");
	CHECK("编号,身份证号", "R001,110105491231002", "citizen_id",
	    "11010519491231002X");
	CHECK("编号,身份证号", "R001,110105194912310021", "citizen_id",
	    "!citizen_id: not a valid citizen ID number");
	CHECK("编号,说明", "R001,一二三", "note", "!note: too long");
	CHECK("编号,说明", "R001,一二", "note", "一二");
	CHECK("编号,人数", "R001,", "members", "");
	CHECK("编号,人数", ",3", "members", "!rid: required field is empty");
}

static void
test_pii(void **state)
{
	char want[65];
	struct err e;

	(void)state;
	CHECK("编号,显示名", "R001,张三", "shown", "张*");
	CHECK("编号,电话", "R001,138 0013 8000", "phone", "138****8000");
	pii_pseudonymise(key, HASH_HMAC_SM3, "张三", strlen("张三"), want, &e);
	CHECK("编号,姓名", "R001,张三", "name", want);
	CHECK("编号,姓名", "R001,张三", "pii_key", pii_key_id(key));
	CHECK("编号,备注", "R001,whatever", "secret", "no such output field");
}

static void
test_coordinates(void **state)
{
	(void)state;
	/* GCJ-02 around Xiangtan moves about 600 m to WGS-84 */
	CHECK("编号,经度,纬度", "R001,112.9,27.85", "lon", "112.8946266");
	CHECK("编号,经度,纬度", "R001,112.9,27.85", "lat", "27.8534914");
	CHECK("编号,经度,纬度", "R001,0,0", "lon",
	    "!lon: coordinates outside China");
	CHECK("编号,经度,纬度", "R001,112.9,", "lon",
	    "!lon: longitude and latitude must be given together");
	CHECK("编号,经度,纬度", "R001,200,27", "lon",
	    "!lon: longitude out of range");
	CHECK("编号,经度,纬度", "R001,,", "lon", "");
	CHECK("编号,经度,纬度", "R001,,27", "lat",
	    "!lon: longitude and latitude must be given together");
	CHECK("编号,经度,纬度", "R001,112.9,95", "lat",
	    "!lat: latitude out of range");
	CHECK("编号,经度,纬度", "R001,x,27", "lon",
	    "!lon: not a decimal number");
}

/*
 * Many points, as many digits as anyone writes: the output is what it
 * always was, the double parsed (strtod), converted, and written with
 * str_fmt_double(v, 7).
 */
static void
test_coordinates_many(void **state)
{
	struct import *im = importer("编号,经度,纬度");
	char row[128], got[512], want[STR_NUM_MAX];
	char slon[40], slat[40];
	uint64_t x = 99;
	double lon, lat, wlon, wlat;
	int i, dl, dt;

	(void)state;
	for (i = 0; i < 100000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lon = 73 + 62 * (double)(x >> 11) / 9007199254740992.0;
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lat = 4 + 50 * (double)(x >> 11) / 9007199254740992.0;
		dl = (int)(x % 16);
		dt = (int)((x >> 8) % 16);
		snprintf(slon, sizeof slon, "%.*f", dl, lon);
		snprintf(slat, sizeof slat, "%.*f", dt, lat);
		snprintf(row, sizeof row, "R001,%s,%s", slon, slat);
		geo_to_wgs84(GEO_GCJ02, strtod(slon, NULL), strtod(slat, NULL),
		    &wlon, &wlat);
		str_fmt_double(want, wlon, 7);
		assert_string_equal(one(im, row, "lon", got, sizeof got), want);
		str_fmt_double(want, wlat, 7);
		assert_string_equal(one(im, row, "lat", got, sizeof got), want);
	}
	import_free(im);
}

/*
 * Code patterns: one the DFA of str.h takes, and the same pattern with
 * anchors, which it refuses (so regexec judges): the same verdicts.
 */
static void
test_code_patterns(void **state)
{
	static const char text[] =
	    "kind: thing\n"
	    "fields:\n"
	    "  - {name: a, type: code, pattern: '[A-Z][0-9]{2,4}(-[0-9]+)?'}\n"
	    "  - {name: b, type: code, pattern: '^[A-Z][0-9]{2,4}(-[0-9]+)?$'}\n"
	    "  - {name: c, type: code, max_len: 4}\n";
	static const char alpha[] = "AZ09-x 中";
	struct import_opts o = { 480, NULL };
	struct yamlcfg_node *root;
	struct schema *s;
	struct import *im;
	const char *f[3];
	size_t len[3], n, k, ok = 0;
	const char *const *v;
	const size_t *vl;
	char val[16];
	struct err e;
	uint64_t x = 7;
	int i, ra, rb;

	(void)state;
	assert_int_equal(yamlcfg_load_string(&root, text, strlen(text), "p.yaml",
	    &e), 0);
	assert_int_equal(schema_from_tree(&s, root, "p.yaml", &e), 0);
	yamlcfg_free(root);
	assert_int_equal(import_new(&im, s, &o, &e), 0);
	f[0] = "a";
	f[1] = "b";
	f[2] = "c";
	len[0] = len[1] = len[2] = 1;
	assert_int_equal(import_header(im, "p.csv", 3, f, len, &e), 0);
	for (i = 0; i < 50000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		n = (size_t)(x >> 60);
		for (k = 0; k < n; k++) {
			x = x * 6364136223846793005ULL +
			    1442695040888963407ULL;
			val[k] = alpha[(x >> 33) % (sizeof alpha - 1)];
		}
		if (i % 3 == 0 && n >= 3) {	/* likely matches */
			val[0] = 'Q';
			for (k = 1; k < n; k++)
				val[k] = (char)('0' + k % 10);
		}
		/* the value in a, then in b; a good code in the other one */
		f[0] = val;
		len[0] = n;
		f[1] = "Q12";
		len[1] = 3;
		f[2] = "ok";
		len[2] = 2;
		err_clear(&e);
		ra = import_row(im, "p.csv", 2, 3, f, len, &v, &vl, &e);
		if (ra != 0) {
			assert_string_equal(e.field, "a");
			assert_string_equal(e.msg,
			    "does not match the code pattern");
		} else {
			const char *tp = val;
			size_t tn = n;

			str_trim(&tp, &tn);	/* spaces around go */
			assert_int_equal(vl[1], tn);
			assert_memory_equal(v[1], tp, tn);
		}
		f[0] = "Q12";
		len[0] = 3;
		f[1] = val;
		len[1] = n;
		err_clear(&e);
		rb = import_row(im, "p.csv", 2, 3, f, len, &v, &vl, &e);
		if (rb != 0) {
			assert_string_equal(e.field, "b");
			assert_string_equal(e.msg,
			    "does not match the code pattern");
		}
		assert_int_equal(ra, rb);
		ok += ra == 0 && n > 0;
	}
	assert_true(ok > 1000);
	import_free(im);
	schema_free(s);
}

static void
test_bad_rows(void **state)
{
	char got[512];
	struct import *im = importer("编号,人数");

	(void)state;
	assert_string_equal(one(im, "R001", "rid", got, sizeof got),
	    "!: 1 fields where the header has 2");
	assert_string_equal(one(im, ",", "rid", got, sizeof got), "!: empty row");
	/* the importer goes on after a bad row */
	assert_string_equal(one(im, "R002,7", "members", got, sizeof got), "7");
	import_free(im);
}

/* A unique value once kept is a duplicate after; a rejected row does not
 * count as seen; empty values are not compared. */
static void
test_unique(void **state)
{
	char got[512];
	struct import *im = importer("编号,人数,标签");

	(void)state;
	assert_string_equal(one(im, "R001,1,A", "tag", got, sizeof got), "A");
	assert_string_equal(one(im, "R002,2,A", "tag", got, sizeof got),
	    "!tag: duplicate value of a unique field");
	assert_string_equal(one(im, "R003,x,B", "tag", got, sizeof got),
	    "!members: not an integer");
	assert_string_equal(one(im, "R003,3,B", "tag", got, sizeof got), "B");
	assert_string_equal(one(im, "R004,4,", "tag", got, sizeof got), "");
	assert_string_equal(one(im, "R005,5,", "tag", got, sizeof got), "");
	import_free(im);
}

static void
test_no_key(void **state)
{
	struct import_opts o = { 480, NULL };
	struct import *im;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(import_new(&im, schema, &o, &e), ERR_USAGE);
	assert_string_equal(e.field, "name");
}

/* Canary: personal values never reach an error message. */
static void
test_canary(void **state)
{
	char got[512];
	struct import *im = importer("编号,身份证号,电话,出生日期,性别");

	(void)state;
	one(im, "R001,43030219800101123CANARY,13912345678,1980-01-01,男", "rid",
	    got, sizeof got);
	assert_null(strstr(got, "CANARY"));
	one(im, "R001,430302198001011234,139CANARY78,1980-01-01,男", "rid", got,
	    sizeof got);
	assert_null(strstr(got, "CANARY"));
	one(im, "R001,430302198001011234,13912345678,19CANARY80,男", "rid", got,
	    sizeof got);
	assert_null(strstr(got, "CANARY"));
	one(im, "R001,430302198001011234,13912345678,1980-01-01,CANARY", "rid",
	    got, sizeof got);
	assert_null(strstr(got, "CANARY"));
	import_free(im);
}

/*
 * The N-th allocation fails while loading the schema and importing a small
 * file: every N gives a clean ERR_INTERNAL and leaks nothing.
 */
static void
test_oom(void **state)
{
	static const char csv[] =
	    "编号,姓名,显示名,电话,出生日期,经度,纬度\n"
	    "R001,张三,张三,13800138000,1980-01-02,112.9,27.85\n"
	    "R002,李四,李四,0731-58581234,1990/3/4,112.91,27.86\n";
	struct csvin_opts co = { 0, CSVIN_AUTO, 0, 0, false };
	struct import_opts o = { 480, key };
	struct yamlcfg_node *root;
	const char *const *v;
	const size_t *len;
	struct schema *s;
	struct import *im;
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	long n, live = mem_live();
	int rc, rows;

	(void)state;
	for (n = 0;; n++) {
		s = NULL;
		im = NULL;
		c = NULL;
		root = NULL;
		rows = 0;
		mem_fail_after(n);
		rc = yamlcfg_load_string(&root, schema_text, strlen(schema_text),
		    "t.yaml", &e);
		if (rc == 0)
			rc = schema_from_tree(&s, root, "t.yaml", &e);
		if (rc == 0)
			rc = import_new(&im, s, &o, &e);
		if (rc == 0)
			rc = csvin_open_mem(&c, csv, sizeof csv - 1, "t.csv", &co, &e);
		if (rc == 0 && (rc = csvin_read(c, &row, &e)) == 1)
			rc = import_header(im, "t.csv", row.nfields, row.fields,
			    row.lens, &e);
		while (rc == 0 && (rc = csvin_read(c, &row, &e)) == 1) {
			rc = import_row(im, "t.csv", row.line, row.nfields,
			    row.fields, row.lens, &v, &len, &e);
			rows++;
		}
		mem_fail_after(-1);
		csvin_close(c);
		import_free(im);
		schema_free(s);
		yamlcfg_free(root);
		assert_true(rc == 0 || rc == ERR_INTERNAL);
		assert_int_equal(mem_live(), live);
		if (rc == 0) {
			assert_int_equal(rows, 2);
			break;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_header),
		cmocka_unit_test(test_header_mapping),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_pii),
		cmocka_unit_test(test_coordinates),
		cmocka_unit_test(test_coordinates_many),
		cmocka_unit_test(test_code_patterns),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_no_key),
		cmocka_unit_test(test_canary),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("import", tests, setup, teardown);
}
