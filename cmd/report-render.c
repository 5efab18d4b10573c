/*
 * report-render - the evaluation report from kpi records and a project file
 *
 * Options, wiring and main, and the XLSX writer (libxlsxwriter): the
 * project file, the kpi records and the report data are lib/project, the
 * templates lib/tmpl, the charts lib/svg.  See report-render(1) and
 * grid-project(5).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "buf.h"
#include "err.h"
#include "grids.h"
#include "hash.h"
#include "mem.h"
#include "out.h"
#include "prog.h"
#include "project.h"
#include "str.h"
#include "tmpl.h"

#ifndef GRID_SCHEMA_DIR
#define GRID_SCHEMA_DIR "/usr/local/share/gridkit/schemas"
#endif

static const char usage_text[] =
"usage: report-render -p project [-f md|html|txt|xlsx] [-t template]\n"
"                     [--grids grids] [--map indicator] [--inputs manifest]\n"
"                     [-o file] [--manifest file] [--stats] [file ...]\n";

enum {
	OPT_GRIDS = 256, OPT_INPUTS, OPT_MAP
};

static const struct option longopts[] = {
	{ "format",	required_argument, NULL, 'f' },
	{ "grids",	required_argument, NULL, OPT_GRIDS },
	{ "inputs",	required_argument, NULL, OPT_INPUTS },
	{ "map",	required_argument, NULL, OPT_MAP },
	{ "project",	required_argument, NULL, 'p' },
	{ "template",	required_argument, NULL, 't' },
	PROG_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

enum fmt { F_MD, F_HTML, F_TXT, F_XLSX };
static const char *const fmt_name[] = { "md", "html", "txt", "xlsx" };

static struct prog prog;

/* Everything main holds, freed by cleanup before exiting. */
static struct state {
	struct project *p;
	struct project_kpi k;
	struct grids *g;
	struct tmpl *t;
	struct tmpl_val *root;
	struct project_file files[64];
	size_t nfiles;
	char *strs[128];		/* paths and digests of files[] */
	size_t nstrs;
	struct buf out;
} st;

static void
cleanup(void)
{
	size_t i;

	project_free(st.p);
	project_kpi_free(&st.k);
	grids_free(st.g);
	tmpl_free(st.t);
	tmpl_val_free(st.root);
	for (i = 0; i < st.nstrs; i++)
		mem_free(st.strs[i]);
	buf_free(&st.out);
	memset(&st, 0, sizeof st);
}

static void
die(const struct err *e)
{
	cleanup();
	prog_die(&prog, e);
}

static void
die_nomem(void)
{
	struct err e;

	err_clear(&e);
	err_nomem(&e);
	die(&e);
}

/* Keep a copy of s for files[]. */
static const char *
keep(const char *s)
{
	char *c = NULL;

	if (st.nstrs == sizeof st.strs / sizeof st.strs[0] ||
	    (c = mem_strdup(s)) == NULL)
		die_nomem();
	st.strs[st.nstrs++] = c;
	return c;
}

/* Add a file to the appendix (and the manifest, as a config when it is
 * not a kpi input); its sha256 read here unless given. */
static void
add_file(const char *role, const char *path, const char *sha,
    long long records)
{
	char hex[HASH_HEX_MAX];
	struct err e;

	err_clear(&e);
	if (sha == NULL) {
		if (hash_sha256_file(path, hex, &e) != 0)
			die(&e);
		sha = hex;
	}
	if (st.nfiles == sizeof st.files / sizeof st.files[0]) {
		err_set(&e, ERR_USAGE, "too many input files (at most 60)");
		die(&e);
	}
	st.files[st.nfiles].role = role;
	st.files[st.nfiles].path = keep(path);
	st.files[st.nfiles].sha256 = keep(sha);
	st.files[st.nfiles].records = records;
	st.nfiles++;
	if (prog.job.man != NULL &&
	    job_input(&prog.job, strcmp(role, "kpi") == 0 ? MANIFEST_INPUT :
	    MANIFEST_CONFIG, path, sha, records, &e) != 0)
		die(&e);
}

/* ---- templates ---- */

