/*
 * gen.c - the raw files of examples/xiangtan-2017, deterministically.
 *
 *	cc -O2 -std=c11 -o gen gen.c -lm
 *	./gen OUTDIR		writes the files below into OUTDIR/raw/
 *
 * Writes what a district would export from its grid app and registers for
 * the 2017 evaluation of the grid project of the Xiangtan high-tech zone
 * (湘潭高新区), with the figures of the published report (see README.md):
 *
 *	grids.csv	 the registry as ogr2ogr -lco GEOMETRY=AS_WKT writes it:
 *			 1 district, 2 streets, 9 communities, 34 basic grids
 *			 (双马 18 + 板塘 16), 139 unit grids; WGS-84 polygons
 *	people.csv	 47,199 people (+ 7 bad rows), GB18030
 *	households.csv	 20,733 households, UTF-8 with BOM, CRLF
 *	buildings.csv	 2,245 buildings, WGS-84 positions
 *	houses.csv	 18,514 houses
 *	orgs.csv	 494 shops, 500 enterprises, 15 stationed units, 14
 *			 hotels, 26 entertainment venues, 20 construction
 *			 sites; BD-09 positions (a Baidu-map app: import with
 *			 --crs bd09)
 *	workers.csv	 34 grid workers (one per basic grid), 2 grid leaders
 *	patrols.csv	 one patrol per worker and working day of 2017
 *	events.csv	 388 events (328 self-handled, 60 dispatched; + 3 bad
 *			 rows), GCJ-02 positions, on the 2017 working calendar
 *	activities.csv	 leaflets (30,560 in all), 315 public-opinion reports,
 *			 112 mediated disputes
 *
 * Everything is built from one lattice of NX x NY cells whose lines are
 * shared: a unit grid is a rectangle of cells, every other area is the
 * union of its children's cells, written as one counter-clockwise ring, so
 * each level tiles its parent exactly.
 *
 * Determinism: a splitmix64 generator reseeded per file from a fixed seed
 * and the file's name; no time(), rand(), locale or libm transcendental
 * (sin is a Taylor series here, so the GCJ-02 offsets come out the same
 * everywhere); only integer formatting in printf.  Same bytes every run.
 * Exit status 0, or 1 with a message on standard error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The figures of the 2017 report. */
enum {
	N_PEOPLE = 47199, N_HOUSEHOLDS = 20733, N_BUILDINGS = 2245,
	N_HOUSES = 18514, N_EVENTS = 388, N_SELF = 328,
	N_LEAFLETS = 30560, N_OPINIONS = 315, N_MEDIATIONS = 112
};

static const char DISTRICT_CODE[] = "430371";	/* made up for the example */
static const char DISTRICT_NAME[] = "湘潭高新区";
static const char ADDR_PREFIX[] = "湘潭市高新区";

_Noreturn static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- random numbers: splitmix64 ---------------------------------- */

static uint64_t rng_state;

/* rng_seed: restart the stream for one file, from the fixed seed. */
static void
rng_seed(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a of the name */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	rng_state = 0x5854323031372121ULL ^ h;
}

static uint64_t
rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* rnd: uniform in 0..n-1 (n > 0). */
static int
rnd(int n)
{
	return (int)(rnd64() % (uint64_t)n);
}

/* between: uniform in a..b. */
static int
between(int a, int b)
{
	return a + rnd(b - a + 1);
}

/* pct: true with probability p percent. */
static int
pct(int p)
{
	return rnd(1000) < p * 10;
}

#define PICK(a) ((a)[rnd((int)(sizeof(a) / sizeof((a)[0])))])

/*
 * struct wpick: weighted choice among n items by cumulative integer
 * weights; pick is O(log n).
 */
struct wpick {
	int n;
	int64_t *cum;
};

static void
wpick_init(struct wpick *w, int n, const int *weight)
{
	int64_t s = 0;

	w->n = n;
	if ((w->cum = malloc(sizeof(*w->cum) * (size_t)n)) == NULL)
		die("out of memory");
	for (int i = 0; i < n; i++)
		w->cum[i] = (s += weight[i]);
	if (s <= 0)
		die("weights sum to zero");
}

static int
wpick(const struct wpick *w)
{
	int64_t r = (int64_t)(rnd64() % (uint64_t)w->cum[w->n - 1]);
	int lo = 0, hi = w->n - 1;

	while (lo < hi) {		/* first i with cum[i] > r */
		int mid = (lo + hi) / 2;
		if (w->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- GB18030 for people.csv ---------------------------------------- */

/*
 * The two-byte GBK code of every non-ASCII character that people.csv
 * holds, sorted by code point (made with iconv, see README.md; GBK is the
 * two-byte part of GB18030).  A character missing here stops the program.
 */
static const uint16_t gbk_tab[][2] = {
/* GBK-TABLE-BEGIN */
	{0x4E1C, 0xB6AB}, {0x4E2D, 0xD6D0}, {0x4E3D, 0xC0F6}, {0x4E66, 0xCAE9},
	{0x4EBA, 0xC8CB}, {0x4EFD, 0xB7DD}, {0x4F1F, 0xCEB0}, {0x4F4F, 0xD7A1},
	{0x4F55, 0xBACE}, {0x4F73, 0xBCD1}, {0x4F97, 0xB6B1}, {0x4FA8, 0xC7C8},
	{0x4FCA, 0xBFA1}, {0x5029, 0xD9BB}, {0x5143, 0xD4AA}, {0x5149, 0xB9E2},
	{0x516C, 0xB9AB}, {0x5170, 0xC0BC}, {0x519B, 0xBEFC}, {0x51E4, 0xB7EF},
	{0x51FA, 0xB3F6}, {0x5218, 0xC1F5}, {0x5229, 0xC0FB}, {0x522B, 0xB1F0},
	{0x52A8, 0xB6AF}, {0x52C7, 0xD3C2}, {0x52E4, 0xC7DA}, {0x533A, 0xC7F8},
	{0x534E, 0xBBAA}, {0x5355, 0xB5A5}, {0x5357, 0xC4CF}, {0x53CC, 0xCBAB},
	{0x53E3, 0xBFDA}, {0x53F7, 0xBAC5}, {0x5409, 0xBCAA}, {0x540D, 0xC3FB},
	{0x5411, 0xCFF2}, {0x5434, 0xCEE2}, {0x5458, 0xD4B1}, {0x5468, 0xD6DC},
	{0x548C, 0xBACD}, {0x54CD, 0xCFEC}, {0x5510, 0xCCC6}, {0x56DE, 0xBBD8},
	{0x56ED, 0xD4B0}, {0x56FD, 0xB9FA}, {0x571F, 0xCDC1}, {0x5740, 0xD6B7},
	{0x5854, 0xCBFE}, {0x5858, 0xCCC1}, {0x5883, 0xBEB3}, {0x5916, 0xCDE2},
	{0x5927, 0xB4F3}, {0x5929, 0xCCEC}, {0x5973, 0xC5AE}, {0x59D3, 0xD0D5},
	{0x5A1F, 0xBEEA}, {0x5A77, 0xE6C3}, {0x5B59, 0xCBEF}, {0x5B66, 0xD1A7},
	{0x5B87, 0xD3EE}, {0x5B89, 0xB0B2}, {0x5B8B, 0xCBCE}, {0x5B9D, 0xB1A6},
	{0x5BA4, 0xCAD2}, {0x5BB6, 0xBCD2}, {0x5C0F, 0xD0A1}, {0x5C39, 0xD2FC},
	{0x5C45, 0xBED3}, {0x5C4B, 0xCEDD}, {0x5C71, 0xC9BD}, {0x5CF0, 0xB7E5},
	{0x5DE6, 0xD7F3}, {0x5E02, 0xCAD0}, {0x5E73, 0xC6BD}, {0x5E74, 0xC4EA},
	{0x5E9C, 0xB8AE}, {0x5ED6, 0xC1CE}, {0x5EFA, 0xBDA8}, {0x5F20, 0xD5C5},
	{0x5F3A, 0xC7BF}, {0x5F6D, 0xC5ED}, {0x5F90, 0xD0EC}, {0x5FB7, 0xB5C2},
	{0x5FD7, 0xD6BE}, {0x6021, 0xE2F9}, {0x6027, 0xD0D4}, {0x6167, 0xBBDB},
	{0x6237, 0xBBA7}, {0x623F, 0xB7BF}, {0x632F, 0xD5F1}, {0x654F, 0xC3F4},
	{0x6587, 0xCEC4}, {0x658C, 0xB1F3}, {0x65B0, 0xD0C2}, {0x65B9, 0xB7BD},
	{0x65CF, 0xD7E5}, {0x65E5, 0xC8D5}, {0x65F6, 0xCAB1}, {0x660E, 0xC3F7},
	{0x6613, 0xD2D7}, {0x6625, 0xB4BA}, {0x6653, 0xCFFE}, {0x666F, 0xBEB0},
	{0x66F4, 0xB8FC}, {0x66FE, 0xD4F8}, {0x6708, 0xD4C2}, {0x671F, 0xC6DA},
	{0x6731, 0xD6EC}, {0x6749, 0xC9BC}, {0x674E, 0xC0EE}, {0x6751, 0xB4E5},
	{0x6768, 0xD1EE}, {0x6770, 0xBDDC}, {0x677F, 0xB0E5}, {0x6797, 0xC1D6},
	{0x680B, 0xB6B0}, {0x6881, 0xC1BA}, {0x6885, 0xC3B7}, {0x697C, 0xC2A5},
	{0x6B23, 0xD0C0}, {0x6B27, 0xC5B7}, {0x6B8A, 0xCAE2}, {0x6BB5, 0xB6CE},
	{0x6BDB, 0xC3AB}, {0x6C11, 0xC3F1}, {0x6C49, 0xBABA}, {0x6C5F, 0xBDAD},
	{0x6CBF, 0xD1D8}, {0x6CE2, 0xB2A8}, {0x6D01, 0xBDE0}, {0x6D41, 0xC1F7},
	{0x6D69, 0xBAC6}, {0x6D77, 0xBAA3}, {0x6D9B, 0xCCCE}, {0x6E56, 0xBAFE},
	{0x6E58, 0xCFE6}, {0x6F6D, 0xCCB6}, {0x718A, 0xD0DC}, {0x71D5, 0xD1E0},
	{0x7279, 0xCCD8}, {0x738B, 0xCDF5}, {0x73B0, 0xCFD6}, {0x73B2, 0xC1E1},
	{0x7433, 0xC1D5}, {0x7434, 0xC7D9}, {0x7476, 0xD1FE}, {0x751F, 0xC9FA},
	{0x7530, 0xCCEF}, {0x7535, 0xB5E7}, {0x7537, 0xC4D0}, {0x77F3, 0xCAAF},
	{0x7801, 0xC2EB}, {0x78CA, 0xC0DA}, {0x793E, 0xC9E7}, {0x79C0, 0xD0E3},
	{0x7ACB, 0xC1A2}, {0x7C4D, 0xBCAE}, {0x7C7B, 0xC0E0}, {0x7CFB, 0xCFB5},
	{0x7EA2, 0xBAEC}, {0x7F16, 0xB1E0}, {0x7F57, 0xC2DE}, {0x7F6E, 0xD6C3},
	{0x7FA4, 0xC8BA}, {0x8054, 0xC1AA}, {0x8096, 0xD0A4}, {0x80E1, 0xBAFA},
	{0x8272, 0xC9AB}, {0x8273, 0xD1DE}, {0x8299, 0xDCBD}, {0x82B1, 0xBBA8},
	{0x82B3, 0xB7BC}, {0x82D1, 0xD4B7}, {0x82D7, 0xC3E7}, {0x82F1, 0xD3A2},
	{0x8389, 0xC0F2}, {0x840D, 0xC6BC}, {0x848B, 0xBDAF}, {0x84C9, 0xC8D8},
	{0x8521, 0xB2CC}, {0x8857, 0xBDD6}, {0x8881, 0xD4AC}, {0x8BB8, 0xD0ED},
	{0x8BBE, 0xC9E8}, {0x8BDD, 0xBBB0}, {0x8C22, 0xD0BB}, {0x8C2D, 0xCCB7},
	{0x8D3A, 0xBAD8}, {0x8D75, 0xD5D4}, {0x8D85, 0xB3AC}, {0x8DEF, 0xC2B7},
	{0x8EAB, 0xC9ED}, {0x8F89, 0xBBD4}, {0x9053, 0xB5C0}, {0x9093, 0xB5CB},
	{0x90B9, 0xD7DE}, {0x90D1, 0xD6A3}, {0x90ED, 0xB9F9}, {0x91CC, 0xC0EF},
	{0x91D1, 0xBDF0}, {0x95F4, 0xBCE4}, {0x9633, 0xD1F4}, {0x9648, 0xB3C2},
	{0x9662, 0xD4BA}, {0x96C5, 0xD1C5}, {0x96EA, 0xD1A9}, {0x971E, 0xCFBC},
	{0x9759, 0xBEB2}, {0x9896, 0xD3B1}, {0x989C, 0xD1D5}, {0x9A6C, 0xC2ED},
	{0x9AD8, 0xB8DF}, {0x9E4F, 0xC5F4}, {0x9EC4, 0xBBC6}, {0x9F99, 0xC1FA},
/* GBK-TABLE-END */
};

/* to_gb18030: UTF-8 s[0..n) into out (room for n bytes); its length. */
static size_t
to_gb18030(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len;

		if (p[i] < 0x80) {
			out[o++] = (char)p[i++];
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0)
			cp = p[i] & 0x1fu, len = 2;
		else if ((p[i] & 0xf0) == 0xe0)
			cp = p[i] & 0x0fu, len = 3;
		else
			die("people.csv: character outside the BMP");
		for (int k = 1; k < len; k++)
			cp = (cp << 6) | (p[i + (size_t)k] & 0x3fu);
		i += (size_t)len;
		size_t lo = 0, hi = sizeof(gbk_tab) / sizeof(gbk_tab[0]);
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (gbk_tab[mid][0] < cp)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == sizeof(gbk_tab) / sizeof(gbk_tab[0]) ||
		    gbk_tab[lo][0] != cp)
			die("people.csv: no GB18030 code for U+%04X", (unsigned)cp);
		out[o++] = (char)(gbk_tab[lo][1] >> 8);
		out[o++] = (char)(gbk_tab[lo][1] & 0xff);
	}
	return o;
}

/* ---- CSV output ---------------------------------------------------- */

struct out {
	FILE *f;
	const char *path;
	int gbk;		/* convert each row to GB18030 */
	const char *eol;
	char line[16384];
	char conv[16384];
	size_t n;
	int nf;			/* fields in the row so far */
	long rows;
};

static char outdir[4096];

static void
out_open(struct out *o, const char *name, int gbk, int crlf, int bom)
{
	static char path[4200];

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/raw/%s", outdir, name);
	if ((o->f = fopen(path, "wb")) == NULL)
		die("%s: %s", path, strerror(errno));
	o->path = name;
	o->gbk = gbk;
	o->eol = crlf ? "\r\n" : "\n";
	if (bom)
		fputs("\xef\xbb\xbf", o->f);
	rng_seed(name);
}

static void
out_raw(struct out *o, const char *s, size_t n)
{
	if (o->n + n >= sizeof(o->line))
		die("%s: row too long", o->path);
	memcpy(o->line + o->n, s, n);
	o->n += n;
}

/* f_str: one field, quoted when it holds a comma, quote or line break. */
static void
f_str(struct out *o, const char *s)
{
	if (o->nf++ > 0)
		out_raw(o, ",", 1);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		out_raw(o, s, strlen(s));
		return;
	}
	out_raw(o, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			out_raw(o, "\"", 1);
		out_raw(o, s, 1);
	}
	out_raw(o, "\"", 1);
}

