// The shapes the API returns for runs and stages: the store's records without the large JSON
// columns that lists do not need (a run's config, a stage's program state).

import type { ResultRow, RunSummary, StageSummary } from '../contract/views/index.ts';
import type { RunRecord, StageRecord } from '../store/index.ts';

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
