// Prepared statements for SQL that is built per query (filters, sorts, searches): each distinct
// text is prepared once per connection and reused.

import type Database from 'better-sqlite3';
import type { Db } from './database.ts';

export type SqlValue = string | number | null;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement<SqlValue[], unknown>>();

  constructor(private readonly db: Db) {}

  get(sql: string): Database.Statement<SqlValue[], unknown> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<SqlValue[], unknown>(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}
