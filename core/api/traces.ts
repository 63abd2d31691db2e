// Traces and LM calls: a trace with all its calls in full (rendered messages, raw completion,
// parsed fields, tokens, latency, cache hit) and the example result it produced (with the gold
// labels), if any; pages of LM calls with the store's filters, full-text search and cursors;
// one call; totals.

import type { LMCallIdInput, LMCallsPageInput, LMCallStatsInput, Parsed, TraceIdInput } from '../contract/schemas.ts';
import type { LMCallPage, LMCallRecord, LMCallStats, TraceDetail } from '../contract/views/index.ts';
import { StoreError } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput, notFound } from './errors.ts';

export function getTrace(ctx: ApiContext, input: Parsed<typeof TraceIdInput>): TraceDetail {
  const trace = ctx.store.traces.get(input.traceId);
  if (!trace) throw notFound(`trace ${input.traceId} does not exist`);
  return { trace, result: ctx.store.traces.exampleResult(trace.id) };
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
