/* test_geo.c - unit tests for lib/geo */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "geo.h"
#include "mem.h"

#define DEG 1e-9	/* about 0.1 mm */

static void
near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%.15f != %.15f (tolerance %g)", got, want, tol);
}

static void
test_crs_parse(void **state)
{
	static const struct {
		const char *name;
		enum geo_crs crs;
	} ok[] = {
		{ "wgs84", GEO_WGS84 }, { "WGS84", GEO_WGS84 },
		{ "wgs-84", GEO_WGS84 }, { "CGCS2000", GEO_WGS84 },
		{ "gcj02", GEO_GCJ02 }, { "GCJ-02", GEO_GCJ02 },
		{ "bd09", GEO_BD09 }, { "BD-09", GEO_BD09 },
	};
	static const char *bad[] = { "", "wgs", "wgs84 ", " gcj02", "gcj2",
	    "bd09ll", "epsg:4326", "wgs84\xc3\xa9" };
	enum geo_crs crs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		crs = (enum geo_crs)-1;
		assert_int_equal(geo_crs_parse(ok[i].name, &crs), 0);
		assert_int_equal(crs, ok[i].crs);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		crs = GEO_BD09;
		assert_int_equal(geo_crs_parse(bad[i], &crs), -1);
		assert_int_equal(crs, GEO_BD09);
	}
	assert_int_equal(geo_crs_parse(NULL, &crs), -1);
}

/*
 * Published pairs: googollee/eviltransform c/test.c (WGS-84 -> GCJ-02 for
 * Shanghai, Shenzhen, Beijing; the exact inverse within 0.5 m) and
 * wandergis/coordtransform test/app.js (116.404, 39.915 through each
 * transform).
 */
static void
test_published_pairs(void **state)
{
	static const double evil[][4] = {
		/* wgs lon, wgs lat, gcj lon, gcj lat */
		{ 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597 },
		{ 113.912316, 22.543847, 113.9171764808363, 22.540796131694766 },
		{ 116.377817, 39.911954, 116.38404722455657, 39.91334545536069 },
	};
	double lon, lat;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		geo_wgs84_to_gcj02(evil[i][0], evil[i][1], &lon, &lat);
		near(lon, evil[i][2], DEG);
		near(lat, evil[i][3], DEG);
		geo_gcj02_to_wgs84(evil[i][2], evil[i][3], &lon, &lat);
		assert_true(geo_distance_m(lon, lat, evil[i][0], evil[i][1]) <
		    0.5);
	}
	geo_bd09_to_gcj02(116.404, 39.915, &lon, &lat);
	near(lon, 116.39762729119315, DEG);
	near(lat, 39.90865673957631, DEG);
	geo_gcj02_to_bd09(116.404, 39.915, &lon, &lat);
	near(lon, 116.41036949371029, DEG);
	near(lat, 39.92133699351021, DEG);
	geo_wgs84_to_gcj02(116.404, 39.915, &lon, &lat);
	near(lon, 116.41024449916938, DEG);
	near(lat, 39.91640428150164, DEG);
	/* coordtransform's gcj02towgs84 is the one-step inverse (1-2 m off);
	 * ours iterates: within 3 m of theirs, and exact going forward */
	geo_gcj02_to_wgs84(116.404, 39.915, &lon, &lat);
	assert_true(geo_distance_m(lon, lat, 116.39775550083061,
	    39.91359571849836) < 3);
	geo_wgs84_to_gcj02(lon, lat, &lon, &lat);
	near(lon, 116.404, DEG);
	near(lat, 39.915, DEG);
}

/* Xiangtan (the seed report's city): round trips well under 0.5 m. */
static void
test_xiangtan_round_trips(void **state)
{
	double glon, glat, wlon, wlat, blon, blat, lon, lat;

	(void)state;
	geo_wgs84_to_gcj02(112.90, 27.85, &glon, &glat);
	/* the offset there is a few hundred metres */
	assert_true(geo_distance_m(112.90, 27.85, glon, glat) > 100);
	assert_true(geo_distance_m(112.90, 27.85, glon, glat) < 1000);
	geo_gcj02_to_wgs84(glon, glat, &wlon, &wlat);
	assert_true(geo_distance_m(wlon, wlat, 112.90, 27.85) < 0.5);
	assert_true(geo_distance_m(wlon, wlat, 112.90, 27.85) < 0.001);

	geo_gcj02_to_bd09(glon, glat, &blon, &blat);
	assert_true(geo_distance_m(glon, glat, blon, blat) > 100);
	geo_bd09_to_gcj02(blon, blat, &lon, &lat);
	assert_true(geo_distance_m(lon, lat, glon, glat) < 0.5);

	/* BD-09 straight to WGS-84 */
	geo_to_wgs84(GEO_BD09, blon, blat, &lon, &lat);
	assert_true(geo_distance_m(lon, lat, 112.90, 27.85) < 0.5);
	geo_to_wgs84(GEO_GCJ02, glon, glat, &lon, &lat);
	assert_true(geo_distance_m(lon, lat, 112.90, 27.85) < 0.5);
	geo_to_wgs84(GEO_WGS84, 112.90, 27.85, &lon, &lat);
	assert_true(lon == 112.90 && lat == 27.85);
}

