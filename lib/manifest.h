/*
 * manifest.h - the audit trail: one line per program run
 *
 * When GRID_MANIFEST=FILE is set or --manifest FILE is given, each program
 * appends one record to FILE (a grid-records(5) file of kind "manifest"; the
 * header is written when the file is empty):
 *
 *     kind  program  version  args  inputs  configs  outputs  rejects
 *
 * args is the command line after the program name, words joined by spaces,
 * single-quoted where needed.  Keys never appear on a command line (they come
 * from files), so args holds no secret.  inputs, configs, outputs and
 * rejects are lists of entries separated by ';', each entry
 * "sha256:records:path" (records empty for configuration files; in path '%',
 * ';' and control characters are written %XX).  An auditor checks the chain
 * raw file → report by matching each stage's input sha256 with the previous
 * stage's output sha256.  There is no time stamp: the same run gives the same
 * line.
 *
 * Ownership: manifest_new returns an owned manifest, freed by manifest_free.
 * Errors: ERR_INTERNAL (memory), ERR_IO (cannot open or append to the file).
 */
#ifndef GRID_MANIFEST_H
#define GRID_MANIFEST_H

#include "buf.h"
#include "err.h"

enum manifest_role {
	MANIFEST_INPUT, MANIFEST_CONFIG, MANIFEST_OUTPUT, MANIFEST_REJECTS
};

struct manifest;

int manifest_new(struct manifest **mp, const char *prog, const char *version,
    int argc, char *const *argv, struct err *e);

/* manifest_add: one file; records < 0 leaves the count empty. */
int manifest_add(struct manifest *m, enum manifest_role role,
    const char *path, const char *sha256, long long records, struct err *e);

/* manifest_line: the record line (header not included), LF-terminated. */
int manifest_line(const struct manifest *m, struct buf *b, struct err *e);

/* manifest_append: append the line to path (O_APPEND, one write). */
int manifest_append(const struct manifest *m, const char *path,
    struct err *e);

void manifest_free(struct manifest *m);

#endif
