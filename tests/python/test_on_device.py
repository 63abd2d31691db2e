"""The engine on an accelerator: load, generate, LoRA-train and serve where torch sees a CUDA GPU.

The rest of the suite runs on the CPU; these checks run the same paths with `device=cuda` (and
bf16, the dtype users pick on a GPU). They are skipped on machines without a GPU, such as this
project's build machine; `TANDEM_TEST_DEVICE=cpu` runs them on the CPU to check the tests
themselves. GPU kernels add in another order than the CPU's, so comparisons with the CPU use
tolerances: a greedy token chosen on the device must be an argmax of the CPU's logits up to a
small margin, never a token the CPU ranks clearly lower.
"""

import json
import os

import pytest
import torch

from conftest import TRAIN_ROWS
from test_server import _call, _start  # the server as a subprocess speaking HTTP, as test_server starts it
from tandem_engine import lora
from tandem_engine.arch.llama import AttentionBatch
from tandem_engine.checkpoint import load_model
from tandem_engine.generate import SamplingParams, generate
from tandem_engine.train import TrainArgs, train

DEVICE = os.environ.get("TANDEM_TEST_DEVICE") or ("cuda" if torch.cuda.is_available() else None)
pytestmark = pytest.mark.skipif(DEVICE is None, reason="no CUDA GPU here (TANDEM_TEST_DEVICE=cpu runs these on the CPU)")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO_MODEL = os.path.join(ROOT, "resources", "models", "tandem-demo")
GREEDY = SamplingParams(temperature=0.0, max_tokens=16, ignore_eos=True)
QUESTIONS = ["hello", "what is the answer to the question?", "iris petal length 5.1 width 3.5", "x"]


def _iris_chats():
    with open(os.path.join(os.path.dirname(__file__), "fixtures", "iris-prompts.jsonl"), encoding="utf-8") as f:
        return [json.loads(line)["messages"] for line in f]


def _prompts(loaded, chats=None):
    chats = chats or [[{"role": "user", "content": q}] for q in QUESTIONS]
    return [loaded.tokenizer.encode(loaded.render(c)) for c in chats]


def _logits(loaded, ids):
    """Next-token logits at every position of one sequence, in fp32 on the CPU."""
    with torch.no_grad():
        t = torch.tensor([ids], device=loaded.device)
        hidden = loaded.model(t, torch.arange(len(ids), device=loaded.device)[None], AttentionBatch("full"))
        return loaded.model.logits(hidden[0]).float().cpu()


def _assert_greedy_choices_are_cpu_argmaxes(cpu, prompt, generated, rel=2e-3):
    """Every generated token is, by the CPU model's logits, within rel × scale of the best token."""
    logits = _logits(cpu, prompt + generated)[len(prompt) - 1:-1]
    scale = float(logits.abs().max())
    chosen = logits[torch.arange(len(generated)), torch.tensor(generated)]
    shortfall = logits.max(-1).values - chosen
    worst = int(shortfall.argmax())
    assert float(shortfall[worst]) <= rel * scale + 1e-5, (
        f"token {worst} ({generated[worst]}) is {float(shortfall[worst]):.4g} below the CPU's argmax "
        f"(logit scale {scale:.3g})")


@pytest.mark.parametrize("which", ["llama_dir", "qwen2_dir", "gqa_dir", "mistral_dir"])
def test_forward_logits_match_the_cpu(which, request):
    path = request.getfixturevalue(which)
    cpu, dev = load_model(path), load_model(path, device=DEVICE)
    assert dev.device.type == torch.device(DEVICE).type
    for ids in _prompts(cpu):
        a, b = _logits(cpu, ids), _logits(dev, ids)
        assert float((a - b).abs().max()) <= 1e-3 * float(a.abs().max()) + 1e-5


@pytest.mark.parametrize("which", ["llama_dir", "gqa_dir"])
def test_greedy_generation_batched_and_single_on_the_device(which, request):
    path = request.getfixturevalue(which)
    cpu, dev = load_model(path), load_model(path, device=DEVICE)
    prompts = _prompts(dev)
    batched = generate(dev, prompts, GREEDY)
    for p, b in zip(prompts, batched):
        assert len(b.generated) == 16 and b.finish_reason == "length"
        _assert_greedy_choices_are_cpu_argmaxes(cpu, p, b.generated)
        _assert_greedy_choices_are_cpu_argmaxes(cpu, p, generate(dev, [p], GREEDY)[0].generated)
    again = generate(dev, prompts, GREEDY)
    assert [s.generated for s in again] == [s.generated for s in batched]  # same shapes, same kernels


