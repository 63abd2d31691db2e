"""Where does a checkpoint go wrong on an Iris prompt? Teacher-forces one well-formed answer
(`<key feature> is <value>, so <label>.` then the label) after a rendered Iris prompt and prints,
for every answer token, its loss and — where greedy decoding would pick another token — that
token. A loss spike on a field-name piece means the model does not copy the name from the prompt;
on the value, that it cannot look the field up; on ` ## ]]`, that it does not close the header.

Usage: /usr/bin/python3 scripts/demo-model/diagnose.py --model DIR --iris FILE
       [--variant zero-shot] [--row 0] [--feature petal_length]
"""

import argparse
import json
import os
import re
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.arch.llama import AttentionBatch  # noqa: E402
from tandem_engine.checkpoint import load_model  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--iris", required=True, help="rows from render-iris.ts")
    ap.add_argument("--variant", default="zero-shot")
    ap.add_argument("--row", type=int, default=0)
    ap.add_argument("--feature", default="petal_length", help="the feature the reasoning names")
    a = ap.parse_args()
    torch.set_num_threads(1)
    loaded = load_model(a.model)
    rows = [json.loads(line) for line in open(a.iris, encoding="utf-8")]
    row = [r for r in rows if r["variant"] == a.variant][a.row]
    values = dict(re.findall(r"\[\[ ## (\w+) ## \]\]\n([\d.]+)", row["messages"][-1]["content"]))
    label = row["label"]
    answer = (f"[[ ## reasoning ## ]]\n{a.feature} is {values[a.feature]}, so {label}.\n\n"
              f"[[ ## species ## ]]\n{label}\n\n[[ ## completed ## ]]")
    tok = loaded.tokenizer
    prompt_ids = tok.encode(loaded.render(row["messages"], add_generation_prompt=True))
    answer_ids = tok.encode(answer)
    ids = torch.tensor([prompt_ids + answer_ids])
    with torch.no_grad():
        hidden = loaded.model(ids, torch.arange(ids.shape[1]).expand(1, -1), AttentionBatch("full"))
        logp = torch.log_softmax(loaded.model.logits(hidden)[0].float(), -1)
    parts, total = [], 0.0
    for i, t in enumerate(answer_ids):
        pos = len(prompt_ids) + i - 1
        loss = -float(logp[pos, t])
        total += loss
        top = int(logp[pos].argmax())
        parts.append(f"{tok.decode([t])!r}:{loss:.1f}" + ("" if top == t else f"[{tok.decode([top])!r}]"))
    print(f"{a.variant} row {a.row} ({len(prompt_ids)} prompt tokens), mean loss {total / len(answer_ids):.2f}")
    print(" ".join(parts))


if __name__ == "__main__":
    main()
