"""LoRA fine-tuning on chat JSONL, reporting progress as JSON lines through `emit`.

Batches are built from rows of similar length (sorted, chunked, batch order shuffled by the
seed) so little compute goes to padding; the loss is the mean over assistant tokens of each
effective batch (batch_size x grad_accum); only the LoRA parameters train (AdamW, linear
decay, gradient clipping at 1.0). Same seed, same data, same machine: same adapter.
"""

import math
import os
import random
import time
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F

from . import lora
from .arch.llama import AttentionBatch
from .checkpoint import load_model
from .errors import EngineError
from .lora_layers import routed
from .train_data import IGNORE, Example, load_examples

ADAPTER = "train"


@dataclass
class TrainArgs:
    base: str
    data: str
    out: str
    valid: str | None = None
    rank: int = 32
    alpha: float = 64.0
    dropout: float = 0.0
    target_modules: list[str] = field(default_factory=lambda: list(lora.DEFAULT_TARGETS))
    lr: float = 1e-5
    epochs: int = 5
    batch_size: int = 8
    grad_accum: int = 1
    max_seq_len: int = 1024
    seed: int = 0
    dtype: str = "fp32"
    device: str = "cpu"
    schedule: str = "linear"
    base_name: str | None = None


def _batches(examples: list[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i].ids), i))
    chunks = [[examples[i] for i in order[k:k + batch_size]] for k in range(0, len(order), batch_size)]
    rng.shuffle(chunks)
    return chunks


def _tensors(batch: list[Example], device):
    T = max(len(e.ids) for e in batch)
    ids = torch.zeros(len(batch), T, dtype=torch.long)
    labels = torch.full((len(batch), T), IGNORE, dtype=torch.long)
    for i, e in enumerate(batch):
        ids[i, :len(e.ids)] = torch.tensor(e.ids)
        labels[i, :len(e.labels)] = torch.tensor(e.labels)
    return ids.to(device), labels.to(device)


def _target_count(batch: list[Example]) -> int:
    return sum(sum(1 for lab in e.labels[1:] if lab != IGNORE) for e in batch)


def batch_loss_sum(model, batch: list[Example], device) -> tuple[torch.Tensor, int]:
    """Summed next-token loss over assistant tokens; logits only where there is a target."""
    ids, labels = _tensors(batch, device)
    B, T = ids.shape
    positions = torch.arange(T, device=device).expand(B, T)
    with routed(model.lora_routing, [ADAPTER] * B, device):
        hidden = model(ids, positions, AttentionBatch("full"))
    targets = labels[:, 1:]
    mask = targets != IGNORE
    logits = model.logits(hidden[:, :-1][mask])
    return F.cross_entropy(logits, targets[mask], reduction="sum"), int(mask.sum())


def evaluate(model, examples: list[Example], batch_size: int, device) -> float:
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for k in range(0, len(examples), batch_size):
            s, n = batch_loss_sum(model, examples[k:k + batch_size], device)
            total += float(s)
            count += n
    model.train()
    return total / max(count, 1)


def flops_per_token(cfg, trainable: int) -> float:
    """Forward + input-gradient matmuls of the frozen base (4N) + full training of LoRA (6N_lora)."""
    h, i, L = cfg.hidden_size, cfg.intermediate_size, cfg.num_hidden_layers
    q, kv = cfg.num_attention_heads * cfg.head_dim, cfg.num_key_value_heads * cfg.head_dim
    per_layer = h * (2 * q + 2 * kv) + 3 * h * i
    return 4.0 * (L * per_layer + h * cfg.vocab_size) + 6.0 * trainable


