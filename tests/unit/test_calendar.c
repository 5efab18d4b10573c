/* test_calendar.c - unit tests of lib/calendar on the shipped cn-2017 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "err.h"
#include "mem.h"
#include "time.h"

#define CN2017 "schemas/calendars/cn-2017.yaml"
#define HOUR 3600
#define DAYWORK 23400		/* 08:30-12:00 and 14:30-17:30 */

static struct calendar *cn;	/* loaded once by setup */

/*
 * "2017-09-29 16:00" or "2017-09-29 16:00:05" (wall time at +08:00) into
 * an instant; a bad string fails the test.
 */
static int64_t
at(const char *s)
{
	char iso[TIME_DATETIME_LEN + 1];
	int64_t t;
	int off;

	if (strlen(s) == 16)
		snprintf(iso, sizeof iso, "%.10sT%.5s:00+08:00", s, s + 11);
	else
		snprintf(iso, sizeof iso, "%.10sT%.8s+08:00", s, s + 11);
	if (time_iso_to_epoch(iso, strlen(iso), &t, &off) != 0)
		fail_msg("bad instant in test: %s", s);
	return t;
}

/* Compare an instant with a wall time, printing both when they differ. */
static void
same(int64_t got, const char *want)
{
	char iso[TIME_DATETIME_LEN + 1];

	if (got != at(want)) {
		time_epoch_to_iso(got, 480, iso);
		fail_msg("got %s, want %s", iso, want);
	}
}

