"""The engine's speed on one device, for machines without Node (where `npm run bench` cannot run).

Generation: completion tokens per second for the demo model on the Iris prompts of
tests/python/fixtures, one request at a time and in batches. Training: LoRA tokens per second on
rows made of those prompts with a short answer. Prints one JSON line per measurement.

Usage: python3 scripts/engine_speed.py [--device cuda] [--dtype bf16] [--model DIR] [--tokens 48]
"""

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "resources", "engine"))

import torch  # noqa: E402

from tandem_engine.checkpoint import load_model  # noqa: E402
from tandem_engine.generate import SamplingParams, generate  # noqa: E402
from tandem_engine.train import TrainArgs, train  # noqa: E402


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="fp32")
    p.add_argument("--model", default=os.path.join(ROOT, "resources", "models", "tandem-demo"))
    p.add_argument("--tokens", type=int, default=48)
    p.add_argument("--batches", default="1,8,32")
    p.add_argument("--train-rows", type=int, default=64)
    p.add_argument("--max-seq-len", type=int, default=2048, help="longer training rows are skipped")
    a = p.parse_args()
    with open(os.path.join(ROOT, "tests", "python", "fixtures", "iris-prompts.jsonl"), encoding="utf-8") as f:
        chats = [json.loads(line)["messages"] for line in f]
    loaded = load_model(a.model, dtype=a.dtype, device=a.device)
    prompts = [loaded.tokenizer.encode(loaded.render(c)) for c in chats]
    info = {"device": str(loaded.device), "dtype": a.dtype, "model": os.path.basename(a.model.rstrip("/")),
            "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if loaded.device.type == "cuda" else None}
    params = SamplingParams(temperature=0.7, max_tokens=a.tokens, seed=1, ignore_eos=True)
    generate(loaded, prompts[:2], params)  # warm-up (kernels, allocator)
    for batch in (int(b) for b in a.batches.split(",")):
        rows = [prompts[i % len(prompts)] for i in range(batch)]
        _sync(loaded.device)
        t0 = time.time()
        out = generate(loaded, rows, params)
        _sync(loaded.device)
        seconds = time.time() - t0
        tokens = sum(len(s.generated) for s in out)
        print(json.dumps({"event": "generate", **info, "batch": batch, "prompt_tokens": sum(map(len, rows)),
                          "completion_tokens": tokens, "seconds": round(seconds, 3),
                          "tokens_per_s": round(tokens / seconds, 1)}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "train.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for i in range(a.train_rows):
                chat = chats[i % len(chats)]
                f.write(json.dumps({"messages": chat + [{"role": "assistant", "content":
                                    "[[ ## reasoning ## ]]\nShort petals.\n\n[[ ## species ## ]]\nsetosa\n\n"
                                    "[[ ## completed ## ]]"}]}) + "\n")
        done = []
        train(TrainArgs(base=a.model, data=data, out=os.path.join(tmp, "adapter"), rank=16, alpha=32, lr=1e-3,
                        epochs=1, batch_size=8, max_seq_len=a.max_seq_len, dtype=a.dtype, device=a.device),
              lambda e: done.append(e) if e["event"] in ("step", "done") else None)
        steps = [e for e in done if e["event"] == "step"]
        print(json.dumps({"event": "train", **info, "rows": done[-1]["train_rows"], "steps": len(steps),
                          "tokens_per_s": steps[-1]["tokens_per_s"], "seconds": done[-1].get("seconds")}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
