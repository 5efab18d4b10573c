/* test_buf.c - unit tests for lib/buf.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "mem.h"

static void
test_add(void **state)
{
	struct buf b = BUF_INIT;
	long live = mem_live();

	(void)state;
	assert_int_equal(buf_add(&b, "abc", 3), 0);
	assert_int_equal(b.len, 3);
	assert_true(b.cap >= 4);
	assert_string_equal(b.p, "abc");
	assert_int_equal(buf_addc(&b, 'd'), 0);
	assert_int_equal(buf_adds(&b, "ef"), 0);
	assert_int_equal(buf_adds(&b, ""), 0);
	assert_int_equal(buf_add(&b, NULL, 0), 0);
	assert_string_equal(b.p, "abcdef");
	assert_int_equal(b.len, 6);
	/* bytes are kept as they are, NUL and high bytes included */
	assert_int_equal(buf_add(&b, "x\0y", 3), 0);
	assert_int_equal(buf_addc(&b, 0xff), 0);
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.p, "abcdefx\0y\xff", 11);
	buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_free(&b);			/* twice is fine */
	assert_int_equal(mem_live(), live);
}

static void
test_empty_add_terminates(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	/* once anything was added (even nothing), p is a C string */
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	buf_free(&b);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_printf(void **state)
{
	struct buf b = BUF_INIT;
	char big[5000];

	(void)state;
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.p, "42-x");
	assert_int_equal(buf_printf(&b, "%c%05.1f", '/', 2.25), 0);
	assert_string_equal(b.p, "42-x/002.2");
	assert_int_equal(b.len, strlen(b.p));
	/* output longer than the room left */
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 10 + 2 + sizeof big - 1);
	assert_int_equal(b.p[b.len], '\0');
	assert_int_equal(b.p[10], '[');
	assert_int_equal(b.p[b.len - 1], ']');
	assert_int_equal(b.p[11 + 4998], 'z');
	buf_free(&b);
}

/* Growth: every length from 0 to a few thousand, added in pieces. */
static void
test_growth(void **state)
{
	struct buf b = BUF_INIT;
	char src[3000];
	size_t i, n, total = 0;

	(void)state;
	for (i = 0; i < sizeof src; i++)
		src[i] = (char)('a' + i % 26);
	for (n = 0; n < sizeof src; n += 7) {
		assert_int_equal(buf_add(&b, src, n), 0);
		total += n;
		assert_int_equal(b.len, total);
		assert_true(b.cap > b.len);
		assert_int_equal(b.p[b.len], '\0');
		assert_memory_equal(b.p + total - n, src, n);
	}
	/* spot-check earlier pieces survived the reallocations */
	assert_memory_equal(b.p + 7, src, 14);
	buf_free(&b);

	/* one byte at a time across many doublings */
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_addc(&b, 'a' + (int)(i % 26)), 0);
	assert_int_equal(b.len, 100000);
	for (i = 0; i < 100000; i += 999)
		assert_int_equal(b.p[i], 'a' + (int)(i % 26));
	assert_int_equal(b.p[100000], '\0');
	buf_free(&b);
}

static void
test_grow(void **state)
{
	struct buf b = BUF_INIT;
	char *p;

	(void)state;
	assert_int_equal(buf_grow(&b, 1000), 0);
	assert_true(b.cap >= 1001);
	assert_int_equal(b.len, 0);
	p = b.p;
	/* room already there: no reallocation */
	assert_int_equal(buf_add(&b, "0123456789", 10), 0);
	assert_ptr_equal(b.p, p);
	assert_int_equal(buf_grow(&b, 500), 0);
	assert_ptr_equal(b.p, p);
	/* impossible sizes fail without touching the buffer */
	assert_int_equal(buf_grow(&b, SIZE_MAX), -1);
	assert_int_equal(buf_grow(&b, SIZE_MAX - 10), -1);
	assert_int_equal(buf_grow(&b, SIZE_MAX - 100), -1);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.p, "0123456789");
	buf_free(&b);
}

static void
test_reset(void **state)
{
	struct buf b = BUF_INIT;
	size_t cap;
	char *p;

	(void)state;
	buf_reset(&b);			/* empty buffer */
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_adds(&b, "hello"), 0);
	p = b.p;
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	assert_ptr_equal(b.p, p);	/* keeps its memory */
	assert_int_equal(b.cap, cap);
	assert_int_equal(buf_adds(&b, "hi"), 0);
	assert_string_equal(b.p, "hi");
	buf_free(&b);
}

static void
test_detach(void **state)
{
	struct buf b = BUF_INIT;
	long live = mem_live();
	char *p;

	(void)state;
	assert_null(buf_detach(&b));
	assert_int_equal(buf_adds(&b, "owned"), 0);
	p = buf_detach(&b);
	assert_string_equal(p, "owned");
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* the buffer is usable again and independent of p */
	assert_int_equal(buf_adds(&b, "next"), 0);
	assert_string_equal(p, "owned");
	mem_free(p);
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

/* Out of memory: -1, and the buffer is unchanged and still valid. */
static void
test_oom_unchanged(void **state)
{
	struct buf b = BUF_INIT;
	long live = mem_live();
	char big[200];
	char *p;
	size_t len, cap;

	(void)state;
	mem_fail_after(0);
	assert_int_equal(buf_adds(&b, "x"), -1);
	assert_int_equal(buf_addc(&b, 'x'), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_int_equal(buf_grow(&b, 1), -1);
	mem_fail_after(-1);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(mem_live(), live);

	assert_int_equal(buf_adds(&b, "abc"), 0);
	p = b.p;
	len = b.len;
	cap = b.cap;
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	mem_fail_after(0);
	assert_int_equal(buf_adds(&b, big), -1);
	assert_int_equal(buf_add(&b, big, sizeof big), -1);
	assert_int_equal(buf_printf(&b, "%s", big), -1);
	mem_fail_after(-1);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.len, len);
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.p, "abc");
	/* what fits still goes in without an allocation */
	mem_fail_after(0);
	assert_int_equal(buf_adds(&b, "de"), 0);
	assert_int_equal(buf_printf(&b, "%d", 7), 0);
	mem_fail_after(-1);
	assert_string_equal(b.p, "abcde7");
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

/* The OOM loop of the project: fail the n-th allocation of a sequence. */
static int
build(struct buf *b)
{
	int i;

	for (i = 0; i < 50; i++)
		if (buf_printf(b, "line %d: %s\n", i, "some text to grow it") < 0)
			return -1;
	return 0;
}

static void
test_oom_loop(void **state)
{
	struct buf b = BUF_INIT;
	long live = mem_live(), count;
	long n;
	int rc;

	(void)state;
	for (n = 0; n < 1000; n++) {
		count = mem_count();
		mem_fail_after(n);
		rc = build(&b);
		mem_fail_after(-1);
		if (rc != 0) {
			/* what is there is whole lines, NUL-terminated */
			if (b.p != NULL) {
				assert_int_equal(b.p[b.len], '\0');
				assert_int_equal(strlen(b.p), b.len);
				assert_true(b.len == 0 || b.p[b.len - 1] == '\n');
			}
		}
		buf_free(&b);
		assert_int_equal(mem_live(), live);
		if (rc == 0 && mem_count() - count < n)
			break;
	}
	assert_true(n < 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_empty_add_terminates),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_oom_unchanged),
		cmocka_unit_test(test_oom_loop),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