static int
setup(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	if (calendar_load_file(&cn, CN2017, &e) != 0) {
		fprintf(stderr, "%s:%ld: %s: %s\n", e.file, e.line, e.field,
		    e.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	calendar_free(cn);
	cn = NULL;
	return mem_live() == 0 ? 0 : -1;
}

static void
test_meta(void **state)
{
	(void)state;
	assert_string_equal(calendar_name(cn), "cn-2017");
	assert_int_equal(calendar_offset(cn), 480);
	assert_int_equal(calendar_day_seconds(cn), DAYWORK);
	assert_true(calendar_covers(cn, at("2017-01-01 00:00")));
	assert_true(calendar_covers(cn, at("2017-12-31 23:59:59")));
	assert_false(calendar_covers(cn, at("2017-01-01 00:00") - 1));
	assert_false(calendar_covers(cn, at("2017-12-31 23:59:59") + 1));
	assert_false(calendar_covers(cn, INT64_MIN));
	assert_false(calendar_covers(cn, INT64_MAX));
}

static bool
workday(const char *day)
{
	char s[20];
	struct err e;
	bool w;

	snprintf(s, sizeof s, "%s 12:34", day);
	err_clear(&e);
	assert_int_equal(calendar_is_workday(cn, at(s), &w, &e), 0);
	return w;
}

static void
test_is_workday(void **state)
{
	static const char *const off[] = {
		"2017-01-01", "2017-01-02",
		"2017-01-27", "2017-01-28", "2017-01-29", "2017-01-30",
		"2017-01-31", "2017-02-01", "2017-02-02",
		"2017-04-02", "2017-04-03", "2017-04-04",
		"2017-04-29", "2017-04-30", "2017-05-01",
		"2017-05-28", "2017-05-29", "2017-05-30",
		"2017-10-01", "2017-10-02", "2017-10-03", "2017-10-04",
		"2017-10-05", "2017-10-06", "2017-10-07", "2017-10-08",
		/* ordinary weekends */
		"2017-01-21", "2017-02-05", "2017-03-18", "2017-03-19",
		"2017-09-23", "2017-12-30", "2017-12-31"
	};
	static const char *const on[] = {
		"2017-01-22", "2017-02-04", "2017-04-01", "2017-05-27",
		"2017-09-30",
		/* ordinary weekdays, some next to holidays */
		"2017-01-03", "2017-01-26", "2017-02-03", "2017-03-14",
		"2017-03-17", "2017-04-05", "2017-05-02", "2017-05-31",
		"2017-09-29", "2017-10-09", "2017-12-29"
	};
	struct err e;
	int64_t t, first = at("2017-01-01 00:00");
	size_t i;
	long count = 0;
	bool w;

	(void)state;
	for (i = 0; i < sizeof off / sizeof off[0]; i++)
		if (workday(off[i]))
			fail_msg("%s should be a day off", off[i]);
	for (i = 0; i < sizeof on / sizeof on[0]; i++)
		if (!workday(on[i]))
			fail_msg("%s should be a workday", on[i]);
	/* 260 weekdays - 16 weekday holidays + 5 make-up days */
	for (t = first; calendar_covers(cn, t); t += 86400) {
		err_clear(&e);
		assert_int_equal(calendar_is_workday(cn, t, &w, &e), 0);
		count += w;
	}
	assert_int_equal(count, 249);
	/* the first and last second of a day belong to it */
	assert_int_equal(calendar_is_workday(cn, at("2017-09-30 00:00"), &w,
	    &e), 0);
	assert_true(w);
	assert_int_equal(calendar_is_workday(cn, at("2017-09-30 23:59:59"),
	    &w, &e), 0);
	assert_true(w);
	assert_int_equal(calendar_is_workday(cn, at("2017-10-01 00:00"), &w,
	    &e), 0);
	assert_false(w);
}

static int64_t
worked(const char *a, const char *b)
{
	struct err e;
	int64_t s = -1;

	err_clear(&e);
	assert_int_equal(calendar_worked(cn, at(a), at(b), &s, &e), 0);
	return s;
}

static void
test_worked(void **state)
{
	struct err e;
	int64_t s = 7;

	(void)state;
	/* within a window, and its edges */
	assert_int_equal(worked("2017-03-14 09:00", "2017-03-14 10:00"), HOUR);
	assert_int_equal(worked("2017-03-14 08:30", "2017-03-14 12:00"),
	    7 * HOUR / 2);
	assert_int_equal(worked("2017-03-14 08:00", "2017-03-14 08:30"), 0);
	assert_int_equal(worked("2017-03-14 12:00", "2017-03-14 14:30"), 0);
	/* across lunch */
	assert_int_equal(worked("2017-03-14 11:00", "2017-03-14 15:00"),
	    HOUR + HOUR / 2);
	/* a whole day, before work to after */
	assert_int_equal(worked("2017-03-14 00:00", "2017-03-14 23:59:59"),
	    DAYWORK);
	/* across days and a weekend */
	assert_int_equal(worked("2017-03-14 16:00", "2017-03-15 09:00"),
	    2 * HOUR);
	assert_int_equal(worked("2017-03-17 16:00", "2017-03-20 09:00"),
	    2 * HOUR);
	/* across the National Day week: 1.5 h + make-up Saturday + 0.5 h */
	assert_int_equal(worked("2017-09-29 16:00", "2017-10-09 09:00"),
	    HOUR + HOUR / 2 + DAYWORK + HOUR / 2);
	assert_int_equal(worked("2017-10-01 09:00", "2017-10-08 17:00"), 0);
	/* Spring Festival with make-up Sunday 01-22 and Saturday 02-04 */
	assert_int_equal(worked("2017-01-21 00:00", "2017-01-23 00:00"),
	    DAYWORK);
	assert_int_equal(worked("2017-01-26 17:30", "2017-02-05 00:00"),
	    2 * DAYWORK);
	/* zero length, inside and outside windows */
	assert_int_equal(worked("2017-03-14 09:00", "2017-03-14 09:00"), 0);
	assert_int_equal(worked("2017-03-14 13:00", "2017-03-14 13:00"), 0);
	/* the whole year */
	assert_int_equal(worked("2017-01-01 00:00", "2017-12-31 23:59:59"),
	    249 * DAYWORK);

	/* end before start */
	err_clear(&e);
	assert_int_equal(calendar_worked(cn, at("2017-03-14 10:00"),
	    at("2017-03-14 09:59:59"), &s, &e), ERR_DATA);
	assert_string_equal(e.msg, "end before start");
	assert_int_equal(s, 7);
}

static int64_t
add(const char *t0, int64_t secs)
{
	struct err e;
	int64_t t = -1;

	err_clear(&e);
	if (calendar_add_worked(cn, at(t0), secs, &t, &e) != 0)
		fail_msg("add %s + %lld: %s", t0, (long long)secs, e.msg);
	return t;
}

static void
test_add_worked(void **state)
{
	struct err e;
	int64_t t = 7;

	(void)state;
	/* landing exactly on window ends: the earliest instant */
	same(add("2017-03-14 08:30", 7 * HOUR / 2), "2017-03-14 12:00");
	same(add("2017-03-14 14:30", 3 * HOUR), "2017-03-14 17:30");
	same(add("2017-03-14 08:30", DAYWORK), "2017-03-14 17:30");
	same(add("2017-03-14 12:00", 3 * HOUR), "2017-03-14 17:30");
	same(add("2017-03-14 12:00", 3 * HOUR + 1), "2017-03-15 08:30:01");
	/* before, during, between and after the windows */
	same(add("2017-03-14 07:00", HOUR), "2017-03-14 09:30");
	same(add("2017-03-14 10:00", 3 * HOUR), "2017-03-14 15:30");
	same(add("2017-03-14 12:30", 1), "2017-03-14 14:30:01");
	same(add("2017-03-14 18:00", HOUR), "2017-03-15 09:30");
	/* zero: t0 itself, wherever it is */
	same(add("2017-03-14 12:30", 0), "2017-03-14 12:30");
	same(add("2017-10-03 12:30", 0), "2017-10-03 12:30");
	/* a Friday */
	same(add("2017-03-17 16:00", 2 * HOUR), "2017-03-20 09:00");
	same(add("2017-03-17 16:00", 3 * HOUR / 2), "2017-03-17 17:30");
	/* the day before a holiday, and the make-up Saturdays around it */
	same(add("2017-09-29 17:00", HOUR), "2017-09-30 09:00");
	same(add("2017-09-30 17:00", HOUR), "2017-10-09 09:00");
	same(add("2017-09-30 17:00", HOUR / 2), "2017-09-30 17:30");
	same(add("2017-03-31 17:00", HOUR), "2017-04-01 09:00");
	same(add("2017-04-01 17:00", HOUR), "2017-04-05 09:00");
	same(add("2017-05-26 17:00", HOUR), "2017-05-27 09:00");
	same(add("2017-05-27 17:00", HOUR), "2017-05-31 09:00");
	same(add("2017-04-28 17:00", HOUR), "2017-05-02 09:00");
	same(add("2017-12-29 17:00", HOUR / 2), "2017-12-29 17:30");
	/* Spring Festival: make-up Sunday 01-22, Saturday 02-04 */
	same(add("2017-01-20 17:00", HOUR), "2017-01-22 09:00");
	same(add("2017-01-26 17:00", HOUR), "2017-02-03 09:00");
	same(add("2017-02-03 17:00", 7 * HOUR), "2017-02-04 17:30");
	same(add("2017-02-03 17:00", 7 * HOUR + 1), "2017-02-06 08:30:01");
	/* starting on a day off */
	same(add("2017-10-04 10:00", 1), "2017-10-09 08:30:01");
	/* from the first instant of the calendar */
	same(add("2017-01-01 00:00", 1), "2017-01-03 08:30:01");

	/* the calendar ends first */
	err_clear(&e);
	assert_int_equal(calendar_add_worked(cn, at("2017-12-29 17:00"),
	    HOUR, &t, &e), ERR_DATA);
	assert_string_equal(e.msg, "outside the calendar");
	assert_int_equal(calendar_add_worked(cn, at("2017-12-29 17:00"),
	    INT64_MAX, &t, &e), ERR_DATA);
	assert_string_equal(e.msg, "outside the calendar");
	assert_int_equal(calendar_add_worked(cn, at("2017-01-01 00:00"),
	    249 * DAYWORK + 1, &t, &e), ERR_DATA);
	assert_int_equal(calendar_add_worked(cn, at("2017-01-01 00:00"),
	    249 * DAYWORK, &t, &e), 0);
	same(t, "2017-12-29 17:30");
	t = 7;
	err_clear(&e);
	assert_int_equal(calendar_add_worked(cn, at("2017-03-14 10:00"), -1,
	    &t, &e), ERR_DATA);
	assert_string_equal(e.msg, "negative working time");
	assert_int_equal(t, 7);
}

static int64_t
addd(const char *t0, long n)
{
	struct err e;
	int64_t t = -1;

	err_clear(&e);
	if (calendar_add_workdays(cn, at(t0), n, &t, &e) != 0)
		fail_msg("add %s + %ld days: %s", t0, n, e.msg);
	return t;
}

static void
test_add_workdays(void **state)
{
	struct err e;
	int64_t t = 7;

	(void)state;
	/* the examples of calendar.h and of the issue */
	same(addd("2017-09-29 16:00", 1), "2017-09-30 16:00");
	same(addd("2017-09-30 17:00", 1), "2017-10-09 17:00");
	same(addd("2017-09-29 20:00", 1), "2017-09-30 17:30");
	same(addd("2017-09-29 07:00", 1), "2017-09-29 17:30");
	same(addd("2017-10-15 10:00", 1), "2017-10-16 17:30");
	/* n = 0 is t0, even on a day off */
	same(addd("2017-10-15 10:00", 0), "2017-10-15 10:00");
	same(addd("2017-09-29 16:00", 0), "2017-09-29 16:00");
	/* more days, across holidays and make-up days */
	same(addd("2017-09-29 16:00", 2), "2017-10-09 16:00");
	same(addd("2017-09-28 10:00", 3), "2017-10-09 10:00");
	same(addd("2017-01-20 09:00", 1), "2017-01-22 09:00");
	same(addd("2017-01-26 11:00", 1), "2017-02-03 11:00");
	same(addd("2017-01-26 11:00", 2), "2017-02-04 11:00");
	same(addd("2017-03-17 12:45", 1), "2017-03-20 12:00");
	same(addd("2017-03-17 14:30", 5), "2017-03-24 12:00");
	same(addd("2017-03-17 14:30:01", 5), "2017-03-24 14:30:01");
	same(addd("2017-01-01 00:00", 248), "2017-12-28 17:30");
	same(addd("2017-01-01 00:00", 249), "2017-12-29 17:30");

	err_clear(&e);
	assert_int_equal(calendar_add_workdays(cn, at("2017-01-01 00:00"),
	    250, &t, &e), ERR_DATA);
	assert_string_equal(e.msg, "outside the calendar");
	assert_int_equal(calendar_add_workdays(cn, at("2017-12-29 10:00"), 1,
	    &t, &e), ERR_DATA);
	assert_int_equal(calendar_add_workdays(cn, at("2017-12-30 10:00"), 1,
	    &t, &e), ERR_DATA);
	assert_int_equal(calendar_add_workdays(cn, at("2017-03-14 10:00"),
	    LONG_MAX, &t, &e), ERR_DATA);
	assert_int_equal(t, 7);
	err_clear(&e);
	assert_int_equal(calendar_add_workdays(cn, at("2017-03-14 10:00"), -1,
	    &t, &e), ERR_DATA);
	assert_string_equal(e.msg, "negative number of days");
	assert_int_equal(t, 7);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* worked(t0, add_worked(t0, secs)) == secs, and the result is earliest. */
static void
test_round_trip(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int64_t first = at("2017-01-01 00:00"), t0, t, s, secs;
	int64_t total = 249 * DAYWORK;
	struct err e;
	long i, ok = 0, over = 0;

	(void)state;
	for (i = 0; i < 200000; i++) {
		t0 = first + (int64_t)(xorshift(&seed) % (365 * 86400));
		switch (xorshift(&seed) % 4) {
		case 0:
			secs = (int64_t)(xorshift(&seed) % 120);
			break;
		case 1:
			secs = (int64_t)(xorshift(&seed) % (3 * DAYWORK));
			break;
		case 2:	/* whole windows and days: ends on a window end */
			secs = (int64_t)(xorshift(&seed) % 20) * DAYWORK / 2 +
			    (xorshift(&seed) % 2) * 3 * HOUR;
			break;
		default:
			secs = (int64_t)(xorshift(&seed) % (total + 1));
			break;
		}
		err_clear(&e);
		if (calendar_add_worked(cn, t0, secs, &t, &e) != 0) {
			assert_int_equal(e.code, ERR_DATA);
			assert_int_equal(calendar_worked(cn, t0,
			    first + 365 * 86400 - 1, &s, &e), 0);
			assert_true(s < secs);
			over++;
			continue;
		}
		assert_true(t >= t0);
		assert_true(calendar_covers(cn, t));
		assert_int_equal(calendar_worked(cn, t0, t, &s, &e), 0);
		assert_int_equal(s, secs);
		if (secs > 0) {
			assert_int_equal(calendar_worked(cn, t0, t - 1, &s,
			    &e), 0);
			assert_int_equal(s, secs - 1);
		}
		ok++;
	}
	assert_true(ok > 100000);
	assert_true(over > 1000);
}

static void
test_outside(void **state)
{
	int64_t before = at("2017-01-01 00:00") - 1;
	int64_t after = at("2018-01-01 00:00");
	int64_t in = at("2017-03-14 10:00"), t = 7, s = 7;
	struct err e;
	bool w = true;

	(void)state;
#define OUT(call) do {							\
	err_clear(&e);							\
	assert_int_equal((call), ERR_DATA);				\
	assert_string_equal(e.msg, "outside the calendar");		\
} while (0)
	OUT(calendar_is_workday(cn, before, &w, &e));
	OUT(calendar_is_workday(cn, after, &w, &e));
	OUT(calendar_is_workday(cn, INT64_MIN, &w, &e));
	OUT(calendar_is_workday(cn, INT64_MAX, &w, &e));
	OUT(calendar_worked(cn, before, in, &s, &e));
	OUT(calendar_worked(cn, in, after, &s, &e));
	OUT(calendar_worked(cn, INT64_MIN, INT64_MAX, &s, &e));
	OUT(calendar_add_worked(cn, before, 0, &t, &e));
	OUT(calendar_add_worked(cn, after, 0, &t, &e));
	OUT(calendar_add_workdays(cn, before, 0, &t, &e));
	OUT(calendar_add_workdays(cn, after, 1, &t, &e));
	OUT(calendar_add_workdays(cn, INT64_MAX, 1, &t, &e));
#undef OUT
	assert_true(w);
	assert_int_equal(t, 7);
	assert_int_equal(s, 7);
}

/* A small valid calendar that the error cases below vary one line of. */
#define BASE_NAME	"name: t\n"
#define BASE_FROM	"from: 2017-01-01\n"
#define BASE_TO		"to: 2017-12-31\n"
#define BASE_WIN	"windows: [\"08:30-12:00\", \"14:30-17:30\"]\n"
#define BASE_HOL	"holidays: [2017-01-02]\n"
#define BASE_WORK	"workdays: [2017-01-22]\n"

static int
load_str(struct calendar **c, const char *s, struct err *e)
{
	err_clear(e);
	return calendar_load_string(c, s, strlen(s), "t.yaml", e);
}

struct bad_case {
	const char *doc;
	long line;
	const char *field;
	const char *msg;
};

static void
test_load_errors(void **state)
{
	static const struct bad_case cases[] = {
		/* unknown keys */
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_HOL BASE_WORK
		  "colour: red\n", 7, "", "unknown key 'colour'" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - {from: 2017-01-02, til: 2017-01-03}\n",
		  7, "", "unknown key 'til'" },
		/* missing keys: at the line of the mapping */
		{ BASE_FROM BASE_TO BASE_WIN BASE_HOL BASE_WORK,
		  1, "name", "missing" },
		{ BASE_NAME BASE_FROM BASE_WIN BASE_HOL BASE_WORK,
		  1, "to", "missing" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_HOL BASE_WORK,
		  1, "windows", "missing" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK,
		  1, "holidays", "missing" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_HOL,
		  1, "workdays", "missing" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - name: x\n    to: 2017-01-03\n",
		  7, "from", "missing" },
		{ "", 0, "", "empty calendar" },
		{ "# only a comment\n", 0, "", "empty calendar" },
		{ "- a\n", 1, "", "expected a mapping" },
		/* bad values */
		{ "name: ''\n" BASE_FROM BASE_TO BASE_WIN BASE_HOL BASE_WORK,
		  1, "name", "empty" },
		{ "name: [a]\n" BASE_FROM BASE_TO BASE_WIN BASE_HOL BASE_WORK,
		  1, "name", "" },
		{ BASE_NAME "offset: \"+25:00\"\n" BASE_FROM BASE_TO BASE_WIN
		  BASE_HOL BASE_WORK, 2, "offset", "bad time zone offset" },
		/* bad dates */
		{ BASE_NAME "from: 2017-02-30\n" BASE_TO BASE_WIN BASE_HOL
		  BASE_WORK, 2, "from", "impossible date" },
		{ BASE_NAME "from: soon\n" BASE_TO BASE_WIN BASE_HOL
		  BASE_WORK, 2, "from", "not a date" },
		{ BASE_NAME BASE_FROM "to: 2017-12-31T00:00\n" BASE_WIN
		  BASE_HOL BASE_WORK, 3, "to", "not a date" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - 2017-01-02\n  - 2017-13-01\n",
		  8, "holidays", "impossible date" },
		/* reversed ranges, too long */
		{ BASE_NAME "from: 2017-12-31\nto: 2017-01-01\n" BASE_WIN
		  BASE_HOL BASE_WORK, 3, "to", "range ends before it starts" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - {from: 2017-02-02, to: 2017-01-27}\n",
		  7, "holidays", "range ends before it starts" },
		{ BASE_NAME "from: 1900-01-01\n" BASE_TO BASE_WIN BASE_HOL
		  BASE_WORK, 3, "to", "more than 36600 days" },
		/* dates outside from..to */
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays: [2018-01-01]\n", 6, "holidays",
		  "date outside from..to" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_HOL
		  "workdays:\n  - 2016-12-31\n", 7, "workdays",
		  "date outside from..to" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - {from: 2017-12-30, to: 2018-01-02}\n",
		  7, "holidays", "date outside from..to" },
		/* both a holiday and a workday: at the workdays entry */
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN
		  "holidays: [{from: 2017-01-27, to: 2017-02-02}]\n"
		  "workdays:\n  - 2017-01-22\n  - 2017-01-29\n",
		  8, "workdays", "date is both a holiday and a workday" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN
		  "workdays: [2017-01-29]\n"
		  "holidays: [{from: 2017-01-27, to: 2017-02-02}]\n",
		  5, "workdays", "date is both a holiday and a workday" },
		/* lists */
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays: 2017-01-02\n", 6, "holidays", "expected a list" },
		{ BASE_NAME BASE_FROM BASE_TO BASE_WIN BASE_WORK
		  "holidays:\n  - [2017-01-02]\n", 7, "holidays", "" },
		/* windows */
		{ BASE_NAME BASE_FROM BASE_TO
		  "windows: [\"08:30-12:00\", \"11:00-13:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "windows overlap" },
		{ BASE_NAME BASE_FROM BASE_TO
		  "windows:\n  - 14:30-17:30\n  - 08:30-12:00\n"
		  BASE_HOL BASE_WORK, 6, "windows", "windows out of order" },
		{ BASE_NAME BASE_FROM BASE_TO
		  "windows:\n  - 08:30-12:00\n  - 08:30-12:00\n"
		  BASE_HOL BASE_WORK, 6, "windows", "windows overlap" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"09:00-09:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "window is empty" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"17:00-09:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "window is empty" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"8:30-12:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "HH:MM-HH:MM" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"08:30-24:01\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "HH:MM-HH:MM" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"24:00-24:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "HH:MM-HH:MM" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"08:60-12:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "HH:MM-HH:MM" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [\"08:30 - 12:00\"]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "HH:MM-HH:MM" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: []\n"
		  BASE_HOL BASE_WORK, 4, "windows", "no window" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: \"08:30-12:00\"\n"
		  BASE_HOL BASE_WORK, 4, "windows", "expected a list" },
		{ BASE_NAME BASE_FROM BASE_TO "windows: [00:00-01:00, "
		  "01:00-02:00, 02:00-03:00, 03:00-04:00, 04:00-05:00, "
		  "05:00-06:00, 06:00-07:00, 07:00-08:00, 08:00-09:00]\n"
		  BASE_HOL BASE_WORK, 4, "windows", "too many windows" },
		/* weekend */
		{ BASE_NAME BASE_FROM BASE_TO "weekend: [sat, sunday]\n"
		  BASE_WIN BASE_HOL BASE_WORK, 4, "weekend",
		  "not a day of the week" },
		{ BASE_NAME BASE_FROM BASE_TO "weekend: [sat, sat]\n"
		  BASE_WIN BASE_HOL BASE_WORK, 4, "weekend", "day repeated" },
		{ BASE_NAME BASE_FROM BASE_TO "weekend: sat\n"
		  BASE_WIN BASE_HOL BASE_WORK, 4, "weekend",
		  "expected a list" },
		/* YAML itself */
		{ BASE_NAME "name: u\n" BASE_FROM BASE_TO BASE_WIN BASE_HOL
		  BASE_WORK, 2, "", "duplicate" },
	};
	struct calendar *c;
	struct err e;
	size_t i;
	long live = mem_live();

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = (struct calendar *)1;
		if (load_str(&c, cases[i].doc, &e) != ERR_DATA ||
		    e.code != ERR_DATA)
			fail_msg("case %zu: code %d", i, e.code);
		assert_null(c);
		assert_string_equal(e.file, "t.yaml");
		if (e.line != cases[i].line ||
		    strstr(e.msg, cases[i].msg) == NULL ||
		    (cases[i].field[0] != '\0' &&
		    strcmp(e.field, cases[i].field) != 0))
			fail_msg("case %zu: got %ld '%s' '%s'", i, e.line,
			    e.field, e.msg);
		assert_int_equal(mem_live(), live);
	}
}

