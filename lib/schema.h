/*
 * schema.h - the schema of one record kind, loaded from schemas/<kind>.yaml
 *
 * A schema says which fields a record kind has, in output order, and for
 * each field: its canonical name, Chinese label, the raw CSV header names
 * that map to it (aliases, Chinese and English), its type, whether it is
 * required, the value map of enums and booleans, the pattern of codes, the
 * source coordinate system of lon/lat, and its personal-data policy.  The
 * file format is the manual page grid-schema(5).
 *
 * Ownership: schema_load returns an owned struct schema; every string and
 * array in it belongs to it and is freed by schema_free.  Memory from mem.h.
 *
 * Errors: schema_load returns ERR_NOINPUT when the file cannot be opened,
 * ERR_DATA for anything wrong in it (with file, line and key in the err),
 * ERR_INTERNAL when out of memory.
 */
#ifndef GRID_SCHEMA_H
#define GRID_SCHEMA_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum schema_type {
	SCHEMA_TEXT,		/* any UTF-8 text */
	SCHEMA_INT,		/* optional sign and digits */
	SCHEMA_DECIMAL,		/* plain decimal, "." point */
	SCHEMA_DATE,		/* YYYY-MM-DD */
	SCHEMA_DATETIME,	/* YYYY-MM-DDTHH:MM:SS+hh:mm */
	SCHEMA_BOOL,		/* 1 / 0 */
	SCHEMA_ENUM,		/* one of the canonical values of the map */
	SCHEMA_CODE,		/* text matching pattern, leading zeros kept */
	SCHEMA_LON,		/* longitude, WGS-84 decimal degrees */
	SCHEMA_LAT,		/* latitude, WGS-84 decimal degrees */
	SCHEMA_CITIZEN_ID,	/* GB 11643 citizen ID number, 18 characters */
	SCHEMA_PHONE,		/* mobile or landline number */
	SCHEMA_WKT		/* WKT geometry text, kept as given */
};

enum schema_pii {
	SCHEMA_PII_KEEP,	/* the value as normalised */
	SCHEMA_PII_MASK,	/* a display mask: 138****1234, surname + "*" */
	SCHEMA_PII_PSEUDO,	/* keyed HMAC pseudonym, lowercase hex */
	SCHEMA_PII_DROP		/* the field is left out of the output */
};

enum schema_crs { SCHEMA_CRS_WGS84, SCHEMA_CRS_GCJ02, SCHEMA_CRS_BD09 };

/* One pair of a value map: a raw spelling and its canonical value. */
struct schema_value {
	char *from;		/* raw spelling, e.g. "男", "是", "male" */
	char *to;		/* canonical value, e.g. "m", "1" */
};

struct schema_field {
	char *name;		/* canonical name, [a-z][a-z0-9_]* */
	char *label;		/* Chinese label, may be NULL */
	char **aliases;		/* raw header names, compared after trimming,
				 * ASCII letters without case; aliases[0] is always name, and
				 * no two fields share an alias */
	size_t naliases;
	enum schema_type type;
	bool required;		/* an empty value is a data error */
	bool unique;		/* a value seen before in the run is a data error */
	struct schema_value *values;	/* enum and bool maps (bool: to "1"/"0",
					 * the built-in spellings first) */
	size_t nvalues;
	char *pattern;		/* code: POSIX ERE, matched whole; NULL = any */
	regex_t re;		/* compiled pattern, when pattern != NULL */
	enum schema_crs crs;	/* lon/lat: source coordinate system */
	enum schema_pii pii;	/* policy for this field */
	long min_len, max_len;	/* text/code length limits in bytes; 0 = none */
	long line;		/* line of the field in the schema file */
};

struct schema {
	char *kind;		/* record kind, e.g. "event" */
	char *path;		/* file it was loaded from */
	char *pii_alg;		/* "hmac-sm3" (default) or "hmac-sha256" */
	struct schema_field *fields;	/* in output order */
	size_t nfields;
};

/*
 * schema_load: read and check a schema file.  Checks: kind and every name
 * is [a-z][a-z0-9_]*; names unique and not "kind"; aliases unique across
 * fields; type, pii and crs known; patterns compile; enums have values; a
 * lon field has a lat field with the same crs and vice versa (they pair
 * in order: the k-th lon field with the k-th lat field); unknown keys
 * are errors (a typo must not silently change meaning).
 *
 * Aliases and value spellings are trimmed and compared as grid-import
 * matches them, ASCII letters without regard to case: two fields may not
 * share an alias in that sense, and two spellings may not map to
 * different values.  Within one field, an alias repeated (or equal to the
 * name) is kept once.
 *
 * Also refused: a key that does not apply to the field's type (values
 * outside enum/bool, pattern outside code, crs outside lon/lat,
 * min_len/max_len outside text/code); a bool value mapped to anything but
 * 1 or 0; an enum value whose canonical form is not
 * [A-Za-z0-9][A-Za-z0-9_.-]* of at most 63 bytes; more than 4096 values in
 * one field; a pattern longer than 256 bytes, one that regcomp would
 * expand past 4096 atoms (counted repetitions and '+' copy what they
 * repeat), one that repeats something that can match the empty string
 * (glibc's regcomp is exponential on it), or one that nests groups deeper
 * than 32.
 */
int schema_load(struct schema **sp, const char *path, struct err *e);

/*
 * schema_from_tree: the same checks on a tree already loaded by yamlcfg
 * (root may be NULL: an empty file, ERR_DATA); name is the file name for
 * errors and s->path.  The tree is only borrowed.  For the fuzzer, and for
 * a program that embeds a schema in a larger file.
 */
struct yamlcfg_node;
int schema_from_tree(struct schema **sp, const struct yamlcfg_node *root,
    const char *name, struct err *e);

/*
 * schema_add_aliases: read a column mapping file (YAML: a mapping "columns"
 * of raw header name to canonical field name) and add each raw name as an
 * alias of its field.  An unknown field name, or a raw name that is already
 * an alias of another field, is ERR_DATA.  A raw name already an alias of
 * the same field is fine.  All or nothing: on any error s is unchanged.
 * Errors as schema_load.
 */
int schema_add_aliases(struct schema *s, const char *path, struct err *e);

/*
 * schema_set_crs: the source coordinate system of every lon and lat field,
 * for an export that differs from what the schema says (a Baidu-map app's
 * BD-09 where the schema expects GCJ-02).  name: "wgs84", "gcj02" or
 * "bd09" (as geo_crs_parse reads them).  ERR_USAGE "unknown coordinate
 * system" or "the schema has no lon and lat fields"; s unchanged then.
 */
int schema_set_crs(struct schema *s, const char *name, struct err *e);

/* schema_field_index: index of the field named name, or -1. */
long schema_field_index(const struct schema *s, const char *name);

/* schema_free: free s and everything in it; NULL is fine. */
void schema_free(struct schema *s);

/* schema_type_name: "text", "int", ... for messages and docs. */
const char *schema_type_name(enum schema_type t);

#endif
