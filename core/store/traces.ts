// Program traces with all their LM calls and retrievals: saved in batches, one transaction per batch, and
// read back whole, with the example result a trace produced.

import type { StoredTrace, TraceResult } from '../contract/views/index.ts';
import type { CallError, CheckValues, ProgramTrace } from '../program/trace.ts';
import type { FieldValue, Prediction } from '../program/example.ts';
import type { Db } from './database.ts';
import { fromJson, fromJsonForDisplay, fromJsonOrNull } from './json.ts';
import type { LMCallRepository } from './lm-calls.ts';
import type { RetrievalCallRepository } from './retrieval-calls.ts';
import type { TraceContext, TraceWriter } from './trace-writer.ts';

export type { StoredTrace, TraceResult };

interface TraceRow {
  id: number;
  run_id: number;
  stage_id: number | null;
  purpose: string;
  example_id: string | null;
  inputs: string;
  prediction: string | null;
  error: string | null;
  created_at: number;
  checks: string | null;
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

export class TraceRepository {
  private readonly getStmt;
  private readonly resultStmt;
  private readonly saveManyTx;

  constructor(
    db: Db,
    private readonly writer: TraceWriter,
    private readonly lmCalls: LMCallRepository,
    private readonly retrievals: RetrievalCallRepository,
    now: () => number,
  ) {
    this.getStmt = db.prepare<[number], TraceRow>('SELECT id, run_id, stage_id, purpose, example_id, inputs, prediction, error, created_at, checks FROM traces WHERE id = ?');
    this.resultStmt = db.prepare<[number], ResultRow>(
      `SELECT er.evaluation_id, e.split, e.stage_id, e.candidate_id, er.example_index, er.score, er.passed, er.labels
       FROM example_results er JOIN evaluations e ON e.id = er.evaluation_id WHERE er.trace_id = ? LIMIT 1`,
    );
    this.saveManyTx = db.transaction((ctx: TraceContext, traces: readonly ProgramTrace[]) => {
      const createdAt = now();
      return traces.map((trace) => this.writer.insert(ctx, trace, createdAt));
    });
  }

  /** Saves the traces and all their LM calls in one transaction; returns the trace ids in order. */
  saveMany(ctx: TraceContext, traces: readonly ProgramTrace[]): number[] {
    return this.saveManyTx(ctx, traces);
  }

  get(id: number): StoredTrace | undefined {
    const row = this.getStmt.get(id);
    if (!row) return undefined;
    const where = `trace ${row.id}`;
    const retrievals = this.retrievals.listForTrace(row.id);
    const checks = fromJsonForDisplay<CheckValues>(row.checks);
    return {
      id: row.id,
      runId: row.run_id,
      stageId: row.stage_id,
      purpose: row.purpose,
      exampleId: row.example_id,
      inputs: fromJson<Record<string, FieldValue>>(row.inputs, `inputs of ${where}`),
      prediction: fromJsonOrNull<Prediction>(row.prediction, `prediction of ${where}`),
      error: fromJsonOrNull<CallError>(row.error, `error of ${where}`),
      createdAt: row.created_at,
      calls: this.lmCalls.listForTrace(row.id),
      ...(retrievals.length > 0 ? { retrievals } : {}),
      ...(checks ? { checks } : {}),
    };
  }

  /** The example result the trace produced (evaluation traces); null for other traces. Unreadable labels show as null. */
  exampleResult(traceId: number): TraceResult | null {
    const row = this.resultStmt.get(traceId);
    if (!row) return null;
    return {
      evaluationId: row.evaluation_id,
      split: row.split,
      stageId: row.stage_id,
      candidateId: row.candidate_id,
      exampleIndex: row.example_index,
      score: row.score,
      passed: row.passed === 1,
      labels: fromJsonForDisplay<Record<string, FieldValue>>(row.labels),
    };
  }
}
