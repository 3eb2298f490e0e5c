#!/bin/bash
# cli_errors.sh - every bad-input path of the gandyn command line, and the
# success paths that the error paths are measured against.
#
# usage: bash tests/cli_errors.sh PATH_TO_GANDYN
#
# Project rule for bad input: exit status 2, ONE line on stderr starting
# "gandyn: " that names the bad token, nothing on stdout, and no output file
# (neither the target nor a temporary ".gandyn-tmp-*").
set -u

. "$(dirname "$0")/lib_cli.sh"

HAVE_NUMPY=0
[ "$HAVE_PY" = 1 ] && "$PY" -c 'import numpy' 2>/dev/null && HAVE_NUMPY=1

# ---------------------------------------------------------------- errors
#
# E TOKEN... -- ARGS... (lib_cli.sh): the bad-input contract above.

S=simulate

# --- unknown names and keys
E "'wgna'" "accepted" "nsgan" "wgan-gp" "gan-qp" -- $S --model wgna --out x.csv
E "'l3'" "accepted" "l2" "r1" "r2" "gp" "l2g" -- $S --reg l3 --out x.csv
E "'sgdx'" "accepted" "flow" "simgd" "altgd" -- $S --opt sgdx --out x.csv
E "lamda" "accepted" "lambda" -- $S --model wgan-gp:lamda=1 --out x.csv
E "lambda" "nsgan" -- $S --model nsgan:lambda=1 --out x.csv
E "gamma2" "gamma" -- $S --reg l2:gamma2=1 --out x.csv
E "mom" "lr_d" -- $S --opt simgd:mom=0.9 --out x.csv
E "rk5" "dopri5|rk4|euler" -- $S --opt flow:method=rk5 --out x.csv
E "xy" "dg|gd" -- $S --opt altgd:order=xy --out x.csv
E "theta|phi" "psi" -- $S --model gan-qp:divisor=psi --out x.csv
E "--bogus" -- $S --bogus --out x.csv
E "--bogus" -- $S --out x.csv --bogus=1
E "stray" -- $S stray --out x.csv
E "--quiet" -- $S --quiet=1 --out x.csv
E "--model" -- $S --out x.csv --model
E "frobnicate" "list" "simulate" -- frobnicate
E "bogus" -- help bogus
E "bogus" "models" "regularizers" "optimizers" -- list bogus
E "extra" -- list models extra

# --- malformed or non-finite numbers
E "--t-end" "abc" -- $S --t-end abc --out x.csv
E "--t-end" "1e999" -- $S --t-end 1e999 --out x.csv
E "--t-end" "nan" -- $S --t-end nan --out x.csv
E "--dt" "inf" -- $S --dt inf --out x.csv
E "--dt" "-inf" -- $S --dt -inf --out x.csv
E "--t-end" -- $S --t-end "" --out x.csv
E "--t-end" "5x" -- $S --t-end 5x --out x.csv
E "--t-end" "5 " -- $S --t-end "5 " --out x.csv
E "--t-end" " 5" -- $S --t-end " 5" --out x.csv
E "--t-end" -- $S --t-end $'\v5' --out x.csv
E "--dim" "abc" -- $S --dim abc --out x.csv
E "--dim" "2.5" -- $S --dim 2.5 --out x.csv
E "--dim" "99999999999999999999" -- $S --dim 99999999999999999999 --out x.csv
E "--dim" " 3" -- $S --dim " 3" --init 1,1,1,1,1,1 --out x.csv
E "--steps" "1e3" -- $S --opt simgd --steps 1e3 --out x.csv
E "--init" "abc" -- $S --init 0.1,abc,0.2,0.1 --out x.csv
E "--init" "nan" -- $S --init 0.1,0.2,0.2,nan --out x.csv
E "--init" "1e999" -- $S --init 1e999,0.2,0.2,0.1 --out x.csv
E "--init" -- $S --init 0.1,,0.2,0.1 --out x.csv
E "wgan-gp" "lambda" "abc" -- $S --model wgan-gp:lambda=abc --out x.csv
E "lr" "inf" -- $S --opt simgd:lr=inf --out x.csv
E "rtol" "nan" -- $S --opt flow:rtol=nan --out x.csv
E "gamma" -- $S --reg l2:gamma= --out x.csv
E "--ema" "abc" -- $S --ema beta=abc --out x.csv
E "--ema" "zz" -- $S --ema tau=zz --out x.csv
E "--eps" "nan" -- $S --eps nan --out x.csv

