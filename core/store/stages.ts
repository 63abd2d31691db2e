// Stages: one optimization step of a run (the baseline, a prompt step `p`, a weight step `w`,
// …) with the strategy prefix it completes, and what it produced: the program state, the model
// it runs on and its scores per split.

import type { StageKind, StageRecord, StageScores, StageStatus } from '../contract/views/index.ts';
import type { ProgramState } from '../contract/views/program.ts';
import type { Db } from './database.ts';
import { StoreError, expectChanged } from './errors.ts';
import { finite, fromJsonOrNull, toJson } from './json.ts';

export type { StageKind, StageRecord, StageScores, StageStatus };

export interface NewStage {
  runId: number;
  parentStageId?: number | null;
  kind: StageKind;
  prefix: string;
  seed?: number | null;
}

export interface StageOutcome {
  programState: ProgramState;
  modelId: string | null;
  scores: StageScores;
  /** A notable result, e.g. `no-passing-traces` for a weight step with nothing to train on. */
  outcome?: string | null;
}

interface StageRow {
  id: number;
  run_id: number;
  parent_stage_id: number | null;
  kind: string;
  prefix: string;
  seed: number | null;
  status: StageStatus;
  program_state: string | null;
  model_id: string | null;
  scores: string | null;
  error: string | null;
  outcome: string | null;
  started_at: number;
  finished_at: number | null;
}

const COLUMNS = 'id, run_id, parent_stage_id, kind, prefix, seed, status, program_state, model_id, scores, error, outcome, started_at, finished_at';

export class StageRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listForRunStmt;
  private readonly finishStmt;
  private readonly failStmt;
  private readonly reopenStmt;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare<[number, number | null, string, string, number | null, number]>(
      "INSERT INTO stages (run_id, parent_stage_id, kind, prefix, seed, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
    );
    this.getStmt = db.prepare<[number], StageRow>(`SELECT ${COLUMNS} FROM stages WHERE id = ?`);
    this.listForRunStmt = db.prepare<[number], StageRow>(`SELECT ${COLUMNS} FROM stages WHERE run_id = ? ORDER BY id`);
    this.finishStmt = db.prepare<[string, string | null, string, string | null, number, number]>(
      "UPDATE stages SET status = 'finished', program_state = ?, model_id = ?, scores = ?, outcome = ?, error = NULL, finished_at = ? WHERE id = ?",
    );
    this.failStmt = db.prepare<[string, string, number, number]>('UPDATE stages SET status = ?, error = ?, finished_at = ? WHERE id = ?');
    this.reopenStmt = db.prepare<[number]>("UPDATE stages SET status = 'running', error = NULL, finished_at = NULL WHERE id = ?");
  }

  /** Starts a stage (status `running`). */
  create(input: NewStage): number {
    const result = this.insertStmt.run(input.runId, input.parentStageId ?? null, input.kind, input.prefix, input.seed ?? null, this.now());
    return Number(result.lastInsertRowid);
  }

  get(id: number): StageRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  /** In creation order. */
  listForRun(runId: number): StageRecord[] {
    return this.listForRunStmt.all(runId).map(toRecord);
  }

  finish(id: number, outcome: StageOutcome): void {
    for (const [split, score] of Object.entries(outcome.scores)) finite(score, `stage ${id} score for split "${split}"`);
    const result = this.finishStmt.run(
      toJson(outcome.programState, `program state of stage ${id}`),
      outcome.modelId,
      toJson(outcome.scores, `scores of stage ${id}`),
      outcome.outcome ?? null,
      this.now(),
      id,
    );
    expectChanged(result.changes, `stage ${id}`);
  }

  /** Marks a failed or interrupted stage as running again (resume keeps its finished work). */
  reopen(id: number): void {
    expectChanged(this.reopenStmt.run(id).changes, `stage ${id}`);
  }

  fail(id: number, error: string, status: 'failed' | 'cancelled' = 'failed'): void {
    if (status !== 'failed' && status !== 'cancelled') throw new StoreError('invalid-value', `a stage can only fail as "failed" or "cancelled", not "${String(status)}"`);
    const result = this.failStmt.run(status, error, this.now(), id);
    expectChanged(result.changes, `stage ${id}`);
  }
}

function toRecord(row: StageRow): StageRecord {
  const where = `stage ${row.id}`;
  return {
    id: row.id,
    runId: row.run_id,
    parentStageId: row.parent_stage_id,
    kind: row.kind,
    prefix: row.prefix,
    seed: row.seed,
    status: row.status,
    programState: fromJsonOrNull<ProgramState>(row.program_state, `stages.program_state of ${where}`),
    modelId: row.model_id,
    scores: fromJsonOrNull<StageScores>(row.scores, `stages.scores of ${where}`),
    error: row.error,
    outcome: row.outcome,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
