"""Averages the weights of several exported snapshots of one training run (same shapes) into a
new Hugging Face folder. At this size the model's behaviour on out-of-distribution prompts swings
from one checkpoint to the next; the mean of the last few checkpoints of a decayed run is the
usual cure (checkpoint averaging), and it is cheap.

Usage: /usr/bin/python3 scripts/demo-model/average_checkpoints.py --out DIR SNAPSHOT_DIR...
The last snapshot's config, tokenizer and generation config are copied; the config records the
averaged steps under `tandem_training.averaged_steps`.
"""

import argparse
import json
import os
import shutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.safetensors_io import load_file, save_file  # noqa: E402

COPIED = ["generation_config.json", "tokenizer.json", "tokenizer_config.json"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("snapshots", nargs="+")
    a = ap.parse_args()
    if len(a.snapshots) < 2:
        sys.exit("average_checkpoints: give at least two snapshot folders")
    total: dict[str, torch.Tensor] = {}
    dtypes: dict[str, torch.dtype] = {}
    steps = []
    for snap in a.snapshots:
        tensors = load_file(os.path.join(snap, "model.safetensors"))
        if total and set(tensors) != set(total):
            sys.exit(f"average_checkpoints: {snap} has other tensors than {a.snapshots[0]}")
        for name, t in tensors.items():
            total[name] = total.get(name, torch.zeros_like(t, dtype=torch.float64)) + t.double()
            dtypes[name] = t.dtype
        steps.append(json.load(open(os.path.join(snap, "config.json")))["tandem_training"]["step"])
    os.makedirs(a.out, exist_ok=True)
    save_file({n: (t / len(a.snapshots)).to(dtypes[n]) for n, t in total.items()}, os.path.join(a.out, "model.safetensors"))
    cfg = json.load(open(os.path.join(a.snapshots[-1], "config.json")))
    cfg["tandem_training"]["averaged_steps"] = steps
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    for name in COPIED:
        shutil.copy(os.path.join(a.snapshots[-1], name), os.path.join(a.out, name))
    print(json.dumps({"event": "averaged", "out": a.out, "steps": steps}))


if __name__ == "__main__":
    main()
