/* test_indicators.c - unit tests of lib/indicators */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "err.h"
#include "indicators.h"
#include "mem.h"

#define DATA "tests/unit/data/indicators/"
#define D(x) ((int64_t)((x) * 1000000.0 + ((x) < 0 ? -0.5 : 0.5)))
#define SEP " \xe2\x80\xba "

/* The example of indicators.h, with every measure type added. */
static const char EXAMPLE[] =
    "name: fiscal-2017\n"					/* 1 */
    "title: 项目支出绩效评价指标体系\n"
    "total: 100\n"
    "times: {patrol: end, person: ''}\n"
    "scopes:\n"							/* 5 */
    "  worker: {event: reporter_id}\n"
    "  street: {grid: street_code}\n"
    "tree:\n"
    "  - group: 决策\n"
    "    id: J\n"							/* 10 */
    "    weight: 20\n"
    "    items:\n"
    "      - id: J1\n"
    "        name: 项目立项规范性\n"
    "        weight: 10\n"					/* 15 */
    "        manual: {score: 9.5, evidence: 立项程序完整，有批复文件}\n"
    "      - id: J2\n"
    "        name: 绩效目标\n"
    "        weight: 10\n"
    "        manual: {score: 10, value: 87.5%, evidence: 目标明确}\n" /* 20 */
    "  - group: 产出\n"
    "    weight: 80\n"
    "    items:\n"
    "      - group: 质量\n"
    "        items:\n"						/* 25 */
    "          - id: C1\n"
    "            name: 事件自行处置率\n"
    "            weight: 40\n"
    "            rate:\n"
    "              numerator: {kind: event, count: true,\n"	/* 30 */
    "                          where: \"self_handled == 1\"}\n"
    "              denominator: {kind: event, sum: n}\n"
    "            target: 90%\n"
    "      - id: C2\n"
    "        name: 网格员月均上报事件达标率\n"		/* 35 */
    "        weight: 40\n"
    "        share: {kind: event, entity: [reporter_id, \"month:reported\"],\n"
    "                count: true, at_least: 3}\n"
    "        target: 1\n"
    "        rule: {linear: {zero: 0.5, full: 1}}\n"		/* 40 */
    "      - id: I1\n"
    "        name: 事件数\n"
    "        count: {kind: event, where: \"state != 'voided'\"}\n"
    "      - id: I2\n"
    "        name: 巡查分钟\n"					/* 45 */
    "        sum: {kind: patrol, field: minutes}\n"
    "        target: 1000\n"
    "      - id: I3\n"
    "        name: 平均处置\n"
    "        mean: {kind: event, field: handle_work_min}\n"	/* 50 */
    "      - id: I4\n"
    "        name: 处置中位数\n"
    "        median: {kind: event, field: handle_work_min, where: \"x == 1\"}\n"
    "      - id: I5\n"
    "        name: 短巡查天\n"					/* 55 */
    "        share: {kind: patrol, entity: \"day:start\", sum: minutes,\n"
    "                at_most: 30}\n"
    "      - id: I6\n"
    "        name: 备注\n"
    "        manual: {value: 3, evidence: 人工统计}\n";		/* 60 */

static struct indicators *
load(const char *s)
{
	struct indicators *in;
	struct err e;
	int rc;

	err_clear(&e);
	rc = ind_load_string(&in, s, strlen(s), "t.yaml", &e);
	if (rc != 0)
		fail_msg("load: %s:%ld: %s: %s", e.file, e.line, e.field,
		    e.msg);
	return in;
}

