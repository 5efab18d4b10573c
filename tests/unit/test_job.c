/* test_job.c - unit tests for lib/job.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "hash.h"
#include "job.h"
#include "mem.h"
#include "rec.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define REJECT_HEADER \
	"kind\tprogram\tfile\tline\tfield\treason\traw\traw_encoding\n"
#define MAN_HEADER \
	"kind\tprogram\tversion\targs\tinputs\tconfigs\toutputs\trejects\n"

static char dir[64];
static char out_path[128], rej_path[128], man_path[128];

/* ---- helpers ---- */

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_job.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(out_path, sizeof out_path, "%s/out.tsv", dir);
	snprintf(rej_path, sizeof rej_path, "%s/rej.tsv", dir);
	snprintf(man_path, sizeof man_path, "%s/manifest.tsv", dir);
	unsetenv("GRID_MANIFEST");
	return 0;
}

static void
empty_dir(void)
{
	char p[512];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
}

/* Before each test: an empty folder, no GRID_MANIFEST. */
static int
clean(void **state)
{
	(void)state;
	empty_dir();
	unsetenv("GRID_MANIFEST");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	empty_dir();
	unsetenv("GRID_MANIFEST");
	return rmdir(dir);
}

/* Number of files in dir; with tmp, only those with ".tmp" in the name. */
static int
files(bool tmp)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' &&
		    (!tmp || strstr(de->d_name, ".tmp") != NULL))
			n++;
	closedir(d);
	return n;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int
count_fds(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	struct stat st;
	char *p;
	FILE *fp;
	size_t n;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fstat(fileno(fp), &st), 0);
	p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	n = fread(p, 1, (size_t)st.st_size, fp);
	assert_int_equal(n, (size_t)st.st_size);
	p[n] = '\0';
	fclose(fp);
	return p;
}

/* got starts with want */
static void
prefix(const char *got, const char *want)
{
	if (strncmp(got, want, strlen(want)) != 0)
		fail_msg("got [%s]\nwant prefix [%s]", got, want);
}

static struct err
why_of(const char *file, long line, const char *field, const char *msg)
{
	struct err w;

	err_clear(&w);
	err_at(&w, file, line, field);
	err_set(&w, ERR_DATA, "%s", msg);
	return w;
}

static struct job_opts
opts(const char *output, const char *rejects, long long max,
    const char *manifest)
{
	struct job_opts o;

	memset(&o, 0, sizeof o);
	o.output = output;
	o.rejects = rejects;
	o.max_rejects = max;
	o.manifest = manifest;
	return o;
}

static int
write_record(struct job *j, const char *a, const char *b, struct err *e)
{
	const char *v[3] = { "event", a, b };

	return rec_write(j->out, 3, v, NULL, e);
}

/* ---- tests ---- */

