/* job.c - outputs, rejects, counters and manifest of a run; see job.h */
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "rec.h"
#include "str.h"

#define JOB_MAX_REASONS 256

static const char *const reject_fields[] = {
	"kind", "program", "file", "line", "field", "reason", "raw",
	"raw_encoding"
};
#define NREJECT (sizeof reject_fields / sizeof reject_fields[0])

int
job_open(struct job *j, const char *prog, const char *version,
    const struct job_opts *o, struct err *e)
{
	const char *mp;
	int rc;

	memset(j, 0, sizeof *j);
	j->prog = prog;
	j->max_rejects = o->max_rejects;
	mp = o->manifest ? o->manifest : getenv("GRID_MANIFEST");
	if (mp != NULL && *mp != '\0') {
		if ((j->man_path = mem_strdup(mp)) == NULL)
			return err_nomem(e);
		if ((rc = manifest_new(&j->man, prog, version, o->argc, o->argv,
		    e)) != 0)
			goto fail;
	}
	if ((rc = out_open(&j->out, o->output, 0666, e)) != 0)
		goto fail;
	if (j->man != NULL && (rc = out_hash(j->out, e)) != 0)
		goto fail;
	if (o->rejects != NULL) {
		if ((rc = out_open(&j->rej, o->rejects, 0600, e)) != 0)
			goto fail;
		if (j->man != NULL && (rc = out_hash(j->rej, e)) != 0)
			goto fail;
		if ((rc = rec_write(j->rej, NREJECT, reject_fields, NULL, e)) != 0)
			goto fail;
	}
	return 0;
fail:
	job_abort(j);
	return rc;
}

static int
count_reason(struct job *j, const char *reason)
{
	struct job_reason *r;
	size_t i;

again:
	for (i = 0; i < j->nreasons; i++)
		if (strcmp(j->reasons[i].reason, reason) == 0) {
			j->reasons[i].n++;
			return 0;
		}
	if (j->nreasons >= JOB_MAX_REASONS &&
	    strcmp(reason, "other reasons") != 0) {
		reason = "other reasons";
		goto again;
	}
	r = mem_reallocarray(j->reasons, j->nreasons + 1, sizeof *r);
	if (r == NULL)
		return -1;
	j->reasons = r;
	if ((r[j->nreasons].reason = mem_strdup(reason)) == NULL)
		return -1;
	r[j->nreasons++].n = 1;
	return 0;
}

static int
base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		if (buf_add(b, q, 4) < 0)
			return -1;
	}
	return 0;
}

int
job_reject(struct job *j, const struct err *why, const char *raw,
    size_t rawlen, bool raw_utf8, struct err *e)
{
	struct buf enc = BUF_INIT;
	char line[24];
	const char *v[NREJECT];
	size_t len[NREJECT];
	int rc;

	/* the row without its final line end */
	if (raw != NULL && rawlen > 0 && raw[rawlen - 1] == '\n') {
		rawlen--;
		if (rawlen > 0 && raw[rawlen - 1] == '\r')
			rawlen--;
	}
	j->rejected++;
	if (count_reason(j, why->msg) < 0)
		return err_nomem(e);
	if (j->rej == NULL) {
		if (e != NULL && e != why)
			*e = *why;
		return ERR_DATA;
	}
	str_fmt_int(line, why->line);
	v[0] = "reject";
	v[1] = j->prog;
	v[2] = why->file;
	v[3] = why->line > 0 ? line : "";
	v[4] = why->field;
	v[5] = why->msg;
	v[6] = raw ? raw : "";
	v[7] = "";
	len[6] = raw ? rawlen : 0;
	/* a record cannot hold a NUL byte: such a row goes as base64 too */
	if (raw != NULL && (!raw_utf8 || memchr(raw, '\0', rawlen) != NULL)) {
		if (base64(&enc, (const unsigned char *)raw, rawlen) < 0) {
			buf_free(&enc);
			return err_nomem(e);
		}
		v[6] = enc.p;
		len[6] = enc.len;
		v[7] = "base64";
	}
	for (size_t i = 0; i < NREJECT; i++)
		if (i != 6)
			len[i] = strlen(v[i]);
	rc = rec_write(j->rej, NREJECT, v, len, e);
	buf_free(&enc);
	if (rc != 0)
		return rc;
	if (j->max_rejects >= 0 &&
	    j->rejected > (unsigned long long)j->max_rejects) {
		err_at(e, NULL, 0, NULL);
		return err_set(e, ERR_DATA, "more than %lld rejected rows",
		    j->max_rejects);
	}
	return 0;
}

