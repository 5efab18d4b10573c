/*
 * csvin.c - raw CSV input; see csvin.h
 *
 * The input is read in large chunks and split into physical lines here
 * (memchr), before any decoding: in UTF-8 and in GB18030 a byte 0x0a is
 * always a line feed, never part of a character, and neither are '"', ','
 * ';' TAB or CR.  Each line is checked (UTF-8) or converted (GB18030, with
 * iconv), then handed to libcsv alone.  After each line, libcsv's end of
 * record callback tells whether the row is complete.  This gives exact line
 * numbers, the raw text of every row, and a place to stop and resync after
 * a bad row, which libcsv itself cannot do from inside a callback.
 *
 * Line ends: the line is fed without its line end.  Then, when the line
 * ended inside a quoted field (an odd number of quote characters since the
 * row began: in strict mode quotes only open, close or come doubled), the
 * real line end ("\n" or "\r\n") is fed as data; otherwise a bare "\n" is
 * fed, which ends the record without leaving a CR in the last field.  A CR
 * elsewhere in an unquoted field is data: for a line that holds one, libcsv
 * is told that only LF ends a record (a term function, called for every
 * byte, so installed only when needed).
 *
 * A row that is one line without any quote character never reaches
 * libcsv: fast_row splits it at the delimiters, which is all libcsv could
 * do with it.  And a line that the open-time scan of a regular file
 * already proved UTF-8 (it lies below utf8_upto) is not checked again.
 */
#include "csvin.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "buf.h"
#include "hash.h"
#include "mem.h"
#include "str.h"

#define CHUNK		(256 * 1024)	/* bytes per read(2) */
#define PIPE_PROBE	(1024 * 1024)	/* encoding decided on this much of a pipe */
#define CSV_BLK		(64 * 1024)	/* libcsv grows its field buffer by this */
#define DEF_FIELD	(1024 * 1024)
#define DEF_ROW		(4 * 1024 * 1024)
#define CSV_OPTS	(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | \
			 CSV_APPEND_NULL)

enum line_kind {
	LINE_EOF,	/* no more lines */
	LINE_NL,	/* a line ending in LF */
	LINE_LAST,	/* the last line, no LF */
	LINE_LONG	/* the first bytes of a line over the row limit */
};

struct csvin {
	char *name;
	int fd;			/* -1 when reading from memory */
	int own_fd;		/* close fd at the end */
	int eof;		/* nothing more to read into the buffer */
	int bom_done;		/* leading BOM looked at */
	int skipping;		/* discarding the rest of a too-long line */
	int done;		/* end of input reported */
	int fatal;		/* error code of a fatal error, or 0 */

	char *buf;		/* owned input buffer (file or pipe) */
	size_t cap;
	const char *ib;		/* input bytes: buf, or the caller's memory */
	size_t pos, end;	/* unconsumed input is ib[pos..end) */

	enum csvin_enc enc;
	int delim;		/* 0 until guessed */
	size_t max_field, max_row;
	iconv_t cd;		/* GB18030 -> UTF-8, or (iconv_t)-1 */
	struct hash_sha256 *hash;	/* NULL unless opts.hash */
	unsigned long long nbytes;
	unsigned long long size;	/* regular file or memory, else 0 */
	unsigned long long utf8_upto;	/* bytes from the start that the
					 * open-time scan found valid UTF-8 */
	bool fast;		/* split lines without quotes here */
	bool line_valid;	/* the current line lies within utf8_upto */

	struct csv_parser p;
	long lineno;		/* physical lines consumed */

	/* The row being assembled. */
	long rowline;		/* first line */
	long rowlines;		/* lines so far; 0 when no row is open */
	size_t rowbytes;	/* bytes as read so far */
	int parity;		/* odd number of quotes so far */
	int rec_end;		/* libcsv ended the record */
	int nomem;		/* allocation failed in a callback */
	int bad;		/* the row is bad: badmsg says why */
	int lf_only;		/* is_lf installed as the term function */
	char badmsg[64];
	struct buf raw;		/* row text, UTF-8 (as read when invalid) */
	struct buf rawin;	/* row as read (GB18030 only) */
	struct buf fb;		/* field bytes, each followed by NUL */
	size_t *offs, *lens;
	const char **ptrs;
	size_t nf, fcap;
};

static const char bom[3] = { '\xef', '\xbb', '\xbf' };

