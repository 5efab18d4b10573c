/* import.c - CSV rows to records per a schema; see import.h */
#include "import.h"

#include <math.h>
#include <string.h>

#include "buf.h"
#include "ere.h"
#include "geo.h"
#include "hash.h"
#include "mem.h"
#include "str.h"
#include "strset.h"
#include "time.h"

struct import {
	const struct schema *s;
	struct import_opts o;
	enum hash_alg alg;
	struct rec_header out;		/* names borrowed from the schema */
	long *outfield;			/* per output column: schema field or -1 */
	long *col;			/* per schema field: input column or -1 */
	long *lat_of;			/* per lon field: its lat field, else -1 */
	bool *paired;			/* per field: lon or lat of a pair */
	double *num;			/* per paired lon/lat field: its value */
	struct ere **re;		/* per code field: its pattern as a
					 * DFA, or NULL: regexec */
	struct strset *seen;		/* per field: values seen (unique) */
	bool pseudo;			/* some field is pseudonymised */
	size_t kindlen, keyidlen;	/* strlen of s->kind, of the key id */
	const char **unmapped;
	size_t nunmapped;
	size_t ncols;			/* columns of the current file */
	const char **v;			/* output values */
	size_t *len;
	const char **fv;		/* per schema field: normalised value */
	size_t *flen;
	struct mem_arena arena;
	struct buf tmp;
};

void
import_free(struct import *im)
{
	size_t i;

	if (im == NULL)
		return;
	mem_free(im->out.names);
	mem_free(im->outfield);
	mem_free(im->col);
	mem_free(im->lat_of);
	mem_free(im->paired);
	mem_free(im->num);
	if (im->re != NULL)
		for (i = 0; i < im->s->nfields; i++)
			mem_free(im->re[i]);
	mem_free(im->re);
	if (im->seen != NULL)
		for (i = 0; i < im->s->nfields; i++)
			strset_free(&im->seen[i]);
	mem_free(im->seen);
	mem_free(im->unmapped);
	mem_free(im->v);
	mem_free(im->len);
	mem_free(im->fv);
	mem_free(im->flen);
	mem_arena_free(&im->arena);
	buf_free(&im->tmp);
	mem_free(im);
}

