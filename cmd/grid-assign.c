/*
 * grid-assign - every record to its grid, community, street and district
 *
 * Options, wiring and main only: the registry and its index are
 * lib/grids, address matching lib/addr, the filter frame cmd/common/prog.
 * See grid-assign(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "err.h"
#include "grids.h"
#include "mem.h"
#include "prog.h"
#include "rec.h"
#include "str.h"
#include "strmap.h"

static const char usage_text[] =
"usage: grid-assign -g grids [-o file] [--by methods] [--snap metres]\n"
"                   [--places file] [--addresses file] [--keep-unassigned]\n"
"                   [--layout layout] [--rejects file] [--max-rejects n]\n"
"                   [--stats] [--progress] [--manifest file] [file ...]\n"
"       grid-assign --check -g grids [-o file] [--min-area m2]\n"
"                   [--layout layout] [--stats] [--manifest file]\n";

enum {
	OPT_ADDRESSES = 256, OPT_BY, OPT_CHECK, OPT_KEEP, OPT_LAYOUT, OPT_MIN_AREA, OPT_PLACES, OPT_SNAP
};

static const struct option longopts[] = {
	{ "addresses",	     required_argument, NULL, OPT_ADDRESSES },
	{ "by",		     required_argument, NULL, OPT_BY },
	{ "check",	     no_argument,	NULL, OPT_CHECK },
	{ "grids",	     required_argument, NULL, 'g' },
	{ "keep-unassigned", no_argument,	NULL, OPT_KEEP },
	{ "layout",	     required_argument, NULL, OPT_LAYOUT },
	{ "min-area",	     required_argument, NULL, OPT_MIN_AREA },
	{ "places",	     required_argument, NULL, OPT_PLACES },
	{ "snap",	     required_argument, NULL, OPT_SNAP },
	PROG_LONGOPTS,
	PROG_LONGOPTS_FILTER,
	{ NULL, 0, NULL, 0 }
};

/* The ways to place a record, in the default order. */
enum method { BY_GRID, BY_POINT, BY_PLACE, BY_ADDRESS, NMETHOD };
static const char *const method_name[NMETHOD] = {
	"grid", "point", "place", "address"
};

/* What assigned_by says; also the --stats counters. */
enum how { HOW_GRID, HOW_POINT, HOW_SNAP, HOW_PLACE, HOW_ADDRESS, HOW_NONE,
	NHOW };
static const char *const how_name[NHOW] = {
	"grid", "point", "snap", "place", "address", "none"
};

/* The fields grid-assign owns, in output order. */
enum own { OWN_GRID, OWN_COMMUNITY, OWN_STREET, OWN_DISTRICT, OWN_UNIT,
	OWN_BY, NOWN };

struct assign {
	struct grids *g;
	enum method by[NMETHOD];
	size_t nby;
	double snap;
	bool keep;			/* --keep-unassigned */
	bool units;			/* the registry has unit grids */
	struct strmap places;		/* "b:" id or "h:" id -> grid number */
	bool have_places;
	struct addr_table addrs;	/* address -> grid number */
	bool have_addrs;
	struct buf scratch;
	/* input field indexes, -1 when absent */
	long f_grid, f_lon, f_lat, f_house, f_building, f_address;
	/* the owned fields, and the index in own[] of each (enum own) */
	const char *own[NOWN];
	size_t nown;
	size_t oidx[NOWN];
	unsigned long long count[NHOW];
};

static struct prog prog;

/* A registry number as map value: decimal text (strmap holds bytes). */
static size_t
put_index(char *buf, long i)
{
	return str_fmt_int(buf, i);
}

static long
get_index(const char *s, size_t n)
{
	long long v;

	return str_parse_int(s, n, &v) == 0 ? (long)v : -1;
}

static void
parse_by(struct assign *a, const char *arg)
{
	char *copy, *tok, *save = NULL;
	bool seen[NMETHOD] = { false };
	size_t k;

	if ((copy = mem_strdup(arg)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog.name);
		exit(ERR_INTERNAL);
	}
	a->nby = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < NMETHOD; k++)
			if (strcmp(tok, method_name[k]) == 0)
				break;
		if (k == NMETHOD || seen[k]) {
			mem_free(copy);
			prog_usage_error(&prog, k == NMETHOD ?
			    "unknown method in --by" : "method twice in --by",
			    arg);
		}
		seen[k] = true;
		a->by[a->nby++] = (enum method)k;
	}
	mem_free(copy);
	if (a->nby == 0)
		prog_usage_error(&prog, "no method in --by", arg);
}

