import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../core/evaluate/metric.ts';
import type { OptimizerContext } from '../../../core/optimize/optimizer-context.ts';
import { planCandidates, randomSearch, type Candidate } from '../../../core/optimize/random-search.ts';
import { DoubleProgram, doublingLM, envFor, exactY, numbers } from '../../helpers/toy-program.ts';

const options = { numCandidates: 4, maxBootstrappedDemos: 3, maxLabeledDemos: 3, maxRounds: 1, seed: 11 };

function context(concurrency = 8, metric: Metric = exactY, latency?: (i: number) => number): OptimizerContext {
  return { env: envFor(doublingLM(latency ? { latencyMs: latency } : {})), metric, concurrency };
}

describe('planCandidates', () => {
  it('lists zero-shot, labeled, unshuffled bootstrap, then N seeded shuffles', () => {
    const plans = planCandidates({ numCandidates: 3, seed: 5 });
    expect(plans.map((p) => p.kind)).toEqual(['zero-shot', 'labeled', 'bootstrap', 'shuffled', 'shuffled', 'shuffled']);
    expect(plans.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(plans.map((p) => p.seed)).size).toBe(6);
    expect(planCandidates({ numCandidates: 3, seed: 5 })).toEqual(plans);
    expect(planCandidates({ numCandidates: 3, seed: 6 }).map((p) => p.seed)).not.toEqual(plans.map((p) => p.seed));
  });
});

describe('randomSearch', () => {
  it('evaluates every candidate on the validation set and keeps each with its score and state', async () => {
    const seen: Candidate[] = [];
    const result = await randomSearch(new DoubleProgram(), numbers(30), numbers(21, 100), options, context(), {
      onCandidate: (c) => seen.push(c),
    });
    expect(result.candidates).toHaveLength(7);
    expect(seen.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const [zero, labeled, boot, ...shuffled] = result.candidates;
    expect(zero!.numDemos).toBe(0);
    expect(zero!.state.predictors.double!.demos).toEqual([]);
    expect(labeled!.program.double.demos.every((d) => !d.augmented)).toBe(true);
    expect(labeled!.numDemos).toBe(3);
    expect(boot!.program.double.demos.filter((d) => d.augmented)).toHaveLength(3);
    for (const c of shuffled) {
      const augmented = c.program.double.demos.filter((d) => d.augmented).length;
      expect(augmented).toBeGreaterThanOrEqual(1);
      expect(augmented).toBeLessThanOrEqual(3);
      expect(c.numDemos).toBe(3); // topped up with labeled demos to maxLabeledDemos
    }
    for (const c of result.candidates) expect(c.evaluation!.n).toBe(21);
    // Zero-shot misses multiples of 3 (7 of 100..120); with demos only multiples of 7 (3).
    expect(zero!.score).toBeCloseTo(14 / 21);
    expect(labeled!.score).toBeCloseTo(18 / 21);
    expect(result.best.index).toBe(1); // ties after it: the first wins
    expect(result.best.score).toBe(Math.max(...result.candidates.map((c) => c.score)));
  });

  it('lets the first candidate win when every score ties', async () => {
    const never: Metric = { name: 'never', score: () => 0 };
    const result = await randomSearch(new DoubleProgram(), numbers(10), numbers(5, 50), options, context(4, never));
    expect(result.candidates.every((c) => c.score === 0)).toBe(true);
    expect(result.best.index).toBe(0);
    expect(result.best.kind).toBe('zero-shot');
  });

  it('gives identical candidates at concurrency 1 and 16', async () => {
    const jitter = (i: number) => ((i * 13) % 7) * 2;
    const a = await randomSearch(new DoubleProgram(), numbers(30), numbers(10, 100), options, context(1, exactY, jitter));
    const b = await randomSearch(new DoubleProgram(), numbers(30), numbers(10, 100), options, context(16, exactY, jitter));
    expect(b.candidates.map((c) => c.state)).toEqual(a.candidates.map((c) => c.state));
    expect(b.candidates.map((c) => c.score)).toEqual(a.candidates.map((c) => c.score));
  });

  it('gives different shuffles for different seeds, the same for the same seed', async () => {
    const demosOf = async (seed: number) =>
      (await randomSearch(new DoubleProgram(), numbers(30), numbers(5, 100), { ...options, seed }, context())).candidates
        .slice(3)
        .map((c) => c.state);
    expect(await demosOf(1)).toEqual(await demosOf(1));
    expect(await demosOf(2)).not.toEqual(await demosOf(1));
  });

  it('refuses an empty train or validation set with a clear error', async () => {
    await expect(randomSearch(new DoubleProgram(), [], numbers(3), options, context())).rejects.toThrow(/non-empty train set/);
    await expect(randomSearch(new DoubleProgram(), numbers(3), [], options, context())).rejects.toThrow(/non-empty validation set/);
  });
});
