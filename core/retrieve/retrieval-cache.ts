// A cache of retrieval results keyed by the retriever's identity, the query and k: the same
// search against the same index or server is answered once per workspace. Implemented over
// SQLite in core/store (SqliteRetrievalCache); an in-memory one for tests.

import { createHash } from 'node:crypto';
import type { RetrievedPassage } from '../contract/views/program.ts';
import type { RetrieveRequest } from './retriever.ts';

export interface RetrievalCache {
  get(key: string): RetrievedPassage[] | undefined;
  /** Stores the passages of a successful retrieval. */
  set(key: string, passages: readonly RetrievedPassage[]): void;
}

/** sha256 over a canonical JSON (fixed field order) of everything that shapes the answer. */
export function retrievalCacheKey(retrieverId: string, request: RetrieveRequest): string {
  const canonical = JSON.stringify({ retriever: retrieverId, query: request.query, k: request.k });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Passages copied field by field, so a caller changing what it got cannot change the cache. */
export function copyPassages(passages: readonly RetrievedPassage[]): RetrievedPassage[] {
  return passages.map((p) => ({ id: p.id, title: p.title, text: p.text, score: p.score }));
}

export class MemoryRetrievalCache implements RetrievalCache {
  private readonly entries = new Map<string, RetrievedPassage[]>();
  get(key: string): RetrievedPassage[] | undefined {
    const hit = this.entries.get(key);
    return hit && copyPassages(hit);
  }
  set(key: string, passages: readonly RetrievedPassage[]): void {
    this.entries.set(key, copyPassages(passages));
  }
  get size(): number {
    return this.entries.size;
  }
}
