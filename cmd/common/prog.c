/* prog.c - the frame of a gridkit record filter (see prog.h) */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "hash.h"
#include "mem.h"
#include "str.h"
#include "out.h"
#include "rec.h"

#ifndef GRID_VERSION
#define GRID_VERSION "unknown"
#endif
#ifndef GRID_SCHEMA_DIR
#define GRID_SCHEMA_DIR "/usr/local/share/gridkit/schemas"
#endif

void
prog_init(struct prog *p, const char *name, const char *usage)
{
	memset(p, 0, sizeof *p);
	p->name = name;
	p->usage = usage;
	p->extra = (struct buf)BUF_INIT;
	signal(SIGPIPE, SIG_DFL);
}

void
prog_usage(const struct prog *p)
{
	fputs(p->usage, stderr);
	exit(ERR_USAGE);
}

void
prog_usage_error(const struct prog *p, const char *what, const char *arg)
{
	if (arg != NULL)
		fprintf(stderr, "%s: %s '%s'\n", p->name, what, arg);
	else
		fprintf(stderr, "%s: %s\n", p->name, what);
	prog_usage(p);
}

void
prog_help(const struct prog *p)
{
	fputs(p->usage, stdout);
	exit(fflush(stdout) == 0 ? 0 : ERR_IO);
}

void
prog_version(const struct prog *p)
{
	printf("%s (gridkit) %s\n", p->name, GRID_VERSION);
	exit(fflush(stdout) == 0 ? 0 : ERR_IO);
}

void
prog_option(struct prog *p, int ch, const char *arg, struct job_opts *jo)
{
	long long n;

	switch (ch) {
	case 'h':
		prog_help(p);
		break;
	case 'o':
		jo->output = arg;
		break;
	case PROG_OPT_MANIFEST:
		jo->manifest = arg;
		break;
	case PROG_OPT_MAX_REJECTS:
		if (str_parse_int(arg, strlen(arg), &n) != 0 || n < 0)
			prog_usage_error(p, "bad --max-rejects", arg);
		jo->max_rejects = n;
		break;
	case PROG_OPT_PROGRESS:
		p->progress = true;
		break;
	case PROG_OPT_REJECTS:
		jo->rejects = arg;
		break;
	case PROG_OPT_STATS:
		p->stats = true;
		break;
	case PROG_OPT_VERSION:
		prog_version(p);
		break;
	default:
		prog_usage(p);
	}
}

void
prog_options_check(const struct prog *p, const struct job_opts *jo)
{
	if (jo->max_rejects >= 0 && jo->rejects == NULL)
		prog_usage_error(p, "--max-rejects needs --rejects", NULL);
}

static void
print_stats(struct prog *p)
{
	struct buf b = BUF_INIT;

	if (!p->stats || !p->opened)
		return;
	if (job_stats(&p->job, &b) == 0 && b.len > 0) {
		b.p[--b.len] = '\0';		/* the LF, put back below */
		if (p->skipped > 0)
			buf_printf(&b, ", skipped %llu", p->skipped);
		if (p->extra.len > 0)
			buf_add(&b, p->extra.p, p->extra.len);
		if (buf_addc(&b, '\n') == 0)
			fputs(b.p, stderr);
	}
	buf_free(&b);
}

static void
filter_free(struct prog *p)
{
	size_t i;

	for (i = 0; i < p->first.n; i++)
		mem_free(p->first.names[i]);
	mem_free(p->first.names);
	mem_free(p->outh.names);
	mem_free(p->pos);
	mem_free(p->ov);
	mem_free(p->olen);
	buf_free(&p->extra);
	p->first.names = NULL;
	p->first.n = 0;
	p->outh.names = NULL;
	p->pos = NULL;
	p->ov = NULL;
	p->olen = NULL;
}

