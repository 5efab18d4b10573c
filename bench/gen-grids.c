/*
 * gen-grids - a synthetic grid registry and points for bench/assign.sh
 *
 *   gen-grids grids SIDE > grids.tsv      SIDE x SIDE leaf grids + parents
 *   gen-grids points N SIDE > points.tsv  N points over the same extent
 *
 * The leaves tile a square around Xiangtan (112.80E..113.00E,
 * 27.75N..27.95N): cell (i, j) is a quadrilateral whose four sides are
 * jagged polylines of 4 to 14 inner vertices each (20 to 60 vertices a
 * polygon), every side shared exactly with the neighbour's.  A vertex is
 * pushed off the straight side by at most 0.15 * sin(pi * t) of the cell
 * size (t its position along the side), so two sides meeting at a corner
 * stay inside cones of 25 degrees and a polygon never crosses itself.  One
 * cell in three has a square hole in its middle (a lake, a walled compound)
 * that no grid covers.  Parents: one community per 10 x 10 block of cells,
 * one street per 10 communities (by row), one district; their boundaries are
 * the blocks' plain rectangles.  Codes follow CJ/T 213 (15 digits).
 *
 * Points are uniform over the extent widened by 2 % on each side, so some
 * fall outside every grid, and some in holes.
 *
 * Output is grid-records(5).  Deterministic: splitmix64 with a fixed seed,
 * coordinates printed with %.7f in the C locale.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define LON0 112.80
#define LAT0 27.75
#define SPAN 0.20

static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* a uniform double in [0, 1) from a hash */
static double
unit(uint64_t z)
{
	return (double)(mix(z) >> 11) / 9007199254740992.0;
}

static int side;		/* cells per row */
static double cell;		/* degrees */

/*
 * Side number: horizontal side h(i, j) is the bottom of row j between
 * columns i and i+1; vertical side v(i, j) the left of column i in row j.
 * pts gets the inner vertices from the start corner to the end corner.
 */
static int
jag(int horiz, int i, int j, double pts[][2])
{
	uint64_t id = ((uint64_t)horiz << 40) ^ ((uint64_t)i << 20) ^ (uint64_t)j;
	int k = 4 + (int)(mix(id) % 11), n;
	double x0 = LON0 + i * cell, y0 = LAT0 + j * cell;

	for (n = 0; n < k; n++) {
		double t = (n + 1.0) / (k + 1.0);
		double off = (unit(id * 131 + (uint64_t)n) * 2 - 1) * 0.15 *
		    sin(M_PI * t) * cell;

		if (horiz) {
			pts[n][0] = x0 + t * cell;
			pts[n][1] = y0 + off;
		} else {
			pts[n][0] = x0 + off;
			pts[n][1] = y0 + t * cell;
		}
	}
	return k;
}

static void
put(double x, double y, int *first)
{
	printf("%s%.7f %.7f", *first ? "" : ",", x, y);
	*first = 0;
}

static void
leaf(int i, int j)
{
	double p[16][2], x0 = LON0 + i * cell, y0 = LAT0 + j * cell;
	int k, n, first = 1;

	int bs = side / 10;

	printf("grid\t430302%03d%03d%03d\t网格%d-%d\tgrid\t430302%03d%03d\t"
	    "POLYGON ((", j / bs + 1, i / bs + 1, (j % bs) * bs + i % bs + 1,
	    i, j, j / bs + 1, i / bs + 1);
	/* counter-clockwise: bottom left to right, right up, top right to
	 * left, left down */
	put(x0, y0, &first);
	k = jag(1, i, j, p);
	for (n = 0; n < k; n++)
		put(p[n][0], p[n][1], &first);
	put(x0 + cell, y0, &first);
	k = jag(0, i + 1, j, p);
	for (n = 0; n < k; n++)
		put(p[n][0], p[n][1], &first);
	put(x0 + cell, y0 + cell, &first);
	k = jag(1, i, j + 1, p);
	for (n = k - 1; n >= 0; n--)
		put(p[n][0], p[n][1], &first);
	put(x0, y0 + cell, &first);
	k = jag(0, i, j, p);
	for (n = k - 1; n >= 0; n--)
		put(p[n][0], p[n][1], &first);
	put(x0, y0, &first);
	printf(")");
	if ((i + j) % 3 == 0) {
		double c = 0.1 * cell, cx = x0 + cell / 2, cy = y0 + cell / 2;

		printf(", (%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f)",
		    cx - c, cy - c, cx - c, cy + c, cx + c, cy + c, cx + c, cy - c,
		    cx - c, cy - c);
	}
	printf(")\n");
}

static void
rect(const char *code, const char *name, const char *level,
    const char *parent, double x0, double y0, double x1, double y1)
{
	printf("grid\t%s\t%s\t%s\t%s\tPOLYGON ((%.7f %.7f,%.7f %.7f,"
	    "%.7f %.7f,%.7f %.7f,%.7f %.7f))\n", code, name, level, parent,
	    x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
}

static void
grids(void)
{
	char code[32], parent[32], name[64];
	int i, j, bs = side / 10;

	printf("kind\tcode\tname\tlevel\tparent\twkt\n");
	rect("430302", "示范区", "district", "", LON0, LAT0, LON0 + SPAN,
	    LAT0 + SPAN);
	for (j = 0; j < 10; j++) {
		/* streets: one per row of blocks, codes 001..010 */
		snprintf(code, sizeof code, "430302%03d", j + 1);
		snprintf(name, sizeof name, "街道%d", j + 1);
		rect(code, name, "street", "430302", LON0, LAT0 + j * bs * cell,
		    LON0 + SPAN, LAT0 + (j + 1) * bs * cell);
		for (i = 0; i < 10; i++) {
			snprintf(parent, sizeof parent, "430302%03d%03d", j + 1,
			    i + 1);
			snprintf(name, sizeof name, "社区%d-%d", j + 1, i + 1);
			rect(parent, name, "community", code,
			    LON0 + i * bs * cell, LAT0 + j * bs * cell,
			    LON0 + (i + 1) * bs * cell,
			    LAT0 + (j + 1) * bs * cell);
		}
	}
	for (j = 0; j < side; j++)
		for (i = 0; i < side; i++)
			leaf(i, j);
}

static void
points(long n)
{
	long k;

	printf("kind\tpoint_id\tlon\tlat\n");
	for (k = 0; k < n; k++) {
		double x = LON0 - 0.02 * SPAN + unit(2 * (uint64_t)k) * 1.04 * SPAN;
		double y = LAT0 - 0.02 * SPAN + unit(2 * (uint64_t)k + 1) * 1.04 *
		    SPAN;

		printf("point\tP%ld\t%.7f\t%.7f\n", k + 1, x, y);
	}
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "grids") == 0) {
		side = atoi(argv[2]);
	} else if (argc == 4 && strcmp(argv[1], "points") == 0) {
		side = atoi(argv[3]);
	} else {
		fputs("usage: gen-grids grids SIDE | points N SIDE\n", stderr);
		return 64;
	}
	if (side < 10 || side > 300 || side % 10 != 0) {
		fputs("gen-grids: SIDE must be a multiple of 10, 10..300\n",
		    stderr);
		return 64;
	}
	cell = SPAN / side;
	if (argv[1][0] == 'g')
		grids();
	else
		points(atol(argv[2]));
	return fflush(stdout) == 0 ? 0 : 1;
}
