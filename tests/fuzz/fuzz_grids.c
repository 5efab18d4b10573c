/*
 * fuzz_grids - the grid registry loader (record file with WKT), then the
 * check and a few lookups over whatever loads.
 *
 * Any input: grids_load_mem loads or fails cleanly; on success grids_check
 * and grids_locate run without crashing, lookups agree with the brute-force
 * loop (when every polygon is valid), and every block allocated through mem is freed again.  Inputs over
 * 64 KiB are skipped: GEOS's overlay time grows fast with vertex counts,
 * and the loader's own parsing is covered by small inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grids.h"
#include "mem.h"

struct counts {
	long n, invalid;
};

static int
count_cb(void *arg, const struct grids_issue *is)
{
	struct counts *c = arg;

	if (is->kind == NULL || is->code == NULL || is->other_code == NULL ||
	    is->reason == NULL)
		abort();
	c->n++;
	if (strcmp(is->kind, "invalid") == 0)
		c->invalid++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double pts[][2] = {
		{ 116.305, 39.905 }, { 116.30, 39.90 }, { 0, 0 },
		{ 1, 1 }, { 116.4, 39.9 }, { -180, 90 }, { 2.5, 1.5 },
	};
	struct grids *g;
	struct err e;
	struct counts c = { 0, 0 };
	long live = mem_live(), leaf, bleaf;
	double d;
	size_t i;
	int rc, rb;

	if (size > 65536)
		return 0;
	rc = grids_load_mem(&g, (const char *)data, size, "fuzz", NULL, &e);
	if (rc != 0) {
		if (g != NULL || e.msg[0] == '\0')
			abort();
	} else {
		if (grids_check(g, 1.0, count_cb, &c, &e) != 0)
			abort();
		for (i = 0; i < sizeof pts / sizeof pts[0]; i++) {
			rc = grids_locate(g, pts[i][0], pts[i][1], 500, &leaf,
			    &d, &e);
			if (rc < 0 || rc > 2 || (rc != 0) != (leaf >= 0))
				abort();
			rc = grids_locate(g, pts[i][0], pts[i][1], 0, &leaf,
			    &d, &e);
			rb = grids_locate_brute(g, pts[i][0], pts[i][1],
			    &bleaf, &e);
			/* on invalid polygons plain GEOSCovers may throw
			 * or judge otherwise than the prepared one */
			if (c.invalid == 0 && (rc != rb || leaf != bleaf))
				abort();
		}
		for (i = 0; i < grids_count(g); i++) {
			long out[GRIDS_NLEVEL];

			grids_chain(g, i, out);
			if (grids_find(g, grids_code(g, i)) != (long)i)
				abort();
		}
		grids_free(g);
	}
	if (mem_live() != live)
		abort();
	return 0;
}
