/*
 * buf.h - growable byte buffers
 *
 * A struct buf holds len bytes at p, always followed by a NUL (once anything
 * was added), so p can be used as a C string when the bytes hold no NUL.
 * The buffer owns p; buf_free releases it.  Memory comes from mem.h.
 *
 * Every function that grows the buffer returns 0, or -1 when out of memory;
 * on failure the buffer is unchanged and still valid.
 */
#ifndef GRID_BUF_H
#define GRID_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

int buf_grow(struct buf *b, size_t extra);	/* room for extra bytes + NUL */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, int c);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);			/* len = 0, keeps memory */
void buf_free(struct buf *b);			/* frees and empties */

/* buf_detach: hand p to the caller (to free with mem_free), empty b. */
char *buf_detach(struct buf *b);

#endif
