/*
 * grid-import - raw CSV to grid records of one kind, per a schema
 *
 * Options, wiring and main only: the work is lib/csvin (reading),
 * lib/import (checking and normalising) and lib/job (outputs, rejects,
 * counters, manifest).  See grid-import(1).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvin.h"
#include "diag.h"
#include "hash.h"
#include "import.h"
#include "job.h"
#include "mem.h"
#include "pii.h"
#include "rec.h"
#include "schema.h"
#include "str.h"
#include "time.h"

static const char *prog = "grid-import";

static const char usage_text[] =
"usage: grid-import -s schema [-o file] [--rejects file] [--max-rejects n]\n"
"                   [--stats] [--progress] [--encoding auto|utf-8|gb18030]\n"
"                   [--delimiter c] [--tz offset] [--crs crs]\n"
"                   [--key-file file] [--map file] [--manifest file]\n"
"                   [file ...]\n";

enum {
	OPT_REJECTS = 256, OPT_MAX_REJECTS, OPT_STATS, OPT_PROGRESS,
	OPT_ENCODING, OPT_DELIMITER, OPT_TZ, OPT_CRS, OPT_KEY_FILE, OPT_MAP,
	OPT_MANIFEST, OPT_VERSION
};

static const struct option longopts[] = {
	{ "crs",	 required_argument, NULL, OPT_CRS },
	{ "delimiter",	 required_argument, NULL, OPT_DELIMITER },
	{ "encoding",	 required_argument, NULL, OPT_ENCODING },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "key-file",	 required_argument, NULL, OPT_KEY_FILE },
	{ "manifest",	 required_argument, NULL, OPT_MANIFEST },
	{ "map",	 required_argument, NULL, OPT_MAP },
	{ "max-rejects", required_argument, NULL, OPT_MAX_REJECTS },
	{ "output",	 required_argument, NULL, 'o' },
	{ "progress",	 no_argument,	    NULL, OPT_PROGRESS },
	{ "rejects",	 required_argument, NULL, OPT_REJECTS },
	{ "schema",	 required_argument, NULL, 's' },
	{ "stats",	 no_argument,	    NULL, OPT_STATS },
	{ "tz",		 required_argument, NULL, OPT_TZ },
	{ "version",	 no_argument,	    NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static struct job job;
static bool job_opened;
static bool stats;		/* --stats */

/* The --stats line, on success and on failure alike. */
static void
print_stats(void)
{
	struct buf b = BUF_INIT;

	if (stats && job_stats(&job, &b) == 0)
		fputs(b.p, stderr);
	buf_free(&b);
}

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(ERR_USAGE);
}

static void
usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s '%s'\n", prog, what, arg);
	usage();
}

