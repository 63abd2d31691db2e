// A retriever that answers repeated searches from a RetrievalCache (keyed by the inner
// retriever's id, the query and k). Only successes are stored. Concurrent identical misses share
// one inner retrieval: the caller that started it hears the inner RetrieveInfo, those that joined
// are told it was cached. A shared retrieval is aborted only when every caller waiting on it has
// cancelled.

import type { RetrievedPassage } from '../contract/views/program.ts';
import { SharedCalls } from '../util/shared-calls.ts';
import { cancelledError } from './concurrency.ts';
import { copyPassages, retrievalCacheKey, type RetrievalCache } from './retrieval-cache.ts';
import type { RetrieveInfo, RetrieveOptions, RetrieveRequest, Retriever } from './retriever.ts';

export interface RetrievalCacheStats {
  hits: number;
  misses: number;
  /** Misses that joined an identical retrieval already in flight. */
  shared: number;
}

const CACHE_HIT: RetrieveInfo = Object.freeze({ cached: true, attempts: 0, latencyMs: 0 });

export class CachedRetriever implements Retriever {
  readonly id: string;
  readonly backend: string;
  private readonly shared = new SharedCalls<RetrievedPassage[], RetrieveInfo>((signal) => cancelledError(signal));
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
    const joined = this.shared.joinable(key);
    if (joined) this.counters.shared++;
    else this.counters.misses++;
    const { value, info } = await this.shared.run(
      key,
      (shared, report) =>
        this.inner.retrieve({ query: request.query, k: request.k }, { signal: shared, onRetrieveInfo: report }).then((passages) => {
          this.cache.set(key, passages);
          return passages;
        }),
      signal,
    );
    const served = joined ? CACHE_HIT : info;
    if (served) onRetrieveInfo?.(served);
    return copyPassages(value);
  }
}
