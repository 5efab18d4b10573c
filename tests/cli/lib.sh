# tests/cli/lib.sh - helpers for the whole-program tests.
#
# A test script sources this file, then calls `run` to run a command and
# the `expect_*` checks on what it did; each check prints "ok N - name" or
# "not ok N - name" with the difference.  tests/run.sh counts those lines.
#
#   run NAME CMD...        run CMD (in the repository root), keep its status,
#                          stdout ($T/out) and stderr ($T/err)
#   expect_status N        the last command exited with N
#   expect_out FILE        its stdout equals FILE
#   expect_out_text TEXT   its stdout equals TEXT (and a newline)
#   expect_err_text TEXT   its stderr equals TEXT (and a newline)
#   expect_err_has TEXT    its stderr contains TEXT
#   expect_err_empty       it printed nothing on stderr
#   expect_true NAME CMD   CMD succeeds (for anything else)

BIN=${BIN:-$PWD/${O:-build}/bin}
PATH=$BIN:$PATH
export PATH
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
name=
status=0

ok() { n=$((n + 1)); echo "ok $n - $name: $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $name: $1"; }

run() {
	name=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	status=$?
}

expect_status() {
	if [ "$status" -eq "$1" ]; then ok "status $1"
	else notok "status $status, expected $1"; sed 's/^/# /' "$T/err"; fi
}

expect_out() {
	if cmp -s "$1" "$T/out"; then ok "stdout"
	else notok "stdout differs from $1"; diff "$1" "$T/out" | head -20 | sed 's/^/# /'; fi
}

expect_out_text() {
	printf '%s\n' "$1" >"$T/want"
	expect_out "$T/want"
}

expect_err_text() {
	printf '%s\n' "$1" >"$T/want"
	if cmp -s "$T/want" "$T/err"; then ok "stderr"
	else notok "stderr differs"; diff "$T/want" "$T/err" | head -20 | sed 's/^/# /'; fi
}

expect_err_has() {
	if grep -qF -- "$1" "$T/err"; then ok "stderr has '$1'"
	else notok "stderr lacks '$1'"; sed 's/^/# /' "$T/err" | head -10; fi
}

expect_err_empty() {
	if [ ! -s "$T/err" ]; then ok "stderr empty"
	else notok "stderr not empty"; sed 's/^/# /' "$T/err" | head -10; fi
}

expect_true() {
	name=$1
	shift
	if "$@"; then ok "holds"; else notok "does not hold: $*"; fi
}
