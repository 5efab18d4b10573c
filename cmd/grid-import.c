/*
 * grid-import - raw CSV to grid records of one kind, per a schema
 *
 * Options, wiring and main only: the work is lib/csvin (reading),
 * lib/import (checking and normalising) and cmd/common/prog with lib/job (the
 * common options, outputs, rejects, counters, manifest).  See
 * grid-import(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "hash.h"
#include "import.h"
#include "job.h"
#include "pii.h"
#include "prog.h"
#include "rec.h"
#include "schema.h"
#include "str.h"
#include "time.h"

static const char usage_text[] =
"usage: grid-import -s schema [-o file] [--rejects file] [--max-rejects n]\n"
"                   [--stats] [--progress] [--encoding auto|utf-8|gb18030]\n"
"                   [--delimiter c] [--tz offset] [--crs crs]\n"
"                   [--key-file file] [--map file] [--manifest file]\n"
"                   [file ...]\n";

enum {
	OPT_ENCODING = 256, OPT_DELIMITER, OPT_TZ, OPT_CRS, OPT_KEY_FILE, OPT_MAP
};

static const struct option longopts[] = {
	{ "crs",	 required_argument, NULL, OPT_CRS },
	{ "delimiter",	 required_argument, NULL, OPT_DELIMITER },
	{ "encoding",	 required_argument, NULL, OPT_ENCODING },
	{ "key-file",	 required_argument, NULL, OPT_KEY_FILE },
	{ "map",	 required_argument, NULL, OPT_MAP },
	{ "schema",	 required_argument, NULL, 's' },
	{ "tz",		 required_argument, NULL, OPT_TZ },
	PROG_LONGOPTS,
	PROG_LONGOPTS_FILTER,
	{ NULL, 0, NULL, 0 }
};

static struct prog prog;

static void
die(const struct err *e)
{
	prog_die(&prog, e);
}

static void
reject(const struct err *why, const char *raw, size_t rawlen, bool utf8)
{
	struct err e;

	err_clear(&e);
	if (job_reject(&prog.job, why, raw, rawlen, utf8, &e) != 0)
		die(&e);
}

/* Import one file; fatal errors end the program. */
static void
import_file(struct import *im, const char *path, const struct csvin_opts *co)
{
	struct prog_progress pr = { false, { 0, 0 }, { 0, 0 } };
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
	prog_progress_start(&prog, &pr, csvin_size(c));
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
		    "ignored\n", prog.name, csvin_name(c), row.line, un[i]);
	while ((rc = csvin_read(c, &row, &e)) != 0) {
		prog.job.read++;
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
		if (rc != 0 || (rc = rec_write(prog.job.out,
		    import_out_header(im)->n, v, len, &e)) != 0)
			break;
		prog.job.written++;
		if (pr.on && (rows & 0xfff) == 0)
			prog_progress_show(&prog, &pr, csvin_name(c), "rows",
			    csvin_bytes(c), csvin_size(c), false);
	}
	if (rc != 0) {
		csvin_close(c);
		die(&e);
	}
	prog_progress_show(&prog, &pr, csvin_name(c), "rows", csvin_bytes(c),
	    csvin_size(c), true);
	csvin_sha256(c, hex);
	if (job_input(&prog.job, MANIFEST_INPUT, path, hex, (long long)rows, &e) != 0) {
		csvin_close(c);
		die(&e);
	}
	csvin_close(c);
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
	struct err e;
	int ch, i, rc;

	prog_init(&prog, "grid-import", usage_text);
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "ho:s:", longopts, NULL)) != -1) {
		switch (ch) {
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
				prog_usage_error(&prog, "delimiter must be ',', "
				    "';' or tab, not", optarg);
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
				prog_usage_error(&prog, "unknown encoding", optarg);
			break;
		case OPT_KEY_FILE:
			keyfile = optarg;
			break;
		case OPT_MAP:
			map = optarg;
			break;
		case OPT_TZ:
			if (time_parse_offset(optarg, &io.tz, &e) != 0)
				prog_usage_error(&prog, "bad time zone offset",
				    optarg);
			break;
		default:
			prog_option(&prog, ch, optarg, &jo);
		}
	}
	argc -= optind;
	argv += optind;
	if (schema_arg == NULL)
		prog_usage_error(&prog, "no schema: give -s", NULL);
	prog_options_check(&prog, &jo);

	schema_arg = prog_config_path(schema_arg, NULL, pathbuf, sizeof pathbuf);
	if (schema_load(&s, schema_arg, &e) != 0 ||
	    (map != NULL && schema_add_aliases(s, map, &e) != 0))
		die(&e);
	if (crs != NULL && schema_set_crs(s, crs, &e) != 0) {
		fprintf(stderr, "%s: --crs '%s': %s\n", prog.name, crs, e.msg);
		schema_free(s);
		prog_usage(&prog);
	}
	if (keyfile == NULL && (keyfile = getenv("GRID_KEY_FILE")) != NULL &&
	    *keyfile == '\0')
		keyfile = NULL;
	if (keyfile != NULL && pii_key_load(&key, keyfile, &e) != 0)
		die(&e);
	io.key = key;
	if (import_new(&im, s, &io, &e) != 0)
		die(&e);
	prog_open(&prog, &jo);
	co.hash = prog.job.man != NULL;	/* the sha256 is only for the manifest */
	prog_manifest_file(&prog, MANIFEST_CONFIG, schema_arg, -1);
	if (map != NULL)
		prog_manifest_file(&prog, MANIFEST_CONFIG, map, -1);
	h = import_out_header(im);
	if (rec_write(prog.job.out, h->n, (const char *const *)h->names, NULL,
	    &e) != 0)
		die(&e);
	if (argc == 0)
		import_file(im, "-", &co);
	for (i = 0; i < argc; i++)
		import_file(im, argv[i], &co);

	rc = prog_exit(&prog);
	import_free(im);
	pii_key_free(key);
	schema_free(s);
	return rc;
}
