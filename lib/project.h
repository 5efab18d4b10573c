/*
 * project.h - the evaluation report's project: the project file, the KPI
 * records it reports on, and the data model the report templates render
 *
 * report-render (DESIGN §3) turns the kpi records of kpi-score and a
 * project file into the 项目支出绩效评价报告.  This module does everything
 * of that but the output formats: it reads the project file (grid-
 * project(5)), reads kpi records, and builds one tree of template values
 * (tmpl.h) that the Markdown, HTML and text templates render and from
 * which report-render writes the XLSX workbook.
 *
 * The project file (YAML through yamlcfg; every key checked, see
 * grid-project(5)):
 *   name, amount (CNY, plain decimal), department (may be empty), unit,
 *   period (a kpi period label: "2017"), evaluator, date, title;
 *   sections: {basic, performance, conclusion} (lists of paragraphs, or
 *   one string each), problems, improvements (lists of paragraphs);
 *   charts: {trend, self_handled, dispatched, map: indicator specs;
 *   table: list of top group ids}.
 * An indicator spec is an indicator id, optionally followed by ":field"
 * (value, numerator, denominator, score); value by default.  Paragraphs
 * are templates (tmpl.h): `{{kpi.C4.value | pct:1}}` is compiled when the
 * file is loaded (a syntax error is ERR_DATA at the paragraph's line) and
 * filled by project_model from the KPI records of scope "all" of the
 * report period; an unknown placeholder is ERR_DATA "unknown placeholder
 * 'x'" at the paragraph's line, never an empty string.
 *
 * KPI records (kind kpi, as kpi-score writes them; header fields looked up
 * by name): kind period scope scope_id indicator name path type value
 * numerator denominator target weight score grade evidence.  Periods are
 * "2017" (year), "2017-03" (month), "2017-Q1"; the row with indicator
 * "total" closes each (period, scope, scope_id) block and carries the
 * grade; path joins the names from the top with " › ".
 *
 * The model (the root map the templates see) is described in
 * grid-project(5) under TEMPLATE DATA: project, result, kpi, sections,
 * problems, improvements, groups, indicators, charts, appendix.  Text from
 * data is kept as it is; escaping is the template engine's job per output
 * format (tmpl.h), and chart SVG is escaped by svg.h.
 *
 * Ownership: project_load_* returns an owned project (project_free); a
 * struct project_kpi lives in the caller's storage (project_kpi_init,
 * project_kpi_free) and owns copies of every record; project_model
 * returns an owned tree (tmpl_val_free).  All memory comes from mem.h.
 * Errors: ERR_DATA (file shape, missing key, bad value, unknown
 * placeholder: with file, line and key), ERR_NOINPUT, ERR_IO,
 * ERR_INTERNAL.  Messages name keys and fields, never values.
 */
#ifndef GRID_PROJECT_H
#define GRID_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "grids.h"
#include "hash.h"
#include "mem.h"
#include "tmpl.h"

/* A paragraph of narrative: its source, line in the file, and template. */
struct project_para {
	char *src;
	long line;
	struct tmpl *t;
};

struct project_text {
	struct project_para *v;
	size_t n;
};

/* An indicator spec "ID[:field]". */
struct project_spec {
	char *indicator;	/* NULL: not set */
	int field;		/* enum project_kpi_field */
};

struct project {
	char *file;		/* the name used in messages */
	char *name, *amount, *department, *unit, *period;
	char *evaluator, *date, *title;	/* "" when absent */
	struct project_text basic, performance, conclusion;
	struct project_text problems, improvements;
	struct project_spec trend, self_handled, dispatched, map;
	char **table;		/* top group ids of the indicator table */
	size_t ntable;		/* 0: every top group */
};

/*
 * project_load_mem: the project file buf[0..n) called name; project_load_file
 * reads path.  *pp is an owned project, NULL on error.
 */
int project_load_mem(struct project **pp, const char *buf, size_t n,
    const char *name, struct err *e);
int project_load_file(struct project **pp, const char *path, struct err *e);
void project_free(struct project *p);

/* The fields of a kpi record, in kpi-score's order. */
enum project_kpi_field {
	PK_KIND, PK_PERIOD, PK_SCOPE, PK_SCOPE_ID, PK_INDICATOR, PK_NAME,
	PK_PATH, PK_TYPE, PK_VALUE, PK_NUMERATOR, PK_DENOMINATOR, PK_TARGET,
	PK_WEIGHT, PK_SCORE, PK_GRADE, PK_EVIDENCE, PK_NFIELD
};

/* project_kpi_field_name: "kind" ... "evidence"; NULL out of range. */
const char *project_kpi_field_name(int f);

struct project_kpirow {
	const char *f[PK_NFIELD];	/* NUL-terminated, in the arena */
	size_t index;			/* order of reading */
};

struct project_kpi {
	struct project_kpirow *v;
	size_t n, cap;
	struct mem_arena arena;
};

void project_kpi_init(struct project_kpi *k);
void project_kpi_free(struct project_kpi *k);

/*
 * project_kpi_read: append the kpi records of path ("-": standard input)
 * to k.  Each field of the header above must be present (any order, other
 * fields ignored); kind must be "kpi".  A bad line is ERR_DATA with file
 * and line (a report is not rendered from half the data).  When sha is
 * not NULL it gets the hex sha256 of the file, *records the count.
 */
int project_kpi_read(struct project_kpi *k, const char *path,
    char sha[HASH_HEX_MAX], unsigned long long *records, struct err *e);
int project_kpi_read_mem(struct project_kpi *k, const char *buf, size_t n,
    const char *name, struct err *e);

/*
 * project_kpi_sort: order the rows by scope (all, district, street,
 * community, grid, worker, department, then others by bytes), period,
 * scope id (bytes) and reading order: the order of the XLSX records sheet.
 * Returns 0 or ERR_INTERNAL.
 */
int project_kpi_sort(struct project_kpi *k, struct err *e);

/* One file the report was made from, for the appendix. */
struct project_file {
	const char *role;	/* "project", "kpi", "grids", "template", ... */
	const char *path;
	const char *sha256;
	long long records;	/* < 0: not a record file */
};

struct project_opts {
	const char *map;		/* --map: overrides charts.map, or NULL */
	struct grids *grids;		/* the registry for the map, or NULL */
	bool svg;			/* draw the charts (HTML) */
	const struct project_file *files;	/* the appendix */
	size_t nfiles;
	const char *inputs;		/* a pipeline manifest file, or NULL */
};

/*
 * project_model: the template data for project p over the KPI records k
 * (see grid-project(5)).  The report period must have a "total" row of
 * scope all, else ERR_DATA "no kpi records of scope all for the report
 * period".  A chart spec naming an indicator absent from the records is
 * ERR_DATA at the spec's key.  *root is owned by the caller.
 */
int project_model(const struct project *p, const struct project_kpi *k,
    const struct project_opts *o, struct tmpl_val **root, struct err *e);

/*
 * project_fmt_actual: the display form of a kpi value of the given type:
 * rates and shares as a percentage with one decimal ("84.5%", "83.0%"),
 * type "target%" (a target of a rate) as a percentage with up to two
 * decimals ("90%"), means and medians with two decimals at most, counts
 * and sums as they are; "n/a" stays, "" becomes "—".  out needs
 * STR_NUM_MAX + 8 bytes.
 */
void project_fmt_actual(char *out, const char *type, const char *value);

/*
 * project_text_width: the display width of UTF-8 s (East Asian wide and
 * full-width characters count 2, others 1): for column widths.
 */
size_t project_text_width(const char *s);

#endif
