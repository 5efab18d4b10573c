/*
 * pii.h - personal data: validate, normalise, mask, pseudonymise
 *
 * Citizen ID numbers (GB 11643-1999) and Chinese phone numbers are checked
 * and brought to one canonical spelling, so that the same person gives the
 * same bytes whatever way the number was typed.  A value can then be shown
 * masked (138****1234, 张*) or replaced by a pseudonym: the lowercase hex
 * of a keyed HMAC (SM3 or SHA-256, see hash.h) under a secret key read from
 * a file.  A plain hash would not do: every mobile number can be hashed in
 * minutes, every ID number in hours, so a hash without a key is reversible
 * (GB/T 35273-2020 6.2).  A pseudonym is still personal information (PIPL
 * art. 73): it links records of one person, and anyone with the key can
 * test a guess.
 *
 * Errors: ERR_DATA for a bad value, with a message that says what is wrong
 * and never contains the value (nor any part of it): callers add the
 * location with err_at.  This module never sets e->file, e->line or
 * e->field.  ERR_USAGE for a key file that must not be used, ERR_NOINPUT
 * when it cannot be opened, ERR_IO when it cannot be read, ERR_INTERNAL
 * when memory or OpenSSL fails.
 *
 * Ownership: pii_key_load returns an owned key, freed with pii_key_free,
 * which wipes the key bytes.  Every other function borrows its arguments
 * and writes into caller storage.
 *
 * Input is bytes s[0..n), not NUL-terminated; it may hold any byte.
 * Everything here is deterministic and independent of locale and time zone.
 */
#ifndef GRID_PII_H
#define GRID_PII_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "hash.h"

enum pii_kind { PII_NAME, PII_CITIZEN_ID, PII_PHONE, PII_TEXT };

#define PII_ID_LEN 18		/* characters of a citizen ID number */
#define PII_PHONE_MAX 24	/* enough for any pii_phone_normalise output */
#define PII_KEY_MIN 16		/* key file bytes, after the final newline */
#define PII_KEY_MAX 4096

/*
 * pii_id_normalise: check a citizen ID number (GB 11643-1999) and write its
 * canonical form, 18 characters with an uppercase X, and a NUL, into out.
 *
 * ASCII spaces and tabs around the number are ignored.  Accepted: 17 digits
 * and a check character (a digit, X or x), or the old 15-digit form, which
 * is upgraded: "19" is inserted after the 6-digit address code and the
 * check character is appended.  The check character is
 * "10X98765432"[sum mod 11], sum over the first 17 digits weighted
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.  The birth date (digits 7..14) must
 * be a real day of a year 1900..2099; nothing depends on today's date.
 * The address code is not checked against a list.
 *
 * Returns 0, or ERR_DATA with one of the messages, checked in this order:
 * "wrong length", "not digits", "impossible birth date",
 * "bad check character".  out is "" on error.
 */
int pii_id_normalise(const char *s, size_t n, char out[PII_ID_LEN + 1],
    struct err *e);

/*
 * pii_phone_normalise: check a mainland China phone number and write its
 * canonical form and a NUL into out (outsz >= PII_PHONE_MAX is enough).
 *
 * Input: digits, with spaces, tabs, '-', '(' and ')' anywhere between them
 * (ignored, but they mark groups, see extensions), a '+' only before the
 * first digit, and at most one "转" (extension).  Anything else is
 * "not a phone number".
 *
 * Country code: a leading "+86" or "0086" is removed; a leading "86" only
 * when an 11-digit mobile number remains.  After "+86" or "0086", a number
 * that is neither a mobile nor starts with 0 is a landline written without
 * its trunk 0 ("+86 10 6552 9988"), and gets the 0 back.  A '+' followed by
 * another country code is "not a phone number".
 *
 * Mobile: 11 digits, "1[3-9]" and 9 more digits.  Output: the 11 digits,
 * e.g. "13812345678".  No extension.
 *
 * Landline: the area code is decided by the digits alone, whatever the
 * separators say: "010" and "02x" are 3 digits long, "03".."09" followed
 * by two digits are 4 digits long ("0731"); "00" and "01x" other than 010
 * are not area codes.  The subscriber number follows: 7 or 8 digits, the
 * first of them 2..9.  An extension of 1..6 digits may follow "转", or a
 * separator that comes right after the 8th (else the 7th) subscriber
 * digit: "010-65529988-801", "029-8765432-1"; but "029-87654321" has no
 * extension, and "0731-585-81234567" is "wrong length".  Output: area
 * code, '-', subscriber number, and '-' and the extension if any, e.g.
 * "0731-58581234", "010-65529988-801".  So the output always has the dash,
 * and every output reads back as itself.
 *
 * Not supported: '.' or '/' as separators, full-width digits, "ext" or
 * "#" for extensions, numbers of other countries.
 *
 * A number with no area code (a local 7/8-digit number), a service number
 * (110, 12345) and a mobile number dialled with a trunk 0 are refused.
 *
 * Returns 0, or ERR_DATA "wrong length" (too few or too many digits for the
 * kind of number, or a too long input) or "not a phone number" (anything
 * else); ERR_INTERNAL when outsz is too small.  out is "" on error when
 * outsz > 0.
 */
