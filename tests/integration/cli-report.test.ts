// `tandem report` on a real run recorded by the CLI against the stub LM server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../core/api/index.ts';
import { findChromium } from '../../core/util/print-pdf.ts';
import { compareWithBaseline } from '../../core/report/significance.ts';
import { runCli } from '../helpers/cli.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

let stub: StubServerHandle;
let dir: string;
let db: string;
/** What `tandem run --json` printed: the table every report format must agree with. */
let runJson: { table: Array<{ strategy: string; label: string; cells: Record<string, { mean: number | null; ci95: number | null; values: Array<number | null> }> }>; curves: Array<{ strategy: string; split: string; step: number; score: number | null }> };

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 5 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-report-'));
  db = path.join(dir, 'tandem.db');
  const run = await runCli(['run', 'iris', '--strategy', 'p', '--seeds', '2', '--candidates', '2', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json']);
  expect(run.code, run.stderr).toBe(0);
  runJson = JSON.parse(run.stdout) as typeof runJson;
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
    const format = await runCli(['report', '1', '--format', 'docx', '--db', db]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/Allowed choices are markdown, csv, latex, html, json, pdf/);
  });
});

describe('every report format agrees with the run\'s --json table', () => {
  const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  const cellText = (c: { mean: number | null; ci95: number | null }, pm: string) => `${fixed(c.mean)}${c.ci95 !== null ? ` ${pm} ${c.ci95.toFixed(1)}` : ''}`;
  const report = async (format: string) => {
    const result = await runCli(['report', '1', '--format', format, '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  /** Mean over seeds of each strategy's score after each step (what the step table shows). */
  const stepMeans = (strategy: string, split: string) => {
    const points = runJson.curves.filter((p) => p.strategy === strategy && p.split === split);
    const steps = Math.max(...points.map((p) => p.step)) + 1;
    return Array.from({ length: steps }, (_, step) => {
      const values = points.filter((p) => p.step === step && p.score !== null).map((p) => p.score!);
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    });
  };

  it('Markdown: the table, every seed and every step mean', async () => {
    const text = await report('markdown');
    for (const row of runJson.table) {
      expect(text).toContain(`| ${row.label} | ${cellText(row.cells.dev!, '±')} | ${cellText(row.cells.test!, '±')} |`);
      for (const split of ['dev', 'test']) expect(text).toContain(`| ${row.label} | ${split} | ${row.cells[split]!.values.map(fixed).join(' | ')} |`);
      if (row.strategy !== '') for (const split of ['dev', 'test']) expect(text).toContain(`| ${row.label} | ${split} | ${stepMeans(row.strategy, split).map(fixed).join(' | ')} |`);
    }
    expect(text).not.toMatch(/\b\d{4,}\.\d\b(?! tokens)/); // no percent scaled twice (3400.0)
  });

  it('HTML: the same cells and step means', async () => {
    const text = await report('html');
    for (const row of runJson.table) {
      expect(text).toContain(`<td>${row.label}</td><td class="num">${cellText(row.cells.dev!, '±')}</td><td class="num">${cellText(row.cells.test!, '±')}</td>`);
      if (row.strategy !== '') expect(text).toContain(`<td>${row.label}</td><td class="num">test</td>${stepMeans(row.strategy, 'test').map((v) => `<td class="num">${fixed(v)}</td>`).join('')}`);
    }
  });

  it('LaTeX: the same cells', async () => {
    const text = await report('latex');
    const label = (l: string) => l.replace(/->/g, '$\\to$');
    for (const row of runJson.table) {
      const cells = ['dev', 'test'].map((s) => cellText(row.cells[s]!, '$\\pm$'));
      expect(text).toMatch(new RegExp(`${escape(label(row.label))} & ${escape(cells[0]!)}(\\$\\^\\{\\*\\}\\$)? & ${escape(cells[1]!)}(\\$\\^\\{\\*\\}\\$)? \\\\\\\\`));
    }
  });

  it('CSV: every mean, CI and seed value to two decimals', async () => {
    const lines = (await report('csv')).trim().split('\n').map((l) => l.split(','));
    for (const row of runJson.table) {
      for (const split of ['dev', 'test']) {
        const c = row.cells[split]!;
        const line = lines.find((l) => l[0] === (row.strategy === '' ? 'zero-shot' : row.strategy) && l[1] === split && l.at(-1) === 'accuracy')!;
        expect(line.slice(2, 4)).toEqual([c.mean!.toFixed(2), c.ci95 === null ? '' : c.ci95.toFixed(2)]);
        expect(line.slice(5, 5 + c.values.length)).toEqual(c.values.map((v) => (v === null ? '' : v.toFixed(2))));
      }
    }
  });

  it('Markdown: each Π stage\'s random search and the flipped examples, from the stored candidates and traces', async () => {
    const text = await report('markdown');
    expect(text).toMatch(/## Random search \(each Π stage\)/);
    // Three fixed candidates (zero-shot, labeled, bootstrapped) and the two shuffled ones --candidates 2 asked for, per seed.
    for (const seed of [0, 1]) expect(text).toMatch(new RegExp(`\\| ${seed} \\| p \\| 5 \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\w-]+, \\d demos \\|`));
    expect(text).toMatch(/## Flipped examples \(p against zero-shot\)/);
    expect(text).toMatch(/\| (improvement|regression) \| [01] \| iris-\d+ \| \{"sepal_length"/);
  });

  it('JSON: the same rows', async () => {
    const json = JSON.parse(await report('json')) as { results: { rows: unknown } };
    expect(json.results.rows).toEqual(runJson.table);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('tandem report --format pdf', () => {
  const browser = findChromium();
  it.skipIf(!browser)('prints the HTML report, charts included, to a PDF with headless Chromium', async () => {
    const out = path.join(dir, 'report.pdf');
    const result = await runCli(['report', '1', '--format', 'pdf', '--out', out, '--price-input', '0.15', '--price-output', '0.6', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    const html = await runCli(['report', '1', '--format', 'html', '--db', db]);
    expect(html.stdout.match(/<svg /g)).toHaveLength(2); // the step curves and accuracy against cost
    expect(html.stdout).not.toMatch(/<script|<link|(src|href)=["']?https?:|url\(/); // standalone: no script, nothing fetched
  });

  it('says in one line that a PDF needs --out', async () => {
    const result = await runCli(['report', '1', '--format', 'pdf', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('tandem: --format pdf writes a file: give --out report.pdf');
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

  it('compares two runs of the task strategy by strategy (--with), paired by seed and example', async () => {
    // A second run with one seed and a smaller random search: seed 0 pairs with run 1's seed 0.
    const second = await runCli(['run', 'iris', '--strategy', 'p', '--seeds', '1', '--candidates', '0', '--lm', 'openai:stub-model', '--base-url', stub.baseUrl, '--db', db, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const otherRunId = (JSON.parse(second.stdout) as { runId: number }).runId;
    const result = await runCli(['compare', '1', '--with', String(otherRunId), '--json', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { strategies: Array<{ strategy: string; seeds: number[]; counts: { n: number }; significance: { pHolm: number; sentence: string } }> };
    expect(json.strategies.map((s) => s.strategy)).toEqual(['', 'p']);
    for (const s of json.strategies) {
      expect(s.seeds).toEqual([0]);
      expect(s.counts.n).toBeGreaterThan(0);
      expect(s.significance.sentence).toMatch(new RegExp(`^run ${otherRunId}'s (vanilla zero-shot|p) `));
    }
    // The zero-shot program is the same in both runs: same answers, no difference.
    expect(json.strategies[0]!.significance).toMatchObject({ difference: 0, p: 1 });
    const text = await runCli(['compare', '1', '--with', String(otherRunId), '--db', db]);
    expect(text.stdout).toMatch(new RegExp(`^run ${otherRunId} against run 1 \\(iris\\) on test, strategy by strategy`));
    // One report for both runs: the overview, run 2 against run 1, then each run's own report.
    const both = await runCli(['report', '1', String(otherRunId), '--db', db]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(new RegExp(`^# Tandem runs 1, ${otherRunId}\\n`));
    expect(both.stdout).toContain(`| strategy | #1 dev | #1 test | #${otherRunId} dev | #${otherRunId} test |`);
    expect(both.stdout).toContain(`## Run ${otherRunId} against run 1 on test, strategy by strategy`);
    expect(both.stdout).toContain('## Tandem run 1: iris on stub-model');
    expect(both.stdout).toContain(`## Tandem run ${otherRunId}: iris on stub-model`);
    expect(both.stdout).toContain('### Is the difference real? (vs vanilla zero-shot, test)');
    const csv = await runCli(['report', '1', String(otherRunId), '--format', 'csv', '--db', db]);
    expect(csv.stdout.split('\n')[0]).toMatch(/^run,strategy,split,mean,/);
    expect(new Set(csv.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['1', String(otherRunId)]));
    const none = await runCli(['report', '--db', db]);
    expect(none.stderr.trim()).toBe('tandem: name a run (tandem report 12), several runs (tandem report 12 13), or --experiment <id>');
    const self = await runCli(['compare', '1', '--with', '1', '--db', db]);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/compare a run with another run/);
  });

  it('says in one line which baseline or split does not exist', async () => {
    const missing = await runCli(['compare', '1', '--baseline', 'w', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/"w" is not a strategy of run 1/);
  });
});
