// How clients wait between attempts: exponential backoff with jitter, and a server's Retry-After.
// LM calls and retrievals retry the same way.

/**
 * Exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and all of
 * min(max, base * 2^(n-1)). `random` returns a float in [0, 1).
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable;
 * dates in the past give 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // HTTP dates always name a month; this keeps V8's lenient Date.parse away from "-5" and the like.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
