# lib_cli.sh - what the shell tests of the gandyn binary (tests/cli_*.sh)
# share; each sources it first:
#
#     . "$(dirname "$0")/lib_cli.sh"
#
# (It is not named cli_*.sh: tests/CMakeLists.txt runs every cli_*.sh as a
# test.)
#
# It takes the script's one argument, the gandyn binary, into $G (made
# absolute); makes a temporary directory $W, removed on exit, and enters it
# with umask 022; sets PY (/usr/bin/python3) and HAVE_PY (1 when it is
# there); and defines the counters and checks below.  A script ends with
# 'finish', which prints "N passed, M failed" and fails if any check did.

if [ $# -ne 1 ]; then
    echo "usage: bash $0 PATH_TO_GANDYN" >&2
    exit 2
fi
G=$1
case "$G" in /*) ;; *) G="$PWD/$G" ;; esac
if [ ! -x "$G" ]; then
    echo "$(basename "$0"): '$G' is not an executable" >&2
    exit 2
fi

# cli_errors.sh works in $TMPDIR/gandyn-cli-errors.XXXXXX
W=$(mktemp -d "${TMPDIR:-/tmp}/gandyn-$(basename "$0" .sh | tr _ -).XXXXXX") || exit 2
trap 'chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 2
umask 022

PY=/usr/bin/python3
HAVE_PY=0
[ -x "$PY" ] && HAVE_PY=1

# ---------------------------------------------------------------- checks

pass=0
fail=0
ncase=0

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    printf 'FAIL: %s\n' "$*"
}
skip() { printf 'SKIP: %s\n' "$*"; }

check() { # DESCRIPTION COMMAND...: passes when COMMAND succeeds
    local desc=$1
    shift
    if "$@"; then ok; else bad "$desc"; fi
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

# Quoted rendering of a gandyn command line for messages.
show() {
    local s="gandyn" a
    for a in "$@"; do s+=" $(printf '%q' "$a")"; done
    printf '%s' "$s"
}

# Whether there is no temporary output file ('.gandyn-tmp-*') below DIR
# (default: the current directory).
no_tmps() { [ -z "$(find "${1:-.}" -name '.gandyn-tmp-*')" ]; }

# ------------------------------------------------------------- bad input
#
# Project rule for bad input: exit status 2, ONE line on stderr starting
# "gandyn: " that names the bad token, nothing on stdout, and no output file
# (neither the target nor a temporary ".gandyn-tmp-*").
#
# E TOKEN... -- ARGS...
#   Runs 'gandyn ARGS' in a fresh directory (after evaluating $PRE there, to
#   set up fixtures) and checks the bad-input contract; every TOKEN must occur
#   in the message (grep -F).  PRE is reset afterwards.
PRE=
E() {
    local toks=() t
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        toks+=("$1")
        shift
    done
    shift
    ncase=$((ncase + 1))
    local d="$W/case$ncase" o="$W/case$ncase.out" e="$W/case$ncase.err"
    mkdir "$d"
    if [ -n "$PRE" ]; then
        (cd "$d" && eval "$PRE") || { bad "case $ncase: setup '$PRE' failed"; PRE=; return; }
    fi
    PRE=
    local before after rc
    before=$(cd "$d" && find . -mindepth 1 | LC_ALL=C sort)
    (cd "$d" && exec "$G" "$@") >"$o" 2>"$e" </dev/null
    rc=$?
    after=$(cd "$d" && find . -mindepth 1 | LC_ALL=C sort)
    local what=()
    [ "$rc" -eq 2 ] || what+=("exit status $rc, expected 2")
    [ -s "$o" ] && what+=("stdout not empty: $(head -c 200 "$o" | tr '\n' ' ')")
    if [ ! -s "$e" ]; then
        what+=("stderr empty")
    else
        local nl
        nl=$(wc -l <"$e")
        [ "$nl" -eq 1 ] || what+=("stderr has $nl line breaks, expected exactly one line")
        [ -z "$(tail -c 1 "$e")" ] || what+=("stderr does not end with a newline")
        [ "$(head -c 8 "$e")" = "gandyn: " ] || what+=("stderr does not start with 'gandyn: '")
        for t in "${toks[@]}"; do
            grep -qF -- "$t" "$e" || what+=("message does not contain '$t'")
        done
    fi
    [ "$before" = "$after" ] ||
        what+=("files changed: before [$(printf '%s' "$before" | tr '\n' ' ')] after [$(printf '%s' "$after" | tr '\n' ' ')]")
    local tmps
    tmps=$(cd "$d" && find . -name '.gandyn-tmp-*' | tr '\n' ' ')
    [ -z "$tmps" ] || what+=("temporary files left: $tmps")
    if [ ${#what[@]} -eq 0 ]; then
        ok
    else
        bad "$(show "$@")"
        for t in "${what[@]}"; do printf '      %s\n' "$t"; done
        printf '      stderr was: %s\n' "$(head -c 400 "$e" | sed -n 'l 0' | tr '\n' ' ')"
    fi
}

# Read-only directory cases, only meaningful where permissions are enforced
# (not for root):
#
#     if ro_dir; then
#         E ... -- ... "$W/ro/x.csv"            # and --out "$W/rw.csv" ...
#         ro_clean
#     fi
#
# ro_dir makes $W/ro (mode 555); it fails, after a SKIP line, when that
# directory is writable all the same.  ro_clean is one check: nothing in
# $W/ro, no $W/rw.csv, and no temporary file anywhere in $W.
ro_dir() {
    mkdir "$W/ro" && chmod 555 "$W/ro"
    if [ -w "$W/ro" ]; then
        skip "read-only directory cases: permissions are not enforced for this user"
        return 1
    fi
    return 0
}
ro_clean() {
    if [ -e "$W/rw.csv" ] || [ -n "$(ls -A "$W/ro")" ] || ! no_tmps "$W"; then
        bad "read-only directory: files left behind: $(ls -A "$W/ro" "$W" | tr '\n' ' ')"
    else
        ok
    fi
}
