"""The one thread that touches the model: it batches requests and applies adapter changes.

HTTP threads submit sequences and adapter commands through a queue; this thread admits them
at step boundaries, so requests join and leave a running batch without waiting for each other,
and adapters are attached/detached only between forward passes. An adapter being unloaded
stays attached until the requests already using it finish.
"""

import logging
import queue
import threading
import traceback

from . import lora
from .errors import EngineError
from .generate import BatchRunner, Sequence

log = logging.getLogger("tandem_engine.scheduler")


class Scheduler:
    def __init__(self, loaded, max_batch: int = 16):
        self.loaded = loaded
        self.runner = BatchRunner(loaded, max_batch=max_batch)
        self.inbox: queue.Queue = queue.Queue()
        self.attached: set[str] = set()       # adapters whose weights are on the layers
        self.detach_pending: set[str] = set()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.inbox.put(("wake",))
        self.thread.join(timeout=5)

    # --- called from HTTP threads -----------------------------------------------------------

    def submit(self, seqs: list[Sequence]) -> None:
        self.inbox.put(("seqs", seqs))

    def call(self, *command):
        """Runs an adapter command on the scheduler thread and returns its result (or raises)."""
        done = threading.Event()
        box: dict = {}
        self.inbox.put(("call", command, done, box))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    # --- scheduler thread -------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                block = not self.runner.has_work()
                while True:
                    try:
                        item = self.inbox.get(block=block, timeout=0.5 if block else None)
                    except queue.Empty:
                        break
                    self._handle(item)
                    block = False
                if self.runner.has_work():
                    self.runner.step()
                self._detach_unused()
            except Exception:  # never let one bad step take the server down
                log.error("scheduler step failed:\n%s", traceback.format_exc())
                victims = list(self.runner.running) + list(self.runner.waiting)
                self.runner.running.clear()
                self.runner.waiting.clear()
                for s in victims:  # answer every waiting HTTP thread instead of leaving it hanging
                    s.fail(RuntimeError("internal engine error; see the engine log"))
                    if s.on_finish is not None and not getattr(s, "_notified", False):
                        s._notified = True
                        s.on_finish(s)

    def _handle(self, item) -> None:
        kind = item[0]
        if kind == "seqs":
            for s in item[1]:
                if s.adapter and (s.adapter not in self.attached or s.adapter in self.detach_pending):
                    s.fail(EngineError(f"The model `{s.adapter}` does not exist.", "NotFoundError", 404))
                    if s.on_finish:
                        s.on_finish(s)
                else:
                    self.runner.add(s)
        elif kind == "call":
            _, command, done, box = item
            try:
                box["result"] = self._command(*command)
            except Exception as e:
                box["error"] = e
            done.set()

    def _command(self, op, name, *args):
        if op == "attach":
            weights, scaling = args
            lora.remove(self.loaded.model, name)
            lora.attach(self.loaded, name, weights, scaling)
            self.attached.add(name)
            self.detach_pending.discard(name)
        elif op == "detach":
            if name in self.attached:
                self.detach_pending.add(name)
        else:
            raise ValueError(op)

    def _detach_unused(self) -> None:
        if not self.detach_pending:
            return
        in_use = self.runner.adapters_in_use()
        for name in list(self.detach_pending):
            if name not in in_use:
                lora.remove(self.loaded.model, name)
                self.attached.discard(name)
                self.detach_pending.discard(name)
