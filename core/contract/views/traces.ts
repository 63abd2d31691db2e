// A stored trace with all its LM calls in full, and the example result it produced.

import type { LMCallRecord } from './lm-calls.ts';
import type { FieldValue, ProgramTrace } from './program.ts';

export type TracePurpose = 'eval' | 'bootstrap' | 'teacher' | (string & {});

export interface StoredTrace extends ProgramTrace {
  id: number;
  runId: number;
  stageId: number | null;
  purpose: TracePurpose;
  createdAt: number;
  calls: LMCallRecord[];
}

export interface TraceResult {
  evaluationId: number;
  split: string;
  stageId: number | null;
  candidateId: number | null;
  exampleIndex: number;
  score: number;
  passed: boolean;
  /** The example's gold labels; null for results saved before labels were kept. */
  labels: Record<string, FieldValue> | null;
}

export interface TraceDetail {
  trace: StoredTrace;
  /** The example result this trace produced (evaluation traces); null for bootstrap traces. */
  result: TraceResult | null;
}
