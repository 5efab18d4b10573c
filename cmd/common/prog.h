/*
 * prog.h - the frame of a gridkit record filter: usage, dying, rejects,
 * --stats, --progress, the manifest, and the read-judge-write loop
 *
 * This is the shared part of the programs' main(), the one place besides
 * the programs' own files that prints and exits, so it lives in cmd/common/ and not in
 * lib/ (lib/ never prints or exits).  It is here so that the five
 * programs behave the same to the byte (DESIGN §3).  Everything it
 * prints goes to stderr, shaped by diag.h, and never holds a data value.
 *
 * A program fills one struct prog (static storage; prog_init), parses its
 * options, calls prog_open (outputs per struct job_opts), then prog_filter
 * over each input file, then prog_exit.  Any fatal error goes through
 * prog_die, which drops every output (job_abort: an -o file is not
 * replaced, no temp file stays), prints the diagnostic and the --stats
 * line, and exits with the error's status; a closed pipe ends the program
 * as SIGPIPE would, quietly.
 *
 * prog_filter reads a grid-records(5) file and calls the program's row
 * function for each good record; a bad line, or a record the row function
 * refuses with ERR_DATA, goes to the rejects file (job_reject) and the
 * loop goes on; any other error is fatal.  Every file of one run must have
 * the same header as the first (else ERR_DATA "header differs from the
 * first input's"), and the output header - the input's, extended by the
 * fields the program owns (rec_extend) - is written once.
 * prog_filter_par does the same with the row function on several threads
 * (pthreads: link with -pthread), the output the same to the byte.
 */
#ifndef GRID_PROG_H
#define GRID_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "job.h"
#include "manifest.h"
#include "rec.h"

struct prog_filter;

/*
 * The row function: given the record in row (its fields per the input
 * header), fill out[0..nout) with the values of the output record (out[]
 * already holds the input values at their places and NULL at the owned
 * fields' places; lengths in len[], set them for the values you put).
 * Return 0 to write the record, 1 to pass over it (counted as written
 * nowhere: a filter such as --overdue; it is counted as "skipped"),
 * ERR_DATA with e set to reject it, anything else to stop.
 */
typedef int prog_row_fn(void *arg, const struct rec_row *row,
    const char **out, size_t *len, struct err *e);

/*
 * The header function, called once, with the first input's header, before
 * any row: look up the input fields the program reads.  Return 0, or an
 * error (ERR_DATA "no field 'lon'", ...) that is fatal.
 */
typedef int prog_header_fn(void *arg, const struct rec_header *in,
    struct err *e);

struct prog {
	const char *name;		/* the program's name, for messages */
	const char *usage;		/* the usage text, ending in LF */
	struct job job;
	bool opened;			/* job is open */
	bool stats;			/* --stats */
	bool progress;			/* --progress */
	unsigned long long skipped;	/* records the row function passed */
	struct buf extra;		/* more of the --stats line */

	/* the filter state, set by prog_filter_setup */
	const char *const *own;		/* the owned fields */
	size_t nown;
	struct rec_header first;	/* the first input's header (copied) */
	struct rec_header outh;		/* the output header */
	size_t *pos;			/* outh index of own[i] */
	size_t *map;			/* input field i → output index */
	const char **ov;		/* output values */
	size_t *olen;
	bool header_done;
};

/*
 * The options every program takes the same way, for getopt_long.  A
 * program lists PROG_LONGOPTS (and PROG_LONGOPTS_FILTER when it rejects
 * records) in its option table, puts "ho:" in its short options, and
 * hands every ch it does not know itself to prog_option.
 *   -h, --help          the usage on stdout, exit 0
 *   -o, --output FILE   jo->output
 *   --manifest FILE     jo->manifest
 *   --stats             p->stats
 *   --version           the version, exit 0
 *   --rejects FILE, --max-rejects N, --progress   (PROG_LONGOPTS_FILTER)
 */
enum {
	PROG_OPT_MANIFEST = 0x1000, PROG_OPT_MAX_REJECTS, PROG_OPT_PROGRESS,
	PROG_OPT_REJECTS, PROG_OPT_STATS, PROG_OPT_VERSION
};

#define PROG_LONGOPTS \
	{ "help",	 no_argument,	    NULL, 'h' }, \
	{ "manifest",	 required_argument, NULL, PROG_OPT_MANIFEST }, \
	{ "output",	 required_argument, NULL, 'o' }, \
	{ "stats",	 no_argument,	    NULL, PROG_OPT_STATS }, \
	{ "version",	 no_argument,	    NULL, PROG_OPT_VERSION }

#define PROG_LONGOPTS_FILTER \
	{ "max-rejects", required_argument, NULL, PROG_OPT_MAX_REJECTS }, \
	{ "progress",	 no_argument,	    NULL, PROG_OPT_PROGRESS }, \
	{ "rejects",	 required_argument, NULL, PROG_OPT_REJECTS }

