/*
 * filter.c - the `where` expressions of indicator files (see filter.h)
 *
 * A hand-written lexer and a recursive-descent parser (its depth bounded by
 * FILTER_MAX_DEPTH) build a flat array of nodes: and/or nodes list their
 * children in one shared array, tests refer to operands in another.  Each
 * literal is classified once at parse time (empty, a decimal number and
 * its digits, a canonical date-time and its instant), so that filter_eval
 * only has to look at the record's values, and only as far as the literal
 * makes it necessary.
 */
#include "filter.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "rec.h"
#include "str.h"
#include "time.h"

enum tok {
	T_END, T_IDENT, T_STR, T_NUM, T_LP, T_RP, T_COMMA,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	T_AND, T_OR, T_NOT, T_IN, T_IS, T_EMPTY
};

enum ntype { N_OR, N_AND, N_NOT, N_CMP, N_IN, N_EMPTY };

/* A plain decimal seen as its significant digits, for exact comparison. */
struct numv {
	const char *ip;		/* integer digits, leading zeros dropped */
	const char *fp;		/* fraction digits, trailing zeros dropped */
	uint32_t il, fl;
	bool neg;		/* never set for zero */
};

struct operand {
	bool field;		/* a record field, else a literal */
	bool empty, num, dt;	/* literal: "", a decimal, a date-time */
	uint16_t name;		/* field: index in names */
	const char *s;		/* literal: its bytes (in src) */
	size_t len;
	struct numv nv;		/* literal, when num */
	int64_t epoch;		/* literal, when dt */
};

/*
 * N_OR, N_AND: kids[a .. a + cnt); N_NOT: node a; N_CMP: operands a op b;
 * N_IN: operand a, list ops[b .. b + cnt), op 1 for "not in"; N_EMPTY:
 * operand a, op 1 for "is not empty".
 */
struct node {
	uint8_t type;
	uint8_t op;		/* N_CMP: T_EQ .. T_GE */
	uint16_t a, b, cnt;
};

struct filter {
	char *src;		/* a copy of the expression; literals point in */
	struct node *nodes;
	struct operand *ops;
	uint16_t *kids;
	char **names;		/* distinct field names, in order of first use */
	size_t *fidx;		/* names[i] is field fidx[i] of the header */
	size_t nnames;
	uint16_t root;
};

/* The parser's working arrays, at their largest size. */
struct work {
	struct node nodes[FILTER_MAX_NODES];
	struct operand ops[FILTER_MAX_NODES];
	uint16_t kids[FILTER_MAX_NODES];
	uint16_t stack[FILTER_MAX_NODES];	/* children being collected */
	size_t nameoff[FILTER_MAX_NODES], namelen[FILTER_MAX_NODES];
	size_t nnodes, nops, nkids, top, nnames;
};

struct parser {
	const char *s;
	size_t n, pos;
	enum tok tok;
	size_t at;		/* where the token starts (a string: its quote) */
	size_t ts, te;		/* the token's bytes (a string: its content) */
	int depth;
	struct work *w;
	struct err *e;
};

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
}

/*
 * numv_parse: s[0..n) as a plain decimal (the syntax str_parse_decimal
 * takes: optional sign, digits, optional point and digits, one digit at
 * least) into its significant digits.  Exact at any length.
 */
static bool
numv_parse(const char *s, size_t n, struct numv *v)
{
	size_t i = 0, ib, ie, fb, fe;
	bool neg = false;

	if (n == 0 || n > UINT32_MAX)
		return false;
	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	ib = i;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	ie = i;
	fb = fe = i;
	if (i < n && s[i] == '.') {
		fb = ++i;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		fe = i;
	}
	if (i != n || (ie == ib && fe == fb))
		return false;
	while (ib < ie && s[ib] == '0')
		ib++;
	while (fe > fb && s[fe - 1] == '0')
		fe--;
	v->ip = s + ib;
	v->il = (uint32_t)(ie - ib);
	v->fp = s + fb;
	v->fl = (uint32_t)(fe - fb);
	v->neg = neg && (v->il > 0 || v->fl > 0);
	return true;
}

