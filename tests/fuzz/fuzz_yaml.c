/*
 * fuzz_yaml.c - libFuzzer target for lib/yamlcfg and lib/schema
 *
 * Bytes go to yamlcfg_load_string; when they load, every accessor is tried
 * on every node, and the tree is read as a schema too (schema_from_tree).
 * Nothing may crash, leak (mem_live back to where it started) or put a
 * scalar value into an error message.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "schema.h"
#include "yamlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const struct yamlcfg_node *n, int depth)
{
	static const char *const allowed[] = { "kind", "fields", NULL };
	struct err e;
	const char *s;
	long long i;
	double d;
	bool b;
	size_t k;

	if (depth > YAMLCFG_MAX_DEPTH + 1)
		abort();
	err_clear(&e);
	if (n->type == YAMLCFG_SCALAR) {
		if (n->str == NULL || n->str[n->len] != '\0')
			abort();
		(void)yamlcfg_str(n, "f", "k", &s, &e);
		(void)yamlcfg_bool(n, "f", "k", &b, &e);
		(void)yamlcfg_int(n, "f", "k", &i, &e);
		(void)yamlcfg_double(n, "f", "k", &d, &e);
		return;
	}
	if (n->str != NULL || n->line < 1 || n->col < 1)
		abort();
	(void)yamlcfg_check_keys(n, "f", allowed, &e);
	if (n->type == YAMLCFG_MAP) {
		for (k = 0; k < n->n; k++) {
			if (n->items[2 * k]->type != YAMLCFG_SCALAR)
				abort();
			(void)yamlcfg_get(n, n->items[2 * k]->str);
			walk(n->items[2 * k + 1], depth + 1);
		}
	} else
		for (k = 0; k < n->n; k++)
			walk(n->items[k], depth + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yamlcfg_node *root = NULL;
	struct schema *s = NULL;
	struct err e;
	long live = mem_live();
	size_t k;

	err_clear(&e);
	if (yamlcfg_load_string(&root, (const char *)data, size, "fuzz.yaml",
	    &e) != 0) {
		if (root != NULL || e.code == ERR_OK)
			abort();
	} else {
		if (root != NULL)
			walk(root, 1);
		err_clear(&e);
		if (schema_from_tree(&s, root, "fuzz.yaml", &e) == 0) {
			if (s == NULL || s->nfields == 0)
				abort();
			for (k = 0; k < s->nfields; k++)
				if (schema_field_index(s, s->fields[k].name) !=
				    (long)k)
					abort();
			schema_free(s);
		} else if (s != NULL || e.code != ERR_DATA)
			abort();
		yamlcfg_free(root);
	}
	if (mem_live() != live)
		abort();
	return 0;
}
