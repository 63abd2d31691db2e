// Reliability: the trainer killed while it writes a fine-tune's adapter (the engine's test hook
// TANDEM_TEST_DIE_WHILE_SAVING_ADAPTER makes it SIGKILL itself after the weights are written,
// before the adapter is complete). The half-written adapter is never registered or recorded;
// `tandem resume` trains it again and ends with the table of an uninterrupted run.
// Real parts: the CLI, an OpenAI-compatible stub server process, SQLite, and the engine's LoRA
// trainer (on a tiny checkpoint) as the fine-tuning command.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
let args: (db: string) => string[];
const env = { PYTHONPATH: engineDir(), TANDEM_EXIT_WITH_PARENT: '1', OPENBLAS_NUM_THREADS: '1' };
const DIE = 'TANDEM_TEST_DIE_WHILE_SAVING_ADAPTER';

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-rel-adapter-'));
  const tiny = await makeTinyCheckpoint(path.join(dir, 'tiny'));
  const python = (await findPython()).executable;
  const trainer = `${python} -m tandem_engine train --base ${tiny} --data {train} --out {out} --epochs 1 --rank 4 --alpha 8 --lr 1e-3 --batch-size 4 --max-seq-len 4096 --seed {seed}`;
  args = (db) => ['run', 'iris', '--strategy', 'w', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--finetune-command', trainer, '--db', db, '--json'];
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under the run's fine-tuning folder, relative to it. */
function finetuneFiles(db: string): string[] {
  const root = path.join(path.dirname(db), 'finetune');
  return existsSync(root) ? readdirSync(root, { recursive: true }).map(String) : [];
}

function jobs(db: string) {
  const store = openStore(db);
  try {
    return store.finetuneJobs.listForRun(1).map((j) => ({ status: j.status, adapterDir: j.adapterDir }));
  } finally {
    store.close();
  }
}

describe('reliability: the trainer killed while writing an adapter', () => {
  it('never loads the half-written adapter, and resume trains it again to the uninterrupted result', async () => {
    const cleanDb = path.join(dir, 'clean', 'tandem.db');
    const clean = await runCli(args(cleanDb), { env, timeoutMs: 300_000 });
    expect(clean.code, clean.stderr + clean.stdout).toBe(0);
    const expected = JSON.parse(clean.stdout);
    expect(jobs(cleanDb).map((j) => j.status)).toEqual(['finished']);

    const db = path.join(dir, 'killed', 'tandem.db');
    const loadsBefore = (await stub.stats()).adapterLoads;
    const killed = await runCli(args(db), { env: { ...env, [DIE]: '1' }, timeoutMs: 300_000 });
    expect(killed.code, killed.stderr).toBe(1);
    expect(killed.stderr).toMatch(/^tandem: the trainer command failed \(exit SIGKILL\)/m);
    expect(killed.stderr).not.toMatch(/internal error/);
    // Nothing was registered or recorded as trained; only the unfinished sibling folder is left.
    expect((await stub.stats()).adapterLoads).toBe(loadsBefore);
    expect(jobs(db).map((j) => j.status)).not.toContain('finished');
    const files = finetuneFiles(db);
    expect(files.some((f) => /\.partial-\d+$/.test(f))).toBe(true);
    expect(files.some((f) => !f.includes('.partial-') && f.endsWith('adapter_model.safetensors'))).toBe(false);

    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { env, timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.table).toEqual(expected.table);
    const after = jobs(db).filter((j) => j.status === 'finished');
    expect(after).toHaveLength(1);
    expect(readdirSync(after[0]!.adapterDir!)).toContain('tandem_adapter_complete.json');
    expect(finetuneFiles(db).some((f) => f.includes('.partial-'))).toBe(false);
  }, 900_000);
});
