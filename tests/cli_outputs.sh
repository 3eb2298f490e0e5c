#!/bin/bash
# cli_outputs.sh - the outputs of a command appear all together or not at
# all (issue 9, section 4): two names for one file, failures after some
# outputs are complete, FIFOs, devices, descriptors and links at an output
# path, a lost standard output, TERM/INT/HUP in the middle of simulate,
# sweep and reproduce, the JSON gandyn writes (no key twice), and the .npy
# sidecar of simulate.
#
# usage: bash tests/cli_outputs.sh PATH_TO_GANDYN
set -u

. "$(dirname "$0")/lib_cli.sh"

SIM=(simulate --t-end 2 --quiet)

# ------------------------------------------------ two outputs, one file

E "--out" "--summary" "the same file" -- simulate --out x.json --summary x.json
E "--out 'x.json'" "--summary './x.json'" -- simulate --out x.json --summary ./x.json
PRE='mkdir d'
E "--summary 'd/../x.json'" -- simulate --out x.json --summary d/../x.json
PRE='ln -s x.json l.json'
E "--summary 'l.json'" "--out 'x.json'" -- simulate --out x.json --summary l.json
PRE='echo old > x.json && ln x.json h.json'
E "--summary 'h.json'" -- simulate --out x.json --summary h.json
E "--plot 'p.png'" -- simulate --out x.csv --plot p.png --plot p.png
E "sidecar" "r.npy.json" -- simulate --out r.npy --summary r.npy.json
E "--plot 'a.svg'" "--json './a.svg'" -- analyze --plot a.svg --json ./a.svg
E "--plot" "--json" -- analyze --scan lr=0.1:0.5:3 --opt simgd:lr=0.1 --plot a.svg --json "$W/case$((ncase + 1))/a.svg"

# ------------------------------------ a failure after outputs are complete
#
# full.json is a link to /dev/full: written in place, it fails at the
# commit, after the path and the figure are complete; neither may appear.
if [ -w /dev/full ]; then
    PRE='ln -s /dev/full full.json'
    E "cannot write 'full.json'" "No space left on device" -- simulate --out x.csv --plot x.png --summary full.json --quiet
    PRE='ln -s /dev/full full.json'
    E "cannot write 'full.json'" "No space left on device" -- analyze --plot a.png --json full.json --quiet
    PRE='ln -s /dev/full full.json && echo old > x.csv'
    E "No space left on device" -- simulate --out x.csv --summary full.json --quiet
    check "a failed commit keeps the old file" grep -qx old "$W/case$ncase/x.csv"
fi
# a figure that cannot be made (no such directory) stops before the run
E "no/x.png" -- simulate --out x.csv --summary s.json --plot no/x.png

# ------------------------------------------------ lost standard output

stdout_lost() { # DESCRIPTION REASON COMMAND... (with its redirection done)
    local desc=$1 reason=$2
    shift 2
    local rc
    "$@" 2>"$W/so.err"
    rc=$?
    check "$desc: exit $rc, expected 2" test "$rc" -eq 2
    check "$desc: message" grep -qx "gandyn: write error on standard output: $reason" "$W/so.err"
    check "$desc: one line" test "$(wc -l <"$W/so.err")" -eq 1
}
if [ -w /dev/full ]; then
    stdout_lost "simulate > /dev/full" "No space left on device" eval '"$G" simulate --t-end 1 >/dev/full'
    stdout_lost "analyze > /dev/full" "No space left on device" eval '"$G" analyze >/dev/full'
    stdout_lost "list > /dev/full" "No space left on device" eval '"$G" list >/dev/full'
    mkdir "$W/full" && cd "$W/full"
    stdout_lost "simulate --summary - > /dev/full" "No space left on device" eval '"$G" simulate --t-end 1 --out a.csv --summary - >/dev/full'
    check "a lost stdout commits nothing" test -z "$(ls -A)"
    cd "$W"
