// Accuracy against cost in Compare: one chart per selected run (each run has its own model, and
// so its own prices), with the baseline, zero-shot and the selected strategies. The costs come
// from each run's results (getRun), which getComparison does not carry.
import { useMemo } from 'react';
import { getClient } from '../../api/client.ts';
import type { RunSummary } from '../../api/types.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { CostChart } from '../../components/CostChart.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';

export function CompareCostCharts({ runIds, runs, include, split }: { runIds: number[]; runs: Map<number, RunSummary>; include: (strategy: string) => boolean; split: string }) {
  const key = runIds.join(',');
  const details = useApi(() => Promise.all(runIds.map((runId) => getClient().getRun({ runId }))), [key]);
  const reload = useThrottled(details.reload, 3000);
  useApiEvents((event) => {
    if (event.type === 'run-status' && runIds.includes(event.runId)) reload();
    if (event.type === 'run-event' && runIds.includes(event.runId) && event.event.type === 'stage-end') reload();
  });
  const multi = runIds.length > 1;
  const charts = useMemo(() => details.data ?? [], [details.data]);
  if (runIds.length === 0) return null;
  return (
    <section className="cmp-cost" data-testid="compare-cost">
      <h2>
        Accuracy against cost <span className="subtle">per seed, each strategy's whole chain</span>
      </h2>
      {details.error && !details.data ? <ErrorState error={details.error} onRetry={details.reload} /> : null}
      {!details.data && !details.error ? <Loading label="Loading costs…" /> : null}
      {charts.map((d) => {
        const lm = runs.get(d.run.id)?.lm ?? d.run.lm;
        const model = typeof lm.model === 'string' && lm.model ? lm.model : 'unknown model';
        return (
          <div key={`${d.run.id}|${split}`} className="panel cmp-cost-run">
            <CostChart results={d.results} model={model} include={include} initialSplit={split} title={multi ? `Run #${d.run.id} · ${d.run.task}` : `Run #${d.run.id}`} />
          </div>
        );
      })}
    </section>
  );
}
