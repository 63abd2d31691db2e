"""The Llama family: Llama 1-3, SmolLM, Mistral and Qwen2 (q/k/v biases) share this code.

RMSNorm, rotary position embeddings (plain, linear or llama3 scaling), grouped-query attention
and a SwiGLU MLP. Module names match Hugging Face weight names so checkpoints load directly.
One forward serves three modes: "full" (causal, no cache: training), "prefill" (causal, writes
the cache rows of new sequences) and "decode" (one token per running sequence, reads the cache).
The demo model's trainer (scripts/demo-model) trains this same module in "full" mode, with a
`visible` mask when it packs several episodes into one row.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import skip_init

from ..batch_invariant import decode_attention, one_thread, padded_silu
from ..config import ModelConfig
from ..kv_cache import KVCache
from ..lora_layers import LoraLinear, LoraRouting

_HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


@dataclass
class AttentionBatch:
    mode: str                                   # "full" | "prefill" | "decode"
    cache: KVCache | None = None
    rows: torch.Tensor | None = None            # prefill: cache row of each batch row
    positions: torch.Tensor | None = None       # decode: position of each row's new token [B]
    kv_len: int = 0                             # decode: keys to read (max position + 1, padded to KEY_BLOCK)
    key_mask: torch.Tensor | None = None        # decode: [B, 1, 1, kv_len] True where visible
    visible: torch.Tensor | None = None         # full: [B, 1, T, T] True where a query sees a key; None: causal


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float, device=None, dtype=None):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim, device=device, dtype=dtype), requires_grad=False)
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(dtype)


def rope_inv_freq(cfg: ModelConfig) -> torch.Tensor:
    dim = cfg.head_dim
    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    rs = cfg.rope_scaling
    if rs:
        kind = rs.get("rope_type") or rs.get("type")
        factor = float(rs.get("factor", 1.0))
        if kind == "linear":
            inv_freq = inv_freq / factor
        elif kind == "llama3":
            low, high = float(rs.get("low_freq_factor", 1.0)), float(rs.get("high_freq_factor", 4.0))
            old_ctx = float(rs.get("original_max_position_embeddings", 8192))
            wavelen = 2 * math.pi / inv_freq
            scaled = torch.where(wavelen > old_ctx / low, inv_freq / factor, inv_freq)
            smooth = (old_ctx / wavelen - low) / (high - low)
            smoothed = (1 - smooth) * scaled / factor + smooth * scaled
            medium = (wavelen >= old_ctx / high) & (wavelen <= old_ctx / low)
            inv_freq = torch.where(medium, smoothed, scaled)
    return inv_freq.float()


class Rotary(nn.Module):
    """cos/sin tables grown on demand; looked up by each token's own position."""

    def __init__(self, cfg: ModelConfig, device=None):
        super().__init__()
        self.register_buffer("inv_freq", rope_inv_freq(cfg).to(device), persistent=False)
        self.cos = self.sin = None

    def tables(self, positions: torch.Tensor, dtype):
        needed = int(positions.max()) + 1
        if self.cos is None or self.cos.shape[0] < needed or self.cos.device != positions.device:
            # one thread and a power-of-two length (n * dim a multiple of the vector step): a
            # position's cos/sin never depend on how long the table was when it grew
            n = max(512, 1 << (needed - 1).bit_length())
            with one_thread():
                t = torch.arange(n, device=self.inv_freq.device, dtype=torch.float32)
                freqs = torch.outer(t, self.inv_freq)
                emb = torch.cat([freqs, freqs], dim=-1)
                self.cos, self.sin = emb.cos(), emb.sin()
        return self.cos[positions].to(dtype).unsqueeze(1), self.sin[positions].to(dtype).unsqueeze(1)


def _rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


