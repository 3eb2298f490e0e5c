#!/bin/bash
# cli_bounded.sh - bounded, defined work (issue 9, sections 2 and 3): step
# budgets checked before a run starts, EMA time constants the integrator
# cannot follow refused, starts beyond the divergence range refused, and the
# outcomes that are not divergence (step budget exhausted, step size
# underflow, a first step out of range) named as such.
#
# usage: bash tests/cli_bounded.sh PATH_TO_GANDYN
set -u

. "$(dirname "$0")/lib_cli.sh"

S=simulate

# ------------------------------------------------- refused before starting
# rk4/euler: steps = 1000 intervals x ceil(0.1 / h) against max_steps = 1e8
E "flow: h=1e-300" "1e+302 steps" "max_steps = 1e+08" -- $S --opt flow:method=rk4,h=1e-300 --out x.csv
E "flow: h=1e-12" "1e+14 steps" "max_steps" -- $S --opt flow:method=euler,h=1e-12 --out x.csv
E "flow: h=1e-300" -- $S --opt flow:method=rk4,h=1e-300,max_steps=1e15 --out x.csv
E "h=0.01" "1e+04 steps" "max_steps = 9999" -- $S --opt flow:method=rk4,max_steps=9999 --out x.csv
E "flow: h=1e-300" -- sweep --opt flow:method=rk4,h=1e-300 --grid lr=0.5:1:3 --out s.npy
E "flow: h=1e-300" -- sweep --opt flow:method=euler,h=1e-300 --grid lr=0.5:1:3 --out s.csv
# an EMA faster than any step dopri5 can take, or than its budget allows
E "ema tau=1e-20" "smallest step" -- $S --ema tau=1e-20 --out x.csv
E "ema tau=1e-300" "smallest step" -- $S --ema tau=1e-300 --out x.csv
E "ema tau=1e-08" "max_steps = 1e+08" -- $S --ema tau=1e-8 --out x.csv
E "ema tau=0.001" "unstable" -- $S --opt flow:method=rk4,h=0.01 --ema tau=0.001 --out x.csv
E "ema tau=0.004" "unstable" -- $S --opt flow:method=euler,h=0.01 --ema tau=0.004 --out x.csv
# starts beyond the divergence range |x_i| <= 1e100
E "--init" "1e+300" "1e+100" -- $S --init 1e300,1e300,1e300,1e300 --out x.csv
E "--init" "value 3" -- $S --init 0.1,0.2,-2e100,0.1 --opt simgd --out x.csv

# ----------------------------------------------------- accepted, bounded
ok_run() { # DESC ARGS...: exit 0, and no nan/inf anywhere in out.csv
    local desc=$1
    shift
    rm -f out.csv sum.json
    if "$G" $S "$@" --out out.csv --summary sum.json >run.txt 2>run.err; then
        if grep -qiE 'nan|inf' out.csv; then
            bad "$desc: nan/inf in the path"
        else
            ok
        fi
    else
        bad "$desc: exit $? ($(head -c 300 run.err))"
    fi
}
# max_steps is the budget of rk4/euler too: exactly 1e4 steps fit
ok_run "rk4 max_steps=10000" --opt flow:method=rk4,max_steps=10000
check "rk4 took 1e4 steps" grep -q '"accepted": 10000' sum.json
# the largest unstable-free rk4 EMA and a stiff dopri5 EMA: finite averages
ok_run "rk4 h/tau = 2.5" --opt flow:method=rk4,h=0.01 --ema tau=0.004 --t-end 1
ok_run "dopri5 tau=1e-7" --ema tau=1e-7 --t-end 0.01 --dt 0.001
check "stiff EMA: done" grep -q '"status": "done"' sum.json
# the largest start accepted
ok_run "start at 1e100" --init 0.1,0.2,1e100,0.1 --opt simgd --steps 5

status_is() { # STATUS LABEL TEXT: the summary's outcome and its diagnosis
    grep -q "\"status\": \"$1\"" sum.json && grep -q "\"label\": \"$2\"" sum.json &&
        grep -qF "$3" sum.json
}
# ---------------------------------------------- outcomes, not divergence
ok_run "wgan-gp lambda=1e300 simgd" --model wgan-gp:lambda=1e300 --opt simgd:lr=0.1
check "lambda=1e300 simgd: overflow, undecided" status_is overflow undecided "the first step (step 1) left the range"
ok_run "wgan-gp lambda=1e300 flow" --model wgan-gp:lambda=1e300
check "lambda=1e300 flow: step-underflow, undecided" status_is step-underflow undecided "step size underflow at t = 0"
ok_run "max_steps=50" --opt flow:max_steps=50
check "dopri5 max_steps=50: step-budget, undecided" status_is step-budget undecided "step budget exhausted at t = "
check "readable summary says so" grep -q "diagnosis: undecided: step budget exhausted" run.txt
# a real divergence stays one
ok_run "simgd lr=3" --opt simgd:lr=3
check "simgd lr=3: diverged, diverges" status_is diverged diverges "left the range 1e+100 at step"
# batched sweep kernels and the one-by-one path name the overflow alike
# (label 5 = undecided), and neither writes an out-of-range count
# (the same for the flow's budget and a first rk4 step out of range)
for reg in "" "--reg l2:gamma=1e-300"; do
    for run in "--opt simgd --steps 10" "--opt flow:max_steps=5 --t-end 10" \
        "--opt flow:method=rk4 --t-end 1"; do
        rm -f s.csv s.csv.json
        grid="lr=1e150:1e151:3"
        case $run in *max_steps*) grid="lr=0.5:1:3" ;; esac
        if "$G" sweep $run --grid $grid $reg --out s.csv >/dev/null 2>&1; then
            check "sweep $run ${reg:-batched}: undecided" \
                bash -c '[ "$(cut -d, -f2 s.csv | tail -n +2 | sort -u)" = 5 ]'
        else
            bad "sweep $run ${reg:-batched} failed"
        fi
    done
done
# a sweep start beyond the range is refused on both paths alike (exit 2;
# what it leaves behind is tests/cli_errors.sh's business)
for reg in "" "--reg l2:gamma=1e-300"; do
    "$G" sweep --opt simgd --grid theta1=-1e200:1e200:3 --steps 10 $reg --out b.csv >/dev/null 2>b.err
    rc=$?
    check "sweep start 1e200 ${reg:-batched}: exit 2 ($rc)" [ "$rc" -eq 2 ]
    check "sweep start 1e200 ${reg:-batched}: message" grep -q "start value 3 = -1e+200 is beyond the divergence range" b.err
    rm -rf b.csv b.csv.parts b.csv.json
done

finish
