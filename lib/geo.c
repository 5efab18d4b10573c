/* geo.c - WGS-84, GCJ-02 and BD-09 conversions; see geo.h */
#include "geo.h"

#include <math.h>
#include <stddef.h>

#define PI 3.14159265358979323846
#define X_PI (PI * 3000.0 / 180.0)
#define KRASOVSKY_A 6378245.0
#define KRASOVSKY_EE 0.00669342162296594323
#define EARTH_R 6371008.8
#define ITER_EPS 1e-10		/* degrees */
#define ITER_MAX 10

static const struct {
	const char *name;
	enum geo_crs crs;
} names[] = {
	{ "wgs84", GEO_WGS84 },
	{ "wgs-84", GEO_WGS84 },
	{ "cgcs2000", GEO_WGS84 },
	{ "gcj02", GEO_GCJ02 },
	{ "gcj-02", GEO_GCJ02 },
	{ "bd09", GEO_BD09 },
	{ "bd-09", GEO_BD09 }
};

/* ASCII-only case-insensitive equality, whatever the locale. */
static bool
ascii_caseeq(const char *a, const char *b)
{
	unsigned char x, y;

	do {
		x = (unsigned char)*a++;
		y = (unsigned char)*b++;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	} while (x != '\0');
	return true;
}

int
geo_crs_parse(const char *name, enum geo_crs *crs)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ascii_caseeq(name, names[i].name)) {
			*crs = names[i].crs;
			return 0;
		}
	return -1;
}

bool
geo_in_china(double lon, double lat)
{
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 &&
	    lat <= 55.8271;
}

static double
offset_lat(double x, double y)
{
	double r;

	r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y +
	    0.2 * sqrt(fabs(x));
	r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
	r += (20.0 * sin(y * PI) + 40.0 * sin(y / 3.0 * PI)) * 2.0 / 3.0;
	r += (160.0 * sin(y / 12.0 * PI) + 320.0 * sin(y * PI / 30.0)) *
	    2.0 / 3.0;
	return r;
}

static double
offset_lon(double x, double y)
{
	double r;

	r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y +
	    0.1 * sqrt(fabs(x));
	r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
	r += (20.0 * sin(x * PI) + 40.0 * sin(x / 3.0 * PI)) * 2.0 / 3.0;
	r += (150.0 * sin(x / 12.0 * PI) + 300.0 * sin(x / 30.0 * PI)) *
	    2.0 / 3.0;
	return r;
}

/* The GCJ-02 offset in degrees at a WGS-84 point, box not checked. */
static void
delta(double lon, double lat, double *dlon, double *dlat)
{
	double radlat, magic, sqrtmagic;

	*dlat = offset_lat(lon - 105.0, lat - 35.0);
	*dlon = offset_lon(lon - 105.0, lat - 35.0);
	radlat = lat / 180.0 * PI;
	magic = sin(radlat);
	magic = 1 - KRASOVSKY_EE * magic * magic;
	sqrtmagic = sqrt(magic);
	*dlat = (*dlat * 180.0) /
	    ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtmagic) * PI);
	*dlon = (*dlon * 180.0) / (KRASOVSKY_A / sqrtmagic * cos(radlat) * PI);
}

void
geo_wgs84_to_gcj02(double lon, double lat, double *olon, double *olat)
{
	double dlon, dlat;

	if (!geo_in_china(lon, lat)) {
		*olon = lon;
		*olat = lat;
		return;
	}
	delta(lon, lat, &dlon, &dlat);
	*olon = lon + dlon;
	*olat = lat + dlat;
}

void
geo_gcj02_to_wgs84(double lon, double lat, double *olon, double *olat)
{
	double wlon = lon, wlat = lat, dlon, dlat, nlon, nlat;
	int i;

	if (geo_in_china(lon, lat)) {
		/* w = g - delta(w): delta changes slowly, so this contracts. */
		for (i = 0; i < ITER_MAX; i++) {
			delta(wlon, wlat, &dlon, &dlat);
			nlon = lon - dlon;
			nlat = lat - dlat;
			if (fabs(nlon - wlon) < ITER_EPS &&
			    fabs(nlat - wlat) < ITER_EPS) {
				wlon = nlon;
				wlat = nlat;
				break;
			}
			wlon = nlon;
			wlat = nlat;
		}
	}
	*olon = wlon;
	*olat = wlat;
}

void
geo_bd09_to_gcj02(double lon, double lat, double *olon, double *olat)
{
	double x = lon - 0.0065, y = lat - 0.006, z, theta;

	z = sqrt(x * x + y * y) - 0.00002 * sin(y * X_PI);
	theta = atan2(y, x) - 0.000003 * cos(x * X_PI);
	*olon = z * cos(theta);
	*olat = z * sin(theta);
}

void
geo_gcj02_to_bd09(double lon, double lat, double *olon, double *olat)
{
	double z, theta;

	z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * X_PI);
	theta = atan2(lat, lon) + 0.000003 * cos(lon * X_PI);
	*olon = z * cos(theta) + 0.0065;
	*olat = z * sin(theta) + 0.006;
}

void
geo_to_wgs84(enum geo_crs crs, double lon, double lat, double *olon,
    double *olat)
{
	if (crs == GEO_BD09)
		geo_bd09_to_gcj02(lon, lat, &lon, &lat);
	if (crs == GEO_BD09 || crs == GEO_GCJ02)
		geo_gcj02_to_wgs84(lon, lat, olon, olat);
	else {
		*olon = lon;
		*olat = lat;
	}
}

double
geo_distance_m(double lon1, double lat1, double lon2, double lat2)
{
	double p1 = lat1 * PI / 180.0, p2 = lat2 * PI / 180.0;
	double dp = p2 - p1, dl = (lon2 - lon1) * PI / 180.0, h;

	h = sin(dp / 2) * sin(dp / 2) +
	    cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
	if (h > 1)
		h = 1;		/* rounding near antipodes */
	return 2 * EARTH_R * asin(sqrt(h));
}
