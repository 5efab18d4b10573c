/*
 * grids.c - the grid registry on the GEOS reentrant C API
 */
#include "grids.h"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "mem.h"
#include "rec.h"

#define EARTH_K (3.14159265358979323846 / 180.0 * 6371008.8)

/* Kinds, in the order grids_check emits them. */
enum ikind {
	K_BAD_WKT, K_NOT_POLYGON, K_DUPLICATE, K_ORPHAN, K_CYCLE,
	K_CODE_PARENT, K_LEVEL_ORDER, K_INVALID, K_OVERLAP, K_GAP,
	K_OUTSIDE, K_NKIND
};

static const char *const kind_names[K_NKIND] = {
	"bad_wkt", "not_polygon", "duplicate", "orphan", "cycle",
	"code_parent", "level_order", "invalid", "overlap", "gap",
	"outside_parent"
};

static const char *const level_names[GRIDS_NLEVEL] = {
	"district", "street", "community", "grid", "unit"
};

struct issue {
	int kind;
	long grid, other;
	const char *code, *other_code, *reason;
	double area;
	long line;
};

struct grid {
	const char *code, *name, *pcode;	/* pcode "" for the top */
	long line;
	long parent;
	int level;
	bool leaf;
	GEOSGeometry *geom;		/* NULL: bad WKT or not a polygon */
	const GEOSPreparedGeometry *prep;	/* leaves only */
};

struct grids {
	GEOSContextHandle_t ctx;
	char gmsg[256];			/* GEOS's last error message */
	struct mem_arena arena;		/* every string */
	struct grid *v;
	size_t n, cap;
	struct issue *iss;		/* found while loading */
	size_t niss, capiss;
	bool structural;
	bool units;
	size_t nleaf;
	GEOSSTRtree *tree;		/* leaves with a polygon */
	long *cand;			/* scratch: candidates of a query */
	size_t ncand, capcand;
	bool cand_oom;
	/* the fast path of grids_locate (see fast_covers) */
	long *lidx;			/* leaf k -> grid number, code order */
	double *env;			/* leaf k: xmin, ymin, xmax, ymax */
	size_t *rstart;			/* leaf k: rings rstart[k]..[k+1] */
	size_t *roff;			/* ring r: coords roff[r]..[r+1] */
	double *xy;			/* x, y pairs */
	size_t nring, nxy;
	double bx0, by0, bcw, bch;	/* bucket grid: origin, cell size */
	size_t bnx, bny;
	uint32_t *bstart, *bitem;	/* CSR: cell -> leaves, code order */
};

/* ---- levels and layouts ---- */

const char *
grids_level_name(enum grids_level level)
{
	if ((int)level < 0 || level >= GRIDS_NLEVEL)
		return "";
	return level_names[level];
}

int
grids_level_parse(const char *s, size_t n, enum grids_level *level)
{
	int i;

	for (i = 0; i < GRIDS_NLEVEL; i++)
		if (strlen(level_names[i]) == n &&
		    memcmp(s, level_names[i], n) == 0) {
			*level = (enum grids_level)i;
			return 0;
		}
	return -1;
}

static const char *const named_layouts[][2] = {
	{ "cjt213", "district:6,street:3,community:3,grid:3" },
	{ "cjt349", "x:6,district:6,street:3,community:3,grid:2" },
	{ "street-3-2", "district:6,street:3,community:3,grid:2" },
};
#define NNAMED (sizeof(named_layouts) / sizeof(named_layouts[0]))

static int
parse_spec(const char *s, struct grids_layout *lay)
{
	const char *p = s, *colon, *end;
	enum grids_level lv;
	int last = -1, len;

	memset(lay, 0, sizeof(*lay));
	lay->mode = GRIDS_LAYOUT_FIXED;
	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL || lay->nseg == GRIDS_LAYOUT_MAX)
			return -1;
		if (colon - p == 1 && *p == 'x')
			lay->seg[lay->nseg].level = -1;
		else {
			if (grids_level_parse(p, (size_t)(colon - p), &lv) != 0 ||
			    (int)lv <= last)
				return -1;
			last = (int)lv;
			lay->seg[lay->nseg].level = (int)lv;
		}
		if (end - colon < 2 || end - colon > 3)
			return -1;
		len = 0;
		for (p = colon + 1; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			len = len * 10 + (*p - '0');
		}
		if (len < 1 || len > 32)
			return -1;
		lay->seg[lay->nseg++].len = len;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return 0;
}

int
grids_layout_parse(const char *spec, struct grids_layout *lay,
    struct err *e)
{
	struct grids_layout t;
	size_t i;

	memset(&t, 0, sizeof(t));
	if (spec == NULL || *spec == '\0' || strcmp(spec, "auto") == 0)
		t.mode = GRIDS_LAYOUT_AUTO;
	else if (strcmp(spec, "none") == 0)
		t.mode = GRIDS_LAYOUT_NONE;
	else {
		for (i = 0; i < NNAMED; i++)
			if (strcmp(spec, named_layouts[i][0]) == 0)
				break;
		if (parse_spec(i < NNAMED ? named_layouts[i][1] : spec,
		    &t) != 0)
			return err_set(e, ERR_USAGE,
			    "unknown layout or bad segment");
	}
	*lay = t;
	return 0;
}

static int
layout_len(const struct grids_layout *lay)
{
	int i, n = 0;

	for (i = 0; i < lay->nseg; i++)
		n += lay->seg[i].len;
	return n;
}

long
grids_layout_expect(const struct grids_layout *lay, const char *code,
    size_t n, enum grids_level plevel, char *out)
{
	struct grids_layout t;
	size_t i, off = 0, olen = 0;

	if (lay == NULL || lay->mode == GRIDS_LAYOUT_AUTO) {
		for (i = 0; i < NNAMED; i++) {
			(void)parse_spec(named_layouts[i][1], &t);
			if ((size_t)layout_len(&t) == n)
				break;
		}
		if (i == NNAMED)
			return -1;
		lay = &t;
	} else if (lay->mode != GRIDS_LAYOUT_FIXED)
		return -1;
	for (i = 0; i < (size_t)lay->nseg; i++) {
		size_t len = (size_t)lay->seg[i].len;

		if (lay->seg[i].level > (int)plevel)
			break;
		if (off + len > n)
			return -2;
		if (lay->seg[i].level >= 0) {
			memcpy(out + olen, code + off, len);
			olen += len;
		}
		off += len;
	}
	out[olen] = '\0';
	return (long)olen;
}

/* ---- GEOS context ---- */

static void
geos_error(const char *msg, void *arg)
{
	struct grids *g = arg;
	size_t n = strlen(msg);

	if (n >= sizeof(g->gmsg))
		n = sizeof(g->gmsg) - 1;
	memcpy(g->gmsg, msg, n);
	g->gmsg[n] = '\0';
}

