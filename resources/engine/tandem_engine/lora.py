"""LoRA adapters: create trainable ones, attach loaded ones by name, save/load PEFT format.

PEFT layout: adapter_config.json + adapter_model.safetensors with keys such as
`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight` ([r, in]) and `...lora_B.weight`
([out, r]); scaling = lora_alpha / r (lora_alpha / sqrt(r) with use_rslora). The safetensors
metadata also records the base model's fingerprint so an adapter is never applied to another
base, even one with identical shapes.

Tandem writes an adapter folder whole or not at all: its files go into a sibling folder
(`<out>.partial-<pid>`), each is flushed to disk, a completion record (COMPLETE_FILE, listing every
file with its size and SHA-256) is written last, and only then is the folder renamed to `<out>`.
A trainer killed while saving leaves at most a `.partial-` folder, removed by the next save. An
adapter whose weights carry Tandem's base fingerprint is loaded only with a completion record
that matches its files; adapters from other trainers (no fingerprint) are loaded as they are.
"""

import hashlib
import json
import os
import re
import shutil
import signal

import torch

from . import safetensors_io
from .errors import EngineError
from .lora_layers import AdapterWeights, LoraLinear, kaiming_uniform_

DEFAULT_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
PEFT_PREFIX = "base_model.model."
COMPLETE_FILE = "tandem_adapter_complete.json"
# Test hook: a trainer with this set to 1 kills itself (SIGKILL) after writing the weights and
# before completing the adapter, as a crash in the middle of saving would.
DIE_WHILE_SAVING_ENV = "TANDEM_TEST_DIE_WHILE_SAVING_ADAPTER"
_PARTIAL = re.compile(r"\.partial-\d+$")
_KEY = re.compile(r"^base_model\.model\.(.+)\.(lora_A|lora_B)(?:\.[A-Za-z0-9_-]+)?\.weight$")


def target_layers(model: torch.nn.Module, targets) -> dict[str, LoraLinear]:
    """Module name -> LoraLinear for names PEFT would match: a list matches by last component(s),
    a string is a regular expression matched against the whole name."""
    out = {}
    for name, module in model.named_modules():
        if not isinstance(module, LoraLinear):
            continue
        if isinstance(targets, str):
            hit = re.fullmatch(targets, name) is not None
        else:
            hit = any(name == t or name.endswith("." + t) for t in targets)
        if hit:
            out[name] = module
    if not out:
        names = sorted({n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, LoraLinear)})
        raise EngineError(f"target modules {targets!r} match no layer (available: {', '.join(names)})")
    return out


def add_trainable(model, name: str, rank: int, alpha: float, dropout: float, targets, seed: int) -> list[torch.nn.Parameter]:
    """New adapter as PEFT initialises it (A: kaiming uniform, B: zeros); returns its parameters."""
    g = torch.Generator().manual_seed(seed)
    params = []
    for _, layer in sorted(target_layers(model, targets).items()):
        A = kaiming_uniform_(torch.empty(rank, layer.in_features), g)
        A = torch.nn.Parameter(A.to(layer.weight.device))
        B = torch.nn.Parameter(torch.zeros(layer.out_features, rank, device=layer.weight.device))
        layer.adapters[name] = AdapterWeights(A, B, alpha / rank, dropout)
        params += [A, B]
    return params


def remove(model, name: str) -> None:
    for module in model.modules():
        if isinstance(module, LoraLinear):
            module.adapters.pop(name, None)


def peft_config(rank, alpha, dropout, targets, base_name) -> dict:
    """Fields PEFT (0.10+) writes; vLLM reads r, lora_alpha, target_modules, bias, modules_to_save."""
    return {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": base_name, "bias": "none",
        "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True,
        "layer_replication": None, "layers_pattern": None, "layers_to_transform": None, "loftq_config": {},
        "lora_alpha": alpha, "lora_dropout": dropout, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": rank, "rank_pattern": {}, "revision": None,
        "target_modules": sorted(targets) if not isinstance(targets, str) else targets,
        "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False,
    }