static double
parse_metres(const char *opt, const char *arg, double max)
{
	double v;

	if (str_parse_decimal(arg, strlen(arg), &v) != 0 || !(v >= 0) ||
	    v > max)
		prog_usage_error(&prog, opt, arg);
	return v;
}

/* A grid code given by a place or address file: a grid or unit grid. */
static long
grid_of_code(const struct grids *g, const char *code)
{
	long k = grids_find(g, code);

	if (k < 0 || grids_level(g, (size_t)k) < GRIDS_GRID)
		return -1;
	return k;
}

/*
 * --places FILE: assigned building or house records; the key is house_id
 * when the file has it, else building_id.  A place without a grid is left
 * out; a grid code the registry does not know, or one id with two grids,
 * is an error.
 */
static void
load_places(struct assign *a, const char *path)
{
	struct rec_reader *r = NULL;
	struct rec_row row;
	struct buf key = BUF_INIT;
	char num[32];
	const char *old;
	long fid, fgrid, k;
	unsigned long long n = 0;
	const char *tag;
	int existed, rc;
	struct err e;

	err_clear(&e);
	if (rec_reader_open(&r, path, false, &e) != 0)
		prog_die(&prog, &e);
	tag = "h:";
	if ((fid = rec_reader_index(r, "house_id")) < 0) {
		tag = "b:";
		fid = rec_reader_index(r, "building_id");
	}
	fgrid = rec_reader_index(r, "grid");
	if (fid < 0 || fgrid < 0) {
		err_at(&e, rec_reader_name(r), 1, fid < 0 ? "building_id" : "grid");
		err_set(&e, ERR_DATA, "a places file needs house_id or "
		    "building_id, and grid");
		goto fail;
	}
	while ((rc = rec_read(r, &row, &e)) == 1) {
		n++;
		if (row.len[fid] == 0 || row.len[fgrid] == 0)
			continue;
		if ((k = grid_of_code(a->g, row.v[fgrid])) < 0) {
			err_at(&e, rec_reader_name(r), row.line, "grid");
			err_set(&e, ERR_DATA, "grid code not in the registry");
			goto fail;
		}
		buf_reset(&key);
		if (buf_adds(&key, tag) != 0 ||
		    buf_add(&key, row.v[fid], row.len[fid]) != 0) {
			err_nomem(&e);
			goto fail;
		}
		if (strmap_put(&a->places, key.p, key.len, num,
		    put_index(num, k), &existed, &old, &e) != 0)
			goto fail;
		if (existed && get_index(old, strlen(old)) != k) {
			err_at(&e, rec_reader_name(r), row.line, tag[0] == 'h' ?
			    "house_id" : "building_id");
			err_set(&e, ERR_DATA, "place listed twice with "
			    "different grids");
			goto fail;
		}
	}
	if (rc != 0)
		goto fail;
	rec_reader_close(r);
	buf_free(&key);
	a->have_places = true;
	prog_manifest_file(&prog, MANIFEST_INPUT, path, (long long)n);
	return;
fail:
	rec_reader_close(r);
	buf_free(&key);
	prog_die(&prog, &e);
}

/* --addresses FILE: records with address and grid (schemas/address.yaml). */
static void
load_addresses(struct assign *a, const char *path)
{
	struct rec_reader *r = NULL;
	struct rec_row row;
	char num[32];
	long fa, fgrid, k;
	unsigned long long n = 0;
	struct err e;
	int rc;

	err_clear(&e);
	if (rec_reader_open(&r, path, false, &e) != 0)
		prog_die(&prog, &e);
	fa = rec_reader_index(r, "address");
	fgrid = rec_reader_index(r, "grid");
	if (fa < 0 || fgrid < 0) {
		err_at(&e, rec_reader_name(r), 1, fa < 0 ? "address" : "grid");
		err_set(&e, ERR_DATA, "an addresses file needs address and grid");
		goto fail;
	}
	while ((rc = rec_read(r, &row, &e)) == 1) {
		n++;
		if ((k = grid_of_code(a->g, row.v[fgrid])) < 0) {
			err_at(&e, rec_reader_name(r), row.line, "grid");
			err_set(&e, ERR_DATA, "grid code not in the registry");
			goto fail;
		}
		if (addr_table_add(&a->addrs, row.v[fa], row.len[fa], num,
		    put_index(num, k), &e) != 0) {
			err_at(&e, rec_reader_name(r), row.line, "address");
			goto fail;
		}
	}
	if (rc != 0)
		goto fail;
	rec_reader_close(r);
	a->have_addrs = true;
	prog_manifest_file(&prog, MANIFEST_INPUT, path, (long long)n);
	return;
fail:
	rec_reader_close(r);
	prog_die(&prog, &e);
}

