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

/*
 * Read header + line + a good line; the line must be bad with msg and raw
 * bytes intact, and the good line after it must still read.
 */
static void
expect_bad(const char *line, size_t n, const char *msg)
{
	static const char hdr[] = "kind\ta\tb\n";
	char in[512];
	size_t k = 0;
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	assert_true(sizeof hdr - 1 + n + 16 < sizeof in);
	memcpy(in, hdr, sizeof hdr - 1);
	k = sizeof hdr - 1;
	memcpy(in + k, line, n);
	k += n;
	memcpy(in + k, "\nx\tok\t\n", 7);
	k += 7;
	err_clear(&e);
	assert_int_equal(rec_reader_mem(&r, in, k, "t", &e), 0);
	assert_int_equal(rec_read(r, &row, &e), ERR_DATA);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.line, 2);
	assert_int_equal(row.line, 2);
	assert_int_equal(row.rawlen, n);
	assert_memory_equal(row.raw, line, n);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[1], "ok");
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_close(r);
}

/* Read header + line: one good row whose field i is want. */
static void
expect_good(const char *line, size_t n, size_t i, const char *want,
    size_t wantlen)
{
	static const char hdr[] = "kind\ta\tb\n";
	char in[512];
	size_t k;
	struct rec_reader *r;
	struct rec_row row;
	struct err e;

	memcpy(in, hdr, sizeof hdr - 1);
	k = sizeof hdr - 1;
	memcpy(in + k, line, n);
	k += n;
	in[k++] = '\n';
	err_clear(&e);
	assert_int_equal(rec_reader_mem(&r, in, k, "t", &e), 0);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_int_equal(row.len[i], wantlen);
	assert_memory_equal(row.v[i], want, wantlen + 1);	/* and the NUL */
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_close(r);
}

/*
 * The reader checks 8 bytes at a time: every fault, at every offset from
 * a word boundary, after ASCII or CJK text, is found with its message and
 * leaves the raw line as it was.
 */
static void
test_fault_offsets(void **state)
{
	static const struct {
		const char *bytes, *msg;
		size_t n;
	} faults[] = {
		{ "\\x", "bad backslash escape", 2 },
		{ "\\", "bad backslash escape", 1 },	/* at the end: lone */
		{ "\0", "NUL byte", 1 },
		{ "\r", "unescaped carriage return", 1 },
		{ "\xff", "invalid UTF-8", 1 },
		{ "\x80", "invalid UTF-8", 1 },
		{ "\xc0\x80", "invalid UTF-8", 2 },
		{ "\xc1\xbf", "invalid UTF-8", 2 },
		{ "\xe0\x9f\xbf", "invalid UTF-8", 3 },	/* overlong */
		{ "\xed\xa0\x80", "invalid UTF-8", 3 },	/* surrogate */
		{ "\xe4\xb8", "invalid UTF-8", 2 },	/* truncated */
		{ "\xe4\x41\x80", "invalid UTF-8", 3 },
		{ "\xf0\x8f\xbf\xbf", "invalid UTF-8", 4 },	/* overlong */
		{ "\xf4\x90\x80\x80", "invalid UTF-8", 4 },	/* > U+10FFFF */
		{ "\xf5\x80\x80\x80", "invalid UTF-8", 4 },
		{ "\t", "4 fields where the header has 3", 1 },
	};
	/* ASCII by 1 byte, CJK by 3 (whole characters): all 8 offsets */
	static const char *pads[] = { "abcdefghijklmnopq", "中文字符测试中文" };
	static const size_t steps[] = { 1, 3 };
	char line[128];
	size_t f, off, pd, k;

	(void)state;
	for (f = 0; f < sizeof faults / sizeof faults[0]; f++)
		for (pd = 0; pd < 2; pd++)
			for (off = 0; off <= strlen(pads[pd]);
			    off += steps[pd]) {
				if (faults[f].bytes[0] == '\\' &&
				    faults[f].n == 1) {
					/* a lone backslash: the line's end */
					k = (size_t)sprintf(line, "x\t1\t");
					memcpy(line + k, pads[pd], off);
					k += off;
					line[k++] = '\\';
				} else {
					k = (size_t)sprintf(line, "x\t");
					memcpy(line + k, pads[pd], off);
					k += off;
					memcpy(line + k, faults[f].bytes,
					    faults[f].n);
					k += faults[f].n;
					memcpy(line + k, "tail\t1", 6);
					k += 6;
				}
				expect_bad(line, k, faults[f].msg);
			}
}

