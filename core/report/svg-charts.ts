// The charts of the HTML (and so the PDF) report, as inline SVG: no script, no network, every
// label escaped. Score after each step per strategy, and accuracy against cost with the 95% CI
// over seeds and the Pareto front.

import { costMeasure, paretoFront, type Prices } from '../contract/cost.ts';
import type { RunResults } from '../contract/views/results.ts';

const W = 640;
const H = 300;
const M = { left: 52, right: 150, top: 16, bottom: 40 };
const PALETTE = ['#3b6fd8', '#e07b24', '#2a9d5b', '#c2374b', '#8a5cc7', '#6b7a8f', '#b08a1e', '#1f9fb0'];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (v: number) => (Math.round(v * 10) / 10).toString();

/** Round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function frame(title: string, xLabel: string, yLabel: string, x: (v: number) => number, y: (v: number) => number, xTicks: number[], yTicks: number[], xFormat: (v: number) => string, body: string): string {
  const grid = [
    ...yTicks.map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${num(y(t))}" y2="${num(y(t))}" stroke="#e3e6eb"/><text x="${M.left - 6}" y="${num(y(t) + 4)}" text-anchor="end">${esc(`${num(t)}%`)}</text>`),
    ...xTicks.map((t) => `<line y1="${M.top}" y2="${H - M.bottom}" x1="${num(x(t))}" x2="${num(x(t))}" stroke="#eef0f3"/><text x="${num(x(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(xFormat(t))}</text>`),
  ].join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}" font-family="system-ui,sans-serif" font-size="11" fill="#1d2026">${grid}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#8a93a0"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#8a93a0"/><text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text><text transform="translate(12 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function yScale(values: number[]): { y: (v: number) => number; yTicks: number[] } {
  const lo = Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10);
  const hi = Math.min(100, Math.ceil((Math.max(...values) + 5) / 10) * 10);
  const y = (v: number) => H - M.bottom - ((v - lo) / (hi - lo || 1)) * (H - M.top - M.bottom);
  return { y, yTicks: ticks(lo, hi) };
}

/** Mean score after each step per strategy on `split` (step 0 is zero-shot). */
export function stepCurvesSvg(results: RunResults, split: string): string {
  const series = results.rows
    .filter((r) => r.strategy !== '')
    .map((row) => {
      const points = results.curves.filter((p) => p.strategy === row.strategy && p.split === split);
      const steps = Math.max(-1, ...points.map((p) => p.step)) + 1;
      const means = Array.from({ length: steps }, (_, step) => {
        const values = points.filter((p) => p.step === step && p.score !== null).map((p) => p.score!);
        return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
      });
      return { label: row.label, means };
    })
    .filter((s) => s.means.some((m) => m !== null));
  if (series.length === 0) return '';
  const all = series.flatMap((s) => s.means.filter((m): m is number => m !== null));
  const maxStep = Math.max(...series.map((s) => s.means.length - 1), 1);
  const x = (step: number) => M.left + (step / maxStep) * (W - M.left - M.right);
  const { y, yTicks } = yScale(all);
  const body = series
    .map((s, i) => {
      const color = PALETTE[i % PALETTE.length]!;
      const pts = s.means.flatMap((m, step) => (m === null ? [] : [[x(step), y(m)] as const]));
      // Later series dashed, so a strategy that follows another's path (a shared prefix) stays visible.
      const dash = i > 0 ? ` stroke-dasharray="${4 + 2 * (i % 3)} 3"` : '';
      const line = `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map(([a, b]) => `${num(a)},${num(b)}`).join(' ')}"/>`;
      const dots = pts.map(([a, b]) => `<circle cx="${num(a)}" cy="${num(b)}" r="3" fill="${color}"/>`).join('');
      const legend = `<rect x="${W - M.right + 12}" y="${M.top + i * 16}" width="10" height="10" fill="${color}"/><text x="${W - M.right + 28}" y="${M.top + i * 16 + 9}">${esc(s.label)}</text>`;
      return line + dots + legend;
    })
    .join('');
  const xTicks = Array.from({ length: maxStep + 1 }, (_, i) => i);
  return frame(`Score after each step on ${split} (%, mean over seeds; step 0 is zero-shot)`, 'step', `accuracy on ${split}`, x, y, xTicks, yTicks, (t) => (t === 0 ? 'zero-shot' : `step ${t}`), body);
}

/** Each strategy at its attributed cost per seed (dollars with prices, else tokens), with its CI and the Pareto front. */
export function costChartSvg(results: RunResults, split: string, prices: Prices | null): string {
  const measure = prices ? 'dollars' : 'tokens';
  const points = results.strategyCosts.flatMap((c) => {
    const row = results.rows.find((r) => r.strategy === c.strategy);
    const cell = row?.cells[split];
    const cost = costMeasure(c.attributed, measure, prices);
    return c.seeds > 0 && cell?.mean != null && cost !== null ? [{ key: c.strategy, label: row?.label ?? c.label, cost, accuracy: cell.mean, ci: cell.ci95 }] : [];
  });
  if (points.length === 0) return '';
  const front = new Set(paretoFront(points));
  const maxCost = Math.max(...points.map((p) => p.cost)) * 1.08 || 1;
  const x = (v: number) => M.left + (v / maxCost) * (W - M.left - M.right);
  const { y, yTicks } = yScale(points.flatMap((p) => [p.accuracy - (p.ci ?? 0), p.accuracy + (p.ci ?? 0)]));
  const format = prices ? (v: number) => `$${v < 1 ? v.toPrecision(2) : v.toFixed(2)}` : (v: number) => (v >= 1e6 ? `${num(v / 1e6)}M` : v >= 1e3 ? `${num(v / 1e3)}k` : num(v));
  const frontPoints = points.filter((p) => front.has(p.key)).sort((a, b) => a.cost - b.cost);
  const body = [
    frontPoints.length > 1 ? `<polyline fill="none" stroke="#3b6fd8" stroke-opacity="0.5" stroke-width="1.5" points="${frontPoints.map((p) => `${num(x(p.cost))},${num(y(p.accuracy))}`).join(' ')}"/>` : '',
    ...points.map((p) => {
      const on = front.has(p.key);
      const bar = p.ci !== null ? `<line x1="${num(x(p.cost))}" x2="${num(x(p.cost))}" y1="${num(y(p.accuracy - p.ci))}" y2="${num(y(p.accuracy + p.ci))}" stroke="#6b7a8f"/>` : '';
      return `${bar}<circle cx="${num(x(p.cost))}" cy="${num(y(p.accuracy))}" r="4" fill="${on ? '#3b6fd8' : '#fff'}" stroke="#3b6fd8" stroke-width="1.5"/><text x="${num(x(p.cost) + 7)}" y="${num(y(p.accuracy) + 4)}">${esc(p.label)}</text>`;
    }),
  ].join('');
  return frame(
    `Accuracy on ${split} against cost per seed (${measure}; shared prefixes charged to each strategy). Filled: on the Pareto front; bars: 95% CI over seeds.`,
    `${measure} per seed (attributed)`,
    `accuracy on ${split}`,
    x,
    y,
    ticks(0, maxCost),
    yTicks,
    format,
    body,
  );
}
