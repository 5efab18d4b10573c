/* test_project.c - unit tests of lib/project (and grids_rings) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "grids.h"
#include "mem.h"
#include "project.h"
#include "str.h"
#include "tmpl.h"

static const char project_src[] =
    "name: 网格化\n"					/* 1 */
    "amount: 00640000.50\n"
    "department: ''\n"
    "unit: 综治办\n"
    "period: \"2017\"\n"				/* 5 */
    "date: 2018年1月10日\n"
    "sections:\n"
    "  basic: 共{{kpi.C3.value}}起\n"
    "  performance:\n"
    "    - 自行处置率{{kpi.C4.value | pct:1}}，\n"	/* 10 */
    "      得分{{kpi.C.Q.score}}\n"
    "    - 总分{{result.score}}{{result.grade}}\n"
    "problems: 问题{{kpi.C4.numerator}}\n"
    "improvements: [改进一, 改进二]\n"
    "charts:\n"						/* 15 */
    "  trend: C3\n"
    "  self_handled: C4:numerator\n"
    "  dispatched: C3\n"
    "  map: C4\n"
    "  table: [C]\n";

#define H "kind\tperiod\tscope\tscope_id\tindicator\tname\tpath\ttype\t" \
    "value\tnumerator\tdenominator\ttarget\tweight\tscore\tgrade\tevidence\n"
#define ROW(per, sc, id, ind, name, path, type, v, num, den, tg, w, s, g) \
    "kpi\t" per "\t" sc "\t" id "\t" ind "\t" name "\t" path "\t" type \
    "\t" v "\t" num "\t" den "\t" tg "\t" w "\t" s "\t" g "\t\n"
#define BLOCK(per, sc, id, c3, c4n, c4d, c4v, tot) \
    ROW(per, sc, id, "C", "产出", "产出", "group", "", "", "", "", "40", \
        "14.09", "") \
    ROW(per, sc, id, "C.Q", "质量", "产出 › 质量", "group", "", "", "", \
        "", "15", "14.09", "") \
    ROW(per, sc, id, "C4", "自行处置率", "产出 › 质量 › 自行处置率", \
        "rate", c4v, c4n, c4d, "0.9", "15", "14.09", "") \
    ROW(per, sc, id, "C3", "事件数", "产出 › 事件数", "count", c3, c3, \
        "", "", "", "", "") \
    ROW(per, sc, id, "total", "", "", "group", "", "", "", "", "100", \
        tot, "优")

static const char kpi_src[] = H
    BLOCK("2017", "all", "", "388", "328", "388", "0.845361", "96.45")
    BLOCK("2017-02", "all", "", "24", "20", "24", "0.833333", "90")
    BLOCK("2017-01", "all", "", "20", "16", "20", "0.8", "90")
    BLOCK("2017", "street", "s2", "178", "148", "178", "0.831461", "95")
    BLOCK("2017", "street", "s1", "210", "180", "210", "0.857143", "95")
    BLOCK("2017", "grid", "g1", "10", "0", "0", "n/a", "80");

static const char grids_src[] =
    "kind\tcode\tname\tlevel\tparent\twkt\n"
    "grid\ts1\t一街\tstreet\t\tPOLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))\n"
    "grid\tg1\t<b>一</b>\tgrid\ts1\tPOLYGON ((0 0, 1 0, 1 1, 0 1, 0 0), "
    "(0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2))\n"
    "grid\tg2\t\tgrid\ts1\tMULTIPOLYGON (((1 0, 2 0, 2 0.5, 1 0)), "
    "((1 0.5, 2 0.5, 2 1, 1 0.5)))\n";

static int
load(struct project **p, const char *src, struct err *e)
{
	err_clear(e);
	return project_load_mem(p, src, strlen(src), "p.yaml", e);
}

static void
refused(const char *src, long line, const char *field, const char *msg)
{
	struct project *p = (struct project *)1;
	struct err e;
	long live = mem_live();

	assert_int_equal(load(&p, src, &e), ERR_DATA);
	assert_null(p);
	assert_string_equal(e.file, "p.yaml");
	assert_int_equal(e.line, line);
	if (field != NULL)
		assert_string_equal(e.field, field);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", e.msg, msg);
	assert_int_equal(mem_live(), live);
}

