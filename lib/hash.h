/*
 * hash.h - SHA-256 of streams and keyed HMAC (SM3 or SHA-256), on OpenSSL
 *
 * SHA-256 is what the manifest records for every input and output.  HMAC is
 * what pii.h pseudonymises with.  All of it is OpenSSL libcrypto's EVP API.
 *
 * Ownership: hash_sha256_new returns an owned context, freed by
 * hash_sha256_free (NULL is fine); hash_mac_new an owned keyed HMAC, freed
 * by hash_mac_free.
 * Errors: ERR_INTERNAL when OpenSSL fails or memory runs out; ERR_USAGE for
 * an unknown algorithm name.  OpenSSL's error queue is cleared after a
 * failure, so nothing stale is left for another caller to find.
 *
 * HMAC-SM3 needs SM3 in OpenSSL's default provider (Debian's OpenSSL 3.0
 * has it; a FIPS-only build does not, and hash_hmac fails there).
 */
#ifndef GRID_HASH_H
#define GRID_HASH_H

#include <stddef.h>

#include "err.h"

#define HASH_SHA256_LEN 32	/* bytes */
#define HASH_HEX_MAX 65		/* 64 hex digits and NUL */

struct hash_sha256;

/* hash_sha256_new: a fresh context in *hp (NULL on error); ERR_INTERNAL. */
int hash_sha256_new(struct hash_sha256 **hp, struct err *e);

/*
 * hash_sha256_update: add n bytes (p may be NULL when n is 0).  Cannot
 * report: should OpenSSL fail, the context remembers it and
 * hash_sha256_hex gives "".
 */
void hash_sha256_update(struct hash_sha256 *h, const void *p, size_t n);

/*
 * hash_sha256_hex: the digest of everything so far, as 64 lowercase hex
 * digits; the context stays usable (the digest is taken from a copy).
 * hex is "" when OpenSSL failed (out of memory inside OpenSSL).
 */
void hash_sha256_hex(const struct hash_sha256 *h, char hex[HASH_HEX_MAX]);
void hash_sha256_free(struct hash_sha256 *h);

/*
 * hash_sha256_file: hex sha256 of a whole file, read with read(2) in
 * 64 KiB blocks.  ERR_NOINPUT "cannot open 'PATH': reason", ERR_IO
 * "cannot read 'PATH': reason" (a directory gives this), ERR_INTERNAL.
 * hex is "" on error.  The path is quoted: it is not personal data.
 */
int hash_sha256_file(const char *path, char hex[HASH_HEX_MAX], struct err *e);

enum hash_alg { HASH_HMAC_SM3, HASH_HMAC_SHA256 };

/*
 * hash_alg_parse: "hmac-sm3" or "hmac-sha256" (exactly, lowercase); 0, or
 * ERR_USAGE naming the unknown name (a configuration word, not data).
 * *alg is untouched on error.  name may be NULL (an error).
 */
int hash_alg_parse(const char *name, enum hash_alg *alg, struct err *e);

/*
 * hash_hmac: HMAC of data with key; out gets 32 bytes (both algorithms).
 * key may be NULL when keylen is 0, data when n is 0.  ERR_INTERNAL for an
 * algorithm outside enum hash_alg or when OpenSSL fails.  Costs about 2 us
 * a call (the HMAC is fetched from OpenSSL each time): for many values
 * under one key, hash_mac_new and hash_mac_run.
 */
int hash_hmac(enum hash_alg alg, const void *key, size_t keylen,
    const void *data, size_t n, unsigned char out[HASH_SHA256_LEN],
    struct err *e);

/*
 * A keyed HMAC made once and used for many values: the HMAC is fetched
 * from OpenSSL and the key set up (its inner and outer pads hashed) once,
 * then each hash_mac_run copies that state, so a value costs the two
 * compression rounds of a short input and no set-up (about 0.9 us for
 * HMAC-SM3 where hash_hmac takes 4 us).
 *
 * hash_mac_new: a keyed HMAC for alg in *hp (NULL on error).  key may be
 * NULL when keylen is 0.  OpenSSL keeps its own copy of the key state and
 * wipes it when freed; the caller's key bytes are not kept.  ERR_INTERNAL
 * for an algorithm outside enum hash_alg, when OpenSSL fails or memory
 * runs out.
 *
 * hash_mac_run: the HMAC of data[0..n) into out (32 bytes), the same bytes
 * as hash_hmac with the same algorithm and key.  h itself is not
 * changed.  data may be NULL when n is 0.
 * ERR_INTERNAL when OpenSSL fails.
 *
 * hash_mac_free: free h; NULL is fine.
 */
struct hash_mac;
int hash_mac_new(struct hash_mac **hp, enum hash_alg alg, const void *key,
    size_t keylen, struct err *e);
int hash_mac_run(const struct hash_mac *h, const void *data, size_t n,
    unsigned char out[HASH_SHA256_LEN], struct err *e);
void hash_mac_free(struct hash_mac *h);

/* hash_hex: n bytes as lowercase hex into out (2n+1 bytes). */
void hash_hex(const unsigned char *b, size_t n, char *out);

#endif
