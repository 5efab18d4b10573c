/* test_addr.c - address normalising and the longest-prefix address table */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "mem.h"
#include "str.h"

struct example {
	const char *in, *out;
};

/* Every rule, positive and negative; addr.h's table of examples first. */
static const struct example examples[] = {
	/* the header's table */
	{ "湘潭市 岳塘区　书院路街道", "湘潭市岳塘区书院路街道" },
	{ "建设路１８号３幢２单元５０１室", "建设路18号3栋2单元501" },
	{ "建设路十八号三号楼二单元五〇一室", "建设路18号3栋2单元501" },
	{ "建设路18#楼，2单元、501户", "建设路18栋2单元501" },
	{ "建设路一百零五号", "建设路105号" },
	{ "建设路二十号b座", "建设路20号B栋" },
	{ "五一路十号", "五一路10号" },
	{ "十里铺村三组", "十里铺村3组" },
	{ "九华小区7栋3－2－501", "九华小区7栋3-2-501" },
	{ "和平路（东段）12号", "和平路(东段)12号" },
	{ "和平路5楼", "和平路5楼" },
	{ "一百五号", "一百五号" },
	/* empty, and nothing left */
	{ "", "" },
	{ " \t\r\n　，、。", "" },
	/* full-width ASCII */
	{ "ＡＢＣ１２３", "ABC123" },
	{ "ａｂｃ路", "ABC路" },
	{ "～／：；（）［］", "~/:;()[]" },
	{ "！＂＄％＆＇＊＋＜＝＞？＠＼＾＿｀｛｜｝",
	    "!\"$%&'*+<=>?@\\^_`{|}" },
	/* whitespace, controls, invisible characters */
	{ " 建 设\t路\v\f\r\n", "建设路" },
	{ "建\xc2\xa0设\xe2\x80\x83路\xe2\x80\x8b\xef\xbb\xbf", "建设路" },
	{ "\xef\xbb\xbf建设路\xe3\x80\x80１号", "建设路1号" },
	{ "a\x01" "b\x7f" "c\xc2\x85", "ABC" },
	{ "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\x9f\xe1\x9a\x80x", "X" },
	/* separators removed, the rest kept */
	{ "建设路，18号、3栋。", "建设路18号3栋" },
	{ "a,b.c．d·e・f･g｡h､i", "ABCDEFGHI" },
	{ "(a)[b]{c}-/:;'\"", "(A)[B]{C}-/:;'\"" },
	{ "【一】〔二〕", "【一】〔二〕" },
	/* dashes */
	{ "3－2–501—1‐2‑3﹣4−5‒6―7﹘8", "3-2-501-1-2-3-4-5-6-7-8" },
	{ "3-2-501", "3-2-501" },
	{ "3－2－501室", "3-2-501" },
	/* upper case */
	{ "abcxyz", "ABCXYZ" },
	{ "b座", "B栋" },
	/* '#' after a digit */
	{ "3#楼", "3栋" },
	{ "12#", "12号" },
	{ "３＃", "3号" },
	{ "3 #", "3号" },
	{ "#3", "#3" },
	{ "A#", "A#" },
	{ "三#", "三#" },
	{ "3##", "3号#" },
	/* numerals before each unit word */
	{ "十号", "10号" },
	{ "十二号", "12号" },
	{ "二十号", "20号" },
	{ "二十三号", "23号" },
	{ "一百零五号", "105号" },
	{ "一百二十号", "120号" },
	{ "一千号", "1000号" },
	{ "一千一百号", "1100号" },
	{ "一千零一十号", "1010号" },
	{ "一千零五号", "1005号" },
	{ "九千九百九十九号", "9999号" },
	{ "两百号", "200号" },
	{ "两号", "2号" },
	{ "三〇一号", "301号" },
	{ "三零一号", "301号" },
	{ "一二号", "12号" },
	{ "零三号", "03号" },
	{ "三栋", "3栋" },
	{ "三幢", "3栋" },
	{ "三座", "3栋" },
	{ "二单元", "2单元" },
	{ "五楼", "5楼" },
	{ "五层", "5层" },
	{ "五〇一室", "501" },
	{ "五〇一户", "501" },
	{ "二十弄", "20弄" },
	{ "九巷", "9巷" },
	{ "三组", "3组" },
	{ "十二 号", "12号" },
	{ "十二，号", "12号" },
	/* numerals left alone */
	{ "十里铺", "十里铺" },
	{ "五一路", "五一路" },
	{ "九华", "九华" },
	{ "三门", "三门" },
	{ "二单", "二单" },
	{ "百号", "百号" },
	{ "千号", "千号" },
	{ "二三十号", "二三十号" },
	{ "一百十号", "一百十号" },
	{ "一百零号", "一百零号" },
	{ "零一十号", "零一十号" },
	{ "十十号", "十十号" },
	{ "十百号", "十百号" },
	{ "一十零五号", "一十零五号" },
	{ "一千零五百号", "一千零五百号" },
	{ "一百零零五号", "一百零零五号" },
	{ "二零十号", "二零十号" },
	{ "1三号", "1三号" },
	{ "壹号", "壹号" },
	{ "陆巷", "陆巷" },
	{ "五一", "五一" },
	/* unit words */
	{ "3幢", "3栋" },
	{ "B座", "B栋" },
	{ "3号楼", "3栋" },
	{ "3号栋", "3栋" },
	{ "3号幢", "3栋" },
	{ "3号座", "3栋" },
	{ "A号楼", "A栋" },
	{ "5楼", "5楼" },
	{ "2单元", "2单元" },
	{ "501室", "501" },
	{ "501户", "501" },
	{ "3室1厅", "3室1厅" },
	{ "住户", "住户" },
	{ "A室", "A室" },
	{ "501室东", "501室东" },
	{ "5室室", "5室室" },
	{ "中心座", "中心座" },
	{ "号楼", "号楼" },
	{ "3号号楼", "3号号楼" },
	{ "3幢楼", "3栋楼" },
	{ "十号室", "10号室" },
	/* all at once */
	{ "湘潭市 岳塘区　书院路街道桃花社区建设路十八号三号楼二单元五〇一室",
	    "湘潭市岳塘区书院路街道桃花社区建设路18号3栋2单元501" },
	{ "湖南省湘潭市雨湖区　韶山西路１２３号（ｂ座）１５０２",
	    "湖南省湘潭市雨湖区韶山西路123号(B栋)1502" },
	{ "𠀀路3号", "𠀀路3号" },
};