static void
geos_notice(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

/* ---- loading ---- */

static int
add_issue(struct grids *g, int kind, long grid, long other,
    const char *code, const char *other_code, const char *reason, long line,
    struct err *e)
{
	struct issue *t;

	if (g->niss == g->capiss) {
		size_t nc = g->capiss ? g->capiss * 2 : 16;

		t = mem_reallocarray(g->iss, nc, sizeof(*t));
		if (t == NULL)
			return err_nomem(e);
		g->iss = t;
		g->capiss = nc;
	}
	t = &g->iss[g->niss++];
	t->kind = kind;
	t->grid = grid;
	t->other = other;
	t->code = code;
	t->other_code = other_code ? other_code : "";
	t->reason = reason ? reason : "";
	t->area = 0;
	t->line = line;
	if (kind <= K_CYCLE)
		g->structural = true;
	return 0;
}

static const char *
astr(struct grids *g, const char *s)
{
	return mem_arena_strndup(&g->arena, s, strlen(s));
}

/*
 * GEOS's parse message, cut before the first quote or digit so that no
 * token or coordinate of the input is repeated; "not WKT" when nothing is
 * left.
 */
static const char *
wkt_reason(struct grids *g)
{
	char buf[sizeof(g->gmsg)];
	size_t n = 0;
	const char *s = g->gmsg;

	while (s[n] != '\0' && s[n] != '\'' && s[n] != '"' &&
	    !(s[n] >= '0' && s[n] <= '9') && n < sizeof(buf) - 1) {
		buf[n] = s[n];
		n++;
	}
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == ':' ||
	    buf[n - 1] == ',' || buf[n - 1] == '('))
		n--;
	buf[n] = '\0';
	if (n == 0)
		return "not WKT";
	return astr(g, buf);
}

/* Every coordinate of the polygon or multipolygon geom is in range. */
static bool
coords_ok(GEOSContextHandle_t ctx, const GEOSGeometry *geom)
{
	int i, np, k, nr;
	unsigned j, n;

	np = GEOSGetNumGeometries_r(ctx, geom);
	for (i = 0; i < np; i++) {
		const GEOSGeometry *poly = GEOSGetGeometryN_r(ctx, geom, i);

		nr = GEOSGetNumInteriorRings_r(ctx, poly);
		if (poly == NULL || nr < 0)
			return false;
		for (k = -1; k < nr; k++) {
			const GEOSGeometry *ring = k < 0 ?
			    GEOSGetExteriorRing_r(ctx, poly) :
			    GEOSGetInteriorRingN_r(ctx, poly, k);
			const GEOSCoordSequence *cs = ring == NULL ? NULL :
			    GEOSGeom_getCoordSeq_r(ctx, ring);
			double x, y;

			if (cs == NULL || GEOSCoordSeq_getSize_r(ctx, cs,
			    &n) != 1)
				return false;
			for (j = 0; j < n; j++)
				if (GEOSCoordSeq_getXY_r(ctx, cs, j, &x,
				    &y) != 1 || !(x >= -180 && x <= 180 &&
				    y >= -90 && y <= 90))
					return false;
		}
	}
	return true;
}

/* Parse the WKT of the grid w; bad ones give an issue kind and reason. */
static int
parse_wkt(struct grids *g, GEOSWKTReader *rd, struct grid *w,
    const char *wkt, int *kind, const char **reason)
{
	GEOSGeometry *geom;
	int t;

	*kind = -1;
	*reason = NULL;
	g->gmsg[0] = '\0';
	if (*wkt == '\0') {
		*kind = K_BAD_WKT;
		*reason = "empty";
		return 0;
	}
	geom = GEOSWKTReader_read_r(g->ctx, rd, wkt);
	if (geom == NULL) {
		*kind = K_BAD_WKT;
		*reason = wkt_reason(g);
		return *reason == NULL ? -1 : 0;
	}
	t = GEOSGeomTypeId_r(g->ctx, geom);
	if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
		*kind = K_NOT_POLYGON;
		*reason = "not a polygon or multipolygon";
	} else if (GEOSisEmpty_r(g->ctx, geom) != 0) {
		*kind = K_NOT_POLYGON;
		*reason = "empty";
	} else if (!coords_ok(g->ctx, geom)) {
		*kind = K_BAD_WKT;
		*reason = "coordinate out of range or not a number";
	}
	if (*kind >= 0) {
		GEOSGeom_destroy_r(g->ctx, geom);
		return 0;
	}
	w->geom = geom;
	return 0;
}

static int
cmp_grid(const void *a, const void *b)
{
	const struct grid *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

struct pending {			/* a bad grid seen before sorting */
	const char *code;
	long line;
	int kind;
	const char *reason;
};

static long
find(const struct grids *g, const char *code)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->v[mid].code, code);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
read_records(struct grids *g, struct rec_reader *r, struct pending **pp,
    size_t *npp, struct err *e)
{
	struct rec_row row;
	GEOSWKTReader *rd;
	struct pending *pend = NULL;
	size_t npend = 0, cappend = 0;
	long ic, il, iw, ip, in;
	const char *name = rec_reader_name(r);
	enum grids_level lv;
	int rc, kind;

	*pp = NULL;
	*npp = 0;
	rec_reader_expect_kind(r, "grid");
	ic = rec_reader_index(r, "code");
	il = rec_reader_index(r, "level");
	iw = rec_reader_index(r, "wkt");
	ip = rec_reader_index(r, "parent");
	in = rec_reader_index(r, "name");
	if (ic < 0 || il < 0 || iw < 0) {
		err_at(e, name, 1, ic < 0 ? "code" : il < 0 ? "level" : "wkt");
		return err_set(e, ERR_DATA, "missing column");
	}
	rd = GEOSWKTReader_create_r(g->ctx);
	if (rd == NULL)
		return err_set(e, ERR_INTERNAL, "cannot create a WKT reader");
	while ((rc = rec_read(r, &row, e)) == 1) {
		struct grid *w;
		const char *reason;

		if (row.v[ic][0] == '\0') {
			err_at(e, name, row.line, "code");
			rc = err_set(e, ERR_DATA, "empty code");
			break;
		}
		if (grids_level_parse(row.v[il], row.len[il], &lv) != 0) {
			err_at(e, name, row.line, "level");
			rc = err_set(e, ERR_DATA, "unknown level");
			break;
		}
		if (g->n == g->cap) {
			size_t nc = g->cap ? g->cap * 2 : 64;

			w = mem_reallocarray(g->v, nc, sizeof(*w));
			if (w == NULL) {
				rc = err_nomem(e);
				break;
			}
			g->v = w;
			g->cap = nc;
		}
		w = &g->v[g->n];
		memset(w, 0, sizeof(*w));
		w->line = row.line;
		w->level = (int)lv;
		w->parent = -1;
		w->code = astr(g, row.v[ic]);
		w->name = astr(g, in >= 0 ? row.v[in] : "");
		w->pcode = astr(g, ip >= 0 ? row.v[ip] : "");
		if (w->code == NULL || w->name == NULL || w->pcode == NULL ||
		    parse_wkt(g, rd, w, row.v[iw], &kind, &reason) != 0) {
			rc = err_nomem(e);
			break;
		}
		g->n++;
		if (lv == GRIDS_UNIT)
			g->units = true;
		if (kind >= 0) {
			if (npend == cappend) {
				size_t nc = cappend ? cappend * 2 : 8;
				struct pending *t;

				t = mem_reallocarray(pend, nc, sizeof(*t));
				if (t == NULL) {
					rc = err_nomem(e);
					break;
				}
				pend = t;
				cappend = nc;
			}
			pend[npend].code = w->code;
			pend[npend].line = row.line;
			pend[npend].kind = kind;
			pend[npend].reason = reason;
			npend++;
		}
	}
	GEOSWKTReader_destroy_r(g->ctx, rd);
	*pp = pend;
	*npp = npend;
	return rc;
}

