#!/usr/bin/env bash
# Creates tools/peers/extract/.venv with pinned trafilatura and htmldate (from PyPI), the peers of
# rasd-extract in eval.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
echo "extract peers: creating virtual environment in $here/.venv (using $($py --version 2>&1))"
"$py" -m venv "$here/.venv"
echo "extract peers: installing trafilatura==2.3.1 htmldate==1.11.0 lxml_html_clean==0.4.6"
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check trafilatura==2.3.1 htmldate==1.11.0 lxml_html_clean==0.4.6
"$here/.venv/bin/python" - <<'PY'
import trafilatura, htmldate
html = "<html><body><article><p>" + "Ein Satz mit genug Worten für den Text. " * 8 + "</p></article></body></html>"
assert trafilatura.extract(html) is not None
print("extract peers: ok: trafilatura", trafilatura.__version__, "| htmldate", htmldate.__version__)
PY
echo "extract peers: done. Run: $here/.venv/bin/python $here/eval.py"
