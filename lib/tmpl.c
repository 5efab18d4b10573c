/* tmpl.c - a small logic-less template engine; see tmpl.h */
#include "tmpl.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "str.h"

/* ---- values ---- */

struct tmpl_val {
	enum tmpl_type type;
	bool b;
	char *s;			/* TMPL_STR, NUL-terminated */
	size_t len;
	struct tmpl_val **items;	/* TMPL_LIST, TMPL_MAP */
	char **keys;			/* TMPL_MAP */
	size_t *klens;
	size_t n, cap;
};

static struct tmpl_val *
val_new(enum tmpl_type type)
{
	struct tmpl_val *v;

	if ((v = mem_calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->type = type;
	return v;
}

struct tmpl_val *
tmpl_val_strn(const char *s, size_t n)
{
	struct tmpl_val *v;

	if ((v = val_new(TMPL_STR)) == NULL)
		return NULL;
	if ((v->s = mem_strndup(n ? s : "", n)) == NULL) {
		mem_free(v);
		return NULL;
	}
	v->len = n;
	return v;
}

struct tmpl_val *
tmpl_val_str(const char *s)
{
	if (s == NULL)
		s = "";
	return tmpl_val_strn(s, strlen(s));
}

struct tmpl_val *
tmpl_val_num(double v, int decimals)
{
	char num[STR_NUM_MAX];
	size_t n;

	if (!isfinite(v))
		return tmpl_val_str("n/a");
	n = decimals < 0 ? str_fmt_double(num, v, -1) :
	    str_fmt_fixed(num, v, decimals);
	return tmpl_val_strn(num, n);
}

struct tmpl_val *
tmpl_val_bool(bool b)
{
	struct tmpl_val *v;

	if ((v = val_new(TMPL_BOOL)) != NULL)
		v->b = b;
	return v;
}

struct tmpl_val *
tmpl_val_list(void)
{
	return val_new(TMPL_LIST);
}

struct tmpl_val *
tmpl_val_map(void)
{
	return val_new(TMPL_MAP);
}

void
tmpl_val_free(struct tmpl_val *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		tmpl_val_free(v->items[i]);
		if (v->keys != NULL)
			mem_free(v->keys[i]);
	}
	mem_free(v->items);
	mem_free(v->keys);
	mem_free(v->klens);
	mem_free(v->s);
	mem_free(v);
}

/* Room for one more item (and key, for a map); 0 or -1. */
static int
val_grow(struct tmpl_val *v)
{
	struct tmpl_val **items;
	size_t cap, *klens;
	char **keys;

	if (v->n < v->cap)
		return 0;
	cap = v->cap ? v->cap * 2 : 8;
	if ((items = mem_reallocarray(v->items, cap, sizeof(*items))) == NULL)
		return -1;
	v->items = items;
	if (v->type == TMPL_MAP) {
		if ((keys = mem_reallocarray(v->keys, cap, sizeof(*keys))) ==
		    NULL)
			return -1;
		v->keys = keys;
		if ((klens = mem_reallocarray(v->klens, cap,
		    sizeof(*klens))) == NULL)
			return -1;
		v->klens = klens;
	}
	v->cap = cap;
	return 0;
}

int
tmpl_list_push(struct tmpl_val *list, struct tmpl_val *v)
{
	if (list == NULL || v == NULL || list->type != TMPL_LIST ||
	    val_grow(list) < 0) {
		tmpl_val_free(v);
		return -1;
	}
	list->items[list->n++] = v;
	return 0;
}

/* Index of key[0..n) in map, or -1. */
static long
map_find(const struct tmpl_val *map, const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < map->n; i++)
		if (map->klens[i] == n && memcmp(map->keys[i], key, n) == 0)
			return (long)i;
	return -1;
}

int
tmpl_map_set(struct tmpl_val *map, const char *key, struct tmpl_val *v)
{
	size_t n;
	long i;
	char *k;

	if (map == NULL || key == NULL || v == NULL || map->type != TMPL_MAP)
		goto fail;
	n = strlen(key);
	if ((i = map_find(map, key, n)) >= 0) {
		tmpl_val_free(map->items[i]);
		map->items[i] = v;
		return 0;
	}
	if (val_grow(map) < 0 || (k = mem_strndup(key, n)) == NULL)
		goto fail;
	map->keys[map->n] = k;
	map->klens[map->n] = n;
	map->items[map->n++] = v;
	return 0;
fail:
	tmpl_val_free(v);
	return -1;
}

