/* test_route.c - unit tests of lib/route */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "err.h"
#include "mem.h"
#include "route.h"
#include "time.h"

#define DATA "tests/unit/data/route/"

/*
 * A small calendar: September and October 2017, windows 09:00-12:00 and
 * 13:00-18:00 (8 working hours a day), the National Day week off and
 * Saturday 09-30 a make-up workday.  2017-09-04 is a Monday.
 */
static const char CAL[] =
    "name: t\n"
    "offset: \"+08:00\"\n"
    "from: 2017-09-01\n"
    "to: 2017-10-31\n"
    "windows: [\"09:00-12:00\", \"13:00-18:00\"]\n"
    "holidays:\n"
    "  - {from: 2017-10-01, to: 2017-10-08}\n"
    "workdays:\n"
    "  - 2017-09-30\n";

static const char ROUTE[] =
    "name: test\n"						/* 1 */
    "calendar: ignored\n"
    "light: {green: 0.8, yellow: 1.0}\n"
    "steps:\n"
    "  file: {limit: 2, unit: work_hours}\n"			/* 5 */
    "  dispatch: {limit: 1, unit: work_hours}\n"
    "  verify: {limit: 1, unit: work_days}\n"
    "  close: {limit: 1, unit: days}\n"
    "severity:\n"
    "  urgent: {level: street, factor: 0.5}\n"		/* 10 */
    "  high: {level: community}\n"
    "escalation:\n"
    "  - {from: grid, to: community, after: {limit: 1, unit: work_days}}\n"
    "  - {from: community, to: street, after: {limit: 3, unit: work_days}}\n"
    "  - {from: street, to: district, after: {limit: 5, unit: work_days}}\n"
    "departments:\n"
    "  - {name: 网格员, level: grid}\n"
    "  - {name: 街道城管办, level: street}\n"
    "categories:\n"
    "  - {code: \"01\", name: 市容环境}\n"			/* 20 */
    "  - {code: \"0101\", name: 暴露垃圾, department: 环卫所, level: grid,\n"
    "     handle: {limit: 10, unit: work_hours}}\n"
    "  - {code: \"010102\", name: 小区垃圾,\n"
    "     handle: {limit: 5, unit: work_hours}}\n"
    "  - {code: \"02\", name: 宣传广告, department: 城管, level: community}\n"
    "  - {code: \"0203\", name: 违法建设, level: street,\n"
    "     handle: [{name: 停工, limit: 4, unit: work_hours},\n"
    "              {name: 处罚, limit: 7, unit: work_days},\n"
    "              {name: 拆除, limit: 20, unit: work_days}]}\n"
    "  - {code: \"02031\", name: 占道, handle: {limit: 2, unit: hours}}\n"
    "  - {code: \"03\", name: 其他, handle: {limit: 30, unit: work_minutes}}\n"
    "default: {level: community, department: 综合执法,\n"
    "          handle: {limit: 5, unit: work_days}}\n";

static struct calendar *cal;

/* "MM-DD HH:MM" or "MM-DD HH:MM:SS" of 2017 at +08:00 as an instant. */
static int64_t
T(const char *s)
{
	char iso[64];
	int64_t t;
	int off;

	snprintf(iso, sizeof iso, "2017-%.5sT%s%s+08:00", s, s + 6,
	    strlen(s) == 11 ? ":00" : "");
	if (time_iso_to_epoch(iso, strlen(iso), &t, &off) != 0)
		fail_msg("bad test instant %s", iso);
	return t;
}

static int
setup(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	return calendar_load_string(&cal, CAL, strlen(CAL), "cal.yaml", &e);
}

static int
teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static struct route *
load_route(void)
{
	struct route *r;
	struct err e;

	err_clear(&e);
	if (route_load_string(&r, ROUTE, strlen(ROUTE), "r.yaml", cal, NULL,
	    &e) != 0)
		fail_msg("route: %s:%ld: %s: %s", e.file, e.line, e.field,
		    e.msg);
	return r;
}

/* A dispatched event of category 0101 (handle limit 10 working hours). */
static void
ev_0101(struct route_event *ev)
{
	route_event_init(ev);
	ev->category = "0101";
	ev->reported = T("09-04 09:00");
	ev->filed = T("09-04 09:30");
	ev->dispatched = T("09-04 10:00");
}

static void
judge_ok(const struct route *r, const struct route_event *ev, int64_t asof,
    struct route_result *res)
{
	struct err e;

	err_clear(&e);
	if (route_judge(r, ev, asof, res, &e) != 0)
		fail_msg("judge: field %s: %s", e.field, e.msg);
}

static void
judge_bad(const struct route *r, const struct route_event *ev, int64_t asof,
    const char *field, const char *msg)
{
	struct route_result res;
	struct err e;

	err_clear(&e);
	assert_int_equal(route_judge(r, ev, asof, &res, &e), ERR_DATA);
	assert_string_equal(e.field, field);
	assert_string_equal(e.msg, msg);
}

