/* test_time.c - unit tests for lib/time */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <time.h>	/* the C library's: tzset */

#include "time.h"	/* lib/time.h (found through -iquote) */
#include "err.h"
#include "mem.h"

#define CST 480		/* +08:00 */

struct ok_case {
	const char *in;
	const char *out;
};

struct bad_case {
	const char *in;
	const char *msg;
};

/* Every accepted form, with default offset +08:00. */
static const struct ok_case datetime_ok[] = {
	/* ISO-ish, with and without seconds, T, fraction, offset */
	{ "2017-03-14 09:30", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14 09:30:00", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:00", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14t09:30:00", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:00.999", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:59.999999999", "2017-03-14T09:30:59+08:00" },
	{ "2017-03-14 09:30:00.5Z", "2017-03-14T09:30:00+00:00" },
	{ "2017-03-14T09:30:00Z", "2017-03-14T09:30:00+00:00" },
	{ "2017-03-14T09:30:00z", "2017-03-14T09:30:00+00:00" },
	{ "2017-03-14T09:30:00+08:00", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:00+0800", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:00+08", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14T09:30:00-05:30", "2017-03-14T09:30:00-05:30" },
	{ "2017-03-14 09:30 +05:45", "2017-03-14T09:30:00+05:45" },
	{ "2017-03-14 09:30 UTC", "2017-03-14T09:30:00+00:00" },
	{ "2017-03-14 09:30 GMT+9", "2017-03-14T09:30:00+09:00" },
	{ "2017-03-14 09:30-00:00", "2017-03-14T09:30:00+00:00" },
	{ "2017-3-14 9:30", "2017-03-14T09:30:00+08:00" },
	/* slashes and dots, single digits */
	{ "2017/3/14 9:30", "2017-03-14T09:30:00+08:00" },
	{ "2017/3/14 9:30:00", "2017-03-14T09:30:00+08:00" },
	{ "2017/03/14", "2017-03-14T00:00:00+08:00" },
	{ "2017/3/4 0:05", "2017-03-04T00:05:00+08:00" },
	{ "2017.3.14 9:30", "2017-03-14T09:30:00+08:00" },
	{ "2017.03.14", "2017-03-14T00:00:00+08:00" },
	/* Chinese */
	{ "2017年3月14日 9时30分", "2017-03-14T09:30:00+08:00" },
	{ "2017年3月14日9时30分15秒", "2017-03-14T09:30:15+08:00" },
	{ "2017年3月14日 09:30", "2017-03-14T09:30:00+08:00" },
	{ "2017年3月14日09:30:05", "2017-03-14T09:30:05+08:00" },
	{ "2017年3月14日", "2017-03-14T00:00:00+08:00" },
	{ "2017年03月04日", "2017-03-04T00:00:00+08:00" },
	{ "2017 年 3 月 14 日 9 时 30 分", "2017-03-14T09:30:00+08:00" },
	{ "2017年3月14号 9点30分", "2017-03-14T09:30:00+08:00" },
	{ "2017年3月14日 9時", "2017-03-14T09:00:00+08:00" },
	{ "2017年3月14日 23點59分59秒", "2017-03-14T23:59:59+08:00" },
	{ "2017-03-14 9时30分", "2017-03-14T09:30:00+08:00" },
	{ "2017年3月14日 9时30分 +09:00", "2017-03-14T09:30:00+09:00" },
	/* full width */
	{ "２０１７－０３－１４　０９：３０", "2017-03-14T09:30:00+08:00" },
	{ "２０１７／３／１４ ９：３０：１５", "2017-03-14T09:30:15+08:00" },
	{ "２０１７年３月１４日　９时３０分", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14 09：30＋09：00", "2017-03-14T09:30:00+09:00" },
	/* date alone, compact date */
	{ "2017-03-14", "2017-03-14T00:00:00+08:00" },
	{ "20170314", "2017-03-14T00:00:00+08:00" },
	{ "20170314 09:30", "2017-03-14T09:30:00+08:00" },
	{ "20170314T09:30:00Z", "2017-03-14T09:30:00+00:00" },
	/* spaces and tabs around, and between */
	{ "  2017-03-14 09:30  ", "2017-03-14T09:30:00+08:00" },
	{ "\t2017-03-14\t09:30\t", "2017-03-14T09:30:00+08:00" },
	{ "2017-03-14    09:30", "2017-03-14T09:30:00+08:00" },
	/* Excel serials */
	{ "42808", "2017-03-14T00:00:00+08:00" },
	{ "42808.5", "2017-03-14T12:00:00+08:00" },
	{ "42808.395833", "2017-03-14T09:30:00+08:00" },
	{ "42808.395833333333333333", "2017-03-14T09:30:00+08:00" },
	{ "42808.0000057", "2017-03-14T00:00:00+08:00" },	/* 0.49 s */
	{ "42808.0000058", "2017-03-14T00:00:01+08:00" },	/* 0.50 s */
	{ "42808.99999999", "2017-03-15T00:00:00+08:00" },	/* rounds up */
	{ "1", "1900-01-01T00:00:00+08:00" },
	{ "59", "1900-02-28T00:00:00+08:00" },
	{ "61", "1900-03-01T00:00:00+08:00" },
	{ "0042808", "2017-03-14T00:00:00+08:00" },
	{ "2958465", "9999-12-31T00:00:00+08:00" },
	{ "2958465.9999", "9999-12-31T23:59:51+08:00" },
	{ " 42808 ", "2017-03-14T00:00:00+08:00" },
	/* ranges and leap years */
	{ "1900-01-01 00:00", "1900-01-01T00:00:00+08:00" },
	{ "9999-12-31 23:59:59", "9999-12-31T23:59:59+08:00" },
	{ "2016-02-29", "2016-02-29T00:00:00+08:00" },
	{ "2000-02-29", "2000-02-29T00:00:00+08:00" },
	{ "2400-02-29", "2400-02-29T00:00:00+08:00" },
	{ "2017-12-31 23:59:59", "2017-12-31T23:59:59+08:00" },
	{ "2017-03-14 00:00 +23:59", "2017-03-14T00:00:00+23:59" },
	{ "2017-03-14 00:00 -23:59", "2017-03-14T00:00:00-23:59" },
};

static const struct bad_case datetime_bad[] = {
	{ "", "not a date and time" },
	{ "   ", "not a date and time" },
	{ "2017-03-14x", "not a date and time" },
	{ "2017-03-14 09:30x", "not a date and time" },
	{ "2017-03-14 09:30 garbage", "not a date and time" },
	{ "2017-03-14 09:30:00.", "not a date and time" },
	{ "2017-03-14T", "not a date and time" },
	{ "2017-03-14T09", "not a date and time" },
	{ "2017-03-14 09", "not a date and time" },
	{ "2017-03-14 9:3", "not a date and time" },
	{ "2017-03-14 9:30:0", "not a date and time" },
	{ "2017-03-14 123:30", "not a date and time" },
	{ "2017-03-1409:30", "not a date and time" },
	{ "2017-03-14Z", "not a date and time" },
	{ "2017-03-14+08:00", "not a date and time" },
	{ "2017/3-14", "not a date and time" },
	{ "2017 -03-14", "not a date and time" },
	{ "2017-003-14", "not a date and time" },
	{ "17/3/14", "not a date and time" },
	{ "3/14/2017", "not a date and time" },
	{ "14.03.2017", "not a date and time" },
	{ "2017年3月14", "not a date and time" },
	{ "2017年3月14日 9时30", "not a date and time" },
	{ "2017年3月14日 9时30分15", "not a date and time" },
	{ "2017年3月14日 9时123分", "not a date and time" },
	{ "2017-03-14 09:30\x01", "not a date and time" },
	{ "2017-03-14\n09:30", "not a date and time" },
	{ "2017-03-14 09:30 \xe2\x80\x8b", "not a date and time" },
	{ "2017-03-14 09:30 \xef\xbc", "not a date and time" },
	{ "42808.", "not a date and time" },
	{ ".5", "not a date and time" },
	{ "-1", "not a date and time" },
	{ "+42808", "not a date and time" },
	{ "42808,5", "not a date and time" },
	{ "1e5", "not a date and time" },
	{ "2017-02-30", "impossible date" },
	{ "2017-02-29", "impossible date" },
	{ "1900-02-29", "impossible date" },
	{ "2100-02-29 12:00", "impossible date" },
	{ "2017-13-01", "impossible date" },
	{ "2017-00-10", "impossible date" },
	{ "2017-04-31", "impossible date" },
	{ "2017-04-00", "impossible date" },
	{ "2017年13月1日", "impossible date" },
	{ "20171301", "impossible date" },
	{ "60", "impossible date" },
	{ "59.9999999", "impossible date" },	/* rounds to serial 60 */
	{ "60.5", "impossible date" },
	{ "2017-03-14 25:00", "impossible time" },
	{ "2017-03-14 24:00", "impossible time" },
	{ "2017-03-14 09:60", "impossible time" },
	{ "2017-03-14 09:30:60", "impossible time" },
	{ "2017年3月14日 9时60分", "impossible time" },
	{ "2017年3月14日 24时", "impossible time" },
	{ "1899-12-31", "year out of range" },
	{ "0000-01-01", "year out of range" },
	{ "10000-01-01", "year out of range" },
	{ "0", "year out of range" },
	{ "0.5", "year out of range" },
	{ "2958466", "year out of range" },
	{ "2958465.99999999", "year out of range" },	/* rounds past 9999 */
	{ "123456789012345678901234567890", "year out of range" },
	{ "00000000", "year out of range" },
	{ "2017-03-14 09:30+25:00", "bad time zone offset" },
	{ "2017-03-14 09:30+08:60", "bad time zone offset" },
	{ "2017-03-14 09:30+8:0", "bad time zone offset" },
	{ "2017-03-14 09:30+800", "bad time zone offset" },
	{ "2017-03-14 09:30+", "bad time zone offset" },
	{ "2017-03-14 09:30 UTC+", "bad time zone offset" },
	{ "2017-03-14 09:30 UTC08", "bad time zone offset" },
	{ "2017-03-14 09:30 ZZ", "bad time zone offset" },
};

static void
check_ok_datetime(const char *in, int def, const char *want)
{
	char out[TIME_DATETIME_LEN + 1], again[TIME_DATETIME_LEN + 1];
	struct err e;
	int r;

	err_clear(&e);
	r = time_parse_datetime(in, strlen(in), def, out, &e);
	if (r != 0)
		fail_msg("'%s': %s", in, e.msg);
	assert_string_equal(out, want);
	assert_int_equal(strlen(out), TIME_DATETIME_LEN);
	/* canonical is a fixed point, whatever the default offset */
	assert_int_equal(time_parse_datetime(out, strlen(out), -300, again,
	    &e), 0);
	assert_string_equal(again, out);
}

static void
test_datetime_forms(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof datetime_ok / sizeof datetime_ok[0]; i++)
		check_ok_datetime(datetime_ok[i].in, CST, datetime_ok[i].out);
}

static void
test_datetime_errors(void **state)
{
	char out[TIME_DATETIME_LEN + 1];
	struct err e;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof datetime_bad / sizeof datetime_bad[0]; i++) {
		err_clear(&e);
		memcpy(out, "XXXX", 5);
		r = time_parse_datetime(datetime_bad[i].in,
		    strlen(datetime_bad[i].in), CST, out, &e);
		if (r != ERR_DATA)
			fail_msg("'%s': got %d '%s'", datetime_bad[i].in, r, out);
		assert_int_equal(e.code, ERR_DATA);
		if (strcmp(e.msg, datetime_bad[i].msg) != 0)
			fail_msg("'%s': '%s', want '%s'", datetime_bad[i].in,
			    e.msg, datetime_bad[i].msg);
		assert_string_equal(out, "");
	}
}

static void
test_datetime_offsets(void **state)
{
	(void)state;
	/* no offset in the input: the default applies */
	check_ok_datetime("2017-03-14 09:30", 0, "2017-03-14T09:30:00+00:00");
	check_ok_datetime("2017-03-14 09:30", -300,
	    "2017-03-14T09:30:00-05:00");
	check_ok_datetime("2017-03-14 09:30", 330, "2017-03-14T09:30:00+05:30");
	check_ok_datetime("42808.5", -60, "2017-03-14T12:00:00-01:00");
	check_ok_datetime("2017年3月14日", 1439, "2017-03-14T00:00:00+23:59");
	/* an offset in the input is kept, not converted */
	check_ok_datetime("2017-03-14 09:30+09:00", 0,
	    "2017-03-14T09:30:00+09:00");
	check_ok_datetime("2017-03-14 23:30Z", CST,
	    "2017-03-14T23:30:00+00:00");
	check_ok_datetime("2017-03-14 01:00-08:00", CST,
	    "2017-03-14T01:00:00-08:00");
}

static void
test_datetime_bad_default(void **state)
{
	char out[TIME_DATETIME_LEN + 1];
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(time_parse_datetime("2017-03-14", 10, 1440, out, &e),
	    ERR_USAGE);
	assert_string_equal(e.msg, "bad time zone offset");
	assert_string_equal(out, "");
	assert_int_equal(time_parse_datetime("2017-03-14", 10, -1440, out,
	    NULL), ERR_USAGE);
}

static void
test_datetime_length_and_nul(void **state)
{
	char out[TIME_DATETIME_LEN + 1], big[1000];
	const char *s = "2017-03-14 09:30:00Z trailing";
	struct err e;

	(void)state;
	/* s[0..n) only: the bytes after n are not looked at */
	assert_int_equal(time_parse_datetime(s, 20, CST, out, &e), 0);
	assert_string_equal(out, "2017-03-14T09:30:00+00:00");
	assert_int_equal(time_parse_datetime(s, 10, CST, out, &e), 0);
	assert_string_equal(out, "2017-03-14T00:00:00+08:00");
	/* an embedded NUL is a control byte */
	assert_int_equal(time_parse_datetime("2017-03-14\0", 11, CST, out, &e),
	    ERR_DATA);
	/* NULL with n = 0 */
	assert_int_equal(time_parse_datetime(NULL, 0, CST, out, &e), ERR_DATA);
	assert_string_equal(e.msg, "not a date and time");
	/* very long input: refused, not overrun */
	memset(big, ' ', sizeof big);
	memcpy(big + 400, "2017-03-14", 10);
	assert_int_equal(time_parse_datetime(big, 420, CST, out, &e), 0);
	assert_int_equal(time_parse_datetime(big, sizeof big, CST, out, &e),
	    ERR_DATA);
	memset(big, '0', sizeof big);
	assert_int_equal(time_parse_datetime(big, 200, CST, out, &e),
	    ERR_DATA);
	/* a long fraction of seconds is fine */
	memcpy(big, "2017-03-14 09:30:00.", 20);
	assert_int_equal(time_parse_datetime(big, 120, CST, out, &e), 0);
	assert_string_equal(out, "2017-03-14T09:30:00+08:00");
}

static const struct ok_case date_ok[] = {
	{ "2017-03-14", "2017-03-14" },
	{ "2017-3-4", "2017-03-04" },
	{ "2017/3/14", "2017-03-14" },
	{ "2017/03/14", "2017-03-14" },
	{ "2017.3.14", "2017-03-14" },
	{ "2017年3月14日", "2017-03-14" },
	{ "2017 年 3 月 14 号", "2017-03-14" },
	{ "２０１７年３月１４日", "2017-03-14" },
	{ "20170314", "2017-03-14" },
	{ " 2017-03-14\t", "2017-03-14" },
	{ "42808", "2017-03-14" },
	{ "1", "1900-01-01" },
	{ "59", "1900-02-28" },
	{ "61", "1900-03-01" },
	{ "2958465", "9999-12-31" },
	{ "2016-02-29", "2016-02-29" },
	{ "2000-02-29", "2000-02-29" },
	{ "1900-01-01", "1900-01-01" },
	{ "9999-12-31", "9999-12-31" },
};

static const struct bad_case date_bad[] = {
	{ "", "not a date" },
	{ "2017-03-14x", "not a date" },
	{ "2017-03-14 09:30", "not a date" },
	{ "2017-03-14 00:00", "not a date" },	/* even midnight */
	{ "2017-03-14T00:00:00+08:00", "not a date" },
	{ "2017年3月14日 9时", "not a date" },
	{ "2017年3月14日9时", "not a date" },
	{ "42808.5", "not a date" },
	{ "42808.0", "not a date" },
	{ "3/14/2017", "not a date" },
	{ "2017-02-29", "impossible date" },
	{ "1900-02-29", "impossible date" },
	{ "2017-02-30", "impossible date" },
	{ "2017-13-01", "impossible date" },
	{ "60", "impossible date" },
	{ "1899-12-31", "year out of range" },
	{ "0", "year out of range" },
	{ "2958466", "year out of range" },
};

static void
test_date(void **state)
{
	char out[TIME_DATE_LEN + 1], again[TIME_DATE_LEN + 1];
	struct err e;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof date_ok / sizeof date_ok[0]; i++) {
		err_clear(&e);
		r = time_parse_date(date_ok[i].in, strlen(date_ok[i].in), out,
		    &e);
		if (r != 0)
			fail_msg("'%s': %s", date_ok[i].in, e.msg);
		assert_string_equal(out, date_ok[i].out);
		assert_int_equal(time_parse_date(out, strlen(out), again, &e),
		    0);
		assert_string_equal(again, out);
	}
	for (i = 0; i < sizeof date_bad / sizeof date_bad[0]; i++) {
		err_clear(&e);
		r = time_parse_date(date_bad[i].in, strlen(date_bad[i].in), out,
		    &e);
		if (r != ERR_DATA)
			fail_msg("'%s': got %d '%s'", date_bad[i].in, r, out);
		if (strcmp(e.msg, date_bad[i].msg) != 0)
			fail_msg("'%s': '%s', want '%s'", date_bad[i].in, e.msg,
			    date_bad[i].msg);
		assert_string_equal(out, "");
	}
}

