/* project.c - the project file, its KPI records and the report model; see
 * project.h */
#include "project.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rec.h"
#include "str.h"
#include "strmap.h"
#include "svg.h"
#include "yamlcfg.h"

#define PATH_SEP " › "

static const char *const kpi_fields[PK_NFIELD] = {
	"kind", "period", "scope", "scope_id", "indicator", "name", "path",
	"type", "value", "numerator", "denominator", "target", "weight",
	"score", "grade", "evidence"
};

const char *
project_kpi_field_name(int f)
{
	if (f < 0 || f >= PK_NFIELD)
		return NULL;
	return kpi_fields[f];
}

/* ---- the project file ---- */

static void
text_free(struct project_text *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		mem_free(t->v[i].src);
		tmpl_free(t->v[i].t);
	}
	mem_free(t->v);
	t->v = NULL;
	t->n = 0;
}

void
project_free(struct project *p)
{
	size_t i;

	if (p == NULL)
		return;
	mem_free(p->file);
	mem_free(p->name);
	mem_free(p->amount);
	mem_free(p->department);
	mem_free(p->unit);
	mem_free(p->period);
	mem_free(p->evaluator);
	mem_free(p->date);
	mem_free(p->title);
	text_free(&p->basic);
	text_free(&p->performance);
	text_free(&p->conclusion);
	text_free(&p->problems);
	text_free(&p->improvements);
	mem_free(p->trend.indicator);
	mem_free(p->self_handled.indicator);
	mem_free(p->dispatched.indicator);
	mem_free(p->map.indicator);
	for (i = 0; i < p->ntable; i++)
		mem_free(p->table[i]);
	mem_free(p->table);
	mem_free(p);
}

/* A string value of key in map into *out (copied); "" when absent and not
 * required. */
static int
get_str(const struct project *p, const struct yamlcfg_node *map,
    const char *key, bool required, char **out, struct err *e)
{
	const struct yamlcfg_node *n = yamlcfg_get(map, key);
	const char *s = "";
	int rc;

	if (n == NULL && required) {
		err_at(e, p->file, map->line, key);
		return err_set(e, ERR_DATA, "missing");
	}
	if (n != NULL &&
	    (rc = yamlcfg_str(n, p->file, key, &s, e)) != 0)
		return rc;
	if ((*out = mem_strdup(s)) == NULL)
		return err_nomem(e);
	return 0;
}

/* One paragraph from scalar n: copy and compile it. */
static int
add_para(const struct project *p, struct project_text *t,
    const struct yamlcfg_node *n, const char *key, struct err *e)
{
	struct project_para *v, *para;
	const char *s;
	int rc;

	if ((rc = yamlcfg_str(n, p->file, key, &s, e)) != 0)
		return rc;
	v = mem_reallocarray(t->v, t->n + 1, sizeof(*v));
	if (v == NULL)
		return err_nomem(e);
	t->v = v;
	para = &v[t->n];
	memset(para, 0, sizeof(*para));
	if ((para->src = mem_strdup(s)) == NULL)
		return err_nomem(e);
	para->line = n->line;
	t->n++;
	if ((rc = tmpl_compile(&para->t, s, strlen(s), p->file, NULL,
	    e)) != 0) {
		if (rc == ERR_DATA) {
			e->line = n->line + (e->line > 0 ? e->line - 1 : 0);
			snprintf(e->field, sizeof(e->field), "%s", key);
		}
		return rc;
	}
	return 0;
}

/* A text: one string or a list of strings; absent gives nothing. */
static int
get_text(const struct project *p, const struct yamlcfg_node *map,
    const char *key, struct project_text *t, struct err *e)
{
	const struct yamlcfg_node *n = yamlcfg_get(map, key);
	size_t i;
	int rc;

	if (n == NULL)
		return 0;
	if (n->type == YAMLCFG_SCALAR)
		return n->len == 0 && !n->quoted ? 0 :
		    add_para(p, t, n, key, e);
	if (n->type != YAMLCFG_SEQ) {
		err_at(e, p->file, n->line, key);
		return err_set(e, ERR_DATA, "expected a paragraph or a list "
		    "of paragraphs");
	}
	for (i = 0; i < n->n; i++)
		if ((rc = add_para(p, t, n->items[i], key, e)) != 0)
			return rc;
	return 0;
}

/* The field of a spec ":field" part. */
static int
spec_field(const char *s, size_t n)
{
	if (str_eq(s, n, "value"))
		return PK_VALUE;
	if (str_eq(s, n, "numerator"))
		return PK_NUMERATOR;
	if (str_eq(s, n, "denominator"))
		return PK_DENOMINATOR;
	if (str_eq(s, n, "score"))
		return PK_SCORE;
	return -1;
}

/* parse_spec: "ID[:field]" into sp; -1 when malformed. */
static int
parse_spec(const char *s, struct project_spec *sp)
{
	const char *colon = strrchr(s, ':');
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	sp->field = PK_VALUE;
	if (colon != NULL &&
	    (sp->field = spec_field(colon + 1, strlen(colon + 1))) < 0)
		return -1;
	if (n == 0)
		return -1;
	if ((sp->indicator = mem_strndup(s, n)) == NULL)
		return -2;
	return 0;
}

static int
get_spec(const struct project *p, const struct yamlcfg_node *map,
    const char *key, struct project_spec *sp, struct err *e)
{
	const struct yamlcfg_node *n = yamlcfg_get(map, key);
	const char *s;
	int rc;

	if (n == NULL)
		return 0;
	if ((rc = yamlcfg_str(n, p->file, key, &s, e)) != 0)
		return rc;
	if ((rc = parse_spec(s, sp)) == -2)
		return err_nomem(e);
	if (rc != 0) {
		err_at(e, p->file, n->line, key);
		return err_set(e, ERR_DATA, "expected an indicator id, "
		    "optionally with :value, :numerator, :denominator or "
		    ":score");
	}
	return 0;
}

static const char *const top_keys[] = {
	"name", "amount", "department", "unit", "period", "evaluator", "date",
	"title", "sections", "problems", "improvements", "charts", NULL
};
static const char *const section_keys[] = {
	"basic", "performance", "conclusion", NULL
};
static const char *const chart_keys[] = {
	"trend", "self_handled", "dispatched", "map", "table", NULL
};