static void
test_load(void **state)
{
	struct route *r;
	const struct route_category *c;
	long live = mem_live();

	(void)state;
	r = load_route();
	assert_string_equal(r->name, "test");
	assert_string_equal(r->path, "r.yaml");
	assert_ptr_equal(r->cal, cal);
	assert_false(r->own_cal);
	assert_int_equal(r->green_ppm, 800000);
	assert_int_equal(r->yellow_ppm, 1000000);
	assert_true(r->has_step[ROUTE_FILE]);
	assert_false(r->has_step[ROUTE_HANDLE]);
	assert_int_equal(r->step[ROUTE_VERIFY].n, 1);
	assert_int_equal(r->step[ROUTE_VERIFY].unit, ROUTE_WORK_DAYS);
	assert_int_equal(r->step[ROUTE_CLOSE].unit, ROUTE_DAYS);
	assert_int_equal(r->nsev, 2);
	assert_string_equal(r->sev[0].name, "urgent");
	assert_int_equal(r->sev[0].level, ROUTE_STREET);
	assert_true(r->sev[0].factor == 0.5);
	assert_int_equal(r->sev[1].level, ROUTE_COMMUNITY);
	assert_true(r->sev[1].factor == 1.0);
	assert_true(r->has_after[ROUTE_GRID]);
	assert_true(r->has_after[ROUTE_STREET]);
	assert_false(r->has_after[ROUTE_DISTRICT]);
	assert_int_equal(r->after[ROUTE_COMMUNITY].n, 3);
	assert_int_equal(r->ndept, 2);
	assert_int_equal(r->ncat, 7);
	assert_int_equal(r->nroutable, 5);
	assert_int_equal(r->def.level, ROUTE_COMMUNITY);
	assert_string_equal(r->def.department, "综合执法");
	assert_null(r->def.code);

	/* inheritance: from the minor class, the major class, the default */
	assert_string_equal(r->cat[2].code, "010102");
	assert_int_equal(r->cat[2].level, ROUTE_GRID);
	assert_string_equal(r->cat[2].department, "环卫所");
	assert_int_equal(r->cat[2].line, 23);
	assert_string_equal(r->cat[4].department, "城管");
	assert_int_equal(r->cat[4].level, ROUTE_STREET);
	/* 02031 is a minor class of 02 (5 digits), not a subclass of 0203 */
	assert_string_equal(r->cat[5].department, "城管");
	assert_int_equal(r->cat[5].level, ROUTE_COMMUNITY);
	assert_int_equal(r->cat[6].level, ROUTE_COMMUNITY);
	assert_string_equal(r->cat[6].department, "综合执法");
	assert_int_equal(r->cat[0].level, ROUTE_COMMUNITY);
	assert_null(r->cat[0].handle);

	/* multi-limit class: every stage kept, in order */
	c = &r->cat[4];
	assert_int_equal(c->nhandle, 3);
	assert_string_equal(c->handle[0].name, "停工");
	assert_int_equal(c->handle[0].n, 4);
	assert_int_equal(c->handle[0].unit, ROUTE_WORK_HOURS);
	assert_string_equal(c->handle[1].name, "处罚");
	assert_string_equal(c->handle[2].name, "拆除");
	assert_int_equal(c->handle[2].n, 20);
	assert_null(r->cat[1].handle[0].name);

	/* longest prefix with a handle */
	assert_string_equal(route_find(r, "0101")->code, "0101");
	assert_string_equal(route_find(r, "010199")->code, "0101");
	assert_string_equal(route_find(r, "01019")->code, "0101");
	assert_string_equal(route_find(r, "010102")->code, "010102");
	assert_string_equal(route_find(r, "0101021")->code, "010102");
	assert_string_equal(route_find(r, "01010299")->code, "010102");
	assert_string_equal(route_find(r, "0203")->code, "0203");
	assert_string_equal(route_find(r, "02031")->code, "02031");
	assert_string_equal(route_find(r, "020311")->code, "02031");
	assert_string_equal(route_find(r, "020399")->code, "0203");
	assert_string_equal(route_find(r, "03")->code, "03");
	assert_string_equal(route_find(r, "0399")->code, "03");
	assert_null(route_find(r, "01"));
	assert_null(route_find(r, "0102"));
	assert_null(route_find(r, "02"));
	assert_null(route_find(r, "0204"));
	assert_null(route_find(r, "0"));
	assert_null(route_find(r, ""));
	assert_null(route_find(r, NULL));
	assert_null(route_find(r, "x101"));

	route_free(r);
	assert_int_equal(mem_live(), live);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(route_level_name(ROUTE_GRID), "grid");
	assert_string_equal(route_level_name(ROUTE_DISTRICT), "district");
	assert_string_equal(route_level_name(4), "");
	assert_string_equal(route_level_name(-1), "");
	assert_string_equal(route_step_name(ROUTE_DISPATCH), "dispatch");
	assert_string_equal(route_step_name(ROUTE_CLOSE), "close");
	assert_string_equal(route_state_name(ROUTE_SUSPENDED), "suspended");
	assert_string_equal(route_light_name(ROUTE_LIGHT_NONE), "");
	assert_string_equal(route_light_name(ROUTE_YELLOW), "yellow");
	assert_string_equal(route_unit_name(ROUTE_WORK_MINUTES),
	    "work_minutes");
	assert_string_equal(route_unit_name(ROUTE_HOURS), "hours");
}