static void
test_load(void **state)
{
	struct project *p;
	struct err e;
	long live = mem_live();

	(void)state;
	assert_int_equal(load(&p, project_src, &e), 0);
	assert_string_equal(p->name, "网格化");
	assert_string_equal(p->amount, "640000.5");
	assert_string_equal(p->department, "");
	assert_string_equal(p->evaluator, "");
	assert_string_equal(p->period, "2017");
	assert_int_equal(p->basic.n, 1);
	assert_int_equal(p->basic.v[0].line, 8);
	assert_int_equal(p->performance.n, 2);
	assert_int_equal(p->performance.v[1].line, 12);
	assert_int_equal(p->conclusion.n, 0);
	assert_int_equal(p->problems.n, 1);
	assert_int_equal(p->improvements.n, 2);
	assert_string_equal(p->trend.indicator, "C3");
	assert_int_equal(p->trend.field, PK_VALUE);
	assert_string_equal(p->self_handled.indicator, "C4");
	assert_int_equal(p->self_handled.field, PK_NUMERATOR);
	assert_int_equal(p->ntable, 1);
	assert_string_equal(p->table[0], "C");
	project_free(p);
	project_free(NULL);
	assert_int_equal(mem_live(), live);
}

static void
test_load_errors(void **state)
{
	(void)state;
	refused("", 1, NULL, "empty project file");
	refused("amount: 1\nunit: u\nperiod: '1'\n", 1, "name", "missing");
	refused("name: n\nunit: u\nperiod: '1'\n", 1, "amount", "missing");
	refused("name: n\namount: 1\nperiod: '1'\n", 1, "unit", "missing");
	refused("name: n\namount: 1\nunit: u\n", 1, "period", "missing");
	refused("name: n\namount: 1\nunit: u\nperiod: ''\n", 4, "period",
	    "empty");
	refused("name: n\namount: -1\nunit: u\nperiod: '1'\n", 2, "amount",
	    "not an amount");
	refused("name: n\namount: 1e3\nunit: u\nperiod: '1'\n", 2, "amount",
	    "not an amount");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\ncolour: x\n", 5,
	    NULL, "colour");
	refused("name: [n]\namount: 1\nunit: u\nperiod: '1'\n", 1, NULL, "");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\nsections:\n"
	    "  intro: x\n", 6, NULL, "intro");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\nsections:\n"
	    "  basic: {a: b}\n", 6, "basic", "expected a paragraph");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\nproblems:\n"
	    "  - ok\n  - 'a {{#x}} b'\n", 7, "problems",
	    "unclosed section 'x'");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\nproblems: |\n"
	    "  line\n  {{x | bad}}\n", 6, "problems", "unknown filter");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\ncharts:\n"
	    "  trend: C3:sum\n", 6, "trend", "expected an indicator id");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\ncharts:\n"
	    "  trend: ':value'\n", 6, "trend", "expected an indicator id");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\ncharts:\n"
	    "  table: C\n", 6, "table", "expected a list");
	refused("name: n\namount: 1\nunit: u\nperiod: '1'\ncharts:\n"
	    "  pie: C\n", 6, NULL, "pie");
}

static void
test_load_file(void **state)
{
	char dir[] = "/tmp/test_project.XXXXXX", path[64];
	struct project *p;
	struct err e;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.yaml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(project_src, fp);
	fclose(fp);
	err_clear(&e);
	assert_int_equal(project_load_file(&p, path, &e), 0);
	assert_string_equal(p->file, path);
	project_free(p);
	unlink(path);
	err_clear(&e);
	assert_int_equal(project_load_file(&p, path, &e), ERR_NOINPUT);
	assert_null(p);
	rmdir(dir);
}

static int
read_kpi(struct project_kpi *k, const char *src, struct err *e)
{
	err_clear(e);
	return project_kpi_read_mem(k, src, strlen(src), "k.tsv", e);
}

