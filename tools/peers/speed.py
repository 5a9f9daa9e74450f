#!/usr/bin/env python3
"""Single-core throughput of rasd-arabic vs the Python peers, on one shared text file.

Text: the seed articles (shared/seeds/*.txt) + the ANERCorp tokens (lines 1-125,303, first column,
joined by spaces, newline after '.'), repeated to about TARGET_MB MB, written to out/speed_text.txt.

Peers (single process, tokens from str.split, MB = UTF-8 bytes / 1e6):
  * pyarabic normalization per line: strip_tashkeel, strip_tatweel, normalize_hamza, normalize_ligature;
  * NLTK ISRI stem per token;  * tashaphyne light_stem per token;  * snowballstemmer arabic per token.
Each peer runs over the text until it is done or PEER_SECS seconds have passed (then MB/s is over the
prefix it processed). rasd runs `cargo run --release -p rasd-arabic --example bench_file -- out/speed_text.txt`
(tokenize+search_key, for_each_term = tokenize+search_key+clitics+light stem; best of several passes).

Usage: tools/peers/.venv/bin/python tools/peers/speed.py [TARGET_MB] [PEER_SECS]
Writes the table to stdout and tools/peers/out/speed.md.
"""
import glob
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(REPO, "..", "shared")
ANER = os.path.join(SHARED, "data", "anercorp", "ANERCorp_original_full.txt")
ANER_LINES = 125_303
OUT = os.path.join(HERE, "out")


def build_text(target_mb):
    parts = []
    for p in sorted(glob.glob(os.path.join(SHARED, "seeds", "*.txt"))):
        with open(p, encoding="utf-8", errors="replace") as f:
            parts.append(f.read())
    if os.path.exists(ANER):
        toks = []
        with open(ANER, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f):
                if i >= ANER_LINES:
                    break
                cols = line.split()
                if cols:
                    toks.append(cols[0] + ("\n" if cols[0] == "." else " "))
        parts.append("".join(toks))
    else:
        print(f"speed: ANERCorp not found at {ANER}; using seeds only", file=sys.stderr)
    unit = "\n".join(parts)
    if not unit.strip():
        sys.exit("speed: no seed or ANERCorp text found beside the checkout; nothing to measure")
    unit_bytes = len(unit.encode("utf-8"))
    reps = max(1, int(target_mb * 1e6 // unit_bytes))
    return (unit + "\n") * reps


def run_peer(name, lines, per_line, budget):
    """Apply per_line to lines until done or budget seconds; return (MB processed, seconds)."""
    done_bytes = 0
    t0 = time.perf_counter()
    for line in lines:
        per_line(line)
        done_bytes += len(line.encode("utf-8")) + 1
        if time.perf_counter() - t0 > budget:
            break
    s = time.perf_counter() - t0
    return done_bytes / 1e6, s


def main():
    target_mb = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    import pyarabic.araby as araby
    import snowballstemmer
    from nltk.stem.isri import ISRIStemmer
    from tashaphyne.stemming import ArabicLightStemmer

    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "speed_text.txt")
    text = build_text(target_mb)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    total_mb = len(text.encode("utf-8")) / 1e6
    # Short lines keep the time check cheap and frequent.
    lines = []
    for para in text.split("\n"):
        words = para.split(" ")
        for i in range(0, len(words), 200):
            lines.append(" ".join(words[i:i + 200]))
    print(f"speed: text {total_mb:.2f} MB in {path}", file=sys.stderr)

    def normalize(line):
        s = araby.strip_tashkeel(line)
        s = araby.strip_tatweel(s)
        s = araby.normalize_hamza(s)
        return araby.normalize_ligature(s)

    isri = ISRIStemmer()
    tasha = ArabicLightStemmer()
    snow = snowballstemmer.stemmer("arabic")
    peers = [
        ("pyarabic normalize (strip_tashkeel+strip_tatweel+normalize_hamza+normalize_ligature)", normalize),
        ("NLTK ISRI stem per token", lambda l: [isri.stem(w) for w in l.split()]),
        ("tashaphyne light_stem per token", lambda l: [tasha.light_stem(w) for w in l.split()]),
        ("snowballstemmer arabic per token", lambda l: [snow.stemWord(w) for w in l.split()]),
    ]
    results = []
    for name, fn in peers:
        mb, s = run_peer(name, lines, fn, budget)
        results.append((name, mb, s, mb / s))
        print(f"speed: {name}: {mb:.2f} MB in {s:.1f} s = {mb / s:.3f} MB/s", file=sys.stderr)

    cmd = ["cargo", "run", "--quiet", "--release", "-p", "rasd-arabic", "--example", "bench_file", "--", path]
    print("speed: running " + " ".join(cmd), file=sys.stderr)
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True)
    ours = {}
    for line in res.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and cols[2] == "MB/s":
            ours[cols[0]] = float(cols[1])
    if "tokenize+search_key" not in ours or "for_each_term" not in ours:
        sys.exit(f"speed: unexpected bench_file output:\n{res.stdout}{res.stderr}")

    norm_ref = ours["tokenize+search_key"]
    stem_ref = ours["for_each_term"]
    lines_out = [
        f"Text: {total_mb:.2f} MB (seeds + ANERCorp tokens, repeated); single core; "
        f"{platform.python_implementation()} {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| system | MB measured | MB/s | rasd speed-up |",
        "|---|---:|---:|---:|",
        f"| rasd tokenize+search_key | {total_mb:.2f} (best pass) | {norm_ref:.2f} | — |",
        f"| rasd for_each_term (tokenize+key+clitics+light stem) | {total_mb:.2f} (best pass) | {stem_ref:.2f} | — |",
    ]
    if "for_each_term+fold_variant" in ours:
        lines_out.append(
            f"| rasd for_each_term + variant key of every stem | {total_mb:.2f} (best pass) | "
            f"{ours['for_each_term+fold_variant']:.2f} | — |"
        )
    for i, (name, mb, s, rate) in enumerate(results):
        ref, label = (norm_ref, "tokenize+search_key") if i == 0 else (stem_ref, "for_each_term")
        lines_out.append(f"| {name} | {mb:.2f} | {rate:.3f} | {ref / rate:.0f}× ({label}) |")
    table = "\n".join(lines_out)
    print(table)
    with open(os.path.join(OUT, "speed.md"), "w", encoding="utf-8") as f:
        f.write("# Speed: rasd-arabic vs peers\n\n" + table + "\n")
    print(f"speed: wrote {OUT}/speed.md", file=sys.stderr)


if __name__ == "__main__":
    main()