/* A closed event, each step on time, handling exactly at 80 %. */
static void
test_closed_green(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	ev_0101(&ev);
	ev.handled = T("09-05 10:00");
	ev.verified = T("09-05 15:00");
	ev.closed = T("09-05 16:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.state, ROUTE_CLOSED);
	assert_int_equal(res.level, ROUTE_GRID);
	assert_string_equal(res.department, "环卫所");
	assert_string_equal(res.category_code, "0101");
	assert_string_equal(res.category_name, "暴露垃圾");
	assert_false(res.route_default);
	assert_int_equal(res.due[ROUTE_FILE], T("09-04 11:00"));
	assert_int_equal(res.due[ROUTE_DISPATCH], T("09-04 10:30"));
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 12:00"));
	assert_int_equal(res.due[ROUTE_VERIFY], T("09-06 10:00"));
	assert_int_equal(res.due[ROUTE_CLOSE], T("09-06 15:00"));
	for (int s = 0; s < ROUTE_NSTEPS; s++)
		assert_int_equal(res.ontime[s], 1);
	assert_int_equal(res.handle_used_secs, 8 * 3600);
	assert_int_equal(res.handle_limit_secs, 10 * 3600);
	assert_int_equal(res.light, ROUTE_GREEN);
	assert_int_equal(res.handled_level, ROUTE_GRID);
	assert_false(res.escalated);
	assert_false(res.overdue);
	route_free(r);
}

/* The light's edges: 80 % green, just above yellow, 100 % yellow, red. */
static void
test_light(void **state)
{
	static const struct {
		const char *handled;
		int64_t used;
		enum route_light light;
		int ontime;
	} c[] = {
		{ "09-05 09:59:59", 8 * 3600 - 1, ROUTE_GREEN, 1 },
		{ "09-05 10:00", 8 * 3600, ROUTE_GREEN, 1 },
		{ "09-05 10:00:01", 8 * 3600 + 1, ROUTE_YELLOW, 1 },
		{ "09-05 12:00", 10 * 3600, ROUTE_YELLOW, 1 },
		/* lunch: no working time after the due passes */
		{ "09-05 12:59", 10 * 3600, ROUTE_YELLOW, 1 },
		{ "09-05 13:00:01", 10 * 3600 + 1, ROUTE_RED, 0 },
		{ "09-06 13:00", 18 * 3600, ROUTE_RED, 0 },
	};
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		ev_0101(&ev);
		ev.handled = T(c[i].handled);
		judge_ok(r, &ev, ROUTE_NONE, &res);
		if (res.handle_used_secs != c[i].used ||
		    res.light != c[i].light ||
		    res.ontime[ROUTE_HANDLE] != c[i].ontime)
			fail_msg("%s: used %lld light %d ontime %d",
			    c[i].handled, (long long)res.handle_used_secs,
			    res.light, res.ontime[ROUTE_HANDLE]);
		assert_int_equal(res.state, ROUTE_OPEN);
		assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 12:00"));
		/* verify is due, not judged: no asof */
		assert_int_equal(res.ontime[ROUTE_VERIFY], -1);
		assert_false(res.overdue);
	}
	route_free(r);
}

/* Other light fractions, read to the millionth. */
static void
test_light_custom(void **state)
{
	static const char doc[] =
	    "light: {green: 0.5, yellow: 0.75}\n"
	    "steps: {}\n"
	    "categories: []\n"
	    "default: {level: grid, handle: {limit: 4, unit: work_hours}}\n";
	struct route *r;
	struct route_event ev;
	struct route_result res;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(route_load_string(&r, doc, strlen(doc), "r.yaml",
	    cal, NULL, &e), 0);
	assert_int_equal(r->green_ppm, 500000);
	assert_int_equal(r->yellow_ppm, 750000);
	route_event_init(&ev);
	ev.reported = ev.dispatched = T("09-04 09:00");
	ev.handled = T("09-04 11:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_true(res.route_default);
	assert_null(res.category_code);
	assert_null(res.category_name);
	assert_null(res.department);
	assert_int_equal(res.light, ROUTE_GREEN);
	ev.handled = T("09-04 11:00:01");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.light, ROUTE_YELLOW);
	ev.handled = T("09-04 12:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.light, ROUTE_YELLOW);
	ev.handled = T("09-04 13:00:01");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.light, ROUTE_RED);
	assert_int_equal(res.ontime[ROUTE_HANDLE], 1);
	assert_int_equal(res.due[ROUTE_FILE], ROUTE_NONE);
	assert_int_equal(res.ontime[ROUTE_FILE], -1);
	route_free(r);
}

static void
test_open_asof(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	/* no asof: nothing to measure */
	ev_0101(&ev);
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.state, ROUTE_OPEN);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 12:00"));
	assert_int_equal(res.ontime[ROUTE_FILE], 1);
	assert_int_equal(res.ontime[ROUTE_DISPATCH], 1);
	assert_int_equal(res.ontime[ROUTE_HANDLE], -1);
	assert_int_equal(res.due[ROUTE_VERIFY], ROUTE_NONE);
	assert_int_equal(res.handle_used_secs, ROUTE_NONE);
	assert_int_equal(res.handle_limit_secs, 36000);
	assert_int_equal(res.light, ROUTE_LIGHT_NONE);
	assert_int_equal(res.handled_level, ROUTE_GRID);
	assert_false(res.overdue);

	/* as of before the due: yellow, not yet late */
	judge_ok(r, &ev, T("09-05 11:00"), &res);
	assert_int_equal(res.handle_used_secs, 9 * 3600);
	assert_int_equal(res.light, ROUTE_YELLOW);
	assert_int_equal(res.ontime[ROUTE_HANDLE], -1);
	assert_false(res.overdue);
	/* one working day used: the ladder moves it up */
	assert_int_equal(res.handled_level, ROUTE_COMMUNITY);
	assert_true(res.escalated);

	/* at the due exactly, and after work on that day: not late */
	judge_ok(r, &ev, T("09-05 12:30"), &res);
	assert_int_equal(res.ontime[ROUTE_HANDLE], -1);
	assert_false(res.overdue);

	/* past it: late, overdue, red */
	judge_ok(r, &ev, T("09-05 13:00:01"), &res);
	assert_int_equal(res.ontime[ROUTE_HANDLE], 0);
	assert_true(res.overdue);
	assert_int_equal(res.light, ROUTE_RED);

	/* a reported event not filed in time */
	route_event_init(&ev);
	ev.category = "0101";
	ev.reported = T("09-04 09:00");
	judge_ok(r, &ev, T("09-04 11:00"), &res);
	assert_int_equal(res.due[ROUTE_FILE], T("09-04 11:00"));
	assert_int_equal(res.ontime[ROUTE_FILE], -1);
	assert_false(res.overdue);
	assert_int_equal(res.light, ROUTE_LIGHT_NONE);
	assert_int_equal(res.due[ROUTE_HANDLE], ROUTE_NONE);
	judge_ok(r, &ev, T("09-04 11:00:01"), &res);
	assert_int_equal(res.ontime[ROUTE_FILE], 0);
	assert_true(res.overdue);

	/* a skipped step (handled, never verified, but closed) stays unknown;
	 * a closed event ignores asof */
	ev_0101(&ev);
	ev.handled = T("09-04 11:00");
	ev.closed = T("09-04 12:00");
	judge_ok(r, &ev, T("09-04 11:30"), &res);
	assert_int_equal(res.state, ROUTE_CLOSED);
	assert_int_equal(res.due[ROUTE_VERIFY], T("09-05 11:00"));
	assert_int_equal(res.ontime[ROUTE_VERIFY], -1);
	assert_int_equal(res.due[ROUTE_CLOSE], ROUTE_NONE);
	assert_false(res.overdue);
	/* an open event that skipped verification */
	ev.closed = ROUTE_NONE;
	ev.verified = ROUTE_NONE;
	judge_ok(r, &ev, T("09-08 12:00"), &res);
	assert_int_equal(res.ontime[ROUTE_VERIFY], 0);
	assert_true(res.overdue);
	route_free(r);
}