#define NEX (sizeof examples / sizeof examples[0])

static void
norm_is(const char *in, size_t n, const char *want)
{
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct err e;

	err_clear(&e);
	if (addr_norm(in, n, &out, &e) != 0)
		fail_msg("addr_norm failed: %s", e.msg);
	assert_non_null(out.p);
	assert_int_equal(out.len, strlen(want));
	assert_string_equal(out.p, want);
	assert_true(str_utf8_valid(out.p, out.len));
	/* idempotent */
	assert_int_equal(addr_norm(out.p, out.len, &again, &e), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.p, out.p, out.len);
	buf_free(&out);
	buf_free(&again);
}

static void
test_examples(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NEX; i++) {
		norm_is(examples[i].in, strlen(examples[i].in),
		    examples[i].out);
		norm_is(examples[i].out, strlen(examples[i].out),
		    examples[i].out);
	}
	norm_is("a\0b", 3, "AB");	/* a NUL byte is a control character */
	norm_is(NULL, 0, "");
}

/* Over 170 bytes (the heap path), and a buffer reused. */
static void
test_long(void **state)
{
	struct buf in = BUF_INIT, want = BUF_INIT, out = BUF_INIT;
	struct err e;
	int i;

	(void)state;
	for (i = 0; i < 300; i++) {
		assert_int_equal(buf_adds(&in, "十号 "), 0);
		assert_int_equal(buf_adds(&want, "10号"), 0);
	}
	norm_is(in.p, in.len, want.p);
	assert_int_equal(buf_adds(&out, "old content"), 0);
	assert_int_equal(addr_norm("ａ", 3, &out, &e), 0);
	assert_string_equal(out.p, "A");
	assert_int_equal(out.len, 1);
	buf_free(&in);
	buf_free(&want);
	buf_free(&out);
}

