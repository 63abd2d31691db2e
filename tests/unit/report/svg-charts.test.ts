// The report's inline SVG charts: one series per strategy, points at their cost with CI bars,
// the Pareto front filled, and every label escaped.

import { describe, expect, it } from 'vitest';
import { stepsOf, strategyOf } from '../../../core/contract/strategy.ts';
import type { RunResults, StageCost } from '../../../core/contract/views/index.ts';
import { strategyCosts, treeCost } from '../../../core/report/strategy-costs.ts';
import { costChartSvg, stepCurvesSvg } from '../../../core/report/svg-charts.ts';

const stage = (seed: number, prefix: string, calls: number): StageCost => ({
  stageId: seed * 10 + prefix.length,
  seed,
  prefix,
  kind: 'p',
  status: 'finished',
  outcome: null,
  lmCalls: calls,
  cachedCalls: 0,
  tokens: calls * 100,
  promptTokens: calls * 90,
  completionTokens: calls * 10,
  seconds: 1,
  finetuneSeconds: 0,
});
const costs = [stage(0, '', 10), stage(0, 'p', 100), stage(0, 'p -> p', 100)];
const keys = ['', 'p', 'p -> p'];
const results: RunResults = {
  runId: 1,
  splits: ['test'],
  seeds: [0],
  rows: keys.map((k, i) => ({ strategy: k, label: k === '' ? 'vanilla <zero-shot>' : k, cells: { test: { mean: [50, 70, 68][i]!, ci95: [null, 4, 5][i]!, values: [[50, 70, 68][i]!], noPassingTraces: false } } })),
  curves: [
    { strategy: 'p', seed: 0, split: 'test', step: 0, prefix: '', score: 50 },
    { strategy: 'p', seed: 0, split: 'test', step: 1, prefix: 'p', score: 70 },
    { strategy: 'p -> p', seed: 0, split: 'test', step: 0, prefix: '', score: 50 },
    { strategy: 'p -> p', seed: 0, split: 'test', step: 1, prefix: 'p', score: 70 },
    { strategy: 'p -> p', seed: 0, split: 'test', step: 2, prefix: 'p -> p', score: 68 },
  ],
  costs,
  strategyCosts: strategyCosts(keys.map((k) => strategyOf(stepsOf(k))), [0], costs),
  treeCost: treeCost(costs),
};

describe('report charts', () => {
  it('draws one line per strategy over its steps', () => {
    const svg = stepCurvesSvg(results, 'test');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('>p -&gt; p</text>');
    expect(svg).toContain('stroke-dasharray'); // the second series stays visible over the first
  });

  it('puts each strategy at its cost with its CI, filling the Pareto front, and escapes labels', () => {
    const svg = costChartSvg(results, 'test', null);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg.match(/fill="#3b6fd8"/g)).toHaveLength(2); // zero-shot and p on the front; p -> p costs more for less
    expect(svg.match(/stroke="#6b7a8f"/g)).toHaveLength(2); // CI bars where there is a CI
    expect(svg).toContain('vanilla &lt;zero-shot&gt;');
    expect(svg).not.toContain('<zero-shot>');
    expect(costChartSvg(results, 'test', { inputPerMillion: 1, outputPerMillion: 2, finetunePerHour: 0 })).toContain('dollars per seed');
  });

  it('draws nothing without data', () => {
    expect(stepCurvesSvg({ ...results, curves: [] }, 'test')).toBe('');
    expect(costChartSvg({ ...results, strategyCosts: [] }, 'test', null)).toBe('');
  });
});
