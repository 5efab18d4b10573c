/* dec.c - exact decimals in millionths (see dec.h) */
#include "dec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef __int128 dec_i128;
__extension__ typedef unsigned __int128 dec_u128;

/* The largest magnitude dec_parse accepts, exclusive: 9.2e12 in millionths. */
#define DEC_LIMIT 9200000000000000000ULL

/*
 * div_even: n / d rounded half-even (d != 0).  The quotient of two values
 * that fit in 127 bits, so nothing here overflows.
 */
static dec_i128
div_even(dec_i128 n, dec_i128 d)
{
	dec_i128 q = n / d, r = n % d;
	dec_u128 ar, ad;

	if (r == 0)
		return q;
	ar = r < 0 ? (dec_u128)0 - (dec_u128)r : (dec_u128)r;
	ad = d < 0 ? (dec_u128)0 - (dec_u128)d : (dec_u128)d;
	if (2 * ar > ad || (2 * ar == ad && (q & 1) != 0))
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	return q;
}

static int64_t
saturate(dec_i128 v)
{
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}

int
dec_parse(const char *s, size_t n, int64_t *v)
{
	uint64_t m = 0;
	size_t i = 0, f = 0;
	bool neg = false, sticky = false;
	int next = -1;		/* the 7th fraction digit, -1 when none */

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == n || s[i] < '0' || s[i] > '9')
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		m = m * 10 + (uint64_t)(s[i] - '0');
		if (m >= DEC_LIMIT / DEC_SCALE)	/* 9.2e12 or more */
			return -1;
	}
	m *= DEC_SCALE;
	if (i < n && s[i] == '.') {
		i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, f++) {
			if (f < 6) {
				static const uint64_t place[6] = { 100000,
				    10000, 1000, 100, 10, 1 };
				m += place[f] * (uint64_t)(s[i] - '0');
			} else if (f == 6)
				next = s[i] - '0';
			else if (s[i] != '0')
				sticky = true;
		}
	}
	if (i != n)
		return -1;
	if (next > 5 || (next == 5 && (sticky || (m & 1) != 0)))
		m++;
	if (m >= DEC_LIMIT)
		return -1;
	*v = neg ? -(int64_t)m : (int64_t)m;
	return 0;
}

int
dec_add(int64_t *acc, int64_t v)
{
	if ((v > 0 && *acc > INT64_MAX - v) ||
	    (v < 0 && *acc < INT64_MIN - v))
		return -1;
	*acc += v;
	return 0;
}

/*
 * fmt_scaled: q / 10^places in plain notation, trailing fraction zeros and
 * a bare point removed, zero as "0".
 */
static size_t
fmt_scaled(char *out, dec_i128 q, int places)
{
	char tmp[DEC_MAX_LEN];
	dec_u128 m = q < 0 ? (dec_u128)0 - (dec_u128)q : (dec_u128)q;
	size_t t = 0, o = 0;
	int k, skip;

	/* the digits, least significant first, at least places + 1 of them */
	do {
		tmp[t++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m != 0 || t < (size_t)places + 1);
	for (skip = 0; skip < places && tmp[skip] == '0'; skip++)
		;
	if (q < 0)
		out[o++] = '-';
	for (k = (int)t - 1; k >= places; k--)
		out[o++] = tmp[k];
	if (skip < places) {
		out[o++] = '.';
		for (k = places - 1; k >= skip; k--)
			out[o++] = tmp[k];
	}
	out[o] = '\0';
	return o;
}

size_t
dec_fmt(char *out, int64_t v)
{
	return fmt_scaled(out, v, 6);
}

size_t
dec_fmt_div(char *out, int64_t a, int64_t b, int decimals)
{
	static const int64_t pow10[7] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000 };

	if (b == 0) {
		out[0] = '\0';
		return 0;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	return fmt_scaled(out, div_even((dec_i128)a * pow10[decimals], b),
	    decimals);
}

int64_t
dec_div(int64_t a, int64_t b)
{
	if (b == 0)
		return 0;
	return saturate(div_even((dec_i128)a * DEC_SCALE, b));
}

int64_t
dec_mul(int64_t a, int64_t b)
{
	return saturate(div_even((dec_i128)a * b, DEC_SCALE));
}
