// Errors caused by what the user typed or pointed at get a one-line message and no stack trace;
// anything else is a bug in Tandem and is shown in full.

import { isLMError } from '../lm/errors.ts';
import { storageErrorOf } from '../store/errors.ts';

const USER_ERROR_NAMES = new Set([
  'StrategyError',
  'UnknownTaskError',
  'DatasetError',
  'SignatureError',
  'ProgramStateError',
  'StoreError',
  'UsageError',
  'TooManyErrorsError',
  'ModelLibraryError',
  'EngineError',
  'FinetuneError',
  'ResumeError',
  'RetrieveError',
  'RetrieverSpecError',
  'TaskFileError',
  'TaskDefinitionError',
  'MetricCheckError',
  'TooFewExamplesError',
  'WorkspaceLockError',
  'PdfPrintError',
]);

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUserError(error: unknown): error is Error {
  if (isLMError(error)) return true;
  if (storageErrorOf(error) !== null) return true;
  return error instanceof Error && (USER_ERROR_NAMES.has(error.name) || USER_ERROR_NAMES.has(error.constructor.name));
}

export function describeError(error: unknown): string {
  const storage = storageErrorOf(error);
  if (storage) return storage.message;
  return error instanceof Error ? error.message : String(error);
}