static int
numv_cmp(const struct numv *a, const struct numv *b)
{
	uint32_t m;
	int c;

	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	if (a->il != b->il)
		c = a->il < b->il ? -1 : 1;
	else if ((c = memcmp(a->ip, b->ip, a->il)) == 0) {
		m = a->fl < b->fl ? a->fl : b->fl;
		if ((c = memcmp(a->fp, b->fp, m)) == 0)
			c = a->fl == b->fl ? 0 : a->fl < b->fl ? -1 : 1;
	}
	return a->neg ? -c : c;
}

static int
bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return al == bl ? 0 : al < bl ? -1 : 1;
}

/*
 * The value of an operand: a field's from the row (empty when the row is
 * shorter than the header, which a well-formed row never is), or the
 * literal.
 */
static void
value(const struct filter *f, const struct operand *o,
    const struct rec_row *row, const char **s, size_t *len)
{
	size_t i;

	if (!o->field) {
		*s = o->s;
		*len = o->len;
		return;
	}
	i = f->fidx[o->name];
	if (i < row->n) {
		*s = row->v[i];
		*len = row->len[i];
	} else {
		*s = "";
		*len = 0;
	}
}

static bool
get_num(const struct operand *o, const char *s, size_t len, struct numv *v)
{
	if (!o->field) {
		*v = o->nv;
		return o->num;
	}
	return numv_parse(s, len, v);
}

static bool
get_dt(const struct operand *o, const char *s, size_t len, int64_t *t)
{
	int off;

	if (!o->field) {
		*t = o->epoch;
		return o->dt;
	}
	return len == TIME_DATETIME_LEN && time_iso_to_epoch(s, len, t,
	    &off) == 0;
}

/*
 * order: -1, 0 or 1 for two non-empty values: as numbers when both are,
 * else as instants when both are canonical date-times, else as bytes.  A
 * literal that is not a number (or date-time) spares the look at the
 * other value.  Two date-times with the same offset are in the same order
 * as their bytes, and two values of that length and the same last six
 * bytes that are not both date-times are compared as bytes anyway: so
 * then the bytes settle it without reading the date-times.
 */
static int
order(const struct operand *pa, const char *a, size_t al,
    const struct operand *pb, const char *b, size_t bl)
{
	struct numv na, nb;
	int64_t ta, tb;

	if ((pa->field || pa->num) && (pb->field || pb->num) &&
	    get_num(pa, a, al, &na) && get_num(pb, b, bl, &nb))
		return numv_cmp(&na, &nb);
	if (al == TIME_DATETIME_LEN && bl == TIME_DATETIME_LEN &&
	    memcmp(a + 19, b + 19, 6) == 0)
		return bytes_cmp(a, al, b, bl);	/* same offset: bytes agree */
	if ((pa->field || pa->dt) && (pb->field || pb->dt) &&
	    get_dt(pa, a, al, &ta) && get_dt(pb, b, bl, &tb))
		return ta == tb ? 0 : ta < tb ? -1 : 1;
	return bytes_cmp(a, al, b, bl);
}

static bool
equal(const struct operand *pa, const char *a, size_t al,
    const struct operand *pb, const char *b, size_t bl)
{
	if (al == bl && memcmp(a, b, al) == 0)
		return true;	/* the same bytes are equal by every rule */
	if (al == 0 || bl == 0)
		return false;
	if ((!pa->field && !pa->num && !pa->dt) ||
	    (!pb->field && !pb->num && !pb->dt))
		return false;	/* a plain string equals only its bytes */
	return order(pa, a, al, pb, b, bl) == 0;
}