static void
test_kpi_read(void **state)
{
	struct project_kpi k;
	struct err e;
	long live = mem_live();

	(void)state;
	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, kpi_src, &e), 0);
	assert_int_equal(k.n, 30);
	assert_string_equal(k.v[2].f[PK_INDICATOR], "C4");
	assert_string_equal(k.v[2].f[PK_VALUE], "0.845361");
	assert_string_equal(k.v[2].f[PK_PATH], "产出 › 质量 › 自行处置率");
	assert_int_equal(k.v[29].index, 29);
	/* sorted: scope (all, street, grid), period, id, reading order */
	assert_int_equal(project_kpi_sort(&k, &e), 0);
	assert_string_equal(k.v[0].f[PK_PERIOD], "2017");
	assert_string_equal(k.v[5].f[PK_PERIOD], "2017-01");
	assert_string_equal(k.v[10].f[PK_PERIOD], "2017-02");
	assert_string_equal(k.v[15].f[PK_SCOPE_ID], "s1");
	assert_string_equal(k.v[20].f[PK_SCOPE_ID], "s2");
	assert_string_equal(k.v[25].f[PK_SCOPE], "grid");
	assert_string_equal(k.v[17].f[PK_INDICATOR], "C4");
	project_kpi_free(&k);

	/* fields in another order, extra fields: fine */
	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, "kind\textra\tevidence\tgrade\tscore\t"
	    "weight\ttarget\tdenominator\tnumerator\tvalue\ttype\tpath\tname\t"
	    "indicator\tscope_id\tscope\tperiod\n"
	    "kpi\tx\te\t优\t1\t2\t3\t4\t5\t6\tcount\tp\tn\tI\t\tall\t2017\n",
	    &e), 0);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0].f[PK_EVIDENCE], "e");
	assert_string_equal(k.v[0].f[PK_PERIOD], "2017");
	project_kpi_free(&k);

	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, "kind\tperiod\nkpi\t2017\n", &e),
	    ERR_DATA);
	assert_string_equal(e.field, "scope");
	assert_int_equal(e.line, 1);
	project_kpi_free(&k);
	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, H "event\t2017\tall\t\tI\tn\tp\tcount"
	    "\t1\t1\t\t\t\t\t\t\n", &e), ERR_DATA);
	assert_int_equal(e.line, 2);
	project_kpi_free(&k);
	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, H "kpi\t2017\n", &e), ERR_DATA);
	assert_int_equal(e.line, 2);
	project_kpi_free(&k);
	project_kpi_init(&k);
	assert_int_equal(read_kpi(&k, "", &e), ERR_DATA);
	project_kpi_free(&k);
	assert_int_equal(mem_live(), live);
}

/* The string at a dotted path of maps (list items by number). */
static const char *
at(const struct tmpl_val *v, const char *path)
{
	char buf[256], *s, *dot;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = buf; v != NULL && s != NULL; s = dot) {
		if ((dot = strchr(s, '/')) != NULL)
			*dot++ = '\0';
		if (tmpl_val_type(v) == TMPL_LIST)
			v = tmpl_list_get(v, (size_t)atoi(s));
		else
			v = tmpl_map_get(v, s);
	}
	if (v == NULL)
		return "(missing)";
	if (tmpl_val_type(v) == TMPL_BOOL)
		return tmpl_val_truth(v) ? "(true)" : "(false)";
	return tmpl_val_cstr(v, NULL) != NULL ? tmpl_val_cstr(v, NULL) :
	    "(container)";
}

struct fix {
	struct project *p;
	struct project_kpi k;
	struct grids *g;
};

static void
fix_open(struct fix *f, const char *src)
{
	struct err e;

	memset(f, 0, sizeof(*f));
	assert_int_equal(load(&f->p, src, &e), 0);
	project_kpi_init(&f->k);
	assert_int_equal(read_kpi(&f->k, kpi_src, &e), 0);
	err_clear(&e);
	assert_int_equal(grids_load_mem(&f->g, grids_src, strlen(grids_src),
	    "g.tsv", NULL, &e), 0);
}

static void
fix_close(struct fix *f)
{
	project_free(f->p);
	project_kpi_free(&f->k);
	grids_free(f->g);
}

static const struct project_file files[] = {
	{ "kpi", "k.tsv", "abc", 30 }, { "project", "p.yaml", "def", -1 }
};

