#!/usr/bin/env python3
"""Conflation of rasd-arabic vs the Python peer stemmers (Snowball Arabic, NLTK ISRI, tashaphyne).

For each stemmer it reports
  * stem classes: distinct stems over the ANERCorp vocabulary (lines 1-125,303 of
    ANERCorp_original_full.txt, token = first column, Arabic-letter tokens only);
  * recall: share of the gold inflection pairs (inflection_pairs.tsv) whose two forms get the same stem;
  * collisions: share of the unrelated pairs (unrelated_pairs.tsv) whose two words get the same stem.

rasd-arabic runs through `cargo run --release -p rasd-arabic --example stem_words` (light_stem and
variant_key are scored separately). Every peer gets the raw word; its stem is then folded with the
same letter folding as rasd's search_key (diacritics/tatweel removed, hamza-alef -> ا, ؤ -> و,
ئ -> ي, ى -> ي, ة -> ه) so that no stemmer loses a pair only to spelling of hamza or teh marbuta.

Usage: tools/peers/.venv/bin/python tools/peers/conflation.py   (after tools/peers/setup.sh)
Writes the table to stdout and tools/peers/out/conflation.md, per-pair stems to out/conflation_pairs.tsv.
"""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ANER = os.path.join(REPO, "..", "shared", "data", "anercorp", "ANERCorp_original_full.txt")
ANER_LINES = 125_303
OUT = os.path.join(HERE, "out")

ARABIC_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u0671]+$")
TASHKEEL = re.compile(r"[\u064B-\u065F\u0670\u0640]")
FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه"})


def fold(s):
    return TASHKEEL.sub("", s).translate(FOLD)


def read_pairs(name):
    pairs = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) >= 2 and cols[0] and cols[1]:
                pairs.append((cols[0], cols[1]))
    return pairs


def read_vocab():
    if not os.path.exists(ANER):
        print(f"conflation: ANERCorp not found at {ANER}; stem-class counts skipped", file=sys.stderr)
        return []
    vocab = set()
    with open(ANER, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            if i >= ANER_LINES:
                break
            parts = line.split()
            if parts and ARABIC_WORD.match(parts[0]):
                vocab.add(parts[0])
    return sorted(vocab)


def rasd_stems(words):
    """word -> (light_stem, variant_key) from the Rust example."""
    cmd = ["cargo", "run", "--quiet", "--release", "-p", "rasd-arabic", "--example", "stem_words"]
    print("conflation: running " + " ".join(cmd), file=sys.stderr)
    res = subprocess.run(cmd, input="\n".join(words) + "\n", capture_output=True, text=True,
                         cwd=REPO, check=True)
    out = {}
    for line in res.stdout.split("\n"):
        cols = line.split("\t")
        if len(cols) == 4:
            out[cols[0]] = (cols[2], cols[3])
    return out


def main():
    import snowballstemmer
    from nltk.stem.isri import ISRIStemmer
    from tashaphyne.stemming import ArabicLightStemmer

    inflect = read_pairs("inflection_pairs.tsv")
    unrel = read_pairs("unrelated_pairs.tsv")
    vocab = read_vocab()
    words = sorted(set(vocab) | {w for p in inflect + unrel for w in p})

    t = time.time()
    ours = rasd_stems(words)
    missing = [w for w in words if w not in ours]
    if missing:
        sys.exit(f"conflation: stem_words returned no line for {len(missing)} words, e.g. {missing[:5]}")
    print(f"conflation: rasd stems for {len(words)} words in {time.time() - t:.1f} s", file=sys.stderr)

    snow = snowballstemmer.stemmer("arabic")
    isri = ISRIStemmer()
    tasha = ArabicLightStemmer()
    stemmers = {
        "rasd light_stem": lambda w: ours[w][0],
        "rasd variant_key": lambda w: ours[w][1],
        "Snowball arabic": lambda w: fold(snow.stemWord(w)),
        "NLTK ISRI": lambda w: fold(isri.stem(w)),
        "tashaphyne light_stem": lambda w: fold(tasha.light_stem(w)),
    }
    stems = {}
    for name, fn in stemmers.items():
        t = time.time()
        stems[name] = {w: fn(w) for w in words}
        print(f"conflation: {name}: {len(words)} words in {time.time() - t:.1f} s", file=sys.stderr)

    vset = set(vocab)
    # Unrelated pairs that differ only by a final teh marbuta (ثورة/ثور): every light stemmer strips ة,
    # so these are shown apart from the rest.
    unrel_x = [(a, b) for a, b in unrel if fold(a) + "ه" != fold(b) and fold(b) + "ه" != fold(a)]
    rows = []
    for name in stemmers:
        s = stems[name]
        classes = len({s[w] for w in vset}) if vocab else 0
        meet = sum(1 for a, b in inflect if s[a] and s[a] == s[b])
        coll = sum(1 for a, b in unrel if s[a] and s[a] == s[b])
        coll_x = sum(1 for a, b in unrel_x if s[a] and s[a] == s[b])
        rows.append((name, classes, meet, coll, coll_x))

    lines = [
        f"Vocabulary: {len(vocab)} distinct Arabic tokens (ANERCorp lines 1-{ANER_LINES:,}); "
        f"{len(inflect)} inflection pairs, {len(unrel)} unrelated pairs.",
        "",
        "| stemmer | stem classes | inflection pairs that meet (recall) | unrelated pairs that collide "
        f"| collide, without the {len(unrel) - len(unrel_x)} X/Xة pairs |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, classes, meet, coll, coll_x in rows:
        lines.append(f"| {name} | {classes} | {meet}/{len(inflect)} ({100 * meet / len(inflect):.1f}%) "
                     f"| {coll}/{len(unrel)} ({100 * coll / len(unrel):.1f}%) "
                     f"| {coll_x}/{len(unrel_x)} ({100 * coll_x / len(unrel_x):.1f}%) |")
    table = "\n".join(lines)
    print(table)

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "conflation.md"), "w", encoding="utf-8") as f:
        f.write(f"# Conflation: rasd-arabic vs peers ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n\n")
        f.write(table + "\n")
    names = list(stemmers)
    with open(os.path.join(OUT, "conflation_pairs.tsv"), "w", encoding="utf-8") as f:
        f.write("set\tword1\tword2\t" + "\t".join(names) + "\n")
        for label, pairs in (("inflection", inflect), ("unrelated", unrel)):
            for a, b in pairs:
                cells = []
                for n in names:
                    sa, sb = stems[n][a], stems[n][b]
                    cells.append(("=" if sa and sa == sb else "≠") + f" {sa}|{sb}")
                f.write(f"{label}\t{a}\t{b}\t" + "\t".join(cells) + "\n")
    print(f"conflation: wrote {OUT}/conflation.md and conflation_pairs.tsv", file=sys.stderr)


if __name__ == "__main__":
    main()
