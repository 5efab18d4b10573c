/* schema.c - record-kind schemas from YAML; see schema.h and grid-schema(5) */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "mem.h"
#include "str.h"
#include "yamlcfg.h"

#define NAME_MAX_LEN 63		/* fits err.field */
#define PATTERN_MAX 256
#define PATTERN_COST_MAX 4096	/* atoms after expanding repetitions */
#define PATTERN_NEST_MAX 32
#define LEN_LIMIT 1000000000L	/* min_len/max_len */
#define VALUES_MAX 4096		/* spellings of one field */

static const char *const type_names[] = {
	"text", "int", "decimal", "date", "datetime", "bool", "enum", "code",
	"lon", "lat", "citizen_id", "phone", "wkt"
};
static const char *const pii_names[] = {
	"keep", "mask", "pseudonymise", "drop"
};
static const char *const crs_names[] = { "wgs84", "gcj02", "bd09" };

static const char *const top_keys[] = { "kind", "pii", "fields", NULL };
static const char *const field_keys[] = {
	"name", "label", "aliases", "type", "required", "values", "pattern",
	"crs", "pii", "min_len", "max_len", "unique", NULL
};
static const char *const alias_keys[] = { "columns", NULL };

/* The spellings every bool field accepts, before its own values. */
static const struct { const char *from, *to; } bool_builtin[] = {
	{ "1", "1" }, { "0", "0" }, { "true", "1" }, { "false", "0" },
	{ "是", "1" }, { "否", "0" }, { "Y", "1" }, { "N", "0" }
};
#define NBUILTIN (sizeof bool_builtin / sizeof bool_builtin[0])

const char *
schema_type_name(enum schema_type t)
{
	if ((size_t)t < sizeof type_names / sizeof type_names[0])
		return type_names[t];
	return "unknown";
}

void
schema_free(struct schema *s)
{
	struct schema_field *f;
	size_t i, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfields; i++) {
		f = &s->fields[i];
		mem_free(f->name);
		mem_free(f->label);
		for (k = 0; k < f->naliases; k++)
			mem_free(f->aliases[k]);
		mem_free(f->aliases);
		for (k = 0; k < f->nvalues; k++) {
			mem_free(f->values[k].from);
			mem_free(f->values[k].to);
		}
		mem_free(f->values);
		if (f->pattern != NULL) {
			regfree(&f->re);
			mem_free(f->pattern);
		}
	}
	mem_free(s->fields);
	mem_free(s->kind);
	mem_free(s->path);
	mem_free(s->pii_alg);
	mem_free(s);
}

long
schema_field_index(const struct schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

static bool
valid_name(const char *s)
{
	size_t i;

	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return i <= NAME_MAX_LEN;
}

/* A canonical enum value: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 63 bytes. */
static bool
valid_token(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (i > 0 && (c == '_' || c == '.' || c == '-'))
			continue;
		return false;
	}
	return i > 0 && i <= NAME_MAX_LEN;
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Compare as grid-import matches header names and spellings: byte for
 * byte, but ASCII letters without regard to case.
 */
static int
fold_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && fold(*x) == fold(*y)) {
		x++;
		y++;
	}
	return fold(*x) - fold(*y);
}

/* The C string a equals s[0..n) but for ASCII case. */
static bool
fold_eq(const char *a, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] == '\0' || fold((unsigned char)a[i]) !=
		    fold((unsigned char)s[i]))
			return false;
	return a[n] == '\0';
}

/* A string that names something (kind, field): read and check it. */
static int
get_name(const struct yamlcfg_node *n, const char *file, const char *key,
    const char **out, struct err *e)
{
	int rc;

	if ((rc = yamlcfg_str(n, file, key, out, e)) != 0)
		return rc;
	if (!valid_name(*out))
		return yamlcfg_error(e, file, n, key,
		    "must match [a-z][a-z0-9_]*, at most 63 bytes");
	return 0;
}

static int
dup_into(char **dst, const char *s, struct err *e)
{
	if ((*dst = mem_strdup(s)) == NULL)
		return err_nomem(e);
	return 0;
}