# --- malformed specs
E "rtol" "key=value" -- $S --opt flow:rtol --out x.csv
E "empty item" -- $S --opt flow:rtol=1e-8, --out x.csv
E "=1" "key=value" -- $S --opt simgd:=1 --out x.csv
E "model" -- $S --model "" --out x.csv
E "ns" -- $S --model $'ns\ngan' --out x.csv

# --- wrong --init length
E "--init" "3" "4" -- $S --init 0.1,0.2,0.2 --out x.csv
E "--init" "5" "4" -- $S --init 0.1,0.2,0.2,0.1,0.5 --out x.csv
E "--init" "4" "6" -- $S --dim 3 --init 0.1,0.2,0.2,0.1 --out x.csv

# --- out-of-range values
E "rtol=-1" "(0, 1)" -- $S --opt flow:rtol=-1 --out x.csv
E "rtol=1" "(0, 1)" -- $S --opt flow:rtol=1 --out x.csv
E "atol=0" "> 0" -- $S --opt flow:atol=0 --out x.csv
E "--dim" "0" "1" -- $S --dim 0 --out x.csv
E "--dim" "-2" -- $S --dim -2 --out x.csv
E "ndis=0" "[1, 1e+06]" -- $S --opt altgd:ndis=0 --out x.csv
E "ndis=1.5" "whole number" -- $S --opt altgd:ndis=1.5 --out x.csv
E "ndis" "2.0000001" -- $S --opt altgd:ndis=2.0000001 --out x.csv
E "max_steps=0" -- $S --opt flow:max_steps=0 --out x.csv
E "lambda=0" "> 0" -- $S --model gan-qp:lambda=0 --out x.csv
E "lambda=-1" "> 0" -- $S --model gan-qp:lambda=-1 --out x.csv
E "lambda=-2" ">= 0" -- $S --model wgan-gp:lambda=-2 --out x.csv
E "c=-1" ">= 0" -- $S --reg gp:c=-1 --out x.csv
E "gamma=-0.5" ">= 0" -- $S --reg l2g:gamma=-0.5 --out x.csv
E "lr=0" "> 0" -- $S --opt simgd:lr=0 --out x.csv
E "lr_d=-1" "> 0" -- $S --opt flow:lr_d=-1 --out x.csv
E "ema" "1" "[0, 1)" -- $S --ema 1 --out x.csv
E "ema" "1.5" "[0, 1)" -- $S --ema 1.5 --out x.csv
E "ema" "-0.5" "[0, 1)" -- $S --ema -0.5 --out x.csv
E "1.00000001" "[0, 1)" -- $S --ema 1.00000001 --out x.csv
E "tau=-1" -- $S --ema tau=-1 --out x.csv
E "tau=0" -- $S --ema tau=0 --out x.csv
E "--every" "0" -- $S --opt simgd --every 0 --out x.csv
E "--steps" "-1" -- $S --opt simgd --steps -1 --out x.csv
E "--t-end" "0" "> 0" -- $S --t-end 0 --out x.csv
E "--t-end" "-3" "> 0" -- $S --t-end -3 --out x.csv
E "--dt" "-1" "> 0" -- $S --dt -1 --out x.csv
E "--dt" "0" "> 0" -- $S --dt 0 --out x.csv
E "--eps" "0" "> 0" -- $S --eps 0 --out x.csv
E "t-end" -- $S --t-end 1e9 --out x.csv
E "at most 8" -- $S --reg l2 --reg l2 --reg l2 --reg l2 --reg l2 --reg l2 \
    --reg l2 --reg l2 --reg l2 --out x.csv
E "at most 8" -- $S --ema 0.1 --ema 0.2 --ema 0.3 --ema 0.4 --ema 0.5 \
    --ema 0.6 --ema 0.7 --ema 0.8 --ema 0.9 --out x.csv

# --- options that do not apply
E "--steps" "flow" -- $S --steps 10 --out x.csv
E "--every" "flow" -- $S --every 2 --out x.csv
E "--t-end" "simgd" -- $S --opt simgd --t-end 5 --out x.csv
E "--dt" "altgd" -- $S --opt altgd --dt 0.5 --out x.csv
E "tau=5" -- $S --opt simgd --ema tau=5 --out x.csv
E "--summary" "stdout" -- $S --summary
E "--summary" "stdout" -- $S --summary -

