// Seeded train/dev/test splits. Both helpers take their Rng from the caller, so the same seed
// gives the same split on every machine.

import type { Rng } from '../util/random.ts';

/** A dataset too small for the splits a task needs: the user's data, so a one-line user error. */
export class TooFewExamplesError extends Error {
  override name = 'TooFewExamplesError';
}

export interface SplitSizes {
  train: number;
  dev: number;
  test: number;
}

export interface Splits<T> {
  train: T[];
  dev: T[];
  test: T[];
}

/** Equal thirds of n; the remainder goes to train first, then dev (151 -> 51/50/50). */
export function thirds(n: number): SplitSizes {
  const base = Math.floor(n / 3);
  const rest = n - 3 * base;
  return { train: base + (rest > 0 ? 1 : 0), dev: base + (rest > 1 ? 1 : 0), test: base };
}

function checkSizes(total: number, sizes: SplitSizes): void {
  for (const [name, size] of Object.entries(sizes)) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`split size ${name}=${size} must be a non-negative integer`);
  }
  const wanted = sizes.train + sizes.dev + sizes.test;
  if (wanted > total) throw new TooFewExamplesError(`splits need ${wanted} items (${sizes.train}/${sizes.dev}/${sizes.test}), only ${total} given`);
}

function cut<T>(ordered: readonly T[], sizes: SplitSizes): Splits<T> {
  const devEnd = sizes.train + sizes.dev;
  return {
    train: ordered.slice(0, sizes.train),
    dev: ordered.slice(sizes.train, devEnd),
    test: ordered.slice(devEnd, devEnd + sizes.test),
  };
}

/** Shuffles, then takes train, dev and test in that order; items beyond the sizes are left out. */
export function shuffleSplit<T>(items: readonly T[], sizes: SplitSizes, rng: Rng): Splits<T> {
  checkSizes(items.length, sizes);
  return cut(rng.shuffle(items), sizes);
}

/**
 * A stratified split: every split gets each stratum in (nearly) the proportion it has overall.
 * Each stratum is shuffled, the strata are interleaved evenly (item k of a stratum of n sits at
 * (k + 0.5) / n, ties broken by a shuffled stratum order), the interleaved sequence is cut into
 * train, dev and test, and each split is shuffled again so its order carries no pattern.
 * With Iris (3 x 50 -> 50/50/50) every split holds 16 or 17 of each species.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  stratumOf: (item: T) => string,
  sizes: SplitSizes,
  rng: Rng,
): Splits<T> {
  checkSizes(items.length, sizes);
  const strata = new Map<string, T[]>();
  for (const item of items) {
    const key = stratumOf(item);
    const group = strata.get(key);
    if (group) group.push(item);
    else strata.set(key, [item]);
  }
  const order = rng.shuffle([...strata.keys()].sort());
  const placed: Array<{ item: T; position: number; rank: number }> = [];
  order.forEach((key, rank) => {
    const group = rng.shuffle(strata.get(key)!);
    group.forEach((item, k) => placed.push({ item, position: (k + 0.5) / group.length, rank }));
  });
  placed.sort((a, b) => a.position - b.position || a.rank - b.rank);
  const splits = cut(
    placed.map((p) => p.item),
    sizes,
  );
  return { train: rng.shuffle(splits.train), dev: rng.shuffle(splits.dev), test: rng.shuffle(splits.test) };
}