fi
stdout_lost "simulate >&-" "Bad file descriptor" eval '"$G" simulate --t-end 1 >&-'
stdout_lost "list >&-" "Bad file descriptor" eval '"$G" list >&-'
# nothing written to a closed stdout: no error
"$G" simulate --t-end 1 --out q.csv --quiet >&- 2>"$W/q.err"
check "closed stdout, nothing printed: exit 0" test $? -eq 0
check "closed stdout, nothing printed: silent" test ! -s "$W/q.err"

# ------------------------------------- FIFOs, devices, descriptors, links

mkdir "$W/place" && cd "$W/place"
"$G" "${SIM[@]}" --out ref.csv || bad "reference run"
mkfifo fifo.csv
cat fifo.csv >got.csv &
reader=$!
"$G" "${SIM[@]}" --out fifo.csv
check "FIFO: exit 0" test $? -eq 0
wait "$reader"
check "FIFO: still a FIFO" test -p fifo.csv
check "FIFO: the reader got the path" cmp -s ref.csv got.csv
ln -s /dev/stdout so.csv
"$G" "${SIM[@]}" --out so.csv >out1.csv
check "/dev/stdout link: the path on stdout" cmp -s ref.csv out1.csv
check "/dev/stdout link: still a link" test -L so.csv
echo first >app.csv
"$G" "${SIM[@]}" --out so.csv >>app.csv
check "/dev/stdout link under >>: appended" cmp -s <(echo first; cat ref.csv) app.csv
ln -s /dev/null null.png
"$G" "${SIM[@]}" --out x.csv --plot null.png
check "/dev/null link as a figure: exit 0" test $? -eq 0
check "/dev/null link: still a link to /dev/null" test "$(readlink null.png)" = /dev/null
echo old >real.csv
ln -s real.csv link.csv
"$G" "${SIM[@]}" --out link.csv
check "link to a file: the link is kept" test -L link.csv
check "link to a file: the file has the new path" cmp -s ref.csv real.csv
ln -s made.csv dangling.csv
"$G" "${SIM[@]}" --out dangling.csv
check "dangling link: its target is made" cmp -s ref.csv made.csv
check "dangling link: the link is kept" test -L dangling.csv
check "no temporaries" no_tmps .
cd "$W"

# ------------------------------------ the JSON gandyn writes: no key twice

if [ "$HAVE_PY" = 1 ]; then
    mkdir "$W/json" && cd "$W/json"
    "$G" simulate --t-end 3 --out f.npy --summary f.json --ema 0.9 --quiet || bad "flow run"
    "$G" simulate --opt simgd:lr=0.1 --steps 20 --out d.json --summary ds.json --quiet || bad "discrete run"
    "$G" analyze --json a.json --quiet || bad "analyze"
    "$G" analyze --scan lr=0.1:0.5:3 --opt simgd:lr=0.1 --json as.json --quiet || bad "analyze scan"
    "$G" sweep --opt simgd --steps 20 --grid lr=0.05:0.5:3 --out s.csv --quiet || bad "sweep"
    "$G" simulate --t-end 3 --out f.csv --ema 0.9 --quiet || bad "csv run"
    cat >"$W/jsoncheck.py" <<'PYEOF'
import json, sys, csv

