/*
 * hash.h - SHA-256 of streams and keyed HMAC (SM3 or SHA-256), on OpenSSL
 *
 * SHA-256 is what the manifest records for every input and output.  HMAC is
 * what pii.h pseudonymises with.  All of it is OpenSSL libcrypto's EVP API.
 *
 * Ownership: hash_sha256_new returns an owned context, freed by
 * hash_sha256_free (NULL is fine).
 * Errors: ERR_INTERNAL when OpenSSL fails or memory runs out; ERR_USAGE for
 * an unknown algorithm name.
 */
#ifndef GRID_HASH_H
#define GRID_HASH_H

#include <stddef.h>

#include "err.h"

#define HASH_SHA256_LEN 32	/* bytes */
#define HASH_HEX_MAX 65		/* 64 hex digits and NUL */

struct hash_sha256;

int hash_sha256_new(struct hash_sha256 **hp, struct err *e);
void hash_sha256_update(struct hash_sha256 *h, const void *p, size_t n);
/* hash_sha256_hex: the digest of everything so far, as lowercase hex; the
 * context stays usable (the digest is taken from a copy). */
void hash_sha256_hex(const struct hash_sha256 *h, char hex[HASH_HEX_MAX]);
void hash_sha256_free(struct hash_sha256 *h);

/* hash_sha256_file: hex sha256 of a whole file.  ERR_NOINPUT, ERR_IO. */
int hash_sha256_file(const char *path, char hex[HASH_HEX_MAX], struct err *e);

enum hash_alg { HASH_HMAC_SM3, HASH_HMAC_SHA256 };

/* hash_alg_parse: "hmac-sm3" or "hmac-sha256"; 0, or ERR_USAGE. */
int hash_alg_parse(const char *name, enum hash_alg *alg, struct err *e);

/* hash_hmac: HMAC of data with key; out gets 32 bytes (both algorithms). */
int hash_hmac(enum hash_alg alg, const void *key, size_t keylen,
    const void *data, size_t n, unsigned char out[HASH_SHA256_LEN],
    struct err *e);

/* hash_hex: n bytes as lowercase hex into out (2n+1 bytes). */
void hash_hex(const unsigned char *b, size_t n, char *out);

#endif
