/*
 * rec-cat - copy grid-records(5) from standard input to standard output
 * through the library: rec_reader_open, rec_read, rec_write to an out.
 *
 *   rec-cat < records.tsv > copy.tsv
 *
 * The benchmark's measure of lib/rec.c and lib/out.c: a strict read (field
 * count, escapes, UTF-8, one kind) and a canonical write of every record,
 * nothing else.  bench/import.sh compares it with split-loop, the least a C
 * program can do to read, split and write the same lines.  Bad records stop
 * it with status 65.  Not part of the Makefile: import.sh builds it with
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -iquote lib bench/rec-cat.c \
 *       build-bench/lib/libgrid.a $(pkg-config --libs yaml-0.1 libcrypto) \
 *       -lcsv -lm
 */
#include <signal.h>
#include <stdio.h>

#include "diag.h"
#include "err.h"
#include "out.h"
#include "rec.h"

static const char *prog = "rec-cat";

static int
fail(struct rec_reader *r, struct out *o, const struct err *e)
{
	if (o != NULL)
		out_abort(o);
	rec_reader_close(r);
	diag_report(stderr, prog, e);
	return diag_status(e);
}

int
main(void)
{
	struct rec_reader *r = NULL;
	struct out *o = NULL;
	const struct rec_header *h;
	struct rec_row row;
	struct err e;
	int rc;

	signal(SIGPIPE, SIG_DFL);
	err_clear(&e);
	if (rec_reader_open(&r, NULL, false, &e) != 0)
		return fail(r, o, &e);
	if (out_open(&o, NULL, 0666, &e) != 0)
		return fail(r, NULL, &e);
	h = rec_reader_header(r);
	if (rec_write(o, h->n, (const char *const *)h->names, NULL, &e) != 0)
		return fail(r, o, &e);
	while ((rc = rec_read(r, &row, &e)) == 1)
		if (rec_write(o, row.n, (const char *const *)row.v, row.len,
		    &e) != 0)
			return fail(r, o, &e);
	if (rc != 0)
		return fail(r, o, &e);
	rec_reader_close(r);
	if (out_commit(o, &e) != 0) {
		diag_report(stderr, prog, &e);
		return diag_status(&e);
	}
	return 0;
}