def save_peft(model, name: str, out_dir: str, config: dict, fingerprint: str, extra_json: dict | None = None) -> None:
    """Writes the adapter (and `extra_json`: file name -> JSON value) to `out_dir` all at once."""
    tensors = {}
    for mod_name, module in model.named_modules():
        if isinstance(module, LoraLinear) and name in module.adapters:
            w = module.adapters[name]
            tensors[f"{PEFT_PREFIX}{mod_name}.lora_A.weight"] = w.A.detach().float().cpu().contiguous()
            tensors[f"{PEFT_PREFIX}{mod_name}.lora_B.weight"] = w.B.detach().float().cpu().contiguous()

    def write(folder: str) -> None:
        safetensors_io.save_file(tensors, os.path.join(folder, "adapter_model.safetensors"),
                                 {"format": "pt", "tandem_base_fingerprint": fingerprint})
        if os.environ.get(DIE_WHILE_SAVING_ENV) == "1":
            os.kill(os.getpid(), signal.SIGKILL)
        for file_name, value in {"adapter_config.json": config, **(extra_json or {})}.items():
            with open(os.path.join(folder, file_name), "w", encoding="utf-8") as f:
                json.dump(value, f, indent=2)

    write_folder_atomically(out_dir, write)


def write_folder_atomically(out_dir: str, write) -> None:
    """Runs `write(folder)` on a fresh sibling folder, records its files, then renames it to `out_dir`."""
    out_dir = os.path.abspath(out_dir)
    parent, base = os.path.dirname(out_dir), os.path.basename(out_dir)
    os.makedirs(parent, exist_ok=True)
    for leftover in os.listdir(parent):  # from savers that were killed
        if leftover.startswith(f"{base}.partial-") or leftover.startswith(f"{base}.replaced-"):
            shutil.rmtree(os.path.join(parent, leftover), ignore_errors=True)
    partial = f"{out_dir}.partial-{os.getpid()}"
    os.makedirs(partial)
    write(partial)
    files = {}
    for file_name in sorted(os.listdir(partial)):
        path = os.path.join(partial, file_name)
        if os.path.isfile(path):
            files[file_name] = {"bytes": os.path.getsize(path), "sha256": _sha256(path)}
            _fsync(path)
    with open(os.path.join(partial, COMPLETE_FILE), "w", encoding="utf-8") as f:
        json.dump({"files": files}, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    _fsync_dir(partial)
    if os.path.lexists(out_dir):
        # An earlier attempt's folder: moved aside, then removed, so `out_dir` is never half-replaced.
        replaced = f"{out_dir}.replaced-{os.getpid()}"
        os.replace(out_dir, replaced)
        shutil.rmtree(replaced, ignore_errors=True)
    os.replace(partial, out_dir)
    _fsync_dir(parent)


def check_complete(adapter_dir: str) -> None:
    """Raises unless `adapter_dir` holds a completion record whose files are all there, unchanged."""
    incomplete = (f"{adapter_dir}: the adapter was not completely written (its trainer stopped while saving it); "
                  "train it again")
    record_path = os.path.join(adapter_dir, COMPLETE_FILE)
    try:
        with open(record_path, encoding="utf-8") as f:
            files = json.load(f)["files"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise EngineError(f"{incomplete} ({COMPLETE_FILE}: {e.__class__.__name__})") from e
    for file_name, expected in files.items():
        path = os.path.join(adapter_dir, file_name)
        if not os.path.isfile(path) or os.path.getsize(path) != expected.get("bytes") or _sha256(path) != expected.get("sha256"):
            raise EngineError(f"{incomplete} ({file_name} is missing or differs from what was written)")


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: str) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: str) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _base_names(path: str, config_name: str) -> set[str]:
    """Short names a base model goes by: its directory name and its config's _name_or_path tail."""
    names = set()
    for n in (path, config_name):
        if n:
            names.add(os.path.basename(os.path.normpath(n)).lower())
    return names


