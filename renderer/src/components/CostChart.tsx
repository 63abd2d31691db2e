// Accuracy against cost, one point per strategy (zero-shot included): x the attributed cost per
// seed in the chosen measure (tokens, LM calls, seconds, or dollars once prices are set), y the
// mean accuracy on a split with its 95% CI over seeds as a vertical bar, the Pareto front drawn
// as a line through its points (filled; dominated points hollow), each point labelled. Beside it
// the model's prices, kept in this browser only.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { COST_MEASURES, pricesProblem, type CostMeasure, type Prices } from '../../../core/contract/cost.ts';
import type { RunResults } from '../api/types.ts';
import { accuracyDomain, accuracyTicks, costAxis, costChartData, formatCost, MEASURE_LABEL, placeLabels, scoredSplits, type CostPoint } from './cost-chart-data.ts';
import { usePrices, usePricesStore } from './prices.ts';
import { EmptyState } from './states.tsx';

const AXIS_TICK = { fill: 'var(--muted)', fontSize: 11 };
const POINT_R = 6;

function pointColor(p: CostPoint): string {
  return p.strategy === '' ? 'var(--muted)' : 'var(--accent)';
}

function PointTip({ active, payload, measure }: { active?: boolean; payload?: ReadonlyArray<{ payload?: CostPoint }>; measure: CostMeasure }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="cost-tip">
      <b className="mono">{p.label}</b>
      <div>
        {p.accuracy.toFixed(1)}%{p.ci95 !== null ? ` ± ${p.ci95.toFixed(1)}` : ''} · {p.seeds} seed{p.seeds === 1 ? '' : 's'}
      </div>
      <div>
        {formatCost(p.cost, measure)} {measure === 'dollars' ? '' : MEASURE_LABEL[measure]} per seed
      </div>
      <div className="subtle">{p.onFront ? 'on the Pareto front' : 'dominated: another strategy is as cheap and as accurate'}</div>
    </div>
  );
}

