/* test_str.c - unit tests for lib/str.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- UTF-8 ---- */

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(str_utf8_valid("", 0));
	assert_true(str_utf8_valid(S("plain ascii\t\n")));
	assert_true(str_utf8_valid(S("中文")));
	assert_true(str_utf8_valid(S("小事不出网格、大事不出社区")));
	assert_true(str_utf8_valid(S("\xc2\x80")));		/* U+0080 */
	assert_true(str_utf8_valid(S("\xdf\xbf")));		/* U+07FF */
	assert_true(str_utf8_valid(S("\xe0\xa0\x80")));	/* U+0800 */
	assert_true(str_utf8_valid(S("\xed\x9f\xbf")));	/* U+D7FF */
	assert_true(str_utf8_valid(S("\xee\x80\x80")));	/* U+E000 */
	assert_true(str_utf8_valid(S("\xef\xbf\xbf")));	/* U+FFFF */
	assert_true(str_utf8_valid(S("\xf0\x90\x80\x80")));	/* U+10000 */
	assert_true(str_utf8_valid(S("\xf0\x9f\x98\x80")));	/* emoji */
	assert_true(str_utf8_valid(S("\xf4\x8f\xbf\xbf")));	/* U+10FFFF */
	assert_true(str_utf8_valid(S("a\0b")));		/* NUL is UTF-8 */
	assert_true(str_utf8_valid(S("\xef\xbb\xbf" "bom")));
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	/* overlongs */
	assert_false(str_utf8_valid(S("\xc0\x80")));
	assert_false(str_utf8_valid(S("\xc1\xbf")));
	assert_false(str_utf8_valid(S("\xe0\x80\x80")));
	assert_false(str_utf8_valid(S("\xe0\x9f\xbf")));
	assert_false(str_utf8_valid(S("\xf0\x80\x80\x80")));
	assert_false(str_utf8_valid(S("\xf0\x8f\xbf\xbf")));
	/* surrogates */
	assert_false(str_utf8_valid(S("\xed\xa0\x80")));
	assert_false(str_utf8_valid(S("\xed\xbf\xbf")));
	/* above U+10FFFF, and bytes that never start a character */
	assert_false(str_utf8_valid(S("\xf4\x90\x80\x80")));
	assert_false(str_utf8_valid(S("\xf5\x80\x80\x80")));
	assert_false(str_utf8_valid(S("\xf8\x88\x80\x80\x80")));
	assert_false(str_utf8_valid(S("\xfe")));
	assert_false(str_utf8_valid(S("\xff")));
	/* lone continuation bytes */
	assert_false(str_utf8_valid(S("\x80")));
	assert_false(str_utf8_valid(S("a\xbf")));
	/* truncated sequences, at the end and in the middle */
	assert_false(str_utf8_valid(S("\xc2")));
	assert_false(str_utf8_valid(S("\xe4\xb8")));
	assert_false(str_utf8_valid(S("\xf0\x9f\x98")));
	assert_false(str_utf8_valid(S("\xe4\xb8" "a")));
	assert_false(str_utf8_valid(S("\xc2" "A")));
	assert_false(str_utf8_valid(S("\xf0\x9f" "\xe4\xb8\xad")));
	/* GB18030 bytes of 中文 are not UTF-8 */
	assert_false(str_utf8_valid(S("\xd6\xd0\xce\xc4")));
	/* n limits what is looked at */
	assert_true(str_utf8_valid("ab\xff", 2));
}

