#!/bin/sh
# tests/browser/run.sh - the HTML report in a real browser (make test-browser)
#
# Renders the bundled report example (tests/cli/data/report) as HTML with
# the grid map, opens it in headless Chromium and checks that
#   - the page loads with no console error (Chromium's log at --v=0 shows
#     page console messages as "CONSOLE" lines; a page error as "Uncaught");
#   - the DOM Chromium built has one <path class="grid"> per leaf grid of
#     the registry, and the four charts;
#   - the PDF printed by Chromium (--print-to-pdf, A4 from the page's
#     @page rule) embeds a CJK font (Noto Sans CJK / Source Han), so the
#     Chinese text is drawn with glyphs, not tofu;
#   - the screenshot is a PNG.
# Then the same for the bundled example examples/xiangtan-2017: its report
# has the map of the 34 basic grids (xiangtan.png).
# The screenshots, the PDF, the HTML and the browser logs stay in
# $O/browser/ as the test's artefacts.  Prints "ok N - ..." / "not ok N - ..." lines and
# "N passed, N failed"; exits 1 when a check fails, 77 (skipped) when
# chromium or pdffonts is missing.
#
# Needs: chromium, fonts-noto-cjk, poppler-utils (pdffonts).
O=${O:-build}
BIN=${BIN:-$PWD/$O/bin}
A=$O/browser
D=tests/cli/data/report
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser ||
    command -v google-chrome)}
for t in "$CHROMIUM" "$(command -v pdffonts)"; do
	if [ -z "$t" ]; then
		echo "skip: chromium and pdffonts are needed (make deps)"
		exit 77
	fi
done
mkdir -p "$A"
A=$(cd "$A" && pwd)
rm -f "$A"/report.* "$A"/chromium-*.log
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - browser: $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - browser: $1"; }
check() {	# NAME CMD...
	name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

GRID_SCHEMA_DIR=$PWD/schemas "$BIN/report-render" -p $D/project.yaml \
    --grids $D/grids.tsv -f html -o "$A/report.html" $D/kpi.tsv
check "report-render writes the HTML" test -s "$A/report.html"
url="file://$A/report.html"

# One profile per run, thrown away; no sandbox when running as root (CI
# containers); no network is needed, the page fetches nothing.
prof=$(mktemp -d)
trap 'rm -rf "$prof"' EXIT
browse() {	# LOG ARGS...: headless Chromium on the report
	log=$1
	shift
	timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox \
	    --no-first-run --no-default-browser-check --user-data-dir="$prof" \
	    --enable-logging=stderr --v=0 --hide-scrollbars \
	    --run-all-compositor-stages-before-draw \
	    --virtual-time-budget=5000 "$@" "$url" 2>"$A/$log"
}
browse chromium-screenshot.log --window-size=1240,1754 \
    --screenshot="$A/report.png" >/dev/null
browse chromium-pdf.log --no-pdf-header-footer \
    --print-to-pdf="$A/report.pdf" >/dev/null
browse chromium-dom.log --dump-dom >"$A/report.dom.html"

check "screenshot is a PNG" sh -c "head -c 8 '$A/report.png' | od -An -c |
    grep -q 'P   N   G'"
check "PDF written" sh -c "head -c 5 '$A/report.pdf' | grep -q '%PDF-'"
check "DOM dumped" grep -q '</html>' "$A/report.dom.html"
# console messages of the page: none at all is expected (no scripts)
check "no console errors" sh -c "! cat '$A'/chromium-*.log |
    grep -E 'CONSOLE|Uncaught|Refused to|net::ERR_' >&2"
leaves=$(awk -F'\t' 'NR > 1 { lv[$2] = $4; if ($5 != "") par[$5] = 1 }
    END { for (c in lv) if (!(c in par)) n++; print n }' $D/grids.tsv)
paths=$(grep -o '<path class="grid"' "$A/report.dom.html" | wc -l)
check "map: one shape per grid ($paths of $leaves)" test "$paths" -eq "$leaves"
check "four charts in the DOM" test "$(grep -o '<svg' "$A/report.dom.html" | wc -l)" -eq 4
check "no script element in the DOM" sh -c "! grep -q '<script' '$A/report.dom.html'"
# Skia writes the CFF-flavoured Noto CJK faces as Type 3 fonts, which
# pdffonts lists as "[none]"; their font descriptors still carry the face's
# name, so look there too.  A descriptor exists only for a face that drew
# glyphs, and pdftotext reading the Chinese back shows the glyphs map to
# the characters.
pdffonts "$A/report.pdf" >"$A/report.fonts" 2>&1
strings "$A/report.pdf" | grep -E '/FontName|/FontFamily' >>"$A/report.fonts"
check "PDF embeds a CJK font" grep -qiE 'NotoSansCJK|Noto Sans CJK|SourceHan|Source Han' "$A/report.fonts"
check "PDF text reads back as Chinese" sh -c "command -v pdftotext >/dev/null || exit 0;
    pdftotext '$A/report.pdf' - | grep -q '项目支出绩效评价报告'"
check "PDF fonts are all embedded" sh -c "pdffonts '$A/report.pdf' |
    awk 'NR > 2 && \$(NF-4) != \"yes\" { bad = 1 } END { exit bad }'"
check "PDF is A4" sh -c "command -v pdfinfo >/dev/null || exit 0;
    pdfinfo '$A/report.pdf' | grep -q '^Page size:.*(A4)'"

# The bundled example's report, as `make example` writes it: the map of
# the 34 basic grids and the charts, kept as xiangtan.png.
X=examples/xiangtan-2017
if make -s -C $X BIN="$BIN" OUT="$A/xiangtan" >"$A/xiangtan.log" 2>&1; then
	ok "example report written"
	url="file://$A/xiangtan/report.html"
	browse chromium-xiangtan.log --window-size=1240,3508 \
	    --screenshot="$A/xiangtan.png" >/dev/null
	browse chromium-xiangtan-dom.log --dump-dom >"$A/xiangtan.dom.html"
	check "example: screenshot is a PNG" sh -c "head -c 8 '$A/xiangtan.png' |
	    od -An -c | grep -q 'P   N   G'"
	check "example: no console errors" sh -c "! cat '$A'/chromium-xiangtan*.log |
	    grep -E 'CONSOLE|Uncaught|Refused to|net::ERR_' >&2"
	paths=$(grep -o '<path class="grid"' "$A/xiangtan.dom.html" | wc -l)
	check "example: map of the 34 basic grids ($paths)" test "$paths" -eq 34
	check "example: the charts" test "$(grep -o '<svg' "$A/xiangtan.dom.html" | wc -l)" -ge 4
else
	sed 's/^/# /' "$A/xiangtan.log" | tail -20
	notok "example report written"
fi

echo "$((n - failed)) passed, $failed failed (artefacts in $A)"
[ "$failed" -eq 0 ]
