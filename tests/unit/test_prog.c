/*
 * test_prog.c - unit tests for cmd/common/prog.c
 *
 * prog prints and exits, so every scenario that opens a job, filters or
 * parses an option runs in a fork()ed child (run_child): the child sends
 * its stdout and stderr to files of the test folder (a mkdtemp under /tmp,
 * removed at the end), arms alarm(20) and _exit()s with its status; the
 * parent checks the status and compares the files byte for byte.
 *
 * The filter scenarios read a generated input of 20,000 records (five
 * batches of prog_filter_par) holding bad lines (wrong field count, bad
 * escape), values with escapes, records the row function rejects, skips
 * or fails on.  The parent writes the expected output itself; prog_filter
 * and prog_filter_par with 1, 2, 3 and 8 arguments must all give it, and
 * the same rejects file, stderr (diagnostic and --stats line), counts and
 * exit status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "job.h"
#include "mem.h"
#include "prog.h"
#include "rec.h"
#include "str.h"

#ifndef GRID_SCHEMA_DIR
#define GRID_SCHEMA_DIR "/usr/local/share/gridkit/schemas"
#endif

#define USAGE "usage: tprog [-o file] [file ...]\n"
#define NREC 20000		/* records of in1 */
#define NREC2 5000		/* records of in2 */
#define HEADER "kind\tid\tname\tval"
#define OUT_HEADER "kind\tid\tname\tval\tout\n"
#define NAME_ESC "a\\tb\\\\c\\nd\\r"	/* as the file has it */
#define OUT_RAW "t\tx\\y\nz"		/* as the row function gives it */
#define OUT_ESC "t\\tx\\\\y\\nz"	/* as it must be written */
#define FATAL_ID 12345
#define MAX_REJECTS 60		/* reached in the second batch */
#define MAXARGS 8

static char dir[64];
static char in1[128], in2[128], in3[128], in_hdr[128], in_empty[128];
static char exp_a[128], exp_b[128], exp_b2[128];

/* ---- files ---- */

static void
path_of(char *buf, size_t size, const char *what, const char *tag)
{
	snprintf(buf, size, "%s/%s.%s", dir, what, tag);
}

/*
 * What slurp returned and sfree did not free yet: a failed assertion
 * leaves a test early, and a forked child of a later test would inherit
 * the block and LeakSanitizer would report it; clean frees these.
 */
static char *slurped[8];

static void
sfree(char *p)
{
	size_t i;

	for (i = 0; p != NULL && i < sizeof slurped / sizeof slurped[0]; i++)
		if (slurped[i] == p)
			slurped[i] = NULL;
	free(p);
}

static void
sfree_all(void)
{
	size_t i;

	for (i = 0; i < sizeof slurped / sizeof slurped[0]; i++) {
		free(slurped[i]);
		slurped[i] = NULL;
	}
}

static void
keep(char *p)
{
	size_t i;

	for (i = 0; i < sizeof slurped / sizeof slurped[0]; i++)
		if (slurped[i] == NULL) {
			slurped[i] = p;
			return;
		}
}

/* slurp: the whole file (malloc'ed, NUL-terminated; sfree), or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *fp;
	char *p;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (p == NULL || fread(p, 1, (size_t)n, fp) != (size_t)n) {
		free(p);
		fclose(fp);
		return NULL;
	}
	p[n] = '\0';
	fclose(fp);
	keep(p);
	if (len != NULL)
		*len = (size_t)n;
	return p;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Two files are both absent or both present with the same bytes. */
static void
assert_same_file(const char *a, const char *b)
{
	char *pa, *pb;
	size_t la = 0, lb = 0;

	pa = slurp(a, &la);
	pb = slurp(b, &lb);
	if ((pa == NULL) != (pb == NULL))
		fail_msg("%s and %s: one exists, the other not", a, b);
	if (pa != NULL) {
		if (la != lb || memcmp(pa, pb, la) != 0)
			fail_msg("%s and %s differ", a, b);
	}
	sfree(pa);
	sfree(pb);
}

static void
assert_file_is(const char *path, const char *text)
{
	char *p;
	size_t n;

	p = slurp(path, &n);
	assert_non_null(p);
	assert_int_equal(n, strlen(text));
	assert_memory_equal(p, text, n);
	sfree(p);
}

/* The file holds exactly the concatenation of a and b's contents. */
static void
assert_file_is2(const char *path, const char *head, const char *a,
    const char *b)
{
	char *p, *pa, *pb;
	size_t n, na, nb = 0, nh = strlen(head);

	p = slurp(path, &n);
	pa = slurp(a, &na);
	pb = b != NULL ? slurp(b, &nb) : NULL;
	assert_non_null(p);
	assert_non_null(pa);
	assert_int_equal(n, nh + na + nb);
	assert_memory_equal(p, head, nh);
	assert_memory_equal(p + nh, pa, na);
	if (pb != NULL)
		assert_memory_equal(p + nh + na, pb, nb);
	sfree(p);
	sfree(pa);
	sfree(pb);
}

