/*
 * csvin.h - raw CSV input: libcsv in strict mode, encodings, line numbers
 *
 * Reads the CSV files districts export from spreadsheets and registers:
 * UTF-8 or GB18030 (converted to UTF-8 with iconv), with or without a UTF-8
 * BOM (dropped), LF or CRLF line ends, delimiter ',' ';' or TAB (given, or
 * guessed from the first non-blank line: the one of the three that occurs
 * most often there outside quotes; ',' on a tie or when none does).  Fields keep their spaces (libcsv's
 * trimming is turned off) and blank lines are skipped but counted.  The
 * dialect is strict RFC 4180: a quote may only open a field, close it, or
 * come doubled inside a quoted one; a line end inside quotes is data (a
 * CRLF there stays CRLF); a CR before the LF that ends a record is dropped;
 * any other CR is data.
 *
 * Rows come out one at a time, with the physical line they start on and the
 * raw text of the whole row (all its physical lines, converted to UTF-8, line
 * ends included), so that a rejected row can be written out whole.
 *
 * A bad row does not stop the reader: csvin_read returns ERR_DATA for it with
 * the reason in the err (file, line set; never the data) and the row's raw
 * text in row->raw, and the next call goes on with the next row.  Bad rows:
 * invalid UTF-8 (encoding utf-8, or bytes GB18030 cannot decode), a NUL
 * byte, a quoting error, a field longer than max_field, a row longer than
 * max_row (then the reader skips to the next physical line), an unterminated
 * quoted field at the end of the input.  After an encoding error, a NUL, a
 * quoting error or an overlong row the reader resyncs at the next physical
 * line, which may fall inside the bad row's quoted field; a too-long field
 * only spoils its own row.  For a row that is not valid UTF-8,
 * row->raw_utf8 is false and raw holds the bytes as read.  The raw text of
 * a row longer than max_row is cut to max_row bytes (as read).  A bad row
 * has nfields 0.
 *
 * Memory: libcsv's allocator is routed through mem.h.  The row's fields and
 * raw text belong to the reader and are valid until the next csvin_read or
 * csvin_close.
 *
 * Hashing: when opts.hash is set, the reader keeps the sha256 of the bytes
 * it read (before conversion), for the manifest; it always counts them.
 *
 * Speed: a row on one line with no quote character is split here, with
 * memchr, and never reaches libcsv (the result is the same: see
 * csvin_fast_path).  With CSVIN_AUTO the whole of a regular file is
 * checked for UTF-8 when it is opened, so its lines are not checked again
 * as they are read; lines past the size the file had then (it grew) are.
 * A file rewritten in place while it is read could thus let invalid UTF-8
 * through: do not import a file something else is still writing.
 */
#ifndef GRID_CSVIN_H
#define GRID_CSVIN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum csvin_enc { CSVIN_AUTO, CSVIN_UTF8, CSVIN_GB18030 };

struct csvin_opts {
	int delim;		/* ',', ';', '\t', or 0 to guess */
	enum csvin_enc enc;	/* CSVIN_AUTO: UTF-8 when valid, else GB18030 */
	size_t max_field;	/* bytes; 0 = 1 MiB */
	size_t max_row;		/* bytes as read; 0 = 4 MiB */
	bool hash;		/* keep the sha256 of the input (csvin_sha256);
				 * last, so that older initialisers stay valid */
};

struct csvin_row {
	size_t nfields;
	const char **fields;	/* NUL-terminated UTF-8 */
	const size_t *lens;	/* byte lengths */
	long line;		/* physical line the row starts on, 1-based */
	long nlines;		/* physical lines it spans */
	const char *raw;	/* whole row as read, line end(s) included */
	size_t rawlen;
	bool raw_utf8;		/* raw is valid UTF-8 */
};

struct csvin;

/*
 * csvin_open: open path ("-" or NULL: standard input; name used in messages
 * is then "-").  With CSVIN_AUTO a regular file is scanned whole to decide
 * the encoding (a leading UTF-8 BOM decides UTF-8 at once), then read from
 * where it was; a pipe is decided on its first MiB, which is kept.  o may be
 * NULL for the defaults.  Errors: ERR_NOINPUT (cannot open, or a
 * directory), ERR_IO, ERR_INTERNAL, ERR_USAGE (delimiter '"', CR or LF, or
 * an unknown encoding).  On error *cp is NULL.
 */
int csvin_open(struct csvin **cp, const char *path,
    const struct csvin_opts *o, struct err *e);

/*
 * csvin_open_mem: read from buf[0..n) (borrowed, must outlive the reader);
 * name is used in messages (NULL: "-").  Errors as csvin_open, without
 * ERR_NOINPUT and ERR_IO.
 */
int csvin_open_mem(struct csvin **cp, const char *buf, size_t n,
    const char *name, const struct csvin_opts *o, struct err *e);

/*
 * csvin_read: the next row into *row.  Returns 1 with a row, 0 at the end
 * of input (and again on later calls), ERR_DATA for a bad row (row->raw,
 * line, nlines set, e's file and line too; the caller may go on reading),
 * ERR_IO or ERR_INTERNAL (fatal: stop; later calls fail the same way).
 * A row (fields and raw) is valid until the next csvin_read or csvin_close.
 */
int csvin_read(struct csvin *c, struct csvin_row *row, struct err *e);

/* csvin_encoding: the encoding in use (decided once open). */
enum csvin_enc csvin_encoding(const struct csvin *c);

/*
 * csvin_delim: the delimiter in use: the one given, or once the first row
 * is read, the one guessed from its first physical line (0 before that).
 */
int csvin_delim(const struct csvin *c);

/* csvin_name: the name used in messages ("-" for standard input). */
const char *csvin_name(const struct csvin *c);

/*
 * csvin_sha256: hex sha256 (65 bytes with NUL) of the bytes read so far, as
 * read (BOM included, before conversion); csvin_bytes: how many.  Read to
 * the end (csvin_read returned 0) they cover the whole input.  A memory
 * input counts as read whole when opened.  "" unless the reader was
 * opened with opts.hash set (or OpenSSL failed).
 */
void csvin_sha256(const struct csvin *c, char hex[65]);

/*
 * csvin_fast_path: on (the default), a row that is one line without a
 * quote character is split by the reader itself; off, every row goes
 * through libcsv.  Both give the same rows and errors; this is for the
 * tests that prove it.
 */
void csvin_fast_path(struct csvin *c, bool on);

/* csvin_bytes: bytes read so far; csvin_size: size of a regular file (or
 * of a memory input), else 0 (for progress reports). */
unsigned long long csvin_bytes(const struct csvin *c);
unsigned long long csvin_size(const struct csvin *c);

/* csvin_close: close and free; NULL is fine. */
void csvin_close(struct csvin *c);

#endif