/* Sort, drop duplicates, resolve parents, find cycles and leaves. */
static int
link_grids(struct grids *g, const struct grids_layout *lay, struct err *e)
{
	size_t i, j, k;
	unsigned char *state;
	char exp[33 * GRIDS_LAYOUT_MAX + 1];

	if (g->n > 1)
		qsort(g->v, g->n, sizeof(g->v[0]), cmp_grid);
	for (i = j = 0; i < g->n; i++) {
		if (j > 0 && strcmp(g->v[j - 1].code, g->v[i].code) == 0) {
			if (g->v[i].geom != NULL)
				GEOSGeom_destroy_r(g->ctx, g->v[i].geom);
			if (add_issue(g, K_DUPLICATE, (long)j - 1, -1,
			    g->v[i].code, NULL, NULL, g->v[i].line, e) != 0)
				return ERR_INTERNAL;
			continue;
		}
		g->v[j++] = g->v[i];
	}
	g->n = j;
	for (i = 0; i < g->n; i++) {
		struct grid *w = &g->v[i];

		if (w->pcode[0] == '\0')
			continue;
		w->parent = find(g, w->pcode);
		if (w->parent < 0) {
			if (add_issue(g, K_ORPHAN, (long)i, -1, w->code,
			    w->pcode, NULL, w->line, e) != 0)
				return ERR_INTERNAL;
		}
	}
	for (i = 0; i < g->n; i++)
		g->v[i].leaf = true;
	for (i = 0; i < g->n; i++)
		if (g->v[i].parent >= 0)
			g->v[g->v[i].parent].leaf = false;

	/* cycles: 0 unseen, 1 on the current walk, 2 done */
	state = mem_calloc(g->n ? g->n : 1, 1);
	if (state == NULL)
		return err_nomem(e);
	for (i = 0; i < g->n; i++) {
		long p, low;

		for (p = (long)i; p >= 0 && state[p] == 0; p = g->v[p].parent)
			state[p] = 1;
		if (p >= 0 && state[p] == 1) {
			/* p is on a cycle: find its lowest member */
			low = p;
			for (k = (size_t)g->v[p].parent; (long)k != p;
			    k = (size_t)g->v[k].parent)
				if ((long)k < low)
					low = (long)k;
			if (add_issue(g, K_CYCLE, low, g->v[low].parent,
			    g->v[low].code, g->v[g->v[low].parent].code, NULL,
			    g->v[low].line, e) != 0) {
				mem_free(state);
				return ERR_INTERNAL;
			}
			/* the whole cycle is done, then cut it */
			state[p] = 2;
			for (k = (size_t)g->v[p].parent; (long)k != p;
			    k = (size_t)g->v[k].parent)
				state[k] = 2;
			g->v[low].parent = -1;
		}
		for (p = (long)i; p >= 0 && state[p] == 1; p = g->v[p].parent)
			state[p] = 2;
	}
	mem_free(state);

	for (i = 0; i < g->n; i++) {
		struct grid *w = &g->v[i], *pw;
		long n;

		if (w->parent < 0)
			continue;
		pw = &g->v[w->parent];
		if (pw->level >= w->level &&
		    add_issue(g, K_LEVEL_ORDER, (long)i, w->parent, w->code,
		    pw->code, NULL, w->line, e) != 0)
			return ERR_INTERNAL;
		n = grids_layout_expect(lay, w->code, strlen(w->code),
		    (enum grids_level)pw->level, exp);
		if (n == -1)
			continue;
		if (n == -2) {
			if (add_issue(g, K_CODE_PARENT, (long)i, w->parent,
			    w->code, pw->code, "code shorter than the layout",
			    w->line, e) != 0)
				return ERR_INTERNAL;
			continue;
		}
		if (strncmp(pw->code, exp, (size_t)n) == 0 &&
		    strspn(pw->code + n, "0") == strlen(pw->code + n))
			continue;
		if (add_issue(g, K_CODE_PARENT, (long)i, w->parent, w->code,
		    pw->code, "code prefix differs from the parent code",
		    w->line, e) != 0)
			return ERR_INTERNAL;
	}
	return 0;
}

static void
collect(void *item, void *arg)
{
	struct grids *g = arg;

	if (g->ncand == g->capcand) {
		size_t nc = g->capcand ? g->capcand * 2 : 64;
		long *t = mem_reallocarray(g->cand, nc, sizeof(*t));

		if (t == NULL) {
			g->cand_oom = true;
			return;
		}
		g->cand = t;
		g->capcand = nc;
	}
	g->cand[g->ncand++] = (struct grid *)item - g->v;
}

/* The bucket cell of a coordinate, clamped to the grid. */
static size_t
cell_of(double v, double v0, double w, size_t n)
{
	double c;

	if (!(w > 0))
		return 0;
	c = floor((v - v0) / w);
	if (!(c > 0))
		return 0;
	if (c >= (double)n)
		return n - 1;
	return (size_t)c;
}

/* The cells an envelope touches (edges on a cell line touch both). */
static void
cell_range(const struct grids *g, const double *v, size_t *cx0, size_t *cy0,
    size_t *cx1, size_t *cy1)
{
	/* a little slack so that rounding in cell_of never misses a leaf */
	double sx = g->bcw * 1e-9, sy = g->bch * 1e-9;

	*cx0 = cell_of(v[0] - sx, g->bx0, g->bcw, g->bnx);
	*cy0 = cell_of(v[1] - sy, g->by0, g->bch, g->bny);
	*cx1 = cell_of(v[2] + sx, g->bx0, g->bcw, g->bnx);
	*cy1 = cell_of(v[3] + sy, g->by0, g->bch, g->bny);
}

