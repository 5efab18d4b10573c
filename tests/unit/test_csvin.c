/* test_csvin.c - unit tests for lib/csvin.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvin.h"
#include "mem.h"
#include "str.h"

/*
 * Rows are rendered one per line into out[]: "line/nlines:f1|f2" for a
 * row (LF and CR in a field shown as \n and \r, a field over 40 bytes as
 * <N bytes>), "line/nlines!message" for a bad row.
 */
static char out[4 << 20];
static size_t outlen;

static void
add(const char *s, size_t n)
{
	assert_true(outlen + n < sizeof out);
	memcpy(out + outlen, s, n);
	outlen += n;
	out[outlen] = '\0';
}

static void addf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
addf(const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	add(tmp, (size_t)n);
}

static void
addfield(const char *s, size_t n)
{
	size_t i;

	if (n > 40) {
		addf("<%zu bytes>", n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			add("\\n", 2);
		else if (s[i] == '\r')
			add("\\r", 2);
		else
			add(s + i, 1);
	}
}

/* Read every row of c into out[]; returns 0 at the end or a fatal code. */
static int
render(struct csvin *c)
{
	struct csvin_row row;
	struct err e;
	long last = 0;
	size_t i;
	int rc;

	outlen = 0;
	out[0] = '\0';
	for (;;) {
		err_clear(&e);
		rc = csvin_read(c, &row, &e);
		if (rc == 1) {
			assert_true(row.line > last);
			assert_true(row.nlines >= 1);
			assert_true(row.rawlen > 0);
			assert_true(row.raw_utf8);
			last = row.line;
			addf("%ld/%ld:", row.line, row.nlines);
			for (i = 0; i < row.nfields; i++) {
				assert_int_equal(row.fields[i][row.lens[i]], 0);
				assert_true(str_utf8_valid(row.fields[i],
				    row.lens[i]));
				if (i > 0)
					add("|", 1);
				addfield(row.fields[i], row.lens[i]);
			}
			add("\n", 1);
		} else if (rc == ERR_DATA) {
			assert_true(row.line > last);
			assert_int_equal(e.line, row.line);
			assert_string_equal(e.file, csvin_name(c));
			assert_true(row.rawlen > 0);
			assert_int_equal(row.nfields, 0);
			assert_int_equal(row.raw_utf8,
			    str_utf8_valid(row.raw, row.rawlen));
			last = row.line;
			addf("%ld/%ld!%s\n", row.line, row.nlines, e.msg);
		} else {
			if (rc == 0)	/* the end stays the end */
				assert_int_equal(csvin_read(c, &row, &e), 0);
			return rc;
		}
	}
}

static int
mem_rows(const char *s, size_t n, const struct csvin_opts *o)
{
	struct csvin *c;
	struct err e;
	long live = mem_live();
	int rc;

	err_clear(&e);
	assert_int_equal(csvin_open_mem(&c, s, n, "t.csv", o, &e), 0);
	rc = render(c);
	csvin_close(c);
	assert_int_equal(mem_live(), live);
	return rc;
}

#define ROWS(lit, o) mem_rows((lit), sizeof(lit) - 1, (o))

static void
check(const char *in, const struct csvin_opts *o, const char *want)
{
	assert_int_equal(mem_rows(in, strlen(in), o), 0);
	assert_string_equal(out, want);
}

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *
tmp_file(const char *s, size_t n)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/test_csvin_XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	write_file(path, s, n);
	return path;
}

static int
file_rows(const char *path, const struct csvin_opts *o, enum csvin_enc *enc)
{
	struct csvin *c;
	struct err e;
	long live = mem_live();
	int rc;

	err_clear(&e);
	assert_int_equal(csvin_open(&c, path, o, &e), 0);
	if (enc != NULL)
		*enc = csvin_encoding(c);
	rc = render(c);
	csvin_close(c);
	assert_int_equal(mem_live(), live);
	return rc;
}

static void
test_plain(void **state)
{
	(void)state;
	check("a,b,c\n1,2,3\n", NULL, "1/1:a|b|c\n2/1:1|2|3\n");
	check("a,,\n,\n", NULL, "1/1:a||\n2/1:|\n");
	check("h\n", NULL, "1/1:h\n");		/* header only */
}

