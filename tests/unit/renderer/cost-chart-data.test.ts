import { describe, expect, it } from 'vitest';
import type { ResultCell, RunResults, StrategyCost } from '../../../renderer/src/api/types.ts';
import { ZERO_COST } from '../../../core/contract/cost.ts';
import { accuracyDomain, accuracyTicks, costAxis, costChartData, formatCost, placeLabels, scoredSplits } from '../../../renderer/src/components/cost-chart-data.ts';

const cell = (mean: number | null, ci95: number | null = null, noPassingTraces = false): ResultCell => ({ mean, ci95, values: [mean], noPassingTraces });
const cost = (strategy: string, seeds: number, tokens: number, lmCalls = 1, finetuneSeconds = 0): StrategyCost => {
  const attributed = { ...ZERO_COST, lmCalls, promptTokens: tokens * 0.75, completionTokens: tokens * 0.25, seconds: tokens / 100, finetuneSeconds };
  return { strategy, label: strategy || 'zero-shot', seeds, attributed, own: attributed };
};

function results(): RunResults {
  return {
    runId: 1,
    splits: ['dev', 'test'],
    seeds: [0, 1],
    rows: [
      { strategy: '', label: 'zero-shot', cells: { dev: cell(40), test: cell(38) } },
      { strategy: 'p', label: 'p', cells: { dev: cell(60, 4), test: cell(58, 3) } },
      { strategy: 'w', label: 'w', cells: { dev: cell(50, 2), test: cell(50, 2) } },
      { strategy: 'p -> w', label: 'p -> w', cells: { dev: cell(70, 5), test: cell(72, 6) } },
      { strategy: 'w -> p', label: 'w -> p', cells: { dev: cell(null, null, true), test: cell(null, null, true) } },
      { strategy: 'p -> p', label: 'p -> p', cells: { dev: cell(null), test: cell(null) } },
    ],
    curves: [],
    costs: [],
    strategyCosts: [cost('', 2, 1000), cost('p', 2, 20_000), cost('w', 2, 30_000, 1, 3600), cost('p -> w', 2, 50_000, 1, 3600), cost('w -> p', 2, 60_000), cost('p -> p', 0, 0)],
    treeCost: { total: ZERO_COST, stages: 0 },
  };
}

describe('costChartData', () => {
  it('draws a point per strategy with a finished seed and a score, zero-shot included, and says why the others are left out', () => {
    const data = costChartData(results(), 'test', 'tokens', null);
    expect(data.points.map((p) => [p.label, p.cost, p.accuracy, p.ci95])).toEqual([
      ['zero-shot', 1000, 38, null],
      ['p', 20_000, 58, 3],
      ['w', 30_000, 50, 2],
      ['p -> w', 50_000, 72, 6],
    ]);
    expect(data.omitted).toEqual([
      { label: 'w -> p', reason: 'no passing traces' },
      { label: 'p -> p', reason: 'no finished seed' },
    ]);
  });

  it('marks the Pareto front, cheapest first: w is dearer and worse than p', () => {
    const data = costChartData(results(), 'test', 'tokens', null);
    expect(data.front.map((p) => p.key)).toEqual(['', 'p', 'p -> w']);
    expect(data.points.find((p) => p.key === 'w')!.onFront).toBe(false);
  });

  it('prices in dollars only with prices, fine-tune hours included', () => {
    expect(costChartData(results(), 'test', 'dollars', null).points).toEqual([]);
    const data = costChartData(results(), 'test', 'dollars', { inputPerMillion: 1, outputPerMillion: 4, finetunePerHour: 10 });
    // p -> w: 37.5k prompt at $1/M + 12.5k completion at $4/M + 1 h at $10
    expect(data.points.find((p) => p.key === 'p -> w')!.cost).toBeCloseTo(0.0375 + 0.05 + 10, 9);
  });

  it('keeps to the strategies asked for', () => {
    expect(costChartData(results(), 'dev', 'lmCalls', null, (s) => s === '' || s === 'p').points.map((p) => p.key)).toEqual(['', 'p']);
  });

  it('offers the scored splits, test first', () => {
    expect(scoredSplits(results())).toEqual(['test', 'dev']);
    const r = results();
    for (const row of r.rows) row.cells.test = cell(null);
    expect(scoredSplits(r)).toEqual(['dev']);
  });
});

