// Electron: calls go through the preload's `window.tandem` bridge to the utility process that
// hosts core/api; errors arrive as plain {code, message, issues} objects.

import { ApiCallError, type TandemBridge, type Transport } from './transport.ts';

export function ipcTransport(bridge: TandemBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const fn = bridge.api[method];
      if (!fn) throw new ApiCallError({ code: 'not-found', message: `unknown API method ${method}` }, method);
      try {
        return await fn(input);
      } catch (error) {
        const e = error as { code?: string; message?: string; issues?: unknown };
        throw new ApiCallError({ code: e.code as never, message: e.message ?? String(error), issues: e.issues as never }, method);
      }
    },
    subscribe: (listener) => bridge.onEvent(listener),
    onConnection(listener) {
      listener(true);
      return () => {};
    },
  };
}
