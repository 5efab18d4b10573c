/* rec.c - grid-records(5) reader and writer; see rec.h */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "str.h"

#define REC_BUFSIZE ((size_t)1 << 20)

#ifdef __GNUC__
#define ALWAYS_INLINE __attribute__((always_inline))
#else
#define ALWAYS_INLINE
#endif

/*
 * Word-at-a-time ("SWAR") scanning.  The reader and the writer look at 8
 * bytes at once to skip runs of ordinary bytes, and go byte by byte only
 * from a byte that may need care.
 *
 * A word holds p[0] in its lowest byte, p[7] in its highest, on any
 * machine, so that the first byte in memory is the lowest in the word.  The
 * masks below set 0x80 in the bytes that match, with the classic
 * subtraction trick: cheap, and exact up to the lowest match, but a byte
 * above a match may be set too (the subtraction borrows from it).  So a
 * mask is only tested for zero ("no byte matches") and for its lowest byte
 * (first_flagged), never for the others: after the first match, scanning
 * resumes from the byte after it with a new word.
 */
#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/* The 8 bytes at p, p[0] lowest; one unaligned load on common machines. */
static inline uint64_t
load64(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
	    (uint64_t)u[7] << 56;
}

/* 0x80 in the bytes of w below c (1 <= c <= 0x80); see above. */
static inline uint64_t
bytes_below(uint64_t w, unsigned c)
{
	return (w - ONES * c) & ~w & HIGHS;
}

/* 0x80 in the bytes of w equal to c; see above. */
static inline uint64_t
bytes_eq(uint64_t w, unsigned c)
{
	return bytes_below(w ^ (ONES * c), 1);
}

/* Index (0..7) of the lowest byte flagged in m != 0: the first in memory. */
static inline size_t
first_flagged(uint64_t m)
{
#ifdef __GNUC__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	size_t i;

	for (i = 0; (m & 0x80) == 0; i++)
		m >>= 8;
	return i;
#endif
}

struct rec_reader {
	int fd;			/* -1 when reading from memory */
	const char *mem;	/* memory input, or NULL */
	size_t memlen, memoff;
	char *name;
	char *buf;
	size_t cap, start, end, scan;	/* scan: where the LF search resumes */
	bool eof;
	long line;
	struct rec_header hdr;
	char **v;
	size_t *len;
	size_t kind_idx;	/* always 0 */
	char *kind;		/* expected kind, or the first record's */
	size_t kindlen;
	unsigned long long records, bytes, size;
	struct hash_sha256 *hash;
};

bool
rec_name_valid(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return false;
	return true;
}

/* Read more input after buf[end], growing the buffer when it is full. */
static int
fill(struct rec_reader *r, struct err *e)
{
	size_t want, cap;
	ssize_t n;
	char *p;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < 2) {	/* keep a byte for the final NUL */
		cap = r->cap * 2;
		if ((p = mem_realloc(r->buf, cap)) == NULL)
			return err_nomem(e);
		r->buf = p;
		r->cap = cap;
	}
	want = r->cap - r->end - 1;
	if (r->mem != NULL) {
		n = (ssize_t)(r->memlen - r->memoff < want ?
		    r->memlen - r->memoff : want);
		memcpy(r->buf + r->end, r->mem + r->memoff, (size_t)n);
		r->memoff += (size_t)n;
	} else {
		do
			n = read(r->fd, r->buf + r->end, want);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return err_errno(e, ERR_IO, errno, "read error on '%s'",
			    r->name);
	}
	if (n == 0)
		r->eof = true;
	if (r->hash != NULL)
		hash_sha256_update(r->hash, r->buf + r->end, (size_t)n);
	r->end += (size_t)n;
	r->bytes += (unsigned long long)n;
	return 0;
}

/*
 * Find the next line: *s and *n get it (without LF), *had_lf whether it
 * ended in one.  Returns 1, 0 at end of input, or an error.  A line longer
 * than REC_MAX_LINE is read to its end and dropped: ERR_DATA.
 */
static int
next_line(struct rec_reader *r, char **s, size_t *n, bool *had_lf,
    struct err *e)
{
	bool toolong = false;
	char *lf;
	int rc;

