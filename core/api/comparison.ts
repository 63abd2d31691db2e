// Strategies of a run against a baseline strategy: the paper-style table rows, and per strategy a
// flip matrix over the examples of one split — which examples the baseline got right and the
// strategy got wrong (regressions), and the other way round — from the example results of each
// stage's final evaluation, per seed (store/flips.ts compares two evaluations); and whether each
// difference is real: paired bootstrap CI, exact McNemar and Holm's adjustment (report/significance.ts).

import type { ComparisonInput, Parsed } from '../contract/schemas.ts';
import { BASELINE_LABEL, stepsOf, strategyOf } from '../contract/strategy.ts';
import type { Comparison, FlipCounts, ResultRow, SeedFlips, StrategyFlips } from '../contract/views/index.ts';
import { compareWithBaseline, significanceSentence, type PairedSeed } from '../report/significance.ts';
import { indexStages } from '../report/stage-index.ts';
import { specFromConfig } from '../runner/experiment-spec.ts';
import type { StageRecord } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput } from './errors.ts';
import type { Runs } from './runs.ts';

const label = (strategy: string) => (strategy === '' ? BASELINE_LABEL : strategy);

export function getComparison(ctx: ApiContext, runs: Runs, input: Parsed<typeof ComparisonInput>): Comparison {
  const run = runs.require(input.runId);
  const spec = specFromConfig(run.config);
  const stages = ctx.store.stages.listForRun(run.id);
  const results = runs.results(run, spec, stages);
  const known = ['', ...(spec?.strategies ?? results.rows.map((r) => r.strategy).filter((s) => s !== ''))];
  const describe = `run ${run.id} has: ${known.map((s) => `"${s}"`).join(', ')}`;
  if (!known.includes(input.baseline)) throw invalidInput('baseline', `"${input.baseline}" is not a strategy of run ${run.id}; ${describe}`);
  const wanted = input.strategies ?? known.filter((s) => s !== input.baseline);
  wanted.forEach((s, i) => {
    if (!known.includes(s)) throw invalidInput(`strategies[${i}]`, `"${s}" is not a strategy of run ${run.id}; ${describe}`);
  });
  const strategies = [...new Set(wanted)].filter((s) => s !== input.baseline);
  if (!results.splits.includes(input.split)) throw invalidInput('split', `run ${run.id} was not evaluated on "${input.split}" (it has ${results.splits.join(', ')})`);

  const index = indexStages(stages);
  const finalEvaluation = (stage: StageRecord | undefined) =>
    stage ? ctx.store.evaluations.listForStage(stage.id).filter((e) => e.candidateId === null && e.split === input.split).at(-1) : undefined;

  const paired: Array<Array<PairedSeed & { rightToWrong: number; wrongToRight: number }>> = [];
  const flips = strategies.map((strategy): Omit<StrategyFlips, 'significance'> => {
    const counts: FlipCounts = { n: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0 };
    const seeds: SeedFlips[] = [];
    const pairs: Array<PairedSeed & { rightToWrong: number; wrongToRight: number }> = [];
    paired.push(pairs);
    const missingSeeds: number[] = [];
    for (const seed of results.seeds) {
      const baseStage = index.get(seed, input.baseline);
      const stage = index.get(seed, strategy);
      const baseEval = finalEvaluation(baseStage);
      const evaluation = finalEvaluation(stage);
      if (!baseStage || !stage || !baseEval || !evaluation) {
        missingSeeds.push(seed);
        continue;
      }
      const { scores, ...matrix } = ctx.store.flips.between(baseEval.id, evaluation.id);
      const entry: SeedFlips = {
        seed,
        baselineStageId: baseStage.id,
        stageId: stage.id,
        baselineEvaluationId: baseEval.id,
        evaluationId: evaluation.id,
        noPassingTraces: index.chainHasNoPassingTraces(strategyOf(stepsOf(strategy)), seed),
        ...matrix,
      };
      pairs.push({ seed, ...scores, rightToWrong: matrix.rightToWrong, wrongToRight: matrix.wrongToRight });
      for (const k of ['n', 'bothRight', 'bothWrong', 'rightToWrong', 'wrongToRight'] as const) counts[k] += entry[k];
      seeds.push(entry);
    }
    return { strategy, label: label(strategy), counts, seeds, missingSeeds };
  });
  const tests = compareWithBaseline(paired.map((seeds) => ({ seeds })));
  const withSignificance = flips.map((f, i): StrategyFlips => {
    const t = tests[i];
    return { ...f, significance: t ? { ...t, sentence: significanceSentence(f.label, label(input.baseline), t) } : null };
  });

  const rows = new Map(results.rows.map((r) => [r.strategy, r]));
  const table = [input.baseline, ...strategies].map((s) => rows.get(s)).filter((r): r is ResultRow => r !== undefined);
  return { runId: run.id, split: input.split, baseline: input.baseline, strategies, seeds: results.seeds, table, flips: withSignificance };
}