/* read_file: the whole of path into b; 0 or an err code. */
static int
read_file(const char *path, struct buf *b, struct err *e)
{
	char chunk[65536];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		err_at(e, NULL, 0, NULL);
		return err_errno(e, ERR_NOINPUT, errno, "cannot open '%s'",
		    path);
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(b, chunk, n) != 0) {
			fclose(fp);
			return err_nomem(e);
		}
	if (ferror(fp)) {
		fclose(fp);
		return err_errno(e, ERR_IO, errno, "cannot read '%s'", path);
	}
	fclose(fp);
	if (b->p == NULL && buf_grow(b, 0) != 0)
		return err_nomem(e);
	return 0;
}

struct partials {
	char dir[4096];
	struct buf src[32];
	size_t n;
};

/* {{> name}}: DIR/name.tmpl, DIR the main template's folder. */
static int
lookup(void *ctx, const char *name, const char **src, size_t *n)
{
	struct partials *pp = ctx;
	char path[4200];
	struct err e;

	if (name[0] == '.' || strchr(name, '/') != NULL ||
	    pp->n == sizeof pp->src / sizeof pp->src[0])
		return -1;
	snprintf(path, sizeof path, "%s/%s.tmpl", pp->dir, name);
	err_clear(&e);
	pp->src[pp->n] = (struct buf)BUF_INIT;
	if (read_file(path, &pp->src[pp->n], &e) != 0) {
		buf_free(&pp->src[pp->n]);
		return -1;
	}
	add_file("partial", path, NULL, -1);
	*src = pp->src[pp->n].p;
	*n = pp->src[pp->n].len;
	pp->n++;
	return 0;
}

static void
compile_template(const char *path)
{
	struct partials *pp;
	struct tmpl_partials parts;
	struct buf src = BUF_INIT;
	const char *slash;
	struct err e;
	size_t i;
	int rc;

	err_clear(&e);
	if ((pp = mem_calloc(1, sizeof *pp)) == NULL)
		die_nomem();
	if ((slash = strrchr(path, '/')) != NULL)
		snprintf(pp->dir, sizeof pp->dir, "%.*s",
		    (int)(slash - path), path);
	else
		strcpy(pp->dir, ".");
	if ((rc = read_file(path, &src, &e)) != 0) {
		mem_free(pp);
		buf_free(&src);
		die(&e);
	}
	add_file("template", path, NULL, -1);
	memset(&parts, 0, sizeof parts);
	parts.lookup = lookup;
	parts.ctx = pp;
	rc = tmpl_compile(&st.t, src.p, src.len, path, &parts, &e);
	for (i = 0; i < pp->n; i++)
		buf_free(&pp->src[i]);
	mem_free(pp);
	buf_free(&src);
	if (rc != 0)
		die(&e);
}

/* ---- XLSX ---- */

struct sheetw {			/* column widths in characters */
	double w[32];
};

static void
fit(struct sheetw *sw, int col, const char *s)
{
	double w = (double)project_text_width(s) * 1.1 + 2;

	if (w > 60)
		w = 60;
	if (w > sw->w[col])
		sw->w[col] = w;
}

static bool
number(const char *s, double *v)
{
	return s[0] != '\0' && str_parse_decimal(s, strlen(s), v) == 0;
}

static void
cell_num_or_text(lxw_worksheet *ws, struct sheetw *sw, lxw_row_t r,
    lxw_col_t c, const char *s, lxw_format *numfmt, lxw_format *textfmt)
{
	double v;
	char buf[STR_NUM_MAX + 8];

	if (number(s, &v)) {
		worksheet_write_number(ws, r, c, v, numfmt);
		if (numfmt != NULL && strchr(s, '.') != NULL) {
			str_fmt_fixed(buf, v * 100, 1);
			strcat(buf, "%");
			fit(sw, c, buf);
		} else
			fit(sw, c, s);
	} else if (s[0] != '\0') {
		worksheet_write_string(ws, r, c, s, textfmt);
		fit(sw, c, s);
	}
}

static bool
fraction(const char *type)
{
	return strcmp(type, "rate") == 0 || strcmp(type, "share") == 0;
}

static const char *
vstr(const struct tmpl_val *map, const char *key)
{
	const char *s = tmpl_val_cstr(tmpl_map_get(map, key), NULL);

	return s != NULL ? s : "";
}

