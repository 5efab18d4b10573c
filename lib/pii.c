/* pii.c - personal data: validate, normalise, mask, pseudonymise; see pii.h */
#include "pii.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "mem.h"
#include "str.h"

/*
 * Every message below is a fixed string: no value, and no part of one, can
 * reach a diagnostic from here.
 */
#define MSG_LENGTH	"wrong length"
#define MSG_DIGITS	"not digits"
#define MSG_CHECK	"bad check character"
#define MSG_BIRTH	"impossible birth date"
#define MSG_PHONE	"not a phone number"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Citizen ID numbers */

static const int id_weight[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};

/* The check character of the 17 digits at d. */
static char
id_check(const char *d)
{
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (d[i] - '0') * id_weight[i];
	return "10X98765432"[sum % 11];
}

static int
num(const char *d, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*d++ - '0');
	return v;
}

/* True when the 8 digits at d (YYYYMMDD) are a real day of 1900..2099. */
static int
id_date_ok(const char *d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y = num(d, 4), m = num(d + 4, 2), day = num(d + 6, 2), last;

	if (y < 1900 || y > 2099 || m < 1 || m > 12 || day < 1)
		return 0;
	last = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		last = 29;
	return day <= last;
}

int
pii_id_normalise(const char *s, size_t n, char out[PII_ID_LEN + 1],
    struct err *e)
{
	char d[PII_ID_LEN + 1], check;
	size_t i;

	out[0] = '\0';
	str_trim(&s, &n);
	if (n != 18 && n != 15)
		return err_set(e, ERR_DATA, MSG_LENGTH);
	for (i = 0; i < (n == 18 ? 17 : 15); i++)
		if (!is_digit((unsigned char)s[i]))
			return err_set(e, ERR_DATA, MSG_DIGITS);
	if (n == 18) {
		memcpy(d, s, 17);
		check = s[17] == 'x' ? 'X' : s[17];
	} else {
		/* 15 digits: address code, YYMMDD, sequence; born 19YY. */
		memcpy(d, s, 6);
		d[6] = '1';
		d[7] = '9';
		memcpy(d + 8, s + 6, 9);
		check = '\0';
	}
	if (!id_date_ok(d + 6))
		return err_set(e, ERR_DATA, MSG_BIRTH);
	d[17] = id_check(d);
	if (n == 18 && check != d[17])
		return err_set(e, ERR_DATA, MSG_CHECK);
	d[18] = '\0';
	memcpy(out, d, sizeof d);
	return 0;
}

/* Phone numbers */

#define PHONE_IN_MAX 64		/* bytes of input, after trimming */
#define PHONE_DIGITS 24
#define NO_EXT SIZE_MAX
#define ZHUAN "\xe8\xbd\xac"	/* 转, U+8F6C, "transfer to" an extension */

struct phone {
	char d[PHONE_DIGITS + 1];	/* the digits, without separators */
	size_t nd;
	unsigned char brk[PHONE_DIGITS + 2];	/* brk[i]: a separator before d[i] */
	size_t ext;			/* index of the first digit after 转 */
};

