// Same seed, same numbers — on the real local engine with the embedded demo model, through the
// real CLI: two fresh `p -> w -> p` runs store the same completions, train byte-identical
// adapters and print the same table; a run killed with SIGKILL mid-way and resumed prints the
// uninterrupted run's table; one evaluation at concurrency 1 and at 16 (requests batched
// differently on the engine) gives the same predictions; `tandem check-determinism` finds no
// completion that differs when sent again.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../core/adapter/chat-adapter.ts';
import { startLocalModel } from '../../core/models/local-model.ts';
import { evaluate } from '../../core/evaluate/evaluate.ts';
import { embeddedDemoModel } from '../../core/models/embedded.ts';
import { createLMEnvironment } from '../../core/runner/lm-environment.ts';
import { getTask } from '../../core/tasks/registry.ts';
import { runCli, TANDEM_BIN } from '../helpers/cli.ts';

const demo = embeddedDemoModel();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-reproducible-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ OPENBLAS_NUM_THREADS: '1', TANDEM_MODELS: path.join(dir, 'models') });
// The README's BetterTogether command (`p -> w -> p`), evaluated on dev only to halve the time; the random search is the paper's.
const runArgs = (db: string) => ['run', 'iris', '--strategies', 'p -> w -> p', '--seeds', '1', '--no-test', '--lm', 'local:tandem-demo', '--db', db, '--json'];

interface Summary {
  runId: number;
  table: unknown;
  stages: Array<{ prefix: string; status: string; scores: unknown; outcome?: string }>;
  reproducibility: string;
}

async function run(args: string[]): Promise<Summary> {
  const result = await runCli(args, { env: env(), timeoutMs: 1_200_000 });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Summary;
}

/** Every answered request of the database (messages + sampling with its seed) with its completion. */
function completions(db: string): Map<string, string> {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = sqlite
      .prepare(`SELECT b.messages, c.request, b.completion FROM lm_calls c JOIN lm_call_bodies b ON b.call_id = c.id WHERE b.completion IS NOT NULL`)
      .all() as Array<{ messages: string; request: string | null; completion: string }>;
    const out = new Map<string, string>();
    for (const row of rows) {
      expect(row.request, 'every call stores its request').not.toBeNull();
      const key = `${row.messages}\n${row.request}`;
      // the same request within one run always gets one answer
      if (out.has(key)) expect(out.get(key)).toBe(row.completion);
      out.set(key, row.completion);
    }
    return out;
  } finally {
    sqlite.close();
  }
}

/** The adapter files each `w` stage trained, by the stage's prefix. */
function adapters(db: string): Map<string, Buffer[]> {
  const sqlite = new Database(db, { readonly: true });
  try {
    const jobs = sqlite
      .prepare(`SELECT s.prefix, j.adapter_dir FROM finetune_jobs j JOIN stages s ON s.id = j.stage_id WHERE j.status = 'finished'`)
      .all() as Array<{ prefix: string; adapter_dir: string }>;
    return new Map(
      jobs.map((j) => [j.prefix, readdirSync(j.adapter_dir).filter((f) => f.startsWith('adapter_')).sort().map((f) => readFileSync(path.join(j.adapter_dir, f)))]),
    );
  } finally {
    sqlite.close();
  }
}

/** Starts `tandem run` and SIGKILLs it `ms` after its progress first shows `mark` (the engine it started exits with it). */
function killAfter(args: string[], mark: string, ms: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TANDEM_BIN, ...args], { env: { ...process.env, ...env() }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!timer && stderr.includes(mark)) timer = setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stderr });
    });
  });
}

describe.skipIf(!demo)('reproducible runs on the local engine', () => {
  let first: Summary;
  const dbA = () => path.join(dir, 'a.db');

  it('two fresh runs store the same completions, train the same adapters and print the same table', async () => {
    first = await run(runArgs(dbA()));
    const second = await run(runArgs(path.join(dir, 'b.db')));
    expect(first.stages.every((s) => s.status === 'finished')).toBe(true);
    expect(first.stages.some((s) => s.prefix === 'p -> w' && s.outcome !== 'no-passing-traces')).toBe(true); // an adapter was trained
    expect(second.table).toEqual(first.table);
    expect(second.stages.map((s) => [s.prefix, s.scores])).toEqual(first.stages.map((s) => [s.prefix, s.scores]));
    expect(first.reproducibility).toMatch(/^reproducible/);
    const a = completions(dbA());
    const b = completions(path.join(dir, 'b.db'));
    expect(a.size).toBeGreaterThan(500);
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
    const trainedA = adapters(dbA());
    const trainedB = adapters(path.join(dir, 'b.db'));
    expect(trainedA.size).toBeGreaterThan(0);
    for (const [prefix, files] of trainedA) {
      expect(files.length).toBeGreaterThan(0);
      expect(trainedB.get(prefix)?.map((f) => f.toString('base64')), `adapter of ${prefix}`).toEqual(files.map((f) => f.toString('base64')));
    }
  }, 2_400_000);

  it('a run killed with SIGKILL mid-way and resumed prints the uninterrupted run\'s table', async () => {
    const db = path.join(dir, 'killed.db');
    // mid-way through the first prompt-optimization stage (its random search), wherever the clock is
    const killed = await killAfter(runArgs(db), 'stage 2/4', 15_000);
    expect(killed.killed, killed.stderr).toBe(true);
    const sqlite = new Database(db, { readonly: true });
    const state = sqlite.prepare('SELECT id, status FROM runs').get() as { id: number; status: string };
    const finishedStages = (sqlite.prepare("SELECT count(*) AS n FROM stages WHERE status = 'finished'").get() as { n: number }).n;
    sqlite.close();
    expect(state.status).toBe('running'); // killed: nothing marked it otherwise
    expect(finishedStages).toBeLessThan(first.stages.length);
    const resumed = await run(['resume', String(state.id), '--db', db, '--json']);
    expect(resumed.table).toEqual(first.table);
    expect(resumed.stages.map((s) => [s.prefix, s.scores])).toEqual(first.stages.map((s) => [s.prefix, s.scores]));
  }, 1_200_000);

  it('`tandem check-determinism` sends requests again and finds every completion the same', async () => {
    const result = await runCli(['check-determinism', String(first.runId), '--calls', '12', '--db', dbA(), '--json'], { env: env(), timeoutMs: 300_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { checked: number; differing: number; failed: number };
    expect(report).toMatchObject({ checked: 12, differing: 0, failed: 0 });
  }, 300_000);

  it('one evaluation at concurrency 1 and at 16 gives the same completions and predictions', async () => {
    const session = await startLocalModel('tandem-demo', { libraryDir: path.join(dir, 'models') });
    try {
      const task = getTask('iris');
      const { dev } = await task.load({ seed: 0 });
      const evaluateAt = async (concurrency: number) => {
        const { env: programEnv } = createLMEnvironment({
          lm: { baseUrl: session.baseUrl, model: session.modelName, apiKey: session.token!, maxConcurrency: concurrency },
          cache: null, // every request reaches the engine
          adapter: new ChatAdapter(),
          sampling: { temperature: 0.1, maxTokens: 256 },
        });
        const result = await evaluate(task.createProgram(), dev, task.metric, { ...programEnv, seed: 0 }, { concurrency });
        return result.results.map((r) => [r.example.id, r.trace.calls.map((c) => c.completion), r.prediction]);
      };
      const one = await evaluateAt(1);
      expect(one.length).toBe(dev.length);
      expect(await evaluateAt(16)).toEqual(one);
    } finally {
      await session.stop();
    }
  }, 600_000);
});
