"""Builds small random Hugging Face checkpoints for tests and benchmarks.

`python3 -m tandem_engine make-tiny <dir> [--kind llama|qwen2|gqa|mistral]` writes config.json,
model.safetensors (or shards), tokenizer.json (a byte-level BPE, or a SentencePiece-style BPE
for `mistral`), tokenizer_config.json with a real-world chat template, generation_config.json.
Nothing here is used when serving real models.
"""

import json
import os
from collections import Counter

import torch

from . import safetensors_io
from .tokenizer import GPT2_PATTERN, _BYTE_ENCODER

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")

LLAMA3_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
CHATML_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
LLAMA2_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}")

CORPUS = (
    "the quick brown fox jumps over the lazy dog. hello world! what is the answer? "
    "the answer is 42. setosa versicolor virginica iris petal sepal length width "
    "question reasoning answer the model says hello to the user and the assistant "
) * 3


def learn_merges(words: list[list[str]], count: int) -> list[tuple[str, str]]:
    """Plain BPE training: repeatedly merge the most frequent adjacent pair (ties: smallest pair)."""
    words = [list(w) for w in words]
    merges = []
    for _ in range(count):
        pairs = Counter()
        for w in words:
            pairs.update(zip(w, w[1:]))
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w in words:
            i = 0
            while i < len(w) - 1:
                if (w[i], w[i + 1]) == best:
                    w[i:i + 2] = [w[i] + w[i + 1]]
                i += 1
    return merges


def byte_level_tokenizer(specials: list[str], merges_count: int = 40) -> dict:
    from .unicode_regex import compile_pattern
    words = ["".join(_BYTE_ENCODER[b] for b in m.group().encode()) for m in compile_pattern(GPT2_PATTERN).finditer(CORPUS)]
    vocab = {ch: i for i, ch in enumerate(_BYTE_ENCODER[b] for b in range(256))}
    merges = learn_merges(words, merges_count)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    added = [{"id": len(vocab) + i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, s in enumerate(specials)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": LLAMA3_PATTERN}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": True,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }


def sentencepiece_tokenizer(merges_count: int = 40) -> dict:
    """Llama-2/Mistral style: ▁ for spaces, characters + merges, <0xNN> byte fallback."""
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    text = "▁" + CORPUS.replace(" ", "▁")
    for ch in sorted(set(text)):
        vocab.setdefault(ch, len(vocab))
    words = ["▁" + w for w in CORPUS.split()]
    merges = learn_merges(words, merges_count)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for s, i in (("<unk>", 0), ("<s>", 1), ("</s>", 2))]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
        "pre_tokenizer": None,
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
            {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [[a, b] for a, b in merges]},
    }


def random_weights(cfg: dict, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    h, inter, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = h // heads
    qkv_bias = cfg.get("model_type") == "qwen2"

    def w(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    t = {"model.embed_tokens.weight": w(cfg["vocab_size"], h, std=1.0 / h ** 0.5 * 4),
         "model.norm.weight": torch.ones(h)}
    for i in range(L):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = torch.ones(h)
        t[p + "post_attention_layernorm.weight"] = torch.ones(h)
        for name, out, inp in (("q_proj", heads * hd, h), ("k_proj", kv * hd, h), ("v_proj", kv * hd, h),
                               ("o_proj", h, heads * hd)):
            t[p + f"self_attn.{name}.weight"] = w(out, inp, std=1.0 / inp ** 0.5)
            if qkv_bias and name != "o_proj":
                t[p + f"self_attn.{name}.bias"] = w(out)
        t[p + "mlp.gate_proj.weight"] = w(inter, h, std=1.0 / h ** 0.5)
        t[p + "mlp.up_proj.weight"] = w(inter, h, std=1.0 / h ** 0.5)
        t[p + "mlp.down_proj.weight"] = w(h, inter, std=1.0 / inter ** 0.5)
    if not cfg.get("tie_word_embeddings"):
        t["lm_head.weight"] = w(cfg["vocab_size"], h, std=1.0 / h ** 0.5)
    return t


def make_tiny(out_dir: str, kind: str = "llama", seed: int = 0, hidden: int = 64, layers: int = 2,
              heads: int = 4, kv_heads: int | None = None, intermediate: int | None = None,
              vocab_size: int = 320, shards: int = 1, max_position_embeddings: int = 2048) -> str:
    os.makedirs(out_dir, exist_ok=True)
    if kind == "mistral":
        tok = sentencepiece_tokenizer()
        tok_cfg = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": True,
                   "chat_template": LLAMA2_TEMPLATE}
        arch, model_type, eos, bos = "MistralForCausalLM", "mistral", [2], 1
    else:
        specials = (["<|endoftext|>", "<|im_start|>", "<|im_end|>"] if kind == "qwen2" else
                    ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"])
        tok = byte_level_tokenizer(specials)
        ids = {t["content"]: t["id"] for t in tok["added_tokens"]}
        if kind == "qwen2":
            tok_cfg = {"bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
                       "chat_template": CHATML_TEMPLATE}
            arch, model_type, eos, bos = "Qwen2ForCausalLM", "qwen2", [ids["<|im_end|>"]], None
        else:
            tok_cfg = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "chat_template": LLAMA3_TEMPLATE}
            arch, model_type = "LlamaForCausalLM", "llama"
            eos, bos = [ids["<|eot_id|>"], ids["<|end_of_text|>"]], ids["<|begin_of_text|>"]
    n_tok = max(t["id"] for t in tok["added_tokens"]) + 1
    n_tok = max(n_tok, len(tok["model"]["vocab"]))
    if vocab_size < n_tok:
        vocab_size = n_tok
    cfg = {
        "architectures": [arch], "model_type": model_type, "hidden_size": hidden,
        "intermediate_size": intermediate or hidden * 2, "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads or (max(1, heads // 2) if kind == "gqa" else heads),
        "vocab_size": vocab_size, "max_position_embeddings": max_position_embeddings, "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": kind == "qwen2",
        "bos_token_id": bos, "eos_token_id": eos if len(eos) > 1 else eos[0], "torch_dtype": "float32",
        "_name_or_path": f"tandem-tiny-{kind}-{seed}",
    }
    tensors = random_weights(cfg, seed)
    if shards > 1:
        names = sorted(tensors)
        weight_map = {}
        for s in range(shards):
            fname = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: tensors[n] for n in names[s::shards]}
            safetensors_io.save_file(part, os.path.join(out_dir, fname), {"format": "pt"})
            weight_map.update({n: fname for n in part})
        with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": sum(t.numel() * 4 for t in tensors.values())},
                       "weight_map": weight_map}, f, indent=2)
    else:
        safetensors_io.save_file(tensors, os.path.join(out_dir, "model.safetensors"), {"format": "pt"})
    for name, data in (("config.json", cfg), ("tokenizer.json", tok), ("tokenizer_config.json", tok_cfg),
                       ("generation_config.json", {"eos_token_id": eos, "bos_token_id": bos})):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
    return out_dir
