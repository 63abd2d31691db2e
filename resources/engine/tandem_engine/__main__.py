"""CLI: serve | train | info | make-tiny | bench-matmul. Machine-readable output is JSON lines
on stdout (one object per line); human logs go to stderr. Exit codes: 0 ok, 1 error (an
{"event":"error"} line says why), 2 bad arguments, 3 port in use."""

import argparse
import json
import logging
import os
import signal
import sys
import time


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _threads(n):
    import torch
    if n:
        torch.set_num_threads(n)


TOKEN_ENV = "TANDEM_ENGINE_TOKEN"
MIN_TOKEN_CHARS = 16


def _serve_token(a):
    """The bearer token every request must carry (None with --no-auth), read from the environment
    and removed from it, so nothing the engine starts inherits it. Tokens never go on the command
    line, where other users' `ps` could read them."""
    token = os.environ.pop(TOKEN_ENV, "").strip()
    from .errors import EngineError
    if a.no_auth:
        logging.getLogger("tandem_engine").warning(
            "--no-auth: any program on this machine can use this server and load adapters into it")
        return None
    if not token:
        raise EngineError(f"no access token: set {TOKEN_ENV} to a random secret that clients send as "
                          "'Authorization: Bearer <token>', or pass --no-auth to serve without one", "no_token")
    if len(token) < MIN_TOKEN_CHARS:
        raise EngineError(f"{TOKEN_ENV} is shorter than {MIN_TOKEN_CHARS} characters; use a long random secret",
                          "no_token")
    return token


def cmd_serve(a) -> int:
    from .checkpoint import load_model
    from .server import Access, Engine, bind, serve
    access = Access(_serve_token(a), a.host)
    server = bind(a.host, a.port)
    _threads(a.threads)
    loaded = load_model(a.model, dtype=a.dtype, device=a.device)
    engine = Engine(loaded, a.served_name or loaded.name, max_batch=a.max_batch, adapter_root=a.adapter_root)
    def ready(host, port):
        for spec in a.adapter or []:
            name, _, path = spec.partition("=")
            engine.load_adapter({"lora_name": name, "lora_path": path}, trusted=True)
        emit({"event": "listening", "port": port, "base_url": f"http://{host}:{port}/v1",
              "model": engine.served_name, "adapters": sorted(engine.adapters), "device": str(loaded.device),
              "dtype": a.dtype, "max_batch": a.max_batch, "max_context": loaded.max_context,
              "auth": access.token is not None, "adapter_root": engine.adapter_root is not None})
    signal.signal(signal.SIGTERM, lambda *_: threading_shutdown(server))
    serve(server, engine, ready, access)
    return 0


def threading_shutdown(server) -> None:
    import threading
    threading.Thread(target=server.shutdown, daemon=True).start()


def cmd_train(a) -> int:
    from .train import TrainArgs, train
    _threads(a.threads)
    targets = a.target_modules
    if len(targets) == 1 and "," in targets[0]:
        targets = [t for t in targets[0].split(",") if t]
    args = TrainArgs(base=a.base, data=a.data, out=a.out, valid=a.valid, rank=a.rank, alpha=a.alpha,
                     dropout=a.dropout, target_modules=targets, lr=a.lr, epochs=a.epochs, batch_size=a.batch_size,
                     grad_accum=a.grad_accum, max_seq_len=a.max_seq_len, seed=a.seed, dtype=a.dtype,
                     device=a.device, schedule=a.schedule, base_name=a.base_name)
    train(args, emit)
    return 0


def cmd_info(a) -> int:
    from .chat_template import find_template
    from .config import load_config
    from .safetensors_io import checkpoint_files, read_header
    from .tokenizer import Tokenizer
    cfg = load_config(a.dir)
    tok = Tokenizer.from_dir(a.dir)
    params = 0
    for path in checkpoint_files(a.dir):
        for entry in read_header(path)[0].values():
            n = 1
            for d in entry["shape"]:
                n *= d
            params += n
    tok_cfg = {}
    p = os.path.join(a.dir, "tokenizer_config.json")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            tok_cfg = json.load(f)
    emit({"event": "info", **cfg.summary(), "parameters": params, "tokenizer_vocab": tok.vocab_size,
          "eos_token_ids": cfg.eos_token_ids, "has_chat_template": find_template(a.dir, tok_cfg) is not None})
    return 0


def cmd_make_tiny(a) -> int:
    from .tiny_checkpoint import make_tiny
    path = make_tiny(a.dir, kind=a.kind, seed=a.seed, hidden=a.hidden, layers=a.layers, heads=a.heads,
                     kv_heads=a.kv_heads, intermediate=a.intermediate, vocab_size=a.vocab_size, shards=a.shards)
    emit({"event": "created", "dir": os.path.abspath(path), "kind": a.kind})
    return 0


