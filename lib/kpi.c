/*
 * kpi.c - the aggregation engine of kpi-score (see kpi.h)
 *
 * State: cells (period, scope, scope id) in an open-addressing table; per
 * cell an array of counters (n, sum), one per counter slot (a rate has two
 * slots, every other measured leaf one); histograms of medians and entity
 * maps of shares in two more global tables keyed by (cell, slot, value or
 * key).  Strings live in one arena.  kpi_finish and kpi_write_partial sort
 * pointers to all of it and never change the state.
 */
#include "kpi.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "filter.h"
#include "indicators.h"
#include "mem.h"
#include "str.h"
#include "time.h"

__extension__ typedef __int128 kpi_i128;

#define TIMELESS 0		/* period index of timeless cells ("*") */
#define NPARTF 10		/* fields of a kpi_partial record */

static const char *const scope_names[] = { "all", "district", "street",
	"community", "grid", "worker", "department" };

static const char *const partial_fields[NPARTF] = { "kind", "config",
	"period", "scope", "scope_id", "indicator", "part", "key", "n", "sum" };

static const char *const kpi_fields[] = { "kind", "period", "scope",
	"scope_id", "indicator", "name", "path", "type", "value", "numerator",
	"denominator", "target", "weight", "score", "grade", "evidence" };
#define NKPIF (sizeof kpi_fields / sizeof kpi_fields[0])

/* Open addressing: a slot holds the full hash and entry index + 1. */
struct tslot {
	uint64_t h;
	uint32_t idx1;		/* 0: empty */
};

struct tab {
	struct tslot *s;
	size_t cap, n;
};

struct entpart {
	const char *field;	/* field name */
	size_t prefix;		/* 0: whole value, 10: day, 7: month */
};

struct kslot {			/* one counter */
	struct ind_counter *c;
	const struct ind_node *node;
	enum ind_type type;
	size_t ent0;		/* share: first part in k->ent */
};

struct reader {			/* a counter reading the current stream */
	uint32_t slot;
	enum ind_type type;
	struct filter *f;
	long field;		/* measured field index or -1 */
	size_t ent0, nent;	/* share: entity part indexes in k->rdent */
	bool pass, hasv;	/* per record */
	int64_t v;
};

struct cell {
	uint32_t period, scope;
	const char *id;
	size_t idlen;
	int64_t nrec;
};

struct cslot {
	uint32_t p, s, id;	/* period, scope, interned scope id */
	uint32_t idx1;		/* cell + 1; 0: empty */
};

struct ident {
	const char *s;
	size_t len;
};

struct hent {			/* median histogram */
	uint32_t cell, slot;
	int64_t v, n;
};

struct eent {			/* share entity */
	uint32_t cell, slot;
	const char *key;
	size_t keylen;
	int64_t n, sum;
};

struct acc {
	int64_t n, sum;
};

struct dcache {
	int32_t date;		/* YYYYMMDD; 0: empty */
	int32_t p;		/* its period, -1 skipped */
};

struct kpi {
	struct indicators *in;
	enum kpi_period period;
	char from[11], to[11];
	char rangelabel[32];
	size_t nscope;
	int scope[KPI_MAX_SCOPES];	/* index in scope_names */
	char *config;
	int broken;			/* fatal error code, or 0 */

	struct kslot *slot;
	size_t nslot;
	long *nodeslot;			/* preorder index -> first slot, -1 */
	size_t *parent;			/* preorder index -> parent's */
	struct entpart *ent;
	size_t nent;

	struct mem_arena arena;
	struct ident *per;		/* period labels, interned */
	size_t nper, capper;
	struct tab ptab;
	struct cell *cell;
	size_t ncell, capcell;
	struct cslot *ctab;		/* cells by (period, scope, id) */
	size_t ccap;
	struct ident *ids;		/* scope ids, interned */
	size_t nids, capids;
	struct tab itab;
	struct acc *acc;		/* ncell x nslot */
	struct hent *hist;
	size_t nhist, caphist;
	struct tab htab;
	struct eent *ents;
	size_t nents, capents;
	struct tab etab;

	/* the current stream */
	int stream;			/* 0 none, 1 records, 2 partials */
	size_t kind;			/* index in stat */
	bool used;
	long tix;			/* time field index, -1 timeless */
	const char *tname;
	long six[KPI_MAX_SCOPES];	/* scope field, -1 none, -2 all */
	struct reader *rd;
	size_t nrd;
	long *rdent;
	long pix[NPARTF];

	/* caches */
	struct dcache dcache[256];	/* dates seen */
	char *keybuf;
	size_t keycap;
	uint32_t cellof[KPI_MAX_SCOPES];

	struct kpi_kind_stat *stat;
	size_t nstat;
	unsigned long long npartial;
};

/* ---- small helpers ---- */

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* div_even: a / b rounded half-even, b > 0. */
static kpi_i128
div_even(kpi_i128 a, kpi_i128 b)
{
	kpi_i128 q = a / b, r = a % b, r2;

	if (r == 0)
		return q;
	r2 = r < 0 ? -2 * r : 2 * r;
	if (r2 > b || (r2 == b && (q % 2) != 0))
		q += a < 0 ? -1 : 1;
	return q;
}

/* round2: a score (dec) rounded half-even to 0.01. */
static int64_t
round2(int64_t v)
{
	return (int64_t)(div_even(v, 10000) * 10000);
}

static int
bytecmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* date_ok: s[0..10) is a real YYYY-MM-DD date. */
static bool
date_ok(const char *s)
{
	int y;

	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return false;
	y = num2(s) * 100 + num2(s + 2);
	return time_valid_date(y, num2(s + 5), num2(s + 8));
}

/* clock_ok: s[0..15) is "THH:MM:SS+hh:mm". */
static bool
clock_ok(const char *s)
{
	return s[0] == 'T' && digits(s + 1, 2) && num2(s + 1) < 24 &&
	    s[3] == ':' && digits(s + 4, 2) && num2(s + 4) < 60 &&
	    s[6] == ':' && digits(s + 7, 2) && num2(s + 7) < 60 &&
	    (s[9] == '+' || s[9] == '-') && digits(s + 10, 2) &&
	    num2(s + 10) < 24 && s[12] == ':' && digits(s + 13, 2) &&
	    num2(s + 13) < 60;
}

static long
header_index(const struct rec_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (long)i;
	return -1;
}

static int
no_field(struct err *e, const char *field, const char *kind)
{
	err_at(e, NULL, 0, field);
	return err_set(e, ERR_DATA, "no field '%s' in the %s records", field,
	    kind);
}

static int
broken(const struct kpi *k, struct err *e)
{
	if (k->broken == ERR_DATA)
		return err_set(e, ERR_DATA, "sum out of range");
	return err_set(e, k->broken, "out of memory earlier");
}

/* ---- hash tables ---- */

/* tab_room: make room for one more entry (grow at load 0.7). */
static int
tab_room(struct tab *t)
{
	struct tslot *ns;
	size_t ncap, i, j;

	if (t->cap != 0 && (t->n + 1) * 10 <= t->cap * 7)
		return 0;
	ncap = t->cap == 0 ? 1024 : t->cap * 2;
	if ((ns = mem_calloc(ncap, sizeof *ns)) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (t->s[i].idx1 == 0)
			continue;
		j = t->s[i].h & (ncap - 1);
		while (ns[j].idx1 != 0)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->s[i];
	}
	mem_free(t->s);
	t->s = ns;
	t->cap = ncap;
	return 0;
}

