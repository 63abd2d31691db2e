import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

describe('finetune jobs and stage outcomes (migration 2)', () => {
  it('records trained and failed jobs with their data, hyperparameters and loss curve', () => {
    const { store } = t;
    const runId = store.runs.create({ experimentId: store.experiments.create({ name: 'e', task: 'iris' }), strategy: 'w', seed: 0, lm: {} });
    const stageId = store.stages.create({ runId, kind: 'w', prefix: 'w' });
    const base = { runId, stageId, finetuner: 'local-engine', groupKey: 'g', predictors: ['predict'], baseModel: 'demo', trainFile: '/d/train.jsonl', validFile: null, rows: 12, hyperparams: { rank: 32 } };
    store.finetuneJobs.record({ ...base, adapterName: 'a1', adapterDir: '/d/adapter', status: 'finished', trainRows: 12, skipped: { too_long: 1 }, losses: [{ step: 1, loss: 2.5 }], seconds: 3.5 });
    store.finetuneJobs.record({ ...base, adapterName: 'a2', adapterDir: null, status: 'failed', error: 'out of memory' });
    const jobs = store.finetuneJobs.listForStage(stageId);
    expect(jobs.map((j) => [j.adapterName, j.status, j.error])).toEqual([
      ['a1', 'finished', null],
      ['a2', 'failed', 'out of memory'],
    ]);
    expect(jobs[0]).toMatchObject({ predictors: ['predict'], hyperparams: { rank: 32 }, skipped: { too_long: 1 }, losses: [{ step: 1, loss: 2.5 }], seconds: 3.5 });
    expect(store.finetuneJobs.listForRun(runId)).toHaveLength(2);
  });

  it('keeps a stage outcome such as "no passing traces"', () => {
    const { store } = t;
    const runId = store.runs.create({ experimentId: store.experiments.create({ name: 'e', task: 'iris' }), strategy: 'w', seed: 0, lm: {} });
    const stageId = store.stages.create({ runId, kind: 'w', prefix: 'w' });
    store.stages.finish(stageId, { programState: { version: 1, predictors: {} }, modelId: 'demo', scores: { test: 10 }, outcome: 'no-passing-traces' });
    expect(store.stages.get(stageId)).toMatchObject({ status: 'finished', outcome: 'no-passing-traces' });
  });
});