int
job_input(struct job *j, enum manifest_role role, const char *path,
    const char *sha256, long long records, struct err *e)
{
	if (j->man == NULL)
		return 0;
	return manifest_add(j->man, role, path ? path : "-", sha256, records, e);
}

static int
cmp_reason(const void *a, const void *b)
{
	return strcmp(((const struct job_reason *)a)->reason,
	    ((const struct job_reason *)b)->reason);
}

int
job_stats(const struct job *j, struct buf *b)
{
	struct job_reason *sorted;
	size_t i;
	int rc = 0;

	rc |= buf_printf(b, "%s: read %llu, written %llu, rejected %llu",
	    j->prog, j->read, j->written, j->rejected);
	if (j->nreasons > 0) {
		sorted = mem_reallocarray(NULL, j->nreasons, sizeof *sorted);
		if (sorted == NULL)
			return -1;
		memcpy(sorted, j->reasons, j->nreasons * sizeof *sorted);
		qsort(sorted, j->nreasons, sizeof *sorted, cmp_reason);
		rc |= buf_adds(b, " (");
		for (i = 0; i < j->nreasons; i++)
			rc |= buf_printf(b, "%s%s: %llu", i ? ", " : "",
			    sorted[i].reason, sorted[i].n);
		rc |= buf_addc(b, ')');
		mem_free(sorted);
	}
	rc |= buf_addc(b, '\n');
	return rc ? -1 : 0;
}

static void
job_free(struct job *j)
{
	size_t i;

	for (i = 0; i < j->nreasons; i++)
		mem_free(j->reasons[i].reason);
	mem_free(j->reasons);
	manifest_free(j->man);
	mem_free(j->man_path);
	j->reasons = NULL;
	j->nreasons = 0;
	j->man = NULL;
	j->man_path = NULL;
}

int
job_finish(struct job *j, struct err *e)
{
	char hex[HASH_HEX_MAX];
	int rc = 0;

	if (j->man != NULL) {
		if ((rc = out_sha256(j->out, hex, e)) != 0 ||
		    (rc = manifest_add(j->man, MANIFEST_OUTPUT, out_name(j->out),
		    hex, (long long)j->written, e)) != 0)
			goto fail;
		if (j->rej != NULL && ((rc = out_sha256(j->rej, hex, e)) != 0 ||
		    (rc = manifest_add(j->man, MANIFEST_REJECTS,
		    out_name(j->rej), hex, (long long)j->rejected, e)) != 0))
			goto fail;
	}
	if (j->rej != NULL) {
		rc = out_commit(j->rej, e);
		j->rej = NULL;
		if (rc != 0)
			goto fail;
	}
	if ((rc = out_flush(j->out, e)) != 0) {
		j->epipe = out_epipe(j->out);
		goto fail;
	}
	rc = out_commit(j->out, e);
	j->out = NULL;
	if (rc != 0)
		goto fail;
	if (j->man != NULL && (rc = manifest_append(j->man, j->man_path, e)) != 0)
		goto fail;
	job_free(j);
	return 0;
fail:
	if (j->out != NULL && out_epipe(j->out))
		j->epipe = true;
	job_abort(j);
	return rc;
}

void
job_abort(struct job *j)
{
	if (j->out != NULL)
		out_abort(j->out);
	if (j->rej != NULL)
		out_abort(j->rej);
	j->out = j->rej = NULL;
	job_free(j);
}

bool
job_epipe(const struct job *j)
{
	return j->epipe || (j->out != NULL && out_epipe(j->out));
}
