/* out.c - buffered, atomic output; see out.h */
#define _XOPEN_SOURCE 700
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

#define OUT_BUFSIZE (1 << 20)

struct out {
	int fd;
	char *path;		/* target, NULL for stdout */
	char *tmp;		/* temporary file, NULL for stdout */
	char *buf;
	size_t len, cap;
	bool direct;		/* path is not a regular file: no rename */
	int failed;		/* errno of the first failed write, 0 if none */
	unsigned long long bytes;
	struct hash_sha256 *hash;
};

static void
out_free(struct out *o)
{
	if (o->tmp != NULL) {
		if (o->fd >= 0)
			close(o->fd);
		unlink(o->tmp);
	} else if (o->direct && o->fd >= 0)
		close(o->fd);
	hash_sha256_free(o->hash);
	mem_free(o->path);
	mem_free(o->tmp);
	mem_free(o->buf);
	mem_free(o);
}

int
out_open(struct out **op, const char *path, int mode, struct err *e)
{
	struct out *o;
	struct stat st;
	char *real, *rpath = NULL;
	size_t n;

	*op = NULL;
	if ((o = mem_calloc(1, sizeof *o)) == NULL)
		return err_nomem(e);
	o->fd = -1;
	if ((o->buf = mem_alloc(OUT_BUFSIZE)) == NULL) {
		out_free(o);
		return err_nomem(e);
	}
	o->cap = OUT_BUFSIZE;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		*op = o;
		return 0;
	}
	/*
	 * Not a regular file (a device, a FIFO), or a name under /dev or
	 * /proc (/dev/stdout is a link to whatever standard output is): write
	 * to it directly, appending, never replace it.
	 */
	if ((stat(path, &st) == 0 && !S_ISREG(st.st_mode)) ||
	    strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0) {
		if ((o->path = mem_strdup(path)) == NULL) {
			out_free(o);
			return err_nomem(e);
		}
		if ((o->fd = open(path, O_WRONLY | O_APPEND)) < 0) {
			err_errno(e, ERR_IO, errno, "cannot open '%s'", path);
			out_free(o);
			return ERR_IO;
		}
		o->direct = true;
		*op = o;
		return 0;
	}
	/* A symbolic link: replace the file it points to, keep the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL)) != NULL) {
		rpath = mem_strdup(real);
		free(real);
		if (rpath == NULL) {
			out_free(o);
			return err_nomem(e);
		}
		path = rpath;
	}
	if (rpath == NULL && (rpath = mem_strdup(path)) == NULL) {
		out_free(o);
		return err_nomem(e);
	}
	o->path = rpath;
	path = rpath;
	n = strlen(path);
	if ((o->tmp = mem_alloc(n + sizeof ".tmpXXXXXX")) == NULL) {
		out_free(o);
		return err_nomem(e);
	}
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		err_errno(e, ERR_IO, errno, "cannot create '%s'", path);
		mem_free(o->tmp);
		o->tmp = NULL;
		out_free(o);
		return ERR_IO;
	}
	/* mkstemp makes 0600; give the file the mode asked for, less umask. */
	{
		mode_t um = umask(0);

		umask(um);
		if (fchmod(o->fd, (mode_t)mode & ~um) < 0) {
			err_errno(e, ERR_IO, errno, "cannot create '%s'", path);
			out_free(o);
			return ERR_IO;
		}
	}
	*op = o;
	return 0;
}

int
out_hash(struct out *o, struct err *e)
{
	if (o->hash != NULL)
		return 0;
	return hash_sha256_new(&o->hash, e);
}

static int
fail(struct out *o, struct err *e)
{
	return err_errno(e, ERR_IO, o->failed, "write error on '%s'",
	    o->path ? o->path : "standard output");
}

static int
write_all(struct out *o, const char *p, size_t len, struct err *e)
{
	size_t off = 0;
	ssize_t n;

	if (o->failed)
		return fail(o, e);
	if (o->hash != NULL)
		hash_sha256_update(o->hash, p, len);
	while (off < len) {
		n = write(o->fd, p + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->failed = errno;
			return fail(o, e);
		}
		off += (size_t)n;
	}
	o->bytes += len;
	return 0;
}

int
out_flush(struct out *o, struct err *e)
{
	int rc = write_all(o, o->buf, o->len, e);

	if (rc == 0)
		o->len = 0;
	return rc;
}

char *
out_reserve(struct out *o, size_t n, struct err *e)
{
	char *p;

	if (o->failed) {
		fail(o, e);
		return NULL;
	}
	if (o->cap - o->len >= n)
		return o->buf + o->len;
	if (out_flush(o, e) != 0)
		return NULL;
	if (o->cap < n) {
		if ((p = mem_realloc(o->buf, n)) == NULL) {
			err_nomem(e);
			return NULL;
		}
		o->buf = p;
		o->cap = n;
	}
	return o->buf;
}

void
out_advance(struct out *o, size_t n)
{
	o->len += n;
}

int
out_write(struct out *o, const void *p, size_t n, struct err *e)
{
	char *d;

	if (o->failed)
		return fail(o, e);
	if (o->cap - o->len >= n) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return 0;
	}
	if (out_flush(o, e) != 0)
		return ERR_IO;
	if (n >= o->cap)		/* too big to buffer: write through */
		return write_all(o, p, n, e);
	if ((d = out_reserve(o, n, e)) == NULL)
		return e ? e->code : ERR_IO;
	memcpy(d, p, n);
	o->len += n;
	return 0;
}

int
out_commit(struct out *o, struct err *e)
{
	int rc;

	if ((rc = out_flush(o, e)) != 0)
		goto done;
	if (o->direct) {
		rc = close(o->fd) < 0 ?
		    err_errno(e, ERR_IO, errno, "cannot close '%s'", o->path) : 0;
		o->fd = -1;
		goto done;
	}
	if (o->tmp == NULL)
		goto done;
	if (fsync(o->fd) < 0) {
		rc = err_errno(e, ERR_IO, errno, "cannot sync '%s'", o->path);
		goto done;
	}
	if (close(o->fd) < 0) {
		o->fd = -1;
		rc = err_errno(e, ERR_IO, errno, "cannot close '%s'", o->path);
		goto done;
	}
	o->fd = -1;
	if (rename(o->tmp, o->path) < 0) {
		rc = err_errno(e, ERR_IO, errno, "cannot rename into '%s'", o->path);
		goto done;
	}
	mem_free(o->tmp);
	o->tmp = NULL;
done:
	out_free(o);
	return rc;
}

void
out_abort(struct out *o)
{
	if (o != NULL)
		out_free(o);
}

bool
out_epipe(const struct out *o)
{
	return o->failed == EPIPE;
}

unsigned long long
out_bytes(const struct out *o)
{
	return o->bytes + o->len;
}

int
out_sha256(struct out *o, char hex[HASH_HEX_MAX], struct err *e)
{
	int rc;

	hex[0] = '\0';
	if (o->hash == NULL)
		return 0;
	if ((rc = out_flush(o, e)) != 0)
		return rc;
	hash_sha256_hex(o->hash, hex);
	return 0;
}

const char *
out_name(const struct out *o)
{
	return o->path ? o->path : "-";
}
