/* svg.c - charts as inline SVG text; see svg.h */
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "str.h"

#define FONTS "'Noto Sans CJK SC', 'Source Han Sans SC', " \
	"'Microsoft YaHei', 'PingFang SC', sans-serif"

static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
	"#b07aa1", "#ff9da7"
};
static const char *const blues[5] = {
	"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"
};
#define NA_FILL "#cccccc"

/* A writer: the first failure sticks, so drawing code checks once. */
struct w {
	struct buf *b;
	int fail;
};

static void
put(struct w *w, const char *s)
{
	if (!w->fail && buf_adds(w->b, s) < 0)
		w->fail = 1;
}

/* v with d decimals (trailing zeros trimmed); non-finite as "n/a". */
static void
putd(struct w *w, double v, int d)
{
	char num[STR_NUM_MAX];

	if (!isfinite(v)) {
		put(w, "n/a");
		return;
	}
	(void)str_fmt_fixed(num, v, d);
	put(w, num);
}

/* a coordinate */
static void
putc2(struct w *w, double v)
{
	putd(w, v, 2);
}

static void
puttext(struct w *w, const char *s)
{
	if (!w->fail && svg_text(w->b, s != NULL ? s : "") < 0)
		w->fail = 1;
}

int
svg_text(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0, p, j, run, start = out->len;
	const char *rep;
	unsigned char c;

	while (i < n) {
		p = str_utf8_prefix(s + i, n - i);
		run = i;
		for (j = i; j < i + p; j++) {
			c = (unsigned char)s[j];
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default:
				rep = c < 0x20 && c != '\t' && c != '\n' &&
				    c != '\r' ? "" : NULL;
			}
			if (rep == NULL)
				continue;
			if (buf_add(out, s + run, j - run) < 0 ||
			    buf_adds(out, rep) < 0)
				goto fail;
			run = j + 1;
		}
		if (buf_add(out, s + run, i + p - run) < 0)
			goto fail;
		i += p;
		if (i < n) {	/* a byte that is not UTF-8 */
			if (buf_adds(out, "\xef\xbf\xbd") < 0)
				goto fail;
			i++;
		}
	}
	return 0;
fail:
	out->len = start;
	if (out->p != NULL)
		out->p[start] = '\0';
	return -1;
}

void
svg_nice_scale(double min, double max, int maxticks, struct svg_scale *s)
{
	double span, raw, mag, step;
	long k0, k1;
	int d;

	if (maxticks < 2)
		maxticks = 2;
	if (maxticks > 20)
		maxticks = 20;
	if (!isfinite(min) || min > 0)
		min = 0;
	if (!isfinite(max) || max < 0)
		max = 0;
	if (min == max)
		max = 1;
	span = max - min;
	raw = span / maxticks;
	mag = 1;
	d = 0;
	while (mag * 10 <= raw) {
		mag *= 10;
		d--;
	}
	while (mag > raw) {
		mag /= 10;
		d++;
	}
	if (raw <= mag)
		step = mag;
	else if (raw <= 2 * mag)
		step = 2 * mag;
	else if (raw <= 5 * mag)
		step = 5 * mag;
	else {
		step = 10 * mag;
		d--;
	}
	k0 = (long)floor(min / step + 1e-9);
	k1 = (long)ceil(max / step - 1e-9);
	s->lo = (double)k0 * step;
	s->hi = (double)k1 * step;
	s->step = step;
	s->n = (int)(k1 - k0) + 1;
	s->decimals = d > 0 ? d : 0;
}

struct frame {
	double w, h;		/* whole picture */
	double left, right, top, bottom;	/* plot area */
	int dec;
};

static int
frame_init(struct frame *f, const struct svg_opts *o, struct err *e)
{
	f->w = o->width != 0 ? o->width : 640;
	f->h = o->height != 0 ? o->height : 360;
	if (!(f->w >= 50 && f->w <= 10000 && f->h >= 50 && f->h <= 10000))
		return err_set(e, ERR_USAGE, "chart size out of range");
	if (o->decimals < 0 || o->decimals > 6)
		return err_set(e, ERR_USAGE, "decimals out of range");
	f->dec = o->decimals;
	f->top = o->title != NULL ? 34 : 12;
	f->bottom = f->h - 40;
	f->left = 52;
	f->right = f->w - 12;
	return 0;
}