/* Append the rings of polygon or multipolygon geom to g->roff / g->xy. */
static int
copy_rings(struct grids *g, const GEOSGeometry *geom, size_t *capr,
    size_t *capx)
{
	GEOSContextHandle_t ctx = g->ctx;
	int i, np, k, nr;
	unsigned j, n;

	np = GEOSGetNumGeometries_r(ctx, geom);
	for (i = 0; i < np; i++) {
		const GEOSGeometry *poly = GEOSGetGeometryN_r(ctx, geom, i);

		nr = poly == NULL ? -1 : GEOSGetNumInteriorRings_r(ctx, poly);
		if (nr < 0)
			return -1;
		for (k = -1; k < nr; k++) {
			const GEOSGeometry *ring = k < 0 ?
			    GEOSGetExteriorRing_r(ctx, poly) :
			    GEOSGetInteriorRingN_r(ctx, poly, k);
			const GEOSCoordSequence *cs = ring == NULL ? NULL :
			    GEOSGeom_getCoordSeq_r(ctx, ring);

			if (cs == NULL ||
			    GEOSCoordSeq_getSize_r(ctx, cs, &n) != 1)
				return -1;
			if (g->nring + 2 > *capr) {
				size_t nc = *capr * 2 + 64;
				size_t *t = mem_reallocarray(g->roff, nc,
				    sizeof(*t));

				if (t == NULL)
					return -1;
				g->roff = t;
				*capr = nc;
			}
			if (g->nxy + 2 * (size_t)n > *capx) {
				size_t nc = *capx * 2 + 2 * (size_t)n;
				double *t = mem_reallocarray(g->xy, nc,
				    sizeof(*t));

				if (t == NULL)
					return -1;
				g->xy = t;
				*capx = nc;
			}
			for (j = 0; j < n; j++)
				if (GEOSCoordSeq_getXY_r(ctx, cs, j,
				    &g->xy[g->nxy + 2 * j],
				    &g->xy[g->nxy + 2 * j + 1]) != 1)
					return -1;
			g->roff[g->nring] = g->nxy / 2;
			g->nring++;
			g->nxy += 2 * (size_t)n;
			g->roff[g->nring] = g->nxy / 2;
		}
	}
	return 0;
}

/*
 * The fast path: each leaf's rings copied into flat arrays, and a bucket
 * grid over the leaves' envelopes whose cells list the leaves in code
 * order.  About two cells per leaf; coarser when big leaves would make the
 * lists long.
 */
static int
build_fast(struct grids *g, struct err *e)
{
	size_t i, k, capr = 0, capx = 0, ncell, total, c;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	uint32_t *fill;

	if (g->nleaf == 0)
		return 0;
	if (g->nleaf > UINT32_MAX / 4)
		return err_set(e, ERR_INTERNAL, "too many grids");
	g->lidx = mem_reallocarray(NULL, g->nleaf, sizeof(*g->lidx));
	g->env = mem_reallocarray(NULL, g->nleaf, 4 * sizeof(*g->env));
	g->rstart = mem_reallocarray(NULL, g->nleaf + 1, sizeof(*g->rstart));
	if (g->lidx == NULL || g->env == NULL || g->rstart == NULL)
		return err_nomem(e);
	for (i = k = 0; i < g->n; i++) {
		struct grid *w = &g->v[i];
		double *v = &g->env[4 * k];

		if (w->prep == NULL)
			continue;
		g->lidx[k] = (long)i;
		g->rstart[k] = g->nring;
		if (copy_rings(g, w->geom, &capr, &capx) != 0)
			return err_nomem(e);
		if (GEOSGeom_getXMin_r(g->ctx, w->geom, &v[0]) != 1 ||
		    GEOSGeom_getYMin_r(g->ctx, w->geom, &v[1]) != 1 ||
		    GEOSGeom_getXMax_r(g->ctx, w->geom, &v[2]) != 1 ||
		    GEOSGeom_getYMax_r(g->ctx, w->geom, &v[3]) != 1)
			return err_set(e, ERR_INTERNAL, "GEOS failed");
		x0 = fmin(x0, v[0]);
		y0 = fmin(y0, v[1]);
		x1 = fmax(x1, v[2]);
		y1 = fmax(y1, v[3]);
		k++;
	}
	g->rstart[k] = g->nring;
	g->bx0 = x0;
	g->by0 = y0;
	g->bnx = g->bny = (size_t)ceil(sqrt(2.0 * (double)g->nleaf));
	for (;;) {
		g->bcw = (x1 - x0) / (double)g->bnx;
		g->bch = (y1 - y0) / (double)g->bny;
		if (!(g->bcw > 0))
			g->bnx = 1;
		if (!(g->bch > 0))
			g->bny = 1;
		ncell = g->bnx * g->bny;
		mem_free(g->bstart);
		g->bstart = mem_calloc(ncell + 1, sizeof(*g->bstart));
		if (g->bstart == NULL)
			return err_nomem(e);
		total = 0;
		for (k = 0; k < g->nleaf; k++) {
			size_t cx0, cy0, cx1, cy1, cx, cy;

			cell_range(g, &g->env[4 * k], &cx0, &cy0, &cx1, &cy1);
			total += (cx1 - cx0 + 1) * (cy1 - cy0 + 1);
			if (total > 16 * g->nleaf + ncell)
				break;
			for (cy = cy0; cy <= cy1; cy++)
				for (cx = cx0; cx <= cx1; cx++)
					g->bstart[cy * g->bnx + cx + 1]++;
		}
		if (k == g->nleaf || ncell == 1)
			break;
		g->bnx = (g->bnx + 1) / 2;
		g->bny = (g->bny + 1) / 2;
	}
	for (c = 0; c < ncell; c++)
		g->bstart[c + 1] += g->bstart[c];
	g->bitem = mem_reallocarray(NULL, total ? total : 1,
	    sizeof(*g->bitem));
	fill = mem_reallocarray(NULL, ncell, sizeof(*fill));
	if (g->bitem == NULL || fill == NULL) {
		mem_free(fill);
		return err_nomem(e);
	}
	memcpy(fill, g->bstart, ncell * sizeof(*fill));
	for (k = 0; k < g->nleaf; k++) {
		size_t cx0, cy0, cx1, cy1, cx, cy;

		cell_range(g, &g->env[4 * k], &cx0, &cy0, &cx1, &cy1);
		for (cy = cy0; cy <= cy1; cy++)
			for (cx = cx0; cx <= cx1; cx++)
				g->bitem[fill[cy * g->bnx + cx]++] =
				    (uint32_t)k;
	}
	mem_free(fill);
	return 0;
}

