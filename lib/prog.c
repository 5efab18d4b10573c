/* prog.c - the frame of a gridkit record filter (see prog.h) */
#include "prog.h"

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

struct progress {
	bool on;
	struct timespec start, last;
};

static void
show_progress(struct prog *p, struct progress *pr, struct rec_reader *r,
    bool done)
{
	struct timespec now;
	unsigned long long size = rec_reader_size(r), bytes = rec_reader_bytes(r);
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!done && now.tv_sec - pr->last.tv_sec < 1)
		return;
	pr->last = now;
	secs = (double)(now.tv_sec - pr->start.tv_sec) +
	    (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r%s: %s: %llu records", p->name, rec_reader_name(r),
	    p->job.read);
	if (size > 0)
		fprintf(stderr, ", %llu%%", bytes * 100 / size);
	if (secs > 0)
		fprintf(stderr, ", %.0f records/s", (double)p->job.read / secs);
	fputs(done ? "\n" : "  ", stderr);
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

void
prog_filter(struct prog *p, const char *path, const char *const *own,
    size_t nown, prog_header_fn *hfn, prog_row_fn *fn, void *arg)
{
	struct progress pr = { false, { 0, 0 }, { 0, 0 } };
	struct buf raw = BUF_INIT;
	struct rec_reader *r = NULL;
	struct rec_row row;
	const struct rec_header *h;
	char hex[HASH_HEX_MAX];
	unsigned long long n = 0;
	struct err e;
	size_t i, nfast;
	int rc;

	err_clear(&e);
	if ((rc = rec_reader_open(&r, path, p->job.man != NULL, &e)) != 0)
		prog_die(p, &e);
	h = rec_reader_header(r);
	if (!p->header_done) {
		if ((hfn != NULL && (rc = hfn(arg, h, &e)) != 0) ||
		    (rc = setup(p, h, own, nown, &e)) != 0) {
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
	nfast = fast_fields(p, h->n);
	pr.on = p->progress || (isatty(STDERR_FILENO) && rec_reader_size(r) > 0);
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	pr.last = pr.start;
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
	if (pr.on)
		show_progress(p, &pr, r, true);
	rec_reader_sha256(r, hex);
	if (job_input(&p->job, MANIFEST_INPUT, path, hex, (long long)n, &e) != 0) {
		rec_reader_close(r);
		prog_die(p, &e);
	}
	rec_reader_close(r);
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