static void
test_suspended(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	/* still suspended: the clock stopped at 14:00 */
	ev_0101(&ev);
	ev.susp_from = T("09-04 14:00");
	judge_ok(r, &ev, T("09-06 17:00"), &res);
	assert_int_equal(res.state, ROUTE_SUSPENDED);
	assert_int_equal(res.handle_used_secs, 3 * 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], ROUTE_NONE);
	assert_int_equal(res.ontime[ROUTE_HANDLE], -1);
	assert_int_equal(res.light, ROUTE_GREEN);
	assert_int_equal(res.handled_level, ROUTE_GRID);
	assert_false(res.overdue);

	/* suspended after the due: late, but a suspended event is not in
	 * the overdue list */
	ev.susp_from = T("09-05 14:00");
	judge_ok(r, &ev, T("09-06 17:00"), &res);
	assert_int_equal(res.state, ROUTE_SUSPENDED);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 12:00"));
	assert_int_equal(res.handle_used_secs, 11 * 3600);
	assert_int_equal(res.ontime[ROUTE_HANDLE], 0);
	assert_false(res.overdue);

	/* a whole working day suspended, then handled: due moves on */
	ev_0101(&ev);
	ev.susp_from = T("09-04 14:00");
	ev.susp_to = T("09-05 14:00");
	ev.handled = T("09-05 17:00");
	ev.verified = T("09-05 17:30");
	ev.closed = T("09-06 09:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.state, ROUTE_CLOSED);
	assert_int_equal(res.handle_used_secs, 6 * 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-06 12:00"));
	assert_int_equal(res.ontime[ROUTE_HANDLE], 1);
	assert_int_equal(res.light, ROUTE_GREEN);

	/* resumed, still open */
	ev.handled = ev.verified = ev.closed = ROUTE_NONE;
	judge_ok(r, &ev, T("09-06 12:00"), &res);
	assert_int_equal(res.state, ROUTE_OPEN);
	assert_int_equal(res.handle_used_secs, 10 * 3600);
	assert_int_equal(res.light, ROUTE_YELLOW);
	assert_false(res.overdue);
	judge_ok(r, &ev, T("09-06 13:00:01"), &res);
	assert_true(res.overdue);

	/* suspended before handling started: only the part after counts */
	ev_0101(&ev);
	ev.susp_from = T("09-04 09:40");
	ev.susp_to = T("09-04 11:00");
	ev.handled = T("09-04 12:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 14:00"));
	route_free(r);
}

static void
test_voided(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	ev_0101(&ev);
	ev.voided = true;
	ev.handled = T("09-20 10:00");
	judge_ok(r, &ev, T("09-29 10:00"), &res);
	assert_int_equal(res.state, ROUTE_VOIDED);
	assert_int_equal(res.level, ROUTE_GRID);
	assert_string_equal(res.category_code, "0101");
	for (int s = 0; s < ROUTE_NSTEPS; s++) {
		assert_int_equal(res.due[s], ROUTE_NONE);
		assert_int_equal(res.ontime[s], -1);
	}
	assert_int_equal(res.light, ROUTE_LIGHT_NONE);
	assert_int_equal(res.handle_used_secs, ROUTE_NONE);
	assert_false(res.overdue);
	assert_false(res.escalated);

	/* a voided event is still checked, but not against the calendar */
	ev.closed = T("09-04 08:00");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'reported'");
	ev.closed = ROUTE_NONE;
	ev.reported = T("08-04 08:00") - 86400 * 40;
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.state, ROUTE_VOIDED);
	route_free(r);
}

