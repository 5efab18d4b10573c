/*
 * event-route - the six-step closed loop of each event on a working calendar
 *
 * Options, wiring and main only: the routing file, the catalogue and the
 * judgement are lib/route, the calendar lib/calendar, the filter frame
 * cmd/common/prog.  See event-route(1) and grid-routing(5).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "err.h"
#include "mem.h"
#include "prog.h"
#include "rec.h"
#include "route.h"
#include "str.h"
#include "time.h"

static const char usage_text[] =
"usage: event-route -r routing [-o file] [--asof time] [--overdue]\n"
"                   [--rejects file] [--max-rejects n] [--stats]\n"
"                   [--progress] [--manifest file] [file ...]\n";

enum {
	OPT_ASOF = 256, OPT_OVERDUE
};

static const struct option longopts[] = {
	{ "asof",	 required_argument, NULL, OPT_ASOF },
	{ "overdue",	 no_argument,	    NULL, OPT_OVERDUE },
	{ "routing",	 required_argument, NULL, 'r' },
	PROG_LONGOPTS,
	PROG_LONGOPTS_FILTER,
	{ NULL, 0, NULL, 0 }
};

/* The input fields read; the instants in the order of the closed loop. */
enum in {
	IN_REPORTED, IN_FILED, IN_DISPATCHED, IN_HANDLED, IN_VERIFIED,
	IN_CLOSED, IN_SUSP_FROM, IN_SUSP_TO, NTIME,
	IN_CATEGORY = NTIME, IN_SEVERITY, IN_DEPARTMENT, IN_SELF, IN_VOIDED,
	NIN
};
static const char *const in_name[NIN] = {
	"reported", "filed", "dispatched", "handled", "verified", "closed",
	"suspended_from", "suspended_to", "category", "severity",
	"department", "self_handled", "voided"
};

/* The fields event-route owns, in output order. */
enum own {
	OWN_STATE, OWN_LEVEL, OWN_DEPT, OWN_CATNAME, OWN_DEFAULT,
	OWN_FILE_DUE, OWN_DISPATCH_DUE, OWN_HANDLE_DUE, OWN_VERIFY_DUE,
	OWN_CLOSE_DUE,
	OWN_FILE_OK, OWN_DISPATCH_OK, OWN_HANDLE_OK, OWN_VERIFY_OK,
	OWN_CLOSE_OK,
	OWN_USED, OWN_LIMIT, OWN_LIGHT, OWN_HANDLED_LEVEL, OWN_ESCALATED,
	OWN_OVERDUE, NOWN
};
static const char *const own_name[NOWN] = {
	"state", "route_level", "route_department", "category_name",
	"route_default",
	"file_due", "dispatch_due", "handle_due", "verify_due", "close_due",
	"file_ontime", "dispatch_ontime", "handle_ontime", "verify_ontime",
	"close_ontime",
	"handle_work_min", "handle_limit_min", "light", "handled_level",
	"escalated", "overdue"
};

struct router {
	struct route *r;
	int64_t asof;			/* ROUTE_NONE without --asof */
	bool overdue_only;		/* --overdue */
	long f[NIN];			/* input field indexes, -1 absent */
	/* text of the values built per record */
	char due[ROUTE_NSTEPS][TIME_DATETIME_LEN + 1];
	char used[64], limit[64];
	int64_t limit_secs;		/* what limit holds, or ROUTE_NONE */
	size_t limit_len;
	/* lengths of the names written, looked up once */
	size_t state_len[4], level_len[ROUTE_NLEVELS], light_len[4];
	const char *last[2];		/* department, category name */
	size_t last_len[2];
	/* counters for --stats */
	unsigned long long state[4], light[4], by_default, escalated;
	/* each thread has a router: no cache line shared with the next */
	char pad[128];
};

static struct prog prog;

static int
on_header(void *arg, const struct rec_header *h, struct err *e)
{
	struct router *x = arg;
	size_t k;

	for (k = 0; k < NIN; k++)
		x->f[k] = prog_header_index(h, in_name[k]);
	if (x->f[IN_REPORTED] < 0) {
		err_at(e, NULL, 1, "reported");
		return err_set(e, ERR_DATA, "no field 'reported': not events?");
	}
	for (k = 0; k < 4; k++) {
		x->state_len[k] = strlen(route_state_name((int)k));
		x->light_len[k] = strlen(route_light_name((int)k));
	}
	for (k = 0; k < ROUTE_NLEVELS; k++)
		x->level_len[k] = strlen(route_level_name((int)k));
	return 0;
}

/* s, n bytes long, as the value of the owned field k. */
static void
put(const char **out, size_t *len, enum own k, const char *s, size_t n)
{
	size_t p = prog.pos[k];

	out[p] = s;
	len[p] = n;
}

/* The same for a name of the route (slot 0 or 1), whose length is kept
 * while it comes back: most events share a handful of them. */
static void
put_name(struct router *x, const char **out, size_t *len, enum own k,
    int slot, const char *s)
{
	if (s == NULL)
		s = "";
	if (s != x->last[slot]) {
		x->last[slot] = s;
		x->last_len[slot] = strlen(s);
	}
	put(out, len, k, s, x->last_len[slot]);
}

