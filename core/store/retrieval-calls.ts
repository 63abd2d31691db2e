// The retrievals of stored traces, read back in order (the trace writer stores them).

import type { RetrievalCall, RetrievedPassage } from '../program/trace.ts';
import type { Db } from './database.ts';
import { fromJsonForDisplay } from './json.ts';

interface RetrievalRow {
  module: string;
  query: string;
  k: number;
  backend: string;
  retriever: string;
  passages: string;
  latency_ms: number;
  cached: number;
  attempts: number;
  error_kind: string | null;
  error_message: string | null;
  started_at: number;
  after_calls: number;
}

export class RetrievalCallRepository {
  private readonly forTraceStmt;

  constructor(db: Db) {
    this.forTraceStmt = db.prepare<[number], RetrievalRow>(
      `SELECT module, query, k, backend, retriever, passages, latency_ms, cached, attempts, error_kind, error_message, started_at, after_calls
       FROM retrieval_calls WHERE trace_id = ? ORDER BY call_index`,
    );
  }

  listForTrace(traceId: number): RetrievalCall[] {
    return this.forTraceStmt.all(traceId).map((row) => ({
      module: row.module,
      query: row.query,
      k: row.k,
      backend: row.backend,
      retriever: row.retriever,
      // An unreadable passages column (a hand-edited file) shows as no passages rather than failing the trace.
      passages: fromJsonForDisplay<RetrievedPassage[]>(row.passages) ?? [],
      latencyMs: row.latency_ms,
      cached: row.cached === 1,
      attempts: row.attempts,
      error: row.error_kind === null ? null : { kind: row.error_kind, message: row.error_message ?? '' },
      startedAt: row.started_at,
      afterCalls: row.after_calls,
    }));
  }
}
