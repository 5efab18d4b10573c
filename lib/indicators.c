/* indicators.c - the indicator file of kpi-score; see indicators.h */
#include "indicators.h"

#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "mem.h"
#include "rec.h"
#include "yamlcfg.h"

#define PATH_SEP " \xe2\x80\xba "	/* " › " */
#define CENT (DEC_SCALE / 100)	/* 0.01 point in millionths */

static const char *const type_names[] = {
	"group", "count", "sum", "rate", "mean", "median", "share", "manual"
};

/* The measure keys of a leaf, indexed by enum ind_type. */
static const char *const measure_keys[] = {
	NULL, "count", "sum", "rate", "mean", "median", "share", "manual"
};

static const char *const top_keys[] = {
	"name", "title", "total", "grades", "times", "scopes", "tree", NULL
};
static const char *const grade_keys[] = { "min", "grade", NULL };
static const char *const group_keys[] = {
	"group", "id", "weight", "items", NULL
};
static const char *const leaf_keys[] = {
	"id", "name", "weight", "target", "direction", "rule",
	"count", "sum", "rate", "mean", "median", "share", "manual", NULL
};
static const char *const count_keys[] = { "kind", "where", NULL };
static const char *const field_keys[] = { "kind", "field", "where", NULL };
static const char *const rate_keys[] = { "numerator", "denominator", NULL };
static const char *const part_keys[] = {
	"kind", "count", "sum", "where", NULL
};
static const char *const share_keys[] = {
	"kind", "entity", "count", "sum", "at_least", "at_most", "where", NULL
};
static const char *const manual_keys[] = {
	"score", "value", "evidence", NULL
};
static const char *const tier_keys[] = {
	"at_least", "at_most", "score", NULL
};
static const char *const rule_keys[] = { "tiers", "linear", NULL };
static const char *const linear_keys[] = { "zero", "full", NULL };

static const struct {
	const char *grade;
	int64_t min;
} default_grades[] = {
	{ "\xe4\xbc\x98", 90 * DEC_SCALE },	/* 优 */
	{ "\xe8\x89\xaf", 80 * DEC_SCALE },	/* 良 */
	{ "\xe4\xb8\xad", 60 * DEC_SCALE },	/* 中 */
	{ "\xe5\xb7\xae", 0 },			/* 差 */
};

/* The state of one load. */
struct ld {
	struct indicators *in;
	const char *file;
	struct err *e;
	size_t corder;		/* capacity of in->order */
	long total_line;	/* where the top weight check is reported */
};

const char *
ind_type_name(enum ind_type t)
{
	if ((int)t < 0 || (size_t)t >= sizeof type_names / sizeof type_names[0])
		return "";
	return type_names[t];
}

/* ---- small checks ---- */

static int
bad(struct ld *l, const struct yamlcfg_node *n, const char *key,
    const char *msg)
{
	err_at(l->e, l->file, n != NULL ? n->line : 0, key);
	return err_set(l->e, ERR_DATA, "%s", msg);
}

/* The value of a required key; a missing key is reported at map's line. */
static int
need(struct ld *l, const struct yamlcfg_node *map, const char *key,
    const struct yamlcfg_node **out)
{
	if ((*out = yamlcfg_get(map, key)) == NULL)
		return bad(l, map, key, "missing");
	return 0;
}

/* An indicator id: [A-Za-z0-9_.-]+; extra: more bytes allowed. */
static bool
is_word(const char *s, const char *extra)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

/* The text of a scalar; nonempty: refuse "". */
static int
get_str(struct ld *l, const struct yamlcfg_node *n, const char *key,
    bool nonempty, const char **out)
{
	int rc;

	if ((rc = yamlcfg_str(n, l->file, key, out, l->e)) != 0)
		return rc;
	if (nonempty && **out == '\0')
		return bad(l, n, key, "empty");
	return 0;
}

/* A copy of a scalar's text. */
static int
dup_str(struct ld *l, const struct yamlcfg_node *n, const char *key,
    bool nonempty, char **out)
{
	const char *s;
	int rc;

	if ((rc = get_str(l, n, key, nonempty, &s)) != 0)
		return rc;
	if ((*out = mem_strdup(s)) == NULL)
		return err_nomem(l->e);
	return 0;
}

/* A copy of a field or kind name. */
static int
dup_name(struct ld *l, const struct yamlcfg_node *n, const char *key,
    char **out)
{
	const char *s;
	int rc;

	if ((rc = get_str(l, n, key, true, &s)) != 0)
		return rc;
	if (!rec_name_valid(s))
		return bad(l, n, key, "expected a name of lowercase letters, "
		    "digits and '_'");
	if ((*out = mem_strdup(s)) == NULL)
		return err_nomem(l->e);
	return 0;
}

/*
 * A number: an exact decimal (dec_parse), or with pct "N%" for N/100.
 * Quoted or plain alike.
 */
