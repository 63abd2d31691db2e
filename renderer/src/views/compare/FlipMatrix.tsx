// Per strategy, the 2×2 flip matrix against the baseline on one split (summed over seeds) and
// its per-seed breakdown. Clicking a flip cell filters the list of flipped examples below to it.
import type { StrategyFlips } from '../../api/types.ts';
import { strategyLabel } from './compare-params.ts';

interface Props {
  runId: number;
  baseline: string;
  flips: StrategyFlips;
  showRun: boolean;
  onPick(strategy: string, kind: 'regressions' | 'improvements'): void;
}

const net = (c: { wrongToRight: number; rightToWrong: number }) => c.wrongToRight - c.rightToWrong;
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
const share = (k: number, n: number) => (n > 0 ? `${((100 * k) / n).toFixed(1)}%` : '—');

export function FlipMatrix({ runId, baseline, flips, showRun, onPick }: Props) {
  const c = flips.counts;
  const dashSeeds = flips.seeds.filter((s) => s.noPassingTraces).map((s) => s.seed);
  return (
    <div className="panel cmp-matrix" data-testid="compare-flip-matrix" data-strategy={flips.strategy}>
      <h3>
        <span className="mono">{flips.label}</span> <span className="subtle">vs</span> <span className="mono">{strategyLabel(baseline)}</span>
        {showRun ? <span className="subtle"> · run #{runId}</span> : null}
      </h3>
      {c.n === 0 ? (
        <p className="subtle">No seed has final evaluations of both on this split{flips.missingSeeds.length ? ` (missing seeds: ${flips.missingSeeds.join(', ')})` : ''}.</p>
      ) : (
        <>
          <table className="cmp-2x2" aria-label={`flip matrix of ${flips.label}`}>
            <thead>
              <tr>
                <th />
                <th>strategy ✓</th>
                <th>strategy ✗</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>baseline ✓</th>
                <td title="both right">{c.bothRight}</td>
                <td className="cmp-flip-bad">
                  <button type="button" className="link" onClick={() => onPick(flips.strategy, 'regressions')} disabled={c.rightToWrong === 0} data-testid="compare-matrix-regressions" title="right → wrong: list these regressions">
                    {c.rightToWrong}
                  </button>
                </td>
              </tr>
              <tr>
                <th>baseline ✗</th>
                <td className="cmp-flip-good">
                  <button type="button" className="link" onClick={() => onPick(flips.strategy, 'improvements')} disabled={c.wrongToRight === 0} data-testid="compare-matrix-improvements" title="wrong → right: list these improvements">
                    {c.wrongToRight}
                  </button>
                </td>
                <td title="both wrong">{c.bothWrong}</td>
              </tr>
            </tbody>
          </table>
          <p className="cmp-matrix-summary">
            net <strong className={net(c) > 0 ? 'cmp-up' : net(c) < 0 ? 'cmp-down' : undefined}>{signed(net(c))}</strong> of {c.n} example·seeds · R→W {share(c.rightToWrong, c.n)} · W→R{' '}
            {share(c.wrongToRight, c.n)}
          </p>
          {flips.seeds.length > 1 ? (
            <table className="data cmp-seed-table">
              <thead>
                <tr>
                  <th>seed</th>
                  <th className="num">n</th>
                  <th className="num">✓✓</th>
                  <th className="num">R→W</th>
                  <th className="num">W→R</th>
                  <th className="num">✗✗</th>
                  <th className="num">net</th>
                </tr>
              </thead>
              <tbody>
                {flips.seeds.map((s) => (
                  <tr key={s.seed}>
                    <td className="mono">
                      {s.seed}
                      {s.noPassingTraces ? <span title="a weight step of this chain had no passing traces"> —</span> : null}
                    </td>
                    <td className="num">{s.n}</td>
                    <td className="num">{s.bothRight}</td>
                    <td className="num cmp-down">{s.rightToWrong}</td>
                    <td className="num cmp-up">{s.wrongToRight}</td>
                    <td className="num">{s.bothWrong}</td>
                    <td className="num">{signed(net(s))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
      {flips.missingSeeds.length && c.n > 0 ? <p className="subtle">Seeds without both final evaluations: {flips.missingSeeds.join(', ')}</p> : null}
      {dashSeeds.length ? <p className="subtle">— seeds {dashSeeds.join(', ')}: a weight step had no passing traces.</p> : null}
    </div>
  );
}
