# kpi-score: whole-program tests.  Run from the repository root.
#
# data/kpi/events.tsv and patrols.tsv are the CJ/T 292 fixture of
# tests/unit/data/indicators/cjt292-fixture.md, where every expected score
# below is worked out by hand.
. tests/cli/lib.sh
GRID_SCHEMA_DIR=$PWD/schemas
export GRID_SCHEMA_DIR
D=tests/cli/data/kpi
EV=$D/events.tsv
PA=$D/patrols.tsv

# the field F of the row with scope id S and indicator I in $T/out
field() {
	awk -F'\t' -v f="$1" -v s="$2" -v i="$3" 'NR == 1 { for (k = 1; k <= NF; k++)
	    c[$k] = k; next } $c["scope_id"] == s && $c["indicator"] == i { print $c[f] }' "$T/out"
}
expect_field() {	# SCOPE_ID INDICATOR FIELD VALUE
	got=$(field "$3" "$1" "$2")
	if [ "$got" = "$4" ]; then ok "$1 $2 $3=$4"
	else notok "$1 $2 $3='$got', expected '$4'"; fi
}

# --- the CJ/T 292 presets reproduce the hand-computed scores ----------------
run "departments" kpi-score -i cjt292-department --period month --by department $EV $PA
expect_status 0
expect_field 城管 total score 62.5
expect_field 城管 total grade C
expect_field 城管 D4 score 22.5
expect_field 环卫 total score 70
expect_field 环卫 D2 value 0.666667
run "areas" kpi-score -i cjt292-area --period month --by street $EV $PA
expect_status 0
expect_field 双马 total score 78.06
expect_field 双马 total grade B
expect_field 双马 A6 score 5.56
expect_field 板塘 total score 61.44
expect_field 板塘 total grade C
run "workers" kpi-score -i cjt292-worker --period month --by worker $EV $PA
expect_status 0
expect_field W1 total score 90
expect_field W1 total grade A
expect_field W2 total score 40
expect_field W2 total grade D
expect_field W3 total score 80
expect_field W3 total grade B
expect_field W3 P1 value 0.333333

# --- periods and scopes ------------------------------------------------------------
run "quarter" kpi-score -i cjt292-department --period quarter $EV
expect_true "quarter label" sh -c "cut -f2 '$T/out' | sort -u | grep -qx 2017-Q3"
run "range skips what lies outside" kpi-score -i cjt292-department --period 2017-09-05..2017-09-10 --stats $EV
expect_status 0
expect_err_has "skipped 6"
expect_true "range label" sh -c "cut -f2 '$T/out' | sort -u | grep -qx 2017-09-05..2017-09-10"
run "all and department" kpi-score -i cjt292-department --by all,department $EV
expect_true "scope all first" sh -c "sed -n 2p '$T/out' | cut -f3 | grep -qx all"
run "n/a, never 0 %" kpi-score -i cjt292-department --by department $EV
expect_field "" D2 value n/a

# --- merge: 1, 2 and 7 parts, any order, the same bytes ------------------------------
I="-i $D/route.yaml --period month"
GRID_SCHEMA_DIR=$PWD/schemas event-route -r schemas/routing/example.yaml \
    --rejects /dev/null tests/cli/data/route/events.tsv >"$T/routed.tsv"
kpi-score $I "$T/routed.tsv" >"$T/single.tsv"
split_parts() {	# N: $T/part.1..N round robin, each with the header
	awk -v n="$1" -v d="$T" 'NR == 1 { h = $0; for (i = 1; i <= n; i++)
	    print h > (d "/part." i); next }
	    { print > (d "/part." ((NR - 2) % n + 1)) }' "$T/routed.tsv"
}
for n in 1 2 7; do
	split_parts $n
	files=
	for i in $(seq $n); do
		kpi-score $I --partial "$T/part.$i" >"$T/p.$i.tsv"
		files="$T/p.$i.tsv $files"	# reversed
	done
	# shellcheck disable=SC2086
	run "merge of $n parts (reversed)" kpi-score $I --merge $files
	expect_status 0
	expect_out "$T/single.tsv"
