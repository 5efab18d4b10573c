/* yamlcfg.c - YAML configuration files as a tree; see yamlcfg.h */
#include "yamlcfg.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "mem.h"
#include "str.h"

/* An open sequence or mapping while the tree is built. */
struct frame {
	struct yamlcfg_node *node;
	size_t count;		/* items so far (map: keys and values) */
	size_t cap;		/* room in node->items */
};

struct builder {
	struct yamlcfg_node *root;
	struct frame stack[YAMLCFG_MAX_DEPTH];
	int depth;
	long nodes;
	int docs;
	const char *name;
	struct err *e;
};

void
yamlcfg_key_name(char out[YAMLCFG_KEY_MAX], const char *s, size_t n)
{
	size_t i, max = YAMLCFG_KEY_MAX - 4, k;
	bool cut = false;

	if (n > max) {
		n = str_utf8_prefix(s, max);
		cut = true;
	} else
		n = str_utf8_prefix(s, n);
	for (i = k = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[k++] = c < 0x20 || c == 0x7f || c == '\'' ? '?' : (char)c;
	}
	if (cut) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

static void
node_free(struct yamlcfg_node *nd)
{
	size_t i, count;

	if (nd == NULL)
		return;
	if (nd->type == YAMLCFG_SCALAR)
		mem_free(nd->str);
	else {
		count = nd->type == YAMLCFG_MAP ? 2 * nd->n : nd->n;
		for (i = 0; i < count; i++)
			node_free(nd->items[i]);
		mem_free(nd->items);
	}
	mem_free(nd);
}

void
yamlcfg_free(struct yamlcfg_node *root)
{
	node_free(root);
}

static int
fail(struct builder *b, long line, const char *msg, const char *key)
{
	err_at(b->e, b->name, line, NULL);
	if (key != NULL)
		return err_set(b->e, ERR_DATA, "%s '%s'", msg, key);
	return err_set(b->e, ERR_DATA, "%s", msg);
}

/*
 * Free what was built so far.  Every node is reachable from the root as
 * soon as it is made; an open mapping may hold a key still waiting for its
 * value, beyond its n pairs.
 */
static void
discard(struct builder *b)
{
	struct frame *f;
	int i;

	for (i = 0; i < b->depth; i++) {
		f = &b->stack[i];
		if (f->node->type == YAMLCFG_MAP && f->count % 2 == 1)
			node_free(f->node->items[f->count - 1]);
	}
	node_free(b->root);
	b->root = NULL;
	b->depth = 0;
}

/* Attach nd under the innermost open container (or as the root). */
static int
attach(struct builder *b, struct yamlcfg_node *nd)
{
	struct frame *f;
	struct yamlcfg_node **items;
	size_t cap;
	long line;

	if (b->depth == 0) {
		b->root = nd;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->type == YAMLCFG_MAP && f->count % 2 == 0 &&
	    nd->type != YAMLCFG_SCALAR) {
		line = nd->line;
		node_free(nd);
		return fail(b, line, "keys must be scalars", NULL);
	}
	if (f->count == f->cap) {
		cap = f->cap ? f->cap * 2 : 4;
		items = mem_reallocarray(f->node->items, cap, sizeof *items);
		if (items == NULL) {
			node_free(nd);
			return err_nomem(b->e);
		}
		f->node->items = items;
		f->cap = cap;
	}
	f->node->items[f->count++] = nd;
	f->node->n = f->node->type == YAMLCFG_MAP ? f->count / 2 : f->count;
	return 0;
}

static int
new_node(struct builder *b, enum yamlcfg_type type, const yaml_mark_t *m,
    struct yamlcfg_node **out)
{
	struct yamlcfg_node *nd;

	if (b->nodes >= YAMLCFG_MAX_NODES)
		return fail(b, (long)m->line + 1, "more than 1000000 nodes",
		    NULL);
	if ((nd = mem_calloc(1, sizeof *nd)) == NULL)
		return err_nomem(b->e);
	b->nodes++;
	nd->type = type;
	nd->line = (long)m->line + 1;
	nd->col = (long)m->column + 1;
	*out = nd;
	return 0;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct yamlcfg_node *x = *(const struct yamlcfg_node *const *)a;
	const struct yamlcfg_node *y = *(const struct yamlcfg_node *const *)b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if ((c = memcmp(x->str, y->str, x->len)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Refuse a mapping with a key twice; name the first repeat in file order. */
static int
check_dups(struct builder *b, const struct yamlcfg_node *map)
{
	const struct yamlcfg_node **keys, *dup = NULL;
	char name[YAMLCFG_KEY_MAX];
	size_t i;

	if (map->n < 2)
		return 0;
	if ((keys = mem_reallocarray(NULL, map->n, sizeof *keys)) == NULL)
		return err_nomem(b->e);
	for (i = 0; i < map->n; i++)
		keys[i] = map->items[2 * i];
	qsort(keys, map->n, sizeof *keys, cmp_key);
	for (i = 1; i < map->n; i++) {
		if (keys[i]->len != keys[i - 1]->len ||
		    memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) != 0)
			continue;
		if (dup == NULL || keys[i]->line < dup->line ||
		    (keys[i]->line == dup->line && keys[i]->col < dup->col))
			dup = keys[i];
	}
	mem_free(keys);
	if (dup == NULL)
		return 0;
	yamlcfg_key_name(name, dup->str, dup->len);
	return fail(b, dup->line, "duplicate key", name);
}

/* Refuse what this module does not support on a node's start event. */
static int
check_props(struct builder *b, const yaml_mark_t *m,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor != NULL)
		return fail(b, (long)m->line + 1,
		    "anchors are not supported", NULL);
	if (tag != NULL)
		return fail(b, (long)m->line + 1, "tags are not supported",
		    NULL);
	return 0;
}

static int
on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct yamlcfg_node *nd;
	int rc;

	if ((rc = check_props(b, &ev->start_mark, ev->data.scalar.anchor,
	    ev->data.scalar.tag)) != 0)
		return rc;
	if ((rc = new_node(b, YAMLCFG_SCALAR, &ev->start_mark, &nd)) != 0)
		return rc;
	nd->len = ev->data.scalar.length;
	nd->quoted = ev->data.scalar.plain_implicit == 0;
	if ((nd->str = mem_strndup((const char *)ev->data.scalar.value,
	    nd->len)) == NULL) {
		node_free(nd);
		return err_nomem(b->e);
	}
	return attach(b, nd);
}

static int
on_start(struct builder *b, const yaml_event_t *ev, enum yamlcfg_type type)
{
	struct yamlcfg_node *nd;
	const yaml_char_t *anchor, *tag;
	struct frame *f;
	int rc;

	if (type == YAMLCFG_MAP) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	}
	if ((rc = check_props(b, &ev->start_mark, anchor, tag)) != 0)
		return rc;
	if (b->depth >= YAMLCFG_MAX_DEPTH)
		return fail(b, (long)ev->start_mark.line + 1,
		    "nesting deeper than 64 levels", NULL);
	if ((rc = new_node(b, type, &ev->start_mark, &nd)) != 0)
		return rc;
	if ((rc = attach(b, nd)) != 0)
		return rc;
	f = &b->stack[b->depth++];
	f->node = nd;
	f->count = f->cap = 0;
	return 0;
}

