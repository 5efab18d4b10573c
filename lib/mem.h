/*
 * mem.h - the one allocation chokepoint, and per-batch arenas
 *
 * Every allocation of the library and the programs goes through mem_alloc,
 * mem_realloc and mem_free (libcsv's allocator included), so that a test can
 * make the N-th allocation fail (mem_fail_after) and check that every caller
 * turns that into a clean ERR_INTERNAL "out of memory" with nothing leaked
 * (mem_live counts blocks not yet freed).
 *
 * The functions return NULL on failure and never exit: the caller reports.
 * Sizes are checked for overflow (mem_reallocarray), like OpenBSD's.
 *
 * An arena (struct mem_arena) hands out many small blocks that are all freed
 * at once by mem_arena_reset or mem_arena_free: one per batch of records.
 * A pointer from an arena is valid until the next reset; anything that must
 * outlive the batch is copied out on purpose.
 *
 * Not thread-safe: the counters are plain globals.  Allocate from one
 * thread only: event-route's worker threads (prog_filter_par in
 * cmd/common/prog.c) allocate nothing, they ask the reading thread to grow
 * their buffers.  Parallelism across machines is by processes.
 */
#ifndef GRID_MEM_H
#define GRID_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);			/* malloc; size 0 gives a unique block */
void *mem_calloc(size_t nmemb, size_t size);	/* zeroed, overflow-checked */
void *mem_realloc(void *p, size_t size);	/* realloc; p may be NULL */
void *mem_reallocarray(void *p, size_t nmemb, size_t size);
void mem_free(void *p);				/* free; NULL is fine */
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);	/* copies n bytes, adds NUL */

/*
 * mem_fail_after: make the allocation after the next n succeed fail, and
 * every one after it too (n = 0 fails the very next one).  n < 0 turns
 * failure injection off.  For tests.
 */
void mem_fail_after(long n);

/* mem_live: number of blocks allocated and not yet freed. */
long mem_live(void);

/* mem_count: number of allocation calls that succeeded since start. */
long mem_count(void);

struct mem_chunk;
struct mem_arena {
	struct mem_chunk *head;	/* newest chunk first */
	size_t chunk;		/* size of the next chunk */
};

/* mem_arena_init: an empty arena; allocates nothing yet. */
void mem_arena_init(struct mem_arena *a);

/* mem_arena_alloc: n bytes aligned for any type, or NULL when out of memory. */
void *mem_arena_alloc(struct mem_arena *a, size_t n);

/* mem_arena_strndup: copy n bytes and a NUL into the arena. */
char *mem_arena_strndup(struct mem_arena *a, const char *s, size_t n);

/* mem_arena_reset: forget every block, keep the newest chunk for reuse. */
void mem_arena_reset(struct mem_arena *a);

/* mem_arena_free: free every chunk; the arena may be initialised again. */
void mem_arena_free(struct mem_arena *a);

#endif
