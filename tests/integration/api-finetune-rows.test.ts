// A real `w` run through the API (OpenAI-compatible stub in its own process, the engine's real
// LoRA trainer on a tiny checkpoint as the fine-tuning command): the job record keeps the
// adapter's size and the end of the trainer's output, and listFinetuneRows pages the exact rows
// it trained on, each pointing at a stored trace of the run's train-set pass.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { apiError, openWorkspace, runEnded, type Workspace } from '../unit/api/helpers.ts';

let stub: StubServerHandle;
let ws: Workspace;
let trainer: string;

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 0 });
  ws = openWorkspace();
  const tiny = await makeTinyCheckpoint(path.join(ws.dir, 'tiny'));
  const python = (await findPython()).executable;
  // The command runs without a shell: /usr/bin/env carries the engine's PYTHONPATH.
  trainer = `/usr/bin/env PYTHONPATH=${engineDir()} OPENBLAS_NUM_THREADS=1 ${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
}, 120_000);

afterAll(async () => {
  await ws?.close();
  await stub?.stop();
});

describe('a w run keeps what its fine-tune trained on', () => {
  it('records adapter size and trainer output, and serves the training rows with their source traces', async () => {
    const { api } = ws;
    const experiment = await api.createExperiment({
      task: 'iris',
      strategies: 'w',
      seeds: 1,
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl },
      finetune: { command: trainer },
      evalSplits: ['test'],
    });
    const { runId } = await api.startRun({ experimentId: experiment.id });
    await ws.waitFor(runEnded(runId), 240_000);
    expect((await api.getRun({ runId })).run.status).toBe('finished');

    const jobs = await api.listFinetuneJobs({ runId });
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.status).toBe('finished');
    expect(job.adapterBytes).toBeGreaterThan(0);
    expect(job.logTail).toMatch(/"event": ?"done"/); // the trainer's JSON progress is part of its output
    expect(job.logTail!.split('\n').length).toBeLessThanOrEqual(200);
    expect(job.provenanceFile).toBe(path.join(path.dirname(job.trainFile), 'provenance.jsonl'));

    const first = await api.listFinetuneRows({ jobId: job.id, limit: 5 });
    expect(first.total).toBe(job.rows);
    expect(first.runId).toBe(runId);
    expect(first.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4].slice(0, Math.min(5, job.rows)));
    const all = await api.listFinetuneRows({ jobId: job.id, limit: 500 });
    expect(all.rows).toHaveLength(job.rows);
    expect(all.rows.slice(0, 5)).toEqual(first.rows);
    for (const row of all.rows) {
      expect(row.split).toBe('train');
      expect(row.predictor).toBe(job.predictors[0]);
      expect(row.messages.at(-1)?.role).toBe('assistant');
      expect(row.traceId).not.toBeNull();
    }
    // Every source trace is a stored trace of this run's train-set pass, for the row's example.
    for (const row of all.rows.slice(0, 10)) {
      const { trace } = await api.getTrace({ traceId: row.traceId! });
      expect(trace).toMatchObject({ runId, stageId: job.stageId, exampleId: row.exampleId, purpose: 'finetune-data' });
      expect(trace.calls.map((c) => c.predictor)).toContain(row.predictor);
    }
    expect((await apiError(api.listFinetuneRows({ jobId: job.id + 1 }))).code).toBe('not-found');
  }, 300_000);

  it('keeps the trainer output of a failed job too', async () => {
    const { api } = ws;
    const broken = trainer.replace(/--base \S+/, `--base ${path.join(ws.dir, 'no-such-checkpoint')}`);
    const experiment = await api.createExperiment({
      task: 'iris',
      strategies: 'w',
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl },
      finetune: { command: broken },
      evalSplits: ['test'],
    });
    const { runId } = await api.startRun({ experimentId: experiment.id });
    await ws.waitFor(runEnded(runId), 120_000);
    const [job] = await api.listFinetuneJobs({ runId });
    expect(job).toMatchObject({ status: 'failed', adapterBytes: null });
    expect(job!.error).toMatch(/the trainer command failed/);
    expect(job!.logTail).toContain('no-such-checkpoint');
    // The rows it would have trained on are still there to inspect.
    expect((await api.listFinetuneRows({ jobId: job!.id })).total).toBe(job!.rows);
  }, 180_000);
});
