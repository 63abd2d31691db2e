// What the accuracy-against-cost chart draws: one point per strategy (zero-shot included) at its
// attributed cost per seed and its mean accuracy on a split with the 95% CI over seeds, the
// Pareto front among them, the strategies left out and why, axis formatting, and where each
// point's label goes so that labels neither overlap each other nor cover a point.
import { costMeasure, paretoFront, type CostMeasure, type Prices } from '../../../core/contract/cost.ts';
import type { RunResults } from '../api/types.ts';

export interface CostPoint {
  /** Unique in the chart: the strategy ('' for zero-shot). */
  key: string;
  strategy: string;
  label: string;
  /** Cost per seed in the chosen measure. */
  cost: number;
  /** Mean accuracy over seeds, percent. */
  accuracy: number;
  /** Half-width of the 95% CI over seeds (percent points); null with one seed. */
  ci95: number | null;
  /** Seeds the cost is a mean over. */
  seeds: number;
  onFront: boolean;
}

export interface CostChartData {
  points: CostPoint[];
  /** The front's points, cheapest first. */
  front: CostPoint[];
  /** Strategies left out, with the reason, as one short phrase each. */
  omitted: Array<{ label: string; reason: string }>;
}

export const MEASURE_LABEL: Record<CostMeasure, string> = { tokens: 'tokens', lmCalls: 'LM calls', seconds: 'seconds', dollars: 'dollars' };

/** The splits some strategy has a score on, test first (the one a paper reports). */
export function scoredSplits(results: RunResults): string[] {
  const scored = results.splits.filter((s) => results.rows.some((r) => r.cells[s]?.mean !== null && r.cells[s]?.mean !== undefined));
  return scored.sort((a, b) => (a === 'test' ? -1 : b === 'test' ? 1 : 0));
}

export function costChartData(results: RunResults, split: string, measure: CostMeasure, prices: Prices | null, include: (strategy: string) => boolean = () => true): CostChartData {
  const costs = new Map(results.strategyCosts.map((c) => [c.strategy, c]));
  const points: CostPoint[] = [];
  const omitted: CostChartData['omitted'] = [];
  for (const row of results.rows) {
    if (!include(row.strategy)) continue;
    const cost = costs.get(row.strategy);
    const cell = row.cells[split];
    const value = cost && cost.seeds > 0 ? costMeasure(cost.attributed, measure, prices) : null;
    if (!cost || cost.seeds === 0) omitted.push({ label: row.label, reason: 'no finished seed' });
    else if (!cell || cell.mean === null) omitted.push({ label: row.label, reason: cell?.noPassingTraces ? 'no passing traces' : `no score on ${split}` });
    else if (value === null || !Number.isFinite(value)) omitted.push({ label: row.label, reason: `no ${MEASURE_LABEL[measure]}` });
    else points.push({ key: row.strategy, strategy: row.strategy, label: row.label, cost: value, accuracy: cell.mean, ci95: cell.ci95 && cell.ci95 > 0 ? cell.ci95 : null, seeds: cost.seeds, onFront: false });
  }
  const onFront = new Set(paretoFront(points.map((p) => ({ key: p.key, cost: p.cost, accuracy: p.accuracy }))));
  for (const p of points) p.onFront = onFront.has(p.key);
  const front = points.filter((p) => p.onFront).sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  return { points, front, omitted };
}

