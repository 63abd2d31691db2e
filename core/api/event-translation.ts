// The runner's events as front ends see them (core/contract/events.ts). Every field is copied by
// name, so a change inside the runner stops here (the compiler says where) instead of reaching
// the workbench.

import type { FinetuneProgress, OptimizerProgress, RunProgressEvent } from '../contract/events.ts';
import type { FinetuneEvent } from '../finetune/finetuner.ts';
import type { OptimizeEvent } from '../optimize/events.ts';
import type { RunEvent } from '../runner/events.ts';

export function toRunProgress(e: RunEvent): RunProgressEvent {
  switch (e.type) {
    case 'run-start':
      return { type: e.type, runId: e.runId, experimentId: e.experimentId, task: e.task, strategies: [...e.strategies], seeds: [...e.seeds], seedConcurrency: e.seedConcurrency, resumed: e.resumed };
    case 'stage-start':
      return { type: e.type, runId: e.runId, stageId: e.stageId, kind: e.kind, prefix: e.prefix, seed: e.seed, index: e.index, total: e.total, done: e.done };
    case 'optimizer':
      return { type: e.type, stageId: e.stageId, event: toOptimizerProgress(e.event) };
    case 'evaluation-start':
      return { type: e.type, stageId: e.stageId, split: e.split, total: e.total };
    case 'evaluation-progress':
      return { type: e.type, stageId: e.stageId, split: e.split, done: e.done, total: e.total, score: e.score, errors: e.errors };
    case 'evaluation-end':
      return { type: e.type, stageId: e.stageId, split: e.split, score: e.score, n: e.n, errors: e.errors };
    case 'stage-end':
      return {
        type: e.type,
        runId: e.runId,
        stageId: e.stageId,
        kind: e.kind,
        prefix: e.prefix,
        seed: e.seed,
        scores: { ...e.scores },
        ...(e.outcome !== undefined ? { outcome: e.outcome } : {}),
        done: e.done,
      };
    case 'finetune':
      return { type: e.type, stageId: e.stageId, event: toFinetuneProgress(e.event) };
    case 'warning':
      return { type: e.type, message: e.message };
    case 'lm-counters': {
      const c = e.counters;
      return { type: e.type, counters: { calls: c.calls, cacheHits: c.cacheHits, errors: c.errors, parseFallbacks: c.parseFallbacks, retries: c.retries } };
    }
    case 'run-end':
      return { type: e.type, runId: e.runId, status: e.status, ...(e.error !== undefined ? { error: e.error } : {}) };
  }
}

function toOptimizerProgress(o: OptimizeEvent): OptimizerProgress {
  switch (o.type) {
    case 'bootstrap-progress':
      return { type: o.type, candidate: o.candidate, tried: o.tried, passed: o.passed, total: o.total, wanted: o.wanted };
    case 'candidate-start':
      return { type: o.type, index: o.index, total: o.total, kind: o.kind, seed: o.seed };
    case 'evaluation-progress':
      return { type: o.type, candidate: o.candidate, done: o.done, total: o.total, score: o.score, errors: o.errors };
    case 'candidate-end':
      return { type: o.type, index: o.index, total: o.total, kind: o.kind, score: o.score, errors: o.errors, numDemos: o.numDemos, bestIndex: o.bestIndex, bestScore: o.bestScore };
  }
}

function toFinetuneProgress(f: FinetuneEvent): FinetuneProgress {
  switch (f.type) {
    case 'start':
      return { type: f.type, rows: f.rows, steps: f.steps };
    case 'step':
      return { type: f.type, step: f.step, epoch: f.epoch, loss: f.loss, tokensPerS: f.tokensPerS, etaS: f.etaS };
    case 'eval':
      return { type: f.type, validLoss: f.validLoss };
    case 'log':
      return { type: f.type, line: f.line };
  }
}
