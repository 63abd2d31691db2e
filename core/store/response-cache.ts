// The LM response cache over the lm_cache table: a ResponseCache (core/lm) that survives
// restarts and is shared by every process that opens the workspace.

import type { CachedResponse, ResponseCache } from '../lm/response-cache.ts';
import type { Db } from './database.ts';
import { toJson } from './json.ts';

export class SqliteResponseCache implements ResponseCache {
  private readonly getStmt;
  private readonly setStmt;
  private readonly countStmt;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    this.getStmt = db.prepare<[string], string>('SELECT response FROM lm_cache WHERE key = ?').pluck();
    this.setStmt = db.prepare<[string, string, number]>(
      'INSERT INTO lm_cache (key, response, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET response = excluded.response, created_at = excluded.created_at',
    );
    this.countStmt = db.prepare<[], number>('SELECT count(*) FROM lm_cache').pluck();
  }

  /** A stored entry that cannot be read (hand-edited, truncated) counts as a miss. */
  get(key: string): CachedResponse | undefined {
    const text = this.getStmt.get(key);
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
    this.setStmt.run(key, toJson({ text, model, finishReason, usage }, 'cached LM response'), this.now());
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }
}
