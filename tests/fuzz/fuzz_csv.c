/*
 * fuzz_csv.c - libFuzzer target for lib/csvin.c
 *
 * The input bytes are read as CSV from memory with each encoding option
 * (auto, utf-8, gb18030), delimiter guessed and given, default and tiny
 * size limits, until the end or a fatal error.  Checked for every row: the
 * fields are NUL-terminated at lens[i] and hold no NUL, raw is non-empty,
 * rows start on strictly increasing lines that do not overlap, a good row
 * is valid UTF-8 throughout, raw_utf8 tells the truth, and a bad row says
 * where it is.  Nothing may leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "mem.h"
#include "str.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void
run(const char *s, size_t n, const struct csvin_opts *o)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	long next = 1, rows = 0;
	size_t i, limit;
	int rc;

	err_clear(&e);
	CHECK(csvin_open_mem(&c, s, n, "fuzz", o, &e) == 0);
	CHECK(csvin_encoding(c) != CSVIN_AUTO);
	for (;;) {
		rc = csvin_read(c, &row, &e);
		if (rc == 0)
			break;
		CHECK(rc == 1 || rc == ERR_DATA);
		CHECK(++rows <= (long)n + 1);
		CHECK(row.line >= next);
		CHECK(row.nlines >= 1);
		CHECK(row.raw != NULL && row.rawlen > 0);
		CHECK(row.raw_utf8 == str_utf8_valid(row.raw, row.rawlen));
		next = row.line + row.nlines;
		limit = o->max_row ? o->max_row : 4u << 20;
		if (rc == ERR_DATA) {
			CHECK(row.nfields == 0);
			CHECK(e.code == ERR_DATA && e.line == row.line);
			CHECK(strcmp(e.file, "fuzz") == 0);
			continue;
		}
		CHECK(row.raw_utf8);
		CHECK(csvin_delim(c) != 0);
		CHECK(row.nfields >= 1);
		for (i = 0; i < row.nfields; i++) {
			CHECK(row.fields[i][row.lens[i]] == '\0');
			CHECK(strlen(row.fields[i]) == row.lens[i]);
			CHECK(str_utf8_valid(row.fields[i], row.lens[i]));
			CHECK(row.lens[i] <= (o->max_field ? o->max_field :
			    1u << 20));
			CHECK(row.lens[i] <= row.rawlen);
		}
		if (csvin_encoding(c) == CSVIN_UTF8)
			CHECK(row.rawlen <= limit);
	}
	CHECK(csvin_read(c, &row, &e) == 0);
	CHECK(csvin_bytes(c) == n);
	csvin_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csvin_enc encs[] = {
		CSVIN_AUTO, CSVIN_UTF8, CSVIN_GB18030
	};
	const char *s = (const char *)data;
	struct csvin_opts o;
	long live = mem_live();
	size_t i;

	for (i = 0; i < sizeof encs / sizeof encs[0]; i++) {
		memset(&o, 0, sizeof o);
		o.enc = encs[i];
		run(s, size, &o);
		o.delim = ';';
		o.max_field = 8;
		o.max_row = 32;
		run(s, size, &o);
		o.delim = '\t';
		o.max_field = 1;
		o.max_row = 1;
		run(s, size, &o);
	}
	CHECK(mem_live() == live);
	return 0;
}
