// A language model that answers repeated requests from a ResponseCache. The key covers the inner
// model's identity and the whole request (see cacheKey). Only successes are stored. Concurrent
// identical misses share one call to the inner model; the one that started it pays for it and
// hears the inner model's CallInfo, the others are told the answer was cached (so token totals
// are not counted twice).

import { cancelledError } from './concurrency.ts';
import type { CallInfo, ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';
import { cacheKey, type CachedResponse, type ResponseCache } from './response-cache.ts';

interface InFlight {
  promise: Promise<ChatResponse>;
  controller: AbortController;
  /** Callers still waiting; when every one of them has cancelled, the shared call is aborted. */
  waiting: number;
  /** How the inner model served the call, for the caller that started it (if it is still waiting). */
  info: CallInfo | undefined;
}

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
  private readonly inFlight = new Map<string, InFlight>();
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
    const running = this.inFlight.get(key);
    if (running && !running.controller.signal.aborted) {
      this.counters.shared++;
      const response = fromResponse(await this.wait(running, signal));
      onCallInfo?.(CACHE_HIT);
      return response;
    }
    this.counters.misses++;
    const entry = this.start(key, request);
    const response = await this.wait(entry, signal);
    if (entry.info) onCallInfo?.(entry.info);
    return response;
  }

  private start(key: string, request: ChatRequest): InFlight {
    const controller = new AbortController();
    let info: CallInfo | undefined;
    const promise = this.inner.generate(request, { signal: controller.signal, onCallInfo: (reported) => (info = reported) }).then(
      (response) => {
        entry.info = info;
        this.cache.set(key, {
          text: response.text,
          model: response.response.modelId,
          finishReason: response.finishReason,
          usage: { ...response.usage },
        });
        return response;
      },
    );
    const entry: InFlight = { promise, controller, waiting: 0, info: undefined };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    return entry;
  }

  /** Waits for a shared call; this caller's signal rejects this caller only. */
  private wait(entry: InFlight, signal: AbortSignal | undefined): Promise<ChatResponse> {
    entry.waiting++;
    if (!signal) {
      return entry.promise.finally(() => {
        entry.waiting--;
      });
    }
    return new Promise<ChatResponse>((resolve, reject) => {
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
        reject(cancelledError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (response) => {
          if (settled) return;
          leave();
          resolve(response);
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

const CACHE_HIT: CallInfo = Object.freeze({ cached: true, attempts: 0, latencyMs: 0 });

/** A stored answer as a response. */
function fromCache(entry: CachedResponse): ChatResponse {
  return { text: entry.text, finishReason: entry.finishReason, usage: { ...entry.usage }, response: { modelId: entry.model } };
}

/** A copy of a shared call's answer for one of the callers that joined it. */
function fromResponse(response: ChatResponse): ChatResponse {
  return { text: response.text, finishReason: response.finishReason, usage: { ...response.usage }, response: { modelId: response.response.modelId } };
}