static bool
file_has(const char *path, const char *s)
{
	char *p = slurp(path, NULL);
	bool r = p != NULL && strstr(p, s) != NULL;

	sfree(p);
	return r;
}

/* Files in dir whose name holds s. */
static int
count_names(const char *s)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strstr(de->d_name, s) != NULL)
			n++;
	closedir(d);
	return n;
}

static void
remove_names(const char *s)
{
	struct dirent *de;
	char p[512];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strstr(de->d_name, s) == NULL)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
}

/* ---- the generated input and its expected output ---- */

struct expect {
	unsigned long long read, bad, rejected, skipped, written, judged;
};

/*
 * gen: records first..first+count-1 to in (and the output each ownset
 * expects to ea, eb), counting what must happen to them.
 */
static void
gen(FILE *in, FILE *ea, FILE *eb, long first, long count, struct expect *x)
{
	char name[32], val[32], out[32];
	const char *nm, *o;
	long i;

	for (i = first; i < first + count; i++) {
		x->read++;
		if (i % 1000 == 3) {		/* a field short */
			fprintf(in, "ev\t%ld\tshort\n", i);
			x->bad++;
			x->rejected++;
			continue;
		}
		if (i % 1000 == 501) {		/* a bad escape */
			fprintf(in, "ev\t%ld\tbad\\qx\tv\n", i);
			x->bad++;
			x->rejected++;
			continue;
		}
		snprintf(name, sizeof name, "n%ld", i);
		nm = i % 7 == 0 ? NAME_ESC : name;
		if (i % 11 == 0)
			val[0] = '\0';
		else
			snprintf(val, sizeof val, "v%ld", i);
		fprintf(in, "ev\t%ld\t%s\t%s\n", i, nm, val);
		x->judged++;
		if (i % 97 == 5) {
			x->rejected++;
			continue;
		}
		if (i % 89 == 7) {
			x->skipped++;
			continue;
		}
		x->written++;
		snprintf(out, sizeof out, "o%ld", i);
		o = i % 13 == 0 ? OUT_ESC : out;
		fprintf(ea, "ev\t%ld\t%s\t%s\t%s\n", i, nm, nm, o);
		fprintf(eb, "ev2\t%ld\t%s\t%s\t%s\n", i, nm, val, o);
	}
}

static struct expect want1, want2;