static void
test_utf8_prefix(void **state)
{
	const char s[] = "ab中文";	/* 2 + 3 + 3 bytes */
	size_t n;

	(void)state;
	assert_int_equal(str_utf8_prefix(s, 8), 8);
	assert_int_equal(str_utf8_prefix(s, 7), 5);	/* inside 文 */
	assert_int_equal(str_utf8_prefix(s, 6), 5);
	assert_int_equal(str_utf8_prefix(s, 5), 5);
	assert_int_equal(str_utf8_prefix(s, 4), 2);	/* inside 中 */
	assert_int_equal(str_utf8_prefix(s, 3), 2);
	assert_int_equal(str_utf8_prefix(s, 2), 2);
	assert_int_equal(str_utf8_prefix(s, 0), 0);
	assert_int_equal(str_utf8_prefix(S("\xf0\x9f\x98\x80\xf0\x9f\x98")), 4);
	/* stops before the first bad byte */
	assert_int_equal(str_utf8_prefix(S("ok\xff" "more")), 2);
	assert_int_equal(str_utf8_prefix(S("中\xed\xa0\x80")), 3);
	assert_int_equal(str_utf8_prefix(S("\xc0\x80")), 0);
	/* every cut of a mixed string lands on a boundary */
	for (n = 0; n <= 8; n++) {
		size_t k = str_utf8_prefix(s, n);

		assert_true(k <= n);
		assert_true(str_utf8_valid(s, k));
		assert_true(n - k < 3);
	}
}

/* ---- formatting ---- */

static const char *
fmt(double v, int decimals)
{
	static char out[STR_NUM_MAX];
	size_t n;

	memset(out, 'Z', sizeof out);
	n = str_fmt_double(out, v, decimals);
	assert_int_equal(n, strlen(out));
	return out;
}

static void
test_fmt_basic(void **state)
{
	(void)state;
	assert_string_equal(fmt(0, -1), "0");
	assert_string_equal(fmt(-0.0, -1), "0");
	assert_string_equal(fmt(-0.0, 2), "0");
	assert_string_equal(fmt(1, -1), "1");
	assert_string_equal(fmt(-1, -1), "-1");
	assert_string_equal(fmt(100, -1), "100");
	assert_string_equal(fmt(0.1, -1), "0.1");
	assert_string_equal(fmt(-0.1, -1), "-0.1");
	assert_string_equal(fmt(1.5, -1), "1.5");
	assert_string_equal(fmt(1e-7, -1), "0.0000001");
	assert_string_equal(fmt(1e21, -1), "1000000000000000000000");
	assert_string_equal(fmt(1e15, -1), "1000000000000000");
	assert_string_equal(fmt(123456789.125, -1), "123456789.125");
	assert_string_equal(fmt(0.1 + 0.2, -1), "0.30000000000000004");
	assert_string_equal(fmt(1.0 / 3, -1), "0.3333333333333333");
	assert_string_equal(fmt(116.397128, -1), "116.397128");
	assert_string_equal(fmt(39.916527, -1), "39.916527");
	assert_string_equal(fmt(9007199254740993.0, -1), "9007199254740992");
}

static void
test_fmt_decimals(void **state)
{
	(void)state;
	assert_string_equal(fmt(123.456, 2), "123.46");
	assert_string_equal(fmt(123.456, 0), "123");
	assert_string_equal(fmt(123.456, 17), "123.45600000000000307");
	assert_string_equal(fmt(1.5, 2), "1.5");	/* "1.50" */
	assert_string_equal(fmt(1.0, 3), "1");		/* "1.000" */
	assert_string_equal(fmt(100, 2), "100");
	assert_string_equal(fmt(0, 5), "0");
	assert_string_equal(fmt(-0.001, 2), "0");	/* not "-0" */
	assert_string_equal(fmt(-0.4, 0), "0");
	assert_string_equal(fmt(-1.25, 1), "-1.2");
	/*
	 * Rounding is printf's on the exact binary value: a true tie goes to
	 * even (2.5 → 2, 3.5 → 4, 0.125 → 0.12), and 2.675, which is really
	 * 2.67499999..., gives 2.67.
	 */
	assert_string_equal(fmt(2.5, 0), "2");
	assert_string_equal(fmt(3.5, 0), "4");
	assert_string_equal(fmt(0.5, 0), "0");
	assert_string_equal(fmt(0.125, 2), "0.12");
	assert_string_equal(fmt(0.375, 2), "0.38");
	assert_string_equal(fmt(2.675, 2), "2.67");
	/* more than 17 decimals is 17 */
	assert_string_equal(fmt(0.1, 30), "0.10000000000000001");
	assert_string_equal(fmt(1e21, 2), "1000000000000000000000");
	assert_string_equal(fmt(1e-7, 3), "0");
}

