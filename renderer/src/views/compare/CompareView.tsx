// Compare (#/compare?runs=1,2&baseline=p&strategies=p -> w,w&split=test): strategies of one or
// more runs against a baseline strategy — the paper-style table with exports, the task's
// intermediate checks beside it (when it has any), accuracy against cost per run, per-strategy flip
// matrices, and the flipped examples with word diffs of the outputs and their traces inline.
import { useEffect, useMemo } from 'react';
import { getClient } from '../../api/client.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { replaceParams } from '../../app/router.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { CheckComparison } from './CheckComparison.tsx';
import { CompareCostCharts } from './CompareCostCharts.tsx';
import { parseCompareParams, runStrategies, strategyLabel } from './compare-params.ts';
import { CompareControls } from './CompareControls.tsx';
import { copyText, downloadText } from '../../components/download.ts';
import { collectFlips } from './flip-items.ts';
import { FlipList } from './FlipList.tsx';
import { FlipMatrix } from './FlipMatrix.tsx';
import { ExportSelectionReport } from './ExportSelectionReport.tsx';
import { RunsSignificance } from './RunsSignificance.tsx';
import { SignificanceTable } from './SignificanceTable.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { buildTable, toCsv, toMarkdown } from './table-model.ts';
import { useComparisons } from './use-comparisons.ts';

