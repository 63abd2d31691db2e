// Web mode (`tandem serve`): POST /api/call/<method>, and one EventSource on /api/events shared
// by every subscriber. The page authenticates with the session cookie the server sets (HttpOnly,
// SameSite=Strict: the page's script never sees it) when the page hands over the one-time code of
// the link it was opened with (`?code=…`); the code is removed from the address bar at once, and
// it is spent by the exchange anyway. Programs outside a browser (tests) pass the access token,
// sent as `Authorization: Bearer`. The token is never put in a URL (the server refuses that).

import { API_EVENT_TYPES, type ApiEvent } from '../../../core/contract/events.ts';
import { ApiCallError, type Transport } from './transport.ts';

export interface HttpAuth {
  /** The one-time code of the link this page was opened with: exchanged for the session cookie before the first request. */
  code?: string | null;
  /** The access token (clients outside a browser): sent as a Bearer header. */
  token?: string | null;
}

/** Takes the one-time code out of the address (without a reload or a history entry) and returns it. */
export function readCode(location: Location, history: History): string | null {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  if (code === null && !url.searchParams.has('token')) return null;
  url.searchParams.delete('code');
  url.searchParams.delete('token'); // an old-style link: nothing reads it, and it should not stay in the history
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return code || null;
}

const HOW_TO_GET_IN = 'open a new link from the terminal running `tandem serve` (press Enter there to print one)';

export function httpTransport(baseUrl: string, auth: HttpAuth = {}): Transport {
  const listeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let source: EventSource | null = null;
  let opening = false;
  let connected = false;
  let exchangeProblem: string | null = null;
  const token = auth.token ?? null;
  const code = auth.code ?? null;

  // The exchange happens once, before anything else is sent; a failed one leaves the page to the
  // cookie it may already hold (a reload, another tab) and explains itself on the first 401.
  let session: Promise<void> | null = null;
  const ready = (): Promise<void> => {
    session ??= code
      ? fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) }).then(
          async (response) => {
            if (response.ok) return;
            const json = (await response.json().catch(() => ({}))) as { message?: string };
            exchangeProblem = response.status === 401 ? `this link has expired or was already used: ${HOW_TO_GET_IN}` : (json.message ?? `HTTP ${response.status}`);
          },
          (error: unknown) => {
            exchangeProblem = `cannot reach the Tandem server: ${(error as Error).message}`;
          },
        )
      : Promise.resolve();
    return session;
  };

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  const open = () => {
    if (source || opening) return;
    opening = true;
    void ready().then(() => connect());
  };

  const connect = () => {
    // EventSource sends the session cookie (same origin); it cannot send a header.
    source = new EventSource(`${baseUrl}/api/events`);
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
      await ready();
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
          throw new ApiCallError({ code: 'config' as never, message: exchangeProblem ?? (token ? (json.message ?? 'wrong access token') : `this page has no valid session: ${HOW_TO_GET_IN}`) }, method);
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
