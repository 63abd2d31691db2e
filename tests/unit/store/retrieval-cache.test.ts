// SqliteRetrievalCache on a real SQLite file: miss, hit, overwrite, a reopen, only the passage
// fields stored, and an unreadable entry read as a miss.

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retrievalCacheKey } from '../../../core/retrieve/retrieval-cache.ts';
import { openDatabase } from '../../../core/store/database.ts';
import { migrate } from '../../../core/store/migrate.ts';
import { SqliteRetrievalCache } from '../../../core/store/retrieval-cache.ts';
import { tempDir } from './helpers.ts';

const passages = (text: string) => [
  { id: '4021', title: 'Quenby', text, score: 21.5 },
  { id: '77', title: '', text: 'Elsmark is a small country.', score: -1.25 },
];

describe('SqliteRetrievalCache (retrieval_cache)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  function open(file: string) {
    const db = openDatabase(file);
    migrate(db, file);
    return { db, cache: new SqliteRetrievalCache(db, () => 1_700_000_000_123) };
  }

  it('misses, hits, overwrites, and keeps entries across a reopen', () => {
    const file = path.join(dir, 'w.db');
    const key = retrievalCacheKey('bm25:wiki', { query: 'capital of Elsmark', k: 2 });
    const first = open(file);
    expect(first.cache.get(key)).toBeUndefined();
    first.cache.set(key, passages('Quenby is the capital.'));
    expect(first.cache.get(key)).toEqual(passages('Quenby is the capital.'));
    first.cache.set(key, passages('Quenby is still the capital.'));
    expect(first.cache.count()).toBe(1);
    first.db.close();

    const second = open(file);
    expect(second.cache.get(key)).toEqual(passages('Quenby is still the capital.'));
    second.db.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT created_at FROM retrieval_cache').pluck().get()).toBe(1_700_000_000_123);
    raw.close();
  });

  it('stores an empty result as a hit, and only the passage fields', () => {
    const { db, cache } = open(path.join(dir, 'w.db'));
    cache.set('none', []);
    expect(cache.get('none')).toEqual([]);
    cache.set('extra', [{ ...passages('x')[0]!, rank: 1, long_text: 'y' } as ReturnType<typeof passages>[number]]);
    expect(cache.get('extra')).toEqual([passages('x')[0]]);
    db.close();
  });

  it.each([['not json'], ['{"id": "1"}'], ['[{"id": 1, "title": "", "text": "x", "score": 1}]'], ['[{"id": "1", "title": "", "text": "x"}]']])(
    'reads an unreadable entry %j as a miss',
    (stored) => {
      const file = path.join(dir, 'w.db');
      open(file).db.close();
      const raw = new Database(file);
      raw.prepare('INSERT INTO retrieval_cache (key, passages, created_at) VALUES (?, ?, 0)').run('k', stored);
      raw.close();
      const { db, cache } = open(file);
      expect(cache.get('k')).toBeUndefined();
      db.close();
    },
  );
});