static void
test_load(void **state)
{
	struct indicators *in;
	const struct ind_node *n, *r;
	long live = mem_live();

	(void)state;
	in = load(EXAMPLE);
	assert_string_equal(in->name, "fiscal-2017");
	assert_string_equal(in->title, "项目支出绩效评价指标体系");
	assert_string_equal(in->path, "t.yaml");
	assert_int_equal(in->total, D(100));
	assert_int_equal(in->ngrade, 4);
	assert_string_equal(in->grade[0].grade, "优");
	assert_int_equal(in->grade[3].min, 0);

	r = in->root;
	assert_ptr_equal(r, in->order[0]);
	assert_int_equal(r->type, IND_GROUP);
	assert_string_equal(r->id, "total");
	assert_string_equal(r->name, "项目支出绩效评价指标体系");
	assert_string_equal(r->path, "");
	assert_int_equal(r->depth, 0);
	assert_int_equal(r->weight, D(100));
	assert_int_equal(r->nitem, 2);
	/* root, J, J1, J2, 产出, 质量, C1, C2, I1..I6 */
	assert_int_equal(in->norder, 14);
	assert_string_equal(in->order[1]->id, "J");
	assert_string_equal(in->order[2]->id, "J1");
	assert_string_equal(in->order[4]->id, "产出");
	assert_string_equal(in->order[5]->id, "产出" SEP "质量");
	assert_string_equal(in->order[6]->id, "C1");
	assert_string_equal(in->order[13]->id, "I6");

	n = ind_find(in, "J1");
	assert_non_null(n);
	assert_int_equal(n->type, IND_MANUAL);
	assert_int_equal(n->line, 13);
	assert_int_equal(n->depth, 2);
	assert_string_equal(n->path, "决策" SEP "项目立项规范性");
	assert_ptr_equal(n->parent, ind_find(in, "J"));
	assert_int_equal(n->manual_score, D(9.5));
	assert_false(n->has_value);
	assert_string_equal(n->evidence, "立项程序完整，有批复文件");
	n = ind_find(in, "J2");
	assert_true(n->has_value);
	assert_int_equal(n->value, D(0.875));

	/* a group without a weight takes its items' sum */
	n = ind_find(in, "产出" SEP "质量");
	assert_non_null(n);
	assert_true(n->has_weight);
	assert_int_equal(n->weight, D(40));
	assert_int_equal(n->line, 24);

	n = ind_find(in, "C1");
	assert_int_equal(n->type, IND_RATE);
	assert_int_equal(n->depth, 3);
	assert_string_equal(n->path, "产出" SEP "质量" SEP "事件自行处置率");
	assert_string_equal(n->num.kind, "event");
	assert_null(n->num.field);
	assert_string_equal(n->num.where, "self_handled == 1");
	assert_non_null(n->num.filter);
	assert_string_equal(n->den.kind, "event");
	assert_string_equal(n->den.field, "n");
	assert_null(n->den.where);
	assert_null(n->den.filter);
	assert_true(n->has_target);
	assert_int_equal(n->target, D(0.9));
	assert_int_equal(n->direction, 1);
	assert_int_equal(n->rule, IND_RULE_RATIO);

	n = ind_find(in, "C2");
	assert_int_equal(n->type, IND_SHARE);
	assert_int_equal(n->nentity, 2);
	assert_string_equal(n->entity[0], "reporter_id");
	assert_string_equal(n->entity[1], "month:reported");
	assert_null(n->num.field);
	assert_int_equal(n->share_op, 1);
	assert_int_equal(n->share_bound, D(3));
	assert_int_equal(n->rule, IND_RULE_LINEAR);
	assert_int_equal(n->lin_zero, D(0.5));
	assert_int_equal(n->lin_full, D(1));

	n = ind_find(in, "I1");
	assert_int_equal(n->type, IND_COUNT);
	assert_false(n->has_weight);
	assert_int_equal(n->rule, IND_RULE_NONE);
	assert_string_equal(n->num.where, "state != 'voided'");
	n = ind_find(in, "I2");
	assert_int_equal(n->type, IND_SUM);
	assert_string_equal(n->num.kind, "patrol");
	assert_string_equal(n->num.field, "minutes");
	assert_true(n->has_target);	/* kept for display, not scored */
	assert_int_equal(n->rule, IND_RULE_NONE);
	assert_int_equal(ind_find(in, "I3")->type, IND_MEAN);
	assert_string_equal(ind_find(in, "I3")->num.field, "handle_work_min");
	assert_int_equal(ind_find(in, "I4")->type, IND_MEDIAN);
	n = ind_find(in, "I5");
	assert_int_equal(n->type, IND_SHARE);
	assert_int_equal(n->nentity, 1);
	assert_string_equal(n->entity[0], "day:start");
	assert_string_equal(n->num.field, "minutes");
	assert_int_equal(n->share_op, -1);
	assert_int_equal(n->share_bound, D(30));
	n = ind_find(in, "I6");
	assert_int_equal(n->type, IND_MANUAL);
	assert_false(n->has_weight);
	assert_int_equal(n->value, D(3));

	assert_null(ind_find(in, "nope"));
	assert_null(ind_find(in, NULL));
	assert_ptr_equal(ind_find(in, "total"), in->root);

	ind_free(in);
	ind_free(NULL);
	assert_int_equal(mem_live(), live);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ind_type_name(IND_GROUP), "group");
	assert_string_equal(ind_type_name(IND_COUNT), "count");
	assert_string_equal(ind_type_name(IND_SUM), "sum");
	assert_string_equal(ind_type_name(IND_RATE), "rate");
	assert_string_equal(ind_type_name(IND_MEAN), "mean");
	assert_string_equal(ind_type_name(IND_MEDIAN), "median");
	assert_string_equal(ind_type_name(IND_SHARE), "share");
	assert_string_equal(ind_type_name(IND_MANUAL), "manual");
	assert_string_equal(ind_type_name((enum ind_type)99), "");
}

static void
test_time_scope(void **state)
{
	struct indicators *in;
	static const char MIN[] =
	    "name: m\ntotal: 1\ntree:\n"
	    "  - {id: a, name: a, weight: 1, count: {kind: event}, "
	    "target: 1}\n";

	(void)state;
	in = load(MIN);
	assert_string_equal(ind_time_field(in, "event"), "reported");
	assert_string_equal(ind_time_field(in, "patrol"), "start");
	assert_string_equal(ind_time_field(in, "activity"), "date");
	assert_null(ind_time_field(in, "person"));
	assert_null(ind_time_field(in, "worker"));
	assert_null(ind_time_field(in, NULL));
	assert_string_equal(ind_scope_field(in, "district", "event"),
	    "district");
	assert_string_equal(ind_scope_field(in, "street", "event"), "street");
	assert_string_equal(ind_scope_field(in, "community", "patrol"),
	    "community");
	assert_string_equal(ind_scope_field(in, "grid", "event"), "grid");
	assert_string_equal(ind_scope_field(in, "worker", "event"),
	    "worker_id");
	assert_string_equal(ind_scope_field(in, "department", "event"),
	    "department");
	assert_null(ind_scope_field(in, "all", "event"));
	assert_null(ind_scope_field(in, "planet", "event"));
	assert_null(ind_scope_field(in, NULL, "event"));
	assert_int_equal(in->ntime, 0);
	assert_int_equal(in->nscope, 0);
	ind_free(in);

	in = load(EXAMPLE);
	assert_string_equal(ind_time_field(in, "patrol"), "end");
	assert_null(ind_time_field(in, "person"));	/* '' : timeless */
	assert_string_equal(ind_time_field(in, "event"), "reported");
	assert_int_equal(in->ntime, 2);
	assert_string_equal(in->time[0].a, "patrol");
	assert_null(in->time[0].b);
	assert_string_equal(in->time[0].field, "end");
	assert_string_equal(in->time[1].field, "");
	assert_string_equal(ind_scope_field(in, "worker", "event"),
	    "reporter_id");
	assert_string_equal(ind_scope_field(in, "worker", "patrol"),
	    "worker_id");
	assert_string_equal(ind_scope_field(in, "street", "grid"),
	    "street_code");
	assert_string_equal(ind_scope_field(in, "street", "event"), "street");
	assert_int_equal(in->nscope, 2);
	assert_string_equal(in->scope[0].a, "worker");
	assert_string_equal(in->scope[0].b, "event");
	assert_string_equal(in->scope[0].field, "reporter_id");
	ind_free(in);

	/* NULL indicators: the defaults */
	assert_string_equal(ind_time_field(NULL, "event"), "reported");
	assert_string_equal(ind_scope_field(NULL, "worker", "x"), "worker_id");
}