/* Messages never carry the value, and keep the location set by the caller. */
static void
test_error_messages(void **state)
{
	char out[TIME_DATETIME_LEN + 1];
	struct err e;

	(void)state;
	err_clear(&e);
	err_at(&e, "in.csv", 7, "reported_at");
	assert_int_equal(time_parse_datetime("1234-56-78 99:99", 16, CST, out,
	    &e), ERR_DATA);
	assert_null(strstr(e.msg, "1234"));
	assert_null(strstr(e.msg, "99"));
	assert_string_equal(e.file, "in.csv");
	assert_int_equal(e.line, 7);
	assert_string_equal(e.field, "reported_at");
	assert_int_equal(time_parse_datetime("11010519491231002X", 18, CST,
	    out, &e), ERR_DATA);
	assert_null(strstr(e.msg, "1101"));
}

static void
test_offset(void **state)
{
	static const struct {
		const char *in;
		int min;
	} ok[] = {
		{ "+08:00", 480 }, { "+0800", 480 }, { "+08", 480 },
		{ "+8", 480 }, { "+8:00", 480 }, { "-05:30", -330 },
		{ "-0530", -330 }, { "+05:45", 345 }, { "Z", 0 }, { "z", 0 },
		{ "UTC", 0 }, { "utc", 0 }, { "GMT", 0 }, { "UTC+8", 480 },
		{ "UTC+08:00", 480 }, { "GMT-5", -300 }, { "+00:00", 0 },
		{ "-00:00", 0 }, { "+23:59", 1439 }, { "-23:59", -1439 },
		{ " +08:00 ", 480 }, { "＋０８：００", 480 },
	};
	static const char *bad[] = {
		"", " ", "08:00", "8", "+", "-", "+800", "+08:0", "+08:000",
		"+080", "+24:00", "+08:60", "+2400", "+123", "++08", "UTC8",
		"UTC+", "CST", "Z+08", "+08:00Z", "+08 00", "+08:00:00",
		"Asia/Shanghai", "北京时间", "+\xef\xbc",
	};
	struct err e;
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		m = 9999;
		err_clear(&e);
		if (time_parse_offset(ok[i].in, &m, &e) != 0)
			fail_msg("'%s': %s", ok[i].in, e.msg);
		assert_int_equal(m, ok[i].min);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		m = 9999;
		err_clear(&e);
		if (time_parse_offset(bad[i], &m, &e) != ERR_USAGE)
			fail_msg("'%s' accepted", bad[i]);
		assert_string_equal(e.msg, "bad time zone offset");
		assert_int_equal(m, 9999);
	}
	assert_int_equal(time_parse_offset(NULL, &m, &e), ERR_USAGE);
	assert_int_equal(time_parse_offset("x", &m, NULL), ERR_USAGE);
}

