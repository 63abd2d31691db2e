// CachedRetriever over an in-memory cache and a controllable inner retriever: hits report
// {cached, 0 attempts}, failures are not stored, identical concurrent misses share one inner
// retrieval, and one caller cancelling does not cancel the others.

import { describe, expect, it } from 'vitest';
import { CachedRetriever, MemoryRetrievalCache, RetrieveError, retrievalCacheKey } from '../../../core/retrieve/index.ts';
import type { RetrievedPassage, RetrieveInfo, RetrieveOptions, RetrieveRequest, Retriever } from '../../../core/retrieve/index.ts';

/** An inner retriever whose answers the test releases by hand. */
class HeldRetriever implements Retriever {
  readonly id = 'fake:held';
  readonly backend = 'fake';
  readonly calls: Array<{ request: RetrieveRequest; signal: AbortSignal | undefined; resolve: (p: RetrievedPassage[]) => void; reject: (e: unknown) => void }> = [];

  retrieve(request: RetrieveRequest, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        request,
        signal: options.signal,
        resolve: (passages) => {
          options.onRetrieveInfo?.({ cached: false, attempts: 2, latencyMs: 5 });
          resolve(passages);
        },
        reject,
      });
      options.signal?.addEventListener('abort', () => reject(new RetrieveError('cancelled', 'inner cancelled')), { once: true });
    });
  }
}

const passages = (query: string): RetrievedPassage[] => [{ id: '1', title: 'T', text: `about ${query}`, score: 3 }];

describe('CachedRetriever', () => {
  it('misses once, stores the answer under the inner id, then hits with cached info', async () => {
    const inner = new HeldRetriever();
    const cache = new MemoryRetrievalCache();
    const cached = new CachedRetriever(inner, cache);
    expect(cached.id).toBe('fake:held');
    expect(cached.backend).toBe('fake');

    const infos: RetrieveInfo[] = [];
    const first = cached.retrieve({ query: 'q', k: 2 }, { onRetrieveInfo: (i) => infos.push(i) });
    inner.calls[0]!.resolve(passages('q'));
    expect(await first).toEqual(passages('q'));
    expect(cache.get(retrievalCacheKey('fake:held', { query: 'q', k: 2 }))).toEqual(passages('q'));

    const second = await cached.retrieve({ query: 'q', k: 2 }, { onRetrieveInfo: (i) => infos.push(i) });
    expect(second).toEqual(passages('q'));
    expect(inner.calls).toHaveLength(1);
    expect(infos).toEqual([
      { cached: false, attempts: 2, latencyMs: 5 },
      { cached: true, attempts: 0, latencyMs: 0 },
    ]);
    expect(cached.stats).toEqual({ hits: 1, misses: 1, shared: 0 });
  });

  it('treats another k as another search', async () => {
    const inner = new HeldRetriever();
    const cached = new CachedRetriever(inner, new MemoryRetrievalCache());
    const a = cached.retrieve({ query: 'q', k: 2 });
    const b = cached.retrieve({ query: 'q', k: 3 });
    expect(inner.calls.map((c) => c.request.k)).toEqual([2, 3]);
    inner.calls.forEach((c) => c.resolve(passages('q')));
    await Promise.all([a, b]);
    expect(cached.stats).toEqual({ hits: 0, misses: 2, shared: 0 });
  });

  it('shares one inner retrieval among identical concurrent misses; only the starter hears its info', async () => {
    const inner = new HeldRetriever();
    const cached = new CachedRetriever(inner, new MemoryRetrievalCache());
    const infos: string[] = [];
    const runs = [0, 1, 2].map((i) => cached.retrieve({ query: 'same', k: 3 }, { onRetrieveInfo: (info) => infos.push(`${i}:${info.cached}`) }));
    expect(inner.calls).toHaveLength(1);
    inner.calls[0]!.resolve(passages('same'));
    const results = await Promise.all(runs);
    for (const r of results) expect(r).toEqual(passages('same'));
    results[0]![0]!.text = 'changed by one caller';
    expect(results[1]![0]!.text).toBe('about same');
    expect(infos.sort()).toEqual(['0:false', '1:true', '2:true']);
    expect(cached.stats).toEqual({ hits: 0, misses: 1, shared: 2 });
  });

  it('does not store a failure: every waiter sees it and the next call asks again', async () => {
    const inner = new HeldRetriever();
    const cache = new MemoryRetrievalCache();
    const cached = new CachedRetriever(inner, cache);
    const a = cached.retrieve({ query: 'q', k: 1 });
    const b = cached.retrieve({ query: 'q', k: 1 });
    inner.calls[0]!.reject(new RetrieveError('http', 'HTTP 503 from the server', { status: 503, attempts: 5 }));
    await expect(a).rejects.toMatchObject({ kind: 'http', attempts: 5 });
    await expect(b).rejects.toMatchObject({ kind: 'http', attempts: 5 });
    expect(cache.size).toBe(0);

    const again = cached.retrieve({ query: 'q', k: 1 });
    expect(inner.calls).toHaveLength(2);
    inner.calls[1]!.resolve(passages('q'));
    expect(await again).toEqual(passages('q'));
    expect(cache.size).toBe(1);
  });

  it('a caller that cancels leaves the shared retrieval running for the others', async () => {
    const inner = new HeldRetriever();
    const cached = new CachedRetriever(inner, new MemoryRetrievalCache());
    const controller = new AbortController();
    const leaving = cached.retrieve({ query: 'q', k: 1 }, { signal: controller.signal });
    const staying = cached.retrieve({ query: 'q', k: 1 });
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ kind: 'cancelled' });
    expect(inner.calls[0]!.signal!.aborted).toBe(false);
    inner.calls[0]!.resolve(passages('q'));
    expect(await staying).toEqual(passages('q'));
  });

  it('aborts the inner retrieval when every caller has cancelled, and starts afresh next time', async () => {
    const inner = new HeldRetriever();
    const cached = new CachedRetriever(inner, new MemoryRetrievalCache());
    const controllers = [new AbortController(), new AbortController()];
    const runs = controllers.map((c) => cached.retrieve({ query: 'q', k: 1 }, { signal: c.signal }));
    controllers.forEach((c) => c.abort());
    for (const r of runs) await expect(r).rejects.toMatchObject({ kind: 'cancelled' });
    expect(inner.calls[0]!.signal!.aborted).toBe(true);

    const fresh = cached.retrieve({ query: 'q', k: 1 });
    expect(inner.calls).toHaveLength(2);
    inner.calls[1]!.resolve(passages('q'));
    expect(await fresh).toEqual(passages('q'));
  });

  it('refuses at once when the signal has already fired', async () => {
    const inner = new HeldRetriever();
    const cached = new CachedRetriever(inner, new MemoryRetrievalCache());
    await expect(cached.retrieve({ query: 'q', k: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(inner.calls).toHaveLength(0);
  });
});
