#!/usr/bin/env bash
# Creates tools/peers/.venv with pinned versions of the Python peer stemmers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
echo "peers: creating virtual environment in $here/.venv (using $($py --version 2>&1))"
"$py" -m venv "$here/.venv"
echo "peers: installing nltk==3.10.4 tashaphyne==0.3.6 snowballstemmer==3.1.1 pyarabic==0.6.15"
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check \
    nltk==3.10.4 tashaphyne==0.3.6 snowballstemmer==3.1.1 pyarabic==0.6.15
echo "peers: checking imports"
"$here/.venv/bin/python" - <<'PY'
import snowballstemmer, nltk, tashaphyne, pyarabic
from nltk.stem.isri import ISRIStemmer
from tashaphyne.stemming import ArabicLightStemmer
snowballstemmer.stemmer("arabic").stemWord("والمحادثات")
ISRIStemmer().stem("والمحادثات")
ArabicLightStemmer().light_stem("والمحادثات")
print("peers: ok: nltk", nltk.__version__, "| snowballstemmer, tashaphyne, pyarabic import and stem")
PY
echo "peers: done. Run: $here/.venv/bin/python $here/conflation.py ; $here/.venv/bin/python $here/speed.py"