def cmd_bench_matmul(a) -> int:
    """This machine's dense matmul rate, the denominator of MFU."""
    import torch
    from .checkpoint import resolve_device, resolve_dtype
    _threads(a.threads)
    dev, dt = resolve_device(a.device), resolve_dtype(a.dtype)
    x = torch.randn(a.size, a.size, device=dev, dtype=dt)
    y = torch.randn(a.size, a.size, device=dev, dtype=dt)
    for _ in range(2):
        x @ y
    reps, t0 = 0, time.time()
    while time.time() - t0 < a.seconds:
        x @ y
        reps += 1
    if dev.type == "cuda":
        torch.cuda.synchronize()
    dt_s = time.time() - t0
    emit({"event": "matmul", "size": a.size, "dtype": a.dtype, "device": str(dev),
          "flops_per_s": 2 * a.size ** 3 * reps / dt_s})
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m tandem_engine", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dtype", default="fp32", choices=["fp32", "bf16", "fp16"])
    common.add_argument("--device", default="cpu")
    common.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's choice)")

    s = sub.add_parser("serve", parents=[common], help="OpenAI-compatible server")
    s.add_argument("--model", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--max-batch", type=int, default=16)
    s.add_argument("--served-name")
    s.add_argument("--adapter", action="append", help="NAME=DIR, an adapter to load at start (repeatable)")
    s.add_argument("--adapter-root", help="the folder adapters may be loaded from over HTTP "
                   "(/v1/load_lora_adapter); without it, adapters load only with --adapter")
    s.add_argument("--no-auth", action="store_true", help="serve without a token (default: every request "
                   "must send 'Authorization: Bearer <token>', the token read from TANDEM_ENGINE_TOKEN)")
    s.set_defaults(fn=cmd_serve)

    t = sub.add_parser("train", parents=[common], help="LoRA fine-tuning on chat JSONL")
    t.add_argument("--base", required=True)
    t.add_argument("--data", required=True)
    t.add_argument("--valid")
    t.add_argument("--out", required=True)
    t.add_argument("--rank", type=int, default=32)
    t.add_argument("--alpha", type=float, default=64.0)
    t.add_argument("--dropout", type=float, default=0.0)
    t.add_argument("--target-modules", nargs="+",
                   default=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    t.add_argument("--lr", type=float, default=1e-5)
    t.add_argument("--epochs", type=int, default=5)
    t.add_argument("--batch-size", type=int, default=8)
    t.add_argument("--grad-accum", type=int, default=1)
    t.add_argument("--max-seq-len", type=int, default=1024)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--schedule", default="linear", choices=["linear", "constant"])
    t.add_argument("--base-name", help="base_model_name_or_path to record (default: the base dir's absolute path)")
    t.set_defaults(fn=cmd_train)

    i = sub.add_parser("info", help="print a checkpoint's summary as JSON")
    i.add_argument("dir")
    i.set_defaults(fn=cmd_info)

    m = sub.add_parser("make-tiny", help="write a small random checkpoint (tests, benchmarks)")
    m.add_argument("dir")
    m.add_argument("--kind", default="llama", choices=["llama", "qwen2", "gqa", "mistral"])
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--hidden", type=int, default=64)
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--kv-heads", type=int)
    m.add_argument("--intermediate", type=int)
    m.add_argument("--vocab-size", type=int, default=320)
    m.add_argument("--shards", type=int, default=1)
    m.set_defaults(fn=cmd_make_tiny)

    b = sub.add_parser("bench-matmul", parents=[common], help="measure matmul FLOP/s (MFU denominator)")
    b.add_argument("--size", type=int, default=1024)
    b.add_argument("--seconds", type=float, default=2.0)
    b.set_defaults(fn=cmd_bench_matmul)
    return p


def main(argv=None) -> int:
    logging.basicConfig(level=os.environ.get("TANDEM_ENGINE_LOG", "INFO"), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    a = parser().parse_args(argv)
    from .errors import EngineError
    from .parent_watch import watch_parent
    watch_parent()
    try:
        return a.fn(a)
    except EngineError as e:
        emit({"event": "error", "message": str(e), "type": e.kind})
        print(f"error: {e}", file=sys.stderr)
        return 3 if e.kind == "port_in_use" else 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # unexpected: still one machine-readable line, plus the traceback
        logging.getLogger("tandem_engine").exception("failed")
        emit({"event": "error", "message": f"{type(e).__name__}: {e}", "type": "internal_error"})
        return 1


if __name__ == "__main__":
    sys.exit(main())
