/*
 * filter.h - the `where` expressions of indicator files, over records
 *
 * Grammar (whitespace between tokens is free):
 *
 *   expr     = or
 *   or       = and { "or" and }
 *   and      = not { "and" not }
 *   not      = "not" not | "(" expr ")" | test
 *   test     = operand op operand
 *            | operand ["not"] "in" "(" operand { "," operand } ")"
 *            | operand "is" ["not"] "empty"
 *   op       = "==" | "!=" | "<" | "<=" | ">" | ">="
 *   operand  = field | string | number
 *   field    = [a-z][a-z0-9_]*       (a record field; not a keyword)
 *   string   = '...' or "..."        (no escapes; UTF-8; may not hold its quote)
 *   number   = [-]digits[.digits]    (not followed by a letter, digit, _ or .)
 *
 * Whitespace is space, TAB, CR and LF.  The expression must be UTF-8
 * without NUL bytes.  "not" binds tighter than "and", "and" tighter than
 * "or": `not a == 1 and b == 2 or c == 3` is `((not a == 1) and b == 2) or
 * c == 3`.
 *
 * Keywords (and, or, not, in, is, empty) are lowercase and cannot be field
 * names.  Examples:
 *   state == 'closed' and light in ('green', 'yellow')
 *   self_handled == 1 or handled_level == 'grid'
 *   minutes >= 60 and not (voided == 1)
 *   closed is not empty and reported >= '2017-01-01'
 *
 * Comparing two values a and b (a literal is a value whether quoted or not:
 * '60' and 60 are the same):
 *   - an empty value (the field is empty) is equal only to '' and to another
 *     empty value; with < <= > >= it makes the test false (and != true
 *     against anything non-empty);
 *   - when both read as decimal numbers (the syntax str_parse_decimal takes:
 *     sign, digits, point), numerically and exactly, digit by digit: no
 *     rounding, no range limit ('1.50' == 1.5, '-0' == 0, '007' == 7);
 *   - when both are canonical date-times (time_iso_to_epoch), as instants
 *     (so different offsets compare right);
 *   - otherwise as byte strings (so '2017-03' < '2017-10', dates compare
 *     right, and Chinese text compares by its UTF-8 bytes).
 * `x in (a, b)` is `x == a or x == b`; `x not in (...)` is its negation.
 * `x is empty` is true for an empty field (or the literal '').
 *
 * Use: filter_parse once per expression (syntax only), filter_bind to a
 * record header (field names become indexes; a name the header lacks is an
 * error), then filter_eval per record.  A filter bound to one header may be
 * bound again to another.  Before a successful bind, every field reads as
 * empty.  Literals are classified at parse time, so filter_eval looks at a
 * record's value only as far as the literal needs (a plain string literal:
 * one memcmp).
 *
 * Errors: ERR_DATA with the column (1-based character position) in the
 * message, "at column N: " and one of: "unexpected character", "unterminated
 * string", "bad number", "expected an operand", "expected a comparison, 'in'
 * or 'is'", "expected 'in'", "expected '('", "expected ',' or ')'",
 * "expected 'empty'", "expected ')'", "expected 'and', 'or' or the end",
 * "invalid UTF-8", "NUL byte", "nested more than 32 deep", "more than 512
 * nodes" (never the expression's values, which may hold data); and
 * "expression longer than 4096 bytes" (no column); ERR_INTERNAL "out of
 * memory".  filter_bind: ERR_DATA "no field 'x'" (field names are
 * configuration, not data); it allocates nothing, and a failed bind leaves
 * the previous binding.  Limits: FILTER_MAX_LEN bytes, FILTER_MAX_DEPTH
 * nesting (each "not" and each "(" is a level), FILTER_MAX_NODES nodes
 * (each operand, test, "not" and each and/or chain counts one).
 *
 * Ownership: filter_parse returns an owned filter freed by filter_free
 * (NULL is fine).  filter_eval allocates nothing, reads only; one filter may
 * serve several threads once bound.
 */
#ifndef GRID_FILTER_H
#define GRID_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "rec.h"

#define FILTER_MAX_LEN 4096
#define FILTER_MAX_DEPTH 32
#define FILTER_MAX_NODES 512

struct filter;

/*
 * filter_parse: src[0..n) (borrowed, need not be NUL-terminated; copied)
 * into *fp, or *fp = NULL and an error.
 */
int filter_parse(struct filter **fp, const char *src, size_t n,
    struct err *e);

/* filter_bind: resolve the field names against h. */
int filter_bind(struct filter *f, const struct rec_header *h,
    struct err *e);

/*
 * filter_eval: whether row (of the header last bound) passes.  A field past
 * row->n reads as empty.
 */
bool filter_eval(const struct filter *f, const struct rec_row *row);

/* filter_fields: the distinct field names the expression uses, in order of
 * first use; *names belongs to f. */
size_t filter_fields(const struct filter *f, const char *const **names);

void filter_free(struct filter *f);

#endif
