/* test_grids.c - unit tests for lib/grids */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geo.h"
#include "grids.h"
#include "mem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define HDR "kind\tcode\tlevel\tparent\tname\twkt\n"

/* A text builder for registries (stdlib memory: not counted by mem). */
struct sb {
	char *p;
	size_t n, cap;
};

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n :
		    0, fmt, ap);
		va_end(ap);
		assert_true(k >= 0);
		if (b->p != NULL && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = (b->cap + (size_t)k + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
}

/* A rectangle as WKT, coordinates exact (%.17g round-trips). */
static void
sb_rect(struct sb *b, double x0, double y0, double x1, double y1)
{
	sb_printf(b, "(%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,"
	    "%.17g %.17g)", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
}

static struct grids *
load_ok(const char *text, const char *layout)
{
	struct grids_layout lay;
	struct grids *g;
	struct err e;
	int rc;

	assert_int_equal(grids_layout_parse(layout, &lay, &e), 0);
	rc = grids_load_mem(&g, text, strlen(text), "reg.tsv", &lay, &e);
	if (rc != 0)
		fail_msg("load: %d line %ld field %s: %s", rc, e.line,
		    e.field, e.msg);
	assert_non_null(g);
	return g;
}

static void
near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%.9f != %.9f (tolerance %g)", got, want, tol);
}

/* locate with snap 0, also checked against the brute force */
static long
at(struct grids *g, double lon, double lat)
{
	long leaf, bleaf;
	double d;
	struct err e;
	int rc;

	rc = grids_locate(g, lon, lat, 0, &leaf, &d, &e);
	assert_true(rc == 0 || rc == 1);
	assert_int_equal(grids_locate_brute(g, lon, lat, &bleaf, &e), rc);
	assert_int_equal(leaf, bleaf);
	if (rc == 1)
		near(d, 0, 0);
	return rc == 1 ? leaf : -1;
}

static const char *
at_code(struct grids *g, double lon, double lat)
{
	long i = at(g, lon, lat);

	return i < 0 ? "-" : grids_code(g, (size_t)i);
}

static void
test_levels(void **state)
{
	enum grids_level lv;

	(void)state;
	assert_string_equal(grids_level_name(GRIDS_DISTRICT), "district");
	assert_string_equal(grids_level_name(GRIDS_STREET), "street");
	assert_string_equal(grids_level_name(GRIDS_COMMUNITY), "community");
	assert_string_equal(grids_level_name(GRIDS_GRID), "grid");
	assert_string_equal(grids_level_name(GRIDS_UNIT), "unit");
	assert_string_equal(grids_level_name(GRIDS_NLEVEL), "");
	assert_int_equal(grids_level_parse("unit", 4, &lv), 0);
	assert_int_equal(lv, GRIDS_UNIT);
	assert_int_equal(grids_level_parse("street", 6, &lv), 0);
	assert_int_equal(lv, GRIDS_STREET);
	assert_int_equal(grids_level_parse("Street", 6, &lv), -1);
	assert_int_equal(grids_level_parse("unitx", 5, &lv), -1);
	assert_int_equal(grids_level_parse("uni", 3, &lv), -1);
	assert_int_equal(grids_level_parse("", 0, &lv), -1);
}

static void
test_layouts(void **state)
{
	static const char *bad[] = { "foo", "cjt", "district:0",
	    "district:33", "street:3,district:6", "district:6,,grid:2",
	    "district:", "district:6,", ":6", "district6", "grid:2,grid:2",
	    "x:1,x:1,x:1,x:1,x:1,x:1,x:1,x:1,x:1", "district:6a",
	    "district:123", "y:3", "AUTO" };
	struct grids_layout lay;
	struct err e;
	char out[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		lay.mode = GRIDS_LAYOUT_FIXED;
		lay.nseg = 99;
		if (grids_layout_parse(bad[i], &lay, &e) != ERR_USAGE)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(e.code, ERR_USAGE);
		assert_null(strstr(e.msg, bad[i]));
		assert_int_equal(lay.nseg, 99);	/* untouched */
	}

	/* cjt213: 15 digits */
	assert_int_equal(grids_layout_parse("cjt213", &lay, &e), 0);
	assert_int_equal(lay.mode, GRIDS_LAYOUT_FIXED);
	assert_int_equal(lay.nseg, 4);
	assert_int_equal(grids_layout_expect(&lay, "110101001002003", 15,
	    GRIDS_COMMUNITY, out), 12);
	assert_string_equal(out, "110101001002");
	assert_int_equal(grids_layout_expect(&lay, "110101001002003", 15,
	    GRIDS_STREET, out), 9);
	assert_string_equal(out, "110101001");
	assert_int_equal(grids_layout_expect(&lay, "110101001002003", 15,
	    GRIDS_DISTRICT, out), 6);
	assert_string_equal(out, "110101");
	assert_int_equal(grids_layout_expect(&lay, "110101001", 9,
	    GRIDS_DISTRICT, out), 6);
	assert_int_equal(grids_layout_expect(&lay, "1101", 4,
	    GRIDS_DISTRICT, out), -2);
	assert_int_equal(grids_layout_expect(&lay, "110101001", 9,
	    GRIDS_COMMUNITY, out), -2);

	/* cjt349: a 6-character object filler first */
	assert_int_equal(grids_layout_parse("cjt349", &lay, &e), 0);
	assert_int_equal(lay.nseg, 5);
	assert_int_equal(lay.seg[0].level, -1);
	assert_int_equal(grids_layout_expect(&lay, "xxxxxx11010100100203",
	    20, GRIDS_COMMUNITY, out), 12);
	assert_string_equal(out, "110101001002");
	assert_int_equal(grids_layout_expect(&lay, "xxxxxx11010100100203",
	    20, GRIDS_DISTRICT, out), 6);
	assert_string_equal(out, "110101");

	/* street-3-2: 14 */
	assert_int_equal(grids_layout_parse("street-3-2", &lay, &e), 0);
	assert_int_equal(grids_layout_expect(&lay, "11010100100203", 14,
	    GRIDS_COMMUNITY, out), 12);
	assert_string_equal(out, "110101001002");

	/* a custom spec with units */
	assert_int_equal(grids_layout_parse(
	    "x:2,district:6,street:3,community:3,grid:2,unit:3", &lay, &e), 0);
	assert_int_equal(lay.nseg, 6);
	assert_int_equal(grids_layout_expect(&lay, "ab11010100100203777", 19,
	    GRIDS_GRID, out), 14);
	assert_string_equal(out, "11010100100203");
	assert_int_equal(grids_layout_expect(&lay, "ab11010100100203777", 19,
	    GRIDS_UNIT, out), 17);
	assert_string_equal(out, "11010100100203777");

	/* auto: by length; none: never */
	assert_int_equal(grids_layout_parse("auto", &lay, &e), 0);
	assert_int_equal(lay.mode, GRIDS_LAYOUT_AUTO);
	assert_int_equal(grids_layout_parse(NULL, &lay, &e), 0);
	assert_int_equal(lay.mode, GRIDS_LAYOUT_AUTO);
	assert_int_equal(grids_layout_expect(&lay, "110101001002003", 15,
	    GRIDS_COMMUNITY, out), 12);
	assert_string_equal(out, "110101001002");
	assert_int_equal(grids_layout_expect(&lay, "xxxxxx11010100100203",
	    20, GRIDS_STREET, out), 9);
	assert_string_equal(out, "110101001");
	assert_int_equal(grids_layout_expect(&lay, "11010100100203", 14,
	    GRIDS_STREET, out), 9);
	assert_int_equal(grids_layout_expect(NULL, "11010100100203", 14,
	    GRIDS_STREET, out), 9);
	assert_int_equal(grids_layout_expect(&lay, "1101010010020", 13,
	    GRIDS_STREET, out), -1);
	assert_int_equal(grids_layout_parse("none", &lay, &e), 0);
	assert_int_equal(lay.mode, GRIDS_LAYOUT_NONE);
	assert_int_equal(grids_layout_expect(&lay, "110101001002003", 15,
	    GRIDS_STREET, out), -1);
}

/* A square 116.30..116.31 x 39.90..39.91 with a hole .303...307. */
static const char holes_reg[] = HDR
    "grid\tG1\tgrid\t\tholey\tPOLYGON((116.30 39.90,116.31 39.90,"
    "116.31 39.91,116.30 39.91,116.30 39.90),(116.303 39.903,"
    "116.303 39.907,116.307 39.907,116.307 39.903,116.303 39.903))\n"
    "grid\tG2\tgrid\t\t\tMULTIPOLYGON(((116.40 39.90,116.41 39.90,"
    "116.41 39.91,116.40 39.91,116.40 39.90)),((116.42 39.90,"
    "116.43 39.90,116.43 39.91,116.42 39.91,116.42 39.90),"
    "(116.424 39.904,116.426 39.904,116.426 39.906,116.424 39.906,"
    "116.424 39.904)))\n";

static void
test_holes_multi(void **state)
{
	struct grids *g;
	long live = mem_live();

	(void)state;
	g = load_ok(holes_reg, "none");
	assert_true(grids_usable(g));
	assert_int_equal(grids_count(g), 2);
	assert_int_equal(grids_leaf_count(g), 2);
	/* inside, in the hole, on the hole's edge and vertex */
	assert_string_equal(at_code(g, 116.301, 39.901), "G1");
	assert_string_equal(at_code(g, 116.305, 39.905), "-");
	assert_string_equal(at_code(g, 116.3031, 39.9069), "-");
	assert_string_equal(at_code(g, 116.303, 39.905), "G1");
	assert_string_equal(at_code(g, 116.305, 39.907), "G1");
	assert_string_equal(at_code(g, 116.307, 39.903), "G1");
	/* on the outer edge and vertex; just outside */
	assert_string_equal(at_code(g, 116.30, 39.905), "G1");
	assert_string_equal(at_code(g, 116.31, 39.91), "G1");
	assert_string_equal(at_code(g, 116.305, 39.90), "G1");
	assert_string_equal(at_code(g, 116.2999999, 39.905), "-");
	assert_string_equal(at_code(g, 116.305, 39.9100001), "-");
	/* multipolygon: both parts, between them, the second part's hole */
	assert_string_equal(at_code(g, 116.405, 39.905), "G2");
	assert_string_equal(at_code(g, 116.421, 39.901), "G2");
	assert_string_equal(at_code(g, 116.415, 39.905), "-");
	assert_string_equal(at_code(g, 116.425, 39.905), "-");
	assert_string_equal(at_code(g, 116.424, 39.905), "G2");
	assert_string_equal(at_code(g, 116.41, 39.905), "G2");
	assert_string_equal(at_code(g, 116.42, 39.90), "G2");
	/* far away, out of range */
	assert_string_equal(at_code(g, 0, 0), "-");
	assert_string_equal(at_code(g, 200, 39.9), "-");
	assert_string_equal(at_code(g, 116.305, -95), "-");
	grids_free(g);
	assert_int_equal(mem_live(), live);
}

static void
test_nan(void **state)
{
	struct grids *g;
	struct err e;
	long leaf = 5;
	double d = 5;

	(void)state;
	g = load_ok(holes_reg, "none");
	err_clear(&e);
	assert_int_equal(grids_locate(g, NAN, 39.9, 0, &leaf, &d, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "coordinate is not a number");
	assert_int_equal(leaf, -1);
	assert_int_equal(grids_locate(g, 116.3, INFINITY, 10, &leaf, &d, &e),
	    ERR_DATA);
	assert_int_equal(grids_locate_brute(g, NAN, 39.9, &leaf, &e),
	    ERR_DATA);
	/* NaN or negative snap: no snapping */
	assert_int_equal(grids_locate(g, 116.2999, 39.905, NAN, &leaf, &d,
	    &e), 0);
	assert_int_equal(grids_locate(g, 116.2999, 39.905, -100, &leaf, &d,
	    &e), 0);
	assert_int_equal(grids_locate(g, 116.2999, 39.905, 100, &leaf, &d,
	    &e), 2);
	grids_free(g);
}

/* 2 x 2 tiles around (116.31, 39.91), listed out of code order. */
static void
test_shared(void **state)
{
	struct sb b = { 0 };
	struct grids *g;
	int round;

	(void)state;
	sb_printf(&b, HDR);
	sb_printf(&b, "grid\tD\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.31, 39.91, 116.32, 39.92);
	sb_printf(&b, ")\ngrid\tB\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.31, 39.90, 116.32, 39.91);
	sb_printf(&b, ")\ngrid\tC\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.30, 39.91, 116.31, 39.92);
	sb_printf(&b, ")\ngrid\tA\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.30, 39.90, 116.31, 39.91);
	sb_printf(&b, ")\n");
	g = load_ok(b.p, "none");
	assert_string_equal(grids_code(g, 0), "A");
	assert_string_equal(grids_code(g, 3), "D");
	for (round = 0; round < 3; round++) {
		assert_string_equal(at_code(g, 116.31, 39.91), "A");
		assert_string_equal(at_code(g, 116.315, 39.91), "B");
		assert_string_equal(at_code(g, 116.31, 39.915), "C");
		assert_string_equal(at_code(g, 116.305, 39.91), "A");
		assert_string_equal(at_code(g, 116.31, 39.905), "A");
		assert_string_equal(at_code(g, 116.32, 39.92), "D");
		assert_string_equal(at_code(g, 116.32, 39.91), "B");
		assert_string_equal(at_code(g, 116.3151, 39.9151), "D");
	}
	grids_free(g);
	free(b.p);
}

/*
 * Points on and next to a diagonal edge: the orientation is too close to
 * call in doubles, so GEOS decides; the answer must equal the brute force.
 */
static void
test_diagonal(void **state)
{
	static const char reg[] = HDR
	    "grid\tT\tgrid\t\t\tPOLYGON((116.30 39.90,116.32 39.92,"
	    "116.32 39.90,116.30 39.90))\n"
	    "grid\tU\tgrid\t\t\tPOLYGON((116.30 39.90,116.30 39.92,"
	    "116.32 39.92,116.30 39.90))\n";
	struct grids *g;
	int k, in = 0;

	(void)state;
	g = load_ok(reg, "none");
	for (k = 0; k <= 64; k++) {
		double x = 116.30 + k * (0.02 / 64), y = 39.90 + k * (0.02 / 64);

		/* on the shared diagonal: T when GEOS calls it boundary or
		 * inside T, else U; never outside both */
		in += strcmp(at_code(g, x, y), "-") != 0;
		(void)at(g, nextafter(x, 0), y);
		(void)at(g, nextafter(x, 200), y);
	}
	assert_int_equal(in, 65);
	assert_string_equal(at_code(g, 116.30, 39.90), "T");
	assert_string_equal(at_code(g, 116.32, 39.92), "T");
	grids_free(g);
}

/* An overlap: the lowest code among those covering wins. */
static void
test_overlap_lowest(void **state)
{
	struct sb b = { 0 };
	struct grids *g;

	(void)state;
	sb_printf(&b, HDR);
	sb_printf(&b, "grid\tZ9\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.30, 39.90, 116.31, 39.91);
	sb_printf(&b, ")\ngrid\tM5\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.305, 39.905, 116.315, 39.915);
	sb_printf(&b, ")\n");
	g = load_ok(b.p, "none");
	assert_string_equal(at_code(g, 116.307, 39.907), "M5");
	assert_string_equal(at_code(g, 116.301, 39.901), "Z9");
	assert_string_equal(at_code(g, 116.312, 39.912), "M5");
	grids_free(g);
	free(b.p);
}

static void
test_snap(void **state)
{
	struct sb b = { 0 };
	struct grids *g;
	struct err e;
	long leaf;
	double d, want, lon;

	(void)state;
	sb_printf(&b, HDR);
	/* two identical squares (a tie), one farther away */
	sb_printf(&b, "grid\tT2\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.30, 39.90, 116.31, 39.91);
	sb_printf(&b, ")\ngrid\tT1\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.30, 39.90, 116.31, 39.91);
	sb_printf(&b, ")\ngrid\tA0\tgrid\t\t\tPOLYGON(");
	sb_rect(&b, 116.3102, 39.92, 116.32, 39.93);
	sb_printf(&b, ")\n");
	g = load_ok(b.p, "none");

	/* 50 m east of the squares' east edge */
	lon = 116.31 + 50 / (111320.0 * cos(39.905 * M_PI / 180));
	want = geo_distance_m(lon, 39.905, 116.31, 39.905);
	near(want, 50, 0.5);
	assert_int_equal(grids_locate(g, lon, 39.905, 0, &leaf, &d, &e), 0);
	assert_int_equal(leaf, -1);
	assert_int_equal(grids_locate(g, lon, 39.905, want - 0.01, &leaf, &d,
	    &e), 0);
	assert_int_equal(grids_locate(g, lon, 39.905, want + 0.01, &leaf, &d,
	    &e), 2);
	assert_string_equal(grids_code(g, (size_t)leaf), "T1");	/* tie */
	near(d, want, 1e-6);
	assert_int_equal(grids_locate(g, lon, 39.905, 1000, &leaf, &d, &e),
	    2);
	assert_string_equal(grids_code(g, (size_t)leaf), "T1");

	/* north of the squares, closer to A0's corner than to T's edge */
	want = geo_distance_m(116.3102, 39.9199, 116.3102, 39.92);
	assert_int_equal(grids_locate(g, 116.3102, 39.9199, 5000, &leaf, &d,
	    &e), 2);
	assert_string_equal(grids_code(g, (size_t)leaf), "A0");
	near(d, want, 1e-6);
	near(d, 11.1, 0.1);
	/* inside: distance 0, snap irrelevant */
	assert_int_equal(grids_locate(g, 116.305, 39.905, 5000, &leaf, &d,
	    &e), 1);
	assert_string_equal(grids_code(g, (size_t)leaf), "T1");
	near(d, 0, 0);
	/* far beyond: nothing */
	assert_int_equal(grids_locate(g, 117.5, 39.905, 5000, &leaf, &d, &e),
	    0);
	assert_int_equal(leaf, -1);
	/* a diagonal: nearest is the corner (116.31, 39.91) */
	want = geo_distance_m(116.3105, 39.9105, 116.31, 39.91);
	assert_int_equal(grids_locate(g, 116.3105, 39.9105, want + 0.001,
	    &leaf, &d, &e), 2);
	near(d, want, 1e-6);
	assert_int_equal(grids_locate(g, 116.3105, 39.9105, want - 0.001,
	    &leaf, &d, &e), 0);
	grids_free(g);
	free(b.p);
}

static const char chain_reg[] = HDR
    "grid\t110101\tdistrict\t\tD\tPOLYGON((116 39,117 39,117 40,116 40,"
    "116 39))\n"
    "grid\t110101001\tstreet\t110101\tS\tPOLYGON((116 39,116.5 39,"
    "116.5 40,116 40,116 39))\n"
    "grid\t110101001002\tcommunity\t110101001\tC\tPOLYGON((116 39,"
    "116.5 39,116.5 39.5,116 39.5,116 39))\n"
    "grid\t11010100100203\tgrid\t110101001002\tG\tPOLYGON((116 39,"
    "116.25 39,116.25 39.5,116 39.5,116 39))\n"
    "grid\t11010100100203001\tunit\t11010100100203\t\tPOLYGON((116 39,"
    "116.1 39,116.1 39.1,116 39.1,116 39))\n"
    "grid\t11010100100204\tgrid\t110101001002\tG4\tPOLYGON((116.25 39,"
    "116.5 39,116.5 39.5,116.25 39.5,116.25 39))\n";

static void
test_chain(void **state)
{
	struct grids *g;
	struct err e;
	long out[GRIDS_NLEVEL], u, gi, leaf;
	double d;
	size_t i;

	(void)state;
	g = load_ok(chain_reg,
	    "district:6,street:3,community:3,grid:2,unit:3");
	assert_true(grids_usable(g));
	assert_true(grids_has_units(g));
	assert_int_equal(grids_count(g), 6);
	assert_int_equal(grids_leaf_count(g), 2);
	u = grids_find(g, "11010100100203001");
	gi = grids_find(g, "11010100100203");
	assert_true(u >= 0 && gi >= 0);
	assert_int_equal(grids_find(g, "1101010010020"), -1);
	assert_int_equal(grids_find(g, ""), -1);
	assert_int_equal(grids_find(g, "999"), -1);
	for (i = 0; i < grids_count(g); i++)
		assert_int_equal(grids_find(g, grids_code(g, i)), (long)i);
	assert_true(grids_is_leaf(g, (size_t)u));
	assert_false(grids_is_leaf(g, (size_t)gi));
	assert_int_equal(grids_level(g, (size_t)u), GRIDS_UNIT);
	assert_int_equal(grids_parent(g, (size_t)u), gi);
	assert_int_equal(grids_line(g, (size_t)u), 6);
	assert_string_equal(grids_name(g, (size_t)u), "");
	assert_string_equal(grids_name(g, (size_t)gi), "G");
	grids_chain(g, (size_t)u, out);
	assert_string_equal(grids_code(g, (size_t)out[GRIDS_DISTRICT]),
	    "110101");
	assert_string_equal(grids_code(g, (size_t)out[GRIDS_STREET]),
	    "110101001");
	assert_string_equal(grids_code(g, (size_t)out[GRIDS_COMMUNITY]),
	    "110101001002");
	assert_int_equal(out[GRIDS_GRID], gi);
	assert_int_equal(out[GRIDS_UNIT], u);
	i = (size_t)grids_find(g, "11010100100204");
	grids_chain(g, i, out);
	assert_int_equal(out[GRIDS_UNIT], -1);
	assert_int_equal(out[GRIDS_GRID], (long)i);
	assert_string_equal(grids_code(g, (size_t)out[GRIDS_DISTRICT]),
	    "110101");
	grids_chain(g, 0, out);
	assert_int_equal(out[GRIDS_DISTRICT], 0);
	assert_int_equal(out[GRIDS_STREET], -1);
	/* the leaves only: unit inside G; the rest of G belongs to no leaf */
	assert_int_equal(grids_locate(g, 116.05, 39.05, 0, &leaf, &d, &e), 1);
	assert_int_equal(leaf, u);
	assert_int_equal(grids_locate(g, 116.2, 39.3, 0, &leaf, &d, &e), 0);
	assert_int_equal(grids_locate(g, 116.3, 39.3, 0, &leaf, &d, &e), 1);
	assert_int_equal(leaf, (long)i);
	grids_free(g);

	/* no units */
	g = load_ok(holes_reg, "auto");
	assert_false(grids_has_units(g));
	grids_chain(g, 0, out);
	assert_int_equal(out[GRIDS_GRID], 0);
	assert_int_equal(out[GRIDS_UNIT], -1);
	assert_int_equal(out[GRIDS_DISTRICT], -1);
	grids_free(g);
}

/* Issues collected by grids_check. */
struct got {
	char kind[32], code[64], other[64], reason[128];
	long grid, oth, line;
	double area;
};

struct gots {
	struct got v[512];
	int n, stop_at;
};

static int
collect_cb(void *arg, const struct grids_issue *is)
{
	struct gots *s = arg;
	struct got *t;

	assert_true(s->n < 512);
	assert_non_null(is->code);
	assert_non_null(is->other_code);
	assert_non_null(is->reason);
	t = &s->v[s->n++];
	snprintf(t->kind, sizeof t->kind, "%s", is->kind);
	snprintf(t->code, sizeof t->code, "%s", is->code);
	snprintf(t->other, sizeof t->other, "%s", is->other_code);
	snprintf(t->reason, sizeof t->reason, "%s", is->reason);
	t->grid = is->grid;
	t->oth = is->other;
	t->line = is->line;
	t->area = is->area_m2;
	return s->stop_at == s->n ? 42 : 0;
}

static void
check_all(struct grids *g, double min, struct gots *s)
{
	struct err e;

	memset(s, 0, sizeof(*s));
	assert_int_equal(grids_check(g, min, collect_cb, s, &e), 0);
}

static void
expect(const struct gots *s, int i, const char *kind, const char *code,
    const char *other, long line)
{
	if (i >= s->n)
		fail_msg("issue %d missing (%s %s)", i, kind, code);
	if (strcmp(s->v[i].kind, kind) != 0 ||
	    strcmp(s->v[i].code, code) != 0 ||
	    strcmp(s->v[i].other, other) != 0 || s->v[i].line != line)
		fail_msg("issue %d: %s %s %s %ld, want %s %s %s %ld", i,
		    s->v[i].kind, s->v[i].code, s->v[i].other, s->v[i].line,
		    kind, code, other, line);
}

/* Every layout on a real-looking registry: no false code_parent. */
static void
test_layout_load(void **state)
{
	static const char reg213[] = HDR
	    "grid\t110101\tdistrict\t\t\tPOLYGON((116 39,117 39,117 40,"
	    "116 40,116 39))\n"
	    "grid\t110101001000000\tstreet\t110101\t\tPOLYGON((116 39,117 39,"
	    "117 40,116 40,116 39))\n"
	    "grid\t110101001002000\tcommunity\t110101001000000\t\t"
	    "POLYGON((116 39,117 39,117 40,116 40,116 39))\n"
	    "grid\t110101001002003\tgrid\t110101001002000\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n"
	    "grid\t110101001003004\tgrid\t110101001002000\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n"
	    "grid\t110101002001005\tgrid\t110101001000000\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n";
	static const char reg349[] = HDR
	    "grid\t110101\tdistrict\t\t\tPOLYGON((116 39,117 39,117 40,"
	    "116 40,116 39))\n"
	    "grid\t110101001002\tcommunity\t110101\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n"
	    "grid\tOBJ12311010100100203\tgrid\t110101001002\t\t"
	    "POLYGON((116 39,117 39,117 40,116 40,116 39))\n"
	    "grid\tOBJ12311010100200203\tgrid\t110101001002\t\t"
	    "POLYGON((116 39,117 39,117 40,116 40,116 39))\n";
	static const char reg32[] = HDR
	    "grid\t110101001002\tcommunity\t\t\tPOLYGON((116 39,117 39,"
	    "117 40,116 40,116 39))\n"
	    "grid\t11010100100203\tgrid\t110101001002\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n"
	    "grid\t11010100100303\tgrid\t110101001002\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n"
	    "grid\t1101\tgrid\t110101001002\t\tPOLYGON((116 39,"
	    "117 39,117 40,116 40,116 39))\n";
	struct grids *g;
	struct gots s;
	int i;
	const char *lays[] = { "cjt213", "auto" };

	(void)state;
	for (i = 0; i < 2; i++) {
		g = load_ok(reg213, lays[i]);
		check_all(g, 1e12, &s);
		/* the padded parents pass; 110101001003004 and
		 * 110101002001005 disagree */
		expect(&s, 0, "code_parent", "110101001003004",
		    "110101001002000", 6);
		expect(&s, 1, "code_parent", "110101002001005",
		    "110101001000000", 7);
		assert_string_equal(s.v[0].reason,
		    "code prefix differs from the parent code");
		/* grid under a street: level order is fine (street above) */
		assert_int_equal(s.n, 2);
		assert_true(grids_usable(g));
		grids_free(g);
	}
	g = load_ok(reg213, "none");
	check_all(g, 1e12, &s);
	assert_int_equal(s.n, 0);
	grids_free(g);
	for (i = 0; i < 2; i++) {
		g = load_ok(reg349, i ? "auto" : "cjt349");
		check_all(g, 1e12, &s);
		if (i == 0) {
			/* a fixed layout reads the 12-character community
			 * code by position too: its "district" is 001002 */
			assert_int_equal(s.n, 2);
			expect(&s, 0, "code_parent", "110101001002", "110101",
			    3);
		} else
			assert_int_equal(s.n, 1);
		expect(&s, s.n - 1, "code_parent", "OBJ12311010100200203",
		    "110101001002", 5);
		grids_free(g);
	}
	g = load_ok(reg32, "street-3-2");
	check_all(g, 1e12, &s);
	assert_int_equal(s.n, 2);
	expect(&s, 0, "code_parent", "1101", "110101001002", 5);
	assert_string_equal(s.v[0].reason, "code shorter than the layout");
	expect(&s, 1, "code_parent", "11010100100303", "110101001002", 4);
	grids_free(g);
	/* auto: the short code has no layout, so only one */
	g = load_ok(reg32, "auto");
	check_all(g, 1e12, &s);
	assert_int_equal(s.n, 1);
	expect(&s, 0, "code_parent", "11010100100303", "110101001002", 4);
	grids_free(g);
}

/*
 * Every check kind planted.  P (parent community) is 116.30..116.32 x
 * 39.90..39.91; its children A and B cover 116.30..116.31 and
 * 116.31..116.315 (gap 116.315..116.32); C (child of P2) sticks out of
 * P2; O1/O2 overlap; bow is a bowtie.
 */
static void
test_check_kinds(void **state)
{
	struct sb b = { 0 };
	struct grids *g;
	struct gots s;
	struct err e;
	double w, h, want;
	int i;
	long live = mem_live();

	(void)state;
	sb_printf(&b, HDR);
	sb_printf(&b, "grid\tP\tcommunity\t\t\tPOLYGON(");		/* 2 */
	sb_rect(&b, 116.30, 39.90, 116.32, 39.91);
	sb_printf(&b, ")\ngrid\tPA\tgrid\tP\t\tPOLYGON(");		/* 3 */
	sb_rect(&b, 116.30, 39.90, 116.31, 39.91);
	sb_printf(&b, ")\ngrid\tPB\tgrid\tP\t\tPOLYGON(");		/* 4 */
	sb_rect(&b, 116.31, 39.90, 116.315, 39.91);
	sb_printf(&b, ")\ngrid\tQ\tcommunity\t\t\tPOLYGON(");	/* 5 */
	sb_rect(&b, 116.40, 39.90, 116.41, 39.91);
	sb_printf(&b, ")\ngrid\tQC\tgrid\tQ\t\tPOLYGON(");		/* 6 */
	sb_rect(&b, 116.405, 39.90, 116.415, 39.91);
	sb_printf(&b, ")\ngrid\tX1\tgrid\t\t\tPOLYGON(");		/* 7 */
	sb_rect(&b, 116.50, 39.90, 116.51, 39.91);
	sb_printf(&b, ")\ngrid\tX2\tgrid\t\t\tPOLYGON(");		/* 8 */
	sb_rect(&b, 116.505, 39.905, 116.515, 39.915);
	sb_printf(&b, ")\n");
	sb_printf(&b, "grid\tbow\tunit\t\t\tPOLYGON((116.301 39.901,"
	    "116.302 39.902,116.302 39.901,116.301 39.902,116.301 39.901))\n");
	sb_printf(&b, "grid\tbad\tgrid\t\t\tPOLYGON((116.3 39.9,116.4))\n");
	sb_printf(&b, "grid\tpt\tgrid\t\t\tPOINT(116.3 39.9)\n");	/* 11 */
	sb_printf(&b, "grid\tX1\tgrid\t\t\tPOLYGON(");		/* 12 */
	sb_rect(&b, 116.50, 39.90, 116.51, 39.91);
	sb_printf(&b, ")\ngrid\torph\tgrid\tnope\t\tPOLYGON(");	/* 13 */
	sb_rect(&b, 116.60, 39.90, 116.61, 39.91);
	sb_printf(&b, ")\ngrid\tcy1\tstreet\tcy2\t\tPOLYGON(");	/* 14 */
	sb_rect(&b, 116.70, 39.90, 116.71, 39.91);
	sb_printf(&b, ")\ngrid\tcy2\tdistrict\tcy1\t\tPOLYGON(");	/* 15 */
	sb_rect(&b, 116.80, 39.90, 116.81, 39.91);
	sb_printf(&b, ")\ngrid\tlv\tdistrict\tQC\t\tPOLYGON(");	/* 16 */
	sb_rect(&b, 116.90, 39.90, 116.91, 39.91);
	sb_printf(&b, ")\ngrid\tnan\tgrid\t\t\tPOLYGON((1 1,2 2,1 nan,"
	    "1 1))\n");							/* 17 */
	sb_printf(&b, "grid\tfar\tgrid\t\t\tPOLYGON((1 1,2 2,1 100,1 1))\n");
	sb_printf(&b, "grid\temp\tgrid\t\t\tPOLYGON EMPTY\n");	/* 19 */
	sb_printf(&b, "grid\tnowkt\tgrid\t\t\t\n");			/* 20 */
	g = load_ok(b.p, "none");
	assert_false(grids_usable(g));
	check_all(g, 1.0, &s);
	i = 0;
	expect(&s, i, "bad_wkt", "bad", "", 10);
	assert_true(strlen(s.v[i].reason) > 0);
	assert_null(strstr(s.v[i].reason, "116"));
	assert_int_equal(s.v[i].grid, grids_find(g, "bad"));
	expect(&s, ++i, "bad_wkt", "far", "", 18);
	assert_string_equal(s.v[i].reason,
	    "coordinate out of range or not a number");
	expect(&s, ++i, "bad_wkt", "nan", "", 17);
	expect(&s, ++i, "bad_wkt", "nowkt", "", 20);
	assert_string_equal(s.v[i].reason, "empty");
	expect(&s, ++i, "not_polygon", "emp", "", 19);
	assert_string_equal(s.v[i].reason, "empty");
	expect(&s, ++i, "not_polygon", "pt", "", 11);
	expect(&s, ++i, "duplicate", "X1", "", 12);
	assert_int_equal(s.v[i].grid, grids_find(g, "X1"));
	expect(&s, ++i, "orphan", "orph", "nope", 13);
	assert_int_equal(s.v[i].oth, -1);
	expect(&s, ++i, "cycle", "cy1", "cy2", 14);
	/* cut at cy1, cy2 (district) stays under cy1 (street) */
	expect(&s, ++i, "level_order", "cy2", "cy1", 15);
	expect(&s, ++i, "level_order", "lv", "QC", 16);
	expect(&s, ++i, "invalid", "bow", "", 9);
	assert_string_equal(s.v[i].reason, "Self-intersection");
	expect(&s, ++i, "overlap", "X1", "X2", 7);
	/* 0.005 x 0.005 degrees at 39.9075 */
	w = geo_distance_m(116.505, 39.9075, 116.51, 39.9075);
	h = geo_distance_m(116.5, 39.905, 116.5, 39.91);
	want = w * h;
	near(s.v[i].area, want, want * 0.01);
	assert_int_equal(s.v[i].grid, grids_find(g, "X1"));
	assert_int_equal(s.v[i].oth, grids_find(g, "X2"));
	expect(&s, ++i, "gap", "P", "", 2);
	w = geo_distance_m(116.315, 39.905, 116.32, 39.905);
	h = geo_distance_m(116.3, 39.90, 116.3, 39.91);
	near(s.v[i].area, w * h, w * h * 0.01);
	expect(&s, ++i, "gap", "Q", "", 5);
	w = geo_distance_m(116.40, 39.905, 116.405, 39.905);
	near(s.v[i].area, w * h, w * h * 0.01);
	/* QC's only child lv lies elsewhere: all of QC is a gap */
	expect(&s, ++i, "gap", "QC", "", 6);
	want = geo_distance_m(116.405, 39.905, 116.415, 39.905) * h;
	near(s.v[i].area, want, want * 0.01);
	expect(&s, ++i, "gap", "cy1", "", 14);
	expect(&s, ++i, "outside_parent", "QC", "Q", 6);
	near(s.v[i].area, w * h, w * h * 0.01);
	expect(&s, ++i, "outside_parent", "cy2", "cy1", 15);
	expect(&s, ++i, "outside_parent", "lv", "QC", 16);
	want = geo_distance_m(116.90, 39.905, 116.91, 39.905) * h;
	near(s.v[i].area, want, want * 0.01);
	assert_int_equal(s.n, i + 1);
	/* chain stops where the cycle was cut */
	{
		long out[GRIDS_NLEVEL];

		grids_chain(g, (size_t)grids_find(g, "cy2"), out);
		assert_int_equal(out[GRIDS_DISTRICT], grids_find(g, "cy2"));
		assert_int_equal(out[GRIDS_STREET], grids_find(g, "cy1"));
		assert_int_equal(grids_parent(g, (size_t)grids_find(g, "cy1")),
		    -1);
		assert_int_equal(grids_parent(g, (size_t)grids_find(g, "cy2")),
		    grids_find(g, "cy1"));
	}

	/* a large minimum hides the areas */
	check_all(g, 1e9, &s);
	assert_string_equal(s.v[s.n - 1].kind, "invalid");
	/* stopping early */
	memset(&s, 0, sizeof(s));
	s.stop_at = 3;
	assert_int_equal(grids_check(g, 1, collect_cb, &s, &e), 42);
	assert_int_equal(s.n, 3);
	/* the same again: deterministic */
	{
		struct gots s2;

		check_all(g, 1.0, &s);
		check_all(g, 1.0, &s2);
		assert_int_equal(s.n, s2.n);
		assert_memory_equal(s.v, s2.v, sizeof(s.v[0]) * (size_t)s.n);
	}
	grids_free(g);
	free(b.p);
	assert_int_equal(mem_live(), live);
}

/* The bad WKT of a duplicate record has no grid number. */
static void
test_dup_bad(void **state)
{
	static const char reg[] = HDR
	    "grid\tA\tgrid\t\t\tPOLYGON((116 39,117 39,117 40,116 40,116 39))\n"
	    "grid\tA\tgrid\t\t\tLINESTRING(116 39,117 39)\n";
	struct grids *g;
	struct gots s;

	(void)state;
	g = load_ok(reg, "none");
	check_all(g, 1, &s);
	assert_int_equal(s.n, 2);
	expect(&s, 0, "not_polygon", "A", "", 3);
	assert_int_equal(s.v[0].grid, -1);
	expect(&s, 1, "duplicate", "A", "", 3);
	assert_int_equal(s.v[1].grid, 0);
	assert_int_equal(grids_count(g), 1);
	grids_free(g);
}

static void
expect_load_error(const char *text, int code, long line, const char *field,
    const char *msg)
{
	struct grids *g = (struct grids *)1;
	struct err e;
	long live = mem_live();

	err_clear(&e);
	assert_int_equal(grids_load_mem(&g, text, strlen(text), "reg.tsv",
	    NULL, &e), code);
	assert_null(g);
	assert_int_equal(e.line, line);
	assert_string_equal(e.file, "reg.tsv");
	assert_string_equal(e.field, field);
	if (msg != NULL)
		assert_string_equal(e.msg, msg);
	assert_int_equal(mem_live(), live);
}

static void
test_load_errors(void **state)
{
	char dir[] = "/tmp/test_grids.XXXXXX", path[64];
	struct grids *g;
	struct err e;
	FILE *f;

	(void)state;
	expect_load_error("kind\tlevel\twkt\ngrid\tgrid\tPOLYGON EMPTY\n",
	    ERR_DATA, 1, "code", "missing column");
	expect_load_error("kind\tcode\twkt\ngrid\tA\tPOLYGON EMPTY\n",
	    ERR_DATA, 1, "level", "missing column");
	expect_load_error("kind\tcode\tlevel\n", ERR_DATA, 1, "wkt",
	    "missing column");
	expect_load_error(HDR "grid\tA\tgrid\n", ERR_DATA, 2, "", NULL);
	expect_load_error(HDR "grid\tA\tgrid\t\t\tPOLYGON EMPTY\n"
	    "grid\tB\tgrid\t\t\tPOLYGON EMPTY\tx\n", ERR_DATA, 3, "", NULL);
	expect_load_error(HDR "grid\t\tgrid\t\t\tPOLYGON EMPTY\n", ERR_DATA,
	    2, "code", "empty code");
	expect_load_error(HDR "grid\tA\tGrid\t\t\tPOLYGON EMPTY\n", ERR_DATA,
	    2, "level", "unknown level");
	expect_load_error(HDR "grid\tA\t\t\t\tPOLYGON EMPTY\n", ERR_DATA,
	    2, "level", "unknown level");
	expect_load_error(HDR "person\tA\tgrid\t\t\tPOLYGON EMPTY\n",
	    ERR_DATA, 2, "kind", NULL);
	expect_load_error("", ERR_DATA, 0, "", NULL);
	expect_load_error(HDR "grid\tA\tgrid\t\t\tPOLYGON EMPTY", ERR_DATA,
	    2, "", NULL);

	/* header only: an empty registry */
	g = load_ok(HDR, "auto");
	assert_int_equal(grids_count(g), 0);
	assert_true(grids_usable(g));
	{
		long leaf;
		double d;

		assert_int_equal(grids_locate(g, 116, 39, 100, &leaf, &d, &e),
		    0);
		assert_int_equal(grids_locate_brute(g, 116, 39, &leaf, &e), 0);
	}
	grids_free(g);
	grids_free(NULL);

	/* from a file; a missing file */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/reg.tsv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(holes_reg, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(grids_load(&g, path, NULL, &e), 0);
	assert_int_equal(grids_count(g), 2);
	grids_free(g);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(grids_load(&g, path, NULL, &e), ERR_NOINPUT);
	assert_null(g);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_oom(void **state)
{
	struct sb b = { 0 };
	struct grids *g;
	struct gots s;
	struct err e;
	long n, live = mem_live(), leaf;
	double d;
	int rc, i;

	(void)state;
	sb_printf(&b, "%s", chain_reg);
	for (i = 0; i < 80; i++) {
		sb_printf(&b, "grid\tZ%03d\tgrid\t%s\t\tPOLYGON(", i,
		    i % 7 == 0 ? "nope" : "110101001002");
		sb_rect(&b, 116.3 + i * 0.001, 39.9, 116.3 + i * 0.001 +
		    0.0015, 39.91);
		sb_printf(&b, ")\n");
	}
	sb_printf(&b, "grid\tZ001\tgrid\t\t\tPOINT(1 1)\n");
	sb_printf(&b, "grid\tbad\tgrid\t\t\tPOLYGON((1 1\n");
	for (n = 0;; n++) {
		mem_fail_after(n);
		err_clear(&e);
		rc = grids_load_mem(&g, b.p, b.n, "reg.tsv", NULL, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
		assert_string_equal(e.msg, "out of memory");
		assert_null(g);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 5);
	/* check and locate under failing allocation */
	for (n = 0;; n++) {
		memset(&s, 0, sizeof(s));
		mem_fail_after(n);
		rc = grids_check(g, 1, collect_cb, &s, &e);
		mem_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
	}
	assert_true(s.n > 10);
	grids_free(g);
	/* locate: a fresh registry has an empty candidate buffer */
	g = load_ok(b.p, "auto");
	/* the index build used the buffer already; grow it with a big box */
	mem_fail_after(0);
	rc = grids_locate(g, 116.34, 39.95, 5000, &leaf, &d, &e);
	mem_fail_after(-1);
	assert_int_equal(rc, ERR_INTERNAL);
	assert_string_equal(e.msg, "out of memory");
	rc = grids_locate(g, 116.34, 39.95, 5000, &leaf, &d, &e);
	assert_int_equal(rc, 2);
	near(d, geo_distance_m(116.34, 39.95, 116.34, 39.91), 1e-6);
	grids_free(g);
	free(b.p);
	assert_int_equal(mem_live(), live);
}

/* ---- the cross-check ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
urand(void)
{
	return (double)(xorshift() >> 11) / 9007199254740992.0;
}

/* A star-shaped simple ring around (cx, cy), nv vertices. */
static void
sb_star(struct sb *b, double cx, double cy, double r, int nv)
{
	double x0 = 0, y0 = 0;
	int k;

	sb_printf(b, "(");
	for (k = 0; k < nv; k++) {
		double a = 2 * M_PI * k / nv, rr = r * (0.5 + 0.5 * urand());
		double x = cx + rr * cos(a), y = cy + rr * sin(a) * 0.8;

		if (k == 0) {
			x0 = x;
			y0 = y;
		}
		sb_printf(b, "%.17g %.17g,", x, y);
	}
	sb_printf(b, "%.17g %.17g)", x0, y0);
}

#define X0 116.30
#define Y0 39.90
#define CELL 0.002

static void
test_cross(void **state)
{
	struct sb b = { 0 };
	struct grids *g;
	struct err e;
	long leaf, bleaf, found = 0, onedge = 0;
	double d;
	int i, j, n = 0, rc, rb;

	(void)state;
	sb_printf(&b, HDR);
	/* 6 x 5 tiles sharing edges, every third with a hole */
	for (i = 0; i < 6; i++)
		for (j = 0; j < 5; j++) {
			double x = X0 + i * CELL, y = Y0 + j * CELL;

			sb_printf(&b, "grid\tT%02d\tgrid\t\t\tPOLYGON(", n);
			sb_rect(&b, x, y, x + CELL, y + CELL);
			if (n % 3 == 0) {
				sb_printf(&b, ",");
				sb_rect(&b, x + CELL / 4, y + CELL / 4,
				    x + CELL / 2, y + CELL / 2);
			}
			sb_printf(&b, ")\n");
			n++;
		}
	/* stars over and around the tiles: overlaps, multipolygons */
	for (i = 0; i < 40; i++) {
		double cx = X0 - 0.002 + urand() * 0.016;
		double cy = Y0 - 0.002 + urand() * 0.014;

		sb_printf(&b, "grid\tS%02d\tgrid\t\t\t", i);
		if (i % 4 == 0) {
			sb_printf(&b, "MULTIPOLYGON((");
			sb_star(&b, cx, cy, 0.0008, 12 + i % 20);
			sb_printf(&b, "),(");
			sb_star(&b, cx + 0.003, cy + 0.001, 0.0008, 20);
			sb_printf(&b, "))\n");
		} else {
			sb_printf(&b, "POLYGON(");
			sb_star(&b, cx, cy, 0.0004 + urand() * 0.0015,
			    20 + i);
			sb_printf(&b, ")\n");
		}
	}
	g = load_ok(b.p, "none");
	assert_int_equal(grids_leaf_count(g), 70);
	for (i = 0; i < 100000; i++) {
		double x = X0 - 0.003 + urand() * 0.018;
		double y = Y0 - 0.003 + urand() * 0.016;
		uint64_t r = xorshift() % 10;

		/* a tenth on tile edges, a tenth on tile vertices */
		if (r == 0) {
			x = X0 + (double)(xorshift() % 7) * CELL;
			onedge++;
		} else if (r == 1) {
			x = X0 + (double)(xorshift() % 7) * CELL;
			y = Y0 + (double)(xorshift() % 6) * CELL;
			onedge++;
		}
		rc = grids_locate(g, x, y, 0, &leaf, &d, &e);
		rb = grids_locate_brute(g, x, y, &bleaf, &e);
		if (rc != rb || leaf != bleaf)
			fail_msg("point %d (%.17g %.17g): %d %ld vs %d %ld", i,
			    x, y, rc, leaf, rb, bleaf);
		found += rc;
	}
	/* most points fall in some grid, not all */
	assert_true(found > 50000 && found < 100000);
	assert_true(onedge > 15000);
	grids_free(g);
	free(b.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_holes_multi),
		cmocka_unit_test(test_nan),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_diagonal),
		cmocka_unit_test(test_overlap_lowest),
		cmocka_unit_test(test_snap),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_layout_load),
		cmocka_unit_test(test_check_kinds),
		cmocka_unit_test(test_dup_bad),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_cross),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
