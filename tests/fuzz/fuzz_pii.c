/*
 * fuzz_pii.c - libFuzzer target for the personal data normalisers and masks
 *
 * The input bytes go to pii_id_normalise, pii_phone_normalise and pii_mask
 * (every kind).  Checked:
 *   - no crash, no leak (mem_live back where it was);
 *   - a success is idempotent: normalising the output again gives the same
 *     output; masking a masked name or text gives it back; masking a phone
 *     or ID equals masking its normalised form;
 *   - outputs have the documented shape;
 *   - an error message is one of the fixed messages, so no value can be in
 *     it; and the input (4 bytes or more) never appears in it, unless the
 *     input is itself a piece of that fixed message ("wrong length");
 *   - e->field is never touched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "mem.h"
#include "pii.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const char *const messages[] = {
	"wrong length", "not digits", "impossible birth date",
	"bad check character", "not a phone number", "not valid utf-8",
	"control character", NULL
};

static int
contains(const char *hay, size_t hn, const uint8_t *needle, size_t nn)
{
	size_t i;

	if (nn == 0 || nn > hn)
		return 0;
	for (i = 0; i + nn <= hn; i++)
		if (memcmp(hay + i, needle, nn) == 0)
			return 1;
	return 0;
}

/* The error must be ERR_DATA with a fixed message and leak nothing. */
static void
check_error(int rc, const struct err *e, const uint8_t *data, size_t size)
{
	size_t i;
	int known = 0;

	CHECK(rc == ERR_DATA && e->code == ERR_DATA);
	CHECK(e->field[0] == '\0' && e->file[0] == '\0' && e->line == 0);
	for (i = 0; messages[i] != NULL; i++)
		if (strcmp(e->msg, messages[i]) == 0)
			known = 1;
	CHECK(known);
	if (size >= 4 && contains(e->msg, strlen(e->msg), data, size)) {
		/* Only a piece of a fixed text itself may match. */
		known = 0;
		for (i = 0; messages[i] != NULL; i++)
			if (contains(messages[i], strlen(messages[i]), data,
			    size))
				known = 1;
		CHECK(known);
	}
}

static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void
fuzz_id(const uint8_t *data, size_t size, char id[PII_ID_LEN + 1])
{
	char again[PII_ID_LEN + 1];
	struct err e;
	int rc;

	err_clear(&e);
	rc = pii_id_normalise((const char *)data, size, id, &e);
	if (rc != 0) {
		check_error(rc, &e, data, size);
		CHECK(id[0] == '\0');
		return;
	}
	CHECK(strlen(id) == PII_ID_LEN && is_digits(id, 17));
	CHECK(is_digits(id + 17, 1) || id[17] == 'X');
	CHECK(pii_id_normalise(id, PII_ID_LEN, again, &e) == 0);
	CHECK(strcmp(id, again) == 0);
}

static void
fuzz_phone(const uint8_t *data, size_t size, char ph[PII_PHONE_MAX])
{
	char again[PII_PHONE_MAX];
	struct err e;
	size_t len;
	int rc;

	err_clear(&e);
	rc = pii_phone_normalise((const char *)data, size, ph, PII_PHONE_MAX,
	    &e);
	if (rc != 0) {
		check_error(rc, &e, data, size);
		CHECK(ph[0] == '\0');
		return;
	}
	len = strlen(ph);
	CHECK(len > 0 && len < PII_PHONE_MAX);
	if (ph[0] == '1')
		CHECK(len == 11 && is_digits(ph, 11) && ph[1] >= '3');
	else
		CHECK(ph[0] == '0' && (ph[3] == '-' || ph[4] == '-'));
	CHECK(pii_phone_normalise(ph, len, again, sizeof again, &e) == 0);
	CHECK(strcmp(ph, again) == 0);
}

static void
fuzz_mask(enum pii_kind kind, const uint8_t *data, size_t size,
    const char *norm)
{
	struct buf b = BUF_INIT, b2 = BUF_INIT;
	struct err e;
	int rc;

	err_clear(&e);
	CHECK(buf_adds(&b, "<") == 0);
	rc = pii_mask(kind, (const char *)data, size, &b, &e);
	if (rc != 0) {
		check_error(rc, &e, data, size);
		CHECK(b.len == 1);
		/* A value that normalises also masks. */
		CHECK(norm == NULL || norm[0] == '\0');
		buf_free(&b);
		return;
	}
	switch (kind) {
	case PII_NAME:
	case PII_TEXT:
		/* A mask masks to itself. */
		CHECK(pii_mask(kind, b.p + 1, b.len - 1, &b2, &e) == 0);
		CHECK(b2.len == b.len - 1 && memcmp(b2.p, b.p + 1, b2.len) == 0);
		if (kind == PII_TEXT)
			CHECK(b.len == 1 || strcmp(b.p, "<***") == 0);
		else
			CHECK(b.len <= 6);
		break;
	case PII_CITIZEN_ID:
	case PII_PHONE:
		/* Same mask as the normalised value's; empty for "no value". */
		if (b.len == 1)
			break;
		CHECK(norm != NULL && norm[0] != '\0');
		CHECK(pii_mask(kind, norm, strlen(norm), &b2, &e) == 0);
		CHECK(b2.len == b.len - 1 && memcmp(b2.p, b.p + 1, b2.len) == 0);
		if (kind == PII_CITIZEN_ID)
			CHECK(b.len == 19 && memcmp(b.p + 1, "**************",
			    14) == 0 && memcmp(b.p + 15, norm + 14, 4) == 0);
		else
			CHECK(strchr(b.p, '*') != NULL);
		break;
	default:
		abort();
	}
	buf_free(&b);
	buf_free(&b2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[PII_ID_LEN + 1], ph[PII_PHONE_MAX];
	long live = mem_live();

	fuzz_id(data, size, id);
	fuzz_phone(data, size, ph);
	fuzz_mask(PII_CITIZEN_ID, data, size, id);
	fuzz_mask(PII_PHONE, data, size, ph);
	fuzz_mask(PII_NAME, data, size, NULL);
	fuzz_mask(PII_TEXT, data, size, NULL);
	CHECK(mem_live() == live);
	return 0;
}