def test_seeded_sampling_on_the_device_is_reproducible(llama_dir):
    dev = load_model(llama_dir, device=DEVICE)
    p = _prompts(dev)[:2]
    params = SamplingParams(temperature=1.0, top_p=0.9, max_tokens=12, seed=5, ignore_eos=True)
    a, b = generate(dev, p, params), generate(dev, p, params)
    assert [s.generated for s in a] == [s.generated for s in b]
    other = generate(dev, p, SamplingParams(temperature=1.0, max_tokens=12, seed=6, ignore_eos=True))
    assert [s.generated for s in other] != [s.generated for s in a]


def test_bf16_on_the_device_stays_close_to_fp32(llama_dir):
    fp32, bf16 = load_model(llama_dir, device=DEVICE), load_model(llama_dir, dtype="bf16", device=DEVICE)
    assert next(bf16.model.parameters()).dtype == torch.bfloat16
    for ids in _prompts(fp32):
        a, b = _logits(fp32, ids), _logits(bf16, ids)
        cos = torch.nn.functional.cosine_similarity(a, b, dim=-1)
        assert float(cos.min()) > 0.99
    out = generate(bf16, _prompts(bf16), GREEDY)
    assert all(len(s.generated) == 16 for s in out)


def test_demo_model_answers_iris_prompts_on_the_device_as_on_the_cpu():
    cpu, dev = load_model(DEMO_MODEL), load_model(DEMO_MODEL, device=DEVICE)
    params = SamplingParams(temperature=0.0, max_tokens=48, ignore_eos=True)
    prompts = _prompts(dev, _iris_chats())
    for p, s in zip(prompts, generate(dev, prompts, params)):
        _assert_greedy_choices_are_cpu_argmaxes(cpu, p, s.generated)
        assert "[[ ## " in s.text, s.text


def test_lora_training_on_the_device_gives_an_adapter_that_works_on_both(llama_dir, tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in TRAIN_ROWS) + "\n")
    events = []
    out = str(tmp_path / "adapter")
    train(TrainArgs(base=llama_dir, data=str(data), valid=str(data), out=out, rank=8, alpha=16, lr=2e-2,
                    epochs=4, batch_size=2, max_seq_len=64, seed=3, device=DEVICE), events.append)
    assert events[0]["device"].startswith(torch.device(DEVICE).type)
    evals = [e["valid_loss"] for e in events if e["event"] == "eval"]
    assert len(evals) == 4 and evals[-1] < evals[0] * 0.7
    cpu, dev = load_model(llama_dir), load_model(llama_dir, device=DEVICE)
    lora.load_peft(cpu, out, "t")
    lora.load_peft(dev, out, "t")
    prompt = _prompts(dev, [[{"role": "user", "content": "what is the answer?"}]])[0]
    tuned = generate(dev, [prompt, prompt], SamplingParams(temperature=0.0, max_tokens=12, ignore_eos=True),
                     adapters=["t", None])
    assert tuned[0].text.startswith("the answer")
    assert tuned[0].generated != tuned[1].generated
    assert generate(cpu, [prompt], SamplingParams(temperature=0.0, max_tokens=12, ignore_eos=True),
                    adapters=["t"])[0].text.startswith("the answer")


def test_lora_training_in_bf16_on_the_device(llama_dir, tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in TRAIN_ROWS) + "\n")
    events = []
    train(TrainArgs(base=llama_dir, data=str(data), out=str(tmp_path / "a"), rank=8, alpha=16, lr=2e-2,
                    epochs=4, batch_size=2, max_seq_len=64, seed=3, dtype="bf16", device=DEVICE), events.append)
    steps = [e["loss"] for e in events if e["event"] == "step"]
    assert events[-1]["event"] == "done" and all(x == x for x in steps)  # no NaN
    assert sum(steps[-2:]) < sum(steps[:2])


def test_server_on_the_device_serves_the_demo_model_in_bf16():
    proc, ready = _start(DEMO_MODEL, "--device", DEVICE, "--dtype", "bf16")
    try:
        assert ready["event"] == "listening" and ready["device"].startswith(torch.device(DEVICE).type)
        status, res = _call(ready["base_url"], "/chat/completions", {
            "model": ready["model"], "messages": _iris_chats()[0], "temperature": 0, "max_tokens": 64})
        assert status == 200 and res["usage"]["completion_tokens"] > 0
        assert "[[ ## " in res["choices"][0]["message"]["content"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
