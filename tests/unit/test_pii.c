/* test_pii.c - unit tests for lib/pii.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "mem.h"
#include "pii.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/*
 * No window of 4 or more bytes of the input may appear in the message or
 * the field: a value must never reach a diagnostic, not even in part.
 */
static void
assert_no_leak(const char *in, size_t n, const struct err *e)
{
	size_t i;
	char w[5];

	for (i = 0; i + 4 <= n; i++) {
		memcpy(w, in + i, 4);
		w[4] = '\0';
		if (memchr(w, '\0', 4) != NULL)
			continue;
		if (strstr(e->msg, w) != NULL || strstr(e->field, w) != NULL)
			fail_msg("input bytes '%s' leaked into '%s'", w,
			    e->msg);
	}
}

/* Citizen ID */

static void
id_ok(const char *in, const char *want)
{
	char out[PII_ID_LEN + 1], again[PII_ID_LEN + 1];
	struct err e;

	err_clear(&e);
	assert_int_equal(pii_id_normalise(in, strlen(in), out, &e), 0);
	assert_string_equal(out, want);
	assert_int_equal(e.code, ERR_OK);
	/* Canonical output reads back as itself. */
	assert_int_equal(pii_id_normalise(out, strlen(out), again, &e), 0);
	assert_string_equal(again, out);
}

static void
id_bad(const char *in, size_t n, const char *msg)
{
	char out[PII_ID_LEN + 1];
	struct err e;

	err_clear(&e);
	memcpy(out, "garbage", 8);
	assert_int_equal(pii_id_normalise(in, n, out, &e), ERR_DATA);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.msg, msg);
	assert_string_equal(out, "");
	assert_string_equal(e.field, "");
	assert_no_leak(in, n, &e);
}

static void
test_id_valid(void **state)
{
	(void)state;
	id_ok("11010519491231002X", "11010519491231002X");
	id_ok("11010519491231002x", "11010519491231002X");
	id_ok("  11010519491231002x\t", "11010519491231002X");
	id_ok("440304199912310090", "440304199912310090");
	/* Leap days: 2000 is leap, 1900 is not. */
	id_ok("110105200002291235", "110105200002291235");
	/* Year bounds 1900 and 2099. */
	id_ok("11010519000101001X", "11010519000101001X");
	id_ok("110105209912310010", "110105209912310010");
	/* Old 15-digit number: "19" inserted, check character appended. */
	id_ok("110105491231002", "11010519491231002X");
	id_ok(" 110105491231002 ", "11010519491231002X");
}

static void
test_id_invalid(void **state)
{
	(void)state;
	/* Lengths. */
	id_bad(S(""), "wrong length");
	id_bad(S("   "), "wrong length");
	id_bad(S("11010519491231002"), "wrong length");
	id_bad(S("11010519491231002XX"), "wrong length");
	id_bad(S("1101051949123100"), "wrong length");
	id_bad(S("110105 19491231002X"), "wrong length");
	/* Not digits. */
	id_bad(S("1101051949123100AX"), "not digits");
	id_bad(S("X1010519491231002X"), "not digits");
	id_bad(S("11010549123100X"), "not digits");
	id_bad(S("1101054912310\xe4\xb8"), "not digits");
	id_bad("11010519491231\0002X", 18, "not digits");
	/* Check character. */
	id_bad(S("110105194912310021"), "bad check character");
	id_bad(S("110105194912310020"), "bad check character");
	id_bad(S("11010519491231002Y"), "bad check character");
	id_bad("11010519491231002\0", 18, "bad check character");
	id_bad(S("44030419991231009X"), "bad check character");
	/* Birth dates. */
	id_bad(S("110105200002301235"), "impossible birth date");	/* Feb 30 */
	id_bad(S("110105190002291239"), "impossible birth date");	/* 1900 */
	id_bad(S("110105189912310010"), "impossible birth date");	/* 1899 */
	id_bad(S("110105210001010010"), "impossible birth date");	/* 2100 */
	id_bad(S("110105194913310021"), "impossible birth date");	/* month 13 */
	id_bad(S("110105194900310021"), "impossible birth date");	/* month 0 */
	id_bad(S("110105194912000021"), "impossible birth date");	/* day 0 */
	id_bad(S("110105194904310021"), "impossible birth date");	/* Apr 31 */
	id_bad(S("110105491331002"), "impossible birth date");		/* 15 digits */
	id_bad(S("110105000229002"), "impossible birth date");		/* 1900-02-29 */
	/* The date is checked before the check character. */
	id_bad(S("11010519491232002Y"), "impossible birth date");
}

