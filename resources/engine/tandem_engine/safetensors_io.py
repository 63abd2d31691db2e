"""Read and write the safetensors format by hand (the `safetensors` package is not available).

Layout: 8-byte little-endian header length N, N bytes of JSON header mapping tensor names to
{dtype, shape, data_offsets:[begin, end]} (offsets relative to the end of the header), an
optional "__metadata__" string map, then the raw little-endian tensor bytes.
"""

import ctypes
import json
import os
import struct

import torch

from .errors import EngineError

_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
for _name, _attr in (("F8_E4M3", "float8_e4m3fn"), ("F8_E5M2", "float8_e5m2")):
    if hasattr(torch, _attr):  # only newer torch builds know fp8
        _DTYPES[_name] = getattr(torch, _attr)
_NAMES = {v: k for k, v in _DTYPES.items()}

# A header larger than this is certainly corruption, not a real checkpoint (100 MB).
_MAX_HEADER = 100 * 1024 * 1024


def _element_size(dtype: torch.dtype) -> int:
    return torch.empty((), dtype=dtype).element_size()


def read_header(path: str) -> tuple[dict, dict, int]:
    """Returns (tensor entries, metadata, data start offset); validates everything checkable."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            raw_len = f.read(8)
            if len(raw_len) < 8:
                raise EngineError(f"{path}: not a safetensors file (shorter than its 8-byte header length)")
            (header_len,) = struct.unpack("<Q", raw_len)
            if header_len > _MAX_HEADER or 8 + header_len > size:
                raise EngineError(
                    f"{path}: corrupt safetensors header length {header_len} (file has {size} bytes)")
            header_bytes = f.read(header_len)
    except OSError as e:
        raise EngineError(f"{path}: cannot read safetensors file: {e}") from e
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EngineError(f"{path}: corrupt safetensors header (not valid JSON: {e})") from e
    if not isinstance(header, dict):
        raise EngineError(f"{path}: corrupt safetensors header (JSON is not an object)")
    metadata = header.pop("__metadata__", None) or {}
    data_start = 8 + header_len
    data_len = size - data_start
    spans = []
    for name, entry in header.items():
        try:
            dtype_name = entry["dtype"]
            shape = [int(d) for d in entry["shape"]]
            begin, end = (int(o) for o in entry["data_offsets"])
        except (KeyError, TypeError, ValueError) as e:
            raise EngineError(f"{path}: corrupt entry for tensor '{name}' ({e!r})") from e
        if dtype_name not in _DTYPES:
            raise EngineError(f"{path}: tensor '{name}' has unsupported dtype {dtype_name}")
        numel = 1
        for d in shape:
            numel *= d
        if begin < 0 or end < begin or end > data_len:
            raise EngineError(
                f"{path}: tensor '{name}' offsets [{begin}, {end}] are out of range (data is {data_len} bytes)")
        if end - begin != numel * _element_size(_DTYPES[dtype_name]):
            raise EngineError(
                f"{path}: tensor '{name}' spans {end - begin} bytes but {dtype_name}{shape} needs "
                f"{numel * _element_size(_DTYPES[dtype_name])}")
        spans.append((begin, end, name))
    spans.sort()
    for (b0, e0, n0), (b1, e1, n1) in zip(spans, spans[1:]):
        if b1 < e0:
            raise EngineError(f"{path}: tensors '{n0}' and '{n1}' overlap in the data section")
    return header, metadata, data_start


def load_file(path: str, device: str = "cpu", dtype: torch.dtype | None = None) -> dict[str, torch.Tensor]:
    """Loads every tensor; floating tensors are cast to `dtype` when given."""
    header, _, data_start = read_header(path)
    out = {}
    with open(path, "rb") as f:
        for name, entry in header.items():
            begin, end = entry["data_offsets"]
            buf = bytearray(end - begin)
            f.seek(data_start + begin)
            if f.readinto(buf) != len(buf):
                raise EngineError(f"{path}: file is truncated inside tensor '{name}'")
            t_dtype = _DTYPES[entry["dtype"]]
            if len(buf) == 0:
                t = torch.empty(entry["shape"], dtype=t_dtype)
            else:
                t = torch.frombuffer(buf, dtype=t_dtype).reshape(entry["shape"])
            if dtype is not None and t.is_floating_point():
                t = t.to(dtype)
            out[name] = t.to(device)
    return out


def load_metadata(path: str) -> dict:
    return read_header(path)[1]


def _tensor_bytes(t: torch.Tensor) -> bytes:
    t = t.detach().to("cpu").contiguous()
    n = t.numel() * t.element_size()
    return ctypes.string_at(t.data_ptr(), n) if n else b""


def save_file(tensors: dict[str, torch.Tensor], path: str, metadata: dict | None = None) -> None:
    """Writes tensors in name order (as the reference library does) with 8-byte alignment."""
    header: dict = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in _NAMES:
            raise EngineError(f"cannot save tensor '{name}': dtype {t.dtype} has no safetensors name")
        data = _tensor_bytes(t)
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)  # the data section starts 8-aligned
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for data in blobs:
            f.write(data)
    os.replace(tmp, path)  # a crash never leaves a half-written file under the real name


def checkpoint_files(model_dir: str) -> list[str]:
    """The safetensors files of a checkpoint dir: a sharded index wins over a single file."""
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index):
        try:
            with open(index, encoding="utf-8") as f:
                weight_map = json.load(f)["weight_map"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise EngineError(f"{index}: unreadable shard index ({e!r})") from e
        files = sorted(set(weight_map.values()))
        paths = [os.path.join(model_dir, name) for name in files]
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise EngineError(f"{index}: shard files are missing: {', '.join(missing)}")
        return paths
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return [single]
    others = sorted(f for f in os.listdir(model_dir) if f.endswith(".safetensors"))
    if others:
        return [os.path.join(model_dir, f) for f in others]
    raise EngineError(
        f"{model_dir}: no model.safetensors or model.safetensors.index.json found "
        "(only safetensors checkpoints are supported; convert .bin/.pth weights first)")


def load_checkpoint(model_dir: str, device: str = "cpu", dtype: torch.dtype | None = None) -> dict[str, torch.Tensor]:
    tensors: dict[str, torch.Tensor] = {}
    for path in checkpoint_files(model_dir):
        tensors.update(load_file(path, device=device, dtype=dtype))
    return tensors
