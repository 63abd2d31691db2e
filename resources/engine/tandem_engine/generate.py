"""Continuous batching: sequences join at step boundaries, decode together, leave when done.

A BatchRunner owns the KV cache. Each step() admits waiting sequences (each prefilled on its
own), then runs one decode step over every running sequence, samples one token per sequence
with that sequence's own seeded generator, and retires finished ones. Rows of a batch may use
different LoRA adapters.

Batch invariance: a sequence's tokens do not depend on which other sequences share its steps.
Prefill sees only the sequence's own shapes; decode uses batch_invariant.py's fixed-tile
products and fixed-block attention; sampling draws from the sequence's own generator. On CPU
in fp32 the logits are bit-identical whether a request runs alone, in a batch of 16 or joins one
mid-way (tests/python/test_batch_invariance.py).
"""

import random
from collections import deque
from dataclasses import dataclass, field

import torch

from .arch.llama import AttentionBatch
from .batch_invariant import KEY_BLOCK, one_thread, round_up
from .kv_cache import KVCache
from .lora_layers import routed


@dataclass
class SamplingParams:
    temperature: float = 1.0
    top_p: float = 1.0
    max_tokens: int = 256
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    ignore_eos: bool = False


class Sequence:
    def __init__(self, prompt_ids: list[int], params: SamplingParams, adapter: str | None, tokenizer,
                 eos_ids: set[int], seed_offset: int = 0, on_finish=None):
        self.prompt_ids = list(prompt_ids)
        self.params, self.adapter, self.eos_ids = params, adapter, eos_ids
        self.generated: list[int] = []
        self.text = ""
        self.finish_reason: str | None = None
        self.error: BaseException | None = None
        self.cached = 0  # tokens whose keys/values are in the cache
        self.row = -1
        self.on_finish = on_finish
        self._decoder = tokenizer.incremental_decoder()
        seed = params.seed if params.seed is not None else random.SystemRandom().randrange(2 ** 62)
        self.generator = torch.Generator().manual_seed(seed + seed_offset)
        self._max_stop = max((len(s) for s in params.stop), default=0)

    @property
    def done(self) -> bool:
        return self.finish_reason is not None or self.error is not None

    def accept(self, token: int, max_context: int) -> None:
        """Appends a sampled token and decides whether the sequence is finished."""
        self.generated.append(token)
        if token in self.eos_ids and not self.params.ignore_eos:
            self._finish("stop")
            return
        before = len(self.text)
        self.text += self._decoder.push(token)
        if self._max_stop and len(self.text) > before:
            start = max(0, before - self._max_stop + 1)
            hits = [(i, s) for s in self.params.stop if (i := self.text.find(s, start)) >= 0]
            if hits:
                self.text = self.text[:min(hits)[0]]
                self.finish_reason = "stop"
                return
        if len(self.generated) >= self.params.max_tokens or len(self.prompt_ids) + len(self.generated) >= max_context:
            self._finish("length")

    def _finish(self, reason: str) -> None:
        self.text += self._decoder.flush()
        self.finish_reason = reason

    def fail(self, error: BaseException) -> None:
        self.error = error


def _is_oom(e: BaseException) -> bool:
    return isinstance(e, MemoryError) or "out of memory" in str(e).lower()


def sample(logits: torch.Tensor, seqs: list[Sequence]) -> list[int]:
    """One token per row: argmax at temperature 0, else temperature + nucleus (top_p) sampling.

    Sampled rows share one softmax / top-p / cumulative-sum pass; each row then draws a single
    uniform number from its own seeded generator and takes the token where it falls in the
    cumulative distribution (inverse CDF), so a row's token does not depend on its batch-mates.
    """
    rows = [i for i, s in enumerate(seqs) if s.params.temperature > 0]
    out = logits.argmax(-1).tolist() if len(rows) < len(seqs) else [0] * len(seqs)
    if not rows:
        return out
    x = logits.float().cpu()
    if len(rows) < len(seqs):
        x = x[rows]
    temps = torch.tensor([[seqs[i].params.temperature] for i in rows], dtype=x.dtype)
    probs = torch.softmax(x / temps, -1)
    top_p = [seqs[i].params.top_p for i in rows]
    if any(p < 1.0 for p in top_p):
        sorted_p, order = probs.sort(-1, descending=True)
        keep = sorted_p.cumsum(-1) - sorted_p < torch.tensor(top_p, dtype=x.dtype)[:, None]  # keeps the top token
        probs = torch.zeros_like(probs).scatter_(-1, order, sorted_p * keep)
    cdf = probs.double().cumsum(-1)
    u = torch.tensor([float(torch.rand((), generator=seqs[i].generator, dtype=torch.float64)) for i in rows],
                     dtype=torch.float64)
    picked = torch.searchsorted(cdf, (u * cdf[:, -1])[:, None], right=True)[:, 0]
    # u < 1, so picked < vocab size except through rounding; the clamp keeps the index valid
    picked = picked.clamp_(max=cdf.shape[1] - 1).tolist()
    for i, tok in zip(rows, picked):
        out[i] = tok
    return out


