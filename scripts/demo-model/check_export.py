"""Checks that train.py's model, exported to the Hugging Face folder, gives the same logits in the engine.

Usage: /usr/bin/python3 scripts/demo-model/check_export.py --tokenizer DIR [--out /tmp/dm-export-check]
"""
import argparse
import os
import sys
import types

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
import train  # noqa: E402
from tandem_engine.arch.llama import AttentionBatch  # noqa: E402
from tandem_engine.checkpoint import load_model  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--tokenizer", required=True)
ap.add_argument("--out", default="/tmp/dm-export-check")
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)
args = types.SimpleNamespace(hidden=64, layers=2, heads=4, intermediate=160, max_positions=2048, export_dtype="fp32")
vocab = 2048
m = train.Llama(vocab, 64, 2, 4, 160)
with torch.no_grad():
    for n, p in m.named_parameters():
        if n.endswith("norm.weight"):
            p.add_(torch.randn_like(p) * 0.1)
train.export_hf(m, args, vocab, a.tokenizer, a.out)
ids = torch.randint(0, vocab, (1, 37))
pos = torch.arange(37).unsqueeze(0)
doc = torch.zeros(1, 37, dtype=torch.long)
ref = m(ids, pos, doc)
loaded = load_model(a.out)
h = loaded.model(ids, pos, AttentionBatch(mode="full"))
got = loaded.model.logits(h)
err = (ref - got).abs().max().item()
print({"max_abs_diff": err})
assert err < 1e-4, err
# Two packed documents give the same logits as each run alone.
ids2 = torch.cat([ids[:, :20], ids[:, :17]], 1)
pos2 = torch.cat([torch.arange(20), torch.arange(17)]).unsqueeze(0)
doc2 = torch.cat([torch.zeros(20), torch.ones(17)]).long().unsqueeze(0)
packed = m(ids2, pos2, doc2)
alone = m(ids[:, :17], pos[:, :17], doc[:, :17])
err2 = (packed[:, 20:] - alone).abs().max().item()
print({"packed_vs_alone": err2})
assert err2 < 1e-4
print("ok")