static int
write_xlsx(char *file, const char *title, long long epoch,
    struct err *e)
{
	static const char *const h1[] = { "指标编号", "指标", "权重", "目标值",
	    "实际值", "得分", "评分依据" };
	static const char *const h2[] = { "期间", "范围", "范围编号", "指标编号",
	    "指标", "指标路径", "类型", "值", "分子", "分母", "目标值", "权重",
	    "得分", "等级", "评分依据" };
	static const int f2[] = { PK_PERIOD, PK_SCOPE, PK_SCOPE_ID,
	    PK_INDICATOR, PK_NAME, PK_PATH, PK_TYPE, PK_VALUE, PK_NUMERATOR,
	    PK_DENOMINATOR, PK_TARGET, PK_WEIGHT, PK_SCORE, PK_GRADE,
	    PK_EVIDENCE };
	lxw_workbook_options wo = { LXW_TRUE, NULL, 0 };
	lxw_doc_properties props;
	lxw_workbook *wb;
	lxw_worksheet *ws1, *ws2;
	lxw_format *head, *pct, *bold, *boldnum, *ind[6];
	const struct tmpl_val *groups, *g, *rows, *row;
	struct sheetw sw;
	lxw_row_t r = 0;
	size_t gi, ri, i;
	int c, d;
	char dir[] = "/tmp/report-render.XXXXXX", tmpdir[64];
	lxw_error le;

	if (mkdtemp(dir) == NULL)
		return err_errno(e, ERR_IO, errno, "cannot make a temporary "
		    "folder");
	snprintf(tmpdir, sizeof tmpdir, "%s", dir);
	wo.tmpdir = tmpdir;
	snprintf(file, 4200, "%s/report.xlsx", dir);
	if ((wb = workbook_new_opt(file, &wo)) == NULL) {
		rmdir(dir);
		return err_nomem(e);
	}
	memset(&props, 0, sizeof props);
	props.title = (char *)title;
	props.author = (char *)"gridkit report-render";
	props.created = (time_t)epoch;
	workbook_set_properties(wb, &props);

	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	boldnum = workbook_add_format(wb);
	format_set_bold(boldnum);
	format_set_num_format(boldnum, "0.00");
	for (d = 0; d < 6; d++) {
		ind[d] = workbook_add_format(wb);
		format_set_indent(ind[d], (uint8_t)d);
		if (d == 0)
			format_set_bold(ind[d]);
	}

	/* sheet 1: the indicator table */
	ws1 = workbook_add_worksheet(wb, "评价指标");
	memset(&sw, 0, sizeof sw);
	for (c = 0; c < 7; c++) {
		worksheet_write_string(ws1, 0, (lxw_col_t)c, h1[c], head);
		fit(&sw, c, h1[c]);
	}
	worksheet_freeze_panes(ws1, 1, 0);
	r = 1;
	groups = tmpl_map_get(st.root, "groups");
	for (gi = 0; gi < tmpl_list_len(groups); gi++) {
		g = tmpl_list_get(groups, gi);
		rows = tmpl_map_get(g, "rows");
		for (ri = 0; ri < tmpl_list_len(rows); ri++, r++) {
			const char *type;
			bool frac;

			row = tmpl_list_get(rows, ri);
			type = vstr(row, "type");
			frac = fraction(type);
			d = atoi(vstr(row, "depth")) - 1;
			if (d < 0)
				d = 0;
			if (d > 5)
				d = 5;
			worksheet_write_string(ws1, r, 0, vstr(row, "id"),
			    NULL);
			fit(&sw, 0, vstr(row, "id"));
			worksheet_write_string(ws1, r, 1, vstr(row, "name"),
			    ind[d]);
			sw.w[1] = sw.w[1] > project_text_width(vstr(row,
			    "name")) * 1.1 + 2 + 2 * d ? sw.w[1] :
			    project_text_width(vstr(row, "name")) * 1.1 + 2 +
			    2 * d;
			cell_num_or_text(ws1, &sw, r, 2, vstr(row,
			    "weight_raw"), NULL, NULL);
			cell_num_or_text(ws1, &sw, r, 3, vstr(row, "target"),
			    frac ? pct : NULL, NULL);
			if (strcmp(type, "group") != 0)
				cell_num_or_text(ws1, &sw, r, 4, vstr(row,
				    "value"), frac ? pct : NULL, NULL);
			cell_num_or_text(ws1, &sw, r, 5, vstr(row,
			    "score_raw"), NULL, NULL);
			if (vstr(row, "evidence")[0] != '\0') {
				worksheet_write_string(ws1, r, 6, vstr(row,
				    "evidence"), NULL);
				fit(&sw, 6, vstr(row, "evidence"));
			}
		}
	}
	{
		const struct tmpl_val *res = tmpl_map_get(st.root, "result");

		worksheet_write_string(ws1, r, 1, "综合得分", bold);
		cell_num_or_text(ws1, &sw, r, 2, vstr(res, "weight"), bold,
		    bold);
		cell_num_or_text(ws1, &sw, r, 5, vstr(res, "score"), boldnum,
		    bold);
		worksheet_write_string(ws1, r, 6, vstr(res, "grade"), bold);
		fit(&sw, 6, vstr(res, "grade"));
	}
	for (c = 0; c < 7; c++)
		worksheet_set_column(ws1, (lxw_col_t)c, (lxw_col_t)c, sw.w[c],
		    NULL);

