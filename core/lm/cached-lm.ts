// A language model that answers repeated requests from a ResponseCache. The key covers the inner
// model's identity and the whole request (see cacheKey). Only successes are stored. Concurrent
// identical misses share one call to the inner model; the one that started it pays for it and
// hears the inner model's CallInfo, the others are told the answer was cached (so token totals
// are not counted twice).

import { SharedCalls } from '../util/shared-calls.ts';
import { cancelledError } from './concurrency.ts';
import type { CallInfo, ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';
import { cacheKey, type CachedResponse, type ResponseCache } from './response-cache.ts';

export interface CacheStats {
  hits: number;
  misses: number;
  /** Misses that joined an identical call already in flight. */
  shared: number;
}

export class CachedLM implements LanguageModel {
  readonly id: string;
  readonly model: string;
  readonly inner: LanguageModel;
  readonly cache: ResponseCache;
  private readonly shared = new SharedCalls<ChatResponse, CallInfo>((signal) => cancelledError(signal));
  private readonly counters: CacheStats = { hits: 0, misses: 0, shared: 0 };

  constructor(inner: LanguageModel, cache: ResponseCache) {
    this.inner = inner;
    this.cache = cache;
    this.id = inner.id;
    this.model = inner.model;
  }

  get stats(): CacheStats {
    return { ...this.counters };
  }

  async generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    const { signal, onCallInfo } = options;
    if (signal?.aborted) throw cancelledError(signal);
    const key = cacheKey(this.inner.id, request);
    const hit = this.cache.get(key);
    if (hit) {
      this.counters.hits++;
      onCallInfo?.(CACHE_HIT);
      return fromCache(hit);
    }
    const joined = this.shared.joinable(key);
    if (joined) this.counters.shared++;
    else this.counters.misses++;
    const { value, info } = await this.shared.run(
      key,
      (shared, report) =>
        this.inner.generate(request, { signal: shared, onCallInfo: report }).then((response) => {
          this.cache.set(key, { text: response.text, model: response.response.modelId, finishReason: response.finishReason, usage: { ...response.usage } });
          return response;
        }),
      signal,
    );
    if (joined) {
      onCallInfo?.(CACHE_HIT);
      return fromResponse(value);
    }
    if (info) onCallInfo?.(info);
    return value;
  }
}

const CACHE_HIT: CallInfo = Object.freeze({ cached: true, attempts: 0, latencyMs: 0 });

/** A stored answer as a response. */
function fromCache(entry: CachedResponse): ChatResponse {
  return { text: entry.text, finishReason: entry.finishReason, usage: { ...entry.usage }, response: { modelId: entry.model } };
}

/** A copy of a shared call's answer for one of the callers that joined it. */
function fromResponse(response: ChatResponse): ChatResponse {
  return { text: response.text, finishReason: response.finishReason, usage: { ...response.usage }, response: { modelId: response.response.modelId } };
}
