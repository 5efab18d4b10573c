/* test_dec.c - unit tests for lib/dec */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dec.h"

struct parse_case {
	const char *in;
	int64_t v;
};

static const struct parse_case parse_ok[] = {
	{ "0", 0 },
	{ "-0", 0 },
	{ "+0", 0 },
	{ "0.0", 0 },
	{ "7", 7000000 },
	{ "+7", 7000000 },
	{ "-7", -7000000 },
	{ "007", 7000000 },
	{ "12.5", 12500000 },
	{ "12.50", 12500000 },
	{ "-12.5", -12500000 },
	{ "0.000001", 1 },
	{ "-0.000001", -1 },
	{ "1.123456", 1123456 },
	/* halves: ties to even */
	{ "0.0000005", 0 },
	{ "0.0000015", 2 },
	{ "0.0000025", 2 },
	{ "0.0000035", 4 },
	{ "-0.0000005", 0 },
	{ "-0.0000015", -2 },
	{ "-0.0000025", -2 },
	/* just off the half: sticky digits */
	{ "0.00000050000001", 1 },
	{ "0.0000004999999", 0 },
	{ "0.0000025000000", 2 },
	{ "0.00000250000001", 3 },
	{ "0.0000006", 1 },
	{ "0.0000004", 0 },
	{ "-0.0000006", -1 },
	{ "1.9999995", 2000000 },
	{ "1.99999949", 1999999 },
	{ "0.12345678901234567890123", 123457 },
	/* the edges of the range */
	{ "9199999999999.999999", 9199999999999999999LL },
	{ "-9199999999999.999999", -9199999999999999999LL },
	{ "9199999999999.9999994", 9199999999999999999LL },
	{ "0000000000000000000000001", 1000000 },
};

static const char *const parse_bad[] = {
	"", "+", "-", ".", "1.", ".5", "-.5", "+-1", "-+1", "--1", "1..2",
	"1.2.3", " 1", "1 ", "1e5", "1,5", "0x10", "١", "1_000", "abc",
	"9200000000000", "-9200000000000", "9200000000000.0",
	"9199999999999.9999995", "-9199999999999.9999995",
	"99999999999999999999999999", "12.5x", "nan", "inf",
};

static void
test_parse_ok(void **state)
{
	size_t k;
	int64_t v;

	(void)state;
	for (k = 0; k < sizeof parse_ok / sizeof parse_ok[0]; k++) {
		v = 42;
		if (dec_parse(parse_ok[k].in, strlen(parse_ok[k].in), &v) !=
		    0 || v != parse_ok[k].v)
			fail_msg("dec_parse(\"%s\") = %lld, want %lld",
			    parse_ok[k].in, (long long)v,
			    (long long)parse_ok[k].v);
	}
}

static void
test_parse_bad(void **state)
{
	size_t k;
	int64_t v;

	(void)state;
	for (k = 0; k < sizeof parse_bad / sizeof parse_bad[0]; k++) {
		v = 42;
		if (dec_parse(parse_bad[k], strlen(parse_bad[k]), &v) != -1 ||
		    v != 42)
			fail_msg("dec_parse(\"%s\") accepted", parse_bad[k]);
	}
}

static void
test_parse_length(void **state)
{
	int64_t v = 0;

	(void)state;
	/* n bounds the input: no NUL needed, nothing read past it */
	assert_int_equal(dec_parse("12.5xyz", 4, &v), 0);
	assert_true(v == 12500000);
	assert_int_equal(dec_parse("12.5", 3, &v), -1);
	assert_int_equal(dec_parse("7", 0, &v), -1);
}