	for (;;) {
		lf = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (lf != NULL)
			break;
		r->scan = r->end;
		if (r->eof)
			break;
		if (r->end - r->start > REC_MAX_LINE) {
			toolong = true;
			r->start = r->scan = r->end;
		}
		if ((rc = fill(r, e)) != 0)
			return rc;
	}
	if (lf == NULL && r->start == r->end && !toolong)
		return 0;
	*s = r->buf + r->start;
	*n = lf ? (size_t)(lf - *s) : r->end - r->start;
	*had_lf = lf != NULL;
	r->start = r->scan = lf ? (size_t)(lf - r->buf) + 1 : r->end;
	r->line++;
	if (toolong) {
		*s = NULL;
		*n = 0;
		err_at(e, r->name, r->line, NULL);
		return err_set(e, ERR_DATA, "line longer than %zu bytes",
		    REC_MAX_LINE);
	}
	return 1;
}

/*
 * Check a line without changing it; *nf gets its number of fields and
 * *esc whether it holds any backslash.  The reference check, in one pass
 * per kind of fault so that the first fault reported follows a fixed order
 * (escape, NUL, CR, UTF-8): it reads the header, and diagnoses the record
 * lines that scan_line turns down.
 */
static int
check_line(const char *s, size_t n, size_t *nf, bool *esc, struct err *e)
{
	const char *p, *end = s + n;

	*nf = 1;
	for (p = s; (p = memchr(p, '\t', (size_t)(end - p))) != NULL; p++)
		(*nf)++;
	*esc = false;
	for (p = s; (p = memchr(p, '\\', (size_t)(end - p))) != NULL; p += 2) {
		*esc = true;
		if (p + 1 == end || (p[1] != 't' && p[1] != 'n' &&
		    p[1] != 'r' && p[1] != '\\'))
			return err_set(e, ERR_DATA, "bad backslash escape");
	}
	if (memchr(s, '\0', n) != NULL)
		return err_set(e, ERR_DATA, "NUL byte");
	if (memchr(s, '\r', n) != NULL)
		return err_set(e, ERR_DATA, "unescaped carriage return");
	if (!str_utf8_valid(s, n))
		return err_set(e, ERR_DATA, "invalid UTF-8");
	return 0;
}

/*
 * Measure the run of multi-byte UTF-8 sequences at s[0..n): the number of
 * bytes of well-formed sequences before the first ASCII byte, the end, or
 * an invalid sequence (then a byte >= 0x80 is at the returned offset).
 * Well-formed is as in the Unicode standard (table 3-7) and str_utf8_valid:
 * no overlong form, no surrogate, nothing above U+10FFFF; this version is
 * tuned for the long runs of 3-byte (CJK) characters of our data.
 */