static void
test_quoted(void **state)
{
	static const char in[] =
	    "\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",x\n"
	    "\"c\r\nd\",y\r\n"
	    "next,\"\"\n";
	struct csvin *c;
	struct csvin_row row;
	struct err e;

	(void)state;
	check(in, NULL,
	    "1/2:a,b|say \"hi\"|l1\\nl2|x\n"
	    "3/2:c\\r\\nd|y\n"
	    "5/1:next|\n");

	assert_int_equal(csvin_open_mem(&c, in, sizeof in - 1, NULL, NULL,
	    &e), 0);
	assert_string_equal(csvin_name(c), "-");
	assert_int_equal(csvin_read(c, &row, &e), 1);
	assert_int_equal(row.rawlen, 29);
	assert_memory_equal(row.raw, in, 29);
	assert_int_equal(csvin_read(c, &row, &e), 1);
	assert_int_equal(row.rawlen, 10);
	assert_memory_equal(row.raw, "\"c\r\nd\",y\r\n", 10);
	assert_int_equal(row.lens[0], 4);
	csvin_close(c);

	/* A quoted field ending right before the line end, CRLF or not. */
	check("\"a\"\r\n\"b\"\n\"c\"", NULL, "1/1:a\n2/1:b\n3/1:c\n");
	/* Doubled quote at the end of a line inside a quoted field. */
	check("\"a\"\"\nb\",c\n", NULL, "1/2:a\"\\nb|c\n");
	/* A bare CR inside a line is data. */
	check("a\rb,c\n", NULL, "1/1:a\\rb|c\n");
	check("a\r,b\r\nc\r\n\"d\r\"\r\n", NULL,
	    "1/1:a\\r|b\n2/1:c\n3/1:d\\r\n");
	check("\"a\"\rb,c\nd\n", NULL, "1/1!quoting error\n2/1:d\n");
	check("\"a\r\nb\"\r,c\n", NULL, "1/2!quoting error\n");
}

static void
test_spaces_blank_crlf(void **state)
{
	(void)state;
	check(" x , y ,\" z \"\n", NULL, "1/1: x | y | z \n");
	check("a\tb\n", &(struct csvin_opts){ .delim = '\t' },
	    "1/1:a|b\n");
	check(" a\t b \n", &(struct csvin_opts){ .delim = '\t' },
	    "1/1: a| b \n");
	check("a\n\nb\n\r\n\nc\n\n", NULL, "1/1:a\n3/1:b\n6/1:c\n");
	check("\n\n", NULL, "");
	check("\r", NULL, "");
	check("a,b\r\nc,d\r\n", NULL, "1/1:a|b\n2/1:c|d\n");
	check("a,b\r\n\r\nc,d\r", NULL, "1/1:a|b\n3/1:c|d\n");
	check("a,\"b\r\"\r\n", NULL, "1/1:a|b\\r\n");
}

static void
test_bom_eof(void **state)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	static const char in[] = "\xef\xbb\xbfh1,h2\r\n1,2";

	(void)state;
	check(in, NULL, "1/1:h1|h2\n2/1:1|2\n");
	check(in, &(struct csvin_opts){ .enc = CSVIN_UTF8 },
	    "1/1:h1|h2\n2/1:1|2\n");
	check("\xef\xbb\xbf", NULL, "");
	check("\xef\xbb\xbf\n", NULL, "");
	/* BOM and invalid UTF-8 later: still UTF-8, with a bad row. */
	check("\xef\xbb\xbf" "a\nb\xd0\xd5\nc\n", NULL,
	    "1/1:a\n2/1!invalid UTF-8\n3/1:c\n");
	check("a,b\nc,d", NULL, "1/1:a|b\n2/1:c|d\n");
	check("a,\"b\"", NULL, "1/1:a|b\n");
	check("a,\"b\r\n\"", NULL, "1/2:a|b\\r\\n\n");

	assert_int_equal(csvin_open_mem(&c, in, sizeof in - 1, "x", NULL, &e),
	    0);
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	assert_int_equal(csvin_read(c, &row, &e), 1);
	assert_int_equal(row.rawlen, 7);	/* BOM dropped, CRLF kept */
	assert_memory_equal(row.raw, "h1,h2\r\n", 7);
	assert_int_equal(csvin_bytes(c), sizeof in - 1);
	assert_int_equal(csvin_size(c), sizeof in - 1);
	csvin_close(c);
}

static int
delim_of(const char *in, int given)
{
	struct csvin_opts o = { .delim = given };
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	int d;

	assert_int_equal(csvin_open_mem(&c, in, strlen(in), "d", &o, &e), 0);
	assert_int_equal(csvin_delim(c), given);
	assert_int_equal(csvin_read(c, &row, &e), 1);
	d = csvin_delim(c);
	csvin_close(c);
	return d;
}

static void
test_delim(void **state)
{
	(void)state;
	check("a;b,c\n", &(struct csvin_opts){ .delim = ';' }, "1/1:a|b,c\n");
	check("a;b;c\n1;\"2;x\";3\n", NULL, "1/1:a|b|c\n2/1:1|2;x|3\n");
	check("a\tb\n1\t2\n", NULL, "1/1:a|b\n2/1:1|2\n");
	check("\n\na\tb,c\tx\n", NULL, "3/1:a|b,c|x\n");
	assert_int_equal(delim_of("a;b;c\n", 0), ';');
	assert_int_equal(delim_of("a\tb;c\td\n", 0), '\t');
	assert_int_equal(delim_of("a,b;c\n", 0), ',');		/* tie */
	assert_int_equal(delim_of("a;b\tc\n", 0), ';');		/* tie */
	assert_int_equal(delim_of("x\n", 0), ',');		/* none */
	assert_int_equal(delim_of("\"a;b;c\",d\n", 0), ',');	/* quoted */
	assert_int_equal(delim_of("a,b,c\n", ';'), ';');
}

