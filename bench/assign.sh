#!/bin/sh
# bench/assign.sh - grid-assign point-in-polygon throughput beside PostGIS
#
#   sh bench/assign.sh [points] [side]     (default 1000000 points, side 100:
#                                           100 x 100 = 10,000 leaf grids)
#
# Environment: O (build folder, default build-bench), RUNS (default 5),
# WARMUP (default 1), CC, PG=no to leave PostGIS out.  Needs root (or a
# running PostgreSQL 15 with PostGIS and a "postgres" superuser) for the
# PostGIS half: it installs postgresql-15-postgis-3 with apt-get when it is
# missing and starts the cluster.  Not part of `make test`; the goals are
# reported, never enforced.
#
# What is timed, each as the median wall time of RUNS runs:
#   grid-assign  reading the registry (WKT parsing, prepared geometries,
#                STRtree), then every point: records in, records out;
#   PostGIS      (timed once, see below) one psql session: create and load both tables from the
#                same files (\copy), build a GiST index on the grids, and
#                write, for every point, the lowest grid code whose polygon
#                ST_Covers it (\copy ... to /dev/null) - load included.
# Peak memory of grid-assign (max RSS, GNU time) at a tenth of the points
# and at all of them shows whether memory grows with the points.  The
# check run compares the two answers point by point.
set -u

