// The preload's wiring, with Electron's renderer modules passed in (tests hand in fakes): build
// the bridge, expose it as `window.tandem`, ask the main process for a port and connect the
// bridge to it. The port itself is never exposed: the page only gets the functions.
//
// `window.tandem.secrets` manages the desktop app's API keys through three ipcMain.handle
// channels (electron/secret-ipc.ts): list() answers names with the origins each key is for,
// set() and delete() nothing. No
// function here ever returns a key's value to the page.

import type { StoredKey } from '../core/contract/key-names.ts';
import { API_METHOD_NAMES } from '../core/contract/methods.ts';
import { createBridge, type TandemBridge } from './bridge.ts';
import { domPortEndpoint } from './port-protocol.ts';

export const PORT_CHANNEL = 'tandem:port';
export const CONNECT_CHANNEL = 'tandem:connect';
export const SECRETS_LIST_CHANNEL = 'tandem:secrets:list';
export const SECRETS_SET_CHANNEL = 'tandem:secrets:set';
export const SECRETS_DELETE_CHANNEL = 'tandem:secrets:delete';
/** Main prints a report's HTML to a PDF the user saves (electron/report-pdf.ts). */
export const REPORT_PDF_CHANNEL = 'tandem:report-pdf';

export interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    on(channel: string, listener: (event: { ports: readonly MessagePort[] }) => void): unknown;
    send(channel: string): void;
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  };
}

/** The desktop app's API keys, as the page sees them: names and origins in and out, never a value back. */
export interface SecretsBridge {
  list(): Promise<StoredKey[]>;
  set(name: string, value: string, origins: string[]): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Prints a report's HTML to PDF with Electron's Chromium; resolves with where it was saved, or null when the user cancelled. */
export type SavePdf = (html: string, filename: string) => Promise<{ path: string } | null>;

export type PreloadBridge = TandemBridge & { secrets: SecretsBridge; savePdf: SavePdf };

/** Resolves with the reply's result, or rejects with a plain {code, message} object like the API's errors. */
async function call(invoke: PreloadElectron['ipcRenderer']['invoke'], channel: string, ...args: unknown[]): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await invoke(channel, ...args);
  } catch {
    throw { code: 'internal', message: 'the Tandem main process did not answer' };
  }
  const r = reply as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (r?.ok === true) return r.result;
  throw { code: typeof r?.error?.code === 'string' ? r.error.code : 'internal', message: typeof r?.error?.message === 'string' ? r.error.message : 'the Tandem main process failed' };
}

export function createSecretsBridge(invoke: PreloadElectron['ipcRenderer']['invoke']): SecretsBridge {
  return {
    list: async () => {
      const keys = await call(invoke, SECRETS_LIST_CHANNEL);
      if (!Array.isArray(keys)) return [];
      return keys.flatMap((key: { name?: unknown; origins?: unknown } | null) =>
        typeof key?.name === 'string' ? [{ name: key.name, origins: Array.isArray(key.origins) ? key.origins.filter((o): o is string => typeof o === 'string') : [] }] : [],
      );
    },
    set: async (name, value, origins) => {
      await call(invoke, SECRETS_SET_CHANNEL, name, value, origins);
    },
    delete: async (name) => {
      await call(invoke, SECRETS_DELETE_CHANNEL, name);
    },
  };
}

export function setUpPreload(electron: PreloadElectron, onListenerError: (error: unknown) => void = () => {}): PreloadBridge {
  const { bridge, connect } = createBridge(API_METHOD_NAMES, { onListenerError });
  electron.ipcRenderer.on(PORT_CHANNEL, (event) => {
    const port = event.ports[0];
    if (port) connect(domPortEndpoint(port));
  });
  const invoke: PreloadElectron['ipcRenderer']['invoke'] = (channel, ...args) => electron.ipcRenderer.invoke(channel, ...args);
  const savePdf: SavePdf = async (html, filename) => {
    const saved = (await call(invoke, REPORT_PDF_CHANNEL, html, filename)) as { path?: unknown } | null;
    return typeof saved?.path === 'string' ? { path: saved.path } : null;
  };
  const exposed: PreloadBridge = { ...bridge, secrets: createSecretsBridge(invoke), savePdf };
  electron.contextBridge.exposeInMainWorld('tandem', exposed);
  electron.ipcRenderer.send(CONNECT_CHANNEL);
  return exposed;
}