/* 姓名,电话 / 张三,13800000000 / 𠀀 (4 bytes) / € in GB18030. */
static const char gb[] =
    "\xd0\xd5\xc3\xfb,\xb5\xe7\xbb\xb0\r\n"
    "\xd5\xc5\xc8\xfd,13800000000\r\n"
    "\x95\x32\x82\x36\n"
    "\"\xa2\xe3\n\xa2\xe3\"\n";

static void
test_gb18030(void **state)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	char *path;

	(void)state;
	check(gb, NULL,
	    "1/1:姓名|电话\n2/1:张三|13800000000\n3/1:𠀀\n4/2:€\\n€\n");
	check(gb, &(struct csvin_opts){ .enc = CSVIN_GB18030 },
	    "1/1:姓名|电话\n2/1:张三|13800000000\n3/1:𠀀\n4/2:€\\n€\n");

	assert_int_equal(csvin_open_mem(&c, gb, sizeof gb - 1, "g", NULL, &e),
	    0);
	assert_int_equal(csvin_encoding(c), CSVIN_GB18030);
	assert_int_equal(csvin_read(c, &row, &e), 1);
	assert_string_equal(row.raw, "姓名,电话\r\n");
	assert_true(row.raw_utf8);
	csvin_close(c);

	path = tmp_file(gb, sizeof gb - 1);
	{
		enum csvin_enc enc;

		assert_int_equal(file_rows(path, NULL, &enc), 0);
		assert_int_equal(enc, CSVIN_GB18030);
		assert_string_equal(out, "1/1:姓名|电话\n2/1:张三|13800000000\n"
		    "3/1:𠀀\n4/2:€\\n€\n");
	}
	unlink(path);

	/* Bytes GB18030 cannot decode: a bad row, raw as read. */
	{
		static const char bad[] = "a,b\n\xd0\xd5,\x80x\nc,\xff\nd\n";

		check(bad, NULL, "1/1:a|b\n2/1!invalid GB18030\n"
		    "3/1!invalid GB18030\n4/1:d\n");
		assert_int_equal(csvin_open_mem(&c, bad, sizeof bad - 1, "g",
		    NULL, &e), 0);
		assert_int_equal(csvin_read(c, &row, &e), 1);
		assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
		assert_string_equal(e.msg, "invalid GB18030");
		assert_int_equal(row.rawlen, 6);
		assert_memory_equal(row.raw, "\xd0\xd5,\x80x\n", 6);
		assert_false(row.raw_utf8);
		csvin_close(c);
	}
	/* Inside a multi-line row: the whole row as read, then resync. */
	check("\"\xd0\xd5\n\xa2\",x\nok\n", &(struct csvin_opts){
	    .enc = CSVIN_GB18030 }, "1/2!invalid GB18030\n3/1:ok\n");
}

static void
test_utf8(void **state)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	static const char u[] = "名字,x\n李四,1\n";

	(void)state;
	assert_int_equal(csvin_open_mem(&c, u, sizeof u - 1, "u", NULL, &e),
	    0);
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	csvin_close(c);
	check(u, NULL, "1/1:名字|x\n2/1:李四|1\n");

	/* GB18030 bytes read as UTF-8: bad rows, raw as read, go on. */
	check(gb, &(struct csvin_opts){ .enc = CSVIN_UTF8 },
	    "1/1!invalid UTF-8\n2/1!invalid UTF-8\n3/1!invalid UTF-8\n"
	    "4/1!invalid UTF-8\n5/1!invalid UTF-8\n");
	assert_int_equal(csvin_open_mem(&c, gb, sizeof gb - 1, "u",
	    &(struct csvin_opts){ .enc = CSVIN_UTF8 }, &e), 0);
	assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
	assert_false(row.raw_utf8);
	assert_int_equal(row.rawlen, 11);
	assert_memory_equal(row.raw, gb, 11);
	assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
	assert_int_equal(row.line, 2);
	csvin_close(c);

	/* Overlong, surrogate, truncated sequences. */
	check("\xc0\xaf\n\xed\xa0\x80\nok\n\xe5\x90", &(struct csvin_opts){
	    .enc = CSVIN_UTF8 }, "1/1!invalid UTF-8\n2/1!invalid UTF-8\n"
	    "3/1:ok\n4/1!invalid UTF-8\n");
}

