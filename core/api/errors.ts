// The one error type the API throws. `code` says what kind of problem it is, so a front end can
// react without matching text; `toJSON()` gives the `{ code, message }` shape transports send
// (IPC, HTTP) and `fromJSON` rebuilds it on the other side. Errors of the lower layers (store,
// model library, strategy grammar, task registry, resume checks, LM configuration) are mapped to
// an ApiError by `toApiError`; anything unexpected becomes `internal` with its message kept.

import { API_ERROR_CODES, type ApiErrorCode, type ApiErrorJson, type ApiIssue } from '../contract/errors.ts';
import { LMError } from '../lm/errors.ts';
import { ModelLibraryError } from '../models/errors.ts';
import { StrategyError } from '../contract/strategy.ts';
import { ResumeError } from '../runner/run-experiment.ts';
import { StepKindError } from '../runner/steps/registry.ts';
import { StoreError, storageErrorOf } from '../store/errors.ts';
import { UnknownTaskError } from '../tasks/registry.ts';
import { RetrieveError } from '../retrieve/errors.ts';

export { API_ERROR_CODES, type ApiErrorCode, type ApiErrorJson, type ApiIssue } from '../contract/errors.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[] | undefined;

  constructor(code: ApiErrorCode, message: string, options: { issues?: ApiIssue[]; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.issues = options.issues;
  }

  toJSON(): ApiErrorJson {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  static fromJSON(json: ApiErrorJson): ApiError {
    const code = (API_ERROR_CODES as readonly string[]).includes(json.code) ? json.code : 'internal';
    return new ApiError(code, json.message, json.issues ? { issues: json.issues } : {});
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function notFound(message: string): ApiError {
  return new ApiError('not-found', message);
}

export function conflict(message: string): ApiError {
  return new ApiError('conflict', message);
}

export function invalidInput(path: string, problem: string): ApiError {
  return new ApiError('invalid-input', path === '' ? problem : `${path}: ${problem}`, { issues: [{ path, message: problem }] });
}

/** Maps an error of any layer to an ApiError (ApiErrors pass through unchanged). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const cause = { cause: error };
  const storage = error instanceof StoreError ? null : storageErrorOf(error); // a full disk, a read-only file
  if (storage) return new ApiError('database', storage.message, cause);
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'not-found':
        return new ApiError('not-found', error.message, cause);
      case 'invalid-value':
      case 'invalid-cursor':
        return new ApiError('invalid-input', error.message, cause);
      default:
        return new ApiError('database', error.message, cause);
    }
  }
  if (error instanceof ModelLibraryError) {
    switch (error.code) {
      case 'invalid-argument':
      case 'invalid-model':
        return new ApiError('invalid-input', error.message, cause);
      case 'unknown-model':
      case 'not-found':
        return new ApiError('not-found', error.message, cause);
      case 'name-taken':
      case 'busy':
        return new ApiError('conflict', error.message, cause);
      case 'cancelled':
        return new ApiError('cancelled', error.message, cause);
      default:
        return new ApiError('internal', error.message, cause);
    }
  }
  if (error instanceof StrategyError || error instanceof UnknownTaskError) return new ApiError('invalid-input', error.message, cause);
  if (error instanceof ResumeError) return new ApiError('conflict', error.message, cause);
  // A saved run names a step kind this build does not register: its spec is fine, this build is not.
  if (error instanceof StepKindError) return new ApiError('config', error.message, cause);
  if (error instanceof RetrieveError) {
    const code = error.kind === 'cancelled' ? 'cancelled' : error.kind === 'config' || error.kind === 'index' ? 'config' : 'internal';
    return new ApiError(code, error.message, cause);
  }
  if (error instanceof LMError) return new ApiError(error.kind === 'config' ? 'config' : error.kind === 'cancelled' ? 'cancelled' : 'internal', error.message, cause);
  if (error instanceof Error) return new ApiError(error.name === 'AbortError' ? 'cancelled' : 'internal', error.message, cause);
  return new ApiError('internal', String(error), cause);
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
