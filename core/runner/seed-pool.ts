// Runs the seeds' strategy trees concurrently, at most `limit` at once, in seed order. The seeds
// share one LM environment, so their calls meet in the same limiter and the engine batches them.
// The first failure stops the rest: `stop` aborts the signal every seed runs under, no new seed
// starts, and the error is rethrown only once every seed has settled, so nothing is still
// writing to the store when the caller marks the run failed.

import { parallelMap } from '../util/parallel-map.ts';

export async function runSeedPool<T>(
  seeds: readonly T[],
  limit: number,
  run: (seed: T, index: number) => Promise<void>,
  options: { signal: AbortSignal; stop: (error: unknown, seed: T) => void },
): Promise<void> {
  let first: { error: unknown } | null = null;
  await parallelMap(
    seeds,
    async (seed, index) => {
      try {
        await run(seed, index);
      } catch (error) {
        // Later errors are the other seeds being stopped (or failing alike); the first says why.
        if (first === null) {
          first = { error };
          options.stop(error, seed);
        }
      }
    },
    { concurrency: limit, shouldStop: () => first !== null || options.signal.aborted },
  );
  if (first !== null) throw (first as { error: unknown }).error;
  // Cancelled between seeds: the seeds not started yet were skipped, so the run is not done.
  options.signal.throwIfAborted();
}
