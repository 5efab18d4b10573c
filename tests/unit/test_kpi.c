/* test_kpi.c - unit tests of lib/kpi, the aggregation engine of kpi-score */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "indicators.h"
#include "kpi.h"
#include "mem.h"
#include "out.h"
#include "rec.h"

/*
 * The indicator file of most tests: every measure type under one group.
 * Scored: R 40 (rate, ratio to 0.9), M 20 (mean, lower, 60), H 20 (share
 * of worker-months with >= 2 events), P 10 (share of worker-days with >= 60
 * patrol minutes), J 10 (manual 8).  Reported only: N, S, D, W.
 */
static const char IND[] =
    "name: t\n"
    "total: 100\n"
    "scopes:\n"
    "  worker: {event: reporter_id}\n"
    "tree:\n"
    "  - group: 产出\n"
    "    id: G\n"
    "    weight: 100\n"
    "    items:\n"
    "      - {id: N, name: 事件数, count: {kind: event}}\n"
    "      - {id: S, name: 金额, sum: {kind: event, field: amount}}\n"
    "      - id: R\n"
    "        name: 自行处置率\n"
    "        weight: 40\n"
    "        rate:\n"
    "          numerator: {kind: event, count: true,"
    " where: \"self_handled == 1\"}\n"
    "          denominator: {kind: event, count: true}\n"
    "        target: 0.9\n"
    "      - {id: M, name: 平均时长, weight: 20, target: 60,"
    " direction: lower, mean: {kind: event, field: minutes}}\n"
    "      - {id: D, name: 中位时长, median: {kind: event, field: minutes}}\n"
    "      - id: H\n"
    "        name: 上报达标率\n"
    "        weight: 20\n"
    "        share: {kind: event, entity: [reporter_id, \"month:reported\"],"
    " count: true, at_least: 2}\n"
    "        target: 1\n"
    "      - {id: W, name: 网格员数, count: {kind: worker}}\n"
    "      - id: P\n"
    "        name: 巡查达标率\n"
    "        weight: 10\n"
    "        share: {kind: patrol, entity: [worker_id, \"day:start\"],"
    " sum: minutes, at_least: 60}\n"
    "        target: 1\n"
    "      - id: J\n"
    "        name: 立项\n"
    "        weight: 10\n"
    "        manual: {score: 8, value: 1, evidence: 有批复}\n";

#define EV_HDR "kind\treported\treporter_id\tstreet\tself_handled\tminutes" \
    "\tamount\n"
#define KPI_HDR "kind\tperiod\tscope\tscope_id\tindicator\tname\tpath" \
    "\ttype\tvalue\tnumerator\tdenominator\ttarget\tweight\tscore\tgrade" \
    "\tevidence\n"
#define WK_HDR "kind\tworker_id\tstreet\n"
#define PT_HDR "kind\tstart\tworker_id\tminutes\n"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_kpi.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof p, "%s/out", dir);
	(void)unlink(p);
	return rmdir(dir);
}

/* ---- helpers ---- */

static struct indicators *
load(const char *text)
{
	struct indicators *in = NULL;
	struct err e;

	err_clear(&e);
	if (ind_load_string(&in, text, strlen(text), "t.yaml", &e) != 0)
		fail_msg("indicators: %s (line %ld, %s)", e.msg, e.line,
		    e.field);
	return in;
}

static struct kpi *
make(struct indicators *in, enum kpi_period p, const char *scopes,
    const char *config)
{
	static char buf[128];
	static const char *v[KPI_MAX_SCOPES];
	struct kpi_opts o;
	struct kpi *k = NULL;
	struct err e;
	char *s, *save = NULL;

	memset(&o, 0, sizeof o);
	o.period = p;
	if (p == KPI_RANGE) {
		strcpy(o.from, "2017-02-01");
		strcpy(o.to, "2017-03-31");
	}
	snprintf(buf, sizeof buf, "%s", scopes);
	for (s = strtok_r(buf, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save))
		v[o.nscopes++] = s;
	o.scopes = v;
	o.config = config;
	assert_int_equal(kpi_new(&k, in, &o, &e), 0);
	return k;
}

/*
 * feed: the records of text (a header and rows) into k.  Returns the first
 * fatal code or 0; *rejected counts ERR_DATA records, *skipped those
 * outside the period.
 */
static int
feed(struct kpi *k, const char *text, bool partial, int *rejected,
    int *skipped, struct err *e)
{
	struct rec_reader *r = NULL;
	struct rec_row row;
	int rc, n = 0, first = 1;

	err_clear(e);
	if ((rc = rec_reader_mem(&r, text, strlen(text), "in", e)) != 0)
		return rc;
	for (;;) {
		if ((rc = rec_read(r, &row, e)) <= 0)
			break;
		if (first) {
			first = 0;
			rc = partial ? kpi_begin_partial(k,
			    rec_reader_header(r), e) :
			    kpi_begin(k, rec_reader_header(r), row.v[0], e);
			if (rc != 0)
				break;
		}
		rc = partial ? kpi_add_partial(k, &row, e) :
		    kpi_add(k, &row, e);
		if (rc == 1) {
			if (skipped != NULL)
				(*skipped)++;
		} else if (rc == ERR_DATA && rejected != NULL &&
		    e->field[0] != '\0' && e->line > 0 && !partial) {
			n++;
		} else if (rc != 0)
			break;
		rc = 0;
	}
	if (rejected != NULL)
		*rejected = n;
	rec_reader_close(r);
	return rc;
}

