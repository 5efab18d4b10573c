/*
 * strset.h - a set of byte strings, for finding duplicate ids
 *
 * grid-import keeps every value of a field marked unique in the schema, so
 * that a second row with the same id is rejected ("duplicate value").  The
 * set holds copies of the strings (in an arena) and an open-addressing
 * table of them; memory grows with the number of distinct values, about
 * 16 bytes plus the string per value.
 *
 * Ownership: a struct strset lives in the caller's storage; strset_init
 * makes it empty, strset_free releases everything.
 * Errors: ERR_INTERNAL when out of memory.
 */
#ifndef GRID_STRSET_H
#define GRID_STRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "mem.h"

struct strset_slot;

struct strset {
	struct strset_slot *slots;
	size_t cap, n;		/* cap is 0 or a power of two */
	struct mem_arena arena;
};

void strset_init(struct strset *s);

/*
 * strset_add: add s[0..n); *found is true when it was there already (the
 * set is then unchanged).  0 or ERR_INTERNAL.
 */
int strset_add(struct strset *set, const char *s, size_t n, bool *found,
    struct err *e);

/* strset_count: distinct strings in the set. */
size_t strset_count(const struct strset *set);

void strset_free(struct strset *set);

#endif
