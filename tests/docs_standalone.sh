#!/usr/bin/env bash
# tests/docs_standalone.sh - the repository stands alone: no file points
# outside it (../shared/..., the design notes it was built from), every
# relative link of README.md and docs/*.md names a file of the repository,
# and no --help text of gandyn names a file it does not hold.
#     bash tests/docs_standalone.sh SOURCE_DIR path/to/gandyn
set -euo pipefail
src=$1 gandyn=$2
cd "$src"
bad=0
files=$(git ls-files 2>/dev/null || find . -type f -not -path './build*' -not -path './.git/*')
# 1. pointers outside the repository
hits=$(printf '%s\n' $files | grep -v '^tests/docs_standalone.sh$' |
       xargs grep -nE '\.\./shared|DESIGN\.md|DESIGN section|DESIGN:' 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "docs_standalone: pointers outside the repository:"; echo "$hits" | sed 's/^/  /'; bad=1
fi
# 2. relative links in the Markdown
for md in README.md docs/*.md bench/README.md; do
  [ -f "$md" ] || continue
  dir=$(dirname "$md")
  for link in $(grep -oE '\]\([^)#]+' "$md" | sed 's/^](//'); do
    case "$link" in http*|mailto:*) continue ;; esac
    if [ ! -e "$dir/$link" ]; then
      echo "docs_standalone: $md links to '$link', which does not exist"; bad=1
    fi
  done
done
# 3. the --help texts name only files of the repository
for cmd in simulate analyze sweep plot reproduce list; do
  help=$("$gandyn" "$cmd" --help 2>&1 || true)
  if printf '%s' "$help" | grep -qE '\.\./shared|DESIGN'; then
    echo "docs_standalone: 'gandyn $cmd --help' points outside the repository"; bad=1
  fi
  for f in $(printf '%s' "$help" | grep -oE '\b(docs|bench|tests)/[A-Za-z0-9_./-]+\.(md|sh|py|c)\b' || true); do
    [ -e "$f" ] || { echo "docs_standalone: 'gandyn $cmd --help' names '$f', which does not exist"; bad=1; }
  done
done
"$gandyn" reproduce --help 2>&1 | grep -q 'docs/specification.md' ||
  { echo "docs_standalone: 'gandyn reproduce --help' does not point to docs/specification.md"; bad=1; }
[ $bad -eq 0 ] && echo "docs_standalone: ok"
exit $bad
