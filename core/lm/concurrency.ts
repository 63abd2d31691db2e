// How LM calls wait: the FIFO limiter of core/util with LMError 'cancelled' for a waiter whose
// signal fires, and a backoff sleep that is cancelled the same way.

import { abortableSleep, abortDetail, Limiter as FifoLimiter } from '../util/limiter.ts';
import { LMError } from './errors.ts';

export class Limiter extends FifoLimiter {
  constructor(maxConcurrency: number) {
    super(maxConcurrency, (signal) => cancelledError(signal));
  }
}

export function cancelledError(signal?: AbortSignal, attempts = 0): LMError {
  return new LMError('cancelled', `the request was cancelled${abortDetail(signal)}`, { attempts, cause: signal?.reason });
}

/** Waits `ms`, rejecting with LMError 'cancelled' as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal, attempts = 0): Promise<void> {
  return abortableSleep(ms, signal, () => cancelledError(signal, attempts));
}
