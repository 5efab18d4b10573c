/*
 * indicators.h - the indicator file of kpi-score: the tree, the measures,
 * the scoring rules and the grades (manual: grid-indicators(5))
 *
 *   name: fiscal-2017                 # required, [a-z0-9_-]+
 *   title: 项目支出绩效评价指标体系     # optional display title
 *   total: 100                        # required: the top weights add up to it
 *   grades:                           # optional; these are the defaults
 *     - {min: 90, grade: 优}
 *     - {min: 80, grade: 良}
 *     - {min: 60, grade: 中}
 *     - {min: 0, grade: 差}
 *   times:                            # optional: the field that puts a
 *     event: reported                 # record of a kind in a period; these
 *     patrol: start                   # three are the defaults; a kind with
 *     activity: date                  # no time field is timeless, and
 *     person: ""                      # "" makes a kind timeless
 *   scopes:                           # optional: the field that gives a
 *     worker: {event: reporter_id}    # record's scope id, per scope and
 *                                     # kind (not for the scope "all")
 *   tree:
 *     - group: 决策                   # a group: name, weight, items
 *       id: J                         # optional (default: its path)
 *       weight: 20
 *       items:
 *         - id: J1
 *           name: 项目立项规范性
 *           weight: 10
 *           manual: {score: 10, evidence: 立项程序完整，有批复文件}
 *     - group: 产出
 *       weight: 80
 *       items:
 *         - id: C1
 *           name: 事件自行处置率
 *           weight: 40
 *           rate:
 *             numerator: {kind: event, count: true, where: "self_handled == 1"}
 *             denominator: {kind: event, count: true}
 *           target: 0.9               # or "90%"
 *         - id: C2
 *           name: 网格员月均上报事件达标率
 *           weight: 40
 *           share: {kind: event, entity: [reporter_id, "month:reported"],
 *                   count: true, at_least: 3}
 *           target: 1
 *           rule: {linear: {zero: 0.5, full: 1}}
 *
 * Leaf measures, exactly one per leaf (every counter-like mapping takes
 * `kind` (required: the record kind it reads) and `where` (optional, a
 * filter.h expression)):
 *   count:  {kind, where}                  records
 *   sum:    {kind, field, where}           sum of a numeric field
 *   rate:   {numerator: C, denominator: C} C = {kind, count: true | sum:
 *                                          FIELD, where}; value = num/den,
 *                                          "n/a" when den is 0
 *   mean:   {kind, field, where}           mean of a numeric field (empty
 *   median: {kind, field, where}           values skipped); n/a when none
 *   share:  {kind, entity: [PART...], count: true | sum: FIELD,
 *            at_least: X | at_most: X, where}
 *           the entities are the distinct values of the entity key, PART a
 *           field or "day:FIELD" / "month:FIELD" (the date or year-month
 *           of a date-time field); value = entities whose count (or sum)
 *           meets the bound / all entities seen; n/a when none
 *   manual: {score: S, value: V, evidence: TEXT}   score given by the
 *           evaluator (at most the weight), value optional, evidence
 *           required (not empty).  A manual leaf with a weight needs a
 *           score; one without a weight may not have one (it only reports
 *           its value and evidence).  No target, direction or rule.
 *
 * Every leaf needs an `id` and a `name`; a group's name is its `group`.
 * Leaves may stand at the top of the tree beside groups.  A group without
 * a weight takes the sum of its items' weights (and has none when no item
 * has one).
 *
 * Scoring (leaves other than manual): a leaf with a weight is scored, and
 * needs a target (rule ratio, the default) or a tiers or linear rule; a
 * leaf without a weight only reports its value (a target there is kept
 * for display; a rule is an error).
 *   target: T            a number, or "N%" (= N/100); "N%" is also taken by
 *                        tier bounds, linear bounds, share bounds and
 *                        manual values, not by weights, scores, total or
 *                        grade minimums
 *   direction: higher    (default) or lower: which way is better
 *   rule: ratio          (default) higher: w * min(1, v/T), 0 when v <= 0;
 *                        lower: w when v <= T, else w * T/v.  T must be
 *                        above 0 (higher) or at least 0 (lower)
 *   rule: {tiers: [{at_least: X, score: S}, ...]}   (higher; at_most for
 *                        lower) the first tier the value meets, in order;
 *                        S in points, at most the weight; none met: 0
 *   rule: {linear: {zero: A, full: B}}   w * clamp((v - A) / (B - A), 0, 1)
 *                        (B < A for lower-is-better)
 * Tiers' bounds strictly decrease (at_least) or increase (at_most), one
 * kind per table.  Without `direction`, tiers and linear set it (at_most,
 * or full below zero: lower); with it, they must agree.
 * A value n/a scores 0 and is marked so by kpi-score.
 *
 * Arithmetic: a fraction of the weight is dec_div(dec_mul(w, a), b) (so
 * w * v / T, w * T / v, w * (v - A) / (B - A)), clamped to 0..w, then
 * rounded half-even to 0.01 point; tier and manual scores are rounded the
 * same way.  kpi-score sums these rounded leaf scores into the groups and
 * the total, so a report's table adds up to the printed total exactly.
 *
 * Weights: a group's weight must equal the sum of its items' weights
 * (ERR_DATA at the group's line, field "weight": "weights of the items add
 * up to 19, not 20"), and the top items' must add up to `total` (at the
 * line of `total`, field "total": "weights of the top items add up to 90,
 * not 100").  Weights are not negative; total is above 0.  Weights,
 * targets, bounds and scores are exact decimals (dec.h's dec_parse).
 *
 * Errors (ERR_DATA, file:line, key): unknown key (yamlcfg's message
 * "unknown key 'x'", no field), missing key, two measures or none,
 * duplicate id (the root's "total" included; a group's default id too),
 * bad id ([A-Za-z0-9_.-]+), a kind or field not [a-z][a-z0-9_]*, a `where`
 * that does not parse (filter.h's message "at column N: ...", at the
 * where's line), bad number, tiers out of order, manual score above the
 * weight, linear zero == full, grades not strictly decreasing, bad weight
 * sums, an empty file.  ERR_NOINPUT when the file cannot be opened;
 * ERR_INTERNAL when out of memory.  Messages never quote values.
 *
 * Ownership: ind_load_* return an owned struct indicators freed by
 * ind_free (NULL fine).  It is read-only after loading; the filters inside
 * are parsed but not bound (the caller binds them per input header, so it
 * needs them writable: ind_node.num.filter is not const).
 */