int
import_new(struct import **ip, const struct schema *s,
    const struct import_opts *o, struct err *e)
{
	struct import *im;
	size_t i, j, n, nf = s->nfields;
	int rc;

	*ip = NULL;
	if ((im = mem_calloc(1, sizeof *im)) == NULL)
		return err_nomem(e);
	im->s = s;
	im->o = *o;
	mem_arena_init(&im->arena);
	if ((rc = hash_alg_parse(s->pii_alg ? s->pii_alg : "hmac-sm3",
	    &im->alg, e)) != 0) {
		import_free(im);
		return err_set(e, ERR_DATA, "unknown pii algorithm");
	}
	im->out.names = mem_calloc(nf + 2, sizeof *im->out.names);
	im->outfield = mem_calloc(nf + 2, sizeof *im->outfield);
	im->col = mem_calloc(nf + 1, sizeof *im->col);
	im->lat_of = mem_calloc(nf + 1, sizeof *im->lat_of);
	im->v = mem_calloc(nf + 2, sizeof *im->v);
	im->len = mem_calloc(nf + 2, sizeof *im->len);
	im->fv = mem_calloc(nf + 1, sizeof *im->fv);
	im->flen = mem_calloc(nf + 1, sizeof *im->flen);
	im->paired = mem_calloc(nf + 1, sizeof *im->paired);
	im->num = mem_calloc(nf + 1, sizeof *im->num);
	im->re = mem_calloc(nf + 1, sizeof *im->re);
	if ((im->seen = mem_calloc(nf + 1, sizeof *im->seen)) != NULL)
		for (i = 0; i < nf; i++)
			strset_init(&im->seen[i]);
	if (im->out.names == NULL || im->outfield == NULL || im->col == NULL ||
	    im->lat_of == NULL || im->v == NULL || im->len == NULL ||
	    im->fv == NULL || im->flen == NULL || im->paired == NULL ||
	    im->num == NULL || im->re == NULL || im->seen == NULL) {
		import_free(im);
		return err_nomem(e);
	}
	n = 0;
	im->out.names[n] = "kind";
	im->outfield[n++] = -1;
	for (i = 0; i < nf; i++) {
		const struct schema_field *f = &s->fields[i];

		im->col[i] = -1;
		im->lat_of[i] = -1;
		if (f->pii == SCHEMA_PII_PSEUDO) {
			im->pseudo = true;
			if (o->key == NULL) {
				err_at(e, s->path, f->line, f->name);
				import_free(im);
				return err_set(e, ERR_USAGE, "the schema pseudonymises "
				    "this field: give a key with --key-file or "
				    "GRID_KEY_FILE");
			}
		}
		if (f->type == SCHEMA_LON) {
			/* pair the k-th lon field with the k-th lat field */
			size_t k = 0, m = 0;

			for (j = 0; j < i; j++)
				k += s->fields[j].type == SCHEMA_LON;
			for (j = 0; j < nf; j++)
				if (s->fields[j].type == SCHEMA_LAT && m++ == k)
					im->lat_of[i] = (long)j;
			if (im->lat_of[i] >= 0)
				im->paired[i] = im->paired[im->lat_of[i]] = true;
		}
		/* A pattern the DFA does not take is left to regexec. */
		if (f->type == SCHEMA_CODE && f->pattern != NULL) {
			if ((im->re[i] = mem_alloc(sizeof *im->re[i])) == NULL) {
				import_free(im);
				return err_nomem(e);
			}
			if (ere_compile(im->re[i], f->pattern) != 0) {
				mem_free(im->re[i]);
				im->re[i] = NULL;
			}
		}
		if (f->pii == SCHEMA_PII_DROP)
			continue;
		im->out.names[n] = f->name;
		im->outfield[n++] = (long)i;
	}
	if (im->pseudo) {
		if (schema_field_index(s, "pii_key") >= 0) {
			import_free(im);
			return err_set(e, ERR_DATA,
			    "a schema that pseudonymises cannot have a field 'pii_key'");
		}
		im->out.names[n] = "pii_key";
		im->outfield[n++] = -2;
	}
	im->out.n = n;
	im->kindlen = strlen(s->kind);
	im->keyidlen = o->key != NULL ? strlen(pii_key_id(o->key)) : 0;
	*ip = im;
	return 0;
}

const struct rec_header *
import_out_header(const struct import *im)
{
	return &im->out;
}

size_t
import_unmapped(const struct import *im, const char *const **names)
{
	*names = im->unmapped;
	return im->nunmapped;
}

/* Header names: compare ASCII letters without case, trimmed. */
static bool
name_eq(const char *a, size_t n, const char *b)
{
	size_t i;
	unsigned char x, y;

	for (i = 0; i < n; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (y == '\0')
			return false;	/* b is shorter */
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
	}
	return b[n] == '\0';
}

static long
find_field(const struct schema *s, const char *name, size_t n)
{
	size_t i, j;

	for (i = 0; i < s->nfields; i++) {
		if (name_eq(name, n, s->fields[i].name))
			return (long)i;
		for (j = 0; j < s->fields[i].naliases; j++)
			if (name_eq(name, n, s->fields[i].aliases[j]))
				return (long)i;
	}
	return -1;
}

int
import_header(struct import *im, const char *file, size_t n,
    const char *const *names, const size_t *lens, struct err *e)
{
	const struct schema *s = im->s;
	const char **u;
	size_t i;
	long k;

	im->ncols = n;
	im->nunmapped = 0;
	for (i = 0; i < s->nfields; i++)
		im->col[i] = -1;
	mem_free(im->unmapped);
	if ((im->unmapped = mem_calloc(n + 1, sizeof *u)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n; i++) {
		const char *p = names[i];
		size_t l = lens[i];

		str_trim(&p, &l);
		if ((k = find_field(s, p, l)) < 0) {
			im->unmapped[im->nunmapped++] = names[i];
			continue;
		}
		if (im->col[k] >= 0) {
			err_at(e, file, 1, s->fields[k].name);
			return err_set(e, ERR_DATA,
			    "columns %ld and %zu both map to this field",
			    im->col[k] + 1, i + 1);
		}
		im->col[k] = (long)i;
	}
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].required && im->col[i] < 0) {
			err_at(e, file, 1, s->fields[i].name);
			return err_set(e, ERR_DATA, "no column for this required field");
		}
	return 0;
}

