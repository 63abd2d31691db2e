// Option parsers shared by commands: integers with bounds, numbers the experiment input checks,
// and the default database location.

import path from 'node:path';
import { InvalidArgumentError } from 'commander';

export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`}, got "${value}"`);
    }
    return n;
  };
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/**
 * A number for a field of the experiment input, whose schema checks its range (so the message is
 * the API's); text that is no number is passed on as text, for the schema to refuse as the API would.
 */
export function numeric(value: string): number | string {
  return NUMBER.test(value) ? Number(value) : value;
}

/** The workspace database: --db, else $TANDEM_DB, else ./.tandem/tandem.db. */
export function resolveDbPath(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.TANDEM_DB ?? path.join('.tandem', 'tandem.db'));
}
