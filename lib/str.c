/* str.c - UTF-8, number formatting and parsing; see str.h */
#define _GNU_SOURCE
#include "str.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
str_utf8_valid(const char *s, size_t n)
{
	return str_utf8_prefix(s, n) == n;
}

/*
 * UTF-8 as a DFA of nine states (Unicode table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF), coded for speed as shift amounts:
 * utf8_dfa[b] holds, at bit 6s of state s, the next state (as its shift
 * amount) after byte b, so a step is one shift, st = utf8_dfa[b] >> st,
 * and the chain from byte to byte is that one instruction.
 */
enum {
	U_OK = 0,	/* between characters */
	U_C1 = 6,	/* one more continuation byte */
	U_E0 = 12,	/* after E0: A0..BF, then one more */
	U_C2 = 18,	/* two more */
	U_ED = 24,	/* after ED: 80..9F, then one more */
	U_F0 = 30,	/* after F0: 90..BF, then two more */
	U_C3 = 36,	/* three more */
	U_F4 = 42,	/* after F4: 80..8F, then two more */
	U_ER = 48	/* not UTF-8, for good */
};

#define U_ROW(ok, c1, e0, c2, ed, f0, c3, f4) \
	((uint64_t)(ok) << U_OK | (uint64_t)(c1) << U_C1 | \
	 (uint64_t)(e0) << U_E0 | (uint64_t)(c2) << U_C2 | \
	 (uint64_t)(ed) << U_ED | (uint64_t)(f0) << U_F0 | \
	 (uint64_t)(c3) << U_C3 | (uint64_t)(f4) << U_F4 | \
	 (uint64_t)U_ER << U_ER)
/*		       from: OK    C1    E0    C2    ED    F0    C3    F4 */
#define AS U_ROW(U_OK, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* 00..7F */
#define K8 U_ROW(U_ER, U_OK, U_ER, U_C1, U_C1, U_ER, U_C2, U_C2) /* 80..8F */
#define K9 U_ROW(U_ER, U_OK, U_ER, U_C1, U_C1, U_C2, U_C2, U_ER) /* 90..9F */
#define KA U_ROW(U_ER, U_OK, U_C1, U_C1, U_ER, U_C2, U_C2, U_ER) /* A0..BF */
#define XX U_ROW(U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* never */
#define L2 U_ROW(U_C1, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* C2..DF */
#define LE U_ROW(U_E0, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* E0 */
#define L3 U_ROW(U_C2, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* E1..EF */
#define LD U_ROW(U_ED, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* ED */
#define LF U_ROW(U_F0, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* F0 */
#define L4 U_ROW(U_C3, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* F1..F3 */
#define LG U_ROW(U_F4, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER, U_ER) /* F4 */

static const uint64_t utf8_dfa[256] = {
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 0 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 1 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 2 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 3 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 4 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 5 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 6 */
	AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, AS, /* 7 */
	K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, K8, /* 8 */
	K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, K9, /* 9 */
	KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, /* A */
	KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, KA, /* B */
	XX, XX, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, /* C */
	L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, L2, /* D */
	LE, L3, L3, L3, L3, L3, L3, L3, L3, L3, L3, L3, L3, LD, L3, L3, /* E */
	LF, L4, L4, L4, LG, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX  /* F */
};

#undef AS
#undef K8
#undef K9
#undef KA
#undef XX
#undef L2
#undef LE
#undef L3
#undef LD
#undef LF
#undef L4
#undef LG

/* The length of the valid prefix, a character at a time: the exact end. */
static size_t
utf8_prefix_slow(const unsigned char *p, size_t n)
{
	uint64_t st = U_OK;
	size_t i, last = 0;

	for (i = 0; i < n; i++) {
		st = (utf8_dfa[p[i]] >> st) & 63;
		if (st == U_ER)
			break;
		if (st == U_OK)
			last = i + 1;
	}
	return last;
}

#define UTF8_BLOCK 16

size_t
str_utf8_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t st = U_OK, t;
	size_t i = 0, k, bound = 0;

	/*
	 * Blocks of 16 bytes without a look at the state in between; bound
	 * is the last block end that fell between characters.  An error,
	 * or the last bytes, are then looked at one by one from bound.
	 */
	while (n - i >= UTF8_BLOCK) {
		t = st;
		for (k = 0; k < UTF8_BLOCK; k++)
			t = utf8_dfa[p[i + k]] >> (t & 63);
		if ((t & 63) == U_ER)
			break;
		st = t & 63;
		i += UTF8_BLOCK;
		if (st == U_OK)
			bound = i;
	}
	return bound + utf8_prefix_slow(p + bound, n - bound);
}