static int
keep_space(unsigned char ch)
{
	(void)ch;
	return 0;
}

static int
is_lf(unsigned char ch)
{
	return ch == '\n';
}

/* csv_init never allocates: the field buffer comes with the first parse. */
static void
parser_init(struct csvin *c)
{
	csv_init(&c->p, CSV_OPTS);
	csv_set_realloc_func(&c->p, mem_realloc);
	csv_set_free_func(&c->p, mem_free);
	csv_set_space_func(&c->p, keep_space);
	csv_set_blk_size(&c->p, CSV_BLK);
	if (c->delim != 0)
		csv_set_delim(&c->p, (unsigned char)c->delim);
}

/*
 * Forget a half-parsed record but keep the field buffer: csv_fini resets
 * the parser, except with CSV_STRICT_FINI inside an open quoted field, so
 * drop that option for the call.
 */
static void
parser_reset(struct csvin *c)
{
	csv_set_opts(&c->p, CSV_OPTS & ~CSV_STRICT_FINI);
	csv_fini(&c->p, NULL, NULL, NULL);
	csv_set_opts(&c->p, CSV_OPTS);
}

static void
on_field(void *f, size_t n, void *arg)
{
	struct csvin *c = arg;
	size_t cap, *o, *l;
	const char **pp;

	if (c->bad || c->nomem)
		return;
	if (n > c->max_field) {
		c->bad = 1;
		snprintf(c->badmsg, sizeof c->badmsg,
		    "field longer than %zu bytes", c->max_field);
		return;
	}
	if (c->nf == c->fcap) {
		cap = c->fcap ? c->fcap * 2 : 32;
		if ((o = mem_reallocarray(c->offs, cap, sizeof *o)) == NULL) {
			c->nomem = 1;
			return;
		}
		c->offs = o;
		if ((l = mem_reallocarray(c->lens, cap, sizeof *l)) == NULL) {
			c->nomem = 1;
			return;
		}
		c->lens = l;
		if ((pp = mem_reallocarray(c->ptrs, cap, sizeof *pp)) == NULL) {
			c->nomem = 1;
			return;
		}
		c->ptrs = pp;
		c->fcap = cap;
	}
	/* CSV_APPEND_NULL: f[n] is a NUL, copied along. */
	if (buf_add(&c->fb, f, n + 1) < 0) {
		c->nomem = 1;
		return;
	}
	c->offs[c->nf] = c->fb.len - n - 1;
	c->lens[c->nf] = n;
	c->nf++;
}

static void
on_record(int term, void *arg)
{
	struct csvin *c = arg;

	(void)term;
	c->rec_end = 1;
}

static int
fatal(struct csvin *c, int code)
{
	c->fatal = code;
	return code;
}

static int
nomem(struct csvin *c, struct err *e)
{
	return fatal(c, err_nomem(e));
}

/* Read up to n bytes at buf[end..]; hash them; set eof at end of file. */
static int
read_some(struct csvin *c, size_t n, struct err *e)
{
	ssize_t r;

	do
		r = read(c->fd, c->buf + c->end, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fatal(c, err_errno(e, ERR_IO, errno, "cannot read '%s'",
		    c->name));
	if (r == 0) {
		c->eof = 1;
		return 0;
	}
	if (c->hash != NULL)
		hash_sha256_update(c->hash, c->buf + c->end, (size_t)r);
	c->nbytes += (unsigned long long)r;
	c->end += (size_t)r;
	return 0;
}

/* Make the buffer hold at least want bytes. */
static int
reserve(struct csvin *c, size_t want, struct err *e)
{
	size_t cap;
	char *p;

	if (c->cap >= want)
		return 0;
	cap = c->cap * 2 > want ? c->cap * 2 : want;
	if ((p = mem_realloc(c->buf, cap)) == NULL)
		return nomem(c, e);
	c->buf = p;
	c->ib = p;
	c->cap = cap;
	return 0;
}

/* Move the unconsumed bytes to the front and read one more chunk. */
static int
fill(struct csvin *c, struct err *e)
{
	size_t keep = c->end - c->pos;
	int rc;

	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, keep);
		c->pos = 0;
		c->end = keep;
	}
	if (c->cap - c->end < CHUNK &&
	    (rc = reserve(c, c->end + CHUNK, e)) != 0)
		return rc;
	return read_some(c, c->cap - c->end, e);
}

