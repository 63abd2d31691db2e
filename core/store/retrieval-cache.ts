// The retrieval result cache over the retrieval_cache table (migration 8): a RetrievalCache
// (core/retrieve) that survives restarts, so a resumed or repeated run searches each query once.

import type { RetrievedPassage } from '../contract/views/program.ts';
import type { RetrievalCache } from '../retrieve/retrieval-cache.ts';
import type { Db } from './database.ts';
import { toJson } from './json.ts';
import { KeyedJsonTable } from './keyed-json-table.ts';

export class SqliteRetrievalCache implements RetrievalCache {
  private readonly table: KeyedJsonTable;

  constructor(db: Db, now: () => number) {
    this.table = new KeyedJsonTable(db, 'retrieval_cache', 'passages', now);
  }

  /** A stored entry that cannot be read (hand-edited, truncated) counts as a miss. */
  get(key: string): RetrievedPassage[] | undefined {
    const text = this.table.get(key);
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
    this.table.set(key, toJson(rows, 'cached retrieval passages'));
  }

  count(): number {
    return this.table.count();
  }
}

function isPassage(value: unknown): value is RetrievedPassage {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.id === 'string' && typeof p.title === 'string' && typeof p.text === 'string' && typeof p.score === 'number';
}
