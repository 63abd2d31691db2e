// The retrieval retry loop: which failures are repeated, how many attempts an error reports,
// backoff bounds with seeded jitter, Retry-After (capped) and cancellation during a wait.

import { describe, expect, it } from 'vitest';
import { RetrieveError } from '../../../core/retrieve/errors.ts';
import { backoffDelay, parseRetryAfter, RetryableRetrieveError, withRetries, type RetryNotice, type RetryPolicy } from '../../../core/retrieve/retry.ts';
import { Rng } from '../../../core/util/random.ts';

const FAST: RetryPolicy = { maxRetries: 3, backoffBaseMs: 1, backoffMaxMs: 2, retryAfterMaxMs: 5 };

/** An attempt function that throws the given failures in turn, then answers 'ok'. */
function script(...failures: unknown[]): { attempt: (n: number) => Promise<string>; seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    attempt: async (n) => {
      seen.push(n);
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    },
  };
}

describe('withRetries', () => {
  it('repeats retryable failures and reports the attempts it took', async () => {
    const notices: RetryNotice[] = [];
    const { attempt, seen } = script(new RetryableRetrieveError('http', 'HTTP 503', { status: 503 }), new RetryableRetrieveError('timeout', 'slow'));
    const result = await withRetries(attempt, { policy: FAST, jitter: new Rng(1), onRetry: (n) => notices.push(n) });
    expect(result).toEqual({ value: 'ok', attempts: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(notices.map((n) => [n.attempt, n.kind, n.status])).toEqual([
      [1, 'http', 503],
      [2, 'timeout', undefined],
    ]);
  });

  it('gives up after maxRetries with a plain RetrieveError of the last kind', async () => {
    const failures = Array.from({ length: 4 }, () => new RetryableRetrieveError('network', 'cannot reach http://x: ECONNREFUSED'));
    const error = await withRetries(script(...failures).attempt, { policy: FAST, jitter: new Rng(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetrieveError);
    expect(error).not.toBeInstanceOf(RetryableRetrieveError);
    expect(error).toMatchObject({ kind: 'network', attempts: 4, message: 'cannot reach http://x: ECONNREFUSED (gave up after 4 attempts)' });
  });

  it('does not repeat a final failure, and counts the attempts made', async () => {
    const { attempt, seen } = script(new RetryableRetrieveError('http', 'HTTP 502', { status: 502 }), new RetrieveError('http', 'HTTP 400', { status: 400 }));
    await expect(withRetries(attempt, { policy: FAST, jitter: new Rng(1) })).rejects.toMatchObject({ kind: 'http', status: 400, attempts: 2 });
    expect(seen).toEqual([1, 2]);
  });

  it('waits what Retry-After asks, up to the cap', async () => {
    const notices: RetryNotice[] = [];
    const { attempt } = script(
      new RetryableRetrieveError('http', 'HTTP 429', { status: 429, retryAfterMs: 3 }),
      new RetryableRetrieveError('http', 'HTTP 429', { status: 429, retryAfterMs: 60_000 }),
    );
    await withRetries(attempt, { policy: { ...FAST, backoffBaseMs: 0, backoffMaxMs: 0 }, jitter: new Rng(1), onRetry: (n) => notices.push(n) });
    expect(notices.map((n) => n.delayMs)).toEqual([3, 5]);
  });

  it('stops waiting and reports cancellation when the signal fires during a backoff', async () => {
    const controller = new AbortController();
    const { attempt, seen } = script(new RetryableRetrieveError('http', 'HTTP 503', { status: 503 }));
    const policy = { ...FAST, backoffBaseMs: 600_000, backoffMaxMs: 600_000 };
    const run = withRetries(attempt, { policy, jitter: new Rng(1), signal: controller.signal, onRetry: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ kind: 'cancelled', attempts: 1 });
    expect(seen).toEqual([1]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, stays between half and all of its ceiling, and is capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 1000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 1000, () => 0.999999))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('gives the same delays for the same jitter seed', () => {
    const delays = (seed: number) => {
      const rng = new Rng(seed);
      return [1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => rng.next()));
    };
    expect(delays(7)).toEqual(delays(7));
    expect(delays(7)).not.toEqual(delays(8));
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['3', 3000],
    ['0.5', 500],
    [' 2 ', 2000],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });
});
