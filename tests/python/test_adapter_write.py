"""Reliability: an adapter folder is written whole or not at all, and a half-written one is never
loaded. The trainer runs as a real process; killing it while it saves (the test hook
TANDEM_TEST_DIE_WHILE_SAVING_ADAPTER) leaves no adapter under the output name, and training again
writes the same adapter an uninterrupted run would."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import torch

from tandem_engine import lora, safetensors_io
from tandem_engine.checkpoint import load_model
from tandem_engine.errors import EngineError

from conftest import TRAIN_ROWS

ENGINE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "resources", "engine"))


def _train(base, data, out, die=False):
    env = {**os.environ, "PYTHONPATH": ENGINE_DIR, "OPENBLAS_NUM_THREADS": "1"}
    env.pop(lora.DIE_WHILE_SAVING_ENV, None)
    if die:
        env[lora.DIE_WHILE_SAVING_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tandem_engine", "train", "--base", base, "--data", data, "--out", out,
         "--epochs", "1", "--rank", "4", "--alpha", "8", "--lr", "1e-3", "--batch-size", "4",
         "--max-seq-len", "256", "--seed", "7"],
        env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("adapter-write") / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in TRAIN_ROWS))
    return str(path)


@pytest.fixture(scope="module")
def clean(llama_dir, data, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("clean") / "adapter")
    run = _train(llama_dir, data, out)
    assert run.returncode == 0, run.stderr
    return out


def _weights(folder):
    return safetensors_io.load_file(os.path.join(folder, "adapter_model.safetensors"))


def test_saved_adapter_is_complete_and_loads(clean, llama_dir):
    assert sorted(os.listdir(clean)) == sorted(
        ["adapter_config.json", "adapter_model.safetensors", "training_args.json", lora.COMPLETE_FILE])
    assert not [f for f in os.listdir(os.path.dirname(clean)) if ".partial-" in f]
    record = json.load(open(os.path.join(clean, lora.COMPLETE_FILE)))
    assert set(record["files"]) == {"adapter_config.json", "adapter_model.safetensors", "training_args.json"}
    lora.load_peft(load_model(llama_dir), clean, "a")


def test_trainer_killed_while_saving_leaves_no_adapter_and_retraining_matches(clean, llama_dir, data, tmp_path):
    out = str(tmp_path / "adapter")
    killed = _train(llama_dir, data, out, die=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not os.path.exists(out)
    partial = [f for f in os.listdir(tmp_path) if f.startswith("adapter.partial-")]
    assert len(partial) == 1
    # The weights were written; the folder is still refused.
    assert "adapter_model.safetensors" in os.listdir(tmp_path / partial[0])
    with pytest.raises(EngineError, match="unfinished output"):
        lora.load_peft(load_model(llama_dir), str(tmp_path / partial[0]), "x")

    again = _train(llama_dir, data, out)
    assert again.returncode == 0, again.stderr
    assert sorted(os.listdir(tmp_path)) == ["adapter"]  # the leftover is gone
    a, b = _weights(clean), _weights(out)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    lora.load_peft(load_model(llama_dir), out, "again")


def test_a_half_written_adapter_is_refused(clean, llama_dir, tmp_path):
    loaded = load_model(llama_dir)
    # Weights from Tandem's trainer without the completion record (a crash mid-save on a disk
    # that reordered writes, or a copy cut short).
    no_record = tmp_path / "no-record"
    shutil.copytree(clean, no_record)
    os.remove(no_record / lora.COMPLETE_FILE)
    with pytest.raises(EngineError, match="not completely written"):
        lora.load_peft(loaded, str(no_record), "x")
    # The record is there but a file is cut short.
    truncated = tmp_path / "truncated"
    shutil.copytree(clean, truncated)
    st = truncated / "adapter_model.safetensors"
    st.write_bytes(st.read_bytes()[:-16])
    with pytest.raises(EngineError, match="not completely written.*adapter_model.safetensors"):
        lora.load_peft(loaded, str(truncated), "x")
    # The record is there but the config is missing.
    no_config = tmp_path / "no-config"
    shutil.copytree(clean, no_config)
    os.remove(no_config / "adapter_config.json")
    with pytest.raises(EngineError, match="not completely written.*adapter_config.json"):
        lora.load_peft(loaded, str(no_config), "x")


def test_training_again_over_an_adapter_replaces_it_whole(clean, llama_dir, data, tmp_path):
    out = tmp_path / "adapter"
    shutil.copytree(clean, out)
    (out / "stale.txt").write_text("from an earlier attempt")
    run = _train(llama_dir, data, str(out))
    assert run.returncode == 0, run.stderr
    assert "stale.txt" not in os.listdir(out)
    assert sorted(os.listdir(tmp_path)) == ["adapter"]
    lora.check_complete(str(out))