static int
group_setup(void **state)
{
	char ea2[128];
	FILE *in, *a, *b;

	(void)state;
	unsetenv("GRID_MANIFEST");
	strcpy(dir, "/tmp/test_prog.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(in1, sizeof in1, "%s/in1.rec", dir);
	snprintf(in2, sizeof in2, "%s/in2.rec", dir);
	snprintf(in3, sizeof in3, "%s/in3.rec", dir);
	snprintf(in_hdr, sizeof in_hdr, "%s/inhdr.rec", dir);
	snprintf(in_empty, sizeof in_empty, "%s/inempty.rec", dir);
	snprintf(exp_a, sizeof exp_a, "%s/expa.rec", dir);
	snprintf(exp_b, sizeof exp_b, "%s/expb.rec", dir);
	snprintf(exp_b2, sizeof exp_b2, "%s/expb2.rec", dir);
	snprintf(ea2, sizeof ea2, "%s/expa2.rec", dir);

	in = fopen(in1, "w");
	a = fopen(exp_a, "w");
	b = fopen(exp_b, "w");
	if (in == NULL || a == NULL || b == NULL)
		return -1;
	fputs(HEADER "\n", in);
	gen(in, a, b, 1, NREC, &want1);
	fclose(in);
	fclose(a);
	fclose(b);

	in = fopen(in2, "w");
	a = fopen(ea2, "w");
	b = fopen(exp_b2, "w");
	if (in == NULL || a == NULL || b == NULL)
		return -1;
	fputs(HEADER "\n", in);
	gen(in, a, b, 30001, NREC2, &want2);
	fclose(in);
	fclose(a);
	fclose(b);
	unlink(ea2);

	if ((in = fopen(in3, "w")) == NULL)
		return -1;
	fputs("kind\tid\tval\nev\t1\tx\n", in);
	fclose(in);
	if ((in = fopen(in_hdr, "w")) == NULL)
		return -1;
	fputs(HEADER "\n", in);
	fclose(in);
	if ((in = fopen(in_empty, "w")) == NULL)
		return -1;
	fclose(in);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sfree_all();
	remove_names("");
	return rmdir(dir);
}

/* Before each test: only the inputs and expected outputs are left. */
static int
clean(void **state)
{
	(void)state;
	sfree_all();
	remove_names(".t");			/* runs are tagged .t... */
	return 0;
}

/* ---- the child ---- */

/*
 * run_child: fn(ctx) in a child with stdout and stderr to out.TAG and
 * err.TAG; its exit status, or 128 + the signal that ended it.
 */
static int
run_child(int (*fn)(const void *), const void *ctx, const char *tag)
{
	char po[256], pe[256];
	int fd, st;
	pid_t pid;

	path_of(po, sizeof po, "stdout", tag);
	path_of(pe, sizeof pe, "err", tag);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if ((fd = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, STDOUT_FILENO) < 0)
			_exit(120);
		close(fd);
		if ((fd = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			_exit(121);
		close(fd);
		alarm(20);
		st = fn(ctx);
		fflush(NULL);
		_exit(st);
	}
	while (waitpid(pid, &st, 0) < 0)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/* ---- the row function ---- */

struct rowarg {
	long iid, iname;
	unsigned long long judged;
	int hcalls;
	char obuf[32];
};

static struct {
	long fatal_id;
	int ownset;
} cfg;

static const char *const own_a[] = { "out", "val" };	/* replaces the last */
static const char *const own_b[] = { "kind", "out" };	/* replaces the first */

static int
on_header(void *arg, const struct rec_header *h, struct err *e)
{
	struct rowarg *a = arg;

	a->hcalls++;
	if ((a->iid = prog_header_index(h, "id")) < 0)
		return err_set(e, ERR_DATA, "no field 'id'");
	if ((a->iname = prog_header_index(h, "name")) < 0)
		return err_set(e, ERR_DATA, "no field 'name'");
	return 0;
}

static int
on_row(void *arg, const struct rec_row *row, const char **out, size_t *len,
    struct err *e)
{
	struct rowarg *a = arg;
	long long id;
	int n;

	a->judged++;
	if (str_parse_int(row->v[a->iid], row->len[a->iid], &id) != 0) {
		err_at(e, NULL, 0, "id");
		return err_set(e, ERR_DATA, "bad id");
	}
	if (id == cfg.fatal_id)
		return err_set(e, ERR_INTERNAL, "row function failed");
	if (id % 97 == 5) {
		err_at(e, NULL, 0, "id");
		return err_set(e, ERR_DATA, "id not wanted");
	}
	if (id % 89 == 7)
		return 1;
	if (id % 13 == 0) {
		out[4] = OUT_RAW;
		len[4] = strlen(OUT_RAW);
	} else {
		n = snprintf(a->obuf, sizeof a->obuf, "o%lld", id);
		out[4] = a->obuf;
		len[4] = (size_t)n;
	}
	if (cfg.ownset == 0) {
		out[3] = row->v[a->iname];
		len[3] = row->len[a->iname];
	} else {
		out[0] = "ev2";
		len[0] = 3;
	}
	return 0;
}

/* ---- filter scenarios ---- */

struct scen {
	const char *in[3];
	size_t nin;
	size_t nargs;		/* 0: prog_filter, else prog_filter_par */
	int ownset;		/* 0: own_a, 1: own_b */
	bool rejects;
	long long max_rejects;
	long fatal_id;
	long oom;		/* mem_fail_after, < 0: none */
	char tag[32];
};

/*
 * The child of a filter scenario.  After prog_exit it writes cnt.TAG: the
 * job's counts, the records judged summed over the arguments, whether
 * each argument saw the header once, and the blocks left allocated.
 */
static int
child_filter(const void *ctx)
{
	static struct prog p;
	const struct scen *s = ctx;
	struct rowarg a[MAXARGS];
	void *args[MAXARGS];
	char out[256], rej[256], cnt[256];
	struct job_opts jo;
	unsigned long long read, written, rejected, skipped, judged = 0;
	size_t i, na = s->nargs ? s->nargs : 1;
	long base;
	bool hok = true;
	FILE *fp;
	int rc;

	path_of(out, sizeof out, "out", s->tag);
	path_of(rej, sizeof rej, "rej", s->tag);
	path_of(cnt, sizeof cnt, "cnt", s->tag);
	memset(&jo, 0, sizeof jo);
	jo.output = out;
	jo.rejects = s->rejects ? rej : NULL;
	jo.max_rejects = s->max_rejects;
	memset(a, 0, sizeof a);
	for (i = 0; i < MAXARGS; i++)
		args[i] = &a[i];
	cfg.fatal_id = s->fatal_id;
	cfg.ownset = s->ownset;

	base = mem_live();
	prog_init(&p, "tprog", USAGE);
	p.stats = true;
	if (s->oom >= 0)
		mem_fail_after(s->oom);
	prog_open(&p, &jo);
	for (i = 0; i < s->nin; i++) {
		if (s->nargs == 0)
			prog_filter(&p, s->in[i], s->ownset ? own_b : own_a, 2,
			    on_header, on_row, &a[0]);
		else
			prog_filter_par(&p, s->in[i], s->ownset ? own_b : own_a,
			    2, on_header, on_row, args, s->nargs);
	}
	read = p.job.read;
	written = p.job.written;
	rejected = p.job.rejected;
	skipped = p.skipped;
	rc = prog_exit(&p);
	mem_fail_after(-1);
	for (i = 0; i < na; i++) {
		judged += a[i].judged;
		if (a[i].hcalls != 1)
			hok = false;
	}
	for (i = na; i < MAXARGS; i++)
		if (a[i].hcalls != 0 || a[i].judged != 0)
			hok = false;
	if ((fp = fopen(cnt, "w")) == NULL)
		return 122;
	fprintf(fp, "%d %llu %llu %llu %llu %llu %d %ld\n", rc, read, written,
	    rejected, skipped, judged, hok, mem_live() - base);
	fclose(fp);
	return rc;
}

struct counts {
	int rc;
	unsigned long long read, written, rejected, skipped, judged;
	int hok;
	long live;
};

static void
read_counts(const char *tag, struct counts *c)
{
	char path[256];
	FILE *fp;

	path_of(path, sizeof path, "cnt", tag);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%d %llu %llu %llu %llu %llu %d %ld",
	    &c->rc, &c->read, &c->written, &c->rejected, &c->skipped,
	    &c->judged, &c->hok, &c->live), 8);
	fclose(fp);
}

static void
assert_same_run(const char *ta, const char *tb)
{
	static const char *const what[] = { "out", "rej", "err", "cnt",
	    "stdout" };
	char pa[256], pb[256];
	size_t i;

	for (i = 0; i < sizeof what / sizeof what[0]; i++) {
		path_of(pa, sizeof pa, what[i], ta);
		path_of(pb, sizeof pb, what[i], tb);
		assert_same_file(pa, pb);
	}
}

static const size_t modes[] = { 0, 1, 2, 3, 8 };
#define NMODES (sizeof modes / sizeof modes[0])

/*
 * run_modes: s in every mode (prog_filter, then prog_filter_par with 1, 2,
 * 3 and 8 arguments), each with the exit status status; every run's
 * files the same as prog_filter's.  The runs are tagged tNAME.0 .. .4.
 */
static void
run_modes(struct scen *s, const char *name, int status)
{
	char t0[32], pe[256], *msg;
	size_t m;
	int st;

	snprintf(t0, sizeof t0, "t%s.0", name);
	for (m = 0; m < NMODES; m++) {
		s->nargs = modes[m];
		snprintf(s->tag, sizeof s->tag, "t%s.%zu", name, m);
		if ((st = run_child(child_filter, s, s->tag)) != status) {
			path_of(pe, sizeof pe, "err", s->tag);
			msg = slurp(pe, NULL);
			print_message("stderr: %s\n", msg ? msg : "(none)");
			sfree(msg);
			fail_msg("%s: nargs %zu: status %d, not %d", name,
			    s->nargs, st, status);
		}
		if (m > 0)
			assert_same_run(t0, s->tag);
	}
	assert_int_equal(count_names(".tmp"), 0);
}

static void
scen_init(struct scen *s, const char *in)
{
	memset(s, 0, sizeof *s);
	s->in[0] = in;
	s->nin = 1;
	s->rejects = true;
	s->max_rejects = -1;
	s->fatal_id = -1;
	s->oom = -1;
}

/* Every kind of record, both output shapes: the expected output exactly. */
static void
test_filter_modes(void **state)
{
	char path[256], head[64], line[512];
	struct counts c;
	struct scen s;
	char *rej;
	size_t nl;
	const char *q;
	int set;

	(void)state;
	for (set = 0; set < 2; set++) {
		scen_init(&s, in1);
		s.ownset = set;
		run_modes(&s, set ? "modeb" : "modea", 0);
		snprintf(s.tag, sizeof s.tag, "%s", set ? "tmodeb.0" : "tmodea.0");
		path_of(path, sizeof path, "out", s.tag);
		assert_file_is2(path, OUT_HEADER, set ? exp_b : exp_a, NULL);
		read_counts(s.tag, &c);
		assert_int_equal(c.rc, 0);
		assert_int_equal(c.read, want1.read);
		assert_int_equal(c.read, NREC);
		assert_int_equal(c.written, want1.written);
		assert_int_equal(c.rejected, want1.rejected);
		assert_int_equal(c.skipped, want1.skipped);
		assert_int_equal(c.judged, want1.judged);
		assert_int_equal(c.judged, want1.read - want1.bad);
		assert_int_equal(c.hok, 1);
		assert_int_equal(c.live, 0);
		/* the rejects file: a header and one line per reject */
		path_of(path, sizeof path, "rej", s.tag);
		rej = slurp(path, NULL);
		assert_non_null(rej);
		for (nl = 0, q = rej; (q = strchr(q, '\n')) != NULL; q++)
			nl++;
		assert_int_equal(nl, 1 + want1.rejected);
		/* id 5, line 6: refused by the row function, field id */
		snprintf(line, sizeof line, "\nreject\ttprog\t%s\t6\tid\t"
		    "id not wanted\tev\\t5\\tn5\\tv5\t\n", in1);
		assert_non_null(strstr(rej, line));
		/* id 490, line 491: refused, its escaped name re-escaped */
		snprintf(line, sizeof line, "\nreject\ttprog\t%s\t491\tid\t"
		    "id not wanted\tev\\t490\\t" "a\\\\tb\\\\\\\\c"
		    "\\\\nd\\\\r\\tv490\t\n", in1);
		assert_non_null(strstr(rej, line));
		/* id 3, line 4: a field short, its raw line kept */
		snprintf(line, sizeof line, "\nreject\ttprog\t%s\t4\t", in1);
		assert_non_null(strstr(rej, line));
		assert_non_null(strstr(rej, "\tev\\t3\\tshort\t\n"));
		/* id 501, line 502: a bad escape */
		snprintf(line, sizeof line, "\nreject\ttprog\t%s\t502\t", in1);
		assert_non_null(strstr(rej, line));
		assert_non_null(strstr(rej, "\tev\\t501\\tbad\\\\qx\\tv\t\n"));
		sfree(rej);
		/* the --stats line, the same in every mode (compared) */
		path_of(path, sizeof path, "err", s.tag);
		snprintf(head, sizeof head, "tprog: read %d, written %llu",
		    NREC, want1.written);
		assert_true(file_has(path, head));
		snprintf(head, sizeof head, ", skipped %llu", want1.skipped);
		assert_true(file_has(path, head));
	}
}

/* The sum over the arguments is the records judged, in every mode. */
static void
test_filter_args(void **state)
{
	struct counts c;
	struct scen s;
	char tag[32];
	size_t m;

	(void)state;
	scen_init(&s, in1);
	s.in[1] = in2;
	s.nin = 2;
	run_modes(&s, "args", 0);
	for (m = 0; m < NMODES; m++) {
		snprintf(tag, sizeof tag, "targs.%zu", m);
		read_counts(tag, &c);
		assert_int_equal(c.judged, want1.judged + want2.judged);
		assert_int_equal(c.read, want1.read + want2.read);
		assert_int_equal(c.hok, 1);
		assert_int_equal(c.live, 0);
	}
}

/* --max-rejects reached in the second batch: 65, no output left. */
static void
test_filter_max_rejects(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in1);
	s.max_rejects = MAX_REJECTS;
	run_modes(&s, "maxrej", ERR_DATA);
	path_of(path, sizeof path, "out", "tmaxrej.0");
	assert_false(exists(path));
	path_of(path, sizeof path, "err", "tmaxrej.0");
	assert_true(file_has(path, "more than 60 rejected rows"));
	assert_true(file_has(path, "tprog: read "));	/* --stats */
}

