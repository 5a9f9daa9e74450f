#!/usr/bin/env bash
# rasd dedup vs datatrove's MinHash (FineWeb settings) on the same generated Arabic corpus, on this
# machine: wall time and peak memory (/usr/bin/time -v), and recall of the generator's copy pairs.
#
# usage: bash tools/peers/dedup/side_by_side.sh N_DOCS [rasd-only]
#   N_DOCS     documents to generate (real Arabic text: ANERcorp, SemEval, seeds; see
#              crates/rasd-dedup/examples/measure.rs), written as 2 JSONL shards
#   rasd-only  skip datatrove (for sizes where it would take too long)
# Needs ../shared beside the checkout (the text the corpus is made of) and, unless rasd-only,
# `bash tools/peers/dedup/setup.sh` first. Work files go to $WORK (default /tmp/rasd-dedup-sbs-N);
# the summary is printed and written to $WORK/summary.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:?usage: side_by_side.sh N_DOCS [rasd-only]}"
mode="${2:-both}"
work="${WORK:-/tmp/rasd-dedup-sbs-$n}"
target="${CARGO_TARGET_DIR:-$root/target}"
threads=2

if [ -z "${SKIP_BUILD:-}" ]; then  # SKIP_BUILD=1 uses the binaries already in $target/release
    (cd "$root" && cargo build --release -q -p rasd --bin rasd && cargo build --release -q -p rasd-dedup --example measure)
fi
rm -rf "$work"
mkdir -p "$work/in"
echo "generating $n documents into $work"
MEASURE_WRITE="$work/corpus.jsonl" "$target/release/examples/measure" "$n"
split -n "l/$threads" -d --additional-suffix=.jsonl "$work/corpus.jsonl" "$work/in/part"
rm "$work/corpus.jsonl"
du -sh "$work/in"

peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1"; }
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f s", s}' "$1"; }
# datatrove's workers are not counted by /usr/bin/time: its CPU time comes from `perf stat`
# (task-clock of the whole process tree) when perf is installed.
perf_cpu() { [ -s "$1" ] && awk '/task-clock/ {gsub(",", "", $1); printf "%.1f s", $1/1000}' "$1" || echo "n/a"; }

echo "rasd dedup (defaults: 33 bands x 3 rows, Jaccard >= 0.5 verified)"
/usr/bin/time -v "$target/release/rasd" --quiet dedup --json "$work"/in/*.jsonl > "$work/rasd.jsonl" 2> "$work/rasd.time"
echo "rasd dedup (datatrove's banding: 14 bands x 8 rows, Jaccard >= 0.7 verified)"
/usr/bin/time -v "$target/release/rasd" --quiet dedup --json --bands 14 --rows 8 --threshold 0.7 \
    "$work"/in/*.jsonl > "$work/rasd-14x8.jsonl" 2> "$work/rasd-14x8.time"
dt="-"
if [ "$mode" != "rasd-only" ]; then
    echo "datatrove MinHash (5-grams, 14 buckets x 8 hashes, $threads tasks)"
    # niced: it runs for minutes on every core of a shared machine.
    stat=()
    if command -v perf > /dev/null; then stat=(perf stat -e task-clock -o "$work/dt.perfstat"); fi
    nice -n 10 "${stat[@]}" /usr/bin/time -v "$here/.venv/bin/python" "$here/datatrove_minhash.py" "$work/in" "$work/dt" "$threads" \
        > "$work/dt.log" 2> "$work/dt.time"
    dt="$work/dt"
fi
{
    echo "side by side on $n generated documents ($(du -sh "$work/in" | cut -f1) of JSONL), $(nproc) cores, $(date -u +%F)"
    echo "rasd dedup defaults:      wall $(wall "$work/rasd.time"), CPU $(cpu "$work/rasd.time"), peak $(peak "$work/rasd.time")"
    echo "rasd dedup 14x8, t=0.7:   wall $(wall "$work/rasd-14x8.time"), CPU $(cpu "$work/rasd-14x8.time"), peak $(peak "$work/rasd-14x8.time")"
    if [ "$dt" != "-" ]; then
        echo "datatrove minhash:        wall $(wall "$work/dt.time"), CPU $(perf_cpu "$work/dt.perfstat"), peak $(peak "$work/dt.time") (largest process)"
        grep "datatrove stage seconds" "$work/dt.log" || true
    fi
    for at in 0.8 0.5; do
        python3 "$here/score.py" "$work/corpus.jsonl.truth.tsv" "$work/rasd.jsonl" "$dt" "$at" | sed "s/^rasd:/rasd defaults:/"
        python3 "$here/score.py" "$work/corpus.jsonl.truth.tsv" "$work/rasd-14x8.jsonl" - "$at" | sed "s/^rasd:/rasd 14x8:/"
    done
} | tee "$work/summary.txt"