static void
test_id_null_err(void **state)
{
	char out[PII_ID_LEN + 1];

	(void)state;
	assert_int_equal(pii_id_normalise(S("123"), out, NULL), ERR_DATA);
	assert_int_equal(pii_id_normalise(S("11010519491231002X"), out, NULL),
	    0);
}

/* Phones */

static void
phone_ok(const char *in, const char *want)
{
	char out[PII_PHONE_MAX], again[PII_PHONE_MAX];
	struct err e;

	err_clear(&e);
	if (pii_phone_normalise(in, strlen(in), out, sizeof out, &e) != 0)
		fail_msg("'%s': %s", in, e.msg);
	assert_string_equal(out, want);
	assert_int_equal(pii_phone_normalise(out, strlen(out), again,
	    sizeof again, &e), 0);
	assert_string_equal(again, out);
}

static void
phone_bad(const char *in, size_t n, const char *msg)
{
	char out[PII_PHONE_MAX];
	struct err e;

	err_clear(&e);
	memcpy(out, "garbage", 8);
	if (pii_phone_normalise(in, n, out, sizeof out, &e) != ERR_DATA)
		fail_msg("'%.*s' accepted as '%s'", (int)n, in, out);
	assert_int_equal(e.code, ERR_DATA);
	assert_string_equal(e.msg, msg);
	assert_string_equal(out, "");
	assert_no_leak(in, n, &e);
}

static void
test_phone_mobile(void **state)
{
	(void)state;
	phone_ok("13812345678", "13812345678");
	phone_ok("  13812345678 ", "13812345678");
	phone_ok("+86 138 1234 5678", "13812345678");
	phone_ok("+8613812345678", "13812345678");
	phone_ok("86-13812345678", "13812345678");
	phone_ok("8613812345678", "13812345678");
	phone_ok("0086 138-1234-5678", "13812345678");
	phone_ok("(+86) 199 0000 1111", "19900001111");
	phone_ok("138-1234-5678", "13812345678");
}

static void
test_phone_landline(void **state)
{
	(void)state;
	phone_ok("0731-58581234", "0731-58581234");
	phone_ok("073158581234", "0731-58581234");
	phone_ok("(0731) 5858 1234", "0731-58581234");
	phone_ok("0731 5858123", "0731-5858123");
	phone_ok("010-65529988", "010-65529988");
	phone_ok("01065529988", "010-65529988");
	phone_ok("010-6552-9988", "010-65529988");
	phone_ok("02087654321", "020-87654321");
	phone_ok("029-8765432", "029-8765432");
	/* The digits decide the area code, not the separators. */
	phone_ok("07315-8581234", "0731-58581234");
	/* Country code and the dropped trunk 0. */
	phone_ok("+86 10 6552 9988", "010-65529988");
	phone_ok("+86 (0)10 6552 9988", "010-65529988");
	phone_ok("0086 731 58581234", "0731-58581234");
	/* Extensions. */
	phone_ok("0731-58581234-801", "0731-58581234-801");
	phone_ok("0731-58581234\xe8\xbd\xac" "801", "0731-58581234-801");
	phone_ok("0731-58581234 \xe8\xbd\xac 801", "0731-58581234-801");
	phone_ok("010-6552-9988-12", "010-65529988-12");
	phone_ok("029-8765432-123456", "029-8765432-123456");
	phone_ok("0298765432\xe8\xbd\xac" "1", "029-8765432-1");
	phone_ok("029-8765432-1", "029-8765432-1");
	phone_ok("0731 5858123 4", "0731-5858123-4");
	phone_ok("0731 5858 1234 5", "0731-58581234-5");
	phone_ok("0731-58581234-", "0731-58581234");
	phone_ok("(0731)58581234", "0731-58581234");
	phone_ok("+86 10 6552 9988 \xe8\xbd\xac 801", "010-65529988-801");
}

