/* test_rec.c - grid-records(5) reader and writer */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "out.h"
#include "rec.h"

/* Read all of s; return the number of good rows; *bad gets bad lines. */
static int
read_all(const char *s, int *bad, long *badline, char *msg, size_t msgsz)
{
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	int rc, good = 0;

	*bad = 0;
	err_clear(&e);
	rc = rec_reader_mem(&r, s, strlen(s), "t.tsv", &e);
	if (rc != 0) {
		snprintf(msg, msgsz, "%s", e.msg);
		*badline = e.line;
		return -1;
	}
	while ((rc = rec_read(r, &row, &e)) != 0) {
		if (rc == ERR_DATA) {
			(*bad)++;
			*badline = row.line;
			snprintf(msg, msgsz, "%s", e.msg);
			assert_non_null(row.raw);
			continue;
		}
		assert_int_equal(rc, 1);
		good++;
	}
	rec_reader_close(r);
	return good;
}

static void
test_basic(void **state)
{
	const char *in = "kind\ta\tb\nx\t1\t\nx\t\t2\n";
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	(void)state;
	assert_int_equal(rec_reader_mem(&r, in, strlen(in), "t", &e), 0);
	assert_int_equal(rec_reader_header(r)->n, 3);
	assert_string_equal(rec_reader_header(r)->names[2], "b");
	assert_int_equal(rec_reader_index(r, "b"), 2);
	assert_int_equal(rec_reader_index(r, "zz"), -1);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_int_equal(row.line, 2);
	assert_string_equal(row.v[1], "1");
	assert_int_equal(row.len[2], 0);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[2], "2");
	assert_int_equal(rec_read(r, &row, &e), 0);
	assert_int_equal(rec_reader_records(r), 2);
	rec_reader_close(r);
}

static void
test_escapes(void **state)
{
	const char *in = "kind\tv\nx\ta\\tb\\nc\\rd\\\\e\n";
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	(void)state;
	assert_int_equal(rec_reader_mem(&r, in, strlen(in), "t", &e), 0);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_int_equal(row.len[1], 9);
	assert_memory_equal(row.v[1], "a\tb\nc\rd\\e", 10);
	rec_reader_close(r);
}

static void
test_bad_lines(void **state)
{
	static const struct {
		const char *in, *msg;
		long line;
	} cases[] = {
		{ "kind\ta\nx\n", "1 fields where the header has 2", 2 },
		{ "kind\ta\nx\t1\t2\n", "3 fields where the header has 2", 2 },
		{ "kind\ta\nx\t\\x\n", "bad backslash escape", 2 },
		{ "kind\ta\nx\tab\\\n", "bad backslash escape", 2 },
		{ "kind\ta\nx\ta\rb\n", "unescaped carriage return", 2 },
		{ "kind\ta\nx\t\xff\n", "invalid UTF-8", 2 },
		{ "kind\ta\nx\t\xc0\x80\n", "invalid UTF-8", 2 },
		{ "kind\ta\nx\t1\n\nx\t2\n", "1 fields where the header has 2", 3 },
		{ "kind\ta\nx\t1\nx\t2", "last line has no newline (truncated?)", 3 },
		{ "kind\ta\nx\t1\ny\t2\n", "kind differs from 'x'", 3 },
		{ "kind\ta\n\t1\n", "empty kind", 2 },
	};
	char msg[256];
	long line;
	int bad;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		line = 0;
		msg[0] = '\0';
		read_all(cases[i].in, &bad, &line, msg, sizeof msg);
		assert_int_equal(bad, 1);
		assert_string_equal(msg, cases[i].msg);
		assert_int_equal(line, cases[i].line);
	}
}

static void
test_nul_byte(void **state)
{
	static const char in[] = "kind\ta\nx\ta\0b\nx\tc\n";
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	(void)state;
	assert_int_equal(rec_reader_mem(&r, in, sizeof in - 1, "t", &e), 0);
	assert_int_equal(rec_read(r, &row, &e), ERR_DATA);
	assert_string_equal(e.msg, "NUL byte");
	assert_int_equal(row.rawlen, 5);
	assert_int_equal(rec_read(r, &row, &e), 1);	/* goes on */
	assert_string_equal(row.v[1], "c");
	rec_reader_close(r);
}

static void
test_bad_headers(void **state)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "", "empty input (no header)" },
		{ "a\tkind\n", "first field is not 'kind'" },
		{ "kind\tA\n", "field 2: bad field name" },
		{ "kind\t1a\n", "field 2: bad field name" },
		{ "kind\ta\ta\n", "duplicate field name" },
		{ "kind\ta", "header has no newline" },
		{ "kind\t\n", "field 2: bad field name" },
		{ "kind\ta\\tb\n", "backslash in a field name" },
	};
	char msg[256];
	long line;
	int bad;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msg[0] = '\0';
		assert_int_equal(read_all(cases[i].in, &bad, &line, msg,
		    sizeof msg), -1);
		assert_string_equal(msg, cases[i].msg);
	}
}

static void
test_header_only(void **state)
{
	char msg[64];
	long line;
	int bad;

	(void)state;
	assert_int_equal(read_all("kind\ta\n", &bad, &line, msg, sizeof msg), 0);
	assert_int_equal(bad, 0);
}