static void
test_not_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "建设路\xe5\xbb", "\xc0\x80", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "a\x80", "建设路18号\xe5",
	};
	struct buf out = BUF_INIT;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(buf_adds(&out, "x"), 0);
		err_clear(&e);
		assert_int_equal(addr_norm(bad[i], strlen(bad[i]), &out, &e),
		    ERR_DATA);
		assert_int_equal(e.code, ERR_DATA);
		assert_string_equal(e.msg, "not UTF-8");
		assert_int_equal(out.len, 0);
		assert_string_equal(out.p, "");
	}
	buf_free(&out);
}

static void
test_norm_oom(void **state)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	struct err e;
	long n, live;
	int i, rc;

	(void)state;
	for (i = 0; i < 100; i++)
		assert_int_equal(buf_adds(&in, "建设路十八号三幢"), 0);
	live = mem_live();
	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = addr_norm(in.p, in.len, &out, &e);
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			assert_int_equal(out.len, 0);
		}
		buf_free(&out);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
	}
	assert_true(n >= 2);
	buf_free(&in);
}

#define PRE "湘潭市岳塘区书院路街道桃花社区"

static void
match_is(const struct addr_table *t, const char *q, const char *want,
    const char *wantkey)
{
	struct buf scratch = BUF_INIT;
	struct err e;
	const char *val = "junk";
	size_t vlen = 99, matched = 99;
	int rc;

	err_clear(&e);
	rc = addr_table_match(t, q, strlen(q), &scratch, &val, &vlen,
	    &matched, &e);
	if (want == NULL) {
		assert_int_equal(rc, 0);
		assert_null(val);
		assert_int_equal(vlen, 0);
		assert_int_equal(matched, 0);
	} else {
		assert_int_equal(rc, 1);
		assert_string_equal(val, want);
		assert_int_equal(vlen, strlen(want));
		assert_int_equal(matched, strlen(wantkey));
		assert_memory_equal(scratch.p, wantkey, matched);
	}
	buf_free(&scratch);
}

static void
test_table_match(void **state)
{
	struct addr_table t;
	struct err e;

	(void)state;
	addr_table_init(&t);
	match_is(&t, PRE "建设路18号", NULL, NULL);	/* empty table */
	assert_int_equal(addr_table_add(&t, PRE "建设路18号", strlen(PRE
	    "建设路18号"), "A", 1, &e), 0);
	assert_int_equal(addr_table_add(&t, PRE "建设路", strlen(PRE "建设路"),
	    "B", 1, &e), 0);
	assert_int_equal(addr_table_add(&t, "九华小区3栋501室",
	    strlen("九华小区3栋501室"), "C", 1, &e), 0);
	assert_int_equal(addr_table_add(&t, "和平路1", strlen("和平路1"), "D",
	    1, &e), 0);
	assert_int_equal(addr_table_add(&t, "和平路１８号（东）", strlen(
	    "和平路１８号（东）"), "E", 1, &e), 0);
	assert_int_equal(addr_table_count(&t), 5);
	assert_int_equal(addr_table_repeats(&t), 0);

	/* the brief's example */
	match_is(&t, PRE "建设路十八号3栋", "A", PRE "建设路18号");
	match_is(&t, PRE " 建设路 １８号 三号楼 ５０１室", "A",
	    PRE "建设路18号");
	match_is(&t, PRE "建设路18号", "A", PRE "建设路18号");
	match_is(&t, PRE "建设路20号", "B", PRE "建设路");
	match_is(&t, PRE "建设路二十号", "B", PRE "建设路");
	match_is(&t, PRE "建设路18", "B", PRE "建设路");
	match_is(&t, PRE "建设路口5号", "B", PRE "建设路");	/* any char */
	/* no match */
	match_is(&t, PRE "建设", NULL, NULL);
	match_is(&t, PRE, NULL, NULL);
	match_is(&t, "岳塘区建设路18号", NULL, NULL);
	match_is(&t, "", NULL, NULL);
	match_is(&t, "，　", NULL, NULL);
	/* not between two ASCII letters or digits */
	match_is(&t, "九华小区3栋501室", "C", "九华小区3栋501");
	match_is(&t, "九华小区3栋501", "C", "九华小区3栋501");
	match_is(&t, "九华小区3栋501-1", "C", "九华小区3栋501");
	match_is(&t, "九华小区3栋5012", NULL, NULL);
	match_is(&t, "九华小区3栋501A", NULL, NULL);
	match_is(&t, "和平路18号", NULL, NULL);
	match_is(&t, "和平路1号", "D", "和平路1");
	match_is(&t, "和平路1", "D", "和平路1");
	match_is(&t, "和平路18号(东)2栋", "E", "和平路18号(东)");
	addr_table_free(&t);
}

