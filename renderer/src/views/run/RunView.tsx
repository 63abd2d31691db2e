// A run, live: header (status, elapsed, ETA, Cancel/Resume), the strategy tree per seed with live
// progress, accuracy curves per split, the paper-style table, accuracy against cost, the task's
// intermediate checks (per strategy, and over the traces each stage learned from) and per-stage
// cost. Progress events patch the live store at once; stages, curves and results reload at most
// every RELOAD_MS.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { getClient } from '../../api/client.ts';
import type { ApiEvent } from '../../api/types.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { hrefFor, useRouter } from '../../app/router.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { AccuracyCurves } from './AccuracyCurves.tsx';
import { CheckTable } from './CheckTable.tsx';
import { CostTable } from './CostTable.tsx';
import { CostChart } from '../../components/CostChart.tsx';
import { ensureLiveSubscription, stageFraction, useRunLive } from './live-store.ts';
import { buildTrees, estimateEta, listedStrategies } from './plan.ts';
import { ResultsTable } from './ResultsTable.tsx';
import { RunHeader } from './RunHeader.tsx';
import { SourceQualityTable } from './SourceQualityTable.tsx';
import { stagesWithCandidates } from './stage-links.ts';
import { StageTree } from './StageTree.tsx';

const RELOAD_MS = 500;
/** Runner events after which stored stages, scores or curves have changed. */
const STRUCTURAL = new Set(['run-start', 'stage-start', 'stage-end', 'evaluation-end', 'run-end']);

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function RunView({ runId }: { runId: number }) {
  useEffect(() => ensureLiveSubscription(), []);
  const navigate = useRouter((s) => s.navigate);
  const detail = useApi(() => getClient().getRun({ runId }), [runId]);
  const curves = useApi(() => getClient().getCurves({ runId }), [runId]);
  const live = useRunLive(runId);
  const [perSeed, setPerSeed] = useState(false);
  const [showCosts, setShowCosts] = useState(true);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const reloadDetail = detail.reload;
  const reloadCurves = curves.reload;
  const reload = useThrottled(() => {
    reloadDetail();
    reloadCurves();
  }, RELOAD_MS);
  useApiEvents((event: ApiEvent) => {
    if (event.type === 'run-event' && event.runId === runId && STRUCTURAL.has(event.event.type)) reload();
    else if (event.type === 'run-status' && event.runId === runId) reload();
  });

  const run = detail.data?.run;
  const active = !!run && (run.active || run.status === 'running' || run.status === 'pending');
  const now = useNow(active);

  const act = useCallback(
    async (what: 'cancel' | 'resume') => {
      setBusy(true);
      setActionError(null);
      try {
        if (what === 'cancel') await getClient().cancelRun({ runId });
        else await getClient().resumeRun({ runId });
      } catch (error) {
        setActionError(`${what === 'cancel' ? 'Cancel' : 'Resume'} failed: ${(error as Error).message}`);
      } finally {
        setBusy(false);
        reloadDetail();
      }
    },
    [runId, reloadDetail],
  );
  const canCancel = !!run && run.active && (run.status === 'running' || run.status === 'pending');
  const canResume = !!run && !run.active && run.status !== 'finished' && (run.status === 'failed' || run.status === 'cancelled' || run.status === 'running' || run.status === 'pending');

  const stages = detail.data?.stages;
  // Recomputed each render: the live record changes in place.
  const withCandidates = stagesWithCandidates(curves.data?.validation, live);
  const firstP = stages?.find((s) => withCandidates.has(s.id));
  const commands = useMemo<Command[]>(() => {
    const list: Command[] = [
      { id: 'run.candidates', title: 'Open candidates (random search)', group: 'Run', shortcut: 'g k', run: () => navigate(hrefFor('candidates', { runId, itemId: firstP?.id ?? null })) },
      { id: 'run.traces', title: 'Open traces', group: 'Run', shortcut: 'g t', run: () => navigate(hrefFor('traces', { runId })) },
      { id: 'run.finetune', title: 'Open fine-tune jobs', group: 'Run', shortcut: 'g f', run: () => navigate(hrefFor('finetune', { runId })) },
      { id: 'run.perSeed', title: 'Toggle per-seed curve lines', group: 'Run', shortcut: 's', run: () => setPerSeed((v) => !v) },
      { id: 'run.reload', title: 'Reload run', group: 'Run', shortcut: 'r', run: () => reload() },
    ];
    if (canCancel) list.push({ id: 'run.cancel', title: `Cancel run #${runId}`, group: 'Run', run: () => void act('cancel') });
    if (canResume) list.push({ id: 'run.resume', title: `Resume run #${runId}`, group: 'Run', run: () => void act('resume') });
    return list;
  }, [runId, navigate, firstP?.id, canCancel, canResume, act, reload]);
  useCommands(commands);

  const spec = detail.data?.spec;
  const strategies = useMemo(() => spec?.strategies ?? (run ? listedStrategies(run.strategy) : []), [spec, run]);
  const seeds = useMemo(() => spec?.seeds ?? detail.data?.results.seeds ?? [], [spec, detail.data]);
  const trees = useMemo(() => buildTrees(strategies, seeds, stages ?? []), [strategies, seeds, stages]);
  const costs = useMemo(() => new Map((detail.data?.results.costs ?? []).map((c) => [c.stageId, c])), [detail.data]);

  if (!detail.data) {
    return (
      <div data-testid="view-run" className="run-view">
        {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : <Loading label={`Loading run #${runId}…`} />}
      </div>
    );
  }
  const d = detail.data;
  const running = (live?.running ?? []).flatMap((id) => {
    const s = live?.stages.get(id);
    return s ? [{ stageId: id, fraction: stageFraction(s) }] : [];
  });
  // Seeds run at once (the spec's seedConcurrency; absent: all of them), so stages overlap.
  const lanes = spec?.seedConcurrency ?? seeds.length;
  const eta = estimateEta(strategies, seeds, d.stages, running, now, lanes);
  const splits = d.results.splits;

  return (
    <div data-testid="view-run" className="run-view">
      <RunHeader detail={d} live={live} eta={eta} now={now} actions={{ canCancel, canResume, busy, error: actionError, cancel: () => void act('cancel'), resume: () => void act('resume') }} />
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}

      <section className="panel" aria-label="Strategy tree">
        <div className="row panel-head">
          <h2>Strategy tree</h2>
          <span className="subtle">p: prompt optimization (opens candidates) · w: fine-tuning (opens the job) · shared prefixes run once per seed</span>
        </div>
        {d.stages.length === 0 && !active ? <EmptyState title="No stages recorded">This run has not started any stage.</EmptyState> : <StageTree runId={runId} trees={trees} splits={splits} live={live} costs={costs} withCandidates={withCandidates} now={now} />}
        {live && live.warnings.length > 0 ? (
          <details className="run-warnings" data-testid="run-warnings">
            <summary>{live.warnings.length} warning{live.warnings.length === 1 ? '' : 's'} in this session</summary>
            <ul>
              {live.warnings.map((w, i) => (
                <li key={i} className="mono">
                  {w}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section aria-label="Accuracy curves" className="run-section">
        <div className="row panel-head">
          <h2>Accuracy after each step</h2>
          <span className="spacer" />
          <label className="row subtle">
            <input type="checkbox" checked={perSeed} onChange={(e) => setPerSeed(e.target.checked)} data-testid="toggle-per-seed" /> per-seed lines <kbd>s</kbd>
          </label>
        </div>
        {curves.data ? <AccuracyCurves curves={curves.data} perSeed={perSeed} /> : curves.error ? <ErrorState error={curves.error} onRetry={curves.reload} /> : <Loading label="Loading curves…" />}
      </section>

      <section className="panel" aria-label="Results">
        <h2>Results</h2>
        {d.results.rows.length === 0 ? <EmptyState title="No results yet" /> : <ResultsTable rows={d.results.rows} splits={splits} seeds={d.results.seeds} />}
        <p className="subtle">Percent accuracy; mean over seeds ± half-width of the 95% CI (Student t); — where a weight step had no passing traces. Hover a cell for per-seed values.</p>
      </section>

      <section className="panel" aria-label="Accuracy against cost">
        <CostChart level={2} results={d.results} model={typeof d.run.lm.model === 'string' && d.run.lm.model ? d.run.lm.model : 'unknown model'} />
      </section>

      {d.results.checks && d.results.checks.definitions.length > 0 ? (
        <section className="panel" aria-label="Intermediate quality" data-testid="run-checks">
          <h2>Intermediate quality</h2>
          <CheckTable checks={d.results.checks} rows={d.results.rows} splits={splits} seeds={d.results.seeds} />
          <p className="subtle">The task's checks of intermediate steps against gold, mean over seeds ± half-width of the 95% CI (percent), beside the score on the final answer. Hover a label for what it measures, a cell for per-seed values.</p>
          <h3>What each stage learned from</h3>
          {d.results.checks.sources.length === 0 ? (
            <EmptyState title="No demos or training rows from traces yet" />
          ) : (
            <SourceQualityTable runId={runId} sources={d.results.checks.sources} definitions={d.results.checks.definitions} />
          )}
          <p className="subtle">Every trace a stage learned from passed the metric; the checks say how many of them also got the intermediate steps right (100%).</p>
        </section>
      ) : null}

      <section className="panel" aria-label="Cost per stage">
        <div className="row panel-head">
          <h2>Cost per stage</h2>
          <span className="spacer" />
          <button type="button" className="ghost" onClick={() => setShowCosts((v) => !v)} data-testid="toggle-costs">
            {showCosts ? 'Hide' : 'Show'}
          </button>
        </div>
        {showCosts ? d.results.costs.length === 0 ? <EmptyState title="No stages yet" /> : <CostTable costs={d.results.costs} /> : null}
      </section>
    </div>
  );
}
