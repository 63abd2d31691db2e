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

export interface StrategyFlips {
  strategy: string;
  label: string;
  /** Summed over the seeds that have both evaluations. */
  counts: FlipCounts;
  seeds: SeedFlips[];
  /** Seeds where the baseline or the strategy has no final evaluation on the split (not run yet, failed). */
  missingSeeds: number[];
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