static size_t
utf8_run(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned c, lo, hi;

	while (p < e && (c = *p) >= 0x80) {
		if ((c & 0xf0) == 0xe0) {
			/* p[1] in lo..hi (unsigned: below lo wraps high).
			 * E0 needs A0..BF next (not overlong), ED 80..9F
			 * (no surrogate), the others 80..BF */
			lo = c == 0xe0 ? 0xa0 : 0x80;
			hi = c == 0xed ? 0x9f : 0xbf;
			if (e - p < 3 || p[1] - lo > hi - lo ||
			    (p[2] & 0xc0) != 0x80)
				break;
			p += 3;
		} else if (c >= 0xc2 && c <= 0xdf) {
			if (e - p < 2 || (p[1] & 0xc0) != 0x80)
				break;
			p += 2;
		} else if (c >= 0xf0 && c <= 0xf4) {
			/* F0 needs 90..BF next, F4 80..8F (<= U+10FFFF) */
			lo = c == 0xf0 ? 0x90 : 0x80;
			hi = c == 0xf4 ? 0x8f : 0xbf;
			if (e - p < 4 || p[1] - lo > hi - lo ||
			    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
				break;
			p += 4;
		} else	/* 80..C1: continuation or overlong; F5..FF */
			break;
	}
	return (size_t)(p - (const unsigned char *)s);
}

/*
 * The bytes of a record line that scan_line must look at: control
 * characters (TAB, NUL, CR and the harmless others), backslash and
 * non-ASCII; a mask as above (test it for zero, or take its first byte).
 */
static inline uint64_t
line_care(uint64_t w)
{
	/* bytes_below(w, 0x20) | (w & HIGHS), folded into one expression */
	return (((w - ONES * 0x20) | w) & HIGHS) | bytes_eq(w, '\\');
}

static inline bool
line_care_byte(unsigned char c)
{
	return c < 0x20 || c >= 0x80 || c == '\\';
}

/*
 * Check and split a record line in one pass, without changing it: the
 * field starts and raw lengths go into r->v / r->len, *esc tells whether
 * there is a backslash.  Ordinary bytes are skipped 8 at a time.  Returns
 * the number of fields (which may be fewer than the header's), or 0 when
 * the line has a fault: a bad escape, NUL, CR, invalid UTF-8, or more
 * fields than the header (r->v has room for that many only).  The caller
 * then runs check_line for the exact message.
 */
static size_t
scan_line(struct rec_reader *r, char *s, size_t n, bool *esc)
{
	char *p = s, *end = s + n;
	size_t nf = 1, max = r->hdr.n;
	uint64_t m;
	unsigned char c;

	r->v[0] = s;
	*esc = false;
	for (;;) {
		/* find the next byte to look at */
		if (end - p >= 8) {
			if ((m = line_care(load64(p))) == 0) {
				p += 8;
				continue;
			}
			p += first_flagged(m);
		} else {
			while (p < end && !line_care_byte((unsigned char)*p))
				p++;
			if (p == end)
				break;
		}
		c = (unsigned char)*p;
		if (c >= 0x80) {
			p += utf8_run(p, (size_t)(end - p));
			if (p < end && (unsigned char)*p >= 0x80)
				return 0;	/* invalid UTF-8 */
		} else if (c == '\t') {
			if (nf == max)
				return 0;
			r->len[nf - 1] = (size_t)(p - r->v[nf - 1]);
			r->v[nf++] = p + 1;
			p++;
		} else if (c == '\\') {
			if (end - p < 2 || (p[1] != 't' && p[1] != 'n' &&
			    p[1] != 'r' && p[1] != '\\'))
				return 0;
			*esc = true;
			p += 2;
		} else if (c == '\0' || c == '\r')
			return 0;
		else		/* another control character: allowed */
			p++;
	}
	r->len[nf - 1] = (size_t)(end - r->v[nf - 1]);
	return nf;
}

/* Unescape s[0..n) in place, NUL-terminate, return the new length. */
static size_t
unescape(char *s, size_t n)
{
	char *p, *q, *end = s + n;

	if ((p = memchr(s, '\\', n)) == NULL) {
		s[n] = '\0';
		return n;
	}
	for (q = p; p < end; p++) {
		if (*p != '\\') {
			*q++ = *p;
			continue;
		}
		switch (*++p) {
		case 't': *q++ = '\t'; break;
		case 'n': *q++ = '\n'; break;
		case 'r': *q++ = '\r'; break;
		default: *q++ = '\\'; break;
		}
	}
	*q = '\0';
	return (size_t)(q - s);
}

/*
 * Split the checked header line (nf fields, no backslash) into r->v /
 * r->len, NUL-terminating each field in place.
 */
static void
split_header(struct rec_reader *r, char *s, size_t n, size_t nf)
{
	char *end = s + n, *p = s, *t;
	size_t i;

	for (i = 0; i < nf; i++) {
		t = i + 1 < nf ? memchr(p, '\t', (size_t)(end - p)) : end;
		r->v[i] = p;
		*t = '\0';
		r->len[i] = (size_t)(t - p);
		p = t + 1;
	}
}

static int
read_header(struct rec_reader *r, struct err *e)
{
	char *s;
	size_t n, nf, i, j;
	bool lf, esc;
	int rc;

	rc = next_line(r, &s, &n, &lf, e);
	if (rc == 0) {
		err_at(e, r->name, 0, NULL);
		return err_set(e, ERR_DATA, "empty input (no header)");
	}
	if (rc != 1)
		return rc;
	err_at(e, r->name, r->line, NULL);
	if (!lf)
		return err_set(e, ERR_DATA, "header has no newline");
	if ((rc = check_line(s, n, &nf, &esc, e)) != 0)
		return rc;
	if (esc)
		return err_set(e, ERR_DATA, "backslash in a field name");
	if (nf > REC_MAX_FIELDS)
		return err_set(e, ERR_DATA, "more than %d fields", REC_MAX_FIELDS);
	r->hdr.names = mem_calloc(nf, sizeof *r->hdr.names);
	r->v = mem_calloc(nf, sizeof *r->v);
	r->len = mem_calloc(nf, sizeof *r->len);
	if (r->hdr.names == NULL || r->v == NULL || r->len == NULL)
		return err_nomem(e);
	split_header(r, s, n, nf);
	for (i = 0; i < nf; i++) {
		if ((r->hdr.names[i] = mem_strndup(r->v[i], r->len[i])) == NULL)
			return err_nomem(e);
		r->hdr.n = i + 1;
		if (!rec_name_valid(r->hdr.names[i])) {
			err_at(e, r->name, r->line, NULL);
			return err_set(e, ERR_DATA, "field %zu: bad field name", i + 1);
		}
		for (j = 0; j < i; j++)
			if (strcmp(r->hdr.names[i], r->hdr.names[j]) == 0) {
				err_at(e, r->name, r->line, r->hdr.names[i]);
				return err_set(e, ERR_DATA, "duplicate field name");
			}
	}
	if (strcmp(r->hdr.names[0], "kind") != 0)
		return err_set(e, ERR_DATA, "first field is not 'kind'");
	return 0;
}

static int
reader_new(struct rec_reader **rp, const char *name, struct err *e)
{
	struct rec_reader *r;

	*rp = NULL;
	if ((r = mem_calloc(1, sizeof *r)) == NULL)
		return err_nomem(e);
	r->fd = -1;
	if ((r->name = mem_strdup(name)) == NULL ||
	    (r->buf = mem_alloc(REC_BUFSIZE)) == NULL) {
		rec_reader_close(r);
		return err_nomem(e);
	}
	r->cap = REC_BUFSIZE;
	*rp = r;
	return 0;
}

static int
finish_open(struct rec_reader **rp, struct rec_reader *r, struct err *e)
{
	int rc;

	if ((rc = read_header(r, e)) != 0) {
		rec_reader_close(r);
		return rc;
	}
	*rp = r;
	return 0;
}

int
rec_reader_open(struct rec_reader **rp, const char *path, bool hash,
    struct err *e)
{
	struct rec_reader *r;
	struct stat st;
	bool in = path == NULL || strcmp(path, "-") == 0;
	int rc;

	if ((rc = reader_new(&r, in ? "-" : path, e)) != 0)
		return rc;
	*rp = NULL;
	if (in)
		r->fd = STDIN_FILENO;
	else if ((r->fd = open(path, O_RDONLY)) < 0) {
		err_at(e, NULL, 0, NULL);
		rc = err_errno(e, ERR_NOINPUT, errno, "cannot open '%s'", path);
		rec_reader_close(r);
		return rc;
	}
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
		r->size = (unsigned long long)st.st_size;
	if (hash && (rc = hash_sha256_new(&r->hash, e)) != 0) {
		rec_reader_close(r);
		return rc;
	}
	return finish_open(rp, r, e);
}

int
rec_reader_mem(struct rec_reader **rp, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct rec_reader *r;
	int rc;

	if ((rc = reader_new(&r, name, e)) != 0)
		return rc;
	r->mem = buf;
	r->memlen = r->size = n;
	return finish_open(rp, r, e);
}

void
rec_reader_expect_kind(struct rec_reader *r, const char *kind)
{
	mem_free(r->kind);
	r->kind = mem_strdup(kind);	/* NULL when out of memory: no check */
	r->kindlen = strlen(kind);
}

const struct rec_header *
rec_reader_header(const struct rec_reader *r)
{
	return &r->hdr;
}

const char *
rec_reader_name(const struct rec_reader *r)
{
	return r->name;
}

long
rec_reader_index(const struct rec_reader *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->hdr.n; i++)
		if (strcmp(r->hdr.names[i], name) == 0)
			return (long)i;
	return -1;
}

