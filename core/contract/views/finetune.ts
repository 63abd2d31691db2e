// Fine-tuning jobs — what each weight step trained and how it went — and the exact rows a job
// trained on, a page at a time.

import type { ChatMessage } from './program.ts';

export interface FinetuneJobRecord {
  id: number;
  runId: number;
  stageId: number;
  finetuner: string;
  groupKey: string;
  predictors: string[];
  baseModel: string;
  adapterName: string;
  adapterDir: string | null;
  trainFile: string;
  validFile: string | null;
  rows: number;
  hyperparams: Record<string, unknown>;
  status: 'finished' | 'failed';
  error: string | null;
  trainRows: number | null;
  skipped: Record<string, number> | null;
  losses: Array<{ step: number; loss: number }> | null;
  seconds: number | null;
  /** Size on disk of the adapter folder when the job ended. */
  adapterBytes: number | null;
  /** The end of the trainer's stdout + stderr ('' when it printed nothing; null: not captured). */
  logTail: string | null;
  /** JSONL mapping each row of trainFile / validFile to its source trace, example and predictor. */
  provenanceFile: string | null;
  /** The stored traces the rows came from, distinct, ascending; null for jobs stored before they were kept. */
  sourceTraceIds: number[] | null;
  createdAt: number;
}

export interface FinetuneRow {
  /** Position in the provenance file: the training rows in training order, then validation rows. */
  index: number;
  split: 'train' | 'valid';
  /** Line of that split's JSONL file (0-based). */
  row: number;
  /** The stored trace the row was made from (null: the trace was not recorded). */
  traceId: number | null;
  exampleId: string | null;
  /** The module whose LM call became this row. */
  predictor: string;
  /** The chat row exactly as written for the trainer (zero-shot prompt + the trace's answer). */
  messages: ChatMessage[];
}

export interface FinetuneRowPage {
  jobId: number;
  runId: number;
  /** Rows in the provenance file (train + validation). */
  total: number;
  offset: number;
  limit: number;
  provenanceFile: string;
  rows: FinetuneRow[];
}
