"""A request's logits and tokens do not depend on the batch it runs in (CPU, fp32).

Every sampled step's logits are recorded per sequence and compared bit for bit between a run
alone, one batch of all requests, a small batch that queues the rest, and requests that join a
running batch at staggered steps; greedy and seeded sampling, with and without LoRA adapters;
and on an awkward model (an MLP width and vocabulary no vector step divides, three intra-op
threads, more rows than one product tile, a prompt that grows the rotary table past 512
positions after the short requests ran alone, attention split into row groups).
"""

import os

import pytest
import torch

from tandem_engine import batch_invariant
from tandem_engine import generate as gen
from tandem_engine import lora
from tandem_engine.batch_invariant import KEY_BLOCK, LAYOUTS, decode_attention, layout_for, round_up, tiled_linear
from tandem_engine.checkpoint import load_model
from tandem_engine.generate import BatchRunner, SamplingParams, Sequence
from tandem_engine.tiny_checkpoint import make_tiny

QUESTIONS = ["hi", "what is the answer to the question?", "iris petal length 5.1 width 3.5 sepal 1.4 0.2",
             "x", "a much longer prompt that pushes the cache past one key block of thirty-two positions " * 2,
             "seven", "count: 1 2 3 4 5 6 7 8 9 10 11 12", "?"]


def _params(i: int) -> SamplingParams:
    if i % 3 == 0:
        return SamplingParams(temperature=0.0, max_tokens=40, ignore_eos=True)
    return SamplingParams(temperature=0.7 + 0.2 * (i % 2), top_p=0.9 if i % 2 else 1.0, max_tokens=40,
                          seed=1000 + i, ignore_eos=True)


@pytest.fixture
def recorded(monkeypatch):
    """Records each sequence's logits at every sampled step (keyed by the sequence object)."""
    log: dict[Sequence, list[torch.Tensor]] = {}
    real = gen.sample

    def sample(logits, seqs):
        for row, s in zip(logits, seqs):
            log.setdefault(s, []).append(row.detach().clone())
        return real(logits, seqs)

    monkeypatch.setattr(gen, "sample", sample)
    return log


def _run(loaded, requests, max_batch, arrive_at, log):
    """Runs (index, prompt, adapter) requests; request i joins at step arrive_at[i].
    Returns (tokens, logits) per request."""
    runner = BatchRunner(loaded, max_batch=max_batch)
    seqs = [Sequence(p, _params(i), a, loaded.tokenizer, loaded.eos_ids) for i, p, a in requests]
    step = 0
    while any(arrive_at[i] >= step for i in range(len(seqs))) or runner.has_work():
        for i, s in enumerate(seqs):
            if arrive_at[i] == step:
                runner.add(s)
        runner.step()
        step += 1
    for s in seqs:
        assert s.error is None, s.error
    return [s.generated for s in seqs], [log[s] for s in seqs]


def _assert_same(a, b, label):
    tokens_a, logits_a = a
    tokens_b, logits_b = b
    for i, (ta, tb) in enumerate(zip(tokens_a, tokens_b)):
        assert ta == tb, f"{label}: request {i} generated other tokens"
        assert len(logits_a[i]) == len(logits_b[i])
        for step, (x, y) in enumerate(zip(logits_a[i], logits_b[i])):
            assert torch.equal(x, y), f"{label}: request {i} step {step} logits differ (max {float((x - y).abs().max())})"


