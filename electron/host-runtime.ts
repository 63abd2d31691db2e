// The API host's life, with its surroundings passed in (tests use a fake parent port): take the
// workspace lock, open the API, tell main 'ready' or why not, serve each port main hands over
// (a new one replaces the last: the window reloaded), and on 'close' cancel runs, close the API
// and exit. A database that cannot be opened is reported, never replaced or overwritten.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createApi, toApiError, type Api } from '../core/api/index.ts';
import { lockWorkspace, WorkspaceLockError, type WorkspaceLock } from '../core/host/workspace-lock.ts';
import { classifyHostFailure, isMainToHost, type HostFailure, type HostToMain } from './host-messages.ts';
import { mainPortEndpoint, type MainPortLike } from './port-protocol.ts';
import { servePort } from './port-server.ts';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: MainPortLike[] }) => void): unknown;
  postMessage(message: HostToMain): void;
}

export interface HostOptions {
  parentPort: ParentPortLike;
  dbPath: string;
  /** Default: createApi({ dbPath }). */
  openApi?: (dbPath: string) => Api;
  /** Default: the pid lock file `tandem serve` also takes, so the two never share a workspace. */
  lock?: (dbPath: string) => WorkspaceLock;
  exit(code: number): void;
  log?(line: string): void;
}

export interface Host {
  /** The open API, or null when opening failed. */
  api: Api | null;
  failure: HostFailure | null;
}

function open(options: HostOptions): { api: Api; lock: WorkspaceLock } | HostFailure {
  let lock: WorkspaceLock;
  try {
    mkdirSync(path.dirname(options.dbPath), { recursive: true });
    lock = (options.lock ?? ((dbPath) => lockWorkspace(dbPath, 'the Tandem desktop app')))(options.dbPath);
  } catch (error) {
    return classifyHostFailure(toApiError(error).toJSON(), { lockError: error instanceof WorkspaceLockError });
  }
  try {
    return { api: (options.openApi ?? ((dbPath) => createApi({ dbPath })))(options.dbPath), lock };
  } catch (error) {
    lock.release();
    return classifyHostFailure(toApiError(error).toJSON());
  }
}

export function runHost(options: HostOptions): Host {
  const { parentPort } = options;
  const opened = open(options);
  const api = 'api' in opened ? opened.api : null;
  let stopConnection: (() => void) | null = null;
  let closing = false;

  parentPort.on('message', (event) => {
    const message = event.data;
    if (!isMainToHost(message)) return;
    if (message.type === 'connect') {
      const port = event.ports[0];
      if (!api || !port || closing) {
        port?.close();
        return;
      }
      stopConnection?.();
      const stop = servePort(api, mainPortEndpoint(port, () => stop()), { onProblem: (line) => options.log?.(line) });
      stopConnection = stop;
      return;
    }
    if (closing) return;
    closing = true;
    stopConnection?.();
    void (async () => {
      try {
        await api?.close();
      } finally {
        if ('lock' in opened) opened.lock.release();
        parentPort.postMessage({ type: 'closed' });
        options.exit(0);
      }
    })();
  });

  if (api) {
    parentPort.postMessage({ type: 'ready', dbPath: options.dbPath });
    return { api, failure: null };
  }
  const failure = opened as HostFailure;
  parentPort.postMessage({ type: 'failed', failure });
  return { api: null, failure };
}
