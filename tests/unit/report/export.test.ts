import { describe, expect, it } from 'vitest';
import { cellText, renderReport, REPORT_FORMATS, type ReportInput } from '../../../core/report/export.ts';

const input: ReportInput = {
  runId: 7,
  task: 'iris',
  model: 'tandem-demo',
  strategies: ['p', 'w', 'p -> w'],
  seeds: [0, 1],
  status: 'finished',
  createdAt: Date.UTC(2026, 10, 25, 12),
  lm: { calls: 1200, cacheHits: 100, promptTokens: 50_000, completionTokens: 5_000 },
  results: {
    runId: 7,
    splits: ['dev', 'test'],
    seeds: [0, 1],
    rows: [
      { strategy: '', label: 'zero-shot', cells: { dev: { mean: 40, ci95: 12.7, values: [39, 41], noPassingTraces: false }, test: { mean: 38, ci95: null, values: [38, null], noPassingTraces: false } } },
      { strategy: 'p', label: 'p', cells: { dev: { mean: 60.5, ci95: 6.4, values: [60, 61], noPassingTraces: false }, test: { mean: 58, ci95: 3, values: [57, 59], noPassingTraces: false } } },
      { strategy: 'w', label: 'w', cells: { dev: { mean: null, ci95: null, values: [null, null], noPassingTraces: true }, test: { mean: 50, ci95: null, values: [50, null], noPassingTraces: true } } },
      { strategy: 'p -> w', label: 'p -> w', cells: { dev: { mean: 70, ci95: 1, values: [69, 71], noPassingTraces: false }, test: { mean: 66, ci95: 2, values: [65, 67], noPassingTraces: false } } },
    ],
    curves: [
      { strategy: 'p -> w', seed: 0, split: 'test', step: 0, prefix: '', score: 0.38 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 0, prefix: '', score: 0.4 },
      { strategy: 'p -> w', seed: 0, split: 'test', step: 1, prefix: 'p', score: 0.57 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 1, prefix: 'p', score: 0.59 },
      { strategy: 'p -> w', seed: 0, split: 'test', step: 2, prefix: 'p -> w', score: 0.65 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 2, prefix: 'p -> w', score: 0.67 },
    ],
    costs: [
      { stageId: 1, seed: 0, prefix: 'p', kind: 'p', status: 'finished', outcome: null, lmCalls: 800, cachedCalls: 0, tokens: 40_000, seconds: 30, finetuneSeconds: 0 },
      { stageId: 2, seed: 0, prefix: 'p -> w', kind: 'w', status: 'finished', outcome: null, lmCalls: 400, cachedCalls: 0, tokens: 15_000, seconds: 90, finetuneSeconds: 80 },
    ],
  },
};

describe('run reports', () => {
  it('formats cells as mean ± CI, "—" for no passing traces and a dagger for partial', () => {
    expect(cellText(input.results.rows[1]!.cells.dev)).toBe('60.5 ± 6.4');
    expect(cellText(input.results.rows[2]!.cells.dev)).toBe('—');
    expect(cellText(input.results.rows[2]!.cells.test)).toBe('50.0 †');
    expect(cellText(undefined)).toBe('n/a');
  });

  it('renders the table, per-seed values and step means in Markdown', () => {
    const { text, filename, mimeType } = renderReport(input, 'markdown');
    expect(filename).toBe('tandem-run-7-iris.md');
    expect(mimeType).toBe('text/markdown');
    expect(text).toContain('| p -> w | 70.0 ± 1.0 | 66.0 ± 2.0 |');
    expect(text).toContain('| zero-shot | test | 38.0 | — |');
    expect(text).toContain('| p -> w | test | 39.0 | 58.0 | 66.0 |'); // means over seeds after each step
    expect(text).toContain('| w | 1 | 400 | 15000 | 90 | 80 |');
  });

  it('writes CSV with one row per strategy and split, quoting where needed', () => {
    const lines = renderReport(input, 'csv').text.trim().split('\n');
    expect(lines[0]).toBe('strategy,split,mean,ci95,no_passing_traces,seed_0,seed_1');
    expect(lines).toContain('zero-shot,test,38.00,,false,38.00,');
    expect(lines).toContain('w,dev,,,true,,');
    expect(lines).toHaveLength(1 + 4 * 2);
  });

  it('escapes LaTeX specials and uses booktabs', () => {
    const text = renderReport({ ...input, model: 'my_model 100%' }, 'latex').text;
    expect(text).toContain('\\toprule');
    expect(text).toContain('p $\\to$ w & 70.0 $\\pm$ 1.0 & 66.0 $\\pm$ 2.0 \\\\');
    expect(text).toContain('w & --- & 50.0 $^\\dagger$ \\\\');
    expect(text).toContain('my\\_model 100\\%');
  });

  it('escapes HTML so a model name with markup stays text', () => {
    const text = renderReport({ ...input, model: '<script>alert(1)</script>' }, 'html').text;
    expect(text).not.toContain('<script>alert');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('gives valid JSON with the step means', () => {
    const parsed = JSON.parse(renderReport(input, 'json').text) as { stepMeans: Array<{ strategy: string; split: string; steps: number[] }> };
    expect(parsed.stepMeans.find((s) => s.strategy === 'p -> w' && s.split === 'test')?.steps.map((v) => Math.round(v))).toEqual([39, 58, 66]);
    expect(REPORT_FORMATS).toEqual(['markdown', 'csv', 'latex', 'html', 'json']);
  });
});
