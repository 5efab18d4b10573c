#!/bin/sh
# bench/pipeline.sh [EVENTS [PEOPLE [GRIDS]]] - the whole gridkit pipeline
# at province scale (default 10,000,000 events, 10,000,000 people, 5,000
# grids), with the generator of examples/xiangtan-2017 (gen --events
# --people --grids).  Every stage is timed with /usr/bin/time -f "%e %M"
# (wall seconds, peak RSS in KiB), first single-process, then with the map
# stages (grid-assign, event-route) and the counting (kpi-score --partial)
# under GNU parallel on both cores, merged with kpi-score --merge; the two
# kpi files must be the same bytes.  The report is rendered as Markdown, and
# with the scores of every grid as HTML (the map of all the basic grids)
# and XLSX.  Not part of make test.
#
# Environment: O (build folder, default build), WORK (data folder, default
# $O/bench/pipeline; about 6 GB at full scale), CC.
set -eu
LC_ALL=C
export LC_ALL
EVENTS=${1:-10000000}
PEOPLE=${2:-10000000}
GRIDS=${3:-5000}
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
WORK=${WORK:-$O/bench/pipeline}
ex=$top/examples/xiangtan-2017
bin=$O/bin
[ -x "$bin/kpi-score" ] || make -C "$top" O="$O" all >/dev/null
mkdir -p "$WORK"
${CC:-cc} -O2 -std=c11 -o "$WORK/gen" "$ex/gen.c" -lm
cd "$WORK"
rm -rf raw rec conf results.txt
mkdir -p rec conf
cp "$ex/routing.yaml" "$ex/indicators.yaml" "$ex/project.yaml" conf/
printf 'bench key - made up, never a real key\n' >conf/bench.key
chmod 600 conf/bench.key
export GRID_SCHEMA_DIR="$top/schemas" PATH="$bin:$PATH"
unset GRID_MANIFEST
L=district:6,street:3,community:3,grid:3
K="kpi-score -i conf/indicators.yaml --period year --by all,street"

# t LABEL MODE CMD...: time one stage, append "LABEL MODE s KiB" to results
t() {
	label=$1 mode=$2
	shift 2
	/usr/bin/time -f "%e %M" -o time.out sh -c "$*"
	echo "$label $mode $(cat time.out)" >>results.txt
	echo "$label $mode $(cat time.out)" >&2
}

t gen - "./gen . --events $EVENTS --people $PEOPLE --grids $GRIDS"
t import-grids 1 "grid-import -s $top/schemas/grid.yaml -o rec/grids.tsv raw/grids.csv"
t import-events 1 "grid-import -s $top/schemas/event.yaml --crs wgs84 --key-file conf/bench.key -o rec/events.tsv raw/events.csv"
t import-people 1 "grid-import -s $top/schemas/person.yaml --key-file conf/bench.key -o rec/people.tsv raw/people.csv"

# single process
t assign-events 1 "grid-assign -g rec/grids.tsv --layout $L --by point -o rec/events.a.tsv rec/events.tsv"
t assign-people 1 "grid-assign -g rec/grids.tsv --layout $L --by grid -o rec/people.a.tsv rec/people.tsv"
t route 1 "event-route -r conf/routing.yaml -o rec/events.r.tsv rec/events.a.tsv"
t score 1 "$K -o rec/kpi.tsv rec/events.r.tsv rec/people.a.tsv rec/grids.tsv"
t render 1 "report-render -p conf/project.yaml -f md -o rec/report.md rec/kpi.tsv"
# the yearly report with every grid: the scores by grid, then HTML with the
# map of all the basic grids, and XLSX with every kpi record
t score-grid 1 "kpi-score -i conf/indicators.yaml --period year --by all,street,grid -o rec/kpi-grid.tsv rec/events.r.tsv rec/people.a.tsv rec/grids.tsv"
t render-html 1 "report-render -p conf/project.yaml -f html --grids rec/grids.tsv -o rec/report.html rec/kpi-grid.tsv"
t render-xlsx 1 "SOURCE_DATE_EPOCH=1514764800 report-render -p conf/project.yaml -f xlsx -o rec/report.xlsx rec/kpi-grid.tsv"
rm -f rec/events.a.tsv rec/people.a.tsv rec/events.r.tsv

# both cores: map and count per block, then merge
P="parallel --pipe --header 1 -j2 --block 32M --files"
t assign+route+score-events 2 "$P 'grid-assign -g rec/grids.tsv --layout $L --by point | event-route -r conf/routing.yaml | $K --partial' <rec/events.tsv >parts.txt"
t assign+score-people 2 "$P 'grid-assign -g rec/grids.tsv --layout $L --by grid | $K --partial' <rec/people.tsv >>parts.txt"
t score-merge 2 "$K --partial rec/grids.tsv >rec/grids.partial && $K --merge \$(cat parts.txt) rec/grids.partial -o rec/kpi.par.tsv"
xargs rm -f <parts.txt
if cmp -s rec/kpi.tsv rec/kpi.par.tsv; then same=yes; else same=NO; fi

printf '\n%s events, %s people, %s grids on %s cores; kpi.tsv of both runs the same bytes: %s\n\n' \
    "$EVENTS" "$PEOPLE" "$GRIDS" "$(nproc)" "$same"
printf '| stage | processes | wall s | peak RSS MiB |\n|---|---:|---:|---:|\n'
awk '{ printf "| %s | %s | %s | %.0f |\n", $1, $2, $3, $4 / 1024 }' results.txt
[ "$same" = yes ]