# --- unwritable or unknown outputs
E "nodir/x.csv" -- $S --out nodir/x.csv
E "nodir/s.json" -- $S --out x.csv --summary nodir/s.json
PRE='mkdir d.csv'
E "d.csv" "directory" -- $S --out d.csv
PRE='mkdir d.json'
E "d.json" "directory" -- $S --out x.csv --summary d.json
PRE='mkdir d.json'
E "d.json" "directory" -- $S --out d.json --summary s.json
PRE='echo hello >f'
E "f/x.csv" -- $S --out f/x.csv
E "x.txt" ".csv" ".json" ".npy" -- $S --out x.txt
E "x.CSV" ".csv" -- $S --out x.CSV
E "'noext'" ".csv" -- $S --out noext
E ".csv" ".json" ".npy" -- $S --out ""
E "x.txt" ".csv" -- $S --out x.txt --summary s.json
E "wgna" -- $S --model wgna --out x.csv --summary s.json
E "abc" -- $S --t-end abc --out x.npy --summary s.json

# Read-only directory: only meaningful when permissions are enforced (not
# for root).
if ro_dir; then
    E "ro/x.csv" -- $S --out "$W/ro/x.csv"
    E "ro/s.json" -- $S --out "$W/rw.csv" --summary "$W/ro/s.json"
    ro_clean
fi

# ------------------------------------------------------------ successes
#
# R NAME ARGS...: runs in $W/NAME (fresh), stdout in NAME.out, stderr in
# NAME.err, returns the exit status.
R() {
    local name=$1
    shift
    rm -rf "${W:?}/$name"
    mkdir "$W/$name"
    (cd "$W/$name" && exec "$G" "$@") >"$W/$name.out" 2>"$W/$name.err" </dev/null
}

# default run: CSV on stdout
R def simulate
rc=$?
check "gandyn simulate: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "gandyn simulate: stderr empty" [ ! -s "$W/def.err" ]
check "gandyn simulate: header is 't,phi1,phi2,theta1,theta2' (got '$(head -n 1 "$W/def.out")')" \
    [ "$(head -n 1 "$W/def.out")" = "t,phi1,phi2,theta1,theta2" ]
check "gandyn simulate: 1002 lines (got $(wc -l <"$W/def.out"))" \
    [ "$(wc -l <"$W/def.out")" -eq 1002 ]
check "gandyn simulate: first row is t=0 at the seed's start (got '$(sed -n 2p "$W/def.out")')" \
    [ "$(sed -n 2p "$W/def.out")" = "0,0.10000000000000001,0.20000000000000001,0.20000000000000001,0.10000000000000001" ]
check "gandyn simulate: last row is at t = 100 (got '$(tail -n 1 "$W/def.out" | cut -d, -f1)')" \
    [ "$(tail -n 1 "$W/def.out" | cut -d, -f1)" = "100" ]
check "gandyn simulate: every row has 5 fields" \
    [ "$(awk -F, 'NF != 5' "$W/def.out" | wc -l)" -eq 0 ]
check "gandyn simulate: no file created" [ -z "$(ls -A "$W/def")" ]

# --out x.csv: the same CSV in the file, a readable summary on stdout
R csv simulate --out x.csv
rc=$?
check "--out x.csv: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--out x.csv: stderr empty" [ ! -s "$W/csv.err" ]
check "--out x.csv: file created" [ -f "$W/csv/x.csv" ]
check "--out x.csv: file equals the stdout CSV of the default run" \
    cmp -s "$W/csv/x.csv" "$W/def.out"
check "--out x.csv: stdout has a readable summary ('gandyn simulate: nsgan')" \
    grep -q '^gandyn simulate: nsgan' "$W/csv.out"
check "--out x.csv: summary has a diagnosis line" grep -q '^  diagnosis: ' "$W/csv.out"
check "--out x.csv: summary has a work line with 1001 samples" \
    grep -q '^  work: .*1001 samples' "$W/csv.out"
check "--out x.csv: stdout is not CSV" [ "$(grep -c '^t,phi1' "$W/csv.out")" -eq 0 ]
check "--out x.csv: only x.csv in the directory (got: $(ls -A "$W/csv" | tr '\n' ' '))" \
    [ "$(ls -A "$W/csv")" = "x.csv" ]
check "--out x.csv: mode 644 under umask 022 (got $(stat -c %a "$W/csv/x.csv"))" \
    [ "$(stat -c %a "$W/csv/x.csv")" = "644" ]

