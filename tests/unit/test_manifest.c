/* test_manifest.c - unit tests for lib/manifest.c */
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

#include "buf.h"
#include "err.h"
#include "manifest.h"
#include "mem.h"
#include "rec.h"

#define HEADER "kind\tprogram\tversion\targs\tinputs\tconfigs\toutputs\trejects\n"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_manifest.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

static void
path_of(char *p, size_t size, const char *name)
{
	snprintf(p, size, "%s/%s", dir, name);
}

/* The whole file as a malloc'd string ("" when it does not exist). */
static char *
slurp(const char *path)
{
	struct stat st;
	char *p;
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		p = malloc(1);
		assert_non_null(p);
		*p = '\0';
		return p;
	}
	assert_int_equal(fstat(fileno(fp), &st), 0);
	p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	n = fread(p, 1, (size_t)st.st_size, fp);
	assert_int_equal(n, (size_t)st.st_size);
	p[n] = '\0';
	fclose(fp);
	return p;
}

static char *const argv1[] = {
	"grid-import", "-o", "out file.tsv", "--max-rejects", "10", "it's", "",
	"a;b", "x$y", "中文.csv", "tab\there", NULL
};
#define ARGC1 11
/* the args field as written: shell-quoted, then record-escaped */
#define ARGS1 "-o 'out file.tsv' --max-rejects 10 'it'\\\\''s' '' 'a;b' " \
	"'x$y' 中文.csv 'tab\\there'"
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static int
make(struct manifest **mp, struct err *e)
{
	int rc;

	if ((rc = manifest_new(mp, "grid-import", "0.1.0", ARGC1, argv1, e)) != 0)
		return rc;
	if ((rc = manifest_add(*mp, MANIFEST_INPUT, "in.csv", SHA_A, 10, e)) ||
	    (rc = manifest_add(*mp, MANIFEST_INPUT, "b;c%d\te.csv", SHA_B, 0,
	    e)) ||
	    (rc = manifest_add(*mp, MANIFEST_CONFIG, "schemas/event.yaml",
	    "cc", -1, e)) ||
	    (rc = manifest_add(*mp, MANIFEST_OUTPUT, "-", "dd", 5, e))) {
		manifest_free(*mp);
		*mp = NULL;
	}
	return rc;
}

#define LINE1 "manifest\tgrid-import\t0.1.0\t" ARGS1 "\t" \
	SHA_A ":10:in.csv;" SHA_B ":0:b%3Bc%25d%09e.csv\t" \
	"cc::schemas/event.yaml\tdd:5:-\t\n"

static void
test_line(void **state)
{
	struct manifest *m;
	struct buf b = BUF_INIT;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	assert_int_equal(make(&m, &e), 0);
	assert_int_equal(manifest_line(m, &b, &e), 0);
	assert_string_equal(b.p, LINE1);
	assert_int_equal(b.len, strlen(LINE1));
	/* the same run gives the same line; and it appends to b */
	assert_int_equal(manifest_line(m, &b, &e), 0);
	assert_string_equal(b.p, LINE1 LINE1);
	manifest_free(m);
	manifest_free(NULL);
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

static void
test_no_args_no_files(void **state)
{
	struct manifest *m;
	struct buf b = BUF_INIT;
	char *const argv[] = { "grid-assign", NULL };

	(void)state;
	assert_int_equal(manifest_new(&m, "grid-assign", "1", 1, argv, NULL), 0);
	assert_int_equal(manifest_line(m, &b, NULL), 0);
	assert_string_equal(b.p, "manifest\tgrid-assign\t1\t\t\t\t\t\n");
	manifest_free(m);
	buf_free(&b);

	assert_int_equal(manifest_new(&m, "p", "v", 0, NULL, NULL), 0);
	assert_int_equal(manifest_line(m, &b, NULL), 0);
	assert_string_equal(b.p, "manifest\tp\tv\t\t\t\t\t\n");
	manifest_free(m);
	buf_free(&b);
}

static void
test_quoting(void **state)
{
	static const struct {
		const char *word, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "--opt=value", "--opt=value" },
		{ "/a/b-c_d.e,f:g@h+i%j", "/a/b-c_d.e,f:g@h+i%j" },
		{ "a b", "'a b'" },
		{ "", "''" },
		{ "it's", "'it'\\\\''s'" },
		{ "\"q\"", "'\"q\"'" },
		{ "a\\b", "'a\\\\b'" },
		{ "$HOME", "'$HOME'" },
		{ "*.csv", "'*.csv'" },
		{ "a|b", "'a|b'" },
		{ "a&b", "'a&b'" },
		{ "a>b", "'a>b'" },
		{ "(x)", "'(x)'" },
		{ "~", "'~'" },
		{ "#c", "'#c'" },
		{ "`x`", "'`x`'" },
		{ "x\ny", "'x\\ny'" },
		{ "网格", "网格" },
	};
	char *argv[3];
	struct manifest *m;
	struct buf b = BUF_INIT, want = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		argv[0] = "p";
		argv[1] = (char *)(uintptr_t)cases[i].word;
		argv[2] = NULL;
		assert_int_equal(manifest_new(&m, "p", "v", 2, argv, NULL), 0);
		assert_int_equal(manifest_line(m, &b, NULL), 0);
		assert_int_equal(buf_printf(&want, "manifest\tp\tv\t%s\t\t\t\t\n",
		    cases[i].want), 0);
		if (strcmp(b.p, want.p) != 0)
			fail_msg("word [%s]: got [%s] want [%s]", cases[i].word,
			    b.p, want.p);
		manifest_free(m);
		buf_reset(&b);
		buf_reset(&want);
	}
	buf_free(&b);
	buf_free(&want);
}

