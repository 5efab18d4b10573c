/* diag.c - diagnostics; see diag.h */
#include "diag.h"

#include <string.h>

int
diag_format(struct buf *b, const char *prog, const struct err *e)
{
	size_t len = b->len;
	int rc = 0;

	rc |= buf_printf(b, "%s: ", prog);
	if (e->file[0] != '\0') {
		rc |= buf_adds(b, e->file);
		if (e->line > 0)
			rc |= buf_printf(b, ":%ld", e->line);
		rc |= buf_adds(b, ": ");
	}
	if (e->field[0] != '\0')
		rc |= buf_printf(b, "field '%s': ", e->field);
	rc |= buf_adds(b, e->msg[0] ? e->msg : "unknown error");
	rc |= buf_addc(b, '\n');
	if (rc != 0 && b->p != NULL) {	/* leave b as it was */
		b->len = len;
		b->p[len] = '\0';
	}
	return rc ? -1 : 0;
}

void
diag_report(FILE *fp, const char *prog, const struct err *e)
{
	struct buf b = BUF_INIT;

	if (diag_format(&b, prog, e) == 0)
		fwrite(b.p, 1, b.len, fp);
	else
		fputs("out of memory\n", fp);
	fflush(fp);
	buf_free(&b);
}

int
diag_status(const struct err *e)
{
	switch (e->code) {
	case ERR_OK:
	case ERR_USAGE:
	case ERR_DATA:
	case ERR_NOINPUT:
	case ERR_INTERNAL:
	case ERR_IO:
		return e->code;
	default:
		return ERR_INTERNAL;
	}
}
