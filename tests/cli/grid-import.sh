# grid-import: whole-program tests.  Run from the repository root.
. tests/cli/lib.sh
D=tests/cli/data
S="-s $D/t.yaml"
K="--key-file $D/key"
chmod 600 $D/key	# git does not keep the mode

# --- good input, in every dialect, gives the same records ------------------
for f in good good-gb18030 good-bom-crlf good-semicolon good-tab; do
	run "import $f.csv" grid-import $S $K $D/$f.csv
	expect_status 0
	expect_out $D/good.out
	expect_err_empty
done
run "delimiter and encoding given" grid-import $S $K --delimiter ';' \
    --encoding utf-8 $D/good-semicolon.csv
expect_status 0
expect_out $D/good.out
run "gb18030 given" grid-import $S $K --encoding gb18030 $D/good-gb18030.csv
expect_out $D/good.out
run "standard input" sh -c "grid-import $S $K <$D/good.csv"
expect_status 0
expect_out $D/good.out
run "dash is standard input" sh -c "grid-import $S $K - <$D/good.csv"
expect_out $D/good.out

# --- the key from the environment; key files others can read are refused --
run "GRID_KEY_FILE" env GRID_KEY_FILE=$D/key grid-import $S $D/good.csv
expect_status 0
expect_out $D/good.out
cp $D/key "$T/key644" && chmod 644 "$T/key644"
run "key readable by others" grid-import $S --key-file "$T/key644" $D/good.csv
expect_status 64
expect_err_has "grid-import: "
expect_err_has "is accessible by group or others"
run "no key for pseudonymised fields" env -u GRID_KEY_FILE grid-import $S $D/good.csv
expect_status 64
expect_err_has "field 'name': the schema pseudonymises this field"

# --- bad rows ----------------------------------------------------------------
run "first bad row stops" grid-import $S $K $D/bad.csv
expect_status 65
expect_err_text "grid-import: $D/bad.csv:2: field 'citizen_id': not a valid citizen ID number"
run "stats after a fatal row" grid-import $S $K --stats $D/bad.csv
expect_status 65
expect_err_text "grid-import: $D/bad.csv:2: field 'citizen_id': not a valid citizen ID number
grid-import: read 1, written 0, rejected 1 (not a valid citizen ID number: 1)"
run "rejects file" grid-import $S $K --rejects "$T/rej" --stats $D/bad.csv
expect_status 0
expect_err_text "grid-import: read 10, written 1, rejected 9 (4 fields where the header has 9: 1, coordinates outside China: 1, does not match the code pattern: 1, not a valid citizen ID number: 1, not a valid date: 1, not a valid date and time: 1, not a valid phone number: 1, not one of the allowed values: 1, required field is empty: 1)"
expect_true "rejects has a header and 9 rows" test "$(wc -l <"$T/rej")" -eq 10
expect_true "rejects holds each row whole" sh -c \
    "cut -f7 '$T/rej' | tail -n +2 | cmp -s - '$D/bad.csv.rows'"
expect_true "rejects give line and reason" grep -q \
    "^reject	grid-import	$D/bad.csv	8	rid	does not match the code pattern	" "$T/rej"
expect_true "rejects file is private" sh -c "ls -l '$T/rej' | grep -q '^-rw-------'"
run "max-rejects" grid-import $S $K --rejects "$T/rej2" --max-rejects 2 $D/bad.csv
expect_status 65
expect_err_text "grid-import: more than 2 rejected rows"
expect_true "no rejects file left behind" test ! -e "$T/rej2"

# --- the bad-input list -------------------------------------------------------
printf 'a,b\n' >"$T/empty-field-names.csv"
: >"$T/empty.csv"
run "empty file" grid-import $S $K "$T/empty.csv"
expect_status 65
expect_err_text "grid-import: $T/empty.csv: empty input (no header row)"
printf '编号,姓名\n' >"$T/header-only.csv"
run "header only" grid-import $S $K "$T/header-only.csv"
expect_status 0
expect_out_text "$(head -1 $D/good.out)"
printf '姓名\n张三\n' >"$T/no-id.csv"
run "required column missing" grid-import $S $K "$T/no-id.csv"
expect_status 65
expect_err_text "grid-import: $T/no-id.csv:1: field 'rid': no column for this required field"
printf '编号,id\nR001,R002\n' >"$T/dup-col.csv"
run "two columns for one field" grid-import $S $K "$T/dup-col.csv"
expect_status 65
expect_err_text "grid-import: $T/dup-col.csv:1: field 'rid': columns 1 and 2 both map to this field"
printf '编号,颜色\nR001,红\n' >"$T/extra.csv"
run "unknown column warned" grid-import $S $K "$T/extra.csv"
expect_status 0
expect_err_text "grid-import: $T/extra.csv:1: column '颜色' is not in the schema, ignored"
printf '编号,人数\nR001,3\nR002,"4\n' >"$T/trunc.csv"
run "unterminated quote at end" grid-import $S $K --rejects "$T/r" "$T/trunc.csv"
expect_status 0
expect_true "unterminated quote rejected" grep -q "unterminated quoted field" "$T/r"
printf '编号,人数\nR001,3\nR00\0002,4\nR003,5\n' >"$T/nul.csv"
run "NUL byte" grid-import $S $K --rejects "$T/r" --stats "$T/nul.csv"
expect_status 0
expect_err_has "read 3, written 2, rejected 1 (NUL byte in row: 1)"
printf '编号,人数\nR001,3\nR002,\377\376\n' >"$T/latin.csv"
run "invalid UTF-8 forced" grid-import $S $K --encoding utf-8 --rejects "$T/r" \
    "$T/latin.csv"
