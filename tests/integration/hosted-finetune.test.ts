// `tandem run iris --strategy "p -> w" --finetune hosted` end to end: the real CLI process, a local
// fake of an OpenAI-compatible server with the fine-tuning API (which is also the run's LM), and a
// real SQLite file. The `w` stage uploads its rows, waits for the job, and is evaluated on the
// job's fine-tuned model; a job the server fails is the run's usual failed stage.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/store/index.ts';
import { runCli, TANDEM_BIN } from '../helpers/cli.ts';
import { startFakeFinetuneApi, type FakeFinetuneApi } from '../fixtures/fake-finetune-api.ts';

const KEY = 'sk-hosted-test-key';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-hosted-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withStore<T>(db: string, fn: (store: Store) => T): T {
  const store = openStore(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function runArgs(api: FakeFinetuneApi, db: string): string[] {
  return ['run', 'iris', '--strategy', 'p -> w', '--candidates', '0', '--lm', 'openai:stub-model', '--base-url', api.baseUrl, '--finetune', 'hosted', '--db', db];
}

async function run(api: FakeFinetuneApi, db: string) {
  return runCli(runArgs(api, db), {
    env: { OPENAI_API_KEY: KEY },
    timeoutMs: 240_000,
  });
}

describe('tandem run --finetune hosted', () => {
  it('trains through the fine-tuning API and evaluates the w stage on the fine-tuned model', async () => {
    const api = await startFakeFinetuneApi({ pollsToRun: 1, pollsToEnd: 2 });
    try {
      const db = path.join(dir, 'ok.db');
      const result = await run(api, db);
      expect(result.code, result.stderr).toBe(0);

      expect(api.files).toHaveLength(1);
      expect(api.files[0]!.purpose).toBe('fine-tune');
      const rows = api.files[0]!.content.trim().split('\n').map((line) => JSON.parse(line) as { messages: Array<{ role: string }> });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]!.messages.at(-1)!.role).toBe('assistant');
      expect(api.jobs).toHaveLength(1);
      expect(api.jobs[0]!.request).toMatchObject({ model: 'stub-model', training_file: api.files[0]!.id });
      expect(api.jobs[0]!.polls).toBe(2);
      // The key went with every fine-tuning request (and nowhere else: this is the LM's server).
      expect(api.requests.filter((r) => !r.path.startsWith('/v1/chat')).every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);

      const tuned = 'ft:stub-model:tandem-fake::ftjob-1';
      expect(api.byModel[tuned]).toBeGreaterThan(0);
      withStore(db, (store) => {
        const stages = store.stages.listForRun(1);
        const w = stages.find((s) => s.kind === 'w')!;
        expect(w.status).toBe('finished');
        const jobs = store.finetuneJobs.listForStage(w.id);
        expect(jobs).toHaveLength(1);
        expect(jobs[0]).toMatchObject({ finetuner: 'hosted', status: 'finished', baseModel: 'stub-model', losses: [{ step: 1, loss: 1 }] });
        expect(jobs[0]!.logTail).toMatch(/Fine-tuning job started/);
        expect(JSON.parse(readFileSync(path.join(jobs[0]!.adapterDir!, 'hosted-model.json'), 'utf8'))).toMatchObject({ model: tuned });
        // The w stage's evaluations (and the determinism check's resent sample after the run) went to the fine-tuned model, and only the w stage's.
        const calls = store.lmCalls.count({ runId: 1, stageId: w.id, model: tuned });
        expect(calls).toBeGreaterThan(0);
        expect(store.lmCalls.count({ runId: 1, model: tuned })).toBe(calls);
        expect(api.byModel[tuned]).toBeGreaterThanOrEqual(calls);
        expect(store.runs.get(1)!.status).toBe('finished');
      });
    } finally {
      await api.close();
    }
  }, 240_000);

  it('a job the server fails is a failed w stage with the server message; resume trains again', async () => {
    const api = await startFakeFinetuneApi({ pollsToRun: 1, pollsToEnd: 1, failJobs: 'The training file has too few examples (at least 10 are needed).' });
    try {
      const db = path.join(dir, 'failed.db');
      const result = await run(api, db);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n').at(-1)).toBe('tandem: fine-tuning job ftjob-1 failed: The training file has too few examples (at least 10 are needed).');
      expect(result.stderr).not.toContain(KEY);
      expect(Object.keys(api.byModel).filter((m) => m.startsWith('ft:'))).toEqual([]);
      withStore(db, (store) => {
        const stages = store.stages.listForRun(1);
        const w = stages.find((s) => s.kind === 'w')!;
        expect(w.status).toBe('failed');
        expect(w.error).toMatch(/fine-tuning job ftjob-1 failed: The training file has too few examples/);
        expect(store.finetuneJobs.listForStage(w.id).map((j) => [j.finetuner, j.status])).toEqual([['hosted', 'failed']]);
        expect(stages.find((s) => s.kind === 'p')!.status).toBe('finished');
        expect(store.runs.get(1)!.status).toBe('failed');
      });

      // The cause fixed on the server, resume trains again and finishes the stage on the new model.
      api.settings.failJobs = null;
      const resumed = await runCli(['resume', '1', '--db', db, '--json'], { env: { OPENAI_API_KEY: KEY }, timeoutMs: 240_000 });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(api.jobs.map((j) => j.status)).toEqual(['failed', 'succeeded']);
      expect(api.byModel['ft:stub-model:tandem-fake::ftjob-2']).toBeGreaterThan(0);
      withStore(db, (store) => {
        const w = store.stages.listForRun(1).find((s) => s.kind === 'w')!;
        expect(w.status).toBe('finished');
        expect(store.finetuneJobs.listForStage(w.id).map((j) => j.status)).toEqual(['failed', 'finished']);
      });
    } finally {
      await api.close();
    }
  }, 240_000);

  it('Ctrl-C while the job runs cancels the remote job', async () => {
    const api = await startFakeFinetuneApi({ pollsToRun: 1, pollsToEnd: 1_000_000 });
    try {
      const db = path.join(dir, 'cancelled.db');
      const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: KEY };
      for (const key of ['TANDEM_BASE_URL', 'TANDEM_MODEL', 'OPENAI_BASE_URL', 'TANDEM_DB']) delete env[key];
      const child = spawn(process.execPath, [TANDEM_BIN, ...runArgs(api, db)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Interrupt once the job has been polled (it never ends on its own).
      const watch = setInterval(() => {
        if ((api.jobs[0]?.polls ?? 0) >= 1) {
          clearInterval(watch);
          child.kill('SIGINT');
        }
      }, 50);
      const code = await exited;
      clearInterval(watch);
      expect(code, stderr).not.toBe(0);
      expect(api.cancels).toEqual(['ftjob-1']);
      expect(api.jobs[0]!.status).toBe('cancelled');
      expect(Object.keys(api.byModel).filter((m) => m.startsWith('ft:'))).toEqual([]);
      withStore(db, (store) => {
        const w = store.stages.listForRun(1).find((s) => s.kind === 'w')!;
        expect(w.status).toBe('cancelled');
        expect(store.runs.get(1)!.status).toBe('cancelled');
      });
    } finally {
      await api.close();
    }
  }, 240_000);
});
