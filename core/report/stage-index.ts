// A run's stages looked up by seed and prefix, and the one rule for "—" in its tables: a
// strategy has no score for a seed when any step of its chain (the strategy itself included)
// had no passing traces to train on.

import { prefixesOf, type Strategy } from '../contract/strategy.ts';
import type { StageRecord } from '../store/index.ts';

export interface StageIndex {
  /** The stage of `seed` at `prefix` (a canonical strategy key; '' is the baseline). */
  get(seed: number, prefix: string): StageRecord | undefined;
  /** Whether some step of the strategy's chain had no passing traces for this seed. */
  chainHasNoPassingTraces(strategy: Strategy, seed: number): boolean;
}

export function indexStages(stages: readonly StageRecord[]): StageIndex {
  const byKey = new Map<string, StageRecord>();
  for (const s of stages) byKey.set(`${s.seed}|${s.prefix}`, s);
  const get = (seed: number, prefix: string) => byKey.get(`${seed}|${prefix}`);
  return {
    get,
    chainHasNoPassingTraces: (strategy, seed) => prefixesOf(strategy).some((prefix) => get(seed, prefix.key)?.outcome === 'no-passing-traces'),
  };
}