static void
test_bad_rows(void **state)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;

	(void)state;
	/* NUL */
	assert_int_equal(ROWS("a,b\nc\0d,e\nf,g\n", NULL), 0);
	assert_string_equal(out, "1/1:a|b\n2/1!NUL byte in row\n3/1:f|g\n");
	assert_int_equal(ROWS("\"a\n\0\"\nb\n", NULL), 0);
	assert_string_equal(out, "1/2!NUL byte in row\n3/1:b\n");

	/* Quoting errors, then good rows. */
	check("a,b\"c,d\ne,f\n", NULL, "1/1!quoting error\n2/1:e|f\n");
	check("\"a\"x,b\ne\n", NULL, "1/1!quoting error\n2/1:e\n");
	check("\"a\" ,b\ne\n", NULL, "1/1!quoting error\n2/1:e\n");
	check("x, \"a\"\ne\n", NULL, "1/1!quoting error\n2/1:e\n");
	check("\"a\nb\"c\nd\n", NULL, "1/2!quoting error\n3/1:d\n");
	check("a\"\n", NULL, "1/1!quoting error\n");

	/* Unterminated quote at the end of the input. */
	check("a,b\n\"c,d\ne,f\n", NULL, "1/1:a|b\n2/2!unterminated quoted field\n");
	check("a,\"b", NULL, "1/1!unterminated quoted field\n");
	check("a,\"b\r", NULL, "1/1!unterminated quoted field\n");
	assert_int_equal(csvin_open_mem(&c, "x\n\"c,d\ne\n", 9, "q", NULL,
	    &e), 0);
	assert_int_equal(csvin_read(c, &row, &e), 1);
	assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
	assert_string_equal(e.msg, "unterminated quoted field");
	assert_string_equal(e.file, "q");
	assert_int_equal(e.line, 2);
	assert_int_equal(row.nlines, 2);
	assert_int_equal(row.rawlen, 7);
	assert_memory_equal(row.raw, "\"c,d\ne\n", 7);
	assert_int_equal(csvin_read(c, &row, &e), 0);
	csvin_close(c);
}

static void
test_limits(void **state)
{
	size_t mib = 1024 * 1024, n;
	char *big, *path;
	struct csvin_opts o = { .max_row = 16 };

	(void)state;
	/* Field limit: 1 MiB passes, 1 MiB + 1 does not; the next row does. */
	big = malloc(2 * mib + 64);
	assert_non_null(big);
	n = 0;
	memcpy(big, "a,", 2);
	n = 2;
	memset(big + n, 'x', mib);
	n += mib;
	memcpy(big + n, ",b\n\"", 4);
	n += 4;
	memset(big + n, 'y', mib + 1);
	n += mib + 1;
	memcpy(big + n, "\",c\nnext\n", 9);
	n += 9;
	assert_int_equal(mem_rows(big, n, NULL), 0);
	assert_string_equal(out, "1/1:a|<1048576 bytes>|b\n"
	    "2/1!field longer than 1048576 bytes\n3/1:next\n");

	/* The same from a file: lines longer than the read chunk. */
	path = tmp_file(big, n);
	assert_int_equal(file_rows(path, NULL, NULL), 0);
	assert_string_equal(out, "1/1:a|<1048576 bytes>|b\n"
	    "2/1!field longer than 1048576 bytes\n3/1:next\n");
	assert_int_equal(file_rows(path, &(struct csvin_opts){
	    .max_field = 10, .max_row = mib + 5 }, NULL), 0);
	assert_string_equal(out, "1/1!field longer than 10 bytes\n"
	    "2/1!row longer than 1048581 bytes\n3/1:next\n");
	unlink(path);

	check("ab,cdefg", &(struct csvin_opts){ .max_field = 3 },
	    "1/1!field longer than 3 bytes\n");

	/* A too-long field spoils its row only, even across lines. */
	check("abcdef,\"x\ny\"\nz\n", &(struct csvin_opts){ .max_field = 5 },
	    "1/2!field longer than 5 bytes\n3/1:z\n");

	/* Row limit: skip to the next physical line. */
	check("0123456789,0123456789\nok\n", &o,
	    "1/1!row longer than 16 bytes\n2/1:ok\n");
	check("0123456789,0123456789", &o, "1/1!row longer than 16 bytes\n");
	check("0123456789,0123\nok\n", &o, "1/1:0123456789|0123\n2/1:ok\n");
	check("\"aaaaaaaa\nbbbbbbbbb\ncc\"\nok\n", &(struct csvin_opts){
	    .max_row = 12 }, "1/2!row longer than 12 bytes\n"
	    "3/1!quoting error\n4/1:ok\n");
	{
		struct csvin *c;
		struct csvin_row row;
		struct err e;

		assert_int_equal(csvin_open_mem(&c, "\"aaaaaaaa\nbbbbbbbbb\n",
		    20, "r", &(struct csvin_opts){ .max_row = 12 }, &e), 0);
		assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
		assert_int_equal(row.rawlen, 12);
		assert_memory_equal(row.raw, "\"aaaaaaaa\nbb", 12);
		assert_int_equal(csvin_read(c, &row, &e), 0);
		csvin_close(c);

		/* GB18030: the cut raw text is as read. */
		assert_int_equal(csvin_open_mem(&c, gb, sizeof gb - 1, "r",
		    &(struct csvin_opts){ .max_row = 4 }, &e), 0);
		assert_int_equal(csvin_read(c, &row, &e), ERR_DATA);
		assert_int_equal(row.rawlen, 4);
		assert_memory_equal(row.raw, gb, 4);
		assert_false(row.raw_utf8);
		csvin_close(c);
	}

	/* A row over the default 4 MiB from a file, without a newline. */
	memset(big, 'z', 2 * mib + 64);
	{
		FILE *f;
		int i;

		path = tmp_file("ok\n", 3);
		assert_non_null(f = fopen(path, "ab"));
		for (i = 0; i < 3; i++)
			assert_int_equal(fwrite(big, 1, 2 * mib, f), 2 * mib);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(file_rows(path, NULL, NULL), 0);
		assert_string_equal(out, "1/1:ok\n"
		    "2/1!row longer than 4194304 bytes\n");
		/* and with more lines after it */
		assert_non_null(f = fopen(path, "ab"));
		assert_int_equal(fwrite("\n\nlast\n", 1, 7, f), 7);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(file_rows(path, NULL, NULL), 0);
		assert_string_equal(out, "1/1:ok\n"
		    "2/1!row longer than 4194304 bytes\n4/1:last\n");
		unlink(path);
	}
	free(big);
}

