// Fine-tuning jobs: what each `w` step trained — on which rows, from which base model, with which
// hyperparameters — and how it went (loss curve, skipped rows, time, or the trainer's error; the
// adapter's size and the end of the trainer's output). One INSERT when the job ends, so a job's
// outcome and its details are written together or not at all.

import type { FinetuneJobRecord } from '../contract/views/index.ts';
import type { Db } from './database.ts';
import { fromJsonOrNull, toJson } from './json.ts';

/** Details a new job may leave out; they are stored as null. */
type JobDetail = 'error' | 'trainRows' | 'skipped' | 'losses' | 'seconds' | 'adapterBytes' | 'logTail' | 'provenanceFile' | 'sourceTraceIds';

export type NewFinetuneJob = Omit<FinetuneJobRecord, 'id' | 'createdAt' | 'hyperparams' | JobDetail> &
  Partial<Pick<FinetuneJobRecord, JobDetail>> & {
    hyperparams: object;
  };

export type { FinetuneJobRecord };

interface Row {
  id: number;
  run_id: number;
  stage_id: number;
  finetuner: string;
  group_key: string;
  predictors: string;
  base_model: string;
  adapter_name: string;
  adapter_dir: string | null;
  train_file: string;
  valid_file: string | null;
  rows: number;
  hyperparams: string;
  status: 'finished' | 'failed';
  error: string | null;
  train_rows: number | null;
  skipped: string | null;
  losses: string | null;
  seconds: number | null;
  adapter_bytes: number | null;
  log_tail: string | null;
  provenance_file: string | null;
  source_traces: string | null;
  created_at: number;
}

export class FinetuneJobRepository {
  private readonly insertStmt;
  private readonly byRunStmt;
  private readonly byStageStmt;
  private readonly byIdStmt;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO finetune_jobs (run_id, stage_id, finetuner, group_key, predictors, base_model, adapter_name, adapter_dir, train_file,
         valid_file, rows, hyperparams, status, error, train_rows, skipped, losses, seconds, adapter_bytes, log_tail, provenance_file, source_traces, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byRunStmt = db.prepare<[number], Row>('SELECT * FROM finetune_jobs WHERE run_id = ? ORDER BY id');
    this.byStageStmt = db.prepare<[number], Row>('SELECT * FROM finetune_jobs WHERE stage_id = ? ORDER BY id');
    this.byIdStmt = db.prepare<[number], Row>('SELECT * FROM finetune_jobs WHERE id = ?');
  }

  record(job: NewFinetuneJob): number {
    const result = this.insertStmt.run(
      job.runId, job.stageId, job.finetuner, job.groupKey, toJson(job.predictors, 'fine-tune predictors'), job.baseModel, job.adapterName,
      job.adapterDir, job.trainFile, job.validFile, job.rows, toJson(job.hyperparams, 'fine-tune hyperparameters'), job.status,
      job.error ?? null, job.trainRows ?? null, job.skipped ? toJson(job.skipped, 'skipped rows') : null,
      job.losses ? toJson(job.losses, 'loss curve') : null, job.seconds ?? null, job.adapterBytes ?? null, job.logTail ?? null,
      job.provenanceFile ?? null, job.sourceTraceIds ? toJson(job.sourceTraceIds, 'source traces') : null, this.now(),
    );
    return Number(result.lastInsertRowid);
  }

  get(id: number): FinetuneJobRecord | null {
    const row = this.byIdStmt.get(id);
    return row ? toRecord(row) : null;
  }

  listForRun(runId: number): FinetuneJobRecord[] {
    return this.byRunStmt.all(runId).map(toRecord);
  }

  listForStage(stageId: number): FinetuneJobRecord[] {
    return this.byStageStmt.all(stageId).map(toRecord);
  }
}

function toRecord(row: Row): FinetuneJobRecord {
  const where = `finetune job ${row.id}`;
  return {
    id: row.id,
    runId: row.run_id,
    stageId: row.stage_id,
    finetuner: row.finetuner,
    groupKey: row.group_key,
    predictors: fromJsonOrNull<string[]>(row.predictors, `predictors of ${where}`) ?? [],
    baseModel: row.base_model,
    adapterName: row.adapter_name,
    adapterDir: row.adapter_dir,
    trainFile: row.train_file,
    validFile: row.valid_file,
    rows: row.rows,
    hyperparams: fromJsonOrNull<Record<string, unknown>>(row.hyperparams, `hyperparameters of ${where}`) ?? {},
    status: row.status,
    error: row.error,
    trainRows: row.train_rows,
    skipped: fromJsonOrNull<Record<string, number>>(row.skipped, `skipped rows of ${where}`),
    losses: fromJsonOrNull<Array<{ step: number; loss: number }>>(row.losses, `loss curve of ${where}`),
    seconds: row.seconds,
    adapterBytes: row.adapter_bytes,
    logTail: row.log_tail,
    provenanceFile: row.provenance_file,
    sourceTraceIds: fromJsonOrNull<number[]>(row.source_traces, `source traces of fine-tune job ${row.id}`),
    createdAt: row.created_at,
  };
}
