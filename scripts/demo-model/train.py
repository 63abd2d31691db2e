"""Trains the demo model from scratch: full-parameter training of a small Llama on the synthetic corpus.

The network is the engine's own Llama (network.py builds it from tandem_engine.arch.llama), so
the exported checkpoint is served by the code that trained it. Episodes (chat rows from
generate-corpus.ts) are rendered with the tokenizer's chat template, tokenized with the engine's
tokenizer and batched one episode per row, rows bucketed by length (--batching pack instead packs
--seq-len rows with a block-diagonal causal mask and per-episode positions), and trained with the
loss on every token. A curriculum sets the task mixture: copying tasks first, then classification,
arithmetic and QA are mixed in.

Seeded and resumable: the batch of step s depends only on (seed, s), and a checkpoint
(<out>/ckpt.pt: weights, optimizer, step) is written every --ckpt-minutes; rerunning the same
command resumes from it. Every checkpoint also exports the Hugging Face folder <out>/hf
(config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json)
that the engine loads. Logs are JSON lines on stdout and in <out>/log.jsonl.

Usage:
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/demo-model/train.py --corpus DIR --tokenizer DIR --out DIR
      [--hidden 192 --layers 4 --heads 4 --intermediate 512] [--minutes 110] [--threads 1] [--seed 0]
"""

import argparse
import contextlib
import copy
import glob
import json
import math
import os
import random
import shutil
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "engine"))
sys.path.insert(0, HERE)
import network  # noqa: E402  (the engine's Llama, as the recipe trains it)
from tandem_engine import safetensors_io  # noqa: E402
from tandem_engine.chat_template import ChatTemplate  # noqa: E402
from tandem_engine.tokenizer import Tokenizer  # noqa: E402

TASKS = ["recite", "copy", "lookup", "compare", "rule", "classify", "arith", "qa"]
# Curriculum: (start of phase as a fraction of training, task weights). Weights interpolate linearly
# between phases, so tasks fade in instead of switching abruptly.
CURRICULUM = [
    (0.00, {"recite": 8, "copy": 2, "lookup": 1, "compare": 0, "rule": 0, "classify": 0, "arith": 0, "qa": 0}),
    (0.20, {"recite": 4, "copy": 3, "lookup": 3, "compare": 2, "rule": 1, "classify": 0.5, "arith": 0.25, "qa": 0.25}),
    (0.40, {"recite": 1, "copy": 1, "lookup": 2, "compare": 1.5, "rule": 1.5, "classify": 4, "arith": 1, "qa": 1}),
    (1.00, {"recite": 0.5, "copy": 1, "lookup": 2, "compare": 1, "rule": 1.5, "classify": 5, "arith": 1, "qa": 1}),
]
# Second stage (from the first stage's weights): a constant mixture weighted towards classification
# with classes named in the prompt (the corpus for it has class names over the whole alphabet and
# more zero-shot episodes), keeping every other skill in the mix.
STAGE2_MIX = {"recite": 0.5, "copy": 1.5, "lookup": 1.5, "compare": 1, "rule": 2, "classify": 5, "arith": 0.5, "qa": 0.5}
STAGE2 = [(0.0, STAGE2_MIX), (1.0, STAGE2_MIX)]
# Diagnostic curriculum: only the copying tasks (does in-context copying form at all?).
COPY_ONLY = [(0.0, {"recite": 6, "copy": 3, "lookup": 1, "compare": 0, "rule": 0, "classify": 0, "arith": 0, "qa": 0}),
             (1.0, {"recite": 6, "copy": 3, "lookup": 1, "compare": 0, "rule": 0, "classify": 0, "arith": 0, "qa": 0})]


def mixture(progress: float, curriculum=None) -> dict:
    curriculum = curriculum or CURRICULUM
    for (p0, w0), (p1, w1) in zip(curriculum, curriculum[1:]):
        if progress <= p1:
            t = 0.0 if p1 == p0 else (progress - p0) / (p1 - p0)
            return {k: (1 - t) * w0[k] + t * w1[k] for k in TASKS}
    return dict(curriculum[-1][1])


# ---------------------------------------------------------------- data