static int
is_mobile(const char *d, size_t nd)
{
	return nd == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* Remove the first k digits (a country code). */
static void
phone_drop(struct phone *p, size_t k)
{
	memmove(p->d, p->d + k, p->nd - k);
	memmove(p->brk, p->brk + k, p->nd - k + 1);
	p->nd -= k;
	p->brk[0] = 0;
	if (p->ext != NO_EXT)
		p->ext -= k;
}

/* Put back the trunk 0 of a landline written after a country code. */
static void
phone_prepend0(struct phone *p)
{
	memmove(p->d + 1, p->d, p->nd);
	memmove(p->brk + 1, p->brk, p->nd + 1);
	p->d[0] = '0';
	p->brk[0] = p->brk[1] = 0;
	p->nd++;
	if (p->ext != NO_EXT)
		p->ext++;
}

/* Split s[0..n) into digits and group marks; 0 or ERR_DATA. */
static int
phone_scan(struct phone *p, const char *s, size_t n, int *plus,
    struct err *e)
{
	size_t i = 0;
	int c;

	memset(p, 0, sizeof *p);
	p->ext = NO_EXT;
	*plus = 0;
	if (n > PHONE_IN_MAX)
		return err_set(e, ERR_DATA, MSG_LENGTH);
	while (i < n) {
		c = (unsigned char)s[i];
		if (is_digit(c)) {
			if (p->nd == PHONE_DIGITS)
				return err_set(e, ERR_DATA, MSG_LENGTH);
			p->d[p->nd++] = (char)c;
			i++;
		} else if (c == ' ' || c == '\t' || c == '-' || c == '(' ||
		    c == ')') {
			if (p->nd > 0)
				p->brk[p->nd] = 1;
			i++;
		} else if (c == '+' && p->nd == 0 && !*plus) {
			*plus = 1;
			i++;
		} else if (n - i >= 3 && memcmp(s + i, ZHUAN, 3) == 0 &&
		    p->nd > 0 && p->ext == NO_EXT) {
			p->ext = p->nd;
			p->brk[p->nd] = 1;
			i += 3;
		} else
			return err_set(e, ERR_DATA, MSG_PHONE);
	}
	if (p->nd == 0)
		return err_set(e, ERR_DATA, MSG_PHONE);
	return 0;
}

/* Length of the area code at the start of the landline digits d, or 0. */
static size_t
area_len(const char *d)
{
	if (d[1] == '1')
		return d[2] == '0' ? 3 : 0;
	if (d[1] == '2')
		return 3;
	if (d[1] >= '3' && d[1] <= '9')
		return 4;
	return 0;
}

int
pii_phone_normalise(const char *s, size_t n, char *out, size_t outsz,
    struct err *e)
{
	struct phone p;
	size_t a, sub, extn, need, o;
	int plus, intl = 0, rc;

	if (outsz > 0)
		out[0] = '\0';
	str_trim(&s, &n);
	if ((rc = phone_scan(&p, s, n, &plus, e)) != 0)
		return rc;

	/* Country code. */
	if (plus) {
		if (p.nd < 2 || p.d[0] != '8' || p.d[1] != '6')
			return err_set(e, ERR_DATA, MSG_PHONE);
		intl = 2;
	} else if (p.nd >= 4 && memcmp(p.d, "0086", 4) == 0)
		intl = 4;
	else if (p.nd == 13 && p.d[0] == '8' && p.d[1] == '6' &&
	    p.ext == NO_EXT && is_mobile(p.d + 2, 11)) {
		phone_drop(&p, 2);
	}
	if (intl) {
		if (p.ext != NO_EXT && p.ext <= (size_t)intl)
			return err_set(e, ERR_DATA, MSG_PHONE);
		phone_drop(&p, (size_t)intl);
		if (p.nd == 0)
			return err_set(e, ERR_DATA, MSG_LENGTH);
		if (p.d[0] != '0' && !(p.ext == NO_EXT &&
		    is_mobile(p.d, p.nd))) {
			if (p.nd == PHONE_DIGITS)
				return err_set(e, ERR_DATA, MSG_LENGTH);
			phone_prepend0(&p);
		}
	}

	if (p.d[0] == '1') {
		/* Mobile. */
		if (p.ext != NO_EXT)
			return err_set(e, ERR_DATA, MSG_PHONE);
		if (p.nd != 11)
			return err_set(e, ERR_DATA, MSG_LENGTH);
		if (!is_mobile(p.d, p.nd))
			return err_set(e, ERR_DATA, MSG_PHONE);
		if (outsz < 12)
			return err_set(e, ERR_INTERNAL, "phone output buffer "
			    "too small");
		memcpy(out, p.d, 11);
		out[11] = '\0';
		return 0;
	}
	if (p.d[0] != '0')
		return err_set(e, ERR_DATA, MSG_PHONE);

	/* Landline: area code, subscriber number, extension. */
	if (p.nd < 3)
		return err_set(e, ERR_DATA, MSG_LENGTH);
	if ((a = area_len(p.d)) == 0)
		return err_set(e, ERR_DATA, MSG_PHONE);
	if (p.ext != NO_EXT) {
		if (p.ext < a)
			return err_set(e, ERR_DATA, MSG_PHONE);
		sub = p.ext - a;
		extn = p.nd - p.ext;
		if (sub < 7 || sub > 8 || extn < 1 || extn > 6)
			return err_set(e, ERR_DATA, MSG_LENGTH);
	} else if (p.nd < a + 7)
		return err_set(e, ERR_DATA, MSG_LENGTH);
	else if (p.nd - a > 8 && p.nd - a - 8 <= 6 && p.brk[a + 8]) {
		/* A separator after 8 subscriber digits: an extension. */
		sub = 8;
		extn = p.nd - a - 8;
	} else if (p.nd - a > 7 && p.nd - a - 7 <= 6 && p.brk[a + 7]) {
		/* After 7 digits; "029-8765432-1" is not "029-87654321". */
		sub = 7;
		extn = p.nd - a - 7;
	} else if (p.nd - a <= 8) {
		sub = p.nd - a;
		extn = 0;
	} else
		return err_set(e, ERR_DATA, MSG_LENGTH);
	if (p.d[a] < '2')
		return err_set(e, ERR_DATA, MSG_PHONE);

	need = a + 1 + sub + (extn ? 1 + extn : 0) + 1;
	if (outsz < need)
		return err_set(e, ERR_INTERNAL, "phone output buffer too small");
	memcpy(out, p.d, a);
	o = a;
	out[o++] = '-';
	memcpy(out + o, p.d + a, sub);
	o += sub;
	if (extn) {
		out[o++] = '-';
		memcpy(out + o, p.d + a + sub, extn);
		o += extn;
	}
	out[o] = '\0';
	return 0;
}

/* Masks */

/* Length of the UTF-8 character that starts with byte c (input is valid). */
static size_t
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

static int
mask_phone(const char *s, size_t n, char *m, size_t *mlen, struct err *e)
{
	char ph[PII_PHONE_MAX];
	const char *sn, *end;
	size_t a, sub, i, o = 0;
	int rc;

	if ((rc = pii_phone_normalise(s, n, ph, sizeof ph, e)) != 0)
		return rc;
	if (ph[0] == '1') {
		memcpy(m, ph, 3);
		memcpy(m + 3, "****", 4);
		memcpy(m + 7, ph + 7, 4);
		*mlen = 11;
		return 0;
	}
	/* "AREA-SUB" or "AREA-SUB-EXT": keep the area code and 2 digits. */
	sn = strchr(ph, '-') + 1;
	a = (size_t)(sn - ph);
	if ((end = strchr(sn, '-')) == NULL)
		end = sn + strlen(sn);
	sub = (size_t)(end - sn);
	memcpy(m, ph, a);
	o = a;
	for (i = 0; i < sub - 2; i++)
		m[o++] = '*';
	m[o++] = end[-2];
	m[o++] = end[-1];
	*mlen = o;
	return 0;
}

static int
mask_name(const char *s, size_t n, char *m, size_t *mlen, struct err *e)
{
	size_t i, k;

	if (!str_utf8_valid(s, n))
		return err_set(e, ERR_DATA, "not valid utf-8");
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, ERR_DATA, "control character");
	k = utf8_len((unsigned char)s[0]);
	if (k == n) {
		m[0] = '*';
		*mlen = 1;
		return 0;
	}
	memcpy(m, s, k);
	m[k] = '*';
	*mlen = k + 1;
	return 0;
}

