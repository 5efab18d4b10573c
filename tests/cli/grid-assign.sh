# grid-assign: whole-program tests.  Run from the repository root.
#
# The registry (data/assign/grids.tsv): one district, street and community
# over 112.90..112.92 E, 27.80..27.81 N, split into two grids at 112.91:
# 430302001001001 (west, with a hole 112.904..112.906 x 27.804..27.806) and
# 430302001001002 (east, a MULTIPOLYGON).
. tests/cli/lib.sh
D=tests/cli/data/assign
G="-g $D/grids.tsv"
ALL="--places $D/places.tsv --addresses $D/addresses.tsv"

# the value of field F of the record whose id is ID in $T/out
field() {
	awk -F'\t' -v f="$1" -v id="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
	    c[$i] = i; next } $c["id"] == id { print $c[f] }' "$T/out"
}
expect_field() {	# ID FIELD VALUE
	got=$(field "$2" "$1")
	if [ "$got" = "$3" ]; then ok "$1 $2=$3"
	else notok "$1 $2='$got', expected '$3'"; fi
}

# --- every method, every reason, with --keep-unassigned ---------------------
run "all methods" grid-assign $G $ALL --keep-unassigned $D/events.tsv
expect_status 0
expect_out $D/keep.out
expect_err_empty
expect_field inside1 assigned_by point
expect_field edge grid 430302001001001		# shared edge: lowest code
expect_field vertex grid 430302001001001	# shared vertex: lowest code
expect_field hole assigned_by none		# in the hole: no grid
expect_field holeedge grid 430302001001001	# on the hole's edge: covered
expect_field code assigned_by grid
expect_field codewins assigned_by grid		# the code comes first
expect_field badcodept assigned_by point	# a bad code, then the point
expect_field badcode grid 430302001001099	# unplaced: kept as it was
expect_field building grid 430302001001002
expect_field addr grid 430302001001002		# 十八号 = 18号, longest prefix
expect_field addrroad grid 430302001001001	# the road's entry

run "stats line counts methods" grid-assign $G $ALL --keep-unassigned --stats \
    $D/events.tsv
expect_err_text "grid-assign: read 20, written 20, rejected 0; assigned by grid 2, point 5, snap 0, place 1, address 2, none 10"

# --- rejects: every reason ---------------------------------------------------
run "reasons" grid-assign $G $ALL --rejects "$T/rej.tsv" --stats $D/events.tsv
expect_status 0
expect_err_has "read 20, written 10, rejected 10 ("
for r in "bad coordinates: 1" "no location: 1" "outside every grid: 3" \
    "unknown address: 1" "unknown building: 2" "unknown grid code: 2"; do
	expect_err_has "$r"
done
expect_true "rejects keep the raw record" grep -q "^reject	grid-assign	$D/events.tsv	5	lon	outside every grid	event\\\\thole\\\\t\\\\t112.905\\\\t27.805\\\\t\\\\t	$" "$T/rej.tsv"
expect_true "rejects hold every unplaced record" sh -c "[ \$(awk 'NR > 1' '$T/rej.tsv' | wc -l) = 10 ]"
expect_true "rejects file is mode 600" sh -c "[ \$(stat -c %a '$T/rej.tsv') = 600 ]"

run "first reject is fatal without --rejects" grid-assign $G $D/events.tsv
expect_status 65
expect_err_text "grid-assign: $D/events.tsv:5: field 'lon': outside every grid"
run "no partial output on failure" sh -c "grid-assign $G -o '$T/o.tsv' $D/events.tsv; test ! -e '$T/o.tsv'"
expect_status 0

run "max-rejects" grid-assign $G --rejects "$T/r2.tsv" --max-rejects 2 $D/events.tsv
expect_status 65
expect_err_has "more than 2 rejected rows"

# --- snapping ------------------------------------------------------------------
# near20m is 0.0002 degrees east of the east edge: 19.7 m on the ground.
run "snap 30 m" grid-assign $G --snap 30 --by point $D/events.tsv --keep-unassigned
expect_status 0
expect_field near20m grid 430302001001002
expect_field near20m assigned_by snap
expect_field far assigned_by none
run "snap 15 m is too short" grid-assign $G --snap 15 --by point --keep-unassigned $D/events.tsv
expect_field near20m assigned_by none

# --- --by ------------------------------------------------------------------------
run "--by point ignores codes" grid-assign $G --by point --keep-unassigned $D/events.tsv
expect_field code assigned_by none
expect_field codewins assigned_by point
run "--by address,grid" grid-assign $G $ALL --by address,grid --keep-unassigned $D/events.tsv
expect_field addr assigned_by address
expect_field inside1 assigned_by none
run "--by unknown method" grid-assign $G --by gps $D/events.tsv
expect_status 64
expect_err_has "unknown method in --by 'gps'"
run "--by twice" grid-assign $G --by point,point $D/events.tsv
expect_status 64

# --- idempotent: a second run replaces its own fields ---------------------------
run "second run" sh -c "grid-assign $G $ALL --keep-unassigned $D/events.tsv | grid-assign $G $ALL --keep-unassigned"
expect_status 0
expect_true "same header after two runs" sh -c "[ \"\$(head -1 '$T/out')\" = \"\$(head -1 '$D/keep.out')\" ]"
expect_true "no field twice" sh -c "head -1 '$T/out' | tr '\t' '\n' | sort | uniq -d | grep -q . && exit 1 || exit 0"

