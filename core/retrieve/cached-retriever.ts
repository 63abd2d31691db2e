// A retriever that answers repeated searches from a RetrievalCache (keyed by the inner
// retriever's id, the query and k). Only successes are stored. Concurrent identical misses share
// one inner retrieval: the caller that started it hears the inner RetrieveInfo, those that joined
// are told it was cached. A shared retrieval is aborted only when every caller waiting on it has
// cancelled.

import type { RetrievedPassage } from '../contract/views/program.ts';
import { cancelledError } from './concurrency.ts';
import { copyPassages, retrievalCacheKey, type RetrievalCache } from './retrieval-cache.ts';
import type { RetrieveInfo, RetrieveOptions, RetrieveRequest, Retriever } from './retriever.ts';

export interface RetrievalCacheStats {
  hits: number;
  misses: number;
  /** Misses that joined an identical retrieval already in flight. */
  shared: number;
}

interface InFlight {
  promise: Promise<RetrievedPassage[]>;
  controller: AbortController;
  /** Callers still waiting. */
  waiting: number;
  /** How the inner retriever served it, for the caller that started it. */
  info: RetrieveInfo | undefined;
}

const CACHE_HIT: RetrieveInfo = Object.freeze({ cached: true, attempts: 0, latencyMs: 0 });

export class CachedRetriever implements Retriever {
  readonly id: string;
  readonly backend: string;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly counters: RetrievalCacheStats = { hits: 0, misses: 0, shared: 0 };

  constructor(
    readonly inner: Retriever,
    readonly cache: RetrievalCache,
  ) {
    this.id = inner.id;
    this.backend = inner.backend;
  }

  get stats(): RetrievalCacheStats {
    return { ...this.counters };
  }

  async retrieve(request: RetrieveRequest, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    const { signal, onRetrieveInfo } = options;
    if (signal?.aborted) throw cancelledError(signal);
    const key = retrievalCacheKey(this.inner.id, request);
    const hit = this.cache.get(key);
    if (hit) {
      this.counters.hits++;
      onRetrieveInfo?.(CACHE_HIT);
      return hit;
    }
    const running = this.inFlight.get(key);
    if (running && !running.controller.signal.aborted) {
      this.counters.shared++;
      const passages = copyPassages(await this.wait(running, signal));
      onRetrieveInfo?.(CACHE_HIT);
      return passages;
    }
    this.counters.misses++;
    const entry = this.start(key, request);
    const passages = copyPassages(await this.wait(entry, signal));
    if (entry.info) onRetrieveInfo?.(entry.info);
    return passages;
  }

  private start(key: string, request: RetrieveRequest): InFlight {
    const controller = new AbortController();
    let info: RetrieveInfo | undefined;
    const promise = this.inner
      .retrieve({ query: request.query, k: request.k }, { signal: controller.signal, onRetrieveInfo: (reported) => (info = reported) })
      .then((passages) => {
        entry.info = info;
        this.cache.set(key, passages);
        return passages;
      });
    const entry: InFlight = { promise, controller, waiting: 0, info: undefined };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    return entry;
  }

  /** Waits for a shared retrieval; this caller's signal rejects this caller only. */
  private wait(entry: InFlight, signal: AbortSignal | undefined): Promise<RetrievedPassage[]> {
    entry.waiting++;
    return new Promise<RetrievedPassage[]>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        settled = true;
        entry.waiting--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        leave();
        if (entry.waiting === 0) entry.controller.abort(signal?.reason);
        reject(cancelledError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (passages) => {
          if (settled) return;
          leave();
          resolve(passages);
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