enum tmpl_type
tmpl_val_type(const struct tmpl_val *v)
{
	return v->type;
}

const char *
tmpl_val_cstr(const struct tmpl_val *v, size_t *n)
{
	if (v == NULL || v->type != TMPL_STR) {
		if (n != NULL)
			*n = 0;
		return NULL;
	}
	if (n != NULL)
		*n = v->len;
	return v->s;
}

bool
tmpl_val_truth(const struct tmpl_val *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case TMPL_STR:
		return v->len > 0;
	case TMPL_BOOL:
		return v->b;
	case TMPL_LIST:
		return v->n > 0;
	case TMPL_MAP:
		return true;
	}
	return false;
}

size_t
tmpl_list_len(const struct tmpl_val *list)
{
	return list != NULL && list->type == TMPL_LIST ? list->n : 0;
}

const struct tmpl_val *
tmpl_list_get(const struct tmpl_val *list, size_t i)
{
	if (list == NULL || list->type != TMPL_LIST || i >= list->n)
		return NULL;
	return list->items[i];
}

size_t
tmpl_map_len(const struct tmpl_val *map)
{
	return map != NULL && map->type == TMPL_MAP ? map->n : 0;
}

const struct tmpl_val *
tmpl_map_get(const struct tmpl_val *map, const char *key)
{
	long i;

	if (map == NULL || key == NULL || map->type != TMPL_MAP)
		return NULL;
	i = map_find(map, key, strlen(key));
	return i < 0 ? NULL : map->items[i];
}

struct tmpl_val *
tmpl_map_get_mut(struct tmpl_val *map, const char *key)
{
	long i;

	if (map == NULL || key == NULL || map->type != TMPL_MAP)
		return NULL;
	i = map_find(map, key, strlen(key));
	return i < 0 ? NULL : map->items[i];
}

/* ---- escaping ---- */

enum md_state { MD_MID, MD_START, MD_DIGITS };

static enum md_state
md_next(enum md_state st, unsigned char c)
{
	if (c == '\n')
		return MD_START;
	if (st == MD_START && (c == ' ' || c == '\t'))
		return MD_START;
	if ((st == MD_START || st == MD_DIGITS) && c >= '0' && c <= '9')
		return MD_DIGITS;
	return MD_MID;
}

/* The Markdown line state at the end of out. */
static enum md_state
md_state_of(const struct buf *out)
{
	enum md_state st = MD_START;
	size_t i, ls;
	unsigned char c;

	/* Only spaces, tabs and digits may lie between the line start and
	 * the end for the state to be other than MD_MID. */
	for (ls = out->len; ls > 0; ls--) {
		c = (unsigned char)out->p[ls - 1];
		if (c == '\n')
			break;
		if (c != ' ' && c != '\t' && !(c >= '0' && c <= '9'))
			return MD_MID;
	}
	for (i = ls; i < out->len; i++)
		st = md_next(st, (unsigned char)out->p[i]);
	return st;
}

static int
md_escape(struct buf *out, const char *s, size_t n)
{
	enum md_state st = md_state_of(out);
	size_t i, run = 0;
	unsigned char c;
	int esc;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '\\': case '`': case '*': case '_': case '{': case '}':
		case '[': case ']': case '<': case '>': case '(': case ')':
		case '|': case '~': case '&':
			esc = 1;
			break;
		case '#': case '+': case '-': case '=':
			esc = st == MD_START;
			break;
		case '.':
			esc = st == MD_DIGITS;
			break;
		default:
			esc = 0;
		}
		if (esc) {
			if (buf_add(out, s + run, i - run) < 0 ||
			    buf_addc(out, '\\') < 0)
				return -1;
			run = i;
		}
		st = md_next(st, c);
	}
	return buf_add(out, s + run, n - run);
}

static int
html_escape(struct buf *out, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (buf_add(out, s + run, i - run) < 0 || buf_adds(out, rep) < 0)
			return -1;
		run = i + 1;
	}
	return buf_add(out, s + run, n - run);
}

