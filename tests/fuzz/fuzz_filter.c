/*
 * fuzz_filter.c - libFuzzer target for lib/filter
 *
 * Bytes go to filter_parse.  When they parse, the field list is checked,
 * the filter is bound to a fixed header (kind a b c state light minutes
 * reported) and evaluated on a few fixed rows; "not (input)" must then
 * give the opposite answer on every row.  Nothing may crash or leak
 * (mem_live back to where it started).
 *
 * Error messages: each must be one of the documented shapes ("at column N:
 * " and a fixed text, "expression longer than ...", "no field 'name'" with
 * a name the expression uses), and none may hold the bytes of a string
 * literal of the input (values may be personal data).  The second check is
 * made for literals with a byte that no allowed message can hold (one
 * that is in none of the fixed texts, digits or name characters), so that
 * a literal such as 'or' does not match the fixed text by chance.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "filter.h"
#include "mem.h"
#include "rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *hnames[] = { "kind", "a", "b", "c", "state", "light",
    "minutes", "reported" };
static const struct rec_header header = { 8, hnames };

#define NROWS 5
static const char *const rows[NROWS][8] = {
	{ "event", "1", "2", "3", "closed", "green", "60",
	    "2017-03-14T09:30:00+08:00" },
	{ "event", "", "", "", "", "", "", "" },
	{ "event", "-0.5", "0.50", "abc", "open", "red", "120",
	    "2017-03-14T01:30:00+00:00" },
	{ "event", "网格", "007", "7", "'", "\"", "-0", "2017-03-14" },
	{ "event", "2017-03-14T09:30:00+08:00", "2017-03-14T01:30:00+00:00",
	    "1e5", "closed", "yellow", "59.9999999999999999999", "x" },
};

static const char *const fixed[] = {
	"unexpected character", "unterminated string", "bad number",
	"expected an operand", "expected a comparison, 'in' or 'is'",
	"expected 'in'", "expected '('", "expected ',' or ')'",
	"expected 'empty'", "expected ')'", "expected 'and', 'or' or the end",
	"invalid UTF-8", "NUL byte", "nested more than 32 deep",
	"more than 512 nodes",
};

static bool
msg_allowed(const char *m, const struct filter *f)
{
	const char *const *names;
	size_t k, n, nn;

	if (strcmp(m, "expression longer than 4096 bytes") == 0)
		return true;
	if (f != NULL && strncmp(m, "no field '", 10) == 0) {
		nn = filter_fields(f, &names);
		for (k = 0; k < nn; k++) {
			n = strlen(names[k]);
			if (strncmp(m + 10, names[k], n) == 0 &&
			    strcmp(m + 10 + n, "'") == 0)
				return true;
			/* a long name is cut where struct err's buffer ends */
			if (strlen(m) == sizeof ((struct err *)0)->msg - 1 &&
			    strncmp(m + 10, names[k], strlen(m + 10)) == 0)
				return true;
		}
		return false;
	}
	if (strncmp(m, "at column ", 10) != 0)
		return false;
	m += 10;
	if (*m < '1' || *m > '9')
		return false;
	while (*m >= '0' && *m <= '9')
		m++;
	if (m[0] != ':' || m[1] != ' ')
		return false;
	for (k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		if (strcmp(m + 2, fixed[k]) == 0)
			return true;
	return false;
}

/* contains: s holds the bytes t[0..n) (n > 0); memmem is not POSIX. */
static bool
contains(const char *s, const uint8_t *t, size_t n)
{
	size_t sl = strlen(s), i;

	for (i = 0; i + n <= sl; i++)
		if (memcmp(s + i, t, n) == 0)
			return true;
	return false;
}

/* msg_char: c may occur in some allowed message. */
static bool
msg_char(unsigned char c)
{
	static const char other[] = "at column 0123456789: "
	    "expression longer than 4096 bytes no field '"
	    "abcdefghijklmnopqrstuvwxyz_";
	size_t k;

	if (c != '\0' && strchr(other, c) != NULL)
		return true;
	for (k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		if (c != '\0' && strchr(fixed[k], c) != NULL)
			return true;
	return false;
}

/* check_msg: the message is allowed and holds no distinctive literal. */
static void
check_msg(const char *m, const uint8_t *d, size_t n, const struct filter *f)
{
	size_t i, j, k;
	bool odd;

	if (!msg_allowed(m, f))
		abort();
	for (i = 0; i < n; i = j + 1) {
		if (d[i] != '\'' && d[i] != '"') {
			j = i;
			continue;
		}
		for (j = i + 1; j < n && d[j] != d[i]; j++)
			;
		odd = false;
		for (k = i + 1; k < j; k++)
			if (!msg_char(d[k]))
				odd = true;
		if (odd && contains(m, d + i + 1, j - i - 1))
			abort();
	}
}

static void
mkrow(struct rec_row *row, size_t r, char **v, size_t *len)
{
	size_t k;

	for (k = 0; k < 8; k++) {
		v[k] = (char *)rows[r][k];
		len[k] = strlen(rows[r][k]);
	}
	row->n = 8;
	row->v = v;
	row->len = len;
	row->line = (long)r + 2;
	row->raw = NULL;
	row->rawlen = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char wrapped[FILTER_MAX_LEN + 8];
	struct filter *f = NULL, *g = NULL;
	const char *const *names;
	struct rec_row row;
	struct err e;
	char *v[8];
	size_t len[8], k, j, nn;
	long live = mem_live();
	bool res[NROWS];

	err_clear(&e);
	if (filter_parse(&f, (const char *)data, size, &e) != 0) {
		if (f != NULL || e.code != ERR_DATA)
			abort();
		check_msg(e.msg, data, size, NULL);
		goto out;
	}
	nn = filter_fields(f, &names);
	for (k = 0; k < nn; k++) {
		if (names[k][0] < 'a' || names[k][0] > 'z' ||
		    strspn(names[k], "abcdefghijklmnopqrstuvwxyz0123456789_") !=
		    strlen(names[k]))
			abort();
		for (j = 0; j < k; j++)
			if (strcmp(names[j], names[k]) == 0)
				abort();
	}
	/* before a bind, every field reads as empty: no crash */
	mkrow(&row, 0, v, len);
	(void)filter_eval(f, &row);
	err_clear(&e);
	if (filter_bind(f, &header, &e) != 0) {
		if (e.code != ERR_DATA)
			abort();
		check_msg(e.msg, data, size, f);
		goto out;
	}
	for (k = 0; k < NROWS; k++) {
		mkrow(&row, k, v, len);
		res[k] = filter_eval(f, &row);
		if (filter_eval(f, &row) != res[k])
			abort();
	}
	/* not (input) is the negation, when it stays within the limits */
	if (size + 6 <= FILTER_MAX_LEN) {
		memcpy(wrapped, "not (", 5);
		memcpy(wrapped + 5, data, size);
		wrapped[size + 5] = ')';
		err_clear(&e);
		if (filter_parse(&g, wrapped, size + 6, &e) == 0) {
			if (filter_bind(g, &header, &e) != 0)
				abort();
			for (k = 0; k < NROWS; k++) {
				mkrow(&row, k, v, len);
				if (filter_eval(g, &row) == res[k])
					abort();
			}
		} else if (strstr(e.msg, "nested more than") == NULL &&
		    strstr(e.msg, "more than 512 nodes") == NULL)
			abort();
		filter_free(g);
	}
out:
	filter_free(f);
	if (mem_live() != live)
		abort();
	return 0;
}
