#!/usr/bin/env bash
# The demo model's recipe with a GPU's token budget: the same corpus generator, tokenizer, model
# code and curriculum as train-demo-model.sh, trained on a CUDA machine that cannot generate the
# corpus itself (no Node there). Two steps:
#
#   here:   scripts/demo-model/train-on-gpu.sh pack WORK PACK
#           (WORK holds corpus/ and tok/ from train-demo-model.sh's first two steps; PACK gets a
#            compressed copy small enough to send)
#   there:  scripts/demo-model/train-on-gpu.sh train PACK OUT
#           (trains for MINUTES of curriculum after the induction warm-up; OUT receives the
#            exported weights, the raw weights and the log at every checkpoint, so a run cut off
#            early still returns its last checkpoint)
#
# Then here: put OUT's config.json + model.safetensors beside WORK/tok's tokenizer files and
# evaluate with evaluate.py as train-demo-model.sh does.
set -euo pipefail
cd "$(dirname "$0")/../.."
verb=${1:?usage: train-on-gpu.sh pack WORK PACK | train PACK OUT}
case "$verb" in
  pack)
    WORK=${2:?WORK}; PACK=${3:?PACK}
    mkdir -p "$PACK"
    tar -C "$WORK" -cf - corpus | xz -T2 -5 > "$PACK/corpus.tar.xz"
    cp -r "$WORK/tok" "$PACK/tok"
    du -sh "$PACK"
    ;;
  train)
    PACK=${2:?PACK}; OUT=${3:?OUT}
    PY=${PYTHON:-python3}
    SEED=${SEED:-0}; MINUTES=${MINUTES:-5.5}
    HIDDEN=${HIDDEN:-256}; LAYERS=${LAYERS:-4}; HEADS=${HEADS:-8}; INTERMEDIATE=${INTERMEDIATE:-640}
    SEQ_LEN=${SEQ_LEN:-768}; BATCH=${BATCH:-64}; LR=${LR:-3e-3}; EMA=${EMA:-0.998}
    RUN=${RUN:-/tmp/tandem-demo-run}
    mkdir -p "$OUT" /tmp/tandem-demo-corpus
    t0=$(date +%s)
    xz -T0 -dc "$PACK/corpus.tar.xz" | tar -C /tmp/tandem-demo-corpus -xf -
    echo "{\"event\":\"unpacked\",\"seconds\":$(( $(date +%s) - t0 ))}"
    "$PY" -c 'import torch; print({"event": "device", "torch": torch.__version__, "cuda": torch.cuda.is_available(), "name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None})'
    PYTHONUNBUFFERED=1 "$PY" scripts/demo-model/train.py --corpus /tmp/tandem-demo-corpus/corpus --tokenizer "$PACK/tok" \
      --out "$RUN" --device "${DEVICE:-cuda}" --encode-workers "$(nproc)" --mirror "$OUT" --ckpt-minutes 1.5 \
      --hidden "$HIDDEN" --layers "$LAYERS" --heads "$HEADS" --intermediate "$INTERMEDIATE" \
      --seq-len "$SEQ_LEN" --batch-size "$BATCH" --micro-tokens 65536 --lr "$LR" --warmup 300 --ema "$EMA" \
      --induction-rows "${INDUCTION_ROWS:-128}" --induction-steps "${INDUCTION_STEPS:-2500}" --minutes "$MINUTES" --steps "${STEPS:-0}" --seed "$SEED" --threads 4 \
      | { grep --line-buffered -v '"event": "step"' || true; }  # a failed training still fails the script (pipefail)
    # Every 100th step line, for the loss curve (the full log is in OUT/log.jsonl).
    grep '"event": "step"' "$RUN/log.jsonl" | awk 'NR % 100 == 0' | cut -c1-220 || true
    ;;
  *) echo "unknown verb $verb" >&2; exit 2 ;;
esac
