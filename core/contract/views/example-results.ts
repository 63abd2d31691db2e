// One evaluation's example results, a page at a time: each example's inputs, prediction, score,
// pass/fail, error and trace id.

import type { CallError, CheckValues, FieldValue, Prediction } from './program.ts';
import type { EvaluationRecord } from './runs.ts';

/** An example result as stored. */
export interface ExampleResultRecord {
  id: number;
  evaluationId: number;
  exampleIndex: number;
  exampleId: string | null;
  score: number;
  passed: boolean;
  prediction: Prediction | null;
  traceId: number | null;
  error: CallError | null;
}

/** An example result with its inputs (from its trace) and gold labels. */
export interface ExampleResultRow extends ExampleResultRecord {
  /** The example's inputs, as the program received them. */
  inputs: Record<string, FieldValue> | null;
  /** The example's gold labels; null for results saved before labels were kept. */
  labels: Record<string, FieldValue> | null;
  /** The task's intermediate checks on this example's trace; null for tasks without checks. */
  checks: CheckValues | null;
}

export type ExampleResultSort = 'index' | 'index-desc' | 'score' | 'score-desc';

export interface ExampleResultPage {
  evaluation: EvaluationRecord;
  rows: ExampleResultRow[];
  /** Pass as `cursor` for the next page (same query); null on the last page. */
  nextCursor: string | null;
  /** Rows matching the filters and search, over all pages. */
  total: number;
}