_ENC = {}


def _encoder_init(tok, template):
    _ENC["tok"], _ENC["template"] = tok, template


def _encode_line(line):
    return _ENC["tok"].encode(_ENC["template"].render(json.loads(line)["messages"], add_generation_prompt=False))


class Corpus:
    def __init__(self, corpus_dir, tok_dir, split="train"):
        self.tok = Tokenizer.from_dir(tok_dir)
        cfg = json.load(open(os.path.join(tok_dir, "tokenizer_config.json"), encoding="utf-8"))
        self.template = ChatTemplate(cfg["chat_template"], None, cfg["eos_token"])
        self.lines = {}
        for t in TASKS:
            with open(os.path.join(corpus_dir, split, f"{t}.jsonl"), encoding="utf-8") as f:
                self.lines[t] = f.readlines()
        self.cache = {}

    def preencode(self, workers, log=None):
        """Encodes every episode up front with a process pool: a GPU consumes the corpus many times
        faster than one Python process tokenizes it (the CPU run encodes lazily instead)."""
        import multiprocessing as mp
        t0 = time.time()
        with mp.get_context("fork").Pool(workers, initializer=_encoder_init, initargs=(self.tok, self.template)) as pool:
            for t in TASKS:
                encoded = pool.map(_encode_line, self.lines[t], chunksize=256)
                for i, seq in enumerate(encoded):
                    self.cache[(t, i)] = seq
        if log:
            log({"event": "preencoded", "episodes": len(self.cache), "tokens": sum(map(len, self.cache.values())),
                 "seconds": round(time.time() - t0, 1)})

    def ids(self, task, i):
        key = (task, i)
        if key not in self.cache:
            row = json.loads(self.lines[task][i])
            self.cache[key] = self.tok.encode(self.template.render(row["messages"], add_generation_prompt=False))
        return self.cache[key]

    def bucketed(self, rng, weights, token_budget, max_len, micro_tokens):
        """Draws episodes (tasks by weight) until token_budget tokens, then groups them by length into
        micro-batches of at most micro_tokens padded tokens: one episode per row, no cross-episode
        attention and far less attention work than packing short episodes into long rows."""
        tasks = [t for t in TASKS if weights[t] > 0]
        w = [weights[t] for t in tasks]
        seqs, total, counts = [], 0, {}
        while total < token_budget:
            t = rng.choices(tasks, w)[0]
            seq = self.ids(t, rng.randrange(len(self.lines[t])))
            if len(seq) > max_len:
                continue
            seqs.append(seq)
            total += len(seq)
            counts[t] = counts.get(t, 0) + 1
        seqs.sort(key=len)
        groups, cur = [], []
        for seq in seqs:
            if cur and (len(cur) + 1) * len(seq) > micro_tokens:
                groups.append(cur)
                cur = []
            cur.append(seq)
        if cur:
            groups.append(cur)
        out = []
        for g in groups:
            L = len(g[-1])
            ids = torch.zeros(len(g), L, dtype=torch.long)
            tgt = torch.full((len(g), L), -100, dtype=torch.long)
            for i, seq in enumerate(g):
                ids[i, :len(seq)] = torch.tensor(seq)
                tgt[i, :len(seq) - 1] = torch.tensor(seq[1:])
            pos = torch.arange(L).unsqueeze(0).expand(len(g), L)
            out.append((ids, pos, tgt))
        return out, counts

    def batch(self, rng, weights, batch_size, seq_len):
        """Packs random episodes (tasks drawn by weight) into batch_size rows of seq_len tokens."""
        tasks = [t for t in TASKS if weights[t] > 0]
        w = [weights[t] for t in tasks]
        ids = torch.zeros(batch_size, seq_len, dtype=torch.long)
        pos = torch.zeros(batch_size, seq_len, dtype=torch.long)
        doc = torch.full((batch_size, seq_len), -1, dtype=torch.long)
        tgt = torch.full((batch_size, seq_len), -100, dtype=torch.long)
        counts = {}
        for b in range(batch_size):
            cur, d, misses = 0, 0, 0
            while cur < seq_len and misses < 4:
                t = rng.choices(tasks, w)[0]
                seq = self.ids(t, rng.randrange(len(self.lines[t])))
                if len(seq) > seq_len:
                    misses += 1
                    continue
                if cur + len(seq) > seq_len:
                    misses += 1
                    continue
                n = len(seq)
                ids[b, cur:cur + n] = torch.tensor(seq)
                pos[b, cur:cur + n] = torch.arange(n)
                doc[b, cur:cur + n] = d
                tgt[b, cur:cur + n - 1] = torch.tensor(seq[1:])
                counts[t] = counts.get(t, 0) + 1
                cur += n
                d += 1
            # padding: its own "document" per position so nothing attends across; targets ignored
            if cur < seq_len:
                doc[b, cur:] = torch.arange(1000, 1000 + seq_len - cur)
        return ids, pos, doc, tgt, counts