int
rec_read(struct rec_reader *r, struct rec_row *row, struct err *e)
{
	char *s;
	size_t n, nf, i;
	bool lf, esc;
	int rc;

	row->n = r->hdr.n;
	row->v = r->v;
	row->len = r->len;
	row->raw = NULL;
	row->rawlen = 0;
	if ((rc = next_line(r, &s, &n, &lf, e)) != 1) {
		row->line = r->line;
		return rc;
	}
	row->line = r->line;
	row->raw = s;
	row->rawlen = n;
	if (!lf) {
		err_at(e, r->name, r->line, NULL);
		return err_set(e, ERR_DATA, "last line has no newline (truncated?)");
	}
	/*
	 * One pass checks the line and finds its fields; a line it turns
	 * down goes through check_line, which names the first fault.
	 */
	if ((nf = scan_line(r, s, n, &esc)) == 0) {
		err_at(e, r->name, r->line, NULL);
		if ((rc = check_line(s, n, &nf, &esc, e)) != 0)
			return rc;
		/* no fault but the number of fields: more than the header's */
	}
	if (nf != r->hdr.n) {
		err_at(e, r->name, r->line, NULL);
		return err_set(e, ERR_DATA, "%zu fields where the header has %zu",
		    nf, r->hdr.n);
	}
	/* kind is field 0: compare it raw, before the line changes */
	if (r->kind != NULL && (r->len[0] != r->kindlen ||
	    memcmp(s, r->kind, r->kindlen) != 0)) {
		err_at(e, r->name, r->line, "kind");
		return err_set(e, ERR_DATA, "kind differs from '%s'", r->kind);
	}
	/* the line is good: unescape and NUL-terminate the fields in place */
	for (i = 0; i < nf; i++) {
		if (esc)
			r->len[i] = unescape(r->v[i], r->len[i]);
		else
			r->v[i][r->len[i]] = '\0';
	}
	if (r->kind == NULL) {
		if (r->len[0] == 0) {
			err_at(e, r->name, r->line, "kind");
			return err_set(e, ERR_DATA, "empty kind");
		}
		if ((r->kind = mem_strndup(r->v[0], r->len[0])) == NULL) {
			err_at(e, r->name, r->line, NULL);
			return err_nomem(e);
		}
		r->kindlen = r->len[0];
	}
	row->raw = NULL;
	row->rawlen = 0;
	r->records++;
	err_at(e, NULL, 0, NULL);
	return 1;
}