def strict(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError("duplicate keys %s" % dup)
    return dict(pairs)

docs = {}
for path in sys.argv[1:]:
    with open(path) as f:
        docs[path] = json.load(f, object_pairs_hook=strict)

# the summary of a flow: "t" is the time, once; theta . phi has its name
s = docs["f.json"]["final"]
assert s["t"] == 3, s["t"]
st = s["state"]
dot = st[0] * st[2] + st[1] * st[3]
assert abs(s["theta_dot_phi"] - dot) <= 1e-15 + 1e-12 * abs(dot), (s, dot)
s0 = docs["f.json"]["start"]
assert abs(s0["theta_dot_phi"] - (0.1 * 0.2 + 0.2 * 0.1)) < 1e-15, s0
d = docs["ds.json"]["final"]
assert d["step"] == 20 and "t" not in d, d

# the .npy sidecar: the CSV's columns, the row count, the array's shape
side = docs["f.npy.json"]
with open("f.csv") as f:
    rows = list(csv.reader(f))
assert side["columns"] == rows[0], (side["columns"], rows[0])
assert side["rows"] == len(rows) - 1, (side["rows"], len(rows))
assert side["data"] == "f.npy" and "absent" in side, side
try:
    import numpy
    a = numpy.load("f.npy")
    assert a.shape == (side["rows"], len(side["columns"])), a.shape
    assert a[-1, 0] == 3.0
except ImportError:
    pass
PYEOF
    check "every JSON parses with no key twice; sidecar and summary agree" \
        "$PY" "$W/jsoncheck.py" f.json f.npy.json d.json ds.json a.json as.json s.csv.json
    cd "$W"
fi

# ------------------------------------------------------- TERM, INT, HUP
#
# A long command is killed once its staging directory exists: no
# temporary may remain, no output appear, and the exit status is the
# signal's.  (Background jobs of a script ignore INT: env restores it.)

killed() { # SIGNAL WAITFOR DESCRIPTION COMMAND...
    local sig=$1 waitfor=$2 desc=$3
    shift 3
    local d="$W/sig$((ncase += 1))"
    mkdir "$d" && cd "$d" || return
    env --default-signal=TERM,INT,HUP "$G" "$@" >/dev/null 2>"$d.err" &
    local pid=$! k
    for ((k = 0; k < 200; k++)); do
        [ -n "$(find . -name "$waitfor" 2>/dev/null | head -1)" ] && break
        sleep 0.05
    done
    sleep 0.3
    if ! kill -0 "$pid" 2>/dev/null; then
        bad "$desc: finished before the signal (make it longer)"
        cd "$W"
        return
    fi
    kill -"$sig" "$pid"
    { wait "$pid"; } 2>/dev/null
    local rc=$? num
    num=$(kill -l "$sig")
    check "$desc: killed by SIG$sig (exit $rc)" test "$rc" -eq $((128 + num))
    check "$desc: no temporary left ($(find . -name '.gandyn-tmp-*' | tr '\n' ' '))" no_tmps .
    check "$desc: no output ($(find . -mindepth 1 -not -path './*.parts*' | tr '\n' ' '))" \
        test -z "$(find . -mindepth 1 -not -path './*.parts*')"
    cd "$W"
}

LONG=(simulate --opt simgd:lr=0.01 --steps 2000000000 --every 100000
      --out big.csv --summary big.json --plot big.png --quiet)
SWEEP=(sweep --opt simgd --steps 100000 --grid lr=0.01:0.1:40000
       --out s.csv --quiet)
for sig in TERM INT HUP; do
    killed "$sig" '.gandyn-tmp-*' "simulate, SIG$sig" "${LONG[@]}"
    killed "$sig" 'chunk-*' "sweep, SIG$sig" "${SWEEP[@]}"
done
killed TERM '.gandyn-tmp-*' "reproduce, SIGTERM" reproduce --out rep --no-gif --quiet
killed INT '.gandyn-tmp-*' "reproduce, SIGINT" reproduce --out rep --quiet
killed HUP '.gandyn-tmp-*' "reproduce, SIGHUP" reproduce --out rep --no-gif --quiet
# into an existing directory: killed, it holds what it held
mkdir -p "$W/sigold/rep" && cd "$W/sigold" && echo mine >rep/mine.txt
env --default-signal=TERM "$G" reproduce --out rep --no-gif --quiet >/dev/null 2>&1 &
pid=$!
for ((k = 0; k < 200; k++)); do
    [ -n "$(find rep -name '.gandyn-tmp-*' | head -1)" ] && break
    sleep 0.05
done
sleep 0.5
kill -TERM "$pid"
{ wait "$pid"; } 2>/dev/null
check "reproduce into an existing DIR, SIGTERM: DIR as it was" test "$(ls -A rep)" = mine.txt
cd "$W"

finish
