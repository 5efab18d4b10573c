/*
 * route.h - the routing file, and the closed-loop judgement of one event
 *
 * A routing file says, for a grid-management programme, which level and
 * department handle each category of event, how long each of the steps of
 * the closed loop may take on a working calendar (lib/calendar), and how a
 * case climbs the escalation ladder grid -> community -> street -> district.
 * route_judge applies it to one event's timestamps: route, the due instant
 * of each step, on time or not, working time used for handling (suspended
 * time excluded), state, traffic light, the level that actually handled it.
 *
 * THE FILE (YAML through lib/yamlcfg; the manual is grid-routing(5)):
 *
 *   name: xiangtan-2017                  # optional
 *   calendar: cn-2017                    # see CALENDAR below
 *   light: {green: 0.8, yellow: 1.0}     # optional, these defaults
 *   steps:                               # the steps other than handling
 *     file:     {limit: 2, unit: work_hours}   # reported -> filed
 *     dispatch: {limit: 1, unit: work_hours}   # filed -> dispatched
 *     verify:   {limit: 1, unit: work_days}    # handled -> verified
 *     close:    {limit: 1, unit: work_days}    # verified -> closed
 *   severity:                            # optional
 *     urgent: {level: street, factor: 0.5}
 *     high:   {level: community}
 *   escalation:                          # optional
 *     - {from: grid, to: community, after: {limit: 1, unit: work_days}}
 *     - {from: community, to: street, after: {limit: 3, unit: work_days}}
 *   departments:                         # optional
 *     - {name: 网格员, level: grid}
 *   categories:
 *     - {code: "01", name: 市容环境}
 *     - {code: "0101", name: 暴露垃圾, department: 环卫所, level: grid,
 *        handle: {limit: 1, unit: work_days}}
 *     - {code: "0203", name: 违法建设, department: 城管执法, level: street,
 *        handle: [{name: 停工, limit: 4, unit: work_hours},
 *                 {name: 拆除, limit: 20, unit: work_days}]}
 *   default: {level: community, department: 综合执法,
 *             handle: {limit: 5, unit: work_days}}
 *
 * Keys: `steps`, `categories` and `default` are required, the others
 * optional.  Each of the four steps is optional: a step without a limit
 * has no due and is never judged.
 *
 * Limits: {limit: N, unit: U} with N a positive integer and U one of
 * work_minutes, work_hours, work_days (working time on the calendar), hours,
 * days (calendar time: plain elapsed seconds).  A limit may not exceed
 * CALENDAR_MAX_DAYS days' worth of its unit.
 *
 * Levels: grid, community, street, district, in that order.
 *
 * Categories: a code is ASCII digits: 2 for a major class, the major's 2
 * and 2 or 3 more for a minor class, and a minor's code and 2 more for a
 * subclass (so 2, 4, 5, 6 or 7 digits).  A minor class needs its major
 * class in the catalogue, a subclass its minor class.  `name` is required;
 * `department`, `level` and `handle` are optional.  A category without
 * `level` or `department` takes its major class's (its minor's for a
 * subclass, if set there), else the default's.  A category without
 * `handle` only names a group and routes nothing.  `handle` is one limit,
 * or a sequence of stages ({name, limit, unit}, name optional) whose limits
 * all count from the start of handling; the loaded catalogue keeps every
 * stage, and the handling step is judged against the LAST one (the whole of
 * the handling).  An event's category is routed by the longest catalogue
 * code with a `handle` that is a prefix of it (so "010102" and "0101" both
 * route by 0101); one that matches nothing takes `default` (`level` and
 * `handle` required, `department` optional) and the result says so.
 *
 * Severity: the event's severity value names an entry; its `level` raises
 * the routed level (never lowers it) and its `factor` (> 0, at most 1000)
 * scales the limit of every step.  A severity value with no entry, or
 * none, changes nothing.
 *
 * Escalation: each entry moves up exactly one level, and each starts at the
 * level the previous one reached.  `after` is a limit counted from the
 * start of handling (cumulative, not per level): see handled_level below.
 *
 * Departments: name -> level of the units that handle cases (names unique).
 *
 * Light: 0 < green <= yellow <= 10, fractions of the handling limit.
 *
 * CALENDAR: `calendar` names the calendar file (lib/calendar).  A name
 * without '/' and not ending in ".yaml" or ".yml" gets ".yaml" appended.
 * An absolute path is used as is; a relative one is looked up in the
 * routing file's folder first, then in calendar_dir (the caller passes
 * GRID_SCHEMA_DIR "/calendars") when that is not NULL.  Its errors are
 * passed on as they are (their file is the calendar's).
 *
 * Errors of loading (ERR_DATA with file, line and key): unknown keys,
 * missing required keys, bad unit, limit <= 0 or too large, unknown level,
 * bad or duplicate category code, minor class whose major is missing (or
 * subclass whose minor is), duplicate department, severity factor <= 0,
 * light green > yellow, escalation not a chain in ladder order, the
 * calendar's own errors; ERR_NOINPUT for a routing or calendar file that
 * cannot be opened; ERR_INTERNAL when out of memory.
 *
 * THE JUDGEMENT (route_judge):
 *
 * Instants are seconds since the epoch (time_iso_to_epoch); ROUTE_NONE
 * means absent.  The steps and their starts:
 *   file      reported -> filed
 *   dispatch  filed -> dispatched          (none for a self-handled event)
 *   handle    start of handling -> handled
 *   verify    handled -> verified
 *   close     verified -> closed
 * Handling starts at dispatched; a self-handled event (which is never
 * dispatched), or one handled without a dispatched time, starts at filed,
 * or at reported when not filed.  An event neither dispatched nor
 * self-handled nor handled has not started handling yet.
 *
 * A step's limit in seconds L: work_minutes and work_hours are that many
 * working seconds; work_days are the working seconds from the start to
 * calendar_add_workdays(start, n) (so they depend on the start); hours and
 * days are plain seconds.  A severity factor multiplies L, rounded to the
 * nearest second (halves away from zero), at least 1 and at most
 * CALENDAR_MAX_DAYS days.  The time used by a
 * step is measured from its start the same way: working seconds on the
 * calendar for work units, plain elapsed seconds for calendar units.  For
 * the handling step, the part of the suspension [susp_from, susp_to) (to
 * the end of the measure while susp_to is absent) that lies after the start
 * is not counted.  Due = the earliest instant at which the time used
 * reaches L.  A step is on time when the time used at its instant is at
 * most L: a step done after work on the day its limit ran out at 17:30 is
 * on time, as no working time passed after the due.
 *
 * State: voided if voided; else closed if closed is present; else suspended
 * if susp_from is present and susp_to absent; else open.  asof is used only
 * for events that are not closed: it must not be before any of their
 * instants.  A voided event is checked for contradictions and routed, but
 * not judged: no due, no on-time flag, no light.
 *
 * on-time per step: 1 or 0 when the step happened; 0 when it has not
 * happened, the event is not closed, and at asof the time used is past the
 * limit; else unknown (-1): its start is absent, it has no limit, a later
 * step of the chain happened without it (skipped), or it is not due yet or
 * there is no asof.
 *
 * handle_used_secs: the time used by handling up to handled, or up to asof
 * when not handled and not closed; handle_limit_secs: L of the last stage.
 * Light, from them: green when used <= green * L, yellow when <= yellow *
 * L, red beyond; none when the used time is unknown (voided, handling not
 * started, neither handled nor asof).  The comparison is exact (integers,
 * the fractions read to the millionth).
 *
 * handled_level: grid for a self-handled event; else the level of the
 * event's department when `departments` lists it; else the routed level
 * climbed up the ladder: while the handling time used, measured in the unit
 * kind of the rung's `after` (working or plain seconds, suspension
 * excluded), exceeds the `after` of the rung starting at the current level,
 * go one level up.  Without a used time, the routed level.  escalated =
 * handled_level above the routed level.
 *
 * overdue: the state is open, and some step that has not happened has
 * on-time 0 at asof.
 *
 * Errors of judging (ERR_DATA, the err's field is the event field named
 * first in the message, file and line are left to the caller):
 *   "'closed' before 'reported'" and so on, checked over the fields present
 *   in the chain order reported <= filed <= dispatched <= handled <=
 *   verified <= closed (each field against every earlier one, earliest
 *   first); "'suspended_to' before 'suspended_from'", "'suspended_to' without
 *   'suspended_from'", "'suspended_from' before 'reported'", "'closed' before
 *   'suspended_from'" / "'closed' before 'suspended_to'" (suspension within
 *   [reported, closed]); "'dispatched' on a self-handled event";
 *   "'reported' missing"; "'asof' before 'handled'" (asof before an
 *   instant of an event judged as of it); "outside the calendar" (field:
 *   the instant, or "asof"; not checked for a voided event); "due outside
 *   the calendar" (field: the step name) when a due falls past the
 *   calendar's end.  On error *out is unspecified.
 *
 * Ownership: route_load_* return an owned struct route, freed with
 * route_free (NULL is fine).  Its fields are read-only for callers.  A
 * calendar passed to route_load_string is borrowed and must outlive the
 * route; one loaded from the `calendar` key is owned.  The strings of a
 * route_result point into the route and live as long as it.  route_judge
 * allocates nothing and only reads the route, so threads may share one.
 */