# --quiet: nothing on stdout
R quiet simulate --out x.csv --quiet
rc=$?
check "--quiet: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--quiet: stdout empty" [ ! -s "$W/quiet.out" ]
check "--quiet: same file" cmp -s "$W/quiet/x.csv" "$W/def.out"

# --out x.npy: NumPy format 1.0
R npy simulate --out x.npy
rc=$?
F="$W/npy/x.npy"
check "--out x.npy: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--out x.npy: file created" [ -f "$F" ]
if [ -f "$F" ]; then
    magic=$(head -c 8 "$F" | od -An -tx1 | tr -s ' ' | sed 's/^ //; s/ $//')
    check "--out x.npy: magic and version '93 4e 55 4d 50 59 01 00' (got '$magic')" \
        [ "$magic" = "93 4e 55 4d 50 59 01 00" ]
    hlen=$(od -An -tu2 -j 8 -N 2 --endian=little "$F" | tr -d ' ')
    check "--out x.npy: header ends on a multiple of 64 (10 + $hlen)" \
        [ $(((10 + hlen) % 64)) -eq 0 ]
    header=$(head -c $((10 + hlen)) "$F" | tail -c "$hlen")
    check "--out x.npy: header dict (got '$header')" \
        [ "$(printf '%s' "$header" | sed 's/ *$//')" = "{'descr': '<f8', 'fortran_order': False, 'shape': (1001, 5), }" ]
    lastc=$(head -c $((10 + hlen)) "$F" | tail -c 1 | od -An -tx1 | tr -d ' ')
    check "--out x.npy: header ends with a newline (got byte $lastc)" [ "$lastc" = "0a" ]
    size=$(stat -c %s "$F")
    check "--out x.npy: size 10 + $hlen + 1001*5*8 (got $size)" \
        [ "$size" -eq $((10 + hlen + 1001 * 5 * 8)) ]
    # first data value: t = 0 -> eight zero bytes; second: phi1 = 0.1
    first=$(od -An -tx1 -j $((10 + hlen)) -N 16 "$F" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
    check "--out x.npy: first doubles 0.0 and 0.1 little-endian (got '$first')" \
        [ "$first" = "00 00 00 00 00 00 00 00 9a 99 99 99 99 99 b9 3f" ]
    if [ "$HAVE_NUMPY" = 1 ]; then
        msg=$("$PY" - "$F" "$W/def.out" <<'EOF' 2>&1
import sys
import numpy as np
a = np.load(sys.argv[1])
assert a.shape == (1001, 5), "shape %r" % (a.shape,)
assert a.dtype == np.dtype('<f8'), "dtype %r" % (a.dtype,)
with open(sys.argv[2]) as f:
    lines = f.read().splitlines()
assert lines[0] == "t,phi1,phi2,theta1,theta2", lines[0]
b = np.array([[float(v) for v in l.split(",")] for l in lines[1:]])
assert b.shape == a.shape, "csv shape %r" % (b.shape,)
ua = a.view(np.uint64)
ub = b.view(np.uint64)
bad = np.argwhere(ua != ub)
assert bad.size == 0, "%d cells differ, first at %r: npy %r csv %r" % (
    len(bad), tuple(bad[0]), a[tuple(bad[0])], b[tuple(bad[0])])
EOF
)
        check "--out x.npy: numpy loads shape (1001, 5) equal bit for bit to the CSV: $msg" \
            [ -z "$msg" ]
    else
        skip "numpy not available in $PY: NPY contents not compared"
    fi
fi

# --out x.json --summary s.json
R json simulate --out x.json --summary s.json --ema 0.9 --uniform
rc=$?
check "--out x.json --summary s.json: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "--out x.json --summary s.json: both files (got: $(ls -A "$W/json" | tr '\n' ' '))" \
    [ "$(ls -A "$W/json" | tr '\n' ' ')" = "s.json x.json " ]
check "--out x.json --summary s.json: readable summary on stdout" \
    grep -q '^gandyn simulate: nsgan' "$W/json.out"
R csvavg simulate --out x.csv --ema 0.9 --uniform
check "--ema 0.9 --uniform: CSV header (got '$(head -n 1 "$W/csvavg/x.csv")')" \
    [ "$(head -n 1 "$W/csvavg/x.csv")" = "t,phi1,phi2,theta1,theta2,ema0.9_phi1,ema0.9_phi2,ema0.9_theta1,ema0.9_theta2,uniform_phi1,uniform_phi2,uniform_theta1,uniform_theta2" ]
if [ "$HAVE_PY" = 1 ]; then
    check "x.json: python3 -m json.tool accepts it" \
        "$PY" -m json.tool "$W/json/x.json" /dev/null
    check "s.json: python3 -m json.tool accepts it" \
        "$PY" -m json.tool "$W/json/s.json" /dev/null
    msg=$("$PY" - "$W/json/x.json" "$W/json/s.json" "$W/csvavg/x.csv" <<'EOF' 2>&1
import json, sys
x = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
with open(sys.argv[3]) as f:
    lines = f.read().splitlines()
cols = lines[0].split(",")
assert x["columns"] == cols, "columns %r" % (x["columns"],)
rows = [[float(v) for v in l.split(",")] for l in lines[1:]]
assert len(x["rows"]) == 1001, "rows %d" % len(x["rows"])
assert x["rows"] == rows, "json rows differ from the csv"
for k in ("model", "optimizer", "final", "diagnosis", "work", "averages"):
    assert k in s, "summary lacks key %r" % k
assert s["model"]["name"] == "nsgan", s["model"]
assert s["optimizer"]["name"] == "flow", s["optimizer"]
assert len(s["averages"]) == 2, "averages %r" % (s["averages"],)
assert s["averages"][0]["name"] == "ema0.9", s["averages"][0]
assert s["averages"][1]["name"] == "uniform", s["averages"][1]
assert s["work"]["samples"] == 1001, s["work"]
assert s["final"]["state"] == rows[-1][1:5], (s["final"]["state"], rows[-1])
assert s["columns"] == cols, s["columns"]
EOF
)
    check "x.json/s.json contents agree with the CSV: $msg" [ -z "$msg" ]
else
    skip "$PY not available: JSON not validated"
fi

# --summary alone (stdout) with --out
for form in "--summary" "--summary=-" "--summary -"; do
    # shellcheck disable=SC2086
    R sumout simulate --out x.csv $form
    rc=$?
    check "--out x.csv $form: exit 0 (got $rc)" [ "$rc" -eq 0 ]
    check "--out x.csv $form: file written" cmp -s "$W/sumout/x.csv" "$W/def.out"
    check "--out x.csv $form: stdout starts with '{'" \
        [ "$(head -c 1 "$W/sumout.out")" = "{" ]
    check "--out x.csv $form: no readable report mixed in" \
        [ "$(grep -c '^gandyn simulate' "$W/sumout.out")" -eq 0 ]
    if [ "$HAVE_PY" = 1 ]; then
        check "--out x.csv $form: stdout is JSON with the summary keys" \
            "$PY" -c '
import json, sys
s = json.load(sys.stdin)
for k in ("model", "optimizer", "final", "diagnosis", "work", "averages"):
    assert k in s, k
' <"$W/sumout.out"
    fi
done

# discrete run: step column
R disc simulate --opt simgd --steps 10 --every 5
rc=$?
check "simgd --steps 10 --every 5: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "simgd --steps 10 --every 5: header starts 'step,' and steps 0,5,10 (got '$(cut -d, -f1 "$W/disc.out" | tr '\n' ' ')')" \
    [ "$(cut -d, -f1 "$W/disc.out" | tr '\n' ' ')" = "step 0 5 10 " ]

# determinism: identical runs give identical files
R det1 simulate --out x.csv --summary s.json --ema 0.99 --quiet
R det2 simulate --out x.csv --summary s.json --ema 0.99 --quiet
R det3 simulate --out x.npy --quiet
R det4 simulate --out x.npy --quiet
R det5 simulate --out x.json --quiet --opt altgd:lr=0.05 --steps 200
R det6 simulate --out x.json --quiet --opt altgd:lr=0.05 --steps 200
check "two identical runs: x.csv byte-identical" cmp -s "$W/det1/x.csv" "$W/det2/x.csv"
check "two identical runs: s.json byte-identical" cmp -s "$W/det1/s.json" "$W/det2/s.json"
check "two identical runs: x.npy byte-identical" cmp -s "$W/det3/x.npy" "$W/det4/x.npy"
check "two identical runs: x.json byte-identical" cmp -s "$W/det5/x.json" "$W/det6/x.json"
check "no temporary files after successful runs" no_tmps "$W"

# ----------------------------------------------------------- help, list
help_ok() { # NAME FIRST-LINE ARGS...
    local name=$1 first=$2
    shift 2
    R "$name" "$@"
    local rc=$?
    check "$(show "$@"): exit 0 (got $rc)" [ "$rc" -eq 0 ]
    check "$(show "$@"): first line '$first' (got '$(head -n 1 "$W/$name.out")')" \
        [ "$(head -n 1 "$W/$name.out")" = "$first" ]
    check "$(show "$@"): stderr empty" [ ! -s "$W/$name.err" ]
}
help_ok h1 "usage: gandyn COMMAND [OPTIONS]" --help
help_ok h2 "usage: gandyn COMMAND [OPTIONS]" help
help_ok h3 "usage: gandyn list [models|regularizers|optimizers]" list --help
help_ok h4 "usage: gandyn simulate [OPTIONS]" simulate --help
help_ok h5 "usage: gandyn simulate [OPTIONS]" help simulate
help_ok h6 "usage: gandyn list [models|regularizers|optimizers]" help list
help_ok h7 "usage: gandyn simulate [OPTIONS]" simulate -h
check "'gandyn help simulate' = 'gandyn simulate --help'" cmp -s "$W/h4.out" "$W/h5.out"
check "'gandyn --help' names both commands" \
    grep -q '^  list ' "$W/h1.out"
check "'gandyn --help' names simulate" grep -q '^  simulate ' "$W/h1.out"
check "'gandyn simulate --help' documents every option" \
    bash -c 'for o in --model --reg --dim --init --opt --t-end --dt --steps --every --ema --ema-debias --uniform --out --summary --eps --quiet; do grep -qF -- "  $o " "$1" || { echo "missing $o"; exit 1; }; done' _ "$W/h4.out"

list_ok() { # CATEGORY TITLE NAMES...
    local cat=$1 title=$2 nm
    shift 2
    R "l_$cat" list "$cat"
    local rc=$?
    check "gandyn list $cat: exit 0 (got $rc)" [ "$rc" -eq 0 ]
    check "gandyn list $cat: stderr empty" [ ! -s "$W/l_$cat.err" ]
    check "gandyn list $cat: starts with '$title'" \
        [ "$(head -n 1 "$W/l_$cat.out" | cut -d' ' -f1)" = "$title" ]
    for nm in "$@"; do
        check "gandyn list $cat: mentions '$nm'" \
            grep -qE "^  $nm +[^ ]" "$W/l_$cat.out"
    done
    check "gandyn list $cat: exactly $# entries" \
        [ "$(grep -cE '^  [a-z0-9-]+ ' "$W/l_$cat.out")" -eq $# ]
}
# The registries, as the unknown-name messages list them; they must hold at
# least the documented names, and 'gandyn list' must show every one.
accepted() {
    "$G" simulate "$@" 2>&1 >/dev/null |
        sed -n 's/.*(accepted: \(.*\))$/\1/p' | tr -d ','
}
MODELS=$(accepted --model zz-none)
REGS=$(accepted --reg zz-none)
OPTS=$(accepted --opt zz-none)
has_all() { # "LIST" NAMES...
    local list=" $1 " nm
    shift
    for nm in "$@"; do
        case "$list" in *" $nm "*) ;; *) echo "missing $nm"; return 1 ;; esac
    done
}
check "models registry '$MODELS' holds gan nsgan wgan wgan-gp gan-qp" \
    has_all "$MODELS" gan nsgan wgan wgan-gp gan-qp
