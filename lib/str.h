/*
 * str.h - small string helpers shared by every module
 *
 * UTF-8 validation, the one number formatter every program prints numbers
 * with (locale-independent, shortest round-trip form, never exponent), a
 * fast fixed-point form of it, locale-independent parsing and canonical
 * spelling of decimals, and a DFA for the simple regular expressions of
 * schema patterns.  Nothing here allocates unless it takes a struct buf.
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

/*
 * str_fmt_fixed: the same bytes as str_fmt_double(out, v, decimals), for
 * decimals >= 0, at a fraction of the cost: v is scaled by 10^decimals and
 * rounded to an integer the way printf("%.*f") rounds (the exact binary
 * value of v, exact ties to even: 0.125 with 2 decimals gives "0.12"),
 * then written digit by digit, trailing zeros and point removed, "-0" as
 * "0".  Falls back to str_fmt_double when decimals is outside 0..15 or
 * |v| * 10^decimals reaches 2^52.  out needs STR_NUM_MAX bytes.  Relies on
 * the default floating-point rounding mode (round to nearest), as the
 * whole program does.
 */
size_t str_fmt_fixed(char *out, double v, int decimals);

/* str_fmt_int: decimal form of v into out (size >= 24); returns length. */
size_t str_fmt_int(char *out, long long v);

/*
 * str_parse_decimal: parse s[0..n) as a plain decimal: optional sign,
 * digits, optional '.' and digits (at least one digit in all).  No
 * exponent, no spaces, no thousands separators, independent of locale.
 * *v is the nearest double (what strtod gives; most values take an exact
 * fast path without strtod).  Refused: n >= STR_NUM_MAX, and values
 * beyond the double range.  Returns 0 and sets *v, or -1.
 */
int str_parse_decimal(const char *s, size_t n, double *v);

/*
 * str_canon_decimal: the canonical spelling of the plain decimal s[0..n)
 * (as str_parse_decimal accepts it), exact, without going through a
 * double: no '+', no leading zeros before the point but one "0" ("007.5"
 * gives "7.5", ".5" gives "0.5"), no trailing zeros after it and no bare
 * point ("85.50" gives "85.5", "5." gives "5"), and zero as "0" whatever
 * its sign ("-0.0" gives "0").  Every digit that matters is kept, so a
 * value with 17 or more significant digits is not rounded.  out needs
 * n + 2 bytes; it gets a NUL-terminated string.  Returns its length, or 0
 * (and "") when s is not a plain decimal.
 */
size_t str_canon_decimal(char *out, const char *s, size_t n);

/* str_parse_int: optional sign and 1..18 digits into *v; 0 or -1. */
int str_parse_int(const char *s, size_t n, long long *v);

/* str_hash: FNV-1a (64 bits) of s[0..n), for the hash tables of lib/. */
uint64_t str_hash(const char *s, size_t n);

/* str_trim: advance *s and shrink *n past ASCII spaces and tabs at both ends. */
void str_trim(const char **s, size_t *n);

/* str_eq: s[0..n) equals the C string t. */
bool str_eq(const char *s, size_t n, const char *t);

#endif