/* Without --rejects the first bad line (line 4) stops it: 65. */
static void
test_filter_no_rejects(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in1);
	s.rejects = false;
	run_modes(&s, "norej", ERR_DATA);
	path_of(path, sizeof path, "out", "tnorej.0");
	assert_false(exists(path));
	path_of(path, sizeof path, "err", "tnorej.0");
	assert_true(file_has(path, "in1.rec:4:"));
}

/* The row function fails (ERR_INTERNAL) in the fourth batch: 70. */
static void
test_filter_fatal(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in1);
	s.fatal_id = FATAL_ID;
	run_modes(&s, "fatal", ERR_INTERNAL);
	path_of(path, sizeof path, "out", "tfatal.0");
	assert_false(exists(path));
	path_of(path, sizeof path, "err", "tfatal.0");
	assert_true(file_has(path, "row function failed"));
}

/* Two inputs with one header: one output header, the records of both. */
static void
test_filter_two_files(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in1);
	s.ownset = 1;
	s.in[1] = in2;
	s.nin = 2;
	run_modes(&s, "two", 0);
	path_of(path, sizeof path, "out", "ttwo.0");
	assert_file_is2(path, OUT_HEADER, exp_b, exp_b2);
}

/* A second input with another header: ERR_DATA, nothing written. */
static void
test_filter_header_differs(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in1);
	s.in[1] = in3;
	s.nin = 2;
	run_modes(&s, "hdiff", ERR_DATA);
	path_of(path, sizeof path, "out", "thdiff.0");
	assert_false(exists(path));
	path_of(path, sizeof path, "err", "thdiff.0");
	assert_true(file_has(path, "in3.rec:1: header differs from the "
	    "first input's"));
}

