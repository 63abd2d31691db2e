// Reliability: two processes on one workspace. `tandem run` while `tandem serve` serves the
// workspace (and the reverse), and a second `tandem run` or `tandem resume` while a run is going,
// are refused with one line naming the process that holds it; never two writers. A run killed with
// SIGKILL leaves a stale lock that the next command takes over.
// Real processes throughout: the CLI, `tandem serve`, an OpenAI-compatible stub server.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { runCli, TANDEM_BIN } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-rel-writers-'));
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runArgs = (db: string) => ['run', 'iris', '--strategy', 'p', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json'];

function start(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [TANDEM_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await check())) {
    if (gone) throw new Error(`the process exited before ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectRefusedBy(result: { code: number | null; stderr: string }, holder: RegExp, pid: number, db: string): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(holder);
  expect(lines[0]).toContain(`pid ${pid}`);
  expect(lines[0]).toContain(db);
}

describe('reliability: two processes on one workspace', () => {
  it('refuses `tandem run` and `tandem resume` while `tandem serve` holds the workspace', async () => {
    const db = path.join(dir, 'served', 'tandem.db');
    const serve = start(['serve', '--port', '0', '--no-open', '--db', db]);
    await until('serving', () => serve.stdout().includes('Tandem web mode:'), serve.exited);
    expectRefusedBy(await runCli(runArgs(db)), /in use by `tandem serve`/, serve.child.pid!, db);
    expectRefusedBy(await runCli(['resume', '1', '--db', db]), /in use by `tandem serve`/, serve.child.pid!, db);
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
    expect(existsSync(`${db}.serve.lock`)).toBe(false);
    // Once the server is gone the run goes ahead.
    const after = await runCli(runArgs(db), { timeoutMs: 120_000 });
    expect(after.code, after.stderr).toBe(0);
  }, 180_000);

  it('refuses `tandem serve`, a second `tandem run` and `tandem resume` while a run is going; a killed run leaves a lock the resume takes over', async () => {
    const db = path.join(dir, 'running', 'tandem.db');
    // Every LM request hangs, so the run stays in progress until it is killed.
    await stub.control({ timeout: { rate: 1 } });
    await stub.resetStats();
    const first = start(runArgs(db));
    await until('the run sent a request', async () => (await stub.stats()).requests > 0, first.exited);
    const pid = first.child.pid!;

    expectRefusedBy(await runCli(runArgs(db)), /in use by `tandem run`/, pid, db);
    expectRefusedBy(await runCli(['resume', '1', '--db', db]), /in use by `tandem run`/, pid, db);
    const serve = await runCli(['serve', '--port', '0', '--no-open', '--db', db], { timeoutMs: 60_000 });
    expectRefusedBy(serve, /in use by `tandem run`/, pid, db);
    // The refused commands wrote nothing: one run, still going.
    const store = openStore(db);
    try {
      expect(store.runs.list().map((r) => [r.id, r.status])).toEqual([[1, 'running']]);
    } finally {
      store.close();
    }

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(`${db}.serve.lock`)).toBe(true); // left behind by the crash
    await stub.control({});
    const resumed = await runCli(['resume', '1', '--db', db, '--json'], { timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).runId).toBe(1);
    expect(existsSync(`${db}.serve.lock`)).toBe(false);
  }, 240_000);
});