static void
tab_free(struct tab *t)
{
	mem_free(t->s);
	t->s = NULL;
	t->cap = t->n = 0;
}

/* grow: make room for one more element of an array. */
static int
grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap == 0 ? 64 : *cap * 2;
	if (ncap > UINT32_MAX - 1)
		return -1;
	if ((p = mem_reallocarray(*(void **)pp, ncap, size)) == NULL)
		return -1;
	*(void **)pp = p;
	*cap = ncap;
	return 0;
}

/*
 * intern: the index of s[0..n) in the interned strings (*v, *nv, *capv)
 * found through t, added (copied into the arena) when new; -1 when memory
 * runs out.  Period labels and scope ids are both kept this way.
 */
static long
intern(struct kpi *k, struct tab *t, struct ident **v, size_t *nv,
    size_t *capv, const char *s, size_t n)
{
	uint64_t h = mix(str_hash(s, n));
	size_t i, mask;
	const struct ident *x;
	char *copy;

	if (tab_room(t) != 0)
		return -1;
	mask = t->cap - 1;
	for (i = h & mask; t->s[i].idx1 != 0; i = (i + 1) & mask) {
		if (t->s[i].h != h)
			continue;
		x = &(*v)[t->s[i].idx1 - 1];
		if (x->len == n && memcmp(x->s, s, n) == 0)
			return (long)(t->s[i].idx1 - 1);
	}
	if (grow(v, capv, *nv, sizeof **v) != 0 ||
	    (copy = mem_arena_strndup(&k->arena, s, n)) == NULL)
		return -1;
	(*v)[*nv].s = copy;
	(*v)[*nv].len = n;
	t->s[i].h = h;
	t->s[i].idx1 = (uint32_t)++*nv;
	t->n++;
	return (long)(*nv - 1);
}

/* period_find: index of the period label s[0..n), added when new; -1 OOM. */
static long
period_find(struct kpi *k, const char *s, size_t n)
{
	return intern(k, &k->ptab, &k->per, &k->nper, &k->capper, s, n);
}

/* id_find: the index of the scope id s[0..n), added when new; -1 OOM. */
static long
id_find(struct kpi *k, const char *s, size_t n)
{
	return intern(k, &k->itab, &k->ids, &k->nids, &k->capids, s, n);
}

static size_t
cslot_of(uint32_t p, uint32_t s, uint32_t id, size_t mask)
{
	return mix(((uint64_t)p << 40) ^ ((uint64_t)s << 32) ^ id) & mask;
}

/*
 * cell_find: the cell (p, s, id), created when new; 0 or -1 (OOM).  The
 * scope id is interned first, so that the cell table compares integers
 * held in its own slots: one cache miss per lookup, not three.
 */
static int
cell_find(struct kpi *k, uint32_t p, uint32_t s, const char *id, size_t n,
    uint32_t *out)
{
	long idl;
	uint32_t ix;
	size_t i, j, mask;
	struct cslot *ns, *sl;
	struct cell *c;

	if ((idl = id_find(k, id, n)) < 0)
		return -1;
	ix = (uint32_t)idl;
	if (k->ccap == 0 || (k->ncell + 1) * 10 > k->ccap * 7) {
		size_t ncap = k->ccap == 0 ? 1024 : k->ccap * 2;

		if ((ns = mem_calloc(ncap, sizeof *ns)) == NULL)
			return -1;
		for (i = 0; i < k->ccap; i++) {
			sl = &k->ctab[i];
			if (sl->idx1 == 0)
				continue;
			j = cslot_of(sl->p, sl->s, sl->id, ncap - 1);
			while (ns[j].idx1 != 0)
				j = (j + 1) & (ncap - 1);
			ns[j] = *sl;
		}
		mem_free(k->ctab);
		k->ctab = ns;
		k->ccap = ncap;
	}
	mask = k->ccap - 1;
	for (i = cslot_of(p, s, ix, mask); k->ctab[i].idx1 != 0;
	    i = (i + 1) & mask) {
		sl = &k->ctab[i];
		if (sl->id == ix && sl->p == p && sl->s == s) {
			*out = sl->idx1 - 1;
			return 0;
		}
	}
	if (k->ncell == k->capcell) {
		size_t cap = k->capcell;
		void *acc;

		if (grow(&k->cell, &k->capcell, k->ncell, sizeof *k->cell)
		    != 0)
			return -1;
		if (k->nslot != 0) {
			acc = mem_reallocarray(k->acc, k->capcell * k->nslot,
			    sizeof *k->acc);
			if (acc == NULL) {
				k->capcell = cap;	/* keep them in step */
				return -1;
			}
			k->acc = acc;
			memset(k->acc + cap * k->nslot, 0,
			    (k->capcell - cap) * k->nslot * sizeof *k->acc);
		}
	}
	c = &k->cell[k->ncell];
	c->period = p;
	c->scope = s;
	c->id = k->ids[ix].s;
	c->idlen = n;
	c->nrec = 0;
	k->ctab[i].p = p;
	k->ctab[i].s = s;
	k->ctab[i].id = ix;
	k->ctab[i].idx1 = (uint32_t)++k->ncell;
	*out = (uint32_t)(k->ncell - 1);
	return 0;
}

/* hist_find: the histogram entry (cell, slot, v), created when new. */
static struct hent *
hist_find(struct kpi *k, uint32_t cell, uint32_t slot, int64_t v)
{
	uint64_t h = mix((((uint64_t)cell << 24) ^ slot) *
	    0x9e3779b97f4a7c15ULL ^ (uint64_t)v);
	size_t i, mask;
	struct hent *x;

	if (tab_room(&k->htab) != 0)
		return NULL;
	mask = k->htab.cap - 1;
	for (i = h & mask; k->htab.s[i].idx1 != 0; i = (i + 1) & mask) {
		if (k->htab.s[i].h != h)
			continue;
		x = &k->hist[k->htab.s[i].idx1 - 1];
		if (x->cell == cell && x->slot == slot && x->v == v)
			return x;
	}
	if (grow(&k->hist, &k->caphist, k->nhist, sizeof *k->hist) != 0)
		return NULL;
	x = &k->hist[k->nhist];
	x->cell = cell;
	x->slot = slot;
	x->v = v;
	x->n = 0;
	k->htab.s[i].h = h;
	k->htab.s[i].idx1 = (uint32_t)++k->nhist;
	k->htab.n++;
	return x;
}