/*
 * Numbers are always printed and parsed in the C locale, whatever the
 * program's locale is: switch this thread to it for the duration.
 */
static locale_t
c_locale(void)
{
	static locale_t c;

	if (c == (locale_t)0)
		c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c;
}

size_t
str_fmt_int(char *out, long long v)
{
	char digits[24];
	unsigned long long u;
	size_t o = 0, nd = 0;

	/* what "%lld" prints, without printf */
	u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	if (v < 0)
		out[o++] = '-';
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (nd > 0)
		out[o++] = digits[--nd];
	out[o] = '\0';
	return o;
}

/* Turn the digits and exponent of a %e conversion into plain notation. */
static size_t
plain(char *out, const char *e)
{
	char digits[32];
	size_t nd = 0, o = 0;
	int exp, i, neg = 0;
	const char *p;

	if (*e == '-') {
		neg = 1;
		e++;
	}
	for (p = e; *p != 'e' && *p != '\0'; p++)
		if (*p >= '0' && *p <= '9' && nd < sizeof digits)
			digits[nd++] = *p;
	exp = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (nd == 1 && digits[0] == '0')
		neg = 0;
	if (neg)
		out[o++] = '-';
	if (exp < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = -1; i > exp; i--)
			out[o++] = '0';
		for (i = 0; i < (int)nd; i++)
			out[o++] = digits[i];
	} else {
		for (i = 0; i <= exp || i < (int)nd; i++) {
			if (i == exp + 1)
				out[o++] = '.';
			out[o++] = i < (int)nd ? digits[i] : '0';
		}
	}
	out[o] = '\0';
	return o;
}

size_t
str_fmt_double(char *out, double v, int decimals)
{
	locale_t old;
	char tmp[STR_NUM_MAX];
	size_t n;
	int p;

	out[0] = '\0';
	if (!isfinite(v))
		return 0;
	if (v == 0)
		v = 0;		/* -0 prints as 0 */
	old = uselocale(c_locale());
	if (decimals >= 0) {
		if (decimals > 17)
			decimals = 17;
		snprintf(out, STR_NUM_MAX, "%.*f", decimals, v);
		n = strlen(out);
		if (strchr(out, '.') != NULL) {
			while (out[n - 1] == '0')
				n--;
			if (out[n - 1] == '.')
				n--;
			out[n] = '\0';
		}
		if (strcmp(out, "-0") == 0)
			n = (size_t)snprintf(out, STR_NUM_MAX, "0");
	} else {
		for (p = 1; p <= 17; p++) {
			snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
			if (strtod(tmp, NULL) == v)
				break;
		}
		n = plain(out, tmp);
	}
	uselocale(old);
	return n;
}

/* 10^0 .. 10^22: the powers of ten a double holds exactly. */
static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define TWO52 4503599627370496.0	/* 2^52 */

/*
 * v * 10^d rounded to an integer exactly as the "%.*f" conversion rounds: the
 * exact binary value of v, ties to even.  p = v * 10^d is rounded once;
 * fma gives the exact error of that product (10^d is exact and the
 * product does not underflow where it matters), and rint rounds p ties
 * to even.  The result differs from rint(p) only when p lies exactly
 * half-way and the error says on which side the exact product is.
 * Needs |p| < 2^52 (so that p - rint(p) is exact) and the default
 * rounding mode.
 */
static long long
round_scaled(double v, int d)
{
	double s = pow10_exact[d], p = v * s, err = fma(v, s, -p);
	double r = rint(p), t = p - r;

	if (t == 0.5 && err > 0)
		r += 1;
	else if (t == -0.5 && err < 0)
		r -= 1;
	return (long long)r;
}

