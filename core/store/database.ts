// Opening the SQLite file: creates its folder, switches to WAL, turns foreign keys on and sets a
// busy timeout, and turns SQLite's terse open errors into ones that say which file and what to do.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';

export type Db = Database.Database;

/** How long a writer waits for another connection's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /**
   * Checks the file before anything is written to it (the switch to WAL rewrites the header):
   * a file that must be left alone is refused here, untouched.
   */
  verify?: (db: Db) => void;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const memory = file === ':memory:';
  if (!memory) {
    try {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (err) {
      throw new StoreError('open-failed', `cannot create the folder for database ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  let db: Db;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw describeOpenError(file, err);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reading the header is where SQLite notices a file that is not a database or is damaged.
    options.verify?.(db);
    // Only takes effect on a new, empty file: LM call bodies of a few KB pack better in 8 KB pages.
    db.pragma('page_size = 8192');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (!memory && mode !== 'wal') {
      throw new StoreError('open-failed', `database ${file} could not be switched to WAL mode (it reports "${String(mode)}"); put it on a local disk that supports shared memory`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -32000'); // 32 MB page cache per connection
    db.pragma('temp_store = MEMORY');
  } catch (err) {
    db.close();
    throw describeOpenError(file, err);
  }
  return db;
}

function describeOpenError(file: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = (err as Error).message;
  if (code === 'SQLITE_NOTADB') {
    return new StoreError(
      'not-a-database',
      `${file} is not a SQLite database (SQLite says: ${detail}). Tandem keeps its data in a SQLite file: ` +
        'point it at another path (a new path creates a fresh database) or move this file away.',
      { cause: err },
    );
  }
  if (code === 'SQLITE_CORRUPT') {
    return new StoreError(
      'not-a-database',
      `database ${file} is damaged (SQLite says: ${detail}). Restore it from a backup, or move it away to start a fresh one.`,
      { cause: err },
    );
  }
  return new StoreError(
    'open-failed',
    `cannot open database ${file} (${detail}). Check that the path names a file, not a folder, and that you may write to it.`,
    { cause: err },
  );
}
