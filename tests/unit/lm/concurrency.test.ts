import { describe, expect, it } from 'vitest';
import { Limiter, sleep } from '../../../core/lm/concurrency.ts';
import { LMError } from '../../../core/lm/errors.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('rejects a bad maxConcurrency', () => {
    expect(() => new Limiter(0)).toThrow(/positive integer/);
    expect(() => new Limiter(1.5)).toThrow(/positive integer/);
  });

  it('never runs more than maxConcurrency tasks at once', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(1 + (i % 3));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('starts waiters in arrival order', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const order: number[] = [];
    const first = limiter.run(async () => {
      await gate.promise;
      order.push(0);
    });
    const rest = [1, 2, 3, 4].map((i) => limiter.run(async () => void order.push(i)));
    await tick();
    expect(limiter.pending).toBe(4);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('releases the slot when a task throws', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 42)).resolves.toBe(42);
    expect(limiter.active).toBe(0);
  });

  it('an aborted waiter leaves the queue and rejects with LMError cancelled', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const holder = limiter.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(async () => {
      ran = true;
    }, controller.signal);
    const after = limiter.run(async () => 'after');
    await tick();
    expect(limiter.pending).toBe(2);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'LMError', kind: 'cancelled' });
    expect(limiter.pending).toBe(1);
    gate.resolve();
    await holder;
    await expect(after).resolves.toBe('after');
    expect(ran).toBe(false);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new Limiter(2);
    const error = await limiter.run(async () => 1, AbortSignal.abort()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LMError);
    expect((error as LMError).kind).toBe('cancelled');
    expect(limiter.active).toBe(0);
  });

  it('releases the slot when a task throws before returning a promise', async () => {
    const limiter = new Limiter(1);
    const boom = (): Promise<number> => {
      throw new Error('sync boom');
    };
    await expect(limiter.run(boom)).rejects.toThrow('sync boom');
    expect(limiter.active).toBe(0);
    const queued = [limiter.run(boom), limiter.run(async () => 7)];
    await expect(queued[0]).rejects.toThrow('sync boom');
    await expect(queued[1]).resolves.toBe(7);
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('counts a task as active from the moment run is called', async () => {
    const limiter = new Limiter(2);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    expect(limiter.active).toBe(1);
    const second = limiter.run(() => gate.promise);
    const third = limiter.run(async () => 3);
    expect(limiter.active).toBe(2);
    expect(limiter.pending).toBe(1);
    gate.resolve();
    await Promise.all([first, second]);
    await expect(third).resolves.toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('release is idempotent', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.active).toBe(1);
    again();
  });
});

describe('sleep', () => {
  it('rejects with cancelled as soon as the signal fires', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
