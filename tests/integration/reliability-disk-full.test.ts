// Reliability: the disk fills up during a run. Simulated with a file-size limit (`ulimit -f` in the
// shell that starts the CLI; Node ignores SIGXFSZ, so SQLite's writes fail with EFBIG the way they
// fail with ENOSPC on a full disk). The run stops with one line saying the disk is full and how to
// continue; what was saved before stays; once the limit is lifted `tandem resume` finishes the run
// with the table of an uninterrupted one.
// Real parts: the CLI in its own process, SQLite files, an OpenAI-compatible stub server process.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { runCli, TANDEM_BIN, type CliResult } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-rel-disk-'));
}, 60_000);

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runArgs = (db: string) => ['run', 'iris', '--strategy', 'p', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json'];

/** The CLI under a file-size limit of `kib` KiB for every file it writes. */
function runLimited(args: string[], kib: number): Promise<CliResult> {
  return underLimit([process.execPath, TANDEM_BIN, ...args], kib);
}

function underLimit(argv: string[], kib: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
    const env = { ...process.env };
    for (const key of ['TANDEM_BASE_URL', 'TANDEM_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'TANDEM_DB']) delete env[key];
    const child = spawn('bash', ['-c', `ulimit -f ${kib} && exec ${quoted}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every saved evaluation of run 1 with its example results: what must survive the failure. */
function saved(db: string): Array<{ id: number; stage: string; split: string; score: number; results: string }> {
  const store = openStore(db);
  try {
    return store.stages.listForRun(1).flatMap((stage) =>
      store.evaluations
        .listForStage(stage.id)
        .map((e) => ({ id: e.id, stage: stage.prefix, split: e.split, score: e.score, results: JSON.stringify(store.evaluations.results(e.id).map((r) => [r.exampleId, r.prediction, r.score])) })),
    );
  } finally {
    store.close();
  }
}

const API_RUN = fileURLToPath(new URL('../fixtures/api-run-process.ts', import.meta.url));

describe('reliability: the disk fills up during a run', () => {
  it('stops with one line, keeps what was saved, and `tandem resume` finishes with the uninterrupted table', async () => {
    const cleanDb = path.join(dir, 'clean', 'tandem.db');
    const clean = await runCli(runArgs(cleanDb), { timeoutMs: 120_000 });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = JSON.parse(clean.stdout);

    // A limit between an empty workspace and a finished run's: the smallest (in steps) at which
    // the run has saved an evaluation before it stops.
    const empty = path.join(dir, 'empty.db');
    openStore(empty).close();
    const from = Math.ceil(statSync(empty).size / 1024);
    const to = Math.ceil(statSync(cleanDb).size / 1024);
    let db = '';
    let failed: CliResult | null = null;
    let before: ReturnType<typeof saved> = [];
    for (let kib = from + 128; kib < to && failed === null; kib += 128) {
      db = path.join(dir, `full-${kib}`, 'tandem.db');
      const result = await runLimited(runArgs(db), kib);
      if (result.code === 0) break; // the run fit: the limit came too late
      expect(result.code, result.stderr).toBe(1);
      before = saved(db);
      if (before.length > 0) failed = result;
    }
    expect(failed, 'no file-size limit stopped the run midway').not.toBeNull();
    const lines = failed!.stderr.trim().split('\n');
    const last = lines.at(-1)!;
    expect(last).toMatch(/^tandem: the disk is full/);
    expect(last).toContain(db);
    expect(last).toContain('tandem resume 1');
    expect(failed!.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);

    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.status).toBe('finished');
    expect(summary.table).toEqual(expected.table);
    // What was saved before the disk filled up is still there, unchanged and not redone.
    const after = saved(db);
    for (const evaluation of before) expect(after).toContainEqual(evaluation);
  }, 600_000);

  it('a workbench run (core/api in its own process, as under `tandem serve`) ends failed with the disk-full line and the process keeps serving', async () => {
    const cleanDb = path.join(dir, 'api-clean', 'tandem.db');
    const clean = await runCli(runArgs(cleanDb), { timeoutMs: 120_000 });
    expect(clean.code, clean.stderr).toBe(0);
    const limit = Math.ceil(statSync(cleanDb).size / 1024 / 2);
    const db = path.join(dir, 'api-full', 'tandem.db');
    const result = await underLimit([process.execPath, '--import', 'tsx', API_RUN, db, stub.baseUrl], limit);
    // Before, the failed status update after the failure was an unhandled rejection that took the process down.
    expect(result.code, result.stderr).toBe(0);
    const ended = JSON.parse(result.stdout.trim());
    expect(ended).toMatchObject({ status: 'failed', runs: 1 });
    expect(ended.error).toMatch(/^the disk is full/);
    expect(ended.error).toContain(db);
    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).table).toEqual(JSON.parse(clean.stdout).table);
  }, 300_000);
});