#ifndef GRID_ROUTE_H
#define GRID_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "err.h"

#define ROUTE_NONE INT64_MIN		/* an absent instant or duration */

enum route_level {
	ROUTE_GRID, ROUTE_COMMUNITY, ROUTE_STREET, ROUTE_DISTRICT,
	ROUTE_NLEVELS
};

enum route_unit {
	ROUTE_WORK_MINUTES, ROUTE_WORK_HOURS, ROUTE_WORK_DAYS,
	ROUTE_HOURS, ROUTE_DAYS
};

/* The steps of the closed loop after reporting, in order. */
enum route_step {
	ROUTE_FILE, ROUTE_DISPATCH, ROUTE_HANDLE, ROUTE_VERIFY, ROUTE_CLOSE,
	ROUTE_NSTEPS
};

enum route_state {
	ROUTE_OPEN, ROUTE_CLOSED, ROUTE_SUSPENDED, ROUTE_VOIDED
};

enum route_light {
	ROUTE_LIGHT_NONE, ROUTE_GREEN, ROUTE_YELLOW, ROUTE_RED
};

struct route_limit {
	char *name;		/* stage name, or NULL */
	long long n;		/* > 0 */
	enum route_unit unit;
};

struct route_category {
	char *code;		/* digits, unique */
	char *name;
	char *department;	/* after inheritance; may be NULL */
	enum route_level level;	/* after inheritance */
	struct route_limit *handle;	/* stages in order; NULL when none */
	size_t nhandle;
	long line;		/* where it is in the file */
};