check "regularizers registry '$REGS' holds l2 r1 r2 gp l2g" \
    has_all "$REGS" l2 r1 r2 gp l2g
check "optimizers registry '$OPTS' holds flow simgd altgd" \
    has_all "$OPTS" flow simgd altgd
# shellcheck disable=SC2086
list_ok models "models" $MODELS
# shellcheck disable=SC2086
list_ok regularizers "regularizers" $REGS
# shellcheck disable=SC2086
list_ok optimizers "optimizers" $OPTS
R lall list
check "gandyn list: exit 0" [ "$?" -eq 0 ]
check "gandyn list: all three sections" \
    [ "$(grep -cE '^(models|regularizers|optimizers) ' "$W/lall.out")" -eq 3 ]
check "gandyn list: mentions the parameter keys" \
    bash -c 'for k in lambda c divisor gamma method rtol atol h lr lr_d lr_g max_steps order ndis; do grep -qE "^      $k +=" "$1" || { echo "missing $k"; exit 1; }; done' _ "$W/lall.out"

# ------------------------------------------------- parsing rules (issue 9)

# a key given twice in a SPEC
E "adam" "'lr'" "twice" -- $S --opt adam:lr=0.1,lr=0.2 --out x.csv
E "wgan-gp" "'lambda'" "twice" -- $S --model wgan-gp:lambda=1,c=0,lambda=1 --out x.csv
E "l2" "'gamma'" "twice" -- $S --reg l2:gamma=0.1,gamma=0.1 --out x.csv
E "flow" "'method'" "twice" -- $S --opt flow:method=rk4,method=euler --out x.csv
E "adam" "'lr'" "twice" -- analyze --opt adam:lr=0.1,lr=0.2
E "adam" "'lr'" "twice" -- sweep --opt adam:lr=0.1,lr=0.2 --steps 10 --grid lr_d=0.1:1:2 --out o.csv
# a single-valued option given twice, in every subcommand that has one
E "'--steps'" "twice" -- $S --opt simgd --steps 10 --steps 20 --out x.csv
E "'--model'" "twice" -- $S --model gan --model nsgan --out x.csv
E "'--out'" "twice" -- $S --out a.csv --out b.csv
E "'--init'" "twice" -- $S --init 1,1,1,1 --init 2,2,2,2 --out x.csv
E "'--summary'" "twice" -- $S --out x.csv --summary a.json --summary b.json
E "'--model'" "twice" -- analyze --model a --model b
E "'--opt'" "twice" -- analyze --opt simgd --opt=altgd
E "'--json'" "twice" -- analyze --json a.json --json b.json
E "'--steps'" "twice" -- sweep --opt simgd --steps 10 --steps 20 --grid lr=0.1:1:2 --out o.csv
E "'--seed'" "twice" -- sweep --random 3 --seed 1 --seed 2 --out o.csv
E "'--out'" "twice" -- reproduce --out d1 --out d2
PRE="'$G' simulate --t-end 1 --out r.csv --quiet"
E "'--kind'" "twice" -- plot r.csv --kind theta --kind series -o p.png
# repeatable options still repeat; flags may be repeated
R rep1 simulate --reg l2:gamma=0.1 --reg l2g:gamma=0.1 --ema 0.9 --ema 0.99 --quiet --quiet --out x.csv
check "--reg, --ema twice and --quiet twice: exit 0 (got $?)" [ -f "$W/rep1/x.csv" ]
R rep2 analyze --opt simgd --reg l2 --scan lr=0.1:1:3 --scan gamma=0.1:1:3 --quiet
check "analyze --scan twice: exit 0 (got $?)" [ ! -s "$W/rep2.err" ]

