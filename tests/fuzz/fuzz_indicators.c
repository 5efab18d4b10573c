/*
 * fuzz_indicators.c - libFuzzer target for lib/indicators (and the where
 * expressions of lib/filter it parses)
 *
 * Bytes go to ind_load_string.  A refusal must come with an error code and
 * no indicators.  When the bytes load, the tree must hang together (root
 * first in preorder, parents before children, every id found by ind_find,
 * weights adding up at every group), and every leaf is scored with a few
 * values: n/a, 0, negative, small, large, its own target and bounds.  A
 * score is never negative, never above the leaf's weight, and always a
 * whole number of hundredths.  Nothing may crash or leak (mem_live back to
 * where it started).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "err.h"
#include "indicators.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
score(const struct ind_node *n, bool na, int64_t v)
{
	int64_t s = -1;
	int r;

	r = ind_score(n, na, v, &s);
	if (r != 0 && r != 1)
		abort();
	if (r == 0) {
		if (s != 0)
			abort();
		return;
	}
	if (s < 0 || s % (DEC_SCALE / 100) != 0)
		abort();
	/* rounding to 0.01 may pass a weight with more places by < 0.005 */
	if (s > n->weight + DEC_SCALE / 200)
		abort();
}

static void
check(const struct indicators *in)
{
	static const int64_t vals[] = {
		0, -1, 1, -DEC_SCALE, DEC_SCALE / 2, DEC_SCALE, 3 * DEC_SCALE,
		INT64_MAX, INT64_MIN, 9000000000000LL * DEC_SCALE
	};
	const struct ind_node *n;
	int64_t sum;
	size_t i, j;

	if (in->norder == 0 || in->order[0] != in->root ||
	    in->root->type != IND_GROUP || in->root->weight != in->total)
		abort();
	for (i = 0; i < in->norder; i++) {
		n = in->order[i];
		if (ind_find(in, n->id) != n)
			abort();
		if (i > 0 && (n->parent == NULL ||
		    n->depth != n->parent->depth + 1))
			abort();
		if (n->type == IND_GROUP) {
			sum = 0;
			for (j = 0; j < n->nitem; j++)
				if (n->item[j]->has_weight)
					sum += n->item[j]->weight;
			if (n->has_weight ? sum != n->weight : sum != 0)
				abort();
			continue;
		}
		score(n, true, 0);
		for (j = 0; j < sizeof vals / sizeof vals[0]; j++)
			score(n, false, vals[j]);
		score(n, false, n->target);
		score(n, false, n->target - 1);
		score(n, false, n->lin_zero);
		score(n, false, n->lin_full);
		for (j = 0; j < n->ntier; j++) {
			score(n, false, n->tier[j].bound);
			score(n, false, n->tier[j].bound + 1);
			score(n, false, n->tier[j].bound - 1);
		}
	}
	for (i = 0; i < in->ngrade; i++)
		if (ind_grade(in, in->grade[i].min) != in->grade[i].grade)
			abort();
	(void)ind_time_field(in, "event");
	(void)ind_scope_field(in, "worker", "event");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct indicators *in = NULL;
	struct err e;
	long live;

	live = mem_live();
	err_clear(&e);
	if (ind_load_string(&in, (const char *)data, size, "fuzz.yaml",
	    &e) != 0) {
		if (in != NULL || e.code == ERR_OK)
			abort();
	} else {
		check(in);
		ind_free(in);
	}
	if (mem_live() != live)
		abort();
	return 0;
}
