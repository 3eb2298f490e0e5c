#!/usr/bin/env bash
# bench/limit.sh: gandyn against numpy, PyTorch, a plain AVX2+FMA kernel and
# the peak from the measured clock, ns per trajectory-step on one core, CPU
# time (issue 11; bench/README.md, section "At the machine's limit").
#
#   bench/limit.sh                  # N = 2e5 and 1e6 x 1000 steps, 3 rounds
#   bench/limit.sh --quick          # N = 2e4 (other workloads 2e4), 3 rounds
#   REPS=5 bench/limit.sh --points 200000 --other-points 100000
#   bench/limit.sh --only nsgan     # the nsgan simgd table alone
#   bench/limit.sh --peer-steps 200 # Python peers run 200 steps, scaled
#   bench/limit.sh --no-torch
#   bench/limit.sh --baseline OLD/gandyn  # + that binary's CLI rows ("today")
#
# Uses the library and CLI of BUILD_DIR (default build/; configured and
# built in Release if libgandyn-core.a or gandyn is missing), compiles the
# bench's two C programs into BUILD_DIR/bench-limit/ with gcc (plain.c with
# -O3 -march=native, the bench only), installs Debian's python3-torch with
# apt-get when /usr/bin/python3 cannot import torch (skipped with
# --no-torch), and prints the tables (Markdown) on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
BUILD_DIR=${BUILD_DIR:-$root/build}
PYTHON=${PYTHON:-/usr/bin/python3}
REPS=${REPS:-3}
args=()
quick=0 torch=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --no-torch) torch=0; args+=(--no-torch) ;;
    --points|--other-points|--steps|--peer-steps|--only|--baseline) args+=("$1" "$2"); shift ;;
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) echo "limit.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ $quick = 1 ] && args=(--points 20000 --other-points 20000 "${args[@]}")

if [ ! -f "$BUILD_DIR/libgandyn-core.a" ] || [ ! -x "$BUILD_DIR/gandyn" ]; then
  cmake -S "$root" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >&2
  cmake --build "$BUILD_DIR" -j 2 >&2
fi
out="$BUILD_DIR/bench-limit"
mkdir -p "$out"
CC=${CC:-gcc}
$CC -std=c11 -O3 -march=native -Wall -Wextra -I"$root/include" \
  "$here/limit/plain.c" "$BUILD_DIR/libgandyn-core.a" -lm -o "$out/limit-plain"
$CC -std=c11 -O2 -Wall -Wextra -I"$root/include" \
  "$here/limit/inproc.c" "$BUILD_DIR/libgandyn-core.a" -lm -o "$out/limit-inproc"

if [ $torch = 1 ] && ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "limit.sh: installing Debian's python3-torch" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y python3-torch >&2 ||
    { apt-get update >&2 && apt-get install -y python3-torch >&2; } ||
    echo "limit.sh: python3-torch could not be installed: PyTorch skipped" >&2
fi

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec "$PYTHON" "$here/limit/run.py" --bin-dir "$out" \
  --gandyn "$BUILD_DIR/gandyn" --reps "$REPS" "${args[@]}"
