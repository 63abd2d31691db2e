// The Traces view's state lives in the URL query (#/runs/1/traces?stage=&split=&outcome=&…), so
// a filtered list or an open trace can be linked and survives reloads. `?stage=` picks the stage
// (the Run view links a stage's row here), even one that is not evaluated yet.
import type { StageSummary } from '../../api/types.ts';
import type { ResultQuery } from './result-pager.ts';

export type Outcome = 'pass' | 'fail' | 'error';
export type Split = 'dev' | 'test';
export type Sort = 'index' | 'index-desc' | 'score' | 'score-desc';

export interface TraceParams {
  stageId: number | null;
  /** A specific evaluation (e.g. a candidate's validation run) instead of stage + split. */
  evaluationId: number | null;
  split: Split;
  outcome: Outcome | null;
  predictor: string | null;
  q: string;
  sort: Sort;
  traceId: number | null;
}

const SORTS: readonly Sort[] = ['index', 'index-desc', 'score', 'score-desc'];
const num = (s: string | null) => (s !== null && /^\d+$/.test(s) && Number(s) > 0 ? Number(s) : null);

export function readParams(params: URLSearchParams): TraceParams {
  const outcome = params.get('outcome');
  const sort = params.get('sort') as Sort | null;
  return {
    stageId: num(params.get('stage')),
    evaluationId: num(params.get('eval')),
    split: params.get('split') === 'dev' ? 'dev' : 'test',
    outcome: outcome === 'pass' || outcome === 'fail' || outcome === 'error' ? outcome : null,
    predictor: params.get('predictor') || null,
    q: params.get('q') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'index',
    traceId: num(params.get('trace')),
  };
}

/** The page query for these params, or null while no stage is chosen. */
export function toQuery(p: TraceParams, stageId: number | null): ResultQuery | null {
  const base: ResultQuery | null = p.evaluationId !== null ? { evaluationId: p.evaluationId } : stageId !== null ? { stageId, split: p.split } : null;
  if (!base) return null;
  const q: ResultQuery = { ...base, sort: p.sort };
  if (p.outcome === 'pass') q.passed = true;
  if (p.outcome === 'fail') q.passed = false;
  if (p.outcome === 'error') q.failed = true;
  const search = p.q.trim();
  if (search) q.search = search;
  return q;
}

/** Whether a stage has final evaluations to list (finished, or scored already). */
export function isEvaluable(s: StageSummary): boolean {
  return s.status === 'finished' || s.scores !== null;
}

export interface StageChoice {
  /** The stage listed: the URL's, else the first evaluable one. */
  stageId: number | null;
  /** The stage picker's options: evaluable stages plus the URL's stage, in the run's order. */
  options: StageSummary[];
  /** The URL names a stage this run does not have (once the stages are loaded). */
  unknown: boolean;
}

export function chooseStage(stages: readonly StageSummary[] | null, urlStageId: number | null): StageChoice {
  const all = stages ?? [];
  const options = all.filter((s) => isEvaluable(s) || s.id === urlStageId);
  return {
    stageId: urlStageId ?? options[0]?.id ?? null,
    options,
    unknown: stages !== null && urlStageId !== null && !all.some((s) => s.id === urlStageId),
  };
}
