// The random-search candidates of a prompt stage: how each was built, its validation score, the
// winner, and per predictor its instructions and demos.

import type { CheckValues, FieldValue, SignatureSpec } from './program.ts';
import type { StageSummary } from './runs.ts';

export type CandidateKind = 'zero-shot' | 'labeled' | 'bootstrap' | 'shuffled';

export interface DemoView {
  /** True when bootstrapped from the program's own passing trace, false for a labeled example. */
  augmented: boolean;
  exampleId: string | null;
  /** The stored trace an augmented demo was taken from; null for labeled demos. */
  sourceTraceId: number | null;
  /** The task's intermediate checks on that trace (e.g. both gold paragraphs retrieved?); null when none. */
  sourceChecks: CheckValues | null;
  fields: Record<string, FieldValue>;
}

export interface PredictorView {
  /** Stable path of the predictor in its program. */
  path: string;
  signature: SignatureSpec;
  demos: DemoView[];
  /** The model the predictor is bound to; null: the run's default model. */
  model: string | null;
}

export interface CandidateView {
  id: number;
  idx: number;
  kind: CandidateKind;
  seed: number;
  numDemos: number;
  /** Mean validation score, 0..1 (null before its evaluation was saved). */
  score: number | null;
  isBest: boolean;
  evaluationId: number | null;
  /** Validation examples and failed ones. */
  n: number | null;
  errors: number | null;
  predictors: PredictorView[];
  /**
   * The task's checks over the traces this candidate's bootstrapped demos came from: mean (0..1),
   * traces measured, and how many had the check at 1 (right for the right reason). Empty when
   * the candidate has no bootstrapped demos or the task no checks.
   */
  demoChecks: Record<string, { mean: number | null; n: number; full: number }>;
}

export interface StageCandidates {
  stage: StageSummary;
  candidates: CandidateView[];
}
