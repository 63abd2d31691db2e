import { describe, expect, it } from 'vitest';
import { stepsOf, strategyOf } from '../../../core/contract/strategy.ts';
import type { StageCost } from '../../../core/contract/views/index.ts';
import { cellText, renderReport, REPORT_FORMATS, type ReportInput } from '../../../core/report/export.ts';
import { strategyCosts, treeCost } from '../../../core/report/strategy-costs.ts';

const STAGE_COSTS: StageCost[] = [
  { stageId: 1, seed: 0, prefix: 'p', kind: 'p', status: 'finished', outcome: null, lmCalls: 800, cachedCalls: 0, tokens: 40_000, promptTokens: 36_000, completionTokens: 4_000, seconds: 30, finetuneSeconds: 0 },
  { stageId: 2, seed: 0, prefix: 'p -> w', kind: 'w', status: 'finished', outcome: null, lmCalls: 400, cachedCalls: 0, tokens: 15_000, promptTokens: 14_000, completionTokens: 1_000, seconds: 90, finetuneSeconds: 80 },
];

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
    // Curve points are percent, like the table (the stages' scores).
    curves: [
      { strategy: 'p -> w', seed: 0, split: 'test', step: 0, prefix: '', score: 38 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 0, prefix: '', score: 40 },
      { strategy: 'p -> w', seed: 0, split: 'test', step: 1, prefix: 'p', score: 57 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 1, prefix: 'p', score: 59 },
      { strategy: 'p -> w', seed: 0, split: 'test', step: 2, prefix: 'p -> w', score: 65 },
      { strategy: 'p -> w', seed: 1, split: 'test', step: 2, prefix: 'p -> w', score: 67 },
    ],
    costs: STAGE_COSTS,
    strategyCosts: strategyCosts(['', 'p', 'w', 'p -> w'].map((k) => strategyOf(stepsOf(k))), [0, 1], STAGE_COSTS),
    treeCost: treeCost(STAGE_COSTS),
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
    // The last step of a strategy is the strategy: the same number as its row in the table.
    expect(input.results.rows.find((r) => r.strategy === 'p -> w')!.cells.test!.mean).toBe(66);
    expect(text).toContain('| w | 1 | 400 | 15000 | 90 | 80 |');
    // Cost per strategy: p -> w is charged its p prefix too; the gain is over zero-shot on test.
    expect(text).toContain('## Cost per strategy (test)');
    expect(text).toContain('| p -> w | 66.0 | 1,200 | 50,000 | 5,000 | 120 | 80 | +28.0 | 509.09 |');
  });

  it('adds the random search, fine-tune and flipped-example tables when given', () => {
    const { text } = renderReport(
      {
        ...input,
        promptStages: [{ seed: 0, prefix: 'p', candidates: 9, best: 74.3, median: 70, worst: 60.25, bestKind: 'shuffled', bestDemos: 4 }],
        finetunes: [{ seed: 0, prefix: 'p -> w', modules: ['generate_answer'], rows: 120, trainRows: 118, skipped: 2, firstLoss: 2.5, lastLoss: 0.75, seconds: 80, status: 'finished' }],
        flippedExamples: [{ strategy: 'p -> w', kind: 'regression', seed: 1, exampleId: 'ex-7', inputs: '{"q":"a | b"}', gold: '{"a":"x"}', baseline: '{"a":"x"}', prediction: '{"a":"y"}' }],
      },
      'markdown',
    );
    expect(text).toContain('| 0 | p | 9 | 74.3 | 70.0 | 60.3 | shuffled, 4 demos |');
    expect(text).toContain('| 0 | p -> w | generate_answer | 118 | 2 | 2.500 → 0.750 | 80 | finished |');
    expect(text).toContain('## Flipped examples (p -> w against zero-shot)');
    expect(text).toContain('| regression | 1 | ex-7 | {"q":"a \\| b"} | {"a":"x"} | {"a":"x"} | {"a":"y"} |');
    const html = renderReport({ ...input, flippedExamples: [{ strategy: 'p', kind: 'improvement', seed: 0, exampleId: '<b>', inputs: '<img src=x onerror=alert(1)>', gold: '', baseline: '', prediction: '' }] }, 'html').text;
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('adds dollars to the cost table when prices are given', () => {
    const { text } = renderReport({ ...input, prices: { inputPerMillion: 10, outputPerMillion: 30, finetunePerHour: 3.6 } }, 'markdown');
    // (50,000 × $10 + 5,000 × $30) / 1M + 80 s × $3.6/h = $0.65 + $0.08
    expect(text).toContain('| p -> w | 66.0 | 1,200 | 50,000 | 5,000 | 120 | 80 | $0.73 | +28.0 | 38.4 |');
    expect(text).toContain('Prices: $10 per 1M prompt tokens, $30 per 1M completion tokens, $3.6 per fine-tune hour.');
  });

  it('writes CSV with one row per strategy and split, quoting where needed', () => {
    const lines = renderReport(input, 'csv').text.trim().split('\n');
    expect(lines[0]).toBe('strategy,split,mean,ci95,no_passing_traces,seed_0,seed_1,measure');
    expect(lines).toContain('zero-shot,test,38.00,,false,38.00,,accuracy');
    expect(lines).toContain('w,dev,,,true,,,accuracy');
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

describe('run reports with intermediate checks', () => {
  const cell = (mean: number, ci95: number | null, values: Array<number | null>) => ({ mean, ci95, values, noPassingTraces: false });
  const withChecks: ReportInput = {
    ...input,
    task: 'hotpotqa',
    results: {
      ...input.results,
      checks: {
        definitions: [
          { name: 'recall_hop1', label: 'recall@hop1', module: 'generate_query[0]', description: 'gold paragraphs after hop 1' },
          { name: 'recall_hop2', label: 'recall@hop2', module: 'generate_query[1]', description: 'gold paragraphs after hop 2' },
        ],
        rows: [
          { strategy: '', label: 'zero-shot', cells: { dev: { recall_hop1: cell(40, 2, [39, 41]), recall_hop2: cell(55, 1, [54, 56]) }, test: { recall_hop1: cell(41, null, [41, null]), recall_hop2: cell(60, null, [60, null]) } } },
          { strategy: 'p', label: 'p', cells: { dev: { recall_hop1: cell(45, 3, [44, 46]), recall_hop2: cell(70, 4, [68, 72]) }, test: { recall_hop1: cell(46, 1, [45, 47]), recall_hop2: cell(71, 2, [70, 72]) } } },
        ],
        sources: [{ stageId: 2, seed: 0, prefix: 'p', kind: 'p', source: 'demos', traces: 9, checks: { recall_hop1: { mean: 0.5, n: 9, full: 3 }, recall_hop2: { mean: 0.8333, n: 9, full: 7 } } }],
      },
    },
  };

  it('adds the checks table, their legend and what each stage learned from to Markdown and HTML', () => {
    const md = renderReport(withChecks, 'markdown').text;
    expect(md).toContain('| strategy | dev recall@hop1 | dev recall@hop2 | test recall@hop1 | test recall@hop2 |');
    expect(md).toContain('| p | 45.0 ± 3.0 | 70.0 ± 4.0 | 46.0 ± 1.0 | 71.0 ± 2.0 |');
    expect(md).toContain('- recall@hop2 (generate_query[1]): gold paragraphs after hop 2');
    expect(md).toContain('| 0 | p | demos | 9 | 50.0 (3/9) | 83.3 (7/9) |');
    const html = renderReport(withChecks, 'html').text;
    expect(html).toContain('<h2>What each stage learned from</h2>');
    expect(html).toContain('<td class="num">83.3 (7/9)</td>');
  });

  it('writes a CSV row per strategy, split and check, and a LaTeX table of the checks', () => {
    const lines = renderReport(withChecks, 'csv').text.trim().split('\n');
    expect(lines).toContain('p,dev,70.00,4.00,false,68.00,72.00,recall_hop2');
    expect(lines).toHaveLength(1 + 4 * 2 + 2 * 2 * 2);
    const tex = renderReport(withChecks, 'latex').text;
    expect(tex).toContain('p & 45.0 $\\pm$ 3.0 & 70.0 $\\pm$ 4.0 & 46.0 $\\pm$ 1.0 & 71.0 $\\pm$ 2.0 \\\\');
    expect(tex).toContain('intermediate checks');
  });

  it('leaves the checks out for tasks without any', () => {
    expect(renderReport(input, 'markdown').text).not.toContain('Intermediate checks');
  });
});
