# report-render: whole-program tests.  Run from the repository root.
#
# data/report/kpi.tsv holds hand-made kpi records in kpi-score's format
# (made by data/report/gen-kpi.py): the fiscal tree with the 2017 seed
# report's figures (388 events, 328 self-handled), twelve months, two
# streets and six grids; grids.tsv the registry of those six grids (one
# with a hole, one a MULTIPOLYGON); project.yaml the project file.
. tests/cli/lib.sh
D=tests/cli/data/report
GRID_SCHEMA_DIR=schemas	# the repository's templates, by a relative path
export GRID_SCHEMA_DIR
P="-p $D/project.yaml"
K=$D/kpi.tsv
G="--grids $D/grids.tsv"

has() {	# TEXT FILE: FILE holds TEXT
	if grep -qF -- "$1" "$2"; then ok "has '$1'"
	else notok "lacks '$1'"; fi
}
hasnt() {
	if grep -qF -- "$1" "$2"; then notok "holds '$1'"
	else ok "no '$1'"; fi
}

# --- Markdown ---------------------------------------------------------------------
run "markdown" report-render $P $G $K
expect_status 0
expect_err_empty
cp "$T/out" "$T/r.md"
has "# 2017年度网格化项目支出绩效评价报告" "$T/r.md"
has "| 项目金额 | 64万元 |" "$T/r.md"
has "| 评价结果 | 96.45（优） |" "$T/r.md"
has "其中网格员自行处置328起，自行处置率84.5%（目标90%）" "$T/r.md"
has "| 　　事件自行处置率 | 15 | 90% | 84.5% | 14.09 |" "$T/r.md"
has "| **综合得分** | 100 | | | **96.45** |" "$T/r.md"
has "| 双马街道 | 180 | 30 | 210 |" "$T/r.md"
has "| 430302002001003 | 第6网格 | n/a |" "$T/r.md"
has "| 12月 | 34 |" "$T/r.md"
has "- 自行处置率84.5%，低于“90%的案件自行处理”的要求。" "$T/r.md"
has "| kpi | tests/cli/data/report/kpi.tsv | 567 | \`" "$T/r.md"
has "## 四、综合评价结论" "$T/r.md"
expect_true "md: the sections in the order of the report" sh -c "
    grep -n '^## ' '$T/r.md' | cut -d: -f2 | tr -d '\n' |
    grep -qx '## 一、项目基本情况## 二、项目主要绩效## 三、评价指标## 四、综合评价结论## 五、存在的问题## 六、改进措施## 附录：数据来源'"
# the same bytes in any locale and time zone, from stdin too
run "markdown, C.UTF-8 and Shanghai" env LC_ALL=C.UTF-8 TZ=Asia/Shanghai report-render $P $G $K
expect_out "$T/r.md"
sed 's,| kpi | tests/cli/data/report/kpi.tsv |,| kpi | - |,' "$T/r.md" >"$T/stdin.md"
run "markdown from stdin, de_DE and UTC" env LC_ALL=de_DE.UTF-8 TZ=UTC report-render $P $G -o - - <$K
expect_out "$T/stdin.md"

# --- HTML -------------------------------------------------------------------------
run "html" report-render $P $G -f html -o "$T/r.html" $K
expect_status 0
expect_err_empty
has '<html lang="zh-CN">' "$T/r.html"
has "Noto Sans CJK SC" "$T/r.html"
has "@page { size: A4" "$T/r.html"
has "@media print" "$T/r.html"
hasnt "<script" "$T/r.html"
hasnt "<link" "$T/r.html"
hasnt "<img" "$T/r.html"
expect_true "html: no URL but SVG's namespace" sh -c "
    ! grep -o 'https\\?://[^\"]*' '$T/r.html' | grep -v '^http://www.w3.org/2000/svg\$'"
expect_true "html: one path per grid (6)" sh -c "
    [ \$(grep -o '<path class=\"grid\"' '$T/r.html' | wc -l) -eq 6 ]"
expect_true "html: four charts" sh -c "
    [ \$(grep -o '<svg' '$T/r.html' | wc -l) -eq 4 ]"
expect_true "html: a table beside every chart" sh -c "
    [ \$(grep -c '^<figure class=\"chart\"' '$T/r.html') -eq 4 ] &&
    awk '/^<figure/ { f = 1; t = 0 } f && /<table>/ { t = 1 }
        /^<\\/figure>/ { if (!t) bad = 1; f = 0 } END { exit bad }' '$T/r.html'"
has 'data-code="430302001001002"' "$T/r.html"
has "<tr><td>双马街道</td><td class=\"num\">180</td>" "$T/r.html"
run "html again" report-render $P $G -f html $K
expect_out "$T/r.html"