static int
on_end(struct builder *b)
{
	struct yamlcfg_node *nd;

	if (b->depth == 0)
		return err_set(b->e, ERR_INTERNAL, "unbalanced yaml events");
	nd = b->stack[--b->depth].node;
	if (nd->type == YAMLCFG_MAP)
		return check_dups(b, nd);
	return 0;
}

/* Line of a byte offset, for reader errors that carry no mark. */
static long
offset_line(const char *buf, size_t n, size_t off)
{
	long line = 1;
	size_t i;

	if (off > n)
		off = n;
	for (i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

static int
syntax_error(struct builder *b, const yaml_parser_t *p, const char *buf,
    size_t n)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	long line;

	if (p->error == YAML_MEMORY_ERROR)
		return err_nomem(b->e);
	if (p->error == YAML_READER_ERROR)
		line = offset_line(buf, n, p->problem_offset);
	else
		line = (long)p->problem_mark.line + 1;
	err_at(b->e, b->name, line, NULL);
	if (p->context != NULL)
		return err_set(b->e, ERR_DATA, "yaml syntax error: %s (%s)",
		    problem, p->context);
	return err_set(b->e, ERR_DATA, "yaml syntax error: %s", problem);
}

static int
on_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1)
			return fail(b, (long)ev->start_mark.line + 1,
			    "more than one document", NULL);
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(b, (long)ev->start_mark.line + 1,
		    "aliases are not supported", NULL);
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, YAMLCFG_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, YAMLCFG_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b);
	default:
		return 0;
	}
}

