#!/usr/bin/env bash
# Runs every fuzz target built in BUILD/fuzz for SECONDS each (default
# $FUZZ_SECONDS, else 60), starting from its seed corpus fuzz/corpus/NAME/
# (NAME: the target without "fuzz_"; read only: new inputs go to
# BUILD/fuzz-corpus/NAME/, crashes to BUILD/fuzz-artifacts/).
#     fuzz/run.sh [BUILD [SECONDS]]          (default build-fuzz)
# Exit status 1 if any target crashed, leaked, hit a sanitizer report or a
# timeout (the log, BUILD/fuzz-logs/NAME.log, says which input).
set -uo pipefail
src=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-fuzz}
secs=${2:-${FUZZ_SECONDS:-60}}
shopt -s nullglob
targets=("$build"/fuzz/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets in $build/fuzz (build them: make fuzz)" >&2
  exit 1
fi
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts" "$build/fuzz-logs"
failed=()
for bin in "${targets[@]}"; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  work="$build/fuzz-corpus/$name"; mkdir -p "$work"
  seed=(); [ -d "$src/corpus/$name" ] && seed=("$src/corpus/$name")
  log="$build/fuzz-logs/$name.log"
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" \
    "$work" "${seed[@]}" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    printf 'fuzz %-12s ok: %s runs in %s s, %s, corpus %s\n' "$name" \
      "${runs:-?}" "$secs" "${cov:-cov: ?}" "$(ls "$work" | wc -l)"
  else
    printf 'fuzz %-12s FAILED (exit %d), log %s:\n' "$name" $rc "$log"
    grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$log" | head -5
    failed+=("$name")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed: ${failed[*]}"; exit 1; }