def _causal_attention(q, k, v, rep: int, visible: torch.Tensor | None = None):
    """q [B,H,T,D], k/v [B,KV,T,D] -> [B,H,T,D]; causal, or as `visible` ([B,1,T,T], True = attended) says."""
    if rep > 1:
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
    if _HAS_SDPA:
        if visible is None:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
    T = q.shape[2]
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    hidden = torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1) if visible is None else ~visible
    scores = scores.float().masked_fill(hidden, float("-inf"))
    return torch.matmul(scores.softmax(-1).to(v.dtype), v)


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig, layer: int, routing: LoraRouting, device=None, dtype=None):
        super().__init__()
        self.layer = layer
        self.heads, self.kv_heads, self.head_dim = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        h, qb = cfg.hidden_size, cfg.attention_bias
        kw = dict(routing=routing, device=device, dtype=dtype)
        self.q_proj = LoraLinear(h, self.heads * self.head_dim, qb, **kw)
        self.k_proj = LoraLinear(h, self.kv_heads * self.head_dim, qb, **kw)
        self.v_proj = LoraLinear(h, self.kv_heads * self.head_dim, qb, **kw)
        self.o_proj = LoraLinear(self.heads * self.head_dim, h, cfg.o_proj_bias, **kw)

    def forward(self, x, cos, sin, batch: AttentionBatch):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + _rotate_half(q) * sin
        k = k * cos + _rotate_half(k) * sin
        if batch.mode == "decode":
            ck, cv = batch.cache.k[self.layer], batch.cache.v[self.layer]
            rows = torch.arange(B, device=x.device)
            ck[rows, :, batch.positions] = k[:, :, 0]
            cv[rows, :, batch.positions] = v[:, :, 0]
            out = decode_attention(q, ck[:B, :, :batch.kv_len], cv[:B, :, :batch.kv_len], batch.key_mask)
        else:
            if batch.mode == "prefill":
                batch.cache.k[self.layer][batch.rows, :, :T] = k
                batch.cache.v[self.layer][batch.rows, :, :T] = v
            out = _causal_attention(q, k, v, self.heads // self.kv_heads, batch.visible)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, self.heads * self.head_dim))


class MLP(nn.Module):
    def __init__(self, cfg: ModelConfig, routing: LoraRouting, device=None, dtype=None):
        super().__init__()
        self._routing = routing
        kw = dict(routing=routing, device=device, dtype=dtype)
        h, i, b = cfg.hidden_size, cfg.intermediate_size, cfg.mlp_bias
        self.gate_proj = LoraLinear(h, i, b, **kw)
        self.up_proj = LoraLinear(h, i, b, **kw)
        self.down_proj = LoraLinear(i, h, b, **kw)

    def forward(self, x):
        silu = padded_silu if self._routing.batch_invariant else F.silu
        return self.down_proj(silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: ModelConfig, layer: int, routing: LoraRouting, device=None, dtype=None):
        super().__init__()
        self.self_attn = Attention(cfg, layer, routing, device, dtype)
        self.mlp = MLP(cfg, routing, device, dtype)
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps, device, dtype)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps, device, dtype)

    def forward(self, x, cos, sin, batch):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, batch)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaBody(nn.Module):
    def __init__(self, cfg: ModelConfig, routing: LoraRouting, device=None, dtype=None):
        super().__init__()
        # skip_init: weights come from the checkpoint; random init of a 128k vocab costs seconds
        self.embed_tokens = skip_init(nn.Embedding, cfg.vocab_size, cfg.hidden_size, device=device, dtype=dtype)
        self.embed_tokens.weight.requires_grad_(False)
        self.layers = nn.ModuleList(DecoderLayer(cfg, i, routing, device, dtype) for i in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps, device, dtype)


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg: ModelConfig, device=None, dtype=None):
        super().__init__()
        self.config = cfg
        self.lora_routing = LoraRouting()
        self.model = LlamaBody(cfg, self.lora_routing, device, dtype)
        self.rotary = Rotary(cfg, device)
        if cfg.tie_word_embeddings:
            self.lm_head = None
        else:
            self.lm_head = skip_init(nn.Linear, cfg.hidden_size, cfg.vocab_size, bias=False, device=device, dtype=dtype)
            self.lm_head.weight.requires_grad_(False)

    def output_weight(self) -> torch.Tensor:
        return self.model.embed_tokens.weight if self.lm_head is None else self.lm_head.weight

    def forward(self, input_ids: torch.Tensor, positions: torch.Tensor, batch: AttentionBatch) -> torch.Tensor:
        """Final hidden states [B, T, hidden]; call logits() on the positions that need them."""
        x = self.model.embed_tokens(input_ids)
        cos, sin = self.rotary.tables(positions, x.dtype)
        for layer in self.model.layers:
            x = layer(x, cos, sin, batch)
        return self.model.norm(x)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.lora_routing.linear()(hidden, self.output_weight()).float()
