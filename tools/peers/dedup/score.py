"""Scores rasd dedup and datatrove groupings against the generator's copy pairs.

usage: score.py TRUTH_TSV RASD_JSONL [DATATROVE_WORK_DIR] [MIN_JACCARD]

TRUTH_TSV lines: parent_id, copy_id, exact Jaccard of their word 5-gram sets, kind (from
`measure` with MEASURE_WRITE). A pair is found when both documents land in the same group
(rasd: same `group`; datatrove: same `minhash_cluster_id` other than -1). Recall is over the
pairs with Jaccard >= MIN_JACCARD (default 0.8); also printed: how many documents each tool
put into groups of more than one document.
"""

import glob
import json
import sys


def load_rasd(path):
    g = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            g[d["id"]] = d["group"]
    return g


def load_datatrove(work):
    g = {}
    for p in glob.glob(f"{work}/kept/*.jsonl") + glob.glob(f"{work}/removed/*.jsonl"):
        with open(p, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                c = d.get("metadata", {}).get("minhash_cluster_id", -1)
                g[d["id"]] = ("c", c) if c != -1 else ("single", d["id"])
    return g


def score(name, groups, truth, at):
    pairs = [(a, b) for a, b, j in truth if j >= at]
    found = sum(1 for a, b in pairs if a in groups and groups.get(a) == groups.get(b))
    sizes = {}
    for k in groups.values():
        sizes[k] = sizes.get(k, 0) + 1
    in_groups = sum(n for n in sizes.values() if n > 1)
    print(
        f"{name}: {len(groups)} documents, {len(sizes)} groups, {in_groups} documents in groups of 2+; "
        f"generator copy pairs with J >= {at}: {found}/{len(pairs)} in the same group (recall {found / max(len(pairs), 1):.4f})"
    )


def main():
    truth_path, rasd_path = sys.argv[1], sys.argv[2]
    work = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    at = float(sys.argv[4]) if len(sys.argv) > 4 else 0.8
    truth = []
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            a, b, j, _kind = line.rstrip("\n").split("\t")
            truth.append((a, b, float(j)))
    score("rasd", load_rasd(rasd_path), truth, at)
    if work:
        score("datatrove", load_datatrove(work), truth, at)


if __name__ == "__main__":
    main()
