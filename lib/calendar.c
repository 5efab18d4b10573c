/* calendar.c - working calendar; see calendar.h and grid-routing(5) */
#include "calendar.h"

#include <string.h>

#include "mem.h"
#include "time.h"
#include "yamlcfg.h"

#define DAY 86400

struct calendar {
	char *name;
	int offset;		/* minutes east of UTC */
	int64_t start;		/* instant the first day begins */
	int64_t end;		/* instant the day after the last begins */
	long ndays;
	int nwin;
	int32_t ws[CALENDAR_MAX_WINDOWS];	/* window start, s of the day */
	int32_t we[CALENDAR_MAX_WINDOWS];	/* window end, s of the day */
	int64_t daywork;	/* working seconds of one workday */
	double inv_daywork;	/* 1.0 / daywork */
	/*
	 * Windows start and end on whole minutes, so a minute of a workday
	 * is worked whole or not at all: mb[m] is the working seconds
	 * before minute m (m = 0..1440), wmin[k] the minute of the day of
	 * the k-th worked minute.  worked_to and inverse look them up
	 * instead of walking the windows.
	 */
	int32_t mb[1441];
	int16_t wmin[1440];
	unsigned char *work;	/* ndays flags: 1 for a workday */
	int64_t *pre;		/* ndays + 1: working s before day i */
	int32_t *wday;		/* day index of the k-th workday (from 0) */
};

/* Day marks while loading. */
enum { MARK_NONE, MARK_HOLIDAY, MARK_WORKDAY };

static const char *const top_keys[] = {
	"name", "offset", "from", "to", "weekend", "windows", "holidays",
	"workdays", NULL
};
static const char *const range_keys[] = { "from", "to", "name", NULL };
static const char *const dow_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

/* What a load needs besides the calendar being built. */
struct loader {
	const char *file;
	int64_t first;		/* days since 1970-01-01 of from */
	unsigned char *mark;	/* ndays marks */
};

/* A date scalar into days since 1970-01-01. */
static int
get_date(const struct yamlcfg_node *n, const char *file, const char *key,
    int64_t *days, struct err *e)
{
	char out[TIME_DATE_LEN + 1];
	const char *s;
	int rc, y, m, d;

	if ((rc = yamlcfg_str(n, file, key, &s, e)) != 0)
		return rc;
	if ((rc = time_parse_date(s, n->len, out, e)) != 0) {
		err_at(e, file, n->line, key);	/* keep time.h's message */
		return rc;
	}
	y = (out[0] - '0') * 1000 + (out[1] - '0') * 100 +
	    (out[2] - '0') * 10 + (out[3] - '0');
	m = (out[5] - '0') * 10 + (out[6] - '0');
	d = (out[8] - '0') * 10 + (out[9] - '0');
	*days = time_days_from_civil(y, m, d);
	return 0;
}

/* Two decimal digits at s, or -1. */
static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "HH:MM" at s into seconds of the day (24:00 allowed), or -1. */
static int32_t
hhmm(const char *s)
{
	int h = two(s), m = two(s + 3);

	if (h < 0 || s[2] != ':' || m < 0 || m > 59 || h > 24 ||
	    (h == 24 && m != 0))
		return -1;
	return (int32_t)(h * 3600 + m * 60);
}

static int
load_windows(struct calendar *c, const struct yamlcfg_node *seq,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *n;
	const char *s;
	int32_t a, b;
	size_t i;
	int rc;

	if (seq->type != YAMLCFG_SEQ)
		return yamlcfg_error(e, file, seq, "windows",
		    "expected a list");
	if (seq->n == 0)
		return yamlcfg_error(e, file, seq, "windows", "no window");
	if (seq->n > CALENDAR_MAX_WINDOWS)
		return yamlcfg_error(e, file, seq, "windows",
		    "too many windows");
	for (i = 0; i < seq->n; i++) {
		n = seq->items[i];
		if ((rc = yamlcfg_str(n, file, "windows", &s, e)) != 0)
			return rc;
		if (n->len != 11 || s[5] != '-' || (a = hhmm(s)) < 0 ||
		    (b = hhmm(s + 6)) < 0)
			return yamlcfg_error(e, file, n, "windows",
			    "window must be HH:MM-HH:MM within 00:00-24:00");
		if (a == 24 * 3600)
			return yamlcfg_error(e, file, n, "windows",
			    "window must be HH:MM-HH:MM within 00:00-24:00");
		if (b <= a)
			return yamlcfg_error(e, file, n, "windows",
			    "window is empty or ends before it starts");
		if (c->nwin > 0 && a < c->ws[c->nwin - 1])
			return yamlcfg_error(e, file, n, "windows",
			    "windows out of order");
		if (c->nwin > 0 && a < c->we[c->nwin - 1])
			return yamlcfg_error(e, file, n, "windows",
			    "windows overlap");
		c->ws[c->nwin] = a;
		c->we[c->nwin] = b;
		c->nwin++;
		c->daywork += b - a;
	}
	return 0;
}

