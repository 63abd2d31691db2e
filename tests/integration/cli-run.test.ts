// `tandem run` end to end: the real CLI process, a real OpenAI-compatible HTTP server in its own
// process (deterministic answers, injected faults), and a real SQLite file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-'));
});

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FAST = ['--candidates', '2'];

function lmArgs(db: string): string[] {
  return ['--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db];
}

function expectOneLineError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tandem: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('tandem run iris --strategy p', () => {
  it('finishes, reports baseline and final scores, and stores every LM call', async () => {
    await stub.control({});
    const db = path.join(dir, 'clean.db');
    const result = await runCli(['run', 'iris', '--strategy', 'p', ...lmArgs(db), ...FAST, '--json']);
    expect(result.stderr).toContain('candidate 5/5');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ task: 'iris', strategy: 'p', seed: 0, model: 'stub-model', status: 'finished' });
    for (const split of ['dev', 'test']) {
      expect(summary.baseline[split]).toBeGreaterThanOrEqual(0);
      expect(summary.final[split]).toBeLessThanOrEqual(100);
    }
    // The stub is right more often when it sees demos, so Π must not lose to zero-shot on validation.
    expect(summary.final.dev).toBeGreaterThan(summary.baseline.dev);

    const store = openStore(db);
    try {
      const stats = store.lmCalls.stats({ runId: summary.runId });
      expect(stats.calls).toBe(summary.lmCalls);
      expect(stats.calls).toBe(summary.lm.calls);
      expect(stats.errors).toBe(0);
      const stages = store.stages.listForRun(summary.runId);
      expect(stages.map((s) => [s.kind, s.status])).toEqual([
        ['baseline', 'finished'],
        ['p', 'finished'],
      ]);
      const candidates = store.candidates.listForStage(stages[1]!.id);
      expect(candidates.map((c) => c.kind)).toEqual(['zero-shot', 'labeled', 'bootstrap', 'shuffled', 'shuffled']);
      expect(candidates.filter((c) => c.isBest)).toHaveLength(1);
      expect(store.runs.get(summary.runId)!.status).toBe('finished');
    } finally {
      store.close();
    }

    // The same command again is answered from the response cache with the same numbers.
    const again = JSON.parse((await runCli(['run', 'iris', '--strategy', 'p', ...lmArgs(db), ...FAST, '--json'])).stdout);
    expect(again.final).toEqual(summary.final);
    expect(again.baseline).toEqual(summary.baseline);
    expect(again.lm.cacheHits).toBe(again.lm.calls);
  });

  it('survives 500s, 429s with Retry-After, timeouts, dropped connections, malformed JSON and unparseable completions', async () => {
    await stub.control({
      http429: { first: 2, retryAfter: 1 },
      http500: { rate: 0.04 },
      malformedJson: { rate: 0.03 },
      drop: { rate: 0.02 },
      timeout: { rate: 0.01 },
      unparseable: { rate: 0.05 },
    });
    await stub.resetStats();
    const db = path.join(dir, 'faults.db');
    // no determinism check afterwards: its requests would meet the faults too and blur the counts
    const result = await runCli(['run', 'iris', ...lmArgs(db), ...FAST, '--timeout', '1', '--retries', '8', '--check-determinism', '0', '--json']);
    const stats = await stub.stats();
    await stub.control({});
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    const served = stats.faults;
    const retryable = served.http429 + served.http500 + served.malformedJson + served.drop + served.timeout;
    expect(served.http429).toBe(2);
    expect(served.http500).toBeGreaterThan(0);
    expect(served.unparseable).toBeGreaterThan(0);
    // Every retryable fault was retried (none ran out of retries), and each one is counted.
    expect(summary.lm.retries).toBe(retryable);
    const store = openStore(db);
    try {
      const calls = store.lmCalls.stats({ runId: summary.runId });
      expect(calls.calls).toBe(summary.lm.calls);
      // Unparseable completions are kept as failed calls with their raw text, never dropped.
      expect(calls.errorsByKind.parse).toBeGreaterThan(0);
      expect(calls.errors).toBe(summary.lm.errors);
      const failed = store.lmCalls.page({ runId: summary.runId, hasError: true, limit: 5 });
      expect(failed.rows.length).toBeGreaterThan(0);
      const full = store.lmCalls.get(failed.rows[0]!.id)!;
      expect(full.completion).toBeTruthy();
      expect(full.messages.length).toBeGreaterThan(1);
    } finally {
      store.close();
    }
  });

  it('records "no metric ever passes" as an outcome, not a crash', async () => {
    await stub.control({ unparseable: { rate: 1 } });
    const db = path.join(dir, 'never.db');
    const result = await runCli(['run', 'iris', ...lmArgs(db), '--candidates', '1', '--json']);
    await stub.control({});
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.final).toEqual({ dev: 0, test: 0 });
    expect(result.stderr).toMatch(/warning: seed 0, p: no bootstrapped demos/);
  });
});

