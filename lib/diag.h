/*
 * diag.h - diagnostics shaped as DESIGN §3 says, for cmd/ to print
 *
 *     prog: file:line: field 'x': what is wrong
 *     prog: cannot open 'x.csv': No such file or directory
 *
 * The library fills a struct err (err.h); a program hands it to diag_format
 * or diag_report with its name.  Parts that are unknown are left out.  The
 * message itself never carries a data value (err.h), so a diagnostic never
 * shows personal data.
 *
 * diag_report writes to the stream the caller passes (cmd/ passes stderr):
 * the library decides the shape, the program decides to print.
 */
#ifndef GRID_DIAG_H
#define GRID_DIAG_H

#include <stdio.h>

#include "buf.h"
#include "err.h"

/* diag_format: append the diagnostic line (with LF) for e to b; 0 or -1. */
int diag_format(struct buf *b, const char *prog, const struct err *e);

/* diag_report: write the diagnostic line for e to fp in one write. */
void diag_report(FILE *fp, const char *prog, const struct err *e);

/* diag_status: the exit status for e's code (70 for an unknown code). */
int diag_status(const struct err *e);

#endif