static void
test_entries(void **state)
{
	struct manifest *m;
	struct buf b = BUF_INIT;
	char *const argv[] = { "p", NULL };

	(void)state;
	assert_int_equal(manifest_new(&m, "p", "v", 1, argv, NULL), 0);
	assert_int_equal(manifest_add(m, MANIFEST_REJECTS, "rej;1%\t.tsv", "r1",
	    -5, NULL), 0);
	assert_int_equal(manifest_add(m, MANIFEST_REJECTS, "a\nb\x7f\x01.tsv",
	    "r2", 123456789012LL, NULL), 0);
	assert_int_equal(manifest_add(m, MANIFEST_OUTPUT, "网格.tsv", "", 0,
	    NULL), 0);
	assert_int_equal(manifest_add(m, MANIFEST_CONFIG, "a:b.yaml", "c", -1,
	    NULL), 0);
	assert_int_equal(manifest_line(m, &b, NULL), 0);
	assert_string_equal(b.p, "manifest\tp\tv\t\t\tc::a:b.yaml\t:0:网格.tsv\t"
	    "r1::rej%3B1%25%09.tsv;r2:123456789012:a%0Ab%7F%01.tsv\n");
	manifest_free(m);
	buf_free(&b);
}

static void
test_append(void **state)
{
	struct manifest *m;
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	char path[256], *got;
	long live = mem_live();
	mode_t old;
	struct stat st;

	(void)state;
	path_of(path, sizeof path, "manifest.tsv");
	assert_int_equal(make(&m, &e), 0);
	old = umask(022);
	assert_int_equal(manifest_append(m, path, &e), 0);
	umask(old);
	got = slurp(path);
	assert_string_equal(got, HEADER LINE1);
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* second append: no second header */
	assert_int_equal(manifest_append(m, path, &e), 0);
	got = slurp(path);
	assert_string_equal(got, HEADER LINE1 LINE1);
	free(got);
	manifest_free(m);

	/* a grid-records file of kind manifest */
	assert_int_equal(rec_reader_open(&r, path, false, &e), 0);
	assert_int_equal(rec_reader_header(r)->n, 8);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[0], "manifest");
	assert_string_equal(row.v[3], "-o 'out file.tsv' --max-rejects 10 "
	    "'it'\\''s' '' 'a;b' 'x$y' 中文.csv 'tab\there'");
	assert_string_equal(row.v[7], "");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_close(r);
	unlink(path);

	/* a file that already holds something gets no header */
	path_of(path, sizeof path, "other.tsv");
	{
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs(HEADER, fp);
		fclose(fp);
	}
	assert_int_equal(make(&m, &e), 0);
	assert_int_equal(manifest_append(m, path, &e), 0);
	manifest_free(m);
	got = slurp(path);
	assert_string_equal(got, HEADER LINE1);
	free(got);
	unlink(path);
	assert_int_equal(mem_live(), live);
}

static void
test_append_errors(void **state)
{
	struct manifest *m;
	struct err e;
	char path[256];
	long live = mem_live();

	(void)state;
	assert_int_equal(make(&m, &e), 0);
	path_of(path, sizeof path, "missing/manifest.tsv");
	err_clear(&e);
	assert_int_equal(manifest_append(m, path, &e), ERR_IO);
	assert_int_equal(e.code, ERR_IO);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "No such file or directory"));

	/* a folder */
	err_clear(&e);
	assert_int_equal(manifest_append(m, dir, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "Is a directory"));

	/* the write fails */
	err_clear(&e);
	assert_int_equal(manifest_append(m, "/dev/full", &e), ERR_IO);
	assert_string_equal(e.msg, "cannot append to manifest '/dev/full': "
	    "No space left on device");
	manifest_free(m);
	assert_int_equal(mem_live(), live);
}

static void
test_oom(void **state)
{
	struct manifest *m;
	struct err e;
	char path[256], *got;
	long live = mem_live(), count, n;
	int rc;

	(void)state;
	path_of(path, sizeof path, "oom.tsv");
	for (n = 0; n < 1000; n++) {
		count = mem_count();
		err_clear(&e);
		mem_fail_after(n);
		rc = make(&m, &e);
		if (rc == 0) {
			rc = manifest_append(m, path, &e);
			manifest_free(m);
		}
		mem_fail_after(-1);
		got = slurp(path);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_int_equal(e.code, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			assert_string_equal(got, "");	/* no partial line */
		} else
			assert_string_equal(got, HEADER LINE1);
		free(got);
		unlink(path);
		assert_int_equal(mem_live(), live);
		if (rc == 0 && mem_count() - count < n)
			break;
	}
	assert_true(n < 1000);

	/* manifest_line alone leaves b as it was */
	assert_int_equal(make(&m, &e), 0);
	{
		struct buf b = BUF_INIT;

		assert_int_equal(buf_adds(&b, "x"), 0);
		mem_fail_after(0);
		rc = manifest_line(m, &b, &e);
		mem_fail_after(-1);
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(b.p, "x");
		assert_int_equal(b.len, 1);
		buf_free(&b);
	}
	manifest_free(m);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_no_args_no_files),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_append_errors),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("manifest", tests, setup, teardown);
}
