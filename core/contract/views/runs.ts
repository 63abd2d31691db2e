// Runs and their stages as the API returns them: lists without the large JSON columns (a run's
// config, a stage's program state), one run with its spec, stages and results, one stage with
// its evaluations and fine-tune jobs, and the curves of a run.

import type { FinetuneJobRecord } from './finetune.ts';
import type { LMCallStats } from './lm-calls.ts';
import type { ProgramState } from './program.ts';
import type { CurvePoint, ResultRow, RunResults } from './results.ts';
import type { ExperimentSpec } from './spec.ts';

export const RUN_STATUSES = ['pending', 'running', 'finished', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type StageStatus = RunStatus;

/** 'baseline' for a tree's root; otherwise the token of the step kind that made the stage. */
export type StageKind = string;

/** Score per split, e.g. `{ val: 0.62, test: 0.58 }`. */
export type StageScores = Record<string, number>;

export interface StageRecord {
  id: number;
  runId: number;
  parentStageId: number | null;
  kind: StageKind;
  /** The strategy prefix this stage completes, e.g. `p -> w`. */
  prefix: string;
  /** The seed whose prefix tree the stage belongs to. */
  seed: number | null;
  status: StageStatus;
  programState: ProgramState | null;
  modelId: string | null;
  scores: StageScores | null;
  error: string | null;
  outcome: string | null;
  startedAt: number;
  finishedAt: number | null;
}

/** A program scored on a split: mean score over n results, failed ones counted as 0. */
export interface EvaluationRecord {
  id: number;
  runId: number;
  stageId: number | null;
  candidateId: number | null;
  split: string;
  score: number;
  n: number;
  errors: number;
  createdAt: number;
}

export interface RunSummary {
  id: number;
  experimentId: number;
  task: string;
  /** The run's strategies, comma-separated (`p, p -> w`). */
  strategy: string;
  /** The first seed. */
  seed: number;
  /** Provider, model and base URL of the run's LM. */
  lm: Record<string, unknown>;
  status: RunStatus;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** True while this API process runs it (it can be cancelled). */
  active: boolean;
  /** The paper-style table saved when the run finished; null before. */
  table: ResultRow[] | null;
}

export type StageSummary = Omit<StageRecord, 'programState'>;

export interface RunDetail {
  run: RunSummary;
  /** The spec the run was started with; null for runs recorded by an older runner. */
  spec: ExperimentSpec | null;
  stages: StageSummary[];
  results: RunResults;
  /** Totals over the run's LM calls. */
  lm: LMCallStats;
  /** Whether the run's numbers can be expected to reproduce, and why (a determinism check's result where one ran); null without a spec. */
  reproducibility: string | null;
}

export interface StageDetail {
  stage: StageRecord;
  /** The stage's final evaluations (one per split), not its candidates'. */
  evaluations: EvaluationRecord[];
  finetuneJobs: FinetuneJobRecord[];
  candidateCount: number;
}

/** Validation scores of a prompt stage's random search (percent). */
export interface ValidationPoint {
  stageId: number;
  seed: number | null;
  prefix: string;
  /** Steps from the zero-shot program (1 for `p`, 3 for `p -> w -> p`). */
  step: number;
  candidates: Array<{ idx: number; kind: string; numDemos: number; score: number | null; isBest: boolean }>;
  best: number | null;
}

export interface RunCurves {
  runId: number;
  splits: string[];
  seeds: number[];
  /** Score after each step, per strategy, split and seed (percent; null until the stage finished). */
  points: CurvePoint[];
  validation: ValidationPoint[];
}
