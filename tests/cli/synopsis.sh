# synopsis.sh PROG USAGEFILE - the usage text of PROG (-h output in
# USAGEFILE) and the SYNOPSIS of man/PROG.1 name the same options and
# arguments, in the same order.
prog=$1
words() { tr -s ' \n[]|.' '\n' | grep -v '^$' | grep -v '^usage:$'; }
man_words=$(MANWIDTH=200 mandoc -T ascii -O width=200 "man/$prog.1" 2>/dev/null |
    col -bx | awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' | words)
usage_words=$(words <"$2")
[ -n "$man_words" ] && [ "$man_words" = "$usage_words" ] && exit 0
echo "# man SYNOPSIS and -h differ:" >&2
printf '%s\n' "$man_words" >"${TMPDIR:-/tmp}/syn.man"
printf '%s\n' "$usage_words" >"${TMPDIR:-/tmp}/syn.use"
diff "${TMPDIR:-/tmp}/syn.man" "${TMPDIR:-/tmp}/syn.use" | sed 's/^/# /' >&2
exit 1
