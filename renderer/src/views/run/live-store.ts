// Live progress of active runs, built from 'run-event' events. Events can arrive at 1000/s, so
// they patch a mutable per-run record at once and the store only tells React about it once per
// FLUSH_MS: views re-render at most ~10 times a second however busy the run is.
// One subscription for the whole window, started by the first live view and kept, so the
// trainer log and loss history of a fine-tune survive switching between the Run and Fine-tune views.
import { create } from 'zustand';
import { getClient } from '../../api/client.ts';
import type { ApiEvent, RunProgressEvent, StepInfo } from '../../api/types.ts';
import { currentStepKinds } from '../../app/step-kinds.ts';

const FLUSH_MS = 100;
const MAX_LOG_LINES = 5000;
const MAX_WARNINGS = 100;

export interface Progress {
  done: number;
  total: number;
}

export interface StageLive {
  stageId: number;
  kind: string;
  prefix: string;
  seed: number;
  /** Client clock when the stage started (for per-stage elapsed time). */
  startedAt: number;
  ended: boolean;
  /** What the stage is doing now, in words (e.g. "candidate 3/6", "fine-tune step 40/120"). */
  activity: string;
  /** Random search: candidates finished / planned, and the running candidate's evaluation. */
  candidates: Progress | null;
  candidateEval: Progress | null;
  bestScore: number | null;
  bootstrap: { tried: number; passed: number; total: number; wanted: number } | null;
  finetune: { step: number; steps: number | null; epoch: number; loss: number; etaS: number | null; tokensPerS: number | null; rows: number | null } | null;
  losses: Array<{ step: number; loss: number }>;
  validLoss: number | null;
  /** Final evaluation per split: progress and running score (0–1). */
  evals: Record<string, Progress & { score: number; errors: number }>;
}

export interface RunLive {
  stages: Map<number, StageLive>;
  /** Trainer output per stage id, newest last. */
  logs: Map<number, string[]>;
  counters: { calls: number; cacheHits: number; errors: number; parseFallbacks: number; retries: number } | null;
  warnings: string[];
  /** Stages planned in the whole run (from stage-start). */
  total: number | null;
  /** Stages running now, oldest first: one per seed, and seeds run at once. */
  running: number[];
  ended: boolean;
}

interface LiveState {
  /** Bumped on every flush; select it to re-render when live data changed. */
  version: number;
  runs: Map<number, RunLive>;
}

export const useLive = create<LiveState>(() => ({ version: 0, runs: new Map() }));

let started = false;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleFlush(): void {
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    useLive.setState((s) => ({ version: s.version + 1 }));
  }, FLUSH_MS);
}

function runOf(runId: number): RunLive {
  const runs = useLive.getState().runs;
  let run = runs.get(runId);
  if (!run) {
    run = { stages: new Map(), logs: new Map(), counters: null, warnings: [], total: null, running: [], ended: false };
    runs.set(runId, run);
  }
  return run;
}

/** A stage's activity before its first progress event, as its step kind words it. */
function startActivity(kind: string, kinds: readonly StepInfo[]): string {
  return kinds.find((k) => k.token === kind)?.firstActivity ?? 'starting';
}

function newStage(e: Extract<RunProgressEvent, { type: 'stage-start' }>, kinds: readonly StepInfo[]): StageLive {
  return {
    stageId: e.stageId,
    kind: e.kind,
    prefix: e.prefix,
    seed: e.seed,
    startedAt: Date.now(),
    ended: false,
    activity: startActivity(e.kind, kinds),
    candidates: null,
    candidateEval: null,
    bestScore: null,
    bootstrap: null,
    finetune: null,
    losses: [],
    validLoss: null,
    evals: {},
  };
}

