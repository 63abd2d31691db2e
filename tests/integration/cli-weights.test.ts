// `tandem run --strategy w` on the real local engine, started by the CLI from `--lm local:<dir>`.
// The checkpoint is a tiny random model (no pretrained weights exist offline), so no trace ever
// passes: the weight step must record "no passing traces" (the paper's "—") and finish.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTinyCheckpoint } from '../helpers/engine.ts';

let dir: string;
let modelDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-w-'));
  modelDir = await makeTinyCheckpoint(path.join(dir, 'tiny-llama'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tandem run iris --strategy w --lm local:<checkpoint>', () => {
  it('starts the engine, runs Θ, and records "no passing traces" as an outcome', async () => {
    const db = path.join(dir, 'w.db');
    const result = await runCli(['run', 'iris', '--strategy', 'w', '--lm', `local:${modelDir}`, '--db', db, '--max-tokens', '8', '--json'], { timeoutMs: 300_000 });
    expect(result.stderr).toMatch(/warning: seed 0, w: no passing traces to fine-tune on/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.model).toBe('tiny-llama');
    const w = summary.stages.find((s: { kind: string }) => s.kind === 'w');
    expect(w).toMatchObject({ outcome: 'no-passing-traces', models: ['tiny-llama'] });
    const store = openStore(db);
    try {
      const stages = store.stages.listForRun(summary.runId);
      expect(stages.find((s) => s.kind === 'w')).toMatchObject({ status: 'finished', outcome: 'no-passing-traces' });
      expect(store.finetuneJobs.listForRun(summary.runId)).toEqual([]);
      // Every training input was run and kept as a trace, failures included.
      expect(store.lmCalls.stats({ runId: summary.runId }).calls).toBe(summary.lm.calls);
    } finally {
      store.close();
    }
  }, 300_000);

  it('names the model that cannot be found', async () => {
    const result = await runCli(['run', 'iris', '--strategy', 'w', '--lm', 'local:no-such-model', '--db', path.join(dir, 'x.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no-such-model/);
  });
});

describe('tandem engine serve', () => {
  it('serves a checkpoint in the foreground, prints its base URL, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { TANDEM_BIN } = await import('../helpers/cli.ts');
    const child = spawn(process.execPath, [TANDEM_BIN, 'engine', 'serve', '--model', modelDir, '--db', path.join(dir, 'serve.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!));
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const { baseUrl, model, token } = JSON.parse(line) as { baseUrl: string; model: string; token: string };
      expect(model).toBe('tiny-llama');
      // The engine answers only with the printed token.
      expect((await fetch(`${baseUrl}/models`)).status).toBe(401);
      const models = (await (await fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: Array<{ id: string }> };
      expect(models.data.map((m) => m.id)).toEqual(['tiny-llama']);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);

  it('with --no-auth serves without a token and says so', async () => {
    const { spawn } = await import('node:child_process');
    const { TANDEM_BIN } = await import('../helpers/cli.ts');
    const child = spawn(process.execPath, [TANDEM_BIN, 'engine', 'serve', '--model', modelDir, '--no-auth', '--db', path.join(dir, 'serve-open.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!));
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const { baseUrl, token } = JSON.parse(line) as { baseUrl: string; token: string | null };
      expect(token).toBeNull();
      expect((await fetch(`${baseUrl}/models`)).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(stderr).toMatch(/warning: --no-auth/);
  }, 120_000);

  it('serves the embedded demo model when no --model is given, as tandem run does (#18)', async () => {
    const { spawn } = await import('node:child_process');
    const { TANDEM_BIN } = await import('../helpers/cli.ts');
    const child = spawn(process.execPath, [TANDEM_BIN, 'engine', 'serve', '--db', path.join(dir, 'serve-default.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!));
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      expect((JSON.parse(line) as { model: string }).model).toBe('tandem-demo');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
