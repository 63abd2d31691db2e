// Errors raised by retrieval backends; `kind` lets callers count faults by type.

export type RetrieveErrorKind = 'http' | 'timeout' | 'network' | 'bad-response' | 'cancelled' | 'config' | 'index';

export class RetrieveError extends Error {
  override name = 'RetrieveError';
  readonly kind: RetrieveErrorKind;
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(kind: RetrieveErrorKind, message: string, options: { status?: number; attempts?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.attempts = options.attempts ?? 1;
  }
}

export function isRetrieveError(error: unknown): error is RetrieveError {
  return error instanceof RetrieveError;
}