int pii_phone_normalise(const char *s, size_t n, char *out, size_t outsz,
    struct err *e);

/*
 * pii_mask: append the display mask of s[0..n) to out.
 *   PII_PHONE       the number is normalised first; mobile: first 3 digits,
 *                   "****", last 4 (138****1234); landline: area code, '-',
 *                   one '*' per subscriber digit but the last 2, the last 2
 *                   (0731-******34); an extension is left out.
 *   PII_CITIZEN_ID  normalised first; 14 '*' and the last 4 characters.
 *   PII_NAME        the first UTF-8 character (the surname; a compound
 *                   surname such as 欧阳 keeps only its first character)
 *                   and one '*': 张三 and 张三丰 give 张*; a name of one
 *                   character gives "*".  Must be valid UTF-8.  Masking a
 *                   masked name gives it back.
 *   PII_TEXT        "***", whatever the text.
 * ASCII spaces and tabs around the value are ignored; an empty value
 * appends nothing and returns 0 (no value stays no value).
 *
 * Returns 0; ERR_DATA with the messages of the normalisers, or
 * "not valid utf-8" for a name; ERR_INTERNAL for an unknown kind or when
 * out cannot grow ("out of memory").  On error out is as it was.
 */
int pii_mask(enum pii_kind kind, const char *s, size_t n, struct buf *out,
    struct err *e);

struct pii_key;

/*
 * pii_key_load: read the pseudonymisation key from the file at path.
 *
 * The key is the file's raw bytes with one final LF or CRLF removed;
 * 16 to 4096 bytes (a random key of 32 bytes, or 64 hex digits, is a good
 * choice: `head -c 32 /dev/urandom > key && chmod 600 key`).  Like ssh with
 * a private key, the file is refused (ERR_USAGE, the message says why)
 * when group or others have any access to it (mode & 077), when it is not
 * a regular file (a FIFO is not waited on), when it is empty, too short or
 * too long.  ERR_NOINPUT when it cannot be opened, ERR_IO when it cannot be
 * read.  Messages may name the path; they never hold key bytes.
 *
 * On success *kp owns the key (free with pii_key_free); on error *kp is
 * NULL.  Every buffer that held key bytes is wiped before it is freed.
 */
int pii_key_load(struct pii_key **kp, const char *path, struct err *e);

/*
 * pii_key_id: 16 lowercase hex digits naming the key: the first 8 bytes of
 * HMAC-SHA256(key, "gridkit key id").  Goes into outputs and the manifest,
 * so that one can tell which key made a pseudonym without revealing it.
 * The string belongs to k.
 */
const char *pii_key_id(const struct pii_key *k);

/* pii_key_free: wipe the key bytes and free k.  NULL is fine. */
void pii_key_free(struct pii_key *k);

/*
 * pii_pseudonymise: the pseudonym of s[0..n): 64 lowercase hex digits of
 * HMAC-alg(key, value), and a NUL, into out.  The bytes are used as given:
 * the caller passes the NORMALISED value (pii_id_normalise,
 * pii_phone_normalise), so that 11010519491231002x and 11010519491231002X
 * give the same pseudonym.  Same key, algorithm and value: same pseudonym,
 * on every machine.  Equals hash_hmac(alg, key, value) in hex.
 *
 * Returns 0, or ERR_INTERNAL when OpenSSL fails (out is "" then).
 *
 * Speed: the key holds a keyed HMAC per algorithm, set up once by
 * pii_key_load, and a cache of recent values (up to 30 bytes) and their
 * pseudonyms, so a value seen before costs no HMAC.  The cache is why k,
 * though const here, changes: one key must not be used by two threads at
 * once.  The cache holds personal data in memory, like the row being
 * imported, and pii_key_free wipes it.
 */
int pii_pseudonymise(const struct pii_key *k, enum hash_alg alg,
    const char *s, size_t n, char out[HASH_HEX_MAX], struct err *e);

#endif
