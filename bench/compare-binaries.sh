#!/usr/bin/env bash
# bench/compare-binaries.sh A B [WORK]: run the same gandyn commands with binaries A and
# B, compare every output file and stdout/stderr/exit code byte for byte.
set -u
A=$1 B=$2 W=${3:-/tmp/cmpall}
rm -rf "$W"; mkdir -p "$W/a" "$W/b"
cmds=(
 "reproduce --out rep --no-gif --quiet"
 "simulate --model wgan-gp:lambda=0.1,c=0 --t-end 40 --out run.csv --summary run.json"
 "simulate --model gan-qp --reg l2:gamma=0.1 --t-end 40 --ema 0.99 --ema 0.999 --out run.npy"
 "simulate --opt altgd:lr=0.1,order=dg,ndis=1 --steps 20000 --every 10 --out alt.csv"
 "simulate --opt simgd:lr_d=0.2,lr_g=0.05 --steps 5000 --summary - --out run2.csv"
 "simulate --opt momentum:beta=-0.5,schedule=alt --steps 20000 --every 10 --out m.csv"
 "simulate --opt adam:lr=0.01 --steps 3000 --every 7 --ema 0.9 --uniform --out adam.csv --summary adam.json"
 "simulate --opt rmsprop:lr=0.01 --model wgan --steps 3000 --out rms.csv"
 "simulate --opt nesterov:lr=0.05 --model lsgan --dim 3 --steps 2000 --out nes.csv"
 "simulate --opt extragradient:lr=0.1 --dim 2 --steps 2000 --out eg.csv"
 "simulate --opt ogda:lr=0.1 --model hinge --steps 2000 --out ogda.csv"
 "simulate --opt consensus:lr=0.1,gamma=0.3 --dim 4 --steps 2000 --out cons.csv"
 "simulate --opt sga:lr=0.1,align=1 --dim 4 --steps 2000 --out sga.csv"
 "simulate --model wgan-clip --opt simgd:lr=0.05 --steps 2000 --out clip.csv"
 "simulate --opt flow:method=rk4,h=0.01 --t-end 20 --ema 0.99 --out rk4.csv"
 "simulate --opt flow:method=euler,h=0.01 --t-end 20 --out eul.csv"
 "simulate --model fgan-kl --reg r1:gamma=0.5 --t-end 30 --dim 3 --out fkl.csv --summary fkl.json"
 "simulate --model nsgan --reg noise:sigma=0.3 --t-end 30 --out noise.csv"
 "analyze"
 "analyze --opt simgd:lr=0.1"
 "analyze --opt extragradient:lr=0.1 --json"
 "analyze --opt simgd --reg l2:gamma=0.3 --scan lr=0.01:2:200"
 "analyze --opt adam:lr=0.01 --model wgan-gp"
 "analyze --opt consensus:lr=0.1 --dim 3"
 "sweep --opt simgd --reg l2 --steps 2000 --grid lr=0.02:2:40 --grid gamma=0.02:1.5:40 --out map.npy"
 "sweep --model lsgan --opt simgd:lr=0.2 --dim 1 --steps 3000 --grid theta1=-4:4:40 --grid phi1=-4:4:40 --out basin.npy"
 "sweep --opt simgd:lr=0.1 --steps 1000 --random 20000 --seed 7 --out r.npy --threads 2"
 "sweep --opt altgd:lr=0.1 --model gan --steps 1000 --random 5000 --seed 3 --out ra.csv"
 "sweep --opt flow:method=rk4,h=0.05 --t-end 20 --random 3000 --seed 5 --out rrk.csv"
 "sweep --opt flow --t-end 20 --random 500 --seed 5 --out rdp.csv --threads 2"
 "sweep --opt flow:rtol=1e-6,atol=1e-8 --t-end 20 --random 500 --seed 9 --out rdp6.csv"
 "sweep --opt flow:method=euler,h=0.05 --t-end 10 --random 1000 --seed 2 --out reu.csv"
 "sweep --opt adam:lr=0.01 --model wgan-gp --steps 500 --random 300 --seed 1 --out radam.csv"
 "sweep --opt simgd:lr=0.1 --model nsgan --ema 0.99 --steps 500 --grid lr=0.05:0.5:20 --out rema.csv"
 "sweep --opt simgd:lr=0.1 --steps 200 --init-file starts.txt --grid lr=0.05:0.3:3 --chunk 777 --out si.npy --threads 2"
 "sweep --opt simgd:lr=0.1 --steps 200 --init-file starts.txt --chunk 5000 --out si1.csv --threads 1"
 "sweep --opt adam:lr=0.05 --steps 100 --init-file starts.txt --chunk 333 --out sia.csv"
 "sweep --opt simgd:lr=0.1 --steps 200 --random 3000 --seed 4 --grid lr=0.05:0.2:3 --chunk 1000 --out rc.csv --threads 1"
 "sweep --opt simgd:lr=0.1 --steps 200 --random 3000 --seed 4 --grid lr=0.05:0.2:3 --chunk 7 --out rc7.npy --threads 2"
 "simulate --model bogus"
 "sweep --opt simgd --grid nope=1:2:3 --out x.csv"
)
# a list of starts for --init-file: 5000 lines, comments and blank lines
for s in a b; do
  awk 'BEGIN { print "# starts"; for (i = 0; i < 5000; i++) { printf "%.6f, %.6f %.6f,%.6f\n", sin(i) * 1.5, cos(3 * i), sin(7 * i + 1) * 0.8, cos(i / 3) * 1.2; if (i % 97 == 0) print "" } }' > "$W/$s/starts.txt"
done
fail=0
i=0
for c in "${cmds[@]}"; do
  i=$((i+1))
  for s in a b; do
    bin=$A; [ $s = b ] && bin=$B
    ( cd "$W/$s" && $bin $c > out$i.stdout 2> out$i.stderr; echo $? > out$i.rc )
  done
done
# sidecars/argv may contain the binary path: compare after replacing it
for s in a b; do
  bin=$A; [ $s = b ] && bin=$B
  grep -rlF "$bin" "$W/$s" 2>/dev/null | while read -r f; do sed -i "s|$bin|GANDYN|g" "$f"; done
done
# wall-clock times are not results
for s in a b; do
  find "$W/$s" -name '*.json' -exec sed -i -E 's/"seconds": [0-9.e+-]+/"seconds": T/' {} +
  find "$W/$s" -name "*.stdout" -exec sed -i -E "s/ in [0-9.e+-]+ s \\([0-9.e+-]+ per second/ in T s (/" {} +
done
( cd "$W/a" && find . -type f | sort ) > "$W/list.a"
( cd "$W/b" && find . -type f | sort ) > "$W/list.b"
if ! cmp -s "$W/list.a" "$W/list.b"; then echo "DIFFERENT FILE SETS"; diff "$W/list.a" "$W/list.b" | head; fail=1; fi
n=0; d=0
while read -r f; do
  n=$((n+1))
  if ! cmp -s "$W/a/$f" "$W/b/$f"; then echo "DIFFERS: $f"; d=$((d+1)); fail=1; fi
done < "$W/list.a"
echo "compare-all: $n files, $d differ"
exit $fail