#ifndef GRID_INDICATORS_H
#define GRID_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "filter.h"

enum ind_type {
	IND_GROUP, IND_COUNT, IND_SUM, IND_RATE, IND_MEAN, IND_MEDIAN,
	IND_SHARE, IND_MANUAL
};

enum ind_rule { IND_RULE_NONE, IND_RULE_RATIO, IND_RULE_TIERS,
	IND_RULE_LINEAR };

/* A count or sum of the records of one kind that pass a filter. */
struct ind_counter {
	char *kind;		/* record kind read */
	char *field;		/* summed / measured field; NULL for a count */
	char *where;		/* filter source, NULL: every record */
	struct filter *filter;	/* parsed where, or NULL */
};

struct ind_tier {
	int64_t bound;		/* dec: at_least (higher) / at_most (lower) */
	int64_t score;		/* dec points */
};

struct ind_node {
	enum ind_type type;
	char *id;		/* unique in the file */
	char *name;
	char *path;		/* names from the top, joined by " › " */
	int depth;		/* 0: the root (the whole file), 1: top groups */
	long line;
	bool has_weight;
	int64_t weight;		/* dec */
	struct ind_node *parent;
	struct ind_node **item;	/* group items in file order */
	size_t nitem;

	/* measures: count, sum, mean, median, share: num; rate: num, den */
	struct ind_counter num, den;
	char **entity;		/* share: key parts as written */
	size_t nentity;
	int share_op;		/* share: +1 at_least, -1 at_most */
	int64_t share_bound;	/* dec */

	/* manual */
	bool has_value;
	int64_t value;		/* dec */
	int64_t manual_score;	/* dec */
	char *evidence;

	/* scoring */
	bool has_target;
	int64_t target;		/* dec */
	int direction;		/* +1 higher is better, -1 lower */
	enum ind_rule rule;	/* NONE when not scored */
	struct ind_tier *tier;
	size_t ntier;
	int64_t lin_zero, lin_full;	/* dec */
};

struct ind_grade {
	int64_t min;		/* dec, strictly decreasing */
	char *grade;
};

struct ind_map {		/* scopes and times: (a, b) -> field */
	char *a, *b, *field;	/* times: b NULL, field "" for timeless */
};

struct indicators {
	char *name, *title;
	char *path;			/* the file as given */
	int64_t total;			/* dec */
	struct ind_grade *grade;
	size_t ngrade;
	struct ind_node *root;		/* type IND_GROUP, id "total", name
					 * the title (else name), path "",
					 * weight total */
	struct ind_node **order;	/* every node in preorder, root first */
	size_t norder;
	struct ind_map *scope;		/* (scope, kind) -> field */
	size_t nscope;
	struct ind_map *time;		/* (kind, NULL) -> field */
	size_t ntime;
};

int ind_load_file(struct indicators **ip, const char *path, struct err *e);
int ind_load_string(struct indicators **ip, const char *buf, size_t n,
    const char *name, struct err *e);
void ind_free(struct indicators *in);

/* ind_find: the node with this id ("total": the root), or NULL; linear
 * in the number of nodes. */
const struct ind_node *ind_find(const struct indicators *in, const char *id);

/*
 * ind_time_field: the field that places a record of kind in a period (the
 * `times` map, else event: reported, patrol: start, activity: date), or
 * NULL when the kind is timeless.
 */
const char *ind_time_field(const struct indicators *in, const char *kind);

/*
 * ind_scope_field: the field giving the scope id of a record of kind for
 * scope (the `scopes` map, else district, street, community, grid: the
 * field of that name; worker: worker_id; department: department), or NULL
 * for the scope "all" (one group for everything) and unknown scopes.
 */
const char *ind_scope_field(const struct indicators *in, const char *scope,
    const char *kind);

/*
 * ind_score: the score of leaf n for value v (dec; for rates and shares the
 * fraction, 0.845 = 845000).  Returns 1 with *score set when n is scored,
 * 0 with *score = 0 when it is not (a group, no weight, no rule; n NULL).
 * na: the value is n/a; then a scored leaf scores 0.  Manual leaves with a
 * weight return their score whatever na says.  A score is 0..weight in
 * whole hundredths (see Arithmetic above).
 */
int ind_score(const struct ind_node *n, bool na, int64_t v, int64_t *score);

/* ind_grade: the grade of a total score (dec); "" below every band. */
const char *ind_grade(const struct indicators *in, int64_t total);

/* ind_type_name: "group", "count", "sum", "rate", "mean", "median",
 * "share", "manual". */
const char *ind_type_name(enum ind_type t);

#endif