int
pii_mask(enum pii_kind kind, const char *s, size_t n, struct buf *out,
    struct err *e)
{
	char m[PII_PHONE_MAX + PII_ID_LEN];
	char id[PII_ID_LEN + 1];
	size_t mlen = 0;
	int rc = 0;

	str_trim(&s, &n);
	switch (kind) {
	case PII_NAME:
		if (n > 0)
			rc = mask_name(s, n, m, &mlen, e);
		break;
	case PII_CITIZEN_ID:
		if (n > 0 && (rc = pii_id_normalise(s, n, id, e)) == 0) {
			memset(m, '*', 14);
			memcpy(m + 14, id + 14, 4);
			mlen = 18;
		}
		break;
	case PII_PHONE:
		if (n > 0)
			rc = mask_phone(s, n, m, &mlen, e);
		break;
	case PII_TEXT:
		if (n > 0) {
			memcpy(m, "***", 3);
			mlen = 3;
		}
		break;
	default:
		return err_set(e, ERR_INTERNAL, "unknown personal data kind %d",
		    (int)kind);
	}
	if (rc != 0)
		return rc;
	if (mlen > 0 && buf_add(out, m, mlen) < 0)
		return err_nomem(e);
	return 0;
}

/* Keys */

/*
 * The pseudonym cache: CACHE_SETS sets of two slots (one cache line
 * each), the set chosen by a hash of the algorithm and the value; a slot
 * holds a value of at most CACHE_VAL bytes and its HMAC, the most recently
 * used first.  Grid workers' names and phones repeat on every row they
 * report, so most values are found here.  A hit gives the bytes the HMAC
 * gave the first time: the cache changes no result.  It holds personal
 * data (as the row being imported does) and is wiped when the key is
 * freed.
 */