/* Several faults on a line: the first in a fixed order is reported. */
static void
test_fault_order(void **state)
{
#define L(s) s, sizeof s - 1
	static const struct {
		const char *line;
		size_t n;
		const char *msg;
	} cases[] = {
		{ L("x\t\0a\\q\tb"), "bad backslash escape" },
		{ L("x\t\ra\0\tb"), "NUL byte" },
		{ L("x\t\xff\r\tb"), "unescaped carriage return" },
		{ L("x\t\xff\t\tb\tc"), "invalid UTF-8" },
		{ L("x\t\\q\t\tb\tc"), "bad backslash escape" },
		{ L("x\ta\tb\tc\td"), "5 fields where the header has 3" },
		{ L("x\t\r"), "unescaped carriage return" },
		{ L("x\ta"), "2 fields where the header has 3" },
		{ L(""), "1 fields where the header has 3" },
	};
#undef L
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_bad(cases[i].line, cases[i].n, cases[i].msg);
}

/* Good lines: UTF-8 forms at the edges, control bytes, escapes over words. */
static void
test_good_forms(void **state)
{
	static const char *values[] = {
		"\xc3\xa9", "中", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
		"\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
		"\x01", "\x1f", "\x7f", "\x0b\x0c",
		"中文中文中文中文中文中文", ("a中b文c\xf0\x9f\x98\x80" "d"),
	};
	char line[128], want[128], last[128];
	size_t i, off, k, w;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		for (off = 0; off <= 9; off++) {
			k = (size_t)sprintf(line, "x\t");
			memset(line + k, 'a', off);
			memset(want, 'a', off);
			k += off;
			w = off;
			k += (size_t)sprintf(line + k, "%s", values[i]);
			w += (size_t)sprintf(want + w, "%s", values[i]);
			line[k] = '\t';	/* then an empty field b */
			expect_good(line, k + 1, 1, want, w);
			/* "x" TAB TAB value: the last field, up to the LF */
			memcpy(last, "x\t\t", 3);
			memcpy(last + 3, line + 2, k - 2);
			expect_good(last, k + 1, 2, want, w);
			k += (size_t)sprintf(line + k, "\\t\\\\z\\n\\r");
			w += (size_t)sprintf(want + w, "\t\\z\n\r");
			line[k++] = '\t';
			expect_good(line, k, 1, want, w);
		}
}

/* The plain byte-by-byte escape, to compare with the word-at-a-time one. */
static size_t
ref_escape(char *dst, const char *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		switch (v[i]) {
		case '\t': dst[k++] = '\\'; dst[k++] = 't'; break;
		case '\n': dst[k++] = '\\'; dst[k++] = 'n'; break;
		case '\r': dst[k++] = '\\'; dst[k++] = 'r'; break;
		case '\\': dst[k++] = '\\'; dst[k++] = '\\'; break;
		default: dst[k++] = v[i]; break;
		}
	return k;
}

/* Escaping: every special byte at every offset, every length to 40. */
static void
test_escape_offsets(void **state)
{
	static const char specials[] = "\t\n\r\\\0\x01\x0d\x0e\x1f";
	char v[64], want[128], got[128 + 8];
	size_t n, pos, s, k, wl;
	unsigned seed = 1;

	(void)state;
	for (n = 0; n <= 40; n++)
		for (pos = 0; pos <= n; pos++)
			for (s = 0; s < sizeof specials; s++) {
				for (k = 0; k < n; k++)
					v[k] = (char)("ab中\x80\xff"[k % 6]);
				if (pos < n)
					v[pos] = specials[s];
				if (pos + 3 < n)
					v[pos + 3] = specials[(s + 1) %
					    sizeof specials];
				wl = ref_escape(want, v, n);
				assert_int_equal(rec_escaped_len(v, n), wl);
				memset(got, '#', sizeof got);
				assert_int_equal(rec_escape(got, v, n), wl);
				assert_memory_equal(got, want, wl);
				assert_int_equal(got[wl], '#');	/* no overrun */
			}
	for (k = 0; k < 20000; k++) {		/* random bytes, biased */
		n = k % 61;
		for (pos = 0; pos < n; pos++) {
			seed = seed * 1103515245u + 12345u;
			v[pos] = (seed >> 16) % 4 == 0 ?
			    specials[(seed >> 20) % sizeof specials] :
			    (char)(seed >> 8);
		}
		wl = ref_escape(want, v, n);
		assert_int_equal(rec_escaped_len(v, n), wl);
		memset(got, '#', sizeof got);
		assert_int_equal(rec_escape(got, v, n), wl);
		assert_memory_equal(got, want, wl);
		assert_int_equal(got[wl], '#');
	}
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
		cmocka_unit_test(test_fault_offsets),
		cmocka_unit_test(test_fault_order),
		cmocka_unit_test(test_good_forms),
		cmocka_unit_test(test_escape_offsets),
		cmocka_unit_test(test_escape_roundtrip),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("rec", tests, NULL, NULL);
}
