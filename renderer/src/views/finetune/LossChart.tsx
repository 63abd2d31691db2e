// Training loss per optimizer step (recorded with the job, or streamed while it trains).
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../components/states.tsx';

export function LossChart({ losses, validLoss }: { losses: Array<{ step: number; loss: number }>; validLoss?: number | null }) {
  const points = losses.filter((p) => Number.isFinite(p.loss));
  if (points.length === 0) return <EmptyState title="No loss recorded">The trainer reported no loss values for this job.</EmptyState>;
  const last = points[points.length - 1]!;
  const first = points[0]!;
  return (
    <div data-testid="loss-chart">
      <div className="subtle loss-summary">
        {points.length} steps · loss {first.loss.toFixed(4)} → {last.loss.toFixed(4)}
        {validLoss != null ? ` · validation loss ${validLoss.toFixed(4)}` : ''}
      </div>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} label={{ value: 'step', position: 'insideBottomRight', offset: -2, fontSize: 11 }} />
          <YAxis width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
            labelStyle={{ color: 'var(--text)' }}
            labelFormatter={(s) => `step ${String(s)}`}
            formatter={(v) => [typeof v === 'number' ? v.toFixed(4) : String(v), 'loss']}
          />
          {validLoss != null ? <ReferenceLine y={validLoss} stroke="#e15759" strokeDasharray="4 3" label={{ value: 'valid', fontSize: 11, fill: '#e15759', position: 'right' }} /> : null}
          <Line dataKey="loss" stroke="#4e79a7" strokeWidth={2} dot={points.length <= 40 ? { r: 2 } : false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