static int
get_num(struct ld *l, const struct yamlcfg_node *n, const char *key,
    bool pct, int64_t *out)
{
	const char *s;
	size_t len;
	int64_t v;
	int rc;

	if ((rc = get_str(l, n, key, false, &s)) != 0)
		return rc;
	len = strlen(s);
	if (pct && len > 1 && s[len - 1] == '%') {
		if (dec_parse(s, len - 1, &v) != 0)
			return bad(l, n, key, "expected a number or a "
			    "percentage");
		*out = dec_div(v, 100 * DEC_SCALE);
		return 0;
	}
	if (dec_parse(s, len, &v) != 0)
		return bad(l, n, key, pct ? "expected a number or a percentage" :
		    "expected a number");
	*out = v;
	return 0;
}

static int
get_nonneg(struct ld *l, const struct yamlcfg_node *n, const char *key,
    int64_t *out)
{
	int rc;

	if ((rc = get_num(l, n, key, false, out)) != 0)
		return rc;
	if (*out < 0)
		return bad(l, n, key, "must not be negative");
	return 0;
}

static int
need_seq(struct ld *l, const struct yamlcfg_node *n, const char *key)
{
	if (n->type != YAMLCFG_SEQ)
		return bad(l, n, key, "expected a sequence");
	if (n->n == 0)
		return bad(l, n, key, "empty");
	return 0;
}

/* ---- the nodes ---- */

static void
free_counter(struct ind_counter *c)
{
	mem_free(c->kind);
	mem_free(c->field);
	mem_free(c->where);
	filter_free(c->filter);
}

static void
free_node(struct ind_node *n)
{
	size_t i;

	mem_free(n->id);
	mem_free(n->name);
	mem_free(n->path);
	mem_free(n->item);
	free_counter(&n->num);
	free_counter(&n->den);
	for (i = 0; i < n->nentity; i++)
		mem_free(n->entity[i]);
	mem_free(n->entity);
	mem_free(n->evidence);
	mem_free(n->tier);
	mem_free(n);
}

void
ind_free(struct indicators *in)
{
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; i < in->norder; i++)
		free_node(in->order[i]);
	mem_free(in->order);
	for (i = 0; i < in->ngrade; i++)
		mem_free(in->grade[i].grade);
	mem_free(in->grade);
	for (i = 0; i < in->nscope; i++) {
		mem_free(in->scope[i].a);
		mem_free(in->scope[i].b);
		mem_free(in->scope[i].field);
	}
	mem_free(in->scope);
	for (i = 0; i < in->ntime; i++) {
		mem_free(in->time[i].a);
		mem_free(in->time[i].b);
		mem_free(in->time[i].field);
	}
	mem_free(in->time);
	mem_free(in->name);
	mem_free(in->title);
	mem_free(in->path);
	mem_free(in);
}

/*
 * A new node, already in in->order (so that ind_free frees it whatever
 * happens next) and in parent's items.
 */
static int
new_node(struct ld *l, struct ind_node *parent, size_t nitems,
    struct ind_node **out)
{
	struct indicators *in = l->in;
	struct ind_node *n, **o;
	size_t c;

	if (in->norder == l->corder) {
		c = l->corder ? 2 * l->corder : 16;
		if ((o = mem_reallocarray(in->order, c, sizeof *o)) == NULL)
			return err_nomem(l->e);
		in->order = o;
		l->corder = c;
	}
	if ((n = mem_calloc(1, sizeof *n)) == NULL)
		return err_nomem(l->e);
	in->order[in->norder++] = n;
	n->direction = 1;
	if (parent != NULL) {
		if (parent->item == NULL && (parent->item =
		    mem_calloc(nitems, sizeof *parent->item)) == NULL)
			return err_nomem(l->e);
		parent->item[parent->nitem++] = n;
		n->parent = parent;
		n->depth = parent->depth + 1;
	}
	*out = n;
	return 0;
}

/* ---- measures ---- */

static int
load_where(struct ld *l, const struct yamlcfg_node *map,
    struct ind_counter *c)
{
	const struct yamlcfg_node *v;
	int rc;

	if ((v = yamlcfg_get(map, "where")) == NULL)
		return 0;
	if ((rc = dup_str(l, v, "where", false, &c->where)) != 0)
		return rc;
	if ((rc = filter_parse(&c->filter, c->where, strlen(c->where),
	    l->e)) != 0) {
		err_at(l->e, l->file, v->line, "where");
		return rc;
	}
	return 0;
}

/* kind, the optional field (key fkey, NULL: none) and where. */
static int
load_counter(struct ld *l, const struct yamlcfg_node *map,
    const char *fkey, struct ind_counter *c)
{
	const struct yamlcfg_node *v;
	int rc;

	if ((rc = need(l, map, "kind", &v)) != 0 ||
	    (rc = dup_name(l, v, "kind", &c->kind)) != 0)
		return rc;
	if (fkey != NULL && ((rc = need(l, map, fkey, &v)) != 0 ||
	    (rc = dup_name(l, v, fkey, &c->field)) != 0))
		return rc;
	return load_where(l, map, c);
}

/* count: true or sum: FIELD, exactly one; then kind and where. */
static int
load_count_sum(struct ld *l, const struct yamlcfg_node *map,
    struct ind_counter *c)
{
	const struct yamlcfg_node *cnt, *sum;
	bool b;
	int rc;