done
kpi-score $I --partial "$T/part.1" "$T/part.2" >"$T/p12.tsv"
run "merge of merged and single partials" kpi-score $I --merge "$T/p.7.tsv" "$T/p12.tsv" "$T/p.3.tsv" "$T/p.4.tsv" "$T/p.5.tsv" "$T/p.6.tsv"
expect_out "$T/single.tsv"
run "merge refuses another configuration" kpi-score -i $D/route.yaml --period year --merge "$T/p.1.tsv"
expect_status 65
run "records given to --merge" kpi-score $I --merge "$T/routed.tsv"
expect_status 65
expect_err_has "not a kpi_partial file"
run "partials given without --merge" kpi-score $I "$T/p.1.tsv"
expect_status 65
expect_err_has "give --merge"

# --- GNU parallel: the map stages and the counting on both cores ----------------------
if command -v parallel >/dev/null 2>&1; then
	grid-assign -g tests/cli/data/assign/grids.tsv --keep-unassigned \
	    tests/cli/data/route/events.tsv 2>/dev/null |
	    event-route -r schemas/routing/example.yaml --rejects /dev/null |
	    kpi-score $I >"$T/single2.tsv"
	run "parallel --pipe --header 1 -j2" sh -c "parallel --will-cite --pipe --header 1 -j2 -N 4 --files \
	    'grid-assign -g tests/cli/data/assign/grids.tsv --keep-unassigned 2>/dev/null | event-route -r schemas/routing/example.yaml --rejects /dev/null | kpi-score $I --partial' \
	    <tests/cli/data/route/events.tsv >'$T/parts.txt' &&
	    kpi-score $I --merge \$(cat '$T/parts.txt') && rm -f \$(cat '$T/parts.txt')"
	expect_status 0
	expect_out "$T/single2.tsv"
	expect_true "parallel made several parts" sh -c "[ \$(wc -l <'$T/parts.txt') -gt 1 ]"
else
	echo "ok - parallel: not installed, skipped"
fi

# --- errors -------------------------------------------------------------------------------
run "no indicator file" kpi-score $EV
expect_status 64
run "unknown scope" kpi-score -i cjt292-area --by village $EV
expect_status 64
expect_err_has "unknown scope in --by 'village'"
run "bad period" kpi-score -i cjt292-area --period weekly $EV
expect_status 64
run "indicator file missing" kpi-score -i $T/none.yaml $EV
expect_status 66
run "a field the indicators need" sh -c "printf 'kind\tevent_id\nevent\tE1\n' | kpi-score -i cjt292-area"
expect_status 65
expect_err_has "no field"
printf 'kind\tevent_id\treported\tstate\tlight\thandle_work_min\tcategory\n' >"$T/bad.tsv"
printf 'event\tX1\t2017-09-01T09:00:00+08:00\tclosed\tgreen\tabc\t0101\n' >>"$T/bad.tsv"
printf 'event\tX2\t\tclosed\tgreen\t10\t0101\n' >>"$T/bad.tsv"
printf 'event\tX3\t2017-09-01T09:00:00+08:00\tclosed\tgreen\t10\t0101\n' >>"$T/bad.tsv"
run "bad records are rejected" kpi-score $I --rejects "$T/rej.tsv" --stats "$T/bad.tsv"
expect_status 0
expect_err_has "rejected 2"
expect_true "rejects hold the records" sh -c "grep -c '^reject' '$T/rej.tsv' | grep -qx 2"
run "first bad record is fatal without --rejects" kpi-score $I "$T/bad.tsv"
expect_status 65
expect_err_has "bad.tsv:2: field 'handle_work_min'"

# --- determinism, manifest, help -----------------------------------------------------------
run "any locale and time zone" env LC_ALL=zh_CN.UTF-8 TZ=America/New_York kpi-score $I "$T/routed.tsv"
expect_out "$T/single.tsv"
run "manifest" kpi-score $I --manifest "$T/m.tsv" -o "$T/k.tsv" "$T/routed.tsv"
expect_true "manifest names the indicator file" grep -q "route.yaml" "$T/m.tsv"
# --- an output that cannot be written: status 74 ---------------------------
run "output to /dev/full" kpi-score $I -o /dev/full "$T/routed.tsv"
expect_status 74
expect_err_has "kpi-score: write error on '/dev/full': No space left on device"
run "stdout to /dev/full" sh -c "kpi-score $I "$T/routed.tsv" >/dev/full"
expect_status 74

run "--progress" kpi-score -i cjt292-area --progress $EV
expect_status 0
expect_err_has "kpi-score: $EV: 10 records, 100%"
run "help" kpi-score -h
expect_status 0
expect_true "-h matches the man page SYNOPSIS" sh tests/cli/synopsis.sh kpi-score "$T/out"
run "version" kpi-score --version
expect_status 0