/* Score of the leaf "x" of a one-leaf file; body is the leaf's YAML. */
static struct indicators *
leaf(const char *weight, const char *body)
{
	char buf[2048];

	(void)snprintf(buf, sizeof buf,
	    "name: s\ntotal: %s\ntree:\n"
	    "  - id: x\n    name: x\n    weight: %s\n%s", weight, weight, body);
	return load(buf);
}

static int64_t
sc(const struct indicators *in, int64_t v)
{
	int64_t s = -1;

	assert_int_equal(ind_score(ind_find(in, "x"), false, v, &s), 1);
	return s;
}

static void
test_ratio(void **state)
{
	struct indicators *in;
	int64_t s;

	(void)state;
	in = leaf("40", "    count: {kind: event}\n    target: 90%\n");
	assert_int_equal(ind_find(in, "x")->rule, IND_RULE_RATIO);
	/* 40 * 0.845 / 0.9 = 37.5555... */
	assert_int_equal(sc(in, D(0.845)), D(37.56));
	assert_int_equal(sc(in, D(0.9)), D(40));
	assert_int_equal(sc(in, D(0.95)), D(40));	/* capped */
	assert_int_equal(sc(in, D(5000000)), D(40));
	assert_int_equal(sc(in, 0), 0);
	assert_int_equal(sc(in, D(-0.5)), 0);
	assert_int_equal(sc(in, 1), 0);		/* 40 * 1e-6 / 0.9 */
	assert_int_equal(sc(in, D(0.45)), D(20));
	/* n/a scores 0 and is scored */
	s = -1;
	assert_int_equal(ind_score(ind_find(in, "x"), true, D(0.9), &s), 1);
	assert_int_equal(s, 0);
	ind_free(in);

	/* lower is better: full marks up to the target, then w * T / v */
	in = leaf("50", "    mean: {kind: event, field: m}\n"
	    "    target: 390\n    direction: lower\n    rule: ratio\n");
	assert_int_equal(ind_find(in, "x")->direction, -1);
	assert_int_equal(sc(in, D(300)), D(50));
	assert_int_equal(sc(in, D(390)), D(50));
	assert_int_equal(sc(in, D(-1)), D(50));
	assert_int_equal(sc(in, D(780)), D(25));
	assert_int_equal(sc(in, D(1000)), D(19.5));
	assert_int_equal(sc(in, D(1170)), D(16.67));	/* 16.666... */
	ind_free(in);

	/* lower with target 0: anything above scores 0 */
	in = leaf("5", "    count: {kind: event}\n"
	    "    target: 0\n    direction: lower\n");
	assert_int_equal(sc(in, 0), D(5));
	assert_int_equal(sc(in, 1), 0);
	ind_free(in);
}

static void
test_tiers(void **state)
{
	struct indicators *in;

	(void)state;
	in = leaf("10", "    count: {kind: event}\n"
	    "    rule: {tiers: [{at_least: 90, score: 10}, "
	    "{at_least: 75, score: 8}, {at_least: 60%, score: 5.5}]}\n");
	assert_int_equal(ind_find(in, "x")->rule, IND_RULE_TIERS);
	assert_int_equal(ind_find(in, "x")->ntier, 3);
	assert_int_equal(ind_find(in, "x")->direction, 1);
	assert_int_equal(sc(in, D(1000)), D(10));
	assert_int_equal(sc(in, D(90)), D(10));
	assert_int_equal(sc(in, D(90) - 1), D(8));
	assert_int_equal(sc(in, D(75)), D(8));
	assert_int_equal(sc(in, D(74.99)), D(5.5));
	assert_int_equal(sc(in, D(0.6)), D(5.5));
	assert_int_equal(sc(in, D(0.6) - 1), 0);
	assert_int_equal(sc(in, D(-3)), 0);
	ind_free(in);

	/* lower: the CJ/T 292 department case count, in points of 10 */
	in = leaf("10", "    count: {kind: event}\n    direction: lower\n"
	    "    rule:\n      tiers:\n"
	    "        - {at_most: 50, score: 10}\n"
	    "        - {at_most: 100, score: 9}\n"
	    "        - {at_most: 200, score: 7.5}\n"
	    "        - {at_most: 1000, score: 4}\n");
	assert_int_equal(ind_find(in, "x")->direction, -1);
	assert_int_equal(sc(in, 0), D(10));
	assert_int_equal(sc(in, D(50)), D(10));
	assert_int_equal(sc(in, D(51)), D(9));
	assert_int_equal(sc(in, D(100)), D(9));
	assert_int_equal(sc(in, D(100) + 1), D(7.5));
	assert_int_equal(sc(in, D(1000)), D(4));
	assert_int_equal(sc(in, D(1001)), 0);
	ind_free(in);

	/* at_most tiers without a direction: lower is inferred */
	in = leaf("10", "    count: {kind: event}\n"
	    "    rule: {tiers: [{at_most: 1, score: 10}]}\n");
	assert_int_equal(ind_find(in, "x")->direction, -1);
	assert_int_equal(sc(in, D(1)), D(10));
	assert_int_equal(sc(in, D(2)), 0);
	ind_free(in);
}

