#!/usr/bin/env bash
# The checks that need a CUDA GPU, for a machine that has one (this project's CI has none):
#   1. the engine's on-device tests (tests/python/test_on_device.py: load, generate, LoRA-train and
#      serve on cuda, in fp32 and bf16, compared with the CPU);
#   2. the engine's speed there (scripts/engine_speed.py, fp32 and bf16).
# It needs Python, torch and pytest, not Node (a GPU machine may have no Node). Where the
# interpreter lacks pytest, PYTEST_PATH names a folder holding it and its dependencies to put on
# PYTHONPATH (only then: an old pytest beside newer installed plugins fails to start).
# PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export PYTHONDONTWRITEBYTECODE=1
if ! "$PY" -c 'import pytest' 2>/dev/null; then
  export PYTHONPATH="${PYTEST_PATH:?this Python has no pytest: set PYTEST_PATH to a folder that has it}:${PYTHONPATH:-}"
fi
"$PY" -c 'import json, sys, torch; print(json.dumps({"event": "device", "python": sys.version.split()[0], "torch": torch.__version__, "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}))'
status=0
"$PY" -m pytest -c tests/python/pytest.ini tests/python/test_on_device.py -v -rs --durations=5 || status=$?
for dtype in fp32 bf16; do
  "$PY" scripts/engine_speed.py --device "${DEVICE:-cuda}" --dtype "$dtype" --batches 1,8,32,128 --train-rows 256 || status=$?
done
exit "$status"
