// listFinetuneRows on hand-written job files: pages of the provenance file joined with the chat
// rows of train.jsonl / valid.jsonl, input validation, and clear errors when the files are gone.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, openWorkspace, type Workspace } from './helpers.ts';
import { openStore } from '../../../core/store/index.ts';

let ws: Workspace;
let jobId: number;
let dir: string;

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const chat = (q: string, a: string) => ({ messages: [{ role: 'system', content: 'Answer.' }, { role: 'user', content: q }, { role: 'assistant', content: a }] });

beforeEach(() => {
  ws = openWorkspace();
  dir = path.join(ws.dir, 'finetune', 'run-1', 'stage-1', 'tandem-r1-s1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'train.jsonl'), jsonl([chat('q0', 'a0'), chat('q1', 'a1'), chat('q2', '<script>a2</script>')]));
  writeFileSync(path.join(dir, 'valid.jsonl'), jsonl([chat('v0', 'b0')]));
  writeFileSync(
    path.join(dir, 'provenance.jsonl'),
    jsonl([
      { file: 'train.jsonl', row: 0, traceId: 7, exampleId: 'ex-3', predictor: 'predict' },
      { file: 'train.jsonl', row: 1, traceId: 8, exampleId: 'ex-1', predictor: 'predict' },
      { file: 'train.jsonl', row: 2, traceId: null, exampleId: 'ex-2', predictor: 'rerank' },
      { file: 'valid.jsonl', row: 0, traceId: 9, exampleId: 'ex-0', predictor: 'predict' },
    ]),
  );
  const store = openStore(ws.dbPath);
  try {
    const runId = store.runs.create({ experimentId: store.experiments.create({ name: 'e', task: 'iris' }), strategy: 'w', seed: 0, lm: {} });
    const stageId = store.stages.create({ runId, kind: 'w', prefix: 'w' });
    jobId = store.finetuneJobs.record({
      runId, stageId, finetuner: 'command', groupKey: 'g', predictors: ['predict', 'rerank'], baseModel: 'm', adapterName: 'tandem-r1-s1', adapterDir: path.join(dir, 'adapter'),
      trainFile: path.join(dir, 'train.jsonl'), validFile: path.join(dir, 'valid.jsonl'), rows: 4, hyperparams: {}, status: 'finished',
      // no provenanceFile: a job recorded before migration 5 finds it beside train.jsonl
    });
  } finally {
    store.close();
  }
});
afterEach(() => ws.close());

describe('listFinetuneRows', () => {
  it('pages the rows with their source trace, example, predictor and messages', async () => {
    const all = await ws.api.listFinetuneRows({ jobId });
    expect(all).toMatchObject({ jobId, runId: 1, total: 4, offset: 0, limit: 50, provenanceFile: path.join(dir, 'provenance.jsonl') });
    expect(all.rows.map((r) => [r.index, r.split, r.row, r.traceId, r.exampleId, r.predictor])).toEqual([
      [0, 'train', 0, 7, 'ex-3', 'predict'],
      [1, 'train', 1, 8, 'ex-1', 'predict'],
      [2, 'train', 2, null, 'ex-2', 'rerank'],
      [3, 'valid', 0, 9, 'ex-0', 'predict'],
    ]);
    expect(all.rows[2]!.messages.at(-1)).toEqual({ role: 'assistant', content: '<script>a2</script>' });
    const page = await ws.api.listFinetuneRows({ jobId, offset: 2, limit: 1 });
    expect(page.rows.map((r) => r.index)).toEqual([2]);
    expect(page.total).toBe(4);
    expect((await ws.api.listFinetuneRows({ jobId, offset: 10 })).rows).toEqual([]);
  });

  it('validates its input and names what is missing', async () => {
    expect(await apiError(ws.api.listFinetuneRows({ jobId: 0 }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^jobId: must be ≥ 1/) });
    expect(await apiError(ws.api.listFinetuneRows({ jobId, limit: 10_000 }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^limit: /) });
    expect(await apiError(ws.api.callMethod('listFinetuneRows', { jobId, offset: -1 }))).toMatchObject({ code: 'invalid-input' });
    expect(await apiError(ws.api.callMethod('listFinetuneRows', { jobId, page: 2 }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/unknown field "page"/) });
    expect(await apiError(ws.api.listFinetuneRows({ jobId: 99 }))).toEqual({ code: 'not-found', message: 'fine-tune job 99 does not exist' });

    rmSync(path.join(dir, 'train.jsonl'));
    expect(await apiError(ws.api.listFinetuneRows({ jobId }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/training data of fine-tune job 1 is gone: .*train\.jsonl does not exist/) });
    rmSync(dir, { recursive: true });
    expect(await apiError(ws.api.listFinetuneRows({ jobId }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/provenance file of fine-tune job 1 is gone/) });
  });
});