/* feed_ok: feed that must succeed. */
static void
feed_ok(struct kpi *k, const char *text)
{
	struct err e;
	int rej = 0;

	if (feed(k, text, false, &rej, NULL, &e) != 0)
		fail_msg("feed: %s (%s)", e.msg, e.field);
	assert_int_equal(rej, 0);
}

/* result: kpi_finish (or the partial) as a string (free it). */
static char *
result(struct kpi *k, bool partial, int *rcp)
{
	char path[128];
	struct out *o = NULL;
	struct err e;
	FILE *f;
	long n;
	char *s;
	int rc;

	snprintf(path, sizeof path, "%s/out", dir);
	assert_int_equal(out_open(&o, path, 0600, &e), 0);
	rc = partial ? kpi_write_partial(k, o, &e) : kpi_finish(k, o, &e);
	if (rcp != NULL)
		*rcp = rc;
	if (rc != 0) {
		out_abort(o);
		return NULL;
	}
	assert_int_equal(out_commit(o, &e), 0);
	assert_non_null(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	(void)unlink(path);
	return s;
}

static char *
finish(struct kpi *k)
{
	char *s = result(k, false, NULL);

	assert_non_null(s);
	return s;
}

/* row: the kpi line for (period, scope, scope id, indicator) with the
 * fields from `value` on (value ... evidence), or "" when absent. */
static const char *
row(const char *out, const char *period, const char *scope, const char *id,
    const char *ind)
{
	static char buf[1024];
	char key[256];
	const char *p, *q, *t;
	int tabs;

	snprintf(key, sizeof key, "kpi\t%s\t%s\t%s\t%s\t", period, scope, id,
	    ind);
	buf[0] = '\0';
	for (p = out; (p = strstr(p, key)) != NULL; p++) {
		if (p != out && p[-1] != '\n')
			continue;
		q = strchr(p, '\n');
		/* skip kind .. type: 8 fields */
		for (t = p, tabs = 0; tabs < 8; t++)
			if (*t == '\t')
				tabs++;
		snprintf(buf, sizeof buf, "%.*s", (int)(q - t), t);
		return buf;
	}
	return buf;
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* ---- the event fixture ---- */

static const char EVENTS[] =
    EV_HDR
    "event\t2017-01-05T09:00:00+08:00\tw1\t东街\t1\t30\t10.5\n"
    "event\t2017-01-06\tw1\t东街\t0\t90\t\n"
    "event\t2017-01-20T23:59:59+08:00\tw2\t西街\t1\t45\t2\n"
    "event\t2017-02-01T00:00:00+08:00\tw1\t\t1\t\t1.25\n"
    "event\t2017-02-11T08:00:00+08:00\t\t东街\t0\t61\t\n";

static const char WORKERS[] =
    WK_HDR
    "worker\tw1\t东街\n"
    "worker\tw2\t西街\n"
    "worker\tw3\t\n";

static const char PATROLS[] =
    PT_HDR
    "patrol\t2017-01-05T08:00:00+08:00\tw1\t40\n"
    "patrol\t2017-01-05T14:00:00+08:00\tw1\t30\n"
    "patrol\t2017-01-06T08:00:00+08:00\tw1\t50\n"
    "patrol\t2017-01-06T09:00:00+08:00\tw2\t\n"
    "patrol\t2017-02-01T09:00:00+08:00\tw2\t61\n";

/* ---- tests ---- */

/* Every measure, by month, scope all: values worked out by hand. */
static void
test_measures(void **state)
{
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_MONTH, "all", "cfg");
	char *out;

	(void)state;
	feed_ok(k, EVENTS);
	feed_ok(k, WORKERS);
	feed_ok(k, PATROLS);
	out = finish(k);
	/* header + 2 periods x (10 nodes + total) */
	assert_int_equal(lines(out), 1 + 2 * 11);
	assert_memory_equal(out, KPI_HDR, strlen(KPI_HDR));
	/* January: 3 events, amounts 10.5 + 2, 2 of 3 self-handled (0.666667
	 * of 0.9: 40 * 0.740741 = 29.63), minutes 30 90 45: mean 55 (<= 60:
	 * 20), median 45; worker-months w1 (2 events) and w2 (1): 1 of 2 meet
	 * 2: 0.5 -> 10; 3 workers (timeless); worker-days w1/01-05 70 min,
	 * w1/01-06 50, w2/01-06 none: 1 of 3 -> 10 * 0.333333 = 3.33 */
	assert_string_equal(row(out, "2017-01", "all", "", "N"),
	    "3\t3\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "S"),
	    "12.5\t12.5\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "R"),
	    "0.666667\t2\t3\t0.9\t40\t29.63\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "M"),
	    "55\t165\t3\t60\t20\t20\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "D"),
	    "45\t\t3\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "H"),
	    "0.5\t1\t2\t1\t20\t10\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "W"),
	    "3\t3\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "P"),
	    "0.333333\t1\t3\t1\t10\t3.33\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "J"),
	    "1\t\t\t\t10\t8\t\t有批复");
	assert_string_equal(row(out, "2017-01", "all", "", "G"),
	    "\t\t\t\t100\t70.96\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "total"),
	    "\t\t\t\t100\t70.96\t中\t");
	/* February: 2 events, one with no minutes: mean 61 over 1 (60/61 of
	 * 20 = 19.67), median 61; both self-handled? no: 1 of 2 = 0.5 ->
	 * 40 * 0.555556 = 22.22; amounts 1.25; worker-months w1/02 (1) and
	 * ""/02 (1): 0 of 2; workers 3; patrol w2/02-01 61: 1 of 1 */
	assert_string_equal(row(out, "2017-02", "all", "", "R"),
	    "0.5\t1\t2\t0.9\t40\t22.22\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "M"),
	    "61\t61\t1\t60\t20\t19.67\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "D"),
	    "61\t\t1\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "H"),
	    "0\t0\t2\t1\t20\t0\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "W"),
	    "3\t3\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "P"),
	    "1\t1\t1\t1\t10\t10\t\t");
	assert_string_equal(row(out, "2017-02", "all", "", "total"),
	    "\t\t\t\t100\t59.89\t差\t");
	free(out);
	kpi_free(k);
	ind_free(in);
}


/* Scopes street and worker: the unassigned "" groups stay visible, a kind
 * without the scope field (patrol has no street) does not count there, and
 * the timeless workers count in both months. */
static void
test_scopes(void **state)
{
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_MONTH, "street,worker", "cfg");
	char *out;

	(void)state;
	feed_ok(k, EVENTS);
	feed_ok(k, WORKERS);
	feed_ok(k, PATROLS);
	out = finish(k);
	/* cells: 01 street "" (w3) 东街 西街, worker w1 w2 w3; 02 street ""
	 * 东街 西街, worker "" w1 w2 w3 */
	assert_int_equal(lines(out), 1 + 13 * 11);
	assert_null(strstr(out, "\tall\t"));
	/* the first row is 2017-01 street "" G */
	assert_memory_equal(out + strlen(KPI_HDR),
	    "kpi\t2017-01\tstreet\t\tG\t", 22);
	assert_string_equal(row(out, "2017-01", "street", "", "W"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "street", "", "R"),
	    "n/a\t0\t0\t0.9\t40\t0\t\t");
	assert_string_equal(row(out, "2017-01", "street", "", "P"),
	    "n/a\t0\t0\t1\t10\t0\t\t");
	assert_string_equal(row(out, "2017-01", "street", "东街", "N"),
	    "2\t2\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "street", "东街", "D"),
	    "60\t\t2\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "street", "", "N"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "street", "东街", "N"),
	    "1\t1\t\t\t\t\t\t");
	/* patrols do count by worker: w1 on 01-05 (70) and 01-06 (50) */
	assert_string_equal(row(out, "2017-01", "worker", "w1", "P"),
	    "0.5\t1\t2\t1\t10\t5\t\t");
	assert_string_equal(row(out, "2017-01", "worker", "w1", "total"),
	    "\t\t\t\t100\t75.22\t中\t");
	assert_string_equal(row(out, "2017-02", "worker", "", "N"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "worker", "", "W"),
	    "0\t0\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02", "worker", "w3", "W"),
	    "1\t1\t\t\t\t\t\t");
	/* worker ids sort by bytes: "" w1 w2 w3 */
	assert_true(strstr(out, "kpi\t2017-02\tworker\t\tG") <
	    strstr(out, "kpi\t2017-02\tworker\tw1\tG"));
	assert_true(strstr(out, "kpi\t2017-02\tworker\tw2\tG") <
	    strstr(out, "kpi\t2017-02\tworker\tw3\tG"));
	free(out);
	kpi_free(k);
	ind_free(in);
}

