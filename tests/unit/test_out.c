/* test_out.c - unit tests for lib/out.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "hash.h"
#include "mem.h"
#include "out.h"

#define MiB ((size_t)1 << 20)

/* ---- helpers ---- */

struct dir {
	char path[64];
};

static int
setup(void **state)
{
	static struct dir d;

	strcpy(d.path, "/tmp/test_out.XXXXXX");
	if (mkdtemp(d.path) == NULL)
		return -1;
	*state = &d;
	return 0;
}

/* Remove every file of the (flat) test folder. */
static void
empty_dir(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	closedir(d);
}

static int
teardown(void **state)
{
	struct dir *d = *state;

	empty_dir(d->path);
	rmdir(d->path);
	return 0;
}

/* Number of entries in dir; *first gets the name of one of them. */
static int
list_dir(const char *dir, char *first, size_t size)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (first != NULL)
		first[0] = '\0';
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n++ == 0 && first != NULL)
			snprintf(first, size, "%s", de->d_name);
	}
	closedir(d);
	return n;
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

/* The whole file, malloc'd; *n gets its length. */
static char *
slurp(const char *path, size_t *n)
{
	struct stat st;
	char *p;
	FILE *fp;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fstat(fileno(fp), &st), 0);
	p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	*n = fread(p, 1, (size_t)st.st_size, fp);
	assert_int_equal(*n, (size_t)st.st_size);
	p[*n] = '\0';
	fclose(fp);
	return p;
}

static void
spit(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(s, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
in_dir(char *p, size_t size, void **state, const char *name)
{
	struct dir *d = *state;

	snprintf(p, size, "%s/%s", d->path, name);
}

static uint64_t
lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x;
}

static void
fill(char *p, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)(lcg(&seed) >> 56);
}

/* ---- tests ---- */

static void
test_commit_is_atomic(void **state)
{
	struct dir *d = *state;
	char path[256], name[256], *got;
	struct out *o;
	struct err e;
	struct stat st;
	long live = mem_live();
	int fds = count_fds();
	size_t n;

	in_dir(path, sizeof path, state, "out.tsv");
	err_clear(&e);
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_non_null(o);
	assert_string_equal(out_name(o), path);
	/* nothing at the path; a temp file beside it */
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(list_dir(d->path, name, sizeof name), 1);
	assert_memory_equal(name, "out.tsv.tmp", 11);

	assert_int_equal(out_write(o, "hello\n", 6, &e), 0);
	assert_int_equal(out_write(o, "", 0, &e), 0);
	assert_int_equal(out_bytes(o), 6);
	/* even flushed, the path is still absent */
	assert_int_equal(out_flush(o, &e), 0);
	assert_int_equal(out_bytes(o), 6);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(out_write(o, "world\n", 6, &e), 0);
	assert_int_equal(out_bytes(o), 12);

	assert_int_equal(out_commit(o, &e), 0);
	got = slurp(path, &n);
	assert_int_equal(n, 12);
	assert_string_equal(got, "hello\nworld\n");
	free(got);
	assert_int_equal(list_dir(d->path, name, sizeof name), 1);
	assert_string_equal(name, "out.tsv");
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
	empty_dir(d->path);
}

static void
test_replace_and_abort(void **state)
{
	struct dir *d = *state;
	char path[256], name[256], *got;
	struct out *o;
	struct err e;
	long live = mem_live();
	int fds = count_fds();
	size_t n;

	in_dir(path, sizeof path, state, "data.tsv");
	spit(path, "old\n");

	/* abort: the old file stays, the temp file goes */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(list_dir(d->path, NULL, 0), 2);
	assert_int_equal(out_write(o, "new\n", 4, &e), 0);
	assert_int_equal(out_flush(o, &e), 0);
	out_abort(o);
	out_abort(NULL);
	got = slurp(path, &n);
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(list_dir(d->path, name, sizeof name), 1);
	assert_string_equal(name, "data.tsv");

	/* commit: replaced whole */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_write(o, "new\n", 4, &e), 0);
	got = slurp(path, &n);			/* not yet */
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(out_commit(o, &e), 0);
	got = slurp(path, &n);
	assert_string_equal(got, "new\n");
	free(got);
	assert_int_equal(list_dir(d->path, NULL, 0), 1);

	/* an empty output replaces too */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_commit(o, &e), 0);
	got = slurp(path, &n);
	assert_int_equal(n, 0);
	free(got);

	/* abort of a new file leaves nothing */
	empty_dir(d->path);
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_write(o, "x", 1, &e), 0);
	out_abort(o);
	assert_int_equal(list_dir(d->path, NULL, 0), 0);
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