/* f_fmt: one field from a printf format (integers and strings only). */
static void
f_fmt(struct out *o, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f_str(o, buf);
}

static void
f_header(struct out *o, const char *const *names)
{
	for (; *names; names++)
		f_str(o, *names);
}

static void
row_end(struct out *o)
{
	out_raw(o, o->eol, strlen(o->eol));
	if (o->gbk) {
		size_t n = to_gb18030(o->line, o->n, o->conv);
		fwrite(o->conv, 1, n, o->f);
	} else
		fwrite(o->line, 1, o->n, o->f);
	o->n = 0;
	o->nf = 0;
	o->rows++;
}

static void
out_close(struct out *o)
{
	if (ferror(o->f) || fclose(o->f) != 0)
		die("%s: write error", o->path);
}

/* ---- numbers and coordinates --------------------------------------- */

/*
 * fmt_fixed: v / 10^dec as decimal text, trailing zeros of the fraction
 * (and a bare point) removed.
 */
static char *
fmt_fixed(char *buf, int64_t v, int dec)
{
	int64_t p = 1;
	char frac[24];

	for (int i = 0; i < dec; i++)
		p *= 10;
	int neg = v < 0;
	uint64_t a = (uint64_t)(neg ? -v : v);
	snprintf(frac, sizeof(frac), "%0*llu", dec,
	    (unsigned long long)(a % (uint64_t)p));
	for (int i = dec - 1; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	sprintf(buf, "%s%llu%s%s", neg ? "-" : "",
	    (unsigned long long)(a / (uint64_t)p), frac[0] ? "." : "", frac);
	return buf;
}

/* Degrees are int64 in units of 1e-7 degree. */
#define DEG 10000000LL

/*
 * dsin: sine by argument reduction and a Taylor series, with + - * /
 * only, so it gives the same bits on every IEEE machine.
 */
static double
dsin(double x)
{
	const double twopi = 6.283185307179586;
	double r = x - twopi * floor(x / twopi + 0.5);
	double term = r, sum = r, r2 = r * r;

	for (int k = 1; k < 20; k++) {
		term = -term * r2 / (double)((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

static double
dcos(double x)
{
	return dsin(x + 1.5707963267948966);
}

/* wgs_to_gcj: the published WGS-84 to GCJ-02 offset, in 1e-7 degrees. */
static void
wgs_to_gcj(int64_t lon, int64_t lat, int64_t *glon, int64_t *glat)
{
	const double pi = 3.14159265358979324, a = 6378245.0;
	const double ee = 0.00669342162296594323;
	double wlon = (double)lon / DEG, wlat = (double)lat / DEG;
	double x = wlon - 105.0, y = wlat - 35.0;
	double dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y +
	    0.2 * sqrt(fabs(x));
	double dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y +
	    0.1 * sqrt(fabs(x));
	double common = (20.0 * dsin(6.0 * x * pi) + 20.0 * dsin(2.0 * x * pi)) *
	    2.0 / 3.0;

	dlat += common;
	dlat += (20.0 * dsin(y * pi) + 40.0 * dsin(y / 3.0 * pi)) * 2.0 / 3.0;
	dlat += (160.0 * dsin(y / 12.0 * pi) + 320 * dsin(y * pi / 30.0)) *
	    2.0 / 3.0;
	dlon += common;
	dlon += (20.0 * dsin(x * pi) + 40.0 * dsin(x / 3.0 * pi)) * 2.0 / 3.0;
	dlon += (150.0 * dsin(x / 12.0 * pi) + 300.0 * dsin(x / 30.0 * pi)) *
	    2.0 / 3.0;
	double radlat = wlat / 180.0 * pi;
	double magic = dsin(radlat);
	magic = 1 - ee * magic * magic;
	double sq = sqrt(magic);
	dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sq) * pi);
	dlon = (dlon * 180.0) / (a / sq * dcos(radlat) * pi);
	*glon = (int64_t)floor((wlon + dlon) * DEG + 0.5);
	*glat = (int64_t)floor((wlat + dlat) * DEG + 0.5);
}

/*
 * gcj_to_bd: GCJ-02 to BD-09 (Baidu maps), in 1e-7 degrees.  The usual
 * formula, z = r + 2e-5 sin(3000 y'), theta = atan2(y, x) + 3e-6 cos(3000 x'),
 * with cos and sin of atan2 written as x / r and y / r, so that only sqrt
 * and the Taylor sine are needed and the bits are the same everywhere.
 */
static void
gcj_to_bd(int64_t glon, int64_t glat, int64_t *blon, int64_t *blat)
{
	const double xpi = 3.14159265358979324 * 3000.0 / 180.0;
	double x = (double)glon / DEG, y = (double)glat / DEG;
	double r = sqrt(x * x + y * y);
	double z = r + 0.00002 * dsin(y * xpi);
	double dt = 0.000003 * dcos(x * xpi);
	double c = dcos(dt), s = dsin(dt);

	*blon = (int64_t)floor((z * (x / r * c - y / r * s) + 0.0065) * DEG + 0.5);
	*blat = (int64_t)floor((z * (y / r * c + x / r * s) + 0.006) * DEG + 0.5);
}

/* ---- dates and the 2017 working calendar -------------------------- */

/* days_from_civil: days since 1970-01-01 (proleptic Gregorian). */
static int
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Days of 2017 are 0..364 (0 = Sunday 1 January). */
static int
doy(int m, int d)
{
	return days_from_civil(2017, m, d) - days_from_civil(2017, 1, 1);
}

/*
 * The 2017 calendar of schemas/calendars/cn-2017.yaml (国办发明电〔2016〕17号),
 * repeated here so that the generator stands alone.
 */
static int
is_workday(int day)
{
	static const int hol[][4] = {
		{1, 1, 1, 2}, {1, 27, 2, 2}, {4, 2, 4, 4}, {4, 29, 5, 1},
		{5, 28, 5, 30}, {10, 1, 10, 8}
	};
	static const int makeup[][2] = {
		{1, 22}, {2, 4}, {4, 1}, {5, 27}, {9, 30}
	};

	for (size_t i = 0; i < sizeof(hol) / sizeof(hol[0]); i++)
		if (day >= doy(hol[i][0], hol[i][1]) &&
		    day <= doy(hol[i][2], hol[i][3]))
			return 0;
	for (size_t i = 0; i < sizeof(makeup) / sizeof(makeup[0]); i++)
		if (day == doy(makeup[i][0], makeup[i][1]))
			return 1;
	return day % 7 != 0 && day % 7 != 6;	/* not Sunday, not Saturday */
}

/* Instants are minutes since 2017-01-01 00:00 (+08:00). */
static int
is_work_minute(int t)
{
	int m = t % 1440;

	return t >= 0 && t < 365 * 1440 && is_workday(t / 1440) &&
	    ((m >= 510 && m < 720) || (m >= 870 && m < 1050));
}

/* wadd: the instant n working minutes after t (windows 08:30-12:00, 14:30-17:30). */
static int
wadd(int t, int n)
{
	while (n > 0 && t < 365 * 1440) {
		if (is_work_minute(t))
			n--;
		t++;
	}
	return t;
}

/* wafter: like wadd, but the result is inside a window (one minute back at a window's end). */
static int
wafter(int t, int n)
{
	int u = wadd(t, n);

	while (!is_work_minute(u) && u > t + 1)
		u--;
	return u;
}

/* rand_workday: a working day of 2017 in [from, to]. */
static int
rand_workday(int from, int to)
{
	int d;

	do
		d = between(from, to);
	while (!is_workday(d));
	return d;
}

/*
 * fmt_ts: an instant as "2017-03-14 09:30:00" (form 0) or "2017/3/14 9:30"
 * (form 1).
 */
static char *
fmt_ts(char *buf, int t, int form)
{
	int y, m, d, mi = t % 1440;

	civil_from_days(days_from_civil(2017, 1, 1) + t / 1440, &y, &m, &d);
	if (form == 0)
		sprintf(buf, "%04d-%02d-%02d %02d:%02d:00", y, m, d, mi / 60,
		    mi % 60);
	else
		sprintf(buf, "%d/%d/%d %d:%02d", y, m, d, mi / 60, mi % 60);
	return buf;
}

/*
 * fmt_date: a day (since 1970-01-01) in spreadsheet forms: 0 "1985/3/14",
 * 1 "1985年3月14日", 2 "19850314", 3 an Excel serial, 4 "1985-03-14".
 */
static char *
fmt_date(char *buf, int z, int form)
{
	int y, m, d;

	civil_from_days(z, &y, &m, &d);
	switch (form) {
	case 0:
		sprintf(buf, "%d/%d/%d", y, m, d);
		break;
	case 1:
		sprintf(buf, "%d年%d月%d日", y, m, d);
		break;
	case 2:
		sprintf(buf, "%04d%02d%02d", y, m, d);
		break;
	case 3:
		sprintf(buf, "%d", z - days_from_civil(1899, 12, 30));
		break;
	default:
		sprintf(buf, "%04d-%02d-%02d", y, m, d);
		break;
	}
	return buf;
}

/* ---- the grid registry --------------------------------------------- */

#define NX 40			/* lattice cells west to east */
#define NY 16			/* and north to south */
#define BLK 4			/* a basic grid is BLK x BLK cells */
#define NBX (NX / BLK)
#define NBY (NY / BLK)
#define MAXU 160

enum { L_DISTRICT, L_STREET, L_COMMUNITY, L_GRID, L_UNIT };

struct street {
	const char *name;
};

struct community {
	const char *name;
	int street;
	const char *road[2];
	const char *estate[2];
	char code[32];
	int nroad[2];		/* house numbers given out on each road */
	int nest[2];		/* buildings of each estate */
};

struct bgrid {
	int comm, bx, by;
	int nunit, first_unit;
	char code[32];
	char name[64];
	int worker;
};

struct unitg {
	int bgrid;
	int i0, k0, i1, k1;	/* cells [i0, i1) x [k0, k1), k from the north */
	char code[40];
	char name[80];
};

static const struct street streets[] = { {"双马街道"}, {"板塘街道"} };

/* Communities A..I of the block map; street 0 双马, 1 板塘.  Names invented
 * except 华金社区, the model community of the report. */
static struct community comms[] = {
	{"华金社区", 0, {"华金路", "吉利路"}, {"华金小区", "金侨苑"}, "", {0, 0}, {0, 0}},
	{"双马社区", 0, {"双马路", "芙蓉大道"}, {"双马新村", "东方家园"}, "", {0, 0}, {0, 0}},
	{"杉山社区", 0, {"杉山路", "天易大道"}, {"杉山家园", "金色阳光"}, "", {0, 0}, {0, 0}},
	{"响塘社区", 0, {"响塘路", "晓南路"}, {"响塘安置小区", "南湖花园"}, "", {0, 0}, {0, 0}},
	{"立新社区", 0, {"立新路", "学府路"}, {"立新小区", "学府雅苑"}, "", {0, 0}, {0, 0}},
	{"板塘社区", 1, {"板塘路", "建设南路"}, {"板塘新村", "建设小区"}, "", {0, 0}, {0, 0}},
	{"芙蓉社区", 1, {"芙蓉中路", "沿江路"}, {"芙蓉花园", "江景苑"}, "", {0, 0}, {0, 0}},
	{"晓塘社区", 1, {"晓塘路", "书院路"}, {"晓塘小区", "书院名居"}, "", {0, 0}, {0, 0}},
	{"和平社区", 1, {"和平路", "宝塔路"}, {"和平里", "宝塔新苑"}, "", {0, 0}, {0, 0}},
};
#define NCOMM ((int)(sizeof(comms) / sizeof(comms[0])))

/* Basic grids by block, north row first; '.' is outside the district. */
static const char *const blockmap[NBY] = {
	"AABBCCFFFG",
	"AABBCDFHGG",
	"EEEEDDHHIG",
	"......HIII",
};

static int64_t lx[NX + 1], ly[NY + 1];	/* lattice lines; ly[0] is north */
static int cell_unit[NY][NX];
static struct bgrid bgrids[64];
static int nbgrid;
static struct unitg units[MAXU];
static int nunit;

/* owner: the index of the area at level lv that holds cell (i, k), or -1. */
static int
owner(int lv, int i, int k)
{
	if (i < 0 || i >= NX || k < 0 || k >= NY || cell_unit[k][i] < 0)
		return -1;
	int u = cell_unit[k][i];
	switch (lv) {
	case L_UNIT:
		return u;
	case L_GRID:
		return units[u].bgrid;
	case L_COMMUNITY:
		return bgrids[units[u].bgrid].comm;
	case L_STREET:
		return comms[bgrids[units[u].bgrid].comm].street;
	default:
		return 0;
	}
}

static int
cmp_unit(const void *a, const void *b)
{
	const struct unitg *x = a, *y = b;

	if (x->k0 != y->k0)
		return x->k0 < y->k0 ? -1 : 1;
	return x->i0 < y->i0 ? -1 : x->i0 > y->i0;
}

/* split: cut [a, a+len) in two at 1..len-1, middle cuts twice as likely. */
static int
split(int len)
{
	int r = rnd(4);

	if (len != 4)
		return len / 2;
	return r == 0 ? 1 : r == 3 ? 3 : 2;
}

/*
 * build_registry: the lattice, the basic grids in community order and
 * north-to-south, west-to-east numbering, and their unit grids (4 each,
 * 5 for three of them: 34 * 4 + 3 = 139).
 */
static void
build_registry(void)
{
	const int64_t x0 = 1128600000LL, y0 = 278700000LL;	/* NW corner */
	const int64_t dx = 20000, dy = 22500;	/* about 200 m x 250 m */
	int five[3];

	rng_seed("registry");
	for (int i = 0; i <= NX; i++)
		lx[i] = x0 + i * dx + (i > 0 && i < NX ? between(-400, 400) * 10 : 0);
	for (int k = 0; k <= NY; k++)
		ly[k] = y0 - k * dy + (k > 0 && k < NY ? between(-400, 400) * 10 : 0);
	for (int k = 0; k < NY; k++)
		for (int i = 0; i < NX; i++)
			cell_unit[k][i] = -1;

	for (int c = 0; c < NCOMM; c++) {
		int seq = 0, sseq = 0;
		for (int p = 0; p < c; p++)
			sseq += comms[p].street == comms[c].street;
		snprintf(comms[c].code, sizeof(comms[c].code), "%s%03d%03d",
		    DISTRICT_CODE, comms[c].street + 1, sseq + 1);
		for (int by = 0; by < NBY; by++)
			for (int bx = 0; bx < NBX; bx++) {
				if (blockmap[by][bx] != 'A' + c)
					continue;
				struct bgrid *g = &bgrids[nbgrid++];
				g->comm = c;
				g->bx = bx;
				g->by = by;
				g->worker = nbgrid - 1;
				seq++;
				snprintf(g->code, sizeof(g->code), "%s%03d",
				    comms[c].code, seq);
				snprintf(g->name, sizeof(g->name), "%s第%02d网格",
				    comms[c].name, seq);
			}
	}
	if (nbgrid != 34)
		die("registry: %d basic grids, not 34", nbgrid);
	five[0] = rnd(12);
	five[1] = 12 + rnd(11);
	five[2] = 23 + rnd(11);

	for (int g = 0; g < nbgrid; g++) {
		struct bgrid *b = &bgrids[g];
		struct unitg r[5];
		int i = b->bx * BLK, k = b->by * BLK;
		int cx = split(BLK), c1 = split(BLK), c2 = split(BLK), n = 4;

		r[0] = (struct unitg){g, i, k, i + cx, k + c1, "", ""};
		r[1] = (struct unitg){g, i, k + c1, i + cx, k + BLK, "", ""};
		r[2] = (struct unitg){g, i + cx, k, i + BLK, k + c2, "", ""};
		r[3] = (struct unitg){g, i + cx, k + c2, i + BLK, k + BLK, "", ""};
		if (g == five[0] || g == five[1] || g == five[2]) {
			int big = 0;
			for (int j = 1; j < 4; j++)
				if ((r[j].i1 - r[j].i0) * (r[j].k1 - r[j].k0) >
				    (r[big].i1 - r[big].i0) * (r[big].k1 - r[big].k0))
					big = j;
			r[4] = r[big];
			if (r[big].i1 - r[big].i0 >= r[big].k1 - r[big].k0) {
				int m = (r[big].i0 + r[big].i1) / 2;
				r[big].i1 = r[4].i0 = m;
			} else {
				int m = (r[big].k0 + r[big].k1) / 2;
				r[big].k1 = r[4].k0 = m;
			}
			n = 5;
		}
		qsort(r, (size_t)n, sizeof(r[0]), cmp_unit);
		b->first_unit = nunit;
		b->nunit = n;
		for (int j = 0; j < n; j++) {
			struct unitg *u = &units[nunit];
			*u = r[j];
			snprintf(u->code, sizeof(u->code), "%s%02d", b->code, j + 1);
			snprintf(u->name, sizeof(u->name), "%s%02d单元", b->name,
			    j + 1);
			for (int kk = u->k0; kk < u->k1; kk++)
				for (int ii = u->i0; ii < u->i1; ii++)
					cell_unit[kk][ii] = nunit;
			nunit++;
		}
	}
	if (nunit != 139)
		die("registry: %d unit grids, not 139", nunit);
}

/*
 * ring_wkt: the boundary of the cells of area idx at level lv as a WKT
 * polygon: the cells' counter-clockwise edges that no other cell of the
 * area shares, chained from the south-west corner, collinear vertices
 * dropped.  An area that is not one simple ring (two pieces, a hole, two
 * cells touching at a corner only) stops the program.
 */
static void
ring_wkt(int lv, int idx, char *out, size_t size)
{
	static int next[(NX + 1) * (NY + 1)], pts[(NX + 1) * (NY + 1)];
	int nedge = 0, start = -1, n = 0;
	size_t o;

#define V(i, k) ((k) * (NX + 1) + (i))
#define EDGE(a, b) do {							\
	if (next[a] != -1)						\
		die("registry: area %d of level %d pinches", idx, lv);	\
	next[a] = (b);							\
	nedge++;							\
} while (0)
	for (int v = 0; v < (NX + 1) * (NY + 1); v++)
		next[v] = -1;
	for (int k = 0; k < NY; k++)
		for (int i = 0; i < NX; i++) {
			if (owner(lv, i, k) != idx)
				continue;
			if (owner(lv, i, k + 1) != idx)
				EDGE(V(i, k + 1), V(i + 1, k + 1));
			if (owner(lv, i + 1, k) != idx)
				EDGE(V(i + 1, k + 1), V(i + 1, k));
			if (owner(lv, i, k - 1) != idx)
				EDGE(V(i + 1, k), V(i, k));
			if (owner(lv, i - 1, k) != idx)
				EDGE(V(i, k), V(i, k + 1));
		}
	for (int k = NY; k >= 0 && start < 0; k--)
		for (int i = 0; i <= NX && start < 0; i++)
			if (next[V(i, k)] != -1)
				start = V(i, k);
	if (start < 0)
		die("registry: area %d of level %d is empty", idx, lv);
	int v = start;
	do {
		pts[n++] = v;
		v = next[v];
	} while (v != start && n <= nedge);
	if (n != nedge)
		die("registry: area %d of level %d is not one ring", idx, lv);
#undef EDGE

	o = (size_t)snprintf(out, size, "POLYGON ((");
	int first = 1;
	for (int j = 0; j <= n; j++) {
		int p = pts[(j + n - 1) % n], c = pts[j % n], q = pts[(j + 1) % n];
		int d1 = (c % (NX + 1) != p % (NX + 1)), d2 = (q % (NX + 1) != c % (NX + 1));
		char bx[32], by[32];

		if (d1 == d2 && j < n)
			continue;	/* straight on: not a corner */
		if (j == n)
			c = start;	/* close the ring */
		o += (size_t)snprintf(out + o, size - o, "%s%s %s",
		    first ? "" : ",", fmt_fixed(bx, lx[c % (NX + 1)], 7),
		    fmt_fixed(by, ly[c / (NX + 1)], 7));
		first = 0;
		if (o >= size)
			die("registry: polygon too long");
	}
	snprintf(out + o, size - o, "))");
#undef V
}

/* area_m2: the area of the cells of area idx at level lv, on a local plane. */
static int64_t
area_m2(int lv, int idx)
{
	double s = 0;

	for (int k = 0; k < NY; k++)
		for (int i = 0; i < NX; i++)
			if (owner(lv, i, k) == idx)
				s += (double)(lx[i + 1] - lx[i]) * (double)(ly[k] - ly[k + 1]);
	/* metres per degree of longitude and latitude at 27.852 N (WGS-84) */
	return (int64_t)floor(s * (98495.896 / DEG) * (110817.083 / DEG) + 0.5);
}

/* unit_point: a point inside unit grid u, at least 15 % of its size from each edge. */
static void
unit_point(int u, int64_t *lon, int64_t *lat)
{
	const struct unitg *g = &units[u];
	int64_t w = lx[g->i1] - lx[g->i0], h = ly[g->k0] - ly[g->k1];

	*lon = lx[g->i0] + w * 15 / 100 + (int64_t)(rnd64() % (uint64_t)(w * 70 / 100));
	*lat = ly[g->k1] + h * 15 / 100 + (int64_t)(rnd64() % (uint64_t)(h * 70 / 100));
}

static int
unit_comm(int u)
{
	return bgrids[units[u].bgrid].comm;
}

static void
write_grids(void)
{
	static const char *const hdr[] = {"WKT", "网格编码", "网格名称", "层级",
	    "上级编码", "面积", "网格员编号", NULL};
	static char wkt[65536];
	char code[32];
	struct out o;

	out_open(&o, "grids.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	ring_wkt(L_DISTRICT, 0, wkt, sizeof(wkt));
	f_str(&o, wkt), f_str(&o, DISTRICT_CODE), f_str(&o, DISTRICT_NAME);
	f_str(&o, "区"), f_str(&o, ""), f_fmt(&o, "%lld", (long long)area_m2(L_DISTRICT, 0));
	f_str(&o, "");
	row_end(&o);
	for (int s = 0; s < 2; s++) {
		snprintf(code, sizeof(code), "%s%03d", DISTRICT_CODE, s + 1);
		ring_wkt(L_STREET, s, wkt, sizeof(wkt));
		f_str(&o, wkt), f_str(&o, code), f_str(&o, streets[s].name);
		f_str(&o, "街道"), f_str(&o, DISTRICT_CODE);
		f_fmt(&o, "%lld", (long long)area_m2(L_STREET, s)), f_str(&o, "");
		row_end(&o);
	}
	for (int c = 0; c < NCOMM; c++) {
		snprintf(code, sizeof(code), "%s%03d", DISTRICT_CODE, comms[c].street + 1);
		ring_wkt(L_COMMUNITY, c, wkt, sizeof(wkt));
		f_str(&o, wkt), f_str(&o, comms[c].code), f_str(&o, comms[c].name);
		f_str(&o, "社区"), f_str(&o, code);
		f_fmt(&o, "%lld", (long long)area_m2(L_COMMUNITY, c)), f_str(&o, "");
		row_end(&o);
	}
	for (int g = 0; g < nbgrid; g++) {
		ring_wkt(L_GRID, g, wkt, sizeof(wkt));
		f_str(&o, wkt), f_str(&o, bgrids[g].code), f_str(&o, bgrids[g].name);
		f_str(&o, "基本网格"), f_str(&o, comms[bgrids[g].comm].code);
		f_fmt(&o, "%lld", (long long)area_m2(L_GRID, g));
		f_fmt(&o, "WG%03d", g + 1);
		row_end(&o);
	}
	for (int u = 0; u < nunit; u++) {
		ring_wkt(L_UNIT, u, wkt, sizeof(wkt));
		f_str(&o, wkt), f_str(&o, units[u].code), f_str(&o, units[u].name);
		f_str(&o, "单元网格"), f_str(&o, bgrids[units[u].bgrid].code);
		f_fmt(&o, "%lld", (long long)area_m2(L_UNIT, u)), f_str(&o, "");
		row_end(&o);
	}
	out_close(&o);
}

/* ---- people's names, IDs and phones -------------------------------- */

static const char *const surnames[] = {
	"刘", "李", "王", "陈", "张", "周", "彭", "谭", "罗", "唐", "胡", "邓",
	"曾", "黄", "杨", "赵", "吴", "徐", "孙", "朱", "郭", "何", "林", "郑",
	"梁", "谢", "宋", "许", "蒋", "蔡", "肖", "袁", "龙", "易", "贺", "文",
	"毛", "欧阳", "石", "颜", "尹", "段", "廖", "邹", "熊", "向", "左", "田"
};
static const char *const given_m[] = {
	"伟", "强", "军", "勇", "杰", "涛", "斌", "超", "明", "辉", "建", "国",
	"志", "平", "华", "文", "鹏", "浩", "宇", "俊", "磊", "波", "东", "林",
	"峰", "龙", "海", "新", "湘", "德", "勤", "振"
};
static const char *const given_f[] = {
	"芳", "娟", "敏", "静", "丽", "艳", "玲", "霞", "燕", "红", "梅", "琴",
	"兰", "英", "萍", "婷", "雪", "慧", "佳", "欣", "怡", "琳", "秀", "凤",
	"莉", "颖", "洁", "倩", "华", "文", "湘", "春"
};

static void
fake_name(char *buf, size_t size, int male)
{
	const char *const *g = male ? given_m : given_f;
	int ng = male ? (int)(sizeof(given_m) / sizeof(given_m[0])) :
	    (int)(sizeof(given_f) / sizeof(given_f[0]));

	/* one random call per statement: argument order is unspecified */
	const char *s = PICK(surnames), *a = g[rnd(ng)];
	const char *b = pct(70) ? g[rnd(ng)] : "";

	snprintf(buf, size, "%s%s%s", s, a, b);
}

/* Citizen IDs seen so far, as 17-digit numbers: no two people share one. */
static uint64_t idset[1 << 17];

static int
idset_add(uint64_t v)
{
	uint64_t h = (v * 0x9e3779b97f4a7c15ULL) >> 47;

	for (;; h = (h + 1) & ((1 << 17) - 1)) {
		if (idset[h] == v)
			return 0;
		if (idset[h] == 0) {
			idset[h] = v;
			return 1;
		}
	}
}

/* id_check: the GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits. */
static char
id_check(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (d[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* citizen_id: a new, unique ID of someone born on day z (since 1970) from region. */
static void
citizen_id(char *buf, const char *region, int z, int male)
{
	int y, m, d;

	civil_from_days(z, &y, &m, &d);
	do {
		sprintf(buf, "%s%04d%02d%02d%03d", region, y, m, d,
		    rnd(500) * 2 + (male ? 1 : 0));
	} while (!idset_add(strtoull(buf, NULL, 10)));
	buf[17] = id_check(buf);
	buf[18] = '\0';
}

/* phone: a mobile number, in one of the forms spreadsheets hold. */
static void
phone(char *buf)
{
	static const char *const pre[] = {"130", "131", "132", "133", "135",
	    "136", "137", "138", "139", "150", "151", "152", "155", "158",
	    "159", "173", "177", "180", "181", "186", "187", "188", "189"};
	const char *p = PICK(pre);
	int a = between(0, 9999), b = between(0, 9999), f = rnd(20);

	if (f < 14)
		sprintf(buf, "%s%04d%04d", p, a, b);
	else if (f < 17)
		sprintf(buf, "%s-%04d-%04d", p, a, b);
	else if (f < 19)
		sprintf(buf, "+86 %s%04d%04d", p, a, b);
	else
		sprintf(buf, "%s %04d %04d", p, a, b);
}

/* ---- buildings, houses, households, people ------------------------- */

enum { U_RES, U_MIXED, U_COMM, U_PUBLIC, U_IND };
static const char *const use_name[] = {"住宅", "商住", "商业", "公共建筑", "工业"};

struct bld {
	int unit, use, road, estate, num, bno;
	int64_t lon, lat;
	int nhouse, first_house, floors, nunits;
};

enum { H_SELF, H_RENT, H_GROUP, H_VACANT, H_SHOP, H_OTHER };
static const char *const huse_name[] = {"自住", "出租", "群租", "空置", "经营", "其他"};

struct house {
	int bld, use, unit_no, room, area_dm2;
	int nhh, first_hh;
};

struct hh {
	int house, nmem;
	char head_name[32];
	char head_id[20];
};

static struct bld blds[N_BUILDINGS];
static struct house houses[N_HOUSES];
static struct hh hhs[N_HOUSEHOLDS];

static void
bld_address(char *buf, size_t size, const struct bld *b)
{
	const struct community *c = &comms[unit_comm(b->unit)];

	snprintf(buf, size, "%s%s%s%s%d号", ADDR_PREFIX,
	    streets[c->street].name, c->name, c->road[b->road], b->num);
}

static void
bld_name(char *buf, size_t size, const struct bld *b)
{
	snprintf(buf, size, "%s%d栋", comms[unit_comm(b->unit)].estate[b->estate],
	    b->bno);
}

static void
house_address(char *buf, size_t size, const struct house *h)
{
	char a[256], n[128];
	const struct bld *b = &blds[h->bld];

	bld_address(a, sizeof(a), b);
	bld_name(n, sizeof(n), b);
	snprintf(buf, size, "%s%s%d单元%d室", a, n, h->unit_no, h->room);
}

/*
 * make_places: buildings spread over the unit grids (every unit at least
 * 8), their houses (each building at least one), the houses' households
 * (one per lived-in house, the rest to rented and group-rented ones).
 */
static void
make_places(void)
{
	static int w[N_HOUSES > N_HOUSEHOLDS ? N_HOUSES : N_HOUSEHOLDS];
	static int bunit[N_BUILDINGS];
	struct wpick wp;
	int uw[MAXU];

	rng_seed("places");
	for (int u = 0; u < nunit; u++)
		uw[u] = between(1, 6);
	wpick_init(&wp, nunit, uw);
	for (int i = 0; i < N_BUILDINGS; i++)
		bunit[i] = i < nunit * 8 ? i % nunit : wpick(&wp);
	free(wp.cum);
	/* buildings in order of their unit grid, so that numbers run along */
	for (int u = 0, n = 0; u < nunit; u++)
		for (int i = 0; i < N_BUILDINGS; i++) {
			if (bunit[i] != u)
				continue;
			struct bld *b = &blds[n++];
			struct community *c = &comms[unit_comm(u)];
			int r = rnd(100);
			b->unit = u;
			b->use = r < 80 ? U_RES : r < 88 ? U_MIXED : r < 94 ? U_COMM :
			    r < 97 ? U_PUBLIC : U_IND;
			b->road = rnd(2);
			b->num = (c->nroad[b->road] += between(1, 4));
			b->estate = rnd(2);
			b->bno = ++c->nest[b->estate];
			unit_point(u, &b->lon, &b->lat);
		}

	for (int i = 0; i < N_BUILDINGS; i++)
		w[i] = blds[i].use == U_RES ? between(4, 30) :
		    blds[i].use == U_MIXED ? between(3, 12) : 1;
	wpick_init(&wp, N_BUILDINGS, w);
	for (int i = 0; i < N_BUILDINGS; i++)
		blds[i].nhouse = 1;
	for (int i = N_BUILDINGS; i < N_HOUSES; i++)
		blds[wpick(&wp)].nhouse++;
	free(wp.cum);

	int nh = 0;
	for (int i = 0; i < N_BUILDINGS; i++) {
		struct bld *b = &blds[i];
		b->nunits = b->nhouse <= 6 ? 1 : b->nhouse <= 60 ? 2 : b->nhouse <= 120 ? 3 : 4;
		b->floors = (b->nhouse + 2 * b->nunits - 1) / (2 * b->nunits);
		b->first_house = nh;
		for (int j = 0; j < b->nhouse; j++) {
			struct house *h = &houses[nh++];
			int q = j % (2 * b->floors), r = rnd(1000);
			h->bld = i;
			h->unit_no = j / (2 * b->floors) + 1;
			h->room = (q / 2 + 1) * 100 + q % 2 + 1;
			if (b->use == U_RES || (b->use == U_MIXED && q >= 2))
				h->use = r < 700 ? H_SELF : r < 880 ? H_RENT :
				    r < 895 ? H_GROUP : H_VACANT;
			else
				h->use = r < 700 ? H_SHOP : r < 900 ? H_OTHER : H_VACANT;
			h->area_dm2 = h->use == H_GROUP ? between(9000, 14000) :
			    between(4500, 14500);
		}
	}

	int occ = 0;
	for (int i = 0; i < N_HOUSES; i++) {
		int u = houses[i].use;
		houses[i].nhh = u <= H_GROUP;
		occ += houses[i].nhh;
		w[i] = u == H_SELF ? 2 : u == H_RENT ? 3 : u == H_GROUP ? 12 : 0;
	}
	if (occ > N_HOUSEHOLDS)
		die("places: %d lived-in houses, more than the households", occ);
	wpick_init(&wp, N_HOUSES, w);
	for (int i = occ; i < N_HOUSEHOLDS; i++)
		houses[wpick(&wp)].nhh++;
	free(wp.cum);
	for (int i = 0, k = 0; i < N_HOUSES; i++) {
		houses[i].first_hh = k;
		for (int j = 0; j < houses[i].nhh; j++)
			hhs[k++].house = i;
	}
}

static void
write_buildings(void)
{
	static const char *const hdr[] = {"楼栋编号", "楼栋名称", "地址", "层数",
	    "单元数", "建筑用途", "经度", "纬度", NULL};
	char a[256], n[128], x[32], y[32];
	struct out o;

	out_open(&o, "buildings.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < N_BUILDINGS; i++) {
		const struct bld *b = &blds[i];
		bld_address(a, sizeof(a), b);
		bld_name(n, sizeof(n), b);
		f_fmt(&o, "LD%05d", i + 1), f_str(&o, n), f_str(&o, a);
		f_fmt(&o, "%d", b->floors), f_fmt(&o, "%d", b->nunits);
		f_str(&o, use_name[b->use]);
		f_str(&o, fmt_fixed(x, b->lon, 7)), f_str(&o, fmt_fixed(y, b->lat, 7));
		row_end(&o);
	}
	out_close(&o);
}

static void
write_houses(void)
{
	static const char *const hdr[] = {"房屋编号", "楼栋编号", "单元", "房号",
	    "建筑面积", "房屋用途", NULL};
	char a[32];
	struct out o;

	out_open(&o, "houses.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < N_HOUSES; i++) {
		const struct house *h = &houses[i];
		f_fmt(&o, "FW%06d", i + 1), f_fmt(&o, "LD%05d", h->bld + 1);
		f_fmt(&o, "%d", h->unit_no), f_fmt(&o, "%d", h->room);
		f_str(&o, fmt_fixed(a, h->area_dm2, 2)), f_str(&o, huse_name[h->use]);
		row_end(&o);
	}
	out_close(&o);
}

/*
 * write_people: every household gets its head and then its other members
 * (each household at least one person, 47,199 in all); 7 bad rows go in
 * between, each with one fault grid-import rejects.
 */
static void
write_people(void)
{
	static const char *const hdr[] = {"人员编号", "姓名", "公民身份号码",
	    "性别", "出生日期", "联系电话", "民族", "户编号", "房屋编号",
	    "楼栋编号", "现住址", "人员类别", "更新时间", NULL};
	static const char *const local[] = {"430302", "430304", "430321",
	    "430381", "430382", "430302", "430321"};
	static const char *const away[] = {"430102", "430521", "431121",
	    "430922", "431023", "360102", "420106", "440304", "450102",
	    "522101", "430681"};
	static const char *const ethnic[] = {"汉族", "汉族", "汉族", "汉族",
	    "汉族", "汉族", "汉族", "汉族", "汉族", "土家族", "苗族", "侗族",
	    "瑶族", "回族"};
	static const int bad_at[] = {4000, 11000, 18500, 26000, 33000, 39500, 45500};
	static int w[N_HOUSEHOLDS];
	char name[32], cid[24], tel[32], bd[32], upd[32], addr[512];
	struct wpick wp;
	struct out o;
	int pid = 0, nbad = 0;

	out_open(&o, "people.csv", 1, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < N_HOUSEHOLDS; i++) {
		int u = houses[hhs[i].house].use;
		hhs[i].nmem = 1;
		w[i] = u == H_SELF ? 6 : u == H_RENT ? 2 : 1;
	}
	wpick_init(&wp, N_HOUSEHOLDS, w);
	for (int i = N_HOUSEHOLDS; i < N_PEOPLE;) {
		int k = wpick(&wp);
		if (hhs[k].nmem < 8)
			hhs[k].nmem++, i++;
	}
	free(wp.cum);

	for (int i = 0; i < N_HOUSEHOLDS; i++) {
		const struct house *h = &houses[hhs[i].house];
		int floating = h->use != H_SELF ? pct(75) : pct(6);
		house_address(addr, sizeof(addr), h);
		for (int j = 0; j < hhs[i].nmem; j++) {
			int male = j == 0 ? pct(72) : pct(48);
			int age = j == 0 ? between(23, 86) :
			    pct(28) ? between(0, 17) : between(18, 92);
			int z = days_from_civil(2017, 7, 1) - age * 365 - rnd(365);
			int r = rnd(1000), bad = -1;
			const char *cat = floating ? "流动人口" : "户籍人口";

			if (!floating && r < 15 && age >= 18)
				cat = "特殊人群";
			else if (j > 0 && r > 995)
				cat = "境外人员";
			if (nbad < 7 && pid == bad_at[nbad])
				bad = nbad;
			fake_name(name, sizeof(name), male);
			cid[0] = '\0';
			if (strcmp(cat, "境外人员") != 0)
				citizen_id(cid, floating ? PICK(away) : PICK(local), z, male);
			tel[0] = '\0';
			if (age >= 16 && pct(92))
				phone(tel);
			fmt_date(bd, z, rnd(4));
			int ud = rand_workday(doy(3, 1), doy(11, 30));
			int um = between(540, 1020);
			fmt_ts(upd, ud * 1440 + um, rnd(2));
			if (j == 0) {
				snprintf(hhs[i].head_name, sizeof(hhs[i].head_name), "%s", name);
				snprintf(hhs[i].head_id, sizeof(hhs[i].head_id), "%s", cid);
			}
			/* a bad row first, then the good one */
			for (int pass = bad < 0; pass < 2; pass++) {
				char c2[24], b2[32], t2[32];
				strcpy(c2, cid), strcpy(b2, bd), strcpy(t2, tel);
				if (pass == 0) {
					if (bad == 0 || bad == 3)	/* check character */
						c2[17] = c2[17] == '0' ? '1' : c2[17] == 'X' ? '2' : '0';
					else if (bad == 1)
						strcpy(b2, "1978年2月29日");
					else if (bad == 4)
						strcpy(b2, "19830431");
					else if (bad == 6)
						strcpy(t2, "5821234");
					if (bad == 2 || bad == 5)
						f_str(&o, "");
					else
						f_fmt(&o, "RK9%06d", bad + 1);
				} else
					f_fmt(&o, "RK%07d", ++pid);
				f_str(&o, name), f_str(&o, c2);
				f_str(&o, rnd(3) ? (male ? "男" : "女") : (male ? "1" : "2"));
				f_str(&o, b2), f_str(&o, t2), f_str(&o, PICK(ethnic));
				f_fmt(&o, "H%07d", i + 1), f_fmt(&o, "FW%06d", hhs[i].house + 1);
				f_fmt(&o, "LD%05d", h->bld + 1), f_str(&o, addr);
				f_str(&o, cat), f_str(&o, upd);
				row_end(&o);
			}
			if (bad >= 0)
				nbad++;
		}
	}
	if (pid != N_PEOPLE || nbad != 7)
		die("people: %d people, %d bad rows", pid, nbad);
	out_close(&o);
}

static void
write_households(void)
{
	static const char *const hdr[] = {"户编号", "户主姓名", "户主公民身份号码",
	    "家庭人数", "住址", "房屋编号", "楼栋编号", NULL};
	char addr[512];
	struct out o;

	out_open(&o, "households.csv", 0, 1, 1);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < N_HOUSEHOLDS; i++) {
		const struct house *h = &houses[hhs[i].house];
		house_address(addr, sizeof(addr), h);
		f_fmt(&o, "H%07d", i + 1), f_str(&o, hhs[i].head_name);
		f_str(&o, hhs[i].head_id), f_fmt(&o, "%d", hhs[i].nmem);
		f_str(&o, addr), f_fmt(&o, "FW%06d", hhs[i].house + 1);
		f_fmt(&o, "LD%05d", h->bld + 1);
		row_end(&o);
	}
	out_close(&o);
}

/* ---- places of business and organisations -------------------------- */

/*
 * credit_code: a unified social credit code (GB 32100-2015) with valid
 * check characters: registration office and kind 2, division 6,
 * organisation code 9 (GB 11714, its own check character), check 1.
 */
static void
credit_code(char *buf, const char *kind)
{
	static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
	    8, 24, 10, 30, 28};
	static const int w9[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	sprintf(buf, "%s430300", kind);
	if (kind[0] == '9') {		/* registered after 2015: MA + 6 */
		buf[8] = 'M', buf[9] = 'A';
		for (int i = 10; i < 16; i++)
			buf[i] = set[rnd(i == 11 ? 31 : 10)];
	} else
		for (int i = 8; i < 16; i++)
			buf[i] = (char)('0' + rnd(10));
	for (int i = 0; i < 8; i++) {
		char c = buf[8 + i];
		s += (c <= '9' ? c - '0' : c - 'A' + 10) * w9[i];
	}
	s = 11 - s % 11;
	buf[16] = s == 10 ? 'X' : s == 11 ? '0' : (char)('0' + s);
	s = 0;
	for (int i = 0; i < 17; i++)
		s += (int)(strchr(set, buf[i]) - set) * w[i];
	buf[17] = set[(31 - s % 31) % 31];
	buf[18] = '\0';
}

static void
write_orgs(void)
{
	static const char *const hdr[] = {"单位编号", "单位名称", "场所类型",
	    "统一社会信用代码", "联系人", "联系电话", "地址", "经度", "纬度", NULL};
	static const struct {
		int n;
		const char *type[2];
		const char *kind;
	} kinds[] = {
		{494, {"商铺", "门店"}, "92"}, {500, {"园区企业", "企业"}, "91"},
		{15, {"驻区单位", "驻区单位"}, "12"}, {14, {"宾馆", "酒店"}, "91"},
		{26, {"娱乐场所", "娱乐场所"}, "91"}, {20, {"建筑工地", "工地"}, "91"},
	};
	static const char *const shop[] = {"便利店", "超市", "粉店", "水果店",
	    "药店", "理发店", "五金店", "快餐店", "服装店", "手机店", "早餐店",
	    "烟酒店", "干洗店", "茶馆"};
	static const char *const word[] = {"湘潭", "高新", "华盛", "恒通", "鑫达",
	    "宏源", "金科", "天易", "中兴", "瑞丰", "联创", "博远", "湘江",
	    "万达", "新力", "正和", "昌盛", "永安", "楚天", "长城"};
	static const char *const trade[] = {"电气", "机械", "科技", "新材料",
	    "电子", "智能装备", "精密制造", "生物科技", "软件", "物流",
	    "能源科技", "汽车零部件"};
	static const char *const stationed[] = {"湘潭市公安局高新分局",
	    "国网湘潭供电公司高新供电所", "湘潭市高新区税务局",
	    "湘潭市市场监督管理局高新分局", "湘潭市自然资源和规划局高新分局",
	    "湘潭市生态环境局高新分局", "湘潭市消防救援支队高新大队",
	    "中国移动湘潭分公司高新营业部", "湘潭市交警支队高新大队",
	    "湖南省湘潭市人民检察院驻区检察室", "湘潭市住房公积金管理中心高新办事处",
	    "湘潭市人力资源和社会保障局高新分局", "湘潭市城市管理和综合执法局高新大队",
	    "湘潭市卫生健康委员会高新监督所", "湘潭市邮政管理局高新营业所"};
	static const char *const venue[] = {"KTV", "网吧", "歌舞厅", "足浴城",
	    "台球室", "游艺厅"};
	char name[256], addr[256], code[24], cn[32], tel[32], x[32], y[32];
	int seq = 0, uw[MAXU];
	struct wpick wp;
	struct out o;

	out_open(&o, "orgs.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int u = 0; u < nunit; u++)
		uw[u] = between(1, 5);
	wpick_init(&wp, nunit, uw);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int i = 0; i < kinds[k].n; i++) {
			int u = wpick(&wp), c = unit_comm(u);
			int64_t lon, lat, glon, glat;

			/* enterprises sit in the park communities 杉山 and 和平 */
			if (k == 1 && pct(70)) {
				int want = pct(50) ? 2 : 8;
				while (unit_comm(u) != want)
					u = rnd(nunit);
				c = want;
			}
			/* one random call per statement: argument order is unspecified */
			const char *w1 = PICK(word), *w2 = PICK(word);
			const char *road = comms[c].road[rnd(2)];
			int num = between(1, 300);
			switch (k) {
			case 0:
				snprintf(name, sizeof(name), "%s记%s", PICK(surnames), w1);
				strcat(name, PICK(shop));
				break;
			case 1:
				snprintf(name, sizeof(name), "湖南%s%s%s有限公司",
				    w1, w2, PICK(trade));
				break;
			case 2:
				snprintf(name, sizeof(name), "%s", stationed[i]);
				break;
			case 3:
				snprintf(name, sizeof(name), "%s%s", w1,
				    i % 2 ? "大酒店" : "商务宾馆");
				break;
			case 4:
				snprintf(name, sizeof(name), "%s%s", w1, PICK(venue));
				break;
			default:
				snprintf(name, sizeof(name), "%s%s项目工地", w1,
				    comms[c].estate[rnd(2)]);
			}
			snprintf(addr, sizeof(addr), "%s%s%s%d号", ADDR_PREFIX,
			    streets[comms[c].street].name, road, num);
			code[0] = '\0';
			if (k != 0 || pct(80))
				credit_code(code, kinds[k].kind);
			fake_name(cn, sizeof(cn), pct(60));
			if (k >= 1 && pct(40))
				sprintf(tel, "0731-58%02d%04d", rnd(100), num * 31 % 10000);
			else
				phone(tel);
			unit_point(u, &lon, &lat);
			wgs_to_gcj(lon, lat, &glon, &glat);
			gcj_to_bd(glon, glat, &glon, &glat);	/* a Baidu-map app */
			f_fmt(&o, "DW%05d", ++seq), f_str(&o, name);
			f_str(&o, kinds[k].type[rnd(2)]), f_str(&o, code);
			f_str(&o, cn), f_str(&o, tel), f_str(&o, addr);
			f_str(&o, fmt_fixed(x, glon, 7)), f_str(&o, fmt_fixed(y, glat, 7));
			row_end(&o);
		}
	free(wp.cum);
	out_close(&o);
}

/* ---- workers, patrols, events, activities -------------------------- */

#define NWORKER 36		/* 34 grid workers, then 2 grid leaders */

struct worker {
	char id[16], name[32], tel[32];
	int bgrid;		/* -1 for a leader */
};

static struct worker workers[NWORKER];

static void
write_workers(void)
{
	static const char *const hdr[] = {"人员编号", "姓名", "联系电话", "岗位",
	    "负责网格", "所属社区", "所属街道", "上岗日期", NULL};
	char d[32], code[32];
	struct out o;

	out_open(&o, "workers.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < NWORKER; i++) {
		struct worker *w = &workers[i];
		int lead = i >= nbgrid, s = lead ? i - nbgrid : comms[bgrids[i].comm].street;

		w->bgrid = lead ? -1 : i;
		snprintf(w->id, sizeof(w->id), lead ? "WGZ%02d" : "WG%03d",
		    lead ? s + 1 : i + 1);
		fake_name(w->name, sizeof(w->name), pct(45));
		phone(w->tel);
		snprintf(code, sizeof(code), "%s%03d", DISTRICT_CODE, s + 1);
		f_str(&o, w->id), f_str(&o, w->name), f_str(&o, w->tel);
		f_str(&o, lead ? "网格长" : pct(50) ? "专职网格员" : "网格员");
		f_str(&o, lead ? code : bgrids[i].code);
		f_str(&o, lead ? "" : comms[bgrids[i].comm].name);
		f_str(&o, streets[s].name);
		int m = between(3, 12);
		f_str(&o, fmt_date(d, days_from_civil(2016, m, between(1, 28)), 4));
		row_end(&o);
	}
	out_close(&o);
}

/*
 * write_patrols: each grid worker patrols once on every working day, 60 to
 * 150 minutes, as the duty says ("每天在网格内至少巡查1次，每次时间不低于
 * 1小时"): the report states no shortfall here, so the data has none.
 */
static void
write_patrols(void)
{
	static const char *const hdr[] = {"巡查编号", "网格员编号", "巡查网格",
	    "开始时间", "结束时间", "巡查时长", "巡查里程", "经度", "纬度", NULL};
	char a[32], b[32], x[32], y[32], dist[32];
	struct out o;
	int seq = 0;

	out_open(&o, "patrols.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int d = 0; d < 365; d++) {
		if (!is_workday(d))
			continue;
		for (int i = 0; i < nbgrid; i++) {
			const struct bgrid *g = &bgrids[i];
			int64_t lon, lat, glon, glat;
			int min = between(60, 150);
			int t = d * 1440 + (pct(70) ? between(520, 600) : between(880, 945));
			int form = rnd(2);
			unit_point(g->first_unit + rnd(g->nunit), &lon, &lat);
			wgs_to_gcj(lon, lat, &glon, &glat);
			f_fmt(&o, "XC%06d", ++seq), f_str(&o, workers[i].id);
			f_str(&o, g->code), f_str(&o, fmt_ts(a, t, form));
			f_str(&o, fmt_ts(b, t + min, form)), f_fmt(&o, "%d", min);
			f_str(&o, fmt_fixed(dist, (int64_t)min * between(350, 700), 1));
			f_str(&o, fmt_fixed(x, glon, 7)), f_str(&o, fmt_fixed(y, glat, 7));
			row_end(&o);
		}
	}
	out_close(&o);
}

/*
 * The categories of schemas/routing/example.yaml with their handling limit
 * (working minutes, a working day being 390; or calendar minutes), the
 * department of a dispatched case and the weight among self-handled and
 * dispatched cases.
 */
static const struct cat {
	const char *code, *dept;
	int limit, calendar, wself, wdisp;
	const char *title[2];
} cats[] = {
	{"0101", "街道城管办", 390, 0, 40, 8, {"路边暴露垃圾", "小区门口垃圾堆放"}},
	{"0102", "街道城管办", 240, 0, 25, 0, {"路面油污", "道路泥土洒落"}},
	{"0103", "街道城管办", 390, 0, 20, 0, {"墙面小广告", "电线杆乱张贴"}},
	{"0201", "街道城管办", 5 * 390, 0, 0, 14, {"店招违规设置", "违规悬挂横幅"}},
	{"0301", "区城管局", 20 * 390, 0, 0, 10, {"楼顶违章搭建", "私搭乱建"}},
	{"0401", "社区居委会", 3 * 390, 0, 15, 16, {"邻里噪音纠纷", "漏水引发邻里纠纷"}},
	{"0402", "派出所", 24 * 60, 1, 0, 12, {"电动车楼道充电", "消防通道堵塞"}},
};
#define NCAT ((int)(sizeof(cats) / sizeof(cats[0])))

struct event {
	int worker, cat, self, sev, unit, form, title, road, num;
	int rep, fil, dis, han, ver, clo;	/* minutes since 2017-01-01 */
	int64_t glon, glat;
};

static int
cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	return x->worker < y->worker ? -1 : x->worker > y->worker;
}

/*
 * make_event: times that keep every step inside the limits of the example
 * routing (file and dispatch 2 working hours, verify and close 1 working
 * day), every due inside 2017, reported no later than 20 December.
 */
static void
make_event(struct event *e, int self)
{
	const int last = doy(12, 29) * 1440 + 1050;	/* 17:30 on the last workday */
	int wc[NCAT];

	for (int c = 0; c < NCAT; c++)
		wc[c] = self ? cats[c].wself : cats[c].wdisp;
	for (;;) {
		struct wpick wp;
		wpick_init(&wp, NCAT, wc);
		e->cat = wpick(&wp);
		free(wp.cum);
		const struct cat *c = &cats[e->cat];
		e->self = self;
		int d = rand_workday(doy(1, 3), doy(12, 20));
		e->rep = d * 1440 + (pct(55) ? between(515, 710) : between(875, 1040));
		if (!is_work_minute(e->rep))
			continue;
		e->fil = wafter(e->rep, between(2, 40));
		int start = e->fil;
		e->dis = -1;
		if (!self)
			start = e->dis = wafter(e->fil, between(5, 90));
		int lim = c->calendar ? 0 : c->limit;
		if (self)
			e->han = wafter(start, between(10, 120 < lim / 2 ? 120 : lim / 2));
		else if (c->calendar)
			e->han = wafter(start, between(30, 240));
		else
			e->han = wafter(start, between(lim / 5, lim * 7 / 10));
		if (c->calendar && e->han - start > c->limit * 7 / 10)
			continue;
		e->ver = wafter(e->han, between(10, 240));
		e->clo = wafter(e->ver, between(5, 180));
		int due = c->calendar ? start + c->limit : wadd(start, c->limit);
		if (due > last || wadd(e->ver, 390) > last || e->clo > last ||
		    !is_work_minute(e->clo))
			continue;
		return;
	}
}

static void
write_events(void)
{
	static const char *const hdr[] = {"事件编号", "事件来源", "事件类别",
	    "紧急程度", "事件标题", "事件描述", "事发地址", "经度", "纬度",
	    "所属网格", "上报人编号", "上报人", "上报人电话", "自行处理",
	    "上报时间", "立案时间", "派遣时间", "处置时间", "核查时间",
	    "结案时间", "处置部门", NULL};
	static struct event ev[N_EVENTS];
	char buf[6][40], x[32], y[32], addr[256], desc[512];
	struct out o;

	out_open(&o, "events.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int i = 0; i < N_EVENTS; i++) {
		struct event *e = &ev[i];
		int64_t lon, lat;
		make_event(e, i < N_SELF);
		e->worker = rnd(nbgrid);
		e->unit = bgrids[e->worker].first_unit + rnd(bgrids[e->worker].nunit);
		e->sev = pct(80) ? 0 : 1;
		e->form = rnd(2);
		e->title = rnd(2);
		e->road = rnd(2);
		e->num = between(1, 200);
		unit_point(e->unit, &lon, &lat);
		wgs_to_gcj(lon, lat, &e->glon, &e->glat);
	}
	qsort(ev, N_EVENTS, sizeof(ev[0]), cmp_event);
	for (int i = 0; i < N_EVENTS; i++) {
		const struct event *e = &ev[i];
		const struct cat *c = &cats[e->cat];
		const struct community *cm = &comms[unit_comm(e->unit)];
		const struct worker *w = &workers[e->worker];

		/* the bad rows: no report time, an impossible date, no fix */
		int bad = i == 100 ? 0 : i == 200 ? 1 : i == 300 ? 2 : -1;
		if (bad >= 0) {
			f_fmt(&o, "XT2017-9%03d", bad + 1), f_str(&o, "网格员上报");
			f_str(&o, c->code), f_str(&o, "一般");
			f_str(&o, c->title[e->title]), f_str(&o, c->title[e->title]);
			f_str(&o, cm->name);
			f_str(&o, bad == 2 ? "0" : fmt_fixed(x, e->glon, 7));
			f_str(&o, bad == 2 ? "0" : fmt_fixed(y, e->glat, 7));
			f_str(&o, bgrids[e->worker].code), f_str(&o, w->id);
			f_str(&o, w->name), f_str(&o, w->tel), f_str(&o, "自行处理");
			f_str(&o, bad == 0 ? "" : bad == 1 ? "2017-02-29 10:15:00" :
			    fmt_ts(buf[0], e->rep, 0));
			for (int k = 0; k < 6; k++)
				f_str(&o, "");
			row_end(&o);
		}
		snprintf(addr, sizeof(addr), "%s%s%s%s%d号附近", ADDR_PREFIX,
		    streets[cm->street].name, cm->name, cm->road[e->road], e->num);
		snprintf(desc, sizeof(desc), "网格员巡查发现%s%d号附近%s，%s。",
		    cm->road[e->road], e->num, c->title[e->title],
		    e->self ? "已现场处理" : "需相关部门处置");
		f_fmt(&o, "XT2017-%04d", i + 1), f_str(&o, "网格员上报");
		f_str(&o, c->code), f_str(&o, e->sev ? "较大" : "一般");
		f_str(&o, c->title[e->title]), f_str(&o, desc), f_str(&o, addr);
		f_str(&o, fmt_fixed(x, e->glon, 7)), f_str(&o, fmt_fixed(y, e->glat, 7));
		f_str(&o, bgrids[e->worker].code), f_str(&o, w->id);
		f_str(&o, w->name), f_str(&o, w->tel);
		f_str(&o, e->self ? "自行处理" : "派遣处理");
		f_str(&o, fmt_ts(buf[0], e->rep, e->form));
		f_str(&o, fmt_ts(buf[1], e->fil, e->form));
		f_str(&o, e->self ? "" : fmt_ts(buf[2], e->dis, e->form));
		f_str(&o, fmt_ts(buf[3], e->han, e->form));
		f_str(&o, fmt_ts(buf[4], e->ver, e->form));
		f_str(&o, fmt_ts(buf[5], e->clo, e->form));
		f_str(&o, e->self ? "网格员" : c->dept);
		row_end(&o);
	}
	out_close(&o);
}

struct act {
	int day, worker, type, count, note;
};

static int
cmp_act(const void *a, const void *b)
{
	const struct act *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->worker != y->worker)
		return x->worker < y->worker ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->note < y->note ? -1 : x->note > y->note;
}

/*
 * write_activities: leaflet hand-outs of 30 to 130 each (30,560 in all),
 * then one row per public-opinion report (315) and mediated dispute (112),
 * then the home visits (入户走访): 3 to 8 a month for each grid worker, so
 * that every worker-month holds at least 3 services of people or things
 * (the duty "每月完成不少于3件人或事物的管理和服务").
 */
static void
write_activities(void)
{
	static const char *const hdr[] = {"工作编号", "工作类型", "网格员编号",
	    "所属网格", "日期", "数量", "备注", NULL};
	static const char *const tname[4][2] = {{"发放宣传资料", "政策宣传"},
	    {"社情民意", "民情日志"}, {"矛盾纠纷调解", "纠纷调解"},
	    {"入户走访", "走访"}};
	static const char *const note[4][4] = {
		{"禁毒宣传", "消防安全宣传", "扫黑除恶宣传", "反诈骗宣传"},
		{"居民反映路灯损坏", "居民反映小区停车难", "居民建议增设健身器材",
		 "居民反映噪音扰民"},
		{"邻里漏水纠纷", "宅基地界址纠纷", "家庭矛盾", "物业费纠纷"},
		{"核查人口信息", "走访独居老人", "流动人口登记", "出租屋核查"}};
	static const int mday[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	static struct act a[4000];
	char d[32];
	int n = 0, left = N_LEAFLETS;
	struct out o;

	out_open(&o, "activities.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (; left > 0; n++) {
		int c = between(30, 130);
		if (left - c < 30)
			c = left;
		left -= c;
		a[n] = (struct act){rand_workday(doy(1, 3), doy(12, 29)), 0, 0, c, n};
		a[n].worker = rnd(nbgrid);
	}
	for (int i = 0; i < N_OPINIONS + N_MEDIATIONS; i++, n++) {
		a[n] = (struct act){rand_workday(doy(1, 3), doy(12, 29)), 0,
		    i < N_OPINIONS ? 1 : 2, 1, n};
		a[n].worker = rnd(nbgrid);
	}
	for (int w = 0; w < nbgrid; w++)
		for (int m = 1; m <= 12; m++) {
			int k = between(3, 8);
			for (int j = 0; j < k; j++, n++) {
				int from = doy(m, m == 1 ? 3 : 1);
				a[n] = (struct act){rand_workday(from,
				    doy(m, mday[m - 1])), w, 3, 1, n};
			}
		}
	qsort(a, (size_t)n, sizeof(a[0]), cmp_act);
	for (int i = 0; i < n; i++) {
		f_fmt(&o, "HD%06d", i + 1), f_str(&o, tname[a[i].type][rnd(2)]);
		f_str(&o, workers[a[i].worker].id), f_str(&o, bgrids[a[i].worker].code);
		f_str(&o, fmt_date(d, days_from_civil(2017, 1, 1) + a[i].day, 4));
		f_fmt(&o, "%d", a[i].count), f_str(&o, note[a[i].type][a[i].note % 4]);
		row_end(&o);
	}
	out_close(&o);
}

/* ---- province scale (bench/pipeline.sh) ------------------------------ */

/*
 * With --grids N, --events N or --people N, gen writes a province-sized
 * data set instead of the 2017 one, for benchmarks: grids.csv, events.csv
 * and people.csv only.  The registry is a lattice of square basic grids
 * of 0.01 degree, 5 to a community (a row of 5 cells), 5 communities to a
 * street (5 x 5 cells), 2 streets to a district (10 x 5 cells), the
 * districts 10 to a row of the province north of 22 N, 108 E: every area
 * is a rectangle, so every level tiles its parent.  Events fall in random
 * grids at random WGS-84 positions (import with --crs wgs84), on the same
 * categories and working calendar as the 2017 events; people carry their
 * grid code (assign with --by grid).  Deterministic like the rest.
 */
static long sc_grids, sc_events, sc_people;

static void
sc_code(char *buf, int lv, long g)
{
	long d = g / 50, st = g / 25 % 2, c = g / 5 % 5, k = g % 5;

	/* district: 43 + 4 digits (made up); street 3, community 3, grid 3 */
	if (lv == L_DISTRICT)
		sprintf(buf, "43%04ld", d + 1);
	else if (lv == L_STREET)
		sprintf(buf, "43%04ld%03ld", d + 1, st + 1);
	else if (lv == L_COMMUNITY)
		sprintf(buf, "43%04ld%03ld%03ld", d + 1, st + 1, c + 1);
	else
		sprintf(buf, "43%04ld%03ld%03ld%03ld", d + 1, st + 1, c + 1, k + 1);
}

/* sc_cell: the lattice cell (column, row from the north) of basic grid g. */
static void
sc_cell(long g, long *col, long *row)
{
	long d = g / 50, st = g / 25 % 2, c = g / 5 % 5, k = g % 5;

	*col = d % 10 * 10 + st * 5 + k;
	*row = d / 10 * 5 + c;
}

/* sc_rect: a rectangle of cells [c0, c1) x [r0, r1) as WKT. */
static void
sc_rect(char *buf, size_t size, long c0, long r0, long c1, long r1)
{
	const int64_t x0 = 1080000000LL, y0 = 300000000LL, d = 100000;
	char a[4][32];

	fmt_fixed(a[0], x0 + c0 * d, 7), fmt_fixed(a[1], y0 - r1 * d, 7);
	fmt_fixed(a[2], x0 + c1 * d, 7), fmt_fixed(a[3], y0 - r0 * d, 7);
	snprintf(buf, size, "POLYGON ((%s %s,%s %s,%s %s,%s %s,%s %s))", a[0], a[1],
	    a[2], a[1], a[2], a[3], a[0], a[3], a[0], a[1]);
}

static void
sc_write_grids(void)
{
	static const char *const hdr[] = {"WKT", "网格编码", "网格名称", "层级",
	    "上级编码", "网格员编号", NULL};
	static const char *const lvname[] = {"区", "街道", "社区", "基本网格"};
	static const long per[] = {50, 25, 5, 1};
	static const long w[] = {10, 5, 5, 1}, h[] = {5, 5, 1, 1};
	char wkt[512], code[32], parent[32], name[64];
	struct out o;

	out_open(&o, "grids.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (int lv = L_DISTRICT; lv <= L_GRID; lv++)
		for (long g = 0; g < sc_grids; g += per[lv]) {
			long col, row;
			sc_cell(g, &col, &row);
			if (lv == L_STREET || lv == L_DISTRICT)
				col -= col % 5, row -= row % 5;
			if (lv == L_DISTRICT)
				col -= col % 10;
			if (lv == L_COMMUNITY)
				col -= col % 5;
			sc_rect(wkt, sizeof(wkt), col, row, col + w[lv], row + h[lv]);
			sc_code(code, lv, g);
			parent[0] = '\0';
			if (lv > L_DISTRICT)
				sc_code(parent, lv - 1, g);
			snprintf(name, sizeof(name), "%s%s", code, lvname[lv]);
			f_str(&o, wkt), f_str(&o, code), f_str(&o, name);
			f_str(&o, lvname[lv]), f_str(&o, parent);
			if (lv == L_GRID)
				f_fmt(&o, "W%07ld", g + 1);
			else
				f_str(&o, "");
			row_end(&o);
		}
	out_close(&o);
}

static void
sc_write_events(void)
{
	static const char *const hdr[] = {"事件编号", "事件来源", "事件类别",
	    "紧急程度", "事件标题", "经度", "纬度", "所属网格", "上报人编号",
	    "自行处理", "上报时间", "立案时间", "派遣时间", "处置时间",
	    "核查时间", "结案时间", "处置部门", NULL};
	enum { POOL = 4096 };
	static struct event pool[POOL];
	char b[6][40], x[32], y[32], code[32];
	struct out o;

	/* make_event walks the working calendar minute by minute: draw a pool
	 * of timelines once (self-handled and dispatched alike), then pick */
	rng_seed("scale-pool");
	for (int i = 0; i < POOL; i++)
		make_event(&pool[i], i % 100 < 85);
	out_open(&o, "events.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (long i = 0; i < sc_events; i++) {
		long col, row;
		/* one random draw per statement, as everywhere */
		const struct event *ep = &pool[rnd(POOL)];
		struct event e = *ep;
		int self = e.self;
		long g = (long)(rnd64() % (uint64_t)sc_grids);
		int64_t ox = between(1000, 99000);
		int64_t oy = between(1000, 99000);
		sc_cell(g, &col, &row);
		sc_code(code, L_GRID, g);
		const struct cat *c = &cats[e.cat];
		f_fmt(&o, "E%09ld", i + 1), f_str(&o, "网格员上报");
		f_str(&o, c->code), f_str(&o, "一般"), f_str(&o, c->title[0]);
		f_str(&o, fmt_fixed(x, 1080000000LL + col * 100000 + ox, 7));
		f_str(&o, fmt_fixed(y, 300000000LL - (row + 1) * 100000 + oy, 7));
		f_str(&o, code), f_fmt(&o, "W%07ld", g + 1);
		f_str(&o, self ? "自行处理" : "派遣处理");
		f_str(&o, fmt_ts(b[0], e.rep, 0)), f_str(&o, fmt_ts(b[1], e.fil, 0));
		f_str(&o, self ? "" : fmt_ts(b[2], e.dis, 0));
		f_str(&o, fmt_ts(b[3], e.han, 0)), f_str(&o, fmt_ts(b[4], e.ver, 0));
		f_str(&o, fmt_ts(b[5], e.clo, 0));
		f_str(&o, self ? "网格员" : c->dept);
		row_end(&o);
	}
	out_close(&o);
}

static void
sc_write_people(void)
{
	static const char *const hdr[] = {"人员编号", "姓名", "公民身份号码",
	    "性别", "出生日期", "联系电话", "所属网格", NULL};
	char name[32], id[24], tel[32], d[32], code[32];
	struct out o;

	out_open(&o, "people.csv", 0, 0, 0);
	f_header(&o, hdr);
	row_end(&o);
	for (long i = 0; i < sc_people; i++) {
		int y, m, dd;
		int male = pct(51);
		int z = between(days_from_civil(1930, 1, 1),
		    days_from_civil(2016, 12, 31));
		long g = (long)(rnd64() % (uint64_t)sc_grids);
		fake_name(name, sizeof(name), male);
		civil_from_days(z, &y, &m, &dd);
		sprintf(id, "430302%04d%02d%02d%03ld", y, m, dd,
		    i / 10 % 500 * 2 + male);
		id[17] = id_check(id);
		id[18] = '\0';
		phone(tel);
		sc_code(code, L_GRID, g);
		f_fmt(&o, "P%09ld", i + 1), f_str(&o, name), f_str(&o, id);
		f_str(&o, male ? "男" : "女"), f_str(&o, fmt_date(d, z, 0));
		f_str(&o, y > 2001 ? "" : tel), f_str(&o, code);
		row_end(&o);
	}
	out_close(&o);
}

static long
sc_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000000L)
		die("bad number in the arguments");
	return v;
}

int
main(int argc, char **argv)
{
	char path[4200];

	if (argc < 2 || argc % 2 != 0) {
		fputs("usage: gen OUTDIR [--grids N] [--events N] [--people N]\n",
		    stderr);
		return 64;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--grids") == 0)
			sc_grids = sc_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--events") == 0)
			sc_events = sc_arg(argv[i + 1]);
		else if (strcmp(argv[i], "--people") == 0)
			sc_people = sc_arg(argv[i + 1]);
		else {
			fputs("usage: gen OUTDIR [--grids N] [--events N] [--people N]\n",
			    stderr);
			return 64;
		}
	}
	snprintf(outdir, sizeof(outdir), "%s", argv[1]);
	snprintf(path, sizeof(path), "%s/raw", outdir);
	mkdir(outdir, 0777);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
	if (argc > 2) {
		if (sc_grids <= 0)
			sc_grids = 5000;
		sc_grids = (sc_grids + 49) / 50 * 50;	/* whole districts */
		sc_write_grids();
		sc_write_events();
		sc_write_people();
		return 0;
	}
	build_registry();
	write_grids();
	make_places();
	write_buildings();
	write_houses();
	write_people();
	write_households();
	write_orgs();
	write_workers();
	write_patrols();
	write_events();
	write_activities();
	return 0;
}
