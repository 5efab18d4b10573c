/*
 * tmpl.h - a small logic-less template engine (Mustache-like)
 *
 * report-render fills the narrative of the project file and the report
 * templates (Markdown, HTML, plain text) from a tree of values built in C.
 *
 * Syntax (tags are delimited by "{{" and "}}"; spaces inside a tag are
 * ignored):
 *   {{name}}          the value of name, escaped for the output format
 *   {{{name}}}        the value as is (no escaping); also {{& name}}
 *   {{a.b.c}}         dotted names: "a" is looked up on the context stack
 *                     (innermost first), "b" and "c" inside what was found
 *   {{.}}             the current item (inside a section over a list)
 *   {{#name}}..{{/name}}  a section: repeated for each item of a list (the
 *                     item pushed on the context stack), once for a map (the
 *                     map pushed), once for true or a non-empty string;
 *                     skipped for false, "" and an empty list
 *   {{^name}}..{{/name}}  inverted section: rendered once when name is
 *                     missing, false, "" or an empty list
 *   {{! comment }}    nothing (may span lines)
 *   {{> name}}        a partial: another template, inserted here and
 *                     rendered with the current context stack
 *   {{name | pct:1}}  a format filter on a variable (also in {{{ }}}):
 *                       num:N  the number with exactly N decimals (0..9);
 *                              "num" alone: shortest form that reads back
 *                       pct:N  the number times 100 (the decimal point
 *                              moved, exactly), N decimals, then "%";
 *                              "pct" alone: up to 6 decimals, zeros trimmed
 *                       int    rounded to an integer (ties to even)
 *                     The value must be a string holding a plain decimal
 *                     ("12", "-0.125"); "n/a" and "" pass through
 *                     unchanged (and are escaped as text).  Numbers are
 *                     formatted with str_fmt_fixed, never printf/locale.
 *                     Filter output (digits, '-', '.', '%') is not escaped.
 *
 * A tag that stands alone on its line (section open or close, inverted,
 * comment, partial, with only spaces or tabs around it) takes the whole
 * line with it, newline included, as in Mustache: a Markdown table row
 * inside {{#rows}} .. {{/rows}} lines comes out without blank lines.
 * Unlike Mustache, the lines of a standalone partial are not re-indented
 * to the column of its tag.  "{{=" (set delimiters) is not supported.
 *
 * Names are made of letters, digits, '_', '-' and bytes >= 0x80 (Chinese
 * keys), dot-separated; or "." alone.
 *
 * Unknown names are errors, never an empty string: a variable or a
 * section whose name is not found fails the render with ERR_DATA
 * "unknown placeholder 'x'" and the template's name and line.  Only an
 * inverted section takes a missing name as false.  A list or a map used
 * as a variable is an error too; true and false render as "true" and
 * "false".
 *
 * Escaping (enum tmpl_esc), applied to {{name}} only:
 *   TMPL_HTML  & < > " ' become &amp; &lt; &gt; &quot; &#39;
 *   TMPL_MD    a backslash before each of \ ` * _ { } [ ] < > ( ) | ~ &
 *              everywhere; before # + - = > at the start of a line
 *              (after spaces only) where they would open a heading,
 *              list, quote or underline; and before . and ) that follow
 *              only digits at the start of a line (ordered list).  The
 *              start of a line is judged on the output written so far.
 *              Newlines are kept; turning them into spaces in table cells
 *              is the caller's job.  "**x**" renders as \*\*x\*\*.
 *   TMPL_TXT, TMPL_NONE  no escaping.
 *
 * Partials are resolved at compile time, each name once (so a partial may
 * include itself, recursion ending on the data), through struct
 * tmpl_partials: a table of named sources, then a lookup callback.  A
 * partial that cannot be found is a compile error at the line of its tag.
 * At render time partials nest at most TMPL_MAX_PARTIAL_DEPTH deep, and
 * sections at most TMPL_MAX_NEST deep in one template (compile error).
 *
 * Errors carry code ERR_DATA, file = the name of the template (or partial)
 * and line (1-based): "unclosed tag", "unclosed section 'x'", "closing tag
 * 'y' does not match section 'x'", "closing tag 'x' without section",
 * "unknown filter 'f'", "bad filter argument", "bad placeholder name",
 * "empty tag", "unknown partial 'p'", "partials nested deeper than 16",
 * "unknown placeholder 'x'", "placeholder 'x' is a list" (or map),
 * "placeholder 'x' is not a number" (a filter on a non-number; the value is
 * never quoted).  Out of memory gives ERR_INTERNAL.
 *
 * Values: a tree of struct tmpl_val (string, list, map, bool), built with
 * the constructors below.  Every node has one owner: tmpl_list_push and
 * tmpl_map_set take the value they are given (and free it when they fail),
 * so calls nest without leaks:
 *     if (tmpl_map_set(m, "name", tmpl_val_str(s)) != 0) -> out of memory
 * tmpl_val_free frees a value and everything under it.  A value must not be
 * put in two places.  All memory comes from mem.h.
 *
 * A compiled template (struct tmpl) owns a copy of its source and of every
 * partial; it may be rendered any number of times, with different data.
 */
