// The statistics behind "is the difference real?", checked against values computed another way:
// exact binomial sums, a published McNemar example, Holm's procedure by hand, and the bootstrap
// against the exact bootstrap distribution enumerated over every resample.

import { describe, expect, it } from 'vitest';
import { compareWithBaseline, formatP, holmAdjust, mcnemarExact, pairedBootstrapCI, quantile, significanceSentence } from '../../../core/report/significance.ts';

describe('mcnemarExact', () => {
  it('matches the published exact conditional p-value (Fagerland, Lydersen & Laake 2013: b = 1, c = 7, p = 0.070)', () => {
    expect(mcnemarExact(1, 7)).toBeCloseTo(18 / 256, 12);
    expect(mcnemarExact(1, 7).toFixed(3)).toBe('0.070');
  });

  it('is the two-sided binomial tail at p = 1/2, symmetric in b and c, and 1 without flips', () => {
    expect(mcnemarExact(10, 2)).toBeCloseTo((2 * (1 + 12 + 66)) / 4096, 12);
    expect(mcnemarExact(2, 10)).toBe(mcnemarExact(10, 2));
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(0, 1)).toBe(1);
    expect(mcnemarExact(0, 6)).toBeCloseTo(2 / 64, 12);
  });

  it('stays finite and correct for large counts (log-space sums)', () => {
    // Normal approximation with continuity correction as the reference at n = 2000.
    const b = 940;
    const c = 1060;
    const z = (Math.abs(b - c) - 1) / Math.sqrt(b + c);
    const normal = 2 * (1 - standardNormalCdf(z));
    expect(mcnemarExact(b, c)).toBeGreaterThan(0);
    expect(Math.abs(mcnemarExact(b, c) - normal)).toBeLessThan(0.002);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });
});

