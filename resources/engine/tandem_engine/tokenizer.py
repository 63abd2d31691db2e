"""Hugging Face `tokenizer.json` tokenizers: byte-level BPE and SentencePiece-style BPE.

Byte-level BPE (GPT-2, Llama-3, Qwen2, SmolLM) splits text with a regex, maps every byte to a
printable character and merges. SentencePiece-style BPE (Llama-2, Mistral) replaces spaces with
'▁', merges characters and falls back to `<0xNN>` byte tokens.

Added tokens follow the reference's AddedVocabulary: tokens with `normalized: false` (the default
for special tokens) are matched in the raw text first; tokens with `normalized: true` are matched
in each remaining piece after the normalizer ran, against their own normalized form (Llama-2's
`</s>` is matched as `▁</s>`). `lstrip`/`rstrip` eat the whitespace beside a match and
`single_word` requires no word character on either side. A character the vocabulary cannot
encode (no token, no byte fallback, no unk token) is skipped, as the reference does.
"""

import codecs
import heapq
import json
import os
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from .errors import EngineError
from .unicode_regex import compile_pattern

# GPT-2's split, used by a ByteLevel pre-tokenizer whose use_regex is true.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
_BYTE_TOKEN = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


_BYTE_ENCODER = bytes_to_unicode()
_BYTE_DECODER = {c: b for b, c in _BYTE_ENCODER.items()}


def _token_content(value) -> str | None:
    """tokenizer_config.json stores special tokens as strings or AddedToken dicts."""
    if isinstance(value, dict):
        return value.get("content")
    return value


def _split_with(pattern: "re.Pattern[str]", text: str, behavior: str, invert: bool) -> list[str]:
    """The `tokenizers` Split pre-tokenizer: matches and the gaps between them, combined per behavior."""
    pieces: list[tuple[str, bool]] = []  # (text, is_match)
    pos = 0
    for m in pattern.finditer(text):
        if m.start() == m.end():
            continue
        if m.start() > pos:
            pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    if invert:
        pieces = [(p, not is_match) for p, is_match in pieces]
    behavior = behavior.lower()
    if behavior == "isolated":
        return [p for p, _ in pieces]
    if behavior == "removed":
        return [p for p, is_match in pieces if not is_match]
    out: list[str] = []
    if behavior == "mergedwithprevious":
        for p, is_match in pieces:
            if is_match and out:
                out[-1] += p
            else:
                out.append(p)
        return out
    if behavior == "mergedwithnext":
        pending = ""
        for p, is_match in pieces:
            if is_match:
                pending += p
            else:
                out.append(pending + p)
                pending = ""
        if pending:
            out.append(pending)
        return out
    if behavior == "contiguous":
        for p, is_match in pieces:
            if out and is_match and out[-1][1]:
                out[-1] = (out[-1][0] + p, True)
            else:
                out.append((p, is_match))
        return [p for p, _ in out]
    raise EngineError(f"tokenizer.json: unsupported Split behavior '{behavior}'")


def _pattern_of(spec: dict) -> "re.Pattern[str]":
    pattern = spec.get("pattern") or {}
    if "Regex" in pattern:
        return compile_pattern(pattern["Regex"])
    if "String" in pattern:
        return re.compile(re.escape(pattern["String"]))
    raise EngineError(f"tokenizer.json: unsupported pattern {pattern!r}")


class _Normalizer:
    def __init__(self, spec: dict | None):
        self.steps = []
        self._add(spec)

    def _add(self, spec):
        if not spec:
            return
        kind = spec.get("type")
        if kind == "Sequence":
            for s in spec.get("normalizers", []):
                self._add(s)
        elif kind == "Prepend":
            prefix = spec["prepend"]
            self.steps.append(lambda t: prefix + t if t else t)
        elif kind == "Replace":
            pattern, content = _pattern_of(spec), spec["content"]
            self.steps.append(lambda t: pattern.sub(lambda _m: content, t))
        elif kind in ("NFC", "NFD", "NFKC", "NFKD"):
            self.steps.append(lambda t, form=kind: unicodedata.normalize(form, t))
        elif kind == "Lowercase":
            self.steps.append(str.lower)
        elif kind == "Strip":
            left, right = spec.get("strip_left", True), spec.get("strip_right", True)

            def strip(t, left=left, right=right):
                t = t.lstrip() if left else t
                return t.rstrip() if right else t
            self.steps.append(strip)
        else:
            raise EngineError(f"tokenizer.json: unsupported normalizer '{kind}'")

    def __call__(self, text: str) -> str:
        for step in self.steps:
            text = step(text)
        return text