# --- text -------------------------------------------------------------------------
run "text" report-render $P $G -f txt $K
expect_status 0
cp "$T/out" "$T/r.txt"
has "项目金额：64万元" "$T/r.txt"
has "评价结果：96.45（优）" "$T/r.txt"
has "  　　事件自行处置率                15	90%	84.5%	14.09" "$T/r.txt"
hasnt "<svg" "$T/r.txt"

# --- XLSX -------------------------------------------------------------------------
SOURCE_DATE_EPOCH=1515542400
export SOURCE_DATE_EPOCH
run "xlsx" report-render $P -f xlsx -o "$T/a.xlsx" $K
expect_status 0
expect_err_empty
run "xlsx again" report-render $P -f xlsx -o "$T/b.xlsx" $K
expect_true "xlsx: reproducible bytes" cmp -s "$T/a.xlsx" "$T/b.xlsx"
if command -v xlsx2csv >/dev/null 2>&1; then
	xlsx2csv -s 1 "$T/a.xlsx" >"$T/s1.csv"
	xlsx2csv -s 2 "$T/a.xlsx" >"$T/s2.csv"
	has "指标编号,指标,权重,目标值,实际值,得分,评分依据" "$T/s1.csv"
	has "C4,事件自行处置率,15,0.900,0.845,14.09," "$T/s1.csv"
	has "C3,上报事件数,,,388,," "$T/s1.csv"
	has "J3,绩效目标合理性,5,,,4.5,绩效目标申报表" "$T/s1.csv"
	has ",综合得分,100,,,96.45,优" "$T/s1.csv"
	expect_true "xlsx: sheet 2 holds every record and a header" sh -c "
	    [ \$(wc -l <'$T/s2.csv') -eq 568 ]"
	expect_true "xlsx: sheet 2 by scope: all, street, grid" sh -c "
	    cut -d, -f2 '$T/s2.csv' | uniq | tr '\n' ' ' | grep -qx '范围 all street grid '"
	has "2017,grid,430302002001003,C4,事件自行处置率,产出 › 质量 › 事件自行处置率,rate,n/a,0,0,0.900,15,0,," "$T/s2.csv"
else
	ok "xlsx2csv not installed: cells not checked"
fi
mkdir "$T/x" && (cd "$T/x" && unzip -q ../a.xlsx)
has 'formatCode="0.0%"' "$T/x/xl/styles.xml"
has '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' "$T/x/xl/worksheets/sheet1.xml"
has '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' "$T/x/xl/worksheets/sheet2.xml"
has '<col min="2" max="2"' "$T/x/xl/worksheets/sheet1.xml"
has '2018-01-10T00:00:00Z' "$T/x/docProps/core.xml"
has '<c r="E19" s="4"><v>0.845361</v></c>' "$T/x/xl/worksheets/sheet1.xml"
unset SOURCE_DATE_EPOCH
run "xlsx without SOURCE_DATE_EPOCH: 1980-01-01" report-render $P -f xlsx -o "$T/c.xlsx" $K
expect_true "xlsx: no clock time" sh -c "unzip -p '$T/c.xlsx' docProps/core.xml | grep -q 1980-01-01T00:00:00Z"
run "bad SOURCE_DATE_EPOCH" env SOURCE_DATE_EPOCH=soon report-render $P -f xlsx -o "$T/d.xlsx" $K
expect_status 64

# --- markup in data is text -------------------------------------------------------
sed 's/第1网格/<script>alert(1)<\/script>/; s/第2网格/**粗体**/; s/双马街道/<b>双马<\/b>/' \
    $D/grids.tsv >"$T/evil.tsv"
run "html escapes names" report-render $P --grids "$T/evil.tsv" -f html $K
expect_status 0
hasnt "<script>" "$T/out"
hasnt "<b>双马" "$T/out"
has "&lt;script&gt;alert(1)&lt;/script&gt;" "$T/out"
has "<tr><td>&lt;b&gt;双马&lt;/b&gt;</td>" "$T/out"
run "markdown escapes names" report-render $P --grids "$T/evil.tsv" $K
has '| 430302001001002 | \*\*粗体\*\* | 85.7% |' "$T/out"
has '| 430302001001001 | \<script\>alert\(1\)\</script\> | 87.5% |' "$T/out"
sed 's/^name: 网格化/name: "<i>网格化<\/i> **x**"/' $D/project.yaml >"$T/evil.yaml"
run "html escapes the project's own text" report-render -p "$T/evil.yaml" -f html $K
has "<td>&lt;i&gt;网格化&lt;/i&gt; **x**</td>" "$T/out"

