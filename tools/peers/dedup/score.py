"""Scores rasd dedup and datatrove groupings against the generator's copy pairs.

usage: score.py TRUTH_TSV RASD_JSONL [DATATROVE_WORK_DIR] [MIN_JACCARD]

TRUTH_TSV lines: parent_id, copy_id, exact Jaccard of their word 5-gram sets, kind (from
`measure` with MEASURE_WRITE). A pair is found when both documents land in the same group
(rasd: same `group`; datatrove: same `minhash_cluster_id` other than -1). Recall is over the
pairs with Jaccard >= MIN_JACCARD (default 0.8); also printed: how many documents each tool
put into groups of more than one document, and, over the generator's families (a document, its
copies and their copies, extracts included):
- wrongly grouped: members of a group of 2+ that are not of the family most of the group is of;
- wire extracts grouped with their family: extracts whose group holds another member of their
  family (containment; an extract is too short to be a near copy at the Jaccard thresholds).
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


def families(truth):
    """Union-find over every generator pair: document id -> family root."""
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b, _j, _kind in truth:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    return find


def family_scores(name, groups, truth):
    family = families(truth)
    members = {}
    for doc, g in groups.items():
        members.setdefault(g, []).append(family(doc))
    wrong = 0
    in_groups = 0
    for fams in members.values():
        if len(fams) > 1:
            in_groups += len(fams)
            counts = {}
            for f in fams:
                counts[f] = counts.get(f, 0) + 1
            wrong += len(fams) - max(counts.values())
    wires = [b for _a, b, _j, kind in truth if kind == "wire"]
    found = 0
    for w in wires:
        g = groups.get(w)
        if g is not None and sum(1 for f in members.get(g, []) if f == family(w)) > 1:
            found += 1
    print(
        f"{name}: wrongly grouped {wrong}/{in_groups} documents in groups of 2+ ({wrong / max(in_groups, 1):.4f}); "
        f"wire extracts grouped with their family {found}/{len(wires)} ({found / max(len(wires), 1):.4f})"
    )


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
            a, b, j, kind = line.rstrip("\n").split("\t")
            truth.append((a, b, float(j), kind))
    pairs = [(a, b, j) for a, b, j, _kind in truth]
    rasd = load_rasd(rasd_path)
    score("rasd", rasd, pairs, at)
    family_scores("rasd", rasd, truth)
    if work:
        dt = load_datatrove(work)
        score("datatrove", dt, pairs, at)
        family_scores("datatrove", dt, truth)


if __name__ == "__main__":
    main()