static int
build_index(struct grids *g, struct err *e)
{
	size_t i;
	long first = -1;

	g->tree = GEOSSTRtree_create_r(g->ctx, 10);
	if (g->tree == NULL)
		return err_set(e, ERR_INTERNAL, "cannot create an STRtree");
	for (i = 0; i < g->n; i++) {
		struct grid *w = &g->v[i];

		if (!w->leaf || w->geom == NULL)
			continue;
		w->prep = GEOSPrepare_r(g->ctx, w->geom);
		if (w->prep == NULL)
			return err_set(e, ERR_INTERNAL,
			    "cannot prepare a geometry");
		GEOSSTRtree_insert_r(g->ctx, g->tree, w->geom, w);
		g->nleaf++;
		if (first < 0)
			first = (long)i;
	}
	if (build_fast(g, e) != 0)
		return ERR_INTERNAL;
	if (first >= 0) {
		/* the tree is built on its first query: do it now */
		g->ncand = 0;
		GEOSSTRtree_query_r(g->ctx, g->tree, g->v[first].geom,
		    collect, g);
		if (g->cand_oom)
			return err_nomem(e);
	}
	return 0;
}

static int
load(struct grids **gp, struct rec_reader *r, const struct grids_layout *lay,
    struct err *e)
{
	struct grids *g;
	struct pending *pend = NULL;
	size_t npend = 0, i;
	int rc;

	*gp = NULL;
	g = mem_calloc(1, sizeof(*g));
	if (g == NULL) {
		rec_reader_close(r);
		return err_nomem(e);
	}
	mem_arena_init(&g->arena);
	g->ctx = GEOS_init_r();
	if (g->ctx == NULL) {
		rec_reader_close(r);
		mem_free(g);
		return err_set(e, ERR_INTERNAL, "cannot start GEOS");
	}
	GEOSContext_setErrorMessageHandler_r(g->ctx, geos_error, g);
	GEOSContext_setNoticeMessageHandler_r(g->ctx, geos_notice, g);
	rc = read_records(g, r, &pend, &npend, e);
	rec_reader_close(r);
	if (rc == 0) {
		/* bad grids: issues now, grid numbers once sorted */
		for (i = 0; i < npend && rc == 0; i++)
			rc = add_issue(g, pend[i].kind, -1, -1, pend[i].code,
			    NULL, pend[i].reason, pend[i].line, e);
	}
	mem_free(pend);
	if (rc == 0)
		rc = link_grids(g, lay, e);
	if (rc == 0) {
		for (i = 0; i < g->niss; i++) {
			struct issue *t = &g->iss[i];
			long j;

			if (t->kind != K_BAD_WKT && t->kind != K_NOT_POLYGON)
				continue;
			/* -1 for a duplicate's record, which has no number */
			j = find(g, t->code);
			if (j >= 0 && g->v[j].line == t->line)
				t->grid = j;
		}
		rc = build_index(g, e);
	}
	if (rc != 0) {
		grids_free(g);
		return rc;
	}
	*gp = g;
	return 0;
}

int
grids_load(struct grids **gp, const char *path,
    const struct grids_layout *lay, struct err *e)
{
	struct rec_reader *r;
	int rc;

	*gp = NULL;
	if ((rc = rec_reader_open(&r, path, false, e)) != 0)
		return rc;
	return load(gp, r, lay, e);
}

int
grids_load_mem(struct grids **gp, const char *buf, size_t n,
    const char *name, const struct grids_layout *lay, struct err *e)
{
	struct rec_reader *r;
	int rc;

	*gp = NULL;
	if ((rc = rec_reader_mem(&r, buf, n, name, e)) != 0)
		return rc;
	return load(gp, r, lay, e);
}

void
grids_free(struct grids *g)
{
	size_t i;

	if (g == NULL)
		return;
	if (g->tree != NULL)
		GEOSSTRtree_destroy_r(g->ctx, g->tree);
	for (i = 0; i < g->n; i++) {
		if (g->v[i].prep != NULL)
			GEOSPreparedGeom_destroy_r(g->ctx, g->v[i].prep);
		if (g->v[i].geom != NULL)
			GEOSGeom_destroy_r(g->ctx, g->v[i].geom);
	}
	GEOS_finish_r(g->ctx);
	mem_free(g->v);
	mem_free(g->iss);
	mem_free(g->cand);
	mem_free(g->lidx);
	mem_free(g->env);
	mem_free(g->rstart);
	mem_free(g->roff);
	mem_free(g->xy);
	mem_free(g->bstart);
	mem_free(g->bitem);
	mem_arena_free(&g->arena);
	mem_free(g);
}

/* ---- accessors ---- */

bool
grids_usable(const struct grids *g)
{
	return !g->structural;
}

size_t
grids_count(const struct grids *g)
{
	return g->n;
}

size_t
grids_leaf_count(const struct grids *g)
{
	return g->nleaf;
}

long
grids_find(const struct grids *g, const char *code)
{
	return find(g, code);
}

const char *
grids_code(const struct grids *g, size_t i)
{
	return g->v[i].code;
}

const char *
grids_name(const struct grids *g, size_t i)
{
	return g->v[i].name;
}

enum grids_level
grids_level(const struct grids *g, size_t i)
{
	return (enum grids_level)g->v[i].level;
}

long
grids_parent(const struct grids *g, size_t i)
{
	return g->v[i].parent;
}

long
grids_line(const struct grids *g, size_t i)
{
	return g->v[i].line;
}

bool
grids_is_leaf(const struct grids *g, size_t i)
{
	return g->v[i].leaf;
}

int
grids_rings(struct grids *g, size_t i, double **xy, size_t **ringlen,
    size_t *nrings, struct err *e)
{
	GEOSContextHandle_t ctx = g->ctx;
	const GEOSGeometry *geom = g->v[i].geom;
	size_t nr = 0, np = 0, r = 0, off = 0;
	int pass, p, npoly, k, nh;
	unsigned j, n;

	*xy = NULL;
	*ringlen = NULL;
	*nrings = 0;
	if (geom == NULL)
		return 0;
	npoly = GEOSGetNumGeometries_r(ctx, geom);
	/* pass 0 counts, pass 1 copies */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			*xy = mem_reallocarray(NULL, np ? 2 * np : 1,
			    sizeof(**xy));
			*ringlen = mem_reallocarray(NULL, nr ? nr : 1,
			    sizeof(**ringlen));
			if (*xy == NULL || *ringlen == NULL)
				goto nomem;
		}
		for (p = 0; p < npoly; p++) {
			const GEOSGeometry *poly = GEOSGetGeometryN_r(ctx, geom,
			    p);

			nh = poly == NULL ? -1 :
			    GEOSGetNumInteriorRings_r(ctx, poly);
			if (nh < 0)
				goto geos;
			for (k = -1; k < nh; k++) {
				const GEOSGeometry *ring = k < 0 ?
				    GEOSGetExteriorRing_r(ctx, poly) :
				    GEOSGetInteriorRingN_r(ctx, poly, k);
				const GEOSCoordSequence *cs = ring == NULL ?
				    NULL : GEOSGeom_getCoordSeq_r(ctx, ring);

				if (cs == NULL ||
				    GEOSCoordSeq_getSize_r(ctx, cs, &n) != 1)
					goto geos;
				if (pass == 0) {
					nr++;
					np += n;
					continue;
				}
				if (r >= nr || off + n > np)
					goto geos;
				for (j = 0; j < n; j++)
					if (GEOSCoordSeq_getXY_r(ctx, cs, j,
					    &(*xy)[2 * (off + j)],
					    &(*xy)[2 * (off + j) + 1]) != 1)
						goto geos;
				(*ringlen)[r++] = n;
				off += n;
			}
		}
	}
	*nrings = r;
	return 0;
