// The one error type the model library and hub downloads throw for problems a user can act on:
// a folder that is not a checkpoint, an unknown model name, a repo that does not exist or needs a
// token, a file that failed verification. `code` lets callers (CLI, UI) react without matching text.

export type ModelLibraryErrorCode =
  | 'invalid-model' // a folder that is not a usable checkpoint
  | 'invalid-argument' // a bad model name, repo id, pattern or option
  | 'unknown-model' // resolveModel() found no such name
  | 'name-taken' // add/pull would overwrite another model
  | 'not-found' // hub: no such repo, revision or file
  | 'unauthorized' // hub: 401/403 (gated or private repo)
  | 'http' // hub: another non-retryable status, or a retryable one after all retries
  | 'network' // hub: connection failures after all retries
  | 'verification-failed' // a downloaded file's size or hash is not what the hub declared
  | 'io' // the disk refused a write (full, read-only, permissions)
  | 'busy' // another pull of the same model is running
  | 'cancelled';

export class ModelLibraryError extends Error {
  override name = 'ModelLibraryError';
  constructor(
    readonly code: ModelLibraryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isModelLibraryError(error: unknown): error is ModelLibraryError {
  return error instanceof ModelLibraryError;
}