def read_peft(adapter_dir: str, loaded) -> tuple[dict, dict[str, tuple[torch.Tensor, torch.Tensor]], float]:
    """Validates an adapter against `loaded` (a LoadedModel); returns (config, weights per module, scaling)."""
    cfg_path = os.path.join(adapter_dir, "adapter_config.json")
    st_path = os.path.join(adapter_dir, "adapter_model.safetensors")
    if not os.path.isdir(adapter_dir):
        raise EngineError(f"adapter directory not found: {adapter_dir}")
    if _PARTIAL.search(os.path.basename(os.path.normpath(adapter_dir))):
        raise EngineError(f"{adapter_dir}: a trainer's unfinished output, not an adapter; train it again")
    if os.path.exists(os.path.join(adapter_dir, COMPLETE_FILE)):
        check_complete(adapter_dir)
    for p in (cfg_path, st_path):
        if not os.path.exists(p):
            raise EngineError(f"{adapter_dir}: missing {os.path.basename(p)} (expected a PEFT LoRA adapter)")
    try:
        with open(cfg_path, encoding="utf-8") as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        raise EngineError(f"{cfg_path}: unreadable adapter config ({e})") from e
    if cfg.get("peft_type", "LORA") != "LORA":
        raise EngineError(f"{cfg_path}: peft_type {cfg.get('peft_type')} is not supported (only LORA)")
    for field, ok in (("bias", cfg.get("bias", "none") == "none"), ("modules_to_save", not cfg.get("modules_to_save")),
                      ("use_dora", not cfg.get("use_dora")), ("fan_in_fan_out", not cfg.get("fan_in_fan_out")),
                      ("alpha_pattern", not cfg.get("alpha_pattern")), ("rank_pattern", not cfg.get("rank_pattern"))):
        if not ok:
            raise EngineError(f"{cfg_path}: {field}={cfg.get(field)!r} is not supported")
    meta = safetensors_io.load_metadata(st_path)
    theirs = meta.get("tandem_base_fingerprint")
    if theirs:
        check_complete(adapter_dir)  # written by Tandem's trainer: only whole
    if theirs and theirs != loaded.fingerprint:
        raise EngineError(
            f"{adapter_dir}: adapter was trained on a different base model (base fingerprint {theirs}, "
            f"served model '{loaded.name}' has {loaded.fingerprint}); load it on the model it was trained from",
            status=400)
    base = cfg.get("base_model_name_or_path") or ""
    if not theirs and base and not (_base_names(base, "") & _base_names(loaded.path, loaded.config.name_or_path)):
        raise EngineError(f"{adapter_dir}: adapter's base model is '{base}' but the served model is "
                          f"'{loaded.name}' ({loaded.path}); refusing to apply it to another base")
    r = int(cfg.get("r", 8))
    alpha = float(cfg.get("lora_alpha", r))
    scaling = alpha / (r ** 0.5) if cfg.get("use_rslora") else alpha / r
    layers = {name: m for name, m in loaded.model.named_modules() if isinstance(m, LoraLinear)}
    pairs: dict[str, dict[str, torch.Tensor]] = {}
    for key, t in safetensors_io.load_file(st_path).items():
        m = _KEY.match(key)
        if not m:
            raise EngineError(f"{st_path}: unsupported tensor '{key}' (only lora_A/lora_B of linear layers)")
        pairs.setdefault(m.group(1), {})[m.group(2)] = t
    weights = {}
    for mod_name, pair in pairs.items():
        layer = layers.get(mod_name)
        if layer is None:
            raise EngineError(f"{adapter_dir}: adapter targets '{mod_name}', which the served model "
                              f"'{loaded.name}' does not have (trained on another architecture?)")
        if set(pair) != {"lora_A", "lora_B"}:
            raise EngineError(f"{st_path}: '{mod_name}' lacks lora_A or lora_B")
        A, B = pair["lora_A"], pair["lora_B"]
        if A.shape[1] != layer.in_features or B.shape[0] != layer.out_features or A.shape[0] != B.shape[1]:
            raise EngineError(
                f"{adapter_dir}: '{mod_name}' has lora_A {list(A.shape)} / lora_B {list(B.shape)} but the served "
                f"model's layer is {layer.in_features}->{layer.out_features}: trained on a different base model")
        weights[mod_name] = (A, B)
    if not weights:
        raise EngineError(f"{st_path}: adapter has no LoRA weights")
    return cfg, weights, scaling


def attach(loaded, name: str, weights: dict, scaling: float) -> None:
    layers = {n: m for n, m in loaded.model.named_modules() if isinstance(m, LoraLinear)}
    for mod_name, (A, B) in weights.items():
        layers[mod_name].adapters[name] = AdapterWeights(
            A.to(loaded.device, loaded.dtype), B.to(loaded.device, loaded.dtype), scaling)


def load_peft(loaded, adapter_dir: str, name: str) -> dict:
    cfg, weights, scaling = read_peft(adapter_dir, loaded)
    attach(loaded, name, weights, scaling)
    return cfg