/* Calendars other than cn-2017: offsets, weekends, windows up to 24:00. */
static void
test_other(void **state)
{
	static const char round[] =
	    "name: r\noffset: Z\nfrom: 2020-02-28\nto: 2020-03-01\n"
	    "weekend: []\nwindows: [\"00:00-12:00\", \"12:00-24:00\"]\n"
	    "holidays: [2020-02-29]\nworkdays: []\n";
	static const char fri[] =
	    "name: f\noffset: \"+05:30\"\nfrom: 2017-01-01\nto: 2017-01-31\n"
	    "weekend: [fri]\nwindows: [\"09:00-17:00\"]\n"
	    "holidays: []\nworkdays: [{from: 2017-01-13, to: 2017-01-13, "
	    "name: x}, 2017-01-13]\n";
	struct calendar *c;
	struct err e;
	int64_t t, s, t0;
	bool w;
	int off;

	(void)state;
	assert_int_equal(load_str(&c, round, &e), 0);
	assert_int_equal(calendar_offset(c), 0);
	assert_int_equal(calendar_day_seconds(c), 86400);
	assert_int_equal(time_iso_to_epoch("2020-02-28T00:00:00+00:00", 25,
	    &t0, &off), 0);
	assert_true(calendar_covers(c, t0));
	assert_false(calendar_covers(c, t0 - 1));
	assert_true(calendar_covers(c, t0 + 3 * 86400 - 1));
	assert_false(calendar_covers(c, t0 + 3 * 86400));
	/* the end of the 28th is the earliest instant of its last second */
	assert_int_equal(calendar_add_worked(c, t0, 86400, &t, &e), 0);
	assert_int_equal(t, t0 + 86400);
	assert_int_equal(calendar_add_worked(c, t0, 86401, &t, &e), 0);
	assert_int_equal(t, t0 + 2 * 86400 + 1);
	assert_int_equal(calendar_worked(c, t0, t0 + 3 * 86400 - 1, &s, &e),
	    0);
	assert_int_equal(s, 2 * 86400 - 1);
	/* the answer would be the end of the calendar: outside */
	err_clear(&e);
	assert_int_equal(calendar_add_worked(c, t0, 2 * 86400, &t, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "outside the calendar");
	assert_int_equal(calendar_add_worked(c, t0, 2 * 86400 - 1, &t, &e),
	    0);
	assert_int_equal(t, t0 + 3 * 86400 - 1);
	calendar_free(c);

	assert_int_equal(load_str(&c, fri, &e), 0);
	assert_string_equal(calendar_name(c), "f");
	assert_int_equal(calendar_offset(c), 330);
	assert_int_equal(time_iso_to_epoch("2017-01-06T12:00:00+05:30", 25,
	    &t0, &off), 0);
	assert_int_equal(calendar_is_workday(c, t0, &w, &e), 0);
	assert_false(w);	/* a Friday */
	assert_int_equal(calendar_is_workday(c, t0 + 86400, &w, &e), 0);
	assert_true(w);		/* a Saturday */
	assert_int_equal(calendar_is_workday(c, t0 + 7 * 86400, &w, &e), 0);
	assert_true(w);		/* Friday 13th made a workday */
	/* Thursday 17:00 + 1 day: Saturday 17:00 */
	assert_int_equal(calendar_add_workdays(c, t0 - 86400 + 5 * 3600, 1,
	    &t, &e), 0);
	assert_int_equal(t, t0 + 86400 + 5 * 3600);
	calendar_free(c);
}

static void
test_load_file(void **state)
{
	struct calendar *c = (struct calendar *)1;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(calendar_load_file(&c, "/nonexistent/cal.yaml", &e),
	    ERR_NOINPUT);
	assert_null(c);
	calendar_free(NULL);
}

/* Fail every allocation of a load in turn: a clean error, nothing leaked. */
static void
test_oom(void **state)
{
	struct calendar *c;
	struct err e;
	long n, live = mem_live();
	int rc;
	bool file;

	(void)state;
	for (file = false; ; file = true) {
		for (n = 0; ; n++) {
			err_clear(&e);
			c = (struct calendar *)1;
			mem_fail_after(n);
			rc = file ? calendar_load_file(&c, CN2017, &e) :
			    load_str(&c, BASE_NAME BASE_FROM BASE_TO BASE_WIN
			    BASE_HOL BASE_WORK, &e);
			mem_fail_after(-1);
			if (rc == 0)
				break;
			assert_int_equal(rc, ERR_INTERNAL);
			assert_null(c);
			assert_int_equal(mem_live(), live);
		}
		assert_true(n > 3);
		calendar_free(c);
		assert_int_equal(mem_live(), live);
		if (file)
			break;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_is_workday),
		cmocka_unit_test(test_worked),
		cmocka_unit_test(test_add_worked),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