#define CACHE_SETS 4096		/* a power of two */
#define CACHE_WAYS 2
#define CACHE_VAL 30

struct pii_slot {
	unsigned char len;	/* bytes of val; 0: empty slot */
	unsigned char alg;
	char val[CACHE_VAL];
	unsigned char mac[HASH_SHA256_LEN];
};

struct pii_key {
	unsigned char *key;	/* len key bytes in a block of cap bytes */
	size_t len, cap;
	char id[17];
	/* per algorithm: the keyed HMAC, or NULL when OpenSSL lacks it */
	struct hash_mac *mac[HASH_HMAC_SHA256 + 1];
	struct pii_slot *cache;	/* CACHE_SETS * CACHE_WAYS slots */
};

static void
wipe_free(unsigned char *p, size_t cap)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, cap);
	mem_free(p);
}

/* Read the whole key file into a fresh block; 0 or an error. */
static int
key_read(int fd, const char *path, unsigned char **bp, size_t *lenp,
    size_t cap, struct err *e)
{
	unsigned char *b;
	size_t len = 0;
	ssize_t r;
	int saved;

	*bp = NULL;
	if ((b = mem_alloc(cap)) == NULL)
		return err_nomem(e);
	while (len < cap) {
		r = read(fd, b + len, cap - len);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			wipe_free(b, cap);
			return err_errno(e, ERR_IO, saved,
			    "cannot read key file '%s'", path);
		}
		len += (size_t)r;
	}
	*bp = b;
	*lenp = len;
	return 0;
}

/*
 * Set up the keyed HMAC of each algorithm.  One that OpenSSL cannot give
 * (no SM3 in a FIPS-only build) stays NULL: pii_pseudonymise then goes
 * through hash_hmac, which reports the failure where it always did.  Only
 * running out of memory is an error here.
 */
static int
key_macs(struct pii_key *k, struct err *e)
{
	struct err e2;
	int alg;

	for (alg = HASH_HMAC_SM3; alg <= HASH_HMAC_SHA256; alg++) {
		err_clear(&e2);
		if (hash_mac_new(&k->mac[alg], (enum hash_alg)alg, k->key,
		    k->len, &e2) != 0 && strcmp(e2.msg, "out of memory") == 0)
			return err_nomem(e);
	}
	return 0;
}

