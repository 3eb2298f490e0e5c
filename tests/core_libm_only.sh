#!/usr/bin/env bash
# tests/core_libm_only.sh - gandyn-core is C11 + libm: tests/core_program.c
# is built against libgandyn-core.a with -lm and nothing else, and against
# libgandyn-core.so, and run; the shared core needs only libc and libm
# (ldd, and every undefined symbol is glibc's), and exports nothing but
# gdn_* (no gdn__ internal function, no vtable).
#     bash tests/core_libm_only.sh SOURCE_DIR BUILD_DIR CC [FLAGS...]
# (FLAGS: the sanitizer flags of a sanitizer build, whose runtimes are then
# allowed too)
set -euo pipefail
src=$1 build=$2 cc=$3
shift 3
flags=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "core_libm_only: $*" >&2; exit 1; }

"$cc" -std=c11 "${flags[@]}" -I"$src/include" "$src/tests/core_program.c" \
  "$build/libgandyn-core.a" -lm -o "$tmp/static" ||
  fail "the core does not link with -lm alone"
"$tmp/static" || fail "the program against libgandyn-core.a failed"

"$cc" -std=c11 "${flags[@]}" -I"$src/include" "$src/tests/core_program.c" \
  -L"$build" -lgandyn-core -lm -Wl,-rpath,"$build" -o "$tmp/shared" ||
  fail "the program does not link against libgandyn-core.so"
"$tmp/shared" > /dev/null || fail "the program against libgandyn-core.so failed"

so=$(readlink -f "$build/libgandyn-core.so")
allowed='linux-vdso|libc\.so|libm\.so|ld-linux'
[ ${#flags[@]} -eq 0 ] || allowed="$allowed|libasan|libubsan|libstdc\+\+|libgcc_s|libdl|librt|libpthread"
if ldd "$so" | grep -vE "$allowed" | grep -q .; then
  ldd "$so" >&2
  fail "libgandyn-core.so needs more than libc and libm"
fi
ldd "$tmp/shared" | grep -vE "$allowed|libgandyn-core" | grep -q . &&
  { ldd "$tmp/shared" >&2; fail "the program needs more than the core, libc and libm"; }
if [ ${#flags[@]} -eq 0 ]; then
  # undefined symbols: glibc's (versioned), or the toolchain's weak hooks
  other=$(nm -D --undefined-only "$so" | awk '{print $2}' |
          grep -vE '@GLIBC_|^(__gmon_start__|_ITM_(de)?registerTMCloneTable|__cxa_finalize)$' || true)
  [ -z "$other" ] || fail "libgandyn-core.so uses symbols outside glibc: $other"
fi
# (AddressSanitizer adds an __odr_asan. twin to each exported object)
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^__odr_asan\.')
bad=$(grep -v '^gdn_' <<<"$exported" || true; grep '^gdn__' <<<"$exported" || true)
[ -z "$bad" ] || fail "libgandyn-core.so exports: $bad"
echo "core_libm_only: built with -lm alone and run; libgandyn-core.so needs libc and libm, exports $(wc -l <<<"$exported") gdn_ symbols"