static void
test_model(void **state)
{
	struct project_opts o;
	struct tmpl_val *root;
	struct fix f;
	struct err e;
	long live = mem_live();

	(void)state;
	fix_open(&f, project_src);
	memset(&o, 0, sizeof(o));
	o.grids = f.g;
	o.svg = true;
	o.files = files;
	o.nfiles = 2;
	err_clear(&e);
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), 0);
	assert_string_equal(at(root, "project/amount_wan"), "64.00005");
	assert_string_equal(at(root, "report/title"),
	    "2017年度网格化项目支出绩效评价报告");
	assert_string_equal(at(root, "result/score"), "96.45");
	assert_string_equal(at(root, "result/grade"), "优");
	assert_string_equal(at(root, "kpi/C4/value"), "0.845361");
	assert_string_equal(at(root, "kpi/C4/actual"), "84.5%");
	assert_string_equal(at(root, "kpi/C4/target_text"), "90%");
	assert_string_equal(at(root, "kpi/C/Q/score"), "14.09");
	assert_string_equal(at(root, "kpi/C/score"), "14.09");
	/* narrative filled, lines joined without a space between CJK */
	assert_string_equal(at(root, "sections/basic/0"), "共388起");
	assert_string_equal(at(root, "sections/performance/0"),
	    "自行处置率84.5%，得分14.09");
	assert_string_equal(at(root, "sections/performance/1"), "总分96.45优");
	assert_string_equal(at(root, "problems/0"), "问题328");
	assert_string_equal(at(root, "improvements/1"), "改进二");
	/* the table: group C only, in tree order */
	assert_string_equal(at(root, "groups/0/rows/0/name"), "产出");
	assert_string_equal(at(root, "groups/0/rows/0/is_group"), "(true)");
	assert_string_equal(at(root, "groups/0/rows/2/indent"), "　　");
	assert_string_equal(at(root, "groups/0/rows/2/depth"), "3");
	assert_string_equal(at(root, "groups/0/rows/2/target_text"), "90%");
	assert_string_equal(at(root, "groups/0/rows/3/actual"), "388");
	assert_string_equal(at(root, "groups/0/rows/3/weight"), "—");
	assert_string_equal(at(root, "groups/1"), "(missing)");
	assert_string_equal(at(root, "indicators/3/label_pad"),
	    "　事件数      ");
	/* charts */
	assert_string_equal(at(root, "charts/trend/rows/0/label"), "1月");
	assert_string_equal(at(root, "charts/trend/rows/1/value"), "24");
	assert_string_equal(at(root, "charts/trend/rows/2"), "(missing)");
	assert_non_null(strstr(at(root, "charts/trend/svg"), "<svg"));
	assert_string_equal(at(root, "charts/streets/rows/0/label"), "一街");
	assert_string_equal(at(root, "charts/streets/rows/0/self"), "180");
	assert_string_equal(at(root, "charts/streets/rows/0/total"), "390");
	assert_string_equal(at(root, "charts/streets/rows/1/label"), "s2");
	assert_string_equal(at(root, "charts/scores/rows/0/label"),
	    "自行处置率");
	assert_string_equal(at(root, "charts/map/count"), "2");
	assert_string_equal(at(root, "charts/map/rows/0/name"), "<b>一</b>");
	assert_string_equal(at(root, "charts/map/rows/0/value"), "n/a");
	assert_string_equal(at(root, "charts/map/rows/1/code"), "g2");
	assert_non_null(strstr(at(root, "charts/map/svg"),
	    "&lt;b&gt;一&lt;/b&gt;"));
	assert_string_equal(at(root, "appendix/files/0/records"), "30");
	assert_string_equal(at(root, "appendix/files/1/records"), "");
	assert_string_equal(at(root, "appendix/has_pipeline"), "(false)");
	tmpl_val_free(root);

	/* without svg or grids: no map, no SVG text */
	o.svg = false;
	o.grids = NULL;
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), 0);
	assert_string_equal(at(root, "charts/map"), "(false)");
	assert_string_equal(at(root, "charts/trend/svg"), "");
	tmpl_val_free(root);
	/* --map overrides, with a field */
	o.grids = f.g;
	o.map = "C3:numerator";
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), 0);
	assert_string_equal(at(root, "charts/map/rows/0/value"), "10");
	assert_string_equal(at(root, "charts/map/indicator"), "C3");
	tmpl_val_free(root);
	o.map = "C3:bad";
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), ERR_USAGE);
	assert_null(root);
	fix_close(&f);
	assert_int_equal(mem_live(), live);
}