static void
test_phone_invalid(void **state)
{
	char big[100];

	(void)state;
	phone_bad(S("12345"), "wrong length");
	phone_bad(S("1381234567"), "wrong length");
	phone_bad(S("138123456789"), "wrong length");
	phone_bad(S("86138123456789"), "not a phone number");
	phone_bad(S("12812345678"), "not a phone number");
	phone_bad(S("10012345678"), "not a phone number");
	phone_bad(S("139CANARY99"), "not a phone number");
	phone_bad(S("abc"), "not a phone number");
	phone_bad(S("tel 13812345678"), "not a phone number");
	phone_bad(S("138.1234.5678"), "not a phone number");
	phone_bad(S(""), "not a phone number");
	phone_bad(S("  - ( ) "), "not a phone number");
	phone_bad(S("+"), "not a phone number");
	phone_bad(S("+1 650 555 1234"), "not a phone number");
	phone_bad(S("138+12345678"), "not a phone number");
	phone_bad(S("++8613812345678"), "not a phone number");
	phone_bad("138\0" "12345678", 12, "not a phone number");
	phone_bad(S("\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98"), "not a phone number");
	/* Landline shapes. */
	phone_bad(S("58581234"), "not a phone number");		/* no area code */
	phone_bad(S("0131-2345678"), "not a phone number");	/* no such area */
	phone_bad(S("000-12345678"), "not a phone number");
	phone_bad(S("0731-18581234"), "not a phone number");	/* starts with 1 */
	phone_bad(S("0731-05858123"), "not a phone number");
	phone_bad(S("013812345678"), "not a phone number");	/* trunk 0 + mobile */
	phone_bad(S("0"), "wrong length");
	phone_bad(S("00"), "wrong length");
	phone_bad(S("0731-585812"), "wrong length");
	phone_bad(S("010-123456"), "wrong length");
	phone_bad(S("0731-585812345"), "wrong length");
	phone_bad(S("0731-5858123456789"), "wrong length");
	phone_bad(S("0731-58581234-1234567"), "wrong length");	/* ext too long */
	phone_bad(S("0731-585-81234567"), "wrong length");	/* no break at 7 or 8 */
	phone_bad(S("0731-58581234\xe8\xbd\xac"), "wrong length");
	phone_bad(S("0731-5858123\xe8\xbd\xac" "4567890"), "wrong length");
	phone_bad(S("0731-585812\xe8\xbd\xac" "34"), "wrong length");
	phone_bad(S("0731\xe8\xbd\xac" "58581234"), "wrong length");
	phone_bad(S("07\xe8\xbd\xac" "3158581234"), "not a phone number");
	phone_bad(S("\xe8\xbd\xac" "801"), "not a phone number");
	phone_bad(S("0731-58581234\xe8\xbd\xac" "1\xe8\xbd\xac" "2"),
	    "not a phone number");
	phone_bad(S("13812345678\xe8\xbd\xac" "12"), "not a phone number");
	phone_bad(S("\xe8\xbd"), "not a phone number");
	/* Country codes. */
	phone_bad(S("+86"), "wrong length");
	phone_bad(S("0086"), "wrong length");
	phone_bad(S("+86\xe8\xbd\xac" "12"), "not a phone number");
	phone_bad(S("+86 1381234567"), "not a phone number");
	phone_bad(S("+86 0"), "wrong length");
	/* Too long inputs. */
	phone_bad(S("1234567890123456789012345"), "wrong length");
	phone_bad(S("+86 123456789012345678901234"), "wrong length");
	memset(big, ' ', sizeof big);
	memcpy(big + 10, "13812345678", 11);
	big[sizeof big - 1] = '-';	/* trailing '-' keeps trim from helping */
	phone_bad(big, sizeof big, "wrong length");
}