# ---------------------------------------------------------------- copy diagnostic

def copy_probe_set(data, corpus_dir, n=16):
    """Held-out copy episodes with long values: (ids, start of the value in the user turn, start of
    its copy in the assistant turn, value length). Used to watch in-context copying (induction) form."""
    out = []
    with open(os.path.join(corpus_dir, "eval", "copy.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            val = next(v for k, v in row["answer"].items() if k != "reasoning")
            if len(val.split()) < 8:
                continue
            ids = data.tok.encode(data.template.render(row["messages"], add_generation_prompt=False))
            sub = data.tok.encode(val)[1:]
            locs = [i for i in range(len(ids) - len(sub)) if ids[i:i + len(sub)] == sub]
            if len(locs) >= 2:
                out.append((ids, locs[-2], locs[-1], len(sub)))
            if len(out) >= n:
                break
    return out


def copy_gap(model, probes, device="cpu"):
    """Mean NLL per token of a long value where it first appears (unpredictable) and where the
    assistant copies it (predictable only by copying). Equal numbers mean the model cannot copy."""
    first = copied = 0.0
    with torch.no_grad():
        for ids, a, b, n in probes:
            x = torch.tensor([ids], device=device)
            lp = torch.log_softmax(network.logits(model, x, torch.arange(len(ids), device=device).unsqueeze(0))[0], -1)
            nll = [-lp[i - 1, ids[i]].item() for i in range(1, len(ids))]
            first += sum(nll[a - 1:a - 1 + n]) / n
            copied += sum(nll[b - 1:b - 1 + n]) / n
    k = max(1, len(probes))
    return round(first / k, 3), round(copied / k, 3)


# ---------------------------------------------------------------- induction warm-up

def induction_spans(data, n=4000, span=48):
    """Token spans of recite values (pseudo-words, numbers, codes) for the induction rows."""
    out = []
    for line in data.lines["recite"][:n]:
        row = json.loads(line)
        ids = data.tok.encode(next(iter(row["answer"].values())))
        if len(ids) >= span:
            out.append(ids[:span])
    return out


def induction_batch(rng, spans, rows, vocab=None):
    """Rows of [span, filler, span] with a random span length (6-40) and filler (0-40 tokens), so
    the copy sits at a different distance in every row: only attending by content (an induction
    head) predicts the second span; a fixed-offset head cannot. Half the rows are uniform random
    tokens (nothing but copying predicts them: the cleanest signal), half recite spans (the
    pseudo-words the corpus copies). Returns (ids, pos, tgt, mask of the copy's targets)."""
    seqs, marks = [], []
    for r in range(rows):
        n = rng.randint(6, 40)
        k = rng.randint(0, 40)
        if vocab and r % 2 == 0:
            a = [rng.randrange(16, vocab) for _ in range(n)]
            filler = [rng.randrange(16, vocab) for _ in range(k)]
        else:
            a = rng.choice(spans)[:n]
            filler = [t for s in (rng.choice(spans) for _ in range(2)) for t in s][:k]
        seqs.append(a + filler + a)
        marks.append(len(a) + len(filler))
    L = max(len(s) for s in seqs)
    ids = torch.zeros(rows, L, dtype=torch.long)
    tgt = torch.full((rows, L), -100, dtype=torch.long)
    second = torch.zeros(rows, L, dtype=torch.bool)
    for i, (seq, m) in enumerate(zip(seqs, marks)):
        ids[i, :len(seq)] = torch.tensor(seq)
        tgt[i, :len(seq) - 1] = torch.tensor(seq[1:])
        second[i, m:len(seq) - 1] = True  # targets inside the copy (its first token is not predictable)
    pos = torch.arange(L).unsqueeze(0).expand(rows, L)
    return ids, pos, tgt, second


def induction_warmup(model, opt, data, args, vocab, log):
    """Dense in-context copying before the adapter-format curriculum. Inside the chat format copy
    targets are a small share of the tokens and no probe formed an induction circuit; on rows
    made of nothing but variable-distance copies it forms, and the curriculum keeps it alive
    with a share of these rows in every step (--induction-mix)."""
    rng = random.Random(args.seed + 7)
    spans = induction_spans(data)
    t0 = time.time()
    repeat = float("nan")
    for i in range(args.induction_steps):
        ids, pos, tgt, second = (t.to(args.device) for t in induction_batch(rng, spans, args.induction_rows, vocab - 8))
        for g in opt.param_groups:
            g["lr"] = args.lr * min(1.0, (i + 1) / args.warmup)
        with autocast(args.device):
            logits = network.logits(model, ids, pos)
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), tgt.reshape(-1), ignore_index=-100)
        with torch.no_grad():
            repeat = F.cross_entropy(logits[second].float(), tgt[second]).item()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (i + 1) % 50 == 0:
            log({"event": "induction", "step": i + 1, "repeat_nll": round(repeat, 3), "seconds": round(time.time() - t0)})
        if repeat < 0.5:
            break
    log({"event": "induction_done", "step": i + 1, "repeat_nll": round(repeat, 3), "seconds": round(time.time() - t0)})