#ifndef GRID_TMPL_H
#define GRID_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

#define TMPL_MAX_PARTIAL_DEPTH 16
#define TMPL_MAX_NEST 64

enum tmpl_esc { TMPL_HTML, TMPL_MD, TMPL_TXT, TMPL_NONE };

enum tmpl_type { TMPL_STR, TMPL_LIST, TMPL_MAP, TMPL_BOOL };

struct tmpl_val;
struct tmpl;

/*
 * struct tmpl_partials: where {{> name}} finds its source.  names[i] has
 * the source srcs[i] of length lens[i] (lens may be NULL: strlen); the
 * table is searched first, then lookup (when not NULL), which sets *src
 * and *n and returns 0, or returns -1 when it has no such partial.  The
 * sources are copied while compiling; they need not outlive tmpl_compile.
 */
struct tmpl_partials {
	const char *const *names;
	const char *const *srcs;
	const size_t *lens;
	size_t n;
	int (*lookup)(void *ctx, const char *name, const char **src,
	    size_t *n);
	void *ctx;
};

/*
 * tmpl_compile: parse src[0..n) (the template called name, used in errors)
 * into *t.  partials may be NULL (then any {{> x}} is an error).  Returns 0,
 * or ERR_DATA (syntax, with file and line set) or ERR_INTERNAL; *t is NULL
 * on failure.
 */
int tmpl_compile(struct tmpl **t, const char *src, size_t n,
    const char *name, const struct tmpl_partials *partials, struct err *e);

/*
 * tmpl_render: render t with the context root (usually a map; may be NULL
 * for a template without names) and escaping esc, appending to out.
 * Returns 0, or ERR_DATA (unknown placeholder and the other render errors
 * above) or ERR_INTERNAL; on failure out is cut back to its length on entry.
 */
int tmpl_render(const struct tmpl *t, const struct tmpl_val *root,
    enum tmpl_esc esc, struct buf *out, struct err *e);

/* tmpl_free: free a compiled template; NULL is fine. */
void tmpl_free(struct tmpl *t);

/*
 * tmpl_escape: append s[0..n) to out escaped for esc (the same escaping as
 * {{name}}), judging the start of a line for TMPL_MD on what out holds.
 * Returns 0 or -1 when out of memory (out unchanged).
 */
int tmpl_escape(struct buf *out, const char *s, size_t n, enum tmpl_esc esc);

/* Constructors: a new value, or NULL when out of memory. */
struct tmpl_val *tmpl_val_str(const char *s);		/* copies s */
struct tmpl_val *tmpl_val_strn(const char *s, size_t n);	/* copies n bytes */
struct tmpl_val *tmpl_val_bool(bool b);
struct tmpl_val *tmpl_val_list(void);
struct tmpl_val *tmpl_val_map(void);

/*
 * tmpl_val_num: a string value holding v formatted with str_fmt_fixed and
 * `decimals` decimals (trailing zeros trimmed; decimals < 0: shortest
 * round-trip form); a non-finite v gives "n/a".
 */
struct tmpl_val *tmpl_val_num(double v, int decimals);

/*
 * tmpl_list_push: append v to list.  Takes v in every case: on failure
 * (list NULL or not a list, v NULL, out of memory) v is freed.  0 or -1.
 */
int tmpl_list_push(struct tmpl_val *list, struct tmpl_val *v);

/*
 * tmpl_map_set: set key (copied) to v in map, replacing (and freeing) a
 * value already there; keys keep the order of their first setting.  Takes
 * v in every case as tmpl_list_push does.  0 or -1.
 */
int tmpl_map_set(struct tmpl_val *map, const char *key, struct tmpl_val *v);

/* Accessors; all accept NULL and the wrong type (giving NULL, 0, false). */
enum tmpl_type tmpl_val_type(const struct tmpl_val *v);	/* v not NULL */
const char *tmpl_val_cstr(const struct tmpl_val *v, size_t *n); /* string */
bool tmpl_val_truth(const struct tmpl_val *v);	/* as a section sees it */
size_t tmpl_list_len(const struct tmpl_val *list);
const struct tmpl_val *tmpl_list_get(const struct tmpl_val *list, size_t i);
size_t tmpl_map_len(const struct tmpl_val *map);
const struct tmpl_val *tmpl_map_get(const struct tmpl_val *map,
    const char *key);
/* tmpl_map_get_mut: like tmpl_map_get, for adding under a nested map. */
struct tmpl_val *tmpl_map_get_mut(struct tmpl_val *map, const char *key);

/* tmpl_val_free: free v and everything under it; NULL is fine. */
void tmpl_val_free(struct tmpl_val *v);

#endif