static int
bad(struct err *e, const char *file, long line, const struct schema_field *f,
    const char *why)
{
	err_at(e, file, line, f->name);
	return err_set(e, ERR_DATA, "%s", why);
}

/* Copy into the arena; NULL when out of memory. */
static const char *
keep(struct import *im, const char *p, size_t n)
{
	return mem_arena_strndup(&im->arena, p, n);
}

static bool
map_value(const struct schema_field *f, const char *p, size_t n,
    const char **to)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (name_eq(p, n, f->values[i].from)) {
			*to = f->values[i].to;
			return true;
		}
	for (i = 0; i < f->nvalues; i++)
		if (str_eq(p, n, f->values[i].to)) {
			*to = f->values[i].to;
			return true;
		}
	return false;
}

static const char *const bool_true[] = { "1", "true", "y", "yes", "是", "t" };
static const char *const bool_false[] = { "0", "false", "n", "no", "否", "f" };

/*
 * Normalise one value of field f by its type into *out / *outlen (pointing
 * into the arena or at a constant).  Returns a reason, or NULL when fine.
 */
static const char *
normalise(struct import *im, size_t fi, const char *p, size_t n,
    const char **out, size_t *outlen)
{
	const struct schema_field *f = &im->s->fields[fi];
	char tmp[STR_NUM_MAX + 2], dt[TIME_DATETIME_LEN + 1];
	char id[PII_ID_LEN + 1];
	const char *to;
	long long iv;
	double dv;
	size_t i, l;
	struct err e2;

	*out = p;
	*outlen = n;
	switch (f->type) {
	case SCHEMA_TEXT:
	case SCHEMA_WKT:
		break;
	case SCHEMA_CODE:
		if (f->pattern != NULL && im->re[fi] != NULL) {
			if (!ere_match(im->re[fi], p, n))
				return "does not match the code pattern";
		} else if (f->pattern != NULL) {
			const char *z = keep(im, p, n);

			if (z == NULL)
				return "out of memory";
			if (regexec(&f->re, z, 0, NULL, 0) != 0)
				return "does not match the code pattern";
		}
		break;
	case SCHEMA_INT:
		if (str_parse_int(p, n, &iv) != 0) {
			/* spreadsheets write 3 as 3.0 */
			if (str_parse_decimal(p, n, &dv) != 0 || dv != floor(dv) ||
			    fabs(dv) > 9e15)
				return "not an integer";
			iv = (long long)dv;
		}
		l = str_fmt_int(tmp, iv);
		if ((*out = keep(im, tmp, l)) == NULL)
			return "out of memory";
		*outlen = l;
		break;
	case SCHEMA_DECIMAL:
		/* parsed to refuse what no double holds; written exactly */
		if (str_parse_decimal(p, n, &dv) != 0)
			return "not a decimal number";
		l = str_canon_decimal(tmp, p, n);
		if ((*out = keep(im, tmp, l)) == NULL)
			return "out of memory";
		*outlen = l;
		break;
	case SCHEMA_LON:
	case SCHEMA_LAT:
		if (str_parse_decimal(p, n, &dv) != 0)
			return "not a decimal number";
		if (f->type == SCHEMA_LON && (dv < -180 || dv > 180))
			return "longitude out of range";
		if (f->type == SCHEMA_LAT && (dv < -90 || dv > 90))
			return "latitude out of range";
		if (im->paired[fi]) {
			/* coords() converts and writes it; p stays as "given" */
			im->num[fi] = dv;
			break;
		}
		l = str_fmt_double(tmp, dv, -1);
		if ((*out = keep(im, tmp, l)) == NULL)
			return "out of memory";
		*outlen = l;
		break;
	case SCHEMA_DATE:
		if (time_parse_date(p, n, dt, &e2) != 0)
			return e2.code == ERR_DATA ? "not a valid date" : "out of memory";
		if ((*out = keep(im, dt, TIME_DATE_LEN)) == NULL)
			return "out of memory";
		*outlen = TIME_DATE_LEN;
		break;
	case SCHEMA_DATETIME:
		if (time_parse_datetime(p, n, im->o.tz, dt, &e2) != 0)
			return e2.code == ERR_DATA ? "not a valid date and time" :
			    "out of memory";
		if ((*out = keep(im, dt, TIME_DATETIME_LEN)) == NULL)
			return "out of memory";
		*outlen = TIME_DATETIME_LEN;
		break;
	case SCHEMA_BOOL:
		if (map_value(f, p, n, &to)) {
			*out = to;
			*outlen = strlen(to);
			break;
		}
		for (i = 0; i < sizeof bool_true / sizeof *bool_true; i++) {
			if (name_eq(p, n, bool_true[i])) {
				*out = "1";
				*outlen = 1;
				return NULL;
			}
			if (name_eq(p, n, bool_false[i])) {
				*out = "0";
				*outlen = 1;
				return NULL;
			}
		}
		return "not a yes/no value";
	case SCHEMA_ENUM:
		if (!map_value(f, p, n, &to))
			return "not one of the allowed values";
		*out = to;
		*outlen = strlen(to);
		break;
	case SCHEMA_CITIZEN_ID:
		if (pii_id_normalise(p, n, id, &e2) != 0)
			return e2.code == ERR_DATA ? "not a valid citizen ID number" :
			    "out of memory";
		if ((*out = keep(im, id, PII_ID_LEN)) == NULL)
			return "out of memory";
		*outlen = PII_ID_LEN;
		break;
	case SCHEMA_PHONE:
		if (pii_phone_normalise(p, n, tmp, sizeof tmp, &e2) != 0)
			return e2.code == ERR_DATA ? "not a valid phone number" :
			    "out of memory";
		l = strlen(tmp);
		if ((*out = keep(im, tmp, l)) == NULL)
			return "out of memory";
		*outlen = l;
		break;
	}
	if (f->type == SCHEMA_TEXT || f->type == SCHEMA_CODE) {
		if (f->min_len > 0 && *outlen < (size_t)f->min_len)
			return "too short";
		if (f->max_len > 0 && *outlen > (size_t)f->max_len)
			return "too long";
	}
	return NULL;
}