static void
test_valid_date(void **state)
{
	(void)state;
	assert_true(time_valid_date(2016, 2, 29));
	assert_false(time_valid_date(2017, 2, 29));
	assert_false(time_valid_date(1900, 2, 29));
	assert_true(time_valid_date(2000, 2, 29));
	assert_false(time_valid_date(2100, 2, 29));
	assert_true(time_valid_date(2017, 1, 31));
	assert_false(time_valid_date(2017, 4, 31));
	assert_false(time_valid_date(2017, 0, 1));
	assert_false(time_valid_date(2017, 13, 1));
	assert_false(time_valid_date(2017, 1, 0));
	assert_false(time_valid_date(2017, 1, 32));
	assert_true(time_valid_date(1900, 1, 1));
	assert_false(time_valid_date(1899, 12, 31));
	assert_true(time_valid_date(9999, 12, 31));
	assert_false(time_valid_date(10000, 1, 1));
	assert_false(time_valid_date(-2017, 1, 1));
}

/* Civil arithmetic against anchors and against counting day by day. */
static void
test_civil(void **state)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y = 1900, m = 1, d = 1, yy, mm, dd, ml;
	int64_t days;

	(void)state;
	assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(time_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(time_days_from_civil(2017, 3, 14), 17239);
	assert_int_equal(time_days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(time_days_from_civil(9999, 12, 31), 2932896);
	assert_int_equal(time_days_from_civil(0, 1, 1), -719528);
	assert_int_equal(time_days_from_civil(-1, 12, 31), -719529);
	/* d past the month's end counts on */
	assert_int_equal(time_days_from_civil(2017, 1, 32),
	    time_days_from_civil(2017, 2, 1));
	for (days = time_days_from_civil(1900, 1, 1);
	    days <= time_days_from_civil(2100, 12, 31); days++) {
		assert_int_equal(time_days_from_civil(y, m, d), days);
		time_civil_from_days(days, &yy, &mm, &dd);
		assert_int_equal(yy, y);
		assert_int_equal(mm, m);
		assert_int_equal(dd, d);
		ml = len[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) ||
		    y % 400 == 0));
		if (++d > ml) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	time_civil_from_days(-719529, &yy, &mm, &dd);
	assert_int_equal(yy, -1);
	assert_int_equal(mm, 12);
	assert_int_equal(dd, 31);
	/* absurd values are clamped, not undefined */
	time_civil_from_days(INT64_MAX, &yy, &mm, &dd);
	time_civil_from_days(INT64_MIN, &yy, &mm, &dd);
}

