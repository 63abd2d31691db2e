"""Linear layers that can carry several LoRA adapters, chosen per batch row.

Every projection a LoRA could target is a LoraLinear. Each holds a dict of adapters by name;
a LoraRouting object shared by the whole model says, for the current forward pass, which rows
of the batch use which adapter (rows not listed use the base weights alone). This is how one
decode step serves requests for different adapters together.
"""

import math
from contextlib import contextmanager

import torch
import torch.nn as nn
import torch.nn.functional as F

from .batch_invariant import tiled_linear


class AdapterWeights:
    """One adapter's low-rank pair for one layer: delta = (x A^T) B^T * scaling."""

    def __init__(self, A: torch.Tensor, B: torch.Tensor, scaling: float, dropout: float = 0.0):
        self.A, self.B, self.scaling, self.dropout = A, B, scaling, dropout

    def delta(self, x: torch.Tensor, training: bool, linear=F.linear) -> torch.Tensor:
        h = x.to(self.A.dtype)
        if training and self.dropout > 0:
            h = F.dropout(h, self.dropout, True)
        return (linear(linear(h, self.A), self.B) * self.scaling).to(x.dtype)


class LoraRouting:
    """Per-forward-pass settings shared by every layer of a model.

    groups: list of (adapter name, row index tensor or None for every row).
    batch_invariant: products in fixed row tiles, so a row's result ignores its batch-mates.
    """

    def __init__(self):
        self.groups: list[tuple[str, torch.Tensor | None]] = []
        self.batch_invariant = False

    def linear(self):
        """The matrix product this pass uses."""
        return tiled_linear if self.batch_invariant else F.linear


class LoraLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool, routing: LoraRouting,
                 device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        # uninitialised: weights always come from a checkpoint (tests initialise explicitly)
        self.weight = nn.Parameter(torch.empty(out_features, in_features, device=device, dtype=dtype),
                                   requires_grad=False)
        self.bias = (nn.Parameter(torch.empty(out_features, device=device, dtype=dtype), requires_grad=False)
                     if bias else None)
        self.adapters: dict[str, AdapterWeights] = {}
        self._routing = routing

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        linear = self._routing.linear()
        y = linear(x, self.weight, self.bias)
        if not self.adapters:
            return y
        for name, rows in self._routing.groups:
            adapter = self.adapters.get(name)
            if adapter is None:
                continue
            if rows is None:
                y = y + adapter.delta(x, self.training, linear)
            else:
                y = y.index_add(0, rows, adapter.delta(x.index_select(0, rows), self.training, linear))
        return y


@contextmanager
def routed(routing: LoraRouting, adapter_per_row: list[str | None], device, batch_invariant: bool = False):
    """Sets which adapter each batch row uses (and whether products are tiled) for the forward passes inside the block."""
    names = set(adapter_per_row)
    if names == {None}:
        groups = []
    elif len(names) == 1:
        groups = [(adapter_per_row[0], None)]
    else:
        groups = []
        for name in sorted(n for n in names if n is not None):
            rows = [i for i, n in enumerate(adapter_per_row) if n == name]
            groups.append((name, torch.tensor(rows, device=device, dtype=torch.long)))
    previous = routing.groups, routing.batch_invariant
    routing.groups, routing.batch_invariant = groups, batch_invariant
    try:
        yield
    finally:
        routing.groups, routing.batch_invariant = previous


def kaiming_uniform_(t: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """nn.init.kaiming_uniform_(a=sqrt(5)) as PEFT initialises lora_A, with an explicit generator."""
    bound = 1.0 / math.sqrt(t.shape[1])
    with torch.no_grad():
        return t.uniform_(-bound, bound, generator=generator)
