// Strategies of a run against a baseline strategy: the paper-style table rows, and per strategy a
// flip matrix over the examples of one split — which examples the baseline got right and the
// strategy got wrong (regressions), and the other way round — from the example results of each
// stage's final evaluation, per seed. Examples are matched by example id (by position when a
// dataset has no ids); a failed example counts as wrong.

import type { ResultRow } from '../report/results.ts';
import type { StageRecord } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput } from './errors.ts';
import type { Runs } from './runs.ts';
import type { ComparisonInput, Parsed } from './schemas.ts';
import { specFromConfig } from './spec.ts';

export interface FlipExample {
  exampleId: string | null;
  exampleIndex: number;
  /** The traces of the example under the baseline and under the strategy (open with getTrace). */
  baselineTraceId: number | null;
  traceId: number | null;
}

export interface FlipCounts {
  /** Examples compared. */
  n: number;
  bothRight: number;
  bothWrong: number;
  /** Right under the baseline, wrong under the strategy: regressions. */
  rightToWrong: number;
  /** Wrong under the baseline, right under the strategy: improvements. */
  wrongToRight: number;
}

export interface SeedFlips extends FlipCounts {
  seed: number;
  baselineStageId: number;
  stageId: number;
  baselineEvaluationId: number;
  evaluationId: number;
  /** The strategy's chain had a weight step with no passing traces (the table's "—"). */
  noPassingTraces: boolean;
  rightToWrongExamples: FlipExample[];
  wrongToRightExamples: FlipExample[];
}

export interface StrategyFlips {
  strategy: string;
  label: string;
  /** Summed over the seeds that have both evaluations. */
  counts: FlipCounts;
  seeds: SeedFlips[];
  /** Seeds where the baseline or the strategy has no final evaluation on the split (not run yet, failed). */
  missingSeeds: number[];
}

export interface Comparison {
  runId: number;
  split: string;
  baseline: string;
  strategies: string[];
  seeds: number[];
  /** The table rows of the baseline and the compared strategies, in that order. */
  table: ResultRow[];
  flips: StrategyFlips[];
}

interface ResultKey {
  exampleIndex: number;
  exampleId: string | null;
  passed: number;
  traceId: number | null;
}

const label = (strategy: string) => (strategy === '' ? 'vanilla zero-shot' : strategy);

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

  const byKey = new Map<string, StageRecord>();
  for (const s of stages) byKey.set(`${s.seed}|${s.prefix}`, s);
  const finalEvaluation = (stage: StageRecord | undefined) =>
    stage ? ctx.store.evaluations.listForStage(stage.id).filter((e) => e.candidateId === null && e.split === input.split).at(-1) : undefined;
  const resultsOf = (evaluationId: number) =>
    ctx.sql.all<ResultKey>(
      'SELECT example_index AS exampleIndex, example_id AS exampleId, passed, trace_id AS traceId FROM example_results WHERE evaluation_id = ? ORDER BY example_index',
      evaluationId,
    );
  const chainHasDash = (strategy: string, seed: number) => {
    const steps = strategy === '' ? [] : strategy.split(' -> ');
    return steps.some((_, i) => byKey.get(`${seed}|${steps.slice(0, i + 1).join(' -> ')}`)?.outcome === 'no-passing-traces');
  };

  const flips = strategies.map((strategy): StrategyFlips => {
    const counts: FlipCounts = { n: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0 };
    const seeds: SeedFlips[] = [];
    const missingSeeds: number[] = [];
    for (const seed of results.seeds) {
      const baseStage = byKey.get(`${seed}|${input.baseline}`);
      const stage = byKey.get(`${seed}|${strategy}`);
      const baseEval = finalEvaluation(baseStage);
      const evaluation = finalEvaluation(stage);
      if (!baseStage || !stage || !baseEval || !evaluation) {
        missingSeeds.push(seed);
        continue;
      }
      const mine = new Map(resultsOf(evaluation.id).map((r) => [keyOf(r), r]));
      const entry: SeedFlips = {
        seed,
        baselineStageId: baseStage.id,
        stageId: stage.id,
        baselineEvaluationId: baseEval.id,
        evaluationId: evaluation.id,
        noPassingTraces: chainHasDash(strategy, seed),
        n: 0,
        bothRight: 0,
        bothWrong: 0,
        rightToWrong: 0,
        wrongToRight: 0,
        rightToWrongExamples: [],
        wrongToRightExamples: [],
      };
      for (const base of resultsOf(baseEval.id)) {
        const other = mine.get(keyOf(base));
        if (!other) continue;
        entry.n++;
        const example: FlipExample = { exampleId: base.exampleId, exampleIndex: base.exampleIndex, baselineTraceId: base.traceId, traceId: other.traceId };
        if (base.passed && other.passed) entry.bothRight++;
        else if (!base.passed && !other.passed) entry.bothWrong++;
        else if (base.passed) {
          entry.rightToWrong++;
          entry.rightToWrongExamples.push(example);
        } else {
          entry.wrongToRight++;
          entry.wrongToRightExamples.push(example);
        }
      }
      for (const k of ['n', 'bothRight', 'bothWrong', 'rightToWrong', 'wrongToRight'] as const) counts[k] += entry[k];
      seeds.push(entry);
    }
    return { strategy, label: label(strategy), counts, seeds, missingSeeds };
  });

  const rows = new Map(results.rows.map((r) => [r.strategy, r]));
  const table = [input.baseline, ...strategies].map((s) => rows.get(s)).filter((r): r is ResultRow => r !== undefined);
  return { runId: run.id, split: input.split, baseline: input.baseline, strategies, seeds: results.seeds, table, flips };
}

function keyOf(r: ResultKey): string {
  return r.exampleId !== null ? `id:${r.exampleId}` : `ix:${r.exampleIndex}`;
}