static int
on_header(void *arg, const struct rec_header *h, struct err *e)
{
	struct assign *a = arg;
	bool any = false;
	size_t k;

	a->f_grid = prog_header_index(h, "grid");
	a->f_lon = prog_header_index(h, "lon");
	a->f_lat = prog_header_index(h, "lat");
	a->f_house = prog_header_index(h, "house_id");
	a->f_building = prog_header_index(h, "building_id");
	a->f_address = prog_header_index(h, "address");
	if (a->f_lon < 0 || a->f_lat < 0)
		a->f_lon = a->f_lat = -1;
	for (k = 0; k < a->nby; k++) {
		switch (a->by[k]) {
		case BY_GRID:
			any |= a->f_grid >= 0;
			break;
		case BY_POINT:
			any |= a->f_lon >= 0;
			break;
		case BY_PLACE:
			any |= a->have_places &&
			    (a->f_house >= 0 || a->f_building >= 0);
			break;
		case BY_ADDRESS:
			any |= a->have_addrs && a->f_address >= 0;
			break;
		default:
			break;
		}
	}
	if (!any && !a->keep)
		return err_set(e, ERR_DATA, "no field to place records by "
		    "(grid, lon and lat, house_id or building_id with --places, "
		    "address with --addresses)");
	return 0;
}

/* The output index of owned field k (prog.pos is set with the header). */
static size_t
opos(const struct assign *a, enum own k)
{
	return prog.pos[a->oidx[k]];
}

/* Fill the owned fields from leaf k. */
static void
set_place(struct assign *a, long k, enum how how, const char **out,
    size_t *len)
{
	static const int level_of[OWN_BY] = { GRIDS_GRID, GRIDS_COMMUNITY,
	    GRIDS_STREET, GRIDS_DISTRICT, GRIDS_UNIT };
	long chain[GRIDS_NLEVEL], c;
	const char *s;
	int i;

	grids_chain(a->g, (size_t)k, chain);
	for (i = 0; i < OWN_BY; i++) {
		if ((i == OWN_UNIT && !a->units) || (c = chain[level_of[i]]) < 0)
			continue;
		s = grids_code(a->g, (size_t)c);
		out[opos(a, (enum own)i)] = s;
		len[opos(a, (enum own)i)] = strlen(s);
	}
	out[opos(a, OWN_BY)] = how_name[how];
	len[opos(a, OWN_BY)] = strlen(how_name[how]);
	a->count[how]++;
}

static bool
has(const struct rec_row *row, long f)
{
	return f >= 0 && row->len[f] > 0;
}

/*
 * by_place: the record's id in field f (tagged "h:" house, "b:" building)
 * looked up in the --places files: 1 placed, 0 not (no id or unknown), or
 * an error.
 */
static int
by_place(struct assign *a, const struct rec_row *row, long f, const char *tag,
    const char **out, size_t *len, struct err *e)
{
	const char *val;
	size_t vlen;

	if (!has(row, f))
		return 0;
	buf_reset(&a->scratch);
	if (buf_adds(&a->scratch, tag) != 0 ||
	    buf_add(&a->scratch, row->v[f], row->len[f]) != 0)
		return err_nomem(e);
	if ((val = strmap_get(&a->places, a->scratch.p, a->scratch.len,
	    &vlen)) == NULL)
		return 0;
	set_place(a, get_index(val, vlen), HOW_PLACE, out, len);
	return 1;
}

static int
on_row(void *arg, const struct rec_row *row, const char **out, size_t *len,
    struct err *e)
{
	struct assign *a = arg;
	const char *why = NULL, *field = NULL, *val;
	size_t vlen, k;
	double lon, lat, dist;
	long leaf;
	int rc;

