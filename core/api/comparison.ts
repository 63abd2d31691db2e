// Strategies of a run against a baseline strategy: the paper-style table rows, and per strategy a
// flip matrix over the examples of one split — which examples the baseline got right and the
// strategy got wrong (regressions), and the other way round — from the example results of each
// stage's final evaluation, per seed (store/flips.ts compares two evaluations); and whether each
// difference is real: paired bootstrap CI, exact McNemar and Holm's adjustment (report/significance.ts).

import type { ComparisonInput, Parsed, RunsComparisonInput } from '../contract/schemas.ts';
import { BASELINE_LABEL, stepsOf, strategyOf } from '../contract/strategy.ts';
import type { Comparison, FlipCounts, ResultRow, RunsComparison, SeedFlips, StrategyFlips } from '../contract/views/index.ts';
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

/**
 * Two runs of the same task, strategy by strategy: each strategy's final evaluation in the other
 * run against this run's, per seed both ran, paired by example; the same statistics as above.
 */
export function compareRuns(ctx: ApiContext, runs: Runs, input: Parsed<typeof RunsComparisonInput>): RunsComparison {
  if (input.runId === input.otherRunId) throw invalidInput('otherRunId', 'compare a run with another run (for its own strategies use getComparison)');
  const sides = [input.runId, input.otherRunId].map((runId) => {
    const run = runs.require(runId);
    const spec = specFromConfig(run.config);
    const stages = ctx.store.stages.listForRun(run.id);
    return { run, spec, stages, index: indexStages(stages), results: runs.results(run, spec, stages) };
  });
  const [mine, other] = sides as [(typeof sides)[0], (typeof sides)[0]];
  if (mine.run.task !== other.run.task) throw invalidInput('otherRunId', `run ${other.run.id} is of task "${other.run.task}", run ${mine.run.id} of "${mine.run.task}": only runs of the same task can be paired`);
  for (const side of sides) {
    if (!side.results.splits.includes(input.split)) throw invalidInput('split', `run ${side.run.id} was not evaluated on "${input.split}"`);
  }
  const strategiesOf = (side: typeof mine) => ['', ...(side.spec?.strategies ?? side.results.rows.map((r) => r.strategy).filter((s) => s !== ''))];
  const shared = strategiesOf(mine).filter((s) => strategiesOf(other).includes(s));
  const wanted = input.strategies ?? shared;
  wanted.forEach((s, i) => {
    if (!shared.includes(s)) throw invalidInput(`strategies[${i}]`, `"${s}" is not a strategy of both runs; they share ${shared.map((x) => `"${x}"`).join(', ')}`);
  });
  const seeds = mine.results.seeds.filter((seed) => other.results.seeds.includes(seed));
  const notes: string[] = [];
  if (seeds.length === 0) notes.push(`the runs share no seed (run ${mine.run.id}: ${mine.results.seeds.join(', ')}; run ${other.run.id}: ${other.results.seeds.join(', ')})`);
  const finalEvaluation = (stage: StageRecord | undefined) =>
    stage ? ctx.store.evaluations.listForStage(stage.id).filter((e) => e.candidateId === null && e.split === input.split).at(-1) : undefined;
  const accuracy = (side: typeof mine, strategy: string) => side.results.rows.find((r) => r.strategy === strategy)?.cells[input.split]?.mean ?? null;

  const paired: Array<Array<PairedSeed & { rightToWrong: number; wrongToRight: number }>> = [];
  const rows = [...new Set(wanted)].map((strategy) => {
    const counts: FlipCounts = { n: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0 };
    const pairs: Array<PairedSeed & { rightToWrong: number; wrongToRight: number }> = [];
    const used: number[] = [];
    for (const seed of seeds) {
      const a = finalEvaluation(mine.index.get(seed, strategy));
      const b = finalEvaluation(other.index.get(seed, strategy));
      if (!a || !b) continue;
      const { scores, rightToWrongExamples: _r, wrongToRightExamples: _w, ...matrix } = ctx.store.flips.between(a.id, b.id);
      if (matrix.n < Math.max(a.n, b.n)) notes.push(`${label(strategy)}, seed ${seed}: ${matrix.n} examples in common of ${a.n} and ${b.n} (the runs evaluated different examples)`);
      for (const k of ['n', 'bothRight', 'bothWrong', 'rightToWrong', 'wrongToRight'] as const) counts[k] += matrix[k];
      pairs.push({ seed, ...scores, rightToWrong: matrix.rightToWrong, wrongToRight: matrix.wrongToRight });
      used.push(seed);
    }
    paired.push(pairs);
    return { strategy, label: label(strategy), accuracy: accuracy(mine, strategy), otherAccuracy: accuracy(other, strategy), counts, seeds: used };
  });
  const tests = compareWithBaseline(paired.map((seedsOf) => ({ seeds: seedsOf })));
  return {
    runId: mine.run.id,
    otherRunId: other.run.id,
    split: input.split,
    task: mine.run.task,
    strategies: rows.map((row, i) => {
      const t = tests[i];
      return { ...row, significance: t ? { ...t, sentence: significanceSentence(`run ${other.run.id}'s ${row.label}`, `run ${mine.run.id}'s`, t) } : null };
    }),
    notes,
  };
}