function trim(n: number, digits: number): string {
  const text = n.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A cost as an axis tick or tooltip shows it: 12.3k tokens, 2m 05s, $0.0042. */
export function formatCost(value: number, measure: CostMeasure): string {
  switch (measure) {
    case 'tokens':
    case 'lmCalls': {
      const a = Math.abs(value);
      if (a >= 1e6) return `${trim(value / 1e6, 1)}M`;
      if (a >= 1e3) return `${trim(value / 1e3, a >= 1e4 ? 0 : 1)}k`;
      return trim(value, a >= 10 ? 0 : 1);
    }
    case 'seconds': {
      if (value < 60) return `${trim(value, value >= 10 ? 0 : 1)}s`;
      if (value < 3600) return `${trim(value / 60, 1)}m`;
      return `${trim(value / 3600, 1)}h`;
    }
    case 'dollars': {
      if (value === 0) return '$0';
      if (value >= 100) return `$${value.toFixed(0)}`;
      if (value >= 1) return `$${trim(value, 2)}`;
      return `$${Number(value.toPrecision(2))}`;
    }
  }
}

/** [0, a round number a little above the dearest point] and its ticks, 4 to 6 round steps. */
export function costAxis(points: readonly CostPoint[]): { domain: [number, number]; ticks: number[] } {
  const max = Math.max(0, ...points.map((p) => p.cost)) * 1.08;
  if (max === 0) return { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  const unit = 10 ** Math.floor(Math.log10(max / 5));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * unit).find((st) => max / st <= 5)!;
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { domain: [0, ticks[n]!], ticks };
}

/** Percent range holding every point and its error bar, on multiples of 10 (within 0–100). */
export function accuracyDomain(points: readonly CostPoint[]): [number, number] {
  if (points.length === 0) return [0, 100];
  const lo = Math.min(...points.map((p) => p.accuracy - (p.ci95 ?? 0)));
  const hi = Math.max(...points.map((p) => p.accuracy + (p.ci95 ?? 0)));
  let a = Math.max(0, Math.floor((lo - 2) / 10) * 10);
  let b = Math.min(100, Math.ceil((hi + 2) / 10) * 10);
  if (b - a < 20) {
    if (a === 0) b = Math.min(100, a + 20);
    else a = Math.max(0, b - 20);
  }
  return [a, b];
}

/** Ticks every 10 points (every 5 on a narrow range) across an accuracyDomain. */
export function accuracyTicks([a, b]: [number, number]): number[] {
  const step = b - a > 30 ? 10 : 5;
  const ticks: number[] = [];
  for (let t = a; t <= b; t += step) ticks.push(t);
  return ticks;
}

export interface LabelBox {
  key: string;
  /** Text anchor point, pixels. */
  x: number;
  y: number;
  anchor: 'start' | 'end' | 'middle';
  /** Set when the label sits away from its point: where a thin line from the point should end. */
  leader: { x: number; y: number } | null;
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Where each label goes, in pixels: beside its point (right, left, above, below, then further
 * out, with a leader line), the first place that stays inside `area` and overlaps neither an
 * earlier label nor another point (nor, where it can, an error bar). Points are placed cheapest first; `charWidth` estimates the text's width.
 */
export function placeLabels(
  points: ReadonlyArray<{ key: string; label: string; px: number; py: number; /** Error bar's ends, pixels. */ bar?: [number, number] | null }>,
  area: { x: number; y: number; width: number; height: number },
  charWidth = 6.4,
  lineHeight = 14,
  markerRadius = 6,
): LabelBox[] {
  const placed: Rect[] = [];
  const markers: Rect[] = points.map((p) => ({ x0: p.px - markerRadius, y0: p.py - markerRadius, x1: p.px + markerRadius, y1: p.py + markerRadius }));
  const bars: Rect[] = points.flatMap((p) => (p.bar ? [{ x0: p.px - 4, y0: Math.min(...p.bar), x1: p.px + 4, y1: Math.max(...p.bar) }] : []));
  const inside = (r: Rect) => r.x0 >= area.x && r.x1 <= area.x + area.width && r.y0 >= area.y && r.y1 <= area.y + area.height;
  const out: LabelBox[] = [];
  const order = [...points].sort((a, b) => a.px - b.px || a.py - b.py);
  for (const p of order) {
    const w = p.label.length * charWidth;
    const h = lineHeight;
    const gap = markerRadius + 4;
    const candidates: Array<{ box: LabelBox; rect: Rect }> = [];
    for (const step of [0, 1, 2, 3, 4]) {
      const dy = step * h;
      const opts: Array<[number, number, LabelBox['anchor']]> = [
        [p.px + gap, p.py - dy, 'start'],
        [p.px - gap, p.py - dy, 'end'],
        [p.px, p.py - gap - dy - h / 2, 'middle'],
        [p.px, p.py + gap + dy + h / 2, 'middle'],
        [p.px + gap, p.py + dy, 'start'],
        [p.px - gap, p.py + dy, 'end'],
      ];
      for (const [x, y, anchor] of opts) {
        const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
        const leader = step === 0 ? null : anchor === 'middle' ? { x, y: y < p.py ? y + h / 2 : y - h / 2 } : { x: anchor === 'start' ? x - 2 : x + 2, y };
        candidates.push({ box: { key: p.key, x, y, anchor, leader }, rect: { x0, y0: y - h / 2, x1: x0 + w, y1: y + h / 2 } });
      }
    }
    const free = (r: Rect) => !placed.some((q) => overlaps(q, r)) && !markers.some((m, i) => points[i]!.key !== p.key && overlaps(m, r));
    const clear = (r: Rect) => !bars.some((b) => overlaps(b, r));
    const pick =
      candidates.find((c) => inside(c.rect) && free(c.rect) && clear(c.rect)) ??
      candidates.find((c) => inside(c.rect) && free(c.rect)) ?? candidates.find((c) => free(c.rect)) ?? candidates.find((c) => inside(c.rect)) ?? candidates[0]!;
    placed.push(pick.rect);
    out.push(pick.box);
  }
  return out;
}