static void
test_linear(void **state)
{
	struct indicators *in;

	(void)state;
	in = leaf("40", "    count: {kind: event}\n"
	    "    rule: {linear: {zero: 0.5, full: 1}}\n");
	assert_int_equal(ind_find(in, "x")->rule, IND_RULE_LINEAR);
	assert_int_equal(sc(in, D(0.4)), 0);
	assert_int_equal(sc(in, D(-10)), 0);
	assert_int_equal(sc(in, D(0.5)), 0);
	assert_int_equal(sc(in, D(0.75)), D(20));
	assert_int_equal(sc(in, D(0.8)), D(24));
	assert_int_equal(sc(in, D(1)), D(40));
	assert_int_equal(sc(in, D(1.2)), D(40));
	ind_free(in);

	/* lower: (1 - rework rate) x 30 */
	in = leaf("30", "    count: {kind: event}\n    direction: lower\n"
	    "    rule: {linear: {zero: 100%, full: 0}}\n");
	assert_int_equal(ind_find(in, "x")->direction, -1);
	assert_int_equal(sc(in, D(0.1)), D(27));
	assert_int_equal(sc(in, 0), D(30));
	assert_int_equal(sc(in, D(-0.5)), D(30));
	assert_int_equal(sc(in, D(1)), 0);
	assert_int_equal(sc(in, D(1.5)), 0);
	assert_int_equal(sc(in, D(1) / 3), D(20));	/* 19.99999 */
	ind_free(in);

	/* rounding to 0.01 half-even */
	in = leaf("1", "    count: {kind: event}\n"
	    "    rule: {linear: {zero: 0, full: 1}}\n");
	assert_int_equal(sc(in, D(0.005)), 0);
	assert_int_equal(sc(in, D(0.015)), D(0.02));
	assert_int_equal(sc(in, D(0.025)), D(0.02));
	assert_int_equal(sc(in, D(0.0251)), D(0.03));
	assert_int_equal(sc(in, D(0.004999)), 0);
	assert_int_equal(sc(in, D(0.994999)), D(0.99));
	assert_int_equal(sc(in, D(0.995)), D(1));
	ind_free(in);
}

