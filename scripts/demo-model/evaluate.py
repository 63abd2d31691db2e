"""Measures a demo-model checkpoint through the engine (greedy decoding).

- Held-out synthetic episodes (<corpus>/eval/<task>.jsonl): parse rate (every output field of the
  final turn present, parsed as the chat adapter does) and exact match of the non-reasoning fields.
- Iris (rows from render-iris.ts; measured only, never trained on): parse rate, valid-label rate
  and accuracy for zero-shot and 3-demo prompts, plus the predicted-label distribution.

Usage: /usr/bin/python3 scripts/demo-model/evaluate.py --model DIR [--corpus DIR --per-task 40]
       [--iris FILE] [--threads 1] [--out results.json]
"""

import argparse
import collections
import json
import os
import re
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.checkpoint import load_model  # noqa: E402
from tandem_engine.generate import SamplingParams, generate  # noqa: E402

HEADER = re.compile(r"^\[\[ ## ([A-Za-z_][A-Za-z0-9_]*) ## \]\]\s*$")
TASKS = ["recite", "copy", "lookup", "compare", "rule", "classify", "arith", "qa"]
SPECIES = ["setosa", "versicolor", "virginica"]


def split_sections(text: str) -> dict:
    """Python twin of core/adapter/chat-adapter.ts splitSections."""
    result, current, buf = {}, None, []

    def flush():
        if current is not None and current not in result:
            result[current] = "\n".join(buf).strip()
    for line in re.split(r"\r?\n", text):
        m = HEADER.match(line.strip())
        if m:
            flush()
            current, buf = m.group(1), []
            if current == "completed":
                current = None
                break
            continue
        if current is not None:
            buf.append(line)
    flush()
    return result


def run(loaded, prompts, max_tokens):
    ids = [loaded.tokenizer.encode(loaded.render(p, add_generation_prompt=True)) for p in prompts]
    seqs = generate(loaded, ids, SamplingParams(temperature=0.0, max_tokens=max_tokens, seed=0), max_batch=16)
    return [s.text for s in seqs]


def eval_synthetic(loaded, corpus, per_task, max_tokens, tasks=TASKS):
    out = {}
    for task in tasks:
        path = os.path.join(corpus, "eval", f"{task}.jsonl")
        rows = [json.loads(l) for l, _ in zip(open(path, encoding="utf-8"), range(per_task))]
        texts = run(loaded, [r["messages"][:-1] for r in rows], max_tokens)
        parsed = ok = 0
        for r, t in zip(rows, texts):
            found = split_sections(t)
            if all(k in found for k in r["answer"]):
                parsed += 1
            if all(found.get(k) == v for k, v in r["answer"].items() if k != "reasoning"):
                ok += 1
        out[task] = {"n": len(rows), "parse": round(parsed / len(rows), 3), "exact": round(ok / len(rows), 3),
                     "sample": texts[0][:200]}
    return out


def eval_iris(loaded, path, max_tokens, limit):
    rows = [json.loads(l) for l in open(path, encoding="utf-8")]
    by_variant = collections.defaultdict(list)
    for r in rows:
        by_variant[r["variant"]].append(r)
    out = {}
    for variant, rs in by_variant.items():
        rs = rs[:limit]
        texts = run(loaded, [r["messages"] for r in rs], max_tokens)
        parsed = valid = ok = 0
        dist = collections.Counter()
        for r, t in zip(rs, texts):
            found = split_sections(t)
            sp = found.get("species")
            if sp is not None and "reasoning" in found:
                parsed += 1
            label = (sp or "").strip().lower()
            dist[label if label in SPECIES else ("<none>" if sp is None else "<other>")] += 1
            valid += label in SPECIES
            ok += label == r["label"]
        out[variant] = {"n": len(rs), "parse": round(parsed / len(rs), 3), "valid_label": round(valid / len(rs), 3),
                        "accuracy": round(ok / len(rs), 3), "predicted": dict(dist), "sample": texts[0][:240]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus")
    ap.add_argument("--per-task", type=int, default=40)
    ap.add_argument("--tasks", default=",".join(TASKS), help="comma-separated synthetic tasks to measure")
    ap.add_argument("--iris")
    ap.add_argument("--iris-limit", type=int, default=50)
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (a GPU machine evaluates a model it trained)")
    ap.add_argument("--out")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.time()
    loaded = load_model(a.model, device=a.device)
    res = {"model": a.model, "training": json.load(open(os.path.join(a.model, "config.json"))).get("tandem_training")}
    if a.corpus:
        res["synthetic"] = eval_synthetic(loaded, a.corpus, a.per_task, a.max_tokens, a.tasks.split(","))
    if a.iris:
        res["iris"] = eval_iris(loaded, a.iris, a.max_tokens, a.iris_limit)
    res["seconds"] = round(time.time() - t0)
    print(json.dumps(res, indent=1))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