static void
test_empty(void **state)
{
	char *path;

	(void)state;
	check("", NULL, "");
	assert_int_equal(mem_rows(NULL, 0, NULL), 0);
	assert_string_equal(out, "");
	path = tmp_file("", 0);
	assert_int_equal(file_rows(path, NULL, NULL), 0);
	assert_string_equal(out, "");
	unlink(path);
	path = tmp_file("a,b\n", 4);
	assert_int_equal(file_rows(path, NULL, NULL), 0);
	assert_string_equal(out, "1/1:a|b\n");
	unlink(path);
}

static void
test_open_errors(void **state)
{
	struct csvin *c = (struct csvin *)1;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	assert_int_equal(csvin_open(&c, "/nonexistent/x.csv", NULL, &e),
	    ERR_NOINPUT);
	assert_null(c);
	assert_string_equal(e.msg,
	    "cannot open '/nonexistent/x.csv': No such file or directory");
	assert_int_equal(csvin_open(&c, "/tmp", NULL, &e), ERR_NOINPUT);
	assert_null(c);
	assert_string_equal(e.msg, "cannot open '/tmp': Is a directory");
	assert_int_equal(csvin_open_mem(&c, "a", 1, "m", &(struct csvin_opts){
	    .delim = '"' }, &e), ERR_USAGE);
	assert_null(c);
	assert_int_equal(csvin_open(&c, "/tmp", &(struct csvin_opts){
	    .delim = '\n' }, &e), ERR_USAGE);
	assert_int_equal(csvin_open_mem(&c, "a", 1, "m", &(struct csvin_opts){
	    .delim = 300 }, &e), ERR_USAGE);
	assert_int_equal(csvin_open_mem(&c, "a", 1, "m", &(struct csvin_opts){
	    .enc = (enum csvin_enc)7 }, &e), ERR_USAGE);
	assert_int_equal(mem_live(), live);
	csvin_close(NULL);
}

static void
sha256sum(const char *path, char hex[65])
{
	char cmd[128];
	FILE *p;

	snprintf(cmd, sizeof cmd, "sha256sum %s", path);
	assert_non_null(p = popen(cmd, "r"));
	assert_int_equal(fread(hex, 1, 64, p), 64);
	hex[64] = '\0';
	assert_int_equal(pclose(p), 0);
}

/*
 * A file of many rows, bigger than a read chunk, with quoted CRLFs and a
 * 3-byte character (2 in GB18030) across the first chunk boundary.
 */
static char *
make_big(size_t *np, int gb18030)
{
	size_t cap = 4u << 20, n, chunk = 256 * 1024;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	n = (size_t)sprintf(s, "id,name,note\r\n");
	while (n < chunk - 100)
		n += (size_t)sprintf(s + n, "%zu,pad,x\r\n", n);
	while (n < chunk - 1)
		s[n++] = 'p';
	n += (size_t)sprintf(s + n, gb18030 ? "\xb5\xe7,,\r\n" : "电,,\r\n");
	for (i = 0; i < 40000; i++)
		n += (size_t)sprintf(s + n, "%d,n%d,\"a\r\nb,%d\"\r\n", i, i,
		    i);
	*np = n;
	return s;
}

static void
check_big(const char *path, size_t n, enum csvin_enc want)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	char hex[65], ref[65];
	long rows = 0, line = 0;
	int rc;

	assert_int_equal(csvin_open(&c, path, &(struct csvin_opts){
	    .hash = true }, &e), 0);
	assert_int_equal(csvin_encoding(c), want);
	assert_int_equal(csvin_size(c), n);
	while ((rc = csvin_read(c, &row, &e)) == 1) {
		rows++;
		assert_int_equal(row.nfields, 3);
		assert_int_equal(row.line, line + 1);
		if (row.line > 1 && row.fields[1][0] == 'n') {
			assert_int_equal(row.nlines, 2);
			assert_int_equal(row.lens[2], 5 + row.lens[0]);
			assert_memory_equal(row.fields[2], "a\r\nb,", 5);
			assert_string_equal(row.fields[2] + 5, row.fields[0]);
		} else
			assert_int_equal(row.nlines, 1);
		line = row.line + row.nlines - 1;
	}
	assert_int_equal(rc, 0);
	assert_true(rows > 40000);
	assert_int_equal(csvin_bytes(c), n);
	csvin_sha256(c, hex);
	sha256sum(path, ref);
	assert_string_equal(hex, ref);
	csvin_close(c);
}