/* Skip a bracket expression starting at p[0] == '['; return past its ']'. */
static const char *
skip_bracket(const char *p)
{
	char close;

	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != '\0' && *p != ']') {
		if (p[0] == '[' &&
		    (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			close = p[1];
			for (p += 2; *p != '\0' && !(p[0] == close &&
			    p[1] == ']'); p++)
				;
			if (*p == '\0')
				return p;
			p += 2;
		} else
			p++;
	}
	return *p == ']' ? p + 1 : p;
}

/*
 * Parse {m}, {m,} or {m,n} at *pp: set *min to m and return the largest
 * count (m + 1 for {m,}), or -1, leaving *pp alone, if it is not one.
 */
static long
brace_count(const char **pp, long *min)
{
	const char *p = *pp + 1;
	long m = 0, n = -1;

	if (!(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((m = m * 10 + (*p - '0')) > 100000)
			m = 100000;
	if (*p == ',') {
		p++;
		if (*p >= '0' && *p <= '9') {
			for (n = 0; *p >= '0' && *p <= '9'; p++)
				if ((n = n * 10 + (*p - '0')) > 100000)
					n = 100000;
		} else
			n = m + 1;
	}
	if (*p != '}')
		return -1;
	*pp = p + 1;
	*min = m;
	return n > m ? n : m;
}

/* One open group of a pattern, for pattern_check. */
struct pgroup {
	long size;		/* atoms so far, repetitions expanded */
	bool alt_empty;		/* this alternative can match "" yet */
	bool any_empty;		/* an earlier alternative can match "" */
};

/*
 * Refuse patterns that glibc's regcomp takes minutes or gigabytes over.
 * It expands counted repetitions and '+' (x+ is xx*), so
 * ((a{100}){100}){100} builds a million nodes and every '+' on a group
 * doubles it: the size is estimated and bounded.  And it is exponential
 * on a repetition of something that can match the empty string: ()+++++,
 * (a?){1,1000} and (((a*)*)*){16} each take minutes, so that is refused
 * outright (it is never needed: write (a|b)* for (a|b?)+).  Only the shape
 * is looked at; regcomp judges whether the pattern is valid.  Returns
 * NULL, or what is wrong.
 */
static const char *
pattern_check(const char *p)
{
	static const char big[] =
	    "pattern too complex: it expands past 4096 atoms";
	struct pgroup g[PATTERN_NEST_MAX + 1];
	long size, c, min;
	int depth = 0;
	bool empty;

	g[0].size = 0;
	g[0].alt_empty = true;
	g[0].any_empty = false;
	while (*p != '\0') {
		switch (*p) {
		case '(':
			if (depth == PATTERN_NEST_MAX)
				return "pattern nests groups deeper than 32";
			depth++;
			g[depth].size = 0;
			g[depth].alt_empty = true;
			g[depth].any_empty = false;
			p++;
			continue;
		case '|':
			g[depth].any_empty |= g[depth].alt_empty;
			g[depth].alt_empty = true;
			p++;
			continue;
		case '^':
		case '$':
			p++;	/* zero width: leaves alt_empty alone */
			continue;
		case ')':
			p++;
			if (depth == 0) {
				size = 1;
				empty = false;
				break;
			}
			size = g[depth].size > 0 ? g[depth].size : 1;
			empty = g[depth].any_empty || g[depth].alt_empty;
			depth--;
			break;
		case '[':
			p = skip_bracket(p);
			size = 1;
			empty = false;
			break;
		case '\\':
			/* a back-reference may match "" */
			empty = p[1] >= '1' && p[1] <= '9';
			p += p[1] != '\0' ? 2 : 1;
			size = 1;
			break;
		default:
			p++;
			size = 1;
			empty = false;
			break;
		}
		for (;;) {
			if (*p == '*' || *p == '?' || *p == '+') {
				c = *p == '+' ? 2 : 1;
				min = *p == '+';
				p++;
			} else if (*p != '{' || (c = brace_count(&p, &min)) < 0)
				break;
			if (empty)
				return "pattern repeats an expression that can "
				    "match the empty string";
			if (c > 1) {
				if (c > PATTERN_COST_MAX ||
				    size > PATTERN_COST_MAX / c)
					return big;
				size *= c;
			}
			if (min == 0)
				empty = true;
		}
		if ((g[depth].size += size) > PATTERN_COST_MAX)
			return big;
		g[depth].alt_empty &= empty;
	}
	return NULL;
}

static int
compile_pattern(struct schema_field *f, const struct yamlcfg_node *n,
    const char *file, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *pat, *why;
	int rc;

	if ((rc = yamlcfg_str(n, file, "pattern", &pat, e)) != 0)
		return rc;
	if (strlen(pat) > PATTERN_MAX)
		return yamlcfg_error(e, file, n, "pattern",
		    "pattern longer than 256 bytes");
	if ((why = pattern_check(pat)) != NULL)
		return yamlcfg_error(e, file, n, "pattern", why);
	if (buf_printf(&b, "^(%s)$", pat) != 0)
		return err_nomem(e);
	rc = regcomp(&f->re, b.p, REG_EXTENDED | REG_NOSUB);
	buf_free(&b);
	if (rc != 0) {
		if (rc == REG_ESPACE)
			return err_nomem(e);
		return yamlcfg_error(e, file, n, "pattern",
		    "pattern does not compile");
	}
	if ((f->pattern = mem_strdup(pat)) == NULL) {
		regfree(&f->re);
		return err_nomem(e);
	}
	return 0;
}

static int
add_value(struct schema_field *f, size_t *cap, const char *from,
    size_t fromlen, const char *to, struct err *e)
{
	struct schema_value *v;
	size_t ncap;

	if (f->nvalues == *cap) {
		ncap = *cap ? *cap * 2 : 8;
		if ((v = mem_reallocarray(f->values, ncap, sizeof *v)) == NULL)
			return err_nomem(e);
		f->values = v;
		*cap = ncap;
	}
	v = &f->values[f->nvalues];
	if ((v->from = mem_strndup(from, fromlen)) == NULL)
		return err_nomem(e);
	if ((v->to = mem_strdup(to)) == NULL) {
		mem_free(v->from);
		return err_nomem(e);
	}
	f->nvalues++;
	return 0;
}

/* The index of the value whose spelling equals s[0..n) but for case. */
static long
find_value(const struct schema_field *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (fold_eq(f->values[i].from, s, n))
			return (long)i;
	return -1;
}

static int
load_values(struct schema_field *f, const struct yamlcfg_node *m,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *n = yamlcfg_get(m, "values"), *kn, *vn;
	const char *from, *to;
	size_t cap = 0, i, len;
	long k;
	int rc;

	if (f->type == SCHEMA_BOOL)
		for (i = 0; i < NBUILTIN; i++)
			if ((rc = add_value(f, &cap, bool_builtin[i].from,
			    strlen(bool_builtin[i].from), bool_builtin[i].to,
			    e)) != 0)
				return rc;
	if (n == NULL) {
		if (f->type == SCHEMA_ENUM)
			return yamlcfg_error(e, file, m, "values",
			    "an enum field needs values");
		return 0;
	}
	if (n->type != YAMLCFG_MAP)
		return yamlcfg_error(e, file, n, "values",
		    "expected a mapping of spelling to value");
	if (n->n == 0 && f->type == SCHEMA_ENUM)
		return yamlcfg_error(e, file, n, "values",
		    "an enum field needs values");
	if (n->n > VALUES_MAX)
		return yamlcfg_error(e, file, n, "values",
		    "more than 4096 values");
	for (i = 0; i < n->n; i++) {
		kn = n->items[2 * i];
		vn = n->items[2 * i + 1];
		if ((rc = yamlcfg_str(kn, file, "values", &from, e)) != 0 ||
		    (rc = yamlcfg_str(vn, file, "values", &to, e)) != 0)
			return rc;
		len = strlen(from);
		str_trim(&from, &len);
		if (len == 0)
			return yamlcfg_error(e, file, kn, "values",
			    "empty spelling");
		if (f->type == SCHEMA_BOOL) {
			if (strcmp(to, "1") != 0 && strcmp(to, "0") != 0)
				return yamlcfg_error(e, file, vn, "values",
				    "a bool value must map to 1 or 0");
		} else if (!valid_token(to))
			return yamlcfg_error(e, file, vn, "values",
			    "canonical value must match "
			    "[A-Za-z0-9][A-Za-z0-9_.-]*, at most 63 bytes");
		/* spellings are matched without regard to ASCII case */
		if ((k = find_value(f, from, len)) >= 0) {
			if (strcmp(f->values[k].to, to) == 0)
				continue;	/* says nothing new */
			if (f->type == SCHEMA_BOOL && k < (long)NBUILTIN)
				return yamlcfg_error(e, file, kn, "values",
				    "contradicts a built-in bool spelling");
			return yamlcfg_error(e, file, kn, "values",
			    "a spelling that "
			    "differs only in case maps to another value");
		}
		if ((rc = add_value(f, &cap, from, len, to, e)) != 0)
			return rc;
	}
	return 0;
}

/* Append a copy of s (trimmed) to f's aliases; remember its line. */
static int
add_alias(struct schema_field *f, long **lines, size_t *cap, const char *s,
    long line, struct err *e)
{
	char **a;
	long *l;
	size_t n = strlen(s), ncap;

	str_trim(&s, &n);
	if (f->naliases == *cap) {
		ncap = *cap ? *cap * 2 : 8;
		if ((a = mem_reallocarray(f->aliases, ncap, sizeof *a)) == NULL)
			return err_nomem(e);
		f->aliases = a;
		if ((l = mem_reallocarray(*lines, ncap, sizeof *l)) == NULL)
			return err_nomem(e);
		*lines = l;
		*cap = ncap;
	}
	if ((f->aliases[f->naliases] = mem_strndup(s, n)) == NULL)
		return err_nomem(e);
	(*lines)[f->naliases++] = line;
	return 0;
}

static int
load_aliases(struct schema_field *f, const struct yamlcfg_node *n,
    long name_line, long **lines, const char *file, struct err *e)
{
	const char *s;
	size_t cap = 0, i, len;
	int rc;

	if ((rc = add_alias(f, lines, &cap, f->name, name_line, e)) != 0)
		return rc;
	if (n == NULL)
		return 0;
	if (n->type != YAMLCFG_SEQ)
		return yamlcfg_error(e, file, n, "aliases", "expected a list");
	for (i = 0; i < n->n; i++) {
		if ((rc = yamlcfg_str(n->items[i], file, "aliases", &s,
		    e)) != 0)
			return rc;
		len = strlen(s);
		str_trim(&s, &len);
		if (len == 0)
			return yamlcfg_error(e, file, n->items[i], "aliases",
			    "empty alias");
		if ((rc = add_alias(f, lines, &cap, s, n->items[i]->line,
		    e)) != 0)
			return rc;
	}
	return 0;
}

static int
load_len(const struct yamlcfg_node *n, const char *file, const char *key,
    long *out, struct err *e)
{
	long long v;
	int rc;

	if (n == NULL)
		return 0;
	if ((rc = yamlcfg_int(n, file, key, &v, e)) != 0)
		return rc;
	if (v < 0 || v > LEN_LIMIT)
		return yamlcfg_error(e, file, n, key, "out of range");
	*out = (long)v;
	return 0;
}

/* Refuse key k of field map m unless the field's type takes it. */
static int
only_for(const struct yamlcfg_node *m, const char *k, bool ok,
    const struct schema_field *f, const char *file, struct err *e)
{
	const struct yamlcfg_node *n = yamlcfg_get(m, k);

	if (n == NULL || ok)
		return 0;
	err_at(e, file, n->line, k);
	return err_set(e, ERR_DATA, "not allowed for type %s",
	    schema_type_name(f->type));
}

static int
load_field(struct schema_field *f, const struct yamlcfg_node *m,
    long **lines, const char *file, struct err *e)
{
	const struct yamlcfg_node *n;
	const char *s;
	int rc, v = 0;
	bool lonlat, textual, mapped;

	if (m->type != YAMLCFG_MAP)
		return yamlcfg_error(e, file, m, "fields",
		    "expected a mapping per field");
	if ((rc = yamlcfg_check_keys(m, file, field_keys, e)) != 0)
		return rc;
	f->line = m->line;
	if ((n = yamlcfg_get(m, "name")) == NULL)
		return yamlcfg_error(e, file, m, "name", "missing");
	if ((rc = get_name(n, file, "name", &s, e)) != 0)
		return rc;
	if (strcmp(s, "kind") == 0)
		return yamlcfg_error(e, file, n, "name",
		    "the name kind is reserved");
	if ((rc = dup_into(&f->name, s, e)) != 0)
		return rc;
	if ((rc = load_aliases(f, yamlcfg_get(m, "aliases"), n->line, lines,
	    file, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(m, "label")) != NULL) {
		if ((rc = yamlcfg_str(n, file, "label", &s, e)) != 0)
			return rc;
		if (s[0] == '\0')
			return yamlcfg_error(e, file, n, "label",
			    "empty label");
		if ((rc = dup_into(&f->label, s, e)) != 0)
			return rc;
	}
	if ((n = yamlcfg_get(m, "type")) == NULL)
		return yamlcfg_error(e, file, m, "type", "missing");
	if ((rc = yamlcfg_choice(n, file, "type", type_names,
	    sizeof type_names / sizeof type_names[0],
	    "unknown type (see grid-schema(5))", &v, e)) != 0)
		return rc;
	f->type = (enum schema_type)v;
	if ((n = yamlcfg_get(m, "required")) != NULL &&
	    (rc = yamlcfg_bool(n, file, "required", &f->required, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(m, "unique")) != NULL &&
	    (rc = yamlcfg_bool(n, file, "unique", &f->unique, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(m, "pii")) != NULL) {
		if ((rc = yamlcfg_choice(n, file, "pii", pii_names,
		    sizeof pii_names / sizeof pii_names[0],
		    "unknown policy (keep, mask, pseudonymise, drop)", &v,
		    e)) != 0)
			return rc;
		f->pii = (enum schema_pii)v;
	}

	lonlat = f->type == SCHEMA_LON || f->type == SCHEMA_LAT;
	textual = f->type == SCHEMA_TEXT || f->type == SCHEMA_CODE;
	mapped = f->type == SCHEMA_ENUM || f->type == SCHEMA_BOOL;
	if ((rc = only_for(m, "values", mapped, f, file, e)) != 0 ||
	    (rc = only_for(m, "pattern", f->type == SCHEMA_CODE, f, file,
	    e)) != 0 ||
	    (rc = only_for(m, "crs", lonlat, f, file, e)) != 0 ||
	    (rc = only_for(m, "min_len", textual, f, file, e)) != 0 ||
	    (rc = only_for(m, "max_len", textual, f, file, e)) != 0)
		return rc;

	if (mapped && (rc = load_values(f, m, file, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(m, "pattern")) != NULL &&
	    (rc = compile_pattern(f, n, file, e)) != 0)
		return rc;
	f->crs = SCHEMA_CRS_WGS84;
	if ((n = yamlcfg_get(m, "crs")) != NULL) {
		if ((rc = yamlcfg_choice(n, file, "crs", crs_names,
		    sizeof crs_names / sizeof crs_names[0],
		    "unknown coordinate system (wgs84, gcj02, bd09)", &v,
		    e)) != 0)
			return rc;
		f->crs = (enum schema_crs)v;
	}
	if ((rc = load_len(yamlcfg_get(m, "min_len"), file, "min_len",
	    &f->min_len, e)) != 0 ||
	    (rc = load_len(yamlcfg_get(m, "max_len"), file, "max_len",
	    &f->max_len, e)) != 0)
		return rc;
	if (f->max_len > 0 && f->min_len > f->max_len)
		return yamlcfg_error(e, file, yamlcfg_get(m, "min_len"),
		    "min_len",
		    "min_len is greater than max_len");
	return 0;
}

/* One alias, with where it came from, for the uniqueness check. */
struct alias_ref {
	const char *s;
	size_t field, idx;
	long line;
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct alias_ref *x = a, *y = b;
	int c;

	if ((c = fold_cmp(x->s, y->s)) != 0)
		return c;
	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

static bool
ref_before(const struct alias_ref *x, const struct alias_ref *y)
{
	return x->field < y->field || (x->field == y->field && x->idx < y->idx);
}

/*
 * Check that no two fields share an alias (a name is an alias too), then
 * drop the repeats within one field.  lines[i][k] is the line of alias k
 * of field i.  Sorting keeps this n log n for big files.
 */
static int
check_aliases(struct schema *s, long **lines, const char *file,
    struct err *e)
{
	struct alias_ref *refs, *first = NULL, *bad_ref = NULL, *owner = NULL;
	struct schema_field *f;
	char name[YAMLCFG_KEY_MAX];
	size_t i, k, n = 0, w;

	for (i = 0; i < s->nfields; i++)
		n += s->fields[i].naliases;
	if ((refs = mem_reallocarray(NULL, n, sizeof *refs)) == NULL)
		return err_nomem(e);
	for (i = n = 0; i < s->nfields; i++)
		for (k = 0; k < s->fields[i].naliases; k++) {
			refs[n].s = s->fields[i].aliases[k];
			refs[n].field = i;
			refs[n].idx = k;
			refs[n++].line = lines[i][k];
		}
	qsort(refs, n, sizeof *refs, cmp_ref);
	for (i = 0; i < n; i++) {
		if (first == NULL || fold_cmp(first->s, refs[i].s) != 0) {
			first = &refs[i];
			continue;
		}
		if (refs[i].field == first->field) {
			/* a repeat within the field: dropped below */
			mem_free(s->fields[refs[i].field].aliases[refs[i].idx]);
			s->fields[refs[i].field].aliases[refs[i].idx] = NULL;
			continue;
		}
		if (bad_ref == NULL || ref_before(&refs[i], bad_ref)) {
			bad_ref = &refs[i];
			owner = first;
		}
	}
	for (i = 0; i < s->nfields; i++) {
		f = &s->fields[i];
		for (k = w = 0; k < f->naliases; k++)
			if (f->aliases[k] != NULL)
				f->aliases[w++] = f->aliases[k];
		f->naliases = w;
	}
	if (bad_ref != NULL) {
		yamlcfg_key_name(name, bad_ref->s, strlen(bad_ref->s));
		err_at(e, file, bad_ref->line,
		    bad_ref->idx == 0 ? "name" : "aliases");
		if (bad_ref->idx == 0 && owner->idx == 0)
			err_set(e, ERR_DATA, "field %s defined twice", name);
		else
			err_set(e, ERR_DATA,
			    "alias '%s' already belongs to field %s", name,
			    s->fields[owner->field].name);
	}
	mem_free(refs);
	return bad_ref != NULL ? ERR_DATA : 0;
}

/* The index of the first field of type t at or after i, or nfields. */
static size_t
next_of(const struct schema *s, size_t i, enum schema_type t)
{
	while (i < s->nfields && s->fields[i].type != t)
		i++;
	return i;
}

/*
 * Lon and lat fields pair up in order, as grid-import reads them: the k-th
 * lon field with the k-th lat field, which must have the same crs.
 */
static int
check_pairs(const struct schema *s, const char *file, struct err *e)
{
	const struct schema_field *f, *g;
	size_t lon, lat;

	lon = next_of(s, 0, SCHEMA_LON);
	lat = next_of(s, 0, SCHEMA_LAT);
	for (; lon < s->nfields && lat < s->nfields;
	    lon = next_of(s, lon + 1, SCHEMA_LON),
	    lat = next_of(s, lat + 1, SCHEMA_LAT)) {
		if (s->fields[lon].crs == s->fields[lat].crs)
			continue;
		f = &s->fields[lon < lat ? lat : lon];
		g = &s->fields[lon < lat ? lon : lat];
		err_at(e, file, f->line, f->name);
		return err_set(e, ERR_DATA, "%s field and the %s field it "
		    "pairs with (%s) differ in crs",
		    schema_type_name(f->type), schema_type_name(g->type),
		    g->name);
	}
	if (lon < s->nfields || lat < s->nfields) {
		f = &s->fields[lon < s->nfields ? lon : lat];
		err_at(e, file, f->line, f->name);
		return err_set(e, ERR_DATA, "%s field has no %s field to pair "
		    "with", schema_type_name(f->type),
		    f->type == SCHEMA_LON ? "lat" : "lon");
	}
	return 0;
}

static int
build(struct schema *s, const struct yamlcfg_node *root, const char *name,
    struct err *e)
{
	const struct yamlcfg_node *n, *fields;
	const char *str;
	long **lines;
	size_t i;
	int rc;

	if (root == NULL)
		return yamlcfg_error(e, name, NULL, NULL, "empty schema");
	if (root->type != YAMLCFG_MAP)
		return yamlcfg_error(e, name, root, NULL, "expected a mapping");
	if ((rc = yamlcfg_check_keys(root, name, top_keys, e)) != 0)
		return rc;
	if ((n = yamlcfg_get(root, "kind")) == NULL)
		return yamlcfg_error(e, name, root, "kind", "missing");
	if ((rc = get_name(n, name, "kind", &str, e)) != 0 ||
	    (rc = dup_into(&s->kind, str, e)) != 0)
		return rc;
	str = "hmac-sm3";
	if ((n = yamlcfg_get(root, "pii")) != NULL) {
		if ((rc = yamlcfg_str(n, name, "pii", &str, e)) != 0)
			return rc;
		if (strcmp(str, "hmac-sm3") != 0 &&
		    strcmp(str, "hmac-sha256") != 0)
			return yamlcfg_error(e, name, n, "pii",
			    "unknown algorithm (hmac-sm3, hmac-sha256)");
	}
	if ((rc = dup_into(&s->pii_alg, str, e)) != 0)
		return rc;
	if ((fields = yamlcfg_get(root, "fields")) == NULL)
		return yamlcfg_error(e, name, root, "fields", "missing");
	if (fields->type != YAMLCFG_SEQ)
		return yamlcfg_error(e, name, fields, "fields",
		    "expected a list");
	if (fields->n == 0)
		return yamlcfg_error(e, name, fields, "fields", "no fields");
	if ((s->fields = mem_calloc(fields->n, sizeof *s->fields)) == NULL)
		return err_nomem(e);
	s->nfields = fields->n;
	if ((lines = mem_calloc(fields->n, sizeof *lines)) == NULL)
		return err_nomem(e);
	rc = 0;
	for (i = 0; i < fields->n && rc == 0; i++)
		rc = load_field(&s->fields[i], fields->items[i], &lines[i],
		    name, e);
	if (rc == 0)
		rc = check_aliases(s, lines, name, e);
	for (i = 0; i < fields->n; i++)
		mem_free(lines[i]);
	mem_free(lines);
	if (rc == 0)
		rc = check_pairs(s, name, e);
	return rc;
}

int
schema_from_tree(struct schema **sp, const struct yamlcfg_node *root,
    const char *name, struct err *e)
{
	struct schema *s;
	int rc;

	*sp = NULL;
	if ((s = mem_calloc(1, sizeof *s)) == NULL)
		return err_nomem(e);
	if ((s->path = mem_strdup(name)) == NULL) {
		mem_free(s);
		return err_nomem(e);
	}
	if ((rc = build(s, root, name, e)) != 0) {
		schema_free(s);
		return rc;
	}
	*sp = s;
	return 0;
}

int
schema_load(struct schema **sp, const char *path, struct err *e)
{
	struct yamlcfg_node *root;
	int rc;

	*sp = NULL;
	if ((rc = yamlcfg_load_file(&root, path, e)) != 0)
		return rc;
	rc = schema_from_tree(sp, root, path, e);
	yamlcfg_free(root);
	return rc;
}

/* The field that already has alias s, or -1. */
static long
alias_owner(const struct schema *s, const char *a)
{
	size_t i, k;

	for (i = 0; i < s->nfields; i++)
		for (k = 0; k < s->fields[i].naliases; k++)
			if (fold_cmp(s->fields[i].aliases[k], a) == 0)
				return (long)i;
	return -1;
}

/* A column mapping entry checked and ready to add. */
struct pending {
	char *alias;		/* owned, trimmed */
	long field;
};

static int
add_pending(struct schema *s, struct pending *p, size_t np, struct err *e)
{
	struct schema_field *f;
	size_t i, k, extra;
	char **a;

	/* Grow first, so that nothing is added unless all of it fits. */
	for (i = 0; i < s->nfields; i++) {
		f = &s->fields[i];
		for (k = extra = 0; k < np; k++)
			if (p[k].field == (long)i)
				extra++;
		if (extra == 0)
			continue;
		a = mem_reallocarray(f->aliases, f->naliases + extra,
		    sizeof *a);
		if (a == NULL)
			return err_nomem(e);
		f->aliases = a;
	}
	for (k = 0; k < np; k++) {
		f = &s->fields[p[k].field];
		f->aliases[f->naliases++] = p[k].alias;
		p[k].alias = NULL;
	}
	return 0;
}

static int
read_columns(struct schema *s, const struct yamlcfg_node *root,
    const char *path, struct pending *p, size_t *np, struct err *e)
{
	const struct yamlcfg_node *cols, *kn, *vn;
	const char *raw, *fname;
	char name[YAMLCFG_KEY_MAX];
	size_t i, k, len;
	long fi, owner;
	int rc;

	cols = yamlcfg_get(root, "columns");
	for (i = 0; i < cols->n; i++) {
		kn = cols->items[2 * i];
		vn = cols->items[2 * i + 1];
		if ((rc = yamlcfg_str(kn, path, "columns", &raw, e)) != 0 ||
		    (rc = yamlcfg_str(vn, path, "columns", &fname, e)) != 0)
			return rc;
		len = strlen(raw);
		str_trim(&raw, &len);
		if (len == 0)
			return yamlcfg_error(e, path, kn, "columns",
			    "empty column name");
		if ((fi = schema_field_index(s, fname)) < 0) {
			yamlcfg_key_name(name, fname, strlen(fname));
			err_at(e, path, vn->line, "columns");
			return err_set(e, ERR_DATA, "unknown field %s", name);
		}
		if ((p[*np].alias = mem_strndup(raw, len)) == NULL)
			return err_nomem(e);
		p[*np].field = fi;
		(*np)++;
		owner = alias_owner(s, p[*np - 1].alias);
		for (k = 0; k + 1 < *np && owner < 0; k++)
			if (fold_cmp(p[k].alias, p[*np - 1].alias) == 0)
				owner = p[k].field;
		if (owner == fi) {
			/* already an alias of this field: nothing to add */
			mem_free(p[--(*np)].alias);
			continue;
		}
		if (owner >= 0) {
			yamlcfg_key_name(name, raw, len);
			err_at(e, path, kn->line, "columns");
			return err_set(e, ERR_DATA,
			    "column '%s' is already an alias of field %s",
			    name, s->fields[owner].name);
		}
	}
	return 0;
}

int
schema_add_aliases(struct schema *s, const char *path, struct err *e)
{
	struct yamlcfg_node *root;
	const struct yamlcfg_node *cols;
	struct pending *p = NULL;
	size_t i, np = 0;
	int rc;

	if ((rc = yamlcfg_load_file(&root, path, e)) != 0)
		return rc;
	if (root == NULL)
		rc = yamlcfg_error(e, path, NULL, NULL, "empty column mapping");
	else if ((rc = yamlcfg_check_keys(root, path, alias_keys, e)) != 0)
		;
	else if ((cols = yamlcfg_get(root, "columns")) == NULL)
		rc = yamlcfg_error(e, path, root, "columns", "missing");
	else if (cols->type != YAMLCFG_MAP)
		rc = yamlcfg_error(e, path, cols, "columns",
		    "expected a mapping");
	else if (cols->n > 0 &&
	    (p = mem_calloc(cols->n, sizeof *p)) == NULL)
		rc = err_nomem(e);
	else if ((rc = read_columns(s, root, path, p, &np, e)) == 0)
		rc = add_pending(s, p, np, e);
	for (i = 0; i < np; i++)
		mem_free(p[i].alias);
	mem_free(p);
	yamlcfg_free(root);
	return rc;
}

int
schema_set_crs(struct schema *s, const char *name, struct err *e)
{
	enum geo_crs g;
	enum schema_crs crs;
	size_t i, n = 0;

	if (geo_crs_parse(name, &g) != 0)
		return err_set(e, ERR_USAGE, "unknown coordinate system");
	crs = g == GEO_GCJ02 ? SCHEMA_CRS_GCJ02 : g == GEO_BD09 ?
	    SCHEMA_CRS_BD09 : SCHEMA_CRS_WGS84;
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].type == SCHEMA_LON ||
		    s->fields[i].type == SCHEMA_LAT)
			n++;
	if (n == 0)
		return err_set(e, ERR_USAGE, "the schema has no lon and lat "
		    "fields");
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].type == SCHEMA_LON ||
		    s->fields[i].type == SCHEMA_LAT)
			s->fields[i].crs = crs;
	return 0;
}