/*
 * next_line: the next physical line, LF included, into *lp and *ln; *kind
 * says how it ends.  A line longer than maxlen comes back cut to maxlen as
 * LINE_LONG, and the rest of it is skipped.  *lp is valid until the next
 * call.
 */
static int
next_line(struct csvin *c, size_t maxlen, const char **lp, size_t *ln,
    int *kind, struct err *e)
{
	const char *nl;
	size_t scanned = 0, avail, len;
	int rc;

	while (c->skipping) {
		avail = c->end - c->pos;
		nl = memchr(c->ib + c->pos, '\n', avail);
		if (nl != NULL) {
			c->pos = (size_t)(nl - c->ib) + 1;
			c->skipping = 0;
		} else {
			c->pos = c->end;
			if (c->eof)
				c->skipping = 0;
			else if ((rc = fill(c, e)) != 0)
				return rc;
		}
	}
	if (!c->bom_done) {
		while (!c->eof && c->end - c->pos < sizeof bom)
			if ((rc = fill(c, e)) != 0)
				return rc;
		if (c->enc == CSVIN_UTF8 && c->end - c->pos >= sizeof bom &&
		    memcmp(c->ib + c->pos, bom, sizeof bom) == 0)
			c->pos += sizeof bom;
		c->bom_done = 1;
	}
	for (;;) {
		avail = c->end - c->pos;
		*lp = c->ib + c->pos;
		nl = memchr(*lp + scanned, '\n', avail - scanned);
		if (nl != NULL) {
			len = (size_t)(nl - *lp) + 1;
			c->pos += len;
			if (len > maxlen) {
				*ln = maxlen;
				*kind = LINE_LONG;
			} else {
				*ln = len;
				*kind = LINE_NL;
			}
			return 0;
		}
		if (avail > maxlen) {
			c->pos = c->end;
			c->skipping = 1;
			*ln = maxlen;
			*kind = LINE_LONG;
			return 0;
		}
		if (c->eof) {
			c->pos = c->end;
			*ln = avail;
			*kind = avail > 0 ? LINE_LAST : LINE_EOF;
			return 0;
		}
		scanned = avail;
		if ((rc = fill(c, e)) != 0)
			return rc;
	}
}

/* The delimiter of the first line: ',' ';' or TAB outside quotes. */
static int
guess_delim(const char *s, size_t n)
{
	size_t i, comma = 0, semi = 0, tab = 0;
	int best = ',', inq = 0;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			inq = !inq;
			break;
		case ',':
			comma += !inq;
			break;
		case ';':
			semi += !inq;
			break;
		case '\t':
			tab += !inq;
			break;
		}
	}
	if (semi > comma) {
		best = ';';
		comma = semi;
	}
	if (tab > comma)
		best = '\t';
	return best;
}

/* Convert s[0..n) from GB18030, appending to raw: 0, 1 when invalid, -1. */
static int
gb_convert(struct csvin *c, const char *s, size_t n)
{
	char *in = (char *)s, *out;
	size_t inleft = n, outleft, r;

	iconv(c->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		if (buf_grow(&c->raw, inleft * 2 + 16) < 0)
			return -1;
		out = c->raw.p + c->raw.len;
		outleft = c->raw.cap - c->raw.len - 1;
		r = iconv(c->cd, &in, &inleft, &out, &outleft);
		c->raw.len = (size_t)(out - c->raw.p);
		c->raw.p[c->raw.len] = '\0';
		if (r == (size_t)-1 && errno != E2BIG)
			return 1;
	}
	return 0;
}

/*
 * A bad row: fill row with its raw text (from rawin when asread) and e
 * with the reason, and make the parser ready for the next physical line.
 */
static int
bad_row(struct csvin *c, struct csvin_row *row, int asread, struct err *e,
    const char *msg)
{
	const struct buf *b = asread ? &c->rawin : &c->raw;

	if (!c->rec_end)
		parser_reset(c);
	row->nfields = 0;
	row->line = c->rowline;
	row->nlines = c->rowlines;
	row->raw = b->p != NULL ? b->p : "";
	row->rawlen = b->len;
	row->raw_utf8 = str_utf8_valid(row->raw, row->rawlen);
	c->rowlines = 0;
	err_at(e, c->name, row->line, NULL);
	return err_set(e, ERR_DATA, "%s", msg);
}

