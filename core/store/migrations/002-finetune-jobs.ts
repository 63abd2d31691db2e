// Migration 2: fine-tuning jobs (one per adapter trained by a `w` step, with its data files,
// hyperparameters, loss curve and outcome) and a stage outcome for "no passing traces".

import type { Migration } from './migration.ts';

export const finetuneJobs: Migration = {
  version: 2,
  name: 'finetune-jobs',
  sql: `
ALTER TABLE stages ADD COLUMN outcome TEXT;

CREATE TABLE finetune_jobs (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stage_id      INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  finetuner     TEXT    NOT NULL,
  group_key     TEXT    NOT NULL,
  predictors    TEXT    NOT NULL,
  base_model    TEXT    NOT NULL,
  adapter_name  TEXT    NOT NULL,
  adapter_dir   TEXT,
  train_file    TEXT    NOT NULL,
  valid_file    TEXT,
  rows          INTEGER NOT NULL,
  hyperparams   TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('finished', 'failed')),
  error         TEXT,
  train_rows    INTEGER,
  skipped       TEXT,
  losses        TEXT,
  seconds       REAL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX finetune_jobs_by_run ON finetune_jobs (run_id, id);
CREATE INDEX finetune_jobs_by_stage ON finetune_jobs (stage_id, id);
`,
};
