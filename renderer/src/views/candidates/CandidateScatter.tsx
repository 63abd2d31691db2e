// Validation score against number of demos, one point per candidate: the winner a larger green
// star-ringed point, the selected one ringed; clicking a point selects it.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CandidateView } from '../../api/types.ts';
import { pct } from '../../components/format.ts';
import { kindLabel } from './candidate-model.ts';

interface Point {
  x: number;
  y: number;
  c: CandidateView;
}

function PointTip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: Point }> }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="cand-tip">
      <b>candidate #{p.c.idx}</b>
      {p.c.isBest ? ' ★ winner' : ''}
      <div>
        {kindLabel(p.c.kind)} · seed {p.c.seed}
      </div>
      <div>
        {p.c.numDemos} demos · {pct(p.c.score)}
      </div>
    </div>
  );
}

/**
 * Points at their (demos, score), candidates with the same pair spread sideways a little so each
 * stays visible and clickable; drawn winner and then the selection last, on top.
 */
function spread(list: CandidateView[], selectedId: number | null): Point[] {
  const groups = new Map<string, CandidateView[]>();
  for (const c of list) {
    const key = `${c.numDemos}|${c.score}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const points: Point[] = [];
  for (const group of groups.values()) {
    const step = Math.min(0.13, 0.8 / group.length);
    group.forEach((c, k) => points.push({ x: c.numDemos + (k - (group.length - 1) / 2) * step, y: (c.score ?? 0) * 100, c }));
  }
  const rank = (p: Point) => (p.c.id === selectedId ? 2 : p.c.isBest ? 1 : 0);
  return points.sort((a, b) => rank(a) - rank(b));
}

export function CandidateScatter({ candidates, selectedId, onSelect }: { candidates: CandidateView[]; selectedId: number | null; onSelect(c: CandidateView): void }) {
  const points = spread(candidates.filter((c) => c.score !== null), selectedId);
  const maxDemos = Math.max(1, ...candidates.map((c) => c.numDemos));
  const ticks = Array.from({ length: maxDemos + 1 }, (_, i) => i).filter((i) => maxDemos <= 12 || i % Math.ceil(maxDemos / 12) === 0);
  const shape = (props: unknown) => {
    const { cx, cy, payload } = props as { cx?: number; cy?: number; payload?: Point };
    if (cx === undefined || cy === undefined || !payload) return <g />;
    const win = payload.c.isBest;
    const sel = payload.c.id === selectedId;
    return (
      <g className="cand-point" onClick={() => onSelect(payload.c)} data-testid={win ? 'candidate-point-winner' : 'candidate-point'}>
        {sel ? <circle cx={cx} cy={cy} r={win ? 12 : 10} fill="none" stroke="var(--text)" strokeWidth={1.5} /> : null}
        <circle cx={cx} cy={cy} r={win ? 8 : 5.5} fill={win ? 'var(--good)' : 'var(--accent)'} fillOpacity={win ? 1 : 0.75} stroke="var(--panel)" strokeWidth={1} />
      </g>
    );
  };
  return (
    <div className="cand-chart" data-testid="candidate-scatter">
      <ResponsiveContainer width="100%" height={240}>
        <ScatterChart margin={{ top: 10, right: 16, bottom: 18, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            name="demos"
            domain={[-0.5, maxDemos + 0.5]}
            ticks={ticks}
            allowDecimals={false}
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            stroke="var(--border)"
            label={{ value: 'number of demos', position: 'insideBottom', offset: -10, fill: 'var(--muted)', fontSize: 11 }}
          />
          <YAxis
            type="number"
            dataKey="y"
            name="score"
            unit="%"
            domain={[0, 100]}
            tick={{ fill: 'var(--muted)', fontSize: 11 }}
            stroke="var(--border)"
            width={48}
          />
          <Tooltip content={<PointTip />} cursor={{ stroke: 'var(--border)' }} isAnimationActive={false} />
          <Scatter data={points} shape={shape} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
