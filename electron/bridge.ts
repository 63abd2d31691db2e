// What the preload exposes as `window.tandem`, built on one private port to the API host:
//
//   window.tandem.api.<method>(input) → Promise (rejects with {code, message, issues?})
//   window.tandem.onEvent(listener)   → unsubscribe
//   window.tandem.transport           → 'ipc'
//   window.tandem.secrets             → the app's API keys, names only (preload-setup.ts)
//
// Calls made before the port arrives wait for it. When a new port replaces the old one (the
// main process swapped the workspace), calls still waiting on the old one are rejected: they may
// or may not have run, and re-sending a startRun could start a run twice.

import type { ApiErrorJson } from '../core/contract/errors.ts';
import type { ApiEvent } from '../core/contract/events.ts';
import { errorJson, isEventMessage, isResponse, type ApiRequest, type Endpoint } from './port-protocol.ts';

export type ApiEventListener = (event: ApiEvent) => void;

export interface TandemBridge<Name extends string = string> {
  api: Record<Name, (input?: unknown) => Promise<unknown>>;
  onEvent(listener: ApiEventListener): () => void;
  transport: 'ipc';
}

export interface BridgeOptions {
  /** Told about a listener that threw (the other listeners still get the event). */
  onListenerError?: (error: unknown) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: ApiErrorJson): void;
}

export function createBridge<Name extends string>(
  methodNames: readonly Name[],
  options: BridgeOptions = {},
): { bridge: TandemBridge<Name>; connect(endpoint: Endpoint): void } {
  let endpoint: Endpoint | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queued: ApiRequest[] = [];
  const listeners = new Set<ApiEventListener>();

  const receive = (data: unknown): void => {
    if (isResponse(data)) {
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.ok) call.resolve(data.result);
      else call.reject(errorJson(data.error));
      return;
    }
    if (isEventMessage(data)) {
      for (const listener of [...listeners]) {
        try {
          listener(data.event);
        } catch (error) {
          options.onListenerError?.(error);
        }
      }
    }
  };

  const call = (method: Name, input: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const request: ApiRequest = { id: nextId++, method, input };
      pending.set(request.id, { resolve, reject });
      if (endpoint) endpoint.post(request);
      else queued.push(request);
    });

  const api = {} as Record<Name, (input?: unknown) => Promise<unknown>>;
  for (const name of methodNames) api[name] = (input?: unknown) => call(name, input);

  return {
    bridge: {
      api,
      onEvent: (listener) => {
        const entry: ApiEventListener = (event) => listener(event);
        listeners.add(entry);
        return () => {
          listeners.delete(entry);
        };
      },
      transport: 'ipc',
    },
    connect: (next) => {
      if (endpoint) {
        endpoint.close();
        for (const [id, waiting] of pending) {
          waiting.reject({ code: 'cancelled', message: 'the connection to the Tandem backend was replaced (the workspace changed); try again' });
          pending.delete(id);
        }
      }
      endpoint = next;
      next.onMessage(receive);
      for (const request of queued.splice(0)) next.post(request);
    },
  };
}