static void
test_manual_and_unscored(void **state)
{
	struct indicators *in;
	const struct ind_node *n;
	int64_t s;

	(void)state;
	in = load(EXAMPLE);
	n = ind_find(in, "J1");
	s = -1;
	assert_int_equal(ind_score(n, false, 0, &s), 1);
	assert_int_equal(s, D(9.5));
	s = -1;
	assert_int_equal(ind_score(n, true, 0, &s), 1);	/* never n/a */
	assert_int_equal(s, D(9.5));
	/* not scored: no weight, a group, a manual value without weight */
	s = -1;
	assert_int_equal(ind_score(ind_find(in, "I1"), false, D(5), &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(ind_score(ind_find(in, "I2"), false, D(5), &s), 0);
	assert_int_equal(ind_score(ind_find(in, "I6"), false, D(5), &s), 0);
	assert_int_equal(ind_score(in->root, false, D(5), &s), 0);
	assert_int_equal(ind_score(ind_find(in, "J"), false, D(5), &s), 0);
	assert_int_equal(ind_score(NULL, false, D(5), &s), 0);
	/* linear C2 n/a */
	s = -1;
	assert_int_equal(ind_score(ind_find(in, "C2"), true, D(1), &s), 1);
	assert_int_equal(s, 0);
	assert_int_equal(ind_score(ind_find(in, "C2"), false, D(0.9), &s), 1);
	assert_int_equal(s, D(32));
	ind_free(in);

	/* a manual score with more than two places is rounded half-even */
	in = leaf("5", "    manual: {score: 2.345, evidence: e}\n");
	assert_int_equal(sc(in, 0), D(2.34));
	ind_free(in);
}

static void
test_grades(void **state)
{
	struct indicators *in;

	(void)state;
	in = load(EXAMPLE);	/* the defaults */
	assert_string_equal(ind_grade(in, D(100)), "优");
	assert_string_equal(ind_grade(in, D(90)), "优");
	assert_string_equal(ind_grade(in, D(89.99)), "良");
	assert_string_equal(ind_grade(in, D(80)), "良");
	assert_string_equal(ind_grade(in, D(79.99)), "中");
	assert_string_equal(ind_grade(in, D(60)), "中");
	assert_string_equal(ind_grade(in, D(59.99)), "差");
	assert_string_equal(ind_grade(in, 0), "差");
	assert_string_equal(ind_grade(in, -1), "");
	assert_string_equal(ind_grade(NULL, D(90)), "");
	ind_free(in);

	in = load("name: g\ntotal: 10\n"
	    "grades: [{min: 90, grade: A}, {min: 75, grade: B}, "
	    "{min: 40.5, grade: D}]\n"
	    "tree: [{id: a, name: a, weight: 10, count: {kind: e}, "
	    "target: 1}]\n");
	assert_int_equal(in->ngrade, 3);
	assert_string_equal(ind_grade(in, D(90)), "A");
	assert_string_equal(ind_grade(in, D(89.99)), "B");
	assert_string_equal(ind_grade(in, D(75)), "B");
	assert_string_equal(ind_grade(in, D(40.5)), "D");
	assert_string_equal(ind_grade(in, D(40.49)), "");
	ind_free(in);
}

/* A file that must fail: code, line, field and a part of the message. */
struct bad {
	const char *yaml;
	int code;
	long line;
	const char *field;
	const char *msg;
};

#define HEAD "name: b\ntotal: 10\ntree:\n"		/* lines 1-3 */
#define LEAF(body) HEAD "  - id: x\n    name: x\n    weight: 10\n" body

static const struct bad bads[] = {
	/* weights: at a group (its line), at the top (total's line) */
	{ HEAD "  - group: g\n    weight: 10\n    items:\n"
	  "      - {id: a, name: a, weight: 4, count: {kind: e}, target: 1}\n"
	  "      - {id: b, name: b, weight: 5, count: {kind: e}, target: 1}\n",
	  ERR_DATA, 4, "weight", "weights of the items add up to 9, not 10" },
	{ HEAD "  - group: g\n    items:\n"
	  "      - {id: a, name: a, weight: 4, count: {kind: e}, target: 1}\n"
	  "  - group: h\n    weight: 5.5\n    items:\n"
	  "      - {id: b, name: b, weight: 5.5, count: {kind: e}, "
	  "target: 1}\n",
	  ERR_DATA, 2, "total",
	  "weights of the top items add up to 9.5, not 10" },
	{ HEAD "  - group: g\n    weight: 10\n    items:\n"
	  "      - {id: a, name: a, count: {kind: e}}\n",
	  ERR_DATA, 4, "weight", "add up to 0, not 10" },
	/* ids */
	{ HEAD "  - group: g\n    weight: 10\n    items:\n"
	  "      - {id: a, name: a, weight: 5, count: {kind: e}, target: 1}\n"
	  "      - {id: a, name: b, weight: 5, count: {kind: e}, target: 1}\n",
	  ERR_DATA, 8, "id", "duplicate id" },
	{ HEAD "  - group: g\n    weight: 10\n    items:\n"
	  "      - {id: g, name: a, weight: 10, count: {kind: e}, "
	  "target: 1}\n", ERR_DATA, 7, "id", "duplicate id" },
	{ HEAD "  - group: g\n    weight: 5\n    items:\n"
	  "      - {id: a, name: a, weight: 5, count: {kind: e}, target: 1}\n"
	  "  - group: g\n    weight: 5\n    items:\n"
	  "      - {id: b, name: b, weight: 5, count: {kind: e}, target: 1}\n",
	  ERR_DATA, 8, "group", "duplicate id" },
	{ LEAF("    count: {kind: e}\n    target: 1\n") "  - id: total\n"
	  "    name: t\n    count: {kind: e}\n",
	  ERR_DATA, 9, "id", "duplicate id" },
	{ HEAD "  - {id: 'a b', name: a, weight: 10, count: {kind: e}, "
	  "target: 1}\n", ERR_DATA, 4, "id", "expected letters" },
	{ HEAD "  - {id: '', name: a, weight: 10, count: {kind: e}, "
	  "target: 1}\n", ERR_DATA, 4, "id", "expected letters" },
	{ HEAD "  - {name: a, weight: 10, count: {kind: e}, target: 1}\n",
	  ERR_DATA, 4, "id", "missing" },
	/* where: filter's message at the where's line */
	{ LEAF("    count: {kind: e, where: \"a @ b\"}\n    target: 1\n"),
	  ERR_DATA, 7, "where", "column" },
	{ LEAF("    rate:\n      numerator: {kind: e, count: true}\n"
	  "      denominator: {kind: e, count: true,\n"
	  "                    where: \"x == \"}\n    target: 1\n"),
	  ERR_DATA, 10, "where", "column" },
	/* keys */
	{ LEAF("    count: {kind: e}\n    target: 1\n    colour: red\n"),
	  ERR_DATA, 9, "", "unknown key 'colour'" },
	{ "name: b\ntotal: 10\ntre:\n", ERR_DATA, 3, "", "unknown key 'tre'" },
	{ "name: b\ntotal: 10\n", ERR_DATA, 1, "tree", "missing" },
	{ "total: 10\ntree: []\n", ERR_DATA, 1, "name", "missing" },
	{ "name: b\ntree: []\n", ERR_DATA, 1, "total", "missing" },
	{ HEAD, ERR_DATA, 3, "tree", "expected a sequence" },
	{ HEAD "  []\n", ERR_DATA, 4, "tree", "empty" },
	{ HEAD "  - 5\n", ERR_DATA, 4, "tree", "expected a mapping" },
	{ "", ERR_DATA, 0, "", "empty" },
	{ "- 1\n", ERR_DATA, 1, "", "expected a mapping" },
	{ "name: B\ntotal: 1\ntree: []\n", ERR_DATA, 1, "name",
	  "lowercase" },
	{ "name: b\ntotal: 0\ntree: []\n", ERR_DATA, 2, "total",
	  "above 0" },
	{ "name: b\ntotal: 1x\ntree: []\n", ERR_DATA, 2, "total",
	  "expected a number" },
	{ "name: b\ntotal: 90%\ntree: []\n", ERR_DATA, 2, "total",
	  "expected a number" },
	/* groups */
	{ HEAD "  - group: g\n    weight: 10\n", ERR_DATA, 4, "items",
	  "missing" },
	{ HEAD "  - group: ''\n    weight: 10\n    items: [{id: a, name: a, "
	  "weight: 10, count: {kind: e}, target: 1}]\n",
	  ERR_DATA, 4, "group", "empty" },
	{ HEAD "  - group: g\n    weight: 10\n    items: []\n",
	  ERR_DATA, 6, "items", "empty" },
	{ HEAD "  - group: g\n    count: {kind: e}\n    items: []\n",
	  ERR_DATA, 5, "", "unknown key 'count'" },
	{ HEAD "  - group: g\n    weight: -1\n    items: [{id: a, name: a, "
	  "count: {kind: e}}]\n", ERR_DATA, 5, "weight", "negative" },
	/* measures */
	{ LEAF("    target: 1\n"), ERR_DATA, 4, "id", "no measure" },
	{ LEAF("    count: {kind: e}\n    sum: {kind: e, field: f}\n"
	  "    target: 1\n"), ERR_DATA, 8, "sum", "a second measure" },
	{ LEAF("    count: {kind: E}\n    target: 1\n"), ERR_DATA, 7, "kind",
	  "expected a name" },
	{ LEAF("    count: {where: 'a == 1'}\n    target: 1\n"), ERR_DATA, 7,
	  "kind", "missing" },
	{ LEAF("    count: {kind: e, field: f}\n    target: 1\n"), ERR_DATA,
	  7, "", "unknown key 'field'" },
	{ LEAF("    count: e\n    target: 1\n"), ERR_DATA, 7, "",
	  "expected a mapping" },
	{ LEAF("    sum: {kind: e}\n    target: 1\n"), ERR_DATA, 7, "field",
	  "missing" },
	{ LEAF("    mean: {kind: e, field: 'a-b'}\n    target: 1\n"),
	  ERR_DATA, 7, "field", "expected a name" },
	{ LEAF("    rate: {numerator: {kind: e, count: true}}\n"
	  "    target: 1\n"), ERR_DATA, 7, "denominator", "missing" },
	{ LEAF("    rate: {numerator: {kind: e}, denominator: {kind: e, "
	  "count: true}}\n    target: 1\n"), ERR_DATA, 7, "count",
	  "expected one of count: true and sum: FIELD" },
	{ LEAF("    rate: {numerator: {kind: e, count: true, sum: f}, "
	  "denominator: {kind: e, count: true}}\n    target: 1\n"), ERR_DATA,
	  7, "sum", "expected one of" },
	{ LEAF("    rate: {numerator: {kind: e, count: false}, "
	  "denominator: {kind: e, count: true}}\n    target: 1\n"), ERR_DATA,
	  7, "count", "expected true" },
	{ LEAF("    rate: {numerator: {kind: e, count: yes}, "
	  "denominator: {kind: e, count: true}}\n    target: 1\n"), ERR_DATA,
	  7, "count", "" },
	{ LEAF("    share: {kind: e, count: true, at_least: 3}\n"
	  "    target: 1\n"), ERR_DATA, 7, "entity", "missing" },
	{ LEAF("    share: {kind: e, entity: [a], count: true}\n"
	  "    target: 1\n"), ERR_DATA, 7, "at_least", "expected one of" },
	{ LEAF("    share: {kind: e, entity: [a], count: true, at_least: 1,\n"
	  "            at_most: 2}\n    target: 1\n"), ERR_DATA, 8, "at_most",
	  "expected one of" },
	{ LEAF("    share: {kind: e, entity: [a, 'week:b'], count: true,\n"
	  "            at_least: 1}\n    target: 1\n"), ERR_DATA, 7, "entity",
	  "day:FIELD" },
	{ LEAF("    share: {kind: e, entity: [], count: true, at_least: 1}\n"
	  "    target: 1\n"), ERR_DATA, 7, "entity", "empty" },
	{ LEAF("    share: {kind: e, entity: a, count: true, at_least: x}\n"
	  "    target: 1\n"), ERR_DATA, 7, "at_least", "expected a number" },
	/* manual */
	{ LEAF("    manual: {score: 11, evidence: e}\n"), ERR_DATA, 7,
	  "score", "above the weight" },
	{ LEAF("    manual: {score: 1}\n"), ERR_DATA, 7, "evidence",
	  "missing" },
	{ LEAF("    manual: {score: 1, evidence: ''}\n"), ERR_DATA, 7,
	  "evidence", "empty" },
	{ LEAF("    manual: {evidence: e}\n"), ERR_DATA, 7, "score",
	  "missing" },
	{ LEAF("    manual: {score: -1, evidence: e}\n"), ERR_DATA, 7,
	  "score", "negative" },
	{ LEAF("    manual: {score: 5, evidence: e}\n    target: 1\n"),
	  ERR_DATA, 8, "target", "manual" },
	{ LEAF("    manual: {score: 5, evidence: e}\n    rule: ratio\n"),
	  ERR_DATA, 8, "rule", "manual" },
	{ HEAD "  - {id: x, name: x, manual: {score: 1, evidence: e}}\n",
	  ERR_DATA, 4, "score", "needs a weight" },
	/* scoring */
	{ LEAF("    count: {kind: e}\n"), ERR_DATA, 4, "target",
	  "needs a target or a rule" },
	{ LEAF("    count: {kind: e}\n    rule: ratio\n"), ERR_DATA, 4,
	  "target", "missing" },
	{ LEAF("    count: {kind: e}\n    target: 0\n"), ERR_DATA, 8,
	  "target", "above 0" },
	{ LEAF("    count: {kind: e}\n    target: -1\n    direction: lower\n"),
	  ERR_DATA, 8, "target", "negative" },
	{ LEAF("    count: {kind: e}\n    target: 1\n    direction: up\n"),
	  ERR_DATA, 9, "direction", "higher or lower" },
	{ LEAF("    count: {kind: e}\n    target: 1\n    rule: best\n"),
	  ERR_DATA, 9, "rule", "expected ratio" },
	{ LEAF("    count: {kind: e}\n    rule: {}\n"), ERR_DATA, 8, "rule",
	  "expected ratio" },
	{ LEAF("    count: {kind: e}\n    rule: {tiers: [{at_least: 1, "
	  "score: 1}], linear: {zero: 0, full: 1}}\n"), ERR_DATA, 8, "linear",
	  "expected one of" },
	{ HEAD "  - {id: x, name: x, count: {kind: e}, rule: ratio}\n",
	  ERR_DATA, 4, "rule", "needs a weight" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_least: 5, score: 10}\n"
	  "        - {at_least: 5, score: 5}\n"),
	  ERR_DATA, 11, "at_least", "tiers out of order" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_most: 5, score: 10}\n"
	  "        - {at_most: 4, score: 5}\n"),
	  ERR_DATA, 11, "at_most", "tiers out of order" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_most: 5, score: 10}\n"
	  "        - {at_least: 6, score: 5}\n"),
	  ERR_DATA, 11, "at_least", "mix" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_least: 5, score: 11}\n"),
	  ERR_DATA, 10, "score", "above the weight" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {score: 1}\n"), ERR_DATA, 10, "at_least", "missing" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_least: 1, at_most: 2, score: 1}\n"), ERR_DATA, 10,
	  "at_most", "expected one of" },
	{ LEAF("    count: {kind: e}\n    rule:\n      tiers:\n"
	  "        - {at_least: 1}\n"), ERR_DATA, 10, "score", "missing" },
	{ LEAF("    count: {kind: e}\n    rule: {tiers: []}\n"), ERR_DATA, 8,
	  "tiers", "empty" },
	{ LEAF("    count: {kind: e}\n    direction: lower\n"
	  "    rule: {tiers: [{at_least: 1, score: 1}]}\n"), ERR_DATA, 8,
	  "direction", "does not match the tiers" },
	{ LEAF("    count: {kind: e}\n    rule: {linear: {zero: 1, "
	  "full: 1}}\n"), ERR_DATA, 8, "full", "equal to zero" },
	{ LEAF("    count: {kind: e}\n    rule: {linear: {zero: 1}}\n"),
	  ERR_DATA, 8, "full", "missing" },
	{ LEAF("    count: {kind: e}\n    rule: {linear: {zero: -9000000000000, "
	  "full: 9000000000000}}\n"), ERR_DATA, 8, "full", "too far" },
	{ LEAF("    count: {kind: e}\n    direction: higher\n"
	  "    rule: {linear: {zero: 1, full: 0}}\n"), ERR_DATA, 8,
	  "direction", "does not match the linear" },
	{ LEAF("    count: {kind: e}\n    target: 1e3\n"), ERR_DATA, 8,
	  "target", "expected a number or a percentage" },
	{ LEAF("    count: {kind: e}\n    target: '%'\n"), ERR_DATA, 8,
	  "target", "expected a number" },
	{ LEAF("    count: {kind: e}\n    target: [1]\n"), ERR_DATA, 8,
	  "target", "" },
	{ HEAD "  - {id: x, name: x, weight: 99999999999999, count: {kind: e},"
	  " target: 1}\n", ERR_DATA, 4, "weight", "expected a number" },
	/* grades */
	{ "name: b\ntotal: 1\ngrades:\n  - {min: 80, grade: A}\n"
	  "  - {min: 80, grade: B}\ntree: []\n", ERR_DATA, 5, "min",
	  "decrease" },
	{ "name: b\ntotal: 1\ngrades: [{min: 80}]\ntree: []\n", ERR_DATA, 3,
	  "grade", "missing" },
	{ "name: b\ntotal: 1\ngrades: [{min: 80, grade: ''}]\ntree: []\n",
	  ERR_DATA, 3, "grade", "empty" },
	{ "name: b\ntotal: 1\ngrades: [{min: 80, grade: A, max: 9}]\n"
	  "tree: []\n", ERR_DATA, 3, "", "unknown key 'max'" },
	{ "name: b\ntotal: 1\ngrades: []\ntree: []\n", ERR_DATA, 3,
	  "grades", "empty" },
	/* times and scopes */
	{ "name: b\ntotal: 1\ntimes: [event]\ntree: []\n", ERR_DATA, 3,
	  "times", "expected a mapping" },
	{ "name: b\ntotal: 1\ntimes: {Event: reported}\ntree: []\n",
	  ERR_DATA, 3, "kind", "expected a kind name" },
	{ "name: b\ntotal: 1\ntimes: {event: Reported}\ntree: []\n",
	  ERR_DATA, 3, "event", "expected a field name" },
	{ "name: b\ntotal: 1\nscopes: {all: {event: x}}\ntree: []\n",
	  ERR_DATA, 3, "all", "no field" },
	{ "name: b\ntotal: 1\nscopes: {worker: reporter_id}\ntree: []\n",
	  ERR_DATA, 3, "worker", "expected a mapping of kind: field" },
	{ "name: b\ntotal: 1\nscopes: {worker: {event: ''}}\ntree: []\n",
	  ERR_DATA, 3, "event", "empty" },
	{ "name: b\ntotal: 1\nscopes: {worker: {event: 'a.b'}}\n"
	  "tree: []\n", ERR_DATA, 3, "event", "expected a field name" },
	/* YAML itself */
	{ "name: b\ntotal: 1\ntree: [\n", ERR_DATA, 0, NULL, "" },
	{ "name: b\nname: c\ntotal: 1\ntree: []\n", ERR_DATA, 2, NULL, "" },
};