void
prog_die(struct prog *p, const struct err *e)
{
	if (p->opened && job_epipe(&p->job)) {
		job_abort(&p->job);
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	diag_report(stderr, p->name, e);
	if (p->opened) {
		print_stats(p);
		job_abort(&p->job);
		p->opened = false;
	}
	filter_free(p);
	exit(diag_status(e));
}

void
prog_open(struct prog *p, const struct job_opts *o)
{
	struct err e;

	err_clear(&e);
	if (job_open(&p->job, p->name, GRID_VERSION, o, &e) != 0)
		prog_die(p, &e);
	p->opened = true;
}

void
prog_manifest_file(struct prog *p, enum manifest_role role, const char *path,
    long long records)
{
	char hex[HASH_HEX_MAX];
	struct err e;

	err_clear(&e);
	if (p->job.man == NULL)
		return;
	if (hash_sha256_file(path, hex, &e) != 0 ||
	    job_input(&p->job, role, path, hex, records, &e) != 0)
		prog_die(p, &e);
}

void
prog_reject(struct prog *p, const struct err *why, const char *raw,
    size_t rawlen)
{
	struct err e;

	err_clear(&e);
	if (job_reject(&p->job, why, raw, rawlen, true, &e) != 0)
		prog_die(p, &e);
}

const char *
prog_config_path(const char *arg, const char *sub, char *buf, size_t size)
{
	const char *dir;

	if (strchr(arg, '/') != NULL || access(arg, F_OK) == 0)
		return arg;
	if ((dir = getenv("GRID_SCHEMA_DIR")) == NULL || *dir == '\0')
		dir = GRID_SCHEMA_DIR;
	if (sub != NULL)
		snprintf(buf, size, "%s/%s/%s.yaml", dir, sub, arg);
	else
		snprintf(buf, size, "%s/%s.yaml", dir, arg);
	return buf;
}

long
prog_header_index(const struct rec_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (long)i;
	return -1;
}

/* The first file's header: copy it, build the output header, write it. */
static int
setup(struct prog *p, const struct rec_header *h, const char *const *own,
    size_t nown, struct err *e)
{
	size_t i;

	p->first.names = mem_calloc(h->n, sizeof *p->first.names);
	if (p->first.names == NULL)
		return err_nomem(e);
	for (i = 0; i < h->n; i++) {
		if ((p->first.names[i] = mem_strdup(h->names[i])) == NULL)
			return err_nomem(e);
		p->first.n = i + 1;
	}
	p->own = own;
	p->nown = nown;
	if ((p->pos = mem_calloc(nown ? nown : 1, sizeof *p->pos)) == NULL)
		return err_nomem(e);
	if (rec_extend(&p->first, own, nown, &p->outh, p->pos, e) != 0)
		return e->code;
	p->ov = mem_calloc(p->outh.n, sizeof *p->ov);
	p->olen = mem_calloc(p->outh.n, sizeof *p->olen);
	if (p->ov == NULL || p->olen == NULL)
		return err_nomem(e);
	p->header_done = true;
	return rec_write(p->job.out, p->outh.n,
	    (const char *const *)p->outh.names, NULL, e);
}

static bool
same_header(const struct rec_header *a, const struct rec_header *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	return true;
}

void
prog_progress_start(const struct prog *p, struct prog_progress *pr,
    unsigned long long size)
{
	pr->on = p->progress || (isatty(STDERR_FILENO) && size > 0);
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
	pr->last = pr->start;
}

void
prog_progress_show(const struct prog *p, struct prog_progress *pr,
    const char *name, const char *unit, unsigned long long bytes,
    unsigned long long size, bool done)
{
	struct timespec now;
	double secs;

	if (!pr->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!done && now.tv_sec - pr->last.tv_sec < 1)
		return;
	pr->last = now;
	secs = (double)(now.tv_sec - pr->start.tv_sec) +
	    (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r%s: %s: %llu %s", p->name, name, p->job.read, unit);
	if (size > 0)
		fprintf(stderr, ", %llu%%", bytes * 100 / size);
	if (secs > 0)
		fprintf(stderr, ", %.0f %s/s", (double)p->job.read / secs, unit);
	fputs(done ? "\n" : "  ", stderr);
}

/* The progress line of a records file. */
static void
show_progress(struct prog *p, struct prog_progress *pr, struct rec_reader *r,
    bool done)
{
	prog_progress_show(p, pr, rec_reader_name(r), "records",
	    rec_reader_bytes(r), rec_reader_size(r), done);
}

/*
 * prog_row_text: a good record's line as it was read (without LF).  The
 * reader unescapes in place, but escaping is canonical, so escaping the
 * values again gives back the very bytes.
 */
int
prog_row_text(struct buf *b, const struct rec_row *row)
{
	size_t i, n;

	buf_reset(b);
	if (buf_grow(b, 0) != 0)
		return -1;
	for (i = 0; i < row->n; i++) {
		n = rec_escaped_len(row->v[i], row->len[i]);
		if (buf_grow(b, n + 1) != 0)
			return -1;
		if (i > 0)
			b->p[b->len++] = '\t';
		b->len += rec_escape(b->p + b->len, row->v[i], row->len[i]);
	}
	b->p[b->len] = '\0';
	return 0;
}

/*
 * The number of leading output fields that are input fields no owned
 * field replaces, less the last input field: those write_row may copy.
 */
static size_t
fast_fields(const struct prog *p, size_t nin)
{
	size_t i, k = nin > 0 ? nin - 1 : 0;

	for (i = 0; i < p->nown; i++)
		if (p->pos[i] < k)
			k = p->pos[i];
	return k;
}

/*
 * write_row: rec_write of the output record, faster.  The reader leaves
 * each field in its buffer where the line had it, unescaped in place and
 * NUL-terminated (rec.h), and an escape makes a field shorter.  So when
 * the first nfast fields still lie one right after the other, none had an
 * escape, and then none holds a byte that needs one (the reader takes no
 * raw TAB, LF or CR and no lone backslash into a value): what rec_write
 * would write for them is the line's own bytes, the NUL after each field
 * back to a TAB.  They are copied as a block, and rec_write writes the
 * rest of the line.  The room rec_write would have asked for the whole
 * line is reserved first, so the output is flushed at the same places.
 */
static int
write_row(struct prog *p, const struct rec_row *row, size_t nfast,
    struct err *e)
{
	const char *b;
	size_t i, need = 1, blen;
	char *d;

	for (i = 0; i < nfast; i++)
		if (row->v[i] + row->len[i] + 1 != row->v[i + 1])
			break;
	if (nfast == 0 || i < nfast)
		return rec_write(p->job.out, p->outh.n, p->ov, p->olen, e);
	b = row->v[0];
	blen = (size_t)(row->v[nfast] - b);	/* through the last NUL */
	/* sum(2 * len + 1) of the fields: of the first nfast, 2 * blen - nfast */
	need += 2 * blen - nfast;
	for (i = nfast; i < p->outh.n; i++)
		need += 2 * p->olen[i] + 1;
	if ((d = out_reserve(p->job.out, need, e)) == NULL)
		return e->code;
	memcpy(d, b, blen);
	for (i = 0; i < nfast; i++)
		d[row->v[i] - b + (ptrdiff_t)row->len[i]] = '\t';
	out_advance(p->job.out, blen);
	return rec_write(p->job.out, p->outh.n - nfast, p->ov + nfast,
	    p->olen + nfast, e);
}

/*
 * filter_open: open path, check or set up the header (hfn once per arg),
 * and return the reader; dies on error.
 */
static struct rec_reader *
filter_open(struct prog *p, const char *path, const char *const *own,
    size_t nown, prog_header_fn *hfn, void *const *args, size_t nargs)
{
	struct rec_reader *r = NULL;
	const struct rec_header *h;
	struct err e;
	size_t i;
	int rc = 0;

	err_clear(&e);
	if (rec_reader_open(&r, path, p->job.man != NULL, &e) != 0)
		prog_die(p, &e);
	h = rec_reader_header(r);
	if (!p->header_done) {
		for (i = 0; hfn != NULL && i < nargs && rc == 0; i++)
			rc = hfn(args[i], h, &e);
		if (rc != 0 || setup(p, h, own, nown, &e) != 0) {
			if (e.file[0] == '\0')
				err_at(&e, rec_reader_name(r), 1, NULL);
			rec_reader_close(r);
			prog_die(p, &e);
		}
	} else if (!same_header(h, &p->first)) {
		err_at(&e, rec_reader_name(r), 1, NULL);
		err_set(&e, ERR_DATA, "header differs from the first input's");
		rec_reader_close(r);
		prog_die(p, &e);
	}
	return r;
}

/* filter_close: the last progress line, the manifest entry, the reader. */
static void
filter_close(struct prog *p, const char *path, struct rec_reader *r,
    struct prog_progress *pr, unsigned long long n)
{
	char hex[HASH_HEX_MAX];
	struct err e;

	err_clear(&e);
	if (pr->on)
		show_progress(p, pr, r, true);
	rec_reader_sha256(r, hex);
	if (job_input(&p->job, MANIFEST_INPUT, path, hex, (long long)n, &e) != 0) {
		rec_reader_close(r);
		prog_die(p, &e);
	}
	rec_reader_close(r);
}

/* filter_rows: prog_filter's loop over the records of r, then its end. */
static void
filter_rows(struct prog *p, const char *path, struct rec_reader *r,
    prog_row_fn *fn, void *arg)
{
	struct prog_progress pr = { false, { 0, 0 }, { 0, 0 } };
	struct buf raw = BUF_INIT;
	struct rec_row row;
	unsigned long long n = 0;
	struct err e;
	size_t i, nfast;
	int rc;

	err_clear(&e);
	nfast = fast_fields(p, rec_reader_header(r)->n);
	prog_progress_start(p, &pr, rec_reader_size(r));
	while ((rc = rec_read(r, &row, &e)) != 0) {
		p->job.read++;
		n++;
		if (rc == ERR_DATA) {
			prog_reject(p, &e, row.raw, row.rawlen);
			err_clear(&e);
			continue;
		}
		if (rc != 1)
			break;
		for (i = 0; i < row.n; i++) {
			p->ov[i] = row.v[i];
			p->olen[i] = row.len[i];
		}
		for (i = 0; i < p->nown; i++) {
			p->ov[p->pos[i]] = "";
			p->olen[p->pos[i]] = 0;
		}
		rc = fn(arg, &row, p->ov, p->olen, &e);
		if (rc == 1) {
			p->skipped++;
			continue;
		}
		if (rc == ERR_DATA) {
			if (e.file[0] == '\0') {
				char field[sizeof e.field];

				memcpy(field, e.field, sizeof field);
				err_at(&e, rec_reader_name(r), row.line,
				    field[0] != '\0' ? field : NULL);
			}
			if (prog_row_text(&raw, &row) != 0) {
				rc = err_nomem(&e);
				break;
			}
			prog_reject(p, &e, raw.p, raw.len);
			err_clear(&e);
			continue;
		}
		if (rc != 0 || (rc = write_row(p, &row, nfast, &e)) != 0)
			break;
		p->job.written++;
		if (pr.on && (n & 0xfff) == 0)
			show_progress(p, &pr, r, false);
	}
	buf_free(&raw);
	if (rc != 0) {
		rec_reader_close(r);
		prog_die(p, &e);
	}
	filter_close(p, path, r, &pr, n);
}

void
prog_filter(struct prog *p, const char *path, const char *const *own,
    size_t nown, prog_header_fn *hfn, prog_row_fn *fn, void *arg)
{
	filter_rows(p, path, filter_open(p, path, own, nown, hfn, &arg, 1),
	    fn, arg);
}

/*
 * The parallel filter.  The calling thread reads batches of records,
 * copying each good record's bytes (fields unescaped, NUL-terminated, as
 * rec_read left them) into the batch; workers, each with its own argument
 * of the row function, judge whole batches and format each output line
 * into the batch's output buffer; the calling thread then takes the
 * batches in input order and writes their lines (reserving for each the
 * room prog_filter would, so the output is flushed at the same places),
 * rejects and counts, exactly as prog_filter does row by row.
 *
 * Only the calling thread allocates (lib/mem keeps plain counters): a
 * worker whose batch needs a larger output buffer or room for one more
 * error asks for it (state NEED) and waits until the calling thread has
 * grown it.  Every field of a batch belongs to the thread its state says:
 * FREE to the reader, READY to no one (the reader has handed it over),
 * RUNNING and NEED to one worker (NEED: the calling thread grows its
 * buffers while the worker waits), DONE to the calling thread.  The state
 * itself, seq and the need fields are read and written under mu.
 */
#define PAR_ROWS 4096			/* records in a batch at most */
#define PAR_BYTES ((size_t)4 << 20)	/* a batch stops growing beyond */
#define PAR_MAX_THREADS 16
#define PAR_PAD 16			/* elements: 128 bytes and more */

enum par_state { B_FREE, B_READY, B_RUNNING, B_NEED, B_DONE };

enum par_kind {
	K_ROW,		/* a good record, to judge */
	K_BADLINE,	/* rec_read refused it: err, raw bytes at doff */
	K_FATAL,	/* rec_read failed, or the row function: err */
	K_NOMEM,	/* the worker's buffers could not grow */
	K_WRITE,	/* judged: the line at ooff in obuf */
	K_SKIP,		/* the row function passed it */
	K_REJECT	/* the row function refused it: err */
};

struct par_row {
	enum par_kind kind;
	long line;
	size_t doff;		/* its bytes in data */
	size_t rawlen;		/* K_BADLINE: the raw line's length */
	size_t ooff, olen;	/* K_WRITE: the line in obuf */
	size_t need;		/* K_WRITE: room prog_filter would reserve */
	size_t err;		/* index in errs */
};

struct par_batch {
	enum par_state state;
	unsigned long long seq;
	size_t nrows;
	struct par_row *rows;		/* PAR_ROWS */
	size_t *off, *len;		/* nf per row: field offsets, lengths */
	char *data;			/* the records' bytes */
	size_t dlen, dcap;
	char *obuf;			/* the output lines */
	size_t ocap;
	struct err *errs;
	size_t nerr, errcap;
	size_t need_o, need_e;		/* NEED: sizes asked for */
	bool failed;			/* NEED: could not grow */
};

struct par;

struct par_worker {
	struct par *x;
	void *arg;
	pthread_t tid;
	char **v;			/* the row's field pointers */
	const char **ov;		/* the output values */
	size_t *olen;
};

struct par {
	struct prog *p;
	prog_row_fn *fn;
	const char *name;		/* the reader's, for errors */
	size_t nf, nout, nfast;
	pthread_mutex_t mu;
	pthread_cond_t cv_main, cv_work;
	bool stop;			/* under mu */
	struct par_batch *b;
	size_t nb;
	struct par_worker *w;
	size_t nw;			/* workers running */
	char **v;			/* the calling thread's, for rejects */
};

/* par_grow: room for n bytes in *p of capacity *cap, from the calling
 * thread only.  0 or -1. */
static int
par_grow(char **p, size_t *cap, size_t n)
{
	size_t c = *cap ? *cap : 4096;
	char *q;

	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	if ((q = mem_realloc(*p, c)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
par_grow_errs(struct par_batch *b, size_t n)
{
	size_t c = b->errcap ? b->errcap : 8;
	struct err *q;

	if (n <= b->errcap)
		return 0;
	while (c < n)
		c *= 2;
	if ((q = mem_reallocarray(b->errs, c, sizeof *q)) == NULL)
		return -1;
	b->errs = q;
	b->errcap = c;
	return 0;
}

/* par_ask: from a worker, room for o bytes of output and e errors in b;
 * waits for the calling thread.  0, or -1 when it could not or stopped. */
static int
par_ask(struct par *x, struct par_batch *b, size_t o, size_t ne)
{
	int rc;

	pthread_mutex_lock(&x->mu);
	b->need_o = o;
	b->need_e = ne;
	b->failed = false;
	b->state = B_NEED;
	pthread_cond_signal(&x->cv_main);
	while (b->state == B_NEED && !x->stop)
		pthread_cond_wait(&x->cv_work, &x->mu);
	rc = x->stop || b->failed ? -1 : 0;
	pthread_mutex_unlock(&x->mu);
	return rc;
}

/* par_serve: in the calling thread, under mu, grow what workers ask for. */
static void
par_serve(struct par *x)
{
	struct par_batch *b;
	bool any = false;
	size_t i;

	for (i = 0; i < x->nb; i++) {
		b = &x->b[i];
		if (b->state != B_NEED)
			continue;
		b->failed = par_grow(&b->obuf, &b->ocap, b->need_o) != 0 ||
		    par_grow_errs(b, b->need_e) != 0;
		b->state = B_RUNNING;
		any = true;
	}
	if (any)
		pthread_cond_broadcast(&x->cv_work);
}

/* par_err: a slot for one more error of b's row k; false when none. */
static bool
par_err(struct par *x, struct par_batch *b, size_t k, const struct err *e)
{
	if (b->nerr == b->errcap &&
	    par_ask(x, b, b->ocap, b->nerr + 1) != 0) {
		b->rows[k].kind = K_NOMEM;
		return false;
	}
	b->rows[k].err = b->nerr;
	b->errs[b->nerr++] = *e;
	return true;
}

/* par_judge: a worker's work on one batch. */
static void
par_judge(struct par_worker *w, struct par_batch *b)
{
	struct par *x = w->x;
	struct prog *p = x->p;
	struct par_row *pr;
	struct rec_row row;
	struct err e;
	size_t i, j, k, o = 0, need, nf = x->nf;
	char *base, *d;
	int rc;

	err_clear(&e);
	for (k = 0; k < b->nrows; k++) {
		pr = &b->rows[k];
		if (pr->kind != K_ROW)
			continue;
		base = b->data + pr->doff;
		row.n = nf;
		row.v = w->v;
		row.len = b->len + k * nf;
		row.line = pr->line;
		row.raw = NULL;
		row.rawlen = 0;
		for (i = 0; i < nf; i++) {
			w->v[i] = base + b->off[k * nf + i];
			w->ov[i] = w->v[i];
			w->olen[i] = row.len[i];
		}
		for (i = 0; i < p->nown; i++) {
			w->ov[p->pos[i]] = "";
			w->olen[p->pos[i]] = 0;
		}
		err_at(&e, NULL, 0, NULL);	/* as rec_read leaves it */
		rc = x->fn(w->arg, &row, w->ov, w->olen, &e);
		if (rc == 1) {
			pr->kind = K_SKIP;
			continue;
		}
		if (rc == ERR_DATA) {
			if (e.file[0] == '\0') {
				char field[sizeof e.field];

				memcpy(field, e.field, sizeof field);
				err_at(&e, x->name, row.line,
				    field[0] != '\0' ? field : NULL);
			}
			if (!par_err(x, b, k, &e))
				break;
			pr->kind = K_REJECT;
			err_clear(&e);
			continue;
		}
		if (rc != 0) {
			if (par_err(x, b, k, &e))
				pr->kind = K_FATAL;
			break;
		}
		/* the room rec_write would reserve for the whole line */
		need = 1;
		for (i = 0; i < x->nout; i++)
			need += 2 * w->olen[i] + 1;
		if (b->ocap - o < need &&
		    par_ask(x, b, o + need, b->errcap) != 0) {
			pr->kind = K_NOMEM;
			break;
		}
		/*
		 * As write_row: leading input fields that lie one right
		 * after the other had no escape and need none, so they are
		 * the line's own bytes, each NUL back to a TAB.
		 */
		d = b->obuf + o;
		for (j = 0; j < x->nfast; j++)
			if (row.v[j] + row.len[j] + 1 != row.v[j + 1])
				break;
		if (x->nfast > 0 && j == x->nfast) {
			size_t blen = (size_t)(row.v[j] - row.v[0]);

			memcpy(d, row.v[0], blen);
			for (i = 0; i < j; i++)
				d[row.v[i] - row.v[0] +
				    (ptrdiff_t)row.len[i]] = '\t';
			pr->olen = blen + rec_format(d + blen, x->nout - j,
			    w->ov + j, w->olen + j);
		} else
			pr->olen = rec_format(d, x->nout, w->ov, w->olen);
		pr->kind = K_WRITE;
		pr->ooff = o;
		pr->need = need;
		o += pr->olen;
	}
}

static void *
par_worker_main(void *a)
{
	struct par_worker *w = a;
	struct par *x = w->x;
	struct par_batch *b;
	size_t i;

	pthread_mutex_lock(&x->mu);
	for (;;) {
		b = NULL;
		for (i = 0; i < x->nb; i++)
			if (x->b[i].state == B_READY &&
			    (b == NULL || x->b[i].seq < b->seq))
				b = &x->b[i];
		if (x->stop)
			break;
		if (b == NULL) {
			pthread_cond_wait(&x->cv_work, &x->mu);
			continue;
		}
		b->state = B_RUNNING;
		pthread_mutex_unlock(&x->mu);
		par_judge(w, b);
		pthread_mutex_lock(&x->mu);
		b->state = B_DONE;
		pthread_cond_signal(&x->cv_main);
	}
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

/* par_stop: stop and join the workers, free everything of x. */
static void
par_stop(struct par *x)
{
	size_t i;

	pthread_mutex_lock(&x->mu);
	x->stop = true;
	pthread_cond_broadcast(&x->cv_work);
	pthread_mutex_unlock(&x->mu);
	for (i = 0; i < x->nw; i++)
		pthread_join(x->w[i].tid, NULL);
	x->nw = 0;
	for (i = 0; x->w != NULL && i < x->nb; i++) {
		mem_free(x->w[i].v);
		mem_free(x->w[i].ov);
		mem_free(x->w[i].olen);
	}
	for (i = 0; x->b != NULL && i < x->nb; i++) {
		mem_free(x->b[i].rows);
		mem_free(x->b[i].off);
		mem_free(x->b[i].len);
		mem_free(x->b[i].data);
		mem_free(x->b[i].obuf);
		mem_free(x->b[i].errs);
	}
	mem_free(x->w);
	mem_free(x->b);
	mem_free(x->v);
	pthread_cond_destroy(&x->cv_work);
	pthread_cond_destroy(&x->cv_main);
	pthread_mutex_destroy(&x->mu);
}

/*
 * par_start: set up x and start a worker per argument (nargs of them, at
 * most x->nb - 2).  -1 when not even one started (x is then freed).
 */
static int
par_start(struct par *x, void *const *args, size_t nargs)
{
	size_t i, nw = nargs;

	x->nb = nw + 2;
	x->w = mem_calloc(x->nb, sizeof *x->w);	/* nb >= nw */
	x->b = mem_calloc(x->nb, sizeof *x->b);
	x->v = mem_calloc(x->nf, sizeof *x->v);
	if (pthread_mutex_init(&x->mu, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&x->cv_main, NULL) != 0)
		goto fail_main;
	if (pthread_cond_init(&x->cv_work, NULL) != 0)
		goto fail_work;
	if (x->w == NULL || x->b == NULL || x->v == NULL)
		goto fail;
	for (i = 0; i < x->nb; i++) {
		struct par_batch *b = &x->b[i];

		b->rows = mem_reallocarray(NULL, PAR_ROWS, sizeof *b->rows);
		b->off = mem_reallocarray(NULL, PAR_ROWS * x->nf,
		    sizeof *b->off);
		b->len = mem_reallocarray(NULL, PAR_ROWS * x->nf,
		    sizeof *b->len);
		if (b->rows == NULL || b->off == NULL || b->len == NULL)
			goto fail;
	}
	for (i = 0; i < nw; i++) {
		struct par_worker *w = &x->w[i];

		w->x = x;
		w->arg = args[i];
		/* PAR_PAD more: no cache line shared with another worker */
		w->v = mem_calloc(x->nf + PAR_PAD, sizeof *w->v);
		w->ov = mem_calloc(x->nout + PAR_PAD, sizeof *w->ov);
		w->olen = mem_calloc(x->nout + PAR_PAD, sizeof *w->olen);
		if (w->v == NULL || w->ov == NULL || w->olen == NULL)
			goto fail;
	}
	for (i = 0; i < nw; i++) {
		if (pthread_create(&x->w[i].tid, NULL, par_worker_main,
		    &x->w[i]) != 0)
			break;
		x->nw++;
	}
	if (x->nw > 0)
		return 0;
fail:
	par_stop(x);
	return -1;
fail_work:
	pthread_cond_destroy(&x->cv_main);
fail_main:
	pthread_mutex_destroy(&x->mu);
fail_mu:
	mem_free(x->w);
	mem_free(x->b);
	mem_free(x->v);
	return -1;
}

/*
 * par_fill: read the next batch into b (the calling thread, b FREE).
 * Sets *eof at the end of the input or after a fatal error (kept as the
 * batch's last row).
 */
static void
par_fill(struct par *x, struct rec_reader *r, struct par_batch *b, bool *eof)
{
	struct par_row *pr;
	struct rec_row row;
	struct err e;
	size_t i, span, nf = x->nf;
	int rc;

	b->nrows = 0;
	b->dlen = 0;
	b->nerr = 0;
	err_clear(&e);
	while (b->nrows < PAR_ROWS && b->dlen < PAR_BYTES) {
		if ((rc = rec_read(r, &row, &e)) == 0) {
			*eof = true;
			return;
		}
		pr = &b->rows[b->nrows++];
		pr->line = row.line;
		if (rc == 1) {
			span = (size_t)(row.v[nf - 1] + row.len[nf - 1] + 1 -
			    row.v[0]);
			if (par_grow(&b->data, &b->dcap, b->dlen + span) != 0) {
				rc = err_nomem(&e);
				goto fatal;
			}
			memcpy(b->data + b->dlen, row.v[0], span);
			for (i = 0; i < nf; i++) {
				b->off[(b->nrows - 1) * nf + i] =
				    (size_t)(row.v[i] - row.v[0]);
				b->len[(b->nrows - 1) * nf + i] = row.len[i];
			}
			pr->kind = K_ROW;
			pr->doff = b->dlen;
			b->dlen += span;
			continue;
		}
		if (rc == ERR_DATA) {
			if (par_grow(&b->data, &b->dcap, b->dlen +
			    row.rawlen + 1) != 0 ||
			    par_grow_errs(b, b->nerr + 1) != 0) {
				rc = err_nomem(&e);
				goto fatal;
			}
			if (row.rawlen > 0)
				memcpy(b->data + b->dlen, row.raw, row.rawlen);
			pr->kind = K_BADLINE;
			pr->doff = b->dlen;
			pr->rawlen = row.rawlen;
			b->dlen += row.rawlen;
			pr->err = b->nerr;
			b->errs[b->nerr++] = e;
			err_clear(&e);
			continue;
		}
fatal:
		pr->kind = K_FATAL;
		if (par_grow_errs(b, b->nerr + 1) != 0)
			pr->kind = K_NOMEM;
		else {
			pr->err = b->nerr;
			b->errs[b->nerr++] = e;
		}
		*eof = true;
		return;
	}
}

/*
 * par_commit: in the calling thread, b's rows in order, as prog_filter
 * treats them.  0, or the fatal error in e.
 */
static int
par_commit(struct par *x, struct rec_reader *r, struct par_batch *b,
    struct buf *raw, struct prog_progress *pr, unsigned long long *n,
    struct err *e)
{
	struct prog *p = x->p;
	struct par_row *w;
	struct rec_row row;
	size_t i, k;
	char *d;

	for (k = 0; k < b->nrows; k++) {
		w = &b->rows[k];
		p->job.read++;
		(*n)++;
		switch (w->kind) {
		case K_BADLINE:
			if (job_reject(&p->job, &b->errs[w->err],
			    b->data + w->doff, w->rawlen, true, e) != 0)
				return e->code;
			break;
		case K_SKIP:
			p->skipped++;
			break;
		case K_REJECT:
			row.n = x->nf;
			row.v = x->v;
			row.len = b->len + k * x->nf;
			for (i = 0; i < x->nf; i++)
				x->v[i] = b->data + w->doff +
				    b->off[k * x->nf + i];
			if (prog_row_text(raw, &row) != 0)
				return err_nomem(e);
			if (job_reject(&p->job, &b->errs[w->err], raw->p,
			    raw->len, true, e) != 0)
				return e->code;
			break;
		case K_WRITE:
			if ((d = out_reserve(p->job.out, w->need, e)) == NULL)
				return e->code;
			memcpy(d, b->obuf + w->ooff, w->olen);
			out_advance(p->job.out, w->olen);
			p->job.written++;
			if (pr->on && (*n & 0xfff) == 0)
				show_progress(p, pr, r, false);
			break;
		case K_FATAL:
			*e = b->errs[w->err];
			return e->code != 0 ? e->code : ERR_INTERNAL;
		case K_NOMEM:
		case K_ROW:
		default:
			return err_nomem(e);
		}
	}
	return 0;
}

size_t
prog_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 8 ? 8 : (size_t)n;	/* beyond, the reader is the limit */
}

void
prog_filter_par(struct prog *p, const char *path, const char *const *own,
    size_t nown, prog_header_fn *hfn, prog_row_fn *fn, void *const *args,
    size_t nargs)
{
	struct prog_progress pr = { false, { 0, 0 }, { 0, 0 } };
	struct buf raw = BUF_INIT;
	struct rec_reader *r;
	struct par x;
	struct par_batch *b;
	unsigned long long n = 0, fill_seq = 0, commit_seq = 0;
	struct err e;
	bool eof = false;
	int rc = 0;

	if (nargs > PAR_MAX_THREADS)
		nargs = PAR_MAX_THREADS;
	r = filter_open(p, path, own, nown, hfn, args, nargs);
	memset(&x, 0, sizeof x);
	x.p = p;
	x.fn = fn;
	x.name = rec_reader_name(r);
	x.nf = rec_reader_header(r)->n;
	x.nout = p->outh.n;
	x.nfast = fast_fields(p, x.nf);
	if (par_start(&x, args, nargs) != 0) {
		filter_rows(p, path, r, fn, args[0]);	/* in this thread */
		return;
	}
	err_clear(&e);
	prog_progress_start(p, &pr, rec_reader_size(r));
	pthread_mutex_lock(&x.mu);
	for (;;) {
		par_serve(&x);
		b = &x.b[commit_seq % x.nb];
		if (commit_seq < fill_seq && b->state == B_DONE) {
			pthread_mutex_unlock(&x.mu);
			rc = par_commit(&x, r, b, &raw, &pr, &n, &e);
			pthread_mutex_lock(&x.mu);
			if (rc != 0)
				break;
			b->state = B_FREE;
			commit_seq++;
			continue;
		}
		b = &x.b[fill_seq % x.nb];
		if (!eof && fill_seq - commit_seq < x.nb) {
			pthread_mutex_unlock(&x.mu);
			par_fill(&x, r, b, &eof);
			pthread_mutex_lock(&x.mu);
			if (b->nrows > 0) {
				b->seq = fill_seq++;
				b->state = B_READY;
				pthread_cond_broadcast(&x.cv_work);
			}
			continue;
		}
		if (eof && commit_seq == fill_seq)
			break;
		pthread_cond_wait(&x.cv_main, &x.mu);
	}
	pthread_mutex_unlock(&x.mu);
	par_stop(&x);
	buf_free(&raw);
	if (rc != 0) {
		rec_reader_close(r);
		prog_die(p, &e);
	}
	filter_close(p, path, r, &pr, n);
}

int
prog_exit(struct prog *p)
{
	struct err e;
	int rc;

	err_clear(&e);
	print_stats(p);
	p->opened = false;
	rc = job_finish(&p->job, &e);
	filter_free(p);
	if (rc != 0) {
		if (p->job.epipe) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		diag_report(stderr, p->name, &e);
		return diag_status(&e);
	}
	return 0;
}
