/*
 * kpi-score - indicators, scores and grades from grid records
 *
 * Options, wiring and main only: the indicator file is lib/indicators, the
 * where expressions lib/filter, the counting, partials and scoring lib/kpi,
 * the program frame cmd/common/prog.  See kpi-score(1) and grid-indicators(5).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hash.h"
#include "indicators.h"
#include "kpi.h"
#include "mem.h"
#include "prog.h"
#include "rec.h"
#include "str.h"
#include "time.h"

static const char usage_text[] =
"usage: kpi-score -i indicators [-o file] [--period period] [--by scopes]\n"
"                 [--partial] [--rejects file] [--max-rejects n] [--stats]\n"
"                 [--progress] [--manifest file] [file ...]\n"
"       kpi-score --merge -i indicators [-o file] [--period period]\n"
"                 [--by scopes] [--stats] [--manifest file] [file ...]\n";

enum {
	OPT_BY = 256, OPT_MERGE, OPT_PARTIAL, OPT_PERIOD
};

static const struct option longopts[] = {
	{ "by",		 required_argument, NULL, OPT_BY },
	{ "indicators",	 required_argument, NULL, 'i' },
	{ "merge",	 no_argument,	    NULL, OPT_MERGE },
	{ "partial",	 no_argument,	    NULL, OPT_PARTIAL },
	{ "period",	 required_argument, NULL, OPT_PERIOD },
	PROG_LONGOPTS,
	PROG_LONGOPTS_FILTER,
	{ NULL, 0, NULL, 0 }
};

static const char *const scope_names[] = {
	"all", "district", "street", "community", "grid", "worker",
	"department", NULL
};

#define MAX_SCOPES 8

static struct prog prog;
static struct kpi *kpi;
static bool merge;

static void
die(const struct err *e)
{
	kpi_free(kpi);
	kpi = NULL;
	prog_die(&prog, e);
}

/* --period: month, quarter, year or FROM..TO (dates, FROM <= TO). */
static void
parse_period(const char *arg, struct kpi_opts *o)
{
	const char *dots;
	struct err e;

	err_clear(&e);
	if (strcmp(arg, "month") == 0)
		o->period = KPI_MONTH;
	else if (strcmp(arg, "quarter") == 0)
		o->period = KPI_QUARTER;
	else if (strcmp(arg, "year") == 0)
		o->period = KPI_YEAR;
	else if ((dots = strstr(arg, "..")) != NULL &&
	    time_parse_date(arg, (size_t)(dots - arg), o->from, &e) == 0 &&
	    time_parse_date(dots + 2, strlen(dots + 2), o->to, &e) == 0 &&
	    strcmp(o->from, o->to) <= 0)
		o->period = KPI_RANGE;
	else
		prog_usage_error(&prog, "bad --period (month, quarter, year or "
		    "FROM..TO)", arg);
}

/* --by: scopes, comma-separated, each once. */
static size_t
parse_by(const char *arg, const char **out)
{
	const char *p = arg, *end;
	size_t n = 0, k, len;

	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (k = 0; scope_names[k] != NULL; k++)
			if (strlen(scope_names[k]) == len &&
			    memcmp(scope_names[k], p, len) == 0)
				break;
		if (scope_names[k] == NULL)
			prog_usage_error(&prog, "unknown scope in --by", arg);
		for (size_t j = 0; j < n; j++)
			if (out[j] == scope_names[k])
				prog_usage_error(&prog, "scope twice in --by", arg);
		if (n == MAX_SCOPES)
			prog_usage_error(&prog, "too many scopes in --by", arg);
		out[n++] = scope_names[k];
		if (end == NULL)
			break;
		p = end + 1;
	}
	return n;
}

/*
 * The configuration a partial file belongs to: the indicator file's bytes,
 * the period and the scopes.  Merging partials of another configuration
 * would add unlike counters.
 */
static void
config_id(const char *ind_path, const char *period, const char *by,
    char out[17])
{
	struct hash_sha256 *h = NULL;
	char hex[HASH_HEX_MAX];
	struct err e;

	err_clear(&e);
	if (hash_sha256_file(ind_path, hex, &e) != 0 ||
	    hash_sha256_new(&h, &e) != 0)
		die(&e);
	hash_sha256_update(h, hex, strlen(hex));
	hash_sha256_update(h, "\n", 1);
	hash_sha256_update(h, period, strlen(period));
	hash_sha256_update(h, "\n", 1);
	hash_sha256_update(h, by, strlen(by));
	hash_sha256_hex(h, hex);
	hash_sha256_free(h);
	memcpy(out, hex, 16);
	out[16] = '\0';
}

