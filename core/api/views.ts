// The shapes the API returns for runs and stages: the store's records without the large JSON
// columns that lists do not need (a run's config, a stage's program state).

import type { RunRecord, RunStatus, StageRecord } from '../store/index.ts';
import type { ResultRow } from '../report/results.ts';

export interface RunSummary {
  id: number;
  experimentId: number;
  task: string;
  /** The run's strategies, comma-separated (`p, p -> w`). */
  strategy: string;
  /** The first seed. */
  seed: number;
  /** Provider, model and base URL of the run's LM. */
  lm: Record<string, unknown>;
  status: RunStatus;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** True while this API process runs it (it can be cancelled). */
  active: boolean;
  /** The paper-style table saved when the run finished; null before. */
  table: ResultRow[] | null;
}

export type StageSummary = Omit<StageRecord, 'programState'>;

export function runSummary(run: RunRecord, active: boolean): RunSummary {
  const table = run.summary && Array.isArray(run.summary.table) ? (run.summary.table as ResultRow[]) : null;
  return {
    id: run.id,
    experimentId: run.experimentId,
    task: run.task,
    strategy: run.strategy,
    seed: run.seed,
    lm: run.lm,
    status: run.status,
    error: run.error,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    active,
    table,
  };
}

export function stageSummary(stage: StageRecord): StageSummary {
  const { programState: _state, ...rest } = stage;
  return rest;
}
