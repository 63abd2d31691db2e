// Repeating a retrieval attempt that failed in a way worth repeating (5xx, 408, 429, timeouts,
// network faults, unreadable bodies): exponential backoff with seeded jitter, a server's
// Retry-After honoured up to a ceiling, until the attempts run out or the caller cancels.

import type { Rng } from '../util/random.ts';
import { cancelledError, sleep } from './concurrency.ts';
import { RetrieveError, type RetrieveErrorKind } from './errors.ts';
import { backoffDelay, parseRetryAfter } from '../util/backoff.ts';

export { backoffDelay, parseRetryAfter };

/** A failed attempt that may succeed when repeated; `withRetries` turns the last one into a RetrieveError. */
export class RetryableRetrieveError extends RetrieveError {
  /** How long the server asked the client to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: RetrieveErrorKind, message: string, options: { status?: number; retryAfterMs?: number | undefined; cause?: unknown } = {}) {
    super(kind, message, { status: options.status, attempts: 1, cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles each retry. */
  backoffBaseMs: number;
  /** Largest backoff delay. */
  backoffMaxMs: number;
  /** Largest wait a server's Retry-After may impose. */
  retryAfterMaxMs: number;
}

/** Told before each wait between attempts. */
export interface RetryNotice {
  /** The attempt that just failed (1-based). */
  attempt: number;
  kind: RetrieveErrorKind;
  status?: number;
  message: string;
  delayMs: number;
}

export interface RetryContext {
  policy: RetryPolicy;
  /** The jitter's random stream (seeded by the caller). */
  jitter: Rng;
  signal?: AbortSignal | undefined;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** Runs `attempt` until it succeeds, fails for good, or the retries run out; returns its value and the attempts made. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, context: RetryContext): Promise<{ value: T; attempts: number }> {
  const { policy, jitter, signal, onRetry } = context;
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw cancelledError(signal, n - 1);
    let failure: RetryableRetrieveError;
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      if (!(error instanceof RetryableRetrieveError)) throw withAttempts(error, n);
      failure = error;
    }
    if (n > policy.maxRetries) {
      const tries = policy.maxRetries === 0 ? '' : ` (gave up after ${n} attempts)`;
      throw new RetrieveError(failure.kind, `${failure.message}${tries}`, { status: failure.status, attempts: n, cause: failure.cause });
    }
    const backoff = backoffDelay(n, policy.backoffBaseMs, policy.backoffMaxMs, () => jitter.next());
    const delayMs = failure.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(failure.retryAfterMs, policy.retryAfterMaxMs));
    onRetry?.({ attempt: n, kind: failure.kind, ...(failure.status !== undefined ? { status: failure.status } : {}), message: failure.message, delayMs });
    await sleep(delayMs, signal, n);
  }
}

/** A final RetrieveError from an attempt, counting every attempt made. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (!(error instanceof RetrieveError) || error.attempts === attempts) return error;
  return new RetrieveError(error.kind, error.message, { status: error.status, attempts, cause: error.cause });
}
