/*
 * svg.h - charts as inline SVG text, for self-contained HTML reports
 *
 * report-render draws the monthly trend (svg_line), events by street split
 * into self-handled and dispatched (svg_bar, stacked or grouped), each
 * indicator's score against its weight (svg_hbar) and a map of the grids
 * shaded by an indicator (svg_map).  Each function appends one complete
 * <svg> element to a struct buf; nothing else is written.
 *
 * Output is deterministic: numbers are printed with str_fmt_fixed (two
 * decimals for coordinates, opts->decimals for value labels), never printf
 * or the locale, and the same input gives the same bytes.  Every text from
 * the caller (title, labels, series names, codes) is escaped for XML
 * (& < > " '), with control characters dropped and invalid UTF-8 replaced
 * by U+FFFD, so a label "<script>" is drawn as text.
 *
 * Values are doubles; NaN (and infinities) mean "n/a": no bar or point is
 * drawn and the label says "n/a" (a map shape is grey, and the legend has
 * an "n/a" entry).  Negative values draw below the zero line.  Charts with
 * no data (n == 0, or no finite value for the map) are still a valid SVG of
 * the given size, holding the text "no data" (a map with shapes but no
 * finite value draws every shape grey).
 *
 * Axes use "nice" ticks (svg_scale): steps of 1, 2 or 5 times a power of
 * ten, the range widened to whole steps and always holding zero.
 *
 * Map: equirectangular projection x = lon * cos(lat0), y = -lat, with lat0
 * the middle latitude of all shapes, scaled to fit the drawing area and
 * centred.  One <path class="grid" data-code="CODE" ...> per polygon (in
 * the given order; rings after the first are holes or further parts,
 * fill-rule evenodd), with a <title> tooltip "label: value".  Shades: five
 * classes of ColorBrewer Blues; SVG_EQUAL (the default) cuts [min, max] of
 * the finite values into five equal steps (a value on a cut goes to the
 * upper class; all values equal give one class), SVG_QUANTILE puts the
 * values in sorted order into five groups of (nearly) equal size, equal
 * values always in one class.  The legend lists the classes used, with
 * their bounds (SVG_EQUAL) or the smallest and largest value in them
 * (SVG_QUANTILE), and "n/a" when a value is missing.
 *
 * Text uses a CJK font stack: "Noto Sans CJK SC", "Source Han Sans SC",
 * "Microsoft YaHei", "PingFang SC", sans-serif.
 *
 * Errors: ERR_USAGE for bad arguments (a NULL array where n > 0, width or
 * height not in 0 (default) or 50..10000, decimals not in 0..6), ERR_DATA
 * for a map coordinate that is not finite or a latitude beyond 90
 * ("polygon N: coordinate out of range", N 1-based),
 * ERR_INTERNAL when out of memory.  On failure out is cut back to its
 * length on entry.  Memory comes from mem.h; nothing is kept between calls.
 */
#ifndef GRID_SVG_H
#define GRID_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

enum svg_classify { SVG_EQUAL, SVG_QUANTILE };

struct svg_opts {
	double width, height;	/* 0: 640 x 360 */
	const char *title;	/* drawn on top and as <title>; may be NULL */
	int decimals;		/* decimals of value labels, 0..6 */
	bool stacked;		/* svg_bar: stack series instead of grouping */
	const char *const *series;	/* svg_bar: legend names, or NULL */
	enum svg_classify classify;	/* svg_map */
};

/*
 * struct svg_scale: an axis from lo to hi in steps of step; n ticks
 * (lo, lo + step, ..., hi), printed with `decimals` decimals.
 */
struct svg_scale {
	double lo, hi, step;
	int n, decimals;
};

/*
 * svg_nice_scale: the nice axis for data from min to max (NaN ignored by
 * the caller) with about maxticks (2..20) intervals: zero is included, an
 * empty range (min == max == 0, or NaN) gives 0..1.  Cannot fail.
 * Examples: 0..7 gives 0, 2, .., 8; 0..1234 gives 0, 500, .., 1500;
 * -3..5 gives -4, -2, .., 6 (maxticks 5).
 */
void svg_nice_scale(double min, double max, int maxticks,
    struct svg_scale *s);

/*
 * svg_bar: vertical bars, one category per labels[i] (i < n), one series
 * per values[k] (k < nseries, values[k][i]); grouped side by side or
 * stacked (positive parts up, negative parts down).  Each bar is labelled
 * with its value (stacked: the total on top); with more than one series
 * and opts->series, a legend.  <rect class="bar sK"> per bar.
 */
int svg_bar(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *const *values, size_t nseries,
    size_t n, struct err *e);

/*
 * svg_line: a line through values[i] at labels[i] (i < n), a dot and a
 * value label at each finite point; NaN breaks the line.
 */
int svg_line(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *values, size_t n,
    struct err *e);

/*
 * svg_hbar: one row per labels[i]: a light bar to weights[i] (the most the
 * indicator can score), a dark bar to scores[i] over it, and the text
 * "score / weight".  weights may be NULL (no light bar).
 */
int svg_hbar(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *scores, const double *weights,
    size_t n, struct err *e);

/* A ring: n points, lon lat pairs in xy[2 * i], xy[2 * i + 1]. */
struct svg_ring {
	const double *xy;
	size_t n;
};

/* A grid's shape: rings[0] outer, the others holes or more parts. */
struct svg_poly {
	const char *code;		/* data-code; NULL: "" */
	const struct svg_ring *rings;
	size_t nrings;
};

/*
 * svg_map: polys[i] (i < n) shaded by values[i], with labels[i] (labels
 * may be NULL: the code) in its tooltip; see the top of this file.
 */
int svg_map(struct buf *out, const struct svg_opts *opts,
    const struct svg_poly *polys, size_t n, const double *values,
    const char *const *labels, struct err *e);

/* svg_text: append s escaped for XML text or attributes, as above. */
int svg_text(struct buf *out, const char *s);

#endif