	cnt = yamlcfg_get(map, "count");
	sum = yamlcfg_get(map, "sum");
	if ((cnt == NULL) == (sum == NULL))
		return bad(l, cnt != NULL ? sum : map, cnt != NULL ? "sum" :
		    "count", "expected one of count: true and sum: FIELD");
	if (cnt != NULL) {
		if ((rc = yamlcfg_bool(cnt, l->file, "count", &b, l->e)) != 0)
			return rc;
		if (!b)
			return bad(l, cnt, "count", "expected true");
	}
	return load_counter(l, map, sum != NULL ? "sum" : NULL, c);
}

/* A share's entity key: a part or a sequence of parts. */
static int
load_entity(struct ld *l, struct ind_node *n, const struct yamlcfg_node *v)
{
	const struct yamlcfg_node *p;
	const char *s, *f;
	size_t i, cnt;
	int rc;

	cnt = v->type == YAMLCFG_SEQ ? v->n : 1;
	if (v->type == YAMLCFG_SEQ && (rc = need_seq(l, v, "entity")) != 0)
		return rc;
	if ((n->entity = mem_calloc(cnt, sizeof *n->entity)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < cnt; i++) {
		p = v->type == YAMLCFG_SEQ ? v->items[i] : v;
		if ((rc = get_str(l, p, "entity", true, &s)) != 0)
			return rc;
		f = s;
		if (strncmp(s, "day:", 4) == 0)
			f = s + 4;
		else if (strncmp(s, "month:", 6) == 0)
			f = s + 6;
		if (!rec_name_valid(f))
			return bad(l, p, "entity", "expected a field, "
			    "day:FIELD or month:FIELD");
		if ((n->entity[i] = mem_strdup(s)) == NULL)
			return err_nomem(l->e);
		n->nentity++;
	}
	return 0;
}

static int
load_share(struct ld *l, struct ind_node *n, const struct yamlcfg_node *m)
{
	const struct yamlcfg_node *v, *lo, *hi;
	int rc;

	if ((rc = load_count_sum(l, m, &n->num)) != 0)
		return rc;
	if ((rc = need(l, m, "entity", &v)) != 0 ||
	    (rc = load_entity(l, n, v)) != 0)
		return rc;
	lo = yamlcfg_get(m, "at_least");
	hi = yamlcfg_get(m, "at_most");
	if ((lo == NULL) == (hi == NULL))
		return bad(l, lo != NULL ? hi : m, lo != NULL ? "at_most" :
		    "at_least", "expected one of at_least and at_most");
	n->share_op = lo != NULL ? 1 : -1;
	return get_num(l, lo != NULL ? lo : hi, lo != NULL ? "at_least" :
	    "at_most", true, &n->share_bound);
}

static int
load_manual(struct ld *l, struct ind_node *n, const struct yamlcfg_node *m)
{
	const struct yamlcfg_node *v;
	int rc;

	if ((rc = need(l, m, "evidence", &v)) != 0 ||
	    (rc = dup_str(l, v, "evidence", true, &n->evidence)) != 0)
		return rc;
	if ((v = yamlcfg_get(m, "value")) != NULL) {
		if ((rc = get_num(l, v, "value", true, &n->value)) != 0)
			return rc;
		n->has_value = true;
	}
	v = yamlcfg_get(m, "score");
	if (!n->has_weight) {
		if (v != NULL)
			return bad(l, v, "score", "a score needs a weight");
		return 0;
	}
	if ((rc = need(l, m, "score", &v)) != 0 ||
	    (rc = get_nonneg(l, v, "score", &n->manual_score)) != 0)
		return rc;
	if (n->manual_score > n->weight)
		return bad(l, v, "score", "above the weight");
	return 0;
}

/* The one measure of leaf n (mapping map). */
static int
load_measure(struct ld *l, struct ind_node *n,
    const struct yamlcfg_node *map)
{
	const struct yamlcfg_node *m = NULL, *v;
	const char *key = NULL;
	size_t t;
	int rc;

	for (t = IND_COUNT; t <= IND_MANUAL; t++) {
		if ((v = yamlcfg_get(map, measure_keys[t])) == NULL)
			continue;
		if (m != NULL)
			return bad(l, v, measure_keys[t], "a second measure");
		m = v;
		key = measure_keys[t];
		n->type = (enum ind_type)t;
	}
	if (m == NULL)
		return bad(l, map, "id", "no measure: expected one of count, "
		    "sum, rate, mean, median, share and manual");
	switch (n->type) {
	case IND_COUNT:
		if ((rc = yamlcfg_check_keys(m, l->file, count_keys,
		    l->e)) != 0)
			return rc;
		return load_counter(l, m, NULL, &n->num);
	case IND_SUM:
	case IND_MEAN:
	case IND_MEDIAN:
		if ((rc = yamlcfg_check_keys(m, l->file, field_keys,
		    l->e)) != 0)
			return rc;
		return load_counter(l, m, "field", &n->num);
	case IND_RATE:
		if ((rc = yamlcfg_check_keys(m, l->file, rate_keys,
		    l->e)) != 0)
			return rc;
		if ((rc = need(l, m, "numerator", &v)) != 0 ||
		    (rc = yamlcfg_check_keys(v, l->file, part_keys,
		    l->e)) != 0 ||
		    (rc = load_count_sum(l, v, &n->num)) != 0)
			return rc;
		if ((rc = need(l, m, "denominator", &v)) != 0 ||
		    (rc = yamlcfg_check_keys(v, l->file, part_keys,
		    l->e)) != 0 ||
		    (rc = load_count_sum(l, v, &n->den)) != 0)
			return rc;
		return 0;
	case IND_SHARE:
		if ((rc = yamlcfg_check_keys(m, l->file, share_keys,
		    l->e)) != 0)
			return rc;
		return load_share(l, n, m);
	case IND_MANUAL:
		if ((rc = yamlcfg_check_keys(m, l->file, manual_keys,
		    l->e)) != 0)
			return rc;
		return load_manual(l, n, m);
	default:
		break;
	}
	return bad(l, m, key, "unknown measure");
}

/* ---- scoring rules ---- */

static int
load_tiers(struct ld *l, struct ind_node *n, const struct yamlcfg_node *v,
    int *dir)
{
	const struct yamlcfg_node *t, *b, *s;
	const char *bkey;
	size_t i;
	int rc;

	if ((rc = need_seq(l, v, "tiers")) != 0)
		return rc;
	if ((n->tier = mem_calloc(v->n, sizeof *n->tier)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < v->n; i++) {
		t = v->items[i];
		if ((rc = yamlcfg_check_keys(t, l->file, tier_keys,
		    l->e)) != 0)
			return rc;
		b = yamlcfg_get(t, "at_least");
		bkey = "at_least";
		if (b == NULL) {
			b = yamlcfg_get(t, "at_most");
			bkey = "at_most";
		} else if (yamlcfg_get(t, "at_most") != NULL)
			return bad(l, yamlcfg_get(t, "at_most"), "at_most",
			    "expected one of at_least and at_most");
		if (b == NULL)
			return bad(l, t, "at_least", "missing");
		if (i == 0)
			*dir = strcmp(bkey, "at_least") == 0 ? 1 : -1;
		else if ((*dir > 0) != (strcmp(bkey, "at_least") == 0))
			return bad(l, b, bkey, "tiers mix at_least and "
			    "at_most");
		if ((rc = get_num(l, b, bkey, true, &n->tier[i].bound)) != 0)
			return rc;
		if ((rc = need(l, t, "score", &s)) != 0 ||
		    (rc = get_nonneg(l, s, "score", &n->tier[i].score)) != 0)
			return rc;
		if (n->tier[i].score > n->weight)
			return bad(l, s, "score", "above the weight");
		if (i > 0 && (*dir > 0 ?
		    n->tier[i].bound >= n->tier[i - 1].bound :
		    n->tier[i].bound <= n->tier[i - 1].bound))
			return bad(l, b, bkey, *dir > 0 ? "tiers out of order: "
			    "at_least must decrease" : "tiers out of order: "
			    "at_most must increase");
		n->ntier++;
	}
	return 0;
}

static int
load_linear(struct ld *l, struct ind_node *n, const struct yamlcfg_node *v,
    int *dir)
{
	const struct yamlcfg_node *z, *f;
	int64_t d;
	int rc;

	if ((rc = yamlcfg_check_keys(v, l->file, linear_keys, l->e)) != 0)
		return rc;
	if ((rc = need(l, v, "zero", &z)) != 0 ||
	    (rc = get_num(l, z, "zero", true, &n->lin_zero)) != 0 ||
	    (rc = need(l, v, "full", &f)) != 0 ||
	    (rc = get_num(l, f, "full", true, &n->lin_full)) != 0)
		return rc;
	if (n->lin_zero == n->lin_full)
		return bad(l, f, "full", "equal to zero");
	if (__builtin_sub_overflow(n->lin_full, n->lin_zero, &d))
		return bad(l, f, "full", "too far from zero");
	*dir = n->lin_full > n->lin_zero ? 1 : -1;
	return 0;
}

/*
 * target, direction and rule of a leaf that is not manual.  A leaf is
 * scored when it has a weight; it then needs a target (rule ratio, the
 * default) or a tiers or linear rule.  A rule without a weight is refused;
 * a target without a weight is kept for display.
 */
static int
load_scoring(struct ld *l, struct ind_node *n,
    const struct yamlcfg_node *map)
{
	const struct yamlcfg_node *tv, *dv, *rv, *v;
	const char *s;
	int rc, dir = 0;

	if ((tv = yamlcfg_get(map, "target")) != NULL) {
		if ((rc = get_num(l, tv, "target", true, &n->target)) != 0)
			return rc;
		n->has_target = true;
	}
	if ((dv = yamlcfg_get(map, "direction")) != NULL) {
		if ((rc = get_str(l, dv, "direction", false, &s)) != 0)
			return rc;
		if (strcmp(s, "higher") == 0)
			n->direction = 1;
		else if (strcmp(s, "lower") == 0)
			n->direction = -1;
		else
			return bad(l, dv, "direction", "expected higher or "
			    "lower");
	}
	rv = yamlcfg_get(map, "rule");
	if (rv != NULL && !n->has_weight)
		return bad(l, rv, "rule", "a rule needs a weight");
	if (!n->has_weight)
		return 0;
	if (rv == NULL || rv->type == YAMLCFG_SCALAR) {
		if (rv != NULL) {
			if ((rc = get_str(l, rv, "rule", false, &s)) != 0)
				return rc;
			if (strcmp(s, "ratio") != 0)
				return bad(l, rv, "rule", "expected ratio, "
				    "tiers or linear");
		}
		if (tv == NULL)
			return bad(l, map, "target", rv != NULL ? "missing" :
			    "missing: a weighted indicator needs a target "
			    "or a rule");
		if (n->direction > 0 ? n->target <= 0 : n->target < 0)
			return bad(l, tv, "target", n->direction > 0 ?
			    "must be above 0 for the ratio rule" :
			    "must not be negative for the ratio rule");
		n->rule = IND_RULE_RATIO;
		return 0;
	}
	if ((rc = yamlcfg_check_keys(rv, l->file, rule_keys, l->e)) != 0)
		return rc;
	if ((v = yamlcfg_get(rv, "tiers")) != NULL &&
	    yamlcfg_get(rv, "linear") != NULL)
		return bad(l, yamlcfg_get(rv, "linear"), "linear",
		    "expected one of tiers and linear");
	if (v != NULL) {
		n->rule = IND_RULE_TIERS;
		if ((rc = load_tiers(l, n, v, &dir)) != 0)
			return rc;
	} else if ((v = yamlcfg_get(rv, "linear")) != NULL) {
		n->rule = IND_RULE_LINEAR;
		if ((rc = load_linear(l, n, v, &dir)) != 0)
			return rc;
	} else
		return bad(l, rv, "rule", "expected ratio, tiers or linear");
	if (dv != NULL && dir != n->direction)
		return bad(l, dv, "direction", n->rule == IND_RULE_TIERS ?
		    "does not match the tiers (at_least: higher, at_most: "
		    "lower)" : "does not match the linear bounds (full above "
		    "zero: higher)");
	n->direction = dir;
	return 0;
}

/* ---- the tree ---- */

static int load_items(struct ld *, struct ind_node *,
    const struct yamlcfg_node *, const char *);

static int
check_id(struct ld *l, const struct ind_node *n,
    const struct yamlcfg_node *at, const char *key)
{
	size_t i;

	for (i = 0; i < l->in->norder; i++)
		if (l->in->order[i] != n && l->in->order[i]->id != NULL &&
		    strcmp(l->in->order[i]->id, n->id) == 0)
			return bad(l, at, key, "duplicate id");
	return 0;
}

static int
make_path(struct ld *l, struct ind_node *n)
{
	const struct ind_node *p = n->parent;
	size_t a, b;

	if (p == NULL || p->depth == 0) {
		if ((n->path = mem_strdup(n->name)) == NULL)
			return err_nomem(l->e);
		return 0;
	}
	a = strlen(p->path);
	b = strlen(n->name);
	if ((n->path = mem_alloc(a + sizeof PATH_SEP - 1 + b + 1)) == NULL)
		return err_nomem(l->e);
	memcpy(n->path, p->path, a);
	memcpy(n->path + a, PATH_SEP, sizeof PATH_SEP - 1);
	memcpy(n->path + a + sizeof PATH_SEP - 1, n->name, b + 1);
	return 0;
}

static int
load_item(struct ld *l, struct ind_node *parent, size_t nitems,
    const struct yamlcfg_node *map)
{
	const struct yamlcfg_node *g, *v, *at;
	struct ind_node *n;
	const char *s;
	int rc;

	if (map->type != YAMLCFG_MAP)
		return bad(l, map, "tree", "expected a mapping");
	g = yamlcfg_get(map, "group");
	if ((rc = yamlcfg_check_keys(map, l->file, g != NULL ? group_keys :
	    leaf_keys, l->e)) != 0)
		return rc;
	if ((rc = new_node(l, parent, nitems, &n)) != 0)
		return rc;
	n->line = map->line;
	if (g != NULL) {
		n->type = IND_GROUP;
		rc = dup_str(l, g, "group", true, &n->name);
	} else {
		rc = need(l, map, "name", &v);
		if (rc == 0)
			rc = dup_str(l, v, "name", true, &n->name);
	}
	if (rc != 0 || (rc = make_path(l, n)) != 0)
		return rc;
	if ((v = yamlcfg_get(map, "id")) != NULL) {
		if ((rc = get_str(l, v, "id", false, &s)) != 0)
			return rc;
		if (!is_word(s, "_.-"))
			return bad(l, v, "id", "expected letters, digits, '_', "
			    "'.' and '-'");
		if ((n->id = mem_strdup(s)) == NULL)
			return err_nomem(l->e);
		at = v;
	} else if (g != NULL) {
		if ((n->id = mem_strdup(n->path)) == NULL)
			return err_nomem(l->e);
		at = g;
	} else
		return bad(l, map, "id", "missing");
	if ((rc = check_id(l, n, at, at == g ? "group" : "id")) != 0)
		return rc;
	if ((v = yamlcfg_get(map, "weight")) != NULL) {
		if ((rc = get_nonneg(l, v, "weight", &n->weight)) != 0)
			return rc;
		n->has_weight = true;
	}
	if (g != NULL) {
		if ((rc = need(l, map, "items", &v)) != 0)
			return rc;
		return load_items(l, n, v, "items");
	}
	if ((rc = load_measure(l, n, map)) != 0)
		return rc;
	if (n->type == IND_MANUAL) {
		static const char *const scoring[] = {
			"target", "direction", "rule"
		};
		size_t i;

		for (i = 0; i < sizeof scoring / sizeof scoring[0]; i++)
			if ((v = yamlcfg_get(map, scoring[i])) != NULL)
				return bad(l, v, scoring[i],
				    "not for a manual indicator");
		return 0;
	}
	return load_scoring(l, n, map);
}

/*
 * The items of group n (sequence seq), then the weight check: a group with
 * a weight must have items whose weights add up to it; one without takes
 * their sum when any has a weight.
 */
static int
load_items(struct ld *l, struct ind_node *n, const struct yamlcfg_node *seq,
    const char *key)
{
	char a[DEC_MAX_LEN], b[DEC_MAX_LEN];
	int64_t sum = 0;
	bool any = false;
	size_t i;
	int rc;

	if ((rc = need_seq(l, seq, key)) != 0)
		return rc;
	for (i = 0; i < seq->n; i++)
		if ((rc = load_item(l, n, seq->n, seq->items[i])) != 0)
			return rc;
	for (i = 0; i < n->nitem; i++) {
		if (!n->item[i]->has_weight)
			continue;
		any = true;
		if (dec_add(&sum, n->item[i]->weight) != 0)
			return bad(l, seq, key, "weights too large");
	}
	if (!n->has_weight) {
		n->has_weight = any;
		n->weight = sum;
		return 0;
	}
	if (sum == n->weight)
		return 0;
	dec_fmt(a, sum);
	dec_fmt(b, n->weight);
	if (n->depth == 0)
		err_at(l->e, l->file, l->total_line, "total");
	else
		err_at(l->e, l->file, n->line, "weight");
	return err_set(l->e, ERR_DATA, "weights of the %s add up to %s, "
	    "not %s", n->depth == 0 ? "top items" : "items", a, b);
}

static int
load_grades(struct ld *l, const struct yamlcfg_node *v)
{
	struct indicators *in = l->in;
	const struct yamlcfg_node *g, *m;
	size_t i;
	int rc;

	if ((rc = need_seq(l, v, "grades")) != 0)
		return rc;
	if ((in->grade = mem_calloc(v->n, sizeof *in->grade)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < v->n; i++) {
		g = v->items[i];
		if ((rc = yamlcfg_check_keys(g, l->file, grade_keys,
		    l->e)) != 0)
			return rc;
		if ((rc = need(l, g, "min", &m)) != 0 ||
		    (rc = get_num(l, m, "min", false, &in->grade[i].min)) != 0)
			return rc;
		if (i > 0 && in->grade[i].min >= in->grade[i - 1].min)
			return bad(l, m, "min", "grades must decrease");
		if ((rc = need(l, g, "grade", &m)) != 0 ||
		    (rc = dup_str(l, m, "grade", true,
		    &in->grade[i].grade)) != 0)
			return rc;
		in->ngrade++;
	}
	return 0;
}

static int
default_grades_set(struct ld *l)
{
	struct indicators *in = l->in;
	size_t i, n = sizeof default_grades / sizeof default_grades[0];

	if ((in->grade = mem_calloc(n, sizeof *in->grade)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < n; i++) {
		if ((in->grade[i].grade = mem_strdup(default_grades[i].grade))
		    == NULL)
			return err_nomem(l->e);
		in->grade[i].min = default_grades[i].min;
		in->ngrade++;
	}
	return 0;
}

/* One (a, b) -> field entry; b may be NULL; field "" stays "". */
static int
add_map(struct ld *l, struct ind_map *m, size_t *cnt, const char *a,
    const char *b, const char *field)
{
	struct ind_map *x = &m[*cnt];

	if ((x->a = mem_strdup(a)) == NULL ||
	    (b != NULL && (x->b = mem_strdup(b)) == NULL) ||
	    (x->field = mem_strdup(field)) == NULL) {
		mem_free(x->a);
		mem_free(x->b);
		x->a = x->b = NULL;
		return err_nomem(l->e);
	}
	(*cnt)++;
	return 0;
}

/* A key of a mapping as a name ([a-z][a-z0-9_]*). */
static int
key_name(struct ld *l, const struct yamlcfg_node *k, const char *what,
    const char **out)
{
	if (k->len != strlen(k->str) || !rec_name_valid(k->str)) {
		char msg[96];

		(void)snprintf(msg, sizeof msg, "expected a %s name of "
		    "lowercase letters, digits and '_'", what);
		return bad(l, k, what, msg);
	}
	*out = k->str;
	return 0;
}

static int
load_times(struct ld *l, const struct yamlcfg_node *v)
{
	struct indicators *in = l->in;
	const char *kind, *f;
	size_t i;
	int rc;

	if (v->type != YAMLCFG_MAP)
		return bad(l, v, "times", "expected a mapping");
	if ((in->time = mem_calloc(v->n + 1, sizeof *in->time)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < v->n; i++) {
		if ((rc = key_name(l, v->items[2 * i], "kind", &kind)) != 0 ||
		    (rc = get_str(l, v->items[2 * i + 1], kind, false,
		    &f)) != 0)
			return rc;
		if (*f != '\0' && !rec_name_valid(f))
			return bad(l, v->items[2 * i + 1], kind, "expected a "
			    "field name, or empty for timeless");
		if ((rc = add_map(l, in->time, &in->ntime, kind, NULL,
		    f)) != 0)
			return rc;
	}
	return 0;
}

static int
load_scopes(struct ld *l, const struct yamlcfg_node *v)
{
	struct indicators *in = l->in;
	const struct yamlcfg_node *m;
	const char *scope, *kind, *f;
	size_t i, j, cnt = 0;
	int rc;

	if (v->type != YAMLCFG_MAP)
		return bad(l, v, "scopes", "expected a mapping");
	for (i = 0; i < v->n; i++) {
		m = v->items[2 * i + 1];
		if (m->type != YAMLCFG_MAP)
			return bad(l, m, v->items[2 * i]->str,
			    "expected a mapping of kind: field");
		cnt += m->n;
	}
	if ((in->scope = mem_calloc(cnt + 1, sizeof *in->scope)) == NULL)
		return err_nomem(l->e);
	for (i = 0; i < v->n; i++) {
		if ((rc = key_name(l, v->items[2 * i], "scope", &scope)) != 0)
			return rc;
		if (strcmp(scope, "all") == 0)
			return bad(l, v->items[2 * i], "all", "the scope all "
			    "has no field");
		m = v->items[2 * i + 1];
		for (j = 0; j < m->n; j++) {
			if ((rc = key_name(l, m->items[2 * j], "kind",
			    &kind)) != 0 ||
			    (rc = get_str(l, m->items[2 * j + 1], kind, true,
			    &f)) != 0)
				return rc;
			if (!rec_name_valid(f))
				return bad(l, m->items[2 * j + 1], kind,
				    "expected a field name");
			if ((rc = add_map(l, in->scope, &in->nscope, scope,
			    kind, f)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
load_tree(struct ld *l, const struct yamlcfg_node *root)
{
	struct indicators *in = l->in;
	const struct yamlcfg_node *v;
	struct ind_node *r;
	const char *s;
	int rc;

	if (root == NULL)
		return bad(l, NULL, NULL, "no indicators: the file is empty");
	if ((rc = yamlcfg_check_keys(root, l->file, top_keys, l->e)) != 0)
		return rc;
	if ((rc = need(l, root, "name", &v)) != 0 ||
	    (rc = get_str(l, v, "name", true, &s)) != 0)
		return rc;
	if (!is_word(s, "_-") || strpbrk(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		return bad(l, v, "name", "expected lowercase letters, digits, "
		    "'_' and '-'");
	if ((in->name = mem_strdup(s)) == NULL)
		return err_nomem(l->e);
	if ((v = yamlcfg_get(root, "title")) != NULL &&
	    (rc = dup_str(l, v, "title", false, &in->title)) != 0)
		return rc;
	if ((rc = need(l, root, "total", &v)) != 0 ||
	    (rc = get_num(l, v, "total", false, &in->total)) != 0)
		return rc;
	if (in->total <= 0)
		return bad(l, v, "total", "must be above 0");
	l->total_line = v->line;
	if ((v = yamlcfg_get(root, "grades")) != NULL)
		rc = load_grades(l, v);
	else
		rc = default_grades_set(l);
	if (rc != 0)
		return rc;
	if ((v = yamlcfg_get(root, "times")) != NULL &&
	    (rc = load_times(l, v)) != 0)
		return rc;
	if ((v = yamlcfg_get(root, "scopes")) != NULL &&
	    (rc = load_scopes(l, v)) != 0)
		return rc;

	if ((rc = new_node(l, NULL, 0, &r)) != 0)
		return rc;
	in->root = r;
	r->type = IND_GROUP;
	r->line = root->line;
	r->has_weight = true;
	r->weight = in->total;
	if ((r->id = mem_strdup("total")) == NULL ||
	    (r->name = mem_strdup(in->title != NULL && *in->title != '\0' ?
	    in->title : in->name)) == NULL ||
	    (r->path = mem_strdup("")) == NULL)
		return err_nomem(l->e);
	if ((rc = need(l, root, "tree", &v)) != 0)
		return rc;
	return load_items(l, r, v, "tree");
}

static int
finish(struct indicators **ip, struct yamlcfg_node *root, const char *name,
    struct err *e)
{
	struct ld l;
	int rc;

	memset(&l, 0, sizeof l);
	l.e = e;
	if ((l.in = mem_calloc(1, sizeof *l.in)) == NULL ||
	    (l.in->path = mem_strdup(name)) == NULL) {
		mem_free(l.in);
		yamlcfg_free(root);
		return err_nomem(e);
	}
	l.file = l.in->path;
	rc = load_tree(&l, root);
	yamlcfg_free(root);
	if (rc != 0) {
		ind_free(l.in);
		return rc;
	}
	*ip = l.in;
	return 0;
}

int
ind_load_file(struct indicators **ip, const char *path, struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	*ip = NULL;
	if ((rc = yamlcfg_load_file(&root, path, e)) != 0)
		return rc;
	return finish(ip, root, path, e);
}

int
ind_load_string(struct indicators **ip, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	*ip = NULL;
	if ((rc = yamlcfg_load_string(&root, buf, n, name, e)) != 0)
		return rc;
	return finish(ip, root, name, e);
}

/* ---- queries ---- */

const struct ind_node *
ind_find(const struct indicators *in, const char *id)
{
	size_t i;

	if (in == NULL || id == NULL)
		return NULL;
	for (i = 0; i < in->norder; i++)
		if (strcmp(in->order[i]->id, id) == 0)
			return in->order[i];
	return NULL;
}

const char *
ind_time_field(const struct indicators *in, const char *kind)
{
	size_t i;

	if (kind == NULL)
		return NULL;
	if (in != NULL)
		for (i = 0; i < in->ntime; i++)
			if (strcmp(in->time[i].a, kind) == 0)
				return *in->time[i].field != '\0' ?
				    in->time[i].field : NULL;
	if (strcmp(kind, "event") == 0)
		return "reported";
	if (strcmp(kind, "patrol") == 0)
		return "start";
	if (strcmp(kind, "activity") == 0)
		return "date";
	return NULL;
}

const char *
ind_scope_field(const struct indicators *in, const char *scope,
    const char *kind)
{
	static const char *const same[] = {
		"district", "street", "community", "grid"
	};
	size_t i;

	if (scope == NULL || strcmp(scope, "all") == 0)
		return NULL;
	if (in != NULL && kind != NULL)
		for (i = 0; i < in->nscope; i++)
			if (strcmp(in->scope[i].a, scope) == 0 &&
			    strcmp(in->scope[i].b, kind) == 0)
				return in->scope[i].field;
	for (i = 0; i < sizeof same / sizeof same[0]; i++)
		if (strcmp(scope, same[i]) == 0)
			return same[i];
	if (strcmp(scope, "worker") == 0)
		return "worker_id";
	if (strcmp(scope, "department") == 0)
		return "department";
	return NULL;
}

/* ---- scoring ---- */

/* x rounded half-even to a multiple of 0.01 (x >= 0 here). */
static int64_t
round_cent(int64_t x)
{
	int64_t q = x / CENT, r = x % CENT;

	if (r < 0) {
		r += CENT;
		q--;
	}
	if (r > CENT / 2 || (r == CENT / 2 && q % 2 != 0))
		q++;
	return q * CENT;
}

/* w * a / b for 0 <= a < b: dec_mul then dec_div, one rounding each. */
static int64_t
part(int64_t w, int64_t a, int64_t b)
{
	return dec_div(dec_mul(w, a), b);
}

int
ind_score(const struct ind_node *n, bool na, int64_t v, int64_t *score)
{
	int64_t w, t, s = 0;
	size_t i;

	*score = 0;
	if (n == NULL || !n->has_weight)
		return 0;
	if (n->type == IND_MANUAL) {
		*score = round_cent(n->manual_score);
		return 1;
	}
	if (n->type == IND_GROUP || n->rule == IND_RULE_NONE)
		return 0;
	if (na)
		return 1;
	w = n->weight;
	t = n->target;
	switch (n->rule) {
	case IND_RULE_RATIO:
		if (n->direction > 0)
			s = v <= 0 ? 0 : v >= t ? w : part(w, v, t);
		else
			s = v <= t ? w : part(w, t, v);
		break;
	case IND_RULE_TIERS:
		for (i = 0; i < n->ntier; i++)
			if (n->direction > 0 ? v >= n->tier[i].bound :
			    v <= n->tier[i].bound) {
				s = n->tier[i].score;
				break;
			}
		break;
	case IND_RULE_LINEAR:
		if (n->lin_full > n->lin_zero)
			s = v <= n->lin_zero ? 0 : v >= n->lin_full ? w :
			    part(w, v - n->lin_zero, n->lin_full - n->lin_zero);
		else
			s = v >= n->lin_zero ? 0 : v <= n->lin_full ? w :
			    part(w, n->lin_zero - v, n->lin_zero - n->lin_full);
		break;
	default:
		return 0;
	}
	if (s < 0)
		s = 0;
	if (s > w)
		s = w;
	*score = round_cent(s);
	return 1;
}

const char *
ind_grade(const struct indicators *in, int64_t total)
{
	size_t i;

	if (in == NULL)
		return "";
	for (i = 0; i < in->ngrade; i++)
		if (total >= in->grade[i].min)
			return in->grade[i].grade;
	return "";
}