cd "$(dirname "$0")/.." || exit 1
N=${1:-1000000}
SIDE=${2:-100}
case $N$SIDE in
''|*[!0-9]*) echo "usage: sh bench/assign.sh [points] [side]" >&2; exit 64 ;;
esac
O=${O:-build-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
CC=${CC:-cc}
B=$O/bench
GRIDS=$B/grids-$SIDE.tsv
PTS=$B/points-$N.tsv
PTS10=$B/points-$((N / 10)).tsv
OUT=$B/assign-$N.txt
mkdir -p "$B" || exit 1

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/assign.sh: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
q() { printf "'%s'" "$1"; }

say "building into $O (log: $B/make.log)"
make O="$O" >"$B/make.log" 2>&1 || { tail -20 "$B/make.log" >&2; die "make failed"; }
GA=$O/bin/grid-assign
$CC -O2 -std=c11 -o "$B/gen-grids" bench/gen-grids.c -lm ||
    die "cannot build gen-grids"

[ -s "$GRIDS" ] || "$B/gen-grids" grids "$SIDE" >"$GRIDS" || die "gen grids"
[ -s "$PTS" ] || "$B/gen-grids" points "$N" "$SIDE" >"$PTS" || die "gen points"
[ -s "$PTS10" ] || "$B/gen-grids" points $((N / 10)) "$SIDE" >"$PTS10" ||
    die "gen points"
NONE=$B/points-0.tsv
head -1 "$PTS" >"$NONE"
LEAVES=$((SIDE * SIDE))

median_of() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure CMD: the median wall time in seconds of RUNS runs, or "failed"
measure() {
	i=0
	while [ "$i" -lt "$WARMUP" ]; do
		sh -c "$1" >/dev/null 2>&1 || { echo failed; return; }
		i=$((i + 1))
	done
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

# peak resident memory in KiB of CMD
peak() {
	/usr/bin/time -f %M sh -c "exec $1 >/dev/null" 2>&1 >/dev/null | tail -1
}

# ---- grid-assign ----
say "check run: grid-assign over $N points"
"$GA" -g "$GRIDS" --keep-unassigned --stats "$PTS" >"$B/ga-$N.tsv" \
    2>"$B/ga.err" || { cat "$B/ga.err" >&2; die "grid-assign failed"; }
stats=$(grep 'read ' "$B/ga.err")
CMD="$(q "$GA") -g $(q "$GRIDS") --keep-unassigned $(q "$PTS")"
say "timing grid-assign: $RUNS runs (+$WARMUP warm-up)"
T_GA=$(measure "$CMD")
T_LOAD=$(measure "$(q "$GA") -g $(q "$GRIDS") --keep-unassigned $(q "$NONE")")
if [ -x /usr/bin/time ]; then
	M_ALL=$(peak "$CMD")
	M_TENTH=$(peak "$(q "$GA") -g $(q "$GRIDS") --keep-unassigned $(q "$PTS10")")
	M_NONE=$(peak "$(q "$GA") -g $(q "$GRIDS") --keep-unassigned $(q "$NONE")")
else
	M_ALL=n/a M_TENTH=n/a M_NONE=n/a
fi

# ---- PostGIS ----
T_PG=skipped AGREE="not compared"
PGV=
if [ "${PG:-}" != no ]; then
	if ! [ -x /usr/lib/postgresql/15/bin/postgres ] ||
	    ! [ -e /usr/share/postgresql/15/extension/postgis.control ]; then
		say "installing postgresql-15-postgis-3"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    postgresql-15-postgis-3 >"$B/apt.log" 2>&1 ||
		    say "cannot install PostGIS (see $B/apt.log)"
	fi
	if have pg_ctlcluster; then
		pg_ctlcluster 15 main start 2>/dev/null || true
	fi
	PSQL="su postgres -c 'psql -X -q -v ON_ERROR_STOP=1'"
	PSQLF="su postgres -c 'psql -X -q -v ON_ERROR_STOP=1 -f"
	if sh -c "$PSQL" </dev/null 2>/dev/null; then
		echo "create extension if not exists postgis;" | sh -c "$PSQL" ||
		    say "cannot create the postgis extension"
		PGV=$(echo "select postgis_lib_version();" |
		    su postgres -c 'psql -X -At')
		# psql runs as postgres: give it readable copies of the inputs
		PGD=$(mktemp -d /tmp/gridkit-bench.XXXXXX) || die "mktemp"
		chmod 755 "$PGD"
		# the leaves only, as grid-assign indexes only the leaves
		awk -F'\t' 'NR > 1 && $4 == "grid" { print $2 "\t" $6 }' \
		    "$GRIDS" >"$PGD/grids"
		awk -F'\t' 'NR > 1 { print NR - 1 "\t" $2 "\t" $3 "\t" $4 }' \
		    "$PTS" >"$PGD/points"
		chmod 644 "$PGD/grids" "$PGD/points"
		cat >"$PGD/run.sql" <<EOF
drop table if exists bench_g, bench_gt, bench_p, bench_pt;
create unlogged table bench_gt (code text, wkt text);
create unlogged table bench_pt (n bigint, id text, lon float8, lat float8);
\\copy bench_gt from '$PGD/grids'
\\copy bench_pt from '$PGD/points'
create unlogged table bench_g as
    select code, ST_GeomFromText(wkt, 4326) as geom from bench_gt;
create index on bench_g using gist (geom);
analyze bench_g;
\\copy (select p.id, (select g.code from bench_g g where ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) order by g.code limit 1) from bench_pt p order by p.n) to '$PGD/out'
EOF
		chmod 644 "$PGD/run.sql"
		chown postgres "$PGD"
		# PostGIS is timed once, on this run: at 1,000,000 points one
		# run takes minutes, and it is the slow side of the ratio.
		say "check run: PostGIS (timed once)"
		t0=$(date +%s%N)
		if sh -c "$PSQLF $PGD/run.sql'" 2>"$B/pg.err"; then
			t1=$(date +%s%N)
			T_PG=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
			cp "$PGD/out" "$B/pg-leaf.tsv"
			awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			    { print $c["point_id"] "\t" $c["grid"] }' \
			    "$B/ga-$N.tsv" >"$B/ga-leaf.tsv"
			dl=$(paste "$B/pg-leaf.tsv" "$B/ga-leaf.tsv" |
			    awk -F'\t' '{ p = ($2 == "\\N") ? "" : $2 }
			    p != $4 || $1 != $3' | wc -l)
			AGREE="$dl points differ (of $N)"
		else
			cat "$B/pg.err" >&2
			T_PG=failed
		fi
		echo "drop table if exists bench_g, bench_gt, bench_p, bench_pt;" |
		    sh -c "$PSQL" 2>/dev/null
		rm -rf "$PGD"
	else
		say "no PostgreSQL to talk to: PostGIS skipped"
	fi
fi

{
	echo "gridkit bench/assign.sh: $N points, $LEAVES leaf grids (side $SIDE)"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "timer:   median of $RUNS runs after $WARMUP warm-up (date +%s%N)"
	echo "check:   $stats"
	echo "PostGIS: ${PGV:-none}; answers: $AGREE"
	echo
	awk -v n="$N" -v ga="$T_GA" -v ld="$T_LOAD" -v pg="$T_PG" 'BEGIN {
		printf "%-46s %9s %12s\n", "", "median s", "points/s"
		printf "%-46s %9.3f\n", "grid-assign, registry only (no points)", ld
		printf "%-46s %9.3f %12.0f\n", "grid-assign, all points (load included)", ga, n / ga
		if (ga > ld)
			printf "%-46s %9.3f %12.0f\n", "grid-assign, points alone (minus load)", ga - ld, n / (ga - ld)
		if (pg + 0 > 0)
			printf "%-46s %9.3f %12.0f\n", "PostGIS, load + GiST + ST_Covers", pg, n / pg
		if (pg + 0 > 0 && ga + 0 > 0)
			printf "\ngrid-assign is %.1fx faster than PostGIS (load included)\n", pg / ga
	}'
	echo
	echo "peak RSS of grid-assign: registry only $M_NONE KiB; $((N / 10)) points $M_TENTH KiB; $N points $M_ALL KiB"
	echo "goals: >= 1,000,000 points/s; >= 5x PostGIS; memory flat in the number of points"
} | tee "$OUT"
