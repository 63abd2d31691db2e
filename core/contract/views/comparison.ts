// Strategies of a run against a baseline strategy: the table rows, and per strategy a flip
// matrix over the examples of one split (right → wrong regressions, wrong → right improvements).

import type { ResultRow } from './results.ts';

export interface FlipExample {
  exampleId: string | null;
  exampleIndex: number;
  /** The traces of the example under the baseline and under the strategy (open with getTrace). */
  baselineTraceId: number | null;
  traceId: number | null;
}

export interface FlipCounts {
  /** Examples compared. */
  n: number;
  bothRight: number;
  bothWrong: number;
  /** Right under the baseline, wrong under the strategy: regressions. */
  rightToWrong: number;
  /** Wrong under the baseline, right under the strategy: improvements. */
  wrongToRight: number;
}

export interface SeedFlips extends FlipCounts {
  seed: number;
  baselineStageId: number;
  stageId: number;
  baselineEvaluationId: number;
  evaluationId: number;
  /** The strategy's chain had a weight step with no passing traces (the table's "—"). */
  noPassingTraces: boolean;
  rightToWrongExamples: FlipExample[];
  wrongToRightExamples: FlipExample[];
}

/** Is the strategy's difference from the baseline real? (report/significance.ts) */
export interface StrategySignificance {
  /** Strategy minus baseline accuracy, in percentage points (mean over seeds of each seed's difference). */
  difference: number;
  /** Paired bootstrap 95% CI of the difference (seeds and examples within seeds resampled), in points. */
  low: number;
  high: number;
  /** Bootstrap resamples drawn (seeded, so the interval is the same every time). */
  iterations: number;
  /** Exact McNemar p-value on the flips pooled over seeds. */
  p: number;
  /** Holm-adjusted over the strategies compared with this baseline. */
  pHolm: number;
  perSeed: Array<{ seed: number; rightToWrong: number; wrongToRight: number; p: number }>;
  /** One plain line, e.g. "p -> w -> p beats p by 4.2 points (95% CI 1.1 to 7.3, p = 0.01, Holm 0.03)". */
  sentence: string;
}

export interface StrategyFlips {
  strategy: string;
  label: string;
  /** Summed over the seeds that have both evaluations. */
  counts: FlipCounts;
  seeds: SeedFlips[];
  /** Seeds where the baseline or the strategy has no final evaluation on the split (not run yet, failed). */
  missingSeeds: number[];
  /** Null when no seed has both evaluations. */
  significance: StrategySignificance | null;
}

export interface Comparison {
  runId: number;
  split: string;
  baseline: string;
  strategies: string[];
  seeds: number[];
  /** The table rows of the baseline and the compared strategies, in that order. */
  table: ResultRow[];
  flips: StrategyFlips[];
}

/** One strategy of one run against the same strategy of another run on the same task, paired by example and seed. */
export interface RunsStrategyComparison {
  strategy: string;
  label: string;
  /** This run's and the other's accuracy on the split (percent, mean over seeds), null when not finished. */
  accuracy: number | null;
  otherAccuracy: number | null;
  /** Summed over the seeds both runs have: right in this run and wrong in the other (rightToWrong), and the reverse. */
  counts: FlipCounts;
  /** Seeds both runs ran (paired by seed number). */
  seeds: number[];
  significance: StrategySignificance | null;
}

/** Two runs of the same task compared strategy by strategy (a model, a setting, a code change). */
export interface RunsComparison {
  runId: number;
  otherRunId: number;
  split: string;
  task: string;
  strategies: RunsStrategyComparison[];
  /** Why pairs are fewer than the examples, when they are (different data, unfinished stages). */
  notes: string[];
}
