"""Renders a checkpoint's chat template with jinja2, the way transformers' apply_chat_template does.

Templates come from `chat_template.jinja`, `chat_template.json` or the `chat_template` field of
`tokenizer_config.json` (a string, or a list of named templates where "default" is used).
A checkpoint without one gets FALLBACK_TEMPLATE:

    System: <content>\\n\\n
    User: <content>\\n\\n
    Assistant: <content><eos>\\n\\n
    ...
    Assistant:            <- the generation prompt

so base models still work, and the EOS token ends every trained assistant turn.

`{% generation %}...{% endgeneration %}` (TRL's assistant-mask templates, SmolLM3) renders its
body unchanged; `render_with_spans` also returns the character spans those blocks produced, the
text a trainer computes the loss on.
"""

import datetime
import json
import os
import uuid

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import EngineError

FALLBACK_TEMPLATE = (
    "{% for m in messages %}"
    "{{ m['role'] | capitalize }}: {{ m['content'] }}"
    "{% if m['role'] == 'assistant' %}{{ eos_token or '' }}{% endif %}{{ '\\n\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)


def _raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def _tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # HF's tojson keeps non-ASCII characters (jinja's default filter escapes them)
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def _strftime_now(fmt):
    return datetime.datetime.now().strftime(fmt)


_MARKS_VAR = "__tandem_generation_marks"


class GenerationExtension(Extension):
    """{% generation %}body{% endgeneration %}: the body, wrapped in per-render markers when asked."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        marks = nodes.Name(_MARKS_VAR, "load", lineno=lineno)
        return nodes.CallBlock(self.call_method("_wrap", [marks]), [], [], body).set_lineno(lineno)

    @staticmethod
    def _wrap(marks, caller):
        body = caller()
        if isinstance(marks, tuple) and len(marks) == 2:
            return marks[0] + body + marks[1]
        return body


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=["jinja2.ext.loopcontrols", GenerationExtension])
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    return env


def find_template(model_dir: str, tokenizer_config: dict) -> str | None:
    jinja_path = os.path.join(model_dir, "chat_template.jinja")
    if os.path.exists(jinja_path):
        with open(jinja_path, encoding="utf-8") as f:
            return f.read()
    json_path = os.path.join(model_dir, "chat_template.json")
    if os.path.exists(json_path):
        with open(json_path, encoding="utf-8") as f:
            value = json.load(f).get("chat_template")
        if value:
            return value
    value = tokenizer_config.get("chat_template")
    if isinstance(value, list):
        named = {t.get("name"): t.get("template") for t in value}
        value = named.get("default") or next(iter(named.values()), None)
    return value or None


class ChatTemplate:
    def __init__(self, source: str | None, bos_token: str | None = None, eos_token: str | None = None,
                 origin: str = "chat template"):
        self.is_fallback = source is None
        self.source = source if source is not None else FALLBACK_TEMPLATE
        self.bos_token = bos_token or ""
        self.eos_token = eos_token or ""
        try:
            self.template = _environment().from_string(self.source)
        except jinja2.exceptions.TemplateSyntaxError as e:
            raise EngineError(f"{origin}: invalid jinja template: {e}") from e
        self.origin = origin
        self.has_generation_blocks = "generation" in self.source and any(
            isinstance(getattr(node.call, "node", None), nodes.ExtensionAttribute) and node.call.node.name == "_wrap"
            for node in _environment().parse(self.source).find_all(nodes.CallBlock))

    def render(self, messages: list[dict], add_generation_prompt: bool = True, **extra) -> str:
        try:
            return self.template.render(messages=messages, add_generation_prompt=add_generation_prompt,
                                        bos_token=self.bos_token, eos_token=self.eos_token, **extra)
        except jinja2.exceptions.TemplateError as e:
            raise EngineError(f"{self.origin} rejected the messages: {e}") from e
        except Exception as e:  # templates index messages freely; a bad message must not crash a caller
            raise EngineError(f"{self.origin} failed on the messages: {type(e).__name__}: {e}") from e

    def render_with_spans(self, messages: list[dict], add_generation_prompt: bool = False,
                          **extra) -> tuple[str, list[tuple[int, int]]]:
        """The rendering and the [start, end) character spans produced by {% generation %} blocks."""
        nonce = uuid.uuid4().hex
        start, end = f"\x00gen-start-{nonce}\x00", f"\x00gen-end-{nonce}\x00"
        marked = self.render(messages, add_generation_prompt, **{_MARKS_VAR: (start, end)}, **extra)
        text_parts: list[str] = []
        spans: list[tuple[int, int]] = []
        length = 0
        depth = 0
        open_at = 0
        for i, chunk in enumerate(marked.split(start)):
            if i > 0:
                if depth == 0:
                    open_at = length
                depth += 1
            pieces = chunk.split(end)
            for j, piece in enumerate(pieces):
                if j > 0:
                    depth -= 1
                    if depth == 0 and length > open_at:
                        spans.append((open_at, length))
                text_parts.append(piece)
                length += len(piece)
        return "".join(text_parts), spans