/* The header function refuses the first input: ERR_DATA at line 1. */
static void
test_filter_header_fn(void **state)
{
	char path[256];
	struct scen s;

	(void)state;
	scen_init(&s, in3);
	run_modes(&s, "hfn", ERR_DATA);
	path_of(path, sizeof path, "out", "thfn.0");
	assert_false(exists(path));
	path_of(path, sizeof path, "err", "thfn.0");
	assert_true(file_has(path, "in3.rec:1: no field 'name'"));
}

/* A header and no record: the output header alone; no header at all: 65. */
static void
test_filter_empty(void **state)
{
	char path[256];
	struct counts c;
	struct scen s;

	(void)state;
	scen_init(&s, in_hdr);
	run_modes(&s, "hdr", 0);
	path_of(path, sizeof path, "out", "thdr.0");
	assert_file_is(path, OUT_HEADER);
	read_counts("thdr.0", &c);
	assert_int_equal(c.read, 0);
	assert_int_equal(c.judged, 0);
	assert_int_equal(c.live, 0);

	/* the header-only file first, then in1: the same as in1 alone */
	scen_init(&s, in_hdr);
	s.in[1] = in1;
	s.nin = 2;
	run_modes(&s, "hdr2", 0);
	path_of(path, sizeof path, "out", "thdr2.0");
	assert_file_is2(path, OUT_HEADER, exp_a, NULL);

	scen_init(&s, in_empty);
	run_modes(&s, "empty", ERR_DATA);
	path_of(path, sizeof path, "out", "tempty.0");
	assert_false(exists(path));
}

