// Is a difference between two strategies real? Paired tests over the same examples and seeds:
// - exact McNemar on the per-example flips (right under one, wrong under the other), pooled over
//   seeds and per seed;
// - a paired bootstrap 95% CI of the accuracy difference that resamples seeds and, within each
//   drawn seed, examples (both sources of variation: the data and the optimizer's randomness);
// - Holm's step-down adjustment when several strategies are tested against one baseline.
// Pure and seeded: the same inputs give the same numbers.

import { formatP } from '../contract/significance-format.ts';
import { Rng } from '../util/random.ts';

/** Exact two-sided McNemar p-value: a binomial test of `b` against `b + c` flips at p = 1/2. */
export function mcnemarExact(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`flip counts must be non-negative integers, got ${b} and ${c}`);
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n does not overflow.
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

/** Holm–Bonferroni adjusted p-values, in the order given. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** One seed's paired scores: the same examples, in the same order, under the baseline and the strategy (each in [0, 1]). */
export interface PairedSeed {
  seed: number;
  baseline: readonly number[];
  strategy: readonly number[];
}

export interface BootstrapOptions {
  /** Resamples (default 5000). */
  iterations?: number;
  /** Seeds the resampling (default 0). */
  seed?: number;
}

export interface DifferenceCI {
  /** Strategy minus baseline, in percentage points: the mean over seeds of each seed's difference. */
  difference: number;
  /** Percentile bootstrap 95% interval, in points. */
  low: number;
  high: number;
  iterations: number;
}

/**
 * Paired bootstrap of the accuracy difference: each resample draws seeds with replacement and,
 * within each drawn seed, its examples with replacement, and averages the per-seed differences.
 */
export function pairedBootstrapCI(seeds: readonly PairedSeed[], options: BootstrapOptions = {}): DifferenceCI {
  const usable = seeds.filter((s) => s.baseline.length > 0);
  for (const s of usable) {
    if (s.baseline.length !== s.strategy.length) throw new RangeError(`seed ${s.seed}: ${s.baseline.length} baseline scores but ${s.strategy.length} strategy scores`);
  }
  if (usable.length === 0) throw new RangeError('no seed has paired examples');
  const iterations = options.iterations ?? 5000;
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a positive integer, got ${iterations}`);
  const diffs = usable.map((s) => Float64Array.from(s.strategy, (v, i) => v - s.baseline[i]!));
  const seedMean = (d: Float64Array) => d.reduce((a, b) => a + b, 0) / d.length;
  const difference = (100 * diffs.reduce((a, d) => a + seedMean(d), 0)) / diffs.length;

  const rng = new Rng(options.seed ?? 0);
  const replicates = new Float64Array(iterations);
  const k = diffs.length;
  for (let r = 0; r < iterations; r++) {
    let total = 0;
    for (let s = 0; s < k; s++) {
      const d = diffs[k === 1 ? 0 : Math.floor(rng.next() * k)]!;
      const n = d.length;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += d[Math.floor(rng.next() * n)]!;
      total += sum / n;
    }
    replicates[r] = (100 * total) / k;
  }
  replicates.sort();
  return { difference, low: quantile(replicates, 0.025), high: quantile(replicates, 0.975), iterations };
}

/** Linear-interpolation quantile (R's type 7) of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The flips McNemar counts: right under the baseline and wrong under the strategy (b), and the reverse (c). */
export interface Flips {
  rightToWrong: number;
  wrongToRight: number;
}

export interface Significance extends DifferenceCI {
  /** Exact McNemar on the flips pooled over seeds. */
  p: number;
  /** Holm-adjusted over the strategies compared with the same baseline; equal to p for one. */
  pHolm: number;
  perSeed: Array<{ seed: number; rightToWrong: number; wrongToRight: number; p: number }>;
}

/** Tests every strategy against one baseline: difference, CI, McNemar p (pooled), Holm-adjusted p. */
export function compareWithBaseline(
  strategies: ReadonlyArray<{ seeds: ReadonlyArray<PairedSeed & Flips> }>,
  options: BootstrapOptions = {},
): Array<Significance | null> {
  const tested = strategies.map((s) => {
    const seeds = s.seeds.filter((seed) => seed.baseline.length > 0);
    if (seeds.length === 0) return null;
    const b = seeds.reduce((a, seed) => a + seed.rightToWrong, 0);
    const c = seeds.reduce((a, seed) => a + seed.wrongToRight, 0);
    return {
      ...pairedBootstrapCI(seeds, options),
      p: mcnemarExact(b, c),
      perSeed: seeds.map((seed) => ({ seed: seed.seed, rightToWrong: seed.rightToWrong, wrongToRight: seed.wrongToRight, p: mcnemarExact(seed.rightToWrong, seed.wrongToRight) })),
    };
  });
  const present = tested.filter((t): t is NonNullable<typeof t> => t !== null);
  const adjusted = holmAdjust(present.map((t) => t.p));
  let next = 0;
  return tested.map((t) => (t === null ? null : { ...t, pHolm: adjusted[next++]! }));
}

export { formatP };

const points = (v: number) => `${Math.abs(v).toFixed(1)} point${Math.abs(v).toFixed(1) === '1.0' ? '' : 's'}`;
const signed = (v: number) => (v < 0 ? `−${Math.abs(v).toFixed(1)}` : v.toFixed(1));

/**
 * One plain sentence: "p -> w -> p beats p by 4.2 points (95% CI 1.1 to 7.3, p = 0.01, Holm 0.03)";
 * "trails" for a significant loss; "no significant difference" otherwise (alpha 0.05 on Holm's p).
 */
export function significanceSentence(strategy: string, baseline: string, s: Significance, alpha = 0.05): string {
  const p = formatP(s.p);
  const stats = `95% CI ${signed(s.low)} to ${signed(s.high)}, p ${p.startsWith('<') ? p : `= ${p}`}, Holm ${formatP(s.pHolm)}`;
  if (s.pHolm < alpha && s.difference > 0) return `${strategy} beats ${baseline} by ${points(s.difference)} (${stats})`;
  if (s.pHolm < alpha && s.difference < 0) return `${strategy} trails ${baseline} by ${points(s.difference)} (${stats})`;
  return `${strategy} vs ${baseline}: ${s.difference >= 0 ? '+' : '−'}${points(s.difference)}, no significant difference (${stats})`;
}
