// `tandem start` as a user runs it: the real CLI process in web mode (--web), and the fallback
// to web mode where the desktop app cannot start (here: no display), each serving the API
// behind its access token (TANDEM_WEB_TOKEN here) and handing the page a one-time link, until SIGTERM.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TANDEM_BIN } from '../helpers/cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-start-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `tandem start <args>`, waits for the web-mode link, checks /api/health with the token, stops it. */
async function startAndProbe(args: string[], env: Record<string, string | undefined>): Promise<{ out: string; err: string }> {
  const token = 'cli-start-test-token-0123456789';
  const childEnv: Record<string, string | undefined> = { ...process.env, TANDEM_WEB_TOKEN: token, ...env };
  for (const key of ['TANDEM_DB', 'TANDEM_BASE_URL', 'TANDEM_MODEL']) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [TANDEM_BIN, 'start', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await until(() => out.includes('\n') || child.exitCode !== null, 60_000);
    const match = /^Tandem web mode: (http:\/\/127\.0\.0\.1:\d+\/\?code=([A-Za-z0-9_-]{43}))\n$/.exec(out);
    expect(match, `${out}\n${err}`).not.toBeNull();
    expect(`${out}${err}`).not.toContain(token);
    const url = new URL(match![1]!);
    const health = await fetch(`${url.origin}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    expect((await fetch(`${url.origin}/api/health`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return { out, err };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('tandem start', () => {
  it('--web serves the workbench and its API like `tandem serve`', async () => {
    const { err } = await startAndProbe(['--web', '--port', '0', '--no-open', '--db', path.join(dir, 'web', 'tandem.db')], {});
    expect(err).not.toContain('Electron cannot start');
    expect(err).toMatch(/serving .*web\/tandem\.db/);
    expect(err).toContain('stopping (SIGTERM)');
  });

  it('falls back to web mode with one line saying why when the desktop app cannot start', async () => {
    const { err } = await startAndProbe(['--port', '0', '--no-open', '--db', path.join(dir, 'fallback', 'tandem.db')], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    const lines = err.split('\n').filter((l) => l.startsWith('Electron cannot start'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Electron cannot start here \(.+\); starting the workbench in web mode instead\.$/);
    if (process.platform === 'linux') expect(lines[0]).toContain('no display');
  });

  it('--help explains the modes and the options', async () => {
    const { code, stdout } = await runCli(['start', '--help']);
    expect(code).toBe(0);
    for (const text of ['--db <file>', '--port <n>', '--web', '--no-open', 'web mode', 'npm run build', 'Examples:']) expect(stdout).toContain(text);
  });
});
