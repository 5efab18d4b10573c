# event-route: whole-program tests.  Run from the repository root.
#
# data/route/events.tsv holds one event per case, named by its event_id;
# the routing file is the shipped schemas/routing/example.yaml on the
# shipped 2017 calendar (windows 08:30-12:00 and 14:30-17:30, 390 working
# minutes a day).  0101 暴露垃圾 has 1 working day, 0102 道路不洁 4 working
# hours, 0201 5 working days.
. tests/cli/lib.sh
D=tests/cli/data/route
# bare calendar names resolve in the repository's schemas, not the installed ones
GRID_SCHEMA_DIR=$PWD/schemas
export GRID_SCHEMA_DIR
R="-r schemas/routing/example.yaml"
ASOF="--asof 2017-06-07T09:00"

field() {	# FIELD ID: the value in $T/out
	awk -F'\t' -v f="$1" -v id="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
	    c[$i] = i; next } $c["event_id"] == id { print $c[f] }' "$T/out"
}
expect_field() {	# ID FIELD VALUE
	got=$(field "$2" "$1")
	if [ "$got" = "$3" ]; then ok "$1 $2=$3"
	else notok "$1 $2='$got', expected '$3'"; fi
}

run "every case as of a time" event-route $R $ASOF --rejects "$T/rej.tsv" $D/events.tsv
expect_status 0
expect_out $D/asof.out
expect_err_empty
# states
expect_field green state closed
expect_field open state open
expect_field suspended state suspended
expect_field voided state voided
# lights: 80 % is green, 100 % yellow, beyond red
expect_field green light green
expect_field edge80 light green
expect_field yellow light yellow
expect_field edge100 light yellow
expect_field red light red
expect_field voided light ""
# the examples: filed 16:00 Fri 2017-09-29, one working day: due on
# the make-up Saturday
expect_field green handle_due 2017-09-30T16:30:00+08:00
expect_field green dispatch_due 2017-09-30T09:00:00+08:00
expect_field green verify_due 2017-10-09T10:00:00+08:00
expect_field green handle_work_min 150
expect_field red handle_ontime 0
# suspension is not counted: 5 June 08:30 to 6 June 09:00 is 420 minutes
expect_field suspended handle_work_min 420
expect_field resumed handle_work_min 1200
# self-handled: no dispatch, handled at the grid
expect_field self dispatch_due ""
expect_field self handled_level grid
# escalation by the ladder and by department; severity raises the level
expect_field escalated handled_level street
expect_field escalated escalated 1
expect_field bydept handled_level district
expect_field urgent route_level street
expect_field urgent handle_limit_min 195
expect_field default route_default 1
expect_field sub category_name 道路不洁
# as of the time: open and past due
expect_field open overdue 1
expect_field open handle_ontime 0
expect_field open handle_work_min 810

# --- rejects: each reason -------------------------------------------------------
for r in "'closed' before 'reported'" "'handled' before 'filed'" \
    "'dispatched' on a self-handled event" "outside the calendar" \
    "not a canonical date and time" "not 1 or 0"; do
	expect_true "rejected: $r" grep -qF "$r" "$T/rej.tsv"
done
expect_true "six rejects" sh -c "[ \$(awk 'NR > 1' '$T/rej.tsv' | wc -l) = 6 ]"
run "first reject is fatal without --rejects" event-route $R $D/events.tsv
expect_status 65
expect_err_text "event-route: $D/events.tsv:17: field 'closed': 'closed' before 'reported'"

# --- without --asof nothing depends on the clock ---------------------------------
run "no asof" event-route $R --rejects /dev/null $D/events.tsv
expect_status 0
expect_field open light ""
expect_field open overdue ""
expect_field open handle_ontime ""

# --- --overdue ----------------------------------------------------------------------
run "overdue list" event-route $R $ASOF --overdue --rejects /dev/null --stats $D/events.tsv
expect_status 0
expect_true "only the open, late event" sh -c "cut -f2 '$T/out' | tail -n +2 | tr '\n' ' ' | grep -qx 'open '"
expect_err_has "skipped 14"
run "--overdue needs --asof" event-route $R --overdue $D/events.tsv
expect_status 64
expect_err_has "--overdue needs --asof"
run "bad --asof" event-route $R --asof yesterday $D/events.tsv
expect_status 64
run "--asof before an event" event-route $R --asof 2017-06-05T08:10 --rejects "$T/r2.tsv" $D/events.tsv
expect_true "asof before an instant is a reject" grep -q "asof" "$T/r2.tsv"

# --- stats ------------------------------------------------------------------------------
run "stats" event-route $R $ASOF --rejects /dev/null --stats $D/events.tsv
expect_err_has "read 21, written 15, rejected 6"
expect_err_has "open 1, closed 12, suspended 1, voided 1, green 9, yellow 2, red 3, escalated 5, default route 1"

# --- routing and calendar files ------------------------------------------------------------
run "bare routing name" env GRID_SCHEMA_DIR=schemas event-route -r example --rejects /dev/null $ASOF $D/events.tsv
expect_out $D/asof.out
run "no routing file" event-route $D/events.tsv
expect_status 64
run "routing file missing" event-route -r $T/none.yaml $D/events.tsv
expect_status 66
printf 'calendar: cn-2017\nsteps: {}\ncategories: []\ndefault: {level: town, handle: {limit: 1, unit: work_days}}\n' >"$T/bad.yaml"
run "bad routing file" env GRID_SCHEMA_DIR=schemas event-route -r "$T/bad.yaml" $D/events.tsv
expect_status 65
expect_err_has "$T/bad.yaml:4:"
printf 'calendar: nowhere\nsteps: {}\ncategories: []\ndefault: {level: grid, handle: {limit: 1, unit: work_days}}\n' >"$T/nocal.yaml"
run "calendar missing" env GRID_SCHEMA_DIR=schemas event-route -r "$T/nocal.yaml" $D/events.tsv
expect_status 66
run "not events" sh -c "printf 'kind\tx\nperson\t1\n' | event-route $R"
expect_status 65
expect_err_has "no field 'reported'"

# --- idempotent, pipes, manifest, help --------------------------------------------------------
run "second run replaces its fields" sh -c "event-route $R $ASOF --rejects /dev/null $D/events.tsv | event-route $R $ASOF"
expect_out $D/asof.out
run "manifest names the routing file" event-route $R --rejects /dev/null --manifest "$T/m.tsv" -o "$T/o.tsv" $D/events.tsv
expect_true "routing file in manifest" grep -q "example.yaml" "$T/m.tsv"
run "closed pipe is quiet" sh -c "cat $D/events.tsv $D/events.tsv | sed '23d' | event-route $R --rejects /dev/null | head -1 >/dev/null"
expect_err_empty
# --- an output that cannot be written: status 74 ---------------------------
run "output to /dev/full" event-route $R --rejects /dev/null -o /dev/full $D/events.tsv
expect_status 74
expect_err_has "event-route: write error on '/dev/full': No space left on device"
run "stdout to /dev/full" sh -c "event-route $R --rejects /dev/null $D/events.tsv >/dev/full"
expect_status 74

run "--progress" event-route $R --rejects /dev/null --progress $D/events.tsv
expect_status 0
expect_err_has "event-route: $D/events.tsv: 21 records, 100%"
run "help" event-route -h
expect_status 0
expect_true "-h matches the man page SYNOPSIS" sh tests/cli/synopsis.sh event-route "$T/out"
run "version" event-route --version
expect_status 0
