#!/usr/bin/env bash
# tests/core_wasm.sh - gandyn-core compiles to WebAssembly: the core's
# sources (as CMakeLists.txt lists them) and tests/core_program.c, built by
# emscripten's emcc and run by node, pass the program's closed-form checks.
#     bash tests/core_wasm.sh EMCC SOURCE_DIR GENERATED_DIR SOURCE...
# (Debian's emscripten: its modules are found with NODE_PATH=/usr/share/nodejs;
# -sWASM_ASYNC_COMPILATION=0 reads the .wasm with fs, not fetch, which
# Node 20 refuses for a file path.)
set -euo pipefail
emcc=$1 src=$2 gen=$3
shift 3
files=()
for f in "$@"; do files+=("$src/$f"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
# the warnings of the native build (clang's -Wpass-failed: a '#pragma omp
# simd' loop it does not vectorise, not an error)
"$emcc" -std=c11 -O2 -ffp-contract=off -fopenmp-simd -Wall -Wextra \
  -Wpedantic -Wshadow -Wconversion -Wno-pass-failed \
  -D_POSIX_C_SOURCE=200809L -I"$src/include" -I"$gen" "${files[@]}" \
  "$src/tests/core_program.c" -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 \
  -o "$tmp/core.js" 2> "$tmp/log" || { cat "$tmp/log" >&2; echo "core_wasm: emcc failed" >&2; exit 1; }
warnings=$(grep -c 'warning:' "$tmp/log" || true)
[ "$warnings" = 0 ] || grep 'warning:' "$tmp/log" | sort -u >&2
node "$tmp/core.js" || { echo "core_wasm: the WebAssembly program failed" >&2; exit 1; }
echo "core_wasm: ${#files[@]} core sources compiled by emcc ($warnings warnings), run by node"
