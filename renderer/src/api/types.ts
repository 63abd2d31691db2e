// The API's result and event types, re-exported for views from the contract (type-only: nothing
// from core is bundled).
export type { ApiResults, RunHandle, ReportFile, TandemApi } from '../../../core/contract/api.ts';
export type { ApiEvent, RunProgressEvent, OptimizerProgress, FinetuneProgress, LMCallCounters } from '../../../core/contract/events.ts';
export type { ApiErrorJson, ApiIssue } from '../../../core/contract/errors.ts';
export type { ModelEntry, ModelList, ModelOperation, PullEvent, PullProgress, TransferProgress } from '../../../core/contract/models.ts';
export type { StepInfo } from '../../../core/contract/strategy.ts';
export type * from '../../../core/contract/views/index.ts';