static void
test_big_sha256(void **state)
{
	size_t n;
	char *s, *path;
	enum csvin_enc enc;
	int gbx;

	(void)state;
	for (gbx = 0; gbx <= 1; gbx++) {
		s = make_big(&n, gbx);
		path = tmp_file(s, n);
		check_big(path, n, gbx ? CSVIN_GB18030 : CSVIN_UTF8);
		assert_int_equal(file_rows(path, NULL, &enc), 0);
		assert_int_equal(enc, gbx ? CSVIN_GB18030 : CSVIN_UTF8);
		assert_non_null(strstr(out, " bytes>||\n"));
		assert_non_null(strstr(out, "/2:39999|n39999|a\\r\\nb,39999\n"));
		unlink(path);
		free(s);
	}
	/* Small files: the sha256 covers the bytes as read, BOM included. */
	{
		static const char bomfile[] = "\xef\xbb\xbf" "a,b\r\n1,2\r\n";
		struct csvin *c;
		struct csvin_row row;
		struct err e;
		char hex[65], ref[65];
		int k;

		for (k = 0; k < 2; k++) {
			if (k == 0)
				path = tmp_file(gb, sizeof gb - 1);
			else
				path = tmp_file(bomfile, sizeof bomfile - 1);
			assert_int_equal(csvin_open(&c, path,
			    &(struct csvin_opts){ .hash = true }, &e), 0);
			while (csvin_read(c, &row, &e) == 1)
				;
			csvin_sha256(c, hex);
			sha256sum(path, ref);
			assert_string_equal(hex, ref);
			assert_int_equal(csvin_bytes(c), k ? sizeof bomfile - 1 :
			    sizeof gb - 1);
			csvin_close(c);

			/* Without opts.hash: counted, not hashed. */
			assert_int_equal(csvin_open(&c, path, NULL, &e), 0);
			while (csvin_read(c, &row, &e) == 1)
				;
			csvin_sha256(c, hex);
			assert_string_equal(hex, "");
			assert_int_equal(csvin_bytes(c), k ? sizeof bomfile - 1 :
			    sizeof gb - 1);
			csvin_close(c);
			unlink(path);
		}
		/* A memory input is hashed whole when opened. */
		assert_int_equal(csvin_open_mem(&c, bomfile, sizeof bomfile - 1,
		    "m", &(struct csvin_opts){ .hash = true }, &e), 0);
		csvin_sha256(c, hex);
		assert_string_equal(hex, "12d55567496e2714a23469371b5888bb"
		    "9d0fb803d52b770c7c08ced31826d2d9");
		csvin_close(c);
	}
}

/* A file with the bytes b put at offset off, padded with lines of 'a'. */
static enum csvin_enc
enc_of(size_t size, size_t off, const char *b)
{
	char *s = malloc(size), *path;
	enum csvin_enc enc;
	struct csvin *c;
	struct err e;
	size_t i;

	assert_non_null(s);
	for (i = 0; i < size; i++)
		s[i] = i % 50 == 49 ? '\n' : 'a';
	memcpy(s + off, b, strlen(b));
	path = tmp_file(s, size);
	assert_int_equal(csvin_open(&c, path, NULL, &e), 0);
	enc = csvin_encoding(c);
	csvin_close(c);
	unlink(path);
	free(s);
	return enc;
}

static void
test_scan(void **state)
{
	size_t chunk = 256 * 1024;

	(void)state;
	/* Characters cut by the chunk boundary of the scan. */
	assert_int_equal(enc_of(chunk + 10, chunk - 2, "\xf0\xa0\x80\x80"),
	    CSVIN_UTF8);
	assert_int_equal(enc_of(chunk + 10, chunk - 1, "\xe7\x94\xb5"),
	    CSVIN_UTF8);
	assert_int_equal(enc_of(2 * chunk + 10, 2 * chunk - 1, "\xc3\xa9"),
	    CSVIN_UTF8);
	assert_int_equal(enc_of(chunk + 10, chunk - 2, "\xe5" "A"),
	    CSVIN_GB18030);
	assert_int_equal(enc_of(chunk + 10, chunk + 5, "\x80"),
	    CSVIN_GB18030);
	/* A sequence cut by the end of the file. */
	assert_int_equal(enc_of(chunk + 10, chunk + 8, "\xe5\x90"),
	    CSVIN_GB18030);
	assert_int_equal(enc_of(100, 98, "\xe5\x90"), CSVIN_GB18030);
	/* A BOM decides at once. */
	assert_int_equal(enc_of(chunk + 10, 0, "\xef\xbb\xbf" "\xd0\xd5"),
	    CSVIN_UTF8);
}

