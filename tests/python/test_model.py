import json
import os
import shutil

import pytest
import torch

from tandem_engine.arch.llama import AttentionBatch
from tandem_engine.checkpoint import load_model
from tandem_engine.errors import EngineError
from tandem_engine.generate import SamplingParams, generate

GREEDY = SamplingParams(temperature=0.0, max_tokens=16, ignore_eos=True)
QUESTIONS = ["hello", "what is the answer to the question?", "iris petal length 5.1 width 3.5", "x"]


def _prompts(loaded):
    return [loaded.tokenizer.encode(loaded.render([{"role": "user", "content": q}])) for q in QUESTIONS]


@pytest.mark.parametrize("which", ["llama_dir", "qwen2_dir", "gqa_dir", "mistral_dir", "sharded_dir"])
def test_checkpoints_load_and_batched_matches_single(which, request):
    loaded = load_model(request.getfixturevalue(which))
    prompts = _prompts(loaded)
    batched = generate(loaded, prompts, GREEDY)
    for p, b in zip(prompts, batched):
        single = generate(loaded, [p], GREEDY)[0]
        assert single.generated == b.generated
        assert len(b.generated) == 16 and b.finish_reason == "length"
    again = generate(loaded, prompts, GREEDY)
    assert [s.generated for s in again] == [s.generated for s in batched]


def test_qwen2_has_qkv_biases_and_gqa_has_fewer_kv_heads(qwen2_dir, gqa_dir):
    q = load_model(qwen2_dir).model.model.layers[0].self_attn
    assert q.q_proj.bias is not None and q.o_proj.bias is None
    g = load_model(gqa_dir).model.model.layers[0].self_attn
    assert g.k_proj.out_features < g.q_proj.out_features


def test_cached_decoding_equals_full_recomputation(gqa_dir):
    loaded = load_model(gqa_dir)
    prompt = _prompts(loaded)[1]
    seq = generate(loaded, [prompt], GREEDY)[0]
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(16):
            t = torch.tensor([ids])
            hidden = loaded.model(t, torch.arange(len(ids))[None], AttentionBatch("full"))
            ids.append(int(loaded.model.logits(hidden[0, -1]).argmax()))
    assert ids[len(prompt):] == seq.generated


def test_sampling_is_seeded_and_stop_strings_cut(loaded_llama):
    p = _prompts(loaded_llama)[:1]
    a = generate(loaded_llama, p, SamplingParams(temperature=1.0, top_p=0.9, max_tokens=12, seed=5, ignore_eos=True))
    b = generate(loaded_llama, p, SamplingParams(temperature=1.0, top_p=0.9, max_tokens=12, seed=5, ignore_eos=True))
    assert a[0].generated == b[0].generated
    full = generate(loaded_llama, p, GREEDY)[0].text
    stop = full[3:5]
    cut = generate(loaded_llama, p, SamplingParams(temperature=0, max_tokens=16, stop=[stop], ignore_eos=True))[0]
    assert cut.finish_reason == "stop" and cut.text == full[:full.index(stop)]


def _copy_with_config(src, dst, **changes):
    shutil.copytree(src, dst)
    with open(os.path.join(dst, "config.json")) as f:
        cfg = json.load(f)
    cfg.update(changes)
    with open(os.path.join(dst, "config.json"), "w") as f:
        json.dump(cfg, f)
    return str(dst)


def test_bad_configs_are_refused(llama_dir, tmp_path):
    d = _copy_with_config(llama_dir, tmp_path / "gpt", architectures=["GPTNeoXForCausalLM"], model_type="gpt_neox")
    with pytest.raises(EngineError, match="unsupported architecture.*LlamaForCausalLM"):
        load_model(d)
    d = _copy_with_config(llama_dir, tmp_path / "yarn", rope_scaling={"type": "yarn", "factor": 4})
    with pytest.raises(EngineError, match="yarn"):
        load_model(d)
    d = _copy_with_config(llama_dir, tmp_path / "l3", rope_scaling={
        "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
        "original_max_position_embeddings": 64})
    assert load_model(d).model.rotary.inv_freq.shape[0] == 8
    d = _copy_with_config(llama_dir, tmp_path / "shape", hidden_size=32)
    with pytest.raises(EngineError, match="shape"):
        load_model(d)
    os.remove(os.path.join(d, "tokenizer.json"))
    with pytest.raises(EngineError, match="tokenizer.json"):
        load_model(d)


def test_chat_template_fallback(llama_dir, tmp_path):
    d = tmp_path / "notemplate"
    shutil.copytree(llama_dir, d)
    with open(d / "tokenizer_config.json") as f:
        cfg = json.load(f)
    del cfg["chat_template"]
    with open(d / "tokenizer_config.json", "w") as f:
        json.dump(cfg, f)
    loaded = load_model(str(d))
    text = loaded.render([{"role": "system", "content": "s"}, {"role": "user", "content": "u"}])
    assert text == "System: s\n\nUser: u\n\nAssistant:"


def test_a_failing_sequence_does_not_take_down_its_batch(loaded_llama):
    from tandem_engine.generate import BatchRunner, Sequence
    runner = BatchRunner(loaded_llama, max_batch=4)
    good = _prompts(loaded_llama)[:2]
    bad = [10 ** 6]  # token id outside the embedding table: this row's forward raises
    seqs = [Sequence(p, GREEDY, None, loaded_llama.tokenizer, loaded_llama.eos_ids) for p in (good[0], bad, good[1])]
    for s in seqs:
        runner.add(s)
    while runner.has_work():
        runner.step()
    assert seqs[1].error is not None
    assert seqs[0].error is None and seqs[2].error is None
    assert seqs[0].generated == generate(loaded_llama, [good[0]], GREEDY)[0].generated


class _Row:
    def __init__(self, temperature, top_p=1.0, seed=0):
        self.params = SamplingParams(temperature=temperature, top_p=top_p)
        self.generator = torch.Generator().manual_seed(seed)


def test_batched_sampling_follows_the_distribution_and_each_rows_seed():
    from tandem_engine.generate import sample
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0, 0.5, -3.0]])
    probs = torch.softmax(logits[0], -1)
    n = 6000
    counts = torch.bincount(torch.tensor(sample(logits.expand(n, 6), [_Row(1.0, seed=i) for i in range(n)])),
                            minlength=6)
    assert torch.allclose(counts / n, probs, atol=0.03)
    # top_p keeps the smallest set of top tokens reaching top_p (p = .56, .21, .13, ...: tokens 0 and 1)
    nucleus = set(sample(logits.expand(500, 6), [_Row(1.0, top_p=0.7, seed=i) for i in range(500)]))
    assert nucleus == {0, 1}
    # greedy rows take the argmax; a sampled row's token depends only on its own seed
    mixed = torch.randn(4, 50, generator=torch.Generator().manual_seed(1))
    rows = [_Row(0), _Row(0.7, seed=11), _Row(0), _Row(1.3, top_p=0.5, seed=12)]
    out = sample(mixed, rows)
    assert out[0] == int(mixed[0].argmax()) and out[2] == int(mixed[2].argmax())
    assert out[1] == sample(mixed[1:2], [_Row(0.7, seed=11)])[0]
    assert out[3] == sample(mixed[3:4], [_Row(1.3, top_p=0.5, seed=12)])[0]
