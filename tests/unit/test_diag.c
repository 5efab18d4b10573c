/* test_diag.c - unit tests for lib/err.c and lib/diag.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "err.h"
#include "mem.h"

/* ---- err ---- */

static void
test_err_clear(void **state)
{
	struct err e;

	(void)state;
	memset(&e, 'x', sizeof e);
	err_clear(&e);
	assert_int_equal(e.code, ERR_OK);
	assert_int_equal(e.line, 0);
	assert_string_equal(e.file, "");
	assert_string_equal(e.field, "");
	assert_string_equal(e.msg, "");
	err_clear(NULL);
}

static void
test_err_set_keeps_location(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	err_at(&e, "people.csv", 12, "phone");
	assert_int_equal(err_set(&e, ERR_DATA, "wrong length (%d digits)", 10),
	    ERR_DATA);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.msg, "wrong length (10 digits)");
	assert_string_equal(e.file, "people.csv");
	assert_int_equal(e.line, 12);
	assert_string_equal(e.field, "phone");

	/* location set after the message: the message stays */
	err_clear(&e);
	err_set(&e, ERR_IO, "read error");
	err_at(&e, "x.tsv", 3, NULL);
	assert_string_equal(e.msg, "read error");
	assert_int_equal(e.code, ERR_IO);
	assert_string_equal(e.file, "x.tsv");
	assert_int_equal(e.line, 3);
	assert_string_equal(e.field, "");

	/* err_at with NULLs clears the location */
	err_at(&e, NULL, 0, NULL);
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.msg, "read error");

	/* a second err_set replaces the message and code */
	err_set(&e, ERR_USAGE, "bad option");
	assert_int_equal(e.code, ERR_USAGE);
	assert_string_equal(e.msg, "bad option");
}

static void
test_err_null(void **state)
{
	(void)state;
	assert_int_equal(err_set(NULL, ERR_DATA, "x %d", 1), ERR_DATA);
	assert_int_equal(err_errno(NULL, ERR_IO, ENOENT, "x"), ERR_IO);
	assert_int_equal(err_nomem(NULL), ERR_INTERNAL);
	err_at(NULL, "f", 1, "g");
}

static void
test_err_nomem(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(err_nomem(&e), ERR_INTERNAL);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_string_equal(e.msg, "out of memory");
}

static void
test_err_errno(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(err_errno(&e, ERR_NOINPUT, ENOENT, "cannot open '%s'",
	    "x.csv"), ERR_NOINPUT);
	assert_int_equal(e.code, ERR_NOINPUT);
	assert_string_equal(e.msg,
	    "cannot open 'x.csv': No such file or directory");
	err_errno(&e, ERR_IO, ENOSPC, "write error on '%s'", "out.tsv");
	assert_string_equal(e.msg,
	    "write error on 'out.tsv': No space left on device");
	assert_int_equal(e.code, ERR_IO);
	/* the location stays */
	err_at(&e, "f", 2, "k");
	err_errno(&e, ERR_IO, EIO, "x");
	assert_string_equal(e.file, "f");
	assert_int_equal(e.line, 2);
	assert_string_equal(e.field, "k");
	assert_string_equal(e.msg, "x: Input/output error");
}

