// Waiting inside a retrieval: a FIFO limiter on the requests a backend has in flight, a sleep
// for backoff, and the error a cancelled retrieval ends with. Retrieval sits on the level of
// core/lm and may not import it, so this is its own small copy of the idea.

import { RetrieveError } from './errors.ts';

export class RetrieveLimiter {
  readonly maxConcurrency: number;
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RetrieveError('config', `maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
    this.maxConcurrency = maxConcurrency;
  }

  /** Runs `fn` once a slot is free (in arrival order); a caller cancelled while waiting leaves the queue. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    if (this.active < this.maxConcurrency && this.queue.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.queue.indexOf(grant);
        if (index >= 0) this.queue.splice(index, 1);
        reject(cancelledError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(grant);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
    if (next) next();
    else this.active--;
  }
}

export function cancelledError(signal?: AbortSignal, attempts = 0): RetrieveError {
  const reason: unknown = signal?.reason;
  const detail = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
  return new RetrieveError('cancelled', `the retrieval was cancelled${detail}`, { attempts, cause: reason });
}

/** Waits `ms`, rejecting with RetrieveError 'cancelled' as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal, attempts = 0): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelledError(signal, attempts));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError(signal, attempts));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
