/*
 * grids.h - the grid registry: polygons, parent chain, point lookup, check
 *
 * The registry is a grid-records(5) file of kind "grid".  The fields read
 * are code, level, wkt (required columns) and parent, name (optional);
 * every other field is ignored.
 *   code    the grid's code, text (leading zeros kept), not empty
 *   level   district, street, community, grid or unit
 *   wkt     WGS-84 lon/lat POLYGON or MULTIPOLYGON, as WKT
 *   parent  the code of the grid one level up; empty for the top
 *   name    a display name
 * A missing code, level or wkt column, a bad record line (see rec.h), an
 * empty code or an unknown level are ERR_DATA with file and line: fatal for
 * the loader.
 *
 * A bad *grid* does not stop the loader.  It keeps a list of problems found
 * while loading (bad_wkt, not_polygon, duplicate, orphan, cycle,
 * code_parent, level_order) and builds the index over what is usable;
 * grids_check lists them with the ones it finds itself.  grids_usable tells
 * whether a structural problem exists (bad_wkt, not_polygon, duplicate,
 * orphan, cycle): grid-assign refuses such a registry.  A polygon that
 * parses but is not valid in the OGC sense (self-intersection and the like)
 * is usable for lookup (GEOS copes) and listed by grids_check as "invalid".
 *
 * Grids are numbered 0 .. grids_count()-1 in code order (byte order,
 * strcmp).  A duplicate code keeps its first record; later ones are only
 * listed as "duplicate".  A grid whose WKT is bad keeps its number (others
 * may name it as parent) but has no polygon.
 *
 * Leaves are the grids that no other grid names as parent.  At load, for
 * the leaves that have a polygon: a GEOS prepared geometry each, an STRtree
 * over their envelopes (snapping, check), and for the hot path of
 * grids_locate a bucket grid over the envelopes (cells list leaves in code
 * order) with a flat copy of every ring.  grids_locate tests a point with
 * GEOS's own ray-crossing rule on that copy and asks GEOSPreparedCovers
 * whenever an orientation is too close to call in doubles, so its answer is
 * GEOS's; grids_locate_brute checks that.  Memory: about 16 bytes per
 * vertex on top of GEOS's own.
 *
 * Grid codes may encode their ancestors (struct grids_layout): CJ/T 213
 * (15 digits), CJ/T 349 (20 digits) or street + 3 + 2 (14 digits).  A code
 * whose prefix disagrees with its parent's is listed as "code_parent".
 *
 * GEOS: the reentrant C API (_r functions) with one context handle per
 * registry; GEOS's error and notice messages are caught into the registry,
 * never printed.  A registry is therefore not thread-safe: use one per
 * thread (or process).
 *
 * Ownership: grids_load returns an owned registry freed by grids_free (NULL
 * is fine); strings returned by the accessors belong to it.
 * Errors: ERR_NOINPUT, ERR_IO (reading), ERR_DATA (file shape, as above),
 * ERR_USAGE (bad layout spec), ERR_INTERNAL (out of memory, GEOS failure).
 */
#ifndef GRID_GRIDS_H
#define GRID_GRIDS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum grids_level {
	GRIDS_DISTRICT,		/* 区 */
	GRIDS_STREET,		/* 街道 */
	GRIDS_COMMUNITY,	/* 社区 */
	GRIDS_GRID,		/* 网格 */
	GRIDS_UNIT,		/* 单元网格 */
	GRIDS_NLEVEL
};

/* grids_level_name: "district" ... "unit"; "" for a value out of range. */
const char *grids_level_name(enum grids_level level);

/*
 * grids_level_parse: the level called s[0..n) (exact, lowercase) into *level;
 * 0, or -1 when unknown.
 */
int grids_level_parse(const char *s, size_t n, enum grids_level *level);

#define GRIDS_LAYOUT_MAX 8	/* segments */

enum grids_layout_mode {
	GRIDS_LAYOUT_NONE,	/* no code check */
	GRIDS_LAYOUT_AUTO,	/* one of the named layouts by code length */
	GRIDS_LAYOUT_FIXED	/* the segments below */
};

/*
 * struct grids_layout: how a grid code encodes its ancestors, as a list of
 * segments, each a level (or a filler, level -1, that belongs to no level)
 * and a number of characters.  Segments run from the top: e.g. CJ/T 213 is
 * district 6, street 3, community 3, grid 3.
 *
 * The expected parent code of a child at level L whose parent is at level P
 * is the concatenation of the child's segments for the levels up to P,
 * fillers skipped.  A parent code may be longer than that when it is padded
 * (110101001000000 for street 110101001): the rest must be zeros only.
 */
struct grids_layout {
	enum grids_layout_mode mode;
	int nseg;
	struct {
		int level;	/* enum grids_level, or -1 for a filler */
		int len;	/* characters, 1..32 */
	} seg[GRIDS_LAYOUT_MAX];
};