static void
test_fmt_extremes(void **state)
{
	char want[STR_NUM_MAX];
	const char *s;

	(void)state;
	assert_string_equal(fmt(NAN, -1), "");
	assert_string_equal(fmt(-NAN, 2), "");
	assert_string_equal(fmt(INFINITY, -1), "");
	assert_string_equal(fmt(-INFINITY, 0), "");

	/* DBL_MAX: 17976931348623157 and 292 zeros, no exponent */
	s = fmt(DBL_MAX, -1);
	assert_int_equal(strlen(s), 309);
	assert_memory_equal(s, "17976931348623157", 17);
	assert_int_equal(strspn(s + 17, "0"), 292);
	s = fmt(-DBL_MAX, 17);
	assert_int_equal(strlen(s), 310);
	assert_int_equal(s[0], '-');
	assert_null(strchr(s, '.'));

	/* the smallest subnormal: 0. 323 zeros 5 */
	s = fmt(4.9406564584124654e-324, -1);
	memset(want, '0', sizeof want);
	want[1] = '.';
	want[2 + 323] = '5';
	want[2 + 324] = '\0';
	assert_string_equal(s, want);
	assert_string_equal(fmt(4.9406564584124654e-324, 17), "0");
	assert_string_equal(fmt(-DBL_MIN, 3), "0");
}

static void
test_fmt_int(void **state)
{
	char out[24];

	(void)state;
	assert_int_equal(str_fmt_int(out, 0), 1);
	assert_string_equal(out, "0");
	str_fmt_int(out, -42);
	assert_string_equal(out, "-42");
	assert_int_equal(str_fmt_int(out, LLONG_MIN), 20);
	assert_string_equal(out, "-9223372036854775808");
	str_fmt_int(out, LLONG_MAX);
	assert_string_equal(out, "9223372036854775807");
}

/* A fixed 64-bit LCG (Knuth's MMIX constants): same numbers everywhere. */
static uint64_t
lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x;
}

/* The shape str_fmt_double promises: plain notation, nothing to strip. */
static void
check_shape(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t i, n = strlen(s);

	assert_true(n > 0);
	for (i = 0; i < n; i++)
		assert_non_null(strchr(i == 0 ? "-0123456789" : "0123456789.",
		    s[i]));
	assert_string_not_equal(s, "-0");
	if (dot != NULL) {
		assert_ptr_equal(strrchr(s, '.'), dot);
		assert_true(s[n - 1] != '0' && s[n - 1] != '.');
		assert_true(dot > s && dot[-1] >= '0' && dot[-1] <= '9');
	}
}

static void
round_trip(double v)
{
	char out[STR_NUM_MAX];
	double back;
	size_t n;

	n = str_fmt_double(out, v, -1);
	assert_true(n < STR_NUM_MAX);
	check_shape(out);
	if (str_parse_decimal(out, n, &back) != 0)
		fail_msg("cannot parse back %.17g from \"%s\"", v, out);
	if (back != v)
		fail_msg("%.17g printed \"%s\" reads back as %.17g", v, out,
		    back);
}

static void
test_round_trip(void **state)
{
	uint64_t x = 20240601;
	double v;
	int i;

	(void)state;
	/* any bit pattern: the whole exponent range, subnormals included */
	for (i = 0; i < 20000; i++) {
		uint64_t bits = lcg(&x);

		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			round_trip(v);
	}
	/* the numbers records hold: coordinates, amounts, ratios */
	for (i = 0; i < 20000; i++) {
		round_trip((double)(lcg(&x) >> 11) / 1000000.0);
		round_trip((double)(int64_t)(lcg(&x) >> 20) / 100.0);
		round_trip(73.0 + (double)(lcg(&x) >> 11) / 9007199254740992.0 *
		    62.0);
	}
	round_trip(DBL_MAX);
	round_trip(-DBL_MAX);
	round_trip(DBL_MIN);
	round_trip(4.9406564584124654e-324);
	round_trip(DBL_EPSILON);
	round_trip(0.1);
	round_trip(1e22);
	round_trip(1e23);
	round_trip(5e-324);
}

/*
 * Under a comma-decimal locale the bytes stay the same.  The locale may not
 * be installed: then only this part is skipped.
 */