/** The front's line and the error bars, under the points. */
function FrontAndBars({ points, front }: { points: CostPoint[]; front: CostPoint[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const px = (v: number) => Number(x(v));
  const py = (v: number) => Number(y(v));
  const d = front.map((p, i) => `${i ? 'L' : 'M'}${px(p.cost).toFixed(1)},${py(p.accuracy).toFixed(1)}`).join(' ');
  return (
    <g className="cost-chart-under">
      {front.length ? <path d={d} className="cost-front-line" data-testid="cost-chart-pareto" data-points={front.length} fill="none" /> : null}
      {points
        .filter((p) => p.ci95 !== null)
        .map((p) => {
          const cx = px(p.cost);
          const lo = py(Math.max(0, p.accuracy - p.ci95!));
          const hi = py(Math.min(100, p.accuracy + p.ci95!));
          return (
            <g key={p.key} className="cost-error-bar" data-testid="cost-chart-error-bar" stroke={pointColor(p)}>
              <line x1={cx} x2={cx} y1={lo} y2={hi} />
              <line x1={cx - 4} x2={cx + 4} y1={lo} y2={lo} />
              <line x1={cx - 4} x2={cx + 4} y1={hi} y2={hi} />
            </g>
          );
        })}
    </g>
  );
}

/** Each point's label, placed so that labels overlap neither each other nor a point. */
function PointLabels({ points }: { points: CostPoint[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  const at = new Map(points.map((p) => [p.key, p]));
  const boxes = placeLabels(
    points.map((p) => ({
      key: p.key,
      label: p.label,
      px: Number(x(p.cost)),
      py: Number(y(p.accuracy)),
      bar: p.ci95 === null ? null : ([Number(y(Math.max(0, p.accuracy - p.ci95))), Number(y(Math.min(100, p.accuracy + p.ci95)))] as [number, number]),
    })),
    area,
    6.6,
    14,
    POINT_R + 1,
  );
  return (
    <g className="cost-chart-labels" pointerEvents="none">
      {boxes.map((b) => {
        const p = at.get(b.key)!;
        return (
          <g key={b.key}>
            {b.leader ? <line x1={Number(x(p.cost))} y1={Number(y(p.accuracy))} x2={b.leader.x} y2={b.leader.y} className="cost-label-leader" /> : null}
            <text x={b.x} y={b.y} textAnchor={b.anchor} dominantBaseline="central" className="cost-label" data-testid="cost-chart-label">
              {p.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function PricesForm({ model, prices }: { model: string; prices: Prices | null }) {
  const setPrices = usePricesStore((s) => s.set);
  const fromPrices = (p: Prices | null) => ({ inputPerMillion: p ? String(p.inputPerMillion) : '', outputPerMillion: p ? String(p.outputPerMillion) : '', finetunePerHour: p ? String(p.finetunePerHour) : '' });
  const [draft, setDraft] = useState(() => fromPrices(prices));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(fromPrices(prices)), [prices]);
  const fields: Array<[keyof Prices, string]> = [
    ['inputPerMillion', '$ / 1M prompt tokens'],
    ['outputPerMillion', '$ / 1M completion tokens'],
    ['finetunePerHour', '$ / fine-tune hour'],
  ];
  const save = (e: FormEvent) => {
    e.preventDefault();
    const parsed = Object.fromEntries(fields.map(([k]) => [k, draft[k].trim() === '' ? 0 : Number(draft[k].trim())])) as unknown as Prices;
    const problem = pricesProblem(parsed);
    if (problem) {
      const [key, label] = fields.find(([k]) => problem.startsWith(k))!;
      setError(`${label}: must be a number ≥ 0, got “${draft[key]}”`);
      return;
    }
    setError(null);
    setPrices(model, parsed);
  };
  return (
    <form className="cost-prices" data-testid="cost-prices" onSubmit={save} noValidate>
      <div className="cost-prices-title">
        Prices for <span className="mono">{model}</span>
      </div>
      {fields.map(([key, label]) => (
        <label key={key} className="cost-price-field">
          <span>{label}</span>
          <input
            type="text"
            inputMode="decimal"
            value={draft[key]}
            placeholder="0"
            aria-invalid={error?.startsWith(label) ? true : undefined}
            onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
            data-testid={`cost-price-${key}`}
          />
        </label>
      ))}
      {error ? (
        <div className="cost-prices-error" role="alert" data-testid="cost-prices-error">
          {error}
        </div>
      ) : null}
      <div className="row cost-prices-actions">
        <button type="submit" data-testid="cost-prices-save">
          {prices ? 'Update' : 'Set prices'}
        </button>
        {prices ? (
          <button type="button" className="ghost" onClick={() => setPrices(model, null)} data-testid="cost-prices-clear">
            Clear
          </button>
        ) : null}
      </div>
      <div className="subtle cost-prices-note">Kept in this browser per model; empty means 0.</div>
    </form>
  );
}

export interface CostChartProps {
  results: RunResults;
  /** The run's model: prices are kept per model. */
  model: string;
  /** Which strategies to draw ('' is zero-shot); all when absent. */
  include?: (strategy: string) => boolean;
  /** The split shown first; test (or the first scored split) when absent or unscored. */
  initialSplit?: string;
  title?: string;
  /** The title's heading level. */
  level?: 2 | 3;
}

export function CostChart({ results, model, include, initialSplit, title = 'Accuracy against cost', level = 3 }: CostChartProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const prices = usePrices(model);
  const splits = useMemo(() => scoredSplits(results), [results]);
  const [splitChoice, setSplitChoice] = useState<string | null>(initialSplit ?? null);
  const split = splitChoice && splits.includes(splitChoice) ? splitChoice : splits[0];
  const measures = COST_MEASURES.filter((m) => m !== 'dollars' || prices);
  const [measureChoice, setMeasureChoice] = useState<CostMeasure | null>(null);
  // Prices just set (or cleared): dollars become (or stop being) the default.
  const priced = prices !== null;
  useEffect(() => setMeasureChoice(null), [priced]);
  const measure: CostMeasure = measureChoice && measures.includes(measureChoice) ? measureChoice : priced ? 'dollars' : 'tokens';
  const data = useMemo(() => (split ? costChartData(results, split, measure, prices, include) : null), [results, split, measure, prices, include]);
  const xAxis = costAxis(data?.points ?? []);
  const yDomain = data ? accuracyDomain(data.points) : ([0, 100] as [number, number]);

  return (
    <div className="cost-chart" data-testid="cost-chart" data-measure={measure} data-split={split ?? ''}>
      <div className="row cost-chart-head">
        <Heading>{title}</Heading>
        <span className="spacer" />
        {splits.length > 1 ? (
          <label className="row subtle">
            split
            <select value={split} onChange={(e) => setSplitChoice(e.target.value)} data-testid="cost-chart-split">
              {splits.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="row subtle">
          cost in
          <select value={measure} onChange={(e) => setMeasureChoice(e.target.value as CostMeasure)} data-testid="cost-chart-measure">
            {measures.map((m) => (
              <option key={m} value={m}>
                {MEASURE_LABEL[m]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="cost-chart-body">
        <div className="cost-chart-plot">
          {!data || data.points.length === 0 ? (
            <EmptyState title="No finished strategy yet">Points appear as strategies finish on every seed they run.</EmptyState>
          ) : (
            <ResponsiveContainer width="100%" height={300}>
              <ScatterChart margin={{ top: 12, right: 20, bottom: 26, left: 8 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  dataKey="cost"
                  domain={xAxis.domain}
                  ticks={xAxis.ticks}
                  tickFormatter={(v: number) => formatCost(v, measure)}
                  tick={AXIS_TICK}
                  stroke="var(--border)"
                  label={{ value: `${MEASURE_LABEL[measure]} per seed (attributed)`, position: 'insideBottom', offset: -16, fill: 'var(--muted)', fontSize: 11 }}
                />
                <YAxis
                  type="number"
                  dataKey="accuracy"
                  domain={yDomain}
                  ticks={accuracyTicks(yDomain)}
                  unit="%"
                  width={52}
                  tick={AXIS_TICK}
                  stroke="var(--border)"
                  label={{ value: `accuracy on ${split}`, angle: -90, position: 'insideLeft', offset: 4, dy: 40, fill: 'var(--muted)', fontSize: 11 }}
                />
                <Tooltip cursor={{ stroke: 'var(--border)', strokeDasharray: '3 3' }} content={<PointTip measure={measure} />} isAnimationActive={false} />
                <FrontAndBars points={data.points} front={data.front} />
                <Scatter
                  data={data.points}
                  isAnimationActive={false}
                  shape={(props: unknown) => {
                    const { cx, cy, payload } = props as { cx?: number; cy?: number; payload?: CostPoint };
                    if (cx === undefined || cy === undefined || !payload) return <g />;
                    const color = pointColor(payload);
                    return (
                      <g className="cost-point" data-testid="cost-chart-point" data-strategy={payload.strategy} data-front={payload.onFront ? 'true' : 'false'}>
                        <circle cx={cx} cy={cy} r={POINT_R} fill={payload.onFront ? color : 'var(--panel)'} stroke={payload.onFront ? 'var(--panel)' : color} strokeWidth={payload.onFront ? 1.5 : 2} />
                      </g>
                    );
                  }}
                />
                <PointLabels points={data.points} />
              </ScatterChart>
            </ResponsiveContainer>
          )}
        </div>
        <PricesForm model={model} prices={prices} />
      </div>
      <p className="subtle cost-chart-note" data-testid="cost-chart-note">
        <svg width={12} height={12} viewBox="0 0 12 12" aria-hidden="true" className="cost-key">
          <circle cx={6} cy={6} r={4.5} fill="var(--accent)" />
        </svg>{' '}
        on the Pareto front (line: nothing is both cheaper and more accurate){' '}
        <svg width={12} height={12} viewBox="0 0 12 12" aria-hidden="true" className="cost-key">
          <circle cx={6} cy={6} r={4} fill="var(--panel)" stroke="var(--accent)" strokeWidth={1.5} />
        </svg>{' '}
        dominated · bars: 95% CI over seeds · cost: attributed per seed — shared prefixes charged to each strategy
        {measure === 'dollars' ? ' · dollars at the prices beside the chart' : ''}.
        {data && data.omitted.length ? (
          <span className="cost-chart-omitted" data-testid="cost-chart-omitted">
            {' '}
            Left out:{' '}
            {data.omitted.map((o, i) => (
              <span key={o.label} className="cost-omitted-item">
                <span className="mono">{o.label}</span> ({o.reason}){i < data.omitted.length - 1 ? ', ' : '.'}
              </span>
            ))}
          </span>
        ) : null}
      </p>
    </div>
  );
}
