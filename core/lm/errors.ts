// Errors raised by language model providers. `kind` lets callers count faults by type
// without string matching.

export type LMErrorKind =
  | 'http' // a non-retryable HTTP status, or a retryable one after all retries
  | 'rate-limit' // 429 after all retries
  | 'timeout'
  | 'network'
  | 'bad-response' // the body was not a chat completion
  | 'cancelled'
  | 'config'; // missing API key, bad base URL

export class LMError extends Error {
  readonly kind: LMErrorKind;
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(kind: LMErrorKind, message: string, options: { status?: number; attempts?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LMError';
    this.kind = kind;
    this.status = options.status;
    this.attempts = options.attempts ?? 1;
  }
}

export function isLMError(error: unknown): error is LMError {
  return error instanceof LMError;
}

/**
 * A failed attempt that may succeed when repeated: a 5xx, 408 or 429, a timeout, a network fault,
 * an unreadable body. RetryingLM repeats it; anyone who sees it is seeing an LMError of its kind.
 */
export class RetryableLMError extends LMError {
  /** How long the server asked the client to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: LMErrorKind, message: string, options: { status?: number; retryAfterMs?: number | undefined; cause?: unknown } = {}) {
    super(kind, message, { status: options.status, attempts: 1, cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