static void
test_contradictions(void **state)
{
	struct route *r = load_route();
	struct route_event ev;

	(void)state;
	route_event_init(&ev);
	judge_bad(r, &ev, ROUTE_NONE, "reported", "'reported' missing");

	ev.reported = T("09-04 10:00");
	ev.closed = T("09-04 09:00");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'reported'");
	ev.filed = T("09-04 12:00");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'reported'");
	ev.closed = T("09-04 11:00");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'filed'");

	route_event_init(&ev);
	ev.reported = T("09-04 09:00");
	ev.filed = T("09-04 10:00");
	ev.handled = T("09-04 09:30");
	judge_bad(r, &ev, ROUTE_NONE, "handled", "'handled' before 'filed'");
	ev.handled = T("09-04 10:30");
	ev.dispatched = T("09-04 11:00");
	judge_bad(r, &ev, ROUTE_NONE, "handled",
	    "'handled' before 'dispatched'");
	ev.dispatched = T("09-04 09:50");
	judge_bad(r, &ev, ROUTE_NONE, "dispatched",
	    "'dispatched' before 'filed'");
	ev.dispatched = T("09-04 10:10");
	ev.verified = T("09-04 10:20");
	judge_bad(r, &ev, ROUTE_NONE, "verified",
	    "'verified' before 'handled'");
	ev.verified = T("09-04 10:40");
	ev.closed = T("09-04 10:35");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'verified'");
	ev.closed = ROUTE_NONE;
	ev.filed = T("09-04 08:59");
	judge_bad(r, &ev, ROUTE_NONE, "filed", "'filed' before 'reported'");
	ev.filed = T("09-04 10:00");

	ev.self_handled = true;
	judge_bad(r, &ev, ROUTE_NONE, "dispatched",
	    "'dispatched' on a self-handled event");
	ev.self_handled = false;

	ev.susp_to = T("09-04 11:00");
	judge_bad(r, &ev, ROUTE_NONE, "suspended_to",
	    "'suspended_to' without 'suspended_from'");
	ev.susp_from = T("09-04 08:00");
	judge_bad(r, &ev, ROUTE_NONE, "suspended_from",
	    "'suspended_from' before 'reported'");
	ev.susp_from = T("09-04 11:30");
	judge_bad(r, &ev, ROUTE_NONE, "suspended_to",
	    "'suspended_to' before 'suspended_from'");
	ev.susp_from = T("09-04 10:50");
	ev.closed = T("09-04 10:55");
	judge_bad(r, &ev, ROUTE_NONE, "closed", "'closed' before 'suspended_to'");
	ev.susp_to = ROUTE_NONE;
	ev.closed = T("09-04 10:45");
	judge_bad(r, &ev, ROUTE_NONE, "closed",
	    "'closed' before 'suspended_from'");

	/* an open event judged as of a time before its instants */
	ev.closed = ROUTE_NONE;
	ev.susp_from = ROUTE_NONE;
	judge_bad(r, &ev, T("09-04 10:35"), "asof",
	    "'asof' before 'verified'");

	/* instants the calendar does not cover */
	route_event_init(&ev);
	ev.reported = T("09-01 00:00") - 1;
	judge_bad(r, &ev, ROUTE_NONE, "reported", "outside the calendar");
	ev.reported = T("09-04 09:00");
	ev.susp_from = T("10-31 23:59:59") + 1;
	judge_bad(r, &ev, ROUTE_NONE, "suspended_from", "outside the calendar");
	ev.susp_from = ROUTE_NONE;
	judge_bad(r, &ev, T("10-31 23:59:59") + 1, "asof",
	    "outside the calendar");
	/* a due past the calendar's end */
	ev.category = "99";
	ev.reported = T("10-30 09:00");
	ev.dispatched = T("10-30 10:00");
	judge_bad(r, &ev, ROUTE_NONE, "handle", "due outside the calendar");
	route_free(r);
}

static void
test_self_handled(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	route_event_init(&ev);
	ev.category = "0101";
	ev.self_handled = true;
	ev.department = "街道城管办";
	ev.reported = T("09-04 09:00");
	ev.filed = T("09-04 09:10");
	ev.handled = T("09-04 11:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.due[ROUTE_DISPATCH], ROUTE_NONE);
	assert_int_equal(res.ontime[ROUTE_DISPATCH], -1);
	assert_int_equal(res.handle_used_secs, 6600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 11:10"));
	assert_int_equal(res.handled_level, ROUTE_GRID);
	assert_false(res.escalated);
	assert_int_equal(res.light, ROUTE_GREEN);

	/* not filed: handling starts at reported */
	ev.filed = ROUTE_NONE;
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 7200);
	assert_int_equal(res.due[ROUTE_FILE], T("09-04 11:00"));
	assert_int_equal(res.ontime[ROUTE_FILE], -1);

	/* open, not yet handled: the clock runs from reported */
	ev.handled = ROUTE_NONE;
	judge_ok(r, &ev, T("09-04 10:00"), &res);
	assert_int_equal(res.handle_used_secs, 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-05 11:00"));

	/* not self-handled, not dispatched, not handled: not started */
	ev.self_handled = false;
	judge_ok(r, &ev, T("09-04 10:00"), &res);
	assert_int_equal(res.handle_used_secs, ROUTE_NONE);
	assert_int_equal(res.due[ROUTE_HANDLE], ROUTE_NONE);
	assert_int_equal(res.light, ROUTE_LIGHT_NONE);
	/* handled without a dispatched time: from filed or reported */
	ev.handled = T("09-04 10:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 3600);
	route_free(r);
}

static void
test_severity(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	ev_0101(&ev);
	ev.severity = "urgent";
	ev.handled = T("09-04 15:00");
	ev.verified = T("09-04 16:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.level, ROUTE_STREET);
	assert_string_equal(res.department, "环卫所");
	assert_int_equal(res.handle_limit_secs, 5 * 3600);
	assert_int_equal(res.due[ROUTE_FILE], T("09-04 10:00"));
	assert_int_equal(res.due[ROUTE_DISPATCH], T("09-04 10:00"));
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-04 16:00"));
	assert_int_equal(res.due[ROUTE_VERIFY], T("09-05 10:00"));
	assert_int_equal(res.due[ROUTE_CLOSE], T("09-05 04:00"));
	assert_int_equal(res.handle_used_secs, 4 * 3600);
	assert_int_equal(res.light, ROUTE_GREEN);
	/* the ladder starts from the raised level */
	assert_int_equal(res.handled_level, ROUTE_STREET);
	assert_false(res.escalated);

	/* high raises grid to community; never lowers street */
	ev.severity = "high";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.level, ROUTE_COMMUNITY);
	assert_int_equal(res.handle_limit_secs, 10 * 3600);
	ev.category = "0203";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.level, ROUTE_STREET);
	/* unknown and empty severities change nothing */
	ev.category = "0101";
	ev.severity = "low";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.level, ROUTE_GRID);
	ev.severity = "";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.level, ROUTE_GRID);
	route_free(r);
}