# --- the registry ------------------------------------------------------------------
run "registry from grid-import" sh -c "grid-import -s schemas/grid.yaml $D/grids.csv | grid-assign -g - --by point --keep-unassigned $D/events.tsv"
expect_status 0
expect_true "same answers from the imported registry" sh -c "grid-assign $G --by point --keep-unassigned $D/events.tsv | cmp -s - '$T/out'"
run "registry with structural problems" grid-assign -g $D/bad-grids.tsv $D/events.tsv
expect_status 65
expect_err_has "structural problems (run grid-assign --check)"
run "registry missing" grid-assign -g $D/nonexistent.tsv $D/events.tsv
expect_status 66
run "no registry" grid-assign $D/events.tsv
expect_status 64
expect_err_has "no grid registry: give -g"
run "bad layout" grid-assign $G --layout cjt999 $D/events.tsv
expect_status 64

# --- --check ---------------------------------------------------------------------------
run "check finds planted problems" grid-assign --check -g $D/bad-grids.tsv
expect_status 65
expect_out $D/check.out
for k in bad_wkt not_polygon duplicate orphan code_parent invalid overlap gap; do
	expect_true "check reports $k" grep -q "^grid_issue	$k	" "$T/out"
done
run "check: a hole no child covers is a gap" grid-assign --check -g $D/grids.tsv
expect_status 65
expect_true "the hole, 0.002 x 0.002 degrees, 43747 m2" grep -q "^grid_issue	gap	430302001001		43747		4$" "$T/out"
run "check on a clean registry" grid-assign --check -g $D/clean.tsv
expect_status 0
expect_out_text "kind	issue	code	other	area_m2	reason	line"
run "check --min-area hides the small" grid-assign --check -g $D/bad-grids.tsv --min-area 1000000
expect_true "no overlap over 1 km2" sh -c "! grep -q overlap '$T/out'"
run "check takes no records" grid-assign --check -g $D/grids.tsv $D/events.tsv
expect_status 64

# --- places and address files -----------------------------------------------------------
printf 'kind\tbuilding_id\tgrid\nbuilding\tB1\t430302009009009\n' >"$T/badplace.tsv"
run "place with an unknown grid" grid-assign $G --places "$T/badplace.tsv" $D/events.tsv
expect_status 65
expect_err_has "$T/badplace.tsv:2: field 'grid': grid code not in the registry"
printf 'kind\tbuilding_id\tgrid\nbuilding\tB1\t430302001001001\nbuilding\tB1\t430302001001002\n' >"$T/twice.tsv"
run "place twice" grid-assign $G --places "$T/twice.tsv" $D/events.tsv
expect_status 65
expect_err_has "place listed twice with different grids"
printf 'kind\taddress\tgrid\naddress\t建设路18号\t430302001001001\naddress\t建设路十八号\t430302001001002\n' >"$T/addr2.tsv"
run "address twice" grid-assign $G --addresses "$T/addr2.tsv" $D/events.tsv
expect_status 65
expect_err_has "$T/addr2.tsv:3: field 'address': address listed twice with different values"

# --- inputs -------------------------------------------------------------------------
run "no field to place by" sh -c "printf 'kind\tx\nevent\t1\n' | grid-assign $G"
expect_status 65
expect_err_has "no field to place records by"
run "headers must agree" sh -c "printf 'kind\tid\tlon\tlat\nevent\tq\t112.902\t27.802\n' >'$T/h.tsv'; grid-assign $G --keep-unassigned $D/events.tsv '$T/h.tsv'"
expect_status 65
expect_err_has "header differs from the first input's"
run "standard input" sh -c "grid-assign $G $ALL --keep-unassigned <$D/events.tsv"
expect_out $D/keep.out
run "bad record line is rejected" sh -c "printf 'kind\tid\tlon\tlat\nevent\tq\t112.902\n' | grid-assign $G --rejects '$T/r3.tsv' --stats"
expect_status 0
expect_err_has "rejected 1"

# --- personal data never in diagnostics: a canary address ------------------------------
printf 'kind\tid\taddress\nevent\tc1\t金丝雀路13800138000号\n' >"$T/canary.tsv"
run "canary address" grid-assign $G --addresses $D/addresses.tsv "$T/canary.tsv"
expect_status 65
expect_true "no address in stderr" sh -c "! grep -q 13800138000 '$T/err'"

# --- manifest -----------------------------------------------------------------------------
run "manifest names registry, places, addresses" grid-assign $G $ALL --keep-unassigned --manifest "$T/man.tsv" -o "$T/m.out" $D/events.tsv
expect_status 0
for f in grids.tsv places.tsv addresses.tsv events.tsv; do
	expect_true "manifest has $f" grep -q "$f" "$T/man.tsv"
done

# --- pipes, help, version -------------------------------------------------------------------
run "closed pipe is quiet" sh -c "grid-assign $G $ALL --keep-unassigned $D/events.tsv $D/events.tsv | head -1 >/dev/null"
expect_err_empty
# --- an output that cannot be written: status 74 ---------------------------
run "output to /dev/full" grid-assign $G $ALL --keep-unassigned -o /dev/full $D/events.tsv
expect_status 74
expect_err_has "grid-assign: write error on '/dev/full': No space left on device"
run "stdout to /dev/full" sh -c "grid-assign $G $ALL --keep-unassigned $D/events.tsv >/dev/full"
expect_status 74

run "--progress" grid-assign $G $ALL --keep-unassigned --progress $D/events.tsv
expect_status 0
expect_err_has "grid-assign: $D/events.tsv: 20 records, 100%"
run "help" grid-assign -h
expect_status 0
expect_true "-h matches the man page SYNOPSIS" sh tests/cli/synopsis.sh grid-assign "$T/out"
run "version" grid-assign --version
expect_status 0
expect_err_empty