/*
 * grids_layout_parse: a layout by name or spec into *lay.
 *   "cjt213"      15 characters: district 6, street 3, community 3, grid 3
 *   "cjt349"      20: object 6 (filler), district 6, street 3,
 *                 community 3, grid 2
 *   "street-3-2"  14: district 6, street 3, community 3, grid 2
 *   "auto"        (also NULL or "") choose among those three by the
 *                 length of the child's code; any other length: no check
 *   "none"        no check
 *   a spec        "x:6,district:6,street:3,community:3,grid:2[,unit:3]":
 *                 comma-separated LEVEL:LEN, "x" for a filler; the levels
 *                 in top-down order, each at most once; LEN 1..32; at most
 *                 GRIDS_LAYOUT_MAX segments.
 * Returns 0, or ERR_USAGE "unknown layout or bad segment" (the spec is
 * configuration; the message still does not quote it).
 */
int grids_layout_parse(const char *spec, struct grids_layout *lay,
    struct err *e);

/*
 * grids_layout_expect: under lay, the code of the parent (at level plevel)
 * that a child code[0..n) implies, into out (size >= 33 * GRIDS_LAYOUT_MAX).
 * Returns its length, or -1 when lay gives no check for this code (mode
 * none, auto with an unknown length) and -2 when the code is too short for
 * the segments needed.
 */
long grids_layout_expect(const struct grids_layout *lay, const char *code,
    size_t n, enum grids_level plevel, char *out);

struct grids;

/*
 * grids_load: read the registry at path ("-" or NULL: standard input) and
 * build its index.  lay may be NULL (same as "auto").  On success *gp is an
 * owned registry; on error *gp is NULL and e says what (see the top).
 */
int grids_load(struct grids **gp, const char *path,
    const struct grids_layout *lay, struct err *e);

/* grids_load_mem: the same over buf[0..n) (borrowed, only during the call);
 * name is the file name used in messages. */
int grids_load_mem(struct grids **gp, const char *buf, size_t n,
    const char *name, const struct grids_layout *lay, struct err *e);

void grids_free(struct grids *g);

/* grids_usable: no structural problem (bad_wkt, not_polygon, duplicate,
 * orphan, cycle) was found while loading. */
bool grids_usable(const struct grids *g);

/* grids_count: number of distinct grids (duplicates not counted). */
size_t grids_count(const struct grids *g);

/* grids_leaf_count: number of leaves that have a polygon (the index). */
size_t grids_leaf_count(const struct grids *g);

/* grids_find: the number of the grid with this code, or -1 (O(log n)). */
long grids_find(const struct grids *g, const char *code);

/*
 * Accessors of grid i (0 <= i < grids_count; out of range is a bug).
 * grids_name gives "" when the record has none; grids_parent the parent's
 * number or -1 (top, orphan, or the grid where a cycle was cut);
 * grids_line the record's line in the file.
 */
const char *grids_code(const struct grids *g, size_t i);
const char *grids_name(const struct grids *g, size_t i);
enum grids_level grids_level(const struct grids *g, size_t i);
long grids_parent(const struct grids *g, size_t i);
long grids_line(const struct grids *g, size_t i);
bool grids_is_leaf(const struct grids *g, size_t i);

/*
 * grids_rings: the polygon of grid i (any level) as rings of lon/lat
 * pairs, for drawing: *xy gets 2 * (total points) doubles (lon, lat, lon,
 * lat, ...), *ringlen the number of points of each ring, *nrings their
 * count; ring order is, for each polygon of a MULTIPOLYGON in turn, its
 * exterior ring and then its holes, as GEOS holds them (the closing point
 * repeated).  Both arrays are owned by the caller (mem_free).  A grid
 * without a polygon (bad WKT) gives *nrings = 0 and NULL arrays.
 * Returns 0, or ERR_INTERNAL (out of memory, GEOS failure); on failure
 * the outputs are NULL and 0.
 */
int grids_rings(struct grids *g, size_t i, double **xy, size_t **ringlen,
    size_t *nrings, struct err *e);

/* grids_has_units: some grid has level unit. */
bool grids_has_units(const struct grids *g);

/*
 * grids_chain: for each level, the nearest grid of that level on the way
 * from i (itself included) up its parents, or -1 where the chain has none.
 */
void grids_chain(const struct grids *g, size_t i, long out[GRIDS_NLEVEL]);

