/*
 * import.h - raw CSV rows to records of one kind, per a schema
 *
 * The heart of grid-import.  For each input file, import_header maps the
 * file's header row to the schema's fields by alias (ASCII letters compared
 * without case, spaces around a name ignored); then import_row turns each
 * row into the output record: every value checked and normalised by its
 * type (schema.h), lon/lat converted to WGS-84, a unique field's value
 * checked against the values of the rows kept before it (in every file of
 * the run), and the personal-data policy applied (kept, masked, pseudonymised with the key, or dropped).
 *
 * Normal forms, as grid-import(1) tells them.  A decimal is written
 * exactly, in its canonical spelling (str_canon_decimal: "+007.50" gives
 * "7.5"), after a parse that refuses what no double holds; up to 15
 * significant digits that is the shortest round-trip form of the double,
 * which earlier versions wrote for every decimal (they rounded longer
 * values to it).  Lon/lat are parsed once,
 * converted, and written with 7 decimals by str_fmt_fixed (the bytes of
 * str_fmt_double(v, 7)).  A code pattern is matched by a DFA (str_ere_*)
 * when str.h can compile it, else by regexec: the same verdicts.
 *
 * The output header is the same for every file: "kind", then each schema
 * field in schema order but those dropped, then "pii_key" (the key id, see
 * pii_key_id) when any field is pseudonymised.  A field with no column in a
 * file is empty in its records (an error if it is required).
 *
 * Errors, all ERR_DATA with file, line and field name, never the value:
 * from import_header "no column for required field", "two columns map to
 * this field"; from import_row the reason the row is rejected ("not a date",
 * "required field is empty", "coordinates outside China", "duplicate value
 * of a unique field", ...).  A rejected
 * row leaves the importer ready for the next one.
 *
 * Ownership: import_new borrows the schema and key, which must outlive the
 * importer.  The values import_row returns are valid until the next
 * import_row or import_free.
 */
#ifndef GRID_IMPORT_H
#define GRID_IMPORT_H

#include <stddef.h>

#include "err.h"
#include "pii.h"
#include "rec.h"
#include "schema.h"

struct import_opts {
	int tz;				/* offset in minutes for times without one */
	const struct pii_key *key;	/* required when the schema pseudonymises */
};

struct import;

/*
 * import_new: an importer for schema s.  ERR_USAGE when the schema
 * pseudonymises a field and no key is given (message names the field).
 */
int import_new(struct import **ip, const struct schema *s,
    const struct import_opts *o, struct err *e);

/* import_out_header: the output header (owned by the importer). */
const struct rec_header *import_out_header(const struct import *im);

/*
 * import_header: map the header row of a new file.  file names the file in
 * errors.  Columns no alias matches are listed by import_unmapped until the
 * next import_header.
 */
int import_header(struct import *im, const char *file, size_t n,
    const char *const *names, const size_t *lens, struct err *e);

/* import_unmapped: number of unmapped columns; *names gets them. */
size_t import_unmapped(const struct import *im, const char *const **names);

/*
 * import_row: convert one row (n fields) read at file:line.  On success *v
 * and *len get the output values (import_out_header's order).
 */
int import_row(struct import *im, const char *file, long line, size_t n,
    const char *const *f, const size_t *lens, const char *const **v,
    const size_t **len, struct err *e);

void import_free(struct import *im);

#endif