# hexadecimal is refused everywhere (strtod would read it)
E "--t-end" "'0x10'" "hexadecimal" -- $S --t-end 0x10 --out x.csv
E "'0x1p3'" "hexadecimal" -- $S --opt simgd:lr=0x1p3 --out x.csv
E "--init" "'0x1'" -- $S --init 0x1,0.1,0.1,0.1 --out x.csv
E "'0x1p-3'" -- analyze --model wgan-gp:lambda=0x1p-3
E "'0x0'" -- analyze --at 0x0,0
E "--tol" "'0x1p-20'" -- analyze --tol 0x1p-20
E "'0x1'" -- sweep --opt simgd --steps 10 --grid lr=0x1:2:3 --out o.csv
E "--dim" "'0x2'" -- $S --dim 0x2 --out x.csv
# subnormals are numbers; a nonzero value that underflows to 0 is too small
R sub simulate --opt simgd:lr=1e-310 --steps 3 --every 1 --out x.csv
check "simgd:lr=1e-310 (subnormal): accepted (got $?: $(cat "$W/sub.err"))" [ -f "$W/sub/x.csv" ]
E "--t-end" "'1e-400'" "too small" -- $S --t-end 1e-400 --out x.csv
E "'1e-330'" "too small" -- $S --opt simgd:lr=1e-330 --out x.csv
R sub2 simulate --opt simgd:lr=1e-330 --out x.csv
check "1e-330: not called 'not finite'" bash -c '! grep -q finite "$1"' _ "$W/sub2.err"

