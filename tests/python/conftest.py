"""Fixtures: tiny random checkpoints written to a temp dir once per test session."""

import os
import sys

import pytest

sys.dont_write_bytecode = True  # no __pycache__ folders inside the repository

ENGINE = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "engine")
sys.path.insert(0, os.path.abspath(ENGINE))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # measured ~27% faster on 2-core CPUs

import torch  # noqa: E402

torch.set_num_threads(2)

from tandem_engine.tiny_checkpoint import make_tiny  # noqa: E402

ENGINE_PATH = os.path.abspath(ENGINE)


@pytest.fixture(scope="session")
def ckpt_root(tmp_path_factory):
    return tmp_path_factory.mktemp("ckpts")


def _make(root, name, **kw):
    path = str(root / name)
    if not os.path.exists(os.path.join(path, "config.json")):
        make_tiny(path, **kw)
    return path


@pytest.fixture(scope="session")
def llama_dir(ckpt_root):
    return _make(ckpt_root, "tiny-llama", kind="llama")


@pytest.fixture(scope="session")
def qwen2_dir(ckpt_root):
    return _make(ckpt_root, "tiny-qwen2", kind="qwen2", seed=1)


@pytest.fixture(scope="session")
def gqa_dir(ckpt_root):
    return _make(ckpt_root, "tiny-gqa", kind="gqa", seed=2)


@pytest.fixture(scope="session")
def mistral_dir(ckpt_root):
    return _make(ckpt_root, "tiny-mistral", kind="mistral", seed=3)


@pytest.fixture(scope="session")
def sharded_dir(ckpt_root):
    return _make(ckpt_root, "tiny-llama-sharded", kind="llama", shards=3)


@pytest.fixture(scope="session")
def other_llama_dir(ckpt_root):
    """Same shapes as llama_dir, different weights: adapters must not cross over."""
    return _make(ckpt_root, "tiny-llama-other", kind="llama", seed=7)


@pytest.fixture(scope="session")
def wide_llama_dir(ckpt_root):
    return _make(ckpt_root, "tiny-llama-wide", kind="llama", hidden=96, heads=4)


@pytest.fixture(scope="session")
def loaded_llama(llama_dir):
    from tandem_engine.checkpoint import load_model
    return load_model(llama_dir)


TRAIN_ROWS = [
    {"messages": [{"role": "user", "content": "what is the answer?"}, {"role": "assistant", "content": "the answer is 42"}]},
    {"messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hello world!"}]},
    {"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "iris?"},
                  {"role": "assistant", "content": "setosa"}]},
    {"messages": [{"role": "user", "content": "say the answer"}, {"role": "assistant", "content": "the answer is 42"}]},
]