/*
 * Out of memory at the n-th allocation, n = 0, 7, ... 203 and further
 * while runs still fail: a clean 70 "out of memory", or 0 with the whole
 * output; never a crash or a hang (alarm).
 */
static void
test_filter_oom(void **state)
{
	static const size_t om[] = { 0, 1, 3, 8 };
	char path[256];
	struct counts c;
	struct scen s;
	size_t m;
	long n;
	int st, ok;

	(void)state;
	for (m = 0; m < sizeof om / sizeof om[0]; m++) {
		ok = 0;
		for (n = 0; n <= 203 || ok == 0; n += 7) {
			assert_true(n < 5000);
			scen_init(&s, in1);
			s.nargs = om[m];
			s.oom = n;
			snprintf(s.tag, sizeof s.tag, "toom.%zu.%ld", m, n);
			st = run_child(child_filter, &s, s.tag);
			path_of(path, sizeof path, "err", s.tag);
			if (st == ERR_INTERNAL) {
				if (!file_has(path, "out of memory"))
					fail_msg("nargs %zu, oom %ld: 70 "
					    "without 'out of memory'", om[m], n);
				path_of(path, sizeof path, "out", s.tag);
				assert_false(exists(path));
			} else if (st == 0) {
				ok++;
				read_counts(s.tag, &c);
				assert_int_equal(c.live, 0);
				path_of(path, sizeof path, "out", s.tag);
				assert_file_is2(path, OUT_HEADER, exp_a, NULL);
			} else
				fail_msg("nargs %zu, oom %ld: status %d",
				    om[m], n, st);
			remove_names(s.tag);
			assert_int_equal(count_names(".tmp"), 0);
		}
	}
}

/* ---- prog_row_text, prog_header_index, prog_config_path ---- */

static const char *const text_lines[] = {
	"ev\tx\\ty\t\\\\z\\n\t",
	"ev\t\t\t\\r\\t\\\\",
	"ev\tplain\tmore\tend",
};

static void
test_row_text(void **state)
{
	struct rec_reader *r = NULL;
	struct rec_row row;
	struct buf b = BUF_INIT, in = BUF_INIT;
	struct err e;
	size_t k;
	long n, base = mem_live();
	int rc;

	(void)state;
	err_clear(&e);
	assert_int_equal(buf_adds(&in, "kind\ta\tb\tc\n"), 0);
	for (k = 0; k < 3; k++) {
		assert_int_equal(buf_adds(&in, text_lines[k]), 0);
		assert_int_equal(buf_addc(&in, '\n'), 0);
	}
	assert_int_equal(rec_reader_mem(&r, in.p, in.len, "mem", &e), 0);
	for (k = 0; k < 3; k++) {
		assert_int_equal(rec_read(r, &row, &e), 1);
		assert_int_equal(prog_row_text(&b, &row), 0);
		assert_string_equal(b.p, text_lines[k]);
		assert_int_equal(b.len, strlen(text_lines[k]));
		/* again into a used buffer: emptied first */
		assert_int_equal(prog_row_text(&b, &row), 0);
		assert_string_equal(b.p, text_lines[k]);
		/* out of memory: -1, nothing leaked */
		for (n = 0;; n++) {
			struct buf t = BUF_INIT;
			long live = mem_live();

			mem_fail_after(n);
			rc = prog_row_text(&t, &row);
			mem_fail_after(-1);
			if (rc == 0) {
				assert_string_equal(t.p, text_lines[k]);
				buf_free(&t);
				assert_int_equal(mem_live(), live);
				break;
			}
			assert_int_equal(rc, -1);
			buf_free(&t);
			assert_int_equal(mem_live(), live);
		}
	}
	assert_int_equal(rec_read(r, &row, &e), 0);
	rec_reader_close(r);
	buf_free(&b);
	buf_free(&in);
	assert_int_equal(mem_live(), base);
}

static void
test_header_index(void **state)
{
	char *names[] = { "kind", "id", "name" };
	struct rec_header h = { 3, names }, z = { 0, NULL };

	(void)state;
	assert_int_equal(prog_header_index(&h, "kind"), 0);
	assert_int_equal(prog_header_index(&h, "id"), 1);
	assert_int_equal(prog_header_index(&h, "name"), 2);
	assert_int_equal(prog_header_index(&h, "nam"), -1);
	assert_int_equal(prog_header_index(&h, "names"), -1);
	assert_int_equal(prog_header_index(&h, ""), -1);
	assert_int_equal(prog_header_index(&z, "kind"), -1);
}

