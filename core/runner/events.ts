// Events a run emits. The CLI draws a progress line from them; the workbench streams them.
// Seeds run concurrently, so one seed's events interleave with another's: everything below a
// stage carries its stageId, and stage events say which seed they belong to.

import type { FinetuneEvent } from '../finetune/finetuner.ts';
import type { OptimizeEvent } from '../optimize/events.ts';

export type Split = 'train' | 'dev' | 'test';

export interface LMCallCounters {
  calls: number;
  cacheHits: number;
  /** Calls that failed after retries, or whose completion could not be parsed. */
  errors: number;
  parseFallbacks: number;
  /** HTTP attempts that failed and were retried (500s, 429s, timeouts, malformed bodies). */
  retries: number;
}

export type RunEvent =
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
  | { type: 'optimizer'; stageId: number; event: OptimizeEvent }
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
  | { type: 'finetune'; stageId: number; event: FinetuneEvent }
  | { type: 'warning'; message: string }
  | { type: 'lm-counters'; counters: LMCallCounters }
  | { type: 'run-end'; runId: number; status: 'finished' | 'failed' | 'cancelled'; error?: string };
