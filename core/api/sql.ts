// The API's own connection to the workspace database, for the few reads and writes the store's
// repositories do not offer (paging example results with search and keyset cursors, the example
// result behind a trace, deleting an experiment with everything under it). It is a second
// connection to the same file: WAL lets it read while the runner writes, and it turns foreign
// keys on so a delete cascades like the schema says.

import Database from 'better-sqlite3';
import { ApiError } from './errors.ts';

/** How long a statement waits for the runner's write lock. */
const BUSY_TIMEOUT_MS = 5000;

export type SqlValue = string | number | null;

export class ApiDatabase {
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement<SqlValue[], unknown>>();

  constructor(private readonly file: string) {}

  /** The connection, opened on first use. */
  connection(): Database.Database {
    if (this.db) return this.db;
    if (this.file === ':memory:') {
      throw new ApiError('internal', 'this query needs the workspace database on disk; the API was given an in-memory store');
    }
    let db: Database.Database;
    try {
      db = new Database(this.file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new ApiError('database', `cannot open database ${this.file} for queries: ${(error as Error).message}`, { cause: error });
    }
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    this.db = db;
    return db;
  }

  /** A cached prepared statement. */
  statement(sql: string): Database.Statement<SqlValue[], unknown> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.connection().prepare<SqlValue[], unknown>(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: SqlValue[]): number {
    return this.statement(sql).run(...params).changes;
  }

  transaction<T>(fn: () => T): T {
    return this.connection().transaction(fn)();
  }

  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }
}
