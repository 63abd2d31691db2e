// How retrievals wait: the FIFO limiter of core/util on the requests a backend has in flight,
// with RetrieveError 'cancelled' for a waiter whose signal fires, and a backoff sleep cancelled
// the same way.

import { abortableSleep, abortDetail, Limiter } from '../util/limiter.ts';
import { RetrieveError } from './errors.ts';

export class RetrieveLimiter extends Limiter {
  constructor(maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RetrieveError('config', `maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
    super(maxConcurrency, (signal) => cancelledError(signal));
  }
}

export function cancelledError(signal?: AbortSignal, attempts = 0): RetrieveError {
  return new RetrieveError('cancelled', `the retrieval was cancelled${abortDetail(signal)}`, { attempts, cause: signal?.reason });
}

/** Waits `ms`, rejecting with RetrieveError 'cancelled' as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal, attempts = 0): Promise<void> {
  return abortableSleep(ms, signal, () => cancelledError(signal, attempts));
}
