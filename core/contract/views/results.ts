// The results of a run: the paper-style table (strategies × splits, mean and 95% CI over seeds,
// "—" where a weight step had no passing traces), the score after each step, and per-stage cost.

import type { CostTotals } from '../cost.ts';

export interface ResultCell {
  /** Percent; null when no seed has a value. */
  mean: number | null;
  ci95: number | null;
  /** Per seed, in seed order: the score, or null ("—" or not run yet). */
  values: Array<number | null>;
  /** True when a seed's chain had a weight step with no passing traces (the paper's "—"). */
  noPassingTraces: boolean;
}

export interface ResultRow {
  /** '' is the vanilla zero-shot program. */
  strategy: string;
  label: string;
  cells: Record<string, ResultCell>;
}

export interface CurvePoint {
  strategy: string;
  seed: number;
  split: string;
  /** 0 for the zero-shot baseline, then one per step. */
  step: number;
  prefix: string;
  score: number | null;
}

export interface StageCost {
  stageId: number;
  seed: number | null;
  prefix: string;
  kind: string;
  status: string;
  outcome: string | null;
  lmCalls: number;
  cachedCalls: number;
  tokens: number;
  promptTokens: number;
  completionTokens: number;
  seconds: number | null;
  finetuneSeconds: number;
}

/**
 * What a strategy cost, mean per seed: `attributed` counts every stage of its chain after the
 * zero-shot root (shared prefixes charged to each strategy that uses them: what running it alone
 * would take); `own` only its last stage (the step it adds to its longest prefix; summing `own`
 * over the tree counts each stage once). The baseline's row has the zero-shot evaluation.
 */
export interface StrategyCost {
  strategy: string;
  label: string;
  /** Seeds whose chain finished (the mean is over these). */
  seeds: number;
  attributed: CostTotals;
  own: CostTotals;
}

/** The whole run, each stage once, summed over seeds. */
export interface TreeCost {
  total: CostTotals;
  stages: number;
}

/** A task's intermediate check, as tables label it. */
export interface CheckInfo {
  name: string;
  label: string;
  /** Path of the module whose output it judges. */
  module: string;
  description: string;
}

/** A strategy's intermediate-check values: per split, per check, mean and 95% CI over seeds (percent). */
export interface CheckRow {
  strategy: string;
  label: string;
  cells: Record<string, Record<string, ResultCell>>;
}

/**
 * The quality of what a stage learned from: the traces its demos (a prompt step) or its training
 * rows (a weight step) came from, measured by the task's checks. Every such trace passed the
 * metric; `full` counts those whose check was 1 (right answer for the right reason).
 */
export interface SourceQuality {
  stageId: number;
  seed: number | null;
  prefix: string;
  kind: string;
  /** `demos`: the stage's augmented demos; `training`: a fine-tune job's rows. */
  source: 'demos' | 'training';
  /** Traces measured. */
  traces: number;
  checks: Record<string, { mean: number | null; n: number; full: number }>;
}

export interface RunChecks {
  definitions: CheckInfo[];
  rows: CheckRow[];
  sources: SourceQuality[];
}

export interface RunResults {
  runId: number;
  splits: string[];
  seeds: number[];
  rows: ResultRow[];
  curves: CurvePoint[];
  costs: StageCost[];
  strategyCosts: StrategyCost[];
  treeCost: TreeCost;
  /** The task's intermediate checks; absent for tasks without any. */
  checks?: RunChecks;
}