int
tmpl_escape(struct buf *out, const char *s, size_t n, enum tmpl_esc esc)
{
	size_t start = out->len;
	int r;

	switch (esc) {
	case TMPL_HTML:
		r = html_escape(out, s, n);
		break;
	case TMPL_MD:
		r = md_escape(out, s, n);
		break;
	case TMPL_TXT:
	case TMPL_NONE:
	default:
		return buf_add(out, s, n);
	}
	if (r < 0) {
		out->len = start;
		if (out->p != NULL)
			out->p[start] = '\0';
	}
	return r;
}

/* ---- compiled templates ---- */

enum op { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };
enum filt { F_NONE, F_NUM, F_PCT, F_INT };

struct node {
	enum op op;
	enum filt filt;
	int dec;		/* filter decimals, -1 when not given */
	long line;
	size_t off, len;	/* text, or the name, in the unit's source */
	size_t end;		/* section: index of the first node after it */
	size_t unit;		/* partial: index of its unit */
};

struct unit {			/* the main template or one partial */
	char *name;
	char *src;
	size_t n;
	struct node *nodes;
	size_t nn, cap;
};

struct tmpl {
	struct unit *units;	/* units[0] is the main template */
	size_t nunits, cap;
};

void
tmpl_free(struct tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nunits; i++) {
		mem_free(t->units[i].name);
		mem_free(t->units[i].src);
		mem_free(t->units[i].nodes);
	}
	mem_free(t->units);
	mem_free(t);
}

/* Append a unit (name and source copied); its index in *idx. */
static int
unit_add(struct tmpl *t, const char *name, size_t namelen, const char *src,
    size_t n, size_t *idx, struct err *e)
{
	struct unit *u;
	size_t cap;

	if (t->nunits == t->cap) {
		cap = t->cap ? t->cap * 2 : 4;
		if ((u = mem_reallocarray(t->units, cap, sizeof(*u))) == NULL)
			return err_nomem(e);
		t->units = u;
		t->cap = cap;
	}
	u = &t->units[t->nunits];
	memset(u, 0, sizeof(*u));
	if ((u->name = mem_strndup(name, namelen)) == NULL)
		return err_nomem(e);
	if ((u->src = mem_strndup(n ? src : "", n)) == NULL) {
		mem_free(u->name);
		return err_nomem(e);
	}
	u->n = n;
	*idx = t->nunits++;
	return 0;
}

static struct node *
node_add(struct unit *u, enum op op, long line, size_t off, size_t len,
    struct err *e)
{
	struct node *nd;
	size_t cap;

	if (u->nn == u->cap) {
		cap = u->cap ? u->cap * 2 : 16;
		if ((nd = mem_reallocarray(u->nodes, cap, sizeof(*nd))) ==
		    NULL) {
			err_nomem(e);
			return NULL;
		}
		u->nodes = nd;
		u->cap = cap;
	}
	nd = &u->nodes[u->nn++];
	memset(nd, 0, sizeof(*nd));
	nd->op = op;
	nd->line = line;
	nd->off = off;
	nd->len = len;
	nd->dec = -1;
	return nd;
}

/* A compile error: "what" or "what 'name'" at line of unit u. */
static int
syntax(struct err *e, const struct unit *u, long line, const char *what,
    const char *name, size_t nlen)
{
	err_at(e, u->name, line, NULL);
	if (name == NULL)
		return err_set(e, ERR_DATA, "%s", what);
	return err_set(e, ERR_DATA, "%s '%.*s'", what, (int)nlen, name);
}

/* Find the first occurrence of pat (plen bytes) in s[from..n), or n. */
static size_t
find(const char *s, size_t from, size_t n, const char *pat, size_t plen)
{
	size_t i;

	for (i = from; i + plen <= n; i++)
		if (s[i] == pat[0] && memcmp(s + i, pat, plen) == 0)
			return i;
	return n;
}

static void
trim(const char *s, size_t *off, size_t *len)
{
	while (*len > 0 && (s[*off] == ' ' || s[*off] == '\t')) {
		(*off)++;
		(*len)--;
	}
	while (*len > 0 && (s[*off + *len - 1] == ' ' ||
	    s[*off + *len - 1] == '\t'))
		(*len)--;
}