/* Print e, drop every output, and exit with e's status. */
static void
die(const struct err *e)
{
	bool epipe = job_opened && job_epipe(&job);

	if (epipe) {
		job_abort(&job);
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	diag_report(stderr, prog, e);
	if (job_opened) {
		print_stats();
		job_abort(&job);
	}
	exit(diag_status(e));
}

/*
 * A schema given as a bare name ("event") is looked up as NAME.yaml in
 * $GRID_SCHEMA_DIR, then in the installed schemas folder.
 */
static const char *
schema_path(const char *arg, char *buf, size_t size)
{
	const char *dir;

	if (strchr(arg, '/') != NULL || access(arg, F_OK) == 0)
		return arg;
	if ((dir = getenv("GRID_SCHEMA_DIR")) == NULL || *dir == '\0')
		dir = GRID_SCHEMA_DIR;
	snprintf(buf, size, "%s/%s.yaml", dir, arg);
	return buf;
}

struct progress {
	bool on;
	struct timespec start, last;
};

static void
show_progress(struct progress *p, const struct csvin *c, bool done)
{
	struct timespec now;
	unsigned long long size = csvin_size(c), bytes = csvin_bytes(c);

	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!done && now.tv_sec - p->last.tv_sec < 1)
		return;
	p->last = now;
	secs = (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r%s: %s: %llu rows", prog, csvin_name(c), job.read);
	if (size > 0)
		fprintf(stderr, ", %llu%%", bytes * 100 / size);
	if (secs > 0)
		fprintf(stderr, ", %.0f rows/s", (double)job.read / secs);
	fputs(done ? "\n" : "  ", stderr);
}

static void
reject(const struct err *why, const char *raw, size_t rawlen, bool utf8)
{
	struct err e;

	err_clear(&e);
	if (job_reject(&job, why, raw, rawlen, utf8, &e) != 0)
		die(&e);
}

/* Import one file; fatal errors end the program. */
static void
import_file(struct import *im, const char *path, const struct csvin_opts *co,
    bool progress)
{
	struct progress pr = { false, { 0, 0 }, { 0, 0 } };
	struct csvin *c;
	struct csvin_row row;
	const char *const *v, *const *un;
	const size_t *len;
	struct err e;
	char hex[HASH_HEX_MAX];
	unsigned long long rows = 0;
	size_t i, nun;
	int rc;

	err_clear(&e);
	if ((rc = csvin_open(&c, path, co, &e)) != 0)
		die(&e);
	pr.on = progress || (isatty(STDERR_FILENO) && csvin_size(c) > 0);
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	pr.last = pr.start;
	/* The header row: skip nothing, a bad header is fatal. */
	rc = csvin_read(c, &row, &e);
	if (rc == 0) {
		err_at(&e, csvin_name(c), 0, NULL);
		err_set(&e, ERR_DATA, "empty input (no header row)");
	}
	if (rc != 1 || import_header(im, csvin_name(c), row.nfields,
	    row.fields, row.lens, &e) != 0) {
		csvin_close(c);
		die(&e);
	}
	nun = import_unmapped(im, &un);
	for (i = 0; i < nun; i++)
		fprintf(stderr, "%s: %s:%ld: column '%s' is not in the schema, "
		    "ignored\n", prog, csvin_name(c), row.line, un[i]);
	while ((rc = csvin_read(c, &row, &e)) != 0) {
		job.read++;
		rows++;
		if (rc == ERR_DATA) {
			reject(&e, row.raw, row.rawlen, row.raw_utf8);
			continue;
		}
		if (rc != 1)
			break;
		rc = import_row(im, csvin_name(c), row.line, row.nfields,
		    row.fields, row.lens, &v, &len, &e);
		if (rc == ERR_DATA) {
			reject(&e, row.raw, row.rawlen, true);
			continue;
		}
		if (rc != 0 || (rc = rec_write(job.out,
		    import_out_header(im)->n, v, len, &e)) != 0)
			break;
		job.written++;
		if (pr.on && (rows & 0xfff) == 0)
			show_progress(&pr, c, false);
	}
	if (rc != 0) {
		csvin_close(c);
		die(&e);
	}
	if (pr.on)
		show_progress(&pr, c, true);
	csvin_sha256(c, hex);
	if (job_input(&job, MANIFEST_INPUT, path, hex, (long long)rows, &e) != 0) {
		csvin_close(c);
		die(&e);
	}
	csvin_close(c);
}

static void
add_config(const char *path)
{
	char hex[HASH_HEX_MAX];
	struct err e;

	err_clear(&e);
	if (job.man == NULL)
		return;
	if (hash_sha256_file(path, hex, &e) != 0 ||
	    job_input(&job, MANIFEST_CONFIG, path, hex, -1, &e) != 0)
		die(&e);
}

int
main(int argc, char *argv[])
{
	struct csvin_opts co = { 0, CSVIN_AUTO, 0, 0, false };
	struct job_opts jo = { NULL, NULL, -1, NULL, argc, argv };
	struct import_opts io = { 8 * 60, NULL };
	const char *schema_arg = NULL, *map = NULL, *keyfile = NULL, *crs = NULL;
	char pathbuf[4096];
	struct schema *s = NULL;
	struct pii_key *key = NULL;
	struct import *im = NULL;
	const struct rec_header *h;
	bool progress = false;
	struct err e;
	long long n;
	int ch, i, rc;

	signal(SIGPIPE, SIG_DFL);
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "ho:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'o':
			jo.output = optarg;
			break;
		case 's':
			schema_arg = optarg;
			break;
		case OPT_CRS:
			crs = optarg;
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, ",") == 0 || strcmp(optarg, ";") == 0 ||
			    strcmp(optarg, "\t") == 0)
				co.delim = optarg[0];
			else if (strcmp(optarg, "tab") == 0 ||
			    strcmp(optarg, "\\t") == 0)
				co.delim = '\t';
			else
				usage_error("delimiter must be ',', ';' or tab, not",
				    optarg);
			break;
		case OPT_ENCODING:
			if (strcmp(optarg, "auto") == 0)
				co.enc = CSVIN_AUTO;
			else if (strcmp(optarg, "utf-8") == 0 ||
			    strcmp(optarg, "utf8") == 0)
				co.enc = CSVIN_UTF8;
			else if (strcmp(optarg, "gb18030") == 0)
				co.enc = CSVIN_GB18030;
			else
				usage_error("unknown encoding", optarg);
			break;
		case OPT_KEY_FILE:
			keyfile = optarg;
			break;
		case OPT_MANIFEST:
			jo.manifest = optarg;
			break;
		case OPT_MAP:
			map = optarg;
			break;
		case OPT_MAX_REJECTS:
			if (str_parse_int(optarg, strlen(optarg), &n) != 0 || n < 0)
				usage_error("bad --max-rejects", optarg);
			jo.max_rejects = n;
			break;
		case OPT_PROGRESS:
			progress = true;
			break;
		case OPT_REJECTS:
			jo.rejects = optarg;
			break;
		case OPT_STATS:
			stats = true;
			break;
		case OPT_TZ:
			if (time_parse_offset(optarg, &io.tz, &e) != 0)
				usage_error("bad time zone offset", optarg);
			break;
		case OPT_VERSION:
			printf("%s (gridkit) %s\n", prog, GRID_VERSION);
			return 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (schema_arg == NULL) {
		fprintf(stderr, "%s: no schema: give -s\n", prog);
		usage();
	}
	if (jo.max_rejects >= 0 && jo.rejects == NULL) {
		fprintf(stderr, "%s: --max-rejects needs --rejects\n", prog);
		usage();
	}

	schema_arg = schema_path(schema_arg, pathbuf, sizeof pathbuf);
	if (schema_load(&s, schema_arg, &e) != 0 ||
	    (map != NULL && schema_add_aliases(s, map, &e) != 0))
		die(&e);
	if (crs != NULL && schema_set_crs(s, crs, &e) != 0) {
		fprintf(stderr, "%s: --crs '%s': %s\n", prog, crs, e.msg);
		schema_free(s);
		usage();
	}
	if (keyfile == NULL && (keyfile = getenv("GRID_KEY_FILE")) != NULL &&
	    *keyfile == '\0')
		keyfile = NULL;
	if (keyfile != NULL && pii_key_load(&key, keyfile, &e) != 0)
		die(&e);
	io.key = key;
	if (import_new(&im, s, &io, &e) != 0)
		die(&e);
	if (job_open(&job, prog, GRID_VERSION, &jo, &e) != 0)
		die(&e);
	job_opened = true;
	co.hash = job.man != NULL;	/* the sha256 is only for the manifest */
	add_config(schema_arg);
	if (map != NULL)
		add_config(map);
	h = import_out_header(im);
	if (rec_write(job.out, h->n, (const char *const *)h->names, NULL, &e) != 0)
		die(&e);
	if (argc == 0)
		import_file(im, "-", &co, progress);
	for (i = 0; i < argc; i++)
		import_file(im, argv[i], &co, progress);

	print_stats();
	job_opened = false;
	rc = job_finish(&job, &e);
	import_free(im);
	pii_key_free(key);
	schema_free(s);
	if (rc != 0) {
		if (job.epipe) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		diag_report(stderr, prog, &e);
		return diag_status(&e);
	}
	return 0;
}
