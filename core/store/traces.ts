// Program traces with all their LM calls: saved in batches, one transaction per batch, and
// read back whole.

import type { CallError, ProgramTrace } from '../program/trace.ts';
import type { FieldValue, Prediction } from '../program/example.ts';
import type { Db } from './database.ts';
import { fromJson, fromJsonOrNull } from './json.ts';
import type { LMCallRecord, LMCallRepository } from './lm-calls.ts';
import type { TraceContext, TracePurpose, TraceWriter } from './trace-writer.ts';

export interface StoredTrace extends ProgramTrace {
  id: number;
  runId: number;
  stageId: number | null;
  purpose: TracePurpose;
  createdAt: number;
  calls: LMCallRecord[];
}

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
}

export class TraceRepository {
  private readonly getStmt;
  private readonly saveManyTx;

  constructor(
    db: Db,
    private readonly writer: TraceWriter,
    private readonly lmCalls: LMCallRepository,
    now: () => number,
  ) {
    this.getStmt = db.prepare<[number], TraceRow>('SELECT id, run_id, stage_id, purpose, example_id, inputs, prediction, error, created_at FROM traces WHERE id = ?');
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
    };
  }
}