class _PreTokenizer:
    """Splits a normalized segment into words; ByteLevel also maps bytes to characters."""

    def __init__(self, spec: dict | None):
        self.steps = []
        self.byte_level = False
        self._add(spec)

    def _add(self, spec):
        if not spec:
            return
        kind = spec.get("type")
        if kind == "Sequence":
            for s in spec.get("pretokenizers", []):
                self._add(s)
        elif kind == "ByteLevel":
            self.byte_level = True
            prefix = spec.get("add_prefix_space", False)
            regex = compile_pattern(GPT2_PATTERN) if spec.get("use_regex", True) else None

            def byte_level(words, first, regex=regex, prefix=prefix):
                out = []
                for w in words:
                    if prefix and not w.startswith(" "):
                        w = " " + w  # every piece, also between added tokens, as the reference does
                    parts = [m.group() for m in regex.finditer(w)] if regex else [w]
                    out.extend("".join(_BYTE_ENCODER[b] for b in p.encode("utf-8")) for p in parts)
                return out
            self.steps.append(byte_level)
        elif kind == "Split":
            pattern, behavior, invert = _pattern_of(spec), spec.get("behavior", "Isolated"), spec.get("invert", False)
            self.steps.append(lambda words, first: [p for w in words for p in _split_with(pattern, w, behavior, invert)])
        elif kind == "Digits":
            pattern = re.compile(r"\d" if spec.get("individual_digits") else r"\d+")
            self.steps.append(lambda words, first: [p for w in words for p in _split_with(pattern, w, "Isolated", False)])
        elif kind == "Metaspace":
            repl = spec.get("replacement", "▁")
            scheme = spec.get("prepend_scheme") or ("always" if spec.get("add_prefix_space", True) else "never")
            split = spec.get("split", True)

            def metaspace(words, first, repl=repl, scheme=scheme, split=split):
                out = []
                for i, w in enumerate(words):
                    w = w.replace(" ", repl)
                    if i == 0 and (scheme == "always" or (scheme == "first" and first)) and not w.startswith(repl):
                        w = repl + w
                    out.extend(_split_with(re.compile(re.escape(repl)), w, "MergedWithNext", False) if split else [w])
                return out
            self.steps.append(metaspace)
        elif kind == "WhitespaceSplit":
            self.steps.append(lambda words, first: [p for w in words for p in w.split()])
        elif kind == "Whitespace":
            pattern = re.compile(r"\w+|[^\w\s]+")
            self.steps.append(lambda words, first: [p for w in words for p in pattern.findall(w)])
        elif kind == "Punctuation":
            # Unicode punctuation plus all ASCII punctuation ($+<=>^`|~ are Unicode symbols), as in
            # `tokenizers`' is_punctuation; the file's behavior (default Isolated) decides how runs join
            pattern = compile_pattern(r"[\p{P}!-/:-@\[-`{-~]")
            behavior = spec.get("behavior", "Isolated")
            self.steps.append(lambda words, first, behavior=behavior:
                              [p for w in words for p in _split_with(pattern, w, behavior, False)])
        else:
            raise EngineError(f"tokenizer.json: unsupported pre-tokenizer '{kind}'")

    def __call__(self, text: str, first: bool) -> list[str]:
        words = [text]
        for step in self.steps:
            words = step(words, first)
        return [w for w in words if w]


# The merge cache is an LRU bounded twice: at most CACHE_MAX_ENTRIES words, and at most
# CACHE_MAX_CHARS characters of words plus ids in all (a SentencePiece "word" is a whole prompt
# segment, so an entry budget alone let a long-running server grow by every distinct prompt it saw).
# A word bigger than an eighth of the budget is merged every time instead of evicting everything.
CACHE_MAX_ENTRIES = 10_000
CACHE_MAX_CHARS = 4_000_000


class _LRUCache:
    def __init__(self, max_entries: int = CACHE_MAX_ENTRIES, max_chars: int = CACHE_MAX_CHARS):
        self.max_entries = max_entries
        self.max_chars = max_chars
        self.chars = 0  # sum of len(word) + len(ids) over the entries
        self._data: OrderedDict[str, list[int]] = OrderedDict()

    def get(self, key: str):
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key: str, value: list[int]) -> None:
        size = len(key) + len(value)
        if size > self.max_chars // 8:
            return
        old = self._data.pop(key, None)
        if old is not None:
            self.chars -= len(key) + len(old)
        self._data[key] = value
        self.chars += size
        while len(self._data) > self.max_entries or self.chars > self.max_chars:
            k, v = self._data.popitem(last=False)
            self.chars -= len(k) + len(v)

    def __len__(self) -> int:
        return len(self._data)

    def items(self):
        return self._data.items()

    def clear(self) -> None:
        self._data.clear()
        self.chars = 0