describe('axes', () => {
  it('formats each measure', () => {
    expect(formatCost(12_345, 'tokens')).toBe('12k');
    expect(formatCost(250_000, 'tokens')).toBe('250k');
    expect(formatCost(10_000, 'tokens')).toBe('10k');
    expect(formatCost(100, 'lmCalls')).toBe('100');
    expect(formatCost(120, 'dollars')).toBe('$120');
    expect(formatCost(1500, 'tokens')).toBe('1.5k');
    expect(formatCost(2_500_000, 'tokens')).toBe('2.5M');
    expect(formatCost(42, 'lmCalls')).toBe('42');
    expect(formatCost(90, 'seconds')).toBe('1.5m');
    expect(formatCost(0.00423, 'dollars')).toBe('$0.0042');
    expect(formatCost(12.5, 'dollars')).toBe('$12.5');
    expect(formatCost(0, 'dollars')).toBe('$0');
  });

  it('starts cost at 0 and ends on a round number above the dearest point; accuracy holds every error bar', () => {
    const points = costChartData(results(), 'test', 'tokens', null).points;
    // dearest 50k tokens
    expect(costAxis(points)).toEqual({ domain: [0, 60_000], ticks: [0, 20_000, 40_000, 60_000] });
    // dollars: 0.124 → steps of 0.05 up to 0.15
    expect(costAxis([{ ...points[0]!, cost: 0.124 }])).toEqual({ domain: [0, 0.15], ticks: [0, 0.05, 0.1, 0.15] });
    expect(costAxis([{ ...points[0]!, cost: 186_000 }]).ticks).toEqual([0, 50_000, 100_000, 150_000, 200_000, 250_000]);
    expect(costAxis([]).domain).toEqual([0, 1]);
    expect(accuracyDomain(points)).toEqual([30, 80]);
    expect(accuracyDomain([])).toEqual([0, 100]);
    expect(accuracyTicks([30, 80])).toEqual([30, 40, 50, 60, 70, 80]);
    expect(accuracyTicks([60, 80])).toEqual([60, 65, 70, 75, 80]);
  });
});

describe('placeLabels', () => {
  const area = { x: 0, y: 0, width: 400, height: 200 };
  const box = (b: { x: number; y: number; anchor: string }, label: string) => {
    const w = label.length * 6.4;
    const x0 = b.anchor === 'start' ? b.x : b.anchor === 'end' ? b.x - w : b.x - w / 2;
    return { x0, x1: x0 + w, y0: b.y - 7, y1: b.y + 7 };
  };

  it('puts labels of points close together where they do not overlap, inside the plot', () => {
    const points = [
      { key: 'a', label: 'zero-shot', px: 100, py: 100 },
      { key: 'b', label: 'p', px: 104, py: 104 },
      { key: 'c', label: 'p -> w', px: 110, py: 98 },
      { key: 'd', label: 'far right label', px: 395, py: 100 },
    ];
    const placed = placeLabels(points, area);
    const rects = placed.map((b) => box(b, points.find((p) => p.key === b.key)!.label));
    for (let i = 0; i < rects.length; i++) {
      const r = rects[i]!;
      expect(r.x0 >= 0 && r.x1 <= 400 && r.y0 >= 0 && r.y1 <= 200).toBe(true);
      for (let j = i + 1; j < rects.length; j++) {
        const q = rects[j]!;
        expect(r.x0 < q.x1 && q.x0 < r.x1 && r.y0 < q.y1 && q.y0 < r.y1).toBe(false);
      }
    }
    // the rightmost label goes to the left of its point
    expect(placed.find((b) => b.key === 'd')!.anchor).toBe('end');
  });
});
