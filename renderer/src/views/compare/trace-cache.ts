// Traces are immutable once written, so each is fetched once per window: re-sorting or
// re-filtering the flip list does not refetch the rows it shows again.
import { getClient } from '../../api/client.ts';
import type { TraceDetail } from '../../api/types.ts';

const cache = new Map<number, Promise<TraceDetail>>();
const LIMIT = 500;

export function loadTrace(traceId: number): Promise<TraceDetail> {
  let p = cache.get(traceId);
  if (!p) {
    p = getClient().getTrace({ traceId });
    p.catch(() => cache.delete(traceId)); // a failed fetch is retried next time
    if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(traceId, p);
  }
  return p;
}
