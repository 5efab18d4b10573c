/*
 * fuzz_rec - the grid-records(5) reader.
 *
 * Any input: the reader returns rows or errors, never crashes.  The good
 * rows written back (escaped) and read again give the same bytes: parse →
 * write → parse is the identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rec.h"

static void
put_row(struct buf *b, size_t n, char *const *v, const size_t *len)
{
	size_t i, need;

	for (i = 0; i < n; i++) {
		need = rec_escaped_len(v[i], len ? len[i] : strlen(v[i]));
		if (buf_grow(b, need + 1) < 0)
			abort();
		if (i > 0)
			b->p[b->len++] = '\t';
		b->len += rec_escape(b->p + b->len, v[i],
		    len ? len[i] : strlen(v[i]));
	}
	buf_addc(b, '\n');
}

/* Read buf; write the header and good rows into out; count good rows. */
static int
pass(const char *in, size_t n, struct buf *out, long *good)
{
	struct rec_reader *r;
	struct rec_row row;
	struct err e;
	int rc;

	*good = 0;
	if (rec_reader_mem(&r, in, n, "fuzz", &e) != 0)
		return -1;
	put_row(out, rec_reader_header(r)->n, rec_reader_header(r)->names, NULL);
	while ((rc = rec_read(r, &row, &e)) != 0) {
		if (rc == ERR_DATA) {
			if (e.msg[0] == '\0')
				abort();
			continue;
		}
		if (rc != 1)
			break;
		for (size_t i = 0; i < row.n; i++)
			if (strlen(row.v[i]) != row.len[i])
				abort();	/* values hold no NUL */
		put_row(out, row.n, row.v, row.len);
		(*good)++;
	}
	rec_reader_close(r);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf one = BUF_INIT, two = BUF_INIT;
	long g1, g2;

	if (pass((const char *)data, size, &one, &g1) == 0) {
		if (pass(one.p, one.len, &two, &g2) != 0 || g1 != g2 ||
		    one.len != two.len || memcmp(one.p, two.p, one.len) != 0)
			abort();
	}
	buf_free(&one);
	buf_free(&two);
	return 0;
}
