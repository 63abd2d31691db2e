// What every optimizer needs besides its own options: where the program runs, how it is scored,
// how wide to fan out, where to report progress and where to keep the traces it produces.

import type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
import type { Metric } from '../evaluate/metric.ts';
import type { EvaluationResult } from '../evaluate/evaluate.ts';
import type { ProgramEnv } from '../program/context.ts';
import type { ProgramTrace } from '../program/trace.ts';
import type { OptimizeEvent } from './events.ts';

export interface OptimizerContext {
  env: ProgramEnv;
  metric: Metric;
  /** The task's intermediate checks, measured on every trace the optimizer runs. */
  checks?: readonly IntermediateCheck[];
  /** Parallel program runs (bootstrapping and evaluation). */
  concurrency: number;
  /** Evaluation stops after this many failed examples. Default: no limit. */
  maxErrors?: number;
  onEvent?: (event: OptimizeEvent) => void;
  /** Persists traces (e.g. bootstrap attempts) and returns their ids, so demos can link to them. */
  recordTraces?: (traces: ProgramTrace[], purpose: string) => number[];
}

export type { EvaluationResult };