/* Long strings are cut to the fixed buffers, NUL-terminated, no overflow. */
static void
test_err_truncation(void **state)
{
	struct {
		struct err e;
		char guard[64];
	} g;
	char longs[2000];
	size_t i;

	(void)state;
	memset(longs, 'a', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	memset(g.guard, 0x5c, sizeof g.guard);
	err_clear(&g.e);

	err_at(&g.e, longs, 7, longs);
	assert_int_equal(strlen(g.e.file), sizeof g.e.file - 1);
	assert_int_equal(strlen(g.e.field), sizeof g.e.field - 1);
	assert_int_equal(g.e.line, 7);

	err_set(&g.e, ERR_DATA, "%s", longs);
	assert_int_equal(strlen(g.e.msg), sizeof g.e.msg - 1);
	assert_int_equal(g.e.code, ERR_DATA);

	/* the errno text does not fit: still a terminated message */
	err_errno(&g.e, ERR_IO, ENOSPC, "%s", longs);
	assert_int_equal(strlen(g.e.msg), sizeof g.e.msg - 1);
	assert_memory_equal(g.e.msg, longs, sizeof g.e.msg - 1);
	/* almost full: the errno text is cut */
	err_errno(&g.e, ERR_IO, ENOSPC, "%.250s", longs);
	assert_int_equal(strlen(g.e.msg), sizeof g.e.msg - 1);
	assert_memory_equal(g.e.msg + 250, ": No ", 5);

	/* exactly fitting names are kept whole */
	longs[sizeof g.e.field - 1] = '\0';
	err_at(&g.e, "f", 1, longs);
	assert_string_equal(g.e.field, longs);

	for (i = 0; i < sizeof g.guard; i++)
		assert_int_equal((unsigned char)g.guard[i], 0x5c);
}

/* ---- diag ---- */

static const char *
shape(const char *prog, const char *file, long line, const char *field,
    const char *msg)
{
	static char out[1024];
	struct buf b = BUF_INIT;
	struct err e;

	err_clear(&e);
	err_at(&e, file, line, field);
	err_set(&e, ERR_DATA, "%s", msg);
	assert_int_equal(diag_format(&b, prog, &e), 0);
	assert_true(b.len < sizeof out);
	memcpy(out, b.p, b.len + 1);
	assert_int_equal(strlen(out), b.len);
	buf_free(&b);
	return out;
}

static void
test_diag_format(void **state)
{
	(void)state;
	assert_string_equal(shape("grid-import", "people.csv", 12, "x",
	    "wrong length"),
	    "grid-import: people.csv:12: field 'x': wrong length\n");
	assert_string_equal(shape("prog", "file", 0, NULL, "msg"),
	    "prog: file: msg\n");
	assert_string_equal(shape("prog", NULL, 0, NULL, "msg"),
	    "prog: msg\n");
	assert_string_equal(shape("prog", NULL, 0, "phone", "msg"),
	    "prog: field 'phone': msg\n");
	assert_string_equal(shape("prog", "f.tsv", 3, NULL, "msg"),
	    "prog: f.tsv:3: msg\n");
	assert_string_equal(shape("prog", "f.tsv", 0, "k", "msg"),
	    "prog: f.tsv: field 'k': msg\n");
	/* a line without a file says nothing */
	assert_string_equal(shape("prog", NULL, 9, NULL, "msg"),
	    "prog: msg\n");
	assert_string_equal(shape("prog", NULL, 0, NULL, ""),
	    "prog: unknown error\n");
	assert_string_equal(shape("p", "中文.csv", 1, "姓名", "bad"),
	    "p: 中文.csv:1: field '姓名': bad\n");
}

static void
test_diag_format_appends(void **state)
{
	struct buf b = BUF_INIT;
	struct err e;

	(void)state;
	err_clear(&e);
	err_set(&e, ERR_IO, "one");
	assert_int_equal(buf_adds(&b, "before\n"), 0);
	assert_int_equal(diag_format(&b, "p", &e), 0);
	err_set(&e, ERR_IO, "two");
	assert_int_equal(diag_format(&b, "p", &e), 0);
	assert_string_equal(b.p, "before\np: one\np: two\n");
	buf_free(&b);
}

static void
test_diag_errno_shape(void **state)
{
	struct buf b = BUF_INIT;
	struct err e;

	(void)state;
	err_clear(&e);
	err_errno(&e, ERR_NOINPUT, ENOENT, "cannot open '%s'", "x.csv");
	assert_int_equal(diag_format(&b, "prog", &e), 0);
	assert_string_equal(b.p,
	    "prog: cannot open 'x.csv': No such file or directory\n");
	buf_free(&b);
}

static void
test_diag_report(void **state)
{
	char got[512];
	struct err e;
	FILE *fp;
	size_t n;

	(void)state;
	fp = tmpfile();
	assert_non_null(fp);
	err_clear(&e);
	err_at(&e, "a.csv", 5, "id");
	err_set(&e, ERR_DATA, "bad check digit");
	diag_report(fp, "grid-import", &e);
	rewind(fp);
	n = fread(got, 1, sizeof got - 1, fp);
	got[n] = '\0';
	assert_string_equal(got,
	    "grid-import: a.csv:5: field 'id': bad check digit\n");
	fclose(fp);
}

static void
test_diag_oom(void **state)
{
	struct buf b = BUF_INIT;
	long live = mem_live(), count, n;
	struct err e;
	char got[256];
	FILE *fp;
	int rc;

	(void)state;
	err_clear(&e);
	err_at(&e, "file.csv", 12, "field");
	err_set(&e, ERR_DATA, "a message long enough to need more room than "
	    "the first 64 bytes of a buffer");
	for (n = 0; n < 100; n++) {
		assert_int_equal(buf_adds(&b, "kept"), 0);
		count = mem_count();
		mem_fail_after(n);
		rc = diag_format(&b, "prog", &e);
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, -1);
			/* the buffer is as it was */
			assert_int_equal(b.len, 4);
			assert_string_equal(b.p, "kept");
		} else
			assert_memory_equal(b.p, "keptprog: file.csv:12:", 22);
		buf_free(&b);
		assert_int_equal(mem_live(), live);
		if (rc == 0 && mem_count() - count < n)
			break;
	}
	assert_true(n < 100);

	/* diag_report out of memory still says something */
	fp = tmpfile();
	assert_non_null(fp);
	mem_fail_after(0);
	diag_report(fp, "prog", &e);
	mem_fail_after(-1);
	rewind(fp);
	n = (long)fread(got, 1, sizeof got - 1, fp);
	got[n] = '\0';
	assert_string_equal(got, "out of memory\n");
	fclose(fp);
	assert_int_equal(mem_live(), live);
}

static void
test_diag_status(void **state)
{
	static const int same[] = {
		ERR_OK, ERR_USAGE, ERR_DATA, ERR_NOINPUT, ERR_INTERNAL, ERR_IO
	};
	static const int unknown[] = { 1, 2, -1, 63, 67, 71, 73, 75, 255, 1000 };
	struct err e;
	size_t i;

	(void)state;
	err_clear(&e);
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		e.code = same[i];
		assert_int_equal(diag_status(&e), same[i]);
	}
	assert_int_equal(ERR_USAGE, 64);
	assert_int_equal(ERR_DATA, 65);
	assert_int_equal(ERR_NOINPUT, 66);
	assert_int_equal(ERR_INTERNAL, 70);
	assert_int_equal(ERR_IO, 74);
	for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		e.code = unknown[i];
		assert_int_equal(diag_status(&e), 70);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_clear),
		cmocka_unit_test(test_err_set_keeps_location),
		cmocka_unit_test(test_err_null),
		cmocka_unit_test(test_err_nomem),
		cmocka_unit_test(test_err_errno),
		cmocka_unit_test(test_err_truncation),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_format_appends),
		cmocka_unit_test(test_diag_errno_shape),
		cmocka_unit_test(test_diag_report),
		cmocka_unit_test(test_diag_oom),
		cmocka_unit_test(test_diag_status),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
