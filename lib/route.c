/* route.c - routing file and the closed-loop judgement; see route.h */
#include "route.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "yamlcfg.h"

#define MAX_FACTOR 1000.0
#define MAX_LIGHT 10.0
#define MAX_CODE 7
#define MAX_SECS (CALENDAR_MAX_DAYS * 86400LL)	/* cap of a scaled limit */

static const char *const level_names[] = {
	"grid", "community", "street", "district"
};
static const char *const step_names[] = {
	"file", "dispatch", "handle", "verify", "close"
};
static const char *const state_names[] = {
	"open", "closed", "suspended", "voided"
};
static const char *const light_names[] = { "", "green", "yellow", "red" };
static const char *const unit_names[] = {
	"work_minutes", "work_hours", "work_days", "hours", "days"
};

static const char *const top_keys[] = {
	"name", "calendar", "light", "steps", "severity", "escalation",
	"departments", "categories", "default", NULL
};
static const char *const light_keys[] = { "green", "yellow", NULL };
static const char *const step_keys[] = {
	"file", "dispatch", "verify", "close", NULL
};
static const char *const limit_keys[] = { "limit", "unit", NULL };
static const char *const stage_keys[] = { "name", "limit", "unit", NULL };
static const char *const sev_keys[] = { "level", "factor", NULL };
static const char *const esc_keys[] = { "from", "to", "after", NULL };
static const char *const dept_keys[] = { "name", "level", NULL };
static const char *const cat_keys[] = {
	"code", "name", "department", "level", "handle", NULL
};
static const char *const def_keys[] = {
	"level", "department", "handle", NULL
};

#define NAME(tab, i) ((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof(tab[0]) \
	? tab[i] : "")

const char *
route_level_name(int level)
{
	return NAME(level_names, level);
}

const char *
route_step_name(int step)
{
	return NAME(step_names, step);
}

const char *
route_state_name(int state)
{
	return NAME(state_names, state);
}

const char *
route_light_name(int light)
{
	return NAME(light_names, light);
}

const char *
route_unit_name(int unit)
{
	return NAME(unit_names, unit);
}

void
route_event_init(struct route_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->reported = ev->filed = ev->dispatched = ev->handled = ROUTE_NONE;
	ev->verified = ev->closed = ev->susp_from = ev->susp_to = ROUTE_NONE;
}

/* ---- loading ---- */

static int
get_level(const struct yamlcfg_node *n, const char *file, const char *key,
    enum route_level *out, struct err *e)
{
	int i = 0, rc;

	if ((rc = yamlcfg_choice(n, file, key, level_names, ROUTE_NLEVELS,
	    "unknown level", &i, e)) != 0)
		return rc;
	*out = (enum route_level)i;
	return 0;
}

/* A string copied into *out (which must be NULL). */
static int
get_strdup(const struct yamlcfg_node *n, const char *file, const char *key,
    char **out, struct err *e)
{
	const char *s;
	int rc;

	if ((rc = yamlcfg_str(n, file, key, &s, e)) != 0)
		return rc;
	if ((*out = mem_strdup(s)) == NULL)
		return err_nomem(e);
	return 0;
}

static bool
is_work(enum route_unit u)
{
	return u == ROUTE_WORK_MINUTES || u == ROUTE_WORK_HOURS ||
	    u == ROUTE_WORK_DAYS;
}

