/* test_hash.c - unit tests for lib/hash.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "mem.h"

#define SHA256_ABC \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_sha256_abc(void **state)
{
	struct hash_sha256 *h;
	struct err e;
	char hex[HASH_HEX_MAX];

	(void)state;
	err_clear(&e);
	assert_int_equal(hash_sha256_new(&h, &e), 0);
	hash_sha256_hex(h, hex);
	assert_string_equal(hex, SHA256_EMPTY);
	hash_sha256_update(h, "abc", 3);
	hash_sha256_hex(h, hex);
	assert_string_equal(hex, SHA256_ABC);
	hash_sha256_free(h);
	hash_sha256_free(NULL);
}

static void
test_sha256_streaming(void **state)
{
	static const char text[] = "The quick brown fox jumps over the lazy "
	    "dog, 小事不出网格、大事不出社区, and then some more bytes.";
	struct hash_sha256 *one, *parts;
	char a[HASH_HEX_MAX], b[HASH_HEX_MAX];
	size_t i, n = sizeof text - 1;

	(void)state;
	assert_int_equal(hash_sha256_new(&one, NULL), 0);
	assert_int_equal(hash_sha256_new(&parts, NULL), 0);
	hash_sha256_update(one, text, n);
	/* Pieces of 1, 2, 3, ... bytes, and zero-length updates between. */
	for (i = 0; i < n; ) {
		size_t k = i % 7 + 1;

		if (k > n - i)
			k = n - i;
		hash_sha256_update(parts, text + i, k);
		hash_sha256_update(parts, NULL, 0);
		i += k;
	}
	hash_sha256_hex(one, a);
	hash_sha256_hex(parts, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	hash_sha256_free(one);
	hash_sha256_free(parts);
}

static void
test_sha256_hex_keeps_context(void **state)
{
	struct hash_sha256 *h;
	char hex[HASH_HEX_MAX];

	(void)state;
	assert_int_equal(hash_sha256_new(&h, NULL), 0);
	hash_sha256_update(h, "a", 1);
	hash_sha256_hex(h, hex);
	assert_string_equal(hex, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c"
	    "4e72b9807785afee48bb");
	hash_sha256_hex(h, hex);	/* twice: same answer */
	assert_string_equal(hex, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c"
	    "4e72b9807785afee48bb");
	hash_sha256_update(h, "bc", 2);
	hash_sha256_hex(h, hex);
	assert_string_equal(hex, SHA256_ABC);
	hash_sha256_free(h);
}

static void
test_sha256_oom(void **state)
{
	struct hash_sha256 *h;
	struct err e;
	char hex[HASH_HEX_MAX];
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0; ; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = hash_sha256_new(&h, &e);
		mem_fail_after(-1);
		if (rc != 0) {
			assert_int_equal(rc, ERR_INTERNAL);
			assert_int_equal(e.code, ERR_INTERNAL);
			assert_string_equal(e.msg, "out of memory");
			assert_null(h);
			assert_int_equal(mem_live(), live);
			continue;
		}
		hash_sha256_update(h, "abc", 3);
		hash_sha256_hex(h, hex);
		assert_string_equal(hex, SHA256_ABC);
		hash_sha256_free(h);
		assert_int_equal(mem_live(), live);
		break;
	}
	assert_true(n > 0);
}

static void
test_hex(void **state)
{
	static const unsigned char b[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof b + 1];

	(void)state;
	hash_hex(b, sizeof b, out);
	assert_string_equal(out, "00017f80abff");
	hash_hex(b, 0, out);
	assert_string_equal(out, "");
}

static void
test_alg_parse(void **state)
{
	enum hash_alg alg = HASH_HMAC_SHA256;
	struct err e;

	(void)state;
	assert_int_equal(hash_alg_parse("hmac-sm3", &alg, NULL), 0);
	assert_int_equal(alg, HASH_HMAC_SM3);
	assert_int_equal(hash_alg_parse("hmac-sha256", &alg, NULL), 0);
	assert_int_equal(alg, HASH_HMAC_SHA256);

	err_clear(&e);
	alg = HASH_HMAC_SM3;
	assert_int_equal(hash_alg_parse("sha256", &alg, &e), ERR_USAGE);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(alg, HASH_HMAC_SM3);		/* untouched */
	assert_non_null(strstr(e.msg, "unknown hash algorithm 'sha256'"));
	assert_int_equal(hash_alg_parse("HMAC-SM3", &alg, &e), ERR_USAGE);
	assert_int_equal(hash_alg_parse("", &alg, &e), ERR_USAGE);
	assert_int_equal(hash_alg_parse("hmac-sm3 ", &alg, &e), ERR_USAGE);
	assert_int_equal(hash_alg_parse(NULL, &alg, &e), ERR_USAGE);
	assert_int_equal(hash_alg_parse("md5", &alg, NULL), ERR_USAGE);
}