static void
head(struct w *w, const struct frame *f, const struct svg_opts *o,
    const char *kind)
{
	put(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ");
	put(w, kind);
	put(w, "\" width=\"");
	putc2(w, f->w);
	put(w, "\" height=\"");
	putc2(w, f->h);
	put(w, "\" viewBox=\"0 0 ");
	putc2(w, f->w);
	put(w, " ");
	putc2(w, f->h);
	put(w, "\" font-family=\"" FONTS "\" font-size=\"12\" role=\"img\">\n");
	if (o->title != NULL) {
		put(w, "<title>");
		puttext(w, o->title);
		put(w, "</title>\n<text class=\"title\" x=\"");
		putc2(w, f->w / 2);
		put(w, "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" "
		    "font-weight=\"bold\">");
		puttext(w, o->title);
		put(w, "</text>\n");
	}
}

static void
nodata(struct w *w, const struct frame *f)
{
	put(w, "<text class=\"nodata\" x=\"");
	putc2(w, f->w / 2);
	put(w, "\" y=\"");
	putc2(w, f->h / 2);
	put(w, "\" text-anchor=\"middle\" fill=\"#666\">no data</text>\n");
}

static int
finish(struct w *w, size_t start, struct err *e)
{
	put(w, "</svg>\n");
	if (!w->fail)
		return 0;
	w->b->len = start;
	if (w->b->p != NULL)
		w->b->p[start] = '\0';
	return err_nomem(e);
}

static void
text_at(struct w *w, double x, double y, const char *anchor,
    const char *cls)
{
	put(w, "<text");
	if (cls != NULL) {
		put(w, " class=\"");
		put(w, cls);
		put(w, "\"");
	}
	put(w, " x=\"");
	putc2(w, x);
	put(w, "\" y=\"");
	putc2(w, y);
	put(w, "\" text-anchor=\"");
	put(w, anchor);
	put(w, "\">");
}

static void
line(struct w *w, double x1, double y1, double x2, double y2,
    const char *stroke)
{
	put(w, "<line x1=\"");
	putc2(w, x1);
	put(w, "\" y1=\"");
	putc2(w, y1);
	put(w, "\" x2=\"");
	putc2(w, x2);
	put(w, "\" y2=\"");
	putc2(w, y2);
	put(w, "\" stroke=\"");
	put(w, stroke);
	put(w, "\"/>\n");
}

static void
rect(struct w *w, const char *cls, double x, double y, double rw, double rh,
    const char *fill)
{
	put(w, "<rect class=\"");
	put(w, cls);
	put(w, "\" x=\"");
	putc2(w, x);
	put(w, "\" y=\"");
	putc2(w, y);
	put(w, "\" width=\"");
	putc2(w, rw);
	put(w, "\" height=\"");
	putc2(w, rh);
	put(w, "\" fill=\"");
	put(w, fill);
	put(w, "\"");
}

/* y of value v on scale s in frame f */
static double
ymap(const struct frame *f, const struct svg_scale *s, double v)
{
	return f->bottom - (v - s->lo) / (s->hi - s->lo) *
	    (f->bottom - f->top);
}

/* Horizontal grid lines and tick labels of a vertical value axis. */
static void
yaxis(struct w *w, const struct frame *f, const struct svg_scale *s)
{
	double v, y;
	int i;

	for (i = 0; i < s->n; i++) {
		v = s->lo + i * s->step;
		y = ymap(f, s, v);
		line(w, f->left, y, f->right, y, fabs(v) < s->step / 2 ?
		    "#888" : "#e0e0e0");
		text_at(w, f->left - 4, y + 4, "end", "tick");
		putd(w, fabs(v) < s->step / 2 ? 0 : v, s->decimals);
		put(w, "</text>\n");
	}
}

/* Category labels under slots of width slot. */
static void
xlabels(struct w *w, const struct frame *f, const char *const *labels,
    size_t n, double slot)
{
	double x, y = f->bottom + 16;
	size_t i;

	for (i = 0; i < n; i++) {
		x = f->left + (i + 0.5) * slot;
		if (n > 8) {
			put(w, "<text class=\"label\" x=\"");
			putc2(w, x);
			put(w, "\" y=\"");
			putc2(w, y);
			put(w, "\" text-anchor=\"end\" transform=\"rotate(-40 ");
			putc2(w, x);
			put(w, " ");
			putc2(w, y);
			put(w, ")\">");
		} else
			text_at(w, x, y, "middle", "label");
		puttext(w, labels[i]);
		put(w, "</text>\n");
	}
}

static void
legend(struct w *w, const struct frame *f, const char *const *names,
    size_t k)
{
	double x = f->left;
	size_t i;

	for (i = 0; i < k; i++) {
		rect(w, "key", x, f->top - 30, 10, 10,
		    palette[i % (sizeof(palette) / sizeof(palette[0]))]);
		put(w, "/>\n");
		text_at(w, x + 14, f->top - 21, "start", "key");
		puttext(w, names[i]);
		put(w, "</text>\n");
		x += 24 + 7 * (double)strlen(names[i] != NULL ? names[i] : "");
	}
}

int
svg_bar(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *const *values, size_t nseries,
    size_t n, struct err *e)
{
	static const struct svg_opts none;
	int rc;
	struct w w = { out, 0 };
	struct frame f;
	struct svg_scale s;
	double min = 0, max = 0, pos, neg, v, slot, bw, x, y0, y1, top;
	size_t start = out->len, i, k;
	int any;
	char cls[32];

	if (opts == NULL)
		opts = &none;
	if ((rc = frame_init(&f, opts, e)) != 0)
		return rc;
	if (n > 0 && (labels == NULL || values == NULL || nseries == 0))
		return err_set(e, ERR_USAGE, "bar chart without data arrays");
	for (k = 0; k < nseries && n > 0; k++)
		if (values[k] == NULL)
			return err_set(e, ERR_USAGE,
			    "bar chart without data arrays");
	if (opts->series != NULL && nseries > 1)
		f.top += 18;
	f.top += 12;		/* room for the labels over the bars */
	head(&w, &f, opts, "bar");
	if (n == 0) {
		nodata(&w, &f);
		return finish(&w, start, e);
	}
	for (i = 0; i < n; i++) {
		pos = neg = 0;
		for (k = 0; k < nseries; k++) {
			v = values[k][i];
			if (!isfinite(v))
				continue;
			if (opts->stacked) {
				if (v > 0)
					pos += v;
				else
					neg += v;
			} else {
				pos = v > pos ? v : pos;
				neg = v < neg ? v : neg;
			}
		}
		max = pos > max ? pos : max;
		min = neg < min ? neg : min;
	}
	svg_nice_scale(min, max, 5, &s);
	yaxis(&w, &f, &s);
	slot = (f.right - f.left) / (double)n;
	bw = slot * 0.8 / (opts->stacked ? 1 : (double)nseries);
	for (i = 0; i < n; i++) {
		pos = neg = 0;
		any = 0;
		top = ymap(&f, &s, 0);
		for (k = 0; k < nseries; k++) {
			v = values[k][i];
			x = f.left + i * slot + slot * 0.1 +
			    (opts->stacked ? 0 : (double)k * bw);
			if (!isfinite(v)) {
				if (!opts->stacked) {
					text_at(&w, x + bw / 2,
					    ymap(&f, &s, 0) - 3, "middle",
					    "value");
					put(&w, "n/a</text>\n");
				}
				continue;
			}
			any = 1;
			if (opts->stacked && v >= 0) {
				y0 = ymap(&f, &s, pos);
				y1 = ymap(&f, &s, pos + v);
				pos += v;
			} else if (opts->stacked) {
				y0 = ymap(&f, &s, neg);
				y1 = ymap(&f, &s, neg + v);
				neg += v;
			} else {
				y0 = ymap(&f, &s, 0);
				y1 = ymap(&f, &s, v);
			}
			top = y1 < top ? y1 : top;
			memcpy(cls, "bar s", 5);
			(void)str_fmt_int(cls + 5, (long long)k);
			rect(&w, cls, x, y0 < y1 ? y0 : y1, bw, fabs(y1 - y0),
			    palette[k % (sizeof(palette) /
			    sizeof(palette[0]))]);
			put(&w, "><title>");
			puttext(&w, labels[i]);
			if (opts->series != NULL && nseries > 1) {
				put(&w, " ");
				puttext(&w, opts->series[k]);
			}
			put(&w, ": ");
			putd(&w, v, f.dec);
			put(&w, "</title></rect>\n");
			if (!opts->stacked) {
				text_at(&w, x + bw / 2, v < 0 ? y1 + 12 :
				    y1 - 3, "middle", "value");
				putd(&w, v, f.dec);
				put(&w, "</text>\n");
			}
		}
		if (opts->stacked) {
			text_at(&w, f.left + (i + 0.5) * slot, top - 3,
			    "middle", "value");
			if (any)
				putd(&w, pos + neg, f.dec);
			else
				put(&w, "n/a");
			put(&w, "</text>\n");
		}
	}
	xlabels(&w, &f, labels, n, slot);
	if (opts->series != NULL && nseries > 1)
		legend(&w, &f, opts->series, nseries);
	return finish(&w, start, e);
}

int
svg_line(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *values, size_t n,
    struct err *e)
{
	static const struct svg_opts none;
	int rc;
	struct w w = { out, 0 };
	struct frame f;
	struct svg_scale s;
	double min = 0, max = 0, slot, x, y;
	size_t start = out->len, i;
	int pen = 0, drawn = 0;

	if (opts == NULL)
		opts = &none;
	if ((rc = frame_init(&f, opts, e)) != 0)
		return rc;
	if (n > 0 && (labels == NULL || values == NULL))
		return err_set(e, ERR_USAGE, "line chart without data arrays");
	f.top += 12;		/* room for the labels over the points */
	head(&w, &f, opts, "line");
	if (n == 0) {
		nodata(&w, &f);
		return finish(&w, start, e);
	}
	for (i = 0; i < n; i++)
		if (isfinite(values[i])) {
			min = values[i] < min ? values[i] : min;
			max = values[i] > max ? values[i] : max;
		}
	svg_nice_scale(min, max, 5, &s);
	yaxis(&w, &f, &s);
	slot = (f.right - f.left) / (double)n;
	put(&w, "<path class=\"line\" fill=\"none\" stroke=\"");
	put(&w, palette[0]);
	put(&w, "\" stroke-width=\"2\" d=\"");
	for (i = 0; i < n; i++) {
		if (!isfinite(values[i])) {
			pen = 0;
			continue;
		}
		put(&w, pen ? " L" : drawn ? " M" : "M");
		putc2(&w, f.left + (i + 0.5) * slot);
		put(&w, " ");
		putc2(&w, ymap(&f, &s, values[i]));
		pen = drawn = 1;
	}
	put(&w, "\"/>\n");
	for (i = 0; i < n; i++) {
		x = f.left + (i + 0.5) * slot;
		if (!isfinite(values[i])) {
			text_at(&w, x, ymap(&f, &s, 0) - 3, "middle", "value");
			put(&w, "n/a</text>\n");
			continue;
		}
		y = ymap(&f, &s, values[i]);
		put(&w, "<circle class=\"point\" cx=\"");
		putc2(&w, x);
		put(&w, "\" cy=\"");
		putc2(&w, y);
		put(&w, "\" r=\"3\" fill=\"");
		put(&w, palette[0]);
		put(&w, "\"><title>");
		puttext(&w, labels[i]);
		put(&w, ": ");
		putd(&w, values[i], f.dec);
		put(&w, "</title></circle>\n");
		text_at(&w, x, y - 7, "middle", "value");
		putd(&w, values[i], f.dec);
		put(&w, "</text>\n");
	}
	xlabels(&w, &f, labels, n, slot);
	return finish(&w, start, e);
}

/* Estimated width in pixels of s at 12px: CJK 12, other characters 7. */
static double
text_width(const char *s)
{
	double wd = 0;
	unsigned char c;

	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c >= 0xe0)
			wd += 12;
		else if (c < 0x80 || c >= 0xc0)
			wd += c >= 0xc0 ? 8 : 7;
	}
	return wd;
}

