/*
 * rec.h - reader and writer of grid-records(5)
 *
 * The record format: UTF-8 text, one record per line ending in LF; the first
 * line is the header, TAB-separated field names [a-z][a-z0-9_]*, unique, the
 * first one "kind"; every other line has exactly as many TAB-separated
 * fields; in a value, backslash escapes TAB, LF, CR and backslash (\t \n \r
 * \\) and nothing else; an empty field is "no value".
 *
 * The reader is strict.  Each of these is ERR_DATA with file and line: a
 * wrong number of fields, a bad or lone backslash, invalid UTF-8, a NUL byte,
 * a raw CR, a line longer than REC_MAX_LINE, a last line without LF, and in
 * the header: a bad or duplicate name, no "kind" first.  A bad record does
 * not stop the reader: rec_read returns ERR_DATA with the line's raw bytes
 * (untouched) in row->raw, and the next call reads the next line.  An error
 * in the header is fatal.  Every record of a stream must carry the same kind
 * as the first (or the kind asked for with rec_reader_expect_kind).
 *
 * Reading is by large blocks (1 MiB, growing for long lines); the fields of
 * a row are unescaped in place in the reader's buffer, NUL-terminated, and
 * valid until the next rec_read: copy what must outlive the batch.
 *
 * Writing escapes each value; the output goes through out.h.  Escaping is
 * canonical, so read → write gives back the same bytes.
 *
 * Ownership: rec_reader_open returns an owned reader; rec_reader_close frees
 * it (NULL is fine).  Header names belong to the reader.
 */
#ifndef GRID_REC_H
#define GRID_REC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "hash.h"
#include "out.h"

#define REC_MAX_LINE ((size_t)64 << 20)	/* bytes */
#define REC_MAX_FIELDS 4096

struct rec_header {
	size_t n;		/* number of fields */
	char **names;		/* NUL-terminated names */
};

struct rec_row {
	size_t n;		/* == header n */
	char **v;		/* unescaped values, NUL-terminated */
	size_t *len;		/* their lengths */
	long line;		/* 1-based line in the file */
	const char *raw;	/* after ERR_DATA: the line as read, without LF */
	size_t rawlen;
};

struct rec_reader;

/*
 * rec_reader_open: open path (NULL or "-": standard input) and read its
 * header.  Errors: ERR_NOINPUT (cannot open), ERR_DATA (no header or a bad
 * one, "empty input" for an empty file), ERR_IO, ERR_INTERNAL.
 * When hash is true the reader keeps the sha256 of the bytes read.
 */
int rec_reader_open(struct rec_reader **rp, const char *path, bool hash,
    struct err *e);

/* rec_reader_mem: the same, over buf[0..n) (borrowed, must outlive r). */
int rec_reader_mem(struct rec_reader **rp, const char *buf, size_t n,
    const char *name, struct err *e);

/*
 * rec_reader_expect_kind: every record must have this kind, else ERR_DATA
 * "kind differs from 'y'" (kinds are not personal data).
 */
void rec_reader_expect_kind(struct rec_reader *r, const char *kind);

const struct rec_header *rec_reader_header(const struct rec_reader *r);
const char *rec_reader_name(const struct rec_reader *r);

/* rec_reader_index: index of the field called name, or -1. */
long rec_reader_index(const struct rec_reader *r, const char *name);

/*
 * rec_read: next record.  1 with a row, 0 at end of input, ERR_DATA for a
 * bad line (row->line, row->raw set; reading may go on), ERR_IO, ERR_INTERNAL.
 */
int rec_read(struct rec_reader *r, struct rec_row *row, struct err *e);

/* rec_reader_records: records returned so far (good ones). */
unsigned long long rec_reader_records(const struct rec_reader *r);

/* rec_reader_sha256: hex sha256 of everything read ("" without hash). */
void rec_reader_sha256(const struct rec_reader *r, char hex[HASH_HEX_MAX]);

/* rec_reader_bytes: bytes read so far; rec_reader_size: file size or 0. */
unsigned long long rec_reader_bytes(const struct rec_reader *r);
unsigned long long rec_reader_size(const struct rec_reader *r);

void rec_reader_close(struct rec_reader *r);

/* rec_name_valid: s is [a-z][a-z0-9_]*. */
bool rec_name_valid(const char *s);

/*
 * rec_write: write one line of n fields (a header or a record), each value
 * escaped; len may be NULL to use strlen.  Errors from out_write.
 */
int rec_write(struct out *o, size_t n, const char *const *v,
    const size_t *len, struct err *e);

/*
 * rec_format: the line rec_write writes for v[0..n) (len not NULL), LF
 * included, into dst, which has room for 1 + the sum of 2 * len[i] + 1;
 * returns its length.  Writes nothing else and allocates nothing.
 */
size_t rec_format(char *dst, size_t n, const char *const *v,
    const size_t *len);

/* rec_escaped_len: the length of v[0..n) once escaped. */
size_t rec_escaped_len(const char *v, size_t n);

/* rec_escape: write v[0..n) escaped into dst (rec_escaped_len bytes). */
size_t rec_escape(char *dst, const char *v, size_t n);

/*
 * rec_extend: the output header of a stage that owns the fields add[0..nadd):
 * the input's fields in order, then each added field not already present.
 * A field already present keeps its place and gets replaced, so re-running a
 * stage does not add its fields twice.  pos[i] gets the output index of
 * add[i].  out->names borrow from in and add; free out->names only, with
 * mem_free.  ERR_INTERNAL, or ERR_DATA when add holds an invalid name.
 */
int rec_extend(const struct rec_header *in, const char *const *add,
    size_t nadd, struct rec_header *out, size_t *pos, struct err *e);

#endif