static int
load_weekend(bool weekend[7], const struct yamlcfg_node *seq,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *n;
	const char *s;
	size_t i, k;
	int rc;

	if (seq->type != YAMLCFG_SEQ)
		return yamlcfg_error(e, file, seq, "weekend",
		    "expected a list");
	for (k = 0; k < 7; k++)
		weekend[k] = false;
	for (i = 0; i < seq->n; i++) {
		n = seq->items[i];
		if ((rc = yamlcfg_str(n, file, "weekend", &s, e)) != 0)
			return rc;
		for (k = 0; k < 7; k++)
			if (strcmp(s, dow_names[k]) == 0)
				break;
		if (k == 7)
			return yamlcfg_error(e, file, n, "weekend",
			    "not a day of the week (mon, tue, ... sun)");
		if (weekend[k])
			return yamlcfg_error(e, file, n, "weekend",
			    "day repeated");
		weekend[k] = true;
	}
	return 0;
}

/* A date of a holidays or workdays entry, checked against from..to. */
static int
entry_date(const struct loader *l, const struct calendar *c,
    const struct yamlcfg_node *n, const char *key, long *idx, struct err *e)
{
	int64_t d;
	int rc;

	if ((rc = get_date(n, l->file, key, &d, e)) != 0)
		return rc;
	if (d < l->first || d - l->first >= c->ndays)
		return yamlcfg_error(e, l->file, n, key,
		    "date outside from..to");
	*idx = (long)(d - l->first);
	return 0;
}

/* Mark the dates of a holidays (mark MARK_HOLIDAY) or workdays list. */
static int
load_dates(struct loader *l, const struct calendar *c,
    const struct yamlcfg_node *seq, const char *key, unsigned char mark,
    struct err *e)
{
	const struct yamlcfg_node *n, *v;
	const char *s;
	long a, b, k;
	size_t i;
	int rc;

	if (seq->type != YAMLCFG_SEQ)
		return yamlcfg_error(e, l->file, seq, key, "expected a list");
	for (i = 0; i < seq->n; i++) {
		n = seq->items[i];
		if (n->type == YAMLCFG_MAP) {
			if ((rc = yamlcfg_check_keys(n, l->file, range_keys,
			    e)) != 0)
				return rc;
			if ((rc = yamlcfg_need(n, l->file, "from", &v,
			    e)) != 0 ||
			    (rc = entry_date(l, c, v, key, &a, e)) != 0)
				return rc;
			if ((rc = yamlcfg_need(n, l->file, "to", &v, e)) != 0 ||
			    (rc = entry_date(l, c, v, key, &b, e)) != 0)
				return rc;
			if (b < a)
				return yamlcfg_error(e, l->file, v, key,
				    "range ends before it starts");
			if ((v = yamlcfg_get(n, "name")) != NULL &&
			    (rc = yamlcfg_str(v, l->file, "name", &s, e)) != 0)
				return rc;
		} else {
			if ((rc = entry_date(l, c, n, key, &a, e)) != 0)
				return rc;
			b = a;
		}
		for (k = a; k <= b; k++) {
			if (l->mark[k] != MARK_NONE && l->mark[k] != mark)
				return yamlcfg_error(e, l->file, n, key,
				    "date is both a holiday and a workday");
			l->mark[k] = mark;
		}
	}
	return 0;
}

/* The minute tables of struct calendar, from the windows. */
static void
index_minutes(struct calendar *c)
{
	int32_t w = 0;
	int m, i, k = 0;

	for (m = 0; m < 1440; m++) {
		c->mb[m] = w;
		for (i = 0; i < c->nwin; i++)
			if (m * 60 >= c->ws[i] && m * 60 < c->we[i])
				break;
		if (i < c->nwin) {
			c->wmin[k++] = (int16_t)m;
			w += 60;
		}
	}
	c->mb[1440] = w;
	c->inv_daywork = 1.0 / (double)c->daywork;
}

