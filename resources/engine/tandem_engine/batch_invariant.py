"""Decode-step kernels whose result for a row does not depend on the other rows of the batch.

A BLAS matrix product picks its code path by shape: on CPU the same input row multiplied by
the same weights gives different low-order bits when it is one of 1, 4 or 13 rows (measured
with Debian's OpenBLAS build of torch). Attention reductions over the keys likewise change
their summation order with the key length, which in a batched decode step is the longest
sequence's. Either way a sampled token can flip when a request shares a step with others.

The kernels here remove the dependence by construction:
- `tiled_linear` always multiplies fixed-shape tiles of rows (padded with zeros), so every row
  goes through the same kernel whatever the batch size. A row's place inside a tile can matter
  too (measured here with OpenBLAS: x W^T over 16 rows rounds rows 6-15 differently from rows
  0-5, while W x^T, the same product with the rows as columns, gives every one of 16 the same
  bits; over 8 rows both do), so each weight shape gets the first layout in LAYOUTS whose rows
  all give the same bits at every place, found by trying it once on first use (`layout_for`).
- `decode_attention` reduces over the keys in fixed blocks of KEY_BLOCK, summing a row's
  blocks one after another from position 0. Blocks past a row's length hold masked keys whose
  weight is exactly 0, and adding 0 changes no bit, so a row's result depends only on its own
  keys, not on how far its batch-mates reach.
- elementwise functions with a transcendental inside (SiLU's exp, attention's exp, the rotary
  table's cos/sin) take a vector path for most elements and a scalar libm path for a tensor's
  last few, and the two can differ in the last bit; with several threads each thread's slice
  has its own last few. `one_thread()` runs the decode step and the rotary table's growth on
  one intra-op thread, and every such tensor there has a length that is a multiple of 64
  (`padded_silu`; keys padded to KEY_BLOCK), so no element ever takes the scalar path.
Prefill needs neither: the runner prefills each sequence on its own (its own shapes only).
"""

import math
from contextlib import contextmanager

import torch
import torch.nn.functional as F

# (rows per tile, product form), in order of preference: the largest tile first (fewer calls),
# then rows-as-rows; one row at a time always qualifies.
LAYOUTS = ((16, "rows"), (16, "columns"), (8, "rows"), (8, "columns"), (4, "rows"), (2, "rows"), (1, "rows"))
KEY_BLOCK = 32
# Upper bound on the elements of one attention temporary (B*H*L*D, ~16 MB of fp32); rows are
# processed in groups below it. Grouping rows changes no row's result (rows never mix).
ATTENTION_CHUNK_ELEMENTS = 1 << 22


VECTOR_MULTIPLE = 64  # a multiple of every CPU vector loop's step (AVX2: 16 floats, AVX-512: 32)


def round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


@contextmanager
def one_thread():
    """Runs the block on one intra-op thread, so no elementwise op is split at size-dependent points."""
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)


def padded_silu(x: torch.Tensor) -> torch.Tensor:
    """SiLU over a last dimension padded to VECTOR_MULTIPLE, so every element takes the vector path."""
    width = x.shape[-1]
    pad = round_up(width, VECTOR_MULTIPLE) - width
    if pad == 0:
        return F.silu(x)
    return F.silu(F.pad(x, (0, pad)))[..., :width]


_layouts: dict[tuple, tuple[int, str]] = {}


def layout_for(weight: torch.Tensor, bias: torch.Tensor | None) -> tuple[int, str]:
    """The first layout in which a row's product with this weight is the same at every place."""
    key = (tuple(weight.shape), weight.dtype, weight.device.type, bias is not None)
    layout = _layouts.get(key)
    if layout is None:
        layout = _layouts[key] = next(lay for lay in LAYOUTS if _place_invariant(weight, bias, *lay))
    return layout


def _product(rows: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, form: str) -> torch.Tensor:
    if form == "rows":
        return F.linear(rows, weight, bias)
    out = torch.mm(weight, rows.t()) if bias is None else torch.addmm(bias.unsqueeze(1), weight, rows.t())
    return out.t().contiguous()


def _place_invariant(weight: torch.Tensor, bias: torch.Tensor | None, tile: int, form: str) -> bool:
    if tile == 1:
        return True
    g = torch.Generator().manual_seed(tile)
    with torch.no_grad():
        for _ in range(2):
            row = torch.randn(weight.shape[1], generator=g)
            ref = None
            for place in range(tile):
                rows = torch.randn(tile, weight.shape[1], generator=g)
                rows[place] = row
                out = _product(rows.to(weight.device, weight.dtype), weight, bias, form)[place]
                if ref is None:
                    ref = out
                elif not torch.equal(out, ref):
                    return False
    return True


def tiled_linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                 layout: tuple[int, str] | None = None) -> torch.Tensor:
    """F.linear over the rows of x in zero-padded tiles (in the weight's calibrated layout by default)."""
    tile, form = layout or layout_for(weight, bias)
    rows = x.reshape(-1, x.shape[-1])
    n = rows.shape[0]
    if n == tile:
        out = _product(rows, weight, bias, form)
    else:
        padded = round_up(max(n, 1), tile)
        if padded != n:
            rows = torch.cat([rows, rows.new_zeros(padded - n, rows.shape[1])])
        out = torch.cat([_product(rows[i:i + tile], weight, bias, form) for i in range(0, padded, tile)])[:n]
    return out.reshape(*x.shape[:-1], weight.shape[0])


def decode_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
    """q [B,H,1,D] against cached k/v [B,KV,L,D] (L a multiple of KEY_BLOCK), key_mask [B,1,1,L]."""
    B, H, _, D = q.shape
    L = k.shape[2]
    if L % KEY_BLOCK:
        raise ValueError(f"decode_attention: key length {L} is not a multiple of {KEY_BLOCK}")
    group = max(1, ATTENTION_CHUNK_ELEMENTS // max(1, H * L * D))
    if group >= B:
        return _attend(q, k, v, key_mask)
    return torch.cat([_attend(q[i:i + group], k[i:i + group], v[i:i + group], key_mask[i:i + group])
                      for i in range(0, B, group)])


def _attend(q, k, v, key_mask):
    B, H, _, D = q.shape
    kv, L = k.shape[1], k.shape[2]
    rep, blocks = H // kv, L // KEY_BLOCK
    qg = q.reshape(B, kv, rep, 1, D).float()
    # scores: one dot product over D per key (a reduction over D only, the same for every L)
    scores = (qg * k.float().unsqueeze(2)).sum(-1) * (1.0 / math.sqrt(D))  # [B,KV,rep,L]
    scores = scores.masked_fill(~key_mask.view(B, 1, 1, L), float("-inf"))
    top = scores.amax(-1, keepdim=True)  # a max is exact in any order
    weights = torch.exp(scores - top).view(B, kv, rep, blocks, KEY_BLOCK)  # masked keys: exactly 0
    # per block a fixed-size reduction, then the blocks summed in order by a running sum
    total = weights.sum(-1).cumsum(-1)[..., -1:]  # [B,KV,rep,1]
    vb = v.float().view(B, kv, 1, blocks, KEY_BLOCK, D)
    mixed = (weights.unsqueeze(-1) * vb).sum(-2).cumsum(-2)[..., -1, :]  # [B,KV,rep,D]
    return (mixed / total).to(q.dtype).reshape(B, H, 1, D)
