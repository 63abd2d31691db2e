"""Lists a tokenizer's word pieces that a corpus rarely or never emits, as a tokenizer.json-shaped
file (`{"model": {"vocab": {...}}}`) that `generate-corpus.ts --pieces-from` reads. A byte-level
BPE keeps intermediate merges its own corpus never produces (`ers`), so a model never sees those
tokens; words built from them put them in copy positions (the fifth session's s7 stage).

Usage: /usr/bin/python3 scripts/demo-model/rare_pieces.py --corpus DIR --tokenizer DIR --out FILE
       [--per-task 1000] [--max-count 20]
"""

import argparse
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.chat_template import ChatTemplate  # noqa: E402
from tandem_engine.tokenizer import Tokenizer  # noqa: E402

TASKS = ["recite", "copy", "lookup", "compare", "rule", "classify", "arith", "qa"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tokenizer", required=True, help="folder with tokenizer.json + tokenizer_config.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-task", type=int, default=1000, help="episodes read per task")
    ap.add_argument("--max-count", type=int, default=20, help="a piece is rare at or below this many occurrences")
    a = ap.parse_args()
    tok = Tokenizer.from_dir(a.tokenizer)
    cfg = json.load(open(os.path.join(a.tokenizer, "tokenizer_config.json"), encoding="utf-8"))
    template = ChatTemplate(cfg["chat_template"], None, cfg["eos_token"])
    counts = collections.Counter()
    for task in TASKS:
        with open(os.path.join(a.corpus, "train", f"{task}.jsonl"), encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= a.per_task:
                    break
                counts.update(tok.encode(template.render(json.loads(line)["messages"], add_generation_prompt=False)))
    vocab = json.load(open(os.path.join(a.tokenizer, "tokenizer.json"), encoding="utf-8"))["model"]["vocab"]
    rare = {p: i for p, i in vocab.items() if re.fullmatch("[a-z]{1,8}", p) and counts[i] <= a.max_count}
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"model": {"vocab": rare}}, f)
    print(json.dumps({"event": "rare-pieces", "out": a.out, "pieces": len(rare), "tokens_read": sum(counts.values())}))


if __name__ == "__main__":
    main()
