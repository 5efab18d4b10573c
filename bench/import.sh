#!/bin/sh
# bench/import.sh - grid-import throughput beside cat, Miller, mawk and GNU
# datamash on one generated event CSV; rec-cat beside split-loop on the
# records grid-import writes.  See bench/README.md.
#
#   sh bench/import.sh [rows]        (default 1000000)
#
# Environment: O (build folder, default build-bench), RUNS (runs of each
# command, default 5), WARMUP (untimed runs first, default 1), CC,
# HYPERFINE=no to time with the shell loop even when hyperfine is there.
#
# Reports the median wall time of RUNS runs of each command (output to
# /dev/null), rows/s, MB/s (10^6 bytes of input per second) and the ratio
# to Miller's throughput.  The goals are reported, never enforced: the
# status is 0 whenever the measures could be taken, 1 when something could
# not be built or generated, 64 for a bad argument.
set -u

cd "$(dirname "$0")/.." || exit 1
N=${1:-1000000}
case $N in
''|*[!0-9]*|0) echo "usage: sh bench/import.sh [rows]" >&2; exit 64 ;;
esac
O=${O:-build-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
CC=${CC:-cc}
B=$O/bench
CSV=$B/events-$N.csv
TSV=$B/events-$N.tsv
KEY=$B/bench.key
KEEP=$B/event-keep.yaml
OUT=$B/import-$N.txt
mkdir -p "$B" || exit 1

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/import.sh: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
# stale TARGET SOURCE...: true when TARGET is missing or older than a source
stale() {
	t=$1; shift
	[ -e "$t" ] || return 0
	for s; do
		[ -n "$(find "$s" -newer "$t" 2>/dev/null)" ] && return 0
	done
	return 1
}

# ---- build ----
say "building into $O (log: $B/make.log)"
if ! make O="$O" >"$B/make.log" 2>&1; then
	tail -20 "$B/make.log" >&2
	die "make O=$O failed"
fi
LIB=$O/lib/libgrid.a
GI=$O/bin/grid-import
LIBS="$(pkg-config --libs yaml-0.1 libcrypto) -lcsv -lm"
if stale "$B/gen-events" bench/gen-events.c; then
	$CC -O2 -std=c11 -o "$B/gen-events" bench/gen-events.c ||
	    die "cannot build gen-events"
fi
if stale "$B/rec-cat" bench/rec-cat.c "$LIB" lib/rec.h lib/out.h; then
	# shellcheck disable=SC2086
	$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -iquote lib \
	    -o "$B/rec-cat" bench/rec-cat.c "$LIB" $LIBS ||
	    die "cannot build rec-cat"
fi
if stale "$B/split-loop" bench/split-loop.c; then
	$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -o "$B/split-loop" bench/split-loop.c || die "cannot build split-loop"
fi

# ---- data ----
if stale "$CSV" "$B/gen-events"; then
	say "generating $N rows into $CSV"
	if ! { "$B/gen-events" "$N" >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"; }; then
		rm -f "$CSV.tmp"
		die "cannot generate $CSV"
	fi
fi
if [ ! -s "$KEY" ]; then
	# A fixed key, so that the output is the same on every run: this is a
	# benchmark key, not a secret.  The mode must be 0600.
	(umask 077 && printf 'gridkit-bench-key-0123456789abcdef\n' >"$KEY")
fi
chmod 600 "$KEY"
# The shipped schema with every field's pii policy set to keep: no HMAC.
sed 's/^\([[:space:]][[:space:]]*\)pii:.*/\1pii: keep/' schemas/event.yaml \
    >"$KEEP" || die "cannot write $KEEP"

# The check run: every row must import, and its output is rec-cat's input.
say "checking that every row imports"
"$GI" -s schemas/event.yaml --key-file "$KEY" --stats \
    --rejects "$B/rejects-$N.csv" "$CSV" >"$TSV" 2>"$B/check.err" ||
    { cat "$B/check.err" >&2; die "grid-import failed on $CSV"; }
stats=$(grep 'read ' "$B/check.err")
case $stats in
*"rejected 0"*) ;;
*) say "WARNING: rows were rejected ($stats); see $B/rejects-$N.csv" ;;
esac

CSVB=$(wc -c <"$CSV")
TSVB=$(wc -c <"$TSV")

# ---- timing ----
# median_of: the median of the numbers on standard input, one a line.
median_of() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ "${HYPERFINE:-}" != no ] && have hyperfine; then
	USE_HF=1
	TIMER="hyperfine $(hyperfine --version | awk '{ print $2 }')"
else
	USE_HF=0
	TIMER="shell loop (date +%s%N)"
fi

