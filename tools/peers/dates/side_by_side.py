#!/usr/bin/env python3
"""rasd-time beside dateparser (search_dates, languages=['ar']) on the same sentences: the gold
set's sentences (crates/rasd-time/tests/gold.tsv, marks removed), each with its anchor as
RELATIVE_BASE. Both run on one core (start this script under `taskset -c 0`).

Prints, for dateparser, what it found against the gold spans (exact and overlapping) and how
many day-level values it got right, its sentences/s and MB/s, then rasd-time's throughput (the
`throughput` example, built in release) on the same sentences, and the speed ratio. rasd-time's
own quality figures come from `cargo run --release -p rasd-time --example gold_eval`.

Setup: bash tools/peers/dates/setup.sh   Run: taskset -c 0 tools/peers/dates/.venv/bin/python tools/peers/dates/side_by_side.py
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GOLD = os.path.join(ROOT, "crates", "rasd-time", "tests", "gold.tsv")
MARK = re.compile(r"\[\[([^|\]]*)\|([^|\]]*)\|([^\]]*)\]\]")


def read_gold():
    cases = []
    with open(GOLD, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            anchor, marked = line.split("\t", 1)
            text, spans, pos = "", [], 0
            for m in MARK.finditer(marked):
                text += marked[pos:m.start()]
                start = len(text)
                text += m.group(1)
                spans.append((start, len(text), m.group(2), m.group(3)))
                pos = m.end()
            text += marked[pos:]
            cases.append((datetime.date.fromisoformat(anchor), text, spans))
    return cases


def main():
    try:
        from dateparser.search import search_dates
    except ImportError:
        sys.exit("side_by_side: dateparser is missing: run tools/peers/dates/setup.sh first")
    cases = read_gold()
    n_gold = sum(len(s) for _, _, s in cases)
    # Warm up (dateparser loads its language data on first use).
    search_dates("وصل الوفد أمس", languages=["ar"])
    found = exact = overlap = day_ok = day_gold = 0
    t0 = time.perf_counter()
    results = []
    for anchor, text, _ in cases:
        base = datetime.datetime(anchor.year, anchor.month, anchor.day, 12, 0)
        r = search_dates(text, languages=["ar"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
        results.append(r or [])
    secs = time.perf_counter() - t0
    for (anchor, text, spans), r in zip(cases, results):
        got, pos = [], 0
        for sub, dt in r:
            i = text.find(sub, pos)
            if i < 0:
                i = text.find(sub)
            if i < 0:
                continue
            pos = i + len(sub)
            got.append((i, i + len(sub), dt))
        found += len(got)
        for (gs, ge, kind, value) in spans:
            if any(s < ge and gs < e for s, e, _ in got):
                overlap += 1
            hit = [dt for s, e, dt in got if s == gs and e == ge]
            if hit:
                exact += 1
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                day_gold += 1
                if any(s < ge and gs < e and dt.date().isoformat() == value for s, e, dt in got):
                    day_ok += 1
    nbytes = sum(len(t.encode("utf-8")) for _, t, _ in cases)
    print(f"dateparser {__import__('dateparser').__version__} search_dates on {len(cases)} sentences ({nbytes} bytes), {n_gold} gold expressions")
    print(f"  found {found}; exact spans {exact} (precision {exact / max(found, 1):.3f}, recall {exact / n_gold:.3f}); overlapping recall {overlap / n_gold:.3f}")
    print(f"  day-level gold values right (overlapping span, same day): {day_ok} of {day_gold}")
    dp_sps = len(cases) / secs
    print(f"  {secs:.2f} s: {dp_sps:.1f} sentences/s, {nbytes / secs / 1e6:.4f} MB/s")

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for _, t, _ in cases:
            f.write(t.replace("\n", " ") + "\n")
        path = f.name
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "rasd-time", "--example", "throughput"], cwd=ROOT, check=True, env=env)
    exe = os.path.join(env["CARGO_TARGET_DIR"], "release", "examples", "throughput")
    out = subprocess.run([exe, path], capture_output=True, text=True, check=True).stdout.strip().splitlines()
    os.unlink(path)
    rs = json.loads(out[-1])
    print(f"rasd-time find_expressions on the same sentences: {rs['sentences_per_s']:.0f} sentences/s, {rs['mb_per_s']:.1f} MB/s")
    print(f"ratio (rasd-time / dateparser, sentences per second, one core): {rs['sentences_per_s'] / dp_sps:.0f}x")


if __name__ == "__main__":
    main()