/* Convert the lon/lat pair (i, j) to WGS-84 and check it lies in China. */
static const char *
coords(struct import *im, size_t i, size_t j)
{
	const struct schema_field *f = &im->s->fields[i];
	double lon, lat, wlon, wlat;
	char tmp[STR_NUM_MAX];
	size_t l;

	if (im->flen[i] == 0 && im->flen[j] == 0)
		return NULL;
	if (im->flen[i] == 0 || im->flen[j] == 0)
		return "longitude and latitude must be given together";
	/* the values normalise() parsed: the same doubles as ever */
	lon = im->num[i];
	lat = im->num[j];
	if (!geo_in_china(lon, lat))
		return "coordinates outside China";
	geo_to_wgs84(f->crs == SCHEMA_CRS_GCJ02 ? GEO_GCJ02 :
	    f->crs == SCHEMA_CRS_BD09 ? GEO_BD09 : GEO_WGS84, lon, lat,
	    &wlon, &wlat);
	/* seven decimals: about a centimetre */
	l = str_fmt_fixed(tmp, wlon, 7);
	if ((im->fv[i] = keep(im, tmp, l)) == NULL)
		return "out of memory";
	im->flen[i] = l;
	l = str_fmt_fixed(tmp, wlat, 7);
	if ((im->fv[j] = keep(im, tmp, l)) == NULL)
		return "out of memory";
	im->flen[j] = l;
	return NULL;
}

static int
policy(struct import *im, const struct schema_field *f, size_t i,
    struct err *e)
{
	char hex[HASH_HEX_MAX];
	enum pii_kind kind;
	int rc;