	for (k = 0; k < a->nby; k++) {
		switch (a->by[k]) {
		case BY_GRID:
			if (!has(row, a->f_grid))
				break;
			if ((leaf = grid_of_code(a->g, row->v[a->f_grid])) >= 0) {
				set_place(a, leaf, HOW_GRID, out, len);
				return 0;
			}
			if (why == NULL)
				why = "unknown grid code", field = "grid";
			break;
		case BY_POINT:
			if (a->f_lon < 0 || (!has(row, a->f_lon) &&
			    !has(row, a->f_lat)))
				break;
			if (str_parse_decimal(row->v[a->f_lon],
			    row->len[a->f_lon], &lon) != 0 ||
			    str_parse_decimal(row->v[a->f_lat],
			    row->len[a->f_lat], &lat) != 0) {
				if (why == NULL)
					why = "bad coordinates", field = "lon";
				break;
			}
			rc = grids_locate(a->g, lon, lat, a->snap, &leaf, &dist, e);
			if (rc == 1 || rc == 2) {
				set_place(a, leaf, rc == 1 ? HOW_POINT : HOW_SNAP,
				    out, len);
				return 0;
			}
			if (rc == ERR_DATA) {
				err_clear(e);
				if (why == NULL)
					why = "bad coordinates", field = "lon";
				break;
			}
			if (rc != 0)
				return rc;
			if (why == NULL)
				why = "outside every grid", field = "lon";
			break;
		case BY_PLACE:
			if (!a->have_places)
				break;
			if ((rc = by_place(a, row, a->f_house, "h:", out, len,
			    e)) == 0 && (rc = by_place(a, row, a->f_building,
			    "b:", out, len, e)) == 0) {
				if (why == NULL && has(row, a->f_house))
					why = "unknown building", field = "house_id";
				else if (why == NULL && has(row, a->f_building))
					why = "unknown building",
					    field = "building_id";
				break;
			}
			return rc == 1 ? 0 : rc;
		case BY_ADDRESS:
			if (!a->have_addrs || !has(row, a->f_address))
				break;
			rc = addr_table_match(&a->addrs, row->v[a->f_address],
			    row->len[a->f_address], &a->scratch, &val, &vlen,
			    NULL, e);
			if (rc == 1) {
				set_place(a, get_index(val, vlen), HOW_ADDRESS,
				    out, len);
				return 0;
			}
			if (rc == -ERR_DATA) {
				err_clear(e);
				if (why == NULL)
					why = "address is not UTF-8",
					    field = "address";
				break;
			}
			if (rc < 0)
				return -rc;
			if (why == NULL)
				why = "unknown address", field = "address";
			break;
		default:
			break;
		}
	}
	if (a->keep) {
		/* unplaced: the owned fields the input has stay as they were */
		for (k = 0; k < a->nown; k++) {
			size_t p = prog.pos[k];

			if (p < row->n) {
				out[p] = row->v[p];
				len[p] = row->len[p];
			}
		}
		out[opos(a, OWN_BY)] = how_name[HOW_NONE];
		len[opos(a, OWN_BY)] = strlen(how_name[HOW_NONE]);
		a->count[HOW_NONE]++;
		return 0;
	}
	err_at(e, NULL, 0, field);
	return err_set(e, ERR_DATA, "%s", why != NULL ? why : "no location");
}

/* --check: the registry's problems as grid_issue records. */
struct check {
	struct out *out;
	unsigned long long n;
	struct err *e;
};

static int
on_issue(void *arg, const struct grids_issue *is)
{
	struct check *c = arg;
	char area[64], line[32];
	const char *v[8];

	area[0] = '\0';
	if (is->area_m2 > 0)
		str_fmt_fixed(area, is->area_m2, 1);
	str_fmt_int(line, is->line);
	v[0] = "grid_issue";
	v[1] = is->kind;
	v[2] = is->code;
	v[3] = is->other_code;
	v[4] = area;
	v[5] = is->reason;
	v[6] = line;
	c->n++;
	return rec_write(c->out, 7, v, NULL, c->e);
}

static int
run_check(struct grids *g, const char *path, double min_area)
{
	static const char *const h[] = { "kind", "issue", "code", "other",
	    "area_m2", "reason", "line" };
	struct check c;
	struct err e;
	int rc;

	err_clear(&e);
	c.out = prog.job.out;
	c.n = 0;
	c.e = &e;
	if (rec_write(prog.job.out, 7, h, NULL, &e) != 0 ||
	    grids_check(g, min_area, on_issue, &c, &e) != 0) {
		grids_free(g);
		prog_die(&prog, &e);
	}
	prog.job.written = c.n;
	if (prog.stats)
		fprintf(stderr, "%s: %zu grids, %llu issues\n", prog.name,
		    grids_count(g), c.n);
	prog.stats = false;
	prog_manifest_file(&prog, MANIFEST_INPUT, path, (long long)grids_count(g));
	grids_free(g);
	if ((rc = prog_exit(&prog)) != 0)
		return rc;
	return c.n > 0 ? ERR_DATA : 0;
}