# measure CMD: print the median wall time in seconds, or "failed".
measure() {
	if [ "$USE_HF" = 1 ]; then
		rm -f "$B/hf.json"
		hyperfine --runs "$RUNS" --warmup "$WARMUP" --style none \
		    --output null --export-json "$B/hf.json" -- "$1" \
		    >/dev/null 2>"$B/hf.err" || { echo failed; return; }
		sed -n 's/^ *"median": *\([0-9.e+-]*\).*/\1/p' "$B/hf.json" |
		    head -1
		return
	fi
	i=0
	while [ "$i" -lt "$WARMUP" ]; do
		sh -c "$1" >/dev/null 2>&1 || { echo failed; return; }
		i=$((i + 1))
	done
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

# One line of the table: LABEL SECONDS BYTES REFSECONDS
row() {
	awk -v l="$1" -v t="$2" -v b="$3" -v r="$4" -v n="$N" 'BEGIN {
		if (t == "failed" || t == "" || t + 0 < 0) {
			printf "%-44s %9s\n", l, "failed"; exit }
		if (t + 0 == 0) {	# below the timer resolution
			printf "%-44s %9s\n", l, "too short"; exit }
		ratio = (r == "" || r == "failed") ? "" : sprintf("%.2fx", r / t)
		printf "%-44s %9.3f %12.0f %9.1f %8s\n", l, t, n / t, b / t / 1e6, ratio
	}'
}

say "timing: $RUNS runs each (+$WARMUP warm-up), $TIMER"
q() { printf "'%s'" "$1"; }	# quote a path for sh -c
T_CAT=$(measure "cat $(q "$CSV")")
T_GI=$(measure "$(q "$GI") -s schemas/event.yaml --key-file $(q "$KEY") $(q "$CSV")")
T_GIK=$(measure "$(q "$GI") -s $(q "$KEEP") $(q "$CSV")")
if have mlr; then
	T_MLR=$(measure "mlr --icsv --otsv cat $(q "$CSV")")
else
	T_MLR=failed
fi
# shellcheck disable=SC2016
MAWKPROG='{ $1 = $1; print }'
if have mawk; then
	T_MAWK=$(measure "mawk -F, -v OFS='\t' '$MAWKPROG' $(q "$CSV")")
else
	T_MAWK=failed
fi
if have datamash; then
	T_DM=$(measure "datamash -t, --header-in count 1 <$(q "$CSV")")
else
	T_DM=failed
fi
T_RC=$(measure "$(q "$B/rec-cat") <$(q "$TSV")")
T_SL=$(measure "$(q "$B/split-loop") <$(q "$TSV")")

{
	echo "gridkit bench/import.sh: $N rows"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "timer:   $TIMER; median of $RUNS runs after $WARMUP warm-up; output to /dev/null"
	echo "input:   $CSV ($CSVB bytes); records $TSV ($TSVB bytes)"
	echo "check:   $stats"
	echo "tools:   $(mlr --version 2>/dev/null); $(mawk -W version 2>&1 | head -1); $(datamash --version 2>/dev/null | head -1)"
	echo
	printf '%-44s %9s %12s %9s %8s\n' "CSV ($N rows)" "median s" "rows/s" "MB/s" "vs mlr"
	row "cat > /dev/null (I/O floor)" "$T_CAT" "$CSVB" "$T_MLR"
	row "grid-import, shipped schema (HMAC-SM3)" "$T_GI" "$CSVB" "$T_MLR"
	row "grid-import, every pii: keep" "$T_GIK" "$CSVB" "$T_MLR"
	row "mlr --icsv --otsv cat" "$T_MLR" "$CSVB" "$T_MLR"
	row "mawk -F, split and join (no CSV quoting)" "$T_MAWK" "$CSVB" "$T_MLR"
	row "datamash -t, --header-in count 1" "$T_DM" "$CSVB" "$T_MLR"
	echo
	printf '%-44s %9s %12s %9s %8s\n' "records ($N rows)" "median s" "rows/s" "MB/s" "vs loop"
	row "split-loop (getline, memchr TAB, fwrite)" "$T_SL" "$TSVB" "$T_SL"
	row "rec-cat (rec_read, rec_write)" "$T_RC" "$TSVB" "$T_SL"
	echo
	awk -v gi="$T_GI" -v gik="$T_GIK" -v m="$T_MLR" -v rc="$T_RC" \
	    -v sl="$T_SL" 'function verdict(ok) { return ok ? "met" : "NOT met" }
	BEGIN {
		if (gi + 0 > 0 && m + 0 > 0) {
			printf "goal: grid-import >= 10x Miller: shipped schema %.2fx, %s; ", m / gi, verdict(m / gi >= 10)
			printf "pii keep %.2fx, %s\n", m / gik, verdict(m / gik >= 10)
		}
		if (rc + 0 > 0 && sl + 0 > 0)
			printf "goal: rec-cat >= 0.5x split-loop: %.2fx, %s\n", sl / rc, verdict(sl / rc >= 0.5)
	}'
	echo "note: mawk and datamash split on every comma and line end: they do not parse CSV quoting"
} | tee "$OUT"
say "table saved in $OUT"
exit 0