class _BPE:
    def __init__(self, spec: dict):
        self.vocab: dict[str, int] = spec["vocab"]
        self.ranks: dict[tuple[str, str], int] = {}
        for rank, merge in enumerate(spec.get("merges") or []):
            pair = tuple(merge.split(" ", 1)) if isinstance(merge, str) else tuple(merge)
            if len(pair) != 2:
                raise EngineError(f"tokenizer.json: malformed merge #{rank}: {merge!r}")
            self.ranks.setdefault(pair, rank)
        self.unk = spec.get("unk_token")
        self.byte_fallback = bool(spec.get("byte_fallback"))
        self.fuse_unk = bool(spec.get("fuse_unk"))
        self.ignore_merges = bool(spec.get("ignore_merges"))
        if spec.get("continuing_subword_prefix") or spec.get("end_of_word_suffix"):
            raise EngineError("tokenizer.json: BPE with subword prefixes/suffixes is not supported")
        self.cache = _LRUCache()

    def _merge(self, word: str) -> list[str]:
        """Applies merges lowest rank first (leftmost on ties) with a heap: O(n log n) per word."""
        syms = list(word)
        if len(syms) < 2:
            return syms
        nxt = list(range(1, len(syms) + 1))
        prv = list(range(-1, len(syms) - 1))
        alive = [True] * len(syms)
        heap = []
        for i in range(len(syms) - 1):
            r = self.ranks.get((syms[i], syms[i + 1]))
            if r is not None:
                heap.append((r, i, syms[i], syms[i + 1]))
        heapq.heapify(heap)
        while heap:
            r, i, left, right = heapq.heappop(heap)
            j = nxt[i] if alive[i] else len(syms)
            if not alive[i] or j >= len(syms) or syms[i] != left or syms[j] != right:
                continue  # stale: one side merged since this pair was queued
            syms[i] = left + right
            alive[j] = False
            nxt[i] = nxt[j]
            if nxt[i] < len(syms):
                prv[nxt[i]] = i
            p = prv[i]
            if p >= 0:
                rp = self.ranks.get((syms[p], syms[i]))
                if rp is not None:
                    heapq.heappush(heap, (rp, p, syms[p], syms[i]))
            n = nxt[i]
            if n < len(syms):
                rn = self.ranks.get((syms[i], syms[n]))
                if rn is not None:
                    heapq.heappush(heap, (rn, i, syms[i], syms[n]))
        return [s for s, a in zip(syms, alive) if a]

    def encode_word(self, word: str) -> list[int]:
        cached = self.cache.get(word)
        if cached is not None:
            return cached
        if self.ignore_merges and word in self.vocab:
            ids = [self.vocab[word]]
        else:
            ids = []
            unk_run = False
            for sym in self._merge(word):
                tid = self.vocab.get(sym)
                if tid is not None:
                    ids.append(tid)
                    unk_run = False
                    continue
                if self.byte_fallback:
                    byte_ids = [self.vocab.get(f"<0x{b:02X}>") for b in sym.encode("utf-8")]
                    if all(b is not None for b in byte_ids):
                        ids.extend(byte_ids)
                        unk_run = False
                        continue
                if self.unk is None or self.unk not in self.vocab:
                    continue  # no token, no byte fallback, no unk: the reference drops the character
                if not (self.fuse_unk and unk_run):
                    ids.append(self.vocab[self.unk])
                unk_run = True
        self.cache.put(word, ids)
        return ids


# Whitespace as JavaScript's trimStart/trimEnd see it: what lstrip/rstrip of an added token eat.
_JS_WHITESPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


@dataclass(frozen=True)
class _AddedToken:
    content: str
    id: int
    special: bool = False
    normalized: bool = False
    lstrip: bool = False
    rstrip: bool = False
    single_word: bool = False

    @classmethod
    def from_spec(cls, spec: dict) -> "_AddedToken":
        special = bool(spec.get("special", False))
        normalized = spec.get("normalized")
        return cls(spec["content"], spec["id"], special, (not special) if normalized is None else bool(normalized),
                   bool(spec.get("lstrip")), bool(spec.get("rstrip")), bool(spec.get("single_word")))

    def _replace_content(self, content: str) -> "_AddedToken":
        return _AddedToken(content, self.id, self.special, self.normalized, self.lstrip, self.rstrip, self.single_word)