static const char *
stat_of(struct kpi *k, const char *kind, unsigned long long *used,
    unsigned long long *skipped, unsigned long long *ignored)
{
	const struct kpi_kind_stat *st;
	size_t n = kpi_stats(k, &st), i;

	for (i = 0; i < n; i++)
		if (strcmp(st[i].kind, kind) == 0) {
			*used = st[i].used;
			*skipped = st[i].skipped;
			*ignored = st[i].ignored;
			return st[i].kind;
		}
	return NULL;
}

/* Quarter, year and range labels; records outside the range skipped. */
static void
test_periods(void **state)
{
	struct indicators *in = load(IND);
	struct kpi *k;
	unsigned long long u, s, g;
	struct err e;
	int rej, skip;
	char *out;

	(void)state;
	k = make(in, KPI_QUARTER, "all", "");
	feed_ok(k, EVENTS);
	out = finish(k);
	assert_int_equal(lines(out), 1 + 11);
	assert_string_equal(row(out, "2017-Q1", "all", "", "N"),
	    "5\t5\t\t\t\t\t\t");
	free(out);
	kpi_free(k);

	k = make(in, KPI_YEAR, "all", "");
	feed_ok(k, EVENTS);
	out = finish(k);
	assert_string_equal(row(out, "2017", "all", "", "N"),
	    "5\t5\t\t\t\t\t\t");
	/* median of 30 45 61 90: (45 + 61) / 2 */
	assert_string_equal(row(out, "2017", "all", "", "D"),
	    "53\t\t4\t\t\t\t\t");
	free(out);
	kpi_free(k);

	/* 2017-02-01..2017-03-31: the three January events are skipped */
	k = make(in, KPI_RANGE, "all", "");
	skip = 0;
	assert_int_equal(feed(k, EVENTS, false, &rej, &skip, &e), 0);
	assert_int_equal(rej, 0);
	assert_int_equal(skip, 3);
	feed_ok(k, WORKERS);
	out = finish(k);
	assert_int_equal(lines(out), 1 + 11);
	assert_string_equal(row(out, "2017-02-01..2017-03-31", "all", "",
	    "N"), "2\t2\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-02-01..2017-03-31", "all", "",
	    "W"), "3\t3\t\t\t\t\t\t");
	assert_non_null(stat_of(k, "event", &u, &s, &g));
	assert_true(u == 2 && s == 3 && g == 0);
	assert_non_null(stat_of(k, "worker", &u, &s, &g));
	assert_true(u == 3 && s == 0 && g == 0);
	free(out);
	kpi_free(k);
	ind_free(in);
}

