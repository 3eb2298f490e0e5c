#!/bin/bash
# cli_hwcaps.sh PATH_TO_GANDYN - the same bits on every x86-64: a set of
# gandyn commands (reproduce's claims and figures, sweeps of the batched
# kernels and of a generic model, simulate with adam, rmsprop, EMAs and
# debiasing, dopri5 and rk4 flows, analyze) run with glibc's default
# dispatch and with GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA (glibc's
# exp/log/pow/sin/... then take their non-FMA code paths); every output
# file, stdout, stderr and exit status must be the same bytes.  gandyn's
# results go through its own elementary functions (src/core/gmath.h), so
# nothing may change.  (Run against a binary that calls glibc's exp/log/pow
# this test fails: see docs/dynamics.md, "Elementary functions".)
set -u
bin=$(realpath "$1")
off=glibc.cpu.hwcaps=-AVX2,-FMA
W=$(mktemp -d "${TMPDIR:-/tmp}/gdn_hwcaps.XXXXXX")
trap 'rm -rf "$W"' EXIT
cmds=(
 "reproduce --out rep --no-gif --quiet"
 "simulate --model nsgan --t-end 100 --out flow.csv --summary flow.json"
 "simulate --model wgan --t-end 10 --out fma.csv"
 "simulate --model gan --opt flow:method=dopri5,rtol=1e-6,atol=1e-8 --t-end 50 --ema tau=2 --ema-debias --uniform --out dp.csv --summary dp.json"
 "simulate --model fgan-kl --reg r1:gamma=0.5 --dim 3 --t-end 30 --out fkl.csv"
 "simulate --model fgan-hellinger --t-end 30 --out fh.csv"
 "simulate --model fgan-js:gen=nonsaturating --reg noise:sigma=0.3 --t-end 30 --out fjs.csv"
 "simulate --opt adam:lr=0.01 --steps 3000 --ema 0.9 --ema 0.99 --ema-debias --out adam.csv --summary adam.json"
 "simulate --opt adam:lr=0.01 --model gan --steps 3000 --every 7 --ema 0.9 --uniform --out adam2.npy"
 "simulate --opt rmsprop:lr=0.01 --model nsgan --steps 3000 --ema 0.999 --ema-debias --out rms.csv"
 "simulate --opt flow:method=rk4,h=0.01 --model nsgan --t-end 20 --ema 0.99 --ema-debias --out rk4.csv"
 "sweep --opt simgd:lr=0.1 --model nsgan --steps 1000 --random 2000 --seed 7 --out s1.csv"
 "sweep --opt altgd:lr=0.1 --model gan --steps 1000 --random 2000 --seed 3 --out s2.csv"
 "sweep --opt flow:method=rk4,h=0.05 --model nsgan --t-end 20 --random 500 --seed 5 --out s3.csv"
 "sweep --opt flow:method=euler,h=0.05 --model gan --t-end 10 --random 500 --seed 2 --out s4.csv"
 "sweep --opt flow --model nsgan --t-end 20 --random 200 --seed 5 --out s5.csv"
 "sweep --opt flow --model gan --t-end 20 --random 200 --seed 9 --out s6.csv"
 "sweep --opt simgd --model nsgan --steps 500 --grid lr=0.01:1:30 --out s7.npy"
 "sweep --opt adam:lr=0.01 --model fgan-kl --steps 300 --random 200 --seed 1 --out s8.csv"
 "sweep --opt simgd --reg l2 --model nsgan --steps 300 --grid lr=log:0.01:1:12 --grid gamma=log:0.01:1.5:12 --out s9.csv --plot s9.svg"
 "analyze --model nsgan"
 "analyze --model gan --opt adam:lr=0.01 --json"
 "analyze --model nsgan --opt simgd --reg l2:gamma=0.3 --scan lr=0.01:2:50 --json"
 "analyze --model nsgan --opt extragradient:lr=0.1 --json"
)
i=0
for c in "${cmds[@]}"; do
    i=$((i + 1))
    for mode in on off; do
        mkdir -p "$W/$mode"
        if [ $mode = on ]; then
            (cd "$W/$mode" && "$bin" $c >out$i.stdout 2>out$i.stderr; echo $? >out$i.rc)
        else
            (cd "$W/$mode" && GLIBC_TUNABLES=$off "$bin" $c >out$i.stdout 2>out$i.stderr; echo $? >out$i.rc)
        fi
    done
done
# wall-clock times are not results
for mode in on off; do
    find "$W/$mode" -name '*.json' -exec sed -i -E 's/"seconds": [0-9.e+-]+/"seconds": T/' {} +
    find "$W/$mode" -name '*.stdout' -exec sed -i -E 's/ in [0-9.e+-]+ s \([0-9.e+-]+ per second/ in T s (/' {} +
done
fail=0
(cd "$W/on" && find . -type f | sort) >"$W/list.on"
(cd "$W/off" && find . -type f | sort) >"$W/list.off"
if ! cmp -s "$W/list.on" "$W/list.off"; then
    echo "FAIL: different sets of files"; diff "$W/list.on" "$W/list.off" | head; fail=1
fi
n=0 d=0
while read -r f; do
    n=$((n + 1))
    if ! cmp -s "$W/on/$f" "$W/off/$f"; then
        echo "FAIL: $f differs with $off"; d=$((d + 1)); fail=1
    fi
done <"$W/list.on"
bad=$(cat "$W"/on/*.rc | grep -vc '^0$')
if [ "$bad" != 0 ]; then
    echo "FAIL: $bad commands did not exit 0"; grep -l -v '^0$' "$W"/on/*.rc | head; fail=1
fi
echo "cli_hwcaps: ${#cmds[@]} commands, $n files, $d differ between the default dispatch and $off"
exit $fail