/* Run the reader on standard input fed by a child writing s[0..n). */
static int
stdin_rows(const char *s, size_t n, const struct csvin_opts *o,
    enum csvin_enc *enc)
{
	int fds[2], saved, rc, status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		close(fds[0]);
		while (n > 0) {
			ssize_t w = write(fds[1], s, n);

			if (w <= 0)
				_exit(1);
			s += w;
			n -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	assert_true((saved = dup(STDIN_FILENO)) >= 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	rc = file_rows("-", o, enc);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return rc;
}

static void
test_stdin(void **state)
{
	enum csvin_enc enc;
	size_t n, mib = 1024 * 1024;
	char *s;

	(void)state;
	assert_int_equal(stdin_rows(gb, sizeof gb - 1, NULL, &enc), 0);
	assert_int_equal(enc, CSVIN_GB18030);
	assert_string_equal(out,
	    "1/1:姓名|电话\n2/1:张三|13800000000\n3/1:𠀀\n4/2:€\\n€\n");
	assert_int_equal(stdin_rows("\xef\xbb\xbf" "a\n\xd0\xd5\n", 7, NULL,
	    &enc), 0);
	assert_int_equal(enc, CSVIN_UTF8);
	assert_string_equal(out, "1/1:a\n2/1!invalid UTF-8\n");
	assert_int_equal(stdin_rows("a;b\n", 4, NULL, &enc), 0);
	assert_int_equal(enc, CSVIN_UTF8);
	assert_string_equal(out, "1/1:a|b\n");
	assert_int_equal(stdin_rows("a\n", 2, &(struct csvin_opts){
	    .enc = CSVIN_GB18030 }, &enc), 0);
	assert_int_equal(enc, CSVIN_GB18030);
	assert_string_equal(out, "1/1:a\n");

	/* First MiB valid UTF-8, cut inside a character; bad row later. */
	s = malloc(2 * mib);
	assert_non_null(s);
	memset(s, 'a', 2 * mib);
	for (n = 99; n < 2 * mib; n += 100)
		s[n] = '\n';
	memcpy(s + mib - 1, "\xe7\x94\xb5", 3);		/* 电 */
	memcpy(s + mib + 250, "\xd0\xd5", 2);
	assert_int_equal(stdin_rows(s, 2 * mib, NULL, &enc), 0);
	assert_int_equal(enc, CSVIN_UTF8);
	assert_non_null(strstr(out, "\n10489/1!invalid UTF-8\n"));
	assert_null(strstr(out, "GB18030"));
	/* Invalid in the first MiB: GB18030. */
	memcpy(s + 5, "\x80", 1);
	assert_int_equal(stdin_rows(s, 2 * mib, NULL, &enc), 0);
	assert_int_equal(enc, CSVIN_GB18030);
	assert_true(strncmp(out, "1/1!invalid GB18030\n2/1:", 24) == 0);
	free(s);
}

static void
test_read_error(void **state)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	int saved, fd;

	(void)state;
	/* A write-only standard input: read(2) fails. */
	assert_true((saved = dup(STDIN_FILENO)) >= 0);
	assert_true((fd = open("/dev/null", O_WRONLY)) >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(csvin_open(&c, NULL, NULL, &e), ERR_IO);
	assert_null(c);
	assert_true(strncmp(e.msg, "cannot read '-': ", 17) == 0);
	assert_int_equal(csvin_open(&c, "-", &(struct csvin_opts){
	    .enc = CSVIN_UTF8 }, &e), 0);
	assert_int_equal(csvin_read(c, &row, &e), ERR_IO);
	assert_int_equal(csvin_read(c, &row, &e), ERR_IO);
	csvin_close(c);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

/* Open and read all of in; ERR_INTERNAL allowed only under failure. */
static int
oom_run(const char *in, size_t n, const char *path, int enc, size_t max_row,
    int pass)
{
	struct csvin *c;
	struct csvin_row row;
	struct err e;
	struct csvin_opts o = { .enc = enc, .max_row = max_row,
	    .hash = (pass & 4) != 0 };
	int rc, rows = 0;

	if (path != NULL)
		rc = csvin_open(&c, path, &o, &e);
	else
		rc = csvin_open_mem(&c, in, n, "m", &o, &e);
	if (rc != 0) {
		assert_int_equal(rc, ERR_INTERNAL);
		assert_null(c);
		return rc;
	}
	csvin_fast_path(c, (pass & 8) == 0);
	while ((rc = csvin_read(c, &row, &e)) == 1 || rc == ERR_DATA)
		rows++;
	csvin_close(c);
	if (rc != 0) {
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		return rc;
	}
	assert_int_equal(rows, 6);
	return 0;
}

static void
test_oom(void **state)
{
	static const char in[] = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,"
	    "w,x,y,z,1,2,3,4,5,6,7,8,9\n\"x\ny\",2\n\nbad\"q\n\xd0\xd5,2\n"
	    "\"\xa2\xe3\",4\n5,\"6";
	char *path;
	long n, live;
	int enc, rc, pass;

	(void)state;
	path = tmp_file(in, sizeof in - 1);
	for (pass = 0; pass < 16; pass++) {
		for (enc = CSVIN_AUTO; enc <= CSVIN_GB18030; enc++) {
			for (n = 0;; n++) {
				live = mem_live();
				mem_fail_after(n);
				rc = oom_run(in, sizeof in - 1,
				    pass & 1 ? path : NULL, enc,
				    pass & 2 ? 60 : 0, pass);
				mem_fail_after(-1);
				assert_int_equal(mem_live(), live);
				if (rc == 0)
					break;
				assert_true(n < 1000);
			}
		}
	}
	unlink(path);
}

/*
 * The fast path (rows of one line without quotes, split by csvin itself)
 * against libcsv: render everything csvin_read reports, bytes exactly.
 */
static void
add_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b < 0x20 || b >= 0x7f || b == '\\' || b == '|')
			addf("\\x%02x", b);
		else
			add(s + i, 1);
	}
}