static void
test_default_and_classes(void **state)
{
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;

	(void)state;
	/* unknown category: the default route, counted */
	ev_0101(&ev);
	ev.category = "0102";
	ev.handled = T("09-06 10:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_true(res.route_default);
	assert_int_equal(res.level, ROUTE_COMMUNITY);
	assert_string_equal(res.department, "综合执法");
	assert_null(res.category_name);
	assert_int_equal(res.handle_limit_secs, 5 * 8 * 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-11 10:00"));
	assert_int_equal(res.light, ROUTE_GREEN);
	ev.category = NULL;
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_true(res.route_default);

	/* a subclass routes by its own limit */
	ev.category = "010102";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_false(res.route_default);
	assert_string_equal(res.category_name, "小区垃圾");
	assert_int_equal(res.handle_limit_secs, 5 * 3600);
	assert_int_equal(res.light, ROUTE_RED);

	/* several limits: judged against the last, 20 working days */
	ev.category = "0203";
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_string_equal(res.department, "城管");
	assert_int_equal(res.handle_limit_secs, 20 * 8 * 3600);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-30 10:00"));

	/* calendar hours: lunch counts, suspension does not */
	ev.category = "02031";
	ev.dispatched = T("09-04 11:00");
	ev.handled = T("09-04 13:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 7200);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-04 13:00"));
	assert_int_equal(res.light, ROUTE_YELLOW);
	assert_int_equal(res.ontime[ROUTE_HANDLE], 1);
	ev.susp_from = T("09-04 11:30");
	ev.susp_to = T("09-04 12:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 5400);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-04 13:30"));
	assert_int_equal(res.light, ROUTE_GREEN);
	ev.handled = T("09-04 13:30:01");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.light, ROUTE_RED);
	assert_int_equal(res.ontime[ROUTE_HANDLE], 0);
	route_free(r);
}

static void
test_escalation(void **state)
{
	static const struct {
		const char *handled;
		const char *department;
		enum route_level level;
	} c[] = {
		{ "09-05 10:00", NULL, ROUTE_GRID },
		{ "09-05 10:00:01", NULL, ROUTE_COMMUNITY },
		{ "09-07 10:00", NULL, ROUTE_COMMUNITY },
		{ "09-07 10:00:01", NULL, ROUTE_STREET },
		{ "09-11 10:00", NULL, ROUTE_STREET },
		{ "09-11 10:00:01", NULL, ROUTE_DISTRICT },
		{ "09-29 10:00", NULL, ROUTE_DISTRICT },
		/* by department: its level, whatever the time */
		{ "09-04 10:30", "街道城管办", ROUTE_STREET },
		{ "09-11 10:00:01", "网格员", ROUTE_GRID },
		{ "09-11 10:00:01", "unknown unit", ROUTE_DISTRICT },
	};
	struct route *r = load_route();
	struct route_event ev;
	struct route_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		ev_0101(&ev);
		ev.handled = T(c[i].handled);
		ev.department = c[i].department;
		judge_ok(r, &ev, ROUTE_NONE, &res);
		if (res.handled_level != c[i].level ||
		    res.escalated != (c[i].level > ROUTE_GRID))
			fail_msg("%s %s: level %d", c[i].handled,
			    c[i].department, res.handled_level);
	}

	/* a suspension holds the ladder too */
	ev_0101(&ev);
	ev.susp_from = T("09-04 11:00");
	ev.susp_to = T("09-05 11:00");
	ev.handled = T("09-05 11:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.handle_used_secs, 3600);
	assert_int_equal(res.handled_level, ROUTE_GRID);
	route_free(r);
}

/* The examples of issue 4 on the shipped cn-2017 calendar. */
static void
test_cn2017(void **state)
{
	static const char doc[] =
	    "steps:\n"
	    "  verify: {limit: 1, unit: work_days}\n"
	    "categories: []\n"
	    "default: {level: grid, handle: {limit: 1, unit: work_days}}\n";
	struct calendar *cn;
	struct route *r;
	struct route_event ev;
	struct route_result res;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	if (calendar_load_file(&cn, "schemas/calendars/cn-2017.yaml", &e) !=
	    0)
		fail_msg("cn-2017: %s", e.msg);
	assert_int_equal(route_load_string(&r, doc, strlen(doc), "r.yaml",
	    cn, NULL, &e), 0);
	route_event_init(&ev);
	ev.reported = ev.dispatched = T("09-29 09:00");
	ev.handled = T("09-29 16:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.due[ROUTE_HANDLE], T("09-30 09:00"));
	assert_int_equal(res.due[ROUTE_VERIFY], T("09-30 16:00"));
	ev.reported = ev.dispatched = T("09-30 09:00");
	ev.handled = T("09-30 17:00");
	judge_ok(r, &ev, ROUTE_NONE, &res);
	assert_int_equal(res.due[ROUTE_VERIFY], T("10-09 17:00"));
	assert_int_equal(res.ontime[ROUTE_HANDLE], 1);
	route_free(r);
	calendar_free(cn);
	assert_int_equal(mem_live(), live);
}

static void
test_load_file(void **state)
{
	static const char nokey[] = "steps: {}\ncategories: []\n"
	    "default: {level: grid, handle: {limit: 1, unit: days}}\n";
	struct route *r;
	struct err e;
	long live = mem_live();

	(void)state;
	/* a bare name, found in the routing file's folder */
	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "good.yaml", NULL, &e), 0);
	assert_true(r->own_cal);
	assert_string_equal(calendar_name(r->cal), "small");
	assert_string_equal(r->name, "good");
	route_free(r);

	/* not in the folder: in calendar_dir */
	assert_int_equal(route_load_file(&r, DATA "cn.yaml", "schemas/calendars",
	    &e), 0);
	assert_string_equal(calendar_name(r->cal), "cn-2017");
	route_free(r);
	assert_int_equal(route_load_file(&r, DATA "cn.yaml",
	    "schemas/calendars/", &e), 0);
	route_free(r);
	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "cn.yaml", NULL, &e),
	    ERR_NOINPUT);
	assert_null(r);
	assert_string_equal(e.file, DATA "cn-2017.yaml");

	/* a path with a folder, relative to the routing file */
	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "subdir.yaml", NULL, &e), 0);
	assert_string_equal(calendar_name(r->cal), "small");
	route_free(r);

	/* the calendar's error, passed on */
	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "broken.yaml", NULL, &e),
	    ERR_DATA);
	assert_null(r);
	assert_string_equal(e.file, DATA "broken-cal.yaml");
	assert_int_equal(e.line, 4);
	assert_non_null(strstr(e.msg, "unknown key"));

	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "nocal.yaml",
	    "schemas/calendars", &e), ERR_NOINPUT);
	assert_string_equal(e.file, "schemas/calendars/nowhere.yml");

	err_clear(&e);
	assert_int_equal(route_load_file(&r, DATA "no-such-file.yaml", NULL,
	    &e), ERR_NOINPUT);
	assert_null(r);

	/* the calendar key is required without a calendar */
	err_clear(&e);
	assert_int_equal(route_load_string(&r, nokey, strlen(nokey), "x.yaml",
	    NULL, NULL, &e), ERR_DATA);
	assert_string_equal(e.field, "calendar");
	assert_string_equal(e.msg, "missing");
	assert_int_equal(e.line, 1);
	assert_int_equal(mem_live(), live);
}