	if (im->flen[i] == 0)
		return 0;
	switch (f->pii) {
	case SCHEMA_PII_KEEP:
	case SCHEMA_PII_DROP:
		return 0;
	case SCHEMA_PII_MASK:
		kind = f->type == SCHEMA_CITIZEN_ID ? PII_CITIZEN_ID :
		    f->type == SCHEMA_PHONE ? PII_PHONE :
		    f->type == SCHEMA_TEXT ? PII_NAME : PII_TEXT;
		buf_reset(&im->tmp);
		if ((rc = pii_mask(kind, im->fv[i], im->flen[i], &im->tmp, e)) != 0)
			return rc;
		im->fv[i] = keep(im, im->tmp.p, im->tmp.len);
		im->flen[i] = im->tmp.len;
		break;
	case SCHEMA_PII_PSEUDO:
		if ((rc = pii_pseudonymise(im->o.key, im->alg, im->fv[i],
		    im->flen[i], hex, e)) != 0)
			return rc;
		im->fv[i] = keep(im, hex, 64);
		im->flen[i] = 64;
		break;
	}
	return im->fv[i] == NULL ? err_nomem(e) : 0;
}

int
import_row(struct import *im, const char *file, long line, size_t n,
    const char *const *f, const size_t *lens, const char *const **v,
    const size_t **len, struct err *e)
{
	const struct schema *s = im->s;
	const char *why, *p;
	size_t i, l;
	bool any = false;
	int rc;

	mem_arena_reset(&im->arena);
	err_at(e, file, line, NULL);
	if (n != im->ncols)
		return err_set(e, ERR_DATA, "%zu fields where the header has %zu",
		    n, im->ncols);
	for (i = 0; i < n; i++)
		if (lens[i] > 0)
			any = true;
	if (!any)
		return err_set(e, ERR_DATA, "empty row");
	for (i = 0; i < s->nfields; i++) {
		const struct schema_field *sf = &s->fields[i];

		im->fv[i] = "";
		im->flen[i] = 0;
		if (im->col[i] < 0)
			continue;
		p = f[im->col[i]];
		l = lens[im->col[i]];
		str_trim(&p, &l);
		if (l == 0) {
			if (sf->required)
				return bad(e, file, line, sf, "required field is empty");
			continue;
		}
		if ((why = normalise(im, i, p, l, &im->fv[i], &im->flen[i])) != NULL) {
			if (strcmp(why, "out of memory") == 0)
				return err_nomem(e);
			return bad(e, file, line, sf, why);
		}
	}
	for (i = 0; i < s->nfields; i++)
		if (im->lat_of[i] >= 0 &&
		    (why = coords(im, i, (size_t)im->lat_of[i])) != NULL) {
			if (strcmp(why, "out of memory") == 0)
				return err_nomem(e);
			return bad(e, file, line, &s->fields[i], why);
		}
	/* Last of the checks, so that only a row that is kept counts as seen. */
	for (i = 0; i < s->nfields; i++) {
		bool dup;

		if (!s->fields[i].unique || im->flen[i] == 0)
			continue;
		if ((rc = strset_add(&im->seen[i], im->fv[i], im->flen[i], &dup,
		    e)) != 0)
			return rc;
		if (dup)
			return bad(e, file, line, &s->fields[i],
			    "duplicate value of a unique field");
	}
	for (i = 0; i < s->nfields; i++)
		if ((rc = policy(im, &s->fields[i], i, e)) != 0) {
			err_at(e, file, line, s->fields[i].name);
			return rc;
		}
	for (i = 0; i < im->out.n; i++) {
		long k = im->outfield[i];

		if (k == -1) {
			im->v[i] = s->kind;
			im->len[i] = im->kindlen;
		} else if (k == -2) {
			im->v[i] = pii_key_id(im->o.key);
			im->len[i] = im->keyidlen;
		} else {
			im->v[i] = im->fv[k];
			im->len[i] = im->flen[k];
		}
	}
	*v = im->v;
	*len = im->len;
	err_at(e, NULL, 0, NULL);
	return 0;
}
