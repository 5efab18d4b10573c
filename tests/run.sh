#!/bin/sh
# tests/run.sh - run the whole suite and end with "N passed, N failed".
#
# Unit tests (cmocka: each test case counts), CLI tests (each case counts),
# a short smoke run of every fuzz target over its corpus and regression
# inputs, and the examples' checks.  O names the build folder.
O=${O:-build}
FUZZ_RUNS=${FUZZ_RUNS:-2000}
export O
passed=0
failed=0
failures=

count() { # status name
	if [ "$1" -eq 0 ]; then passed=$((passed + 1))
	else failed=$((failed + 1)); failures="$failures $2"; fi
}

echo "== unit tests"
for t in "$O"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	status=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		failed=$((failed + 1))	# crashed before its summary
	fi
	[ "$status" -ne 0 ] && failures="$failures ${t##*/}"
done

echo "== CLI tests"
for t in tests/cli/*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1)
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures ${t##*/}"
done

echo "== fuzz smoke"
for f in "$O"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=${f##*/fuzz_}
	work=$(mktemp -d)
	if "$f" -runs="$FUZZ_RUNS" -max_total_time=30 "$work" \
	    tests/fuzz/corpus/"$n" tests/fuzz/regress/"$n" >"$work.log" 2>&1; then
		echo "ok fuzz $n"
		count 0 "fuzz-$n"
	else
		tail -40 "$work.log"
		echo "not ok fuzz $n"
		count 1 "fuzz-$n"
	fi
	rm -rf "$work" "$work.log"
done

echo "== examples"
for d in examples/*/; do
	[ -f "$d/check.sh" ] || continue
	# a check may print its own "ok"/"not ok" lines: they count too
	out=$(sh "$d/check.sh" "$O/bin" 2>&1)
	status=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$status" -eq 0 ]; then
		echo "ok example ${d%/}"
		count 0 "$d"
	else
		echo "not ok example ${d%/}"
		count 1 "$d"
	fi
done

[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