	/* sheet 2: the kpi records by scope and period */
	ws2 = workbook_add_worksheet(wb, "KPI记录");
	memset(&sw, 0, sizeof sw);
	for (c = 0; c < 15; c++) {
		worksheet_write_string(ws2, 0, (lxw_col_t)c, h2[c], head);
		fit(&sw, c, h2[c]);
	}
	worksheet_freeze_panes(ws2, 1, 0);
	for (i = 0; i < st.k.n; i++) {
		const struct project_kpirow *kr = &st.k.v[i];
		bool frac = fraction(kr->f[PK_TYPE]);

		r = (lxw_row_t)(i + 1);
		for (c = 0; c < 15; c++) {
			int f = f2[c];
			const char *s = kr->f[f];

			if (f == PK_VALUE || f == PK_TARGET)
				cell_num_or_text(ws2, &sw, r, (lxw_col_t)c, s,
				    frac ? pct : NULL, NULL);
			else if (f == PK_NUMERATOR || f == PK_DENOMINATOR ||
			    f == PK_WEIGHT || f == PK_SCORE)
				cell_num_or_text(ws2, &sw, r, (lxw_col_t)c, s,
				    NULL, NULL);
			else if (s[0] != '\0') {
				worksheet_write_string(ws2, r, (lxw_col_t)c, s,
				    NULL);
				fit(&sw, c, s);
			}
		}
	}
	for (c = 0; c < 15; c++)
		worksheet_set_column(ws2, (lxw_col_t)c, (lxw_col_t)c, sw.w[c],
		    NULL);
	if ((le = workbook_close(wb)) != LXW_NO_ERROR) {
		unlink(file);
		rmdir(dir);
		return err_set(e, ERR_IO, "cannot write the workbook: %s",
		    lxw_strerror(le));
	}
	return 0;
}

/* SOURCE_DATE_EPOCH, or 1980-01-01T00:00:00Z (the zip epoch). */
static long long
source_date(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	long long v;

	if (s == NULL || *s == '\0')
		return 315532800;
	if (str_parse_int(s, strlen(s), &v) != 0 || v < 315532800 ||
	    v > 4102444800LL)
		prog_usage_error(&prog, "bad SOURCE_DATE_EPOCH (seconds, "
		    "1980 to 2100)", NULL);
	return v;
}

