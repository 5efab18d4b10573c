#!/bin/sh
# parallel.sh BIN [DIR] - the evaluation of DIR (default out, a finished
# `make` run) again, with the map stages on both cores: GNU parallel cuts
# each imported file into blocks (--pipe --header 1, every block with the
# header), runs grid-assign (and event-route for the events) on each block
# and kpi-score --partial after it; kpi-score --merge then finishes all the
# partials.  The result must be DIR/kpi.tsv byte for byte.  Prints
# "ok ..." or "not ok ..." and exits 0 or 1.
#
# The houses, households and people are placed by the assigned buildings
# and houses, which the parallel run makes itself first (blocks put back in
# order with -k, the repeated headers dropped).
set -eu
LC_ALL=C
export LC_ALL
bin=$(cd "$1" && pwd)
dir=${2:-out}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ -f "$dir/kpi.tsv" ] || { echo "not ok parallel: no $dir/kpi.tsv (run make first)"; exit 1; }
cd "$dir"
work=$(mktemp -d /tmp/xiangtan-par.XXXXXX)
trap 'rm -rf "$work"' EXIT
unset GRID_MANIFEST
export GRID_SCHEMA_DIR=schemas PATH="$bin:$PATH"
L=district:6,street:3,community:3,grid:3,unit:2
K="kpi-score -i conf/indicators.yaml --period year --by all,street,grid --partial"
A="grid-assign -g grids.tsv --layout $L"
P="parallel --pipe --header 1 -j2 --block 1M"
onehead() { awk 'NR == 1 { h = $0; print; next } $0 != h'; }

# the places first, whole, for --places
$P -k "$A --by point" <import/buildings.tsv | onehead >"$work/buildings.tsv"
$P -k "$A --by place --places $work/buildings.tsv" <import/houses.tsv | onehead >"$work/houses.tsv"

# every kind: map stages and partial counts per block
$P --block 50k --files "$A --by point | event-route -r conf/routing.yaml | $K" <import/events.tsv >"$work/parts"
$P --files "$A --by point | $K" <import/patrols.tsv >>"$work/parts"
$P --files "$A --by point | $K" <import/orgs.tsv >>"$work/parts"
$P --files "$A --by grid | $K" <import/activities.tsv >>"$work/parts"
$P --files "$K" <"$work/buildings.tsv" >>"$work/parts"
$P --files "$K" <"$work/houses.tsv" >>"$work/parts"
$P --files "$A --by place --places $work/houses.tsv | $K" <import/households.tsv >>"$work/parts"
$P --files "$A --by place --places $work/houses.tsv | $K" <import/people.tsv >>"$work/parts"
$K grids.tsv >"$work/grids.partial"
n=$(wc -l <"$work/parts" | tr -d ' ')
# shellcheck disable=SC2046
kpi-score -i conf/indicators.yaml --period year --by all,street,grid --merge \
    $(cat "$work/parts") "$work/grids.partial" >"$work/kpi.tsv"
xargs rm -f <"$work/parts"
if cmp -s "$work/kpi.tsv" kpi.tsv; then
	echo "ok parallel: $n partials on 2 cores merge to $dir/kpi.tsv byte for byte"
else
	echo "not ok parallel: the merged kpi.tsv differs from $dir/kpi.tsv"
	exit 1
fi
