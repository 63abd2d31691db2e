// Several runs of one task selected: is each later run's strategy really different from the first
// run's? Per pair (the first selected run against each other one) and strategy both ran: the two
// accuracies, the difference with its paired bootstrap 95% CI (same seeds, same examples), the
// exact McNemar p and Holm's p over the strategies of the pair. The API pairs (compareRuns).
import { formatP, signedPoints } from '../../../../core/contract/significance-format.ts';
import { getClient } from '../../api/client.ts';
import type { RunsComparison } from '../../api/types.ts';
import { ApiCallError } from '../../api/transport.ts';
import { useApi } from '../../app/use-api.ts';
import { ErrorState } from '../../components/states.tsx';

interface Props {
  runIds: number[];
  split: 'dev' | 'test';
  /** Strategies to show (the Compare view's selection); the baseline is shown too. */
  show(strategy: string): boolean;
}


export function RunsSignificance({ runIds, split, show }: Props) {
  const [first, ...others] = runIds;
  const pairs = useApi(
    () =>
      Promise.all(
        others.map(async (other): Promise<{ other: number; result: RunsComparison | null; error: ApiCallError | null }> => {
          try {
            return { other, result: await getClient().compareRuns({ runId: first!, otherRunId: other, split }), error: null };
          } catch (error) {
            return { other, result: null, error: error instanceof ApiCallError ? error : new ApiCallError({ message: String(error) }) };
          }
        }),
      ),
    [runIds.join(','), split],
  );
  if (first === undefined || others.length === 0 || !pairs.data) return null;
  return (
    <section className="panel" data-testid="compare-runs-significance">
      <h2>
        Across runs <span className="subtle">each run against #{first}, strategy by strategy, on {split}</span>
      </h2>
      {pairs.data.map(({ other, result, error }) =>
        error ? (
          <div key={other} data-testid="compare-runs-error">
            <ErrorState error={`#${other} against #${first}: ${error.message}`} />
          </div>
        ) : result ? (
          <div key={other}>
            <table className="data cmp-significance">
              <thead>
                <tr>
                  <th>strategy</th>
                  <th className="num">#{first}</th>
                  <th className="num">#{other}</th>
                  <th className="num">difference</th>
                  <th className="num">95% CI</th>
                  <th className="num">p</th>
                  <th className="num">Holm p</th>
                </tr>
              </thead>
              <tbody>
                {result.strategies
                  .filter((r) => r.strategy === '' || show(r.strategy))
                  .map((r) => {
                    const s = r.significance;
                    return (
                      <tr key={r.strategy} data-testid="compare-runs-row">
                        <td className="mono">{r.label}</td>
                        <td className="num">{r.accuracy?.toFixed(1) ?? 'n/a'}</td>
                        <td className="num">{r.otherAccuracy?.toFixed(1) ?? 'n/a'}</td>
                        {s ? (
                          <>
                            <td className={`num ${s.pHolm < 0.05 ? (s.difference > 0 ? 'cmp-up' : 'cmp-down') : ''}`}>{signedPoints(s.difference)}</td>
                            <td className="num">
                              {signedPoints(s.low)} to {signedPoints(s.high)}
                            </td>
                            <td className="num">{formatP(s.p)}</td>
                            <td className="num">
                              <strong>{formatP(s.pHolm)}</strong>
                            </td>
                          </>
                        ) : (
                          <td colSpan={4} className="subtle">
                            no seed has final evaluations in both runs
                          </td>
                        )}
                      </tr>
                    );
                  })}
              </tbody>
            </table>
            {result.notes.length ? (
              <ul className="cmp-significance-lines subtle">
                {result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null,
      )}
      <p className="subtle">Paired over the seeds both runs ran and the examples both evaluated: difference = the other run minus #{first}, in points; p: exact McNemar on the examples that flip; Holm over each pair's strategies.</p>
    </section>
  );
}