# ---------------------------------------------------------------- device helpers

def autocast(device):
    """bf16 autocast on a GPU (weights and optimizer stay fp32); plain fp32 on the CPU."""
    if device.startswith("cuda"):
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


class WeightEMA:
    """An exponential moving average of the weights. Out-of-distribution behaviour (Iris prompts)
    swung widely from checkpoint to checkpoint of the raw weights even late in the decay; the average
    over the last ~1/(1-decay) steps is what gets exported as the model."""

    def __init__(self, model, decay):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        src = [p.detach() for p in model.parameters()]
        dst = list(self.model.parameters())
        if hasattr(torch, "_foreach_lerp_"):  # one fused kernel per group on torch >= 2
            torch._foreach_lerp_(dst, src, 1.0 - self.decay)
        else:
            for d, p in zip(dst, src):
                d.mul_(self.decay).add_(p, alpha=1.0 - self.decay)


# ---------------------------------------------------------------- export

def export_hf(model, args, vocab_size, tok_dir, out_dir, extra=None):
    os.makedirs(out_dir, exist_ok=True)
    tensors = {k: v.detach().to(torch.bfloat16 if args.export_dtype == "bf16" else torch.float32).contiguous()
               for k, v in model.state_dict().items()}
    tmp = os.path.join(out_dir, "model.safetensors.tmp")
    safetensors_io.save_file(tensors, tmp, {"format": "pt"})
    os.replace(tmp, os.path.join(out_dir, "model.safetensors"))
    tok_cfg = json.load(open(os.path.join(tok_dir, "tokenizer_config.json"), encoding="utf-8"))
    tok = json.load(open(os.path.join(tok_dir, "tokenizer.json"), encoding="utf-8"))
    ids = {t["content"]: t["id"] for t in tok["added_tokens"]}
    eos = ids[tok_cfg["eos_token"]]
    cfg = {
        **network.architecture(vocab_size, args.hidden, args.layers, args.heads, args.intermediate, args.max_positions),
        "bos_token_id": None, "eos_token_id": eos, "pad_token_id": ids.get("<|pad|>"),
        "torch_dtype": "bfloat16" if args.export_dtype == "bf16" else "float32", "_name_or_path": "tandem-demo",
    }
    if extra:
        cfg["tandem_training"] = extra
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": eos, "bos_token_id": None, "pad_token_id": ids.get("<|pad|>")}, f, indent=1)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        with open(os.path.join(tok_dir, name), encoding="utf-8") as src, \
                open(os.path.join(out_dir, name), "w", encoding="utf-8") as dst:
            dst.write(src.read())


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tokenizer", required=True, help="folder with tokenizer.json + tokenizer_config.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--max-positions", type=int, default=2048)
    ap.add_argument("--seq-len", type=int, default=768, help="longest episode (and packed row length)")
    ap.add_argument("--batch-size", type=int, default=5, help="tokens per step = batch-size x seq-len")
    ap.add_argument("--batching", choices=["bucket", "pack"], default="bucket")
    ap.add_argument("--micro-tokens", type=int, default=2048, help="bucket: padded tokens per micro-batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--steps", type=int, default=0, help="total steps (0: derive from --minutes and measured speed)")
    ap.add_argument("--minutes", type=float, default=110.0, help="wall-clock budget for this run (all resumed calls together)")
    ap.add_argument("--ckpt-minutes", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--export-dtype", choices=["fp32", "bf16"], default="fp32")
    ap.add_argument("--curriculum", choices=["full", "stage2", "copy-only"], default="full")
    ap.add_argument("--gate-ratio", type=float, default=0.5,
                    help="leave the copying phase once copied NLL < ratio x first NLL (0: no gate, time-based)")
    ap.add_argument("--gate-every", type=int, default=100, help="steps between copy-gate checks")
    ap.add_argument("--gate-max", type=float, default=0.5, help="leave the copying phase by this fraction of the run")
    ap.add_argument("--init-from", help="start from this ckpt.pt's weights (fresh optimizer and schedule)")
    ap.add_argument("--bench", type=int, default=0, help="time this many steps and exit")
    ap.add_argument("--induction-mix", type=float, default=0.25,
                    help="share of each step's tokens that are induction rows during the curriculum")
    ap.add_argument("--induction-steps", type=int, default=2500,
                    help="warm-up on dense [span, span] copy rows before the curriculum (0: none)")
    ap.add_argument("--induction-rows", type=int, default=32, help="rows per induction warm-up step")
    ap.add_argument("--device", default="auto", help="cpu, cuda or auto (cuda when available)")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="decay of a weight EMA exported as the model (0: export the raw weights)")
    ap.add_argument("--encode-workers", type=int, default=0,
                    help="tokenize the whole corpus up front with this many processes (0: lazily, one process)")
    ap.add_argument("--mirror", help="copy the exported weights and the log here at every checkpoint")
    ap.add_argument("--stop-at", type=int, default=0,
                    help="end the run after this step, the schedule still being --steps long (a dev-chosen snapshot, made again)")
    ap.add_argument("--snapshots", help="keep every checkpoint's exported model as <dir>/step-N (out-of-distribution "
                    "behaviour swings between checkpoints, so a decision rule may need more than the last one)")
    args = ap.parse_args()
    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log_f = open(os.path.join(args.out, "log.jsonl"), "a")

    def log(ev):
        line = json.dumps(ev)
        print(line, flush=True)
        log_f.write(line + "\n")
        log_f.flush()

    data = Corpus(args.corpus, args.tokenizer)
    if args.encode_workers > 0:
        data.preencode(args.encode_workers, log)
    vocab = max(t["id"] for t in json.load(open(os.path.join(args.tokenizer, "tokenizer.json")))["added_tokens"]) + 1
    model = network.build(vocab, args.hidden, args.layers, args.heads, args.intermediate,
                          args.max_positions).to(args.device)
    dev = args.device
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    ckpt_path = os.path.join(args.out, "ckpt.pt")
    step, total_steps, elapsed_before, ck_tokens, ck_gate, ck_ema = 0, args.steps, 0.0, 0, None, None
    if args.init_from and not os.path.exists(ckpt_path):
        model.load_state_dict(torch.load(args.init_from, map_location=dev)["model"])
        log({"event": "init_from", "path": args.init_from})
    if os.path.exists(ckpt_path) and not args.bench:
        ck = torch.load(ckpt_path, map_location=dev)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, total_steps, elapsed_before = ck["step"], ck["total_steps"], ck["elapsed"]
        ck_tokens = ck.get("tokens", 0)
        ck_gate = ck.get("gate_step")
        ck_ema = ck.get("ema")
        if args.steps and args.steps != total_steps:
            # A new length for a resumed run (e.g. to fit a time budget): the schedule stretches or
            # shrinks from here; the curriculum and learning rate follow the new total.
            log({"event": "reschedule", "step": step, "from_total": total_steps, "to_total": args.steps})
            total_steps = max(step + 1, args.steps)
        log({"event": "resume", "step": step, "total_steps": total_steps, "elapsed_s": round(elapsed_before)})
    log({"event": "start", "params": n_params, "vocab": vocab, "args": vars(args)})

    def save(final=False):
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "total_steps": total_steps,
                    "elapsed": elapsed_before + (time.time() - t_start), "tokens": tokens_seen, "gate_step": gate_step,
                    "ema": ema_w.model.state_dict() if ema_w else None, "args": vars(args)}, tmp)
        os.replace(tmp, ckpt_path)
        info = {"step": step, "total_steps": total_steps, "tokens": tokens_seen, "params": n_params,
                "seconds": round(elapsed_before + time.time() - t_start), "seed": args.seed, "device": dev,
                "ema": args.ema or None}
        # The exported model (hf/) is the EMA when there is one; the raw weights go to hf-raw/.
        export_hf(ema_w.model if ema_w else model, args, vocab, args.tokenizer, os.path.join(args.out, "hf"), info)
        if ema_w:
            export_hf(model, args, vocab, args.tokenizer, os.path.join(args.out, "hf-raw"), {**info, "ema": None})
        model.eval()
        first, copied = copy_gap(model, probes, dev)
        model.train()
        log({"event": "checkpoint", "step": step, "final": final, "copy_nll_first": first, "copy_nll_copied": copied})
        if args.snapshots:
            snap = os.path.join(args.snapshots, f"step-{step}")
            shutil.rmtree(snap, ignore_errors=True)
            shutil.copytree(os.path.join(args.out, "hf"), snap)
        if args.mirror:
            os.makedirs(args.mirror, exist_ok=True)
            shutil.copy(os.path.join(args.out, "hf", "model.safetensors"), os.path.join(args.mirror, "model.safetensors"))
            for name in ("config.json", "generation_config.json"):
                shutil.copy(os.path.join(args.out, "hf", name), os.path.join(args.mirror, name))
            if ema_w:
                shutil.copy(os.path.join(args.out, "hf-raw", "model.safetensors"), os.path.join(args.mirror, "model-raw.safetensors"))
            shutil.copy(os.path.join(args.out, "log.jsonl"), os.path.join(args.mirror, "log.jsonl"))

    probes = copy_probe_set(data, args.corpus)
    ind_spans = induction_spans(data)
    if step == 0 and args.induction_steps > 0 and not args.init_from and not args.bench:
        induction_warmup(model, opt, data, args, vocab, log)
        model.eval()
        first, copied = copy_gap(model, probes, dev)
        model.train()
        log({"event": "induction_copy_gap", "copy_nll_first": first, "copy_nll_copied": copied})
    gate_step = ck_gate if args.gate_ratio > 0 else 0
    curriculum = {"copy-only": COPY_ONLY, "stage2": STAGE2}.get(args.curriculum, CURRICULUM)
    t_start = time.time()
    last_ckpt = t_start
    tokens_seen = ck_tokens if step else 0
    ema = None
    # The weight EMA starts with the curriculum (the warm-up's weights are far from the final ones).
    ema_w = WeightEMA(model, args.ema) if args.ema > 0 else None
    if ema_w and step and ck_ema is not None:
        ema_w.model.load_state_dict(ck_ema)
    t_speed = None
    while True:
        if total_steps and step >= total_steps:
            break
        if args.stop_at and step >= args.stop_at:
            break
        progress = step / total_steps if total_steps else 0.0
        # Copy gate: the curriculum stays in its first (copying) phase until the copy diagnostic
        # shows in-context copying (copied NLL < gate_ratio x first NLL), or until gate_max of the
        # run; the remaining phases are then spread over the remaining steps.
        if gate_step is None and total_steps and step % args.gate_every == 0 and step > 0:
            model.eval()
            first, copied = copy_gap(model, probes, dev)
            model.train()
            opened = copied < args.gate_ratio * first
            if opened or progress >= args.gate_max:
                gate_step = step
                log({"event": "copy_gate", "step": step, "opened": opened, "copy_nll_first": first,
                     "copy_nll_copied": copied})
        if gate_step is None:
            mix_progress = 0.0
        else:
            mix_progress = CURRICULUM[1][0] + (1 - CURRICULUM[1][0]) * (step - gate_step) / max(1, total_steps - gate_step)
        rng = random.Random(args.seed * 1_000_003 + step)
        if args.batching == "pack":
            ids, pos, doc, tgt, counts = data.batch(rng, mixture(mix_progress if args.gate_ratio > 0 else progress, curriculum), args.batch_size, args.seq_len)
            micro = [(ids, pos, doc, tgt)]
        else:
            groups, counts = data.bucketed(rng, mixture(mix_progress if args.gate_ratio > 0 else progress, curriculum), args.batch_size * args.seq_len, args.seq_len,
                                           args.micro_tokens)
            micro = [(ids, pos, None, tgt) for ids, pos, tgt in groups]
        if args.induction_mix > 0:
            rows = max(1, round(args.induction_mix * args.batch_size * args.seq_len / 66))
            ids, pos, tgt, _ = induction_batch(random.Random(args.seed * 7_000_003 + step), ind_spans, rows, vocab - 8)
            micro.append((ids, pos, None, tgt))
            counts["induction"] = rows
        micro = [tuple(None if t is None else t.to(dev, non_blocking=True) for t in m) for m in micro]
        if total_steps:
            lr_t = min(1.0, (step + 1) / args.warmup)
            lr_t *= args.min_lr_frac + (1 - args.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * progress))
        else:
            lr_t = min(1.0, (step + 1) / args.warmup)
        for g in opt.param_groups:
            g["lr"] = args.lr * lr_t
        t0 = time.time()
        opt.zero_grad(set_to_none=True)
        n_tok = sum(int((m[3] != -100).sum()) for m in micro)
        loss_sum = torch.zeros((), device=dev)
        for ids, pos, doc, tgt in micro:
            with autocast(dev):
                logits = network.logits(model, ids, pos, doc)
            part = F.cross_entropy(logits.float().reshape(-1, vocab), tgt.reshape(-1), ignore_index=-100, reduction="sum")
            (part / n_tok).backward()
            loss_sum += part.detach()
        loss = (loss_sum / n_tok).cpu()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if ema_w:
            ema_w.update(model)
        step += 1
        tokens_seen += n_tok
        dt = time.time() - t0
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if args.bench and step >= args.bench:
            log({"event": "bench", "step_s": round(dt, 3), "tokens_per_s": round(n_tok / dt), "params": n_params})
            return
        if not total_steps and step == 10:
            t_speed = time.time()
        if not total_steps and step == 30:
            # Derive the schedule from measured speed (steps 10-30: past start-up and kernel warm-up)
            # so the whole run fits --minutes.
            per_step = (time.time() - t_speed) / 20
            total_steps = max(step + 1, step + int((args.minutes * 60 - (time.time() - t_start)) / per_step))
            log({"event": "schedule", "total_steps": total_steps, "step_s": round(per_step, 3)})
        if step % 10 == 0 or step == 1:
            log({"event": "step", "step": step, "total_steps": total_steps, "loss": round(loss.item(), 4),
                 "loss_ema": round(ema, 4), "lr": round(args.lr * lr_t, 6), "grad_norm": round(float(gn), 3),
                 "tokens": tokens_seen, "tok_s": round(n_tok / dt), "mix": counts,
                 "elapsed_s": round(elapsed_before + time.time() - t_start)})
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            save()
            last_ckpt = time.time()
    save(final=True)
    log({"event": "done", "step": step, "tokens": tokens_seen, "seconds": round(elapsed_before + time.time() - t_start)})


if __name__ == "__main__":
    main()
