// The events front ends see (`api.subscribe`, web mode's Server-Sent Events, Electron's
// MessagePort): run progress, run status changes, experiment list changes and model transfers.
// The API translates the runner's own events into these at its boundary, so a front end depends
// on this vocabulary, not on the runner's internals. Plain JSON: transports send them as they are.

import type { ApiErrorJson } from './errors.ts';
import type { ModelEntry, PullEvent, PullProgress, TransferProgress } from './models.ts';
import type { CandidateKind } from './views/candidates.ts';
import type { RunStatus } from './views/runs.ts';
import type { Split } from './views/spec.ts';

/** LM call counts of a run so far. */
export interface LMCallCounters {
  calls: number;
  cacheHits: number;
  /** Calls that failed after retries, or whose completion could not be parsed. */
  errors: number;
  parseFallbacks: number;
  /** HTTP attempts that failed and were retried (500s, 429s, timeouts, malformed bodies). */
  retries: number;
}

/** Progress of a prompt-optimization step: its candidates, their bootstrapping and validation. */
export type OptimizerProgress =
  | { type: 'bootstrap-progress'; candidate: number | null; tried: number; passed: number; total: number; wanted: number }
  | { type: 'candidate-start'; index: number; total: number; kind: CandidateKind; seed: number }
  | { type: 'evaluation-progress'; candidate: number | null; done: number; total: number; score: number; errors: number }
  | { type: 'candidate-end'; index: number; total: number; kind: CandidateKind; score: number; errors: number; numDemos: number; bestIndex: number; bestScore: number };

/** Progress of a fine-tuning job: its start, training steps, validation loss, the trainer's output lines. */
export type FinetuneProgress =
  | { type: 'start'; rows: number; steps: number | null }
  | { type: 'step'; step: number; epoch: number; loss: number; tokensPerS: number | null; etaS: number | null }
  | { type: 'eval'; validLoss: number }
  | { type: 'log'; line: string };

/**
 * What happens inside a run. Seeds run concurrently, so one seed's events interleave with
 * another's: everything below a stage carries its stageId, and stage events name their seed.
 */
export type RunProgressEvent =
  | {
      type: 'run-start';
      runId: number;
      experimentId: number;
      task: string;
      strategies: string[];
      seeds: number[];
      /** How many seeds run at once. */
      seedConcurrency: number;
      resumed: boolean;
    }
  | {
      type: 'stage-start';
      runId: number;
      stageId: number;
      kind: string;
      prefix: string;
      seed: number;
      /** The stage's place in the run's plan (seed by seed, 1-based); with concurrent seeds, not the order stages start in. */
      index: number;
      total: number;
      /** Stages of the run finished so far, reused ones of an earlier attempt included. */
      done: number;
    }
  | { type: 'optimizer'; stageId: number; event: OptimizerProgress }
  | { type: 'evaluation-start'; stageId: number; split: Split; total: number }
  | { type: 'evaluation-progress'; stageId: number; split: Split; done: number; total: number; score: number; errors: number }
  | { type: 'evaluation-end'; stageId: number; split: Split; score: number; n: number; errors: number }
  | {
      type: 'stage-end';
      runId: number;
      stageId: number;
      kind: string;
      prefix: string;
      seed: number;
      scores: Partial<Record<Split, number>>;
      outcome?: string;
      /** Stages of the run finished, this one included. */
      done: number;
    }
  | { type: 'finetune'; stageId: number; event: FinetuneProgress }
  | { type: 'warning'; message: string }
  | { type: 'lm-counters'; counters: LMCallCounters }
  | { type: 'run-end'; runId: number; status: 'finished' | 'failed' | 'cancelled'; error?: string };

export type ApiEvent =
  /** Progress of an active run, in the order the run reported it (run-start … run-end). */
  | { type: 'run-event'; runId: number; event: RunProgressEvent }
  /**
   * A run's status changed: `pending` when startRun/resumeRun accepted it, `running` when the
   * runner began, then its end (`finished`, `failed`, `cancelled`) once the API has released
   * the run (its local engine stopped, a new start or resume possible).
   */
  | { type: 'run-status'; runId: number; experimentId: number; status: RunStatus; error: string | null }
  | { type: 'experiment-created'; experimentId: number }
  | { type: 'experiment-deleted'; experimentId: number }
  /** Byte progress of a model pull (throttled by the puller) or of a copying addModel. */
  | { type: 'model-progress'; operationId: number; kind: 'pull' | 'copy'; name: string; progress: PullProgress | TransferProgress }
  /** A notable step of a pull: resolved commit, resumed or finished file, retry, … */
  | { type: 'model-pull-event'; operationId: number; event: PullEvent }
  | { type: 'model-pull-end'; operationId: number; repo: string; status: 'finished' | 'failed' | 'cancelled'; entry: ModelEntry | null; error: ApiErrorJson | null };

export type ApiEventType = ApiEvent['type'];

/** The list as given, if it names every member of T; otherwise a compile error names the missing ones. */
function listingEvery<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L => list;
}

/** Every event type, e.g. for an EventSource that listens by type (checked exhaustive when compiled). */
export const API_EVENT_TYPES = listingEvery<ApiEventType>()(['run-event', 'run-status', 'experiment-created', 'experiment-deleted', 'model-progress', 'model-pull-event', 'model-pull-end']);

export type ApiEventListener = (event: ApiEvent) => void;