nomem:
	mem_free(*xy);
	mem_free(*ringlen);
	*xy = NULL;
	*ringlen = NULL;
	return err_nomem(e);
geos:
	mem_free(*xy);
	mem_free(*ringlen);
	*xy = NULL;
	*ringlen = NULL;
	return err_set(e, ERR_INTERNAL, "GEOS failed");
}

bool
grids_has_units(const struct grids *g)
{
	return g->units;
}

void
grids_chain(const struct grids *g, size_t i, long out[GRIDS_NLEVEL])
{
	long p;
	size_t steps;
	int k;

	for (k = 0; k < GRIDS_NLEVEL; k++)
		out[k] = -1;
	/* cycles are cut at load; the step bound is a second guard */
	for (p = (long)i, steps = 0; p >= 0 && steps <= g->n;
	    p = g->v[p].parent, steps++)
		if (out[g->v[p].level] < 0)
			out[g->v[p].level] = p;
}

/* ---- lookup ---- */

static void
sort_cand(long *a, size_t n)
{
	size_t i, j;
	long t;

	for (i = 1; i < n; i++) {
		t = a[i];
		for (j = i; j > 0 && a[j - 1] > t; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Query the leaf tree with geom; candidates sorted in g->cand. */
static int
query(struct grids *g, const GEOSGeometry *geom, struct err *e)
{
	g->ncand = 0;
	g->cand_oom = false;
	GEOSSTRtree_query_r(g->ctx, g->tree, geom, collect, g);
	if (g->cand_oom)
		return err_nomem(e);
	if (g->ncand <= 16)
		sort_cand(g->cand, g->ncand);
	else
		qsort(g->cand, g->ncand, sizeof(g->cand[0]), cmp_long);
	return 0;
}

static int
snap(struct grids *g, double lon, double lat, double snap_m, long *leaf,
    double *dist_m, struct err *e)
{
	GEOSGeometry *box;
	double dlat, dlon, c, best = INFINITY;
	size_t i;
	long bi = -1;
	int rc;

	c = cos(lat * 3.14159265358979323846 / 180.0);
	dlat = snap_m / 111320.0 * 1.1;
	dlon = c > 1e-9 ? snap_m / (111320.0 * c) * 1.1 : 360;
	if (dlat > 180)
		dlat = 180;
	if (dlon > 360)
		dlon = 360;
	box = GEOSGeom_createRectangle_r(g->ctx, lon - dlon, lat - dlat,
	    lon + dlon, lat + dlat);
	if (box == NULL)
		return err_set(e, ERR_INTERNAL, "GEOS failed");
	rc = query(g, box, e);
	GEOSGeom_destroy_r(g->ctx, box);
	if (rc != 0)
		return rc;
	if (g->ncand == 0)
		return 0;
	box = GEOSGeom_createPointFromXY_r(g->ctx, lon, lat);
	if (box == NULL)
		return err_set(e, ERR_INTERNAL, "GEOS failed");
	for (i = 0; i < g->ncand; i++) {
		GEOSCoordSequence *cs;
		double x, y, d;

		cs = GEOSPreparedNearestPoints_r(g->ctx,
		    g->v[g->cand[i]].prep, box);
		if (cs == NULL) {
			GEOSGeom_destroy_r(g->ctx, box);
			return err_set(e, ERR_INTERNAL, "GEOS failed");
		}
		rc = GEOSCoordSeq_getXY_r(g->ctx, cs, 0, &x, &y);
		GEOSCoordSeq_destroy_r(g->ctx, cs);
		if (rc != 1)
			continue;
		d = geo_distance_m(lon, lat, x, y);
		if (d < best) {
			best = d;
			bi = g->cand[i];
		}
	}
	GEOSGeom_destroy_r(g->ctx, box);
	if (bi >= 0 && best <= snap_m) {
		*leaf = bi;
		*dist_m = best;
		return 2;
	}
	return 0;
}

/*
 * fast_covers: does leaf k cover (px, py)?  1 yes, 0 no, -1 cannot tell
 * for sure (then GEOS decides).
 *
 * This is GEOS's own test for a point against a prepared polygon
 * (IndexedPointInAreaLocator: RayCrossingCounter over every ring of every
 * part; on a vertex, a horizontal edge or a collinear edge = boundary =
 * covered; else the parity of crossings), step by step with the same exact
 * comparisons, except for the orientation of the point against an edge:
 * GEOS computes it exactly (double-double); here it is computed in doubles
 * with Shewchuk's error bound for orient2d, and whenever the sign is not
 * certain the answer is -1.  So a 0 or 1 is always GEOS's answer.
 */
static int
fast_covers(const struct grids *g, size_t k, double px, double py)
{
	size_t r, i, end;
	unsigned cross = 0;

	for (r = g->rstart[k]; r < g->rstart[k + 1]; r++) {
		const double *p = g->xy + 2 * g->roff[r];

		end = g->roff[r + 1] - g->roff[r];
		for (i = 1; i < end; i++, p += 2) {
			double x1 = p[0], y1 = p[1], x2 = p[2], y2 = p[3];
			double dl, dr, det;

			if (x1 < px && x2 < px)
				continue;
			if (px == x2 && py == y2)
				return 1;
			if (y1 == py && y2 == py) {
				if (px >= fmin(x1, x2) && px <= fmax(x1, x2))
					return 1;
				continue;
			}
			if (!((y1 > py && y2 <= py) || (y2 > py && y1 <= py)))
				continue;
			dl = (x1 - px) * (y2 - py);
			dr = (y1 - py) * (x2 - px);
			det = dl - dr;
			/* ccwerrboundA = (3 + 16 eps) eps, doubled */
			if (fabs(det) <= 6.7e-16 * (fabs(dl) + fabs(dr)))
				return -1;
			/* det > 0: p2 is left of q->p1, i.e. q left of p1->p2 */
			if ((det > 0) == (y2 > y1))
				cross++;
		}
	}
	return (int)(cross & 1);
}

int
grids_locate(struct grids *g, double lon, double lat, double snap_m,
    long *leaf, double *dist_m, struct err *e)
{
	GEOSGeometry *pt = NULL;
	const uint32_t *it, *end;
	size_t c;
	int found = 0;

	*leaf = -1;
	*dist_m = 0;
	if (!isfinite(lon) || !isfinite(lat))
		return err_set(e, ERR_DATA, "coordinate is not a number");
	if (lon < -180 || lon > 180 || lat < -90 || lat > 90 || g->nleaf == 0)
		return 0;
	c = cell_of(lat, g->by0, g->bch, g->bny) * g->bnx +
	    cell_of(lon, g->bx0, g->bcw, g->bnx);
	it = g->bitem + g->bstart[c];
	end = g->bitem + g->bstart[c + 1];
	for (; it < end; it++) {
		const double *v = &g->env[4 * *it];
		int f;

		if (lon < v[0] || lon > v[2] || lat < v[1] || lat > v[3])
			continue;
		f = fast_covers(g, *it, lon, lat);
		if (f < 0) {
			char cv;

			if (pt == NULL &&
			    (pt = GEOSGeom_createPointFromXY_r(g->ctx, lon,
			    lat)) == NULL)
				return err_set(e, ERR_INTERNAL, "GEOS failed");
			cv = GEOSPreparedCovers_r(g->ctx,
			    g->v[g->lidx[*it]].prep, pt);
			if (cv != 0 && cv != 1) {
				GEOSGeom_destroy_r(g->ctx, pt);
				return err_set(e, ERR_INTERNAL, "GEOS failed");
			}
			f = cv;
		}
		if (f == 1) {
			*leaf = g->lidx[*it];
			found = 1;
			break;
		}
	}
	if (pt != NULL)
		GEOSGeom_destroy_r(g->ctx, pt);
	if (found || !(snap_m > 0))
		return found;
	return snap(g, lon, lat, snap_m, leaf, dist_m, e);
}

int
grids_locate_brute(struct grids *g, double lon, double lat, long *leaf,
    struct err *e)
{
	GEOSGeometry *pt;
	size_t i;
	int found = 0;

	*leaf = -1;
	if (!isfinite(lon) || !isfinite(lat))
		return err_set(e, ERR_DATA, "coordinate is not a number");
	pt = GEOSGeom_createPointFromXY_r(g->ctx, lon, lat);
	if (pt == NULL)
		return err_set(e, ERR_INTERNAL, "GEOS failed");
	for (i = 0; i < g->n; i++) {
		char c;

		if (!g->v[i].leaf || g->v[i].geom == NULL)
			continue;
		c = GEOSCovers_r(g->ctx, g->v[i].geom, pt);
		if (c == 1) {
			*leaf = (long)i;
			found = 1;
			break;
		}
		if (c != 0) {
			GEOSGeom_destroy_r(g->ctx, pt);
			return err_set(e, ERR_INTERNAL, "GEOS failed");
		}
	}
	GEOSGeom_destroy_r(g->ctx, pt);
	return found;
}

/* ---- check ---- */

struct chk {
	struct grids *g;
	struct issue *v;
	size_t n, cap;
	struct mem_arena arena;		/* reasons of this check */
	double min;
};

static int
chk_add(struct chk *c, int kind, long grid, long other, double area,
    const char *reason, struct err *e)
{
	struct issue *t;

	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;

		t = mem_reallocarray(c->v, nc, sizeof(*t));
		if (t == NULL)
			return err_nomem(e);
		c->v = t;
		c->cap = nc;
	}
	t = &c->v[c->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->grid = grid;
	t->other = other;
	t->code = c->g->v[grid].code;
	t->other_code = other >= 0 ? c->g->v[other].code : "";
	t->reason = reason ? reason : "";
	t->area = area;
	t->line = c->g->v[grid].line;
	return 0;
}

/* Area in m² on the local plane at the centroid's latitude (see .h). */
static double
area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *geom)
{
	GEOSGeometry *cen;
	double a = 0, lat0 = 0;

	if (GEOSArea_r(ctx, geom, &a) != 1 || !(a > 0))
		return 0;
	cen = GEOSGetCentroid_r(ctx, geom);
	if (cen == NULL)
		return 0;
	if (GEOSGeomGetY_r(ctx, cen, &lat0) != 1)
		lat0 = 0;
	GEOSGeom_destroy_r(ctx, cen);
	return a * cos(lat0 * 3.14159265358979323846 / 180.0) *
	    EARTH_K * EARTH_K;
}

/* a op b, retried on made-valid copies when GEOS throws; NULL when both
 * fail.  op: 0 intersection, 1 difference. */
static GEOSGeometry *
overlay(GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b,
    int op)
{
	GEOSGeometry *r, *va, *vb;

	r = op == 0 ? GEOSIntersection_r(ctx, a, b) :
	    GEOSDifference_r(ctx, a, b);
	if (r != NULL)
		return r;
	va = GEOSMakeValid_r(ctx, a);
	vb = GEOSMakeValid_r(ctx, b);
	if (va != NULL && vb != NULL)
		r = op == 0 ? GEOSIntersection_r(ctx, va, vb) :
		    GEOSDifference_r(ctx, va, vb);
	if (va != NULL)
		GEOSGeom_destroy_r(ctx, va);
	if (vb != NULL)
		GEOSGeom_destroy_r(ctx, vb);
	return r;
}

/* Strip GEOS's "[x y]" location from an isValidReason text. */
static const char *
valid_reason(struct chk *c, const char *s)
{
	size_t n = strcspn(s, "[");

	while (n > 0 && s[n - 1] == ' ')
		n--;
	return mem_arena_strndup(&c->arena, s, n);
}

static int
check_invalid(struct chk *c, struct err *e)
{
	struct grids *g = c->g;
	size_t i;

	for (i = 0; i < g->n; i++) {
		char *why;
		const char *r;
		int rc;

		if (g->v[i].geom == NULL)
			continue;
		if (GEOSisValid_r(g->ctx, g->v[i].geom) == 1)
			continue;
		why = GEOSisValidReason_r(g->ctx, g->v[i].geom);
		r = valid_reason(c, why ? why : "not valid");
		if (why != NULL)
			GEOSFree_r(g->ctx, why);
		if (r == NULL)
			return err_nomem(e);
		if ((rc = chk_add(c, K_INVALID, (long)i, -1, 0, r, e)) != 0)
			return rc;
	}
	return 0;
}

static int
check_overlap(struct chk *c, struct err *e)
{
	struct grids *g = c->g;
	GEOSSTRtree *tree;
	long *save = g->cand;
	size_t i, k, savecap = g->capcand;
	int rc = 0;

	tree = GEOSSTRtree_create_r(g->ctx, 10);
	if (tree == NULL)
		return err_set(e, ERR_INTERNAL, "cannot create an STRtree");
	for (i = 0; i < g->n; i++)
		if (g->v[i].geom != NULL)
			GEOSSTRtree_insert_r(g->ctx, tree, g->v[i].geom,
			    &g->v[i]);
	/* borrow the candidate buffer machinery with a fresh buffer */
	g->cand = NULL;
	g->capcand = 0;
	for (i = 0; i < g->n && rc == 0; i++) {
		if (g->v[i].geom == NULL)
			continue;
		g->ncand = 0;
		g->cand_oom = false;
		GEOSSTRtree_query_r(g->ctx, tree, g->v[i].geom, collect, g);
		if (g->cand_oom) {
			rc = err_nomem(e);
			break;
		}
		qsort(g->cand, g->ncand, sizeof(g->cand[0]), cmp_long);
		for (k = 0; k < g->ncand && rc == 0; k++) {
			long j = g->cand[k];
			GEOSGeometry *x;
			double a;

			if (j <= (long)i || g->v[j].level != g->v[i].level)
				continue;
			if (GEOSIntersects_r(g->ctx, g->v[i].geom,
			    g->v[j].geom) != 1)
				continue;
			x = overlay(g->ctx, g->v[i].geom, g->v[j].geom, 0);
			if (x == NULL)
				continue;
			a = area_m2(g->ctx, x);
			GEOSGeom_destroy_r(g->ctx, x);
			if (a > c->min)
				rc = chk_add(c, K_OVERLAP, (long)i, j, a, NULL,
				    e);
		}
	}
	mem_free(g->cand);
	g->cand = save;
	g->capcand = savecap;
	g->ncand = 0;
	GEOSSTRtree_destroy_r(g->ctx, tree);
	return rc;
}

static int
check_parents(struct chk *c, struct err *e)
{
	struct grids *g = c->g;
	size_t i, j, nk;
	long *first, *next;
	GEOSGeometry **parts;
	int rc = 0;

	/* children lists: first[p], next[child], in code order */
	first = mem_reallocarray(NULL, g->n + 1, sizeof(*first));
	next = mem_reallocarray(NULL, g->n + 1, sizeof(*next));
	parts = mem_reallocarray(NULL, g->n + 1, sizeof(*parts));
	if (first == NULL || next == NULL || parts == NULL) {
		rc = err_nomem(e);
		goto out;
	}
	for (i = 0; i < g->n; i++)
		first[i] = next[i] = -1;
	for (i = g->n; i-- > 0;) {
		long p = g->v[i].parent;

		if (p < 0)
			continue;
		next[i] = first[p];
		first[p] = (long)i;
	}
	for (i = 0; i < g->n && rc == 0; i++) {
		GEOSGeometry *coll, *un, *d;
		double a;
		long k;

		/* outside_parent for each child of i */
		if (g->v[i].geom == NULL)
			continue;
		nk = 0;
		for (k = first[i]; k >= 0 && rc == 0; k = next[k]) {
			if (g->v[k].geom == NULL)
				continue;
			d = overlay(g->ctx, g->v[k].geom, g->v[i].geom, 1);
			if (d != NULL) {
				a = area_m2(g->ctx, d);
				GEOSGeom_destroy_r(g->ctx, d);
				if (a > c->min)
					rc = chk_add(c, K_OUTSIDE, k, (long)i,
					    a, NULL, e);
			}
			parts[nk] = GEOSGeom_clone_r(g->ctx, g->v[k].geom);
			if (parts[nk] == NULL) {
				rc = err_set(e, ERR_INTERNAL, "GEOS failed");
				break;
			}
			nk++;
		}
		if (rc != 0 || nk == 0) {
			for (j = 0; j < nk; j++)
				GEOSGeom_destroy_r(g->ctx, parts[j]);
			continue;
		}
		/* gap: the parent less the union of its children */
		coll = GEOSGeom_createCollection_r(g->ctx,
		    GEOS_GEOMETRYCOLLECTION, parts, (unsigned)nk);
		if (coll == NULL) {
			/* ownership of parts unclear after a failure: leak
			 * rather than free twice */
			rc = err_set(e, ERR_INTERNAL, "GEOS failed");
			break;
		}
		un = GEOSUnaryUnion_r(g->ctx, coll);
		if (un == NULL) {
			GEOSGeometry *mv = GEOSMakeValid_r(g->ctx, coll);

			if (mv != NULL) {
				un = GEOSUnaryUnion_r(g->ctx, mv);
				GEOSGeom_destroy_r(g->ctx, mv);
			}
		}
		GEOSGeom_destroy_r(g->ctx, coll);
		if (un == NULL)
			continue;
		d = overlay(g->ctx, g->v[i].geom, un, 1);
		GEOSGeom_destroy_r(g->ctx, un);
		if (d == NULL)
			continue;
		a = area_m2(g->ctx, d);
		GEOSGeom_destroy_r(g->ctx, d);
		if (a > c->min)
			rc = chk_add(c, K_GAP, (long)i, -1, a, NULL, e);
	}
out:
	mem_free(first);
	mem_free(next);
	mem_free(parts);
	return rc;
}

static int
cmp_issue(const void *a, const void *b)
{
	const struct issue *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->code, y->code)) != 0)
		return c;
	if ((c = strcmp(x->other_code, y->other_code)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

int
grids_check(struct grids *g, double min_area_m2,
    int (*cb)(void *arg, const struct grids_issue *), void *arg,
    struct err *e)
{
	struct chk c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.min = min_area_m2 > 0 ? min_area_m2 : 0;
	mem_arena_init(&c.arena);
	rc = check_invalid(&c, e);
	if (rc == 0)
		rc = check_overlap(&c, e);
	if (rc == 0)
		rc = check_parents(&c, e);
	for (i = 0; i < g->niss && rc == 0; i++) {
		struct issue *t;

		if (c.n == c.cap) {
			size_t nc = c.cap ? c.cap * 2 : 64;

			t = mem_reallocarray(c.v, nc, sizeof(*t));
			if (t == NULL) {
				rc = err_nomem(e);
				break;
			}
			c.v = t;
			c.cap = nc;
		}
		c.v[c.n++] = g->iss[i];
	}
	if (rc == 0 && c.n > 1)
		qsort(c.v, c.n, sizeof(c.v[0]), cmp_issue);
	for (i = 0; i < c.n && rc == 0; i++) {
		struct grids_issue gi;
		const struct issue *t = &c.v[i];

		gi.kind = kind_names[t->kind];
		gi.grid = t->grid;
		gi.other = t->other;
		gi.code = t->code;
		gi.other_code = t->other_code;
		gi.area_m2 = t->area;
		gi.reason = t->reason;
		gi.line = t->line;
		rc = cb(arg, &gi);
	}
	mem_free(c.v);
	mem_arena_free(&c.arena);
	return rc;
}
