"""Chat JSONL -> token ids + labels, with the loss only on assistant turns.

Each assistant turn's text is located by rendering the conversation up to that turn twice (with
the generation prompt, and with the turn itself); the difference is the assistant span, which
includes the template's end-of-turn marker so the model learns to stop. Templates with
`{% generation %}` blocks (TRL's assistant-mask templates, SmolLM3) mark that text themselves: the
loss is then on exactly what those blocks render. The prompt parts are tokenized as separate
segments, exactly as they will be at inference.
"""

import json
from collections import Counter
from dataclasses import dataclass

from .errors import EngineError

IGNORE = -100


@dataclass
class Example:
    ids: list[int]
    labels: list[int]
    line: int


def _normalize_messages(messages) -> list[dict]:
    if not isinstance(messages, list) or not messages:
        raise ValueError("'messages' must be a non-empty list")
    out = []
    for m in messages:
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise ValueError("every message needs a string 'role'")
        content = m.get("content")
        if isinstance(content, list):  # OpenAI content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str):
            raise ValueError("every message needs string 'content'")
        out.append({**m, "content": content})
    return out


def encode_conversation(loaded, messages: list[dict]) -> tuple[list[int], list[int]]:
    """Raises EngineError for templates whose renderings are not prefixes of each other."""
    if getattr(loaded.template, "has_generation_blocks", False):
        full, spans = loaded.template.render_with_spans(messages, add_generation_prompt=False)
    else:
        full, spans = _assistant_spans_by_prefix(loaded.template.render, messages)
    return _tokenize_spans(loaded.tokenizer.encode, full, spans)


def _assistant_spans_by_prefix(render, messages: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    full = render(messages, add_generation_prompt=False)
    spans = []
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        prompt = render(messages[:i], add_generation_prompt=True)
        upto = render(messages[:i + 1], add_generation_prompt=False)
        if not upto.startswith(prompt) or not full.startswith(upto):
            raise EngineError("chat template renders turns inconsistently; cannot locate the assistant text")
        spans.append((len(prompt), len(upto)))
    return full, spans


def _tokenize_spans(enc, full: str, spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    ids: list[int] = []
    labels: list[int] = []
    cursor = 0
    for a, b in spans:
        if a < cursor:
            raise EngineError("chat template renders turns inconsistently; assistant spans overlap")
        part = enc(full[cursor:a])
        ids += part
        labels += [IGNORE] * len(part)
        part = enc(full[a:b])
        ids += part
        labels += part
        cursor = b
    part = enc(full[cursor:])
    ids += part
    labels += [IGNORE] * len(part)
    return ids, labels


def load_examples(loaded, path: str, max_seq_len: int) -> tuple[list[Example], Counter]:
    """Reads a chat JSONL file; rows that cannot be used are counted by reason, never fatal."""
    examples: list[Example] = []
    skipped: Counter = Counter()
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise EngineError(f"cannot read training data {path}: {e}") from e
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                messages = _normalize_messages(row.get("messages") if isinstance(row, dict) else None)
            except ValueError:
                skipped["invalid"] += 1
                continue
            if not any(m["role"] == "assistant" for m in messages):
                skipped["no_assistant"] += 1
                continue
            try:
                ids, labels = encode_conversation(loaded, messages)
            except EngineError:
                skipped["template_error"] += 1
                continue
            if len(ids) > max_seq_len:
                skipped["too_long"] += 1
                continue
            if all(lab == IGNORE for lab in labels[1:]):
                skipped["no_assistant"] += 1
                continue
            examples.append(Example(ids, labels, n))
    return examples, skipped