/* Each load error, with its line, key and message. */
static void
test_load_errors(void **state)
{
	static const char base[] =
	    "steps: {}\n"
	    "categories: []\n"
	    "default: {level: grid, handle: {limit: 1, unit: days}}\n";
	static const char cats[] =
	    "steps: {}\n"
	    "default: {level: grid, handle: {limit: 1, unit: days}}\n"
	    "categories:\n"
	    "  - {code: \"01\", name: a}\n";
	static const struct {
		const char *pre, *text;
		long line;
		const char *field, *msg;
	} c[] = {
		{ base, "foo: 1\n", 4, "", "unknown key 'foo'" },
		{ base, "light: {green: 0.9, yellow: 0.8}\n", 4, "green",
		    "green above yellow" },
		{ base, "light: {yellow: 0.7}\n", 4, "green",
		    "green above yellow" },
		{ base, "light: {green: 0}\n", 4, "green",
		    "must be greater than 0 and at most 10" },
		{ base, "light: {yellow: 11}\n", 4, "yellow",
		    "must be greater than 0 and at most 10" },
		{ base, "light: {green: x}\n", 4, "green", "" },
		{ base, "light: {red: 1}\n", 4, "", "unknown key 'red'" },
		{ base, "name: [a]\n", 4, "name", "" },
		{ "", "steps:\n  file: {limit: 1, unit: weeks}\n", 2, "unit",
		    "unknown unit" },
		{ "", "steps:\n  file: {limit: 0, unit: days}\n", 2, "limit",
		    "must be greater than 0" },
		{ "", "steps:\n  file: {limit: -3, unit: days}\n", 2, "limit",
		    "must be greater than 0" },
		{ "", "steps:\n  file: {limit: 1.5, unit: days}\n", 2,
		    "limit", "" },
		{ "", "steps:\n  file: {limit: 36601, unit: work_days}\n", 2,
		    "limit", "too large" },
		{ "", "steps:\n  file: {unit: days}\n", 2, "limit",
		    "missing" },
		{ "", "steps:\n  file: {limit: 1}\n", 2, "unit", "missing" },
		{ "", "steps:\n  file: {limit: 1, unit: days, x: 1}\n", 2, "",
		    "unknown key 'x'" },
		{ "", "steps:\n  file: 3\n", 2, "file", "expected a mapping" },
		{ "", "steps:\n  handle: {limit: 1, unit: days}\n", 2, "",
		    "unknown key 'handle'" },
		{ "", "steps: []\n", 1, "", "expected a mapping" },
		{ "categories: []\n"
		  "default: {level: grid, handle: {limit: 1, unit: days}}\n",
		  "", 1, "steps", "missing" },
		{ "steps: {}\n"
		  "default: {level: grid, handle: {limit: 1, unit: days}}\n",
		  "", 1, "categories", "missing" },
		{ "steps: {}\ncategories: []\n", "", 1, "default", "missing" },
		{ "steps: {}\ncategories: []\n", "default: {level: grid}\n",
		  3, "handle", "missing" },
		{ "steps: {}\ncategories: []\n",
		  "default: {handle: {limit: 1, unit: days}}\n", 3, "level",
		  "missing" },
		{ "steps: {}\ncategories: []\n",
		  "default: {level: town, handle: {limit: 1, unit: days}}\n",
		  3, "level", "unknown level" },
		{ "steps: {}\ncategories: []\n",
		  "default: {level: grid, handle: []}\n", 3, "handle",
		  "empty sequence" },
		{ "steps: {}\ncategories: []\n",
		  "default: {level: grid, code: \"01\",\n"
		  "  handle: {limit: 1, unit: days}}\n", 3, "",
		  "unknown key 'code'" },
		{ "steps: {}\ncategories: []\n",
		  "default: {level: grid, handle: [{limit: 1, unit: days},\n"
		  "  {limit: 1, unit: fortnights}]}\n", 4, "unit",
		  "unknown unit" },
		{ "steps: {}\ncategories: []\n",
		  "default: {level: grid, handle: [{limit: 1, unit: days,\n"
		  "  what: 1}]}\n", 4, "", "unknown key 'what'" },
		{ "steps: {}\ncategories: []\n", "default: [1]\n", 3,
		  "default", "expected a mapping" },
		{ base, "severity:\n  urgent: {factor: 0}\n", 5, "factor",
		    "must be greater than 0" },
		{ base, "severity:\n  urgent: {factor: -0.5}\n", 5, "factor",
		    "must be greater than 0" },
		{ base, "severity:\n  urgent: {factor: 1001}\n", 5, "factor",
		    "must be at most 1000" },
		{ base, "severity:\n  urgent: {level: town}\n", 5, "level",
		    "unknown level" },
		{ base, "severity:\n  urgent: {weight: 1}\n", 5, "",
		    "unknown key 'weight'" },
		{ base, "severity: [urgent]\n", 4, "severity",
		    "expected a mapping" },
		{ base, "escalation:\n"
		    "  - {from: grid, to: community, after: {limit: 1, unit: days}}\n"
		    "  - {from: street, to: district, after: {limit: 1, unit: days}}\n",
		    6, "from", "not a chain in ladder order: must start where "
		    "the previous rung ends" },
		{ base, "escalation:\n"
		    "  - {from: grid, to: street, after: {limit: 1, unit: days}}\n",
		    5, "to", "not a chain in ladder order: must be the next "
		    "level up" },
		{ base, "escalation:\n"
		    "  - {from: community, to: grid, after: {limit: 1, unit: days}}\n",
		    5, "to", "not a chain in ladder order: must be the next "
		    "level up" },
		{ base, "escalation:\n"
		    "  - {from: grid, to: community}\n", 5, "after", "missing" },
		{ base, "escalation:\n"
		    "  - {from: grid, to: community, after: 3}\n", 5, "after",
		    "expected a mapping" },
		{ base, "escalation: {}\n", 4, "escalation",
		    "expected a sequence" },
		{ base, "departments:\n  - {name: a, level: grid}\n"
		    "  - {name: b, level: grid}\n  - {name: a, level: street}\n",
		    7, "name", "duplicate department" },
		{ base, "departments:\n  - {name: a, level: city}\n", 5,
		    "level", "unknown level" },
		{ base, "departments:\n  - {name: a}\n", 5, "level",
		    "missing" },
		{ cats, "  - {code: \"01\", name: b}\n", 5, "code",
		    "duplicate category code" },
		{ cats, "  - {code: \"0201\", name: b}\n", 5, "code",
		    "minor class whose major class is missing" },
		{ cats, "  - {code: \"01021\", name: b}\n"
		    "  - {code: \"0102\", name: b}\n"
		    "  - {code: \"010311\", name: b}\n", 7, "code",
		    "subclass whose minor class is missing" },
		{ cats, "  - {code: \"1\", name: b}\n", 5, "code",
		    "must be 2 digits (major class), 4 or 5 (minor class), or "
		    "6 or 7 (subclass)" },
		{ cats, "  - {code: \"010\", name: b}\n", 5, "code",
		    "must be 2 digits (major class), 4 or 5 (minor class), or "
		    "6 or 7 (subclass)" },
		{ cats, "  - {code: \"01a1\", name: b}\n", 5, "code",
		    "must be 2 digits (major class), 4 or 5 (minor class), or "
		    "6 or 7 (subclass)" },
		{ cats, "  - {code: \"01010101\", name: b}\n", 5, "code",
		    "must be 2 digits (major class), 4 or 5 (minor class), or "
		    "6 or 7 (subclass)" },
		{ cats, "  - {code: \"0101\"}\n", 5, "name", "missing" },
		{ cats, "  - {name: b}\n", 5, "code", "missing" },
		{ cats, "  - {code: \"0101\", name: b, level: x}\n", 5, "level",
		    "unknown level" },
		{ cats, "  - {code: \"0101\", name: b, limit: 1}\n", 5, "",
		    "unknown key 'limit'" },
		{ cats, "  - {code: \"0101\", name: b, handle: {limit: 0,\n"
		    "     unit: days}}\n", 5, "limit",
		    "must be greater than 0" },
		{ cats, "  - 3\n", 5, "categories", "expected a mapping" },
		{ "steps: {}\n"
		  "default: {level: grid, handle: {limit: 1, unit: days}}\n",
		  "categories: {a: 1}\n", 3, "categories",
		  "expected a sequence" },
		{ "", "", 0, "", "empty routing file" },
		{ "", "# nothing\n", 0, "", "empty routing file" },
		{ "", "[1, 2]\n", 1, "", "expected a mapping" },
		{ "", "a: [\n", 2, "", "" },
	};
	struct route *r;
	struct err e;
	char doc[2048];
	size_t i;
	long live = mem_live();
	int rc;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		snprintf(doc, sizeof doc, "%s%s", c[i].pre, c[i].text);
		err_clear(&e);
		r = (struct route *)1;
		rc = route_load_string(&r, doc, strlen(doc), "r.yaml", cal,
		    NULL, &e);
		if (rc != ERR_DATA || r != NULL || e.line != c[i].line ||
		    strcmp(e.file, "r.yaml") != 0 ||
		    strcmp(e.field, c[i].field) != 0 ||
		    (c[i].msg[0] != '\0' && strcmp(e.msg, c[i].msg) != 0))
			fail_msg("case %zu: rc %d %s:%ld: field '%s': %s", i,
			    rc, e.file, e.line, e.field, e.msg);
		assert_int_equal(mem_live(), live);
	}
}

