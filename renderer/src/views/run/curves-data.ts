// Reshapes the API's curve points (score after each step, per strategy, split and seed) into
// recharts rows: one row per step, a mean column per strategy and a column per strategy × seed.
import type { CurvePoint } from '../../api/types.ts';

export interface CurveSeries {
  strategy: string;
  /** Data key of the mean over seeds. */
  key: string;
  /** Data keys of the per-seed values. */
  seedKeys: Array<{ seed: number; key: string }>;
}

export interface CurveTable {
  rows: Array<Record<string, number | null>>;
  series: CurveSeries[];
  maxStep: number;
  /** A y range on round numbers around the values (percent), and its ticks. */
  yDomain: [number, number];
  yTicks: number[];
}

function yAxis(values: number[]): { yDomain: [number, number]; yTicks: number[] } {
  if (values.length === 0) return { yDomain: [0, 100], yTicks: [0, 25, 50, 75, 100] };
  const lo = Math.max(0, Math.floor((Math.min(...values) - 3) / 5) * 5);
  const hi = Math.min(100, Math.ceil((Math.max(...values) + 3) / 5) * 5);
  const step = hi - lo > 50 ? 20 : hi - lo > 25 ? 10 : 5;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return { yDomain: [lo, hi], yTicks: ticks };
}

export function curveTable(points: readonly CurvePoint[], split: string): CurveTable {
  const mine = points.filter((p) => p.split === split);
  const strategies = [...new Set(mine.map((p) => p.strategy))];
  const seeds = [...new Set(mine.map((p) => p.seed))].sort((a, b) => a - b);
  const maxStep = mine.reduce((m, p) => Math.max(m, p.step), 0);
  const series: CurveSeries[] = strategies.map((strategy, i) => ({
    strategy,
    key: `m${i}`,
    seedKeys: seeds.map((seed) => ({ seed, key: `m${i}s${seed}` })),
  }));
  const rows: Array<Record<string, number | null>> = [];
  for (let step = 0; step <= maxStep; step++) {
    const row: Record<string, number | null> = { step };
    series.forEach((s) => {
      const here = mine.filter((p) => p.strategy === s.strategy && p.step === step);
      // A strategy with fewer steps has no point past its end (undefined, so recharts stops the line).
      if (here.length === 0) return;
      const values = here.map((p) => p.score).filter((v): v is number => v !== null);
      row[s.key] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
      for (const p of here) row[`${s.key}s${p.seed}`] = p.score;
    });
    rows.push(row);
  }
  const values = mine.map((p) => p.score).filter((v): v is number => v !== null);
  return { rows, series, maxStep, ...yAxis(values) };
}