/* A name: "." or dot-separated segments of [A-Za-z0-9_-] and bytes >= 0x80. */
static bool
name_ok(const char *s, size_t n)
{
	size_t i, seg = 0;
	unsigned char c;

	if (n == 1 && s[0] == '.')
		return true;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '.') {
			if (seg == 0)
				return false;
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c >= 0x80))
			return false;
		seg++;
	}
	return seg > 0;
}

/* Parse "f" or "f:N" in s[off..off+len) into nd. */
static int
parse_filter(struct node *nd, const struct unit *u, size_t off, size_t len,
    struct err *e)
{
	const char *s = u->src + off;
	size_t i, flen;

	trim(u->src, &off, &len);
	s = u->src + off;
	for (flen = 0; flen < len && s[flen] >= 'a' && s[flen] <= 'z'; flen++)
		;
	if (flen == 0 || flen > 16 || (flen < len && s[flen] != ':' &&
	    s[flen] != ' ' && s[flen] != '\t'))
		return syntax(e, u, nd->line, "unknown filter", NULL, 0);
	if (flen == 3 && memcmp(s, "num", 3) == 0)
		nd->filt = F_NUM;
	else if (flen == 3 && memcmp(s, "pct", 3) == 0)
		nd->filt = F_PCT;
	else if (flen == 3 && memcmp(s, "int", 3) == 0)
		nd->filt = F_INT;
	else
		return syntax(e, u, nd->line, "unknown filter", s, flen);
	i = flen;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return 0;
	if (s[i] != ':' || nd->filt == F_INT)
		return syntax(e, u, nd->line, "bad filter argument", NULL, 0);
	i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 != len || s[i] < '0' || s[i] > '9')
		return syntax(e, u, nd->line, "bad filter argument", NULL, 0);
	nd->dec = s[i] - '0';
	return 0;
}

static size_t
count_nl(const char *s, size_t from, size_t to)
{
	size_t i, k = 0;

	for (i = from; i < to; i++)
		k += s[i] == '\n';
	return k;
}

/* Compile unit k of t; partial names are added as new (uncompiled) units. */
static int
compile_unit(struct tmpl *t, size_t k, const struct tmpl_partials *parts,
    struct err *e)
{
	size_t stack[TMPL_MAX_NEST];
	size_t depth = 0, pos = 0, at, close, q, ls, re, off, len, bar, i;
	long line = 1, tagline;
	struct node *nd;
	struct unit *u;
	const char *s;
	size_t n;
	char sig;
	enum op op;
	bool standalone;

