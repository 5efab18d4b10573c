/*
 * strmap.h - an exact-match map from byte strings to byte strings
 *
 * The address table of grid-assign (addr.h) maps normalised addresses to
 * grid codes; strmap is the hash map under it, usable for any string to
 * string lookup.  Keys and values are byte strings (they may hold NUL
 * bytes); a key is found only by the very same bytes.
 *
 * A value is never overwritten: strmap_put of a key already present leaves
 * the map unchanged and hands back the value there, so the caller decides
 * whether the second value is a conflict or a harmless repeat.
 *
 * Table: open addressing with linear probing, a power-of-two number of
 * slots, 64-bit FNV-1a hash, grown (doubled) before the load passes 0.7.
 *
 * Memory per entry: one 32-byte slot per table position at a load of 0.35
 * to 0.7 (so 46 to 92 bytes of table per entry), plus the key and value
 * copied into the map's arena as key NUL value NUL, rounded up to 16 bytes.
 * Nothing else; the table itself starts at 1024 slots (32 KiB) on the first
 * put, the arena at 64 KiB.
 *
 * Ownership: a struct strmap lives in the caller's storage; strmap_init
 * makes it empty (allocates nothing), strmap_free releases everything.  The
 * map copies keys and values; the pointers strmap_get and strmap_put return
 * point into the map and stay valid until strmap_free.
 * Errors: ERR_INTERNAL "out of memory" only; the map is unchanged then.
 */
#ifndef GRID_STRMAP_H
#define GRID_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "mem.h"

struct strmap_slot;

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;		/* cap is 0 or a power of two */
	struct mem_arena arena;
};

/* strmap_init: an empty map; allocates nothing. */
void strmap_init(struct strmap *m);

/*
 * strmap_put: add key[0..klen) -> val[0..vlen) unless the key is there.
 * When it is there already, nothing changes: *existed is set to 1 and *old
 * to the value already stored (NUL-terminated; strmap_get gives its length
 * when it may hold NUL bytes).  Otherwise the pair is copied in, *existed
 * is 0 and *old is NULL.  existed and old may be NULL; key may be NULL when
 * klen is 0, val when vlen is 0.  Returns 0, or ERR_INTERNAL when out of
 * memory (the map unchanged).
 */
int strmap_put(struct strmap *m, const char *key, size_t klen,
    const char *val, size_t vlen, int *existed, const char **old,
    struct err *e);

/*
 * strmap_get: the value stored under key[0..klen) (NUL-terminated, owned
 * by the map), its length in *vlen (vlen may be NULL), or NULL when the key
 * is absent (*vlen is then 0).
 */
const char *strmap_get(const struct strmap *m, const char *key, size_t klen,
    size_t *vlen);

/* strmap_count: number of keys in the map. */
size_t strmap_count(const struct strmap *m);

/* strmap_free: release the table and every copy; m may be used again after
 * strmap_init. */
void strmap_free(struct strmap *m);

#endif
