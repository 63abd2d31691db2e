// The run's header: status, what it runs, elapsed time, ETA and the Cancel / Resume actions.
import { ExportReport } from './ExportReport.tsx';
import { ExportBundle } from './ExportBundle.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { duration, when } from '../../components/format.ts';
import type { RunDetail } from '../../api/types.ts';
import { listedStrategies, type Eta } from './plan.ts';
import type { RunLive } from './live-store.ts';
import { compact } from './fmt.ts';

export interface RunActions {
  canCancel: boolean;
  canResume: boolean;
  busy: boolean;
  error: string | null;
  cancel(): void;
  resume(): void;
}

function lmLabel(lm: Record<string, unknown>): string {
  const model = typeof lm.model === 'string' ? lm.model : '?';
  const provider = typeof lm.provider === 'string' ? lm.provider : '';
  const base = typeof lm.baseUrl === 'string' && lm.baseUrl ? ` @ ${lm.baseUrl}` : '';
  return `${provider ? `${provider}:` : ''}${model}${base}`;
}

/** A short label for the header; the full sentence is its tooltip. */
function reproducibilityLabel(text: string): string {
  if (/may not reproduce/.test(text)) return 'may not reproduce';
  if (/^reproducible|gave the same completion/.test(text)) return 'reproducible';
  return 'seeded, unchecked';
}

export function RunHeader({ detail, live, eta, now, actions }: { detail: RunDetail; live: RunLive | null; eta: Eta; now: number; actions: RunActions }) {
  const { run, spec } = detail;
  const active = run.active || run.status === 'running' || run.status === 'pending';
  const startedAt = run.startedAt ?? run.createdAt;
  const elapsed = (run.finishedAt ?? (active ? now : startedAt)) - startedAt;
  const seeds = spec?.seeds ?? [run.seed];
  const strategies = spec?.strategies ?? listedStrategies(run.strategy);
  // Stored totals (reloaded at stage boundaries) and the runner's own counters since it (re)started.
  const counters = active ? live?.counters : null;
  const tokens = detail.lm.promptTokens + detail.lm.completionTokens;
  return (
    <header className="page-head run-head" data-testid="run-header">
      <div className="run-head-main">
        <h1>
          Run #{run.id} <StatusBadge status={run.status} />{' '}
          <span className="subtle run-head-task" data-testid="run-task">
            {run.task}
          </span>
        </h1>
        <div className="row subtle run-meta">
          <span title="strategies">
            {strategies.map((s) => (
              <code key={s} className="chip">
                {s}
              </code>
            ))}
          </span>
          <span title="seeds">
            {seeds.length} seed{seeds.length === 1 ? '' : 's'} ({seeds.join(', ')})
          </span>
          <span className="mono" title="language model">
            {lmLabel(run.lm)}
          </span>
          <span title={`started ${when(startedAt)}`}>elapsed {duration(elapsed)}</span>
          <span data-testid="run-progress-count">
            stages {eta.done}/{eta.total}
          </span>
          {active ? (
            <span data-testid="run-eta" title={eta.untimed.length ? `no ${eta.untimed.join(', ')} stage has finished yet, so their time is not counted` : 'from the mean time of finished stages of each kind and the running stage’s progress'}>
              ETA {eta.remainingMs === null ? 'estimating…' : `${eta.untimed.length ? '≥ ' : ''}${duration(eta.remainingMs)}`}
              {eta.untimed.length && eta.remainingMs !== null ? <span className="subtle"> (+ untimed {eta.untimed.join(', ')})</span> : null}
            </span>
          ) : null}
          <span title="stored LM calls of the run (cache hits) · prompt + completion tokens">
            {compact(detail.lm.calls)} LM calls ({compact(detail.lm.cached)} cached) · {compact(tokens)} tok
          </span>
          {counters ? (
            <span title="the runner's counters since it started or resumed" data-testid="run-counters">
              runner: {compact(counters.calls)} calls, {compact(counters.cacheHits)} cached, {counters.retries} retries
            </span>
          ) : null}
          {(counters?.errors ?? detail.lm.errors) > 0 ? <span className="run-errors">{counters?.errors ?? detail.lm.errors} LM errors</span> : null}
          {detail.reproducibility ? (
            <span className={/may not reproduce/.test(detail.reproducibility) ? 'run-errors' : ''} title={detail.reproducibility} data-testid="run-reproducibility">
              {reproducibilityLabel(detail.reproducibility)}
            </span>
          ) : null}
        </div>
        {active && eta.total > 0 ? (
          <div className="progress run-progress" title={`${eta.done} of ${eta.total} stages finished`}>
            <span style={{ width: `${(100 * eta.done) / eta.total}%` }} />
          </div>
        ) : null}
        {run.error && !(run.status === 'cancelled' && run.error === 'cancelled') ? (
          <pre className="run-error" data-testid="run-error">
            {run.error}
          </pre>
        ) : null}
        {actions.error ? (
          <div className="run-error" role="alert">
            {actions.error}
          </div>
        ) : null}
      </div>
      <div className="row run-actions">
        <ExportReport runId={run.id} model={typeof run.lm.model === 'string' && run.lm.model ? run.lm.model : 'unknown model'} />
        <ExportBundle runId={run.id} disabled={active} />
        {actions.canCancel ? (
          <button type="button" className="danger" disabled={actions.busy} onClick={actions.cancel} data-testid="run-cancel" title="Cancel run (palette: Cancel run)">
            {actions.busy ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
        {actions.canResume ? (
          <button type="button" className="primary" disabled={actions.busy} onClick={actions.resume} data-testid="run-resume" title="Resume run: finished stages are kept">
            Resume
          </button>
        ) : null}
      </div>
    </header>
  );
}
