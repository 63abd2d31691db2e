// Cost per strategy from the per-stage costs: each strategy's chain of stages (after the
// zero-shot root) per seed, charged in full to every strategy that uses a shared prefix
// (`attributed`) and as the one stage it adds (`own`), mean per seed; and the tree's total, each
// stage once. Seeds whose chain has an unfinished stage are left out of a strategy's mean.

import { addCosts, scaleCosts, ZERO_COST, type CostTotals } from '../contract/cost.ts';
import { BASELINE_LABEL, prefixesOf, type Strategy } from '../contract/strategy.ts';
import type { StageCost, StrategyCost, TreeCost } from '../contract/views/results.ts';

function totalsOf(stage: StageCost): CostTotals {
  return {
    lmCalls: stage.lmCalls,
    cachedCalls: stage.cachedCalls,
    promptTokens: stage.promptTokens,
    completionTokens: stage.completionTokens,
    seconds: stage.seconds ?? 0,
    finetuneSeconds: stage.finetuneSeconds,
  };
}

export function strategyCosts(strategies: readonly Strategy[], seeds: readonly number[], costs: readonly StageCost[]): StrategyCost[] {
  const byKey = new Map(costs.map((c) => [`${c.seed}|${c.prefix}`, c]));
  return strategies.map((strategy) => {
    // The baseline's chain is its own (root) stage; a strategy's is every prefix after the root.
    const chain = strategy.key === '' ? [''] : prefixesOf(strategy).map((p) => p.key);
    let attributed = ZERO_COST;
    let own = ZERO_COST;
    let counted = 0;
    for (const seed of seeds) {
      const stages = chain.map((prefix) => byKey.get(`${seed}|${prefix}`));
      if (stages.some((s) => !s || s.status !== 'finished')) continue;
      counted++;
      for (const s of stages) attributed = addCosts(attributed, totalsOf(s!));
      own = addCosts(own, totalsOf(stages.at(-1)!));
    }
    const perSeed = counted > 0 ? 1 / counted : 0;
    return { strategy: strategy.key, label: strategy.key === '' ? BASELINE_LABEL : strategy.key, seeds: counted, attributed: scaleCosts(attributed, perSeed), own: scaleCosts(own, perSeed) };
  });
}

export function treeCost(costs: readonly StageCost[]): TreeCost {
  return { total: costs.reduce((sum, c) => addCosts(sum, totalsOf(c)), ZERO_COST), stages: costs.length };
}