# two EMAs whose values agree to 6 digits are two groups, each named so
# that the name reads back as its value
R ema2 simulate --t-end 2 --ema 0.99 --ema 0.990000001 --ema tau=5 --ema tau=5.0000001 --out e.csv
check "--ema 0.99 --ema 0.990000001: exit 0 ($(cat "$W/ema2.err"))" [ -f "$W/ema2/e.csv" ]
check "EMA group names round-trip (header: $(head -n 1 "$W/ema2/e.csv" | cut -c1-200))" \
    bash -c 'h=$(head -n 1 "$1"); for g in ema0.99 ema0.990000001 ema_tau5 ema_tau5.0000001; do case ",$h," in *",${g}_phi1,"*) ;; *) exit 1 ;; esac; done' _ "$W/ema2/e.csv"
R ema3 plot "$W/ema2/e.csv" -o p.png
check "plot reads the four EMA groups back ($(cat "$W/ema3.err"))" [ -s "$W/ema3/p.png" ]
E "--ema 0.99" "twice" -- $S --ema 0.99 --ema 0.990 --out x.csv

# a coordinate name has no leading zero, sign or space
E "'theta01'" -- sweep --grid theta01=0:1:3 --out o.csv
E "'phi01'" -- sweep --grid phi01=0:1:3 --out o.csv
E "'theta+1'" -- sweep --grid theta+1=0:1:3 --out o.csv
E "'theta01'" -- analyze --scan theta01=0:1:3
R th1 sweep --opt simgd --steps 10 --grid theta1=0:1:3 --out o.csv --quiet
check "sweep --grid theta1: still a coordinate ($(cat "$W/th1.err"))" [ -f "$W/th1/o.csv" ]

