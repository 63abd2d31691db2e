// A FIFO limiter: at most `maxConcurrency` tasks run at once; the rest wait in arrival order. A
// waiter whose AbortSignal fires leaves the queue at once and rejects with the error its owner
// makes for a cancellation (LM calls and retrievals each have their own). And a sleep that a
// signal cuts short the same way, for backoff between attempts.

/** The error a cancelled wait rejects with. */
export type CancelledError = (signal: AbortSignal | undefined) => Error;

interface Waiter {
  grant: () => void;
  detach: () => void;
}

export class Limiter {
  readonly maxConcurrency: number;
  private activeCount = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    maxConcurrency: number,
    private readonly cancelled: CancelledError,
  ) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
    this.maxConcurrency = maxConcurrency;
  }

  /** Tasks running now. */
  get active(): number {
    return this.activeCount;
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.queue.length;
  }

  /** Runs `fn` once a slot is free; the slot is released when its promise settles. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(this.cancelled(signal));
    // A free slot is taken at once, without a round trip through acquire's promise.
    if (this.activeCount < this.maxConcurrency && this.queue.length === 0) {
      this.activeCount++;
      return this.hold(fn, this.releaser());
    }
    return this.acquire(signal).then((release) => this.hold(fn, release));
  }

  /** Runs `fn` holding a slot; gives the slot back when it settles (or throws synchronously). */
  private async hold<T>(fn: () => Promise<T>, release: () => void): Promise<T> {
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Waits for a slot and returns the function that gives it back (idempotent). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(this.cancelled(signal));
    if (this.activeCount < this.maxConcurrency && this.queue.length === 0) {
      this.activeCount++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(this.cancelled(signal));
      };
      const waiter: Waiter = {
        grant: () => {
          waiter.detach();
          resolve(this.releaser());
        },
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
      if (next) next.grant();
      else this.activeCount--;
    };
  }
}

/** Waits `ms`, rejecting with `cancelled(signal)` as soon as `signal` fires. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, cancelled: CancelledError): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `: <why>` when a signal was aborted with a reason worth telling (not a plain abort), else ''. */
export function abortDetail(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
}