static int
load_tree(struct calendar *c, const struct yamlcfg_node *root,
    const char *file, struct err *e)
{
	const struct yamlcfg_node *n;
	struct loader l;
	bool weekend[7] = { true, false, false, false, false, false, true };
	const char *s;
	int64_t last;
	long i, nwork = 0;
	int rc;

	if (root == NULL) {
		err_at(e, file, 0, NULL);
		return err_set(e, ERR_DATA, "empty calendar");
	}
	if ((rc = yamlcfg_check_keys(root, file, top_keys, e)) != 0)
		return rc;
	l.file = file;
	l.mark = NULL;

	if ((rc = yamlcfg_need(root, file, "name", &n, e)) != 0 ||
	    (rc = yamlcfg_str(n, file, "name", &s, e)) != 0)
		return rc;
	if (s[0] == '\0')
		return yamlcfg_error(e, file, n, "name", "empty");
	if ((c->name = mem_strdup(s)) == NULL)
		return err_nomem(e);

	c->offset = 480;
	if ((n = yamlcfg_get(root, "offset")) != NULL) {
		if ((rc = yamlcfg_str(n, file, "offset", &s, e)) != 0)
			return rc;
		if (time_parse_offset(s, &c->offset, e) != 0)
			return yamlcfg_error(e, file, n, "offset",
			    "bad time zone offset");
	}

	if ((rc = yamlcfg_need(root, file, "from", &n, e)) != 0 ||
	    (rc = get_date(n, file, "from", &l.first, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(root, file, "to", &n, e)) != 0 ||
	    (rc = get_date(n, file, "to", &last, e)) != 0)
		return rc;
	if (last < l.first)
		return yamlcfg_error(e, file, n, "to",
		    "range ends before it starts");
	if (last - l.first >= CALENDAR_MAX_DAYS)
		return yamlcfg_error(e, file, n, "to", "more than 36600 days");
	c->ndays = (long)(last - l.first + 1);
	c->start = l.first * DAY - (int64_t)c->offset * 60;
	c->end = c->start + (int64_t)c->ndays * DAY;

	if ((n = yamlcfg_get(root, "weekend")) != NULL &&
	    (rc = load_weekend(weekend, n, file, e)) != 0)
		return rc;
	if ((rc = yamlcfg_need(root, file, "windows", &n, e)) != 0 ||
	    (rc = load_windows(c, n, file, e)) != 0)
		return rc;

	index_minutes(c);

	if ((l.mark = mem_calloc((size_t)c->ndays, 1)) == NULL)
		return err_nomem(e);
	if ((rc = yamlcfg_need(root, file, "holidays", &n, e)) != 0 ||
	    (rc = load_dates(&l, c, n, "holidays", MARK_HOLIDAY, e)) != 0 ||
	    (rc = yamlcfg_need(root, file, "workdays", &n, e)) != 0 ||
	    (rc = load_dates(&l, c, n, "workdays", MARK_WORKDAY, e)) != 0)
		goto out;

	c->work = mem_alloc((size_t)c->ndays);
	c->pre = mem_reallocarray(NULL, (size_t)c->ndays + 1,
	    sizeof c->pre[0]);
	c->wday = mem_reallocarray(NULL, (size_t)c->ndays, sizeof c->wday[0]);
	if (c->work == NULL || c->pre == NULL || c->wday == NULL) {
		rc = err_nomem(e);
		goto out;
	}
	c->pre[0] = 0;
	for (i = 0; i < c->ndays; i++) {
		int64_t d = l.first + i;
		int dow = (int)(((d + 4) % 7 + 7) % 7);	/* 1970-01-01: Thu */

		if (l.mark[i] == MARK_HOLIDAY)
			c->work[i] = 0;
		else if (l.mark[i] == MARK_WORKDAY)
			c->work[i] = 1;
		else
			c->work[i] = !weekend[dow];
		c->pre[i + 1] = c->pre[i] + (c->work[i] ? c->daywork : 0);
		if (c->work[i])
			c->wday[nwork++] = (int32_t)i;
	}
	rc = 0;
out:
	mem_free(l.mark);
	return rc;
}

void
calendar_free(struct calendar *c)
{
	if (c == NULL)
		return;
	mem_free(c->name);
	mem_free(c->work);
	mem_free(c->pre);
	mem_free(c->wday);
	mem_free(c);
}

/* Build a calendar from a loaded tree (freed here) or a load error. */
static int
finish(struct calendar **cp, struct yamlcfg_node *root, int rc,
    const char *file, struct err *e)
{
	struct calendar *c;

	*cp = NULL;
	if (rc != 0)
		return rc;
	if ((c = mem_calloc(1, sizeof *c)) == NULL) {
		yamlcfg_free(root);
		return err_nomem(e);
	}
	rc = load_tree(c, root, file, e);
	yamlcfg_free(root);
	if (rc != 0) {
		calendar_free(c);
		return rc;
	}
	*cp = c;
	return 0;
}

int
calendar_load_file(struct calendar **cp, const char *path, struct err *e)
{
	struct yamlcfg_node *root = NULL;
	int rc;

	rc = yamlcfg_load_file(&root, path, e);
	return finish(cp, root, rc, path, e);
}

int
calendar_load_string(struct calendar **cp, const char *buf, size_t n,
    const char *name, struct err *e)
{
	struct yamlcfg_node *root = NULL;
	int rc;

	rc = yamlcfg_load_string(&root, buf, n, name, e);
	return finish(cp, root, rc, name, e);
}

const char *
calendar_name(const struct calendar *c)
{
	return c->name;
}

int
calendar_offset(const struct calendar *c)
{
	return c->offset;
}

int64_t
calendar_day_seconds(const struct calendar *c)
{
	return c->daywork;
}

bool
calendar_covers(const struct calendar *c, int64_t t)
{
	return t >= c->start && t < c->end;
}

static int
outside(struct err *e)
{
	err_at(e, NULL, 0, NULL);
	return err_set(e, ERR_DATA, "outside the calendar");
}

/* W(t) for a covered t: the days before, then the minutes (see mb). */
static inline int64_t
worked_to(const struct calendar *c, int64_t t)
{
	int64_t rel = t - c->start;
	long day = (long)(rel / DAY);
	int32_t s = (int32_t)(rel - (int64_t)day * DAY), m = s / 60;
	int32_t whole = (c->mb[m + 1] - c->mb[m]) / 60;	/* 1: m is worked */

	return c->pre[day] + (int64_t)c->work[day] *
	    (c->mb[m] + whole * (s - 60 * m));
}

/*
 * The earliest instant t with W(t) = target, for 0 < target <= pre[ndays]:
 * on the first day i with pre[i + 1] >= target, inside (or at the end of)
 * a window of it.  The end of the calendar itself is outside.  Every
 * workday holds daywork seconds, so that day is the k-th workday with
 * k = (target - 1) / daywork, and pre[i] = k * daywork: no search.  Of
 * that day's rem = target - pre[i] working seconds, the last one is second
 * (rem - 1) % 60 of worked minute (rem - 1) / 60, and t is just after it.
 */
static int
inverse(const struct calendar *c, int64_t target, int64_t *t, struct err *e)
{
	int64_t k, rem, q, r;
	long day;

	if (target <= 0 || target > c->pre[c->ndays])
		return outside(e);
	/* k = (target - 1) / daywork, by the reciprocal, corrected */
	k = (int64_t)((double)(target - 1) * c->inv_daywork);
	while (k > 0 && k * c->daywork > target - 1)
		k--;
	while ((k + 1) * c->daywork <= target - 1)
		k++;
	day = c->wday[k];
	rem = target - k * c->daywork;
	q = (rem - 1) / 60;
	r = c->start + (int64_t)day * DAY + 60 * (int64_t)c->wmin[q] +
	    (rem - 1 - 60 * q) + 1;
	if (r >= c->end)
		return outside(e);
	*t = r;
	return 0;
}

int
calendar_is_workday(const struct calendar *c, int64_t t, bool *work,
    struct err *e)
{
	if (!calendar_covers(c, t))
		return outside(e);
	*work = c->work[(t - c->start) / DAY] != 0;
	return 0;
}

int
calendar_worked(const struct calendar *c, int64_t t0, int64_t t1,
    int64_t *secs, struct err *e)
{
	if (!calendar_covers(c, t0) || !calendar_covers(c, t1))
		return outside(e);
	if (t1 < t0) {
		err_at(e, NULL, 0, NULL);
		return err_set(e, ERR_DATA, "end before start");
	}
	*secs = worked_to(c, t1) - worked_to(c, t0);
	return 0;
}

int
calendar_add_worked(const struct calendar *c, int64_t t0, int64_t secs,
    int64_t *t, struct err *e)
{
	int64_t w;

	if (!calendar_covers(c, t0))
		return outside(e);
	if (secs < 0) {
		err_at(e, NULL, 0, NULL);
		return err_set(e, ERR_DATA, "negative working time");
	}
	if (secs == 0) {
		*t = t0;
		return 0;
	}
	w = worked_to(c, t0);
	if (secs > c->pre[c->ndays] - w)
		return outside(e);
	return inverse(c, w + secs, t, e);
}

/*
 * Every workday has the same windows, so the n-th workday dn after d0
 * starts n * daywork working seconds after d0 does, and W(t0) equals
 * W(start of d0) + m also when d0 is a day off (m = 0, and no working time
 * lies between d0 and the next workday): the target of calendar.h is
 * W(t0) + n * daywork.
 */
int
calendar_add_workdays(const struct calendar *c, int64_t t0, long n,
    int64_t *t, struct err *e)
{
	if (!calendar_covers(c, t0))
		return outside(e);
	if (n < 0) {
		err_at(e, NULL, 0, NULL);
		return err_set(e, ERR_DATA, "negative number of days");
	}
	if (n > CALENDAR_MAX_DAYS)
		return outside(e);
	return calendar_add_worked(c, t0, (int64_t)n * c->daywork, t, e);
}
