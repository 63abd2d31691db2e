"""A slot-based KV cache for continuous batching.

Each running sequence owns one row ("slot") of per-layer tensors [slots, kv_heads, capacity,
head_dim] and has its own length, so sequences of different lengths decode together: a decode
step writes each row's new key/value at that row's position and masks keys past it. Running
sequences always occupy rows 0..n-1 (a finished row is refilled by moving the last one down),
so the decode step reads plain slices instead of gathering.
"""

import torch


class KVCache:
    def __init__(self, num_layers: int, slots: int, kv_heads: int, head_dim: int, dtype, device,
                 max_capacity: int, capacity: int = 256):
        self.num_layers, self.slots, self.kv_heads, self.head_dim = num_layers, slots, kv_heads, head_dim
        self.dtype, self.device = dtype, device
        self.max_capacity = max_capacity
        self.capacity = 0
        self.k: list[torch.Tensor] = []
        self.v: list[torch.Tensor] = []
        self.ensure(min(capacity, max_capacity))

    def ensure(self, needed: int) -> None:
        """Grows the time dimension (doubling) so positions < needed fit."""
        if needed <= self.capacity:
            return
        new_cap = max(needed, min(self.max_capacity, max(64, self.capacity * 2)))
        shape = (self.slots, self.kv_heads, new_cap, self.head_dim)
        for store in (self.k, self.v):
            for layer in range(self.num_layers):
                fresh = torch.zeros(shape, dtype=self.dtype, device=self.device)
                if layer < len(store):
                    fresh[:, :, :self.capacity] = store[layer]
                    store[layer] = fresh
                else:
                    store.append(fresh)
        self.capacity = new_cap

    def move(self, src: int, dst: int, length: int) -> None:
        """Copies the first `length` positions of row src into row dst (compaction)."""
        if src == dst or length == 0:
            return
        for store in (self.k, self.v):
            for t in store:
                t[dst, :, :length] = t[src, :, :length]

    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.k + self.v)
