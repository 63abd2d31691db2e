// Migration 5: a fine-tune job keeps its adapter's size, the end of the trainer's output and its
// provenance file; jobs recorded before the migration read back with those as null.

import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/store/database.ts';
import { migrate } from '../../../core/store/migrate.ts';
import { MIGRATIONS } from '../../../core/store/migrations/index.ts';
import { openStore } from '../../../core/store/index.ts';
import { tempDir, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

const job = (runId: number, stageId: number) => ({
  runId,
  stageId,
  finetuner: 'command',
  groupKey: 'g',
  predictors: ['predict'],
  baseModel: 'stub-model',
  adapterName: 'tandem-r1-s2',
  trainFile: '/ws/finetune/run-1/stage-2/tandem-r1-s2/train.jsonl',
  validFile: null,
  rows: 3,
  hyperparams: { rank: 4 },
});

describe('finetune job details (migration 5)', () => {
  it('round-trips the adapter size, the log tail and the provenance file, finished or failed', () => {
    const { store } = t;
    const runId = store.runs.create({ experimentId: store.experiments.create({ name: 'e', task: 'iris' }), strategy: 'w', seed: 0, lm: {} });
    const stageId = store.stages.create({ runId, kind: 'w', prefix: 'w' });
    const log = ['{"event": "start"}', 'warning: ünïcode ✓', 'x'.repeat(1000)].join('\n');
    const provenanceFile = '/ws/finetune/run-1/stage-2/tandem-r1-s2/provenance.jsonl';
    const done = store.finetuneJobs.record({ ...job(runId, stageId), adapterDir: '/a', status: 'finished', adapterBytes: 123_456_789_012, logTail: log, provenanceFile });
    const failed = store.finetuneJobs.record({ ...job(runId, stageId), adapterDir: null, status: 'failed', error: 'boom', logTail: '' });

    expect(store.finetuneJobs.get(done)).toMatchObject({ id: done, adapterBytes: 123_456_789_012, logTail: log, provenanceFile, status: 'finished' });
    // '' (the trainer printed nothing) stays distinct from null (not captured).
    expect(store.finetuneJobs.get(failed)).toMatchObject({ adapterBytes: null, logTail: '', provenanceFile: null, error: 'boom' });
    expect(store.finetuneJobs.get(999)).toBeNull();
    expect(store.finetuneJobs.listForRun(runId).map((j) => j.logTail)).toEqual([log, '']);

    // In the file, not only in memory: a second connection reads the same values.
    const again = openStore(t.file);
    try {
      expect(again.finetuneJobs.listForStage(stageId)[0]).toMatchObject({ adapterBytes: 123_456_789_012, logTail: log, provenanceFile });
    } finally {
      again.close();
    }
  });

  it('adds the columns to a version 4 database; its jobs read back with null details', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'old.db');
      const db = openDatabase(file);
      migrate(db, file, MIGRATIONS.filter((m) => m.version <= 4));
      db.exec(`INSERT INTO experiments (id, name, task, config, created_at) VALUES (1, 'e', 'iris', '{}', 0)`);
      db.exec(`INSERT INTO runs (id, experiment_id, strategy, seed, lm, config, status, created_at) VALUES (1, 1, 'w', 0, '{}', '{}', 'finished', 0)`);
      db.exec(`INSERT INTO stages (id, run_id, kind, prefix, status, started_at) VALUES (1, 1, 'w', 'w', 'finished', 0)`);
      db.exec(`INSERT INTO finetune_jobs (run_id, stage_id, finetuner, group_key, predictors, base_model, adapter_name, adapter_dir, train_file, valid_file, rows,
                 hyperparams, status, created_at) VALUES (1, 1, 'command', 'g', '["predict"]', 'm', 'a', '/a', '/d/train.jsonl', NULL, 3, '{}', 'finished', 0)`);
      db.close();

      const store = openStore(file);
      try {
        expect(store.finetuneJobs.listForRun(1)).toEqual([expect.objectContaining({ adapterName: 'a', adapterBytes: null, logTail: null, provenanceFile: null })]);
      } finally {
        store.close();
      }
    } finally {
      cleanup();
    }
  });
});