/* ent_find: the entity entry (cell, slot, key), created when new. */
static struct eent *
ent_find(struct kpi *k, uint32_t cell, uint32_t slot, const char *key,
    size_t n)
{
	uint64_t h = mix(str_hash(key, n) ^ (((uint64_t)cell << 24) ^ slot) *
	    0x9e3779b97f4a7c15ULL);
	size_t i, mask;
	struct eent *x;
	const char *copy;

	if (tab_room(&k->etab) != 0)
		return NULL;
	mask = k->etab.cap - 1;
	for (i = h & mask; k->etab.s[i].idx1 != 0; i = (i + 1) & mask) {
		if (k->etab.s[i].h != h)
			continue;
		x = &k->ents[k->etab.s[i].idx1 - 1];
		if (x->cell == cell && x->slot == slot && x->keylen == n &&
		    memcmp(x->key, key, n) == 0)
			return x;
	}
	if (grow(&k->ents, &k->capents, k->nents, sizeof *k->ents) != 0 ||
	    (copy = mem_arena_strndup(&k->arena, key, n)) == NULL)
		return NULL;
	x = &k->ents[k->nents];
	x->cell = cell;
	x->slot = slot;
	x->key = copy;
	x->keylen = n;
	x->n = x->sum = 0;
	k->etab.s[i].h = h;
	k->etab.s[i].idx1 = (uint32_t)++k->nents;
	k->etab.n++;
	return x;
}

/* ---- setting up ---- */

static int
scope_index(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
		if (strcmp(scope_names[i], name) == 0)
			return (int)i;
	return -1;
}

static int
add_slot(struct kpi *k, size_t *cap, struct ind_counter *c,
    const struct ind_node *n)
{
	if (k->nslot == *cap &&
	    grow(&k->slot, cap, k->nslot, sizeof *k->slot) != 0)
		return -1;
	k->slot[k->nslot].c = c;
	k->slot[k->nslot].node = n;
	k->slot[k->nslot].type = n->type;
	k->slot[k->nslot].ent0 = k->nent;
	k->nslot++;
	return 0;
}

static int
setup_slots(struct kpi *k, struct err *e)
{
	const struct indicators *in = k->in;
	size_t i, j, cap = 0, capent = 0;
	const struct ind_node *n;

	if ((k->nodeslot = mem_calloc(in->norder + 1, sizeof *k->nodeslot))
	    == NULL ||
	    (k->parent = mem_calloc(in->norder + 1, sizeof *k->parent)) == NULL)
		return err_nomem(e);
	for (i = 0; i < in->norder; i++) {
		n = in->order[i];
		for (j = 0; j < i; j++)
			if (in->order[j] == n->parent)
				k->parent[i] = j;
		k->nodeslot[i] = -1;
		switch (n->type) {
		case IND_GROUP:
		case IND_MANUAL:
			continue;
		default:
			break;
		}
		k->nodeslot[i] = (long)k->nslot;
		if (add_slot(k, &cap, &in->order[i]->num, n) != 0)
			return err_nomem(e);
		if (n->type == IND_RATE &&
		    add_slot(k, &cap, &in->order[i]->den, n) != 0)
			return err_nomem(e);
		if (n->type != IND_SHARE)
			continue;
		for (j = 0; j < n->nentity; j++) {
			const char *p = n->entity[j];

			if (k->nent == capent && grow(&k->ent, &capent,
			    k->nent, sizeof *k->ent) != 0)
				return err_nomem(e);
			k->ent[k->nent].prefix = 0;
			if (strncmp(p, "day:", 4) == 0) {
				k->ent[k->nent].prefix = 10;
				p += 4;
			} else if (strncmp(p, "month:", 6) == 0) {
				k->ent[k->nent].prefix = 7;
				p += 6;
			}
			k->ent[k->nent].field = p;
			k->nent++;
		}
	}
	if ((k->rd = mem_calloc(k->nslot + 1, sizeof *k->rd)) == NULL ||
	    (k->rdent = mem_calloc(k->nent + 1, sizeof *k->rdent)) == NULL)
		return err_nomem(e);
	return 0;
}

int
kpi_new(struct kpi **kp, struct indicators *in, const struct kpi_opts *o,
    struct err *e)
{
	static const char *const all[] = { "all" };
	const char *const *scopes = o->scopes;
	size_t nscopes = o->nscopes, i, j;
	struct kpi *k;
	int s, rc;

	*kp = NULL;
	if (scopes == NULL || nscopes == 0) {
		scopes = all;
		nscopes = 1;
	}
	if (nscopes > KPI_MAX_SCOPES)
		return err_set(e, ERR_USAGE, "more than %d scopes",
		    KPI_MAX_SCOPES);
	for (i = 0; i < nscopes; i++) {
		if (scope_index(scopes[i]) < 0)
			return err_set(e, ERR_USAGE, "unknown scope '%.32s'",
			    scopes[i]);
		for (j = 0; j < i; j++)
			if (strcmp(scopes[i], scopes[j]) == 0)
				return err_set(e, ERR_USAGE,
				    "scope '%.32s' given twice", scopes[i]);
	}
	if (o->period == KPI_RANGE && (strlen(o->from) != 10 ||
	    strlen(o->to) != 10 || !date_ok(o->from) || !date_ok(o->to) ||
	    memcmp(o->from, o->to, 10) > 0))
		return err_set(e, ERR_USAGE,
		    "bad period: give FROM..TO as two dates, FROM not after TO");
	if ((k = mem_calloc(1, sizeof *k)) == NULL)
		return err_nomem(e);
	k->in = in;
	k->period = o->period;
	memcpy(k->from, o->from, sizeof k->from);
	memcpy(k->to, o->to, sizeof k->to);
	k->from[10] = k->to[10] = '\0';
	if (o->period == KPI_RANGE) {
		memcpy(k->rangelabel, k->from, 10);
		memcpy(k->rangelabel + 10, "..", 2);
		memcpy(k->rangelabel + 12, k->to, 10);
	}
	k->nscope = nscopes;
	for (i = 0; i < nscopes; i++) {
		s = scope_index(scopes[i]);
		k->scope[i] = s;
	}
	mem_arena_init(&k->arena);
	if ((k->config = mem_strdup(o->config ? o->config : "")) == NULL) {
		kpi_free(k);
		return err_nomem(e);
	}
	if ((rc = setup_slots(k, e)) != 0 ||
	    period_find(k, "*", 1) != TIMELESS) {
		kpi_free(k);
		return rc ? rc : err_nomem(e);
	}
	*kp = k;
	return 0;
}

void
kpi_free(struct kpi *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->nstat; i++)
		mem_free((char *)k->stat[i].kind);
	mem_free(k->stat);
	mem_free(k->config);
	mem_free(k->slot);
	mem_free(k->nodeslot);
	mem_free(k->parent);
	mem_free(k->ent);
	mem_free(k->rd);
	mem_free(k->rdent);
	mem_free(k->per);
	mem_free(k->cell);
	mem_free(k->acc);
	mem_free(k->hist);
	mem_free(k->ents);
	mem_free(k->keybuf);
	tab_free(&k->ptab);
	mem_free(k->ctab);
	mem_free(k->ids);
	tab_free(&k->itab);
	tab_free(&k->htab);
	tab_free(&k->etab);
	mem_arena_free(&k->arena);
	mem_free(k);
}

static int
stat_kind(struct kpi *k, const char *kind, struct err *e)
{
	size_t i, cap;
	char *copy;

	for (i = 0; i < k->nstat; i++)
		if (strcmp(k->stat[i].kind, kind) == 0) {
			k->kind = i;
			return 0;
		}
	cap = k->nstat;
	if (grow(&k->stat, &cap, k->nstat, sizeof *k->stat) != 0 ||
	    (copy = mem_strdup(kind)) == NULL)
		return err_nomem(e);
	memset(&k->stat[k->nstat], 0, sizeof k->stat[k->nstat]);
	k->stat[k->nstat].kind = copy;
	k->kind = k->nstat++;
	return 0;
}

