// Events a run emits. The CLI draws a progress line from them; the workbench will stream them.

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
  | { type: 'run-start'; runId: number; experimentId: number; task: string; strategies: string[]; seeds: number[]; resumed: boolean }
  | { type: 'stage-start'; runId: number; stageId: number; kind: string; prefix: string; seed: number; index: number; total: number }
  | { type: 'optimizer'; stageId: number; event: OptimizeEvent }
  | { type: 'evaluation-start'; stageId: number; split: Split; total: number }
  | { type: 'evaluation-progress'; stageId: number; split: Split; done: number; total: number; score: number; errors: number }
  | { type: 'evaluation-end'; stageId: number; split: Split; score: number; n: number; errors: number }
  | { type: 'stage-end'; runId: number; stageId: number; kind: string; prefix: string; seed: number; scores: Partial<Record<Split, number>>; outcome?: string }
  | { type: 'finetune'; stageId: number; event: FinetuneEvent }
  | { type: 'warning'; message: string }
  | { type: 'lm-counters'; counters: LMCallCounters }
  | { type: 'run-end'; runId: number; status: 'finished' | 'failed' | 'cancelled'; error?: string };
