// `tandem report` on a real run recorded by the CLI against the stub LM server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../core/api/index.ts';
import { compareWithBaseline } from '../../core/report/significance.ts';
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

describe('tandem compare', () => {
  it('prints each strategy against the baseline with its CI, p-values and one sentence', async () => {
    const result = await runCli(['compare', '1', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^run 1 on test, 2 seeds, against vanilla zero-shot/);
    expect(result.stdout).toMatch(/strategy\s+test %\s+diff\s+95% CI\s+R→W\s+W→R\s+p\s+Holm p/);
    expect(result.stdout).toMatch(/\np (beats|trails) vanilla zero-shot by \d+\.\d points? \(95% CI .+ to .+, p .+, Holm .+\)|\np vs vanilla zero-shot: .+no significant difference/);
  });

  it('gives in --json the numbers recomputed from the example results the API serves', async () => {
    const result = await runCli(['compare', '1', '--baseline', 'zero-shot', '--split', 'test', '--json', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { strategies: Array<{ strategy: string; counts: { n: number }; significance: Record<string, unknown> }> };
    expect(json.strategies.map((s) => s.strategy)).toEqual(['p']);
    const [p] = json.strategies;

    // Independently: each seed's final test evaluations, paired by example id.
    const api = createApi({ dbPath: db, embeddedModelsDir: null });
    try {
      const stages = await api.listStages({ runId: 1 });
      const seeds = [];
      for (const seed of [0, 1]) {
        const scores = async (prefix: string) => {
          const stage = stages.find((s) => s.seed === seed && s.prefix === prefix)!;
          const page = await api.pageExampleResults({ stageId: stage.id, split: 'test', limit: 500 });
          return new Map(page.rows.map((r) => [r.exampleId, { score: r.score, passed: r.passed }]));
        };
        const base = await scores('');
        const mine = await scores('p');
        const ids = [...base.keys()].filter((id) => mine.has(id));
        seeds.push({
          seed,
          baseline: ids.map((id) => base.get(id)!.score),
          strategy: ids.map((id) => mine.get(id)!.score),
          rightToWrong: ids.filter((id) => base.get(id)!.passed && !mine.get(id)!.passed).length,
          wrongToRight: ids.filter((id) => !base.get(id)!.passed && mine.get(id)!.passed).length,
        });
      }
      const [expected] = compareWithBaseline([{ seeds }]);
      expect(p!.counts.n).toBe(seeds[0]!.baseline.length + seeds[1]!.baseline.length);
      expect(p!.significance).toMatchObject({ ...expected, sentence: expect.any(String) });
    } finally {
      await api.close();
    }
  });

  it('says in one line which baseline or split does not exist', async () => {
    const missing = await runCli(['compare', '1', '--baseline', 'w', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/"w" is not a strategy of run 1/);
  });
});