int
svg_hbar(struct buf *out, const struct svg_opts *opts,
    const char *const *labels, const double *scores, const double *weights,
    size_t n, struct err *e)
{
	static const struct svg_opts none;
	int rc;
	struct w w = { out, 0 };
	struct frame f;
	struct svg_scale s;
	double min = 0, max = 0, lw = 0, rowh, y, x0, v, wv, xe;
	size_t start = out->len, i;
	int t;

	if (opts == NULL)
		opts = &none;
	if ((rc = frame_init(&f, opts, e)) != 0)
		return rc;
	if (n > 0 && (labels == NULL || scores == NULL))
		return err_set(e, ERR_USAGE, "bar chart without data arrays");
	head(&w, &f, opts, "hbar");
	if (n == 0) {
		nodata(&w, &f);
		return finish(&w, start, e);
	}
	for (i = 0; i < n; i++) {
		v = scores[i];
		wv = weights != NULL ? weights[i] : NAN;
		if (isfinite(v)) {
			min = v < min ? v : min;
			max = v > max ? v : max;
		}
		if (isfinite(wv)) {
			min = wv < min ? wv : min;
			max = wv > max ? wv : max;
		}
		v = text_width(labels[i]);
		lw = v > lw ? v : lw;
	}
	if (lw > f.w * 0.4)
		lw = f.w * 0.4;
	f.left = 12 + lw;
	f.right = f.w - 90;
	f.bottom = f.h - 24;
	svg_nice_scale(min, max, 5, &s);
	/* vertical grid lines and the value axis at the bottom */
	for (t = 0; t < s.n; t++) {
		v = s.lo + t * s.step;
		x0 = f.left + (v - s.lo) / (s.hi - s.lo) * (f.right - f.left);
		line(&w, x0, f.top, x0, f.bottom, fabs(v) < s.step / 2 ?
		    "#888" : "#e0e0e0");
		text_at(&w, x0, f.bottom + 14, "middle", "tick");
		putd(&w, fabs(v) < s.step / 2 ? 0 : v, s.decimals);
		put(&w, "</text>\n");
	}
	rowh = (f.bottom - f.top) / (double)n;
	x0 = f.left + (0 - s.lo) / (s.hi - s.lo) * (f.right - f.left);
	for (i = 0; i < n; i++) {
		y = f.top + i * rowh;
		v = scores[i];
		wv = weights != NULL ? weights[i] : NAN;
		xe = x0;
		text_at(&w, f.left - 6, y + rowh / 2 + 4, "end", "label");
		puttext(&w, labels[i]);
		put(&w, "</text>\n");
		if (isfinite(wv)) {
			double xw = f.left + (wv - s.lo) / (s.hi - s.lo) *
			    (f.right - f.left);

			rect(&w, "weight", xw < x0 ? xw : x0, y + rowh * 0.15,
			    fabs(xw - x0), rowh * 0.7, "#c6dbef");
			put(&w, "/>\n");
			xe = xw > xe ? xw : xe;
		}
		if (isfinite(v)) {
			double xs = f.left + (v - s.lo) / (s.hi - s.lo) *
			    (f.right - f.left);

			rect(&w, "score", xs < x0 ? xs : x0, y + rowh * 0.3,
			    fabs(xs - x0), rowh * 0.4, "#08519c");
			put(&w, "><title>");
			puttext(&w, labels[i]);
			put(&w, ": ");
			putd(&w, v, f.dec);
			put(&w, "</title></rect>\n");
			xe = xs > xe ? xs : xe;
		}
		text_at(&w, xe + 4, y + rowh / 2 + 4, "start", "value");
		putd(&w, v, f.dec);
		if (isfinite(wv)) {
			put(&w, " / ");
			putd(&w, wv, f.dec);
		}
		put(&w, "</text>\n");
	}
	return finish(&w, start, e);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Index of the first element of sorted a[0..m) not below v. */
static size_t
lower_bound(const double *a, size_t m, double v)
{
	size_t lo = 0, hi = m, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct classes {
	double *sorted;		/* finite values, ascending */
	size_t m;
	enum svg_classify how;
	double lo[5], hi[5];	/* legend bounds */
	int used[5];
};

static int
classify(const struct classes *c, double v)
{
	double step;
	int k;

	if (c->sorted[0] == c->sorted[c->m - 1])
		return 2;
	if (c->how == SVG_QUANTILE)
		return (int)(lower_bound(c->sorted, c->m, v) * 5 / c->m);
	step = (c->sorted[c->m - 1] - c->sorted[0]) / 5;
	k = (int)floor((v - c->sorted[0]) / step);
	return k < 0 ? 0 : k > 4 ? 4 : k;
}

int
svg_map(struct buf *out, const struct svg_opts *opts,
    const struct svg_poly *polys, size_t n, const double *values,
    const char *const *labels, struct err *e)
{
	static const struct svg_opts none;
	int rc;
	struct w w = { out, 0 };
	struct frame f;
	struct classes c;
	double minx = INFINITY, maxx = -INFINITY, miny = INFINITY;
	double maxy = -INFINITY, k, sc, ox, oy, aw, ah, lon, lat, y, step;
	size_t start = out->len, i, r, p, points = 0;
	const struct svg_ring *ring;
	int cl, na = 0, ci;

	if (opts == NULL)
		opts = &none;
	if ((rc = frame_init(&f, opts, e)) != 0)
		return rc;
	if (n > 0 && (polys == NULL || values == NULL))
		return err_set(e, ERR_USAGE, "map without data arrays");
	for (i = 0; i < n; i++) {
		if (polys[i].nrings > 0 && polys[i].rings == NULL)
			return err_set(e, ERR_USAGE, "map without data arrays");
		for (r = 0; r < polys[i].nrings; r++) {
			ring = &polys[i].rings[r];
			if (ring->n > 0 && ring->xy == NULL)
				return err_set(e, ERR_USAGE,
				    "map without data arrays");
			for (p = 0; p < ring->n; p++) {
				lon = ring->xy[2 * p];
				lat = ring->xy[2 * p + 1];
				if (!isfinite(lon) || !isfinite(lat) ||
				    fabs(lat) > 90)
					return err_set(e, ERR_DATA,
					    "polygon %zu: coordinate out of "
					    "range", i + 1);
				minx = lon < minx ? lon : minx;
				maxx = lon > maxx ? lon : maxx;
				miny = lat < miny ? lat : miny;
				maxy = lat > maxy ? lat : maxy;
				points++;
			}
		}
	}
	memset(&c, 0, sizeof(c));
	c.how = opts->classify;
	if (points > 0) {
		if ((c.sorted = mem_reallocarray(NULL, n + 1,
		    sizeof(double))) == NULL)
			return err_nomem(e);
		for (i = 0; i < n; i++)
			if (isfinite(values[i]))
				c.sorted[c.m++] = values[i];
			else
				na = 1;
		qsort(c.sorted, c.m, sizeof(double), cmp_double);
	}
	head(&w, &f, opts, "map");
	if (points == 0) {
		nodata(&w, &f);
		return finish(&w, start, e);
	}

	/* projection and fit: map area left, legend right */
	k = cos((miny + maxy) / 2 * 3.14159265358979323846 / 180);
	aw = f.w - 8 - 160;
	ah = f.h - f.top - 8;
	if (maxx > minx && maxy > miny) {
		sc = aw / ((maxx - minx) * k);
		if (ah / (maxy - miny) < sc)
			sc = ah / (maxy - miny);
	} else if (maxx > minx)
		sc = aw / ((maxx - minx) * k);
	else if (maxy > miny)
		sc = ah / (maxy - miny);
	else
		sc = 1;
	ox = 8 + (aw - (maxx - minx) * k * sc) / 2;
	oy = f.top + (ah - (maxy - miny) * sc) / 2;

	if (c.m > 0) {
		for (ci = 0; ci < 5; ci++) {
			c.lo[ci] = INFINITY;
			c.hi[ci] = -INFINITY;
		}
		for (i = 0; i < c.m; i++) {
			cl = classify(&c, c.sorted[i]);
			c.used[cl] = 1;
			c.lo[cl] = c.sorted[i] < c.lo[cl] ? c.sorted[i] :
			    c.lo[cl];
			c.hi[cl] = c.sorted[i] > c.hi[cl] ? c.sorted[i] :
			    c.hi[cl];
		}
		if (c.how == SVG_EQUAL && c.sorted[0] != c.sorted[c.m - 1]) {
			step = (c.sorted[c.m - 1] - c.sorted[0]) / 5;
			for (ci = 0; ci < 5; ci++) {
				c.lo[ci] = c.sorted[0] + ci * step;
				c.hi[ci] = ci == 4 ? c.sorted[c.m - 1] :
				    c.sorted[0] + (ci + 1) * step;
			}
		}
	}

	put(&w, "<g class=\"grids\" stroke=\"#ffffff\" stroke-width=\"0.5\" "
	    "fill-rule=\"evenodd\">\n");
	for (i = 0; i < n; i++) {
		put(&w, "<path class=\"grid\" data-code=\"");
		puttext(&w, polys[i].code);
		put(&w, "\" fill=\"");
		put(&w, isfinite(values[i]) ? blues[classify(&c, values[i])] :
		    NA_FILL);
		put(&w, "\" d=\"");
		for (r = 0; r < polys[i].nrings; r++) {
			ring = &polys[i].rings[r];
			for (p = 0; p < ring->n; p++) {
				put(&w, p == 0 ? (r == 0 ? "M" : " M") : " L");
				putc2(&w, ox + (ring->xy[2 * p] - minx) * k *
				    sc);
				put(&w, " ");
				putc2(&w, oy + (maxy - ring->xy[2 * p + 1]) *
				    sc);
			}
			if (ring->n > 0)
				put(&w, " Z");
		}
		put(&w, "\"><title>");
		puttext(&w, labels != NULL && labels[i] != NULL ? labels[i] :
		    polys[i].code);
		put(&w, ": ");
		putd(&w, values[i], f.dec);
		put(&w, "</title></path>\n");
	}
	put(&w, "</g>\n<g class=\"legend\">\n");
	y = f.top + 4;
	for (ci = 4; ci >= 0; ci--) {
		if (!c.used[ci])
			continue;
		rect(&w, "key", f.w - 150, y, 14, 14, blues[ci]);
		put(&w, " stroke=\"#999\"/>\n");
		text_at(&w, f.w - 130, y + 11, "start", "key");
		putd(&w, c.lo[ci], f.dec);
		if (c.lo[ci] != c.hi[ci]) {
			put(&w, " \xe2\x80\x93 ");
			putd(&w, c.hi[ci], f.dec);
		}
		put(&w, "</text>\n");
		y += 20;
	}
	if (na) {
		rect(&w, "key", f.w - 150, y, 14, 14, NA_FILL);
		put(&w, " stroke=\"#999\"/>\n");
		text_at(&w, f.w - 130, y + 11, "start", "key");
		put(&w, "n/a</text>\n");
	}
	put(&w, "</g>\n");
	mem_free(c.sorted);
	return finish(&w, start, e);
}
