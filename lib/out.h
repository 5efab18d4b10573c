/*
 * out.h - buffered output to standard output or to a file updated atomically
 *
 * out_open(path) with a path writes into a temporary file in the same
 * folder (mkstemp), and out_commit flushes it, fsyncs it and renames it over
 * path: readers see the old file or the new one, never half of it.  On any
 * failure, or out_abort, the temporary file is removed and the old file stays.
 * With path NULL or "-", out writes to standard output and out_commit only
 * flushes it.  A path that exists and is not a regular file (a device such
 * as /dev/null, a FIFO), and any path under /dev/ or /proc/ (/dev/stderr
 * links to whatever standard error is), is opened for appending and
 * written to directly, never replaced.  A symbolic link elsewhere keeps
 * pointing where it did: the file it points to is replaced.
 *
 * Writes are buffered (1 MiB) and go out with write(2).  A write error is
 * remembered: every later call fails fast with the same error, and out_commit
 * reports it (ERR_IO, with strerror: "No space left on device" for ENOSPC).
 * A write into a closed pipe (EPIPE, when SIGPIPE is ignored) is flagged so
 * that the program can end quietly as SIGPIPE would (out_epipe).
 *
 * Optionally the bytes written are hashed (out_hash) for the manifest.
 *
 * Ownership: out_open returns an owned struct out; out_commit and out_abort
 * both free it, whatever they return.
 */
#ifndef GRID_OUT_H
#define GRID_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "hash.h"

struct out;

/*
 * out_open: path NULL or "-" is standard output.  mode is the permission of
 * a new file (0666 for records, 0600 for files holding raw personal data;
 * the umask applies).  Errors: ERR_IO (cannot create the temporary file, with
 * the folder's error), ERR_INTERNAL.
 */
int out_open(struct out **op, const char *path, int mode, struct err *e);

/* out_hash: start hashing what is written from now on (call before writing). */
int out_hash(struct out *o, struct err *e);

/* out_write: append n bytes.  ERR_IO once a write failed. */
int out_write(struct out *o, const void *p, size_t n, struct err *e);

/* out_reserve: room for at least n bytes at the end of the buffer, flushing
 * first if needed; returns a pointer to write into, then out_advance(n'). */
char *out_reserve(struct out *o, size_t n, struct err *e);
void out_advance(struct out *o, size_t n);

/* out_flush: write out the buffer now. */
int out_flush(struct out *o, struct err *e);

/* out_commit: flush, fsync and rename into place (or flush stdout); frees o. */
int out_commit(struct out *o, struct err *e);

/* out_abort: drop everything not yet committed, remove the temp file; frees o. */
void out_abort(struct out *o);

/* out_epipe: the last failure was a closed pipe. */
bool out_epipe(const struct out *o);

/* out_bytes: bytes written so far. */
unsigned long long out_bytes(const struct out *o);

/*
 * out_sha256: flush, then the hex digest of the bytes written since out_hash
 * ("" if out_hash was not called).  Call it before out_commit.
 */
int out_sha256(struct out *o, char hex[HASH_HEX_MAX], struct err *e);

/* out_name: the path given, or "-". */
const char *out_name(const struct out *o);

#endif