/* bind: check that h has every field counter c needs, bind its filter. */
static int
bind(struct kpi *k, const struct kslot *sl, struct reader *r,
    const struct rec_header *h, const char *kind, struct err *e)
{
	const char *const *names;
	size_t i, n;
	int rc;

	r->f = sl->c->filter;
	r->field = -1;
	if (r->f != NULL) {
		n = filter_fields(r->f, &names);
		for (i = 0; i < n; i++)
			if (header_index(h, names[i]) < 0)
				return no_field(e, names[i], kind);
		if ((rc = filter_bind(r->f, h, e)) != 0)
			return rc;
	}
	if (sl->c->field != NULL &&
	    (r->field = header_index(h, sl->c->field)) < 0)
		return no_field(e, sl->c->field, kind);
	r->nent = 0;
	if (sl->type == IND_SHARE) {
		r->ent0 = sl->ent0;
		r->nent = sl->node->nentity;
		for (i = 0; i < r->nent; i++) {
			const char *f = k->ent[sl->ent0 + i].field;

			if ((k->rdent[sl->ent0 + i] = header_index(h, f)) < 0)
				return no_field(e, f, kind);
		}
	}
	return 0;
}

int
kpi_begin(struct kpi *k, const struct rec_header *h, const char *kind,
    struct err *e)
{
	size_t i;
	const char *f;
	int rc;

	if (k->broken)
		return broken(k, e);
	k->stream = 0;
	k->nrd = 0;
	k->used = false;
	if ((rc = stat_kind(k, kind, e)) != 0)
		return rc;
	for (i = 0; i < k->nslot; i++) {
		struct reader *r = &k->rd[k->nrd];

		if (strcmp(k->slot[i].c->kind, kind) != 0)
			continue;
		r->slot = (uint32_t)i;
		r->type = k->slot[i].type;
		if ((rc = bind(k, &k->slot[i], r, h, kind, e)) != 0)
			return rc;
		k->nrd++;
	}
	k->used = k->nrd != 0;
	k->tix = -1;
	k->tname = ind_time_field(k->in, kind);
	if (k->used && k->tname != NULL &&
	    (k->tix = header_index(h, k->tname)) < 0)
		return no_field(e, k->tname, kind);
	for (i = 0; i < k->nscope; i++) {
		f = ind_scope_field(k->in, scope_names[k->scope[i]], kind);
		k->six[i] = f == NULL ? -2 : header_index(h, f);
	}
	k->stream = 1;
	return 0;
}

/* record_period: the period of the row, -1 skipped, or an error. */
static int
record_period(struct kpi *k, const struct rec_row *row, long *p,
    struct err *e)
{
	const char *v;
	size_t n;
	char label[32];
	size_t ln;
	int32_t key;
	struct dcache *dc;

	if (k->tix < 0) {
		*p = TIMELESS;
		return 0;
	}
	v = row->v[k->tix];
	n = row->len[k->tix];
	if (n == 0) {
		err_at(e, NULL, row->line, k->tname);
		return err_set(e, ERR_DATA, "empty time field");
	}
	if ((n != 10 && n != 25) || (n == 25 && !clock_ok(v + 10)) ||
	    !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) ||
	    v[7] != '-' || !digits(v + 8, 2))
		goto bad;
	key = ((num2(v) * 100 + num2(v + 2)) * 100 + num2(v + 5)) * 100 +
	    num2(v + 8);
	dc = &k->dcache[((uint32_t)key * 2654435761u) >> 24];
	if (dc->date == key && key != 0) {
		*p = dc->p;
		return 0;
	}
	if (!date_ok(v))
		goto bad;
	switch (k->period) {
	case KPI_MONTH:
		memcpy(label, v, 7);
		ln = 7;
		break;
	case KPI_QUARTER:
		memcpy(label, v, 4);
		label[4] = '-';
		label[5] = 'Q';
		label[6] = (char)('1' + (num2(v + 5) - 1) / 3);
		ln = 7;
		break;
	case KPI_YEAR:
		memcpy(label, v, 4);
		ln = 4;
		break;
	default:
		memcpy(label, k->rangelabel, 22);
		ln = 22;
		if (memcmp(v, k->from, 10) < 0 || memcmp(v, k->to, 10) > 0) {
			dc->date = key;
			dc->p = -1;
			*p = -1;
			return 0;
		}
		break;
	}
	if ((*p = period_find(k, label, ln)) < 0)
		return err_nomem(e);
	dc->date = key;
	dc->p = (int32_t)*p;
	return 0;
bad:
	err_at(e, NULL, row->line, k->tname);
	return err_set(e, ERR_DATA, "not a canonical date or date and time");
}

/* entity_key: the share key of row for reader r into k->keybuf. */
static int
entity_key(struct kpi *k, const struct reader *r, const struct rec_row *row,
    size_t *len)
{
	size_t i, need = 0, n, at = 0;
	long ix;
	char *p;

	for (i = 0; i < r->nent; i++)
		need += row->len[k->rdent[r->ent0 + i]] + 1;
	if (need > k->keycap) {
		if ((p = mem_realloc(k->keybuf, need * 2)) == NULL)
			return -1;
		k->keybuf = p;
		k->keycap = need * 2;
	}
	for (i = 0; i < r->nent; i++) {
		ix = k->rdent[r->ent0 + i];
		n = row->len[ix];
		if (k->ent[r->ent0 + i].prefix != 0 &&
		    n > k->ent[r->ent0 + i].prefix)
			n = k->ent[r->ent0 + i].prefix;
		if (i > 0)
			k->keybuf[at++] = '\t';
		memcpy(k->keybuf + at, row->v[ix], n);
		at += n;
	}
	*len = at;
	return 0;
}

static int
add_sum(struct kpi *k, int64_t *acc, int64_t v, struct err *e)
{
	if (dec_add(acc, v) != 0) {
		k->broken = ERR_DATA;
		return err_set(e, ERR_DATA, "sum out of range");
	}
	return 0;
}

