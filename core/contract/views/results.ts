// The results of a run: the paper-style table (strategies × splits, mean and 95% CI over seeds,
// "—" where a weight step had no passing traces), the score after each step, and per-stage cost.

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
  seconds: number | null;
  finetuneSeconds: number;
}

export interface RunResults {
  runId: number;
  splits: string[];
  seeds: number[];
  rows: ResultRow[];
  curves: CurvePoint[];
  costs: StageCost[];
}