int
main(int argc, char *argv[])
{
	struct job_opts jo = { NULL, NULL, -1, NULL, argc, argv };
	struct assign a;
	struct grids_layout lay;
	const char *grids_path = NULL, *layout = NULL;
	const char **places = NULL, **addrs = NULL;
	size_t nplaces = 0, naddrs = 0, k;
	bool check = false;
	double min_area = 1.0;
	struct err e;
	int ch, i, rc;

	prog_init(&prog, "grid-assign", usage_text);
	memset(&a, 0, sizeof a);
	strmap_init(&a.places);
	addr_table_init(&a.addrs);
	a.scratch = (struct buf)BUF_INIT;
	for (k = 0; k < NMETHOD; k++)
		a.by[k] = (enum method)k;
	a.nby = NMETHOD;
	places = mem_calloc((size_t)argc, sizeof *places);
	addrs = mem_calloc((size_t)argc, sizeof *addrs);
	if (places == NULL || addrs == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog.name);
		return ERR_INTERNAL;
	}
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "g:ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			grids_path = optarg;
			break;
		case OPT_ADDRESSES:
			addrs[naddrs++] = optarg;
			break;
		case OPT_BY:
			parse_by(&a, optarg);
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_KEEP:
			a.keep = true;
			break;
		case OPT_LAYOUT:
			layout = optarg;
			break;
		case OPT_MIN_AREA:
			min_area = parse_metres("bad --min-area", optarg, 1e12);
			break;
		case OPT_PLACES:
			places[nplaces++] = optarg;
			break;
		case OPT_SNAP:
			a.snap = parse_metres("bad --snap", optarg, 100000);
			break;
		default:
			prog_option(&prog, ch, optarg, &jo);
		}
	}
	argc -= optind;
	argv += optind;
	if (grids_path == NULL)
		prog_usage_error(&prog, "no grid registry: give -g", NULL);
	prog_options_check(&prog, &jo);
	if (check && (argc > 0 || nplaces > 0 || naddrs > 0 || a.keep ||
	    jo.rejects != NULL || a.snap > 0))
		prog_usage_error(&prog, "--check takes only -g, -o, --min-area, "
		    "--layout, --stats and --manifest", NULL);
	if (grids_layout_parse(layout, &lay, &e) != 0)
		prog_usage_error(&prog, "unknown layout", layout);

	if (grids_load(&a.g, grids_path, &lay, &e) != 0)
		prog_die(&prog, &e);
	prog_open(&prog, &jo);
	if (check) {
		mem_free(places);
		mem_free(addrs);
		return run_check(a.g, grids_path, min_area);
	}
	if (!grids_usable(a.g)) {
		err_at(&e, grids_path, 0, NULL);
		err_set(&e, ERR_DATA, "the grid registry has structural problems "
		    "(run grid-assign --check)");
		grids_free(a.g);
		prog_die(&prog, &e);
	}
	prog_manifest_file(&prog, MANIFEST_INPUT, grids_path,
	    (long long)grids_count(a.g));
	a.units = grids_has_units(a.g);
	for (k = 0; k < nplaces; k++)
		load_places(&a, places[k]);
	for (k = 0; k < naddrs; k++)
		load_addresses(&a, addrs[k]);

	for (k = 0; k < NOWN; k++) {
		static const char *const names[NOWN] = { "grid", "community",
		    "street", "district", "unit", "assigned_by" };

		if (k == OWN_UNIT && !a.units)
			continue;
		a.oidx[k] = a.nown;
		a.own[a.nown++] = names[k];
	}
	if (argc == 0)
		prog_filter(&prog, "-", a.own, a.nown, on_header, on_row, &a);
	for (i = 0; i < argc; i++)
		prog_filter(&prog, argv[i], a.own, a.nown, on_header, on_row, &a);
	if (prog.stats) {
		buf_adds(&prog.extra, "; assigned by");
		for (k = 0; k < NHOW; k++)
			buf_printf(&prog.extra, "%s %s %llu", k ? "," : "",
			    how_name[k], a.count[k]);
	}
	rc = prog_exit(&prog);
	grids_free(a.g);
	strmap_free(&a.places);
	addr_table_free(&a.addrs);
	buf_free(&a.scratch);
	mem_free(places);
	mem_free(addrs);
	return rc;
}
