#!/usr/bin/env bash
# Creates tools/peers/dedup/.venv with pinned datatrove (from PyPI), the MinHash peer of
# rasd-dedup in side_by_side.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
echo "dedup peer: creating virtual environment in $here/.venv (using $($py --version 2>&1))"
"$py" -m venv "$here/.venv"
# datatrove's MinHash imports regex, tokenizers, xxhash and orjson, and its Arabic word tokenizer is spaCy's blank "ar"
# (none of them are datatrove's own install requirements; xxhash 4 refuses the str datatrove hashes).
echo "dedup peer: installing datatrove==0.10.1 regex tokenizers spacy xxhash orjson"
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check \
    "datatrove==0.10.1" "regex==2026.11.15" "tokenizers==0.23.3" "spacy==3.8.18" "xxhash==3.5.0" "orjson==3.13.0"
"$here/.venv/bin/python" - <<'PY'
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.utils.word_tokenizers import load_word_tokenizer
words = load_word_tokenizer("ar").word_tokenize("قال وزير الخارجية إن المحادثات ستستأنف.")
assert words[:3] == ["قال", "وزير", "الخارجية"], words
print("dedup peer: ok: datatrove MinhashConfig default", MinhashConfig())
PY
echo "dedup peer: done. Run: bash $here/side_by_side.sh N"
