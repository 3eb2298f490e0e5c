#!/usr/bin/env bash
# bench/against.sh BIN...: CPU time (user+sys) of sweeps and single runs that a restructuring must not slow, each binary in turn (interleaved), REPS rounds (default 3), min / median
REPS=${REPS:-3}
cases=(
 "simgd-every10|sweep --opt simgd:lr=0.1 --model nsgan --steps 1000 --random 100000 --seed 7 --threads 1 --out /tmp/bi.npy"
 "simgd-every1000|sweep --opt simgd:lr=0.1 --model nsgan --steps 1000 --every 1000 --random 100000 --seed 7 --threads 1 --out /tmp/bi.npy"
 "altgd|sweep --opt altgd:lr=0.1 --model nsgan --steps 1000 --random 100000 --seed 3 --threads 1 --out /tmp/bi.npy"
 "rk4|sweep --opt flow:method=rk4,h=0.1 --t-end 100 --random 20000 --seed 5 --threads 1 --out /tmp/bi.npy"
 "dopri5-1e-10|sweep --opt flow --t-end 100 --random 2000 --seed 5 --threads 1 --out /tmp/bi.npy"
 "dopri5-1e-3|sweep --opt flow:rtol=1e-3,atol=1e-6 --t-end 100 --random 20000 --seed 5 --threads 1 --out /tmp/bi.npy"
 "generic-l2|sweep --opt simgd:lr=0.1 --model nsgan --reg l2:gamma=0.1 --steps 1000 --random 20000 --seed 7 --threads 1 --out /tmp/bi.npy"
 "generic-wgan-clip|sweep --opt simgd:lr=0.1 --model wgan-clip --steps 1000 --random 20000 --seed 7 --threads 1 --out /tmp/bi.npy"
 "dopri5-single|simulate --opt flow --t-end 20000 --dt 1000 --out /tmp/bi.csv"
 "adam-1e6|simulate --opt adam:lr=0.01 --steps 1000000 --every 1000000 --out /tmp/bi.csv"
 "momentum-1e6|simulate --opt momentum:lr=0.01 --steps 1000000 --every 1000000 --out /tmp/bi.csv"
 "consensus-n256|simulate --model nsgan --dim 256 --opt consensus:lr=0.05 --steps 2000 --every 100 --out /tmp/bi.csv"
)
for c in "${cases[@]}"; do
  name=${c%%|*}; cmd=${c#*|}
  for b in "$@"; do : > /tmp/bi.$name.$(echo $b | md5sum | cut -c1-8); done
  for r in $(seq $REPS); do
    for b in "$@"; do
      f=/tmp/bi.$name.$(echo $b | md5sum | cut -c1-8)
      /usr/bin/time -f "%U %S" -o /tmp/bi.t $b $cmd >/dev/null 2>&1
      awk '{print $1+$2}' /tmp/bi.t >> $f
    done
  done
  line="$name"
  for b in "$@"; do
    f=/tmp/bi.$name.$(echo $b | md5sum | cut -c1-8)
    line="$line | $(sort -n $f | awk '{a[NR]=$1} END{printf "%.3f / %.3f", a[1], a[int((NR+1)/2)]}')"
  done
  echo "$line"
done