static int
render_all(struct csvin *c)
{
	struct csvin_row row;
	struct err e;
	size_t i;
	int rc;

	outlen = 0;
	out[0] = '\0';
	for (;;) {
		err_clear(&e);
		rc = csvin_read(c, &row, &e);
		addf("%d %ld/%ld %d %zu[", rc, row.line, row.nlines,
		    row.raw_utf8, row.nfields);
		for (i = 0; i < row.nfields; i++) {
			assert_int_equal(row.fields[i][row.lens[i]], 0);
			add_bytes(row.fields[i], row.lens[i]);
			add("|", 1);
		}
		add("] raw ", 6);
		add_bytes(row.raw, row.rawlen);
		addf(" %s:%ld:%s\n", e.file, e.line, e.msg);
		if (rc != 1 && rc != ERR_DATA)
			return rc;
	}
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random input: fields, delimiters, quotes, CR, LF, UTF-8 or not. */
static size_t
gen_input(char *s, size_t cap)
{
	static const char *const bits[] = {
		"a", "b", "x y", ",", ",", ";", "\t", "\"", "\"\"", "\r",
		"\n", "\n", "\r\n", " ", "电", "\xd0\xd5", "\xff", "",
		"\xef\xbb\xbf", "\xe7\x94"
	};
	size_t n = 0, k, m = rnd(60);
	const char *b;

	if (rnd(8) == 0) {
		memcpy(s, "\xef\xbb\xbf", 3);
		n = 3;
	}
	while (m-- > 0) {
		b = bits[rnd(sizeof bits / sizeof *bits)];
		k = strlen(b);
		if (*b == '\0' && rnd(4) == 0)
			k = 1;		/* a NUL byte, now and then */
		if (n + k >= cap)
			break;
		memcpy(s + n, b, k);
		n += k;
	}
	return n;
}

static void
test_fast_path(void **state)
{
	static const int delims[] = { 0, ',', ';', '\t', ' ' };
	static char slow[sizeof out];
	char in[512];
	struct csvin_opts o;
	struct csvin *c;
	struct err e;
	size_t n, slowlen;
	int i, rc, rc2;

	(void)state;
	for (i = 0; i < 30000; i++) {
		n = gen_input(in, sizeof in);
		memset(&o, 0, sizeof o);
		o.delim = delims[rnd(5)];
		o.enc = (enum csvin_enc)rnd(3);
		o.max_field = rnd(3) == 0 ? 1 + rnd(8) : 0;
		o.max_row = rnd(3) == 0 ? 4 + rnd(40) : 0;
		assert_int_equal(csvin_open_mem(&c, in, n, "m", &o, &e), 0);
		csvin_fast_path(c, false);
		rc = render_all(c);
		csvin_close(c);
		memcpy(slow, out, outlen + 1);
		slowlen = outlen;

		assert_int_equal(csvin_open_mem(&c, in, n, "m", &o, &e), 0);
		rc2 = render_all(c);
		csvin_close(c);
		assert_int_equal(rc, rc2);
		assert_int_equal(outlen, slowlen);
		assert_string_equal(out, slow);
	}
}

/*
 * A regular file scanned whole at open is not checked line by line again;
 * the same rows as with the encoding given (every line checked), and a
 * line added after the scan is still checked.
 */
static void
test_scan_skip(void **state)
{
	static char given[sizeof out];
	char in[512], *path;
	struct csvin_opts o;
	struct csvin *c;
	struct err e;
	size_t n;
	int i, fd;

	(void)state;
	for (i = 0; i < 2000; i++) {
		n = gen_input(in, sizeof in);
		path = tmp_file(in, n);
		memset(&o, 0, sizeof o);
		assert_int_equal(csvin_open(&c, path, &o, &e), 0);
		o.enc = csvin_encoding(c);
		assert_int_equal(render_all(c), 0);
		csvin_close(c);
		memcpy(given, out, outlen + 1);
		assert_int_equal(csvin_open(&c, path, &o, &e), 0);
		assert_int_equal(render_all(c), 0);
		csvin_close(c);
		assert_string_equal(out, given);
		unlink(path);
	}

	/* Valid when opened; a bad line appended before it is read. */
	path = tmp_file("a,b\n1,2\n", 8);
	assert_int_equal(csvin_open(&c, path, NULL, &e), 0);
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	assert_true((fd = open(path, O_WRONLY | O_APPEND)) >= 0);
	assert_int_equal(write(fd, "\xd0\xd5,3\n4,5\n", 9), 9);
	close(fd);
	assert_int_equal(render(c), 0);
	assert_string_equal(out, "1/1:a|b\n2/1:1|2\n3/1!invalid UTF-8\n"
	    "4/1:4|5\n");
	csvin_close(c);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_spaces_blank_crlf),
		cmocka_unit_test(test_bom_eof),
		cmocka_unit_test(test_delim),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_big_sha256),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_scan_skip),
	};

	return cmocka_run_group_tests_name("csvin", tests, NULL, NULL);
}