static void
model_refused(const char *src, const char *field, long line,
    const char *msg)
{
	struct project_opts o;
	struct tmpl_val *root = (struct tmpl_val *)1;
	struct fix f;
	struct err e;
	long live = mem_live();

	fix_open(&f, src);
	memset(&o, 0, sizeof(o));
	o.grids = f.g;
	err_clear(&e);
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), ERR_DATA);
	assert_null(root);
	assert_string_equal(e.field, field);
	assert_int_equal(e.line, line);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", e.msg, msg);
	fix_close(&f);
	assert_int_equal(mem_live(), live);
}

static void
test_model_errors(void **state)
{
	(void)state;
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017'\n"
	    "problems:\n  - ok\n  - |\n    a\n    {{kpi.C9.value}}\n",
	    "problems", 8, "unknown placeholder 'kpi.C9.value'");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2016'\n",
	    "period", 0, "no kpi records of scope all");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017-01'\n"
	    "charts: {map: C5}\n", "map", 0, "indicator 'C5' is not");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017'\n"
	    "charts: {trend: X}\n", "trend", 0, "indicator 'X' is not");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017'\n"
	    "charts: {dispatched: X}\n", "dispatched", 0, "indicator 'X'");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017'\n"
	    "charts: {table: [C4]}\n", "table", 0, "group 'C4' is not");
	model_refused("name: n\namount: 1\nunit: u\nperiod: '2017'\n"
	    "sections: {basic: '{{kpi.C4}}'}\n", "basic", 5, "is a map");
}

static void
test_inputs(void **state)
{
	char dir[] = "/tmp/test_project.XXXXXX", path[64];
	struct project_opts o;
	struct tmpl_val *root;
	struct fix f;
	struct err e;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.tsv", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("kind\tprogram\tinputs\toutputs\n"
	    "manifest\tgrid-import\taa:10:a.csv;bb:2:b:c.csv\tcc:12:o.tsv\n",
	    fp);
	fclose(fp);
	fix_open(&f, project_src);
	memset(&o, 0, sizeof(o));
	o.inputs = path;
	err_clear(&e);
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), 0);
	assert_string_equal(at(root, "appendix/has_pipeline"), "(true)");
	assert_string_equal(at(root, "appendix/pipeline/0/path"), "a.csv");
	assert_string_equal(at(root, "appendix/pipeline/1/path"), "b:c.csv");
	assert_string_equal(at(root, "appendix/pipeline/1/records"), "2");
	assert_string_equal(at(root, "appendix/pipeline/2/role"), "output");
	assert_string_equal(at(root, "appendix/pipeline/2/sha256"), "cc");
	tmpl_val_free(root);
	unlink(path);
	o.inputs = path;
	assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), ERR_NOINPUT);
	fix_close(&f);
	rmdir(dir);
}

static void
test_format(void **state)
{
	char out[STR_NUM_MAX + 16];

	(void)state;
	project_fmt_actual(out, "rate", "0.845361");
	assert_string_equal(out, "84.5%");
	project_fmt_actual(out, "share", "0.83");
	assert_string_equal(out, "83.0%");
	project_fmt_actual(out, "rate", "1");
	assert_string_equal(out, "100.0%");
	project_fmt_actual(out, "rate", "n/a");
	assert_string_equal(out, "n/a");
	project_fmt_actual(out, "rate", "");
	assert_string_equal(out, "—");
	project_fmt_actual(out, "target%", "0.9");
	assert_string_equal(out, "90%");
	project_fmt_actual(out, "target%", "0.875");
	assert_string_equal(out, "87.5%");
	project_fmt_actual(out, "mean", "212.3456");
	assert_string_equal(out, "212.35");
	project_fmt_actual(out, "count", "388");
	assert_string_equal(out, "388");
	project_fmt_actual(out, "sum", "-3.25");
	assert_string_equal(out, "-3.25");
	assert_int_equal(project_text_width(""), 0);
	assert_int_equal(project_text_width("ab"), 2);
	assert_int_equal(project_text_width("网格a"), 5);
	assert_int_equal(project_text_width("（—）"), 5);
	assert_int_equal(project_text_width("\xff"), 1);
	assert_string_equal(project_kpi_field_name(PK_SCOPE_ID), "scope_id");
	assert_null(project_kpi_field_name(PK_NFIELD));
	assert_null(project_kpi_field_name(-1));
}

