"""Sanity check of the training module outside the adapter format: can a tiny model learn to copy?

Trains a 2-layer, 64-wide Llama (network.build: the engine's Llama, as train.py builds it) on
[span, span] sequences (batch 32, span 32 tokens) and reports the step at which the NLL of the
repeated half falls below 0.3. Spans are uniform random tokens (vocab 200), or, with
--recite-corpus, the tokenized long values of recite episodes. Measured on one CPU thread: random
tokens learned at step 178 (~20 s); pseudo-word spans at step 534 (~80 s; NLL 4.9 -> 1.6 by step
300). The copy sits at a fixed offset here, so a fixed-offset head passes this check without an
induction head (scripts/demo-model/README.md).

Usage: /usr/bin/python3 scripts/demo-model/induction_sanity.py [--recite-corpus DIR --tokenizer DIR]
"""
import argparse
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
import network  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--recite-corpus")
ap.add_argument("--tokenizer")
ap.add_argument("--steps", type=int, default=1000)
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)
rng = random.Random(0)
if a.recite_corpus:
    from tandem_engine.tokenizer import Tokenizer
    tok = Tokenizer.from_dir(a.tokenizer)
    V = max(t["id"] for t in json.load(open(os.path.join(a.tokenizer, "tokenizer.json")))["added_tokens"]) + 1
    spans = []
    with open(os.path.join(a.recite_corpus, "train", "recite.jsonl"), encoding="utf-8") as f:
        for line, _ in zip(f, range(3000)):
            ids = tok.encode(next(iter(json.loads(line)["answer"].values())))
            if len(ids) >= 32:
                spans.append(ids[:32])
    draw = lambda: torch.tensor([rng.choice(spans) for _ in range(32)])  # noqa: E731
else:
    V = 200
    draw = lambda: torch.randint(0, V, (32, 32))  # noqa: E731
m = network.build(V, 64, 2, 2, 128)
opt = torch.optim.AdamW(m.parameters(), lr=2e-3)
t0 = time.time()
pos = torch.arange(63).unsqueeze(0).expand(32, 63)
for step in range(1, a.steps + 1):
    x = draw()
    seq = torch.cat([x, x], 1)
    logits = network.logits(m, seq[:, :-1], pos)
    loss = F.cross_entropy(logits.reshape(-1, V), seq[:, 1:].reshape(-1))
    second = F.cross_entropy(logits[:, 32:].reshape(-1, V), seq[:, 33:].reshape(-1)).item()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0:
        print(json.dumps({"step": step, "repeat_nll": round(second, 3), "seconds": round(time.time() - t0)}), flush=True)
    if second < 0.3:
        print(json.dumps({"event": "copy_learned", "step": step, "seconds": round(time.time() - t0)}))
        break