/* Every allocation failing in turn: a clean error, nothing leaked. */
static void
test_oom(void **state)
{
	struct route *r;
	struct route_event ev;
	struct route_result res;
	struct err e;
	long live = mem_live(), n;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = route_load_string(&r, ROUTE, strlen(ROUTE), "r.yaml", cal,
		    NULL, &e);
		mem_fail_after(-1);
		if (rc == 0) {
			mem_fail_after(0);
			ev_0101(&ev);
			ev.handled = T("09-05 10:00:01");
			rc = route_judge(r, &ev, ROUTE_NONE, &res, &e);
			mem_fail_after(-1);
			assert_int_equal(rc, 0);
			assert_int_equal(res.light, ROUTE_YELLOW);
			route_free(r);
			assert_int_equal(mem_live(), live);
			break;
		}
		if (rc != ERR_INTERNAL)
			fail_msg("n=%ld: rc %d %s", n, rc, e.msg);
		assert_null(r);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 50);

	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = route_load_file(&r, DATA "good.yaml", NULL, &e);
		mem_fail_after(-1);
		if (rc == 0) {
			route_free(r);
			assert_int_equal(mem_live(), live);
			break;
		}
		if (rc != ERR_INTERNAL)
			fail_msg("n=%ld: rc %d %s", n, rc, e.msg);
		assert_null(r);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_closed_green),
		cmocka_unit_test(test_light),
		cmocka_unit_test(test_light_custom),
		cmocka_unit_test(test_open_asof),
		cmocka_unit_test(test_suspended),
		cmocka_unit_test(test_voided),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_self_handled),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_default_and_classes),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_cn2017),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("route", tests, setup, teardown);
}