static void
test_phone_outsz(void **state)
{
	char out[PII_PHONE_MAX];
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(pii_phone_normalise(S("13812345678"), out, 11, &e),
	    ERR_INTERNAL);
	assert_string_equal(out, "");
	assert_int_equal(pii_phone_normalise(S("13812345678"), out, 12, &e),
	    0);
	assert_string_equal(out, "13812345678");
	assert_int_equal(pii_phone_normalise(S("0731-58581234"), out, 13, &e),
	    ERR_INTERNAL);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_int_equal(pii_phone_normalise(S("0731-58581234"), out, 14, &e),
	    0);
	assert_string_equal(out, "0731-58581234");
	assert_int_equal(pii_phone_normalise(S("13812345678"), out, 0, NULL),
	    ERR_INTERNAL);
	/* The longest output fits PII_PHONE_MAX. */
	assert_int_equal(pii_phone_normalise(S("0731-58581234-123456"), out,
	    sizeof out, NULL), 0);
	assert_true(strlen(out) < PII_PHONE_MAX);
}

/* Masks */

static void
mask_ok(enum pii_kind kind, const char *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT;
	struct err e;

	err_clear(&e);
	assert_int_equal(buf_adds(&b, "<"), 0);
	if (pii_mask(kind, in, n, &b, &e) != 0)
		fail_msg("mask %d: %s", (int)kind, e.msg);
	assert_int_equal(buf_adds(&b, ">"), 0);
	assert_int_equal(b.len, strlen(want) + 2);
	assert_memory_equal(b.p + 1, want, strlen(want));
	buf_free(&b);
}

static void
mask_bad(enum pii_kind kind, const char *in, size_t n, int code,
    const char *msg)
{
	struct buf b = BUF_INIT;
	struct err e;

	err_clear(&e);
	assert_int_equal(buf_adds(&b, "keep"), 0);
	assert_int_equal(pii_mask(kind, in, n, &b, &e), code);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
	assert_string_equal(b.p, "keep");	/* untouched */
	assert_int_equal(b.len, 4);
	assert_no_leak(in, n, &e);
	buf_free(&b);
}

static void
test_mask(void **state)
{
	(void)state;
	mask_ok(PII_PHONE, S("13812341234"), "138****1234");
	mask_ok(PII_PHONE, S("+86 138 1234 5678"), "138****5678");
	mask_ok(PII_PHONE, S("0731-58581234"), "0731-******34");
	mask_ok(PII_PHONE, S("029 8765432"), "029-*****32");
	mask_ok(PII_PHONE, S("010-65529988-801"), "010-******88");
	mask_ok(PII_CITIZEN_ID, S("11010519491231002x"), "**************002X");
	mask_ok(PII_CITIZEN_ID, S("110105491231002"), "**************002X");
	mask_ok(PII_NAME, S("张三"), "张*");
	mask_ok(PII_NAME, S("张三丰"), "张*");
	mask_ok(PII_NAME, S(" 欧阳娜娜 "), "欧*");
	mask_ok(PII_NAME, S("张"), "*");
	mask_ok(PII_NAME, S("Li Lei"), "L*");
	mask_ok(PII_NAME, S("A"), "*");
	mask_ok(PII_NAME, S("\xf0\xa0\x80\x80\xe4\xba\x8c"), "\xf0\xa0\x80\x80*");
	mask_ok(PII_NAME, S("买买提·艾力"), "买*");
	/* A masked name masks to itself. */
	mask_ok(PII_NAME, S("张*"), "张*");
	mask_ok(PII_NAME, S("*"), "*");
	mask_ok(PII_TEXT, S("住在某小区 3 栋 2 单元"), "***");
	mask_ok(PII_TEXT, S("x"), "***");
	/* No value stays no value. */
	mask_ok(PII_NAME, S(""), "");
	mask_ok(PII_TEXT, S(" "), "");
	mask_ok(PII_PHONE, S(""), "");
	mask_ok(PII_CITIZEN_ID, S("\t"), "");
}