# a UTF-8 byte order mark at the start of a CSV or JSON file is skipped
R bom0 simulate --t-end 2 --out r.csv
R bom0j simulate --t-end 2 --out r.json
printf '\357\273\277' | cat - "$W/bom0/r.csv" >"$W/bom.csv"
printf '\357\273\277' | cat - "$W/bom0j/r.json" >"$W/bom.json"
R bom1 plot "$W/bom0/r.csv" -o a.png
R bom2 plot "$W/bom.csv" -o a.png
check "plot of a CSV with a BOM: exit 0 ($(cat "$W/bom2.err"))" [ -s "$W/bom2/a.png" ]
check "plot of a CSV with a BOM: the same figure as without" cmp -s "$W/bom1/a.png" "$W/bom2/a.png"
R bom3 plot "$W/bom.json" -o a.png
check "plot of a JSON with a BOM: exit 0 ($(cat "$W/bom3.err"))" [ -s "$W/bom3/a.png" ]
check "plot of a JSON with a BOM: the same figure" cmp -s "$W/bom1/a.png" "$W/bom3/a.png"
# only at the start, and only the whole mark
printf 't\357\273\277,phi1\n' >"$W/bom-mid.csv"
E "line 1" -- plot "$W/bom-mid.csv" -o a.png
printf '\357\273t,phi1,theta1\n0,1,1\n' >"$W/bom-cut.csv"
E "line 1" -- plot "$W/bom-cut.csv" -o a.png

# did you mean: names, keys, choices, options
E "'nsgn'" "did you mean 'nsgan'?" "accepted" -- $S --model nsgn --out x.csv
E "'lamda'" "did you mean 'lambda'?" "accepted: lambda, c" -- $S --model wgan-gp:lamda=1 --out x.csv
E "'--stpes'" "did you mean '--steps'?" -- $S --opt simgd --stpes 10 --out x.csv
E "'l3'" "did you mean 'l2'?" -- $S --reg l3 --out x.csv
E "'extragradeint'" "did you mean 'extragradient'?" -- analyze --opt extragradeint
E "'gamam'" "did you mean 'gamma'?" -- analyze --reg l2:gamam=1
E "'rk5'" "did you mean 'rk4'?" -- $S --opt flow:method=rk5 --out x.csv
E "'--gird'" "did you mean '--grid'?" -- sweep --gird lr=0.1:1:3 --out o.csv
E "'--sacn'" "did you mean '--scan'?" -- analyze --sacn lr=0.1:1:3
E "'--titel'" "did you mean '--title'?" -- plot r.csv --titel x -o p.png
E "'--outt'" "did you mean '--out'?" -- reproduce --outt d
E "'lamda'" "did you mean 'lambda'?" -- analyze --model wgan-gp --scan lamda=0:1:3
E "'gamam'" "did you mean 'gamma'?" -- sweep --opt simgd --reg l2 --grid gamam=0:1:3 --out o.csv
E "'simulte'" "did you mean 'simulate'?" -- simulte
E "'swep'" "did you mean 'sweep'?" -- help swep
E "'modles'" "did you mean 'models'?" -- list modles
R dym simulate --model frobnicate --out x.csv
check "no suggestion for a far name ($(cat "$W/dym.err"))" bash -c '! grep -q "did you mean" "$1"' _ "$W/dym.err"

finish
