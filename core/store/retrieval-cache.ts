// The retrieval result cache over the retrieval_cache table (migration 8): a RetrievalCache
// (core/retrieve) that survives restarts, so a resumed or repeated run searches each query once.

import type { RetrievedPassage } from '../contract/views/program.ts';
import type { RetrievalCache } from '../retrieve/retrieval-cache.ts';
import type { Db } from './database.ts';
import { toJson } from './json.ts';

export class SqliteRetrievalCache implements RetrievalCache {
  private readonly getStmt;
  private readonly setStmt;
  private readonly countStmt;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.getStmt = db.prepare<[string], string>('SELECT passages FROM retrieval_cache WHERE key = ?').pluck();
    this.setStmt = db.prepare<[string, string, number]>(
      'INSERT INTO retrieval_cache (key, passages, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET passages = excluded.passages, created_at = excluded.created_at',
    );
    this.countStmt = db.prepare<[], number>('SELECT count(*) FROM retrieval_cache').pluck();
  }

  /** A stored entry that cannot be read (hand-edited, truncated) counts as a miss. */
  get(key: string): RetrievedPassage[] | undefined {
    const text = this.getStmt.get(key);
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    return Array.isArray(value) && value.every(isPassage) ? value : undefined;
  }

  set(key: string, passages: readonly RetrievedPassage[]): void {
    const rows = passages.map(({ id, title, text, score }) => ({ id, title, text, score }));
    this.setStmt.run(key, toJson(rows, 'cached retrieval passages'), this.now());
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }
}

function isPassage(value: unknown): value is RetrievedPassage {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.id === 'string' && typeof p.title === 'string' && typeof p.text === 'string' && typeof p.score === 'number';
}
