#!/usr/bin/env bash
# Creates tools/peers/dates/.venv with a pinned dateparser (from PyPI), the peer of rasd-time
# in side_by_side.py (dateparser.search.search_dates with languages=['ar']).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
echo "dates peer: creating virtual environment in $here/.venv (using $($py --version 2>&1))"
"$py" -m venv "$here/.venv"
echo "dates peer: installing dateparser==1.2.2"
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check "dateparser==1.2.2"
"$here/.venv/bin/python" - <<'PY'
import datetime
from dateparser.search import search_dates
r = search_dates("وصل الوفد في 4 مايو 2017", languages=["ar"], settings={"RELATIVE_BASE": datetime.datetime(2017, 6, 7)})
print("dates peer: ok:", r)
PY
echo "dates peer: done. Run: $here/.venv/bin/python $here/side_by_side.py"
