#!/usr/bin/env bash
# Runs every fuzz target for $SECS seconds (default 300), one after the other, one core.
# New corpus entries go to $WORK/corpus/<target> (outside the repo); the tracked seeds are read-only input.
# Usage (from the repository root): fuzz/run-all.sh [SECS] [target...]
set -u
SECS=${1:-300}; shift || true
TARGETS=${*:-tokenize normalize analyze}
WORK=${CARGO_TARGET_DIR:-/tmp/rasd-fuzz-target}
export RUSTC_BOOTSTRAP=1   # cargo-fuzz passes -Zsanitizer=address / -Cpasses=sancov-module (nightly flags)
mkdir -p "$WORK/logs"
for t in $TARGETS; do
  mkdir -p "$WORK/corpus/$t"
  cargo fuzz run --target-dir "$WORK" "$t" "$WORK/corpus/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECS" -max_len=4096 -timeout=5 -print_final_stats=1 \
    > "$WORK/logs/$t.log" 2>&1
  echo "$t exit=$?" >> "$WORK/logs/summary.txt"
done
