import { describe, expect, it } from 'vitest';
import { sleep } from '../../../core/lm/concurrency.ts';
import { runSeedPool } from '../../../core/runner/seed-pool.ts';

describe('runSeedPool', () => {
  it('runs at most `limit` seeds at once, starting them in seed order', async () => {
    const started: number[] = [];
    let active = 0;
    let peak = 0;
    const controller = new AbortController();
    await runSeedPool(
      [0, 1, 2, 3, 4],
      2,
      async (seed) => {
        started.push(seed);
        peak = Math.max(peak, ++active);
        await sleep(seed === 0 ? 30 : 5);
        active--;
      },
      { signal: controller.signal, stop: () => controller.abort() },
    );
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('on the first failure stops the others, starts no more, and rethrows it once all settled', async () => {
    const controller = new AbortController();
    const settled: number[] = [];
    const stops: unknown[] = [];
    const run = runSeedPool(
      [0, 1, 2, 3],
      3,
      async (seed) => {
        try {
          if (seed === 1) {
            await sleep(5);
            throw new Error('seed 1 broke');
          }
          await sleep(10_000, controller.signal); // stopped by the abort
        } finally {
          await sleep(20); // still writing for a moment after the abort
          settled.push(seed);
        }
      },
      {
        signal: controller.signal,
        stop: (error, seed) => {
          stops.push([seed, (error as Error).message]);
          controller.abort(new Error('stopped'));
        },
      },
    );
    await expect(run).rejects.toThrow('seed 1 broke');
    expect(stops).toEqual([[1, 'seed 1 broke']]); // the others' cancellations do not count
    expect(settled.sort()).toEqual([0, 1, 2]); // seed 3 never started; the rest had settled
  });

  it('throws when cancelled between seeds, though no running seed failed', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = runSeedPool(
      [0, 1],
      1,
      async (seed) => {
        started.push(seed);
        controller.abort();
      },
      { signal: controller.signal, stop: () => {} },
    );
    await expect(run).rejects.toThrow();
    expect(started).toEqual([0]);
  });
});