export function CompareView({ params }: { params: URLSearchParams }) {
  const p = useMemo(() => parseCompareParams(params), [params]);
  const runs = useApi(() => getClient().listRuns({}), []);
  const reloadRuns = useThrottled(runs.reload, 2000);
  useApiEvents((e) => {
    if (e.type === 'run-status' || e.type === 'experiment-created' || e.type === 'experiment-deleted') reloadRuns();
  });

  // No run chosen yet: take the newest finished run (or the newest), and say so in the URL.
  useEffect(() => {
    if (p.runIds.length || !runs.data?.length) return;
    const pick = runs.data.find((r) => r.status === 'finished') ?? runs.data[0]!;
    replaceParams({ runs: pick.id });
  }, [p.runIds.length, runs.data]);

  const byId = useMemo(() => new Map((runs.data ?? []).map((r) => [r.id, r])), [runs.data]);
  const available = useMemo(() => {
    const all = p.runIds.flatMap((id) => (byId.get(id) ? runStrategies(byId.get(id)!.strategy) : []));
    return [...new Set([...all, p.baseline])];
  }, [p.runIds, p.baseline, byId]);
  const selected = useMemo(() => {
    const set = p.strategies ? new Set(p.strategies) : null;
    return (s: string) => s !== p.baseline && (set ? set.has(s) : true);
  }, [p.strategies, p.baseline]);

  // A run without the baseline strategy has nothing to compare with: say so instead of asking.
  const lacking = p.runIds.filter((id) => byId.get(id) && !runStrategies(byId.get(id)!.strategy).includes(p.baseline));
  const comparable = useMemo(() => (runs.data ? p.runIds.filter((id) => !lacking.includes(id)) : []), [runs.data, p.runIds, lacking.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  const comparisons = useComparisons(comparable, p.baseline, p.split);
  const loaded = useMemo(() => comparisons.data ?? [], [comparisons.data]);
  const taskOf = (id: number) => byId.get(id)?.task ?? '?';
  const table = useMemo(() => buildTable(loaded, selected, taskOf), [loaded, selected, byId]); // eslint-disable-line react-hooks/exhaustive-deps
  const flips = useMemo(() => collectFlips(loaded, selected), [loaded, selected]);
  const stem = `tandem-compare-runs-${p.runIds.join('-')}-vs-${p.baseline === '' ? 'zero-shot' : p.baseline.replace(/ -> /g, '-')}`;
  const multiRun = p.runIds.length > 1;
  const tasks = new Set(p.runIds.map(taskOf));

  const commands = useMemo<Command[]>(
    () => [
      { id: 'compare.copy-md', title: 'Copy the comparison table as Markdown', group: 'Compare', run: () => void copyText(toMarkdown(table)) },
      { id: 'compare.csv', title: 'Download the comparison table as CSV', group: 'Compare', run: () => downloadText(`${stem}.csv`, toCsv(table)) },
      { id: 'compare.split-dev', title: 'Flips on the dev split', group: 'Compare', run: () => replaceParams({ split: 'dev', flip: null }) },
      { id: 'compare.split-test', title: 'Flips on the test split', group: 'Compare', run: () => replaceParams({ split: null, flip: null }) },
      { id: 'compare.regressions', title: 'Show only regressions (R→W)', group: 'Compare', run: () => replaceParams({ kind: 'regressions', flip: null }) },
    ],
    [table, stem],
  );
  useCommands(commands);

  let body;
  if (runs.error && !runs.data) body = <ErrorState error={runs.error} onRetry={runs.reload} />;
  else if (!runs.data) body = <Loading label="Loading runs…" />;
  else if (runs.data.length === 0)
    body = (
      <EmptyState title="Nothing to compare yet">
        Start a run with several strategies (e.g. <code>p, w, p -&gt; w</code>) over a few seeds from <a href="#/experiments">Experiments</a>.
      </EmptyState>
    );
  else
    body = (
      <>
        <CompareControls runs={runs.data} runIds={p.runIds} available={available} selected={selected} explicit={p.strategies} baseline={p.baseline} split={p.split} />
        {tasks.size > 1 ? <p className="cmp-warn" role="note">The selected runs are of different tasks ({[...tasks].join(', ')}): their scores are not comparable with each other.</p> : null}
        {lacking.length ? (
          <p className="cmp-warn" role="note" data-testid="compare-lacking-baseline">
            {lacking.map((id) => `#${id}`).join(', ')} {lacking.length === 1 ? 'has' : 'have'} no strategy <span className="mono">{strategyLabel(p.baseline)}</span> to use as the baseline: pick a baseline that every selected run has.
          </p>
        ) : null}
        {p.runIds.length === 0 ? (
          <EmptyState title="Select a run">Tick one or more runs above.</EmptyState>
        ) : comparisons.error && !comparisons.data ? (
          <ErrorState error={comparisons.error} onRetry={comparisons.reload} />
        ) : !comparisons.data ? (
          <Loading label="Comparing…" />
        ) : (
          <>
            {loaded
              .filter((c) => c.error)
              .map((c) => (
                <div key={c.runId} data-testid="compare-run-error">
                  <ErrorState error={`run #${c.runId}: ${c.error!.message}`} onRetry={comparisons.reload} />
                </div>
              ))}
            {table.rows.length ? <ResultsTable model={table} filenameStem={stem} /> : null}
            {table.rows.length ? <CheckComparison table={table} split={p.split} version={comparisons.data} /> : null}
            {loaded.some((c) => c.comparison) ? (
              <SignificanceTable runs={loaded.map((c) => ({ runId: c.runId, flips: (c.comparison?.flips ?? []).filter((f) => selected(f.strategy)) }))} baseline={p.baseline} showRun={multiRun} />
            ) : null}
            {multiRun && tasks.size === 1 ? <RunsSignificance runIds={p.runIds} split={p.split} show={selected} /> : null}
            {table.rows.length ? <CompareCostCharts runIds={comparable} runs={byId} include={(s) => s === '' || s === p.baseline || selected(s)} split={p.split} /> : null}
            {loaded.some((c) => c.comparison) ? (
              <section data-testid="compare-matrices">
                <h2>
                  Flip matrices on {p.split} <span className="subtle">vs {strategyLabel(p.baseline)}, summed over seeds</span>
                </h2>
                <div className="cmp-matrices">
                  {loaded.flatMap((c) =>
                    (c.comparison?.flips ?? [])
                      .filter((f) => selected(f.strategy))
                      .map((f) => <FlipMatrix key={`${c.runId}|${f.strategy}`} runId={c.runId} baseline={p.baseline} flips={f} showRun={multiRun} onPick={(s, kind) => replaceParams({ of: s === '' ? 'zero-shot' : s, kind, flip: null })} />),
                  )}
                </div>
                {!loaded.some((c) => c.comparison?.flips.some((f) => selected(f.strategy))) ? <EmptyState title="No strategy selected">Pick strategies to compare with the baseline above.</EmptyState> : null}
              </section>
            ) : null}
            {flips.length || loaded.some((c) => c.comparison) ? (
              <FlipList
                items={flips}
                baseline={p.baseline}
                strategies={available.filter(selected)}
                sort={p.sort}
                kind={p.kind}
                flipStrategy={p.flipStrategy}
                expandedKey={p.flip}
                showRun={multiRun}
              />
            ) : null}
          </>
        )}
      </>
    );

  return (
    <div data-testid="view-compare" className="view-compare">
      <div className="page-head">
        <div>
          <h1>Compare</h1>
          <div className="subtle">Strategies against a baseline: scores over seeds, and which examples flipped.</div>
        </div>
        {comparisons.loading && comparisons.data ? <span className="subtle">refreshing…</span> : null}
        {p.runIds.length ? <ExportSelectionReport runIds={p.runIds} models={[...new Set(p.runIds.flatMap((id) => (typeof byId.get(id)?.lm.model === 'string' ? [byId.get(id)!.lm.model as string] : [])))]} /> : null}
      </div>
      {body}
    </div>
  );
}
