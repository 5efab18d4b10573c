/*
 * job.h - what every gridkit filter does around its own work
 *
 * A job holds the outputs and counters of one program run, the parts of the
 * command-line contract (DESIGN §3) that are the same in every program:
 *
 *   - the records output (-o FILE, atomic; or standard output);
 *   - the rejects file (--rejects FILE): each rejected input row is written
 *     there whole as a record of kind "reject" with the program, file, line,
 *     field, reason and the raw row (raw_encoding "base64" when the row
 *     was not valid UTF-8 or holds a NUL byte, else empty), created mode
 *     0600 because it holds raw personal data; --max-rejects N bounds it;
 *   - the counters for --stats: read = written + rejected, rejected by reason;
 *   - the manifest line (manifest.h), with each file's sha256 and count.
 *
 * Without a rejects file the first rejected row is fatal: job_reject returns
 * ERR_DATA with the row's error, and the program stops with status 65.
 *
 * Ownership: a struct job lives in the caller's storage; job_open fills it,
 * job_finish or job_abort releases what it holds (both must not be called).
 */
#ifndef GRID_JOB_H
#define GRID_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "manifest.h"
#include "out.h"

struct job_reason {
	char *reason;
	unsigned long long n;
};

struct job {
	const char *prog;
	struct out *out;		/* the records */
	struct out *rej;		/* rejects, or NULL */
	long long max_rejects;		/* < 0: no limit */
	unsigned long long read, written, rejected;
	struct job_reason *reasons;
	size_t nreasons;
	struct manifest *man;		/* NULL without a manifest */
	char *man_path;
	bool epipe;			/* the records output hit a closed pipe */
};

struct job_opts {
	const char *output;		/* -o, NULL or "-" for stdout */
	const char *rejects;		/* --rejects, or NULL */
	long long max_rejects;		/* --max-rejects, < 0 none */
	const char *manifest;		/* --manifest, or NULL: GRID_MANIFEST */
	int argc;
	char *const *argv;
};

/*
 * job_open: open the outputs.  The manifest path is o->manifest, else the
 * environment's GRID_MANIFEST, else none.  Errors from out_open, ERR_INTERNAL.
 */
int job_open(struct job *j, const char *prog, const char *version,
    const struct job_opts *o, struct err *e);

/*
 * job_reject: count one rejected row, for the reason in why (its message,
 * file, line and field), and write it to the rejects file.  raw holds the
 * row as read (raw_utf8 false when it is not valid UTF-8); one final LF or
 * CRLF is left out of the rejects file, line ends inside the row are kept.  Returns 0 when
 * the program may go on, ERR_DATA when it must stop (no rejects file: e gets
 * a copy of why; too many rejects), or an output error.
 */
int job_reject(struct job *j, const struct err *why, const char *raw,
    size_t rawlen, bool raw_utf8, struct err *e);

/* job_input: add an input file to the manifest (sha256, records read). */
int job_input(struct job *j, enum manifest_role role, const char *path,
    const char *sha256, long long records, struct err *e);

/* job_stats: the --stats line, "prog: read N, written N, rejected N (...)". */
int job_stats(const struct job *j, struct buf *b);

/*
 * job_finish: commit the outputs (flush, fsync, rename), then append the
 * manifest line.  On failure nothing half-written is left behind.
 */
int job_finish(struct job *j, struct err *e);

/* job_abort: drop the outputs (temp files removed), free everything. */
void job_abort(struct job *j);

/* job_epipe: the records output failed on a closed pipe. */
bool job_epipe(const struct job *j);

#endif