/* A limit {limit, unit} (stage: also name) into *l. */
static int
get_limit(const struct yamlcfg_node *n, const char *file, const char *key,
    bool stage, struct route_limit *l, struct err *e)
{
	static const long long max[] = {
		CALENDAR_MAX_DAYS * 1440LL, CALENDAR_MAX_DAYS * 24LL,
		CALENDAR_MAX_DAYS, CALENDAR_MAX_DAYS * 24LL, CALENDAR_MAX_DAYS
	};
	const struct yamlcfg_node *v;
	int u = 0, rc;

	if ((rc = yamlcfg_check_keys(n, file, stage ? stage_keys : limit_keys,
	    e)) != 0) {
		if (n->type != YAMLCFG_MAP)
			err_at(e, file, n->line, key);
		return rc;
	}
	if (stage && (v = yamlcfg_get(n, "name")) != NULL &&
	    (rc = get_strdup(v, file, "name", &l->name, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(n, file, "limit", &v, e)) != 0 ||
	    (rc = yamlcfg_int(v, file, "limit", &l->n, e)) != 0)
		return rc;
	if (l->n <= 0)
		return yamlcfg_error(e, file, v, "limit",
		    "must be greater than 0");
	if ((rc = yamlcfg_need(n, file, "unit", &v, e)) != 0 ||
	    (rc = yamlcfg_choice(v, file, "unit", unit_names, 5, "unknown unit",
	    &u,
	    e)) != 0)
		return rc;
	l->unit = (enum route_unit)u;
	if (l->n > max[u])
		return yamlcfg_error(e, file, yamlcfg_get(n, "limit"), "limit",
		    "too large");
	return 0;
}

/* handle: one limit, or a sequence of stages. */
static int
get_handle(const struct yamlcfg_node *n, const char *file,
    struct route_category *c, struct err *e)
{
	size_t i, k;
	int rc;

	k = n->type == YAMLCFG_SEQ ? n->n : 1;
	if (k == 0)
		return yamlcfg_error(e, file, n, "handle", "empty sequence");
	if ((c->handle = mem_calloc(k, sizeof *c->handle)) == NULL)
		return err_nomem(e);
	c->nhandle = k;
	if (n->type != YAMLCFG_SEQ)
		return get_limit(n, file, "handle", false, &c->handle[0], e);
	for (i = 0; i < k; i++)
		if ((rc = get_limit(n->items[i], file, "handle", true,
		    &c->handle[i], e)) != 0)
			return rc;
	return 0;
}

static int
load_light(struct route *r, const struct yamlcfg_node *n, const char *file,
    struct err *e)
{
	const struct yamlcfg_node *v;
	double g = 0.8, y = 1.0;
	int rc;

	if ((rc = yamlcfg_check_keys(n, file, light_keys, e)) != 0)
		return rc;
	if ((v = yamlcfg_get(n, "green")) != NULL) {
		if ((rc = yamlcfg_double(v, file, "green", &g, e)) != 0)
			return rc;
		if (!(g > 0 && g <= MAX_LIGHT))
			return yamlcfg_error(e, file, v, "green",
			    "must be greater than 0 and at most 10");
	}
	if ((v = yamlcfg_get(n, "yellow")) != NULL) {
		if ((rc = yamlcfg_double(v, file, "yellow", &y, e)) != 0)
			return rc;
		if (!(y > 0 && y <= MAX_LIGHT))
			return yamlcfg_error(e, file, v, "yellow",
			    "must be greater than 0 and at most 10");
	}
	r->green_ppm = lround(g * 1e6);
	r->yellow_ppm = lround(y * 1e6);
	if (r->green_ppm > r->yellow_ppm)
		return yamlcfg_error(e, file, yamlcfg_get(n, "green") != NULL ?
		    yamlcfg_get(n, "green") : n, "green",
		    "green above yellow");
	return 0;
}

static int
load_steps(struct route *r, const struct yamlcfg_node *n, const char *file,
    struct err *e)
{
	const struct yamlcfg_node *v;
	int s, rc;

	if ((rc = yamlcfg_check_keys(n, file, step_keys, e)) != 0)
		return rc;
	for (s = 0; s < ROUTE_NSTEPS; s++) {
		if (s == ROUTE_HANDLE ||
		    (v = yamlcfg_get(n, step_names[s])) == NULL)
			continue;
		if ((rc = get_limit(v, file, step_names[s], false,
		    &r->step[s], e)) != 0)
			return rc;
		r->has_step[s] = true;
	}
	return 0;
}

static int
load_severity(struct route *r, const struct yamlcfg_node *n,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *m, *v;
	struct route_severity *s;
	enum route_level lv;
	size_t i;
	int rc;

	if (n->type != YAMLCFG_MAP)
		return yamlcfg_error(e, file, n, "severity",
		    "expected a mapping");
	if (n->n > 0 && (r->sev = mem_calloc(n->n, sizeof *r->sev)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n->n; i++) {
		s = &r->sev[r->nsev++];
		s->level = -1;
		s->factor = 1.0;
		if ((s->name = mem_strdup(n->items[2 * i]->str)) == NULL)
			return err_nomem(e);
		m = n->items[2 * i + 1];
		if ((rc = yamlcfg_check_keys(m, file, sev_keys, e)) != 0)
			return rc;
		if ((v = yamlcfg_get(m, "level")) != NULL) {
			if ((rc = get_level(v, file, "level", &lv, e)) != 0)
				return rc;
			s->level = (int)lv;
		}
		if ((v = yamlcfg_get(m, "factor")) != NULL) {
			if ((rc = yamlcfg_double(v, file, "factor", &s->factor,
			    e)) != 0)
				return rc;
			if (!(s->factor > 0))
				return yamlcfg_error(e, file, v, "factor",
				    "must be greater than 0");
			if (s->factor > MAX_FACTOR)
				return yamlcfg_error(e, file, v, "factor",
				    "must be at most 1000");
		}
	}
	return 0;
}

static int
load_escalation(struct route *r, const struct yamlcfg_node *n,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *m, *v;
	enum route_level from, to, prev = ROUTE_GRID;
	size_t i;
	int rc;

	if ((rc = yamlcfg_need_seq(n, file, "escalation", e)) != 0)
		return rc;
	for (i = 0; i < n->n; i++) {
		m = n->items[i];
		if ((rc = yamlcfg_check_keys(m, file, esc_keys, e)) != 0)
			return rc;
		if ((rc = yamlcfg_need(m, file, "from", &v, e)) != 0 ||
		    (rc = get_level(v, file, "from", &from, e)) != 0)
			return rc;
		if (i > 0 && from != prev)
			return yamlcfg_error(e, file, v, "from",
			    "not a chain in ladder order: must start where "
			    "the previous rung ends");
		if ((rc = yamlcfg_need(m, file, "to", &v, e)) != 0 ||
		    (rc = get_level(v, file, "to", &to, e)) != 0)
			return rc;
		if (to != from + 1)
			return yamlcfg_error(e, file, v, "to",
			    "not a chain in ladder order: must be the next "
			    "level up");
		if ((rc = yamlcfg_need(m, file, "after", &v, e)) != 0 ||
		    (rc = get_limit(v, file, "after", false, &r->after[from],
		    e)) != 0)
			return rc;
		r->has_after[from] = true;
		prev = to;
	}
	return 0;
}

static int
cmp_dept(const void *a, const void *b)
{
	const struct route_department *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
load_departments(struct route *r, const struct yamlcfg_node *n,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *m, *v;
	struct route_department *d;
	size_t i, j;
	int rc;

	if ((rc = yamlcfg_need_seq(n, file, "departments", e)) != 0)
		return rc;
	if (n->n > 0 && (r->dept = mem_calloc(n->n, sizeof *r->dept)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n->n; i++) {
		m = n->items[i];
		if ((rc = yamlcfg_check_keys(m, file, dept_keys, e)) != 0)
			return rc;
		if ((rc = yamlcfg_need(m, file, "name", &v, e)) != 0)
			return rc;
		for (j = 0; j < r->ndept; j++)
			if (strcmp(r->dept[j].name, v->str) == 0)
				return yamlcfg_error(e, file, v, "name",
				    "duplicate department");
		d = &r->dept[r->ndept];
		if ((rc = get_strdup(v, file, "name", &d->name, e)) != 0)
			return rc;
		r->ndept++;
		if ((rc = yamlcfg_need(m, file, "level", &v, e)) != 0 ||
		    (rc = get_level(v, file, "level", &d->level, e)) != 0)
			return rc;
	}
	if (r->ndept > 1)
		qsort(r->dept, r->ndept, sizeof *r->dept, cmp_dept);
	return 0;
}

/* A category code: 2, 4, 5, 6 or 7 ASCII digits. */
static bool
valid_code(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return i == 2 || i == 4 || i == 5 || i == 6 || i == 7;
}

/* The parent's code length: 0 for a major class. */
static size_t
parent_len(const char *code)
{
	size_t n = strlen(code);

	return n == 2 ? 0 : n <= 5 ? 2 : n - 2;
}

static int
cmp_catp(const void *a, const void *b)
{
	const struct route_category *x = *(const struct route_category *const *)a;
	const struct route_category *y = *(const struct route_category *const *)b;
	int c = strcmp(x->code, y->code);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * strncmp(a, b, n), then a longer than n bytes counts as greater: the
 * order of a NUL-terminated code a against the code b[0..n).  Inline,
 * since codes are a few bytes and route_find runs for every event.
 */
static int
code_cmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ?
			    -1 : 1;
	return a[i] != '\0';
}

/* Binary search of code[0..n) among sorted categories. */
static const struct route_category *
find_code(const struct route_category *const *v, size_t count,
    const char *code, size_t n)
{
	size_t lo = 0, hi = count, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = code_cmp(v[mid]->code, code, n)) == 0)
			return v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One entry of categories (or default, def set) into *c. */
static int
load_category(struct route_category *c, const struct yamlcfg_node *m,
    const char *file, bool def, struct err *e)
{
	const struct yamlcfg_node *v;
	int rc;

	c->line = m->line;
	c->level = ROUTE_NLEVELS;	/* not set yet */
	if ((rc = yamlcfg_check_keys(m, file, def ? def_keys : cat_keys,
	    e)) != 0) {
		if (m->type != YAMLCFG_MAP)
			err_at(e, file, m->line, def ? "default" :
			    "categories");
		return rc;
	}
	if (!def) {
		if ((rc = yamlcfg_need(m, file, "code", &v, e)) != 0 ||
		    (rc = get_strdup(v, file, "code", &c->code, e)) != 0)
			return rc;
		if (!valid_code(c->code))
			return yamlcfg_error(e, file, v, "code",
			    "must be 2 digits (major class), 4 or 5 (minor "
			    "class), or 6 or 7 (subclass)");
		if ((rc = yamlcfg_need(m, file, "name", &v, e)) != 0 ||
		    (rc = get_strdup(v, file, "name", &c->name, e)) != 0)
			return rc;
	}
	if ((v = yamlcfg_get(m, "department")) != NULL &&
	    (rc = get_strdup(v, file, "department", &c->department, e)) != 0)
		return rc;
	v = yamlcfg_get(m, "level");
	if (def && (rc = yamlcfg_need(m, file, "level", &v, e)) != 0)
		return rc;
	if (v != NULL && (rc = get_level(v, file, "level", &c->level, e)) != 0)
		return rc;
	v = yamlcfg_get(m, "handle");
	if (def && (rc = yamlcfg_need(m, file, "handle", &v, e)) != 0)
		return rc;
	if (v != NULL && (rc = get_handle(v, file, c, e)) != 0)
		return rc;
	return 0;
}

/* Take level and department not set from p (the parent, or default). */
static int
inherit(struct route_category *c, const struct route_category *p,
    struct err *e)
{
	if (c->level == ROUTE_NLEVELS)
		c->level = p->level;
	if (c->department == NULL && p->department != NULL &&
	    (c->department = mem_strdup(p->department)) == NULL)
		return err_nomem(e);
	return 0;
}

static int
load_categories(struct route *r, const struct yamlcfg_node *n,
    const char *file, struct err *e)
{
	const struct route_category **v;
	const struct route_category *p;
	struct route_category *c;
	size_t i, k, plen;
	int pass, rc;

	if ((rc = yamlcfg_need_seq(n, file, "categories", e)) != 0)
		return rc;
	if (n->n == 0)
		return 0;
	if ((r->cat = mem_calloc(n->n, sizeof *r->cat)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n->n; i++) {
		c = &r->cat[r->ncat++];
		if ((rc = load_category(c, n->items[i], file, false, e)) != 0)
			return rc;
	}

	/* Sorted by code: duplicates, parents, and the routing table. */
	if ((v = mem_calloc(r->ncat, sizeof *v)) == NULL)
		return err_nomem(e);
	r->routable = v;
	for (i = 0; i < r->ncat; i++)
		v[i] = &r->cat[i];
	qsort(v, r->ncat, sizeof *v, cmp_catp);
	for (i = 1; i < r->ncat; i++)
		if (strcmp(v[i - 1]->code, v[i]->code) == 0) {
			err_at(e, file, v[i]->line, "code");
			return err_set(e, ERR_DATA, "duplicate category code");
		}
	for (i = 0; i < r->ncat; i++) {
		c = &r->cat[i];
		if ((plen = parent_len(c->code)) > 0 &&
		    find_code(v, r->ncat, c->code, plen) == NULL) {
			err_at(e, file, c->line, "code");
			return err_set(e, ERR_DATA, plen == 2 ?
			    "minor class whose major class is missing" :
			    "subclass whose minor class is missing");
		}
	}

	/* Majors from default, then minors, then subclasses. */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < r->ncat; i++) {
			c = &r->cat[i];
			plen = parent_len(c->code);
			if ((pass == 0) != (plen == 0) ||
			    (pass == 1) != (plen == 2))
				continue;
			p = plen == 0 ? &r->def :
			    find_code(v, r->ncat, c->code, plen);
			if ((rc = inherit(c, p, e)) != 0)
				return rc;
		}

	for (i = k = 0; i < r->ncat; i++)
		if (v[i]->handle != NULL)
			v[k++] = v[i];
	r->nroutable = k;
	return 0;
}

static bool
bare_name(const char *s)
{
	size_t n = strlen(s);

	if (strchr(s, '/') != NULL)
		return false;
	return !(n >= 5 && strcmp(s + n - 5, ".yaml") == 0) &&
	    !(n >= 4 && strcmp(s + n - 4, ".yml") == 0);
}

/* dir (n bytes, may be 0) + "/" when needed + name + ext, owned. */
static char *
join(const char *dir, size_t n, const char *name, const char *ext)
{
	size_t ln = strlen(name), le = strlen(ext);
	bool slash = n > 0 && dir[n - 1] != '/';
	char *p;

	if ((p = mem_alloc(n + slash + ln + le + 1)) == NULL)
		return NULL;
	memcpy(p, dir, n);
	if (slash)
		p[n] = '/';
	memcpy(p + n + slash, name, ln);
	memcpy(p + n + slash + ln, ext, le + 1);
	return p;
}

static int
load_calendar(struct route *r, const struct yamlcfg_node *n,
    const char *file, const char *caldir, struct err *e)
{
	const char *s, *ext, *slash;
	char *path;
	int rc;

	if ((rc = yamlcfg_str(n, file, "calendar", &s, e)) != 0)
		return rc;
	if (s[0] == '\0')
		return yamlcfg_error(e, file, n, "calendar", "empty");
	ext = bare_name(s) ? ".yaml" : "";
	slash = strrchr(file, '/');
	if (s[0] == '/')
		path = join("", 0, s, ext);
	else
		path = join(file, slash != NULL ? (size_t)(slash - file + 1) :
		    0, s, ext);
	if (path == NULL)
		return err_nomem(e);
	rc = calendar_load_file(&r->cal, path, e);
	mem_free(path);
	if (rc == ERR_NOINPUT && s[0] != '/' && caldir != NULL) {
		if ((path = join(caldir, strlen(caldir), s, ext)) == NULL)
			return err_nomem(e);
		err_clear(e);
		rc = calendar_load_file(&r->cal, path, e);
		mem_free(path);
	}
	if (rc == 0)
		r->own_cal = true;
	return rc;
}

static int
load_tree(struct route *r, const struct yamlcfg_node *root, const char *file,
    struct calendar *cal, const char *caldir, struct err *e)
{
	const struct yamlcfg_node *v;
	const char *s;
	int rc;

	if (root == NULL) {
		err_at(e, file, 0, NULL);
		return err_set(e, ERR_DATA, "empty routing file");
	}
	if ((rc = yamlcfg_check_keys(root, file, top_keys, e)) != 0)
		return rc;
	r->green_ppm = 800000;
	r->yellow_ppm = 1000000;
	if ((v = yamlcfg_get(root, "name")) != NULL)
		rc = get_strdup(v, file, "name", &r->name, e);
	else if ((r->name = mem_strdup("")) == NULL)
		rc = err_nomem(e);
	if (rc != 0)
		return rc;
	if ((v = yamlcfg_get(root, "light")) != NULL &&
	    (rc = load_light(r, v, file, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(root, file, "steps", &v, e)) != 0 ||
	    (rc = load_steps(r, v, file, e)) != 0)
		return rc;
	if ((v = yamlcfg_get(root, "severity")) != NULL &&
	    (rc = load_severity(r, v, file, e)) != 0)
		return rc;
	if ((v = yamlcfg_get(root, "escalation")) != NULL &&
	    (rc = load_escalation(r, v, file, e)) != 0)
		return rc;
	if ((v = yamlcfg_get(root, "departments")) != NULL &&
	    (rc = load_departments(r, v, file, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(root, file, "default", &v, e)) != 0 ||
	    (rc = load_category(&r->def, v, file, true, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(root, file, "categories", &v, e)) != 0 ||
	    (rc = load_categories(r, v, file, e)) != 0)
		return rc;
	if (cal != NULL) {
		r->cal = cal;
		if ((v = yamlcfg_get(root, "calendar")) != NULL &&
		    (rc = yamlcfg_str(v, file, "calendar", &s, e)) != 0)
			return rc;
		return 0;
	}
	if ((rc = yamlcfg_need(root, file, "calendar", &v, e)) != 0)
		return rc;
	return load_calendar(r, v, file, caldir, e);
}

static void
free_category(struct route_category *c)
{
	size_t i;

	mem_free(c->code);
	mem_free(c->name);
	mem_free(c->department);
	for (i = 0; i < c->nhandle; i++)
		mem_free(c->handle[i].name);
	mem_free(c->handle);
}

void
route_free(struct route *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncat; i++)
		free_category(&r->cat[i]);
	mem_free(r->cat);
	mem_free(r->routable);
	free_category(&r->def);
	for (i = 0; i < r->nsev; i++)
		mem_free(r->sev[i].name);
	mem_free(r->sev);
	for (i = 0; i < r->ndept; i++)
		mem_free(r->dept[i].name);
	mem_free(r->dept);
	for (i = 0; i < ROUTE_NSTEPS; i++)
		mem_free(r->step[i].name);
	for (i = 0; i < ROUTE_NLEVELS; i++)
		mem_free(r->after[i].name);
	if (r->own_cal)
		calendar_free(r->cal);
	mem_free(r->name);
	mem_free(r->path);
	mem_free(r);
}

static int
finish(struct route **rp, struct yamlcfg_node *root, const char *name,
    struct calendar *cal, const char *caldir, struct err *e)
{
	struct route *r;
	int rc;

	if ((r = mem_calloc(1, sizeof *r)) == NULL ||
	    (r->path = mem_strdup(name)) == NULL) {
		mem_free(r);
		yamlcfg_free(root);
		return err_nomem(e);
	}
	rc = load_tree(r, root, name, cal, caldir, e);
	yamlcfg_free(root);
	if (rc != 0) {
		route_free(r);
		return rc;
	}
	*rp = r;
	return 0;
}

int
route_load_file(struct route **rp, const char *path,
    const char *calendar_dir, struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	*rp = NULL;
	if ((rc = yamlcfg_load_file(&root, path, e)) != 0)
		return rc;
	return finish(rp, root, path, NULL, calendar_dir, e);
}

int
route_load_string(struct route **rp, const char *buf, size_t n,
    const char *name, struct calendar *cal, const char *calendar_dir,
    struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	*rp = NULL;
	if ((rc = yamlcfg_load_string(&root, buf, n, name, e)) != 0)
		return rc;
	return finish(rp, root, name, cal, calendar_dir, e);
}

/* ---- judging ---- */

const struct route_category *
route_find(const struct route *r, const char *code)
{
	const struct route_category *c;
	size_t n;

	if (code == NULL)
		return NULL;
	/* Catalogue codes are digits: a prefix with anything else in it
	 * matches none, so start from the leading digits. */
	for (n = 0; n < MAX_CODE && code[n] >= '0' && code[n] <= '9'; n++)
		continue;
	for (; n >= 2; n--)
		if ((c = find_code(r->routable, r->nroutable, code, n)) != NULL)
			return c;
	return NULL;
}

static const struct route_department *
find_dept(const struct route *r, const char *name)
{
	size_t lo = 0, hi = r->ndept, mid;
	int c;

	if (name == NULL || name[0] == '\0')
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(r->dept[mid].name, name)) == 0)
			return &r->dept[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* strcmp(a, b) == 0 for the short names of an event, without a call. */
static bool
same(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int
data(struct err *e, const char *field, const char *msg, const char *other)
{
	err_at(e, NULL, 0, field);
	if (other != NULL)
		return err_set(e, ERR_DATA, "'%s' before '%s'", msg, other);
	return err_set(e, ERR_DATA, "%s", msg);
}

enum { C_REP, C_FIL, C_DIS, C_HAN, C_VER, C_CLO, C_SF, C_ST, C_N };
static const char *const inst_names[] = {
	"reported", "filed", "dispatched", "handled", "verified", "closed",
	"suspended_from", "suspended_to"
};

/* Contradictions between the event's own fields. */
static int
check(const int64_t *t, bool self, struct err *e)
{
	int64_t max;
	int i, j;

	if (t[C_REP] == ROUTE_NONE)
		return data(e, "reported", "'reported' missing", NULL);
	/* The instants of the chain present in order: the common case. */
	for (max = t[C_REP], j = 1; j <= C_CLO; j++) {
		if (t[j] == ROUTE_NONE)
			continue;
		if (t[j] < max)
			break;
		max = t[j];
	}
	for (j = j <= C_CLO ? 1 : C_CLO + 1; j <= C_CLO; j++)
		for (i = 0; i < j && t[j] != ROUTE_NONE; i++)
			if (t[i] != ROUTE_NONE && t[j] < t[i])
				return data(e, inst_names[j], inst_names[j],
				    inst_names[i]);
	if (self && t[C_DIS] != ROUTE_NONE)
		return data(e, "dispatched",
		    "'dispatched' on a self-handled event", NULL);
	if (t[C_ST] != ROUTE_NONE && t[C_SF] == ROUTE_NONE)
		return data(e, "suspended_to",
		    "'suspended_to' without 'suspended_from'",
		    NULL);
	if (t[C_SF] == ROUTE_NONE)
		return 0;
	if (t[C_SF] < t[C_REP])
		return data(e, "suspended_from", "suspended_from", "reported");
	if (t[C_ST] != ROUTE_NONE && t[C_ST] < t[C_SF])
		return data(e, "suspended_to", "suspended_to", "suspended_from");
	if (t[C_CLO] != ROUTE_NONE && t[C_CLO] < t[C_SF])
		return data(e, "closed", "closed", "suspended_from");
	if (t[C_CLO] != ROUTE_NONE && t[C_ST] != ROUTE_NONE &&
	    t[C_CLO] < t[C_ST])
		return data(e, "closed", "closed", "suspended_to");
	return 0;
}

/* What a judgement needs besides the route. */
struct judge {
	const struct route *r;
	double factor;
	int64_t sf, st;		/* suspension; st ROUTE_NONE while open */
};

/*
 * The limit l in seconds (working or plain), unscaled, as limit_secs
 * gives it when the limit fits in the calendar: calendar_add_workdays(start,
 * n) is calendar_add_worked(start, n * day seconds) (calendar.h), whose W
 * lies exactly that many working seconds after W(start), so work_days are
 * n * day seconds from any start.
 */
static int64_t
plain_secs(const struct judge *j, const struct route_limit *l)
{
	int64_t s;

	switch (l->unit) {
	case ROUTE_WORK_MINUTES:
		s = l->n * 60;
		break;
	case ROUTE_WORK_HOURS:
	case ROUTE_HOURS:
		s = l->n * 3600;
		break;
	case ROUTE_WORK_DAYS:
		s = l->n * calendar_day_seconds(j->r->cal);
		break;
	default:
		s = l->n * 86400;
		break;
	}
	return s;
}

/*
 * The limit l from start in seconds (working or plain), scaled; for
 * work_days an error when the days run past the calendar.  When the due
 * is known on the way (work_days, unscaled), *due gets it, else
 * ROUTE_NONE.
 */
static int
limit_secs(const struct judge *j, const struct route_limit *l, double factor,
    int64_t start, int64_t *secs, int64_t *due, struct err *e)
{
	int64_t s, t = ROUTE_NONE;
	int rc;

	if (l->unit == ROUTE_WORK_DAYS && (rc = calendar_add_workdays(j->r->cal,
	    start, (long)l->n, &t, e)) != 0)
		return rc;
	s = plain_secs(j, l);
	if (factor != 1.0) {
		s = llround((double)s * factor);
		if (s < 1)
			s = 1;
		t = ROUTE_NONE;
	}
	if (s > MAX_SECS) {
		s = MAX_SECS;
		t = ROUTE_NONE;
	}
	*secs = s;
	*due = t;
	return 0;
}

/* Time from t0 to t1 (t0 <= t1), working or plain; covered instants. */
static int64_t
span(const struct judge *j, bool work, int64_t t0, int64_t t1)
{
	int64_t s = 0;

	if (t1 <= t0)
		return 0;
	if (!work)
		return t1 - t0;
	(void)calendar_worked(j->r->cal, t0, t1, &s, NULL);
	return s;
}

/* Time used from start to t, less the suspension when susp is set. */
static int64_t
used(const struct judge *j, bool work, bool susp, int64_t start, int64_t t)
{
	int64_t u = span(j, work, start, t), a, b;

	if (susp && j->sf != ROUTE_NONE) {
		a = j->sf > start ? j->sf : start;
		b = j->st != ROUTE_NONE && j->st < t ? j->st : t;
		if (b > a)
			u -= span(j, work, a, b);
	}
	return u;
}

/*
 * Whether the time used by a step without suspension, from its start to
 * at, is past its limit L, given its due (the earliest instant at which
 * the time used reaches L; W does not decrease): not when at <= due, and
 * else when some time passes between the due and at.  The same answer as
 * used(start, at) > L, with fewer questions to the calendar.
 */
static bool
past(const struct judge *j, bool work, int64_t due, int64_t at)
{
	int64_t w = 0;

	if (at <= due)
		return false;
	if (!work)
		return true;
	(void)calendar_worked(j->r->cal, due, at, &w, NULL);
	return w > 0;
}

/* The earliest instant at which the time used reaches L, or ROUTE_NONE
 * while an open suspension holds the clock; known: that instant without
 * the suspension when limit_secs found it, else ROUTE_NONE. */
static int
due_at(const struct judge *j, bool work, bool susp, int64_t start,
    int64_t L, int64_t known, int64_t *due)
{
	int64_t s0, u0;

	if (!work)
		*due = start + L;
	else if (known != ROUTE_NONE)
		*due = known;
	else if (calendar_add_worked(j->r->cal, start, L, due, NULL) != 0)
		return ERR_DATA;
	if (!susp || j->sf == ROUTE_NONE)
		return 0;
	s0 = j->sf > start ? j->sf : start;
	if (*due <= s0 || (j->st != ROUTE_NONE && j->st <= s0))
		return 0;
	if (j->st == ROUTE_NONE) {
		*due = ROUTE_NONE;
		return 0;
	}
	u0 = span(j, work, start, s0);
	if (!work)
		*due = j->st + (L - u0);
	else if (calendar_add_worked(j->r->cal, j->st, L - u0, due, NULL) != 0)
		return ERR_DATA;
	return 0;
}

int
route_judge(const struct route *r, const struct route_event *ev,
    int64_t asof, struct route_result *out, struct err *e)
{
	const struct route_category *c;
	const struct route_department *d;
	const struct route_limit *lim;
	struct judge j;
	int64_t t[C_N], start[ROUTE_NSTEPS], end[ROUTE_NSTEPS];
	int64_t L, due, known, at, u, uu;
	bool later, work, hwork = false, over;
	size_t i;
	int s, k, last, rc;

	memset(out, 0, sizeof *out);
	for (s = 0; s < ROUTE_NSTEPS; s++) {
		out->due[s] = ROUTE_NONE;
		out->ontime[s] = -1;
	}
	out->handle_used_secs = out->handle_limit_secs = ROUTE_NONE;
	t[C_REP] = ev->reported;
	t[C_FIL] = ev->filed;
	t[C_DIS] = ev->dispatched;
	t[C_HAN] = ev->handled;
	t[C_VER] = ev->verified;
	t[C_CLO] = ev->closed;
	t[C_SF] = ev->susp_from;
	t[C_ST] = ev->susp_to;
	if ((rc = check(t, ev->self_handled, e)) != 0)
		return rc;

	/* The route. */
	j.r = r;
	j.factor = 1.0;
	j.sf = ev->susp_from;
	j.st = ev->susp_to;
	if ((c = route_find(r, ev->category)) == NULL) {
		c = &r->def;
		out->route_default = true;
	} else {
		out->category_code = c->code;
		out->category_name = c->name;
	}
	out->level = c->level;
	out->department = c->department;
	if (ev->severity != NULL && ev->severity[0] != '\0')
		for (i = 0; i < r->nsev; i++)
			if (same(r->sev[i].name, ev->severity)) {
				if (r->sev[i].level > (int)out->level)
					out->level = (enum route_level)
					    r->sev[i].level;
				j.factor = r->sev[i].factor;
				break;
			}
	out->handled_level = out->level;
	d = find_dept(r, ev->department);
	if (ev->self_handled)
		out->handled_level = ROUTE_GRID;
	else if (d != NULL)
		out->handled_level = d->level;

	if (ev->voided)
		out->state = ROUTE_VOIDED;
	else if (ev->closed != ROUTE_NONE)
		out->state = ROUTE_CLOSED;
	else if (ev->susp_from != ROUTE_NONE && ev->susp_to == ROUTE_NONE)
		out->state = ROUTE_SUSPENDED;
	else
		out->state = ROUTE_OPEN;
	if (out->state == ROUTE_VOIDED) {
		out->escalated = out->handled_level > out->level;
		return 0;
	}

	for (k = 0; k < C_N; k++)
		if (t[k] != ROUTE_NONE && !calendar_covers(r->cal, t[k]))
			return data(e, inst_names[k], "outside the calendar",
			    NULL);
	if (out->state == ROUTE_CLOSED)
		asof = ROUTE_NONE;
	if (asof != ROUTE_NONE) {
		if (!calendar_covers(r->cal, asof))
			return data(e, "asof", "outside the calendar", NULL);
		for (k = 0; k < C_N; k++)
			if (t[k] != ROUTE_NONE && asof < t[k])
				return data(e, "asof", "asof", inst_names[k]);
	}

	/* The last instant of the chain present (reported is). */
	for (last = C_CLO; t[last] == ROUTE_NONE; last--)
		continue;

	/* The steps: start and end instants. */
	start[ROUTE_FILE] = ev->reported;
	end[ROUTE_FILE] = ev->filed;
	start[ROUTE_DISPATCH] = ev->self_handled ? ROUTE_NONE : ev->filed;
	end[ROUTE_DISPATCH] = ev->dispatched;
	if (ev->dispatched != ROUTE_NONE)
		start[ROUTE_HANDLE] = ev->dispatched;
	else if (ev->self_handled || ev->handled != ROUTE_NONE)
		start[ROUTE_HANDLE] = ev->filed != ROUTE_NONE ? ev->filed :
		    ev->reported;
	else
		start[ROUTE_HANDLE] = ROUTE_NONE;
	end[ROUTE_HANDLE] = ev->handled;
	start[ROUTE_VERIFY] = ev->handled;
	end[ROUTE_VERIFY] = ev->verified;
	start[ROUTE_CLOSE] = ev->verified;
	end[ROUTE_CLOSE] = ev->closed;

	for (s = 0; s < ROUTE_NSTEPS; s++) {
		bool susp = s == ROUTE_HANDLE;

		lim = s == ROUTE_HANDLE ? &c->handle[c->nhandle - 1] :
		    r->has_step[s] ? &r->step[s] : NULL;
		if (lim == NULL || start[s] == ROUTE_NONE)
			continue;
		work = is_work(lim->unit);
		if (limit_secs(&j, lim, j.factor, start[s], &L, &known,
		    e) != 0 ||
		    due_at(&j, work, susp, start[s], L, known, &due) != 0)
			return data(e, step_names[s], "due outside the calendar",
			    NULL);
		out->due[s] = due;
		/* A later instant of the chain: this step was skipped. */
		later = s + 2 <= last;
		at = end[s] != ROUTE_NONE ? end[s] : later ? ROUTE_NONE : asof;
		if (s == ROUTE_HANDLE)
			out->handle_limit_secs = L;
		if (at == ROUTE_NONE)
			continue;
		if (susp) {
			u = used(&j, work, true, start[s], at);
			out->handle_used_secs = u;
			hwork = work;
			over = u > L;
		} else
			over = past(&j, work, due, at);
		if (end[s] != ROUTE_NONE)
			out->ontime[s] = !over;
		else if (over) {
			out->ontime[s] = 0;
			if (out->state == ROUTE_OPEN)
				out->overdue = true;
		}
	}

	/* The light and the ladder, from the handling time used. */
	if (out->handle_used_secs != ROUTE_NONE) {
		u = out->handle_used_secs;
		L = out->handle_limit_secs;
		if (u * 1000000 <= r->green_ppm * L)
			out->light = ROUTE_GREEN;
		else if (u * 1000000 <= r->yellow_ppm * L)
			out->light = ROUTE_YELLOW;
		else
			out->light = ROUTE_RED;
		at = ev->handled != ROUTE_NONE ? ev->handled : asof;
		while (!ev->self_handled && d == NULL &&
		    out->handled_level < ROUTE_DISTRICT &&
		    r->has_after[out->handled_level]) {
			lim = &r->after[out->handled_level];
			work = is_work(lim->unit);
			/*
			 * The time used is the handling's when counted alike.
			 * A rung past the calendar's end is not reached; the
			 * calendar is asked that only when the time used goes
			 * past the rung's limit (limit_secs gives plain_secs
			 * when it succeeds).
			 */
			uu = work == hwork ? u : used(&j, work, true,
			    start[ROUTE_HANDLE], at);
			L = plain_secs(&j, lim);
			if (uu <= (L > MAX_SECS ? MAX_SECS : L) ||
			    limit_secs(&j, lim, 1.0, start[ROUTE_HANDLE], &L,
			    &known, NULL) != 0 || uu <= L)
				break;
			out->handled_level++;
		}
	}
	out->escalated = out->handled_level > out->level;
	return 0;
}