/*
 * Minutes with up to one decimal, from whole seconds; the length.  The
 * bytes of str_fmt_fixed(secs / 60.0, 1), which rounds the double's exact
 * value: that is secs / 6 tenths rounded, except at an exact tie (secs % 6
 * == 3), where the double's own rounding decides: those, negative and
 * huge values go through str_fmt_fixed.
 */
static size_t
minutes(char *buf, int64_t secs)
{
	int64_t t;
	size_t n;

	if (secs == ROUTE_NONE) {
		buf[0] = '\0';
		return 0;
	}
	if (secs < 0 || secs % 6 == 3 || secs > INT64_C(1) << 50)
		return str_fmt_fixed(buf, (double)secs / 60.0, 1);
	t = (secs + 3) / 6;
	n = str_fmt_int(buf, (long long)(t / 10));
	if (t % 10 != 0) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + t % 10);
		buf[n] = '\0';
	}
	return n;
}

/* "", "1" or "0" for -1, 1 and 0 (or true and false); a flag's length. */
static const char *
flag(int v)
{
	return v < 0 ? "" : v ? "1" : "0";
}

static size_t
flag_len(int v)
{
	return v < 0 ? 0 : 1;
}

/* A bool field as grid-import writes it: "1", "0" or empty. */
static int
get_bool(const struct rec_row *row, long f, bool *v, struct err *e)
{
	*v = false;
	if (f < 0 || row->len[f] == 0)
		return 0;
	if (str_eq(row->v[f], row->len[f], "1")) {
		*v = true;
		return 0;
	}
	if (str_eq(row->v[f], row->len[f], "0"))
		return 0;
	return err_set(e, ERR_DATA, "not 1 or 0");
}

static int
on_row(void *arg, const struct rec_row *row, const char **out, size_t *len,
    struct err *e)
{
	struct router *x = arg;
	struct route_event ev;
	struct route_result res;
	int64_t *t[NTIME];
	int off, k, rc;

	route_event_init(&ev);
	t[IN_REPORTED] = &ev.reported;
	t[IN_FILED] = &ev.filed;
	t[IN_DISPATCHED] = &ev.dispatched;
	t[IN_HANDLED] = &ev.handled;
	t[IN_VERIFIED] = &ev.verified;
	t[IN_CLOSED] = &ev.closed;
	t[IN_SUSP_FROM] = &ev.susp_from;
	t[IN_SUSP_TO] = &ev.susp_to;
	for (k = 0; k < NTIME; k++) {
		long f = x->f[k];

		if (f < 0 || row->len[f] == 0)
			continue;
		if (time_iso_to_epoch(row->v[f], row->len[f], t[k], &off) != 0) {
			err_at(e, NULL, 0, in_name[k]);
			return err_set(e, ERR_DATA, "not a canonical date and "
			    "time (run grid-import first)");
		}
	}
	if (x->f[IN_CATEGORY] >= 0 && row->len[x->f[IN_CATEGORY]] > 0)
		ev.category = row->v[x->f[IN_CATEGORY]];
	if (x->f[IN_SEVERITY] >= 0 && row->len[x->f[IN_SEVERITY]] > 0)
		ev.severity = row->v[x->f[IN_SEVERITY]];
	if (x->f[IN_DEPARTMENT] >= 0 && row->len[x->f[IN_DEPARTMENT]] > 0)
		ev.department = row->v[x->f[IN_DEPARTMENT]];
	if ((rc = get_bool(row, x->f[IN_SELF], &ev.self_handled, e)) != 0) {
		err_at(e, NULL, 0, in_name[IN_SELF]);
		return rc;
	}
	if ((rc = get_bool(row, x->f[IN_VOIDED], &ev.voided, e)) != 0) {
		err_at(e, NULL, 0, in_name[IN_VOIDED]);
		return rc;
	}
	if ((rc = route_judge(x->r, &ev, x->asof, &res, e)) != 0)
		return rc;
	if (x->overdue_only && !res.overdue)
		return 1;

