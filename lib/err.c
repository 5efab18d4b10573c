/* err.c - error reports; see err.h */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
copy(char *dst, size_t size, const char *src)
{
	size_t n;

	if (src == NULL)
		src = "";
	n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = ERR_OK;
	e->line = 0;
	e->file[0] = e->field[0] = e->msg[0] = '\0';
}

static int
vset(struct err *e, int code, const char *fmt, va_list ap)
{
	if (e == NULL)
		return code;
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return code;
}

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int
err_nomem(struct err *e)
{
	return err_set(e, ERR_INTERNAL, "out of memory");
}

int
err_errno(struct err *e, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (e == NULL)
		return code;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(errnum));
	return code;
}

void
err_at(struct err *e, const char *file, long line, const char *field)
{
	if (e == NULL)
		return;
	copy(e->file, sizeof e->file, file);
	e->line = line;
	copy(e->field, sizeof e->field, field);
}