static int
good_row(struct csvin *c, struct csvin_row *row)
{
	size_t i;

	for (i = 0; i < c->nf; i++)
		c->ptrs[i] = c->fb.p + c->offs[i];
	row->nfields = c->nf;
	row->fields = c->ptrs;
	row->lens = c->lens;
	row->line = c->rowline;
	row->nlines = c->rowlines;
	row->raw = c->raw.p;
	row->rawlen = c->raw.len;
	row->raw_utf8 = true;
	c->rowlines = 0;
	return 1;
}

/* Feed s[0..n) to libcsv: 0, 1 on a quoting error, or a fatal code. */
static int
parse(struct csvin *c, const char *s, size_t n, struct err *e)
{
	if (csv_parse(&c->p, s, n, on_field, on_record, c) != n) {
		if (csv_error(&c->p) == CSV_EPARSE)
			return 1;
		return nomem(c, e);
	}
	if (c->nomem)
		return nomem(c, e);
	return 0;
}

/* End of input inside a row: let libcsv finish it. */
static int
finish(struct csvin *c, struct csvin_row *row, struct err *e)
{
	if (csv_fini(&c->p, on_field, on_record, c) != 0)
		return bad_row(c, row, 0, e, "unterminated quoted field");
	if (c->nomem)
		return nomem(c, e);
	if (c->bad)
		return bad_row(c, row, 0, e, c->badmsg);
	if (c->rec_end)
		return good_row(c, row);
	c->rowlines = 0;	/* nothing but a lone CR: a blank line */
	return 0;
}

/*
 * fast_row: the row that is the line t[0..n) (line end removed), when the
 * line has no quote character.  Then libcsv, in this strict dialect with
 * spaces kept, could only split it at each delimiter (a CR in the line is
 * data: only the line end ends the record), so the line is copied whole
 * and its delimiters become the fields' NULs.  Same fields, same
 * "field longer than" check, same errors as the libcsv path, which
 * test_csvin compares over many generated inputs (csvin_fast_path).  n is
 * never 0 here: a blank line is skipped before.
 */
static int
fast_row(struct csvin *c, const char *t, size_t n, struct csvin_row *row,
    struct err *e)
{
	const char *d;
	char *p, *start, *end;
	size_t nf = 1, cap, i;

	for (d = t; (d = memchr(d, c->delim, (size_t)(t + n - d))) != NULL;
	    d++)
		nf++;
	if (nf > c->fcap) {
		size_t *o, *l;
		const char **pp;

		cap = c->fcap ? c->fcap : 32;
		while (cap < nf)
			cap *= 2;
		if ((o = mem_reallocarray(c->offs, cap, sizeof *o)) == NULL)
			return nomem(c, e);
		c->offs = o;
		if ((l = mem_reallocarray(c->lens, cap, sizeof *l)) == NULL)
			return nomem(c, e);
		c->lens = l;
		if ((pp = mem_reallocarray(c->ptrs, cap, sizeof *pp)) == NULL)
			return nomem(c, e);
		c->ptrs = pp;
		c->fcap = cap;
	}
	if (buf_grow(&c->fb, n + 1) < 0)
		return nomem(c, e);
	start = c->fb.p + c->fb.len;
	memcpy(start, t, n);
	start[n] = '\0';
	end = start + n;
	c->rec_end = 1;
	for (i = 0, p = start; i < nf; i++) {
		char *q = memchr(p, c->delim, (size_t)(end - p));

		if (q == NULL)
			q = end;
		*q = '\0';
		c->offs[i] = (size_t)(p - c->fb.p);
		c->lens[i] = (size_t)(q - p);
		if (c->lens[i] > c->max_field) {
			snprintf(c->badmsg, sizeof c->badmsg,
			    "field longer than %zu bytes", c->max_field);
			return bad_row(c, row, 0, e, c->badmsg);
		}
		p = q + 1;
	}
	c->fb.len += n + 1;
	c->fb.p[c->fb.len] = '\0';
	c->nf = nf;
	return good_row(c, row);
}

/*
 * add_line: one physical line of the current row.  Returns 0 when the row
 * goes on, 1 with a row, ERR_DATA with a bad row, or a fatal code.
 */
static int
add_line(struct csvin *c, const char *s, size_t n, int kind,
    struct csvin_row *row, struct err *e)
{
	const char *t, *q, *end;
	size_t seg, tl;
	int rc, cr;