/* Only timeless records: one period "all" (a range: its label). */
static void
test_timeless(void **state)
{
	struct indicators *in = load(IND);
	struct kpi *k;
	char *out;

	(void)state;
	k = make(in, KPI_MONTH, "all,street", "");
	feed_ok(k, WORKERS);
	out = finish(k);
	assert_int_equal(lines(out), 1 + 4 * 11);
	assert_string_equal(row(out, "all", "all", "", "W"),
	    "3\t3\t\t\t\t\t\t");
	assert_string_equal(row(out, "all", "street", "", "W"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "all", "street", "西街", "W"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "all", "all", "", "total"),
	    "\t\t\t\t100\t8\t差\t");
	free(out);
	kpi_free(k);

	k = make(in, KPI_RANGE, "all", "");
	feed_ok(k, WORKERS);
	out = finish(k);
	assert_string_equal(row(out, "2017-02-01..2017-03-31", "all", "",
	    "W"), "3\t3\t\t\t\t\t\t");
	free(out);
	kpi_free(k);

	/* nothing at all: the header only */
	k = make(in, KPI_MONTH, "all", "");
	out = finish(k);
	assert_string_equal(out, KPI_HDR);
	free(out);
	kpi_free(k);
	ind_free(in);
}

/* Bad records are refused before anything is counted. */
static void
test_reject(void **state)
{
	static const char bad[] =
	    EV_HDR
	    "event\t2017-01-05\tw1\t东街\t1\t3o\t1\n"		/* 2 */
	    "event\t2017-01-05\tw1\t东街\t1\t30\t1e3\n"		/* 3 */
	    "event\t\tw1\t东街\t1\t30\t1\n"			/* 4 */
	    "event\t2017-02-30\tw1\t东街\t1\t30\t1\n"		/* 5 */
	    "event\t2017-01-05 09:00:00\tw1\t东街\t1\t30\t1\n"	/* 6 */
	    "event\t2017-01-05T24:00:00+08:00\tw1\t东街\t1\t30\t1\n"
	    "event\t2017-1-05\tw1\t东街\t1\t30\t1\n"		/* 8 */
	    "event\t2017-01-05\tw1\t东街\t0\t30\t1\n"		/* good */
	    "event\t2017-01-05\tw1\t东街\t1\t30\t99999999999999\n";
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_MONTH, "all", "");
	struct rec_reader *r;
	struct rec_row rw;
	struct err e;
	int i;
	static const struct {
		long line;
		const char *field, *msg;
	} want[] = {
		{ 2, "minutes", "not a number" },
		{ 3, "amount", "not a number" },
		{ 4, "reported", "empty time field" },
		{ 5, "reported", "not a canonical date or date and time" },
		{ 6, "reported", "not a canonical date or date and time" },
		{ 7, "reported", "not a canonical date or date and time" },
		{ 8, "reported", "not a canonical date or date and time" },
	};
	char *out;

	(void)state;
	assert_int_equal(rec_reader_mem(&r, bad, strlen(bad), "in", &e), 0);
	assert_int_equal(rec_read(r, &rw, &e), 1);
	assert_int_equal(kpi_begin(k, rec_reader_header(r), "event", &e), 0);
	for (i = 0; i < 7; i++) {
		if (i > 0)
			assert_int_equal(rec_read(r, &rw, &e), 1);
		err_clear(&e);
		assert_int_equal(kpi_add(k, &rw, &e), ERR_DATA);
		assert_int_equal(e.line, want[i].line);
		assert_string_equal(e.field, want[i].field);
		assert_string_equal(e.msg, want[i].msg);
	}
	assert_int_equal(rec_read(r, &rw, &e), 1);
	assert_int_equal(kpi_add(k, &rw, &e), 0);
	/* too large a value for dec.h: not a number either */
	assert_int_equal(rec_read(r, &rw, &e), 1);
	assert_int_equal(kpi_add(k, &rw, &e), ERR_DATA);
	assert_string_equal(e.field, "amount");
	rec_reader_close(r);
	out = finish(k);
	/* one event only, not self-handled: rate 0 (a number, not n/a) */
	assert_string_equal(row(out, "2017-01", "all", "", "N"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "S"),
	    "1\t1\t\t\t\t\t\t");
	assert_string_equal(row(out, "2017-01", "all", "", "R"),
	    "0\t0\t1\t0.9\t40\t0\t\t");
	free(out);
	kpi_free(k);
	ind_free(in);
}

