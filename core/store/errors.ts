// The one error type the store throws for problems a caller can act on: a file that is not a
// Tandem database, a database written by a newer Tandem, a missing row, a bad value.

export type StoreErrorCode =
  | 'not-a-database'
  | 'foreign-database'
  | 'newer-schema'
  | 'open-failed'
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