static void
test_hmac_sha256_rfc4231(void **state)
{
	unsigned char key[20], out[HASH_SHA256_LEN];
	char hex[HASH_HEX_MAX];
	struct err e;

	(void)state;
	memset(key, 0x0b, sizeof key);
	err_clear(&e);
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, key, sizeof key,
	    "Hi There", 8, out, &e), 0);
	hash_hex(out, sizeof out, hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833d"
	    "a726e9376c2e32cff7");
	assert_int_equal(e.code, ERR_OK);
}

/*
 * HMAC-SM3 of RFC 4231 case 1's key and data, computed with
 *   printf 'Hi There' | openssl mac -digest SM3 \
 *     -macopt hexkey:0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b HMAC
 * (OpenSSL 3.0).  The same OpenSSL gives SM3("abc") =
 * 66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0, the
 * GB/T 32905 example, so SM3 itself is the standard one.
 */
static void
test_hmac_sm3(void **state)
{
	unsigned char key[20], out[HASH_SHA256_LEN], out2[HASH_SHA256_LEN];
	char hex[HASH_HEX_MAX];

	(void)state;
	memset(key, 0x0b, sizeof key);
	assert_int_equal(hash_hmac(HASH_HMAC_SM3, key, sizeof key,
	    "Hi There", 8, out, NULL), 0);
	hash_hex(out, sizeof out, hex);
	assert_string_equal(hex, "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc56"
	    "3b338ca964755cce70");
	/* Different algorithm, different MAC. */
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, key, sizeof key,
	    "Hi There", 8, out2, NULL), 0);
	assert_memory_not_equal(out, out2, sizeof out);
}

/*
 * Empty key and empty data are legal HMAC inputs.  Reference:
 *   printf abc | openssl mac -digest SHA256 -macopt hexkey: HMAC
 *   printf '' | openssl mac -digest SHA256 -macopt key:k HMAC
 */
static void
test_hmac_empty(void **state)
{
	unsigned char out[HASH_SHA256_LEN];
	char hex[HASH_HEX_MAX];

	(void)state;
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, NULL, 0, "abc", 3, out,
	    NULL), 0);
	hash_hex(out, sizeof out, hex);
	assert_string_equal(hex, "fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc"
	    "312ae7c5d091836351");
	assert_int_equal(hash_hmac(HASH_HMAC_SHA256, "k", 1, NULL, 0, out,
	    NULL), 0);
	hash_hex(out, sizeof out, hex);
	assert_string_equal(hex, "8bb990c40a7d61cb97597a942125025be50ac8beb74436"
	    "e3735b98893a7f6620");
}

static void
test_hmac_bad_alg(void **state)
{
	unsigned char out[HASH_SHA256_LEN];
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(hash_hmac((enum hash_alg)42, "k", 1, "x", 1, out, &e),
	    ERR_INTERNAL);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_non_null(strstr(e.msg, "unknown hash algorithm"));
}

static void
test_file(void **state)
{
	char path[] = "/tmp/test_hash_XXXXXX", hex[HASH_HEX_MAX];
	struct hash_sha256 *h;
	char expect[HASH_HEX_MAX];
	struct err e;
	size_t i, total = 0;
	unsigned char block[1000];
	long live = mem_live();
	FILE *f;
	int fd;

	(void)state;
	/* Empty file. */
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	err_clear(&e);
	assert_int_equal(hash_sha256_file(path, hex, &e), 0);
	assert_string_equal(hex, SHA256_EMPTY);

	/* "abc". */
	assert_non_null(f = fopen(path, "wb"));
	fputs("abc", f);
	fclose(f);
	assert_int_equal(hash_sha256_file(path, hex, &e), 0);
	assert_string_equal(hex, SHA256_ABC);

	/* More than one 64 KiB chunk, against the streaming digest. */
	assert_int_equal(hash_sha256_new(&h, NULL), 0);
	assert_non_null(f = fopen(path, "wb"));
	for (i = 0; total < 200000; i++) {
		memset(block, (int)(i & 0xff), sizeof block);
		block[0] = (unsigned char)(i >> 8);
		fwrite(block, 1, sizeof block, f);
		hash_sha256_update(h, block, sizeof block);
		total += sizeof block;
	}
	fclose(f);
	hash_sha256_hex(h, expect);
	hash_sha256_free(h);
	assert_int_equal(hash_sha256_file(path, hex, &e), 0);
	assert_string_equal(hex, expect);
	assert_int_equal(mem_live(), live);
	unlink(path);
}

