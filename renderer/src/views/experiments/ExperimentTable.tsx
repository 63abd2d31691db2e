// The experiments: task, strategies, seeds, LM, latest run and best score. A row opens its latest
// run; Delete asks for a confirmation in place (it removes every run, trace and adapter record).
import { useState } from 'react';
import type { ExperimentSummary } from '../../api/types.ts';
import { hrefFor, useRouter } from '../../app/router.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { when } from '../../components/format.ts';
import { meanCi } from '../run/fmt.ts';

export interface RowActions {
  busyId: number | null;
  start(id: number): void;
  remove(id: number): void;
}

function seedsLabel(seeds: number[]): string {
  if (seeds.length === 0) return '—';
  if (seeds.length === 1) return `1 (${seeds[0]})`;
  return `${seeds.length} (${seeds[0]}–${seeds[seeds.length - 1]})`;
}

export function ExperimentTable({ experiments, actions }: { experiments: ExperimentSummary[]; actions: RowActions }) {
  const navigate = useRouter((s) => s.navigate);
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <table className="data exp-table" data-testid="experiments-table">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Experiment</th>
          <th>Task</th>
          <th>Strategies</th>
          <th className="num">Seeds</th>
          <th>LM</th>
          <th>Latest run</th>
          <th className="num" title="best strategy of the latest finished run (test if evaluated, else dev)">Best</th>
          <th>Created</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {experiments.map((x) => {
          const run = x.latestRun;
          const href = run ? hrefFor('run', { runId: run.id }) : null;
          const active = !!run && (run.active || run.status === 'running' || run.status === 'pending');
          return (
            <tr key={x.id} className={href ? 'clickable' : ''} onClick={href ? () => navigate(href) : undefined} data-testid={`experiment-row-${x.id}`}>
              <td className="num">{x.id}</td>
              <td>{href ? <a href={href} onClick={(e) => e.stopPropagation()}>{x.name}</a> : x.name}</td>
              <td>{x.task}</td>
              <td>
                {x.strategies.map((s) => (
                  <code key={s} className="chip">
                    {s}
                  </code>
                ))}
              </td>
              <td className="num">{seedsLabel(x.seeds)}</td>
              <td className="mono exp-lm" title={x.lm?.baseUrl ?? undefined}>
                {x.lm ? `${x.lm.provider}:${x.lm.model}` : '—'}
              </td>
              <td>
                {run ? (
                  <span className="row" title={run.error ?? undefined}>
                    <StatusBadge status={run.status} /> <span className="subtle">#{run.id}{x.runCount > 1 ? ` of ${x.runCount}` : ''}</span>
                  </span>
                ) : (
                  <span className="subtle">never run</span>
                )}
              </td>
              <td className="num" title={x.best ? `${x.best.label} on ${x.best.split}` : undefined}>
                {x.best ? (
                  <>
                    <span className="mono">{x.best.label}</span> {meanCi(x.best.mean, x.best.ci95)} <span className="subtle">{x.best.split}</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="subtle">{when(x.createdAt)}</td>
              <td className="exp-actions" onClick={(e) => e.stopPropagation()}>
                {confirming === x.id ? (
                  <span className="row">
                    <span className="warn-text">Delete with {x.runCount} run{x.runCount === 1 ? '' : 's'}?</span>
                    <button type="button" className="danger" onClick={() => { setConfirming(null); actions.remove(x.id); }} data-testid={`experiment-delete-confirm-${x.id}`}>
                      Delete
                    </button>
                    <button type="button" onClick={() => setConfirming(null)} data-testid={`experiment-delete-cancel-${x.id}`}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <span className="row">
                    <button type="button" disabled={active || actions.busyId === x.id} onClick={() => actions.start(x.id)} title={active ? 'a run is going' : 'start a new run of this experiment'} data-testid={`experiment-start-${x.id}`}>
                      {run ? 'Run again' : 'Run'}
                    </button>
                    <button type="button" className="danger" disabled={active || actions.busyId === x.id} onClick={() => setConfirming(x.id)} title={active ? 'cancel its run first' : 'delete the experiment and all its runs'} data-testid={`experiment-delete-${x.id}`}>
                      Delete
                    </button>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
