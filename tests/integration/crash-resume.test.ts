// Crash safety: `tandem run` (two seeds at once) killed with SIGKILL while bootstrapping, while
// evaluating a candidate and while fine-tuning, then `tandem resume`d each time, ends with exactly
// the table of an uninterrupted run, and nothing that had finished was redone (LM calls and
// fine-tune jobs).
// Real parts throughout: the CLI process, an OpenAI-compatible server in its own process, SQLite,
// and the engine's real LoRA trainer (on a tiny checkpoint) as the fine-tuning command.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { openStore } from '../../core/store/index.ts';
import { runCli, runUntilKilled as runUntilKilledWith } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;
let args: (db: string) => string[];
const env = { PYTHONPATH: engineDir(), TANDEM_EXIT_WITH_PARENT: '1', OPENBLAS_NUM_THREADS: '1' };

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 40 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-crash-'));
  const tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
  const python = (await findPython()).executable;
  const trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
  args = (db) => ['run', 'iris', '--strategies', 'p, p -> w', '--seeds', '2', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db, '--json'];
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runUntilKilled = (cliArgs: string[], until: (stderr: string) => boolean, delayMs: number) => runUntilKilledWith(cliArgs, until, delayMs, env);

function counts(db: string, runId: number) {
  const store = openStore(db);
  try {
    return {
      finetunes: store.finetuneJobs.listForRun(runId).filter((j) => j.status === 'finished').length,
      stages: store.stages.listForRun(runId).length,
    };
  } finally {
    store.close();
  }
}

/** Seeds with a stage left `running` (by a crash). */
function running(db: string): number[] {
  const store = openStore(db);
  try {
    return [...new Set(store.stages.listForRun(1).filter((s) => s.status === 'running').map((s) => s.seed!))].sort();
  } finally {
    store.close();
  }
}

describe('kill -9 and resume', () => {
  it('ends with the uninterrupted table, redoing nothing that had finished', async () => {
    const cleanDb = path.join(dir, 'clean', 'tandem.db');
    await stub.resetStats();
    const clean = await runCli(args(cleanDb), { env, timeoutMs: 300_000 });
    expect(clean.code, clean.stderr + clean.stdout).toBe(0);
    const expected = JSON.parse(clean.stdout);
    const cleanCounts = counts(cleanDb, expected.runId);
    const cleanRequests = (await stub.stats()).requests;
    await stub.resetStats();
    expect(cleanCounts.finetunes).toBe(2);

    const db = path.join(dir, 'crashy', 'tandem.db');
    const resume = ['resume', '1', '--db', db, '--json'];
    const finetuneData = () => {
      const root = path.join(dir, 'crashy', 'finetune', 'run-1');
      if (!existsSync(root)) return false;
      return readdirSync(root, { recursive: true }).some((f) => String(f).endsWith('train.jsonl'));
    };
    // 1. while bootstrapping (candidate 3 is the first bootstrap)
    const first = await runUntilKilled(args(db), (e) => e.includes('candidate 2/5'), 20);
    expect(first.killed).toBe(true);
    // The seeds run at once, so the crash caught both of them mid-way.
    expect(running(db)).toEqual([0, 1]);
    // 2. while evaluating a candidate
    const second = await runUntilKilled(resume, (e) => e.includes('candidate 3/5'), 120);
    expect(second.killed).toBe(true);
    // 3. while fine-tuning
    const third = await runUntilKilled(resume, () => finetuneData(), 300);
    expect(third.killed).toBe(true);

    const last = await runCli(resume, { env, timeoutMs: 300_000 });
    expect(last.code, last.stderr).toBe(0);
    const resumed = JSON.parse(last.stdout);
    expect(resumed.table).toEqual(expected.table);
    expect(resumed.stages.map((s: { prefix: string; seed: number; scores: unknown }) => [s.seed, s.prefix, s.scores])).toEqual(
      expected.stages.map((s: { prefix: string; seed: number; scores: unknown }) => [s.seed, s.prefix, s.scores]),
    );

    const after = counts(db, 1);
    expect(after.stages).toBe(cleanCounts.stages); // interrupted stages were continued, not duplicated
    expect(after.finetunes).toBe(cleanCounts.finetunes); // no finished fine-tune was trained again
    // The server saw every request the clean run made, plus at most the calls in flight at each
    // kill (the concurrency, 16): finished calls were answered from the response cache.
    const requests = (await stub.stats()).requests;
    expect(requests).toBeGreaterThanOrEqual(cleanRequests);
    expect(requests).toBeLessThanOrEqual(cleanRequests + 3 * 16);
  }, 600_000);

  it('refuses to resume a finished, missing or foreign run, in one line', async () => {
    const db = path.join(dir, 'clean', 'tandem.db');
    const finished = await runCli(['resume', '1', '--db', db]);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toMatch(/^tandem: run 1 already finished; nothing to resume/);
    const missing = await runCli(['resume', '99', '--db', db]);
    expect(missing.stderr).toMatch(/^tandem: there is no run 99 in .*tandem\.db/);
    const store = openStore(db);
    try {
      const experimentId = store.experiments.create({ name: 'other', task: 'iris' });
      store.runs.create({ experimentId, strategy: 'p', seed: 0, lm: {}, config: { made: 'elsewhere' } });
    } finally {
      store.close();
    }
    const foreign = await runCli(['resume', '2', '--db', db]);
    expect(foreign.stderr).toMatch(/^tandem: run 2 in .* was not recorded by this version of Tandem's runner/);
    expect(foreign.stderr.trim().split('\n')).toHaveLength(1);
  });
});
