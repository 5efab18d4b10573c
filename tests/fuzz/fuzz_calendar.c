/*
 * fuzz_calendar.c - libFuzzer target for lib/calendar
 *
 * Bytes go to calendar_load_string.  When they load, a few questions are
 * asked at instants derived from the input's bytes (inside the calendar,
 * just outside it and far away), and the answers are checked against each
 * other: add_worked then worked gives the seconds back, and the answer is
 * the earliest such instant.  Nothing may crash or leak (mem_live back to
 * where it started).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "err.h"
#include "mem.h"
#include "time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 64 bits from data at position k (wrapping), FNV-mixed. */
static uint64_t
bits(const uint8_t *data, size_t size, size_t k)
{
	uint64_t h = 1469598103934665603ULL ^ k;
	size_t i;

	for (i = 0; i < 8 && size > 0; i++) {
		h ^= data[(k + i) % size];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The instant the calendar starts: found by bisection over covers. */
static int64_t
first_instant(const struct calendar *c, int64_t inside)
{
	int64_t lo = inside - (int64_t)CALENDAR_MAX_DAYS * 86400 - 86400;
	int64_t hi = inside, mid;

	while (hi - lo > 1) {	/* !covers(lo), covers(hi) */
		mid = lo + (hi - lo) / 2;
		if (calendar_covers(c, mid))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static bool
digits(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* Noon UTC of the first dates YYYY-MM-DD written in the input, if covered. */
static int64_t
date_in_input(const struct calendar *c, const uint8_t *data, size_t size)
{
	int64_t t;
	size_t i, found = 0;
	int y, m, d;

	for (i = 0; i + 10 <= size && found < 8; i++) {
		if (!digits(data + i, 4) || data[i + 4] != '-' ||
		    !digits(data + i + 5, 2) || data[i + 7] != '-' ||
		    !digits(data + i + 8, 2))
			continue;
		found++;
		y = (data[i] - '0') * 1000 + (data[i + 1] - '0') * 100 +
		    (data[i + 2] - '0') * 10 + (data[i + 3] - '0');
		m = (data[i + 5] - '0') * 10 + (data[i + 6] - '0');
		d = (data[i + 8] - '0') * 10 + (data[i + 9] - '0');
		if (m < 1 || m > 12)
			continue;
		t = time_days_from_civil(y, m, d) * 86400 + 43200;
		if (calendar_covers(c, t))
			return t;
	}
	return INT64_MIN;
}

static void
probe(const struct calendar *c, const uint8_t *data, size_t size)
{
	struct err e;
	int64_t t0, t1, t, s, secs, start = INT64_MIN;
	uint64_t r;
	size_t k;
	bool w;

	/* find an instant inside: the calendar's dates are 1900..9999 */
	if ((t0 = date_in_input(c, data, size)) != INT64_MIN)
		start = first_instant(c, t0);
	for (k = 0; k < 64 && start == INT64_MIN; k++) {
		t0 = -2208988800LL + (int64_t)(bits(data, size, k) %
		    (uint64_t)(8100LL * 365 * 86400));
		if (calendar_covers(c, t0))
			start = first_instant(c, t0);
	}
	if (start == INT64_MIN) {
		/* guess from the start: 2017-01-01 at +08:00 */
		start = first_instant(c, 1483200000);
		if (!calendar_covers(c, start))
			return;
	}
	if (calendar_covers(c, start - 1))
		abort();
	for (k = 0; k < 16; k++) {
		r = bits(data, size, 64 + k);
		t0 = start + (int64_t)(r % (400ULL * 86400)) - 86400;
		secs = (int64_t)(bits(data, size, 128 + k) % (40ULL * 86400));
		err_clear(&e);
		if (calendar_is_workday(c, t0, &w, &e) != 0) {
			if (calendar_covers(c, t0) || e.code != ERR_DATA)
				abort();
			continue;
		}
		if (calendar_add_worked(c, t0, secs, &t, &e) == 0) {
			if (t < t0 || !calendar_covers(c, t))
				abort();
			if (calendar_worked(c, t0, t, &s, &e) != 0 ||
			    s != secs)
				abort();
			if (secs > 0 && (calendar_worked(c, t0, t - 1, &s,
			    &e) != 0 || s != secs - 1))
				abort();
		} else if (e.code != ERR_DATA)
			abort();
		t1 = t0 + (int64_t)(r >> 40);
		if (calendar_worked(c, t0, t1, &s, &e) == 0 &&
		    (s < 0 || s > t1 - t0))
			abort();
		if (calendar_add_workdays(c, t0, (long)(r % 400), &t, &e) ==
		    0) {
			if (t < t0 || !calendar_covers(c, t))
				abort();
		} else if (e.code != ERR_DATA)
			abort();
	}
	(void)calendar_worked(c, INT64_MIN, INT64_MAX, &s, &e);
	(void)calendar_add_worked(c, start, INT64_MAX, &t, &e);
	(void)calendar_add_workdays(c, start, (long)CALENDAR_MAX_DAYS + 1, &t,
	    &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar *c = NULL;
	struct err e;
	long live = mem_live();

	err_clear(&e);
	if (calendar_load_string(&c, (const char *)data, size, "fuzz.yaml",
	    &e) == 0) {
		if (c == NULL || calendar_name(c)[0] == '\0' ||
		    calendar_day_seconds(c) <= 0 ||
		    calendar_day_seconds(c) > 86400)
			abort();
		probe(c, data, size);
		calendar_free(c);
	} else if (c != NULL || e.code == ERR_OK)
		abort();
	if (mem_live() != live)
		abort();
	return 0;
}