def train(args: TrainArgs, emit) -> dict:
    started = time.time()
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    for name in ("rank", "epochs", "batch_size", "grad_accum", "max_seq_len"):
        if getattr(args, name) < 1:
            raise EngineError(f"--{name.replace('_', '-')} must be at least 1")
    if args.lr <= 0:
        raise EngineError("--lr must be positive")
    loaded = load_model(args.base, dtype=args.dtype, device=args.device)
    model, device = loaded.model, loaded.device
    examples, skipped = load_examples(loaded, args.data, args.max_seq_len)
    if not examples:
        raise EngineError(f"{args.data}: no usable training rows (skipped: {dict(skipped) or 'file is empty'})")
    valid, valid_skipped = ([], {})
    if args.valid:
        valid, valid_skipped = load_examples(loaded, args.valid, args.max_seq_len)
    params = lora.add_trainable(model, ADAPTER, args.rank, args.alpha, args.dropout, args.target_modules, args.seed)
    trainable = sum(p.numel() for p in params)
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    rng = random.Random(args.seed)
    micro_per_epoch = math.ceil(len(examples) / args.batch_size)
    steps_per_epoch = math.ceil(micro_per_epoch / args.grad_accum)
    total_steps = steps_per_epoch * args.epochs
    fpt = flops_per_token(loaded.config, trainable)
    emit({"event": "start", "base": args.base, "train_rows": len(examples), "valid_rows": len(valid),
          "skipped": dict(skipped), "valid_skipped": dict(valid_skipped), "total_steps": total_steps,
          "epochs": args.epochs, "trainable_params": trainable, "flops_per_token": fpt,
          "device": str(device), "dtype": args.dtype})
    model.train()
    step, tokens_seen, train_start = 0, 0, time.time()
    losses = []
    valid_loss = None
    for epoch in range(args.epochs):
        batches = _batches(examples, args.batch_size, rng)
        for w in range(0, len(batches), args.grad_accum):
            window = batches[w:w + args.grad_accum]
            n_targets = max(1, sum(_target_count(b) for b in window))
            loss_total = 0.0
            for b in window:
                s, _ = batch_loss_sum(model, b, device)
                (s / n_targets).backward()
                loss_total += float(s.detach())  # detached: a scalar for the log, not part of the graph
                tokens_seen += sum(len(e.ids) for e in b)
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            if args.schedule == "linear":
                for g in optimizer.param_groups:
                    g["lr"] = args.lr * (1.0 - step / total_steps)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            elapsed = time.time() - train_start
            loss = loss_total / n_targets
            losses.append(loss)
            emit({"event": "step", "step": step, "total_steps": total_steps, "epoch": epoch + 1,
                  "loss": round(loss, 6), "lr": optimizer.param_groups[0]["lr"],
                  "tokens_per_s": round(tokens_seen / max(elapsed, 1e-9), 2),
                  "eta_s": round(elapsed / step * (total_steps - step), 2)})
        if valid:
            valid_loss = evaluate(model, valid, args.batch_size, device)
            emit({"event": "eval", "epoch": epoch + 1, "step": step, "valid_loss": round(valid_loss, 6)})
    base_name = args.base_name or os.path.abspath(args.base)
    cfg = lora.peft_config(args.rank, args.alpha, args.dropout, args.target_modules, base_name)
    # The adapter folder appears whole or not at all (see lora.save_peft).
    lora.save_peft(model, ADAPTER, args.out, cfg, loaded.fingerprint, extra_json={
        "training_args.json": {**asdict(args), "train_rows": len(examples), "skipped": dict(skipped),
                               "final_loss": losses[-1], "valid_loss": valid_loss,
                               "base_fingerprint": loaded.fingerprint}})
    seconds = time.time() - started
    result = {"event": "done", "adapter_dir": os.path.abspath(args.out), "train_rows": len(examples),
              "skipped": dict(skipped), "steps": step, "final_loss": round(losses[-1], 6),
              "valid_loss": None if valid_loss is None else round(valid_loss, 6),
              "tokens": tokens_seen, "tokens_per_s": round(tokens_seen / max(time.time() - train_start, 1e-9), 2),
              "seconds": round(seconds, 3)}
    emit(result)
    return result
