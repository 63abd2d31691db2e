// Traces and LM calls: a trace with all its calls in full (rendered messages, raw completion,
// parsed fields, tokens, latency, cache hit) and the example result it produced (with the gold
// labels), if any; pages of LM calls with the store's filters, full-text search and cursors;
// one call; totals.

import type { FieldValue } from '../program/example.ts';
import type { LMCallPage, LMCallRecord, LMCallStats, StoredTrace } from '../store/index.ts';
import { StoreError } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput, notFound } from './errors.ts';
import type { LMCallIdInput, LMCallsPageInput, LMCallStatsInput, Parsed, TraceIdInput } from './schemas.ts';

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

interface ResultRow {
  evaluation_id: number;
  split: string;
  stage_id: number | null;
  candidate_id: number | null;
  example_index: number;
  score: number;
  passed: number;
  labels: string | null;
}

export function getTrace(ctx: ApiContext, input: Parsed<typeof TraceIdInput>): TraceDetail {
  const trace = ctx.store.traces.get(input.traceId);
  if (!trace) throw notFound(`trace ${input.traceId} does not exist`);
  const row = ctx.sql.get<ResultRow>(
    `SELECT er.evaluation_id, e.split, e.stage_id, e.candidate_id, er.example_index, er.score, er.passed, er.labels
     FROM example_results er JOIN evaluations e ON e.id = er.evaluation_id WHERE er.trace_id = ? LIMIT 1`,
    trace.id,
  );
  const result: TraceResult | null = row
    ? {
        evaluationId: row.evaluation_id,
        split: row.split,
        stageId: row.stage_id,
        candidateId: row.candidate_id,
        exampleIndex: row.example_index,
        score: row.score,
        passed: row.passed === 1,
        labels: parseLabels(row.labels),
      }
    : null;
  return { trace, result };
}

function parseLabels(text: string | null): Record<string, FieldValue> | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, FieldValue>;
  } catch {
    return null;
  }
}

export function pageLMCalls(ctx: ApiContext, input: Parsed<typeof LMCallsPageInput>): LMCallPage {
  const { cursor, ...rest } = input;
  try {
    return ctx.store.lmCalls.page({ ...rest, ...(cursor ? { cursor } : {}) });
  } catch (error) {
    if (error instanceof StoreError && error.code === 'invalid-cursor') throw invalidInput('cursor', error.message);
    throw error;
  }
}

export function getLMCall(ctx: ApiContext, input: Parsed<typeof LMCallIdInput>): LMCallRecord {
  const call = ctx.store.lmCalls.get(input.callId);
  if (!call) throw notFound(`LM call ${input.callId} does not exist`);
  return call;
}

export function lmCallStats(ctx: ApiContext, input: Parsed<typeof LMCallStatsInput>): LMCallStats {
  if (input.runId !== undefined && !ctx.store.runs.get(input.runId)) throw notFound(`run ${input.runId} does not exist`);
  return ctx.store.lmCalls.stats(input.runId !== undefined ? { runId: input.runId } : {});
}
