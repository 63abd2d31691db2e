import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, type CachedResponse } from '../../../core/lm/response-cache.ts';
import { openStore } from '../../../core/store/index.ts';
import { tempDir } from './helpers.ts';

const response = (text: string): CachedResponse => ({ text, model: 'llama-3.2-1b-instruct', finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 } });

describe('store.cache (lm_cache)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('misses, then hits, then overwrites', () => {
    const store = openStore(path.join(dir, 'c.db'));
    const key = cacheKey('openai:m@http://x/v1', { messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    expect(store.cache.get(key)).toBeUndefined();
    store.cache.set(key, response('hello'));
    expect(store.cache.get(key)).toEqual(response('hello'));
    store.cache.set(key, response('hello again'));
    expect(store.cache.get(key)?.text).toBe('hello again');
    expect(store.cache.count()).toBe(1);
    store.close();
  });

  it('stores only the response fields and survives a reopen', () => {
    const file = path.join(dir, 'c.db');
    const first = openStore(file);
    first.cache.set('k', { ...response('kept'), extra: 'dropped' } as CachedResponse);
    first.close();
    const second = openStore(file);
    expect(second.cache.get('k')).toEqual(response('kept'));
    second.close();
  });

  it('treats an unreadable entry as a miss', () => {
    const file = path.join(dir, 'c.db');
    openStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO lm_cache (key, response, created_at) VALUES (?, ?, ?)').run('broken', '{"text": trunc', 0);
    db.close();
    const store = openStore(file);
    expect(store.cache.get('broken')).toBeUndefined();
    store.close();
  });

  it('is fast enough for every LM call to go through it', () => {
    const store = openStore(path.join(dir, 'c.db'));
    const t0 = performance.now();
    store.transaction(() => {
      for (let i = 0; i < 5000; i++) store.cache.set(`key-${i}`, response(`answer ${i}`));
    });
    for (let i = 0; i < 5000; i++) expect(store.cache.get(`key-${i}`)!.text).toBe(`answer ${i}`);
    expect(performance.now() - t0).toBeLessThan(5000);
    store.close();
  });
});
