#!/usr/bin/env bash
# bench/run.sh - build gandyn in Release and time it against scipy on the
# seed's figure (nsgan, 2-D, T = 100, output every 0.1).  See README.md.
#
# usage: bench/run.sh [--quick] [--proc-runs N]
#
# Environment: BUILD_DIR (default <repo>/build-bench), PYTHON (default
# /usr/bin/python3: needs numpy and scipy), CC (fallback compile only).
#
# Exits non-zero only when something fails to build or run; speed targets
# that are missed are reported in the table, not as an error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build-bench}"
PYTHON="${PYTHON:-/usr/bin/python3}"
JOBS="$(nproc 2>/dev/null || echo 2)"

die() { echo "bench/run.sh: $*" >&2; exit 1; }

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

if grep -q '^[^#]*add_subdirectory(bench)' "$ROOT/CMakeLists.txt"; then
    echo "== building gandyn_bench_flow (CMake target)" >&2
    cmake --build "$BUILD" --target gandyn_bench_flow -j "$JOBS" >/dev/null ||
        die "build of gandyn_bench_flow failed"
    BENCH="$BUILD/bench/gandyn_bench_flow"
else
    # The top-level CMakeLists.txt does not add bench/ yet: compile directly.
    echo "== compiling bench_flow.c against $BUILD/libgandyn.a" >&2
    BENCH="$BUILD/gandyn_bench_flow"
    "${CC:-cc}" -std=c11 -O3 -DNDEBUG -ffp-contract=off -Wall -Wextra \
        -I"$ROOT/include" "$ROOT/bench/bench_flow.c" "$BUILD/libgandyn.a" \
        -lm -o "$BENCH" || die "compiling bench_flow.c failed"
fi
[ -x "$BENCH" ] || die "no $BENCH after the build"

echo "== running (about a minute; --quick for a smoke test)" >&2
exec "$PYTHON" "$ROOT/bench/bench.py" --gandyn "$GANDYN" --bench "$BENCH" "$@"
