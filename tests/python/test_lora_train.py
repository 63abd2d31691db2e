import json
import os

import pytest
import torch

from tandem_engine import lora, safetensors_io
from tandem_engine.checkpoint import load_model
from tandem_engine.errors import EngineError
from tandem_engine.generate import SamplingParams, generate
from tandem_engine.train import TrainArgs, train

from conftest import TRAIN_ROWS

GREEDY = SamplingParams(temperature=0.0, max_tokens=12, ignore_eos=True)


def _write(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return str(path)


@pytest.fixture(scope="module")
def trained(llama_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    data = _write(tmp / "train.jsonl", TRAIN_ROWS + [
        {"messages": [{"role": "user", "content": "no reply"}]},
        "{not json",
        {"messages": [{"role": "user", "content": "long"}, {"role": "assistant", "content": "word " * 200}]},
    ])
    events = []
    out = str(tmp / "adapter")
    args = TrainArgs(base=llama_dir, data=data, valid=data, out=out, rank=8, alpha=16, lr=2e-2, epochs=4,
                     batch_size=2, max_seq_len=64, seed=3)
    train(args, events.append)
    return {"events": events, "out": out, "args": args, "data": data, "tmp": tmp}


def test_training_events_skips_and_loss_decrease(trained):
    ev = trained["events"]
    start, done = ev[0], ev[-1]
    assert start["event"] == "start" and done["event"] == "done"
    assert done["skipped"] == {"no_assistant": 1, "invalid": 1, "too_long": 1}
    assert done["train_rows"] == len(TRAIN_ROWS)
    steps = [e for e in ev if e["event"] == "step"]
    assert len(steps) == start["total_steps"] == 8
    assert all({"step", "epoch", "loss", "tokens_per_s", "eta_s"} <= set(e) for e in steps)
    evals = [e["valid_loss"] for e in ev if e["event"] == "eval"]
    assert len(evals) == 4 and evals[-1] < evals[0] * 0.7


def test_adapter_is_peft_format(trained):
    with open(os.path.join(trained["out"], "adapter_config.json")) as f:
        cfg = json.load(f)
    assert cfg["peft_type"] == "LORA" and cfg["task_type"] == "CAUSAL_LM"
    assert cfg["r"] == 8 and cfg["lora_alpha"] == 16 and cfg["lora_dropout"] == 0.0
    assert cfg["bias"] == "none" and cfg["fan_in_fan_out"] is False and cfg["inference_mode"] is True
    assert sorted(cfg["target_modules"]) == sorted(lora.DEFAULT_TARGETS)
    assert cfg["base_model_name_or_path"]
    tensors = safetensors_io.load_file(os.path.join(trained["out"], "adapter_model.safetensors"))
    a = tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]
    b = tensors["base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"]
    assert a.shape == (8, 64) and b.shape == (64, 8)
    assert len(tensors) == 2 * 7 * 2


def test_adapter_changes_outputs_and_reloads_identically(trained, llama_dir):
    loaded = load_model(llama_dir)
    prompt = loaded.tokenizer.encode(loaded.render([{"role": "user", "content": "what is the answer?"}]))
    base = generate(loaded, [prompt], GREEDY)[0]
    lora.load_peft(loaded, trained["out"], "a")
    tuned = generate(loaded, [prompt], GREEDY, adapters=["a"])[0]
    assert tuned.generated != base.generated
    assert tuned.text.startswith("the answer")
    # reload from disk into a fresh model: identical tokens
    other = load_model(llama_dir)
    lora.load_peft(other, trained["out"], "b")
    assert generate(other, [prompt], GREEDY, adapters=["b"])[0].generated == tuned.generated
    # per-row adapters in one batch give what each gets alone
    mixed = generate(loaded, [prompt, prompt], GREEDY, adapters=["a", None])
    assert mixed[0].generated == tuned.generated and mixed[1].generated == base.generated


def test_training_is_deterministic(trained, tmp_path):
    args = trained["args"]
    out2 = str(tmp_path / "again")
    train(TrainArgs(**{**args.__dict__, "out": out2}), lambda e: None)
    a = safetensors_io.load_file(os.path.join(trained["out"], "adapter_model.safetensors"))
    b = safetensors_io.load_file(os.path.join(out2, "adapter_model.safetensors"))
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_adapter_for_another_base_is_refused(trained, other_llama_dir, wide_llama_dir, tmp_path):
    with pytest.raises(EngineError, match="different base model"):
        lora.load_peft(load_model(other_llama_dir), trained["out"], "x")
    with pytest.raises(EngineError, match="different base model"):
        lora.load_peft(load_model(wide_llama_dir), trained["out"], "x")
    # without a fingerprint (an adapter from elsewhere) the base name is checked
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    tensors = safetensors_io.load_file(os.path.join(trained["out"], "adapter_model.safetensors"))
    safetensors_io.save_file(tensors, str(foreign / "adapter_model.safetensors"), {"format": "pt"})
    with open(os.path.join(trained["out"], "adapter_config.json")) as f:
        cfg = json.load(f)
    cfg["base_model_name_or_path"] = "meta-llama/Llama-2-7b-hf"
    (foreign / "adapter_config.json").write_text(json.dumps(cfg))
    with pytest.raises(EngineError, match="base model is 'meta-llama/Llama-2-7b-hf'"):
        lora.load_peft(load_model(other_llama_dir), str(foreign), "x")


def test_training_with_no_usable_rows_fails_clearly(llama_dir, tmp_path):
    data = _write(tmp_path / "bad.jsonl", [{"messages": [{"role": "user", "content": "only a question"}]}])
    with pytest.raises(EngineError, match="no usable training rows.*no_assistant"):
        train(TrainArgs(base=llama_dir, data=data, out=str(tmp_path / "o"), epochs=1), lambda e: None)


def test_qwen2_chatml_and_mistral_templates_train(qwen2_dir, mistral_dir, tmp_path):
    for d in (qwen2_dir, mistral_dir):
        data = _write(tmp_path / "t.jsonl", [r for r in TRAIN_ROWS if r["messages"][0]["role"] == "user"])
        ev = []
        train(TrainArgs(base=d, data=data, out=str(tmp_path / os.path.basename(d)), rank=4, alpha=8,
                        epochs=1, batch_size=4, lr=1e-3, target_modules=["q_proj", "v_proj"]), ev.append)
        assert ev[-1]["event"] == "done" and ev[-1]["skipped"] == {}


def test_trainer_processes_write_byte_identical_adapters(llama_dir, trained, tmp_path):
    """Two trainer processes with the same rows, settings, seed and thread count: the same bytes."""
    import subprocess
    import sys
    from conftest import ENGINE_PATH
    env = {**os.environ, "PYTHONPATH": ENGINE_PATH, "OPENBLAS_NUM_THREADS": "1"}
    outs = []
    for name in ("one", "two"):
        out = str(tmp_path / name)
        r = subprocess.run([sys.executable, "-m", "tandem_engine", "train", "--base", llama_dir, "--data", trained["data"],
                            "--out", out, "--rank", "8", "--alpha", "16", "--lr", "2e-2", "--epochs", "2",
                            "--batch-size", "2", "--max-seq-len", "64", "--seed", "5", "--threads", "2"],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        outs.append(out)
    for name in ("adapter_model.safetensors", "adapter_config.json"):
        with open(os.path.join(outs[0], name), "rb") as a, open(os.path.join(outs[1], name), "rb") as b:
            assert a.read() == b.read(), name
