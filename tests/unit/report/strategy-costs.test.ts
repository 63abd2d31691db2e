// Cost per strategy: a shared prefix charged in full to each strategy that uses it (attributed)
// and once per tree (own, summing to the tree's total); dollars at given prices; the Pareto front.

import { describe, expect, it } from 'vitest';
import { addCosts, dollarsOf, paretoFront, pricesProblem, ZERO_COST } from '../../../core/contract/cost.ts';
import { stepsOf, strategyOf } from '../../../core/contract/strategy.ts';
import type { StageCost } from '../../../core/contract/views/index.ts';
import { strategyCosts, treeCost } from '../../../core/report/strategy-costs.ts';

const stage = (seed: number, prefix: string, calls: number, status = 'finished', finetuneSeconds = 0): StageCost => ({
  stageId: seed * 10 + prefix.length,
  seed,
  prefix,
  kind: prefix === '' ? 'baseline' : prefix.slice(-1),
  status,
  outcome: null,
  lmCalls: calls,
  cachedCalls: 0,
  tokens: calls * 10,
  promptTokens: calls * 9,
  completionTokens: calls,
  seconds: calls / 10,
  finetuneSeconds,
});

const strategies = ['', 'p', 'p -> w', 'p -> w -> p'].map((k) => strategyOf(stepsOf(k)));

describe('strategyCosts', () => {
  it('charges shared prefixes to every strategy that uses them, and each stage once as its own', () => {
    const costs = [stage(0, '', 100), stage(0, 'p', 1000), stage(0, 'p -> w', 200, 'finished', 600), stage(0, 'p -> w -> p', 900)];
    const [base, p, pw, pwp] = strategyCosts(strategies, [0], costs);
    expect(base!.attributed.lmCalls).toBe(100);
    expect(p!.attributed.lmCalls).toBe(1000);
    expect(pw!.attributed).toMatchObject({ lmCalls: 1200, promptTokens: 10_800, completionTokens: 1200, finetuneSeconds: 600 });
    expect(pwp!.attributed.lmCalls).toBe(2100);
    expect(pwp!.own.lmCalls).toBe(900);
    // Own costs over the tree add up to the tree's total: each stage counted once.
    const owned = [base, p, pw, pwp].reduce((sum, s) => addCosts(sum, s!.own), ZERO_COST);
    expect(owned).toEqual(treeCost(costs).total);
    expect(treeCost(costs).stages).toBe(4);
  });

  it('averages over the seeds whose chain finished, leaving the others out', () => {
    const costs = [stage(0, 'p', 1000), stage(1, 'p', 3000), stage(2, 'p', 500, 'failed')];
    const [, p] = strategyCosts(strategies, [0, 1, 2], costs);
    expect(p!.seeds).toBe(2);
    expect(p!.attributed.lmCalls).toBe(2000);
    const [, , pw] = strategyCosts(strategies, [0, 1, 2], costs);
    expect(pw!.seeds).toBe(0);
    expect(pw!.attributed).toEqual(ZERO_COST);
  });
});

describe('prices and the Pareto front', () => {
  it('prices tokens per million and fine-tuning per hour', () => {
    const cost = { ...ZERO_COST, promptTokens: 2_000_000, completionTokens: 500_000, finetuneSeconds: 1800 };
    expect(dollarsOf(cost, { inputPerMillion: 0.15, outputPerMillion: 0.6, finetunePerHour: 2 })).toBeCloseTo(0.3 + 0.3 + 1, 12);
    expect(pricesProblem({ inputPerMillion: 1, outputPerMillion: -1, finetunePerHour: 0 })).toMatch(/outputPerMillion must be a number ≥ 0/);
    expect(pricesProblem({ inputPerMillion: 1, outputPerMillion: 2, finetunePerHour: 0 })).toBeNull();
  });

  it('keeps the points nothing beats on both cost and accuracy, cheapest first', () => {
    const points = [
      { key: 'zero-shot', cost: 0, accuracy: 40 },
      { key: 'p', cost: 10, accuracy: 60 },
      { key: 'w', cost: 30, accuracy: 55 }, // beaten by p: dearer and worse
      { key: 'p -> w', cost: 40, accuracy: 70 },
      { key: 'twin', cost: 40, accuracy: 70 }, // equal to p -> w: neither beats the other
      { key: 'p -> w -> p', cost: 50, accuracy: 70 }, // beaten by p -> w: same accuracy, dearer
    ];
    expect(paretoFront(points)).toEqual(['zero-shot', 'p', 'p -> w', 'twin']);
  });
});