def _check_invariance(loaded, adapters, log, questions=QUESTIONS, max_batch=16):
    prompts = [loaded.tokenizer.encode(loaded.render([{"role": "user", "content": q}])) for q in questions]
    requests = list(zip(range(len(prompts)), prompts, adapters))
    alone = [_run(loaded, [r], 1, [0], log) for r in requests]
    alone = ([t[0][0] for t in alone], [t[1][0] for t in alone])
    n = len(requests)
    _assert_same(alone, _run(loaded, requests, max_batch, [0] * n, log), "one batch of all")
    _assert_same(alone, _run(loaded, requests, 3, [0] * n, log), "batches of 3")
    arrivals = [(5 * i) // 2 + (i % 3) for i in range(n)]
    _assert_same(alone, _run(loaded, requests, max_batch, arrivals, log), "joining mid-way")


@pytest.mark.parametrize("which", ["llama_dir", "qwen2_dir", "gqa_dir", "mistral_dir"])
def test_a_requests_logits_do_not_depend_on_its_batch(which, request, recorded):
    loaded = load_model(request.getfixturevalue(which))
    _check_invariance(loaded, [None] * len(QUESTIONS), recorded)


def test_with_lora_adapters_mixed_in_one_batch(gqa_dir, recorded):
    loaded = load_model(gqa_dir)
    for name, seed in (("a", 1), ("b", 2)):
        params = lora.add_trainable(loaded.model, name, rank=4, alpha=8, dropout=0.0, targets=lora.DEFAULT_TARGETS, seed=seed)
        with torch.no_grad():  # PEFT starts B at zero; give it weights so the adapter changes logits
            for p in params[1::2]:
                p.normal_(0, 0.05, generator=torch.Generator().manual_seed(seed))
    adapters = ["a", None, "b", "a", None, "b", "b", None]
    _check_invariance(loaded, adapters, recorded)


def test_an_awkward_model_on_three_threads(tmp_path, recorded, monkeypatch):
    path = make_tiny(str(tmp_path / "odd"), kind="llama", seed=7, hidden=48, heads=3, intermediate=100,
                     vocab_size=333, max_position_embeddings=1024)
    loaded = load_model(path)
    # the long prompt comes last: the short ones run alone on a 512-position rotary table, and in
    # every batch afterwards on the 1024-position table it grew
    questions = [f"{q} ({i})" for i, q in enumerate(QUESTIONS * 3)][:20] + ["many words " * 60]
    assert len(loaded.tokenizer.encode(questions[-1])) > 512
    monkeypatch.setattr(batch_invariant, "ATTENTION_CHUNK_ELEMENTS", 4096)  # attention in row groups
    threads = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        _check_invariance(loaded, [None] * len(questions), recorded, questions, max_batch=24)
    finally:
        torch.set_num_threads(threads)


def test_kernels_give_a_row_the_same_bits_whatever_its_batch():
    g = torch.Generator().manual_seed(0)
    weight, bias = torch.randn(96, 64, generator=g), torch.randn(96, generator=g)
    rows = torch.randn(20, 64, generator=g)
    assert layout_for(weight, bias) in LAYOUTS and layout_for(weight, None) in LAYOUTS
    for layout in (None, (1, "rows")):  # the calibrated layout, and one row at a time
        alone = torch.cat([tiled_linear(rows[i:i + 1], weight, bias, layout) for i in range(20)])
        for n in (2, 5, 8, 13, 20):
            assert torch.equal(tiled_linear(rows[:n], weight, bias, layout), alone[:n])
        assert torch.allclose(alone, torch.nn.functional.linear(rows, weight, bias), atol=1e-5)

    H, KV, D = 6, 2, 16
    q = torch.randn(1, H, 1, D, generator=g)
    k, v = torch.randn(1, KV, 50, D, generator=g), torch.randn(1, KV, 50, D, generator=g)

    def attend(batch: int, length: int) -> torch.Tensor:
        L = round_up(length, KEY_BLOCK)
        qq, kk, vv = (torch.randn(batch, H, 1, D, generator=g), torch.randn(batch, KV, L, D, generator=g),
                      torch.randn(batch, KV, L, D, generator=g))
        qq[0], kk[0, :, :50], vv[0, :, :50] = q[0], k[0], v[0]
        mask = torch.ones(batch, 1, 1, L, dtype=torch.bool)
        mask[0, ..., 50:] = False
        return decode_attention(qq, kk, vv, mask)[0]

    ref = attend(1, 50)
    for batch, length in ((4, 50), (16, 64), (3, 300)):
        assert torch.equal(attend(batch, length), ref)
    want = torch.softmax((q.view(KV, H // KV, D) @ k[0].transpose(-1, -2)) / D ** 0.5, -1) @ v[0]
    assert torch.allclose(ref.view(KV, H // KV, D), want, atol=1e-5)
    with pytest.raises(ValueError, match="multiple of"):
        decode_attention(q, k, v, torch.ones(1, 1, 1, 50, dtype=torch.bool))