int
kpi_add(struct kpi *k, const struct rec_row *row, struct err *e)
{
	struct kpi_kind_stat *st;
	struct reader *r;
	size_t i, j, keylen = 0;
	long p = 0, ix;
	uint32_t c, ncell = 0;
	int rc;

	if (k->broken)
		return broken(k, e);
	if (k->stream != 1)
		return err_set(e, ERR_INTERNAL, "kpi_add before kpi_begin");
	st = &k->stat[k->kind];
	if (!k->used) {
		st->ignored++;
		return 0;
	}
	if ((rc = record_period(k, row, &p, e)) != 0)
		return rc;
	if (p < 0) {
		st->skipped++;
		return 1;
	}
	/* Pass 1: filters and values, before anything is counted. */
	for (i = 0; i < k->nrd; i++) {
		r = &k->rd[i];
		r->pass = r->f == NULL || filter_eval(r->f, row);
		r->hasv = false;
		if (!r->pass || r->field < 0 || row->len[r->field] == 0)
			continue;
		if (dec_parse(row->v[r->field], row->len[r->field], &r->v)
		    != 0) {
			err_at(e, NULL, row->line, k->slot[r->slot].c->field);
			return err_set(e, ERR_DATA, "not a number");
		}
		r->hasv = true;
	}
	for (i = 0; i < k->nscope; i++) {
		const char *id = "";
		size_t idlen = 0;

		if ((ix = k->six[i]) == -1)
			continue;
		if (ix >= 0) {
			id = row->v[ix];
			idlen = row->len[ix];
		}
		if (cell_find(k, (uint32_t)p, (uint32_t)i, id, idlen,
		    &k->cellof[ncell]) != 0)
			goto nomem;
		ncell++;
	}
	/* Pass 2: count. */
	for (j = 0; j < ncell; j++)
		k->cell[k->cellof[j]].nrec++;
	for (i = 0; i < k->nrd; i++) {
		r = &k->rd[i];
		if (!r->pass)
			continue;
		if (r->type == IND_SHARE && entity_key(k, r, row, &keylen) != 0)
			goto nomem;
		for (j = 0; j < ncell; j++) {
			c = k->cellof[j];
			switch (r->type) {
			case IND_MEDIAN: {
				struct hent *h;

				if (!r->hasv)
					break;
				if ((h = hist_find(k, c, r->slot, r->v)) ==
				    NULL)
					goto nomem;
				h->n++;
				break;
			}
			case IND_SHARE: {
				struct eent *x;

				if ((x = ent_find(k, c, r->slot, k->keybuf,
				    keylen)) == NULL)
					goto nomem;
				x->n++;
				if (r->hasv && add_sum(k, &x->sum, r->v, e))
					return ERR_DATA;
				break;
			}
			default: {
				struct acc *a = &k->acc[(size_t)c * k->nslot +
				    r->slot];

				if (r->field >= 0 && !r->hasv)
					break;
				a->n++;
				if (r->hasv && add_sum(k, &a->sum, r->v, e))
					return ERR_DATA;
				break;
			}
			}
		}
	}
	st->used++;
	return 0;
nomem:
	k->broken = ERR_INTERNAL;
	return err_nomem(e);
}

/* ---- partials in ---- */

int
kpi_begin_partial(struct kpi *k, const struct rec_header *h, struct err *e)
{
	size_t i;

	if (k->broken)
		return broken(k, e);
	k->stream = 0;
	for (i = 0; i < NPARTF; i++)
		if ((k->pix[i] = header_index(h, partial_fields[i])) < 0)
			return no_field(e, partial_fields[i], "kpi_partial");
	k->stream = 2;
	return 0;
}

/* period_ok: a period label fit for this engine's period option. */
static bool
period_ok(const struct kpi *k, const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return true;
	switch (k->period) {
	case KPI_MONTH:
		return n == 7 && digits(s, 4) && s[4] == '-' &&
		    digits(s + 5, 2) && num2(s + 5) >= 1 && num2(s + 5) <= 12;
	case KPI_QUARTER:
		return n == 7 && digits(s, 4) && s[4] == '-' && s[5] == 'Q' &&
		    s[6] >= '1' && s[6] <= '4';
	case KPI_YEAR:
		return n == 4 && digits(s, 4);
	default:
		return n == 22 && memcmp(s, k->rangelabel, 22) == 0;
	}
}

static int
bad_partial(struct err *e, const struct rec_row *row, const char *field,
    const char *msg)
{
	err_at(e, NULL, row->line, field);
	return err_set(e, ERR_DATA, "%s", msg);
}

static int
part_fits(const char *part, enum ind_type t)
{
	if (strcmp(part, "c") == 0)
		return (t == IND_COUNT || t == IND_SUM) ? 0 : -1;
	if (strcmp(part, "num") == 0)
		return t == IND_RATE ? 0 : -1;
	if (strcmp(part, "den") == 0)
		return t == IND_RATE ? 1 : -1;
	if (strcmp(part, "v") == 0)
		return t == IND_MEAN ? 0 : -1;
	if (strcmp(part, "h") == 0)
		return t == IND_MEDIAN ? 0 : -1;
	if (strcmp(part, "e") == 0)
		return t == IND_SHARE ? 0 : -1;
	return -1;
}

int
kpi_add_partial(struct kpi *k, const struct rec_row *row, struct err *e)
{
	const char *v[NPARTF];
	size_t len[NPARTF], i, ord = 0;
	long p, s = -1, slot = -1;
	long long n;
	int64_t sum = 0, hv = 0;
	uint32_t c;
	const struct ind_node *node = NULL;
	bool cellpart;

	if (k->broken)
		return broken(k, e);
	if (k->stream != 2)
		return err_set(e, ERR_INTERNAL,
		    "kpi_add_partial before kpi_begin_partial");
	for (i = 0; i < NPARTF; i++) {
		v[i] = row->v[k->pix[i]];
		len[i] = row->len[k->pix[i]];
	}
	if (strcmp(v[0], "kpi_partial") != 0)
		return bad_partial(e, row, "kind", "not a kpi_partial record");
	if (strcmp(v[1], k->config) != 0)
		return bad_partial(e, row, "config",
		    "made with another indicator file or other options");
	if (!period_ok(k, v[2], len[2]))
		return bad_partial(e, row, "period",
		    "not a period of the kind asked for");
	for (i = 0; i < k->nscope; i++)
		if (strcmp(v[3], scope_names[k->scope[i]]) == 0)
			s = (long)i;
	if (s < 0)
		return bad_partial(e, row, "scope",
		    "not one of the scopes asked for");
	cellpart = strcmp(v[6], "cell") == 0;
	if (cellpart) {
		if (len[5] != 0)
			return bad_partial(e, row, "indicator",
			    "a cell part names no indicator");
	} else {
		if ((node = ind_find(k->in, v[5])) == NULL)
			return bad_partial(e, row, "indicator",
			    "not in the indicator file");
		for (ord = 0; ord < k->in->norder; ord++)
			if (k->in->order[ord] == node)
				break;
		if (ord == k->in->norder || k->nodeslot[ord] < 0 ||
		    (slot = part_fits(v[6], node->type)) < 0)
			return bad_partial(e, row, "part",
			    "part does not fit the indicator");
		slot += k->nodeslot[ord];
	}
	if (str_parse_int(v[8], len[8], &n) != 0 || n < 0)
		return bad_partial(e, row, "n", "not a count");
	if (len[9] != 0 && dec_parse(v[9], len[9], &sum) != 0)
		return bad_partial(e, row, "sum", "not a number");
	if (node != NULL && node->type == IND_MEDIAN &&
	    dec_parse(v[7], len[7], &hv) != 0)
		return bad_partial(e, row, "key", "not a number");
	if ((p = period_find(k, v[2], len[2])) < 0 ||
	    cell_find(k, (uint32_t)p, (uint32_t)s, v[4], len[4], &c) != 0)
		goto nomem;
	k->npartial++;
	if (cellpart)
		return add_sum(k, &k->cell[c].nrec, n, e);
	switch (node->type) {
	case IND_MEDIAN: {
		struct hent *h;

		if ((h = hist_find(k, c, (uint32_t)slot, hv)) == NULL)
			goto nomem;
		return add_sum(k, &h->n, n, e);
	}
	case IND_SHARE: {
		struct eent *x;

		if ((x = ent_find(k, c, (uint32_t)slot, v[7], len[7])) == NULL)
			goto nomem;
		if (add_sum(k, &x->n, n, e) != 0)
			return ERR_DATA;
		return add_sum(k, &x->sum, sum, e);
	}
	default: {
		struct acc *a = &k->acc[(size_t)c * k->nslot + (size_t)slot];

		if (add_sum(k, &a->n, n, e) != 0)
			return ERR_DATA;
		return add_sum(k, &a->sum, sum, e);
	}
	}
nomem:
	k->broken = ERR_INTERNAL;
	return err_nomem(e);
}

