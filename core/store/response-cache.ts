// The LM response cache over the lm_cache table: a ResponseCache (core/lm) that survives
// restarts and is shared by every process that opens the workspace.

import type { CachedResponse, ResponseCache } from '../lm/response-cache.ts';
import type { Db } from './database.ts';
import { toJson } from './json.ts';
import { KeyedJsonTable } from './keyed-json-table.ts';

export class SqliteResponseCache implements ResponseCache {
  private readonly table: KeyedJsonTable;

  constructor(db: Db, now: () => number) {
    this.table = new KeyedJsonTable(db, 'lm_cache', 'response', now);
  }

  /** A stored entry that cannot be read (hand-edited, truncated) counts as a miss. */
  get(key: string): CachedResponse | undefined {
    const text = this.table.get(key);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as CachedResponse;
      return typeof value === 'object' && value !== null && typeof value.text === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, response: CachedResponse): void {
    const { text, model, finishReason, usage } = response;
    this.table.set(key, toJson({ text, model, finishReason, usage }, 'cached LM response'));
  }

  count(): number {
    return this.table.count();
  }
}