expect_status 0
expect_true "invalid row kept as base64" grep -q "	base64$" "$T/r"
printf '编号,人数\nR001,3\r\nR002,4\r\n' >"$T/crlf.csv"
run "CRLF" grid-import $S $K "$T/crlf.csv"
expect_status 0
expect_true "no CR in output" sh -c "! grep -q \"\$(printf '\\r')\" '$T/out'"
awk 'BEGIN { printf "编号,备注\nR001,"; for (i = 0; i < 1048577; i++) printf "x"; printf "\nR002,y\n" }' >"$T/big.csv"
run "1 MiB field" grid-import $S $K --rejects "$T/r" --stats "$T/big.csv"
expect_status 0
expect_err_has "read 2, written 1, rejected 1 (field longer than 1048576 bytes: 1)"
printf '编号,登记时间\nR001,2017-02-30 10:00\nR002,2017-04-01 10:00\n' >"$T/date.csv"
run "impossible date" grid-import $S $K "$T/date.csv"
expect_status 65
expect_err_text "grid-import: $T/date.csv:2: field 'seen': not a valid date and time"
printf '编号,人数\nR001,3\nR001,4\nR002,5\n' >"$T/dup.csv"
run "duplicate id" grid-import $S $K --rejects "$T/r" --stats "$T/dup.csv"
expect_status 0
expect_err_text "grid-import: read 3, written 2, rejected 1 (duplicate value of a unique field: 1)"
expect_true "the second row is the rejected one" grep -q "	3	rid	duplicate value of a unique field	R001,4	" "$T/r"
printf '编号,人数\nR002,6\n' >"$T/dup2.csv"
run "duplicate id across files" grid-import $S $K "$T/dup.csv" "$T/dup2.csv"
expect_status 65
expect_err_text "grid-import: $T/dup.csv:3: field 'rid': duplicate value of a unique field"

# --- usage, input and output errors ------------------------------------------
run "no schema" grid-import $D/good.csv
expect_status 64
expect_err_has "no schema"
run "unknown option" grid-import $S --frobnicate $D/good.csv
expect_status 64
run "bad encoding" grid-import $S --encoding latin1 $D/good.csv
expect_status 64
expect_err_has "unknown encoding 'latin1'"
run "bad delimiter" grid-import $S --delimiter '|' $D/good.csv
expect_status 64
run "bad tz" grid-import $S --tz '+25:00' $D/good.csv
expect_status 64
run "max-rejects without rejects" grid-import $S --max-rejects 3 $D/good.csv
expect_status 64
run "missing schema" grid-import -s "$T/nope.yaml" $D/good.csv
expect_status 66
run "missing input" grid-import $S $K "$T/nope.csv"
expect_status 66
expect_err_text "grid-import: cannot open '$T/nope.csv': No such file or directory"
run "output to /dev/full" grid-import $S $K -o /dev/full $D/good.csv
expect_status 74
expect_err_text "grid-import: write error on '/dev/full': No space left on device"
run "stdout to /dev/full" sh -c "grid-import $S $K $D/good.csv >/dev/full"
expect_status 74
expect_true "/dev/full is still a device" test -c /dev/full
echo old >"$T/kept.tsv"
run "failed run keeps the old -o file" grid-import $S $K -o "$T/kept.tsv" $D/bad.csv
expect_status 65
expect_true "old file untouched" sh -c "[ \"\$(cat '$T/kept.tsv')\" = old ]"
expect_true "no temp file left" sh -c "[ \$(ls '$T' | grep -c kept) -eq 1 ]"
run "-o writes atomically" grid-import $S $K -o "$T/kept.tsv" $D/good.csv
expect_status 0
expect_true "-o file has the records" cmp -s "$T/kept.tsv" $D/good.out
awk 'BEGIN { print "编号,人数"; for (i = 0; i < 200000; i++) printf "R%03d,%d\n", i % 1000, i }' >"$T/many.csv"
echo old >"$T/target.tsv" && ln -s target.tsv "$T/link.tsv"
run "-o through a symbolic link" grid-import $S $K -o "$T/link.tsv" $D/good.csv
expect_status 0
expect_true "the link stays a link" test -L "$T/link.tsv"
expect_true "the file it points to is replaced" cmp -s "$T/target.tsv" $D/good.out
run "rejects to /dev/stderr" sh -c "grid-import $S $K --rejects /dev/stderr $D/bad.csv 2>'$T/rej-stderr'"
expect_status 0
expect_true "/dev/stderr is still a link" test -L /dev/stderr
expect_true "rejects went to standard error" test "$(wc -l <"$T/rej-stderr")" -eq 10
run "closed pipe ends quietly" sh -c "grid-import $S $K --rejects '$T/r' '$T/many.csv' | head -1 >/dev/null"
expect_status 0
expect_err_empty

