#!/usr/bin/env bash
# bench/models.sh BIN...: instructions per trajectory-step (callgrind, so
# the figure does not depend on the machine's load) of a simgd sweep of
# every model alone and of nsgan with each regulariser, N = 2000 x 1000
# steps, CLI defaults: the fused path (gan, nsgan) against the generic
# lanes (every other model and regulariser), one column per binary.
#   bench/models.sh build/gandyn
#   bench/models.sh OLD/gandyn build/gandyn     # before / after
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/models.sh BIN..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "bench/models.sh: needs valgrind" >&2; exit 2; }
N=${N:-2000}
STEPS=${STEPS:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
specs=("nsgan" "gan" "wgan" "wgan-gp" "gan-qp" "wgan-clip" "lsgan" "hinge"
       "fgan-kl" "fgan-rkl" "fgan-pearson" "fgan-hellinger" "fgan-js"
       "nsgan --reg l2:gamma=0.1" "nsgan --reg r1:gamma=0.1"
       "nsgan --reg gp:lambda=0.1" "nsgan --reg l2g:gamma=0.1")
# (instance noise, --reg noise, runs lane by lane: 200 quadrature points
# per step, too slow under callgrind for this table)
header="| model | path |"
rule="|---|---|"
for b in "$@"; do header="$header $b |"; rule="$rule---|"; done
echo "$header"
echo "$rule"
for spec in "${specs[@]}"; do
  case $spec in nsgan|gan) path=fused ;; *) path=generic ;; esac
  line="| $spec | $path |"
  for b in "$@"; do
    # shellcheck disable=SC2086
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$b" sweep \
           --model $spec --opt simgd:lr=0.1 --steps "$STEPS" --random "$N" \
           --seed 1 --threads 1 --quiet --out "$dir/o.npy" 2>&1 |
         awk '/refs:/{gsub(",", "", $NF); print $NF}')
    rm -rf "$dir"/o.npy*
    line="$line $(awk -v i="$ir" -v n="$N" -v s="$STEPS" 'BEGIN{printf "%.1f", i / (n * s)}') |"
  done
  echo "$line"
done