int
pii_key_load(struct pii_key **kp, const char *path, struct err *e)
{
	static const char label[] = "gridkit key id";
	unsigned char mac[HASH_SHA256_LEN], *b = NULL;
	/* Room for the largest key, CRLF, and one byte to see it is longer. */
	size_t len = 0, cap = PII_KEY_MAX + 3;
	struct pii_key *k;
	struct stat st;
	int fd, rc;

	*kp = NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return err_errno(e, ERR_NOINPUT, errno,
		    "cannot open key file '%s'", path);
	if (fstat(fd, &st) != 0) {
		rc = err_errno(e, ERR_IO, errno, "cannot stat key file '%s'",
		    path);
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_USAGE, "key file '%s' is not a regular "
		    "file", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return err_set(e, ERR_USAGE, "key file '%s' is accessible by "
		    "group or others (chmod 600 it)", path);
	}
	if (st.st_size > (off_t)(PII_KEY_MAX + 2)) {
		close(fd);
		return err_set(e, ERR_USAGE, "key file '%s' is too long "
		    "(more than %d bytes)", path, PII_KEY_MAX);
	}
	rc = key_read(fd, path, &b, &len, cap, e);
	close(fd);
	if (rc != 0)
		return rc;

	if (len > 0 && b[len - 1] == '\n') {
		len--;
		if (len > 0 && b[len - 1] == '\r')
			len--;
	}
	if (len == 0)
		rc = err_set(e, ERR_USAGE, "key file '%s' is empty", path);
	else if (len < PII_KEY_MIN)
		rc = err_set(e, ERR_USAGE, "key file '%s' is too short "
		    "(fewer than %d bytes)", path, PII_KEY_MIN);
	else if (len > PII_KEY_MAX)
		rc = err_set(e, ERR_USAGE, "key file '%s' is too long "
		    "(more than %d bytes)", path, PII_KEY_MAX);
	if (rc != 0) {
		wipe_free(b, cap);
		return rc;
	}

	if ((k = mem_alloc(sizeof *k)) == NULL) {
		wipe_free(b, cap);
		return err_nomem(e);
	}
	k->key = b;
	k->len = len;
	k->cap = cap;
	k->mac[HASH_HMAC_SM3] = k->mac[HASH_HMAC_SHA256] = NULL;
	if ((k->cache = mem_calloc(CACHE_SETS * CACHE_WAYS,
	    sizeof *k->cache)) == NULL) {
		pii_key_free(k);
		return err_nomem(e);
	}
	if ((rc = hash_hmac(HASH_HMAC_SHA256, k->key, k->len, label,
	    sizeof label - 1, mac, e)) != 0 ||
	    (rc = key_macs(k, e)) != 0) {
		pii_key_free(k);
		return rc;
	}
	hash_hex(mac, 8, k->id);
	*kp = k;
	return 0;
}

const char *
pii_key_id(const struct pii_key *k)
{
	return k->id;
}

void
pii_key_free(struct pii_key *k)
{
	if (k == NULL)
		return;
	wipe_free(k->key, k->cap);
	hash_mac_free(k->mac[HASH_HMAC_SM3]);
	hash_mac_free(k->mac[HASH_HMAC_SHA256]);
	if (k->cache != NULL) {
		OPENSSL_cleanse(k->cache,
		    CACHE_SETS * CACHE_WAYS * sizeof *k->cache);
		mem_free(k->cache);
	}
	OPENSSL_cleanse(k, sizeof *k);
	mem_free(k);
}

int
pii_pseudonymise(const struct pii_key *k, enum hash_alg alg,
    const char *s, size_t n, char out[HASH_HEX_MAX], struct err *e)
{
	unsigned char mac[HASH_SHA256_LEN];
	struct pii_slot *set = NULL, tmp;
	uint32_t h;
	size_t i;
	int rc, w;

	out[0] = '\0';
	if (alg != HASH_HMAC_SM3 && alg != HASH_HMAC_SHA256)
		return hash_hmac(alg, k->key, k->len, s, n, mac, e);
	if (n > 0 && n <= CACHE_VAL) {
		/* FNV-1a of the algorithm and the value */
		h = 2166136261u ^ (uint32_t)alg;
		h *= 16777619u;
		for (i = 0; i < n; i++) {
			h ^= (unsigned char)s[i];
			h *= 16777619u;
		}
		set = &k->cache[((h ^ (h >> 15)) & (CACHE_SETS - 1)) *
		    CACHE_WAYS];
		for (w = 0; w < CACHE_WAYS; w++)
			if (set[w].len == n && set[w].alg == (unsigned char)alg &&
			    memcmp(set[w].val, s, n) == 0)
				break;
		if (w < CACHE_WAYS) {
			if (w > 0) {	/* most recently used first */
				tmp = set[w];
				set[w] = set[0];
				set[0] = tmp;
				OPENSSL_cleanse(&tmp, sizeof tmp);
			}
			hash_hex(set[0].mac, sizeof set[0].mac, out);
			return 0;
		}
	}
	if (k->mac[alg] != NULL)
		rc = hash_mac_run(k->mac[alg], s, n, mac, e);
	else
		rc = hash_hmac(alg, k->key, k->len, s, n, mac, e);
	if (rc != 0)
		return rc;
	if (set != NULL) {
		memmove(set + 1, set, (CACHE_WAYS - 1) * sizeof *set);
		set[0].len = (unsigned char)n;
		set[0].alg = (unsigned char)alg;
		memcpy(set[0].val, s, n);
		memcpy(set[0].mac, mac, sizeof mac);
	}
	hash_hex(mac, sizeof mac, out);
	return 0;
}