struct route_severity {
	char *name;
	int level;		/* enum route_level, or -1 for none */
	double factor;		/* 1 when not given */
};

struct route_department {
	char *name;
	enum route_level level;
};

struct route {
	char *name;			/* "" when not given */
	char *path;			/* the file's name as given */
	struct calendar *cal;
	bool own_cal;			/* cal is freed by route_free */
	long green_ppm, yellow_ppm;	/* light fractions in millionths */
	bool has_step[ROUTE_NSTEPS];	/* ROUTE_HANDLE: always false */
	struct route_limit step[ROUTE_NSTEPS];
	struct route_severity *sev;
	size_t nsev;
	bool has_after[ROUTE_NLEVELS];	/* rung from this level up */
	struct route_limit after[ROUTE_NLEVELS];
	struct route_department *dept;	/* sorted by name (bytes) */
	size_t ndept;
	struct route_category *cat;	/* in file order */
	size_t ncat;
	struct route_category def;	/* the default route; code, name NULL */
	const struct route_category **routable;	/* with handle, by code */
	size_t nroutable;
};

/* One event's timestamps and labels; every pointer may be NULL or "". */
struct route_event {
	int64_t reported, filed, dispatched, handled, verified, closed;
	int64_t susp_from, susp_to;	/* ROUTE_NONE when absent */
	const char *category, *severity, *department;
	bool self_handled, voided;
};

struct route_result {
	enum route_state state;
	enum route_level level;		/* routed, severity included */
	const char *department;		/* routed; NULL when none */
	const char *category_code;	/* matched code; NULL for default */
	const char *category_name;	/* NULL for default */
	bool route_default;		/* no category matched */
	int64_t due[ROUTE_NSTEPS];	/* ROUTE_NONE when not known */
	int ontime[ROUTE_NSTEPS];	/* 1, 0, or -1 for unknown */
	int64_t handle_used_secs;	/* ROUTE_NONE when not known */
	int64_t handle_limit_secs;	/* ROUTE_NONE when not known */
	enum route_light light;
	enum route_level handled_level;
	bool escalated;
	bool overdue;
};

/*
 * route_load_file: read the routing file at path and its calendar (see
 * CALENDAR above; calendar_dir may be NULL).  Sets *rp to an owned route,
 * or to NULL on error.  Returns 0, ERR_NOINPUT, ERR_IO, ERR_DATA or
 * ERR_INTERNAL.
 */
int route_load_file(struct route **rp, const char *path,
    const char *calendar_dir, struct err *e);

/*
 * route_load_string: the same from buf[0..n), with name as the file name
 * in errors and for finding a relative calendar.  When cal is not NULL it
 * is the calendar (borrowed), and the `calendar` key is optional and not
 * loaded; when NULL the `calendar` key is required and loaded as
 * route_load_file does.
 */
int route_load_string(struct route **rp, const char *buf, size_t n,
    const char *name, struct calendar *cal, const char *calendar_dir,
    struct err *e);

/* route_free: free r and the calendar it owns; NULL is fine. */
void route_free(struct route *r);

/*
 * route_find: the category that routes code (longest prefix with a
 * handle), or NULL when none does.  code may be NULL.
 */
const struct route_category *route_find(const struct route *r,
    const char *code);

/*
 * route_judge: route and judge ev as described above, as of asof
 * (ROUTE_NONE for no asof), into *out.  Returns 0 or ERR_DATA.
 */
int route_judge(const struct route *r, const struct route_event *ev,
    int64_t asof, struct route_result *out, struct err *e);

/* The names used in the file and for output: "grid", "file", "open",
 * "green" ("" for ROUTE_LIGHT_NONE), "work_days".  Out of range: "". */
const char *route_level_name(int level);
const char *route_step_name(int step);
const char *route_state_name(int state);
const char *route_light_name(int light);
const char *route_unit_name(int unit);

/* route_event_init: every instant ROUTE_NONE, every label NULL, false. */
void route_event_init(struct route_event *ev);

#endif