size_t
str_fmt_fixed(char *out, double v, int decimals)
{
	static const unsigned long long p10[16] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL
	};
	char digits[24];
	unsigned long long u, ip, fp;
	long long k;
	size_t o = 0, nd;
	int d;

	if (decimals < 0 || decimals > 15 || !isfinite(v) ||
	    fabs(v) * pow10_exact[decimals] >= TWO52)
		return str_fmt_double(out, v, decimals);
	k = round_scaled(v, decimals);
	u = k < 0 ? (unsigned long long)-k : (unsigned long long)k;
	switch (decimals) {	/* the common ones by a constant: no divide */
	case 0:
		ip = u;
		fp = 0;
		break;
	case 1:
		ip = u / 10;
		fp = u % 10;
		break;
	case 2:
		ip = u / 100;
		fp = u % 100;
		break;
	default:
		ip = u / p10[decimals];
		fp = u % p10[decimals];
		break;
	}
	if (k < 0)
		out[o++] = '-';
	nd = 0;
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (nd > 0)
		out[o++] = digits[--nd];
	if (fp != 0) {
		d = decimals;
		while (fp % 10 == 0) {
			fp /= 10;
			d--;
		}
		out[o++] = '.';
		for (nd = 0; nd < (size_t)d; nd++) {
			digits[nd] = (char)('0' + fp % 10);
			fp /= 10;
		}
		while (nd > 0)
			out[o++] = digits[--nd];
	}
	out[o] = '\0';
	return o;
}

/*
 * The exact, correctly rounded value of a plain decimal whose digits, as
 * one integer m, stay below 2^53, with at most 22 digits after the point:
 * m and 10^k are exact doubles, so m / 10^k is one correctly rounded
 * division, the same double strtod gives (Clinger's fast path).  Returns
 * false when the decimal is outside that case.
 */
static bool
parse_fast(const char *s, size_t n, double *v)
{
	unsigned long long m = 0;
	size_t i = 0, frac = 0, digits = 0;
	bool neg = false, point = false;
	double x;

	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (m >= (1ULL << 53) / 10)
				return false;
			m = m * 10 + (unsigned)(s[i] - '0');
			digits++;
			frac += point;
		} else if (s[i] == '.' && !point)
			point = true;
		else
			return false;
	}
	if (digits == 0 || frac > 22)
		return false;
	x = (double)m / pow10_exact[frac];
	*v = neg ? -x : x;
	return true;
}

int
str_parse_decimal(const char *s, size_t n, double *v)
{
	char tmp[STR_NUM_MAX];	/* room for all that str_fmt_double prints */
	size_t i = 0, digits = 0;
	locale_t old;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (i != n || digits == 0)
		return -1;
	if (parse_fast(s, n, v))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	old = uselocale(c_locale());
	*v = strtod(tmp, NULL);
	uselocale(old);
	return isfinite(*v) ? 0 : -1;
}

size_t
str_canon_decimal(char *out, const char *s, size_t n)
{
	size_t i = 0, ib, ie, fb = 0, fe = 0, o = 0;
	bool neg = false, point = false;

	out[0] = '\0';
	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	ib = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	ie = i;
	if (i < n && s[i] == '.') {
		point = true;
		fb = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		fe = i;
	}
	if (i != n || (ie == ib && (!point || fe == fb)))
		return 0;
	while (ib < ie && s[ib] == '0')
		ib++;
	while (fe > fb && s[fe - 1] == '0')
		fe--;
	if (ib == ie && fe == fb) {
		out[o++] = '0';		/* zero, whatever its sign */
		out[o] = '\0';
		return o;
	}
	if (neg)
		out[o++] = '-';
	if (ib == ie)
		out[o++] = '0';
	memcpy(out + o, s + ib, ie - ib);
	o += ie - ib;
	if (fe > fb) {
		out[o++] = '.';
		memcpy(out + o, s + fb, fe - fb);
		o += fe - fb;
	}
	out[o] = '\0';
	return o;
}

int
str_parse_int(const char *s, size_t n, long long *v)
{
	size_t i = 0, start;
	long long x = 0;
	int neg = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	start = i;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (i - start < 18)	/* more is rejected: no overflow */
			x = x * 10 + (s[i] - '0');
	if (i != n || i == start || i - start > 18)
		return -1;
	*v = neg ? -x : x;
	return 0;
}

void
str_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

bool
str_eq(const char *s, size_t n, const char *t)
{
	size_t i;

	/* strlen(t) == n && memcmp(s, t, n) == 0, stopping at the first
	 * difference */
	for (i = 0; i < n; i++)
		if (t[i] == '\0' || t[i] != s[i])
			return false;
	return t[n] == '\0';
}

uint64_t
str_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
