#!/usr/bin/env python3
"""rasd-extract vs trafilatura (and htmldate for dates) on trafilatura's own evaluation set.

Same pages, same scoring code, one run:
  * main text: for every page, each 'with' snippet found in the output is a true positive, each one
    missing a false negative; each 'without' snippet found is a false positive (whitespace-normalised
    substring matching, as trafilatura's tests/eval_common.py counts them); precision, recall, F1
    over all snippets;
  * dates: the page's 'date' field (851 pages have one, 728 non-empty); an output date is correct when
    its YYYY-MM-DD equals the gold, wrong when it differs, invented when the gold is empty;
  * throughput: pages per CPU second on one core (pages one after the other, each system in turn
    on the same page; rasd's time is the thread CPU time measured inside the Rust example around
    extract_page, trafilatura's and htmldate's the thread CPU time (time.thread_time) around the
    Python call). CPU time, not wall time: on a shared machine wall time also counts the time a
    process waits preempted, which penalises whichever side happens to be descheduled. The wall
    time ratio is printed beside it for reference.

Run:  tools/peers/extract/setup.sh && tools/peers/extract/.venv/bin/python tools/peers/extract/eval.py
Options: --limit N (first N pages), --no-peers (rasd only), --passes K (rasd timing: best of K).
Reads ../shared/data/trafilatura-eval beside the checkout (or --data DIR); unpacks the pages to
tools/peers/extract/out/pages (ignored by git); writes out/eval.md and out/pages.tsv.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "out")
ARABIC = re.compile(r"[\u0600-\u06FF]")


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def count_item(item, result):
    """(tp, fp, fn, tn) for one page, as trafilatura's evaluation counts them."""
    if isinstance(result, str):
        resn = norm(result)
        tp = sum(1 for w in item["with"] if norm(w) in resn)
        fp = sum(1 for w in item["without"] if norm(w) in resn)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


class Scores:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0
        self.secs = 0.0
        self.wall = 0.0
        self.pages = 0
        self.d_ok = self.d_wrong = self.d_invented = self.d_out = 0

    def add(self, c):
        self.tp += c[0]
        self.fp += c[1]
        self.fn += c[2]
        self.tn += c[3]

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0
        return p, r, f

    def add_date(self, gold, got):
        if gold is None:
            return
        if got:
            self.d_out += 1
            if not gold:
                self.d_invented += 1
            elif got[:10] == gold[:10]:
                self.d_ok += 1
            else:
                self.d_wrong += 1


def unpack(data):
    dest = os.path.join(OUT, "pages")
    marker = os.path.join(dest, ".done")
    if not os.path.exists(marker):
        os.makedirs(dest, exist_ok=True)
        with tarfile.open(os.path.join(data, "trafilatura_eval_html.tar.xz")) as tf:
            for m in tf.getmembers():
                if m.isfile() and ".." not in m.name and not m.name.startswith("/"):
                    tf.extract(m, dest)
        open(marker, "w").close()
    return dest


def find_page(pages, name):
    for sub in ("tests/cache", "tests/eval", "cache", "eval"):
        p = os.path.join(pages, sub, name)
        if os.path.isfile(p):
            return p
    return None