/* ---- sorted views for output ---- */

struct view {
	const struct cell **cell;	/* every cell, sorted */
	const struct hent **hist;	/* sorted by cell, slot, value */
	const struct eent **ents;	/* sorted by cell, slot, key */
	const struct kpi *k;
};

static const struct kpi *sort_k;	/* for the cell comparator */

static int
cmp_cell(const void *a, const void *b)
{
	const struct cell *x = *(const struct cell *const *)a;
	const struct cell *y = *(const struct cell *const *)b;
	const struct ident *px = &sort_k->per[x->period];
	const struct ident *py = &sort_k->per[y->period];
	int c;

	if ((c = bytecmp(px->s, px->len, py->s, py->len)) != 0)
		return c;
	if (x->scope != y->scope)
		return x->scope < y->scope ? -1 : 1;
	return bytecmp(x->id, x->idlen, y->id, y->idlen);
}

static int
cmp_hist(const void *a, const void *b)
{
	const struct hent *x = *(const struct hent *const *)a;
	const struct hent *y = *(const struct hent *const *)b;

	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct eent *x = *(const struct eent *const *)a;
	const struct eent *y = *(const struct eent *const *)b;

	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return bytecmp(x->key, x->keylen, y->key, y->keylen);
}

static void
view_free(struct view *w)
{
	mem_free(w->cell);
	mem_free(w->hist);
	mem_free(w->ents);
}

static int
view_make(const struct kpi *k, struct view *w, struct err *e)
{
	size_t i;

	memset(w, 0, sizeof *w);
	w->k = k;
	if ((w->cell = mem_calloc(k->ncell + 1, sizeof *w->cell)) == NULL ||
	    (w->hist = mem_calloc(k->nhist + 1, sizeof *w->hist)) == NULL ||
	    (w->ents = mem_calloc(k->nents + 1, sizeof *w->ents)) == NULL) {
		view_free(w);
		return err_nomem(e);
	}
	for (i = 0; i < k->ncell; i++)
		w->cell[i] = &k->cell[i];
	for (i = 0; i < k->nhist; i++)
		w->hist[i] = &k->hist[i];
	for (i = 0; i < k->nents; i++)
		w->ents[i] = &k->ents[i];
	sort_k = k;
	qsort(w->cell, k->ncell, sizeof *w->cell, cmp_cell);
	qsort(w->hist, k->nhist, sizeof *w->hist, cmp_hist);
	qsort(w->ents, k->nents, sizeof *w->ents, cmp_ent);
	return 0;
}

/* range: [*lo, *hi) of the entries of (cell, slot) in a sorted array. */
#define RANGE_FN(name, type)						\
static void								\
name(type *const *a, size_t n, uint32_t cell, uint32_t slot,		\
    size_t *lo, size_t *hi)						\
{									\
	size_t l = 0, h = n, m;						\
									\
	while (l < h) {							\
		m = l + (h - l) / 2;					\
		if (a[m]->cell < cell ||				\
		    (a[m]->cell == cell && a[m]->slot < slot))		\
			l = m + 1;					\
		else							\
			h = m;						\
	}								\
	*lo = l;							\
	while (l < n && a[l]->cell == cell && a[l]->slot == slot)	\
		l++;							\
	*hi = l;							\
}
RANGE_FN(hist_range, const struct hent)
RANGE_FN(ent_range, const struct eent)

/* ---- partials out ---- */

struct prow {
	const char *v[NPARTF];
	char n[24], sum[DEC_MAX_LEN], key[DEC_MAX_LEN];
};

static int
write_part(struct out *o, struct prow *r, const char *ind, const char *part,
    const char *key, size_t keylen, int64_t n, bool hassum, int64_t sum,
    struct err *e)
{
	size_t len[NPARTF], i;

	r->v[5] = ind;
	r->v[6] = part;
	r->v[7] = key;
	str_fmt_int(r->n, n);
	r->v[8] = r->n;
	r->sum[0] = '\0';
	if (hassum)
		dec_fmt(r->sum, sum);
	r->v[9] = r->sum;
	for (i = 0; i < NPARTF; i++)
		len[i] = strlen(r->v[i]);
	len[7] = keylen;
	return rec_write(o, NPARTF, r->v, len, e);
}

struct hkey {
	char s[DEC_MAX_LEN];
	size_t len;
	int64_t n;
};

static int
cmp_hkey(const void *a, const void *b)
{
	const struct hkey *x = a, *y = b;

	return bytecmp(x->s, x->len, y->s, y->len);
}

static int
write_cell(const struct kpi *k, const struct view *w, const struct cell *c,
    struct out *o, struct hkey **hk, size_t *hkcap, struct err *e)
{
	struct prow r;
	uint32_t ci = (uint32_t)(c - k->cell);
	size_t ord, lo, hi, i, s;
	const struct ind_node *node;
	int rc;

	r.v[0] = "kpi_partial";
	r.v[1] = k->config;
	r.v[2] = k->per[c->period].s;
	r.v[3] = scope_names[k->scope[c->scope]];
	r.v[4] = c->id;
	if ((rc = write_part(o, &r, "", "cell", "", 0, c->nrec, false, 0,
	    e)) != 0)
		return rc;
	for (ord = 0; ord < k->in->norder; ord++) {
		if (k->nodeslot[ord] < 0)
			continue;
		node = k->in->order[ord];
		s = (size_t)k->nodeslot[ord];
		switch (node->type) {
		case IND_MEDIAN:
			hist_range(w->hist, k->nhist, ci, (uint32_t)s, &lo,
			    &hi);
			if (hi - lo > *hkcap) {
				struct hkey *p;

				if ((p = mem_reallocarray(*hk, hi - lo,
				    sizeof **hk)) == NULL)
					return err_nomem(e);
				*hk = p;
				*hkcap = hi - lo;
			}
			for (i = lo; i < hi; i++) {
				(*hk)[i - lo].len = dec_fmt((*hk)[i - lo].s,
				    w->hist[i]->v);
				(*hk)[i - lo].n = w->hist[i]->n;
			}
			if (hi > lo)
				qsort(*hk, hi - lo, sizeof **hk, cmp_hkey);
			for (i = 0; i < hi - lo; i++)
				if ((*hk)[i].n != 0 && (rc = write_part(o, &r,
				    node->id, "h", (*hk)[i].s, (*hk)[i].len,
				    (*hk)[i].n, false, 0, e)) != 0)
					return rc;
			break;
		case IND_SHARE:
			ent_range(w->ents, k->nents, ci, (uint32_t)s, &lo, &hi);
			for (i = lo; i < hi; i++)
				if ((rc = write_part(o, &r, node->id, "e",
				    w->ents[i]->key, w->ents[i]->keylen,
				    w->ents[i]->n, node->num.field != NULL,
				    w->ents[i]->sum, e)) != 0)
					return rc;
			break;
		default: {
			/* parts in byte order: c; den, num; v */
			static const char *const one[] = { "c", "v" };
			size_t np = node->type == IND_RATE ? 2 : 1, q;

			for (q = 0; q < np; q++) {
				size_t sl = s;
				const char *part;
				const struct ind_counter *ct;

				if (node->type == IND_RATE) {
					sl = s + (q == 0 ? 1 : 0);
					part = q == 0 ? "den" : "num";
				} else
					part = one[node->type == IND_MEAN];
				ct = k->slot[sl].c;
				if (k->acc[(size_t)ci * k->nslot + sl].n == 0 &&
				    k->acc[(size_t)ci * k->nslot + sl].sum == 0)
					continue;
				if ((rc = write_part(o, &r, node->id, part, "",
				    0, k->acc[(size_t)ci * k->nslot + sl].n,
				    ct->field != NULL,
				    k->acc[(size_t)ci * k->nslot + sl].sum, e))
				    != 0)
					return rc;
			}
			break;
		}
		}
	}
	return 0;
}