/* One input file: records of one kind, or partials with --merge. */
static void
read_file(const char *path)
{
	struct rec_reader *r = NULL;
	struct rec_row row;
	struct buf raw = BUF_INIT;
	struct prog_progress pr;
	char hex[HASH_HEX_MAX];
	const struct rec_header *h;
	unsigned long long n = 0;
	bool begun = false;
	struct err e;
	int rc;

	err_clear(&e);
	if (rec_reader_open(&r, path, prog.job.man != NULL, &e) != 0)
		die(&e);
	prog_progress_start(&prog, &pr, rec_reader_size(r));
	h = rec_reader_header(r);
	while ((rc = rec_read(r, &row, &e)) != 0) {
		prog.job.read++;
		n++;
		if (pr.on && (n & 0xfff) == 0)
			prog_progress_show(&prog, &pr, rec_reader_name(r),
			    "records", rec_reader_bytes(r), rec_reader_size(r),
			    false);
		if (rc == ERR_DATA) {
			prog_reject(&prog, &e, row.raw, row.rawlen);
			err_clear(&e);
			continue;
		}
		if (rc != 1)
			break;
		if (!begun) {
			/* the stream's kind is its first record's */
			bool partial = strcmp(row.v[0], "kpi_partial") == 0;

			if (partial != merge) {
				err_at(&e, rec_reader_name(r), row.line, "kind");
				rc = err_set(&e, ERR_DATA, merge ?
				    "not a kpi_partial file (--merge reads the "
				    "output of --partial)" :
				    "a kpi_partial file: give --merge");
				break;
			}
			rc = merge ? kpi_begin_partial(kpi, h, &e) :
			    kpi_begin(kpi, h, row.v[0], &e);
			if (rc != 0) {
				if (e.file[0] == '\0')
					err_at(&e, rec_reader_name(r), 1, NULL);
				break;
			}
			rec_reader_expect_kind(r, row.v[0]);
			begun = true;
		}
		rc = merge ? kpi_add_partial(kpi, &row, &e) :
		    kpi_add(kpi, &row, &e);
		if (rc == 0) {
			prog.job.written++;
			continue;
		}
		if (rc == 1) {
			prog.skipped++;
			rc = 0;
			continue;
		}
		if (rc != ERR_DATA)
			break;
		if (e.file[0] == '\0') {
			char field[sizeof e.field];

			memcpy(field, e.field, sizeof field);
			err_at(&e, rec_reader_name(r), row.line,
			    field[0] != '\0' ? field : NULL);
		}
		if (merge)
			break;		/* a bad partial is fatal */
		if (prog_row_text(&raw, &row) != 0) {
			rc = err_nomem(&e);
			break;
		}
		prog_reject(&prog, &e, raw.p, raw.len);
		err_clear(&e);
		rc = 0;
	}
	buf_free(&raw);
	if (rc != 0) {
		rec_reader_close(r);
		die(&e);
	}
	prog_progress_show(&prog, &pr, rec_reader_name(r), "records",
	    rec_reader_bytes(r), rec_reader_size(r), true);
	rec_reader_sha256(r, hex);
	if (job_input(&prog.job, MANIFEST_INPUT, path, hex, (long long)n,
	    &e) != 0) {
		rec_reader_close(r);
		die(&e);
	}
	rec_reader_close(r);
}

int
main(int argc, char *argv[])
{
	struct job_opts jo = { NULL, NULL, -1, NULL, argc, argv };
	struct kpi_opts ko;
	struct indicators *in = NULL;
	const char *ind_arg = NULL, *ind_path, *period = "year", *by = "all";
	const char *scopes[MAX_SCOPES];
	char pathbuf[4096], config[17];
	bool partial = false;
	struct err e;
	int ch, i, rc;

	prog_init(&prog, "kpi-score", usage_text);
	memset(&ko, 0, sizeof ko);
	ko.period = KPI_YEAR;
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "hi:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			ind_arg = optarg;
			break;
		case OPT_BY:
			by = optarg;
			break;
		case OPT_MERGE:
			merge = true;
			break;
		case OPT_PARTIAL:
			partial = true;
			break;
		case OPT_PERIOD:
			period = optarg;
			break;
		default:
			prog_option(&prog, ch, optarg, &jo);
		}
	}
	argc -= optind;
	argv += optind;
	if (ind_arg == NULL)
		prog_usage_error(&prog, "no indicator file: give -i", NULL);
	prog_options_check(&prog, &jo);
	if (merge && (partial || jo.rejects != NULL))
		prog_usage_error(&prog, "--merge takes no --partial or --rejects",
		    NULL);
	parse_period(period, &ko);
	ko.nscopes = parse_by(by, scopes);
	ko.scopes = scopes;

	ind_path = prog_config_path(ind_arg, "indicators", pathbuf,
	    sizeof pathbuf);
	if (ind_load_file(&in, ind_path, &e) != 0)
		die(&e);
	config_id(ind_path, period, by, config);
	ko.config = config;
	if (kpi_new(&kpi, in, &ko, &e) != 0) {
		ind_free(in);
		die(&e);
	}
	prog_open(&prog, &jo);
	prog_manifest_file(&prog, MANIFEST_CONFIG, ind_path, -1);
	if (argc == 0)
		read_file("-");
	for (i = 0; i < argc; i++)
		read_file(argv[i]);
	rc = partial ? kpi_write_partial(kpi, prog.job.out, &e) :
	    kpi_finish(kpi, prog.job.out, &e);
	if (rc != 0)
		die(&e);
	if (prog.stats) {
		const struct kpi_kind_stat *st;
		size_t k, nst = kpi_stats(kpi, &st);

		for (k = 0; k < nst; k++)
			buf_printf(&prog.extra, "%s %s %llu%s", k ? "," : ";",
			    st[k].kind, st[k].used + st[k].skipped +
			    st[k].ignored, st[k].ignored ? " (ignored)" : "");
		buf_printf(&prog.extra, "; %zu cells", kpi_cells(kpi));
	}
	rc = prog_exit(&prog);
	kpi_free(kpi);
	ind_free(in);
	return rc;
}
