// `tandem report` on a real run recorded by the CLI against the stub LM server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;
let db: string;

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 5 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-report-'));
  db = path.join(dir, 'tandem.db');
  const run = await runCli(['run', 'iris', '--strategy', 'p', '--seeds', '2', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json']);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tandem report', () => {
  it('prints the Markdown report with the table over both seeds', async () => {
    const result = await runCli(['report', '1', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# Tandem run 1: iris on stub-model/);
    expect(result.stdout).toMatch(/\| vanilla zero-shot \| \d+\.\d ± \d+\.\d \| \d+\.\d ± \d+\.\d \|/);
    expect(result.stdout).toContain('| strategy | split | seed 0 | seed 1 |');
  });

  it('writes CSV into a file', async () => {
    const out = path.join(dir, 'r.csv');
    const result = await runCli(['report', '1', '--format', 'csv', '--out', out, '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('strategy,split,mean,ci95,no_passing_traces,seed_0,seed_1,measure');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['strategy', 'zero-shot', 'zero-shot', 'p', 'p']);
  });

  it('says which run is missing and which formats exist, in one line', async () => {
    const missing = await runCli(['report', '99', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('tandem: run 99 does not exist');
    const format = await runCli(['report', '1', '--format', 'pdf', '--db', db]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/Allowed choices are markdown, csv, latex, html, json/);
  });
});
