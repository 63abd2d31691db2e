// The determinism check against a remote server, through the real CLI and an OpenAI-compatible
// server in its own process: every request carries its own seed, stored with the call; a run on
// a server that answers repeated requests the same ends saying so; a server that ignores seeds is
// caught, and the run's summary says its results may not reproduce; `tandem check-determinism`
// does the same for a finished run, with an exit code for scripts.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDir } from '../../core/engine/engine-paths.ts';
import { findPython } from '../../core/engine/python.ts';
import { openStore } from '../../core/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-determinism-'));
});

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (db: string, extra: string[] = []) =>
  runCli(['run', 'iris', '--strategy', 'p', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, ...extra]);

describe('the determinism check on a remote server', () => {
  it('a run ends with a check of 8 requests, each stored with its own seed', async () => {
    await stub.control({});
    await stub.resetStats();
    const db = path.join(dir, 'steady.db');
    const result = await run(db, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const stats = await stub.stats();
    expect(stats.seeded).toBe(stats.requests); // every request went out with its seed
    const summary = JSON.parse(result.stdout);
    expect(summary.determinism).toMatchObject({ checked: 8, differing: 0, failed: 0 });
    expect(summary.reproducibility).toBe('determinism: 8 of 8 requests sent again gave the same completion');
    const store = openStore(db);
    try {
      expect(store.runs.get(summary.runId)!.summary).toMatchObject({ determinism: { checked: 8, differing: 0 } });
      const page = store.lmCalls.page({ runId: summary.runId, limit: 50 });
      const seeds = page.rows.map((r) => store.lmCalls.get(r.id)!.request?.seed);
      expect(seeds.every((s) => Number.isInteger(s))).toBe(true);
      expect(new Set(seeds).size).toBeGreaterThan(40); // derived per request, not one seed for all
    } finally {
      store.close();
    }
  });

  it('catches a server that ignores seeds, and the summary says results may not reproduce', async () => {
    await stub.control({});
    const db = path.join(dir, 'noisy.db');
    const first = await run(db, ['--check-determinism', '0', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const { runId, determinism } = JSON.parse(first.stdout);
    expect(determinism).toBeNull();

    await stub.control({ ignoreSeed: { rate: 1 } });
    const check = await runCli(['check-determinism', String(runId), '--calls', '5', '--db', db]);
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(/^determinism: 5 of 5 requests sent again gave another completion: the server does not reproduce seeded requests .* results may not reproduce/);
    expect(check.stdout).toMatch(/call \d+ \(stub-model, seed \d+\):\n {4}stored: .*\n {4}now: {4}"draw \d+/);

    const noisyRun = await run(path.join(dir, 'noisy-run.db'));
    expect(noisyRun.code, noisyRun.stderr).toBe(0);
    expect(noisyRun.stdout).toMatch(/determinism: 8 of 8 requests sent again gave another completion.*results may not reproduce/);
    await stub.control({});
  });

  it('checks a run whose fine-tuned adapters the server already serves', async () => {
    await stub.control({});
    const tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
    const python = (await findPython()).executable;
    const trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
    const db = path.join(dir, 'tuned.db');
    const env = { PYTHONPATH: engineDir(), OPENBLAS_NUM_THREADS: '1' };
    const args = ['run', 'iris', '--strategies', 'p -> w', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db, '--json'];
    const result = await runCli(args, { env, timeoutMs: 300_000 });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.determinism).toMatchObject({ checked: 8, differing: 0, failed: 0 });
    // the adapter is still loaded on the server; the check serves it again without loading it twice
    const check = await runCli(['check-determinism', String(summary.runId), '--calls', '40', '--db', db, '--json'], { env });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ checked: 40, differing: 0, failed: 0 });
  }, 300_000);

  it('says clearly when the run does not exist', async () => {
    const result = await runCli(['check-determinism', '99', '--db', path.join(dir, 'steady.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^tandem: there is no run 99 in .*steady\.db; `tandem runs` lists the runs$/);
  });
});
