// core/api: the one typed backend API (methods + an event stream) every front end uses.

export { createApi, API_METHODS, API_METHOD_NAMES, isApiMethodName, type Api, type ApiMethodName, type ApiOptions, type TandemApi } from './api.ts';
export { ApiError, isApiError, toApiError, API_ERROR_CODES, type ApiErrorCode, type ApiErrorJson, type ApiIssue } from './errors.ts';
export type { ApiEvent, ApiEventListener, ApiEventType } from './events.ts';
export type { OpenRuntime, RunRuntime } from './context.ts';
export type { BestScore, ExperimentDetail, ExperimentSummary, TaskInfo } from './experiments.ts';
export type { RunHandle } from './run-manager.ts';
export type { RunCurves, RunDetail, StageDetail, ValidationPoint } from './runs.ts';
export type { Comparison, FlipCounts, FlipExample, SeedFlips, StrategyFlips } from './comparison.ts';
export type { ExampleResultPage, ExampleResultRow } from './example-results.ts';
export type { TraceDetail, TraceResult } from './traces.ts';
export type { CandidateView, DemoView, PredictorView, StageCandidates } from './candidates.ts';
export type { FinetuneRow, FinetuneRowPage } from './finetune-rows.ts';
export type { ModelList, ModelOperation } from './models.ts';
export type { RunSummary, StageSummary } from './views.ts';
export * from './schemas.ts';
