// The retrieval cache key (what makes two searches the same one) and the in-memory cache.

import { describe, expect, it } from 'vitest';
import { MemoryRetrievalCache, retrievalCacheKey } from '../../../core/retrieve/index.ts';

describe('retrievalCacheKey', () => {
  const base = retrievalCacheKey('bm25:wiki', { query: 'capital of Elsmark', k: 3 });

  it('is a sha256 hex digest, the same for the same retriever, query and k', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(retrievalCacheKey('bm25:wiki', { query: 'capital of Elsmark', k: 3 })).toBe(base);
  });

  it('differs when the retriever, the query or k differs', () => {
    const others = [
      retrievalCacheKey('bm25:wiki2', { query: 'capital of Elsmark', k: 3 }),
      retrievalCacheKey('colbert:http://127.0.0.1:8893/api/search', { query: 'capital of Elsmark', k: 3 }),
      retrievalCacheKey('bm25:wiki', { query: 'capital of elsmark', k: 3 }),
      retrievalCacheKey('bm25:wiki', { query: 'capital of Elsmark ', k: 3 }),
      retrievalCacheKey('bm25:wiki', { query: 'capital of Elsmark', k: 4 }),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
  });

  it('keeps fields apart: an id ending in the query is not the same search', () => {
    expect(retrievalCacheKey('a', { query: 'bc', k: 1 })).not.toBe(retrievalCacheKey('ab', { query: 'c', k: 1 }));
  });

  it('ignores anything beyond query and k on the request', () => {
    const withExtra = { query: 'capital of Elsmark', k: 3, module: 'retrieve' } as { query: string; k: number };
    expect(retrievalCacheKey('bm25:wiki', withExtra)).toBe(base);
  });
});

describe('MemoryRetrievalCache', () => {
  it('returns copies, so a caller changing its passages leaves the cache as it was', () => {
    const cache = new MemoryRetrievalCache();
    const stored = [{ id: '1', title: 'T', text: 'x', score: 2 }];
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', stored);
    stored[0]!.text = 'changed after set';
    const first = cache.get('k')!;
    first[0]!.title = 'changed after get';
    expect(cache.get('k')).toEqual([{ id: '1', title: 'T', text: 'x', score: 2 }]);
    expect(cache.size).toBe(1);
  });
});
