/* strset.c - a set of byte strings; see strset.h */
#include "strset.h"

#include <string.h>

#include "str.h"

struct strset_slot {
	uint64_t hash;
	const char *s;		/* NULL: empty slot */
	size_t n;
};

void
strset_init(struct strset *set)
{
	set->slots = NULL;
	set->cap = set->n = 0;
	mem_arena_init(&set->arena);
}

static int
grow(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 1024, i, j;
	struct strset_slot *t;

	if ((t = mem_calloc(cap, sizeof *t)) == NULL)
		return -1;
	for (i = 0; i < set->cap; i++) {
		if (set->slots[i].s == NULL)
			continue;
		for (j = set->slots[i].hash & (cap - 1); t[j].s != NULL;
		    j = (j + 1) & (cap - 1))
			;
		t[j] = set->slots[i];
	}
	mem_free(set->slots);
	set->slots = t;
	set->cap = cap;
	return 0;
}

int
strset_add(struct strset *set, const char *s, size_t n, bool *found,
    struct err *e)
{
	uint64_t h = str_hash(s, n);
	struct strset_slot *sl;
	size_t j;
	char *copy;

	*found = false;
	if ((set->n + 1) * 4 > set->cap * 3 && grow(set) < 0)
		return err_nomem(e);
	for (j = h & (set->cap - 1);; j = (j + 1) & (set->cap - 1)) {
		sl = &set->slots[j];
		if (sl->s == NULL)
			break;
		if (sl->hash == h && sl->n == n && memcmp(sl->s, s, n) == 0) {
			*found = true;
			return 0;
		}
	}
	if ((copy = mem_arena_strndup(&set->arena, s, n)) == NULL)
		return err_nomem(e);
	sl->hash = h;
	sl->s = copy;
	sl->n = n;
	set->n++;
	return 0;
}

size_t
strset_count(const struct strset *set)
{
	return set->n;
}

void
strset_free(struct strset *set)
{
	mem_free(set->slots);
	mem_arena_free(&set->arena);
	set->slots = NULL;
	set->cap = set->n = 0;
}
