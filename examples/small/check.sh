#!/bin/sh
# check.sh BIN - run the example pipeline and compare every output with
# expected/ byte for byte; name the first file that differs.
set -eu
bin=$(cd "$1" && pwd)
cd "$(dirname "$0")"
make -s clean
make -s BIN="$bin" >/dev/null 2>&1 || { echo "example pipeline failed" >&2; exit 1; }
for f in expected/*; do
	if ! cmp -s "$f" "out/${f#expected/}"; then
		echo "differs: out/${f#expected/}" >&2
		exit 1
	fi
done
