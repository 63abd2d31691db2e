// The typed API client: `api.listRuns({})` has the exact signature of the contract's TandemApi, over
// whichever transport this window has (IPC in Electron, HTTP in web mode).

import type { TandemApi } from '../../../core/contract/api.ts';
import type { ApiEvent } from '../../../core/contract/events.ts';
import { httpTransport, readCode } from './http-transport.ts';
import { ipcTransport } from './ipc-transport.ts';
import type { Transport } from './transport.ts';

export type ApiClient = TandemApi & {
  readonly transport: Transport;
  subscribe(listener: (event: ApiEvent) => void): () => void;
};

export function createClient(transport: Transport): ApiClient {
  const methods = new Map<string, (input?: unknown) => Promise<unknown>>();
  return new Proxy({} as ApiClient, {
    get(_target, name) {
      if (name === 'transport') return transport;
      if (name === 'subscribe') return transport.subscribe.bind(transport);
      if (typeof name !== 'string' || name === 'then') return undefined;
      let fn = methods.get(name);
      if (!fn) {
        fn = (input?: unknown) => transport.call(name, input ?? {});
        methods.set(name, fn);
      }
      return fn;
    },
  });
}

/** The transport of this window: Electron's bridge when present, else HTTP to the serving origin. */
export function defaultTransport(): Transport {
  if (typeof window !== 'undefined' && window.tandem?.transport === 'ipc') return ipcTransport(window.tandem);
  const code = readCode(window.location, window.history);
  return httpTransport(window.location.origin, { code });
}

let client: ApiClient | null = null;

/** The window's client (created on first use); tests may install another with setClient. */
export function getClient(): ApiClient {
  client ??= createClient(defaultTransport());
  return client;
}

export function setClient(next: ApiClient): void {
  client = next;
}

export type { ApiEvent };
