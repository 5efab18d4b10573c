/*
 * fuzz_time.c - libFuzzer target for lib/time
 *
 * The bytes go to time_parse_datetime (at two default offsets) and
 * time_parse_date.  Whatever succeeds must be canonical: the right length,
 * a fixed point when parsed again, and (datetimes) the same text after a
 * round trip through time_iso_to_epoch and time_epoch_to_iso.  A failure
 * must leave the output empty.  The bytes also go, NUL-terminated, to
 * time_parse_offset.  Any broken promise aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_datetime(const char *s, size_t n, int def)
{
	char out[TIME_DATETIME_LEN + 1], again[TIME_DATETIME_LEN + 1];
	char back[TIME_DATETIME_LEN + 1];
	struct err e;
	int64_t epoch;
	int off, r;

	err_clear(&e);
	r = time_parse_datetime(s, n, def, out, &e);
	if (r != 0) {
		if (r != ERR_DATA || e.code != ERR_DATA || out[0] != '\0' ||
		    e.msg[0] == '\0')
			abort();
		return;
	}
	if (strlen(out) != TIME_DATETIME_LEN)
		abort();
	/* the fixed point holds whatever the default offset */
	if (time_parse_datetime(out, TIME_DATETIME_LEN, -def, again, &e) != 0 ||
	    strcmp(out, again) != 0)
		abort();
	if (time_iso_to_epoch(out, TIME_DATETIME_LEN, &epoch, &off) != 0)
		abort();
	time_epoch_to_iso(epoch, off, back);
	if (strcmp(out, back) != 0)
		abort();
}

static void
check_date(const char *s, size_t n)
{
	char out[TIME_DATE_LEN + 1], again[TIME_DATE_LEN + 1];
	char dt[TIME_DATETIME_LEN + 1];
	struct err e;
	int r;

	err_clear(&e);
	r = time_parse_date(s, n, out, &e);
	if (r != 0) {
		if (r != ERR_DATA || out[0] != '\0' || e.msg[0] == '\0')
			abort();
		return;
	}
	if (strlen(out) != TIME_DATE_LEN)
		abort();
	if (time_parse_date(out, TIME_DATE_LEN, again, &e) != 0 ||
	    strcmp(out, again) != 0)
		abort();
	/* every date is also a datetime, at midnight */
	if (time_parse_datetime(s, n, 0, dt, &e) != 0 ||
	    memcmp(dt, out, TIME_DATE_LEN) != 0 ||
	    strcmp(dt + TIME_DATE_LEN, "T00:00:00+00:00") != 0)
		abort();
}

static void
check_offset(const char *s, size_t n)
{
	char z[600];
	int m;

	if (n >= sizeof z)
		return;
	memcpy(z, s, n);
	z[n] = '\0';
	if (time_parse_offset(z, &m, NULL) == 0 && (m < -1439 || m > 1439))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_datetime(s, size, 480);
	check_datetime(s, size, -330);
	check_date(s, size);
	check_offset(s, size);
	return 0;
}