static void
test_amount(void **state)
{
	static const char *const cases[][2] = {
		{ "640000", "64" }, { "12345.6", "1.23456" }, { "0.5", "0.00005" },
		{ "10000", "1" }, { "0", "0" }, { "999", "0.0999" },
	};
	struct project_opts o;
	struct tmpl_val *root;
	struct fix f;
	struct err e;
	char src[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(src, sizeof(src), "name: n\namount: %s\nunit: u\n"
		    "period: '2017-01'\n", cases[i][0]);
		fix_open(&f, src);
		memset(&o, 0, sizeof(o));
		err_clear(&e);
		assert_int_equal(project_model(f.p, &f.k, &o, &root, &e), 0);
		assert_string_equal(at(root, "project/amount_wan"), cases[i][1]);
		assert_string_equal(at(root, "report/title"),
		    "2017-01n项目支出绩效评价报告");
		assert_string_equal(at(root, "charts/trend"), "(false)");
		tmpl_val_free(root);
		fix_close(&f);
	}
}

static void
test_rings(void **state)
{
	static const char point[] = "kind\tcode\tlevel\twkt\n"
	    "grid\tx\tgrid\tPOINT (1 1)\n";
	struct grids *g;
	double *xy;
	size_t *rl, nr;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	assert_int_equal(grids_load_mem(&g, grids_src, strlen(grids_src),
	    "g.tsv", NULL, &e), 0);
	/* g1: an outer ring and a hole */
	assert_int_equal(grids_rings(g, 0, &xy, &rl, &nr, &e), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(rl[0], 5);
	assert_int_equal(rl[1], 4);
	assert_true(xy[2] == 1.0 && xy[3] == 0.0);
	assert_true(xy[10] == 0.2 && xy[11] == 0.2);
	mem_free(xy);
	mem_free(rl);
	/* g2: two polygons */
	assert_int_equal(grids_rings(g, 1, &xy, &rl, &nr, &e), 0);
	assert_int_equal(nr, 2);
	assert_true(xy[8] == 1.0 && xy[9] == 0.5);
	mem_free(xy);
	mem_free(rl);
	grids_free(g);
	/* a grid without a polygon */
	assert_int_equal(grids_load_mem(&g, point, strlen(point), "g.tsv",
	    NULL, &e), 0);
	assert_int_equal(grids_rings(g, 0, &xy, &rl, &nr, &e), 0);
	assert_int_equal(nr, 0);
	assert_null(xy);
	assert_null(rl);
	grids_free(g);
	assert_int_equal(mem_live(), live);
}

static void
test_oom(void **state)
{
	struct project_opts o;
	struct tmpl_val *root;
	struct project *p;
	struct project_kpi k;
	struct grids *g;
	struct fix f;
	struct err e;
	long live = mem_live(), n;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		rc = load(&p, project_src, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_int_equal(mem_live(), live);
	}
	project_free(p);
	for (n = 0;; n++) {
		project_kpi_init(&k);
		mem_fail_after(n);
		rc = read_kpi(&k, kpi_src, &e);
		mem_fail_after(-1);
		project_kpi_free(&k);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
	}
	fix_open(&f, project_src);
	memset(&o, 0, sizeof(o));
	o.grids = f.g;
	o.svg = true;
	o.files = files;
	o.nfiles = 2;
	live = mem_live();
	for (n = 0;; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = project_model(f.p, &f.k, &o, &root, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_null(root);
		assert_int_equal(mem_live(), live);
	}
	tmpl_val_free(root);
	/* grids_rings */
	g = f.g;
	for (n = 0;; n++) {
		double *xy;
		size_t *rl, nr;

		mem_fail_after(n);
		rc = grids_rings(g, 0, &xy, &rl, &nr, &e);
		mem_fail_after(-1);
		if (rc == 0) {
			mem_free(xy);
			mem_free(rl);
			break;
		}
		assert_int_equal(rc, ERR_INTERNAL);
		assert_null(xy);
		assert_int_equal(mem_live(), live);
	}
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_kpi_read),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_model_errors),
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_amount),
		cmocka_unit_test(test_rings),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
