// Migration 5: a fine-tune job keeps what the workbench shows after the fact: the adapter's size
// on disk, the end of the trainer's output (stdout + stderr), and the provenance file that maps
// each training row to its source trace. Older jobs have none of them (NULL).

import type { Migration } from './migration.ts';

export const finetuneJobDetails: Migration = {
  version: 5,
  name: 'finetune-job-details',
  sql: `
ALTER TABLE finetune_jobs ADD COLUMN adapter_bytes INTEGER;
ALTER TABLE finetune_jobs ADD COLUMN log_tail TEXT;
ALTER TABLE finetune_jobs ADD COLUMN provenance_file TEXT;
`,
};
