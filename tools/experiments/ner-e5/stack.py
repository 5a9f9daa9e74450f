"""Stacks a linear probe over e5-small word vectors onto the rasd NER tagger (experiment).

  python3 stack.py sentences ANERCorp_original_full.txt ANERCorp_CamelLab_test.txt OUT
      writes OUT/train.sents (lines 1-125,303 only) and OUT/test.sents, one sentence per line
      (split after . ! ? ؟ as the tagger splits, at most 200 words), for dump.c.
  python3 stack.py stack ANERCorp_original_full.txt ANERCorp_CamelLab_test.txt OUT
      reads OUT/train.vec and OUT/test.vec (dump.c), trains a softmax probe (O/PER/ORG/LOC/MISC)
      on each word's vector and its neighbours', and writes OUT/train_marked.txt and
      OUT/test_marked.txt: the corpus files with each token followed by U+0001 and the probe's
      label, and its label with a confidence bucket. Training tokens get the label of a probe
      that never saw them (4 contiguous folds), as the tagger meets them on new text.
Needs numpy. Deterministic (fixed seeds)."""
import os
import sys

import numpy as np

TRAIN_LINES = 125_303
H = 384
LABELS = ["O", "PER", "ORG", "LOC", "MISC"]


def tokens(path, limit):
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= limit:
                break
            cols = line.split()
            if cols:
                tag = cols[-1].replace("PERS", "PER")
                out.append((cols[0], "O" if tag == "O" else tag[2:]))
    return out


def sentences(toks, most=200):
    out, cur = [], []
    for t, _ in toks:
        cur.append(t)
        if t.strip("\u200f\u200e ") in (".", "!", "?", "؟", "...", "…") or len(cur) >= most:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def with_neighbours(x):
    z = np.zeros((1, x.shape[1]), dtype=x.dtype)
    return np.hstack([x, np.vstack([z, x[:-1]]), np.vstack([x[1:], z])])


def fit(x, y, epochs=4, lr=0.05, l2=1e-4):
    rng = np.random.default_rng(0)
    w = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    b = np.zeros(len(LABELS), dtype=np.float32)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for s in range(0, len(order), 256):
            idx = order[s : s + 256]
            p = probs(x[idx], w, b)
            p[np.arange(len(idx)), y[idx]] -= 1
            w -= lr * (x[idx].T @ p / len(idx) + l2 * w)
            b -= lr * p.mean(0)
    return w, b


def probs(x, w, b):
    z = x @ w + b
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def marks(p):
    out = []
    for row in p:
        j = int(np.argmax(row))
        out.append("\u0001p=%s\u0001pc=%s:%d" % (LABELS[j], LABELS[j], min(4, int(row[j] * 5))))
    return out


def write_marked(src, dst, m, limit):
    n = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as o:
        for i, line in enumerate(f):
            cols = line.split()
            if i < limit and cols:
                cols[0] += m[n]
                n += 1
                o.write(" ".join(cols) + "\n")
            else:
                o.write(line if line.endswith("\n") else line + "\n")
    assert n == len(m), (dst, n, len(m))


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("sentences", "stack"):
        sys.exit(__doc__)
    cmd, full, test, out = sys.argv[1:]
    train_toks = tokens(full, TRAIN_LINES)
    test_toks = tokens(test, 10**9)
    if cmd == "sentences":
        for name, toks in (("train", train_toks), ("test", test_toks)):
            with open(os.path.join(out, name + ".sents"), "w", encoding="utf-8") as f:
                for s in sentences(toks):
                    f.write(" ".join(s) + "\n")
        return
    xs = []
    for name, toks in (("train", train_toks), ("test", test_toks)):
        v = np.fromfile(os.path.join(out, name + ".vec"), dtype=np.float32).reshape(-1, H)
        assert len(v) == len(toks), (name, len(v), len(toks))
        xs.append(v)
    mu, sd = xs[0].mean(0), xs[0].std(0) + 1e-6
    x_train, x_test = (with_neighbours((v - mu) / sd) for v in xs)
    y = np.array([LABELS.index(t) for _, t in train_toks])
    p_train = np.zeros((len(x_train), len(LABELS)), dtype=np.float32)
    n, folds = len(x_train), 4
    for k in range(folds):
        a, b = n * k // folds, n * (k + 1) // folds
        keep = np.ones(n, bool)
        keep[a:b] = False
        p_train[a:b] = probs(x_train[a:b], *fit(x_train[keep], y[keep]))
    p_test = probs(x_test, *fit(x_train, y))
    write_marked(full, os.path.join(out, "train_marked.txt"), marks(p_train), TRAIN_LINES)
    write_marked(test, os.path.join(out, "test_marked.txt"), marks(p_test), 10**9)
    print("probe token accuracy on the test text: %.3f" % (p_test.argmax(1) == np.array([LABELS.index(t) for _, t in test_toks])).mean())


if __name__ == "__main__":
    main()
