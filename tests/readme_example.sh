#!/usr/bin/env bash
# tests/readme_example.sh - the README's library example, exactly as the
# README shows it: the ```c block of its "## The library" section is
# extracted, the library installed with 'cmake --install' into a temporary
# prefix, the program built with the README's command line
# (pkg-config --cflags --libs gandyn, PKG_CONFIG_PATH at the prefix) and
# run three ways: rpath, LD_LIBRARY_PATH, and linked with libgandyn.a.
# Its output must be the line the README prints after "# prints:", and the
# numbers must hold: 1001 samples, t = 100, Gamma = 0.0009 = 0.05^2 - 0.04^2
# (conserved by nsgan).
#     bash tests/readme_example.sh SOURCE_DIR BUILD_DIR CC [CFLAGS...]
set -euo pipefail
src=$1 build=$2 cc=$3; shift 3
extra=("$@")   # e.g. the sanitizer flags of the build being tested
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "readme_example: $*" >&2; exit 1; }

readme="$src/README.md"
awk '/^## The library/{f=1} f&&/^```c$/{p=1;next} p&&/^```$/{exit} p' \
    "$readme" > "$tmp/nsgan.c"
[ -s "$tmp/nsgan.c" ] || fail "no \`\`\`c block in the README's '## The library' section"
grep -q 'int main' "$tmp/nsgan.c" || fail "the README's example has no main()"
want=$(sed -n 's/^ *# prints: //p' "$readme" | head -1)
[ -n "$want" ] || fail "the README shows no '# prints:' line for the example"
grep -q 'pkg-config --cflags --libs gandyn' "$readme" ||
  fail "the README's build line changed: update this test"

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
pc=$(find "$tmp/prefix" -name gandyn.pc | head -1)
[ -n "$pc" ] || fail "no gandyn.pc installed"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir gandyn)
# the .pc must point into the prefix it was installed to
[ "$(cd "$libdir" && pwd -P)" = "$(cd "$(dirname "$pc")/.." && pwd -P)" ] ||
  fail "gandyn.pc's libdir '$libdir' is not the install prefix's"
[ -f "$libdir/libgandyn.so" ] && [ -f "$libdir/libgandyn.a" ] ||
  fail "no libgandyn.so / libgandyn.a in $libdir"

check() { # how, output, status
  [ "$3" -eq 0 ] || fail "$1: the example exited $3 (output: $2)"
  [ "$2" = "$want" ] || fail "$1: the example prints '$2', the README says '$want'"
}
cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}")
# shellcheck disable=SC2046
{
  # 1. as in the README, plus the rpath it recommends
  "$cc" "${cflags[@]}" "$tmp/nsgan.c" $(pkg-config --cflags --libs gandyn) \
    -Wl,-rpath,"$libdir" -o "$tmp/nsgan"
  set +e; out=$("$tmp/nsgan"); rc=$?; set -e
  check rpath "$out" $rc
  # 2. without rpath: found through LD_LIBRARY_PATH, and not found without it
  "$cc" "${cflags[@]}" "$tmp/nsgan.c" $(pkg-config --cflags --libs gandyn) \
    -o "$tmp/nsgan_plain"
  set +e; out=$(LD_LIBRARY_PATH="$libdir" "$tmp/nsgan_plain"); rc=$?; set -e
  check LD_LIBRARY_PATH "$out" $rc
  if ! ldconfig -p 2>/dev/null | grep -q 'libgandyn\.so\.0 '; then
    if env -u LD_LIBRARY_PATH "$tmp/nsgan_plain" > /dev/null 2>&1; then
      fail "the example ran without rpath or LD_LIBRARY_PATH: which libgandyn did it load?"
    fi
  fi
  # 3. static: the README's command line
  "$cc" "${cflags[@]}" "$tmp/nsgan.c" $(pkg-config --cflags gandyn) \
    "$libdir/libgandyn.a" $(pkg-config --libs cairo) -lgif -lgomp -lm \
    -o "$tmp/nsgan_static"
  set +e; out=$(env -u LD_LIBRARY_PATH "$tmp/nsgan_static"); rc=$?; set -e
  check static "$out" $rc
  if command -v ldd > /dev/null && ldd "$tmp/nsgan_static" | grep -q libgandyn; then
    fail "the static build still needs libgandyn.so"
  fi
}
# the numbers, independently of the README's line
case "$out" in
  "1001 samples to t = 100: |theta| = "*", Gamma = 0.000900, "*) ;;
  *) fail "unexpected numbers: '$out' (want 1001 samples, t = 100, Gamma = 0.000900)" ;;
esac
echo "readme_example: ok ($out)"