/* A field an indicator needs and the header lacks; ignored kinds. */
static void
test_fields(void **state)
{
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_MONTH, "all,worker", "");
	unsigned long long u, s, g;
	struct err e;
	int rej;
	char *out;

	(void)state;
	assert_int_equal(feed(k, "kind\treported\treporter_id\tminutes\t"
	    "amount\nevent\t2017-01-01\tw\t1\t1\n", false, &rej, NULL, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "no field 'self_handled' in the event "
	    "records");
	assert_string_equal(e.field, "self_handled");
	assert_int_equal(feed(k, "kind\treporter_id\tself_handled\tminutes\t"
	    "amount\nevent\tw\t1\t1\t1\n", false, &rej, NULL, &e), ERR_DATA);
	assert_string_equal(e.msg, "no field 'reported' in the event records");
	assert_int_equal(feed(k, "kind\treported\treporter_id\tself_handled\t"
	    "amount\nevent\t2017-01-01\tw\t1\t1\n", false, &rej, NULL, &e),
	    ERR_DATA);
	assert_string_equal(e.msg, "no field 'minutes' in the event records");
	assert_int_equal(feed(k, "kind\tstart\tminutes\n"
	    "patrol\t2017-01-01\t1\n", false, &rej, NULL, &e), ERR_DATA);
	assert_string_equal(e.msg, "no field 'worker_id' in the patrol "
	    "records");
	/* house: no indicator reads it, whatever its fields */
	assert_int_equal(feed(k, "kind\tx\nhouse\t1\nhouse\t2\n", false, &rej,
	    NULL, &e), 0);
	assert_non_null(stat_of(k, "house", &u, &s, &g));
	assert_true(u == 0 && s == 0 && g == 2);
	assert_int_equal(kpi_cells(k), 0);
	/* workers without worker_id: no worker scope, still all */
	feed_ok(k, "kind\tname\nworker\ta\nworker\tb\n");
	out = finish(k);
	assert_int_equal(lines(out), 1 + 11);
	assert_string_equal(row(out, "all", "all", "", "W"),
	    "2\t2\t\t\t\t\t\t");
	free(out);
	kpi_free(k);
	ind_free(in);
}

/* kpi_new refuses bad options; kpi_add needs kpi_begin. */
static void
test_usage(void **state)
{
	struct indicators *in = load(IND);
	static const char *const sc1[] = { "all", "town" };
	static const char *const sc2[] = { "street", "street" };
	struct kpi_opts o;
	struct kpi *k = NULL;
	struct err e;
	struct rec_row rw;

	(void)state;
	memset(&o, 0, sizeof o);
	o.scopes = sc1;
	o.nscopes = 2;
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	assert_string_equal(e.msg, "unknown scope 'town'");
	assert_null(k);
	o.scopes = sc2;
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	assert_string_equal(e.msg, "scope 'street' given twice");
	o.nscopes = KPI_MAX_SCOPES + 1;
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	o.scopes = NULL;
	o.nscopes = 0;
	o.period = KPI_RANGE;
	strcpy(o.from, "2017-03-01");
	strcpy(o.to, "2017-02-01");
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	strcpy(o.to, "2017-02-30");
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	strcpy(o.from, "2017-2-1");
	strcpy(o.to, "2017-03-01");
	assert_int_equal(kpi_new(&k, in, &o, &e), ERR_USAGE);
	strcpy(o.from, "2017-03-01");
	assert_int_equal(kpi_new(&k, in, &o, &e), 0);
	memset(&rw, 0, sizeof rw);
	assert_int_equal(kpi_add(k, &rw, &e), ERR_INTERNAL);
	assert_int_equal(kpi_add_partial(k, &rw, &e), ERR_INTERNAL);
	kpi_free(k);
	kpi_free(NULL);
	ind_free(in);
}

/* Medians: exact, an even count's middle rounded half-even. */
static void
test_median(void **state)
{
	static const char ind[] =
	    "name: m\ntotal: 1\ntree:\n"
	    "  - {group: g, weight: 1, items: [{id: D, name: d,"
	    " weight: 1, target: 1, median: {kind: activity, field: x}}]}\n";
	static const struct {
		const char *in, *want;
	} c[] = {
		{ "0.000001 0.000002", "0.000002" },	/* 1.5 -> 2 */
		{ "0.000001 0.000004", "0.000002" },	/* 2.5 -> 2 */
		{ "-0.000001 -0.000004", "-0.000002" },
		{ "-0.000001 -0.000002", "-0.000002" },	/* -1.5 -> -2 */
		{ "5 1 3", "3" },
		{ "2 2 2 9", "2" },
		{ "1 9 9 9", "9" },
		{ "9000000000000 9000000000000", "9000000000000" },
		{ "-7.5", "-7.5" },
	};
	struct indicators *in = load(ind);
	char buf[512], *p, *out, tok[64];
	const char *s;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct kpi *k = make(in, KPI_YEAR, "all", "");

		p = buf + sprintf(buf, "kind\tdate\tx\n");
		for (s = c[i].in; sscanf(s, "%63s%n", tok, &n) == 1; s += n)
			p += sprintf(p, "activity\t2017-05-01\t%s\n", tok);
		feed_ok(k, buf);
		out = finish(k);
		snprintf(buf, sizeof buf, "%s\t", c[i].want);
		assert_memory_equal(row(out, "2017", "all", "", "D"), buf,
		    strlen(buf));
		free(out);
		kpi_free(k);
	}
	ind_free(in);
}