static bool
test_cmp(const struct filter *f, const struct node *nd,
    const struct rec_row *row)
{
	const struct operand *pa = &f->ops[nd->a], *pb = &f->ops[nd->b];
	const char *a, *b;
	size_t al, bl;
	int c;

	value(f, pa, row, &a, &al);
	value(f, pb, row, &b, &bl);
	switch (nd->op) {
	case T_EQ:
		return equal(pa, a, al, pb, b, bl);
	case T_NE:
		return !equal(pa, a, al, pb, b, bl);
	default:
		break;
	}
	if (al == 0 || bl == 0)
		return false;
	c = order(pa, a, al, pb, b, bl);
	switch (nd->op) {
	case T_LT:
		return c < 0;
	case T_LE:
		return c <= 0;
	case T_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static bool
eval_node(const struct filter *f, uint16_t i, const struct rec_row *row)
{
	const struct node *nd = &f->nodes[i];
	const struct operand *pa, *pb;
	const char *a, *b;
	size_t al, bl, k;

	switch (nd->type) {
	case N_OR:
		for (k = 0; k < nd->cnt; k++)
			if (eval_node(f, f->kids[nd->a + k], row))
				return true;
		return false;
	case N_AND:
		for (k = 0; k < nd->cnt; k++)
			if (!eval_node(f, f->kids[nd->a + k], row))
				return false;
		return true;
	case N_NOT:
		return !eval_node(f, nd->a, row);
	case N_CMP:
		return test_cmp(f, nd, row);
	case N_IN:
		pa = &f->ops[nd->a];
		value(f, pa, row, &a, &al);
		for (k = 0; k < nd->cnt; k++) {
			pb = &f->ops[nd->b + k];
			value(f, pb, row, &b, &bl);
			if (equal(pa, a, al, pb, b, bl))
				return nd->op == 0;
		}
		return nd->op != 0;
	default:	/* N_EMPTY */
		value(f, &f->ops[nd->a], row, &a, &al);
		return (al == 0) != (nd->op != 0);
	}
}

bool
filter_eval(const struct filter *f, const struct rec_row *row)
{
	return eval_node(f, f->root, row);
}

/* Parsing. */

/* column: the 1-based character position of byte offset off. */
static size_t
column(const char *s, size_t off)
{
	size_t i, c = 1;

	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static int
syntax(struct parser *p, size_t off, const char *what)
{
	return err_set(p->e, ERR_DATA, "at column %zu: %s", column(p->s, off),
	    what);
}

static const struct {
	const char *word;
	enum tok tok;
} keywords[] = {
	{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "in", T_IN },
	{ "is", T_IS }, { "empty", T_EMPTY },
};

/* next: read the next token into p->tok, p->ts, p->te. */
static int
next(struct parser *p)
{
	const char *s = p->s;
	size_t n = p->n, i = p->pos, k;
	unsigned char c;
	const char *q;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	p->at = p->ts = i;
	if (i == n) {
		p->tok = T_END;
		p->te = p->pos = i;
		return 0;
	}
	c = (unsigned char)s[i];
	switch (c) {
	case '(':
		p->tok = T_LP;
		i++;
		break;
	case ')':
		p->tok = T_RP;
		i++;
		break;
	case ',':
		p->tok = T_COMMA;
		i++;
		break;
	case '=':
	case '!':
		if (i + 1 == n || s[i + 1] != '=')
			return syntax(p, i, "unexpected character");
		p->tok = c == '=' ? T_EQ : T_NE;
		i += 2;
		break;
	case '<':
	case '>':
		if (i + 1 < n && s[i + 1] == '=') {
			p->tok = c == '<' ? T_LE : T_GE;
			i += 2;
		} else {
			p->tok = c == '<' ? T_LT : T_GT;
			i++;
		}
		break;
	case '\'':
	case '"':
		q = memchr(s + i + 1, c, n - i - 1);
		if (q == NULL)
			return syntax(p, i, "unterminated string");
		p->tok = T_STR;
		p->ts = i + 1;
		p->te = (size_t)(q - s);
		p->pos = p->te + 1;
		return 0;
	default:
		if (c == '-' || is_digit(c)) {
			if (c == '-')
				i++;
			if (i == n || !is_digit((unsigned char)s[i]))
				return syntax(p, p->at, "bad number");
			while (i < n && is_digit((unsigned char)s[i]))
				i++;
			if (i < n && s[i] == '.') {
				if (++i == n || !is_digit((unsigned char)s[i]))
					return syntax(p, p->at, "bad number");
				while (i < n && is_digit((unsigned char)s[i]))
					i++;
			}
			if (i < n && (is_ident((unsigned char)s[i]) ||
			    s[i] == '.' || (s[i] >= 'A' && s[i] <= 'Z')))
				return syntax(p, p->at, "bad number");
			p->tok = T_NUM;
			break;
		}
		if (c < 'a' || c > 'z')
			return syntax(p, i, "unexpected character");
		while (i < n && is_ident((unsigned char)s[i]))
			i++;
		p->tok = T_IDENT;
		for (k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
			if (str_eq(s + p->ts, i - p->ts, keywords[k].word))
				p->tok = keywords[k].tok;
		break;
	}
	p->te = p->pos = i;
	return 0;
}

/* room: one more node or operand, which starts at byte off. */
static int
room(struct parser *p, size_t off)
{
	if (p->w->nnodes + p->w->nops >= FILTER_MAX_NODES)
		return err_set(p->e, ERR_DATA, "at column %zu: more than %d "
		    "nodes", column(p->s, off), FILTER_MAX_NODES);
	return 0;
}

static int
new_node(struct parser *p, uint8_t type, size_t off, uint16_t *idx)
{
	struct node *nd;
	int rc;

	if ((rc = room(p, off)) != 0)
		return rc;
	*idx = (uint16_t)p->w->nnodes;
	nd = &p->w->nodes[p->w->nnodes++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	return 0;
}

/* operand: a field, string or number at p->tok, then the next token. */
static int
operand(struct parser *p, uint16_t *idx)
{
	struct work *w = p->w;
	struct operand *o;
	size_t k, len = p->te - p->ts;
	int rc, off;

	if (p->tok != T_IDENT && p->tok != T_STR && p->tok != T_NUM)
		return syntax(p, p->at, "expected an operand");
	if ((rc = room(p, p->at)) != 0)
		return rc;
	*idx = (uint16_t)w->nops;
	o = &w->ops[w->nops++];
	memset(o, 0, sizeof *o);
	if (p->tok == T_IDENT) {
		o->field = true;
		for (k = 0; k < w->nnames; k++)
			if (w->namelen[k] == len && memcmp(p->s +
			    w->nameoff[k], p->s + p->ts, len) == 0)
				break;
		if (k == w->nnames) {
			w->nameoff[k] = p->ts;
			w->namelen[k] = len;
			w->nnames++;
		}
		o->name = (uint16_t)k;
	} else {
		o->s = p->s + p->ts;
		o->len = len;
		o->empty = len == 0;
		o->num = numv_parse(o->s, len, &o->nv);
		o->dt = time_iso_to_epoch(o->s, len, &o->epoch, &off) == 0;
	}
	return next(p);
}

static int expr_or(struct parser *, uint16_t *);

/* test: operand op operand | operand [not] in (...) | operand is [not] empty */
static int
test(struct parser *p, uint16_t *idx)
{
	struct node *nd;
	uint16_t a, b, first;
	size_t cnt, start = p->at;
	int rc;
	enum tok op;
	bool neg = false;

	if ((rc = operand(p, &a)) != 0)
		return rc;
	op = p->tok;
	switch (op) {
	case T_EQ:
	case T_NE:
	case T_LT:
	case T_LE:
	case T_GT:
	case T_GE:
		if ((rc = next(p)) != 0 || (rc = operand(p, &b)) != 0 ||
		    (rc = new_node(p, N_CMP, start, idx)) != 0)
			return rc;
		nd = &p->w->nodes[*idx];
		nd->op = (uint8_t)op;
		nd->a = a;
		nd->b = b;
		return 0;
	case T_NOT:
		if ((rc = next(p)) != 0)
			return rc;
		if (p->tok != T_IN)
			return syntax(p, p->at, "expected 'in'");
		neg = true;
		/* FALLTHROUGH */
	case T_IN:
		if ((rc = next(p)) != 0)
			return rc;
		if (p->tok != T_LP)
			return syntax(p, p->at, "expected '('");
		if ((rc = next(p)) != 0 || (rc = operand(p, &first)) != 0)
			return rc;
		for (cnt = 1; p->tok == T_COMMA; cnt++)
			if ((rc = next(p)) != 0 || (rc = operand(p, &b)) != 0)
				return rc;
		if (p->tok != T_RP)
			return syntax(p, p->at, "expected ',' or ')'");
		if ((rc = next(p)) != 0 || (rc = new_node(p, N_IN, start, idx)) != 0)
			return rc;
		nd = &p->w->nodes[*idx];
		nd->op = neg;
		nd->a = a;
		nd->b = first;
		nd->cnt = (uint16_t)cnt;
		return 0;
	case T_IS:
		if ((rc = next(p)) != 0)
			return rc;
		if (p->tok == T_NOT) {
			neg = true;
			if ((rc = next(p)) != 0)
				return rc;
		}
		if (p->tok != T_EMPTY)
			return syntax(p, p->at, "expected 'empty'");
		if ((rc = next(p)) != 0 || (rc = new_node(p, N_EMPTY, start,
		    idx)) != 0)
			return rc;
		nd = &p->w->nodes[*idx];
		nd->op = neg;
		nd->a = a;
		return 0;
	default:
		return syntax(p, p->at, "expected a comparison, 'in' or 'is'");
	}
}

static int
deeper(struct parser *p)
{
	if (p->depth >= FILTER_MAX_DEPTH)
		return err_set(p->e, ERR_DATA, "at column %zu: nested more "
		    "than %d deep", column(p->s, p->at), FILTER_MAX_DEPTH);
	p->depth++;
	return next(p);
}

/* not: "not" not | "(" expr ")" | test */
static int
expr_not(struct parser *p, uint16_t *idx)
{
	uint16_t kid;
	size_t start = p->at;
	int rc;

	if (p->tok == T_NOT) {
		if ((rc = deeper(p)) != 0 || (rc = expr_not(p, &kid)) != 0 ||
		    (rc = new_node(p, N_NOT, start, idx)) != 0)
			return rc;
		p->w->nodes[*idx].a = kid;
		p->depth--;
		return 0;
	}
	if (p->tok == T_LP) {
		if ((rc = deeper(p)) != 0 || (rc = expr_or(p, idx)) != 0)
			return rc;
		if (p->tok != T_RP)
			return syntax(p, p->at, "expected ')'");
		p->depth--;
		return next(p);
	}
	return test(p, idx);
}

/*
 * list: one or more sub-expressions joined by `sep` (and, or); with more
 * than one, an N_AND or N_OR node over them, their indexes collected on
 * the work stack and then moved to kids.
 */
static int
list(struct parser *p, enum tok sep, uint16_t *idx)
{
	struct work *w = p->w;
	struct node *nd;
	size_t base = w->top, start = p->at;
	uint16_t kid;
	int rc;

	if ((rc = sep == T_OR ? list(p, T_AND, &kid) : expr_not(p, &kid)) != 0)
		return rc;
	if (p->tok != sep) {
		*idx = kid;
		return 0;
	}
	w->stack[w->top++] = kid;
	while (p->tok == sep) {
		if ((rc = next(p)) != 0)
			return rc;
		rc = sep == T_OR ? list(p, T_AND, &kid) : expr_not(p, &kid);
		if (rc != 0)
			return rc;
		w->stack[w->top++] = kid;
	}
	if ((rc = new_node(p, sep == T_OR ? N_OR : N_AND, start, idx)) != 0)
		return rc;
	nd = &w->nodes[*idx];
	nd->a = (uint16_t)w->nkids;
	nd->cnt = (uint16_t)(w->top - base);
	memcpy(w->kids + w->nkids, w->stack + base,
	    (w->top - base) * sizeof w->stack[0]);
	w->nkids += w->top - base;
	w->top = base;
	return 0;
}

static int
expr_or(struct parser *p, uint16_t *idx)
{
	return list(p, T_OR, idx);
}

/*
 * check_text: the expression is UTF-8 without NUL bytes; columns count
 * characters, so they need it.
 */
static int
check_text(struct parser *p)
{
	size_t ok = str_utf8_prefix(p->s, p->n);
	const char *z = memchr(p->s, '\0', ok);

	if (z != NULL)
		return syntax(p, (size_t)(z - p->s), "NUL byte");
	if (ok != p->n)
		return syntax(p, ok, "invalid UTF-8");
	return 0;
}

/* keep: copy the parser's arrays, at their size, into f. */
static int
keep(struct filter *f, const struct work *w, struct err *e)
{
	size_t k;

	f->nodes = mem_reallocarray(NULL, w->nnodes, sizeof f->nodes[0]);
	f->ops = mem_reallocarray(NULL, w->nops, sizeof f->ops[0]);
	f->kids = mem_reallocarray(NULL, w->nkids + 1, sizeof f->kids[0]);
	f->names = mem_calloc(w->nnames + 1, sizeof f->names[0]);
	f->fidx = mem_reallocarray(NULL, w->nnames + 1, sizeof f->fidx[0]);
	if (f->nodes == NULL || f->ops == NULL || f->kids == NULL ||
	    f->names == NULL || f->fidx == NULL)
		return err_nomem(e);
	memcpy(f->nodes, w->nodes, w->nnodes * sizeof f->nodes[0]);
	memcpy(f->ops, w->ops, w->nops * sizeof f->ops[0]);
	memcpy(f->kids, w->kids, w->nkids * sizeof f->kids[0]);
	for (k = 0; k < w->nnames; k++)
		f->fidx[k] = SIZE_MAX;	/* unbound: read as empty */
	for (k = 0; k < w->nnames; k++) {
		f->names[k] = mem_strndup(f->src + w->nameoff[k],
		    w->namelen[k]);
		if (f->names[k] == NULL)
			return err_nomem(e);
		f->nnames++;
	}
	return 0;
}

int
filter_parse(struct filter **fp, const char *src, size_t n, struct err *e)
{
	struct filter *f;
	struct parser p;
	int rc;

	*fp = NULL;
	if (src == NULL)
		n = 0;
	if (n > FILTER_MAX_LEN)
		return err_set(e, ERR_DATA, "expression longer than %d bytes",
		    FILTER_MAX_LEN);
	if ((f = mem_calloc(1, sizeof *f)) == NULL)
		return err_nomem(e);
	memset(&p, 0, sizeof p);
	p.e = e;
	if ((f->src = mem_strndup(n > 0 ? src : "", n)) == NULL ||
	    (p.w = mem_alloc(sizeof *p.w)) == NULL) {
		filter_free(f);
		return err_nomem(e);
	}
	p.w->nnodes = p.w->nops = p.w->nkids = p.w->top = p.w->nnames = 0;
	p.s = f->src;
	p.n = n;
	if ((rc = check_text(&p)) == 0 && (rc = next(&p)) == 0 &&
	    (rc = expr_or(&p, &f->root)) == 0 && p.tok != T_END)
		rc = syntax(&p, p.at, "expected 'and', 'or' or the end");
	if (rc == 0)
		rc = keep(f, p.w, e);
	mem_free(p.w);
	if (rc != 0) {
		filter_free(f);
		return rc;
	}
	*fp = f;
	return 0;
}

int
filter_bind(struct filter *f, const struct rec_header *h, struct err *e)
{
	size_t k, i;

	/* look up every name first, so a failure leaves the old binding */
	for (k = 0; k < f->nnames; k++) {
		for (i = 0; i < h->n; i++)
			if (strcmp(h->names[i], f->names[k]) == 0)
				break;
		if (i == h->n)
			return err_set(e, ERR_DATA, "no field '%s'",
			    f->names[k]);
	}
	for (k = 0; k < f->nnames; k++)
		for (i = 0; i < h->n; i++)
			if (strcmp(h->names[i], f->names[k]) == 0) {
				f->fidx[k] = i;
				break;
			}
	return 0;
}

size_t
filter_fields(const struct filter *f, const char *const **names)
{
	*names = (const char *const *)f->names;
	return f->nnames;
}

void
filter_free(struct filter *f)
{
	size_t k;

	if (f == NULL)
		return;
	for (k = 0; k < f->nnames; k++)
		mem_free(f->names[k]);
	mem_free(f->names);
	mem_free(f->fidx);
	mem_free(f->kids);
	mem_free(f->ops);
	mem_free(f->nodes);
	mem_free(f->src);
	mem_free(f);
}