describe('tandem runs', () => {
  it('lists runs as a table and as JSON', async () => {
    const db = path.join(dir, 'clean.db');
    const json = await runCli(['runs', '--db', db, '--json']);
    expect(json.code).toBe(0);
    const { runs } = JSON.parse(json.stdout);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toMatchObject({ strategy: 'p', status: 'finished' });
    const text = await runCli(['runs', '--db', db]);
    expect(text.stdout).toMatch(/run\s+task\s+strategies\s+seeds/);
    expect(text.stdout).toMatch(/iris\s+p\s+0\s+finished/);
  });
});

describe('bad input gives one clear line and leaves no rows', () => {
  const noRunsIn = (db: string) => {
    const store = openStore(db);
    try {
      return store.runs.list({}).length === 0;
    } finally {
      store.close();
    }
  };

  it('unknown task', async () => {
    expectOneLineError(await runCli(['run', 'hotpot', ...lmArgs(path.join(dir, 'bad1.db'))]), /unknown task "hotpot"; available tasks: gsm8k, hotpotqa, iris/);
  });

  it('unknown strategy token, and malformed strategies', async () => {
    const db = path.join(dir, 'bad2.db');
    expectOneLineError(await runCli(['run', 'iris', '--strategy', 'p -> q', ...lmArgs(db)]), /unknown optimizer "q"; valid tokens: "p"/);
    expectOneLineError(await runCli(['run', 'iris', '--strategy', '-> p', ...lmArgs(db)]), /starts with "->"/);
    expectOneLineError(await runCli(['run', 'iris', '--strategy', 'p -> -> p', ...lmArgs(db)]), /"->" twice in a row/);
    expectOneLineError(await runCli(['run', 'iris', '--strategy', ' ', ...lmArgs(db)]), /strategy is empty/);
  });

  it('a "w" step without a fine-tuning backend', async () => {
    const db = path.join(dir, 'bad8.db');
    expectOneLineError(await runCli(['run', 'iris', '--strategy', 'p -> w', ...lmArgs(db)]), /^tandem: --strategy: strategy "p -> w" has a "w" \(fine-tuning\) step, but provider "openai" has no fine-tuning backend; use a model on the local engine, give a fine-tuning command, or fine-tune through the server's API \(hosted\)$/);
  });

  it('unreachable base URL', async () => {
    const db = path.join(dir, 'bad3.db');
    const result = await runCli(['run', 'iris', '--lm', 'openai:m', '--base-url', 'http://127.0.0.1:9/v1', '--db', db]);
    expectOneLineError(result, /cannot reach the LM server at http:\/\/127\.0\.0\.1:9\/v1/);
    expect(noRunsIn(db)).toBe(true);
  });

  it('missing API key for a remote server', async () => {
    const result = await runCli(['run', 'iris', '--lm', 'openai:gpt-4o-mini', '--base-url', 'https://api.example.com/v1', '--api-key-env', 'MY_KEY', '--db', path.join(dir, 'bad4.db')]);
    expectOneLineError(result, /MY_KEY/);
  });

  it('malformed dataset file names the line and column', async () => {
    const csv = path.join(dir, 'broken.csv');
    writeFileSync(csv, 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n4.9,abc,1.4,0.2,setosa\n');
    const db = path.join(dir, 'bad5.db');
    const result = await runCli(['run', 'iris', ...lmArgs(db), '--data', csv]);
    expectOneLineError(result, /broken\.csv, line 3, column 2/);
    expect(noRunsIn(db)).toBe(true);
  });

  it('empty train set', async () => {
    const csv = path.join(dir, 'header-only.csv');
    writeFileSync(csv, 'sepal_length,sepal_width,petal_length,petal_width,species\n');
    const result = await runCli(['run', 'iris', ...lmArgs(path.join(dir, 'bad6.db')), '--data', csv]);
    expectOneLineError(result, /header-only\.csv: found 0 example\(s\)/);
  });

  it('bad numbers in options', async () => {
    const result = await runCli(['run', 'iris', ...lmArgs(path.join(dir, 'bad7.db')), '--seed', '-1']);
    expectOneLineError(result, /^tandem: --seed: must be ≥ 0, got -1$/);
    expectOneLineError(await runCli(['run', 'iris', ...lmArgs(path.join(dir, 'bad7.db')), '--seeds', 'two']), /^tandem: --seeds: must be a number, got "two"$/);
  });
});
