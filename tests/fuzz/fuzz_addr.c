/*
 * fuzz_addr.c - libFuzzer target for lib/addr (and lib/strmap under it)
 *
 * The bytes are normalised whole: when addr_norm accepts them, the output
 * must be UTF-8 and normalise to itself.  Then the input is split at its
 * first newline into a table entry and a query: the entry is added to an
 * address table, the query matched against it, and the answer checked
 * against what the rules in addr.h say it must be; then the query itself is
 * added and must match in full.  Nothing may crash or leak (mem_live back
 * to where it started), and no error message may hold input bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "mem.h"
#include "str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static void
check_msg(const struct err *e)
{
	if (e->code != ERR_DATA && e->code != ERR_INTERNAL)
		abort();
	if (strcmp(e->msg, "not UTF-8") != 0 &&
	    strcmp(e->msg, "address is empty") != 0 &&
	    strcmp(e->msg, "address listed twice with different values") != 0 &&
	    strcmp(e->msg, "out of memory") != 0)
		abort();
}

static void
norm_check(const char *s, size_t n)
{
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct err e;

	err_clear(&e);
	if (addr_norm(s, n, &out, &e) != 0) {
		check_msg(&e);
		if (out.len != 0 || str_utf8_valid(s, n))
			abort();
	} else {
		if (out.p == NULL || out.p[out.len] != '\0' ||
		    !str_utf8_valid(out.p, out.len))
			abort();
		if (addr_norm(out.p, out.len, &again, &e) != 0 ||
		    again.len != out.len ||
		    memcmp(again.p, out.p, out.len) != 0)
			abort();
	}
	buf_free(&out);
	buf_free(&again);
}

static void
table_check(const char *ent, size_t en, const char *q, size_t qn)
{
	struct addr_table t;
	struct buf key = BUF_INIT, scratch = BUF_INIT;
	struct err e;
	const char *val;
	size_t vlen, matched;
	bool want;
	int rc;

	addr_table_init(&t);
	err_clear(&e);
	rc = addr_table_add(&t, ent, en, "G1", 2, &e);
	if (rc != 0) {
		check_msg(&e);
		if (addr_table_count(&t) != 0)
			abort();
	}
	err_clear(&e);
	rc = addr_table_match(&t, q, qn, &scratch, &val, &vlen, &matched, &e);
	if (rc < 0) {
		check_msg(&e);
		if (rc != -e.code || val != NULL || str_utf8_valid(q, qn))
			abort();
		goto done;
	}
	/* one entry (or none): found exactly when it is a prefix of the
	 * normalised query, cut at an allowed place */
	want = false;
	if (addr_table_count(&t) == 1) {
		if (addr_norm(ent, en, &key, &e) != 0)
			abort();
		want = key.len <= scratch.len &&
		    memcmp(key.p, scratch.p, key.len) == 0 &&
		    (key.len == scratch.len ||
		    !(alnum((unsigned char)scratch.p[key.len - 1]) &&
		    alnum((unsigned char)scratch.p[key.len])));
	}
	if (rc != (want ? 1 : 0))
		abort();
	if (rc == 1 && (strcmp(val, "G1") != 0 || vlen != 2 ||
	    matched != key.len))
		abort();
	if (rc == 0 && (val != NULL || vlen != 0 || matched != 0))
		abort();
	/* the query itself, as an entry, matches in full */
	err_clear(&e);
	rc = addr_table_add(&t, q, qn, "G2", 2, &e);
	if (rc != 0) {
		check_msg(&e);
		goto done;
	}
	if (addr_table_match(&t, q, qn, &scratch, &val, &vlen, &matched,
	    &e) != 1 || matched != scratch.len)
		abort();
done:
	buf_free(&key);
	buf_free(&scratch);
	addr_table_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	long live = mem_live();

	norm_check(s, size);
	if ((nl = memchr(s, '\n', size)) != NULL)
		table_check(s, (size_t)(nl - s), nl + 1,
		    size - (size_t)(nl - s) - 1);
	else
		table_check(s, size, s, size);
	if (mem_live() != live)
		abort();
	return 0;
}
