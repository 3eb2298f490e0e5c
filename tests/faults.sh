# faults.sh - fault injection, SQLite style: every I/O operation of the io
# layer (create, write, flush, close, rename, mkdir, allocation) made to fail
# in turn, for every command that writes files.
#
#     bash tests/faults.sh BUILD/tests/gandyn_fi [sweep|reproduce]
#
# The binary is the CLI built with GANDYN_FAULT_INJECTION: GANDYN_FAIL_AT=N
# makes the Nth operation fail (ENOSPC for writes, flushes and closes,
# ENOMEM for allocations, EACCES for mkdir, EIO otherwise), and
# GANDYN_FAIL_COUNT=1 prints how many operations a run made.  For
# N = 1, 2, ... until the command succeeds, each failed run must exit 2
# with exactly one line on stderr ("gandyn: ..." with the errno text), and
# leave the directory as it was: no output, no temporary.  The run that
# succeeds must be the one after the last operation (no failure went
# unnoticed).  A sweep keeps OUT.parts/ on failure (it is what --resume
# continues from); nothing else may remain.
#
# 'reproduce' (20 s a run, 400 operations) is sampled instead: the first
# operation and the last (the rename of the new directory, after every
# file is complete).  The counting run is the run with no failure.  (An
# existing directory's commit and its roll-back: test_io's
# test_outset_directory and test_outset_commit_failure.)
MODE=${2:-}
[ $# -eq 2 ] && set -- "$1"
. "$(dirname "$0")/lib_cli.sh"

ERRTEXT='No space left on device|Cannot allocate memory|Permission denied|Input/output error'

# listing of the current directory (sweep's OUT.parts/ left out)
state() { find . -mindepth 1 -not -path './*.parts' -not -path './*.parts/*' | LC_ALL=C sort; }

# ops ARGS...: how many I/O operations a successful run makes
ops() {
    local d="$W/count"
    rm -rf "$d" && mkdir "$d" && (cd "$d" && eval "$PRE") || return 1
    (cd "$d" && GANDYN_FAIL_COUNT=1 "$G" "$@") >/dev/null 2>"$W/count.err" || {
        echo "counting run failed: $(cat "$W/count.err")" >&2
        return 1
    }
    sed -n 's/^gandyn-fi: \([0-9]*\) I\/O calls$/\1/p' "$W/count.err"
}

# one N ARGS...: the run with operation N failing; 0 if it behaved
# (failed cleanly, or succeeded when N is past the last operation)
one() {
    local n=$1
    shift
    local d="$W/case" rc what=()
    rm -rf "$d" && mkdir "$d" && (cd "$d" && eval "$PRE") || return 1
    local before after
    before=$(cd "$d" && state)
    (cd "$d" && GANDYN_FAIL_AT=$n exec "$G" "$@") >"$W/o" 2>"$W/e" </dev/null
    rc=$?
    after=$(cd "$d" && state)
    if [ "$n" -gt "$TOTAL" ]; then
        [ "$rc" -eq 0 ] || what+=("exit $rc past the last operation")
        [ -s "$W/e" ] && what+=("stderr: $(head -c 200 "$W/e")")
    else
        [ "$rc" -eq 2 ] || what+=("exit status $rc, expected 2")
        local nl
        nl=$(wc -l <"$W/e")
        [ "$nl" -eq 1 ] || what+=("$nl lines on stderr")
        [ "$(head -c 8 "$W/e")" = "gandyn: " ] || what+=("stderr not 'gandyn: ...'")
        grep -qE "$ERRTEXT" "$W/e" || what+=("no errno text in the message")
        [ "$before" = "$after" ] ||
            what+=("files changed: [$(echo $before)] -> [$(echo $after)]")
    fi
    local tmps
    tmps=$(cd "$d" && find . -name '.gandyn-tmp-*' | tr '\n' ' ')
    [ -z "$tmps" ] || what+=("temporaries left: $tmps")
    if [ ${#what[@]} -eq 0 ]; then
        return 0
    fi
    bad "GANDYN_FAIL_AT=$n $(show "$@")"
    for t in "${what[@]}"; do printf '      %s\n' "$t"; done
    printf '      stderr: %s\n' "$(head -c 300 "$W/e" | tr '\n' ' ')"
    return 1
}

# every ARGS...: operation 1 .. TOTAL failing in turn, then none
every() {
    TOTAL=$(ops "$@") || { bad "$(show "$@"): counting run"; return; }
    [ -n "$TOTAL" ] && [ "$TOTAL" -gt 0 ] || { bad "$(show "$@"): no count"; return; }
    local n failed=0
    for ((n = 1; n <= TOTAL + 1; n++)); do
        one "$n" "$@" || failed=$((failed + 1))
        [ "$failed" -ge 3 ] && break
    done
    [ "$failed" -eq 0 ] && ok
    echo "  $(show "$@"): $TOTAL operations"
}

# some N... -- ARGS...: only these operations (-K: the Kth from the end)
some() {
    local picks=()
    while [ "$1" != "--" ]; do picks+=("$1"); shift; done
    shift
    TOTAL=$(ops "$@") || { bad "$(show "$@"): counting run"; return; }
    local p n failed=0
    for p in "${picks[@]}"; do
        case "$p" in
        -*) n=$((TOTAL + 1 + p)) ;;
        mid) n=$((TOTAL / 2)) ;;
        none) n=$((TOTAL + 1)) ;;
        *) n=$p ;;
        esac
        one "$n" "$@" || failed=$((failed + 1))
    done
    [ "$failed" -eq 0 ] && ok
    echo "  $(show "$@"): $TOTAL operations, tried ${picks[*]}"
}

if [ "$MODE" = sweep ]; then
    PRE=
    every sweep --opt simgd --steps 20 --grid lr=0.05:0.5:3 --out s.csv --quiet
    every sweep --opt simgd --steps 20 --grid lr=0.05:0.5:3 --out s.npy --plot s.svg --plot-value theta_norm --quiet
    finish
    exit
fi

if [ "$MODE" = reproduce ]; then
    PRE=
    some 1 -1 -- reproduce --out rep --no-gif --quiet
    finish
    exit
fi

PRE=
every simulate --t-end 2 --out r.npy --summary r.json --plot r.svg --quiet
PRE='mkdir sub && echo old > r.csv'
every simulate --opt simgd:lr=0.1 --steps 30 --out r.csv --summary sub/r.json --plot sub/r.gif --quiet
PRE=
every analyze --json a.json --plot a.svg --quiet
every analyze --scan lr=0.1:0.5:3 --opt simgd:lr=0.1 --json a.json --quiet
PRE='"$G" simulate --t-end 2 --out run.csv --quiet'
every plot run.csv -o p.png --size 128x128
finish
