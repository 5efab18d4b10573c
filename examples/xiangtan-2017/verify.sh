#!/bin/sh
# verify.sh - the auditor's checks of examples/xiangtan-2017 (run by
# `make verify` and `make expected`; see README.md).
#
#   sh verify.sh sums DIR          print the sha256sum(1) lines of every file
#                                  of a run (raw/ first, then the rest; not
#                                  the copy of schemas/)
#   sh verify.sh raw DIR SUMS      check the raw files of DIR against SUMS
#   sh verify.sh all DIR SUMS      check every file of DIR against SUMS, then
#                                  the manifest chain of DIR/manifest.tsv
#
# The first file that differs is named ("verify: differs: raw/people.csv"),
# and the status is 1.  The manifest chain (grid-records(5)): every input or
# configuration file a stage names is either the output of an earlier stage,
# with the sha256 that stage recorded, or a source file (raw, conf, schema)
# whose bytes have that sha256 now; and every output's bytes on disk are
# those its stage recorded last.
set -eu
LC_ALL=C
export LC_ALL
mode=$1
dir=$2
sums=${3:-}
trap 'rm -f "$dir.want" "$dir.disk"' EXIT

# list: the files of a run, raw/ first, each group in byte order
list() {
	(cd "$dir" && find raw -type f | sort && \
	    find . -path ./schemas -prune -o -path ./raw -prune -o -type f -print |
	    sed 's|^\./||' | sort)
}

# check raw|rest: compare the files of SUMS under raw/, or the others
check() {
	if [ "$1" = raw ]; then
		awk '$2 ~ /^raw\//' "$sums" >"$dir.want"
		sel() { grep '^raw/' || true; }
	else
		awk '$2 !~ /^raw\//' "$sums" >"$dir.want"
		sel() { grep -v '^raw/' || true; }
	fi
	if [ ! -s "$dir.want" ]; then
		echo "verify: $sums lists no $1 file" >&2
		exit 1
	fi
	while read -r want path; do
		if [ ! -f "$dir/$path" ]; then
			echo "verify: missing: $path" >&2
			exit 1
		fi
		got=$(sha256sum <"$dir/$path" | cut -d' ' -f1)
		if [ "$got" != "$want" ]; then
			echo "verify: differs: $path" >&2
			exit 1
		fi
	done <"$dir.want"
	# a file of the run that SUMS does not list
	list | sel | while read -r path; do
		if ! awk -v p="$path" '$2 == p { f = 1 } END { exit !f }' "$dir.want"; then
			echo "verify: not in $sums: $path" >&2
			exit 1
		fi
	done
}

chain() {
	(cd "$dir" && find . -path ./schemas -prune -o -type f -print | sed 's|^\./||' |
	    while read -r f; do printf '%s\t%s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"; done;
	    find schemas -type f | while read -r f; do
		printf '%s\t%s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"; done
	) >"$dir.disk"
	awk -F'\t' '
	function unpct(s,   out, i, c) {
		out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "%") {
				out = out sprintf("%c", hex(substr(s, i + 1, 2)))
				i += 2
			} else
				out = out c
		}
		return out
	}
	function hex(h,   v, i) {
		v = 0
		for (i = 1; i <= 2; i++)
			v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
		return v
	}
	function fail(msg) { print "verify: manifest: " msg > "/dev/stderr"; bad = 1; exit 1 }
	FILENAME == ARGV[1] { disk[$2] = $1; next }
	FNR == 1 { for (i = 1; i <= NF; i++) f[$i] = i; next }
	{
		prog = $f["program"]
		nin = split($f["inputs"] ";" $f["configs"], e, ";")
		for (i = 1; i <= nin; i++) {
			if (e[i] == "")
				continue
			sha = substr(e[i], 1, 64)
			p = e[i]; sub(/^[^:]*:[^:]*:/, "", p); p = unpct(p)
			if (p == "-" || p == "manifest.tsv")
				continue
			if (p in made) {
				if (made[p] != sha)
					fail("line " FNR " (" prog "): input " p " is not what line " by[p] " wrote")
			} else if (!(p in disk))
				fail("line " FNR " (" prog "): input " p " is not in the run")
			else if (disk[p] != sha)
				fail("line " FNR " (" prog "): input " p " differs from the file")
		}
		nout = split($f["outputs"] ";" $f["rejects"], e, ";")
		for (i = 1; i <= nout; i++) {
			if (e[i] == "")
				continue
			p = e[i]; sub(/^[^:]*:[^:]*:/, "", p); p = unpct(p)
			if (p == "-")
				continue
			made[p] = substr(e[i], 1, 64)
			by[p] = FNR
			stages++
		}
	}
	END {
		if (bad)
			exit 1
		if (stages == 0)
			fail("no stage recorded")
		for (p in made)
			if (!(p in disk) || disk[p] != made[p])
				fail(p " is not what line " by[p] " wrote")
	}' "$dir.disk" "$dir/manifest.tsv"
}

case $mode in
sums)
	list | while read -r path; do
		printf '%s  %s\n' "$(sha256sum <"$dir/$path" | cut -d' ' -f1)" "$path"
	done
	;;
raw)
	check raw
	;;
all)
	check raw
	check rest
	chain
	echo "verify: $(wc -l <"$sums" | tr -d ' ') files as expected, manifest chain of $(($(wc -l <"$dir/manifest.tsv") - 1)) stages unbroken"
	;;
*)
	echo "usage: verify.sh sums|raw|all DIR [SUMS]" >&2
	exit 64
	;;
esac