static void
test_epoch(void **state)
{
	char out[TIME_DATETIME_LEN + 1];
	int64_t ep;
	int off;

	(void)state;
	assert_int_equal(time_iso_to_epoch("2017-03-14T09:30:00+08:00", 25,
	    &ep, &off), 0);
	assert_int_equal(ep, 1489455000);
	assert_int_equal(off, 480);
	assert_int_equal(time_iso_to_epoch("1970-01-01T00:00:00+00:00", 25,
	    &ep, &off), 0);
	assert_int_equal(ep, 0);
	assert_int_equal(time_iso_to_epoch("1900-01-01T00:00:00+00:00", 25,
	    &ep, &off), 0);
	assert_int_equal(ep, -2208988800LL);
	assert_int_equal(time_iso_to_epoch("1970-01-01T00:00:00-05:30", 25,
	    &ep, &off), 0);
	assert_int_equal(ep, 19800);
	assert_int_equal(off, -330);

	time_epoch_to_iso(0, 480, out);
	assert_string_equal(out, "1970-01-01T08:00:00+08:00");
	time_epoch_to_iso(0, -300, out);
	assert_string_equal(out, "1969-12-31T19:00:00-05:00");
	time_epoch_to_iso(-1, 0, out);
	assert_string_equal(out, "1969-12-31T23:59:59+00:00");
	time_epoch_to_iso(1489455000, 0, out);
	assert_string_equal(out, "2017-03-14T01:30:00+00:00");
	time_epoch_to_iso(1489455000, 480, out);
	assert_string_equal(out, "2017-03-14T09:30:00+08:00");
	time_epoch_to_iso(-62167219200LL, 0, out);	/* 0000-01-01 */
	assert_string_equal(out, "0000-01-01T00:00:00+00:00");
	time_epoch_to_iso(253402300799LL, 0, out);	/* 9999-12-31 end */
	assert_string_equal(out, "9999-12-31T23:59:59+00:00");

	/* out of range: "" */
	time_epoch_to_iso(-62167219201LL, 0, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(253402300800LL, 0, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(253402300799LL, 1, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(0, 1440, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(0, -1440, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(INT64_MAX, 0, out);
	assert_string_equal(out, "");
	time_epoch_to_iso(INT64_MIN, -1439, out);
	assert_string_equal(out, "");
}

static void
test_epoch_rejects(void **state)
{
	static const char *bad[] = {
		"2017-03-14T09:30:00+08:0",
		"2017-03-14 09:30:00+08:00",
		"2017-03-14T09:30:00Z+08:00",
		"2017-03-14T09:30:00 08:00",
		"2017-03-14T09:30:00+08-00",
		"2017/03/14T09:30:00+08:00",
		"2017-03-14T09.30:00+08:00",
		"2017-03-14T09:30.00+08:00",
		"2017-03-14t09:30:00+08:00",
		"2017-02-29T09:30:00+08:00",
		"1899-12-31T09:30:00+08:00",
		"2017-03-14T24:00:00+08:00",
		"2017-03-14T09:60:00+08:00",
		"2017-03-14T09:30:60+08:00",
		"2017-03-14T09:30:00+24:00",
		"2017-03-14T09:30:00+08:60",
		"2017-03-14T09:30:00-00:00",
		"2017-03-14T09:30:0a+08:00",
		"-017-03-14T09:30:00+08:00",
	};
	int64_t ep = 42;
	size_t i;
	int off = 42;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (time_iso_to_epoch(bad[i], strlen(bad[i]), &ep, &off) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(time_iso_to_epoch("2017-03-14T09:30:00+08:00", 24,
	    &ep, &off), -1);
	assert_int_equal(time_iso_to_epoch(NULL, 25, &ep, &off), -1);
	assert_int_equal(ep, 42);
	assert_int_equal(off, 42);
}

/*
 * Epoch round trip over 1900..2100 (and a little of 9999), every few days,
 * at varied times and offsets: text -> epoch -> text is the identity, and
 * the epoch steps exactly as the seconds do.
 */
static void
test_epoch_round_trip(void **state)
{
	static const int offs[] = { 0, 480, -300, 330, 345, -720, 840, 1439,
	    -1439 };
	char out[TIME_DATETIME_LEN + 1], in[TIME_DATETIME_LEN + 1];
	int64_t days, ep, ep2, end, secs;
	size_t k = 0;
	int off, off2;
	struct err e;

	(void)state;
	end = time_days_from_civil(2100, 12, 31);
	for (days = time_days_from_civil(1900, 1, 1); days <= end; days += 7) {
		secs = (days * 7919) % 86400;
		if (secs < 0)
			secs += 86400;
		off = offs[k++ % (sizeof offs / sizeof offs[0])];
		ep = days * 86400 + secs;
		time_epoch_to_iso(ep, off, out);
		assert_int_equal(strlen(out), TIME_DATETIME_LEN);
		assert_int_equal(time_iso_to_epoch(out, strlen(out), &ep2,
		    &off2), 0);
		assert_int_equal(ep2, ep);
		assert_int_equal(off2, off);
		/* and the parser agrees with the canonical text */
		assert_int_equal(time_parse_datetime(out, strlen(out), 0, in,
		    &e), 0);
		assert_string_equal(in, out);
	}
	/* at UTC, midnight of day n is exactly n * 86400 */
	for (days = time_days_from_civil(9999, 1, 1);
	    days <= time_days_from_civil(9999, 12, 31); days += 13) {
		time_epoch_to_iso(days * 86400, 0, out);
		assert_int_equal(time_iso_to_epoch(out, 25, &ep, &off), 0);
		assert_int_equal(ep, days * 86400);
		assert_memory_equal(out + 10, "T00:00:00+00:00", 15);
	}
}

/* Parsed Excel serials agree with day arithmetic across the whole range. */
static void
test_excel_serials(void **state)
{
	char in[32], out[TIME_DATE_LEN + 1], want[TIME_DATETIME_LEN + 1];
	char dt[TIME_DATETIME_LEN + 1];
	int64_t base = time_days_from_civil(1899, 12, 30), s;
	int y, m, d;

	(void)state;
	for (s = 61; s <= 2958465; s += 997) {
		snprintf(in, sizeof in, "%lld", (long long)s);
		assert_int_equal(time_parse_date(in, strlen(in), out, NULL), 0);
		time_civil_from_days(base + s, &y, &m, &d);
		snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
		assert_string_equal(out, want);
		/* .25 of a day is 06:00:00 */
		snprintf(in, sizeof in, "%lld.25", (long long)s);
		assert_int_equal(time_parse_datetime(in, strlen(in), 0, dt,
		    NULL), 0);
		snprintf(want + 10, sizeof want - 10, "T06:00:00+00:00");
		assert_string_equal(dt, want);
	}
}

/* Same outputs whatever TZ says: nothing here uses the libc time zone. */
static void
test_tz_independent(void **state)
{
	static const char *zones[] = { "America/New_York", "Asia/Shanghai",
	    "UTC", "Pacific/Chatham" };
	char out[TIME_DATETIME_LEN + 1], date[TIME_DATE_LEN + 1];
	const char *old = getenv("TZ");
	char saved[256];
	int64_t ep;
	size_t z;
	int off;

	(void)state;
	if (old != NULL)
		snprintf(saved, sizeof saved, "%s", old);
	for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		assert_int_equal(setenv("TZ", zones[z], 1), 0);
		tzset();
		assert_int_equal(time_parse_datetime("2017-03-14 09:30", 16,
		    CST, out, NULL), 0);
		assert_string_equal(out, "2017-03-14T09:30:00+08:00");
		/* a US DST change day: no skipped hour here */
		assert_int_equal(time_parse_datetime("2017-03-12 02:30", 16, 0,
		    out, NULL), 0);
		assert_string_equal(out, "2017-03-12T02:30:00+00:00");
		assert_int_equal(time_parse_datetime("42808.395833", 12, CST,
		    out, NULL), 0);
		assert_string_equal(out, "2017-03-14T09:30:00+08:00");
		assert_int_equal(time_parse_date("2017年3月14日",
		    strlen("2017年3月14日"), date, NULL), 0);
		assert_string_equal(date, "2017-03-14");
		assert_int_equal(time_iso_to_epoch("2017-03-14T09:30:00+08:00",
		    25, &ep, &off), 0);
		assert_int_equal(ep, 1489455000);
		time_epoch_to_iso(1489455000, -300, out);
		assert_string_equal(out, "2017-03-13T20:30:00-05:00");
	}
	if (old != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
}

/* The module never allocates, so no out-of-memory path exists: prove it. */
static void
test_no_allocation(void **state)
{
	char out[TIME_DATETIME_LEN + 1];
	long count = mem_count(), live = mem_live();
	int m;

	(void)state;
	mem_fail_after(0);
	assert_int_equal(time_parse_datetime("2017年3月14日 9时30分",
	    strlen("2017年3月14日 9时30分"), CST, out, NULL), 0);
	assert_int_equal(time_parse_date("42808", 5, out, NULL), 0);
	assert_int_equal(time_parse_offset("+08:00", &m, NULL), 0);
	mem_fail_after(-1);
	assert_int_equal(mem_count(), count);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datetime_forms),
		cmocka_unit_test(test_datetime_errors),
		cmocka_unit_test(test_datetime_offsets),
		cmocka_unit_test(test_datetime_bad_default),
		cmocka_unit_test(test_datetime_length_and_nul),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_valid_date),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_epoch_rejects),
		cmocka_unit_test(test_epoch_round_trip),
		cmocka_unit_test(test_excel_serials),
		cmocka_unit_test(test_tz_independent),
		cmocka_unit_test(test_no_allocation),
	};

	return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
