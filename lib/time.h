/*
 * time.h - dates and datetimes as Chinese spreadsheets export them, made
 * canonical: dates `2017-03-14`, datetimes `2017-03-14T09:30:00+08:00`
 *
 * Pure civil-calendar arithmetic (Howard Hinnant's days_from_civil and
 * civil_from_days, proleptic Gregorian calendar): nothing here calls the C
 * library's time zone machinery (mktime, localtime, TZ), so the same input
 * gives the same bytes in every time zone and locale.  A datetime carries a
 * fixed offset in minutes east of UTC; there are no zone rules and no DST.
 *
 * Accepted input (time_parse_datetime; time_parse_date takes the date forms
 * and integer Excel serials only).  Leading and trailing spaces and tabs are
 * ignored.  Full-width digits, `：` `－` `／` `．` `＋` and the ideographic
 * space are read as their ASCII forms.
 *   dates      2017-03-14  2017-3-14  2017/3/14  2017/03/14  2017.3.14
 *              20170314  2017年3月14日 (also 号; spaces around 年月日 allowed)
 *              year: 4 digits; month, day: 1 or 2 digits
 *   times      9:30  09:30:00  09:30:00.123 (fraction truncated)
 *              9时30分  9时30分15秒  9时 (also 時, 点, 點)
 *              hour 1 or 2 digits; ISO minutes and seconds exactly 2 digits
 *   between    `T` or `t`, or one or more spaces; nothing is needed after 日
 *   offset     after a time only, optionally after spaces: anything
 *              time_parse_offset accepts (Z, +08:00, +0800, +08, UTC ...);
 *              kept as given, not converted
 *   serials    Excel 1900 date system day numbers 1..2958465 (`42808`,
 *              `42808.395833`): serial 1 = 1900-01-01; 60 is Excel's
 *              fictitious 1900-02-29 and is rejected; from 61 on, days
 *              after 1899-12-30.  The fraction is the time of day, rounded
 *              to the nearest second (only its first 13 digits count).  A
 *              bare number of exactly 8 digits is a compact date YYYYMMDD
 *              (it cannot be a serial: the largest serial has 7 digits).
 *   A date alone is midnight.  Ranges: years 1900..9999, hours 0..23,
 *   minutes and seconds 0..59 (no leap seconds, no 24:00).
 *
 * Errors: the parsers return ERR_DATA with one of the messages "not a date",
 * "not a date and time", "impossible date", "impossible time", "year out of
 * range", "bad time zone offset" (never the value itself); a bad offset
 * argument or option is ERR_USAGE "bad time zone offset".
 *
 * Ownership: nothing here allocates.  Inputs are borrowed (s[0..n), need not
 * be NUL-terminated); outputs are caller-provided fixed buffers.
 *
 * Name: the build finds lib/ headers with -iquote, so `#include "time.h"`
 * is this file and `#include <time.h>` is still the C library's.
 */
#ifndef GRID_TIME_H
#define GRID_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TIME_DATE_LEN 10	/* "2017-03-14" */
#define TIME_DATETIME_LEN 25	/* "2017-03-14T09:30:00+08:00" */

/*
 * time_days_from_civil: days from 1970-01-01 to y-m-d in the proleptic
 * Gregorian calendar (negative before 1970).  m is 1..12; d may run past
 * the month's end (it simply counts on), but callers normally check with
 * time_valid_date first.  Exact for every int year.
 */
int64_t time_days_from_civil(int y, int m, int d);

/*
 * time_civil_from_days: inverse of time_days_from_civil.  Exact for
 * |days| < 2^40 (about three billion years); beyond that the result is
 * unspecified but the call is still safe.
 */
void time_civil_from_days(int64_t days, int *y, int *m, int *d);

/*
 * time_valid_date: true when y-m-d is a real calendar date with y in
 * 1900..9999 (1900-02-29 is not; 2000-02-29 is).
 */
bool time_valid_date(int y, int m, int d);

/*
 * time_parse_offset: a UTC offset as written in a configuration file or on
 * the command line, into minutes east of UTC.  Accepts `Z`, `z`, `UTC`,
 * `GMT`, and `+08:00`, `+0800`, `+08`, `+8`, `+8:00`, `-05:30`, each
 * optionally after `UTC` or `GMT` (`UTC+8`); hours 0..23, minutes 0..59.
 * Leading and trailing spaces are ignored.  Returns 0, or ERR_USAGE "bad
 * time zone offset" (also when s is NULL); *minutes is set only on success.
 */
int time_parse_offset(const char *s, int *minutes, struct err *e);

/*
 * time_parse_date: one of the date forms above, or an integer Excel serial,
 * into out as `YYYY-MM-DD` and a NUL.  A time part is refused ("not a
 * date"), even midnight.  Returns 0 or ERR_DATA; on failure out is "".
 */
int time_parse_date(const char *s, size_t n, char out[TIME_DATE_LEN + 1],
    struct err *e);

/*
 * time_parse_datetime: any accepted form into out as
 * `YYYY-MM-DDTHH:MM:SS±hh:mm` and a NUL.  When the input has no offset,
 * default_offset (minutes east, -1439..1439) is written; an offset in the
 * input is kept as it is (the wall time is not converted).  The output is a
 * fixed point: parsing it again gives the same bytes.  Returns 0, ERR_DATA
 * for bad input, or ERR_USAGE when default_offset is out of range; on
 * failure out is "".
 */
int time_parse_datetime(const char *s, size_t n, int default_offset,
    char out[TIME_DATETIME_LEN + 1], struct err *e);

/*
 * time_iso_to_epoch: the canonical form only (exactly what
 * time_parse_datetime writes: 25 bytes, years 1900..9999, offset "+00:00"
 * rather than "-00:00") into seconds since 1970-01-01T00:00:00Z and the
 * offset in minutes east.  Returns 0, or -1 for anything else (nothing is
 * set then).  For comparing and subtracting timestamps.
 */
int time_iso_to_epoch(const char *s, size_t n, int64_t *epoch, int *offset);

/*
 * time_epoch_to_iso: inverse of time_iso_to_epoch: the wall time at offset
 * (minutes east, -1439..1439) of the instant epoch, in canonical form.
 * Years 0000..9999 are written; when the wall time falls outside them, or
 * offset is out of range, out is "" (the caller checks out[0]).
 */
void time_epoch_to_iso(int64_t epoch, int offset,
    char out[TIME_DATETIME_LEN + 1]);

#endif
