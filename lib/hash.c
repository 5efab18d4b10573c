/* hash.c - SHA-256 of streams and keyed HMAC on OpenSSL EVP; see hash.h */
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "mem.h"

#define READ_CHUNK 65536

struct hash_sha256 {
	EVP_MD_CTX *ctx;
	int failed;		/* an OpenSSL call failed: the digest is "" */
};

int
hash_sha256_new(struct hash_sha256 **hp, struct err *e)
{
	struct hash_sha256 *h;

	*hp = NULL;
	if ((h = mem_alloc(sizeof *h)) == NULL)
		return err_nomem(e);
	h->failed = 0;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL) {
		mem_free(h);
		ERR_clear_error();
		return err_nomem(e);
	}
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		hash_sha256_free(h);
		ERR_clear_error();
		return err_set(e, ERR_INTERNAL, "cannot start sha256 digest");
	}
	*hp = h;
	return 0;
}

void
hash_sha256_update(struct hash_sha256 *h, const void *p, size_t n)
{
	if (h->failed || n == 0)
		return;
	if (EVP_DigestUpdate(h->ctx, p, n) != 1) {
		h->failed = 1;
		ERR_clear_error();
	}
}

void
hash_sha256_hex(const struct hash_sha256 *h, char hex[HASH_HEX_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *copy;
	int ok = 0;

	hex[0] = '\0';
	if (h->failed)
		return;
	if ((copy = EVP_MD_CTX_new()) != NULL) {
		ok = EVP_MD_CTX_copy_ex(copy, h->ctx) == 1 &&
		    EVP_DigestFinal_ex(copy, md, &len) == 1 &&
		    len == HASH_SHA256_LEN;
		EVP_MD_CTX_free(copy);
	}
	if (!ok) {
		ERR_clear_error();
		return;
	}
	hash_hex(md, len, hex);
}

void
hash_sha256_free(struct hash_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	mem_free(h);
}

int
hash_sha256_file(const char *path, char hex[HASH_HEX_MAX], struct err *e)
{
	struct hash_sha256 *h;
	unsigned char *chunk;
	ssize_t r;
	int fd, rc, saved;

	hex[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_errno(e, ERR_NOINPUT, errno, "cannot open '%s'",
		    path);
	if ((chunk = mem_alloc(READ_CHUNK)) == NULL) {
		close(fd);
		return err_nomem(e);
	}
	if ((rc = hash_sha256_new(&h, e)) != 0) {
		mem_free(chunk);
		close(fd);
		return rc;
	}
	for (;;) {
		r = read(fd, chunk, READ_CHUNK);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			rc = err_errno(e, ERR_IO, saved, "cannot read '%s'",
			    path);
			goto out;
		}
		hash_sha256_update(h, chunk, (size_t)r);
	}
	hash_sha256_hex(h, hex);
	if (hex[0] == '\0')
		rc = err_set(e, ERR_INTERNAL, "sha256 digest failed");
out:
	hash_sha256_free(h);
	mem_free(chunk);
	close(fd);
	return rc;
}

int
hash_alg_parse(const char *name, enum hash_alg *alg, struct err *e)
{
	if (name != NULL && strcmp(name, "hmac-sm3") == 0) {
		*alg = HASH_HMAC_SM3;
		return 0;
	}
	if (name != NULL && strcmp(name, "hmac-sha256") == 0) {
		*alg = HASH_HMAC_SHA256;
		return 0;
	}
	/* The name comes from a schema or an option, never from data. */
	return err_set(e, ERR_USAGE,
	    "unknown hash algorithm '%s' (use hmac-sm3 or hmac-sha256)",
	    name != NULL ? name : "");
}

struct hash_mac {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;	/* keyed; never updated itself, only copied */
	const char *what;
};

int
hash_mac_new(struct hash_mac **hp, enum hash_alg alg, const void *key,
    size_t keylen, struct err *e)
{
	static const unsigned char nokey;
	char sm3[] = "SM3", sha256[] = "SHA256";
	OSSL_PARAM params[2];
	struct hash_mac *h;

	*hp = NULL;
	switch (alg) {
	case HASH_HMAC_SM3:
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, sm3, 0);
		break;
	case HASH_HMAC_SHA256:
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, sha256, 0);
		break;
	default:
		return err_set(e, ERR_INTERNAL, "unknown hash algorithm %d",
		    (int)alg);
	}
	params[1] = OSSL_PARAM_construct_end();
	if (key == NULL || keylen == 0)
		key = &nokey;
	if ((h = mem_calloc(1, sizeof *h)) == NULL)
		return err_nomem(e);
	h->what = alg == HASH_HMAC_SM3 ? "hmac-sm3" : "hmac-sha256";
	if ((h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL) {
		hash_mac_free(h);
		ERR_clear_error();
		return err_set(e, ERR_INTERNAL, "hmac is not available in "
		    "openssl");
	}
	if ((h->ctx = EVP_MAC_CTX_new(h->mac)) == NULL ||
	    EVP_MAC_init(h->ctx, key, keylen, params) != 1) {
		hash_mac_free(h);
		ERR_clear_error();
		return err_set(e, ERR_INTERNAL, "%s failed in openssl",
		    alg == HASH_HMAC_SM3 ? "hmac-sm3" : "hmac-sha256");
	}
	*hp = h;
	return 0;
}

int
hash_mac_run(const struct hash_mac *h, const void *data, size_t n,
    unsigned char out[HASH_SHA256_LEN], struct err *e)
{
	static const unsigned char nodata;
	EVP_MAC_CTX *ctx;
	size_t len = 0;
	int ok;

	if (data == NULL)
		data = &nodata;
	ok = (ctx = EVP_MAC_CTX_dup(h->ctx)) != NULL &&
	    EVP_MAC_update(ctx, data, n) == 1 &&
	    EVP_MAC_final(ctx, out, &len, HASH_SHA256_LEN) == 1 &&
	    len == HASH_SHA256_LEN;
	EVP_MAC_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return err_set(e, ERR_INTERNAL, "%s failed in openssl",
		    h->what);
	}
	return 0;
}

/* The one-shot form: a keyed context made, run once and freed. */
int
hash_hmac(enum hash_alg alg, const void *key, size_t keylen,
    const void *data, size_t n, unsigned char out[HASH_SHA256_LEN],
    struct err *e)
{
	struct hash_mac *h;
	int rc;

	if ((rc = hash_mac_new(&h, alg, key, keylen, e)) != 0)
		return rc;
	rc = hash_mac_run(h, data, n, out, e);
	hash_mac_free(h);
	return rc;
}

void
hash_mac_free(struct hash_mac *h)
{
	if (h == NULL)
		return;
	EVP_MAC_CTX_free(h->ctx);	/* OpenSSL wipes the key it holds */
	EVP_MAC_free(h->mac);
	mem_free(h);
}

void
hash_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0x0f];
	}
	out[2 * n] = '\0';
}