int
yamlcfg_load_string(struct yamlcfg_node **root, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct builder b;
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, rc = 0;

	*root = NULL;
	memset(&b, 0, sizeof b);
	b.name = name;
	b.e = e;
	if (!yaml_parser_initialize(&p))
		return err_nomem(e);
	if (buf == NULL) {
		buf = "";
		n = 0;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, n);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(&b, &p, buf, n);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc != 0) {
		discard(&b);
		return rc;
	}
	/* A bare "---" is an empty document, as is a file of comments. */
	if (b.root != NULL && b.root->type == YAMLCFG_SCALAR &&
	    b.root->len == 0 && !b.root->quoted) {
		node_free(b.root);
		b.root = NULL;
	}
	*root = b.root;
	return 0;
}

int
yamlcfg_load_file(struct yamlcfg_node **root, const char *path,
    struct err *e)
{
	struct buf data = BUF_INIT;
	struct stat st;
	char chunk[16384];
	size_t got;
	FILE *fp;
	int rc, saved;

	*root = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		saved = errno;
		err_at(e, path, 0, NULL);
		return err_errno(e, ERR_NOINPUT, saved, "cannot open");
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		err_at(e, path, 0, NULL);
		return err_errno(e, ERR_NOINPUT, EISDIR, "cannot open");
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&data, chunk, got) != 0) {
			fclose(fp);
			buf_free(&data);
			err_at(e, path, 0, NULL);
			return err_nomem(e);
		}
	if (ferror(fp)) {
		saved = errno;
		fclose(fp);
		buf_free(&data);
		err_at(e, path, 0, NULL);
		return err_errno(e, ERR_IO, saved, "cannot read");
	}
	fclose(fp);
	rc = yamlcfg_load_string(root, data.p, data.len, path, e);
	buf_free(&data);
	return rc;
}

const struct yamlcfg_node *
yamlcfg_get(const struct yamlcfg_node *map, const char *key)
{
	const struct yamlcfg_node *k;
	size_t i;

	if (map == NULL || map->type != YAMLCFG_MAP)
		return NULL;
	for (i = 0; i < map->n; i++) {
		k = map->items[2 * i];
		if (str_eq(k->str, k->len, key))
			return map->items[2 * i + 1];
	}
	return NULL;
}

static int
bad(const struct yamlcfg_node *n, const char *file, const char *what,
    struct err *e, const char *msg)
{
	err_at(e, file, n ? n->line : 0, what);
	return err_set(e, ERR_DATA, "%s", msg);
}

/* A plain scalar, or an error; for the typed accessors. */
static int
plain(const struct yamlcfg_node *n, const char *file, const char *what,
    struct err *e, const char *msg)
{
	if (n == NULL)
		return bad(n, file, what, e, "missing");
	if (n->type != YAMLCFG_SCALAR || n->quoted)
		return bad(n, file, what, e, msg);
	return 0;
}

