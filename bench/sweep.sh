#!/usr/bin/env bash
# bench/sweep.sh - build gandyn in Release and time its sweeps against numpy
# and scipy: simgd and RK4 over 10^6 starts, adaptive dopri5 over 10^4, and
# the growth of the cost with points, steps and dimension.  See README.md,
# section "Sweeps".
#
# usage: bench/sweep.sh [--quick] [--out-dir DIR]
#
# Environment: BUILD_DIR (default <repo>/build-bench), PYTHON (default
# /usr/bin/python3: needs numpy and scipy), CC (fallback compile only).
# The growth CSV and figure go to --out-dir (default $BUILD_DIR/bench-sweep).
#
# Exits non-zero only when something fails to build or run, or a result is
# wrong; speed targets that are missed are reported in the tables.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build-bench}"
PYTHON="${PYTHON:-/usr/bin/python3}"
JOBS="$(nproc 2>/dev/null || echo 2)"

die() { echo "bench/sweep.sh: $*" >&2; exit 1; }

"$PYTHON" -c 'import numpy, scipy.integrate' 2>/dev/null ||
    die "$PYTHON cannot import numpy and scipy (use /usr/bin/python3)"

echo "== configuring $BUILD (Release)" >&2
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
      -DGANDYN_BENCH=ON -DGANDYN_TESTS=OFF >/dev/null ||
    die "cmake configure failed"
echo "== building gandyn" >&2
cmake --build "$BUILD" --target gandyn_cli gandyn_static -j "$JOBS" >/dev/null ||
    die "build of gandyn failed"
GANDYN="$BUILD/gandyn"
[ -x "$GANDYN" ] || die "no $GANDYN after the build"

if grep -q '^[^#]*add_subdirectory(bench)' "$ROOT/CMakeLists.txt" &&
   grep -q '^[^#]*gandyn_bench_sweep' "$ROOT/bench/CMakeLists.txt"; then
    echo "== building gandyn_bench_sweep (CMake target)" >&2
    cmake --build "$BUILD" --target gandyn_bench_sweep -j "$JOBS" >/dev/null ||
        die "build of gandyn_bench_sweep failed"
    BENCH="$BUILD/bench/gandyn_bench_sweep"
else
    # No CMake target (yet): compile directly against the static library.
    echo "== compiling bench_sweep.c against $BUILD/libgandyn.a" >&2
    BENCH="$BUILD/gandyn_bench_sweep"
    # shellcheck disable=SC2046
    "${CC:-cc}" -std=c11 -O3 -DNDEBUG -ffp-contract=off -fopenmp \
        -Wall -Wextra -I"$ROOT/include" "$ROOT/bench/bench_sweep.c" \
        "$BUILD/libgandyn.a" $(pkg-config --libs cairo lapacke) -lgif -lm \
        -o "$BENCH" || die "compiling bench_sweep.c failed"
fi
[ -x "$BENCH" ] || die "no $BENCH after the build"

OUT_ARGS=()
case " $* " in
    *" --out-dir "*) ;;
    *) OUT_ARGS=(--out-dir "$BUILD/bench-sweep") ;;
esac
echo "== running (about 5 minutes; --quick: about 1)" >&2
exec "$PYTHON" "$ROOT/bench/bench_sweep.py" --gandyn "$GANDYN" \
    --bench "$BENCH" "${OUT_ARGS[@]}" "$@"
