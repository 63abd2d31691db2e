import json
import os
import struct

import pytest
import torch

from tandem_engine import safetensors_io as st
from tandem_engine.errors import EngineError


def test_round_trip_dtypes_and_metadata(tmp_path):
    tensors = {
        "f32": torch.randn(3, 4), "f16": torch.randn(5).half(), "bf16": torch.randn(2, 2).bfloat16(),
        "i64": torch.arange(7), "bool": torch.tensor([True, False]), "empty": torch.zeros(0, 3),
    }
    path = str(tmp_path / "x.safetensors")
    st.save_file(tensors, path, {"format": "pt", "k": "v"})
    loaded = st.load_file(path)
    assert set(loaded) == set(tensors)
    for k, t in tensors.items():
        assert loaded[k].dtype == t.dtype and torch.equal(loaded[k], t)
    assert st.load_metadata(path) == {"format": "pt", "k": "v"}
    with open(path, "rb") as f:  # data section is 8-byte aligned as the reference writer does
        assert struct.unpack("<Q", f.read(8))[0] % 8 == 0


def _write_raw(path, header: bytes, data: bytes = b"", length=None):
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header) if length is None else length))
        f.write(header)
        f.write(data)


@pytest.mark.parametrize("case,expect", [
    ("short", "shorter than"),
    ("huge_len", "header length"),
    ("bad_json", "not valid JSON"),
    ("out_of_range", "out of range"),
    ("size_mismatch", "needs"),
    ("overlap", "overlap"),
    ("bad_dtype", "unsupported dtype"),
])
def test_corrupt_files_are_refused_with_the_file_named(tmp_path, case, expect):
    path = str(tmp_path / f"{case}.safetensors")
    if case == "short":
        with open(path, "wb") as f:
            f.write(b"\x01\x02")
    elif case == "huge_len":
        _write_raw(path, b"{}", length=10 ** 12)
    elif case == "bad_json":
        _write_raw(path, b"{not json")
    else:
        entries = {
            "out_of_range": {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 160]}},
            "size_mismatch": {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}},
            "overlap": {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                        "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}},
            "bad_dtype": {"a": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 2]}},
        }[case]
        _write_raw(path, json.dumps(entries).encode(), b"\0" * 16)
    with pytest.raises(EngineError) as err:
        st.load_file(path)
    assert expect in str(err.value) and path in str(err.value)


def test_sharded_checkpoint_matches_single(llama_dir, sharded_dir):
    files = st.checkpoint_files(sharded_dir)
    assert len(files) == 3
    a, b = st.load_checkpoint(llama_dir), st.load_checkpoint(sharded_dir)
    assert set(a) == set(b) and all(torch.equal(a[k], b[k]) for k in a)


def test_missing_shard_and_missing_weights(tmp_path, sharded_dir):
    d = tmp_path / "broken"
    d.mkdir()
    with open(os.path.join(sharded_dir, "model.safetensors.index.json")) as f:
        (d / "model.safetensors.index.json").write_text(f.read())
    with pytest.raises(EngineError, match="shard files are missing"):
        st.checkpoint_files(str(d))
    with pytest.raises(EngineError, match="no model.safetensors"):
        st.checkpoint_files(str(tmp_path))
