// Is each difference from the baseline real? Per strategy: the accuracy difference in points with
// its paired bootstrap 95% CI (seeds and examples resampled), the exact McNemar p-value on the
// flips pooled over seeds, the Holm-adjusted p over the strategies compared, and one plain line.
// The numbers come from the API (core/report/significance.ts); this only lays them out.
import { formatP, signedPoints } from '../../../../core/contract/significance-format.ts';
import type { StrategyFlips } from '../../api/types.ts';
import { strategyLabel } from './compare-params.ts';

interface Props {
  runs: Array<{ runId: number; flips: StrategyFlips[] }>;
  baseline: string;
  showRun: boolean;
}


export function SignificanceTable({ runs, baseline, showRun }: Props) {
  const rows = runs.flatMap((r) => r.flips.map((f) => ({ runId: r.runId, flips: f })));
  if (rows.length === 0) return null;
  const tested = rows.filter((r) => r.flips.significance !== null);
  return (
    <section className="panel" data-testid="compare-significance">
      <h2>
        Is the difference real? <span className="subtle">vs {strategyLabel(baseline)}</span>
      </h2>
      <table className="data cmp-significance">
        <thead>
          <tr>
            {showRun ? <th>run</th> : null}
            <th>strategy</th>
            <th className="num" title="strategy minus baseline accuracy, mean over seeds">difference (points)</th>
            <th className="num" title="paired bootstrap over seeds and examples">95% CI</th>
            <th className="num" title="exact McNemar test on the flips, pooled over seeds">p</th>
            <th className="num" title="Holm-adjusted over the strategies compared with this baseline">Holm p</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ runId, flips }) => {
            const s = flips.significance;
            const significant = s !== null && s.pHolm < 0.05;
            return (
              <tr key={`${runId}|${flips.strategy}`} data-testid="compare-significance-row" data-strategy={flips.strategy}>
                {showRun ? <td className="mono">#{runId}</td> : null}
                <td className="mono">{flips.label}</td>
                {s === null ? (
                  <td colSpan={4} className="subtle">
                    no seed has both final evaluations
                  </td>
                ) : (
                  <>
                    <td className={`num ${significant ? (s.difference > 0 ? 'cmp-up' : 'cmp-down') : ''}`}>{signedPoints(s.difference)}</td>
                    <td className="num">
                      {signedPoints(s.low)} to {signedPoints(s.high)}
                    </td>
                    <td className="num">{formatP(s.p)}</td>
                    <td className="num">
                      <strong>{formatP(s.pHolm)}</strong>
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="cmp-significance-lines">
        {tested.map(({ runId, flips }) => (
          <li key={`${runId}|${flips.strategy}`} data-testid="compare-significance-line">
            {showRun ? <span className="subtle">run #{runId}: </span> : null}
            {flips.significance!.sentence}
          </li>
        ))}
      </ul>
      <p className="subtle">
        95% CI: paired bootstrap of the difference ({tested[0]?.flips.significance?.iterations ?? 0} resamples, seeded), drawing seeds and, within each, examples. p: exact McNemar on the examples that flip, pooled over seeds; Holm adjusts for the {tested.length > 1 ? `${tested.length} strategies` : 'strategies'} compared with the same baseline.
      </p>
    </section>
  );
}