static void
test_errors(void **state)
{
	struct indicators *in;
	struct err e;
	size_t i;
	long live = mem_live();
	int rc, nbad = 0;

	(void)state;
	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const struct bad *b = &bads[i];

		err_clear(&e);
		in = (struct indicators *)1;
		rc = ind_load_string(&in, b->yaml, strlen(b->yaml), "b.yaml",
		    &e);
		if (rc != b->code || (b->line > 0 && e.line != b->line) ||
		    (b->field != NULL && strcmp(e.field, b->field) != 0) ||
		    strstr(e.msg, b->msg) == NULL || in != NULL ||
		    e.code != rc)
		{
			print_message("case %zu: rc %d line %ld field '%s': "
			    "%s\n", i, rc, e.line, e.field, e.msg);
			nbad++;
			continue;
		}
		if (b->code == ERR_DATA && b->line > 0)
			assert_string_equal(e.file, "b.yaml");
		assert_int_equal(mem_live(), live);
	}
	assert_int_equal(nbad, 0);
}

static void
test_load_file(void **state)
{
	struct indicators *in;
	struct err e;
	int64_t s;
	int rc;

	(void)state;
	err_clear(&e);
	rc = ind_load_file(&in, DATA "good.yaml", &e);
	assert_int_equal(rc, 0);
	assert_string_equal(in->path, DATA "good.yaml");
	assert_int_equal(ind_find(in, "R")->target, D(0.95));
	assert_int_equal(ind_score(ind_find(in, "R"), false, D(0.76), &s), 1);
	assert_int_equal(s, D(8));
	ind_free(in);

	err_clear(&e);
	rc = ind_load_file(&in, DATA "bad-weights.yaml", &e);
	assert_int_equal(rc, ERR_DATA);
	assert_null(in);
	assert_string_equal(e.file, DATA "bad-weights.yaml");
	assert_int_equal(e.line, 4);
	assert_string_equal(e.field, "weight");
	assert_string_equal(e.msg, "weights of the items add up to 9, not 10");

	err_clear(&e);
	rc = ind_load_file(&in, DATA "no-such-file.yaml", &e);
	assert_int_equal(rc, ERR_NOINPUT);
	assert_null(in);
}

