// Retries as a wrapper: repeats a call whose attempt failed with a RetryableLMError, with
// exponential backoff and jitter, honouring a server's Retry-After up to a ceiling, until the
// attempts run out or the caller cancels. Reports how the call was served (attempts, wall time)
// to the caller's observer. It never prints; callers observe faults through `onRetry`.

import { EXPERIMENT_DEFAULTS } from '../contract/defaults.ts';
import { backoffDelay } from '../util/backoff.ts';
import { Rng } from '../util/random.ts';

export { backoffDelay };
import { cancelledError, sleep } from './concurrency.ts';
import { LMError, RetryableLMError, type LMErrorKind } from './errors.ts';
import type { ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';

/** The kinds of failure that are retried. */
export type RetryReason = Extract<LMErrorKind, 'http' | 'rate-limit' | 'timeout' | 'network' | 'bad-response'>;

export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  reason: RetryReason;
  status?: number;
  message: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface RetryOptions {
  /** Retries after the first attempt (default: the experiment's default retries). */
  maxRetries?: number;
  /** First backoff delay (default 500); doubles each retry. */
  backoffBaseMs?: number;
  /** Largest backoff delay (default 20000). */
  backoffMaxMs?: number;
  /** Largest wait a server's Retry-After may impose (default 60000). */
  retryAfterMaxMs?: number;
  /** Seed of the jitter's random stream (default 0). */
  jitterSeed?: number;
  onRetry?: (info: RetryInfo) => void;
}

const DEFAULTS = { maxRetries: EXPERIMENT_DEFAULTS.retries, backoffBaseMs: 500, backoffMaxMs: 20_000, retryAfterMaxMs: 60_000 } as const;

/** Passed to the inner model when the caller gave no signal: no allocation per attempt. */
const NO_OPTIONS: GenerateOptions = {};

export class RetryingLM implements LanguageModel {
  readonly id: string;
  readonly model: string;
  readonly inner: LanguageModel;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly retryAfterMaxMs: number;
  private readonly jitter: Rng;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;

  constructor(inner: LanguageModel, options: RetryOptions = {}) {
    this.inner = inner;
    this.id = inner.id;
    this.model = inner.model;
    this.maxRetries = nonNegativeInt('maxRetries', options.maxRetries ?? DEFAULTS.maxRetries);
    this.backoffBaseMs = nonNegative('backoffBaseMs', options.backoffBaseMs ?? DEFAULTS.backoffBaseMs);
    this.backoffMaxMs = nonNegative('backoffMaxMs', options.backoffMaxMs ?? DEFAULTS.backoffMaxMs);
    this.retryAfterMaxMs = nonNegative('retryAfterMaxMs', options.retryAfterMaxMs ?? DEFAULTS.retryAfterMaxMs);
    this.jitter = new Rng(options.jitterSeed ?? 0);
    this.onRetry = options.onRetry;
  }

  async generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    const { signal, onCallInfo } = options;
    const startedAt = performance.now();
    const innerOptions: GenerateOptions = signal ? { signal } : NO_OPTIONS;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError(signal, attempt - 1);
      let failure: RetryableLMError;
      try {
        const response = await this.inner.generate(request, innerOptions);
        onCallInfo?.({ cached: false, attempts: attempt, latencyMs: performance.now() - startedAt });
        return response;
      } catch (error) {
        if (!(error instanceof RetryableLMError)) throw withAttempts(error, attempt);
        failure = error;
      }
      if (attempt > this.maxRetries) throw finalError(failure, attempt, this.maxRetries);
      const backoff = backoffDelay(attempt, this.backoffBaseMs, this.backoffMaxMs, () => this.jitter.next());
      const delayMs = failure.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(failure.retryAfterMs, this.retryAfterMaxMs));
      this.onRetry?.({
        attempt,
        reason: failure.kind as RetryReason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        message: failure.message,
        delayMs,
      });
      await sleep(delayMs, signal, attempt);
    }
  }
}

/** The error the caller sees when the last attempt failed in a way worth repeating. */
function finalError(failure: RetryableLMError, attempts: number, maxRetries: number): LMError {
  const tries = maxRetries === 0 ? '' : ` (gave up after ${attempts} attempts)`;
  return new LMError(failure.kind, `${failure.message}${tries}`, { status: failure.status, attempts, cause: failure.cause });
}

/** A final LMError from the inner model, counting every attempt this wrapper made. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (!(error instanceof LMError) || error.attempts === attempts) return error;
  return new LMError(error.kind, error.message, { status: error.status, attempts, cause: error.cause });
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new LMError('config', `${name} must be a non-negative integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new LMError('config', `${name} must be a non-negative number, got ${value}`);
  return value;
}