	c->rowbytes += n;
	if (c->enc == CSVIN_GB18030 && buf_add(&c->rawin, s, n) < 0)
		return nomem(c, e);
	if (kind == LINE_LONG) {
		if (c->enc == CSVIN_UTF8 && buf_add(&c->raw, s, n) < 0)
			return nomem(c, e);
		snprintf(c->badmsg, sizeof c->badmsg,
		    "row longer than %zu bytes", c->max_row);
		return bad_row(c, row, c->enc == CSVIN_GB18030, e, c->badmsg);
	}
	seg = c->raw.len;
	if (c->enc == CSVIN_UTF8) {
		if (buf_add(&c->raw, s, n) < 0)
			return nomem(c, e);
		if (!c->line_valid && !str_utf8_valid(s, n))
			return bad_row(c, row, 0, e, "invalid UTF-8");
	} else if ((rc = gb_convert(c, s, n)) != 0) {
		if (rc < 0)
			return nomem(c, e);
		return bad_row(c, row, 1, e, "invalid GB18030");
	}
	if (memchr(s, '\0', n) != NULL)
		return bad_row(c, row, 0, e, "NUL byte in row");

	/* The converted line, without its line end. */
	t = c->raw.p + seg;
	n = c->raw.len - seg;
	tl = 0;
	if (kind == LINE_NL)
		tl = n >= 2 && t[n - 2] == '\r' ? 2 : 1;
	else if (t[n - 1] == '\r')
		tl = 1;		/* CR at the very end of the input */
	end = t + n - tl;
	q = memchr(t, '"', n - tl);
	if (q == NULL && c->rowlines == 1 && c->fast)
		return fast_row(c, t, n - tl, row, e);
	for (; q != NULL; q = memchr(q + 1, '"', (size_t)(end - q - 1)))
		c->parity ^= 1;
	cr = memchr(t, '\r', n - tl) != NULL;
	if (cr != c->lf_only) {
		csv_set_term_func(&c->p, cr ? is_lf : NULL);
		c->lf_only = cr;
	}
	if (c->parity)
		rc = parse(c, t, n, e);
	else if ((rc = parse(c, t, n - tl, e)) == 0 && kind == LINE_NL)
		rc = parse(c, "\n", 1, e);
	if (rc == 1)
		return bad_row(c, row, 0, e, "quoting error");
	if (rc != 0)
		return rc;
	if (c->rec_end) {
		if (c->bad)
			return bad_row(c, row, 0, e, c->badmsg);
		return good_row(c, row);
	}
	if (kind == LINE_LAST)
		return finish(c, row, e);
	return 0;
}

static int
is_blank(const char *s, size_t n, int kind)
{
	if (kind == LINE_NL)
		return (n == 1) || (n == 2 && s[0] == '\r');
	return kind == LINE_LAST && n == 1 && s[0] == '\r';
}

int
csvin_read(struct csvin *c, struct csvin_row *row, struct err *e)
{
	const char *s;
	size_t n;
	int kind, rc;

	memset(row, 0, sizeof *row);
	row->raw = "";
	if (c->fatal)
		return err_set(e, c->fatal, "input '%s' failed before",
		    c->name);
	if (c->done)
		return 0;
	c->rowlines = 0;
	c->rowbytes = 0;
	c->parity = c->rec_end = c->bad = 0;
	c->raw.len = c->rawin.len = c->fb.len = 0;
	c->nf = 0;
	for (;;) {
		if ((rc = next_line(c, c->max_row - c->rowbytes, &s, &n, &kind,
		    e)) != 0)
			return rc;
		if (kind == LINE_EOF) {
			if (c->rowlines > 0 &&
			    (rc = finish(c, row, e)) != 0)
				return rc;
			c->done = 1;
			return 0;
		}
		c->lineno++;
		/* within what the open-time scan proved UTF-8? */
		c->line_valid = c->nbytes - (c->end - c->pos) <= c->utf8_upto;
		if (c->rowlines == 0) {
			if (is_blank(s, n, kind))
				continue;
			c->rowline = c->lineno;
			if (c->delim == 0) {
				c->delim = guess_delim(s, n);
				csv_set_delim(&c->p, (unsigned char)c->delim);
			}
		}
		c->rowlines++;
		if ((rc = add_line(c, s, n, kind, row, e)) != 0)
			return rc;
	}
}

