/*
 * fuzz_tmpl.c - libFuzzer target for lib/tmpl
 *
 * The first byte picks the escaping (HTML, Markdown, text, none); the rest
 * is a template, compiled with two fixed partials and rendered against a
 * small fixed data tree.  Nothing may crash or leak (mem_live back to where
 * it started), a failed call must leave a clean error (ERR_DATA with a
 * line, or ERR_INTERNAL) and no output, and no error message may hold a
 * data value (the tree carries a canary).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "mem.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CANARY "CANARY110101199003070011"

static struct tmpl_val *
tree(void)
{
	struct tmpl_val *m, *l, *g, *k;
	int i;

	if ((m = tmpl_val_map()) == NULL)
		return NULL;
	if (tmpl_map_set(m, "name", tmpl_val_str(CANARY " <b>&**x**")) ||
	    tmpl_map_set(m, "rate", tmpl_val_str("0.8765")) ||
	    tmpl_map_set(m, "big", tmpl_val_str("-1e5")) ||
	    tmpl_map_set(m, "na", tmpl_val_str("n/a")) ||
	    tmpl_map_set(m, "yes", tmpl_val_bool(true)) ||
	    tmpl_map_set(m, "no", tmpl_val_bool(false)) ||
	    tmpl_map_set(m, "grids", l = tmpl_val_list()))
		goto fail;
	for (i = 0; i < 3; i++)
		if (tmpl_list_push(l, g = tmpl_val_map()) ||
		    tmpl_map_set(g, "code", tmpl_val_num(i, 0)) ||
		    tmpl_map_set(g, "v", tmpl_val_num(i / 3.0, 4)) ||
		    tmpl_map_set(g, "kids", k = tmpl_val_list()) ||
		    tmpl_list_push(k, tmpl_val_map()))
			goto fail;
	return m;
fail:
	tmpl_val_free(m);
	return NULL;
}

/* s[0..n) holds the C string pat. */
static bool
has(const uint8_t *s, size_t n, const char *pat)
{
	size_t i, k = strlen(pat);

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, pat, k) == 0)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "row", "self" };
	static const char *const srcs[] = {
		"{{code}}|{{v | pct:1}}\n",
		"{{#kids}}{{> self}}{{/kids}}x"
	};
	struct tmpl_partials p = { names, srcs, NULL, 2, NULL, NULL };
	struct buf out = BUF_INIT;
	struct tmpl_val *d;
	struct tmpl *t = NULL;
	struct err e;
	long live = mem_live();
	enum tmpl_esc esc;
	int r;

	if (size < 1)
		return 0;
	esc = (enum tmpl_esc)(data[0] % 4);
	err_clear(&e);
	if ((d = tree()) == NULL)
		abort();
	r = tmpl_compile(&t, (const char *)data + 1, size - 1, "fuzz", &p, &e);
	if (r != 0) {
		if (t != NULL || e.code != ERR_DATA || e.line < 1)
			abort();
	} else {
		if (buf_adds(&out, "pre") != 0)
			abort();
		r = tmpl_render(t, d, esc, &out, &e);
		if (r != 0 && (e.code != ERR_DATA || e.line < 1 ||
		    out.len != 3))
			abort();
		/* escaped data stays escaped unless the template asks */
		if (r == 0 && esc == TMPL_HTML &&
		    strstr(out.p, CANARY " <b>") != NULL &&
		    !has(data + 1, size - 1, "CANARY") &&
		    !has(data + 1, size - 1, "{{{") &&
		    !has(data + 1, size - 1, "{{&"))
			abort();
		tmpl_free(t);
	}
	if (strstr(e.msg, "CANARY") != NULL &&
	    !has(data + 1, size - 1, "CANARY"))
		abort();
	buf_free(&out);
	tmpl_val_free(d);
	if (mem_live() != live)
		abort();
	return 0;
}