/* The exact partial records of a small input. */
static void
test_partial_text(void **state)
{
	static const char want[] =
	    "kind\tconfig\tperiod\tscope\tscope_id\tindicator\tpart\tkey\tn\t"
	    "sum\n"
	    "kpi_partial\tC\t*\tall\t\t\tcell\t\t1\t\n"
	    "kpi_partial\tC\t*\tall\t\tW\tc\t\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\t\tcell\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tN\tc\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tS\tc\t\t1\t0.5\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tR\tden\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tR\tnum\t\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tM\tv\t\t2\t110\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tD\th\t10\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tD\th\t100\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tH\te\ta\\tb\\t2017-03\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tall\t\tH\te\tw\\t2017-01\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\t\tcell\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tN\tc\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tS\tc\t\t1\t0.5\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tR\tden\t\t2\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tR\tnum\t\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tM\tv\t\t2\t110\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tD\th\t10\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tD\th\t100\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tH\te\ta\\tb\\t2017-03\t1\t\n"
	    "kpi_partial\tC\t2017-Q1\tstreet\tx\tH\te\tw\\t2017-01\t1\t\n";
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_QUARTER, "all,street", "C");
	char *out;

	(void)state;
	feed_ok(k, EV_HDR
	    "event\t2017-03-31T23:00:00+08:00\ta\\tb\tx\t0\t100\t\n"
	    "event\t2017-01-01\tw\tx\t1\t10\t0.50\n");
	/* workers without a street field: no timeless street cell */
	feed_ok(k, "kind\tworker_id\nworker\tz\n");
	out = result(k, true, NULL);
	assert_string_equal(out, want);
	free(out);
	kpi_free(k);
	ind_free(in);
}

/* ---- the merge property ---- */

struct sb {
	char *p;
	size_t n, cap;
};

static void
sb_add(struct sb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n + 1);
	b->n += n;
}

static unsigned long rnd_state;

static unsigned long
rnd(unsigned long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (rnd_state >> 33) % n;
}

#define NKIND 3
#define MAXPART 7

/* gen: a deterministic mixed input, one string per kind. */
static void
gen(struct sb in[NKIND])
{
	static const char *const streets[] = { "东街", "西街", "", "南街" };
	char line[256], minutes[32], amount[32], date[40];
	int i;

	memset(in, 0, NKIND * sizeof in[0]);
	rnd_state = 42;
	sb_add(&in[0], EV_HDR);
	for (i = 0; i < 600; i++) {
		snprintf(date, sizeof date, "2017-%02lu-%02lu", 1 + rnd(6),
		    1 + rnd(28));
		if (rnd(2))
			snprintf(date + 10, sizeof date - 10,
			    "T%02lu:%02lu:00+08:00", rnd(24), rnd(60));
		minutes[0] = amount[0] = '\0';
		if (rnd(8) != 0)
			snprintf(minutes, sizeof minutes, "%lu.%06lu", rnd(200),
			    rnd(1000000));
		if (rnd(3) != 0)
			snprintf(amount, sizeof amount, "%s%lu.%02lu",
			    rnd(5) == 0 ? "-" : "", rnd(1000), rnd(100));
		snprintf(line, sizeof line, "event\t%s\t%s%lu\t%s\t%lu\t%s\t%s\n",
		    date, rnd(9) == 0 ? "" : "w", rnd(12), streets[rnd(4)],
		    rnd(2), minutes, amount);
		sb_add(&in[0], line);
	}
	sb_add(&in[1], WK_HDR);
	for (i = 0; i < 14; i++) {
		snprintf(line, sizeof line, "worker\tw%d\t%s\n", i,
		    streets[rnd(4)]);
		sb_add(&in[1], line);
	}
	sb_add(&in[2], PT_HDR);
	for (i = 0; i < 300; i++) {
		minutes[0] = '\0';
		if (rnd(10) != 0)
			snprintf(minutes, sizeof minutes, "%lu", rnd(80));
		snprintf(line, sizeof line,
		    "patrol\t2017-%02lu-%02luT%02lu:00:00+08:00\tw%lu\t%s\n",
		    1 + rnd(7), 1 + rnd(3), rnd(24), rnd(14), minutes);
		sb_add(&in[2], line);
	}
}

/* split: the records of each kind dealt at random among nparts; every
 * part keeps the header. */
static void
split(struct sb in[NKIND], int nparts, struct sb part[MAXPART][NKIND])
{
	const char *p, *q, *hdr;
	char *line;
	int kd, i;

	memset(part, 0, MAXPART * NKIND * sizeof part[0][0]);
	for (kd = 0; kd < NKIND; kd++) {
		hdr = in[kd].p;
		q = strchr(hdr, '\n') + 1;
		for (i = 0; i < nparts; i++) {
			line = strndup(hdr, (size_t)(q - hdr));
			sb_add(&part[i][kd], line);
			free(line);
		}
		for (p = q; *p != '\0'; p = q) {
			q = strchr(p, '\n') + 1;
			line = strndup(p, (size_t)(q - p));
			sb_add(&part[rnd((unsigned long)nparts)][kd], line);
			free(line);
		}
	}
}