static void
test_table_errors(void **state)
{
	struct addr_table t;
	struct buf scratch = BUF_INIT;
	struct err e;
	const char *val;
	size_t vlen, matched;

	(void)state;
	addr_table_init(&t);
	assert_int_equal(addr_table_add(&t, "建设路18号", strlen("建设路18号"),
	    "430302001", 9, &e), 0);
	/* the same place, written otherwise, same value: counted */
	assert_int_equal(addr_table_add(&t, "建设路十八号",
	    strlen("建设路十八号"), "430302001", 9, &e), 0);
	assert_int_equal(addr_table_add(&t, "建设路 １８ 号",
	    strlen("建设路 １８ 号"), "430302001", 9, &e), 0);
	assert_int_equal(addr_table_repeats(&t), 2);
	assert_int_equal(addr_table_count(&t), 1);
	/* another value: refused, the table unchanged */
	err_clear(&e);
	assert_int_equal(addr_table_add(&t, "建设路十八号",
	    strlen("建设路十八号"), "430302002", 9, &e), ERR_DATA);
	assert_string_equal(e.msg,
	    "address listed twice with different values");
	assert_int_equal(addr_table_add(&t, "建设路18号", strlen("建设路18号"),
	    "4303020011", 10, &e), ERR_DATA);
	assert_int_equal(addr_table_add(&t, "建设路18号", strlen("建设路18号"),
	    "", 0, &e), ERR_DATA);
	assert_int_equal(addr_table_count(&t), 1);
	assert_int_equal(addr_table_repeats(&t), 2);
	assert_int_equal(addr_table_match(&t, "建设路18号", strlen(
	    "建设路18号"), &scratch, &val, &vlen, &matched, &e), 1);
	assert_string_equal(val, "430302001");
	/* bad addresses */
	err_clear(&e);
	assert_int_equal(addr_table_add(&t, "建设路\xff", 10, "1", 1, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "not UTF-8");
	err_clear(&e);
	assert_int_equal(addr_table_add(&t, " ，　", strlen(" ，　"), "1", 1,
	    &e), ERR_DATA);
	assert_string_equal(e.msg, "address is empty");
	assert_int_equal(addr_table_add(&t, NULL, 0, "1", 1, &e), ERR_DATA);
	assert_int_equal(addr_table_count(&t), 1);
	/* a bad query */
	err_clear(&e);
	val = "junk";
	assert_int_equal(addr_table_match(&t, "建设路\xe5", 10, &scratch, &val,
	    NULL, NULL, &e), -ERR_DATA);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.msg, "not UTF-8");
	assert_null(val);
	buf_free(&scratch);
	addr_table_free(&t);
}

static void
test_table_oom(void **state)
{
	struct addr_table t;
	struct buf scratch = BUF_INIT;
	struct err e;
	const char *val;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0;; n++) {
		addr_table_init(&t);
		mem_fail_after(n);
		err_clear(&e);
		rc = addr_table_add(&t, PRE "建设路十八号", strlen(PRE
		    "建设路十八号"), "A", 1, &e);
		if (rc == 0)
			rc = addr_table_add(&t, PRE "建设路", strlen(PRE
			    "建设路"), "B", 1, &e);
		if (rc == 0) {
			rc = addr_table_match(&t, PRE "建设路二十号三幢", strlen(
			    PRE "建设路二十号三幢"), &scratch, &val, NULL, NULL,
			    &e);
			rc = rc == 1 ? 0 : -rc;
		}
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
		} else
			assert_string_equal(val, "B");
		addr_table_free(&t);
		buf_free(&scratch);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
	}
	assert_true(n >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_norm_oom),
		cmocka_unit_test(test_table_match),
		cmocka_unit_test(test_table_errors),
		cmocka_unit_test(test_table_oom),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
