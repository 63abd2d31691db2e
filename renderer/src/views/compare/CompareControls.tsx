// What to compare: runs (checkboxes over api.listRuns), the strategies of those runs (chips), the
// baseline strategy and the split of the flip analysis. Every choice is written to the URL.
import type { RunSummary } from '../../api/types.ts';
import { replaceParams } from '../../app/router.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { when } from '../../components/format.ts';
import { strategyLabel, strategyToParam } from './compare-params.ts';

interface Props {
  runs: RunSummary[];
  runIds: number[];
  available: string[];
  selected: (strategy: string) => boolean;
  explicit: string[] | null;
  baseline: string;
  split: 'dev' | 'test';
}

export function CompareControls({ runs, runIds, available, selected, explicit, baseline, split }: Props) {
  const toggleRun = (id: number) => {
    const next = runIds.includes(id) ? runIds.filter((r) => r !== id) : [...runIds, id].sort((a, b) => a - b);
    replaceParams({ runs: next.join(','), flip: null });
  };
  const toggleStrategy = (s: string) => {
    const current = explicit ?? available.filter((a) => a !== baseline);
    const next = current.includes(s) ? current.filter((c) => c !== s) : [...current, s];
    const all = available.filter((a) => a !== baseline).every((a) => next.includes(a));
    replaceParams({ strategies: all ? null : next.map(strategyToParam).join(','), flip: null });
  };
  return (
    <div className="grid-2 cmp-controls">
      <section className="panel" data-testid="compare-runs">
        <h3>Runs</h3>
        {runs.length === 0 ? <p className="subtle">No runs yet.</p> : null}
        <div className="cmp-run-list">
          <table className="data">
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className={runIds.includes(r.id) ? 'clickable selected' : 'clickable'} onClick={() => toggleRun(r.id)} data-testid="compare-run-row" data-run-id={r.id}>
                  <td>
                    <input
                      type="checkbox"
                      checked={runIds.includes(r.id)}
                      onChange={() => toggleRun(r.id)}
                      onClick={(e) => e.stopPropagation()}
                      aria-label={`compare run ${r.id}`}
                      data-testid="compare-run-checkbox"
                    />
                  </td>
                  <td className="mono">#{r.id}</td>
                  <td>{r.task}</td>
                  <td className="mono cmp-run-strategies" title={r.strategy}>
                    {r.strategy}
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="subtle">{when(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel">
        <h3>Strategies</h3>
        <div className="row cmp-chips" data-testid="compare-strategies">
          {available.length === 0 ? <span className="subtle">Select a run.</span> : null}
          {available
            .filter((s) => s !== baseline)
            .map((s) => (
              <button
                key={s}
                type="button"
                className={selected(s) ? 'cmp-chip on' : 'cmp-chip'}
                aria-pressed={selected(s)}
                onClick={() => toggleStrategy(s)}
                data-testid="compare-strategy-chip"
                data-strategy={s}
              >
                {strategyLabel(s)}
              </button>
            ))}
        </div>
        <div className="row cmp-control-row">
          <label className="row">
            baseline
            <select value={strategyToParam(baseline)} onChange={(e) => replaceParams({ baseline: e.target.value === 'zero-shot' ? null : e.target.value, flip: null, of: null })} data-testid="compare-baseline">
              {available.map((s) => (
                <option key={s} value={strategyToParam(s)}>
                  {strategyLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <span className="row" role="group" aria-label="split of the flip analysis">
            flips on
            {(['dev', 'test'] as const).map((s) => (
              <button key={s} type="button" className={split === s ? 'cmp-chip on' : 'cmp-chip'} aria-pressed={split === s} onClick={() => replaceParams({ split: s === 'test' ? null : s, flip: null })} data-testid={`compare-split-${s}`}>
                {s}
              </button>
            ))}
          </span>
        </div>
        <p className="subtle cmp-help">
          The baseline is compared with each selected strategy of the same run and seed: an example is a regression (R→W) when the baseline got it right and the strategy wrong.
        </p>
      </section>
    </div>
  );
}
