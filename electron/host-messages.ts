// Messages between the Electron main process and the API host (a utilityProcess), over the
// host's parentPort:
//
//   host → main   { type: 'ready', dbPath }                the API is open on the workspace
//   host → main   { type: 'failed', failure }              it is not (see HostFailure)
//   host → main   { type: 'closed' }                       the API closed after 'close'
//   main → host   { type: 'connect' } + one MessagePort    serve the API on this port (replaces the last)
//   main → host   { type: 'close' }                        cancel runs, close the API, exit

import type { ApiErrorJson } from '../core/contract/errors.ts';

export type HostFailureKind =
  /** The file is not a usable Tandem database (corrupt, foreign, newer schema, unreadable): offer another file. */
  | 'database'
  /** Another Tandem (`tandem serve`, another window) has this workspace open: offer another file. */
  | 'in-use'
  /** better-sqlite3 was built for Node, not for this Electron: no file will work until it is rebuilt. */
  | 'native-module'
  /** Anything else. */
  | 'internal';

export interface HostFailure {
  kind: HostFailureKind;
  error: ApiErrorJson;
}

export type HostToMain = { type: 'ready'; dbPath: string } | { type: 'failed'; failure: HostFailure } | { type: 'closed' };
export type MainToHost = { type: 'connect' } | { type: 'close' };

export const NATIVE_MODULE_ADVICE =
  'better-sqlite3 is built for Node.js, not for Electron: run `npx @electron/rebuild -o better-sqlite3` ' +
  '(and `npm rebuild better-sqlite3` to use the command line again), or use web mode: `tandem start --web`';

/** Why opening the workspace failed, from the ApiError (or lock error) it failed with. */
export function classifyHostFailure(error: ApiErrorJson, options: { lockError?: boolean } = {}): HostFailure {
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/i.test(error.message)) {
    return { kind: 'native-module', error: { code: 'internal', message: `${NATIVE_MODULE_ADVICE} (${error.message})` } };
  }
  if (options.lockError) return { kind: 'in-use', error: { code: 'conflict', message: error.message } };
  if (error.code === 'database') return { kind: 'database', error };
  return { kind: 'internal', error };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function isHostToMain(data: unknown): data is HostToMain {
  return isObject(data) && (data.type === 'ready' || data.type === 'failed' || data.type === 'closed');
}

export function isMainToHost(data: unknown): data is MainToHost {
  return isObject(data) && (data.type === 'connect' || data.type === 'close');
}
