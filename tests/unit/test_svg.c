/* test_svg.c - unit tests of lib/svg */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "mem.h"
#include "svg.h"

/* Number of occurrences of pat in s. */
static int
count(const char *s, const char *pat)
{
	int k = 0;

	while ((s = strstr(s, pat)) != NULL) {
		k++;
		s += strlen(pat);
	}
	return k;
}

/*
 * Well-formed enough: every tag closed in order, attribute values quoted,
 * no raw '<' or '&' in text other than entities, one root <svg>.
 */
static void
well_formed(const char *s)
{
	char stack[32][16];
	int depth = 0, roots = 0;
	const char *p = s, *q;
	size_t n;

	while (*p != '\0') {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&#39;", 5))
				fail_msg("raw & at %d", (int)(p - s));
			p++;
			continue;
		}
		if (*p == '>')
			fail_msg("raw > at %d", (int)(p - s));
		if (*p != '<') {
			p++;
			continue;
		}
		q = p + 1;
		if (*q == '/') {
			q++;
			n = strcspn(q, ">");
			assert_true(depth > 0);
			depth--;
			if (strlen(stack[depth]) != n ||
			    strncmp(stack[depth], q, n) != 0)
				fail_msg("</%.*s> closes <%s>", (int)n, q,
				    stack[depth]);
			p = q + n + 1;
			continue;
		}
		n = strcspn(q, " />");
		assert_true(n > 0 && n < 16);
		if (depth == 0) {
			roots++;
			assert_int_equal(strncmp(q, "svg", 3), 0);
		}
		memcpy(stack[depth], q, n);
		stack[depth][n] = '\0';
		/* attributes: quoted values, no '<' inside */
		for (q += n; *q != '>' && *q != '\0'; q++) {
			if (*q == '"') {
				q++;
				while (*q != '"' && *q != '\0') {
					assert_true(*q != '<');
					q++;
				}
			}
			assert_true(*q != '<');
		}
		assert_int_equal(*q, '>');
		if (q[-1] != '/') {
			depth++;
			assert_true(depth < 32);
		}
		p = q + 1;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

static void
scale(double min, double max, double lo, double hi, double step, int n,
    int dec)
{
	struct svg_scale s;

	svg_nice_scale(min, max, 5, &s);
	assert_true(s.lo == lo);
	assert_true(s.hi == hi);
	assert_true(fabs(s.step - step) < 1e-12);
	assert_int_equal(s.n, n);
	assert_int_equal(s.decimals, dec);
}

static void
test_scale(void **state)
{
	(void)state;
	scale(0, 7, 0, 8, 2, 5, 0);
	scale(0, 1234, 0, 1500, 500, 4, 0);
	scale(-3, 5, -4, 6, 2, 6, 0);
	scale(-37, -2, -40, 0, 10, 5, 0);
	scale(0, 0, 0, 1, 0.2, 6, 1);
	scale(NAN, NAN, 0, 1, 0.2, 6, 1);
	scale(3, 3, 0, 3, 1, 4, 0);		/* zero always in */
	scale(0, 0.87, 0, 1, 0.2, 6, 1);
	scale(0, 0.05, 0, 0.05, 0.01, 6, 2);
	scale(0, 100, 0, 100, 20, 6, 0);
	scale(0, 1e6, 0, 1e6, 2e5, 6, 0);
}

static void
test_text(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(svg_text(&b, "<script>&\"'中\x01\tx"), 0);
	assert_string_equal(b.p, "&lt;script&gt;&amp;&quot;&#39;中\tx");
	buf_reset(&b);
	assert_int_equal(svg_text(&b, "a\xff" "b\xe4\xb8"), 0);
	assert_string_equal(b.p, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	buf_free(&b);
}

static const char *const streets[] = { "三里屯街道", "<script>", "**x**" };

static void
test_bar(void **state)
{
	static const double self[] = { 12, 0, 7.5 };
	static const double disp[] = { 3, NAN, -2 };
	static const char *const names[] = { "自处置", "派遣" };
	const double *series[] = { self, disp };
	struct svg_opts o = { 0 };
	struct buf b = BUF_INIT;
	struct err e;
	long live = mem_live();

	(void)state;
	err_clear(&e);
	o.title = "事件 <by> street";
	o.series = names;
	o.decimals = 1;
	assert_int_equal(svg_bar(&b, &o, streets, series, 2, 3, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<rect class=\"bar s0\""), 3);
	assert_int_equal(count(b.p, "<rect class=\"bar s1\""), 2);
	assert_int_equal(count(b.p, ">n/a</text>"), 1);
	assert_non_null(strstr(b.p, "&lt;script&gt;"));
	assert_non_null(strstr(b.p, "**x**"));
	assert_non_null(strstr(b.p, "事件 &lt;by&gt; street"));
	assert_non_null(strstr(b.p, ">7.5</text>"));
	assert_non_null(strstr(b.p, ">-2</text>"));
	assert_non_null(strstr(b.p, "Noto Sans CJK SC"));
	assert_null(strstr(b.p, "<script>"));
	assert_int_equal(count(b.p, "class=\"key\""), 4);

	/* stacked: totals on top */
	buf_reset(&b);
	o.stacked = true;
	assert_int_equal(svg_bar(&b, &o, streets, series, 2, 3, &e), 0);
	well_formed(b.p);
	assert_non_null(strstr(b.p, ">15</text>"));
	assert_non_null(strstr(b.p, ">5.5</text>"));
	assert_int_equal(count(b.p, "<rect class=\"bar"), 5);

	/* deterministic */
	{
		struct buf c = BUF_INIT;

		assert_int_equal(svg_bar(&c, &o, streets, series, 2, 3, &e),
		    0);
		assert_string_equal(b.p, c.p);
		buf_free(&c);
	}

	/* empty data */
	buf_reset(&b);
	assert_int_equal(svg_bar(&b, NULL, NULL, NULL, 0, 0, &e), 0);
	well_formed(b.p);
	assert_non_null(strstr(b.p, ">no data</text>"));
	assert_non_null(strstr(b.p, "width=\"640\" height=\"360\""));

	/* one category, all zero */
	buf_reset(&b);
	{
		static const double z[] = { 0 };
		const double *zs[] = { z };

		assert_int_equal(svg_bar(&b, NULL, streets, zs, 1, 1, &e), 0);
		well_formed(b.p);
		assert_int_equal(count(b.p, "<rect class=\"bar s0\""), 1);
	}

	/* bad arguments */
	buf_reset(&b);
	o.width = 10;
	assert_int_equal(svg_bar(&b, &o, streets, series, 2, 3, &e),
	    ERR_USAGE);
	o.width = 0;
	o.decimals = 9;
	assert_int_equal(svg_bar(&b, &o, streets, series, 2, 3, &e),
	    ERR_USAGE);
	o.decimals = 0;
	assert_int_equal(svg_bar(&b, &o, NULL, series, 2, 3, &e), ERR_USAGE);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

static void
test_line(void **state)
{
	static const char *const months[] = {
		"2017-01", "2017-02", "2017-03", "2017-04", "2017-05",
		"2017-06", "2017-07", "2017-08", "2017-09", "2017-10",
		"2017-11", "2017-12"
	};
	static const double v[] = {
		120, 98, NAN, 143, 150, 161, 170, 155, -3, 140, 133, 128
	};
	struct buf b = BUF_INIT;
	struct err e;
	struct svg_opts o = { 0 };

	(void)state;
	err_clear(&e);
	o.title = "月度趋势";
	assert_int_equal(svg_line(&b, &o, months, v, 12, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<circle"), 11);
	assert_int_equal(count(b.p, " M"), 1);	/* broken once at n/a */
	assert_int_equal(count(b.p, ">n/a</text>"), 1);
	assert_int_equal(count(b.p, "rotate(-40"), 12);
	assert_non_null(strstr(b.p, ">-3</text>"));

	/* one point */
	buf_reset(&b);
	assert_int_equal(svg_line(&b, NULL, months, v, 1, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<circle"), 1);
	assert_non_null(strstr(b.p, "d=\"M"));
	assert_null(strstr(b.p, " L"));
	/* all n/a */
	buf_reset(&b);
	assert_int_equal(svg_line(&b, NULL, months, v + 2, 1, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<circle"), 0);
	buf_reset(&b);
	assert_int_equal(svg_line(&b, NULL, NULL, NULL, 0, &e), 0);
	assert_non_null(strstr(b.p, ">no data</text>"));
	buf_free(&b);
}

static void
test_hbar(void **state)
{
	static const char *const ind[] = { "决策", "过程 & <x>", "产出" };
	static const double score[] = { 18.5, NAN, -1 };
	static const double weight[] = { 20, 30, 50 };
	struct buf b = BUF_INIT;
	struct err e;
	struct svg_opts o = { 0 };

	(void)state;
	err_clear(&e);
	o.decimals = 1;
	assert_int_equal(svg_hbar(&b, &o, ind, score, weight, 3, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<rect class=\"weight\""), 3);
	assert_int_equal(count(b.p, "<rect class=\"score\""), 2);
	assert_non_null(strstr(b.p, ">18.5 / 20</text>"));
	assert_non_null(strstr(b.p, ">n/a / 30</text>"));
	assert_non_null(strstr(b.p, ">-1 / 50</text>"));
	assert_non_null(strstr(b.p, "过程 &amp; &lt;x&gt;"));
	buf_reset(&b);
	assert_int_equal(svg_hbar(&b, NULL, ind, score, NULL, 1, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "class=\"weight\""), 0);
	buf_reset(&b);
	assert_int_equal(svg_hbar(&b, NULL, NULL, NULL, NULL, 0, &e), 0);
	assert_non_null(strstr(b.p, ">no data</text>"));
	buf_free(&b);
}

/* Three grids: a square with a square hole, its neighbour, and a
 * two-part grid. */
static const double outer[] = { 116.40, 39.90, 116.42, 39.90, 116.42, 39.92,
    116.40, 39.92, 116.40, 39.90 };
static const double hole[] = { 116.405, 39.905, 116.415, 39.905, 116.415,
    39.915, 116.405, 39.915, 116.405, 39.905 };
static const double nb[] = { 116.42, 39.90, 116.44, 39.90, 116.44, 39.92,
    116.42, 39.92 };
static const double p1[] = { 116.405, 39.905, 116.415, 39.905, 116.415,
    39.915 };
static const double p2[] = { 116.44, 39.92, 116.45, 39.92, 116.45, 39.93 };
static const struct svg_ring r0[] = { { outer, 5 }, { hole, 5 } };
static const struct svg_ring r1[] = { { nb, 4 } };
static const struct svg_ring r2[] = { { p1, 3 }, { p2, 3 } };
static const struct svg_poly polys[] = {
	{ "110105001001", r0, 2 },
	{ "G<2>", r1, 1 },
	{ "110105001003", r2, 2 },
};

static void
test_map(void **state)
{
	static const double v[] = { 0.9, NAN, 0.5 };
	static const char *const names[] = { "一网格", "<script>", NULL };
	struct buf b = BUF_INIT;
	struct err e;
	struct svg_opts o = { 0 };
	long live = mem_live();
	const char *p;

	(void)state;
	err_clear(&e);
	o.title = "网格地图";
	o.decimals = 2;
	assert_int_equal(svg_map(&b, &o, polys, 3, v, names, &e), 0);
	well_formed(b.p);
	assert_int_equal(count(b.p, "<path class=\"grid\""), 3);
	assert_non_null(strstr(b.p, "data-code=\"110105001001\" fill=\"#08519c\""));
	assert_non_null(strstr(b.p, "data-code=\"G&lt;2&gt;\" fill=\"#cccccc\""));
	assert_non_null(strstr(b.p, "data-code=\"110105001003\" fill=\"#eff3ff\""));
	assert_non_null(strstr(b.p, "<title>一网格: 0.9</title>"));
	assert_non_null(strstr(b.p, "<title>&lt;script&gt;: n/a</title>"));
	assert_non_null(strstr(b.p, "<title>110105001003: 0.5</title>"));
	assert_non_null(strstr(b.p, ">n/a</text>"));
	assert_non_null(strstr(b.p, ">0.5 \xe2\x80\x93 0.58</text>"));
	assert_non_null(strstr(b.p, ">0.82 \xe2\x80\x93 0.9</text>"));
	assert_int_equal(count(b.p, "class=\"key\""), 2 * 3);
	/* the hole is a second subpath of the first grid */
	p = strstr(b.p, "data-code=\"110105001001\"");
	p = strstr(p, "d=\"");
	assert_int_equal(count(p, " Z M") >= 1, 1);
	assert_non_null(strstr(b.p, "fill-rule=\"evenodd\""));

	/* quantiles */
	buf_reset(&b);
	o.classify = SVG_QUANTILE;
	assert_int_equal(svg_map(&b, &o, polys, 3, v, NULL, &e), 0);
	well_formed(b.p);
	assert_non_null(strstr(b.p, "data-code=\"110105001001\" fill=\"#6baed6\""));
	assert_non_null(strstr(b.p, "data-code=\"110105001003\" fill=\"#eff3ff\""));
	assert_non_null(strstr(b.p, ">0.9</text>"));

	/* all equal: one class, the middle shade */
	buf_reset(&b);
	{
		static const double same[] = { 3, 3, 3 };

		assert_int_equal(svg_map(&b, NULL, polys, 3, same, NULL, &e),
		    0);
		assert_int_equal(count(b.p, "fill=\"#6baed6\""), 4);
		assert_int_equal(count(b.p, "class=\"key\""), 2);
	}
	/* all n/a, negative values, one polygon */
	buf_reset(&b);
	{
		static const double nas[] = { NAN, NAN, NAN };
		static const double neg[] = { -5 };

		assert_int_equal(svg_map(&b, NULL, polys, 3, nas, NULL, &e),
		    0);
		well_formed(b.p);
		assert_int_equal(count(b.p, "fill=\"#cccccc\""), 4);
		buf_reset(&b);
		assert_int_equal(svg_map(&b, NULL, polys + 1, 1, neg, NULL,
		    &e), 0);
		well_formed(b.p);
		assert_non_null(strstr(b.p, ">-5</text>"));
	}
	/* no data */
	buf_reset(&b);
	assert_int_equal(svg_map(&b, NULL, NULL, 0, NULL, NULL, &e), 0);
	well_formed(b.p);
	assert_non_null(strstr(b.p, ">no data</text>"));
	/* bad coordinate */
	buf_reset(&b);
	{
		static const double bad[] = { 116.4, NAN, 116.5, 39.9, 116.4,
		    39.8 };
		static const struct svg_ring br[] = { { bad, 3 } };
		struct svg_poly bp[2];

		bp[0] = polys[0];
		bp[1].code = "x";
		bp[1].rings = br;
		bp[1].nrings = 1;
		assert_int_equal(svg_map(&b, NULL, bp, 2, v, NULL, &e),
		    ERR_DATA);
		assert_string_equal(e.msg,
		    "polygon 2: coordinate out of range");
		assert_int_equal(b.len, 0);
	}
	buf_free(&b);
	assert_int_equal(mem_live(), live);
}

/* The same map gives the same bytes; golden check of a tiny one. */
static void
test_golden(void **state)
{
	static const double sq[] = { 0, 0, 1, 0, 1, 1 };
	static const struct svg_ring r[] = { { sq, 3 } };
	static const struct svg_poly p[] = { { "A", r, 1 } };
	static const double v[] = { 1 };
	struct svg_opts o = { 0 };
	struct buf b = BUF_INIT;
	struct err e;

	(void)state;
	o.width = 200;
	o.height = 100;
	err_clear(&e);
	assert_int_equal(svg_map(&b, &o, p, 1, v, NULL, &e), 0);
	assert_string_equal(b.p,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart map\" "
	    "width=\"200\" height=\"100\" viewBox=\"0 0 200 100\" "
	    "font-family=\"'Noto Sans CJK SC', 'Source Han Sans SC', "
	    "'Microsoft YaHei', 'PingFang SC', sans-serif\" font-size=\"12\" "
	    "role=\"img\">\n"
	    "<g class=\"grids\" stroke=\"#ffffff\" stroke-width=\"0.5\" "
	    "fill-rule=\"evenodd\">\n"
	    "<path class=\"grid\" data-code=\"A\" fill=\"#6baed6\" "
	    "d=\"M8 68 L40 68 L40 36 Z\"><title>A: 1</title>"
	    "</path>\n</g>\n<g class=\"legend\">\n"
	    "<rect class=\"key\" x=\"50\" y=\"16\" width=\"14\" height=\"14\" "
	    "fill=\"#6baed6\" stroke=\"#999\"/>\n"
	    "<text class=\"key\" x=\"70\" y=\"27\" text-anchor=\"start\">1"
	    "</text>\n</g>\n</svg>\n");
	buf_free(&b);
}

static void
test_oom(void **state)
{
	static const double v[] = { 0.9, NAN, 0.5 };
	static const double a[] = { 1, 2, 3 };
	const double *s[] = { a, v };
	struct svg_opts o = { 0 };
	struct buf b;
	struct err e;
	long live = mem_live(), n;
	int r, done;

	(void)state;
	o.title = "t";
	for (done = 0, n = 0; done != 15; n++) {
		done = 0;
		mem_fail_after(n);
		memset(&b, 0, sizeof(b));
		r = svg_map(&b, &o, polys, 3, v, NULL, &e);
		assert_true(r == 0 || (r == ERR_INTERNAL && b.len == 0));
		done |= r == 0;
		buf_free(&b);
		r = svg_bar(&b, &o, streets, s, 2, 3, &e);
		assert_true(r == 0 || (r == ERR_INTERNAL && b.len == 0));
		done |= (r == 0) << 1;
		buf_free(&b);
		r = svg_line(&b, &o, streets, v, 3, &e);
		assert_true(r == 0 || (r == ERR_INTERNAL && b.len == 0));
		done |= (r == 0) << 2;
		buf_free(&b);
		r = svg_hbar(&b, &o, streets, v, a, 3, &e);
		assert_true(r == 0 || (r == ERR_INTERNAL && b.len == 0));
		done |= (r == 0) << 3;
		buf_free(&b);
		mem_fail_after(-1);
		assert_int_equal(mem_live(), live);
	}
	assert_true(n > 3);
}

/* A map of 5,000 grids: one path each. */
static void
test_many(void **state)
{
	struct svg_poly *p;
	struct svg_ring *r;
	double *xy, *v;
	struct buf b = BUF_INIT;
	struct err e;
	size_t i, k;
	char (*codes)[16];

	(void)state;
	p = calloc(5000, sizeof(*p));
	r = calloc(5000, sizeof(*r));
	xy = calloc(5000 * 10, sizeof(*xy));
	v = calloc(5000, sizeof(*v));
	codes = calloc(5000, sizeof(*codes));
	assert_non_null(p);
	assert_non_null(r);
	assert_non_null(xy);
	assert_non_null(v);
	assert_non_null(codes);
	for (i = 0; i < 5000; i++) {
		double x = 116 + (double)(i % 100) * 0.01;
		double y = 39 + (double)(i / 100) * 0.01;
		static const double dx[] = { 0, 0.01, 0.01, 0, 0 };
		static const double dy[] = { 0, 0, 0.01, 0.01, 0 };

		for (k = 0; k < 5; k++) {
			xy[i * 10 + 2 * k] = x + dx[k];
			xy[i * 10 + 2 * k + 1] = y + dy[k];
		}
		r[i].xy = xy + i * 10;
		r[i].n = 5;
		snprintf(codes[i], sizeof(codes[i]), "G%04zu", i);
		p[i].code = codes[i];
		p[i].rings = r + i;
		p[i].nrings = 1;
		v[i] = i % 7 == 0 ? NAN : (double)(i % 13);
	}
	err_clear(&e);
	assert_int_equal(svg_map(&b, NULL, p, 5000, v, NULL, &e), 0);
	assert_int_equal(count(b.p, "<path class=\"grid\""), 5000);
	well_formed(b.p);
	buf_free(&b);
	free(p);
	free(r);
	free(xy);
	free(v);
	free(codes);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_hbar),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
