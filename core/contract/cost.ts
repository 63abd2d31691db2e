// What optimization cost, in the units a researcher budgets: LM calls, prompt and completion
// tokens, wall time, fine-tune time, and dollars at prices the user gives. Pure, shared by the
// report code, the CLI and the workbench (which prices the same totals the run stored).

/** Prices for one model, in dollars; any may be 0. */
export interface Prices {
  /** Per million prompt (input) tokens. */
  inputPerMillion: number;
  /** Per million completion (output) tokens. */
  outputPerMillion: number;
  /** Per hour of fine-tuning. */
  finetunePerHour: number;
}

export interface CostTotals {
  lmCalls: number;
  /** Of lmCalls, answered from the response cache (still counted: a fresh run would make them). */
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Wall time of the stages, seconds (fine-tuning included). */
  seconds: number;
  finetuneSeconds: number;
}

export const ZERO_COST: CostTotals = Object.freeze({ lmCalls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, seconds: 0, finetuneSeconds: 0 });

export function addCosts(a: CostTotals, b: CostTotals): CostTotals {
  return {
    lmCalls: a.lmCalls + b.lmCalls,
    cachedCalls: a.cachedCalls + b.cachedCalls,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    seconds: a.seconds + b.seconds,
    finetuneSeconds: a.finetuneSeconds + b.finetuneSeconds,
  };
}

export function scaleCosts(a: CostTotals, factor: number): CostTotals {
  return {
    lmCalls: a.lmCalls * factor,
    cachedCalls: a.cachedCalls * factor,
    promptTokens: a.promptTokens * factor,
    completionTokens: a.completionTokens * factor,
    seconds: a.seconds * factor,
    finetuneSeconds: a.finetuneSeconds * factor,
  };
}

/** Dollars at `prices`: tokens at the per-million prices, fine-tuning at the hourly one. */
export function dollarsOf(cost: CostTotals, prices: Prices): number {
  return (cost.promptTokens * prices.inputPerMillion + cost.completionTokens * prices.outputPerMillion) / 1e6 + (cost.finetuneSeconds / 3600) * prices.finetunePerHour;
}

/** Why `prices` cannot be used, or null: each a finite number ≥ 0. */
export function pricesProblem(prices: Partial<Record<keyof Prices, unknown>>): string | null {
  for (const key of ['inputPerMillion', 'outputPerMillion', 'finetunePerHour'] as const) {
    const v = prices[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${key} must be a number ≥ 0 (dollars), got ${String(v)}`;
  }
  return null;
}

/** The cost measures a chart or table can put on its axis. */
export const COST_MEASURES = ['tokens', 'lmCalls', 'seconds', 'dollars'] as const;
export type CostMeasure = (typeof COST_MEASURES)[number];

export function costMeasure(cost: CostTotals, measure: CostMeasure, prices: Prices | null): number | null {
  switch (measure) {
    case 'tokens':
      return cost.promptTokens + cost.completionTokens;
    case 'lmCalls':
      return cost.lmCalls;
    case 'seconds':
      return cost.seconds;
    case 'dollars':
      return prices ? dollarsOf(cost, prices) : null;
  }
}

/**
 * The points no other point beats: none has cost ≤ and accuracy ≥ with one of them strict.
 * Returns the keys on the front, cheapest first.
 */
export function paretoFront<K>(points: ReadonlyArray<{ key: K; cost: number; accuracy: number }>): K[] {
  const front = points.filter((p) => !points.some((q) => q !== p && q.cost <= p.cost && q.accuracy >= p.accuracy && (q.cost < p.cost || q.accuracy > p.accuracy)));
  return front.sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy).map((p) => p.key);
}
