/* manifest.c - the audit trail; see manifest.h */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "rec.h"

#define NROLES 4

struct manifest {
	char *prog, *version;
	struct buf args;
	struct buf list[NROLES];
};

static const char header[] =
    "kind\tprogram\tversion\targs\tinputs\tconfigs\toutputs\trejects\n";

static int
add_word(struct buf *b, const char *w)
{
	const char *p;
	int rc = 0;

	if (b->len > 0)
		rc |= buf_addc(b, ' ');
	if (*w != '\0' && strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~") == NULL)
		return rc | buf_adds(b, w);
	rc |= buf_addc(b, '\'');
	for (p = w; *p != '\0'; p++)
		rc |= *p == '\'' ? buf_adds(b, "'\\''") : buf_addc(b, *p);
	return rc | buf_addc(b, '\'');
}

int
manifest_new(struct manifest **mp, const char *prog, const char *version,
    int argc, char *const *argv, struct err *e)
{
	struct manifest *m;
	int i, rc = 0;

	*mp = NULL;
	if ((m = mem_calloc(1, sizeof *m)) == NULL)
		return err_nomem(e);
	m->prog = mem_strdup(prog);
	m->version = mem_strdup(version);
	if (m->prog == NULL || m->version == NULL)
		rc = -1;
	for (i = 1; i < argc && rc == 0; i++)
		rc = add_word(&m->args, argv[i]);
	if (rc != 0) {
		manifest_free(m);
		return err_nomem(e);
	}
	*mp = m;
	return 0;
}

int
manifest_add(struct manifest *m, enum manifest_role role, const char *path,
    const char *sha256, long long records, struct err *e)
{
	struct buf *b = &m->list[role];
	const unsigned char *p;
	int rc = 0;

	if (b->len > 0)
		rc |= buf_addc(b, ';');
	rc |= buf_adds(b, sha256);
	rc |= buf_addc(b, ':');
	if (records >= 0)
		rc |= buf_printf(b, "%lld", records);
	rc |= buf_addc(b, ':');
	for (p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p == '%' || *p == ';' || *p < 0x20 || *p == 0x7f)
			rc |= buf_printf(b, "%%%02X", *p);
		else
			rc |= buf_addc(b, *p);
	return rc ? err_nomem(e) : 0;
}

int
manifest_line(const struct manifest *m, struct buf *b, struct err *e)
{
	const char *v[4 + NROLES];
	size_t len[4 + NROLES];
	size_t i, need = 1;
	char *p;

	v[0] = "manifest";
	v[1] = m->prog;
	v[2] = m->version;
	v[3] = m->args.p ? m->args.p : "";
	for (i = 0; i < NROLES; i++)
		v[4 + i] = m->list[i].p ? m->list[i].p : "";
	for (i = 0; i < 4 + NROLES; i++) {
		len[i] = strlen(v[i]);
		need += rec_escaped_len(v[i], len[i]) + 1;
	}
	if (buf_grow(b, need) < 0)
		return err_nomem(e);
	p = b->p + b->len;
	for (i = 0; i < 4 + NROLES; i++) {
		if (i > 0)
			*p++ = '\t';
		p += rec_escape(p, v[i], len[i]);
	}
	*p++ = '\n';
	*p = '\0';
	b->len = (size_t)(p - b->p);
	return 0;
}

int
manifest_append(const struct manifest *m, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	struct stat st;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0666)) < 0)
		return err_errno(e, ERR_IO, errno, "cannot open manifest '%s'",
		    path);
	rc = 0;
	if (fstat(fd, &st) == 0 && st.st_size == 0 && buf_adds(&b, header) < 0)
		rc = err_nomem(e);
	if (rc == 0)
		rc = manifest_line(m, &b, e);
	if (rc == 0) {
		n = write(fd, b.p, b.len);
		if (n < 0 || (size_t)n != b.len)
			rc = err_errno(e, ERR_IO, n < 0 ? errno : ENOSPC,
			    "cannot append to manifest '%s'", path);
	}
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, ERR_IO, errno, "cannot close manifest '%s'",
		    path);
	buf_free(&b);
	return rc;
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	mem_free(m->prog);
	mem_free(m->version);
	buf_free(&m->args);
	for (i = 0; i < NROLES; i++)
		buf_free(&m->list[i]);
	mem_free(m);
}