/*
 * grids_locate: the leaf for the point (lon, lat), WGS-84 degrees.
 *
 * Returns 1 when a leaf covers the point, its boundary included (GEOS
 * "covers"); when several do (a shared edge or vertex, an overlap) the one
 * with the lowest code, every time; *dist_m = 0.
 *
 * Else, when snap_m > 0: the leaf nearest to the point within snap_m metres
 * on the ground; returns 2 with *leaf and *dist_m set.  The nearest point of
 * each candidate leaf is found by GEOS in degree space, and its distance to
 * the point measured by geo_distance_m (haversine); candidates come from an
 * envelope widened by snap_m (lat: m/111320 degrees, lon: m/(111320 cos lat),
 * both 10 % generous).  Equal distances go to the lowest code.  Near the
 * poles, or far from the equator with a large snap, the degree-space
 * nearest point may be slightly off the ground-nearest one; at city scale
 * the difference is far below a metre.
 *
 * Else 0, *leaf = -1 (also for a point outside lon -180..180 / lat -90..90).
 * A NaN or infinite coordinate is ERR_DATA "coordinate is not a number";
 * a negative or NaN snap_m is taken as 0.  ERR_INTERNAL when memory runs
 * out or GEOS fails.
 *
 * Not thread-safe: the registry keeps a scratch buffer of candidates and
 * its GEOS context (hence the non-const g).  Covering lookups allocate
 * nothing, except a GEOS point when an edge is too close to call (points
 * on or within ~1e-15 relative of a boundary); snapping allocates GEOS
 * geometries and may grow the candidate buffer.
 */
int grids_locate(struct grids *g, double lon, double lat, double snap_m,
    long *leaf, double *dist_m, struct err *e);

/*
 * grids_locate_brute: the covering answer of grids_locate with snap 0, by a
 * plain loop over every leaf in code order with GEOSCovers (no index, no
 * prepared geometry): for cross-checking.  1 (found) or 0; ERR_DATA for a
 * NaN coordinate, ERR_INTERNAL "GEOS failed" also when GEOS throws on an
 * invalid polygon (plain covers builds a topology graph; the prepared
 * predicate of grids_locate does not).  Agreement with grids_locate holds
 * for valid polygons only.
 */
int grids_locate_brute(struct grids *g, double lon, double lat, long *leaf,
    struct err *e);

/*
 * struct grids_issue: one problem of the registry, as grids_check gives it.
 *   kind        see grids_check
 *   grid        the grid's number; -1 for bad_wkt / not_polygon of a
 *               duplicate record (a duplicate points at the grid that
 *               kept the code)
 *   other       the other grid's number, or -1
 *   code        the grid's code (always set)
 *   other_code  the other grid's code, the missing parent's code for an
 *               orphan, "" when none (always set)
 *   area_m2     overlap, gap, outside_parent: the area; 0 otherwise
 *   reason      bad_wkt, not_polygon, invalid, code_parent: what is wrong;
 *               "" otherwise
 *   line        the record's line (the second record for a duplicate)
 * The strings are valid during the callback only.
 */
struct grids_issue {
	const char *kind;
	long grid;
	long other;
	const char *code;
	const char *other_code;
	double area_m2;
	const char *reason;
	long line;
};

/*
 * grids_check: every problem of the registry, through cb, in this order of
 * kinds and then by code, other code and line:
 *   bad_wkt         the WKT does not parse (reason: GEOS's message cut
 *                   before any quoted token or number, or a fixed text),
 *                   or has a coordinate out of range or not finite
 *   not_polygon     parses but is not a non-empty POLYGON or MULTIPOLYGON
 *   duplicate       a second record with the same code (its line)
 *   orphan          the parent code names no grid (other_code = it)
 *   cycle           parents lead back to the grid: one issue per cycle, at
 *                   its lowest code; the cycle is cut there
 *   code_parent     the code's prefix disagrees with the parent's (layout)
 *   level_order     the parent's level is not above the child's
 *   invalid         GEOSisValid is false; reason is GEOSisValidReason
 *                   without its "[x y]" location (the message stays the
 *                   same for every file; the grid says where)
 *   overlap         two grids of one level whose intersection exceeds
 *                   min_area_m2; each pair once, code < other code
 *   gap             area of a parent not covered by the union of its
 *                   children, above min_area_m2 (parents with children)
 *   outside_parent  area of a child outside its parent, above min_area_m2
 * Areas are in m² on a local plane: x = lon cos(lat0) k, y = lat k,
 * k = pi/180 * 6371008.8, lat0 = latitude of the centroid of the measured
 * geometry (equal to GEOS's area in degrees times cos(lat0) k²).  Against
 * the ellipsoid this is within 0.5 % for shapes a few km across.
 * A pair GEOS cannot intersect even after GEOSMakeValid is skipped (its
 * grid is listed as invalid already).
 *
 * cb returning non-zero stops the check, and grids_check returns that value;
 * else 0, or ERR_INTERNAL.  Overlap candidates come from an STRtree.
 */
int grids_check(struct grids *g, double min_area_m2,
    int (*cb)(void *arg, const struct grids_issue *), void *arg,
    struct err *e);

#endif