def start_rasd(passes):
    """The Rust example as a long-running process: one path in, one JSON line out."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "rasd-extract", "--example", "eval_pages"],
                   cwd=ROOT, check=True)
    exe = os.path.join(target, "release", "examples", "eval_pages")
    return subprocess.Popen([exe, str(passes)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            bufsize=1)


def rasd_one(proc, path):
    proc.stdin.write(path + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    if not line:
        sys.exit(f"eval: {path}: the rasd example stopped")
    o = json.loads(line)
    return (o.get("body") or "", o.get("published"), o.get("secs", 0.0), o.get("wall", 0.0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "trafilatura-eval"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        sys.exit(f"eval: {args.data}: no such folder (the trafilatura-eval data set)")
    with open(os.path.join(args.data, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    pages = unpack(args.data)
    items = []
    for url, item in evaldata.items():
        p = find_page(pages, item["file"])
        if p is None:
            print(f"eval: {item['file']}: page missing from the tarball, skipped", file=sys.stderr)
            continue
        items.append((url, item, p))
    if args.limit:
        items = items[: args.limit]
    paths = [p for _, _, p in items]
    with_bytes = {p: open(p, "rb").read() for p in paths}

    # Page by page, every system in turn, so that all are timed under the same machine load
    # (the machine is shared; a system run alone later would see another load).
    systems = {"rasd-extract": {}}
    proc = start_rasd(args.passes)
    versions = {}
    peers = None
    if not args.no_peers:
        import trafilatura
        import htmldate
        from trafilatura import extract, extract_metadata
        versions = {"trafilatura": trafilatura.__version__, "htmldate": htmldate.__version__}
        opts = dict(include_comments=False, include_tables=True, include_formatting=False)
        peers = (extract, extract_metadata, htmldate, opts)
        for name in ("trafilatura", "trafilatura fast", "htmldate"):
            systems[name] = {}
    for p in paths:
        systems["rasd-extract"][p] = rasd_one(proc, p)
        if peers is None:
            continue
        extract, extract_metadata, htmldate, opts = peers
        for name, fast in (("trafilatura", False), ("trafilatura fast", True)):
            t, w = time.thread_time(), time.perf_counter()
            try:
                text = extract(with_bytes[p], fast=fast, **opts)
            except Exception:  # a crash counts as a full miss, as in trafilatura's own evaluation
                text = None
            systems[name][p] = (text, None, time.thread_time() - t, time.perf_counter() - w)
        # Dates: trafilatura's metadata (htmldate inside; not timed) and htmldate alone.
        try:
            md = extract_metadata(with_bytes[p])
            tdate = md.date if md is not None else None
        except Exception:
            tdate = None
        text, _, secs, wall = systems["trafilatura"][p]
        systems["trafilatura"][p] = (text, tdate, secs, wall)
        t, w = time.thread_time(), time.perf_counter()
        try:
            d = htmldate.find_date(with_bytes[p], original_date=True)
        except Exception:
            d = None
        systems["htmldate"][p] = (None, d, time.thread_time() - t, time.perf_counter() - w)
    proc.stdin.close()
    proc.wait()

    arabic = {p for _, item, p in items if any(ARABIC.search(w) for w in item["with"])}
    # Dev / held-out halves by position in evaldata.json: even indices are looked at and tuned on,
    # odd ones are only measured (reported so that tuning gains can be told from overfitting).
    even = {p for i, (_, _, p) in enumerate(items) if i % 2 == 0}
    table = []
    rows = []
    for name, res in systems.items():
        for subset, keep in (("all", lambda p: True), ("dev-even", lambda p: p in even),
                             ("held-odd", lambda p: p not in even), ("arabic", lambda p: p in arabic)):
            s = Scores()
            for url, item, p in items:
                if not keep(p) or p not in res:
                    continue
                text, date, secs, wall = res[p]
                s.pages += 1
                s.secs += secs
                s.wall += wall
                if name != "htmldate":
                    s.add(count_item(item, text))
                if name not in ("trafilatura fast",):
                    s.add_date(item.get("date"), date)
            if s.pages:
                table.append((name, subset, s))
    for url, item, p in items:
        cols = [os.path.basename(p)]
        for name in ("rasd-extract", "trafilatura"):
            if name in systems and p in systems[name]:
                c = count_item(item, systems[name][p][0])
                cols.append(f"{c[0]}/{c[1]}/{c[2]}")
        gold = item.get("date")
        cols.append(gold if gold else "-")
        cols.append(str(systems["rasd-extract"].get(p, (None, None))[1] or "-"))
        cols.append(f"{systems['rasd-extract'][p][2] * 1e3:.3f}" if p in systems["rasd-extract"] else "-")
        rows.append("\t".join(cols))

    lines = ["| system | pages | precision | recall | F1 | dates right / out (P) | date recall | invented | wrong | pages per CPU s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, subset, s in table:
        p, r, f = s.prf()
        in_subset = {"all": lambda q: True, "dev-even": lambda q: q in even,
                     "held-odd": lambda q: q not in even, "arabic": lambda q: q in arabic}[subset]
        gold_dates = sum(1 for _, item, pp in items if item.get("date") and in_subset(pp))
        dp = f"{s.d_ok}/{s.d_out} ({s.d_ok / s.d_out:.3f})" if s.d_out else "-"
        dr = f"{s.d_ok / gold_dates:.3f}" if gold_dates and name != "trafilatura fast" else "-"
        txt = name != "htmldate"
        lines.append(
            f"| {name}{' ' + versions.get(name, '') if versions.get(name) else ''} [{subset}] | {s.pages} | "
            f"{p:.3f} | {r:.3f} | {f:.3f} |" if txt else f"| {name} {versions.get(name, '')} [{subset}] | {s.pages} | - | - | - |"
        )
        lines[-1] += (f" {dp} | {dr} | {s.d_invented if name != 'trafilatura fast' else '-'} | "
                      f"{s.d_wrong if name != 'trafilatura fast' else '-'} | {s.pages / s.secs if s.secs else 0:.1f} |")
    base = {(n, sub): s for n, sub, s in table}
    if ("rasd-extract", "all") in base and ("trafilatura", "all") in base:
        r, t = base[("rasd-extract", "all")], base[("trafilatura", "all")]
        lines.append("")
        lines.append(f"rasd-extract speed vs trafilatura (thread CPU time per page, same pages): "
                     f"{(r.pages / r.secs) / (t.pages / t.secs):.1f}x "
                     f"(rasd {r.secs:.2f} s, trafilatura {t.secs:.2f} s CPU; by wall time "
                     f"{(r.pages / r.wall) / (t.pages / t.wall):.1f}x)")
    report = "\n".join(lines)
    print(report)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "eval.md"), "w", encoding="utf-8") as f:
        f.write(report + "\n")
    with open(os.path.join(OUT, "pages.tsv"), "w", encoding="utf-8") as f:
        f.write("file\trasd tp/fp/fn\ttrafilatura tp/fp/fn\tgold date\trasd date\trasd CPU ms\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
