/* test_strset.c - the set of strings behind duplicate-id checks */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "strset.h"

static void
test_add_find(void **state)
{
	struct strset s;
	struct err e;
	bool found;

	(void)state;
	strset_init(&s);
	assert_int_equal(strset_add(&s, "a", 1, &found, &e), 0);
	assert_false(found);
	assert_int_equal(strset_add(&s, "a", 1, &found, &e), 0);
	assert_true(found);
	assert_int_equal(strset_add(&s, "ab", 1, &found, &e), 0);
	assert_true(found);		/* only the first byte counts */
	assert_int_equal(strset_add(&s, "", 0, &found, &e), 0);
	assert_false(found);
	assert_int_equal(strset_add(&s, "a\0b", 3, &found, &e), 0);
	assert_false(found);
	assert_int_equal(strset_count(&s), 3);
	strset_free(&s);
}

/* Many values: growth keeps every one, and each is found once. */
static void
test_many(void **state)
{
	struct strset s;
	struct err e;
	char buf[32];
	bool found;
	int i, n;

	(void)state;
	strset_init(&s);
	for (i = 0; i < 100000; i++) {
		n = snprintf(buf, sizeof buf, "E%07d", i * 7 % 100000);
		assert_int_equal(strset_add(&s, buf, (size_t)n, &found, &e), 0);
		assert_false(found);
	}
	for (i = 0; i < 100000; i++) {
		n = snprintf(buf, sizeof buf, "E%07d", i);
		assert_int_equal(strset_add(&s, buf, (size_t)n, &found, &e), 0);
		assert_true(found);
	}
	assert_int_equal(strset_count(&s), 100000);
	strset_free(&s);
}

static void
test_oom(void **state)
{
	struct strset s;
	struct err e;
	bool found;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0;; n++) {
		strset_init(&s);
		mem_fail_after(n);
		rc = strset_add(&s, "a", 1, &found, &e);
		if (rc == 0)
			rc = strset_add(&s, "b", 1, &found, &e);
		mem_fail_after(-1);
		strset_free(&s);
		assert_true(rc == 0 || rc == ERR_INTERNAL);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("strset", tests, NULL, NULL);
}