int
main(int argc, char *argv[])
{
	struct job_opts jo = { NULL, NULL, -1, NULL, argc, argv };
	struct project_opts po;
	const char *project = NULL, *tpath = NULL, *grids = NULL;
	const char *map = NULL, *inputs = NULL;
	char tbuf[4096], sha[HASH_HEX_MAX], xfile[4200];
	const char *dir;
	enum fmt fmt = F_MD;
	unsigned long long recs, total = 0;
	long long epoch = 0;
	struct err e;
	int ch, i, rc;

	prog_init(&prog, "report-render", usage_text);
	project_kpi_init(&st.k);
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "f:ho:p:t:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			for (i = 0; i < 4; i++)
				if (strcmp(optarg, fmt_name[i]) == 0)
					break;
			if (i == 4)
				prog_usage_error(&prog, "unknown format",
				    optarg);
			fmt = (enum fmt)i;
			break;
		case 'p':
			project = optarg;
			break;
		case 't':
			tpath = optarg;
			break;
		case OPT_GRIDS:
			grids = optarg;
			break;
		case OPT_INPUTS:
			inputs = optarg;
			break;
		case OPT_MAP:
			map = optarg;
			break;
		default:
			prog_option(&prog, ch, optarg, &jo);
		}
	}
	argc -= optind;
	argv += optind;
	if (project == NULL)
		prog_usage_error(&prog, "no project file: give -p", NULL);
	if (map != NULL && grids == NULL)
		prog_usage_error(&prog, "--map needs --grids", NULL);
	if (tpath != NULL && fmt == F_XLSX)
		prog_usage_error(&prog, "-t does not apply to -f xlsx", NULL);
	if (fmt == F_XLSX) {
		epoch = source_date();
		if (jo.output == NULL && isatty(STDOUT_FILENO))
			prog_usage_error(&prog, "-f xlsx writes a binary "
			    "file: give -o", NULL);
	}

	if (project_load_file(&st.p, project, &e) != 0)
		die(&e);
	prog_open(&prog, &jo);
	add_file("project", project, NULL, -1);
	for (i = 0; i < (argc > 0 ? argc : 1); i++) {
		const char *path = argc > 0 ? argv[i] : "-";

		if (project_kpi_read(&st.k, path, sha, &recs, &e) != 0)
			die(&e);
		total += recs;
		add_file("kpi", path, sha, (long long)recs);
	}
	prog.job.read = prog.job.written = total;
	if (grids != NULL) {
		if (grids_load(&st.g, grids, NULL, &e) != 0)
			die(&e);
		add_file("grids", grids, NULL, (long long)grids_count(st.g));
	}
	if (inputs != NULL)
		add_file("manifest", inputs, NULL, -1);
	if (fmt != F_XLSX) {
		if (tpath == NULL) {
			if ((dir = getenv("GRID_SCHEMA_DIR")) == NULL ||
			    *dir == '\0')
				dir = GRID_SCHEMA_DIR;
			snprintf(tbuf, sizeof tbuf, "%s/templates/report.%s.tmpl",
			    dir, fmt_name[fmt]);
			tpath = tbuf;
		}
		compile_template(tpath);
	}

	memset(&po, 0, sizeof po);
	po.map = map;
	po.grids = st.g;
	po.svg = fmt == F_HTML;
	po.files = st.files;
	po.nfiles = st.nfiles;
	po.inputs = inputs;
	if (project_model(st.p, &st.k, &po, &st.root, &e) != 0) {
		if (e.code == ERR_USAGE) {
			cleanup();
			prog_usage_error(&prog, "bad --map", map);
		}
		die(&e);
	}

	if (fmt == F_XLSX) {
		struct buf b = BUF_INIT;
		const char *title = vstr(tmpl_map_get(st.root, "report"),
		    "title");

		if (project_kpi_sort(&st.k, &e) != 0 ||
		    write_xlsx(xfile, title, epoch, &e) != 0)
			die(&e);
		rc = read_file(xfile, &b, &e);
		unlink(xfile);
		*strrchr(xfile, '/') = '\0';
		rmdir(xfile);
		if (rc != 0 || out_write(prog.job.out, b.p, b.len, &e) != 0) {
			buf_free(&b);
			die(&e);
		}
		buf_free(&b);
	} else {
		static const enum tmpl_esc esc[] = { TMPL_MD, TMPL_HTML,
		    TMPL_TXT };

		if (tmpl_render(st.t, st.root, esc[fmt], &st.out, &e) != 0 ||
		    out_write(prog.job.out, st.out.p, st.out.len, &e) != 0)
			die(&e);
	}
	if (prog.stats)
		buf_printf(&prog.extra, "; format %s, files %zu",
		    fmt_name[fmt], st.nfiles);
	cleanup();
	return prog_exit(&prog);
}