class BatchRunner:
    def __init__(self, loaded, max_batch: int = 16, max_prefill_tokens: int = 8192):
        self.loaded = loaded
        self.model = loaded.model
        cfg = loaded.config
        self.max_batch, self.max_prefill_tokens = max_batch, max_prefill_tokens
        self.max_context = loaded.max_context
        # decode reads keys in whole KEY_BLOCKs, so the cache's length is a multiple of it
        self.cache = KVCache(cfg.num_hidden_layers, max_batch, cfg.num_key_value_heads, cfg.head_dim,
                             loaded.dtype, loaded.device, max_capacity=round_up(self.max_context, KEY_BLOCK))
        self.running: list[Sequence] = []
        self.waiting: deque[Sequence] = deque()
        self.decode_steps = 0

    def add(self, seq: Sequence) -> None:
        self.waiting.append(seq)

    def has_work(self) -> bool:
        return bool(self.running or self.waiting)

    def adapters_in_use(self) -> set[str]:
        return {s.adapter for s in list(self.running) + list(self.waiting) if s.adapter}

    def step(self) -> list[Sequence]:
        """Admit, prefill, decode once; returns the sequences that finished or failed."""
        done: list[Sequence] = []
        with torch.no_grad():
            for seq in self._admit():
                self._prefill(seq, done)
            if self.running:
                with one_thread():
                    self._decode(done)
        self._retire(done)
        return done

    def _admit(self) -> list[Sequence]:
        admit: list[Sequence] = []
        tokens = 0
        while self.waiting and len(self.running) + len(admit) < self.max_batch:
            tokens += len(self.waiting[0].prompt_ids)
            if admit and tokens > self.max_prefill_tokens:
                break
            admit.append(self.waiting.popleft())
        return admit

    def _prefill(self, seq: Sequence, done: list[Sequence]) -> None:
        """Prefills one sequence on its own: its logits depend on nothing but its own prompt."""
        dev = self.loaded.device
        T = len(seq.prompt_ids)
        row = len(self.running)
        try:
            self.cache.ensure(T)
            ids = torch.tensor([seq.prompt_ids], device=dev)
            positions = torch.arange(T, device=dev)[None]
            batch = AttentionBatch("prefill", cache=self.cache, rows=torch.tensor([row], device=dev))
            with routed(self.model.lora_routing, [seq.adapter], dev):
                hidden = self.model(ids, positions, batch)
                logits = self.model.logits(hidden[:, -1])
        except Exception as e:  # OOM or a bad request: fail only this sequence, keep serving the rest
            if dev.type == "cuda":
                torch.cuda.empty_cache()
            seq.fail(e)
            done.append(seq)
            return
        seq.row = row
        seq.cached = T
        self.running.append(seq)
        seq.accept(sample(logits, [seq])[0], self.max_context)

    def _decode(self, done: list[Sequence]) -> None:
        self._retire(done)  # sequences that finished at prefill need no decode step
        if not self.running:
            return
        dev = self.loaded.device
        seqs = self.running
        B = len(seqs)
        pos_list = [s.cached for s in seqs]
        kv_len = round_up(max(pos_list) + 1, KEY_BLOCK)
        try:
            self.cache.ensure(kv_len)
            positions = torch.tensor(pos_list, device=dev)
            ids = torch.tensor([[s.generated[-1]] for s in seqs], device=dev)
            key_mask = (torch.arange(kv_len, device=dev)[None, :] <= positions[:, None]).view(B, 1, 1, kv_len)
            batch = AttentionBatch("decode", cache=self.cache, positions=positions, kv_len=kv_len, key_mask=key_mask)
            with routed(self.model.lora_routing, [s.adapter for s in seqs], dev, batch_invariant=True):
                hidden = self.model(ids, positions[:, None], batch)
                logits = self.model.logits(hidden[:, -1])
        except Exception as e:
            if dev.type == "cuda":
                torch.cuda.empty_cache()
            # out of memory: give up the longest sequence and let the others retry next step
            victims = [max(seqs, key=lambda s: s.cached)] if _is_oom(e) else list(seqs)
            for s in victims:
                s.fail(e)
            return
        self.decode_steps += 1
        for s in seqs:
            s.cached += 1
        for s, tok in zip(seqs, sample(logits, seqs)):
            s.accept(tok, self.max_context)

    def _retire(self, done: list[Sequence]) -> None:
        """Removes finished rows, moving the last running row into each hole (descending order)."""
        finished = sorted((s for s in self.running if s.done), key=lambda s: s.row, reverse=True)
        for s in finished:
            last = len(self.running) - 1
            if s.row != last:
                mover = self.running[last]
                self.cache.move(last, s.row, mover.cached)
                mover.row = s.row
                self.running[s.row] = mover
            self.running.pop()
            done.append(s)
        for s in done:
            if s.on_finish is not None and not getattr(s, "_notified", False):
                s._notified = True
                s.on_finish(s)


def generate(loaded, prompts: list[list[int]], params: SamplingParams | list[SamplingParams],
             adapters: list[str | None] | None = None, max_batch: int = 16) -> list[Sequence]:
    """Runs prompts to completion (batched); returns their sequences in order."""
    runner = BatchRunner(loaded, max_batch=max_batch)
    plist = params if isinstance(params, list) else [params] * len(prompts)
    adapters = adapters or [None] * len(prompts)
    seqs = [Sequence(p, sp, a, loaded.tokenizer, loaded.eos_ids) for p, sp, a in zip(prompts, plist, adapters)]
    for s in seqs:
        runner.add(s)
    while runner.has_work():
        runner.step()
    for s in seqs:
        if s.error is not None:
            raise s.error
    return seqs
