#!/bin/sh
# bench/route.sh - event-route throughput beside a minimal C loop and mawk
#
#   sh bench/route.sh [events]          (default 1000000)
#
# Environment: O (build folder, default build-bench), RUNS (default 5),
# WARMUP (default 1), CC.  Not part of `make test`; the goals (at least
# 1,000,000 events/s, within 3x of the C loop) are reported, never enforced.
#
# The events: records as grid-import writes them (schemas/event.yaml
# fields that event-route reads), made by a seeded mawk program: reported
# on a workday of 2017-01-03..2017-11-30 between 07:00 and 19:00, then filed,
# dispatched, handled, verified and closed minutes to days apart, a tenth
# self-handled, some still open, some suspended, a few voided; categories
# from schemas/routing/example.yaml and a few unknown ones.
#
# Timed, as the median wall time of RUNS runs, output to /dev/null:
#   event-route -r example --asof 2017-12-01T09:00 (the whole judgement)
#   split-loop: getline, split on TAB with memchr, write (bench/split-loop.c)
#   mawk: the calendar hours between reported and handled of each event, by
#     civil-date arithmetic on the ISO text (no working calendar)
set -u

cd "$(dirname "$0")/.." || exit 1
N=${1:-1000000}
case $N in
''|*[!0-9]*|0) echo "usage: sh bench/route.sh [events]" >&2; exit 64 ;;
esac
O=${O:-build-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
CC=${CC:-cc}
B=$O/bench
EV=$B/routed-events-$N.tsv
OUT=$B/route-$N.txt
mkdir -p "$B" || exit 1

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/route.sh: $*"; exit 1; }
q() { printf "'%s'" "$1"; }

make O="$O" >"$B/make.log" 2>&1 || { tail -20 "$B/make.log" >&2; die "make failed"; }
ER=$O/bin/event-route
$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$B/split-loop" \
    bench/split-loop.c || die "cannot build split-loop"
export GRID_SCHEMA_DIR="$PWD/schemas"

if [ ! -s "$EV" ]; then
	say "generating $N events into $EV"
	mawk -v n="$N" 'BEGIN {
	srand(20170314)
	OFS = "\t"
	split("0101 0102 0103 0201 0301 0401 0402 0101 0102 9901", cat, " ")
	split("low low low normal normal high urgent", sev, " ")
	print "kind", "event_id", "category", "severity", "self_handled",
	    "voided", "reported", "filed", "dispatched", "handled", "verified",
	    "closed", "suspended_from", "suspended_to"
	base = 17169	# days from 1970-01-01 to 2017-01-03
	for (i = 1; i <= n; i++) {
		d = base + int(rand() * 330)
		if ((d + 4) % 7 >= 5) d += 2	# weekends to Monday-ish
		t = d * 86400 + 7 * 3600 + int(rand() * 12 * 3600) - 8 * 3600
		self = rand() < 0.1
		r = t; f = r + 60 * int(1 + rand() * 90)
		p = self ? "" : f + 60 * int(1 + rand() * 120)
		h = (self ? f : p) + 60 * int(1 + rand() * 2000)
		v = h + 60 * int(1 + rand() * 600)
		c = v + 60 * int(1 + rand() * 600)
		x = rand(); sf = st = ""
		if (x < 0.05) { v = c = "" }
		else if (x < 0.08) { h = v = c = ""; sf = (self ? f : p) + 3600 }
		else if (x < 0.10) { st = (self ? f : p) + 86400; sf = st - 7200
			h = st + 3600; v = h + 60; c = v + 60 }
		print "event", "E" i, cat[1 + int(rand() * 10)],
		    sev[1 + int(rand() * 7)], self ? 1 : 0, (x > 0.995) ? 1 : 0,
		    iso(r), iso(f), iso(p), iso(h), iso(v), iso(c), iso(sf), iso(st)
	}
	}
	function iso(s,   z, era, doe, yoe, y, doy, mp, dd, m, sec) {
		if (s == "") return ""
		s += 8 * 3600
		z = int(s / 86400); sec = s - z * 86400
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); dd = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
		return sprintf("%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, dd,
		    int(sec / 3600), int(sec % 3600 / 60), sec % 60)
	}' >"$EV.tmp" && mv "$EV.tmp" "$EV" || die "cannot generate events"
fi

say "check run"
"$ER" -r example --asof 2017-12-01T09:00 --rejects "$B/route-rejects.tsv" \
    --stats "$EV" >/dev/null 2>"$B/route.err" || { cat "$B/route.err" >&2; die "event-route failed"; }
stats=$(cat "$B/route.err")

median_of() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
measure() {
	i=0
	while [ "$i" -lt "$WARMUP" ]; do sh -c "$1" >/dev/null 2>&1; i=$((i + 1)); done
	: >"$B/times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		sh -c "$1" >/dev/null 2>&1 || { echo failed; return; }
		t1=$(date +%s%N)
		echo $((t1 - t0)) >>"$B/times"
		i=$((i + 1))
	done
	awk '{ printf "%.6f\n", $1 / 1e9 }' "$B/times" | median_of
}

# shellcheck disable=SC2016
MAWKPROG='function days(s,  y, m, d) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0
	d = substr(s, 9, 2) + 0; if (m <= 2) { y--; m += 12 }
	return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
function secs(s) { return days(s) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2) }
NR > 1 && $10 != "" { printf "%s\t%.2f\n", $2, (secs($10) - secs($7)) / 3600 }'
T_ER=$(measure "$(q "$ER") -r example --asof 2017-12-01T09:00 --rejects /dev/null $(q "$EV")")
T_SL=$(measure "$(q "$B/split-loop") <$(q "$EV")")
T_MAWK=$(measure "mawk -F'\t' '$MAWKPROG' $(q "$EV")")

{
	echo "gridkit bench/route.sh: $N events"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "timer:   median of $RUNS runs after $WARMUP warm-up; output to /dev/null"
	echo "check:   $stats"
	echo
	awk -v n="$N" -v er="$T_ER" -v sl="$T_SL" -v mk="$T_MAWK" 'BEGIN {
		printf "%-52s %9s %12s\n", "", "median s", "events/s"
		printf "%-52s %9.3f %12.0f\n", "event-route (routing, calendar, judgement)", er, n / er
		printf "%-52s %9.3f %12.0f\n", "split-loop (getline, memchr split, write)", sl, n / sl
		printf "%-52s %9.3f %12.0f\n", "mawk (calendar hours reported -> handled)", mk, n / mk
		printf "\nevent-route takes %.1fx the time of the C loop; %.2fx mawk\n", er / sl, er / mk
	}'
	echo "goals: >= 1,000,000 events/s; within 3x of the C loop"
} | tee "$OUT"