static void
test_mask_invalid(void **state)
{
	(void)state;
	mask_bad(PII_PHONE, S("12345"), ERR_DATA, "wrong length");
	mask_bad(PII_PHONE, S("139CANARY99"), ERR_DATA, "not a phone number");
	mask_bad(PII_CITIZEN_ID, S("110105194912310021"), ERR_DATA,
	    "bad check character");
	mask_bad(PII_CITIZEN_ID, S("1101051949"), ERR_DATA, "wrong length");
	mask_bad(PII_NAME, S("\xff\xfe"), ERR_DATA, "not valid utf-8");
	mask_bad(PII_NAME, S("\xe5\xbc"), ERR_DATA, "not valid utf-8");
	mask_bad(PII_NAME, S("张\n三"), ERR_DATA, "control character");
	mask_bad(PII_NAME, "\0abc", 4, ERR_DATA, "control character");
	mask_bad(PII_NAME, S("a\x7f"), ERR_DATA, "control character");
	mask_bad((enum pii_kind)99, S("x"), ERR_INTERNAL,
	    "unknown personal data kind 99");
}

static void
test_mask_oom(void **state)
{
	struct buf b = BUF_INIT;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0; ; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = pii_mask(PII_NAME, S("张三"), &b, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		assert_int_equal(b.len, 0);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 0);
	assert_string_equal(b.p, "张*");
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

/* Keys */

/* Write n bytes to a fresh temporary file with the given mode. */
static void
key_file(char *path, const void *p, size_t n, mode_t mode)
{
	int fd;

	strcpy(path, "/tmp/test_pii_XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
key_bad(const void *p, size_t n, mode_t mode, int code, const char *what)
{
	char path[32];
	struct pii_key *k = (struct pii_key *)&k;
	struct err e;
	long live = mem_live();

	key_file(path, p, n, mode);
	err_clear(&e);
	assert_int_equal(pii_key_load(&k, path, &e), code);
	assert_null(k);
	assert_int_equal(e.code, code);
	if (strstr(e.msg, what) == NULL)
		fail_msg("'%s' lacks '%s'", e.msg, what);
	assert_non_null(strstr(e.msg, path));
	assert_no_leak(p, n, &e);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static void
test_key_load(void **state)
{
	static const char raw[] = "0123456789abcdef0123456789abcdef";
	char path[32], expect[17];
	unsigned char mac[HASH_SHA256_LEN];
	struct pii_key *k, *k2;
	struct err e;
	long live = mem_live();
	size_t i;
	const char *id;

	(void)state;
	key_file(path, raw, strlen(raw), 0600);
	err_clear(&e);
	assert_int_equal(pii_key_load(&k, path, &e), 0);
	id = pii_key_id(k);
	assert_int_equal(strlen(id), 16);
	for (i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	/* The id is the start of HMAC-SHA256(key, "gridkit key id"). */
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, raw, strlen(raw),
	    "gridkit key id", 14, mac, NULL), 0);
	hash_hex(mac, 8, expect);
	assert_string_equal(id, expect);
	unlink(path);

	/* A final LF or CRLF is not part of the key: same id. */
	key_file(path, "0123456789abcdef0123456789abcdef\n", 33, 0400);
	assert_int_equal(pii_key_load(&k2, path, &e), 0);
	assert_string_equal(pii_key_id(k2), id);
	pii_key_free(k2);
	unlink(path);
	key_file(path, "0123456789abcdef0123456789abcdef\r\n", 34, 0600);
	assert_int_equal(pii_key_load(&k2, path, &e), 0);
	assert_string_equal(pii_key_id(k2), id);
	pii_key_free(k2);
	unlink(path);
	/* Only one newline goes. */
	key_file(path, "0123456789abcdef0123456789abcdef\n\n", 34, 0600);
	assert_int_equal(pii_key_load(&k2, path, &e), 0);
	assert_string_not_equal(pii_key_id(k2), id);
	pii_key_free(k2);
	unlink(path);

	pii_key_free(k);
	pii_key_free(NULL);
	assert_int_equal(mem_live(), live);
}

static void
test_key_sizes(void **state)
{
	char path[32], big[PII_KEY_MAX + 8];
	struct pii_key *k;

	(void)state;
	memset(big, 'k', sizeof big);
	/* 16 and 4096 bytes are fine, also with a final newline. */
	key_file(path, big, PII_KEY_MIN, 0600);
	assert_int_equal(pii_key_load(&k, path, NULL), 0);
	pii_key_free(k);
	unlink(path);
	key_file(path, big, PII_KEY_MAX, 0600);
	assert_int_equal(pii_key_load(&k, path, NULL), 0);
	pii_key_free(k);
	unlink(path);
	big[PII_KEY_MAX] = '\r';
	big[PII_KEY_MAX + 1] = '\n';
	key_file(path, big, PII_KEY_MAX + 2, 0600);
	assert_int_equal(pii_key_load(&k, path, NULL), 0);
	pii_key_free(k);
	unlink(path);
	big[PII_KEY_MAX] = big[PII_KEY_MAX + 1] = 'k';

	key_bad(big, PII_KEY_MIN - 1, 0600, ERR_USAGE, "is too short");
	key_bad("0123456789abcde\n", 16, 0600, ERR_USAGE, "is too short");
	key_bad("", 0, 0600, ERR_USAGE, "is empty");
	key_bad("\n", 1, 0600, ERR_USAGE, "is empty");
	key_bad("\r\n", 2, 0600, ERR_USAGE, "is empty");
	key_bad(big, PII_KEY_MAX + 1, 0600, ERR_USAGE, "is too long");
	big[PII_KEY_MAX + 1] = '\n';
	key_bad(big, PII_KEY_MAX + 2, 0600, ERR_USAGE, "is too long");
	key_bad(big, sizeof big, 0600, ERR_USAGE, "is too long");
}

static void
test_key_refused(void **state)
{
	static const char raw[] = "CANARYCANARYCANARYCANARY";
	char path[64];
	struct pii_key *k = (struct pii_key *)&k;
	struct err e;

	(void)state;
	key_bad(raw, strlen(raw), 0644, ERR_USAGE, "group or others");
	key_bad(raw, strlen(raw), 0640, ERR_USAGE, "group or others");
	key_bad(raw, strlen(raw), 0604, ERR_USAGE, "group or others");
	key_bad(raw, strlen(raw), 0601, ERR_USAGE, "group or others");
	key_bad(raw, strlen(raw), 0610, ERR_USAGE, "group or others");

	err_clear(&e);
	assert_int_equal(pii_key_load(&k, "/nonexistent/gridkit.key", &e),
	    ERR_NOINPUT);
	assert_null(k);
	assert_string_equal(e.msg, "cannot open key file "
	    "'/nonexistent/gridkit.key': No such file or directory");

	assert_int_equal(pii_key_load(&k, "/tmp", &e), ERR_USAGE);
	assert_null(k);
	assert_string_equal(e.msg, "key file '/tmp' is not a regular file");

	/* A FIFO is refused at once, not waited on. */
	snprintf(path, sizeof path, "/tmp/test_pii_fifo_%ld", (long)getpid());
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pii_key_load(&k, path, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "is not a regular file"));
	unlink(path);
}

static void
test_key_oom(void **state)
{
	static const char raw[] = "0123456789abcdef0123456789abcdef";
	char path[32];
	struct pii_key *k;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	key_file(path, raw, strlen(raw), 0600);
	for (n = 0; ; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = pii_key_load(&k, path, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		assert_null(k);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 0);
	pii_key_free(k);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

/* Pseudonyms */

static struct pii_key *
load(const char *raw)
{
	char path[32];
	struct pii_key *k;

	key_file(path, raw, strlen(raw), 0600);
	assert_int_equal(pii_key_load(&k, path, NULL), 0);
	unlink(path);
	return k;
}

static void
test_pseudonymise(void **state)
{
	static const char raw[] = "0123456789abcdef0123456789abcdef";
	char a[HASH_HEX_MAX], b[HASH_HEX_MAX], c[HASH_HEX_MAX];
	char id1[PII_ID_LEN + 1], id2[PII_ID_LEN + 1];
	unsigned char mac[HASH_SHA256_LEN];
	struct pii_key *k1, *k2;
	struct err e;
	size_t i;

	(void)state;
	k1 = load(raw);
	k2 = load("another key, 16 bytes or more");
	assert_string_not_equal(pii_key_id(k1), pii_key_id(k2));
	err_clear(&e);

	/* Deterministic, 64 lowercase hex. */
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SM3,
	    S("13812345678"), a, &e), 0);
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SM3,
	    S("13812345678"), b, &e), 0);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));

	/* Equals hash_hmac under the same key, for both algorithms. */
	assert_int_equal(hash_hmac(HASH_HMAC_SM3, raw, strlen(raw),
	    "13812345678", 11, mac, NULL), 0);
	hash_hex(mac, sizeof mac, c);
	assert_string_equal(a, c);
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SHA256,
	    S("13812345678"), b, &e), 0);
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, raw, strlen(raw),
	    "13812345678", 11, mac, NULL), 0);
	hash_hex(mac, sizeof mac, c);
	assert_string_equal(b, c);

	/* SM3 and SHA-256 differ; keys differ; values differ. */
	assert_string_not_equal(a, b);
	assert_int_equal(pii_pseudonymise(k2, HASH_HMAC_SM3,
	    S("13812345678"), b, &e), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SM3,
	    S("13812345679"), b, &e), 0);
	assert_string_not_equal(a, b);

	/* Normalised first: x and X give one pseudonym. */
	assert_int_equal(pii_id_normalise(S("11010519491231002x"), id1, &e), 0);
	assert_int_equal(pii_id_normalise(S("110105491231002"), id2, &e), 0);
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SM3, id1, strlen(id1),
	    a, &e), 0);
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SM3, id2, strlen(id2),
	    b, &e), 0);
	assert_string_equal(a, b);

	/* An empty value is a value too. */
	assert_int_equal(pii_pseudonymise(k1, HASH_HMAC_SHA256, "", 0, a, &e),
	    0);
	assert_int_equal(strlen(a), 64);

	/* A bad algorithm is a bug of the caller. */
	assert_int_equal(pii_pseudonymise(k1, (enum hash_alg)7,
	    S("13812345678"), a, &e), ERR_INTERNAL);
	assert_string_equal(a, "");
	assert_no_leak(S("13812345678"), &e);

	pii_key_free(k1);
	pii_key_free(k2);
}

