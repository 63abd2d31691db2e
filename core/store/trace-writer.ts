// Writes one program trace: its row (with its intermediate-check values), one lm_calls row per
// LM call, the call's texts in lm_call_bodies and its full-text entry, and one retrieval_calls
// row per retrieval. No transaction of its own: the repositories that use
// it (traces, evaluations, candidates) wrap whole units of work in one.

import type { TracePurpose } from '../contract/views/index.ts';
import type { PredictorCall, ProgramTrace, RetrievalCall } from '../program/trace.ts';
import type { Db } from './database.ts';
import { plainChatMessagesJson } from '../util/json-text.ts';
import { toJson, toJsonOrNull } from './json.ts';

export type { TracePurpose };

export interface TraceContext {
  runId: number;
  stageId: number | null;
  purpose: TracePurpose;
}

export class TraceWriter {
  private readonly traceStmt;
  private readonly callStmt;
  private readonly bodyStmt;
  private readonly ftsStmt;
  private readonly retrievalStmt;

  constructor(db: Db) {
    this.traceStmt = db.prepare<[number, number | null, string, string | null, string, string | null, string | null, number, string | null]>(
      'INSERT INTO traces (run_id, stage_id, purpose, example_id, inputs, prediction, error, created_at, checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.callStmt = db.prepare<
      [number, number, number | null, number, string, string, string | null, number, number, number, number, number, string | null, string | null, number, string | null]
    >(
      `INSERT INTO lm_calls (trace_id, run_id, stage_id, call_index, predictor, model, parse_fallback, prompt_tokens,
         completion_tokens, latency_ms, cached, attempts, error_kind, error_message, started_at, request)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.bodyStmt = db.prepare<[number, string, string, string | null, string | null]>(
      'INSERT INTO lm_call_bodies (call_id, inputs, messages, completion, outputs) VALUES (?, ?, ?, ?, ?)',
    );
    this.ftsStmt = db.prepare<[number, string, string]>('INSERT INTO lm_calls_fts (rowid, prompt, completion) VALUES (?, ?, ?)');
    this.retrievalStmt = db.prepare<
      [number, number, number | null, number, string, string, number, string, string, string, number, number, number, string | null, string | null, number, number]
    >(
      `INSERT INTO retrieval_calls (trace_id, run_id, stage_id, call_index, module, query, k, backend, retriever, passages,
         latency_ms, cached, attempts, error_kind, error_message, started_at, after_calls)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Inserts the trace and its calls; returns the trace id. Call inside a transaction. */
  insert(ctx: TraceContext, trace: ProgramTrace, createdAt: number): number {
    const traceId = Number(
      this.traceStmt.run(
        ctx.runId,
        ctx.stageId,
        ctx.purpose,
        trace.exampleId,
        toJson(trace.inputs, 'trace inputs'),
        toJsonOrNull(trace.prediction, 'trace prediction'),
        toJsonOrNull(trace.error, 'trace error'),
        createdAt,
        trace.checks ? toJson(trace.checks, 'trace checks') : null,
      ).lastInsertRowid,
    );
    trace.calls.forEach((call, index) => this.insertCall(ctx, traceId, index, call));
    trace.retrievals?.forEach((call, index) => this.insertRetrieval(ctx, traceId, index, call));
    return traceId;
  }

  private insertCall(ctx: TraceContext, traceId: number, index: number, call: PredictorCall): void {
    const callId = Number(
      this.callStmt.run(
        traceId,
        ctx.runId,
        ctx.stageId,
        index,
        call.predictor,
        call.model,
        call.parseFallback ?? null,
        call.usage.promptTokens,
        call.usage.completionTokens,
        call.latencyMs,
        call.cached ? 1 : 0,
        call.attempts,
        call.error?.kind ?? null,
        call.error?.message ?? null,
        call.startedAt,
        toJsonOrNull(call.request ?? null, `request of call ${call.predictor}`),
      ).lastInsertRowid,
    );
    const completion = call.completion ?? null;
    this.bodyStmt.run(
      callId,
      toJson(call.inputs, `inputs of call ${call.predictor}`),
      plainChatMessagesJson(call.messages) ?? toJson(call.messages, `messages of call ${call.predictor}`),
      completion,
      toJsonOrNull(call.outputs, `outputs of call ${call.predictor}`),
    );
    this.ftsStmt.run(callId, promptText(call), completion ?? '');
  }

  private insertRetrieval(ctx: TraceContext, traceId: number, index: number, call: RetrievalCall): void {
    this.retrievalStmt.run(
      traceId,
      ctx.runId,
      ctx.stageId,
      index,
      call.module,
      call.query,
      call.k,
      call.backend,
      call.retriever,
      toJson(call.passages, `passages of retrieval ${call.module}`),
      call.latencyMs,
      call.cached ? 1 : 0,
      call.attempts,
      call.error?.kind ?? null,
      call.error?.message ?? null,
      call.startedAt,
      call.afterCalls,
    );
  }
}

/** The searchable prompt text of a call: every message's content, in order. */
export function promptText(call: Pick<PredictorCall, 'messages'>): string {
  return call.messages.map((m) => m.content).join('\n\n');
}
