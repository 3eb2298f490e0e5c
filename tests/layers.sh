#!/usr/bin/env bash
# tests/layers.sh - the dependency rule (scripts/check-layers,
# docs/architecture.md) holds for the tree, and the checker does fail on
# what it must refuse: an include of a higher layer, an include cycle, a
# directory without a layer, a non-C11 system header in the core.
#     bash tests/layers.sh SOURCE_DIR [PYTHON]
set -euo pipefail
src=$1 py=${2:-python3}
check="$py $src/scripts/check-layers"
$check "$src"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
must_fail() { # what, then the text the report must contain
  local what=$1 needle=$2 out
  if out=$($check "$tmp/t" 2>&1); then
    echo "layers: the checker accepted $what"; exit 1
  fi
  grep -qF -- "$needle" <<<"$out" || {
    echo "layers: for $what the checker said:"; echo "$out"; exit 1; }
  echo "layers: refused $what"
}
fresh() { rm -rf "$tmp/t"; mkdir -p "$tmp/t"; cp -r "$src/include" "$src/src" "$tmp/t/"; }

fresh; echo '#include "gandyn/plot.h"' >> "$tmp/t/src/dynamics/run.c"
must_fail "dynamics including plot" "layer dynamics includes layer plot"
fresh; echo '#include "../sweep/sweep_internal.h"' >> "$tmp/t/src/models/registry.c"
must_fail "models including sweep's internal header" "layer models includes layer sweep"
fresh; printf '#include "b.h"\n' > "$tmp/t/src/core/a.h"; printf '#include "a.h"\n' > "$tmp/t/src/core/b.h"
must_fail "a cycle" "include cycle: src/core/a.h -> src/core/b.h -> src/core/a.h"
fresh; mkdir "$tmp/t/src/newdir"; echo 'int x;' > "$tmp/t/src/newdir/x.c"
must_fail "a directory without a layer" "src/newdir/x.c: no layer"
fresh; echo '#include <cairo.h>' >> "$tmp/t/src/analysis/stability.c"
must_fail "cairo in the core" "not the C standard library, in gandyn-core"
echo "layers: ok"