/*
 * The pseudonym cache changes no result: many values, both algorithms,
 * sets overflowing and values used again, each pseudonym checked against
 * hash_hmac; values longer than the cache takes, and empty ones, too.
 */
static void
test_pseudonym_cache(void **state)
{
	static const char raw[] = "cache-test-key-0123456789";
	enum { NV = 12000, DRAWS = 150000 };
	static char vals[NV][64];
	static size_t lens[NV];
	static char ref[2][NV][HASH_HEX_MAX];
	unsigned char mac[HASH_SHA256_LEN];
	char got[HASH_HEX_MAX];
	struct pii_key *k;
	struct err e;
	uint64_t x = 12345;
	size_t i, j, v;
	int alg;

	(void)state;
	k = load(raw);
	for (v = 0; v < NV; v++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lens[v] = (size_t)(x >> 59) + (v % 9 == 0 ? 20 : 0);
		for (j = 0; j < lens[v]; j++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			vals[v][j] = (char)(x >> 56);
		}
		/* a few values differ only in their last byte */
		if (v > 0 && v % 50 == 0 && lens[v - 1] > 0) {
			lens[v] = lens[v - 1];
			memcpy(vals[v], vals[v - 1], lens[v]);
			vals[v][lens[v] - 1] ^= 1;
		}
		for (alg = 0; alg < 2; alg++) {
			assert_int_equal(hash_hmac((enum hash_alg)alg, raw,
			    strlen(raw), vals[v], lens[v], mac, NULL), 0);
			hash_hex(mac, sizeof mac, ref[alg][v]);
		}
	}
	for (i = 0; i < DRAWS; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* mostly a hot few hundred, as grid workers are */
		v = (size_t)(x >> 33) % (i % 4 ? 300 : NV);
		alg = (int)((x >> 20) & 1);
		err_clear(&e);
		assert_int_equal(pii_pseudonymise(k, (enum hash_alg)alg,
		    vals[v], lens[v], got, &e), 0);
		if (strcmp(got, ref[alg][v]) != 0)
			fail_msg("draw %zu: value %zu, algorithm %d", i, v, alg);
	}
	pii_key_free(k);
}