int
yamlcfg_str(const struct yamlcfg_node *n, const char *file, const char *what,
    const char **out, struct err *e)
{
	if (n == NULL)
		return bad(n, file, what, e, "missing");
	if (n->type != YAMLCFG_SCALAR)
		return bad(n, file, what, e, "expected a string");
	if (strlen(n->str) != n->len)
		return bad(n, file, what, e, "contains a NUL byte");
	*out = n->str;
	return 0;
}

int
yamlcfg_bool(const struct yamlcfg_node *n, const char *file, const char *what,
    bool *out, struct err *e)
{
	static const char msg[] = "expected true or false";
	int rc;

	if ((rc = plain(n, file, what, e, msg)) != 0)
		return rc;
	if (str_eq(n->str, n->len, "true"))
		*out = true;
	else if (str_eq(n->str, n->len, "false"))
		*out = false;
	else
		return bad(n, file, what, e, msg);
	return 0;
}

int
yamlcfg_int(const struct yamlcfg_node *n, const char *file, const char *what,
    long long *out, struct err *e)
{
	static const char msg[] = "expected an integer";
	long long v;
	int rc;

	if ((rc = plain(n, file, what, e, msg)) != 0)
		return rc;
	if (str_parse_int(n->str, n->len, &v) != 0)
		return bad(n, file, what, e, msg);
	*out = v;
	return 0;
}

int
yamlcfg_double(const struct yamlcfg_node *n, const char *file,
    const char *what, double *out, struct err *e)
{
	static const char msg[] = "expected a decimal number";
	double v;
	int rc;

	if ((rc = plain(n, file, what, e, msg)) != 0)
		return rc;
	if (str_parse_decimal(n->str, n->len, &v) != 0)
		return bad(n, file, what, e, msg);
	*out = v;
	return 0;
}

int
yamlcfg_check_keys(const struct yamlcfg_node *map, const char *file,
    const char *const *allowed, struct err *e)
{
	const struct yamlcfg_node *k;
	const char *const *a;
	char name[YAMLCFG_KEY_MAX];
	size_t i;

	if (map == NULL || map->type != YAMLCFG_MAP)
		return bad(map, file, NULL, e, "expected a mapping");
	for (i = 0; i < map->n; i++) {
		k = map->items[2 * i];
		for (a = allowed; *a != NULL; a++)
			if (str_eq(k->str, k->len, *a))
				break;
		if (*a == NULL) {
			yamlcfg_key_name(name, k->str, k->len);
			err_at(e, file, k->line, NULL);
			return err_set(e, ERR_DATA, "unknown key '%s'", name);
		}
	}
	return 0;
}

int
yamlcfg_error(struct err *e, const char *file, const struct yamlcfg_node *n,
    const char *key, const char *msg)
{
	return bad(n, file, key, e, msg);
}

int
yamlcfg_need(const struct yamlcfg_node *map, const char *file,
    const char *key, const struct yamlcfg_node **out, struct err *e)
{
	if ((*out = yamlcfg_get(map, key)) == NULL)
		return bad(map, file, key, e, "missing");
	return 0;
}

int
yamlcfg_need_seq(const struct yamlcfg_node *n, const char *file,
    const char *key, struct err *e)
{
	if (n->type != YAMLCFG_SEQ)
		return bad(n, file, key, e, "expected a sequence");
	return 0;
}

int
yamlcfg_choice(const struct yamlcfg_node *n, const char *file,
    const char *key, const char *const *names, size_t count,
    const char *msg, int *out, struct err *e)
{
	const char *s;
	size_t i;
	int rc;

	if ((rc = yamlcfg_str(n, file, key, &s, e)) != 0)
		return rc;
	for (i = 0; i < count; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	return bad(n, file, key, e, msg);
}