static void
test_file_errors(void **state)
{
	char hex[HASH_HEX_MAX];
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	assert_int_equal(hash_sha256_file("/nonexistent/gridkit/x.csv", hex,
	    &e), ERR_NOINPUT);
	assert_int_equal(e.code, ERR_NOINPUT);
	assert_string_equal(e.msg, "cannot open '/nonexistent/gridkit/x.csv': "
	    "No such file or directory");
	assert_string_equal(hex, "");
	assert_int_equal(hash_sha256_file("/nonexistent", hex, NULL),
	    ERR_NOINPUT);

	/* A directory opens but cannot be read. */
	err_clear(&e);
	assert_int_equal(hash_sha256_file("/tmp", hex, &e), ERR_IO);
	assert_int_equal(e.code, ERR_IO);
	assert_non_null(strstr(e.msg, "cannot read '/tmp': "));
	assert_string_equal(hex, "");
	assert_int_equal(mem_live(), live);
}

static void
test_file_oom(void **state)
{
	char path[] = "/tmp/test_hash_XXXXXX", hex[HASH_HEX_MAX];
	struct err e;
	long n, live = mem_live();
	int fd, rc;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	for (n = 0; ; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = hash_sha256_file(path, hex, &e);
		mem_fail_after(-1);
		assert_int_equal(mem_live(), live);
		if (rc == 0) {
			assert_string_equal(hex, SHA256_ABC);
			break;
		}
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
	}
	assert_true(n > 0);
	unlink(path);
}

/* A keyed HMAC gives hash_hmac's bytes, for every length of key and data. */
static void
test_mac(void **state)
{
	unsigned char key[200], data[300], a[HASH_SHA256_LEN], b[HASH_SHA256_LEN];
	struct hash_mac *h;
	struct err e;
	char hex[HASH_HEX_MAX];
	size_t kl, n, i;
	int alg;

	(void)state;
	for (i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 13 + 1);
	for (alg = HASH_HMAC_SM3; alg <= HASH_HMAC_SHA256; alg++)
		for (kl = 0; kl <= sizeof key; kl += kl < 70 ? 1 : 65) {
			err_clear(&e);
			assert_int_equal(hash_mac_new(&h, (enum hash_alg)alg,
			    kl ? key : NULL, kl, &e), 0);
			for (n = 0; n <= sizeof data; n += n < 140 ? 1 : 80) {
				assert_int_equal(hash_mac_run(h, n ? data : NULL,
				    n, a, &e), 0);
				assert_int_equal(hash_hmac((enum hash_alg)alg,
				    kl ? key : NULL, kl, n ? data : NULL, n, b,
				    &e), 0);
				assert_memory_equal(a, b, sizeof a);
			}
			hash_mac_free(h);
		}

	/* the RFC 4231 case 1 and the SM3 reference of test_hmac_sm3 */
	memset(key, 0x0b, 20);
	assert_int_equal(hash_mac_new(&h, HASH_HMAC_SHA256, key, 20, &e), 0);
	assert_int_equal(hash_mac_run(h, "Hi There", 8, a, &e), 0);
	hash_hex(a, sizeof a, hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833d"
	    "a726e9376c2e32cff7");
	hash_mac_free(h);
	assert_int_equal(hash_mac_new(&h, HASH_HMAC_SM3, key, 20, &e), 0);
	assert_int_equal(hash_mac_run(h, "Hi There", 8, a, &e), 0);
	assert_int_equal(hash_mac_run(h, "Hi There", 8, b, &e), 0);
	assert_memory_equal(a, b, sizeof a);	/* h is not used up */
	hash_hex(a, sizeof a, hex);
	assert_string_equal(hex, "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc56"
	    "3b338ca964755cce70");
	hash_mac_free(h);
	hash_mac_free(NULL);

	/* an unknown algorithm */
	err_clear(&e);
	h = (struct hash_mac *)&e;
	assert_int_equal(hash_mac_new(&h, (enum hash_alg)42, "k", 1, &e),
	    ERR_INTERNAL);
	assert_null(h);
	assert_non_null(strstr(e.msg, "unknown hash algorithm"));
}

static void
test_mac_oom(void **state)
{
	struct hash_mac *h;
	struct err e;
	long n, live = mem_live();
	int rc;

	(void)state;
	for (n = 0;; n++) {
		err_clear(&e);
		mem_fail_after(n);
		rc = hash_mac_new(&h, HASH_HMAC_SM3, "key", 3, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		assert_null(h);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 0);
	hash_mac_free(h);
	assert_int_equal(mem_live(), live);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_streaming),
		cmocka_unit_test(test_sha256_hex_keeps_context),
		cmocka_unit_test(test_sha256_oom),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_alg_parse),
		cmocka_unit_test(test_hmac_sha256_rfc4231),
		cmocka_unit_test(test_hmac_sm3),
		cmocka_unit_test(test_hmac_empty),
		cmocka_unit_test(test_hmac_bad_alg),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_oom),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_mac_oom),
	};

	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
