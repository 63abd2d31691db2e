// The one seam between the workbench and its backend. Two implementations: IPC (Electron's
// preload exposes `window.tandem`) and HTTP (web mode: JSON calls + Server-Sent Events). Nothing
// above this file knows which one is in use.

import type { ApiEvent } from '../../../core/contract/events.ts';
import type { ApiErrorJson } from '../../../core/contract/errors.ts';
import type { StoredKey } from '../../../core/contract/key-names.ts';

export interface Transport {
  readonly kind: 'ipc' | 'http';
  call(method: string, input: unknown): Promise<unknown>;
  /** Adds an event listener; returns the function that removes it. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Connection state changes of the event stream (web mode reconnects on its own). */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/** An API failure as the renderer sees it: the backend's code, message and field issues. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
  readonly code: ApiErrorJson['code'] | 'transport';
  readonly issues: ApiErrorJson['issues'];

  constructor(json: Partial<ApiErrorJson> & { message: string }, readonly method?: string) {
    super(json.message);
    this.code = json.code ?? 'transport';
    this.issues = json.issues;
  }
}

/**
 * The desktop app's API keys (electron/secret-store.ts, kept with Electron's safeStorage). Names
 * only: no function ever returns a key's value. Failures reject with a plain {code, message}.
 */
export interface TandemSecrets {
  /** The stored keys (environment variable names) with the origins each is sent to, sorted by name. */
  list(): Promise<StoredKey[]>;
  /** Stores (or replaces) the key for variable `name`, for those servers; the backend gets it when it next starts. */
  set(name: string, value: string, origins: string[]): Promise<void>;
  delete(name: string): Promise<void>;
}

/** What the Electron preload exposes (electron/preload.ts). */
export interface TandemBridge {
  transport: 'ipc';
  api: Record<string, (input: unknown) => Promise<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Present in the desktop app only (web mode reads keys from the server's environment). */
  secrets?: TandemSecrets;
  /** Desktop app only: main prints a report's HTML to a PDF with Electron's Chromium and saves it where the user says (null: cancelled). */
  savePdf?(html: string, filename: string): Promise<{ path: string } | null>;
}

declare global {
  interface Window {
    tandem?: TandemBridge;
  }
}