int
kpi_write_partial(struct kpi *k, struct out *o, struct err *e)
{
	struct view w;
	struct hkey *hk = NULL;
	size_t hkcap = 0, i;
	int rc;

	if (k->broken)
		return broken(k, e);
	if ((rc = rec_write(o, NPARTF, partial_fields, NULL, e)) != 0)
		return rc;
	if ((rc = view_make(k, &w, e)) != 0)
		return rc;
	for (i = 0; i < k->ncell && rc == 0; i++)
		rc = write_cell(k, &w, w.cell[i], o, &hk, &hkcap, e);
	mem_free(hk);
	view_free(&w);
	return rc;
}

/* ---- finishing ---- */

/* nscale: a count as a decimal (saturating). */
static int64_t
nscale(int64_t n)
{
	return n > INT64_MAX / DEC_SCALE ? INT64_MAX : n * DEC_SCALE;
}

struct nodeval {
	char value[DEC_MAX_LEN], num[DEC_MAX_LEN], den[DEC_MAX_LEN];
	char score[DEC_MAX_LEN];
	bool scored;
	int64_t sc;		/* rounded score */
};

/* median: the median of the merged histograms a[alo..ahi) + b[blo..bhi). */
static int64_t
median(const struct hent *const *h, size_t alo, size_t ahi, size_t blo,
    size_t bhi, int64_t total)
{
	int64_t r1 = (total - 1) / 2, r2 = total / 2, seen = 0, v1 = 0;
	int64_t v = 0, n;
	bool got1 = false;

	for (;;) {
		if (alo < ahi && (blo >= bhi || h[alo]->v <= h[blo]->v)) {
			v = h[alo]->v;
			n = h[alo]->n;
			if (blo < bhi && h[blo]->v == v)
				n += h[blo++]->n;
			alo++;
		} else if (blo < bhi) {
			v = h[blo]->v;
			n = h[blo++]->n;
		} else
			return v1;	/* not reached */
		seen += n;
		if (!got1 && seen > r1) {
			v1 = v;
			got1 = true;
		}
		if (seen > r2)
			return (int64_t)div_even((kpi_i128)v1 + v, 2);
	}
}

/* share: entities and those meeting the bound, over two sorted ranges. */
static void
share(const struct ind_node *node, const struct eent *const *x, size_t alo,
    size_t ahi, size_t blo, size_t bhi, int64_t *ents, int64_t *met)
{
	int64_t n, sum, val;
	int c;

	*ents = *met = 0;
	while (alo < ahi || blo < bhi) {
		if (alo < ahi && blo < bhi)
			c = bytecmp(x[alo]->key, x[alo]->keylen, x[blo]->key,
			    x[blo]->keylen);
		else
			c = alo < ahi ? -1 : 1;
		n = sum = 0;
		if (c <= 0) {
			(void)dec_add(&n, x[alo]->n);
			(void)dec_add(&sum, x[alo]->sum);
			alo++;
		}
		if (c >= 0) {
			(void)dec_add(&n, x[blo]->n);
			(void)dec_add(&sum, x[blo]->sum);
			blo++;
		}
		val = node->num.field == NULL ? nscale(n) : sum;
		(*ents)++;
		if (node->share_op > 0 ? val >= node->share_bound :
		    val <= node->share_bound)
			(*met)++;
	}
}

static int64_t
counter_value(const struct ind_counter *c, int64_t n, int64_t sum)
{
	return c->field == NULL ? nscale(n) : sum;
}

/* leaf: value, numerator, denominator and score of a leaf over the timed
 * cell a and the timeless cell b (each may be NULL). */
static int
leaf(const struct kpi *k, const struct view *w, const struct ind_node *node,
    size_t ord, const struct cell *a, const struct cell *b,
    struct nodeval *nv, struct err *e)
{
	int64_t acc[2][2] = { { 0, 0 }, { 0, 0 } }, v = 0, x, y, sc;
	size_t s = 0, q, alo = 0, ahi = 0, blo = 0, bhi = 0;
	const struct cell *cs[2] = { a, b };
	bool na = false;
	int i;

	nv->value[0] = nv->num[0] = nv->den[0] = nv->score[0] = '\0';
	nv->scored = false;
	if (node->type != IND_MANUAL) {
		s = (size_t)k->nodeslot[ord];
		for (i = 0; i < 2; i++) {
			size_t ci;

			if (cs[i] == NULL)
				continue;
			ci = (size_t)(cs[i] - k->cell);
			for (q = 0; q < (node->type == IND_RATE ? 2u : 1u);
			    q++) {
				if (dec_add(&acc[q][0],
				    k->acc[ci * k->nslot + s + q].n) != 0 ||
				    dec_add(&acc[q][1],
				    k->acc[ci * k->nslot + s + q].sum) != 0)
					return err_set(e, ERR_DATA,
					    "sum out of range");
			}
		}
	}
	switch (node->type) {
	case IND_COUNT:
	case IND_SUM:
		v = counter_value(&node->num, acc[0][0], acc[0][1]);
		dec_fmt(nv->value, v);
		memcpy(nv->num, nv->value, sizeof nv->num);
		break;
	case IND_RATE:
		x = counter_value(&node->num, acc[0][0], acc[0][1]);
		y = counter_value(&node->den, acc[1][0], acc[1][1]);
		dec_fmt(nv->num, x);
		dec_fmt(nv->den, y);
		if (y == 0)
			na = true;
		else {
			dec_fmt_div(nv->value, x, y, 6);
			v = dec_div(x, y);
		}
		break;
	case IND_MEAN:
		dec_fmt(nv->num, acc[0][1]);
		str_fmt_int(nv->den, acc[0][0]);
		if (acc[0][0] == 0)
			na = true;
		else {
			dec_fmt_div(nv->value, acc[0][1], nscale(acc[0][0]),
			    6);
			v = dec_div(acc[0][1], nscale(acc[0][0]));
		}
		break;
	case IND_MEDIAN:
		x = 0;
		if (a != NULL)
			hist_range(w->hist, k->nhist, (uint32_t)(a - k->cell),
			    (uint32_t)s, &alo, &ahi);
		if (b != NULL)
			hist_range(w->hist, k->nhist, (uint32_t)(b - k->cell),
			    (uint32_t)s, &blo, &bhi);
		for (q = alo; q < ahi; q++)
			x += w->hist[q]->n;
		for (q = blo; q < bhi; q++)
			x += w->hist[q]->n;
		str_fmt_int(nv->den, x);
		if (x == 0)
			na = true;
		else {
			v = median(w->hist, alo, ahi, blo, bhi, x);
			dec_fmt(nv->value, v);
		}
		break;
	case IND_SHARE:
		if (a != NULL)
			ent_range(w->ents, k->nents, (uint32_t)(a - k->cell),
			    (uint32_t)s, &alo, &ahi);
		if (b != NULL)
			ent_range(w->ents, k->nents, (uint32_t)(b - k->cell),
			    (uint32_t)s, &blo, &bhi);
		share(node, w->ents, alo, ahi, blo, bhi, &y, &x);
		str_fmt_int(nv->num, x);
		str_fmt_int(nv->den, y);
		if (y == 0)
			na = true;
		else {
			dec_fmt_div(nv->value, x, y, 6);
			v = dec_div(x, y);
		}
		break;
	case IND_MANUAL:
		if (node->has_value)
			dec_fmt(nv->value, node->value);
		v = node->value;
		break;
	default:
		break;
	}
	if (na)
		memcpy(nv->value, "n/a", 4);
	if (ind_score(node, na, v, &sc) == 1) {
		nv->scored = true;
		nv->sc = round2(sc);
		dec_fmt(nv->score, nv->sc);
	}
	return 0;
}