/* Writes smaller and bigger than the 1 MiB buffer keep their order. */
static void
test_write_through_order(void **state)
{
	static const size_t sizes[] = {
		100, 3 * MiB + 7, 5, MiB - 10, 100, MiB, MiB + 1, 1, 0,
		MiB - 1, 2, 64 * 1024
	};
	char path[256], *want, *got;
	struct out *o;
	struct err e;
	size_t i, total = 0, n;
	long live = mem_live();

	in_dir(path, sizeof path, state, "big.tsv");
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		total += sizes[i];
	want = malloc(total);
	assert_non_null(want);
	fill(want, total, 42);

	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	for (i = 0, n = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		assert_int_equal(out_write(o, want + n, sizes[i], &e), 0);
		n += sizes[i];
		assert_int_equal(out_bytes(o), n);
	}
	assert_int_equal(out_commit(o, &e), 0);
	got = slurp(path, &n);
	assert_int_equal(n, total);
	assert_memory_equal(got, want, total);
	free(got);
	free(want);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static void
test_reserve_advance(void **state)
{
	char path[256], *p, *got;
	struct out *o;
	struct err e;
	size_t n, big = 2 * MiB + 3;
	long live = mem_live();

	in_dir(path, sizeof path, state, "res.tsv");
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	p = out_reserve(o, 10, &e);
	assert_non_null(p);
	memcpy(p, "hello", 5);
	out_advance(o, 5);		/* less than reserved */
	assert_int_equal(out_bytes(o), 5);
	assert_int_equal(out_write(o, "|", 1, &e), 0);
	/* more than the whole buffer: it grows */
	p = out_reserve(o, big, &e);
	assert_non_null(p);
	memset(p, 'b', big);
	out_advance(o, big);
	assert_int_equal(out_bytes(o), 6 + big);
	/* a reservation right after still works */
	p = out_reserve(o, 3, &e);
	assert_non_null(p);
	memcpy(p, "end", 3);
	out_advance(o, 3);
	/* zero bytes */
	assert_non_null(out_reserve(o, 0, &e));
	out_advance(o, 0);
	assert_int_equal(out_commit(o, &e), 0);

	got = slurp(path, &n);
	assert_int_equal(n, 9 + big);
	assert_memory_equal(got, "hello|b", 7);
	assert_int_equal(got[5 + big], 'b');
	assert_memory_equal(got + 6 + big, "end", 3);
	free(got);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static void
test_reserve_oom(void **state)
{
	char path[256], *got;
	struct out *o;
	struct err e;
	long live = mem_live();
	size_t n;

	in_dir(path, sizeof path, state, "resoom.tsv");
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_write(o, "a", 1, &e), 0);
	err_clear(&e);
	mem_fail_after(0);
	assert_null(out_reserve(o, 4 * MiB, &e));
	mem_fail_after(-1);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_string_equal(e.msg, "out of memory");
	/* still usable, and what was written is kept */
	assert_int_equal(out_write(o, "b", 1, &e), 0);
	assert_int_equal(out_commit(o, &e), 0);
	got = slurp(path, &n);
	assert_string_equal(got, "ab");
	free(got);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	return st.st_mode & 07777;
}

static void
check_mode(void **state, mode_t um, int mode, mode_t want)
{
	char path[256];
	struct out *o;
	struct err e;
	mode_t old;

	in_dir(path, sizeof path, state, "mode.tsv");
	old = umask(um);
	assert_int_equal(out_open(&o, path, mode, &e), 0);
	assert_int_equal(out_write(o, "x\n", 2, &e), 0);
	assert_int_equal(out_commit(o, &e), 0);
	umask(old);
	assert_int_equal(mode_of(path), want);
	unlink(path);
}

static void
test_mode(void **state)
{
	check_mode(state, 022, 0666, 0644);
	check_mode(state, 022, 0600, 0600);
	check_mode(state, 077, 0666, 0600);
	check_mode(state, 0, 0666, 0666);
	check_mode(state, 002, 0640, 0640);
}

static void
test_dev_full(void **state)
{
	struct out *o;
	struct err e;
	struct stat st;
	char big[100];
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
		skip();

	/* buffered: the error shows at flush, then everything fails fast */
	err_clear(&e);
	assert_int_equal(out_open(&o, "/dev/full", 0666, &e), 0);
	assert_int_equal(out_write(o, "0123456789", 10, &e), 0);
	assert_int_equal(out_flush(o, &e), ERR_IO);
	assert_int_equal(e.code, ERR_IO);
	assert_non_null(strstr(e.msg, "No space left on device"));
	assert_non_null(strstr(e.msg, "/dev/full"));
	assert_false(out_epipe(o));
	err_clear(&e);
	assert_int_equal(out_write(o, "x", 1, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "No space left on device"));
	err_clear(&e);
	assert_null(out_reserve(o, 1, &e));
	assert_int_equal(e.code, ERR_IO);
	err_clear(&e);
	assert_int_equal(out_flush(o, &e), ERR_IO);
	err_clear(&e);
	assert_int_equal(out_commit(o, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "No space left on device"));

	/* at commit only */
	err_clear(&e);
	assert_int_equal(out_open(&o, "/dev/full", 0666, &e), 0);
	memset(big, 'x', sizeof big);
	assert_int_equal(out_write(o, big, sizeof big, &e), 0);
	assert_int_equal(out_commit(o, &e), ERR_IO);
	assert_string_equal(e.msg,
	    "write error on '/dev/full': No space left on device");

	/* a write bigger than the buffer fails at once */
	{
		char *huge = calloc(1, 2 * MiB);

		assert_non_null(huge);
		assert_int_equal(out_open(&o, "/dev/full", 0666, &e), 0);
		err_clear(&e);
		assert_int_equal(out_write(o, huge, 2 * MiB, &e), ERR_IO);
		assert_non_null(strstr(e.msg, "No space left on device"));
		out_abort(o);
		free(huge);
	}
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

/* A device is written directly: /dev/null is not replaced by a file. */
static void
test_dev_null_direct(void **state)
{
	struct out *o;
	struct err e;
	struct stat st;
	char *big;
	long live = mem_live();
	int fds = count_fds();

	(void)state;
	if (stat("/dev/null", &st) != 0 || !S_ISCHR(st.st_mode))
		skip();
	big = calloc(1, 3 * MiB);
	assert_non_null(big);
	assert_int_equal(out_open(&o, "/dev/null", 0666, &e), 0);
	assert_string_equal(out_name(o), "/dev/null");
	assert_int_equal(out_write(o, "abc", 3, &e), 0);
	assert_int_equal(out_write(o, big, 3 * MiB, &e), 0);
	assert_int_equal(out_bytes(o), 3 + 3 * MiB);
	assert_int_equal(out_commit(o, &e), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	assert_int_equal(out_open(&o, "/dev/null", 0666, &e), 0);
	assert_int_equal(out_write(o, "abc", 3, &e), 0);
	out_abort(o);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	free(big);
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

/* Standard output: NULL or "-"; commit flushes but never closes it. */
static void
test_stdout(void **state)
{
	char path[256], *got;
	struct out *o;
	struct err e;
	int fd, saved;
	size_t n;
	long live = mem_live();

	in_dir(path, sizeof path, state, "stdout.txt");
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);

	assert_int_equal(out_open(&o, NULL, 0666, &e), 0);
	assert_string_equal(out_name(o), "-");
	assert_int_equal(out_write(o, "one\n", 4, &e), 0);
	assert_int_equal(out_commit(o, &e), 0);
	assert_int_equal(out_open(&o, "-", 0666, &e), 0);
	assert_string_equal(out_name(o), "-");
	assert_int_equal(out_write(o, "two\n", 4, &e), 0);
	out_abort(o);			/* drops what is still buffered */
	assert_true(fcntl(STDOUT_FILENO, F_GETFD) >= 0);	/* still open */

	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	got = slurp(path, &n);
	assert_string_equal(got, "one\n");
	free(got);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

/* A closed pipe: ERR_IO, flagged as EPIPE (SIGPIPE ignored here). */
static void
test_epipe_stdout(void **state)
{
	void (*old)(int);
	struct out *o;
	struct err e;
	int pfd[2], saved, rc;
	bool epipe;
	long live = mem_live();

	(void)state;
	old = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(pfd), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(pfd[1], STDOUT_FILENO), STDOUT_FILENO);
	close(pfd[1]);
	close(pfd[0]);

	err_clear(&e);
	assert_int_equal(out_open(&o, NULL, 0666, &e), 0);
	assert_false(out_epipe(o));
	assert_int_equal(out_write(o, "lost\n", 5, &e), 0);
	rc = out_flush(o, &e);
	epipe = out_epipe(o);
	out_abort(o);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	signal(SIGPIPE, old);

	assert_int_equal(rc, ERR_IO);
	assert_true(epipe);
	assert_int_equal(e.code, ERR_IO);
	assert_string_equal(e.msg, "write error on 'standard output': "
	    "Broken pipe");
	assert_int_equal(mem_live(), live);
}

/* The same through a path naming a pipe (a FIFO is written directly). */
static void
test_epipe_fifo_path(void **state)
{
	void (*old)(int);
	char path[64];
	struct out *o;
	struct err e;
	struct stat st;
	int pfd[2], rc;
	bool epipe;

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", pfd[1]);
	if (stat(path, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		close(pfd[0]);
		close(pfd[1]);
		skip();
	}
	old = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	close(pfd[0]);
	close(pfd[1]);
	assert_int_equal(out_write(o, "x\n", 2, &e), 0);
	rc = out_commit(o, &e);
	signal(SIGPIPE, old);
	assert_int_equal(rc, ERR_IO);
	assert_non_null(strstr(e.msg, "Broken pipe"));

	/* out_epipe, seen before freeing */
	assert_int_equal(pipe(pfd), 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", pfd[1]);
	old = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	close(pfd[0]);
	close(pfd[1]);
	assert_int_equal(out_write(o, "x\n", 2, &e), 0);
	rc = out_flush(o, &e);
	epipe = out_epipe(o);
	out_abort(o);
	signal(SIGPIPE, old);
	assert_int_equal(rc, ERR_IO);
	assert_true(epipe);
}

static void
test_hash(void **state)
{
	char path[256], hex[HASH_HEX_MAX], want[HASH_HEX_MAX];
	char filehex[HASH_HEX_MAX], *data;
	struct hash_sha256 *h;
	struct out *o;
	struct err e;
	size_t total = 3 * MiB + 123, off, k;
	uint64_t x = 1;
	long live = mem_live();

	in_dir(path, sizeof path, state, "hash.tsv");
	data = malloc(total);
	assert_non_null(data);
	fill(data, total, 7);
	assert_int_equal(hash_sha256_new(&h, &e), 0);
	hash_sha256_update(h, data, total);
	hash_sha256_hex(h, want);
	hash_sha256_free(h);

	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_hash(o, &e), 0);
	assert_int_equal(out_hash(o, &e), 0);		/* twice is fine */
	/* pieces of all sizes, through write, reserve and write-through */
	for (off = 0; off < total; off += k) {
		k = (size_t)(lcg(&x) >> 44) % (MiB + MiB / 2);
		if (k > total - off)
			k = total - off;
		if (k % 3 == 0) {
			char *p = out_reserve(o, k, &e);

			if (p == NULL)
				fail_msg("reserve %zu: %s", k, e.msg);
			memcpy(p, data + off, k);
			out_advance(o, k);
		} else
			assert_int_equal(out_write(o, data + off, k, &e), 0);
	}
	assert_int_equal(out_sha256(o, hex, &e), 0);
	assert_string_equal(hex, want);
	assert_int_equal(out_bytes(o), total);
	assert_int_equal(out_commit(o, &e), 0);
	assert_int_equal(hash_sha256_file(path, filehex, &e), 0);
	assert_string_equal(filehex, want);

	/* without out_hash: "" */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_write(o, "x", 1, &e), 0);
	memset(hex, 'z', sizeof hex);
	assert_int_equal(out_sha256(o, hex, &e), 0);
	assert_string_equal(hex, "");
	out_abort(o);

	/* empty output */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_hash(o, &e), 0);
	assert_int_equal(out_sha256(o, hex, &e), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
	    "649b934ca495991b7852b855");
	out_abort(o);

	/* out of memory in out_hash */
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	err_clear(&e);
	mem_fail_after(0);
	assert_int_equal(out_hash(o, &e), ERR_INTERNAL);
	mem_fail_after(-1);
	assert_string_equal(e.msg, "out of memory");
	out_abort(o);

	free(data);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static void
test_sha256_after_failure(void **state)
{
	char hex[HASH_HEX_MAX];
	struct out *o;
	struct err e;

	(void)state;
	assert_int_equal(out_open(&o, "/dev/full", 0666, &e), 0);
	assert_int_equal(out_hash(o, &e), 0);
	assert_int_equal(out_write(o, "abc", 3, &e), 0);
	assert_int_equal(out_sha256(o, hex, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "No space left on device"));
	out_abort(o);
}

static void
test_cannot_create(void **state)
{
	struct dir *d = *state;
	char path[256];
	struct out *o = (struct out *)&o;
	struct err e;
	long live = mem_live();
	int fds = count_fds();

	in_dir(path, sizeof path, state, "missing/sub/out.tsv");
	err_clear(&e);
	assert_int_equal(out_open(&o, path, 0666, &e), ERR_IO);
	assert_null(o);
	assert_int_equal(e.code, ERR_IO);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "No such file or directory"));

	/* a folder is not a file */
	err_clear(&e);
	assert_int_equal(out_open(&o, d->path, 0666, &e), ERR_IO);
	assert_null(o);
	assert_non_null(strstr(e.msg, d->path));
	assert_non_null(strstr(e.msg, "Is a directory"));
	assert_int_equal(list_dir(d->path, NULL, 0), 0);
	assert_int_equal(mem_live(), live);
	assert_int_equal(count_fds(), fds);
}

/* The rename fails: ERR_IO, and the temp file is removed. */
static void
test_rename_fails(void **state)
{
	struct dir *d = *state;
	char path[256], inner[300], name[256];
	struct out *o;
	struct err e;
	long live = mem_live();

	in_dir(path, sizeof path, state, "target");
	assert_int_equal(out_open(&o, path, 0666, &e), 0);
	assert_int_equal(out_write(o, "x\n", 2, &e), 0);
	/* meanwhile someone makes a non-empty folder of that name */
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(inner, sizeof inner, "%s/f", path);
	spit(inner, "keep");
	err_clear(&e);
	assert_int_equal(out_commit(o, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "cannot rename into"));
	assert_non_null(strstr(e.msg, path));
	assert_int_equal(list_dir(d->path, name, sizeof name), 1);
	assert_string_equal(name, "target");
	unlink(inner);
	rmdir(path);
	assert_int_equal(mem_live(), live);
}

static void
test_oom_open(void **state)
{
	struct dir *d = *state;
	char path[256], *got;
	struct out *o;
	struct err e;
	long live = mem_live(), count, n;
	int fds = count_fds(), rc;
	size_t len;

	in_dir(path, sizeof path, state, "oom.tsv");
	for (n = 0; n < 100; n++) {
		count = mem_count();
		err_clear(&e);
		mem_fail_after(n);
		rc = out_open(&o, path, 0666, &e);
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_int_equal(e.code, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			assert_null(o);
			assert_int_equal(list_dir(d->path, NULL, 0), 0);
		} else {
			assert_int_equal(out_write(o, "ok\n", 3, &e), 0);
			assert_int_equal(out_commit(o, &e), 0);
			got = slurp(path, &len);
			assert_string_equal(got, "ok\n");
			free(got);
			unlink(path);
		}
		assert_int_equal(mem_live(), live);
		assert_int_equal(count_fds(), fds);
		if (rc == 0 && mem_count() - count < n)
			break;
	}
	assert_true(n < 100);
	/* the same for a device and for standard output */
	for (n = 0; n < 3; n++) {
		mem_fail_after(n);
		rc = out_open(&o, "/dev/null", 0666, &e);
		mem_fail_after(-1);
		assert_true(rc == 0 || rc == ERR_INTERNAL);
		if (rc == 0)
			assert_int_equal(out_commit(o, &e), 0);
		mem_fail_after(n);
		rc = out_open(&o, NULL, 0666, &e);
		mem_fail_after(-1);
		assert_true(rc == 0 || rc == ERR_INTERNAL);
		if (rc == 0)
			out_abort(o);
		assert_int_equal(mem_live(), live);
		assert_int_equal(count_fds(), fds);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_is_atomic),
		cmocka_unit_test(test_replace_and_abort),
		cmocka_unit_test(test_write_through_order),
		cmocka_unit_test(test_reserve_advance),
		cmocka_unit_test(test_reserve_oom),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_dev_full),
		cmocka_unit_test(test_dev_null_direct),
		cmocka_unit_test(test_stdout),
		cmocka_unit_test(test_epipe_stdout),
		cmocka_unit_test(test_epipe_fifo_path),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_sha256_after_failure),
		cmocka_unit_test(test_cannot_create),
		cmocka_unit_test(test_rename_fails),
		cmocka_unit_test(test_oom_open),
	};

	return cmocka_run_group_tests_name("out", tests, setup, teardown);
}
