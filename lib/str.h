/*
 * str.h - small string helpers shared by every module
 *
 * UTF-8 validation, the one number formatter every program prints numbers
 * with (locale-independent, shortest round-trip form, never exponent), and
 * locale-independent parsing of decimals.  Nothing here allocates unless
 * it takes a struct buf.
 */
#ifndef GRID_STR_H
#define GRID_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * str_utf8_valid: true when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF).  NUL bytes are valid UTF-8; callers
 * that refuse them check separately.
 */
bool str_utf8_valid(const char *s, size_t n);

/*
 * str_utf8_prefix: length of the longest prefix of s[0..n) that is complete,
 * well-formed UTF-8, for cutting a stream at a character boundary.
 */
size_t str_utf8_prefix(const char *s, size_t n);

/*
 * str_fmt_double: format v into out (size >= STR_NUM_MAX) with at most
 * `decimals` digits after the point (decimals < 0: as many as needed to
 * read back the same double, at most 17 significant digits), trailing zeros
 * and a trailing point removed, "-0" printed as "0", plain notation only.
 * NaN and infinities give "".  Returns the length.  The same v gives the
 * same bytes in every locale.
 */
#define STR_NUM_MAX 352
size_t str_fmt_double(char *out, double v, int decimals);

/* str_fmt_int: decimal form of v into out (size >= 24); returns length. */
size_t str_fmt_int(char *out, long long v);

/*
 * str_parse_decimal: parse s[0..n) as a plain decimal: optional sign,
 * digits, optional '.' and digits (at least one digit in all).  No
 * exponent, no spaces, no thousands separators, independent of locale.
 * Returns 0 and sets *v, or -1.
 */
int str_parse_decimal(const char *s, size_t n, double *v);

/* str_parse_int: optional sign and 1..18 digits into *v; 0 or -1. */
int str_parse_int(const char *s, size_t n, long long *v);

/* str_trim: advance *s and shrink *n past ASCII spaces and tabs at both ends. */
void str_trim(const char **s, size_t *n);

/* str_eq: s[0..n) equals the C string t. */
bool str_eq(const char *s, size_t n, const char *t);

#endif
