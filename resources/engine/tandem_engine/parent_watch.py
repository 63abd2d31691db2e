"""Exit when the process that started us dies.

Tandem starts the engine and the trainer as subprocesses. If Tandem is killed outright (kill -9,
a crash), nothing tells its children to stop, and an orphaned server or trainer would keep the
port, the CPU and the adapter folder busy. With TANDEM_EXIT_WITH_PARENT=1 a daemon thread polls
the parent pid and exits when it changes (the orphan was re-parented).
"""

import os
import threading
import time


def watch_parent(interval_s: float = 0.5) -> None:
    if os.environ.get("TANDEM_EXIT_WITH_PARENT") != "1":
        return
    parent = os.getppid()

    def loop() -> None:
        while True:
            time.sleep(interval_s)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=loop, name="parent-watch", daemon=True).start()
