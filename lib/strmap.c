/* strmap.c - a map from byte strings to byte strings; see strmap.h */
#include "strmap.h"

#include <string.h>

#include "str.h"

struct strmap_slot {
	uint64_t hash;
	const char *kv;		/* key NUL value NUL; NULL: empty slot */
	size_t klen, vlen;
};

#define STRMAP_MIN 1024

void
strmap_init(struct strmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
	mem_arena_init(&m->arena);
}

/* The slot holding key, or the empty slot where it would go; cap > 0. */
static struct strmap_slot *
find(const struct strmap *m, uint64_t h, const char *key, size_t klen)
{
	size_t mask = m->cap - 1, j;
	struct strmap_slot *sl;

	for (j = (size_t)h & mask;; j = (j + 1) & mask) {
		sl = &m->slots[j];
		if (sl->kv == NULL || (sl->hash == h && sl->klen == klen &&
		    (klen == 0 || memcmp(sl->kv, key, klen) == 0)))
			return sl;
	}
}

static int
grow(struct strmap *m)
{
	size_t cap, i, j;
	struct strmap_slot *t;

	if (m->cap > SIZE_MAX / 2 / sizeof *t)
		return -1;
	cap = m->cap ? m->cap * 2 : STRMAP_MIN;
	if ((t = mem_calloc(cap, sizeof *t)) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].kv == NULL)
			continue;
		for (j = (size_t)m->slots[i].hash & (cap - 1); t[j].kv != NULL;
		    j = (j + 1) & (cap - 1))
			;
		t[j] = m->slots[i];
	}
	mem_free(m->slots);
	m->slots = t;
	m->cap = cap;
	return 0;
}

int
strmap_put(struct strmap *m, const char *key, size_t klen, const char *val,
    size_t vlen, int *existed, const char **old, struct err *e)
{
	uint64_t h = str_hash(key, klen);
	struct strmap_slot *sl;
	char *kv;

	if (existed != NULL)
		*existed = 0;
	if (old != NULL)
		*old = NULL;
	if (m->cap > 0) {
		sl = find(m, h, key, klen);
		if (sl->kv != NULL) {
			if (existed != NULL)
				*existed = 1;
			if (old != NULL)
				*old = sl->kv + sl->klen + 1;
			return 0;
		}
	}
	/* Grow before the load passes 0.7. */
	if ((m->n + 1) * 10 > m->cap * 7 && grow(m) < 0)
		return err_nomem(e);
	if (klen > SIZE_MAX - 2 || vlen > SIZE_MAX - 2 - klen ||
	    (kv = mem_arena_alloc(&m->arena, klen + vlen + 2)) == NULL)
		return err_nomem(e);
	if (klen > 0)
		memcpy(kv, key, klen);
	kv[klen] = '\0';
	if (vlen > 0)
		memcpy(kv + klen + 1, val, vlen);
	kv[klen + 1 + vlen] = '\0';
	sl = find(m, h, key, klen);
	sl->hash = h;
	sl->kv = kv;
	sl->klen = klen;
	sl->vlen = vlen;
	m->n++;
	return 0;
}

const char *
strmap_get(const struct strmap *m, const char *key, size_t klen, size_t *vlen)
{
	const struct strmap_slot *sl;

	if (vlen != NULL)
		*vlen = 0;
	if (m->n == 0)
		return NULL;
	sl = find(m, str_hash(key, klen), key, klen);
	if (sl->kv == NULL)
		return NULL;
	if (vlen != NULL)
		*vlen = sl->vlen;
	return sl->kv + sl->klen + 1;
}

size_t
strmap_count(const struct strmap *m)
{
	return m->n;
}

void
strmap_free(struct strmap *m)
{
	mem_free(m->slots);
	mem_arena_free(&m->arena);
	m->slots = NULL;
	m->cap = m->n = 0;
}