unsigned long long
rec_reader_records(const struct rec_reader *r)
{
	return r->records;
}

void
rec_reader_sha256(const struct rec_reader *r, char hex[HASH_HEX_MAX])
{
	if (r->hash == NULL)
		hex[0] = '\0';
	else
		hash_sha256_hex(r->hash, hex);
}

unsigned long long
rec_reader_bytes(const struct rec_reader *r)
{
	return r->bytes;
}

unsigned long long
rec_reader_size(const struct rec_reader *r)
{
	return r->size;
}

void
rec_reader_close(struct rec_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	for (i = 0; i < r->hdr.n; i++)
		mem_free(r->hdr.names[i]);
	mem_free(r->hdr.names);
	mem_free(r->v);
	mem_free(r->len);
	mem_free(r->kind);
	mem_free(r->name);
	mem_free(r->buf);
	hash_sha256_free(r->hash);
	mem_free(r);
}

/* Bytes that need a backslash: TAB, LF, CR, backslash. */
static const unsigned char special[256] = {
	['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\'
};

/*
 * The bytes the writer must look at: below 0x0e (TAB, LF, CR, and a few
 * other control characters, rare in values) or a backslash; a mask as
 * above.  The range takes fewer operations than TAB, LF and CR apart.
 */
static inline uint64_t
escape_care(uint64_t w)
{
	return bytes_below(w, 0x0e) | bytes_eq(w, '\\');
}

/* Write c at d, escaped if needed; return the end. */
static inline char *
escape_byte(char *d, unsigned char c)
{
	if (special[c]) {
		*d++ = '\\';
		*d++ = (char)special[c];
	} else
		*d++ = (char)c;
	return d;
}

size_t
rec_escaped_len(const char *v, size_t n)
{
	size_t i, j, k = n;

	for (i = 0; n - i >= 8; i += 8)
		if (escape_care(load64(v + i)) != 0)
			for (j = i; j < i + 8; j++)
				k += special[(unsigned char)v[j]] != 0;
	for (; i < n; i++)
		k += special[(unsigned char)v[i]] != 0;
	return k;
}

/* The 4 bytes at p, p[0] lowest. */
static inline uint32_t
load32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
	    (uint32_t)u[3] << 24;
}

/*
 * rec_escape's work.  Forced inline in rec_write's loop over the fields:
 * a call per field costs as much as the escaping of a short one.
 *
 * Values of fewer than 8 bytes (flags, codes, levels: most fields of a
 * record) are looked at in one word without a loop: 4 to 7 bytes as two
 * overlapping 4-byte pieces, 1 to 3 as their first, middle and last byte
 * (the rest of the word filled with 'A', which needs no care), and when
 * none needs a backslash they are stored the same way.
 */