/* Every preset loads, its weights add up, and a few leaves are right. */
static void
test_presets(void **state)
{
	static const struct {
		const char *file, *name, *top_grade, *leaf;
		size_t ngrade, ntop;
	} p[] = {
		{ "schemas/indicators/fiscal.yaml", "fiscal", "优", "C4", 4,
		  4 },
		{ "schemas/indicators/cjt292-worker.yaml", "cjt292-worker",
		  "A", "R1", 5, 3 },
		{ "schemas/indicators/cjt292-department.yaml",
		  "cjt292-department", "A", "D2", 5, 2 },
		{ "schemas/indicators/cjt292-area.yaml", "cjt292-area", "A",
		  "A4", 5, 2 },
	};
	struct indicators *in;
	const struct ind_node *n;
	struct err e;
	int64_t sum, s, full;
	size_t i, j, k;
	long live = mem_live();
	int rc;

	(void)state;
	for (i = 0; i < sizeof p / sizeof p[0]; i++) {
		err_clear(&e);
		rc = ind_load_file(&in, p[i].file, &e);
		if (rc != 0)
			fail_msg("%s:%ld: %s: %s", e.file, e.line, e.field,
			    e.msg);
		assert_string_equal(in->name, p[i].name);
		assert_int_equal(in->total, D(100));
		assert_int_equal(in->ngrade, p[i].ngrade);
		assert_string_equal(ind_grade(in, D(90)), p[i].top_grade);
		assert_int_equal(in->root->nitem, p[i].ntop);
		n = ind_find(in, p[i].leaf);
		assert_non_null(n);
		assert_int_equal(n->rule, IND_RULE_RATIO);
		/*
		 * The weights add up at every group, and the full marks of
		 * all scored leaves make the total: every weighted leaf
		 * is scored.
		 */
		full = 0;
		for (j = 0; j < in->norder; j++) {
			n = in->order[j];
			if (n->type == IND_GROUP) {
				sum = 0;
				for (k = 0; k < n->nitem; k++)
					if (n->item[k]->has_weight)
						sum += n->item[k]->weight;
				assert_int_equal(sum, n->weight);
				continue;
			}
			if (!n->has_weight)
				continue;
			if (n->type == IND_MANUAL)
				full += n->weight;
			else {
				assert_int_equal(ind_score(n, false,
				    n->direction > 0 ? D(1000000) : 0, &s), 1);
				full += s;
			}
		}
		if (strcmp(p[i].name, "fiscal") != 0)
			assert_int_equal(full, D(100));
		ind_free(in);
	}
	assert_int_equal(mem_live(), live);
}