	u = &t->units[k];
	s = u->src;
	n = u->n;
	for (;;) {
		at = find(s, pos, n, "{{", 2);
		tagline = line + (long)count_nl(s, pos, at);
		if (at == n) {
			if (at > pos && node_add(u, OP_TEXT, line, pos,
			    at - pos, e) == NULL)
				return e->code;
			break;
		}
		/* the tag: content [off, off+len), q just after it */
		if (at + 2 < n && s[at + 2] == '{') {
			close = find(s, at + 3, n, "}}}", 3);
			if (close == n)
				return syntax(e, u, tagline,
				    "unclosed tag", NULL, 0);
			sig = '&';
			off = at + 3;
			len = close - off;
			q = close + 3;
		} else {
			close = find(s, at + 2, n, "}}", 2);
			if (close == n)
				return syntax(e, u, tagline,
				    "unclosed tag", NULL, 0);
			off = at + 2;
			len = close - off;
			q = close + 2;
			sig = len > 0 ? s[off] : '\0';
			if (sig == '!' || sig == '#' || sig == '^' ||
			    sig == '/' || sig == '>' || sig == '&' ||
			    sig == '=') {
				off++;
				len--;
			} else
				sig = '\0';
		}
		if (sig == '=')
			return syntax(e, u, tagline,
			    "set delimiters not supported", NULL, 0);

		/* a standalone tag takes its line */
		standalone = false;
		ls = at;
		re = q;
		if (sig == '!' || sig == '#' || sig == '^' || sig == '/' ||
		    sig == '>') {
			while (ls > pos && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
				ls--;
			while (re < n && (s[re] == ' ' || s[re] == '\t'))
				re++;
			if ((ls == 0 || s[ls - 1] == '\n') && (re == n ||
			    s[re] == '\n' || (s[re] == '\r' && re + 1 < n &&
			    s[re + 1] == '\n')))
				standalone = true;
		}
		if (!standalone)
			ls = at;
		if (ls > pos && node_add(u, OP_TEXT, line, pos, ls - pos, e) ==
		    NULL)
			return e->code;
		line = tagline + (long)count_nl(s, at, q);
		if (standalone) {
			if (re < n && s[re] == '\r')
				re++;
			if (re < n && s[re] == '\n') {
				re++;
				line++;
			}
			q = re;
		}
		pos = q;

		if (sig == '!')
			continue;
		/* a variable may end in "| filter" */
		bar = n;
		if (sig == '\0' || sig == '&') {
			bar = find(s, off, off + len, "|", 1);
			if (bar < off + len)
				len = bar - off;
			else
				bar = n;
		}
		trim(s, &off, &len);
		if (len == 0)
			return syntax(e, u, tagline, "empty tag", NULL, 0);
		if (!name_ok(s + off, len))
			return syntax(e, u, tagline,
			    "bad placeholder name", NULL, 0);
		switch (sig) {
		case '#':
		case '^':
			if (depth == TMPL_MAX_NEST)
				return syntax(e, u, tagline,
				    "sections nested too deep", NULL, 0);
			op = sig == '#' ? OP_SECTION : OP_INVERTED;
			if (node_add(u, op, tagline, off, len, e) == NULL)
				return e->code;
			stack[depth++] = u->nn - 1;
			break;
		case '/':
			if (depth == 0)
				return syntax(e, u, tagline,
				    "closing tag without section", s + off, len);
			nd = &u->nodes[stack[depth - 1]];
			if (nd->len != len || memcmp(s + nd->off, s + off,
			    len) != 0) {
				err_at(e, u->name, tagline, NULL);
				return err_set(e, ERR_DATA, "closing tag '%.*s' "
				    "does not match section '%.*s'", (int)len,
				    s + off, (int)nd->len, s + nd->off);
			}
			nd->end = u->nn;
			depth--;
			break;
		case '>':
			if ((nd = node_add(u, OP_PARTIAL, tagline, off, len,
			    e)) == NULL)
				return e->code;
			break;
		default:
			op = sig == '&' ? OP_RAW : OP_VAR;
			if ((nd = node_add(u, op, tagline, off, len, e)) ==
			    NULL)
				return e->code;
			if (bar < n && parse_filter(nd, u, bar + 1,
			    close - bar - 1, e) != 0)
				return e->code;
		}
	}
	if (depth > 0) {
		nd = &u->nodes[stack[depth - 1]];
		return syntax(e, u, nd->line, "unclosed section", s + nd->off,
		    nd->len);
	}

	/* resolve partials to units, adding the new ones */
	for (i = 0; i < u->nn; i++) {
		const char *name, *psrc = NULL;
		size_t j, nlen, plen = 0;
		char *cname;
		int found = 0;

		if (u->nodes[i].op != OP_PARTIAL)
			continue;
		name = s + u->nodes[i].off;
		nlen = u->nodes[i].len;
		for (j = 0; j < t->nunits; j++)
			if (strlen(t->units[j].name) == nlen &&
			    memcmp(t->units[j].name, name, nlen) == 0 && j > 0)
				break;
		if (j < t->nunits) {
			u->nodes[i].unit = j;
			continue;
		}
		if ((cname = mem_strndup(name, nlen)) == NULL)
			return err_nomem(e);
		for (j = 0; parts != NULL && j < parts->n; j++)
			if (parts->names[j] != NULL &&
			    strcmp(parts->names[j], cname) == 0) {
				psrc = parts->srcs[j];
				plen = parts->lens != NULL ? parts->lens[j] :
				    (psrc != NULL ? strlen(psrc) : 0);
				found = psrc != NULL;
				break;
			}
		if (!found && parts != NULL && parts->lookup != NULL &&
		    parts->lookup(parts->ctx, cname, &psrc, &plen) == 0 &&
		    (psrc != NULL || plen == 0))
			found = 1;
		mem_free(cname);
		if (!found)
			return syntax(e, u, u->nodes[i].line,
			    "unknown partial", name, nlen);
		if (unit_add(t, name, nlen, psrc, plen, &j, e) != 0)
			return e->code;
		/* t->units may have moved */
		u = &t->units[k];
		s = u->src;
		u->nodes[i].unit = j;
	}
	return 0;
}

int
tmpl_compile(struct tmpl **tp, const char *src, size_t n, const char *name,
    const struct tmpl_partials *partials, struct err *e)
{
	struct tmpl *t;
	size_t k;

	*tp = NULL;
	if (name == NULL)
		name = "template";
	if ((t = mem_calloc(1, sizeof(*t))) == NULL)
		return err_nomem(e);
	if (unit_add(t, name, strlen(name), src, n, &k, e) != 0)
		goto fail;
	for (k = 0; k < t->nunits; k++)
		if (compile_unit(t, k, partials, e) != 0)
			goto fail;
	*tp = t;
	return 0;
fail:
	tmpl_free(t);
	return e != NULL ? e->code : ERR_INTERNAL;
}

/* ---- rendering ---- */

struct ctx {
	const struct tmpl_val *v;
	const struct ctx *up;
};

/* Look the dotted name s[0..n) up on the context stack; NULL if absent. */
static const struct tmpl_val *
resolve(const struct ctx *c, const char *s, size_t n)
{
	const struct tmpl_val *v = NULL;
	size_t seg, i;
	long k;

	if (n == 1 && s[0] == '.')
		return c != NULL ? c->v : NULL;
	for (seg = 0; seg < n && s[seg] != '.'; seg++)
		;
	for (; c != NULL; c = c->up)
		if (c->v != NULL && c->v->type == TMPL_MAP &&
		    (k = map_find(c->v, s, seg)) >= 0) {
			v = c->v->items[k];
			break;
		}
	while (v != NULL && seg < n) {
		i = seg + 1;
		for (seg = i; seg < n && s[seg] != '.'; seg++)
			;
		if (v->type != TMPL_MAP || (k = map_find(v, s + i,
		    seg - i)) < 0)
			return NULL;
		v = v->items[k];
	}
	return v;
}

/* A render error at nd: "pre 'name' post", or out of memory (pre NULL). */
static int
rerr(struct err *e, const struct unit *u, const struct node *nd,
    const char *pre, const char *post)
{
	err_at(e, u->name, nd->line, NULL);
	if (pre == NULL)
		return err_nomem(e);
	return err_set(e, ERR_DATA, "%s '%.*s'%s", pre, (int)nd->len,
	    u->src + nd->off, post);
}

/*
 * pct_shift: the plain decimal s[0..n) times 100, by moving the point two
 * places (exact, so "0.8765" gives "87.65", not 87.64999...).  out has
 * STR_NUM_MAX + 16 bytes; its length in *len.  0, or -1 when too long.
 */
static int
pct_shift(char *out, const char *s, size_t n, size_t *len)
{
	size_t i = 0, o = 0, k;

	if (n + 4 > STR_NUM_MAX)
		return -1;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		out[o++] = s[i++];
	while (i < n && s[i] != '.')
		out[o++] = s[i++];
	if (i < n)
		i++;		/* the point */
	for (k = 0; k < 2; k++)
		out[o++] = i < n ? s[i++] : '0';
	if (i < n) {
		out[o++] = '.';
		while (i < n)
			out[o++] = s[i++];
	}
	*len = o;
	return 0;
}

/* Append the number in v filtered by nd (digits, '-', '.', '%'). */
static int
filtered(struct buf *out, const struct tmpl_val *v, const struct node *nd)
{
	char num[STR_NUM_MAX + 16];
	size_t len, dot, have;
	double d;

	if (str_parse_decimal(v->s, v->len, &d) != 0)
		return 1;
	if (nd->filt == F_PCT && (pct_shift(num, v->s, v->len, &len) != 0 ||
	    str_parse_decimal(num, len, &d) != 0))
		return 1;
	if (!isfinite(d))
		return 1;
	if (nd->filt == F_INT)
		len = str_fmt_fixed(num, d, 0);
	else if (nd->dec < 0)
		len = nd->filt == F_PCT ? str_fmt_fixed(num, d, 6) :
		    str_fmt_double(num, d, -1);
	else {
		len = str_fmt_fixed(num, d, nd->dec);
		for (dot = 0; dot < len && num[dot] != '.'; dot++)
			;
		have = dot < len ? len - dot - 1 : 0;
		if (nd->dec > 0 && dot == len)
			num[len++] = '.';
		while (have < (size_t)nd->dec && len < sizeof(num) - 2) {
			num[len++] = '0';
			have++;
		}
	}
	if (nd->filt == F_PCT)
		num[len++] = '%';
	return buf_add(out, num, len) < 0 ? -1 : 0;
}

static int
render_range(const struct tmpl *t, size_t ui, size_t from, size_t to,
    const struct ctx *c, enum tmpl_esc esc, struct buf *out, int depth,
    struct err *e)
{
	const struct unit *u = &t->units[ui];
	const struct tmpl_val *v;
	const struct node *nd;
	struct ctx sub;
	size_t i, j;
	int r;