static void
sb_free(struct sb *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void
test_merge(void **state)
{
	static const enum kpi_period periods[] = { KPI_MONTH, KPI_QUARTER,
		KPI_RANGE };
	struct indicators *in = load(IND);
	struct sb input[NKIND], part[MAXPART][NKIND];
	static const int nparts[] = { 1, 2, 7 };
	char *single, *partial[MAXPART], *merged, *p2;
	struct kpi *k;
	struct err e;
	size_t pi, ni;
	int i, j, kd, rej;
	long live = mem_live();

	(void)state;
	gen(input);
	for (pi = 0; pi < sizeof periods / sizeof periods[0]; pi++) {
		/* one run */
		k = make(in, periods[pi], "all,street,worker", "cfg");
		for (kd = 0; kd < NKIND; kd++)
			assert_int_equal(feed(k, input[kd].p, false, &rej,
			    NULL, &e), 0);
		single = finish(k);
		assert_true(lines(single) > 100);
		/* its own partial merged alone */
		p2 = result(k, true, NULL);
		kpi_free(k);
		k = make(in, periods[pi], "all,street,worker", "cfg");
		assert_int_equal(feed(k, p2, true, NULL, NULL, &e), 0);
		merged = finish(k);
		assert_string_equal(merged, single);
		free(merged);
		free(p2);
		kpi_free(k);

		for (ni = 0; ni < sizeof nparts / sizeof nparts[0]; ni++) {
			split(input, nparts[ni], part);
			for (i = 0; i < nparts[ni]; i++) {
				k = make(in, periods[pi], "all,street,worker",
				    "cfg");
				/* kinds in a different order per part */
				for (j = 0; j < NKIND; j++) {
					kd = (i + j) % NKIND;
					assert_int_equal(feed(k, part[i][kd].p,
					    false, &rej, NULL, &e), 0);
				}
				partial[i] = result(k, true, NULL);
				kpi_free(k);
			}
			/* merge in reverse order */
			k = make(in, periods[pi], "all,street,worker", "cfg");
			for (i = nparts[ni]; i-- > 0;)
				assert_int_equal(feed(k, partial[i], true, NULL,
				    NULL, &e), 0);
			merged = finish(k);
			assert_string_equal(merged, single);
			free(merged);
			kpi_free(k);
			/* two levels: merge the first half, write it as a
			 * partial, merge that with the rest */
			k = make(in, periods[pi], "all,street,worker", "cfg");
			for (i = 0; i < (nparts[ni] + 1) / 2; i++)
				assert_int_equal(feed(k, partial[i], true, NULL,
				    NULL, &e), 0);
			p2 = result(k, true, NULL);
			kpi_free(k);
			k = make(in, periods[pi], "all,street,worker", "cfg");
			for (i = nparts[ni]; i-- > (nparts[ni] + 1) / 2;)
				assert_int_equal(feed(k, partial[i], true, NULL,
				    NULL, &e), 0);
			assert_int_equal(feed(k, p2, true, NULL, NULL, &e), 0);
			merged = finish(k);
			assert_string_equal(merged, single);
			free(merged);
			free(p2);
			kpi_free(k);
			for (i = 0; i < nparts[ni]; i++) {
				free(partial[i]);
				for (kd = 0; kd < NKIND; kd++)
					sb_free(&part[i][kd]);
			}
		}
		free(single);
	}
	for (kd = 0; kd < NKIND; kd++)
		sb_free(&input[kd]);
	assert_int_equal(mem_live(), live);
	ind_free(in);
}

/* Merging refuses partials made otherwise, and bad partial records. */
static void
test_partial_errors(void **state)
{
	static const char hdr[] =
	    "kind\tconfig\tperiod\tscope\tscope_id\tindicator\tpart\tkey\tn\t"
	    "sum\n";
	static const struct {
		const char *row, *field, *msg;
	} c[] = {
		{ "kpi_partial\tother\t2017-01\tall\t\t\tcell\t\t1\t",
		    "config", "made with another indicator file or other "
		    "options" },
		{ "kpi\tcfg\t2017-01\tall\t\t\tcell\t\t1\t", "kind",
		    "not a kpi_partial record" },
		{ "kpi_partial\tcfg\t2017-13\tall\t\t\tcell\t\t1\t", "period",
		    "not a period of the kind asked for" },
		{ "kpi_partial\tcfg\t2017-Q1\tall\t\t\tcell\t\t1\t", "period",
		    "not a period of the kind asked for" },
		{ "kpi_partial\tcfg\t2017-01\tgrid\t\t\tcell\t\t1\t", "scope",
		    "not one of the scopes asked for" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tN\tcell\t\t1\t",
		    "indicator", "a cell part names no indicator" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tZZ\tc\t\t1\t",
		    "indicator", "not in the indicator file" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tN\th\t1\t1\t", "part",
		    "part does not fit the indicator" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tJ\tc\t\t1\t", "part",
		    "part does not fit the indicator" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tG\tc\t\t1\t", "part",
		    "part does not fit the indicator" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tN\tc\t\tx\t", "n",
		    "not a count" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tN\tc\t\t-1\t", "n",
		    "not a count" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tS\tc\t\t1\t1e5", "sum",
		    "not a number" },
		{ "kpi_partial\tcfg\t2017-01\tall\t\tD\th\tx\t1\t", "key",
		    "not a number" },
	};
	struct indicators *in = load(IND);
	struct kpi *k = make(in, KPI_MONTH, "all,worker", "cfg");
	char buf[512];
	struct err e;
	size_t i;
	char *out;
	int rc;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s\n", hdr, c[i].row);
		assert_int_equal(feed(k, buf, true, NULL, NULL, &e), ERR_DATA);
		assert_string_equal(e.field, c[i].field);
		assert_string_equal(e.msg, c[i].msg);
		assert_int_equal(e.line, 2);
	}
	assert_int_equal(feed(k, "kind\tconfig\tperiod\tscope\tscope_id\t"
	    "indicator\tpart\tkey\tn\nkpi_partial\tcfg\t2017-01\tall\t\t\t"
	    "cell\t\t1\n", true, NULL, NULL, &e), ERR_DATA);
	assert_string_equal(e.msg, "no field 'sum' in the kpi_partial "
	    "records");
	/* nothing above was counted */
	assert_int_equal(kpi_cells(k), 0);
	assert_int_equal(kpi_partials(k), 0);
	/* the good ones are */
	snprintf(buf, sizeof buf, "%s%s\n%s\n%s\n", hdr,
	    "kpi_partial\tcfg\t2017-01\tworker\tw\t\tcell\t\t2\t",
	    "kpi_partial\tcfg\t2017-01\tworker\tw\tN\tc\t\t2\t",
	    "kpi_partial\tcfg\t2017-01\tworker\tw\tR\tden\t\t2\t");
	assert_int_equal(feed(k, buf, true, NULL, NULL, &e), 0);
	assert_int_equal(kpi_partials(k), 3);
	out = finish(k);
	assert_int_equal(lines(out), 1 + 11);
	assert_string_equal(row(out, "2017-01", "worker", "w", "R"),
	    "0\t0\t2\t0.9\t40\t0\t\t");
	free(out);
	/* an overflowing sum is final */
	snprintf(buf, sizeof buf, "%s%s\n%s\n", hdr,
	    "kpi_partial\tcfg\t2017-01\tall\t\tS\tc\t\t1\t9000000000000",
	    "kpi_partial\tcfg\t2017-01\tall\t\tS\tc\t\t1\t9000000000000");
	assert_int_equal(feed(k, buf, true, NULL, NULL, &e), ERR_DATA);
	assert_string_equal(e.msg, "sum out of range");
	assert_null(result(k, false, &rc));
	assert_int_equal(rc, ERR_DATA);
	assert_null(result(k, true, &rc));
	assert_int_equal(rc, ERR_DATA);
	kpi_free(k);
	ind_free(in);
}

