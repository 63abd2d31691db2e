// The retrieval limiter: at most N tasks at once, waiters served in arrival order, a waiter
// cancelled while queued leaves without taking a slot.

import { describe, expect, it } from 'vitest';
import { RetrieveLimiter } from '../../../core/retrieve/concurrency.ts';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('RetrieveLimiter', () => {
  it('runs at most maxConcurrency tasks at once, the rest in arrival order', async () => {
    const limiter = new RetrieveLimiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('lets a waiter cancel without taking a slot, and frees the slot of a task that throws', async () => {
    const limiter = new RetrieveLimiter(1);
    const first = gate();
    const running = limiter.run(async () => {
      await first.promise;
      throw new Error('task failed');
    });
    const controller = new AbortController();
    let ranCancelled = false;
    const cancelled = limiter.run(async () => void (ranCancelled = true), controller.signal);
    const last = limiter.run(async () => 'last');
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
    first.open();
    await expect(running).rejects.toThrow('task failed');
    expect(await last).toBe('last');
    expect(ranCancelled).toBe(false);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new RetrieveLimiter(0)).toThrow(/maxConcurrency must be a positive integer, got 0/);
    expect(() => new RetrieveLimiter(1.5)).toThrow(/positive integer/);
  });
});