class _AddedMatcher:
    """Finds added tokens in text: the longest token at the leftmost position wins."""

    def __init__(self, tokens: list[_AddedToken]):
        self.by_content: dict[str, _AddedToken] = {}
        for tok in tokens:
            if tok.content:
                self.by_content.setdefault(tok.content, tok)
        alts = []
        for content in sorted(self.by_content, key=len, reverse=True):
            alt = re.escape(content)
            if self.by_content[content].single_word:
                alt = rf"(?<![^\W_]){alt}(?![^\W_])"  # no letter or digit on either side
            alts.append(alt)
        self.regex = re.compile("|".join(alts)) if alts else None

    def split(self, text: str) -> list[tuple[str, "_AddedToken | None"]]:
        """(piece, None) for text and (content, token) for matches; lstrip/rstrip trim the neighbours."""
        if self.regex is None:
            return [(text, None)]
        out: list[list] = []
        pos = 0
        for m in self.regex.finditer(text):
            if m.start() > pos:
                out.append([text[pos:m.start()], None])
            out.append([m.group(), self.by_content[m.group()]])
            pos = m.end()
        if pos < len(text):
            out.append([text[pos:], None])
        for i, (_piece, tok) in enumerate(out):
            if tok is None:
                continue
            if tok.lstrip and i > 0 and out[i - 1][1] is None:
                out[i - 1][0] = out[i - 1][0].rstrip(_JS_WHITESPACE)
            if tok.rstrip and i + 1 < len(out) and out[i + 1][1] is None:
                out[i + 1][0] = out[i + 1][0].lstrip(_JS_WHITESPACE)
        return [(piece, tok) for piece, tok in out]