static void
test_add(void **state)
{
	int64_t acc = 0;

	(void)state;
	assert_int_equal(dec_add(&acc, 1500000), 0);
	assert_int_equal(dec_add(&acc, -2000000), 0);
	assert_true(acc == -500000);
	acc = INT64_MAX - 1;
	assert_int_equal(dec_add(&acc, 1), 0);
	assert_true(acc == INT64_MAX);
	assert_int_equal(dec_add(&acc, 1), -1);
	assert_true(acc == INT64_MAX);
	assert_int_equal(dec_add(&acc, INT64_MIN), 0);
	assert_true(acc == -1);
	acc = INT64_MIN + 1;
	assert_int_equal(dec_add(&acc, -1), 0);
	assert_true(acc == INT64_MIN);
	assert_int_equal(dec_add(&acc, -1), -1);
	assert_true(acc == INT64_MIN);
	assert_int_equal(dec_add(&acc, INT64_MAX), 0);
	assert_true(acc == -1);
	/* order does not matter: the same sum both ways */
	{
		static const char *const vals[] = { "0.1", "0.2", "0.3",
		    "-0.6", "1e0", "123.456789", "-23.456789" };
		int64_t a = 0, b = 0, x;
		size_t k;

		for (k = 0; k < 7; k++)
			if (dec_parse(vals[k], strlen(vals[k]), &x) == 0)
				assert_int_equal(dec_add(&a, x), 0);
		for (k = 7; k-- > 0;)
			if (dec_parse(vals[k], strlen(vals[k]), &x) == 0)
				assert_int_equal(dec_add(&b, x), 0);
		assert_true(a == b);
		assert_true(a == 100000000);
	}
}

struct fmt_case {
	int64_t v;
	const char *out;
};

static const struct fmt_case fmt_cases[] = {
	{ 0, "0" },
	{ 1, "0.000001" },
	{ -1, "-0.000001" },
	{ 7000000, "7" },
	{ -7000000, "-7" },
	{ 12500000, "12.5" },
	{ 10000000, "10" },
	{ 100000, "0.1" },
	{ 1010000, "1.01" },
	{ 123456789, "123.456789" },
	{ INT64_MAX, "9223372036854.775807" },
	{ INT64_MIN, "-9223372036854.775808" },
};

static void
test_fmt(void **state)
{
	char out[DEC_MAX_LEN];
	size_t k, n;
	int64_t back;

	(void)state;
	for (k = 0; k < sizeof fmt_cases / sizeof fmt_cases[0]; k++) {
		memset(out, 'x', sizeof out);
		n = dec_fmt(out, fmt_cases[k].v);
		assert_string_equal(out, fmt_cases[k].out);
		assert_int_equal(n, strlen(fmt_cases[k].out));
		/* parse(fmt(v)) == v inside the range */
		if (fmt_cases[k].v > -9200000000000000000LL &&
		    fmt_cases[k].v < 9200000000000000000LL) {
			assert_int_equal(dec_parse(out, n, &back), 0);
			assert_true(back == fmt_cases[k].v);
		}
	}
}

struct div_case {
	int64_t a, b;
	int decimals;
	const char *out;
};

static const struct div_case div_cases[] = {
	{ 1, 3, 6, "0.333333" },
	{ 2, 3, 6, "0.666667" },
	{ 2, 3, 0, "1" },
	{ 1, 3, 0, "0" },
	{ -1, 3, 6, "-0.333333" },
	{ -1, 3, 0, "0" },
	{ -2, 3, 2, "-0.67" },
	{ 2, -3, 2, "-0.67" },
	{ -2, -3, 2, "0.67" },
	{ 9, 10, 2, "0.9" },
	{ 10, 10, 4, "1" },
	{ 0, 7, 3, "0" },
	/* halves to even */
	{ 1, 2, 0, "0" },
	{ 3, 2, 0, "2" },
	{ 5, 2, 0, "2" },
	{ -1, 2, 0, "0" },
	{ -3, 2, 0, "-2" },
	{ -5, 2, 0, "-2" },
	{ 1, 8, 2, "0.12" },
	{ 3, 8, 2, "0.38" },
	{ 5, 8, 2, "0.62" },
	{ 1, 16, 3, "0.062" },
	{ 1, 2000000, 6, "0" },
	{ 3, 2000000, 6, "0.000002" },
	/* decimals clamped */
	{ 1, 3, 9, "0.333333" },
	{ 2, 3, -1, "1" },
	/* the extremes */
	{ INT64_MAX, 1, 6, "9223372036854775807" },
	{ INT64_MIN, 1, 6, "-9223372036854775808" },
	{ INT64_MIN, -1, 0, "9223372036854775808" },
	{ 1, INT64_MIN, 6, "0" },
	{ INT64_MAX, INT64_MAX, 6, "1" },
	{ INT64_MIN, INT64_MAX, 6, "-1" },
};