/* In a child (chdir, environment): each result on a line of stdout. */
static int
child_config(const void *ctx)
{
	char buf[256], small[12];
	const char *r;
	FILE *fp;

	(void)ctx;
	if (chdir(dir) != 0 || (fp = fopen("here", "w")) == NULL)
		return 123;
	fclose(fp);
	unsetenv("GRID_SCHEMA_DIR");
	printf("%s\n", prog_config_path("event", NULL, buf, sizeof buf));
	printf("%s\n", prog_config_path("event", "grids", buf, sizeof buf));
	setenv("GRID_SCHEMA_DIR", "", 1);
	printf("%s\n", prog_config_path("event", NULL, buf, sizeof buf));
	setenv("GRID_SCHEMA_DIR", "/x/s", 1);
	printf("%s\n", prog_config_path("event", NULL, buf, sizeof buf));
	printf("%s\n", prog_config_path("event", "grids", buf, sizeof buf));
	r = "a/b.yaml";
	printf("%d\n", prog_config_path(r, NULL, buf, sizeof buf) == r);
	r = "here";
	printf("%d\n", prog_config_path(r, "grids", buf, sizeof buf) == r);
	r = "nothere";
	printf("%d %s\n", prog_config_path(r, NULL, buf, sizeof buf) == buf,
	    buf);
	/* truncated to the buffer, NUL-terminated */
	printf("%s\n", prog_config_path("event", NULL, small, sizeof small));
	return 0;
}

static void
test_config_path(void **state)
{
	char path[256], want[1024];
	const char *d = GRID_SCHEMA_DIR;

	(void)state;
	assert_int_equal(run_child(child_config, NULL, "tcfg"), 0);
	snprintf(want, sizeof want,
	    "%s/event.yaml\n%s/grids/event.yaml\n%s/event.yaml\n"
	    "/x/s/event.yaml\n/x/s/grids/event.yaml\n1\n1\n"
	    "1 /x/s/nothere.yaml\n/x/s/event.\n", d, d, d);
	path_of(path, sizeof path, "stdout", "tcfg");
	assert_file_is(path, want);
}

/* ---- options ---- */

struct optcase {
	int ch;
	const char *arg;
	int status;
	const char *out;	/* stdout, or NULL: USAGE */
	const char *err;	/* stderr before the usage, or NULL: none */
	bool usage;		/* stderr ends with the usage */
};

static const char *
nz(const char *s)
{
	return s != NULL ? s : "-";
}

static void
print_opts(const struct prog *p, const struct job_opts *jo)
{
	printf("o=%s r=%s m=%lld man=%s stats=%d progress=%d\n",
	    nz(jo->output), nz(jo->rejects), jo->max_rejects, nz(jo->manifest),
	    p->stats, p->progress);
}

static int
child_option(const void *ctx)
{
	static struct prog p;
	const struct optcase *c = ctx;
	struct job_opts jo;

	memset(&jo, 0, sizeof jo);
	jo.max_rejects = -1;
	prog_init(&p, "tprog", USAGE);
	prog_option(&p, c->ch, c->arg, &jo);
	print_opts(&p, &jo);
	return 0;
}

#define DEF "o=- r=- m=-1 man=- stats=0 progress=0\n"

static const struct optcase optcases[] = {
	{ 'h', NULL, 0, USAGE, NULL, false },
	{ 'o', "x.tsv", 0, "o=x.tsv r=- m=-1 man=- stats=0 progress=0\n",
	    NULL, false },
	{ PROG_OPT_MANIFEST, "m.tsv", 0,
	    "o=- r=- m=-1 man=m.tsv stats=0 progress=0\n", NULL, false },
	{ PROG_OPT_STATS, NULL, 0, "o=- r=- m=-1 man=- stats=1 progress=0\n",
	    NULL, false },
	{ PROG_OPT_PROGRESS, NULL, 0,
	    "o=- r=- m=-1 man=- stats=0 progress=1\n", NULL, false },
	{ PROG_OPT_REJECTS, "r.tsv", 0,
	    "o=- r=r.tsv m=-1 man=- stats=0 progress=0\n", NULL, false },
	{ PROG_OPT_MAX_REJECTS, "5", 0,
	    "o=- r=- m=5 man=- stats=0 progress=0\n", NULL, false },
	{ PROG_OPT_MAX_REJECTS, "0", 0,
	    "o=- r=- m=0 man=- stats=0 progress=0\n", NULL, false },
	{ PROG_OPT_MAX_REJECTS, "-1", ERR_USAGE, "",
	    "tprog: bad --max-rejects '-1'\n", true },
	{ PROG_OPT_MAX_REJECTS, "x", ERR_USAGE, "",
	    "tprog: bad --max-rejects 'x'\n", true },
	{ PROG_OPT_MAX_REJECTS, "", ERR_USAGE, "",
	    "tprog: bad --max-rejects ''\n", true },
	{ PROG_OPT_MAX_REJECTS, "5x", ERR_USAGE, "",
	    "tprog: bad --max-rejects '5x'\n", true },
	{ PROG_OPT_MAX_REJECTS, "1234567890123456789", ERR_USAGE, "",
	    "tprog: bad --max-rejects '1234567890123456789'\n", true },
	{ 'z', NULL, ERR_USAGE, "", NULL, true },
	{ '?', NULL, ERR_USAGE, "", NULL, true },
};