static void
test_oom(void **state)
{
	static const char *const files[] = {
		"schemas/indicators/fiscal.yaml",
		"schemas/indicators/cjt292-department.yaml",
	};
	struct indicators *in;
	struct err e;
	long live = mem_live(), n;
	size_t i;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = ind_load_string(&in, EXAMPLE, strlen(EXAMPLE), "t.yaml",
		    &e);
		mem_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(in->norder, 14);
			ind_free(in);
			assert_int_equal(mem_live(), live);
			break;
		}
		if (rc != ERR_INTERNAL)
			fail_msg("n=%ld: rc %d %s", n, rc, e.msg);
		assert_null(in);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 100);

	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		for (n = 0;; n++) {
			mem_fail_after(n);
			err_clear(&e);
			rc = ind_load_file(&in, files[i], &e);
			mem_fail_after(-1);
			if (rc == 0) {
				ind_free(in);
				assert_int_equal(mem_live(), live);
				break;
			}
			if (rc != ERR_INTERNAL)
				fail_msg("n=%ld: rc %d %s", n, rc, e.msg);
			assert_null(in);
			assert_int_equal(mem_live(), live);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_time_scope),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_manual_and_unscored),
		cmocka_unit_test(test_grades),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("indicators", tests, NULL, NULL);
}
