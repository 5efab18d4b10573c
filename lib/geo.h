/*
 * geo.h - map coordinate systems: WGS-84, GCJ-02 and BD-09 (points only)
 *
 * Phone apps built on AMap or Tencent maps report GCJ-02 ("Mars"
 * coordinates), apps on Baidu maps BD-09; GPS receivers and official maps
 * use WGS-84 (CGCS2000 is the same at this scale).  Records always carry
 * WGS-84, so grid-import converts with geo_to_wgs84 and grid-assign compares
 * points and polygons in one system.
 *
 * Formulas: the public wgs2gcj algorithm (Krasovsky ellipsoid a = 6378245.0,
 * ee = 0.00669342162296594323, polynomial offsets around 105 E, 35 N) as in
 * wandergis/coordtransform and googollee/eviltransform; BD-09 from and to
 * GCJ-02 by Baidu's published rotation and shift.
 *
 * Where the GCJ-02 offset applies: implementations disagree on the box.
 * This module uses eviltransform's, edges included: longitude
 * 72.004..137.8347 E, latitude 0.8293..55.8271 N (coordtransform's narrower
 * 73.66..135.05, 3.86..53.55 cuts off parts of Xinjiang, Heilongjiang and
 * the South China Sea).  Outside the box WGS-84 and GCJ-02 are the same.
 * The box is a rectangle, so parts of neighbouring countries fall inside it
 * too; that is what the deployed implementations do.
 *
 * Longitude first everywhere, in decimal degrees.  Non-finite input gives
 * non-finite (or unchanged) output; no function fails or allocates.
 */
#ifndef GRID_GEO_H
#define GRID_GEO_H

#include <stdbool.h>

enum geo_crs { GEO_WGS84, GEO_GCJ02, GEO_BD09 };

/*
 * geo_crs_parse: "wgs84", "gcj02", "bd09" (any case, also "wgs-84",
 * "gcj-02", "bd-09"; "cgcs2000" is taken as WGS-84).  Returns 0 and sets
 * *crs, or -1 (name NULL or unknown; *crs untouched).
 */
int geo_crs_parse(const char *name, enum geo_crs *crs);

/* geo_in_china: (lon, lat) lies in the box above, edges included. */
bool geo_in_china(double lon, double lat);

/* geo_wgs84_to_gcj02: the GCJ-02 offset; outside China the point as is. */
void geo_wgs84_to_gcj02(double lon, double lat, double *olon, double *olat);

/*
 * geo_gcj02_to_wgs84: the inverse of geo_wgs84_to_gcj02, by fixed-point
 * iteration until the step is below 1e-10 degree (well under 0.5 m, in
 * practice 3 to 4 rounds).  Outside China (judged on the GCJ-02 input) the
 * point as is.  Within a few hundred metres of the box edge the result may
 * lie outside the box, where the forward function would not offset it.
 */
void geo_gcj02_to_wgs84(double lon, double lat, double *olon, double *olat);

/* geo_bd09_to_gcj02, geo_gcj02_to_bd09: Baidu's transform, applied
 * everywhere (Baidu has no box); each is the other's inverse to ~1e-6 m. */
void geo_bd09_to_gcj02(double lon, double lat, double *olon, double *olat);
void geo_gcj02_to_bd09(double lon, double lat, double *olon, double *olat);

/* geo_to_wgs84: a point in crs to WGS-84 (BD-09 goes through GCJ-02). */
void geo_to_wgs84(enum geo_crs crs, double lon, double lat, double *olon,
    double *olat);

/*
 * geo_distance_m: great-circle distance in metres by the haversine formula
 * on a sphere of the mean Earth radius R = 6371008.8 m (error up to 0.5 %
 * against the ellipsoid; fine for snapping and for checking transforms).
 */
double geo_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
