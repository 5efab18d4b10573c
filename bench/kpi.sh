#!/bin/sh
# bench/kpi.sh - kpi-score grouping beside Miller, datamash and a C loop
#
#   sh bench/kpi.sh [events]          (default 10000000)
#
# Environment: O (default build-bench), RUNS (default 3), WARMUP (default
# 1), CC.  Not part of `make test`; goals reported, never enforced: at
# least 10x Miller, within 3x of the C group-count loop, and peak memory
# that grows with the groups, not the records (1/10 of the events vs all).
#
# The events (seeded mawk, same bytes every run): 5,000 grid workers
# (reporter_id), 20 streets, a year of reported times, self_handled 0/1,
# handle_work_min with one decimal, and a `month` column for the tools that
# cannot cut one from a date-time (datamash).  kpi-score reads
# bench/kpi-bench.yaml: a count, a rate with a where filter and a mean,
# with scores, by month x worker and by month x street.
set -u

cd "$(dirname "$0")/.." || exit 1
N=${1:-10000000}
case $N in
''|*[!0-9]*|0) echo "usage: sh bench/kpi.sh [events]" >&2; exit 64 ;;
esac
O=${O:-build-bench}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
CC=${CC:-cc}
B=$O/bench
OUT=$B/kpi-$N.txt
mkdir -p "$B" || exit 1
say() { printf '%s\n' "$*" >&2; }
die() { say "bench/kpi.sh: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
q() { printf "'%s'" "$1"; }

make O="$O" >"$B/make.log" 2>&1 || { tail -20 "$B/make.log" >&2; die "make failed"; }
KS=$O/bin/kpi-score
$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$B/group-count" \
    bench/group-count.c || die "cannot build group-count"

gen() {	# gen N FILE
	[ -s "$2" ] && return 0
	say "generating $1 events into $2"
	mawk -v n="$1" 'BEGIN {
	srand(20171231)
	OFS = "\t"
	print "kind", "event_id", "reporter_id", "street", "month",
	    "reported", "self_handled", "handle_work_min"
	for (i = 1; i <= n; i++) {
		w = 1 + int(rand() * 5000)
		m = 1 + int(rand() * 12)
		d = 1 + int(rand() * 28)
		printf "event\tE%d\tW%04d\tS%02d\t2017-%02d\t2017-%02d-%02dT%02d:%02d:00+08:00\t%d\t%.1f\n",
		    i, w, 1 + (w % 20), m, m, d, 8 + int(rand() * 10),
		    int(rand() * 60), rand() < 0.85, rand() * 900
	}
	}' >"$2.tmp" && mv "$2.tmp" "$2" || die "cannot generate $2"
}
EV=$B/kpi-events-$N.tsv
EV10=$B/kpi-events-$((N / 10)).tsv
gen "$N" "$EV"
gen $((N / 10)) "$EV10"

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
		sh -c "$1" >/dev/null 2>"$B/measure.err" || { echo failed; return; }
		t1=$(date +%s%N)
		echo $((t1 - t0)) >>"$B/times"
		i=$((i + 1))
	done
	awk '{ printf "%.6f\n", $1 / 1e9 }' "$B/times" | median_of
}
peak() { /usr/bin/time -f %M sh -c "exec $1 >/dev/null" 2>&1 >/dev/null | tail -1; }

KW="$(q "$KS") -i bench/kpi-bench.yaml --period month --by worker"
KST="$(q "$KS") -i bench/kpi-bench.yaml --period month --by street"
say "check run"
sh -c "$KW --stats $(q "$EV")" >"$B/kpi-worker.tsv" 2>"$B/kpi.err" ||
    { cat "$B/kpi.err" >&2; die "kpi-score failed"; }
stats=$(cat "$B/kpi.err")
say "timing ($RUNS runs each)"
T_KW=$(measure "$KW $(q "$EV")")
T_KS=$(measure "$KST $(q "$EV")")
T_GC=$(measure "$(q "$B/group-count") 5 7 2 <$(q "$EV")")
T_GCS=$(measure "$(q "$B/group-count") 5 7 3 <$(q "$EV")")
if have mlr; then
	T_MLR=$(measure "mlr --tsv stats1 -a count,sum,mean -f self_handled,handle_work_min -g month,reporter_id $(q "$EV")")
	T_MLRC=$(measure "mlr --tsv count -g month,reporter_id $(q "$EV")")
else
	T_MLR=failed T_MLRC=failed
fi
if have datamash; then
	T_DM=$(measure "datamash -s -H -g 5,3 count 1 sum 7 mean 8 <$(q "$EV")")
else
	T_DM=failed
fi
M_ALL=$(peak "$KW $(q "$EV")")
M_TENTH=$(peak "$KW $(q "$EV10")")
M_GC=$(peak "$(q "$B/group-count") 5 7 2 <$(q "$EV")")

{
	echo "gridkit bench/kpi.sh: $N events, 5000 workers, 20 streets, 12 months"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "timer:   median of $RUNS runs after $WARMUP warm-up; output to /dev/null"
	echo "tools:   $(mlr --version 2>/dev/null); $(datamash --version 2>/dev/null | head -1)"
	echo "check:   $stats"
	echo
	awk -v n="$N" -v kw="$T_KW" -v ks="$T_KS" -v gc="$T_GC" -v gcs="$T_GCS" \
	    -v mlr="$T_MLR" -v mlrc="$T_MLRC" -v dm="$T_DM" 'BEGIN {
		printf "%-58s %9s %12s\n", "", "median s", "records/s"
		row("kpi-score month x worker (count, rate, mean, scores)", kw)
		row("kpi-score month x street", ks)
		row("group-count month x worker (C, count only)", gc)
		row("group-count month x street", gcs)
		row("mlr stats1 count,sum,mean -g month,reporter_id", mlr)
		row("mlr count -g month,reporter_id", mlrc)
		row("datamash -s -g month,reporter_id count sum mean", dm)
		if (kw + 0 > 0 && mlr + 0 > 0)
			printf "\nkpi-score (worker) is %.1fx Miller stats1, %.1fx mlr count; %.1fx the time of the C loop\n", mlr / kw, mlrc / kw, kw / gc
	}
	function row(l, t) {
		if (t == "failed" || t + 0 <= 0) { printf "%-58s %9s\n", l, "failed"; return }
		printf "%-58s %9.3f %12.0f\n", l, t, n / t
	}'
	echo
	echo "peak RSS of kpi-score by month x worker: $((N / 10)) events $M_TENTH KiB; $N events $M_ALL KiB (group-count: $M_GC KiB)"
	echo "goals: >= 10x Miller; within 3x of the C loop; memory by groups, not records"
} | tee "$OUT"
