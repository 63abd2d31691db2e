// How a CLI command that reads (or exports from) a workspace opens its API: the database must
// exist, and an API error a user can fix (a missing run, a bad argument) becomes one line.

import { existsSync } from 'node:fs';
import { createApi, isApiError, type Api } from '../api/index.ts';
import { resolveDbPath } from './options.ts';
import { UsageError } from './user-error.ts';

/** Rethrows an API error a user can fix as a UsageError (one line, no stack). */
export function asUserError(error: unknown): never {
  throw isApiError(error) && error.code !== 'internal' ? new UsageError(error.message) : error;
}

/** Opens the workspace's API for `body` and closes it after, whatever happens. */
export async function withWorkspaceApi<T>(db: string | undefined, body: (api: Api, file: string) => Promise<T>): Promise<T> {
  const file = resolveDbPath(db);
  if (!existsSync(file)) throw new UsageError(`no database at ${file}; pass --db`);
  const api = createApi({ dbPath: file, embeddedModelsDir: null });
  try {
    return await body(api, file).catch(asUserError);
  } finally {
    await api.close();
  }
}
