#!/usr/bin/env bash
# tests/header_functions.sh - every function the public headers name, in a
# declaration or in a comment ("gdn_foo(" anywhere in include/), is
# exported by libgandyn.so: no comment points at a function that does not
# exist (run.h once named gdn_run_info()).
#     bash tests/header_functions.sh SOURCE_DIR path/to/libgandyn.so
set -euo pipefail
src=$1 lib=$2
[ -f "$lib" ] || { echo "header_functions: no library '$lib'" >&2; exit 1; }
# (what a header declares under #ifdef GANDYN_FAULT_INJECTION exists only
# in the fault-injection test build: left out)
named=$(for h in "$src"/include/gandyn.h "$src"/include/gandyn/*.h; do
          awk '/^#ifdef GANDYN_FAULT_INJECTION/ {skip = 1}
               !skip {print}
               skip && /^#endif/ {skip = 0}' "$h"
        done | grep -ohE '\bgdn_[A-Za-z0-9_]+\(' | sed 's/($//' | sort -u)
exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u)
[ -n "$named" ] && [ -n "$exported" ] || { echo "header_functions: nothing to compare" >&2; exit 1; }
missing=$(comm -23 <(printf '%s\n' "$named") <(printf '%s\n' "$exported"))
if [ -n "$missing" ]; then
  for f in $missing; do
    echo "header_functions: '$f(' is named in include/ but not exported by $(basename "$lib"):"
    grep -nE "\\b$f\\(" "$src"/include/gandyn.h "$src"/include/gandyn/*.h | sed 's/^/  /'
  done
  exit 1
fi
# and the other way: the library exports nothing the headers do not
# declare (hidden visibility, GDN_API): no gdn__ function, no vtable
# (OpenMP's named critical sections are global symbols by design, and
# AddressSanitizer adds an __odr_asan. twin to each exported object)
declared=$(cat "$src"/include/gandyn.h "$src"/include/gandyn/*.h |
           grep -ohE '\bgdn_[A-Za-z0-9_]+ *[\(\[]' | sed -E 's/ *[\(\[]$//' | sort -u)
extra=$(comm -13 <(printf '%s\n' "$declared") <(printf '%s\n' "$exported") |
        grep -vE '^(\.gomp_critical_user_|__odr_asan\.)' || true)
if [ -n "$extra" ]; then
  echo "header_functions: $(basename "$lib") exports what no public header declares:"
  printf '  %s\n' $extra
  exit 1
fi
echo "header_functions: $(printf '%s\n' "$named" | wc -l) functions named in include/, all exported; $(printf '%s\n' "$exported" | wc -l) exports, all declared in include/"