static void
test_locale(void **state)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
		"ru_RU.UTF-8", "ru_RU.utf8"
	};
	const char *got = NULL;
	char out[STR_NUM_MAX], c[32], other[32];
	double v;
	size_t i;
	uint64_t x = 7;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0] && got == NULL; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (got == NULL || strcmp(localeconv()->decimal_point, ",") != 0) {
		setlocale(LC_NUMERIC, "C");
		print_message("test_locale: no comma-decimal locale installed "
		    "(locale -a); comma-decimal part skipped\n");
		return;
	}
	snprintf(c, sizeof c, "%.1f", 1.5);	/* the locale is in force */
	assert_string_equal(c, "1,5");

	assert_int_equal(str_fmt_double(out, 1.5, -1), 3);
	assert_string_equal(out, "1.5");
	str_fmt_double(out, 1234567.25, 1);
	assert_string_equal(out, "1234567.2");
	assert_int_equal(str_parse_decimal(S("1.5"), &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(str_parse_decimal(S("1,5"), &v), -1);
	for (i = 0; i < 2000; i++) {
		uint64_t bits = lcg(&x);

		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			round_trip(v);
	}
	/* same bytes as in the C locale */
	str_fmt_double(other, 0.30000000000000004, -1);
	setlocale(LC_NUMERIC, "C");
	str_fmt_double(c, 0.30000000000000004, -1);
	assert_string_equal(c, other);
}

/* ---- parsing ---- */

static void
parse_ok(const char *s, double want)
{
	double v = -12345;

	if (str_parse_decimal(s, strlen(s), &v) != 0)
		fail_msg("\"%s\" rejected", s);
	if (v != want)
		fail_msg("\"%s\" gives %.17g, not %.17g", s, v, want);
}

static void
parse_bad(const char *s, size_t n)
{
	double v = 99;

	if (str_parse_decimal(s, n, &v) != -1)
		fail_msg("\"%.*s\" accepted", (int)n, s);
}

static void
test_parse_decimal(void **state)
{
	char big[400];
	double v;

	(void)state;
	parse_ok("0", 0);
	parse_ok("1", 1);
	parse_ok("-1", -1);
	parse_ok("+2.5", 2.5);
	parse_ok("0.1", 0.1);
	parse_ok("123.456", 123.456);
	parse_ok("007", 7);
	parse_ok("1.50000", 1.5);
	parse_ok("116.397128", 116.397128);
	/* "at least one digit in all": these are fine */
	parse_ok("1.", 1);
	parse_ok(".5", 0.5);
	parse_ok("-.5", -0.5);
	parse_ok("+.5", 0.5);
	assert_int_equal(str_parse_decimal(S("-0"), &v), 0);
	assert_true(v == 0 && signbit(v));
	parse_ok("9007199254740993", 9007199254740992.0);
	parse_ok("0.30000000000000004", 0.1 + 0.2);

	parse_bad("", 0);
	parse_bad(S("."));
	parse_bad(S("+"));
	parse_bad(S("-"));
	parse_bad(S("-."));
	parse_bad(S("+-1"));
	parse_bad(S("--1"));
	parse_bad(S("1e5"));
	parse_bad(S("1E5"));
	parse_bad(S(" 1"));
	parse_bad(S("1 "));
	parse_bad(S("1,5"));
	parse_bad(S("1,000"));
	parse_bad(S("1.2.3"));
	parse_bad(S("1..2"));
	parse_bad(S("0x10"));
	parse_bad(S("inf"));
	parse_bad(S("nan"));
	parse_bad(S("infinity"));
	parse_bad(S("1_000"));
	parse_bad(S("١"));			/* Arabic-Indic one */
	parse_bad(S("１"));			/* fullwidth one */
	parse_bad(S("1\0"));
	parse_bad(S("\t1"));

	/* only s[0..n) is read */
	assert_int_equal(str_parse_decimal("1.5e9", 3, &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(str_parse_decimal("12", 1, &v), 0);
	assert_true(v == 1);

	/* long plain numbers, as str_fmt_double prints them */
	memset(big, '0', sizeof big);
	big[0] = '1';
	big[301] = '\0';
	parse_ok(big, 1e300);
	big[0] = '0';
	big[1] = '.';
	big[300] = '1';
	parse_ok(big, 1e-299);
	/* too big for a double: rejected, not infinity */
	memset(big, '9', 320);
	big[320] = '\0';
	parse_bad(big, 320);
}

static void
test_parse_int(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(str_parse_int(S("0"), &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_parse_int(S("-0"), &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_parse_int(S("+17"), &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(str_parse_int(S("-42"), &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(str_parse_int(S("000000000000000001"), &v), 0);
	assert_int_equal(v, 1);
	/* 18 digits: fine */
	assert_int_equal(str_parse_int(S("999999999999999999"), &v), 0);
	assert_true(v == 999999999999999999LL);
	assert_int_equal(str_parse_int(S("-999999999999999999"), &v), 0);
	assert_true(v == -999999999999999999LL);
	/* 19 digits and more: rejected, without overflowing */
	v = 5;
	assert_int_equal(str_parse_int(S("1000000000000000000"), &v), -1);
	assert_int_equal(str_parse_int(S("9999999999999999999"), &v), -1);
	assert_int_equal(str_parse_int(S("-9223372036854775808"), &v), -1);
	assert_int_equal(str_parse_int(
	    S("99999999999999999999999999999999999999"), &v), -1);
	assert_int_equal(str_parse_int(S("0000000000000000000"), &v), -1);
	assert_int_equal(v, 5);

	assert_int_equal(str_parse_int("", 0, &v), -1);
	assert_int_equal(str_parse_int(S("+"), &v), -1);
	assert_int_equal(str_parse_int(S("-"), &v), -1);
	assert_int_equal(str_parse_int(S("--1"), &v), -1);
	assert_int_equal(str_parse_int(S("+-1"), &v), -1);
	assert_int_equal(str_parse_int(S("1.0"), &v), -1);
	assert_int_equal(str_parse_int(S("1e3"), &v), -1);
	assert_int_equal(str_parse_int(S(" 1"), &v), -1);
	assert_int_equal(str_parse_int(S("1 "), &v), -1);
	assert_int_equal(str_parse_int(S("0x1"), &v), -1);
	assert_int_equal(str_parse_int(S("1a"), &v), -1);
	assert_int_equal(v, 5);
	/* only s[0..n) is read */
	assert_int_equal(str_parse_int("123abc", 3, &v), 0);
	assert_int_equal(v, 123);
}

static void
test_trim(void **state)
{
	const char *s;
	size_t n;

	(void)state;
	s = " \t a b \t ";
	n = strlen(s);
	str_trim(&s, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "a b", 3);

	s = "   ";
	n = 3;
	str_trim(&s, &n);
	assert_int_equal(n, 0);

	s = "";
	n = 0;
	str_trim(&s, &n);
	assert_int_equal(n, 0);

	s = "x";
	n = 1;
	str_trim(&s, &n);
	assert_int_equal(n, 1);
	assert_int_equal(*s, 'x');

	/* only spaces and tabs: newlines, CR and NBSP stay */
	s = "\nx\r";
	n = 3;
	str_trim(&s, &n);
	assert_int_equal(n, 3);
	s = "\xc2\xa0x";
	n = 3;
	str_trim(&s, &n);
	assert_int_equal(n, 3);

	/* n bounds the string: the space after it is not looked at */
	s = "ab  cd";
	n = 4;
	str_trim(&s, &n);
	assert_int_equal(n, 2);
}

static void
test_eq(void **state)
{
	(void)state;
	assert_true(str_eq("abc", 3, "abc"));
	assert_true(str_eq("abcdef", 3, "abc"));
	assert_true(str_eq("", 0, ""));
	assert_true(str_eq("x", 0, ""));
	assert_false(str_eq("ab", 2, "abc"));
	assert_false(str_eq("abc", 3, "abd"));
	assert_false(str_eq("abc", 3, ""));
	assert_false(str_eq("a\0", 2, "a"));
	assert_true(str_eq(S("中文"), "中文"));
}

/* ---- the fast paths, each against what it stands for ---- */

static uint64_t xs = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd64(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rnd64() % n);
}

/* str_fmt_fixed must give the bytes of str_fmt_double. */
static void
fixed_is_double(double v, int d)
{
	char a[STR_NUM_MAX], b[STR_NUM_MAX];
	size_t na, nb;

	memset(a, 'Z', sizeof a);
	na = str_fmt_fixed(a, v, d);
	nb = str_fmt_double(b, v, d);
	if (na != nb || strcmp(a, b) != 0)
		fail_msg("%.17g with %d decimals: fixed \"%s\", double \"%s\"",
		    v, d, a, b);
	assert_int_equal(na, strlen(a));
}

static const char *
fixed(double v, int d)
{
	static char out[STR_NUM_MAX];

	str_fmt_fixed(out, v, d);
	return out;
}

static void
test_fmt_fixed(void **state)
{
	long i, j;
	int d;
	double v;

	(void)state;
	assert_string_equal(fixed(112.8946266, 7), "112.8946266");
	assert_string_equal(fixed(27.85, 7), "27.85");
	assert_string_equal(fixed(-27.85, 7), "-27.85");
	assert_string_equal(fixed(180, 7), "180");
	assert_string_equal(fixed(0, 7), "0");
	assert_string_equal(fixed(-0.0, 7), "0");
	assert_string_equal(fixed(-0.00000004, 7), "0");	/* "-0" */
	assert_string_equal(fixed(-0.00000006, 7), "-0.0000001");
	assert_string_equal(fixed(0.5, 0), "0");		/* ties to even */
	assert_string_equal(fixed(1.5, 0), "2");
	assert_string_equal(fixed(2.5, 0), "2");
	assert_string_equal(fixed(0.125, 2), "0.12");
	assert_string_equal(fixed(0.375, 2), "0.38");
	assert_string_equal(fixed(112.00390625, 7), "112.0039062");
	assert_string_equal(fixed(112.01171875, 7), "112.0117188");
	/* 1.005 is 1.00499999999999989...: no tie */
	assert_string_equal(fixed(1.005, 2), "1");
	assert_string_equal(fixed(NAN, 7), "");
	assert_string_equal(fixed(INFINITY, 7), "");

	/* Falls back where it cannot be exact; same bytes everywhere. */
	fixed_is_double(1e300, 7);
	fixed_is_double(-4503599627.370496, 6);
	fixed_is_double(450359962.7370495, 7);
	fixed_is_double(0.1, 16);
	fixed_is_double(0.1, 17);
	fixed_is_double(0.1, 40);
	fixed_is_double(0.1, -1);
	fixed_is_double(5e-324, 15);
	fixed_is_double(-5e-324, 0);

	/* Longitudes and latitudes with 7 decimals, as import writes them. */
	for (i = 0; i < 1000000; i++) {
		v = -180 + 360 * ((double)(rnd64() >> 11) / 9007199254740992.0);
		fixed_is_double(i % 2 ? v : v / 2, 7);
	}
	/* Values near a half-way point of the 7th decimal. */
	for (i = 0; i < 200000; i++) {
		v = ((double)rnd(3600000001u) - 1800000000) / 1e7 + 0.5e-7;
		fixed_is_double(v, 7);
		fixed_is_double(nextafter(v, 0), 7);
		fixed_is_double(nextafter(v, 1000), 7);
	}
	/* Exact ties: odd multiples of 2^-(d+1), every d. */
	for (d = 0; d <= 15; d++)
		for (j = -20000; j <= 20000; j++)
			fixed_is_double(ldexp((double)(2 * j + 1), -(d + 1)) +
			    (double)(j % 7) * 23, d);
	/* Any double, any decimals. */
	for (i = 0; i < 300000; i++) {
		uint64_t bits = rnd64();

		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		if (fabs(v) > 1e12)
			v = fmod(v, 1e6);
		fixed_is_double(v, (int)rnd(17));
	}
}

/* str_fmt_int writes what "%lld" writes. */
static void
test_fmt_int_many(void **state)
{
	char a[24], b[32];
	long long v;
	int i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		v = (long long)rnd64();
		if (i % 3 == 1)
			v >>= rnd(63);
		else if (i % 3 == 2)
			v = (long long)rnd(2001) - 1000;
		snprintf(b, sizeof b, "%lld", v);
		assert_int_equal(str_fmt_int(a, v), strlen(b));
		assert_string_equal(a, b);
	}
}

static void
canon(const char *in, const char *want)
{
	char out[64];
	size_t n;

	memset(out, 'Z', sizeof out);
	n = str_canon_decimal(out, in, strlen(in));
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void
test_canon_decimal(void **state)
{
	char in[40], out[42], ref[STR_NUM_MAX];
	size_t n, k;
	double v;
	int i;

	(void)state;
	canon("85.50", "85.5");
	canon("100.0", "100");
	canon("100", "100");
	canon("-0", "0");
	canon("-0.0", "0");
	canon("+0.000", "0");
	canon("000", "0");
	canon(".0", "0");
	canon("0.", "0");
	canon(".5", "0.5");
	canon("-.5", "-0.5");
	canon("+.5", "0.5");
	canon("5.", "5");
	canon("-5.", "-5");
	canon("+007.250", "7.25");
	canon("-007.250", "-7.25");
	canon("0.000100", "0.0001");
	canon("1.10", "1.1");
	canon("12345678901234567890.123456789012345678901",
	    "12345678901234567890.123456789012345678901");
	canon("0.1000000000000000055511151231257827", 
	    "0.1000000000000000055511151231257827");
	/* Not plain decimals: nothing. */
	canon("", "");
	canon(".", "");
	canon("-", "");
	canon("+.", "");
	canon("1e5", "");
	canon("1.2.3", "");
	canon(" 1", "");
	canon("--1", "");
	canon("0x1", "");

	/*
	 * Up to 15 significant digits, the exact spelling is the shortest
	 * round-trip form str_fmt_double(v, -1) wrote before.
	 */
	for (i = 0; i < 300000; i++) {
		int ni = (int)rnd(9), nf = (int)rnd(9), sig;

		n = 0;
		if (rnd(3) == 0)
			in[n++] = rnd(2) ? '-' : '+';
		for (k = 0; k < (size_t)ni; k++)
			in[n++] = (char)('0' + rnd(10));
		if (nf > 0 || rnd(2))
			in[n++] = '.';
		for (k = 0; k < (size_t)nf; k++)
			in[n++] = (char)('0' + rnd(10));
		if (ni + nf == 0)
			in[n++] = '7';
		in[n] = '\0';
		assert_int_equal(str_parse_decimal(in, n, &v), 0);
		sig = ni + nf;
		assert_true(sig <= 16);
		if (sig > 15)
			continue;
		str_canon_decimal(out, in, n);
		str_fmt_double(ref, v, -1);
		assert_string_equal(out, ref);
	}
}

/* The fast path of str_parse_decimal gives strtod's double, bit for bit. */
static void
test_parse_fast(void **state)
{
	char in[64];
	double v, w;
	size_t n, k;
	int i, ni, nf;

	(void)state;
	for (i = 0; i < 1000000; i++) {
		n = 0;
		if (rnd(2))
			in[n++] = rnd(2) ? '-' : '+';
		ni = (int)rnd(i % 3 ? 4 : 19);
		nf = (int)rnd(i % 5 ? 10 : 26);
		for (k = 0; k < (size_t)ni; k++)
			in[n++] = (char)('0' + rnd(10));
		in[n++] = '.';
		for (k = 0; k < (size_t)nf; k++)
			in[n++] = (char)('0' + rnd(10));
		if (ni + nf == 0)
			in[n++] = '0';
		in[n] = '\0';
		assert_int_equal(str_parse_decimal(in, n, &v), 0);
		w = strtod(in, NULL);
		if (memcmp(&v, &w, sizeof v) != 0)
			fail_msg("%s: %.17g, strtod %.17g", in, v, w);
	}
}

/* The byte-at-a-time validator str_utf8_prefix used to be. */
static size_t
utf8_prefix_ref(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	unsigned c, cp, min;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else
			return i;
		if (n - i < len)
			return i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return i;
}

static void
test_utf8_fast(void **state)
{
	static const char *const bits[] = {
		"a", "abcdefghij", "中", "é", "\xf0\x9f\x98\x80", "\xed\x9f\xbf",
		"\xee\x80\x80", "\xf4\x8f\xbf\xbf", "\xe0\xa0\x80", "\xf0\x90\x80\x80"
	};
	char s[300];
	size_t n, k, m, off;
	int i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		n = 0;
		for (m = rnd(40); m > 0; m--) {
			const char *b = bits[rnd(sizeof bits / sizeof *bits)];

			k = strlen(b);
			if (n + k > sizeof s)
				break;
			memcpy(s + n, b, k);
			n += k;
		}
		/* then spoil a byte or two, or cut the end */
		for (m = rnd(3); m > 0 && n > 0; m--)
			s[rnd((unsigned)n)] = (char)rnd(256);
		if (rnd(4) == 0 && n > 0)
			n -= rnd((unsigned)n);
		off = n > 0 ? rnd((unsigned)n) : 0;
		assert_int_equal(str_utf8_prefix(s, n), utf8_prefix_ref(s, n));
		assert_int_equal(str_utf8_prefix(s + off, n - off),
		    utf8_prefix_ref(s + off, n - off));
	}
	/* every string of one to three bytes */
	for (i = 0; i < (1 << 24); i++) {
		s[0] = (char)(i >> 16);
		s[1] = (char)(i >> 8);
		s[2] = (char)i;
		if (str_utf8_prefix(s, 3) != utf8_prefix_ref(s, 3))
			fail_msg("%02x %02x %02x", i >> 16, (i >> 8) & 0xff,
			    i & 0xff);
		if ((i & 0xff) == 0) {
			assert_int_equal(str_utf8_prefix(s, 2),
			    utf8_prefix_ref(s, 2));
			assert_int_equal(str_utf8_prefix(s, 1),
			    utf8_prefix_ref(s, 1));
		}
	}
	/* four-byte leads with every second byte and edge values after */
	for (i = 0; i < 256 * 256; i++) {
		static const unsigned char edge[] = {
			0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
			0xc0, 0xc2, 0xe0, 0xf0, 0xff
		};
		unsigned j;

		s[0] = (char)(0xf0 + (i >> 8) % 8);
		s[1] = (char)i;
		for (j = 0; j < sizeof edge * sizeof edge; j++) {
			s[2] = (char)edge[j % sizeof edge];
			s[3] = (char)edge[j / sizeof edge];
			assert_int_equal(str_utf8_prefix(s, 4),
			    utf8_prefix_ref(s, 4));
		}
	}
	/* long text, blocks of 16 and more, spoiled somewhere or not */
	for (i = 0; i < 20000; i++) {
		static char big[4096];

		n = 0;
		for (m = 50 + rnd(400); m > 0; m--) {
			const char *b = bits[rnd(sizeof bits / sizeof *bits)];

			k = strlen(b);
			if (n + k > sizeof big)
				break;
			memcpy(big + n, b, k);
			n += k;
		}
		if (i % 2)
			big[rnd((unsigned)n)] = (char)rnd(256);
		off = rnd(17);
		assert_int_equal(str_utf8_prefix(big + off, n - off),
		    utf8_prefix_ref(big + off, n - off));
		assert_int_equal(str_utf8_valid(big, n),
		    utf8_prefix_ref(big, n) == n);
	}
}

/* str_hash: the published FNV-1a 64-bit test vectors. */
static void
test_hash(void **state)
{
	(void)state;
	assert_true(str_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(str_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(str_hash("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(str_hash("a\0b", 3) != str_hash("a", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_prefix),
		cmocka_unit_test(test_fmt_basic),
		cmocka_unit_test(test_fmt_decimals),
		cmocka_unit_test(test_fmt_extremes),
		cmocka_unit_test(test_fmt_int),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_parse_decimal),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_fmt_fixed),
		cmocka_unit_test(test_fmt_int_many),
		cmocka_unit_test(test_canon_decimal),
		cmocka_unit_test(test_parse_fast),
		cmocka_unit_test(test_utf8_fast),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
