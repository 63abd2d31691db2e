"""Loads a Hugging Face checkpoint directory: config, weights, tokenizer and chat template."""

import hashlib
import json
import os

import torch

from . import safetensors_io
from .arch import build_model
from .chat_template import ChatTemplate, find_template
from .config import ModelConfig, load_config
from .errors import EngineError
from .tokenizer import Tokenizer

DTYPES = {"fp32": torch.float32, "float32": torch.float32, "bf16": torch.bfloat16,
          "bfloat16": torch.bfloat16, "fp16": torch.float16, "float16": torch.float16}


def resolve_dtype(name: str) -> torch.dtype:
    if name not in DTYPES:
        raise EngineError(f"unknown dtype '{name}' (use fp32 or bf16)")
    return DTYPES[name]


def resolve_device(name: str) -> torch.device:
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise EngineError(f"device '{name}' requested but torch sees no CUDA GPU (torch {torch.__version__})")
    if not (name == "cpu" or name.startswith("cuda")):
        raise EngineError(f"unknown device '{name}' (use cpu or cuda)")
    return torch.device(name)


def base_fingerprint(files: list[str], cfg: ModelConfig) -> str:
    """Identifies a base model by its tensor layout plus a few raw weight bytes.

    Adapters record it so that loading one onto another base (even one of identical shapes)
    is refused, while a renamed or moved copy of the same checkpoint is still accepted.
    """
    h = hashlib.sha256(json.dumps(cfg.summary(), sort_keys=True).encode())
    for path in files:
        header, _, start = safetensors_io.read_header(path)
        for name in sorted(header):
            entry = header[name]
            h.update(f"{name}:{entry['dtype']}:{entry['shape']}".encode())
            if name in ("model.embed_tokens.weight", "model.norm.weight"):
                b, e = entry["data_offsets"]
                with open(path, "rb") as f:
                    f.seek(start + b)
                    h.update(f.read(min(4096, e - b)))
    return h.hexdigest()[:32]


class LoadedModel:
    """Everything needed to run one base model; adapters are attached to `model` by name."""

    def __init__(self, path, cfg, model, tokenizer, template, dtype, device, fingerprint):
        self.path, self.config, self.model = path, cfg, model
        self.tokenizer, self.template = tokenizer, template
        self.dtype, self.device, self.fingerprint = dtype, device, fingerprint
        self.name = os.path.basename(os.path.normpath(path))
        eos = set(cfg.eos_token_ids)
        if tokenizer.eos_token is not None and tokenizer.token_id(tokenizer.eos_token) is not None:
            eos.add(tokenizer.token_id(tokenizer.eos_token))
        self.eos_ids = eos
        self.max_context = cfg.max_position_embeddings

    def render(self, messages: list[dict], add_generation_prompt: bool = True) -> str:
        return self.template.render(messages, add_generation_prompt=add_generation_prompt)


def load_weights(model: torch.nn.Module, files: list[str], cfg: ModelConfig, model_dir: str) -> None:
    params = dict(model.named_parameters())
    seen = set()
    for path in files:
        for name, tensor in safetensors_io.load_file(path).items():
            if name.endswith("rotary_emb.inv_freq"):
                continue  # old checkpoints store a buffer we recompute
            if name == "lm_head.weight" and cfg.tie_word_embeddings:
                continue
            param = params.get(name)
            if param is None:
                raise EngineError(f"{path}: unexpected tensor '{name}' (does config.json match the weights?)")
            if tuple(param.shape) != tuple(tensor.shape):
                raise EngineError(f"{path}: tensor '{name}' has shape {list(tensor.shape)}, "
                                  f"config.json implies {list(param.shape)}")
            with torch.no_grad():
                param.copy_(tensor)
            seen.add(name)
    missing = sorted(set(params) - seen)
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise EngineError(f"{model_dir}: checkpoint is missing tensors {', '.join(missing[:5])}{more}")


def load_model(model_dir: str, dtype: str = "fp32", device: str = "cpu") -> LoadedModel:
    if not os.path.isdir(model_dir):
        raise EngineError(f"model directory not found: {model_dir}")
    cfg = load_config(model_dir)
    tokenizer = Tokenizer.from_dir(model_dir)
    tdtype, tdevice = resolve_dtype(dtype), resolve_device(device)
    files = safetensors_io.checkpoint_files(model_dir)
    model = build_model(cfg, device=tdevice, dtype=tdtype)
    load_weights(model, files, cfg, model_dir)
    model.eval()
    cfg_path = os.path.join(model_dir, "tokenizer_config.json")
    tok_cfg = {}
    if os.path.exists(cfg_path):
        with open(cfg_path, encoding="utf-8") as f:
            tok_cfg = json.load(f)
    template = ChatTemplate(find_template(model_dir, tok_cfg), tokenizer.bos_token, tokenizer.eos_token,
                            origin=f"{model_dir} chat template")
    return LoadedModel(model_dir, cfg, model, tokenizer, template, tdtype, tdevice, base_fingerprint(files, cfg))
