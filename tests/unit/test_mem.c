/* test_mem.c - unit tests for lib/mem.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void
test_counting(void **state)
{
	long live = mem_live(), count = mem_count();
	char *p, *q;

	(void)state;
	p = mem_alloc(10);
	assert_non_null(p);
	assert_int_equal(mem_live(), live + 1);
	assert_int_equal(mem_count(), count + 1);
	memset(p, 'x', 10);

	/* realloc of a block: one more call, no new block */
	q = mem_realloc(p, 1000);
	assert_non_null(q);
	assert_int_equal(mem_live(), live + 1);
	assert_int_equal(mem_count(), count + 2);
	assert_int_equal(q[9], 'x');

	/* realloc of NULL is an allocation */
	p = mem_realloc(NULL, 5);
	assert_non_null(p);
	assert_int_equal(mem_live(), live + 2);
	assert_int_equal(mem_count(), count + 3);

	mem_free(p);
	mem_free(q);
	mem_free(NULL);
	assert_int_equal(mem_live(), live);
	assert_int_equal(mem_count(), count + 3);
}

static void
test_size_zero(void **state)
{
	long live = mem_live();
	void *a, *b;

	(void)state;
	a = mem_alloc(0);
	b = mem_alloc(0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	a = mem_realloc(a, 0);
	assert_non_null(a);
	mem_free(a);
	mem_free(b);
	assert_int_equal(mem_live(), live);
}

static void
test_fail_after_zero(void **state)
{
	long live = mem_live(), count = mem_count();
	void *p;

	(void)state;
	mem_fail_after(0);
	assert_null(mem_alloc(1));
	/* and every one after it */
	assert_null(mem_alloc(1));
	assert_null(mem_calloc(2, 2));
	assert_null(mem_realloc(NULL, 4));
	assert_null(mem_strdup("abc"));
	assert_null(mem_strndup("abc", 2));
	mem_fail_after(-1);
	assert_int_equal(mem_live(), live);
	assert_int_equal(mem_count(), count);

	p = mem_alloc(1);
	assert_non_null(p);
	mem_free(p);
}

static void
test_fail_after_n(void **state)
{
	long live = mem_live();
	void *p[5];
	int i;

	(void)state;
	mem_fail_after(3);
	for (i = 0; i < 3; i++)
		assert_non_null(p[i] = mem_alloc(8));
	assert_null(p[3] = mem_alloc(8));
	assert_null(p[4] = mem_alloc(8));
	mem_fail_after(-1);
	for (i = 0; i < 3; i++)
		mem_free(p[i]);
	assert_int_equal(mem_live(), live);
}

static void
test_realloc_failure_keeps_block(void **state)
{
	long live = mem_live();
	char *p, *q;

	(void)state;
	p = mem_strdup("keep me");
	assert_non_null(p);
	mem_fail_after(0);
	q = mem_realloc(p, 4096);
	mem_fail_after(-1);
	assert_null(q);
	assert_string_equal(p, "keep me");
	assert_int_equal(mem_live(), live + 1);
	mem_free(p);
	assert_int_equal(mem_live(), live);
}

static void
test_overflow(void **state)
{
	long live = mem_live(), count = mem_count();
	char *p;

	(void)state;
	assert_null(mem_reallocarray(NULL, SIZE_MAX / 2 + 1, 2));
	assert_null(mem_reallocarray(NULL, SIZE_MAX, SIZE_MAX));
	assert_null(mem_calloc(SIZE_MAX / 4 + 1, 4));
	assert_null(mem_calloc(4, SIZE_MAX / 4 + 1));
	assert_int_equal(mem_live(), live);
	assert_int_equal(mem_count(), count);

	/* an overflowing realloc leaves the block alone */
	p = mem_strdup("x");
	assert_null(mem_reallocarray(p, SIZE_MAX, 16));
	assert_string_equal(p, "x");

	p = mem_reallocarray(p, 10, 8);
	assert_non_null(p);
	memset(p, 0, 80);
	mem_free(p);
	p = mem_reallocarray(NULL, 0, 8);	/* zero size is fine */
	assert_non_null(p);
	mem_free(p);
	assert_int_equal(mem_live(), live);
}

static void
test_calloc_zeroes(void **state)
{
	unsigned char *p;
	size_t i;

	(void)state;
	p = mem_calloc(1000, 3);
	assert_non_null(p);
	for (i = 0; i < 3000; i++)
		assert_int_equal(p[i], 0);
	mem_free(p);
	p = mem_calloc(0, 0);
	assert_non_null(p);
	mem_free(p);
}

static void
test_strdup(void **state)
{
	long live = mem_live();
	char *p;

	(void)state;
	p = mem_strdup("小事不出网格");
	assert_string_equal(p, "小事不出网格");
	mem_free(p);
	p = mem_strdup("");
	assert_string_equal(p, "");
	mem_free(p);

	p = mem_strndup("abcdef", 3);
	assert_string_equal(p, "abc");
	mem_free(p);
	/* n bytes are copied as they are, even a NUL */
	p = mem_strndup("a\0b", 3);
	assert_memory_equal(p, "a\0b", 4);
	mem_free(p);
	p = mem_strndup("xyz", 0);
	assert_string_equal(p, "");
	mem_free(p);
	assert_int_equal(mem_live(), live);
}

/* Fill the arena with many small blocks and check none overlaps another. */
static void
test_arena_many_small(void **state)
{
	struct mem_arena a;
	long live = mem_live();
	enum { N = 20000 };
	unsigned char **p;
	size_t i, k;

	(void)state;
	p = malloc(N * sizeof *p);
	assert_non_null(p);
	mem_arena_init(&a);
	assert_int_equal(mem_live(), live);	/* init allocates nothing */
	for (i = 0; i < N; i++) {
		size_t n = i % 97 + 1;

		p[i] = mem_arena_alloc(&a, n);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % _Alignof(max_align_t), 0);
		memset(p[i], (int)(i & 0xff), n);
	}
	for (i = 0; i < N; i++)
		for (k = 0; k < i % 97 + 1; k++)
			assert_int_equal(p[i][k], i & 0xff);
	assert_true(mem_live() > live);
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
	assert_null(a.head);
	free(p);
}