static void
test_expect_kind(void **state)
{
	const char *in = "kind\ta\nevent\t1\n";
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	(void)state;
	assert_int_equal(rec_reader_mem(&r, in, strlen(in), "t", &e), 0);
	rec_reader_expect_kind(r, "person");
	assert_int_equal(rec_read(r, &row, &e), ERR_DATA);
	assert_string_equal(e.field, "kind");
	rec_reader_close(r);
}

/* Lines longer than the 1 MiB buffer, and a field of 1 MiB. */
static void
test_long_line(void **state)
{
	size_t n = (3u << 20) + 17, i;
	char *in = malloc(n + 64);
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	size_t k;

	(void)state;
	k = (size_t)sprintf(in, "kind\tv\nx\t");
	for (i = 0; i < n; i++)
		in[k++] = (char)('a' + i % 26);
	k += (size_t)sprintf(in + k, "\nx\tend\n");
	assert_int_equal(rec_reader_mem(&r, in, k, "t", &e), 0);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_int_equal(row.len[1], n);
	assert_int_equal(row.v[1][n - 1], 'a' + (n - 1) % 26);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[1], "end");
	rec_reader_close(r);
	free(in);
}

static void
test_escape_roundtrip(void **state)
{
	const char *v = "a\tb\\c\nd\re";
	char buf[64];
	size_t n;

	(void)state;
	assert_int_equal(rec_escaped_len(v, strlen(v)), strlen(v) + 4);
	n = rec_escape(buf, v, strlen(v));
	buf[n] = '\0';
	assert_string_equal(buf, "a\\tb\\\\c\\nd\\re");
}

/* Write records to a file, read them back: identical bytes and values. */
static void
test_write_read(void **state)
{
	char dir[] = "/tmp/test_recXXXXXX", path[128], hex[HASH_HEX_MAX];
	const char *hdr[] = { "kind", "a", "b" };
	const char *row1[] = { "x", "tab\there", "" };
	const char *row2[] = { "x", "中文\\", "line\nbreak\r" };
	struct out *o;
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	FILE *fp;
	char got[256];
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.tsv", dir);
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(rec_write(o, 3, hdr, NULL, &e), 0);
	assert_int_equal(rec_write(o, 3, row1, NULL, &e), 0);
	assert_int_equal(rec_write(o, 3, row2, NULL, &e), 0);
	assert_int_equal(out_commit(o, &e), 0);

	fp = fopen(path, "rb");
	n = fread(got, 1, sizeof got - 1, fp);
	got[n] = '\0';
	fclose(fp);
	assert_string_equal(got, "kind\ta\tb\nx\ttab\\there\t\n"
	    "x\t中文\\\\\tline\\nbreak\\r\n");

	assert_int_equal(rec_reader_open(&r, path, true, &e), 0);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[1], row1[1]);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[1], row2[1]);
	assert_string_equal(row.v[2], row2[2]);
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_sha256(r, hex);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(rec_reader_bytes(r), n);
	assert_int_equal(rec_reader_size(r), n);
	rec_reader_close(r);
	unlink(path);
	rmdir(dir);
}

static void
test_open_missing(void **state)
{
	struct rec_reader *r;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(rec_reader_open(&r, "/nonexistent/x.tsv", false, &e),
	    ERR_NOINPUT);
	assert_string_equal(e.msg,
	    "cannot open '/nonexistent/x.tsv': No such file or directory");
}

static void
test_extend(void **state)
{
	char *in_names[] = { "kind", "a", "grid", "b" };
	struct rec_header in = { 4, in_names }, out;
	const char *add[] = { "grid", "street" };
	const char *bad[] = { "Bad" };
	size_t pos[2];
	struct err e;

	(void)state;
	assert_int_equal(rec_extend(&in, add, 2, &out, pos, &e), 0);
	assert_int_equal(out.n, 5);
	assert_int_equal(pos[0], 2);	/* replaced in place */
	assert_int_equal(pos[1], 4);	/* appended */
	assert_string_equal(out.names[4], "street");
	mem_free(out.names);
	assert_int_equal(rec_extend(&in, bad, 1, &out, pos, &e), ERR_DATA);
}

static void
test_name_valid(void **state)
{
	(void)state;
	assert_true(rec_name_valid("a"));
	assert_true(rec_name_valid("a_1"));
	assert_false(rec_name_valid(""));
	assert_false(rec_name_valid("_a"));
	assert_false(rec_name_valid("aB"));
	assert_false(rec_name_valid("a-b"));
}

/* The N-th allocation fails: a clean error and no leak, every N. */
static void
test_oom(void **state)
{
	const char *in = "kind\ta\nx\t1\nx\t2\n";
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		rc = rec_reader_mem(&r, in, strlen(in), "t", &e);
		if (rc == 0) {
			while ((rc = rec_read(r, &row, &e)) == 1)
				;
			rec_reader_close(r);
		}
		mem_fail_after(-1);
		assert_true(rc == 0 || rc == ERR_INTERNAL);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_expect_kind),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_escape_roundtrip),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("rec", tests, NULL, NULL);
}
