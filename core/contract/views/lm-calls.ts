// Stored LM calls: one call in full, page rows with short previews, and totals.

import type { CallError, PredictorCall } from './program.ts';

/** A stored call: everything the program recorded, plus where it belongs. */
export interface LMCallRecord extends PredictorCall {
  id: number;
  traceId: number;
  runId: number;
  stageId: number | null;
  /** Position of the call in its trace. */
  index: number;
}

/** A page row: the call without its messages, with short previews of prompt and completion. */
export interface LMCallSummary {
  id: number;
  traceId: number;
  runId: number;
  stageId: number | null;
  index: number;
  predictor: string;
  model: string;
  /** Start of the last message (usually the user turn with the inputs), whitespace collapsed. */
  promptPreview: string;
  /** Start of the completion; null when the LM call failed. */
  completionPreview: string | null;
  parseFallback: string | null;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  cached: boolean;
  attempts: number;
  error: CallError | null;
  startedAt: number;
}

export interface LMCallPage {
  rows: LMCallSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Only when asked for with `withTotal`. */
  total?: number;
}

export interface LMCallStats {
  calls: number;
  cached: number;
  errors: number;
  errorsByKind: Record<string, number>;
  parseFallbacks: number;
  promptTokens: number;
  completionTokens: number;
  totalLatencyMs: number;
}