/** Applies one run progress event to the run's live record (exported for tests); `kinds`: the registered step kinds. */
export function applyRunEvent(run: RunLive, e: RunProgressEvent, kinds: readonly StepInfo[] = []): void {
  const stageOf = (id: number) => run.stages.get(id);
  switch (e.type) {
    case 'run-start':
      run.ended = false;
      break;
    case 'stage-start':
      run.stages.set(e.stageId, newStage(e, kinds));
      run.total = e.total;
      // A seed runs one stage at a time: a stage of the same seed still listed did not end cleanly.
      run.running = run.running.filter((id) => id !== e.stageId && run.stages.get(id)?.seed !== e.seed);
      run.running.push(e.stageId);
      break;
    case 'stage-end': {
      const s = stageOf(e.stageId);
      if (s) {
        s.ended = true;
        s.activity = e.outcome === 'no-passing-traces' ? 'no passing traces' : 'finished';
      }
      run.running = run.running.filter((id) => id !== e.stageId);
      break;
    }
    case 'optimizer': {
      const s = stageOf(e.stageId);
      if (!s) break;
      const o = e.event;
      if (o.type === 'candidate-start') {
        s.candidates = { done: o.index, total: o.total };
        s.candidateEval = null;
        s.activity = `candidate ${o.index + 1}/${o.total} (${o.kind})`;
      } else if (o.type === 'candidate-end') {
        s.candidates = { done: o.index + 1, total: o.total };
        s.bestScore = o.bestScore;
        s.candidateEval = null;
      } else if (o.type === 'evaluation-progress') {
        s.candidateEval = { done: o.done, total: o.total };
        if (s.candidates) s.activity = `candidate ${s.candidates.done + 1}/${s.candidates.total}: ${o.done}/${o.total} val`;
      } else if (o.type === 'bootstrap-progress') {
        s.bootstrap = { tried: o.tried, passed: o.passed, total: o.total, wanted: o.wanted };
        s.activity = `bootstrapping: ${o.passed} passed of ${o.tried} tried`;
      }
      break;
    }
    case 'evaluation-start': {
      const s = stageOf(e.stageId);
      if (!s) break;
      s.evals[e.split] = { done: 0, total: e.total, score: 0, errors: 0 };
      s.activity = `${e.split} 0/${e.total}`;
      break;
    }
    case 'evaluation-progress': {
      const s = stageOf(e.stageId);
      if (!s) break;
      s.evals[e.split] = { done: e.done, total: e.total, score: e.score, errors: e.errors };
      s.activity = `${e.split} ${e.done}/${e.total}`;
      break;
    }
    case 'evaluation-end': {
      const s = stageOf(e.stageId);
      if (!s) break;
      const prev = s.evals[e.split];
      s.evals[e.split] = { done: e.n, total: prev?.total ?? e.n, score: e.score, errors: e.errors };
      break;
    }
    case 'finetune': {
      const s = stageOf(e.stageId);
      const f = e.event;
      // The trainer's JSON progress lines arrive parsed; they go into the log as text too, so
      // the log reads like the trainer's output.
      const lines = run.logs.get(e.stageId) ?? [];
      run.logs.set(e.stageId, lines);
      if (f.type === 'log') lines.push(f.line);
      else if (f.type === 'start') lines.push(`» start: ${f.rows} rows, ${f.steps ?? '?'} steps`);
      else if (f.type === 'step') lines.push(`» step ${f.step} · epoch ${f.epoch.toFixed(2)} · loss ${f.loss.toFixed(4)}${f.tokensPerS ? ` · ${Math.round(f.tokensPerS)} tok/s` : ''}`);
      else if (f.type === 'eval') lines.push(`» validation loss ${f.validLoss.toFixed(4)}`);
      if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
      if (!s || f.type === 'log') break;
      if (f.type === 'start') {
        s.finetune = { step: 0, steps: f.steps, epoch: 0, loss: NaN, etaS: null, tokensPerS: null, rows: f.rows };
        s.losses = [];
        s.activity = `fine-tuning on ${f.rows} rows`;
      } else if (f.type === 'step') {
        s.finetune = { ...(s.finetune ?? { steps: null, rows: null }), step: f.step, epoch: f.epoch, loss: f.loss, etaS: f.etaS, tokensPerS: f.tokensPerS };
        s.losses.push({ step: f.step, loss: f.loss });
        s.activity = `fine-tune step ${f.step}${s.finetune.steps ? `/${s.finetune.steps}` : ''} · loss ${f.loss.toFixed(3)}`;
      } else if (f.type === 'eval') {
        s.validLoss = f.validLoss;
      }
      break;
    }
    case 'lm-counters':
      run.counters = { ...e.counters };
      break;
    case 'warning':
      run.warnings.push(e.message);
      if (run.warnings.length > MAX_WARNINGS) run.warnings.shift();
      break;
    case 'run-end':
      run.ended = true;
      run.running = [];
      break;
  }
}

function onEvent(event: ApiEvent): void {
  if (event.type !== 'run-event') return;
  applyRunEvent(runOf(event.runId), event.event, currentStepKinds());
  scheduleFlush();
}

/** Starts the window's live subscription (idempotent). */
export function ensureLiveSubscription(): void {
  if (started) return;
  started = true;
  currentStepKinds(); // asked now, so the first stage-start finds them
  getClient().subscribe(onEvent);
}

/** The live record of a run (re-renders the caller on each flush), or null if no event came yet. */
export function useRunLive(runId: number): RunLive | null {
  useLive((s) => s.version);
  return useLive.getState().runs.get(runId) ?? null;
}

/** Fraction (0–1) of a running stage that is done, from its live progress; null if unknown. */
export function stageFraction(s: StageLive): number | null {
  if (s.ended) return 1;
  const evals = Object.values(s.evals);
  const evalFrac = evals.length === 0 ? 0 : evals.reduce((a, e) => a + (e.total ? e.done / e.total : 0), 0) / Math.max(evals.length, 2);
  if (s.kind === 'baseline') return evals.length === 0 ? null : evalFrac;
  // Optimization is most of a step's stage; the final dev/test evaluations the rest. Its progress
  // is what the stage reports: candidates searched, or fine-tune steps trained.
  let opt = 0;
  if (evals.length > 0) opt = 1;
  else if (s.candidates) {
    const inner = s.candidateEval && s.candidateEval.total ? s.candidateEval.done / s.candidateEval.total : 0;
    opt = Math.min(1, (s.candidates.done + inner) / Math.max(1, s.candidates.total));
  } else if (s.finetune?.steps) opt = Math.min(1, s.finetune.step / s.finetune.steps);
  else return null; // no step count known yet (an external trainer does not say how many)
  return 0.75 * opt + 0.25 * evalFrac;
}
