// Accuracy after each step, one line per strategy (mean over seeds; optional thin per-seed
// lines), one chart per split side by side.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunCurves } from '../../api/types.ts';
import { EmptyState } from '../../components/states.tsx';
import { curveTable } from './curves-data.ts';
import { pp, stepLabel } from './fmt.ts';
import { SeriesKey, seriesStyle } from './series-style.tsx';

const SPLIT_TITLE: Record<string, string> = { dev: 'Validation (dev)', test: 'Test' };

function SplitChart({ curves, split, perSeed }: { curves: RunCurves; split: string; perSeed: boolean }) {
  const table = useMemo(() => curveTable(curves.points, split), [curves, split]);
  const names = useMemo(() => new Map(table.series.flatMap((s) => [[s.key, s.strategy] as const, ...s.seedKeys.map((k) => [k.key, `${s.strategy} (seed ${k.seed})`] as const)])), [table]);
  const hasData = table.rows.some((r) => Object.entries(r).some(([k, v]) => k !== 'step' && v !== null && v !== undefined));
  return (
    <div className="panel curve-panel" data-testid={`curve-${split}`}>
      <h3>{SPLIT_TITLE[split] ?? split}</h3>
      {!hasData ? (
        <EmptyState title="No scores yet">Points appear as stages finish.</EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={table.rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={[0, table.maxStep]} ticks={table.rows.map((r) => r.step as number)} tickFormatter={stepLabel} />
            <YAxis width={48} unit="%" domain={table.yDomain} ticks={table.yTicks} />
            <Tooltip
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
              labelStyle={{ color: 'var(--text)' }}
              labelFormatter={(step) => stepLabel(Number(step))}
              formatter={(value, key) => [pp(typeof value === 'number' ? value : null), names.get(String(key)) ?? String(key)]}
            />
            <Legend
              content={() => (
                <div className="curve-legend" data-testid={`curve-legend-${split}`}>
                  {table.series.map((s, i) => (
                    <span key={s.key} className="curve-legend-item">
                      <SeriesKey style={seriesStyle(i, table.series.length)} />
                      <span className="mono">{s.strategy}</span>
                    </span>
                  ))}
                </div>
              )}
            />
            {table.series.map((s, i) => {
              const st = seriesStyle(i, table.series.length);
              const color = st.color;
              return [
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.key}
                  stroke={color}
                  strokeWidth={st.width}
                  strokeDasharray={st.dash || undefined}
                  dot={{ symbol: st.shape, r: st.r, fill: color, stroke: 'var(--panel)', strokeWidth: 1, strokeDasharray: '' }}
                  activeDot={{ symbol: st.shape, r: st.r + 1.5 }}
                  connectNulls={false}
                  isAnimationActive={false}
                />,
                ...(perSeed
                  ? s.seedKeys.map((k) => (
                      <Line key={k.key} dataKey={k.key} name={k.key} stroke={color} strokeWidth={1} strokeOpacity={0.45} strokeDasharray="4 3" dot={false} legendType="none" isAnimationActive={false} />
                    ))
                  : []),
              ];
            })}
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

export function AccuracyCurves({ curves, perSeed }: { curves: RunCurves; perSeed: boolean }) {
  if (curves.points.length === 0) return <EmptyState title="No curves">This run has no strategies with steps.</EmptyState>;
  return (
    <div className="grid-2" data-testid="accuracy-curves">
      {curves.splits.map((split) => (
        <SplitChart key={split} curves={curves} split={split} perSeed={perSeed} />
      ))}
    </div>
  );
}
