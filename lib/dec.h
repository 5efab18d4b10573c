/*
 * dec.h - exact decimals in millionths, for sums that must not depend on
 * the order they are added in
 *
 * kpi-score adds values in any order (split across processes, merged
 * later) and must give the same bytes: binary floating point would not.
 * A value is an int64_t count of millionths (DEC_SCALE), so 12.5 is
 * 12500000; sums stay exact up to about 9.2e12 in magnitude.  Quotients
 * (rates, means) are formed once, at the end, by integer arithmetic with
 * round-half-even.
 *
 * Ownership: nothing here allocates.  No locale, no floating point in
 * parsing or formatting.
 */
#ifndef GRID_DEC_H
#define GRID_DEC_H

#include <stddef.h>
#include <stdint.h>

#define DEC_SCALE 1000000LL
#define DEC_MAX_LEN 48		/* longest text dec_fmt* writes, with NUL */

/*
 * dec_parse: [+-]digits[.digits] (at least one digit; no exponent, no
 * spaces) into *v.  More than 6 fraction digits are rounded half-even to 6.
 * Returns 0, or -1 for anything else or a magnitude of 9.2e12 or more
 * (nothing is set then).
 */
int dec_parse(const char *s, size_t n, int64_t *v);

/* dec_add: *acc += v; -1 (acc unchanged) when the sum would overflow. */
int dec_add(int64_t *acc, int64_t v);

/*
 * dec_fmt: v exactly, with trailing fraction zeros and a bare point
 * removed: "12.5", "-0.000001", "0", "7".  out needs DEC_MAX_LEN bytes;
 * it gets a NUL-terminated string.  Returns the length.
 */
size_t dec_fmt(char *out, int64_t v);

/*
 * dec_fmt_div: a / b (a and b in any common unit) rounded half-even to
 * `decimals` places (0..6; values outside are taken as 0 or 6), trailing
 * zeros removed as dec_fmt does, zero as "0".  Exact: uses 128-bit
 * intermediate arithmetic, so every int64 a and b work.  out needs
 * DEC_MAX_LEN bytes.  Returns the length, or 0 with out "" when b is 0.
 */
size_t dec_fmt_div(char *out, int64_t a, int64_t b, int decimals);

/*
 * dec_div: a / b in millionths (a and b in any common unit), rounded
 * half-even; saturates at the int64 range.  b == 0 gives 0 (callers check
 * b first: a rate with a zero denominator is "n/a", not 0).
 */
int64_t dec_div(int64_t a, int64_t b);

/* dec_mul: a * b / DEC_SCALE (a product of two decimals), rounded
 * half-even; saturates at the int64 range. */
int64_t dec_mul(int64_t a, int64_t b);

#endif
