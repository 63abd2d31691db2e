#!/usr/bin/env bash
# The demo model's whole recipe, one command, resumable (rerun the same command after a stop):
#   1. corpus   (seeded, rendered with the real ChatAdapter)   -> $WORK/corpus
#   2. tokenizer (byte-level BPE tokenizer.json)                -> $WORK/tok
#   3. training (from scratch, full parameters, checkpoints)   -> $WORK/run   (resumes from run/ckpt.pt)
#   4. evaluation (held-out synthetic episodes + Iris prompts, measured only) -> $WORK/run/eval.json
#   5. copy of the Hugging Face folder                          -> $DEST (with eval.json; the model card is written by hand)
# Settings come from the environment; the defaults are the run that made the shipped model
# (about 1 h 45 min on 2 CPU cores; STEPS=0 derives the length from MINUTES and measured speed).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-.tandem/demo-model}
SEED=${SEED:-0}
MINUTES=${MINUTES:-110}
THREADS=${THREADS:-2}
STEPS=${STEPS-5400}
HIDDEN=${HIDDEN:-128}; LAYERS=${LAYERS:-4}; HEADS=${HEADS:-4}; INTERMEDIATE=${INTERMEDIATE:-352}
SEQ_LEN=${SEQ_LEN:-768}; BATCH=${BATCH:-3}; LR=${LR:-2e-3}; VOCAB=${VOCAB:-2048}
PER_TASK=${PER_TASK:-20000}
DEST=${DEST:-resources/models/tandem-demo}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$THREADS
mkdir -p "$WORK"
if [ ! -f "$WORK/corpus/manifest.json" ]; then
  npx tsx scripts/demo-model/generate-corpus.ts --out "$WORK/corpus" --seed "$SEED" --train-per-task "$PER_TASK" --eval-per-task 200
fi
if [ ! -f "$WORK/tok/tokenizer.json" ]; then
  "$PY" scripts/demo-model/train_tokenizer.py --corpus "$WORK/corpus" --out "$WORK/tok" --vocab "$VOCAB" --seed "$SEED"
fi
npx tsx scripts/demo-model/render-iris.ts --out "$WORK/iris-eval.jsonl" --seed 0
"$PY" scripts/demo-model/train.py --corpus "$WORK/corpus" --tokenizer "$WORK/tok" --out "$WORK/run" \
  --hidden "$HIDDEN" --layers "$LAYERS" --heads "$HEADS" --intermediate "$INTERMEDIATE" \
  --seq-len "$SEQ_LEN" --batch-size "$BATCH" --lr "$LR" --minutes "$MINUTES" --threads "$THREADS" --seed "$SEED" \
  --steps "${STEPS:-0}" ${INIT_FROM:+--init-from "$INIT_FROM"}
"$PY" scripts/demo-model/evaluate.py --model "$WORK/run/hf" --corpus "$WORK/corpus" --per-task 50 \
  --iris "$WORK/iris-eval.jsonl" --threads "$THREADS" --out "$WORK/run/eval.json" > /dev/null
mkdir -p "$DEST"
cp "$WORK/run/hf/"{config.json,generation_config.json,model.safetensors,tokenizer.json,tokenizer_config.json} "$DEST/"
cp "$WORK/run/eval.json" "$DEST/eval.json"
echo "{\"event\":\"demo-model\",\"dest\":\"$DEST\",\"eval\":\"$WORK/run/eval.json\"}"