static int
write_rows(const struct kpi *k, const struct view *w, struct nodeval *nv,
    const char *period, size_t plen, size_t scope, const struct cell *a,
    const struct cell *b, struct out *o, struct err *e)
{
	const struct indicators *in = k->in;
	const struct cell *c = a != NULL ? a : b;
	const struct ind_node *node;
	const char *v[NKPIF];
	size_t len[NKPIF], ord, i, f;
	char target[DEC_MAX_LEN], weight[DEC_MAX_LEN];
	int rc;

	for (ord = 0; ord < in->norder; ord++) {
		node = in->order[ord];
		if (node->type == IND_GROUP)
			memset(&nv[ord], 0, sizeof nv[ord]);
		else if ((rc = leaf(k, w, node, ord, a, b, &nv[ord], e)) != 0)
			return rc;
	}
	/* Reverse preorder meets every node after all its descendants, so
	 * a group's sum is complete before it is added to its parent. */
	for (ord = in->norder; ord-- > 1;) {
		if (in->order[ord]->type == IND_GROUP && nv[ord].scored)
			dec_fmt(nv[ord].score, nv[ord].sc);
		if (nv[ord].scored) {
			nv[k->parent[ord]].scored = true;
			nv[k->parent[ord]].sc += nv[ord].sc;
		}
	}
	if (nv[0].scored)
		dec_fmt(nv[0].score, nv[0].sc);
	v[0] = "kpi";
	v[1] = period;
	v[2] = scope_names[k->scope[scope]];
	v[3] = c->id;
	for (i = 0; i < in->norder; i++) {
		ord = i + 1 < in->norder ? i + 1 : 0;	/* root last */
		node = in->order[ord];
		v[4] = ord == 0 ? "total" : node->id;
		v[5] = node->name != NULL ? node->name : "";
		v[6] = node->path != NULL ? node->path : "";
		v[7] = ind_type_name(node->type);
		v[8] = nv[ord].value;
		v[9] = nv[ord].num;
		v[10] = nv[ord].den;
		target[0] = weight[0] = '\0';
		if (node->has_target)
			dec_fmt(target, node->target);
		if (ord == 0)
			dec_fmt(weight, in->total);
		else if (node->has_weight)
			dec_fmt(weight, node->weight);
		v[11] = target;
		v[12] = weight;
		v[13] = nv[ord].score;
		v[14] = ord == 0 && nv[0].scored ? ind_grade(in, nv[0].sc) :
		    "";
		v[15] = node->type == IND_MANUAL && node->evidence != NULL ?
		    node->evidence : "";
		for (f = 0; f < NKPIF; f++)
			len[f] = strlen(v[f]);
		len[1] = plen;
		len[3] = c->idlen;
		if ((rc = rec_write(o, NKPIF, v, len, e)) != 0)
			return rc;
	}
	return 0;
}

int
kpi_finish(struct kpi *k, struct out *o, struct err *e)
{
	struct view w;
	struct nodeval *nv = NULL;
	size_t nt = 0, tl, i, j, lo, hi, s, a, b;
	const char *pl;
	size_t plen;
	int rc;

	if (k->broken)
		return broken(k, e);
	if ((rc = rec_write(o, NKPIF, kpi_fields, NULL, e)) != 0)
		return rc;
	if ((rc = view_make(k, &w, e)) != 0)
		return rc;
	if ((nv = mem_calloc(k->in->norder + 1, sizeof *nv)) == NULL) {
		view_free(&w);
		return err_nomem(e);
	}
	/* The timeless cells sort first ("*" before any digit); the timed
	 * cells follow, grouped by period. */
	while (nt < k->ncell && w.cell[nt]->period == TIMELESS)
		nt++;
	tl = nt;
	for (i = nt; i < k->ncell || i == nt; i = j) {
		if (i < k->ncell) {
			pl = k->per[w.cell[i]->period].s;
			plen = k->per[w.cell[i]->period].len;
			for (j = i; j < k->ncell &&
			    w.cell[j]->period == w.cell[i]->period; j++)
				;
		} else {	/* no timed cell: one period */
			if (tl == 0)
				break;
			pl = k->period == KPI_RANGE ? k->rangelabel : "all";
			plen = strlen(pl);
			j = i + 1;
		}
		for (s = 0; s < k->nscope; s++) {
			/* merge timed [a, hi) with timeless [b, tl) */
			for (a = i; a < j && a < k->ncell &&
			    w.cell[a]->scope < s; a++)
				;
			for (hi = a; hi < j && hi < k->ncell &&
			    w.cell[hi]->scope == s; hi++)
				;
			for (b = 0; b < tl && w.cell[b]->scope < s; b++)
				;
			for (lo = b; lo < tl && w.cell[lo]->scope == s; lo++)
				;
			while (a < hi || b < lo) {
				const struct cell *ca = NULL, *cb = NULL;
				int c;

				if (a < hi && b < lo)
					c = bytecmp(w.cell[a]->id,
					    w.cell[a]->idlen, w.cell[b]->id,
					    w.cell[b]->idlen);
				else
					c = a < hi ? -1 : 1;
				if (c <= 0)
					ca = w.cell[a++];
				if (c >= 0)
					cb = w.cell[b++];
				if ((rc = write_rows(k, &w, nv, pl, plen, s, ca,
				    cb, o, e)) != 0)
					goto out;
			}
		}
		if (i >= k->ncell)
			break;
	}
out:
	mem_free(nv);
	view_free(&w);
	return rc;
}

/* ---- stats ---- */

size_t
kpi_stats(const struct kpi *k, const struct kpi_kind_stat **st)
{
	*st = k->stat;
	return k->nstat;
}

size_t
kpi_cells(const struct kpi *k)
{
	return k->ncell;
}

unsigned long long
kpi_partials(const struct kpi *k)
{
	return k->npartial;
}
