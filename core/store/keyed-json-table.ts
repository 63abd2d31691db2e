// A key → JSON text table with a creation time (lm_cache, retrieval_cache): the statements both
// caches share. Each cache reads its values back its own way and treats what it cannot read as a miss.

import type { Db } from './database.ts';

export class KeyedJsonTable {
  private readonly getStmt;
  private readonly setStmt;
  private readonly countStmt;

  /** `table` and `column` are fixed names from the caller's code, never user input. */
  constructor(db: Db, table: 'lm_cache' | 'retrieval_cache', column: 'response' | 'passages', now: () => number) {
    this.getStmt = db.prepare<[string], string>(`SELECT ${column} FROM ${table} WHERE key = ?`).pluck();
    const set = db.prepare<[string, string, number]>(
      `INSERT INTO ${table} (key, ${column}, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET ${column} = excluded.${column}, created_at = excluded.created_at`,
    );
    this.setStmt = (key: string, text: string) => set.run(key, text, now());
    this.countStmt = db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck();
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key);
  }

  set(key: string, text: string): void {
    this.setStmt(key, text);
  }

  count(): number {
    return this.countStmt.get() ?? 0;
  }
}