/*
 * Canary: every function, fed failing input that carries a marker, must
 * keep the marker (and any 4 bytes of the input) out of e->msg and
 * e->field, even when the caller has set a field name.
 */
static void
test_canary(void **state)
{
	static const char *const ids[] = {
		"11010519491231002Y-CANARY", "110105CANARY31002X",
		"CANARY", "11010519491231CANARY", "CANARY491231002",
	};
	static const char *const phones[] = {
		"139CANARY99", "+1CANARY", "CANARY", "0731-5858CANARY",
		("13800138000\xe8\xbd\xac" "CANARY"), "1390000CANARY",
		"CANARY13900001111CANARY13900001111CANARY13900001111CANARY",
	};
	static const char *const masks[][2] = {
		{ "i", "11010519491231002Y-CANARY" },
		{ "i", "110105CANARY31002X" },
		{ "p", "139CANARY99" },
		{ "p", "CANARY" },
		{ "n", "CANARY\xff" },
		{ "n", "CANARY\x01" },
	};
	char id[PII_ID_LEN + 1], ph[PII_PHONE_MAX], hex[HASH_HEX_MAX];
	char path[32];
	struct buf b = BUF_INIT;
	struct pii_key *k;
	struct err e;
	size_t i;
	enum pii_kind kind;

	(void)state;
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		err_clear(&e);
		err_at(&e, "in.csv", 7, "id_number");
		assert_int_equal(pii_id_normalise(ids[i], strlen(ids[i]), id,
		    &e), ERR_DATA);
		assert_null(strstr(e.msg, "CANARY"));
		assert_string_equal(e.field, "id_number");
		assert_no_leak(ids[i], strlen(ids[i]), &e);
	}
	for (i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		err_clear(&e);
		err_at(&e, "in.csv", 7, "phone");
		assert_int_equal(pii_phone_normalise(phones[i],
		    strlen(phones[i]), ph, sizeof ph, &e), ERR_DATA);
		assert_null(strstr(e.msg, "CANARY"));
		assert_string_equal(e.field, "phone");
		assert_no_leak(phones[i], strlen(phones[i]), &e);
	}
	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		kind = masks[i][0][0] == 'i' ? PII_CITIZEN_ID :
		    masks[i][0][0] == 'p' ? PII_PHONE : PII_NAME;
		err_clear(&e);
		assert_int_equal(pii_mask(kind, masks[i][1],
		    strlen(masks[i][1]), &b, &e), ERR_DATA);
		assert_null(strstr(e.msg, "CANARY"));
		assert_no_leak(masks[i][1], strlen(masks[i][1]), &e);
	}
	assert_int_equal(b.len, 0);
	buf_free(&b);

	/* Key bytes never reach a message. */
	key_file(path, "CANARY\n", 7, 0600);
	err_clear(&e);
	assert_int_equal(pii_key_load(&k, path, &e), ERR_USAGE);
	assert_null(strstr(e.msg, "CANARY"));
	unlink(path);
	key_file(path, "CANARY-CANARY-CANARY", 20, 0644);
	assert_int_equal(pii_key_load(&k, path, &e), ERR_USAGE);
	assert_null(strstr(e.msg, "CANARY"));
	unlink(path);

	/* Nor a pseudonymised value. */
	k = load("0123456789abcdef");
	err_clear(&e);
	assert_int_equal(pii_pseudonymise(k, (enum hash_alg)9,
	    S("CANARY13900001111"), hex, &e), ERR_INTERNAL);
	assert_null(strstr(e.msg, "CANARY"));
	pii_key_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_id_invalid),
		cmocka_unit_test(test_id_null_err),
		cmocka_unit_test(test_phone_mobile),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_invalid),
		cmocka_unit_test(test_phone_outsz),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_invalid),
		cmocka_unit_test(test_mask_oom),
		cmocka_unit_test(test_key_load),
		cmocka_unit_test(test_key_sizes),
		cmocka_unit_test(test_key_refused),
		cmocka_unit_test(test_key_oom),
		cmocka_unit_test(test_pseudonymise),
		cmocka_unit_test(test_pseudonym_cache),
		cmocka_unit_test(test_canary),
	};

	return cmocka_run_group_tests_name("pii", tests, NULL, NULL);
}