static inline ALWAYS_INLINE size_t
escape(char *dst, const char *v, size_t n)
{
	const char *p = v, *end = v + n;
	char *d = dst;
	uint64_t m;
	uint32_t a, b;
	size_t k;

	if (n < 8) {
		if (n >= 4) {
			a = load32(v);
			b = load32(v + n - 4);
			if (escape_care((uint64_t)a | (uint64_t)b << 32) == 0) {
				memcpy(dst, v, 4);
				memcpy(dst + n - 4, v + n - 4, 4);
				return n;
			}
		} else if (n > 0) {
			unsigned char c0 = (unsigned char)v[0];
			unsigned char c1 = (unsigned char)v[n >> 1];
			unsigned char c2 = (unsigned char)v[n - 1];

			if (escape_care(UINT64_C(0x4141414141000000) | c0 |
			    (uint64_t)c1 << 8 | (uint64_t)c2 << 16) == 0) {
				dst[0] = (char)c0;
				dst[n >> 1] = (char)c1;
				dst[n - 1] = (char)c2;
				return n;
			}
		} else
			return 0;
	} else if (n <= 32) {
		/*
		 * 8 to 32 bytes (a timestamp is 25) as four words that cover
		 * them, overlapping as needed: one test, and no loop whose
		 * count changes from field to field.
		 */
		size_t b1 = n - 8 < 8 ? n - 8 : 8, b2 = n - 8 < 16 ? n - 8 : 16;

		m = escape_care(load64(v)) | escape_care(load64(v + b1)) |
		    escape_care(load64(v + b2)) | escape_care(load64(end - 8));
		if (m == 0) {
			memcpy(dst, v, 8);
			memcpy(dst + b1, v + b1, 8);
			memcpy(dst + b2, v + b2, 8);
			memcpy(dst + n - 8, end - 8, 8);
			return n;
		}
	}
	while (end - p >= 8) {
		/*
		 * Store the whole word first: 8 or more bytes of input are
		 * left and each gives 1 or 2 bytes of output, so the store
		 * stays within the rec_escaped_len bytes of dst.
		 */
		m = escape_care(load64(p));
		memcpy(d, p, 8);
		if (m == 0) {
			p += 8;
			d += 8;
			continue;
		}
		/* the bytes before the first one to look at are in place */
		k = first_flagged(m);
		p += k;
		d = escape_byte(d + k, (unsigned char)*p++);
	}
	/*
	 * Fewer than 8 bytes left.  When none of the last 8 input bytes needs
	 * a backslash, the output ends with those 8 bytes as they are: store
	 * them as one word, over the output of the ones already done.
	 */
	if (p < end && n >= 8 && escape_care(load64(end - 8)) == 0) {
		memcpy(d - (8 - (end - p)), end - 8, 8);
		return (size_t)(d + (end - p) - dst);
	}
	while (p < end)
		d = escape_byte(d, (unsigned char)*p++);
	return (size_t)(d - dst);
}

size_t
rec_escape(char *dst, const char *v, size_t n)
{
	return escape(dst, v, n);
}

size_t
rec_format(char *dst, size_t n, const char *const *v, const size_t *len)
{
	char *p = dst;
	size_t i;

	for (i = 0; i < n; i++) {
		p += escape(p, v[i], len[i]);
		*p++ = '\t';
	}
	if (n > 0)
		p--;		/* the last TAB becomes the LF */
	*p++ = '\n';
	return (size_t)(p - dst);
}

int
rec_write(struct out *o, size_t n, const char *const *v, const size_t *len,
    struct err *e)
{
	size_t i, l, need = 1;
	char *d, *p;

	for (i = 0; i < n; i++) {
		l = len ? len[i] : strlen(v[i]);
		need += 2 * l + 1;
	}
	if ((d = p = out_reserve(o, need, e)) == NULL)
		return e ? e->code : ERR_IO;
	for (i = 0; i < n; i++) {
		l = len ? len[i] : strlen(v[i]);
		p += escape(p, v[i], l);
		*p++ = '\t';
	}
	if (n > 0)
		p--;		/* the last TAB becomes the LF */
	*p++ = '\n';
	out_advance(o, (size_t)(p - d));
	return 0;
}

int
rec_extend(const struct rec_header *in, const char *const *add, size_t nadd,
    struct rec_header *out, size_t *pos, struct err *e)
{
	size_t i, j, n = in->n;

	out->n = 0;
	if ((out->names = mem_calloc(in->n + nadd, sizeof *out->names)) == NULL)
		return err_nomem(e);
	for (i = 0; i < in->n; i++)
		out->names[i] = in->names[i];
	for (i = 0; i < nadd; i++) {
		if (!rec_name_valid(add[i])) {
			mem_free(out->names);
			out->names = NULL;
			return err_set(e, ERR_DATA, "bad field name");
		}
		for (j = 0; j < n; j++)
			if (strcmp(out->names[j], add[i]) == 0)
				break;
		if (j == n)
			out->names[n++] = (char *)(uintptr_t)add[i];
		pos[i] = j;
	}
	out->n = n;
	return 0;
}
