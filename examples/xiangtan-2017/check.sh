#!/bin/sh
# check.sh BIN - the checks of examples/xiangtan-2017 for tests/run.sh:
#   1. make verify: a fresh run equals expected/SHA256SUMS and its
#      manifest chain is unbroken;
#   2. the report states every figure of the source (and 98, 优, the
#      shortfall 84.5 % against 90 %);
#   3. one raw byte corrupted in a copy: make verify fails and names the
#      file;
#   4. parallel.sh: the map stages on both cores, partials merged, give
#      kpi.tsv byte for byte.
# Prints "ok ..." / "not ok ..." per check; exits 1 when any failed.
set -u
bin=$(cd "$1" && pwd) || exit 1
cd "$(dirname "$0")" || exit 1
fails=0
ok() { echo "ok xiangtan $*"; }
notok() { echo "not ok xiangtan $*"; fails=$((fails + 1)); }

if make -s verify BIN="$bin" >verify.out.check 2>&1; then
	ok "verify: $(tail -1 verify.out.check | sed 's/^verify: //')"
else
	sed 's/^/# /' verify.out.check
	notok "verify"
fi
rm -f verify.out.check

# each figure with its context in the report, as the source states it
md=verify.out/report.md
missing=
for s in '139个单元网格' '划分34个基本网格' '双马街道18个网格' '板塘街道16个网格' \
    '47199人' '20733户' '2245栋楼' '18514个房屋' '494个商店门铺' \
    '500家园区企业' '15家省、市驻区企事业单位' '14家大小宾馆酒店' \
    '26家娱乐场所' '20个建设工地' '登记的事件388起' '自行处理328起' \
    '登记派遣60起' '宣传材料30560份' '社情民意315条' '纠纷112次' \
    '98（优）' '综合得分98分' '84.5%（328/388），低于90%'; do
	grep -qF -- "$s" "$md" 2>/dev/null || missing="$missing $s"
done
if [ -z "$missing" ]; then
	ok "report states every figure, 98 and 优"
else
	notok "report lacks:$missing"
fi

# one byte of a copy of the raw files changed: verify names that file
t=$(mktemp -d /tmp/xiangtan-check.XXXXXX)
if cp -R verify.out/raw "$t/raw" 2>/dev/null; then
	printf 'X' | dd of="$t/raw/events.csv" bs=1 seek=4000 conv=notrunc 2>/dev/null
	if make -s verify BIN="$bin" RAW="$t/raw" VOUT="$t/v" >"$t/log" 2>&1; then
		notok "corrupt raw: verify passed"
	elif grep -q 'differs: raw/events.csv' "$t/log"; then
		ok "corrupt raw: verify fails naming raw/events.csv"
	else
		sed 's/^/# /' "$t/log"
		notok "corrupt raw: verify failed without naming raw/events.csv"
	fi
else
	notok "corrupt raw: no raw files"
fi
rm -rf "$t"

out=$(sh parallel.sh "$bin" verify.out 2>&1)
case $out in
ok*)	echo "$out" | sed 's/^ok /ok xiangtan /' ;;
*)	echo "$out" | sed 's/^/# /'; notok "parallel" ;;
esac
[ "$fails" -eq 0 ]