/* prog_init: fill p with the name and usage (call before anything). */
void prog_init(struct prog *p, const char *name, const char *usage);

/* prog_usage: the usage text on stderr; exit 64. */
void prog_usage(const struct prog *p) __attribute__((noreturn));

/* prog_usage_error: "prog: what 'arg'" (arg may be NULL) and the usage;
 * exit 64.  For option values only: they are configuration, not data. */
void prog_usage_error(const struct prog *p, const char *what,
    const char *arg) __attribute__((noreturn));

/* prog_help: the usage text on stdout; exit 0.  prog_version likewise. */
void prog_help(const struct prog *p) __attribute__((noreturn));
void prog_version(const struct prog *p) __attribute__((noreturn));

/*
 * prog_option: one of the common options above (ch as getopt_long gave
 * it, arg its optarg) into p and jo.  Any other ch is a usage error: the
 * program handles its own options before calling this.  Exits for -h,
 * --version and a bad value.
 */
void prog_option(struct prog *p, int ch, const char *arg,
    struct job_opts *jo);

/* prog_options_check: what the common options need of each other
 * (--max-rejects needs --rejects); a usage error otherwise. */
void prog_options_check(const struct prog *p, const struct job_opts *jo);

/* prog_die: see the top.  Never returns. */
void prog_die(struct prog *p, const struct err *e)
    __attribute__((noreturn));

/* prog_open: job_open with o; dies on error. */
void prog_open(struct prog *p, const struct job_opts *o);

/* prog_manifest_file: add path to the manifest (when there is one) with
 * role and its record count (-1 for none), its sha256 read from the file;
 * dies on error. */
void prog_manifest_file(struct prog *p, enum manifest_role role,
    const char *path, long long records);

/* prog_reject: job_reject; dies when the job must stop. */
void prog_reject(struct prog *p, const struct err *why, const char *raw,
    size_t rawlen);

/* prog_config_path: a configuration named by a bare word ("event") is
 * looked up as DIR/WORD.yaml, DIR being $GRID_SCHEMA_DIR (when set and not
 * empty) or the installed folder, plus "/" sub when sub is not NULL; a name
 * with a '/' or an existing file is used as it is.  Returns arg or buf. */
const char *prog_config_path(const char *arg, const char *sub, char *buf,
    size_t size);

/*
 * prog_filter: read the records of path ("-": standard input) through fn,
 * writing what it returns; own[0..nown) are the fields the program adds or
 * replaces (the same array for every file).  Adds the input to the
 * manifest.  Dies on a fatal error.
 */
void prog_filter(struct prog *p, const char *path, const char *const *own,
    size_t nown, prog_header_fn *hfn, prog_row_fn *fn, void *arg);

/*
 * prog_filter_par: prog_filter on nargs threads (at most 16): the same
 * output, rejects, counts and errors, to the byte, for any nargs.  The
 * calling thread reads and writes; each worker thread calls fn with its
 * own args[i] on whole batches of records in turn, so fn must be safe to
 * run at once with different arguments (it may touch only its arg and
 * what it reads), and any args[i] may get any record: what it counts is
 * summed by the caller afterwards.  hfn is called once per argument, in
 * the calling thread.  Every allocation stays in the calling thread.  When
 * no thread can be started, the calling thread does it all with args[0].
 */
void prog_filter_par(struct prog *p, const char *path,
    const char *const *own, size_t nown, prog_header_fn *hfn,
    prog_row_fn *fn, void *const *args, size_t nargs);

/* prog_threads: the number of worker threads for prog_filter_par: the
 * processors online, from 1 to 8. */
size_t prog_threads(void);

/*
 * The --progress line on stderr: "prog: name: N unit, P%, R unit/s",
 * redrawn at most once a second.  prog_progress_start turns it on when
 * --progress was given, or when stderr is a terminal and the input has a
 * known size; prog_progress_show draws it when on (done: the last time,
 * with LF).
 */
struct prog_progress {
	bool on;
	struct timespec start, last;
};

void prog_progress_start(const struct prog *p, struct prog_progress *pr,
    unsigned long long size);
void prog_progress_show(const struct prog *p, struct prog_progress *pr,
    const char *name, const char *unit, unsigned long long bytes,
    unsigned long long size, bool done);

/*
 * prog_row_text: the line of a good record as it was read, without LF, into
 * b (emptied first): for a rejects file, when a record that read well is
 * refused later.  0, or -1 when memory runs out.
 */
int prog_row_text(struct buf *b, const struct rec_row *row);

/* prog_header_index: the index in h of the field called name, or -1. */
long prog_header_index(const struct rec_header *h, const char *name);

/* prog_exit: print --stats (job's line plus extra), commit the outputs,
 * free the filter state and return the exit status for main to return. */
int prog_exit(struct prog *p);

#endif