static void
test_fmt_div(void **state)
{
	char out[DEC_MAX_LEN];
	size_t k, n;

	(void)state;
	for (k = 0; k < sizeof div_cases / sizeof div_cases[0]; k++) {
		n = dec_fmt_div(out, div_cases[k].a, div_cases[k].b,
		    div_cases[k].decimals);
		if (strcmp(out, div_cases[k].out) != 0 ||
		    n != strlen(div_cases[k].out))
			fail_msg("dec_fmt_div(%lld, %lld, %d) = \"%s\", "
			    "want \"%s\"", (long long)div_cases[k].a,
			    (long long)div_cases[k].b, div_cases[k].decimals,
			    out, div_cases[k].out);
	}
	strcpy(out, "junk");
	assert_int_equal(dec_fmt_div(out, 5, 0, 2), 0);
	assert_string_equal(out, "");
}

static void
test_div(void **state)
{
	(void)state;
	assert_true(dec_div(1, 3) == 333333);
	assert_true(dec_div(2, 3) == 666667);
	assert_true(dec_div(-2, 3) == -666667);
	assert_true(dec_div(1, 2000000) == 0);		/* 0.5 millionth */
	assert_true(dec_div(3, 2000000) == 2);		/* 1.5 millionths */
	assert_true(dec_div(5, 2000000) == 2);		/* 2.5 millionths */
	assert_true(dec_div(-3, 2000000) == -2);
	assert_true(dec_div(12500000, 2500000) == 5000000);
	assert_true(dec_div(7, 7) == DEC_SCALE);
	assert_true(dec_div(INT64_MAX, 1) == INT64_MAX);	/* saturates */
	assert_true(dec_div(INT64_MIN, 1) == INT64_MIN);
	assert_true(dec_div(INT64_MIN, -1) == INT64_MAX);
	assert_true(dec_div(INT64_MAX, INT64_MAX) == DEC_SCALE);
	assert_true(dec_div(5, 0) == 0);
}

static void
test_mul(void **state)
{
	(void)state;
	assert_true(dec_mul(2000000, 3500000) == 7000000);
	assert_true(dec_mul(-2000000, 3500000) == -7000000);
	assert_true(dec_mul(-2000000, -3500000) == 7000000);
	assert_true(dec_mul(1, 1) == 0);		/* 1e-12 */
	assert_true(dec_mul(500000, 1) == 0);		/* 0.5 millionth */
	assert_true(dec_mul(1500000, 1) == 2);		/* 1.5 millionths */
	assert_true(dec_mul(2500000, 1) == 2);
	assert_true(dec_mul(-2500000, 1) == -2);
	assert_true(dec_mul(-1500000, 1) == -2);
	assert_true(dec_mul(900000, 90000000) == 81000000);	/* 0.9 * 90 */
	assert_true(dec_mul(INT64_MAX, INT64_MAX) == INT64_MAX);
	assert_true(dec_mul(INT64_MIN, INT64_MAX) == INT64_MIN);
	assert_true(dec_mul(INT64_MIN, -INT64_MAX) == INT64_MAX);
	assert_true(dec_mul(INT64_MAX, DEC_SCALE) == INT64_MAX);
	assert_true(dec_mul(INT64_MIN, DEC_SCALE) == INT64_MIN);
	assert_true(dec_mul(0, INT64_MIN) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_length),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_fmt_div),
		cmocka_unit_test(test_div),
		cmocka_unit_test(test_mul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