static void
test_options(void **state)
{
	char po[256], pe[256], want[256];
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof optcases / sizeof optcases[0]; i++) {
		const struct optcase *c = &optcases[i];

		if (run_child(child_option, c, "topt") != c->status)
			fail_msg("option case %zu: status not %d", i,
			    c->status);
		path_of(po, sizeof po, "stdout", "topt");
		path_of(pe, sizeof pe, "err", "topt");
		assert_file_is(po, c->out);
		snprintf(want, sizeof want, "%s%s", c->err ? c->err : "",
		    c->usage ? USAGE : "");
		assert_file_is(pe, want);
	}

	/* --version: "tprog (gridkit) VERSION" on stdout, 0 */
	{
		static const struct optcase v = { PROG_OPT_VERSION, NULL, 0,
		    NULL, NULL, false };

		assert_int_equal(run_child(child_option, &v, "topt"), 0);
		s = slurp(po, NULL);
		assert_non_null(s);
		assert_true(strncmp(s, "tprog (gridkit) ", 16) == 0);
		assert_true(strlen(s) > 17);
		assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
		sfree(s);
		assert_file_is(pe, "");
	}
}

struct checkcase {
	long long max;
	const char *rejects;
	int status;
};

static int
child_check(const void *ctx)
{
	static struct prog p;
	const struct checkcase *c = ctx;
	struct job_opts jo;

	memset(&jo, 0, sizeof jo);
	jo.max_rejects = c->max;
	jo.rejects = c->rejects;
	prog_init(&p, "tprog", USAGE);
	prog_options_check(&p, &jo);
	printf("ok\n");
	return 0;
}

static int
child_usage(const void *ctx)
{
	static struct prog p;
	int which = *(const int *)ctx;

	prog_init(&p, "tprog", USAGE);
	if (which == 0)
		prog_usage(&p);
	else if (which == 1)
		prog_usage_error(&p, "bad thing", NULL);
	else if (which == 2)
		prog_usage_error(&p, "bad grid", "g9");
	else
		prog_help(&p);
	return 99;
}

static void
test_options_check(void **state)
{
	static const struct checkcase cc[] = {
		{ -1, NULL, 0 }, { -1, "r.tsv", 0 }, { 3, "r.tsv", 0 },
		{ 0, "r.tsv", 0 }, { 3, NULL, ERR_USAGE }, { 0, NULL, ERR_USAGE },
	};
	static const int which[] = { 0, 1, 2, 3 };
	static const char *const werr[] = {
		USAGE, "tprog: bad thing\n" USAGE,
		"tprog: bad grid 'g9'\n" USAGE, "",
	};
	char po[256], pe[256];
	size_t i;

	(void)state;
	path_of(po, sizeof po, "stdout", "tchk");
	path_of(pe, sizeof pe, "err", "tchk");
	for (i = 0; i < sizeof cc / sizeof cc[0]; i++) {
		if (run_child(child_check, &cc[i], "tchk") != cc[i].status)
			fail_msg("check case %zu: status not %d", i,
			    cc[i].status);
		if (cc[i].status == 0) {
			assert_file_is(po, "ok\n");
			assert_file_is(pe, "");
		} else {
			assert_file_is(po, "");
			assert_file_is(pe,
			    "tprog: --max-rejects needs --rejects\n" USAGE);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(run_child(child_usage, &which[i], "tchk"),
		    i == 3 ? 0 : ERR_USAGE);
		assert_file_is(pe, werr[i]);
		assert_file_is(po, i == 3 ? USAGE : "");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_filter_modes, clean),
		cmocka_unit_test_setup(test_filter_args, clean),
		cmocka_unit_test_setup(test_filter_max_rejects, clean),
		cmocka_unit_test_setup(test_filter_no_rejects, clean),
		cmocka_unit_test_setup(test_filter_fatal, clean),
		cmocka_unit_test_setup(test_filter_two_files, clean),
		cmocka_unit_test_setup(test_filter_header_differs, clean),
		cmocka_unit_test_setup(test_filter_header_fn, clean),
		cmocka_unit_test_setup(test_filter_empty, clean),
		cmocka_unit_test_setup(test_filter_oom, clean),
		cmocka_unit_test_setup(test_config_path, clean),
		cmocka_unit_test_setup(test_options, clean),
		cmocka_unit_test_setup(test_options_check, clean),
		/* last: a failure leaves mem blocks a child would inherit */
		cmocka_unit_test_setup(test_row_text, clean),
		cmocka_unit_test(test_header_index),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
