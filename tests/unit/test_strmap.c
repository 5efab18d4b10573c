/* test_strmap.c - the string to string map under the address table */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "strmap.h"

static void
test_put_get(void **state)
{
	struct strmap m;
	struct err e;
	const char *old, *v;
	size_t vlen;
	int existed;

	(void)state;
	err_clear(&e);
	strmap_init(&m);
	assert_null(strmap_get(&m, "a", 1, &vlen));	/* empty map */
	assert_int_equal(vlen, 0);
	assert_int_equal(strmap_put(&m, "a", 1, "A1", 2, &existed, &old, &e),
	    0);
	assert_int_equal(existed, 0);
	assert_null(old);
	assert_int_equal(strmap_put(&m, "ab", 2, "AB", 2, &existed, &old, &e),
	    0);
	assert_int_equal(existed, 0);
	v = strmap_get(&m, "a", 1, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 2);
	assert_string_equal(v, "A1");
	assert_string_equal(strmap_get(&m, "ab", 2, NULL), "AB");
	assert_string_equal(strmap_get(&m, "abc", 2, NULL), "AB");
	assert_null(strmap_get(&m, "b", 1, &vlen));
	assert_int_equal(vlen, 0);
	assert_null(strmap_get(&m, "abc", 3, NULL));
	assert_null(strmap_get(&m, "", 0, NULL));
	assert_int_equal(strmap_count(&m), 2);
	strmap_free(&m);
	assert_int_equal(strmap_count(&m), 0);
	assert_null(strmap_get(&m, "a", 1, NULL));
}

/* Empty keys and values, NUL bytes inside both, NULL pointers at length 0. */
static void
test_bytes(void **state)
{
	struct strmap m;
	struct err e;
	const char *v;
	size_t vlen;
	int existed;

	(void)state;
	strmap_init(&m);
	assert_int_equal(strmap_put(&m, NULL, 0, NULL, 0, &existed, NULL, &e),
	    0);
	assert_int_equal(existed, 0);
	v = strmap_get(&m, "", 0, &vlen);
	assert_non_null(v);
	assert_int_equal(vlen, 0);
	assert_string_equal(v, "");
	assert_int_equal(strmap_put(&m, "a\0b", 3, "x\0y", 3, NULL, NULL, &e),
	    0);
	assert_int_equal(strmap_put(&m, "a\0c", 3, "z", 1, NULL, NULL, &e), 0);
	v = strmap_get(&m, "a\0b", 3, &vlen);
	assert_int_equal(vlen, 3);
	assert_memory_equal(v, "x\0y", 4);	/* NUL-terminated too */
	assert_string_equal(strmap_get(&m, "a\0c", 3, NULL), "z");
	assert_null(strmap_get(&m, "a", 1, NULL));
	assert_int_equal(strmap_count(&m), 3);
	strmap_free(&m);
}

/* A second put of a key changes nothing and reports the first value. */
static void
test_conflict(void **state)
{
	struct strmap m;
	struct err e;
	const char *old;
	size_t vlen;
	int existed;

	(void)state;
	strmap_init(&m);
	assert_int_equal(strmap_put(&m, "k", 1, "first", 5, &existed, &old,
	    &e), 0);
	assert_int_equal(strmap_put(&m, "k", 1, "second", 6, &existed, &old,
	    &e), 0);
	assert_int_equal(existed, 1);
	assert_string_equal(old, "first");
	assert_int_equal(strmap_put(&m, "k", 1, "first", 5, &existed, &old,
	    &e), 0);
	assert_int_equal(existed, 1);
	assert_string_equal(old, "first");
	/* NULL existed/old: still no overwrite */
	assert_int_equal(strmap_put(&m, "k", 1, "third", 5, NULL, NULL, &e),
	    0);
	assert_string_equal(strmap_get(&m, "k", 1, &vlen), "first");
	assert_int_equal(vlen, 5);
	assert_int_equal(strmap_count(&m), 1);
	strmap_free(&m);
}

/* Growth to 100,000 keys: each stays found with its own value. */
static void
test_many(void **state)
{
	struct strmap m;
	struct err e;
	char k[32], v[32];
	const char *got, *old;
	size_t vlen;
	int i, kn, vn, existed;

	(void)state;
	strmap_init(&m);
	for (i = 0; i < 100000; i++) {
		kn = snprintf(k, sizeof k, "addr-%d", i * 7 % 100000);
		vn = snprintf(v, sizeof v, "%d", i * 7 % 100000 * 3);
		assert_int_equal(strmap_put(&m, k, (size_t)kn, v, (size_t)vn,
		    &existed, &old, &e), 0);
		assert_int_equal(existed, 0);
	}
	assert_int_equal(strmap_count(&m), 100000);
	for (i = 0; i < 100000; i++) {
		kn = snprintf(k, sizeof k, "addr-%d", i);
		vn = snprintf(v, sizeof v, "%d", i * 3);
		got = strmap_get(&m, k, (size_t)kn, &vlen);
		assert_non_null(got);
		assert_int_equal(vlen, vn);
		assert_string_equal(got, v);
	}
	assert_null(strmap_get(&m, "addr-100000", 11, NULL));
	assert_int_equal(strmap_put(&m, "addr-5", 6, "x", 1, &existed, &old,
	    &e), 0);
	assert_int_equal(existed, 1);
	assert_string_equal(old, "15");
	strmap_free(&m);
}

/*
 * Out of memory at every allocation of 3,000 puts (two table growths and
 * more than one arena chunk): ERR_INTERNAL, what was put before is still
 * there, nothing leaks.
 */
static void
test_oom(void **state)
{
	struct strmap m;
	struct err e;
	char k[64];
	long n, live = mem_live();
	int i, j, kn, rc, failures = 0;

	(void)state;
	for (n = 0;; n++) {
		strmap_init(&m);
		mem_fail_after(n);
		rc = 0;
		for (i = 0; i < 3000 && rc == 0; i++) {
			kn = snprintf(k, sizeof k,
			    "湘潭市岳塘区书院路街道桃花社区建设路%d号", i);
			err_clear(&e);
			rc = strmap_put(&m, k, (size_t)kn, k, (size_t)kn, NULL,
			    NULL, &e);
		}
		mem_fail_after(-1);
		if (rc != 0) {
			failures++;
			assert_int_equal(rc, ERR_INTERNAL);
			assert_int_equal(e.code, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			i--;	/* the failed put */
		}
		assert_int_equal(strmap_count(&m), i);
		for (j = 0; j < i; j++) {
			kn = snprintf(k, sizeof k,
			    "湘潭市岳塘区书院路街道桃花社区建设路%d号", j);
			assert_string_equal(strmap_get(&m, k, (size_t)kn,
			    NULL), k);
		}
		strmap_free(&m);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
	}
	assert_true(failures >= 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
