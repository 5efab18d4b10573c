/*
 * fuzz_import - the CSV importer: csvin and import together, as grid-import
 * runs them, over a schema with one field of every type.
 *
 * Any input: rows are imported or rejected, never a crash; every output
 * value is valid UTF-8 without NUL; a rejected row has a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "import.h"
#include "pii.h"
#include "schema.h"
#include "str.h"
#include "yamlcfg.h"

static const char schema_text[] =
"kind: resident\n"
"fields:\n"
"  - {name: rid, aliases: [编号], type: code, pattern: '[A-Z][0-9]{1,5}', required: true}\n"
"  - {name: name, aliases: [姓名], type: text, pii: pseudonymise}\n"
"  - {name: shown, aliases: [显示名], type: text, pii: mask}\n"
"  - {name: citizen_id, aliases: [身份证号], type: citizen_id, pii: mask}\n"
"  - {name: phone, aliases: [电话], type: phone, pii: mask}\n"
"  - {name: secret, aliases: [备注], type: text, pii: drop}\n"
"  - {name: sex, aliases: [性别], type: enum, values: {男: m, 女: f}}\n"
"  - {name: born, aliases: [出生日期], type: date}\n"
"  - {name: seen, aliases: [时间], type: datetime}\n"
"  - {name: members, aliases: [人数], type: int}\n"
"  - {name: area, aliases: [面积], type: decimal}\n"
"  - {name: owner, aliases: [户主], type: bool}\n"
"  - {name: lon, aliases: [经度], type: lon, crs: bd09}\n"
"  - {name: lat, aliases: [纬度], type: lat, crs: bd09}\n"
"  - {name: wkt, aliases: [范围], type: wkt}\n";

static struct schema *schema;
static struct pii_key *key;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct yamlcfg_node *root;
	char path[] = "/tmp/fuzz_importXXXXXX";
	struct err e;
	int fd;

	(void)argc;
	(void)argv;
	if (yamlcfg_load_string(&root, schema_text, sizeof schema_text - 1,
	    "t.yaml", &e) != 0 || schema_from_tree(&schema, root, "t.yaml", &e))
		abort();
	yamlcfg_free(root);
	if ((fd = mkstemp(path)) < 0 ||
	    write(fd, "fuzz-key-0123456789abcdef\n", 26) != 26)
		abort();
	close(fd);
	if (pii_key_load(&key, path, &e) != 0)
		abort();
	unlink(path);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvin_opts co = { 0, CSVIN_AUTO, 4096, 65536, false };
	struct import_opts io = { 480, key };
	const struct rec_header *h;
	const char *const *v;
	const size_t *len;
	struct import *im;
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	size_t i;
	int rc;

	if (import_new(&im, schema, &io, &e) != 0)
		abort();
	h = import_out_header(im);
	if (csvin_open_mem(&c, (const char *)data, size, "fuzz", &co, &e) != 0) {
		import_free(im);
		return 0;
	}
	rc = csvin_read(c, &row, &e);
	if (rc == 1 && import_header(im, "fuzz", row.nfields, row.fields,
	    row.lens, &e) == 0) {
		while ((rc = csvin_read(c, &row, &e)) != 0) {
			if (rc == ERR_DATA)
				continue;
			if (rc != 1)
				break;
			rc = import_row(im, "fuzz", row.line, row.nfields,
			    row.fields, row.lens, &v, &len, &e);
			if (rc == ERR_DATA) {
				if (e.msg[0] == '\0')
					abort();
				continue;
			}
			if (rc != 0)
				abort();
			for (i = 0; i < h->n; i++)
				if (!str_utf8_valid(v[i], len[i]) ||
				    memchr(v[i], '\0', len[i]) != NULL)
					abort();
		}
	}
	csvin_close(c);
	import_free(im);
	return 0;
}