/* Could s[0..n) be the start of a UTF-8 sequence cut short? */
static int
utf8_cut(const char *s, size_t n)
{
	unsigned char c0 = (unsigned char)s[0];
	size_t need, i;

	if (c0 >= 0xc2 && c0 <= 0xdf)
		need = 2;
	else if (c0 >= 0xe0 && c0 <= 0xef)
		need = 3;
	else if (c0 >= 0xf0 && c0 <= 0xf4)
		need = 4;
	else
		return 0;
	if (n >= need)
		return 0;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

/*
 * Is the regular file on c->fd valid UTF-8 (or BOM-marked)?  Reads it all
 * through the buffer, carrying a character cut by a chunk boundary to the
 * next chunk, then seeks back.  The bytes are not hashed: the main pass
 * reads them again.
 */
static int
scan_file(struct csvin *c, int *utf8, struct err *e)
{
	unsigned long long total = 0;
	off_t start;
	size_t carry = 0, n, k;
	ssize_t r;
	int first = 1;

	if ((start = lseek(c->fd, 0, SEEK_CUR)) < 0)
		return fatal(c, err_errno(e, ERR_IO, errno, "cannot seek '%s'",
		    c->name));
	*utf8 = 1;
	for (;;) {
		do
			r = read(c->fd, c->buf + carry, c->cap - carry);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return fatal(c, err_errno(e, ERR_IO, errno,
			    "cannot read '%s'", c->name));
		if (r == 0) {
			*utf8 = carry == 0;
			if (*utf8)
				c->utf8_upto = total;
			break;
		}
		total += (unsigned long long)r;
		n = carry + (size_t)r;
		if (first && n >= sizeof bom &&
		    memcmp(c->buf, bom, sizeof bom) == 0)
			break;
		first = 0;
		k = str_utf8_prefix(c->buf, n);
		carry = n - k;
		if (carry > 0 && !utf8_cut(c->buf + k, carry)) {
			*utf8 = 0;
			break;
		}
		memmove(c->buf, c->buf + k, carry);
	}
	if (lseek(c->fd, start, SEEK_SET) < 0)
		return fatal(c, err_errno(e, ERR_IO, errno, "cannot seek '%s'",
		    c->name));
	return 0;
}

/* Read the first MiB of a pipe (kept for the main pass) and judge it. */
static int
probe_pipe(struct csvin *c, int *utf8, struct err *e)
{
	size_t k;
	int rc;

	if ((rc = reserve(c, PIPE_PROBE, e)) != 0)
		return rc;
	while (!c->eof && c->end < PIPE_PROBE)
		if ((rc = read_some(c, PIPE_PROBE - c->end, e)) != 0)
			return rc;
	if (c->end >= sizeof bom && memcmp(c->buf, bom, sizeof bom) == 0) {
		*utf8 = 1;
		return 0;
	}
	k = str_utf8_prefix(c->buf, c->end);
	*utf8 = k == c->end ||
	    (!c->eof && c->end - k < 4 && utf8_cut(c->buf + k, c->end - k));
	return 0;
}

/* Allocate a reader with its options; nothing read yet. */
static int
reader_new(struct csvin **cp, const char *name, const struct csvin_opts *o,
    struct err *e)
{
	static const struct csvin_opts defaults;
	struct csvin *c;
	int rc;

	*cp = NULL;
	if (o == NULL)
		o = &defaults;
	if (o->delim < 0 || o->delim > 255 || o->delim == '"' ||
	    o->delim == '\n' || o->delim == '\r')
		return err_set(e, ERR_USAGE, "invalid delimiter");
	if (o->enc != CSVIN_AUTO && o->enc != CSVIN_UTF8 &&
	    o->enc != CSVIN_GB18030)
		return err_set(e, ERR_USAGE, "invalid encoding");
	if ((c = mem_calloc(1, sizeof *c)) == NULL)
		return err_nomem(e);
	c->fd = -1;
	c->cd = (iconv_t)-1;
	c->delim = o->delim;
	c->enc = o->enc;
	c->max_field = o->max_field ? o->max_field : DEF_FIELD;
	c->max_row = o->max_row ? o->max_row : DEF_ROW;
	c->fast = true;
	parser_init(c);
	if ((c->name = mem_strdup(name)) == NULL) {
		csvin_close(c);
		return err_nomem(e);
	}
	if (o->hash && (rc = hash_sha256_new(&c->hash, e)) != 0) {
		csvin_close(c);
		return rc;
	}
	*cp = c;
	return 0;
}

static int
open_iconv(struct csvin *c, struct err *e)
{
	if (c->enc != CSVIN_GB18030)
		return 0;
	if ((c->cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return err_errno(e, ERR_INTERNAL, errno,
		    "cannot convert from GB18030");
	return 0;
}

int
csvin_open(struct csvin **cp, const char *path, const struct csvin_opts *o,
    struct err *e)
{
	struct csvin *c;
	struct stat st;
	int rc, utf8 = 0, std;

	std = path == NULL || strcmp(path, "-") == 0;
	if ((rc = reader_new(cp, std ? "-" : path, o, e)) != 0)
		return rc;
	c = *cp;
	if (std)
		c->fd = STDIN_FILENO;
	else if ((c->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = err_errno(e, ERR_NOINPUT, errno, "cannot open '%s'", path);
		goto fail;
	} else
		c->own_fd = 1;
	if (fstat(c->fd, &st) < 0) {
		rc = err_errno(e, ERR_NOINPUT, errno, "cannot open '%s'",
		    c->name);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = err_errno(e, ERR_NOINPUT, EISDIR, "cannot open '%s'",
		    c->name);
		goto fail;
	}
	if ((c->buf = mem_alloc(CHUNK)) == NULL) {
		rc = err_nomem(e);
		goto fail;
	}
	c->ib = c->buf;
	c->cap = CHUNK;
	if (S_ISREG(st.st_mode))
		c->size = (unsigned long long)st.st_size;
	if (c->enc == CSVIN_AUTO) {
		if (S_ISREG(st.st_mode))
			rc = scan_file(c, &utf8, e);
		else
			rc = probe_pipe(c, &utf8, e);
		if (rc != 0)
			goto fail;
		c->enc = utf8 ? CSVIN_UTF8 : CSVIN_GB18030;
	}
	if ((rc = open_iconv(c, e)) != 0)
		goto fail;
	return 0;
fail:
	csvin_close(c);
	*cp = NULL;
	return rc;
}

int
csvin_open_mem(struct csvin **cp, const char *buf, size_t n,
    const char *name, const struct csvin_opts *o, struct err *e)
{
	struct csvin *c;
	int rc;

	if ((rc = reader_new(cp, name != NULL ? name : "-", o, e)) != 0)
		return rc;
	c = *cp;
	c->ib = buf != NULL ? buf : "";
	c->end = buf != NULL ? n : 0;
	c->eof = 1;
	if (c->hash != NULL)
		hash_sha256_update(c->hash, c->ib, c->end);
	c->nbytes = c->size = c->end;
	if (c->enc == CSVIN_AUTO) {
		if (c->end >= sizeof bom && memcmp(c->ib, bom, sizeof bom) == 0)
			c->enc = CSVIN_UTF8;
		else if (str_utf8_valid(c->ib, c->end)) {
			c->enc = CSVIN_UTF8;
			c->utf8_upto = c->end;	/* checked whole: not again */
		} else
			c->enc = CSVIN_GB18030;
	}
	if ((rc = open_iconv(c, e)) != 0) {
		csvin_close(c);
		*cp = NULL;
	}
	return rc;
}

enum csvin_enc
csvin_encoding(const struct csvin *c)
{
	return c->enc;
}

int
csvin_delim(const struct csvin *c)
{
	return c->delim;
}

const char *
csvin_name(const struct csvin *c)
{
	return c->name;
}

void
csvin_sha256(const struct csvin *c, char hex[65])
{
	hex[0] = '\0';
	if (c->hash != NULL)
		hash_sha256_hex(c->hash, hex);
}

void
csvin_fast_path(struct csvin *c, bool on)
{
	c->fast = on;
}

unsigned long long
csvin_bytes(const struct csvin *c)
{
	return c->nbytes;
}

unsigned long long
csvin_size(const struct csvin *c)
{
	return c->size;
}

void
csvin_close(struct csvin *c)
{
	if (c == NULL)
		return;
	csv_free(&c->p);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	if (c->own_fd)
		close(c->fd);
	hash_sha256_free(c->hash);
	mem_free(c->buf);
	buf_free(&c->raw);
	buf_free(&c->rawin);
	buf_free(&c->fb);
	mem_free(c->offs);
	mem_free(c->lens);
	mem_free(c->ptrs);
	mem_free(c->name);
	mem_free(c);
}