# --- options ----------------------------------------------------------------------
run "--map picks the indicator" report-render $P $G --map C5 $K
has "各网格按时处置结案率（%）" "$T/out"
run "--map with a field" report-render $P $G --map C4:numerator $K
has "| 430302001001001 | 第1网格 | 70 |" "$T/out"
run "-t another template" report-render $P -t $D/brief.tmpl $K
expect_status 0
expect_out_text "网格化: 96.45 优; C4 84.5%; 1月2月3月4月5月6月7月8月9月10月11月12月; 高新区综治维稳信访局"
printf 'kind\tprogram\tversion\targs\tinputs\tconfigs\toutputs\trejects\nmanifest\tkpi-score\t0.1.0\t-i fiscal\t%s:900:events.tsv\t%s::fiscal.yaml\t%s:567:kpi.tsv\t\n' \
    aaaa bbbb cccc >"$T/man.tsv"
run "--inputs lists the pipeline" report-render $P --inputs "$T/man.tsv" $K
has "| kpi-score | input | events.tsv | 900 | \`aaaa\` |" "$T/out"
has "| kpi-score | config | fiscal.yaml |  | \`bbbb\` |" "$T/out"
has "| kpi-score | output | kpi.tsv | 567 | \`cccc\` |" "$T/out"
run "--manifest" report-render $P $G --manifest "$T/m.tsv" -o "$T/r2.md" $K
expect_status 0
expect_true "manifest: one line with the kpi input and the project" sh -c "
    [ \$(wc -l <'$T/m.tsv') -eq 2 ] && grep -q 'tests/cli/data/report/kpi.tsv' '$T/m.tsv' &&
    grep -q 'project.yaml' '$T/m.tsv'"
run "--stats" report-render $P --stats -o /dev/null $K
expect_err_text "report-render: read 567, written 567, rejected 0; format md, files 3"

# --- errors -----------------------------------------------------------------------
sed 's/{{kpi.C7.value}}起/{{kpi.C9.value}}起/' $D/project.yaml >"$T/unknown.yaml"
run "unknown placeholder" report-render -p "$T/unknown.yaml" -o "$T/never.md" $K
expect_status 65
expect_err_text "report-render: $T/unknown.yaml:16: field 'performance': unknown placeholder 'kpi.C9.value'"
expect_true "no output file after an error" test ! -e "$T/never.md"
printf 'name: x\namount: 1\nunit: u\nperiod: "2017"\nproblems: ["{{#kpi}}"]\n' >"$T/syntax.yaml"
run "template syntax in the project file" report-render -p "$T/syntax.yaml" $K
expect_status 65
expect_err_text "report-render: $T/syntax.yaml:5: field 'problems': unclosed section 'kpi'"
printf 'name: x\namount: 1\nunit: u\nperiod: "2016"\n' >"$T/p2016.yaml"
run "no records for the period" report-render -p "$T/p2016.yaml" $K
expect_status 65
expect_err_has "no kpi records of scope all for the report period"
printf 'name: x\namount: 1\nunit: u\nperiod: "2017"\ncolour: red\n' >"$T/key.yaml"
run "unknown key" report-render -p "$T/key.yaml" $K
expect_status 65
expect_err_has "colour"
printf 'name: x\namount: lots\nunit: u\nperiod: "2017"\n' >"$T/amount.yaml"
run "bad amount" report-render -p "$T/amount.yaml" $K
expect_status 65
expect_err_text "report-render: $T/amount.yaml:2: field 'amount': not an amount in yuan (a plain decimal, not negative)"
sed 's/map: C4/map: C99/' $D/project.yaml >"$T/nomap.yaml"
run "chart of an unknown indicator" report-render -p "$T/nomap.yaml" $G $K
expect_status 65
expect_err_has "field 'map': indicator 'C99' is not in the kpi records of the report period"
printf 'kind\tcode\nevent\t1\n' >"$T/event.tsv"
run "not kpi records" report-render $P "$T/event.tsv"
expect_status 65
expect_err_has "no field 'period': not kpi records?"
run "missing kpi file" report-render $P "$T/none.tsv"
expect_status 66
run "missing project" report-render -p "$T/none.yaml" $K
expect_status 66
run "no -p" report-render $K
expect_status 64
run "unknown format" report-render $P -f pdf $K
expect_status 64
expect_err_has "unknown format 'pdf'"
run "--map without --grids" report-render $P --map C4 $K
expect_status 64
run "bad --map" report-render $P $G --map C4:nope $K
expect_status 64
run "-h" report-render -h
expect_status 0
cp "$T/out" "$T/usage"
expect_true "-h agrees with the man page" sh tests/cli/synopsis.sh report-render "$T/usage"
