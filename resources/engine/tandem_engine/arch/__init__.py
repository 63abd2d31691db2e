"""Architecture families: one module per family, chosen from config.json's `architectures`."""

from ..errors import EngineError

# architectures entry -> family module name; add a family by adding a module and a line here
ARCHITECTURES = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "llama",
    "Qwen2ForCausalLM": "llama",
}
MODEL_TYPES = {"llama": "llama", "mistral": "llama", "qwen2": "llama"}


def resolve_architecture(raw: dict, source: str) -> tuple[str, str]:
    archs = raw.get("architectures") or []
    for arch in archs:
        if arch in ARCHITECTURES:
            return arch, ARCHITECTURES[arch]
    model_type = raw.get("model_type")
    if not archs and model_type in MODEL_TYPES:
        return model_type, MODEL_TYPES[model_type]
    raise EngineError(
        f"{source}: unsupported architecture {archs or model_type!r}; supported: "
        f"{', '.join(sorted(ARCHITECTURES))} (model_type {', '.join(sorted(MODEL_TYPES))})")


def build_model(cfg, device="cpu", dtype=None):
    family = ARCHITECTURES.get(cfg.architecture) or MODEL_TYPES[cfg.model_type]
    if family == "llama":
        from .llama import LlamaForCausalLM
        return LlamaForCausalLM(cfg, device=device, dtype=dtype)
    raise EngineError(f"no implementation for family {family}")
