"""Trains the demo model's tokenizer: a standard byte-level BPE `tokenizer.json`.

The pre-tokenizer keeps prompts short: the adapter's header pieces `[[ ## ` and ` ## ]]` are single
pre-tokens, one-decimal numbers such as `5.1` (optionally with a leading space) are single
pre-tokens, other digits split one by one (arithmetic stays digit-level). Merges: forced ones first
(".d", "d.d", " d.d" for every digit d, so each number 0.0-9.9 is one token), then plain BPE
learned on a sample of the corpus. Special tokens: <|system|> <|user|> <|assistant|> <|end|> <|pad|>.

Usage: /usr/bin/python3 scripts/demo-model/train_tokenizer.py --corpus DIR --out FILE [--vocab 2048]
"""

import argparse
import collections
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
from tandem_engine.tokenizer import _BYTE_ENCODER  # noqa: E402
from tandem_engine.unicode_regex import compile_pattern  # noqa: E402

SPLIT_PATTERN = (r"\[\[ ## | ## \]\]|(?i:'s|'t|'re|'ve|'m|'ll|'d)| ?\p{N}\.\p{N}(?!\p{N})|\p{N}"
                 r"|[^\r\n\p{L}\p{N}]?\p{L}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
SPECIALS = ["<|system|>", "<|user|>", "<|assistant|>", "<|end|>", "<|pad|>"]
CHAT_TEMPLATE = ("{% for message in messages %}{{ '<|' + message['role'] + '|>\n' + message['content'] + '<|end|>\n' }}"
                 "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}")


def byte_chars(s: str) -> str:
    return "".join(_BYTE_ENCODER[b] for b in s.encode("utf-8"))


def learn_bpe(word_counts: dict[tuple, int], n_merges: int, forced: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Incremental BPE: pair counts with a pair -> words index."""
    words = [list(w) for w in word_counts]
    counts = list(word_counts.values())
    merges: list[tuple[str, str]] = []

    def apply(idx_list, pair):
        a, b = pair
        for wi in idx_list:
            w = words[wi]
            i, out = 0, []
            while i < len(w):
                if i < len(w) - 1 and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            words[wi] = out

    for pair in forced:  # forced merges first
        apply(range(len(words)), pair)
        merges.append(pair)

    pairs: collections.Counter = collections.Counter()
    where: dict[tuple, set] = collections.defaultdict(set)
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pairs[p] += counts[wi]
            where[p].add(wi)
    while len(merges) < n_merges + len(forced):
        if not pairs:
            break
        best = max(pairs, key=pairs.get)  # ties: first inserted (deterministic for a given corpus)
        if pairs[best] < 2:
            break
        merges.append(best)
        affected = list(where.pop(best, ()))
        for wi in affected:
            w = words[wi]
            for p in zip(w, w[1:]):
                pairs[p] -= counts[wi]
                if pairs[p] <= 0:
                    del pairs[p]
        apply(affected, best)
        for wi in affected:
            w = words[wi]
            for p in zip(w, w[1:]):
                pairs[p] += counts[wi]
                where[p].add(wi)
        pairs.pop(best, None)
    return merges


def build(corpus_dir: str, vocab_size: int, per_task: int, seed: int) -> dict:
    rng = random.Random(seed)
    regex = compile_pattern(SPLIT_PATTERN)
    counts: collections.Counter = collections.Counter()
    for path in sorted(glob.glob(os.path.join(corpus_dir, "train", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for line in rng.sample(lines, min(per_task, len(lines))):
            for m in json.loads(line)["messages"]:
                for piece in regex.findall(m["content"] + "\n"):
                    counts[piece] += 1
    word_counts = collections.Counter()
    for piece, c in counts.items():
        word_counts[tuple(byte_chars(piece))] += c
    digits = [str(d) for d in range(10)]
    forced = [(".", d) for d in digits] + [(a, "." + b) for a in digits for b in digits]
    forced += [(" ", a + "." + b) for a in digits for b in digits]
    forced = [(byte_chars(a), byte_chars(b)) for a, b in forced]
    base = [_BYTE_ENCODER[b] for b in range(256)]
    n_learn = vocab_size - len(base) - len(forced) - len(SPECIALS)
    merges = learn_bpe(word_counts, n_learn, forced)
    vocab = {ch: i for i, ch in enumerate(base)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    added = [{"id": len(vocab) + i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, s in enumerate(SPECIALS)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }


def tokenizer_config() -> dict:
    return {"bos_token": None, "eos_token": "<|end|>", "pad_token": "<|pad|>", "chat_template": CHAT_TEMPLATE,
            "model_max_length": 2048, "tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": False}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True, help="output folder (tokenizer.json + tokenizer_config.json)")
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--sample-per-task", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    tok = build(a.corpus, a.vocab, a.sample_per_task, a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False)
    with open(os.path.join(a.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(), f, ensure_ascii=False, indent=1)
    n = max(t["id"] for t in tok["added_tokens"]) + 1
    print(json.dumps({"event": "tokenizer", "out": a.out, "vocab_size": n, "merges": len(tok["model"]["merges"])}))


if __name__ == "__main__":
    main()
