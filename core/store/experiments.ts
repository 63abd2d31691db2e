// Experiments: a named comparison of strategies on one task, with its configuration. Deleting
// one deletes everything under it (runs, stages, candidates, evaluations, traces, LM calls,
// fine-tune records) through the schema's cascading foreign keys.

import type { Db } from './database.ts';
import { fromJson, toJson, type JsonObject } from './json.ts';

export interface ExperimentRecord {
  id: number;
  name: string;
  task: string;
  config: JsonObject;
  createdAt: number;
}

export interface NewExperiment {
  name: string;
  task: string;
  config?: object;
}

interface ExperimentRow {
  id: number;
  name: string;
  task: string;
  config: string;
  created_at: number;
}

const COLUMNS = 'id, name, task, config, created_at';

export class ExperimentRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly countRunsStmt;
  private readonly deleteStmt;
  private readonly deleteTx;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare<[string, string, string, number]>('INSERT INTO experiments (name, task, config, created_at) VALUES (?, ?, ?, ?)');
    this.getStmt = db.prepare<[number], ExperimentRow>(`SELECT ${COLUMNS} FROM experiments WHERE id = ?`);
    this.listStmt = db.prepare<[], ExperimentRow>(`SELECT ${COLUMNS} FROM experiments ORDER BY id DESC`);
    this.countRunsStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM runs WHERE experiment_id = ?');
    this.deleteStmt = db.prepare<[number]>('DELETE FROM experiments WHERE id = ?');
    this.deleteTx = db.transaction((id: number) => {
      const runs = this.countRunsStmt.get(id)?.n ?? 0;
      this.deleteStmt.run(id);
      return runs;
    });
  }

  create(input: NewExperiment): number {
    const result = this.insertStmt.run(input.name, input.task, toJson(input.config ?? {}, 'experiment config'), this.now());
    return Number(result.lastInsertRowid);
  }

  get(id: number): ExperimentRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  /** Newest first. */
  list(): ExperimentRecord[] {
    return this.listStmt.all().map(toRecord);
  }

  /** Deletes the experiment with everything under it, in one transaction; returns how many runs went with it. */
  delete(id: number): number {
    return this.deleteTx(id);
  }
}

function toRecord(row: ExperimentRow): ExperimentRecord {
  return {
    id: row.id,
    name: row.name,
    task: row.task,
    config: fromJson<JsonObject>(row.config, `experiments.config of experiment ${row.id}`),
    createdAt: row.created_at,
  };
}
