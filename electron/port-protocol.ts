// The framing spoken over the MessagePort between the preload and the API host:
//
//   renderer → host   { id, method, input }                        a call
//   host → renderer   { id, ok: true, result } | { id, ok: false, error: {code, message, issues?} }
//   host → renderer   { event: ApiEvent }                          the event stream
//
// Values travel as plain JSON (the host round-trips them through JSON), so the renderer sees
// exactly what web mode's HTTP transport gives it. Only types come from core/contract: this file is
// bundled into the sandboxed preload, which must stay free of zod, SQLite and Node.

import type { ApiErrorJson } from '../core/contract/errors.ts';
import type { ApiEvent } from '../core/contract/events.ts';

export interface ApiRequest {
  id: number;
  method: string;
  input: unknown;
}

export type ApiResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorJson };

export interface ApiEventMessage {
  event: ApiEvent;
}

/** One end of a port, whatever kind of port it is (DOM MessagePort in the preload, MessagePortMain in the host). */
export interface Endpoint {
  post(message: unknown): void;
  /** Starts delivery; there is one handler per endpoint. */
  onMessage(handler: (data: unknown) => void): void;
  close(): void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A well-formed request id: what a response can be matched by. */
export function requestId(data: unknown): number | null {
  return isObject(data) && Number.isSafeInteger(data.id) ? (data.id as number) : null;
}

export function isRequest(data: unknown): data is ApiRequest {
  return requestId(data) !== null && typeof (data as Record<string, unknown>).method === 'string';
}

export function isResponse(data: unknown): data is ApiResponse {
  if (requestId(data) === null) return false;
  const { ok } = data as Record<string, unknown>;
  return ok === true ? 'result' in (data as object) : ok === false && isObject((data as Record<string, unknown>).error);
}

export function isEventMessage(data: unknown): data is ApiEventMessage {
  return isObject(data) && isObject(data.event) && typeof data.event.type === 'string';
}

/** A JSON copy, as web mode would send it (undefined → null, Dates → strings, no prototypes). */
export function toWire(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** The error object a rejected call carries: {code, message, issues?}, never an Error (contextBridge would strip its fields). */
export function errorJson(error: ApiErrorJson): ApiErrorJson {
  return { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
}

/** A DOM MessagePort (the preload's side). */
export function domPortEndpoint(port: MessagePort): Endpoint {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (handler) => {
      port.onmessage = (event: MessageEvent) => handler(event.data);
    },
    close: () => port.close(),
  };
}

/** The slice of Electron's MessagePortMain the host uses. */
export interface MainPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** An Electron MessagePortMain (the host's side); `onClose` hears the other side go away. */
export function mainPortEndpoint(port: MainPortLike, onClose?: () => void): Endpoint {
  if (onClose) port.on('close', onClose);
  return {
    post: (message) => port.postMessage(message),
    onMessage: (handler) => {
      port.on('message', (event) => handler(event.data));
      port.start();
    },
    close: () => port.close(),
  };
}