	for (i = from; i < to; i++) {
		nd = &u->nodes[i];
		switch (nd->op) {
		case OP_TEXT:
			if (buf_add(out, u->src + nd->off, nd->len) < 0)
				return rerr(e, u, nd, NULL, NULL);
			break;
		case OP_VAR:
		case OP_RAW:
			v = resolve(c, u->src + nd->off, nd->len);
			if (v == NULL)
				return rerr(e, u, nd,
				    "unknown placeholder", "");
			if (v->type == TMPL_LIST)
				return rerr(e, u, nd,
				    "placeholder", " is a list");
			if (v->type == TMPL_MAP)
				return rerr(e, u, nd,
				    "placeholder", " is a map");
			if (v->type == TMPL_BOOL)
				r = buf_adds(out, v->b ? "true" : "false");
			else if (nd->filt != F_NONE && v->len > 0 &&
			    !(v->len == 3 && memcmp(v->s, "n/a", 3) == 0)) {
				if ((r = filtered(out, v, nd)) > 0)
					return rerr(e, u, nd,
					    "placeholder", " is not a number");
			} else if (nd->op == OP_RAW)
				r = buf_add(out, v->s, v->len);
			else
				r = tmpl_escape(out, v->s, v->len, esc);
			if (r < 0)
				return rerr(e, u, nd, NULL, NULL);
			break;
		case OP_SECTION:
			v = resolve(c, u->src + nd->off, nd->len);
			if (v == NULL)
				return rerr(e, u, nd,
				    "unknown placeholder", "");
			if (v->type == TMPL_LIST) {
				for (j = 0; j < v->n; j++) {
					sub.v = v->items[j];
					sub.up = c;
					if ((r = render_range(t, ui, i + 1,
					    nd->end, &sub, esc, out, depth,
					    e)) != 0)
						return r;
				}
			} else if (tmpl_val_truth(v)) {
				sub.v = v;
				sub.up = c;
				if ((r = render_range(t, ui, i + 1, nd->end,
				    &sub, esc, out, depth, e)) != 0)
					return r;
			}
			i = nd->end - 1;
			break;
		case OP_INVERTED:
			v = resolve(c, u->src + nd->off, nd->len);
			if (!tmpl_val_truth(v) && (r = render_range(t, ui,
			    i + 1, nd->end, c, esc, out, depth, e)) != 0)
				return r;
			i = nd->end - 1;
			break;
		case OP_PARTIAL:
			if (depth >= TMPL_MAX_PARTIAL_DEPTH) {
				err_at(e, u->name, nd->line, NULL);
				return err_set(e, ERR_DATA,
				    "partials nested deeper than %d",
				    TMPL_MAX_PARTIAL_DEPTH);
			}
			if ((r = render_range(t, nd->unit, 0,
			    t->units[nd->unit].nn, c, esc, out, depth + 1,
			    e)) != 0)
				return r;
			break;
		}
	}
	return 0;
}

int
tmpl_render(const struct tmpl *t, const struct tmpl_val *root,
    enum tmpl_esc esc, struct buf *out, struct err *e)
{
	size_t start = out->len;
	struct ctx top;
	int r;

	top.v = root;
	top.up = NULL;
	r = render_range(t, 0, 0, t->units[0].nn, root != NULL ? &top : NULL,
	    esc, out, 0, e);
	if (r != 0) {
		out->len = start;
		if (out->p != NULL)
			out->p[start] = '\0';
	}
	return r;
}
