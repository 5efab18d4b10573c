/*
 * yamlcfg.h - YAML configuration files as a small tree with line numbers
 *
 * Every configuration file of gridkit (schemas, routing, indicators, the
 * project file) is YAML read through this module.  It parses with libyaml's
 * event API, builds a tree of scalars, sequences and mappings that remembers
 * the 1-based line and column of every node, and hands the tree back only
 * once the whole stream parsed: libyaml emits events before it finds a
 * syntax error, so nothing is returned for a file that is not well-formed.
 *
 * No typing is done while loading: every scalar stays text, and the caller
 * asks for a string, boolean, integer or decimal with the accessors below.
 * Only `true` and `false` are booleans; YAML 1.1's yes/no/on/off/y/n are
 * strings (so the country code NO stays "NO").  Numbers are plain decimals,
 * read the same way in every locale.
 *
 * Refused, as ERR_DATA with the line in the err: anchors and aliases, tags
 * (`!!str`, `!foo`, `!`), duplicate keys in a mapping, keys that are not
 * scalars, nesting deeper than YAMLCFG_MAX_DEPTH containers, more than
 * YAMLCFG_MAX_NODES nodes, and more than one document.  Messages quote
 * keys (configuration, never personal data) but never scalar values.
 *
 * Ownership: a loaded tree belongs to the caller and is freed whole by
 * yamlcfg_free; the accessors return pointers into it, valid until then.
 * All memory of the tree comes from mem.h (libyaml's own working memory
 * does not).
 */
#ifndef GRID_YAMLCFG_H
#define GRID_YAMLCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define YAMLCFG_MAX_DEPTH 64		/* nested sequences and mappings */
#define YAMLCFG_MAX_NODES 1000000L	/* nodes in one file */

enum yamlcfg_type { YAMLCFG_SCALAR, YAMLCFG_SEQ, YAMLCFG_MAP };

struct yamlcfg_node {
	enum yamlcfg_type type;
	long line, col;		/* 1-based start of the node */
	char *str;		/* scalar: text, NUL-terminated; else NULL */
	size_t len;		/* scalar: bytes in str (may hold a NUL) */
	bool quoted;		/* scalar not plain: '..', "..", | or > */
	size_t n;		/* seq: items; map: pairs */
	struct yamlcfg_node **items;	/* seq: n nodes; map: 2n nodes, key
					 * then value, in file order */
};

/*
 * yamlcfg_load_string: parse buf[0..n) (UTF-8, or UTF-16 with a BOM) and
 * set *root to the tree of its one document; buf may be NULL when n is 0.
 * name is the file name put in errors.  A stream with no document, or
 * whose document is empty (only comments, or a bare `---`), gives
 * *root = NULL and returns 0.  An empty plain value elsewhere (`key:`) is
 * a scalar with len 0, not quoted.
 * Returns 0, ERR_DATA (syntax error with libyaml's description and the
 * line it found it on, or one of the refusals above), or ERR_INTERNAL
 * (out of memory).  On error *root is NULL.
 */
int yamlcfg_load_string(struct yamlcfg_node **root, const char *buf,
    size_t n, const char *name, struct err *e);

/*
 * yamlcfg_load_file: read the file at path whole and parse it as
 * yamlcfg_load_string does, with path as the name in errors.  Also
 * ERR_NOINPUT when the file cannot be opened (or is a directory) and
 * ERR_IO when reading it fails.
 */
int yamlcfg_load_file(struct yamlcfg_node **root, const char *path,
    struct err *e);

/* yamlcfg_free: free a tree from yamlcfg_load_*; NULL is fine. */
void yamlcfg_free(struct yamlcfg_node *root);

/*
 * yamlcfg_get: the value of key in map, or NULL when key is absent or map
 * is NULL or not a mapping.  Keys are compared byte for byte.  Linear in
 * the size of the map.
 */
const struct yamlcfg_node *yamlcfg_get(const struct yamlcfg_node *map,
    const char *key);

/*
 * The accessors below read one scalar.  file is the file name and what the
 * key (or other name) the value belongs to; both go into the err's
 * location with the node's line.  n may be NULL (a yamlcfg_get that found
 * nothing): that is ERR_DATA "missing", with line 0.  Each returns 0 and
 * sets *out, or ERR_DATA and leaves *out alone.
 */

/*
 * yamlcfg_str: the text of a scalar, quoted or not.  A plain empty value
 * gives "".  Refused: a sequence or mapping, a scalar holding a NUL byte
 * (it would be cut short as a C string).  *out points into the tree.
 */
int yamlcfg_str(const struct yamlcfg_node *n, const char *file,
    const char *what, const char **out, struct err *e);

/* yamlcfg_bool: a plain `true` or `false`; nothing else (not yes/no/1/0). */
int yamlcfg_bool(const struct yamlcfg_node *n, const char *file,
    const char *what, bool *out, struct err *e);

/* yamlcfg_int: a plain integer: optional sign and 1 to 18 decimal digits. */
int yamlcfg_int(const struct yamlcfg_node *n, const char *file,
    const char *what, long long *out, struct err *e);

/*
 * yamlcfg_double: a plain decimal as str_parse_decimal reads it: optional
 * sign, digits, optional point and digits; no exponent, no inf or nan.
 */
int yamlcfg_double(const struct yamlcfg_node *n, const char *file,
    const char *what, double *out, struct err *e);

/*
 * yamlcfg_check_keys: check that map is a mapping whose every key is in
 * allowed (a NULL-terminated array).  Returns 0, or ERR_DATA naming the
 * first unknown key in file order, at its line, so that a misspelt key
 * does not silently change what a file means.  map NULL or not a mapping
 * is ERR_DATA "expected a mapping" (at its line).
 */
int yamlcfg_check_keys(const struct yamlcfg_node *map, const char *file,
    const char *const *allowed, struct err *e);

/*
 * yamlcfg_key_name: a printable copy of a key for messages, into out
 * (size >= YAMLCFG_KEY_MAX): control bytes and quotes become '?', and a
 * long key is cut at a character boundary and ends in "...".
 */
#define YAMLCFG_KEY_MAX 64
void yamlcfg_key_name(char out[YAMLCFG_KEY_MAX], const char *s, size_t n);

/*
 * For the loaders of configuration files built on this module (schema,
 * calendar, routing ...):
 * yamlcfg_error: ERR_DATA with msg at node n's line (0 when n is NULL),
 * about key; returns ERR_DATA.
 * yamlcfg_need: the value of a required key of map into *out, or
 * "missing" reported at the map's line.
 * yamlcfg_need_seq: n is a sequence, or "expected a sequence".
 */
int yamlcfg_error(struct err *e, const char *file,
    const struct yamlcfg_node *n, const char *key, const char *msg);
int yamlcfg_need(const struct yamlcfg_node *map, const char *file,
    const char *key, const struct yamlcfg_node **out, struct err *e);
int yamlcfg_need_seq(const struct yamlcfg_node *n, const char *file,
    const char *key, struct err *e);

/* yamlcfg_choice: the index of the scalar n's text in names[0..count) into
 * *out, or ERR_DATA msg (or yamlcfg_str's error) about key. */
int yamlcfg_choice(const struct yamlcfg_node *n, const char *file,
    const char *key, const char *const *names, size_t count,
    const char *msg, int *out, struct err *e);

#endif