static int
load(struct project *p, const struct yamlcfg_node *root, struct err *e)
{
	const struct yamlcfg_node *n, *t;
	char canon[STR_NUM_MAX + 2];
	size_t i;
	int rc;

	if (root == NULL) {
		err_at(e, p->file, 1, NULL);
		return err_set(e, ERR_DATA, "empty project file");
	}
	if ((rc = yamlcfg_check_keys(root, p->file, top_keys, e)) != 0)
		return rc;
	if ((rc = get_str(p, root, "name", true, &p->name, e)) != 0 ||
	    (rc = get_str(p, root, "amount", true, &p->amount, e)) != 0 ||
	    (rc = get_str(p, root, "department", false, &p->department,
	    e)) != 0 ||
	    (rc = get_str(p, root, "unit", true, &p->unit, e)) != 0 ||
	    (rc = get_str(p, root, "period", true, &p->period, e)) != 0 ||
	    (rc = get_str(p, root, "evaluator", false, &p->evaluator,
	    e)) != 0 ||
	    (rc = get_str(p, root, "date", false, &p->date, e)) != 0 ||
	    (rc = get_str(p, root, "title", false, &p->title, e)) != 0)
		return rc;
	n = yamlcfg_get(root, "amount");
	if (strlen(p->amount) >= STR_NUM_MAX ||
	    str_canon_decimal(canon, p->amount, strlen(p->amount)) == 0 ||
	    canon[0] == '-') {
		err_at(e, p->file, n->line, "amount");
		return err_set(e, ERR_DATA, "not an amount in yuan (a plain "
		    "decimal, not negative)");
	}
	mem_free(p->amount);
	if ((p->amount = mem_strdup(canon)) == NULL)
		return err_nomem(e);
	if (p->period[0] == '\0') {
		err_at(e, p->file, yamlcfg_get(root, "period")->line, "period");
		return err_set(e, ERR_DATA, "empty");
	}
	if ((n = yamlcfg_get(root, "sections")) != NULL) {
		if ((rc = yamlcfg_check_keys(n, p->file, section_keys,
		    e)) != 0 ||
		    (rc = get_text(p, n, "basic", &p->basic, e)) != 0 ||
		    (rc = get_text(p, n, "performance", &p->performance,
		    e)) != 0 ||
		    (rc = get_text(p, n, "conclusion", &p->conclusion, e)) != 0)
			return rc;
	}
	if ((rc = get_text(p, root, "problems", &p->problems, e)) != 0 ||
	    (rc = get_text(p, root, "improvements", &p->improvements, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(root, "charts")) == NULL)
		return 0;
	if ((rc = yamlcfg_check_keys(n, p->file, chart_keys, e)) != 0 ||
	    (rc = get_spec(p, n, "trend", &p->trend, e)) != 0 ||
	    (rc = get_spec(p, n, "self_handled", &p->self_handled, e)) != 0 ||
	    (rc = get_spec(p, n, "dispatched", &p->dispatched, e)) != 0 ||
	    (rc = get_spec(p, n, "map", &p->map, e)) != 0)
		return rc;
	if ((t = yamlcfg_get(n, "table")) == NULL)
		return 0;
	if (t->type != YAMLCFG_SEQ) {
		err_at(e, p->file, t->line, "table");
		return err_set(e, ERR_DATA, "expected a list of group ids");
	}
	if ((p->table = mem_calloc(t->n ? t->n : 1, sizeof(char *))) == NULL)
		return err_nomem(e);
	for (i = 0; i < t->n; i++) {
		const char *s;

		if ((rc = yamlcfg_str(t->items[i], p->file, "table", &s,
		    e)) != 0)
			return rc;
		if ((p->table[i] = mem_strdup(s)) == NULL)
			return err_nomem(e);
		p->ntable = i + 1;
	}
	return 0;
}

/* The project of a loaded tree (freed here), its file named name. */
static int
from_tree(struct project **pp, struct yamlcfg_node *root, const char *name,
    struct err *e)
{
	struct project *p;
	int rc;

	if ((p = mem_calloc(1, sizeof(*p))) == NULL ||
	    (p->file = mem_strdup(name)) == NULL) {
		mem_free(p);
		yamlcfg_free(root);
		return err_nomem(e);
	}
	rc = load(p, root, e);
	yamlcfg_free(root);
	if (rc != 0) {
		project_free(p);
		return rc;
	}
	*pp = p;
	return 0;
}

int
project_load_mem(struct project **pp, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct yamlcfg_node *root = NULL;
	int rc;

	*pp = NULL;
	if (name == NULL)
		name = "project";
	if ((rc = yamlcfg_load_string(&root, buf, n, name, e)) != 0)
		return rc;
	return from_tree(pp, root, name, e);
}

int
project_load_file(struct project **pp, const char *path, struct err *e)
{
	struct yamlcfg_node *root = NULL;
	int rc;

	*pp = NULL;
	if ((rc = yamlcfg_load_file(&root, path, e)) != 0)
		return rc;
	return from_tree(pp, root, path, e);
}

/* ---- KPI records ---- */

void
project_kpi_init(struct project_kpi *k)
{
	memset(k, 0, sizeof(*k));
	mem_arena_init(&k->arena);
}

void
project_kpi_free(struct project_kpi *k)
{
	mem_free(k->v);
	mem_arena_free(&k->arena);
	memset(k, 0, sizeof(*k));
}

static int
read_all(struct project_kpi *k, struct rec_reader *r, struct err *e)
{
	long idx[PK_NFIELD];
	struct rec_row row;
	size_t f;
	int rc;

	rec_reader_expect_kind(r, "kpi");
	for (f = 0; f < PK_NFIELD; f++)
		if ((idx[f] = rec_reader_index(r, kpi_fields[f])) < 0) {
			err_at(e, rec_reader_name(r), 1, kpi_fields[f]);
			return err_set(e, ERR_DATA, "no field '%s': not kpi "
			    "records?", kpi_fields[f]);
		}
	while ((rc = rec_read(r, &row, e)) == 1) {
		struct project_kpirow *kr;

		if (k->n == k->cap) {
			size_t nc = k->cap ? 2 * k->cap : 256;
			struct project_kpirow *v = mem_reallocarray(k->v, nc,
			    sizeof(*v));

			if (v == NULL)
				return err_nomem(e);
			k->v = v;
			k->cap = nc;
		}
		kr = &k->v[k->n];
		for (f = 0; f < PK_NFIELD; f++) {
			size_t i = (size_t)idx[f];

			kr->f[f] = mem_arena_strndup(&k->arena, row.v[i],
			    row.len[i]);
			if (kr->f[f] == NULL)
				return err_nomem(e);
		}
		kr->index = k->n++;
	}
	return rc;
}

int
project_kpi_read(struct project_kpi *k, const char *path,
    char sha[HASH_HEX_MAX], unsigned long long *records, struct err *e)
{
	struct rec_reader *r = NULL;
	int rc;

	if ((rc = rec_reader_open(&r, path, sha != NULL, e)) != 0)
		return rc;
	rc = read_all(k, r, e);
	if (rc == 0 && sha != NULL)
		rec_reader_sha256(r, sha);
	if (records != NULL)
		*records = rec_reader_records(r);
	rec_reader_close(r);
	return rc;
}

int
project_kpi_read_mem(struct project_kpi *k, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct rec_reader *r = NULL;
	int rc;

	if ((rc = rec_reader_mem(&r, buf, n, name, e)) != 0)
		return rc;
	rc = read_all(k, r, e);
	rec_reader_close(r);
	return rc;
}

static const char *const scope_order[] = {
	"all", "district", "street", "community", "grid", "worker",
	"department"
};
#define NSCOPE (sizeof(scope_order) / sizeof(scope_order[0]))

static size_t
scope_rank(const char *s)
{
	size_t i;

	for (i = 0; i < NSCOPE; i++)
		if (strcmp(s, scope_order[i]) == 0)
			return i;
	return NSCOPE;
}

static int
cmp_rows(const void *a, const void *b)
{
	const struct project_kpirow *x = a, *y = b;
	size_t rx = scope_rank(x->f[PK_SCOPE]), ry = scope_rank(y->f[PK_SCOPE]);
	int c;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if ((c = strcmp(x->f[PK_SCOPE], y->f[PK_SCOPE])) != 0)
		return c;
	if ((c = strcmp(x->f[PK_PERIOD], y->f[PK_PERIOD])) != 0)
		return c;
	if ((c = strcmp(x->f[PK_SCOPE_ID], y->f[PK_SCOPE_ID])) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

int
project_kpi_sort(struct project_kpi *k, struct err *e)
{
	(void)e;
	if (k->n > 1)
		qsort(k->v, k->n, sizeof(*k->v), cmp_rows);
	return 0;
}

/* ---- formatting ---- */

static bool
is_fraction(const char *type)
{
	return strcmp(type, "rate") == 0 || strcmp(type, "share") == 0;
}

/* The number in s, or NaN ("n/a", "", not a number). */
static double
num(const char *s)
{
	double v;

	if (s == NULL || str_parse_decimal(s, strlen(s), &v) != 0)
		return NAN;
	return v;
}

void
project_fmt_actual(char *out, const char *type, const char *value)
{
	double v;
	size_t n;

	if (value == NULL || value[0] == '\0') {
		strcpy(out, "—");
		return;
	}
	v = num(value);
	if (isnan(v)) {
		n = strlen(value);
		if (n > STR_NUM_MAX)
			n = STR_NUM_MAX;
		memcpy(out, value, n);
		out[n] = '\0';
		return;
	}
	if (is_fraction(type)) {
		n = str_fmt_fixed(out, v * 100.0, 1);
		strcpy(out + n, strchr(out, '.') != NULL ? "%" : ".0%");
	} else if (strcmp(type, "target%") == 0) {
		n = str_fmt_fixed(out, v * 100.0, 2);
		strcpy(out + n, "%");
	} else if (strcmp(type, "mean") == 0 || strcmp(type, "median") == 0)
		str_fmt_fixed(out, v, 2);
	else
		str_fmt_double(out, v, -1);
}

/* The code point at p (bytes in *len; malformed: the byte, len 1). */
static unsigned long
decode(const unsigned char *p, size_t *len)
{
	if ((*p & 0xe0) == 0xc0 && p[1] != '\0') {
		*len = 2;
		return ((unsigned long)(*p & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if ((*p & 0xf0) == 0xe0 && p[1] != '\0' && p[2] != '\0') {
		*len = 3;
		return ((unsigned long)(*p & 0x0f) << 12) |
		    ((unsigned long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
	}
	if ((*p & 0xf8) == 0xf0 && p[1] != '\0' && p[2] != '\0' &&
	    p[3] != '\0') {
		*len = 4;
		return 0x10000;
	}
	*len = 1;
	return *p;
}

/*
 * East Asian wide: Hangul Jamo, CJK and Yi, Hangul syllables,
 * compatibility ideographs, CJK forms, full-width forms, supplementary
 * planes; U+2014 and the like are narrow.
 */
static bool
wide(unsigned long c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || c >= 0x10000;
}

size_t
project_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, n;

	while (*p != '\0') {
		w += wide(decode(p, &n)) ? 2 : 1;
		p += n;
	}
	return w;
}

/*
 * join: a paragraph's line breaks joined as Chinese text wants: a run of
 * spaces and line ends between two wide characters is dropped (YAML's
 * folded style puts a space there), another run holding a line end
 * becomes one space, the rest is kept.
 */
static int
join(const char *s, struct buf *b)
{
	const unsigned char *p = (const unsigned char *)s, *q;
	unsigned long prev = 0;
	size_t n;
	bool nl;

	while (*p != '\0') {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			for (q = p, nl = false; *q == ' ' || *q == '\t' ||
			    *q == '\n' || *q == '\r'; q++)
				nl |= *q == '\n' || *q == '\r';
			if (*q != '\0' && wide(prev) && wide(decode(q, &n)))
				;
			else if (nl && *q != '\0' && p != (const unsigned
			    char *)s) {
				if (buf_addc(b, ' ') != 0)
					return -1;
			} else if (!nl && buf_add(b, p, (size_t)(q - p)) != 0)
				return -1;
			p = q;
			continue;
		}
		prev = decode(p, &n);
		if (buf_add(b, p, n) != 0)
			return -1;
		p += n;
	}
	return buf_grow(b, 0);
}

/* ---- the model ---- */

struct mb {				/* model builder */
	const struct project *p;
	const struct project_kpi *k;
	const struct project_opts *o;
	struct tmpl_val *root;
	struct err *e;
	const struct project_kpirow **all;	/* scope all, the period */
	size_t nall;
	const struct project_kpirow *total;
};

#define NOMEM(x) do { if ((x) != 0) return err_nomem(m->e); } while (0)

/* set key of map to the string s */
static int
set_s(struct tmpl_val *map, const char *key, const char *s)
{
	return tmpl_map_set(map, key, tmpl_val_str(s != NULL ? s : ""));
}

static int
push_s(struct tmpl_val *list, const char *s)
{
	return tmpl_list_push(list, tmpl_val_str(s));
}

/* A copy of s for a table cell: TAB, CR and LF become spaces. */
static char *
cell(const char *s)
{
	char *c = mem_strdup(s != NULL ? s : ""), *q;

	if (c != NULL)
		for (q = c; *q != '\0'; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
	return c;
}

static int
set_cell(struct tmpl_val *map, const char *key, const char *s)
{
	char *c = cell(s);
	int rc;

	if (c == NULL)
		return -1;
	rc = set_s(map, key, c);
	mem_free(c);
	return rc;
}

/* amount / 10000, exact: the decimal point moved four places left. */
static int
wan(const char *canon, struct buf *b)
{
	const char *dot = strchr(canon, '.');
	size_t ip = dot != NULL ? (size_t)(dot - canon) : strlen(canon);
	const char *frac = dot != NULL ? dot + 1 : "";
	struct buf t = BUF_INIT;
	char out[STR_NUM_MAX + 16];
	size_t i;
	int rc = 0;

	/* digits: integer part, then fraction; shift by padding zeros */
	if (ip > 4)
		rc |= buf_add(&t, canon, ip - 4);
	else
		rc |= buf_addc(&t, '0');
	rc |= buf_addc(&t, '.');
	for (i = ip; i < 4; i++)
		rc |= buf_addc(&t, '0');
	rc |= buf_add(&t, canon + (ip > 4 ? ip - 4 : 0), ip > 4 ? 4 : ip);
	rc |= buf_adds(&t, frac);
	if (rc == 0 && t.len < STR_NUM_MAX) {
		if (str_canon_decimal(out, t.p, t.len) == 0)
			strcpy(out, "0");
		rc = buf_adds(b, out);
	} else if (rc == 0)
		rc = buf_adds(b, canon);
	buf_free(&t);
	return rc;
}

static int
build_project(struct mb *m)
{
	const struct project *p = m->p;
	struct tmpl_val *pr = tmpl_val_map(), *rp;
	struct buf b = BUF_INIT;
	size_t i;
	bool year;
	int rc = 0;

	if (tmpl_map_set(m->root, "project", pr) != 0)
		return err_nomem(m->e);
	rc |= set_s(pr, "name", p->name);
	rc |= set_s(pr, "amount", p->amount);
	rc |= wan(p->amount, &b);
	rc |= set_s(pr, "amount_wan", b.p);
	rc |= set_s(pr, "department", p->department);
	rc |= set_s(pr, "unit", p->unit);
	rc |= set_s(pr, "period", p->period);
	rc |= set_s(pr, "evaluator", p->evaluator);
	rc |= set_s(pr, "date", p->date);
	year = strlen(p->period) == 4;
	for (i = 0; year && i < 4; i++)
		year = p->period[i] >= '0' && p->period[i] <= '9';
	buf_reset(&b);
	if (p->title[0] != '\0')
		rc |= buf_adds(&b, p->title);
	else
		rc |= buf_printf(&b, "%s%s%s项目支出绩效评价报告", p->period,
		    year ? "年度" : "", p->name);
	if (rc == 0) {
		rp = tmpl_val_map();
		if (tmpl_map_set(m->root, "report", rp) != 0)
			rc = -1;
		else {
			rc |= set_s(rp, "title", b.p);
			rc |= set_s(rp, "program", "report-render");
		}
	}
	buf_free(&b);
	return rc != 0 ? err_nomem(m->e) : 0;
}

/* The kpi map: id -> fields, a dotted id nested ("C.N" under "C"). */
static int
kpi_fields_into(struct tmpl_val *f, const struct project_kpirow *r)
{
	char buf[STR_NUM_MAX + 16];
	int k;

	for (k = PK_INDICATOR; k < PK_NFIELD; k++)
		if (set_s(f, k == PK_INDICATOR ? "id" : kpi_fields[k],
		    r->f[k]) != 0)
			return -1;
	project_fmt_actual(buf, r->f[PK_TYPE], r->f[PK_VALUE]);
	if (set_s(f, "actual", buf) != 0)
		return -1;
	project_fmt_actual(buf, is_fraction(r->f[PK_TYPE]) ? "target%" : "count",
	    r->f[PK_TARGET]);
	return set_s(f, "target_text", buf);
}

static int
build_kpi(struct mb *m)
{
	struct tmpl_val *kpi = tmpl_val_map();
	size_t i;

	if (tmpl_map_set(m->root, "kpi", kpi) != 0)
		return err_nomem(m->e);
	for (i = 0; i < m->nall; i++) {
		const struct project_kpirow *r = m->all[i];
		const char *id = r->f[PK_INDICATOR], *dot;
		struct tmpl_val *at = kpi, *sub;
		char seg[256];
		size_t n;

		for (;;) {
			dot = strchr(id, '.');
			n = dot != NULL ? (size_t)(dot - id) : strlen(id);
			if (n == 0 || n >= sizeof(seg))
				break;
			memcpy(seg, id, n);
			seg[n] = '\0';
			sub = tmpl_map_get_mut(at, seg);
			if (sub == NULL) {
				if (tmpl_map_set(at, seg, tmpl_val_map()) != 0)
					return err_nomem(m->e);
				sub = tmpl_map_get_mut(at, seg);
			}
			if (tmpl_val_type(sub) != TMPL_MAP)
				break;		/* a field of that name */
			at = sub;
			if (dot == NULL) {
				if (kpi_fields_into(at, r) != 0)
					return err_nomem(m->e);
				break;
			}
			id = dot + 1;
		}
	}
	return 0;
}

/* Depth of a path: 1 + number of separators. */
static int
depth(const char *path)
{
	const char *s = path;
	int d = 1;

	while ((s = strstr(s, PATH_SEP)) != NULL) {
		d++;
		s += sizeof(PATH_SEP) - 1;
	}
	return d;
}

/* Is r under (or equal to) the group whose path is gp? */
static bool
under(const struct project_kpirow *r, const char *gp)
{
	size_t n = strlen(gp);

	return strncmp(r->f[PK_PATH], gp, n) == 0 &&
	    strncmp(r->f[PK_PATH] + n, PATH_SEP, sizeof(PATH_SEP) - 1) == 0;
}

/* One row of the indicator table. */
static int
table_row(struct tmpl_val *rows, struct tmpl_val *flat,
    const struct project_kpirow *r, int d)
{
	struct tmpl_val *row = tmpl_val_map(), *copy;
	char buf[STR_NUM_MAX + 16];
	struct buf ind = BUF_INIT;
	bool group = strcmp(r->f[PK_TYPE], "group") == 0;
	int i, rc = 0;

	if (tmpl_list_push(rows, row) != 0)
		return -1;
	rc |= set_s(row, "id", r->f[PK_INDICATOR]);
	rc |= set_cell(row, "name", r->f[PK_NAME]);
	rc |= tmpl_map_set(row, "depth", tmpl_val_num(d, 0));
	for (i = 1; i < d; i++)
		rc |= buf_adds(&ind, "　");
	rc |= set_s(row, "indent", ind.p != NULL ? ind.p : "");
	buf_free(&ind);
	rc |= tmpl_map_set(row, "is_group", tmpl_val_bool(group));
	rc |= set_s(row, "type", r->f[PK_TYPE]);
	rc |= set_s(row, "value", r->f[PK_VALUE]);
	rc |= set_s(row, "target", r->f[PK_TARGET]);
	rc |= set_s(row, "weight_raw", r->f[PK_WEIGHT]);
	rc |= set_s(row, "score_raw", r->f[PK_SCORE]);
	rc |= set_s(row, "weight", r->f[PK_WEIGHT][0] ? r->f[PK_WEIGHT] : "—");
	rc |= set_s(row, "score", r->f[PK_SCORE][0] ? r->f[PK_SCORE] : "—");
	project_fmt_actual(buf, group ? "count" : r->f[PK_TYPE],
	    group ? "" : r->f[PK_VALUE]);
	rc |= set_s(row, "actual", buf);
	project_fmt_actual(buf, is_fraction(r->f[PK_TYPE]) ? "target%" : "count",
	    r->f[PK_TARGET]);
	rc |= set_s(row, "target_text", buf);
	rc |= set_cell(row, "evidence", r->f[PK_EVIDENCE]);
	if (rc != 0)
		return -1;
	/* the flat list gets a second copy */
	copy = tmpl_val_map();
	if (tmpl_list_push(flat, copy) != 0)
		return -1;
	{
		static const char *const keys[] = { "id", "name", "depth",
		    "indent", "is_group", "type", "value", "target",
		    "weight_raw", "score_raw", "weight", "score", "actual",
		    "target_text", "evidence" };
		size_t k;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const struct tmpl_val *v = tmpl_map_get(row, keys[k]);
			struct tmpl_val *c;

			if (tmpl_val_type(v) == TMPL_BOOL)
				c = tmpl_val_bool(tmpl_val_truth(v));
			else
				c = tmpl_val_str(tmpl_val_cstr(v, NULL));
			if (tmpl_map_set(copy, keys[k], c) != 0)
				return -1;
		}
	}
	return 0;
}

/* Pad the "label" (indent + name) of each flat row to one width. */
static int
pad_labels(struct tmpl_val *flat)
{
	size_t i, w, max = 0;
	struct buf b = BUF_INIT;
	int rc = 0;

	for (i = 0; i < tmpl_list_len(flat); i++) {
		const struct tmpl_val *r = tmpl_list_get(flat, i);

		buf_reset(&b);
		rc |= buf_adds(&b, tmpl_val_cstr(tmpl_map_get(r, "indent"),
		    NULL));
		rc |= buf_adds(&b, tmpl_val_cstr(tmpl_map_get(r, "name"),
		    NULL));
		if (rc == 0 && (w = project_text_width(b.p)) > max)
			max = w;
	}
	for (i = 0; rc == 0 && i < tmpl_list_len(flat); i++) {
		struct tmpl_val *r = (struct tmpl_val *)tmpl_list_get(flat, i);

		buf_reset(&b);
		rc |= buf_adds(&b, tmpl_val_cstr(tmpl_map_get(r, "indent"),
		    NULL));
		rc |= buf_adds(&b, tmpl_val_cstr(tmpl_map_get(r, "name"),
		    NULL));
		for (w = rc == 0 ? project_text_width(b.p) : max; w < max; w++)
			rc |= buf_addc(&b, ' ');
		if (rc == 0)
			rc = set_s(r, "label_pad", b.p);
	}
	buf_free(&b);
	return rc;
}

static int
build_groups(struct mb *m)
{
	struct tmpl_val *groups = tmpl_val_list(), *flat = tmpl_val_list();
	size_t i, j, t, nt;

	if (tmpl_map_set(m->root, "groups", groups) != 0) {
		tmpl_val_free(flat);
		return err_nomem(m->e);
	}
	if (tmpl_map_set(m->root, "indicators", flat) != 0)
		return err_nomem(m->e);
	nt = m->p->ntable;
	for (t = 0; t < (nt ? nt : m->nall); t++) {
		const struct project_kpirow *g = NULL;
		struct tmpl_val *gv, *rows;

		if (nt == 0) {
			g = m->all[t];
			if (strcmp(g->f[PK_TYPE], "group") != 0 ||
			    depth(g->f[PK_PATH]) != 1)
				continue;
		} else {
			for (i = 0; i < m->nall; i++)
				if (strcmp(m->all[i]->f[PK_INDICATOR],
				    m->p->table[t]) == 0 &&
				    strcmp(m->all[i]->f[PK_TYPE], "group") == 0)
					g = m->all[i];
			if (g == NULL) {
				err_at(m->e, m->p->file, 0, "table");
				return err_set(m->e, ERR_DATA, "group '%s' is "
				    "not in the kpi records of the report "
				    "period", m->p->table[t]);
			}
		}
		gv = tmpl_val_map();
		if (tmpl_list_push(groups, gv) != 0)
			return err_nomem(m->e);
		NOMEM(set_s(gv, "id", g->f[PK_INDICATOR]));
		NOMEM(set_cell(gv, "name", g->f[PK_NAME]));
		NOMEM(set_s(gv, "weight", g->f[PK_WEIGHT][0] ?
		    g->f[PK_WEIGHT] : "—"));
		NOMEM(set_s(gv, "score", g->f[PK_SCORE][0] ?
		    g->f[PK_SCORE] : "—"));
		rows = tmpl_val_list();
		if (tmpl_map_set(gv, "rows", rows) != 0)
			return err_nomem(m->e);
		NOMEM(table_row(rows, flat, g, 1));
		for (j = 0; j < m->nall; j++)
			if (m->all[j] != g && under(m->all[j], g->f[PK_PATH]))
				NOMEM(table_row(rows, flat, m->all[j],
				    depth(m->all[j]->f[PK_PATH])));
	}
	NOMEM(pad_labels(flat));
	return 0;
}

static int
build_result(struct mb *m)
{
	struct tmpl_val *r = tmpl_val_map();

	if (tmpl_map_set(m->root, "result", r) != 0)
		return err_nomem(m->e);
	NOMEM(set_s(r, "score", m->total->f[PK_SCORE][0] ?
	    m->total->f[PK_SCORE] : "—"));
	NOMEM(set_s(r, "grade", m->total->f[PK_GRADE][0] ?
	    m->total->f[PK_GRADE] : "—"));
	NOMEM(set_s(r, "weight", m->total->f[PK_WEIGHT]));
	return 0;
}

/* The row of indicator id in the all-block, or NULL. */
static const struct project_kpirow *
all_row(const struct mb *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nall; i++)
		if (strcmp(m->all[i]->f[PK_INDICATOR], id) == 0)
			return m->all[i];
	return NULL;
}

/* A spec must name an indicator of the report period. */
static int
check_spec(const struct mb *m, const struct project_spec *s,
    const char *key, const struct project_kpirow **r)
{
	if ((*r = all_row(m, s->indicator)) == NULL) {
		err_at(m->e, m->p->file, 0, key);
		return err_set(m->e, ERR_DATA, "indicator '%s' is not in the "
		    "kpi records of the report period", s->indicator);
	}
	return 0;
}

/* The chart value of r's field f: fractions times 100. */
static double
chart_value(const struct project_kpirow *r, int f)
{
	double v = num(r->f[f]);

	if (f == PK_VALUE && is_fraction(r->f[PK_TYPE]))
		v *= 100.0;
	return v;
}

/* A value for a data table: "n/a", "—" or the number as shown. */
static void
table_value(char *buf, const struct project_kpirow *r, int f)
{
	if (f == PK_VALUE)
		project_fmt_actual(buf, r->f[PK_TYPE], r->f[PK_VALUE]);
	else
		project_fmt_actual(buf, "count", r->f[f]);
}

static int
add_svg(struct mb *m, struct tmpl_val *c, struct buf *svg)
{
	if (tmpl_map_set(c, "svg", tmpl_val_strn(svg->p != NULL ? svg->p : "",
	    svg->len)) != 0)
		return err_nomem(m->e);
	return 0;
}

static int
chart_title(struct buf *b, const struct project_kpirow *r, int f)
{
	buf_reset(b);
	if (buf_adds(b, r->f[PK_NAME][0] ? r->f[PK_NAME] :
	    r->f[PK_INDICATOR]) != 0)
		return -1;
	if (f != PK_VALUE)
		return buf_printf(b, "（%s）", kpi_fields[f]);
	if (is_fraction(r->f[PK_TYPE]))
		return buf_adds(b, "（%）");
	return 0;
}

static int
build_trend(struct mb *m, struct tmpl_val *charts)
{
	const struct project_spec *s = &m->p->trend;
	const struct project_kpirow *r0, **rows = NULL;
	struct svg_opts so;
	struct buf title = BUF_INIT, svg = BUF_INIT;
	struct tmpl_val *c, *list;
	const char **labels = NULL;
	char (*lab)[16] = NULL, buf[STR_NUM_MAX + 16];
	double *vals = NULL;
	size_t i, n = 0, plen = strlen(m->p->period);
	int rc;

	if (s->indicator == NULL)
		return tmpl_map_set(charts, "trend", tmpl_val_bool(false)) ?
		    err_nomem(m->e) : 0;
	if ((rc = check_spec(m, s, "trend", &r0)) != 0)
		return rc;
	rows = mem_calloc(m->k->n + 1, sizeof(*rows));
	if (rows == NULL)
		return err_nomem(m->e);
	for (i = 0; i < m->k->n; i++) {
		const struct project_kpirow *r = &m->k->v[i];
		const char *per = r->f[PK_PERIOD];

		if (strcmp(r->f[PK_SCOPE], "all") == 0 &&
		    strcmp(r->f[PK_INDICATOR], s->indicator) == 0 &&
		    strlen(per) == plen + 3 &&
		    strncmp(per, m->p->period, plen) == 0 &&
		    per[plen] == '-' && per[plen + 1] >= '0' &&
		    per[plen + 1] <= '9' && per[plen + 2] >= '0' &&
		    per[plen + 2] <= '9')
			rows[n++] = r;
	}
	/* by period (insertion sort: at most a few dozen, stable) */
	for (i = 1; i < n; i++) {
		const struct project_kpirow *t = rows[i];
		size_t j = i;

		while (j > 0 && strcmp(rows[j - 1]->f[PK_PERIOD],
		    t->f[PK_PERIOD]) > 0) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = t;
	}
	c = tmpl_val_map();
	if (tmpl_map_set(charts, "trend", c) != 0)
		goto nomem;
	list = tmpl_val_list();
	lab = mem_calloc(n + 1, sizeof(*lab));
	labels = mem_calloc(n + 1, sizeof(*labels));
	vals = mem_calloc(n + 1, sizeof(*vals));
	if (tmpl_map_set(c, "rows", list) != 0 || lab == NULL ||
	    labels == NULL || vals == NULL ||
	    chart_title(&title, r0, s->field) != 0 ||
	    set_s(c, "title", title.p) != 0 ||
	    set_s(c, "indicator", s->indicator) != 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		struct tmpl_val *row = tmpl_val_map();
		const char *per = rows[i]->f[PK_PERIOD] + plen + 1;

		snprintf(lab[i], sizeof(lab[i]), "%d月",
		    (per[0] - '0') * 10 + (per[1] - '0'));
		labels[i] = lab[i];
		vals[i] = chart_value(rows[i], s->field);
		table_value(buf, rows[i], s->field);
		if (tmpl_list_push(list, row) != 0 ||
		    set_s(row, "label", lab[i]) != 0 ||
		    set_s(row, "period", rows[i]->f[PK_PERIOD]) != 0 ||
		    set_s(row, "value", buf) != 0)
			goto nomem;
	}
	if (m->o->svg) {
		memset(&so, 0, sizeof(so));
		so.title = title.p;
		so.decimals = is_fraction(r0->f[PK_TYPE]) &&
		    s->field == PK_VALUE ? 1 : 0;
		if ((rc = svg_line(&svg, &so, labels, vals, n, m->e)) != 0)
			goto out;
	}
	rc = add_svg(m, c, &svg);
	goto out;
nomem:
	rc = err_nomem(m->e);
out:
	buf_free(&title);
	buf_free(&svg);
	mem_free(rows);
	mem_free(lab);
	mem_free(labels);
	mem_free(vals);
	return rc;
}

/* A street's label: its name in the registry, else its code. */
static const char *
area_label(const struct mb *m, const char *code)
{
	long g;

	if (m->o->grids == NULL || code[0] == '\0')
		return code[0] != '\0' ? code : "（未归属）";
	g = grids_find(m->o->grids, code);
	if (g < 0 || grids_name(m->o->grids, (size_t)g)[0] == '\0')
		return code;
	return grids_name(m->o->grids, (size_t)g);
}

static int
build_streets(struct mb *m, struct tmpl_val *charts)
{
	const struct project_spec *sp[2] = { &m->p->self_handled,
	    &m->p->dispatched };
	static const char *const sname[2] = { "自行处置", "派遣处置" };
	const struct project_kpirow *r0;
	const char **ids = NULL, **labels = NULL, *series[2];
	double *v[2] = { NULL, NULL };
	const double *vv[2];
	struct tmpl_val *c, *list;
	struct svg_opts so;
	struct buf svg = BUF_INIT;
	char buf[STR_NUM_MAX + 16];
	size_t i, j, n = 0, ns = 0, si[2];
	int rc, k;

	for (k = 0; k < 2; k++)
		if (sp[k]->indicator != NULL) {
			if ((rc = check_spec(m, sp[k], k ? "dispatched" :
			    "self_handled", &r0)) != 0)
				return rc;
			si[ns++] = (size_t)k;
		}
	if (ns == 0)
		return tmpl_map_set(charts, "streets", tmpl_val_bool(false)) ?
		    err_nomem(m->e) : 0;
	ids = mem_calloc(m->k->n + 1, sizeof(*ids));
	if (ids == NULL)
		return err_nomem(m->e);
	/* the street ids of the period, sorted, once each */
	for (i = 0; i < m->k->n; i++) {
		const struct project_kpirow *r = &m->k->v[i];

		if (strcmp(r->f[PK_SCOPE], "street") == 0 &&
		    strcmp(r->f[PK_PERIOD], m->p->period) == 0 &&
		    strcmp(r->f[PK_INDICATOR], "total") == 0)
			ids[n++] = r->f[PK_SCOPE_ID];
	}
	for (i = 1; i < n; i++) {
		const char *t = ids[i];

		for (j = i; j > 0 && strcmp(ids[j - 1], t) > 0; j--)
			ids[j] = ids[j - 1];
		ids[j] = t;
	}
	for (i = j = 0; i < n; i++)
		if (j == 0 || strcmp(ids[j - 1], ids[i]) != 0)
			ids[j++] = ids[i];
	n = j;
	labels = mem_calloc(n + 1, sizeof(*labels));
	v[0] = mem_calloc(n + 1, sizeof(double));
	v[1] = mem_calloc(n + 1, sizeof(double));
	if (tmpl_map_set(charts, "streets", c = tmpl_val_map()) != 0 ||
	    tmpl_map_set(c, "rows", list = tmpl_val_list()) != 0 || labels == NULL ||
	    v[0] == NULL || v[1] == NULL ||
	    set_s(c, "title", "各街道事件处置情况") != 0 ||
	    set_s(c, "self_name", sname[0]) != 0 ||
	    set_s(c, "dispatched_name", sname[1]) != 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		struct tmpl_val *row = tmpl_val_map();
		double tot = 0;

		labels[i] = area_label(m, ids[i]);
		if (tmpl_list_push(list, row) != 0 ||
		    set_cell(row, "label", labels[i]) != 0 ||
		    set_s(row, "code", ids[i]) != 0)
			goto nomem;
		for (k = 0; k < 2; k++) {
			const struct project_kpirow *r = NULL;

			v[k][i] = NAN;
			if (sp[k]->indicator != NULL)
				for (j = 0; j < m->k->n && r == NULL; j++) {
					const struct project_kpirow *x =
					    &m->k->v[j];

					if (strcmp(x->f[PK_SCOPE], "street") ==
					    0 && strcmp(x->f[PK_PERIOD],
					    m->p->period) == 0 &&
					    strcmp(x->f[PK_SCOPE_ID], ids[i]) ==
					    0 && strcmp(x->f[PK_INDICATOR],
					    sp[k]->indicator) == 0)
						r = x;
				}
			strcpy(buf, "—");
			if (r != NULL) {
				v[k][i] = num(r->f[sp[k]->field]);
				table_value(buf, r, sp[k]->field);
			}
			if (!isnan(v[k][i]))
				tot += v[k][i];
			if (set_s(row, k ? "dispatched" : "self", buf) != 0)
				goto nomem;
		}
		str_fmt_double(buf, tot, -1);
		if (set_s(row, "total", buf) != 0)
			goto nomem;
	}
	if (m->o->svg) {
		memset(&so, 0, sizeof(so));
		so.title = "各街道事件处置情况";
		so.stacked = true;
		for (k = 0; k < (int)ns; k++) {
			vv[k] = v[si[k]];
			series[k] = sname[si[k]];
		}
		so.series = series;
		if ((rc = svg_bar(&svg, &so, labels, vv, ns, n, m->e)) != 0)
			goto out;
	}
	rc = add_svg(m, c, &svg);
	goto out;
nomem:
	rc = err_nomem(m->e);
out:
	buf_free(&svg);
	mem_free(ids);
	mem_free(labels);
	mem_free(v[0]);
	mem_free(v[1]);
	return rc;
}

static int
build_scores(struct mb *m, struct tmpl_val *charts)
{
	const char **labels = NULL;
	double *sc = NULL, *w = NULL;
	struct tmpl_val *c, *list;
	struct svg_opts so;
	struct buf svg = BUF_INIT;
	size_t i, n = 0;
	int rc;

	labels = mem_calloc(m->nall + 1, sizeof(*labels));
	sc = mem_calloc(m->nall + 1, sizeof(*sc));
	w = mem_calloc(m->nall + 1, sizeof(*w));
	if (tmpl_map_set(charts, "scores", c = tmpl_val_map()) != 0 ||
	    tmpl_map_set(c, "rows", list = tmpl_val_list()) != 0 || labels == NULL ||
	    sc == NULL || w == NULL ||
	    set_s(c, "title", "各指标得分与权重") != 0)
		goto nomem;
	for (i = 0; i < m->nall; i++) {
		const struct project_kpirow *r = m->all[i];
		struct tmpl_val *row;

		if (strcmp(r->f[PK_TYPE], "group") == 0 ||
		    strcmp(r->f[PK_INDICATOR], "total") == 0 ||
		    r->f[PK_WEIGHT][0] == '\0')
			continue;
		labels[n] = r->f[PK_NAME][0] ? r->f[PK_NAME] :
		    r->f[PK_INDICATOR];
		sc[n] = num(r->f[PK_SCORE]);
		w[n] = num(r->f[PK_WEIGHT]);
		row = tmpl_val_map();
		if (tmpl_list_push(list, row) != 0 ||
		    set_cell(row, "label", labels[n]) != 0 ||
		    set_s(row, "score", r->f[PK_SCORE][0] ? r->f[PK_SCORE] :
		    "—") != 0 ||
		    set_s(row, "weight", r->f[PK_WEIGHT]) != 0)
			goto nomem;
		n++;
	}
	if (m->o->svg) {
		memset(&so, 0, sizeof(so));
		so.title = "各指标得分与权重";
		so.decimals = 2;
		so.height = n * 26.0 + 80.0 < 50 ? 50 : n * 26.0 + 80.0;
		if (so.height > 10000)
			so.height = 10000;
		if ((rc = svg_hbar(&svg, &so, labels, sc, w, n, m->e)) != 0)
			goto out;
	}
	rc = add_svg(m, c, &svg);
	goto out;
nomem:
	rc = err_nomem(m->e);
out:
	buf_free(&svg);
	mem_free(labels);
	mem_free(sc);
	mem_free(w);
	return rc;
}

static int
build_map(struct mb *m, struct tmpl_val *charts)
{
	struct project_spec spec = { NULL, PK_VALUE };
	const struct project_spec *s = &m->p->map;
	const struct project_kpirow *r0;
	struct grids *g = m->o->grids;
	struct strmap vals;
	struct svg_poly *polys = NULL;
	struct svg_ring *rings = NULL;
	double **xys = NULL, *values = NULL;
	size_t **rlens = NULL, *nr = NULL, np = 0, i, j, ng = 0, nring = 0;
	bool basic = false;
	const char **labels = NULL;
	struct tmpl_val *c, *list;
	struct svg_opts so;
	struct buf svg = BUF_INIT, title = BUF_INIT;
	char buf[STR_NUM_MAX + 16];
	int rc;

	strmap_init(&vals);
	if (m->o->map != NULL) {
		if ((rc = parse_spec(m->o->map, &spec)) == -2)
			return err_nomem(m->e);
		if (rc != 0) {
			err_at(m->e, NULL, 0, "map");
			return err_set(m->e, ERR_USAGE, "bad --map: expected an "
			    "indicator id, optionally with :field");
		}
		s = &spec;
	}
	if (s->indicator == NULL || g == NULL) {
		mem_free(spec.indicator);
		return tmpl_map_set(charts, "map", tmpl_val_bool(false)) ?
		    err_nomem(m->e) : 0;
	}
	if ((rc = check_spec(m, s, "map", &r0)) != 0)
		goto out;
	/* code -> row index of the grid-scope rows of the indicator */
	for (i = 0; i < m->k->n; i++) {
		const struct project_kpirow *r = &m->k->v[i];
		const char *f = r->f[s->field];

		if (strcmp(r->f[PK_SCOPE], "grid") == 0 &&
		    strcmp(r->f[PK_PERIOD], m->p->period) == 0 &&
		    strcmp(r->f[PK_INDICATOR], s->indicator) == 0 &&
		    (rc = strmap_put(&vals, r->f[PK_SCOPE_ID],
		    strlen(r->f[PK_SCOPE_ID]), f, strlen(f), NULL, NULL,
		    m->e)) != 0)
			goto out;
	}
	ng = grids_count(g);
	polys = mem_calloc(ng + 1, sizeof(*polys));
	xys = mem_calloc(ng + 1, sizeof(*xys));
	rlens = mem_calloc(ng + 1, sizeof(*rlens));
	nr = mem_calloc(ng + 1, sizeof(*nr));
	values = mem_calloc(ng + 1, sizeof(*values));
	labels = mem_calloc(ng + 1, sizeof(*labels));
	if (tmpl_map_set(charts, "map", c = tmpl_val_map()) != 0 ||
	    tmpl_map_set(c, "rows", list = tmpl_val_list()) != 0 || polys == NULL ||
	    xys == NULL || rlens == NULL || nr == NULL || values == NULL ||
	    labels == NULL || chart_title(&title, r0, s->field) != 0 ||
	    set_s(c, "title", title.p) != 0 ||
	    set_s(c, "indicator", s->indicator) != 0)
		goto nomem;
	/* the basic grids (level grid) when the registry has them, for the
	 * KPI rows are theirs; else the leaves */
	for (i = 0; i < ng; i++)
		if (grids_level(g, i) == GRIDS_GRID)
			basic = true;
	for (i = 0; i < ng; i++) {
		long chain[GRIDS_NLEVEL];
		const char *v;
		struct tmpl_val *row;
		struct project_kpirow fake;

		if (basic ? grids_level(g, i) != GRIDS_GRID :
		    !grids_is_leaf(g, i))
			continue;
		if ((rc = grids_rings(g, i, &xys[np], &rlens[np], &nr[np],
		    m->e)) != 0)
			goto out;
		if (nr[np] == 0)
			continue;
		v = strmap_get(&vals, grids_code(g, i),
		    strlen(grids_code(g, i)), NULL);
		if (v == NULL) {	/* a unit: its grid's value */
			grids_chain(g, i, chain);
			if (chain[GRIDS_GRID] >= 0) {
				const char *gc = grids_code(g,
				    (size_t)chain[GRIDS_GRID]);

				v = strmap_get(&vals, gc, strlen(gc), NULL);
			}
		}
		memset(&fake, 0, sizeof(fake));
		for (j = 0; j < PK_NFIELD; j++)
			fake.f[j] = "";
		fake.f[PK_TYPE] = r0->f[PK_TYPE];
		fake.f[s->field] = v;
		values[np] = v != NULL ? chart_value(&fake, s->field) : NAN;
		polys[np].code = grids_code(g, i);
		labels[np] = grids_name(g, i)[0] ? grids_name(g, i) :
		    grids_code(g, i);
		nring += nr[np];
		if (v != NULL)
			table_value(buf, &fake, s->field);
		else
			strcpy(buf, "n/a");
		row = tmpl_val_map();
		if (tmpl_list_push(list, row) != 0 ||
		    set_s(row, "code", grids_code(g, i)) != 0 ||
		    set_cell(row, "name", grids_name(g, i)) != 0 ||
		    set_s(row, "value", buf) != 0)
			goto nomem;
		np++;
	}
	if ((rings = mem_calloc(nring + 1, sizeof(*rings))) == NULL)
		goto nomem;
	for (i = 0, nring = 0; i < np; i++) {
		size_t off = 0;

		polys[i].rings = &rings[nring];
		polys[i].nrings = nr[i];
		for (j = 0; j < nr[i]; j++) {
			rings[nring].xy = xys[i] + 2 * off;
			rings[nring].n = rlens[i][j];
			off += rlens[i][j];
			nring++;
		}
	}
	if (tmpl_map_set(c, "count", tmpl_val_num((double)np, 0)) != 0)
		goto nomem;
	if (m->o->svg) {
		memset(&so, 0, sizeof(so));
		so.title = title.p;
		so.width = 640;
		so.height = 520;
		so.decimals = is_fraction(r0->f[PK_TYPE]) &&
		    s->field == PK_VALUE ? 1 : 2;
		if ((rc = svg_map(&svg, &so, polys, np, values, labels,
		    m->e)) != 0)
			goto out;
	}
	rc = add_svg(m, c, &svg);
	goto out;
nomem:
	rc = err_nomem(m->e);
out:
	for (i = 0; xys != NULL && rlens != NULL && i <= np && i < ng + 1; i++) {
		mem_free(xys[i]);
		mem_free(rlens[i]);
	}
	mem_free(xys);
	mem_free(rlens);
	mem_free(nr);
	mem_free(polys);
	mem_free(rings);
	mem_free(values);
	mem_free(labels);
	buf_free(&svg);
	buf_free(&title);
	strmap_free(&vals);
	mem_free(spec.indicator);
	return rc;
}

/* The appendix: the files of this report, then the pipeline's manifest. */
static int
add_entries(struct mb *m, struct tmpl_val *list, const char *program,
    const char *role, const char *s)
{
	const char *p = s, *end, *c1, *c2;
	struct tmpl_val *row;
	char *t;

	while (*p != '\0') {
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		c1 = memchr(p, ':', (size_t)(end - p));
		c2 = c1 != NULL ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) :
		    NULL;
		if (c2 != NULL) {
			row = tmpl_val_map();
			if (tmpl_list_push(list, row) != 0 ||
			    set_s(row, "program", program) != 0 ||
			    set_s(row, "role", role) != 0 ||
			    tmpl_map_set(row, "sha256", tmpl_val_strn(p,
			    (size_t)(c1 - p))) != 0 ||
			    tmpl_map_set(row, "records", tmpl_val_strn(c1 + 1,
			    (size_t)(c2 - c1 - 1))) != 0 ||
			    (t = mem_strndup(c2 + 1, (size_t)(end - c2 - 1))) ==
			    NULL)
				return err_nomem(m->e);
			if (set_cell(row, "path", t) != 0) {
				mem_free(t);
				return err_nomem(m->e);
			}
			mem_free(t);
		}
		p = *end == ';' ? end + 1 : end;
	}
	return 0;
}

static int
build_appendix(struct mb *m)
{
	static const char *const roles[] = { "inputs", "configs", "outputs",
	    "rejects" };
	static const char *const rname[] = { "input", "config", "output",
	    "rejects" };
	struct tmpl_val *a = tmpl_val_map(), *files, *pipe, *row;
	struct rec_reader *r = NULL;
	struct rec_row rr;
	long prog, idx[4];
	char num[32];
	size_t i;
	int rc, k;

	if (tmpl_map_set(m->root, "appendix", a) != 0 ||
	    tmpl_map_set(a, "files", files = tmpl_val_list()) != 0)
		return err_nomem(m->e);
	for (i = 0; i < m->o->nfiles; i++) {
		const struct project_file *f = &m->o->files[i];

		row = tmpl_val_map();
		if (f->records >= 0)
			str_fmt_int(num, f->records);
		else
			strcpy(num, "");
		if (tmpl_list_push(files, row) != 0 ||
		    set_s(row, "role", f->role) != 0 ||
		    set_cell(row, "path", f->path) != 0 ||
		    set_s(row, "sha256", f->sha256) != 0 ||
		    set_s(row, "records", num) != 0)
			return err_nomem(m->e);
	}
	if (tmpl_map_set(a, "has_pipeline", tmpl_val_bool(m->o->inputs !=
	    NULL)) != 0)
		return err_nomem(m->e);
	if (m->o->inputs == NULL)
		return tmpl_map_set(a, "pipeline", tmpl_val_list()) ?
		    err_nomem(m->e) : 0;
	pipe = tmpl_val_list();
	if (tmpl_map_set(a, "pipeline", pipe) != 0)
		return err_nomem(m->e);
	if ((rc = rec_reader_open(&r, m->o->inputs, false, m->e)) != 0)
		return rc;
	rec_reader_expect_kind(r, "manifest");
	prog = rec_reader_index(r, "program");
	for (k = 0; k < 4; k++)
		idx[k] = rec_reader_index(r, roles[k]);
	if (prog < 0) {
		err_at(m->e, rec_reader_name(r), 1, "program");
		rc = err_set(m->e, ERR_DATA, "no field 'program': not a "
		    "manifest?");
	}
	while (rc == 0 && (rc = rec_read(r, &rr, m->e)) == 1) {
		rc = 0;
		for (k = 0; k < 4 && rc == 0; k++)
			if (idx[k] >= 0)
				rc = add_entries(m, pipe, rr.v[prog], rname[k],
				    rr.v[idx[k]]);
	}
	rec_reader_close(r);
	return rc;
}

static int
fill_text(struct mb *m, struct tmpl_val *into, const char *key,
    const struct project_text *t)
{
	struct tmpl_val *list = tmpl_val_list();
	struct buf b = BUF_INIT, j = BUF_INIT;
	size_t i;
	int rc;

	if (tmpl_map_set(into, key, list) != 0)
		return err_nomem(m->e);
	for (i = 0; i < t->n; i++) {
		buf_reset(&b);
		if ((rc = tmpl_render(t->v[i].t, m->root, TMPL_NONE, &b,
		    m->e)) != 0) {
			if (rc == ERR_DATA) {
				m->e->line = t->v[i].line +
				    (m->e->line > 0 ? m->e->line - 1 : 0);
				snprintf(m->e->field, sizeof(m->e->field), "%s",
				    key);
			}
			buf_free(&b);
			buf_free(&j);
			return rc;
		}
		buf_reset(&j);
		if (join(b.p != NULL ? b.p : "", &j) != 0 ||
		    push_s(list, j.p) != 0) {
			buf_free(&b);
			buf_free(&j);
			return err_nomem(m->e);
		}
	}
	buf_free(&b);
	buf_free(&j);
	return 0;
}

static int
build_text(struct mb *m)
{
	struct tmpl_val *sec = tmpl_val_map();
	int rc;

	if (tmpl_map_set(m->root, "sections", sec) != 0)
		return err_nomem(m->e);
	if ((rc = fill_text(m, sec, "basic", &m->p->basic)) != 0 ||
	    (rc = fill_text(m, sec, "performance", &m->p->performance)) != 0 ||
	    (rc = fill_text(m, sec, "conclusion", &m->p->conclusion)) != 0 ||
	    (rc = fill_text(m, m->root, "problems", &m->p->problems)) != 0)
		return rc;
	return fill_text(m, m->root, "improvements", &m->p->improvements);
}

int
project_model(const struct project *p, const struct project_kpi *k,
    const struct project_opts *o, struct tmpl_val **root, struct err *e)
{
	struct mb m;
	struct tmpl_val *charts;
	size_t i;
	int rc;

	*root = NULL;
	memset(&m, 0, sizeof(m));
	m.p = p;
	m.k = k;
	m.o = o;
	m.e = e;
	if ((m.all = mem_calloc(k->n + 1, sizeof(*m.all))) == NULL)
		return err_nomem(e);
	for (i = 0; i < k->n; i++) {
		const struct project_kpirow *r = &k->v[i];

		if (strcmp(r->f[PK_SCOPE], "all") != 0 ||
		    strcmp(r->f[PK_PERIOD], p->period) != 0)
			continue;
		if (strcmp(r->f[PK_INDICATOR], "total") == 0) {
			if (m.total == NULL)
				m.total = r;
			continue;
		}
		m.all[m.nall++] = r;
	}
	if (m.total == NULL) {
		mem_free(m.all);
		err_at(e, p->file, 0, "period");
		return err_set(e, ERR_DATA, "no kpi records of scope all for "
		    "the report period");
	}
	if ((m.root = tmpl_val_map()) == NULL) {
		mem_free(m.all);
		return err_nomem(e);
	}
	charts = tmpl_val_map();
	if (tmpl_map_set(m.root, "charts", charts) != 0)
		rc = err_nomem(e);
	else if ((rc = build_project(&m)) == 0 &&
	    (rc = build_result(&m)) == 0 &&
	    (rc = build_kpi(&m)) == 0 &&
	    (rc = build_groups(&m)) == 0 &&
	    (rc = build_trend(&m, charts)) == 0 &&
	    (rc = build_streets(&m, charts)) == 0 &&
	    (rc = build_scores(&m, charts)) == 0 &&
	    (rc = build_map(&m, charts)) == 0 &&
	    (rc = build_appendix(&m)) == 0)
		rc = build_text(&m);
	mem_free(m.all);
	if (rc != 0) {
		tmpl_val_free(m.root);
		return rc;
	}
	*root = m.root;
	return 0;
}
