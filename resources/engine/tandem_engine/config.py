"""config.json -> ModelConfig, refusing what the engine cannot run with a reason."""

import json
import os
from dataclasses import dataclass, field

from .errors import EngineError


@dataclass
class ModelConfig:
    architecture: str
    model_type: str
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    max_position_embeddings: int
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    rope_scaling: dict | None = None
    tie_word_embeddings: bool = False
    attention_bias: bool = False  # q/k/v (and o for Llama's attention_bias) biases
    o_proj_bias: bool = False
    mlp_bias: bool = False
    eos_token_ids: list[int] = field(default_factory=list)
    bos_token_id: int | None = None
    name_or_path: str = ""
    raw: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {k: getattr(self, k) for k in (
            "architecture", "model_type", "vocab_size", "hidden_size", "intermediate_size",
            "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
            "max_position_embeddings", "rope_theta", "rope_scaling", "tie_word_embeddings")}


def _ids(value) -> list[int]:
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, list) else [int(value)]


def parse_config(raw: dict, source: str = "config.json") -> ModelConfig:
    from .arch import resolve_architecture  # local import: arch imports config

    arch, family = resolve_architecture(raw, source)
    act = raw.get("hidden_act", "silu")
    if act not in ("silu", "swish"):
        raise EngineError(f"{source}: hidden_act '{act}' is not supported (the Llama family uses silu)")
    try:
        hidden = int(raw["hidden_size"])
        heads = int(raw["num_attention_heads"])
        cfg = ModelConfig(
            architecture=arch,
            model_type=raw.get("model_type", family),
            vocab_size=int(raw["vocab_size"]),
            hidden_size=hidden,
            intermediate_size=int(raw["intermediate_size"]),
            num_hidden_layers=int(raw["num_hidden_layers"]),
            num_attention_heads=heads,
            num_key_value_heads=int(raw.get("num_key_value_heads") or heads),
            head_dim=int(raw.get("head_dim") or hidden // heads),
            max_position_embeddings=int(raw.get("max_position_embeddings", 2048)),
            rms_norm_eps=float(raw.get("rms_norm_eps", 1e-6)),
            rope_theta=float(raw.get("rope_theta", 10000.0)),
            rope_scaling=raw.get("rope_scaling"),
            tie_word_embeddings=bool(raw.get("tie_word_embeddings", False)),
            attention_bias=bool(raw.get("attention_bias", False)) or raw.get("model_type") == "qwen2",
            o_proj_bias=bool(raw.get("attention_bias", False)),
            mlp_bias=bool(raw.get("mlp_bias", False)),
            eos_token_ids=_ids(raw.get("eos_token_id")),
            bos_token_id=raw.get("bos_token_id") if isinstance(raw.get("bos_token_id"), int) else None,
            name_or_path=str(raw.get("_name_or_path", "")),
            raw=raw,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise EngineError(f"{source}: missing or invalid field {e}") from e
    if cfg.num_attention_heads % cfg.num_key_value_heads:
        raise EngineError(f"{source}: num_attention_heads ({heads}) must be a multiple of "
                          f"num_key_value_heads ({cfg.num_key_value_heads})")
    rope = cfg.rope_scaling
    if rope:
        kind = rope.get("rope_type") or rope.get("type")
        if kind == "default":
            cfg.rope_scaling = None
        elif kind not in ("llama3", "linear"):
            raise EngineError(f"{source}: rope_scaling type '{kind}' is not supported (supported: llama3, linear)")
    return cfg


def load_config(model_dir: str) -> ModelConfig:
    path = os.path.join(model_dir, "config.json")
    if not os.path.exists(path):
        raise EngineError(f"{model_dir}: no config.json; is this a Hugging Face checkpoint directory?")
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise EngineError(f"{path}: unreadable config ({e})") from e
    gen_path = os.path.join(model_dir, "generation_config.json")
    cfg = parse_config(raw, path)
    if os.path.exists(gen_path):
        try:
            with open(gen_path, encoding="utf-8") as f:
                extra = _ids(json.load(f).get("eos_token_id"))
            cfg.eos_token_ids = sorted(set(cfg.eos_token_ids) | set(extra))
        except (OSError, ValueError, TypeError):
            pass  # generation_config is advisory; config.json already gave the essentials
    return cfg
