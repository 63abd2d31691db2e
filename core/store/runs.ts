// Runs: one strategy with one seed inside an experiment, and its lifecycle.

import type { RunStatus } from '../contract/views/index.ts';
import type { Db } from './database.ts';
import { expectChanged } from './errors.ts';
import { fromJson, fromJsonOrNull, toJson, type JsonObject } from './json.ts';

export type { RunStatus };

export { RUN_STATUSES } from '../contract/schemas.ts';

/** Statuses after which a run or stage does not change any more (unless resumed). */
export function isTerminal(status: RunStatus): boolean {
  return status === 'finished' || status === 'failed' || status === 'cancelled';
}

export interface RunRecord {
  id: number;
  experimentId: number;
  /** The experiment's task. */
  task: string;
  strategy: string;
  seed: number;
  lm: JsonObject;
  config: JsonObject;
  status: RunStatus;
  error: string | null;
  summary: JsonObject | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface NewRun {
  experimentId: number;
  strategy: string;
  seed: number;
  lm: object;
  config?: object;
}

export interface RunFilter {
  experimentId?: number;
  status?: RunStatus;
}

interface RunRow {
  id: number;
  experiment_id: number;
  task: string;
  strategy: string;
  seed: number;
  lm: string;
  config: string;
  status: RunStatus;
  error: string | null;
  summary: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const SELECT = `SELECT r.id, r.experiment_id, e.task, r.strategy, r.seed, r.lm, r.config, r.status, r.error, r.summary,
  r.created_at, r.started_at, r.finished_at FROM runs r JOIN experiments e ON e.id = r.experiment_id`;

export class RunRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly setStatusStmt;
  private readonly finishStmt;
  private readonly annotateStmt;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare<[number, string, number, string, string, number]>(
      'INSERT INTO runs (experiment_id, strategy, seed, lm, config, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<[number], RunRow>(`${SELECT} WHERE r.id = ?`);
    this.listStmt = db.prepare<{ experimentId: number | null; status: string | null }, RunRow>(
      `${SELECT}
       WHERE (:experimentId IS NULL OR r.experiment_id = :experimentId) AND (:status IS NULL OR r.status = :status)
       ORDER BY r.id DESC`,
    );
    // Entering `running` stamps started_at once and clears a previous end (a resumed run);
    // entering a terminal status stamps finished_at.
    this.setStatusStmt = db.prepare<{ id: number; status: string; error: string | null; now: number; terminal: number }>(
      `UPDATE runs SET
         status = :status,
         error = :error,
         started_at = CASE WHEN :status = 'running' THEN coalesce(started_at, :now) ELSE started_at END,
         finished_at = CASE WHEN :terminal THEN :now ELSE NULL END
       WHERE id = :id`,
    );
    this.annotateStmt = db.prepare<[string, string, number]>(
      "UPDATE runs SET summary = json_set(coalesce(summary, '{}'), '$.' || ?, json(?)) WHERE id = ?",
    );
    this.finishStmt = db.prepare<[string, number, number]>(
      "UPDATE runs SET status = 'finished', error = NULL, summary = ?, finished_at = ?, started_at = coalesce(started_at, created_at) WHERE id = ?",
    );
  }

  create(input: NewRun): number {
    const result = this.insertStmt.run(
      input.experimentId,
      input.strategy,
      input.seed,
      toJson(input.lm, 'run lm'),
      toJson(input.config ?? {}, 'run config'),
      this.now(),
    );
    return Number(result.lastInsertRowid);
  }

  get(id: number): RunRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  /** Newest first. */
  list(filter: RunFilter = {}): RunRecord[] {
    return this.listStmt.all({ experimentId: filter.experimentId ?? null, status: filter.status ?? null }).map(toRecord);
  }

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    const result = this.setStatusStmt.run({ id, status, error, now: this.now(), terminal: isTerminal(status) ? 1 : 0 });
    expectChanged(result.changes, `run ${id}`);
  }

  /** Adds one entry to a finished run's summary (e.g. a determinism check made afterwards). */
  annotateSummary(id: number, key: string, value: object): void {
    const result = this.annotateStmt.run(key, toJson(value, `run summary ${key}`), id);
    expectChanged(result.changes, `run ${id}`);
  }

  /** Marks the run finished with its summary (best strategy prefix, scores, …). */
  finish(id: number, summary: object): void {
    const result = this.finishStmt.run(toJson(summary, 'run summary'), this.now(), id);
    expectChanged(result.changes, `run ${id}`);
  }
}

function toRecord(row: RunRow): RunRecord {
  const where = `run ${row.id}`;
  return {
    id: row.id,
    experimentId: row.experiment_id,
    task: row.task,
    strategy: row.strategy,
    seed: row.seed,
    lm: fromJson<JsonObject>(row.lm, `runs.lm of ${where}`),
    config: fromJson<JsonObject>(row.config, `runs.config of ${where}`),
    status: row.status,
    error: row.error,
    summary: fromJsonOrNull<JsonObject>(row.summary, `runs.summary of ${where}`),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