class Tokenizer:
    """encode/decode for one checkpoint; `config` is tokenizer_config.json (may be empty)."""

    def __init__(self, spec: dict, config: dict | None = None, source: str = "tokenizer.json"):
        config = config or {}
        model = spec.get("model") or {}
        kind = model.get("type") or ("BPE" if "merges" in model else None)
        if kind != "BPE":
            raise EngineError(f"{source}: tokenizer model '{kind}' is not supported (supported: BPE, "
                              "as in Llama, Mistral, Qwen2 and SmolLM checkpoints)")
        self.bpe = _BPE(model)
        self.normalizer = _Normalizer(spec.get("normalizer"))
        self.pre_tokenizer = _PreTokenizer(spec.get("pre_tokenizer"))
        self.added: dict[str, int] = {}
        self.special_ids: set[int] = set()
        raw: list[_AddedToken] = []
        normalized: list[_AddedToken] = []
        for spec_tok in spec.get("added_tokens") or []:
            tok = _AddedToken.from_spec(spec_tok)
            self.added[tok.content] = tok.id
            if tok.special:
                self.special_ids.add(tok.id)
            if tok.normalized and self.normalizer.steps:
                normalized.append(tok._replace_content(self.normalizer(tok.content)))
            else:
                raw.append(tok)
        self._raw_added = _AddedMatcher(raw)
        self._normalized_added = _AddedMatcher(normalized)
        self.id_to_token: dict[int, str] = {i: t for t, i in self.bpe.vocab.items()}
        self.id_to_token.update({i: t for t, i in self.added.items()})
        self.vocab_size = max(self.id_to_token) + 1 if self.id_to_token else 0
        self._decoder_spec = spec.get("decoder") or {}
        self._byte_level_decode = self._has_decoder("ByteLevel") or (
            not self._decoder_spec and self.pre_tokenizer.byte_level)
        self._strip_leading_space = self._has_decoder("Strip") or any(
            d.get("type") == "Metaspace" and (d.get("prepend_scheme", "always") != "never" and d.get("add_prefix_space", True))
            for d in self._decoders())
        self._id_bytes = [self._bytes_of(i) for i in range(self.vocab_size)]
        self._post = spec.get("post_processor")
        self.bos_token = _token_content(config.get("bos_token"))
        self.eos_token = _token_content(config.get("eos_token"))
        self.pad_token = _token_content(config.get("pad_token"))
        self.add_bos_token = bool(config.get("add_bos_token", False))

    @classmethod
    def from_dir(cls, model_dir: str) -> "Tokenizer":
        path = os.path.join(model_dir, "tokenizer.json")
        if not os.path.exists(path):
            raise EngineError(f"{model_dir}: no tokenizer.json (the engine needs a Hugging Face fast-tokenizer "
                              "file; tokenizer.model/vocab.json alone are not supported)")
        try:
            with open(path, encoding="utf-8") as f:
                spec = json.load(f)
        except (OSError, ValueError) as e:
            raise EngineError(f"{path}: unreadable tokenizer ({e})") from e
        config = {}
        cfg_path = os.path.join(model_dir, "tokenizer_config.json")
        if os.path.exists(cfg_path):
            try:
                with open(cfg_path, encoding="utf-8") as f:
                    config = json.load(f)
            except (OSError, ValueError) as e:
                raise EngineError(f"{cfg_path}: unreadable tokenizer config ({e})") from e
        return cls(spec, config, source=path)

    # --- decoding helpers -------------------------------------------------------------------

    def _decoders(self) -> list[dict]:
        d = self._decoder_spec
        return list(d.get("decoders", [])) if d.get("type") == "Sequence" else ([d] if d else [])

    def _has_decoder(self, kind: str) -> bool:
        return any(d.get("type") == kind for d in self._decoders())

    def _bytes_of(self, tid: int) -> bytes:
        tok = self.id_to_token.get(tid)
        if tok is None:
            return b""
        if tok in self.added:
            return tok.encode("utf-8")  # added tokens are stored verbatim, never byte-mapped
        if self._byte_level_decode:
            if all(c in _BYTE_DECODER for c in tok):
                return bytes(_BYTE_DECODER[c] for c in tok)
            return tok.encode("utf-8")
        m = _BYTE_TOKEN.match(tok)
        if m and self.bpe.byte_fallback:
            return bytes([int(m.group(1), 16)])
        return tok.replace("▁", " ").encode("utf-8")

    def token_id(self, token: str) -> int | None:
        if token in self.added:
            return self.added[token]
        return self.bpe.vocab.get(token)

    # --- public API -------------------------------------------------------------------------

    def _pieces(self, text: str):
        """Yields (text, first) for each piece the model encodes, and (None, id) for each added token."""
        for index, (piece, tok) in enumerate(self._raw_added.split(text)):
            if tok is not None:
                yield None, tok.id
                continue
            if not piece:
                continue
            norm = self.normalizer(piece)
            if not norm:
                continue
            for sub, ntok in self._normalized_added.split(norm):
                if ntok is not None:
                    yield None, ntok.id
                elif sub:
                    yield sub, index == 0  # "first" is the reference's section_index == 0

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        """Token ids of `text`; chat-template output is encoded without extra special tokens (as HF does)."""
        ids: list[int] = []
        for piece, info in self._pieces(text):
            if piece is None:
                ids.append(info)
            else:
                for word in self.pre_tokenizer(piece, info):
                    ids.extend(self.bpe.encode_word(word))
        if add_special_tokens:
            ids = self._post_process(ids)
        return ids

    def _post_process(self, ids: list[int]) -> list[int]:
        post = self._post or {}
        procs = post.get("processors", []) if post.get("type") == "Sequence" else [post]
        for p in procs:
            if p.get("type") == "TemplateProcessing":
                out = []
                for item in p.get("single", []):
                    if "Sequence" in item:
                        out.extend(ids)
                    elif "SpecialToken" in item:
                        out.extend(p["special_tokens"][item["SpecialToken"]["id"]]["ids"])
                return out
        if self.add_bos_token and self.bos_token in self.added:
            return [self.added[self.bos_token]] + ids
        return ids

    def decode(self, ids, skip_special_tokens: bool = True) -> str:
        dec = self.incremental_decoder(skip_special_tokens)
        return dec.push_many(ids) + dec.flush()

    def incremental_decoder(self, skip_special_tokens: bool = True) -> "IncrementalDecoder":
        return IncrementalDecoder(self, skip_special_tokens)

    def token_bytes(self, tid: int) -> bytes:
        return self._id_bytes[tid] if 0 <= tid < len(self._id_bytes) else b""


class IncrementalDecoder:
    """Turns a stream of token ids into text as soon as whole UTF-8 characters are available."""

    def __init__(self, tokenizer: Tokenizer, skip_special_tokens: bool = True):
        self.tok = tokenizer
        self.skip = skip_special_tokens
        self.utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.started = False

    def push(self, tid: int) -> str:
        if self.skip and tid in self.tok.special_ids:
            return ""
        data = self.tok.token_bytes(tid)
        if not self.started and data:
            self.started = True
            if self.tok._strip_leading_space and data.startswith(b" "):
                data = data[1:]  # SentencePiece decoders drop the space the encoder prepended
        return self.utf8.decode(data)

    def push_many(self, ids) -> str:
        return "".join(self.push(int(t)) for t in ids)

    def flush(self) -> str:
        return self.utf8.decode(b"", final=True)
