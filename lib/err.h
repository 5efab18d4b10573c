/*
 * err.h - error reports returned by the gridkit library
 *
 * The library never prints and never exits.  A function that can fail takes
 * a `struct err *` as its last argument, fills it on failure and returns the
 * error code (negative of nothing: the code itself, one of enum err_code).
 * Only cmd/ decides what to print (see diag.h) and which status to exit with.
 *
 * The codes are the sysexits(3) values the programs exit with, so that a
 * command can pass a library code straight to exit(3).
 *
 * A message says what is wrong, lowercase, no full stop, and never quotes a
 * data value: personal data (names, ID numbers, phones) must not reach a
 * diagnostic.  Where it happened is kept apart (file, line, field) so that
 * diag can shape it as `prog: file:line: field 'x': message`.
 *
 * Ownership: a struct err owns nothing; every string in it is copied into
 * its fixed buffers (truncated if too long).  It may live on the stack.
 */
#ifndef GRID_ERR_H
#define GRID_ERR_H

#include <stddef.h>

enum err_code {
	ERR_OK = 0,
	ERR_USAGE = 64,		/* bad option or argument */
	ERR_DATA = 65,		/* bad input data or configuration */
	ERR_NOINPUT = 66,	/* cannot open an input */
	ERR_INTERNAL = 70,	/* bug, or out of memory */
	ERR_IO = 74		/* read or write failed */
};

struct err {
	int code;		/* enum err_code; ERR_OK when clear */
	long line;		/* 1-based line, 0 when not known */
	char file[256];		/* file name, "" when not known */
	char field[64];		/* field or key name, "" when none */
	char msg[256];		/* what is wrong */
};

/* err_clear: reset e to ERR_OK with everything empty.  e may be NULL. */
void err_clear(struct err *e);

/*
 * err_set: fill e with code and a printf-shaped message and return code.
 * The location (file, line, field) already in e is kept, so a caller may set
 * it before or after.  e may be NULL: then only the code is returned.
 */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* err_nomem: shorthand for err_set(e, ERR_INTERNAL, "out of memory"). */
int err_nomem(struct err *e);

/* err_errno: err_set with ": strerror(errnum)" appended to the message. */
int err_errno(struct err *e, int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* err_at: set the location of e (file may be NULL, field may be NULL). */
void err_at(struct err *e, const char *file, long line, const char *field);

#endif
