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

static bool
ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] & 0x80)
			return false;
	return true;
}

/*
 * Check a line without changing it; *nf gets its number of fields and
 * *esc whether it holds any backslash.
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
	if (!ascii(s, n) && !str_utf8_valid(s, n))
		return err_set(e, ERR_DATA, "invalid UTF-8");
	return 0;
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

/* Split a checked line of nf fields into r->v / r->len. */
static void
split(struct rec_reader *r, char *s, size_t n, size_t nf, bool esc)
{
	char *end = s + n, *p = s, *t;
	size_t i;

	for (i = 0; i < nf; i++) {
		t = i + 1 < nf ? memchr(p, '\t', (size_t)(end - p)) : end;
		r->v[i] = p;
		if (esc)
			r->len[i] = unescape(p, (size_t)(t - p));
		else {
			*t = '\0';
			r->len[i] = (size_t)(t - p);
		}
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
	split(r, s, n, nf, false);
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
	size_t n, nf;
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
	err_at(e, r->name, r->line, NULL);
	if (!lf)
		return err_set(e, ERR_DATA, "last line has no newline (truncated?)");
	if ((rc = check_line(s, n, &nf, &esc, e)) != 0)
		return rc;
	if (nf != r->hdr.n)
		return err_set(e, ERR_DATA, "%zu fields where the header has %zu",
		    nf, r->hdr.n);
	if (r->kind != NULL) {
		/* kind is field 0: compare before splitting changes the line */
		size_t kl = strlen(r->kind);
		const char *t = memchr(s, '\t', n);
		size_t fl = t ? (size_t)(t - s) : n;

		if (fl != kl || memcmp(s, r->kind, kl) != 0) {
			err_at(e, r->name, r->line, "kind");
			return err_set(e, ERR_DATA, "kind differs from '%s'", r->kind);
		}
	}
	split(r, s, n, nf, esc);
	if (r->kind == NULL) {
		if (r->len[0] == 0) {
			err_at(e, r->name, r->line, "kind");
			return err_set(e, ERR_DATA, "empty kind");
		}
		if ((r->kind = mem_strndup(r->v[0], r->len[0])) == NULL)
			return err_nomem(e);
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

size_t
rec_escaped_len(const char *v, size_t n)
{
	size_t i, k = n;

	for (i = 0; i < n; i++)
		if (special[(unsigned char)v[i]])
			k++;
	return k;
}

size_t
rec_escape(char *dst, const char *v, size_t n)
{
	char *d = dst;
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (special[c]) {
			*d++ = '\\';
			*d++ = (char)special[c];
		} else
			*d++ = (char)c;
	}
	return (size_t)(d - dst);
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
		if (i > 0)
			*p++ = '\t';
		p += rec_escape(p, v[i], l);
	}
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
