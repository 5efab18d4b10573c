/* mem.c - the allocation chokepoint and arenas; see mem.h */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_after = -1;
static long live;
static long count;

static int
should_fail(void)
{
	if (fail_after < 0)
		return 0;
	if (fail_after == 0)
		return 1;
	fail_after--;
	return 0;
}

void
mem_fail_after(long n)
{
	fail_after = n;
}

long
mem_live(void)
{
	return live;
}

long
mem_count(void)
{
	return count;
}

void *
mem_alloc(size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	if ((p = malloc(size ? size : 1)) != NULL) {
		live++;
		count++;
	}
	return p;
}

void *
mem_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	if ((p = mem_alloc(nmemb * size)) != NULL)
		memset(p, 0, nmemb * size);
	return p;
}

void *
mem_realloc(void *p, size_t size)
{
	void *q;

	if (should_fail())
		return NULL;
	if ((q = realloc(p, size ? size : 1)) == NULL)
		return NULL;
	if (p == NULL)
		live++;
	count++;
	return q;
}

void *
mem_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	return mem_realloc(p, nmemb * size);
}

void
mem_free(void *p)
{
	if (p == NULL)
		return;
	live--;
	free(p);
}

char *
mem_strndup(const char *s, size_t n)
{
	char *p;

	if ((p = mem_alloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

struct mem_chunk {
	struct mem_chunk *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_MIN 65536

void
mem_arena_init(struct mem_arena *a)
{
	a->head = NULL;
	a->chunk = ARENA_MIN;
}

void *
mem_arena_alloc(struct mem_arena *a, size_t n)
{
	struct mem_chunk *c = a->head;
	size_t align = sizeof(max_align_t), need, size;
	void *p;

	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (c == NULL || c->size - c->used < n) {
		size = a->chunk;
		while (size < n) {
			if (size > SIZE_MAX / 2)
				return NULL;
			size *= 2;
		}
		need = sizeof *c + size;
		if (need < size || (c = mem_alloc(need)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		if (a->chunk < (size_t)16 << 20)
			a->chunk *= 2;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *
mem_arena_strndup(struct mem_arena *a, const char *s, size_t n)
{
	char *p;

	if ((p = mem_arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
mem_arena_reset(struct mem_arena *a)
{
	struct mem_chunk *c, *next;

	if (a->head == NULL)
		return;
	for (c = a->head->next; c != NULL; c = next) {
		next = c->next;
		mem_free(c);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

void
mem_arena_free(struct mem_arena *a)
{
	struct mem_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		mem_free(c);
	}
	a->head = NULL;
	a->chunk = ARENA_MIN;
}