static void
test_reject_record(void **state)
{
	struct job_opts o = opts(out_path, rej_path, -1, NULL);
	struct err w, e;
	struct job j;
	struct rec_reader *r;
	struct rec_row row;
	struct stat st;
	mode_t old;
	char *got;
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	old = umask(022);
	err_clear(&e);
	assert_int_equal(job_open(&j, "grid-import", "0.1.0", &o, &e), 0);
	assert_non_null(j.rej);
	w = why_of("in.csv", 7, "phone", "wrong length");
	assert_int_equal(job_reject(&j, &w, "a,b\tc\\d", 7, true, &e), 0);
	w = why_of("in.csv", 8, "name", "invalid UTF-8");
	assert_int_equal(job_reject(&j, &w, "\xff\xfe\x00" "a", 4, false, &e),
	    0);
	w = why_of(NULL, 0, NULL, "no file");
	assert_int_equal(job_reject(&j, &w, NULL, 0, true, &e), 0);
	/* one final LF or CRLF is left out; inner line ends stay */
	w = why_of("in.csv", 10, NULL, "crlf");
	assert_int_equal(job_reject(&j, &w, "x,y\r\n", 5, true, &e), 0);
	w = why_of("in.csv", 11, NULL, "quoted newline");
	assert_int_equal(job_reject(&j, &w, "\"a\nb\"\n", 6, true, &e), 0);
	w = why_of("in.csv", 13, NULL, "bad byte");
	assert_int_equal(job_reject(&j, &w, "\xff\n", 2, false, &e), 0);
	w = why_of("in.csv", 14, NULL, "nul");
	assert_int_equal(job_reject(&j, &w, "a\0b", 3, true, &e), 0);
	assert_int_equal(j.rejected, 7);
	assert_int_equal(write_record(&j, "x", "y", &e), 0);
	j.written = 1;
	j.read = 8;
	assert_int_equal(job_finish(&j, &e), 0);
	umask(old);

	/* the exact bytes of the first records */
	got = slurp(rej_path);
	prefix(got, REJECT_HEADER
	    "reject\tgrid-import\tin.csv\t7\tphone\twrong length\t"
	    "a,b\\tc\\\\d\t\n"
	    "reject\tgrid-import\tin.csv\t8\tname\tinvalid UTF-8\t"
	    "//4AYQ==\tbase64\n"
	    "reject\tgrid-import\t\t\t\tno file\t\t\n"
	    "reject\tgrid-import\tin.csv\t10\t\tcrlf\tx,y\t\n");
	free(got);

	/* and read back as grid-records */
	assert_int_equal(rec_reader_open(&r, rej_path, false, &e), 0);
	assert_int_equal(rec_reader_header(r)->n, 8);
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[0], "reject");
	assert_string_equal(row.v[1], "grid-import");
	assert_string_equal(row.v[2], "in.csv");
	assert_string_equal(row.v[3], "7");
	assert_string_equal(row.v[4], "phone");
	assert_string_equal(row.v[5], "wrong length");
	assert_string_equal(row.v[6], "a,b\tc\\d");
	assert_string_equal(row.v[7], "");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[6], "//4AYQ==");
	assert_string_equal(row.v[7], "base64");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[2], "");
	assert_string_equal(row.v[3], "");
	assert_string_equal(row.v[6], "");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[6], "x,y");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[6], "\"a\nb\"");
	assert_int_equal(rec_read(r, &row, &e), 1);
	assert_string_equal(row.v[6], "/w==");
	assert_string_equal(row.v[7], "base64");
	/* a NUL byte cannot be in a record: the row goes as base64 */
	if (rec_read(r, &row, &e) != 1)
		fail_msg("row with a NUL byte: %s", e.msg);
	assert_string_equal(row.v[5], "nul");
	assert_string_equal(row.v[6], "YQBi");
	assert_string_equal(row.v[7], "base64");
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_close(r);

	/* modes: rejects 0600 (raw personal data), records as asked */
	assert_int_equal(stat(rej_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(out_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	got = slurp(out_path);
	assert_string_equal(got, "event\tx\ty\n");
	free(got);
	assert_false(exists(man_path));
	empty_dir();
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

/* Base64 of every length and byte, checked against a plain decoder. */
static int
unb64(int c)
{
	const char *tab =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(tab, c);

	return c != '\0' && p != NULL ? (int)(p - tab) : -1;
}

static void
test_base64(void **state)
{
	struct job_opts o = opts(out_path, rej_path, -1, NULL);
	unsigned char raw[300], dec[300];
	struct rec_reader *r;
	struct rec_row row;
	struct err w, e;
	struct job j;
	size_t n, i, k;

	(void)state;
	for (i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(255 - i);
	w = why_of("f", 1, NULL, "bad");
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	for (n = 1; n < 40; n++)
		assert_int_equal(job_reject(&j, &w, (char *)raw, n, false, &e), 0);
	assert_int_equal(job_reject(&j, &w, (char *)raw, sizeof raw, false,
	    &e), 0);
	assert_int_equal(job_finish(&j, &e), 0);

	assert_int_equal(rec_reader_open(&r, rej_path, false, &e), 0);
	for (n = 1; n <= 40; n++) {
		size_t want = n < 40 ? n : sizeof raw;
		const char *s;

		assert_int_equal(rec_read(r, &row, &e), 1);
		s = row.v[6];
		assert_int_equal(row.len[6], (want + 2) / 3 * 4);
		for (i = k = 0; i < row.len[6]; i += 4) {
			int a = unb64(s[i]), b = unb64(s[i + 1]);
			int c = s[i + 2] == '=' ? 0 : unb64(s[i + 2]);
			int d = s[i + 3] == '=' ? 0 : unb64(s[i + 3]);

			assert_true(a >= 0 && b >= 0 && c >= 0 && d >= 0);
			dec[k++] = (unsigned char)(a << 2 | b >> 4);
			if (s[i + 2] != '=')
				dec[k++] = (unsigned char)(b << 4 | c >> 2);
			if (s[i + 3] != '=')
				dec[k++] = (unsigned char)(c << 6 | d);
		}
		assert_int_equal(k, want);
		assert_memory_equal(dec, raw, want);
	}
	rec_reader_close(r);
	empty_dir();
}

static void
test_reject_without_file(void **state)
{
	struct job_opts o = opts(out_path, NULL, -1, NULL);
	struct err w, e;
	struct job j;
	long live = mem_live();

	(void)state;
	assert_int_equal(job_open(&j, "grid-import", "0.1.0", &o, &e), 0);
	assert_null(j.rej);
	w = why_of("in.csv", 12, "id", "bad check digit");
	memset(&e, 0, sizeof e);
	assert_int_equal(job_reject(&j, &w, "row", 3, true, &e), ERR_DATA);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.file, "in.csv");
	assert_int_equal(e.line, 12);
	assert_string_equal(e.field, "id");
	assert_string_equal(e.msg, "bad check digit");
	/* e may be why itself, or NULL */
	assert_int_equal(job_reject(&j, &w, "row", 3, true, &w), ERR_DATA);
	assert_string_equal(w.msg, "bad check digit");
	assert_int_equal(w.line, 12);
	assert_int_equal(job_reject(&j, &w, NULL, 0, true, NULL), ERR_DATA);
	assert_int_equal(j.rejected, 3);
	job_abort(&j);
	assert_int_equal(files(false), 0);
	assert_int_equal(mem_live(), live);
}

static void
test_max_rejects(void **state)
{
	struct job_opts o = opts(out_path, rej_path, 2, NULL);
	struct err w, e;
	struct job j;
	long live = mem_live();

	(void)state;
	w = why_of("in.csv", 3, "f", "bad");
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(job_reject(&j, &w, "1", 1, true, &e), 0);
	assert_int_equal(job_reject(&j, &w, "2", 1, true, &e), 0);
	err_clear(&e);
	err_at(&e, "stale", 9, "stale");
	assert_int_equal(job_reject(&j, &w, "3", 1, true, &e), ERR_DATA);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.msg, "more than 2 rejected rows");
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.field, "");
	job_abort(&j);
	assert_int_equal(files(false), 0);

	/* 0: the first one is too many */
	o.max_rejects = 0;
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(job_reject(&j, &w, "1", 1, true, &e), ERR_DATA);
	assert_string_equal(e.msg, "more than 0 rejected rows");
	job_abort(&j);
	assert_int_equal(files(false), 0);
	assert_int_equal(mem_live(), live);
}

static void
test_stats(void **state)
{
	struct job_opts o = opts(out_path, rej_path, -1, NULL);
	struct buf b = BUF_INIT;
	struct err w, e;
	struct job j;
	long live = mem_live();

	(void)state;
	assert_int_equal(job_open(&j, "grid-import", "0.1.0", &o, &e), 0);
	assert_int_equal(job_stats(&j, &b), 0);
	assert_string_equal(b.p,
	    "grid-import: read 0, written 0, rejected 0\n");
	buf_reset(&b);
	w = why_of("a.csv", 1, "phone", "wrong length");
	assert_int_equal(job_reject(&j, &w, "r", 1, true, &e), 0);
	w = why_of("a.csv", 2, "id", "bad check digit");
	assert_int_equal(job_reject(&j, &w, "r", 1, true, &e), 0);
	w = why_of("b.csv", 9, "phone", "wrong length");
	assert_int_equal(job_reject(&j, &w, "r", 1, true, &e), 0);
	w = why_of("b.csv", 10, NULL, "empty kind");
	assert_int_equal(job_reject(&j, &w, "r", 1, true, &e), 0);
	j.read = 10;
	j.written = 6;
	assert_int_equal(buf_adds(&b, "> "), 0);
	assert_int_equal(job_stats(&j, &b), 0);
	assert_string_equal(b.p, "> grid-import: read 10, written 6, "
	    "rejected 4 (bad check digit: 1, empty kind: 1, wrong length: 2)\n");
	/* the counters are printed as they are */
	buf_reset(&b);
	j.read = 1;
	assert_int_equal(job_stats(&j, &b), 0);
	assert_memory_equal(b.p, "grid-import: read 1, written 6, rejected 4",
	    42);
	/* out of memory */
	buf_free(&b);
	mem_fail_after(0);
	assert_int_equal(job_stats(&j, &b), -1);
	mem_fail_after(-1);
	buf_free(&b);
	job_abort(&j);
	assert_int_equal(files(false), 0);
	assert_int_equal(mem_live(), live);
}

/* Distinct reasons are bounded: past 256, "other reasons". */
static void
test_many_reasons(void **state)
{
	struct job_opts o = opts(out_path, NULL, -1, NULL);
	struct buf b = BUF_INIT;
	struct err w;
	struct job j;
	char msg[32];
	int i;

	(void)state;
	assert_int_equal(job_open(&j, "p", "v", &o, NULL), 0);
	for (i = 0; i < 300; i++) {
		snprintf(msg, sizeof msg, "reason %03d", i);
		w = why_of("f", i + 1, NULL, msg);
		assert_int_equal(job_reject(&j, &w, NULL, 0, true, NULL),
		    ERR_DATA);
	}
	/* a reason already known still counts under its own name */
	w = why_of("f", 1, NULL, "reason 000");
	assert_int_equal(job_reject(&j, &w, NULL, 0, true, NULL), ERR_DATA);
	assert_int_equal(j.nreasons, 257);
	assert_int_equal(j.rejected, 301);
	assert_int_equal(job_stats(&j, &b), 0);
	assert_non_null(strstr(b.p, "rejected 301 (other reasons: 44, "
	    "reason 000: 2, reason 001: 1, "));
	assert_non_null(strstr(b.p, "reason 255: 1)\n"));
	assert_null(strstr(b.p, "reason 256"));
	buf_free(&b);
	job_abort(&j);
	assert_int_equal(files(false), 0);
}

/* job_finish: both files committed and the manifest line appended. */
static void
test_finish_manifest(void **state)
{
	char *const argv[] = {
		"grid-import", "-o", out_path, "--rejects", rej_path, "in.csv",
		NULL
	};
	char outsha[HASH_HEX_MAX], rejsha[HASH_HEX_MAX], *got;
	struct job_opts o = opts(out_path, rej_path, -1, NULL);
	struct buf want = BUF_INIT;
	struct err w, e;
	struct job j;
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	o.argc = 6;
	o.argv = argv;
	assert_int_equal(setenv("GRID_MANIFEST", man_path, 1), 0);
	err_clear(&e);
	assert_int_equal(job_open(&j, "grid-import", "0.1.0", &o, &e), 0);
	unsetenv("GRID_MANIFEST");
	assert_non_null(j.man);
	assert_int_equal(job_input(&j, MANIFEST_INPUT, "in.csv", SHA_A, 3,
	    &e), 0);
	assert_int_equal(job_input(&j, MANIFEST_CONFIG, "s.yaml", "cc", -1,
	    &e), 0);
	assert_int_equal(job_input(&j, MANIFEST_INPUT, NULL, "dd", 0, &e), 0);
	assert_int_equal(write_record(&j, "kind", "a", &e), 0);
	assert_int_equal(write_record(&j, "1", "2", &e), 0);
	assert_int_equal(write_record(&j, "3", "4", &e), 0);
	w = why_of("in.csv", 2, "a", "bad");
	assert_int_equal(job_reject(&j, &w, "x", 1, true, &e), 0);
	j.read = 3;
	j.written = 2;
	assert_false(exists(man_path));
	assert_int_equal(job_finish(&j, &e), 0);
	assert_false(job_epipe(&j));

	assert_int_equal(hash_sha256_file(out_path, outsha, &e), 0);
	assert_int_equal(hash_sha256_file(rej_path, rejsha, &e), 0);
	assert_int_equal(buf_printf(&want, MAN_HEADER "manifest\tgrid-import\t"
	    "0.1.0\t-o %s --rejects %s in.csv\t" SHA_A ":3:in.csv;dd:0:-\t"
	    "cc::s.yaml\t%s:2:%s\t%s:1:%s\n", out_path, rej_path, outsha,
	    out_path, rejsha, rej_path), 0);
	got = slurp(man_path);
	assert_string_equal(got, want.p);
	free(got);
	buf_free(&want);
	assert_int_equal(files(false), 3);
	empty_dir();
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

static void
test_manifest_choice(void **state)
{
	char other[160];
	struct job_opts o = opts(out_path, NULL, -1, NULL);
	struct err e;
	struct job j;
	char *got;

	(void)state;
	snprintf(other, sizeof other, "%s/other.tsv", dir);

	/* o->manifest wins over GRID_MANIFEST */
	setenv("GRID_MANIFEST", other, 1);
	o.manifest = man_path;
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(job_finish(&j, &e), 0);
	assert_true(exists(man_path));
	assert_false(exists(other));
	got = slurp(man_path);
	prefix(got, MAN_HEADER "manifest\tp\tv\t\t\t\t"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	    ":0:");
	free(got);
	empty_dir();

	/* GRID_MANIFEST when o->manifest is NULL */
	o.manifest = NULL;
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(job_finish(&j, &e), 0);
	assert_true(exists(other));
	empty_dir();

	/* neither, or an empty GRID_MANIFEST: no manifest */
	setenv("GRID_MANIFEST", "", 1);
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_null(j.man);
	assert_int_equal(job_finish(&j, &e), 0);
	unsetenv("GRID_MANIFEST");
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_null(j.man);
	assert_int_equal(job_finish(&j, &e), 0);
	assert_int_equal(files(false), 1);		/* out.tsv */
	empty_dir();

	/* the manifest cannot be written: ERR_IO, the outputs are there */
	o.manifest = "/nonexistent-dir/manifest.tsv";
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	err_clear(&e);
	assert_int_equal(job_finish(&j, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/manifest.tsv"));
	assert_int_equal(files(true), 0);
	empty_dir();
}

static void
test_abort_leaves_nothing(void **state)
{
	struct job_opts o = opts(out_path, rej_path, -1, man_path);
	struct err w, e;
	struct job j;
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(files(true), 2);	/* two temp files */
	assert_int_equal(write_record(&j, "a", "b", &e), 0);
	w = why_of("f", 1, NULL, "bad");
	assert_int_equal(job_reject(&j, &w, "raw", 3, true, &e), 0);
	job_abort(&j);
	assert_int_equal(files(false), 0);
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

static void
test_open_errors(void **state)
{
	char bad[160];
	struct job_opts o;
	struct err e;
	struct job j;
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	snprintf(bad, sizeof bad, "%s/missing/x.tsv", dir);
	o = opts(out_path, bad, -1, man_path);
	err_clear(&e);
	assert_int_equal(job_open(&j, "p", "v", &o, &e), ERR_IO);
	assert_non_null(strstr(e.msg, bad));
	assert_int_equal(files(false), 0);	/* the output's temp is gone */

	o = opts(bad, rej_path, -1, NULL);
	assert_int_equal(job_open(&j, "p", "v", &o, &e), ERR_IO);
	assert_non_null(strstr(e.msg, bad));
	assert_int_equal(files(false), 0);
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

static void
test_output_full(void **state)
{
	struct job_opts o = opts("/dev/full", rej_path, -1, NULL);
	struct err w, e;
	struct job j;
	long live = mem_live();

	(void)state;
	assert_int_equal(job_open(&j, "p", "v", &o, &e), 0);
	assert_int_equal(write_record(&j, "a", "b", &e), 0);
	w = why_of("f", 1, NULL, "bad");
	assert_int_equal(job_reject(&j, &w, "raw", 3, true, &e), 0);
	err_clear(&e);
	assert_int_equal(job_finish(&j, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "No space left on device"));
	assert_false(job_epipe(&j));
	assert_int_equal(files(true), 0);
	empty_dir();
	assert_int_equal(mem_live(), live);
}

/* Records to a closed pipe: ERR_IO and job_epipe, manifest or not. */
static void
check_epipe(const char *manifest)
{
	struct job_opts o = opts(NULL, rej_path, -1, manifest);
	void (*old)(int);
	struct err w, e;
	struct job j;
	int pfd[2], saved, rc;
	long live = mem_live();

	old = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(pfd), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	dup2(pfd[1], STDOUT_FILENO);
	close(pfd[1]);
	close(pfd[0]);

	rc = job_open(&j, "p", "v", &o, &e);
	if (rc == 0) {
		w = why_of("f", 1, NULL, "bad");
		rc = write_record(&j, "a", "b", &e);
		if (rc == 0)
			rc = job_reject(&j, &w, "raw", 3, true, &e);
		if (rc == 0)
			rc = job_finish(&j, &e);
		else
			job_abort(&j);
	}
	dup2(saved, STDOUT_FILENO);
	close(saved);
	signal(SIGPIPE, old);

	assert_int_equal(rc, ERR_IO);
	assert_true(job_epipe(&j));
	assert_non_null(strstr(e.msg, "Broken pipe"));
	assert_int_equal(files(true), 0);
	assert_false(exists(man_path));
	empty_dir();
	assert_int_equal(mem_live(), live);
}

static void
test_epipe(void **state)
{
	(void)state;
	check_epipe(NULL);
	check_epipe(man_path);
}

/* The OOM loop over a whole run. */
static int
run(struct err *e)
{
	char *const argv[] = { "grid-import", "a b", "c", NULL };
	struct job_opts o = opts(out_path, rej_path, 5, man_path);
	unsigned char raw[100];
	struct err w;
	struct job j;
	size_t i;
	int rc;

	o.argc = 3;
	o.argv = argv;
	for (i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(i * 7 + 128);
	if ((rc = job_open(&j, "grid-import", "0.1.0", &o, e)) != 0)
		return rc;
	w = why_of("in.csv", 1, "a", "first reason");
	if ((rc = job_input(&j, MANIFEST_INPUT, "in.csv", SHA_A, 4, e)) ||
	    (rc = write_record(&j, "kind", "a", e)) ||
	    (rc = write_record(&j, "x", "y", e)) ||
	    (rc = job_reject(&j, &w, "plain row", 9, true, e)))
		goto fail;
	w = why_of("in.csv", 2, "b", "second reason");
	if ((rc = job_reject(&j, &w, (char *)raw, sizeof raw, false, e)))
		goto fail;
	w = why_of("in.csv", 3, "b", "first reason");
	if ((rc = job_reject(&j, &w, "a\0b", 3, true, e)))
		goto fail;
	j.read = 4;
	j.written = 1;
	return job_finish(&j, e);
fail:
	job_abort(&j);
	return rc;
}

static void
test_oom(void **state)
{
	struct err e;
	long live = mem_live(), count, n;
	int fds = count_fds(), rc;
	char *got;

	(void)state;
	for (n = 0; n < 1000; n++) {
		count = mem_count();
		err_clear(&e);
		mem_fail_after(n);
		rc = run(&e);
		mem_fail_after(-1);
		if (rc != 0) {
			if (rc != ERR_INTERNAL)
				fail_msg("n=%ld: rc %d: %s", n, rc, e.msg);
			assert_int_equal(e.code, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			assert_int_equal(files(true), 0);
			/* created before it ran out, but nothing in it */
			if (exists(man_path)) {
				got = slurp(man_path);
				assert_string_equal(got, "");
				free(got);
			}
		} else {
			got = slurp(man_path);
			prefix(got, MAN_HEADER "manifest\t"
			    "grid-import\t0.1.0\t'a b' c\t" SHA_A ":4:in.csv\t");
			free(got);
			assert_int_equal(files(false), 3);
		}
		empty_dir();
		assert_int_equal(mem_live(), live);
		assert_int_equal(count_fds(), fds);
		if (rc == 0 && mem_count() - count < n)
			break;
	}
	assert_true(n < 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reject_record, clean),
		cmocka_unit_test_setup(test_base64, clean),
		cmocka_unit_test_setup(test_reject_without_file, clean),
		cmocka_unit_test_setup(test_max_rejects, clean),
		cmocka_unit_test_setup(test_stats, clean),
		cmocka_unit_test_setup(test_many_reasons, clean),
		cmocka_unit_test_setup(test_finish_manifest, clean),
		cmocka_unit_test_setup(test_manifest_choice, clean),
		cmocka_unit_test_setup(test_abort_leaves_nothing, clean),
		cmocka_unit_test_setup(test_open_errors, clean),
		cmocka_unit_test_setup(test_output_full, clean),
		cmocka_unit_test_setup(test_epipe, clean),
		cmocka_unit_test_setup(test_oom, clean),
	};

	return cmocka_run_group_tests_name("job", tests, setup, teardown);
}