describe('holmAdjust', () => {
  it("steps down as Holm's procedure does by hand, keeping the input order", () => {
    // sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005, 3*0.01, 2*0.03, max(0.06, 1*0.04)
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => Number(p.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holmAdjust([0.2])).toEqual([0.2]);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe('pairedBootstrapCI', () => {
  it('matches the exact bootstrap distribution enumerated over all 5^5 resamples', () => {
    const seed = { seed: 0, baseline: [1, 1, 0, 0, 1], strategy: [1, 0, 1, 1, 1] };
    const exact = enumeratedQuantiles(seed.strategy.map((v, i) => v - seed.baseline[i]!), [0.025, 0.975]);
    expect(exact).toEqual([-40, 80]); // atoms of the exact distribution (CDF 0.0195 -> 0.0707 and 0.9386 -> 0.9898)
    const ci = pairedBootstrapCI([seed], { iterations: 20_000, seed: 7 });
    expect(ci.difference).toBeCloseTo(20, 12);
    expect(ci.low).toBeCloseTo(exact[0]!, 9);
    expect(ci.high).toBeCloseTo(exact[1]!, 9);
  });

  it('resamples seeds as well as examples', () => {
    // Within each seed every example differs by the same amount: only drawing seeds varies the mean.
    const seeds = [
      { seed: 0, baseline: [0, 0, 0], strategy: [1, 1, 1] },
      { seed: 1, baseline: [1, 1, 1], strategy: [1, 1, 1] },
    ];
    const ci = pairedBootstrapCI(seeds, { iterations: 4000, seed: 1 });
    expect(ci.difference).toBe(50);
    expect([ci.low, ci.high]).toEqual([0, 100]); // replicates are 0, 50 or 100 with probabilities 1/4, 1/2, 1/4
  });

  it('is seeded: the same seed gives the same interval, another seed a close one', () => {
    const seeds = [0, 1, 2].map((s) => ({ seed: s, baseline: Array.from({ length: 60 }, (_, i) => (i * (s + 3)) % 5 === 0 ? 0 : 1), strategy: Array.from({ length: 60 }, (_, i) => (i * (s + 2)) % 7 === 0 ? 0 : 1) }));
    const a = pairedBootstrapCI(seeds, { seed: 3 });
    expect(pairedBootstrapCI(seeds, { seed: 3 })).toEqual(a);
    const b = pairedBootstrapCI(seeds, { seed: 4 });
    expect(Math.abs(a.low - b.low)).toBeLessThan(3);
    expect(a.low).toBeLessThanOrEqual(a.difference);
    expect(a.high).toBeGreaterThanOrEqual(a.difference);
  });

  it('refuses unpaired or empty input', () => {
    expect(() => pairedBootstrapCI([{ seed: 0, baseline: [1, 0], strategy: [1] }])).toThrow(/2 baseline scores but 1/);
    expect(() => pairedBootstrapCI([{ seed: 0, baseline: [], strategy: [] }])).toThrow(/no seed/);
  });
});

describe('quantile', () => {
  it("interpolates as R's type 7 does", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75); // R: quantile(1:4, 0.25) = 1.75
    expect(quantile([5], 0.975)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('compareWithBaseline and the sentence', () => {
  it('pools flips over seeds, adjusts over strategies, and says it in one line', () => {
    const seed = (s: number, baseline: number[], strategy: number[]) => {
      let rightToWrong = 0;
      let wrongToRight = 0;
      baseline.forEach((b, i) => {
        if (b === 1 && strategy[i] === 0) rightToWrong++;
        if (b === 0 && strategy[i] === 1) wrongToRight++;
      });
      return { seed: s, baseline, strategy, rightToWrong, wrongToRight };
    };
    const base = Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 0));
    const better = Array.from({ length: 40 }, (_, i) => (i < 19 || i >= 30 ? 1 : 0)); // 1 regression, 10 improvements
    const same = base.slice();
    const [a, b] = compareWithBaseline([{ seeds: [seed(0, base, better), seed(1, base, better)] }, { seeds: [seed(0, base, same)] }], { seed: 0, iterations: 2000 });
    expect(a!.p).toBeCloseTo(mcnemarExact(2, 20), 12);
    expect(a!.perSeed).toEqual([
      { seed: 0, rightToWrong: 1, wrongToRight: 10, p: mcnemarExact(1, 10) },
      { seed: 1, rightToWrong: 1, wrongToRight: 10, p: mcnemarExact(1, 10) },
    ]);
    expect(a!.pHolm).toBeCloseTo(2 * a!.p, 12);
    expect(b!.p).toBe(1);
    expect(b!.pHolm).toBe(1);
    expect(a!.difference).toBeCloseTo(22.5, 9);
    expect(significanceSentence('p -> w -> p', 'p', a!)).toMatch(/^p -> w -> p beats p by 22\.5 points \(95% CI \d+\.\d to \d+\.\d, p < 0\.001, Holm < 0\.001\)$/);
    expect(significanceSentence('w', 'p', b!)).toBe('w vs p: +0.0 points, no significant difference (95% CI 0.0 to 0.0, p = 1.00, Holm 1.00)');
    expect(compareWithBaseline([{ seeds: [] }])).toEqual([null]);
  });

  it('writes p-values as people do', () => {
    expect([0.0004, 0.0123, 0.049, 0.5, 1].map(formatP)).toEqual(['< 0.001', '0.012', '0.049', '0.50', '1.00']);
  });
});

/** The exact percentile bootstrap quantiles (in points) of the mean of n draws from `d`, by enumerating all n^n resamples. */
function enumeratedQuantiles(d: number[], qs: number[]): number[] {
  const n = d.length;
  const counts = new Map<number, number>();
  const walk = (depth: number, sum: number) => {
    if (depth === n) {
      counts.set(sum, (counts.get(sum) ?? 0) + 1);
      return;
    }
    for (const v of d) walk(depth + 1, sum + v);
  };
  walk(0, 0);
  const total = n ** n;
  const atoms = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  return qs.map((q) => {
    let cumulative = 0;
    for (const [sum, count] of atoms) {
      cumulative += count / total;
      if (cumulative >= q) return (100 * sum) / n;
    }
    return NaN;
  });
}

function standardNormalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 for erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

