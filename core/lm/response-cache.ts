// A response cache keyed by the whole request: model identity, messages, sampling parameters
// and rollout id. Implemented over SQLite in core/store; an in-memory one for tests.

import { createHash } from 'node:crypto';
import type { ChatRequest, ChatResponse } from './language-model.ts';

export interface CachedResponse {
  text: string;
  model: string;
  finishReason: string | null;
  usage: ChatResponse['usage'];
}

export interface ResponseCache {
  get(key: string): CachedResponse | undefined;
  set(key: string, response: CachedResponse): void;
}

/** Canonical cache key: sha256 over a JSON with sorted keys of everything that shapes the answer. */
export function cacheKey(modelId: string, request: ChatRequest): string {
  const canonical = {
    model: modelId,
    messages: request.messages.map((m) => [m.role, m.content]),
    temperature: request.temperature ?? null,
    topP: request.topP ?? null,
    maxTokens: request.maxTokens ?? null,
    stop: request.stop ?? null,
    seed: request.seed ?? null,
    rolloutId: request.rolloutId ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }
  set(key: string, response: CachedResponse): void {
    this.entries.set(key, response);
  }
  get size(): number {
    return this.entries.size;
  }
}