static void
test_arena_alignment(void **state)
{
	struct mem_arena a;
	size_t n;
	void *p;

	(void)state;
	mem_arena_init(&a);
	for (n = 0; n < 200; n++) {
		p = mem_arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		/* a max_align_t fits there */
		if (n >= sizeof(max_align_t))
			memset(p, 0, sizeof(max_align_t));
	}
	/* zero-size blocks are distinct */
	assert_ptr_not_equal(mem_arena_alloc(&a, 0), mem_arena_alloc(&a, 0));
	mem_arena_free(&a);
}

static void
test_arena_big(void **state)
{
	struct mem_arena a;
	long live = mem_live();
	char *small, *big, *after;
	size_t bign = (size_t)1 << 20;	/* much bigger than the first chunk */

	(void)state;
	mem_arena_init(&a);
	small = mem_arena_alloc(&a, 10);
	assert_non_null(small);
	memcpy(small, "small", 6);
	big = mem_arena_alloc(&a, bign);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
	memset(big, 0x5a, bign);
	after = mem_arena_alloc(&a, 100);
	assert_non_null(after);
	memset(after, 0x11, 100);
	assert_string_equal(small, "small");
	assert_int_equal((unsigned char)big[0], 0x5a);
	assert_int_equal((unsigned char)big[bign - 1], 0x5a);
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
}

static void
test_arena_strndup(void **state)
{
	struct mem_arena a;
	char *s;

	(void)state;
	mem_arena_init(&a);
	s = mem_arena_strndup(&a, "hello, world", 5);
	assert_string_equal(s, "hello");
	s = mem_arena_strndup(&a, "", 0);
	assert_string_equal(s, "");
	mem_arena_free(&a);
}

static void
test_arena_reset_reuses(void **state)
{
	struct mem_arena a;
	long live = mem_live(), count, kept;
	void *first, *p;
	int i;

	(void)state;
	mem_arena_init(&a);
	mem_arena_reset(&a);			/* reset of an empty arena */
	assert_int_equal(mem_live(), live);
	first = mem_arena_alloc(&a, 64);
	assert_non_null(first);
	for (i = 0; i < 5000; i++)		/* several chunks */
		assert_non_null(mem_arena_alloc(&a, 100));
	assert_true(mem_live() > live + 1);
	mem_arena_reset(&a);
	kept = mem_live();
	assert_int_equal(kept, live + 1);	/* the newest chunk is kept */

	/* the kept chunk is reused: no new allocation for a small block */
	count = mem_count();
	p = mem_arena_alloc(&a, 64);
	assert_non_null(p);
	assert_int_equal(mem_count(), count);
	assert_int_equal(mem_live(), kept);
	memset(p, 1, 64);

	/* several rounds of fill and reset stay bounded */
	for (i = 0; i < 10; i++) {
		int k;

		for (k = 0; k < 1000; k++)
			assert_non_null(mem_arena_alloc(&a, 50));
		mem_arena_reset(&a);
		assert_int_equal(mem_live(), live + 1);
	}
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
	/* the arena may be used again after free */
	assert_non_null(mem_arena_alloc(&a, 8));
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
}

static void
test_arena_oom(void **state)
{
	struct mem_arena a;
	long live = mem_live();
	char *p;
	int i;

	(void)state;
	mem_arena_init(&a);
	mem_fail_after(0);
	assert_null(mem_arena_alloc(&a, 10));
	assert_null(mem_arena_strndup(&a, "abc", 3));
	mem_fail_after(-1);
	assert_int_equal(mem_live(), live);
	assert_null(a.head);

	/* OOM when a new chunk is needed: the old blocks stay valid */
	p = mem_arena_strndup(&a, "still here", 10);
	assert_non_null(p);
	mem_fail_after(0);
	for (i = 0; i < 10000; i++)
		if (mem_arena_alloc(&a, 100) == NULL)
			break;
	mem_fail_after(-1);
	assert_true(i < 10000);
	assert_string_equal(p, "still here");
	assert_non_null(mem_arena_alloc(&a, 100));
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
}

/* Sizes whose rounding or chunk doubling would overflow size_t. */
static void
test_arena_overflow(void **state)
{
	struct mem_arena a;
	long live = mem_live();

	(void)state;
	mem_arena_init(&a);
	assert_null(mem_arena_alloc(&a, SIZE_MAX));
	assert_null(mem_arena_alloc(&a, SIZE_MAX - 7));
	assert_null(mem_arena_alloc(&a, SIZE_MAX / 2 + 2));
	assert_int_equal(mem_live(), live);
	assert_non_null(mem_arena_alloc(&a, 8));
	mem_arena_free(&a);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counting),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_fail_after_zero),
		cmocka_unit_test(test_fail_after_n),
		cmocka_unit_test(test_realloc_failure_keeps_block),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_calloc_zeroes),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_arena_many_small),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_big),
		cmocka_unit_test(test_arena_strndup),
		cmocka_unit_test(test_arena_reset_reuses),
		cmocka_unit_test(test_arena_oom),
		cmocka_unit_test(test_arena_overflow),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
