// Interrupted runs that are not crashes: Ctrl-C (cancelled, resumable) and a fine-tune that fails
// mid-way (the stage is marked failed with the trainer's error; once the cause is fixed the run
// resumes and nothing finished is lost).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { openStore } from '../../core/store/index.ts';
import { runCli, TANDEM_BIN } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;
const env = { PYTHONPATH: engineDir(), TANDEM_EXIT_WITH_PARENT: '1', OPENBLAS_NUM_THREADS: '1' };

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 30 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-fail-'));
});

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function withStore<T>(db: string, fn: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('Ctrl-C', () => {
  it('cancels the run, keeps what finished, and resume completes it', async () => {
    const db = path.join(dir, 'cancel.db');
    const child = spawn(process.execPath, [TANDEM_BIN, 'run', 'iris', '--strategy', 'p', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('candidate 2/5') && !child.killed) child.kill('SIGINT');
    });
    const code = await closed;
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/cancelling/);
    withStore(db, (store) => {
      expect(store.runs.get(1)).toMatchObject({ status: 'cancelled' });
      const p = store.stages.listForRun(1).find((s) => s.kind === 'p')!;
      expect(p.status).toBe('cancelled');
      expect(store.candidates.listForStage(p.id).length).toBeGreaterThanOrEqual(2);
    });
    const resumed = await runCli(['resume', '1', '--db', db, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/candidate 1\/5|candidate 2\/5/); // restored, not redone
    withStore(db, (store) => expect(store.runs.get(1)!.status).toBe('finished'));
  }, 120_000);
});

describe('a fine-tune that fails mid-way', () => {
  it('marks the stage failed with the trainer error; after the fix, resume finishes it', async () => {
    const python = (await findPython()).executable;
    const base = path.join(dir, 'not-yet-there');
    const trainer = `${python} -m tandem_engine train --base ${base} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --max-seq-len 4096`;
    const db = path.join(dir, 'ft.db');
    const run = await runCli(['run', 'iris', '--strategy', 'p -> w', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db], { env, timeoutMs: 300_000 });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^tandem: the trainer command failed \(exit 1\)/);
    const before = withStore(db, (store) => {
      const stages = store.stages.listForRun(1);
      const w = stages.find((s) => s.kind === 'w')!;
      expect(w).toMatchObject({ status: 'failed' });
      expect(w.error).toMatch(/trainer command failed/);
      const jobs = store.finetuneJobs.listForStage(w.id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ status: 'failed' });
      expect(store.runs.get(1)!.status).toBe('failed');
      return { p: stages.find((s) => s.kind === 'p')!, calls: store.lmCalls.count({ runId: 1 }) };
    });
    expect(before.p.status).toBe('finished');

    await makeTinyCheckpoint(base); // the cause, fixed
    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { env, timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    withStore(db, (store) => {
      const stages = store.stages.listForRun(1);
      expect(stages.find((s) => s.kind === 'p')).toMatchObject({ id: before.p.id, status: 'finished', finishedAt: before.p.finishedAt });
      const w = stages.find((s) => s.kind === 'w')!;
      expect(w.status).toBe('finished');
      expect(store.finetuneJobs.listForStage(w.id).map((j) => j.status)).toEqual(['failed', 'finished']);
    });
  }, 300_000);
});
