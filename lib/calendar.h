/*
 * calendar.h - a working calendar: holidays, make-up workdays (调休) and
 * daily work windows, with arithmetic in working time
 *
 * A calendar covers a closed range of civil dates [first, last] in one fixed
 * UTC offset (China: +08:00).  Each date is a workday or not: by default
 * Monday to Friday are workdays; a date listed under `holidays` is not, a
 * date listed under `workdays` is (the Saturday or Sunday made a workday by
 * the State Council's notice).  A workday is worked during the daily
 * windows (for example 08:30-12:00 and 14:30-17:30); a day off is not worked
 * at all.
 *
 * The file (YAML, format in grid-routing(5)):
 *
 *   name: cn-2017
 *   offset: "+08:00"                     # optional, default +08:00
 *   from: 2017-01-01                     # the dates covered
 *   to: 2017-12-31
 *   weekend: [sat, sun]                  # optional, default [sat, sun]
 *   windows: ["08:30-12:00", "14:30-17:30"]
 *   holidays:                            # dates or ranges, inclusive
 *     - 2017-01-01
 *     - {from: 2017-01-27, to: 2017-02-02, name: 春节}
 *   workdays:                            # make-up workdays
 *     - 2017-01-22
 *
 * Every key but those marked optional is required (holidays and workdays
 * may be empty lists, `[]`).  name is a non-empty string; offset anything
 * time_parse_offset accepts; dates anything time_parse_date accepts
 * (write YYYY-MM-DD).  weekend lists the days off of an ordinary week, from
 * mon tue wed thu fri sat sun (may be empty).  windows: 1 to
 * CALENDAR_MAX_WINDOWS strings "HH:MM-HH:MM", two digits each, in order of
 * time; an end may be 24:00; windows may touch (12:00-13:00 then
 * 13:00-14:00) but not overlap.  holidays and workdays: lists whose items
 * are a date or a range {from: DATE, to: DATE, name: TEXT} (name optional,
 * ignored but checked to be a string).  Dates may repeat within one list.
 *
 * Errors (ERR_DATA with file, line and key): unknown key, a missing key (at
 * the line of the mapping it is missing from), a bad date or offset, a date
 * outside from..to, a date both holiday and workday (at the line of the
 * workdays entry), windows that overlap, are out of order, are empty or
 * leave 00:00-24:00, no window or too many, a range whose end is before its
 * start, more than CALENDAR_MAX_DAYS days, an empty file.
 *
 * Instants are seconds since 1970-01-01T00:00:00Z (int64_t; see
 * time_iso_to_epoch).  Working time is counted in seconds.  Let W(t) be the
 * working seconds from the start of the calendar's first day up to t; then
 * every question is answered from W and its inverse in constant time after
 * loading: a prefix sum of working seconds per day, per-minute tables of
 * each workday's windows, and, because every workday has the same windows,
 * the inverse finds the day by a direct table lookup over the workdays.
 *
 * Coverage: an instant before the first day or from the end of the last day
 * on is outside the calendar; every function that would need it returns
 * ERR_DATA "outside the calendar" rather than guessing.  That holds for
 * results too: with a window ending at 24:00 on the last day, an answer at
 * the very end of the calendar is "outside the calendar" as well, so that
 * every instant returned can be passed back in.  The location fields of
 * the err (file, line, field) are cleared by these run-time errors.
 *
 * Ownership: calendar_load_* return an owned calendar, freed by
 * calendar_free (NULL is fine).  A loaded calendar is read-only, so threads
 * may share it.
 */
#ifndef GRID_CALENDAR_H
#define GRID_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CALENDAR_MAX_DAYS 36600		/* a hundred years */
#define CALENDAR_MAX_WINDOWS 8

struct calendar;

/* calendar_load_file: read and check a calendar file.  ERR_NOINPUT when it
 * cannot be opened, ERR_DATA when it is wrong, ERR_INTERNAL on no memory. */
int calendar_load_file(struct calendar **cp, const char *path,
    struct err *e);

/* calendar_load_string: the same from buf[0..n); name is used in errors. */
int calendar_load_string(struct calendar **cp, const char *buf, size_t n,
    const char *name, struct err *e);

void calendar_free(struct calendar *c);

/* calendar_name: the name key; calendar_offset: its UTC offset in minutes. */
const char *calendar_name(const struct calendar *c);
int calendar_offset(const struct calendar *c);

/*
 * calendar_day_seconds: the working seconds of one workday (the windows'
 * total, e.g. 6.5 h = 23400 s).  Every workday has the same windows.
 */
int64_t calendar_day_seconds(const struct calendar *c);

/* calendar_covers: t lies within the calendar's dates. */
bool calendar_covers(const struct calendar *c, int64_t t);

/*
 * calendar_is_workday: whether the civil date (in the calendar's offset)
 * that contains t is a workday.  ERR_DATA "outside the calendar".
 */
int calendar_is_workday(const struct calendar *c, int64_t t, bool *work,
    struct err *e);

/*
 * calendar_worked: working seconds between t0 and t1 (t0 <= t1; otherwise
 * ERR_DATA "end before start"), i.e. W(t1) - W(t0).
 */
int calendar_worked(const struct calendar *c, int64_t t0, int64_t t1,
    int64_t *secs, struct err *e);

/*
 * calendar_add_worked: the earliest instant t >= t0 with W(t) - W(t0) =
 * secs (secs >= 0).  So a limit that runs out at the end of a window is due
 * at that end (17:30), not at the start of the next one; secs = 0 gives t0
 * itself.  ERR_DATA "outside the calendar" when t0 is outside or the
 * calendar ends first, ERR_DATA "negative working time" when secs < 0.
 */
int calendar_add_worked(const struct calendar *c, int64_t t0, int64_t secs,
    int64_t *t, struct err *e);

/*
 * calendar_add_workdays: n working days after t0 (n >= 0; n = 0 gives t0).
 * Let d0 be t0's civil day and m = W(t0) - W(start of d0), the working
 * seconds of d0 already worked at t0.  When d0 is not a workday, d0 is
 * taken to be the next workday and m = 0.  Let dn be the n-th workday after
 * d0.  The result is the earliest t with W(t) = W(start of dn) + m: the
 * same point of dn's working time as t0 was of d0's.  When m = 0 that
 * earliest instant is the end of the last window of the workday before dn.
 * Examples on cn-2017 with windows 08:30-12:00 and 14:30-17:30:
 *   2017-09-29T16:00 + 1 = 2017-09-30T16:00 (a make-up Saturday);
 *   2017-09-30T17:00 + 1 = 2017-10-09T17:00 (after the National Day week);
 *   2017-09-29T20:00 + 1 = 2017-09-30T17:30 (after work: m is the day);
 *   2017-09-29T07:00 + 1 = 2017-09-29T17:30 (before work: m = 0);
 *   Sunday 2017-10-15T10:00 + 1 = 2017-10-16T17:30.
 * Since every workday has the same windows this is calendar_add_worked(c,
 * t0, n * calendar_day_seconds(c)) for n >= 1.  ERR_DATA "outside the
 * calendar" when t0 is outside or the calendar ends first, ERR_DATA
 * "negative number of days" when n < 0.
 */
int calendar_add_workdays(const struct calendar *c, int64_t t0, long n,
    int64_t *t, struct err *e);

#endif
