#!/usr/bin/env bash
# Regenerates the seed corpora of the fuzz targets in fuzz/corpus/NAME/
# (NAME: the target without "fuzz_"), from files gandyn itself writes.
#     fuzz/make-corpus.sh [path/to/gandyn]      (default build/gandyn)
set -euo pipefail
G=${1:-build/gandyn}
D=$(cd "$(dirname "$0")" && pwd)/corpus
mkdir -p "$D"/read_csv "$D"/read_json "$D"/read_npy "$D"/spec
sim() { "$G" simulate "$@" > /dev/null; }
for fmt in csv json npy; do
  o="$D/read_$fmt"
  sim --t-end 1 --dt 0.25 --out "$o/flow.$fmt"
  sim --opt simgd:lr=0.1 --steps 6 --every 2 --ema 0.9 --uniform --out "$o/discrete.$fmt"
  sim --dim 1 --t-end 1 --dt 0.5 --ema 0.99 --ema-debias --out "$o/ema1d.$fmt"
  sim --dim 3 --model wgan-gp:lambda=0.1,c=0 --t-end 0.5 --dt 0.25 --out "$o/dim3.$fmt"
done
# spec: byte 0 picks the entry point (0 number, 1 whole number, 2 state,
# 3 model, 4 regularizer, 5 system, 6 optimizer), byte 1 the dimension
# (1 + b % 6), then the text ('\n' separates a system's SPECs).
spec() { printf '%b' "$2" > "$D/spec/$1"; }
spec number      '\x00\x01-1.25e-3'
spec whole       '\x01\x01123'
spec state       '\x02\x010.1,0.2,0.2,0.1'
spec state3      '\x02\x020.1,0.2,0.1,0.2,0.1,0.2'
spec model       '\x03\x01wgan-gp:lambda=0.1,c=0'
spec model_qp    '\x03\x01gan-qp:lambda=1,divisor=phi'
spec reg         '\x04\x01noise:sigma=0.5'
spec system      '\x05\x01fgan-js:gen=nonsaturating\nl2:gamma=0.1\ngp:lambda=1,c=1\nl2g:gamma=0.01'
spec opt_flow    '\x06\x01flow:method=rk4,h=0.01'
spec opt_altgd   '\x06\x01altgd:lr=0.1,order=gd,ndis=2'
spec opt_adam    '\x06\x01adam:lr_d=0.001,lr_g=0.002,beta1=0.5,beta2=0.9,eps=1e-8'
spec opt_mom     '\x06\x01momentum:beta=-0.5,schedule=alt'
# sim: settings "key=value" (a key alone: NULL), one a line (fuzz_sim.c)
mkdir -p "$D"/sim
sset() { printf '%b' "$2" > "$D/sim/$1"; }
sset flow        'model=wgan-gp:lambda=0.1,c=0\nt-end=40\ndt=0.5\nema=tau=5\nuniform'
sset discrete    'opt=adam:lr=0.01\nsteps=300\nevery=7\nema=0.9\nema-debias\nreg=l2:gamma=0.1'
sset dim3        'dim=3\ninit=0.1,0.2,0.3,0.3,0.2,0.1\nopt=simgd:lr=0.05\nsteps=50'
sset refused     'opt=flow:method=rk4,rtol=1e-3\nsteps=10\nema=0.9\nema=beta=0.9'
echo "make-corpus: $(find "$D" -type f | wc -l) files in $D"
