// Identical calls in flight share one: the first caller with a key starts the call, later callers
// with the same key wait on it. Each caller's signal rejects that caller only; the call itself is
// aborted when every caller waiting on it has cancelled. The caller that started a call hears
// how it was served (`info`); those that joined are told they joined. Used by the LM response
// cache and the retrieval cache.

import type { CancelledError } from './limiter.ts';

interface InFlight<T, I> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers still waiting. */
  waiting: number;
  /** How the call was served, reported by it on success. */
  info: I | undefined;
}

export interface SharedResult<T, I> {
  value: T;
  /** True when this caller joined a call another caller started. */
  joined: boolean;
  /** How the call was served, for the caller that started it (undefined for those that joined). */
  info: I | undefined;
}

/** The call to share: it gets the shared signal and reports how it was served. */
export type SharedCall<T, I> = (signal: AbortSignal, report: (info: I) => void) => Promise<T>;

export class SharedCalls<T, I> {
  private readonly inFlight = new Map<string, InFlight<T, I>>();

  constructor(private readonly cancelled: CancelledError) {}

  /** Whether a call with this key is in flight and can be joined (run would join it). */
  joinable(key: string): boolean {
    const running = this.inFlight.get(key);
    return running !== undefined && !running.controller.signal.aborted;
  }

  async run(key: string, call: SharedCall<T, I>, signal?: AbortSignal): Promise<SharedResult<T, I>> {
    const running = this.inFlight.get(key);
    if (running && this.joinable(key)) return { value: await this.wait(running, signal), joined: true, info: undefined };
    const entry = this.start(key, call);
    const value = await this.wait(entry, signal);
    return { value, joined: false, info: entry.info };
  }

  private start(key: string, call: SharedCall<T, I>): InFlight<T, I> {
    const controller = new AbortController();
    let info: I | undefined;
    const promise = call(controller.signal, (reported) => (info = reported)).then((value) => {
      entry.info = info;
      return value;
    });
    const entry: InFlight<T, I> = { promise, controller, waiting: 0, info: undefined };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    return entry;
  }

  private wait(entry: InFlight<T, I>, signal: AbortSignal | undefined): Promise<T> {
    entry.waiting++;
    if (!signal) {
      return entry.promise.finally(() => {
        entry.waiting--;
      });
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        settled = true;
        entry.waiting--;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        leave();
        if (entry.waiting === 0) entry.controller.abort(signal.reason);
        reject(this.cancelled(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          if (settled) return;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          leave();
          reject(error);
        },
      );
    });
  }
}
