"""Lists a tokenizer's word pieces that a corpus rarely or never emits, as a tokenizer.json-shaped
file (`{"model": {"vocab": {...}}}`) that `generate-corpus.ts --pieces-from` reads. A byte-level
BPE keeps intermediate merges its own corpus never produces (`ers`), so a model never sees those
tokens; words built from them put them in copy positions (the second stage's corpus: s7 in README.md).

Usage: /usr/bin/python3 scripts/demo-model/rare_pieces.py --corpus DIR --tokenizer DIR --out FILE
       [--per-task 1000] [--max-count 20]
"""

import argparse
import collections
import json
import os
import re

from train import TASKS, Corpus  # the trainer's own encoding of an episode (same folder)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tokenizer", required=True, help="folder with tokenizer.json + tokenizer_config.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-task", type=int, default=1000, help="episodes read per task")
    ap.add_argument("--max-count", type=int, default=20, help="a piece is rare at or below this many occurrences")
    a = ap.parse_args()
    corpus = Corpus(a.corpus, a.tokenizer)
    counts = collections.Counter()
    for task in TASKS:
        for i in range(min(a.per_task, len(corpus.lines[task]))):
            counts.update(corpus.ids(task, i))
    vocab = json.load(open(os.path.join(a.tokenizer, "tokenizer.json"), encoding="utf-8"))["model"]["vocab"]
    rare = {p: i for p, i in vocab.items() if re.fullmatch("[a-z]{1,8}", p) and counts[i] <= a.max_count}
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"model": {"vocab": rare}}, f)
    print(json.dumps({"event": "rare-pieces", "out": a.out, "pieces": len(rare), "tokens_read": sum(counts.values())}))


if __name__ == "__main__":
    main()