	put(out, len, OWN_STATE, route_state_name(res.state),
	    x->state_len[res.state]);
	put(out, len, OWN_LEVEL, route_level_name(res.level),
	    x->level_len[res.level]);
	put_name(x, out, len, OWN_DEPT, 0, res.department);
	put_name(x, out, len, OWN_CATNAME, 1, res.category_name);
	put(out, len, OWN_DEFAULT, flag(res.route_default), 1);
	for (k = 0; k < ROUTE_NSTEPS; k++) {
		x->due[k][0] = '\0';
		if (res.due[k] != ROUTE_NONE)
			time_epoch_to_iso(res.due[k], calendar_offset(x->r->cal),
			    x->due[k]);
		put(out, len, (enum own)(OWN_FILE_DUE + k), x->due[k],
		    x->due[k][0] != '\0' ? TIME_DATETIME_LEN : 0);
		put(out, len, (enum own)(OWN_FILE_OK + k), flag(res.ontime[k]),
		    flag_len(res.ontime[k]));
	}
	put(out, len, OWN_USED, x->used, minutes(x->used,
	    res.handle_used_secs));
	if (res.handle_limit_secs != x->limit_secs) {	/* a few limits */
		x->limit_secs = res.handle_limit_secs;
		x->limit_len = minutes(x->limit, x->limit_secs);
	}
	put(out, len, OWN_LIMIT, x->limit, x->limit_len);
	put(out, len, OWN_LIGHT, route_light_name(res.light),
	    x->light_len[res.light]);
	if (res.state == ROUTE_VOIDED) {
		put(out, len, OWN_HANDLED_LEVEL, "", 0);
		put(out, len, OWN_ESCALATED, "", 0);
	} else {
		put(out, len, OWN_HANDLED_LEVEL,
		    route_level_name(res.handled_level),
		    x->level_len[res.handled_level]);
		put(out, len, OWN_ESCALATED, flag(res.escalated), 1);
	}
	put(out, len, OWN_OVERDUE, x->asof == ROUTE_NONE ? "" :
	    flag(res.overdue), x->asof == ROUTE_NONE ? 0 : 1);

	x->state[res.state]++;
	x->light[res.light]++;
	x->by_default += res.route_default;
	x->escalated += res.state != ROUTE_VOIDED && res.escalated;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct job_opts jo = { NULL, NULL, -1, NULL, argc, argv };
	struct router x, *xs;
	void **args;
	size_t nx, j;
	const char *routing = NULL, *asof = NULL;
	char pathbuf[4096], dirbuf[4096], iso[TIME_DATETIME_LEN + 1];
	const char *dir;
	struct err e;
	int ch, i, k, rc, off;

	prog_init(&prog, "event-route", usage_text);
	memset(&x, 0, sizeof x);
	x.asof = ROUTE_NONE;
	x.limit_secs = ROUTE_NONE;
	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "ho:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			routing = optarg;
			break;
		case OPT_ASOF:
			asof = optarg;
			break;
		case OPT_OVERDUE:
			x.overdue_only = true;
			break;
		default:
			prog_option(&prog, ch, optarg, &jo);
		}
	}
	argc -= optind;
	argv += optind;
	if (routing == NULL)
		prog_usage_error(&prog, "no routing file: give -r", NULL);
	prog_options_check(&prog, &jo);
	if (x.overdue_only && asof == NULL)
		prog_usage_error(&prog, "--overdue needs --asof", NULL);

	routing = prog_config_path(routing, "routing", pathbuf, sizeof pathbuf);
	if ((dir = getenv("GRID_SCHEMA_DIR")) == NULL || *dir == '\0')
		dir = GRID_SCHEMA_DIR;
	snprintf(dirbuf, sizeof dirbuf, "%s/calendars", dir);
	if (route_load_file(&x.r, routing, dirbuf, &e) != 0)
		prog_die(&prog, &e);
	if (asof != NULL) {
		if (time_parse_datetime(asof, strlen(asof),
		    calendar_offset(x.r->cal), iso, &e) != 0 ||
		    time_iso_to_epoch(iso, strlen(iso), &x.asof, &off) != 0) {
			route_free(x.r);
			prog_usage_error(&prog, "bad --asof", asof);
		}
	}
	prog_open(&prog, &jo);
	prog_manifest_file(&prog, MANIFEST_CONFIG, routing, -1);

	/* a router per thread, each counting its share */
	nx = prog_threads();
	xs = mem_calloc(nx, sizeof *xs);
	args = mem_calloc(nx, sizeof *args);
	if (xs == NULL || args == NULL) {
		mem_free(xs);
		mem_free(args);
		route_free(x.r);
		err_nomem(&e);
		prog_die(&prog, &e);
	}
	for (j = 0; j < nx; j++) {
		xs[j] = x;
		args[j] = &xs[j];
	}
	if (argc == 0)
		prog_filter_par(&prog, "-", own_name, NOWN, on_header, on_row,
		    args, nx);
	for (i = 0; i < argc; i++)
		prog_filter_par(&prog, argv[i], own_name, NOWN, on_header,
		    on_row, args, nx);
	for (j = 0; j < nx; j++) {
		for (k = 0; k < 4; k++) {
			x.state[k] += xs[j].state[k];
			x.light[k] += xs[j].light[k];
		}
		x.by_default += xs[j].by_default;
		x.escalated += xs[j].escalated;
	}
	mem_free(xs);
	mem_free(args);
	if (prog.stats) {
		buf_printf(&prog.extra, "; open %llu, closed %llu, suspended "
		    "%llu, voided %llu", x.state[ROUTE_OPEN],
		    x.state[ROUTE_CLOSED], x.state[ROUTE_SUSPENDED],
		    x.state[ROUTE_VOIDED]);
		for (k = ROUTE_GREEN; k <= ROUTE_RED; k++)
			buf_printf(&prog.extra, ", %s %llu",
			    route_light_name(k), x.light[k]);
		buf_printf(&prog.extra, ", escalated %llu, default route %llu",
		    x.escalated, x.by_default);
	}
	rc = prog_exit(&prog);
	route_free(x.r);
	return rc;
}
