#!/usr/bin/env bash
# tests/api_example.sh - the program of docs/api.md, exactly as shown: the
# ```c block is extracted, built against libgandyn.so with -Werror and
# run; its first line must be the one docs/api.md shows after "# prints:",
# and the rest must be byte for byte the summary 'gandyn simulate' writes
# for the same options.
#     bash tests/api_example.sh SOURCE_DIR path/to/libgandyn.so path/to/gandyn CC [CFLAGS...]
set -euo pipefail
src=$1 lib=$2 gandyn=$3 cc=$4; shift 4
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "api_example: $*" >&2; exit 1; }

doc="$src/docs/api.md"
awk '/^## A complete program/{f=1} f&&/^```c$/{p=1;next} p&&/^```$/{exit} p' \
    "$doc" > "$tmp/ex.c"
grep -q 'int main' "$tmp/ex.c" || fail "no program in docs/api.md's '## A complete program'"
want=$(sed -n 's/^ *# prints: //p' "$doc" | head -1)
[ -n "$want" ] || fail "docs/api.md shows no '# prints:' line"

"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}" \
  -I"$src/include" "$tmp/ex.c" "$lib" -Wl,-rpath,"$(dirname "$lib")" \
  -o "$tmp/ex"
set +e; "$tmp/ex" > "$tmp/out"; rc=$?; set -e
[ $rc -eq 0 ] || fail "the program exited $rc"
got=$(head -1 "$tmp/out")
[ "$got" = "$want" ] || fail "it prints '$got', docs/api.md says '$want'"
tail -n +2 "$tmp/out" > "$tmp/api.json"
(cd "$tmp" && "$gandyn" simulate --model wgan-gp:lambda=0.1,c=0 --t-end 40 \
   --ema 0.99 --summary cli.json --out path.csv --quiet)
cmp "$tmp/api.json" "$tmp/cli.json" ||
  fail "its summary differs from 'gandyn simulate --summary'"
echo "api_example: ok ($got)"
