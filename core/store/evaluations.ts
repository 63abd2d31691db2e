// Evaluations: a program scored on a split, with one result per example and the trace that
// produced it. Saving one is one transaction: the evaluation row, every trace with its LM calls
// and every example result with its full-text entry (example_results_fts), or nothing.
//
// A result whose trace failed (trace.error set) scores 0 and counts as an error; the score is the
// mean over all n results, failures included, so errors are never silently left out.

import type { EvaluationRecord, ExampleResultRecord } from '../contract/views/index.ts';
import type { FieldValue, Prediction } from '../program/example.ts';
import type { CallError, ProgramTrace } from '../program/trace.ts';
import type { Db } from './database.ts';
import { finite, fromJsonOrNull, toJsonOrNull } from './json.ts';
import { retrievalSearchText } from './example-result-search.ts';
import type { TraceWriter } from './trace-writer.ts';

export interface ExampleResultInput {
  /** Position of the example in the split. */
  exampleIndex: number;
  exampleId: string | null;
  score: number;
  passed: boolean;
  prediction: Prediction | null;
  /** The example's gold labels (what the metric compared against); null when unknown. */
  labels?: Record<string, FieldValue> | null;
  trace: ProgramTrace;
}

export interface EvaluationInput {
  runId: number;
  stageId?: number | null;
  candidateId?: number | null;
  split: string;
  results: readonly ExampleResultInput[];
}

export interface EvaluationSummary {
  evaluationId: number;
  /** Mean score over all n results; failed ones count as 0. 0 when n is 0. */
  score: number;
  n: number;
  /** Results whose trace has an error. */
  errors: number;
}

export type { EvaluationRecord, ExampleResultRecord };

interface EvaluationRow {
  id: number;
  run_id: number;
  stage_id: number | null;
  candidate_id: number | null;
  split: string;
  score: number;
  n: number;
  errors: number;
  created_at: number;
}

/** An example_results row as SQLite returns it (what example result pages add columns to). */
export interface ExampleResultColumns {
  id: number;
  evaluation_id: number;
  example_index: number;
  example_id: string | null;
  score: number;
  passed: number;
  prediction: string | null;
  trace_id: number | null;
  error: string | null;
}

const COLUMNS = 'id, run_id, stage_id, candidate_id, split, score, n, errors, created_at';

export class EvaluationRepository {
  private readonly insertStmt;
  private readonly resultStmt;
  private readonly searchStmt;
  private readonly getStmt;
  private readonly listForRunStmt;
  private readonly listForStageStmt;
  private readonly resultsStmt;
  private readonly saveTx;

  constructor(
    db: Db,
    private readonly writer: TraceWriter,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare<[number, number | null, number | null, string, number, number, number, number]>(
      'INSERT INTO evaluations (run_id, stage_id, candidate_id, split, score, n, errors, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.resultStmt = db.prepare<[number, number, string | null, number, number, string | null, number, string | null, string | null]>(
      'INSERT INTO example_results (evaluation_id, example_index, example_id, score, passed, prediction, trace_id, error, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // A result's search text (migration 6): its example id, its trace's inputs as stored, its
    // prediction, and what its trace retrieved (queries and passage titles). One row of VALUES per result: into FTS5 that is 2-3 times cheaper than
    // INSERT … SELECT (per row or for the whole evaluation) or a trigger.
    this.searchStmt = db.prepare<[number, string | null, number, string | null, number]>(
      `INSERT INTO example_results_fts (rowid, text)
       VALUES (?, coalesce(?, '') || ' ' || coalesce((SELECT inputs FROM traces WHERE id = ?), '') || ' ' || coalesce(?, '') || ' ' || ${retrievalSearchText('?')})`,
    );
    this.getStmt = db.prepare<[number], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE id = ?`);
    this.listForRunStmt = db.prepare<[number], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE run_id = ? ORDER BY id`);
    this.listForStageStmt = db.prepare<[number], EvaluationRow>(`SELECT ${COLUMNS} FROM evaluations WHERE stage_id = ? ORDER BY id`);
    this.resultsStmt = db.prepare<[number], ExampleResultColumns>(
      'SELECT id, evaluation_id, example_index, example_id, score, passed, prediction, trace_id, error FROM example_results WHERE evaluation_id = ? ORDER BY example_index',
    );
    this.saveTx = db.transaction((input: EvaluationInput) => this.insert(input));
  }

  save(input: EvaluationInput): EvaluationSummary {
    return this.saveTx(input);
  }

  get(id: number): EvaluationRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  listForRun(runId: number): EvaluationRecord[] {
    return this.listForRunStmt.all(runId).map(toRecord);
  }

  listForStage(stageId: number): EvaluationRecord[] {
    return this.listForStageStmt.all(stageId).map(toRecord);
  }

  /** The example results of an evaluation, by example index. */
  results(evaluationId: number): ExampleResultRecord[] {
    return this.resultsStmt.all(evaluationId).map((row) => toResultRecord(row));
  }

  /** Writes the evaluation without a transaction of its own; callers provide one. */
  insert(input: EvaluationInput): EvaluationSummary {
    const createdAt = this.now();
    const scored = input.results.map((r) => {
      const failed = r.trace.error !== null;
      return { result: r, failed, score: failed ? 0 : finite(r.score, `score of example ${r.exampleIndex} (${r.exampleId ?? 'no id'})`) };
    });
    const n = scored.length;
    const errors = scored.filter((s) => s.failed).length;
    const score = n === 0 ? 0 : scored.reduce((sum, s) => sum + s.score, 0) / n;
    const evaluationId = Number(
      this.insertStmt.run(input.runId, input.stageId ?? null, input.candidateId ?? null, input.split, score, n, errors, createdAt).lastInsertRowid,
    );
    const ctx = { runId: input.runId, stageId: input.stageId ?? null, purpose: 'eval' };
    for (const { result, failed, score: exampleScore } of scored) {
      const traceId = this.writer.insert(ctx, result.trace, createdAt);
      const prediction = toJsonOrNull(result.prediction, `prediction of example ${result.exampleIndex}`);
      const resultId = this.resultStmt.run(
        evaluationId,
        result.exampleIndex,
        result.exampleId,
        exampleScore,
        result.passed && !failed ? 1 : 0,
        prediction,
        traceId,
        toJsonOrNull(result.trace.error, `error of example ${result.exampleIndex}`),
        toJsonOrNull(result.labels ?? null, `labels of example ${result.exampleIndex}`),
      ).lastInsertRowid;
      this.searchStmt.run(Number(resultId), result.exampleId, traceId, prediction, traceId);
    }
    return { evaluationId, score, n, errors };
  }
}

function toRecord(row: EvaluationRow): EvaluationRecord {
  return {
    id: row.id,
    runId: row.run_id,
    stageId: row.stage_id,
    candidateId: row.candidate_id,
    split: row.split,
    score: row.score,
    n: row.n,
    errors: row.errors,
    createdAt: row.created_at,
  };
}

/** How a JSON column is read: strictly (fromJsonOrNull), or for display (fromJsonForDisplay). */
type ReadJson = <T>(text: string | null, what: string) => T | null;

export function toResultRecord(row: ExampleResultColumns, read: ReadJson = fromJsonOrNull): ExampleResultRecord {
  const where = `example result ${row.id}`;
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    exampleIndex: row.example_index,
    exampleId: row.example_id,
    score: row.score,
    passed: row.passed === 1,
    prediction: read<Prediction>(row.prediction, `prediction of ${where}`),
    traceId: row.trace_id,
    error: read<CallError>(row.error, `error of ${where}`),
  };
}
