// JSON columns: written with JSON.stringify, read back into typed objects. Reading a column that
// holds something other than JSON (hand-edited database) is reported with the column's name.

import { StoreError } from './errors.ts';

/** A JSON object as stored in config-like columns; its shape belongs to the caller. */
export type JsonObject = Record<string, unknown>;

export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new StoreError('invalid-value', `${what} cannot be stored as JSON: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined) throw new StoreError('invalid-value', `${what} cannot be stored as JSON (got ${typeof value})`);
  return text;
}

export function toJsonOrNull(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : toJson(value, what);
}

export function fromJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new StoreError('invalid-value', `${what} holds invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export function fromJsonOrNull<T>(text: string | null, what: string): T | null {
  return text === null ? null : fromJson<T>(text, what);
}

/** Rejects NaN and infinities, which SQLite would silently turn into NULL. */
export function finite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError('invalid-value', `${what} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Reads a JSON column for display, where unreadable JSON (hand-edited database) shows as null instead of failing the page. */
export function fromJsonForDisplay<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
