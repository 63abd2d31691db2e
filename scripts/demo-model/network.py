"""The network the recipe trains: the engine's own Llama (tandem_engine.arch.llama).

The trainer builds the module that serves the exported checkpoint, so the two cannot drift:
same parameters and names, same attention, norms, rotary code and tied output layer; only the
rotary frequencies are the recipe's own, a last-bit difference (`recipe_inv_freq`).
What the recipe adds is training-side only:
- `architecture`: the config.json fields that define the network; the export writes exactly these.
- `build`: the module in fp32, trainable, initialised as the recipe does (`initialise`) and with
  the recipe's rotary frequencies (`recipe_inv_freq`).
- `logits`: the forward pass in the engine's "full" mode; packed rows (several episodes in one
  row) attend within their own episode only.
"""

import math
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.arch.llama import AttentionBatch, LlamaForCausalLM  # noqa: E402
from tandem_engine.config import parse_config  # noqa: E402

ROPE_THETA = 10000.0
RMS_NORM_EPS = 1e-5


def architecture(vocab, hidden, layers, heads, intermediate, max_positions=2048) -> dict:
    """config.json's architecture fields, in the order the export writes them."""
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden,
        "intermediate_size": intermediate, "num_hidden_layers": layers,
        "num_attention_heads": heads, "num_key_value_heads": heads, "vocab_size": vocab,
        "max_position_embeddings": max_positions, "rms_norm_eps": RMS_NORM_EPS, "rope_theta": ROPE_THETA,
        "hidden_act": "silu", "tie_word_embeddings": True,
    }


def recipe_inv_freq(head_dim: int, theta: float = ROPE_THETA) -> torch.Tensor:
    """The rotary frequencies the recipe trains with: theta's powers in float64, their reciprocals
    in float32. The engine takes the reciprocals in float64 as well, so a few frequencies differ in
    their last bit (4 of 16 at head_dim 32), and served logits differ from the trainer's by about
    1e-6 of their size (3e-5 on the shipped model's, which reach 31; tests/python/test_demo_model.py).
    Training keeps these because with them a seed still gives the shipped weights bit for bit."""
    return 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)).float()


def initialise(model: LlamaForCausalLM) -> None:
    """normal(0.02) for the embedding and every projection, 0.02 / sqrt(2 x layers) for the
    projections that write into the residual stream (o_proj, down_proj); norms stay 1.

    The engine allocates weights uninitialised (they come from a checkpoint), so a first pass
    draws what torch's nn.Embedding and nn.Linear draw on construction (normal; Kaiming-uniform),
    module by module, before the recipe's own draws overwrite it. It only advances the random
    stream, and with it a seed gives the same initial weights as the recipe's runs so far."""
    layers = model.config.num_hidden_layers
    params = [(n, p) for n, p in model.named_parameters() if not n.endswith("norm.weight")]
    with torch.no_grad():
        for name, p in params:
            if "embed_tokens" in name:
                nn.init.normal_(p)
            else:
                nn.init.kaiming_uniform_(p, a=math.sqrt(5))
        for name, p in params:
            std = 0.02 / math.sqrt(2 * layers) if name.endswith(("o_proj.weight", "down_proj.weight")) else 0.02
            nn.init.normal_(p, std=std)


def build(vocab, hidden, layers, heads, intermediate, max_positions=2048) -> LlamaForCausalLM:
    """The engine's LlamaForCausalLM in fp32 on the CPU (move it with .to), every parameter trainable."""
    cfg = parse_config(architecture(vocab, hidden, layers, heads, intermediate, max_positions))
    model = LlamaForCausalLM(cfg, device="cpu")  # an explicit device: skip_init leaves None on "meta"
    with torch.no_grad():  # before the first forward pass, which builds the cos/sin tables from it
        model.rotary.inv_freq.copy_(recipe_inv_freq(cfg.head_dim, cfg.rope_theta))
    initialise(model)
    return model.requires_grad_(True).train()


def logits(model: LlamaForCausalLM, ids: torch.Tensor, pos: torch.Tensor, doc: torch.Tensor | None = None):
    """Logits [B, T, vocab] (float32). `doc` [B, T] names each position's episode in packed rows:
    a position sees the earlier positions of its own episode only. None: one episode per row."""
    visible = None
    if doc is not None:
        T = ids.shape[1]
        causal = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril()
        visible = (causal.unsqueeze(0) & (doc.unsqueeze(2) == doc.unsqueeze(1))).unsqueeze(1)
    return model.logits(model(ids, pos, AttentionBatch(mode="full", visible=visible)))
