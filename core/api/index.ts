// core/api: the one typed backend API (methods + an event stream) every front end uses. Method
// names, inputs, results and events are the contract's (core/contract/).

export { createApi, API_METHODS, API_METHOD_NAMES, isApiMethodName, type Api, type ApiMethodName, type ApiOptions, type TandemApi } from './api.ts';
export { ApiError, isApiError, toApiError, API_ERROR_CODES, type ApiErrorCode, type ApiErrorJson, type ApiIssue } from './errors.ts';
export type { ApiEvent, ApiEventListener, ApiEventType } from './events.ts';
export { toRunProgress } from './event-translation.ts';
export type { OpenRuntime, RunRuntime } from './context.ts';
export type { ApiResults, CancelledRun, ReportFile, RunHandle } from '../contract/api.ts';
export type { ModelList, ModelOperation } from '../contract/models.ts';
export type * from '../contract/views/index.ts';
export * from '../contract/schemas.ts';
