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

size_t
str_utf8_prefix(const char *s, size_t n)
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
	return (size_t)snprintf(out, 24, "%lld", v);
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
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	old = uselocale(c_locale());
	*v = strtod(tmp, NULL);
	uselocale(old);
	return isfinite(*v) ? 0 : -1;
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
	return strlen(t) == n && memcmp(s, t, n) == 0;
}