# --- --crs: the file's coordinate system over the schema's ------------------
lonlat() { awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lon") l = i }
    NR == 2 { print $l, $(l + 1) }' "$T/out"; }
run "--crs wgs84 keeps the numbers" grid-import $S $K --crs wgs84 $D/good.csv
expect_status 0
expect_true "wgs84 as written" sh -c "[ '$(lonlat)' = '112.9 27.85' ]"
run "--crs gcj02 is the schema's own" grid-import $S $K --crs gcj02 $D/good.csv
expect_out $D/good.out
run "--crs bd09" grid-import $S $K --crs bd09 $D/good.csv
expect_status 0
# BD-09 (112.9, 27.85) is GCJ-02 (112.8935112, 27.8439373), then WGS-84
expect_true "bd09 moved the point" sh -c "[ '$(lonlat)' = '112.8881371 27.8474248' ]"
run "--crs unknown" grid-import $S --crs mars $D/good.csv
expect_status 64
expect_err_has "--crs 'mars': unknown coordinate system"
run "--crs on a schema without lon and lat" grid-import -s schemas/person.yaml --crs bd09 $D/good.csv
expect_status 64
expect_err_has "the schema has no lon and lat fields"

# --- time zones, help, version ----------------------------------------------
printf '编号,登记时间\nR001,2017-03-14 09:30\nR002,2017-03-14T09:30:00Z\n' >"$T/tz.csv"
run "--tz" grid-import $S $K --tz +00:00 "$T/tz.csv"
expect_status 0
expect_true "offset applied, explicit offset kept" sh -c \
    "cut -f9 '$T/out' | tail -2 | tr '\n' ' ' | grep -qx '2017-03-14T09:30:00+00:00 2017-03-14T09:30:00+00:00 '"
run "-h" grid-import -h
expect_status 0
expect_true "usage names every option" grep -q -- "--max-rejects" "$T/out"
expect_true "-h matches the man page SYNOPSIS" sh tests/cli/synopsis.sh grid-import "$T/out"
run "--version" grid-import --version
expect_out_text "grid-import (gridkit) $(sed -n 's/^VERSION *= *//p' Makefile)"

# --- the manifest -------------------------------------------------------------
run "manifest" env GRID_MANIFEST="$T/manifest" grid-import $S $K -o "$T/m.tsv" \
    --rejects "$T/mr" $D/bad.csv
expect_status 0
expect_true "manifest header and one line" test "$(wc -l <"$T/manifest")" -eq 2
expect_true "manifest input sha256" grep -q \
    "$(sha256sum $D/bad.csv | cut -c1-64):10:$D/bad.csv" "$T/manifest"
expect_true "manifest output sha256" grep -q \
    "$(sha256sum "$T/m.tsv" | cut -c1-64):1:$T/m.tsv" "$T/manifest"
expect_true "manifest config sha256" grep -q \
    "$(sha256sum $D/t.yaml | cut -c1-64)::$D/t.yaml" "$T/manifest"
expect_true "manifest rejects sha256" grep -q \
    "$(sha256sum "$T/mr" | cut -c1-64):9:$T/mr" "$T/manifest"

# --- personal data never reaches stderr -----------------------------------------
: >"$T/allerr"
for args in "$D/bad.csv" "--rejects $T/r --stats $D/bad.csv" \
    "--encoding utf-8 $D/good-gb18030.csv" "--max-rejects 0 --rejects $T/r $D/bad.csv"; do
	grid-import $S $K $args >/dev/null 2>>"$T/allerr"
done
env -u GRID_KEY_FILE grid-import $S $D/bad.csv >/dev/null 2>>"$T/allerr"
for canary in 金丝雀 430302198001011234 430302198001011235 13912345678 139123 \
    CANARY-SECRET 1980-02-30 "25:30"; do
	expect_true "no '$canary' on stderr" sh -c "! grep -qF -- '$canary' '$T/allerr'"
done

# --- determinism: locales and time zones ------------------------------------------
for env in "LC_ALL=C TZ=UTC" "LC_ALL=de_DE.UTF-8 TZ=Asia/Shanghai" \
    "LC_ALL=zh_CN.UTF-8 TZ=America/New_York"; do
	run "same bytes under $env" env $env grid-import $S $K $D/good.csv
	expect_out $D/good.out
done
