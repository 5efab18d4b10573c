/*
 * fuzz_route.c - libFuzzer target for lib/route
 *
 * Bytes go to route_load_string with a fixed small calendar (so no file is
 * opened).  When they load, a few synthetic events are judged, as of no
 * time and as of a later time: each must either be judged or be refused
 * with ERR_DATA, and a judged one must make sense (a light only with a used
 * time, escalation only upwards).  Nothing may crash or leak (mem_live back
 * to where it started).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "err.h"
#include "mem.h"
#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char CAL[] =
    "name: f\n"
    "from: 2017-09-01\n"
    "to: 2017-10-31\n"
    "windows: [\"09:00-12:00\", \"13:00-18:00\"]\n"
    "holidays: [{from: 2017-10-01, to: 2017-10-08}]\n"
    "workdays: [2017-09-30]\n";

#define H 3600
#define BASE 1504486800		/* 2017-09-04T09:00:00+08:00 */

static struct calendar *cal;

static void
judge(const struct route *r, const struct route_event *ev, int64_t asof)
{
	struct route_result res;
	struct err e;
	int s;

	err_clear(&e);
	if (route_judge(r, ev, asof, &res, &e) != 0) {
		if (e.code != ERR_DATA)
			abort();
		return;
	}
	if ((res.light != ROUTE_LIGHT_NONE) !=
	    (res.handle_used_secs != ROUTE_NONE))
		abort();
	if (res.escalated != (res.handled_level > res.level))
		abort();
	if (res.route_default != (res.category_code == NULL))
		abort();
	for (s = 0; s < ROUTE_NSTEPS; s++)
		if (res.ontime[s] < -1 || res.ontime[s] > 1)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cats[] = {
		"01", "0101", "010102", "0203", "02031", "99", "", NULL
	};
	struct route *r = NULL;
	struct route_event ev;
	struct err e;
	long live;
	size_t i;

	if (cal == NULL) {
		err_clear(&e);
		if (calendar_load_string(&cal, CAL, strlen(CAL), "cal.yaml",
		    &e) != 0)
			abort();
	}
	live = mem_live();
	err_clear(&e);
	if (route_load_string(&r, (const char *)data, size, "fuzz.yaml", cal,
	    NULL, &e) != 0) {
		if (r != NULL || e.code == ERR_OK)
			abort();
	} else {
		for (i = 0; i < sizeof cats / sizeof cats[0]; i++) {
			route_event_init(&ev);
			ev.category = cats[i];
			ev.severity = i % 2 ? "urgent" : "high";
			ev.department = i % 3 ? "网格员" : NULL;
			ev.reported = BASE;
			ev.filed = BASE + H / 2;
			ev.dispatched = BASE + H;
			judge(r, &ev, ROUTE_NONE);
			judge(r, &ev, BASE + 30 * H);
			ev.susp_from = BASE + 3 * H;
			judge(r, &ev, BASE + 80 * H);
			ev.susp_to = BASE + 27 * H;
			ev.handled = BASE + (int64_t)(i + 1) * 20 * H;
			judge(r, &ev, ROUTE_NONE);
			ev.verified = ev.handled + H;
			ev.closed = ev.verified + H;
			judge(r, &ev, ROUTE_NONE);
			ev.voided = true;
			judge(r, &ev, ROUTE_NONE);
			route_event_init(&ev);
			ev.category = cats[i];
			ev.self_handled = true;
			ev.reported = BASE + (int64_t)i * 24 * 7 * H;
			judge(r, &ev, ev.reported + 10 * H);
		}
		route_free(r);
	}
	if (mem_live() != live)
		abort();
	return 0;
}