/* run_all: the whole round trip under allocation failure. */
static int
run_all(struct indicators *in, struct err *e)
{
	char path[128];
	struct kpi *k = NULL;
	struct out *o = NULL;
	struct rec_reader *r = NULL;
	struct rec_row rw;
	int rc, first = 1;
	static const char *const sc[] = { "street", "worker" };
	struct kpi_opts op;

	memset(&op, 0, sizeof op);
	op.period = KPI_MONTH;
	op.scopes = sc;
	op.nscopes = 2;
	op.config = "c";
	snprintf(path, sizeof path, "%s/out", dir);
	if ((rc = kpi_new(&k, in, &op, e)) != 0)
		return rc;
	if ((rc = feed(k, EVENTS, false, NULL, NULL, e)) != 0 ||
	    (rc = feed(k, WORKERS, false, NULL, NULL, e)) != 0 ||
	    (rc = feed(k, PATROLS, false, NULL, NULL, e)) != 0 ||
	    (rc = out_open(&o, path, 0600, e)) != 0)
		goto done;
	if ((rc = kpi_write_partial(k, o, e)) != 0) {
		out_abort(o);
		goto done;
	}
	if ((rc = out_commit(o, e)) != 0)
		goto done;
	kpi_free(k);
	if ((rc = kpi_new(&k, in, &op, e)) != 0)
		return rc;
	if ((rc = rec_reader_open(&r, path, false, e)) != 0)
		goto done;
	while ((rc = rec_read(r, &rw, e)) == 1) {
		if (first && (rc = kpi_begin_partial(k, rec_reader_header(r),
		    e)) != 0)
			goto done;
		first = 0;
		if ((rc = kpi_add_partial(k, &rw, e)) != 0)
			goto done;
	}
	if (rc != 0 || (rc = out_open(&o, path, 0600, e)) != 0)
		goto done;
	if ((rc = kpi_finish(k, o, e)) != 0) {
		out_abort(o);
		goto done;
	}
	rc = out_commit(o, e);
done:
	rec_reader_close(r);
	kpi_free(k);
	return rc;
}

static void
test_oom(void **state)
{
	struct indicators *in = load(IND);
	struct err e;
	long live = mem_live(), n;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		mem_fail_after(n);
		rc = run_all(in, &e);
		mem_fail_after(-1);
		assert_int_equal(mem_live(), live);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_INTERNAL);
	}
	assert_true(n > 20);
	ind_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measures),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_timeless),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_partial_text),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_partial_errors),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
