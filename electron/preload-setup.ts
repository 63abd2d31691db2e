// The preload's wiring, with Electron's renderer modules passed in (tests hand in fakes): build
// the bridge, expose it as `window.tandem`, ask the main process for a port and connect the
// bridge to it. The port itself is never exposed: the page only gets the functions.

import { PRELOAD_METHOD_NAMES } from './api-method-names.ts';
import { createBridge, type TandemBridge } from './bridge.ts';
import { domPortEndpoint } from './port-protocol.ts';

export const PORT_CHANNEL = 'tandem:port';
export const CONNECT_CHANNEL = 'tandem:connect';

export interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    on(channel: string, listener: (event: { ports: readonly MessagePort[] }) => void): unknown;
    send(channel: string): void;
  };
}

export function setUpPreload(electron: PreloadElectron, onListenerError: (error: unknown) => void = () => {}): TandemBridge {
  const { bridge, connect } = createBridge(PRELOAD_METHOD_NAMES, { onListenerError });
  electron.ipcRenderer.on(PORT_CHANNEL, (event) => {
    const port = event.ports[0];
    if (port) connect(domPortEndpoint(port));
  });
  electron.contextBridge.exposeInMainWorld('tandem', bridge);
  electron.ipcRenderer.send(CONNECT_CHANNEL);
  return bridge;
}
