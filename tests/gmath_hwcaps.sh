#!/bin/bash
# gmath_hwcaps.sh TEST_GMATH - gdn__exp/expm1/log/log1p/pow_pos give the same
# bits whichever glibc variant the CPU dispatches to: the hash of all their
# outputs on the test sample is the same with glibc's default (FMA) variants
# and with GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA. Control: the same hash
# over glibc's exp/expm1/log/log1p/pow differs between the two modes where
# the CPU has FMA (so the switch is in effect and the comparison can fail).
set -u
bin=$1
off=glibc.cpu.hwcaps=-AVX2,-FMA
fail=0
a=$("$bin" --hash) && b=$(GLIBC_TUNABLES=$off "$bin" --hash) || { echo "FAIL: --hash did not run"; exit 1; }
if [ -n "$a" ] && [ "$a" = "$b" ]; then
    echo "ok: gdn__ hash $a in both modes"
else
    echo "FAIL: gdn__ hash $a (default) vs $b ($off)"; fail=1
fi
la=$("$bin" --hash-libm) && lb=$(GLIBC_TUNABLES=$off "$bin" --hash-libm) || { echo "FAIL: --hash-libm did not run"; exit 1; }
if grep -qw fma /proc/cpuinfo; then
    if [ "$la" != "$lb" ]; then
        echo "ok (control): glibc hash $la (default) vs $lb ($off) differ"
    else
        echo "FAIL (control): glibc gives the same hash $la in both modes on an FMA CPU: the switch had no effect"; fail=1
    fi
else
    echo "skip (control): no FMA on this CPU, glibc hash $la / $lb"
fi
exit $fail
