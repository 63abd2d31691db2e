// The results of a run, read back from the store: the paper-style table (strategies × splits,
// mean and 95% CI over seeds, "—" where a weight step had no passing traces), per-stage curve
// data (the score after each step, per split and seed), per-stage and per-strategy cost, and the task's
// intermediate checks (check-results.ts).

import { BASELINE, BASELINE_LABEL, prefixesOf, stepsOf, strategyOf, type Strategy } from '../contract/strategy.ts';
import type { CheckInfo, CurvePoint, ResultCell, ResultRow, RunResults, StageCost } from '../contract/views/index.ts';
import type { Store } from '../store/index.ts';
import { runChecks } from './check-results.ts';
import { indexStages } from './stage-index.ts';
import { strategyCosts, treeCost } from './strategy-costs.ts';
import { meanCI } from './statistics.ts';

export function runResults(
  store: Store,
  runId: number,
  strategies: readonly string[],
  seeds: readonly number[],
  splits: readonly string[],
  checks: readonly CheckInfo[] = [],
): RunResults {
  const stages = store.stages.listForRun(runId);
  const index = indexStages(stages);
  // Strategies come in canonical text (`p -> w`) from the run's spec; the baseline row comes first.
  const unique = [...new Set(['', ...strategies])].map((key) => strategyOf(stepsOf(key)));

  // A strategy's score for a seed, following its chain to see whether any step had nothing to train on.
  const lookup = (strategy: Strategy, seed: number, split: string): { value: number | null; dash: boolean } => {
    const dash = index.chainHasNoPassingTraces(strategy, seed);
    const stage = index.get(seed, strategy.key);
    const value = stage?.status === 'finished' ? (stage.scores?.[split] ?? null) : null;
    return { value: dash ? null : value, dash };
  };

  const rows: ResultRow[] = unique.map((strategy) => {
    const { key } = strategy;
    const cells: Record<string, ResultCell> = {};
    for (const split of splits) {
      const found = seeds.map((seed) => lookup(strategy, seed, split));
      const values = found.map((f) => f.value);
      const stats = meanCI(values.filter((v): v is number => v !== null));
      cells[split] = { mean: stats?.mean ?? null, ci95: stats?.ci95 ?? null, values, noPassingTraces: found.some((f) => f.dash) };
    }
    return { strategy: key, label: key === '' ? BASELINE_LABEL : key, cells };
  });

  const curves: CurvePoint[] = [];
  for (const strategy of unique.filter((s) => s.steps.length > 0)) {
    // The baseline, then the strategy after each of its steps.
    const chain = [BASELINE, ...prefixesOf(strategy)];
    for (const seed of seeds) {
      for (const split of splits) {
        for (const [step, { key: prefix }] of chain.entries()) {
          const stage = index.get(seed, prefix);
          curves.push({ strategy: strategy.key, seed, split, step, prefix, score: stage?.status === 'finished' ? (stage.scores?.[split] ?? null) : null });
        }
      }
    }
  }

  const callStats = new Map(store.lmCalls.statsByStage(runId).map((s) => [s.stageId, s]));
  const finetuneSeconds = new Map<number, number>();
  for (const job of store.finetuneJobs.listForRun(runId)) finetuneSeconds.set(job.stageId, (finetuneSeconds.get(job.stageId) ?? 0) + (job.seconds ?? 0));
  const costs: StageCost[] = stages.map((s) => {
    const calls = callStats.get(s.id);
    return {
      stageId: s.id,
      seed: s.seed,
      prefix: s.prefix,
      kind: s.kind,
      status: s.status,
      outcome: s.outcome,
      lmCalls: calls?.calls ?? 0,
      cachedCalls: calls?.cached ?? 0,
      tokens: (calls?.promptTokens ?? 0) + (calls?.completionTokens ?? 0),
      promptTokens: calls?.promptTokens ?? 0,
      completionTokens: calls?.completionTokens ?? 0,
      seconds: s.finishedAt !== null ? (s.finishedAt - s.startedAt) / 1000 : null,
      finetuneSeconds: finetuneSeconds.get(s.id) ?? 0,
    };
  });
  const results: RunResults = {
    runId,
    splits: [...splits],
    seeds: [...seeds],
    rows,
    curves,
    costs,
    strategyCosts: strategyCosts(unique, seeds, costs),
    treeCost: treeCost(costs),
  };
  if (checks.length > 0) results.checks = runChecks(store, runId, checks, unique, index, stages, seeds, splits);
  return results;
}
