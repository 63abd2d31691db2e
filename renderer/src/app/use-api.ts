// Data loading for views: `useApi(() => api.getRun({ runId }), [runId])` gives {data, error,
// loading, reload}. Stale responses (the inputs changed meanwhile) are dropped. `useApiEvents`
// calls back on backend events, for live views that reload or patch their data.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getClient, type ApiEvent } from '../api/client.ts';
import { ApiCallError } from '../api/transport.ts';

export interface ApiState<T> {
  data: T | null;
  error: ApiCallError | null;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): ApiState<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiCallError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (mine === generation.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        const e = error instanceof ApiCallError ? error : new ApiCallError({ message: error instanceof Error ? error.message : String(error) });
        setState((s) => ({ data: s.data, error: e, loading: false }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Subscribes to backend events while mounted; the handler may change between renders. */
export function useApiEvents(handler: (event: ApiEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => getClient().subscribe((event) => ref.current(event)), []);
}

/** Calls `fn` at most once per `ms` (trailing), for reloads driven by bursts of events. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      fnRef.current();
    }, ms);
  }, [ms]);
}
