// Reliability: a read-only workspace. `tandem run` and `tandem resume` stop with one line saying
// the folder is read-only; the database is left byte for byte as it was; reading commands still
// work; once the folder is writable again the interrupted run resumes and finishes.
// Tests often run as root, for whom permission bits stop nothing: then the CLI runs as the
// unprivileged user `nobody` (uid 65534), and the workspace is handed to it first.
// Real parts: CLI processes, SQLite files, an OpenAI-compatible stub server process.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { TANDEM_BIN, type CliResult } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

const root = process.getuid?.() === 0;
const NOBODY = 65534;
// As root: can `nobody` run node from this checkout at all?
const canDropPrivileges = root && spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1])', TANDEM_BIN], { uid: NOBODY, gid: NOBODY }).status === 0;
const skip = process.platform === 'win32' || (root && !canDropPrivileges);

let stub: StubServerHandle;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-rel-ro-'));
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'home'));
  if (root) chownSync(path.join(dir, 'home'), NOBODY, NOBODY);
}, 60_000);

afterAll(async () => {
  await stub?.stop();
  if (dir) {
    if (existsSync(path.join(dir, 'ws'))) chmodSync(path.join(dir, 'ws'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The CLI as a user without root's powers (`nobody` when the tests run as root). */
function cli(args: string[]): Promise<CliResult> & { child: ChildProcess } {
  let child!: ChildProcess;
  const done = new Promise<CliResult>((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, HOME: path.join(dir, 'home') };
    for (const key of ['TANDEM_BASE_URL', 'TANDEM_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'TANDEM_DB']) delete env[key];
    child = spawn(process.execPath, [TANDEM_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(root ? { uid: NOBODY, gid: NOBODY } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { child });
}

/** A digest of each file in the folder but SQLite's shared-memory index (-shm), which readers update. */
function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder)
      .filter((f) => !f.endsWith('-shm'))
      .map((f) => [f, createHash('sha256').update(readFileSync(path.join(folder, f))).digest('hex')]),
  );
}

function setModes(folder: string, dirMode: number, fileMode: number): void {
  for (const f of readdirSync(folder)) chmodSync(path.join(folder, f), fileMode);
  chmodSync(folder, dirMode);
}

describe.skipIf(skip)('reliability: a read-only workspace', () => {
  it('refuses to run or resume with one line, changes nothing, and resumes once writable again', async () => {
    const ws = path.join(dir, 'ws');
    mkdirSync(ws);
    if (root) chownSync(ws, NOBODY, NOBODY);
    const db = path.join(ws, 'tandem.db');
    const runArgs = ['run', 'iris', '--strategy', 'p', '--candidates', '1', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json'];

    // A run killed part-way (the server never answers; SIGKILL once it has asked): it is left
    // `running`, with its stale lock file, to be resumed later.
    await stub.control({ timeout: { rate: 1 } });
    await stub.resetStats();
    const killed = cli(runArgs);
    let exited: CliResult | null = null;
    void killed.then((r) => (exited = r));
    while ((await stub.stats()).requests === 0) {
      if (exited) throw new Error(`the run exited before asking the server: ${(exited as CliResult).stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    killed.child.kill('SIGKILL');
    await killed;
    await stub.control({});
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}.serve.lock`)).toBe(true);

    setModes(ws, 0o555, 0o444);
    const before = snapshot(ws);
    for (const args of [runArgs, ['resume', '1', '--db', db]]) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/read-only/);
      expect(lines[0]).toContain(ws);
      expect(lines[0]).not.toMatch(/internal error/);
    }
    // Reading still works.
    const listed = await cli(['runs', '--db', db]);
    expect(listed.stderr).not.toMatch(/internal error/);
    expect(listed.code, listed.stderr).toBe(0);
    expect(snapshot(ws)).toEqual(before);

    setModes(ws, 0o755, 0o644);
    const resumed = await cli(['resume', '1', '--db', db, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: 1, status: 'finished' });
    const store = openStore(db);
    try {
      expect(store.runs.get(1)?.status).toBe('finished');
    } finally {
      store.close();
    }
  }, 300_000);
});