/* The inverse holds across the whole box, not only at known cities. */
static void
test_inverse_everywhere(void **state)
{
	double lon, lat, glon, glat, wlon, wlat, blon, blat, worst = 0, d;

	(void)state;
	for (lon = 73.0; lon <= 135.0; lon += 0.73)
		for (lat = 3.9; lat <= 53.5; lat += 0.61) {
			geo_wgs84_to_gcj02(lon, lat, &glon, &glat);
			geo_gcj02_to_wgs84(glon, glat, &wlon, &wlat);
			d = geo_distance_m(lon, lat, wlon, wlat);
			if (d > worst)
				worst = d;
			geo_gcj02_to_bd09(glon, glat, &blon, &blat);
			geo_bd09_to_gcj02(blon, blat, &wlon, &wlat);
			assert_true(geo_distance_m(glon, glat, wlon, wlat) < 0.5);
		}
	assert_true(worst < 0.01);
}

/* eviltransform's box, edges included; nothing moves outside it. */
static void
test_china_box(void **state)
{
	static const double inside[][2] = {
		{ 72.004, 30.0 }, { 137.8347, 30.0 }, { 100.0, 0.8293 },
		{ 100.0, 55.8271 }, { 72.004, 0.8293 }, { 137.8347, 55.8271 },
		{ 112.90, 27.85 },
	};
	static const double outside[][2] = {
		{ 72.0039, 30.0 }, { 137.8348, 30.0 }, { 100.0, 0.8292 },
		{ 100.0, 55.8272 }, { -0.1276, 51.5072 }, { 139.69, 35.69 },
		{ -112.90, 27.85 }, { 112.90, -27.85 }, { 0, 0 },
	};
	double lon, lat;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof inside / sizeof inside[0]; i++) {
		assert_true(geo_in_china(inside[i][0], inside[i][1]));
		geo_wgs84_to_gcj02(inside[i][0], inside[i][1], &lon, &lat);
		assert_true(geo_distance_m(lon, lat, inside[i][0],
		    inside[i][1]) > 1);
		geo_gcj02_to_wgs84(inside[i][0], inside[i][1], &lon, &lat);
		assert_true(geo_distance_m(lon, lat, inside[i][0],
		    inside[i][1]) > 1);
	}
	for (i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		assert_false(geo_in_china(outside[i][0], outside[i][1]));
		geo_wgs84_to_gcj02(outside[i][0], outside[i][1], &lon, &lat);
		assert_true(lon == outside[i][0] && lat == outside[i][1]);
		geo_gcj02_to_wgs84(outside[i][0], outside[i][1], &lon, &lat);
		assert_true(lon == outside[i][0] && lat == outside[i][1]);
		geo_to_wgs84(GEO_GCJ02, outside[i][0], outside[i][1], &lon,
		    &lat);
		assert_true(lon == outside[i][0] && lat == outside[i][1]);
	}
	assert_false(geo_in_china(NAN, 30.0));
	assert_false(geo_in_china(100.0, NAN));
	assert_false(geo_in_china(INFINITY, INFINITY));
}

static void
test_non_finite(void **state)
{
	double lon, lat;

	(void)state;
	geo_wgs84_to_gcj02(NAN, 30.0, &lon, &lat);
	assert_true(isnan(lon) && lat == 30.0);
	geo_gcj02_to_wgs84(100.0, NAN, &lon, &lat);
	assert_true(lon == 100.0 && isnan(lat));
	geo_bd09_to_gcj02(NAN, NAN, &lon, &lat);
	assert_true(isnan(lon) && isnan(lat));
	assert_true(isnan(geo_distance_m(NAN, 0, 0, 0)));
}

static void
test_distance(void **state)
{
	double d;

	(void)state;
	assert_true(geo_distance_m(112.9, 27.85, 112.9, 27.85) == 0);
	/* one degree of latitude: R * pi / 180 = 111195.08 m (~111.2 km) */
	d = geo_distance_m(112.9, 27.0, 112.9, 28.0);
	near(d, 111195.08, 0.01);
	near(geo_distance_m(0, 0, 1, 0), 111195.08, 0.01);
	/* one degree of longitude shrinks with cos(latitude) */
	near(geo_distance_m(0, 60, 1, 60), 111195.08 * 0.5, 1);
	/* symmetric */
	near(geo_distance_m(112.9, 27.85, 116.4, 39.9),
	    geo_distance_m(116.4, 39.9, 112.9, 27.85), 1e-6);
	/* antipodes: half the circumference */
	near(geo_distance_m(0, 0, 180, 0), 3.14159265358979323846 * 6371008.8,
	    1e-3);
	near(geo_distance_m(10, 45, -170, -45),
	    3.14159265358979323846 * 6371008.8, 1e-3);
	/* Xiangtan to Beijing, about 1340 km */
	d = geo_distance_m(112.94, 27.83, 116.40, 39.90);
	assert_true(d > 1.3e6 && d < 1.4e6);
}

/* Nothing here allocates. */
static void
test_no_allocation(void **state)
{
	long count = mem_count();
	double lon, lat;
	enum geo_crs crs;

	(void)state;
	mem_fail_after(0);
	geo_to_wgs84(GEO_BD09, 112.9, 27.85, &lon, &lat);
	assert_int_equal(geo_crs_parse("gcj02", &crs), 0);
	mem_fail_after(-1);
	assert_int_equal(mem_count(), count);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crs_parse),
		cmocka_unit_test(test_published_pairs),
		cmocka_unit_test(test_xiangtan_round_trips),
		cmocka_unit_test(test_inverse_everywhere),
		cmocka_unit_test(test_china_box),
		cmocka_unit_test(test_non_finite),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_no_allocation),
	};

	return cmocka_run_group_tests_name("geo", tests, NULL, NULL);
}
