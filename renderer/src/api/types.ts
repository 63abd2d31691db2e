// The API's result types, re-exported for views (type-only: nothing from core is bundled).
export type { TandemApi } from '../../../core/api/api.ts';
export type { ApiEvent } from '../../../core/api/events.ts';
export type { RunSummary, StageSummary } from '../../../core/api/views.ts';
export type { RunDetail, StageDetail, RunCurves, ValidationPoint } from '../../../core/api/runs.ts';
export type { ExperimentSummary, ExperimentDetail, TaskInfo, BestScore } from '../../../core/api/experiments.ts';
export type { Comparison, FlipExample, FlipCounts, SeedFlips, StrategyFlips } from '../../../core/api/comparison.ts';
export type { StageCandidates, CandidateView, DemoView, PredictorView } from '../../../core/api/candidates.ts';
export type { TraceDetail, TraceResult } from '../../../core/api/traces.ts';
export type { ExampleResultPage, ExampleResultRow } from '../../../core/api/example-results.ts';
export type { ModelList, ModelOperation } from '../../../core/api/models.ts';
export type { FinetuneJobRecord, LMCallPage, LMCallRecord, LMCallStats, RunStatus } from '../../../core/store/index.ts';
export type { RunEvent } from '../../../core/runner/events.ts';
export type { ResultRow } from '../../../core/report/results.ts';
export type { StageCost, RunResults, CurvePoint, ResultCell } from '../../../core/report/results.ts';
export type { ApiIssue } from '../../../core/api/errors.ts';
export type { FinetuneRow, FinetuneRowPage } from '../../../core/api/finetune-rows.ts';
