"""The demo model's trainer (scripts/demo-model) trains the engine's own network.

A tiny run of train.py exports a checkpoint; the engine loads it as serving does and must give the
trainer's logits on the same input. The only difference between the two is the rotary frequencies
(network.recipe_inv_freq: a few differ from the engine's in their last bit), so the logits agree to
about 1e-6 of their size and, with the engine given the trainer's frequencies, bit for bit.
"""

import json
import os
import random
import sys

import pytest
import torch

from tandem_engine.arch.llama import AttentionBatch, rope_inv_freq
from tandem_engine.checkpoint import load_model

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "demo-model"))
import network  # noqa: E402
import train  # noqa: E402

TOKENIZER = os.path.join(ROOT, "resources", "models", "tandem-demo")  # the shipped tokenizer and chat template
SHAPE = dict(hidden=32, layers=2, heads=2, intermediate=64)


def _words(rng, n):
    return " ".join("".join(rng.choice("aeioubdklmnrstv") for _ in range(rng.randint(3, 7))) for _ in range(n))


def _episode(rng, n_words):
    value = _words(rng, n_words)
    return {"messages": [{"role": "user", "content": f"[[ ## text ## ]]\n{value}"},
                         {"role": "assistant", "content": f"[[ ## answer ## ]]\n{value}\n\n[[ ## completed ## ]]"}],
            "answer": {"answer": value}}


def _write_corpus(root):
    rng = random.Random(0)
    for split, rows in (("train", 6), ("eval", 2)):
        os.makedirs(os.path.join(root, split))
        for task in train.TASKS:
            n_words = 40 if task == "recite" else 10  # recite values feed the induction rows (48-token spans)
            with open(os.path.join(root, split, f"{task}.jsonl"), "w", encoding="utf-8") as f:
                for _ in range(rows):
                    f.write(json.dumps(_episode(rng, n_words)) + "\n")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """train.py's main on a tiny corpus: induction warm-up, curriculum steps, final checkpoint and export."""
    root = tmp_path_factory.mktemp("demo-model")
    _write_corpus(str(root / "corpus"))
    out = str(root / "run")
    argv = ["train.py", "--corpus", str(root / "corpus"), "--tokenizer", TOKENIZER, "--out", out,
            "--hidden", str(SHAPE["hidden"]), "--layers", str(SHAPE["layers"]), "--heads", str(SHAPE["heads"]),
            "--intermediate", str(SHAPE["intermediate"]), "--seq-len", "192", "--batch-size", "1", "--steps", "3",
            "--warmup", "2", "--induction-steps", "2", "--induction-rows", "4", "--threads", str(torch.get_num_threads()),
            "--seed", "0"]
    saved = sys.argv
    sys.argv = argv
    try:
        train.main()
    finally:
        sys.argv = saved
    return out


def _trainer_model(out):
    ck = torch.load(os.path.join(out, "ckpt.pt"), map_location="cpu")
    vocab = ck["model"]["model.embed_tokens.weight"].shape[0]
    model = network.build(vocab, **SHAPE)
    model.load_state_dict(ck["model"])
    return model.eval()


def _input(out):
    loaded = load_model(os.path.join(out, "hf"))
    ids = loaded.tokenizer.encode(loaded.render([{"role": "user", "content": "[[ ## text ## ]]\nkelo vista"}]))
    ids = torch.tensor([ids])
    return ids, torch.arange(ids.shape[1]).unsqueeze(0)


def _served_logits(out, ids, pos, inv_freq=None):
    loaded = load_model(os.path.join(out, "hf"))  # as the server loads a model
    if inv_freq is not None:
        with torch.no_grad():  # before the first forward pass builds the cos/sin tables
            loaded.model.rotary.inv_freq.copy_(inv_freq)
    with torch.no_grad():
        return loaded.model.logits(loaded.model(ids, pos, AttentionBatch("full")))


def test_exported_checkpoint_serves_the_trainers_logits(run):
    model = _trainer_model(run)
    ids, pos = _input(run)
    with torch.no_grad():
        mine = network.logits(model, ids, pos)
    served = _served_logits(run, ids, pos)
    assert served.shape == mine.shape
    # The rotary frequencies differ in the last bit of a few entries, nothing else does: a relative
    # difference of about 1e-6 (on the shipped model: 3e-5 on logits up to 31; float32's epsilon is 1.2e-7).
    assert (served - mine).abs().max().item() <= 1e-5 * mine.abs().max().item()
    assert torch.equal(_served_logits(run, ids, pos, network.recipe_inv_freq(SHAPE["hidden"] // SHAPE["heads"])), mine)


def test_export_writes_the_trainers_architecture(run):
    with open(os.path.join(run, "hf", "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    vocab = cfg["vocab_size"]
    assert {k: cfg[k] for k in network.architecture(vocab, **SHAPE)} == network.architecture(vocab, **SHAPE)
    assert cfg["tandem_training"]["step"] == 3


def test_recipe_frequencies_differ_from_the_engines_only_in_the_last_bit():
    cfg = load_model(TOKENIZER).config
    engine, recipe = rope_inv_freq(cfg), network.recipe_inv_freq(cfg.head_dim, cfg.rope_theta)
    assert torch.allclose(engine, recipe, rtol=2 ** -23, atol=0)
    assert not torch.equal(engine, recipe)  # if they ever agree, network.recipe_inv_freq can go


def test_packed_episodes_see_only_themselves(run):
    model = _trainer_model(run)
    ids, pos = _input(run)
    n = ids.shape[1]
    head = 9
    packed = torch.cat([ids[:, :head], ids], 1)
    packed_pos = torch.cat([pos[:, :head], pos], 1)
    doc = torch.cat([torch.zeros(1, head), torch.ones(1, n)], 1).long()
    with torch.no_grad():
        together = network.logits(model, packed, packed_pos, doc)
        alone = network.logits(model, ids, pos)
        first = network.logits(model, ids[:, :head], pos[:, :head])
    # other shapes take other BLAS paths: equal to float32 rounding, not bit for bit
    assert torch.allclose(together[:, head:], alone, atol=1e-5, rtol=0)
    assert torch.allclose(together[:, :head], first, atol=1e-5, rtol=0)


def test_a_seed_gives_the_recipes_initial_weights():
    """The recipe's default shape and seed 0 start from these values (train-demo-model.sh's first stage)."""
    torch.manual_seed(0)
    state = network.build(2048, 128, 4, 4, 352).state_dict()
    pinned = {
        "model.embed_tokens.weight": ([0.02606288, -0.00674606, -0.01547194, -0.02078046], 4178.1589922071125),
        "model.layers.0.self_attn.q_proj.weight": ([-0.02224498, 0.0142142, -0.01562205, -0.02464333], 260.6272028671917),
        "model.layers.3.mlp.down_proj.weight": ([0.00419515, 0.01257534, 0.01206914, -0.00823526], 253.5149320898534),
    }
    for name, (first, abs_sum) in pinned.items():
        assert state[name].flatten()[:4].tolist() == pytest.approx(first, abs=1e-8), name
        assert float(state[name].double().abs().sum()) == pytest.approx(abs_sum, rel=1e-9), name
    assert all(torch.equal(state[n], torch.ones_like(state[n])) for n in state if n.endswith("norm.weight"))
