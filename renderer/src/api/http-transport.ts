// Web mode (`tandem serve`): POST /api/call/<method> with the access token as a bearer token, and
// one EventSource on /api/events shared by every subscriber. The token comes from the URL the
// server printed (?token=…); it is kept in sessionStorage and removed from the address bar so it
// does not end up in screenshots or the history.

import { API_EVENT_TYPES, type ApiEvent } from '../../../core/contract/events.ts';
import { ApiCallError, type Transport } from './transport.ts';

const TOKEN_KEY = 'tandem.token';

export function readToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

export function httpTransport(baseUrl: string, token: string | null): Transport {
  const listeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let source: EventSource | null = null;
  let connected = false;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  const open = () => {
    if (source) return;
    const url = `${baseUrl}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    source = new EventSource(url);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false); // EventSource retries by itself
    const deliver = (message: MessageEvent<string>) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(message.data) as ApiEvent;
      } catch {
        return;
      }
      for (const l of [...listeners]) l(event);
    };
    for (const type of API_EVENT_TYPES) {
      source.addEventListener(type, deliver as EventListener);
    }
    source.onmessage = deliver;
  };

  return {
    kind: 'http',
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        throw new ApiCallError({ message: `cannot reach the Tandem server: ${(error as Error).message}` }, method);
      }
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        throw new ApiCallError({ message: `the server answered ${response.status} with a body that is not JSON` }, method);
      }
      if (!response.ok) {
        const json = (body ?? {}) as { code?: string; message?: string; issues?: unknown };
        if (response.status === 401) {
          throw new ApiCallError({ code: 'config' as never, message: json.message ?? 'this page has no valid access token: open the URL that `tandem serve` printed' }, method);
        }
        throw new ApiCallError({ code: json.code as never, message: json.message ?? `HTTP ${response.status}`, issues: json.issues as never }, method);
      }
      return body;
    },
    subscribe(listener) {
      listeners.add(listener);
      open();
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      open();
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
  };
}
