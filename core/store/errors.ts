// The one error type the store throws for problems a caller can act on: a file that is not a
// Tandem database, a database written by a newer Tandem, a missing row, a bad value.

export type StoreErrorCode =
  | 'not-a-database'
  | 'foreign-database'
  | 'newer-schema'
  | 'open-failed'
  | 'disk-full'
  | 'read-only'
  | 'write-failed'
  | 'not-found'
  | 'invalid-value'
  | 'invalid-cursor';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throws `not-found` unless a write touched a row. */
export function expectChanged(changes: number, what: string): void {
  if (changes === 0) throw new StoreError('not-found', `${what} does not exist`);
}

/** Where a storage failure happened, for its message: the database file and the run being written. */
export interface StorageContext {
  file?: string;
  runId?: number | null;
}

/**
 * A SQLite failure the user can act on — a full disk, a file-size limit, a read-only file, a
 * damaged file, a lock held too long — as a one-line StoreError; null for anything else (a bug).
 */
export function storageErrorOf(error: unknown, context: StorageContext = {}): StoreError | null {
  if (error instanceof StoreError) return error;
  if (!(error instanceof Error) || error.name !== 'SqliteError') return null;
  const code = String((error as { code?: unknown }).code ?? '');
  const db = context.file ? `database ${context.file}` : 'the database';
  const sqlite = `SQLite: ${error.message}, ${code}`;
  const resume = context.runId != null ? `; run ${context.runId} keeps everything finished so far: resume it (\`tandem resume ${context.runId}\`)` : '';
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_TRUNCATE' || code === 'SQLITE_IOERR_SHMSIZE') {
    return new StoreError('disk-full', `the disk is full, or a file-size limit was reached, writing ${db} (${sqlite}): free some space${resume || ', then try again'}`, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return new StoreError('read-only', `${db} cannot be written (${sqlite}): make the file and its folder writable${resume || ', then try again'}`, { cause: error });
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError('write-failed', `reading or writing ${db} failed (${sqlite}): check the disk${resume || ', then try again'}`, { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError('not-a-database', `${db} is damaged (${sqlite}). Restore it from a backup, or move it away to start a fresh one.`, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new StoreError('open-failed', `${db} stayed locked by another process for too long (${sqlite}); try again when it is done`, { cause: error });
  }
  return null;
}
